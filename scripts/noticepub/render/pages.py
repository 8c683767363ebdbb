"""Pages of one notice: article pages, bilingual pages and the notice page, in every language.

Pure functions: bundle in, {docs-relative path: bytes} out. Deterministic (no clock, sorted YAML).
"""

from __future__ import annotations

from noticepub.model import LANGS, Article, LocalizedArticle, NoticeBundle
from noticepub.render.common import (
    BILINGUAL_PARTNER,
    L,
    alternates,
    article_path,
    article_slug,
    front_matter,
)
from noticepub.render.markdown import attr, has_lead_in, inline, paragraph, plain_text, spans
from noticepub.settings import Settings


def _title(article: LocalizedArticle, lang: str) -> str:
    return plain_text(article.title).strip() or L(lang, "untitled")


def _source(bundle: NoticeBundle, article_id: str) -> Article:
    return next(a for a in bundle.parsed.articles if a.id == article_id)


def _variant(bundle: NoticeBundle, lang: str, article_id: str) -> LocalizedArticle:
    return next(a for a in bundle.variants[lang] if a.article_id == article_id)


def notice_label(meta: dict, lang: str) -> str:
    """How a notice (one raw page) is named: publication, date and page when known, else its id."""
    facts = [str(meta[k]) for k in ("publication", "date", "page") if meta.get(k)]
    return " · ".join(facts) if facts else f"{L(lang, 'notice')} {meta['id']}"


def _notice_facts(bundle: NoticeBundle) -> dict:
    meta = bundle.meta
    return {"id": meta.id, "publication": meta.publication, "page": meta.page,
            "date": meta.date.isoformat() if meta.date else None}


def _attribution(article: LocalizedArticle, lang: str, marker: str) -> str:
    if not article.attribution:
        return ""
    return inline(L(lang, "source_prefix")) + spans(article.attribution, marker) + inline(L(lang, "source_suffix"))


def english_status(en: LocalizedArticle, lang: str) -> str:
    """The English provenance in the page's language: reviewed / machine (engine) / pending / mixed counts."""
    prov = en.provenance
    engine = prov.detail.split("machine translation: ", 1)[1].split(";")[0] if "machine translation: " in prov.detail else ""
    if prov.method in ("edited", "pending"):
        return L(lang, f"en_{prov.method}")
    if prov.method == "machine":
        return L(lang, "en_machine") + (f" ({engine})" if engine else "")
    counts = dict(prov.counts)
    parts = [f"{counts[k]} {L(lang, f'seg_{k}')}" for k in ("edited", "machine", "pending") if counts.get(k)]
    return ", ".join(parts) + (f" ({engine})" if engine else "") if parts else prov.detail


def _provenance(bundle: NoticeBundle, article: LocalizedArticle, lang: str) -> list[str]:
    source = _source(bundle, article.article_id)
    hant = _variant(bundle, "zh-Hant", article.article_id)
    en = _variant(bundle, "en", article.article_id)
    span = f"{min(source.lines)}–{max(source.lines)}" if source.lines else "–"
    label = notice_label(_notice_facts(bundle), lang)
    lines = [
        f"!!! info np-provenance \"{attr(L(lang, 'provenance'))}\"",
        "",
        f"    - {inline(L(lang, 'source_page'))}: [{inline(label)}](index.md)",
        f"    - {inline(L(lang, 'raw_file'))}: `{bundle.source_path}` ({inline(L(lang, 'lines'))} {span}, "
        f"sha256 `{bundle.source_sha256[:12]}`)",
        f"    - {inline(L(lang, 'hans_made'))}",
        f"    - {inline(L(lang, 'hant_made'))} ({inline(hant.provenance.detail)})",
        f"    - {inline(L(lang, 'en_status'))}: {inline(english_status(en, lang))}",
    ]
    if bundle.meta.url:
        lines.append(f"    - {inline(L(lang, 'original_url'))}: <{attr(bundle.meta.url)}>")
    return lines


def _page_meta(bundle: NoticeBundle, article: LocalizedArticle, lang: str, path: str, title: str,
               settings: Settings) -> dict:
    meta = {
        "title": attr(title),
        "notice": bundle.meta.id,
        "article": article.article_id,
        "lang": lang,
        "alternates": alternates(lang, path, settings),
    }
    if bundle.meta.date:
        meta["date"] = bundle.meta.date.isoformat()
    return meta


