"""Checks: rules that look at the finished articles and warn where the parse may be wrong.

Each check is ``fn(state) -> None`` appending ParseWarnings that name the article they concern; the
checks ruler runs them after assembly (pipeline.default_ruler).
"""

from __future__ import annotations

from noticepub.model import ParseWarning
from noticepub.parse.furniture import furniture_like
from noticepub.parse.openers import strong_opener
from noticepub.parse.state import PageState

WEAK_SCORE = 0.2  # a headline or lead matched with less than this share of its weight is doubtful
WEAK_MARGIN = 0.05  # ... or when swapping it with the runner-up would cost the assignment less than this


def no_paragraphs(state: PageState) -> None:
    """an article with no paragraphs on this page"""
    for a in state.articles:
        if not a.paragraphs:
            state.warnings.append(ParseWarning(
                "no-paragraphs", a.id, a.lines, f"article {a.id} 「{a.title or a.lead or ''}」 has no paragraphs on "
                "this page (its body may be on another page, or a split was missed)"))


def untitled(state: PageState) -> None:
    """an article without a headline that is not continued from another page"""
    for a in state.articles:
        if not a.title and not a.continued and a.paragraphs:
            state.warnings.append(ParseWarning("untitled", a.id, a.lines, f"article {a.id} has no headline and is "
                                               "not marked as continued from another page"))


def second_opener(state: PageState) -> None:
    """a story opener (本报讯, 新华社…电) inside an article: a missed boundary?"""
    for a, slot in zip(state.articles, state.slots, strict=True):
        for i, part in enumerate(slot.body.paragraphs):
            if i > 0 and not part.heading and strong_opener(part.text):
                state.warnings.append(ParseWarning(
                    "second-opener", a.id, tuple(part.lines), f"article {a.id} holds a second story opener at line "
                    f"{part.lines[0]}: 「{part.text[:12]}…」 (a missed article boundary?)"))


def furniture_in_title(state: PageState) -> None:
    """a title or subtitle that looks like page furniture"""
    for a, slot in zip(state.articles, state.slots, strict=True):
        for text in (a.title, a.subtitle or ""):
            why = furniture_like(text) if text else None
            if why:
                state.warnings.append(ParseWarning("furniture-in-title", a.id, tuple(slot.title_lines),
                                                   f"article {a.id} title 「{text}」 looks like page furniture: {why}"))


def weak_match(state: PageState) -> None:
    """a displaced headline or lead matched with a low score or a small margin over the runner-up"""
    for m in state.matches:
        if m.target is None:
            continue
        if m.score < WEAK_SCORE or (m.runner_up_target is not None and m.margin < WEAK_MARGIN):
            aid = f"a{m.target + 1}"
            alt = (f", runner-up article a{m.runner_up_target + 1} {m.runner_up:.2f} (margin {m.margin:.2f})"
                   if m.runner_up_target is not None else "")
            evidence = [("chosen", f"{aid} {m.score:.2f}")]
            if m.runner_up_target is not None:
                evidence += [("rejected", f"a{m.runner_up_target + 1} {m.runner_up:.2f}"), ("margin", f"{m.margin:.2f}")]
            state.warnings.append(ParseWarning(
                "weak-match", aid, m.lines, f"{'headline' if m.kind == 'title' else 'lead'} at line {m.lines[0]} "
                f"matched to {aid} with score {m.score:.2f}{alt}", tuple(evidence)))
