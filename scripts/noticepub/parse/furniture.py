"""Page furniture: running headers and footers, staff lines, photo captions, jump and cross-reference lines.

The patterns are data (``noticepub/data/furniture.yml``); this module only applies them. Furniture is
found before the page's geometry is learned, so a running header never counts as a headline and a
caption never joins a paragraph. Each hit says what it removes (a whole line, or a jump line glued to
the end of a text line) and what it means for the articles around it (``end``: the article jumps to
another page here; ``continue``: the text after it continues an article from another page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import yaml

from noticepub.parse.layout import Line
from noticepub.parse.text import SPACES

END = "end"
CONTINUE = "continue"


@dataclass(frozen=True)
class Pattern:
    name: str
    reason: str
    regex: re.Pattern[str]
    effect: str | None = None


@dataclass(frozen=True)
class Furniture:
    lines: tuple[Pattern, ...]
    glued: tuple[Pattern, ...]
    leading: tuple[Pattern, ...]
    caption_reason: str
    caption_max: int
    caption_start: re.Pattern[str]
    caption_end: re.Pattern[str]
    title_suspects: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Hit:
    """One piece of furniture on one line."""

    line: int  # 1-based input line
    text: str  # the text removed (the whole line, or the glued tail)
    name: str  # the pattern's name, e.g. "staff line"
    reason: str
    effect: str | None = None  # END | CONTINUE | None
    page: str | None = None  # the page a jump line names, e.g. "第一版"
    whole: bool = True  # the whole line (False: glued to a text line)
    leading: bool = False  # glued to the start of the line (else to its end)


def _patterns(items: list[dict], anchor: str) -> tuple[Pattern, ...]:
    out = []
    for item in items:
        body = item["pattern"]
        regex = re.compile(f"(?:{body})$" if anchor == "end" else body)
        out.append(Pattern(item["name"], item["reason"], regex, item.get("effect")))
    return tuple(out)


@lru_cache(maxsize=1)
def load_furniture() -> Furniture:
    data = yaml.safe_load(resources.files("noticepub").joinpath("data/furniture.yml").read_text(encoding="utf-8"))
    cap = data["captions"]
    return Furniture(
        lines=_patterns(data["lines"], "full"),
        glued=_patterns(data["glued"], "end"),
        leading=_patterns(data.get("leading", []), "start"),
        caption_reason=cap["reason"],
        caption_max=int(cap["max_lines"]),
        caption_start=re.compile(cap["start"]),
        caption_end=re.compile(f"(?:{cap['end']})$"),
        title_suspects=tuple(re.compile(p) for p in data.get("title_suspects", [])),
    )


def furniture_like(text: str) -> str | None:
    """Why a title looks like page furniture (a pattern of data/furniture.yml), or None."""
    f = load_furniture()
    if whole_line(text, f) or glued_tail(text, f):
        return "it matches a furniture pattern"
    for p in f.title_suspects:
        m = p.search(text)
        if m:
            return f"it holds 「{m.group(0).strip() or text}」"
    return None


def _page(m: re.Match[str]) -> str | None:
    if not m.groups() or m.group(1) is None:
        return None
    page = "".join(ch for ch in m.group(1) if ch not in SPACES)
    return page  # as printed: 「（上接1版）」 -> "1版", 「（上接第一版）」 -> "第一版"


def whole_line(text: str, furniture: Furniture | None = None) -> tuple[Pattern, re.Match[str]] | None:
    """A whole line is page furniture: running header or footer, page number, staff line, jump line."""
    f = furniture or load_furniture()
    for pat in f.lines:
        m = pat.regex.fullmatch(text)
        if m:
            return pat, m
    return None


def glued_tail(text: str, furniture: Furniture | None = None) -> tuple[Pattern, re.Match[str]] | None:
    """A jump or cross-reference line glued to the end of a text line: （下转第四版）."""
    f = furniture or load_furniture()
    for pat in f.glued:
        m = pat.regex.search(text)
        if m and m.start() > 0:
            return pat, m
    return None


def glued_head(text: str, furniture: Furniture | None = None) -> tuple[Pattern, re.Match[str]] | None:
    """（上接第一版） glued to the start of a text line."""
    f = furniture or load_furniture()
    for pat in f.leading:
        m = pat.regex.match(text)
        if m and m.end() < len(text.rstrip(SPACES)):
            return pat, m
    return None


def _groups(lines: list[Line]) -> list[list[Line]]:
    out: list[list[Line]] = []
    cur: list[Line] = []
    for line in lines:
        if line.text:
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def _caption_runs(free: list[Line], hits: dict[int, Hit], f: Furniture) -> None:
    """Runs from 图为… to a line ending with …摄 / 新华社发 (at most max_lines) among a group's free lines."""
    i = 0
    while i < len(free):
        line = free[i]
        if not f.caption_start.match(line.text):
            i += 1
            continue
        run = [line]
        for nxt in free[i + 1:i + f.caption_max]:
            if run[-1].no + 1 != nxt.no or f.caption_end.search(run[-1].text):
                break
            run.append(nxt)
        if not f.caption_end.search(run[-1].text):
            run = run[:1] if len(free) > 1 else run
            if len(free) > len(run):
                i += 1
                continue  # 图为… in running text without a credit: not a caption
        for x in run:
            hits[x.no] = Hit(x.no, x.raw.strip(SPACES), "photo caption", f.caption_reason)
        i += len(run)


