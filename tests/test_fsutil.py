"""Tree swap, atomic writes and the build lock: failures leave the previous tree byte-identical."""

import multiprocessing
import time
from pathlib import Path

import pytest

from noticepub.errors import NoticepubError
from noticepub.fsutil import build_lock, list_tree, recover_interrupted_swap, swap_tree


def _snapshot(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in list_tree(root)}


def _make_tree(root: Path) -> None:
    (root / "a").mkdir(parents=True)
    (root / "a" / "one.md").write_bytes(b"one")
    (root / "two.md").write_bytes(b"two")


def test_swap_applies_writes_and_deletes_and_side_files(tmp_path):
    docs = tmp_path / "docs"
    _make_tree(docs)
    side = tmp_path / "en.po"
    side.write_bytes(b"old")
    swap_tree(docs, {"new/three.md": b"three", "two.md": b"TWO"}, ["a/one.md"], {side: b"new"})
    assert _snapshot(docs) == {"new/three.md": b"three", "two.md": b"TWO"}
    assert side.read_bytes() == b"new"
    assert not (docs / "a").exists()  # emptied folder pruned
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "en.po"]  # no staging left


def test_unchanged_files_keep_their_inode(tmp_path):
    docs = tmp_path / "docs"
    _make_tree(docs)
    before = (docs / "two.md").stat()
    swap_tree(docs, {"a/one.md": b"changed"}, [])
    after = (docs / "two.md").stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


@pytest.mark.parametrize("fault", ["swap", "swap:interrupt", "apply", "apply:interrupt"])
def test_failure_before_swap_leaves_everything_byte_identical(tmp_path, monkeypatch, fault):
    docs = tmp_path / "docs"
    _make_tree(docs)
    side = tmp_path / "en.po"
    side.write_bytes(b"reviewed")
    before = _snapshot(docs)
    monkeypatch.setenv("NOTICEPUB_FAULT", fault)
    with pytest.raises((OSError, KeyboardInterrupt)):
        swap_tree(docs, {"two.md": b"broken"}, ["a/one.md"], {side: b"machine"})
    assert _snapshot(docs) == before
    assert side.read_bytes() == b"reviewed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "en.po"]


