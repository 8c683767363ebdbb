"""Index pages per language: home (latest first), archive by month, regions, topics, sources, feed.

They list every notice, so they are rebuilt from the cached per-notice summaries (render/summary.py)
on every build: cheap, no parsing or translation. With many notices the home page shows the latest
ones, the monthly archive holds all of them, and every region, topic and source has its own pages,
split into numbered pages of at most PER_PAGE entries, so no page grows with the archive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from noticepub.model import LANGS
from noticepub.render.common import L, alternates, front_matter, key_slug
from noticepub.render.feed import render_feed
from noticepub.render.markdown import attr, inline
from noticepub.render.pages import notice_label
from noticepub.render.regions import region, topics_table
from noticepub.settings import Settings

HOME_NOTICES = 20  # notices on the home page; the rest are one click away in the monthly archive
PER_PAGE = 100  # notices per archive page, articles per region/topic/source page

Page = tuple[str, bytes]


def _order(summaries: list[dict]) -> list[dict]:
    """Latest first; undated notices after dated ones; ties by id (descending) for stability."""
    dated = sorted((s for s in summaries if s.get("date")), key=lambda s: (s["date"], s["id"]), reverse=True)
    undated = sorted((s for s in summaries if not s.get("date")), key=lambda s: s["id"], reverse=True)
    return dated + undated


class _Names:
    """Display names of index keys in one language (zh-Hant by OpenCC, English from the data files)."""

    def __init__(self, lang: str, settings: Settings) -> None:
        self.lang, self.settings = lang, settings
        self._cache: dict[str, str] = {}

    def zh(self, text: str) -> str:
        if self.lang != "zh-Hant":
            return text
        if text not in self._cache:
            from noticepub.variants import to_hant

            self._cache[text] = to_hant(text, self.settings)
        return self._cache[text]

    def region(self, slug: str) -> str:
        entry = region(slug)
        return entry["en"] if self.lang == "en" else self.zh(entry["name"])

    def tag(self, tag: str) -> str:
        if self.lang != "en":
            return self.zh(tag)
        topic = next((t for t in topics_table() if t["tag"] == tag), None)
        if topic and topic.get("en"):
            return topic["en"]
        from noticepub.translate.glossary import load_glossary

        term = next((t for t in load_glossary(self.settings.glossary_path) if t.zh == tag), None)
        return term.en[0][:1].upper() + term.en[0][1:] if term else tag

    def publication(self, name: str) -> str:
        return self.zh(name) if name else L(self.lang, "unknown_publication")


def _label(summary: dict, lang: str, names: _Names) -> str:
    facts = dict(summary, publication=names.zh(summary["publication"]) if summary.get("publication") else None)
    return notice_label(facts, lang)


def _article_line(summary: dict, art: dict, lang: str, prefix: str, first: bool) -> str:
    title = art["title"][lang] or L(lang, "untitled")
    parts = [f"[{inline(title)}]({prefix}notices/{summary['id']}/{art['slug']}.md)"]
    if not first:
        parts.append(inline(summary.get("date") or L(lang, "undated")))
    if art["attribution"][lang]:
        parts.append(inline(L(lang, "source_prefix") + art["attribution"][lang] + L(lang, "source_suffix")))
    if first and art["first"][lang]:
        parts.append(inline(art["first"][lang]))
    return "- " + " — ".join(parts)


def _notice_block(summary: dict, lang: str, prefix: str, names: _Names, level: str) -> list[str]:
    """A notice with its articles: title, attribution and first sentence of each."""
    label = _label(summary, lang, names)
    head = f"{level} [{inline(label)}]({prefix}notices/{summary['id']}/index.md)"
    return [head, "", *(_article_line(summary, a, lang, prefix, True) for a in summary["articles"]), ""]


def _shared_inputs(settings: Settings) -> dict[str, str]:
    """Hashes of the data files every page depends on, so `build --check` notices any edit of them."""
    out = {}
    for path in (settings.glossary_path, settings.hant_overrides_path):
        out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return out


def _page(lang: str, path: str, title: str, body: list[str], settings: Settings, extra: dict | None = None,
          nav_title: str | None = None) -> Page:
    meta = {"title": attr(nav_title or title), "lang": lang, "alternates": alternates(lang, path, settings),
            "search": {"exclude": True},  # index pages repeat article text: search hits go to the articles
            **(extra or {})}
    text = front_matter(meta) + "\n" + f"# {inline(title)}\n\n" + "\n".join(body).strip("\n") + "\n"
    return f"{lang}/{path}", text.encode()


def _pages(lang: str, base: str, title: str, items: list, per_page: int, settings: Settings,
           lines: Callable[[list, str], list[str]]) -> list[Page]:
    """``items`` over numbered pages base.md, base-2.md, ... with a pager under each."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    stem = base.rsplit("/", 1)[-1]
    name = lambda n: f"{stem}.md" if n == 1 else f"{stem}-{n}.md"  # noqa: E731
    out = []
    for n, chunk in enumerate(chunks, 1):
        body = lines(chunk, "../")
        if len(chunks) > 1:
            pager = [L(lang, "page_of").format(n=n, total=len(chunks))]
            if n > 1:
                pager.append(f"[{inline(L(lang, 'prev'))}]({name(n - 1)})")
            if n < len(chunks):
                pager.append(f"[{inline(L(lang, 'next'))}]({name(n + 1)})")
            body += ["", " · ".join(pager)]
        page_title = title if n == 1 else f"{title} · {L(lang, 'page_of').format(n=n, total=len(chunks))}"
        out.append(_page(lang, base.rsplit("/", 1)[0] + "/" + name(n), page_title, body, settings))
    return out


