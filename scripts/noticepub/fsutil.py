"""File-system helpers: atomic writes, a build lock, and swapping a whole generated tree."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import fnmatch
import hashlib
import json
import os
import shutil
import signal
import stat
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from noticepub.errors import ConfigError, InputError, NoticepubError
from noticepub.settings import CACHE_DIR


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_synced(path: Path, data: bytes, mode: str = "wb") -> None:
    """Write ``data`` and fsync it before returning (``mode="xb"``: the file must not exist yet)."""
    with open(path, mode) as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary sibling and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write_synced(tmp, data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def list_tree(root: Path) -> list[str]:
    """All files under ``root`` as sorted POSIX paths relative to it."""
    if not root.is_dir():
        return []
    out = []
    top = str(root)
    cut = len(top) + 1
    for folder, _dirs, files in os.walk(top):
        prefix = folder[cut:].replace(os.sep, "/") + "/" if len(folder) > len(top) else ""
        out.extend(prefix + name for name in files)
    return sorted(out)


def _prune_empty_dirs(root: Path) -> None:
    for folder, _dirs, _files in sorted(os.walk(root), key=lambda item: -len(item[0])):
        if Path(folder) != root and not os.listdir(folder):
            os.rmdir(folder)


def _rollback(target: Path, backup: Path, journal: dict) -> None:
    """Undo a partly applied change: put every backed-up file back, remove files that were new.

    Idempotent, so a rollback that is itself interrupted is finished by the next command.
    """
    existed = set(journal["existed"])
    for rel in [*journal["deletes"], *journal["writes"]]:
        saved = backup / rel
        if os.path.lexists(saved):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(saved, target / rel)
        elif rel in journal["writes"] and rel not in existed:
            with contextlib.suppress(FileNotFoundError):
                (target / rel).unlink()
    for n, side in enumerate(journal.get("side", [])):
        path = Path(side["path"])
        saved = backup / SIDE_DIR / str(n)
        if os.path.lexists(saved):
            os.replace(saved, path)
        elif not side["existed"]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        with contextlib.suppress(FileNotFoundError):
            Path(side["tmp"]).unlink()


SIDE_DIR = ".side-files"


JOURNAL_LIMIT = 1 << 28  # a journal lists every changed file: a few MB at 1,000 notices


def _refuse_journal(journal_path: Path, target: Path, problem: str) -> NoticepubError:
    return NoticepubError(journal_path, f"{problem}; it was not written by noticepub, or is damaged: nothing was "
                          f"done; restore {target.name}/ from git (git checkout -- {target.name}), delete this file "
                          "and build again")


def load_journal(journal_path: Path, target: Path, backup: Path, side_dirs: list[Path]) -> dict:
    """The journal a killed build left, validated before any of it is used: the right shape, every page
    path relative and inside ``target``, every side file (translation memory) directly in one of
    ``side_dirs`` with the temporary name :func:`swap_tree` gives it, and no symlink on the way (the
    journal, the backup folder, or inside either tree). Anything else is refused with one line: a planted
    journal must never delete or overwrite a file outside the change it describes."""
    pid = journal_path.name.rsplit("-", 1)[1]
    if not pid.isdigit():
        raise _refuse_journal(journal_path, target, "is not a journal of an interrupted build (its name does not "
                              "end in a process id)")
    data = read_input(journal_path.parent, journal_path, JOURNAL_LIMIT, "-", "journal file")
    try:
        journal = json.loads((data or b"").decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse_journal(journal_path, target, "is not valid JSON") from None
    lists = ("writes", "deletes", "existed")
    if not isinstance(journal, dict) or set(journal) - {*lists, "side"} or not set(lists) <= set(journal) or not all(
            isinstance(journal[k], list) and all(isinstance(rel, str) for rel in journal[k]) for k in lists):
        raise _refuse_journal(journal_path, target, "is not a journal of the expected shape (an object with lists "
                              "of paths 'writes', 'deletes', 'existed' and an optional list 'side')")
    for key in lists:
        for rel in journal[key]:
            parts = rel.split("/")
            if not rel or rel.startswith("/") or "\\" in rel or any(p in ("", ".", "..") for p in parts) \
                    or "\0" in rel:
                raise _refuse_journal(journal_path, target, f"names {rel!r} in '{key}', which is not a path inside "
                                      f"{target.name}/")
    if backup.is_symlink() or (os.path.lexists(backup) and not backup.is_dir()):
        raise _refuse_journal(journal_path, target, f"comes with {backup.name}, which is not a plain folder")
    for rel in [*journal["writes"], *journal["deletes"]]:
        for tree in (target, backup):
            link = first_symlink(tree, tree / rel)
            if link is not None:
                raise _refuse_journal(journal_path, target, f"leads through the symbolic link {link}")
    side = journal.get("side", [])
    allowed = {os.path.normpath(str(folder)) for folder in side_dirs}
    if not isinstance(side, list):
        raise _refuse_journal(journal_path, target, "has a 'side' entry that is not a list")
    for entry in side:
        if not (isinstance(entry, dict) and set(entry) == {"path", "tmp", "existed"}
                and isinstance(entry["path"], str) and isinstance(entry["tmp"], str)
                and isinstance(entry["existed"], bool)):
            raise _refuse_journal(journal_path, target, "has a 'side' entry of the wrong shape")
        path = Path(entry["path"])
        if not path.is_absolute() or os.path.normpath(str(path)) != str(path) \
                or str(path.parent) not in allowed or path.is_symlink() \
                or entry["tmp"] != str(path.with_name(f".{path.name}.tmp-{pid}")):
            raise _refuse_journal(journal_path, target, f"names {entry['path']!r} as a translation memory, which is "
                                  "not a file of a notice folder")
    return journal


def docs_state(target: Path) -> str:
    """``interrupted`` when a build's journal beside ``target`` says a change may be half applied, else ``clean``."""
    return "interrupted" if any(target.parent.glob(f".{target.name}.journal-*")) else "clean"


