"""parse_page: ordered, named rules over one PageState, ruler after ruler (markdown-it-py's model):
layout -> segment (with the reflow ruler for every seam) -> assemble -> articles -> checks."""

from __future__ import annotations

from dataclasses import replace

from noticepub.errors import InputError, ParseError
from noticepub.model import Corrections, LineRole, ParseResult, ParseWarning
from noticepub.parse import assemble_rules as ar
from noticepub.parse import checks as ck
from noticepub.parse import layout_rules as la
from noticepub.parse import report
from noticepub.parse import segment_rules as sg
from noticepub.parse.conservation import check_conservation
from noticepub.parse.reflow import JOINT_RULES
from noticepub.parse.rules import ParseRules, Ruler
from noticepub.parse.state import PageState


def default_ruler() -> ParseRules:
    """A fresh copy of the parser's rules (change it freely: enable, disable, before/after by name)."""
    return ParseRules(
        layout=Ruler([
            ("page furniture", la.page_furniture),
            ("jump line glued", la.jump_line_glued),
            ("photo caption", la.photo_caption),
            ("corrected furniture", la.corrected_furniture),
            ("geometry", la.geometry),
            ("page number", la.page_number),
            ("table", la.table),
            ("tight headline", la.tight_headline),
            ("byline", la.byline),
            ("lead", la.lead),
            ("headlines on top", la.headlines_on_top),
            ("headline lines apart", la.headline_lines_apart),
            ("top headline", la.top_headline),
            ("displaced headline", la.displaced_headline),
            ("tail headline lines apart", la.tail_headline_lines_apart),
            ("headline at column break", la.headline_at_column_break),
            ("headline in place", la.headline_in_place),
            ("repeated headline", la.repeated_headline),
            ("kicker", la.kicker),
            ("lead without headline", la.lead_without_headline),
            ("body kept", la.body_kept),
            ("corrected body", la.corrected_body),
        ]),
        segment=Ruler([
            ("body stream", sg.body_stream),
            ("in-place article start", sg.inplace_starts),
            ("corrected starts", sg.corrected_starts),
            ("continued from", sg.continued_from),
            ("jump line end", sg.jump_line_end),
            ("byline boundary", sg.byline_boundary),
            ("continued article", sg.continued_article),
            ("sub-heading lines", sg.sub_heading_lines),
            ("paragraphs", sg.paragraphs),
            ("inline headline", sg.inline_headline),
            ("bodies", sg.bodies),
            ("attribution split", sg.attribution_split),
            ("headline over article before", sg.headline_above_the_article_before),
        ]),
        reflow=JOINT_RULES.copy(),
        assemble=Ruler([
            ("headline items", ar.headline_items),
            ("headline split", ar.headline_split),
            ("lead pairing", ar.lead_pairing),
            ("article labels", ar.article_labels),
            ("global split", ar.global_split),
            ("orphan headlines", ar.orphan_headlines),
            ("slots", ar.slots),
            ("headline and lead matching", ar.headline_matching),
            ("lead matching", ar.lead_matching),
            ("leftovers", ar.leftovers),
            ("lone sub-heading", ar.lone_sub_heading),
            ("corrected roles", ar.corrected_roles),
            ("bylines and kickers", ar.bylines_and_kickers),
            ("interview turns", ar.interview_turns),
            ("empty articles", ar.empty_articles),
            ("untitled first article", ar.untitled_first),
        ]),
        checks=Ruler([
            ("no paragraphs", ck.no_paragraphs),
            ("absorbed body", ck.absorbed_body),
            ("untitled", ck.untitled),
            ("second opener", ck.second_opener),
            ("furniture in title", ck.furniture_in_title),
            ("weak match", ck.weak_match),
            ("doubtful boundary", ck.doubtful_split),
            ("doubtful headline", ck.doubtful_headline),
            ("body length", ck.body_length),
            ("doubtful joint", ck.doubtful_joint),
            ("ragged table", ck.ragged_table),
            ("doubtful continued", ck.doubtful_continued),
            ("inner attribution", ck.inner_attribution),
            ("lone sub-heading warning", ck.lone_sub_heading),
            ("promoted sub-heading", ck.promoted_headline),
            ("only article", ck.only_article),
        ]),
    )


