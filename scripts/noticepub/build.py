"""The build: source_texts/ -> parse -> variants -> render -> docs/, atomically and incrementally.

Each notice's work is keyed by a content hash of everything that can change its pages (raw.txt,
notice.yml, its translation memory, the glossary, the Traditional overrides, the settings and the
code itself; the build runs no machine translation: `noticepub translate` fills the PO files).
A warm build with no change only hashes inputs and reuses the cached summary; pages are
rewritten only when their bytes change, and the whole docs/ tree is swapped in
at once so a failure at any stage leaves the previous docs/ and translation files untouched.
"""

from __future__ import annotations

import contextlib
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
from noticepub.errors import ConfigError, InputError, NoticepubError
from noticepub.fsutil import (
    SYMLINK_FIX,
    build_lock,
    check_docs_dir,
    docs_state,
    fault,
    first_symlink,
    list_tree,
    read_input,
    recover_interrupted_swap,
    sha256_bytes,
    swap_tree,
    tree_symlinks,
)
from noticepub.meta import parse_notice_yml, validate_notice_id, validate_slugs
from noticepub.model import NoticeBundle
from noticepub.settings import Settings

CACHE_DIR = ".noticepub-cache"
CACHE_VERSION = "2"
PO_NAME = "en.po"
MANIFEST = ".noticepub-manifest.json"  # in docs/: every file the build generated, with its sha256


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


def read_shared_file(settings: Settings, path: Path, kind: str) -> bytes:
    """The glossary or the Traditional overrides: no symlink, size limit, every value checked (b"" if absent)."""
    from noticepub.inputcheck import check_glossary, check_overrides

    data = read_input(settings.root, path, settings.max_yaml_bytes, "max_yaml_bytes", "YAML file")
    if data is None:
        return b""
    (check_glossary if kind == "glossary" else check_overrides)(path, data)
    return data


@dataclass(frozen=True)
class SharedInputs:
    """Inputs shared by every notice, read and checked once per build."""

    digest: str

    @classmethod
    def collect(cls, settings: Settings) -> SharedInputs:
        digest = hashlib.sha256()
        for part in (
            CACHE_VERSION,
            _code_fingerprint(),
            repr(dataclasses.replace(settings, root=Path("."))),
            sha256_bytes(read_shared_file(settings, settings.glossary_path, "glossary")),
            sha256_bytes(read_shared_file(settings, settings.hant_overrides_path, "overrides")),
        ):
            digest.update(part.encode())
            digest.update(b"\0")
        return cls(digest.hexdigest())


@dataclass(frozen=True)
class NoticeInputs:
    """One notice's input files, each opened once (no symlink, size-limited) and kept as bytes."""

    folder: Path
    raw: bytes
    notice_yml: bytes | None
    po: bytes | None

    @classmethod
    def read(cls, folder: Path, settings: Settings) -> NoticeInputs:
        root = settings.root
        raw = read_input(root, folder / "raw.txt", settings.max_raw_bytes, "max_raw_bytes", "text file")
        if raw is None:
            raise InputError(folder, "notice folder has no raw.txt; add the raw page text or remove the folder")
        yml = read_input(root, folder / "notice.yml", settings.max_yaml_bytes, "max_yaml_bytes", "YAML file")
        po = read_input(root, folder / PO_NAME, settings.max_po_bytes, "max_po_bytes", "PO file")
        return cls(folder, raw, yml, po)


def notice_key(shared: SharedInputs, inputs: NoticeInputs, po_bytes: bytes | None = None) -> str:
    digest = hashlib.sha256(shared.digest.encode())
    for name, data in (("raw.txt", inputs.raw), ("notice.yml", inputs.notice_yml or b"")):
        digest.update(name.encode() + b"\0" + sha256_bytes(data).encode())
    po = (inputs.po or b"") if po_bytes is None else po_bytes
    digest.update(b"po\0" + sha256_bytes(po).encode())
    return digest.hexdigest()


# ------------------------------------------------------------------ discovery
def discover(settings: Settings) -> list[Path]:
    root = settings.source_path
    link = first_symlink(settings.root, root)
    if link is not None:
        raise InputError(link, f"is a symbolic link; {SYMLINK_FIX}")
    if not root.is_dir():
        raise InputError(root, "source folder does not exist; create it and add <notice-id>/raw.txt")
    folders = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            raise InputError(entry, f"is a symbolic link; {SYMLINK_FIX}")
        if entry.is_dir():
            raw = entry / "raw.txt"
            if raw.is_symlink():
                raise InputError(raw, f"is a symbolic link; {SYMLINK_FIX}")
            if not raw.is_file():
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


