"""Concurrent builds, oversized input, and hostile notice ids: nothing corrupted, nothing written outside docs/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED_ID, run_cli
from noticepub.fsutil import list_tree


def test_two_builds_at_once_do_not_corrupt_docs(tmp_project):
    raw = tmp_project / "source_texts" / SEED_ID / "raw.txt"
    raw.write_text(raw.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    env = {"CI": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "noticepub", "build"], cwd=tmp_project,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env})
             for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    check = run_cli(tmp_project, "build", "--check")
    assert check.returncode == 0, check.stdout
    assert not [p for p in tmp_project.iterdir() if p.name.startswith(".docs.")]


def test_oversized_raw_file_is_refused_naming_the_limit(tmp_project):
    big = tmp_project / "source_texts" / "big-page" / "raw.txt"
    big.parent.mkdir()
    big.write_bytes(("民政部开展培训。" * 1000 + "\n").encode() * 850)  # ~20 MB
    before = {rel: (tmp_project / "docs" / rel).read_bytes() for rel in list_tree(tmp_project / "docs")}
    run = run_cli(tmp_project, "build")
    assert run.returncode == 2
    assert "over the limit of 4,000,000 bytes" in run.stderr and "max_raw_bytes" in run.stderr
    assert {rel: (tmp_project / "docs" / rel).read_bytes() for rel in list_tree(tmp_project / "docs")} == before


def test_hostile_slug_cannot_escape_docs(tmp_project):
    (tmp_project / "source_texts" / SEED_ID / "notice.yml").write_text("slugs: {a1: ../../../../tmp/pwned}\n",
                                                                        encoding="utf-8")
    run = run_cli(tmp_project, "build")
    assert run.returncode == 2 and "slugs.a1" in run.stderr
    assert not (tmp_project.parent / "tmp").exists()


# ------------------------------------------------------------------ issue 25: nothing written or deleted through a symlink
def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in list_tree(root)}


def _one_line_error(run: subprocess.CompletedProcess, code: int, *needles: str) -> str:
    assert run.returncode == code, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def docs_built(tmp_path_factory) -> Path:
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("reliab") / "project")
    run = run_cli(project, "build")
    assert run.returncode == 0, run.stderr
    return project


@pytest.fixture()
def project(docs_built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(docs_built, copy, symlinks=True)
    return copy


@pytest.mark.parametrize("target", ["repo", "outside"])
def test_site_symlink_is_refused_and_nothing_is_touched(project, tmp_path, target):
    """`site -> .` deleted the repository (1,243 files to 161); `site -> /some/dir` emptied that folder, exit 0."""
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not part of any site\n", encoding="utf-8")
    (foreign / "index.html").write_text("<p>someone else's page</p>\n", encoding="utf-8")
    os.symlink("." if target == "repo" else foreign, project / "site")
    before, before_foreign = _tree_bytes(project), _tree_bytes(foreign)
    for args in (("site",), ("site", "--clean")):
        line = _one_line_error(run_cli(project, *args), 2, "site", "symbolic link")
        assert str(project / "site") in line
        assert _tree_bytes(project) == before
        assert _tree_bytes(foreign) == before_foreign
    assert os.path.islink(project / "site")


def test_site_that_is_a_file_is_refused(project):
    (project / "site").write_text("a note someone committed\n", encoding="utf-8")
    _one_line_error(run_cli(project, "site"), 2, "site", "is a file")
    assert (project / "site").read_text(encoding="utf-8") == "a note someone committed\n"


@pytest.mark.parametrize("where", [".noticepub-cache/site-build", ".noticepub-cache/site-build/en",
                                   ".noticepub-cache/site-build/en/out"])
def test_symlinked_site_build_folder_is_refused_even_with_clean(project, tmp_path, where):
    """A symlinked `.noticepub-cache/site-build` made `site --clean` delete `<target>/en`, `/zh-Hans`, `/zh-Hant`."""
    foreign = tmp_path / "foreign"
    for sub in ("en", "zh-Hans", "zh-Hant", "out/en", "out/404.html"):
        (foreign / sub).mkdir(parents=True)
        (foreign / sub / "precious.txt").write_text(sub + "\n", encoding="utf-8")
    link = project / where
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(foreign, link)
    before = _tree_bytes(foreign)
    for args in (("site", "--clean"), ("site",)):
        _one_line_error(run_cli(project, *args), 2, where, "symbolic link")
        assert _tree_bytes(foreign) == before


def test_symlink_planted_inside_the_site_build_cache_is_refused(project, tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("x\n", encoding="utf-8")
    out = project / ".noticepub-cache" / "site-build" / "zh-Hant" / "out" / "notices"
    out.mkdir(parents=True)
    os.symlink(foreign, out / "a1")
    _one_line_error(run_cli(project, "site"), 2, "notices/a1", "symbolic link")
    assert _tree_bytes(foreign) == {"precious.txt": b"x\n"}


def test_symlinked_build_cache_is_refused_by_build(project, tmp_path):
    from noticepub.sources import CACHE_VERSION

    cache = project / ".noticepub-cache" / f"v{CACHE_VERSION}"
    foreign = tmp_path / "foreign"
    shutil.move(cache, foreign)
    os.symlink(foreign, cache)
    before = _tree_bytes(foreign)
    raw = project / "source_texts" / SEED_ID / "raw.txt"
    raw.write_bytes(raw.read_bytes() + "补充一句。\n".encode())
    _one_line_error(run_cli(project, "build"), 2, f"v{CACHE_VERSION}", "symbolic link")
    assert _tree_bytes(foreign) == before


@pytest.mark.parametrize("kind", ["folder", "file", "symlink"])
def test_gitignore_ignores_site_and_the_cache_whatever_their_kind(tmp_path, repo_root, kind):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    shutil.copy2(repo_root / ".gitignore", repo / ".gitignore")
    for name in ("site", ".noticepub-cache"):
        if kind == "folder":
            (repo / name).mkdir()
            (repo / name / "index.html").write_text("x", encoding="utf-8")
        elif kind == "file":
            (repo / name).write_text("x", encoding="utf-8")
        else:
            os.symlink(".", repo / name)
    status = subprocess.run([git, "status", "--porcelain", "--untracked-files=all"], cwd=repo, check=True,
                            capture_output=True, text=True).stdout
    assert status.splitlines() == ["?? .gitignore"]


# ------------------------------------------------------------------ issue 25: no code runs from the site build's cache
@pytest.fixture(scope="module")
def site_built(docs_built: Path, tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("reliab-site") / "project"
    shutil.copytree(docs_built, project, symlinks=True)
    run = run_cli(project, "site")
    assert run.returncode == 0, run.stderr
    return project


@pytest.fixture()
def with_site(site_built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(site_built, copy, symlinks=True)
    return copy


class _RunsACommand:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


LANG_FOLDERS = ("zh-Hans", "zh-Hant", "en")


def test_planted_pickle_in_the_site_cache_runs_nothing(with_site, site_built, tmp_path):
    """`site` unpickled `.noticepub-cache/site-build/*/published.pickle`: a planted pickle ran a shell command."""
    import pickle

    marker = tmp_path / "pwned"
    bomb = pickle.dumps(_RunsACommand(marker))
    assert b"system" in bomb
    for lang in LANG_FOLDERS:
        folder = with_site / ".noticepub-cache" / "site-build" / lang
        for name in ("published.pickle", "state.pickle", "manifest.pickle", "state.json", "manifest.json",
                     "summary.json", "published.json"):
            (folder / name).write_bytes(bomb)
    run = run_cli(with_site, "site")
    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert _tree_bytes(with_site / "site") == _tree_bytes(site_built / "site")


def _evil_bytecode(path: Path, marker: Path) -> None:
    """Replace a compiled Jinja template by code that creates ``marker`` when loaded (header kept valid)."""
    import io
    import marshal
    import pickle

    from jinja2.bccache import bc_magic

    data = path.read_bytes()
    if not data.startswith(bc_magic):  # the signed format: one line of signature, then Jinja's bytes
        data = data.partition(b"\n")[2]
    stream = io.BytesIO(data[len(bc_magic):])
    pickle.load(stream)  # the template's checksum
    header = data[:len(bc_magic) + stream.tell()]
    path.write_bytes(header + marshal.dumps(compile(f"open({str(marker)!r}, 'w').close()", "t", "exec")))


def test_cache_restored_from_elsewhere_changes_nothing_and_runs_nothing(with_site, site_built, tmp_path):
    """A cache restored from another machine (CI actions/cache, a forced commit): forged page HTML and
    compiled templates are ignored (state signed with another key); the site equals a clean build."""
    marker = tmp_path / "pwned"
    cache = with_site / ".noticepub-cache" / "site-build"
    forged = 0
    for lang in LANG_FOLDERS:
        for stored in (cache / lang / "contents").iterdir():
            stored.write_text("<p>PLANTED</p>", encoding="utf-8")
            forged += 1
    jinja = list((cache / "jinja").iterdir())
    assert forged and jinja
    for path in jinja:
        _evil_bytecode(path, marker)
    shutil.rmtree(with_site / "site")
    for lang in LANG_FOLDERS:
        shutil.rmtree(cache / lang / "out")  # every page template must be rendered again
    run = run_cli(with_site, "site", env={"XDG_STATE_HOME": str(tmp_path / "another-machine")})
    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert _tree_bytes(with_site / "site") == _tree_bytes(site_built / "site")


def test_stored_page_html_edited_in_place_is_not_reused(with_site, site_built):
    """Same machine, same key: a stored page HTML edited in place with its size and mtime restored is seen
    (its ctime changed) and rendered again."""
    cache = with_site / ".noticepub-cache" / "site-build"
    for lang in LANG_FOLDERS:
        for stored in (cache / lang / "contents").iterdir():
            info = stored.stat()
            data = stored.read_bytes()
            with open(stored, "r+b") as fh:
                fh.write(b"X" * min(len(data), 40))
            os.utime(stored, ns=(info.st_atime_ns, info.st_mtime_ns))
            assert stored.stat().st_size == info.st_size and stored.stat().st_ino == info.st_ino
        shutil.rmtree(cache / lang / "out")
    run = run_cli(with_site, "site")
    assert run.returncode == 0, run.stderr
    assert _tree_bytes(with_site / "site") == _tree_bytes(site_built / "site")


def test_symlink_planted_inside_site_is_never_followed(with_site, site_built, tmp_path):
    """site/ is only ever renamed; when the old site/ becomes the spare tree and is brought up to date, a
    symlink in it is removed, never written through."""
    foreign = tmp_path / "foreign"
    (foreign / "notices").mkdir(parents=True)
    (foreign / "index.html").write_text("someone else's\n", encoding="utf-8")
    before = _tree_bytes(foreign)
    shutil.rmtree(with_site / "site" / "en")
    os.symlink(foreign, with_site / "site" / "en")
    os.symlink(foreign / "index.html", with_site / "site" / "index.html.noticepub-tmp")
    run = run_cli(with_site, "site")  # site/ is repaired: the spare tree now holds the links
    assert run.returncode == 0, run.stderr
    assert _tree_bytes(with_site / "site") == _tree_bytes(site_built / "site")
    meta = with_site / "source_texts" / SEED_ID / "notice.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + "publication: 甲报\n", encoding="utf-8")
    for args in (("build",), ("site",)):  # a change: the spare tree (with the links) is brought up to date
        run = run_cli(with_site, *args)
        assert run.returncode == 0, run.stderr
    assert _tree_bytes(foreign) == before
    assert not any(p.is_symlink() for p in (with_site / "site").rglob("*"))
    clean = tmp_path / "clean"
    shutil.copytree(with_site, clean, symlinks=True, ignore=shutil.ignore_patterns("site", ".noticepub-cache"))
    assert run_cli(clean, "site").returncode == 0
    assert _tree_bytes(with_site / "site") == _tree_bytes(clean / "site")


def test_planted_notice_cache_entry_cannot_change_the_pages(project):
    """The build's per-notice cache (JSON keyed by a hash of public inputs) is signed too: an entry planted
    or restored from elsewhere, with the right key and a forged headline, is ignored and rebuilt."""
    import json

    from noticepub.sources import CACHE_VERSION

    cache = project / ".noticepub-cache" / f"v{CACHE_VERSION}"
    path = cache / f"{SEED_ID}.json"
    data = path.read_bytes()
    if not data.startswith(b"{"):
        data = data.partition(b"\n")[2]  # a cache file from another machine: its signature does not verify here
    title = "民政部开展全国养老机构新冠病毒感染疫情防控培训"
    assert title in data.decode("utf-8")
    entry = json.loads(data.decode("utf-8").replace(title, "伪造的标题"))
    path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    (cache / "index-pages.json").unlink()  # the index pages are made again from every notice's summary
    run = run_cli(project, "build")
    assert run.returncode == 0, run.stderr
    assert not [rel for rel, text in _tree_bytes(project / "docs").items() if "伪造的标题".encode() in text]
    assert run_cli(project, "build", "--check", "--full").returncode == 0


def test_site_edited_in_place_through_its_hard_links_is_repaired(with_site, site_built):
    """site/ holds hard links into the build folders: an in-place edit of a page or of a search index file
    reaches the cached copy too; the next `site` sees it and site/ equals a clean build again."""
    assert run_cli(with_site, "site").returncode == 0  # the copy of the project broke the links: made again
    page = with_site / "site" / "en" / "index.html"
    index_file = next(p for p in sorted((with_site / "site" / "en" / "np-search").rglob("*")) if p.is_file()
                      and p.stat().st_nlink > 1)
    for path in (page, index_file):
        assert path.stat().st_nlink > 1  # shared with the build folder
        with open(path, "ab") as fh:  # in place: the same inode
            fh.write(b"<!-- edited in place -->")
    run = run_cli(with_site, "site")
    assert run.returncode == 0, run.stderr
    assert "site: en built" in run.stderr
    assert _tree_bytes(with_site / "site") == _tree_bytes(site_built / "site")


# ------------------------------------------------------------------ issue 23: the folders a build changed, and the others
def test_build_keeps_the_stamps_of_folders_it_left_and_sees_a_hand_edit_right_after_it(tmp_project, monkeypatch):
    """A build that changed docs/ leaves the folders it did not touch stamped for the next command
    (cache.restamp_docs), so that command lists only the folders the build wrote; those it has just written
    are within the stamp margin and not stamped. A stray file, a deleted page and a page edited in place right
    after the build, in a folder it has just written and in folders it kept stamped, are all seen by the next
    build and repaired or reported; `build --check --full` trusts no stamp."""
    import time

    from noticepub.build import build
    from noticepub.cache import DOCS_STAMPS
    from noticepub.fsutil import STAMP_MARGIN_NS
    from noticepub.settings import load_settings
    from noticepub.site_incremental import read_signed
    from noticepub.sources import CACHE_VERSION

    raw = tmp_project / "source_texts" / SEED_ID / "raw.txt"
    (tmp_project / "source_texts" / "second").mkdir()
    shutil.copy2(raw, tmp_project / "source_texts" / "second" / "raw.txt")
    (tmp_project / "source_texts" / "second" / "notice.yml").write_text("publication: 第二报\n", encoding="utf-8")
    settings = load_settings(tmp_project)
    docs = tmp_project / "docs"
    stamps_path = tmp_project / ".noticepub-cache" / f"v{CACHE_VERSION}" / DOCS_STAMPS
    assert build(settings).written
    time.sleep(STAMP_MARGIN_NS / 1e9 + 0.2)
    assert build(settings).changed == []  # lists every folder once, now old enough: all stamped
    folders = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_dir()} | {""}
    assert set(read_signed(stamps_path)["dirs"]) == folders
    snapshot = _tree_bytes(docs)

    second = tmp_project / "source_texts" / "second" / "raw.txt"
    second.write_text(second.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    report = build(settings)
    touched = {rel.rsplit("/", 1)[0] if "/" in rel else "" for rel in report.written + report.deleted}
    assert report.written and touched < folders
    stamped = set(read_signed(stamps_path)["dirs"])
    assert stamped == folders - touched  # kept where the build did not write; just written: not yet
    want = _tree_bytes(docs)
    import noticepub.fsutil as fsutil

    listed: list[str] = []
    real = fsutil.os.scandir
    monkeypatch.setattr(fsutil.os, "scandir", lambda path=".": listed.append(str(path)) or real(path))
    assert build(settings, check=True).changed == []
    assert {"" if p == str(docs) else os.path.relpath(p, docs) for p in listed if str(docs) in p} == touched
    monkeypatch.undo()

    written = next(rel for rel in report.written if "/notices/" in rel)
    kept = sorted(rel for rel in want if rel.endswith(".md") and rel.rsplit("/", 1)[0] in stamped
                  and "/notices/" in rel)
    assert len(kept) >= 2 and kept[0] in snapshot
    (docs / written).with_name("by-hand.md").write_text("mine", encoding="utf-8")  # right after the build
    (docs / kept[0]).with_name("by-hand.md").write_text("mine", encoding="utf-8")
    (docs / kept[-1]).unlink()
    edited = docs / kept[1]
    with open(edited, "r+b") as fh:  # in place, same size: its folder's stamp stays, its own stat changes
        fh.write(b"X")
    check = build(settings, check=True)
    assert kept[-1] in check.written and kept[1] in check.written
    assert sum("by-hand.md: not written by noticepub" in w for w in check.warnings) == 2
    report = build(settings)
    assert sorted(report.written) == sorted([kept[1], kept[-1]])
    (docs / written).with_name("by-hand.md").unlink()
    (docs / kept[0]).with_name("by-hand.md").unlink()
    assert _tree_bytes(docs) == want
    assert build(settings, check=True, full=True).changed == []
