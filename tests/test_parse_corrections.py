"""Maintainer corrections in notice.yml: schema, line checks, the corrected parse, unneeded corrections,
--explain, the CLI and the build."""

import json

import pytest
import yaml

from conftest import run_cli
from noticepub.errors import InputError
from noticepub.meta import parse_notice_yml
from noticepub.parse import explain_text, parse_page
from noticepub.parse.corrections import parse_corrections

PAGE = """社区养老服务站投入使用

日前，某市首批社区养老服务
站投入使用，为辖区老年人提供
助餐、助浴、日间照料等服务。

老年大学扩招

今年秋季，市老年大学新增课
程三十门，招生规模比去年扩大
一倍，报名人数创历年新高。
"""
FIX = {"headlines": {9: [7]}}


def test_the_parser_reads_the_short_headline_as_a_sub_heading():
    (article,) = parse_page(PAGE, "p").articles
    assert article.headings == (1,) and article.paragraphs[1] == "老年大学扩招"


def test_a_correction_makes_it_the_headline_of_a_second_article():
    result = parse_page(PAGE, "p", corrections=parse_corrections(FIX, "n/notice.yml"))
    assert [a.title for a in result.articles] == ["社区养老服务站投入使用", "老年大学扩招"]
    assert result.articles[1].paragraphs == (
        "今年秋季，市老年大学新增课程三十门，招生规模比去年扩大一倍，报名人数创历年新高。",)
    assert result.articles[0].headings == ()
    text = explain_text(result)
    assert "maintainer correction" in text
    assert not [w for w in result.warnings if w.kind == "correction-not-needed"]


def test_furniture_join_split_and_article_start():
    c = parse_corrections({"furniture": ["7"], "split": [4], "join": [[9, 10]]}, "n/notice.yml")
    result = parse_page(PAGE, "p", corrections=c)
    a = result.articles[0]
    assert "老年大学扩招" not in "".join(a.paragraphs)
    assert a.paragraphs[0] == "日前，某市首批社区养老服务"  # split at line 4
    assert ("老年大学扩招", "page furniture: maintainer correction in notice.yml") in [(d.text, d.reason) for d in
                                                                                   result.dropped]
    unneeded = [w.message for w in result.warnings if w.kind == "correction-not-needed"]
    assert any("corrections.join [9, 10]" in m for m in unneeded)  # lines 9 and 10 are one paragraph anyway


def test_unneeded_corrections_are_reported():
    c = parse_corrections({"article_starts": [3], "split": [9]}, "n/notice.yml")
    result = parse_page(PAGE, "p", corrections=c)
    messages = [w.message for w in result.warnings if w.kind == "correction-not-needed"]
    assert any("corrections.article_starts 3 is no longer needed" in m for m in messages)
    assert any("corrections.split 9 is no longer needed" in m for m in messages)
    assert all(m.startswith("n/notice.yml: ") for m in messages)


@pytest.mark.parametrize("raw,needle", [
    ({"furniture": ["13-x"]}, "corrections.furniture"),
    ({"headlines": [7]}, "corrections.headlines"),
    ({"join": [[5, 3]]}, "corrections.join"),
    ({"colour": [1]}, "unknown key 'corrections.colour'"),
    ({"split": [True]}, "corrections.split"),
])
def test_schema_errors_name_the_key(raw, needle):
    with pytest.raises(InputError) as err:
        parse_corrections(raw, "n/notice.yml")
    assert needle in str(err.value) and "\n" not in str(err.value) and str(err.value).startswith("n/notice.yml: ")


@pytest.mark.parametrize("raw,needle", [
    ({"furniture": [99]}, "line 99 does not exist"),
    ({"furniture": [2]}, "line 2 is blank"),
    ({"furniture": [7], "headlines": {9: [7]}}, "line 7 is also in"),
    ({"furniture": [9], "article_starts": [9]}, "line 9 is also in"),
])
def test_line_errors(raw, needle):
    with pytest.raises(InputError, match=needle):
        parse_page(PAGE, "p", corrections=parse_corrections(raw, "n/notice.yml"))


