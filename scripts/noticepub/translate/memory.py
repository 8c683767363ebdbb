"""Translation memory: one gettext PO file per notice (source_texts/<id>/en.po), kept with polib.

msgctxt = "<article id>.<field>.<sentence n>" (field: title, subtitle, lead, p<n>, attribution),
msgid = the Chinese sentence, msgstr = the English. Entry states:

* edited   - msgstr set, not fuzzy: a human reviewed it; always used, never overwritten by a machine.
* machine  - msgstr set, fuzzy, translator comment "machine translation: ENGINE VERSION"; reused
             while the engine and model version stay the same, replaced when they change.
* pending  - msgstr empty (no engine yet); the page shows the Chinese with a visible marker.
* outdated - the Chinese changed: fuzzy, the old translation kept and the old source kept as the
             previous msgid (#| msgid), as msgmerge does. Shown as pending until someone reviews it;
             an outdated *machine* entry is simply re-translated when an engine is available.

Syncing matches old entries to the page's segments like msgmerge, but with stable keys: same key and
source first, then the same source anywhere (a moved sentence keeps its entry and state), then the
same key with a changed source (outdated). Entries that left the page become obsolete (#~), so no
reviewed translation is ever lost. A file never holds two entries with the same msgctxt and msgid (msgfmt
refuses it): an obsolete entry identical to an active one is revived in its place when it is the
reviewed one, else dropped.

Byte stability: a PO file whose entries did not change is returned byte for byte as it was read,
whatever tool wrote it (Poedit, Lokalize, Weblate, msgcat): its wrapping, header order and header
fields stay. When an entry changes, the file is written in one documented format: the header fields a
translator's tool owns (PO-Revision-Date, Last-Translator, Language-Team, X-Generator, POT-Creation-
Date, any X-*) and the header comment are kept; the technical fields (Language, MIME-Version,
Content-Type, Content-Transfer-Encoding, Plural-Forms) are set; entries are in page order; every
string is wrapped as GNU gettext (msgcat, Poedit) wraps it at 79 columns (powrap.py). noticepub
never adds dates, so its output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from noticepub.errors import TranslationError
from noticepub.translate.powrap import rewrap

MACHINE_PREFIX = "machine translation: "
CAPPED_NOTE = "decoding stopped at the length cap (runaway output?): review this translation"
EDITED, MACHINE, PENDING, OUTDATED = "edited", "machine", "pending", "outdated"

OWNED = ("Language", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Plural-Forms")
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
    if entry.previous_msgid or not entry.tcomment.startswith(MACHINE_PREFIX):
        return OUTDATED
    return MACHINE


def machine_engine(entry: polib.POEntry) -> str:
    """The engine label of a machine entry ("argos translate-zh_en 1.9"), else ""."""
    if not entry.tcomment.startswith(MACHINE_PREFIX):
        return ""
    return entry.tcomment[len(MACHINE_PREFIX):].split("\n", 1)[0].strip()


def hit_cap(entry: polib.POEntry) -> bool:
    """True for a machine entry whose decoding stopped at the length cap (flagged for review)."""
    return CAPPED_NOTE in entry.tcomment.split("\n")


def _set_fuzzy(entry: polib.POEntry, fuzzy: bool) -> None:
    flags = [f for f in entry.flags if f != "fuzzy"]
    entry.flags = [*flags, "fuzzy"] if fuzzy else flags


def _rank(entry: polib.POEntry) -> tuple[bool, bool]:
    """Which of two entries for the same key and sentence to keep (lowest first): a reviewed one, then an
    active one."""
    return entry_state(entry) != EDITED, bool(entry.obsolete)


class Memory:
    def __init__(self, po: polib.POFile, path: Path) -> None:
        self.po = po
        self.path = path
        self.by_ctxt: dict[str, polib.POEntry] = {e.msgctxt: e for e in po if not e.obsolete}
        self.original: bytes | None = None  # the file's bytes as read
        self._loaded_po = ""  # polib's text of it as loaded (unwrapped), to tell whether anything changed

    @classmethod
    def load(cls, path: Path, notice_id: str) -> Memory:
        """The memory in ``path`` (a new, empty one when the file does not exist)."""
        try:
            data = path.read_bytes() if path.is_file() else None
        except OSError as exc:
            raise TranslationError(path, f"cannot be read ({exc.strerror}); fix it or restore it from git") from None
        return cls.from_bytes(path, notice_id, data)

    @classmethod
    def from_bytes(cls, path: Path, notice_id: str, original: bytes | None) -> Memory:
        """The memory of a PO file already read (``None``: no file yet); ``path`` is where it lives."""
        if original is not None:
            try:
                po = polib.pofile(original.decode("utf-8"), encoding="utf-8", wrapwidth=0)
            except (ValueError, UnicodeDecodeError) as exc:
                raise TranslationError(path, f"is not a valid PO file ({exc}); fix it or restore it from git") from None
            if any(not e.msgctxt for e in po if not e.obsolete):
                raise TranslationError(path, "has an entry without msgctxt; every entry needs its segment key")
        else:
            po = polib.POFile(wrapwidth=0)
        po.wrapwidth = 0
        kept = dict(po.metadata) if original is not None else {}
        defaults = {**HEADER, "Project-Id-Version": f"noticepub {notice_id}"}
        po.metadata = {**defaults, **kept, **{key: HEADER[key] for key in OWNED}}
        if original is None or not po.header.strip():
            po.header = (
                f"English translation memory for notice {notice_id}.\n"
                "Edit msgstr and remove the fuzzy flag to mark a translation as reviewed."
            )
        memory = cls(po, path)
        memory.original = original
        memory._loaded_po = str(po)
        return memory

    def sync(self, segments: list[Segment]) -> None:
        """Make the memory hold exactly these segments (in order), keeping every translation.

        An entry follows its sentence by key *and* text; a translation is never attached to another
        Chinese sentence except as a fuzzy, outdated entry with the old sentence as ``#| msgid``.
        """
        old = list(self.po)
        by_key: dict[tuple[str, str], polib.POEntry] = {}  # unique in a file msgfmt accepted; else the best one
        for e in sorted(old, key=_rank):
            by_key.setdefault((e.msgctxt, e.msgid), e)
        by_source: dict[str, list[polib.POEntry]] = {}
        for e in old:
            if e.msgstr:
                by_source.setdefault(e.msgid, []).append(e)
        used: set[int] = set()
        chosen: dict[str, polib.POEntry] = {}

        def take(seg: Segment, entry: polib.POEntry) -> None:
            entry.obsolete = False
            entry.msgctxt = seg.ctxt
            chosen[seg.ctxt] = entry
            used.add(id(entry))

        # 1. same key, same source; an obsolete entry comes back (a reverted correction gets its
        #    reviewed entry back, in the state it had)
        for seg in segments:
            entry = by_key.get((seg.ctxt, seg.source))
            if entry is not None and id(entry) not in used:
                take(seg, entry)
        # 2. same source under another key (moved sentence): same article first, then reviewed, then active
        for seg in segments:
            if seg.ctxt in chosen:
                continue
            article = seg.ctxt.split(".", 1)[0]
            candidates = [e for e in by_source.get(seg.source, ()) if id(e) not in used]
            if candidates:
                candidates.sort(key=lambda e: ((e.msgctxt or "").split(".", 1)[0] != article,
                                               entry_state(e) != EDITED, e.obsolete))
                take(seg, candidates[0])
        # 3. same key, changed source: outdated (or simply new when there was no translation)
        reviewed = {e.msgid: e.msgstr for e in old if entry_state(e) == EDITED}
        entries: list[polib.POEntry] = []
        kept: list[polib.POEntry] = []  # reviewed entries whose sentence changed, kept as they were (obsolete)
        for seg in segments:
            entry = chosen.get(seg.ctxt)
            if entry is None:
                previous = self.by_ctxt.get(seg.ctxt)
                if previous is not None and id(previous) not in used and previous.msgstr:
                    entry = previous
                    used.add(id(entry))
                    if entry_state(entry) == EDITED:
                        kept.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                                                  tcomment=entry.tcomment, flags=list(entry.flags), obsolete=True))
                    if entry.previous_msgid == seg.source and machine_engine(entry):
                        entry.previous_msgid = None  # a machine text back on its own sentence
                    elif not entry.previous_msgid:
                        entry.previous_msgid = entry.msgid
                    entry.msgid = seg.source
                    _set_fuzzy(entry, True)
                else:
                    if previous is not None:
                        used.add(id(previous))
                    entry = polib.POEntry(msgctxt=seg.ctxt, msgid=seg.source, msgstr=reviewed.get(seg.source, ""))
            entries.append(entry)
        gone = [e for e in old if id(e) not in used and (e.msgstr or e.obsolete)] + kept
        for e in gone:
            e.obsolete = True
        # an outdated copy whose reviewed original is still in the file adds nothing
        pairs = {(e.msgid, e.msgstr) for e in entries + gone if entry_state(e) == EDITED}
        gone = [e for e in gone if not (entry_state(e) == OUTDATED and e.previous_msgid
                                        and (e.previous_msgid, e.msgstr) in pairs)]
        # one entry per key and source, as msgfmt requires: an obsolete entry identical in key and source to
        # an active one is revived in its place when it is reviewed and the active one is not (both belong to
        # this very sentence), else dropped
        active = {(e.msgctxt or "", e.msgid): i for i, e in enumerate(entries)}
        unique: dict[tuple[str, str], polib.POEntry] = {}
        for e in sorted(gone, key=lambda e: (e.msgctxt or "", e.msgid, _rank(e))):
            key = (e.msgctxt or "", e.msgid)
            if key in active:
                if _rank(e) < _rank(entries[active[key]]):
                    e.obsolete = False
                    entries[active[key]] = e
            else:
                unique.setdefault(key, e)
        self.po[:] = entries + list(unique.values())
        self.by_ctxt = {e.msgctxt: e for e in entries}

    def state(self, ctxt: str) -> str:
        return entry_state(self.by_ctxt[ctxt])

    def needs_machine(self, ctxt: str, engine: str | None) -> bool:
        """True when ``engine`` should (re)translate this segment: never for reviewed text."""
        if engine is None:
            return False
        entry = self.by_ctxt[ctxt]
        state = entry_state(entry)
        if state == PENDING:
            return True
        if state == MACHINE:
            return machine_engine(entry) != engine
        return state == OUTDATED and bool(machine_engine(entry))  # an old machine text for an old source

    def set_machine(self, ctxt: str, text: str, engine: str, *, capped: bool = False) -> None:
        entry = self.by_ctxt[ctxt]
        state = entry_state(entry)
        if state == EDITED or (state == OUTDATED and not machine_engine(entry)):
            raise TranslationError(self.path, f"refusing to overwrite the reviewed entry {ctxt} with a machine translation")
        entry.msgstr = text
        entry.tcomment = MACHINE_PREFIX + engine + (f"\n{CAPPED_NOTE}" if capped else "")
        entry.previous_msgid = None
        _set_fuzzy(entry, True)

    def render(self) -> str:
        """The memory in the normal form: polib's layout, strings wrapped as msgcat does at 79 columns."""
        return rewrap(str(self.po))

    def to_bytes(self) -> bytes:
        """The file's bytes: the original ones when no entry changed (no churn), else the normal form."""
        current = str(self.po)
        if self.original is not None and current == self._loaded_po:
            return self.original  # nothing changed: no wrapping needed (it is the costly part)
        text = rewrap(current)
        if self.original is not None and text == rewrap(self._loaded_po):
            return self.original  # only polib's own layout differs: the same normal form
        return text.encode("utf-8")
