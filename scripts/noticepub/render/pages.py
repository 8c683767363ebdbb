"""Pages of one notice: article pages (with their Chinese–English view) and the notice page, in every language.

Pure functions: bundle in, {docs-relative path: bytes} out. Deterministic (no clock, sorted YAML).
Readers see names, never ids, hashes or file paths: those are in the collapsed "technical details"
block of the provenance box (and in the front matter), which search does not index.
"""

from __future__ import annotations

from noticepub.model import LANGS, PENDING, Article, LocalizedArticle, NoticeBundle, Span, Text
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
from noticepub.render.markdown import attr, has_lead_in, inline, paragraph, plain_text, spans
from noticepub.render.names import KeyNames, format_date, format_page, notice_label, tag_slug
from noticepub.render.redirects import old_notice_folders, redirect_page
from noticepub.render.regions import article_regions, article_tags
from noticepub.settings import Settings

DESCRIPTION_CHARS = 120
TECHNICAL_OPEN = '<details class="np-technical" data-pagefind-ignore markdown>'


def description(text: str, lang: str) -> str:
    """Plain text for <meta name=description>: about DESCRIPTION_CHARS characters, cut at a sentence or
    word end where possible."""
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_CHARS:
        return text
    cut = text[:DESCRIPTION_CHARS]
    ends = [cut.rfind(ch) for ch in ("。", "！", "？", ". ", "; ", "；")]
    end = max(ends)
    if end >= DESCRIPTION_CHARS // 2:
        return cut[: end + 1].strip()
    if lang == "en" and " " in cut:
        return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return cut + "……" if lang != "en" else cut + "…"


def _convert(lang: str, settings: Settings):
    return KeyNames(lang, settings).zh


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
        out.append(f"- {inline(L(lang, 'page'))}{inline(L(lang, 'colon'))}{inline(format_page(meta.page, lang))}")
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
    slug = article_slug(bundle, source.id)
    path = article_path(bundle_facts(bundle)["slug"], slug)
    marker = L(lang, "pending_marker")
    h1, title, pending = _heading_text(source, article, lang, marker)
    body_paras = [plain_text(p) for i, p in enumerate(article.paragraphs) if i not in source.headings]
    first = plain_text(article.lead) if article.lead else (body_paras[0] if body_paras else "")
    meta = _page_meta(bundle, source.id, lang, path, title, settings)
    meta.update({"description": attr(description(first, lang)), "translation": article.provenance.method})
    if pending:
        meta["title_pending"] = True
    body = [front_matter(meta), f"# {h1}", ""]
    if article.subtitle:
        body += [spans(article.subtitle, marker), "{ .np-subtitle }", ""]
    if article.lead:
        body += [spans(article.lead, marker), '{ .np-lead data-np-p="lead" }', ""]
    for i, (text, src) in enumerate(zip(article.paragraphs, source.paragraphs, strict=True)):
        if i in source.headings:
            body += [f'{sub_heading(text, marker)} {{ data-np-p="{i}" }}', ""]
        else:
            body += [paragraph(text, marker, has_lead_in(src)), f'{{ data-np-p="{i}" }}', ""]
    if article.attribution:
        body += [_attribution(article, lang, marker), '{ .np-attribution data-np-p="attr" }', ""]
    body += _bilingual_link(bundle, source, lang, path)
    body += _links(bundle, source, lang, settings, neighbours, all_texts)
    body += _provenance(bundle, source, lang, settings)
    return "\n".join(body).rstrip("\n") + "\n"


def has_english(bundle: NoticeBundle, source: Article) -> bool:
    """Whether any of the article's English is written (reviewed, machine-translated or outdated), not
    all of it pending: only then is there an English column to read beside the Chinese."""
    en = variant(bundle, "en", source.id)
    fields = (en.title, en.subtitle, en.lead, *en.paragraphs, en.attribution)
    return any(span.state != PENDING and span.text.strip() for text in fields if text for span in text)


def _bilingual_link(bundle: NoticeBundle, source: Article, lang: str, path: str) -> list[str]:
    """The Chinese–English view of an article: a toggle that overrides/assets/bilingual.js turns into the
    paragraphs of this page beside those of its counterpart (English, or Simplified Chinese on an English
    page), matched by their data-np-p keys; without JavaScript it leads to the counterpart. Offered only
    when the article has English; else a note says the English is not yet available."""
    if not has_english(bundle, source):  # id: the old bilingual URLs lead to #bilingual (render/redirects.py)
        return [f'<p class="np-bilingual-none" id="bilingual">{inline(L(lang, "bilingual_none"))}</p>', ""]
    partner = BILINGUAL_PARTNER[lang]
    href = relative_url(LANG_PREFIX[lang] + url_of(path), LANG_PREFIX[partner] + url_of(path))
    return [f'<p class="np-bilingual-bar" id="bilingual"><a class="md-button np-bilingual-toggle" href="{attr(href)}" '
            f'hreflang="{partner}" role="button" aria-pressed="false" data-np-close="{attr(L(lang, "bilingual_close"))}" '
            f'data-np-error="{attr(L(lang, "bilingual_error"))}">{inline(L(lang, "bilingual"))}</a></p>', ""]


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
    for source in bundle.parsed.articles:
        article = variant(bundle, lang, source.id)
        if source in shown:
            line = f"- [{_heading_text(source, article, lang, marker)[0]}]({article_slug(bundle, source.id)}.md)"
            if article.attribution:
                line += " — " + _attribution(article, lang, marker)
        elif source.title.strip():  # a headline whose body is on another page: named, not linked
            line = f"- {inline(display_title(source, article, lang))} — {inline(L(lang, 'body_elsewhere'))}"
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
    return "\n".join(body).rstrip("\n") + "\n"


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
