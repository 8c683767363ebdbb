"""Fallback parser (written while helper output is pending)."""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from noticepub.errors import ParseError
from noticepub.model import Article, Decision, Dropped, ParseResult

TERMINALS = "。！？!?…"
CLOSERS = "”’」』）》)\"'"
ATTR_RE = re.compile(r"[（(]\s*据\s*([^（）()\n]{1,40}?)\s*[）)]")
SPACES = " \t\u3000\u00a0\u2002\u2003\u2009"
PAGE_NUMBER_RE = re.compile(r"^[\s\-—–·•]*(第?\s*\d{1,3}\s*[版页]?)[\s\-—–·•]*$")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def is_wide_punct(ch: str) -> bool:
    o = ord(ch)
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFF60 or ch in "“”‘’—…·"


def counted(ch: str) -> bool:
    return is_cjk(ch) or ch.isalnum()


def width(text: str) -> int:
    return sum(1 for ch in text if ch not in SPACES)


def ends_sentence(text: str) -> bool:
    t = text.rstrip(SPACES).rstrip(CLOSERS)
    return bool(t) and t[-1] in TERMINALS


def _cjkish(ch: str) -> bool:
    return is_cjk(ch) or is_wide_punct(ch)


def tidy(text: str) -> str:
    """Chinese typography: drop justification spaces, full-width brackets around Chinese."""
    out: list[str] = []
    chars = text.strip(SPACES)
    for i, ch in enumerate(chars):
        if ch in SPACES:
            prev = out[-1] if out else ""
            nxt = next((c for c in chars[i + 1:] if c not in SPACES), "")
            if prev in SPACES:
                continue
            if prev and nxt and prev.isascii() and nxt.isascii() and prev.isalnum() and nxt.isalnum():
                if not (prev.isdigit() and nxt.isdigit()):
                    out.append(" ")
                continue
            if prev and nxt and prev.isascii() and nxt.isascii() and not (_cjkish(prev) or _cjkish(nxt)):
                if prev not in "(（" and nxt not in ")）":
                    out.append(" ")
            continue
        out.append(ch)
    s = "".join(out)
    chars2 = list(s)
    for i, ch in enumerate(chars2):
        if ch in "()":
            prev = chars2[i - 1] if i else ""
            nxt = chars2[i + 1] if i + 1 < len(chars2) else ""
            if (prev and _cjkish(prev)) or (nxt and _cjkish(nxt)):
                chars2[i] = "（" if ch == "(" else "）"
        elif ch in ",;:?!" and i and _cjkish(chars2[i - 1]):
            nxt = chars2[i + 1] if i + 1 < len(chars2) else ""
            if not (ch == ":" and nxt.isdigit()):
                chars2[i] = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}[ch]
    return "".join(chars2)


