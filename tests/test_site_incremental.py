"""The incremental site build equals a clean build, byte for byte, after any sequence of edits.

A fixed-seed random sequence of edits (add, change and delete a notice, edit a PO entry, change the
glossary, change a template) is applied to a small project; after each one `noticepub build` and an
incremental `noticepub site` run, and site/ is compared with a clean build of the same docs/ in a
second project. The progress lines prove the build was incremental where it could be.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import replace
from pathlib import Path

import polib
import pytest

from conftest import SEED_RAW, copy_project, run_cli
from layoutgen import set_page
from noticepub.ingest import read_raw
from noticepub.parse import parse_page

EDITS = ("add", "change", "delete", "po", "glossary", "template")
LINE = re.compile(r"^site: (\S+) (?:built in [\d.]+ s \((\d+) pages: (\d+) rendered, (\d+) reused|unchanged)", re.M)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _progress(stderr: str) -> dict[str, tuple[int, int] | None]:
    """lang -> (rendered, reused), or None when the language was skipped as unchanged."""
    return {m[1]: (int(m[3]), int(m[4])) if m[2] else None for m in LINE.finditer(stderr)}


def _pages(project: Path) -> dict[str, bytes]:
    """The Markdown pages of docs/ (lang/path -> bytes): what MkDocs renders."""
    return {p.relative_to(project / "docs").as_posix(): p.read_bytes() for p in sorted((project / "docs").rglob("*.md"))}


class Project:
    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.articles = list(parse_page(read_raw(SEED_RAW, 10_000_000), "seed").articles)
        self.added = 0

    def notices(self) -> list[Path]:
        return sorted(p for p in (self.root / "source_texts").iterdir() if (p / "raw.txt").is_file())

    def add(self) -> str:
        self.added += 1
        rng = random.Random(self.rng.random())
        chosen = rng.sample(self.articles, k=2)
        varied = [replace(a, id=f"a{n + 1}", title=f"{a.title}（增{self.added}）") for n, a in enumerate(chosen)]
        folder = self.root / "source_texts" / f"added-{self.added}"
        folder.mkdir()
        (folder / "raw.txt").write_text(set_page(varied, rng, width=14), encoding="utf-8")
        (folder / "notice.yml").write_text(f"date: 2024-02-{10 + self.added:02d}\ntags: [测试]\n", encoding="utf-8")
        return folder.name

    def change(self) -> str:
        folder = self.rng.choice(self.notices())
        with (folder / "raw.txt").open("a", encoding="utf-8") as fh:
            fh.write(f"\n补记：第{self.rng.randint(1, 999)}次更新说明，养老服务继续推进。\n")
        return folder.name

    def delete(self) -> str:
        candidates = self.notices()[1:] or self.notices()  # keep at least one notice
        folder = self.rng.choice(candidates)
        if len(self.notices()) == 1:
            return self.add()
        shutil.rmtree(folder)
        return folder.name

    def po(self) -> str:
        folder = self.rng.choice(self.notices())
        po = polib.pofile(str(folder / "en.po"))
        entry = self.rng.choice([e for e in po if e.msgid])
        entry.msgstr = f"Reviewed sentence number {self.rng.randint(1, 999)}."
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        po.save(str(folder / "en.po"))
        return folder.name

    def glossary(self) -> str:
        path = self.root / "source_texts" / "glossary.yml"
        text = path.read_text(encoding="utf-8")
        n = self.rng.randint(1, 999)
        path.write_text(text.replace("terms:\n", f"terms:\n  - {{zh: 测试术语{n}, en: test term {n}}}\n", 1),
                        encoding="utf-8")
        return "glossary"

    def template(self) -> str:
        path = self.root / "overrides" / "main.html"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('<meta charset="utf-8">',
                                     f'<meta charset="utf-8">\n  <meta name="x-edit" content="{self.rng.randint(1, 999)}">',
                                     1), encoding="utf-8")
        return "main.html"


def _clean_copy(project: Path, clean: Path) -> Path:
    """The same inputs and docs/ in the second project (its caches survive; its site build does not)."""
    for name in ("docs", "source_texts", "overrides", "config"):
        shutil.rmtree(clean / name, ignore_errors=True)
        shutil.copytree(project / name, clean / name)
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(project / name, clean / name)
    return clean


@pytest.mark.timeout(900)
def test_random_edits_keep_incremental_site_equal_to_clean(tmp_path):
    project = copy_project(tmp_path / "project")
    clean = copy_project(tmp_path / "clean")
    rng = random.Random(20261129)
    edits = Project(project, rng)
    edits.add()
    edits.add()
    assert run_cli(project, "build").returncode == 0
    first = run_cli(project, "site")
    assert first.returncode == 0, first.stderr
    assert set(_progress(first.stderr)) == {"zh-Hans", "zh-Hant", "en"}

    again = run_cli(project, "site")  # nothing changed: MkDocs is not even started
    assert again.returncode == 0, again.stderr
    assert _progress(again.stderr) == {"zh-Hans": None, "zh-Hant": None, "en": None}

    sequence = list(EDITS) + [rng.choice(("add", "change", "po")) for _ in range(2)]
    rng.shuffle(sequence)
    for kind in sequence:
        before = _pages(project)
        what = getattr(edits, kind)()
        build = run_cli(project, "build")
        assert build.returncode == 0, (kind, build.stderr)
        inc = run_cli(project, "site")
        assert inc.returncode == 0, (kind, inc.stderr)
        progress = _progress(inc.stderr)
        if kind in ("change", "po"):  # one notice's pages and the lists holding it: only those are rendered
            after = _pages(project)
            for lang, counts in progress.items():
                changed = {k for k in before.keys() | after.keys()
                           if k.startswith(f"{lang}/") and before.get(k) != after.get(k)}
                assert counts is None or (counts[1] > 0 and counts[0] <= len(changed)), (kind, lang, inc.stderr)
        if kind == "po":
            assert progress["en"] is not None, inc.stderr
        if kind == "template":  # every page embeds the template: nothing may be reused
            assert all(v is not None and v[1] == 0 for v in progress.values()), inc.stderr
        ref = run_cli(_clean_copy(project, clean), "site", "--clean")
        assert ref.returncode == 0, (kind, ref.stderr)
        assert all(v is not None and v[1] == 0 for v in _progress(ref.stderr).values()), ref.stderr
        got, want = _tree(project / "site"), _tree(clean / "site")
        assert got.keys() == want.keys(), (kind, what, sorted(got.keys() ^ want.keys())[:10])
        differ = [name for name in want if got[name] != want[name]]
        assert not differ, (kind, what, differ[:10])


def test_damaged_site_and_build_folder_are_repaired(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    assert run_cli(project, "site").returncode == 0
    want = _tree(project / "site")
    page = next((project / "site" / "en" / "notices").rglob("index.html"))
    page.write_bytes(b"edited by hand")
    (project / "site" / "stray.html").write_bytes(b"left over")
    built = next((project / ".noticepub-cache" / "site-build" / "zh-Hant" / "out" / "notices").rglob("index.html"))
    built.write_bytes(b"damaged")
    run = run_cli(project, "site")
    assert run.returncode == 0, run.stderr
    assert _tree(project / "site") == want
    # the stored HTML of half the pages gone, and the navigation changed (a nav page's title, by hand), so
    # every page's template is rendered again with its stored HTML: the pages whose HTML is gone are
    # converted from Markdown again, and the site is what a clean build makes of the same docs/
    contents = project / ".noticepub-cache" / "site-build" / "zh-Hans" / "contents"
    for stored in sorted(contents.iterdir())[::2]:
        stored.unlink()
    archive = project / "docs" / "zh-Hans" / "archive" / "index.md"
    archive.write_text(re.sub(r"(?m)^title: .*$", "title: 全部通知（改）", archive.read_text(encoding="utf-8"), count=1),
                       encoding="utf-8")
    shutil.copytree(project, tmp_path / "clean", ignore=shutil.ignore_patterns(".noticepub-cache", "site"))
    for root in (project, tmp_path / "clean"):
        run = run_cli(root, "site")
        assert run.returncode == 0, run.stderr
    assert "全部通知（改）" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert _tree(project / "site") == _tree(tmp_path / "clean" / "site")


def test_folders_checked_by_their_stamps_still_show_every_change(tmp_path):
    """Once their folders are old enough to be stamped (fsutil.walk_stamped), a nothing-changed `site` lists
    no folder of site/ or of the build folders' output trees: it stats the files by name. A stray file or
    folder, a deleted page or a page edited in place in site/, a stray file in an output tree and a symlink
    planted there are still seen: site/ is repaired to what a clean build makes, the symlink refused."""
    import os
    import time

    from noticepub.fsutil import STAMP_MARGIN_NS
    from noticepub.site import BUILD_DIR, OUT_STAMPS
    from noticepub.site_incremental import read_signed

    project = copy_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    assert run_cli(project, "site").returncode == 0
    site, build_dir = project / "site", project / BUILD_DIR

    def settle() -> None:
        """Let every folder age past the stamp margin; a nothing-changed `site` then records its stamps."""
        time.sleep(STAMP_MARGIN_NS / 1e9 + 0.2)
        run = run_cli(project, "site")
        assert run.returncode == 0, run.stderr
        assert _progress(run.stderr) == {"zh-Hans": None, "zh-Hant": None, "en": None}, run.stderr

    settle()
    folders = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()} | {"."}
    stamped = {rel or "." for rel in read_signed(build_dir / "published.json")["dirs"]}
    assert stamped == folders  # every folder of site/ is checked by its stamp from now on
    out = build_dir / "zh-Hant" / "out"
    assert set(read_signed(build_dir / "zh-Hant" / OUT_STAMPS)["dirs"]) - {""} == \
        {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()}
    want = _tree(site)
    pages = sorted((site / "en" / "notices").rglob("index.html"))
    (pages[0].parent / "stray.html").write_bytes(b"left over")
    (pages[1].parent / "stray-folder").mkdir()
    (pages[1].parent / "stray-folder" / "index.html").write_bytes(b"left over")
    pages[2].unlink()
    hant = next((site / "zh-Hant" / "notices").rglob("index.html"))
    with open(hant, "r+b") as fh:  # in place: the build folder's file too (one inode), same size
        fh.write(b"X" * 20)
    run = run_cli(project, "site")
    assert run.returncode == 0, run.stderr
    assert _progress(run.stderr)["zh-Hant"] is not None, run.stderr  # its damaged output tree was rebuilt
    assert _tree(site) == want
    settle()
    stray = next(out.rglob("index.html")).parent / "stray.html"
    stray.write_bytes(b"not built by MkDocs")
    run = run_cli(project, "site")
    assert run.returncode == 0, run.stderr
    assert _progress(run.stderr)["zh-Hant"] is not None and not stray.exists(), run.stderr
    assert _tree(site) == want
    settle()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    os.symlink(foreign, next(out.rglob("index.html")).parent / "link")
    run = run_cli(project, "site")
    assert run.returncode == 2 and "symbolic link" in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert _tree(site) == want and not any(foreign.iterdir())


def test_failed_build_leaves_site_as_it_was(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    assert run_cli(project, "site").returncode == 0
    want = _tree(project / "site")
    index = project / "docs" / "en" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n[broken](missing-page.md)\n", encoding="utf-8")
    run = run_cli(project, "site")
    assert run.returncode != 0
    assert "missing-page.md" in run.stderr and "Traceback" not in run.stderr
    assert _tree(project / "site") == want
    again = run_cli(project, "site")  # the warning is replayed, not forgotten, by the next build
    assert again.returncode != 0 and "missing-page.md" in again.stderr


def test_site_key_covers_the_code_the_worker_runs_and_the_worker_checks_it(monkeypatch):
    """Only the worker's own modules are the code version of the site build (the rest of noticepub reaches
    the site through docs/); a worker that imports any other noticepub module fails instead of reusing."""
    import sys

    from noticepub import site_incremental as si

    assert [p.name for p in si.worker_code()] == ["__init__.py", "site_incremental.py"]
    assert all(p.is_file() for p in si.worker_code())
    monkeypatch.setitem(sys.modules, "noticepub.render", sys.modules.get("noticepub.render") or object())
    with pytest.raises(RuntimeError, match="noticepub.render"):
        si.check_worker_modules()


def test_state_keeps_front_matter_and_tables_of_contents_exactly_without_pickle():
    """The memos are JSON now (issue 25: no pickle in the cache): front matter comes back with the same
    types YAML's safe loader made (dates, datetimes with a zone, int keys), and a table of contents with
    every attribute; values JSON cannot keep exactly are not memoized at all."""
    import datetime

    import yaml
    from mkdocs.structure.toc import get_toc

    from noticepub.site_incremental import (
        from_tagged,
        signed_dumps,
        signed_loads,
        to_tagged,
        toc_from_json,
        toc_to_json,
    )

    meta = yaml.safe_load("date: 2023-01-16\nat: 2023-01-16 08:30:00+08:00\nn: {1: one, 2.5: [x, null, true]}\n"
                          "title: 「标题」\nempty: {}\n")
    back = from_tagged(signed_loads(signed_dumps(to_tagged(meta))))
    assert back == meta and list(back) == list(meta)
    assert type(back["date"]) is datetime.date and back["at"].utcoffset() == datetime.timedelta(hours=8)
    assert list(back["n"]) == [1, 2.5]
    with pytest.raises(TypeError):
        to_tagged({"s": {1, 2}})  # a YAML !!set: parsed again each time instead
    toc = get_toc([{"level": 1, "id": "a", "name": "A", "children": [
        {"level": 2, "id": "b", "name": "B <em>x</em>", "children": []}]}])
    again = toc_from_json(signed_loads(signed_dumps(toc_to_json(toc))))
    assert [(x.title, x.id, x.level, x.url, getattr(x, "active", None)) for x in again] == \
        [(x.title, x.id, x.level, x.url, getattr(x, "active", None)) for x in toc]
    assert again.items[0].children[0].title == "B <em>x</em>" and str(again) == str(toc)
    with pytest.raises(ValueError):
        signed_loads(signed_dumps({"a": 1}).replace(b'"a"', b'"b"'))  # changed after signing


def test_unchanged_sources_are_not_read_and_a_hand_edit_that_keeps_size_and_mtime_is_seen(tmp_path):
    """A Markdown file the last build saw (same size, mtime, ctime and inode) is not read again: its front
    matter and rendering come from the memos. An edit that keeps the file's size and mtime still changes its
    ctime: that page is read and rendered again, and the site is what a clean build makes of it."""
    import os

    from noticepub.site_incremental import LangDir

    project = copy_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    assert run_cli(project, "site").returncode == 0
    folder = LangDir(project / ".noticepub-cache" / "site-build" / "zh-Hans")
    page = next((project / "docs" / "zh-Hans" / "notices").rglob("a1.md"))
    text = page.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    word = re.search(r"[\u4e00-\u9fff]{2}", body)[0]
    edited = head + "\n---\n" + body.replace(word, "测试" if word != "测试" else "试测", 1)
    assert len(edited.encode()) == len(text.encode())
    before = page.stat()
    page.write_text(edited, encoding="utf-8")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert page.stat().st_size == before.st_size and page.stat().st_mtime_ns == before.st_mtime_ns
    run = run_cli(project, "site")
    assert run.returncode == 0, run.stderr
    summary = folder.read_summary()
    assert summary["markdown_rendered"] >= 1 and summary["sources_reused"] == summary["pages"] - 1, summary
    shutil.copytree(project, tmp_path / "clean", ignore=shutil.ignore_patterns(".noticepub-cache", "site"))
    assert run_cli(tmp_path / "clean", "site").returncode == 0
    assert _tree(project / "site") == _tree(tmp_path / "clean" / "site")
    again = run_cli(project, "site", "--no-strict")  # nothing changed since: no page is read or rendered
    assert again.returncode == 0, again.stderr


def test_front_matter_memo_is_json_text_when_json_keeps_it_exactly():
    """Plain front matter (string keys, no dates) is kept as JSON text and read back equal, in order and
    with the same types; anything else keeps the tagged form."""
    import datetime

    from noticepub.site_incremental import meta_from_state, meta_to_state

    plain = {"title": "「标题」", "n": 1, "x": 2.5, "ok": True, "none": None, "alternates": [{"lang": "en", "url": "/en/"}],
             "search": {"exclude": True}}
    kept = meta_to_state(plain)
    assert isinstance(kept, str)
    back = meta_from_state(kept)
    assert back == plain and list(back) == list(plain) and type(back["ok"]) is bool and type(back["x"]) is float
    dated = {"date": datetime.date(2023, 1, 16), "n": {1: "one"}}
    kept = meta_to_state(dated)
    assert not isinstance(kept, str)
    back = meta_from_state(kept)
    assert back == dated and type(back["date"]) is datetime.date and list(back["n"]) == [1]


def test_worker_refuses_a_symlink_in_its_output_tree_before_changing_anything(tmp_path, capsys):
    """The worker walks its output tree before it removes its state or writes anything; a symlink there is
    reported on one SYMLINK line (exit 4) that `noticepub site` turns into its configuration error."""
    import json

    from noticepub import site_incremental as si

    folder = tmp_path / "zh-Hans"
    (folder / "out" / "notices").mkdir(parents=True)
    (folder / "state.json").write_bytes(b"kept")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (folder / "out" / "notices" / "a1").symlink_to(foreign)
    code = si.main(["--root", str(tmp_path), "--config", str(tmp_path / "mkdocs.yml"), "--dir", str(folder),
                    "--key", "k", "--fingerprint", "f"])
    err = capsys.readouterr().err
    assert code == 4, err
    line = next(line for line in err.splitlines() if line.startswith("SYMLINK "))
    assert json.loads(line[len("SYMLINK "):]) == str(folder / "out" / "notices" / "a1")
    assert (folder / "state.json").read_bytes() == b"kept" and not any(foreign.iterdir())
