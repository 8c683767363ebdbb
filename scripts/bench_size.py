#!/usr/bin/env python3
"""Where the bytes of the built site go, per notice (issue 23: <= 200 KB a notice at 1,000 notices).

Builds the benchmark's synthetic archive of N notices (scripts/bench.py's generator: the seed's articles
re-set, one notice a day, every notice different) in a temporary folder, runs `noticepub build` and
`noticepub site --clean`, and prints the site's bytes per notice by kind of file (article pages, notice
pages, tag lists, the archive, other lists, sitemaps, search index, assets, other), and the bytes of an
average article page by part (head, JSON-LD, header, navigation, article, footer, scripts).

    .venv/bin/python scripts/bench_size.py [--notices 100] [--keep DIR]
    .venv/bin/python scripts/bench_size.py --site path/to/site --notices N   # measure a built site only

It is a measurement, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

LANGS = ("zh-Hant", "en")  # languages under a prefix; Simplified Chinese is at the root
KINDS = ("article", "notice", "tag", "archive", "lists", "home", "sitemaps", "search", "assets", "other")


def kind(rel: str) -> str:
    """The kind of a site file from its path relative to site/ (the language prefix left out)."""
    parts = rel.split("/")
    if parts[0] in LANGS:
        parts = parts[1:]
    top = parts[0]
    if top == "notices":
        return "notice" if len(parts) == 3 else "article"
    if top == "tags":
        return "tag"
    if top == "archive":
        return "archive"
    if top in ("regions", "publications"):
        return "lists"
    if top in ("index.html", "feed.xml"):
        return "home"
    if top.startswith("sitemap") or top == "robots.txt":
        return "sitemaps"
    if top == "np-search":
        return "search"
    if top == "assets":
        return "assets"
    return "other"


# Parts of an article page, in document order: each runs from its marker to the next one found.
PARTS = (
    ("head", "<head>"),
    ("json-ld", '<script type="application/ld+json">'),
    ("head", "</script><title>"),
    ("header", "<body"),
    ("navigation", '<div class="md-container"'),
    ("article", "<article"),
    ("footer", "</article>"),
    ("scripts", '<script id="__config"'),
)


def page_parts(html: str) -> Counter:
    """Bytes of each part of one page (UTF-8); what precedes <head> counts as head."""
    data = html.encode()
    cuts = []
    start = 0
    for name, marker in PARTS:
        at = data.find(marker.encode(), start)
        if at >= 0:
            cuts.append((at, name))
            start = at
    out: Counter = Counter()
    cuts = [(0, "head"), *cuts[1:]] if cuts else [(0, "head")]
    for (at, name), (end, _) in zip(cuts, [*cuts[1:], (len(data), "")], strict=True):
        out[name] += end - at
    return out


def measure(site: Path) -> tuple[Counter, Counter, Counter, int]:
    """(bytes by kind, files by kind, bytes by part summed over article pages, article pages)."""
    size: Counter = Counter()
    files: Counter = Counter()
    parts: Counter = Counter()
    articles = 0
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            rel = path.relative_to(site).as_posix()
            k = kind(rel)
            size[k] += path.lstat().st_size
            files[k] += 1
            if k == "article" and name == "index.html":
                articles += 1
                parts.update(page_parts(path.read_text(encoding="utf-8")))
    return size, files, parts, articles


def report(site: Path, notices: int) -> list[str]:
    size, files, parts, articles = measure(site)
    total, count = sum(size.values()), sum(files.values())
    lines = [f"site/: {total / 1e6:.1f} MB in {count} files at {notices} notices: "
             f"{total / notices / 1000:.1f} KB and {count / notices:.1f} files per notice"]
    lines.append(f"{'kind':<10} {'KB/notice':>9} {'files/notice':>12} {'KB/file':>8}")
    for k in KINDS:
        if files[k]:
            lines.append(f"{k:<10} {size[k] / notices / 1000:>9.1f} {files[k] / notices:>12.2f} "
                         f"{size[k] / files[k] / 1000:>8.1f}")
    if articles:
        lines.append(f"an article page ({articles} pages, {articles / notices:.1f} per notice), bytes by part:")
        for name in dict.fromkeys(n for n, _ in PARTS):
            lines.append(f"  {name:<10} {parts[name] / articles:>7.0f} B  "
                         f"({parts[name] / notices / 1000:.1f} KB/notice)")
        lines.append(f"  {'total':<10} {sum(parts.values()) / articles:>7.0f} B")
    return lines


def build(n: int, work: Path) -> Path:
    import bench

    bench.WORK = work
    root = bench.make_archive(n, bench.seed_articles())
    bench.timed_cli(root, "build")
    bench.timed_cli(root, "site", "--clean", "--no-strict")
    return root / "site"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=100, help="archive size (notices)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    args = parser.parse_args(argv)
    if args.site:
        site = args.site
    elif args.keep:
        site = build(args.notices, args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="bench-size-") as tmp:
            print("\n".join(report(build(args.notices, Path(tmp)), args.notices)))
        return 0
    print("\n".join(report(site, args.notices)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
