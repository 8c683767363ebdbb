"""Byte-stable PO files: a translator's save (Poedit style) survives build and translate untouched;
an update keeps the translator's header fields and wraps exactly as msgcat / Poedit (79 columns)."""

from __future__ import annotations

import difflib
import random
import shutil
import subprocess

import polib
import pytest

from conftest import REPO, SEED_ID, run_cli
from noticepub.model import NoticeMeta
from noticepub.translate import english_for_notice
from noticepub.translate.memory import Memory
from noticepub.translate.powrap import rewrap, wrap_field

SEED_PO = REPO / "source_texts" / SEED_ID / "en.po"
POEDIT_HEADER = (
    '"Project-Id-Version: noticepub fdc91a8a205b8552\\n"\n'
    '"Report-Msgid-Bugs-To: \\n"\n'
    '"POT-Creation-Date: \\n"\n'
    '"PO-Revision-Date: 2026-11-28 18:02+0800\\n"\n'
    '"Last-Translator: Li Wei <li.wei@example.org>\\n"\n'
    '"Language-Team: English <en@li.org>\\n"\n'
    '"Language: en\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    '"X-Generator: Poedit 3.4.2\\n"\n'
)
MSGCAT = shutil.which("msgcat")
needs_msgcat = pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) is not installed")


def poedit_style(text: str) -> str:
    """The seed's PO file as Poedit saves it: strings wrapped at 79 columns, Poedit's header fields."""
    wrapped = rewrap(text)
    head, _, body = wrapped.partition('msgstr ""\n')
    header_end = body.index("\n\n")
    return head + 'msgstr ""\n' + POEDIT_HEADER + body[header_end + 1:]


def _seed_articles():
    from noticepub.ingest import read_raw
    from noticepub.parse import parse_page

    return parse_page(read_raw(REPO / "source_texts" / SEED_ID / "raw.txt", 10_000_000), "seed").articles


def _english(po_path, articles=None):
    from noticepub.settings import load_settings

    return english_for_notice(NoticeMeta(SEED_ID), articles or _seed_articles(), po_path, load_settings(REPO))


def test_poedit_saved_file_is_returned_byte_for_byte(tmp_path):
    po = tmp_path / "en.po"
    data = poedit_style(SEED_PO.read_text(encoding="utf-8")).encode("utf-8")
    assert b'"X-Generator: Poedit 3.4.2\\n"' in data and data.count(b"\n") > SEED_PO.read_bytes().count(b"\n")
    po.write_bytes(data)
    assert _english(po).po_bytes == data


def test_unwrapped_file_is_also_kept_while_nothing_changes(tmp_path):
    po = tmp_path / "en.po"
    po.write_bytes(SEED_PO.read_bytes())
    assert _english(po).po_bytes == SEED_PO.read_bytes()


def test_update_keeps_translator_headers_and_diff_shows_only_the_changed_entry(tmp_path):
    po = tmp_path / "en.po"
    before = poedit_style(SEED_PO.read_text(encoding="utf-8"))
    po.write_text(before, encoding="utf-8")
    # a translator reviews one machine entry in Poedit: edit msgstr of a1.p1.2
    memory = Memory.load(po, SEED_ID)
    memory.by_ctxt["a1.p1.2"].msgstr = "Yu Jianliang presided over the training and gave the closing speech."
    after = memory.to_bytes().decode("utf-8")
    for field in ("PO-Revision-Date: 2026-11-28 18:02+0800", "Last-Translator: Li Wei <li.wei@example.org>",
                  "Language-Team: English <en@li.org>", "X-Generator: Poedit 3.4.2", "POT-Creation-Date: "):
        assert field in after
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        '-msgstr ""',
        '-"Yu Jianliang, Director-General of the Department of Elderly Care Services of "',
        '-"the Ministry of Civil Affairs, presided over the training and delivered "',
        '-"concluding remarks."',
        '+msgstr "Yu Jianliang presided over the training and gave the closing speech."',
    ]


