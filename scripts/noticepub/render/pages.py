"""Pages of one notice: article pages, bilingual pages and the notice page, in every language.

Pure functions: bundle in, {docs-relative path: bytes} out. Deterministic (no clock, sorted YAML).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from noticepub.model import LANGS, PENDING, LocalizedArticle, NoticeBundle
from noticepub.render.markdown import attr, has_lead_in, inline, paragraph, plain_text, spans
from noticepub.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data"
LANG_PREFIX = {"zh-Hans": "", "zh-Hant": "zh-Hant/", "en": "en/"}
BILINGUAL_PARTNER = {"zh-Hans": "en", "zh-Hant": "en", "en": "zh-Hans"}


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    return yaml.safe_load((DATA / "labels.yml").read_text(encoding="utf-8"))


def L(lang: str, key: str) -> str:  # noqa: N802 - short on purpose: used in every template line
    return labels()[lang][key]


def front_matter(values: dict) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=True, width=10_000) + "---\n"


def article_slug(bundle: NoticeBundle, article_id: str) -> str:
    return dict(bundle.meta.slugs).get(article_id, article_id)


def article_path(notice_id: str, slug: str, suffix: str = "") -> str:
    """Path inside one language's docs folder, e.g. notices/<id>/<slug>.md."""
    return f"notices/{notice_id}/{slug}{suffix}.md"


def url_of(path: str) -> str:
    """Directory URL of a page path (use_directory_urls), relative to a language root."""
    stem = path[: -len(".md")]
    if stem.endswith("/index") or stem == "index":
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def relative_url(from_url: str, to_url: str) -> str:
    """Relative href between two site-root-relative directory URLs ("notices/x/a1/" -> "../../../en/...")."""
    return "../" * from_url.count("/") + to_url


def alternates(lang: str, path: str, settings: Settings) -> list[dict]:
    """Links to the same page in every language: relative href for the switcher, absolute for hreflang."""
    out = []
    page_url = LANG_PREFIX[lang] + url_of(path)
    for other in LANGS:
        target = LANG_PREFIX[other] + url_of(path)
        out.append(
            {
                "lang": other,
                "name": L(other, "name"),
                "href": relative_url(page_url, target) or "./",
                "url": settings.site_url.rstrip("/") + "/" + target,
            }
        )
    return out


def _title(article: LocalizedArticle, lang: str) -> str:
    return plain_text(article.title).strip() or L(lang, "untitled")


def _attribution(article: LocalizedArticle, lang: str, marker: str) -> str:
    if not article.attribution:
        return ""
    return inline(L(lang, "source_prefix")) + spans(article.attribution, marker) + inline(L(lang, "source_suffix"))


def _provenance_lines(bundle: NoticeBundle, source: LocalizedArticle, lang: str, notice_href: str) -> list[str]:
    parsed = next(a for a in bundle.parsed.articles if a.id == source.article_id)
    lines = [f"!!! info \"{attr(L(lang, 'provenance'))}\"", ""]
    span = f"{min(parsed.lines)}–{max(parsed.lines)}" if parsed.lines else "–"
    lines.append(f"    - {inline(L(lang, 'source_page'))}: [{inline(bundle.meta.id)}]({notice_href})")
    lines.append(
        f"    - {inline(L(lang, 'raw_file'))}: `{bundle.source_path}` ({inline(L(lang, 'lines'))} {span}, "
        f"sha256 `{bundle.source_sha256[:12]}`)"
    )
    variants = bundle.variants
    hant = next(a for a in variants["zh-Hant"] if a.article_id == source.article_id)
    en = next(a for a in variants["en"] if a.article_id == source.article_id)
    lines.append(f"    - {inline(L(lang, 'hans_made'))}")
    lines.append(f"    - {inline(L(lang, 'hant_made'))} ({inline(hant.provenance.detail)})")
    lines.append(f"    - {inline(L(lang, 'en_status'))}: {inline(en.provenance.detail)}")
    return lines


def _article_page(bundle: NoticeBundle, article: LocalizedArticle, lang: str, settings: Settings) -> str:
    slug = article_slug(bundle, article.article_id)
    path = article_path(bundle.meta.id, slug)
    marker = L(lang, "pending_marker")
    source = next(a for a in bundle.parsed.articles if a.id == article.article_id)
    title = _title(article, lang)
    first = plain_text(article.paragraphs[0]) if article.paragraphs else ""
    meta = {
        "title": attr(title),
        "description": attr(first[:160]),
        "notice": bundle.meta.id,
        "article": article.article_id,
        "lang": lang,
        "alternates": alternates(lang, path, settings),
        "translation": article.provenance.method,
    }
    if bundle.meta.date:
        meta["date"] = bundle.meta.date.isoformat()
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
    body += _provenance_lines(bundle, article, lang, "index.md")
    return "\n".join(body) + "\n"


