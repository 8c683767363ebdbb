"""Published URLs never silently disappear (issue 20): the build records every notice's URLs in one list,
source_texts/urls.txt, and, when a notice's pages move, writes the redirects itself and says so."""

from __future__ import annotations

import re

from conftest import SEED_ID, SEED_SLUG, run_cli
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
                     "(recorded in source_texts/urls.txt; commit it)"]
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
    record = (tmp_project / "source_texts" / "urls.txt")
    record.write_text(record.read_text(encoding="utf-8") + f"{SEED_ID} notices/{SEED_SLUG}/a9/\n", encoding="utf-8")
    assert run_cli(tmp_project, "build").returncode == 0
    assert _answers(tmp_project, "en", f"notices/{SEED_SLUG}/a9/") == f"../../../notices/{SEED_SLUG}/"
