"""The interface strings of the three languages (data/labels.yml), at the bottom of render/."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    return yaml.safe_load((DATA / "labels.yml").read_text(encoding="utf-8"))


def L(lang: str, key: str) -> str:  # noqa: N802 - short on purpose: used in every template line
    return labels()[lang][key]