def recover_interrupted_swap(target: Path, side_dirs: list[Path] | None = None) -> list[str]:
    """Roll back a change that a killed build left half applied (its journal is still there), and remove
    every leftover of an interrupted build: staging and backup folders, temporary journal and translation
    memory files (``side_dirs``: the folders holding side files). Call it holding the build lock.
    Returns one line per thing done."""
    done: list[str] = []
    parent = target.parent
    for journal_path in sorted(parent.glob(f".{target.name}.journal-*")):
        pid = journal_path.name.rsplit("-", 1)[1]
        backup = parent / f".{target.name}.backup-{pid}"
        journal = load_journal(journal_path, target, backup, side_dirs or [])
        if target.exists():
            _rollback(target, backup, journal)
            _prune_empty_dirs(target)
        shutil.rmtree(backup, ignore_errors=True)
        journal_path.unlink(missing_ok=True)
        done.append(f"rolled back the change an interrupted build (pid {pid}) left half applied in {target.name}/")
    leftovers = [
        *parent.glob(f".{target.name}.staging-*"),
        *parent.glob(f".{target.name}.backup-*"),
        *parent.glob(f"..{target.name}.journal-*.tmp-*"),
    ]
    for folder in side_dirs or []:  # one notice folder each: scandir, not Path.glob (5,000 of them at scale)
        try:
            with os.scandir(folder) as entries:
                names = [e.name for e in entries if e.name.startswith(".") and ".tmp-" in e.name]
        except OSError:
            continue
        leftovers.extend(folder / name for name in names
                         if fnmatch.fnmatchcase(name, ".*.tmp-*") and name.rsplit("-", 1)[1].isdigit())
    for leftover in sorted(leftovers):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    if leftovers:
        done.append(f"removed {len(leftovers)} leftover(s) of an interrupted build")
    return done


