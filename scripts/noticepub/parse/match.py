"""Lexical similarity between displaced headlines/leads and article bodies, and optimal assignment."""

from __future__ import annotations

import math
import re
from collections import Counter

NGRAM_WEIGHTS = {2: 0.25, 3: 1.0, 4: 1.0}  # words and phrases decide; bigrams only break ties
COUNT_RE = re.compile(r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})(?:项|个方面|条)")
CN_DIGITS = "零一二三四五六七八九"


def coverage(item: str, doc: str, n: int = 3) -> float:
    """Share of ``item``'s letters, digits and CJK characters that lie inside an ``n``-gram also found in
    ``doc``: how much of a short headline a lead restates word for word (「残疾人两项补贴标准提高」 in 「…残疾人
    …补贴标准分别提高到…」: 残疾人 and 补贴标准, 7 of 11). Robust for short items, where containment's idf
    weights swing with one absent bigram."""
    return coverage_in(item, doc_grams(doc, n), n)


def doc_grams(doc: str, n: int = 3) -> set[str]:
    """The ``n``-grams of a text's letters, digits and CJK: coverage_in's second argument (computed once when
    many items are measured against one text)."""
    d = "".join(filter(str.isalnum, doc))
    return {d[i:i + n] for i in range(len(d) - n + 1)}


def coverage_in(item: str, grams: set[str], n: int = 3) -> float:
    """coverage() against a text's doc_grams()."""
    t = "".join(filter(str.isalnum, item))
    hit = [False] * len(t)
    for i in range(len(t) - n + 1):
        if t[i:i + n] in grams:
            hit[i:i + n] = [True] * n
    return sum(hit) / len(t) if t else 0.0


def ngrams(text: str) -> set[str]:
    t = "".join(filter(str.isalnum, text))  # the characters conservation counts (text.counted)
    return {t[i:i + n] for n in NGRAM_WEIGHTS for i in range(len(t) - n + 1)}


def containment(items: list[str], docs: list[str], absent: bool = False) -> list[list[float]]:
    """Share of an item's discriminative n-gram weight found in each doc.

    Character 2-, 3- and 4-grams of letters, digits and CJK (Chinese words without a segmenter);
    an n-gram's weight is its length weight times its inverse document frequency over the docs, so
    phrases every body shares (民政部门) count for little and phrases of one body only (返乡返岗)
    decide. Longer n-grams keep a long body from winning by sheer size. With ``absent``, an item's
    n-grams found in no doc count too (as rare ones), so a single doc does not match everything.
    """
    doc_grams = [ngrams(d) for d in docs]
    df = Counter(g for grams in doc_grams for g in grams)
    nd = len(docs)
    if len(items) * nd > LARGE:
        return _sparse(items, doc_grams, df, absent)
    rows = []
    for item in items:
        if absent:
            weights = {g: NGRAM_WEIGHTS[len(g)] * math.log((1 + nd) / (df.get(g) or 1)) for g in ngrams(item)}
        else:
            weights = {g: NGRAM_WEIGHTS[len(g)] * math.log((1 + nd) / df[g]) for g in ngrams(item) if df.get(g)}
        total = sum(weights.values())
        if total <= 0:
            rows.append([0.0] * nd)
            continue
        rows.append([sum(w for g, w in weights.items() if g in doc_grams[j]) / total for j in range(nd)])
    return rows


LARGE = 40_000  # items x docs above this (hundreds of articles on one "page"): the sparse, linear path
COMMON_DF = 32  # ... where an n-gram found in more docs than this adds to no doc (its idf weight is small)


def _sparse(items: list[str], doc_grams: list[set[str]], df: Counter, absent: bool) -> list[list[float]]:
    """containment() through an inverted index, skipping n-grams common to more than COMMON_DF docs (they
    still count in an item's total weight): time linear in the page instead of items x docs."""
    nd = len(doc_grams)
    index: dict[str, list[int]] = {}
    for j, grams in enumerate(doc_grams):
        for g in grams:
            if df[g] <= COMMON_DF:
                index.setdefault(g, []).append(j)
    rows = []
    for item in items:
        weights = {g: NGRAM_WEIGHTS[len(g)] * math.log((1 + nd) / (df.get(g) or 1))
                   for g in ngrams(item) if absent or df.get(g)}
        total = sum(weights.values())
        row = [0.0] * nd
        if total > 0:
            for g, w in weights.items():
                for j in index.get(g, ()):
                    row[j] += w / total
        rows.append(row)
    return rows


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    tens, _, ones = text.partition("十")
    if "十" in text:
        return (CN_DIGITS.find(tens) if tens else 1) * 10 + (CN_DIGITS.find(ones) if ones else 0)
    return CN_DIGITS.find(text)


def promised_counts(text: str) -> set[int]:
    """Counts a lead promises: "开展7项暖心服务", "从八个方面" -> {7}, {8}."""
    return {n for m in COUNT_RE.finditer(text) if (n := _number(m.group(1))) > 1}


def hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment of rows to distinct columns (rows <= columns). Returns the column of each row."""
    n = len(cost)
    if n == 0:
        return []
    m = len(cost[0])
    if n > m:
        raise ValueError("more rows than columns")
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)  # p[j]: row (1-based) matched to column j
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    out = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            out[p[j] - 1] = j - 1
    return out


def assign(scores: list[list[float]]) -> list[int | None]:
    """Best one-to-one assignment maximising total score: the doc index of each item (None if items > docs)."""
    if not scores:
        return []
    n, m = len(scores), len(scores[0])
    if m == 0:
        return [None] * n
    if n * m > LARGE:
        return _greedy(scores)
    if n <= m:
        return list(hungarian([[-s for s in row] for row in scores]))
    cols = hungarian([[-scores[i][j] for i in range(n)] for j in range(m)])  # docs pick items
    out: list[int | None] = [None] * n
    for j, i in enumerate(cols):
        out[i] = j
    return out


def _greedy(scores: list[list[float]]) -> list[int | None]:
    """Large problems: each item's best few docs, taken greedily by score (near-linear; the Hungarian
    method is cubic). Items whose candidates are all taken stay unassigned, as in assign()."""
    import heapq

    cand = []
    for i, row in enumerate(scores):
        for j in heapq.nlargest(8, range(len(row)), key=row.__getitem__):
            if row[j] > 0:
                cand.append((-row[j], i, j))
    cand.sort()
    out: list[int | None] = [None] * len(scores)
    taken: set[int] = set()
    for _, i, j in cand:
        if out[i] is None and j not in taken:
            out[i] = j
            taken.add(j)
    return out
