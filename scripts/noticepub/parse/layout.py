"""Layout: measure lines, learn the page's geometry, group lines, classify groups into zones.

Nothing here is a constant of the seed page: the column width, the punctuation and ASCII widths,
the lost indent and the wide (lead) measure are all learned from the lines of the page itself.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from noticepub.model import Role
from noticepub.parse.text import ATTR_RE, SPACES, ends_sentence, ends_with_attribution, measure, width_counts

PAGE_FURNITURE_RE = re.compile(r"^[\s\-—–·•]*(第?\s*\d{1,3}\s*[版页]?)[\s\-—–·•]*$")
WEAK_ENDINGS = "，、；：,;:"
DEFAULT_WIDTH = 14.0
HANGING = "，。、；：！？”’）》,.;:!?"
DASHES = ("——", "—", "－－", "--")
NOTE_RE = re.compile(r"(注|说明|数据来源|资料来源|来源)\s*[：:]")  # a table's note or source line
CLAUSE_RE = re.compile("[，、；：,;:。]")  # punctuation inside a sentence or ending one: prose, not a headline


@dataclass
class Line:
    no: int  # 1-based input line
    raw: str
    text: str  # stripped of layout spaces at both ends
    m: float = 0.0  # measure in em under the learned weights
    core: float = 0.0  # the same without a closing punctuation mark hanging at its end
    terminated: bool = False  # ends a sentence or an attribution

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class Geometry:
    width: float = DEFAULT_WIDTH  # a full body line, in em
    indent: float = 2.0  # how much shorter a paragraph's first line is
    tol: float = 0.75  # slack for justification and punctuation squeeze
    punct: float = 1.0  # learned em width of CJK punctuation on this page
    ascii_w: float = 0.5  # learned em width of an ASCII character
    samples: int = 0  # full lines the width was learned from
    # the shortest a full line gets on this page (pdftotext lines are ragged where punctuation is squeezed):
    # learned from lines inside a sentence that the next line continues; None: width - tol
    full_from: float | None = None

    @property
    def wide(self) -> float:
        """Lines at least this wide are set across several columns: leads."""
        return 1.75 * self.width

    def full(self, line: Line) -> bool:
        return line.m >= self.width - self.tol

    def short(self, line: Line) -> bool:
        return line.m < (self.width - self.tol if self.full_from is None else self.full_from)

    def indented(self, line: Line) -> bool:
        """Short enough to be a paragraph's first line: nearer the indented measure than the full one.

        A closing punctuation mark at the end may hang outside the column, so it is not counted.
        """
        return line.core <= self.width - self.indent / 2 - 0.25


@dataclass
class Group:
    """A run of non-blank lines (blank lines separate groups)."""

    lines: list[Line]
    role: Role = Role.BODY
    detail: str = ""
    score: float | None = None  # the evidence score of a headline in place (taken or rejected)

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)


def read_lines(text: str) -> list[Line]:
    return [Line(i + 1, raw, raw.strip(SPACES)) for i, raw in enumerate(text.split("\n"))]


def line_measure(text: str, punct: float, ascii_w: float) -> float:
    """A line's measure; closing punctuation at its end may hang outside the column and is not counted."""
    body = text.rstrip(SPACES)
    if body and body[-1] in HANGING:
        body = body[:-1]
    return measure(body, punct, ascii_w)


def _interior(lines: list[Line]) -> list[Line]:
    """Lines that must be full: inside a run (neither first nor last), not ending a sentence, not a table
    row (cells apart by runs of spaces)."""
    out = []
    for prev, line, nxt in zip(lines, lines[1:], lines[2:], strict=False):
        if prev.text and line.text and nxt.text and not ends_sentence(line.text) and not ATTR_RE.search(line.text) \
                and not CELLS.search(line.text):
            out.append(line)
    return out


def _spread(values: list[float]) -> float:
    """How ragged the full lines are under one hypothesis of glyph widths (lower is right)."""
    return statistics.pstdev(values) / (statistics.mean(values) or 1.0)


def _glyph_widths(lines: list[Line], rough: float) -> tuple[float, float]:
    """The em widths of CJK punctuation and of ASCII that make the page's full lines most even."""
    inner = [line for line in _interior(lines) if measure(line.text) < 1.6 * rough]
    if len(inner) < 5:
        return 1.0, 0.5
    options = [(p, a) for p in (1.0, 0.75, 0.5) for a in (0.5, 1.0)]
    counts = [width_counts(x.text) for x in inner]
    return min(options, key=lambda o: _spread([f + o[0] * p + o[1] * a for f, p, a in counts]))


