"""The real Argos code path, on a tiny genuine Argos package built by the tests themselves."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import polib
import pytest

from argos_tiny import argos_env, build_argos_package
from conftest import SEED_ID, SEED_SLUG, run_cli

pytestmark = pytest.mark.engine


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> dict[str, Path]:
    """Built once per session (about 1 s each)."""
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
    """argostranslate.translate on ``archive``, in this process, with our splitter instead of MiniSBD."""
    import argostranslate.package
    import argostranslate.settings
    import argostranslate.translate

    from noticepub.translate.segment import split_sentences

    packages_dir = tmp_path / "packages"
    packages_dir.mkdir()
    monkeypatch.setattr(argostranslate.settings, "package_dirs", [packages_dir])
    monkeypatch.setattr(argostranslate.settings, "package_data_dir", packages_dir)
    argostranslate.package.install_from_path(archive)

    class OfflineSentencizer:  # argos would download a MiniSBD model on first use
        def __init__(self, pkg):
            pass

        def split_sentences(self, text):
            return split_sentences(text)

    monkeypatch.setattr(argostranslate.translate, "MiniSBDSentencizer", OfflineSentencizer)
    monkeypatch.setattr(argostranslate.translate, "installed_translates", [])  # its global model cache
    argostranslate.translate.get_installed_languages.cache_clear()
    return lambda text: argostranslate.translate.translate(text, "zh", "en")


SEED_SEGMENTS = [e.msgid for e in polib.pofile(str(Path(__file__).parents[1] / "source_texts" / SEED_ID / "en.po"))]


@pytest.mark.parametrize("version", ["1.0", "prefix"])
def test_batched_engine_output_equals_argostranslate(tmp_path, packages, monkeypatch, version):
    """Our CTranslate2 + SentencePiece path gives byte-identical output to argostranslate.translate,
    for single sentences, multi-sentence paragraphs and multi-paragraph texts, with and without a
    target_prefix, whatever the batch size or thread count."""
    from noticepub.translate.engine import ArgosEngine, find_zh_en

    theirs_translate = _argos_offline(monkeypatch, tmp_path, packages[version])
    pkg = find_zh_en()
    assert pkg is not None and (pkg.target_prefix != "") == (version == "prefix")
    paragraphs = [SEED_SEGMENTS[i] + SEED_SEGMENTS[i + 1] for i in range(0, 20, 2)]
    texts = paragraphs + ["\n".join(SEED_SEGMENTS[:3]), "第一句。\n\n第二句。"]
    theirs = [theirs_translate(s) for s in SEED_SEGMENTS]
    theirs_texts = [theirs_translate(t) for t in texts]
    for threads, batch in ((1, 64), (1, 1), (2, 7)):
        engine = ArgosEngine(pkg, threads=threads, batch_size=batch)
        assert engine.translate_batch(SEED_SEGMENTS) == theirs
        assert engine.translate_texts(texts) == theirs_texts
    assert len(set(theirs)) >= 20 and all(theirs)  # a real, input-dependent model, not a constant


def _strip_translations(project: Path) -> None:
    (project / "source_texts" / SEED_ID / "en.po").unlink()


def test_machine_translations_enter_po_as_fuzzy_and_are_reused(tmp_project, packages, engine_env):
    _strip_translations(tmp_project)
    _install(tmp_project, packages["1.0"], engine_env)
    run = run_cli(tmp_project, "build", env=engine_env)
    assert run.returncode == 0, run.stderr
    assert "72 machine" in run.stdout
    entries = _entries(tmp_project)
    assert len(entries) == 72
    assert all(e.fuzzy and e.msgstr for e in entries.values())
    assert all(e.tcomment == "machine translation: argos translate-zh_en 1.0" for e in entries.values())
    page = (tmp_project / "docs" / "en" / "notices" / SEED_SLUG / "a1.md").read_text(encoding="utf-8")
    assert "translation: machine" in page
    before = (tmp_project / "source_texts" / SEED_ID / "en.po").read_bytes()
    # force the notice to be processed again; the engine must not be called (it would fail)
    (tmp_project / "source_texts" / SEED_ID / "notice.yml").write_text("tags: [农民工]\n", encoding="utf-8")
    again = run_cli(tmp_project, "build", env={**engine_env, "NOTICEPUB_FAULT": "engine"})
    assert again.returncode == 0, again.stderr
    assert (tmp_project / "source_texts" / SEED_ID / "en.po").read_bytes() == before


def test_new_model_version_replaces_machine_entries_only(tmp_project, packages, engine_env):
    po_path = tmp_project / "source_texts" / SEED_ID / "en.po"
    po = polib.pofile(str(po_path))
    for entry in po:  # make the first article machine-translated, keep the rest edited
        if entry.msgctxt.startswith("a1."):
            entry.msgstr = ""
    po.save(str(po_path))
    _install(tmp_project, packages["1.0"], engine_env)
    assert run_cli(tmp_project, "build", env=engine_env).returncode == 0
    first = _entries(tmp_project)
    _install(tmp_project, packages["1.1"], engine_env)
    assert run_cli(tmp_project, "build", env=engine_env).returncode == 0
    second = _entries(tmp_project)
    for ctxt, entry in second.items():
        if ctxt.startswith("a1."):
            assert entry.tcomment == "machine translation: argos translate-zh_en 1.1"
            assert entry.fuzzy
        else:
            assert not entry.fuzzy and entry.msgstr == first[ctxt].msgstr  # edited: never overwritten
    assert any(second[c].msgstr != first[c].msgstr for c in second if c.startswith("a1."))


def test_changed_source_keeps_reviewed_translation_as_previous(tmp_project, packages, engine_env):
    _install(tmp_project, packages["1.0"], engine_env)
    raw = tmp_project / "source_texts" / SEED_ID / "raw.txt"
    raw.write_text(raw.read_text(encoding="utf-8").replace("总结讲话。", "重要讲话。"), encoding="utf-8")
    before = _entries(tmp_project)
    assert run_cli(tmp_project, "build", env=engine_env).returncode == 0
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


def test_no_model_build_succeeds_with_pending_and_strict_fails_with_hint(tmp_project, engine_env):
    _strip_translations(tmp_project)
    run = run_cli(tmp_project, "build", env=engine_env)
    assert run.returncode == 0
    assert "72 pending" in run.stdout
    page = (tmp_project / "docs" / "en" / "notices" / SEED_SLUG / "a1.md").read_text(encoding="utf-8")
    assert 'class="np-pending"' in page
    strict = run_cli(tmp_project, "build", "--strict", env=engine_env)
    assert strict.returncode == 1
    assert "argospm install translate-zh_en" in strict.stderr


def test_engine_failure_mid_build_leaves_po_and_docs(tmp_project, packages, engine_env):
    _install(tmp_project, packages["1.0"], engine_env)
    assert run_cli(tmp_project, "build", env=engine_env).returncode == 0
    po = tmp_project / "source_texts" / SEED_ID / "en.po"
    before = po.read_bytes()
    docs_before = sorted((p, p.read_bytes()) for p in (tmp_project / "docs").rglob("*.md"))
    po.write_bytes(before)  # unchanged, but a source edit forces translation of one new sentence
    raw = tmp_project / "source_texts" / SEED_ID / "raw.txt"
    raw.write_text(raw.read_text(encoding="utf-8") + "\n新增的一句话。\n", encoding="utf-8")
    run = run_cli(tmp_project, "build", env={**engine_env, "NOTICEPUB_FAULT": "engine"})
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert po.read_bytes() == before
    assert sorted((p, p.read_bytes()) for p in (tmp_project / "docs").rglob("*.md")) == docs_before
    shutil.rmtree(tmp_project / ".noticepub-cache", ignore_errors=True)
    assert os.environ["HOME"] != engine_env["HOME"]