def swap_tree(
    target: Path,
    writes: Mapping[str, bytes],
    deletes: list[str],
    side_files: Mapping[Path, bytes] | None = None,
) -> None:
    """Apply ``writes``/``deletes`` to ``target`` and replace ``side_files`` all or nothing.

    New bytes are written to a staging folder first; a journal lists what will change; each live file
    is hard-linked into a backup folder before it is replaced or moved aside. ``side_files``
    (translation memories outside ``target``) are written beside themselves and renamed into place
    after the tree change, with their old versions backed up the same way. Any failure rolls every
    applied step back (tree and side files); a build killed mid-way is rolled back by the next command
    (from the journal). On a failure whose rollback also failed, the journal stays and
    :class:`HalfApplied` is raised.
    """
    pid = os.getpid()
    staging = target.parent / f".{target.name}.staging-{pid}"
    backup = target.parent / f".{target.name}.backup-{pid}"
    journal_path = target.parent / f".{target.name}.journal-{pid}"
    side = list((side_files or {}).items())
    side_tmps = [path.with_name(f".{path.name}.tmp-{pid}") for path, _ in side]
    journal: dict | None = None
    try:
        for folder in (staging, backup):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        target.mkdir(parents=True, exist_ok=True)
        for rel, data in writes.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for (_path, data), tmp in zip(side, side_tmps, strict=True):
            write_synced(tmp, data, "xb")
        journal = {
            "writes": sorted(writes),
            "deletes": sorted(deletes),
            "existed": sorted(rel for rel in writes if os.path.lexists(target / rel)),
            "side": [{"path": str(path), "tmp": str(tmp), "existed": os.path.lexists(path)}
                     for (path, _), tmp in zip(side, side_tmps, strict=True)],
        }
        atomic_write(journal_path, json.dumps(journal).encode())
        _fault("swap")
        step = 0
        for rel in sorted(writes):
            live = target / rel
            if os.path.lexists(live):
                (backup / rel).parent.mkdir(parents=True, exist_ok=True)
                os.link(live, backup / rel, follow_symlinks=False)
            live.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, live)  # replaces the link: the backup keeps the old file
            if step == 0:
                _fault("apply")  # crash-safety tests: a failure after part of the change is applied
            step += 1
            _kill_point("apply", step)
        for rel in sorted(deletes):
            live = target / rel
            if os.path.lexists(live):
                (backup / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(live, backup / rel)
            step += 1
            _kill_point("apply", step)
        if deletes:
            _prune_empty_dirs(target)
        _fault("side")
        for n, ((path, _), tmp) in enumerate(zip(side, side_tmps, strict=True)):
            if os.path.lexists(path):
                (backup / SIDE_DIR).mkdir(exist_ok=True)
                os.link(path, backup / SIDE_DIR / str(n), follow_symlinks=False)
            os.replace(tmp, path)
            step += 1
            _kill_point("apply", step)
    except BaseException as exc:
        try:
            if journal is not None:
                _rollback(target, backup, journal)
                _prune_empty_dirs(target)
        except BaseException as again:  # the journal stays: the next command finishes the rollback
            raise HalfApplied(target, f"{exc}; rolling back failed too ({again})") from exc
        for tmp in side_tmps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)
        journal_path.unlink(missing_ok=True)
        raise
    journal_path.unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)


# ------------------------------------------------------------------ publishing a whole tree in one step
@dataclass(frozen=True)
class Published:
    """One file of a tree to publish: where it is in a build folder, and how it goes into the tree."""

    src: str    # the file in the build folder
    ino: int    # its inode (a hard link to it is the same file)
    size: int
    link: bool  # hard-linked: the build folder replaces this file by a rename, never rewrites it in place;
                # else copied (a file some step rewrites in place, e.g. a hook's sitemap)


def walk_tree(root: Path) -> tuple[dict[str, os.stat_result], set[str]]:
    """Every file (anything not a real folder, symlinks included, never followed) and every folder under
    ``root``, as relative POSIX paths."""
    files: dict[str, os.stat_result] = {}
    dirs: set[str] = set()
    if not root.is_dir() or root.is_symlink():
        return files, dirs
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    dirs.add(rel)
                    stack.append((entry.path, rel + "/"))
                else:
                    files[rel] = entry.stat(follow_symlinks=False)
    return files, dirs


