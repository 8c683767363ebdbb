"""Character conservation: every CJK character, digit and letter of the input is in exactly one output
field (kicker, title, subtitle, byline, lead, paragraph, attribution) or in `dropped`. Order-insensitive multisets."""

from __future__ import annotations

from collections import Counter

from noticepub.errors import ParseError
from noticepub.model import ParseResult
from noticepub.parse.text import counted


def _fields(result: ParseResult) -> list[str]:
    out: list[str] = []
    for a in result.articles:
        out += [x for x in (a.kicker, a.title, a.subtitle, a.byline, a.lead, a.attribution) if x]
        out += list(a.paragraphs)
    out += [d.text for d in result.dropped]
    return out


def check_conservation(text: str, result: ParseResult) -> None:
    want = Counter(filter(counted, text))
    got = Counter(filter(counted, "".join(_fields(result))))
    if want == got:
        return
    problems = []
    missing, extra = want - got, got - want
    if missing:
        problems.append(f"lost {sum(missing.values())} ({''.join(sorted(missing))[:30]})")
    if extra:
        problems.append(f"duplicated or invented {sum(extra.values())} ({''.join(sorted(extra))[:30]})")
    raise ParseError(result.source, "character conservation failed: " + "; ".join(problems))
