#!/usr/bin/env python3
"""Site benchmark: what a reader's browser downloads, and how exact search is, as the archive grows.

For each archive size N (synthetic notices from scripts/bench.py's generator, with the seed's English
translation memory copied into every notice so the English pages are translated), builds docs/ and the
site (or reuses them with --reuse), serves site/ on 127.0.0.1 (Python's server: no compression, so the
byte counts are upper bounds) and measures in Chromium (Playwright, a fresh cache for every view):

* bytes transferred by one article page view (until the network is idle);
* for every query: bytes and time from typing the query to its answer on screen (the first result, or
  "no results"), starting from an article page that was already open with a cold cache; and the bytes
  once the first page of results is complete. The worst queries are in the list: two-character words
  that are not in the archive (北京, 上海), single characters, phrases with punctuation;
* recall and precision of every query against a substring search over the article texts, compared as
  search compares them (search_index.normalize: punctuation and spaces ignored, Simplified and
  Traditional folded, within one block: the headline or a paragraph). Chinese truth: a block contains
  the query; English truth: a block contains it starting at the start of a word.

Prints a table and one `target …: met|missed (figure)` line per target; writes bench/site-results.json.
It is a benchmark, not a test.

    .venv/bin/python scripts/bench_site.py [--sizes 10,100,1000] [--reuse] [--prepare-only]
    .venv/bin/python scripts/bench_site.py --sizes 1000,5000   # the archive-scale check (issue 23)
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import bench  # noqa: E402  (scripts/bench.py: the archive generator)
from noticepub import search_index  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
RESULTS = REPO / "bench" / "site-results.json"
SEED_PO = REPO / "source_texts" / "fdc91a8a205b8552" / "en.po"
PREFIX = {"zh-Hans": "", "zh-Hant": "zh-Hant/", "en": "en/"}
# (site language, query, script of the query): words inside compounds (民工 in 农民工, 儿童 in 留守儿童),
# whole words, a phrase whose bigrams all occur in an article but never together (统一步), Simplified
# typed on the zh-Hant site, and English on the translated pages
QUERIES = [
    # the worst cases: missing two-character words, single characters, phrases with punctuation
    ("zh-Hans", "北京", "hans"), ("zh-Hans", "上海", "hans"), ("zh-Hant", "北京", "hans"), ("en", "北京", "hans"),
    ("zh-Hans", "的", "hans"), ("zh-Hans", "北", "hans"), ("zh-Hant", "農", "hant"), ("en", "c", "en"),
    ("zh-Hans", "就业服务鼓励农民", "hans"), ("zh-Hans", "就业服务。鼓励农民", "hans"),
    ("zh-Hant", "就業服務，鼓勵農民", "hant"), ("en", "elderly, care", "en"),
    ("zh-Hans", "民工", "hans"), ("zh-Hans", "儿童", "hans"), ("zh-Hans", "农民工", "hans"),
    ("zh-Hans", "养老机构", "hans"), ("zh-Hans", "留守儿童", "hans"), ("zh-Hans", "疫情防控", "hans"),
    ("zh-Hans", "统一步", "hans"), ("zh-Hans", "民政部", "hans"),
    ("zh-Hant", "農民工", "hant"), ("zh-Hant", "民工", "hans"), ("zh-Hant", "兒童", "hant"),
    ("zh-Hant", "養老機構", "hant"), ("zh-Hant", "养老机构", "hans"), ("zh-Hant", "困境兒童", "hant"),
    ("zh-Hant", "留守儿童", "hans"),
    ("en", "migrant workers", "en"), ("en", "elderly care", "en"), ("en", "children", "en"),
    ("en", "Ministry of Civil Affairs", "en"),
]
TARGETS = {"view_kb": 400, "view_spread": 0.10, "first_kb": 300, "first_s": 1.5, "recall": 1.0, "precision": 1.0}


def article_texts(site: Path, lang: str) -> dict[str, list[str]]:
    """URL path (as search results give it) -> the article's blocks (headline first), normalized."""
    fold = search_index.fold_table(search_index.char_classes())
    root = site / PREFIX[lang]
    texts = {}
    for page in sorted((root / "notices").glob("*/*/index.html")):
        text = search_index.article_text(page.read_text(encoding="utf-8"))
        if text is not None:
            url = "/" + page.parent.relative_to(site).as_posix() + "/"
            texts[url] = [search_index.normalize(block, fold) for block in (text[0], *text[1])]
    return texts