# ------------------------------------------------------------------ walking a tree without listing its unchanged folders
# A folder's entries change only by creating, removing or renaming an entry in it, which sets the folder's
# mtime and ctime to the current time (the ctime, no user can set back). A folder whose (ctime, mtime, inode)
# still equal the stamp taken when it held exactly the expected entries holds them still: it need not be
# listed (git's untracked cache rests on the same rule). A stamp taken within STAMP_MARGIN_NS of a change
# is never kept: a second change within the same tick of the file system's clock would leave it as it was.
STAMP_MARGIN_NS = 2_000_000_000
Stamps = dict[str, list[int]]  # folder (relative POSIX path, "" for the top) -> [ctime_ns, mtime_ns, inode]


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_ctime_ns, st.st_mtime_ns, st.st_ino]


def tree_layout(paths) -> dict[str, tuple[list[str], set[str]]]:
    """folder ("" for the top) -> (the names of its files, the names of its subfolders), of relative file paths."""
    out: dict[str, tuple[list[str], set[str]]] = {"": ([], set())}
    for rel in paths:
        cut = rel.rfind("/")
        parent = rel[:cut] if cut > 0 else ""
        entry = out.get(parent)
        if entry is None:
            entry = out[parent] = ([], set())
            child = parent
            while True:  # register the new folder in its parent, and so on up to a known one
                up_cut = child.rfind("/")
                up = child[:up_cut] if up_cut > 0 else ""
                above = out.get(up)
                known = above is not None
                if above is None:
                    above = out[up] = ([], set())
                above[1].add(child[up_cut + 1:])
                if known:
                    break
                child = up
        entry[0].append(rel[cut + 1:])
    return out


def folder_stamps(root: Path, folders) -> Stamps:
    """The stamps of ``folders`` (relative paths, "" for ``root``) as they are now, for a caller that knows
    they hold exactly the entries it expects (a tree it has just made and no one else writes); a folder
    changed too recently to be told apart from a later change is left out (it is listed next time)."""
    limit = time.time_ns() - STAMP_MARGIN_NS  # before any folder's stat: see STAMP_MARGIN_NS
    top = str(root)
    out: Stamps = {}
    for rel in folders:
        try:
            st = os.lstat(f"{top}/{rel}" if rel else top)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode) and st.st_ctime_ns < limit and st.st_mtime_ns < limit:
            out[rel] = _stamp(st)
    return out


UNCHANGED = os.stat_result((0,) * 10)  # walk_stamped: a file of an unchanged folder the caller needs no stat of


def walk_stamped(root: Path, expected=(), stamps: Mapping[str, list[int]] | None = None, refuse_links: bool = False,
                 unstated=frozenset()) -> tuple[dict[str, os.stat_result], set[str], Stamps]:
    """What :func:`walk_tree` finds under ``root`` (every file, symlinks included and never followed, with its
    lstat; every folder), without listing the folders whose stamp equals the one in ``stamps``, which the
    caller recorded when the folder held exactly the entries ``expected`` (relative file paths) gives it: the
    files of such a folder are stat'ed by name. Every other folder is listed. ``refuse_links``: a symlink
    found raises site_incremental.SymlinkInTree. ``unstated``: files (relative paths) the caller needs no stat
    of when their folder is unchanged (the same directory entry, hence the same inode, as when the stamp was
    taken): they get UNCHANGED. Returns (files, folders, stamps for the next time: of every folder that holds
    exactly its expected entries, each taken before its entries were read)."""
    files: dict[str, os.stat_result] = {}
    dirs: set[str] = set()
    fresh: Stamps = {}
    if not root.is_dir() or root.is_symlink():
        return files, dirs, fresh
    layout = tree_layout(expected)
    stamps = stamps or {}
    limit = time.time_ns() - STAMP_MARGIN_NS
    top = str(root)
    stack = [""]
    while stack:
        rel = stack.pop()
        folder = f"{top}/{rel}" if rel else top
        prefix = f"{rel}/" if rel else ""
        st = os.lstat(folder)  # the stamp, before the entries are read
        stamp = _stamp(st)
        want = layout.get(rel)
        found: dict[str, os.stat_result] | None = None
        subs: set[str] = set()
        if want is not None and stamps.get(rel) == stamp:
            found = {}
            try:
                for name in want[0]:
                    found[name] = UNCHANGED if prefix + name in unstated else os.lstat(f"{folder}/{name}")
                subs = want[1]
            except FileNotFoundError:  # not as recorded after all (a file system that keeps no folder times)
                found = None
        exact = found is not None
        if found is None:
            found = {}
            subs = set()
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        subs.add(entry.name)
                        continue
                    found[entry.name] = entry.stat(follow_symlinks=False)
            exact = want is not None and subs == want[1] and found.keys() == set(want[0])
        if refuse_links:
            for name, info in found.items():
                if info is not UNCHANGED and stat.S_ISLNK(info.st_mode):
                    from noticepub.site_incremental import SymlinkInTree

                    raise SymlinkInTree(f"{folder}/{name}")
        for name, info in found.items():
            files[prefix + name] = info
        for name in subs:
            dirs.add(prefix + name)
            stack.append(prefix + name)
        if exact and st.st_ctime_ns < limit and st.st_mtime_ns < limit:
            fresh[rel] = stamp
    return files, dirs, fresh


