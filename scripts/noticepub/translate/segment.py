"""Deterministic Chinese sentence segmentation: the unit of translation and of the memory.

A sentence ends at 。！？； (or ! ?) together with the closing quotes/brackets that follow it.
Never inside 《…》; inside “…” only when the quote closes right after the stop (“…。”), so a
quoted sentence stays whole and a quote that continues the sentence is not cut.
"""

from __future__ import annotations

STOPS = "。！？；!?"
CLOSERS = "”’」』）)》"
OPENERS = {"《": "》", "“": "”", "「": "」", "『": "』", "（": "）", "(": ")"}
QUOTES = {"“", "「", "『"}


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    stack: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in OPENERS:
            stack.append(OPENERS[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch in STOPS and "》" not in stack:
            j = i + 1
            # take the closers that follow the stop
            while j < n and text[j] in CLOSERS:
                if stack and text[j] == stack[-1]:
                    stack.pop()
                j += 1
            inside_quote = any(c in ("”", "」", "』") for c in stack)
            if not inside_quote and not any(c in ("）", ")") for c in stack):
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
