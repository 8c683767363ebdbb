"""Strict YAML reading for every input file, and value checks for the shared ones (glossary, overrides).

load_yaml is the one YAML reader of notice.yml, the glossary and the Traditional overrides. It refuses
what a hand-written file never needs and a hostile one uses: aliases and anchors (a 400-byte alias bomb
expands to 9^9 values), nesting deeper than MAX_DEPTH (a RecursionError in the composer), duplicate keys
(the first block silently ignored); dates and times stay text (notice.yml checks them with the key's
name). It reads the event stream first, so a refused file is never composed.

The loaders (translate/glossary.py, variants/hant.py) check the shape; check_glossary and check_overrides
check every value that is used as a search or a replacement text: it must be a non-empty one-line text
without control characters, also once format characters (U+200B, U+202E...) are removed — `opencc: ""`
would insert its replacement between every character of the zh-Hant text. Errors name the file, the item
and the key.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import yaml

from noticepub.errors import ConfigError, InputError, excerpt
from noticepub.ingest import clean_text

MAX_DEPTH = 16  # nesting levels of lists and mappings; notice.yml needs 4 (corrections.join pairs)
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: the glossary is read per build


class _StrictLoader(_BASE):  # type: ignore[misc, valid-type]
    """A safe loader that refuses duplicate keys and keeps timestamps as text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: the constructor reports it
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {excerpt(key)} (first at line {first}); keep one of them",
                    key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _BASE.construct_yaml_str)


def _refuse_aliases_and_depth(text: str) -> None:
    """Walk the event stream (no composition): anchors, aliases and deep nesting raise MarkedYAMLError."""
    depth = 0
    for event in yaml.parse(text, Loader=_BASE):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(None, None, "YAML anchors and aliases (&name, *name) are not allowed; "
                                       "write each value out", event.start_mark)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_yaml(path: Path, data: bytes, what: str, error: type[InputError] | type[ConfigError] = ConfigError) -> Any:
    """The YAML document in ``data`` (bytes of ``path``), read strictly; raises ``error`` naming the file and line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(path, f"is not UTF-8 text; save the {what} as UTF-8") from None
    if not text.strip():
        return None
    try:
        _refuse_aliases_and_depth(text)
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = str(getattr(exc, "problem", None) or "invalid YAML")
        raise error(path, f"malformed YAML{where}: {excerpt(problem, 200, quote=False)}; fix the {what}") from None


def _load(path: Path, data: bytes, what: str) -> Any:
    return load_yaml(path, data, what)


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
                check_text(value, path, f"{label} ({excerpt(item.get('zh'), quote=False)}) key '{key}'")


def check_overrides(path: Path, data: bytes) -> None:
    items = _load(path, data, "override list")
    entries = items.get("overrides") if isinstance(items, dict) else None
    for n, item in enumerate(entries if isinstance(entries, list) else [], 1):
        if not isinstance(item, dict):
            continue
        for key in ("opencc", "hant"):
            check_text(item.get(key), path, f"override #{n} key '{key}'")
        if item.get("opencc") == item.get("hant") and isinstance(item.get("opencc"), str):
            raise ConfigError(path, f"override #{n} replaces {excerpt(item['opencc'])} with itself; remove it")
