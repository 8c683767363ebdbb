"""The PO translation memory and english_for_notice, without a real engine."""

import json
import subprocess
import sys

import polib
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import REPO, SEED_ID
from noticepub.errors import TranslationError
from noticepub.model import EDITED, MACHINE, PENDING, Article, NoticeMeta, plain
from noticepub.settings import load_settings
from noticepub.translate import english_for_notice, notice_segments
from noticepub.translate import memory as tm

SEED_PO = REPO / "source_texts" / SEED_ID / "en.po"


def _memory(tmp_path, entries):
    path = tmp_path / "en.po"
    memory = tm.Memory.load(path, "n1")
    memory.sync([tm.Segment(c, s) for c, s in entries])
    return memory, path


def _reload(path, memory, entries):
    path.write_bytes(memory.to_bytes())
    again = tm.Memory.load(path, "n1")
    again.sync([tm.Segment(c, s) for c, s in entries])
    return again


class FakeEngine:
    def __init__(self, name="fake-mt 1.0"):
        self.name = name
        self.calls: list[list[str]] = []

    def translate_batch(self, sentences):
        self.calls.append(list(sentences))
        return [f"EN[{len(s)}] 民政部 peasant workers" for s in sentences]


def test_states_and_deterministic_bytes(tmp_path):
    memory, path = _memory(tmp_path, [("a1.title.1", "标题"), ("a1.p1.1", "第一句。")])
    assert memory.state("a1.title.1") == tm.PENDING
    memory.by_ctxt["a1.title.1"].msgstr = "Title"
    memory.set_machine("a1.p1.1", "First sentence.", "argos x 1.0")
    assert memory.state("a1.title.1") == tm.EDITED and memory.state("a1.p1.1") == tm.MACHINE
    data = memory.to_bytes()
    again = _reload(path, memory, [("a1.title.1", "标题"), ("a1.p1.1", "第一句。")])
    assert again.to_bytes() == data  # stable: no dates, no reordering, no rewrapping
    text = data.decode()
    assert '"Language: en\\n"' in text and "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    assert "POT-Creation-Date" not in text and "PO-Revision-Date" not in text
    assert "#. " not in text and "# machine translation: argos x 1.0\n#, fuzzy\n" in text


def test_po_is_valid_for_gettext_tools(tmp_path):
    """msgfmt --check is what Poedit runs: headers, plural forms, fuzzy/previous syntax."""
    memory, path = _memory(tmp_path, [("a1.p1.1", "旧句子。"), ("a1.p2.1", "另一句。")])
    memory.by_ctxt["a1.p1.1"].msgstr = "Old sentence."
    memory.set_machine("a1.p2.1", "Another sentence.", "argos x 1.0")
    memory = _reload(path, memory, [("a1.p1.1", "新句子。")])
    path.write_bytes(memory.to_bytes())
    for po in (path, SEED_PO):
        run = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr


def test_machine_never_overwrites_edited(tmp_path):
    memory, _ = _memory(tmp_path, [("a1.p1.1", "第一句。")])
    memory.by_ctxt["a1.p1.1"].msgstr = "Reviewed."
    assert not memory.needs_machine("a1.p1.1", "argos x 2.0")
    with pytest.raises(TranslationError, match="refusing to overwrite"):
        memory.set_machine("a1.p1.1", "machine", "argos x 2.0")


def test_machine_entries_are_reused_until_the_model_changes(tmp_path):
    memory, _ = _memory(tmp_path, [("a1.p1.1", "第一句。")])
    assert memory.needs_machine("a1.p1.1", "argos x 1.0") and not memory.needs_machine("a1.p1.1", None)
    memory.set_machine("a1.p1.1", "First.", "argos x 1.0")
    assert not memory.needs_machine("a1.p1.1", "argos x 1.0")
    assert memory.needs_machine("a1.p1.1", "argos x 1.1")


def test_changed_source_keeps_translation_as_previous(tmp_path):
    entries = [("a1.p1.1", "旧句子。"), ("a1.p1.2", "不变的句子。"), ("a1.p2.1", "会删除的句子。")]
    memory, path = _memory(tmp_path, entries)
    memory.by_ctxt["a1.p1.1"].msgstr = "Old sentence."
    memory.by_ctxt["a1.p1.2"].msgstr = "Unchanged sentence."
    memory.by_ctxt["a1.p2.1"].msgstr = "A sentence to be removed."
    memory = _reload(path, memory, [("a1.p1.1", "新句子。"), ("a1.p1.2", "不变的句子。")])
    entry = memory.by_ctxt["a1.p1.1"]
    assert entry.fuzzy and entry.previous_msgid == "旧句子。" and entry.msgstr == "Old sentence."
    assert memory.state("a1.p1.1") == tm.OUTDATED and memory.state("a1.p1.2") == tm.EDITED
    assert not memory.needs_machine("a1.p1.1", "argos x 1.0")  # a reviewed text waits for its reviewer
    text = memory.to_bytes().decode()
    assert '#| msgid "旧句子。"' in text
    assert '#~ msgid "会删除的句子。"' in text and "A sentence to be removed." in text  # kept as obsolete


