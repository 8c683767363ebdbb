"""MkDocs hooks: Chinese headings in the table of contents of English pages marked as Chinese, and a sitemap
with absolute hreflang alternates for every page, written deterministically.

MkDocs' own sitemap carries the build date (lastmod), which would make two builds differ; ours
lists each page with its alternates in the three languages (xhtml:link, as search engines expect).
The sitemap is for search engines only: no page fetches it (see overrides/main.html).
"""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

_PAGES: list[tuple[str, list[dict]]] = []


def on_pre_build(config, **kwargs):
    _PAGES.clear()


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def _mark_toc(items) -> None:
    for item in items:
        if _HAN.search(item.title) and not item.title.startswith("<span"):
            item.title = f'<span lang="zh-Hans">{item.title}</span>'
        _mark_toc(item.children)


def on_page_context(context, page, config, nav, **kwargs):
    # On English pages a sub-heading still in Chinese (pending translation) is marked zh-Hans in the page by
    # render; its table-of-contents entry is plain text made by MkDocs, so it gets the same mark here (in the
    # context hook, not page_content: reused pages' HTML is then never read back).
    if (page.meta or {}).get("lang") == "en":
        _mark_toc(page.toc.items)
    alternates = (page.meta or {}).get("alternates") or []
    _PAGES.append((page.canonical_url or page.url, alternates))
    return context


def on_post_build(config, **kwargs):
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url, alternates in sorted(_PAGES, key=lambda item: item[0]):
        lines.append("  <url>")
        lines.append(f"    <loc>{xml_escape(url)}</loc>")
        # x-default: Simplified Chinese, the site's default language (first in the list)
        default = [{"lang": "x-default", "url": alternates[0]["url"]}] if alternates else []
        for alt in [*alternates, *default]:
            hreflang, href = quoteattr(str(alt["lang"])), quoteattr(str(alt["url"]))
            lines.append(f'    <xhtml:link rel="alternate" hreflang={hreflang} href={href}/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    data = ("\n".join(lines) + "\n").encode()
    site = Path(config["site_dir"])
    (site / "sitemap.xml").write_bytes(data)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as fh:
        fh.write(data)
    (site / "sitemap.xml.gz").write_bytes(buffer.getvalue())
