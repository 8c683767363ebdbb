"""Issue 11, as a hostile contributor or a clumsy maintainer would try it: every example ends with a one-line
error or a correct result, the documented exit code, no traceback, nothing outside docs/ touched, nothing
foreign deleted, no reviewed translation lost."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SEED_ID, SEED_SLUG, run_cli
from noticepub.fsutil import list_tree

REVIEWED = "Ministry of Civil Affairs Holds National Training on COVID-19 Prevention and Control"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in list_tree(root)}


def _one_line_error(run: subprocess.CompletedProcess, code: int, *needles: str) -> str:
    assert run.returncode == code, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _inputs(project: Path) -> dict[str, bytes]:
    """Everything outside docs/ the build must never change by itself (sources, settings, PO files)."""
    out = {}
    for folder in ("source_texts",):
        for rel in list_tree(project / folder):
            out[f"{folder}/{rel}"] = (project / folder / rel).read_bytes()
    out["pyproject.toml"] = (project / "pyproject.toml").read_bytes()
    return out


@pytest.fixture(scope="module")
def built_template(tmp_path_factory) -> Path:
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    run = run_cli(project, "build")
    assert run.returncode == 0, run.stderr
    return project


@pytest.fixture()
def built(built_template: Path, tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(built_template, project, symlinks=True)
    return project


def _set_setting(project: Path, key: str, value: str) -> None:
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
    (project / "pyproject.toml").write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ 1. ownership
def test_docs_symlinked_to_another_folder_is_refused_and_nothing_deleted(built, tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    (foreign / "en").mkdir()
    (foreign / "en" / "index.md").write_text("not ours")
    shutil.rmtree(built / "docs")
    (built / "docs").symlink_to(foreign)
    _one_line_error(run_cli(built, "build"), 2, "docs", "symbolic link")
    assert _snapshot(foreign) == {"precious.txt": b"keep me", "en/index.md": b"not ours"}


@pytest.mark.parametrize("value", ['"."', '"source_texts"', '"source_texts/x"', '"scripts"', '"../elsewhere"', '""',
                                   '"/tmp/x"', '"config"'])
def test_docs_dir_that_is_not_a_plain_folder_inside_the_repo_is_refused_before_any_write(built, value):
    _set_setting(built, "docs_dir", value)
    before = _inputs(built)
    docs_before = _snapshot(built / "docs")
    _one_line_error(run_cli(built, "build"), 2, "docs_dir")
    assert _inputs(built) == before
    assert _snapshot(built / "docs") == docs_before


@pytest.mark.parametrize(("key", "value"), [("source_dir", '"../elsewhere"'), ("glossary", '"/etc/passwd"'),
                                          ("hant_overrides", '"../../x.yml"')])
def test_input_settings_outside_the_repo_are_refused(built, key, value):
    _set_setting(built, key, value)
    _one_line_error(run_cli(built, "build"), 2, key, "inside the repository")


@pytest.mark.parametrize("command", [("build",), ("build", "--check"), ("site",)])
def test_symlink_inside_docs_is_refused(built, tmp_path, command):
    """Refused from the one walk of docs/ each command makes (build: after any rollback; site: before it
    reads a page), naming the link."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("outside")
    shutil.rmtree(built / "docs" / "en" / "tags")
    (built / "docs" / "en" / "tags").symlink_to(outside)
    _one_line_error(run_cli(built, *command), 2, "symbolic link")
    assert "en/tags" in run_cli(built, *command).stderr
    assert _snapshot(outside) == {"x.md": b"outside"}


def test_stray_file_in_docs_is_reported_never_deleted(built):
    stray = built / "docs" / "en" / "notes-by-hand.md"
    stray.write_text("mine")
    run = run_cli(built, "build")
    assert run.returncode == 0, run.stderr
    assert "notes-by-hand.md: not written by noticepub" in run.stdout
    assert stray.read_text() == "mine"


