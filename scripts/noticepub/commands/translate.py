"""`noticepub translate [--only NOTICE_ID] [--shard I/N]` and `noticepub status [--only NOTICE_ID]`."""

from __future__ import annotations

import argparse

from noticepub.commands import say
from noticepub.settings import load_settings
from noticepub.translate.run import Shard, translate_notices
from noticepub.translate.status import collect_status, format_status


def cmd_translate(args: argparse.Namespace) -> int:
    """Fill pending and outdated segments of the PO files with machine translation (writes PO files only)."""
    settings = load_settings()
    shard = Shard.parse(args.shard) if args.shard else None
    report = translate_notices(settings, only=args.only, shard=shard, progress=say)
    where = f" (shard {shard.index}/{shard.count})" if shard else ""
    head = f"translate{where}: {report.notices} notice(s), {report.segments} segment(s); "
    if not report.translated:
        print(head + f"nothing to translate; {len(report.written)} PO file(s) written")
    else:
        print(head + f"{report.translated} filled by {report.engine} ({report.unique} distinct sentence(s) in "
              f"{report.seconds:.1f} s, {report.rate:.1f} sentences/s); {len(report.written)} PO file(s) written")
    if report.capped:
        print(f"translate: {report.capped} segment(s) stopped at the decoding length cap; "
              "`noticepub qa` lists them for review")
    for path in report.written:
        print(f"  written: {path}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    settings = load_settings()
    print(format_status(collect_status(settings, only=args.only)))
    from noticepub.review.state import collect_summaries, review_counts  # parse review (noticepub serve, /review/)

    print("review: " + review_counts(collect_summaries(settings, only=args.only)).line())
    return 0
