"""Layout rules: what each line or group of lines is (furniture, leads, headlines), over one PageState.

Each rule is ``fn(state) -> None``; the layout ruler runs them in order (pipeline.default_ruler).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

from noticepub.model import Role
from noticepub.parse.furniture import CONTINUE, END, Hit, _captions, _page, glued_head, glued_tail, whole_line
from noticepub.parse.furniture import without_furniture as _without
from noticepub.parse.layout import (
    CLAUSE_RE,
    DASHES,
    NOTE_RE,
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
from noticepub.parse.reflow import NUMBERED_RE
from noticepub.parse.state import PageState
from noticepub.parse.text import ends_with_attribution, two_part_kicker


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


BYLINE_RE = re.compile(
    r"[（(]\s*([\u4e00-\u9fff]{2,10}(报|台|网|社))?\s*(本报)?(特约)?(记者|通讯员|实习生)[^（）()]{1,40}[）)]"
    r"|(本报)?(特约)?(记者|通讯员|实习生)\s*(?![从在对向据于近今日获])[\u4e00-\u9fff·]{2,4}(\s+[\u4e00-\u9fff·]{2,4}){0,3}"
    r"(\s+(本报)?(特约)?(记者|通讯员|实习生)\s*[\u4e00-\u9fff·]{2,4}(\s+[\u4e00-\u9fff·]{2,4}){0,3})*"
    r"|(文|图|文/图|文图)\s*[/／]?\s*[\u4e00-\u9fff·]{2,4}(\s+[\u4e00-\u9fff·]{2,4}){0,3}")


def byline(state: PageState) -> None:
    """a line of its own naming the reporters (（记者 陈斌）, 本报记者 张三 李四): the byline of the article below
    (also when the first paragraph follows it without a blank line)"""
    out: list[Group] = []
    for g in state.groups:
        if g.role == Role.BODY and BYLINE_RE.fullmatch(g.lines[0].text):
            out.append(Group(g.lines[:1], Role.BYLINE, "a byline on its own line"))
            if len(g.lines) > 1:
                out.append(Group(g.lines[1:], g.role, g.detail))
        else:
            out.append(g)
    state.groups = out


ANY_PUNCT = re.compile("[，、；：,;:。！？]")  # any punctuation: a line holding none may be a headline's
CELL_GAP = re.compile(r"[ \t\u3000]{2,}")
TABLE_CELL_MAX = 16  # characters: a cell longer than this is prose, not a table cell


def cells(line_text: str) -> list[str]:
    """The cells of a table row as pdftotext prints it: runs of two or more spaces between them."""
    return [c for c in CELL_GAP.split(line_text.strip(" \t\u3000")) if c]


def _is_table(g: Group) -> bool:
    rows = [cells(x.text) for x in g.lines]
    if len(rows) < 2 or any(len(r) < 2 for r in rows) or any(len(c) > TABLE_CELL_MAX for r in rows for c in r):
        return False
    widths = [len(r) for r in rows]
    return max(widths) - min(widths) <= 1 and widths.count(max(set(widths), key=widths.count)) * 5 >= 4 * len(rows)


def _table_parts(g: Group) -> list[Group]:
    """A group holding table rows and other lines (title, unit, note printed without blank lines): the lines
    before the rows, the rows, the lines after them, as groups of their own."""
    if g.role != Role.BODY or len(g.lines) < 3:
        return [g]
    rowlike = [len(cells(x.text)) >= 2 for x in g.lines]
    if not any(rowlike):
        return [g]
    first = rowlike.index(True)
    last = len(rowlike) - 1 - rowlike[::-1].index(True)
    rows = Group(g.lines[first:last + 1], g.role, g.detail)
    if (first == 0 and last == len(g.lines) - 1) or not _is_table(rows):
        return [g]
    parts = [Group(g.lines[:first], g.role, g.detail)] if first else []
    parts.append(rows)
    if last + 1 < len(g.lines):
        parts.append(Group(g.lines[last + 1:], g.role, g.detail))
    return parts


def table(state: PageState) -> None:
    """lines whose cells are separated by runs of spaces, all alike: a table (rows exactly as printed), never
    joined with prose; the one or two short lines right above it (its title, 单位：元) are paragraphs of
    their own"""
    state.groups = _tight_titles([part for g in state.groups for part in _table_parts(g)])
    n = 0
    for i, g in enumerate(state.groups):
        if g.role != Role.BODY or not _is_table(g):
            continue
        state.tables.update({x.no: n for x in g.lines})
        n += 1
        captions = 0
        for above in state.groups[max(0, i - 2):i][::-1]:  # its title and unit lines, each a paragraph
            if above.role != Role.BODY or captions + len(above.lines) > 2 or any(x.terminated for x in above.lines):
                break
            captions += len(above.lines)
            for x in above.lines:
                state.tables.setdefault(x.no, -1)
        _notes(state, i + 1, n)


def _tight_titles(groups: list[Group]) -> list[Group]:
    """A table's title printed right below the paragraph above it (no blank line between): the last line of
    that group, ending no sentence and holding no punctuation after a line that ends one, becomes a group
    of its own (the table rule then takes it for the title)."""
    out: list[Group] = []
    for g in groups:
        if g.role == Role.BODY and _is_table(g):
            for back in (1, 2):  # the group right above, or the one above a unit line
                if len(out) < back or out[-back].role != Role.BODY:
                    break
                above = out[-back]
                if not any(x.terminated for x in above.lines):
                    continue
                *rest, last = above.lines
                if rest and rest[-1].terminated and not last.terminated and not ANY_PUNCT.search(last.text):
                    out[len(out) - back:len(out) - back + 1] = [
                        Group(rest, above.role, above.detail),
                        Group([last], Role.BODY, "a table's title printed right below the paragraph above")]
                break
        out.append(g)
    return out


def _notes(state: PageState, i: int, n: int) -> None:
    """The notes below table n (注：…, 数据来源：…), from group i: each a paragraph of its own; a note runs to a
    sentence end or to the next paragraph's (indented) first line."""
    geo, note, open_, last = state.geo, -2 - 10 * n, False, None
    for below in state.groups[i:i + 3]:
        if below.role != Role.BODY:
            return
        if open_ and last is not None and last.core < geo.width - geo.tol and geo.indented(below.lines[0]):
            open_ = False  # a note line short of full, then an indented first line: the note ended there
        for x, nxt in zip(below.lines, [*below.lines[1:], None], strict=True):
            if not open_:
                if not NOTE_RE.match(x.text):
                    return
                note, open_ = note - 1, True
            state.tables[x.no] = note
            last = x
            if nxt is None:  # the group ends: a note whose line (full, or indented as a first line) ends no sentence
                open_ = not x.terminated and x.core >= geo.width - geo.indent - geo.tol  # goes on past the break
            elif x.terminated or (geo.indented(nxt) and not nxt.terminated
                                  and nxt.core >= geo.width - geo.indent - geo.tol):  # a first line, not a tail
                open_ = False
                if not NOTE_RE.match(nxt.text):
                    return


