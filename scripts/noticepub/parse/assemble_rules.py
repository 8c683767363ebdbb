"""Assembly rules: headlines and leads to bodies, the global split, the articles' slots.

Each rule is ``fn(state) -> None``; the assemble ruler runs them in order (pipeline.default_ruler).
"""

from __future__ import annotations

import collections
import re
from dataclasses import replace

from noticepub.model import Dropped, Role
from noticepub.parse.assemble import (
    COUNT_BONUS,
    Match,
    Note,
    Slot,
    _pair_spares,
    _runner_up,
    headline_text,
    lead_text,
    pair_leads,
)
from noticepub.parse.layout import Group, is_headline
from noticepub.parse.match import assign, containment, promised_counts
from noticepub.parse.reflow import NUMBERED_RE
from noticepub.parse.segment import Body, Start
from noticepub.parse.split import NONE, split_bodies
from noticepub.parse.state import PageState
from noticepub.parse.text import join_lines, tidy, two_part_kicker


def top_groups(state: PageState) -> tuple[Group | None, Group | None]:
    """The top headline (its ——subtitle groups merged in) and the lead under it."""
    tops = [g for g in state.groups if g.role == Role.TOP_HEADLINE]
    top_head = tops[0] if tops else None
    if top_head is not None and len(tops) > 1:
        top_head = Group(top_head.lines + [x for s in tops[1:] for x in s.lines], Role.TOP_HEADLINE, top_head.detail)
    top_lead = next((g for g in state.groups if g.role == Role.TOP_LEAD), None)
    return top_head, top_lead


def _merge_subtitles(heads: list[Group]) -> list[Group]:
    """A displaced 「——」 subtitle group belongs to the headline group just above it."""
    out: list[Group] = []
    for g in heads:
        if out and g.lines[0].text.startswith(("——", "—", "--")) and out[-1].lines[-1].no < g.lines[0].no:
            out[-1] = Group(out[-1].lines + g.lines, out[-1].role, out[-1].detail)
        else:
            out.append(g)
    return out


def headline_items(state: PageState) -> None:
    """the page's headline groups: the top one, the displaced ones (——subtitles merged), the leads"""
    state.top_head, state.top_lead = top_groups(state)
    state.heads = _merge_subtitles([g for g in state.groups if g.role == Role.HEADLINE])
    state.leads = [g for g in state.groups if g.role == Role.LEAD]
    state.pair_of = [None] * len(state.heads)
    state.pair_scores = [0.0] * len(state.heads)


def _free_bodies(state: PageState) -> list[int]:
    """Bodies that need a displaced headline: not continued, no headline of their own."""
    out = []
    for b, body in enumerate(state.bodies):
        s = body.start
        own = s is not None and (s.continued or (s.title is not None and bool(state.inplace_groups[s.title][0])))
        if not own and not (b == 0 and state.top_head is not None):
            out.append(b)
    return out


def _splittable(state: PageState, g: Group) -> list[Group] | None:
    """The lines of a displaced headline group as one-line headline groups, if each reads as a headline."""
    if len(g.lines) < 2 or any(x.text.startswith(("——", "—", "--")) for x in g.lines):
        return None
    parts = [Group([x], Role.HEADLINE, g.detail + "; one of several headlines printed without blank lines")
             for x in g.lines]
    return parts if all(is_headline(p, state.geo) for p in parts) else None