def test_recover_rolls_back_a_change_a_killed_build_left_half_applied(tmp_path):
    import json

    docs = tmp_path / "docs"
    _make_tree(docs)
    backup = tmp_path / ".docs.backup-123"
    backup.mkdir()
    (docs / "two.md").rename(backup / "two.md")  # replaced, old copy in the backup
    (docs / "two.md").write_bytes(b"half-written new")
    (docs / "new.md").write_bytes(b"new file")  # did not exist before
    (backup / "a").mkdir()
    (docs / "a" / "one.md").rename(backup / "a" / "one.md")  # deleted, moved aside
    journal = {"writes": ["new.md", "two.md"], "deletes": ["a/one.md"], "existed": ["two.md"]}
    (tmp_path / ".docs.journal-123").write_text(json.dumps(journal))
    recover_interrupted_swap(docs)
    assert _snapshot(docs) == {"a/one.md": b"one", "two.md": b"two"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


def _hold_lock(path: str, seconds: float) -> None:
    with build_lock(Path(path)):
        time.sleep(seconds)


def test_second_build_waits_then_gives_up_with_a_clear_message(tmp_path):
    lock = tmp_path / ".noticepub.lock"
    holder = multiprocessing.get_context("fork").Process(target=_hold_lock, args=(str(lock), 3.0))
    holder.start()
    try:
        time.sleep(0.5)
        messages: list[str] = []
        with pytest.raises(NoticepubError) as info:
            with build_lock(lock, wait_seconds=0.5, notify=messages.append):
                pass
        assert "another noticepub build" in info.value.one_line()
        assert messages and "waiting" in messages[0]
    finally:
        holder.join()
    with build_lock(lock, wait_seconds=1):  # free again
        pass


def test_rollback_that_fails_too_keeps_the_journal_and_the_next_command_finishes_it(tmp_path, monkeypatch):
    import noticepub.fsutil as fsutil
    from noticepub.fsutil import HalfApplied, docs_state

    docs = tmp_path / "docs"
    _make_tree(docs)
    side = tmp_path / "en.po"
    side.write_bytes(b"reviewed")
    before = _snapshot(docs)
    real_rollback = fsutil._rollback

    def broken_rollback(*args):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(fsutil, "_rollback", broken_rollback)
    monkeypatch.setenv("NOTICEPUB_FAULT", "side")
    with pytest.raises(HalfApplied) as info:
        swap_tree(docs, {"two.md": b"new", "z.md": b"z"}, ["a/one.md"], {side: b"machine"})
    assert "run `noticepub build` again" in info.value.one_line()
    assert docs_state(docs) == "interrupted"
    monkeypatch.setattr(fsutil, "_rollback", real_rollback)
    done = recover_interrupted_swap(docs, [tmp_path])
    assert done and docs_state(docs) == "clean"
    assert _snapshot(docs) == before and side.read_bytes() == b"reviewed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "en.po"]


def test_kill_during_po_rename_is_rolled_back_with_the_pages(tmp_path):
    import json

    docs = tmp_path / "docs"
    _make_tree(docs)
    side = tmp_path / "en.po"
    side.write_bytes(b"reviewed")
    backup = tmp_path / ".docs.backup-77"
    (backup / ".side-files").mkdir(parents=True)
    os_link = __import__("os").link
    os_link(docs / "two.md", backup / "two.md")
    (docs / "two.md").unlink()
    (docs / "two.md").write_bytes(b"new")
    os_link(side, backup / ".side-files" / "0")
    side.unlink()
    side.write_bytes(b"machine")  # the new PO was renamed in, then the process died
    journal = {"writes": ["two.md"], "deletes": [], "existed": ["two.md"],
               "side": [{"path": str(side), "tmp": str(tmp_path / ".en.po.tmp-77"), "existed": True}]}
    (tmp_path / ".docs.journal-77").write_text(json.dumps(journal))
    recover_interrupted_swap(docs, [tmp_path])
    assert _snapshot(docs) == {"a/one.md": b"one", "two.md": b"two"}
    assert side.read_bytes() == b"reviewed"


def test_build_lock_never_follows_a_symlink(tmp_path):
    target = tmp_path / "bashrc"
    target.write_text("precious")
    lock = tmp_path / ".noticepub.lock"
    lock.symlink_to(target)
    with pytest.raises(NoticepubError, match="symbolic link"):
        with build_lock(lock, wait_seconds=0.1):
            pass
    assert target.read_text() == "precious"


def test_recover_refuses_a_backup_folder_that_is_a_symlink(tmp_path):
    """The backup folder named after the journal is moved back into docs/: a planted link to another folder
    would move (and so delete) that folder's files."""
    import json

    docs = tmp_path / "docs"
    _make_tree(docs)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "two.md").write_bytes(b"someone else's")
    (tmp_path / ".docs.backup-9").symlink_to(foreign)
    (tmp_path / ".docs.journal-9").write_text(json.dumps({"writes": ["two.md"], "deletes": [], "existed": ["two.md"]}))
    before = _snapshot(docs)
    with pytest.raises(NoticepubError, match="not a plain folder"):
        recover_interrupted_swap(docs)
    assert _snapshot(docs) == before and (foreign / "two.md").read_bytes() == b"someone else's"


def test_recover_refuses_a_journal_that_is_a_symlink(tmp_path):
    docs = tmp_path / "docs"
    _make_tree(docs)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"writes": ["two.md"], "deletes": [], "existed": []}')
    (tmp_path / ".docs.journal-9").symlink_to(elsewhere)
    with pytest.raises(NoticepubError, match="symbolic link"):
        recover_interrupted_swap(docs)
    assert _snapshot(docs)["two.md"] == b"two"


def _published_target(src: Path) -> dict:
    from noticepub.fsutil import Published, walk_tree

    files, _ = walk_tree(src)
    return {rel: Published(str(src / rel), st.st_ino, st.st_size, rel != "copied.txt") for rel, st in files.items()}


