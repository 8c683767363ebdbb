"""What the build remembers between runs, and what docs/ holds.

    NoticeResult              one notice's pages (path -> sha256), summary, English counts and warnings
    Cache                     .noticepub-cache/v<N>/: one JSON file per notice, keyed by sources.notice_key,
                              signed with the machine's key (site_incremental.signed_dumps)
    DocsState                 a stat cache of docs/ (size, mtime, ctime, inode -> sha256), like git's index
    read_manifest / manifest_bytes / owned_files
                              docs/.noticepub-manifest.json: every file the build generated (ownership)
    prepare_docs / ready_for_site
                              docs_dir checks before a build writes, and before `noticepub site` reads

The typed results are (de)serialized here and nowhere else.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from noticepub.errors import ConfigError, InputError, NoticepubError
from noticepub.fsutil import (
    SYMLINK_FIX,
    atomic_write,
    build_lock,
    check_docs_dir,
    docs_state,
    first_symlink,
    recover_interrupted_swap,
    refuse_symlinks,
    sha256_bytes,
    tree_layout,
    tree_symlinks,
    walk_stamped,
)
from noticepub.model import ENGLISH_STATES, NoticeSummary, SegmentState
from noticepub.settings import CACHE_DIR, LOCK_NAME, Settings
from noticepub.site_incremental import (  # JSON signed with this machine's key
    read_signed,
    signed_dumps,
    signed_loads,
    write_signed,
)
from noticepub.sources import CACHE_VERSION

MANIFEST = ".noticepub-manifest.json"  # in docs/: every file the build generated, with its sha256


# ------------------------------------------------------------------ typed results
@dataclass(frozen=True)
class TranslationCounts:
    """One notice's English: segments per state and the engine named in its translation memory."""

    counts: tuple[tuple[SegmentState, int], ...] = ()
    engine: str = ""

    def get(self, state: SegmentState) -> int:
        return dict(self.counts).get(state, 0)

    @classmethod
    def of(cls, counts: dict[str, int], engine: str) -> TranslationCounts:
        return cls(tuple((state, int(counts.get(state, 0))) for state in ENGLISH_STATES), engine)

    def to_json(self) -> dict[str, object]:
        return {"counts": {str(s): n for s, n in self.counts}, "engine": self.engine}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TranslationCounts:
        return cls.of(data["counts"], str(data["engine"]))


@dataclass
class NoticeResult:
    """What one notice contributes to a build, fresh from notice.process_notice or read back from the cache."""

    notice_id: str
    key: str
    pages: dict[str, str]  # docs-relative path -> sha256 of its bytes
    summary: NoticeSummary  # render.summarize's index data
    translation: TranslationCounts
    warnings: list[str]
    from_cache: bool
    page_bytes: dict[str, bytes] = field(default_factory=dict)  # only when freshly rendered
    po_bytes: bytes | None = None  # only when freshly translated and changed
    urls_bytes: bytes | None = None  # its record of URLs (lines of source_texts/urls.txt), if fresh and changed
    notes: list[str] = field(default_factory=list)  # one-line notices of this build only (never cached)

    @property
    def articles(self) -> int:
        return len(self.summary.articles)

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "pages": self.pages,
            "summary": self.summary.to_json(),
            "translation": self.translation.to_json(),
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, notice_id: str, data: dict[str, Any]) -> NoticeResult:
        return cls(
            notice_id=notice_id,
            key=str(data["key"]),
            pages=dict(data["pages"]),
            summary=NoticeSummary.from_json(data["summary"]),
            translation=TranslationCounts.from_json(data["translation"]),
            warnings=list(data["warnings"]),
            from_cache=True,
        )


