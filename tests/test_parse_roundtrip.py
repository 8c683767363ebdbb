"""Round trip: re-set the expected articles as a raw page (layout generator), parse, get them back."""

import json
import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from noticepub.model import Article
from noticepub.parse import parse_page
from noticepub.parse.layoutgen import set_page

EXPECTED = json.loads((REPO / "tests" / "expected" / "seed.json").read_text(encoding="utf-8"))
ARTICLES = [
    Article(a["id"], a["title"], a["subtitle"], a["lead"], tuple(a["paragraphs"]), a["attribution"])
    for a in EXPECTED["articles"]
]


def _key(articles):
    return [(a.title, a.lead, tuple(a.paragraphs), a.attribution) for a in articles]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), width=st.integers(12, 16), data=st.data())
def test_reset_page_parses_back(seed, width, data):
    rng = random.Random(seed)
    count = data.draw(st.integers(1, 4))
    chosen = [replace(a, id=f"a{i + 1}") for i, a in enumerate(rng.sample(ARTICLES, count))]
    page = set_page(chosen, rng, width=width)
    result = parse_page(page, "generated")
    assert _key(result.articles) == _key(chosen)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**9))
def test_rotated_paragraphs_and_no_attribution(seed):
    """Bodies that differ from the seed's (paragraphs rotated) and an article without attribution."""
    rng = random.Random(seed)
    chosen = []
    for i, a in enumerate(rng.sample(ARTICLES, 3)):
        k = rng.randrange(len(a.paragraphs))
        chosen.append(replace(a, id=f"a{i + 1}", paragraphs=a.paragraphs[k:] + a.paragraphs[:k]))
    chosen[-1] = replace(chosen[-1], attribution=None)
    result = parse_page(set_page(chosen, rng), "generated")
    assert _key(result.articles) == _key(chosen)


def test_single_article_page_without_headline_or_attribution():
    page = "日前，某地民政部门开展\n了冬季走访慰问活动，为\n困难群众送去温暖。\n\n活动覆盖全市各区县。\n"
    result = parse_page(page, "one")
    assert len(result.articles) == 1
    assert result.articles[0].attribution is None
    assert result.articles[0].paragraphs == (
        "日前，某地民政部门开展了冬季走访慰问活动，为困难群众送去温暖。",
        "活动覆盖全市各区县。",
    )