def test_changed_source_of_machine_entry_is_retranslated(tmp_path):
    memory, path = _memory(tmp_path, [("a1.p1.1", "旧句子。")])
    memory.set_machine("a1.p1.1", "Old.", "argos x 1.0")
    memory = _reload(path, memory, [("a1.p1.1", "新句子。")])
    assert memory.state("a1.p1.1") == tm.OUTDATED and memory.by_ctxt["a1.p1.1"].previous_msgid == "旧句子。"
    assert memory.needs_machine("a1.p1.1", "argos x 1.0")
    memory.set_machine("a1.p1.1", "New.", "argos x 1.0")
    assert memory.state("a1.p1.1") == tm.MACHINE and memory.by_ctxt["a1.p1.1"].previous_msgid is None


def test_inserted_paragraph_moves_entries_instead_of_outdating_them(tmp_path):
    memory, path = _memory(tmp_path, [("a1.p1.1", "第一段。"), ("a1.p2.1", "第二段。")])
    memory.by_ctxt["a1.p1.1"].msgstr = "Paragraph one."
    memory.by_ctxt["a1.p2.1"].msgstr = "Paragraph two."
    memory = _reload(path, memory, [("a1.p1.1", "第一段。"), ("a1.p2.1", "插入的段落。"), ("a1.p3.1", "第二段。")])
    assert memory.state("a1.p1.1") == tm.EDITED and memory.state("a1.p3.1") == tm.EDITED
    assert memory.by_ctxt["a1.p3.1"].msgstr == "Paragraph two."
    assert memory.state("a1.p2.1") == tm.PENDING and "#~" not in memory.to_bytes().decode()


