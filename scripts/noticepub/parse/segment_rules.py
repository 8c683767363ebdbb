"""Segmentation rules: the body stream, where articles start, paragraphs (reflow), article bodies.

Each rule is ``fn(state) -> None``; the segment ruler runs them in order (pipeline.default_ruler).
"""

from __future__ import annotations

from bisect import bisect_right

from noticepub.model import Dropped, Role
from noticepub.parse.layout import Group, is_subtitle
from noticepub.parse.layout_rules import all_hits
from noticepub.parse.openers import opener, refers_back
from noticepub.parse.reflow import heading_lines, reflow
from noticepub.parse.segment import Start, segment, split_attributions
from noticepub.parse.state import PageState
from noticepub.parse.text import ends_sentence, ends_with_attribution


def body_stream(state: PageState) -> None:
    """the body lines in page order, each with the gap before it; furniture recorded as dropped"""
    state.role_of = {line.no: g for g in state.groups for line in g.lines}
    state.dropped = [Dropped(h.text, "page furniture: " + h.reason, h.line) for h in all_hits(state)]
    for g in state.groups:
        if g.role == Role.FURNITURE:
            state.dropped += [Dropped(line.text, "page furniture: " + g.detail, line.no) for line in g.lines]
    gap = False
    blanks: list[int] = []
    for line in state.lines:
        if line.blank:
            gap = True
            blanks.append(line.no)
        elif state.role_of[line.no].role == Role.BODY:
            state.stream.append((line, gap, tuple(blanks)))
            gap, blanks = False, []
        else:
            gap, blanks = True, []


def _next_after(nos: list[int], no: int) -> int | None:
    """The first of the sorted line numbers after line ``no``."""
    k = bisect_right(nos, no)
    return nos[k] if k < len(nos) else None


def _start(state: PageState, no: int, start: Start, why: str) -> None:
    state.starts[no] = start
    state.boundaries[no] = why


def inplace_starts(state: PageState) -> None:
    """a headline printed in place starts an article at the first body line below it (or its lead)"""
    groups, body_nos = state.groups, state.body_nos()
    i = 0
    while i < len(groups):
        if groups[i].role != Role.INPLACE_HEADLINE:
            i += 1
            continue
        heads = [groups[i]]
        j = i + 1
        while j < len(groups) and groups[j].role in (Role.INPLACE_HEADLINE, Role.FURNITURE):
            if groups[j].role == Role.INPLACE_HEADLINE:
                heads.append(groups[j])
            j += 1
        lead = groups[j] if j < len(groups) and groups[j].role == Role.INPLACE_LEAD else None
        last = (lead or heads[-1]).lines[-1].no
        first_body = _next_after(body_nos, last)
        if first_body is not None:
            _start(state, first_body, Start("headline printed in place", title=len(state.inplace_groups)),
                   "a headline printed in place starts a new article")
        state.inplace_groups.append((heads, lead))  # without a body below: an article of its own (orphan headlines)
        i = j


def corrected_starts(state: PageState) -> None:
    """notice.yml corrections: article starts (with their headlines and leads), joins and splits"""
    if state.corr is None:
        return
    from noticepub.parse.corrections import starts as corr_starts

    c = state.corr
    body_nos = state.body_nos()
    body_set = set(body_nos)
    for no in corr_starts(c):
        if no not in body_set:
            state.refuse(f"key 'corrections': line {no} is not body text, so no article can start there; "
                         "name the first line of the article's body")
        heads_c = dict(c.headlines).get(no, ())
        lead_c = dict(c.leads).get(no, ())
        hg = [Group([state.raw_lines[n - 1] for n in heads_c], Role.CORRECTED)] if heads_c else []
        lg = Group([state.raw_lines[n - 1] for n in lead_c], Role.CORRECTED) if lead_c else None
        _start(state, no, Start("maintainer correction", title=len(state.inplace_groups)),
               "maintainer correction: an article starts here")
        state.inplace_groups.append((hg, lg))
    for no in c.split:
        state.forced[no] = ("break", "maintainer correction: a new paragraph starts here")
    for a, b in c.join:
        for no in body_nos:
            if a < no <= b:
                state.forced[no] = ("join", f"maintainer correction: one paragraph with line {a}")


def continued_from(state: PageState) -> None:
    """a （上接第一版） line: the text after it continues an article from another page"""
    body_set = set(state.body_nos())
    for no, page_from in state.cont.items():
        if no in body_set:
            old = state.starts.get(no)
            if old is not None and old.title is not None:  # its headline repeated above the 上接 line
                state.starts[no] = Start("continued from another page, its headline repeated", title=old.title,
                                         continued_from=page_from, continued=True)
            state.starts.setdefault(no, Start("continued from another page", continued_from=page_from,
                                              continued=True))
            state.boundaries.setdefault(no, f"continued from {page_from or 'another page'} (上接 line)")