def test_docs_folders_checked_by_their_stamps_still_show_every_change(built, tmp_path, monkeypatch):
    """Once docs/'s folders are old enough to be stamped, build and site list none of them (cache.walk_docs):
    a stray file, a deleted or hand-edited page and a symlink deep in docs/ are still seen, because each
    changes its folder (or, the edit, its own stat)."""
    import time

    from noticepub.cache import DOCS_STAMPS, ready_for_site
    from noticepub.fsutil import STAMP_MARGIN_NS
    from noticepub.settings import load_settings
    from noticepub.site_incremental import read_signed
    from noticepub.sources import CACHE_VERSION

    time.sleep(STAMP_MARGIN_NS / 1e9 + 0.2)
    assert run_cli(built, "build").returncode == 0
    docs = built / "docs"
    stamps = read_signed(built / ".noticepub-cache" / f"v{CACHE_VERSION}" / DOCS_STAMPS)["dirs"]
    folders = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_dir()} | {"."}
    assert {rel or "." for rel in stamps} == folders
    import noticepub.fsutil as fsutil
    from noticepub.build import build

    listed: list[str] = []
    real = fsutil.os.scandir
    monkeypatch.setattr(fsutil.os, "scandir", lambda path=".": listed.append(str(path)) or real(path))
    assert build(load_settings(built), check=True).changed == [] and not any(str(docs) in p for p in listed)
    assert build(load_settings(built), check=True, full=True).changed == []  # --full trusts no stamp either
    assert len([p for p in listed if str(docs) in p]) == len(folders)
    monkeypatch.undo()
    folder = docs / "en" / "notices" / SEED_SLUG
    (folder / "notes-by-hand.md").write_text("mine")
    run = run_cli(built, "build")
    assert run.returncode == 0 and "notices/" + SEED_SLUG + "/notes-by-hand.md: not written by noticepub" in run.stdout
    (folder / "notes-by-hand.md").unlink()
    page = folder / "a1.md"
    data = page.read_bytes()
    page.unlink()
    problems = ready_for_site(load_settings(built))
    assert len(problems) == 1 and "a1.md: is missing" in problems[0], problems
    assert run_cli(built, "build").returncode == 0 and page.read_bytes() == data
    time.sleep(STAMP_MARGIN_NS / 1e9 + 0.2)
    assert run_cli(built, "build").returncode == 0
    with open(page, "r+b") as fh:  # in place: its folder keeps its stamp, the page's own stat changes
        fh.write(b"X")
    problems = ready_for_site(load_settings(built))
    assert len(problems) == 1 and "a1.md: differs from what the build wrote" in problems[0], problems
    assert run_cli(built, "build").returncode == 0 and page.read_bytes() == data
    (folder / "elsewhere").symlink_to(tmp_path)
    _one_line_error(run_cli(built, "site"), 2, "symbolic link", "elsewhere")


def test_foreign_file_at_a_generated_path_is_not_overwritten(built):
    manifest = built / "docs" / ".noticepub-manifest.json"
    target = built / "docs" / "en" / "notices" / SEED_SLUG / "a1.md"
    target.unlink()
    data = manifest.read_text()
    manifest.write_text(data.replace(f'"en/notices/{SEED_SLUG}/a1.md"', '"en/notices/elsewhere.md"'))
    target.write_text("someone else's page")
    _one_line_error(run_cli(built, "build"), 2, "a1.md", "not written by noticepub")
    assert target.read_text() == "someone else's page"


def test_generated_page_that_left_the_manifest_owner_is_deleted_only_if_owned(built):
    raw = built / "source_texts" / SEED_ID / "raw.txt"
    (built / "source_texts" / "second").mkdir()
    shutil.copy2(raw, built / "source_texts" / "second" / "raw.txt")
    (built / "source_texts" / "second" / "notice.yml").write_text("publication: 第二报\n", encoding="utf-8")  # own URL
    assert run_cli(built, "build").returncode == 0
    [second] = [p.parent for p in (built / "docs" / "en" / "notices").glob("*/a1.md") if p.parent.name != SEED_SLUG]
    assert (second / "a1.md").is_file()
    shutil.rmtree(built / "source_texts" / "second")
    run = run_cli(built, "build")
    assert run.returncode == 0, run.stderr
    assert not second.exists()  # ours: removed with its notice


def test_manifest_naming_files_outside_docs_is_refused(built, tmp_path):
    manifest = built / "docs" / ".noticepub-manifest.json"
    manifest.write_text(manifest.read_text().replace('"files": {', '"files": {"../pyproject.toml": "0",', 1))
    _one_line_error(run_cli(built, "build"), 2, ".noticepub-manifest.json", "not a valid noticepub manifest")
    assert (built / "pyproject.toml").is_file()


