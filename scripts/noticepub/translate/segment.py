"""Deterministic Chinese sentence segmentation: the unit of translation and of the memory.

Rules, in order:
* A sentence ends at 。！？； (or ! ? ;) together with the closing quotes/brackets right after it.
* Never inside 《…》 (titles of documents may contain stops).
* Inside “…” / 「…」 / （…） only when the quote closes right after the stop (“…。”): a quoted
  sentence stays whole, and a quote that continues the sentence is not cut.
* An opener that never closes in the text is ignored, so one stray quote cannot glue a whole
  paragraph together.
Segments concatenate back to the input (minus whitespace at the cut points).
"""

from __future__ import annotations

STOPS = frozenset("。！？；!?;")
PAIRS = {"《": "》", "“": "”", "「": "」", "『": "』", "（": "）", "(": ")", "‘": "’", "〈": "〉"}
CLOSERS = frozenset(PAIRS.values())


def _matched_openers(text: str) -> set[int]:
    """Indices of openers that have a matching closer later in the text (stack discipline)."""
    matched: set[int] = set()
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append(i)
        elif ch in CLOSERS:
            for depth in range(len(stack) - 1, -1, -1):
                if PAIRS[text[stack[depth]]] == ch:
                    matched.add(stack[depth])
                    titles = [k for k in stack[depth + 1:] if text[k] == "《"]  # 《…》 outlives crossed brackets
                    del stack[depth:]
                    stack.extend(titles)
                    break
    return matched


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order (empty list for blank text)."""
    matched = _matched_openers(text)
    out: list[str] = []
    stack: list[str] = []  # expected closers of the open, matched brackets
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in PAIRS and i in matched:
            stack.append(PAIRS[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch in STOPS and "》" not in stack:
            j = i + 1
            while j < n and (text[j] in STOPS or text[j] in CLOSERS):  # ?! runs and closing quotes
                if stack and text[j] == stack[-1]:
                    stack.pop()
                j += 1
            if not stack:
                piece = text[start:j].strip()
                if piece:
                    out.append(piece)
                start = j
            i = j
            continue
        i += 1
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