def jump_line_end(state: PageState) -> None:
    """a jump line （下转…） ends its article: the next body line starts another"""
    body_nos = state.body_nos()
    for no in state.jump_after:
        nxt = _next_after(body_nos, no)
        if nxt is not None:
            state.boundaries.setdefault(nxt, "the article before stopped at a jump line")


def byline_boundary(state: PageState) -> None:
    """a byline on its own line below a finished paragraph (no headline between): the article above has
    ended, the text below the byline is another article's"""
    stream = state.stream
    heads = sorted(g.lines[0].no for g in state.groups
                   if g.role in (Role.TOP_HEADLINE, Role.HEADLINE, Role.INPLACE_HEADLINE, Role.KICKER))
    body_nos = state.body_nos()
    for g in state.groups:
        if g.role != Role.BYLINE:
            continue
        k = bisect_right(body_nos, g.lines[0].no)
        if k == 0 or k == len(body_nos):
            continue
        prev = stream[k - 1][0]
        between = _next_after(heads, prev.no)
        if (prev.terminated or ends_with_attribution(prev.text)) and (between is None or between > g.lines[0].no):
            state.ends_after.add(prev.no)
            state.boundaries.setdefault(body_nos[k], "a byline above it: the article before has ended")


def continued_article(state: PageState) -> None:
    """the page begins mid-article (its first body line is a full line): continued, no title"""
    from noticepub.parse.assemble_rules import top_groups

    if not state.stream:
        return
    first = state.stream[0][0]
    top_head, _ = top_groups(state)
    if top_head is None and first.no not in state.starts and not state.geo.indented(first) \
            and not any(g.role == Role.INPLACE_HEADLINE and g.lines[0].no < first.no for g in state.groups):
        state.starts[first.no] = Start("the page begins mid-article: its first line is a full line", continued=True)


def sub_heading_lines(state: PageState) -> None:
    """a short unpunctuated line alone after a finished sentence: a sub-heading (its own paragraph)"""
    found = {no for no in heading_lines(state.stream, state.geo) if no not in state.tables}
    found -= {no for no, role in state.roles.items() if role != "subheading"}  # "this line is not a heading"
    state.headings = frozenset(found | {no for no, role in state.roles.items() if role == "subheading"})


def paragraphs(state: PageState) -> None:
    """body lines joined into paragraphs by the reflow ruler (the first joint rule with an opinion decides)"""
    state.paragraphs, state.verdicts = reflow(state.stream, state.geo, state.rules.reflow,  # type: ignore[attr-defined]
                                              boundaries=state.boundaries, headings=state.headings,
                                              forced=state.forced, tables=state.tables)


def inline_headline(state: PageState) -> None:
    """a sub-heading right before a story opener (本报讯, 新华社…电) after a finished article is the
    headline of the next article, printed in place without blank lines around it"""
    out: list = []
    paras = state.paragraphs
    for i, para in enumerate(paras):
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        prev_text = "".join(t for _, t in out[-1].pieces) if out else ""
        if para.heading and nxt is not None and not nxt.heading and out and para.pieces[0][0] not in state.starts \
                and (ends_sentence(prev_text) or ends_with_attribution(prev_text)):
            score, evidence = opener("".join(t for _, t in nxt.pieces))
            first = nxt.pieces[0][0]
            if score >= 3 and first not in state.starts:
                group = Group([state.lines[no - 1] for no, _ in para.pieces], Role.INPLACE_HEADLINE,
                              f"headline printed in place (no blank lines around it): {evidence} follows "
                              "| rejected: sub-heading (a story opener never follows one)")
                _start(state, first, Start("headline printed in place", title=len(state.inplace_groups)),
                       "a headline printed in place starts a new article")
                state.inplace_groups.append(([group], None))
                continue
        out.append(para)
    state.paragraphs = out


def bodies(state: PageState) -> None:
    """paragraphs cut into article bodies where an article starts and after jump lines"""
    state.bodies = segment(state.paragraphs, state.starts, state.jump_after | state.ends_after)


def attribution_split(state: PageState) -> None:
    """（据…） ends an article (alone, closing a paragraph, or glued to the next article's first line)"""
    state.bodies = split_attributions(state.bodies)


def _untitled(state: PageState) -> list[int]:
    """Bodies with no headline of their own on the page so far (the first one under a top headline has one)."""
    top = any(g.role == Role.TOP_HEADLINE for g in state.groups)
    return [i for i, b in enumerate(state.bodies) if b.start is None and b.paragraphs and not (i == 0 and top)]