def headline_split(state: PageState) -> None:
    """displaced headlines printed on consecutive lines (no blank line between): one headline per line, when
    the page has more bodies without a headline than headlines and each line matches a different body"""
    free = _free_bodies(state)
    if len(free) <= len(state.heads):
        return
    split = {i: parts for i, g in enumerate(state.heads) if (parts := _splittable(state, g))}
    if not split:
        return
    docs = ["".join(p.text for p in state.bodies[b].paragraphs) for b in free]
    lines = [p.text for parts in split.values() for p in parts]
    rows = iter(containment(lines, docs))  # one call for every candidate line (linear in the page)
    out: list[Group] = []
    for i, g in enumerate(state.heads):
        parts = split.get(i)
        scores = [next(rows) for _ in parts] if parts else []
        best = [max(range(len(docs)), key=row.__getitem__) for row in scores]
        ok = parts and len(set(best)) == len(best) and all(row[j] > 0.3 for row, j in zip(scores, best, strict=True))
        if ok and len(free) > len(out) + len(state.heads) - i:
            out += parts
        else:
            out.append(g)
    state.heads = out
    state.pair_of = [None] * len(out)
    state.pair_scores = [0.0] * len(out)


def lead_pairing(state: PageState) -> None:
    """a displaced lead goes with the displaced headline it restates"""
    parts = [headline_text(g) for g in state.heads]
    state.paired = True
    state.pair_of, state.pair_scores = pair_leads([t + (s or "") for t, s, _ in parts],
                                                  [lead_text(g) for g in state.leads])


def _label_of(state: PageState, b: int, body: Body) -> int | None:
    """The label a body must start with (a new item for its own headline), NONE if continued, None if free."""
    start = body.start
    if start is not None and start.title is not None and state.inplace_groups[start.title][0]:
        hs, ld = state.inplace_groups[start.title]
        return _add_item(state, Group([x for g in hs for x in g.lines]), ld)
    if start is not None and start.continued:
        return NONE
    if b == 0 and state.top_head is not None:
        return _add_item(state, state.top_head, state.top_lead)
    return None


def _add_item(state: PageState, head: Group, lead: Group | None) -> int:
    t, s, _ = headline_text(head)
    state.items.append(t + (s or "") + (lead_text(lead) if lead else ""))
    state.labels.append(t)
    state.has_lead.append(lead is not None)
    return len(state.items) - 1


def article_labels(state: PageState) -> None:
    """what each body must start with: its own headline, nothing (continued), or a displaced headline"""
    lead_texts = [lead_text(g) for g in state.leads]
    for (t, s, _), p in zip([headline_text(g) for g in state.heads], state.pair_of, strict=True):
        state.items.append(t + (s or "") + (lead_texts[p] if p is not None else ""))
        state.labels.append(t)
        state.has_lead.append(p is not None)
    state.fixed = [_label_of(state, b, body) for b, body in enumerate(state.bodies)]


def global_split(state: PageState) -> None:
    """no attribution: split the body stream into as many articles as headlines (cohesion, openers; DP)"""
    extra = len(state.heads) - sum(1 for f in state.fixed if f is None)
    state.bodies, state.fixed, state.splits = split_bodies(state.bodies, state.fixed, state.items, state.labels,
                                                           extra, state.has_lead)


def orphan_headlines(state: PageState) -> None:
    """a headline printed in place whose body start was absorbed stays an article of its own (no text lost)"""
    used = {body.start.title for body in state.bodies if body.start is not None and body.start.title is not None}
    for t, _ in enumerate(state.inplace_groups):
        if t not in used:
            state.bodies.append(Body(start=Start("headline printed in place whose body was not found", title=t)))
            state.fixed.append(None)


def _closed(state: PageState) -> None:
    starts = [(b, body.start) for b, body in enumerate(state.bodies) if body.start is not None]
    state.closed = frozenset(b for b, s in starts if s.continued or (
        s.title is not None and bool(state.inplace_groups[s.title][0])))
    state.closed_leads = frozenset(b for b, s in starts if s.continued)


def _place(slot: Slot, k: int, head: Group | None, lead: Group | None, why: tuple[str, str, str]) -> list[Note]:
    """Put a headline and lead on a slot; why: (rule, title detail, lead detail)."""
    notes: list[Note] = []
    if head is not None:
        slot.title, slot.subtitle, slot.title_lines = headline_text(head)
        notes += [Note(n, k, "title", why[0] if why[0] != "lead" else "headline", why[1]) for n in slot.title_lines]
    if lead is not None:
        slot.lead, slot.lead_lines = lead_text(lead), [x.no for x in lead.lines]
        notes += [Note(n, k, "lead", why[0] if why[0] == "maintainer correction" else "lead", why[2])
                  for n in slot.lead_lines]
    return notes


