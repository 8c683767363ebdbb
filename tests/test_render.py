"""Render on a hand-made bundle: paths, escaping, front matter, lead-ins, pending English, provenance,
index pages at scale, determinism and Markdown lint."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
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
                                           "summary"}
    assert [a["href"] for t, a in parser.tags if t == "a"] == [
        "../../../en/notices/zhong-guo-she-hui-bao-2023-01-16-a3/a2/", "../../tags/social-assistance.md", "a1.md",
        "index.md"]


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
    assert "[中国社会报, 16 January 2023, page A3](index.md)" in readers
    assert "- Publication&#58; 中国社会报" in readers and "- Date&#58; 16 January 2023" in readers
    assert "- Page&#58; page A3" in readers
    assert "English&#58; 6 sentences reviewed" in readers
    assert "converted automatically from the Simplified Chinese &#40;Taiwan character forms&#41;" in readers
    for secret in ("demo-1", "raw.txt", "sha256", "OpenCC", "lines", "a1"):
        assert secret not in readers, secret
        assert secret in technical, secret
    assert "lines 1–3" in technical and "s2tw" in technical
    _, zh = front(pages[f"zh-Hans/{N}/a2.md"])
    assert "英文：2 句机器翻译、2 句待翻译（暂以中文原文显示）" in zh
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
    notes = {"zh-Hans": "英文译文尚未提供", "zh-Hant": "英文譯文尚未提供", "en": "English not yet available"}
    for lang in LANGS:
        page = out[f"{lang}/{N}/a1.md"].decode()
        assert "np-bilingual-toggle" not in page
        assert f'<p class="np-bilingual-none" id="bilingual">{notes[lang]}</p>' in page
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
    assert summary.publication_names == {"zh-Hans": "中国社会报", "zh-Hant": "中國社會報", "en": "中国社会报"}
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
    assert "[Shanxi](shanxi.md)" in out["en/regions/index.md"].decode()
    assert "山西" in out["zh-Hans/regions/index.md"].decode()
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
