"""The real Argos code path, on a tiny genuine Argos package built by the tests themselves."""

from __future__ import annotations

import logging
import os
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest

from argos_tiny import argos_env, build_argos_package
from conftest import SEED_ID, SEED_SLUG, run_cli
from noticepub.translate.engine import ARGOS_MAX_DECODING, MT_EXTRA_HINT, mt_missing
from noticepub.translate.memory import hit_cap

pytestmark = pytest.mark.engine
MT_MISSING = mt_missing()
needs_mt = pytest.mark.skipif(
    bool(MT_MISSING), reason=f"the mt extra is not installed ({', '.join(MT_MISSING)} missing): {MT_EXTRA_HINT}")


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> dict[str, Path]:
    """Built once per session (about 1 s each); every test that uses them skips without the mt extra."""
    if MT_MISSING:
        pytest.skip(f"the mt extra is not installed ({', '.join(MT_MISSING)} missing): {MT_EXTRA_HINT}")
    work = tmp_path_factory.mktemp("argos-build")
    return {
        "1.0": build_argos_package(work / "v1", version="1.0", seed=1),
        "1.1": build_argos_package(work / "v11", version="1.1", seed=2),
        "prefix": build_argos_package(work / "vp", version="2.0", seed=3, target_prefix=True),
    }


@pytest.fixture()
def engine_env(tmp_path) -> dict[str, str]:
    return argos_env(tmp_path / "argos-home")


def _install(project: Path, archive: Path, env: dict[str, str]) -> None:
    run = run_cli(project, "models", "install", str(archive), env=env)
    assert run.returncode == 0, run.stderr


def _entries(project: Path) -> dict[str, polib.POEntry]:
    po = polib.pofile(str(project / "source_texts" / SEED_ID / "en.po"))
    return {e.msgctxt: e for e in po if not e.obsolete}


def test_models_install_and_list(tmp_project, packages, engine_env):
    assert "no Argos Translate packages installed" in run_cli(tmp_project, "models", "list", env=engine_env).stdout
    _install(tmp_project, packages["1.0"], engine_env)
    listing = run_cli(tmp_project, "models", "list", env=engine_env).stdout
    assert "zh->en  translate-zh_en  version 1.0" in listing
    packages_dir = Path(engine_env["ARGOS_PACKAGES_DIR"])
    assert sorted(p.name for p in packages_dir.iterdir()) == ["translate-zh_en-1_0"]  # nothing spilled


def test_flat_zip_is_refused(tmp_project, tmp_path, packages, engine_env):
    flat = tmp_path / "flat.argosmodel"
    with zipfile.ZipFile(packages["1.0"]) as src, zipfile.ZipFile(flat, "w") as dst:
        for name in src.namelist():
            dst.writestr(name.split("/", 1)[1], src.read(name))
    run = run_cli(tmp_project, "models", "install", str(flat), env=engine_env)
    assert run.returncode == 2
    assert "one top folder" in run.stderr


def _argos_offline(monkeypatch, tmp_path, archive):
    """argostranslate.translate on ``archive``, in this process, with our splitter instead of MiniSBD, quiet,
    and with the settings our engine uses: one intra-op thread, every sentence decoded alone (Argos batches a
    paragraph's sentences up to 32 tokens; padded batches need not decode bit for bit like single ones).
    Returns ``translate(text) -> (English, reached the decoding cap)``."""
    import argostranslate.package
    import argostranslate.settings
    import argostranslate.translate
    import argostranslate.utils
    import ctranslate2

    from noticepub.translate.segment import split_sentences

    packages_dir = tmp_path / "packages"
    packages_dir.mkdir()
    monkeypatch.setattr(argostranslate.settings, "package_dirs", [packages_dir])
    monkeypatch.setattr(argostranslate.settings, "package_data_dir", packages_dir)
    monkeypatch.setattr(argostranslate.settings, "intra_threads", 1)
    monkeypatch.setattr(argostranslate.settings, "inter_threads", 1)
    monkeypatch.setattr(argostranslate.settings, "batch_size", 1)  # tokens per batch: one sentence per batch
    # argostranslate logs every call at INFO (1,410 lines for this test); pytest would replay them on a failure
    monkeypatch.setattr(argostranslate.utils.logger, "level", logging.WARNING)
    argostranslate.package.install_from_path(archive)

    class OfflineSentencizer:  # argos would download a MiniSBD model on first use
        def __init__(self, pkg):
            pass

        def split_sentences(self, text):
            return split_sentences(text)

    pieces_out: list[int] = []  # output pieces per sentence of the current call (prefix included)

    class RecordingTranslator:  # the real translator, noting how long each output is
        def __init__(self, *args, **kwargs):
            self._translator = ctranslate2.Translator(*args, **kwargs)

        def translate_batch(self, *args, **kwargs):
            results = self._translator.translate_batch(*args, **kwargs)
            pieces_out.extend(len(result.hypotheses[0]) for result in results)
            return results

    monkeypatch.setattr(argostranslate.translate, "ctranslate2", SimpleNamespace(Translator=RecordingTranslator))
    monkeypatch.setattr(argostranslate.translate, "MiniSBDSentencizer", OfflineSentencizer)
    monkeypatch.setattr(argostranslate.translate, "installed_translates", [])  # its global model cache
    argostranslate.translate.get_installed_languages.cache_clear()

    def translate(text: str) -> tuple[str, bool]:
        pieces_out.clear()
        value = argostranslate.translate.translate(text, "zh", "en")
        return value, any(n >= ARGOS_MAX_DECODING - 1 for n in pieces_out)

    return translate