def _demote_top(state: PageState) -> None:
    """A top headline above a continued text is a displaced one (its lead too); the pairs are made again."""
    state.heads = state.heads + [state.top_head]
    state.leads = state.leads + ([state.top_lead] if state.top_lead is not None else [])
    state.pair_of = state.pair_of + [None]
    state.pair_scores = state.pair_scores + [0.0]
    state.top_head = state.top_lead = None
    if state.paired:
        lead_pairing(state)


def _place_inplace(state: PageState, k: int, groups: list[Group], lead: Group | None) -> None:
    corrected = any(g.role == Role.CORRECTED for g in groups) or (lead is not None and lead.role == Role.CORRECTED)
    head = Group([x for g in groups for x in g.lines], Role.INPLACE_HEADLINE) if groups else None
    if corrected:
        why = ("maintainer correction", "maintainer correction (notice.yml)", "maintainer correction (notice.yml)")
    else:
        why = ("headline", (groups[0].detail if groups else "") or "headline printed in place above its body",
               "wide lead under a headline printed in place")
    state.notes += _place(state.slots[k], k, head, lead, why)


def slots(state: PageState) -> None:
    """one slot per body; headlines printed in place and the top headline put on theirs"""
    _closed(state)
    if state.top_head is not None and state.bodies and 0 in state.closed:
        _demote_top(state)
    state.slots = [Slot(b) for b in state.bodies] or [Slot(Body())]
    for k, body in enumerate(state.bodies):
        if body.start is not None and body.start.title is not None:
            _place_inplace(state, k, *state.inplace_groups[body.start.title])
    if 0 not in state.closed:
        state.notes += _place(state.slots[0], 0, state.top_head, state.top_lead,
                              ("headline", "headline on top of the page", "wide lead under the top headline"))


def _bonus(scores: list[list[float]], leads: list[int | None], lead_texts: list[str], open_slots: list[int],
           slots_: list[Slot]) -> None:
    """「开展7项暖心服务」 and a body of seven items."""
    for i, le in enumerate(leads):
        promised = promised_counts(lead_texts[le]) if le is not None else set()
        for j, k in enumerate(open_slots):
            if len(slots_[k].body.paragraphs) in promised:
                scores[i][j] += COUNT_BONUS


def _alt(open_slots: list[int], ru: float, rj: int | None) -> str:
    return f"; runner-up article {open_slots[rj] + 1} with {ru:.2f}" if rj is not None else "; no other candidate"


def _take_headline(state: PageState, i: int, k: int, scores: list[list[float]], cols: list[int | None],
                   open_slots: list[int]) -> None:
    """Displaced headline i (and the lead it pairs with) goes to slot k."""
    slot, j = state.slots[k], cols[i]
    assert j is not None
    parts = headline_text(state.heads[i])
    state.used_heads.add(i)
    slot.title, slot.subtitle, slot.title_lines = parts
    ru, rj, margin = _runner_up(scores, cols, i)
    other = None if rj is None else open_slots[rj]
    state.matches.append(Match("title", i, k, scores[i][j], ru, other, tuple(slot.title_lines), margin))
    state.notes += [Note(n, k, "title", "headline", f"headline matched to article {k + 1} with score "
                         f"{scores[i][j]:.2f}{_alt(open_slots, ru, rj)}") for n in slot.title_lines]
    le = state.pair_of[i]
    if le is None or slot.lead is not None:
        return
    state.used_leads.add(le)
    slot.lead, slot.lead_lines = lead_text(state.leads[le]), [x.no for x in state.leads[le].lines]
    state.matches.append(Match("lead", le, k, scores[i][j], ru, other, tuple(slot.lead_lines), margin))
    state.notes += [Note(n, k, "lead", "lead", f"lead matched to article {k + 1} with score {scores[i][j]:.2f}, "
                         f"with the headline it restates (pair score {state.pair_scores[i]:.2f})"
                         f"{_alt(open_slots, ru, rj)}") for n in slot.lead_lines]