def test_changed_source_rewrites_only_its_entry(tmp_path):
    po = tmp_path / "en.po"
    before = poedit_style(SEED_PO.read_text(encoding="utf-8"))
    po.write_text(before, encoding="utf-8")
    from dataclasses import replace

    articles = list(_seed_articles())
    first = articles[0]
    articles[0] = replace(first, paragraphs=(first.paragraphs[0].replace("总结讲话。", "重要讲话。"),
                                             *first.paragraphs[1:]))
    after = _english(po, tuple(articles)).po_bytes.decode("utf-8")
    assert after != before
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert diff == [
        '+#, fuzzy',
        '+#| msgid "民政部养老服务司司长俞建良主持培训并作总结讲话。"',
        '-msgid "民政部养老服务司司长俞建良主持培训并作总结讲话。"',
        '+msgid "民政部养老服务司司长俞建良主持培训并作重要讲话。"',
        '+',  # the reviewed entry as it was, kept obsolete at the end: reverting the change restores it
        '+#~ msgctxt "a1.p1.2"',
        '+#~ msgid "民政部养老服务司司长俞建良主持培训并作总结讲话。"',
        '+#~ msgstr ""',
        '+#~ "Yu Jianliang, Director-General of the Department of Elderly Care Services "',
        '+#~ "of the Ministry of Civil Affairs, presided over the training and "',
        '+#~ "delivered concluding remarks."',
    ]
    assert "X-Generator: Poedit 3.4.2" in after


def test_build_and_translate_leave_a_poedit_file_byte_identical(tmp_project):
    po = tmp_project / "source_texts" / SEED_ID / "en.po"
    data = poedit_style(po.read_text(encoding="utf-8")).encode("utf-8")
    po.write_bytes(data)
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    assert po.read_bytes() == data
    assert "translation memories written" not in build.stdout
    translate = run_cli(tmp_project, "translate")  # nothing pending: needs no model, writes nothing
    assert translate.returncode == 0, translate.stderr
    assert po.read_bytes() == data
    assert run_cli(tmp_project, "build", "--check").returncode == 0


@needs_msgcat
def test_normal_form_equals_msgcat_on_the_seed():
    text = SEED_PO.read_text(encoding="utf-8")
    ours = rewrap(text)
    theirs = subprocess.run([MSGCAT, "-w", "79", "-"], input=text, capture_output=True, text=True, check=True).stdout
    assert ours == theirs
    assert ours != text  # the seed's file is unwrapped: the comparison is not trivial


@needs_msgcat
@pytest.mark.parametrize("seed", range(6))
def test_wrapping_equals_msgcat_on_mixed_chinese_and_english(seed):
    """Random entries made of the seed's sentences cut at random places, with numbers, dates, URLs,
    quotes, brackets, dashes, multi-line strings, previous msgids and obsolete entries."""
    rng = random.Random(seed)
    source = polib.pofile(str(SEED_PO))
    zh = [e.msgid for e in source]
    en = [e.msgstr for e in source]
    zh_extra = ["2023年1月16日", "增长50%", "共1,200人", "（以下简称“指南”）", "：", "；", "……", "——", "《通知》", "150万元"]
    en_extra = ["50%", "1,200", "COVID-19", '"Class B"', '(hereinafter "the Guidelines")', "e.g.", "well-known", "—",
                "http://example.org/a/b", "Jan. 16, 2023", "parent–child"]
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for n in range(150):
        text = "".join(rng.choice(zh + zh_extra * 3) for _ in range(rng.randint(1, 4)))
        cut = rng.randint(0, len(text))
        text = text[cut:] + text[:cut]
        words = " ".join(rng.choice(en) for _ in range(rng.randint(1, 2))).split(" ")
        for _ in range(rng.randint(0, 5)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(en_extra))
        english = " ".join(words)
        if rng.random() < 0.1:
            english = english.replace(". ", ".\n", 1)
        po.append(polib.POEntry(msgctxt=f"a{n}.p1.1", msgid=text, msgstr=english,
                                previous_msgid=text[::-1] if rng.random() < 0.2 else None,
                                flags=["fuzzy"] if rng.random() < 0.3 else []))
        if rng.random() < 0.1:
            po.append(polib.POEntry(msgctxt=f"old{n}", msgid=text[:30], msgstr=english[:90], obsolete=True))
    text = str(po)
    theirs = subprocess.run([MSGCAT, "-w", "79", "-"], input=text, capture_output=True, text=True, check=True).stdout
    assert rewrap(text) == theirs


def test_wrap_field_rules():
    assert wrap_field("", "msgid", "短句。") == ['msgid "短句。"']
    lines = wrap_field("", "msgstr", "word " * 30)
    assert lines[0] == 'msgstr ""' and all(len(line) <= 79 for line in lines)
    assert all(line.endswith(' "') for line in lines[1:-1])  # broken after spaces
    chinese = wrap_field("#| ", "msgid", "民政部" * 30 + "。")
    assert chinese[0] == '#| msgid ""' and all(line.startswith('#| "') for line in chinese[1:])
    assert all(len(line.encode("utf-16-le")) // 2 * 2 - 8 <= 2 * 79 for line in chinese)
    assert not any(line.startswith('#| "。') for line in chinese)  # never a line starting with 。
    assert wrap_field("", "msgstr", "a\\nb") == ['msgstr ""', '"a\\n"', '"b"']
