"""Pages of one notice: article pages (with their Chinese–English view) and the notice page, in every language.

Pure functions: bundle in, {docs-relative path: bytes} out. Deterministic (no clock, sorted YAML).
Readers see names, never ids, hashes or file paths: those are in the collapsed "technical details"
block of the provenance box (and in the front matter), which search does not index.
"""

from __future__ import annotations

import json
import re

from noticepub.model import LANG_DIRS, LANGS, PENDING, Article, LocalizedArticle, NoticeBundle, Span, Text
from noticepub.render.common import (
    BILINGUAL_PARTNER,
    LANG_PREFIX,
    L,
    alternates,
    article_path,
    article_slug,
    bundle_facts,
    display_title,
    front_matter,
    notice_names,
    published,
    relative_url,
    url_of,
    variant,
)
from noticepub.render.markdown import (
    GAP,
    attr,
    has_han,
    has_lead_in,
    inline,
    inline_html,
    mark_chinese,
    paragraph,
    plain_text,
    spans,
)
from noticepub.render.names import KeyNames, format_date, format_page, notice_label, tag_slug
from noticepub.render.redirects import old_notice_folders, redirect_page
from noticepub.render.regions import article_regions, article_tags
from noticepub.settings import Settings

DESCRIPTION_CHARS = 120
_QUOTED_END = re.compile(r"[。！？…][”」』’]+")
TECHNICAL_OPEN = '<details class="np-technical" data-pagefind-ignore markdown>'