def _tight(g: Group, geo) -> bool:  # noqa: ANN001 - Geometry
    first, second = g.lines[0], g.lines[1] if len(g.lines) > 1 else None
    return (second is not None and len(g.lines) >= 3 and not first.terminated
            and not geo.indented(first) and geo.indented(second) and first.m < geo.wide
            and is_headline(Group([first]), geo) and not CLAUSE_RE.search(first.text)
            and not any(x.text.startswith(DASHES) for x in g.lines[1:3]))  # a ——subtitle: a headline block


def _short_tight(g: Group, geo) -> int:  # noqa: ANN001 - Geometry
    """A headline block (one to three lines, no punctuation) printed tight above a paragraph: its last line
    clearly shorter than a paragraph's first line and ending no sentence, an indented first line below it.
    A paragraph's lines are full but its last, and a last line ends its sentence, so such a line is a
    heading's (headline or sub-heading: the rules that weigh headlines in place decide). Returns how many
    lines the block holds (0: not so)."""
    for k in range(min(3, len(g.lines) - 2)):
        line = g.lines[k]
        if line.terminated or ANY_PUNCT.search(line.text):
            return 0
        if line.core <= geo.width - geo.indent - 1.0:
            below = g.lines[k + 1]
            head = Group(g.lines[:k + 1])
            ok = (geo.indented(below) and sum(1 for ch in head.text if not ch.isspace()) >= 4
                  and is_headline(head, geo) and not below.text.lstrip().startswith(DASHES)
                  and bool(re.search("[，。]", "".join(x.text for x in g.lines[k + 1:]))))
            return k + 1 if ok else 0
    return 0


