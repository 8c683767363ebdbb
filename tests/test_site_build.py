"""The built site: language attributes, per-page alternates, sitemap hreflang, search segmentation,
feeds, determinism and no third-party resources."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import SEED_ID, built_site, copy_project, run_cli
from noticepub.linkcheck import check_site


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(copy_project(tmp_path_factory.mktemp("site") / "project"))


@pytest.mark.parametrize(("prefix", "lang"), [("", "zh-Hans"), ("zh-Hant/", "zh-Hant"), ("en/", "en")])
def test_html_lang_and_ui_language(site, prefix, lang):
    html = (site / "site" / prefix / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in html
    ui = {"zh-Hans": "搜索", "zh-Hant": "搜尋", "en": "Search"}[lang]
    assert ui in html


def test_every_seed_article_in_three_languages_within_two_clicks(site):
    for prefix in ("", "zh-Hant/", "en/"):
        home = (site / "site" / prefix / "index.html").read_text(encoding="utf-8")
        for article in ("a1", "a2", "a3", "a4"):
            assert f'href="notices/{SEED_ID}/{article}/"' in home  # one click from the home page
            assert (site / "site" / prefix / "notices" / SEED_ID / article / "index.html").is_file()


def test_switcher_links_to_the_same_article(site):
    html = (site / "site" / "zh-Hant" / "notices" / SEED_ID / "a2" / "index.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', html))
    by_lang = {lang: href for href, lang in links.items()}
    assert by_lang["zh-Hans"] == f"../../../../notices/{SEED_ID}/a2/"
    assert by_lang["en"] == f"../../../../en/notices/{SEED_ID}/a2/"


def test_sitemap_has_absolute_hreflang_alternates(site):
    root = ET.parse(site / "site" / "en" / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
    page = urls[f"https://noticepub.example.org/en/notices/{SEED_ID}/a3/"]
    alternates = {a.get("hreflang"): a.get("href") for a in page.findall("x:link", ns)}
    assert alternates == {
        "zh-Hans": f"https://noticepub.example.org/notices/{SEED_ID}/a3/",
        "zh-Hant": f"https://noticepub.example.org/zh-Hant/notices/{SEED_ID}/a3/",
        "en": f"https://noticepub.example.org/en/notices/{SEED_ID}/a3/",
    }


@pytest.mark.parametrize(("prefix", "word"), [("", "养老机构"), ("", "农民工"), ("zh-Hant/", "農民工"),
                                              ("zh-Hant/", "養老機構"), ("zh-Hant/", "困境兒童")])
def test_search_index_holds_whole_chinese_words(site, prefix, word):
    index = json.loads((site / "site" / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "\\u200b" in index["config"]["separator"]
    text = " ".join(doc["text"] + " " + doc["title"] for doc in index["docs"])
    assert f"\u200b{word}\u200b" in text


def test_feeds_are_valid_rss_with_items(site):
    for prefix in ("", "zh-Hant/", "en/"):
        channel = ET.parse(site / "site" / prefix / "feed.xml").getroot().find("channel")
        items = channel.findall("item")
        assert len(items) == 4
        assert all(i.find("link").text.startswith("https://noticepub.example.org/") for i in items)
    en_titles = [i.find("title").text for i in ET.parse(site / "site" / "en" / "feed.xml").getroot().iter("item")]
    assert "11 Hebei Departments Launch \"Spring Warmth for Migrant Workers\" Service Campaign" in en_titles


def test_no_broken_links_and_no_third_party_resources(site):
    assert [str(p) for p in check_site(site / "site", "https://noticepub.example.org/")] == []
    for page in (site / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_provenance_box_and_edited_translation(site):
    from html import unescape

    html = unescape((site / "site" / "en" / "notices" / SEED_ID / "a1" / "index.html").read_text(encoding="utf-8"))
    assert "edited translation (reviewed)" in html
    assert "OpenCC 1.4.2, config s2t" in html
    assert "Source: Ministry of Civil Affairs website" in html
    zh = unescape((site / "site" / "notices" / SEED_ID / "a2" / "index.html").read_text(encoding="utf-8"))
    assert "<strong>开展关怀慰问。</strong>为留岗农民工" in zh
    assert 'class="np-lead"' in zh and "据央广网" in zh


def test_site_build_is_deterministic(site, tmp_path):
    first = _tree(site / "site")
    assert run_cli(site, "site").returncode == 0
    assert _tree(site / "site") == first
