"""The build: source_texts/ -> docs/, atomically and incrementally. This module only orchestrates.

    sources.py   which notices there are; each one's files read once; the content keys
    notice.py    one notice through ingest -> parse -> variants -> English -> render
    cache.py     the per-notice cache, the stat cache of docs/ and docs/'s manifest of generated files
    fsutil.py    the lock and the all-or-nothing swap of docs/ and the translation memories

Each notice's work is keyed by a content hash of everything that can change its pages (raw.txt,
notice.yml, its translation memory, the glossary, the Traditional overrides, the settings and the
code itself; the build runs no machine translation: `noticepub translate` fills the PO files).
A warm build with no change only hashes inputs and reuses the cached summary; pages are
rewritten only when their bytes change, and the whole docs/ tree is swapped in
at once so a failure at any stage leaves the previous docs/ and translation files untouched.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from noticepub.cache import (
    MANIFEST,
    Cache,
    DocsState,
    NoticeResult,
    manifest_bytes,
    needs_recovery,
    owned_files,
    prepare_docs,
    read_manifest,
    restamp_docs,
    side_dirs,
    walk_docs,
)
from noticepub.errors import InputError, NoticepubError
from noticepub.fsutil import build_lock, fault, list_tree, recover_interrupted_swap, sha256_bytes, swap_tree
from noticepub.model import PENDING, SegmentState
from noticepub.render import render_indexes
from noticepub.render.indexes import IndexMemo
from noticepub.render.names import TAG_RECORD, tag_slugs
from noticepub.render.redirects import format_url_list, shadowed_redirects
from noticepub.settings import LOCK_NAME, Settings
from noticepub.sources import (
    PO_NAME,
    URLS_NAME,
    InputState,
    NoticeInputs,
    SharedInputs,
    key_of_hashes,
    notice_folders,
    notice_key,
    relative,
    url_list,
)
from noticepub.translate import pending_hint


@dataclass
class BuildReport:
    notices: int = 0
    articles: int = 0
    rebuilt: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    po_written: list[str] = field(default_factory=list)
    urls_written: list[str] = field(default_factory=list)  # URL records (source_texts/urls.txt, tag-urls.txt)
    notes: list[str] = field(default_factory=list)  # one line each, printed once (e.g. a notice's URLs moved)
    translation: dict[SegmentState, int] = field(default_factory=dict)  # English segments per state, all notices
    engine: str = ""
    warnings: list[str] = field(default_factory=list)
    strict_failures: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return sorted(self.written + self.deleted + self.po_written + self.urls_written)


# ------------------------------------------------------------------ the build
# What a failed build leaves behind, for the one-line message the command prints (exception attribute).
UNTOUCHED = "docs/ and translation files were left as they were"
APPLIED = "docs/ and translation files were fully updated, but the build cache was not saved (the next build redoes it)"

Progress = Callable[[int, int, str], None]


def build(
    settings: Settings,
    *,
    check: bool = False,
    full: bool = False,
    strict: bool = False,
    only: str | None = None,
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build docs/ from source_texts/. Raises NoticepubError on bad input (nothing written).

    Any exception carries ``docs_state``: what docs/ and the translation memories hold afterwards
    (UNTOUCHED, APPLIED, or the HalfApplied error's own message).
    """
    prepare_docs(settings, scan=False)  # symlinks inside docs/: refused by _build's walk of it (walk_docs)
    if check:
        return _build(settings, check=True, full=full, strict=strict, only=only, progress=progress)
    with build_lock(settings.root / LOCK_NAME, notify=notify):
        if needs_recovery(settings):  # a rollback writes into docs/: never through a symlink
            prepare_docs(settings)
        for line in recover_interrupted_swap(settings.docs_path, side_dirs(settings)):
            if notify:
                notify(line)
        return _build(settings, check=False, full=full, strict=strict, only=only, progress=progress)


@dataclass
class _Plan:
    """What the build will change in docs/ and in the translation memories."""

    desired: dict[str, str]  # every generated file of docs/ -> sha256
    writes: dict[str, bytes]
    deletes: list[str]
    strays: list[str]  # files in docs/ the build did not write and leaves in place
    po_files: dict[Path, bytes]
    index_key: str
    index_reused: bool
    index_memo: dict[str, list[str]] = field(default_factory=dict)  # render.indexes.IndexMemo.new


def _build(settings: Settings, *, check: bool, full: bool, strict: bool, only: str | None,
           progress: Progress | None) -> BuildReport:
    report = BuildReport()
    cache = Cache(settings)
    state = DocsState(settings.docs_path, cache.dir / "docs-stat-cache.json", full=full)
    walk_docs(settings, state, record=not check)  # docs/ walked once: its files and stats for every check below
    shared = SharedInputs.collect(settings)
    records: dict[str, bytes] = {}
    inputs_state = InputState(cache.dir / "input-stat-cache.json")
    results = _notices(settings, shared, cache, state, only, progress, report, records, inputs_state)
    fault("index")
    plan = _plan(settings, shared, results, cache, state, only, records)
    _summarize(report, settings, results, plan, strict)
    if check or report.strict_failures:
        return report
    _save_quietly(inputs_state)  # what the build read, whatever it writes
    if plan.writes or plan.deletes or plan.po_files:
        fault("write")
        swap_tree(settings.docs_path, plan.writes, plan.deletes, plan.po_files)
    try:
        _remember(cache, state, results, plan)
        if plan.writes or plan.deletes:  # the folders it did not touch stay stamped for the next command
            restamp_docs(state, sorted(plan.desired))
    except BaseException as exc:
        exc.docs_state = APPLIED  # type: ignore[attr-defined]
        raise
    return report


