"""zh-Hant: OpenCC with a character-level config (settings.opencc_config) and a data-file override list.

Phrase-level configs such as s2twp rewrite government vocabulary (文件→檔案, 对象→物件, 发布→釋出,
调度→排程), so the default is character-level `s2t`; terms OpenCC still gets wrong are fixed by
source_texts/zh-Hant-overrides.yml, applied to OpenCC's output.
"""

from __future__ import annotations

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


@lru_cache(maxsize=8)
def load_overrides(path: Path, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    """Override pairs (wrong OpenCC output -> right Traditional form), longest first."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(path, f"cannot read the Traditional override list: {exc}") from None
    entries = data.get("overrides", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(path, "must be a mapping with a list under 'overrides' (items: {opencc: 發佈, hant: 發布})")
    pairs = []
    for n, item in enumerate(entries, 1):
        if not (isinstance(item, dict) and isinstance(item.get("opencc"), str) and isinstance(item.get("hant"), str)):
            raise ConfigError(path, f"override #{n} needs text keys 'opencc' (OpenCC's output) and 'hant' (the fix)")
        pairs.append((item["opencc"], item["hant"]))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _opencc_version() -> str:
    from importlib.metadata import version

    return version("OpenCC")


def _overrides(settings: Settings) -> tuple[tuple[str, str], ...]:
    path = settings.hant_overrides_path
    if not path.is_file():
        return ()
    return load_overrides(path, path.stat().st_mtime_ns)


def to_hant(text: str, settings: Settings) -> str:
    out = _converter(settings.opencc_config).convert(text)
    for wrong, right in _overrides(settings):
        out = out.replace(wrong, right)
    return out


def hant_articles(articles: tuple[Article, ...], settings: Settings) -> tuple[LocalizedArticle, ...]:
    provenance = Provenance("opencc", f"OpenCC {_opencc_version()}, config {settings.opencc_config}")
    return localize(articles, "zh-Hant", lambda s: to_hant(s, settings), CONVERTED, provenance)