def clean_bundle(bundle: NoticeBundle) -> NoticeBundle:
    """Every text that reaches a page, whatever file it came from (en.po, notice.yml, glossary, overrides),
    through the one clean-up of ingest.clean_text (no format or control characters)."""
    from noticepub.ingest import clean_text

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
    """Run the whole pipeline for one notice (pure apart from the translation memory polib reads)."""
    from noticepub.ingest import decode_raw
    from noticepub.parse import parse_page
    from noticepub.po_check import validate_po
    from noticepub.render import render_notice, summarize
    from noticepub.translate import english_for_notice
    from noticepub.variants import hans_articles, hant_articles

    folder = inputs.folder
    notice_id = validate_notice_id(folder.name, folder)
    meta = parse_notice_yml(inputs.notice_yml or b"", folder / "notice.yml", notice_id)
    raw_path = folder / "raw.txt"
    po_path = folder / PO_NAME
    if inputs.po is not None:
        validate_po(po_path, inputs.po)  # before polib, which accepts and would rewrite a malformed file
    text = decode_raw(inputs.raw, raw_path)
    fault("parse")
    parsed = parse_page(text, source=_relative(settings, raw_path), corrections=meta.corrections)
    validate_slugs(meta, [a.id for a in parsed.articles], folder / "notice.yml")
    fault("variants")
    hans = hans_articles(parsed.articles)
    hant = hant_articles(parsed.articles, settings)
    fault("translate")
    english = english_for_notice(meta, parsed.articles, po_path, settings)
    bundle = clean_bundle(NoticeBundle(
        meta=meta,
        source_path=_relative(settings, raw_path),
        source_sha256=sha256_bytes(inputs.raw),
        parsed=parsed,
        variants={"zh-Hans": hans, "zh-Hant": hant, "en": english.articles},
        input_hashes=(
            ("raw.txt", sha256_bytes(inputs.raw)),
            ("notice.yml", sha256_bytes(inputs.notice_yml or b"")),
            (PO_NAME, sha256_bytes(english.po_bytes)),
        ),
    ))
    fault("render")
    pages = render_notice(bundle, settings)
    summary = summarize(bundle)
    report = english.report
    translation = _jsonable(report)
    warnings = [f"{meta.id}: parse: {w.article_id or '-'} (raw.txt lines {_spans(w.lines)}): {w.message}"
                for w in parsed.warnings]
    warnings += [f"{meta.id}: {w}" for w in _report_warnings(report)]
    po_bytes = english.po_bytes if english.po_bytes != inputs.po else None
    return NoticeResult(
        notice_id=meta.id,
        key=notice_key(shared, inputs, english.po_bytes),
        pages={path: sha256_bytes(data) for path, data in pages.items()},
        summary=summary,
        translation=translation,
        warnings=warnings,
        from_cache=False,
        page_bytes=dict(pages),
        po_bytes=po_bytes,
    )


