"""What the index pages need from one notice: a model.NoticeSummary the build caches (as JSON, in cache.py).

Index pages list every notice, so they are rebuilt from these summaries alone (no parsing or
translation) whenever any notice changes.
"""

from __future__ import annotations

from noticepub.model import LANGS, PENDING, ArticleSummary, NoticeBundle, NoticeSummary
from noticepub.render.common import article_slug, bundle_facts, display_title, published, variant
from noticepub.render.markdown import plain_text
from noticepub.render.names import KeyNames, missing_english
from noticepub.render.pages import dek, mostly_pending
from noticepub.render.regions import article_regions, article_tags
from noticepub.settings import Settings


def translation_counts(bundle: NoticeBundle) -> dict[str, int]:
    """English segments of the notice by state: edited / machine / pending / outdated."""
    counts = {"edited": 0, "machine": 0, "pending": 0, "outdated": 0}
    for article in bundle.variants.get("en", ()):
        for state, n in article.provenance.counts:
            counts[state] = counts.get(state, 0) + n
    return counts


def summarize(bundle: NoticeBundle, settings: Settings) -> NoticeSummary:
    """id, slug, date, publication, page, tags, regions, English segment counts and, per published
    article, slug, tags, regions and the per-language title, attribution and first sentence; the
    headlines of articles whose body is not on this page are listed under ``unpublished``; the display
    names of the publication, tags and regions in every language (OpenCC, topics.yml, glossary)."""
    articles: list[ArticleSummary] = []
    all_regions: set[str] = set()
    all_tags: set[str] = set()
    texts = tuple("".join((a.title, a.subtitle or "", a.lead or "", *a.paragraphs)) for a in bundle.parsed.articles)
    shown = published(bundle)
    for source, text in zip(bundle.parsed.articles, texts, strict=True):
        if source not in shown:
            continue
        title: dict[str, str] = {}
        first: dict[str, str] = {}
        attribution: dict[str, str] = {}
        pending: dict[str, bool] = {}
        for lang in LANGS:
            loc = next(a for a in bundle.variants[lang] if a.article_id == source.id)
            title[lang] = display_title(source, loc, lang)
            body = [p for i, p in enumerate(loc.paragraphs) if i not in source.headings]
            first_para = loc.lead or (body[0] if body else ())  # the lead says it best
            first[lang] = dek(plain_text(first_para), lang)
            attribution[lang] = plain_text(loc.attribution).strip()
            pending[lang] = any(s.state == PENDING for s in loc.title)
            if lang == "en":
                untranslated = mostly_pending(loc)
        tags = tuple(article_tags(text, bundle.meta.tags, texts))
        all_tags.update(tags)
        body_src = tuple(p for i, p in enumerate(source.paragraphs) if i not in source.headings)
        regions = tuple(article_regions(source.title, source.lead, body_src, bundle.meta.regions))
        all_regions.update(regions)
        articles.append(ArticleSummary(
            id=source.id, slug=article_slug(bundle, source.id), title=title, first=first, attribution=attribution,
            pending=pending, continued=source.continued, headline=bool(source.title.strip()), tags=tags,
            regions=regions, untranslated=untranslated))
    facts = bundle_facts(bundle)
    tags = tuple(sorted(all_tags | set(bundle.meta.tags)))
    names = {lang: KeyNames(lang, settings) for lang in LANGS}
    publication = bundle.meta.publication
    return NoticeSummary(
        id=bundle.meta.id,
        slug=facts["slug"],
        date=facts["date"],
        publication=bundle.meta.publication,
        page=bundle.meta.page,
        tags=tags,
        regions=tuple(sorted(all_regions)),
        articles=tuple(articles),
        unpublished=tuple({lang: plain_text(variant(bundle, lang, a.id).title).strip() for lang in LANGS}
                          for a in bundle.parsed.articles if a not in shown and a.title),
        counts=translation_counts(bundle),
        publication_names={lang: names[lang].publication(publication) for lang in LANGS} if publication else {},
        tag_names={t: {lang: names[lang].tag(t) for lang in LANGS} for t in tags},
        region_names={r: {lang: names[lang].region(r) for lang in LANGS} for r in sorted(all_regions)},
    )


def name_warnings(summary: NoticeSummary, settings: Settings) -> list[str]:
    """Names shown on the English pages of this notice (publication, topics, regions) that have no English form:
    one build warning each, naming the file to add it to (``build --strict`` fails on them)."""
    return missing_english(summary.publication, summary.tags, summary.regions, settings)
