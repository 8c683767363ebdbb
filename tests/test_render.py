"""Render on a hand-made bundle: paths, escaping, front matter, lead-ins, pending English, provenance,
index pages at scale, determinism and Markdown lint."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from noticepub.model import (
    EDITED,
    LANGS,
    MACHINE,
    PENDING,
    Article,
    LocalizedArticle,
    NoticeBundle,
    NoticeMeta,
    NoticeSummary,
    ParseResult,
    Provenance,
    Span,
)
from noticepub.render import render_indexes, render_notice, summarize
from noticepub.render.markdown import inline
from noticepub.render.names import KeyNames
from noticepub.settings import load_settings
from noticepub.variants import hans_articles, hant_articles

REPO = Path(__file__).resolve().parents[1]
SETTINGS = load_settings(REPO)
N = "notices/zhong-guo-she-hui-bao-2023-01-16-a3"  # the demo notice's readable folder (publication-date-page)

HOSTILE_TITLE = '<script>alert(1)</script>标题: "引号" # {{ x }} {% if %} [链接](javascript:alert(2))'
ARTICLES = (
    Article("a1", "民政部发布养老机构通知", None, "日前，民政部发布通知。",
            ("开展关怀慰问。山西省为农民工发放年货。", "第二段提到江苏和陕西。"), "民政部官网", (1, 2, 3)),
    Article("a2", HOSTILE_TITLE, "副标题*强调*", None,
            ("1. 列表开头 | 竖线 `代码` <img src=x onerror=alert(3)>", "--- 分隔线\\反斜杠"), None, (4, 5)),
)


def english(articles: tuple[Article, ...]) -> tuple[LocalizedArticle, ...]:
    """English by hand: a1 reviewed (two sentence spans in its first paragraph), a2 partly pending."""
    a1, a2 = articles
    return (
        LocalizedArticle("en", "a1", (Span("Ministry issues notice on elderly care institutions", EDITED),), None,
                         (Span("Recently, the Ministry issued a notice.", EDITED),),
                         ((Span("Carry out caring visits.", EDITED), Span(" Give New Year goods to migrant workers.",
                                                                           EDITED)),
                          (Span("The second paragraph names Jiangsu and Shaanxi.", EDITED),)),
                         (Span("Ministry of Civil Affairs website", EDITED),),
                         Provenance("edited", "edited translation (reviewed)", (("edited", 6),))),
        LocalizedArticle("en", "a2", (Span("<b>Bold</b> title", MACHINE),), (Span(a2.subtitle or "", PENDING),), None,
                         ((Span(a2.paragraphs[0], PENDING),), (Span("--- a rule \\ backslash", MACHINE),)), None,
                         Provenance("mixed", "2 machine, 2 pending segments; machine translation: argos 1.9",
                                    (("machine", 2), ("pending", 2)))),
    )


def make_bundle(notice_id: str = "demo-1", date: dt.date | None = dt.date(2023, 1, 16), **meta) -> NoticeBundle:
    parsed = ParseResult(source=f"source_texts/{notice_id}/raw.txt", articles=ARTICLES)
    return NoticeBundle(
        meta=NoticeMeta(id=notice_id, publication="中国社会报", date=date, page="A3", tags=("社会救助",), **meta),
        source_path=f"source_texts/{notice_id}/raw.txt",
        source_sha256="0" * 64,
        parsed=parsed,
        variants={"zh-Hans": hans_articles(ARTICLES), "zh-Hant": hant_articles(ARTICLES, SETTINGS),
                  "en": english(ARTICLES)},
    )


def front(page: bytes) -> tuple[dict, str]:
    text = page.decode()
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


@pytest.fixture(scope="module")
def pages() -> dict[str, bytes]:
    return render_notice(make_bundle(), SETTINGS)


def test_paths_three_languages_article_and_notice(pages, monkeypatch):
    for lang in ("zh-Hans", "zh-Hant", "en"):
        for name in ("a1.md", "a2.md", "index.md"):
            assert f"{lang}/{N}/{name}" in pages
    assert len(pages) == 9  # no bilingual pages (the view is in the article page); no redirects
    # a notice published under its id, then under an older slug (data/legacy-urls.yml): both redirect
    from noticepub.render import redirects

    monkeypatch.setattr(redirects, "_legacy", lambda: (frozenset({"demo-1"}), {"old-name": "demo-1", "x": "other"}))
    moved = render_notice(make_bundle(), SETTINGS)
    for lang in ("zh-Hans", "zh-Hant", "en"):
        for folder in ("demo-1", "old-name"):
            for name in ("", "a1/", "a1-bilingual/", "a2/", "a2-bilingual/"):
                assert f"{lang}/notices/{folder}/{name}index.html" in moved
    assert len(moved) == 9 + 2 * 15
    # an old bilingual page leads to the article with its Chinese-English view open
    bilingual = moved["en/notices/old-name/a2-bilingual/index.html"].decode()
    assert f'content="0; url=../../../{N}/a2/#bilingual">' in bilingual
    redirect = moved["zh-Hant/notices/demo-1/a1/index.html"].decode()
    target = "../../../notices/zhong-guo-she-hui-bao-2023-01-16-a3/a1/"
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in redirect
    assert f'<a href="{target}">民政部發布養老機構通知</a>' in redirect and '<html lang="zh-Hant">' in redirect
    assert ('<link rel="canonical" href="https://noticepub.example.org/zh-Hant/notices/'
            'zhong-guo-she-hui-bao-2023-01-16-a3/a1/">') in redirect


def test_slug_override_from_notice_yml():
    out = render_notice(make_bundle(slugs=(("a1", "elderly-care-notice"),)), SETTINGS)
    assert f"en/{N}/elderly-care-notice.md" in out
    assert f"en/{N}/a1.md" not in out
    assert "(elderly-care-notice.md)" in out[f"en/{N}/index.md"].decode()


def test_front_matter_is_yaml_with_alternates(pages):
    meta, body = front(pages[f"zh-Hant/{N}/a1.md"])
    assert meta["lang"] == "zh-Hant" and meta["notice"] == "demo-1" and meta["date"] == "2023-01-16"
    assert meta["title"] == "民政部發布養老機構通知" and meta["og_type"] == "article"
    assert meta["description"] == "日前，民政部發布通知。"  # the lead, when there is one
    alts = {a["lang"]: a for a in meta["alternates"]}
    assert alts["zh-Hans"]["href"] == f"../../../../{N}/a1/"
    assert alts["en"]["url"] == f"https://noticepub.example.org/en/{N}/a1/"
    hostile, _ = front(pages[f"zh-Hans/{N}/a2.md"])
    assert "<script>" not in hostile["title"] and "&lt;script&gt;" in hostile["title"]  # templates print it raw


def test_hostile_text_is_inert_markdown(pages):
    for lang in ("zh-Hans", "zh-Hant", "en"):
        _, body = front(pages[f"{lang}/{N}/a2.md"])
        for raw in ("<script", "<img", "{{", "{%", "](javascript", "`代码`", "*强调*", "\n1. ", "\n---", "| 竖线"):
            assert raw not in body, (lang, raw)
    from html.parser import HTMLParser

    import markdown

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict]] = []
            self.text = ""

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

        def handle_data(self, data):
            self.text += data

    parser = Tags()
    parser.feed(markdown.markdown(front(pages[f"zh-Hans/{N}/a2.md"])[1],
                                  extensions=["attr_list", "md_in_html", "admonition"]))
    assert HOSTILE_TITLE in parser.text and "1. 列表开头 | 竖线 `代码` <img src=x onerror=alert(3)>" in parser.text
    assert {t for t, _ in parser.tags} <= {"h1", "p", "span", "a", "div", "ul", "li", "code", "strong", "details",
                                           "summary", "nav", "time"}
    assert [a["href"] for t, a in parser.tags if t == "a"] == [
        "../../index.md", "index.md", "../../../en/notices/zhong-guo-she-hui-bao-2023-01-16-a3/a2/",
        "../../tags/social-assistance.md", "a1.md", "index.md"]


def test_inline_escapes_only_what_needs_it():
    assert inline("11个部门") == "11个部门"
    assert inline("1. 列表").startswith("&#49;")
    assert inline("- 列表").startswith("&#45;")
    assert inline("a\nb\tc") == "a b c"


def test_lead_in_bold_lead_and_attribution(pages):
    _, zh = front(pages[f"zh-Hans/{N}/a1.md"])
    assert "**开展关怀慰问。**山西省为农民工发放年货。" in zh
    assert '日前，民政部发布通知。\n{ .np-lead data-np-p="lead" }' in zh
    assert '据民政部官网\n{ .np-attribution data-np-p="attr" }' in zh
    _, hant = front(pages[f"zh-Hant/{N}/a1.md"])
    assert "**開展關懷慰問。**山西省為農民工發放年貨。" in hant
    _, en = front(pages[f"en/{N}/a1.md"])
    assert "**Carry out caring visits.** Give New Year goods to migrant workers." in en
    assert "Source: Ministry of Civil Affairs website" in en


def test_pending_english_shows_chinese_with_a_marker(pages):
    _, en = front(pages[f"en/{N}/a2.md"])
    assert '<span class="np-pending" lang="zh-Hans" title="translation pending">' in en
    assert "列表开头" in en


def test_provenance_box_in_words_with_technical_details_collapsed(pages):
    _, en = front(pages[f"en/{N}/a1.md"])
    box = en[en.index('<div class="admonition info np-provenance" data-pagefind-ignore markdown>'):]
    readers, technical = box.split('<details class="np-technical" data-pagefind-ignore markdown>')
    assert "[China Society News, 16 January 2023, page A3](index.md)" in readers
    assert "- Publication&#58; China Society News" in readers and "- Date&#58; 16 January 2023" in readers
    assert "- Page&#58; A3" in readers and "page A3" not in readers.split("Page&#58;")[1]  # "Page: page" never
    assert "English&#58; 6 sentences reviewed" in readers
    assert "converted automatically from the Simplified Chinese &#40;Taiwan character forms&#41;" in readers
    for secret in ("demo-1", "raw.txt", "sha256", "OpenCC", "lines", "a1"):
        assert secret not in readers, secret
        assert secret in technical, secret
    assert "lines 1–3" in technical and "s2tw" in technical
    _, zh = front(pages[f"zh-Hans/{N}/a2.md"])
    assert "英文：2句机器翻译、2句待翻译（暂以中文原文显示）" in zh  # no space between a figure and Chinese
    assert "argos 1.9" in zh.split("<details")[1]
    for lang in ("zh-Hans", "zh-Hant", "en"):  # nothing a reader sees names an id, a hash or a path
        for path in (f"{lang}/{N}/a1.md", f"{lang}/{N}/a2.md", f"{lang}/{N}/index.md"):
            _, body = front(pages[path])
            visible = body.split("<details")[0]
            assert "demo-1" not in visible and "0000000" not in visible and "source_texts" not in visible


def _blocks(page: bytes) -> list[str]:
    """The data-np-p keys of an article page's blocks, in order, from its HTML."""
    import re

    import markdown

    html = markdown.markdown(front(page)[1], extensions=["attr_list", "md_in_html", "admonition"])
    return re.findall(r'data-np-p="([^"]+)"', html)


