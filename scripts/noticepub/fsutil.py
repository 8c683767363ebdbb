"""File-system helpers: atomic writes, a build lock, and swapping a whole generated tree."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from noticepub.errors import NoticepubError


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary sibling and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
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
    """Undo a partly applied change: put every backed-up file back, remove files that were new."""
    existed = set(journal["existed"])
    for rel in [*journal["deletes"], *journal["writes"]]:
        saved = backup / rel
        if saved.exists():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(saved, target / rel)
        elif rel in journal["writes"] and rel not in existed:
            with contextlib.suppress(FileNotFoundError):
                (target / rel).unlink()


def recover_interrupted_swap(target: Path) -> None:
    """Roll back a change that a killed build left half applied (its journal is still there)."""
    for journal_path in sorted(target.parent.glob(f".{target.name}.journal-*")):
        pid = journal_path.name.rsplit("-", 1)[1]
        backup = target.parent / f".{target.name}.backup-{pid}"
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            journal = None
        if journal is not None and target.exists():
            _rollback(target, backup, journal)
            _prune_empty_dirs(target)
        shutil.rmtree(backup, ignore_errors=True)
        journal_path.unlink(missing_ok=True)
    for leftover in target.parent.glob(f".{target.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def swap_tree(
    target: Path,
    writes: Mapping[str, bytes],
    deletes: list[str],
    side_files: Mapping[Path, bytes] | None = None,
) -> None:
    """Apply ``writes``/``deletes`` to ``target`` all or nothing, at a cost proportional to the change.

    New bytes are written to a staging folder first; a journal lists what will change; each live file
    is hard-linked into a backup folder before it is replaced or moved aside. Any failure rolls every
    applied step back, and a build killed mid-way is rolled back by the next one (from the journal).
    ``side_files`` (translation memories outside ``target``) are staged beside themselves and renamed
    into place only after the tree change succeeded.
    """
    pid = os.getpid()
    staging = target.parent / f".{target.name}.staging-{pid}"
    backup = target.parent / f".{target.name}.backup-{pid}"
    journal_path = target.parent / f".{target.name}.journal-{pid}"
    side_tmps: list[tuple[Path, Path]] = []
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
        for path, data in (side_files or {}).items():
            tmp = path.with_name(f".{path.name}.tmp-{pid}")
            side_tmps.append((tmp, path))
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        journal = {
            "writes": sorted(writes),
            "deletes": sorted(deletes),
            "existed": sorted(rel for rel in writes if (target / rel).exists()),
        }
        atomic_write(journal_path, json.dumps(journal).encode())
        _fault("swap")
        for n, rel in enumerate(sorted(writes)):
            live = target / rel
            if live.exists():
                (backup / rel).parent.mkdir(parents=True, exist_ok=True)
                os.link(live, backup / rel)
            live.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, live)  # replaces the link: the backup keeps the old file
            if n == 0:
                _fault("apply")  # crash-safety tests: a failure after part of the change is applied
        for rel in sorted(deletes):
            live = target / rel
            if live.exists():
                (backup / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(live, backup / rel)
        if deletes:
            _prune_empty_dirs(target)
    except BaseException:
        if journal is not None:
            _rollback(target, backup, journal)
            _prune_empty_dirs(target)
        for tmp, _ in side_tmps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)
        journal_path.unlink(missing_ok=True)
        raise
    for tmp, path in side_tmps:
        os.replace(tmp, path)
    journal_path.unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)


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
    fh = open(path, "a+")
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