def _notices(settings: Settings, shared: SharedInputs, cache: Cache, state: DocsState, only: str | None,
             progress: Progress | None, report: BuildReport, records: dict[str, bytes],
             inputs_state: InputState) -> list[NoticeResult]:
    """Every notice's result: from the cache when its key and its pages in docs/ are unchanged, else fresh.
    ``records`` gets each notice's record of published URLs as this build leaves it (source_texts/urls.txt).
    The key of a notice whose files did not change since the last build comes from ``inputs_state``."""
    folders = notice_folders(settings)
    if only is not None:
        notice_folders(settings, only)  # the one check of --only every command makes
    results: list[NoticeResult] = []
    for index, folder in enumerate(folders):
        if progress:
            progress(index, len(folders), folder.name)
        forced = only == folder.name
        hashes = None if forced else inputs_state.hashes(folder, settings)
        if hashes is not None:  # its files as the build last read them: found in the cache without reading them
            urls = url_list(settings).records.get(folder.name)
            cached = cache.load(folder.name, key_of_hashes(shared, hashes, urls))
            if cached is not None and (
                only is not None or all(state.matches(rel, digest) for rel, digest in cached.pages.items())
            ):
                if urls:
                    records[folder.name] = urls
                results.append(cached)
                continue
        inputs = NoticeInputs.read(folder, settings)
        inputs_state.remember(inputs)
        if inputs.legacy_urls:
            old = relative(settings, folder / URLS_NAME)
            report.warnings.append(f"{old}: folded into {relative(settings, inputs.urls_path)} (one list for all "
                                   f"notices now); once this build has written the list, remove it: git rm {old}")
        if inputs.urls:
            records[folder.name] = inputs.urls
        cached = cache.load(folder.name, notice_key(shared, inputs))
        if cached is not None and not forced and (
            only is not None  # --only: leave the other notices' pages as they are
            or all(state.matches(rel, digest) for rel, digest in cached.pages.items())
        ):
            results.append(cached)
            continue
        from noticepub.notice import process_notice  # parser, variants, English: only for a notice to make

        try:
            results.append(process_notice(inputs, settings, shared))
            if results[-1].urls_bytes is not None:
                records[folder.name] = results[-1].urls_bytes
        except NoticepubError:
            raise
        except (UnicodeError, ValueError) as exc:  # defensive: never a traceback for input problems
            raise InputError(folder, f"cannot process this notice: {exc}") from None
        report.rebuilt.append(folder.name)
    if progress:
        progress(len(folders), len(folders), "")
    return results


def _plan(settings: Settings, shared: SharedInputs, results: list[NoticeResult], cache: Cache, state: DocsState,
          only: str | None, records: dict[str, bytes]) -> _Plan:
    docs = settings.docs_path
    desired: dict[str, str] = {}
    fresh: dict[str, bytes] = {}
    for r in results:
        desired.update(r.pages)
        fresh.update(r.page_bytes)
    # Index pages depend only on the notices' keys (which cover summaries, settings and code):
    # when none changed and the pages are intact, reuse them without rendering.
    all_tags = [t for r in results for a in r.summary.articles for t in a.tags]
    tag_record_path = settings.source_path / TAG_RECORD
    tag_record_bytes = tag_slugs(all_tags, settings)[1]  # every tag's URL name, kept for good
    # every notice's published URLs, one list; a notice gone from source_texts/ leaves it
    url_list_path = settings.source_path / URLS_NAME
    url_list_now = url_list(settings).data
    url_list_bytes = format_url_list({k: v for k, v in records.items() if v})
    url_list_writes = ({url_list_path: url_list_bytes} if url_list_bytes != url_list_now
                       and (records or url_list_now is not None) else {})
    index_key = hashlib.sha256("\0".join([*(r.key for r in results), sha256_bytes(tag_record_bytes)]).encode()
                               ).hexdigest()
    index_cached = cache.load_index(index_key)
    index_reused = index_cached is not None and all(state.matches(rel, d) for rel, d in index_cached.items())
    memo = IndexMemo(cache.load_index_memo(), shared.digest, state.matches)
    if index_cached is not None and index_reused:
        desired.update(index_cached)
    else:  # index pages whose inputs did not change (most of them, when one notice changed) are not made again
        for rel, data in render_indexes([r.summary for r in results], settings, dict(shared.file_hashes),
                                        memo).items():
            desired[rel] = sha256_bytes(data)
            fresh[rel] = data
        desired.update(memo.reused)
    for rel in shadowed_redirects(desired):  # an old URL of one notice that is another's page now
        del desired[rel]
        fresh.pop(rel, None)
    manifest_data = manifest_bytes(desired)
    desired[MANIFEST] = sha256_bytes(manifest_data)
    fresh[MANIFEST] = manifest_data

    existing = set(state.tree if state.tree is not None else list_tree(docs))
    generated = state.generated if state.generated is not None else read_manifest(docs)  # (read by walk_docs)
    owned = owned_files(docs, generated, existing - {MANIFEST}) | {MANIFEST}
    writes = {rel: fresh[rel] for rel in sorted(desired) if rel in fresh and not state.matches(rel, desired[rel])}
    foreign = sorted(rel for rel in writes if rel in existing and rel not in owned)
    if foreign:
        raise NoticepubError(docs / foreign[0], "exists but was not written by noticepub (it is not in "
                             f"{settings.docs_dir}/{MANIFEST}); move it out of {settings.docs_dir}/ and build again "
                             f"({len(foreign)} such file(s)); nothing was written")
    missing = [rel for rel in desired if rel not in fresh and rel not in existing]
    if missing:  # a cached page vanished from docs/: cannot happen after the match check above
        raise NoticepubError(docs / missing[0], "a cached page is missing; delete .noticepub-cache and rebuild")
    return _Plan(
        desired=desired,
        writes=writes,
        deletes=[] if only is not None else sorted(rel for rel in existing - set(desired) if rel in owned),
        strays=sorted(existing - set(desired) - owned),
        po_files={**{settings.source_path / r.notice_id / PO_NAME: r.po_bytes for r in results
                     if r.po_bytes is not None},
                  **url_list_writes,
                  **({tag_record_path: tag_record_bytes} if tag_record_bytes != _current(tag_record_path) else {})},
        index_key=index_key,
        index_reused=index_reused,
        index_memo=memo.new,
    )