def headline_matching(state: PageState) -> None:
    """displaced headlines (with the lead restating them) go to bodies by n-gram containment (Hungarian)"""
    slots_ = state.slots
    lead_texts = [lead_text(g) for g in state.leads]
    parts = [headline_text(g) for g in state.heads]
    open_slots = [k for k, s in enumerate(slots_) if s.title is None and k not in state.closed]
    if not open_slots or not parts:
        return
    docs = [slots_[k].body_text + (slots_[k].lead or "") for k in open_slots]
    items = [t + (s or "") + (lead_texts[state.pair_of[i]] if state.pair_of[i] is not None else "")
             for i, (t, s, _) in enumerate(parts)]
    scores = containment(items, docs)
    _bonus(scores, state.pair_of, lead_texts, open_slots, slots_)
    cols = assign(scores)
    for i, j in enumerate(cols):
        if j is not None:
            _take_headline(state, i, open_slots[j], scores, cols, open_slots)


def lead_matching(state: PageState) -> None:
    """displaced leads without a headline of their own go to bodies by n-gram containment"""
    slots_ = state.slots
    lead_texts = [lead_text(g) for g in state.leads]
    rest = [i for i in range(len(state.leads)) if i not in state.used_leads]
    open_slots = [k for k, s in enumerate(slots_) if s.lead is None and k not in state.closed_leads]
    if not open_slots or not rest:
        return
    docs = [(slots_[k].title or "") + (slots_[k].subtitle or "") + slots_[k].body_text for k in open_slots]
    scores = containment([lead_texts[i] for i in rest], docs)
    _bonus(scores, list(rest), lead_texts, open_slots, slots_)
    cols = assign(scores)
    for r, j in enumerate(cols):
        i = rest[r]
        if j is None or scores[r][j] <= 0:
            continue
        k = open_slots[j]
        state.used_leads.add(i)
        slots_[k].lead, slots_[k].lead_lines = lead_texts[i], [x.no for x in state.leads[i].lines]
        ru, rj, margin = _runner_up(scores, cols, r)
        state.matches.append(Match("lead", i, k, scores[r][j], ru, None if rj is None else open_slots[rj],
                                   tuple(slots_[k].lead_lines), margin))
        state.notes += [Note(n, k, "lead", "lead", f"lead matched to article {k + 1} with score {scores[r][j]:.2f}"
                             f"{_alt(open_slots, ru, rj)}") for n in slots_[k].lead_lines]


def leftovers(state: PageState) -> None:
    """a headline (and lead) whose body is not on this page: an article of its own, no paragraphs"""
    parts = [headline_text(g) for g in state.heads]
    lead_texts = [lead_text(g) for g in state.leads]
    spare_heads = [i for i in range(len(state.heads)) if i not in state.used_heads]
    spare_leads = [i for i in range(len(state.leads)) if i not in state.used_leads]
    for h, le in _pair_spares([parts[i][0] for i in spare_heads], [lead_texts[i] for i in spare_leads]):
        slot = Slot(Body())
        k = len(state.slots)
        why = "no body on this page: an article of its own"
        if h is not None:
            slot.title, slot.subtitle, slot.title_lines = parts[spare_heads[h]]
            state.notes += [Note(n, k, "title", "headline", why) for n in slot.title_lines]
        if le is not None:
            slot.lead, slot.lead_lines = lead_texts[spare_leads[le]], [x.no for x in state.leads[spare_leads[le]].lines]
            state.notes += [Note(n, k, "lead", "lead", why) for n in slot.lead_lines]
        state.slots.append(slot)