def test_bilingual_view_pairs_blocks_of_the_two_pages(pages):
    """The view is built in the browser from the article page and its counterpart: both carry the same keys,
    one per block, and the toggle leads to the counterpart (English; Simplified Chinese from English)."""
    keys = _blocks(pages[f"zh-Hans/{N}/a1.md"])
    assert keys == ["lead", "0", "1", "attr"]  # lead, two paragraphs, attribution
    assert _blocks(pages[f"zh-Hant/{N}/a1.md"]) == keys == _blocks(pages[f"en/{N}/a1.md"])
    toggle = {lang: front(pages[f"{lang}/{N}/a1.md"])[1].split('class="md-button np-bilingual-toggle" ')[1]
              for lang in LANGS}
    assert toggle["zh-Hans"].startswith(f'href="../../../en/{N}/a1/" hreflang="en"')
    assert toggle["zh-Hant"].startswith(f'href="../../../../en/{N}/a1/" hreflang="en"')
    assert toggle["en"].startswith(f'href="../../../../{N}/a1/" hreflang="zh-Hans"')
    assert 'data-np-close="關閉中英對照"' in toggle["zh-Hant"]


def test_bilingual_view_only_where_english_exists():
    """An article whose English is all pending offers no view (it would show the Chinese twice, or
    Simplified beside Traditional): a note says so in the reader's language instead."""
    a1, a2 = english(ARTICLES)
    none = dataclasses.replace(a1, title=(Span(ARTICLES[0].title, PENDING),),
                               lead=(Span(ARTICLES[0].lead or "", PENDING),),
                               paragraphs=tuple((Span(p, PENDING),) for p in ARTICLES[0].paragraphs),
                               attribution=None)
    bundle = dataclasses.replace(make_bundle(), variants={**make_bundle().variants, "en": (none, a2)})
    out = render_notice(bundle, SETTINGS)
    notes = {"zh-Hans": "英文译文尚未提供", "zh-Hant": "英文譯文尚未提供"}
    for lang in LANGS:
        page = out[f"{lang}/{N}/a1.md"].decode()
        assert "np-bilingual-toggle" not in page
        if lang in notes:
            assert f'<p class="np-bilingual-none" id="bilingual">{notes[lang]}</p>' in page
        else:  # the English page says it at its top, once
            assert "English is not yet available for this article." in page and "np-bilingual-none" not in page
        assert "np-bilingual-toggle" in out[f"{lang}/{N}/a2.md"].decode()  # two machine-translated sentences