def test_notice_yml_key():
    meta = parse_notice_yml(yaml.safe_dump({"corrections": FIX}).encode(), "n/notice.yml", "n")
    assert meta.corrections.headlines == ((9, (7,)),)
    with pytest.raises(InputError, match="corrections.furniture"):
        parse_notice_yml(b"corrections:\n  furniture: [x]\n", "n/notice.yml", "n")


def test_cli_applies_notice_yml_next_to_the_file(tmp_path):
    folder = tmp_path / "page"
    folder.mkdir()
    (folder / "raw.txt").write_text(PAGE, encoding="utf-8")
    (folder / "notice.yml").write_text(yaml.safe_dump({"corrections": FIX}), encoding="utf-8")
    run = run_cli(tmp_path, "parse", "page/raw.txt", "--json")
    assert run.returncode == 0, run.stderr
    assert [a["title"] for a in json.loads(run.stdout)["articles"]] == ["社区养老服务站投入使用", "老年大学扩招"]
    run = run_cli(tmp_path, "parse", "page/raw.txt", "--json", "--no-corrections")
    assert len(json.loads(run.stdout)["articles"]) == 1
    other = tmp_path / "other.yml"
    other.write_text("corrections:\n  furniture: [7]\n", encoding="utf-8")
    run = run_cli(tmp_path, "parse", "page/raw.txt", "--meta", "other.yml", "--explain")
    assert "furniture: maintainer correction" in run.stdout
    run = run_cli(tmp_path, "parse", "page/raw.txt", "--disable", "nonsense")
    assert run.returncode == 2 and "no rule named 'nonsense'" in run.stderr and "Traceback" not in run.stderr
    run = run_cli(tmp_path, "parse", "--rules")
    assert run.returncode == 0 and "global split" in run.stdout


def test_build_shows_corrected_articles_and_parse_warnings(tmp_project):
    folder = tmp_project / "source_texts" / "corrected-page"
    folder.mkdir()
    (folder / "raw.txt").write_text(PAGE, encoding="utf-8")
    (folder / "notice.yml").write_text(yaml.safe_dump({"corrections": {**FIX, "split": [9]}}), encoding="utf-8")
    run = run_cli(tmp_project, "build", "--only", "corrected-page")
    assert run.returncode == 0, run.stderr
    docs = "".join(p.read_text(encoding="utf-8") for p in (tmp_project / "docs").rglob("*.md"))  # readable slugs
    assert "老年大学扩招" in docs
    assert "corrected-page: parse: - (raw.txt lines 9): " in run.stdout + run.stderr
    strict = run_cli(tmp_project, "build", "--only", "corrected-page", "--strict")
    assert strict.returncode == 1 and "corrections.split 9 is no longer needed" in strict.stderr


@pytest.mark.parametrize("raw", [{"furniture": ["1-1000000000"]}, {"split": [10**30]}, {"headlines": {9: ["5-900000000"]}}])
def test_a_huge_range_is_refused_before_it_is_expanded(raw):
    import time

    t = time.perf_counter()
    with pytest.raises(InputError) as err:
        parse_corrections(raw, "n/notice.yml")
    assert time.perf_counter() - t < 0.5
    msg = str(err.value)
    assert msg.startswith("n/notice.yml: ") and "\n" not in msg and "past the end of any page" in msg and len(msg) < 200


def test_a_range_past_the_page_names_its_line_count():
    with pytest.raises(InputError, match=r"line 40 does not exist \(raw.txt has 12 lines\)"):
        parse_page(PAGE, "p", corrections=parse_corrections({"furniture": ["10-40"]}, "n/notice.yml"))


def test_a_needed_join_is_not_reported_and_an_unneeded_split_is():
    page = PAGE.replace("助餐、助浴、日间照料等服务。", "助餐、助浴、日间照料等服务。\n\n这是新段落。")
    plain = parse_page(page, "p")
    assert "这是新段落。" in plain.articles[0].paragraphs
    c = parse_corrections({"join": [[5, 7]], "split": [11]}, "n/notice.yml")
    result = parse_page(page, "p", corrections=c)
    assert "助餐、助浴、日间照料等服务。这是新段落。" in result.articles[0].paragraphs[0]
    messages = [w.message for w in result.warnings if w.kind == "correction-not-needed"]
    assert not any("join" in m for m in messages)


