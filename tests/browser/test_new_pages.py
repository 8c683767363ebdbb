"""Pages a maintainer adds that look nothing like the seed, read on the built site in three languages.

The held-out pages (tests/holdout/) carry running headers, staff lines, captions, jump lines, a
headline printed in place with a subtitle, sub-headings and an article continued from another page.
They are added as new notices exactly as the README says (a folder with raw.txt and notice.yml), built,
and read in Chromium: what a reader sees must be the articles, never the page furniture, ids or paths.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from browser.test_browser import Watched, browser, static_server  # noqa: F401  (browser: a fixture)
from conftest import REPO, built_site, copy_project

pytestmark = pytest.mark.browser
HOLDOUT = REPO / "tests" / "holdout"
NOTICE = {"publication": "中国社会报", "date": "2026-01-08", "page": "3"}
FURNITURE = ("本版编辑", "校对", "星期四", "上接第一版", "下转第四版", "本报记者李华摄", "李华 摄", "— 3 —")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("newpages") / "project")
    folder = project / "source_texts" / "shehuibao-2026-01-08-p3"
    folder.mkdir()
    shutil.copy2(HOLDOUT / "page2.txt", folder / "raw.txt")
    (folder / "notice.yml").write_text(yaml.safe_dump(NOTICE, allow_unicode=True), encoding="utf-8")
    return built_site(project)


@pytest.fixture(scope="module")
def server(project):
    with static_server(project / "site") as base:
        yield base


def _notice_dir(project: Path) -> str:
    """The notice's readable folder (its old id URL is a redirect page)."""
    [folder] = [p.parent.name for p in (project / "docs" / "zh-Hans" / "notices").glob("*/index.md")
                if "2026-01-08" in p.parent.name]
    return folder


def test_no_furniture_on_any_page(project):
    for page in (project / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", "", html)
        assert not [f for f in FURNITURE if f in text], page


@pytest.mark.parametrize(("prefix", "continued", "subheading"), [
    ("", "接上页", "加强排查走访"), ("zh-Hant/", "接上頁", "加強排查走訪"), ("en/", "Continued", None)])
@pytest.mark.parametrize("width", [375, 1280])
def test_articles_read_right_in_each_language(browser, server, project, prefix, continued, subheading, width):  # noqa: F811
    notice = _notice_dir(project)
    w = Watched(browser, server, width=width)
    w.page.goto(f"{server}/{prefix}notices/{notice}/")
    body = w.page.locator("article").inner_text()
    assert continued in body  # the continued article is labelled, never "(untitled)"
    assert "untitled" not in body.lower() and "无标题" not in body
    links = w.page.locator("article a[href*='/a'], article a[href^='a']").count()
    assert links >= 3  # three articles: continued, in-place headline with sub-headings, the one cut by a jump line
    w.page.goto(f"{server}/{prefix}notices/{notice}/a2/")
    heads = w.page.locator("article h2").all_inner_texts()  # the level under the title: no gap in the outline
    assert len(heads) == 2, heads  # the two sub-headings of a2, as headings in every language
    if subheading:
        assert subheading in heads
    text = w.page.locator("article").inner_text()
    reader_text = re.split(r"\n(?:技术细节|技術細節|Technical details)", text)[0]  # the collapsed block is for maintainers
    assert not re.search(r"\b[0-9a-f]{12,}\b|source_texts/|raw\.txt", reader_text)
    w.shot(f"newpage-{prefix.strip('/') or 'zh-Hans'}-{width}")
    w.check()
    w.close()