def truth(query: str, lang: str, corpus: dict[str, dict[str, list[str]]]) -> set[str]:
    q = search_index.normalize(query, search_index.fold_table(search_index.char_classes()))
    if lang != "en":  # Chinese sites: any substring; English: from the start of a word
        q = q.removeprefix(" ")
    return {url for url, blocks in corpus[lang].items() if q and any(q in b for b in blocks)}


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
                page.wait_for_function("() => !/……|Searching/.test(document.querySelector('.md-search-result__meta')"
                                       ".textContent)", timeout=60_000)
                page.wait_for_load_state("networkidle")
                settled_bytes = meter.total
                phases = page.evaluate("() => window.noticepubSearch.timing()")
                found = set(page.evaluate("q => window.noticepubSearch.all(q)", query))
                expected = truth(query, lang, corpus)
                hits = len(found & expected)
                out["queries"].append({
                    "lang": lang, "query": query, "script": script, "expected": len(expected), "found": len(found),
                    "recall": hits / len(expected) if expected else 1.0,
                    "precision": hits / len(found) if found else 1.0,
                    "first_result_s": round(first_s, 3), "first_result_bytes": first_bytes,
                    "first_page_bytes": settled_bytes,
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
                 f" {'page KB':>7}  in page (ms since typing: debounced/loaded/searched/shown)")
    for q in run["queries"]:
        label = f"{q['lang']}:{q['query']}"
        lines.append(f"  {label:28} {q['expected']:6} {q['found']:6} {q['recall']:7.3f} {q['precision']:6.3f} "
                     f"{q['first_result_bytes'] / 1000:7.1f} {q['first_result_s']:6.2f} "
                     f"{q.get('first_page_bytes', 0) / 1000:7.1f}  "
                     + "/".join(str(q["in_page_ms"].get(k, "-")) for k in ("debounced", "loaded", "searched", "shown")))
    return lines


def targets(runs: list[dict]) -> list[str]:
    lines = []
    views = [v["bytes"] for run in runs for v in run["views"].values()]
    per_lang = {lang: [run["views"][lang]["bytes"] for run in runs] for lang in PREFIX}
    spread = max((max(b) - min(b)) / min(b) for b in per_lang.values())

    def verdict(ok: bool) -> str:
        return "met" if ok else "missed"

    lines.append(f"target article view < {TARGETS['view_kb']} KB: {verdict(max(views) / 1000 < TARGETS['view_kb'])} "
                 f"(largest {max(views) / 1000:.1f} KB)")
    lines.append(f"target article view constant across N (within 10 %): {verdict(spread <= TARGETS['view_spread'])} "
                 f"(spread {spread:.1%} over N={','.join(str(r['n']) for r in runs)})")
    for run in runs:  # every query, at every size: results or "none" within the bounds
        queries = run["queries"]
        heavy = max(queries, key=lambda q: q["first_result_bytes"])
        slow = max(queries, key=lambda q: q["first_result_s"])
        lines.append(f"target search answer <= {TARGETS['first_kb']} KB at N={run['n']}: "
                     f"{verdict(heavy['first_result_bytes'] <= TARGETS['first_kb'] * 1000)} (largest "
                     f"{heavy['first_result_bytes'] / 1000:.1f} KB, {heavy['lang']}:{heavy['query']}; first page of "
                     f"results at most {max(q.get('first_page_bytes', 0) for q in queries) / 1000:.1f} KB)")
        lines.append(f"target search answer <= {TARGETS['first_s']} s at N={run['n']}: "
                     f"{verdict(slow['first_result_s'] <= TARGETS['first_s'])} (slowest {slow['first_result_s']:.2f} s, "
                     f"{slow['lang']}:{slow['query']})")
    queries = [q for run in runs for q in run["queries"]]
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