def untitled_first(state: PageState) -> None:
    """the page's first article has no headline while the others have one: continued from another page"""
    first = state.slots[0] if state.slots else None
    if first is not None and not first.title and first.body.paragraphs and first.body.start is None \
            and any(x.title for x in state.slots[1:]):
        first.body.start = Start("the page's first article has no headline while the others have one: continued",
                                 continued=True)


def empty_articles(state: PageState) -> None:
    """a slot with no headline, lead, paragraph or attribution is no article (a page of furniture only)"""
    state.slots = [s for s in state.slots if s.title or s.lead or s.body.paragraphs or s.body.attribution]


def _slot_below(state: PageState, no: int, lines_of) -> int | None:  # noqa: ANN001 - a slot -> its lines
    best: tuple[int, int] | None = None
    for k, slot in enumerate(state.slots):
        after = [x for x in lines_of(slot) if x > no]
        if after and (best is None or min(after) < best[0]):
            best = (min(after), k)
    return None if best is None else best[1]


def bylines_and_kickers(state: PageState) -> None:
    """a byline goes to the article whose body follows it; a kicker to the headline below it"""
    for g in state.groups:
        if g.role not in (Role.BYLINE, Role.KICKER):
            continue
        no = g.lines[-1].no
        if g.role == Role.BYLINE:
            k = _slot_below(state, no, lambda s: s.body.lines)
            field = "byline"
        else:
            k = _slot_below(state, no, lambda s: s.title_lines)
            field = "kicker"
        if field == "byline":
            text = " ".join(x.text for x in g.lines)
        elif len(g.lines) == 1 and two_part_kicker(g.lines[0].text):  # the space between its two phrases stays
            text = " ".join(tidy(part) for part in g.lines[0].text.split())
        else:
            text = tidy(join_lines([x.text for x in g.lines]))
        if k is None or getattr(state.slots[k], field) is not None:
            state.dropped.append(Dropped(text, f"{field} with no article below it", no))
            continue
        setattr(state.slots[k], field, text)
        state.slots[k].extra_lines += [x.no for x in g.lines]
        state.notes += [Note(x.no, k, field, field, g.detail) for x in g.lines]


SPEAKER_RE = re.compile(r"(问|答|记者|主持人|[\u4e00-\u9fff]{2,4})[：:]")
QA = {"问：", "答："}


def interview_turns(state: PageState) -> None:
    """问：/答：, 记者：/王建国： opening paragraphs in turn: an interview, the label of each turn its speaker"""
    for slot in state.slots:
        found = [(i, m.group(0).replace(":", "：")) for i, p in enumerate(slot.body.paragraphs)
                 if not p.heading and p.table is None and (m := SPEAKER_RE.match(p.text.lstrip()))]
        labels = collections.Counter(label for _, label in found)
        qa = len(QA & set(labels)) >= 2
        named = len(labels) >= 2 and sum(1 for n in labels.values() if n >= 2) >= 2
        if qa or named:
            slot.speakers = [(i, label) for i, label in found if qa and label in QA or named and labels[label] >= 2]


def _corrected_subtitles(state: PageState) -> None:
    from noticepub.parse.corrections import role_runs

    for role, nos in role_runs(state.corr) if state.corr is not None else ():
        if role != "subtitle":
            continue
        above = [(max(s.title_lines), k) for k, s in enumerate(state.slots) if s.title_lines and max(s.title_lines) < nos[0]]
        text = tidy(join_lines([state.raw_lines[no - 1].text for no in nos]))
        if not above:
            state.dropped.append(Dropped(text, "subtitle with no headline above it", nos[0]))
            continue
        slot = state.slots[max(above)[1]]
        bare = text.lstrip("—－-– ")
        if bare != text:
            state.dropped.append(Dropped(text[:len(text) - len(bare)], "dash before the subtitle", nos[0]))
        slot.subtitle = (slot.subtitle or "") + bare
        slot.extra_lines += list(nos)


