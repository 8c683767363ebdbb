"""English: sentence segments -> PO translation memory (edited wins) -> Argos for the rest -> QA.

Public API used by the build:
    english_for_notice(meta, articles, po_path, settings, engine="auto") -> EnglishResult
    load_engine(settings) -> engine | None      engine_fingerprint(settings) -> str
    install_hint() -> str
english_for_notice never writes files: it returns the new PO bytes, which the build writes atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from noticepub.model import EDITED, MACHINE, PENDING, Article, LocalizedArticle, NoticeMeta, Provenance, Span
from noticepub.settings import Settings
from noticepub.translate import memory as tm
from noticepub.translate.glossary import load_glossary
from noticepub.translate.qa import check_segment
from noticepub.translate.segment import split_sentences

FIELDS_SINGLE = ("title", "subtitle", "lead", "attribution")


@dataclass
class TranslationReport:
    counts: dict[str, int] = field(default_factory=dict)  # edited / machine / pending (outdated counts as pending)
    engine: str = ""
    qa_findings: list[str] = field(default_factory=list)  # "a2.p3.1: number 7 missing"


@dataclass
class EnglishResult:
    articles: tuple[LocalizedArticle, ...]
    po_bytes: bytes
    report: TranslationReport


def install_hint() -> str:
    from noticepub.translate.engine import INSTALL_HINT

    return INSTALL_HINT


def engine_fingerprint(settings: Settings) -> str:
    from noticepub.translate.engine import fingerprint

    return fingerprint()


def load_engine(settings: Settings) -> Any:
    """The installed zh->en engine, or None. Loading is cheap until the first translation."""
    from noticepub.translate.engine import find_zh_en

    pkg = find_zh_en()
    return None if pkg is None else LazyEngine(pkg, settings)


class LazyEngine:
    """Loads CTranslate2 and the model only when a segment actually needs machine translation."""

    def __init__(self, pkg: Any, settings: Settings) -> None:
        self.pkg = pkg
        self.name = pkg.label
        self.settings = settings
        self._engine: Any = None
        self.calls = 0

    def translate_batch(self, sentences: list[str]) -> list[str]:
        from noticepub.fsutil import fault
        from noticepub.translate.engine import ArgosEngine

        fault("engine")  # crash-safety tests: an engine failure mid-build
        if self._engine is None:
            self._engine = ArgosEngine(self.pkg, self.settings.mt_threads, self.settings.mt_batch_size)
        self.calls += 1
        return self._engine.translate_batch(sentences)


def field_segments(article: Article) -> list[tuple[str, list[str]]]:
    """(field key, sentences) for every field of an article, in reading order."""
    out: list[tuple[str, list[str]]] = []
    for name in ("title", "subtitle", "lead"):
        value = getattr(article, name)
        if value:
            out.append((name, split_sentences(value) if name == "lead" else [value]))
    for n, paragraph in enumerate(article.paragraphs, 1):
        out.append((f"p{n}", split_sentences(paragraph)))
    if article.attribution:
        out.append(("attribution", [article.attribution]))
    return out


def notice_segments(articles: tuple[Article, ...]) -> list[tm.Segment]:
    return [
        tm.Segment(f"{a.id}.{key}.{i}", sentence)
        for a in articles
        for key, sentences in field_segments(a)
        for i, sentence in enumerate(sentences, 1)
    ]


def english_for_notice(
    meta: NoticeMeta, articles: tuple[Article, ...], po_path: Path, settings: Settings, *, engine: Any = "auto"
) -> EnglishResult:
    memory = tm.Memory.load(po_path, meta.id)
    segments = notice_segments(articles)
    memory.sync(segments)
    if engine == "auto":
        engine = load_engine(settings)
    label = engine.name if engine is not None else None
    todo = [s for s in segments if memory.needs_machine(s.ctxt, label)]
    if todo and engine is not None:
        for start in range(0, len(todo), settings.mt_batch_size):
            batch = todo[start:start + settings.mt_batch_size]
            for seg, english in zip(batch, engine.translate_batch([s.source for s in batch]), strict=True):
                memory.set_machine(seg.ctxt, english, label)
    glossary = load_glossary(settings.glossary_path)
    report = TranslationReport(counts={EDITED: 0, MACHINE: 0, PENDING: 0}, engine=label or "")
    localized = []
    for article in articles:
        counts = {EDITED: 0, MACHINE: 0, PENDING: 0}
        engines: set[str] = set()
        fields: dict[str, tuple[Span, ...]] = {}
        for key, sentences in field_segments(article):
            spans: list[Span] = []
            for i, sentence in enumerate(sentences, 1):
                ctxt = f"{article.id}.{key}.{i}"
                entry = memory.by_ctxt[ctxt]
                state = tm.entry_state(entry)
                sep = " " if spans else ""
                if state in (tm.EDITED, tm.MACHINE):
                    shown = EDITED if state == tm.EDITED else MACHINE
                    spans.append(Span(sep + entry.msgstr, shown))
                    counts[shown] += 1
                    if shown == MACHINE:
                        engines.add(tm.machine_engine(entry))
                    for finding in check_segment(sentence, entry.msgstr, glossary):
                        report.qa_findings.append(f"{ctxt}: {finding}")
                else:
                    spans.append(Span(sep + sentence, PENDING))
                    counts[PENDING] += 1
            fields[key] = tuple(spans)
        for name, value in counts.items():
            report.counts[name] += value
        total = sum(counts.values()) or 1
        if counts[EDITED] == total:
            provenance = Provenance("edited", "edited translation (reviewed)", tuple(counts.items()))
        elif counts[MACHINE] == total:
            provenance = Provenance("machine", "machine translation: " + ", ".join(sorted(engines)), tuple(counts.items()))
        elif counts[PENDING] == total:
            provenance = Provenance("pending", "translation pending", tuple(counts.items()))
        else:
            detail = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
            if engines:
                detail += "; machine translation: " + ", ".join(sorted(engines))
            provenance = Provenance("mixed", detail, tuple(counts.items()))
        localized.append(
            LocalizedArticle(
                lang="en",
                article_id=article.id,
                title=fields.get("title", ()),
                subtitle=fields.get("subtitle"),
                lead=fields.get("lead"),
                paragraphs=tuple(fields[f"p{n}"] for n in range(1, len(article.paragraphs) + 1)),
                attribution=fields.get("attribution"),
                provenance=provenance,
            )
        )
    return EnglishResult(tuple(localized), memory.to_bytes(), report)
