#!/usr/bin/env python3
"""Site benchmark: what a reader's browser downloads, and how exact search is, as the archive grows.

For each archive size N (synthetic notices from scripts/bench.py's generator, with the seed's English
translation memory copied into every notice so the English pages are translated), builds docs/ and the
site (or reuses them with --reuse), serves site/ on 127.0.0.1 (Python's server: no compression, so the
byte counts are upper bounds) and measures in Chromium (Playwright, a fresh cache for every view):

* bytes transferred by one article page view (until the network is idle);
* for every query: bytes and time from typing the query to the first search result on screen, starting
  from an article page that was already open;
* recall and precision of every query against a substring search over the article texts. Chinese truth:
  the article's text contains the query (for a Simplified query on the zh-Hant site: the zh-Hans version
  of the article contains it). English truth: the text contains the query case-insensitively, starting
  at the start of a word.

Prints a table and one `target …: met|missed (figure)` line per target; writes bench/site-results.json.
It is a benchmark, not a test.

    .venv/bin/python scripts/bench_site.py [--sizes 10,100,1000] [--reuse] [--prepare-only]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import socket
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import bench  # noqa: E402  (scripts/bench.py: the archive generator)
from noticepub.search_index import EXCLUDE_SELECTORS, HAN, detokenize, tokenize  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
RESULTS = REPO / "bench" / "site-results.json"
SEED_PO = REPO / "source_texts" / "fdc91a8a205b8552" / "en.po"
PREFIX = {"zh-Hans": "", "zh-Hant": "zh-Hant/", "en": "en/"}
# (site language, query, script of the query): words inside compounds (民工 in 农民工, 儿童 in 留守儿童),
# whole words, a phrase whose bigrams all occur in an article but never together (统一步), Simplified
# typed on the zh-Hant site, and English on the translated pages
QUERIES = [
    ("zh-Hans", "民工", "hans"), ("zh-Hans", "儿童", "hans"), ("zh-Hans", "农民工", "hans"),
    ("zh-Hans", "养老机构", "hans"), ("zh-Hans", "留守儿童", "hans"), ("zh-Hans", "疫情防控", "hans"),
    ("zh-Hans", "统一步", "hans"), ("zh-Hans", "民政部", "hans"),
    ("zh-Hant", "農民工", "hant"), ("zh-Hant", "民工", "hans"), ("zh-Hant", "兒童", "hant"),
    ("zh-Hant", "養老機構", "hant"), ("zh-Hant", "养老机构", "hans"), ("zh-Hant", "困境兒童", "hant"),
    ("zh-Hant", "留守儿童", "hans"),
    ("en", "migrant workers", "en"), ("en", "elderly care", "en"), ("en", "children", "en"),
    ("en", "Ministry of Civil Affairs", "en"),
]
TARGETS = {"view_kb": 400, "view_spread": 0.10, "first_kb": 300, "first_s": 1.5, "recall": 0.99, "precision": 0.99}


class _BodyText(HTMLParser):
    """The text Pagefind indexes: inside data-pagefind-body, minus the excluded selectors."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0          # open elements inside the body (0: outside)
        self.skip_at: int | None = None
        self.parts: list[str] = []
        classes = [s.strip()[1:] for s in EXCLUDE_SELECTORS if s.strip().startswith(".")]
        self.excluded_classes = set(classes)
        self.excluded_tags = {s.strip() for s in EXCLUDE_SELECTORS if not s.strip().startswith(".")}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        values = dict(attrs)
        if self.depth == 0:
            if "data-pagefind-body" in values:
                self.depth = 1
            return
        self.depth += 1
        if self.skip_at is None and (tag in self.excluded_tags
                                     or self.excluded_classes & set((values.get("class") or "").split())):
            self.skip_at = self.depth

    def handle_endtag(self, tag):
        if tag in self.VOID or self.depth == 0:
            return
        if self.skip_at == self.depth:
            self.skip_at = None
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.skip_at is None:
            self.parts.append(data)


def article_texts(site: Path, lang: str) -> dict[str, str]:
    """URL path (as search results give it) -> the article's indexed text, normalized like the browser."""
    root = site / PREFIX[lang]
    texts = {}
    for page in sorted((root / "notices").glob("*/*/index.html")):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" not in html:
            continue
        parser = _BodyText()
        parser.feed(html)
        text = re.sub(r"\s+", " ", "".join(parser.parts))
        texts["/" + page.parent.relative_to(site).as_posix() + "/"] = detokenize(tokenize(text))
    return texts