SEED_SEGMENTS = [e.msgid for e in polib.pofile(str(Path(__file__).parents[1] / "source_texts" / SEED_ID / "en.po"))]


@pytest.mark.parametrize("version", ["1.0", "prefix"])
def test_batched_engine_output_equals_argostranslate(tmp_path, packages, monkeypatch, version):
    """With Argos's own settings (decoding cap 256, one sentence per batch, one thread per translator) our
    CTranslate2 + SentencePiece path gives byte-identical output to argostranslate.translate, for single
    sentences, multi-sentence paragraphs and multi-paragraph texts, with and without a target_prefix, on one
    or two threads. What no CPU guarantees is left out: an output that reaches the decoding cap on either
    path (where the search stops is a float comparison away), and padded batches against single ones."""
    from noticepub.translate.engine import ArgosEngine, Decoding, find_zh_en

    theirs_translate = _argos_offline(monkeypatch, tmp_path, packages[version])
    pkg = find_zh_en()
    assert pkg is not None and (pkg.target_prefix != "") == (version == "prefix")
    paragraphs = [SEED_SEGMENTS[i] + SEED_SEGMENTS[i + 1] for i in range(0, 20, 2)]
    texts = paragraphs + ["\n".join(SEED_SEGMENTS[:3]), "第一句。\n\n第二句。"]
    theirs = [theirs_translate(s) for s in SEED_SEGMENTS]
    theirs_texts = [theirs_translate(t) for t in texts]
    argos_settings = Decoding(batch_size=1, max_length_ratio=0.0, max_length_extra=ARGOS_MAX_DECODING)
    assert argos_settings.cap(1) == argos_settings.cap(500) == ARGOS_MAX_DECODING
    compared = 0
    for threads in (1, 2):
        engine = ArgosEngine(pkg, threads=threads, decoding=argos_settings)
        ours = engine.translate_batch(SEED_SEGMENTS)
        assert len(engine.capped) == len(SEED_SEGMENTS)
        for (text, their_cap), mine, my_cap in zip(theirs, ours, engine.capped, strict=True):
            if not (their_cap or my_cap):
                assert mine == text
                compared += 1
        for text, (their_text, their_cap) in zip(texts, theirs_texts, strict=True):
            [mine] = engine.translate_texts([text])
            if not (their_cap or any(engine.capped)):
                assert mine == their_text
                compared += 1
    # most of the comparison really happened (the tiny model loops to the cap on a few inputs only)
    assert compared >= 0.8 * 2 * (len(SEED_SEGMENTS) + len(texts)), compared
    assert len({text for text, _ in theirs}) >= 20 and all(text for text, _ in theirs)  # input-dependent, not constant
    # The project's settings (padded batches, runaway guard): the same batches give the same output on one or
    # two threads, the guard holds (a batch decodes at most the cap of its longest sentence), and a sentence is
    # flagged exactly when its output reaches its own cap.
    decoding = Decoding(batch_size=7)
    runs = []
    for threads in (1, 2):
        engine = ArgosEngine(pkg, threads=threads, decoding=decoding)
        runs.append(engine.translate_batch(SEED_SEGMENTS))
        assert all(runs[-1])
        lengths = [len(engine._encode(sentence)) for sentence in SEED_SEGMENTS]
        longest_cap = decoding.cap(max(lengths))
        for length, produced, capped in zip(lengths, engine.produced, engine.capped, strict=True):
            assert produced <= longest_cap and capped == (produced >= decoding.cap(length))
    assert runs[0] == runs[1]