def test_publish_tree_without_rename_exchange_and_recovery_of_a_killed_swap(tmp_path, monkeypatch):
    """Where RENAME_EXCHANGE is missing, site/ is swapped by two renames (for an instant no site/, never a
    mix), and a swap killed between them is put right by the next publish."""
    import errno

    import noticepub.fsutil as fsutil

    src = tmp_path / "build"
    (src / "a" / "b").mkdir(parents=True)
    (src / "a" / "b" / "page.html").write_bytes(b"v1")
    (src / "copied.txt").write_bytes(b"sitemap v1")
    live, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    spare.parent.mkdir()
    dev = src.stat().st_dev

    def no_exchange(a, b):
        raise OSError(errno.EINVAL, "Invalid argument", str(b))

    monkeypatch.setattr(fsutil, "exchange_dirs", no_exchange)
    assert fsutil.publish_tree(live, spare, _published_target(src), dev) > 0
    assert _snapshot(live) == {"a/b/page.html": b"v1", "copied.txt": b"sitemap v1"}
    assert (live / "a" / "b" / "page.html").stat().st_ino == (src / "a" / "b" / "page.html").stat().st_ino
    assert (live / "copied.txt").stat().st_ino != (src / "copied.txt").stat().st_ino  # a copy, never shared
    assert fsutil.publish_tree(live, spare, _published_target(src), dev) == 0  # current: nothing done
    (src / "a" / "b" / "page.html").unlink()
    (src / "new.html").write_bytes(b"v2")
    fsutil.publish_tree(live, spare, _published_target(src), dev)
    assert _snapshot(live) == {"copied.txt": b"sitemap v1", "new.html": b"v2"}
    assert not (live / "a").exists()  # no empty folder left
    # a swap killed after `site -> aside`: the next publish puts the old site back first, then publishes
    aside = spare.with_name("spare.old")
    live.rename(aside)
    (src / "new.html").unlink()  # the build replaces a file, never rewrites it in place
    (src / "new.html").write_bytes(b"v3")
    fsutil.publish_tree(live, spare, _published_target(src), dev)
    assert _snapshot(live) == {"copied.txt": b"sitemap v1", "new.html": b"v3"} and not aside.exists()


def _listed(monkeypatch) -> list[str]:
    """The folders os.scandir is asked to list from now on."""
    import os

    import noticepub.fsutil as fsutil

    seen: list[str] = []
    real = os.scandir

    def scandir(path="."):
        seen.append(str(path))
        return real(path)

    monkeypatch.setattr(fsutil.os, "scandir", scandir)
    return seen