def _subtitle_end(g: Group) -> int:
    """A headline block printed tight above its paragraph: one or two unpunctuated headline lines, a
    ——subtitle line, then prose. Returns how many lines the block holds (0: not so)."""
    for k in (1, 2):
        if len(g.lines) > k + 1 and g.lines[k].text.lstrip().startswith(DASHES) and not g.lines[k].terminated \
                and not any(ANY_PUNCT.search(x.text) for x in g.lines[:k]) \
                and not g.lines[k + 1].text.lstrip().startswith(DASHES) \
                and bool(re.search("[，。]", "".join(x.text for x in g.lines[k + 1:]))):
            return k + 1
    return 0


def _brief_item(g: Group, geo, column: int | None) -> bool:  # noqa: ANN001 - Geometry
    """Below a briefs column's label, any unpunctuated first line above a paragraph is an item's headline."""
    first = g.lines[0]
    return (column is not None and first.no > column and len(g.lines) >= 3 and not first.terminated
            and is_headline(Group([first]), geo) and not ANY_PUNCT.search(first.text)
            and any(re.search("[，、。]", x.text) for x in g.lines[1:]))  # prose below, not a headline's lines


def _broken_first_line(g: Group, nxt: Group | None, geo) -> bool:  # noqa: ANN001 - Geometry
    """A headline line, then a paragraph's first line (set in by exactly the indent, no sentence end) that a
    column break cuts from the full line going on below it: 「福州启动孤独症儿童关爱项目」 / 「福州市儿童福利院联合」
    / (blank) / 「三家康复机构启动…」. A headline's own second line is short (「投入运营」), not indented."""
    if len(g.lines) != 2 or nxt is None or nxt.role != Role.BODY:
        return False
    first, second = g.lines
    return (not first.terminated and not ANY_PUNCT.search(first.text) and first.m > second.m
            and not geo.indented(first) and not second.terminated
            and abs(second.core - (geo.width - geo.indent)) <= max(geo.tol, 0.75)
            and not geo.indented(nxt.lines[0]) and not nxt.lines[0].text.startswith(DASHES)
            and nxt.lines[0].m <= geo.width + geo.tol  # a column's full line (not a lead set across columns)
            and not is_headline(nxt, geo) and bool(re.search("[，。]", nxt.text)))  # prose goes on below