def _home(lang: str, ordered: list[dict], names: _Names, settings: Settings) -> Page:
    articles = sum(len(s["articles"]) for s in ordered)
    body = [inline(L(lang, "counts").format(notices=len(ordered), articles=articles)), ""]
    links = [("archive/index.md", "archive"), ("regions/index.md", "regions"), ("tags/index.md", "tags"),
             ("publications/index.md", "publications"), ("feed.xml", "feed")]
    body += [" · ".join(f"[{inline(L(lang, key))}]({href})" for href, key in links), ""]
    body += [f"## {inline(L(lang, 'latest'))}", ""]
    for summary in ordered[:HOME_NOTICES]:
        body += _notice_block(summary, lang, "", names, "###")
    if len(ordered) > HOME_NOTICES:
        body += [f"[{inline(L(lang, 'more'))}](archive/index.md)", ""]
    return _page(lang, "index.md", L(lang, "site"), body, settings, {"inputs": _shared_inputs(settings)},
                 nav_title=L(lang, "home"))


def _archive(lang: str, ordered: list[dict], names: _Names, settings: Settings) -> list[Page]:
    months: dict[str, list[dict]] = {}
    for summary in ordered:
        months.setdefault(summary["date"][:7] if summary.get("date") else "undated", []).append(summary)
    label = lambda m: L(lang, "undated") if m == "undated" else m  # noqa: E731
    years: dict[str, list[str]] = {}
    for month in months:
        years.setdefault(month[:4] if month != "undated" else label(month), []).append(month)
    body = []
    for year, year_months in years.items():
        body += [f"## {inline(year)}", ""]
        body += [f"- [{inline(label(m))}]({m}.md) ({len(months[m])})" for m in year_months]
        body.append("")
    pages = [_page(lang, "archive/index.md", L(lang, "archive"), body, settings)]

    def blocks(chunk: list, prefix: str) -> list[str]:
        return [line for s in chunk for line in _notice_block(s, lang, prefix, names, "##")]

    for month, items in months.items():
        pages += _pages(lang, f"archive/{month}", L(lang, "archive") + L(lang, "colon") + label(month), items,
                        PER_PAGE, settings, blocks)
    return pages


def _grouped(lang: str, folder: str, ordered: list[dict], settings: Settings,
             keys: Callable[[dict, dict], Iterable[str]], name: Callable[[str], str],
             slug: Callable[[str], str]) -> list[Page]:
    """An overview of every key (region, topic, source) with counts, and each key's article pages."""
    groups: dict[str, list[tuple[dict, dict]]] = {}
    for summary in ordered:
        for art in summary["articles"]:
            for key in keys(summary, art):
                groups.setdefault(key, []).append((summary, art))
    order = sorted(groups, key=lambda k: (-len(groups[k]), name(k), k))
    title = L(lang, folder)
    body = [f"- [{inline(name(k))}]({slug(k)}.md) ({len(groups[k])})" for k in order] or [inline(L(lang, "none"))]
    pages = [_page(lang, f"{folder}/index.md", title, body, settings)]

    def lines(chunk: list, prefix: str) -> list[str]:
        return [_article_line(s, a, lang, prefix, False) for s, a in chunk]

    for key in order:
        pages += _pages(lang, f"{folder}/{slug(key)}", title + L(lang, "colon") + name(key), groups[key], PER_PAGE,
                        settings, lines)
    return pages


def render_indexes(summaries: list[dict], settings: Settings) -> dict[str, bytes]:
    """Home, archive, regions, topics, sources and the RSS feed of every language, keyed by docs/ path."""
    ordered = _order(summaries)
    out: dict[str, bytes] = {}
    for lang in LANGS:
        names = _Names(lang, settings)
        pages = [_home(lang, ordered, names, settings), *_archive(lang, ordered, names, settings)]
        pages += _grouped(lang, "regions", ordered, settings, lambda s, a: a.get("regions", []), names.region,
                          lambda k: k)
        pages += _grouped(lang, "tags", ordered, settings, lambda s, a: a.get("tags", s["tags"]), names.tag,
                          lambda k: key_slug("t", k))
        pages += _grouped(lang, "publications", ordered, settings, lambda s, a: [s.get("publication") or ""],
                          names.publication, lambda k: key_slug("p", k) if k else "unknown")
        out.update(pages)
        out[f"{lang}/feed.xml"] = render_feed(lang, ordered, settings, lambda s, lang=lang, n=names: _label(s, lang, n))
    return dict(sorted(out.items()))
