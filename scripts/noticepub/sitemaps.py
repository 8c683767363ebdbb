"""Sitemaps and robots.txt of the published site, written after the three languages are in site/.

The MkDocs hook (mkdocs_hooks.py) lists every page of one language with its alternates in the other
two, in its build folder's ``sitemap.xml``. This step joins the three lists and writes, per language:

* ``sitemap-index.xml``: a sitemap index naming the language's sitemaps;
* ``sitemap.xml``, ``sitemap-2.xml`` …: the pages, at most ``MAX_URLS`` (50,000) URLs and
  ``MAX_BYTES`` (50 MB) per file, as the sitemap protocol allows;

and ``robots.txt`` at the root of the site, naming the three indexes.

A page whose HTML carries ``<meta name="robots" content="noindex">`` (redirects, English articles not yet
translated) is left out, and no other page names it as an alternate: the alternates of a page are the
pages that name each other (both ways) and are indexed. Whether a page is noindex is read from its HTML
once per page digest (the build folder's manifest), so a site with nothing changed reads no page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from noticepub.fsutil import atomic_write

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000
MAX_BYTES = 50_000_000
INDEX = "sitemap-index.xml"
ROBOTS = "robots.txt"
_PART = re.compile(r"sitemap(?:-\d+)?\.xml(?:\.gz)?")
_NOINDEX = re.compile(r"<meta\s+name=[\"']?robots[\"']?\s+content=[\"'][^\"']*\bnoindex\b", re.I)
_CACHE = "sitemap-noindex.json"
_RECORD = "sitemaps-written.json"
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n')
_TAIL = "</urlset>\n"


def owned(rel: str) -> bool:
    """Files of a language's published folder (``rel`` relative to it) that this step writes: the
    publish step of site.py neither copies nor deletes them."""
    return "/" not in rel and (rel == INDEX or rel == ROBOTS or _PART.fullmatch(rel) is not None)


@dataclass(frozen=True)
class Page:
    url: str
    alternates: tuple[tuple[str, str], ...]  # (hreflang, url), as the hook wrote them (x-default left out)


def read_hook_sitemap(path: Path) -> list[Page]:
    """The pages of one language as the MkDocs hook listed them."""
    pages = []
    for url in ET.parse(path).getroot().iter(f"{{{SITEMAP_NS}}}url"):
        loc = url.findtext(f"{{{SITEMAP_NS}}}loc") or ""
        alts = tuple((link.get("hreflang") or "", link.get("href") or "")
                     for link in url.iter(f"{{{XHTML_NS}}}link") if link.get("hreflang") != "x-default")
        pages.append(Page(loc.strip(), alts))
    return pages


def is_noindex(html: str) -> bool:
    head = html[:html.find("</head>")] if "</head>" in html else html
    return _NOINDEX.search(head) is not None


def noindex_pages(out: Path, digests: Mapping[str, str], cache: Path) -> set[str]:
    """The HTML files (relative to ``out``) marked noindex; each read only when its digest is not the one
    recorded in ``cache``."""
    try:
        old = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    new: dict[str, list] = {}
    for rel, digest in digests.items():
        if not rel.endswith(".html"):
            continue
        kept = old.get(rel)
        if isinstance(kept, list) and len(kept) == 2 and kept[0] == digest:
            new[rel] = kept
        else:
            new[rel] = [digest, is_noindex((out / rel).read_text(encoding="utf-8", errors="replace"))]
    if new != old:
        atomic_write(cache, json.dumps(new, sort_keys=True).encode())
    return {rel for rel, (_, flag) in new.items() if flag}


def page_file(url: str, base: str) -> str | None:
    """The HTML file of a page URL under its language's base URL (directory URLs: ``…/index.html``)."""
    if not url.startswith(base):
        return None
    rel = url[len(base):]
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def _url_entry(page: Page, indexed: set[str], alts_of: Mapping[str, set[str]]) -> str:
    lines = ["  <url>", f"    <loc>{xml_escape(page.url)}</loc>"]
    # alternates both ways: B is an alternate of A only when each names the other and both are indexed
    alts = [(lang, href) for lang, href in page.alternates
            if href in indexed and (href == page.url or page.url in alts_of.get(href, ()))]
    if len(alts) > 1:
        # x-default: the first alternate (Simplified Chinese, the site's default language), as the hook did
        for lang, href in [*alts, ("x-default", alts[0][1])]:
            lines.append(f"    <xhtml:link rel=\"alternate\" hreflang={quoteattr(lang)} href={quoteattr(href)}/>")
    lines.append("  </url>")
    return "\n".join(lines) + "\n"


