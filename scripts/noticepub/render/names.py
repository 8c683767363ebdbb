"""How readers see notices and index keys: names and readable ASCII slugs, never ids or hashes.

A newspaper page (notice) is named by its publication, date and page when notice.yml gives them,
otherwise by its first headline (「民政部开展全国养老机构……等4篇」). URLs are readable ASCII: pinyin
(pypinyin, syllables joined by hyphens) or the English name of a topic in
topics.yml. Pages published under the old id/hash URLs are kept working by redirect pages (render/redirects.py).
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

from noticepub.render.labels import L
from noticepub.render.regions import region, topics_table
from noticepub.settings import Settings

SLUG_MAX = 48  # characters of a slug made from a headline (whole words only)
TITLE_CHARS = 11  # characters of a Chinese headline shown in a notice's name before "……"
TITLE_CHARS_EN = 60


@lru_cache(maxsize=4096)
def ascii_slug(text: str, limit: int = SLUG_MAX) -> str:
    """`民政部开展全国养老机构` -> `min-zheng-bu-kai-zhan-quan-guo-yang-lao-ji-gou` (one syllable a word:
    pypinyin reads polyphones by its phrase list, 重庆 chong-qing); Latin text is lower-cased; at most
    ``limit`` characters, cut between words."""
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")  # read-only use: no defensive copy of the dictionaries
    from pypinyin import lazy_pinyin

    words: list[str] = []
    for word in lazy_pinyin(unicodedata.normalize("NFKC", text), errors="default"):
        words += re.findall(r"[a-z0-9]+", word.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "")


TAG_RECORD = "tag-urls.txt"  # in source_texts/: every tag ever published and its URL name
TAG_RECORD_HEAD = (
    "# The URL name of every topic tag ever published (tags/<name>/), written by `noticepub build`: commit it\n"
    "# with docs/ and never edit it. A tag keeps its URL for good; a new tag never takes one listed here.\n"
)


def _base_tag_slug(tag: str) -> str:
    topic = next((t for t in topics_table() if t["tag"] == tag), None)
    if topic and topic.get("en"):
        return ascii_slug(topic["en"]) or "topic"
    return ascii_slug(tag) or "topic"


@lru_cache(maxsize=4)
def _read_tag_record(path: str, stamp: tuple[int, int, int], limit: int, root: str) -> tuple[tuple[str, str], ...]:
    from pathlib import Path

    from noticepub.errors import InputError
    from noticepub.fsutil import read_input
    from noticepub.meta import is_slug

    data = read_input(Path(root), Path(path), limit, "max_yaml_bytes", "text file") or b""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text; restore it from git (the build writes it)") from None
    pairs: dict[str, str] = {}
    taken: dict[str, str] = {}
    for n, line in enumerate(text.split("\n"), 1):  # not splitlines: U+2028 may be in a tag
        if not line.strip() or line.startswith("#"):
            continue
        slug, _, tag = line.removesuffix("\r").partition(" ")  # a CRLF checkout reads the same
        bad = (not is_slug(slug) or not tag.strip() or len(tag) > 40  # a tag as notice.yml allows it
               or any(unicodedata.category(ch) == "Cc" for ch in tag))
        if bad or tag in pairs or slug in taken:
            raise InputError(path, f"line {n}: not '<url-name> <tag>' with a URL name of lowercase ASCII letters, "
                             "digits and '-' and a tag listed once; restore the file from git")
        pairs[tag] = slug
        taken[slug] = tag
    return tuple(pairs.items())


def tag_record(settings: Settings) -> dict[str, str]:
    """source_texts/tag-urls.txt: tag -> URL name of every tag ever published (checked; {} when absent)."""
    path = settings.source_path / TAG_RECORD
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return {}
    stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    return dict(_read_tag_record(str(path), stamp, settings.max_yaml_bytes, str(settings.root)))


def _hash_suffix(tag: str) -> str:
    import hashlib

    return hashlib.sha256(tag.encode("utf-8")).hexdigest()[:6]


def tag_slug(tag: str, settings: Settings | None = None) -> str:
    """A topic's URL name: its English name from topics.yml, else the pinyin of the tag. With ``settings``, the
    name recorded for it in source_texts/tag-urls.txt; a tag not recorded yet whose name another tag holds
    gets "-" and six hex digits of its hash, so a new tag never takes an old tag's URL."""
    base = _base_tag_slug(tag)
    if settings is None:
        return base
    record = tag_record(settings)
    if tag in record:
        return record[tag]
    return f"{base}-{_hash_suffix(tag)}" if base in record.values() else base


