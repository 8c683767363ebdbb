"""The one typed state every parser rule reads and writes (markdown-it-py's StateBlock, for a page).

A rule is ``fn(state) -> None``; rulers run their rules in order over the same state (see
pipeline.parse_page). Fields are grouped by the stage that fills them; a field is empty until the rule
that fills it has run, so a rule switched off leaves its field empty and the later rules go on without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from noticepub.errors import InputError
from noticepub.model import Corrections, Dropped, ParseWarning
from noticepub.parse.assemble import Match, Note, Slot
from noticepub.parse.furniture import Hit, load_furniture
from noticepub.parse.layout import Geometry, Group, Line, read_lines
from noticepub.parse.reflow import LineVerdict, Paragraph
from noticepub.parse.segment import Body, Start
from noticepub.parse.split import SplitChoice

StreamItem = tuple[Line, bool, tuple[int, ...]]  # a body line, a gap before it, the blank lines before it


@dataclass
class PageState:
    """Everything known about one page while it is parsed."""

    source: str
    text: str  # the page, newlines normalised
    raw_lines: list[Line]
    rules: object  # the ParseRules that run (the reflow step reads its joint ruler)
    corr: Corrections | None = None
    held: dict[int, str] = field(default_factory=dict)  # corrected headline/lead lines -> "headline"|"lead"
    roles: dict[int, str] = field(default_factory=dict)  # corrections.roles: line -> role name
    furniture: object = field(default_factory=load_furniture)
    # layout
    hits: dict[int, Hit] = field(default_factory=dict)  # whole-line furniture and captions, by line
    glued: dict[int, Hit] = field(default_factory=dict)  # jump lines glued to a text line
    auto_hits: list[Hit] | None = None  # the furniture found before corrections (when there are corrections)
    geo: Geometry = field(default_factory=Geometry)
    lines: list[Line] = field(default_factory=list)  # measured, furniture read as blank
    jump_after: frozenset[int] = frozenset()
    ends_after: set[int] = field(default_factory=set)  # body lines an article ends after (a byline below)
    cont: dict[int, str | None] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    tables: dict[int, int] = field(default_factory=dict)  # line -> its table's index; -1: a table's title/unit line
    tight: set[int] = field(default_factory=set)  # lines of headlines printed right above their paragraph (briefs)
    tail: int | None = None  # index (among non-furniture groups) where displaced headlines and leads begin
    # segmentation
    role_of: dict[int, Group] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)
    stream: list[StreamItem] = field(default_factory=list)
    inplace_groups: list[tuple[list[Group], Group | None]] = field(default_factory=list)
    starts: dict[int, Start] = field(default_factory=dict)
    boundaries: dict[int, str] = field(default_factory=dict)
    forced: dict[int, tuple[str, str]] = field(default_factory=dict)
    headings: frozenset[int] = frozenset()
    paragraphs: list[Paragraph] = field(default_factory=list)
    verdicts: list[LineVerdict] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    # assembly
    top_head: Group | None = None
    top_lead: Group | None = None
    heads: list[Group] = field(default_factory=list)
    leads: list[Group] = field(default_factory=list)
    pair_of: list[int | None] = field(default_factory=list)  # displaced headline -> the lead restating it
    pair_scores: list[float] = field(default_factory=list)
    paired: bool = False  # the lead pairing rule ran
    fixed: list[int | None] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    has_lead: list[bool] = field(default_factory=list)
    splits: list[SplitChoice] = field(default_factory=list)
    closed: frozenset[int] = frozenset()
    closed_leads: frozenset[int] = frozenset()
    slots: list[Slot] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    used_heads: set[int] = field(default_factory=set)
    promoted: set[int] = field(default_factory=set)  # first lines of sub-headings made headlines (lone sub-heading)
    used_leads: set[int] = field(default_factory=set)
    # checks
    articles: list = field(default_factory=list)  # the Articles, built after assembly
    warnings: list[ParseWarning] = field(default_factory=list)
    aid_of: dict[int, str] | None = None  # raw line -> article id (checks build it once)

    @classmethod
    def start(cls, text: str, source: str, rules: object, corr: Corrections | None) -> PageState:
        from noticepub.parse.corrections import check_lines

        text = text.replace("\r\n", "\n").replace("\r", "\n")
        raw_lines = read_lines(text)
        state = cls(source, text, raw_lines, rules, corr if corr else None)
        if state.corr is not None:
            from noticepub.parse.corrections import expand_roles

            check_lines(state.corr, [x.raw for x in raw_lines])
            c = state.corr = expand_roles(state.corr, [x.raw for x in raw_lines])
            state.held = {no: kind for kind, mapping in (("headline", c.headlines), ("lead", c.leads))
                          for _, nos in mapping for no in nos}
            state.roles = dict(c.roles)
            state.held.update({no: role for no, role in c.roles if role in ("kicker", "byline", "subtitle")})
        return state

    def body_nos(self) -> list[int]:
        return [x[0].no for x in self.stream]

    def order(self) -> list[int]:
        """Indexes of the groups that are not furniture, bylines or kickers."""
        from noticepub.model import Role

        return [i for i, g in enumerate(self.groups) if g.role not in (Role.FURNITURE, Role.BYLINE, Role.KICKER)]

    def refuse(self, problem: str) -> None:
        assert self.corr is not None
        raise InputError(self.corr.source, problem)
