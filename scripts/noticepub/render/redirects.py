"""Redirect pages: old URLs (notices under their folder id, tags and sources under hash names) keep working.

Each is a tiny static HTML file in docs/ (MkDocs copies it as it is) at the old directory URL:
a meta refresh, a canonical link to the new page, noindex, and a plain link for readers without
refresh. Relative targets, so the site works under any prefix; the canonical is absolute.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from noticepub.render.common import LANG_PREFIX, L, relative_url
from noticepub.settings import Settings


def redirect_page(lang: str, old_url: str, new_url: str, title: str, settings: Settings) -> tuple[str, bytes]:
    """``old_url`` / ``new_url``: directory URLs relative to the language root ("notices/<id>/a1/").
    Returns (docs-relative path of the .html file, its bytes)."""
    href = relative_url(old_url, new_url) or "./"
    canonical = settings.site_url.rstrip("/") + "/" + LANG_PREFIX[lang] + new_url
    html = "\n".join([
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f'<meta http-equiv="refresh" content={quoteattr("0; url=" + href)}>',
        f"<link rel=\"canonical\" href={quoteattr(canonical)}>",
        '<meta name="robots" content="noindex">',
        "</head>",
        f"<body><p>{escape(L(lang, 'redirect'))} <a href={quoteattr(href)}>{escape(title)}</a></p></body>",
        "</html>",
        "",
    ])
    return f"{lang}/{old_url}index.html", html.encode()
