"""Published URLs never silently disappear (issue 20): the build records each notice's URLs in
source_texts/<id>/urls.txt and, when a notice's pages move, writes the redirects itself and says so."""

from __future__ import annotations

import re

from conftest import SEED_ID, SEED_SLUG, run_cli
from noticepub.model import LANG_DIRS

LANG_ROOTS = {lang: f"{folder}/" if folder else "" for lang, folder in LANG_DIRS.items()}


def _record(project) -> list[str]:
    text = (project / "source_texts" / SEED_ID / "urls.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


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


def test_changing_a_notice_date_keeps_every_old_url_answering(tmp_project):
    published = _record(tmp_project)  # as committed: the seed's pages under its headline's pinyin
    assert len(published) == 9 and all(url.startswith(f"notices/{SEED_SLUG}/") for url in published)
    first = run_cli(tmp_project, "build")
    assert first.returncode == 0, first.stderr
    assert "moved" not in first.stderr and _record(tmp_project) == published
    meta = tmp_project / "source_texts" / SEED_ID / "notice.yml"
    meta.write_text("publication: 中国社会报\ndate: 2023-01-16\npage: 3\n", encoding="utf-8")  # the facts added
    second = run_cli(tmp_project, "build")
    assert second.returncode == 0, second.stderr
    new_slug = "zhong-guo-she-hui-bao-2023-01-16-3"
    moved = [line for line in second.stderr.splitlines() if "moved" in line]
    assert moved == [f"noticepub: source_texts/{SEED_ID}: its pages moved from notices/{SEED_SLUG}/ to "
                     f"notices/{new_slug}/: 9 old URL(s) now redirect to the new pages "
                     f"(recorded in source_texts/{SEED_ID}/urls.txt; commit it with docs/)"]
    for lang in LANG_ROOTS:
        for url in published:
            new = url.replace(SEED_SLUG, new_slug)
            assert _answers(tmp_project, lang, new) == "page", (lang, new)
            assert _answers(tmp_project, lang, url) == "../" * url.count("/") + new, (lang, url)
    assert sum(" -> " in line for line in _record(tmp_project)) == 9
    site = run_cli(tmp_project, "site")  # and the published site answers at every old URL
    assert site.returncode == 0, site.stderr
    for lang, root in LANG_ROOTS.items():
        for url in published:
            page = tmp_project / "site" / root / url / "index.html"
            assert 'http-equiv="refresh"' in page.read_text(encoding="utf-8"), (lang, url)
            assert (tmp_project / "site" / root / url.replace(SEED_SLUG, new_slug) / "index.html").is_file()
    # the date corrected: both older URLs lead straight to the current pages (no chains)
    meta.write_text("publication: 中国社会报\ndate: 2023-01-17\npage: 3\n", encoding="utf-8")
    third = run_cli(tmp_project, "build")
    assert f"its pages moved from notices/{new_slug}/ to notices/zhong-guo-she-hui-bao-2023-01-17-3/" in third.stderr
    for url in published:
        for old in (url, url.replace(SEED_SLUG, new_slug)):
            for lang in LANG_ROOTS:
                assert _answers(tmp_project, lang, old).endswith(url.replace(SEED_SLUG, new_slug.replace("16", "17")))
    assert sum(" -> " in line for line in _record(tmp_project)) == 18
    assert run_cli(tmp_project, "build", "--check").returncode == 0  # converged: the record is what was written
    assert "moved" not in run_cli(tmp_project, "build").stderr  # said once


def test_an_article_slug_change_redirects_to_the_same_article(tmp_project):
    assert run_cli(tmp_project, "build").returncode == 0
    meta = tmp_project / "source_texts" / SEED_ID / "notice.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + "slugs: {a2: hebei-migrant-workers}\n", encoding="utf-8")
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    assert "2 published page(s) are gone" in build.stderr
    new = f"notices/{SEED_SLUG}/hebei-migrant-workers"
    assert _answers(tmp_project, "zh-Hans", f"notices/{SEED_SLUG}/a2/") == f"../../../{new}/"  # the same article
    assert _answers(tmp_project, "en", f"notices/{SEED_SLUG}/a2-bilingual/") == f"../../../{new}-bilingual/"
    assert _answers(tmp_project, "en", f"{new}/") == "page"
    # the article's page disappears altogether (a correction joins the page into fewer articles): the notice
    record = (tmp_project / "source_texts" / SEED_ID / "urls.txt")
    record.write_text(record.read_text(encoding="utf-8") + f"notices/{SEED_SLUG}/a9/\n", encoding="utf-8")
    assert run_cli(tmp_project, "build").returncode == 0
    assert _answers(tmp_project, "en", f"notices/{SEED_SLUG}/a9/") == f"../../../notices/{SEED_SLUG}/"


def test_the_record_is_checked_like_every_input(tmp_project):
    record = tmp_project / "source_texts" / SEED_ID / "urls.txt"
    for line in ("notices/../../site/", "notices/JAVASCRIPT:alert(1)/", f"notices/{'x' * 101}/", "tags/x/",
                 f"notices/{SEED_SLUG}/ -> ../../etc/"):
        record.write_text(f"{line}\n", encoding="utf-8")
        for command in ("build", "status"):
            run = run_cli(tmp_project, command)
            assert run.returncode == 2, (line, run.stderr)
            assert f"source_texts/{SEED_ID}/urls.txt: line 1: not a notice URL" in run.stderr
            assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_project / "docs").exists()


