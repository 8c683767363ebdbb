"""Layout generator: re-set articles as a raw page the way PDF extraction delivers them.

Used by the round-trip tests (parse(set_page(articles)) must give the articles back) and by the
benchmark. It imitates the seed page:

- narrow columns of ``width`` em (12-16): ideographs 1 em, ASCII 0.5 em, CJK punctuation 1 em or
  squeezed (0.5-0.75 em, chosen per page); ASCII runs are never split; no line starts with closing
  punctuation (it hangs at the end of the previous line);
- a paragraph's first line is ``indent`` em shorter (the lost indent); its last line is whatever is left;
- justification spaces after punctuation and around numbers ("约 200", "1 月 16 日");
- blank lines between paragraphs (occasionally none after a short last line) and at column breaks
  in mid-paragraph;
- an attribution （据…） that ends the last paragraph inline (it may wrap), stands alone, or is glued
  to the first line of the next article;
- the first headline on top (its lead under it or displaced), the other headlines and the leads at
  the end of the page, each group shuffled.

A column break never falls where the page itself would be ambiguous to a careful reader: after a
line that ends a sentence unless both that line and the next are full, since a blank after a
finished sentence followed by a short line reads as a paragraph end.

Real pages (``set_real_page``) also set the page shapes of issue 21, each from the round-3 fields of
``Article``: tables (``tables``: rows printed as pdftotext does, one per line, cells padded to columns
with runs of spaces; the title, unit and note lines are the paragraphs around them), interviews
(``speakers``: each turn a paragraph opening with its label), kickers above the headline, bylines on
their own line above the body, multi-line sub-headings, briefs columns (``Placed.label``: the column
label above the first item), continued articles whose headline is repeated above 「（上接…）」
(``Placed.repeat_title``), and page furniture and extraction artifacts anywhere (``Extras.furniture``,
``page_number_at_break``, ``formfeeds``, ``crlf``). ``gold_json`` writes the expected articles in the
shape of ``noticepub parse --json``.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from noticepub.model import Article

TERMINAL = "。！？"
CLOSERS = "”’）》"
NO_LINE_START = "，。、；：！？”’）》"


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(" ").rstrip(CLOSERS + "）")
    return bool(stripped) and stripped[-1] in TERMINAL


@dataclass(frozen=True)
class Style:
    width: int
    punct: float  # em width of CJK punctuation
    indent: int
    column: int  # lines per column
    space_rate: float  # justification spaces after punctuation
    head_gaps: bool = False  # a blank line between the lines of a headline block (large type, wide leading)
    head_wide: bool = False  # every headline on one line, however long (set across three or four columns)


LIGATURES = "ﬀﬁﬂﬃﬄ"  # Latin ligatures as PDF extraction delivers them (one character, two or three letters)


def _latin(ch: str) -> bool:
    return ch.isascii() or ch in LIGATURES


def _em(ch: str, style: Style) -> float:
    if ch == " ":
        return 0.0
    if ch in LIGATURES:
        return 1.0
    if ch.isascii():
        return 0.5
    cat = unicodedata.category(ch)
    return style.punct if cat.startswith("P") else 1.0


def _justify(text: str, rng: random.Random, rate: float) -> str:
    """Stray spaces as justification leaves them: after punctuation and around ASCII runs."""
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if not nxt:
            continue
        if ch in "，。、；：" and rng.random() < rate:
            out.append(" ")
        elif ch.isascii() != nxt.isascii() and (ch.isdigit() or nxt.isdigit()) and rng.random() < 0.5:
            out.append(" ")
    return "".join(out)


def _wrap(text: str, first: float, width: float, style: Style) -> list[str]:
    """Cut ``text`` into lines of at most ``width`` em (the first ``first``), kinsoku and ASCII runs kept."""
    lines: list[str] = []
    i = 0
    limit = first
    while i < len(text):
        j = i
        used = 0.0
        while j < len(text) and used + _em(text[j], style) <= limit + 1e-9:
            used += _em(text[j], style)
            j += 1
        j = max(j, i + 1)
        while i < j < len(text) and _latin(text[j - 1]) and _latin(text[j]) and text[j].isalnum():
            j -= 1  # keep "2023", "300%" or "workﬂow" whole
        if j == i:
            j = i + 1
            while j < len(text) and _latin(text[j]) and text[j].isalnum():
                j += 1
        while j < len(text) and text[j] in NO_LINE_START:
            j += 1  # closing punctuation hangs at the line end
        lines.append(text[i:j])
        i = j
        limit = width
    return lines


def _full(line: str, limit: float, style: Style) -> bool:
    return sum(_em(ch, style) for ch in line) >= limit - 1.0


def _set_lines(out: list[str], lines: list[str], rng: random.Random, style: Style, w: int, glue: str,
               in_column: int, breaks: list[int] | None = None) -> tuple[str, int]:
    """Append one paragraph's wrapped lines (justified; ``glue``, a pending attribution, opens the first),
    with a blank line where the column ends inside the paragraph (its index appended to ``breaks``).
    Returns the new (glue, in_column)."""
    for k, raw in enumerate(lines):
        line = _justify(raw, rng, style.space_rate)
        if glue and k == 0:
            line, glue = glue + line, ""
        out.append(line)
        in_column += 1
        if in_column >= style.column and k + 2 < len(lines):
            ambiguous = _ends_sentence(raw) and not (_full(raw, w, style) and k > 0)
            if not ambiguous:
                if breaks is not None:
                    breaks.append(len(out))
                out.append("")  # column break inside a paragraph
                in_column = 0
    return glue, in_column


def set_page(articles: list[Article], rng: random.Random, width: int | None = None) -> str:
    style = Style(
        width=width or rng.randint(12, 16),
        punct=rng.choice([1.0, 1.0, 0.75, 0.5]),
        indent=2,
        column=rng.randint(12, 40),
        space_rate=rng.choice([0.0, 0.1, 0.25]),
    )
    w = style.width
    out: list[str] = []
    top_lead_displaced = rng.random() < 0.5
    if articles and articles[0].title:
        head_w = rng.randint(w + 2, int(1.5 * w))
        out += _wrap(articles[0].title, head_w, head_w, style)
        out.append("")
        if articles[0].lead and not top_lead_displaced:
            lead_w = rng.randint(2 * w + 2, 3 * w + 4)
            out += [_justify(x, rng, style.space_rate) for x in _wrap(articles[0].lead, lead_w, lead_w, style)]
            out.append("")
    in_column = 0
    glue = ""  # an attribution waiting for the next article's first line
    for a_index, article in enumerate(articles):
        attr = f"（据{article.attribution}）" if article.attribution else ""
        attr_style = rng.choice(["inline", "alone", "glued"]) if attr else ""
        if attr_style == "glued" and a_index == len(articles) - 1:
            attr_style = "alone"
        paragraphs = list(article.paragraphs)
        if attr_style == "inline" and paragraphs:
            paragraphs[-1] = paragraphs[-1] + " " + attr
        elif attr_style == "inline":
            attr_style = "alone"
        for p_index, para in enumerate(paragraphs):
            lines = _wrap(para, w - style.indent, w, style)
            glue, in_column = _set_lines(out, lines, rng, style, w, glue, in_column)
            last = lines[-1] if lines else ""
            short = sum(_em(ch, style) for ch in last) <= w - style.indent
            final = p_index == len(paragraphs) - 1
            if final or not short or rng.random() < 0.8:
                out.append("")
        if attr_style == "alone":
            out += [attr, ""]
        elif attr_style == "glued":
            glue = attr
    if glue:
        out += [glue, ""]
    heads = [a for i, a in enumerate(articles) if a.title and i > 0]
    leads = [a for i, a in enumerate(articles) if a.lead and (i > 0 or top_lead_displaced or not a.title)]
    rng.shuffle(heads)
    rng.shuffle(leads)
    out.append("")
    for a in heads:
        head_w = max(w + 2, min(int(1.5 * w), (len(a.title) + 1) // 2 + rng.randint(0, 3)))
        out += _wrap(a.title, head_w, head_w, style)
        out.append("")
    for a in leads:
        lead_w = rng.randint(2 * w + 2, 3 * w + 4)
        out += [_justify(x, rng, style.space_rate) for x in _wrap(a.lead or "", lead_w, lead_w, style)]
        out.append("")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------ real pages
@dataclass(frozen=True)
class Placed:
    """One article and how the page sets it.

    place: "top" (headline on top of the page), "inplace" (headline printed above its body), "displaced"
    (headline after the bodies), "continued" (no headline: the page begins mid-article), "floating" (a
    headline set across the columns its body starts in: pdftotext prints it, and its lead when under it,
    at a column break inside the article before, between the two halves of a sentence; as "inplace" when
    the article before has no column break), "floating-para" (the same between two paragraphs of the
    article before).
    lead: "under" (set under its headline) or "displaced" (after the bodies); ignored without a lead.
    attribution: "inline", "alone" or "glued" (to the next article's first line).
    jump: None, "glued" or "alone": the article stops at （下转…） (its last paragraph may stop mid-sentence).
    caption: a photo caption, or None; caption_at: where the photo sits: "after" the article, "under" its
    headline (before the body), or at a "break" between columns inside the body (pdftotext prints the
    caption there, between the two halves of a sentence). Sub-headings: ``article.headings``.
    label: a column label printed above the headline (a briefs column: 「简讯」, 「要闻简报」); furniture.
    repeat_title: a continued article whose headline is repeated above the 「（上接…）」 line.
    tight: no blank line between the headline and its body (as briefs columns often print them).
    """

    article: Article
    place: str = "displaced"
    lead: str = "displaced"
    attribution: str = "inline"
    jump: str | None = None
    jump_to: str = "第四版"
    caption: str | None = None
    caption_at: str = "after"
    heading_blanks: bool = True  # blank lines around sub-headings
    label: str | None = None
    repeat_title: bool = False
    tight: bool = False


@dataclass(frozen=True)
class Extras:
    header: str | None = None  # running header on top, e.g. "2026年1月8日 星期四 民生·社会 3"
    footer: str | None = None  # page number at the foot, e.g. "— 3 —"
    staff: str | None = None  # staff line at the foot
    continued_from: str | None = None  # （上接…） before a continued article
    cross_reference: str | None = None  # set after the first article, e.g. "（相关报道见第十三、十四版）"
    # furniture lines and where they sit: "top", "bottom", "break" (at a column break, inside a paragraph
    # when the page has one), "after N" (after the body of article N, 1-based)
    furniture: tuple[tuple[str, str], ...] = ()
    page_number_at_break: str | None = None  # a stray page-number line at a column break, e.g. "3"
    formfeeds: bool = False  # \f at a column break (opening the next column's first line) and at the page end
    crlf: bool = False  # lines end with \r\n
    headline_gaps: bool = False  # pdftotext puts a blank line between a headline's lines (Style.head_gaps)
    wide_headlines: bool = False  # every headline on one line across the columns (Style.head_wide)
    # the displaced headlines and leads after the bodies: "grouped" (all headlines, then all leads, each
    # group shuffled, as the seed prints them), "interleaved" (each headline followed by its own lead, the
    # pairs shuffled) or "leads first" (all leads, then all headlines)
    tail: str = "grouped"
    tail_at: str = "end"  # where those displaced headlines and leads are printed: "end" or "top" (above the bodies)


def expected_articles(placed: list[Placed], extras: Extras = Extras()) -> list[Article]:
    """The articles a parser must recover from ``set_real_page(placed)``, in reading order
    (``continued_from`` as the 「（上接…）」 line prints it: 「（上接1版）」 -> "1版")."""
    out = []
    for i, p in enumerate(placed):
        a = p.article
        continued = p.place == "continued"
        titled = not continued or p.repeat_title
        out.append(Article(f"a{i + 1}", a.title if titled else "", None if continued else a.subtitle,
                           None if continued else a.lead, a.paragraphs, a.attribution, (), a.headings,
                           continued, extras.continued_from if continued else None,
                           kicker=None if continued else a.kicker, byline=None if continued else a.byline,
                           tables=a.tables, speakers=a.speakers))
    return out


def gold_json(articles: list[Article]) -> list[dict]:
    """Articles in the shape of ``noticepub parse --json`` (without ``lines``): a table paragraph is
    ``{"rows": [[cell, ...], ...]}``, speakers ``[{"paragraph": i, "speaker": "问："}, ...]``."""
    out = []
    for a in articles:
        tables = dict(a.tables)
        out.append({"id": a.id, "kicker": a.kicker, "title": a.title, "subtitle": a.subtitle, "byline": a.byline,
                    "lead": a.lead,
                    "paragraphs": [{"rows": [list(r) for r in tables[i]]} if i in tables else para
                                   for i, para in enumerate(a.paragraphs)],
                    "attribution": a.attribution, "headings": list(a.headings), "continued": a.continued,
                    "continued_from": a.continued_from,
                    "speakers": [{"paragraph": i, "speaker": s} for i, s in a.speakers]})
    return out


def _headline_lines(a: Article, rng: random.Random, style: Style) -> list[str]:
    w = style.width
    head_w = max(w + 2, min(int(1.6 * w), (len(a.title) + 1) // 2 + rng.randint(0, 3)))
    if style.head_wide:
        head_w = 2 * len(a.title)
    lines = _wrap(a.title, head_w, head_w, style)
    if a.subtitle:
        lines += _wrap("——" + a.subtitle, head_w + 4, head_w + 4, style)
    if a.kicker:  # 引题: one line above the headline, often with a space or two before it
        lines = [" " * rng.choice([0, 0, 1, 2]) + a.kicker] + lines
    if style.head_gaps:
        lines = [x for line in lines for x in ("", line)][1:]
    return lines


def _lead_lines(a: Article, rng: random.Random, style: Style) -> list[str]:
    w = style.width
    lead_w = rng.randint(2 * w + 2, 3 * w + 4)
    return [_justify(x, rng, style.space_rate) for x in _wrap(a.lead or "", lead_w, lead_w, style)]


def _cols(text: str) -> int:
    """Display columns as pdftotext's layout mode counts them: wide characters two, others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def tables_after(tables: dict, before: int) -> set[int]:
    """Paragraph indexes up to ``before`` paragraphs above a table (its title and unit lines)."""
    return {i - k for i in tables for k in range(1, before + 1)}


def table_lines(rows: tuple[tuple[str, ...], ...], rng: random.Random) -> list[str]:
    """Rows printed as pdftotext prints a table: one line per row, each cell padded to its column's
    width and followed by a run of at least two spaces (the last cell unpadded)."""
    n = max(len(r) for r in rows)
    widths = [max(_cols(r[c]) for r in rows if c < len(r)) for c in range(n)]
    gap = rng.choice([2, 3, 4])
    out = []
    for r in rows:
        cells = [cell + " " * (widths[c] - _cols(cell) + gap) for c, cell in enumerate(r[:-1])] + [r[-1]]
        out.append("".join(cells).rstrip())
    return out


def set_real_page(placed: list[Placed], rng: random.Random, width: int | None = None,
                  extras: Extras = Extras()) -> str:
    """Set articles as a real newspaper page: furniture, in-place and displaced headlines, continued
    articles, jump lines, captions, sub-headings, articles without attribution, and the shapes of issue 21
    (tables, interviews, kickers, bylines, briefs columns, repeated headlines, artifacts)."""
    style = Style(width=width or rng.randint(12, 16), punct=rng.choice([1.0, 1.0, 0.75, 0.5]), indent=2,
                  column=rng.randint(12, 40), space_rate=rng.choice([0.0, 0.1, 0.25]),
                  head_gaps=extras.headline_gaps, head_wide=extras.wide_headlines)
    w = style.width
    out: list[str] = []
    breaks: list[int] = []  # blank lines where a column ends inside a paragraph
    ends: list[int] = []  # where each article's body ends in ``out``
    if extras.header:
        out += [extras.header, ""]
    out += [x for f, where in extras.furniture if where == "top" for x in (f, "")]
    in_column = 0
    glue = ""
    captions: list[tuple[int, list[str]]] = []  # (column break, lines) of photos and headlines set between columns
    prev_breaks = 0  # the first column break inside the body of the article before
    prev_ends: list[int] = []
    for n, p in enumerate(placed):
        a = p.article
        nxt = placed[n + 1] if n + 1 < len(placed) else None
        if p.place == "continued" and p.repeat_title and a.title:
            out += _wrap(a.title, w + 4, w + 4, style)
        if p.place == "continued" and extras.continued_from and n == 0:
            out += [f"（上接{extras.continued_from}）"]
        if p.label:
            if out and out[-1] != "":
                out.append("")
            out += [p.label] + ([""] if rng.random() < 0.5 else [])
        floating = (p.place == "floating" and len(breaks) > prev_breaks) or (p.place == "floating-para"
                                                                             and bool(prev_ends))
        if floating:
            head = _headline_lines(a, rng, style) + [""]
            if a.lead and p.lead == "under":
                head += _lead_lines(a, rng, style) + [""]
            at = (breaks.pop(rng.randrange(prev_breaks, len(breaks))) if p.place == "floating"
                  else prev_ends[rng.randrange(len(prev_ends))])
            captions.append((at, head[:-1]))
        if p.place in ("top", "inplace") or (p.place.startswith("floating") and not floating):
            if out and out[-1] != "":
                out.append("")
            out += _headline_lines(a, rng, style)
            if not p.tight:
                out.append("")
            if a.lead and p.lead == "under":
                out += _lead_lines(a, rng, style)
                out.append("")
        if p.caption and p.caption_at == "under":
            if out and out[-1] != "":
                out.append("")
            out += _wrap(p.caption, w, w, style) + [""]
        if a.byline and p.place != "continued":
            out += [a.byline] + ([""] if rng.random() < 0.5 else [])
        attr = f"（据{a.attribution}）" if a.attribution else ""
        attr_style = p.attribution if attr else ""
        if attr_style == "glued" and (nxt is None or nxt.place in ("inplace", "top") or p.jump or p.caption
                                      or nxt.label or nxt.article.byline):
            attr_style = "alone"
        breaks_before = prev_breaks = len(breaks)  # the next article may float its headline into this one's breaks
        prev_ends = para_ends = []  # ... or between two of its paragraphs ("floating-para")
        tables = dict(a.tables)
        paragraphs = list(a.paragraphs)
        last_index = len(paragraphs) - 1
        if attr_style == "inline" and paragraphs and last_index not in a.headings and last_index not in tables:
            paragraphs[-1] = paragraphs[-1] + " " + attr
        elif attr_style == "inline":
            attr_style = "alone"
        for p_index, para in enumerate(paragraphs):
            if p_index in tables:
                if out and out[-1] != "":
                    out.append("")
                out += table_lines(tables[p_index], rng)
                out.append("")
                continue
            if p_index in a.headings:
                if p.heading_blanks and out and out[-1] != "":
                    out.append("")
                out += _wrap(para, w, w, style) if len(para) > w else [para]  # a long sub-heading wraps
                if p.heading_blanks:
                    out.append("")
                continue
            if p_index in tables_after(tables, 2) and len(para) <= 2 * w:
                # a table's title and unit lines: one line each, often centred (or set right) over the table
                para_lines = [" " * rng.choice([0, 0, rng.randint(2, 10)]) + para]
            else:
                first_w = w if (p.place == "continued" and p_index == 0) else w - style.indent
                para_lines = _wrap(para, first_w, w, style)
            lines = para_lines
            glue, in_column = _set_lines(out, lines, rng, style, w, glue, in_column, breaks)
            final = p_index == len(paragraphs) - 1
            if final and p.jump == "glued":
                out[-1] += f"（下转{p.jump_to}）"
            last = lines[-1] if lines else ""
            short = sum(_em(ch, style) for ch in last) <= w - style.indent
            next_heading = p_index + 1 in a.headings and not p.heading_blanks
            before_table = p_index + 1 in tables
            if (final or not short or before_table or rng.random() < 0.8) and not next_heading:
                out.append("")
                if not final and p_index + 1 not in a.headings and p_index + 1 not in tables:
                    para_ends.append(len(out) - 1)  # a blank between two paragraphs of this article
        if p.jump == "alone":
            out += [f"（下转{p.jump_to}）", ""]
        if attr_style == "alone":
            out += [attr, ""]
        elif attr_style == "glued":
            glue = attr
        if n == 0 and extras.cross_reference:
            out += [extras.cross_reference, ""]
        if p.caption and p.caption_at == "break" and len(breaks) > breaks_before:
            captions.append((breaks.pop(rng.randrange(breaks_before, len(breaks))), _wrap(p.caption, w, w, style)))
        elif p.caption and p.caption_at != "under":
            out += [x for x in _wrap(p.caption, w, w, style)] + [""]
        ends.append(len(out))
    if glue:
        out += [glue, ""]
    heads = [p.article for p in placed if p.place == "displaced" and p.article.title]
    leads = [p.article for p in placed if p.article.lead and p.place != "continued"
             and (p.place == "displaced" or p.lead == "displaced")]
    rng.shuffle(heads)
    rng.shuffle(leads)
    out.append("")
    if extras.tail == "interleaved":  # each headline with its own lead below it; leads of headlines in place last
        by_head = {id(a): a for a in leads}
        tail = [(a, by_head.pop(id(a), None)) for a in heads] + [(None, a) for a in leads if id(a) in by_head]
    elif extras.tail == "leads first":
        tail = [(None, a) for a in leads] + [(a, None) for a in heads]
    else:
        tail = [(a, None) for a in heads] + [(None, a) for a in leads]
    tail_lines: list[str] = []
    for head, lead in tail:
        if head is not None:
            tail_lines += _headline_lines(head, rng, style) + [""]
        if lead is not None:
            tail_lines += _lead_lines(lead, rng, style) + [""]
    if extras.tail_at == "end":
        out += tail_lines
    if extras.staff:
        out += [extras.staff, ""]
    out += [x for f, where in extras.furniture if where == "bottom" for x in (f, "")]
    if extras.footer:
        out += [extras.footer, ""]
    _insert_at_breaks(out, breaks, ends, extras, rng, captions)
    if extras.tail_at == "top":  # above the bodies, under the running header
        at = 2 if extras.header else 0
        out[at:at] = tail_lines
    text = "\n".join(out) + "\n"
    if extras.formfeeds:
        text += "\f"
    return text.replace("\n", "\r\n") if extras.crlf else text


def _insert_at_breaks(out: list[str], breaks: list[int], ends: list[int], extras: Extras,
                      rng: random.Random, captions: list[tuple[int, list[str]]] = ()) -> None:
    """Put the furniture that sits between columns (and the stray page number, the form feed, the photo
    captions set between columns) at the page's column breaks, or after an article's body when the page
    has no break left."""
    inserts: list[tuple[int, list[str]]] = [(at, ["", *lines, ""]) for at, lines in captions]
    free = list(breaks)
    for f, where in extras.furniture:
        if where.startswith("after "):
            inserts.append((ends[int(where.split()[1]) - 1], [f, ""]))
        elif where == "break":
            at = free.pop(rng.randrange(len(free))) if free else ends[0]
            inserts.append((at, rng.choice([["", f, ""], [f], ["", f]])))
    if extras.page_number_at_break:
        at = free.pop(rng.randrange(len(free))) if free else ends[0]
        inserts.append((at, ["", extras.page_number_at_break, ""]))
    if extras.formfeeds:
        at = free.pop(rng.randrange(len(free))) if free else ends[0]
        inserts.append((at, ["\f"]))  # replaces the blank: the next column's first line follows the \f
    for at, lines in sorted(inserts, key=lambda x: x[0], reverse=True):
        if lines == ["\f"] and at < len(out) and out[at] == "":
            out[at:at + 2] = ["\f" + out[at + 1]] if at + 1 < len(out) else ["\f"]
        elif at < len(out) and out[at] == "":
            out[at:at + 1] = lines
        else:
            out[at:at] = lines
