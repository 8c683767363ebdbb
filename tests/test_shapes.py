"""The page shapes of issue 21, one generated page per case (tests/realpages.py: shape_specs, set by
tests/layoutgen.py): tables, interviews, kickers, briefs columns, continued articles with their headline
repeated, multi-line sub-headings, furniture anywhere, bylines on their own line, short headlines between
articles, extraction artifacts, pages with 5-6 articles.

Every page is read the way `noticepub parse` reads a file (ingest.decode_raw) and its articles compared
with the gold the generator made, in the shape of `parse --json`: kicker, title, subtitle, byline, lead,
paragraphs (a table as {"rows": [[cell, ...]]}, cells exactly as printed), attribution, headings,
continued, continued_from, speakers. Prose is compared with the whitespace next to Chinese characters
removed (justification spaces are the typography tests' business); cells, bylines (spaces between names
kept) and speaker labels exactly. Latin ligatures and full-width digits may be kept or folded (NFKC), but
the same way everywhere on a page.

Tests of shapes the parser does not handle yet are marked xfail (not strict) with reason "parser round 3";
remove a mark when its shape lands.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter

import pytest

from conftest import REPO
from layoutgen import LIGATURES, gold_json
from noticepub.ingest import decode_raw
from noticepub.parse import parse_page
from realpages import DATE, MASTHEAD, SECTION, STAFF_LINES, shape_page, shape_specs
from test_conservation import assert_conserved

ROUND3 = pytest.mark.xfail(strict=False, reason="parser round 3")
PAGES = list(shape_specs())
# Pages whose exact articles the parser branch does not give yet (remove a name as its shape lands).
PENDING: set[str] = set()

FOLD = LIGATURES + "０１２３４５６７８９"
SPACE_NEXT_TO_WIDE = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")


def _fold(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", ch) if ch in FOLD else ch for ch in s)


def _prose(s: str | None) -> str | None:
    return None if s is None else SPACE_NEXT_TO_WIDE.sub("", _fold(s)).strip()


def _comparable(articles: list[dict]) -> list[dict]:
    out = []
    for a in articles:
        out.append({
            "kicker": _prose(a["kicker"]), "title": _prose(a["title"]), "subtitle": _prose(a["subtitle"]),
            "byline": None if a["byline"] is None else " ".join(a["byline"].split()),
            "lead": _prose(a["lead"]),
            "paragraphs": [p if isinstance(p, dict) else _prose(p) for p in a["paragraphs"]],
            "attribution": a["attribution"], "headings": a["headings"], "continued": a["continued"],
            "continued_from": a["continued_from"], "speakers": a["speakers"]})
    return out


def _parse(page: str, name: str = "page.txt"):
    text = decode_raw(page.encode("utf-8"), name)
    return text, parse_page(text, name)


def _pending(names, pending=None) -> list:
    """``names`` as parameters, those in ``pending`` (default PENDING) marked ROUND3."""
    pending = PENDING if pending is None else pending
    return [pytest.param(n, marks=ROUND3) if n in pending else n for n in names]


# ------------------------------------------------------------------------------------- whole pages
@pytest.mark.parametrize("name", _pending(PAGES))
def test_shape_page_articles_exactly(name):
    _, page, gold = shape_page(name)
    _, result = _parse(page)
    got = _comparable(gold_json(list(result.articles)))
    want = _comparable(gold)
    assert [a["title"] for a in got] == [a["title"] for a in want]
    for g, w in zip(got, want, strict=True):
        assert g == w, w["title"]


@pytest.mark.parametrize("name", PAGES)
def test_shape_page_conserves_characters(name):
    _, page, _ = shape_page(name)
    text, result = _parse(page)
    assert_conserved(text, result)


# ------------------------------------------------------------------------------------- per shape
def _articles(name: str):
    _, page, gold = shape_page(name)
    text, result = _parse(page)
    return text, result, gold


def _by_title(result) -> dict:
    return {_prose(a.title): a for a in result.articles}


@pytest.mark.parametrize("name", ["table", "table-attribution", "crowded-5"])
def test_table_rows_exactly_as_printed(name):
    _, result, gold = _articles(name)
    want = {a["title"]: [p["rows"] for p in a["paragraphs"] if isinstance(p, dict)] for a in gold}
    got = {a.title: [[list(r) for r in rows] for _, rows in a.tables] for a in result.articles}
    for title, tables in want.items():
        if tables:
            assert got.get(title) == tables, title
    for a in result.articles:  # never merged with prose: no paragraph holds a row's cells glued together
        for i, p in enumerate(a.paragraphs):
            if i not in dict(a.tables):
                assert "城市低保标准农村低保标准" not in p and "发放人数发放金额" not in p


@pytest.mark.parametrize("name", ["table", "table-attribution"])
def test_table_title_unit_and_notes_are_paragraphs(name):
    _, result, gold = _articles(name)
    for w in gold:
        tables = [i for i, p in enumerate(w["paragraphs"]) if isinstance(p, dict)]
        if not tables:
            continue
        a = _by_title(result)[_prose(w["title"])]
        i = tables[0]
        assert [_prose(p) for p in a.paragraphs[i - 2:i]] == [_prose(p) for p in w["paragraphs"][i - 2:i]]
        assert _prose(a.paragraphs[i + 1]) == _prose(w["paragraphs"][i + 1])
        assert a.attribution == w["attribution"]


@pytest.mark.parametrize("name", ["interview-qa", "interview-named"])
def test_interview_one_paragraph_per_turn_with_its_speaker(name):
    _, result, gold = _articles(name)
    w = next(a for a in gold if a["speakers"])
    a = _by_title(result)[_prose(w["title"])]
    assert [{"paragraph": i, "speaker": s} for i, s in a.speakers] == w["speakers"]
    assert [_prose(p) for p in a.paragraphs] == [_prose(p) for p in w["paragraphs"]]
    assert a.byline == w["byline"]


@pytest.mark.parametrize("name", ["kicker", "kicker-displaced", "kicker-long", "bylines"])
def test_kicker_above_the_headline(name):
    _, result, gold = _articles(name)
    for w in gold:
        if not w["kicker"]:
            continue
        a = _by_title(result)[_prose(w["title"])]
        assert (a.kicker, _prose(a.subtitle), a.continued) == (w["kicker"], _prose(w["subtitle"]), False)
        assert not any(w["kicker"] in p for p in a.paragraphs)


@pytest.mark.parametrize("name", ["briefs", "briefs-news", "crowded-6"])
def test_briefs_column_items_are_articles_and_the_label_is_furniture(name):
    _, result, gold = _articles(name)
    assert [_prose(a.title) for a in result.articles] == [_prose(a["title"]) for a in gold]
    for a in result.articles:
        assert a.title not in ("简讯", "要闻简报")
        assert not any(p.startswith(("简讯", "要闻简报")) for p in a.paragraphs)
    labels = {d.text.strip() for d in result.dropped}
    assert labels & {"简讯", "要闻简报"}


@pytest.mark.parametrize("name", ["continued-headline", "continued-headline-1", "crowded-6"])
def test_repeated_headline_above_jump_line_titles_the_continued_article(name):
    _, result, gold = _articles(name)
    first, want = result.articles[0], gold[0]
    assert (first.title, first.continued, first.continued_from) == (want["title"], True, want["continued_from"])
    assert [_prose(p) for p in first.paragraphs] == [_prose(p) for p in want["paragraphs"]]
    assert all(a.title != want["title"] for a in result.articles[1:])  # not also an article of its own


def test_multi_line_subheadings_are_one_subheading():
    _, result, gold = _articles("subheadings")
    w = gold[0]
    a = _by_title(result)[_prose(w["title"])]
    assert list(a.headings) == w["headings"]
    assert [_prose(a.paragraphs[i]) for i in a.headings] == [_prose(w["paragraphs"][i]) for i in w["headings"]]


FURNITURE = {MASTHEAD, DATE, SECTION, *STAFF_LINES, "本版责编：王磊  校对：张敏",
             "本版责编：王磊  版式设计：刘洋  校对：张敏"}


@pytest.mark.parametrize("name", ["furniture-top", "furniture-between", "table", "crowded-5", "crowded-6",
                                  "briefs-news", "continued-headline-1"])
def test_mastheads_dates_section_labels_and_staff_lines_are_furniture(name):
    _, result, _ = _articles(name)
    for a in result.articles:
        fields = [a.kicker, a.title, a.subtitle, a.byline, a.lead, a.attribution, *a.paragraphs]
        text = "".join(_prose(f) or "" for f in fields)
        for f in FURNITURE:
            assert _prose(f) not in text, (a.id, f)
        for bit in ("本版责编", "版式设计", "校对："):
            assert bit not in text, (a.id, bit)


@pytest.mark.parametrize("name", ["bylines", "table", "interview-qa", "interview-named", "kicker"])
def test_byline_on_its_own_line_is_the_articles_byline(name):
    _, result, gold = _articles(name)
    for w in gold:
        a = _by_title(result).get(_prose(w["title"]))
        assert a is not None, w["title"]
        assert a.byline == w["byline"]
        if w["byline"]:
            assert _prose(a.paragraphs[0]) == _prose(w["paragraphs"][0])  # not glued to the first paragraph
    assert len(result.articles) == len(gold)  # a byline is never an article


@pytest.mark.parametrize("name", ["kicker", "bylines"])
def test_byline_inside_the_first_paragraph_stays_there(name):
    _, result, _ = _articles(name)
    a = next(a for a in result.articles if "尹翠莉" in "".join(a.paragraphs) + (a.byline or ""))
    assert a.byline is None
    assert _prose(a.paragraphs[0]).startswith("本报讯（记者尹翠莉）省民政厅")


@pytest.mark.parametrize("name", _pending(["short-headlines"]))
def test_short_unpunctuated_headlines_between_articles(name):
    _, result, gold = _articles(name)
    assert [_prose(a.title) for a in result.articles] == [_prose(a["title"]) for a in gold]
    for a, w in zip(result.articles, gold, strict=True):
        assert [_prose(p) for p in a.paragraphs] == [_prose(p) for p in w["paragraphs"]]


@pytest.mark.parametrize("name", _pending(["artifacts"]))
def test_artifacts_form_feed_page_number_ligatures_full_width_crlf(name):
    _, page, gold = shape_page(name)
    assert "\r\n" in page and "\f" in page  # the page really has them
    _, result = _parse(page)
    assert _comparable(gold_json(list(result.articles))) == _comparable(gold)
    out = "".join(p for a in result.articles for p in a.paragraphs)
    assert "\f" not in out and not any(re.fullmatch(r"\s*3\s*", p) for a in result.articles for p in a.paragraphs)
    kept = [ch for ch in out if ch in FOLD]
    printed = [ch for ch in page if ch in FOLD]
    assert kept == printed or not kept, "ligatures and full-width digits kept in some places, folded in others"


def test_artifacts_page_in_gb18030_parses_like_utf8():
    _, page, _ = shape_page("artifacts")
    utf8 = parse_page(decode_raw(page.encode("utf-8"), "a.txt"), "a.txt")
    gb = parse_page(decode_raw(page.encode("gb18030"), "a.txt"), "a.txt")
    assert gb.articles == utf8.articles


@pytest.mark.parametrize("name", ["crowded-5", "crowded-6"])
def test_pages_with_five_or_six_articles_have_them_all(name):
    _, result, gold = _articles(name)
    assert len(gold) >= 5
    assert [_prose(a.title) for a in result.articles] == [_prose(a["title"]) for a in gold]


# ------------------------------------------------------------------------------------- the contract
def test_parse_json_carries_the_round3_fields(tmp_path):
    """`noticepub parse --json` gives kicker, byline, speakers and tables as {"rows": ...} (the shape the
    blind bench and the golds read), the same articles as the parser's own model."""
    _, page, _ = shape_page("crowded-5")
    raw = tmp_path / "raw.txt"
    raw.write_bytes(page.encode("utf-8"))
    out = subprocess.run([sys.executable, "-m", "noticepub", "parse", str(raw), "--json"], capture_output=True,
                         text=True, cwd=REPO, timeout=120, check=True)
    got = json.loads(out.stdout)["articles"]
    assert all({"kicker", "byline", "speakers"} <= set(a) for a in got)
    _, result = _parse(page)
    assert [{k: a[k] for k in model} for a, model in zip(got, gold_json(list(result.articles)), strict=True)] \
        == gold_json(list(result.articles))


