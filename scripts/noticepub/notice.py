"""One notice through the pipeline: ingest -> parse -> variants -> English -> render.

    read_notice(folder, settings) -> ParsedNotice       inputs read (no symlink, size limits) and parse_notice
    parse_notice(inputs, settings) -> ParsedNotice      notice.yml checked, en.po checked, raw.txt parsed
                                                        with the notice's corrections
    translation_memory(notice) -> (Memory, segments)    its en.po (the bytes read and checked) synced with its
                                                        segments
    po_output(notice, memory, settings) -> bytes | None what to write back to en.po (None: unchanged), checked
    english(parsed, settings) -> EnglishResult          the English from the translation memory (no engine)
    process_notice(inputs, settings, shared) -> NoticeResult
                                                        everything, with the rendered pages and their hashes

The build, `noticepub translate`, `noticepub status`, `noticepub qa` and the benchmark all read a notice
through read_notice and its translation memory through translation_memory, so a notice is read, checked
and parsed the same way everywhere: what one command refuses, every command refuses, and all of them
count the same segments. Pure apart from the translation memory polib reads.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from noticepub.cache import NoticeResult, TranslationCounts
from noticepub.errors import InputError
from noticepub.fsutil import fault, sha256_bytes
from noticepub.ingest import clean_text, decode_raw
from noticepub.meta import parse_notice_yml, validate_slugs
from noticepub.model import PENDING, NoticeBundle, NoticeMeta, ParseResult
from noticepub.parse import parse_page
from noticepub.po_check import validate_po
from noticepub.render import name_warnings, render_notice, summarize
from noticepub.render.common import bundle_facts
from noticepub.render.redirects import format_record, moved_pages, moved_urls, page_urls, record_urls
from noticepub.settings import Settings
from noticepub.sources import NoticeInputs, SharedInputs, input_hashes, notice_key, relative
from noticepub.translate import EnglishResult, TranslationReport, english_from_memory, notice_segments
from noticepub.translate import memory as tm
from noticepub.variants import hans_articles, hant_articles


@dataclass(frozen=True)
class ParsedNotice:
    """A notice's inputs, its checked metadata and the parse of its raw page."""

    inputs: NoticeInputs
    meta: NoticeMeta
    parsed: ParseResult


def read_notice(folder: Path, settings: Settings) -> ParsedNotice:
    """One notice as every command sees it: its files read once (no symlink, size limits) and parsed."""
    return parse_notice(NoticeInputs.read(folder, settings), settings)


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


def translation_memory(notice: ParsedNotice) -> tuple[tm.Memory, list[tm.Segment]]:
    """The notice's translation memory, from the en.po bytes parse_notice checked, synced with its segments."""
    memory = tm.Memory.from_bytes(notice.inputs.po_path, notice.meta.id, notice.inputs.po)
    segments = notice_segments(notice.parsed.articles)
    memory.sync(segments)
    return memory, segments


def po_output(notice: ParsedNotice, data: bytes, settings: Settings) -> bytes | None:
    """The bytes to write to the notice's en.po, or None when they are the ones read (raises InputError).

    What is written is held to the limits of what is read: at most max_po_bytes (so the next build can read
    it), and a rewrite of an existing file passes msgfmt --check-format before it replaces it.
    """
    if data == notice.inputs.po:
        return None
    path = notice.inputs.po_path
    if len(data) > settings.max_po_bytes:
        raise InputError(path, f"the updated translation memory would be {len(data):,} bytes, over the limit of "
                         f"{settings.max_po_bytes:,} bytes (setting max_po_bytes in [tool.noticepub] of "
                         "pyproject.toml); raise the limit; nothing was written")
    if notice.inputs.po is not None:
        try:
            validate_po(path, data)
        except InputError as exc:
            raise InputError(path, "noticepub would write an invalid translation memory (a bug; please report "
                             f"it): {exc.problem}; nothing was written") from None
    return data


def english(notice: ParsedNotice, settings: Settings) -> EnglishResult:
    """The notice's English from its translation memory (a segment without an entry stays pending)."""
    memory, segments = translation_memory(notice)
    return english_from_memory(memory, segments, notice.parsed.articles, settings, engine=None)


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
    urls_bytes, notes = _published_urls(notice, bundle, pages, settings)
    warnings = [f"{meta.id}: parse: {w.article_id or '-'} (raw.txt lines {spans(w.lines)}): {w.message}"
                for w in parsed.warnings]
    warnings += [f"{meta.id}: {w}" for w in report_warnings(en.report)]
    summary = summarize(bundle, settings)
    warnings += [f"{meta.id}: {w}" for w in name_warnings(summary, settings)]
    return NoticeResult(
        notice_id=meta.id,
        key=notice_key(shared, inputs, en.po_bytes, urls_bytes),
        pages={path: sha256_bytes(data) for path, data in pages.items()},
        summary=summary,
        translation=TranslationCounts.of(en.report.counts, en.report.engine),
        warnings=warnings,
        from_cache=False,
        page_bytes=dict(pages),
        po_bytes=po_output(notice, en.po_bytes, settings),
        urls_bytes=urls_bytes if urls_bytes != inputs.urls else None,
        notes=notes,
    )


def _published_urls(notice: ParsedNotice, bundle: NoticeBundle, pages: dict[str, bytes],
                    settings: Settings) -> tuple[bytes, list[str]]:
    """The notice's record (its lines of source_texts/urls.txt) brought up to date, and a redirect page added to
    ``pages`` for every recorded URL the notice no longer has. Returns the record's bytes and the line to print
    when URLs moved."""
    inputs = notice.inputs
    recorded = record_urls(inputs.urls, inputs.urls_path)
    current = page_urls(pages)
    folder = bundle_facts(bundle)["slug"]
    moves = moved_urls(recorded, current, folder, dict(bundle.meta.slugs))
    pages.update(moved_pages(bundle, moves, settings))
    fresh = sorted(url for url in moves if recorded[url] is None)  # pages until this build
    notes = []
    if fresh:
        where = relative(settings, inputs.folder)
        old = sorted({"/".join(url.split("/")[:2]) + "/" for url in fresh} - {f"notices/{folder}/"})
        listed = ", ".join(old[:3]) + (f" and {len(old) - 3} more" if len(old) > 3 else "")
        what = (f"its pages moved from {listed} to notices/{folder}/" if old else
                f"{len(fresh)} published page(s) are gone (e.g. {fresh[0]})")
        notes.append(f"{where}: {what}: {len(fresh)} old URL(s) now redirect to the new pages (recorded in "
                     f"{relative(settings, inputs.urls_path)}; commit it)")
    return format_record(current, moves, inputs.urls_path, inputs.notice_id), notes


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
