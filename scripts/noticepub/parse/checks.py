"""Checks: rules that look at the finished articles and warn where the parse may be wrong.

Each check is ``fn(state) -> None`` appending ParseWarnings that name the article they concern; the
checks ruler runs them after assembly (pipeline.default_ruler).
"""

from __future__ import annotations

from noticepub.model import ParseWarning
from noticepub.parse.furniture import furniture_like
from noticepub.parse.openers import strong_opener
from noticepub.parse.state import PageState

WEAK_SCORE = 0.2  # a headline or lead matched with less than this share of its weight is doubtful
WEAK_MARGIN = 0.05  # ... or when swapping it with the runner-up would cost the assignment less than this


def no_paragraphs(state: PageState) -> None:
    """an article with no paragraphs on this page"""
    for a in state.articles:
        if not a.paragraphs:
            state.warnings.append(ParseWarning(
                "no-paragraphs", a.id, a.lines, f"article {a.id} 「{a.title or a.lead or ''}」 has no paragraphs on "
                "this page (its body may be on another page, or a split was missed)"))


ABSORBED = 0.3  # an article restating this much of a bodiless article's headline and lead may hold its body


def absorbed_body(state: PageState) -> None:
    """an article whose text restates the headline (and lead) of an article with no paragraphs on this page:
    it may hold that article's body too"""
    from noticepub.parse.match import coverage_in, doc_grams

    bodies = [a for a in state.articles if a.paragraphs]
    grams: list[set[str]] = []
    for empty in state.articles:
        label = (empty.title or "") + (empty.lead or "")
        if empty.paragraphs or not label or not bodies:
            continue
        grams = grams or [doc_grams("".join(a.paragraphs)) for a in bodies]  # once, for the first bodiless one
        score, best = max((coverage_in(label, g), a.id) for a, g in zip(bodies, grams, strict=True))
        if score >= ABSORBED:
            state.warnings.append(ParseWarning(
                "absorbed-body", best, next(a.lines for a in bodies if a.id == best),
                f"article {best} restates the headline of article {empty.id} 「{empty.title or empty.lead}」, which has "
                f"no paragraphs on this page ({score:.2f}): it may hold that article's body",
                (("chosen", f"{empty.id} without a body"), ("rejected", f"{empty.id}'s body inside {best}"),
                 ("margin", f"{score:.2f}"))))


def untitled(state: PageState) -> None:
    """an article without a headline that is not continued from another page"""
    for a in state.articles:
        if not a.title and not a.continued and a.paragraphs:
            state.warnings.append(ParseWarning("untitled", a.id, a.lines, f"article {a.id} has no headline and is "
                                               "not marked as continued from another page"))


def second_opener(state: PageState) -> None:
    """a story opener (本报讯, 新华社…电) inside an article: a missed boundary?"""
    for a, slot in zip(state.articles, state.slots, strict=True):
        for i, part in enumerate(slot.body.paragraphs):
            if i > 0 and not part.heading and strong_opener(part.text):
                state.warnings.append(ParseWarning(
                    "second-opener", a.id, tuple(part.lines), f"article {a.id} holds a second story opener at line "
                    f"{part.lines[0]}: 「{part.text[:12]}…」 (a missed article boundary?)"))


def furniture_in_title(state: PageState) -> None:
    """a title or subtitle that looks like page furniture"""
    for a, slot in zip(state.articles, state.slots, strict=True):
        for text in (a.title, a.subtitle or ""):
            why = furniture_like(text) if text else None
            if why:
                state.warnings.append(ParseWarning("furniture-in-title", a.id, tuple(slot.title_lines),
                                                   f"article {a.id} title 「{text}」 looks like page furniture: {why}"))


def weak_match(state: PageState) -> None:
    """a displaced headline or lead matched with a low score or a small margin over the runner-up"""
    for m in state.matches:
        if m.target is None:
            continue
        if m.score < WEAK_SCORE or (m.runner_up_target is not None and m.margin < WEAK_MARGIN):
            aid = f"a{m.target + 1}"
            alt = (f", runner-up article a{m.runner_up_target + 1} {m.runner_up:.2f} (margin {m.margin:.2f})"
                   if m.runner_up_target is not None else "")
            evidence = [("chosen", f"{aid} {m.score:.2f}")]
            if m.runner_up_target is not None:
                evidence += [("rejected", f"a{m.runner_up_target + 1} {m.runner_up:.2f}"), ("margin", f"{m.margin:.2f}")]
            state.warnings.append(ParseWarning(
                "weak-match", aid, m.lines, f"{'headline' if m.kind == 'title' else 'lead'} at line {m.lines[0]} "
                f"matched to {aid} with score {m.score:.2f}{alt}", tuple(evidence)))


