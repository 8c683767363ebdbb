"""What the index pages need from one notice: a small JSON-serialisable dict the build caches.

Index pages list every notice, so they are rebuilt from these summaries alone (no parsing or
translation) whenever any notice changes.
"""

from __future__ import annotations

from noticepub.model import LANGS, PENDING, NoticeBundle
from noticepub.render.common import article_slug
from noticepub.render.markdown import plain_text
from noticepub.render.regions import article_tags, find_regions


def first_sentence(text: str) -> str:
    from noticepub.translate.segment import split_sentences

    sentences = split_sentences(text)
    return sentences[0] if sentences else text


def summarize(bundle: NoticeBundle) -> dict:
    """id, date, publication, page, tags, regions and, per article, slug, tags, regions and the
    per-language title, attribution and first sentence."""
    maintainer_regions = set(find_regions("、".join(bundle.meta.regions)))
    articles = []
    all_regions: set[str] = set(maintainer_regions)
    all_tags: set[str] = set()
    texts = tuple("".join((a.title, a.subtitle or "", a.lead or "", *a.paragraphs)) for a in bundle.parsed.articles)
    for source, text in zip(bundle.parsed.articles, texts, strict=True):
        entry: dict = {"id": source.id, "slug": article_slug(bundle, source.id), "title": {}, "first": {},
                       "attribution": {}, "pending": {}}
        for lang in LANGS:
            loc = next(a for a in bundle.variants[lang] if a.article_id == source.id)
            entry["title"][lang] = plain_text(loc.title).strip()
            first_para = loc.lead or (loc.paragraphs[0] if loc.paragraphs else ())  # the lead says it best
            if lang == "en":  # English spans are sentence segments already
                entry["first"][lang] = first_para[0].text.strip() if first_para else ""
            else:
                entry["first"][lang] = first_sentence(plain_text(first_para))
            entry["attribution"][lang] = plain_text(loc.attribution).strip()
            entry["pending"][lang] = any(s.state == PENDING for s in loc.title)
        entry["tags"] = article_tags(text, bundle.meta.tags, texts)
        all_tags.update(entry["tags"])
        entry["regions"] = sorted(set(find_regions(text)) | maintainer_regions)
        all_regions.update(entry["regions"])
        articles.append(entry)
    return {
        "id": bundle.meta.id,
        "date": bundle.meta.date.isoformat() if bundle.meta.date else None,
        "publication": bundle.meta.publication,
        "page": bundle.meta.page,
        "tags": sorted(all_tags | set(bundle.meta.tags)),
        "regions": sorted(all_regions),
        "articles": articles,
    }