# ------------------------------------------------------------------------------------- the generator
def test_committed_shape_pages_are_what_the_generator_makes():
    """tests/shapes/*.txt and *.json (for people to read) are up to date: realpages.py --write-shapes."""
    for name in PAGES:
        shape, page, gold = shape_page(name)
        assert (REPO / "tests" / "shapes" / f"{name}.txt").read_bytes() == page.encode("utf-8"), name
        doc = json.loads((REPO / "tests" / "shapes" / f"{name}.json").read_text(encoding="utf-8"))
        assert doc == {"shape": shape, "articles": gold}, name


def test_generator_gold_and_furniture_hold_every_printed_character():
    """Each page's characters are exactly its gold's plus the furniture the generator added (header, staff
    lines, masthead, date, section labels, page numbers, column labels, jump lines): no text is lost or
    invented between the articles file and the gold."""
    for name in PAGES:
        _, placed, extras, _, _ = shape_specs()[name]
        _, page, gold = shape_page(name)
        furniture = [extras.header, extras.staff, extras.footer, extras.page_number_at_break,
                     *(f for f, _ in extras.furniture), *(p.label for p in placed),
                     f"（上接{extras.continued_from}）" if extras.continued_from else None]
        golden = [x for a in gold for x in (a["kicker"], a["title"], a["subtitle"], a["byline"], a["lead"]) if x]
        golden += ["据" + a["attribution"] for a in gold if a["attribution"]]  # printed as （据…）
        golden += [" ".join(" ".join(r) for r in p["rows"]) if isinstance(p, dict) else p
                   for a in gold for p in a["paragraphs"]]
        want = Counter(ch for ch in "".join(golden + [f for f in furniture if f]) if ch.isalnum())
        assert Counter(ch for ch in page if ch.isalnum()) == want, name
        assert len({a["title"] for a in gold}) == len(gold), name  # titles tell the articles apart