SPLIT_MARGIN = 0.19  # a boundary found without attribution whose score beats "no split here" by less than this
REJECTED_CLOSE = 1.0  # a short line rejected as a headline in place with at least this evidence is doubtful
LONG_BODY = 2.5  # a body this many times longer than the median of the page's bodies may hold two articles


def _aid_of_line(state: PageState, no: int) -> str | None:
    """The article a raw line went to (a map built once per parse)."""
    if state.aid_of is None:
        state.aid_of = {}
        for k, slot in enumerate(state.slots[:len(state.articles)]):
            for n in [*slot.body.lines, *slot.title_lines, *slot.lead_lines]:
                state.aid_of.setdefault(n, f"a{k + 1}")
    return state.aid_of.get(no)


def doubtful_split(state: PageState) -> None:
    """an article boundary found without attribution by a small margin (both articles may be cut wrong)"""
    for c in state.splits:
        if c.score >= SPLIT_MARGIN:
            continue
        aid = _aid_of_line(state, c.line)
        for k in {aid, f"a{int(aid[1:]) - 1}" if aid and aid != "a1" else None} - {None}:
            state.warnings.append(ParseWarning(
                "doubtful-boundary", k, (c.line,), f"article {k}: the boundary at line {c.line} (under 「{c.label}」) "
                f"beats the best alternative by only {c.score:.2f}", (("chosen", f"split at line {c.line}"),
                                                                     ("rejected", c.evidence.rpartition(" | ")[2]),
                                                                     ("margin", f"{c.score:.2f}"))))


def _inplace_score(detail: str) -> float | None:
    head = detail.split(":", 1)[0]
    for word in head.split():
        try:
            return float(word)
        except ValueError:
            continue
    return None


def doubtful_headline(state: PageState) -> None:
    """a short line narrowly rejected as a headline printed in place (kept as a sub-heading or text)"""
    from noticepub.model import Role

    for g in state.groups:
        score = getattr(g, "score", None)
        if score is None:
            continue
        aid = _aid_of_line(state, g.lines[0].no)
        if aid is None:
            continue
        if g.role == Role.BODY and score >= REJECTED_CLOSE:
            state.warnings.append(ParseWarning(
                "doubtful-headline", aid, tuple(x.no for x in g.lines), f"article {aid}: 「{g.text}」 was kept as a "
                f"sub-heading, but it could be the headline of another article (score {score:g}, needs 2)",
                (("chosen", "sub-heading"), ("rejected", "headline printed in place"), ("margin", f"{2 - score:g}"))))