def _strip_translations(project: Path) -> None:
    (project / "source_texts" / SEED_ID / "en.po").unlink()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_translate_fills_po_as_fuzzy_writes_nothing_else_and_build_uses_it(tmp_project, packages, engine_env):
    _strip_translations(tmp_project)
    _install(tmp_project, packages["1.0"], engine_env)
    assert run_cli(tmp_project, "build", env=engine_env).returncode == 0
    docs_before = _tree(tmp_project / "docs")
    run = run_cli(tmp_project, "translate", env=engine_env)
    assert run.returncode == 0, run.stderr
    assert "72 filled by argos translate-zh_en 1.0" in run.stdout and "1 PO file(s) written" in run.stdout
    assert _tree(tmp_project / "docs") == docs_before  # translate writes PO files only
    entries = _entries(tmp_project)
    assert len(entries) == 72
    assert all(e.fuzzy and e.msgstr for e in entries.values())
    assert all(e.tcomment.splitlines()[0] == "machine translation: argos translate-zh_en 1.0" for e in entries.values())
    capped = [c for c, e in entries.items() if hit_cap(e)]
    assert 1 <= len(capped) <= 3  # the tiny model loops on a few sentences: stopped at the cap and flagged
    assert f"{len(capped)} segment(s) stopped at the decoding length cap" in run.stdout
    build = run_cli(tmp_project, "build", env={**engine_env, "NOTICEPUB_FAULT": "engine"})  # build never runs MT
    assert build.returncode == 0, build.stderr
    assert "72 machine" in build.stdout
    page = (tmp_project / "docs" / "en" / "notices" / SEED_SLUG / "a1.md").read_text(encoding="utf-8")
    assert "translation: machine" in page
    qa = run_cli(tmp_project, "qa")
    for ctxt in capped:
        assert f"{ctxt}: decoding stopped at the length cap" in qa.stdout
    before = (tmp_project / "source_texts" / SEED_ID / "en.po").read_bytes()
    again = run_cli(tmp_project, "translate", env={**engine_env, "NOTICEPUB_FAULT": "engine"})  # nothing to do
    assert again.returncode == 0, again.stderr
    assert "nothing to translate; 0 PO file(s) written" in again.stdout
    assert (tmp_project / "source_texts" / SEED_ID / "en.po").read_bytes() == before


def test_build_never_runs_machine_translation(tmp_project, packages, engine_env):
    _strip_translations(tmp_project)
    _install(tmp_project, packages["1.0"], engine_env)
    run = run_cli(tmp_project, "build", env={**engine_env, "NOTICEPUB_FAULT": "engine"})
    assert run.returncode == 0, run.stderr
    assert "72 pending" in run.stdout
    assert "run `noticepub translate`" in run.stdout + run.stderr  # a model is installed: say what to do
    assert all(not e.msgstr for e in _entries(tmp_project).values())


def _add_notices(project: Path, ids: list[str]) -> None:
    raw = (project / "source_texts" / SEED_ID / "raw.txt").read_bytes()
    for notice_id in ids:
        (project / "source_texts" / notice_id).mkdir()
        (project / "source_texts" / notice_id / "raw.txt").write_bytes(raw)


