"""Assemble: attach the top headline, and match displaced headlines and leads to their bodies.

Leads are matched first (long texts, strong signal), by idf-weighted n-gram containment and an
optimal one-to-one assignment (Hungarian); headlines are then matched against body + lead. Displaced
items left over (more headlines than bodies: the body is on another page) become articles of their
own with no paragraphs, so no text is lost. Articles keep the order of their bodies on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from noticepub.parse.layout import Group
from noticepub.parse.match import assign, containment
from noticepub.parse.segment import Body
from noticepub.parse.text import join_lines, tidy

DASHES = "—－-–"
COUNT_BONUS = 0.15  # a lead that promises N items and a body of N paragraphs


@dataclass
class Slot:
    """An article being assembled."""

    body: Body
    title: str | None = None
    subtitle: str | None = None
    lead: str | None = None
    title_lines: list[int] = field(default_factory=list)
    lead_lines: list[int] = field(default_factory=list)

    @property
    def body_text(self) -> str:
        return "".join(p.text for p in self.body.paragraphs)


@dataclass(frozen=True)
class Note:
    """Why a headline or lead line went where it went (for --explain)."""

    line: int
    target: int  # 0-based slot index
    kind: str  # "title" | "subtitle" | "lead"
    rule: str
    detail: str


def headline_text(group: Group) -> tuple[str, str | None, list[int]]:
    """Title (lines joined) and subtitle: a line opening with a dash (——副题) starts the subtitle."""
    title_pieces: list[str] = []
    sub_pieces: list[str] = []
    for line in group.lines:
        if (sub_pieces or title_pieces) and line.text.startswith(tuple(DASHES)):
            sub_pieces.append(line.text.lstrip(DASHES + " \u3000"))
        elif sub_pieces:
            sub_pieces.append(line.text)
        else:
            title_pieces.append(line.text)
    subtitle = tidy(join_lines(sub_pieces)) if sub_pieces else None
    return tidy(join_lines(title_pieces)), subtitle or None, [line.no for line in group.lines]


def lead_text(group: Group) -> str:
    return tidy(join_lines([line.text for line in group.lines]))


@dataclass(frozen=True)
class Match:
    """A headline or lead matched to a body, with its score and the best rejected alternative."""

    kind: str  # "title" | "lead"
    item: int  # index among the displaced headlines / leads
    target: int | None  # slot index (None: an article of its own)
    score: float
    runner_up: float  # best score of this item with another body (0 if none)
    runner_up_target: int | None
    lines: tuple[int, ...]
    margin: float = float("inf")  # what the assignment would lose by swapping with the runner-up


def _runner_up(scores: list[list[float]], cols: list[int | None], i: int) -> tuple[float, int | None, float]:
    """The best rejected body for item i, its score, and the margin of the chosen assignment over swapping
    item i with the item that body got (what the one-to-one assignment would lose by the swap)."""
    row, j = scores[i], cols[i]
    assert j is not None
    owner = {c: r for r, c in enumerate(cols) if c is not None}
    best: tuple[float, int | None, float] = (0.0, None, float("inf"))
    for jj, s in enumerate(row):
        if jj == j:
            continue
        other = owner.get(jj)
        margin = row[j] - s + ((scores[other][jj] - scores[other][j]) if other is not None else 0.0)
        if margin < best[2]:
            best = (s, jj, margin)
    return best


def assemble(bodies: list[Body], top_head: Group | None, top_lead: Group | None,
             heads: list[Group], leads: list[Group], *, pair: bool = True) -> tuple[list[Slot], list[Note]]:
    """The assembly rules alone on bodies and layout groups (for tests): slots and their notes."""
    from noticepub.parse import assemble_rules as ar
    from noticepub.parse.state import PageState

    state = PageState("", "", [], None, bodies=list(bodies), top_head=top_head, top_lead=top_lead,
                      heads=list(heads), leads=list(leads), pair_of=[None] * len(heads),
                      pair_scores=[0.0] * len(heads))
    steps = [ar.lead_pairing] if pair else []
    for step in steps + [ar.slots, ar.headline_matching, ar.lead_matching, ar.leftovers]:
        step(state)
    return state.slots, state.notes


PAIR_MIN = 0.3  # share of a headline's weight a lead must restate to go with it


def pair_leads(heads: list[str], leads: list[str]) -> tuple[list[int | None], list[float]]:
    """The displaced lead that restates each displaced headline (None if none does), and the pair scores."""
    if not heads or not leads:
        return [None] * len(heads), [0.0] * len(heads)
    scores = containment(heads, leads, absent=True)
    out: list[int | None] = []
    got: list[float] = []
    for h, j in enumerate(assign(scores)):
        ok = j is not None and scores[h][j] >= PAIR_MIN
        out.append(j if ok else None)
        got.append(scores[h][j] if j is not None else 0.0)
    return out, got


def _pair_spares(heads: list[str], leads: list[str]) -> list[tuple[int | None, int | None]]:
    if not heads:
        return [(None, i) for i in range(len(leads))]
    if not leads:
        return [(i, None) for i in range(len(heads))]
    scores = containment(heads, leads)
    out: list[tuple[int | None, int | None]] = []
    used: set[int] = set()
    for h, le in enumerate(assign(scores)):
        out.append((h, le))
        if le is not None:
            used.add(le)
    out += [(None, le) for le in range(len(leads)) if le not in used]
    return out
