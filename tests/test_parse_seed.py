"""The seed page parsed into exactly the expected articles (tests/expected/seed.json is the contract).

The expected file was written from a line-by-line reading of the raw page and reviewed against it:
four articles in reading order (Ministry, Hebei, Jiangsu, Shanxi), displaced headlines and leads
attached by content, attributions split mid-line, Chinese typography restored.
"""

import json
import time

import pytest

from conftest import REPO, SEED_RAW, run_cli
from noticepub.ingest import read_raw
from noticepub.parse import explain_text, parse_page

EXPECTED = json.loads((REPO / "tests" / "expected" / "seed.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parsed():
    return parse_page(read_raw(SEED_RAW, 10_000_000), "source_texts/fdc91a8a205b8552/raw.txt")


def test_articles_in_reading_order(parsed):
    assert [a.title for a in parsed.articles] == [a["title"] for a in EXPECTED["articles"]]
    assert [a.attribution for a in parsed.articles] == ["民政部官网", "央广网", "江苏省民政厅", "中国新闻网"]


@pytest.mark.parametrize("index", range(4))
def test_each_article_exactly(parsed, index):
    got = parsed.articles[index]
    want = EXPECTED["articles"][index]
    assert got.id == want["id"]
    assert got.title == want["title"]
    assert got.subtitle == want["subtitle"]
    assert got.lead == want["lead"]
    assert list(got.paragraphs) == want["paragraphs"]
    assert got.attribution == want["attribution"]


def test_contract_details(parsed):
    ministry, hebei, jiangsu, shanxi = parsed.articles
    assert ministry.lead is None
    assert ministry.paragraphs[0].startswith("日前，民政部养老机构疫情防控工作专班")
    assert "切实把握好“乙类乙管”" in ministry.paragraphs[0]  # column break inside a sentence joined
    assert ministry.paragraphs[-1] == "省级民政部门分管负责同志、养老服务处相关同志约200人参加了培训。"
    assert len(hebei.paragraphs) == 7 and "7项暖心服务" in hebei.lead  # seven services, seven items
    assert hebei.paragraphs[0].startswith("开展关怀慰问。为留岗农民工")  # text after （据民政部官网）
    assert hebei.paragraphs[2] == ("强化就业帮扶。开展“春风行动”等专项活动，为农民工朋友提供便利的线上线下就业服务。"
                                   "鼓励农民工通过线上线下等方式参加技能培训，储备就业技能。")
    assert jiangsu.title == "江苏省未保办部署开展“童爱新春共护未来”2023年寒假春节期间困境儿童关爱服务活动"
    assert "“线上+线下”“阵地+入户”开展劳动教育" in jiangsu.paragraphs[2]
    assert "《关于进一步做好春节期间农民工返乡返岗保障工作的通知》（以下简称《通知》）" in shanxi.lead
    assert "乡镇（街道）就业服务站" in shanxi.paragraphs[3]
    assert "300%、200%支付" in shanxi.paragraphs[0] and "按每人300元" in shanxi.paragraphs[2]
    assert "在1月16日前" in shanxi.paragraphs[-1]


def test_text_is_chinese_typographic(parsed):
    for article in parsed.articles:
        for text in (article.title, article.lead or "", *article.paragraphs):
            assert " " not in text and "(" not in text and ")" not in text


def test_explain_names_the_rule_for_every_line(parsed):
    lines = SEED_RAW.read_text(encoding="utf-8").split("\n")
    assert len(parsed.decisions) == len(lines)
    text = explain_text(parsed)
    assert "column break (blank line inside a sentence)" in text
    assert "paragraph end (short line)" in text  # seed line 110 follows "活动。" without a blank line
    assert "attribution split" in text
    assert "lead matched to article 2 with score" in text
    assert "headline matched to article 4 with score" in text


def test_seed_parse_is_fast():
    text = read_raw(SEED_RAW, 10_000_000)
    parse_page(text, "seed")  # warm up imports
    start = time.perf_counter()
    for _ in range(5):
        parse_page(text, "seed")
    per_parse = (time.perf_counter() - start) / 5
    print(f"seed parse: {per_parse * 1000:.1f} ms")
    assert per_parse < 0.5  # generous for slow CI machines; typically ~15 ms


def test_geometry_is_learned_from_the_page():
    from noticepub.parse.layout import learn_geometry, read_lines

    geo = learn_geometry(read_lines(SEED_RAW.read_text(encoding="utf-8")))
    assert 12 <= geo.width <= 14  # about 13 em a line; squeezed punctuation
    assert 1 <= geo.indent <= 3


def test_every_text_line_is_provenance_of_an_article(parsed):
    text_lines = {i + 1 for i, line in enumerate(SEED_RAW.read_text(encoding="utf-8").split("\n")) if line.strip()}
    used = {n for a in parsed.articles for n in a.lines}
    assert used == text_lines
    assert parsed.articles[0].lines[:2] == (1, 2)
    assert 75 in parsed.articles[0].lines and 75 in parsed.articles[1].lines  # the shared attribution line


def test_cli_parse_json_matches_schema(tmp_project):
    run = run_cli(tmp_project, "parse", "source_texts/fdc91a8a205b8552/raw.txt", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) >= {"source", "articles", "dropped"}
    for article, want in zip(data["articles"], EXPECTED["articles"], strict=True):
        assert {k: article[k] for k in want} == want
    assert all(set(d) >= {"text", "reason"} for d in data["dropped"])


def test_cli_parse_explain(tmp_project):
    run = run_cli(tmp_project, "parse", "source_texts/fdc91a8a205b8552/raw.txt", "--explain")
    assert run.returncode == 0
    assert "paragraph end" in run.stdout and "headline" in run.stdout


def test_only_attribution_brackets_are_dropped(parsed):
    assert [(d.text, d.reason) for d in parsed.dropped] == [(d["text"], d["reason"]) for d in EXPECTED["dropped"]]
    assert all(d.text == "（据）" for d in parsed.dropped)