# ------------------------------------------------------------------ the per-notice cache
class Cache:
    def __init__(self, settings: Settings) -> None:
        self.dir = settings.root / CACHE_DIR / f"v{CACHE_VERSION}"

    def _path(self, notice_id: str) -> Path:
        return self.dir / f"{notice_id}.json"

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:  # signed on this machine, or ignored: a planted or restored file can only make a build slower
            data = signed_loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def load(self, notice_id: str, key: str) -> NoticeResult | None:
        data = self._read(self._path(notice_id))
        if data is None or data.get("key") != key:
            return None
        try:
            return NoticeResult.from_json(notice_id, data)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # a cache file from another shape: rebuild the notice

    def store(self, result: NoticeResult) -> None:
        atomic_write(self._path(result.notice_id), signed_dumps(result.to_json()))

    def load_index(self, key: str) -> dict[str, str] | None:
        data = self._read(self.dir / "index-pages.json")
        return data["pages"] if data is not None and data.get("key") == key else None

    def store_index(self, key: str, pages: dict[str, str]) -> None:
        atomic_write(self.dir / "index-pages.json", signed_dumps({"key": key, "pages": pages}))

    def load_index_memo(self) -> dict[str, list[str]]:
        """Each index page's input key and sha256 (render.indexes.IndexMemo), as the last build made them."""
        data = self._read(self.dir / "index-memo.json")
        return data if data is not None else {}

    def store_index_memo(self, memo: dict[str, list[str]]) -> None:
        atomic_write(self.dir / "index-memo.json", signed_dumps(memo))


class DocsState:
    """What docs/ holds, like git's index: a file whose size, mtime, ctime and inode match the cache is not
    re-read (a hand edit that restores size and mtime still changes the ctime, which no user can set back).
    ``full`` re-hashes every file (``build --check --full``)."""

    def __init__(self, docs: Path, manifest_path: Path, full: bool = False) -> None:
        self.docs = docs
        self._top = str(docs)
        self.manifest_path = manifest_path
        self.full = full
        # docs/ as :func:`ready_for_site` walked it (relative path -> lstat), under the build lock it keeps:
        # the one walk of docs/ that `noticepub site` makes, shared by the checks that need one (site.py)
        self.tree: dict[str, os.stat_result] | None = None
        self.generated: dict[str, str] | None = None  # docs/'s manifest as that walk read it (read_manifest)
        # (the files that walk expected, the folder stamps it found good): for restamp_docs after a build
        self.stamps: tuple[list[str], dict[str, list[int]]] | None = None
        try:  # signed like the notice cache: a planted stat cache could otherwise vouch for a changed page
            self.manifest: dict[str, list] = signed_loads(manifest_path.read_bytes())
            if not isinstance(self.manifest, dict):
                raise ValueError
        except (OSError, ValueError):
            self.manifest = {}

    def digest(self, rel: str, info: os.stat_result | None = None) -> str | None:
        """``info``: the file's stat when the caller has it already (from a scandir walk); else it comes from
        ``tree`` when docs/ was walked (a file not there is missing: None), else from a stat of its own."""
        if info is None and self.tree is not None:
            info = self.tree.get(rel)
            if info is None:
                return None
        if info is None:
            try:
                info = os.stat(os.path.join(self._top, rel), follow_symlinks=False)  # plain strings: every page
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
        fresh = {}
        for rel in paths:
            digest = self.digest(rel)
            if digest is not None:
                fresh[rel] = self.manifest[rel]
        atomic_write(self.manifest_path, signed_dumps(fresh))
def docs_stat_cache(settings: Settings) -> DocsState:
    """docs/'s stat cache as the last build saved it (read-only use: `noticepub site` never saves it)."""
    return DocsState(settings.docs_path, Cache(settings).dir / "docs-stat-cache.json")


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


def owned_files(docs: Path, manifest: dict[str, str] | None, existing: set[str]) -> set[str]:
    """The files of docs/ the build may overwrite or delete: the manifest's, or (no manifest) those that look generated."""
    if manifest is not None:
        return set(manifest)
    return {rel for rel in existing if rel.split("/", 1)[0] in ("zh-Hans", "zh-Hant", "en")
            and _looks_generated(docs / rel)}


def prepare_docs(settings: Settings, scan: bool = True) -> Path:
    """Validate docs_dir and what it holds before anything is written (raises ConfigError). ``scan=False``:
    the caller refuses symlinks inside docs/ itself, from a walk it makes anyway (:func:`ready_for_site`)."""
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
    for name in (LOCK_NAME, CACHE_DIR):  # written by every build: never through a symlink
        if (settings.root / name).is_symlink():
            raise ConfigError(settings.root / name, f"is a symbolic link; {SYMLINK_FIX}")
    check_cache_dir(settings)
    if scan:
        _refuse_docs_symlinks(settings, docs, tree_symlinks(docs) if docs.is_dir() else [])
    return docs


