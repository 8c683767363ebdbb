"""`noticepub build [--check] [--full] [--strict] [--only NOTICE_ID]`."""

from __future__ import annotations

import argparse

from noticepub.build import build, default_progress
from noticepub.commands import err, say
from noticepub.commands.printout import print_summary
from noticepub.model import PENDING
from noticepub.settings import load_settings
from noticepub.translate import pending_hint


def cmd_build(args: argparse.Namespace) -> int:
    check = args.check or args.full
    report = build(
        load_settings(),
        check=check,
        full=args.full,
        strict=args.strict,
        only=args.only,
        progress=default_progress(),
        notify=say,
    )
    print_summary(report, check=check)
    for note in report.notes:
        say(note)
    if report.urls_written and not check and not report.strict_failures:
        say(f"{len(report.urls_written)} URL record(s) written ({report.urls_written[0]}"
            f"{', ...' if len(report.urls_written) > 1 else ''}): commit them")
    if report.translation.get(PENDING) and not report.strict_failures and not check:
        say(pending_hint(report.translation[PENDING]))
    if report.strict_failures:
        for failure in report.strict_failures:
            err(f"--strict: {failure}")
        return 1
    if check and report.changed:
        return 1
    return 0
