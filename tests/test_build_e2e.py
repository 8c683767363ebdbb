"""`noticepub build` end to end on the seed: three languages, check mode, determinism, bad input, crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED_ID, run_cli
from noticepub.fsutil import list_tree


def _snapshot(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in list_tree(root)}


@pytest.fixture()
def built(tmp_project: Path) -> Path:
    run = run_cli(tmp_project, "build")
    assert run.returncode == 0, run.stderr
    return tmp_project


def test_build_writes_three_languages(built):
    files = list_tree(built / "docs")
    for lang in ("zh-Hans", "zh-Hant", "en"):
        assert any(f.startswith(f"{lang}/") and f.endswith(".md") for f in files), lang
    assert (built / "docs" / "zh-Hans" / "index.md").is_file()


def test_warm_build_reuses_everything_and_check_passes(built):
    before = _snapshot(built / "docs")
    run = run_cli(built, "build")
    assert run.returncode == 0
    assert "0 rebuilt" in run.stdout
    assert _snapshot(built / "docs") == before
    check = run_cli(built, "build", "--check")
    assert check.returncode == 0, check.stdout


def test_check_fails_after_a_source_edit_and_lists_files(built):
    raw = built / "source_texts" / SEED_ID / "raw.txt"
    raw.write_text(raw.read_text(encoding="utf-8").replace("民政部养老服\n", "民政部养老服\n", 1) + "\n", encoding="utf-8")
    (built / "source_texts" / SEED_ID / "notice.yml").write_text("tags: [养老服务]\n", encoding="utf-8")
    before = _snapshot(built / "docs")
    check = run_cli(built, "build", "--check")
    assert check.returncode == 1
    assert "would change:" in check.stdout
    assert _snapshot(built / "docs") == before  # --check writes nothing


def test_unchanged_inputs_are_not_read_and_an_edit_keeping_size_and_mtime_is_seen(built):
    """Inputs whose stat is as the last build read them are not read again (sources.InputState): the stat
    cache lists them once they are older than the stamp margin. An edit of raw.txt that restores its size
    and mtime still changes its ctime: the notice is rebuilt, its pages follow, and a plain edit of
    notice.yml or en.po is seen the same way."""
    import os
    import re
    import time

    from noticepub.fsutil import STAMP_MARGIN_NS
    from noticepub.site_incremental import read_signed
    from noticepub.sources import CACHE_VERSION

    stat_cache = built / ".noticepub-cache" / f"v{CACHE_VERSION}" / "input-stat-cache.json"
    time.sleep(STAMP_MARGIN_NS / 1e9 + 0.2)  # inputs changed within the margin are read again, never listed
    run = run_cli(built, "build")
    assert run.returncode == 0 and "0 rebuilt" in run.stdout, run.stdout
    folder = built / "source_texts" / SEED_ID
    assert set(read_signed(stat_cache)) >= {f"{SEED_ID}/raw.txt", f"{SEED_ID}/notice.yml", f"{SEED_ID}/en.po"}
    raw = folder / "raw.txt"
    text = raw.read_text(encoding="utf-8")
    edited = text.replace("民政部", "民政局", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    info = raw.stat()
    raw.write_text(edited, encoding="utf-8")
    os.utime(raw, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert raw.stat().st_size == info.st_size and raw.stat().st_mtime_ns == info.st_mtime_ns
    before = _snapshot(built / "docs")
    run = run_cli(built, "build")
    assert run.returncode == 0 and "1 rebuilt" in run.stdout, run.stdout
    after = _snapshot(built / "docs")
    assert after != before and any("民政局" in data.decode() for data in after.values())
    for name, change in (("notice.yml", lambda t: t.replace("tags: [", "tags: [新标签, ", 1)),
                         ("en.po", lambda t: re.sub(r'msgstr "[^"]+"', 'msgstr "Edited by hand."', t, count=1))):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert change(text) != text, name
        path.write_text(change(text), encoding="utf-8")
        run = run_cli(built, "build")
        assert run.returncode == 0 and "1 rebuilt" in run.stdout, (name, run.stdout, run.stderr)
    assert run_cli(built, "build", "--check").returncode == 0


def test_two_fresh_builds_are_byte_identical(tmp_path, tmp_project):
    import shutil

    other = tmp_path / "other"
    shutil.copytree(tmp_project, other)
    assert run_cli(tmp_project, "build").returncode == 0
    assert run_cli(other, "build").returncode == 0
    assert _snapshot(tmp_project / "docs") == _snapshot(other / "docs")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("raw.txt", b"", "raw.txt: "),
        ("raw.txt", b"\x00\x01\x02PK\x03\x04" * 200, "raw.txt: "),
        ("raw.txt", b"\xff\xfe\xfa\xfb" * 50, "raw.txt: "),
        ("notice.yml", b"date: [unclosed\n", "notice.yml: malformed YAML"),
        ("notice.yml", b"colour: red\n", "notice.yml: unknown key 'colour'"),
    ],
)
def test_bad_input_one_line_error_nonzero_exit_docs_untouched(built, name, content, expected):
    before = _snapshot(built / "docs")
    (built / "source_texts" / SEED_ID / name).write_bytes(content)
    run = run_cli(built, "build")
    assert run.returncode != 0
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert expected in lines[0]
    assert "Traceback" not in run.stderr
    assert _snapshot(built / "docs") == before


def test_bad_notice_folder_name_is_refused(built):
    (built / "source_texts" / "Bad.Name").mkdir()
    (built / "source_texts" / "Bad.Name" / "raw.txt").write_text("测试", encoding="utf-8")
    run = run_cli(built, "build")
    assert run.returncode == 2
    assert "not a valid notice id" in run.stderr


@pytest.mark.parametrize("stage", ["parse", "variants", "translate", "render", "index", "write", "swap",
                                   "swap:interrupt", "render:interrupt", "apply", "apply:interrupt"])
def test_failure_at_any_stage_leaves_docs_and_po_untouched(built, stage):
    folder = built / "source_texts" / SEED_ID
    (folder / "raw.txt").write_bytes((folder / "raw.txt").read_bytes() + "补充一句。\n".encode())
    docs_before = _snapshot(built / "docs")
    po_before = (folder / "en.po").read_bytes() if (folder / "en.po").exists() else None
    run = run_cli(built, "build", env={"NOTICEPUB_FAULT": stage})
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert _snapshot(built / "docs") == docs_before
    assert ((folder / "en.po").read_bytes() if (folder / "en.po").exists() else None) == po_before
    leftovers = [p.name for p in built.iterdir() if p.name.startswith(".docs.")]
    assert leftovers == []
    assert run_cli(built, "build").returncode == 0  # and the next build succeeds


def test_rebuild_script_matches_cli(built):
    import subprocess
    import sys

    from conftest import REPO

    run = subprocess.run([sys.executable, str(REPO / "scripts" / "rebuild.py"), "--check"], cwd=built,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
