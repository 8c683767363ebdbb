"""Layout rules: what each line or group of lines is (furniture, leads, headlines), over one PageState.

Each rule is ``fn(state) -> None``; the layout ruler runs them in order (pipeline.default_ruler).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from noticepub.model import Role
from noticepub.parse.furniture import CONTINUE, END, Hit, _captions, _page, glued_head, glued_tail, whole_line
from noticepub.parse.furniture import without_furniture as _without
from noticepub.parse.layout import (
    Group,
    inplace_score,
    is_furniture,
    is_headline,
    is_lead,
    is_subtitle,
    is_top_headline,
    learn_geometry,
    measure_lines,
    split_groups,
)
from noticepub.parse.state import PageState
from noticepub.parse.text import ends_with_attribution


def page_furniture(state: PageState) -> None:
    """a whole line is furniture: running header/footer, page number, staff or jump line"""
    for line in state.raw_lines:
        found = whole_line(line.text, state.furniture) if line.text else None
        if found:
            pat, m = found
            state.hits[line.no] = Hit(line.no, line.text, pat.name, pat.reason, pat.effect, _page(m))


def jump_line_glued(state: PageState) -> None:
    """（下转第四版） glued to the end of a text line (or （上接…） to its start) is cut off"""
    for line in state.raw_lines:
        if not line.text or line.no in state.hits:
            continue
        tail = glued_tail(line.text, state.furniture)
        if tail:
            pat, m = tail
            state.glued[line.no] = Hit(line.no, m.group(0), pat.name, pat.reason, pat.effect, _page(m), whole=False)
            continue
        head = glued_head(line.text, state.furniture)
        if head:
            pat, m = head
            state.glued[line.no] = Hit(line.no, m.group(0), pat.name, pat.reason, pat.effect, _page(m), whole=False,
                                       leading=True)


def photo_caption(state: PageState) -> None:
    """图为…… / ……摄 / ……新华社发 lines are a photo caption"""
    _captions(state.raw_lines, state.hits, state.furniture)


def all_hits(state: PageState) -> list[Hit]:
    hits = dict(state.hits)
    for no, hit in state.glued.items():
        hits.setdefault(no, hit)
    return [hits[no] for no in sorted(hits) if no not in state.held]


def corrected_furniture(state: PageState) -> None:
    """notice.yml corrections.furniture: these lines are page furniture"""
    if state.corr is None:
        return
    state.auto_hits = all_hits(state)
    for no in state.corr.furniture:
        state.glued.pop(no, None)
        state.hits[no] = Hit(no, state.raw_lines[no - 1].text, "maintainer correction",
                             "maintainer correction in notice.yml")


def _jump_marks(state: PageState, hits: list[Hit]) -> None:
    """Lines after which an article jumps to another page; lines that continue an article (-> its page)."""
    content = [x.no for x in state.lines if x.text]
    jump_after: set[int] = set()
    for hit in hits:
        if hit.effect == END:
            k = bisect_left(content, hit.line)
            jump_after.update(([content[k - 1]] if k else []) if hit.whole else [hit.line])
        elif hit.effect == CONTINUE:
            k = bisect_left(content, hit.line) if hit.leading else bisect_right(content, hit.line)
            if k < len(content):
                state.cont[content[k]] = hit.page
    state.jump_after = frozenset(jump_after)


def geometry(state: PageState) -> None:
    """furniture read as blank, the page's column width and glyph widths learned, lines grouped"""
    hits = all_hits(state)
    clean = _without(state.raw_lines, hits)
    # learned from the page as the parser reads it without corrections: a correction never moves the
    # column width (and so the paragraph ends) of lines it does not touch
    auto = clean if state.auto_hits is None else _without(state.raw_lines, state.auto_hits)
    if state.held:
        clean = [replace(x, text="") if x.no in state.held else x for x in clean]
    state.geo = learn_geometry(auto)
    state.lines = measure_lines(clean, state.geo)
    _jump_marks(state, hits)
    state.groups = split_groups(state.lines, state.geo)


def page_number(state: PageState) -> None:
    """a group holding only a page number is furniture"""
    for g in state.groups:
        if is_furniture(g):
            g.role, g.detail = Role.FURNITURE, "a line holding only a page number"


def lead(state: PageState) -> None:
    """wide lines set across columns, ending a sentence: a lead"""
    geo = state.geo
    for g in state.groups:
        if g.role == Role.BODY and is_lead(g, geo):
            g.role, g.detail = Role.LEAD, f"lines up to {max(x.m for x in g.lines):.0f} em wide, column {geo.width:.1f}"