def tight_headline(state: PageState) -> None:
    """a headline printed with no blank line above its paragraph (briefs columns): an unpunctuated line too
    long for a paragraph's first line, right above an indented first line (below a column label 简讯: any
    unpunctuated first line)"""
    column = min((h.line for h in state.hits.values() if h.name == "column label"), default=None)
    out: list[Group] = []
    for i, g in enumerate(state.groups):
        nxt = state.groups[i + 1] if i + 1 < len(state.groups) else None
        block = _short_tight(g, state.geo) if g.role == Role.BODY and not BYLINE_RE.fullmatch(g.lines[0].text) else 0
        if block < 2 and g.role == Role.BODY and not BYLINE_RE.fullmatch(g.lines[0].text) \
                and (_tight(g, state.geo) or _brief_item(g, state.geo, column) or _broken_first_line(g, nxt, state.geo)):
            head = Group(g.lines[:1], Role.BODY, "a headline printed right above its paragraph")
            state.tight.add(g.lines[0].no)
            prev = next((x for x in reversed(out) if x.role != Role.FURNITURE), None)
            if prev is not None and _ends_article(prev, state.jump_after):
                head.role = Role.INPLACE_HEADLINE
            out += [head, Group(g.lines[1:], g.role, g.detail)]
        elif g.role == Role.BODY and (k := _subtitle_end(g)):
            out += [Group(g.lines[:k], Role.BODY, "a headline and its ——subtitle printed right above the text"),
                    Group(g.lines[k:], g.role, g.detail)]
        elif block:
            out += [Group(g.lines[:block], Role.BODY, "a heading printed right above its paragraph"),
                    Group(g.lines[block:], g.role, g.detail)]
        else:
            out.append(g)
    state.groups = out


def page_number(state: PageState) -> None:
    """a group holding only a page number is furniture"""
    for g in state.groups:
        if is_furniture(g):
            g.role, g.detail = Role.FURNITURE, "a line holding only a page number"


def lead(state: PageState) -> None:
    """wide lines set across columns, ending a sentence: a lead (a table's wide note is not)"""
    geo = state.geo
    for g in state.groups:
        if g.role == Role.BODY and is_lead(g, geo) and g.lines[0].no not in state.tables:
            g.role, g.detail = Role.LEAD, f"lines up to {max(x.m for x in g.lines):.0f} em wide, column {geo.width:.1f}"


HEAD_BLOCK_CHARS = 48  # a headline block (kicker, headline lines, ——subtitle) is at most this long


def _head_line(state: PageState, g: Group) -> bool:
    """One line of a headline block printed on its own: no clause punctuation, not ending a sentence, no
    table row nor numbered sub-heading."""
    return (g.role == Role.BODY and len(g.lines) == 1 and is_headline(g, state.geo) and not CLAUSE_RE.search(g.text)
            and g.lines[0].no not in state.tables and not NUMBERED_RE.match(g.lines[0].text))


def _head_run(state: PageState, order: list[int], k: int) -> int:
    """How many groups from order[k] are lines of one headline block printed apart (0 or 2+)."""
    groups = state.groups
    end = k
    while end < len(order) and _head_line(state, groups[order[end]]) and (
            end == k or groups[order[end]].lines[0].no == groups[order[end - 1]].lines[-1].no + 2):
        end += 1  # one-line groups one blank line apart
    chars = sum(len(groups[order[i]].text) for i in range(k, end))
    body = end + (end < len(order) and groups[order[end]].role == Role.LEAD)  # text below (under its lead):
    if end - k < 2 or chars > HEAD_BLOCK_CHARS or body >= len(order) or groups[order[body]].role != Role.BODY \
            or not CLAUSE_RE.search(groups[order[body]].text) \
            or (body == end and not state.geo.indented(groups[order[body]].lines[0])) \
            or groups[order[end]].lines[0].no == groups[order[end - 1]].lines[-1].no + 1:
        return 0  # not the headlines and leads after the bodies, nor a paragraph's first line (broken off at a
        # column's end: the text below goes on unindented)
    return end - k


TOP_RESTATED = 0.5  # a headline on top restated this much by a lead or paragraph further down