# ------------------------------------------------------------------ 2. symlink policy
def test_raw_txt_symlinked_outside_the_repo_is_not_published(built, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密文件内容。绝不能发布。\n" * 5, encoding="utf-8")
    folder = built / "source_texts" / "leak"
    folder.mkdir()
    (folder / "raw.txt").symlink_to(secret)
    _one_line_error(run_cli(built, "build"), 2, "raw.txt", "symbolic link")
    assert not any("机密" in data.decode("utf-8", "replace") for data in _snapshot(built / "docs").values())


def test_symlinked_notice_folder_never_gets_an_en_po_written_outside(built, tmp_path):
    outside = tmp_path / "outside-notice"
    shutil.copytree(built / "source_texts" / SEED_ID, outside)
    (outside / "en.po").unlink()
    (built / "source_texts" / "linked").symlink_to(outside)
    _one_line_error(run_cli(built, "build"), 2, "linked", "symbolic link")
    assert not (outside / "en.po").exists()


def test_folder_symlinked_to_another_notice_is_refused(built):
    (built / "source_texts" / "twin").symlink_to(built / "source_texts" / SEED_ID)
    po_before = (built / "source_texts" / SEED_ID / "en.po").read_bytes()
    _one_line_error(run_cli(built, "build"), 2, "twin", "symbolic link")
    assert (built / "source_texts" / SEED_ID / "en.po").read_bytes() == po_before


@pytest.mark.parametrize("name", ["en.po", "notice.yml"])
def test_symlinked_notice_files_are_refused(built, tmp_path, name):
    target = tmp_path / name
    shutil.copy2(built / "source_texts" / SEED_ID / name, target)
    (built / "source_texts" / SEED_ID / name).unlink()
    (built / "source_texts" / SEED_ID / name).symlink_to(target)
    _one_line_error(run_cli(built, "build"), 2, name, "symbolic link")


def test_symlinked_glossary_is_refused(built, tmp_path):
    target = tmp_path / "glossary.yml"
    shutil.copy2(built / "source_texts" / "glossary.yml", target)
    (built / "source_texts" / "glossary.yml").unlink()
    (built / "source_texts" / "glossary.yml").symlink_to(target)
    _one_line_error(run_cli(built, "build"), 2, "glossary.yml", "symbolic link")


# ------------------------------------------------------------------ 3. slugs
@pytest.mark.parametrize("slugs", ["{a1: a2}", "{a1: index}", "{a2: a1-bilingual}", "{a1: same, a3: same}"])
def test_colliding_slugs_are_refused_naming_notice_yml_and_key(built, slugs):
    meta = built / "source_texts" / SEED_ID / "notice.yml"
    meta.write_text(f"slugs: {slugs}\n", encoding="utf-8")
    docs_before = _snapshot(built / "docs")
    line = _one_line_error(run_cli(built, "build"), 2, "notice.yml", "slugs")
    assert re.search(r"slugs(\.a\d)?", line)
    assert _snapshot(built / "docs") == docs_before


def test_distinct_slugs_build_one_page_per_article(built):
    (built / "source_texts" / SEED_ID / "notice.yml").write_text("slugs: {a1: ministry-training}\n", encoding="utf-8")
    assert run_cli(built, "build").returncode == 0
    pages = sorted(p.name for p in (built / "docs" / "en" / "notices" / SEED_SLUG).iterdir())
    # the old URLs of a1 and of the bilingual pages: redirect folders (source_texts/urls.txt)
    assert pages == ["a1", "a1-bilingual", "a2-bilingual", "a2.md", "a3-bilingual", "a3.md", "a4-bilingual", "a4.md",
                     "index.md", "ministry-training.md"]
    assert sorted(p.name for p in (built / "docs" / "en" / "notices" / SEED_SLUG / "a1").iterdir()) == ["index.html"]


# ------------------------------------------------------------------ 4. strict PO reading and size limits
def _po(project: Path) -> Path:
    return project / "source_texts" / SEED_ID / "en.po"


def _break_po(text: str, how: str) -> str:
    first = f'msgstr "{REVIEWED}'
    assert first in text
    if how == "unterminated":
        return text.replace(first + ' for Elderly Care Institutions"', first + " for Elderly Care Institutions", 1)
    if how == "unopened":
        return text.replace(first, f"msgstr {REVIEWED}", 1)
    if how == "bad-escape":
        return text.replace(first, first + r" \q", 1)
    if how == "duplicate-msgctxt":
        return text + '\nmsgctxt "a1.p1.2"\nmsgid "重复"\nmsgstr "duplicate"\n'
    if how == "missing-msgid":
        return text.replace('msgctxt "a1.p1.2"\nmsgid ', 'msgctxt "a1.p1.2"\nmsgidd ', 1)
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["unterminated", "unopened", "bad-escape", "duplicate-msgctxt", "missing-msgid"])
def test_malformed_po_is_refused_with_file_and_line_and_never_rewritten(built, how):
    po = _po(built)
    broken = _break_po(po.read_text(encoding="utf-8"), how).encode()
    po.write_bytes(broken)
    docs_before = _snapshot(built / "docs")
    line = _one_line_error(run_cli(built, "build"), 2, "en.po: line ")
    assert re.search(r"en\.po: line \d+:", line)
    assert po.read_bytes() == broken
    assert _snapshot(built / "docs") == docs_before


