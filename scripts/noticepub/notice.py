"""One notice through the pipeline: ingest -> parse -> variants -> English -> render.

    parse_notice(inputs, settings) -> ParsedNotice      notice.yml checked, en.po checked, raw.txt parsed
    english(parsed, settings) -> EnglishResult          the English from the translation memory (no engine)
    process_notice(inputs, settings, shared) -> NoticeResult
                                                        everything, with the rendered pages and their hashes

The build, `noticepub qa` and the benchmark all run a notice through these functions, so a notice is
read, checked and parsed the same way everywhere. Pure apart from the translation memory polib reads.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from noticepub.cache import NoticeResult, TranslationCounts
from noticepub.fsutil import fault, sha256_bytes
from noticepub.ingest import clean_text, decode_raw
from noticepub.meta import parse_notice_yml, validate_slugs
from noticepub.model import PENDING, NoticeBundle, NoticeMeta, ParseResult
from noticepub.parse import parse_page
from noticepub.po_check import validate_po
from noticepub.render import name_warnings, render_notice, summarize
from noticepub.settings import Settings
from noticepub.sources import NoticeInputs, SharedInputs, input_hashes, notice_key, relative
from noticepub.translate import EnglishResult, TranslationReport, english_for_notice
from noticepub.variants import hans_articles, hant_articles


@dataclass(frozen=True)
class ParsedNotice:
    """A notice's inputs, its checked metadata and the parse of its raw page."""

    inputs: NoticeInputs
    meta: NoticeMeta
    parsed: ParseResult


def parse_notice(inputs: NoticeInputs, settings: Settings) -> ParsedNotice:
    """notice.yml and en.po validated, raw.txt decoded and parsed with the notice's corrections (raises InputError)."""
    meta = parse_notice_yml(inputs.notice_yml or b"", inputs.meta_path, inputs.notice_id)
    if inputs.po is not None:
        validate_po(inputs.po_path, inputs.po)  # before polib, which accepts and would rewrite a malformed file
    text = decode_raw(inputs.raw, inputs.raw_path)
    fault("parse")
    parsed = parse_page(text, source=relative(settings, inputs.raw_path), corrections=meta.corrections)
    validate_slugs(meta, [a.id for a in parsed.articles], inputs.meta_path)
    return ParsedNotice(inputs, meta, parsed)


def english(notice: ParsedNotice, settings: Settings) -> EnglishResult:
    """The notice's English from its translation memory (a segment without an entry stays pending)."""
    return english_for_notice(notice.meta, notice.parsed.articles, notice.inputs.po_path, settings, engine=None)


def clean_bundle(bundle: NoticeBundle) -> NoticeBundle:
    """Every text that reaches a page, whatever file it came from (en.po, notice.yml, glossary, overrides),
    through the one clean-up of ingest.clean_text (no format or control characters)."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, tuple):
            return tuple(walk(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: walk(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
            return dataclasses.replace(value, **changes)
        return value

    return dataclasses.replace(
        bundle,
        meta=walk(bundle.meta),
        variants={lang: walk(articles) for lang, articles in bundle.variants.items()},
    )


def process_notice(inputs: NoticeInputs, settings: Settings, shared: SharedInputs) -> NoticeResult:
    """Run the whole pipeline for one notice: its pages (bytes and hashes), index summary and warnings."""
    notice = parse_notice(inputs, settings)
    meta, parsed = notice.meta, notice.parsed
    fault("variants")
    hans = hans_articles(parsed.articles)
    hant = hant_articles(parsed.articles, settings)
    fault("translate")
    en = english(notice, settings)
    bundle = clean_bundle(NoticeBundle(
        meta=meta,
        source_path=relative(settings, inputs.raw_path),
        source_sha256=sha256_bytes(inputs.raw),
        parsed=parsed,
        variants={"zh-Hans": hans, "zh-Hant": hant, "en": en.articles},
        input_hashes=input_hashes(inputs, en.po_bytes),
    ))
    fault("render")
    pages = render_notice(bundle, settings)
    warnings = [f"{meta.id}: parse: {w.article_id or '-'} (raw.txt lines {spans(w.lines)}): {w.message}"
                for w in parsed.warnings]
    warnings += [f"{meta.id}: {w}" for w in report_warnings(en.report)]
    summary = summarize(bundle, settings)
    warnings += [f"{meta.id}: {w}" for w in name_warnings(summary, settings)]
    return NoticeResult(
        notice_id=meta.id,
        key=notice_key(shared, inputs, en.po_bytes),
        pages={path: sha256_bytes(data) for path, data in pages.items()},
        summary=summary,
        translation=TranslationCounts.of(en.report.counts, en.report.engine),
        warnings=warnings,
        from_cache=False,
        page_bytes=dict(pages),
        po_bytes=en.po_bytes if en.po_bytes != inputs.po else None,
    )


def spans(lines: tuple[int, ...]) -> str:
    """(3, 4, 5, 9) -> "3-5, 9"."""
    out: list[str] = []
    for no in sorted(set(lines)):
        if out and out[-1].split("-")[-1] == str(no - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{no}"
        else:
            out.append(str(no))
    return ", ".join(out) or "-"


def report_warnings(report: TranslationReport) -> list[str]:
    """A notice's English warnings: segments still pending, then every QA finding."""
    out: list[str] = []
    pending = report.counts.get(PENDING, 0)
    if pending:
        out.append(f"{pending} English segment(s) pending translation")
    out += [f"QA: {finding}" for finding in report.qa_findings]
    return out