def _indent(lines: list[Line], width: float) -> float:
    """How much shorter a paragraph's first line is: first lines follow a blank after a finished sentence."""
    firsts = []
    prev: Line | None = None
    for i in range(1, len(lines) - 1):
        line = lines[i]
        if lines[i - 1].text:
            prev = lines[i - 1]
        if line.text and not lines[i - 1].text and lines[i + 1].text and prev is not None and prev.terminated \
                and width / 2 <= line.core < 1.3 * width and abs(lines[i + 1].core - width) <= 1.0 \
                and not CELLS.search(line.text):  # a first line goes on to a full line; never a table row
            firsts.append(line.core)
    indent = width - statistics.median(firsts) if len(firsts) >= 3 else 2.0
    return min(max(indent, 1.0), 4.0)


def learn_geometry(lines: list[Line]) -> Geometry:
    """The page's geometry, learned from its lines (which are not changed; see measure_lines)."""
    content = [line for line in lines if line.text]
    if not content:
        return Geometry()
    rough = statistics.median(measure(line.text) for line in content)
    punct, ascii_w = _glyph_widths(lines, rough)
    lines = _measured(lines, punct, ascii_w)
    content = [line for line in lines if line.text]
    inner = [line for line in _interior(lines) if measure(line.text) < 1.6 * rough]
    if not inner:
        narrow = [line.m for line in content if line.m < 1.6 * rough]
        width = max(narrow) if narrow else DEFAULT_WIDTH
        return Geometry(width=max(width, 2.0), punct=punct, ascii_w=ascii_w)
    fulls = [line.core for line in inner]
    width = statistics.median(fulls)
    dev = statistics.mean(abs(v - width) for v in fulls)
    indent = _indent(lines, width)
    tol = min(max(2 * dev, 0.5), indent / 2)
    return Geometry(width=width, indent=indent, tol=tol, punct=punct, ascii_w=ascii_w, samples=len(fulls),
                    full_from=_full_from(lines, width, tol))


CELLS = re.compile(r"\S[ \t\u3000]{2,}\S")  # a table row: cells apart by runs of spaces
FULL_SAMPLES = 20
FULL_QUANTILE = 0.0  # the shortest (measured: 0.05 and 0.1 lose 0.02 paragraph F1 on the blind bench)


def _full_from(lines: list[Line], width: float, tol: float) -> float | None:
    """How short a line a paragraph goes on from gets on this page: the shortest line that ends no sentence
    and is followed by text that does not either (paragraph first lines included, table rows not), never
    above width - tol. A line that ends a sentence is evidence of a paragraph end only when it is shorter
    than that: pdftotext lines are ragged where punctuation is squeezed."""
    def wraps(i: int) -> bool:  # a line a paragraph goes on from: it ends no sentence and text follows it
        prev, line, nxt = lines[i - 1], lines[i], lines[i + 1]
        return bool(line.text and nxt.text) and not line.terminated and not nxt.terminated \
            and not any(CELLS.search(x.text) for x in (prev, line, nxt)) and width / 2 < line.m < 1.3 * width

    measures = sorted(lines[i].m for i in range(1, len(lines) - 1) if wraps(i))
    if len(measures) < FULL_SAMPLES:
        return None
    return min(width - tol, measures[int(FULL_QUANTILE * len(measures))] - 0.25)


def _measured(lines: list[Line], punct: float, ascii_w: float) -> list[Line]:
    out = []
    for x in lines:
        full, p, other = width_counts(x.text)
        m = full + punct * p + ascii_w * other
        body = x.text.rstrip(SPACES)
        core = m - measure(body[-1], punct, ascii_w) if body and body[-1] in HANGING else m
        done = bool(x.text) and (ends_sentence(x.text) or ends_with_attribution(x.text))
        out.append(Line(x.no, x.raw, x.text, m, core, done))
    return out


def measure_lines(lines: list[Line], geo: Geometry) -> list[Line]:
    """New lines measured under the page's learned glyph widths."""
    return _measured(lines, geo.punct, geo.ascii_w)


def split_groups(lines: list[Line], geo: Geometry) -> list[Group]:
    """Runs of non-blank lines; a run also ends where the measure jumps between column and lead width."""
    groups: list[Group] = []
    cur: list[Line] = []
    for line in lines:
        if line.blank:
            if cur:
                groups.append(Group(cur))
            cur = []
            continue
        if cur:
            prev = cur[-1]
            in_lead = _inside_lead(cur, geo)
            into_wide = line.m >= geo.wide and not in_lead
            # a lead's last line may be short, but a line wider than a column is never the body below it
            lead_ends = prev.terminated and (line.m <= geo.width + 2 * geo.tol or prev.m < 0.85 * max(x.m for x in cur))
            out_of_wide = in_lead and lead_ends
            if into_wide or out_of_wide:
                groups.append(Group(cur))
                cur = []
        cur.append(line)
    if cur:
        groups.append(Group(cur))
    return groups


