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
            jumps: frozenset[int] = frozenset(), attributions: bool = True) -> list[Body]:
    """Split at attributions, at the starts given (line number -> Start), and after jump lines."""
    starts = starts or {}
    bodies = [Body()]
    for paragraph in paragraphs:
        first = paragraph.pieces[0][0] if paragraph.pieces else 0
        start = starts.get(first)
        if start is not None:
            if bodies[-1].paragraphs or bodies[-1].attribution is not None:
                bodies.append(Body())
            bodies[-1].start = start
        elif bodies[-1].jumped:
            bodies.append(Body())
        text, spans = _joined(paragraph)
        cursor = 0
        for m in ATTR_RE.finditer(text) if attributions else ():
            before = text[cursor:m.start()]
            if before.strip(SPACES) and not ends_sentence(before):
                continue  # （据统计） inside a running sentence: ordinary text
            if before.strip(SPACES):
                bodies[-1].paragraphs.append(Part(before, _lines_of(spans, cursor, m.start())))
            bodies[-1].attribution = tidy(m.group(1))
            bodies[-1].attribution_lines = _lines_of(spans, m.start(), m.end())
            bodies.append(Body())
            cursor = m.end()
        rest = text[cursor:]
        if rest.strip(SPACES):
            bodies[-1].paragraphs.append(Part(rest, _lines_of(spans, cursor, len(text)), paragraph.heading))
        if paragraph.pieces and paragraph.pieces[-1][0] in jumps:
            bodies[-1].jumped = True
    if len(bodies) > 1 and not bodies[-1].paragraphs and bodies[-1].attribution is None:
        bodies.pop()
    return bodies
