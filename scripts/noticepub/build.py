"""The build: source_texts/ -> parse -> variants -> render -> docs/, atomically and incrementally.

Each notice's work is keyed by a content hash of everything that can change its pages (raw.txt,
notice.yml, its translation memory, the glossary, the Traditional overrides, the settings and the
code itself; the build runs no machine translation: `noticepub translate` fills the PO files).
A warm build with no change only hashes inputs and reuses the cached summary; pages are
rewritten only when their bytes change, and the whole docs/ tree is swapped in
at once so a failure at any stage leaves the previous docs/ and translation files untouched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import noticepub
from noticepub.errors import InputError, NoticepubError
from noticepub.fsutil import build_lock, fault, list_tree, recover_interrupted_swap, sha256_bytes, swap_tree
from noticepub.meta import load_notice_meta, validate_notice_id
from noticepub.model import NoticeBundle
from noticepub.settings import Settings

CACHE_DIR = ".noticepub-cache"
CACHE_VERSION = "1"
PO_NAME = "en.po"


@dataclass
class NoticeResult:
    notice_id: str
    key: str
    pages: dict[str, str]  # docs-relative path -> sha256 of its bytes
    summary: dict[str, Any]
    translation: dict[str, Any]  # counts, engine, qa findings (JSON-serialisable)
    warnings: list[str]
    from_cache: bool
    page_bytes: dict[str, bytes] = field(default_factory=dict)  # only when freshly rendered
    po_bytes: bytes | None = None  # only when freshly translated and changed


@dataclass
class BuildReport:
    notices: int = 0
    articles: int = 0
    rebuilt: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    po_written: list[str] = field(default_factory=list)
    translation: dict[str, int] = field(default_factory=dict)
    engine: str = ""
    warnings: list[str] = field(default_factory=list)
    strict_failures: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return sorted(self.written + self.deleted + self.po_written)


# ------------------------------------------------------------------ fingerprints
def _code_fingerprint() -> str:
    """Hash of the package's own source, so a code change invalidates every cached notice."""
    digest = hashlib.sha256(noticepub.__version__.encode())
    package = Path(noticepub.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".yml", ".yaml", ".json", ".txt"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _read_optional(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""


@dataclass(frozen=True)
class SharedInputs:
    """Inputs shared by every notice, hashed once per build."""

    digest: str

    @classmethod
    def collect(cls, settings: Settings) -> SharedInputs:
        digest = hashlib.sha256()
        for part in (
            CACHE_VERSION,
            _code_fingerprint(),
            repr(dataclasses.replace(settings, root=Path("."))),
            sha256_bytes(_read_optional(settings.glossary_path)),
            sha256_bytes(_read_optional(settings.hant_overrides_path)),
        ):
            digest.update(part.encode())
            digest.update(b"\0")
        return cls(digest.hexdigest())


def notice_key(shared: SharedInputs, folder: Path, po_bytes: bytes | None = None) -> str:
    digest = hashlib.sha256(shared.digest.encode())
    for name in ("raw.txt", "notice.yml"):
        digest.update(name.encode() + b"\0" + sha256_bytes(_read_optional(folder / name)).encode())
    po = _read_optional(folder / PO_NAME) if po_bytes is None else po_bytes
    digest.update(b"po\0" + sha256_bytes(po).encode())
    return digest.hexdigest()


# ------------------------------------------------------------------ discovery
def discover(settings: Settings) -> list[Path]:
    root = settings.source_path
    if not root.is_dir():
        raise InputError(root, "source folder does not exist; create it and add <notice-id>/raw.txt")
    folders = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and not entry.name.startswith("."):
            if not (entry / "raw.txt").is_file():
                raise InputError(entry, "notice folder has no raw.txt; add the raw page text or remove the folder")
            validate_notice_id(entry.name, entry)
            folders.append(entry)
    return folders


# ------------------------------------------------------------------ one notice
def _relative(settings: Settings, path: Path) -> str:
    try:
        return path.resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def process_notice(folder: Path, settings: Settings, shared: SharedInputs) -> NoticeResult:
    """Run the whole pipeline for one notice (pure apart from reading its inputs)."""
    from noticepub.ingest import read_raw
    from noticepub.parse import parse_page
    from noticepub.render import render_notice, summarize
    from noticepub.translate import english_for_notice
    from noticepub.variants import hans_articles, hant_articles

    meta = load_notice_meta(folder)
    raw_path = folder / "raw.txt"
    text = read_raw(raw_path, settings.max_raw_bytes)
    fault("parse")
    parsed = parse_page(text, source=_relative(settings, raw_path))
    fault("variants")
    hans = hans_articles(parsed.articles)
    hant = hant_articles(parsed.articles, settings)
    fault("translate")
    english = english_for_notice(meta, parsed.articles, folder / PO_NAME, settings)
    bundle = NoticeBundle(
        meta=meta,
        source_path=_relative(settings, raw_path),
        source_sha256=sha256_bytes(raw_path.read_bytes()),
        parsed=parsed,
        variants={"zh-Hans": hans, "zh-Hant": hant, "en": english.articles},
        input_hashes=(
            ("raw.txt", sha256_bytes(raw_path.read_bytes())),
            ("notice.yml", sha256_bytes(_read_optional(folder / "notice.yml"))),
            (PO_NAME, sha256_bytes(english.po_bytes)),
        ),
    )
    fault("render")
    pages = render_notice(bundle, settings)
    summary = summarize(bundle)
    report = english.report
    translation = _jsonable(report)
    warnings = [f"{meta.id}: {w}" for w in _report_warnings(report)]
    old_po = _read_optional(folder / PO_NAME)
    po_bytes = english.po_bytes if english.po_bytes != old_po else None
    return NoticeResult(
        notice_id=meta.id,
        key=notice_key(shared, folder, english.po_bytes),
        pages={path: sha256_bytes(data) for path, data in pages.items()},
        summary=summary,
        translation=translation,
        warnings=warnings,
        from_cache=False,
        page_bytes=dict(pages),
        po_bytes=po_bytes,
    )


def _report_warnings(report: Any) -> list[str]:
    out: list[str] = []
    pending = _count(report, "pending")
    if pending:
        out.append(f"{pending} English segment(s) pending translation")
    for finding in getattr(report, "qa_findings", None) or getattr(report, "findings", None) or []:
        out.append(f"QA: {finding}")
    return out


def _count(report: Any, name: str) -> int:
    counts = getattr(report, "counts", None)
    if isinstance(counts, dict):
        return int(counts.get(name, 0))
    return int(getattr(report, name, 0) or 0)


# ------------------------------------------------------------------ cache
class Cache:
    def __init__(self, settings: Settings) -> None:
        self.dir = settings.root / CACHE_DIR / f"v{CACHE_VERSION}"

    def _path(self, notice_id: str) -> Path:
        return self.dir / f"{notice_id}.json"

    def load(self, notice_id: str, key: str) -> NoticeResult | None:
        try:
            data = json.loads(self._path(notice_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("key") != key:
            return None
        return NoticeResult(
            notice_id=notice_id,
            key=key,
            pages=data["pages"],
            summary=data["summary"],
            translation=data["translation"],
            warnings=data["warnings"],
            from_cache=True,
        )

    def load_index(self, key: str) -> dict[str, str] | None:
        try:
            data = json.loads((self.dir / "index-pages.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data["pages"] if data.get("key") == key else None

    def store_index(self, key: str, pages: dict[str, str]) -> None:
        from noticepub.fsutil import atomic_write

        atomic_write(self.dir / "index-pages.json", json.dumps({"key": key, "pages": pages}, sort_keys=True).encode())

    def store(self, result: NoticeResult) -> None:
        from noticepub.fsutil import atomic_write

        data = {
            "key": result.key,
            "pages": result.pages,
            "summary": result.summary,
            "translation": result.translation,
            "warnings": result.warnings,
        }
        atomic_write(self._path(result.notice_id), json.dumps(data, ensure_ascii=False, sort_keys=True).encode())


class DocsState:
    """What docs/ holds, like git's index: a file whose size and mtime match the manifest is not re-read."""

    def __init__(self, docs: Path, manifest_path: Path) -> None:
        self.docs = docs
        self._top = str(docs)
        self.manifest_path = manifest_path
        try:
            self.manifest: dict[str, list] = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.manifest = {}

    def digest(self, rel: str) -> str | None:
        try:
            stat = os.stat(os.path.join(self._top, rel))  # plain strings: this runs for every page
        except OSError:
            return None
        known = self.manifest.get(rel)
        if known and known[1] == stat.st_size and known[2] == stat.st_mtime_ns:
            return known[0]
        try:
            digest = sha256_bytes((self.docs / rel).read_bytes())
        except OSError:
            return None
        self.manifest[rel] = [digest, stat.st_size, stat.st_mtime_ns]
        return digest

    def matches(self, rel: str, digest: str) -> bool:
        return self.digest(rel) == digest

    def save(self, paths: list[str]) -> None:
        from noticepub.fsutil import atomic_write

        fresh = {}
        for rel in paths:
            digest = self.digest(rel)
            if digest is not None:
                fresh[rel] = self.manifest[rel]
        atomic_write(self.manifest_path, json.dumps(fresh, sort_keys=True).encode())


def _notice_pages(results: list[NoticeResult]) -> set[str]:
    return {rel for r in results for rel in r.pages}


# ------------------------------------------------------------------ the build
def build(
    settings: Settings,
    *,
    check: bool = False,
    strict: bool = False,
    only: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build docs/ from source_texts/. Raises NoticepubError on bad input (nothing written)."""
    lock_path = settings.root / ".noticepub.lock"
    if check:
        return _build(settings, check=True, strict=strict, only=only, progress=progress)
    with build_lock(lock_path, notify=notify):
        recover_interrupted_swap(settings.docs_path)
        return _build(settings, check=False, strict=strict, only=only, progress=progress)


def _build(settings, *, check, strict, only, progress) -> BuildReport:
    from noticepub.render import render_indexes

    report = BuildReport()
    folders = discover(settings)
    if only is not None:
        validate_notice_id(only, only)
        if not any(f.name == only for f in folders):
            raise InputError(settings.source_path / only, "no such notice (folder with raw.txt)")
    shared = SharedInputs.collect(settings)
    cache = Cache(settings)
    docs = settings.docs_path
    state = DocsState(docs, cache.dir / "docs-manifest.json")
    results: list[NoticeResult] = []
    for index, folder in enumerate(folders):
        if progress:
            progress(index, len(folders), folder.name)
        key = notice_key(shared, folder)
        cached = cache.load(folder.name, key)
        forced = only == folder.name
        if (
            cached is not None
            and not forced
            and all(state.matches(rel, digest) for rel, digest in cached.pages.items())
        ):
            results.append(cached)
            continue
        if only is not None and not forced and cached is not None:
            results.append(cached)  # --only: leave the other notices' pages as they are
            continue
        try:
            results.append(process_notice(folder, settings, shared))
        except NoticepubError:
            raise
        except (UnicodeError, ValueError) as exc:  # defensive: never a traceback for input problems
            raise InputError(folder, f"cannot process this notice: {exc}") from None
        report.rebuilt.append(folder.name)
    if progress:
        progress(len(folders), len(folders), "")

    fault("index")
    desired: dict[str, str] = {}
    fresh: dict[str, bytes] = {}
    for r in results:
        desired.update(r.pages)
        fresh.update(r.page_bytes)
    # Index pages depend only on the notices' keys (which cover summaries, settings and code):
    # when none changed and the pages are intact, reuse them without rendering.
    index_key = hashlib.sha256("\0".join(r.key for r in results).encode()).hexdigest()
    index_cached = cache.load_index(index_key)
    if index_cached is not None and all(state.matches(rel, digest) for rel, digest in index_cached.items()):
        desired.update(index_cached)
    else:
        index_pages = render_indexes([r.summary for r in results], settings)
        for rel, data in index_pages.items():
            desired[rel] = sha256_bytes(data)
            fresh[rel] = data

    existing = set(list_tree(docs))
    writes = {
        rel: fresh[rel]
        for rel in sorted(desired)
        if rel in fresh and not state.matches(rel, desired[rel])
    }
    missing = [rel for rel in desired if rel not in fresh and rel not in existing]
    if missing:  # a cached page vanished from docs/: cannot happen after the match check above
        raise NoticepubError(docs / missing[0], "a cached page is missing; delete .noticepub-cache and rebuild")
    keep_other = only is not None
    deletes = [] if keep_other else sorted(existing - set(desired))
    po_files = {
        settings.source_path / r.notice_id / PO_NAME: r.po_bytes for r in results if r.po_bytes is not None
    }

    report.notices = len(results)
    report.articles = sum(len(r.summary.get("articles", [])) for r in results)
    report.written = sorted(writes)
    report.deleted = deletes
    report.unchanged = len(desired) - len(writes)
    report.po_written = sorted(_relative(settings, p) for p in po_files)
    for r in results:
        report.warnings.extend(r.warnings)
        counts = r.translation.get("counts") if isinstance(r.translation, dict) else None
        for name, value in (counts or {}).items():
            if isinstance(value, int):
                report.translation[name] = report.translation.get(name, 0) + value
        if isinstance(r.translation, dict) and r.translation.get("engine"):
            report.engine = str(r.translation["engine"])
    if strict and report.warnings:
        report.strict_failures = list(report.warnings)
        if report.translation.get("pending"):
            try:
                from noticepub.translate import pending_hint

                report.strict_failures.append(pending_hint(report.translation["pending"]))
            except ImportError:
                pass

    if check or report.strict_failures:
        return report
    if writes or deletes or po_files:
        fault("write")
        swap_tree(docs, writes, deletes, po_files)
    for r in results:
        if not r.from_cache:
            cache.store(r)
    if index_cached is None:
        notice_pages = _notice_pages(results)
        cache.store_index(index_key, {rel: desired[rel] for rel in fresh if rel not in notice_pages})
    if writes or deletes or any(not r.from_cache for r in results):
        state = DocsState(docs, state.manifest_path)
        state.save(sorted(desired))
    return report


def default_progress(stream=sys.stderr) -> Callable[[int, int, str], None] | None:
    """A rich progress bar on a terminal for long runs; nothing otherwise."""
    if not stream.isatty() or os.environ.get("CI"):
        return None
    from rich.progress import Progress

    state: dict[str, Any] = {}

    def update(done: int, total: int, name: str) -> None:
        if total < 20:
            return
        if "bar" not in state:
            state["bar"] = Progress(transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task("notices", total=total)
        state["bar"].update(state["task"], completed=done, description=f"notices {name}")
        if done >= total:
            state["bar"].stop()

    return update
