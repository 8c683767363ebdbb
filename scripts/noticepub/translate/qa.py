"""QA of English segments: numbers, dates and percentages kept, no Chinese left, glossary honoured,
not empty or identical to the source, plausible length. One finding = one short sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from noticepub.translate.glossary import Term, rendered_count, terms_in

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")  # Han, CJK and full-width punctuation
MONTH_RE = re.compile(r"(?<!\d)(\d{1,2})月")
PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
MIN_RATIO, MAX_RATIO, MIN_RATIO_CHARS = 1.2, 10.0, 10  # English/Chinese characters, for sources of 10+ chars


# Number words an English translation may use for a Chinese figure (data, not logic).
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
CHINESE_UNITS = {"万": 10**4, "亿": 10**8, "万亿": 10**12}  # 150万 = 1.5 million
SOURCE_NUMBER_RE = re.compile(r"(\d+(?:\.\d+)?)(万亿|万|亿)?")
ENGLISH_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+|%")
QUOTE_CHARS = 300  # whole sentences; only runaway output is cut


def quote_pair(source: str, english: str) -> str:
    """The Chinese and the English sentence, shortened, for a QA message."""
    def cut(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1] + "…"
    return f"「{cut(source)}」 / \"{cut(english)}\""


def _decimal(text: str) -> Decimal:
    return Decimal(text).normalize()


@dataclass
class _Figure:
    values: set[Decimal]  # what this English figure may stand for ("1.5 million" -> {1500000, 1.5})
    percent: bool


def english_figures(text: str) -> list[_Figure]:
    """Figures in English, written in digits or words, with scale words ("1.5 million", "two hundred")."""
    tokens = ENGLISH_TOKEN_RE.findall(re.sub(r"(?<=\d),(?=\d{3})", "", text).replace("-", " "))
    out: list[_Figure] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lower()
        if token[0].isdigit():
            base = _decimal(token)
        elif token in NUMBER_WORDS:
            base = Decimal(NUMBER_WORDS[token])
            while i + 1 < len(tokens) and tokens[i + 1].lower() in NUMBER_WORDS and NUMBER_WORDS[token] >= 20 \
                    and NUMBER_WORDS[tokens[i + 1].lower()] < 10:  # twenty five / twenty-five
                i += 1
                base += NUMBER_WORDS[tokens[i].lower()]
        elif token in SCALE_WORDS and (i == 0 or tokens[i - 1].lower() == "a"):  # "a million"
            base = Decimal(1)
            i -= 1
        else:
            i += 1
            continue
        value = base
        values = {base.normalize()}
        while i + 1 < len(tokens) and tokens[i + 1].lower() in SCALE_WORDS:
            i += 1
            value *= SCALE_WORDS[tokens[i].lower()]
            values.add(value.normalize())
        percent = False
        if i + 1 < len(tokens) and (tokens[i + 1] == "%" or tokens[i + 1].lower() == "percent"
                                    or (tokens[i + 1].lower() == "per" and i + 2 < len(tokens)
                                        and tokens[i + 2].lower() == "cent")):
            percent = True
        out.append(_Figure(values, percent))
        i += 1
    return out


def _take(figures: list[_Figure], wanted: set[Decimal], *, percent: bool = False) -> bool:
    """Remove and report the first English figure that can stand for one of ``wanted``."""
    for n, figure in enumerate(figures):
        if figure.values & wanted and (figure.percent or not percent):
            del figures[n]
            return True
    return False


def check_segment(source: str, english: str, glossary: tuple[Term, ...]) -> list[str]:
    """Findings for one translated segment (empty list when it passes)."""
    source = source.translate(FULLWIDTH_DIGITS)
    if not english.strip():
        return ["empty translation"]
    if english.strip() == source.strip():
        return ["translation identical to the source"]
    findings: list[str] = []
    left = CJK_RE.findall(english)
    if left:
        findings.append(f"Chinese characters left in the English: {''.join(left)[:20]}")
    figures = english_figures(english)
    percent_figures = [f for f in figures if f.percent]
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", source)
    month_positions = {m.start(1) for m in MONTH_RE.finditer(plain)}  # 1月 is rendered as January
    for match in SOURCE_NUMBER_RE.finditer(plain):
        number, unit = match.group(1), match.group(2)
        if match.start() in month_positions:
            continue
        wanted = {(_decimal(number) * CHINESE_UNITS.get(unit or "", 1)).normalize()}  # 150万 wants 1.5 million
        if not _take(figures, wanted):
            findings.append(f"number {match.group(0)} missing")
    for match in MONTH_RE.finditer(source):
        month = int(match.group(1))
        if 1 <= month <= 12 and MONTHS[month - 1] not in english:
            findings.append(f"date {match.group(0)} not rendered as {MONTHS[month - 1]}")
    for match in PERCENT_RE.finditer(source):
        if not _take(percent_figures, {_decimal(match.group(1))}, percent=True):
            findings.append(f"percentage {match.group(1)}% not rendered as {match.group(1)}% or {match.group(1)} percent")
    for term, count in terms_in(source, glossary):
        if rendered_count(term, english) < count:
            findings.append(f"glossary: {term.zh} should be rendered as '{term.en[0]}'"
                            + (f" ({count} times)" if count > 1 else ""))
    if len(source) >= MIN_RATIO_CHARS:
        ratio = len(english) / len(source)
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            findings.append(f"length ratio {ratio:.1f} outside {MIN_RATIO}-{MAX_RATIO} (omission or runaway output?)")
    return findings
