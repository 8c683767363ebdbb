"""`noticepub translate [--only ID] [--shard I/N]`: fill the PO files with machine translation.

For every selected notice: parse it, sync its translation memory with the page's segments, and send
every pending segment (and every machine or outdated-machine entry made by another engine or model
version) to the installed Argos model. All segments of all selected notices go to the engine
together, so batches are full and a sentence repeated across notices is translated once. The new
entries are fuzzy, with the engine and model version in a translator comment. Only PO files whose
content changed are written (atomically); nothing else is touched: not docs/, not the build cache.

Shards split the notices deterministically: notice ``id`` belongs to shard
``int(sha256(id)[:16], 16) % N + 1`` (1-based, like a CI matrix ``shard: [1, 2, 3, 4]``), so the
shards are disjoint, cover every notice, and a notice stays in its shard as the archive grows.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from noticepub.errors import InputError, TranslationError
from noticepub.settings import LOCK_NAME, Settings
from noticepub.sources import relative
from noticepub.translate import memory as tm

if TYPE_CHECKING:
    from noticepub.notice import ParsedNotice


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        try:
            left, right = text.split("/")
            index, count = int(left), int(right)
        except ValueError:
            raise InputError(None, f"--shard {text!r}: write it as I/N, e.g. --shard 2/4 (1 <= I <= N)") from None
        if not 1 <= index <= count:
            raise InputError(None, f"--shard {text!r}: I must be between 1 and N, e.g. --shard 2/4")
        return cls(index, count)

    def holds(self, notice_id: str) -> bool:
        return shard_of(notice_id, self.count) == self.index


def shard_of(notice_id: str, count: int) -> int:
    """The 1-based shard of a notice among ``count`` shards (stable across machines and Python runs)."""
    return int(hashlib.sha256(notice_id.encode("utf-8")).hexdigest()[:16], 16) % count + 1


@dataclass
class TranslateReport:
    notices: int = 0
    segments: int = 0  # segments in the selected notices
    translated: int = 0  # entries filled or replaced with machine output
    unique: int = 0  # distinct sentences sent to the engine
    capped: int = 0  # outputs stopped at the decoding length cap (flagged for review)
    seconds: float = 0.0  # engine time
    engine: str = ""
    written: list[str] = field(default_factory=list)  # PO files written (repository-relative)

    @property
    def rate(self) -> float:
        return self.unique / self.seconds if self.seconds > 0 else 0.0


def select(folders: list[Path], only: str | None, shard: Shard | None) -> list[Path]:
    chosen = [f for f in folders if (only is None or f.name == only) and (shard is None or shard.holds(f.name))]
    return chosen


def translate_notices(
    settings: Settings,
    *,
    only: str | None = None,
    shard: Shard | None = None,
    engine: Any = None,
    progress: Callable[[str], None] | None = None,
) -> TranslateReport:
    """Fill the selected notices' PO files with machine translation; returns what was done."""
    from noticepub.fsutil import SYMLINK_FIX, atomic_write, build_lock, first_symlink
    from noticepub.notice import notice_folders, po_output, read_notice, translation_memory
    from noticepub.sources import read_shared_file
    from noticepub.translate import install_hint, load_engine, translate_detailed
    from noticepub.translate.glossary import enforce, load_glossary
    from noticepub.translate.qa import FULLWIDTH_DIGITS

    folders = notice_folders(settings, only)
    if engine is None:
        engine = load_engine(settings)  # cheap: the model itself loads at the first sentence
    read_shared_file(settings, settings.glossary_path, "glossary")  # checked as the build checks it
    glossary = load_glossary(settings.glossary_path)
    report = TranslateReport(engine=engine.name if engine is not None else "none")
    with build_lock(settings.root / LOCK_NAME, notify=progress):
        # every notice read, checked and parsed exactly as the build does (corrections, symlinks, limits, msgfmt)
        memories: list[tuple[tm.Memory, list[tm.Segment], ParsedNotice]] = []
        for folder in select(folders, None, shard):
            notice = read_notice(folder, settings)
            memory, segments = translation_memory(notice)
            memories.append((memory, segments, notice))
            report.notices += 1
            report.segments += len(segments)
        todo = [(memory, seg) for memory, segments, _ in memories for seg in segments
                if memory.needs_machine(seg.ctxt, engine.name if engine is not None else "?")
                and (engine is not None or memory.state(seg.ctxt) != tm.MACHINE)]
        if todo and engine is None:
            raise TranslationError(None, f"{len(todo)} segment(s) need machine translation but {install_hint()}")
        unique = list(dict.fromkeys(seg.source for _, seg in todo))
        report.unique = len(unique)
        if progress and unique:
            progress(f"translating {len(unique)} sentence(s) from {len(todo)} segment(s) with {engine.name}")
        english: dict[str, tuple[str, bool]] = {}
        start = time.perf_counter()
        step = max(1, settings.mt_batch_size) * 16  # the engine batches by length and token budget itself
        for begin in range(0, len(unique), step):
            chunk = unique[begin:begin + step]
            out = translate_detailed(engine, [s.translate(FULLWIDTH_DIGITS) for s in chunk])
            if len(out) != len(chunk):
                raise TranslationError(None, f"engine {engine.name} returned {len(out)} results for {len(chunk)}")
            english.update(zip(chunk, out, strict=True))
            if progress and len(unique) > step:
                progress(f"  {min(begin + step, len(unique))}/{len(unique)} sentences, "
                         f"{time.perf_counter() - start:.1f} s")
        report.seconds = time.perf_counter() - start
        for memory, seg in todo:
            text, capped = english[seg.source]
            memory.set_machine(seg.ctxt, enforce(seg.source, text, glossary), engine.name, capped=capped)
            report.translated += 1
            report.capped += capped
        writes = [(memory.path, data) for memory, _segments, notice in memories
                  if (data := po_output(notice, memory.to_bytes(), settings)) is not None]
        for path, data in writes:
            link = first_symlink(settings.root, path)  # read_notice refused one; never replace a link by a file
            if link is not None:
                raise InputError(link, f"is a symbolic link; {SYMLINK_FIX}")
            atomic_write(path, data)
            report.written.append(relative(settings, path))
    return report