def tag_slugs(tags: list[str], settings: Settings) -> tuple[dict[str, str], bytes]:
    """The URL name of every tag (the record's, then tag_slug's for a new tag; of two new tags with one name,
    the second in sorted order gets the hash suffix) and the record's new bytes."""
    record = tag_record(settings)
    out = dict(record)
    taken = set(record.values())
    for tag in sorted(set(tags) - set(record)):
        slug = tag_slug(tag, settings)
        if slug in taken:
            slug = f"{_base_tag_slug(tag)}-{_hash_suffix(tag)}"
        n = 1
        while slug in taken:  # hash prefixes of two tags collide: practically never
            n += 1
            slug = f"{_base_tag_slug(tag)}-{_hash_suffix(tag)}-{n}"
        taken.add(slug)
        out[tag] = slug
    data = TAG_RECORD_HEAD + "".join(f"{slug} {tag}\n" for tag, slug in sorted(out.items(), key=lambda kv: kv[1]))
    return out, data.encode("utf-8")


def tag_record_exceptions(settings: Settings) -> tuple[tuple[str, str], ...]:
    """The recorded tags that got a hash suffix: the only entries that can differ from the name a notice's pages
    were rendered with before the tag was recorded (a new tag with a free name changes no published page, so
    it invalidates no cached notice). Cheap: no pinyin."""
    return tuple(sorted((tag, slug) for tag, slug in tag_record(settings).items()
                        if f"-{_hash_suffix(tag)}" in slug))


def publication_slug(name: str | None) -> str:
    return (ascii_slug(name) or "publication") if name else "unknown"


def _page_slug(page: str) -> str:
    number = chinese_page(page)
    return ascii_slug(number) if number else ascii_slug(page)


def notice_slug(facts: dict) -> str:
    """``facts``: publication, date (ISO), page, first_title (zh-Hans) and id of a notice.
    publication-date-page when known (`zhong-guo-she-hui-bao-2023-01-16-a3`), else the first headline;
    without a page, publication and date are followed by the first headline (two pages of one day differ)."""
    headline = ascii_slug(facts.get("first_title") or "")
    if facts.get("publication") or facts.get("date"):
        parts = [publication_slug(facts.get("publication")) if facts.get("publication") else "",
                 facts.get("date") or "",
                 _page_slug(facts["page"]) if facts.get("page") else ascii_slug(facts.get("first_title") or "", 32)]
        slug = "-".join(p for p in parts if p)
    else:
        slug = headline
    return slug or f"page-{facts['id']}"  # a page with no Chinese or Latin text at all keeps its folder name


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(text: str) -> int | None:
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def chinese_page(page: str) -> str:
    """`第十三版` -> `13`, `A4版` -> `A4`, `A3` -> `A3` (how the page is named in English)."""
    core = unicodedata.normalize("NFKC", page).strip()
    core = core.removeprefix("第").removesuffix("版").removesuffix("页").strip()
    number = _cn_number(core)
    return str(number) if number is not None else core


# Babel locales of the three languages: each writes dates its own way (2024年10月3日, 3 October 2024).
BABEL_LOCALES = {"zh-Hans": "zh_Hans_CN", "zh-Hant": "zh_Hant_TW", "en": "en_GB"}


@lru_cache(maxsize=8192)
def format_date(date: str, lang: str) -> str:
    """An ISO date as ``lang`` writes it (Babel, long format): 2024年10月3日, 3 October 2024."""
    import datetime as dt

    from babel.dates import format_date as babel_date

    return babel_date(dt.date.fromisoformat(date), "long", locale=BABEL_LOCALES[lang])


def format_year(year: str, lang: str) -> str:
    """A year heading: 2024年 in Chinese, 2024 in English."""
    return year if lang == "en" else f"{year}年"


@lru_cache(maxsize=4096)
def format_month(month: str, lang: str) -> str:
    """A month "2024-10" as ``lang`` writes it (Babel): 2024年10月, October 2024."""
    import datetime as dt

    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", dt.date.fromisoformat(month + "-01"), locale=BABEL_LOCALES[lang])


def format_page(page: str, lang: str, labelled: bool = False) -> str:
    """How a page number is said: 第3版 / A3版, "page 3" in English ("3" after a "Page:" label)."""
    number = chinese_page(page)
    if lang == "en":
        return number if labelled else f"page {number}"
    return page if page.startswith("第") or page.endswith("版") else f"{number}版"


