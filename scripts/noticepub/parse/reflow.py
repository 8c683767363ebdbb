"""Reflow: decide, for every pair of consecutive body lines, whether they join or a paragraph ends.

The decision is made by the first rule of ``JOINT_RULES`` that has an opinion (markdown-it style
ruler; rules can be disabled or inserted by name). Every decision is kept for ``--explain``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from noticepub.model import Verdict
from noticepub.parse.layout import Geometry, Line
from noticepub.parse.openers import strong_opener
from noticepub.parse.rules import Ruler
from noticepub.parse.text import ATTR_RE, SPACES, ends_with_attribution

SUB_HEADING_PUNCT = "，。、；：！？,;:!?…"
JOIN = Verdict.JOIN
BREAK = Verdict.BREAK


@dataclass(frozen=True)
class Joint:
    """The seam between two consecutive body lines."""

    prev: Line
    line: Line
    gap: bool  # blank line(s) or displaced material between them
    continues: bool  # ``line`` is directly followed by another body line
    geo: Geometry
    prev_starts: bool = False  # ``prev`` is the first line of its paragraph
    boundary: str = ""  # why an article starts at ``line`` (a headline printed in place, a jump line), or ""
    heading: bool = False  # ``line`` is a sub-heading
    prev_heading: bool = False  # ``prev`` is a sub-heading
    forced: tuple[str, str] | None = None  # a maintainer correction for this seam: (JOIN|BREAK, why)
    table: int | None = None  # the table ``line`` is a row of (its index); -1: a title/unit line; < -1: a note
    prev_table: int | None = None  # the same for ``prev``


JointRule = Callable[[Joint], tuple[str, str] | None]


def maintainer_correction(j: Joint) -> tuple[str, str] | None:
    return j.forced


def table_rows(j: Joint) -> tuple[str, str] | None:
    if j.table is not None and j.table != -1 and j.table == j.prev_table:
        return JOIN, "the next row of the table" if j.table >= 0 else "the table's note goes on"
    if j.table is not None or j.prev_table is not None:
        return BREAK, "a table (or its title, unit or note) is a paragraph of its own"
    return None


def article_boundary(j: Joint) -> tuple[str, str] | None:
    if j.boundary:
        return BREAK, j.boundary
    return None


def sub_heading(j: Joint) -> tuple[str, str] | None:
    if j.heading and j.prev_heading and not j.gap:
        return JOIN, "the sub-heading goes on on this line"
    if j.heading:
        return BREAK, "a sub-heading starts: a short line without punctuation after a finished sentence"
    if j.prev_heading:
        return BREAK, "the sub-heading above stands alone"
    return None


def after_attribution(j: Joint) -> tuple[str, str] | None:
    if ends_with_attribution(j.prev.text):
        return BREAK, "the previous line ends with a source attribution"
    return None


def before_attribution(j: Joint) -> tuple[str, str] | None:
    m = ATTR_RE.match(j.line.text)
    if m and j.prev.terminated:
        return BREAK, "the line opens with a source attribution after a finished sentence"
    return None


def column_break(j: Joint) -> tuple[str, str] | None:
    if j.gap and not j.prev.terminated:
        return JOIN, "blank line inside a sentence"
    return None


def sentence_at_column_foot(j: Joint) -> tuple[str, str] | None:
    if j.gap and j.prev.terminated and not j.geo.indented(j.line) and j.geo.full(j.prev):
        return JOIN, f"a full line ({j.line.core:.1f} em of {j.geo.width:.1f}) follows the blank: no lost indent"
    return None


def blank_after_sentence(j: Joint) -> tuple[str, str] | None:
    if j.gap and j.prev.terminated:
        return BREAK, "blank line after a finished sentence"
    return None


def full_first_line(j: Joint) -> tuple[str, str] | None:
    """A paragraph's first line that happens to end a sentence is not a one-line paragraph."""
    if j.gap or not j.prev_starts or not j.prev.terminated:
        return None
    if j.prev.m >= j.geo.width - j.geo.indent - j.geo.tol and not (j.continues and j.geo.indented(j.line)):
        return JOIN, f"the first line is full ({j.prev.m:.1f} em of {j.geo.width - j.geo.indent:.1f})"
    return None


def short_last_line(j: Joint) -> tuple[str, str] | None:
    if j.prev.terminated and j.geo.short(j.prev):
        return BREAK, f"short line ({j.prev.m:.1f} em of {j.geo.width:.1f}) ending a sentence"
    if j.prev.terminated and j.prev.m < j.geo.width - j.geo.tol and j.geo.indented(j.line):
        return BREAK, (f"a line short of the column ({j.prev.m:.1f} em of {j.geo.width:.1f}) ends a sentence and "
                       "the next line is indented")
    return None


def lost_indent(j: Joint) -> tuple[str, str] | None:
    if j.prev.terminated and j.continues and j.geo.indented(j.line):
        return BREAK, f"the next line is short ({j.line.core:.1f} em): a first line that lost its indent"
    return None


