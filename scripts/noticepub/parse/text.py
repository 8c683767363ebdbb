"""Character classes, line measure and Chinese typography (small pure functions, no page knowledge)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TERMINALS = "。！？!?…"
CLOSERS = "”’」』）》)\"'"
SPACES = " \t\f\v\u3000\u00a0\u2002\u2003\u2009\u200a\u202f\u205f"  # \f: pdftotext ends a page with it
# （据新华社） / (据 新华社) — a source attribution; the name holds no sentence punctuation.
ATTR_RE = re.compile(
    r"[（(][ \t\u3000]*据[ \t\u3000]*([^\s（）()，。、；：！？][^（）()，。、；：！？\n]{0,39}?)[ \t\u3000]*[）)]"
)
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def is_wide_punct(ch: str) -> bool:
    o = ord(ch)
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFF60 or ch in "“”‘’—…·"


def counted(ch: str) -> bool:
    """Characters that character conservation accounts for: CJK, digits, letters."""
    return ch.isalnum()


def is_noise(ch: str) -> bool:
    """Control and format characters (NUL..US, DEL, zero-width, bidi marks): never part of the text."""
    return unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n"


SKIP, FULL, PUNCT, OTHER = 0, 1, 2, 3
_CLASS: dict[str, int] = {}  # character -> width class; bounded by the number of distinct characters


def width_class(ch: str) -> int:
    """SKIP (spaces, control), FULL (ideographs, full-width forms), PUNCT (CJK punctuation), OTHER (ASCII...)."""
    c = _CLASS.get(ch)
    if c is None:
        if ch in SPACES or is_noise(ch):
            c = SKIP
        elif is_cjk(ch) or (unicodedata.east_asian_width(ch) in "WF" and not is_wide_punct(ch)):
            c = FULL
        elif is_wide_punct(ch):
            c = PUNCT
        else:
            c = OTHER
        _CLASS[ch] = c
    return c


@lru_cache(maxsize=8192)
def width_counts(text: str) -> tuple[int, int, int]:
    """(full, punct, other) character counts of a text (spaces and control characters not counted).

    Cached (bounded): a page's lines are measured several times while its geometry is learned."""
    n = [0, 0, 0, 0]
    get = _CLASS.get
    for ch in text:
        c = get(ch)
        n[width_class(ch) if c is None else c] += 1
    return n[FULL], n[PUNCT], n[OTHER]


def measure(text: str, punct: float = 1.0, ascii_w: float = 0.5) -> float:
    """Width of a line in em: ideographs 1, CJK punctuation ``punct``, ASCII ``ascii_w``, spaces 0."""
    full, p, other = width_counts(text)
    return full + punct * p + ascii_w * other


def ends_sentence(text: str) -> bool:
    t = text.rstrip(SPACES).rstrip(CLOSERS + SPACES)
    return bool(t) and t[-1] in TERMINALS


def ends_with_attribution(text: str) -> bool:
    t = text.rstrip(SPACES)
    return any(m.end() == len(t) for m in ATTR_RE.finditer(t))


def _cjkish(ch: str) -> bool:
    return is_cjk(ch) or is_wide_punct(ch)


def _word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def drop_spaces(text: str) -> str:
    """Justification spaces go; a single space stays only between two ASCII words (one with a letter)."""
    chars = [ch for ch in text if ch.isprintable() or not is_noise(ch)]
    out: list[str] = []
    for i, ch in enumerate(chars):
        if ch not in SPACES:
            out.append(ch)
            continue
        prev = out[-1] if out else ""
        nxt = next((c for c in chars[i + 1:] if c not in SPACES), "")
        if prev and nxt and prev != " " and _word(prev) and _word(nxt) and (prev.isalpha() or nxt.isalpha()):
            out.append(" ")
    return "".join(out).strip(" ")


def widen_punctuation(text: str) -> str:
    """Half-width , ; : ? ! ( ) touching Chinese text become full-width; ASCII contexts are left alone."""
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch not in HALF_TO_FULL:
            continue
        prev = chars[i - 1] if i else ""
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch == ":" and prev.isdigit() and nxt.isdigit():
            continue  # 10:30
        if ch in "()":
            near = (prev and _cjkish(prev)) or (nxt and _cjkish(nxt))
        else:
            near = bool(prev) and _cjkish(prev)
        if near:
            chars[i] = HALF_TO_FULL[ch]
    return "".join(chars)


def tidy(text: str) -> str:
    """Chinese typography for a joined paragraph, headline or lead."""
    return widen_punctuation(drop_spaces(text))


TIDY_STEPS = (("drop spaces", drop_spaces), ("widen punctuation", widen_punctuation))


def tidy_and_explain(text: str) -> tuple[str, list[str]]:
    """tidy() and the names of the steps that changed the text (like ftfy's fix_and_explain)."""
    steps: list[str] = []
    for name, fn in TIDY_STEPS:
        new = fn(text)
        if new != text:
            steps.append(name)
        text = new
    return text, steps


def join_lines(pieces: list[str]) -> str:
    """Join wrapped lines: no space at a line break, except between two ASCII letters (an English word break)."""
    text = ""
    for piece in pieces:
        piece = piece.strip(SPACES)
        if not piece:
            continue
        if text and text[-1].isascii() and text[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
            text += " "
        text += piece
    return text


def two_part_kicker(text: str) -> bool:
    """A kicker in two parts set apart by a space, each a phrase of its own (坚持以人民为中心的发展思想
    织密扎牢民生兜底保障网): smaller type, so it may run longer than the headline below it."""
    parts = text.split()
    return len(parts) == 2 and all(len(p) >= 5 and re.fullmatch(r"[\u4e00-\u9fff“”《》·]+", p) for p in parts)
