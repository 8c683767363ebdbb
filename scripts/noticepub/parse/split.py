"""Global segmentation: split body runs into as many articles as the page has headlines.

Attributions （据…）, headlines printed in place and jump lines end articles for certain. Where they are
missing, the page still says how many articles it holds: one per headline. The body stream is split
at paragraph ends (a finished sentence, never after a sub-heading) by dynamic programming over
labelled segments, each labelled with the displaced headline (and lead) it belongs to:

- lexical cohesion (TextTiling-like): each paragraph scores its affinity to a label's headline and
  lead (idf-weighted character n-grams) minus its mean affinity to all labels;
- an article's first paragraph restates its headline (a bonus for the label at the segment start);
- story openers (本报讯, 新华社…电, （记者…）, 日前，…) favour a split, continuation phrases
  (同时，此外，会议强调…) oppose it (data/openers.yml);
- each split costs ``SPLIT_COST`` and each headline left without a body ``MISSING_COST``, so a headline
  whose body is on another page may stay an article of its
  own instead of cutting a body in two.

Every chosen split is explained with its evidence and score and the best rejected alternative.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from noticepub.parse.match import NGRAM_WEIGHTS, ngrams
from noticepub.parse.openers import opener, refers_back
from noticepub.parse.segment import Body
from noticepub.parse.text import ends_sentence

SPLIT_COST = 0.05
MISSING_COST = 0.2  # each headline left without a body (one whose body is on another page is rare)
OPENER_WEIGHT = 0.25
FIRST_PARAGRAPH_WEIGHT = 0.5
COHESION_WEIGHT = 0.2  # times the shared weight of the paragraphs either side of a split
NONE = -1  # the label of a continued article (no headline on this page)
NEG = float("-inf")


@dataclass(frozen=True)
class SplitChoice:
    """One article boundary found without an attribution, for --explain."""

    body: int  # index of the new body in the result
    line: int  # first raw line of the new article
    label: str  # the headline whose body this is
    score: float  # gain of the chosen segmentation over the best one without this split
    evidence: str
    rejected: str  # the best rejected alternative and its score


def _affinity(items: list[str], texts: list[str]) -> list[list[float]]:
    """a[p][h]: share of item h's idf-weighted n-gram weight found in paragraph p."""
    grams = [ngrams(t) for t in texts]
    df = Counter(g for gs in grams for g in gs)
    n = len(texts)
    out = [[0.0] * len(items) for _ in texts]
    for h, item in enumerate(items):
        weights = {g: NGRAM_WEIGHTS[len(g)] * math.log((1 + n) / df[g]) for g in ngrams(item) if df.get(g)}
        total = sum(weights.values())
        if total <= 0:
            continue
        for p, gs in enumerate(grams):
            out[p][h] = sum(w for g, w in weights.items() if g in gs) / total
    return out


def _depth(texts: list[str], same: list[bool], window: int = 2) -> list[float]:
    """TextTiling-style: the idf weight of the words (3- and 4-grams) shared by the paragraphs before and
    after each gap (capped at 3): what a split there would tear apart.

    ``same[p]``: paragraph p is in the same body as paragraph p-1 (otherwise the gap is not scored)."""
    grams = [{g for g in ngrams(t) if len(g) >= 3} for t in texts]
    df = Counter(g for gs in grams for g in gs)
    n = len(texts)
    idf = {g: math.log((1 + n) / c) for g, c in df.items()}
    out = [0.0] * n
    for p in range(1, n):
        if not same[p]:
            continue
        lo, hi = p, p
        while lo > 0 and p - lo < window and same[lo]:
            lo -= 1
        while hi + 1 < n and hi + 1 - p < window and same[hi + 1]:
            hi += 1
        left = set().union(*grams[lo:p])
        right = set().union(*grams[p:hi + 1])
        out[p] = min(3.0, sum(idf[g] for g in left & right if len(g) == 3 or g[:3] not in left & right))
    return out


MEETING_RE = re.compile(r"会议|召开|举行|举办|[进谈作频话场布]会")  # a lead introducing a meeting (not 社会, 机会)


def introduces(ref: str | None, item: str) -> bool:
    """A displaced headline and lead (``item``) introduce what a paragraph refers back to: a meeting (会议指出…
    after 「…召开…推进会」) or a document (《通知》要求… after 「…印发《…》」)."""
    if ref is None:
        return False
    return bool(MEETING_RE.search(item)) if ref == "会议" else "《" in item


@dataclass
class _Run:
    score: float
    back: tuple[int, int, int] | None  # (previous paragraph, previous label, previous k) at a split