def test_shards_split_notices_deterministically_and_cover_all(tmp_project, packages, engine_env):
    from noticepub.translate.run import Shard, shard_of

    ids = [f"n{i:03d}" for i in range(200)]
    for count in (1, 2, 3, 7):
        owners = [[i for i in ids if Shard(k, count).holds(i)] for k in range(1, count + 1)]
        assert sorted(sum(owners, [])) == ids  # disjoint and complete
        if count > 1:
            assert all(owners)  # every shard gets work
    assert shard_of("n001", 4) == shard_of("n001", 4)
    extra = ["alpha", "beta", "gamma"]
    _add_notices(tmp_project, extra)
    _install(tmp_project, packages["1.0"], engine_env)
    first = run_cli(tmp_project, "translate", "--shard", "1/2", env=engine_env)
    assert first.returncode == 0, first.stderr
    written = {line.split("/")[1] for line in first.stdout.splitlines() if "written: " in line}
    expected = {i for i in extra if shard_of(i, 2) == 1}
    assert written == expected  # the seed is fully edited: nothing to write for it
    second = run_cli(tmp_project, "translate", "--shard", "2/2", env=engine_env)
    written |= {line.split("/")[1] for line in second.stdout.splitlines() if "written: " in line}
    assert written == set(extra)
    bad = run_cli(tmp_project, "translate", "--shard", "3/2", env=engine_env)
    assert bad.returncode == 2 and "--shard" in bad.stderr and "Traceback" not in bad.stderr


def test_translate_only_one_notice(tmp_project, packages, engine_env):
    _add_notices(tmp_project, ["alpha", "beta"])
    _install(tmp_project, packages["1.0"], engine_env)
    run = run_cli(tmp_project, "translate", "--only", "beta", env=engine_env)
    assert run.returncode == 0, run.stderr
    assert (tmp_project / "source_texts" / "beta" / "en.po").is_file()
    assert not (tmp_project / "source_texts" / "alpha" / "en.po").exists()


def test_new_model_version_replaces_machine_entries_only(tmp_project, packages, engine_env):
    po_path = tmp_project / "source_texts" / SEED_ID / "en.po"
    po = polib.pofile(str(po_path))
    for entry in po:  # make the first article machine-translated, keep the rest edited
        if entry.msgctxt.startswith("a1."):
            entry.msgstr = ""
    po.save(str(po_path))
    _install(tmp_project, packages["1.0"], engine_env)
    assert run_cli(tmp_project, "translate", env=engine_env).returncode == 0
    first = _entries(tmp_project)
    _install(tmp_project, packages["1.1"], engine_env)
    assert run_cli(tmp_project, "translate", env=engine_env).returncode == 0
    second = _entries(tmp_project)
    for ctxt, entry in second.items():
        if ctxt.startswith("a1."):
            assert entry.tcomment.splitlines()[0] == "machine translation: argos translate-zh_en 1.1"
            assert entry.fuzzy
        else:
            assert not entry.fuzzy and entry.msgstr == first[ctxt].msgstr  # edited: never overwritten
    assert any(second[c].msgstr != first[c].msgstr for c in second if c.startswith("a1."))


def test_changed_source_keeps_reviewed_translation_as_previous(tmp_project, packages, engine_env):
    _install(tmp_project, packages["1.0"], engine_env)
    raw = tmp_project / "source_texts" / SEED_ID / "raw.txt"
    raw.write_text(raw.read_text(encoding="utf-8").replace("总结讲话。", "重要讲话。"), encoding="utf-8")
    before = _entries(tmp_project)
    assert run_cli(tmp_project, "translate", env=engine_env).returncode == 0
    after = _entries(tmp_project)
    changed = [c for c in after if after[c].msgid != before[c].msgid]
    assert changed == ["a1.p1.2"]
    entry = after["a1.p1.2"]
    assert entry.fuzzy and entry.previous_msgid == before["a1.p1.2"].msgid
    assert entry.msgstr == before["a1.p1.2"].msgstr  # the reviewed text is kept, not machine-replaced
    for ctxt in after:
        if ctxt != "a1.p1.2":
            assert (after[ctxt].msgid, after[ctxt].msgstr, after[ctxt].fuzzy) == (
                before[ctxt].msgid, before[ctxt].msgstr, before[ctxt].fuzzy)
    po_text = (tmp_project / "source_texts" / SEED_ID / "en.po").read_text(encoding="utf-8")
    assert '#| msgid "民政部养老服务司司长俞建良主持培训并作总结讲话。"' in po_text


