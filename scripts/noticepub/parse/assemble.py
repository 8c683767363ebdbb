"""Assemble: attach the top headline, and match displaced headlines and leads to their bodies.

Leads are matched first (long texts, strong signal), by idf-weighted n-gram containment and an
optimal one-to-one assignment (Hungarian); headlines are then matched against body + lead. Displaced
items left over (more headlines than bodies: the body is on another page) become articles of their
own with no paragraphs, so no text is lost. Articles keep the order of their bodies on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from noticepub.model import Role
from noticepub.parse.layout import Group
from noticepub.parse.match import assign, containment, promised_counts
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
             heads: list[Group], leads: list[Group], *,
             inplace: dict[int, tuple[list[Group], Group | None]] | None = None,
             closed: frozenset[int] = frozenset(), closed_leads: frozenset[int] | None = None,
             matches: list[Match] | None = None, pair: bool = True) -> tuple[list[Slot], list[Note]]:
    """``inplace``: body index -> (headline groups printed in place, their lead); ``closed``: bodies that
    take no displaced headline (``closed_leads``: no displaced lead; default ``closed``). ``matches``
    collects every match."""
    slots = [Slot(b) for b in bodies] or [Slot(Body())]
    notes: list[Note] = []
    found: list[Match] = [] if matches is None else matches
    for k, (groups, lead) in (inplace or {}).items():
        corrected = any(g.role == Role.CORRECTED for g in groups) or (lead is not None and lead.role == Role.CORRECTED)
        if groups:
            merged = Group([x for g in groups for x in g.lines], Role.INPLACE_HEADLINE)
            slots[k].title, slots[k].subtitle, slots[k].title_lines = headline_text(merged)
            why = "maintainer correction (notice.yml)" if corrected else (
                groups[0].detail or "headline printed in place above its body")
            notes += [Note(n, k, "title", "maintainer correction" if corrected else "headline", why)
                      for n in slots[k].title_lines]
        if lead is not None:
            slots[k].lead, slots[k].lead_lines = lead_text(lead), [x.no for x in lead.lines]
            why = "maintainer correction (notice.yml)" if corrected else "wide lead under a headline printed in place"
            notes += [Note(n, k, "lead", "maintainer correction" if corrected else "lead", why)
                      for n in slots[k].lead_lines]
    if top_head is not None and 0 not in closed:
        slots[0].title, slots[0].subtitle, slots[0].title_lines = headline_text(top_head)
        notes += [Note(n, 0, "title", "headline", "headline on top of the page") for n in slots[0].title_lines]
    if top_lead is not None and 0 not in closed:
        slots[0].lead, slots[0].lead_lines = lead_text(top_lead), [x.no for x in top_lead.lines]
        notes += [Note(n, 0, "lead", "lead", "wide lead under the top headline") for n in slots[0].lead_lines]

    lead_texts = [lead_text(g) for g in leads]
    head_parts = [headline_text(g) for g in heads]
    pair_of, pair_scores = pair_leads([t + (s or "") for t, s, _ in head_parts], lead_texts) if pair else (
        [None] * len(head_parts), [0.0] * len(head_parts))

    # headlines (with the lead that restates them) -> bodies
    open_slots = [k for k, s in enumerate(slots) if s.title is None and k not in closed]
    docs = [slots[k].body_text + (slots[k].lead or "") for k in open_slots]
    items = [t + (s or "") + (lead_texts[pair_of[i]] if pair_of[i] is not None else "")
             for i, (t, s, _) in enumerate(head_parts)]
    scores = containment(items, docs) if open_slots else []
    for i, le in enumerate(pair_of):  # "开展7项暖心服务" and a body of seven items
        promised = promised_counts(lead_texts[le]) if le is not None else set()
        for j, k in enumerate(open_slots):
            if len(slots[k].body.paragraphs) in promised:
                scores[i][j] += COUNT_BONUS
    spare_heads: list[int] = []
    used_leads: set[int] = set()
    cols = assign(scores) if scores else [None] * len(heads)
    for i, j in enumerate(cols):
        if j is None:
            spare_heads.append(i)
            continue
        k = open_slots[j]
        slots[k].title, slots[k].subtitle, slots[k].title_lines = head_parts[i]
        ru, rj, margin = _runner_up(scores, cols, i)
        alt = f"; runner-up article {open_slots[rj] + 1} with {ru:.2f}" if rj is not None else "; no other candidate"
        found.append(Match("title", i, k, scores[i][j], ru, None if rj is None else open_slots[rj],
                           tuple(slots[k].title_lines), margin))
        notes += [Note(n, k, "title", "headline",
                       f"headline matched to article {k + 1} with score {scores[i][j]:.2f}{alt}")
                  for n in slots[k].title_lines]
        le = pair_of[i]
        if le is not None and slots[k].lead is None:
            used_leads.add(le)
            slots[k].lead, slots[k].lead_lines = lead_texts[le], [x.no for x in leads[le].lines]
            found.append(Match("lead", le, k, scores[i][j], ru, None if rj is None else open_slots[rj],
                               tuple(slots[k].lead_lines), margin))
            notes += [Note(n, k, "lead", "lead", f"lead matched to article {k + 1} with score {scores[i][j]:.2f}, "
                           f"with the headline it restates (pair score {pair_scores[i]:.2f}){alt}")
                      for n in slots[k].lead_lines]

    # leads without a headline of their own -> bodies
    rest = [i for i in range(len(leads)) if i not in used_leads]
    no_lead = closed if closed_leads is None else closed_leads
    open_slots = [k for k, s in enumerate(slots) if s.lead is None and k not in no_lead]
    docs = [(slots[k].title or "") + (slots[k].subtitle or "") + slots[k].body_text for k in open_slots]
    scores = containment([lead_texts[i] for i in rest], docs) if open_slots else []
    for r, i in enumerate(rest):
        promised = promised_counts(lead_texts[i])
        for j, k in enumerate(open_slots):
            if len(slots[k].body.paragraphs) in promised:
                scores[r][j] += COUNT_BONUS
    spare_leads: list[int] = []
    cols = assign(scores) if scores else [None] * len(rest)
    for r, j in enumerate(cols):
        i = rest[r]
        if j is None or scores[r][j] <= 0:
            spare_leads.append(i)
            continue
        k = open_slots[j]
        slots[k].lead, slots[k].lead_lines = lead_texts[i], [x.no for x in leads[i].lines]
        ru, rj, margin = _runner_up(scores, cols, r)
        alt = f"; runner-up article {open_slots[rj] + 1} with {ru:.2f}" if rj is not None else "; no other candidate"
        found.append(Match("lead", i, k, scores[r][j], ru, None if rj is None else open_slots[rj],
                           tuple(slots[k].lead_lines), margin))
        notes += [Note(n, k, "lead", "lead", f"lead matched to article {k + 1} with score {scores[r][j]:.2f}{alt}")
                  for n in slots[k].lead_lines]

    # leftovers: a headline (and lead) whose body is not on this page
    pairs = _pair_spares([head_parts[i][0] for i in spare_heads], [lead_texts[i] for i in spare_leads])
    for h, le in pairs:
        slot = Slot(Body())
        k = len(slots)
        if h is not None:
            slot.title, slot.subtitle, slot.title_lines = head_parts[spare_heads[h]]
            notes += [Note(n, k, "title", "headline", "no body on this page: an article of its own")
                      for n in slot.title_lines]
        if le is not None:
            slot.lead, slot.lead_lines = lead_texts[spare_leads[le]], [x.no for x in leads[spare_leads[le]].lines]
            notes += [Note(n, k, "lead", "lead", "no body on this page: an article of its own") for n in slot.lead_lines]
        slots.append(slot)
    return slots, notes


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
