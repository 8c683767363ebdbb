"""Story openers (data/openers.yml): evidence that a paragraph starts a news story, or continues one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from noticepub.parse.text import SPACES

STRONG = 3.0
WEAK = 1.0
CONTINUATION = -1.5


@dataclass(frozen=True)
class Openers:
    strong: tuple[re.Pattern[str], ...]
    weak: tuple[re.Pattern[str], ...]
    continuation: tuple[re.Pattern[str], ...]
    referring: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def load_openers() -> Openers:
    data = yaml.safe_load(resources.files("noticepub").joinpath("data/openers.yml").read_text(encoding="utf-8"))
    return Openers(*(tuple(re.compile(p) for p in data[k]) for k in ("strong", "weak", "continuation", "referring")))


def opener(text: str) -> tuple[float, str]:
    """(score, evidence) of a paragraph's start: +3 byline/dateline, -1.5 continuation, +1 time phrase, 0."""
    t = text.lstrip(SPACES)[:60]
    o = load_openers()
    # a continuation outranks a time phrase: 「今年以来，该系统……」 goes on with the story before
    for kind, pats, score in (("story opener", o.strong, STRONG), ("continuation phrase", o.continuation, CONTINUATION),
                              ("time phrase", o.weak, WEAK)):
        for p in pats:
            m = p.match(t)
            if m:
                return score, f"{kind} 「{m.group(0).strip()}」"
    return 0.0, ""


def refers_back(text: str) -> str | None:
    """What a continuation refers back to (会议指出… -> 会议, 《通知》要求… -> 《通知》), or None: the first
    paragraph of a body whose lead, printed away from it, introduced that meeting or document may open
    with it; 同时，此外，该… never open one."""
    t = text.lstrip(SPACES)[:60]
    for p in load_openers().referring:
        m = p.match(t)
        if m:
            return m.group("ref")
    return None


def strong_opener(text: str) -> bool:
    return opener(text)[0] >= STRONG
