"""Published URLs never silently disappear (issue 20): the build records every notice's URLs in one list,
source_texts/urls.txt, and, when a notice's pages move, writes the redirects itself and says so."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, SEED_ID, SEED_SLUG, copy_project, run_cli
from noticepub.model import LANG_DIRS

LANG_ROOTS = {lang: f"{folder}/" if folder else "" for lang, folder in LANG_DIRS.items()}


def _record(project, notice_id: str = SEED_ID) -> list[str]:
    """The notice's lines of source_texts/urls.txt, without its id."""
    text = (project / "source_texts" / "urls.txt").read_text(encoding="utf-8")
    return [line.removeprefix(f"{notice_id} ") for line in text.splitlines() if line.startswith(f"{notice_id} ")]


def _answers(project, lang: str, url: str) -> str | None:
    """Where ``url`` (a directory URL under the language root) leads in docs/: "page", a redirect target, or None."""
    docs = project / "docs" / lang
    name = url.rstrip("/")
    if (docs / f"{name}.md").is_file() or (docs / name / "index.md").is_file():
        return "page"
    redirect = docs / url / "index.html"
    if redirect.is_file():
        match = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', redirect.read_text(encoding="utf-8"))
        assert match, redirect.read_text(encoding="utf-8")
        return match.group(1)
    return None


def _now(url: str, slug: str) -> str:
    """Where an old URL of the seed leads under the notice folder ``slug``: the same page; an old bilingual
    page (before the Chinese-English view moved into the article page) to its article, view open."""
    url = url.replace(SEED_SLUG, slug)
    return url.replace("-bilingual/", "/") + "#bilingual" if url.endswith("-bilingual/") else url


def test_changing_a_notice_date_keeps_every_old_url_answering(tmp_project):
    record = _record(tmp_project)  # as committed: the seed's pages under its headline's pinyin
    published = [line.split(" -> ")[0] for line in record]
    assert len(published) == 9 and all(url.startswith(f"notices/{SEED_SLUG}/") for url in published)
    assert sum(url.endswith("-bilingual/") for url in published) == 4  # moved into the article pages
    first = run_cli(tmp_project, "build")
    assert first.returncode == 0, first.stderr
    assert "moved" not in first.stderr and _record(tmp_project) == record
    meta = tmp_project / "source_texts" / SEED_ID / "notice.yml"
    meta.write_text("publication: 中国社会报\ndate: 2023-01-16\npage: 3\n", encoding="utf-8")  # the facts added
    second = run_cli(tmp_project, "build")
    assert second.returncode == 0, second.stderr
    new_slug = "zhong-guo-she-hui-bao-2023-01-16-3"
    moved = [line for line in second.stderr.splitlines() if "moved" in line]
    assert moved == [f"noticepub: source_texts/{SEED_ID}: its pages moved from notices/{SEED_SLUG}/ to "
                     f"notices/{new_slug}/: 5 old URL(s) now redirect to the new pages "  # and the 4 moved before
                     "(recorded in source_texts/urls.txt; commit it)"]
    for lang in LANG_ROOTS:
        for url in published:
            new = _now(url, new_slug)
            assert _answers(tmp_project, lang, new.split("#")[0]) == "page", (lang, new)
            assert _answers(tmp_project, lang, url) == "../" * url.count("/") + new, (lang, url)
    assert sum(" -> " in line for line in _record(tmp_project)) == 9
    site = run_cli(tmp_project, "site")  # and the published site answers at every old URL
    assert site.returncode == 0, site.stderr
    for lang, root in LANG_ROOTS.items():
        for url in published:
            page = tmp_project / "site" / root / url / "index.html"
            assert 'http-equiv="refresh"' in page.read_text(encoding="utf-8"), (lang, url)
            assert (tmp_project / "site" / root / _now(url, new_slug).split("#")[0] / "index.html").is_file()
    # the date corrected: both older URLs lead straight to the current pages (no chains)
    meta.write_text("publication: 中国社会报\ndate: 2023-01-17\npage: 3\n", encoding="utf-8")
    third = run_cli(tmp_project, "build")
    assert f"its pages moved from notices/{new_slug}/ to notices/zhong-guo-she-hui-bao-2023-01-17-3/" in third.stderr
    for url in published:
        # (the bilingual URLs were never published under the second folder)
        for old in (url, *([] if url.endswith("-bilingual/") else [url.replace(SEED_SLUG, new_slug)])):
            for lang in LANG_ROOTS:
                assert _answers(tmp_project, lang, old).endswith(_now(url, new_slug.replace("16", "17")))
    assert sum(" -> " in line for line in _record(tmp_project)) == 9 + 5
    assert run_cli(tmp_project, "build", "--check").returncode == 0  # converged: the record is what was written
    assert "moved" not in run_cli(tmp_project, "build").stderr  # said once


