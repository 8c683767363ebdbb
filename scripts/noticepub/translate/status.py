"""Translation status (like Weblate's dashboard): edited / machine / pending / outdated segments.

Figures come from the PO files, synced in memory with each page's current segments (exactly what the
next build or `noticepub translate` would see), so a notice whose PO file is missing or behind its
source still counts correctly: new sentences are pending. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from noticepub.settings import Settings
from noticepub.translate import memory as tm

STATES = (tm.EDITED, tm.MACHINE, tm.PENDING, tm.OUTDATED)


@dataclass
class NoticeStatus:
    notice_id: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def percent(self, state: str) -> float:
        return 100.0 * self.counts[state] / self.total if self.total else 0.0


@dataclass
class Status:
    notices: list[NoticeStatus]

    @property
    def total(self) -> NoticeStatus:
        out = NoticeStatus("total")
        for notice in self.notices:
            for state, value in notice.counts.items():
                out.counts[state] += value
        return out


def memory_status(memory: tm.Memory, notice_id: str) -> NoticeStatus:
    """Counts of a synced memory: one state per current segment (obsolete entries are not counted)."""
    status = NoticeStatus(notice_id)
    for entry in memory.by_ctxt.values():
        status.counts[tm.entry_state(entry)] += 1
    return status


def notice_status(folder: Path, settings: Settings) -> NoticeStatus:
    """One notice's counts: read, checked and parsed as the build does, its memory synced in memory only."""
    from noticepub.notice import read_notice, translation_memory

    notice = read_notice(folder, settings)
    memory, _segments = translation_memory(notice)
    return memory_status(memory, notice.meta.id)


def collect_status(settings: Settings, *, only: str | None = None) -> Status:
    from noticepub.notice import notice_folders

    return Status([notice_status(folder, settings) for folder in notice_folders(settings, only)])


def format_status(status: Status) -> str:
    """A plain-text table: one row per notice and a total row; each state as count and percentage."""
    rows = [*status.notices, status.total] if status.notices else [status.total]
    width = max(len(r.notice_id) for r in rows)
    header = f"{'notice':<{width}}  {'segments':>8}" + "".join(f"  {state:>15}" for state in STATES)
    lines = [header]
    for n, row in enumerate(rows):
        if n == len(rows) - 1 and status.notices:
            lines.append("-" * len(header))
        cells = "".join(f"  {f'{row.counts[s]} ({row.percent(s):5.1f}%)':>15}" for s in STATES)
        lines.append(f"{row.notice_id:<{width}}  {row.total:>8}{cells}")
    total = status.total
    lines.append(f"{total.percent(tm.EDITED):.1f}% of {total.total} English segments reviewed by a person, "
                 f"{total.percent(tm.MACHINE):.1f}% machine-translated, "
                 f"{total.percent(tm.PENDING) + total.percent(tm.OUTDATED):.1f}% pending or outdated "
                 "(shown in Chinese on the English pages)")
    return "\n".join(lines)