class _Splitter:
    """The dynamic programme of split_bodies over one page's body paragraphs."""

    def __init__(self, bodies: list[Body], fixed: list[int | None], items: list[str], extra: int,
                 has_lead: list[bool] | None) -> None:
        self.bodies, self.fixed, self.extra, self.has_lead, self.items = bodies, fixed, extra, has_lead, items
        self.paras = [(b, i) for b, body in enumerate(bodies) for i in range(len(body.paragraphs))]
        self.texts = [bodies[b].paragraphs[i].text for b, i in self.paras]
        self.aff = _affinity(items, self.texts)
        self.free = sorted(set(range(len(items))) - {f for f in fixed if f is not None and f >= 0})
        n_items = len(items)
        self.first_w = [FIRST_PARAGRAPH_WEIGHT * (0.2 if has_lead and has_lead[h] else 1.0) for h in range(n_items)]
        self.emit = [[a[h] - sum(a) / n_items for h in range(n_items)] for a in self.aff]
        self.boundary = [i > 0 and not bodies[b].paragraphs[i].heading and not bodies[b].paragraphs[i - 1].heading
                         and ends_sentence(bodies[b].paragraphs[i - 1].text) for b, i in self.paras]
        self.openers = [opener(t) for t in self.texts]
        self.refers = [refers_back(t) for t in self.texts]
        self.depth = _depth(self.texts, [i > 0 for _, i in self.paras])
        self.enone = [0.0] * len(self.paras)
        self.no_start: set[tuple[int, int]] = set()  # (paragraph, label): a label may not start a segment there

    def _e(self, p: int, lab: int) -> float:
        return self.emit[p][lab] if lab >= 0 else self.enone[p]

    def _body_start(self, p: int, b: int, table: list[dict[tuple[int, int], _Run]]) -> dict[tuple[int, int], _Run]:
        """Paragraph p opens body b: its label is fixed or free, after the best run with each k so far."""
        cur: dict[tuple[int, int], _Run] = {}
        starts = [self.fixed[b]] if self.fixed[b] is not None else self.free
        prev_best = {k: max((r.score for (lab, kk), r in table[p - 1].items() if kk == k), default=NEG)
                     for k in range(self.extra + 1)} if p else {0: 0.0}
        for k, base in prev_best.items():
            if base == NEG:
                continue
            for lab in starts:
                bonus = self.first_w[lab] * self.aff[p][lab] if lab >= 0 else 0.0
                cur[(lab, k)] = _Run(base + self._e(p, lab) + bonus, None)
        return cur

    def _split_here(self, p: int, lab: int, k: int, run: _Run, cur: dict[tuple[int, int], _Run]) -> None:
        """Every free label that may open a new article at paragraph p after a run labelled lab."""
        gain = -SPLIT_COST - COHESION_WEIGHT * self.depth[p]
        for nl in self.free:
            if nl == lab or (p, nl) in self.no_start:
                continue
            o = self.openers[p][0]
            if o < 0 and self.has_lead and self.has_lead[nl] and introduces(self.refers[p], self.items[nl]):
                o = 0.0  # 「《通知》要求…」 goes on from the displaced lead that names a document (「同时，」 never)
            s = run.score + gain + OPENER_WEIGHT * o + self.emit[p][nl] + self.first_w[nl] * self.aff[p][nl]
            key = (nl, k + 1)
            if key not in cur or cur[key].score < s:
                cur[key] = _Run(s, (p - 1, lab, k))

    def table(self, banned: frozenset[int]) -> list[dict[tuple[int, int], _Run]]:
        """table[p][(label, k)]: best score of paragraphs 0..p with paragraph p under label, k splits so far."""
        table: list[dict[tuple[int, int], _Run]] = []
        for p, (b, i) in enumerate(self.paras):
            if i == 0:
                table.append(self._body_start(p, b, table))
                continue
            cur: dict[tuple[int, int], _Run] = {}
            for (lab, k), run in table[p - 1].items():
                key = (lab, k)
                if key not in cur or cur[key].score < run.score + self._e(p, lab):
                    cur[key] = _Run(run.score + self._e(p, lab), (p - 1, lab, k))
                if self.boundary[p] and k < self.extra and p not in banned:
                    self._split_here(p, lab, k, run, cur)
            table.append(cur)
        return table

    def solve(self, banned: frozenset[int]) -> tuple[float, list[tuple[int, int]], list[int]]:
        """The best segmentation: its score, its splits (paragraph, label) and every paragraph's label."""
        table = self.table(banned)
        if not table[-1]:
            return NEG, [], []
        (lab, k), run = max(table[-1].items(), key=lambda kv: kv[1].score - MISSING_COST * (self.extra - kv[0][1]))
        splits: list[tuple[int, int]] = []
        labels_of = [0] * len(self.paras)
        p = len(self.paras) - 1
        labels_of[p] = lab
        while p > 0:
            r = table[p][(lab, k)]
            labels_of[p] = lab
            if r.back is None:  # a body start: the label of the previous paragraph with the same k
                (lab, k), _ = max(((key, rr) for key, rr in table[p - 1].items() if key[1] == k),
                                  key=lambda kv: kv[1].score)
                p -= 1
                continue
            pp, plab, pk = r.back
            if pk != k:
                splits.append((p, lab))
            lab, k, p = plab, pk, pp
        labels_of[0] = lab
        return run.score, sorted(splits), labels_of

    def _twice(self, splits: list[tuple[int, int]], labels_of: list[int]) -> tuple[int, int] | None:
        """A label used by two segments: (its weakest segment's start that may be banned, the label)."""
        runs: dict[int, list[tuple[float, int]]] = {}
        start = 0
        cuts = {q for q, _ in splits}
        for p in range(1, len(self.paras) + 1):
            if p == len(self.paras) or labels_of[p] != labels_of[start] or p in cuts or self.paras[p][1] == 0:
                lab = labels_of[start]
                if lab >= 0:
                    runs.setdefault(lab, []).append((sum(self.aff[q][lab] for q in range(start, p)), start))
                start = p
        twice = [(lab, sorted(r)) for lab, r in runs.items() if len(r) > 1]
        if not twice:
            return None
        lab, r = twice[0]
        weakest = r[0][1]
        if self.paras[weakest][1] == 0:  # a body's own start: ban the next weakest split instead
            splits_of = [q for _, q in r if self.paras[q][1] != 0]
            if not splits_of:
                return None
            weakest = splits_of[0]
        return weakest, lab

    def best(self) -> tuple[float, list[tuple[int, int]]]:
        """The best segmentation where one headline labels one article (a label used twice keeps its
        stronger segment)."""
        score, splits, labels_of = self.solve(frozenset())
        for _ in range(2 * self.extra):
            found = self._twice(splits, labels_of)
            if found is None:
                break
            self.no_start.add(found)
            score, splits, labels_of = self.solve(frozenset())
        return score, splits

    def why(self, score: float, splits: list[tuple[int, int]], labels: list[str]) -> dict[int, tuple[int, float, str]]:
        """Paragraph -> (label, gain over the best segmentation without this split, evidence | rejected)."""
        out: dict[int, tuple[int, float, str]] = {}
        for p, lab in splits:
            alt_score, alt, _ = self.solve(frozenset({p}))
            moved = [q for q, _ in alt if q not in {s for s, _ in splits}]
            if moved:
                bq, iq = self.paras[moved[0]]
                rejected = (f"split at line {self.bodies[bq].paragraphs[iq].lines[0]} instead: "
                            f"score {alt_score:.2f} vs {score:.2f}")
            else:
                rejected = f"no split here: score {alt_score:.2f} vs {score:.2f}"
            gain = score - alt_score if alt_score != NEG else float("inf")
            ev = [f"cohesion with 「{labels[lab]}」 ({self.aff[p][lab]:.2f} in the first paragraph)"]
            if self.openers[p][1]:
                ev.append(self.openers[p][1])
            ev.append(f"words shared across the gap {self.depth[p]:.2f}")
            ev.append("the paragraph before ends a sentence")
            out[p] = (lab, gain, "; ".join(ev) + f" | {rejected}")
        return out