DOCS_STAMPS = "docs-stamps.json"  # in the cache folder: docs/'s folder stamps (fsutil.walk_stamped)


def _layout_key(expected: list[str]) -> str:
    """What docs/'s folder stamps are kept for: the files docs/'s manifest lists (a stamp vouches for a folder's
    entries, not for what the files hold, which the stat cache checks)."""
    return sha256_bytes("\n".join(sorted(expected)).encode())


def walk_docs(settings: Settings, state: DocsState, record: bool = True) -> dict[str, os.stat_result]:
    """docs/ walked once (every file with its lstat; a symlink anywhere inside is refused), kept in
    ``state.tree`` for the checks that follow, with docs/'s manifest in ``state.generated`` when it is a
    valid one: call it holding the build lock, after any rollback.

    The folders whose entries are those docs/'s manifest lists, unchanged since, are not listed again
    (fsutil.walk_stamped; their stamps are kept beside the stat cache, for the list of files they were
    taken with, and refreshed when ``record``): a stray or missing file, or a symlink, changes its
    folder, which is then listed. ``state.stamps`` gets the stamps this walk found good (:func:`restamp_docs`)."""
    docs = settings.docs_path
    stamps_path = state.manifest_path.with_name(DOCS_STAMPS)
    expected: list[str] = []
    if os.path.lexists(docs / MANIFEST):
        with contextlib.suppress(NoticepubError):  # a damaged manifest: every folder listed (and reported later)
            state.generated = read_manifest(docs)
            expected = [*(state.generated or {}), MANIFEST]
    mark = _layout_key(expected) if expected else None
    known = read_signed(stamps_path) if expected and not state.full else None  # --full trusts no stamp either
    stamps = known["dirs"] if isinstance(known, dict) and known.get("files") == mark \
        and isinstance(known.get("dirs"), dict) else None
    tree, _, fresh = walk_stamped(docs, expected, stamps)  # a symlink is listed (its own lstat), never followed
    _refuse_docs_symlinks(settings, docs, sorted(rel for rel, st in tree.items() if stat.S_ISLNK(st.st_mode)))
    state.tree = tree
    state.stamps = (expected, fresh)
    if record and expected and fresh != stamps:
        with contextlib.suppress(OSError):  # without them, the next walk lists every folder
            write_signed(stamps_path, {"files": mark, "dirs": fresh})
    return tree


def restamp_docs(state: DocsState, files: list[str]) -> None:
    """After a build changed docs/, whose manifest now lists ``files`` (itself included): docs/'s folder stamps
    for the next command, so that it lists only the folders the build changed. A folder whose expected
    entries are the same as before keeps the stamp the walk before the build found good
    (:func:`walk_docs`) while it is still the folder's stamp (then it was not touched since); every other
    folder is listed now, and stamped when it holds exactly the expected entries and did not change within
    the stamp margin (fsutil.walk_stamped: a folder the build has just written is listed by the next
    command, so a hand edit right after the build is seen)."""
    before, good = state.stamps if state.stamps is not None else ([], {})
    old, new = tree_layout(before), tree_layout(files)
    kept = {rel: stamp for rel, stamp in good.items()
            if rel in new and rel in old and set(old[rel][0]) == set(new[rel][0]) and old[rel][1] == new[rel][1]}
    with contextlib.suppress(OSError):  # without them, the next walk lists every folder (a vanished one, too)
        _, _, fresh = walk_stamped(state.docs, files, kept, unstated=frozenset(files))
        write_signed(state.manifest_path.with_name(DOCS_STAMPS), {"files": _layout_key(files), "dirs": fresh})


def needs_recovery(settings: Settings) -> bool:
    """An interrupted build left a journal, or staging or backup folders, beside docs/."""
    return docs_state(settings.docs_path) != "clean" or _leftovers(settings)


