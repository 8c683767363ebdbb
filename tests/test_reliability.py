"""Concurrent builds, oversized input, and hostile notice ids: nothing corrupted, nothing written outside docs/."""

from __future__ import annotations

import subprocess
import sys

from conftest import SEED_ID, run_cli
from noticepub.fsutil import list_tree


def test_two_builds_at_once_do_not_corrupt_docs(tmp_project):
    raw = tmp_project / "source_texts" / SEED_ID / "raw.txt"
    raw.write_text(raw.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    env = {"CI": "1"}
    import os

    procs = [subprocess.Popen([sys.executable, "-m", "noticepub", "build"], cwd=tmp_project,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env})
             for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    check = run_cli(tmp_project, "build", "--check")
    assert check.returncode == 0, check.stdout
    assert not [p for p in tmp_project.iterdir() if p.name.startswith(".docs.")]


def test_oversized_raw_file_is_refused_naming_the_limit(tmp_project):
    big = tmp_project / "source_texts" / "big-page" / "raw.txt"
    big.parent.mkdir()
    big.write_bytes(("民政部开展培训。" * 1000 + "\n").encode() * 850)  # ~20 MB
    before = {rel: (tmp_project / "docs" / rel).read_bytes() for rel in list_tree(tmp_project / "docs")}
    run = run_cli(tmp_project, "build")
    assert run.returncode == 2
    assert "over the limit of 4,000,000 bytes" in run.stderr and "max_raw_bytes" in run.stderr
    assert {rel: (tmp_project / "docs" / rel).read_bytes() for rel in list_tree(tmp_project / "docs")} == before


def test_hostile_slug_cannot_escape_docs(tmp_project):
    (tmp_project / "source_texts" / SEED_ID / "notice.yml").write_text("slugs: {a1: ../../../../tmp/pwned}\n",
                                                                        encoding="utf-8")
    run = run_cli(tmp_project, "build")
    assert run.returncode == 2 and "slugs.a1" in run.stderr
    assert not (tmp_project.parent / "tmp").exists()
