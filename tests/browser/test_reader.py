"""What a reader sees on the built site, in Chromium, three languages, phone (375 px) and desktop (1280 px):
the article header (breadcrumb, kicker, headline, byline, dateline with the source link), tables that scroll
inside their box, the bilingual view only where English exists, every Chinese run on English pages inside a
zh element, noindex on untranslated English articles, JSON-LD, the per-language 404, and axe-core.

The demo archive is the seed (reviewed English) plus two held-out pages with notice.yml facts and no English.
One of their articles is given a kicker, a byline, a table and interview turns by hand (the parser learns to
find them on its own in its round; render is tested here on the fields of the shared contract).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from browser.test_browser import Quiet, Watched, _axe, axe_source, browser, static_server  # noqa: F401  (fixtures)
from conftest import REPO, SEED_SLUG, copy_project, run_cli

pytestmark = pytest.mark.browser
HOLDOUT = REPO / "tests" / "holdout"
ROWS = (("项目", "资金（万元）", "备注"), ("城市低保", "120.5", "按月发放"), ("农村特困", "80", "—"),
        ("临时救助", "36.75", "按次发放，当月到账，特殊情况可先行救助后补办手续"))
NOTICES = {
    "shehuibao-2026-01-07-p2": ("page1.txt", {"publication": "中国社会报", "date": "2026-01-07", "page": "2",
                                               "url": "https://example.org/epaper/2026-01-07/2.html"}),
    "shehuibao-2026-01-08-p3": ("page2.txt", {"publication": "中国社会报", "date": "2026-01-08", "page": "第三版"}),
}


def _enrich(parsed):
    """The first article of the 2026-01-07 page with a kicker, a byline, a table and two interview turns."""
    from noticepub.model import Article

    first = parsed.articles[0]
    table = "\n".join(" ".join(r) for r in ROWS)
    paragraphs = (*first.paragraphs, table, "问：资金什么时候到位？", "答：本月底前全部拨付到位。")
    n = len(first.paragraphs)
    enriched = dataclasses.replace(first, kicker="民生实事", byline="本报记者 张三 李四", paragraphs=paragraphs,
                                   tables=((n, ROWS),), speakers=((n + 1, "问："), (n + 2, "答：")))
    assert isinstance(enriched, Article)
    return dataclasses.replace(parsed, articles=(enriched, *parsed.articles[1:]))


def build_demo(project: Path) -> Path:
    for notice_id, (raw, meta) in NOTICES.items():
        folder = project / "source_texts" / notice_id
        folder.mkdir()
        shutil.copy2(HOLDOUT / raw, folder / "raw.txt")
        (folder / "notice.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    from noticepub import cli, notice

    original = notice.parse_notice

    def parse_notice(inputs, settings):
        result = original(inputs, settings)
        if inputs.notice_id == "shehuibao-2026-01-07-p2":
            result = dataclasses.replace(result, parsed=_enrich(result.parsed))
        return result

    cwd = Path.cwd()
    notice.parse_notice = parse_notice
    try:
        os.chdir(project)
        assert cli.main(["build"]) == 0
    finally:
        notice.parse_notice = original
        os.chdir(cwd)
    site = run_cli(project, "site")
    assert site.returncode == 0, site.stderr
    return project


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return build_demo(copy_project(tmp_path_factory.mktemp("reader") / "project"))


class Pages(Quiet):
    """As GitHub Pages serves a site: a missing address gets the root 404.html (status 404)."""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server(project):
    with static_server(project / "site", Pages) as base:
        yield base


def _folder(project: Path, date: str) -> str:
    [folder] = [p.parent.name for p in (project / "docs" / "zh-Hans" / "notices").glob("*/index.md")
                if date in p.parent.name]
    return folder


PREFIXES = ["", "zh-Hant/", "en/"]
UNMARKED = """() => {
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!/[\\u3400-\\u9fff]/.test(node.textContent)) continue;
    const holder = node.parentElement && node.parentElement.closest('[lang]');
    if (!holder || !holder.getAttribute('lang').startsWith('zh')) bad.push(node.textContent.trim().slice(0, 40));
  }
  return bad;
}"""




@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("width", [375, 1280])
def test_article_header_table_and_axe(browser, server, project, prefix, width, axe_source):  # noqa: F811
    folder = _folder(project, "2026-01-07")
    w = Watched(browser, server, width=width)
    w.page.goto(f"{server}/{prefix}notices/{folder}/a1/")
    article = w.page.locator("article")
    crumbs = article.locator("nav.np-breadcrumb a").all_inner_texts()
    assert len(crumbs) == 2 and crumbs[0] in ("首页", "首頁", "Home")
    assert "2026" in crumbs[1]
    dateline = article.locator(".np-dateline").inner_text()
    expected = {"": "2026年1月7日", "zh-Hant/": "2026年1月7日", "en/": "7 January 2026"}[prefix]
    assert expected in dateline and ("China Society News" in dateline if prefix == "en/" else "社" in dateline)
    assert article.locator(".np-dateline a[href='https://example.org/epaper/2026-01-07/2.html']").count() == 1
    assert article.locator(".np-dateline time[datetime='2026-01-07']").count() == 1
    # kicker above the headline, byline under it
    boxes = [article.locator(sel).bounding_box() for sel in (".np-kicker", "h1", ".np-byline", ".np-dateline")]
    assert all(boxes) and [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
    table = article.locator(".np-table table")
    assert table.locator("th").count() == 3 and table.locator("tr").count() == 4
    assert "120.5" in table.inner_text() and "36.75" in table.inner_text()
    box = w.page.locator(".np-table").bounding_box()
    assert box["x"] + box["width"] <= width + 1  # the box stays inside the screen; the table scrolls in it
    page_width = w.page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, page_width  # the page itself never scrolls sideways
    strong = article.locator("p strong").all_inner_texts()
    if prefix != "en/":
        assert any(s in ("问：", "問：") for s in strong) and any(s == "答：" for s in strong)
    ld = json.loads(w.page.locator("script[type='application/ld+json']").text_content())
    assert ld["@type"] == "NewsArticle" and ld["datePublished"] == "2026-01-07"
    assert ld["inLanguage"] == (prefix.strip("/") or "zh-Hans")
    published = w.page.locator("meta[property='article:published_time']").get_attribute("content")
    assert published == "2026-01-07"
    if prefix == "en/":
        assert w.page.evaluate(UNMARKED) == []
        assert w.page.locator("meta[name='robots']").get_attribute("content") == "noindex"  # no English yet
        assert "English is not yet available" in article.inner_text()
    else:
        assert w.page.locator("meta[name='robots']").count() == 0
        assert article.locator("a.md-button").count() == 0  # no Chinese–English view without English
    assert _axe(w, axe_source) == []
    w.shot(f"reader-article-{prefix.strip('/') or 'zh-Hans'}-{width}")
    w.check()
    w.close()


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("path", ["", "archive/", "status/", f"notices/{SEED_SLUG}/a1/"])
def test_pages_honest_and_accessible(browser, server, project, prefix, path, axe_source):  # noqa: F811
    w = Watched(browser, server, width=375)
    w.page.goto(f"{server}/{prefix}{path}")
    if prefix == "en/":
        assert w.page.evaluate(UNMARKED) == []
    if path == "":
        deks = w.page.locator(".np-dek").all_inner_texts()
        assert deks and max(len(d) for d in deks) <= (210 if prefix == "en/" else 110)
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", w.page.locator("article").inner_text())  # dates in words
    assert _axe(w, axe_source) == []
    w.check()
    w.close()


# Han characters of the English column outside the notes that stand for untranslated sentences
HAN_IN_ENGLISH = """() => [...document.querySelectorAll('.np-cell[lang="en"]')].flatMap(cell => {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (/[\\u3400-\\u9fff]/.test(n.nodeValue) && !n.parentElement.closest('.np-gap')) out.push(n.nodeValue);
  }
  return out;
})"""


@pytest.mark.parametrize("prefix", PREFIXES)
def test_bilingual_view_in_the_page(browser, server, prefix, axe_source):  # noqa: F811
    """The Chinese–English view, opened by #bilingual (where the old bilingual pages redirect): blocks side by
    side, the English column never shows Chinese (an untranslated sentence is a note in the reader's
    language, so never Simplified Chinese on a zh-Hant page), axe finds nothing."""
    w = Watched(browser, server, width=1280)
    w.page.goto(f"{server}/{prefix}notices/{SEED_SLUG}/a1/#bilingual")
    w.page.wait_for_selector(".np-row .np-cell + .np-cell")
    assert w.page.locator(".np-row").count() >= 3
    assert w.page.evaluate(HAN_IN_ENGLISH) == []
    if prefix == "en/":
        assert w.page.evaluate(UNMARKED) == []
    assert _axe(w, axe_source) == []
    w.check()
    w.close()


@pytest.mark.parametrize(("path", "lang", "text"), [
    ("/en/notices/no-such-page/", "en", "Page not found"),
    ("/zh-Hant/no/such/page/", "zh-Hant", "找不到頁面"),
    ("/notices/no-such-page/", "zh-Hans", "找不到页面"),
])
def test_404_in_the_language_of_the_address(browser, server, path, lang, text):  # noqa: F811
    w = Watched(browser, server, width=375)
    w.page.goto(f"{server}{path}")
    w.page.wait_for_load_state("load")
    assert w.page.evaluate("document.documentElement.lang") == lang
    assert text in w.page.locator("h1").inner_text()
    w.close()


def test_no_unmarked_chinese_on_any_english_page(browser, server, project):  # noqa: F811
    """Every HTML page under /en/ (redirect stubs aside), as Chromium renders it, header and TOC included."""
    root = project / "site" / "en"
    pages = sorted(p for p in root.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8"))
    assert len(pages) > 30
    w = Watched(browser, server, width=1280)
    bad = {}
    for page in pages:
        w.page.goto(f"{server}/en/{page.relative_to(root).as_posix()}")
        found = w.page.evaluate(UNMARKED)
        if found:
            bad[page.relative_to(root).as_posix()] = found[:3]
    assert bad == {}
    w.close()
