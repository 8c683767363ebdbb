"""zh-Hans: the parsed text itself, wrapped in the localized shape render expects."""

from __future__ import annotations

from collections.abc import Callable

from noticepub.model import SOURCE, Article, LocalizedArticle, Provenance, Span, Text


def localize(
    articles: tuple[Article, ...], lang: str, convert: Callable[[str], str], state: str, provenance: Provenance
) -> tuple[LocalizedArticle, ...]:
    def text(value: str | None) -> Text | None:
        return None if value is None else (Span(convert(value), state),)

    return tuple(
        LocalizedArticle(
            lang=lang,
            article_id=a.id,
            title=(Span(convert(a.title), state),),
            subtitle=text(a.subtitle),
            lead=text(a.lead),
            paragraphs=tuple((Span(convert(p), state),) for p in a.paragraphs),
            attribution=text(a.attribution),
            provenance=provenance,
            kicker=text(a.kicker),
            byline=text(a.byline),
        )
        for a in articles
    )


def hans_articles(articles: tuple[Article, ...]) -> tuple[LocalizedArticle, ...]:
    return localize(articles, "zh-Hans", lambda s: s, SOURCE, Provenance("source", "parsed from the raw page"))
