"""notice.yml: one schema, read with yaml.safe_load, errors that name the file, the key and the fix."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from noticepub.errors import InputError, excerpt
from noticepub.ingest import clean_text
from noticepub.model import Corrections, NoticeMeta, Reviewed

NOTICE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
ARTICLE_ID_RE = re.compile(r"^a[1-9][0-9]{0,2}$")
URL_RE = re.compile(r"^https?://[^\s<>\"'`]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

def validate_notice_id(notice_id: str, path: Path | str) -> str:
    if not NOTICE_ID_RE.fullmatch(notice_id):
        raise InputError(
            path,
            f"notice folder name '{notice_id}' is not a valid notice id; rename it to lowercase ASCII "
            "letters, digits and '-' (at most 64 characters, no dots or separators)",
        )
    return notice_id


def _short_text(value: Any, key: str, path: Path, limit: int = 200) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(path, f"key '{key}': must be {SCHEMA[key]} (got {type(value).__name__})")
    if any(unicodedata.category(ch) == "Cc" for ch in str(value)):
        raise InputError(path, f"key '{key}': must be {SCHEMA[key]}: one non-empty line without control characters "
                         "(it contains a newline, tab, escape...)")
    text = clean_text(str(value)).strip()  # format characters (U+200B, U+202E...) never reach a page
    if not text or len(text) > limit:
        raise InputError(path, f"key '{key}': must be {SCHEMA[key]}: one non-empty line of at most {limit} characters "
                         "(invisible characters do not count)")
    return text


def _text_list(value: Any, key: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise InputError(path, f"key '{key}': must be {SCHEMA[key]} (got {type(value).__name__})")
    items = tuple(_short_text(item, key, path, limit=40) for item in value)
    return tuple(dict.fromkeys(items))  # unique, order kept


@dataclass(frozen=True)
class Key:
    """One notice.yml key: what it holds (the documentation, and every error message's "must be ...") and
    how it is read into NoticeMeta's field of the same name (raises InputError naming file, key and fix)."""

    name: str
    doc: str
    read: Callable[[Any, Path], Any]


def _date(value: Any, path: Path) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise InputError(path, f"key 'date': must be {SCHEMA['date']} (got {excerpt(value)})")
    if isinstance(value, str):
        if not DATE_RE.fullmatch(value.strip()):
            raise InputError(path, f"key 'date': must be {SCHEMA['date']} (got {excerpt(value)})")
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise InputError(path, f"key 'date': {excerpt(value.strip(), quote=False)} is not a date ({exc}); "
                             f"must be {SCHEMA['date']}") from None
    return value


def _url(value: Any, path: Path) -> str:
    url = _short_text(value, "url", path, limit=2000)
    if not URL_RE.fullmatch(url):
        raise InputError(path, f"key 'url': must be {SCHEMA['url']} (got {excerpt(url)})")
    return url


def _slugs(value: Any, path: Path) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise InputError(path, f"key 'slugs': must be {SCHEMA['slugs']}")
    pairs = []
    for article_id, slug in value.items():
        if not isinstance(article_id, str) or not ARTICLE_ID_RE.fullmatch(article_id):
            raise InputError(path, f"key 'slugs': {excerpt(article_id)} is not an article id like a1")
        if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
            raise InputError(
                path, f"key 'slugs.{article_id}': must be an ASCII slug of a-z, 0-9 and '-' (got {excerpt(slug)})"
            )
        pairs.append((article_id, slug))
    if len({s for _, s in pairs}) != len(pairs):
        raise InputError(path, "key 'slugs': the same slug is given to two articles; make each slug unique")
    return tuple(sorted(pairs))


def _corrections(value: Any, path: Path) -> Corrections:
    from noticepub.parse.corrections import parse_corrections  # loads the whole parse package: only when used

    return parse_corrections(value, path)


HEX64_RE = re.compile(r"^[0-9a-f]{64}$")


def _reviewed(value: Any, path: Path) -> Reviewed:
    """{date: YYYY-MM-DD, raw_sha256: <hex>, parse_sha256: <hex>}, written by the review screen."""
    if not isinstance(value, dict) or set(map(str, value)) != {"date", "raw_sha256", "parse_sha256"}:
        raise InputError(path, f"key 'reviewed' must be {SCHEMA['reviewed']}")
    for key in ("raw_sha256", "parse_sha256"):
        if not isinstance(value[key], str) or not HEX64_RE.fullmatch(value[key]):
            raise InputError(path, f"key 'reviewed.{key}' must be 64 lowercase hexadecimal digits (a sha256)")
    date = value["date"]
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            date = None
    if isinstance(date, dt.datetime) or not isinstance(date, dt.date):
        raise InputError(path, "key 'reviewed.date' must be a date written YYYY-MM-DD")
    return Reviewed(date, value["raw_sha256"], value["parse_sha256"])


def _text(name: str) -> Callable[[Any, Path], str]:
    return lambda value, path: _short_text(value, name, path)


def _list(name: str) -> Callable[[Any, Path], tuple[str, ...]]:
    return lambda value, path: _text_list(value, name, path)


# The schema of notice.yml, in the order errors and README list the keys. Each key is a NoticeMeta field.
KEYS: tuple[Key, ...] = (
    Key("publication", "a text, e.g. 中国社会报", _text("publication")),
    Key("date", "a date written YYYY-MM-DD, e.g. 2023-01-16", _date),
    Key("page", "a page label, e.g. 3 or A3", _text("page")),
    Key("url", "an http(s) address without spaces or quotes", _url),
    Key("tags", "a list of short texts, e.g. [养老服务, 农民工]", _list("tags")),
    Key("regions", "a list of region names, e.g. [山西, 河北]", _list("regions")),
    Key("original_filename", "the name the raw text had when it arrived", _text("original_filename")),
    Key("slugs", "a mapping from article id (a1, a2, ...) to an ASCII slug of a-z, 0-9 and '-'", _slugs),
    Key("corrections", "maintainer corrections to the parse (furniture, article_starts, headlines, leads, join, "
        "split; raw.txt line numbers; see README 'Correcting a parse')", _corrections),
    Key("reviewed", "the review screen's mark {date: YYYY-MM-DD, raw_sha256: <sha256>, parse_sha256: <sha256>} "
        "(see README 'Reviewing a page')", _reviewed),
)
# key -> one-line description of what is expected (used in error messages)
SCHEMA: dict[str, str] = {key.name: key.doc for key in KEYS}


def parse_notice_yml(data: bytes, path: Path, notice_id: str) -> NoticeMeta:
    """Validate notice.yml content and return the metadata (raises InputError)."""
    from noticepub.inputcheck import load_yaml

    raw = load_yaml(path, data, "notice.yml (see README, Adding a page)", InputError)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError(path, f"must be a mapping of keys ({', '.join(SCHEMA)}), got {type(raw).__name__}")
    unknown = sorted(str(k) for k in raw if k not in SCHEMA)
    if unknown:
        raise InputError(path, f"unknown key {excerpt(unknown[0])}; allowed keys are: {', '.join(SCHEMA)}")
    fields = {key.name: key.read(raw[key.name], path) for key in KEYS if raw.get(key.name) is not None}
    return NoticeMeta(id=notice_id, **fields)


# Page names the build generates beside article pages in notices/<id>/ (an article slug must not take them).
RESERVED_SLUGS = frozenset({"index", "tags", "feed", "archive", "search", "assets", "404"})
GENERATED_SUFFIX = "-bilingual"


def validate_slugs(meta: NoticeMeta, article_ids: list[str], path: Path) -> dict[str, str]:
    """Every article's page name in one notice, all different (raises InputError naming the key).

    An article without a slug is named by its id (a1), so a slug equal to another article id, a
    generated page name (index, <slug>-bilingual) or a reserved name would overwrite another page.
    """
    slugs = dict(meta.slugs)
    names = {aid: slugs.get(aid, aid) for aid in article_ids}
    for aid, slug in sorted(slugs.items()):
        where = f"key 'slugs.{aid}' is '{slug}'"
        if slug in RESERVED_SLUGS:
            raise InputError(path, f"{where}, a page name the build uses itself; choose another slug")
        if slug.endswith(GENERATED_SUFFIX):
            raise InputError(path, f"{where}; slugs ending in '{GENERATED_SUFFIX}' are the bilingual pages' names; "
                             "choose another slug")
        if ARTICLE_ID_RE.fullmatch(slug) and slug != aid:
            raise InputError(path, f"{where}, which is another article's id (and default page name); choose a "
                             "descriptive slug such as ministry-training")
    seen: dict[str, str] = {}
    for aid, name in names.items():
        if name in seen:
            raise InputError(path, f"key 'slugs.{aid}': articles {seen[name]} and {aid} would both be '{name}'; "
                             "make each slug unique")
        seen[name] = aid
    return names


def load_notice_meta(folder: Path) -> NoticeMeta:
    notice_id = validate_notice_id(folder.name, folder)
    path = folder / "notice.yml"
    data = path.read_bytes() if path.is_file() else b""
    return parse_notice_yml(data, path, notice_id)
