"""ParseResult.line_info (one LineInfo per raw line) and the extra keys of `parse --json`."""

import json

from conftest import SEED_RAW, run_cli
from noticepub.ingest import read_raw
from noticepub.model import LineRole
from noticepub.parse import parse_page
from noticepub.parse.text import ATTR_RE, tidy


def test_one_line_info_per_raw_line_pointing_at_its_paragraph():
    text = read_raw(SEED_RAW, 10_000_000)
    result = parse_page(text, "seed")
    raw = text.replace("\r\n", "\n").split("\n")
    assert [x.line for x in result.line_info] == list(range(1, len(raw) + 1))
    arts = {a.id: a for a in result.articles}
    roles = {x.role for x in result.line_info}
    assert {LineRole.BLANK, LineRole.HEADLINE, LineRole.LEAD, LineRole.BODY, LineRole.ATTRIBUTION} <= roles
    for x in result.line_info:
        line = ATTR_RE.sub("", tidy(raw[x.line - 1].strip())) or tidy(raw[x.line - 1].strip())
        if x.role == LineRole.BLANK:
            assert not line
        elif x.role == LineRole.BODY:
            assert x.paragraph is not None and line[:4] in arts[x.article_id].paragraphs[x.paragraph]
        elif x.role == LineRole.HEADLINE:
            assert line[:4] in arts[x.article_id].title
        elif x.role == LineRole.LEAD:
            assert line[:4] in arts[x.article_id].lead
        assert x.rule, x


def test_furniture_lines_are_furniture():
    page = "— 3 —\n\n民政部开展培训\n\n日前，民政部开展了培训\n工作，效果良好。\n"
    info = parse_page(page, "p").line_info
    assert info[0].role == LineRole.FURNITURE and info[0].article_id is None
    assert info[4].role == LineRole.BODY and info[4].article_id == "a1" and info[4].paragraph == 0


def test_json_has_line_info_evidence_and_the_new_article_keys(tmp_path):
    run = run_cli(tmp_path, "parse", str(SEED_RAW), "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert len(data["line_info"]) == len(read_raw(SEED_RAW, 10_000_000).split("\n"))
    assert {"line", "role", "article", "paragraph", "rule"} == set(data["line_info"][0])
    for a in data["articles"]:
        assert {"kicker", "byline", "speakers", "title", "paragraphs", "lead", "attribution"} <= set(a)
    assert all("evidence" in w for w in data["warnings"])