def _captions(lines: list[Line], hits: dict[int, Hit], f: Furniture) -> None:
    """A caption starts with 图为… and runs to a line ending with …摄 / 新华社发 (at most max_lines), or is a
    short group of its own ending so."""
    for group in _groups(lines):
        _caption_runs([x for x in group if x.no not in hits], hits, f)
        rest = [x for x in group if x.no not in hits]
        if rest and len(rest) == len(group) and len(group) <= f.caption_max - 1 and f.caption_end.search(group[-1].text) \
                and not group[-1].text.rstrip(SPACES).endswith(("。", "！", "？")):
            for x in group:
                hits[x.no] = Hit(x.no, x.raw.strip(SPACES), "photo caption", f.caption_reason + " (credit line)")


def find_furniture(lines: list[Line], furniture: Furniture | None = None,
                   enabled: frozenset[str] | None = None) -> list[Hit]:
    """Every piece of furniture on the page, in line order (photo captions included).

    ``enabled``: the layout rules switched on ("page furniture", "jump line glued", "photo caption")."""
    f = furniture or load_furniture()
    whole = enabled is None or "page furniture" in enabled
    tails = enabled is None or "jump line glued" in enabled
    hits: dict[int, Hit] = {}
    glued: dict[int, Hit] = {}
    for line in lines:
        if not line.text:
            continue
        found = whole_line(line.text, f) if whole else None
        if found:
            pat, m = found
            hits[line.no] = Hit(line.no, line.text, pat.name, pat.reason, pat.effect, _page(m))
            continue
        tail = glued_tail(line.text, f) if tails else None
        if tail:
            pat, m = tail
            glued[line.no] = Hit(line.no, m.group(0), pat.name, pat.reason, pat.effect, _page(m), whole=False)
            continue
        head = glued_head(line.text, f) if tails else None
        if head:
            pat, m = head
            glued[line.no] = Hit(line.no, m.group(0), pat.name, pat.reason, pat.effect, _page(m), whole=False,
                                 leading=True)
    if enabled is None or "photo caption" in enabled:
        _captions(lines, hits, f)
    for no, hit in glued.items():
        hits.setdefault(no, hit)
    return [hits[no] for no in sorted(hits)]


def without_furniture(lines: list[Line], hits: list[Hit]) -> list[Line]:
    """New lines: furniture lines read as blank, glued tails cut off (the input is not changed)."""
    by_line = {h.line: h for h in hits}
    out = []
    for line in lines:
        hit = by_line.get(line.no)
        if hit is None:
            out.append(line)
        elif hit.whole:
            out.append(replace(line, text=""))
        elif hit.leading:
            out.append(replace(line, text=line.text[len(hit.text):].lstrip(SPACES)))
        else:
            cut = line.text[: len(line.text) - len(hit.text)].rstrip(SPACES)
            out.append(replace(line, text=cut))
    return out