def description(text: str, lang: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Plain text of about ``limit`` characters, cut at a sentence end where one falls in its second half, else
    at a word end (English) or after ``limit`` characters with an ellipsis: <meta name=description> and the
    dek under each headline in the lists."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    ends = [cut.rfind(ch) for ch in ("。", "！", "？", "；")]
    # a closing quote ends a sentence only after 。！？ inside it (。” ！」): 强化“日调度” is mid-sentence
    ends += [m.end() - 1 for m in _QUOTED_END.finditer(cut)][-1:]
    ends += [cut.rfind(ch) for ch in (". ", "! ", "? ", "; ")]
    end = max(ends)
    if end >= limit // 2:
        return cut[: end + 1].strip()
    if lang == "en" and " " in cut[:limit]:
        return cut[:limit].rsplit(" ", 1)[0].rstrip(",;:—-– ") + "…"
    cut = cut[:limit]
    comma = max(cut.rfind(ch) for ch in "，、：")
    if lang != "en" and comma >= limit * 2 // 3:  # a clause end
        cut = cut[:comma]
    return cut + ("…" if lang == "en" else "……")


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
DEK_CHARS = 80  # the dek under a headline in the lists (Chinese characters; English about twice that)


# the news dateline that opens a Chinese report (本报讯（记者尹翠莉）, 本报北京1月7日电（记者刘洋）, 新华社…电):
# the article keeps it; a dek or a description starts after it (it took up to a fifth of an 80-character dek)
_DATELINE = re.compile(r"(?:本报讯|本報訊|(?:本报|本報|新华社|新華社|中新社|中新网|中新網)(?![记記]者)"
                       r"[\u4e00-\u9fff]{0,6}(?:\d{1,2}月\d{1,2}日)?[电電])\s*(?:（[^（）\n]{1,30}）)?\s*")


def without_dateline(text: str) -> str:
    """``text`` without the dateline it opens with, if any (and only when something follows it)."""
    m = _DATELINE.match(text)
    return text[m.end():] if m and text[m.end():].strip() else text


def dek(text: str, lang: str) -> str:
    """A short standfirst for the lists: ~80 characters of Chinese (~160 of English), at a sentence or word end,
    after the report's dateline (本报讯（记者…）). The length goes by the text's script, not the page's language:
    an English list shows a first paragraph still pending in Chinese, and it is as long there as in the Chinese
    lists (it was twice as long)."""
    text = without_dateline(" ".join(text.split()))
    han = len(_HAN.findall(text))
    return description(text, lang, DEK_CHARS * 2 if lang == "en" and han * 2 <= len(text) else DEK_CHARS)



def _convert(lang: str, settings: Settings):
    """The publication's name in ``lang``: OpenCC for zh-Hant, the glossary's English for en."""
    return KeyNames(lang, settings).publication


def _label(bundle: NoticeBundle, lang: str, settings: Settings) -> str:
    return notice_label(notice_names(bundle, lang, _convert(lang, settings)), lang)


def _attribution(article: LocalizedArticle, lang: str, marker: str) -> str:
    if not article.attribution:
        return ""
    return inline(L(lang, "source_prefix")) + spans(article.attribution, marker) + inline(L(lang, "source_suffix"))


def english_counts(counts: dict[str, int], lang: str) -> str:
    """"30 reviewed, 2 machine-translated" in ``lang``."""
    parts = [L(lang, f"en_words_{k}").format(n=counts[k], s="" if counts[k] == 1 else "s")
             for k in ("edited", "machine", "pending", "outdated") if counts.get(k)]
    return L(lang, "list_sep").join(parts)


def english_status(en: LocalizedArticle, lang: str) -> str:
    """How the English of one article was made, in words with sentence counts (no engine names or versions):
    "18 reviewed", "12 reviewed, 3 pending"."""
    counts = dict(en.provenance.counts)
    words = english_counts(counts, lang)
    if words:
        return words
    key = f"en_{en.provenance.method}"
    return L(lang, key) if key in L_KEYS_EN else ""


L_KEYS_EN = ("en_edited", "en_machine", "en_pending")


def _english_engine(en: LocalizedArticle) -> str:
    detail = en.provenance.detail
    return detail.split("machine translation: ", 1)[1].split(";")[0] if "machine translation: " in detail else detail


def _notice_lines(bundle: NoticeBundle, lang: str, settings: Settings, link: str | None) -> list[str]:
    """Publication, date and page (what readers cite), as list items."""
    meta, out = bundle.meta, []
    if link is not None:
        out.append(f"- {inline(L(lang, 'source_page'))}{inline(L(lang, 'colon'))}"
                   f"[{inline(_label(bundle, lang, settings))}]({link})")
    if meta.publication:
        out.append(f"- {inline(L(lang, 'publication'))}{inline(L(lang, 'colon'))}"
                   f"{inline(_convert(lang, settings)(meta.publication))}")
    if meta.date:
        out.append(f"- {inline(L(lang, 'date'))}{inline(L(lang, 'colon'))}"
                   f"{inline(format_date(meta.date.isoformat(), lang))}")
    if meta.page:
        out.append(f"- {inline(L(lang, 'page'))}{inline(L(lang, 'colon'))}{inline(format_page(meta.page, lang, True))}")
    if meta.url:
        out.append(f"- {inline(L(lang, 'original_url'))}{inline(L(lang, 'colon'))}<{attr(meta.url)}>")
    return out


def _hant_made(lang: str, settings: Settings) -> str:
    return L(lang, "hant_made_words").format(forms=L(lang, f"forms_{settings.opencc_config}"))


def _technical(bundle: NoticeBundle, lang: str, extra: list[str], lines: str | None = None) -> list[str]:
    """Maintainers' details (paths, lines, hashes, converter versions), collapsed and not indexed."""
    meta = bundle.meta
    where = f"{inline(L(lang, 'lines'))} {lines}, " if lines else ""
    out = [
        TECHNICAL_OPEN, f"<summary>{inline(L(lang, 'technical'))}</summary>", "",
        f"- {inline(L(lang, 'raw_file'))}{inline(L(lang, 'colon'))}{inline(bundle.source_path)} "
        f"({where}sha256 {bundle.source_sha256[:12]})",
        f"- {inline(L(lang, 'notice_id'))}{inline(L(lang, 'colon'))}{inline(meta.id)}",
        *extra,
    ]
    if meta.original_filename:
        out.append(f"- {inline(L(lang, 'original_filename'))}{inline(L(lang, 'colon'))}{inline(meta.original_filename)}")
    return [*out, "", "</details>"]


def _box(title: str, inner: list[str]) -> list[str]:
    return ['<div class="admonition info np-provenance" data-pagefind-ignore markdown>',
            f'<p class="admonition-title">{inline(title)}</p>', "", *inner, "", "</div>", ""]


def _provenance(bundle: NoticeBundle, source: Article, lang: str, settings: Settings) -> list[str]:
    hant = variant(bundle, "zh-Hant", source.id)
    en = variant(bundle, "en", source.id)
    span = f"{min(source.lines)}–{max(source.lines)}" if source.lines else "–"
    inner = [
        *_notice_lines(bundle, lang, settings, "index.md"),
        f"- {inline(L(lang, 'hans_made'))}",
        f"- {inline(_hant_made(lang, settings))}",
        f"- {inline(L(lang, 'en_status'))}{inline(L(lang, 'colon'))}{inline(english_status(en, lang))}",
        "",
    ]
    colon = inline(L(lang, "colon"))
    extra = [
        f"- {inline(L(lang, 'article_id'))}{colon}{inline(source.id)}",
        f"- {inline(L(lang, 'hant_method'))}{colon}{inline(hant.provenance.detail)}",
        f"- {inline(L(lang, 'en_method'))}{colon}{inline(_english_engine(en))}",
    ]
    return _box(L(lang, "provenance"), inner + _technical(bundle, lang, extra, span))


def english_exists(en: LocalizedArticle) -> bool:
    """Whether any of the article's English is translated (reviewed or machine): only then is a
    Chinese–English view offered."""
    fields = (en.title, en.subtitle or (), en.lead or (), *en.paragraphs)
    return any(s.state != PENDING and s.text.strip() for f in fields for s in f)


def mostly_pending(en: LocalizedArticle) -> bool:
    """More than half of the body's sentences (lead and paragraphs) are still the Chinese source: the English
    page says so, is noindex and stays out of the English feed until it is translated."""
    body = [s for f in (en.lead or (), *en.paragraphs) for s in f if s.text.strip()]
    return sum(s.state == PENDING for s in body) * 2 > len(body)


def _url(lang: str, path: str, settings: Settings) -> str:
    folder = LANG_DIRS[lang]
    return settings.site_url.rstrip("/") + "/" + (f"{folder}/" if folder else "") + url_of(path)


HEADLINE_MAX = 110  # schema.org / search engines: headlines longer than this are cut


def json_ld(bundle: NoticeBundle, source: Article, lang: str, path: str, title: str, settings: Settings) -> str:
    """schema.org NewsArticle of one article page as JSON-LD: headline, datePublished, inLanguage, the
    newspaper, and for zh-Hant and en the Simplified original they are made from (isBasedOn,
    translationOfWork). ``<``, ``>`` and ``&`` are \\u escapes: the JSON cannot close or open an element."""
    url = _url(lang, path, settings)
    data: dict = {"@context": "https://schema.org", "@type": "NewsArticle", "@id": url, "url": url,
                  "mainEntityOfPage": url, "inLanguage": lang,
                  "headline": title if len(title) <= HEADLINE_MAX else title[:HEADLINE_MAX - 1] + "…"}
    meta = bundle.meta
    if meta.date:
        data["datePublished"] = meta.date.isoformat()
    if meta.publication:
        name = KeyNames(lang, settings).publication(meta.publication)
        data["publisher"] = {"@type": "NewsMediaOrganization", "name": name}
    if source.byline:
        data["author"] = {"@type": "Person", "name": KeyNames(lang, settings).zh(source.byline)}
    original = {"@type": "NewsArticle", "@id": _url("zh-Hans", path, settings), "inLanguage": "zh-Hans"}
    if lang != "zh-Hans":
        data["isBasedOn"] = original
        data["translationOfWork"] = original
        if lang == "zh-Hant":
            data["isBasedOn"] = dict(original, description="OpenCC")
    else:
        data["workTranslation"] = [{"@type": "NewsArticle", "@id": _url(other, path, settings), "inLanguage": other}
                                   for other in LANGS if other != lang]
        if meta.url:
            data["isBasedOn"] = meta.url
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page_meta(bundle: NoticeBundle, article_id: str, lang: str, path: str, title: str, settings: Settings) -> dict:
    meta = {
        "title": attr(title),
        "notice": bundle.meta.id,
        "article": article_id,
        "lang": lang,
        "alternates": alternates(lang, path, settings),
        "og_type": "article",
    }
    if bundle.meta.date:
        meta["date"] = bundle.meta.date.isoformat()
    return meta


def _dateline(bundle: NoticeBundle, lang: str, settings: Settings) -> list[str]:
    """「中国社会报　2024年10月3日　3版」: publication (a link to the original when notice.yml has its url),
    date (each language's own format) and page, as a newspaper prints them above an article."""
    meta = bundle.meta
    name = inline(_convert(lang, settings)(meta.publication)) if meta.publication else \
        inline(L(lang, "unknown_publication"))
    if meta.url:
        name = f'<a href="{attr(meta.url)}" rel="external">{name}</a>'
    parts = [name]
    if meta.date:
        parts.append(f'<time datetime="{meta.date.isoformat()}">{inline(format_date(meta.date.isoformat(), lang))}</time>')
    else:
        parts.append(inline(L(lang, "undated")))
    if meta.page:
        parts.append(inline(format_page(meta.page, lang)))
    return [(" · " if lang == "en" else "\u3000").join(parts), "{ .np-dateline }", ""]  # zh: a full-width space


def _breadcrumb(bundle: NoticeBundle, lang: str, settings: Settings, title: str) -> list[str]:
    """Home › the newspaper page › this article."""
    return [f'<nav class="np-breadcrumb" aria-label="{attr(L(lang, "breadcrumb"))}" markdown>', "",
            f"[{inline(L(lang, 'home'))}](../../index.md) › [{inline(_label(bundle, lang, settings))}](index.md) › "
            f'<span aria-current="page">{title}</span>', "", "</nav>", ""]


def _field(text: Text | None, source: str, lang: str, settings: Settings, marker: str) -> str:
    """The kicker or byline in ``lang``: from the variant when it carries it (English from the translation
    memory), else zh-Hant by OpenCC, zh-Hans as printed, English the Chinese with the pending marker."""
    if text:
        return spans(text, marker)
    if lang == "en":
        return spans((Span(source, PENDING),), marker)
    return inline(KeyNames(lang, settings).zh(source))


_SPEAKER_EN = re.compile(r"^([A-Z][A-Za-z .'’-]{0,30}:)\s*")


def _speaker_paragraph(text: Text, label: str, lang: str, settings: Settings, marker: str, lead_in: bool) -> str:
    """An interview turn: the speaker label (问：, 记者：) in bold, then what was said."""
    first = text[0] if text else None
    if first is not None and first.state != PENDING:
        if lang == "en":
            match = _SPEAKER_EN.match(first.text.lstrip())
            head = match.group(1) if match else None
            rest_text = first.text.lstrip()[match.end():] if match else ""
        else:
            head = KeyNames(lang, settings).zh(label)
            head = head if first.text.startswith(head) else None
            rest_text = first.text[len(head):] if head else ""
        if head:
            rest = (Span(rest_text, first.state), *text[1:])
            return f"**{inline(head)}**" + (" " if lang == "en" else "") + spans(rest, marker).lstrip()
    return paragraph(text, marker, lead_in)


def _cells(rows: tuple[tuple[str, ...], ...], text: Text, lang: str, settings: Settings,
           marker: str) -> list[list[str]]:
    """The cells of a table as HTML-safe text in ``lang``: numbers and other cells without Chinese exactly as
    printed, zh-Hant by OpenCC cell by cell, English from the translation memory (one segment per cell that
    has Chinese, in reading order; a cell with no segment is shown pending)."""
    names = KeyNames(lang, settings)
    english = [s for s in text if s.text.strip()] if lang == "en" else []
    chinese = [c for row in rows for c in row if has_han(c)]
    if lang == "en" and len(english) != len(chinese):
        english = [Span(c, PENDING) for c in chinese]
    it = iter(english)
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if not has_han(cell):
                cells.append(inline_html(cell))
            elif lang == "en":
                cells.append(spans((next(it),), marker))
            else:
                cells.append(inline_html(names.zh(cell)))
        out.append(cells)
    return out


# a cell that is a figure as printed: 1580, 120.5, 6.2%, -3, 1,200, ２５ (set right, so the units line up)
_FIGURE = re.compile(r"[+\-−－]?[\d０-９][\d０-９,，.．]*[%％‰]?")


def table_html(rows: tuple[tuple[str, ...], ...], text: Text, lang: str, settings: Settings, marker: str) -> str:
    """A table as HTML (the first row as its header, each header cell a column header), in a box that scrolls
    sideways on a narrow screen (a class, so Material does not wrap it in its own scroll box, which takes no
    keyboard focus); body cells that are figures carry class np-num (set right)."""
    cells = _cells(rows, text, lang, settings, marker)
    width = max((len(r) for r in cells), default=0)
    out = [f'<div class="np-table" role="region" aria-label="{attr(L(lang, "table"))}" tabindex="0">',
           '<table class="np-data">']
    for n, row in enumerate(cells):
        tag = "th" if n == 0 and len(cells) > 1 else "td"
        printed = list(rows[n]) + [""] * (width - len(rows[n]))
        row = row + [""] * (width - len(row))
        if n == 0 and tag == "th":
            out.append("<thead>")
            out.append("<tr>" + "".join(f'<th scope="col">{c}</th>' for c in row) + "</tr>")
        else:
            out.append("<tr>" + "".join(f'<td class="np-num">{c}</td>' if _FIGURE.fullmatch(cell.strip())
                                        else f"<td>{c}</td>" for c, cell in zip(row, printed, strict=True)) + "</tr>")
        if n == 0 and tag == "th":
            out += ["</thead>", "<tbody>"]
    if len(cells) > 1:
        out.append("</tbody>")
    return "\n".join([*out, "</table>", "</div>"])


def body_block(source: Article, article: LocalizedArticle, i: int, lang: str, settings: Settings, marker: str) -> str:
    """Paragraph ``i`` of an article as Markdown: a sub-heading, a table, an interview turn or a paragraph."""
    text, src = article.paragraphs[i], source.paragraphs[i]
    if i in source.headings:
        return sub_heading(text, marker)
    tables, speakers = dict(source.tables), dict(source.speakers)
    if i in tables:
        return table_html(tables[i], text, lang, settings, marker)
    if i in speakers:
        return _speaker_paragraph(text, speakers[i], lang, settings, marker, has_lead_in(src))
    return paragraph(text, marker, has_lead_in(src))


def sub_heading(text: Text, marker: str) -> str:
    """A sub-heading inside an article (Article.headings) as `## `: the level under the page's H1 title,
    so the outline has no gap (screen readers, axe heading-order, markdownlint MD001). A full stop a
    translation may add at its end is dropped (headings carry no final punctuation)."""
    if text and text[-1].state != PENDING:
        last = text[-1]
        text = (*text[:-1], Span(last.text.rstrip().rstrip(".:;,。：；，"), last.state))
    return f"## {spans(text, marker)}"


def _heading_text(source: Article, article: LocalizedArticle, lang: str, marker: str) -> tuple[str, str, bool]:
    """(Markdown of the H1, plain <title> text, pending?). Pending English titles keep the Chinese, marked
    and with lang="zh-Hans"; the <title> gets the marker in words."""
    title = display_title(source, article, lang)
    pending = lang == "en" and plain_text(article.title).strip() != "" and any(s.state == PENDING for s in article.title)
    if pending:
        return spans(article.title, marker), f"{title} ({L(lang, 'title_pending')})", True
    if any(s.state.startswith(GAP) for s in article.title):
        return spans(article.title, marker), title, False
    return inline(title), title, False


def _links(bundle: NoticeBundle, source: Article, lang: str, settings: Settings, neighbours: tuple,
           all_texts: tuple[str, ...]) -> list[str]:
    """Where to go next: the article's regions and topics, and the previous/next article of the same page."""
    names = KeyNames(lang, settings)
    body = tuple(p for i, p in enumerate(source.paragraphs) if i not in source.headings)
    regions = article_regions(source.title, source.lead, body, bundle.meta.regions)
    text = "".join((source.title, source.subtitle or "", source.lead or "", *source.paragraphs))
    tags = article_tags(text, bundle.meta.tags, all_texts)
    sep = inline(L(lang, "list_sep"))
    colon = inline(L(lang, "colon"))
    out = ['<div class="np-article-links" data-pagefind-ignore markdown>', ""]
    if regions:
        links = sep.join(f"[{inline(names.region(r))}](../../regions/{r}.md)" for r in regions)
        out += [f"{inline(L(lang, 'region'))}{colon}{links}", ""]
    if tags:
        links = sep.join(f"[{inline(names.tag(t))}](../../tags/{tag_slug(t, settings)}.md)" for t in tags)
        out += [f"{inline(L(lang, 'topics'))}{colon}{links}", ""]
    prev, nxt = neighbours
    steps = []
    for other, key, rel in ((prev, "prev_article", "prev"), (nxt, "next_article", "next")):
        if other is not None:
            loc = variant(bundle, lang, other.id)
            steps.append(f'{inline(L(lang, key))}{colon}[{inline(display_title(other, loc, lang))}]'
                         f'({article_slug(bundle, other.id)}.md){{ rel="{rel}" }}')
    if steps:
        out += [" · ".join(steps), ""]
    return [*out, "</div>", ""]


def _article_page(bundle: NoticeBundle, source: Article, lang: str, settings: Settings, neighbours: tuple,
                  all_texts: tuple[str, ...]) -> str:
    article = variant(bundle, lang, source.id)
    en = variant(bundle, "en", source.id)
    slug = article_slug(bundle, source.id)
    path = article_path(bundle_facts(bundle)["slug"], slug)
    marker = L(lang, "pending_marker")
    h1, title, pending = _heading_text(source, article, lang, marker)
    body_paras = [plain_text(p) for i, p in enumerate(article.paragraphs) if i not in source.headings]
    first = plain_text(article.lead) if article.lead else (body_paras[0] if body_paras else "")
    meta = _page_meta(bundle, source.id, lang, path, title, settings)
    meta.update({"description": attr(description(without_dateline(first), lang)), "translation": article.provenance.method,
                 "jsonld": json_ld(bundle, source, lang, path, display_title(source, article, lang), settings)})
    if bundle.meta.date:
        meta["published_time"] = bundle.meta.date.isoformat()
    if pending:  # the header prints the Chinese in a zh-Hans element and the note in words
        meta.update({"title_pending": True, "title_zh": attr(display_title(source, article, lang)),
                     "title_note": attr(L(lang, "title_pending"))})
    untranslated = lang == "en" and mostly_pending(en)
    if untranslated:
        meta["robots"] = "noindex"
    if not source.headings:  # no sub-headings: no empty table-of-contents column beside the article
        meta["hide"] = ["toc"]
    body = [front_matter(meta), *_breadcrumb(bundle, lang, settings, inline(display_title(source, article, lang)))]
    if source.kicker:
        body += [_field(article.kicker, source.kicker, lang, settings, marker), "{ .np-kicker }", ""]
    body += [f"# {h1}", ""]
    if article.subtitle:
        body += [spans(article.subtitle, marker), "{ .np-subtitle }", ""]
    if source.byline:
        body += [_field(article.byline, source.byline, lang, settings, marker), "{ .np-byline }", ""]
    body += _dateline(bundle, lang, settings)
    if untranslated:
        body += [inline(L(lang, "en_unavailable")), "{ .np-en-unavailable }", ""]
    else:  # under the dateline, where a reader looks for it (after the text, it was a phone's four screens down)
        body += _bilingual_link(bundle, source, lang, path)
    if article.lead:
        body += [spans(article.lead, marker), '{ .np-lead data-np-p="lead" }', ""]
    for i in range(len(source.paragraphs)):  # each block keyed for the in-page bilingual view (bilingual.js)
        body += [_keyed(body_block(source, article, i, lang, settings, marker), i, i in source.headings), ""]
    if article.attribution:
        body += [_attribution(article, lang, marker), '{ .np-attribution data-np-p="attr" }', ""]
    body += _links(bundle, source, lang, settings, neighbours, all_texts)
    body += _provenance(bundle, source, lang, settings)
    return _finish(body, lang)


def _keyed(block: str, i: int, heading: bool) -> str:
    """A body block with its key ``data-np-p`` (which block of the counterpart page stands beside it in the
    bilingual view): on a heading's line, on the first tag of a table, after a paragraph."""
    key = f'data-np-p="{i}"'
    if heading:
        return f"{block} {{ {key} }}"
    if block.startswith("<"):
        return re.sub(r"^<(\w+)", lambda m: f"<{m.group(1)} {key}", block, count=1)
    return f"{block}\n{{ {key} }}"


def _finish(body: list[str], lang: str) -> str:
    """The page's text; on English pages every run of Chinese carries lang="zh-Hans"."""
    text = "\n".join(body).rstrip("\n") + "\n"
    if lang != "en":
        return text
    head, sep, rest = text.partition("\n---\n")  # the front matter is YAML, not text
    return head + sep + mark_chinese(rest)


def _bilingual_link(bundle: NoticeBundle, source: Article, lang: str, path: str) -> list[str]:
    """The Chinese–English view of an article: a toggle that overrides/assets/bilingual.js turns into the
    paragraphs of this page beside those of its counterpart (English, or Simplified Chinese on an English
    page), matched by their data-np-p keys; without JavaScript it leads to the counterpart. Offered only
    when the article has English; else a note says the English is not yet available."""
    if not english_exists(variant(bundle, "en", source.id)):
        # id: the old bilingual URLs lead to #bilingual (render/redirects.py)
        return [f'<p class="np-bilingual-none" id="bilingual">{inline(L(lang, "bilingual_none"))}</p>', ""]
    partner = BILINGUAL_PARTNER[lang]
    href = relative_url(LANG_PREFIX[lang] + url_of(path), LANG_PREFIX[partner] + url_of(path))
    return [f'<p class="np-bilingual-bar" id="bilingual"><a class="md-button np-bilingual-toggle" href="{attr(href)}" '
            f'hreflang="{partner}" role="button" aria-pressed="false" data-np-close="{attr(L(lang, "bilingual_close"))}" '
            f'data-np-error="{attr(L(lang, "bilingual_error"))}" data-np-gap="{attr(L(lang, "en_gap"))}">'
            f'{inline(L(lang, "bilingual"))}</a></p>', ""]


def _notice_page(bundle: NoticeBundle, lang: str, settings: Settings) -> str:
    facts = bundle_facts(bundle)
    path = f"notices/{facts['slug']}/index.md"
    label = _label(bundle, lang, settings)
    shown = published(bundle)
    titles = [display_title(a, variant(bundle, lang, a.id), lang) for a in shown]
    meta = {"title": attr(label), "notice": bundle.meta.id, "lang": lang, "og_type": "website",
            "alternates": alternates(lang, path, settings), "inputs": dict(bundle.input_hashes),
            "description": attr(description(label + L(lang, "colon") + L(lang, "list_sep").join(titles), lang))}
    body = [front_matter(meta), f"# {inline(label)}", ""]
    marker = L(lang, "pending_marker")
    sep = " — " if lang == "en" else "\u3000"  # as the lists: a full-width space in Chinese, never a Western dash
    for source in bundle.parsed.articles:
        article = variant(bundle, lang, source.id)
        if source in shown:
            line = f"- [{_heading_text(source, article, lang, marker)[0]}]({article_slug(bundle, source.id)}.md)"
            if article.attribution:
                line += f'{sep}<span class="np-meta">{_attribution(article, lang, marker)}</span>'
        elif source.title.strip():  # a headline whose body is on another page: named, not linked
            line = (f"- {inline(display_title(source, article, lang))}{sep}"
                    f'<span class="np-meta">{inline(L(lang, "body_elsewhere"))}</span>')
        else:
            continue
        body.append(line)
    body.append("")
    counts: dict[str, int] = {}
    for source in shown:
        for state, n in variant(bundle, "en", source.id).provenance.counts:
            counts[state] = counts.get(state, 0) + n
    inner = [*_notice_lines(bundle, lang, settings, None),
             f"- {inline(L(lang, 'hans_made'))}",
             f"- {inline(_hant_made(lang, settings))}",
             f"- {inline(L(lang, 'en_status'))}{inline(L(lang, 'colon'))}{inline(english_counts(counts, lang))}", ""]
    body += _box(L(lang, "provenance"), inner + _technical(bundle, lang, []))
    return _finish(body, lang)


def render_notice(bundle: NoticeBundle, settings: Settings) -> dict[str, bytes]:
    """Every page of one notice in every language, keyed by path relative to docs/: article pages of the
    published articles (never one with no paragraphs), the notice page, and redirects from
    the URLs it was published under before (data/legacy-urls.yml)."""
    out: dict[str, bytes] = {}
    facts = bundle_facts(bundle)
    shown = published(bundle)
    all_texts = tuple("".join((a.title, a.subtitle or "", a.lead or "", *a.paragraphs)) for a in bundle.parsed.articles)
    for lang in LANGS:
        for n, source in enumerate(shown):
            neighbours = (shown[n - 1] if n else None, shown[n + 1] if n + 1 < len(shown) else None)
            slug = article_slug(bundle, source.id)
            out[f"{lang}/{article_path(facts['slug'], slug)}"] = _article_page(
                bundle, source, lang, settings, neighbours, all_texts).encode()
        out[f"{lang}/notices/{facts['slug']}/index.md"] = _notice_page(bundle, lang, settings).encode()
        for folder in old_notice_folders(bundle.meta.id, facts["slug"]):
            new, old = f"notices/{facts['slug']}/", f"notices/{folder}/"
            out.update([redirect_page(lang, old, new, _label(bundle, lang, settings), settings)])
            for source in shown:
                slug = article_slug(bundle, source.id)
                title = display_title(source, variant(bundle, lang, source.id), lang)
                for suffix in ("", "-bilingual"):  # the bilingual view is part of the article page now
                    out.update([redirect_page(lang, f"{old}{slug}{suffix}/", f"{new}{slug}/", title, settings)])
    return dict(sorted(out.items()))