def top_headline(state: PageState) -> None:
    """the first group, wider than the column or unpunctuated: the page's top headline (+——subtitle, +lead)"""
    groups, order = state.groups, state.order()
    if not order:
        return
    top = groups[order[0]]
    if top.role != Role.BODY or not any(groups[i].role == Role.BODY for i in order[1:]) \
            or not is_top_headline(top, state.geo):
        return
    top.role, top.detail = Role.TOP_HEADLINE, "headline on top of the page"
    pos = 1
    if pos < len(order) and is_subtitle(groups[order[pos]]) and groups[order[pos]].role == Role.BODY:
        groups[order[pos]].role, groups[order[pos]].detail = Role.TOP_HEADLINE, "subtitle under the top headline"
        pos += 1
    if pos < len(order) and groups[order[pos]].role == Role.LEAD:
        groups[order[pos]].role, groups[order[pos]].detail = Role.TOP_LEAD, "wide lead under the top headline"


def displaced_headline(state: PageState) -> None:
    """short unpunctuated groups after the last body: displaced headlines"""
    groups, order = state.groups, state.order()
    tail = len(order)
    for k in range(len(order) - 1, 0, -1):
        g = groups[order[k]]
        if g.role == Role.LEAD:
            tail = k
            continue
        if g.role == Role.BODY and (is_headline(g, state.geo) or is_subtitle(g)) \
                and g.lines[-1].no not in state.jump_after:
            g.role, g.detail = Role.HEADLINE, "displaced headline after the bodies"
            tail = k
            continue
        break
    state.tail = tail


def _ends_article(prev: Group, jump_after: frozenset[int]) -> bool:
    return prev.lines[-1].terminated or prev.lines[-1].no in jump_after or ends_with_attribution(prev.text)


def _inplace_at(state: PageState, order: list[int], k: int, tail: int, tail_leads: tuple[str, ...]) -> int:
    """Try a headline in place at group order[k]; returns the next k to look at."""
    groups, geo = state.groups, state.geo
    g, prev = groups[order[k]], groups[order[k - 1]]
    if not (g.role == Role.BODY and prev.role in (Role.BODY, Role.TOP_LEAD, Role.INPLACE_LEAD) and k + 1 < tail
            and is_headline(g, geo) and _ends_article(prev, state.jump_after)):
        return k + 1
    j = k + 1
    subs = []
    while j < tail and groups[order[j]].role == Role.BODY and is_subtitle(groups[order[j]]):
        subs.append(order[j])
        j += 1
    nxt = groups[order[j]] if j < tail else None
    if nxt is None or nxt.role not in (Role.BODY, Role.LEAD):
        return k + 1
    score, why = inplace_score(prev, g, groups[subs[0]] if subs else nxt, geo, state.jump_after, tail_leads)
    g.score = score
    if score < 2:
        g.detail = f"rejected as a headline in place, score {score:g} (needs 2): " + "; ".join(why)
        return k + 1
    g.role, g.detail = Role.INPLACE_HEADLINE, (f"headline printed in place, score {score:g}: " + "; ".join(why)
                                               + " | rejected: sub-heading or body text (score below 2)")
    for i in subs:
        groups[i].role, groups[i].detail = Role.INPLACE_HEADLINE, "subtitle under a headline printed in place"
    if nxt.role == Role.LEAD:
        nxt.role, nxt.detail = Role.INPLACE_LEAD, "wide lead under a headline printed in place"
    return j + 1


def headline_in_place(state: PageState) -> None:
    """a short unpunctuated group between articles, with evidence (opener, subtitle, lead): a headline"""
    order = state.order()
    tail = len(order) if state.tail is None else state.tail
    tail_leads = tuple(state.groups[order[k]].text for k in range(tail, len(order))
                       if state.groups[order[k]].role == Role.LEAD)
    k = 1
    while k < tail:
        k = _inplace_at(state, order, k, tail, tail_leads)


def body_kept(state: PageState) -> None:
    """a page whose only "body" was taken for headlines keeps its text as body"""
    if any(g.role == Role.BODY for g in state.groups):
        return
    for g in state.groups:
        if g.role in (Role.HEADLINE, Role.INPLACE_HEADLINE):
            g.role, g.detail = Role.BODY, ""


def corrected_body(state: PageState) -> None:
    """a line a correction starts, joins or splits is body text"""
    if state.corr is None:
        return
    from noticepub.parse.corrections import starts as corr_starts

    c = state.corr
    pinned = set(corr_starts(c)) | set(c.split) | {x for pair in c.join for x in pair}
    for g in state.groups:
        if g.role != Role.BODY and any(x.no in pinned for x in g.lines):
            g.role, g.detail = Role.BODY, "maintainer correction: body text"


GROUP_RULES = [("page number", page_number), ("lead", lead), ("top headline", top_headline),
               ("displaced headline", displaced_headline), ("headline in place", headline_in_place),
               ("body kept", body_kept)]
