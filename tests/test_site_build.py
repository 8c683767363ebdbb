"""The built site: language attributes, per-page alternates, sitemap hreflang, search index,
feeds, determinism and no third-party resources."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import SEED_SLUG, built_site, copy_project, run_cli
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
            assert f'href="notices/{SEED_SLUG}/{article}/"' in home  # one click from the home page
            assert (site / "site" / prefix / "notices" / SEED_SLUG / article / "index.html").is_file()


def test_switcher_links_to_the_same_article(site):
    html = (site / "site" / "zh-Hant" / "notices" / SEED_SLUG / "a2" / "index.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', html))
    by_lang = {lang: href for href, lang in links.items()}
    assert by_lang["zh-Hans"] == f"../../../../notices/{SEED_SLUG}/a2/"
    assert by_lang["en"] == f"../../../../en/notices/{SEED_SLUG}/a2/"
    assert by_lang["zh-Hant"] == "./"  # the page itself


def test_sitemap_has_absolute_hreflang_alternates(site):
    root = ET.parse(site / "site" / "en" / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
    page = urls[f"https://noticepub.example.org/en/notices/{SEED_SLUG}/a3/"]
    alternates = {a.get("hreflang"): a.get("href") for a in page.findall("x:link", ns)}
    assert alternates == {
        "zh-Hans": f"https://noticepub.example.org/notices/{SEED_SLUG}/a3/",
        "zh-Hant": f"https://noticepub.example.org/zh-Hant/notices/{SEED_SLUG}/a3/",
        "en": f"https://noticepub.example.org/en/notices/{SEED_SLUG}/a3/",
        "x-default": f"https://noticepub.example.org/notices/{SEED_SLUG}/a3/",
    }


@pytest.mark.parametrize("prefix", ["", "zh-Hant/", "en/"])
def test_one_search_index_per_language_with_articles_only(site, prefix):
    root = site / "site" / prefix
    index = json.loads((root / "np-search" / "index.json").read_text(encoding="utf-8"))
    assert index["docs"] == 4  # the four articles: not the notice, index, tag or bilingual pages
    assert index["wordStart"] == (prefix == "en/")
    marked = sorted(p.parent.relative_to(root).as_posix() for p in root.rglob("index.html")
                    if "data-pagefind-body" in p.read_text(encoding="utf-8")
                    and not {"zh-Hant", "en"} & set(p.relative_to(root).parts))
    assert marked == [f"notices/{SEED_SLUG}/a{n}" for n in range(1, 5)]
    assert not list((site / "site").rglob("search_index.json"))


def test_pages_load_no_search_index_or_sitemap(site):
    """Material fetches sitemap.xml beside every link[rel=alternate] and its lunr index when a form is named
    "search": neither is on any page; the feed link is rel="alternate " (the same token list)."""
    for page in (site / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'rel="alternate"' not in html and 'name="search"' not in html, page
        assert "np-search/" not in html  # search.js fetches the index on the first keystroke
    html = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate " type="application/rss+xml"' in html


def test_region_and_topic_pages(site):
    regions = (site / "site" / "en" / "regions" / "index.html").read_text(encoding="utf-8")
    for name in ("Hebei", "Shanxi", "Jiangsu"):
        assert f">{name}</a>" in regions
    hebei = (site / "site" / "zh-Hant" / "regions" / "hebei" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../notices/{SEED_SLUG}/a2/"' in hebei and "河北" in hebei
    tags = (site / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert "农民工" in tags and "养老服务" in tags


def test_feeds_are_valid_rss_with_items(site):
    for prefix in ("", "zh-Hant/", "en/"):
        channel = ET.parse(site / "site" / prefix / "feed.xml").getroot().find("channel")
        items = channel.findall("item")
        assert len(items) == 4
        assert all(i.find("link").text.startswith("https://noticepub.example.org/") for i in items)
    en_titles = [i.find("title").text for i in ET.parse(site / "site" / "en" / "feed.xml").getroot().iter("item")]
    assert any("Hebei" in t and "Spring Warmth for Migrant Workers" in t for t in en_titles), en_titles


def test_no_broken_links_and_no_third_party_resources(site):
    assert [str(p) for p in check_site(site / "site", "https://noticepub.example.org/")] == []
    for page in (site / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_provenance_box_and_edited_translation(site):
    from html import unescape

    html = unescape((site / "site" / "en" / "notices" / SEED_SLUG / "a1" / "index.html").read_text(encoding="utf-8"))
    assert "English: 14 sentences reviewed" in html
    readers, technical = html.split('<details class="np-technical"')
    assert "OpenCC" not in readers and "raw.txt" not in readers and "fdc91a8a205b8552" not in readers.split("<article")[1]
    assert "OpenCC 1.4.2, config s2tw" in technical and "source_texts/fdc91a8a205b8552/raw.txt" in technical
    assert "Source: Ministry of Civil Affairs website" in html
    zh = unescape((site / "site" / "notices" / SEED_SLUG / "a2" / "index.html").read_text(encoding="utf-8"))
    assert "<strong>开展关怀慰问。</strong>为留岗农民工" in zh
    assert 'class="np-lead"' in zh and "据央广网" in zh


def test_site_build_is_deterministic(site, tmp_path):
    first = _tree(site / "site")
    assert run_cli(site, "site").returncode == 0
    assert _tree(site / "site") == first


def test_failed_strict_build_leaves_previous_site_and_no_strict_reports(site):
    before = _tree(site / "site")
    page = site / "docs" / "en" / "notices" / SEED_SLUG / "a1.md"
    original = page.read_bytes()
    try:
        page.write_bytes(original + b"\n[broken](missing-page.md)\n")
        run = run_cli(site, "site")
        assert run.returncode != 0 and "missing-page.md" in run.stderr
        assert _tree(site / "site") == before  # the staging tree was thrown away
        loose = run_cli(site, "site", "--no-strict")
        assert loose.returncode == 0 and "missing-page.md" in loose.stderr
    finally:
        page.write_bytes(original)
        assert run_cli(site, "site").returncode == 0


def test_site_url_is_configured_in_one_place(tmp_path):
    project = copy_project(tmp_path / "project")
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('site_url = "https://noticepub.example.org/"',
                                      'site_url = "https://example.net/archive/"'), encoding="utf-8")
    built_site(project)
    html = (project / "site" / "zh-Hant" / "notices" / SEED_SLUG / "a1" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="https://example.net/archive/zh-Hant/notices/{SEED_SLUG}/a1/">' in html
    sitemap = (project / "site" / "en" / "sitemap.xml").read_text(encoding="utf-8")
    assert f'hreflang="zh-Hans" href="https://example.net/archive/notices/{SEED_SLUG}/a1/"' in sitemap
    assert "noticepub.example.org" not in sitemap


class _VisibleText:
    """Text a reader can see: no tags or attributes, no <script>/<style>, nothing inside the collapsed
    technical-details block."""

    def __init__(self, html: str) -> None:
        from html.parser import HTMLParser

        out: list[str] = []
        skip = [0]

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag in ("script", "style") or (tag == "details" and "np-technical" in (dict(attrs).get("class") or "")):
                    skip[0] += 1
                elif skip[0] and tag in ("script", "style", "details"):
                    skip[0] += 1

            def handle_endtag(self, tag):
                if skip[0] and tag in ("script", "style", "details"):
                    skip[0] -= 1

            def handle_data(self, data):
                if not skip[0]:
                    out.append(data)

        P().feed(html)
        self.text = " ".join(out)


def test_no_ids_hashes_or_paths_visible_outside_technical_details(site):
    pages = [p for p in (site / "site").rglob("*.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert len(pages) > 60  # every page of three languages but the redirects
    for page in pages:
        text = _VisibleText(page.read_text(encoding="utf-8")).text
        for secret in ("fdc91a8a205b8552", "sha256", "source_texts", "raw.txt", "OpenCC", "s2tw"):
            assert secret not in text, (page, secret)
        assert not re.search(r"\b[tp]-[0-9a-f]{10}\b", text), page
    article = (site / "site" / "notices" / SEED_SLUG / "a1" / "index.html").read_text(encoding="utf-8")
    assert "fdc91a8a205b8552" in article.split('<details class="np-technical"')[1]  # kept for maintainers


def test_old_id_urls_redirect_to_the_readable_ones(site):
    for prefix in ("", "zh-Hant/", "en/"):
        old = site / "site" / prefix / "notices" / "fdc91a8a205b8552" / "a2" / "index.html"
        html = old.read_text(encoding="utf-8")
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1)
        assert (old.parent / target / "index.html").resolve().is_file()
        assert f"/notices/{SEED_SLUG}/a2/" in target


def test_zh_hant_pages_use_taiwan_forms_and_corner_quotes(site):
    for page in (site / "site" / "zh-Hant" / "notices" / SEED_SLUG).rglob("index.html"):
        text = _VisibleText(page.read_text(encoding="utf-8")).text
        assert not set(text) & set("爲衆啓羣峯“”"), page
    a2 = (site / "site" / "zh-Hant" / "notices" / SEED_SLUG / "a2" / "index.html").read_text(encoding="utf-8")
    assert "「春暖農民工」" in a2 and "為" in a2


def test_status_page_linked_from_the_footer(site):
    for prefix, label in (("", "翻译进度"), ("zh-Hant/", "翻譯進度"), ("en/", "Translation status")):
        article = (site / "site" / prefix / "notices" / SEED_SLUG / "a1" / "index.html").read_text(encoding="utf-8")
        assert f'<a class="np-status-link" href="../../../status/">{label}</a>' in article
        status = (site / "site" / prefix / "status" / "index.html").read_text(encoding="utf-8")
        assert "72 (100%)" in status
def test_open_graph_and_description_from_page_meta(site):
    from html import unescape

    html = unescape((site / "site" / "zh-Hant" / "notices" / SEED_SLUG / "a2" / "index.html").read_text(encoding="utf-8"))
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html))
    import yaml

    front = yaml.safe_load((site / "docs" / "zh-Hant" / "notices" / SEED_SLUG / "a2.md").read_text(encoding="utf-8")
                           .split("---\n")[1])
    assert meta["description"] == meta["og:description"] == front["description"]
    assert meta["og:title"] == front["title"]
    assert meta["og:url"] == f"https://noticepub.example.org/zh-Hant/notices/{SEED_SLUG}/a2/"
    assert meta["og:type"] == "article" and meta["og:locale"] == "zh_TW"
    alternates = re.findall(r'<meta property="og:locale:alternate" content="([^"]+)"', html)
    assert sorted(alternates) == ["en_US", "zh_CN"]
    home = (site / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:locale" content="en_US">' in home and '<meta property="og:type" content="website">' in home


@pytest.mark.parametrize(("prefix", "text"), [("", "找不到页面"), ("zh-Hant/", "找不到頁面"), ("en/", "Page not found")])
def test_localized_404_pages(site, prefix, text):
    html = (site / "site" / prefix / "404.html").read_text(encoding="utf-8")
    assert f"<h1>{text}</h1>" in html and "404 - Not found" not in html
