"""build, translate and status read a notice the same way (issue 20): corrections, limits, msgfmt, symlinks.

The alternating test runs the three commands in turn on corrected notices (splits, joins, headline moves,
then the corrections reverted) with the tiny genuine Argos model of argos_tiny.py, and checks after every
command that the PO files pass msgfmt, that no reviewed translation moved to another Chinese sentence or
was lost, and that every command counts the same segments.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from argos_tiny import argos_env, build_argos_package
from conftest import SEED_ID, run_cli

COPY_ID = "seed-copy"
# correction states, applied in turn to the seed (first column) and to its copy (second column)
STATES = [
    ("split: [57]", "headlines: {127: [281-282], 198: [284-285]}"),
    ("split: [57, 94]\n  join: [[18, 32]]", "join: [[60, 71]]\n  split: [94]"),
    ("headlines: {127: [281-282], 198: [284-285]}\n  join: [[60, 71]]", "split: [57]"),
    (None, None),  # every correction reverted
]
ORDERS = [("build", "translate", "status"), ("translate", "status", "build"), ("status", "build", "translate")]


class ReviewedEntryMoved(AssertionError):
    pass


def reviewed_pairs(po_path: Path) -> dict[str, tuple[str, str]]:
    """msgctxt -> (Chinese, English) of every reviewed (non-fuzzy, translated) active entry."""
    return {e.msgctxt: (e.msgid, e.msgstr) for e in polib.pofile(str(po_path))
            if not e.obsolete and e.msgstr and not e.fuzzy}


def check_reviewed(po_path: Path, original: dict[str, tuple[str, str]]) -> None:
    """Raise ReviewedEntryMoved when a reviewed translation sits on another Chinese sentence or is gone."""
    run = subprocess.run(["msgfmt", "--check-format", "-o", os.devnull, str(po_path)], capture_output=True, text=True)
    if run.returncode:
        raise AssertionError(f"msgfmt: {run.stderr}")
    allowed = set(original.values())
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgstr and not entry.fuzzy and not entry.obsolete and (entry.msgid, entry.msgstr) not in allowed:
            raise ReviewedEntryMoved(f"{entry.msgctxt}: reviewed {entry.msgstr[:40]!r} on {entry.msgid[:20]!r}")
    kept = {(e.msgid, e.msgstr) for e in po if e.msgstr and not e.fuzzy}  # active or obsolete
    lost = allowed - kept
    if lost:
        raise ReviewedEntryMoved(f"{len(lost)} reviewed translation(s) lost, e.g. {sorted(lost)[0][1][:40]!r}")


def _segments(command: str, stdout: str) -> int:
    if command == "build":
        match = re.search(r"English segments\s+(\d+) edited, (\d+) machine, (\d+) pending", stdout)
        assert match, stdout
        return sum(int(n) for n in match.groups())
    if command == "translate":
        match = re.search(r"(\d+) notice\(s\), (\d+) segment\(s\)", stdout)
        assert match, stdout
        return int(match.group(2))
    row = next(line for line in stdout.splitlines() if line.startswith("total"))
    return int(row.split()[1])


def _write_corrections(folder: Path, corrections: str | None) -> None:
    text = "tags: [养老服务]\n" + ("date: 2023-01-17\n" if folder.name == COPY_ID else "")
    if corrections:
        text += f"corrections:\n  {corrections}\n"
    folder.joinpath("notice.yml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return build_argos_package(tmp_path_factory.mktemp("argos-build"), version="1.0", seed=1)


@pytest.mark.engine
def test_build_translate_status_alternate_on_corrected_notices(tmp_project, tmp_path, tiny_model):
    env = argos_env(tmp_path / "argos-home")
    assert run_cli(tmp_project, "models", "install", str(tiny_model), env=env).returncode == 0
    sources = tmp_project / "source_texts"
    shutil.copytree(sources / SEED_ID, sources / COPY_ID)
    folders = [sources / SEED_ID, sources / COPY_ID]
    originals = [reviewed_pairs(f / "en.po") for f in folders]
    assert len(originals[0]) == 72
    machine_filled = 0
    for state, order in zip(STATES, ORDERS + ORDERS, strict=False):
        for folder, corrections in zip(folders, state, strict=True):
            _write_corrections(folder, corrections)
        counts = {}
        for command in order:
            run = run_cli(tmp_project, command, env=env)
            assert run.returncode == 0, f"{state} {command}: {run.stderr}"
            assert "Traceback" not in run.stderr
            counts[command] = _segments(command, run.stdout)
            if command == "translate" and "filled by" in run.stdout:
                machine_filled += 1
            for folder, original in zip(folders, originals, strict=True):
                check_reviewed(folder / "en.po", original)
        assert len(set(counts.values())) == 1, f"{state}: segment counts differ: {counts}"
    assert machine_filled >= 2  # the splits and joins made new sentences, which the model translated
    for folder, original in zip(folders, originals, strict=True):
        assert reviewed_pairs(folder / "en.po") == original  # reverted: every reviewed entry back in place
    assert run_cli(tmp_project, "build", "--check").returncode == 0


def test_a_moved_reviewed_entry_fails_the_check(tmp_path):
    """The mutation: a reviewed translation put on another sentence (or dropped) is caught."""
    po_path = tmp_path / "en.po"
    shutil.copy2(Path(__file__).resolve().parents[1] / "source_texts" / SEED_ID / "en.po", po_path)
    original = reviewed_pairs(po_path)
    check_reviewed(po_path, original)
    po = polib.pofile(str(po_path))
    first, second = [e for e in po if not e.obsolete][:2]
    first.msgstr, second.msgstr = second.msgstr, first.msgstr
    po.save(str(po_path))
    with pytest.raises(ReviewedEntryMoved, match="reviewed"):
        check_reviewed(po_path, original)
    po = polib.pofile(str(po_path))
    first, second = [e for e in po if not e.obsolete][:2]
    first.msgstr, second.msgstr = second.msgstr, first.msgstr  # swapped back
    po.remove(second)  # and one reviewed entry dropped
    po.save(str(po_path))
    with pytest.raises(ReviewedEntryMoved, match="1 reviewed translation"):
        check_reviewed(po_path, original)


@pytest.mark.parametrize("case", ["empty", "malformed", "symlink"])
def test_every_command_refuses_what_the_build_refuses(tmp_project, case):
    po = tmp_project / "source_texts" / SEED_ID / "en.po"
    good = po.read_bytes()
    if case == "empty":
        po.write_bytes(b"")
    elif case == "malformed":  # an unterminated string: polib would read it and the rewrite would lose text
        po.write_bytes(good.replace(b'msgstr "Ministry', b'msgstr "Ministry\n', 1))
    else:
        target = tmp_project / "elsewhere.po"
        target.write_bytes(good)
        po.unlink()
        po.symlink_to(target)
    before = po.read_bytes() if case != "symlink" else None
    for command in ("build", "translate", "status", "qa"):
        run = run_cli(tmp_project, command)
        assert run.returncode == 2, (command, run.stdout, run.stderr)
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and f"source_texts/{SEED_ID}/en.po" in lines[0], (command, run.stderr)
        if case == "symlink":
            assert po.is_symlink() and "symbolic link" in lines[0]
        else:
            assert po.read_bytes() == before


def test_a_sync_that_moves_a_reviewed_entry_fails_the_check(tmp_project, monkeypatch):
    """The same check on the code: a mutant sync that hands a reviewed translation to its neighbour is caught."""
    from noticepub.notice import po_output, read_notice, translation_memory
    from noticepub.settings import load_settings
    from noticepub.translate import memory as tm

    folder = tmp_project / "source_texts" / SEED_ID
    original = reviewed_pairs(folder / "en.po")
    _write_corrections(folder, "split: [57]")
    settings = load_settings(tmp_project)
    real_sync = tm.Memory.sync

    def mutant(self, segments):
        real_sync(self, segments)
        reviewed = [e for e in self.po if not e.obsolete and e.msgstr and not e.fuzzy]
        reviewed[3].msgstr, reviewed[4].msgstr = reviewed[4].msgstr, reviewed[3].msgstr

    for sync, caught in ((real_sync, False), (mutant, True)):
        monkeypatch.setattr(tm.Memory, "sync", sync)
        notice = read_notice(folder, settings)
        memory, _ = translation_memory(notice)
        out = tmp_project / f"out-{caught}.po"
        out.write_bytes(po_output(notice, memory.to_bytes(), settings) or notice.inputs.po)
        if caught:
            with pytest.raises(ReviewedEntryMoved):
                check_reviewed(out, original)
        else:
            check_reviewed(out, original)


# sentences appended to raw.txt lines (the line count never changes, so the corrections' line numbers hold)
# or, for line 0, as a new last paragraph
ADDITIONS = [(16, "会议还部署了下一步工作。"), (73, "培训取得了良好效果。"), (123, "各地要抓好落实。"),
             (0, "新增的一段，民政部门加强养老服务。"), (305, "活动将持续到三月底。")]
CORRECTIONS = [STATES[0][0], STATES[1][0], STATES[2][0], STATES[0][1], None]


def _raw_with(raw: str, added: set[int]) -> str:
    lines = raw.split("\n")
    tail = ""
    for n in sorted(added):
        line, sentence = ADDITIONS[n]
        if line:
            lines[line - 1] += sentence
        else:
            tail = sentence + "\n"
    return "\n".join(lines).rstrip("\n") + "\n\n" + tail if tail else "\n".join(lines)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_additions_removals_and_corrections_keep_every_po_valid(tmp_project, seed):
    """Sentences added, removed and added again and corrections applied and reverted in random order, a
    build after each step: every en.po passes msgfmt (no obsolete entry beside an identical active one), no
    reviewed translation moves or is lost, and undoing everything restores every reviewed entry."""
    import random

    rng = random.Random(seed)
    folder = tmp_project / "source_texts" / SEED_ID
    raw_path = folder / "raw.txt"
    raw = raw_path.read_text(encoding="utf-8")
    original = reviewed_pairs(folder / "en.po")
    # the defect's own sequence first: add, remove, add again
    steps: list[tuple[set[int], str | None]] = [({3}, None), (set(), None), ({3}, None)]
    added, corrections = {3}, None
    for _ in range(7):
        if rng.random() < 0.6:
            added = added ^ {rng.randrange(len(ADDITIONS))}
        else:
            corrections = rng.choice(CORRECTIONS)
        steps.append((set(added), corrections))
    steps.append((set(), None))
    for added, corrections in steps:
        raw_path.write_text(_raw_with(raw, added), encoding="utf-8")
        _write_corrections(folder, corrections)
        run = run_cli(tmp_project, "build")
        assert run.returncode == 0, f"{sorted(added)} {corrections}: {run.stderr}"
        check_reviewed(folder / "en.po", original)
    assert reviewed_pairs(folder / "en.po") == original