def _inside_lead(cur: list[Line], geo: Geometry) -> bool:
    return cur[0].m >= geo.wide


def is_furniture(group: Group) -> bool:
    return len(group.lines) == 1 and bool(PAGE_FURNITURE_RE.match(group.lines[0].text))


def is_lead(group: Group, geo: Geometry) -> bool:
    """A lead: wide-measure lines set across columns, ending a sentence, no attribution."""
    first = group.lines[0]
    return first.m >= geo.wide and group.lines[-1].terminated and not ATTR_RE.search(group.text)


HEADLINE_MARKS = "？！?!"


def asks_or_exclaims(text: str) -> bool:
    """A headline that asks or exclaims (「加装电梯难在哪里？」, 「温暖过冬！」): it ends with ？ or ！ and holds
    no other sentence end (a paragraph's sentence ends with 。 or goes on after its ？)."""
    core = text.strip(SPACES).rstrip("”’」』）)\"'")
    return bool(core) and core[-1] in HEADLINE_MARKS and not re.search("[。；;？！?!…]", core[:-1]) \
        and len(core) <= 40 and not re.search("[：:]", core[:8])  # 问：…？ / 记者：…？ is an interview turn


def is_headline(group: Group, geo: Geometry) -> bool:
    """A headline: one to three lines not ending a sentence or clause (and a ——subtitle of at most two lines
    under them), no attribution, narrower than a lead."""
    dash = next((i for i, line in enumerate(group.lines) if i and line.text.startswith(DASHES)), len(group.lines))
    if not 1 <= dash <= 3 or len(group.lines) - dash > 2 or ATTR_RE.search(group.text):  # subtitle: 2 lines at most
        return False
    last = group.lines[-1].text.rstrip(SPACES)
    if (ends_sentence(last) and not asks_or_exclaims(group.text)) or last.endswith(tuple(WEAK_ENDINGS)):
        return False
    # set across columns, a headline has no punctuation but a ：，、 or two (「…工作会议召开，部署…」) and
    # takes one or two lines; a wide group with more, or with a sentence end, is a lead's or a paragraph's
    return all(line.m < geo.wide for line in group.lines) or not UNPUNCTUATED_RE.search(group.text) or (
        len(group.lines) - (dash < len(group.lines)) <= 2 and len(WIDE_HEAD_MARKS.findall(group.text)) <= 2
        and not re.search("[。；;！？!?]", group.text[:-1]) and len(group.text) <= WIDE_HEAD_CHARS)


WIDE_HEAD_MARKS = re.compile("[，：、,:]")
WIDE_HEAD_CHARS = 48
UNPUNCTUATED_RE = re.compile(r"[，。；：、,;:！？!?]")


def is_top_headline(group: Group, geo: Geometry) -> bool:
    """The headline on top of the page: wider than the column, or without sentence punctuation."""
    if not is_headline(group, geo):
        return False
    return any(line.m > geo.width + geo.tol for line in group.lines) or not re.search("[，。；,;]", group.text)


def is_subtitle(group: Group) -> bool:
    """A 「——」 line under a headline."""
    return len(group.lines) <= 2 and group.lines[0].text.startswith(DASHES) and not group.lines[-1].terminated


Evidence = list[tuple[float, str]]  # (points, why) for a headline printed in place


def _next_evidence(group: Group, nxt: Group, geo: Geometry, lead_next: bool, opened: tuple[float, str]) -> Evidence:
    """What follows the group: a wide lead, a ——subtitle, a story opener."""
    from noticepub.parse.openers import STRONG

    out: Evidence = []
    if lead_next:
        out.append((2, "a wide lead follows"))
    if is_subtitle(nxt) or any(x.text.startswith(DASHES) for x in group.lines[1:]):
        out.append((2, "a 「——」 subtitle follows"))
    o, evidence = opened
    if o >= STRONG:
        out.append((3, evidence))
    elif o > 0:
        out.append((1, evidence))
    return out


def _word_evidence(prev: Group, group: Group, nxt: Group, leads: tuple[str, ...]) -> Evidence:
    """A displaced lead restating the group; the group's words below it rather than above."""
    from noticepub.parse.match import containment, coverage

    out: Evidence = []
    if leads:
        restated = max(max(containment([group.text], list(leads), absent=True)[0]),
                       max(coverage(group.text, lead) for lead in leads))
        if restated >= 0.5:
            out.append((2, f"a displaced lead restates it ({restated:.2f})"))
    near = containment([group.text], [prev.text, nxt.text], absent=True)[0]
    if near[1] > near[0] + 0.2:
        out.append((1, f"shares words with the text below ({near[1]:.2f}), not above ({near[0]:.2f})"))
    return out


