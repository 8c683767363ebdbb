"""The one wrapping rule for PO files: GNU gettext's (msgcat, msgmerge, Poedit), width 79.

A field that fits on one line is written ``msgid "..."``. Otherwise (or when it holds a newline
before its end) it is written ``msgid ""`` followed by continuation lines, each at most 79 columns
including its quotes and any ``#| `` / ``#~ `` prefix, broken after each ``\\n`` and elsewhere at
the last line-break opportunity that fits. Columns and break opportunities follow what gettext does
through libunistring in a UTF-8 file: East Asian wide and full-width characters count two columns
(ambiguous ones such as “ ” one), breaks follow the Unicode line-breaking algorithm (UAX #14): after
spaces, between ideographs, never before closing punctuation (，。、）》」！？：；) or a quote, never
after an opening bracket or a quote, never inside a word or number. polib's own wrapping breaks
only at spaces and counts characters, so a Chinese msgid would never wrap and an English one would
wrap differently from msgcat; hence this module. tests/test_po_stable.py checks the output against
``msgcat -w 79`` when gettext is installed.
"""

from __future__ import annotations

import re
import unicodedata

WIDTH = 79
FIELD_RE = re.compile(r'^(#~ |#\| |#~\| )?(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')
CONT_RE = re.compile(r'^(#~ |#\| |#~\| )?"(.*)"$')
ESCAPE_RE = re.compile(r'\\.|.', re.S)

# UAX #14 classes that matter for Chinese and English text (everything else behaves as AL, a letter).
CLOSE = set("，。、）》」』】〕〉｝］,.)]}!?;:！？/\n")  # CL, CP, EX, IS, SY, BK: never broken before (LB6, LB13)
SOFT = set("：；…‥々〻ーゝゞヽヾ・%％")  # NS, IN, PO: never broken before, except after spaces
NONSTARTER = set("：；々〻ーゝゞヽヾ・")  # NS
WIDE_CLOSE = set("，。、）》」』】〕〉｝］")  # full-width CL: a break may follow (before letters and digits too)
NARROW_CLOSE = set(")]}")  # CP
AFTER_BREAK = set(",.:;/!?！？)]}")  # IS, SY, EX, CP: a break may follow, except before a digit
ELLIPSIS = set("…‥")  # IN: a break may follow
PREFIX = set("\\$+¥￥£€#")  # PR: never broken after
OPEN = set("（《「『【〔〈｛［([{")  # OP
QUOTE = set("“”‘’\"'")  # QU
HYPHEN = set("-–")  # HY, BA (en dash): no break before, a break may follow
DASH = set("—")  # B2


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _ideographic(ch: str) -> bool:
    if ch in CLOSE or ch in SOFT or ch in OPEN or ch in QUOTE:
        return False
    return unicodedata.east_asian_width(ch) in "WF"


def _break_before(prev: str, ch: str, after_space: bool) -> bool:
    """May a line break before ``ch`` (``prev`` the last non-space char, ``after_space`` if spaces sit between)?"""
    if ch == " " or ch in CLOSE:
        return False  # LB6, LB7, LB13: never before spaces, a newline or closing/infix punctuation
    if prev in OPEN:
        return False  # LB14: OP SP* ×
    if after_space:
        if ch in NONSTARTER and (prev in WIDE_CLOSE or prev in NARROW_CLOSE):
            return False  # LB16: (CL | CP) SP* × NS
        if ch in DASH and prev in DASH:
            return False  # LB17: B2 SP* × B2
        return not (ch in OPEN and prev in QUOTE)  # LB15: QU SP* × OP; otherwise LB18: SP ÷
    if prev in PREFIX:
        return False  # LB23a, LB24, LB25: PR × (ID | AL | NU)
    if ch in SOFT:  # LB21, LB22, LB23a/LB24: × NS, × IN, × PO (but "：|%" as libunistring)
        return ch in "%％" and prev in NONSTARTER
    if ch in QUOTE or prev in QUOTE:
        return False  # LB19: × QU, QU ×
    if ch in PREFIX:
        return _ideographic(prev)
    if prev in HYPHEN:
        return not ch.isdigit()  # LB21/LB25: after a hyphen, except before a digit
    if ch in HYPHEN:
        return False
    if prev in DASH or ch in DASH:
        return not (prev in DASH and ch in DASH)  # LB17: B2 × B2
    if ch in OPEN:
        # LB30 keeps (AL | NU) × OP only for narrow brackets
        return ch not in "([{" and prev not in "%％"  # PO × OP
    if prev in ELLIPSIS or (prev in NONSTARTER and ch.isalnum()):
        return True
    if prev in AFTER_BREAK:
        return not ch.isdigit()  # libunistring breaks "e.|g." and "/a/|b", never "1,|200" (LB25)
    return _ideographic(prev) or _ideographic(ch) or prev in WIDE_CLOSE  # the pair table's direct breaks