def wrapped(j: Joint) -> tuple[str, str] | None:
    return JOIN, "wrapped line"


JOINT_RULES: Ruler[JointRule] = Ruler([
    ("maintainer correction", maintainer_correction),
    ("table rows", table_rows),
    ("article boundary", article_boundary),
    ("sub-heading", sub_heading),
    ("after attribution", after_attribution),
    ("before attribution", before_attribution),
    ("column break", column_break),
    ("sentence at column foot", sentence_at_column_foot),
    ("paragraph end", blank_after_sentence),
    ("full first line", full_first_line),
    ("paragraph end (short line)", short_last_line),
    ("paragraph end (lost indent)", lost_indent),
    ("joined", wrapped),
])


@dataclass
class Paragraph:
    """Pieces of consecutive lines, in order: (line number, text as read, stripped)."""

    pieces: list[tuple[int, str]] = field(default_factory=list)
    heading: bool = False  # a sub-heading
    table: bool = False  # the rows of a table, one piece per row


@dataclass(frozen=True)
class LineVerdict:
    line: int
    rule: str
    detail: str
    blank_lines: tuple[int, ...] = ()  # the blank lines of this seam (column break or paragraph end)
    joined: bool = False  # the line continues the previous paragraph
    heading: bool = False  # the line is a sub-heading (a paragraph of its own)


def decide(j: Joint, rules: Ruler[JointRule] = JOINT_RULES) -> tuple[str, str, str]:
    for name, fn in rules.active():
        out = fn(j)
        if out is not None:
            return out[0], name, out[1]
    return JOIN, "joined", "no rule applied"


def is_sub_heading(prev: Line | None, line: Line, nxt: Line | None, geo: Geometry, alone: bool = False,
                   above_first_line: bool = False) -> bool:
    """A short line alone between finished sentences, without punctuation: 「多措并举保障供暖」; never a line
    opening with a story opener (本报讯, 新华社…电). (heading_lines also rules out the indented first line
    of a paragraph that a full line continues without a gap: 「本报讯 广州市越秀区日」 / 「前为辖区……」.)"""
    if prev is None or nxt is None or not prev.terminated or line.terminated:
        return False
    text = line.text.strip(SPACES)
    if len(text) < 2 or any(ch in SUB_HEADING_PUNCT for ch in text) or ATTR_RE.search(text):
        return False
    if strong_opener(text):
        return False  # 「本报讯 广州市越秀区日」 opens a story: never a sub-heading
    if text[-1].isascii() and text[-1].isalnum() or (nxt.text[:1].isascii() and nxt.text[:1].isalnum()):
        return False  # a first line cut short before a number: 「按每人」 / 「300元…」
    if alone and geo.indented(nxt) and (above_first_line or not geo.indented(line)):
        return True  # too long for a paragraph's (indented) first line, or a paragraph starts below it
    return line.core <= geo.width - geo.indent - 1.0 or line.core > 1.3 * geo.width + 1  # short, or set wide


NUMBERED_RE = re.compile(r"([一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十\d]{1,3}[）)]"
                         r"|\d{1,2}[、．.](?!\d))")
NUMBERED_MAX_LINES = 3
NUMBERED_MAX_CHARS = 36  # narrow columns: a numbered heading of up to this many characters may take more lines


def _max_lines(geo: Geometry) -> int:
    """How many lines a numbered heading may take: three, more in columns too narrow for 36 characters."""
    return max(NUMBERED_MAX_LINES, math.ceil(NUMBERED_MAX_CHARS / max(geo.width, 1.0)))


def numbered_headings(body: list[tuple[Line, bool, tuple[int, ...]]], geo: Geometry) -> set[int]:
    """Numbered section headings (一、… / （二）… / 3.…) of up to three lines standing alone between blank
    lines after a finished sentence, not ending a sentence themselves: every line of one sub-heading."""
    out: set[int] = set()
    k = 0
    while k < len(body):
        j = k + 1
        while j < len(body) and not body[j][1]:
            j += 1
        run = [x for x, _, _ in body[k:j]]
        prev = body[k - 1][0] if k else None
        if body[k][1] and prev is not None and prev.terminated:
            out.update(_numbered_run(run, geo, more=j < len(body)))
        for i in range(1, len(run)):  # no blank line above it either: right after a finished paragraph
            if run[i - 1].terminated and NUMBERED_RE.match(run[i].text):
                out.update(_tight_numbered(run[i:], geo))
        k = j
    return out


def _numbered_run(run: list[Line], geo: Geometry, more: bool) -> set[int]:
    """The heading lines of a run of lines after a blank and a finished sentence: the whole run when it is
    a numbered heading standing alone (``more``: text follows it), else one printed tight above its
    paragraph."""
    if not NUMBERED_RE.match(run[0].text):
        return set()
    if more and len(run) <= _max_lines(geo) and not run[-1].terminated \
            and not run[-1].text.rstrip(SPACES).endswith(tuple("，、；：,;:")):
        return {x.no for x in run}
    return _tight_numbered(run, geo)