def test_deterministic_and_pure(pages):
    assert render_notice(make_bundle(), SETTINGS) == pages
    assert all(not b.endswith(b"\n\n") and b" \n" not in b for b in pages.values())


def test_summary_is_json_with_regions_and_tags():
    summary = summarize(make_bundle(), SETTINGS)
    assert NoticeSummary.from_json(json.loads(json.dumps(summary.to_json(), ensure_ascii=False))) == summary
    a1 = summary.articles[0]
    assert a1.regions == ("shanxi",)  # the acting place; 江苏 and 陕西 in the second paragraph are passing mentions
    assert summary.slug == "zhong-guo-she-hui-bao-2023-01-16-a3"
    assert summary.counts == {"edited": 6, "machine": 2, "pending": 2, "outdated": 0}
    assert {"农民工", "社会救助"} <= set(a1.tags)
    assert a1.first["zh-Hans"] == "日前，民政部发布通知。"  # the lead, when there is one
    assert a1.first["en"] == "Recently, the Ministry issued a notice."
    assert summary.articles[1].first["zh-Hans"].startswith("1. 列表开头")
    # display names in every language are made here, so index pages never call OpenCC or the glossary
    assert summary.publication_names == {"zh-Hans": "中国社会报", "zh-Hant": "中國社會報", "en": "China Society News"}
    assert summary.region_names["shanxi"] == {"zh-Hans": "山西", "zh-Hant": "山西", "en": "Shanxi"}
    assert summary.tag_names["农民工"]["en"] == "Migrant workers"
    assert summary.tag_names["农民工"]["zh-Hant"] == "農民工"


def _summaries(n: int) -> list[NoticeSummary]:
    base = summarize(make_bundle(), SETTINGS)
    out = []
    for i in range(n):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=i)
        publication = ["中国社会报", "人民日报", None][i % 3]
        names = {lang: KeyNames(lang, SETTINGS).zh(publication) for lang in LANGS} if publication else {}
        out.append(dataclasses.replace(base, id=f"n{i:04d}", slug=f"s{i:04d}", date=day.isoformat() if i % 50 else None,
                                       publication=publication, publication_names=names))
    return out