def test_broken_po_names_the_file(tmp_path):
    path = tmp_path / "en.po"
    path.write_text('msgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    with pytest.raises(TranslationError, match="en.po"):
        tm.Memory.load(path, "n1")


def test_without_engine_everything_is_pending(tmp_path):
    settings = load_settings(REPO)
    article = Article("a1", "标题", None, None, ("第一句。第二句。",), "新华社")
    result = english_for_notice(NoticeMeta("n1"), (article,), tmp_path / "en.po", settings, engine=None)
    en = result.articles[0]
    assert [s.state for s in en.paragraphs[0]] == [PENDING, PENDING]
    assert plain(en.paragraphs[0]) == "第一句。第二句。"  # Chinese runs are not split by spaces
    assert result.report.counts == {"edited": 0, "machine": 0, "pending": 4}
    assert en.provenance.method == "pending" and result.report.engine_note
    assert not (tmp_path / "en.po").exists()  # the function never writes; the build does
    assert [s.ctxt for s in notice_segments((article,))] == ["a1.title.1", "a1.p1.1", "a1.p1.2", "a1.attribution.1"]
    po = polib.pofile(result.po_bytes.decode())
    assert [e.msgstr for e in po] == ["", "", "", ""]


def test_engine_output_is_batched_enforced_and_recorded(tmp_path):
    settings = load_settings(REPO, mt_batch_size=2)
    article = Article("a1", "民政部通知", None, None, ("第一句。第二句。第一句。",), None)
    po = tmp_path / "en.po"
    po.write_bytes(english_for_notice(NoticeMeta("n1"), (article,), po, settings, engine=None).po_bytes)
    edited = polib.pofile(str(po))
    edited[0].msgstr = "Ministry of Civil Affairs Notice"  # the title is reviewed
    edited.save(str(po))
    engine = FakeEngine()
    result = english_for_notice(NoticeMeta("n1"), (article,), po, settings, engine=engine)
    assert engine.calls == [["第一句。", "第二句。"]]  # one call; the repeated sentence is translated once
    en = result.articles[0]
    assert [s.state for s in en.title] == [EDITED]
    assert [s.state for s in en.paragraphs[0]] == [MACHINE] * 3
    assert "Ministry of Civil Affairs" not in plain(en.paragraphs[0])  # 民政部 is not in these sentences
    assert en.provenance.method == "mixed" and "fake-mt 1.0" in en.provenance.detail
    entries = polib.pofile(result.po_bytes.decode())
    machine = [e for e in entries if e.fuzzy]
    assert len(machine) == 3 and all(e.tcomment == "machine translation: fake-mt 1.0" for e in machine)
    assert result.report.translated == 3 and result.report.engine == "fake-mt 1.0"
    assert any("Chinese characters left" in f for f in result.report.qa_findings)


def test_glossary_is_enforced_on_machine_output(tmp_path):
    settings = load_settings(REPO)
    article = Article("a1", "民政部关心农民工", None, None, ("正文。",), None)
    result = english_for_notice(NoticeMeta("n1"), (article,), tmp_path / "en.po", settings, engine=FakeEngine())
    title = plain(result.articles[0].title)
    assert "Ministry of Civil Affairs" in title and "migrant workers" in title
    assert "民政部" not in title and "peasant workers" not in title


def test_unknown_engine_string_is_refused(tmp_path):
    with pytest.raises(TranslationError, match="unknown engine"):
        english_for_notice(NoticeMeta("n1"), (Article("a1", "标题", None, None, ("句子。",), None),),
                           tmp_path / "en.po", load_settings(REPO), engine="google")


def _seed_articles():
    expected = json.loads((REPO / "tests" / "expected" / "seed.json").read_text(encoding="utf-8"))
    return tuple(Article(a["id"], a["title"], a["subtitle"], a["lead"], tuple(a["paragraphs"]), a["attribution"])
                 for a in expected["articles"])


def test_every_seed_segment_has_an_edited_entry():
    """The committed en.po covers the parser's contract exactly: 72 segments, all reviewed, QA clean."""
    settings = load_settings(REPO)
    result = english_for_notice(NoticeMeta(SEED_ID), _seed_articles(), SEED_PO, settings, engine=None)
    assert result.report.counts == {"edited": 72, "machine": 0, "pending": 0}
    assert result.report.qa_findings == []
    assert result.po_bytes == SEED_PO.read_bytes()  # the file is exactly what a build would write
    po = polib.pofile(str(SEED_PO))
    assert not po.obsolete_entries() and not po.fuzzy_entries() and not po.untranslated_entries()
    assert all(a.provenance.method == "edited" for a in result.articles)
    assert all(span.state == EDITED for a in result.articles for p in (a.title, *a.paragraphs) for span in p)


def test_nothing_to_translate_never_loads_the_engine():
    """A build whose segments are all edited must not import CTranslate2, SentencePiece or torch."""
    code = (
        "import sys, json\n"
        "from noticepub.model import Article, NoticeMeta\n"
        "from noticepub.settings import load_settings\n"
        "from noticepub.translate import english_for_notice\n"
        f"d = json.load(open({str(REPO / 'tests/expected/seed.json')!r}, encoding='utf-8'))\n"
        "arts = tuple(Article(a['id'], a['title'], a['subtitle'], a['lead'], tuple(a['paragraphs']),"
        " a['attribution']) for a in d['articles'])\n"
        f"r = english_for_notice(NoticeMeta({SEED_ID!r}), arts, __import__('pathlib').Path({str(SEED_PO)!r}),"
        f" load_settings(__import__('pathlib').Path({str(REPO)!r})))\n"
        "assert r.report.counts['edited'] == 72\n"
        "print(sorted(m for m in ('ctranslate2', 'sentencepiece', 'torch', 'argostranslate.translate')"
        " if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def _msgfmt_ok(path):
    run = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    return run.returncode == 0, run.stderr


def test_an_obsolete_copy_beside_an_identical_active_entry_is_revived_or_dropped(tmp_path):
    """A file holding an obsolete entry with the same msgctxt and msgid as an active one (which msgfmt refuses:
    "duplicate message definition") comes out of a sync with one entry for the pair: the reviewed one."""
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    edited = 'msgctxt "a1.p1.1"\nmsgid "甲句。"\nmsgstr "Sentence A."\n\n'
    machine = '#. machine translation: fake-mt 1.0\n#, fuzzy\nmsgctxt "a1.p1.1"\nmsgid "甲句。"\nmsgstr "MT A."\n\n'
    pending = 'msgctxt "a1.p1.1"\nmsgid "甲句。"\nmsgstr ""\n\n'
    obsolete = lambda entry: "".join(f"#~ {line}\n" if line.startswith("m") else f"{line}\n"  # noqa: E731
                                     for line in entry.strip().split("\n")) + "\n"
    for active, old in ((edited, machine), (machine, edited), (pending, edited), (edited, edited)):
        path = tmp_path / "en.po"
        path.write_text(head + active + obsolete(old), encoding="utf-8")
        assert not _msgfmt_ok(path)[0]  # the defect's file
        memory = tm.Memory.load(path, "n1")
        memory.sync([tm.Segment("a1.p1.1", "甲句。")])
        path.write_bytes(memory.to_bytes())
        assert _msgfmt_ok(path) == (True, "")
        entries = list(polib.pofile(str(path)))
        assert [(e.msgctxt, e.msgid, e.msgstr, e.obsolete) for e in entries] == [
            ("a1.p1.1", "甲句。", "Sentence A.", False)]
        assert memory.state("a1.p1.1") == EDITED


# a page of articles (lists of paragraphs, lists of sentences); the first paragraph is the title
_WORDS = list("甲乙丙丁")


def _page_segments(page):
    return [tm.Segment(f"a{a}.{'title' if p == 0 else f'p{p}'}.{s}", sentence)
            for a, article in enumerate(page, 1) for p, para in enumerate(article)
            for s, sentence in enumerate(para, 1)]


@st.composite
def _histories(draw):
    """A first page and a list of edits: add, remove, change (a correction) a sentence, add or remove an
    article, or go back to an earlier version (a removal or correction reverted)."""
    page = [[[draw(st.sampled_from(_WORDS))] for _ in range(2)] for _ in range(2)]
    ops = draw(st.lists(st.tuples(st.sampled_from(["add", "remove", "change", "article", "revert"]),
                                  st.integers(0, 99), st.integers(0, 99), st.integers(0, 99),
                                  st.sampled_from(_WORDS), st.booleans()), min_size=1, max_size=8))
    return page, ops


def _apply(page, history, op):
    import copy

    kind, x, y, z, word, review = op
    page = copy.deepcopy(page)
    a = x % len(page)
    p = y % len(page[a])
    if kind == "add":
        page[a][p].insert(z % (len(page[a][p]) + 1), word + "句")
    elif kind == "change":
        para = page[a][p]
        para[z % len(para)] = word + "改"
    elif kind == "article":
        if z % 2 and len(page) > 1:
            del page[a]
        else:
            page.insert(a, [[word + "题"]])
    elif kind == "remove":
        para = page[a][p]
        if len(para) > 1:
            del para[z % len(para)]
        elif len(page[a]) > 1:
            del page[a][p]
    else:
        page = copy.deepcopy(history[z % len(history)])
    return page


@hypothesis_settings(max_examples=40, deadline=None)
@given(_histories())
def test_random_edits_keep_the_po_valid_and_every_review(tmp_path_factory, history_ops):
    """Property: after any sequence of added, removed, re-added and corrected sentences, each synced and
    written, the file passes msgfmt, a reviewed text is only ever active on its own sentence, and no
    reviewed text is lost (it stays active or obsolete)."""
    page, ops = history_ops
    path = tmp_path_factory.mktemp("prop") / "en.po"
    history = [page]
    reviewed: set[tuple[str, str]] = set()
    for n, op in enumerate([None, *ops]):
        if op is not None:
            page = _apply(page, history, op)
            history.append(page)
        memory = tm.Memory.load(path, "n1")
        memory.sync(_page_segments(page))
        for i, entry in enumerate(memory.by_ctxt.values()):
            state = memory.state(entry.msgctxt)
            if state == PENDING and (n + i) % 3 == 0:
                memory.set_machine(entry.msgctxt, "MT " + entry.msgid, "fake-mt 1.0")
            elif state != EDITED and (op is None or op[5]) and (n + i) % 2 == 0:  # a reviewer's work
                entry.msgstr, entry.tcomment, entry.previous_msgid = f"EN{n} {entry.msgid}", "", None
                entry.flags = []
                reviewed.add((entry.msgid, entry.msgstr))
        path.write_bytes(memory.to_bytes())
        assert _msgfmt_ok(path) == (True, ""), path.read_text(encoding="utf-8")
        entries = list(polib.pofile(str(path)))
        for e in entries:
            if e.msgstr.startswith("EN") and not e.fuzzy and not e.obsolete:
                assert e.msgstr.endswith(" " + e.msgid), (e.msgctxt, e.msgid, e.msgstr)
        kept = {(e.msgid, e.msgstr) for e in entries if e.msgstr and not e.fuzzy}
        assert reviewed <= kept, sorted(reviewed - kept)