def _first_line(run: list[Line], i: int, geo: Geometry) -> bool:
    """run[i] looks like a paragraph's first line: indented, or clearly shorter than the line below it."""
    return geo.indented(run[i]) or (i + 1 < len(run) and run[i].core <= run[i + 1].core - geo.indent / 2)


def _tight_numbered(run: list[Line], geo: Geometry) -> set[int]:
    """A numbered heading printed right above its paragraph: its lines up to the one an indented first line
    follows (at most three, the last not ending a sentence or clause)."""
    window = run[:min(_max_lines(geo), len(run) - 1)]
    for k, last in enumerate(window):  # the heading's own last line is clearly short of the column (past
        if last.terminated:  # three lines, in narrow columns, only above a paragraph's first line)
            return set()
        if geo.indented(last) and (k < NUMBERED_MAX_LINES or _first_line(run, k + 1, geo)) \
                and not last.text.rstrip(SPACES).endswith(tuple("，、；：,;:")):
            return {x.no for x in run[:k + 1]}
    for k, last in enumerate(window):  # ... or full, and an indented first line follows it
        if geo.indented(run[k + 1]) and not last.text.rstrip(SPACES).endswith(tuple("，、；：,;:")):
            return {x.no for x in run[:k + 1]}
    return set()


def heading_lines(body: list[tuple[Line, bool, tuple[int, ...]]], geo: Geometry) -> frozenset[int]:
    out = numbered_headings(body, geo)
    for k, (line, _gap, _blanks) in enumerate(body):
        prev = body[k - 1][0] if k else None
        nxt = body[k + 1][0] if k + 1 < len(body) else None
        gap_after = k + 1 < len(body) and body[k + 1][1]
        if nxt is not None and not gap_after and not geo.indented(nxt) and line.core <= 1.3 * geo.width + 1 \
                and not strong_opener(nxt.text):
            continue  # a full line follows directly: the paragraph's first line, not a heading
        alone = _gap and gap_after
        if is_sub_heading(prev, line, nxt, geo, alone) or (alone and _first_line_below(body, k, geo)
                                                             and is_sub_heading(prev, line, nxt, geo, True, True)):
            out.add(line.no)
    return frozenset(out)


def _first_line_below(body: list[tuple[Line, bool, tuple[int, ...]]], k: int, geo: Geometry) -> bool:
    """The line after body[k] (past a blank) opens a paragraph: indented, ending no sentence, and a longer
    line goes on from it (a paragraph's last line after a column break would end a sentence or stand
    alone). Then body[k], alone between blank lines, is no paragraph's first line cut by a column break,
    however long: narrow columns set a seven-character heading as wide as a first line."""
    if k + 2 >= len(body) or body[k + 2][1]:
        return False
    nxt, after = body[k + 1][0], body[k + 2][0]
    return geo.indented(nxt) and not nxt.terminated and after.core >= nxt.core + geo.indent / 2


def reflow(body: list[tuple[Line, bool, tuple[int, ...]]], geo: Geometry,
           rules: Ruler[JointRule] = JOINT_RULES, *, boundaries: dict[int, str] | None = None,
           headings: frozenset[int] = frozenset(),
           forced: dict[int, tuple[str, str]] | None = None,
           tables: dict[int, int] | None = None) -> tuple[list[Paragraph], list[LineVerdict]]:
    """``body``: (line, gap before it, blank line numbers before it) for each body line, in page order.
    ``boundaries``: line number -> why an article starts there; ``headings``: sub-heading lines."""
    boundaries = boundaries or {}
    forced = forced or {}
    tables = tables or {}
    paragraphs: list[Paragraph] = []
    verdicts: list[LineVerdict] = []
    for k, (line, gap, blanks) in enumerate(body):
        text = line.text.strip(SPACES)
        heading = line.no in headings
        table = tables.get(line.no, -1) >= 0
        if k == 0:
            paragraphs.append(Paragraph([(line.no, text)], heading, table))
            verdicts.append(LineVerdict(line.no, "paragraph start", "first body line of the page", blanks,
                                        heading=heading))
            continue
        continues = k + 1 < len(body) and not body[k + 1][1]
        starts = len(paragraphs[-1].pieces) == 1
        prev = body[k - 1][0]
        joint = Joint(prev, line, gap, continues, geo, starts, boundaries.get(line.no, ""), heading,
                      prev.no in headings, forced.get(line.no), tables.get(line.no), tables.get(prev.no))
        verdict, name, detail = decide(joint, rules)
        if verdict == BREAK:
            paragraphs.append(Paragraph([(line.no, text)], heading, table))
        else:
            paragraphs[-1].pieces.append((line.no, text))
        verdicts.append(LineVerdict(line.no, name, detail, blanks, verdict == JOIN, heading))
    return paragraphs, verdicts
