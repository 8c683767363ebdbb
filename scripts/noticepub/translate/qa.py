"""QA of English segments: numbers and dates kept, no Chinese left, glossary honoured, sane length."""

from __future__ import annotations

import re

from noticepub.translate.glossary import Term, terms_in

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
MONTH_DAY_RE = re.compile(r"(\d{1,2})月(\d{1,2})日")
MONTH_RE = re.compile(r"(\d{1,2})月")


def check_segment(source: str, english: str, glossary: tuple[Term, ...]) -> list[str]:
    """Findings for one translated segment (empty list when it passes)."""
    findings: list[str] = []
    if not english.strip():
        return ["empty translation"]
    if english.strip() == source.strip():
        return ["translation identical to the source"]
    if CJK_RE.search(english):
        findings.append(f"Chinese characters left in the English: {''.join(CJK_RE.findall(english))[:20]}")
    plain = english.replace(",", "")
    english_numbers = NUMBER_RE.findall(plain)
    months = {m.start(1) for m in MONTH_RE.finditer(source)}  # a month number is rendered as its name
    for match in NUMBER_RE.finditer(source):
        number = match.group(0)
        if match.start() in months:
            continue
        if number not in english_numbers:
            findings.append(f"number {number} missing")
    for match in MONTH_RE.finditer(source):
        month = int(match.group(1))
        if 1 <= month <= 12 and MONTHS[month - 1] not in english:
            findings.append(f"month {match.group(0)} not rendered as {MONTHS[month - 1]}")
    for term, count in terms_in(source, glossary):
        lowered = english.lower()
        hits = sum(lowered.count(e.lower()) for e in term.en)
        if hits < count:
            findings.append(f"glossary: {term.zh} should be rendered as '{term.en[0]}'")
    ratio = len(english) / max(1, len(source))
    if len(source) >= 8 and not 0.8 <= ratio <= 12:
        findings.append(f"length ratio {ratio:.1f} outside 0.8–12")
    return findings