def headlines_on_top(state: PageState) -> None:
    """two or more headlines printed one after another on top of the page, above the leads and bodies (set
    side by side across the page, pdftotext prints them first), each restated by a different lead or
    paragraph further down: displaced headlines (matched to their bodies like the headlines after the
    bodies), not one headline block"""
    from noticepub.parse.match import coverage

    groups, order = state.groups, state.order()
    heads: list[int] = []
    k = 0
    while k < len(order):  # headlines (with their ——subtitles) and wide leads, in any order
        g = groups[order[k]]
        if g.role == Role.LEAD:
            k += 1
        elif g.role == Role.BODY and is_headline(g, state.geo) and not CLAUSE_RE.search(g.text):
            heads.append(k)
            k = _below_subtitles(state, order, k, len(order))
        else:
            break
    texts = [groups[i] for i in order if groups[i].role == Role.LEAD] + \
        [groups[i] for i in order[k:] if groups[i].role == Role.BODY]
    if len(heads) < 2 or not texts:
        return
    owners: list[int] = []  # the text restating each headline that one restates
    for h in heads:
        best = max(range(len(texts)), key=lambda t: coverage(groups[order[h]].text, texts[t].text))
        if coverage(groups[order[h]].text, texts[best].text) >= TOP_RESTATED:
            owners.append(best)
    if len(owners) < 2 or len(set(owners)) < len(owners):
        return  # lines of one headline block restated by one text, or too little evidence
    for h in heads:
        for i in order[h:_below_subtitles(state, order, h, len(order))]:
            groups[i].role, groups[i].detail = Role.HEADLINE, "one of the headlines printed on top of the page"


def headline_lines_apart(state: PageState) -> None:
    """two or three one-line groups without punctuation, on top of the page or after a finished article
    and above text: one headline block whose lines pdftotext printed apart (large type, wide leading); they
    become one group (kicker, headline lines, ——subtitle)"""
    groups, order = state.groups, state.order()
    merged: dict[int, list[int]] = {}
    k = 0
    while k < len(order):
        prev = groups[order[k - 1]] if k else None
        run = _head_run(state, order, k) if prev is None or (prev.role == Role.BODY and _ends_article(
            prev, state.jump_after)) else 0
        if run:
            merged[order[k]] = order[k + 1:k + run]
        k += max(run, 1)
    if not merged:
        return
    gone = {i for rest in merged.values() for i in rest}
    out = []
    for i, g in enumerate(groups):
        if i in merged:
            g = Group([x for j in (i, *merged[i]) for x in groups[j].lines], g.role,
                      "one headline block printed with blank lines between its lines")
        if i not in gone:
            out.append(g)
    state.groups = out


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


TAIL_JOIN_WEAK = 0.3  # a second line restated less than this by any text says nothing of its own


def _best_text(text: str, grams: list[set[str]]) -> tuple[int, float]:
    """The body or lead group (given by its doc_grams) restating ``text`` most, and how much (coverage)."""
    from noticepub.parse.match import coverage_in

    scores = [coverage_in(text, g) for g in grams]
    best = max(range(len(scores)), key=scores.__getitem__, default=-1)
    return best, scores[best] if best >= 0 else 0.0


def _apart_pair(a: Group, b: Group) -> bool:
    """A displaced headline of one or two lines and a one-line one right below it, one blank line apart, no
    clause punctuation: the shape of one headline printed apart (the words decide: _one_headline)."""
    return (a.role == b.role == Role.HEADLINE and len(a.lines) <= 2 and len(b.lines) == 1
            and b.lines[0].no == a.lines[-1].no + 2 and not CLAUSE_RE.search(a.text + b.text))


def _one_headline(a: Group, b: Group, grams: list[set[str]]) -> bool:
    """The text restating a most restates b about as much as any text does (or b says nothing of its own),
    and a + b as well as a (``grams``: the doc_grams of the body and lead groups)."""
    from noticepub.parse.match import coverage_in

    ia, sa = _best_text(a.text, grams)
    _, sb = _best_text(b.text, grams)
    joined, sj = _best_text(a.text + b.text.strip(), grams)
    also = coverage_in(b.text, grams[ia]) >= sb - 0.1  # a's text restates b about as much as any text does
    return (also or sb < TAIL_JOIN_WEAK) and joined == ia and sj >= sa - 0.05


