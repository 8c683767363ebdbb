"""QA of English segments: numbers, dates and percentages kept, no Chinese left, glossary honoured,
not empty or identical to the source, plausible length. One finding = one short sentence."""

from __future__ import annotations

import re

from noticepub.translate.glossary import Term, rendered_count, terms_in

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")  # Han, CJK and full-width punctuation
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
MONTH_RE = re.compile(r"(?<!\d)(\d{1,2})月")
PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
MIN_RATIO, MAX_RATIO, MIN_RATIO_CHARS = 1.2, 10.0, 10  # English/Chinese characters, for sources of 10+ chars


def _numbers(text: str) -> list[str]:
    """Numbers as written, without thousands separators ("1,200" -> "1200")."""
    return NUMBER_RE.findall(re.sub(r"(?<=\d),(?=\d{3})", "", text))


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
    english_numbers = _numbers(english)
    month_positions = {m.start(1) for m in MONTH_RE.finditer(source)}  # 1月 is rendered as January
    for match in NUMBER_RE.finditer(source):
        number = match.group(0)
        if match.start() in month_positions:
            continue
        if number in english_numbers:
            english_numbers.remove(number)  # each occurrence needs its own counterpart
        else:
            findings.append(f"number {number} missing")
    for match in MONTH_RE.finditer(source):
        month = int(match.group(1))
        if 1 <= month <= 12 and MONTHS[month - 1] not in english:
            findings.append(f"date {match.group(0)} not rendered as {MONTHS[month - 1]}")
    for match in PERCENT_RE.finditer(source):
        value = re.escape(match.group(1))
        if not re.search(rf"(?<![\d.]){value}\s*(?:%|percent\b|per cent\b)", english):
            findings.append(f"percentage {match.group(1)}% not rendered as {match.group(1)}%")
    for term, count in terms_in(source, glossary):
        if rendered_count(term, english) < count:
            findings.append(f"glossary: {term.zh} should be rendered as '{term.en[0]}'"
                            + (f" ({count} times)" if count > 1 else ""))
    if len(source) >= MIN_RATIO_CHARS:
        ratio = len(english) / len(source)
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            findings.append(f"length ratio {ratio:.1f} outside {MIN_RATIO}-{MAX_RATIO} (omission or runaway output?)")
    return findings