def test_an_article_slug_change_redirects_to_the_same_article(tmp_project):
    assert run_cli(tmp_project, "build").returncode == 0
    meta = tmp_project / "source_texts" / SEED_ID / "notice.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + "slugs: {a2: hebei-migrant-workers}\n", encoding="utf-8")
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    assert "1 published page(s) are gone" in build.stderr  # its bilingual page had moved already
    new = f"notices/{SEED_SLUG}/hebei-migrant-workers"
    assert _answers(tmp_project, "zh-Hans", f"notices/{SEED_SLUG}/a2/") == f"../../../{new}/"  # the same article
    assert _answers(tmp_project, "en", f"notices/{SEED_SLUG}/a2-bilingual/") == f"../../../{new}/#bilingual"
    assert _answers(tmp_project, "en", f"{new}/") == "page"
    # the article's page disappears altogether (a correction joins the page into fewer articles): the notice
    record = (tmp_project / "source_texts" / "urls.txt")
    record.write_text(record.read_text(encoding="utf-8") + f"{SEED_ID} notices/{SEED_SLUG}/a9/\n", encoding="utf-8")
    assert run_cli(tmp_project, "build").returncode == 0
    assert _answers(tmp_project, "en", f"notices/{SEED_SLUG}/a9/") == f"../../../notices/{SEED_SLUG}/"


# ------------------------------------------------------------------ one list for the whole archive (issue 23)
def _list(project):
    return project / "source_texts" / "urls.txt"


