"""Maintainer corrections to a parse, written in notice.yml (key `corrections`); line numbers are raw.txt's.

    corrections:
      furniture: [12, 13-15]        # these lines are page furniture
      article_starts: [88]          # an article's body starts at line 88
      headlines: {88: [3-4]}        # lines 3-4 are the headline of the article whose body starts at 88
      leads: {88: [5-7]}            # lines 5-7 are its lead
      join: [[40, 42]]              # the blocks at lines 40 and 42 are one paragraph
      split: [57]                   # a new paragraph starts at line 57

A line list holds numbers and ranges ("13-15"). The schema is checked here (SCHEMA documents it);
`check_lines` checks the numbers against the page (line exists and holds text, no line corrected twice).
Errors are one line naming notice.yml and the key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from noticepub.errors import InputError
from noticepub.model import Corrections

SCHEMA: dict[str, str] = {
    "furniture": "a list of raw.txt lines (numbers or ranges like 13-15) that are page furniture",
    "article_starts": "a list of raw.txt lines where an article's body starts",
    "headlines": "a mapping from an article's first body line to the lines of its headline, e.g. {88: [3-4]}",
    "leads": "a mapping from an article's first body line to the lines of its lead, e.g. {88: [5-7]}",
    "join": "a list of line pairs [a, b] whose blocks are one paragraph, e.g. [[40, 42]]",
    "split": "a list of raw.txt lines where a new paragraph starts",
    "roles": "a mapping from a raw.txt line or range (\"12\", \"13-14\") to a role: kicker, headline, subtitle, "
             "byline, lead, body, subheading, table, attribution or furniture",
}
ROLES = ("kicker", "headline", "subtitle", "byline", "lead", "body", "subheading", "table", "attribution", "furniture")
RANGE_RE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")
# no page has this many lines (a 4 MB page of 30-character lines has ~45,000): a line number or range
# beyond it is refused before anything is expanded; check_lines then checks against the page itself
MAX_LINE = 200_000


def _lines(value: Any, key: str, path: Path | str) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    out: list[int] = []
    for item in items:
        if isinstance(item, bool):
            raise InputError(path, f"key 'corrections.{key}' must be {SCHEMA[key.split('.')[0]]} (got {item!r})")
        if isinstance(item, int):
            out.append(_bounded(item, key, path))
            continue
        text = str(item).strip()[:40]
        if text.isdigit():
            out.append(_bounded(int(text), key, path))
            continue
        m = RANGE_RE.match(text)
        if not m or int(m.group(1)) > int(m.group(2)):
            raise InputError(path, f"key 'corrections.{key}' must be {SCHEMA[key.split('.')[0]]} (got {text!r})")
        out += range(int(m.group(1)), _bounded(int(m.group(2)), key, path) + 1)
    if any(n < 1 for n in out):
        raise InputError(path, f"key 'corrections.{key}': line numbers start at 1")
    return tuple(sorted(set(out)))


def _bounded(no: int, key: str, path: Path | str) -> int:
    if no > MAX_LINE:
        raise InputError(path, f"key 'corrections.{key}': line {no} is past the end of any page "
                               f"(at most {MAX_LINE:,} lines)")
    return no


def _mapping(value: Any, key: str, path: Path | str) -> tuple[tuple[int, tuple[int, ...]], ...]:
    if not isinstance(value, dict):
        raise InputError(path, f"key 'corrections.{key}' must be {SCHEMA[key]}")
    out = []
    for start, lines in value.items():
        if isinstance(start, bool) or not isinstance(start, int):
            raise InputError(path, f"key 'corrections.{key}' has {start!r}, which is not a line number")
        out.append((start, _lines(lines, f"{key}.{start}", path)))
    return tuple(sorted(out))


def _roles(value: Any, path: Path | str) -> tuple[tuple[int, str], ...]:
    if not isinstance(value, dict):
        raise InputError(path, f"key 'corrections.roles' must be {SCHEMA['roles']}")
    out: dict[int, str] = {}
    for key, role in value.items():
        if not isinstance(role, str) or role not in ROLES:
            raise InputError(path, f"key 'corrections.roles' has {str(role)[:40]!r} for {str(key)[:40]!r}; "
                                   f"a role is one of: {', '.join(ROLES)}")
        for no in _lines(key, "roles", path):
            if no in out and out[no] != role:
                raise InputError(path, f"key 'corrections.roles': line {no} is both {out[no]} and {role}")
            out[no] = role
    return tuple(sorted(out.items()))


def parse_corrections(raw: Any, path: Path | str) -> Corrections:
    """Validate the `corrections` value of notice.yml (raises InputError naming the key)."""
    if raw is None:
        return Corrections(source=str(path))
    if not isinstance(raw, dict):
        raise InputError(path, f"key 'corrections' must be a mapping with keys {', '.join(SCHEMA)}")
    unknown = sorted(str(k) for k in raw if k not in SCHEMA)
    if unknown:
        raise InputError(path, f"unknown key 'corrections.{unknown[0]}'; allowed keys are: {', '.join(SCHEMA)}")
    join = []
    for pair in raw.get("join") or []:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, int) and not isinstance(x, bool)
                                                                 for x in pair)) or pair[0] >= pair[1]:
            raise InputError(path, f"key 'corrections.join' must be {SCHEMA['join']} (got {pair!r})")
        join.append((pair[0], pair[1]))
    return Corrections(
        furniture=_lines(raw.get("furniture") or [], "furniture", path),
        article_starts=_lines(raw.get("article_starts") or [], "article_starts", path),
        headlines=_mapping(raw.get("headlines") or {}, "headlines", path),
        leads=_mapping(raw.get("leads") or {}, "leads", path),
        join=tuple(sorted(join)),
        split=_lines(raw.get("split") or [], "split", path),
        source=str(path),
        roles=_roles(raw.get("roles") or {}, path),
    )


def starts(c: Corrections) -> tuple[int, ...]:
    """Every line where a corrected article starts (explicit, or named by a headline or lead)."""
    return tuple(sorted(set(c.article_starts) | {n for n, _ in c.headlines} | {n for n, _ in c.leads}))


def _check_last(c: Corrections, n: int) -> None:
    """The last line each key names exists (checked before any line is looked at)."""
    named = [(key, max(nos)) for key, nos in (("furniture", c.furniture), ("article_starts", starts(c)),
                                               ("split", c.split), ("join", [x for p in c.join for x in p]),
                                               ("headlines", [x for _, v in c.headlines for x in v]),
                                               ("leads", [x for _, v in c.leads for x in v]),
                                               ("roles", [no for no, _ in c.roles])) if nos]
    for key, last in named:
        if last > n:
            raise InputError(c.source, f"key 'corrections.{key}': line {last} does not exist (raw.txt has {n} lines)")


def check_lines(c: Corrections, texts: list[str]) -> None:
    """Line numbers exist and hold text; no line is corrected twice as different things."""
    n = len(texts)
    owner: dict[int, str] = {}
    _check_last(c, n)

    def claim(no: int, key: str) -> None:
        if no > n:
            raise InputError(c.source, f"key 'corrections.{key}': line {no} does not exist (raw.txt has {n} lines)")
        if not texts[no - 1].strip():
            raise InputError(c.source, f"key 'corrections.{key}': line {no} is blank")
        if no in owner and owner[no] != key:
            raise InputError(c.source, f"key 'corrections.{key}': line {no} is also in 'corrections.{owner[no]}'")
        owner[no] = key

    for no in c.furniture:
        claim(no, "furniture")
    for no, _role in c.roles:
        claim(no, "roles")
    for start, lines in c.headlines:
        for no in lines:
            claim(no, f"headlines.{start}")
    for start, lines in c.leads:
        for no in lines:
            claim(no, f"leads.{start}")
    for key, nos in (("article_starts", starts(c)), ("split", c.split), ("join", [x for p in c.join for x in p])):
        for no in nos:
            if no > n or not texts[no - 1].strip():
                claim(no, key)  # raises: missing or blank
            if no in owner:
                raise InputError(c.source, f"key 'corrections.{key}': line {no} is also in 'corrections.{owner[no]}'")


def role_runs(c: Corrections) -> list[tuple[str, tuple[int, ...]]]:
    """The roles as runs of consecutive lines with the same role, in line order."""
    out: list[tuple[str, list[int]]] = []
    for no, role in c.roles:
        if out and out[-1][0] == role and out[-1][1][-1] + 1 == no:
            out[-1][1].append(no)
        else:
            out.append((role, [no]))
    return [(role, tuple(nos)) for role, nos in out]


HEADING_ROLES = ("kicker", "headline", "subtitle", "byline", "lead")


def _body_after(c: Corrections, texts: list[str], nos: tuple[int, ...]) -> int:
    """The first text line after ``nos`` that no correction takes out of the body."""
    taken = set(c.furniture) | {no for _, v in c.headlines for no in v} | {no for _, v in c.leads for no in v}
    taken |= {no for no, role in c.roles if role in HEADING_ROLES + ("furniture",)}
    start = next((n for n in range(nos[-1] + 1, len(texts) + 1) if texts[n - 1].strip() and n not in taken), None)
    if start is None:
        raise InputError(c.source, f"key 'corrections.roles': no body text after line {nos[-1]} for the lines "
                                   f"{nos[0]}-{nos[-1]} to belong to")
    return start


def expand_roles(c: Corrections, texts: list[str]) -> Corrections:
    """The roles as the other keys say them: furniture lines are furniture; headline lines are the headline,
    lead lines the lead, of the article whose body starts at the next text line that no correction takes out
    of the body. (Kicker, subtitle and byline lines are placed by the parser's 'corrected roles' rules.)"""
    if not c.roles:
        return c
    heads: dict[int, list[int]] = {k: list(v) for k, v in c.headlines}
    leads: dict[int, list[int]] = {k: list(v) for k, v in c.leads}
    for role, nos in role_runs(c):
        if role in ("headline", "lead"):
            (leads if role == "lead" else heads).setdefault(_body_after(c, texts, nos), []).extend(nos)
    from dataclasses import replace

    return replace(c, furniture=tuple(sorted(set(c.furniture) | {no for no, r in c.roles if r == "furniture"})),
                   headlines=tuple(sorted((k, tuple(sorted(v))) for k, v in heads.items())),
                   leads=tuple(sorted((k, tuple(sorted(v))) for k, v in leads.items())))
