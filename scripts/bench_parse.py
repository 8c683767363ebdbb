#!/usr/bin/env python3
"""Parser benchmark: how well `noticepub parse` recovers articles, and whether its warnings cover its errors.

Scores, against golds the parser never made:

* the generator's shape pages (tests/realpages.py shape_specs: tables, interviews, kickers, briefs columns,
  repeated headlines, sub-headings, furniture, bylines, short headlines, artifacts, 5-6 articles), and
  --random N random pages mixing them (realpages.random_shape_page, seeds 0..N-1; default 40): as they
  are, with photo captions after four in ten articles, re-set in narrow (8-11) and wide (20-30)
  columns, and with seven in ten introductory paragraphs set as leads; and N random pages in the seed's
  own layout (realpages.random_tail_page: headlines and leads displaced after the bodies, grouped,
  paired or leads first), also with half the headlines printed at a column break inside the article
  before or between two of its paragraphs, with a blank line between the lines of each headline block,
  with every headline after the first in place and every lead displaced, and with headlines in place
  printed tight above their text (no blank line) on pages where most articles have no attribution, and
  with the displaced headlines and leads printed above the bodies instead of after them, and with
  punctuation in half the headlines (：，、 inside, ？！ at the end);
* the held-out pages (tests/holdout/*.txt, written by the lead independently of the parser);
* the four pages added under source_texts/ for issue 21 (a table, an interview, kickers, a briefs column),
  against their hand-read golds (tests/shapes/source-<id>.json);
* the blind bench (../shared/blindbench/blindbench.py, 14 pages nobody here reads): its overall line.

Per page and per set: paragraph F1, titles, leads, attributions, characters lost / extra, wrong articles
(a gold article with no predicted article, or whose title, paragraphs, lead or attribution differ),
warned (wrong articles with a warning naming them: warning recall = warned / wrong), false alarms (correct
articles with a warning: false-alarm rate = false alarms / correct), and spurious predicted articles (no
gold article aligned with them). Scoring, alignment and normalisation are the blind bench's own
(`scoring.py`, imported from ../shared/blindbench, never copied), so the figures read like its figures.

A page is read as `noticepub parse FILE --json` reads it (ingest.decode_raw) and parsed in process;
its JSON is the command's (`commands.parse.json_dict` when the parser has it, else the model's).

    PYTHONPATH=$PWD/scripts .venv/bin/python scripts/bench_parse.py [--scripts DIR] [--no-blind] [--pages]
                                                                     [--random N]

--scripts DIR benches the parser of another checkout (e.g. /work/wt-parser/scripts; default: this one's).
--pages prints one line per page besides the set totals. It is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BLIND = REPO.parent / "shared" / "blindbench"


def load_scoring():
    """The blind bench's scoring module, or None (with the reason printed) when it is not there."""
    path = BLIND / "scoring.py"
    if not path.is_file():
        print(f"bench_parse: {path} not found: the blind bench's scoring module is needed to score pages "
              "(it lives in ../shared/blindbench beside the project root)", file=sys.stderr)
        return None
    spec = importlib.util.spec_from_file_location("blindbench_scoring", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Page:
    name: str
    raw: bytes
    gold: dict  # {"articles": [...]}


@dataclass
class Tally:
    rows: list[dict] = field(default_factory=list)
    wrong: int = 0
    warned: int = 0
    correct: int = 0
    false_alarms: int = 0
    spurious: int = 0


def shape_pages() -> list[Page]:
    sys.path.insert(0, str(REPO / "tests"))
    from realpages import shape_page, shape_specs

    out = []
    for name in shape_specs():
        _, page, gold = shape_page(name)
        out.append(Page(name, page.encode("utf-8"), {"articles": gold}))
    return out


def random_pages(n: int, prefix: str = "random", **variant) -> list[Page]:
    """realpages.random_shape_page for seeds 0..n-1; ``variant``: captions=True, or widths=(lo, hi)."""
    sys.path.insert(0, str(REPO / "tests"))
    from realpages import random_shape_page

    out = []
    for seed in range(n):
        page, gold = random_shape_page(seed, **variant)
        out.append(Page(f"{prefix}-{seed}", page.encode("utf-8"), {"articles": gold}))
    return out


def tail_pages(n: int, prefix: str = "tail", **variant) -> list[Page]:
    """realpages.random_tail_page for seeds 0..n-1 (the seed's layout: displaced headlines and leads);
    ``variant``: floating=True (headlines printed at a column break inside the article before) or gaps=True
    (a blank line between a headline block's lines)."""
    sys.path.insert(0, str(REPO / "tests"))
    from realpages import random_tail_page

    pages = (random_tail_page(seed, **variant) for seed in range(n))
    return [Page(f"{prefix}-{seed}", page.encode("utf-8"), {"articles": gold}) for seed, (page, gold) in enumerate(pages)]


def holdout_pages() -> list[Page]:
    out = []
    for raw in sorted((REPO / "tests" / "holdout").glob("*.txt")):
        gold = json.loads(raw.with_suffix(".json").read_text(encoding="utf-8"))
        out.append(Page(raw.stem, raw.read_bytes(), gold))
    return out


def source_pages() -> list[Page]:
    out = []
    for path in sorted((REPO / "tests" / "shapes").glob("source-*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        raw = REPO / gold["source"]
        out.append(Page(raw.parent.name, raw.read_bytes(), gold))
    return out


def predict(page: Page) -> dict | None:
    """The parse --json of one page (None if the parser refused it or crashed: the page then scores 0)."""
    from noticepub.errors import NoticepubError
    from noticepub.ingest import decode_raw
    from noticepub.parse import parse_page

    try:
        from noticepub.commands.parse import json_dict
    except ImportError:
        json_dict = None
    try:
        result = parse_page(decode_raw(page.raw, page.name), page.name)
    except NoticepubError as exc:
        print(f"  {page.name}: parse failed: {exc}", file=sys.stderr)
        return None
    return json_dict(result) if json_dict else result.to_json_dict()


def verdicts(scoring, gold: dict, pred: dict) -> tuple[list[tuple[bool, bool]], int]:
    """(correct, warned) for each gold article, and the number of predicted articles no gold article
    aligns with. Correct: the aligned prediction has the same title (+ kicker, subtitle), paragraphs, lead
    and attribution, in the blind bench's comparison form (the same test as its 'wrong articles')."""
    G = [scoring.clean_article(a) for a in gold["articles"]]
    arts = pred.get("articles", []) if isinstance(pred, dict) else []
    P = [scoring.clean_article(a) for a in arts]
    ids = [a.get("id") if isinstance(a, dict) else None for a in arts]
    warned_ids = {w.get("article") for w in pred.get("warnings") or [] if isinstance(w, dict)}
    pairs = dict(scoring.align(G, P))
    out = []
    for i, g in enumerate(G):
        j = pairs.get(i)
        if j is None:
            out.append((False, False))
            continue
        p = P[j]
        same = (scoring.norm_title(g["title"], g["subtitle"]) == scoring.norm_title(p["title"], p["subtitle"])
                and collections.Counter(map(scoring.norm, g["paragraphs"]))
                == collections.Counter(map(scoring.norm, p["paragraphs"]))
                and scoring.norm(g["lead"]) == scoring.norm(p["lead"])
                and scoring.norm_attr(g["attribution"]) == scoring.norm_attr(p["attribution"]))
        out.append((same, ids[j] in warned_ids))
    return out, len(P) - len(pairs)


def bench_set(scoring, pages: list[Page], show_pages: bool) -> Tally:
    t = Tally()
    for page in pages:
        pred = predict(page)
        m = scoring.score(page.gold, pred if pred is not None else {"articles": []})
        v, spurious = verdicts(scoring, page.gold, pred or {"articles": []})
        wrong = sum(1 for ok, _ in v if not ok)
        warned = sum(1 for ok, w in v if not ok and w)
        alarms = sum(1 for ok, w in v if ok and w)
        t.rows.append(m)
        t.wrong += wrong
        t.warned += warned
        t.correct += len(v) - wrong
        t.false_alarms += alarms
        t.spurious += spurious
        if show_pages:
            print(f"  {page.name:22} {m['n_pred']:>2}/{m['n_gold']:<2} {m['paragraph_f1']:5.2f} {m['titles']:6.2f} "
                  f"{m['leads']:5.2f} {m['attributions']:5.2f} {m['chars_lost']:5d} {m['chars_extra']:5d} "
                  f"{wrong:5d} {warned:6d} {alarms:6d} {spurious:5d}" + ("  parse failed" if pred is None else ""))
    return t


def summary(scoring, name: str, t: Tally) -> str:
    n = len(t.rows) or 1
    avg = {k: scoring.floor2(sum(r[k] for r in t.rows) / n) for k in ("paragraph_f1", "titles", "leads",
                                                                      "attributions")}
    exact = sum(1 for r in t.rows if r["n_pred"] == r["n_gold"])
    recall = t.warned / t.wrong if t.wrong else 1.0
    alarm_rate = t.false_alarms / t.correct if t.correct else 0.0
    return (f"{name}: pages={len(t.rows)} paragraph_f1={avg['paragraph_f1']:.2f} titles={avg['titles']:.2f} "
            f"leads={avg['leads']:.2f} attributions={avg['attributions']:.2f} articles={exact}/{len(t.rows)} "
            f"chars_lost={sum(r['chars_lost'] for r in t.rows)} chars_extra={sum(r['chars_extra'] for r in t.rows)} "
            f"wrong_articles={t.wrong}/{t.wrong + t.correct} warned={t.warned} warning_recall={recall:.2f} "
            f"false_alarms={t.false_alarms}/{t.correct} false_alarm_rate={alarm_rate:.2f} spurious={t.spurious}")


def blind_bench(scripts: Path) -> str:
    """Run the blind bench (numbers only) with this parser and return its overall line."""
    script = BLIND / "blindbench.py"
    if not script.is_file():
        return f"blind bench: {script} not found (it lives in ../shared/blindbench beside the project root)"
    env = dict(os.environ, PYTHONPATH=str(scripts))
    cmd = f"{sys.executable} -m noticepub parse {{input}} --json"
    try:
        out = subprocess.run([sys.executable, str(script), cmd], cwd=REPO, env=env, capture_output=True, text=True,
                             timeout=1200)
    except subprocess.TimeoutExpired:
        return "blind bench: timed out after 1200 s"
    overall = [line for line in out.stdout.splitlines() if line.startswith("overall:")]
    if out.returncode != 0 or not overall:
        tail = (out.stderr or out.stdout).strip().splitlines()[-1:] or [""]
        return f"blind bench: failed (exit {out.returncode}): {tail[0][:200]}"
    return "blind bench " + overall[-1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scripts", type=Path, default=REPO / "scripts",
                    help="the scripts/ folder whose noticepub parser is benched (default: this checkout's)")
    ap.add_argument("--no-blind", action="store_true", help="skip the blind bench")
    ap.add_argument("--pages", action="store_true", help="one line per page besides the set totals")
    ap.add_argument("--random", type=int, default=40, metavar="N", help="random shape pages (0: none)")
    args = ap.parse_args(argv)
    scripts = args.scripts.resolve()
    if not (scripts / "noticepub").is_dir():
        print(f"bench_parse: {scripts} has no noticepub package", file=sys.stderr)
        return 2
    sys.path.insert(0, str(scripts))
    import noticepub

    scoring = load_scoring()
    if scoring is None:
        return 2
    print(f"parser: {Path(noticepub.__file__).parent}")
    if args.pages:
        print(f"  {'page':22} {'arts':>5} {'f1':>5} {'titles':>6} {'leads':>5} {'attr':>5} {'lost':>5} {'extra':>5} "
              f"{'wrong':>5} {'warned':>6} {'alarms':>6} {'spur':>5}")
    lines = []
    randoms = [("random shape pages", random_pages(args.random)),
               ("random pages with photo captions", random_pages(args.random, "caption", captions=True)),
               ("random pages in narrow columns (8-11)", random_pages(args.random, "narrow", widths=(8, 11))),
               ("random pages in wide columns (20-30)", random_pages(args.random, "wide", widths=(20, 30))),
               ("random pages with leads", random_pages(args.random, "leads", leads=True)),
               ("random pages in the seed's layout", tail_pages(args.random)),
               ("the same with headlines at column breaks", tail_pages(args.random, "floating", floating=True)),
               ("the same with headlines between paragraphs of the article before",
                tail_pages(args.random, "between", between=True)),
               ("the same with headline lines printed apart", tail_pages(args.random, "gaps", gaps=True)),
               ("the same with headlines in place, leads displaced", tail_pages(args.random, "inplace", inplace=True)),
               ("the same with headlines printed tight above their text",
                tail_pages(args.random, "tight", tight=True)),
               ("the same with the displaced headlines and leads on top of the page",
                tail_pages(args.random, "top", top=True)),
               ("the same with punctuation in half the headlines", tail_pages(args.random, "punct", punct=True)),
               ] if args.random else []
    sets = [("shape pages", shape_pages()), *randoms, ("holdout pages", holdout_pages()),
            ("source pages", source_pages())]
    for name, pages in sets:
        lines.append(summary(scoring, name, bench_set(scoring, pages, args.pages)))
        print(lines[-1])
    if not args.no_blind:
        print(blind_bench(scripts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
