"""Index pages per language: home (latest first), archive by month, regions, topics, sources, feed.

They list every notice, so they are rebuilt from the cached per-notice summaries (render/summary.py)
on every build: cheap, no parsing, translation, OpenCC or sentence splitting (the summaries carry every
display string in every language). With many notices the home page shows the latest
ones, the monthly archive holds all of them, and every region, topic and source has its own pages,
split into numbered pages of at most PER_PAGE entries, so no page grows with the archive.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from noticepub.errors import ConfigError
from noticepub.model import LANGS, ArticleSummary, NoticeSummary
from noticepub.render.common import L, alternates, front_matter, key_slug
from noticepub.render.feed import render_feed
from noticepub.render.markdown import attr, inline, mark_chinese
from noticepub.render.names import format_date, format_month, format_year, notice_label, publication_slug, tag_slugs
from noticepub.render.pages import description
from noticepub.render.redirects import redirect_page
from noticepub.settings import Settings

HOME_NOTICES = 20  # notices on the home page; the rest are one click away in the monthly archive
PER_PAGE = 100  # notices per archive page, articles per region/topic/source page

Page = tuple[str, bytes]


@dataclass
class IndexMemo:
    """The index pages an earlier build made: docs path -> [key of the page's inputs, sha256 of its bytes].
    A page whose inputs have the same key is not made again when ``intact(path, sha256)`` says docs/ still
    holds it; render_indexes leaves it out of its result and lists it in ``reused`` (path -> sha256).
    ``salt``: what every page depends on besides its own inputs (code, settings: sources.SharedInputs)."""

    old: dict[str, list[str]]
    salt: str
    intact: Callable[[str, str], bool]
    new: dict[str, list[str]] = field(default_factory=dict)
    reused: dict[str, str] = field(default_factory=dict)


_MEMO: list[IndexMemo] = []  # the memo of the render_indexes call under way, if any


def _order(summaries: list[NoticeSummary]) -> list[NoticeSummary]:
    """Latest first; undated notices after dated ones; ties by id (descending) for stability."""
    dated = sorted((s for s in summaries if s.date), key=lambda s: (s.date, s.id), reverse=True)
    undated = sorted((s for s in summaries if not s.date), key=lambda s: s.id, reverse=True)
    return dated + undated


class IndexNames:
    """Display names of index keys in one language, read from the summaries (render.summarize made them)."""

    def __init__(self, lang: str, summaries: Iterable[NoticeSummary]) -> None:
        self.lang = lang
        self._publications: dict[str, str] = {}
        self._tags: dict[str, str] = {}
        self._regions: dict[str, str] = {}
        for s in summaries:
            if s.publication:
                self._publications[s.publication] = s.publication_names[lang]
            self._tags.update((k, v[lang]) for k, v in s.tag_names.items())
            self._regions.update((k, v[lang]) for k, v in s.region_names.items())

    def region(self, slug: str) -> str:
        return self._regions[slug]

    def tag(self, tag: str) -> str:
        return self._tags[tag]

    def publication(self, name: str) -> str:
        return self._publications[name] if name else L(self.lang, "unknown_publication")


def _label(summary: NoticeSummary, lang: str) -> str:
    titles = [a.title[lang] for a in summary.articles if a.headline]
    facts = {"publication": summary.publication_names[lang] if summary.publication else None, "date": summary.date,
             "page": summary.page, "titles": titles, "count": len(summary.articles)}
    return notice_label(facts, lang)


def _date(summary: NoticeSummary, lang: str) -> str:
    return format_date(summary.date, lang) if summary.date else L(lang, "undated")


# One render_indexes call's article lines: an article is listed on the home or archive page and on each of its
# region, topic and source pages, so its line is made once per (language, prefix, kind) and reused. Keyed by
# the ids of the summary and the article object (one article object may be shared by summaries), cleared at the
# end of the call (the summaries are alive throughout).
_LINES: dict[tuple[int, int, str, str, bool], str] = {}


def _article_line(summary: NoticeSummary, art: ArticleSummary, lang: str, prefix: str, first: bool) -> str:
    """One article in a list (made once per render_indexes call, see _LINES)."""
    key = (id(summary), id(art), lang, prefix, first)
    line = _LINES.get(key)
    if line is None:
        line = _LINES[key] = _make_article_line(summary, art, lang, prefix, first)
    return line


def _make_article_line(summary: NoticeSummary, art: ArticleSummary, lang: str, prefix: str, first: bool) -> str:
    """One article in a list: its headline (a link), the date when the list mixes pages, the source, then a dek
    of about a hundred characters on its own line."""
    title = inline(art.title[lang] or L(lang, "untitled"))
    if lang == "en" and art.pending.get(lang):  # the Chinese headline, marked, until it is translated
        title = f'<span class="np-pending" lang="zh-Hans" title="{attr(L(lang, "pending_marker"))}">{title}</span>'
    meta = []
    if not first:
        meta.append(inline(_date(summary, lang)))
    if art.attribution[lang]:
        meta.append(inline(L(lang, "source_prefix") + art.attribution[lang] + L(lang, "source_suffix")))
    # the date and the source each in one piece (never 据江苏省民政 | 厅 across two lines); apart from the
    # headline by a full-width space in Chinese (as the article's dateline), by a dash in English
    line = "- " + (" — " if lang == "en" else "\u3000").join(
        [f"[{title}]({prefix}notices/{summary.slug}/{art.slug}.md)", *(f'<span class="np-meta">{m}</span>' for m in meta)])
    if art.first[lang]:
        line += f'<br><span class="np-dek">{inline(art.first[lang])}</span>'
    return line


def _notice_block(summary: NoticeSummary, lang: str, prefix: str, level: str) -> list[str]:
    """A notice with its articles: title, attribution and first sentence of each."""
    label = _label(summary, lang)
    head = f"{level} [{inline(label)}]({prefix}notices/{summary.slug}/index.md)"
    return [head, "", *(_article_line(summary, a, lang, prefix, True) for a in summary.articles), ""]


def _page(lang: str, path: str, title: str, body: list[str], settings: Settings, extra: dict | None = None,
          nav_title: str | None = None, summary: str | None = None) -> Page:
    """``summary``: the page's own meta description (default: its title)."""
    rel = f"{lang}/{path}"
    memo = _MEMO[0] if _MEMO else None
    if memo is not None:
        key = hashlib.blake2b("\0".join([memo.salt, rel, title, "\n".join(body), nav_title or "", summary or "",
                                         json.dumps(extra, sort_keys=True, ensure_ascii=False)]).encode(),
                              digest_size=20).hexdigest()
        kept = memo.old.get(rel)
        if isinstance(kept, list) and len(kept) == 2 and kept[0] == key and memo.intact(rel, kept[1]):
            memo.new[rel] = kept
            memo.reused[rel] = kept[1]
            return rel, b""
    meta = {"title": attr(nav_title or title), "lang": lang, "alternates": alternates(lang, path, settings),
            "search": {"exclude": True},  # index pages repeat article text: search hits go to the articles
            "description": attr(description(summary or title, lang)), "og_type": "website",
            **(extra or {})}
    text = f"# {inline(title)}\n\n" + "\n".join(body).strip("\n") + "\n"
    if lang == "en":  # every run of Chinese (untranslated headlines, names) carries lang="zh-Hans"
        text = mark_chinese(text)
    data = (front_matter(meta) + "\n" + text).encode()
    if memo is not None:
        memo.new[rel] = [key, hashlib.sha256(data).hexdigest()]
    return rel, data


def _chunks(items: list, per_page: int) -> list[list]:
    """``items`` (newest first) cut into pages from the oldest end: every page but the first holds exactly
    ``per_page`` items, which do not change when newer items arrive; the first holds the rest (1 to
    ``per_page``). A new notice changes the first page only (and every page when the number of pages
    grows), so an incremental site build re-renders one page of each list, not all of them."""
    if not items:
        return [[]]
    first = len(items) - per_page * ((len(items) - 1) // per_page)
    return [items[:first]] + [items[i:i + per_page] for i in range(first, len(items), per_page)]


def _pages(lang: str, base: str, title: str, items: list, per_page: int, settings: Settings,
           lines: Callable[[list, str], list[str]], summary: str | None = None) -> list[Page]:
    """``items`` over numbered pages base.md, base-2.md, ... (see :func:`_chunks`) with a pager under each."""
    chunks = _chunks(items, per_page)
    stem = base.rsplit("/", 1)[-1]
    name = lambda n: f"{stem}.md" if n == 1 else f"{stem}-{n}.md"  # noqa: E731
    out = []
    for n, chunk in enumerate(chunks, 1):
        body = lines(chunk, "../")
        if len(chunks) > 1:
            body += ["", _pager(lang, n, len(chunks), name)]
        page_title = title if n == 1 else f"{title} · {L(lang, 'page_of').format(n=n, total=len(chunks))}"
        out.append(_page(lang, base.rsplit("/", 1)[0] + "/" + name(n), page_title, body, settings,
                         summary=summary if n == 1 else page_title))  # no totals: they change with every item
    return out


def _count(lang: str, n: int) -> str:
    """How many entries an index item holds, after its link: full-width brackets without a space in Chinese
    (养老服务（1496）, 2025年8月（10）), " (1496)" in English."""
    return f" ({n})" if lang == "en" else f"（{n}）"


def _index_description(lang: str, title: str, n: int) -> str:
    """An index page's description: its title and how many articles it lists ("1 article", "2 articles")."""
    return L(lang, "index_description").format(title=title, n=n, s="" if n == 1 else "s")


def _home(lang: str, ordered: list[NoticeSummary], settings: Settings, inputs: dict[str, str]) -> Page:
    articles = sum(len(s.articles) for s in ordered)
    body = [inline(L(lang, "counts").format(notices=len(ordered), articles=articles)), ""]
    links = [("archive/index.md", "archive"), ("regions/index.md", "regions"), ("tags/index.md", "tags"),
             ("publications/index.md", "publications"), ("feed.xml", "feed")]
    body += [" · ".join(f"[{inline(L(lang, key))}]({href})" for href, key in links), "{ .np-links }", ""]
    body += [f"## {inline(L(lang, 'latest'))}", ""]
    for summary in ordered[:HOME_NOTICES]:
        body += _notice_block(summary, lang, "", "###")
    if len(ordered) > HOME_NOTICES:
        body += [f"[{inline(L(lang, 'more'))}](archive/index.md)", ""]
    return _page(lang, "index.md", L(lang, "site"), body, settings, {"inputs": inputs, "og_title": attr(L(lang, "site"))},
                 nav_title=L(lang, "home"),
                 summary=L(lang, "home_description").format(notices=len(ordered), articles=articles))


def _archive(lang: str, ordered: list[NoticeSummary], settings: Settings) -> list[Page]:
    months: dict[str, list[NoticeSummary]] = {}
    for summary in ordered:
        months.setdefault(summary.date[:7] if summary.date else "undated", []).append(summary)
    label = lambda m: L(lang, "undated") if m == "undated" else format_month(m, lang)  # noqa: E731
    years: dict[str, list[str]] = {}
    for month in months:
        years.setdefault(format_year(month[:4], lang) if month != "undated" else label(month), []).append(month)
    body = []
    for year, year_months in years.items():
        body += [f"## {inline(year)}", ""]
        # under the heading 未注明日期 its one entry is 全部版面, not 未注明日期 a second time
        body += [f"- [{inline(label(m) if m != 'undated' else L(lang, 'all_notices'))}]({m}.md)"
                 f"{_count(lang, len(months[m]))}" for m in year_months]
        body.append("")
    pages = [_page(lang, "archive/index.md", L(lang, "archive"), body, settings,
                   summary=L(lang, "archive_description"))]

    def blocks(chunk: list, prefix: str) -> list[str]:
        return [line for s in chunk for line in _notice_block(s, lang, prefix, "##")]

    for month, items in months.items():
        month_title = L(lang, "archive") + L(lang, "colon") + label(month)
        pages += _pages(lang, f"archive/{month}", month_title, items, PER_PAGE, settings, blocks,
                        summary=_index_description(lang, month_title, sum(len(s.articles) for s in items)))
    return pages


def _grouped(lang: str, folder: str, ordered: list[NoticeSummary], settings: Settings,
             keys: Callable[[NoticeSummary, ArticleSummary], Iterable[str]], name: Callable[[str], str],
             slug: Callable[[str], str], old_slug: Callable[[str], str] | None = None) -> list[Page]:
    """``old_slug``: the key's previous URL name, which gets a redirect page when it differs."""
    """An overview of every key (region, topic, source) with counts, and each key's article pages."""
    groups: dict[str, list[tuple[NoticeSummary, ArticleSummary]]] = {}
    for summary in ordered:
        for art in summary.articles:
            for key in keys(summary, art):
                groups.setdefault(key, []).append((summary, art))
    order = sorted(groups, key=lambda k: (-len(groups[k]), name(k), k))
    title = L(lang, folder)
    body = [f"- [{inline(name(k))}]({slug(k)}.md){_count(lang, len(groups[k]))}" for k in order] \
        or [inline(L(lang, "none"))]
    pages = [_page(lang, f"{folder}/index.md", title, body, settings)]

    def lines(chunk: list, prefix: str) -> list[str]:
        return [_article_line(s, a, lang, prefix, False) for s, a in chunk]

    for key in order:
        key_title = title + L(lang, "colon") + name(key)
        pages += _pages(lang, f"{folder}/{slug(key)}", key_title, groups[key], PER_PAGE, settings, lines,
                        summary=_index_description(lang, key_title, len(groups[key])))
        if old_slug and old_slug(key) != slug(key):
            pages.append(redirect_page(lang, f"{folder}/{old_slug(key)}/", f"{folder}/{slug(key)}/", key_title, settings))
    return pages


def _unique(keys: Iterable[str], slug: Callable[[str], str], what: str) -> Callable[[str], str]:
    """``slug`` made unique over ``keys``: the second key with the same slug gets "-2", and so on (keys sorted)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for key in sorted(set(keys)):
        base = slug(key) or what
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        out[key] = candidate
    return out.__getitem__


def _check_notice_slugs(summaries: list[NoticeSummary]) -> None:
    seen: dict[str, str] = {}
    for summary in sorted(summaries, key=lambda s: s.id):
        other = seen.setdefault(summary.slug, summary.id)
        if other != summary.id:
            raise ConfigError(
                f"source_texts/{summary.id}/notice.yml",
                f"this page and source_texts/{other} would both be published at notices/{summary.slug}/; "
                "add or correct publication, date or page in notice.yml so they differ")


def _pager(lang: str, n: int, total: int, name: Callable[[int], str]) -> str:
    """「第n/total页 · 上一页 · 下一页」 under page n of a paginated index (links of a finger's size: np-pager)."""
    pager = [L(lang, "page_of").format(n=n, total=total)]
    if n > 1:
        pager.append(f"[{inline(L(lang, 'prev'))}]({name(n - 1)})")
    if n < total:
        pager.append(f"[{inline(L(lang, 'next'))}]({name(n + 1)})")
    return " · ".join(pager) + "\n{ .np-pager }"


def _status(lang: str, ordered: list[NoticeSummary], settings: Settings) -> list[Page]:
    """The translation status of the English: edited / machine / pending / outdated segments in total and per
    notice (PER_PAGE notices a page: status.md, status-2.md, ...)."""
    keys = ("edited", "machine", "pending", "outdated")
    head = [L(lang, "status_notice"), *(L(lang, f"status_{k}") for k in keys), L(lang, "status_total")]

    def cells(counts: dict) -> list[str]:
        total = sum(counts.get(k, 0) for k in keys)
        pct = lambda n: f"{100 * n / total:.0f}%" if total else "–"  # noqa: E731
        return [f"{counts.get(k, 0)} ({pct(counts.get(k, 0))})" for k in keys] + [str(total)]

    totals = dict.fromkeys(keys, 0)
    for summary in ordered:
        for k in keys:
            totals[k] += summary.counts.get(k, 0)
    total = sum(totals.values())
    description_text = L(lang, "status") + L(lang, "colon") + L(lang, "list_sep").join(
        f"{L(lang, f'status_{k}')} {100 * totals[k] / total:.0f}%" for k in keys if totals[k]) if total else None
    chunks = _chunks(ordered, PER_PAGE)
    name = lambda n: "status.md" if n == 1 else f"status-{n}.md"  # noqa: E731
    pages = []
    for n, chunk in enumerate(chunks, 1):
        table = ["| " + " | ".join(inline(h) for h in head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
        if n == 1:  # the totals once, on the first page: the other pages change only with their own notices
            table.append("| " + " | ".join([f"**{inline(L(lang, 'status_all'))}**", *cells(totals)]) + " |")
        for summary in chunk:
            link = f"[{inline(_label(summary, lang))}](notices/{summary.slug}/index.md)"
            table.append("| " + " | ".join([link, *cells(summary.counts)]) + " |")
        body = [inline(L(lang, "status_intro")), "", *table, ""]
        title = L(lang, "status")
        if len(chunks) > 1:
            body += [_pager(lang, n, len(chunks), name), ""]
            if n > 1:
                title += " · " + L(lang, "page_of").format(n=n, total=len(chunks))
        pages.append(_page(lang, name(n), title, body, settings, summary=description_text if n == 1 else None))
    return pages


def render_indexes(summaries: list[NoticeSummary], settings: Settings,
                   inputs: dict[str, str] | None = None, memo: IndexMemo | None = None) -> dict[str, bytes]:
    """Home, archive, regions, topics, sources and the RSS feed of every language, keyed by docs/ path.

    ``inputs``: sha256 of the data files every page depends on (sources.SharedInputs.file_hashes), shown
    in the home page's front matter. ``memo``: pages whose inputs did not change since it was made are
    not made again (left out of the result, listed in ``memo.reused``)."""
    ordered = _order(summaries)
    _check_notice_slugs(summaries)
    all_tags = [t for s in ordered for a in s.articles for t in a.tags]
    tag_url = tag_slugs(all_tags, settings)[0].__getitem__  # recorded: a new tag never takes an old one's URL
    pub_url = _unique([s.publication or "" for s in ordered], publication_slug, "publication")
    out: dict[str, bytes] = {}
    if memo is not None:
        _MEMO.append(memo)
    try:
        _render_all(ordered, settings, inputs or {}, tag_url, pub_url, out)
    finally:
        _LINES.clear()
        _MEMO.clear()
    return dict(sorted((rel, data) for rel, data in out.items() if memo is None or rel not in memo.reused))


def _render_all(ordered: list[NoticeSummary], settings: Settings, inputs: dict[str, str],
                tag_url: Callable[[str], str], pub_url: Callable[[str], str], out: dict[str, bytes]) -> None:
    for lang in LANGS:
        names = IndexNames(lang, ordered)
        pages = [_home(lang, ordered, settings, inputs), *_archive(lang, ordered, settings)]
        pages += _grouped(lang, "regions", ordered, settings, lambda s, a: a.regions, names.region,
                          lambda k: k)
        pages += _grouped(lang, "tags", ordered, settings, lambda s, a: a.tags, names.tag,
                          tag_url, lambda k: key_slug("t", k))
        pages += _grouped(lang, "publications", ordered, settings, lambda s, a: [s.publication or ""],
                          names.publication, pub_url, lambda k: key_slug("p", k) if k else "unknown")
        pages += _status(lang, ordered, settings)
        out.update(pages)
        out[f"{lang}/feed.xml"] = render_feed(lang, ordered, settings, lambda s, lang=lang: _label(s, lang))
