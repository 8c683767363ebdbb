"""Glossary: zh term -> official English (source_texts/glossary.yml), enforced and checked.

CTranslate2 has no lexically constrained decoding and small models mangle placeholders, so the
glossary is applied *after* translation (``enforce``): a Chinese term copied through by
``replace_unknowns`` and a known wrong rendering listed under ``avoid`` are replaced by the preferred
English. QA (qa.py) then checks every term is rendered as often as it occurs and flags the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from noticepub.errors import ConfigError, excerpt


@dataclass(frozen=True)
class Term:
    zh: str
    en: tuple[str, ...]  # accepted renderings, the first is preferred
    note: str = ""
    avoid: tuple[str, ...] = ()  # known wrong renderings, replaced by en[0] in machine output


def _texts(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    return None


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> tuple[Term, ...]:
    from noticepub.inputcheck import load_yaml

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, f"cannot read the glossary: {exc.strerror}") from None
    data = load_yaml(path, raw, "glossary") or {}
    items = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(path, "must be a mapping with a list under 'terms' (items: {zh: 民政部, en: ...})")
    terms: dict[str, Term] = {}
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("zh"), str) or not item["zh"].strip():
            raise ConfigError(path, f"term #{n} needs 'zh' (the Chinese term)")
        en = _texts(item.get("en"))
        avoid = _texts(item.get("avoid", []))
        if not en or avoid is None:
            raise ConfigError(path, f"term #{n} ({excerpt(item['zh'], quote=False)}): 'en' and 'avoid' must be a text "
                              "or a list of texts")
        unknown = set(item) - {"zh", "en", "note", "avoid"}
        if unknown:
            keys = excerpt(", ".join(sorted(map(str, unknown))), quote=False)
            raise ConfigError(path, f"term #{n} ({excerpt(item['zh'], quote=False)}): unknown key(s) {keys}")
        if item["zh"] in terms:
            raise ConfigError(path, f"term #{n}: {excerpt(item['zh'], quote=False)} is listed twice")
        terms[item["zh"]] = Term(item["zh"], en, str(item.get("note", "")), avoid)
    # longest first, so 江苏省民政厅 is matched before 民政厅
    return tuple(sorted(terms.values(), key=lambda t: (-len(t.zh), t.zh)))


def load_glossary(path: Path) -> tuple[Term, ...]:
    if not path.is_file():
        return ()
    return _load(path, path.stat().st_mtime_ns)


def terms_in(source: str, glossary: tuple[Term, ...]) -> list[tuple[Term, int]]:
    """Glossary terms occurring in ``source`` with their counts (a longer term hides the shorter inside it)."""
    found = []
    masked = source
    for term in glossary:
        count = masked.count(term.zh)
        if count:
            found.append((term, count))
            masked = masked.replace(term.zh, "\u0000" * len(term.zh))
    return found


def rendered_count(term: Term, english: str) -> int:
    """How often any accepted rendering of ``term`` occurs in ``english`` (case-insensitive, longest first)."""
    masked = english.lower()
    count = 0
    for rendering in sorted(term.en, key=len, reverse=True):
        needle = rendering.lower()
        count += masked.count(needle)
        masked = masked.replace(needle, "\u0000")
    return count


def enforce(source: str, english: str, glossary: tuple[Term, ...]) -> str:
    """Machine output with the glossary applied where this can be done safely."""
    for term, _count in terms_in(source, glossary):
        english = english.replace(term.zh, term.en[0])  # copied through by replace_unknowns
        for wrong in term.avoid:
            english = re.sub(rf"(?<![\w-]){re.escape(wrong)}(?![\w-])", term.en[0], english, flags=re.IGNORECASE)
    return english
