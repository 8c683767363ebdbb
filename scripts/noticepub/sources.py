"""The inputs of a build: which notices there are, and each one's files read once, with their keys.

    discover(settings) -> [folder]                 every source_texts/<id>/ that holds a raw.txt
    notice_folders(settings, only) -> [folder]     the notices a command works on (--only checked)
    NoticeInputs.read(folder, settings)            raw.txt, notice.yml and en.po as bytes (no symlink, size-limited),
                                                   and the notice's lines of source_texts/urls.txt
    url_list(settings)                             source_texts/urls.txt read and checked once per process
    SharedInputs.collect(settings)                 one digest of what every notice depends on
    notice_key(shared, inputs)                     the content hash that keys a notice's cached pages

Nothing here parses or renders: the build, `noticepub qa`, `noticepub translate`, `noticepub status` and
the benchmark all find and read their notices through this module.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import noticepub
from noticepub.errors import InputError
from noticepub.fsutil import SYMLINK_FIX, first_symlink, read_input, sha256_bytes
from noticepub.inputcheck import check_glossary, check_overrides
from noticepub.meta import validate_notice_id
from noticepub.settings import Settings

CACHE_VERSION = "5"  # bump when the cached data's shape changes (it is part of every key)
RAW_NAME = "raw.txt"
META_NAME = "notice.yml"
PO_NAME = "en.po"
# source_texts/urls.txt: the URLs every notice was published under (render/redirects.py). Earlier versions
# kept one such file per notice (source_texts/<id>/urls.txt, same name): still read and folded into the list.
URLS_NAME = "urls.txt"


def discover(settings: Settings) -> list[Path]:
    """The notice folders under source_texts/, sorted; raises InputError on a symlink or a folder without raw.txt."""
    root = settings.source_path
    link = first_symlink(settings.root, root)
    if link is not None:
        raise InputError(link, f"is a symbolic link; {SYMLINK_FIX}")
    if not root.is_dir():
        raise InputError(root, "source folder does not exist; create it and add <notice-id>/raw.txt")
    folders = []
    with os.scandir(root) as scan:  # the entries' types: one system call per notice (its raw.txt), not five
        entries = sorted((e.name, e.is_symlink(), e.is_dir(follow_symlinks=False)) for e in scan)
    for name, link, is_dir in entries:
        if name.startswith("."):
            continue
        entry = root / name
        if link:
            raise InputError(entry, f"is a symbolic link; {SYMLINK_FIX}")
        if is_dir:
            raw = entry / RAW_NAME
            try:
                mode = os.lstat(raw).st_mode
            except (FileNotFoundError, NotADirectoryError):
                mode = 0
            if stat.S_ISLNK(mode):
                raise InputError(raw, f"is a symbolic link; {SYMLINK_FIX}")
            if not stat.S_ISREG(mode):
                raise InputError(entry, "notice folder has no raw.txt; add the raw page text or remove the folder")
            validate_notice_id(name, entry)
            folders.append(entry)
    return folders


def notice_folders(settings: Settings, only: str | None = None) -> list[Path]:
    """Every notice folder, or only the one named by ``--only`` (raises InputError when there is none)."""
    folders = discover(settings)
    if only is None:
        return folders
    validate_notice_id(only, only)
    chosen = [f for f in folders if f.name == only]
    if not chosen:
        raise InputError(settings.source_path / only, "no such notice (folder with raw.txt)")
    return chosen


def relative(settings: Settings, path: Path) -> str:
    """``path`` as written in pages and reports: relative to the repository root when inside it."""
    try:
        return path.resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True)
class NoticeInputs:
    """One notice's input files, each opened once (no symlink, size-limited) and kept as bytes."""

    folder: Path
    raw: bytes
    notice_yml: bytes | None
    po: bytes | None
    urls: bytes | None = None  # the notice's record: its lines of source_texts/urls.txt (redirects.record_bytes)
    legacy_urls: bool = False  # a per-notice <id>/urls.txt of an earlier version was folded into ``urls``
    # (file name, its stat taken before it was read) of raw.txt, notice.yml and en.po, those that exist
    stats: tuple[tuple[str, os.stat_result], ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def read(cls, folder: Path, settings: Settings) -> NoticeInputs:
        root = settings.root
        stats: dict[str, list] = {RAW_NAME: [], META_NAME: [], PO_NAME: []}
        raw = read_input(root, folder / RAW_NAME, settings.max_raw_bytes, "max_raw_bytes", "text file",
                         stats[RAW_NAME])
        if raw is None:
            raise InputError(folder, "notice folder has no raw.txt; add the raw page text or remove the folder")
        yml = read_input(root, folder / META_NAME, settings.max_yaml_bytes, "max_yaml_bytes", "YAML file",
                         stats[META_NAME])
        po = read_input(root, folder / PO_NAME, settings.max_po_bytes, "max_po_bytes", "PO file", stats[PO_NAME])
        urls = url_list(settings).records.get(folder.name)
        legacy = read_input(root, folder / URLS_NAME, settings.max_yaml_bytes, "max_yaml_bytes", "text file")
        if legacy is not None:  # fold it in (the list's lines win): the build writes them to the list
            from noticepub.render.redirects import MAX_RECORDED, record_bytes, record_urls

            merged = {**record_urls(legacy, folder / URLS_NAME), **record_urls(urls, folder.parent / URLS_NAME)}
            if len(merged) > MAX_RECORDED:
                raise InputError(folder / URLS_NAME, f"and source_texts/{URLS_NAME} list more than "
                                 f"{MAX_RECORDED:,} URLs for this notice; restore the files from git")
            urls = record_bytes(merged)
        return cls(folder, raw, yml, po, urls, legacy is not None,
                   tuple((name, found[0]) for name, found in stats.items() if found))

    @property
    def notice_id(self) -> str:
        return validate_notice_id(self.folder.name, self.folder)

    @property
    def raw_path(self) -> Path:
        return self.folder / RAW_NAME

    @property
    def meta_path(self) -> Path:
        return self.folder / META_NAME

    @property
    def po_path(self) -> Path:
        return self.folder / PO_NAME

    @property
    def urls_path(self) -> Path:
        """The list that holds the notice's record (source_texts/urls.txt)."""
        return self.folder.parent / URLS_NAME


@dataclass(frozen=True)
class UrlList:
    """source_texts/urls.txt as read: its bytes (None when absent) and each notice's record by id."""

    data: bytes | None
    records: dict[str, bytes]


def url_list(settings: Settings) -> UrlList:
    """source_texts/urls.txt, read (no symlink, at most max_url_list_bytes) and checked line by line once per
    process and version of the file (raises InputError naming the line)."""
    path = settings.source_path / URLS_NAME
    try:
        info = os.lstat(path)
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    except FileNotFoundError:
        stamp = (0, -1, 0)
    except OSError:
        stamp = (0, -2, 0)  # read_input names the problem
    return _read_url_list(str(path), stamp, settings.max_url_list_bytes, str(settings.root))


@lru_cache(maxsize=4)
def _read_url_list(path: str, stamp: tuple[int, int, int], limit: int, root: str) -> UrlList:
    from noticepub.render.redirects import read_url_list

    data = read_input(Path(root), Path(path), limit, "max_url_list_bytes", "text file")
    return UrlList(data, read_url_list(data, path))


def code_fingerprint() -> str:
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
    data = read_input(settings.root, path, settings.max_yaml_bytes, "max_yaml_bytes", "YAML file")
    if data is None:
        return b""
    (check_glossary if kind == "glossary" else check_overrides)(path, data)
    return data


@dataclass(frozen=True)
class SharedInputs:
    """Inputs shared by every notice, read and checked once per build."""

    digest: str
    # sha256 of the glossary and the Traditional overrides by file name ("" when absent): shown in the
    # home page's front matter, so `build --check` notices any edit of them
    file_hashes: tuple[tuple[str, str], ...] = ()

    @classmethod
    def collect(cls, settings: Settings) -> SharedInputs:
        files = ((settings.glossary_path, "glossary"), (settings.hant_overrides_path, "overrides"))
        hashes = tuple((path.name, _sha256_or_empty(read_shared_file(settings, path, kind))) for path, kind in files)
        from noticepub.render.names import tag_record_exceptions

        digest = hashlib.sha256()
        for part in (CACHE_VERSION, code_fingerprint(), repr(dataclasses.replace(settings, root=Path("."))),
                     *(sha for _, sha in hashes), repr(tag_record_exceptions(settings))):
            digest.update(part.encode())
            digest.update(b"\0")
        return cls(digest.hexdigest(), hashes)


def _sha256_or_empty(data: bytes) -> str:
    return sha256_bytes(data) if data else ""


def input_hashes(inputs: NoticeInputs, po: bytes | None = None) -> tuple[tuple[str, str], ...]:
    """sha256 of each input file of the notice (``po``: the translation memory as it will be written)."""
    po_bytes = (inputs.po or b"") if po is None else po
    return (
        (RAW_NAME, sha256_bytes(inputs.raw)),
        (META_NAME, sha256_bytes(inputs.notice_yml or b"")),
        (PO_NAME, sha256_bytes(po_bytes)),
    )


def notice_key(shared: SharedInputs, inputs: NoticeInputs, po_bytes: bytes | None = None,
               urls_bytes: bytes | None = None) -> str:
    """The cache key of one notice: the shared digest and the hash of each of its input files (``po_bytes``,
    ``urls_bytes``: the translation memory and the URL record as the build writes them)."""
    urls = (inputs.urls or b"") if urls_bytes is None else urls_bytes
    return key_of_hashes(shared, input_hashes(inputs, po_bytes), urls)


def key_of_hashes(shared: SharedInputs, hashes: tuple[tuple[str, str], ...], urls: bytes | None) -> str:
    """:func:`notice_key` from the sha256 of each input file (:func:`input_hashes`, or InputState's)."""
    digest = hashlib.sha256(shared.digest.encode())
    for name, value in (*hashes, (URLS_NAME, sha256_bytes(urls or b""))):
        digest.update(name.encode() + b"\0" + value.encode())
    return digest.hexdigest()


class InputState:
    """A stat cache of the notices' input files (raw.txt, notice.yml, en.po), like docs/'s (cache.DocsState)
    and git's index: path -> size, mtime, ctime, inode and sha256, as the build last read the file. A file
    whose lstat still matches is not opened again; only its sha256 is needed, for the notice's key, and when
    that key finds the notice's cached pages the notice is not read at all. An edit changes the file's
    ctime, which no user can set back, so an edit that restores the size and mtime is still seen. A stat
    taken within fsutil.STAMP_MARGIN_NS of the file's last change is not kept (an edit in the same tick of
    the file system's clock could leave all four as they were): such a file is read again next time.
    Signed like the notice cache: a planted stat cache could otherwise vouch for a changed file."""

    NAMES = (RAW_NAME, META_NAME, PO_NAME)

    def __init__(self, path: Path) -> None:
        from noticepub.fsutil import STAMP_MARGIN_NS
        from noticepub.site_incremental import signed_loads

        self.path = path
        try:
            self.known: dict[str, list] = signed_loads(path.read_bytes())
            if not isinstance(self.known, dict):
                raise ValueError
        except (OSError, ValueError):
            self.known = {}
        self.seen: dict[str, list] = {}
        self.limit = time.time_ns() - STAMP_MARGIN_NS  # before any file is read

    @staticmethod
    def _stamp(st: os.stat_result) -> list[int]:
        return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]

    def hashes(self, folder: Path, settings: Settings) -> tuple[tuple[str, str], ...] | None:
        """:func:`input_hashes` of the notice in ``folder`` (its translation memory as it is on disk), each file
        from the stat cache when its lstat matches, else read again (only that file: e.g. the en.po the last
        build wrote, whose stat was too recent to keep); None when the notice must be read whole (its raw.txt
        is new or changed, a file is over its size limit or not a regular file, a read fails, or a per-notice
        urls.txt of an earlier version is there)."""
        limits = {RAW_NAME: settings.max_raw_bytes, META_NAME: settings.max_yaml_bytes, PO_NAME: settings.max_po_bytes}
        top = str(folder)
        if os.path.lexists(f"{top}/{URLS_NAME}"):
            return None
        out = []
        found = {}
        for name in self.NAMES:
            rel = f"{folder.name}/{name}"
            try:
                st = os.lstat(f"{top}/{name}")
            except FileNotFoundError:
                if name == RAW_NAME:
                    return None
                out.append((name, sha256_bytes(b"")))
                continue
            except OSError:
                return None
            known = self.known.get(rel)
            stamp = self._stamp(st)
            if not stat.S_ISREG(st.st_mode) or st.st_size > limits[name]:
                return None
            if not isinstance(known, list) or known[:4] != stamp or len(known) != 5:
                if name == RAW_NAME:  # a changed page: the notice is read whole (and most likely rebuilt)
                    return None
                taken: list[os.stat_result] = []
                try:
                    data = read_input(settings.root, folder / name, limits[name], "", stats=taken)
                except InputError:
                    return None  # read whole: NoticeInputs.read names the problem
                if data is None or not taken:
                    return None
                known = [*self._stamp(taken[0]), sha256_bytes(data)]
                if taken[0].st_mtime_ns >= self.limit or taken[0].st_ctime_ns >= self.limit:
                    out.append((name, known[4]))
                    continue  # too recent to keep: read again next time
            out.append((name, known[4]))
            found[rel] = known
        self.seen.update(found)
        return tuple(out)

    def remember(self, inputs: NoticeInputs) -> None:
        """Keep the stats of the files ``inputs`` read (each taken before its read) with their sha256."""
        data = {RAW_NAME: inputs.raw, META_NAME: inputs.notice_yml, PO_NAME: inputs.po}
        for name, st in inputs.stats:
            rel = f"{inputs.folder.name}/{name}"
            if st.st_mtime_ns < self.limit and st.st_ctime_ns < self.limit and data[name] is not None:
                self.seen[rel] = [*self._stamp(st), sha256_bytes(data[name])]
            else:
                self.seen.pop(rel, None)

    def save(self) -> None:
        """Written when it changed: the files of this build's notices only."""
        from noticepub.fsutil import atomic_write
        from noticepub.site_incremental import signed_dumps

        if self.seen != self.known:
            atomic_write(self.path, signed_dumps(self.seen))