def test_empty_po_is_refused_not_taken_as_all_pending(built):
    _po(built).write_bytes(b"")
    _one_line_error(run_cli(built, "build"), 2, "en.po", "empty")
    assert _po(built).read_bytes() == b""


def test_directory_en_po_is_refused_before_anything_changes(built):
    _po(built).unlink()
    _po(built).mkdir()
    docs_before = _snapshot(built / "docs")
    _one_line_error(run_cli(built, "build"), 2, "en.po", "not a regular file")
    assert _snapshot(built / "docs") == docs_before


@pytest.mark.parametrize(("name", "setting"), [("en.po", "max_po_bytes"), ("notice.yml", "max_yaml_bytes"),
                                               ("../glossary.yml", "max_yaml_bytes"),
                                               ("../zh-Hant-overrides.yml", "max_yaml_bytes")])
def test_every_input_has_a_size_limit_named_in_the_message(built, name, setting):
    _set_setting(built, setting, "2000")
    path = built / "source_texts" / SEED_ID / name
    if not path.exists():
        path.write_text("# metadata\n" * 300, encoding="utf-8")
    _one_line_error(run_cli(built, "build"), 2, "over the limit of 2,000 bytes", setting)


def test_huge_msgstr_is_refused_by_the_default_limit(built):
    po = _po(built)
    text = po.read_text(encoding="utf-8").replace(f'msgstr "{REVIEWED}', f'msgstr "{"x" * 20_000_000}', 1)
    po.write_text(text, encoding="utf-8")
    _one_line_error(run_cli(built, "build"), 2, "en.po", "over the limit of 12,000,000 bytes", "max_po_bytes")


# ------------------------------------------------------------------ 5. console output never interprets data
def test_markup_and_escapes_in_glossary_values_reach_the_summary_as_text(built):
    glossary = built / "source_texts" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "- {zh: 民政部, en: Ministry of Civil Affairs,", "- {zh: 民政部, en: 'State Council [/b] [of China]',", 1),
        encoding="utf-8")
    run = run_cli(built, "build")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "State Council [/b]" in run.stdout and "[of China]" in run.stdout


def test_escape_sequence_in_glossary_is_refused_as_a_control_character(built):
    glossary = built / "source_texts" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "- {zh: 民政部, en: Ministry of Civil Affairs,", '- {zh: 民政部, en: "\\e[31mRed\\e[0m",', 1), encoding="utf-8")
    line = _one_line_error(run_cli(built, "build"), 2, "glossary.yml", "control character")
    assert "\x1b" not in line