def tail_headline_lines_apart(state: PageState) -> None:
    """one-line displaced headlines after the bodies, one blank line apart (up to three: kicker, headline
    lines, ——subtitle): one headline whose lines pdftotext printed apart, when the text restating the
    first restates the next about as much as any text does (or nothing restates it): 「山西多举措做好春节期间
    农民工返」 / 「乡返岗保障工作」"""
    groups, order = state.groups, state.order()
    tail = len(order) if state.tail is None else state.tail
    from noticepub.parse.match import doc_grams

    texts = [groups[i] for i in order[:tail] if groups[i].role == Role.BODY] + \
        [groups[i] for i in order if groups[i].role == Role.LEAD]
    grams: list[set[str]] = []  # made once, at the first pair of the right shape
    k, gone = tail, set()
    while k + 1 < len(order) and texts:
        a, b = groups[order[k]], groups[order[k + 1]]
        if _apart_pair(a, b) and _one_headline(a, b, grams := grams or [doc_grams(g.text) for g in texts]):
            a.lines, a.detail = a.lines + b.lines, "one displaced headline whose lines were printed apart"
            gone.add(order.pop(k + 1))
            continue  # a third line (a ——subtitle) may follow
        k += 1
    if gone:
        state.groups = [g for i, g in enumerate(groups) if i not in gone]


def _below_subtitles(state: PageState, order: list[int], k: int, tail: int) -> int:
    """The position in ``order`` of the first group after group order[k] and the ——subtitle groups under it."""
    j = k + 1
    while j < tail and state.groups[order[j]].role == Role.BODY and is_subtitle(state.groups[order[j]]):
        j += 1
    return j


def _broken_off(state: PageState, prev: Group) -> bool:
    """Running text broken off inside a sentence: its last line full (wrapped at the column's end), not
    ending a sentence, an attribution or a jump line, and clause punctuation in it (no headline line)."""
    last = prev.lines[-1]
    return (prev.role == Role.BODY and not _ends_article(prev, state.jump_after)
            and not last.text.rstrip().endswith(("。", "！", "？", "”", "）")) and not state.geo.short(last)
            and bool(CLAUSE_RE.search(prev.text)))


def _floating_at(state: PageState, order: list[int], k: int, tail: int) -> bool:
    """Group order[k] is a headline printed at a column break inside a sentence: see headline_at_column_break."""
    groups, geo = state.groups, state.geo
    g = groups[order[k]]
    if g.role != Role.BODY or not _broken_off(state, groups[order[k - 1]]) or not is_headline(g, geo) \
            or CLAUSE_RE.search(g.text) or g.lines[0].no in state.tables or NUMBERED_RE.match(g.lines[0].text):
        return False
    j = _below_subtitles(state, order, k, tail)
    lead = j < tail and groups[order[j]].role == Role.LEAD
    j += lead
    if j >= tail or groups[order[j]].role != Role.BODY or geo.indented(groups[order[j]].lines[0]):
        return False
    # the text below goes on with the sentence above (not indented) and the group is no piece of it: set
    # wider than the column, with a lead or a ——subtitle under it, or ending short without ending a
    # sentence (inside a paragraph only its last line is short, and that one ends the sentence)
    subtitle = j > k + 1 + lead or any(x.text.startswith(DASHES) for x in g.lines[1:])
    wide = any(x.m > geo.width + geo.tol for x in g.lines)
    return wide or lead or subtitle or geo.short(g.lines[-1])


def headline_at_column_break(state: PageState) -> None:
    """a short unpunctuated group between the two halves of a sentence (a column break), set wider than the
    column or with a wide lead or a ——subtitle under it: the headline of an article further down, printed
    where its columns begin; it is displaced (matched to its body like the headlines after the bodies), its
    lead too, and the sentence goes on across it"""
    groups, order = state.groups, state.order()
    tail = len(order) if state.tail is None else state.tail
    for k in range(1, tail - 1):
        if not _floating_at(state, order, k, tail):
            continue
        why = "headline printed at a column break inside a sentence (the text below goes on with it): displaced"
        groups[order[k]].role, groups[order[k]].detail = Role.HEADLINE, why
        for i in order[k + 1:_below_subtitles(state, order, k, tail)]:
            groups[i].role, groups[i].detail = Role.HEADLINE, "subtitle under " + why


