"""Regions (data/regions.yml) and topics (data/topics.yml) found in a text, for the index pages."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from noticepub.render.labels import DATA


@lru_cache(maxsize=1)
def regions_table() -> tuple[dict, ...]:
    return tuple(yaml.safe_load((DATA / "regions.yml").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _by_slug() -> dict[str, dict]:
    return {r["slug"]: r for r in regions_table()}


def region(slug: str) -> dict:
    return _by_slug()[slug]


def find_regions(text: str) -> list[str]:
    """Slugs of the regions named in ``text``, sorted (longest names first, so 内蒙古 is not also 蒙古)."""
    found = []
    for entry in sorted(regions_table(), key=lambda r: -len(r["name"])):
        if entry["name"] in text:
            found.append(entry["slug"])
            text = text.replace(entry["name"], "\u0000")
    return sorted(found)


def article_regions(title: str, lead: str | None, body: tuple[str, ...], maintainer: tuple[str, ...] = ()) -> list[str]:
    """Where an article is about, not every place it names: the regions in its title and lead, the
    acting place of its first body paragraph when title and lead name none (the first region named as an
    actor: followed by 省/市/自治区 or an office, 「本报讯 近日，山西省民政厅……」), and the notice's `regions`
    from notice.yml. A passing mention (「借鉴海南、山东的做法」) does not file the article under that region."""
    found = set(find_regions(title)) | set(find_regions(lead or ""))
    if body and not found:
        first = body[0]
        positions = [(m.start(), r["slug"]) for r in regions_table()
                     for m in [re.search(re.escape(r["name"]) + _ACTOR, first)] if m]
        if positions:
            # the earliest name; at the same position the longer name wins (内蒙古, not 蒙古)
            found.add(min(positions, key=lambda p: (p[0], -len(region(p[1])["name"])))[1])
    return sorted(found | set(find_regions("、".join(maintainer))))


# what follows a place name that acts: its administrative suffix or one of its offices
_ACTOR = ("(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|民政|人社|政府|党委|各级|各地|全省|全市|全区|"
          "多部门|[0-9０-９]+个?部门)")


@lru_cache(maxsize=1)
def topics_table() -> tuple[dict, ...]:
    return tuple(yaml.safe_load((DATA / "topics.yml").read_text(encoding="utf-8")))


def find_topics(text: str) -> list[str]:
    """Topic tags (data/topics.yml) whose words occur in ``text``, sorted."""
    return sorted(t["tag"] for t in topics_table() if any(w in text for w in (t["tag"], *t["words"])))


def article_tags(text: str, notice_tags: tuple[str, ...], all_texts: tuple[str, ...]) -> list[str]:
    """Derived topics plus the maintainer's tags that this article is about: a tag goes to the articles
    that mention it (or its topic words); a tag no article mentions goes to every article."""
    derived = set(find_topics(text))
    mine = set()
    for tag in notice_tags:
        words = next((t["words"] for t in topics_table() if t["tag"] == tag), [])
        mentions = [any(w in other for w in (tag, *words)) for other in all_texts]
        if tag in derived or any(w in text for w in (tag, *words)) or not any(mentions):
            mine.add(tag)
    return sorted(derived | mine)
