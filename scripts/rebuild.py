#!/usr/bin/env python3
"""Maintainers' entry point: rebuild docs/ from source_texts/ (same as `noticepub build`).

Works without installing the package: `python scripts/rebuild.py [--check] [--strict] [--only ID]`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from noticepub.cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main(["build", *sys.argv[1:]]))
