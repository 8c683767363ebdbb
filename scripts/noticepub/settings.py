"""Build settings: declared once, read from ``[tool.noticepub]`` in pyproject.toml.

Errors read like sentences and name the file, the key and the fix.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from noticepub.errors import ConfigError

CACHE_DIR = ".noticepub-cache"  # under the repository root: the build's and the site's caches
LOCK_NAME = ".noticepub.lock"  # under the repository root: held by every build


@dataclass(frozen=True)
class Settings:
    root: Path
    source_dir: str = "source_texts"
    docs_dir: str = "docs"
    opencc_config: str = "s2tw"
    hant_quotes: bool = True
    hant_overrides: str = "source_texts/zh-Hant-overrides.yml"
    glossary: str = "source_texts/glossary.yml"
    max_raw_bytes: int = 4_000_000
    max_po_bytes: int = 12_000_000  # en.po: about twice its raw.txt
    max_yaml_bytes: int = 1_000_000  # notice.yml, glossary, Traditional overrides
    max_url_list_bytes: int = 64_000_000  # source_texts/urls.txt: ~50 URLs of ~80 bytes for 16,000 notices
    mt_threads: int = 0  # batches translated side by side; 0 = one per core
    mt_batch_size: int = 64
    mt_batch_tokens: int = 2048  # padded source tokens per MT batch (len x longest)
    mt_max_padding: float = 0.25  # a batch's padding at most this fraction of its real tokens
    mt_max_length_ratio: float = 2.0  # decoding cap: ratio x source tokens + extra (runaway guard)
    mt_max_length_extra: int = 10
    mt_repetition_penalty: float = 1.0  # CTranslate2 repetition controls (1.0 / 0 = off)
    mt_no_repeat_ngram_size: int = 0
    site_url: str = "https://noticepub.example.org/"
    search_shard_pages: int = 512  # article pages per search index shard (a change re-indexes one shard)

    # resolved paths
    @property
    def source_path(self) -> Path:
        return self.root / self.source_dir

    @property
    def docs_path(self) -> Path:
        return self.root / self.docs_dir

    @property
    def glossary_path(self) -> Path:
        return self.root / self.glossary

    @property
    def hant_overrides_path(self) -> Path:
        return self.root / self.hant_overrides


# Character-level configs only: phrase-level ones (s2twp, s2hkp) rewrite government vocabulary (文件→檔案).
_ALLOWED_OPENCC = {"s2tw", "s2hk", "s2t"}


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding a pyproject.toml with [tool.noticepub]."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.noticepub]" in candidate.read_text(encoding="utf-8"):
            return folder
    raise ConfigError(here, "no pyproject.toml with a [tool.noticepub] table here or above; run from the repository")


def load_settings(root: Path | None = None, **overrides: object) -> Settings:
    root = find_root() if root is None else Path(root).resolve()
    path = root / "pyproject.toml"
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("noticepub", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(path, f"cannot read settings: {exc}") from None
    known = {f.name: f for f in fields(Settings) if f.name != "root"}
    values: dict[str, object] = {}
    for key, value in {**table, **overrides}.items():
        if key not in known:
            raise ConfigError(path, f"[tool.noticepub] has unknown key '{key}'; known keys: {', '.join(known)}")
        default = getattr(Settings, key)
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # `mt_max_length_ratio = 2` means 2.0
        if not isinstance(value, type(default)) or isinstance(value, bool) != isinstance(default, bool):
            raise ConfigError(
                path, f"[tool.noticepub] key '{key}' must be a {type(default).__name__}, got {value!r}"
            )
        values[key] = value
    settings = Settings(root=root, **values)  # type: ignore[arg-type]
    if settings.opencc_config not in _ALLOWED_OPENCC:
        raise ConfigError(
            path,
            f"[tool.noticepub] opencc_config '{settings.opencc_config}' is not one of "
            f"{', '.join(sorted(_ALLOWED_OPENCC))}",
        )
    if settings.mt_max_padding < 0:
        raise ConfigError(path, "[tool.noticepub] key 'mt_max_padding' must be 0 or more")
    if settings.mt_threads < 0:
        raise ConfigError(path, "[tool.noticepub] key 'mt_threads' must be 0 (one per core) or more")
    for key in ("max_raw_bytes", "max_po_bytes", "max_yaml_bytes", "max_url_list_bytes", "mt_batch_size", "mt_batch_tokens",
                "mt_max_length_ratio", "search_shard_pages"):
        if getattr(settings, key) < 1:
            raise ConfigError(path, f"[tool.noticepub] key '{key}' must be at least 1")
    return settings
