#!/usr/bin/env python3
"""Maintainers' entry point: rebuild docs/ from source_texts/ (same as `noticepub build`).

Works without installing the package, with any Python that has noticepub's dependencies (the
project's venv): `.venv/bin/python scripts/rebuild.py [--check] [--strict] [--only ID]`. Run with a
Python that lacks them (e.g. the system python3), it prints one line saying what to run instead and
exits 1.
"""

import importlib.util
import sys
from pathlib import Path

# Imported by the build (top-level module names, see requirements.lock).
REQUIRED = ("yaml", "polib", "rich", "opencc")
HINT = "use `make site` (creates .venv with the pinned dependencies) or `.venv/bin/noticepub build`"


def _missing() -> list[str]:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs on any python3 to say what is missing
        return [f"Python >= 3.11 (this is {sys.version.split()[0]})"]
    return [name for name in REQUIRED if importlib.util.find_spec(name) is None]


def main() -> int:
    missing = _missing()
    if missing:
        print(f"rebuild.py: {sys.executable} lacks {', '.join(missing)}; {HINT}", file=sys.stderr)
        return 1
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from noticepub.cli import main as cli_main
    except ModuleNotFoundError as exc:  # a dependency missing from REQUIRED
        print(f"rebuild.py: {sys.executable} lacks {exc.name}; {HINT}", file=sys.stderr)
        return 1
    return cli_main(["build", *sys.argv[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