def _spans(lines: tuple[int, ...]) -> str:
    """(3, 4, 5, 9) -> "3-5, 9"."""
    out: list[str] = []
    for no in sorted(set(lines)):
        if out and out[-1].split("-")[-1] == str(no - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{no}"
        else:
            out.append(str(no))
    return ", ".join(out) or "-"


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
    """What docs/ holds, like git's index: a file whose size, mtime, ctime and inode match the cache is not
    re-read (a hand edit that restores size and mtime still changes the ctime, which no user can set back).
    ``full`` re-hashes every file (``build --check --full``)."""

    def __init__(self, docs: Path, manifest_path: Path, full: bool = False) -> None:
        self.docs = docs
        self._top = str(docs)
        self.manifest_path = manifest_path
        self.full = full
        try:
            self.manifest: dict[str, list] = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.manifest = {}

    def digest(self, rel: str) -> str | None:
        try:
            info = os.stat(os.path.join(self._top, rel), follow_symlinks=False)  # plain strings: runs for every page
        except OSError:
            return None
        stamp = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        known = self.manifest.get(rel)
        if not self.full and known and known[1:] == stamp:
            return known[0]
        try:
            digest = sha256_bytes((self.docs / rel).read_bytes())
        except OSError:
            return None
        self.manifest[rel] = [digest, *stamp]
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


# ------------------------------------------------------------------ ownership of docs/
def read_manifest(docs: Path) -> dict[str, str] | None:
    """The files the build generated in docs/ (path -> sha256), from docs/.noticepub-manifest.json; None if absent."""
    path = docs / MANIFEST
    if not os.path.lexists(path):
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        files = data["files"]
        if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            raise ValueError
        if any(k.startswith("/") or ".." in k.split("/") or "\\" in k or not k for k in files):
            raise ValueError  # a hand-made manifest must not reach outside docs/
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise NoticepubError(path, "is not a valid noticepub manifest (the list of files the build generated); "
                             "restore it from git (git checkout -- docs) and build again") from None
    return files


def manifest_bytes(files: dict[str, str]) -> bytes:
    body = json.dumps({"generator": "noticepub build", "files": dict(sorted(files.items()))}, indent=1, sort_keys=True)
    return (body + "\n").encode()


def _looks_generated(path: Path) -> bool:
    """For a docs/ without a manifest (made before manifests existed): does this file look like our output?"""
    rel = path.as_posix()
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return (rel.endswith(".md") and head.startswith(b"---\nalternates:")) or (
        rel.endswith("feed.xml") and head.startswith(b"<?xml")
    )


def _owned_files(docs: Path, manifest: dict[str, str] | None, existing: set[str]) -> set[str]:
    if manifest is not None:
        return set(manifest)
    return {rel for rel in existing if rel.split("/", 1)[0] in ("zh-Hans", "zh-Hant", "en")
            and _looks_generated(docs / rel)}


def prepare_docs(settings: Settings) -> Path:
    """Validate docs_dir and what it holds before anything is written (raises ConfigError)."""
    inputs = (settings.source_dir, settings.glossary, settings.hant_overrides)
    for key in ("source_dir", "glossary", "hant_overrides"):  # inputs: inside the repository, no symlink on the way
        path = settings.root / getattr(settings, key)
        try:
            link = first_symlink(settings.root, path)
        except InputError:
            raise ConfigError(settings.root / "pyproject.toml", f"setting {key} in [tool.noticepub] must be a path "
                              f"inside the repository (got {getattr(settings, key)!r})") from None
        if link is not None:
            raise ConfigError(link, f"is a symbolic link; {SYMLINK_FIX}")
    docs = check_docs_dir(settings.root, settings.docs_dir, inputs)
    for name in (".noticepub.lock", CACHE_DIR):  # written by every build: never through a symlink
        if (settings.root / name).is_symlink():
            raise ConfigError(settings.root / name, f"is a symbolic link; {SYMLINK_FIX}")
    links = tree_symlinks(docs) if docs.is_dir() else []
    if links:
        raise ConfigError(docs / links[0], f"is a symbolic link inside the generated folder; the build writes no "
                          f"output through a symlink; remove it ({len(links)} symlink(s) in {settings.docs_dir}/)")
    return docs


_HELD_LOCKS: dict[Path, Any] = {}


def ready_for_site(settings: Settings, notify: Callable[[str], None] | None = None, *, hold: bool = False) -> list[str]:
    """Called by `noticepub site` before MkDocs runs: never publish a half-applied docs/.

    A change an interrupted build left half applied (its journal is still there) is rolled back first,
    under the build lock like a build would, so docs/ is the last complete build again. With ``hold``
    the lock stays held until the process ends, so no build can change docs/ while MkDocs reads it.
    Then every file listed in docs/'s manifest is hashed: a missing or hand-edited page is reported
    (returned and passed to ``notify``) with the fix, `noticepub build`, which regenerates it.
    """
    docs = prepare_docs(settings)
    lock_path = settings.root / ".noticepub.lock"
    if hold and lock_path not in _HELD_LOCKS:
        held = build_lock(lock_path, notify=notify)
        held.__enter__()
        _HELD_LOCKS[lock_path] = held  # released when the process exits (the lock is an open file)
    if docs_state(docs) != "clean" or _leftovers(settings):
        with contextlib.nullcontext() if lock_path in _HELD_LOCKS else build_lock(lock_path, notify=notify):
            for line in recover_interrupted_swap(docs, _side_dirs(settings)):
                if notify:
                    notify(line)
    if docs_state(docs) != "clean":  # cannot happen after the rollback above; never publish a mix
        raise NoticepubError(docs, "was left half updated by an interrupted build; run `noticepub build` first")
    manifest = read_manifest(docs)
    problems: list[str] = []
    if manifest is None:
        problems.append(f"{docs}: has no manifest of generated files ({MANIFEST}); run `noticepub build` first")
    for rel, digest in sorted((manifest or {}).items()):
        try:
            actual = sha256_bytes((docs / rel).read_bytes())
        except OSError:
            actual = None
        if actual != digest:
            what = "is missing" if actual is None else "differs from what the build wrote (a hand edit?)"
            problems.append(f"{docs / rel}: {what}; `noticepub build` regenerates it")
    for line in problems[:5]:
        if notify:
            notify("warning: " + line)
    return problems


def _side_dirs(settings: Settings) -> list[Path]:
    source = settings.source_path
    if not source.is_dir() or source.is_symlink():
        return []
    return [p for p in source.iterdir() if p.is_dir() and not p.is_symlink()]


def _leftovers(settings: Settings) -> bool:
    docs = settings.docs_path
    parent = docs.parent
    return any(parent.glob(f".{docs.name}.staging-*")) or any(parent.glob(f".{docs.name}.backup-*"))


def _notice_pages(results: list[NoticeResult]) -> set[str]:
    return {rel for r in results for rel in r.pages}


# ------------------------------------------------------------------ the build
# What a failed build leaves behind, for the one-line message the command prints (exception attribute).
UNTOUCHED = "docs/ and translation files were left as they were"
APPLIED = "docs/ and translation files were fully updated, but the build cache was not saved (the next build redoes it)"


def build(
    settings: Settings,
    *,
    check: bool = False,
    full: bool = False,
    strict: bool = False,
    only: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build docs/ from source_texts/. Raises NoticepubError on bad input (nothing written).

    Any exception carries ``docs_state``: what docs/ and the translation memories hold afterwards
    (UNTOUCHED, APPLIED, or the HalfApplied error's own message).
    """
    lock_path = settings.root / ".noticepub.lock"
    prepare_docs(settings)
    if check:
        return _build(settings, check=True, full=full, strict=strict, only=only, progress=progress)
    with build_lock(lock_path, notify=notify):
        for line in recover_interrupted_swap(settings.docs_path, _side_dirs(settings)):
            if notify:
                notify(line)
        return _build(settings, check=False, full=full, strict=strict, only=only, progress=progress)


def _build(settings, *, check, full, strict, only, progress) -> BuildReport:
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
    state = DocsState(docs, cache.dir / "docs-stat-cache.json", full=full)
    results: list[NoticeResult] = []
    for index, folder in enumerate(folders):
        if progress:
            progress(index, len(folders), folder.name)
        inputs = NoticeInputs.read(folder, settings)
        key = notice_key(shared, inputs)
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
            results.append(process_notice(inputs, settings, shared))
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
    manifest_data = manifest_bytes(desired)
    desired[MANIFEST] = sha256_bytes(manifest_data)
    fresh[MANIFEST] = manifest_data

    existing = set(list_tree(docs))
    old_manifest = read_manifest(docs)
    owned = _owned_files(docs, old_manifest, existing - {MANIFEST})
    owned.add(MANIFEST)
    writes = {
        rel: fresh[rel]
        for rel in sorted(desired)
        if rel in fresh and not state.matches(rel, desired[rel])
    }
    foreign = sorted(rel for rel in writes if rel in existing and rel not in owned)
    if foreign:
        raise NoticepubError(docs / foreign[0], "exists but was not written by noticepub (it is not in "
                             f"{settings.docs_dir}/{MANIFEST}); move it out of {settings.docs_dir}/ and build again "
                             f"({len(foreign)} such file(s)); nothing was written")
    missing = [rel for rel in desired if rel not in fresh and rel not in existing]
    if missing:  # a cached page vanished from docs/: cannot happen after the match check above
        raise NoticepubError(docs / missing[0], "a cached page is missing; delete .noticepub-cache and rebuild")
    keep_other = only is not None
    deletes = [] if keep_other else sorted(rel for rel in existing - set(desired) if rel in owned)
    strays = sorted(existing - set(desired) - owned)
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
    for rel in strays[:20]:
        report.warnings.append(f"{settings.docs_dir}/{rel}: not written by noticepub (not in its manifest); "
                               "left in place — delete it or move it out if it should not be published")
    if len(strays) > 20:
        report.warnings.append(f"{settings.docs_dir}/: {len(strays) - 20} more file(s) not written by noticepub")
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
    try:
        for r in results:
            if not r.from_cache:
                cache.store(r)
        if index_cached is None:
            notice_pages = _notice_pages(results)
            cache.store_index(index_key, {rel: desired[rel] for rel in fresh if rel not in notice_pages
                                          and rel != MANIFEST})
        if writes or deletes or any(not r.from_cache for r in results):
            state = DocsState(docs, state.manifest_path)
            state.save(sorted(desired))
    except BaseException as exc:
        exc.docs_state = APPLIED  # type: ignore[attr-defined]
        raise
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