RULE_DOCS = {  # the reflow rules (plain functions of a Joint) documented here; stage rules by their docstrings
    "maintainer correction": "notice.yml corrections join or split here",
    "table rows": "the rows of one table join (one table paragraph); a table, its title/unit lines and notes stand alone",
    "article boundary": "a headline printed in place, a 上接 line or a jump line starts a new article",
    "sub-heading": "a sub-heading line stands alone: new paragraph before and after it",
    "after attribution": "the previous line ends with （据…）: new paragraph",
    "before attribution": "the line opens with （据…） after a finished sentence: new paragraph",
    "column break": "a blank line inside a sentence: joined",
    "sentence at column foot": "a blank after a full line ending a sentence, then a full line: joined (no lost indent)",
    "paragraph end": "a blank line after a finished sentence: new paragraph",
    "full first line": "a full first line that ends a sentence does not end its paragraph",
    "paragraph end (short line)": "a short line ending a sentence ends its paragraph",
    "paragraph end (lost indent)": "after a finished sentence, an indented-short next line starts a paragraph",
    "joined": "otherwise a wrapped line: joined",
}


def list_rules(rules: ParseRules | None = None) -> str:
    return (rules or default_ruler()).listing(RULE_DOCS)


def run(state: PageState, rules: ParseRules) -> ParseResult:
    """Every active rule of every stage over the one state, then the result."""
    for stage, ruler in rules.stages():
        if stage == "checks":
            state.articles, para_map = report.articles(state)
        for _name, rule in ruler.active():
            rule(state)
    decided = report.decisions(state)
    order = {a.id: i for i, a in enumerate(state.articles)}
    warnings = sorted(state.warnings, key=lambda w: order.get(w.article_id or "", len(order)))
    return ParseResult(source=state.source, articles=tuple(state.articles), dropped=tuple(state.dropped),
                       decisions=tuple(decided), warnings=tuple(warnings),
                       line_info=tuple(report.line_info(state, para_map, decided)))


def parse_page(text: str, source: str, *, ruler: ParseRules | None = None,
               corrections: Corrections | None = None) -> ParseResult:
    """Recover the articles of one raw page. Raises ParseError if characters would be lost.

    ``corrections`` (notice.yml) override the parser where a maintainer says so; a correction the parser
    already agrees with is reported as a warning ("correction-not-needed")."""
    rules = ruler or DEFAULT_RULES
    state = PageState.start(text, source, rules, corrections)
    result = run(state, rules)
    if state.corr is not None:
        try:
            check_conservation(state.text, result)
        except ParseError as exc:
            raise InputError(state.corr.source, f"key 'corrections' would lose text: {exc.problem}") from None
        result = replace(result, warnings=result.warnings + tuple(unneeded(text, source, rules, corrections, result)))
    check_conservation(state.text, result)
    return result


def continued_start(first, geo) -> bool:  # noqa: ANN001 - kept for the rule's unit test
    """The page begins mid-article: its first body line is a full line (no paragraph indent)."""
    return not geo.indented(first)


DEFAULT_RULES = default_ruler()


