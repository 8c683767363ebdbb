"""File-system helpers: atomic writes, a build lock, and swapping a whole generated tree."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
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
    for folder, _dirs, files in os.walk(root):
        base = Path(folder)
        out.extend((base / name).relative_to(root).as_posix() for name in files)
    return sorted(out)


def _clone_tree(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` using hard links where possible (cheap; files are replaced, never edited)."""
    for rel in list_tree(src):
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src / rel, target)
        except OSError:
            shutil.copy2(src / rel, target)


def _prune_empty_dirs(root: Path) -> None:
    for folder, _dirs, _files in sorted(os.walk(root), key=lambda item: -len(item[0])):
        if Path(folder) != root and not os.listdir(folder):
            os.rmdir(folder)


def recover_interrupted_swap(target: Path) -> None:
    """If a previous run died between the two renames of ``swap_tree``, put the old tree back."""
    if target.exists():
        for leftover in target.parent.glob(f".{target.name}.staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for leftover in target.parent.glob(f".{target.name}.old-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        return
    olds = sorted(target.parent.glob(f".{target.name}.old-*"))
    if olds:
        os.rename(olds[-1], target)


def swap_tree(
    target: Path,
    writes: Mapping[str, bytes],
    deletes: list[str],
    side_files: Mapping[Path, bytes] | None = None,
) -> None:
    """Apply ``writes``/``deletes`` to a hard-linked staging copy of ``target`` and swap it in.

    ``side_files`` (e.g. translation memories outside ``target``) are written to temporary siblings
    first and renamed into place only after the tree swap succeeded, so a failure at any point before
    the swap leaves ``target`` and every side file byte-identical.
    """
    staging = target.parent / f".{target.name}.staging-{os.getpid()}"
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    side_tmps: list[tuple[Path, Path]] = []
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        if target.is_dir():
            _clone_tree(target, staging)
        for rel, data in writes.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()  # break the hard link: never edit the live file
            path.write_bytes(data)
        for rel in deletes:
            with contextlib.suppress(FileNotFoundError):
                (staging / rel).unlink()
        _prune_empty_dirs(staging)
        for path, data in (side_files or {}).items():
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            side_tmps.append((tmp, path))
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        _fault("swap")
        if target.exists():
            os.rename(target, old)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for tmp, _ in side_tmps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        if old.exists() and not target.exists():
            os.rename(old, target)
        raise
    for tmp, path in side_tmps:
        os.replace(tmp, path)
    shutil.rmtree(old, ignore_errors=True)


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
