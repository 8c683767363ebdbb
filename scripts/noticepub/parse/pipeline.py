"""parse_page: lines -> layout -> blocks -> reflow -> segments -> assemble, with a decision per line."""

from __future__ import annotations

from noticepub.model import Article, Decision, Dropped, ParseResult
from noticepub.parse.assemble import Note, Slot, assemble
from noticepub.parse.conservation import check_conservation
from noticepub.parse.layout import Group, Line, classify, learn_geometry, read_lines, split_groups
from noticepub.parse.reflow import LineVerdict, reflow
from noticepub.parse.segment import Body, segment
from noticepub.parse.text import counted, tidy


def _body_stream(lines: list[Line], role_of: dict[int, Group]) -> list[tuple[Line, bool, tuple[int, ...]]]:
    stream: list[tuple[Line, bool, tuple[int, ...]]] = []
    gap = False
    blanks: list[int] = []
    for line in lines:
        if line.blank:
            gap = True
            blanks.append(line.no)
        elif role_of[line.no].role == "body":
            stream.append((line, gap, tuple(blanks)))
            gap, blanks = False, []
        else:
            gap, blanks = True, []
    return stream


def _label(slots: list[Slot]) -> dict[int, list[str]]:
    """Line number -> the blocks it feeds, e.g. ["article 1 paragraph 3"]."""
    where: dict[int, list[str]] = {}
    for k, slot in enumerate(slots):
        for p, part in enumerate(slot.body.paragraphs):
            for no in part.lines:
                where.setdefault(no, []).append(f"article {k + 1} paragraph {p + 1}")
        for no in slot.body.attribution_lines:
            where.setdefault(no, []).append(f"article {k + 1} attribution")
    return where


def _articles(slots: list[Slot], dropped: list[Dropped]) -> list[Article]:
    articles = []
    for k, slot in enumerate(slots):
        paragraphs = []
        for part in slot.body.paragraphs:
            text = tidy(part.text)
            if any(counted(ch) for ch in text):
                paragraphs.append(text)
            elif text:
                dropped.append(Dropped(text, "punctuation without letters or digits", part.lines[0]))
        b = slot.body
        if b.attribution is not None:
            dropped.append(Dropped("（据）", f"attribution brackets around {b.attribution} (kept as the attribution field)",
                                   b.attribution_lines[0] if b.attribution_lines else 0))
        lines = sorted(set(b.lines) | set(slot.title_lines) | set(slot.lead_lines))
        articles.append(Article(f"a{k + 1}", slot.title or "", slot.subtitle, slot.lead, tuple(paragraphs),
                                b.attribution, tuple(lines)))
    return articles


def _decisions(lines: list[Line], role_of: dict[int, Group], verdicts: list[LineVerdict], slots: list[Slot],
               notes: list[Note]) -> list[Decision]:
    out: dict[int, Decision] = {}
    where = _label(slots)
    for v in verdicts:
        blocks = where.get(v.line, ["dropped"])
        rule, detail = v.rule, v.detail
        if any(b.endswith("attribution") for b in blocks):
            rule, detail = "attribution split", f"（据…） ends its article here; {v.rule}: {v.detail}"
        out[v.line] = Decision(v.line, lines[v.line - 1].raw, " + ".join(blocks), rule, detail)
        for no in v.blank_lines:
            seam = "column break" if v.joined else "paragraph end"
            out[no] = Decision(no, "", "blank", seam, v.detail)
    for n in notes:
        block = f"article {n.target + 1} {n.kind}"
        out[n.line] = Decision(n.line, lines[n.line - 1].raw, block, n.rule, n.detail)
    for line in lines:
        if line.no in out:
            continue
        if line.blank:
            out[line.no] = Decision(line.no, line.raw, "blank", "blank line", "")
        else:
            g = role_of[line.no]
            out[line.no] = Decision(line.no, line.raw, "dropped" if g.role == "furniture" else g.role,
                                    "dropped" if g.role == "furniture" else g.role, g.detail)
    return [out[no] for no in sorted(out)]


def parse_page(text: str, source: str) -> ParseResult:
    """Recover the articles of one raw page. Raises ParseError if characters would be lost."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = read_lines(text)
    geo = learn_geometry(lines)
    groups = split_groups(lines, geo)
    classify(groups, geo)
    role_of = {line.no: g for g in groups for line in g.lines}

    dropped: list[Dropped] = []
    for g in groups:
        if g.role == "furniture":
            dropped += [Dropped(line.text, "page furniture: " + g.detail, line.no) for line in g.lines]

    paragraphs, verdicts = reflow(_body_stream(lines, role_of), geo)
    bodies: list[Body] = segment(paragraphs)
    top_head = next((g for g in groups if g.role == "top-headline"), None)
    top_lead = next((g for g in groups if g.role == "top-lead"), None)
    heads = [g for g in groups if g.role == "headline"]
    leads = [g for g in groups if g.role == "lead"]
    slots, notes = assemble(bodies, top_head, top_lead, heads, leads)

    articles = _articles(slots, dropped)
    decisions = _decisions(lines, role_of, verdicts, slots, notes)
    result = ParseResult(source=source, articles=tuple(articles), dropped=tuple(dropped),
                         decisions=tuple(decisions))
    check_conservation(text, result)
    return result


def explain_text(result: ParseResult) -> str:
    """One line per input line: number, block, rule, detail, and the line as read."""
    out = [f"{result.source}: {len(result.articles)} articles"]
    for a in result.articles:
        out.append(f"  {a.id}: {a.title or '(no headline)'} — {len(a.paragraphs)} paragraphs, "
                   f"lead {'yes' if a.lead else 'no'}, attribution {a.attribution or '-'}")
    out.append("")
    for d in result.decisions:
        detail = f" ({d.detail})" if d.detail else ""
        out.append(f"{d.line:>5}  {d.block:<26} {d.rule}{detail}  | {d.text.strip()}")
    return "\n".join(out)