def _cut(sp: _Splitter, choices_at: dict[int, tuple[int, float, str]], labels: list[str]
         ) -> tuple[list[Body], list[int | None], list[SplitChoice]]:
    """The bodies cut at the chosen splits, their start labels and the choices."""
    new_bodies: list[Body] = []
    new_fixed: list[int | None] = []
    choices: list[SplitChoice] = []
    index = {pi: p for p, pi in enumerate(sp.paras)}
    for b, body in enumerate(sp.bodies):
        pieces: list[list[int]] = [[]]
        labs: list[int | None] = [sp.fixed[b]]
        for i in range(len(body.paragraphs)):
            p = index[(b, i)]
            if p in choices_at:
                pieces.append([])
                labs.append(choices_at[p][0])
            pieces[-1].append(i)
        for n, idx in enumerate(pieces):
            last = n == len(pieces) - 1
            part_body = Body([body.paragraphs[i] for i in idx], body.attribution if last else None,
                             list(body.attribution_lines) if last else [], body.start if n == 0 else None,
                             body.jumped if last else False)
            if n > 0:
                lab, gain, why = choices_at[index[(b, idx[0])]]
                part_body = replace(part_body, split=why)
                choices.append(SplitChoice(len(new_bodies), body.paragraphs[idx[0]].lines[0], labels[lab], gain, why,
                                           ""))
            new_bodies.append(part_body)
            new_fixed.append(labs[n])
    return new_bodies, new_fixed, choices


def split_bodies(bodies: list[Body], fixed: list[int | None], items: list[str], labels: list[str],
                 extra: int, has_lead: list[bool] | None = None) -> tuple[list[Body], list[int | None], list[SplitChoice]]:
    """Split ``bodies`` (``fixed[b]``: the item label a body must start with, NONE for a continued body,
    None if free) into at most ``extra`` more articles whose labels come from the free ``items``.

    ``items`` holds every label's text (displaced headline + lead, or the body's own headline);
    ``labels`` names them for --explain; ``has_lead[h]``: item h holds its lead (then the body's first
    paragraph is the story's second and need not restate the headline). Returns the new bodies, their
    start labels and the choices.
    """
    if extra <= 0 or not items or not any(body.paragraphs for body in bodies):
        return bodies, fixed, []
    sp = _Splitter(bodies, fixed, items, extra, has_lead)
    score, splits = sp.best()
    if not splits:
        return bodies, fixed, []
    return _cut(sp, sp.why(score, splits, labels), labels)
