#!/usr/bin/env python3
"""Where the time of a one-notice change goes: `noticepub build` then `noticepub site`, profiled.

Makes (once) a benchmark archive of N notices with scripts/bench.py's generator in ``--root`` and builds it
cold; then, on every run, changes one notice's raw.txt (a line appended, swapped for another on the next runs,
so each run is a one-notice change) and runs `noticepub build` and `noticepub site` under cProfile in
subprocesses, each MkDocs worker of `site` under its own cProfile too. Prints the wall and CPU time of each
command and the top functions (cumulative) of each profile; the .prof files stay in ``ROOT/profiles/``
(read them with ``python -m pstats``).

    .venv/bin/python scripts/profile_change.py --root /tmp/np-1000 --notices 1000 [--top 25]
    .venv/bin/python scripts/profile_change.py --root /tmp/np-1000 --nothing   # nothing changed
"""

from __future__ import annotations

import argparse
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The change: a note appended to the last notice (as bench.py does), then swapped for the other note on
# every later run, so that each run edits one article and the archive keeps its shape.
NOTES = ("\n附记：站点增量构建基准修改了这一页。\n", "\n附记：站点增量构建基准再次修改了这一页。\n")
# The site command's MkDocs workers, each run under cProfile (see _site_wrapper).
WRAPPER = """\
import cProfile, os, subprocess, sys
import noticepub.site as site
real = subprocess.run
def run(args, *a, **k):
    if args[1:3] == ["-m", "noticepub.site_incremental"]:
        lang = args[args.index("--config") + 1].replace("/", "_")
        args = [args[0], "-m", "cProfile", "-o", os.path.join(sys.argv[1], f"worker-{lang}.prof"), *args[1:]]
    return real(args, *a, **k)
site.subprocess.run = run
cProfile.run("from noticepub.cli import main; main(['site', '--no-strict'])", os.path.join(sys.argv[1], "site.prof"))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "CI": "1", "PYTHONPATH": str(REPO / "scripts")}


def _timed(root: Path, args: list[str]) -> tuple[float, float]:
    """(wall, CPU of the process tree) of one command in ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, *args], cwd=root, env=_env(), capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{run.stderr[-3000:]}")
    for line in run.stderr.splitlines():
        if line.startswith("site:"):
            print("   ", line)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def prepare(root: Path, notices: int) -> None:
    if (root / "site").is_dir():
        return
    sys.path.insert(0, str(REPO / "scripts"))
    import bench

    bench.WORK = root.parent
    made = bench.make_archive(notices, bench.seed_articles())
    if made != root:
        shutil.rmtree(root, ignore_errors=True)
        os.replace(made, root)
    for args in (["-m", "noticepub", "build"], ["-m", "noticepub", "site", "--no-strict", "--clean"]):
        wall, cpu = _timed(root, args)
        print(f"cold {args[2]}: {wall:.1f} s wall, {cpu:.1f} s CPU")


def toggle(root: Path) -> str:
    raw = sorted((root / "source_texts").glob("n*"))[-1] / "raw.txt"
    text = raw.read_text(encoding="utf-8")
    if text.endswith(NOTES[0]):
        text = text[:-len(NOTES[0])] + NOTES[1]
    elif text.endswith(NOTES[1]):
        text = text[:-len(NOTES[1])] + NOTES[0]
    else:
        text += NOTES[0]
    raw.write_text(text, encoding="utf-8")
    return raw.parent.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="the archive (made here once if absent)")
    parser.add_argument("--notices", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--nothing", action="store_true", help="profile a run with nothing changed")
    parser.add_argument("--no-profile", action="store_true", help="time only (cProfile slows Python down)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    prepare(root, args.notices)
    profiles = root / "profiles"
    shutil.rmtree(profiles, ignore_errors=True)
    profiles.mkdir()
    if not args.nothing:
        print(f"changed: {toggle(root)}/raw.txt")
    wrapper = profiles / "site_wrapper.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    if args.no_profile:
        commands = {"build": ["-m", "noticepub", "build"], "site": ["-m", "noticepub", "site", "--no-strict"]}
    else:
        commands = {"build": ["-m", "cProfile", "-o", str(profiles / "build.prof"), "-m", "noticepub", "build"],
                    "site": [str(wrapper), str(profiles)]}
    total = 0.0
    for name, command in commands.items():
        wall, cpu = _timed(root, command)
        total += wall
        print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"build + site: {total:.2f} s wall")
    for prof in sorted(profiles.glob("*.prof")):
        print(f"\n==== {prof.name}")
        pstats.Stats(str(prof)).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
