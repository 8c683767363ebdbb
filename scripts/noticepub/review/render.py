"""The review screen's HTML, made on the server (the page works without its script; the script swaps in the
fragments the server sends after each change). Every text from an input file goes through html.escape.

    list_page(reviews, counts) -> str       /review/: every notice, those with warnings first, counts on top
    notice_page(review, token) -> str       /review/<notice>/: raw lines left, articles right
    panes(review) -> str, summary(review) -> str   the parts the script replaces after a change
"""

from __future__ import annotations

from html import escape

from noticepub.model import Article, LineInfo, LineRole
from noticepub.review.edit import ROLE_ACTIONS
from noticepub.review.state import (
    ERROR,
    REVIEWED,
    NoticeReview,
    ReviewCounts,
    ReviewSummary,
    block_id,
    sort_for_review,
    warning_evidence,
)

# menu entries: action, label, key (the same key works on the raw lines)
MENU = (
    ("headline", "Headline", "h"), ("headline-of", "Headline of…", "Shift+H"), ("lead", "Lead", "e"),
    ("lead-of", "Lead of…", "Shift+E"), ("kicker", "Kicker", "k"), ("subtitle", "Subtitle", "t"),
    ("byline", "Byline", "y"), ("body", "Body", "b"), ("subheading", "Sub-heading", "g"), ("table", "Table", "a"),
    ("attribution", "Attribution", "r"), ("furniture", "Furniture", "f"),
    ("start", "New article starts here", "n"), ("join", "Join with previous", "j"), ("split", "Split here", "p"),
)
assert {a for a, _, _ in MENU} >= set(ROLE_ACTIONS)
# "Headline of…" / "Lead of…": the selection is the headline (lead) of the article whose first body line the
# maintainer clicks next (a headline printed away from its text); the script sends it as "body".
ROLE_LABEL = {LineRole.SUBHEADING: "sub-heading"}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _doc(title: str, body: str, token: str = "", data: str = "") -> str:
    meta = f'<meta name="noticepub-token" content="{_e(token)}">' if token else ""
    return ("<!doctype html>\n"
            f'<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{_e(title)}</title>{meta}<link rel="icon" href="data:,">'
            f'<link rel="stylesheet" href="/review/assets/review.css">'
            f'<script src="/review/assets/review.js" defer></script></head>'
            f"<body{data}>{body}</body></html>\n")


def _badge(review: NoticeReview) -> str:
    cls = {REVIEWED: "ok", ERROR: "bad"}.get(review.state, "todo")
    return f'<span class="badge {cls}">{_e(review.state)}</span>'