def test_summary_prints_user_text_verbatim():
    from io import StringIO

    from rich.console import Console

    from noticepub.build import BuildReport
    from noticepub.commands.printout import print_summary

    report = BuildReport(warnings=["x: QA: 'State Council [/b]' missing [of China] \x1b[31mred\u202e"])
    out = StringIO()
    print_summary(report, console=Console(file=out, highlight=False, soft_wrap=True, width=200))
    text = out.getvalue()
    assert "State Council [/b]" in text and "[of China]" in text
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b[31mred\\u202e" in text


def test_error_messages_never_carry_raw_control_characters():
    from noticepub.errors import InputError

    line = InputError("a\x1b[2Jb", "bad \x1b]0;title\x07 \u202etext").one_line()
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    assert "\\x1b" in line


# ------------------------------------------------------------------ 6. crash consistency, leftovers, messages
def test_leftovers_of_an_interrupted_build_are_cleaned_by_the_next_build(built):
    folder = built / "source_texts" / SEED_ID
    (folder / ".en.po.tmp-4242").write_text("partial")
    (built / ".docs.backup-4242" / "en").mkdir(parents=True)
    (built / ".docs.staging-4242").mkdir()
    run = run_cli(built, "build")
    assert run.returncode == 0, run.stderr
    assert not (folder / ".en.po.tmp-4242").exists()
    assert not [p.name for p in built.iterdir() if p.name.startswith(".docs.")]


def test_temporary_of_a_killed_translate_is_removed_by_the_next_build(built):
    """`noticepub translate` writes en.po through a temporary sibling: one a killed run left is removed
    by the next build even without a staging folder; a name that only looks similar stays."""
    folder = built / "source_texts" / SEED_ID
    (folder / ".en.po.tmp-4242").write_text("partial")
    (folder / ".en.po.tmp-mine").write_text("not a temporary of ours")
    run = run_cli(built, "build")
    assert run.returncode == 0, run.stderr
    assert not (folder / ".en.po.tmp-4242").exists()
    assert (folder / ".en.po.tmp-mine").read_text() == "not a temporary of ours"


def test_killed_apply_is_rolled_back_by_site_before_it_publishes(built):
    from noticepub.cache import ready_for_site
    from noticepub.settings import load_settings

    raw = built / "source_texts" / SEED_ID / "raw.txt"
    raw.write_bytes(raw.read_bytes().replace("民政部".encode(), "民政部门".encode(), 3))
    before = _snapshot(built / "docs")
    po_before = _po(built).read_bytes()
    run = run_cli(built, "build", env={"NOTICEPUB_KILL_AT": "apply:5"})
    assert run.returncode == -9
    assert _snapshot(built / "docs") != before  # half applied
    ready_for_site(load_settings(built))  # what `noticepub site` runs first
    assert _snapshot(built / "docs") == before
    assert _po(built).read_bytes() == po_before
    assert not [p.name for p in built.iterdir() if p.name.startswith(".docs.")]


def test_hand_edit_restoring_size_and_mtime_is_caught_reported_and_repaired(built):
    from noticepub.cache import ready_for_site
    from noticepub.settings import load_settings

    page = built / "docs" / "en" / "notices" / SEED_SLUG / "a1.md"
    data = page.read_bytes()
    info = page.stat()
    page.write_bytes(data.replace(b"Ministry", b"Minestry", 1))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))  # same size, mtime restored
    check = run_cli(built, "build", "--check", "--full")
    assert check.returncode == 1 and "a1.md" in check.stdout
    assert run_cli(built, "build", "--check").returncode == 1  # the stat cache sees the ctime change too
    problems = ready_for_site(load_settings(built))  # `noticepub site` warns before publishing
    assert len(problems) == 1 and "a1.md: differs from what the build wrote" in problems[0]
    assert run_cli(built, "build").returncode == 0
    assert page.read_bytes() == data  # repaired
    assert run_cli(built, "build", "--check", "--full").returncode == 0
    assert ready_for_site(load_settings(built)) == []


def _chattr(path: Path, flag: str) -> bool:
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_immutable_en_po_fails_cleanly_and_the_message_is_true(built):
    raw = built / "source_texts" / SEED_ID / "raw.txt"
    raw.write_bytes(raw.read_bytes() + "补充一句。\n".encode())
    po = _po(built)
    if not _chattr(po, "+i"):
        pytest.skip("chattr +i is not available here")
    try:
        before = _snapshot(built / "docs")
        po_before = po.read_bytes()
        run = run_cli(built, "build")
        line = _one_line_error(run, 1, "en.po")
        assert "docs/ and translation files were left as they were" in line
        assert _snapshot(built / "docs") == before
        assert po.read_bytes() == po_before
        assert not [p.name for p in built.iterdir() if p.name.startswith(".docs.")]
        assert not list(po.parent.glob(".en.po.tmp-*"))
    finally:
        _chattr(po, "-i")


def test_failure_while_replacing_po_files_rolls_back_docs_too(built):
    raw = built / "source_texts" / SEED_ID / "raw.txt"
    raw.write_bytes(raw.read_bytes() + "补充一句。\n".encode())
    before = _snapshot(built / "docs")
    po_before = _po(built).read_bytes()
    run = run_cli(built, "build", env={"NOTICEPUB_FAULT": "side"})
    _one_line_error(run, 1, "docs/ and translation files were left as they were")
    assert _snapshot(built / "docs") == before and _po(built).read_bytes() == po_before


# ------------------------------------------------------------------ 7. value validation and invisible characters
def test_empty_override_is_refused(built):
    overrides = built / "source_texts" / "zh-Hant-overrides.yml"
    overrides.write_text('overrides:\n  - {opencc: "", hant: X}\n', encoding="utf-8")
    _one_line_error(run_cli(built, "build"), 2, "zh-Hant-overrides.yml", "override #1 key 'opencc'", "empty")