def _units(escaped: str) -> list[str]:
    """The escaped field as units: one per source character (an escape sequence is one unit)."""
    return ESCAPE_RE.findall(escaped)


def _char(unit: str) -> str:
    return {'\\"': '"', "\\\\": "\\", "\\t": "\t", "\\n": "\n"}.get(unit, unit[-1] if unit.startswith("\\") else unit)


def _lines(units: list[str], room: int) -> list[str]:
    """Greedy fill: break at the last opportunity that keeps the line within ``room`` columns."""
    out: list[str] = []
    start = 0
    while start < len(units):
        width = 0
        last_break = None  # index where the next line may start
        end = start
        prev = ""
        after_space = False
        while end < len(units):
            unit = units[end]
            ch = _char(unit)
            if end > start and prev and _break_before(prev, ch, after_space):
                last_break = end
            w = sum(_width(c) for c in unit) if unit.startswith("\\") else _width(unit)
            if width + w > room and end > start:
                break
            width += w
            if ch == " ":
                after_space = True
            else:
                prev, after_space = ch, False
            end += 1
        else:
            out.append("".join(units[start:]))
            break
        cut = last_break if last_break is not None and last_break > start else None
        if cut is None:  # no opportunity fits: gettext overflows to the next opportunity
            cut = end
            prev_ch, spaced = _char(units[end - 1]), False
            while cut < len(units) and not _break_before(prev_ch, _char(units[cut]), spaced):
                ch = _char(units[cut])
                if ch == " ":
                    spaced = True
                else:
                    prev_ch, spaced = ch, False
                cut += 1
        out.append("".join(units[start:cut]))
        start = cut
    return out


def wrap_field(prefix: str, keyword: str, escaped: str, width: int = WIDTH) -> list[str]:
    """One PO field (its value already escaped) as gettext writes it."""
    one = f'{prefix}{keyword} "{escaped}"'
    pieces = escaped.split("\\n")
    inner_newline = len(pieces) > 2 or (len(pieces) == 2 and pieces[1] != "")
    if not inner_newline and sum(_width(c) for c in one) <= width:
        return [one]
    portions = [p + "\\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    lines = [f'{prefix}{keyword} ""']
    room = width - len(prefix) - 2
    for portion in portions:
        lines.extend(f'{prefix}"{line}"' for line in _lines(_units(portion), room))
    return lines


def rewrap(text: str, width: int = WIDTH) -> str:
    """Re-wrap every field of a PO file's text (comments and other lines are kept as they are)."""
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = FIELD_RE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        prefix, keyword, value = match.group(1) or "", match.group(2), match.group(3)
        i += 1
        while i < len(lines):
            cont = CONT_RE.match(lines[i])
            if not cont or (cont.group(1) or "") != prefix:
                break
            value += cont.group(2)
            i += 1
        out.extend(wrap_field(prefix, keyword, value, width))
    return "\n".join(out)
