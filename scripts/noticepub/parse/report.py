"""What a parse reports: articles, a decision per line (--explain), one LineInfo per raw line.

All built from the one PageState after the rulers ran; typed records, never strings read back.
"""

from __future__ import annotations

from noticepub.model import Article, Decision, Dropped, LineInfo, LineRole, Role
from noticepub.parse.assemble import DASHES, Slot
from noticepub.parse.state import PageState
from noticepub.parse.text import counted, tidy

ParaMap = dict[tuple[int, int], int]  # (slot, part) -> index into the article's paragraphs


def _label(slots: list[Slot]) -> dict[int, list[str]]:
    """Line number -> the blocks it feeds, e.g. ["article 1 paragraph 3"]."""
    where: dict[int, list[str]] = {}
    for k, slot in enumerate(slots):
        for p, part in enumerate(slot.body.paragraphs):
            for no in part.lines:
                kind = "sub-heading" if part.heading else "paragraph"
                where.setdefault(no, []).append(f"article {k + 1} {kind} {p + 1}")
        for no in slot.body.attribution_lines:
            where.setdefault(no, []).append(f"article {k + 1} attribution")
    return where


def _article(k: int, slot: Slot, dropped: list[Dropped], para_map: ParaMap) -> Article:
    from noticepub.parse.layout_rules import cells

    paragraphs: list[str] = []
    headings: list[int] = []
    tables: list[tuple[int, tuple[tuple[str, ...], ...]]] = []
    for i, part in enumerate(slot.body.paragraphs):
        if part.table is not None:
            rows = tuple(tuple(cells(r)) for r in part.table)
            para_map[(k, i)] = len(paragraphs)
            tables.append((len(paragraphs), rows))
            paragraphs.append("\n".join(" ".join(r) for r in rows))
            continue
        text = tidy(part.text)
        if any(counted(ch) for ch in text):
            if part.heading:
                headings.append(len(paragraphs))
            para_map[(k, i)] = len(paragraphs)
            paragraphs.append(text)
        elif text:
            dropped.append(Dropped(text, "punctuation without letters or digits", part.lines[0]))
    b = slot.body
    if b.attribution is not None and b.wrapper:
        dropped.append(Dropped(b.wrapper, f"attribution brackets around {b.attribution} (kept as the attribution field)",
                               b.attribution_lines[0] if b.attribution_lines else 0))
    lines = sorted(set(b.lines) | set(slot.title_lines) | set(slot.lead_lines) | set(slot.extra_lines))
    start = b.start
    continued = bool(start and start.continued)
    return Article(f"a{k + 1}", slot.title or "", slot.subtitle, slot.lead, tuple(paragraphs), b.attribution,
                   tuple(lines), tuple(headings), continued, start.continued_from if start and continued else None,
                   kicker=slot.kicker, byline=slot.byline, tables=tuple(tables),
                   speakers=tuple((para_map[(k, i)], label) for i, label in slot.speakers if (k, i) in para_map))


def articles(state: PageState) -> tuple[list[Article], ParaMap]:
    para_map: ParaMap = {}
    out = [_article(k, slot, state.dropped, para_map) for k, slot in enumerate(state.slots)]
    return out, para_map


def _verdict_decisions(state: PageState, out: dict[int, Decision], where: dict[int, list[str]]) -> None:
    lines, role_of = state.lines, state.role_of
    for v in state.verdicts:
        blocks = where.get(v.line, ["dropped"])
        rule, detail = v.rule, v.detail
        group = role_of.get(v.line)
        if group is not None and group.detail.startswith("rejected as a headline") and group.lines[0].no == v.line:
            detail = f"{detail}; {group.detail}"
        if any(b.endswith("attribution") for b in blocks):
            rule, detail = "attribution split", f"（据…） ends its article here; {v.rule}: {v.detail}"
        out[v.line] = Decision(v.line, lines[v.line - 1].raw, " + ".join(blocks), rule, detail)
        for no in v.blank_lines:
            seam = "column break" if v.joined else "paragraph end"
            out[no] = Decision(no, "", "blank", seam, v.detail)


