"""`noticepub translate [--only NOTICE_ID] [--shard I/N]` and `noticepub status [--only NOTICE_ID]`.

Both read every notice exactly as the build does (noticepub.notice.read_notice: corrections, symlinks, size
limits, msgfmt) and its translation memory through noticepub.notice.translation_memory, so they count the
same segments as the build and refuse what it refuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from noticepub.commands import say
from noticepub.errors import InputError
from noticepub.fsutil import SYMLINK_FIX, atomic_write, build_lock, first_symlink
from noticepub.notice import po_output, read_notice, translation_memory
from noticepub.settings import LOCK_NAME, Settings, load_settings
from noticepub.sources import notice_folders, read_shared_file, relative
from noticepub.translate.run import Shard, TranslateReport, fill_memories, select
from noticepub.translate.status import Status, format_status, memory_status


def translate_notices(
    settings: Settings,
    *,
    only: str | None = None,
    shard: Shard | None = None,
    engine: Any = None,
    progress: Callable[[str], None] | None = None,
) -> TranslateReport:
    """Fill the selected notices' PO files with machine translation; returns what was done."""
    from noticepub.translate import load_engine

    folders = notice_folders(settings, only)
    if engine is None:
        engine = load_engine(settings)  # cheap: the model itself loads at the first sentence
    read_shared_file(settings, settings.glossary_path, "glossary")  # checked as the build checks it
    report = TranslateReport(engine=engine.name if engine is not None else "none")
    with build_lock(settings.root / LOCK_NAME, notify=progress):
        notices = [read_notice(folder, settings) for folder in select(folders, None, shard)]
        memories = [translation_memory(notice) for notice in notices]
        report.notices = len(notices)
        report.segments = sum(len(segments) for _, segments in memories)
        fill_memories(memories, settings, engine, report, progress)
        writes = [(memory.path, data) for notice, (memory, _segments) in zip(notices, memories, strict=True)
                  if (data := po_output(notice, memory.to_bytes(), settings)) is not None]
        for path, data in writes:
            link = first_symlink(settings.root, path)  # read_notice refused one; never replace a link by a file
            if link is not None:
                raise InputError(link, f"is a symbolic link; {SYMLINK_FIX}")
            atomic_write(path, data)
            report.written.append(relative(settings, path))
    return report


def collect_status(settings: Settings, *, only: str | None = None) -> Status:
    """Per notice: its memory synced in memory only (nothing is written)."""
    out = []
    for folder in notice_folders(settings, only):
        notice = read_notice(folder, settings)
        memory, _segments = translation_memory(notice)
        out.append(memory_status(memory, notice.meta.id))
    return Status(out)


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
