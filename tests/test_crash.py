"""A build killed (SIGKILL) at random points, many times with a fixed seed: once the next command has run,
docs/ is exactly the old or the new build — never a mix — and no reviewed translation is lost."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from conftest import SEED_ID, copy_project, run_cli
from noticepub.fsutil import list_tree

SEED = 20261129
ROUNDS = 10


def _snapshot(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in list_tree(root)}


def _reviewed(po_path: Path) -> set[tuple[str, str]]:
    po = polib.pofile(str(po_path), wrapwidth=0)
    return {(e.msgid, e.msgstr) for e in po if e.msgstr and not e.fuzzy}


def _all_translations(po_path: Path) -> set[tuple[str, str]]:
    po = polib.pofile(str(po_path), wrapwidth=0)
    return {(e.msgid, e.msgstr) for e in po if e.msgstr}


def _edit(project: Path, n: int) -> None:
    """A change that rewrites many pages and the translation memories: every notice's text changes."""
    for folder in sorted((project / "source_texts").iterdir()):
        raw = folder / "raw.txt"
        if raw.is_file():
            raw.write_bytes(raw.read_bytes() + f"第{n}次补充说明。\n".encode())


@pytest.mark.slow
def test_random_kills_leave_docs_old_or_new_and_keep_reviewed_translations(tmp_path):
    project = copy_project(tmp_path / "project")
    for name in ("second", "third"):  # more pages, so kills land inside the apply step too
        shutil.copytree(project / "source_texts" / SEED_ID, project / "source_texts" / name)
        with (project / "source_texts" / name / "notice.yml").open("a", encoding="utf-8") as fh:
            fh.write(f"publication: {name} paper\n")  # its own readable URL
    build = run_cli(project, "build")
    assert build.returncode == 0, build.stderr
    po_paths = sorted((project / "source_texts").glob("*/en.po"))
    reviewed = {p: _reviewed(p) for p in po_paths}
    assert all(reviewed.values())

    rng = random.Random(SEED)
    env = {**os.environ, "CI": "1"}
    outcomes = {"old": 0, "new": 0}
    for n in range(ROUNDS):
        old_docs = _snapshot(project / "docs")
        _edit(project, n)

        if n % 2 == 0:  # a deterministic kill point inside apply (any step of the writes, deletes, PO renames)
            kill_env = {**env, "NOTICEPUB_KILL_AT": f"apply:{rng.randint(1, 60)}"}
            proc = subprocess.Popen([sys.executable, "-m", "noticepub", "build"], cwd=project, env=kill_env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            proc.wait(timeout=300)
        else:  # a kill at a random moment
            proc = subprocess.Popen([sys.executable, "-m", "noticepub", "build"], cwd=project, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.3, 5.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)

        # the next command: `noticepub site`'s first step on odd rounds, a build --check then a build otherwise
        if n % 3 == 1:
            from noticepub.cache import ready_for_site
            from noticepub.settings import load_settings

            try:
                ready_for_site(load_settings(project))
            except Exception as exc:  # noqa: BLE001 - a refusal is fine, a mix is not
                assert "run `noticepub build`" in str(exc), exc
        after = _snapshot(project / "docs")
        settled = not any(p.name.startswith(".docs.journal-") for p in project.iterdir())

        run = run_cli(project, "build")  # the next command (or the one after `site`'s check)
        assert run.returncode == 0, run.stderr
        new_docs = _snapshot(project / "docs")  # builds are deterministic: this is what the killed one would write
        if settled:
            assert after in (old_docs, new_docs), f"round {n}: docs/ is a mix of old and new"
            outcomes["old" if after == old_docs else "new"] += 1
        assert run_cli(project, "build", "--check", "--full").returncode == 0
        leftovers = [p.name for p in project.iterdir() if p.name.startswith((".docs.", "..docs."))]
        assert leftovers == []
        assert not list((project / "source_texts").glob("*/.en.po.tmp-*"))
        for path, pairs in reviewed.items():
            assert pairs <= _all_translations(path), f"round {n}: a reviewed translation was lost in {path}"
    assert outcomes["old"] + outcomes["new"] >= ROUNDS // 3, outcomes