# ------------------------------------------------------------------ /review/
def list_page(summaries: list[ReviewSummary], counts: ReviewCounts) -> str:
    rows = []
    for s in sort_for_review(summaries):
        articles = "-" if s.state == ERROR else str(s.articles)
        cls = {REVIEWED: "ok", ERROR: "bad"}.get(s.state, "todo")
        rows.append(
            f'<tr><th scope="row"><a href="/review/{_e(s.notice_id)}/">{_e(s.notice_id)}</a></th>'
            f'<td><span class="badge {cls}">{_e(s.state)}</span> <span class="why">{_e(s.reason)}</span></td>'
            f'<td class="n">{articles}</td><td class="n">{s.warnings}</td>'
            f'<td class="n">{s.corrections}</td><td class="n">{s.lines}</td></tr>')
    body = (
        '<header class="top"><h1>Review the parse of each page</h1>'
        f'<p class="counts" id="counts">{_e(counts.line())}</p></header>'
        '<main id="main"><table class="list"><caption>Notices, those with parse warnings first</caption>'
        '<thead><tr><th scope="col">notice</th><th scope="col">state</th><th scope="col">articles</th>'
        '<th scope="col">warnings</th><th scope="col">corrections</th><th scope="col">raw lines</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></main>")
    return _doc("Review · noticepub", body)


# ------------------------------------------------------------------ /review/<notice>/
def summary(review: NoticeReview) -> str:
    if review.error:
        return f'<p>{_badge(review)} <span class="why">{_e(review.error)}</span></p>'
    links = "".join(f'<li><a href="#L{min(w.lines) if w.lines else 1}">line {min(w.lines) if w.lines else 1}: '
                    f"{_e(w.kind)}</a> {_e(w.message)}</li>" for w in review.warnings)
    return (f"<p>{_badge(review)} <span class=\"why\">{_e(review.reason)}</span></p>"
            f'<p class="counts">{len(review.articles)} article(s), {len(review.warnings)} warning(s), '
            f"{review.corrections_count} correction(s) in force, {len(review.lines)} raw lines</p>"
            + (f'<ul class="warnings" aria-label="Parse warnings">{links}</ul>' if links else ""))


def _role_name(role: str) -> str:
    return ROLE_LABEL.get(role, role)


def _article_starts(review: NoticeReview) -> dict[int, Article]:
    """The first raw line of each article (where its boundary is drawn)."""
    out: dict[int, Article] = {}
    for article in review.articles:
        if article.lines:
            out[min(article.lines)] = article
    return out


def _warnings_at(review: NoticeReview) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for w in review.warnings:
        evidence = "; ".join(f"{k}: {v}" for k, v in warning_evidence(w, review.details))
        text = f"{w.kind}: {w.message}" + (f" ({evidence})" if evidence else "")
        at = min(w.lines) if w.lines else 1
        out.setdefault(at, []).append(text)
    return out


def _line(info: LineInfo, text: str, boundary: Article | None, warnings: list[str], detail: str) -> str:
    role = info.role
    block = block_id(info)
    attrs = f' data-block="{_e(block)}"' if block else ""
    cls = f"ln r-{_e(role)}" + (" start" if boundary is not None else "") + (" warned" if warnings else "")
    mark = ""
    if boundary is not None:
        title = _title(boundary)
        mark = f'<span class="bound">{_e(boundary.id)} starts · {_e(title)}</span>'
    warn = "".join(f'<span class="warn">⚠ {_e(w)}</span>' for w in warnings)
    rule = f' title="{_e(detail or info.rule)}"' if detail or info.rule else ""
    return (f'<div role="option" aria-selected="false" id="L{info.line}" class="{cls}" data-line="{info.line}"'
            f' data-role="{_e(role)}"{attrs}{rule}>{mark}<span class="no">{info.line}</span>'
            f'<span class="role">{_e(_role_name(role))}</span><span class="tx">{_e(text) or "&#8203;"}</span>{warn}</div>')


def _lines_of(review: NoticeReview) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for info in review.roles:
        block = block_id(info)
        if block is not None:
            out.setdefault(block, []).append(info.line)
    return out


def _block(tag: str, block: str, cls: str, label: str, text: str, lines: dict[str, list[int]]) -> str:
    nos = lines.get(block, [])
    where = f'{nos[0]}–{nos[-1]}' if len(nos) > 1 else (str(nos[0]) if nos else "")
    return (f'<{tag} class="blk {cls}" id="b-{_e(block)}" data-block="{_e(block)}" '
            f'data-lines="{" ".join(map(str, nos))}"><span class="lbl">{_e(label)}'
            f'{f" · lines {where}" if where else ""}</span> {_e(text)}</{tag}>')


def _title(article: Article) -> str:
    if article.title:
        return article.title
    return f"(continued from {article.continued_from or 'another page'})" if article.continued else "(no headline)"


def _article(article: Article, lines: dict[str, list[int]]) -> str:
    aid = article.id
    parts = []
    if article.kicker:
        parts.append(_block("p", f"{aid}-kicker", "kicker", "kicker", article.kicker, lines))
    parts.append(_block("h3", f"{aid}-headline", "headline", f"{aid} headline", _title(article), lines))
    if article.subtitle:
        parts.append(_block("p", f"{aid}-subtitle", "subtitle", "subtitle", article.subtitle, lines))
    if article.byline:
        parts.append(_block("p", f"{aid}-byline", "byline", "byline", article.byline, lines))
    if article.lead:
        parts.append(_block("p", f"{aid}-lead", "lead", "lead", article.lead, lines))
    heads = set(article.headings)
    tables = dict(article.tables)
    for n, text in enumerate(article.paragraphs):
        kind = "table" if n in tables else "sub-heading" if n in heads else f"¶{n + 1}"
        parts.append(_block("p", f"{aid}-p{n}", "sub" if n in heads else "para", kind, text, lines))
    if article.attribution:
        parts.append(_block("p", f"{aid}-attribution", "attr", "attribution", f"（据{article.attribution}）", lines))
    return f'<article class="art" id="{_e(aid)}" aria-label="article {_e(aid)}">{"".join(parts)}</article>'


def panes(review: NoticeReview) -> str:
    if review.error:
        return f'<p class="error" role="alert">{_e(review.error)}</p>'
    starts = _article_starts(review)
    warnings = _warnings_at(review)
    details = review.details or ("",) * len(review.roles)
    raw = "".join(_line(info, review.lines[info.line - 1], starts.get(info.line), warnings.get(info.line, []),
                        details[info.line - 1]) for info in review.roles)
    menu = "".join(f'<button type="button" data-action="{a}" aria-keyshortcuts="{k}" disabled>{_e(label)} '
                   f'<kbd>{k.replace("Shift+", "⇧")}</kbd></button>' for a, label, k in MENU)
    lines = _lines_of(review)
    return (
        '<section class="raw" aria-labelledby="raw-h"><h2 id="raw-h">raw.txt lines</h2>'
        '<div class="menu" role="toolbar" aria-label="Correct the selected lines" id="menu">'
        f'<p class="sel" id="sel">No line selected: click a line (drag or Shift+click for a range).</p>{menu}</div>'
        f'<div class="lines" id="raw" role="listbox" aria-multiselectable="true" aria-labelledby="raw-h" '
        f'tabindex="0">{raw}</div></section>'
        '<section class="arts" aria-labelledby="arts-h"><h2 id="arts-h">Recovered articles</h2>'
        f'{"".join(_article(a, lines) for a in review.articles)}</section>')


def notice_page(review: NoticeReview, token: str) -> str:
    body = (
        '<a class="skip" href="#raw">Skip to the raw lines</a>'
        '<header class="top"><nav aria-label="Breadcrumb"><a href="/review/">All notices</a></nav>'
        f"<h1>Review of {_e(review.notice_id)}</h1>"
        f'<div id="summary">{summary(review)}</div>'
        '<div class="actions"><button type="button" id="undo" aria-keyshortcuts="u">Undo last change <kbd>u</kbd>'
        '</button> <button type="button" id="mark">Mark reviewed</button></div>'
        '<p id="status" role="status" aria-live="polite"></p></header>'
        f'<main id="panes" class="panes">{panes(review)}</main>')
    data = f' data-notice="{_e(review.notice_id)}" data-etag="{_e(review.etag)}"'
    return _doc(f"Review · {review.notice_id} · noticepub", body, token, data)