def _headline_lead(state: PageState, title: int, leads: list[str]) -> str:
    """The lead of a headline printed in place: the wide lead under it, or the displaced lead that restates
    it most (at least half its characters in trigrams the lead holds); "" if none."""
    from noticepub.parse.match import coverage

    heads, lead = state.inplace_groups[title]
    if lead is not None:
        return lead.text
    head = "".join(g.text for g in heads)
    best = max(leads, key=lambda x: coverage(head, x), default="")
    return best if best and coverage(head, best) >= 0.5 else ""


def _goes_on_below(state: PageState, prev, cur, nxt, leads: list[str], spare: bool) -> bool:  # noqa: ANN001
    """``cur`` starts at a headline printed in place, but its text goes on with ``prev`` (which no attribution
    or jump line ended, its last paragraph finished) up to the attribution that ends it, and ``nxt``, the
    text after that attribution, has no headline of its own. Either the headline's words are the text's
    after the attribution and not the text's below it, or (``spare``: the page has more texts without a
    headline than displaced headlines) no story opener stands below the headline, nor 「会议指出…」 under a
    headline whose lead introduces a meeting."""
    from noticepub.parse.split import introduces

    if not (prev.paragraphs and prev.attribution is None and not prev.jumped and cur.start is not None
            and cur.start.title is not None and not cur.start.continued and cur.attribution is not None
            and cur.paragraphs and nxt.start is None and nxt.paragraphs and ends_sentence(prev.paragraphs[-1].text)):
        return False
    if _heads_the_text_after(state, cur, nxt, leads):
        return True
    text = cur.paragraphs[0].text
    ref = refers_back(text)
    return spare and opener(text)[0] <= 0 and not (ref is not None and introduces(ref, _headline_lead(
        state, cur.start.title, leads)))


HEADS_AFTER = 0.5  # the headline (and its lead) share at least this much with the text after the attribution
HEADS_BELOW = 0.1  # ... and at most this much with the text right below it


def _heads_the_text_after(state: PageState, cur, nxt, leads: list[str]) -> bool:  # noqa: ANN001 - Bodies
    """The headline's words are the text's after the attribution, not the text's right below it."""
    from noticepub.parse.match import coverage

    heads, _ = state.inplace_groups[cur.start.title]
    head = "".join(g.text for g in heads) + _headline_lead(state, cur.start.title, leads)
    below = "".join(p.text for p in cur.paragraphs)
    after = "".join(p.text for p in nxt.paragraphs)
    return coverage(head, after) >= HEADS_AFTER and coverage(head, below) <= HEADS_BELOW


def headline_above_the_article_before(state: PageState) -> None:
    """a headline printed in place above text that goes on with the article before (no attribution ended
    that one) up to an attribution, after which comes text with no headline of its own; either the
    headline's words are those of that text and not of the text below it, or no story opener stands below
    it on a page with more such texts than displaced headlines: the headline is printed where its columns
    begin, above the end of the article before; it heads the text after the attribution"""
    spare = sum(1 for g in state.groups if g.role == Role.HEADLINE and not is_subtitle(g))
    leads = [g.text for g in state.groups if g.role == Role.LEAD]
    untitled = len(_untitled(state))
    bodies = state.bodies
    i = 1
    while i + 1 < len(bodies):
        prev, cur, nxt = bodies[i - 1], bodies[i], bodies[i + 1]
        if not _goes_on_below(state, prev, cur, nxt, leads, untitled > spare):
            i += 1
            continue
        why = (f"printed above the end of the article before (the text below it goes on with that article up to "
               f"its attribution at line {cur.attribution_lines[0]}): it heads the text after the attribution")
        _explain_moved(state, cur, why)
        prev.paragraphs += cur.paragraphs
        prev.attribution, prev.attribution_lines, prev.wrapper = cur.attribution, cur.attribution_lines, cur.wrapper
        nxt.start = Start(f"{cur.start.reason}; {why}", title=cur.start.title)
        del bodies[i]
        untitled -= 1


def _explain_moved(state: PageState, cur, why: str) -> None:  # noqa: ANN001 - a Body
    """--explain: the headline's lines say where it went; the line below it starts a paragraph, not an article."""
    from dataclasses import replace

    for g in state.inplace_groups[cur.start.title][0]:
        g.detail = f"{g.detail}; {why}"
    first = cur.paragraphs[0].lines[0]
    rule = "headline over article before"
    state.verdicts = [replace(v, rule=rule, detail="the text below the headline goes on with the article before: "
                              "a new paragraph, not a new article") if v.line == first else v for v in state.verdicts]