# ------------------------------------------------------------------------------------- the benchmark
def test_bench_parse_counts_wrong_and_warned_articles_as_the_blind_bench_does(monkeypatch):
    """scripts/bench_parse.py judges an article wrong exactly when the blind bench does (same scoring module),
    and counts a warning naming an article as covering it."""
    blind = REPO.parent / "shared" / "blindbench"
    if not (blind / "blindbench.py").is_file():
        pytest.skip("no ../shared/blindbench beside the project")
    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    monkeypatch.syspath_prepend(str(blind))
    import bench_parse  # noqa: I001 (both from the folders just put on the path)
    import blindbench

    scoring = bench_parse.load_scoring()
    for name in ("crowded-6", "briefs", "furniture-top"):
        _, page, gold = shape_page(name)
        pred = bench_parse.predict(bench_parse.Page(name, page.encode("utf-8"), {"articles": gold}))
        v, _ = bench_parse.verdicts(scoring, {"articles": gold}, pred)
        assert (sum(not ok for ok, _ in v), sum(w for ok, w in v if not ok)) == \
            blindbench._wrong_and_warned({"articles": gold}, pred)
        # a warning on every article: each wrong one is warned, each right one is a false alarm
        pred["warnings"] = [{"kind": "test", "article": a["id"]} for a in pred["articles"]]
        v, _ = bench_parse.verdicts(scoring, {"articles": gold}, pred)
        matched = len(dict(scoring.align([scoring.clean_article(a) for a in gold],
                                         [scoring.clean_article(a) for a in pred["articles"]])))
        assert sum(w for _, w in v) == matched
        # the gold against itself: every article right, none warned
        v, spurious = bench_parse.verdicts(scoring, {"articles": gold}, {"articles": gold, "warnings": []})
        assert v == [(True, False)] * len(gold) and spurious == 0


