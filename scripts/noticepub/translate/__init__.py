"""English: sentence segments -> PO translation memory (edited wins) -> glossary -> QA.

Machine translation is not part of the build: `noticepub translate` (run.py) fills the PO files with
Argos output, and those files are committed (through a reviewed pull request). The build only reads
them; a segment without a translation renders as pending.

Public API:
    english_for_notice(meta, articles, po_path, settings, *, engine=None) -> EnglishResult
    english_from_memory(memory, segments, articles, settings, *, engine=None) -> EnglishResult
        (the build passes no engine and the memory of noticepub.notice.translation_memory)
    load_engine(settings) -> LazyEngine | None      (None when no zh->en model is installed)
    model_installed() -> bool                       (cheap: package metadata only)
    install_hint() -> str                           (how to install a model)
    pending_hint(pending) -> str                    (the one line a build prints when segments are pending)
english_for_notice never writes files: it returns the new PO bytes, which the caller writes atomically.
CTranslate2 and SentencePiece are imported only when a segment actually needs machine translation.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from noticepub.errors import TranslationError
from noticepub.model import EDITED, MACHINE, PENDING, Article, LocalizedArticle, NoticeMeta, Provenance, Span
from noticepub.settings import Settings
from noticepub.translate import memory as tm
from noticepub.translate.glossary import Term, enforce, load_glossary
from noticepub.translate.qa import FULLWIDTH_DIGITS, check_segment, quote_pair
from noticepub.translate.segment import split_sentences

if TYPE_CHECKING:
    from noticepub.translate.engine import Engine, PackageInfo

NO_ENGINE = "none (no Argos zh->en model installed)"


@dataclass
class TranslationReport:
    counts: dict[str, int] = field(default_factory=dict)  # edited / machine / pending (outdated counts as pending)
    engine: str = ""  # engine + model version used or available, or NO_ENGINE when segments stay pending
    engine_note: str = ""  # one sentence: what the engine did, or why there was none
    qa_findings: list[str] = field(default_factory=list)  # "a2.p3.1: number 7 missing"
    translated: int = 0  # segments sent to the engine in this call

    def findings_by_article(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for finding in self.qa_findings:
            out.setdefault(finding.split(".", 1)[0], []).append(finding)
        return out


@dataclass
class EnglishResult:
    articles: tuple[LocalizedArticle, ...]
    po_bytes: bytes
    report: TranslationReport


def install_hint() -> str:
    from noticepub.translate.engine import INSTALL_HINT

    return INSTALL_HINT


def model_installed() -> bool:
    """True when a zh->en Argos package is installed (reads package metadata only)."""
    from noticepub.translate.engine import find_zh_en

    try:
        return find_zh_en() is not None
    except Exception:  # noqa: BLE001 - a broken package dir is no usable model
        return False


def pending_hint(pending: int, *, installed: bool | None = None) -> str:
    """What a build prints once when English segments are pending."""
    if installed is None:
        installed = model_installed()
    if installed:
        return (f"{pending} English segment(s) pending: run `noticepub translate` to fill them with machine "
                "translation (fuzzy, for review), or translate them in the en.po files")
    return (f"{pending} English segment(s) pending and no zh->en model is installed; the English pages show the "
            "Chinese with a pending marker. Install a model with `argospm install translate-zh_en` (network) or "
            "`noticepub models install FILE.argosmodel` (offline), then run `noticepub translate`")


def load_engine(settings: Settings) -> LazyEngine | None:
    """The installed zh->en engine, or None. Cheap: the model loads at the first translation."""
    from noticepub.translate.engine import find_zh_en

    try:
        pkg = find_zh_en()
    except (OSError, ValueError, KeyError) as exc:
        raise TranslationError(None, f"cannot list the installed Argos packages: {exc}") from None
    return None if pkg is None else LazyEngine(pkg, settings)


class LazyEngine:
    """Loads CTranslate2 and the model only when a segment actually needs machine translation."""

    def __init__(self, pkg: PackageInfo, settings: Settings) -> None:
        self.pkg = pkg
        self.name = pkg.label
        self.model_version = pkg.version
        self.settings = settings
        self._engine: Any = None
        self.calls = 0

    def _loaded(self) -> Any:
        from noticepub.fsutil import fault
        from noticepub.translate.engine import ArgosEngine, Decoding

        fault("engine")  # crash-safety tests: an engine failure mid-run
        if self._engine is None:
            threads = self.settings.mt_threads or os.cpu_count() or 1
            self._engine = ArgosEngine(self.pkg, threads, decoding=Decoding.from_settings(self.settings))
        self.calls += 1
        return self._engine

    def translate_batch(self, sentences: list[str]) -> list[str]:
        return self._loaded().translate_batch(sentences)

    def translate_detailed(self, sentences: list[str]) -> list[tuple[str, bool]]:
        """(English, stopped at the decoding length cap) per sentence."""
        return self._loaded().translate_detailed(sentences)


# ------------------------------------------------------------------ segments
def field_segments(article: Article) -> list[tuple[str, list[str]]]:
    """(field key, sentences) for every field of an article, in reading order."""
    out: list[tuple[str, list[str]]] = []
    for name in ("kicker", "title", "subtitle", "byline", "lead"):
        value = getattr(article, name)
        if value:
            out.append((name, split_sentences(value)))
    tables = dict(article.tables)
    for n, paragraph in enumerate(article.paragraphs, 1):
        if n - 1 in tables:  # a table: one segment per cell with Chinese in it (numbers are never translated)
            out.append((f"p{n}", [c for row in tables[n - 1] for c in row if re.search(r"[\u3400-\u9fff]", c)]))
        else:
            out.append((f"p{n}", split_sentences(paragraph)))
    if article.attribution:
        out.append(("attribution", split_sentences(article.attribution)))
    return out


def notice_segments(articles: tuple[Article, ...]) -> list[tm.Segment]:
    return [
        tm.Segment(f"{a.id}.{key}.{i}", sentence)
        for a in articles
        for key, sentences in field_segments(a)
        for i, sentence in enumerate(sentences, 1)
    ]


# ------------------------------------------------------------------ the step
def _resolve(engine: Engine | LazyEngine | None | str, settings: Settings) -> Engine | LazyEngine | None:
    if isinstance(engine, str):
        if engine != "auto":
            raise TranslationError(None, f"unknown engine {engine!r}; use 'auto', None or an engine object")
        return load_engine(settings)
    return engine


def _machine_translate(memory: tm.Memory, segments: list[tm.Segment], engine: Any, settings: Settings,
                       glossary: tuple[Term, ...]) -> int:
    todo = [s for s in segments if memory.needs_machine(s.ctxt, engine.name)]
    if not todo:
        return 0
    unique = list(dict.fromkeys(s.source for s in todo))  # a repeated sentence is translated once
    english: dict[str, str] = {}
    step = max(1, settings.mt_batch_size) * 16  # the engine batches by mt_batch_size itself
    for start in range(0, len(unique), step):
        chunk = unique[start:start + step]
        out = translate_detailed(engine, [s.translate(FULLWIDTH_DIGITS) for s in chunk])
        if len(out) != len(chunk):
            raise TranslationError(memory.path, f"engine {engine.name} returned {len(out)} results for {len(chunk)}")
        english.update(zip(chunk, out, strict=True))
    for seg in todo:
        text, capped = english[seg.source]
        memory.set_machine(seg.ctxt, enforce(seg.source, text, glossary), engine.name, capped=capped)
    return len(todo)


def translate_detailed(engine: Any, sentences: list[str]) -> list[tuple[str, bool]]:
    """(English, stopped at the length cap) per sentence, from any engine (plain engines never cap)."""
    detailed = getattr(engine, "translate_detailed", None)
    if detailed is not None:
        return list(detailed(sentences))
    return [(text, False) for text in engine.translate_batch(sentences)]


def _provenance(counts: dict[str, int], engines: set[str], why_pending: str) -> Provenance:
    total = sum(counts.values()) or 1
    items = tuple((k, v) for k, v in counts.items() if v)
    machine = "machine translation: " + ", ".join(sorted(engines)) if engines else ""
    if counts[EDITED] == total:
        return Provenance("edited", "edited translation (reviewed)", items)
    if counts[MACHINE] == total:
        return Provenance("machine", machine, items)
    if counts[PENDING] == total:
        return Provenance("pending", "translation pending" + (f": {why_pending}" if why_pending else ""), items)
    detail = ", ".join(f"{v} {k}" for k, v in items) + " segments"
    return Provenance("mixed", detail + (f"; {machine}" if machine else ""), items)


def _localize(article: Article, memory: tm.Memory, glossary: tuple[Term, ...], report: TranslationReport,
              why_pending: str) -> LocalizedArticle:
    counts = {EDITED: 0, MACHINE: 0, PENDING: 0}
    engines: set[str] = set()
    fields: dict[str, tuple[Span, ...]] = {}
    for key, sentences in field_segments(article):
        spans: list[Span] = []
        for i, sentence in enumerate(sentences, 1):
            ctxt = f"{article.id}.{key}.{i}"
            entry = memory.by_ctxt[ctxt]
            state = {tm.EDITED: EDITED, tm.MACHINE: MACHINE}.get(tm.entry_state(entry), PENDING)
            text = entry.msgstr if state != PENDING else sentence
            chinese_run = state == PENDING and spans and spans[-1].state == PENDING
            spans.append(Span(("" if not spans or chinese_run else " ") + text, state))
            counts[state] += 1
            if state == MACHINE:
                engines.add(tm.machine_engine(entry))
            if state != PENDING:
                report.qa_findings.extend(f"{ctxt}: {f} in {quote_pair(sentence, entry.msgstr)}"
                                          for f in check_segment(sentence, entry.msgstr, glossary))
            if state == MACHINE and tm.hit_cap(entry):
                report.qa_findings.append(f"{ctxt}: {tm.CAPPED_NOTE} ({quote_pair(sentence, entry.msgstr)})")
        fields[key] = tuple(spans)
    for name, value in counts.items():
        report.counts[name] += value
    return LocalizedArticle(
        lang="en",
        article_id=article.id,
        title=fields.get("title", ()),
        subtitle=fields.get("subtitle"),
        lead=fields.get("lead"),
        paragraphs=tuple(fields[f"p{n}"] for n in range(1, len(article.paragraphs) + 1)),
        attribution=fields.get("attribution"),
        provenance=_provenance(counts, engines, why_pending),
        kicker=fields.get("kicker"),
        byline=fields.get("byline"),
    )


def english_for_notice(
    meta: NoticeMeta,
    articles: tuple[Article, ...],
    po_path: Path,
    settings: Settings,
    *,
    engine: Engine | LazyEngine | None | str = None,
) -> EnglishResult:
    """The English articles of one notice and the updated translation memory (never writes files)."""
    memory = tm.Memory.load(po_path, meta.id)
    segments = notice_segments(articles)
    memory.sync(segments)
    return english_from_memory(memory, segments, articles, settings, engine=engine)


def english_from_memory(
    memory: tm.Memory,
    segments: list[tm.Segment],
    articles: tuple[Article, ...],
    settings: Settings,
    *,
    engine: Engine | LazyEngine | None | str = None,
) -> EnglishResult:
    """english_for_notice on a memory already synced with ``segments`` (notice.translation_memory)."""
    glossary = load_glossary(settings.glossary_path)
    report = TranslationReport(counts={EDITED: 0, MACHINE: 0, PENDING: 0})
    needed = any(memory.needs_machine(s.ctxt, "?") for s in segments)  # what an engine would have to do
    resolved = _resolve(engine, settings) if needed else (None if isinstance(engine, str) else engine)
    if resolved is not None:
        report.engine = resolved.name
        report.translated = _machine_translate(memory, segments, resolved, settings, glossary)
        report.engine_note = f"{report.translated} segment(s) machine-translated by {resolved.name}"
    why_pending = ""
    if needed and resolved is None:
        why_pending = "no machine translation engine installed" if engine == "auto" else "not translated yet"
        report.engine = NO_ENGINE if engine == "auto" else ""  # a build runs no engine: nothing to name
        report.engine_note = why_pending
    localized = tuple(_localize(a, memory, glossary, report, why_pending) for a in articles)
    if not report.counts[PENDING] and report.engine in (NO_ENGINE, "none"):
        report.engine, report.engine_note = "", ""
    return EnglishResult(localized, memory.to_bytes(), report)