def body_length(state: PageState) -> None:
    """an article with one paragraph, or with a body much longer than the page's others (two articles in one?)"""
    column = min((h.line for h in state.hits.values() if h.name == "column label"), default=None)
    brief = {a.id for a, slot in zip(state.articles, state.slots, strict=True)  # briefs: one paragraph each, short
             if any(no in state.tight or (column is not None and no > column) for no in slot.title_lines)}
    sizes = sorted(sum(len(p) for p in a.paragraphs) for a in state.articles if a.paragraphs and a.id not in brief)
    if not sizes:
        return
    median = sizes[len(sizes) // 2]
    for a in state.articles:
        size = sum(len(p) for p in a.paragraphs)
        if a.id in brief:
            continue
        if len(a.paragraphs) == 1 and len(state.articles) > 1:
            state.warnings.append(ParseWarning("one-paragraph", a.id, a.lines, f"article {a.id} has one paragraph "
                                               "(a merged paragraph or a misplaced boundary?)",
                                               (("paragraphs", "1"), ("characters", str(size)))))
        elif len(sizes) > 2 and size > LONG_BODY * median:
            state.warnings.append(ParseWarning("long-body", a.id, a.lines, f"article {a.id} is {size / median:.1f} "
                                               "times as long as the page's median article (two articles in one?)",
                                               (("characters", str(size)), ("median", str(median)))))


GUESSED_JOINTS = ("sentence at column foot",)  # joints the reflow ruler guesses: a paragraph end looks the same


def doubtful_joint(state: PageState) -> None:
    """a blank line after a full line ending a sentence, then a full line, read as a column break: it may be
    a paragraph end whose next first line only looks full (wide columns, squeezed punctuation)"""
    guessed = {v.line: v for v in state.verdicts if v.rule in GUESSED_JOINTS and v.joined}
    if not guessed:
        return
    for a in state.articles:
        lines = sorted(no for no in a.lines if no in guessed)
        if lines:
            state.warnings.append(ParseWarning(
                "doubtful-joint", a.id, tuple(lines), f"article {a.id}: line {lines[0]} was joined to the "
                "paragraph above across a blank line after a finished sentence (a column break?); it may open a "
                "paragraph of its own", (("chosen", "column break: joined"), ("rejected", "paragraph end"),
                                         ("rule", guessed[lines[0]].rule))))


def doubtful_continued(state: PageState) -> None:
    """an article marked continued from another page (no 「上接」 line says so) whose first line opens a
    paragraph rather than going on with a sentence: an indented first line, or a story opener (本报讯, 日前，):
    its headline may be missing (or printed elsewhere on the page)"""
    from noticepub.parse.openers import opener

    for a, slot in zip(state.articles, state.slots, strict=True):
        if not a.continued or a.continued_from or not slot.body.paragraphs:
            continue
        first = slot.body.paragraphs[0]
        line = state.lines[first.lines[0] - 1]
        score, why = opener(first.text)
        # short like a paragraph's first line, and not the short last line of a paragraph (it would end there)
        indented = bool(line.text) and state.geo.indented(line) and not line.terminated
        if score > 0 or indented:
            reason = why or "its first line is indented like a paragraph's first line"
            state.warnings.append(ParseWarning(
                "doubtful-continued", a.id, tuple(first.lines[:1]), f"article {a.id} is marked continued from "
                f"another page, but its first line opens a paragraph ({reason}): is its headline missing?",
                (("chosen", "continued, no headline"), ("rejected", "an article whose headline was not found"))))


def ragged_table(state: PageState) -> None:
    """a table whose rows do not line up: rows with fewer or more cells than the others (a cell printed
    with one space, a wrapped cell, or a line of prose taken for a row)"""
    for a in state.articles:
        for _, rows in a.tables:
            counts = [len(r) for r in rows]
            usual = max(set(counts), key=counts.count)
            odd = [i + 1 for i, c in enumerate(counts) if c != usual]
            if odd:
                state.warnings.append(ParseWarning(
                    "ragged-table", a.id, a.lines, f"article {a.id}: table row {odd[0]} has {counts[odd[0] - 1]} "
                    f"cells where the table's other rows have {usual} (rows that do not line up: check the cells)",
                    (("rows", str(len(rows))), ("cells", str(usual)), ("odd rows", ", ".join(map(str, odd))))))


def inner_attribution(state: PageState) -> None:
    """a source attribution （据…） inside an article's text, not at its end: a missed article end?"""
    from noticepub.parse.text import ATTR_RE

    for a in state.articles:
        for i, p in enumerate(a.paragraphs):
            m = ATTR_RE.search(p)
            if m and (i < len(a.paragraphs) - 1 or m.end() < len(p.rstrip())):
                state.warnings.append(ParseWarning(
                    "inner-attribution", a.id, a.lines, f"article {a.id} paragraph {i + 1} holds 「{m.group(0)}」 inside "
                    "its text (an article that ends there?)", (("chosen", "ordinary text"), ("rejected", "article end"))))
                break


PROMOTED_SHORT = 6  # characters: a promoted headline this short reads as much like a sub-heading


def promoted_headline(state: PageState) -> None:
    """an article whose headline was a lone sub-heading of sub-heading length (rule 'lone sub-heading')"""
    for a, slot in zip(state.articles, state.slots, strict=True):
        if slot.title_lines and slot.title_lines[0] in state.promoted and len(a.title) <= PROMOTED_SHORT:
            state.warnings.append(ParseWarning(
                "promoted-sub-heading", a.id, tuple(slot.title_lines), f"article {a.id}: 「{a.title}」 was the only "
                "sub-heading of the article before and was taken for this article's headline",
                (("chosen", "headline printed in place"), ("rejected", "sub-heading"))))


def lone_sub_heading(state: PageState) -> None:
    """an article's only sub-heading, deep inside its text (not after its first paragraph, where a section
    often starts): the headline of another article printed in place?"""
    for a in state.articles:
        if len(a.headings) == 1 and 1 < a.headings[0] < len(a.paragraphs) - 1:
            i = a.headings[0]
            state.warnings.append(ParseWarning(
                "lone-sub-heading", a.id, a.lines, f"article {a.id} has one sub-heading, 「{a.paragraphs[i]}」 "
                f"(paragraph {i + 1}): the headline of another article printed in place?",
                (("chosen", "sub-heading"), ("rejected", "headline printed in place"))))


def only_article(state: PageState) -> None:
    """the page's only article has unnumbered sub-headings: short headlines printed in place, read as
    sub-headings? (a newspaper page holds several articles)"""
    from noticepub.parse.reflow import NUMBERED_RE

    if len(state.articles) != 1:
        return
    a = state.articles[0]
    shown = [a.paragraphs[i] for i in a.headings if not NUMBERED_RE.match(a.paragraphs[i])]
    if shown:
        state.warnings.append(ParseWarning(
            "only-article", a.id, a.lines, f"article {a.id} is the page's only article, and its sub-headings "
            f"({'、'.join('「' + h + '」' for h in shown[:3])}) may be the headlines of other articles",
            (("chosen", "sub-heading"), ("rejected", "headline printed in place"), ("sub-headings", str(len(shown))))))