def test_invisible_only_override_and_tag_are_refused(built):
    (built / "source_texts" / SEED_ID / "notice.yml").write_text('tags: ["\\u200b"]\n', encoding="utf-8")
    _one_line_error(run_cli(built, "build"), 2, "notice.yml", "tags")


def test_format_characters_from_po_and_notice_yml_never_reach_a_page(built):
    po = _po(built)
    po.write_text(po.read_text(encoding="utf-8").replace(f'msgstr "{REVIEWED}', f'msgstr "\u202e{REVIEWED}\u200b', 1),
                  encoding="utf-8")
    (built / "source_texts" / SEED_ID / "notice.yml").write_text(
        'publication: "中国\u202e社会报"\ntags: ["养老\u200b服务"]\n', encoding="utf-8")
    run = run_cli(built, "build")
    assert run.returncode == 0, run.stderr
    pages = _snapshot(built / "docs")
    assert not any("\u202e" in d.decode() or "\u200b" in d.decode() for d in pages.values())
    assert any("中国社会报" in d.decode() for d in pages.values())
    assert any(REVIEWED in d.decode() for rel, d in pages.items() if rel.startswith("en/"))


# ------------------------------------------------------------------ issue 25: planted journals are validated before use
def _files(project: Path) -> dict[str, bytes]:
    """Every file of the project but the lock file (which holds the pid of the last command)."""
    return {rel: data for rel, data in _snapshot(project).items() if rel != ".noticepub.lock"}


def _plant_journal(project: Path, journal, pid: int = 4242) -> Path:
    import json

    path = project / f".docs.journal-{pid}"
    path.write_bytes(journal if isinstance(journal, bytes) else json.dumps(journal).encode())
    return path


@pytest.mark.parametrize("command", ["build", "site"])
def test_planted_journal_cannot_delete_files_outside_docs(built, tmp_path, command):
    """A planted `.docs.journal-N` deleted pyproject.toml and an absolute path."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    for rel in ("../pyproject.toml", str(victim), "zh-Hans/../../pyproject.toml"):
        journal = _plant_journal(built, {"writes": [rel], "deletes": [rel], "existed": []})
        before = _files(built)
        line = _one_line_error(run_cli(built, command), 2, ".docs.journal-4242", "not a path inside docs/")
        assert "git checkout -- docs" in line
        assert _files(built) == before and victim.read_text(encoding="utf-8") == "precious\n"
        journal.unlink()


def test_planted_journal_and_backup_cannot_overwrite_an_arbitrary_file(built, tmp_path):
    """With a planted backup, a journal's side entry overwrote any file the user could write."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    backup = built / ".docs.backup-4242" / ".side-files"
    backup.mkdir(parents=True)
    (backup / "0").write_text("attacker's bytes\n", encoding="utf-8")
    _plant_journal(built, {"writes": [], "deletes": [], "existed": [],
                           "side": [{"path": str(victim), "tmp": str(victim.with_name(".victim.txt.tmp-4242")),
                                     "existed": True}]})
    for target in (victim, built / "pyproject.toml"):  # outside the repository, and a project file inside it
        _plant_journal(built, {"writes": [], "deletes": [], "existed": [],
                               "side": [{"path": str(target), "tmp": str(target.with_name(f".{target.name}.tmp-4242")),
                                         "existed": True}]})
        before = _files(built)
        _one_line_error(run_cli(built, "build"), 2, ".docs.journal-4242", "translation memory")
        assert _files(built) == before and victim.read_text(encoding="utf-8") == "precious\n"


@pytest.mark.parametrize("journal", [b"[]", b"null", b"\xff\xfe", b'{"writes": "zh-Hans/index.md"}',
                                     b'{"writes": [1], "deletes": [], "existed": []}',
                                     b'{"writes": [], "deletes": [], "existed": [], "side": [{"path": 3}]}',
                                     b'{"writes": [], "deletes": [], "existed": [], "evil": 1}'])
def test_journal_of_the_wrong_shape_is_refused_in_one_line(built, journal):
    """A journal of the wrong shape gave a traceback."""
    _plant_journal(built, journal)
    before = _files(built)
    for command in ("build", "site"):
        _one_line_error(run_cli(built, command), 2, ".docs.journal-4242", "restore docs/ from git")
    assert _files(built) == before
