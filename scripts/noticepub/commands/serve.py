"""`noticepub serve [--lang LANG] [--addr HOST:PORT]`."""

from __future__ import annotations

import argparse
import signal
import sys

from noticepub.model import LANG_DIRS
from noticepub.serve import Preview
from noticepub.settings import load_settings


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    preview = Preview(settings, args.addr, say=_progress)
    preview.build_site(None)  # a failure is one line; the previous site/ is served
    base = preview.url
    _progress(f"serve: {base} (简体中文), {base}zh-Hant/ (繁體中文), {base}en/ (English); "
              f"watching source_texts/, docs/ and the site configuration, open tabs reload on every change; "
              f"Ctrl-C stops")
    if preview.review is not None and preview.review.enabled:
        _progress(f"serve: review the parse of each page at {base}review/")
    if args.lang != "zh-Hans":
        _progress(f"serve: {args.lang} is at {base}{LANG_DIRS[args.lang] + '/' if LANG_DIRS[args.lang] else ''}")

    def stop(signum: int, frame: object) -> None:  # SIGTERM (e.g. from a test or a process manager): stop cleanly
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    try:
        preview.serve_forever()
    except KeyboardInterrupt:
        _progress("serve: stopped")
    return 0