def decisions(state: PageState) -> list[Decision]:
    lines, role_of = state.lines, state.role_of
    out: dict[int, Decision] = {}
    _verdict_decisions(state, out, _label(state.slots))
    for choice in state.splits:
        old = out.get(choice.line)
        block = old.block if old else f"article {choice.body + 1}"
        out[choice.line] = Decision(choice.line, lines[choice.line - 1].raw, block, "article boundary (no attribution)",
                                    f"score {choice.score:.2f}: {choice.evidence}")
    for n in state.notes:
        out[n.line] = Decision(n.line, lines[n.line - 1].raw, f"article {n.target + 1} {n.kind}", n.rule, n.detail)
    from noticepub.parse.layout_rules import all_hits

    for hit in all_hits(state):
        if hit.whole:
            out[hit.line] = Decision(hit.line, lines[hit.line - 1].raw, "dropped", f"furniture: {hit.name}", hit.reason)
        elif hit.line in out:
            d = out[hit.line]
            out[hit.line] = Decision(d.line, d.text, d.block, d.rule, f"{d.detail}; 「{hit.text}」 dropped: {hit.reason}")
    for line in lines:
        if line.no in out:
            continue
        if line.blank:
            out[line.no] = Decision(line.no, line.raw, "blank", "blank line", "")
        elif line.no in role_of:
            g = role_of[line.no]
            name = "dropped" if g.role == Role.FURNITURE else g.role
            out[line.no] = Decision(line.no, line.raw, name, name, g.detail)
        else:  # a rule that reads it was switched off
            out[line.no] = Decision(line.no, line.raw, "dropped", "not read", "no rule placed this line")
    return [out[no] for no in sorted(out)]


def _slot_roles(state: PageState, para_map: ParaMap, out: dict[int, LineInfo]) -> None:
    for k, slot in enumerate(state.slots):
        aid = f"a{k + 1}"
        sub = False
        for no in slot.title_lines:
            sub = sub or (no != slot.title_lines[0] and state.raw_lines[no - 1].text.startswith(tuple(DASHES)))
            out[no] = LineInfo(no, LineRole.SUBTITLE if sub else LineRole.HEADLINE, aid, None, "headline")
        for no in slot.lead_lines:
            out[no] = LineInfo(no, LineRole.LEAD, aid, None, "lead")
        for no in slot.extra_lines:
            role = LineRole.BYLINE if state.role_of.get(no) and state.role_of[no].role == Role.BYLINE else LineRole.KICKER
            out[no] = LineInfo(no, role, aid, None, str(role))
        for no in slot.body.attribution_lines:
            out[no] = LineInfo(no, LineRole.ATTRIBUTION, aid, None, "attribution split")
        for i, part in enumerate(slot.body.paragraphs):
            role = LineRole.TABLE if part.table is not None else LineRole.SUBHEADING if part.heading else LineRole.BODY
            for no in part.lines:
                if no not in out or out[no].role == LineRole.ATTRIBUTION:
                    out[no] = LineInfo(no, role, aid, para_map.get((k, i)), "")


def line_info(state: PageState, para_map: ParaMap, decided: list[Decision]) -> list[LineInfo]:
    """One LineInfo per raw line: its role, article, paragraph index and the rule that decided."""
    out: dict[int, LineInfo] = {}
    _slot_roles(state, para_map, out)
    rule_of = {d.line: d.rule for d in decided}
    furniture = {d.line for d in state.dropped if d.reason.startswith("page furniture")}
    result = []
    for line in state.raw_lines:
        info = out.get(line.no)
        rule = rule_of.get(line.no, "")
        if info is not None:
            result.append(LineInfo(info.line, info.role, info.article_id, info.paragraph, rule))
        elif not line.text:
            result.append(LineInfo(line.no, LineRole.BLANK, None, None, rule or "blank line"))
        elif line.no in furniture:
            result.append(LineInfo(line.no, LineRole.FURNITURE, None, None, rule))
        else:
            result.append(LineInfo(line.no, LineRole.DROPPED, None, None, rule))
    return result