def _corrected_attributions(state: PageState) -> None:
    for no in sorted(no for no, role in state.roles.items() if role == "attribution"):
        for slot in state.slots:
            parts = [p for p in slot.body.paragraphs if no in p.lines]
            if not parts or slot.body.attribution is not None:
                continue
            part = parts[0]
            text = tidy(part.text)
            name = re.sub(r"^[（(]\s*据?|[）)]\s*$", "", text).strip()
            slot.body.paragraphs.remove(part)
            slot.body.attribution, slot.body.attribution_lines = name, list(part.lines)
            slot.body.wrapper = text.replace(name, "", 1)
            break


def corrected_roles(state: PageState) -> None:
    """notice.yml corrections.roles: a subtitle goes under the headline above it; an attribution line ends
    its article (its text, without （据 ）, the attribution)"""
    _corrected_subtitles(state)
    _corrected_attributions(state)


LONE_WHY = ("an article's only sub-heading, deep in its text: the headline of the next article printed in place "
            "| rejected: sub-heading")
ONLY_WHY = ("the page's only article held these short lines, each a near-miss headline in place: a page holds "
            "several articles, so each starts one | rejected: sub-headings of one article")


def _promotable(state: PageState, slot: Slot) -> tuple[list[int], str]:
    """The sub-headings of ``slot`` that start articles of their own, and why (or [] and "")."""
    parts = slot.body.paragraphs
    heads = [i for i, p in enumerate(parts) if p.heading]
    if slot.body.start is not None and slot.body.start.continued and not slot.title:
        return [], ""
    if len(heads) == 1 and 1 < heads[0] < len(parts) - 1:
        return heads, LONE_WHY
    if len(state.slots) == 1 and len(heads) >= 2 and heads[-1] < len(parts) - 1:
        score = {g.lines[0].no: g.score for g in state.groups if g.score is not None}
        if all(not NUMBERED_RE.match(parts[i].text) and score.get(parts[i].lines[0], -9) >= 0
               and i > 0 and not parts[i + 1].heading for i in heads):
            return heads, ONLY_WHY
    return [], ""


def lone_sub_heading(state: PageState) -> None:
    """an article's only sub-heading deep in its text (after its second paragraph, before its last) is the
    headline of the next article printed in place: sub-headings come in series, and one after the first
    paragraph often opens a section. On a page that would hold one article only, every unnumbered
    sub-heading that was a near-miss headline in place (evidence score >= 0) starts an article."""
    out: list[Slot] = []
    for slot in state.slots:
        heads, why = _promotable(state, slot)
        if not heads:
            out.append(slot)
            continue
        parts, whole = slot.body.paragraphs, slot.body
        bounds = [*heads, len(parts)]
        slot.body = replace(whole, paragraphs=parts[:heads[0]], attribution=None, attribution_lines=[], jumped=False)
        out.append(slot)
        for k, i in enumerate(heads):
            last = k == len(heads) - 1  # the attribution and a jump line end the last of them
            body = Body(parts[i + 1:bounds[k + 1]], whole.attribution if last else None,
                        list(whole.attribution_lines) if last else [], jumped=whole.jumped if last else False)
            out.append(Slot(body, title=tidy(parts[i].text), title_lines=list(parts[i].lines)))
            state.promoted.add(parts[i].lines[0])
            state.notes += [Note(n, -1, "title", "headline", why) for n in parts[i].lines]
    if len(out) != len(state.slots):
        at = {id(x): j for j, x in enumerate(out)}
        moved = {k: at[id(x)] for k, x in enumerate(state.slots)}
        state.notes = [replace(n, target=moved[n.target]) if n.target >= 0 else
                       replace(n, target=next(j for j, x in enumerate(out) if n.line in x.title_lines))
                       for n in state.notes]
        state.slots = out