def split_urlsets(entries: list[str], max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> list[bytes]:
    """The entries in as few sitemaps as the limits allow (one at least, possibly empty)."""
    parts: list[bytes] = []
    current: list[bytes] = []
    size = len(_HEAD) + len(_TAIL)
    for entry in entries:
        data = entry.encode("utf-8")
        if current and (len(current) >= max_urls or size + len(data) > max_bytes):
            parts.append(_HEAD.encode() + b"".join(current) + _TAIL.encode())
            current, size = [], len(_HEAD) + len(_TAIL)
        current.append(data)
        size += len(data)
    parts.append(_HEAD.encode() + b"".join(current) + _TAIL.encode())
    return parts


def part_name(k: int) -> str:
    return "sitemap.xml" if k == 0 else f"sitemap-{k + 1}.xml"


def sitemap_index(base: str, count: int) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for k in range(count):
        lines += ["  <sitemap>", f"    <loc>{xml_escape(base + part_name(k))}</loc>", "  </sitemap>"]
    lines.append("</sitemapindex>")
    return ("\n".join(lines) + "\n").encode()


def robots(indexes: list[str]) -> bytes:
    return ("User-agent: *\nAllow: /\n\n" + "".join(f"Sitemap: {url}\n" for url in indexes)).encode()


@dataclass(frozen=True)
class Language:
    lang: str
    base: str                   # absolute URL of the language's root, ending in /
    out: Path                   # the language's build output (holds the hook's sitemap.xml)
    digests: Mapping[str, str]  # relpath -> digest of every file in ``out``
    cache: Path                 # where the noindex flags of its pages are kept
    target: Path                # the language's folder in site/


def write_sitemaps(languages: list[Language], site_root: Path, max_urls: int = MAX_URLS,
                   max_bytes: int = MAX_BYTES, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write every language's sitemaps and index, and robots.txt in ``site_root``. Files are written only when
    their bytes change; sitemaps of an older, longer split are removed. Returns URLs listed per language."""
    noindex = {lang.lang: noindex_pages(lang.out, lang.digests, lang.cache) for lang in languages}
    key = json.dumps([[lang.lang, lang.base, str(lang.target), lang.digests.get("sitemap.xml"), sorted(noindex[lang.lang])]
                      for lang in languages] + [str(site_root), max_urls, max_bytes])
    record = languages[0].cache.with_name(_RECORD) if languages else None
    if record is not None and _unchanged(record, key):
        return {}
    pages: dict[str, list[Page]] = {}
    indexed: set[str] = set()
    written: list[Path] = [site_root / ROBOTS]
    for lang in languages:
        pages[lang.lang] = read_hook_sitemap(lang.out / "sitemap.xml")
        indexed |= {p.url for p in pages[lang.lang] if page_file(p.url, lang.base) not in noindex[lang.lang]}
    alts_of = {p.url: {href for _, href in p.alternates} for listed in pages.values() for p in listed}
    counts = {}
    for lang in languages:
        listed = sorted((p for p in pages[lang.lang] if p.url in indexed), key=lambda p: p.url)
        counts[lang.lang] = len(listed)
        parts = split_urlsets([_url_entry(p, indexed, alts_of) for p in listed], max_urls, max_bytes)
        files = {part_name(k): data for k, data in enumerate(parts)}
        files[INDEX] = sitemap_index(lang.base, len(parts))
        lang.target.mkdir(parents=True, exist_ok=True)
        for stale in lang.target.iterdir():
            if stale.is_file() and owned(stale.name) and stale.name not in files and stale.name != ROBOTS:
                stale.unlink()
        for name, data in files.items():
            _write_if_changed(lang.target / name, data)
            written.append(lang.target / name)
    _write_if_changed(site_root / ROBOTS, robots([lang.base + INDEX for lang in languages]))
    if record is not None:
        stats = {str(p): [p.stat().st_size, p.stat().st_mtime_ns] for p in written}
        atomic_write(record, json.dumps({"key": key, "files": stats}).encode())
    if progress is not None:
        progress("site: sitemaps " + ", ".join(f"{k} {v} URLs" for k, v in counts.items()))
    return counts


def _unchanged(record: Path, key: str) -> bool:
    """The sitemaps were last written from the same inputs and are still as written."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return False
        for name, sig in data["files"].items():
            st = Path(name).stat()
            if [st.st_size, st.st_mtime_ns] != sig:
                return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write(path, data)


def publish(settings, build_dir: str, langs: list[str], progress: Callable[[str], None] | None = None,
            site_root: Path | None = None, manifest: Callable | None = None) -> dict[str, int]:
    """The sitemaps of the site from the languages' build folders (``build_dir`` under the project root, one
    folder per language, as site.py keeps them), written into ``site_root`` (default site/; site.py stages
    them in a folder it publishes with the pages); a language never built is left out. ``manifest``: how a
    build folder's manifest is read (default ``LangDir.read_manifest``; site.py passes its per-run memo)."""
    from noticepub.model import LANG_DIRS
    from noticepub.site_incremental import LangDir

    base = settings.site_url.rstrip("/") + "/"
    root = site_root if site_root is not None else settings.root / "site"
    languages = []
    for lang in langs:
        folder = LangDir(settings.root / build_dir / lang)
        if not (folder.out / "sitemap.xml").is_file():
            continue
        prefix = LANG_DIRS[lang]
        digests = {rel: entry[3] for rel, entry in (manifest(folder) if manifest else folder.read_manifest()).items()}
        languages.append(Language(lang, base + (prefix + "/" if prefix else ""), folder.out, digests,
                                  folder.path / _CACHE, root / prefix))
    return write_sitemaps(languages, root, progress=progress)