def _article_page(bundle: NoticeBundle, article: LocalizedArticle, lang: str, settings: Settings) -> str:
    slug = article_slug(bundle, article.article_id)
    path = article_path(bundle.meta.id, slug)
    marker = L(lang, "pending_marker")
    source = _source(bundle, article.article_id)
    title = _title(article, lang)
    first = plain_text(article.paragraphs[0]) if article.paragraphs else ""
    meta = _page_meta(bundle, article, lang, path, title, settings)
    meta.update({"description": attr(first[:160]), "translation": article.provenance.method})
    body = [front_matter(meta), f"# {inline(title)}", ""]
    if article.subtitle:
        body += [spans(article.subtitle, marker), "{ .np-subtitle }", ""]
    if article.lead:
        body += [spans(article.lead, marker), "{ .np-lead }", ""]
    for text, src in zip(article.paragraphs, source.paragraphs, strict=True):
        body += [paragraph(text, marker, has_lead_in(src)), ""]
    if article.attribution:
        body += [_attribution(article, lang, marker), "{ .np-attribution }", ""]
    body += [f"[{inline(L(lang, 'bilingual'))}]({slug}-bilingual.md){{ .md-button }}", ""]
    body += _provenance(bundle, article, lang)
    return "\n".join(body) + "\n"


def _row(left: str, right: str, lang: str, partner_lang: str, css: str = "") -> list[str]:
    return [
        f'<div class="np-row{css}" markdown>', "",
        f'<div class="np-cell" lang="{lang}" markdown>', "", left, "", "</div>", "",
        f'<div class="np-cell" lang="{partner_lang}" markdown>', "", right, "", "</div>", "",
        "</div>", "",
    ]


def _bilingual_page(bundle: NoticeBundle, article: LocalizedArticle, lang: str, settings: Settings) -> str:
    """Each paragraph beside its translation (zh-Hans/zh-Hant with English, English with zh-Hans)."""
    partner_lang = BILINGUAL_PARTNER[lang]
    partner = _variant(bundle, partner_lang, article.article_id)
    slug = article_slug(bundle, article.article_id)
    path = article_path(bundle.meta.id, slug, "-bilingual")
    source = _source(bundle, article.article_id)
    title = _title(article, lang)
    meta = _page_meta(bundle, article, lang, path, L(lang, "bilingual_of") + title, settings)
    # the article page is the search hit; the two columns get the whole width (no sidebars)
    meta.update({"search": {"exclude": True}, "description": attr(title), "hide": ["navigation", "toc"]})
    marker, pmarker = L(lang, "pending_marker"), L(partner_lang, "pending_marker")
    partner_title = spans(partner.title, pmarker) or inline(L(partner_lang, "untitled"))
    body = [front_matter(meta), f"# {inline(title)}", "", partner_title, f'{{ .np-subtitle lang="{partner_lang}" }}', ""]
    body += [f"[{inline(L(lang, 'read_article'))}]({slug}.md)", "", '<div class="np-bilingual" markdown>', ""]
    if article.lead and partner.lead:
        body += _row(spans(article.lead, marker), spans(partner.lead, pmarker), lang, partner_lang, " np-lead-row")
    for mine, theirs, src in zip(article.paragraphs, partner.paragraphs, source.paragraphs, strict=True):
        lead_in = has_lead_in(src)
        body += _row(paragraph(mine, marker, lead_in), paragraph(theirs, pmarker, lead_in), lang, partner_lang)
    if article.attribution and partner.attribution:
        body += _row(_attribution(article, lang, marker), _attribution(partner, partner_lang, pmarker),
                     lang, partner_lang, " np-attr-row")
    body += ["</div>", ""]
    return "\n".join(body)


def _notice_page(bundle: NoticeBundle, lang: str, settings: Settings) -> str:
    path = f"notices/{bundle.meta.id}/index.md"
    label = notice_label(_notice_facts(bundle), lang)
    meta = {"title": attr(label), "notice": bundle.meta.id, "lang": lang,
            "alternates": alternates(lang, path, settings), "inputs": dict(bundle.input_hashes)}
    body = [front_matter(meta), f"# {inline(label)}", ""]
    for article in bundle.variants[lang]:
        slug = article_slug(bundle, article.article_id)
        line = f"- [{inline(_title(article, lang))}]({slug}.md)"
        if article.attribution:
            line += " — " + _attribution(article, lang, L(lang, "pending_marker"))
        body.append(line)
    body.append("")
    body.append(f"{inline(L(lang, 'raw_file'))}: `{bundle.source_path}` (sha256 `{bundle.source_sha256[:12]}`)")
    if bundle.meta.url:
        body += ["", f"{inline(L(lang, 'original_url'))}: <{attr(bundle.meta.url)}>"]
    return "\n".join(body) + "\n"


def render_notice(bundle: NoticeBundle, settings: Settings) -> dict[str, bytes]:
    """Every page of one notice in every language, keyed by path relative to docs/."""
    out: dict[str, bytes] = {}
    for lang in LANGS:
        for article in bundle.variants[lang]:
            slug = article_slug(bundle, article.article_id)
            out[f"{lang}/{article_path(bundle.meta.id, slug)}"] = _article_page(bundle, article, lang, settings).encode()
            out[f"{lang}/{article_path(bundle.meta.id, slug, '-bilingual')}"] = _bilingual_page(
                bundle, article, lang, settings
            ).encode()
        out[f"{lang}/notices/{bundle.meta.id}/index.md"] = _notice_page(bundle, lang, settings).encode()
    return dict(sorted(out.items()))
