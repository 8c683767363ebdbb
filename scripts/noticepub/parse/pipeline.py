"""parse_page: lines -> furniture -> layout -> reflow -> segments -> global split -> assemble, with a
decision per line and warnings for doubtful results."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from noticepub.errors import InputError, ParseError
from noticepub.model import Article, Corrections, Decision, Dropped, ParseResult, ParseWarning, Role
from noticepub.parse.assemble import Match, Note, Slot, assemble, headline_text, lead_text, pair_leads
from noticepub.parse.conservation import check_conservation
from noticepub.parse.corrections import check_lines
from noticepub.parse.corrections import starts as corr_starts
from noticepub.parse.furniture import CONTINUE, END, Hit, find_furniture, without_furniture
from noticepub.parse.layout import Geometry, Group, Line, classify, learn_geometry, measure_lines, read_lines, split_groups
from noticepub.parse.reflow import LineVerdict, heading_lines, reflow
from noticepub.parse.rules import ParseRules, Ruler
from noticepub.parse.segment import Body, Start, segment
from noticepub.parse.split import NONE, SplitChoice, split_bodies
from noticepub.parse.text import counted, tidy

WEAK_SCORE = 0.2  # a headline or lead matched with less than this share of its weight is doubtful
WEAK_MARGIN = 0.05  # ... or when swapping it with the runner-up would cost the assignment less than this


@dataclass
class Page:
    """Everything the stages found on one page (internal to the pipeline)."""

    lines: list[Line]
    hits: list[Hit]
    geo: Geometry
    groups: list[Group]
    role_of: dict[int, Group]
    verdicts: list[LineVerdict] = field(default_factory=list)
    splits: list[SplitChoice] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)


def _body_stream(lines: list[Line], role_of: dict[int, Group]) -> list[tuple[Line, bool, tuple[int, ...]]]:
    stream: list[tuple[Line, bool, tuple[int, ...]]] = []
    gap = False
    blanks: list[int] = []
    for line in lines:
        if line.blank:
            gap = True
            blanks.append(line.no)
        elif role_of[line.no].role == Role.BODY:
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
                kind = "sub-heading" if part.heading else "paragraph"
                where.setdefault(no, []).append(f"article {k + 1} {kind} {p + 1}")
        for no in slot.body.attribution_lines:
            where.setdefault(no, []).append(f"article {k + 1} attribution")
    return where


def _articles(slots: list[Slot], dropped: list[Dropped]) -> list[Article]:
    articles = []
    for k, slot in enumerate(slots):
        paragraphs: list[str] = []
        headings: list[int] = []
        for part in slot.body.paragraphs:
            text = tidy(part.text)
            if any(counted(ch) for ch in text):
                if part.heading:
                    headings.append(len(paragraphs))
                paragraphs.append(text)
            elif text:
                dropped.append(Dropped(text, "punctuation without letters or digits", part.lines[0]))
        b = slot.body
        if b.attribution is not None:
            dropped.append(Dropped("（据）", f"attribution brackets around {b.attribution} (kept as the attribution field)",
                                   b.attribution_lines[0] if b.attribution_lines else 0))
        lines = sorted(set(b.lines) | set(slot.title_lines) | set(slot.lead_lines))
        start = b.start
        continued = bool(start and start.continued)
        articles.append(Article(f"a{k + 1}", slot.title or "", slot.subtitle, slot.lead, tuple(paragraphs),
                                b.attribution, tuple(lines), tuple(headings), continued,
                                start.continued_from if start and continued else None))
    return articles


def _decisions(page: Page, slots: list[Slot], notes: list[Note]) -> list[Decision]:
    lines, role_of = page.lines, page.role_of
    out: dict[int, Decision] = {}
    where = _label(slots)
    for v in page.verdicts:
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
    for choice in page.splits:
        old = out.get(choice.line)
        block = old.block if old else f"article {choice.body + 1}"
        out[choice.line] = Decision(choice.line, lines[choice.line - 1].raw, block, "article boundary (no attribution)",
                                    f"score {choice.score:.2f}: {choice.evidence}")
    for n in notes:
        block = f"article {n.target + 1} {n.kind}"
        out[n.line] = Decision(n.line, lines[n.line - 1].raw, block, n.rule, n.detail)
    for hit in page.hits:
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
        else:
            g = role_of[line.no]
            out[line.no] = Decision(line.no, line.raw, "dropped" if g.role == Role.FURNITURE else g.role,
                                    "dropped" if g.role == Role.FURNITURE else g.role, g.detail)
    return [out[no] for no in sorted(out)]


def _jump_marks(lines: list[Line], hits: list[Hit]) -> tuple[frozenset[int], dict[int, str | None]]:
    """Lines after which an article jumps to another page; lines that continue an article (-> its page)."""
    content = [x.no for x in lines if x.text]
    jump_after: set[int] = set()
    cont: dict[int, str | None] = {}
    for hit in hits:
        if hit.effect == END:
            if not hit.whole:
                jump_after.add(hit.line)
            else:
                before = [no for no in content if no < hit.line]
                if before:
                    jump_after.add(before[-1])
        elif hit.effect == CONTINUE:
            after = [no for no in content if no > hit.line or (no == hit.line and hit.leading)]
            if after:
                cont[after[0]] = hit.page
    return frozenset(jump_after), cont


def _inline_headlines(paragraphs: list, lines: list[Line], starts: dict[int, Start], boundaries: dict[int, str],
                      inplace_groups: list[tuple[list[Group], Group | None]]) -> list:
    """A sub-heading right before a story opener (本报讯, 新华社…电) after a finished article is the
    headline of the next article, printed in place without blank lines around it."""
    from noticepub.parse.openers import opener
    from noticepub.parse.text import ends_sentence, ends_with_attribution

    out = []
    for i, para in enumerate(paragraphs):
        nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        prev_text = "".join(t for _, t in out[-1].pieces) if out else ""
        if para.heading and nxt is not None and not nxt.heading and out and para.pieces[0][0] not in starts \
                and (ends_sentence(prev_text) or ends_with_attribution(prev_text)):
            score, evidence = opener("".join(t for _, t in nxt.pieces))
            first = nxt.pieces[0][0]
            if score >= 3 and first not in starts:
                group = Group([lines[no - 1] for no, _ in para.pieces], Role.INPLACE_HEADLINE,
                              f"headline printed in place (no blank lines around it): {evidence} follows "
                              "| rejected: sub-heading (a story opener never follows one)")
                starts[first] = Start("headline printed in place", title=len(inplace_groups))
                boundaries[first] = "a headline printed in place starts a new article"
                inplace_groups.append(([group], None))
                continue
        out.append(para)
    return out


def _merge_subtitles(heads: list[Group]) -> list[Group]:
    """A displaced 「——」 subtitle group belongs to the headline group just above it."""
    out: list[Group] = []
    for g in heads:
        if out and g.lines[0].text.startswith(("——", "—", "--")) and out[-1].lines[-1].no < g.lines[0].no:
            out[-1] = Group(out[-1].lines + g.lines, out[-1].role, out[-1].detail)
        else:
            out.append(g)
    return out


def _warnings(articles: list[Article], slots: list[Slot], page: Page) -> list[ParseWarning]:
    from noticepub.parse.furniture import furniture_like
    from noticepub.parse.openers import strong_opener

    out: list[ParseWarning] = []
    for a, slot in zip(articles, slots, strict=True):
        if not a.paragraphs:
            out.append(ParseWarning("no-paragraphs", a.id, a.lines,
                                    f"article {a.id} 「{a.title or a.lead or ''}」 has no paragraphs on this page "
                                    "(its body may be on another page, or a split was missed)"))
        if not a.title and not a.continued and a.paragraphs:
            out.append(ParseWarning("untitled", a.id, a.lines, f"article {a.id} has no headline and is not marked "
                                    "as continued from another page"))
        for i, part in enumerate(slot.body.paragraphs):
            if i > 0 and not part.heading and strong_opener(part.text):
                out.append(ParseWarning("second-opener", a.id, tuple(part.lines),
                                        f"article {a.id} holds a second story opener at line {part.lines[0]}: "
                                        f"「{part.text[:12]}…」 (a missed article boundary?)"))
        for text in (a.title, a.subtitle or ""):
            why = furniture_like(text) if text else None
            if why:
                out.append(ParseWarning("furniture-in-title", a.id, tuple(slot.title_lines),
                                        f"article {a.id} title 「{text}」 looks like page furniture: {why}"))
    for m in page.matches:
        if m.target is None:
            continue
        doubtful = m.score < WEAK_SCORE or (m.runner_up_target is not None and m.margin < WEAK_MARGIN)
        if doubtful:
            aid = f"a{m.target + 1}"
            alt = (f", runner-up article a{m.runner_up_target + 1} {m.runner_up:.2f} (margin {m.margin:.2f})"
                   if m.runner_up_target is not None else "")
            out.append(ParseWarning("weak-match", aid, m.lines, f"{'headline' if m.kind == 'title' else 'lead'} at "
                                    f"line {m.lines[0]} matched to {aid} with score {m.score:.2f}{alt}"))
    return out


def default_ruler() -> ParseRules:
    """A fresh copy of the parser's rules (change it freely: enable, disable, before/after by name)."""
    from noticepub.parse import furniture as fu
    from noticepub.parse import layout as la
    from noticepub.parse import split as sp
    from noticepub.parse.assemble import assemble as match_items
    from noticepub.parse.reflow import JOINT_RULES
    from noticepub.parse.segment import segment as split_at_attributions

    return ParseRules(
        layout=Ruler([
            ("page furniture", fu.whole_line),
            ("jump line glued", fu.glued_tail),
            ("photo caption", fu.find_furniture),
            ("lead", la.is_lead),
            ("top headline", la.is_top_headline),
            ("displaced headline", la.is_headline),
            ("headline in place", la.inplace_score),
        ]),
        reflow=JOINT_RULES.copy(),
        assemble=Ruler([
            ("continued article", continued_start),
            ("attribution split", split_at_attributions),
            ("global split", sp.split_bodies),
            ("lead pairing", pair_leads),
            ("headline and lead matching", match_items),
        ]),
    )


