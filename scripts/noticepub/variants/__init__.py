"""Variants: zh-Hans as parsed, zh-Hant by OpenCC (+ overrides). English lives in noticepub.translate."""

from noticepub.variants.hans import hans_articles
from noticepub.variants.hant import hant_articles, to_hant

__all__ = ["hans_articles", "hant_articles", "to_hant"]