# ------------------------------------------------------------------------------------- the four source pages
SOURCES = sorted((REPO / "tests" / "shapes").glob("source-*.json"))
# Source pages the parser branch does not parse exactly yet (remove a name as it does).
SOURCES_PENDING: set[str] = set()


def _source(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    raw = REPO / gold["source"]
    return raw, gold


@pytest.mark.parametrize("gold_path", SOURCES, ids=[p.stem for p in SOURCES])
def test_source_page_gold_and_furniture_hold_every_character(gold_path):
    """The hand-read gold of each page added under source_texts/ for issue 21 (a table, an interview,
    kickers, a briefs column) plus its furniture lines account for every character of raw.txt."""
    raw, gold = _source(gold_path)
    text = decode_raw(raw.read_bytes(), raw.name)
    for line in gold["furniture"]:
        assert line in text.split("\n"), line
    parts = list(gold["furniture"])
    for a in gold["articles"]:
        parts += [x for x in (a["kicker"], a["title"], a["subtitle"], a["byline"], a["lead"]) if x]
        parts += ["据" + a["attribution"]] if a["attribution"] else []
        parts += [" ".join(" ".join(r) for r in p["rows"]) if isinstance(p, dict) else p for p in a["paragraphs"]]
    assert Counter(ch for ch in text if ch.isalnum()) == Counter(ch for ch in "".join(parts) if ch.isalnum())


@pytest.mark.parametrize("gold_path", SOURCES, ids=[p.stem for p in SOURCES])
def test_source_page_parses_and_conserves(gold_path):
    raw, _ = _source(gold_path)
    out = subprocess.run([sys.executable, "-m", "noticepub", "parse", str(raw), "--json"], capture_output=True,
                         text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["articles"]
    text, result = _parse(raw.read_text(encoding="utf-8"), raw.name)
    assert_conserved(text, result)


@pytest.mark.parametrize("gold_path", [pytest.param(p, marks=ROUND3) if p.stem in SOURCES_PENDING else p
                                       for p in SOURCES], ids=[p.stem for p in SOURCES])
def test_source_page_articles_exactly(gold_path):
    raw, gold = _source(gold_path)
    _, result = _parse(raw.read_text(encoding="utf-8"), raw.name)
    got = _comparable(gold_json(list(result.articles)))
    want = _comparable(gold["articles"])
    assert [a["title"] for a in got] == [a["title"] for a in want]
    for g, w in zip(got, want, strict=True):
        assert g == w, w["title"]


# ------------------------------------------------------------------------------------- random shape pages
@pytest.mark.parametrize("captions", [False, True])
def test_random_shape_pages_mostly_exact(captions):
    """40 random pages mixing every shape (realpages.random_shape_page), without and with photo captions
    after four in ten articles: at least 90 % parse into exactly their gold articles (the issue's bar for
    hidden pages is paragraph F1 0.95, titles 0.90)."""
    exact = []
    for seed in range(40):
        from realpages import random_shape_page

        page, gold = random_shape_page(seed, captions=captions)
        _, result = _parse(page)
        exact.append(_comparable(gold_json(list(result.articles))) == _comparable(gold))
    assert sum(exact) >= 36, f"{sum(exact)}/40 exact; wrong: {[i for i, ok in enumerate(exact) if not ok]}"


@ROUND3
def test_warnings_cover_wrong_articles_and_spare_right_ones(monkeypatch):
    """Over the shape pages and 40 random shape pages: a warning names at least 90 % of the wrongly parsed
    articles and at most 10 % of the right ones (issue 21's bar for hidden pages), counted as
    scripts/bench_parse.py and the blind bench count them."""
    blind = REPO.parent / "shared" / "blindbench"
    if not (blind / "scoring.py").is_file():
        pytest.skip("no ../shared/blindbench beside the project")
    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    import bench_parse

    scoring = bench_parse.load_scoring()
    verdicts = []
    for page in bench_parse.shape_pages() + bench_parse.random_pages(40):
        pred = bench_parse.predict(page)
        verdicts += bench_parse.verdicts(scoring, page.gold, pred or {"articles": []})[0]
    wrong = [w for ok, w in verdicts if not ok]
    right = [w for ok, w in verdicts if ok]
    assert sum(wrong) >= 0.9 * len(wrong), f"{sum(wrong)} of {len(wrong)} wrong articles warned"
    assert sum(right) <= 0.1 * len(right), f"{sum(right)} of {len(right)} right articles warned"


def _generated(articles: list[tuple[str, str]], seed: int, width: int = 14):
    """Parse a page the generator sets from (article key in tests/pages or tests/shapes articles.yml, place):
    (the parse result, the gold articles)."""
    import random

    from layoutgen import Placed, expected_articles, set_real_page
    from realpages import SHAPES, Extras, load_articles

    known = {**load_articles(), **load_articles(SHAPES / "articles.yml")}
    placed = [Placed(known[key], place) for key, place in articles]
    page = set_real_page(placed, random.Random(seed), width=width, extras=Extras())
    return _parse(page)[1], gold_json(expected_articles(placed, Extras()))


@pytest.mark.parametrize("seed", range(6))
def test_kicker_wider_than_the_column_on_a_headline_in_place(seed):
    """A two-part kicker set across columns (wider than any body line, no punctuation) above a headline
    printed in place: the pair is still a headline, never a sub-heading of the article above."""
    result, want = _generated([("training", "top"), ("relief-long-kicker", "inplace"), ("disability", "inplace")],
                              seed)

    def title(kicker: str | None, text: str) -> str:  # a space between a kicker's two phrases may go
        return re.sub(r"\s", "", (kicker or "") + text)

    assert [title(a.kicker, a.title) for a in result.articles] == [title(w["kicker"], w["title"]) for w in want]
    assert [list(a.paragraphs) for a in result.articles] == [w["paragraphs"] for w in want]


@pytest.mark.parametrize("seed", range(6))
def test_byline_below_a_finished_article_starts_the_next_one(seed):
    """A byline on its own line between two bodies, its article's headline displaced to the page end: the
    article above ends at the byline, and the text below it is the byline's article (never the tail of
    the article above)."""
    result, want = _generated([("training", "top"), ("kunming-byline", "displaced"), ("volunteers", "displaced")],
                              seed)
    assert [(a.title, a.byline, list(a.paragraphs)) for a in result.articles] == \
        [(w["title"], w["byline"], w["paragraphs"]) for w in want]


@pytest.mark.parametrize("seed", [22, 34])
def test_headline_above_a_full_first_line_after_an_attribution_or_column_label(seed):
    """「西城区举办集体颁证仪式」 above a first line that comes out full width (「5 月20 日，…」: digits and stray
    spaces): after an article closed by （据…） (seed 34) or below a 简讯 label (seed 22) no sentence goes
    on, so the short line is the next item's headline, not the first words of a paragraph."""
    from realpages import random_shape_page

    page, gold = random_shape_page(seed)
    _, result = _parse(page)
    (want,) = [w for w in gold if w["title"] == "西城区举办集体颁证仪式"]
    got = _by_title(result)["西城区举办集体颁证仪式"]
    assert list(got.paragraphs) == want["paragraphs"]


@pytest.mark.parametrize(("seed", "title"), [(6, "我省村务监督委员会实现全覆盖"), (7, "福州启动孤独症儿童关爱项目")])
def test_first_line_under_a_tight_headline_or_byline_stays_body(seed, title):
    """Seed 6: a byline printed right above its first paragraph (「本报记者 刘洋 通讯员 孙强」) is a byline,
    never taken for a headline printed tight above its paragraph. Seed 7: a brief's headline, then its
    paragraph's indented first line, then a column break: the first line is the paragraph's, not the
    headline's second line."""
    from realpages import random_shape_page

    page, gold = random_shape_page(seed)
    _, result = _parse(page)
    (want,) = [w for w in gold if w["title"] == title]
    got = _by_title(result)[title]
    assert (got.byline, list(got.paragraphs)) == (want["byline"], want["paragraphs"])


@pytest.mark.parametrize("seed", range(4))
def test_headlines_in_place_in_wide_columns(seed):
    """Columns of 27 characters, paragraphs whose first lines come out full: a headline much shorter than the
    column (昆明推进“一老一小”服务融合, 14 of 27 characters) above such a paragraph is still a headline, never
    "a column break" (only a line as long as a paragraph's first line goes on across one). The 7-character
    冬季救助不停歇 is left out: with no other evidence it reads as a sub-heading (see short-headlines)."""
    result, want = _generated([("relief-long-kicker", "top"), ("village-kicker", "inplace"),
                               ("kunming-byline", "inplace"), ("short-winter", "inplace")], seed, width=27)
    titles = [_prose(a.title) for a in result.articles]
    assert titles[:3] == [_prose(w["title"]) for w in want][:3]
    assert not any("goes on with a full line" in x.rule for x in result.line_info if x.role == "subheading")


def test_a_line_opening_with_reporter_and_a_preposition_is_no_byline():
    """「记者从省民政」 / 「厅获悉，…」 (a narrow column) is a paragraph's first line, not a byline 记者 + name."""
    from noticepub.parse.layout_rules import BYLINE_RE

    assert not BYLINE_RE.fullmatch("记者从省民政") and not BYLINE_RE.fullmatch("记者获悉今年")
    assert all(BYLINE_RE.fullmatch(t) for t in ("本报记者 张三 李四", "记者 陈斌", "本报记者 刘洋 通讯员 孙强",
                                                "（昆明日报 记者李杭蓉）"))


@pytest.mark.parametrize("widths", [(8, 11), (20, 30)])
def test_random_pages_in_narrow_and_wide_columns_parse_with_nothing_lost(widths):
    """40 random shape pages re-set in narrow (8-11) and wide (20-30) columns: every page parses (none is
    refused for lost characters: a lead taken for a headline that a later rule demoted stays body text,
    wide-32), and paragraph F1 holds up (bench_parse prints the figures)."""
    from realpages import random_shape_page

    for seed in range(40):
        page, _ = random_shape_page(seed, widths=widths)
        text, result = _parse(page)
        assert_conserved(text, result)


def test_table_note_wrapped_onto_a_one_character_line_in_a_narrow_column():
    """「数据来源：省民政」 / 「厅」: the note's last line is one character, not the indented first line of the
    paragraph below (narrow page 2): the note is one paragraph and the paragraph below keeps its text."""
    from realpages import random_shape_page

    page, gold = random_shape_page(2, widths=(8, 11))
    _, result = _parse(page)
    first = result.articles[0]
    assert "数据来源：省民政厅" in first.paragraphs
    assert [p for p in gold[0]["paragraphs"] if isinstance(p, str)][-1] == first.paragraphs[-1]