def _shape_evidence(group: Group, nxt: Group, geo: Geometry, wide: bool) -> Evidence:
    """How the group is set: wider than the column, alone and too long for a first line, its length."""
    out: Evidence = []
    if wide:
        out.append((1, "set wider than the column"))
    if len(group.lines) == 1 and not wide and not geo.indented(group.lines[0]) and geo.indented(nxt.lines[0]):
        out.append((1, "a line too long for a paragraph's first line, alone above a paragraph"))
    chars = sum(1 for ch in group.text if not ch.isspace())
    if chars >= 14 or len(group.lines) > 1:
        out.append((1, f"{chars} characters: headline length"))
    elif chars <= 10:
        out.append((-1, f"{chars} characters: sub-heading length"))
    return out


def _goes_on(group: Group, nxt: Group, geo: Geometry, opened: float, closed: bool) -> bool:
    """The text below ``group`` goes on from it across a column break: a full line follows (no indent, no
    ——subtitle, no strong story opener), and ``group``'s last line is as long as a paragraph's first line
    (a clearly shorter one ends its paragraph or stands alone). ``closed``: an attribution or a briefs
    label above ``group``; then an unpunctuated line with a story opener (5月20日，) below it is no
    paragraph's first words."""
    from noticepub.parse.openers import STRONG

    last = group.lines[-1].text.rstrip(SPACES)
    wraps = group.lines[-1].core >= geo.width - geo.indent - geo.tol - 0.5 or (last[-1:].isascii()
                                                                               and last[-1:].isalnum())
    if is_subtitle(nxt) or geo.indented(nxt.lines[0]) or len(nxt.lines) < 2 or opened >= STRONG or not wraps:
        return False
    return not (closed and opened > 0 and not CLAUSE_RE.search(group.text))


def _punctuated_headline(group: Group, nxt: Group, geo: Geometry, lead_next: bool) -> bool:
    """A column-wide group holding ：，、 may still be a headline (「民政部：…」): when a paragraph or a lead
    starts below it and its last line ends short; never a note's 「注：」. Otherwise it is a paragraph's
    first words."""
    starts_below = lead_next or (len(nxt.lines) > 1 and geo.indented(nxt.lines[0]))
    ends_short = len(group.lines) == 1 or group.lines[-1].core < geo.width - geo.tol
    return starts_below and ends_short and not NOTE_RE.match(group.text)


def inplace_score(prev: Group, group: Group, nxt: Group, geo: Geometry,
                  jump_after: frozenset[int] = frozenset(), leads: tuple[str, ...] = (),
                  labelled: bool = False) -> tuple[float, list[str]]:
    """Evidence that a short unpunctuated group between two body groups is a headline printed in place
    (score >= 2) rather than a sub-heading inside the article (see data/openers.yml). ``labelled``: a
    briefs column label (简讯) stands between ``prev`` and ``group``."""
    from noticepub.parse.openers import opener

    wide = any(line.m > geo.width + geo.tol for line in group.lines)
    lead_next = nxt.role == Role.LEAD or is_lead(nxt, geo)
    if not wide and CLAUSE_RE.search(group.text) and not _punctuated_headline(group, nxt, geo, lead_next):
        return -9.0, ["clause punctuation inside a column-wide line: a paragraph's first words"]
    opened = opener(nxt.text)
    ended: Evidence = [(2, "the article before it has ended (attribution or jump line)")] \
        if ends_with_attribution(prev.text) or prev.lines[-1].no in jump_after else []
    if not lead_next and _goes_on(group, nxt, geo, opened[0], bool(ended) or labelled):
        return -9.0, ["the text below goes on with a full line: a column break, not a new article"]
    found = _next_evidence(group, nxt, geo, lead_next, opened) + ended
    found += [e for e in _shape_evidence(group, nxt, geo, wide) if e[1] == "set wider than the column"]
    found += _word_evidence(prev, group, nxt, leads)
    found += [e for e in _shape_evidence(group, nxt, geo, wide) if e[1] != "set wider than the column"]
    return float(sum(p for p, _ in found)), [w for _, w in found]


def classify(groups: list[Group], geo: Geometry, jump_after: frozenset[int] = frozenset(),
             enabled: frozenset[str] | None = None) -> list[Group]:
    """Each group with its role, by the layout rules that classify groups (parse/layout_rules.py): leads,
    the top headline, displaced headlines, headlines printed in place. Returns new groups."""
    from noticepub.parse import layout_rules as lr
    from noticepub.parse.state import PageState

    state = PageState("", "", [], None, geo=geo, jump_after=jump_after,
                      groups=[Group(list(g.lines), g.role, g.detail) for g in groups])
    for name, rule in lr.GROUP_RULES:
        if enabled is None or name in enabled:
            rule(state)
    return state.groups
