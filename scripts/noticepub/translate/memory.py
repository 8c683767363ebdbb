"""Translation memory: one gettext PO file per notice (source_texts/<id>/en.po), edited with polib.

Entry states:
* edited   – msgstr set, not fuzzy: a human reviewed it; always used, never overwritten by a machine.
* machine  – msgstr set, fuzzy, translator comment "machine translation: ENGINE VERSION"; reused
             while the engine and model version stay the same, replaced when they change.
* pending  – msgstr empty (no engine yet); the page shows the Chinese with a visible marker.
* outdated – the Chinese changed: fuzzy, the old translation kept and the old source kept as the
             previous msgid (#| msgid), as msgmerge does; shown as pending until someone reviews it.
Segments that left the page become obsolete entries (#~), so no translation is ever lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from noticepub.errors import TranslationError

MACHINE_PREFIX = "machine translation: "
EDITED, MACHINE, PENDING, OUTDATED = "edited", "machine", "pending", "outdated"

HEADER = {
    "Project-Id-Version": "noticepub",
    "Report-Msgid-Bugs-To": "",
    "Language-Team": "English",
    "Language": "en",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


@dataclass(frozen=True)
class Segment:
    ctxt: str  # "<article id>.<field>.<n>", e.g. "a2.p3.1" (paragraph 3, sentence 1)
    source: str  # the Chinese sentence


def entry_state(entry: polib.POEntry) -> str:
    if not entry.msgstr:
        return PENDING
    if not entry.fuzzy:
        return EDITED
    if entry.previous_msgid:
        return OUTDATED
    return MACHINE if entry.tcomment.startswith(MACHINE_PREFIX) else OUTDATED


def machine_engine(entry: polib.POEntry) -> str:
    return entry.tcomment[len(MACHINE_PREFIX):].strip() if entry.tcomment.startswith(MACHINE_PREFIX) else ""


class Memory:
    def __init__(self, po: polib.POFile, path: Path) -> None:
        self.po = po
        self.path = path
        self.by_ctxt = {e.msgctxt: e for e in po if not e.obsolete}
        self.edited_by_source: dict[str, str] = {}
        for e in po:
            if entry_state(e) == EDITED and e.msgid not in self.edited_by_source:
                self.edited_by_source[e.msgid] = e.msgstr

    @classmethod
    def load(cls, path: Path, notice_id: str) -> Memory:
        if path.is_file():
            try:
                po = polib.pofile(str(path), encoding="utf-8", wrapwidth=0)
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                raise TranslationError(path, f"is not a valid PO file ({exc}); fix it or restore it from git") from None
        else:
            po = polib.POFile(wrapwidth=0)
        po.wrapwidth = 0
        po.metadata = {**HEADER, "Project-Id-Version": f"noticepub {notice_id}"}
        po.header = (
            f"English translation memory for notice {notice_id}.\n"
            "Edit msgstr and remove the fuzzy flag to mark a translation as reviewed."
        )
        return cls(po, path)

    def sync(self, segments: list[Segment]) -> None:
        """Make the memory hold exactly these segments (in order), keeping every translation."""
        wanted = {s.ctxt for s in segments}
        entries: list[polib.POEntry] = []
        for seg in segments:
            entry = self.by_ctxt.get(seg.ctxt)
            if entry is None:
                entry = polib.POEntry(msgctxt=seg.ctxt, msgid=seg.source, msgstr="")
                reused = self.edited_by_source.get(seg.source)
                if reused:  # the same sentence was reviewed elsewhere in this notice
                    entry.msgstr = reused
            elif entry.msgid != seg.source:
                state = entry_state(entry)
                if state == MACHINE or not entry.msgstr:
                    entry.msgid, entry.msgstr, entry.tcomment = seg.source, "", ""
                    entry.flags = [f for f in entry.flags if f != "fuzzy"]
                    entry.previous_msgid = None
                else:  # reviewed text for an older source: keep it, mark fuzzy, remember the old source
                    if not entry.previous_msgid:
                        entry.previous_msgid = entry.msgid
                    entry.msgid = seg.source
                    if "fuzzy" not in entry.flags:
                        entry.flags.append("fuzzy")
            entries.append(entry)
        obsolete = [e for e in self.po if e.msgctxt not in wanted and (e.msgstr or e.obsolete)]
        for e in obsolete:
            e.obsolete = True
        self.po[:] = entries + sorted(obsolete, key=lambda e: (e.msgctxt or "", e.msgid))
        self.by_ctxt = {e.msgctxt: e for e in entries}

    def state(self, ctxt: str) -> str:
        return entry_state(self.by_ctxt[ctxt])

    def set_machine(self, ctxt: str, text: str, engine: str) -> None:
        entry = self.by_ctxt[ctxt]
        if entry_state(entry) in (EDITED, OUTDATED):
            raise TranslationError(self.path, f"refusing to overwrite the reviewed entry {ctxt} with a machine translation")
        entry.msgstr = text
        entry.tcomment = MACHINE_PREFIX + engine
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")

    def needs_machine(self, ctxt: str, engine: str | None) -> bool:
        entry = self.by_ctxt[ctxt]
        state = entry_state(entry)
        if state == PENDING:
            return engine is not None
        if state == MACHINE:
            return engine is not None and machine_engine(entry) != engine
        return False

    def to_bytes(self) -> bytes:
        return str(self.po).encode("utf-8")