RULE_DOCS = {
    "page furniture": "a whole line is furniture: running header/footer, page number, staff or jump line",
    "jump line glued": "（下转第四版） glued to the end of a text line is cut off; the article stops there",
    "photo caption": "图为…… / ……摄 / ……新华社发 lines are a photo caption",
    "lead": "wide lines set across columns, ending a sentence: a lead",
    "top headline": "the first group, wider than the column or unpunctuated: the page's top headline (+——subtitle, +lead)",
    "displaced headline": "short unpunctuated groups after the last body: displaced headlines",
    "headline in place": "a short unpunctuated group between articles, with evidence (opener, subtitle, lead): a headline",
    "maintainer correction": "notice.yml corrections join or split here",
    "article boundary": "a headline printed in place, a 上接 line or a jump line starts a new article",
    "sub-heading": "a short unpunctuated line alone after a finished sentence: a sub-heading (its own paragraph)",
    "after attribution": "the previous line ends with （据…）: new paragraph",
    "before attribution": "the line opens with （据…） after a finished sentence: new paragraph",
    "column break": "a blank line inside a sentence: joined",
    "sentence at column foot": "a blank after a full line ending a sentence, then a full line: joined (no lost indent)",
    "paragraph end": "a blank line after a finished sentence: new paragraph",
    "full first line": "a full first line that ends a sentence does not end its paragraph",
    "paragraph end (short line)": "a short line ending a sentence ends its paragraph",
    "paragraph end (lost indent)": "after a finished sentence, an indented-short next line starts a paragraph",
    "joined": "otherwise a wrapped line: joined",
    "continued article": "the page begins mid-article (full first line, or a 上接 line): continued, no title",
    "attribution split": "（据…） ends an article (alone, closing a paragraph, or glued to the next article's first line)",
    "global split": "no attribution: split the body stream into as many articles as headlines (cohesion, openers; DP)",
    "lead pairing": "a displaced lead goes with the displaced headline it restates",
    "headline and lead matching": "displaced headlines and leads go to bodies by n-gram containment (Hungarian)",
}