def _ends_article(prev: Group, jump_after: frozenset[int]) -> bool:
    return prev.lines[-1].terminated or prev.lines[-1].no in jump_after or ends_with_attribution(prev.text)


def _candidate(state: PageState, order: list[int], k: int, tail: int) -> bool:
    """Group order[k] may be a headline printed in place: a short unpunctuated body group after a finished
    article, not a table's line nor a numbered section heading (三、…), with more groups after it."""
    g, prev = state.groups[order[k]], state.groups[order[k - 1]]
    return (g.role == Role.BODY and prev.role in (Role.BODY, Role.TOP_LEAD, Role.INPLACE_LEAD) and k + 1 < tail
            and is_headline(g, state.geo) and _ends_article(prev, state.jump_after)
            and g.lines[0].no not in state.tables and not NUMBERED_RE.match(g.lines[0].text))


def _page_evidence(state: PageState, order: list[int], k: int, g: Group) -> list[tuple[float, str]]:
    """Evidence from the page around the group: numbered sub-headings above it, a briefs column label, a
    byline below it."""
    out: list[tuple[float, str]] = []
    if _numbered_above(state, order, k) and not NUMBERED_RE.match(g.lines[0].text):
        out.append((2, "the article's sub-headings above are numbered (一、…), this line is not"))
    column = [h.line for h in state.hits.values() if h.name == "column label" and h.line < g.lines[0].no]
    if column:
        out.append((2, f"inside a briefs column (label at line {column[-1]}): one headline per item"))
    after = state.groups.index(g) + 1
    if after < len(state.groups) and state.groups[after].role == Role.BYLINE:
        out.append((3, "a byline follows (a sub-heading has none)"))
    return out


def _inplace_at(state: PageState, order: list[int], k: int, tail: int, tail_leads: tuple[str, ...]) -> int:
    """Try a headline in place at group order[k]; returns the next k to look at."""
    if not _candidate(state, order, k, tail):
        return k + 1
    groups = state.groups
    g, prev = groups[order[k]], groups[order[k - 1]]
    j = _below_subtitles(state, order, k, tail)
    subs = order[k + 1:j]
    nxt = groups[order[j]] if j < tail else None
    if nxt is None or nxt.role not in (Role.BODY, Role.LEAD):
        return k + 1
    labelled = any(h.name == "column label" and prev.lines[-1].no < h.line < g.lines[0].no
                   for h in state.hits.values())
    score, why = inplace_score(prev, g, groups[subs[0]] if subs else nxt, state.geo, state.jump_after, tail_leads,
                               labelled)
    if score > -9:
        extra = _page_evidence(state, order, k, g)
        score, why = score + sum(p for p, _ in extra), why + [w for _, w in extra]
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


def _numbered_above(state: PageState, order: list[int], k: int) -> bool:
    """The article above group order[k] has numbered sub-headings (一、…) since the last headline: a line
    opening with a number and not ending a sentence, at a group's start or right after a finished sentence
    (a heading printed tight, in one group with the paragraphs around it)."""
    for i in reversed(order[:k]):
        g = state.groups[i]
        if g.role in (Role.TOP_HEADLINE, Role.INPLACE_HEADLINE):
            return False
        if any(NUMBERED_RE.match(x.text) and not x.terminated and (j == 0 or g.lines[j - 1].terminated)
               for j, x in enumerate(g.lines)):
            return True
    return False


