"""RSS 2.0 feed of one language: the latest articles with their dates, absolute links, no build time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from noticepub.model import NoticeSummary
from noticepub.render.common import LANG_PREFIX, L
from noticepub.settings import Settings

FEED_ITEMS = 50


def _rfc822(date: str) -> str:
    return format_datetime(dt.datetime.combine(dt.date.fromisoformat(date), dt.time(), dt.UTC))


def render_feed(lang: str, ordered: list[NoticeSummary], settings: Settings,
                label: Callable[[NoticeSummary], str]) -> bytes:
    """``ordered``: summaries latest first. Deterministic: lastBuildDate is the newest notice's date."""
    base = settings.site_url.rstrip("/") + "/" + LANG_PREFIX[lang]
    items: list[str] = []
    count = 0
    for summary in ordered:
        for art in summary.articles:
            if count >= FEED_ITEMS:
                break
            if lang == "en" and art.untranslated:  # an English page that is mostly Chinese waits for its translation
                continue
            count += 1
            link = escape(f"{base}notices/{summary.slug}/{art.slug}/")
            title = art.title[lang] or L(lang, "untitled")
            if lang == "en" and art.pending.get(lang):
                title += f" ({L(lang, 'title_pending')})"
            items += [
                "    <item>",
                f"      <title>{escape(title)}</title>",
                f"      <link>{link}</link>",
                f'      <guid isPermaLink="true">{link}</guid>',
                f"      <description>{escape(art.first[lang])}</description>",
                f"      <category>{escape(label(summary))}</category>",
            ]
            if summary.date:
                items.append(f"      <pubDate>{_rfc822(summary.date)}</pubDate>")
            items.append("    </item>")
    newest = next((s.date for s in ordered if s.date), None)
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "  <channel>",
        f"    <title>{escape(L(lang, 'site'))}</title>",
        f"    <link>{escape(base)}</link>",
        f"    <atom:link href={quoteattr(base + 'feed.xml')} rel=\"self\" type=\"application/rss+xml\"/>",
        f"    <description>{escape(L(lang, 'site_description'))}</description>",
        f"    <language>{lang}</language>",
    ]
    if newest:
        head.append(f"    <lastBuildDate>{_rfc822(newest)}</lastBuildDate>")
    return "\n".join([*head, *items, "  </channel>", "</rss>", ""]).encode()