def _refuse_docs_symlinks(settings: Settings, docs: Path, links: list[str]) -> None:
    if links:
        raise ConfigError(docs / links[0], f"is a symbolic link inside the generated folder; the build writes no "
                          f"output through a symlink; remove it ({len(links)} symlink(s) in {settings.docs_dir}/)")


def check_cache_dir(settings: Settings) -> None:
    """The build's cache folder (.noticepub-cache/v<N>/, written by every build) and what it holds: no
    symlink on the way or inside (one level: the cache holds files only)."""
    folder = Cache(settings).dir
    refuse_symlinks(settings.root, folder, what="the build's cache")
    if folder.is_dir():
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise ConfigError(entry.path, "is a symbolic link inside the build's cache; noticepub writes "
                                      f"and deletes nothing through a symlink; remove it (or delete {CACHE_DIR}/)")


_HELD_LOCKS: dict[Path, contextlib.AbstractContextManager[None]] = {}  # held until the process exits


def ready_for_site(settings: Settings, notify: Callable[[str], None] | None = None, *, hold: bool = False,
                   state: DocsState | None = None) -> list[str]:
    """Called by `noticepub site` before MkDocs runs: never publish a half-applied docs/.

    A change an interrupted build left half applied (its journal is still there) is rolled back first,
    under the build lock like a build would, so docs/ is the last complete build again. With ``hold``
    the lock stays held until the process ends, so no build can change docs/ while MkDocs reads it.
    Then docs/ is walked once (``state.tree`` keeps the walk: `noticepub site` fingerprints each language
    from it), a symlink anywhere in it is refused, and every file listed in docs/'s manifest is checked
    against its digest (read again only when its stat differs from the build's stat cache,
    :class:`DocsState`): a missing or hand-edited page is reported (returned and passed to ``notify``) with
    the fix, `noticepub build`, which regenerates it.
    """
    docs = prepare_docs(settings, scan=False)  # symlinks inside: refused from the walk below
    lock_path = settings.root / LOCK_NAME
    if hold and lock_path not in _HELD_LOCKS:
        held = build_lock(lock_path, notify=notify)
        held.__enter__()
        _HELD_LOCKS[lock_path] = held  # released when the process exits (the lock is an open file)
    if needs_recovery(settings):
        _refuse_docs_symlinks(settings, docs, tree_symlinks(docs) if docs.is_dir() else [])  # before any rollback
        with contextlib.nullcontext() if lock_path in _HELD_LOCKS else build_lock(lock_path, notify=notify):
            for line in recover_interrupted_swap(docs, side_dirs(settings)):
                if notify:
                    notify(line)
    if docs_state(docs) != "clean":  # cannot happen after the rollback above; never publish a mix
        raise NoticepubError(docs, "was left half updated by an interrupted build; run `noticepub build` first")
    state = state or docs_stat_cache(settings)
    walk_docs(settings, state, record=lock_path in _HELD_LOCKS)
    manifest = state.generated if state.generated is not None else read_manifest(docs)
    problems: list[str] = []
    if manifest is None:
        problems.append(f"{docs}: has no manifest of generated files ({MANIFEST}); run `noticepub build` first")
    for rel, digest in sorted((manifest or {}).items()):
        actual = state.digest(rel)  # from the walk: a file not there is missing
        if actual != digest:
            what = "is missing" if actual is None else "differs from what the build wrote (a hand edit?)"
            problems.append(f"{docs / rel}: {what}; `noticepub build` regenerates it")
    for line in problems[:5]:
        if notify:
            notify("warning: " + line)
    return problems


def side_dirs(settings: Settings) -> list[Path]:
    """The folders of the files a build writes beside docs/ (the notice folders: en.po; source_texts/ itself:
    urls.txt and tag-urls.txt), where an interrupted swap may have left temporaries to roll back or remove."""
    source = settings.source_path
    if not source.is_dir() or source.is_symlink():
        return []
    with os.scandir(source) as entries:  # the entries' types: no system call per notice folder
        return [source, *(source / e.name for e in entries if e.is_dir(follow_symlinks=False))]


def _leftovers(settings: Settings) -> bool:
    docs = settings.docs_path
    parent = docs.parent
    return any(parent.glob(f".{docs.name}.staging-*")) or any(parent.glob(f".{docs.name}.backup-*"))
