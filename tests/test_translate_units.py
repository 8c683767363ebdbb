"""Segmentation, the PO translation memory and QA, without an engine."""

from pathlib import Path

import polib
import pytest

from noticepub.model import EDITED, PENDING, Article, NoticeMeta
from noticepub.settings import load_settings
from noticepub.translate import english_for_notice, notice_segments
from noticepub.translate import memory as tm
from noticepub.translate.glossary import Term
from noticepub.translate.qa import check_segment
from noticepub.translate.segment import split_sentences

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会议指出，《指南》的核心目标是“保健康、防重症”。《指南》充分吸收了经验。",
         ["会议指出，《指南》的核心目标是“保健康、防重症”。", "《指南》充分吸收了经验。"]),
        ("他说：“我们要努力。”随后离开。", ["他说：“我们要努力。”", "随后离开。"]),
        ("提供“累能歇脚、渴能喝水”等服务；支持企业培训。", ["提供“累能歇脚、渴能喝水”等服务；", "支持企业培训。"]),
        ("印发《关于做好工作的通知。附件》要求", ["印发《关于做好工作的通知。附件》要求"]),
        ("开展关怀慰问。为留岗农民工组织活动！真的吗？", ["开展关怀慰问。", "为留岗农民工组织活动！", "真的吗？"]),
        ("没有句号的标题", ["没有句号的标题"]),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected
    assert "".join(split_sentences(text)) == text


def _memory(tmp_path, entries):
    path = tmp_path / "en.po"
    memory = tm.Memory.load(path, "n1")
    memory.sync([tm.Segment(c, s) for c, s in entries])
    return memory, path


def test_memory_states_and_deterministic_bytes(tmp_path):
    memory, path = _memory(tmp_path, [("a1.title.1", "标题"), ("a1.p1.1", "第一句。")])
    assert memory.state("a1.title.1") == tm.PENDING
    memory.by_ctxt["a1.title.1"].msgstr = "Title"
    memory.set_machine("a1.p1.1", "First sentence.", "argos x 1.0")
    assert memory.state("a1.title.1") == tm.EDITED and memory.state("a1.p1.1") == tm.MACHINE
    data = memory.to_bytes()
    path.write_bytes(data)
    again = tm.Memory.load(path, "n1")
    again.sync([tm.Segment("a1.title.1", "标题"), tm.Segment("a1.p1.1", "第一句。")])
    assert again.to_bytes() == data  # stable: no dates, no reordering
    text = data.decode()
    assert '"Language: en\\n"' in text and "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    assert "POT-Creation-Date" not in text
    po = polib.pofile(text)
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_machine_never_overwrites_edited(tmp_path):
    memory, _ = _memory(tmp_path, [("a1.p1.1", "第一句。")])
    memory.by_ctxt["a1.p1.1"].msgstr = "Reviewed."
    assert not memory.needs_machine("a1.p1.1", "argos x 2.0")
    with pytest.raises(Exception, match="refusing to overwrite"):
        memory.set_machine("a1.p1.1", "machine", "argos x 2.0")


def test_changed_source_and_removed_segments(tmp_path):
    memory, path = _memory(tmp_path, [("a1.p1.1", "旧句子。"), ("a1.p2.1", "会删除的句子。")])
    memory.by_ctxt["a1.p1.1"].msgstr = "Old sentence."
    memory.by_ctxt["a1.p2.1"].msgstr = "A sentence to be removed."
    path.write_bytes(memory.to_bytes())
    memory = tm.Memory.load(path, "n1")
    memory.sync([tm.Segment("a1.p1.1", "新句子。")])
    entry = memory.by_ctxt["a1.p1.1"]
    assert entry.fuzzy and entry.previous_msgid == "旧句子。" and entry.msgstr == "Old sentence."
    assert memory.state("a1.p1.1") == tm.OUTDATED
    text = memory.to_bytes().decode()
    assert '#~ msgid "会删除的句子。"' in text and "A sentence to be removed." in text  # kept as obsolete


def test_english_for_notice_without_engine_marks_pending(tmp_path):
    settings = load_settings(REPO)
    article = Article("a1", "标题", None, None, ("第一句。第二句。",), "新华社")
    result = english_for_notice(NoticeMeta("n1"), (article,), tmp_path / "en.po", settings, engine=None)
    en = result.articles[0]
    assert [s.state for s in en.paragraphs[0]] == [PENDING, PENDING]
    assert result.report.counts == {"edited": 0, "machine": 0, "pending": 4}
    assert en.provenance.method == "pending"
    assert not (tmp_path / "en.po").exists()  # the function never writes; the build does
    assert [s.ctxt for s in notice_segments((article,))] == ["a1.title.1", "a1.p1.1", "a1.p1.2", "a1.attribution.1"]


def test_seed_has_an_edited_entry_for_every_segment():
    settings = load_settings(REPO)
    import json

    expected = json.loads((REPO / "tests" / "expected" / "seed.json").read_text(encoding="utf-8"))
    articles = tuple(Article(a["id"], a["title"], a["subtitle"], a["lead"], tuple(a["paragraphs"]), a["attribution"])
                     for a in expected["articles"])
    po = REPO / "source_texts" / "fdc91a8a205b8552" / "en.po"
    result = english_for_notice(NoticeMeta("fdc91a8a205b8552"), articles, po, settings, engine=None)
    assert result.report.counts == {"edited": 72, "machine": 0, "pending": 0}
    assert result.report.qa_findings == []
    assert result.po_bytes == po.read_bytes()
    assert all(span.state == EDITED for a in result.articles for p in a.paragraphs for span in p)


GLOSSARY = (Term("民政部门", ("civil affairs departments",)), Term("农民工", ("migrant workers",)),
            Term("民政部", ("Ministry of Civil Affairs",)))  # longest first, as load_glossary sorts them


@pytest.mark.parametrize(
    ("source", "english", "finding"),
    [
        ("在1月16日前发放。", "Paid before January 16.", None),
        ("在1月16日前发放。", "Paid before the 16th.", "not rendered as January"),
        ("按300%支付，每人300元。", "Pay 300% and 300 yuan per person.", None),
        ("约200人参加。", "About two hundred people attended.", "number 200 missing"),
        ("为农民工服务。", "Serving rural workers.", "glossary: 农民工"),
        ("民政部门和民政部。", "Civil affairs departments and the Ministry of Civil Affairs.", None),
        ("为农民工服务。", "为农民工服务。", "identical to the source"),
        ("为农民工服务。", "Serving 农民工 migrant workers.", "Chinese characters left"),
        ("为农民工服务。", "", "empty translation"),
    ],
)
def test_qa(source, english, finding):
    findings = check_segment(source, english, GLOSSARY)
    if finding is None:
        assert findings == []
    else:
        assert any(finding in f for f in findings), findings


def test_qa_command_passes_on_the_seed(tmp_project):
    from conftest import run_cli

    run = run_cli(tmp_project, "qa")
    assert run.returncode == 0, run.stdout
    assert "qa: 0 finding(s), 0 pending segment(s)" in run.stdout
