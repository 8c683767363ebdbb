"""zh-Hant: OpenCC with a character-level config, reader glyph forms, an override list and 「」 quotes.

Readers in Taiwan and Hong Kong write 為 眾 啟 群 峰, not OpenCC's own standard forms 爲 衆 啓 羣 峯 (what
`s2t` produces), so the default config is `s2tw` (Taiwan character forms, no phrase rewriting) and `s2hk`
is available as a setting. Phrase-level configs such as s2twp rewrite government vocabulary (文件→檔案,
对象→物件, 发布→釋出, 调度→排程) and are not offered. source_texts/zh-Hant-overrides.yml holds two lists,
applied to OpenCC's output: `forms` (single characters OpenCC leaves in a form readers don't use, for any
config) and `overrides` (words OpenCC still gets wrong). Quotation marks “ ” ‘ ’ become 「 」 『 』 as
Traditional-Chinese print sets them (setting `hant_quotes`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import opencc
import yaml

from noticepub.errors import ConfigError
from noticepub.model import CONVERTED, Article, LocalizedArticle, Provenance
from noticepub.settings import Settings
from noticepub.variants.hans import localize


@lru_cache(maxsize=8)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _pairs(path: Path, data: dict, key: str, single: bool) -> tuple[tuple[str, str], ...]:
    entries = data.get(key, [])
    if not isinstance(entries, list):
        raise ConfigError(path, f"'{key}' must be a list (items: {{opencc: 發佈, hant: 發布}})")
    pairs = []
    for n, item in enumerate(entries, 1):
        if not (isinstance(item, dict) and isinstance(item.get("opencc"), str) and isinstance(item.get("hant"), str)):
            raise ConfigError(path, f"{key[:-1]} #{n} needs text keys 'opencc' (OpenCC's output) and 'hant' (the fix)")
        if single and (len(item["opencc"]) != 1 or len(item["hant"]) != 1):
            raise ConfigError(path, f"form #{n} ({item['opencc']}) must map one character to one character; "
                                    "put words under 'overrides'")
        if not item["opencc"]:
            raise ConfigError(path, f"{key[:-1]} #{n} has an empty 'opencc' text")
        pairs.append((item["opencc"], item["hant"]))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=8)
def load_lists(path: Path, mtime_ns: int) -> tuple[dict[int, str], tuple[tuple[str, str], ...]]:
    """(character forms as a str.translate table, word overrides longest first) from the override file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(path, f"cannot read the Traditional override list: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(path, "must be a mapping with lists 'forms' and 'overrides' (items: {opencc: 發佈, hant: 發布})")
    forms = {ord(a): b for a, b in _pairs(path, data, "forms", single=True)}
    return forms, _pairs(path, data, "overrides", single=False)


def load_overrides(path: Path, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    """Word override pairs (wrong OpenCC output -> right Traditional form), longest first."""
    return load_lists(path, mtime_ns)[1]


@lru_cache(maxsize=1)
def _opencc_version() -> str:
    from importlib.metadata import version

    return version("OpenCC")


def _lists(settings: Settings) -> tuple[dict[int, str], tuple[tuple[str, str], ...]]:
    path = settings.hant_overrides_path
    if not path.is_file():
        return {}, ()
    return load_lists(path, path.stat().st_mtime_ns)


_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『"})
_CLOSING_SINGLE = re.compile(r"(?<![A-Za-z])’|’(?![A-Za-z])")  # not the apostrophe of O’Brien


def hant_quotes(text: str) -> str:
    """Chinese quotation marks as Traditional print sets them: “ ” → 「 」, ‘ ’ → 『 』 (Latin apostrophes kept)."""
    out = text.translate(_QUOTES)
    return _CLOSING_SINGLE.sub("』", out) if "’" in out else out


def to_hant(text: str, settings: Settings) -> str:
    forms, overrides = _lists(settings)
    out = _converter(settings.opencc_config).convert(text)
    if forms:
        out = out.translate(forms)
    for wrong, right in overrides:
        out = out.replace(wrong, right)
    if settings.hant_quotes:
        out = hant_quotes(out)
    return out


def hant_method(settings: Settings) -> str:
    """For maintainers (technical details): the converter, its version and config."""
    quotes = ", 「」 quotes" if settings.hant_quotes else ""
    return f"OpenCC {_opencc_version()}, config {settings.opencc_config}{quotes}"


def hant_articles(articles: tuple[Article, ...], settings: Settings) -> tuple[LocalizedArticle, ...]:
    provenance = Provenance("opencc", hant_method(settings))
    return localize(articles, "zh-Hant", lambda s: to_hant(s, settings), CONVERTED, provenance)