def join_pieces(pieces: list[str]) -> str:
    text = ""
    for piece in pieces:
        piece = piece.strip(SPACES)
        if not piece:
            continue
        if text and text[-1].isascii() and text[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
            text += " "
        text += piece
    return tidy(text)


@dataclass
class Line:
    no: int
    raw: str
    text: str
    n: int


@dataclass
class Group:
    lines: list[Line]

    @property
    def max_n(self) -> int:
        return max(line.n for line in self.lines)

    @property
    def text(self) -> str:
        return join_pieces([line.text for line in self.lines])


@dataclass
class Body:
    paragraphs: list[list[str]] = field(default_factory=list)
    attribution: str | None = None
    lines: list[int] = field(default_factory=list)


def _groups(lines: list[Line]) -> list[Group]:
    groups: list[Group] = []
    cur: list[Line] = []
    for line in lines:
        if line.n == 0:
            if cur:
                groups.append(Group(cur))
                cur = []
        else:
            cur.append(line)
    if cur:
        groups.append(Group(cur))
    return groups


def learn_width(lines: list[Line]) -> int:
    lens = [line.n for line in lines if line.n > 0]
    if not lens:
        return 14
    med = statistics.median(lens)
    body = sorted(n for n in lens if n <= med * 1.5)
    return max(4, body[int(0.8 * (len(body) - 1))])


def _headline_like(group: Group, w: int) -> bool:
    """One to three lines that do not end a sentence (headlines carry no full stop)."""
    if len(group.lines) > 3 or ATTR_RE.search(" ".join(line.text for line in group.lines)):
        return False
    last = group.lines[-1].text
    if ends_sentence(last) or last.rstrip(SPACES).endswith(("，", "、", ",", "；", "：")):
        return False
    return group.max_n <= 2.5 * w


def _lead_like(group: Group, w: int) -> bool:
    """Wide-measure lines set across several columns, ending a sentence."""
    if ATTR_RE.search(" ".join(line.text for line in group.lines)):
        return False
    return group.max_n > 1.45 * w and ends_sentence(group.lines[-1].text)


def bigrams(text: str) -> set[str]:
    t = "".join(ch for ch in text if counted(ch))
    return {t[i:i + 2] for i in range(len(t) - 1)}


def bigram_counts(text: str) -> Counter[str]:
    t = "".join(ch for ch in text if counted(ch))
    return Counter(t[i:i + 2] for i in range(len(t) - 1))


def similarity_matrix(items: list[str], docs: list[str]) -> list[list[float]]:
    """TF-IDF cosine similarity over character bigrams (idf over the bodies and the displaced texts)."""
    item_tf = [bigram_counts(t) for t in items]
    doc_tf = [bigram_counts(t) for t in docs]
    everything = item_tf + doc_tf
    df = Counter(g for tf in everything for g in tf)
    n = len(everything)

    def vector(tf: Counter[str]) -> dict[str, float]:
        vec = {g: (1 + math.log(c)) * (1 + math.log((n + 1) / (df[g] + 1))) for g, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    iv = [vector(tf) for tf in item_tf]
    dv = [vector(tf) for tf in doc_tf]
    return [[sum(v * d.get(g, 0.0) for g, v in a.items()) for d in dv] for a in iv]


COUNT_RE = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:项|个方面|条|个)")
CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_NUM.get(text[1], 0)
    if len(text) >= 2 and text[1] == "十":
        return CN_NUM.get(text[0], 0) * 10 + (CN_NUM.get(text[2], 0) if len(text) > 2 else 0)
    return CN_NUM.get(text, -1)


def containment_matrix(items: list[str], docs: list[str]) -> list[list[float]]:
    """Share of an item's discriminative bigram weight found in each doc (idf over the docs)."""
    doc_grams = [set(bigram_counts(d)) for d in docs]
    df = Counter(g for grams in doc_grams for g in grams)
    nd = len(docs)
    rows = []
    for item in items:
        grams = {g: math.log(1 + nd / df[g]) for g in bigram_counts(item) if df.get(g)}
        total = sum(grams.values()) or 1.0
        rows.append([sum(wt for g, wt in grams.items() if g in doc_grams[j]) / total for j in range(nd)])
    return rows


def _best_permutation(matrix: list[list[float]]) -> tuple[int, ...]:
    k = len(matrix)
    if k <= 8:
        best = max(itertools.permutations(range(k)), key=lambda p: sum(matrix[i][p[i]] for i in range(k)))
        return tuple(best)
    taken: set[int] = set()
    perm = [-1] * k
    for i, j in sorted(((i, j) for i in range(k) for j in range(k)), key=lambda t: -matrix[t[0]][t[1]]):
        if perm[i] == -1 and j not in taken:
            perm[i] = j
            taken.add(j)
    return tuple(perm)


def _square(matrix: list[list[float]], rows: int, cols: int) -> list[list[float]]:
    k = max(rows, cols)
    return [[matrix[i][j] if i < rows and j < cols else 0.0 for j in range(k)] for i in range(k)]


def pair_displaced(heads: list[str], leads: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair displaced headlines with displaced leads (a lead restates its headline)."""
    units: list[tuple[int | None, int | None]] = []
    used_leads: set[int] = set()
    if heads and leads:
        sim = similarity_matrix(heads, leads)
        perm = _best_permutation(_square(sim, len(heads), len(leads)))
        for h in range(len(heads)):
            le = perm[h]
            if le < len(leads) and sim[h][le] >= 0.1:
                units.append((h, le))
                used_leads.add(le)
            else:
                units.append((h, None))
    else:
        units.extend((h, None) for h in range(len(heads)))
    units.extend((None, le) for le in range(len(leads)) if le not in used_leads)
    return units


def assign(items: list[str], docs: list[str], paragraph_counts: list[int] | None = None) -> list[tuple[int, int, float]]:
    """Optimal one-to-one assignment of displaced items to bodies: (item, doc, score)."""
    if not items or not docs:
        return []
    matrix = containment_matrix(items, docs)
    if paragraph_counts:
        for i, item in enumerate(items):
            promised = {_number(m.group(1)) for m in COUNT_RE.finditer(item)}
            for j, count in enumerate(paragraph_counts):
                if count in promised:
                    matrix[i][j] += 0.25  # "开展 7 项暖心服务" and a body of seven items
    perm = _best_permutation(_square(matrix, len(items), len(docs)))
    return [(i, perm[i], matrix[i][perm[i]]) for i in range(len(items)) if perm[i] < len(docs)]


def parse_page(text: str, source: str) -> ParseResult:
    lines = [Line(i + 1, raw, raw.strip(SPACES), width(raw)) for i, raw in enumerate(text.split("\n"))]
    decisions: dict[int, Decision] = {}
    dropped: list[Dropped] = []

    def decide(line: Line, block: str, rule: str, detail: str = "") -> None:
        decisions[line.no] = Decision(line.no, line.raw, block, rule, detail)

    for line in lines:
        if line.n and PAGE_NUMBER_RE.match(line.text):
            dropped.append(Dropped(line.text, "page furniture: a line holding only a page number", line.no))
            decide(line, "dropped", "page number")
            line.n = 0
            line.text = ""
    w = learn_width(lines)
    groups = _groups(lines)
    if not groups:
        raise ParseError(source, "the page holds no text")

    # --- top zone: a headline group, then optional wide lead groups
    top_title: Group | None = None
    top_lead: Group | None = None
    start = 0
    if len(groups) > 1 and _headline_like(groups[0], w):
        top_title = groups[0]
        start = 1
        if start < len(groups) - 1 and _lead_like(groups[start], w):
            top_lead = groups[start]
            start += 1
    # --- tail zone: headline-like and lead-like groups at the end of the page
    end = len(groups)
    while end > start + 1 and (_headline_like(groups[end - 1], w) or _lead_like(groups[end - 1], w)):
        end -= 1
    tail = groups[end:]
    tail_heads = [g for g in tail if not _lead_like(g, w)]
    tail_leads = [g for g in tail if _lead_like(g, w)]

    # --- body: reflow and split at attributions
    bodies: list[Body] = [Body()]
    body_lines = [line for g in groups[start:end] for line in g.lines]
    first_no = body_lines[0].no if body_lines else 0
    last_no = body_lines[-1].no if body_lines else -1
    prev: Line | None = None
    blank_before = False
    for line in lines:
        if line.no < first_no or line.no > last_no:
            continue
        if line.n == 0:
            if prev is not None:
                blank_before = True
            if line.no not in decisions:
                decide(line, "blank", "blank line")
            continue
        body = bodies[-1]
        parts = ATTR_RE.split(line.text)
        # parts: before, name, after[, name, after...]
        before = parts[0]
        article_label = f"article {len(bodies)}"
        if before.strip(SPACES):
            if not body.paragraphs or prev is None:
                body.paragraphs.append([before])
                rule = "paragraph start"
            elif blank_before:
                if ends_sentence(prev.text):
                    body.paragraphs.append([before])
                    rule = "paragraph end (blank line after a finished sentence)"
                else:
                    body.paragraphs[-1].append(before)
                    rule = "column break (blank line inside a sentence): joined"
            elif ends_sentence(prev.text) and prev.n <= w - 2:
                body.paragraphs.append([before])
                rule = "paragraph end (short line ending a sentence)"
            else:
                body.paragraphs[-1].append(before)
                rule = "joined (wrapped line)"
            decide(line, f"{article_label} paragraph {len(body.paragraphs)}", rule)
        body.lines.append(line.no)
        for k in range(1, len(parts), 2):
            name, after = parts[k], parts[k + 1]
            bodies[-1].attribution = tidy(name)
            dropped.append(Dropped("（据）", f"attribution brackets around {tidy(name)} (kept as the attribution field)",
                                   line.no))
            decide(line, f"article {len(bodies)} attribution", "attribution split",
                   f"source {tidy(name)!r} ends article {len(bodies)}")
            bodies.append(Body())
            if after.strip(SPACES):
                bodies[-1].paragraphs.append([after])
                bodies[-1].lines.append(line.no)
                decide(line, f"article {len(bodies)} paragraph 1", "attribution split",
                       f"text after the attribution opens article {len(bodies)}")
        prev = line
        blank_before = False
    bodies = [b for b in bodies if b.paragraphs or b.attribution]
    if not bodies:
        bodies = [Body()]

    texts = ["".join("".join(p) for p in b.paragraphs) for b in bodies]
    titles: list[str | None] = [None] * len(bodies)
    leads: list[str | None] = [None] * len(bodies)
    title_lines: list[list[int]] = [[] for _ in bodies]
    offset = 0
    if top_title is not None:
        titles[0] = top_title.text
        title_lines[0] = [ln.no for ln in top_title.lines]
        for ln in top_title.lines:
            decide(ln, "article 1 title", "headline", "headline on top of the page")
        if top_lead is not None:
            leads[0] = top_lead.text
            for ln in top_lead.lines:
                decide(ln, "article 1 lead", "lead", "wide lead under the top headline")
        offset = 1
    rest = list(range(offset, len(bodies)))
    units = pair_displaced([g.text for g in tail_heads], [g.text for g in tail_leads])
    unit_texts = [(tail_heads[h].text if h is not None else "") + (tail_leads[le].text if le is not None else "")
                  for h, le in units]
    counts = [len(bodies[r].paragraphs) for r in rest]
    for u, j, s in assign(unit_texts, [texts[r] for r in rest], counts):
        target = rest[j]
        h, le = units[u]
        if le is not None:
            leads[target] = tail_leads[le].text
            for ln in tail_leads[le].lines:
                decide(ln, f"article {target + 1} lead", "lead matched",
                       f"lead matched to article {target + 1} with score {s:.2f}")
        if h is not None:
            titles[target] = tail_heads[h].text
            title_lines[target] = [ln.no for ln in tail_heads[h].lines]
            for ln in tail_heads[h].lines:
                decide(ln, f"article {target + 1} title", "headline matched",
                       f"headline matched to article {target + 1} with score {s:.2f}")
    # unassigned tail groups become their own article-less text? keep them: append as paragraphs of last article
    used_heads = {titles[k] for k in range(len(bodies))}
    used_leads = {leads[k] for k in range(len(bodies))}
    articles: list[Article] = []
    for k, body in enumerate(bodies):
        paras = tuple(join_pieces(p) for p in body.paragraphs)
        paras = tuple(p for p in paras if p)
        articles.append(Article(
            id=f"a{k + 1}", title=titles[k] or "", subtitle=None, lead=leads[k], paragraphs=paras,
            attribution=body.attribution, lines=tuple(sorted(set(body.lines + title_lines[k]))),
        ))
    leftovers = [g for g in tail_heads if g.text not in used_heads] + [g for g in tail_leads if g.text not in used_leads]
    if leftovers:
        last = articles[-1]
        extra = tuple(g.text for g in leftovers)
        articles[-1] = Article(last.id, last.title, last.subtitle, last.lead, last.paragraphs + extra,
                               last.attribution, last.lines)
        for g in leftovers:
            for ln in g.lines:
                decide(ln, f"article {len(articles)} paragraph", "unmatched displaced text kept as paragraph")
    for line in lines:
        if line.no not in decisions:
            decide(line, "blank" if line.n == 0 else "body", "blank line" if line.n == 0 else "layout")
    result = ParseResult(source=source, articles=tuple(articles), dropped=tuple(dropped),
                         decisions=tuple(decisions[no] for no in sorted(decisions)))
    check_conservation(text, result)
    return result


def check_conservation(text: str, result: ParseResult) -> None:
    want = Counter(ch for ch in text if counted(ch))
    got: Counter[str] = Counter()
    for a in result.articles:
        for part in (a.title, a.subtitle, a.lead, a.attribution, *a.paragraphs):
            if part:
                got.update(ch for ch in part if counted(ch))
    for d in result.dropped:
        got.update(ch for ch in d.text if counted(ch))
    if want != got:
        missing = want - got
        extra = got - want
        detail = []
        if missing:
            detail.append("lost " + "".join(sorted(missing.elements()))[:40])
        if extra:
            detail.append("invented " + "".join(sorted(extra.elements()))[:40])
        raise ParseError(result.source, "character conservation failed: " + "; ".join(detail))


def explain_text(result: ParseResult) -> str:
    out = []
    for d in result.decisions:
        detail = f" ({d.detail})" if d.detail else ""
        out.append(f"{d.line:>5}  {d.block:<28} {d.rule}{detail}  | {d.text.strip()}")
    return "\n".join(out)
