"""Pages written by a maintainer independently of the parser and of tests/layoutgen.py (tests/holdout/).

Scored the way real pages are judged: paragraph F1, titles, leads, furniture characters inside
articles; and the new article fields (sub-headings, continued articles) exactly.
"""

import json
import re
import sys
from pathlib import Path

import pytest

from noticepub.parse import parse_page

HOLDOUT = Path(__file__).parent / "holdout"
sys.path.insert(0, str(HOLDOUT))
from evaluate import score  # noqa: E402

PAGES = sorted(HOLDOUT.glob("*.txt"))


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_holdout_page_scores(page):
    s = score(page)
    assert (s.paragraph_f1, s.titles, s.leads, s.furniture_chars) == (1.0, 1.0, 1.0, 0)


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_holdout_page_articles_exactly(page):
    want = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["articles"]
    got = parse_page(page.read_text(encoding="utf-8"), page.name).articles
    by_title = {a.title: a for a in got}
    assert sorted(by_title) == sorted(a["title"] for a in want)
    for w in want:
        a = by_title[w["title"]]
        assert [re.sub(r"\s", "", p) for p in a.paragraphs] == [re.sub(r"\s", "", p) for p in w["paragraphs"]]
        assert (a.subtitle, a.lead, a.attribution) == (w["subtitle"], w["lead"], w["attribution"])
        assert (list(a.headings), a.continued, a.continued_from) == (w["headings"], w["continued"], w["continued_from"])
