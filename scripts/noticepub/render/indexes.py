"""Index pages per language: home (latest first), monthly archive, regions, topics, sources, RSS feed.

They list every notice, so they are rebuilt from the cached per-notice summaries on every build
(cheap: no parsing or translation). With many notices the home page shows the latest ones and the
monthly archive holds the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email.utils import format_datetime
from functools import lru_cache
from xml.sax.saxutils import escape as xml_escape

import yaml

from noticepub.model import LANGS
from noticepub.render.markdown import attr, inline
from noticepub.render.pages import DATA, LANG_PREFIX, L, alternates, front_matter
from noticepub.settings import Settings

HOME_NOTICES = 20
FEED_ITEMS = 50


@lru_cache(maxsize=1)
def regions_table() -> tuple[dict, ...]:
    return tuple(yaml.safe_load((DATA / "regions.yml").read_text(encoding="utf-8")))


def find_regions(text: str) -> list[str]:
    """Slugs of the provincial-level regions named in ``text`` (陕西 is not 山西: longest names first)."""
    found = []
    for region in sorted(regions_table(), key=lambda r: -len(r["name"])):
        if region["name"] in text:
            found.append(region["slug"])
            text = text.replace(region["name"], "\u0000")
    return sorted(found)


def _region_name(slug: str, lang: str, settings: Settings) -> str:
    region = next(r for r in regions_table() if r["slug"] == slug)
    return region["en"] if lang == "en" else _zh(region["name"], lang, settings)


def _zh(text: str, lang: str, settings: Settings) -> str:
    if lang == "zh-Hant":
        from noticepub.variants import to_hant

        return to_hant(text, settings)
    return text


def _tag_name(tag: str, lang: str, settings: Settings) -> str:
    if lang != "en":
        return _zh(tag, lang, settings)
    from noticepub.translate.glossary import load_glossary

    for term in load_glossary(settings.glossary_path):
        if term.zh == tag:
            return term.en[0]
    return tag


def _order(summaries: list[dict]) -> list[dict]:
    """Latest first; undated notices after dated ones; ties by id (descending) for stability."""
    dated = sorted((s for s in summaries if s.get("date")), key=lambda s: (s["date"], s["id"]), reverse=True)
    undated = sorted((s for s in summaries if not s.get("date")), key=lambda s: s["id"], reverse=True)
    return dated + undated


def _article_lines(summary: dict, lang: str, prefix: str) -> list[str]:
    lines = []
    for art in summary["articles"]:
        title = art["title"][lang] or L(lang, "untitled")
        link = f"{prefix}notices/{summary['id']}/{art['slug']}.md"
        parts = [f"[{inline(title)}]({link})"]
        if art["attribution"][lang]:
            parts.append(inline(L(lang, "source_prefix") + art["attribution"][lang]))
        if art["first"][lang]:
            parts.append(inline(art["first"][lang]))
        lines.append("- " + " — ".join(parts))
    return lines


def _notice_block(summary: dict, lang: str, prefix: str, level: str = "###") -> list[str]:
    facts = [summary.get("date") or L(lang, "undated")]
    if summary.get("publication"):
        facts.append(summary["publication"])
    head = f"{level} [{inline(L(lang, 'notice'))} {inline(summary['id'])}]({prefix}notices/{summary['id']}/index.md)"
    return [head, "", inline(" · ".join(facts)), "", *_article_lines(summary, lang, prefix), ""]


def _shared_inputs(settings: Settings) -> dict[str, str]:
    """Hashes of the data files every page depends on, so `build --check` notices any edit of them."""
    out = {}
    for path in (settings.glossary_path, settings.hant_overrides_path):
        out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return out


def _page(lang: str, path: str, title: str, body: list[str], settings: Settings,
          extra: dict | None = None) -> tuple[str, bytes]:
    meta = {"title": attr(title), "lang": lang, "alternates": alternates(lang, path, settings), **(extra or {})}
    text = front_matter(meta) + "\n" + f"# {inline(title)}\n\n" + "\n".join(body).rstrip("\n") + "\n"
    return f"{lang}/{path}", text.encode()


def _month(summary: dict) -> str:
    return summary["date"][:7] if summary.get("date") else "undated"


def render_indexes(summaries: list[dict], settings: Settings) -> dict[str, bytes]:
    ordered = _order(summaries)
    out: dict[str, bytes] = {}
    for lang in LANGS:
        pages = []
        # home
        body = [f"{len(ordered)} {inline(L(lang, 'notice'))} · "
                f"{sum(len(s['articles']) for s in ordered)} {inline(L(lang, 'articles'))}", ""]
        body += [f"[{inline(L(lang, 'archive'))}](archive/index.md) · [{inline(L(lang, 'regions'))}](regions.md) · "
                 f"[{inline(L(lang, 'tags'))}](tags.md) · [{inline(L(lang, 'publications'))}](publications.md) · "
                 f"[{inline(L(lang, 'feed'))}](feed.xml)", "", f"## {inline(L(lang, 'latest'))}", ""]
        for summary in ordered[:HOME_NOTICES]:
            body += _notice_block(summary, lang, "")
        if len(ordered) > HOME_NOTICES:
            body += [inline(L(lang, "more")), ""]
        pages.append(_page(lang, "index.md", L(lang, "site"), body, settings, {"inputs": _shared_inputs(settings)}))
        # archive by month
        months: dict[str, list[dict]] = {}
        for summary in ordered:
            months.setdefault(_month(summary), []).append(summary)
        body = []
        for month, items in months.items():
            label = L(lang, "undated") if month == "undated" else month
            body.append(f"- [{inline(label)}]({month}.md) ({len(items)})")
        pages.append(_page(lang, "archive/index.md", L(lang, "archive"), body + [""], settings))
        for month, items in months.items():
            body = []
            for summary in items:
                body += _notice_block(summary, lang, "../", "##")
            label = L(lang, "undated") if month == "undated" else month
            pages.append(_page(lang, f"archive/{month}.md", f"{L(lang, 'archive')}: {label}", body, settings))
        # regions, topics, sources
        pages.append(_grouped(lang, "regions.md", L(lang, "regions"), ordered, settings,
                              lambda s, a: a.get("regions", []),
                              lambda k, lang=lang: _region_name(k, lang, settings), region_ids=True))
        pages.append(_grouped(lang, "tags.md", L(lang, "tags"), ordered, settings,
                              lambda s, a: s["tags"], lambda k, lang=lang: _tag_name(k, lang, settings)))
        pages.append(_grouped(lang, "publications.md", L(lang, "publications"), ordered, settings,
                              lambda s, a: [s.get("publication") or ""],
                              lambda k, lang=lang: _zh(k, lang, settings) if k else L(lang, "unknown_publication")))
        out.update(pages)
        out[f"{lang}/feed.xml"] = _feed(lang, ordered, settings)
    return dict(sorted(out.items()))


def _grouped(lang, path, title, ordered, settings, keys, name, region_ids=False) -> tuple[str, bytes]:
    groups: dict[str, list[dict]] = {}
    for summary in ordered:
        for art in summary["articles"]:
            for key in keys(summary, art):
                groups.setdefault(key, []).append({**summary, "articles": [art]})
    body = []
    for key in sorted(groups, key=lambda k: (name(k) == "", name(k))):
        anchor = f" {{ #{key} }}" if region_ids else ""
        body += [f"## {inline(name(key))}{anchor}", ""]
        for summary in groups[key]:
            body += _article_lines(summary, lang, "")
        body.append("")
    return _page(lang, path, title, body, settings)


def _feed(lang: str, ordered: list[dict], settings: Settings) -> bytes:
    base = settings.site_url.rstrip("/") + "/" + LANG_PREFIX[lang]
    items = []
    for summary in ordered:
        for art in summary["articles"]:
            if len(items) >= FEED_ITEMS:
                break
            link = f"{base}notices/{summary['id']}/{art['slug']}/"
            item = [
                "    <item>",
                f"      <title>{xml_escape(art['title'][lang] or L(lang, 'untitled'))}</title>",
                f"      <link>{xml_escape(link)}</link>",
                f"      <guid isPermaLink=\"true\">{xml_escape(link)}</guid>",
                f"      <description>{xml_escape(art['first'][lang])}</description>",
            ]
            if summary.get("date"):
                when = dt.datetime.combine(dt.date.fromisoformat(summary["date"]), dt.time(), dt.UTC)
                item.append(f"      <pubDate>{format_datetime(when)}</pubDate>")
            item.append("    </item>")
            items.extend(item)
    text = "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0">',
        "  <channel>",
        f"    <title>{xml_escape(L(lang, 'site'))}</title>",
        f"    <link>{xml_escape(base)}</link>",
        f"    <description>{xml_escape(L(lang, 'site'))}</description>",
        f"    <language>{lang}</language>",
        *items,
        "  </channel>",
        "</rss>",
        "",
    ])
    return text.encode()


__all__ = ["find_regions", "render_indexes"]