def _parents(rels) -> set[str]:
    out: set[str] = set()
    for rel in rels:
        cut = rel.rfind("/")
        while cut > 0:
            rel = rel[:cut]
            if rel in out:
                break
            out.add(rel)
            cut = rel.rfind("/")
    return out


def _same_file(path: str, st: os.stat_result, want: Published, dev: int) -> bool:
    if not stat.S_ISREG(st.st_mode) or st.st_size != want.size:
        return False
    if want.link:
        return st.st_ino == want.ino and st.st_dev == dev
    try:
        with open(path, "rb") as mine, open(want.src, "rb") as theirs:
            while True:
                a, b = mine.read(1 << 20), theirs.read(1 << 20)
                if a != b:
                    return False
                if not a:
                    return True
    except OSError:
        return False


def tree_differences(root: Path, target: Mapping[str, Published], dev: int,
                     stamps: Mapping[str, list[int]] | None = None) -> tuple[int, Stamps]:
    """How many files and folders of ``root`` differ from ``target`` (missing, changed, extra; an empty
    or extra folder counts too); 0 when ``root`` holds exactly ``target``. ``stamps``: of ``root``'s folders
    when they last held exactly these very ``target`` entries, each a hard link to its inode or a copy
    (see :func:`walk_stamped`): those still stamped so are not listed, and a hard-linked file there is the
    same directory entry, hence the same inode, as then: not even stat'ed (what that inode holds is the
    build folder's to check: its manifest, by stat); a copy is compared byte for byte, as everywhere.
    Returns (the count, the folders' stamps for next time)."""
    linked = {rel for rel, want in target.items() if want.link} if stamps else frozenset()
    files, dirs, fresh = walk_stamped(root, target.keys(), stamps, unstated=linked)
    top = str(root)
    wrong = sum(1 for rel, st in files.items() if rel not in target or (
        st is not UNCHANGED and not _same_file(f"{top}/{rel}", st, target[rel], dev)))
    wrong += len(target.keys() - files.keys())
    wrong += len(dirs ^ _parents(target))
    return wrong, fresh


def sync_tree(root: Path, target: Mapping[str, Published], dev: int) -> int:
    """Make the private folder ``root`` hold exactly ``target`` (no other file, no empty folder): files
    that differ are removed (a symlink is removed, never followed), missing ones hard-linked or copied.
    Idempotent: a sync killed half-way is finished by the next one. Returns the files changed."""
    root.mkdir(exist_ok=True)
    files, dirs = walk_tree(root)
    top = str(root)
    wanted = _parents(target)
    step = changes = written = 0
    present = set()
    for rel, st in files.items():
        if rel in target and _same_file(f"{top}/{rel}", st, target[rel], dev):
            present.add(rel)
            continue
        os.unlink(f"{top}/{rel}")
        changes += rel not in target
        step += 1
        _kill_point("publish", step)
    for rel in sorted(dirs - wanted, key=lambda d: d.count("/"), reverse=True):
        os.rmdir(f"{top}/{rel}")
    for rel in sorted(wanted - dirs, key=lambda d: d.count("/")):
        os.mkdir(f"{top}/{rel}")
    for rel, want in target.items():
        if rel in present:
            continue
        dest = f"{top}/{rel}"
        if written == 5 and os.environ.get("NOTICEPUB_FAULT") == "publish":  # crash tests: the disk fills up
            raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} (injected: NOTICEPUB_FAULT)", dest)
        if want.link:
            try:
                os.link(want.src, dest, follow_symlinks=False)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                    raise
                raise NoticepubError(root, f"cannot hard-link {want.src} ({exc.strerror}); the site is published "
                                     "from hard links: site/ and .noticepub-cache/ must be on one file system that "
                                     "supports them") from None
        else:
            shutil.copyfile(want.src, dest, follow_symlinks=False)
        changes += 1
        written += 1
        step += 1
        _kill_point("publish", step)
    return changes


