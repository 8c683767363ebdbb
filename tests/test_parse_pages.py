"""Real-style pages (tests/pages/*.txt) parse into exactly their expected articles (tests/pages/*.json).

The pages hold what real pages of the paper hold besides the seed's layout: articles without
attribution, running headers, staff lines, captions, headlines printed in place (with 「——」
subtitles and leads), continued articles, jump and cross-reference lines, and sub-headings. The
figures over all pages (and the seed) are printed: paragraph F1, title and lead accuracy, and
furniture characters found inside articles.
"""

import json
from pathlib import Path

import pytest

from conftest import REPO, SEED_RAW
from noticepub.parse import parse_page
from noticepub.parse.furniture import find_furniture
from noticepub.parse.layout import read_lines

PAGES = sorted((Path(__file__).resolve().parent / "pages").glob("*.txt"))
KEYS = ("title", "subtitle", "lead", "paragraphs", "attribution", "headings", "continued", "continued_from")


def _load(page: Path) -> tuple[str, list[dict]]:
    return page.read_text(encoding="utf-8"), json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["articles"]


def _got(text: str) -> list[dict]:
    data = parse_page(text, "page").to_json_dict()
    return [{k: a[k] for k in ("id", *KEYS)} for a in data["articles"]]


def scores(got: list[dict], want: list[dict]) -> dict[str, float]:
    g = [p for a in got for p in a["paragraphs"]]
    w = [p for a in want for p in a["paragraphs"]]
    hits = sum(min(g.count(p), w.count(p)) for p in set(w))
    f1 = 2 * hits / (len(g) + len(w)) if g or w else 1.0
    titles_w = [(a["title"], a["subtitle"]) for a in want]
    titles_g = [(a["title"], a["subtitle"]) for a in got]
    title_acc = sum(1 for t in titles_w if t in titles_g) / len(titles_w)
    leads_w = [a["lead"] for a in want if a["lead"]]
    leads_g = [a["lead"] for a in got if a["lead"]]
    lead_acc = sum(1 for x in leads_w if x in leads_g) / len(leads_w) if leads_w else 1.0
    return {"f1": f1, "titles": title_acc, "leads": lead_acc}


def furniture_chars_in_articles(text: str, got: list[dict]) -> int:
    """Characters of whole furniture lines (found by pattern, independent of the parse) inside article fields."""
    hits = [h.text for h in find_furniture(read_lines(text))]
    fields = "\n".join(x for a in got for x in (a["title"], a["subtitle"] or "", a["lead"] or "", *a["paragraphs"]))
    return sum(len(h) for h in hits if h and h.replace(" ", "") in fields.replace(" ", ""))


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_parses_exactly(page):
    text, want = _load(page)
    got = _got(text)
    assert [a["title"] for a in got] == [a["title"] for a in want]
    for g, w in zip(got, want, strict=True):
        assert {k: g[k] for k in KEYS} == {k: w[k] for k in KEYS}, g["id"]


def test_figures_over_all_pages():
    total = {"f1": 0.0, "titles": 0.0, "leads": 0.0}
    furniture = 0
    seed_want = json.loads((REPO / "tests" / "expected" / "seed.json").read_text(encoding="utf-8"))["articles"]
    cases = [_load(p) for p in PAGES] + [(SEED_RAW.read_text(encoding="utf-8"), seed_want)]
    for text, want in cases:
        got = _got(text)
        for k, v in scores(got, [{**a, "headings": a.get("headings", [])} for a in want]).items():
            total[k] += v
        furniture += furniture_chars_in_articles(text, got)
    figures = {k: round(v / len(cases), 3) for k, v in total.items()}
    print(f"pages {len(cases)}: paragraph F1 {figures['f1']}, titles {figures['titles']}, leads {figures['leads']}, "
          f"furniture characters in articles {furniture}")
    assert figures == {"f1": 1.0, "titles": 1.0, "leads": 1.0}
    assert furniture == 0
