"""Benchmark of the review screen: time from a click on a correction to the updated page, for a 200-line page.

    PYTHONPATH=scripts .venv/bin/python scripts/bench_review.py [--runs 10] [--lines 200]

The page is the first ``--lines`` lines of the seed page. The preview's HTTP server (noticepub.serve, without
its watcher, so no site build competes) serves /review/ in this process; Chromium clicks a raw line, then a
menu entry ("Split here", then "Undo"), and the time until the new panes are in the page is measured in the
browser (fetch to DOM updated) and from Python (click to updated). Also measured: the server alone (one
correction: read, edit, validate through the build's parse, write, parse again, render). Prints JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "source_texts" / "fdc91a8a205b8552" / "raw.txt"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--lines", type=int, default=200)
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from noticepub.review.app import ReviewApp
    from noticepub.review.state import review_notice
    from noticepub.serve import Preview
    from noticepub.settings import load_settings

    work = Path(tempfile.mkdtemp(prefix="noticepub-bench-review-"))
    try:
        shutil.copy2(REPO / "pyproject.toml", work / "pyproject.toml")
        folder = work / "source_texts" / "bench"
        folder.mkdir(parents=True)
        lines = SEED.read_text(encoding="utf-8").split("\n")[:args.lines]
        (folder / "raw.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "notice.yml").write_text("# benchmark page\ntags: [养老服务]\n", encoding="utf-8")
        settings = dataclasses.replace(load_settings(work), root=work)
        review = review_notice(folder, settings)
        target = next(i.line for i in review.roles if i.role == "body" and i.rule == "joined" and i.line > 20)

        # the server alone
        app = ReviewApp(settings, listen=("127.0.0.1", 1))
        headers = {"Host": "127.0.0.1:1", "Content-Type": "application/json", "X-Noticepub-Token": app.token}
        server_ms = []
        for _ in range(args.runs):
            for what, body in (("correct", {"action": "split", "first": target, "last": target}), ("undo", {})):
                body["etag"] = review_notice(folder, settings).etag
                t0 = time.perf_counter()
                status, _, _ = app.post(f"/review/bench/{what}", headers, json.dumps(body).encode())
                server_ms.append((time.perf_counter() - t0) * 1000)
                assert status == 200, status

        # in Chromium, through the preview's HTTP server
        preview = Preview(settings, "127.0.0.1:0", say=lambda line: None)
        threading.Thread(target=preview.server.serve_forever, daemon=True).start()
        browser_ms, click_ms = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{preview.url}review/bench/")
            for _ in range(args.runs):
                for action in ("split", "undo"):
                    before = page.inner_text("#status")
                    page.click(f"#L{target}")
                    t0 = time.perf_counter()
                    page.click("#undo" if action == "undo" else f'#menu button[data-action="{action}"]')
                    page.wait_for_function("(old) => document.getElementById('status').innerText !== old",
                                           arg=before, polling="raf")
                    click_ms.append((time.perf_counter() - t0) * 1000)
                    browser_ms.append(float(page.get_attribute("body", "data-updated-ms")))
            browser.close()
        preview.server.shutdown()
        summary = {
            "page_lines": len(lines), "articles": len(review.articles), "runs": len(server_ms),
            "server_ms": {"median": round(statistics.median(server_ms), 1), "max": round(max(server_ms), 1)},
            "browser_fetch_to_dom_ms": {"median": round(statistics.median(browser_ms), 1), "max": round(max(browser_ms), 1)},
            "click_to_updated_ms": {"median": round(statistics.median(click_ms), 1), "max": round(max(click_ms), 1)},
        }
        print(json.dumps(summary, indent=2))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