def _shorten(title: str, lang: str) -> str:
    if lang == "en":
        if len(title) <= TITLE_CHARS_EN:
            return title
        return title[:TITLE_CHARS_EN].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return title if len(title) <= TITLE_CHARS + 3 else title[:TITLE_CHARS] + "……"


def notice_label(facts: dict, lang: str) -> str:
    """How a notice is named in ``lang``. ``facts``: publication (already in the page's script), date,
    page, titles (the headlines of its published articles in ``lang``, reading order; continued articles have
    none) and count (its published articles). Publication, date and page when known; without a page, they
    are followed by the first headline; with neither publication nor date, the first headline alone."""
    parts = []
    if facts.get("publication"):
        parts.append(facts["publication"])
    if facts.get("date"):
        parts.append(format_date(facts["date"], lang))
    if parts and facts.get("page"):
        return (", " if lang == "en" else " ").join([*parts, format_page(facts["page"], lang)])
    titles = [t for t in facts.get("titles", ()) if t]
    if titles:
        head = _shorten(titles[0], lang)
        count = max(facts.get("count", len(titles)), len(titles))
        if count > 1:
            head = L(lang, "notice_named").format(title=head, n=count, more=count - 1)
    else:
        head = "" if parts else L(lang, "notice_untitled")
    facts_text = (", " if lang == "en" else " ").join(parts)
    return L(lang, "colon").join(p for p in (facts_text, head) if p)


def continued_label(lang: str, continued_from: str | None) -> str:
    """The heading of an article that begins on another page (it has no headline of its own)."""
    if not continued_from:
        return L(lang, "continued")
    page = format_page(continued_from, lang) if lang == "en" else continued_from  # 第一版 is the same in both scripts
    return L(lang, "continued_from").format(page=page)


class KeyNames:
    """Display names of index keys in one language (zh-Hant by OpenCC, English from the data files)."""

    def __init__(self, lang: str, settings: Settings) -> None:
        self.lang, self.settings = lang, settings
        self._cache: dict[str, str] = {}

    def zh(self, text: str) -> str:
        if self.lang != "zh-Hant":
            return text
        if text not in self._cache:
            from noticepub.variants import to_hant

            self._cache[text] = to_hant(text, self.settings)
        return self._cache[text]

    def region(self, slug: str) -> str:
        entry = region(slug)
        return entry["en"] if self.lang == "en" else self.zh(entry["name"])

    def tag(self, tag: str) -> str:
        if self.lang != "en":
            return self.zh(tag)
        name = english_tag(tag, self.settings)
        return name if name is not None else tag

    def publication(self, name: str) -> str:
        if not name:
            return L(self.lang, "unknown_publication")
        if self.lang != "en":
            return self.zh(name)
        english = glossary_english(name, self.settings)
        return english if english is not None else name


def glossary_english(zh: str, settings: Settings) -> str | None:
    """The preferred English of a Chinese name in the glossary (source_texts/glossary.yml), else None."""
    from noticepub.translate.glossary import load_glossary

    term = next((t for t in load_glossary(settings.glossary_path) if t.zh == zh), None)
    return term.en[0] if term else None


def english_tag(tag: str, settings: Settings) -> str | None:
    """A topic's English name: topics.yml, else the glossary (capitalized), else None."""
    topic = next((t for t in topics_table() if t["tag"] == tag), None)
    if topic and topic.get("en"):
        return topic["en"]
    english = glossary_english(tag, settings)
    return english[:1].upper() + english[1:] if english else None


def missing_english(publication: str | None, tags, regions, settings: Settings) -> list[str]:
    """One warning per name shown on English pages that has no English form, naming the file to add it to."""
    out = []
    glossary = settings.glossary
    if publication and glossary_english(publication, settings) is None:
        out.append(f"publication {publication} has no English name: add {{zh: {publication}, en: ...}} "
                   f"under terms in {glossary}")
    for tag in tags:
        if english_tag(tag, settings) is None:
            out.append(f"topic {tag} has no English name: add it to scripts/noticepub/data/topics.yml "
                       f"({{tag: {tag}, en: ..., words: [...]}}) or under terms in {glossary}")
    for slug in regions:
        if not region(slug).get("en"):
            out.append(f"region {region(slug)['name']} has no English name: add en to its entry in "
                       "scripts/noticepub/data/regions.yml")
    return out
