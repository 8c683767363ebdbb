"""Glossary loading and enforcement, segment QA, and `noticepub qa` on the seed."""

import pytest

from conftest import REPO, run_cli
from noticepub.errors import ConfigError
from noticepub.translate.glossary import Term, enforce, load_glossary, terms_in
from noticepub.translate.qa import check_segment

GLOSSARY = (
    Term("民政部门", ("civil affairs departments",)),
    Term("农民工", ("migrant workers",), avoid=("peasant workers",)),
    Term("民政部", ("Ministry of Civil Affairs",), avoid=("Ministry of Civil Administration",)),
)  # longest first, as load_glossary sorts them


@pytest.mark.parametrize(
    ("source", "english", "finding"),
    [
        ("在1月16日前发放。", "Paid before January 16.", None),
        ("在1月16日前发放。", "Paid before the 16th.", "date 1月 not rendered as January"),
        ("在1月16日前发放。", "Paid before January 6.", "number 16 missing"),
        ("按300%支付，每人300元。", "Pay 300% and 300 yuan per person.", None),
        ("按300%、200%支付。", "Pay 300 per cent and 200 percent.", None),
        ("按300%支付，每人300元。", "Pay 300 and 300 yuan per person.", "percentage 300%"),
        ("约200人参加。", "About two hundred people attended.", None),
        ("约200人参加。", "About twenty people attended.", "number 200 missing"),
        ("共投入150万元。", "A total of 1.5 million yuan was invested.", None),
        ("共投入150万元。", "A total of 1,500,000 yuan was invested.", None),
        ("共投入150万元。", "A total of 150 yuan was invested.", "number 150万 missing"),
        ("分三批，共3批。", "In three batches.", None),
        ("增长12.5%。", "Up twelve percent.", "percentage 12.5%"),
        ("增长20%。", "Up twenty per cent.", None),
        ("约1200人参加。", "About 1,200 people attended.", None),
        ("约２００人参加。", "About 200 people attended.", None),  # full-width digits in the source
        ("为农民工服务。", "Serving rural workers.", "glossary: 农民工"),
        ("民政部门和民政部。", "Civil affairs departments and the Ministry of Civil Affairs.", None),
        ("民政部门和民政部门。", "Civil affairs departments.", "(2 times)"),
        ("为农民工服务。", "为农民工服务。", "identical to the source"),
        ("为农民工服务。", "Serving 农民工 migrant workers.", "Chinese characters left"),
        ("为农民工服务。", "Serving migrant workers，too.", "Chinese characters left"),
        ("为农民工服务。", "", "empty translation"),
        ("加强对遭遇急难农民工的救助帮扶，开展留守老年人探访关爱。", "Help migrant workers.", "length ratio"),
    ],
)
def test_check_segment(source, english, finding):
    findings = check_segment(source, english, GLOSSARY)
    if finding is None:
        assert findings == []
    else:
        assert any(finding in f for f in findings), findings


def test_terms_in_prefers_longer_terms():
    assert [(t.zh, n) for t, n in terms_in("民政部门和民政部、民政部门", GLOSSARY)] == [("民政部门", 2), ("民政部", 1)]


def test_enforce_replaces_copied_terms_and_known_wrong_renderings():
    english = enforce("民政部关心农民工。", "The 民政部 cares for Peasant Workers.", GLOSSARY)
    assert english == "The Ministry of Civil Affairs cares for migrant workers."
    assert enforce("其他句子。", "peasant workers", GLOSSARY) == "peasant workers"  # term not in the source


def test_repo_glossary_loads_and_covers_the_seed_terms():
    terms = {t.zh: t for t in load_glossary(REPO / "source_texts" / "glossary.yml")}
    for zh in ("民政部", "养老机构", "乙类乙管", "联防联控机制", "农民工", "困境儿童", "留守儿童", "事实无人抚养儿童",
               "未保办", "人社厅", "春风行动", "央广网", "中国新闻网"):
        assert zh in terms
    assert terms["春风行动"].en[0] == "Spring Breeze Action"
    assert terms["乙类乙管"].en[0] == "Class B management for a Class B infectious disease"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("terms: {zh: 民政部}", "list under 'terms'"),
        ("terms:\n  - {zh: 民政部}\n", "'en' and 'avoid'"),
        ("terms:\n  - {zh: 民政部, en: x, colour: red}\n", "unknown key"),
        ("terms:\n  - {zh: 民政部, en: x}\n  - {zh: 民政部, en: y}\n", "listed twice"),
        ("terms: [\n", "malformed YAML at line 2"),
    ],
)
def test_bad_glossary_is_a_one_line_error_naming_the_file(tmp_path, text, problem):
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_glossary(path)
    assert str(path) in str(info.value) and problem in str(info.value) and "\n" not in str(info.value)


def test_qa_command_passes_on_the_seed(tmp_project):
    run = run_cli(tmp_project, "qa", "--strict")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "qa: 0 finding(s), 0 pending segment(s)" in run.stdout
    for article in ("a1", "a2", "a3", "a4"):
        assert f"fdc91a8a205b8552 {article}: ok (edited)" in run.stdout


def test_qa_command_reports_per_article_and_fails_under_strict(tmp_project):
    po = tmp_project / "source_texts" / "fdc91a8a205b8552" / "en.po"
    po.write_text(po.read_text(encoding="utf-8").replace("by January 16", "by mid-January"), encoding="utf-8")
    run = run_cli(tmp_project, "qa")
    assert run.returncode == 0  # a report; the build and `qa --strict` are the gates
    assert "fdc91a8a205b8552 a4: 1 finding(s)" in run.stdout and "a4.p9.1: number 16 missing" in run.stdout
    assert run_cli(tmp_project, "qa", "--strict").returncode == 1
