"""Render of parser output beyond the seed: sub-headings, continued articles, articles with no paragraphs;
notice names and slugs; links between articles; the translation-status page; regions by what an article is about."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from noticepub.errors import ConfigError
from noticepub.model import (
    EDITED,
    PENDING,
    Article,
    LocalizedArticle,
    NoticeBundle,
    NoticeMeta,
    ParseResult,
    Provenance,
    Span,
)
from noticepub.render import render_indexes, render_notice, summarize
from noticepub.render.names import ascii_slug, chinese_page, notice_label, notice_slug, tag_slug
from noticepub.render.regions import article_regions
from noticepub.settings import load_settings
from noticepub.variants import hans_articles, hant_articles

REPO = Path(__file__).resolve().parents[1]
SETTINGS = load_settings(REPO)

ARTICLES = (
    Article("a1", "", None, None, ("养老服务体系进一步完善，各地将继续推进相关工作。",), None, (1, 2),
            continued=True, continued_from="第一版"),
    Article("a2", "重庆启动冬季供暖保障", None, "本报讯 重庆市民政局近日部署冬季困难群众保障工作。",
            ("重庆市民政局要求各区县做好准备，借鉴海南、山东的经验。", "多措并举保障供暖", "各地要加强巡查。"),
            "重庆日报", (3, 4, 5, 6), headings=(1,)),
    Article("a3", "民政部部署寒潮应对", None, None, (), None, (7,)),  # body on another page: never published
    Article("a4", "", None, None, ("上海市民政局开展走访慰问。",), None, (8,), continued=True),
)


def english(articles: tuple[Article, ...]) -> tuple[LocalizedArticle, ...]:
    out = []
    for a in articles:
        title = (Span("", EDITED),) if not a.title else (Span(a.title, PENDING),)  # Chinese title, untranslated
        paras = tuple((Span(f"Paragraph {i} in English.", EDITED),) for i, _ in enumerate(a.paragraphs))
        lead = (Span("Lead in English.", EDITED),) if a.lead else None
        attribution = (Span("Chongqing Daily", EDITED),) if a.attribution else None
        out.append(LocalizedArticle("en", a.id, title, None, lead, paras, attribution,
                                    Provenance("mixed", "mixed", (("edited", len(paras) + bool(lead)),
                                                                  ("pending", 1 if a.title else 0)))))
    return tuple(out)


def bundle(notice_id: str = "p2", **meta) -> NoticeBundle:
    return NoticeBundle(
        meta=NoticeMeta(id=notice_id, **meta), source_path=f"source_texts/{notice_id}/raw.txt", source_sha256="f" * 64,
        parsed=ParseResult(source=f"source_texts/{notice_id}/raw.txt", articles=ARTICLES),
        variants={"zh-Hans": hans_articles(ARTICLES), "zh-Hant": hant_articles(ARTICLES, SETTINGS),
                  "en": english(ARTICLES)})


def split(page: bytes) -> tuple[dict, str]:
    head, body = page.decode()[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


@pytest.fixture(scope="module")
def pages() -> dict[str, bytes]:
    return render_notice(bundle(), SETTINGS)


SLUG = "notices/chong-qing-qi-dong-dong-ji-gong-nuan-bao-zhang"  # from the first headline (no publication/date)


def test_no_page_for_an_article_without_paragraphs(pages):
    for lang in ("zh-Hans", "zh-Hant", "en"):
        assert f"{lang}/{SLUG}/a2.md" in pages and f"{lang}/{SLUG}/a1.md" in pages
        assert not any("/a3" in p for p in pages)
    _, notice = split(pages[f"zh-Hans/{SLUG}/index.md"])
    assert '- 民政部部署寒潮应对\u3000<span class="np-meta">正文不在本版</span>' in notice and "(a3.md)" not in notice
    assert '- [重庆启动冬季供暖保障](a2.md)\u3000<span class="np-meta">据重庆日报</span>' in notice  # no " — " in Chinese
    _, english = split(pages[f"en/{SLUG}/index.md"])
    assert '(a2.md) — <span class="np-meta">Source: Chongqing Daily</span>' in english
    summary = summarize(bundle(), SETTINGS)
    assert [a.id for a in summary.articles] == ["a1", "a2", "a4"]
    assert summary.unpublished == ({"zh-Hans": "民政部部署寒潮应对", "zh-Hant": "民政部部署寒潮應對",
                                       "en": "民政部部署寒潮应对"},)


def test_continued_articles_are_labelled_in_every_language(pages):
    expected = {"zh-Hans": ("接上页（第一版）", "接上页"), "zh-Hant": ("接上頁（第一版）", "接上頁"),
                "en": ("Continued from page 1", "Continued from another page")}
    for lang, (with_page, without) in expected.items():
        meta, body = split(pages[f"{lang}/{SLUG}/a1.md"])
        assert meta["title"] == with_page and f"</nav>\n\n# {with_page}\n" in body
        meta, _ = split(pages[f"{lang}/{SLUG}/a4.md"])
        assert meta["title"] == without
        assert "（无标题）" not in pages[f"{lang}/{SLUG}/index.md"].decode()
        assert "(untitled)" not in pages[f"{lang}/{SLUG}/index.md"].decode()


def test_sub_headings_in_all_three_languages(pages):
    for lang, heading in (("zh-Hans", "## 多措并举保障供暖"), ("zh-Hant", "## 多措並舉保障供暖"),
                          ("en", "## Paragraph 1 in English")):  # h2 under the h1 title; no final full stop
        _, body = split(pages[f"{lang}/{SLUG}/a2.md"])
        assert f"\n{heading} {{ data-np-p=\"1\" }}\n" in body  # the Chinese-English view pairs it by its key
        assert "\n### " not in body


def test_description_from_lead_then_first_body_paragraph(pages):
    meta, _ = split(pages[f"zh-Hans/{SLUG}/a2.md"])
    assert meta["description"] == "重庆市民政局近日部署冬季困难群众保障工作。"  # after the dateline 本报讯
    assert "本报讯 重庆市民政局近日部署" in pages[f"zh-Hans/{SLUG}/a2.md"].decode()  # the article keeps it
    meta, _ = split(pages[f"en/{SLUG}/a1.md"])
    assert meta["description"] == "Paragraph 0 in English."


def test_pending_english_title_is_marked_and_chinese(pages):
    meta, body = split(pages[f"en/{SLUG}/a2.md"])
    assert meta["title"] == "重庆启动冬季供暖保障 (translation pending)" and meta["title_pending"] is True
    assert ('</nav>\n\n# <span class="np-pending" lang="zh-Hans" title="translation pending">'
            '重庆启动冬季供暖保障</span>\n') in body


def test_links_to_regions_topics_and_neighbours(pages):
    _, body = split(pages[f"zh-Hans/{SLUG}/a2.md"])
    links = body[body.index('<div class="np-article-links"'):body.index('<div class="admonition')]
    assert "地区：[重庆](../../regions/chongqing.md)" in links
    assert "海南" not in links and "山东" not in links  # passing mentions
    assert "上一篇：[接上页（第一版）](a1.md){ rel=\"prev\" }" in links
    assert "下一篇：[接上页](a4.md){ rel=\"next\" }" in links  # a3 has no page: the next one is a4
    _, en = split(pages[f"en/{SLUG}/a4.md"])
    assert "Regions&#58; [Shanghai](../../regions/shanghai.md)" in en and "Next article" not in en
    _, first = split(pages[f"en/{SLUG}/a1.md"])
    assert "Previous article" not in first and "Next article&#58; [" in first


def test_notice_named_by_first_headline_or_by_publication_date_page():
    facts = {"id": "x", "titles": ["民政部开展全国养老机构新冠病毒感染疫情防控培训", "b", "c", "d"], "count": 4}
    assert notice_label(facts, "zh-Hans") == "民政部开展全国养老机构……等4篇"
    assert notice_label(dict(facts, titles=["Ministry of Civil Affairs Holds National Training on COVID-19 Prevention"]),
                        "en") == "Ministry of Civil Affairs Holds National Training on… and 3 more"
    dated = {"id": "x", "publication": "中国社会报", "date": "2023-01-16", "page": "第三版", "titles": ["t"]}
    assert notice_label(dated, "zh-Hans") == "中国社会报 2023年1月16日 第三版"
    assert notice_label(dated, "en") == "中国社会报, 16 January 2023, page 3"
    assert notice_slug(dated) == "zhong-guo-she-hui-bao-2023-01-16-3"
    assert notice_slug({"id": "x", "first_title": "重庆启动冬季供暖保障"}) == SLUG.removeprefix("notices/")
    assert notice_slug({"id": "x", "first_title": "——"}) == "page-x"
    # without a page, the first headline tells two pages of one day apart
    undated_page = {"id": "x", "publication": "中国社会报", "date": "2023-01-16", "titles": ["重庆启动冬季供暖保障", "b"],
                    "first_title": "重庆启动冬季供暖保障", "count": 2}
    assert notice_label(undated_page, "zh-Hans") == "中国社会报 2023年1月16日：重庆启动冬季供暖保障等2篇"
    assert notice_slug(undated_page) == "zhong-guo-she-hui-bao-2023-01-16-chong-qing-qi-dong-dong-ji-gong"
    assert chinese_page("第十三版") == "13" and chinese_page("A4版") == "A4" and chinese_page("二十") == "20"


def test_slugs_are_ascii_and_short():
    slug = ascii_slug("民政部开展全国养老机构新冠病毒感染疫情防控培训（2023）")
    assert slug == "min-zheng-bu-kai-zhan-quan-guo-yang-lao-ji-gou" and len(slug) <= 48
    assert tag_slug("农民工") == "migrant-workers" and tag_slug("社区养老") == "she-qu-yang-lao"


def test_regions_by_what_the_article_is_about():
    assert article_regions("重庆启动冬季供暖保障", None, ("借鉴海南、山东的经验。",)) == ["chongqing"]
    assert article_regions("民政部部署", "本报讯 近日，山西省民政厅召开会议。", ("会议要求学习江苏经验。",)) == ["shanxi"]
    assert article_regions("民政部部署", None, ("近日，内蒙古自治区民政厅与河北省民政厅签署协议。",)) == ["inner-mongolia"]
    assert article_regions("民政部部署", None, ("各地要加强保障。",), ("山西",)) == ["shanxi"]
    assert article_regions("民政部部署", None, ("会议介绍了海南的做法。",)) == []  # no place acts here


def test_status_page_counts_and_percentages():
    one = summarize(bundle(), SETTINGS)
    dated = bundle("p3", publication="中国社会报", date=dt.date(2024, 2, 1), page="A3")
    two = dataclasses.replace(summarize(dated, SETTINGS),
                              counts={"edited": 1, "machine": 2, "pending": 0, "outdated": 1})
    out = render_indexes([one, two], SETTINGS)
    assert one.counts == {"edited": 6, "machine": 0, "pending": 2, "outdated": 0}
    meta, body = split(out["en/status.md"])
    assert meta["title"] == "Translation status"
    assert "| **All pages** | 7 (58%) | 2 (17%) | 2 (17%) | 1 (8%) | 12 |" in body
    assert "| [China Society News, 1 February 2024, page A3](notices/zhong-guo-she-hui-bao-2024-02-01-a3/index.md) |" \
        " 1 (25%) | 2 (50%) | 0 (0%) | 1 (25%) | 4 |" in body
    _, zh = split(out["zh-Hant/status.md"])
    assert "| 版面 | 人工審校 | 機器翻譯 | 待翻譯 | 已過時 | 合計 |" in zh
    assert "[重慶啟動冬季供暖保障等3篇](notices/chong-qing-qi-dong-dong-ji-gong-nuan-bao-zhang/index.md)" in zh


def test_index_pages_have_their_own_descriptions_and_no_ids():
    out = render_indexes([summarize(bundle(), SETTINGS)], SETTINGS)
    descriptions = set()
    for path, data in out.items():
        if path.endswith(".md"):
            meta, body = split(data)
            descriptions.add(meta["description"])
            assert "p2" not in body.replace("p2/", "") and "ffffff" not in body
    assert len(descriptions) == len([p for p in out if p.endswith(".md")])
    assert split(out["zh-Hans/regions/chongqing.md"])[0]["description"] == "按地区浏览：重庆：1篇文章"
    assert split(out["en/regions/chongqing.md"])[0]["description"] == "Browse by region: Chongqing: 1 article"
    home = {lang: split(out[f"{lang}/index.md"])[1] for lang in ("zh-Hans", "zh-Hant", "en")}
    assert re.search(r"\d+个版面，\d+篇文章", home["zh-Hans"]) and re.search(r"\d+個版面，\d+篇文章", home["zh-Hant"])
    assert re.search(r"Newspaper pages: \d+ · Articles: \d+", home["en"])


def test_two_notices_at_one_address_stop_the_build():
    a, b = summarize(bundle("p2"), SETTINGS), summarize(bundle("p9"), SETTINGS)
    with pytest.raises(ConfigError, match="would both be published at notices/chong-qing"):
        render_indexes([a, b], SETTINGS)


def test_feed_dates_and_readable_categories():
    import xml.etree.ElementTree as ET

    dated = summarize(bundle("p3", publication="中国社会报", date=dt.date(2024, 2, 1), page="A3"), SETTINGS)
    channel = ET.fromstring(render_indexes([dated], SETTINGS)["en/feed.xml"]).find("channel")
    assert channel.find("lastBuildDate").text == "Thu, 01 Feb 2024 00:00:00 +0000"
    item = channel.find("item")
    assert item.find("pubDate").text == "Thu, 01 Feb 2024 00:00:00 +0000"
    assert item.find("category").text == "China Society News, 1 February 2024, page A3"
    assert item.find("link").text.endswith("/en/notices/zhong-guo-she-hui-bao-2024-02-01-a3/a1/")


def test_pending_english_titles_are_marked_in_lists(pages):
    marked = '<span class="np-pending" lang="zh-Hans" title="translation pending">重庆启动冬季供暖保障</span>'
    assert f"- [{marked}](a2.md)" in pages[f"en/{SLUG}/index.md"].decode()
    home = render_indexes([summarize(bundle(), SETTINGS)], SETTINGS)["en/index.md"].decode()
    assert f"[{marked}](notices/{SLUG.removeprefix('notices/')}/a2.md)" in home


def test_pages_with_sub_headings_and_continued_articles_pass_markdownlint(tmp_path):
    import shutil
    import subprocess
    import sys

    tool = Path(sys.executable).parent / "pymarkdown"
    if not shutil.which(str(tool)):
        pytest.skip("pymarkdownlnt not installed")
    files = {**render_notice(bundle(), SETTINGS), **render_indexes([summarize(bundle(), SETTINGS)], SETTINGS)}
    for path, data in files.items():
        if path.endswith(".md"):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(data)
    run = subprocess.run([str(tool), "--config", str(REPO / ".pymarkdown.json"), "scan", "--recurse", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