def _bilingual_page(bundle: NoticeBundle, article: LocalizedArticle, lang: str, settings: Settings) -> str:
    partner_lang = BILINGUAL_PARTNER[lang]
    partner = next(a for a in bundle.variants[partner_lang] if a.article_id == article.article_id)
    slug = article_slug(bundle, article.article_id)
    path = article_path(bundle.meta.id, slug, "-bilingual")
    source = next(a for a in bundle.parsed.articles if a.id == article.article_id)
    title = _title(article, lang)
    meta = {
        "search": {"exclude": True},  # the article page is the search hit; avoid duplicate results
        "title": attr(L(lang, "bilingual_of") + title),
        "description": attr(title),
        "notice": bundle.meta.id,
        "article": article.article_id,
        "lang": lang,
        "alternates": alternates(lang, path, settings),
    }
    partner_title = spans(partner.title, L(partner_lang, "pending_marker")) or inline(L(partner_lang, "untitled"))
    body = [front_matter(meta), f"# {inline(title)}", "", partner_title, f'{{ .np-subtitle lang="{partner_lang}" }}', ""]
    body += [f"[{inline(L(lang, 'read_article'))}]({slug}.md)", "", '<div class="np-bilingual" markdown>', ""]

    def row(left: str, right: str, css: str = "") -> list[str]:
        return [
            f'<div class="np-row{css}" markdown>', "",
            f'<div class="np-cell" lang="{lang}" markdown>', "", left, "", "</div>", "",
            f'<div class="np-cell" lang="{partner_lang}" markdown>', "", right, "", "</div>", "",
            "</div>", "",
        ]

    marker = L(lang, "pending_marker")
    pmarker = L(partner_lang, "pending_marker")
    if article.lead and partner.lead:
        body += row(spans(article.lead, marker), spans(partner.lead, pmarker), " np-lead-row")
    for mine, theirs, src in zip(article.paragraphs, partner.paragraphs, source.paragraphs, strict=True):
        lead_in = has_lead_in(src)
        body += row(paragraph(mine, marker, lead_in), paragraph(theirs, pmarker, lead_in))
    if article.attribution and partner.attribution:
        body += row(_attribution(article, lang, marker), _attribution(partner, partner_lang, pmarker), " np-attr-row")
    body += ["</div>", ""]
    return "\n".join(body)


def _notice_page(bundle: NoticeBundle, lang: str, settings: Settings) -> str:
    path = f"notices/{bundle.meta.id}/index.md"
    meta = {"title": attr(f"{L(lang, 'notice')} {bundle.meta.id}"), "notice": bundle.meta.id, "lang": lang,
            "alternates": alternates(lang, path, settings), "inputs": dict(bundle.input_hashes)}
    body = [front_matter(meta), f"# {inline(L(lang, 'notice'))} {inline(bundle.meta.id)}", ""]
    facts = []
    if bundle.meta.publication:
        facts.append(inline(bundle.meta.publication))
    if bundle.meta.date:
        facts.append(bundle.meta.date.isoformat())
    if bundle.meta.page:
        facts.append(inline(bundle.meta.page))
    if facts:
        body += [" · ".join(facts), ""]
    for article in bundle.variants[lang]:
        slug = article_slug(bundle, article.article_id)
        body.append(f"- [{inline(_title(article, lang))}]({slug}.md)")
    body.append("")
    body.append(f"{inline(L(lang, 'raw_file'))}: `{bundle.source_path}` (sha256 `{bundle.source_sha256[:12]}`)")
    if bundle.meta.url:
        body += ["", f"<{bundle.meta.url}>"]
    return "\n".join(body) + "\n"


def render_notice(bundle: NoticeBundle, settings: Settings) -> dict[str, bytes]:
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


def first_sentence(text: str) -> str:
    from noticepub.translate.segment import split_sentences

    sentences = split_sentences(text)
    return sentences[0] if sentences else text


def summarize(bundle: NoticeBundle) -> dict:
    """What the index pages need from one notice (cached by the build as JSON)."""
    from noticepub.render.indexes import find_regions

    articles = []
    text = ""
    for source in bundle.parsed.articles:
        entry: dict = {"id": source.id, "slug": article_slug(bundle, source.id), "title": {}, "first": {},
                       "attribution": {}, "pending": {}}
        for lang in LANGS:
            loc = next(a for a in bundle.variants[lang] if a.article_id == source.id)
            entry["title"][lang] = plain_text(loc.title).strip()
            first_para = loc.paragraphs[0] if loc.paragraphs else ()
            entry["first"][lang] = first_sentence(plain_text(first_para)) if lang != "en" else (
                first_para[0].text.strip() if first_para else "")
            entry["attribution"][lang] = plain_text(loc.attribution).strip()
            entry["pending"][lang] = any(s.state == PENDING for s in (loc.title or ()))
        article_text = source.title + (source.lead or "") + "".join(source.paragraphs)
        entry["regions"] = sorted(set(find_regions(article_text)) | set(find_regions("".join(bundle.meta.regions))))
        articles.append(entry)
        text += article_text
    return {
        "id": bundle.meta.id,
        "date": bundle.meta.date.isoformat() if bundle.meta.date else None,
        "publication": bundle.meta.publication,
        "page": bundle.meta.page,
        "tags": list(bundle.meta.tags),
        "regions": sorted(set(find_regions(text)) | set(find_regions("".join(bundle.meta.regions)))),
        "articles": articles,
    }