def test_indexes_home_archive_and_keys():
    out = render_indexes(_summaries(3), SETTINGS)
    for lang in ("zh-Hans", "zh-Hant", "en"):
        for path in ("index.md", "archive/index.md", "regions/index.md", "regions/shanxi.md", "tags/index.md",
                     "publications/index.md", "publications/unknown.md", "feed.xml"):
            assert f"{lang}/{path}" in out, (lang, path)
    home = out["en/index.md"].decode()
    assert home.index("s0002") < home.index("s0001")  # latest first; undated n0000 last
    assert home.index("s0001") < home.index("s0000")
    assert "(notices/s0002/a1.md)" in home and "Source: Ministry of Civil Affairs website" in home
    assert "n0002" not in home
    assert "[Shanxi](shanxi.md) (3)" in out["en/regions/index.md"].decode()
    assert "[山西](shanxi.md)（3）" in out["zh-Hans/regions/index.md"].decode()  # full-width brackets, no space
    assert "[山西](shanxi.md)（3）" in out["zh-Hant/regions/index.md"].decode()
    assert "- [2020年1月](2020-01.md)（2）" in out["zh-Hans/archive/index.md"].decode()
    assert "- [January 2020](2020-01.md) (2)" in out["en/archive/index.md"].decode()
    assert "## 未注明日期\n\n- [全部版面](undated.md)（1）" in out["zh-Hans/archive/index.md"].decode()
    assert "## Undated\n\n- [All pages](undated.md) (1)" in out["en/archive/index.md"].decode()
    import xml.etree.ElementTree as ET

    channel = ET.fromstring(out["zh-Hant/feed.xml"]).find("channel")
    assert channel.find("language").text == "zh-Hant"
    assert channel.find("item/pubDate").text == "Fri, 03 Jan 2020 00:00:00 +0000"


def test_indexes_scale_to_1000_notices():
    summaries = _summaries(1000)
    start = time.perf_counter()
    out = render_indexes(summaries, SETTINGS)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, elapsed
    biggest = max(len(v) for v in out.values())
    assert biggest < 200_000, biggest  # paginated: no page grows with the archive
    home = out["zh-Hans/index.md"].decode()
    assert home.count("\n### ") == 20 and "(archive/index.md)" in home
    assert "en/tags/migrant-workers.md" in out and "en/tags/social-assistance.md" in out  # readable ASCII pages
    assert "en/tags/t-8b1d521e38/index.html" in out or any(p.startswith("en/tags/t-") and p.endswith("/index.html")
                                                           for p in out)  # old hash URLs redirect
    assert any(p.endswith("-2.md") for p in out)  # big keys are split over numbered pages
    assert render_indexes(list(reversed(summaries)), SETTINGS) == out  # order of input does not matter
    # the pager: 「第2/n页」 without spaces, its links of a finger's size (class np-pager)
    second = out["zh-Hans/tags/migrant-workers-2.md"].decode()
    assert re.search(r"\n第2/\d+页 · \[上一页\]\(migrant-workers\.md\) · \[下一页\]\(migrant-workers-3\.md\)\n"
                     r"\{ \.np-pager \}\n", second), second[-300:]
    # date and source after a headline, each in one piece: a full-width space in Chinese, a dash in English
    assert '.md)\u3000<span class="np-meta">2022年6月16日</span>\u3000<span class="np-meta">据民政部官网</span>' in second
    english = out["en/tags/migrant-workers-2.md"].decode()
    assert ' — <span class="np-meta">16 June 2022</span> — <span class="np-meta">Source: Ministry of' in english


@pytest.mark.skipif(shutil.which("pymarkdown", path=str(Path(sys.executable).parent)) is None,
                    reason="pymarkdownlnt not installed")
