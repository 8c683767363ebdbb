"""`noticepub site [--no-strict] [--clean]`."""

from __future__ import annotations

import argparse
import sys

from noticepub.settings import load_settings
from noticepub.site import build_site


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def cmd_site(args: argparse.Namespace) -> int:
    warnings = build_site(load_settings(), strict=not args.no_strict, clean=args.clean, progress=_progress)
    for warning in warnings:
        print(warning, file=sys.stderr)
    print("site/ built: zh-Hans at the root, site/zh-Hant/, site/en/"
          + (f" ({len(warnings)} MkDocs warnings)" if warnings else ""))
    return 0