def test_a_correction_does_not_move_the_geometry_of_untouched_lines():
    from noticepub.parse.pipeline import run
    from noticepub.parse.state import PageState

    rules = __import__("noticepub.parse.pipeline", fromlist=["DEFAULT_RULES"]).DEFAULT_RULES
    plain = PageState.start(PAGE, "p", rules, None)
    run(plain, rules)
    fixed = PageState.start(PAGE, "p", rules, parse_corrections({"furniture": [7], "split": [4]}, "n/notice.yml"))
    run(fixed, rules)
    assert fixed.geo == plain.geo


ROLES_PAGE = """社区养老服务站投入使用
服务站投入使用

本报记者 张三

日前，某市首批社区养老服务
站投入使用，为辖区老年人提供
助餐、助浴、日间照料等服务。

老年大学扩招

今年秋季，市老年大学新增课
程三十门，招生规模比去年扩大
一倍，报名人数创历年新高。
市老龄办
"""


def _roles(roles: dict):
    return parse_page(ROLES_PAGE, "p", corrections=parse_corrections({"roles": roles}, "n/notice.yml"))


def test_roles_reach_every_field():
    result = _roles({"1": "kicker", "2": "headline", "4": "byline", "10": "headline", "15": "attribution"})
    a, b = result.articles
    assert (a.kicker, a.title, a.byline) == ("社区养老服务站投入使用", "服务站投入使用", "本报记者 张三")
    assert (b.title, b.attribution) == ("老年大学扩招", "市老龄办")
    assert b.paragraphs == ("今年秋季，市老年大学新增课程三十门，招生规模比去年扩大一倍，报名人数创历年新高。",)
    assert [x.role for x in result.line_info[:4]] == ["kicker", "headline", "blank", "byline"]
    unneeded = " ".join(w.message for w in result.warnings if w.kind == "correction-not-needed")
    assert "roles 1: kicker" not in unneeded and "roles 15: attribution" not in unneeded
    assert "roles 2: headline is no longer needed" in unneeded  # the parser reads line 2 as the headline anyway


def test_roles_subtitle_subheading_body_and_table():
    a = _roles({"2": "subtitle"}).articles[0]
    assert (a.title, a.subtitle) == ("社区养老服务站投入使用", "服务站投入使用")
    plain = parse_page(ROLES_PAGE, "p").articles[0]
    assert 10 in [x.line for x in parse_page(ROLES_PAGE, "p").line_info if x.role == "subheading"]
    not_heading = _roles({"10": "body"}).articles[0]
    assert not_heading.headings == () and plain.headings != ()
    table = _roles({"6-7": "table"}).articles[0]
    (i, rows), = table.tables
    assert rows == (("日前，某市首批社区养老服务",), ("站投入使用，为辖区老年人提供",))


def test_roles_schema_errors():
    for raw, needle in (({"roles": {"3": "colour"}}, "a role is one of"), ({"roles": ["3"]}, "corrections.roles"),
                        ({"roles": {"1-900000000": "body"}}, "past the end of any page")):
        with pytest.raises(InputError, match=needle):
            parse_corrections(raw, "n/notice.yml")
    with pytest.raises(InputError, match="line 99 does not exist"):
        _roles({"99": "body"})
    with pytest.raises(InputError, match="is also in"):
        parse_page(ROLES_PAGE, "p", corrections=parse_corrections({"roles": {"4": "byline"}, "furniture": [4]},
                                                                  "n/notice.yml"))


def test_a_role_the_parser_agrees_with_is_reported_as_not_needed():
    result = _roles({"4": "byline", "10": "headline"})
    messages = [w.message for w in result.warnings if w.kind == "correction-not-needed"]
    assert any("corrections.roles 4: byline is no longer needed" in m for m in messages)
    assert not any("roles 10" in m for m in messages)