@needs_mt
def test_no_model_build_succeeds_with_pending_prints_the_hint_once_and_strict_fails(tmp_project, engine_env):
    _strip_translations(tmp_project)
    run = run_cli(tmp_project, "build", env=engine_env)
    assert run.returncode == 0
    assert "72 pending" in run.stdout
    output = run.stdout + run.stderr
    assert output.count("argospm install translate-zh_en") == 1
    assert "noticepub models install FILE.argosmodel" in output
    page = (tmp_project / "docs" / "en" / "notices" / SEED_SLUG / "a1.md").read_text(encoding="utf-8")
    assert 'class="np-pending"' in page
    strict = run_cli(tmp_project, "build", "--strict", env=engine_env)
    assert strict.returncode == 1
    assert "argospm install translate-zh_en" in strict.stderr
    assert "pages written" not in strict.stdout  # a failed build never reports pages as written
    translate = run_cli(tmp_project, "translate", env=engine_env)
    assert translate.returncode == 2 and "72 segment(s) need machine translation" in translate.stderr
    assert "argospm install translate-zh_en" in translate.stderr and "Traceback" not in translate.stderr


def test_engine_failure_mid_translate_leaves_po_and_docs(tmp_project, packages, engine_env):
    _install(tmp_project, packages["1.0"], engine_env)
    assert run_cli(tmp_project, "build", env=engine_env).returncode == 0
    po = tmp_project / "source_texts" / SEED_ID / "en.po"
    before = po.read_bytes()
    docs_before = sorted((p, p.read_bytes()) for p in (tmp_project / "docs").rglob("*.md"))
    raw = tmp_project / "source_texts" / SEED_ID / "raw.txt"
    raw.write_text(raw.read_text(encoding="utf-8") + "\n新增的一句话。\n", encoding="utf-8")
    run = run_cli(tmp_project, "translate", env={**engine_env, "NOTICEPUB_FAULT": "engine"})
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert po.read_bytes() == before
    assert sorted((p, p.read_bytes()) for p in (tmp_project / "docs").rglob("*.md")) == docs_before
    shutil.rmtree(tmp_project / ".noticepub-cache", ignore_errors=True)
    assert os.environ["HOME"] != engine_env["HOME"]


def test_length_batches_respect_count_and_token_budget():
    from noticepub.translate.engine import Decoding, length_batches

    lengths = [5, 120, 6, 5, 7, 118, 6, 5, 30]
    batches = length_batches(lengths, batch_size=3, batch_tokens=240)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))  # every sentence once
    for batch in batches:
        assert len(batch) <= 3 and len(batch) * max(lengths[i] for i in batch) <= 240
    assert batches == [[0, 3, 7], [2, 6, 4], [8, 5], [1]]  # sorted by length, stable
    # the 120-token sentence decodes alone: with it, any batch would exceed 240 padded tokens
    assert [lengths[b[0]] for b in batches] == sorted(lengths[b[0]] for b in batches)  # by length
    cap = Decoding(max_length_ratio=2.0, max_length_extra=10)
    assert cap.cap(20) == 50 and cap.cap(200) == 256
    # the padding bound: a batch's padded tokens stay within 1.25 x its real tokens
    lengths = [4, 5, 5, 6, 10, 11, 12, 30, 31, 60]
    batches = length_batches(lengths, batch_size=64, batch_tokens=2048, max_padding=0.25)
    assert batches == [[0, 1, 2, 3], [4, 5, 6], [7, 8], [9]]
    for batch in batches:
        assert len(batch) * max(lengths[i] for i in batch) <= 1.25 * sum(lengths[i] for i in batch)
    assert length_batches(lengths, batch_size=64, batch_tokens=2048) == [list(range(10))]  # no bound: one batch


def test_length_settings_are_read_and_checked(tmp_path):
    from noticepub.errors import ConfigError
    from noticepub.settings import load_settings
    from noticepub.translate.engine import Decoding

    (tmp_path / "pyproject.toml").write_text(
        "[tool.noticepub]\nmt_max_length_ratio = 3\nmt_max_length_extra = 4\nmt_batch_tokens = 512\n"
        "mt_no_repeat_ngram_size = 3\nmt_max_padding = 0.5\n", encoding="utf-8")
    decoding = Decoding.from_settings(load_settings(tmp_path))
    assert (decoding.max_length_ratio, decoding.max_length_extra, decoding.batch_tokens) == (3.0, 4, 512)
    assert decoding.max_padding == 0.5
    assert decoding.no_repeat_ngram_size == 3 and decoding.cap(10) == 34
    (tmp_path / "pyproject.toml").write_text("[tool.noticepub]\nmt_max_length_ratio = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mt_max_length_ratio"):
        load_settings(tmp_path)
