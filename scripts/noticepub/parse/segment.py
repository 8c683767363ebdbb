"""Segments: split the reflowed body paragraphs into article bodies at source attributions.

An attribution （据…） ends an article. It may stand alone, close a paragraph, or share its line with
the first words of the next article (the text after it opens the next body). A （据…） inside a
running sentence (the text before it does not end a sentence) is ordinary text and stays put.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from noticepub.parse.reflow import Paragraph
from noticepub.parse.text import ATTR_RE, SPACES, ends_sentence, tidy


@dataclass
class Part:
    text: str  # joined, not yet tidied
    lines: list[int]
    heading: bool = False  # a sub-heading
    table: list[str] | None = None  # a table: its rows as printed (one per line)
    spans: list[tuple[int, int, int]] = field(default_factory=list, compare=False)  # (start, end, line) of text


@dataclass(frozen=True)
class Start:
    """Why an article starts at a body line: a headline printed in place, or a 「上接」 line."""

    reason: str
    title: int | None = None  # index of the in-place headline (pipeline's list)
    continued_from: str | None = None  # 「（上接第一版）」 -> "第一版"
    continued: bool = False


@dataclass
class Body:
    paragraphs: list[Part] = field(default_factory=list)
    attribution: str | None = None
    attribution_lines: list[int] = field(default_factory=list)
    start: Start | None = None  # set when something on the page (not an attribution) starts this article
    jumped: bool = False  # the article stops at a jump line 「（下转第四版）」
    split: str = ""  # why the global segmentation started this article here (no attribution before it)
    wrapper: str = "（据）"  # the characters printed around the attribution's name (dropped, counted)

    @property
    def lines(self) -> list[int]:
        out = {n for p in self.paragraphs for n in p.lines} | set(self.attribution_lines)
        return sorted(out)


def _joined(paragraph: Paragraph) -> tuple[str, list[tuple[int, int, int]]]:
    """Join a paragraph's pieces (space only between two ASCII letters) with each piece's span."""
    text = ""
    spans: list[tuple[int, int, int]] = []
    for no, piece in paragraph.pieces:
        piece = piece.strip(SPACES)
        if not piece:
            continue
        if text and text[-1].isascii() and text[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
            text += " "
        spans.append((len(text), len(text) + len(piece), no))
        text += piece
    return text, spans


def _lines_of(spans: list[tuple[int, int, int]], start: int, end: int) -> list[int]:
    return [no for s, e, no in spans if s < end and e > start] or [no for s, e, no in spans if s <= start <= e][:1]


def segment(paragraphs: list[Paragraph], starts: dict[int, Start] | None = None,
            jumps: frozenset[int] = frozenset()) -> list[Body]:
    """Cut the paragraphs into bodies at the starts given (line number -> Start) and after jump lines."""
    starts = starts or {}
    bodies = [Body()]
    for paragraph in paragraphs:
        first = paragraph.pieces[0][0] if paragraph.pieces else 0
        start = starts.get(first)
        if start is not None:
            if bodies[-1].paragraphs:
                bodies.append(Body())
            bodies[-1].start = start
        elif bodies[-1].jumped:
            bodies.append(Body())
        text, spans = _joined(paragraph)
        if text.strip(SPACES):
            rows = [t for _, t in paragraph.pieces] if paragraph.table else None
            bodies[-1].paragraphs.append(Part(text, _lines_of(spans, 0, len(text)), paragraph.heading, rows, spans))
        if paragraph.pieces and paragraph.pieces[-1][0] in jumps:
            bodies[-1].jumped = True
    return bodies


def _split_part(part: Part, cur: Body, out: list[Body]) -> Body:
    """Cut one paragraph at the attributions that end a sentence; returns the body its rest goes to."""
    text, spans = part.text, part.spans
    if part.table is not None:
        cur.paragraphs.append(part)
        return cur
    cursor = 0
    for m in ATTR_RE.finditer(text):
        before = text[cursor:m.start()]
        if before.strip(SPACES) and not ends_sentence(before):
            continue  # （据统计） inside a running sentence: ordinary text
        if before.strip(SPACES):
            cur.paragraphs.append(Part(before, _lines_of(spans, cursor, m.start()), spans=spans))
        cur.attribution = tidy(m.group(1))
        cur.attribution_lines = _lines_of(spans, m.start(), m.end())
        out.append(cur)
        cur = Body()
        cursor = m.end()
    if cursor == 0:
        cur.paragraphs.append(part)
    elif text[cursor:].strip(SPACES):
        cur.paragraphs.append(Part(text[cursor:], _lines_of(spans, cursor, len(text)), part.heading, spans=spans))
    return cur


def split_attributions(bodies: list[Body]) -> list[Body]:
    """An attribution （据…） ends its article; the text after it on the same paragraph opens the next."""
    out: list[Body] = []
    for body in bodies:
        cur = Body(start=body.start)
        for part in body.paragraphs:
            cur = _split_part(part, cur, out)
        cur.jumped = body.jumped
        if cur.paragraphs or cur.start is not None or cur.jumped or not out:
            out.append(cur)
    if len(out) > 1 and not out[-1].paragraphs and out[-1].attribution is None and out[-1].start is None:
        out.pop()
    return out