def headline_in_place(state: PageState) -> None:
    """a short unpunctuated group between articles, with evidence (opener, subtitle, lead): a headline"""
    order = state.order()
    tail = len(order) if state.tail is None else state.tail
    tail_leads = tuple(state.groups[order[k]].text for k in range(tail, len(order))
                       if state.groups[order[k]].role == Role.LEAD)
    k = 1
    while k < tail:
        k = _inplace_at(state, order, k, tail, tail_leads)


KICKER_SHARE = 0.7  # a kicker is at most this share of the headline line below it


def _kicker_of(g: Group) -> int:
    """How many of a headline group's first lines are a kicker (0 or 1)."""
    title = [x for x in g.lines if not x.text.startswith(("——", "—", "--"))]
    if len(title) < 2 or title[0] is not g.lines[0]:
        return 0
    first, second = title[0], title[1]
    indented = first.raw[:1].isspace() and not second.raw[:1].isspace()
    return int(first.m <= KICKER_SHARE * second.m or (indented and first.m < second.m)
               or (two_part_kicker(first.text) and not two_part_kicker(second.text) and " " not in second.text.strip()
                   and first.m > second.m))


def kicker(state: PageState) -> None:
    """the first line of a headline, much shorter than the line below it (or set in from it): a kicker (引题)"""
    out: list[Group] = []
    for g in state.groups:
        if g.role in (Role.TOP_HEADLINE, Role.HEADLINE, Role.INPLACE_HEADLINE) and _kicker_of(g):
            out.append(Group(g.lines[:1], Role.KICKER, "a kicker (引题) above the headline"))
            g = Group(g.lines[1:], g.role, g.detail, g.score)
        out.append(g)
    state.groups = out


def repeated_headline(state: PageState) -> None:
    """a headline right above a （上接第一版） line is the continued article's headline, repeated"""
    above: dict[int, Group] = {}
    last: Group | None = None
    for g in state.groups:  # the group ending on the last text line before each line
        for x in g.lines:
            above[x.no] = last if x is g.lines[0] else g
        last = g
    for hit in all_hits(state):
        if hit.effect != CONTINUE:
            continue
        line = hit.line if not hit.whole else next((x.no for x in state.lines if x.no > hit.line and x.text), None)
        g = above.get(line) if line is not None else None
        if g is None or g.lines[-1].no >= hit.line and hit.whole:
            continue
        if g.role in (Role.TOP_HEADLINE, Role.HEADLINE) or (g.role == Role.BODY and is_headline(g, state.geo)
                                                            and not g.lines[-1].terminated):
            g.role, g.detail = Role.INPLACE_HEADLINE, "the headline repeated above a （上接…） line"


def lead_without_headline(state: PageState) -> None:
    """a lead taken for the top headline's, whose headline a later rule gave another role, is body text"""
    if any(g.role == Role.TOP_HEADLINE for g in state.groups):
        return
    for g in state.groups:
        if g.role == Role.TOP_LEAD:
            g.role, g.detail = Role.BODY, "a lead with no top headline above it any more: body text"


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
    from noticepub.parse.corrections import role_runs
    from noticepub.parse.corrections import starts as corr_starts

    c = state.corr
    pinned = set(corr_starts(c)) | set(c.split) | {x for pair in c.join for x in pair}
    pinned |= {no for no, role in c.roles if role in ("body", "subheading", "table", "attribution")}
    for g in state.groups:
        if g.role != Role.BODY and any(x.no in pinned for x in g.lines):
            g.role, g.detail = Role.BODY, "maintainer correction: body text"
    for n, (role, nos) in enumerate(role_runs(c)):
        if role in ("kicker", "byline"):
            state.groups.append(Group([state.raw_lines[no - 1] for no in nos],
                                      Role.KICKER if role == "kicker" else Role.BYLINE,
                                      f"maintainer correction: {role}"))
        elif role == "table":
            state.tables.update({no: 1000 + n for no in nos})


GROUP_RULES = [("page number", page_number), ("lead", lead), ("top headline", top_headline),
               ("displaced headline", displaced_headline), ("headline in place", headline_in_place),
               ("body kept", body_kept)]