def test_markdown_passes_pymarkdown(tmp_path):
    files = {**render_notice(make_bundle(), SETTINGS), **render_indexes(_summaries(3), SETTINGS)}
    for path, data in files.items():
        if path.endswith(".md"):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(data)
    run = subprocess.run([str(Path(sys.executable).parent / "pymarkdown"), "--config", str(REPO / ".pymarkdown.json"),
                          "scan", "--recurse", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_undated_notice_and_dataclass_replace():
    bundle = dataclasses.replace(make_bundle(date=None))
    meta, _ = front(render_notice(bundle, SETTINGS)[f"zh-Hans/{N.removesuffix('-2023-01-16-a3')}-a3/a1.md"])
    assert "date" not in meta


def test_adjacent_pending_sentences_share_one_marker():
    from noticepub.render.markdown import spans

    text = (Span("Done.", EDITED), Span(" 第一句。", PENDING), Span("第二句。", PENDING))
    out = spans(text, "translation pending")
    assert out.count("np-pending") == 1 and "第一句。第二句。" in out and out.startswith("Done. <span")


def test_list_pages_are_cut_from_the_oldest_end_so_a_new_notice_changes_the_first_page_only():
    from noticepub.render.indexes import _chunks

    items = list(range(250, 0, -1))  # newest first
    pages = _chunks(items, 100)
    assert [len(p) for p in pages] == [50, 100, 100] and sum(pages, []) == items
    grown = _chunks([251, *items], 100)
    assert grown[0] == [251, *pages[0]] and grown[1:] == pages[1:]
    assert _chunks(list(range(200, 0, -1)), 100) == [list(range(200, 100, -1)), list(range(100, 0, -1))]
    assert _chunks([], 100) == [[]]
    summaries = _summaries(230)
    before = render_indexes(summaries[:-1], SETTINGS)  # the last one is the newest
    after = render_indexes(summaries, SETTINGS)
    changed = sorted(p for p in after if after[p] != before.get(p) and p.startswith("zh-Hans/status"))
    assert changed == ["zh-Hans/status.md"]  # the totals and the new notice: the first page only
    # every list (archive, regions, topics, sources): a numbered page changes only when its list gains a page
    import re

    numbered = re.compile(r"^(.*[a-z])-(\d+)\.md$")  # not archive/2020-08.md
    last = {}
    for path in before:
        if m := numbered.match(path):
            last[m[1]] = max(last.get(m[1], 1), int(m[2]))
    stable = [p for p in before if (m := numbered.match(p)) and f"{m[1]}-{last[m[1]] + 1}.md" not in after]
    assert len(stable) > 20 and [p for p in stable if after.get(p) != before[p]] == []


# ------------------------------------------------------------------ reader: honest English, header, tables
def _html(markdown_text: str) -> str:
    import markdown

    return markdown.markdown(markdown_text, extensions=["attr_list", "md_in_html", "admonition"])


def _unmarked_chinese(html_text: str) -> list[str]:
    """Text nodes with Chinese characters that have no ancestor with a Chinese lang attribute."""
    import re
    from html.parser import HTMLParser

    voids = {"br", "img", "meta", "link", "input", "hr"}

    class Walk(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str | None] = []
            self.bad: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag not in voids:
                self.stack.append(dict(attrs).get("lang"))

        def handle_endtag(self, tag):
            if tag not in voids and self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if re.search(r"[\u3400-\u9fff]", data) and not any(x and x.startswith("zh") for x in self.stack):
                self.bad.append(data)

    walk = Walk()
    walk.feed(html_text)
    return walk.bad


def _untranslated_bundle() -> NoticeBundle:
    """a1 has no English at all; a2 is half translated (its title reviewed, its body pending)."""
    bundle = make_bundle()
    a1, a2 = ARTICLES

    def pending(text):
        return None if text is None else (Span(text, PENDING),)

    en = (
        LocalizedArticle("en", "a1", pending(a1.title), None, pending(a1.lead),
                         tuple(pending(p) for p in a1.paragraphs), pending(a1.attribution),
                         Provenance("pending", "translation pending", (("pending", 5),))),
        LocalizedArticle("en", "a2", (Span("Reviewed title", EDITED),), pending(a2.subtitle), None,
                         ((Span("Reviewed sentence.", EDITED),), pending(a2.paragraphs[1])), None,
                         Provenance("mixed", "1 edited, 2 pending segments", (("edited", 2), ("pending", 2)))),
    )
    return dataclasses.replace(bundle, variants={**bundle.variants, "en": en})


def test_bilingual_view_notes_gaps_in_the_readers_language():
    """The view is built in the page (overrides/assets/bilingual.js): no separate bilingual page; an English
    page whose body is mostly pending says so at its top and offers no view; where the view is offered, the
    toggle carries the note that replaces each untranslated sentence of the English column, in the reader's
    language (never the Chinese twice, never Simplified on a zh-Hant page)."""
    out = render_notice(_untranslated_bundle(), SETTINGS)
    assert not [path for path in out if path.endswith("-bilingual.md")]
    _, body = front(out[f"en/{N}/a1.md"])
    assert "English is not yet available for this article." in body and "np-bilingual" not in body
    gaps = {"zh-Hans": "data-np-gap=\"（此句暂无英文译文）\"", "zh-Hant": "data-np-gap=\"（此句暫無英文譯文）\"",
            "en": "data-np-gap=\"(not yet translated)\""}
    for lang, gap in gaps.items():
        _, body = front(out[f"{lang}/{N}/a2.md"])
        assert "np-bilingual-toggle" in body and gap in body, (lang, body)


def test_english_pages_mark_every_chinese_run():
    out = render_notice(_untranslated_bundle(), SETTINGS)
    summaries = _summaries(2)
    out.update(render_indexes(summaries, SETTINGS))
    checked = 0
    for path, data in out.items():
        if path.startswith("en/") and path.endswith(".md"):
            html_text = _html(front(data)[1])
            assert _unmarked_chinese(html_text) == [], path
            checked += 1
    assert checked > 15
    # the check itself can fail: a Chinese text node outside a zh element
    assert _unmarked_chinese("<p>Source: 民政部官网</p>") == ["Source: 民政部官网"]


def test_mostly_pending_english_is_noindex_and_not_in_the_feed():
    bundle = _untranslated_bundle()
    out = render_notice(bundle, SETTINGS)
    meta, body = front(out[f"en/{N}/a1.md"])
    assert meta["robots"] == "noindex" and "English is not yet available for this article." in body
    assert "robots" not in front(out[f"zh-Hans/{N}/a1.md"])[0]  # only the English page
    assert "robots" not in front(render_notice(make_bundle(), SETTINGS)[f"en/{N}/a1.md"])[0]  # reviewed: indexed
    summary = summarize(bundle, SETTINGS)
    assert [a.untranslated for a in summary.articles] == [True, False]  # a2: 1 of 2 body sentences pending
    feed = render_indexes([summary], SETTINGS)
    assert feed["zh-Hans/feed.xml"].decode().count("<item>") == 2
    en_feed = feed["en/feed.xml"].decode()
    assert en_feed.count("<item>") == 1 and "/a1/" not in en_feed and "/a2/" in en_feed


def test_json_ld_news_article_is_valid_schema_org():
    bundle = make_bundle(url="https://www.mca.gov.cn/n152/n165/c1662004999979995221/content.html")
    out = render_notice(bundle, SETTINGS)
    # schema.org NewsArticle: the properties search engines require or recommend, with their expected types
    required = {"@context": str, "@type": str, "headline": str, "datePublished": str, "inLanguage": str,
                "url": str, "mainEntityOfPage": str}
    for lang in LANGS:
        meta, _ = front(out[f"{lang}/{N}/a1.md"])
        data = json.loads(meta["jsonld"])
        for key, kind in required.items():
            assert isinstance(data.get(key), kind), (lang, key)
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        assert data["inLanguage"] == lang and len(data["headline"]) <= 110
        assert dt.date.fromisoformat(data["datePublished"]) == dt.date(2023, 1, 16)
        assert meta["published_time"] == "2023-01-16"
        assert data["url"].startswith("https://noticepub.example.org/") and data["url"].endswith(f"{N}/a1/")
        assert data["publisher"]["@type"] == "NewsMediaOrganization"
        if lang == "zh-Hans":
            assert data["isBasedOn"] == bundle.meta.url  # the newspaper's own page
            assert {w["inLanguage"] for w in data["workTranslation"]} == {"zh-Hant", "en"}
        else:
            for key in ("isBasedOn", "translationOfWork"):
                assert data[key]["@type"] == "NewsArticle" and data[key]["inLanguage"] == "zh-Hans"
                assert data[key]["@id"] == f"https://noticepub.example.org/{N}/a1/"
    assert json.loads(front(out[f"en/{N}/a1.md"])[0]["jsonld"])["publisher"]["name"] == "China Society News"
    # a headline cannot close the script element it is printed in
    raw = front(out[f"zh-Hans/{N}/a2.md"])[0]["jsonld"]
    assert "<" not in raw and ">" not in raw and json.loads(raw)["headline"].startswith("<script>")


def test_article_header_breadcrumb_dateline_and_source_link():
    bundle = make_bundle(url="https://example.org/page?a=1&b=2")
    out = render_notice(bundle, SETTINGS)
    _, zh = front(out[f"zh-Hans/{N}/a1.md"])
    head = zh[:zh.index("{ .np-dateline }")]
    assert "[首页](../../index.md) › [中国社会报 2023年1月16日 A3版](index.md) › " in head
    assert ('<a href="https://example.org/page?a=1&amp;b=2" rel="external">中国社会报</a>\u3000'
            '<time datetime="2023-01-16">2023年1月16日</time>\u3000A3版') in head
    assert head.index("np-breadcrumb") < head.index("# 民政部发布养老机构通知") < head.index("<time")
    _, hant = front(out[f"zh-Hant/{N}/a1.md"])
    assert "中國社會報</a>\u3000<time datetime=\"2023-01-16\">2023年1月16日</time>\u3000A3版" in hant
    _, en = front(out[f"en/{N}/a1.md"])
    assert 'China Society News</a> · <time datetime="2023-01-16">16 January 2023</time> · page A3' in en
    assert "[Home](../../index.md) › [China Society News, 16 January 2023, page A3](index.md)" in en


def test_tables_kicker_byline_and_speakers_in_three_languages():
    rows = (("项目", "资金（万元）", "备注"), ("城市低保", "120.5", "按月发放"), ("农村特困", "80", "—"))
    table_text = "\n".join(" ".join(r) for r in rows)
    article = Article("a1", "社区食堂开张", None, None,
                      ("各地发放情况如下。", table_text, "问：食堂怎么收费？", "答：老人八折。"), None, (1, 2, 3, 4),
                      kicker="民生实事", byline="本报记者 张三 李四",
                      tables=((1, rows),), speakers=((2, "问："), (3, "答：")))
    cells = [c for r in rows for c in r if any("\u4e00" <= ch <= "\u9fff" for ch in c)]
    english_cells = {"项目": "Item", "资金（万元）": "Funds (10,000 yuan)", "备注": "Notes",
                     "城市低保": "Urban subsistence allowance",
                     "按月发放": "Paid monthly", "农村特困": "Rural extreme poverty"}
    assert set(cells) == set(english_cells)
    from noticepub.translate import field_segments

    assert dict(field_segments(article))["p2"] == cells  # one segment per cell with Chinese, numbers never
    en = LocalizedArticle("en", "a1", (Span("Community canteen opens", EDITED),), None, None, (
        (Span("Payments are as follows.", EDITED),),
        tuple(Span(("" if i == 0 else " ") + english_cells[c], EDITED) for i, c in enumerate(cells)),
        (Span("Q: How much does the canteen charge?", EDITED),), (Span("A: 20% off for older people.", EDITED),)),
        None, Provenance("edited", "edited", (("edited", 10),)))
    bundle = dataclasses.replace(make_bundle(), parsed=ParseResult(source="x", articles=(article,)),
                                 variants={"zh-Hans": hans_articles((article,)),
                                           "zh-Hant": hant_articles((article,), SETTINGS), "en": (en,)})
    out = render_notice(bundle, SETTINGS)
    _, zh = front(out[f"zh-Hans/{N}/a1.md"])
    assert zh.index("民生实事\n{ .np-kicker }") < zh.index("# 社区食堂开张") < zh.index("本报记者 张三 李四\n{ .np-byline }")
    assert '<tr><th scope="col">项目</th><th scope="col">资金（万元）</th><th scope="col">备注</th></tr>' in zh
    assert '<tr><td>城市低保</td><td class="np-num">120.5</td><td>按月发放</td></tr>' in zh  # a figure: set right
    assert 'class="np-table" role="region" aria-label="表格" tabindex="0"' in zh
    assert "**问：**食堂怎么收费？" in zh and "**答：**老人八折。" in zh
    _, hant = front(out[f"zh-Hant/{N}/a1.md"])
    assert '<tr><td>城市低保</td><td class="np-num">120.5</td><td>按月發放</td></tr>' in hant  # OpenCC per cell
    assert "**問：**食堂怎麼收費？" in hant and "民生實事\n{ .np-kicker }" in hant
    _, english = front(out[f"en/{N}/a1.md"])
    assert ('<tr><th scope="col">Item</th><th scope="col">Funds &#40;10,000 yuan&#41;</th><th scope="col">Notes</th>'
            "</tr>") in english
    assert '<tr><td>Urban subsistence allowance</td><td class="np-num">120.5</td><td>Paid monthly</td></tr>' in english
    assert '<tr><td>Rural extreme poverty</td><td class="np-num">80</td><td>—</td></tr>' in english
    assert "**Q:** How much does the canteen charge?" in english
    assert 'lang="zh-Hans"' in english.split("{ .np-kicker }")[0].rsplit("\n", 2)[-2]  # kicker not translated yet
    html_text = _html(english)
    assert "<table class=\"np-data\">" in html_text and _unmarked_chinese(html_text) == []


def test_table_figures_are_told_from_words():
    """Cells that are figures as printed (set right in the page) and cells that are words or figures with units."""
    from noticepub.render.pages import table_html

    rows = (("类别", "人数", "金额", "增长"), ("高龄津贴", "52.3万人", "18,650", "6.2%"), ("合计", "—", "-3", "１２"))
    html_text = table_html(rows, (), "zh-Hans", SETTINGS, "待翻译")
    numeric = re.findall(r'<td class="np-num">([^<]*)</td>', html_text)
    assert numeric == ["18,650", "6.2%", "-3", "１２"]
    assert "<td>52.3万人</td>" in html_text and "<td>—</td>" in html_text and "<td>高龄津贴</td>" in html_text


def test_missing_english_names_are_warnings_naming_the_file():
    from noticepub.render import name_warnings

    bundle = dataclasses.replace(make_bundle(), meta=dataclasses.replace(
        make_bundle().meta, publication="某某晚报", tags=("老年助餐", "社会救助")))
    warnings = name_warnings(summarize(bundle, SETTINGS), SETTINGS)
    assert any("publication 某某晚报 has no English name" in w and "source_texts/glossary.yml" in w for w in warnings)
    assert any("topic 老年助餐 has no English name" in w and "data/topics.yml" in w for w in warnings)
    assert not any("社会救助" in w for w in warnings)
    assert name_warnings(summarize(make_bundle(), SETTINGS), SETTINGS) == []


def test_list_deks_are_short_and_cut_at_a_boundary():
    from noticepub.render.pages import dek

    long_zh = "日前，民政部发布通知，要求各地做好冬季救助工作。" * 8
    short = dek(long_zh, "zh-Hans")
    assert len(short) <= 80 and short.endswith("。")
    words = "Recently the Ministry of Civil Affairs issued a notice asking every locality to prepare winter relief " * 4
    cut = dek(words, "en")
    assert len(cut) <= 161 and cut.endswith("…") and words.startswith(cut[:-1]) and not cut[:-1].endswith(" ")
    assert cut[:-1].split()[-1] in words.split()  # never half a word
    # an English list showing a first paragraph still pending in Chinese: as long as in the Chinese lists
    assert dek(long_zh, "en") == short  # it was cut at 200 characters there
    assert len(dek("郑州市 " + words, "en")) > 150  # English naming a place in Chinese is measured as English
    # a closing quote is a sentence end only after 。！？ inside it: the dek was cut at 强化“日调度” mid-sentence
    quoted = "会议要求，各地民政部门要及时掌握养老机构的经营运行情况，推动已有纾困政策的落实，同时重视发挥慈善组织等作用。" \
             "要继续强化“日调度”机制，动态跟踪养老机构疫情防控最新进展。"
    assert dek(quoted, "zh-Hans") == quoted[:quoted.index("。") + 1]
    # the dek starts after the report's dateline (the article keeps it); a reporter who telephones is no dateline
    assert dek("本报讯（记者尹翠莉）省民政厅近日宣布，首批二十家社区嵌入式养老服务站投入运营。", "zh-Hans") \
        == "省民政厅近日宣布，首批二十家社区嵌入式养老服务站投入运营。"
    assert dek("本报北京1月7日电（记者刘洋）养老服务人才培训班7日在京开班。", "en") == "养老服务人才培训班7日在京开班。"
    assert dek("新华社北京1月7日电 记者从民政部获悉。", "zh-Hant") == "记者从民政部获悉。"
    assert dek("本报记者电话采访了市民政局负责人。", "zh-Hans") == "本报记者电话采访了市民政局负责人。"
    assert dek("本报讯（记者尹翠莉）", "zh-Hans") == "本报讯（记者尹翠莉）"  # nothing after it: kept
    said = "他说：“上班前把孩子送来，下班顺路接回家，每月费用比市场价低一半，家长们都说方便。”" \
           "此外，托育点还开设了周末亲子课堂和育儿讲座，受到辖区年轻家庭的普遍欢迎，每逢周末前来参加活动的家长和孩子络绎不绝。"
    assert dek(said, "zh-Hans") == said[:said.index("”") + 1]
    home = render_indexes(_summaries(2), SETTINGS)["zh-Hans/index.md"].decode()
    assert '<br><span class="np-dek">日前，民政部发布通知。</span>' in home
    archive = render_indexes(_summaries(2), SETTINGS)["en/archive/index.md"].decode()
    assert "[January 2020](2020-01.md)" in archive and "## 2020" in archive
    zh_archive = render_indexes(_summaries(2), SETTINGS)["zh-Hant/archive/index.md"].decode()
    assert "[2020年1月](2020-01.md)" in zh_archive and "## 2020年" in zh_archive


def test_home_is_shared_under_the_site_name():
    out = render_indexes(_summaries(1), SETTINGS)
    assert front(out["en/index.md"])[0]["og_title"] == "Civil Affairs News in Three Languages"
    assert front(out["zh-Hant/index.md"])[0]["og_title"] == "民政新聞三語文庫"


def test_kicker_and_byline_come_from_the_translation_memory():
    from noticepub.translate import field_segments

    article = Article("a1", "社区食堂开张", None, None, ("食堂开张了。",), None, (1,), kicker="民生实事",
                      byline="本报记者 张三")
    assert [k for k, _ in field_segments(article)][:3] == ["kicker", "title", "byline"]
    en = LocalizedArticle("en", "a1", (Span("Community canteen opens", EDITED),), None, None,
                          ((Span("The canteen has opened.", EDITED),),), None,
                          Provenance("edited", "edited", (("edited", 4),)),
                          kicker=(Span("Practical matters", EDITED),), byline=(Span("By Zhang San", EDITED),))
    bundle = dataclasses.replace(make_bundle(), parsed=ParseResult(source="x", articles=(article,)),
                                 variants={"zh-Hans": hans_articles((article,)),
                                           "zh-Hant": hant_articles((article,), SETTINGS), "en": (en,)})
    out = render_notice(bundle, SETTINGS)
    _, english = front(out[f"en/{N}/a1.md"])
    assert "Practical matters\n{ .np-kicker }" in english and "By Zhang San\n{ .np-byline }" in english
    _, hant = front(out[f"zh-Hant/{N}/a1.md"])
    assert "民生實事\n{ .np-kicker }" in hant and "本報記者 張三\n{ .np-byline }" in hant


def test_index_memo_makes_only_pages_whose_inputs_changed():
    """With a memo of the last build's index pages, render_indexes makes again only the pages whose inputs
    changed (a notice added: the lists holding it); the others are left out and listed as reused with the
    sha256 of the very bytes a full render makes. A page docs/ no longer holds intact is made again, and a
    different salt (code, settings) reuses nothing."""
    import hashlib

    from noticepub.render.indexes import IndexMemo

    summaries = _summaries(230)
    full_before = render_indexes(summaries[:-1], SETTINGS)
    first = IndexMemo({}, "salt", lambda rel, digest: True)
    assert render_indexes(summaries[:-1], SETTINGS, memo=first) == full_before and not first.reused
    assert first.new.keys() <= full_before.keys() and len(first.new) > 0.8 * len(full_before)  # not feeds, redirects
    full_after = render_indexes(summaries, SETTINGS)
    memo = IndexMemo(first.new, "salt", lambda rel, digest: rel != "zh-Hant/archive/index.md")
    made = render_indexes(summaries, SETTINGS, memo=memo)
    assert made.keys() | memo.reused.keys() == full_after.keys() and not made.keys() & memo.reused.keys()
    assert all(made[rel] == full_after[rel] for rel in made)
    assert all(hashlib.sha256(full_after[rel]).hexdigest() == digest for rel, digest in memo.reused.items())
    assert "zh-Hant/archive/index.md" in made  # not intact in docs/: made again
    assert "zh-Hans/index.md" in made and "zh-Hans/archive/2020-01.md" in memo.reused  # an old month: unchanged
    assert len(memo.reused) > len(made) and "zh-Hans/status-2.md" in memo.reused
    other = IndexMemo(first.new, "other salt", lambda rel, digest: True)
    assert render_indexes(summaries[:-1], SETTINGS, memo=other) == full_before and not other.reused


def test_every_topic_a_notice_is_tagged_with_has_an_english_name():
    """English pages show a topic by its English name: the tags the maintainers wrote in source_texts/*/
    notice.yml (特困供养, 托育服务, …) each have one (they were shown in Chinese on English pages)."""
    import yaml

    from noticepub.render.names import english_tag

    tags = {t for path in sorted(Path("source_texts").glob("*/notice.yml"))
            for t in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tags") or ()}
    assert {"特困供养", "托育服务", "殡葬服务"} <= tags
    assert sorted(t for t in tags if english_tag(t, SETTINGS) is None) == []