def _save_quietly(inputs_state: InputState) -> None:
    """A stat cache that cannot be saved makes the next build read its inputs again, nothing worse."""
    try:
        inputs_state.save()
    except OSError:
        pass


def _current(path: Path) -> bytes | None:
    """The bytes of a record file the build keeps (read by the function that checked it), None when absent."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _summarize(report: BuildReport, settings: Settings, results: list[NoticeResult], plan: _Plan,
               strict: bool) -> None:
    report.notices = len(results)
    report.articles = sum(r.articles for r in results)
    report.written = sorted(plan.writes)
    report.deleted = plan.deletes
    report.unchanged = len(plan.desired) - len(plan.writes)
    report.po_written = sorted(relative(settings, p) for p in plan.po_files if p.name == PO_NAME)
    report.urls_written = sorted(relative(settings, p) for p in plan.po_files if p.name in (URLS_NAME, TAG_RECORD))
    for r in results:
        report.warnings.extend(r.warnings)
        report.notes.extend(r.notes)
        for name, value in r.translation.counts:
            report.translation[name] = report.translation.get(name, 0) + value
        if r.translation.engine:
            report.engine = r.translation.engine
    for rel in plan.strays[:20]:
        report.warnings.append(f"{settings.docs_dir}/{rel}: not written by noticepub (not in its manifest); "
                               "left in place — delete it or move it out if it should not be published")
    if len(plan.strays) > 20:
        report.warnings.append(f"{settings.docs_dir}/: {len(plan.strays) - 20} more file(s) not written by noticepub")
    if strict and report.warnings:
        report.strict_failures = list(report.warnings)
        if report.translation.get(PENDING):
            report.strict_failures.append(pending_hint(report.translation[PENDING]))


def _remember(cache: Cache, state: DocsState, results: list[NoticeResult], plan: _Plan) -> None:
    """After the swap: the fresh notices and index pages into the cache, docs/'s stat cache refreshed."""
    for r in results:
        if not r.from_cache:
            cache.store(r)
    if not plan.index_reused:
        notice_pages = {rel for r in results for rel in r.pages}
        cache.store_index(plan.index_key, {rel: digest for rel, digest in plan.desired.items()
                                           if rel not in notice_pages and rel != MANIFEST})
        cache.store_index_memo(plan.index_memo)
    if plan.writes or plan.deletes or any(not r.from_cache for r in results):
        DocsState(state.docs, state.manifest_path).save(sorted(plan.desired))


def default_progress(stream: TextIO = sys.stderr) -> Progress | None:
    """A rich progress bar on a terminal for long runs; nothing otherwise."""
    if not stream.isatty() or os.environ.get("CI"):
        return None
    from rich.progress import Progress as Bar  # rich's live display: loaded only on a terminal
    from rich.progress import TaskID

    bar: Bar | None = None
    task: TaskID | None = None

    def update(done: int, total: int, name: str) -> None:
        nonlocal bar, task
        if total < 20:
            return
        if bar is None or task is None:
            bar = Bar(transient=True)
            bar.start()
            task = bar.add_task("notices", total=total)
        bar.update(task, completed=done, description=f"notices {name}")
        if done >= total:
            bar.stop()

    return update