_RENAME_EXCHANGE = 2


def exchange_dirs(a: Path, b: Path) -> None:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); OSError where unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available", str(b))
    if renameat2(-100, os.fsencode(a), -100, os.fsencode(b), _RENAME_EXCHANGE) != 0:  # -100: AT_FDCWD
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(b))


def publish_tree(live: Path, spare: Path, target: Mapping[str, Published], dev: int, check_live: bool = True,
                 mirror: bool = False, stamps: Mapping[str, list[int]] | None = None,
                 record: dict | None = None) -> int:
    """Make ``live`` hold exactly ``target`` so that a reader sees the old tree or the new one, never a mix:
    the private folder ``spare`` (the tree published before, kept for this) is synced to ``target``, then the
    two are swapped in one rename. A command killed at any moment leaves ``live`` untouched or swapped; the
    next one finishes the sync. ``check_live``: first compare ``live`` with ``target`` and do nothing when
    they are equal (the caller passes False when it knows ``target`` is new). ``mirror``: afterwards, sync
    the spare tree to ``target`` too (after a clean build, whose files are all new: the next publish then
    relinks only what it changes, instead of the whole tree). ``stamps``: the folder stamps of ``live``
    recorded the last time (see :func:`tree_differences`); ``record["dirs"]`` gets those to keep for the next
    time (of ``live`` as checked, or of the spare tree as synced, before it becomes ``live``; with
    ``mirror``, whose sync of the spare takes a while, ``live`` is then walked again, listing only the
    folders not stamped yet, so that the next command need not list them). Returns the
    files changed in the spare tree (0: ``live`` was current)."""
    aside = spare.with_name(spare.name + ".old")
    if os.path.lexists(aside):  # a swap without RENAME_EXCHANGE (below) was killed half-way
        if not os.path.lexists(live):
            os.rename(aside, live)
        else:
            shutil.rmtree(aside)
    if check_live and live.is_dir():
        wrong, fresh = tree_differences(live, target, dev, stamps)
        if wrong == 0:
            if record is not None:
                record["dirs"] = fresh
            return 0
    changes = sync_tree(spare, target, dev)
    if record is not None:  # the spare tree holds exactly ``target`` and no one else writes there
        record["dirs"] = folder_stamps(spare, _parents(target))  # (its top is renamed below: listed next time)
    _kill_point("publish", 0)
    if not os.path.lexists(live):
        os.rename(spare, live)
    else:
        try:
            exchange_dirs(spare, live)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
                raise
            os.rename(live, aside)  # no atomic exchange here: readers see no site/ for a moment, never a mix
            os.rename(spare, live)
            os.rename(aside, spare)
    _kill_point("publish", "swapped")
    with contextlib.suppress(OSError):  # the swap is done: make it durable if the file system lets us
        fd = os.open(live.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    if mirror:
        with contextlib.suppress(OSError):  # live is published: a spare tree left half synced is finished later
            sync_tree(spare, target, dev)
        if record is not None:  # every folder was just written, most too recently to be stamped above: the
            with contextlib.suppress(OSError):  # others are listed now (live is public: checked, not assumed)
                record["dirs"] = tree_differences(live, target, dev, record["dirs"])[1]
    return max(changes, 1)


class HalfApplied(NoticepubError):
    """A change failed and could not be rolled back; its journal is kept for the next command."""

    def __init__(self, target: Path, problem: str) -> None:
        super().__init__(target, f"{problem}; {target.name}/ and some translation files may be half updated: "
                         "run `noticepub build` again to roll them back (`noticepub site` refuses until then)")


def _kill_point(stage: str, step: int | str) -> None:
    """Crash tests: NOTICEPUB_KILL_AT=<stage>:<n> kills the process (SIGKILL) at step n of ``stage``."""
    wanted = os.environ.get("NOTICEPUB_KILL_AT")
    if wanted and wanted == f"{stage}:{step}":
        os.kill(os.getpid(), signal.SIGKILL)


def _fault(stage: str) -> None:
    """Failure injection for crash-safety tests: NOTICEPUB_FAULT=<stage> raises there."""
    wanted = os.environ.get("NOTICEPUB_FAULT")
    if wanted == stage:
        raise OSError(errno.ENOSPC, f"injected failure at stage '{stage}' (NOTICEPUB_FAULT)")
    if wanted == f"{stage}:interrupt":
        raise KeyboardInterrupt


fault = _fault


@contextlib.contextmanager
def build_lock(path: Path, wait_seconds: float = 300.0, notify=None) -> Iterator[None]:
    """An exclusive lock so two builds never write at once; the second waits, then gives up clearly."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # never through a symlink: a committed `.noticepub.lock -> ~/.bashrc` would be truncated
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if path.is_symlink():
            raise ConfigError(path, f"is a symbolic link; {SYMLINK_FIX}") from None
        raise NoticepubError(path, f"cannot open the build lock: {exc.strerror}") from None
    fh = os.fdopen(fd, "r+")
    try:
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and notify is not None:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    notify(f"another noticepub build is running (pid {holder}); waiting for it to finish")
                    told = True
                if time.monotonic() >= deadline:
                    raise NoticepubError(
                        path, f"another noticepub build still holds the lock after {wait_seconds:.0f} s; try again later"
                    ) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        fh.close()


# ------------------------------------------------------------------ symlink policy and safe input reading
SYMLINK_FIX = "noticepub follows no symlink in the repository (README, Symlinks); replace it with the real file or folder"


def _lexical_rel(root: Path, path: Path) -> tuple[str, ...]:
    """The components of ``path`` below ``root`` without touching the disk; refuses `..` and outside paths."""
    root_s = os.path.normpath(str(root))
    path_s = os.path.normpath(str(path if path.is_absolute() else root / path))
    if path_s == root_s:
        return ()
    if not path_s.startswith(root_s.rstrip(os.sep) + os.sep):
        raise InputError(path, f"is outside the repository {root}; noticepub reads and writes only inside it")
    return tuple(path_s[len(root_s.rstrip(os.sep)) + 1:].split(os.sep))


def first_symlink(root: Path, path: Path) -> Path | None:
    """The first component of ``path`` (below ``root``) that is a symlink, or None."""
    here = Path(root)
    for part in _lexical_rel(root, path):
        here = here / part
        if here.is_symlink():
            return here
        if not here.exists():
            return None
    return None


def refuse_symlinks(root: Path, *paths: Path, scan: tuple[Path, ...] = (), what: str = "") -> None:
    """Refuse, with one line naming the link, a symlink on the way to any of ``paths`` (checked component by
    component below ``root``) or anywhere inside the folders ``scan``: the build writes and deletes nothing
    through a symlink (a committed ``site -> .`` would have had the repository deleted)."""
    why = f"{what}; " if what else ""
    for path in (*paths, *scan):
        link = first_symlink(root, path)
        if link is not None:
            raise ConfigError(link, f"is a symbolic link; {why}noticepub writes and deletes nothing through a "
                              f"symlink; {SYMLINK_FIX}")
    for folder in scan:
        if folder.is_dir():
            links = tree_symlinks(folder)
            if links:
                raise ConfigError(folder / links[0], f"is a symbolic link inside {folder.name}/, which noticepub "
                                  f"writes; {why}remove it ({len(links)} symlink(s) there)")


def read_input(root: Path, path: Path, limit: int, setting: str, what: str = "file",
               stats: list | None = None) -> bytes | None:
    """The bytes of an input file under ``root``, opened once, or None when it does not exist.

    No component below ``root`` may be a symlink (each is opened with O_NOFOLLOW relative to its parent,
    so nothing can swap one in between the check and the read); the file must be a regular file of at
    most ``limit`` bytes (``setting`` names the [tool.noticepub] key that raises the limit). ``stats``
    gets the file's stat, taken before it is read (sources.InputState keeps it).
    """
    parts = _lexical_rel(root, path)
    if not parts:
        raise InputError(path, f"must be a {what}, not the repository root")
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for n, part in enumerate(parts):
            last = n == len(parts) - 1
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_NONBLOCK if last else os.O_DIRECTORY)
            try:
                nfd = os.open(part, flags, dir_fd=fd)
            except FileNotFoundError:
                return None
            except OSError as exc:
                link = first_symlink(root, path)
                if link is not None:
                    raise InputError(link, f"is a symbolic link; {SYMLINK_FIX}") from None
                if exc.errno == errno.ENOTDIR:
                    return None  # a file where a folder was expected: the input is simply not there
                raise InputError(path, f"cannot be read: {exc.strerror}") from None
            os.close(fd)
            fd = nfd
        info = os.fstat(fd)
        if stats is not None:
            stats.append(info)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, f"is not a regular file (a folder, device or pipe); it must be a {what}")
        if info.st_size > limit:
            raise InputError(
                path, f"is {info.st_size:,} bytes, over the limit of {limit:,} bytes (setting {setting} in "
                "[tool.noticepub] of pyproject.toml); shrink the file or raise the limit",
            )
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:  # grew while we read it
                raise InputError(path, f"is over the limit of {limit:,} bytes (setting {setting} in [tool.noticepub])")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


# Paths (relative to the repository root) the generated docs folder must never be, contain or sit in.
PROTECTED = (".git", ".github", ".ci", ".venv", CACHE_DIR, "scripts", "tests", "config", "overrides",
             "site", "bench", "pyproject.toml", "mkdocs.yml", "Makefile", "README.md", "requirements.lock")


def check_docs_dir(root: Path, docs_dir: str, inputs: tuple[str, ...] = ()) -> Path:
    """Validate the generated-pages folder before anything is written; returns its path.

    It must be a plain folder inside the repository, not the root, not a symlink (nor inside one), and
    neither contain nor sit inside an input (``inputs``: source folder, glossary, overrides) or a
    project file (PROTECTED).
    """
    where = "setting docs_dir in [tool.noticepub] of pyproject.toml"
    if not docs_dir or os.path.isabs(docs_dir) or ".." in Path(docs_dir).parts:
        raise ConfigError(root / "pyproject.toml", f"{where} must be a relative folder inside the repository "
                          f"(got {docs_dir!r})")
    docs = Path(os.path.normpath(root / docs_dir))
    parts = _lexical_rel(root, docs)
    if not parts:
        raise ConfigError(root / "pyproject.toml", f"{where} must not be the repository root (got {docs_dir!r}); "
                          "use a folder such as docs")
    rel = "/".join(parts)
    for other in (*inputs, *PROTECTED):
        other = os.path.normpath(other).replace(os.sep, "/")
        if rel == other or rel.startswith(other + "/") or other.startswith(rel + "/"):
            raise ConfigError(root / "pyproject.toml", f"{where} is {docs_dir!r}, which overlaps '{other}' "
                              "(an input or project file); the build would overwrite it — use a folder such as docs")
    link = first_symlink(root, docs)
    if link is not None:
        raise ConfigError(link, f"is a symbolic link; the build writes no output through a symlink; {SYMLINK_FIX}")
    here = root
    for part in parts:
        here = here / part
        if here.exists() and not here.is_dir():
            raise ConfigError(here, "must be a folder (the generated pages go there), but it is a file")
    return docs


def tree_symlinks(root: Path) -> list[str]:
    """Symlinks (files or folders) anywhere under ``root``, as relative POSIX paths."""
    out = []
    stack = [(str(root), "")]  # scandir's entry types: no extra system call per file
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                out.append(prefix + entry.name)
            elif entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, prefix + entry.name + "/"))
    return sorted(out)
