"""Value checks for the shared YAML inputs (glossary, Traditional overrides) before their loaders see them.

The loaders (translate/glossary.py, variants/hant.py) check the shape; this checks every value that is
used as a search or a replacement text: it must be a non-empty one-line text without control characters,
also once format characters (U+200B, U+202E...) are removed — `opencc: ""` would insert its replacement
between every character of the zh-Hant text. Errors name the file, the item and the key.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import yaml

from noticepub.errors import ConfigError
from noticepub.ingest import clean_text


def _load(path: Path, data: bytes, what: str) -> Any:
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: the glossary is read per build
        return yaml.load(data.decode("utf-8-sig"), Loader=loader)  # noqa: S506 - a safe loader
    except UnicodeDecodeError:
        raise ConfigError(path, f"is not UTF-8 text; save the {what} as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(path, f"malformed YAML{where}: {getattr(exc, 'problem', None) or 'invalid YAML'}") from None


def check_text(value: Any, path: Path, where: str) -> None:
    """One value: a non-empty line of visible text, no control characters (raises ConfigError)."""
    if not isinstance(value, str):
        return  # the loader reports wrong types with its own message
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ConfigError(path, f"{where} contains a control character (newline, tab, escape...); write one plain line")
    if not clean_text(value).strip():
        raise ConfigError(path, f"{where} is empty (invisible characters do not count); give the text or remove the item")


def _texts(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def check_glossary(path: Path, data: bytes) -> None:
    items = _load(path, data, "glossary")
    terms = items.get("terms") if isinstance(items, dict) else None
    for n, item in enumerate(terms if isinstance(terms, list) else [], 1):
        if not isinstance(item, dict):
            continue
        label = f"term #{n}"
        check_text(item.get("zh"), path, f"{label} key 'zh'")
        for key in ("en", "avoid"):
            for value in _texts(item.get(key)) if key in item or key == "en" else []:
                check_text(value, path, f"{label} ({item.get('zh')}) key '{key}'")


def check_overrides(path: Path, data: bytes) -> None:
    items = _load(path, data, "override list")
    entries = items.get("overrides") if isinstance(items, dict) else None
    for n, item in enumerate(entries if isinstance(entries, list) else [], 1):
        if not isinstance(item, dict):
            continue
        for key in ("opencc", "hant"):
            check_text(item.get(key), path, f"override #{n} key '{key}'")
        if item.get("opencc") == item.get("hant") and isinstance(item.get("opencc"), str):
            raise ConfigError(path, f"override #{n} replaces '{item['opencc']}' with itself; remove it")