def list_rules(rules: ParseRules | None = None) -> str:
    return (rules or default_ruler()).listing(RULE_DOCS)


def continued_start(first: Line, geo: Geometry) -> bool:
    """The page begins mid-article: its first body line is a full line (no paragraph indent)."""
    return not geo.indented(first)


def parse_page(text: str, source: str, *, ruler: ParseRules | None = None,
               corrections: Corrections | None = None) -> ParseResult:
    """Recover the articles of one raw page. Raises ParseError if characters would be lost.

    ``corrections`` (notice.yml) override the parser where a maintainer says so; a correction the parser
    already agrees with is reported as a warning ("correction-not-needed")."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = read_lines(text)
    corr = corrections if corrections else None
    held: dict[int, str] = {}  # corrected headline/lead lines -> "headline"|"lead"
    if corr is not None:
        check_lines(corr, [x.raw for x in raw_lines])
        held = {no: kind for kind, mapping in (("headline", corr.headlines), ("lead", corr.leads))
                for _, nos in mapping for no in nos}
    rules = ruler or DEFAULT_RULES
    on = frozenset(name for _, r in rules.rulers() for name in r.names())
    hits = [h for h in find_furniture(raw_lines, enabled=on) if h.line not in held]
    if corr is not None:
        hits = [h for h in hits if h.line not in corr.furniture] + [
            Hit(no, raw_lines[no - 1].text, "maintainer correction", "maintainer correction in notice.yml")
            for no in corr.furniture]
        hits.sort(key=lambda h: h.line)
    clean = without_furniture(raw_lines, hits)
    if held:
        clean = [replace(x, text="") if x.no in held else x for x in clean]
    geo = learn_geometry(clean)
    lines = measure_lines(clean, geo)
    jump_after, cont = _jump_marks(lines, hits)
    groups = classify(split_groups(lines, geo), geo, jump_after, enabled=on)
    if corr is not None:  # a line a correction starts, joins or splits is body text
        pinned = set(corr_starts(corr)) | set(corr.split) | {x for pair in corr.join for x in pair}
        for g in groups:
            if g.role != Role.BODY and any(x.no in pinned for x in g.lines):
                g.role, g.detail = Role.BODY, "maintainer correction: body text"
    role_of = {line.no: g for g in groups for line in g.lines}
    page = Page(lines, hits, geo, groups, role_of)

    dropped: list[Dropped] = [Dropped(h.text, "page furniture: " + h.reason, h.line) for h in hits]
    for g in groups:
        if g.role == Role.FURNITURE:
            dropped += [Dropped(line.text, "page furniture: " + g.detail, line.no) for line in g.lines]

    # what starts an article in the body stream: a headline printed in place, a 「上接」 line, a jump line
    stream = _body_stream(lines, role_of)
    body_nos = [x[0].no for x in stream]
    inplace_groups: list[tuple[list[Group], Group | None]] = []
    starts: dict[int, Start] = {}
    boundaries: dict[int, str] = {}
    i = 0
    while i < len(groups):
        g = groups[i]
        if g.role == Role.INPLACE_HEADLINE:
            heads = [g]
            j = i + 1
            while j < len(groups) and groups[j].role in (Role.INPLACE_HEADLINE, Role.FURNITURE):
                if groups[j].role == Role.INPLACE_HEADLINE:
                    heads.append(groups[j])
                j += 1
            lead = groups[j] if j < len(groups) and groups[j].role == Role.INPLACE_LEAD else None
            last = (lead or heads[-1]).lines[-1].no
            first_body = next((no for no in body_nos if no > last), None)
            if first_body is not None:
                starts[first_body] = Start("headline printed in place", title=len(inplace_groups))
                boundaries[first_body] = "a headline printed in place starts a new article"
                inplace_groups.append((heads, lead))
            i = j
            continue
        i += 1
    forced: dict[int, tuple[str, str]] = {}
    if corr is not None:
        body_set = set(body_nos)
        for no in corr_starts(corr):
            if no not in body_set:
                raise InputError(corr.source, f"key 'corrections': line {no} is not body text, so no article can start "
                                              "there; name the first line of the article's body")
            heads_c = dict(corr.headlines).get(no, ())
            lead_c = dict(corr.leads).get(no, ())
            hg = [Group([raw_lines[n - 1] for n in heads_c], Role.CORRECTED)] if heads_c else []
            lg = Group([raw_lines[n - 1] for n in lead_c], Role.CORRECTED) if lead_c else None
            starts[no] = Start("maintainer correction", title=len(inplace_groups))
            inplace_groups.append((hg, lg))
            boundaries[no] = "maintainer correction: an article starts here"
        for no in corr.split:
            forced[no] = ("break", "maintainer correction: a new paragraph starts here")
        for a, b in corr.join:
            for no in body_nos:
                if a < no <= b:
                    forced[no] = ("join", f"maintainer correction: one paragraph with line {a}")
    for no, page_from in cont.items():
        if no in set(body_nos):
            starts.setdefault(no, Start("continued from another page", continued_from=page_from, continued=True))
            boundaries.setdefault(no, f"continued from {page_from or 'another page'} (上接 line)")
    for no in jump_after:
        nxt = next((b for b in body_nos if b > no), None)
        if nxt is not None:
            boundaries.setdefault(nxt, "the article before stopped at a jump line")
    top_head = next((g for g in groups if g.role == Role.TOP_HEADLINE), None)
    top_subs = [g for g in groups if g.role == Role.TOP_HEADLINE and g is not top_head]
    if top_head is not None and top_subs:
        top_head = Group(top_head.lines + [x for s in top_subs for x in s.lines], Role.TOP_HEADLINE, top_head.detail)
    top_lead = next((g for g in groups if g.role == Role.TOP_LEAD), None)
    if "continued article" in on and top_head is None and stream and stream[0][0].no not in starts \
            and continued_start(stream[0][0], geo) \
            and not any(g.role == Role.INPLACE_HEADLINE and g.lines[0].no < stream[0][0].no for g in groups):
        starts[stream[0][0].no] = Start("the page begins mid-article: its first line is a full line", continued=True)

    headings = heading_lines(stream, geo) if "sub-heading" in on else frozenset()
    paragraphs, verdicts = reflow(stream, geo, rules.reflow, boundaries=boundaries, headings=headings, forced=forced)
    page.verdicts = verdicts
    if "headline in place" in on:  # a headline in place without blank lines around: a sub-heading + 本报讯…
        paragraphs = _inline_headlines(paragraphs, lines, starts, boundaries, inplace_groups)
    bodies: list[Body] = segment(paragraphs, starts, jump_after, attributions="attribution split" in on)

    heads = _merge_subtitles([g for g in groups if g.role == Role.HEADLINE])
    leads = [g for g in groups if g.role == Role.LEAD]

    # global segmentation: as many articles as headlines
    head_parts = [headline_text(g) for g in heads]
    lead_texts = [lead_text(g) for g in leads]
    pairs = pair_leads([t + (s or "") for t, s, _ in head_parts], lead_texts)[0] if "lead pairing" in on \
        else [None] * len(head_parts)
    items = [t + (s or "") + (lead_texts[p] if p is not None else "")
             for (t, s, _), p in zip(head_parts, pairs, strict=True)]
    labels = [t for t, _, _ in head_parts]
    has_lead = [p is not None for p in pairs]
    fixed: list[int | None] = []
    for b, body in enumerate(bodies):
        if body.start is not None and body.start.title is not None and inplace_groups[body.start.title][0]:
            hs, ld = inplace_groups[body.start.title]
            t, s, _ = headline_text(Group([x for g in hs for x in g.lines]))
            items.append(t + (s or "") + (lead_text(ld) if ld else ""))
            labels.append(t)
            has_lead.append(ld is not None)
            fixed.append(len(items) - 1)
        elif body.start is not None and body.start.continued:
            fixed.append(NONE)
        elif b == 0 and top_head is not None:
            t, s, _ = headline_text(top_head)
            items.append(t + (s or "") + (lead_text(top_lead) if top_lead else ""))
            labels.append(t)
            has_lead.append(top_lead is not None)
            fixed.append(len(items) - 1)
        else:
            fixed.append(None)
    extra = len(heads) - sum(1 for f in fixed if f is None)
    if "global split" in on:
        bodies, fixed, page.splits = split_bodies(bodies, fixed, items, labels, extra, has_lead)

    used = {body.start.title for body in bodies if body.start is not None and body.start.title is not None}
    for t, _ in enumerate(inplace_groups):  # never lose a headline whose body start was absorbed
        if t not in used:
            bodies.append(Body(start=Start("headline printed in place whose body was not found", title=t)))
            fixed.append(None)
    inplace = {b: inplace_groups[body.start.title] for b, body in enumerate(bodies)
               if body.start is not None and body.start.title is not None}
    closed = frozenset(b for b, body in enumerate(bodies) if body.start is not None and (
        body.start.continued or (body.start.title is not None and bool(inplace_groups[body.start.title][0]))))
    closed_leads = frozenset(b for b, body in enumerate(bodies) if body.start is not None and body.start.continued)
    if "headline and lead matching" not in on:  # every displaced headline and lead an article of its own
        closed = closed_leads = frozenset(range(len(bodies)))
    if top_head is not None and bodies and 0 in closed:  # a headline above a continued text: a displaced one
        heads = heads + [top_head]
        leads = leads + ([top_lead] if top_lead is not None else [])
        top_head = top_lead = None
    slots, notes = assemble(bodies, top_head, top_lead, heads, leads,
                            inplace=inplace, closed=closed, closed_leads=closed_leads, matches=page.matches,
                            pair=("lead pairing" in on))

    first = slots[0] if slots else None
    if "continued article" in on and first is not None and not first.title and first.body.paragraphs \
            and first.body.start is None and any(x.title for x in slots[1:]):
        first.body.start = Start("the page's first article has no headline while the others have one: continued",
                                 continued=True)
    articles = _articles(slots, dropped)
    decisions = _decisions(page, slots, notes)
    warnings = _warnings(articles, slots, page)
    result = ParseResult(source=source, articles=tuple(articles), dropped=tuple(dropped),
                         decisions=tuple(decisions), warnings=tuple(warnings))
    if corr is not None:
        try:
            check_conservation(text, result)
        except ParseError as exc:
            raise InputError(corr.source, f"key 'corrections' would lose text: {exc.problem}") from None
        baseline = parse_page(text, source, ruler=ruler)
        result = replace(result, warnings=result.warnings + tuple(unneeded(corr, baseline)))
    check_conservation(text, result)
    return result


DEFAULT_RULES = default_ruler()


def _where(result: ParseResult) -> dict[int, Decision]:
    return {d.line: d for d in result.decisions}


def unneeded(corr: Corrections, baseline: ParseResult) -> list[ParseWarning]:
    """Corrections the uncorrected parse already agrees with (so they can be removed from notice.yml)."""
    at = _where(baseline)
    body = [d for d in baseline.decisions if d.block.startswith("article ") and (" paragraph " in d.block
                                                                                  or " sub-heading " in d.block)]
    first_of: dict[str, int] = {}
    for d in body:
        first_of.setdefault(d.block.split(" ")[1], d.line)
    prev_block: dict[int, str] = {}
    last = ""
    for d in body:
        prev_block[d.line] = last
        last = d.block

    def article(no: int) -> str | None:
        d = at.get(no)
        return d.block.split(" ")[1] if d and d.block.startswith("article ") else None

    out: list[ParseWarning] = []

    def note(key: str, value: str, lines: tuple[int, ...]) -> None:
        out.append(ParseWarning("correction-not-needed", None, lines,
                                f"{corr.source}: corrections.{key} {value} is no longer needed (the parser agrees); "
                                "remove it"))

    for no in corr.furniture:
        if at.get(no) and at[no].block == "dropped":
            note("furniture", str(no), (no,))
    for no in corr.article_starts:
        k = article(no)
        if k is not None and first_of.get(k) == no:
            note("article_starts", str(no), (no,))
    for key, mapping, kind in (("headlines", corr.headlines, "title"), ("leads", corr.leads, "lead")):
        for start, nos in mapping:
            k = article(start)
            if k is not None and first_of.get(k) == start and all(
                    at.get(n) and at[n].block == f"article {k} {kind}" for n in nos):
                note(key, f"{start}: {list(nos)}", nos)
    for a, b in corr.join:
        if at.get(a) and at.get(b) and at[a].block == at[b].block and " paragraph " in at[a].block:
            note("join", f"[{a}, {b}]", (a, b))
    for no in corr.split:
        d = at.get(no)
        if d and d.block != prev_block.get(no, d.block):
            note("split", str(no), (no,))
    return out


def explain_text(result: ParseResult) -> str:
    """One line per input line: number, block, rule, detail, and the line as read."""
    out = [f"{result.source}: {len(result.articles)} articles"]
    for a in result.articles:
        name = a.title or (f"(continued from {a.continued_from or 'another page'})" if a.continued else "(no headline)")
        out.append(f"  {a.id}: {name} — {len(a.paragraphs)} paragraphs, "
                   f"lead {'yes' if a.lead else 'no'}, attribution {a.attribution or '-'}"
                   + (f", sub-headings {list(a.headings)}" if a.headings else ""))
    for w in result.warnings:
        out.append(f"  warning [{w.kind}] {w.message} (lines {', '.join(map(str, w.lines[:6]))})")
    at = {d.line: d for d in result.decisions}
    firsts: dict[str, int] = {}
    for d in result.decisions:
        for block in d.block.split(" + "):
            if block.startswith("article ") and (" paragraph " in block or " sub-heading " in block):
                firsts.setdefault(block.split(" ")[1], d.line)
    if len(firsts) > 1:
        out.append("  article boundaries:")
        for k, no in list(firsts.items())[1:]:
            d = at[no]
            prev = next((x for x in reversed(result.decisions) if x.line < no and x.block.startswith("article ")
                         and not x.block.startswith(f"article {k} ")), None)
            if prev is not None and "attribution" in prev.block:
                why = f"attribution at line {prev.line} ends the article before (certain)"
            else:
                why = f"{d.rule}: {d.detail}" if d.detail else d.rule
                title = next((x for x in result.decisions if x.block == f"article {k} title"), None)
                if title is not None and "in place" in title.detail:
                    why = f"headline in place: {title.detail}"
            out.append(f"    a{k} starts at line {no}: {why}")
    out.append("")
    for d in result.decisions:
        detail = f" ({d.detail})" if d.detail else ""
        out.append(f"{d.line:>5}  {d.block:<26} {d.rule}{detail}  | {d.text.strip()}")
    return "\n".join(out)
