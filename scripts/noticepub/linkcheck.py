"""Offline link checker for the built site: internal links, anchors, and no third-party requests.

Usage: python -m noticepub.linkcheck SITE_DIR [--site-url URL]

* every internal <a href>, <link href>, <script src>, <img src> ... resolves to a file of the site;
* every #fragment names an element id (or <a name>) in the target page;
* no resource (script, stylesheet, image, font, iframe) is loaded from another origin: readers in
  mainland China must not wait on blocked hosts. Outgoing <a> links to other sites are allowed
  (a reader clicks them) but are not fetched (no network here).
Absolute links under --site-url (hreflang alternates, sitemap, feeds) are checked as internal.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

RESOURCE_ATTRS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
}
NAVIGATION_LINK_RELS = {"alternate", "canonical", "prev", "next", "search", "sitemap"}


@dataclass(frozen=True)
class Problem:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


class _PageScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, bool]] = []  # (tag, url, is_resource)
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        if tag == "a" and "href" in values:
            self.links.append((tag, values["href"], False))
        for rtag, attr in RESOURCE_ATTRS:
            if tag == rtag and values.get(attr):
                rels = set(values.get("rel", "").lower().split())
                is_resource = not (tag == "link" and rels & NAVIGATION_LINK_RELS)
                self.links.append((tag, values[attr], is_resource))


def _scan(path: Path) -> _PageScanner:
    scanner = _PageScanner()
    scanner.feed(path.read_text(encoding="utf-8", errors="replace"))
    return scanner


def _target_file(site: Path, url_path: str) -> Path | None:
    candidate = site / unquote(url_path).lstrip("/")
    if url_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site(site: Path, site_url: str | None = None) -> list[Problem]:
    site = site.resolve()
    problems: list[Problem] = []
    pages = sorted(site.rglob("*.html"))
    if not pages:
        return [Problem(str(site), "", "no HTML pages: build the site first")]
    id_cache: dict[Path, set[str]] = {}
    scans = {page: _scan(page) for page in pages}
    for page, scan in scans.items():
        id_cache[page] = scan.ids
    own = urlsplit(site_url) if site_url else None
    for page, scan in scans.items():
        rel_page = page.relative_to(site).as_posix()
        page_url = "/" + rel_page
        for tag, url, is_resource in scan.links:
            parts = urlsplit(url)
            if parts.scheme in {"mailto", "tel", "data"}:
                continue
            if parts.scheme in {"javascript", "vbscript"}:
                problems.append(Problem(rel_page, url, "script URL in a link"))
                continue
            if parts.scheme or parts.netloc:
                if own and parts.netloc == own.netloc and parts.path.startswith(own.path):
                    local = "/" + parts.path[len(own.path):].lstrip("/")
                    parts = urlsplit(local + (f"#{parts.fragment}" if parts.fragment else ""))
                elif is_resource:
                    problems.append(Problem(rel_page, url, f"<{tag}> loads a resource from another origin"))
                    continue
                else:
                    continue  # an outgoing link a reader may click; not fetched offline
            resolved = urlsplit(urljoin(page_url, parts.path)) if parts.path else urlsplit(page_url)
            target = _target_file(site, resolved.path)
            if target is None:
                problems.append(Problem(rel_page, url, "target does not exist"))
                continue
            if parts.fragment and target.suffix == ".html":
                ids = id_cache.get(target)
                if ids is None:
                    ids = id_cache[target] = _scan(target).ids
                if unquote(parts.fragment) not in ids:
                    where = target.relative_to(site)
                    problems.append(Problem(rel_page, url, f"anchor #{parts.fragment} not found in {where}"))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m noticepub.linkcheck", description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--site-url", default=None)
    args = parser.parse_args(argv)
    if args.site_url is None:
        try:
            from noticepub.settings import load_settings

            args.site_url = load_settings().site_url
        except Exception:  # noqa: BLE001 - the checker also runs outside the repository
            args.site_url = None
    problems = check_site(args.site, args.site_url)
    for problem in problems:
        print(problem)
    pages = len(list(args.site.rglob("*.html")))
    print(f"linkcheck: {pages} pages, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
