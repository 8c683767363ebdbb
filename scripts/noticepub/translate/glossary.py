"""Glossary: zh term -> official English (source_texts/glossary.yml), checked in every translation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from noticepub.errors import ConfigError


@dataclass(frozen=True)
class Term:
    zh: str
    en: tuple[str, ...]  # accepted renderings, the first is preferred
    note: str = ""


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> tuple[Term, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(path, f"cannot read the glossary: {exc}") from None
    items = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(path, "must be a mapping with a list under 'terms' (items: {zh: 民政部, en: ...})")
    terms = []
    for n, item in enumerate(items, 1):
        en = item.get("en") if isinstance(item, dict) else None
        if isinstance(en, str):
            en = [en]
        if not (isinstance(item, dict) and isinstance(item.get("zh"), str) and isinstance(en, list) and en
                and all(isinstance(e, str) and e for e in en)):
            raise ConfigError(path, f"term #{n} needs 'zh' (text) and 'en' (text or list of texts)")
        terms.append(Term(item["zh"], tuple(en), str(item.get("note", ""))))
    # longest first, so 江苏省民政厅 is checked before 民政厅
    return tuple(sorted(terms, key=lambda t: (-len(t.zh), t.zh)))


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