def test_walk_stamped_lists_only_the_folders_changed_since_their_stamp(tmp_path, monkeypatch):
    """A folder whose stamp (ctime, mtime, inode) is as recorded is not listed and its files are stat'ed by
    name; a stray file, a removed file, a new folder or a planted symlink changes its folder's stamp, so
    that folder is listed and the walk finds exactly what walk_tree finds."""
    import os

    import noticepub.fsutil as fsutil
    from noticepub.site_incremental import SymlinkInTree

    root = tmp_path / "tree"
    for rel in ("a/b/one.html", "a/b/two.html", "a/c/three.html", "top.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(rel.encode())
    expected = ["a/b/one.html", "a/b/two.html", "a/c/three.html", "top.html"]
    folders = ["", "a", "a/b", "a/c"]
    assert fsutil.folder_stamps(root, folders) == {}  # just changed: too recent to be told apart from a change
    monkeypatch.setattr(fsutil, "STAMP_MARGIN_NS", -10**9)  # as if a tick had passed
    stamps = fsutil.folder_stamps(root, folders)
    assert sorted(stamps) == folders

    def check(stamps):
        start = len(listed)
        files, dirs, fresh = fsutil.walk_stamped(root, expected, stamps, refuse_links=True)
        walked = listed[start:]
        want_files, want_dirs = fsutil.walk_tree(root)
        listed[start:] = walked  # the folders walk_stamped listed, not walk_tree's
        assert {rel: (st.st_ino, st.st_size) for rel, st in files.items()} == \
            {rel: (st.st_ino, st.st_size) for rel, st in want_files.items()}
        assert dirs == want_dirs
        return files, fresh

    listed = _listed(monkeypatch)
    _, fresh = check(stamps)
    assert listed == [] and fresh == stamps  # nothing listed: every folder as stamped
    (root / "a" / "b" / "stray.html").write_bytes(b"stray")
    files, fresh = check(stamps)
    assert listed == [str(root / "a" / "b")] and "a/b/stray.html" in files
    assert "a/b" not in fresh  # it no longer holds exactly the expected entries
    (root / "a" / "b" / "stray.html").unlink()
    (root / "a" / "c" / "three.html").unlink()
    (root / "a" / "c" / "new").mkdir()
    (root / "a" / "c" / "new" / "deep.html").write_bytes(b"deep")
    listed.clear()
    files, _ = check(stamps)
    assert sorted(listed) == [str(root / "a" / "b"), str(root / "a" / "c"), str(root / "a" / "c" / "new")]
    assert "a/c/three.html" not in files and "a/c/new/deep.html" in files
    (root / "a" / "c" / "new" / "deep.html").unlink()
    (root / "a" / "c" / "new").rmdir()
    (root / "a" / "c" / "three.html").write_bytes(b"again")
    os.symlink(tmp_path, root / "a" / "link")
    with pytest.raises(SymlinkInTree, match="a/link"):
        fsutil.walk_stamped(root, expected, stamps, refuse_links=True)
    # a file edited in place keeps its folder's stamp: its own new stat is what the walk returns
    (root / "a" / "link").unlink()
    stamps = fsutil.folder_stamps(root, folders)
    listed.clear()
    with open(root / "top.html", "ab") as fh:
        fh.write(b" edited")
    files, fresh = check(stamps)
    assert listed == [] and files["top.html"].st_size == len(b"top.html edited") and fresh == stamps
    # files the caller needs no stat of, in folders as stamped: UNCHANGED; in a folder that changed: stat'ed
    (root / "a" / "b" / "stray.html").write_bytes(b"stray")
    files, _, _ = fsutil.walk_stamped(root, expected, stamps, unstated={"a/b/one.html", "a/c/three.html"})
    assert files["a/c/three.html"] is fsutil.UNCHANGED
    assert files["a/b/one.html"].st_ino == (root / "a" / "b" / "one.html").stat().st_ino


def test_publish_of_a_whole_tree_stamps_the_folders_the_next_check_would_list(tmp_path, monkeypatch):
    """A publish that writes the whole tree (``mirror``: after a clean build) stamps each folder of ``live``
    from a walk after the spare's own sync, when most are old enough to be stamped, not only the few that
    were before the swap; the walk lists live (public since the swap) rather than trust it, so a stray
    put there right after the swap leaves its folder unstamped and the next check sees it."""
    import os
    import time

    import noticepub.fsutil as fsutil

    src = tmp_path / "build"
    for rel in ("a/b/one.html", "a/c/two.html", "top.html"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(rel.encode())
    live, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    spare.parent.mkdir()
    dev = src.stat().st_dev
    target = _published_target(src)
    folders = {"", "a", "a/b", "a/c"}
    monkeypatch.setattr(fsutil, "STAMP_MARGIN_NS", 300_000_000)
    real_sync = fsutil.sync_tree
    calls: list[Path] = []

    def slow_sync(root, want, dev):  # the spare's sync after the swap takes a while (the whole tree at scale)
        calls.append(root)
        changes = real_sync(root, want, dev)
        if len(calls) == 2:
            (live / "a" / "c" / "stray.html").write_bytes(b"stray")  # someone else, in public site/
            time.sleep(0.4)
        return changes

    monkeypatch.setattr(fsutil, "sync_tree", slow_sync)
    record: dict = {}
    assert fsutil.publish_tree(live, spare, target, dev, check_live=False, mirror=True, record=record) > 0
    assert calls == [spare, spare]
    assert set(record["dirs"]) == folders - {"a/c"}  # every folder as it is in live now, but the changed one
    for rel, stamp in record["dirs"].items():
        assert stamp == fsutil._stamp(os.lstat(live / rel)), rel
    wrong, fresh = fsutil.tree_differences(live, target, dev, record["dirs"])
    assert wrong == 1 and "a/c" not in fresh
    (live / "a" / "c" / "stray.html").unlink()
    record = {}  # without mirror: the folders of the spare as synced, too recent here (and live's top renamed)
    (src / "top.html").unlink()
    (src / "top.html").write_bytes(b"v2")
    calls.clear()
    fsutil.publish_tree(live, spare, _published_target(src), dev, check_live=False, record=record)
    assert calls == [spare] and "" not in record["dirs"]