def truth(query: str, script: str, lang: str, corpus: dict[str, dict[str, str]]) -> set[str]:
    if script == "en":
        start = f"(?:(?<![^\\W_])|(?<=[{HAN}]))"  # at the start of a word (as search.js)
        pattern = re.compile(start + r"\s+".join(map(re.escape, query.split())), re.I)
        return {url for url, text in corpus["en"].items() if pattern.search(text)}
    q = detokenize(tokenize(query))
    if lang == "zh-Hant" and script == "hans":  # the same article in Simplified contains the query
        return {"/zh-Hant" + url for url, text in corpus["zh-Hans"].items() if q in text}
    return {url for url, text in corpus[lang].items() if q in text}


def prepare(n: int) -> Path:
    """The synthetic archive of ``n`` notices, each with the seed's reviewed English translation memory."""
    root = bench.make_archive(n, bench.seed_articles())
    for folder in sorted((root / "source_texts").glob("n*")):
        shutil.copy2(SEED_PO, folder / "en.po")  # sentences are found by their source text
    return root


def build(n: int, reuse: bool) -> tuple[Path, dict]:
    root = bench.WORK / f"n{n}"
    timings: dict = {}
    if reuse and (root / "site" / "index.html").is_file():
        return root, timings
    root = prepare(n)
    timings["build_s"] = bench.timed_cli(root, "build")
    timings["site_s"] = bench.timed_cli(root, "site")
    return root, timings


class _Server:
    def __init__(self, directory: Path) -> None:
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))

        class Quiet(handler.func):  # type: ignore[misc, valid-type, name-defined]
            def log_message(self, *args):
                pass

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(directory)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{port}"

    def close(self) -> None:
        self.httpd.shutdown()


class _Meter:
    """Bytes received by a page and its search worker (Playwright's request sizes: headers + encoded body)."""

    def __init__(self, page) -> None:
        self.requests: list = []
        page.on("requestfinished", lambda request: self.requests.append(request))

    @property
    def total(self) -> int:
        size = 0
        for request in self.requests:
            sizes = request.sizes()
            size += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return size

    @property
    def urls(self) -> list[str]:
        return [r.url for r in self.requests]

    def reset(self) -> None:
        self.requests.clear()