def _add_notice(project, name: str, tags: str, date: str) -> None:
    folder = project / "source_texts" / name
    folder.mkdir()
    folder.joinpath("raw.txt").write_bytes((project / "source_texts" / SEED_ID / "raw.txt").read_bytes())
    folder.joinpath("notice.yml").write_text(f"date: {date}\ntags: [{tags}]\n", encoding="utf-8")


def _tag_page_title(project, slug: str) -> str:
    text = (project / "docs" / "zh-Hans" / "tags" / f"{slug}.md").read_text(encoding="utf-8")
    return re.search(r"^title: (.+)$", text, flags=re.M).group(1)


def _tag_links(project, notice_slug: str) -> set[str]:
    """The tag pages the article pages of a notice link to."""
    pages = sorted((project / "docs" / "zh-Hans" / "notices" / notice_slug).glob("a[0-9].md"))
    assert pages
    return {slug for page in pages
            for slug in re.findall(r"\]\(\.\./\.\./tags/([a-z0-9-]+)\.md\)", page.read_text(encoding="utf-8"))}


def test_a_new_tag_never_takes_an_old_tags_url(tmp_project):
    """Adding 岷生 moved the published tags/min-sheng/ (民生) to min-sheng-2."""
    _add_notice(tmp_project, "page-b", "民生", "2023-02-01")
    assert run_cli(tmp_project, "build").returncode == 0
    assert "民生" in _tag_page_title(tmp_project, "min-sheng")
    assert "min-sheng 民生" in (tmp_project / "source_texts" / "tag-urls.txt").read_text(encoding="utf-8")
    _add_notice(tmp_project, "page-a", "岷生", "2023-01-01")  # sorts first, and its notice too
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    record = (tmp_project / "source_texts" / "tag-urls.txt").read_text(encoding="utf-8")
    new = re.search(r"^(min-sheng-[0-9a-f]{6}) 岷生$", record, flags=re.M).group(1)
    assert "民生" in _tag_page_title(tmp_project, "min-sheng") and "岷生" in _tag_page_title(tmp_project, new)
    assert new in _tag_links(tmp_project, "2023-01-01-min-zheng-bu-kai-zhan-quan-guo")
    assert "min-sheng" in _tag_links(tmp_project, "2023-02-01-min-zheng-bu-kai-zhan-quan-guo")
    assert run_cli(tmp_project, "build", "--check").returncode == 0
    # the tag that held the name disappears: its name stays reserved, the new tag keeps its own
    (tmp_project / "source_texts" / "page-b" / "notice.yml").write_text("date: 2023-02-01\n", encoding="utf-8")
    assert run_cli(tmp_project, "build").returncode == 0
    assert "岷生" in _tag_page_title(tmp_project, new)
    assert not (tmp_project / "docs" / "zh-Hans" / "tags" / "min-sheng.md").exists()


def test_two_new_tags_with_one_name_converge_in_one_more_build(tmp_project):
    _add_notice(tmp_project, "page-a", "岷生", "2023-01-01")
    _add_notice(tmp_project, "page-b", "民生", "2023-02-01")
    assert run_cli(tmp_project, "build").returncode == 0
    record = (tmp_project / "source_texts" / "tag-urls.txt").read_text(encoding="utf-8")
    assert "\nmin-sheng 岷生\n" in record and re.search(r"^min-sheng-[0-9a-f]{6} 民生$", record, flags=re.M)
    assert run_cli(tmp_project, "build").returncode == 0
    assert run_cli(tmp_project, "build", "--check").returncode == 0
    slug = re.search(r"^(min-sheng-[0-9a-f]{6}) 民生$", record, flags=re.M).group(1)
    assert _tag_links(tmp_project, "2023-02-01-min-zheng-bu-kai-zhan-quan-guo") >= {slug}
    assert "民生" in _tag_page_title(tmp_project, slug)


def test_a_record_cannot_make_the_build_write_without_bound(tmp_project):
    record = tmp_project / "source_texts" / SEED_ID / "urls.txt"
    record.write_text("".join(f"notices/old-{n}/\n" for n in range(5001)), encoding="utf-8")
    run = run_cli(tmp_project, "build")
    assert run.returncode == 2 and "lists more than 5,000 URLs" in run.stderr, run.stderr
    record.write_text("".join(f"notices/old-{n}/\n" for n in range(50)), encoding="utf-8")
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    line = next(line for line in build.stderr.splitlines() if "moved from" in line)
    assert "notices/old-0/, notices/old-1/, notices/old-10/ and 47 more to" in line and len(line) < 400
    assert (tmp_project / "docs" / "en" / "notices" / "old-49" / "index.html").is_file()