def _items(c: Corrections) -> list[tuple[str, str, tuple[int, ...], Corrections]]:
    """Each correction on its own: (key, how notice.yml names it, its lines, the corrections without it)."""
    def runs(nos: tuple[int, ...]) -> list[tuple[int, ...]]:
        out: list[list[int]] = []
        for no in nos:
            if out and out[-1][-1] + 1 == no:
                out[-1].append(no)
            else:
                out.append([no])
        return [tuple(r) for r in out]

    def name(r: tuple[int, ...]) -> str:
        return str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}"

    out = [("furniture", name(r), r, replace(c, furniture=tuple(x for x in c.furniture if x not in r)))
           for r in runs(c.furniture)]
    out += [("article_starts", str(no), (no,), replace(c, article_starts=tuple(x for x in c.article_starts if x != no)))
            for no in c.article_starts]
    for key in ("headlines", "leads"):
        mapping = getattr(c, key)
        out += [(key, f"{start}: {list(nos)}", nos, replace(c, **{key: tuple(m for m in mapping if m[0] != start)}))
                for start, nos in mapping]
    out += [("join", f"[{a}, {b}]", (a, b), replace(c, join=tuple(p for p in c.join if p != (a, b)))) for a, b in c.join]
    out += [("split", str(no), (no,), replace(c, split=tuple(x for x in c.split if x != no))) for no in c.split]
    from noticepub.parse.corrections import role_runs

    out += [("roles", f"{name(nos)}: {role}", nos, replace(c, roles=tuple(x for x in c.roles if x[0] not in nos)))
            for role, nos in role_runs(c)]
    return out


def unneeded(text: str, source: str, rules: ParseRules, corr: Corrections, result: ParseResult) -> list[ParseWarning]:
    """Corrections the parse does not need: the parse without that one correction equals the parse with it."""
    out: list[ParseWarning] = []
    for key, value, lines, without in _items(corr):
        try:
            other = run(PageState.start(text, source, rules, without), rules) if without else \
                run(PageState.start(text, source, rules, None), rules)
        except (InputError, ParseError):
            continue  # the other corrections need this one (they refer to what it makes)
        if other.articles == result.articles:
            out.append(ParseWarning("correction-not-needed", None, lines,
                                    f"{corr.source}: corrections.{key} {value} is no longer needed (the parse "
                                    "without it is the same); remove it", (("correction", f"{key} {value}"),)))
    return out


def _summary(result: ParseResult) -> list[str]:
    out = [f"{result.source}: {len(result.articles)} articles"]
    for a in result.articles:
        name = a.title or (f"(continued from {a.continued_from or 'another page'})" if a.continued else "(no headline)")
        out.append(f"  {a.id}: {name} — {len(a.paragraphs)} paragraphs, "
                   f"lead {'yes' if a.lead else 'no'}, attribution {a.attribution or '-'}"
                   + (f", sub-headings {list(a.headings)}" if a.headings else ""))
    for w in result.warnings:
        out.append(f"  warning [{w.kind}] {w.message} (lines {', '.join(map(str, w.lines[:6]))})")
    return out


def _boundary(result: ParseResult, aid: str, no: int) -> str:
    """Why article ``aid`` starts at body line ``no`` (from the typed line records)."""
    at = {d.line: d for d in result.decisions}
    prev = next((x for x in reversed(result.line_info) if x.line < no and x.article_id not in (None, aid)), None)
    if prev is not None and (prev.role == LineRole.ATTRIBUTION or prev.rule == "attribution split"):
        return f"attribution at line {prev.line} ends the article before (certain)"
    d = at[no]
    title = next((at[x.line] for x in result.line_info if x.article_id == aid and x.role == LineRole.HEADLINE), None)
    if title is not None and "in place" in title.detail:
        return f"headline in place: {title.detail}"
    return f"{d.rule}: {d.detail}" if d.detail else d.rule


def explain_text(result: ParseResult) -> str:
    """One line per input line: number, block, rule, detail, and the line as read."""
    out = _summary(result)
    firsts: dict[str, int] = {}
    for x in result.line_info:
        if x.article_id is not None and x.role in (LineRole.BODY, LineRole.SUBHEADING):
            firsts.setdefault(x.article_id, x.line)
    if len(firsts) > 1:
        out.append("  article boundaries:")
        out += [f"    {aid} starts at line {no}: {_boundary(result, aid, no)}" for aid, no in list(firsts.items())[1:]]
    out.append("")
    for d in result.decisions:
        detail = f" ({d.detail})" if d.detail else ""
        out.append(f"{d.line:>5}  {d.block:<26} {d.rule}{detail}  | {d.text.strip()}")
    return "\n".join(out)
