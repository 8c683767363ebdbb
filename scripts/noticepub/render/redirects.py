"""Redirect pages: old URLs (notices under their folder id, tags and sources under hash names) keep working.

Which notices had other URLs is data (data/legacy-urls.yml): only pages really published under an old
URL get a redirect, so the archive does not carry a second file for every page. Tag and source pages
(few) get one from their old hash names whenever those differ. Each redirect is a tiny static HTML file
in docs/ (MkDocs copies it as it is) at the old directory URL: a meta refresh, a canonical link to the
new page, noindex, and a plain link for readers without refresh. Relative targets, so the site works
under any prefix; the canonical is absolute.
"""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

import yaml

from noticepub.render.common import DATA, LANG_PREFIX, L, relative_url
from noticepub.settings import Settings


@lru_cache(maxsize=1)
def _legacy() -> tuple[frozenset[str], dict[str, str]]:
    data = yaml.safe_load((DATA / "legacy-urls.yml").read_text(encoding="utf-8")) or {}
    return frozenset(data.get("notices") or ()), dict(data.get("moved") or {})


def old_notice_folders(notice_id: str, slug: str) -> list[str]:
    """The folders under notices/ where this notice was published before (data/legacy-urls.yml): its id,
    if it was published under it, and any earlier readable slug; never its current slug."""
    ids, moved = _legacy()
    old = ([notice_id] if notice_id in ids else []) + sorted(k for k, v in moved.items() if v == notice_id)
    return [folder for folder in old if folder != slug]


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