def _data_lines(project) -> list[str]:
    return [line for line in _list(project).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def _notices_line(run) -> str:
    return next(line for line in run.stdout.splitlines() if line.strip().startswith("notices"))


def test_the_list_is_sorted_by_notice_then_url_and_a_notice_key_depends_on_its_lines_only(tmp_path):
    project = copy_project(tmp_path / "p", all_notices=True)
    first = run_cli(project, "build")
    assert first.returncode == 0, first.stderr
    text = _list(project).read_text(encoding="utf-8")
    assert "written by `noticepub build`" in text and "merge=union" in text and "run `noticepub build`" in text
    lines = _data_lines(project)
    ids = sorted(p.name for p in (project / "source_texts").iterdir() if (p / "raw.txt").is_file())
    assert [line.split(" ")[0] for line in lines] == sorted(line.split(" ")[0] for line in lines)
    assert sorted({line.split(" ")[0] for line in lines}) == ids and len(ids) == 5
    assert lines == sorted(lines, key=lambda line: tuple(line.split(" ", 1)))
    assert not list((project / "source_texts").glob("*/urls.txt"))  # no file per notice
    # one notice's lines change: only that notice is rebuilt, the others' keys are untouched
    _list(project).write_text(text + f"{SEED_ID} notices/{SEED_SLUG}/a9/\n", encoding="utf-8")
    second = run_cli(project, "build")
    assert second.returncode == 0, second.stderr
    assert "5 (1 rebuilt, 4 from cache)" in _notices_line(second), second.stdout
    assert f"{SEED_ID} notices/{SEED_SLUG}/a9/ -> notices/{SEED_SLUG}/" in _data_lines(project)
    # the same lines in another order (a hand-merged list): no notice rebuilt, but the list is stale
    shuffled = list(reversed(_data_lines(project)))
    _list(project).write_text("\n".join(shuffled) + "\n", encoding="utf-8")
    check = run_cli(project, "build", "--check")
    assert check.returncode == 1 and "5 (0 rebuilt, 5 from cache)" in _notices_line(check), check.stdout
    assert run_cli(project, "build").returncode == 0
    assert sorted(_data_lines(project)) == sorted(shuffled) and run_cli(project, "build", "--check").returncode == 0


def test_build_check_flags_a_stale_list_and_a_deleted_notice_keeps_no_lines(tmp_path):
    import shutil

    project = copy_project(tmp_path / "p", all_notices=True)
    assert run_cli(project, "build").returncode == 0
    before = _data_lines(project)
    gone = "jiangcheng-2025-07-10-p2"
    _list(project).write_text("".join(f"{line}\n" for line in before if not line.startswith(f"{SEED_ID} ")),
                              encoding="utf-8")  # the seed's lines lost (a bad merge)
    check = run_cli(project, "build", "--check")
    assert check.returncode == 1, check.stdout + check.stderr
    # the seed's current pages are recorded again; its redirects of older URLs are history only the list knew
    assert run_cli(project, "build").returncode == 0
    assert _data_lines(project) == [line for line in before if not (line.startswith(f"{SEED_ID} ") and " -> " in line)]
    before = _data_lines(project)
    shutil.rmtree(project / "source_texts" / gone)
    assert run_cli(project, "build", "--check").returncode == 1  # the list still names the deleted notice
    assert run_cli(project, "build").returncode == 0
    assert _data_lines(project) == [line for line in before if not line.startswith(f"{gone} ")]
    assert len(_data_lines(project)) < len(before)


def test_a_symlinked_or_oversized_list_is_refused_in_one_line(tmp_project):
    assert run_cli(tmp_project, "build").returncode == 0
    docs_before = sorted(p.relative_to(tmp_project).as_posix() for p in (tmp_project / "docs").rglob("*"))
    real = tmp_project / "elsewhere.txt"
    real.write_bytes(_list(tmp_project).read_bytes())
    _list(tmp_project).unlink()
    _list(tmp_project).symlink_to(real)
    for command in ("build", "status"):
        run = run_cli(tmp_project, command)
        assert run.returncode == 2, run.stderr
        assert "source_texts/urls.txt: is a symbolic link" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    _list(tmp_project).unlink()
    _list(tmp_project).write_bytes(real.read_bytes())
    settings = tmp_project / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    assert "max_url_list_bytes = 64_000_000" in text
    settings.write_text(text.replace("max_url_list_bytes = 64_000_000", "max_url_list_bytes = 200"), encoding="utf-8")
    run = run_cli(tmp_project, "build")
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "source_texts/urls.txt: is " in run.stderr and "over the limit of 200 bytes (setting max_url_list_bytes" \
        in run.stderr
    assert sorted(p.relative_to(tmp_project).as_posix() for p in (tmp_project / "docs").rglob("*")) == docs_before


@pytest.mark.parametrize("stage", ["swap", "apply", "side"])
def test_the_list_is_written_with_the_pages_and_po_files_or_not_at_all(tmp_project, stage):
    assert run_cli(tmp_project, "build").returncode == 0
    before = _list(tmp_project).read_bytes()
    meta = tmp_project / "source_texts" / SEED_ID / "notice.yml"
    meta.write_text("publication: 中国社会报\ndate: 2023-01-16\npage: 3\n", encoding="utf-8")
    failed = run_cli(tmp_project, "build", env={"NOTICEPUB_FAULT": stage})
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert _list(tmp_project).read_bytes() == before
    assert not (tmp_project / "docs" / "en" / "notices" / "zhong-guo-she-hui-bao-2023-01-16-3").exists()
    assert not list((tmp_project / "source_texts").glob(".urls.txt.tmp-*"))
    done = run_cli(tmp_project, "build")
    assert done.returncode == 0 and "5 old URL(s) now redirect" in done.stderr  # and 4 moved before
    assert sum(" -> " in line for line in _record(tmp_project)) == 9


def test_a_build_killed_after_replacing_the_list_is_rolled_back(tmp_project):
    from noticepub.build import build
    from noticepub.cache import ready_for_site
    from noticepub.settings import load_settings

    assert run_cli(tmp_project, "build").returncode == 0
    before = _list(tmp_project).read_bytes()
    meta = tmp_project / "source_texts" / SEED_ID / "notice.yml"
    meta.write_text("publication: 中国社会报\ndate: 2023-01-16\npage: 3\n", encoding="utf-8")
    report = build(load_settings(tmp_project), check=True)
    assert report.urls_written == ["source_texts/urls.txt"] and not report.po_written  # the list: the last step
    last = len(report.written) + len(report.deleted) + 1
    run = run_cli(tmp_project, "build", env={"NOTICEPUB_KILL_AT": f"apply:{last}"})
    assert run.returncode == -9, run.stderr
    assert _list(tmp_project).read_bytes() != before  # replaced, the journal still there
    ready_for_site(load_settings(tmp_project))  # what `noticepub site` (and `build`) runs first
    assert _list(tmp_project).read_bytes() == before
    assert not list((tmp_project / "source_texts").glob(".urls.txt.tmp-*"))
    assert run_cli(tmp_project, "build").returncode == 0 and _list(tmp_project).read_bytes() != before


def test_per_notice_records_of_earlier_versions_are_folded_in_never_deleted(tmp_project):
    old = tmp_project / "source_texts" / SEED_ID / "urls.txt"
    old.write_text("# the earlier layout\nnotices/an-earlier-slug/a1/\n" + f"notices/{SEED_SLUG}/a1/\n",
                   encoding="utf-8")
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    warning = [line for line in build.stdout.splitlines() + build.stderr.splitlines() if "folded into" in line]
    assert len(warning) == 1 and f"git rm source_texts/{SEED_ID}/urls.txt" in warning[0], warning
    assert old.is_file()  # a maintainer's file: never deleted by the build
    assert f"notices/an-earlier-slug/a1/ -> notices/{SEED_SLUG}/a1/" in _record(tmp_project)
    assert run_cli(tmp_project, "build", "--check").returncode == 0
    old.unlink()  # git rm: the list holds everything it had, nothing to rebuild
    check = run_cli(tmp_project, "build", "--check")
    assert check.returncode == 0 and "folded" not in check.stdout + check.stderr
    assert "(0 rebuilt, 1 from cache)" in _notices_line(check)
    old.write_text("notices/../x/\n", encoding="utf-8")  # still checked like every input
    run = run_cli(tmp_project, "build")
    assert run.returncode == 2 and f"source_texts/{SEED_ID}/urls.txt: line 1: not a notice URL" in run.stderr


def _git(repo, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout


def test_adding_a_notice_grows_git_by_at_most_three_files(tmp_path):
    """Issue 23: git grows with the inputs only (raw.txt, notice.yml, en.po); the URL list is modified."""
    import shutil

    project = copy_project(tmp_path / "p")
    shutil.copy2(REPO / ".gitignore", project / ".gitignore")
    _git(project, "init", "-q")
    assert run_cli(project, "build").returncode == 0
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "seed")
    before = set(_git(project, "ls-files").splitlines())
    for n, name in enumerate(("added-2024-01-01", "added-2024-01-08")):
        folder = project / "source_texts" / name
        folder.mkdir()
        shutil.copy2(REPO / "source_texts" / "jiangcheng-2025-07-03-p3" / "raw.txt", folder / "raw.txt")
        (folder / "notice.yml").write_text(f"publication: 江城报\ndate: 2024-01-0{1 + 7 * n}\npage: 3\n",
                                           encoding="utf-8")
    build = run_cli(project, "build")
    assert build.returncode == 0, build.stderr
    _git(project, "add", "-A")
    status = dict(line.split("\t")[::-1] for line in _git(project, "diff", "--cached", "--name-status").splitlines())
    after = set(_git(project, "ls-files").splitlines())
    added = sorted(after - before)
    assert added == sorted(f"source_texts/{name}/{file}" for name in ("added-2024-01-01", "added-2024-01-08")
                           for file in ("en.po", "notice.yml", "raw.txt")), added
    assert len(after) - len(before) <= 3 * 2
    assert status["source_texts/urls.txt"] == "M"  # the one list grew by the new notices' lines
    lines = _data_lines(project)
    assert sum(line.startswith("added-2024-01-01 notices/jiang-cheng-bao-2024-01-01-3/") for line in lines) >= 3
    assert not any(path.startswith(("docs/", "site/", ".noticepub")) for path in after)


def test_two_branches_adding_notices_merge_without_a_conflict_in_the_list(tmp_path):
    """.gitattributes merges source_texts/urls.txt by union: both sides' lines kept; the build puts them in order."""
    import shutil

    project = copy_project(tmp_path / "p")
    for name in (".gitignore", ".gitattributes"):
        shutil.copy2(REPO / name, project / name)
    _git(project, "init", "-q", "-b", "main")
    assert run_cli(project, "build").returncode == 0
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "seed")
    sides: set[str] = set()
    for branch, day in (("a", "01"), ("b", "08")):
        _git(project, "checkout", "-q", "-b", branch, "main")
        folder = project / "source_texts" / f"added-2024-01-{day}"
        folder.mkdir()
        shutil.copy2(REPO / "source_texts" / "jiangcheng-2025-07-03-p3" / "raw.txt", folder / "raw.txt")
        (folder / "notice.yml").write_text(f"publication: 江城报\ndate: 2024-01-{day}\npage: 3\n", encoding="utf-8")
        assert run_cli(project, "build").returncode == 0
        _git(project, "add", "-A")
        _git(project, "commit", "-qm", f"add {folder.name}")
        sides |= set(_data_lines(project))
    _git(project, "checkout", "-q", "a")
    _git(project, "merge", "-q", "--no-edit", "b")  # check=True: a conflict fails here
    ids = {line.split(" ")[0] for line in _data_lines(project)}
    assert ids == {SEED_ID, "added-2024-01-01", "added-2024-01-08"}
    assert run_cli(project, "build").returncode == 0
    assert _data_lines(project) == sorted(sides, key=lambda line: tuple(line.split(" ", 1)))  # both, in order
    assert run_cli(project, "build", "--check").returncode == 0
