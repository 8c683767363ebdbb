"""Layout generator: re-set articles as a raw page the way PDF extraction delivers them.

Used by the round-trip tests (parse(set_page(articles)) must give the articles back) and by the
benchmark. It imitates the seed page: narrow columns of `width` characters, a paragraph's first
line shorter (the lost indent), blank lines at column breaks in mid-sentence, justification spaces
after punctuation and around numbers, attributions glued to the next article's first line, the
first headline on top and the other headlines and leads displaced to the end, each group shuffled.
"""

from __future__ import annotations

import random

from noticepub.model import Article

TERMINAL = "。！？"
CLOSERS = "”’）》"


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(" ").rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


def _justify(text: str, rng: random.Random) -> str:
    """Stray spaces as justification leaves them: after punctuation and around ASCII runs."""
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch in "，。、；：" and nxt and rng.random() < 0.25:
            out.append(" ")
        elif nxt and (ch.isascii() != nxt.isascii()) and (ch.isdigit() or nxt.isdigit()) and rng.random() < 0.5:
            out.append(" ")
    return "".join(out)


def _wrap(text: str, width: int, first: int, rng: random.Random) -> list[str]:
    """Cut ``text`` into lines of ``width`` characters (the first ``first``), never splitting ASCII runs."""
    lines = []
    i = 0
    size = first
    while i < len(text):
        j = min(len(text), i + size + (1 if rng.random() < 0.15 else 0))
        while 0 < j < len(text) and text[j - 1].isascii() and text[j].isascii() and text[j - 1].isalnum():
            j -= 1  # keep "2023" or "300" whole on one line
        if j <= i:
            j = min(len(text), i + size)
        while j < len(text) and text[j] in "，。、；：！？”’）》":
            j += 1  # no line starts with closing punctuation (kinsoku)
        lines.append(text[i:j])
        i = j
        size = width
    return lines


def set_page(articles: list[Article], rng: random.Random, width: int | None = None) -> str:
    width = width or rng.randint(12, 16)
    column = rng.randint(18, 40)  # lines per column: a blank line marks each column break
    out: list[str] = []
    if articles and articles[0].title:
        out += _wrap(articles[0].title, width + rng.randint(3, 6), width + rng.randint(3, 6), rng)
        out.append("")
        if articles[0].lead:
            out += [_justify(line, rng) for line in _wrap(articles[0].lead, width * 3, width * 3, rng)]
            out.append("")
    in_column = 0
    pending_attr = ""
    for article in articles:
        for p_index, para in enumerate(article.paragraphs):
            lines = _wrap(para, width, width - 2, rng)
            for k, line in enumerate(lines):
                line = _justify(line, rng)
                if pending_attr:  # the previous article's attribution shares this line
                    line = pending_attr + line
                    pending_attr = ""
                out.append(line)
                in_column += 1
                last = k == len(lines) - 1
                if in_column >= column and not last and not _ends_sentence(line):
                    out.append("")  # column break inside a sentence
                    in_column = 0
            is_last_para = p_index == len(article.paragraphs) - 1
            if is_last_para and article.attribution:
                attr = f"（据{article.attribution}）"
                style = rng.random()
                if style < 0.35 and len(out[-1]) + len(attr) <= width + 10:
                    out[-1] = out[-1] + " " + attr
                    out.append("")
                elif style < 0.7 and article is not articles[-1]:
                    pending_attr = attr
                else:
                    out += ["", attr, ""]
            elif len(lines[-1]) <= width - 2 and rng.random() < 0.3:
                pass  # a short last line ends the paragraph even without a blank line
            else:
                out.append("")
    if pending_attr:
        out += [pending_attr, ""]
    rest = list(articles[1:])
    heads = [a for a in rest if a.title]
    leads = [a for a in rest if a.lead]
    rng.shuffle(heads)
    rng.shuffle(leads)
    out.append("")
    for a in heads:
        head_width = max(width + 3, (len(a.title) + 1) // 2 + rng.randint(0, 3))
        out += _wrap(a.title, head_width, head_width, rng)[:3]
        out.append("")
    for a in leads:
        lead_width = rng.randint(width * 2 + 2, width * 3)
        out += [_justify(line, rng) for line in _wrap(a.lead, lead_width, lead_width, rng)]
        out.append("")
    return "\n".join(out) + "\n"