def measure(root: Path, n: int) -> dict:
    from playwright.sync_api import sync_playwright

    site = root / "site"
    corpus = {lang: article_texts(site, lang) for lang in PREFIX}
    server = _Server(site)
    out: dict = {"n": n, "load_average": os.getloadavg()[0], "views": {}, "queries": [],
                 "articles": {lang: len(t) for lang, t in corpus.items()}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for lang in PREFIX:
                first = sorted(corpus[lang])[0]
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                meter = _Meter(page)
                page.goto(server.base + first, wait_until="networkidle")
                out["views"][lang] = {"url": first, "bytes": meter.total, "requests": len(meter.urls)}
                context.close()
            for lang, query, script in QUERIES:
                first = sorted(corpus[lang])[0]
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                meter = _Meter(page)
                page.goto(server.base + first, wait_until="networkidle")
                meter.reset()
                field = page.locator("input.md-search__input")
                field.click()
                t0 = time.perf_counter()
                field.fill(query)
                page.wait_for_function(
                    """() => document.querySelector('.md-search-result__item') ||
                        /^(没有|沒有|No )/.test(document.querySelector('.md-search-result__meta').textContent)""",
                    timeout=60_000)
                first_s = time.perf_counter() - t0
                first_bytes = meter.total
                phases = page.evaluate("() => window.noticepubSearch.timing()")
                found = set(page.evaluate("q => window.noticepubSearch.all(q)", query))
                expected = truth(query, script, lang, corpus)
                hits = len(found & expected)
                out["queries"].append({
                    "lang": lang, "query": query, "script": script, "expected": len(expected), "found": len(found),
                    "recall": hits / len(expected) if expected else 1.0,
                    "precision": hits / len(found) if found else 1.0,
                    "first_result_s": round(first_s, 3), "first_result_bytes": first_bytes,
                    "in_page_ms": {k: round(v) for k, v in phases.items() if k != "typed"},
                    "missed": sorted(expected - found)[:5], "wrong": sorted(found - expected)[:5],
                })
                context.close()
            browser.close()
    finally:
        server.close()
    return out


def table(run: dict) -> list[str]:
    timing = f", build {run['build_s']:.0f} s, site {run['site_s']:.0f} s" if "build_s" in run else ""
    lines = [f"N={run['n']}: articles {run['articles']}{timing}, load average {run['load_average']:.1f}"]
    for lang, view in run["views"].items():
        lines.append(f"  article view {lang:8} {view['bytes'] / 1000:7.1f} KB in {view['requests']} requests")
    lines.append(f"  {'query':28} {'truth':>6} {'found':>6} {'recall':>7} {'prec.':>6} {'1st KB':>7} {'1st s':>6}"
                 "  in page (ms since typing: debounced/loaded/searched/shown)")
    for q in run["queries"]:
        label = f"{q['lang']}:{q['query']}"
        lines.append(f"  {label:28} {q['expected']:6} {q['found']:6} {q['recall']:7.3f} {q['precision']:6.3f} "
                     f"{q['first_result_bytes'] / 1000:7.1f} {q['first_result_s']:6.2f}  "
                     + "/".join(str(q["in_page_ms"].get(k, "-")) for k in ("debounced", "loaded", "searched", "shown")))
    return lines


def targets(runs: list[dict]) -> list[str]:
    lines = []
    last = runs[-1]
    views = [v["bytes"] for run in runs for v in run["views"].values()]
    per_lang = {lang: [run["views"][lang]["bytes"] for run in runs] for lang in PREFIX}
    spread = max((max(b) - min(b)) / min(b) for b in per_lang.values())
    queries = last["queries"]
    first_kb = max(q["first_result_bytes"] for q in queries) / 1000
    first_s = max(q["first_result_s"] for q in queries)

    def verdict(ok: bool) -> str:
        return "met" if ok else "missed"

    lines.append(f"target article view < {TARGETS['view_kb']} KB: {verdict(max(views) / 1000 < TARGETS['view_kb'])} "
                 f"(largest {max(views) / 1000:.1f} KB)")
    lines.append(f"target article view constant across N (within 10 %): {verdict(spread <= TARGETS['view_spread'])} "
                 f"(spread {spread:.1%} over N={','.join(str(r['n']) for r in runs)})")
    lines.append(f"target first search result < {TARGETS['first_kb']} KB: {verdict(first_kb < TARGETS['first_kb'])} "
                 f"(largest {first_kb:.1f} KB at N={last['n']})")
    lines.append(f"target first search result < {TARGETS['first_s']} s: {verdict(first_s < TARGETS['first_s'])} "
                 f"(slowest {first_s:.2f} s at N={last['n']})")
    for group, langs in (("Chinese", ("zh-Hans", "zh-Hant")), ("English", ("en",))):
        qs = [q for q in queries if q["lang"] in langs]
        recall, precision = min(q["recall"] for q in qs), min(q["precision"] for q in qs)
        lines.append(f"target {group} recall >= {TARGETS['recall']}: {verdict(recall >= TARGETS['recall'])} "
                     f"(lowest {recall:.3f} over {len(qs)} queries)")
        lines.append(f"target {group} precision >= {TARGETS['precision']}: "
                     f"{verdict(precision >= TARGETS['precision'])} (lowest {precision:.3f})")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="archive sizes (notices), comma-separated")
    parser.add_argument("--reuse", action="store_true", help="reuse bench/work/nN/site when it exists")
    parser.add_argument("--prepare-only", action="store_true",
                        help="only write the archives (then run `noticepub build` and `noticepub site` in "
                             "bench/work/nN yourself, and measure with --reuse)")
    args = parser.parse_args()
    if args.prepare_only:
        for n in (int(s) for s in args.sizes.split(",")):
            print(prepare(n))
        return 0
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"bench_site: {CHROMIUM} is missing (apt-get install chromium)")
    os.environ.setdefault("CI", "1")
    runs = []
    for n in (int(s) for s in args.sizes.split(",")):
        root, timings = build(n, args.reuse)
        run = {**measure(root, n), **timings}
        runs.append(run)
        print("\n".join(table(run)), flush=True)
    lines = targets(runs)
    print("\n".join(lines))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": runs, "summary": lines}, ensure_ascii=False, indent=1) + "\n",
                       encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
