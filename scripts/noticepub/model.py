"""Plain data passed between pipeline stages.

Every stage is a function from these dataclasses to these dataclasses, so each can be
tested alone: ingest -> parse -> variants (zh-Hans, zh-Hant, en) -> render -> build.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

LANGS: tuple[str, ...] = ("zh-Hans", "zh-Hant", "en")
DEFAULT_LANG = "zh-Hans"
# Each language's folder on the site: the default language at the root, the others under their tag.
LANG_DIRS: dict[str, str] = {lang: "" if lang == DEFAULT_LANG else lang for lang in LANGS}


# ---------------------------------------------------------------- parse stage
@dataclass(frozen=True)
class Dropped:
    """Layout noise removed from the page, with the reason (counts for conservation)."""

    text: str
    reason: str
    line: int  # 1-based input line


@dataclass(frozen=True)
class Decision:
    """One explainable parser decision about one input line (for --explain)."""

    line: int  # 1-based input line
    text: str  # the line as read
    block: str  # e.g. "article 2 paragraph 3", "headline", "lead", "dropped"
    rule: str  # e.g. "joined", "paragraph end", "column break", "attribution split"
    detail: str = ""  # e.g. "lead matched to article 3 with score 0.82"


@dataclass(frozen=True)
class Article:
    """One recovered article, Simplified Chinese, Chinese-typographic text."""

    id: str  # "a1", "a2", ... in reading order; stable within its notice
    title: str
    subtitle: str | None
    lead: str | None
    paragraphs: tuple[str, ...]
    attribution: str | None  # the name inside （据…）, e.g. "民政部官网"
    lines: tuple[int, ...] = ()  # 1-based input lines that contributed (provenance)
    headings: tuple[int, ...] = ()  # indexes into paragraphs that are sub-headings (rendered as ###)
    continued: bool = False  # the page begins mid-article: text continued from another page, no title
    continued_from: str | None = None  # the page it continues from, when a 「上接…」 line says so, e.g. "第一版"
    kicker: str | None = None  # 引题/肩题 printed above the headline (never a paragraph)
    byline: str | None = None  # a byline on its own line, e.g. "本报记者 张三 李四" (spaces between names kept)
    # paragraph index -> the table's rows of cells, exactly as printed; paragraphs[i] then holds the rows
    # joined by "\n", each row's cells joined by one space (so conservation and search still see the text)
    tables: tuple[tuple[int, tuple[tuple[str, ...], ...]], ...] = ()
    # paragraph index -> the speaker label that opens that interview turn (paragraphs[i] starts with it),
    # e.g. "问：", "记者：", "张三："
    speakers: tuple[tuple[int, str], ...] = ()


class LineRole(StrEnum):
    """The role the parser gave one raw.txt line (the review screen colours lines by it)."""

    BLANK = "blank"
    FURNITURE = "furniture"
    KICKER = "kicker"
    HEADLINE = "headline"
    SUBTITLE = "subtitle"
    BYLINE = "byline"
    LEAD = "lead"
    BODY = "body"
    SUBHEADING = "subheading"
    TABLE = "table"
    ATTRIBUTION = "attribution"
    DROPPED = "dropped"


@dataclass(frozen=True)
class LineInfo:
    """Where one raw.txt line went: its role, the article and the block (paragraph index) it ended in."""

    line: int  # 1-based raw.txt line
    role: str  # a LineRole value
    article_id: str | None = None
    paragraph: int | None = None  # index into the article's paragraphs, when the line went to one
    rule: str = ""  # the rule that decided the role


@dataclass(frozen=True)
class ParseWarning:
    """A doubtful parse result, printed by `noticepub build` and fatal under --strict."""

    kind: str  # e.g. "no-paragraphs", "untitled", "second-opener", "weak-match", "furniture-in-title"
    article_id: str | None  # the article concerned, if any
    lines: tuple[int, ...]  # 1-based raw.txt lines concerned
    message: str  # one line, for maintainers
    # the evidence --explain has: e.g. (("chosen", "boundary at line 40"), ("rejected", "line 44"), ("margin", "0.03"))
    evidence: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Corrections:
    """A maintainer's corrections to the parse of one page (notice.yml key `corrections`; raw.txt lines)."""

    furniture: tuple[int, ...] = ()  # these lines are page furniture
    article_starts: tuple[int, ...] = ()  # an article's body starts at each of these lines
    headlines: tuple[tuple[int, tuple[int, ...]], ...] = ()  # body start line -> its headline's lines
    leads: tuple[tuple[int, tuple[int, ...]], ...] = ()  # body start line -> its lead's lines
    join: tuple[tuple[int, int], ...] = ()  # the blocks at these two lines are one paragraph
    split: tuple[int, ...] = ()  # a new paragraph starts at each of these lines
    source: str = "notice.yml"  # where they were written (for error messages)
    # line -> role (kicker, headline, subtitle, byline, lead, body, subheading, table, attribution, furniture);
    # notice.yml writes ranges ("13-14"), expanded here one line each
    roles: tuple[tuple[int, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.furniture or self.article_starts or self.headlines or self.leads or self.join or self.split
                    or self.roles)


@dataclass(frozen=True)
class Reviewed:
    """notice.yml key `reviewed`: a maintainer checked the parse on the review screen (`noticepub serve`,
    /review/) on ``date``, against raw.txt and the parse result with these hashes (either changed: to review)."""

    date: _dt.date
    raw_sha256: str
    parse_sha256: str


@dataclass(frozen=True)
class ParseResult:
    source: str
    articles: tuple[Article, ...]
    dropped: tuple[Dropped, ...] = ()
    decisions: tuple[Decision, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()
    line_info: tuple[LineInfo, ...] = ()  # one per raw.txt line (filled by the parser; empty if not known)

    def to_json_dict(self) -> dict:
        return {
            "source": self.source,
            "articles": [
                {
                    "id": a.id,
                    "title": a.title,
                    "subtitle": a.subtitle,
                    "lead": a.lead,
                    "paragraphs": list(a.paragraphs),
                    "attribution": a.attribution,
                    "lines": list(a.lines),
                    "headings": list(a.headings),
                    "continued": a.continued,
                    "continued_from": a.continued_from,
                }
                for a in self.articles
            ],
            "dropped": [{"text": d.text, "reason": d.reason, "line": d.line} for d in self.dropped],
            "warnings": [{"kind": w.kind, "article": w.article_id, "lines": list(w.lines), "message": w.message}
                         for w in self.warnings],
        }


# ------------------------------------------------------------- notice metadata
@dataclass(frozen=True)
class NoticeMeta:
    """What a maintainer says about one raw page (source_texts/<id>/notice.yml)."""

    id: str  # ASCII slug: [a-z0-9][a-z0-9-]*, the folder name
    publication: str | None = None
    date: _dt.date | None = None
    page: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # maintainer-set regions; derived ones are added by render
    original_filename: str | None = None
    # per-article slug overrides: article id ("a1") -> ASCII slug
    slugs: tuple[tuple[str, str], ...] = ()
    corrections: Corrections | None = None  # maintainer corrections to the parse (see parse/corrections.py)
    reviewed: Reviewed | None = None  # when and against what the parse was last reviewed (noticepub serve)


# -------------------------------------------------------------- variants stage
class Role(StrEnum):
    """What a group of lines is on the page (parse/layout.py decides; assemble and pipeline read it)."""

    BODY = "body"
    HEADLINE = "headline"  # displaced: printed away from its body
    LEAD = "lead"  # displaced wide lead
    TOP_HEADLINE = "top-headline"
    TOP_LEAD = "top-lead"
    INPLACE_HEADLINE = "inplace-headline"  # printed between two articles
    INPLACE_LEAD = "inplace-lead"
    FURNITURE = "furniture"  # page furniture, dropped with a reason
    CORRECTED = "corrected"  # placed by a maintainer correction
    BYLINE = "byline"  # a byline on its own line (本报记者 张三), the byline of the article below it
    KICKER = "kicker"  # 引题 printed above a headline


class Verdict(StrEnum):
    """What reflow decides at the seam between two body lines."""

    JOIN = "join"
    BREAK = "break"


class SegmentState(StrEnum):
    """The state of a piece of localized text (a str: the same words on disk, in JSON and in counts)."""

    SOURCE = "source"  # zh-Hans as parsed
    CONVERTED = "converted"  # zh-Hant made by OpenCC
    EDITED = "edited"  # en reviewed by a human (PO entry not fuzzy)
    MACHINE = "machine"  # en from the MT engine (PO entry fuzzy, engine comment)
    PENDING = "pending"  # en not translated yet: the text is the Chinese source


# Short names the stages import.
SOURCE = SegmentState.SOURCE
CONVERTED = SegmentState.CONVERTED
EDITED = SegmentState.EDITED
MACHINE = SegmentState.MACHINE
PENDING = SegmentState.PENDING
# The English states, in the order reports list them.
ENGLISH_STATES: tuple[SegmentState, ...] = (EDITED, MACHINE, PENDING)


@dataclass(frozen=True)
class Span:
    """A run of localized text in one state. Spans of a field concatenate verbatim."""

    text: str
    state: str


Text = tuple[Span, ...]


def plain(text: Text | None) -> str | None:
    return None if text is None else "".join(s.text for s in text)


@dataclass(frozen=True)
class Provenance:
    method: str  # "source" | "opencc" | "edited" | "machine" | "mixed" | "pending"
    detail: str  # human-readable: "OpenCC s2t", "Argos translate-zh_en 1.9", ...
    counts: tuple[tuple[str, int], ...] = ()  # e.g. (("edited", 30), ("machine", 2))


@dataclass(frozen=True)
class LocalizedArticle:
    lang: str
    article_id: str
    title: Text
    subtitle: Text | None
    lead: Text | None
    paragraphs: tuple[Text, ...]  # aligned 1:1 with the zh-Hans paragraphs
    attribution: Text | None
    provenance: Provenance
    kicker: Text | None = None  # Article.kicker in this language (None: the article has none)
    byline: Text | None = None  # Article.byline in this language


@dataclass(frozen=True)
class NoticeBundle:
    """Everything render needs for one notice."""

    meta: NoticeMeta
    source_path: str  # repo-relative path of raw.txt, e.g. "source_texts/<id>/raw.txt"
    source_sha256: str
    parsed: ParseResult
    variants: dict[str, tuple[LocalizedArticle, ...]] = field(default_factory=dict)  # lang -> articles
    # sha256 of every input file of the notice (raw.txt, notice.yml, en.po): any edit shows in docs/
    input_hashes: tuple[tuple[str, str], ...] = ()


# ---------------------------------------------------------------- index summary (render -> cache -> indexes)
PerLang = dict[str, str]  # lang -> display string


@dataclass(frozen=True)
class ArticleSummary:
    """One published article as the index pages show it, every display string already in every language."""

    id: str
    slug: str
    title: PerLang
    first: PerLang  # the first sentence (of the lead when there is one)
    attribution: PerLang
    pending: dict[str, bool]  # the headline is not translated yet
    continued: bool
    headline: bool  # has a headline of its own (continued articles have none)
    tags: tuple[str, ...]
    regions: tuple[str, ...]
    untranslated: bool = False  # the English body is mostly pending: noindex, not in the English feed

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "slug": self.slug, "title": dict(self.title), "first": dict(self.first),
                "attribution": dict(self.attribution), "pending": dict(self.pending), "continued": self.continued,
                "headline": self.headline, "tags": list(self.tags), "regions": list(self.regions),
                "untranslated": self.untranslated}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleSummary:
        return cls(id=str(data["id"]), slug=str(data["slug"]), title=dict(data["title"]), first=dict(data["first"]),
                   attribution=dict(data["attribution"]), pending={k: bool(v) for k, v in data["pending"].items()},
                   continued=bool(data["continued"]), headline=bool(data["headline"]),
                   tags=tuple(data["tags"]), regions=tuple(data["regions"]),
                   untranslated=bool(data.get("untranslated", False)))


@dataclass(frozen=True)
class NoticeSummary:
    """What the index pages need from one notice (made once by render.summarize, cached by cache.py)."""

    id: str
    slug: str
    date: str | None  # ISO
    publication: str | None
    page: str | None
    tags: tuple[str, ...]  # of every article and of notice.yml, sorted
    regions: tuple[str, ...]  # sorted
    articles: tuple[ArticleSummary, ...]
    unpublished: tuple[PerLang, ...]  # headlines of articles whose body is not on this page
    counts: dict[str, int]  # English segments by state: edited / machine / pending / outdated
    # Display names in every language, made here so index pages never convert or look up: the publication
    # (empty without one), and every tag and region of the notice (key -> lang -> name)
    publication_names: PerLang = field(default_factory=dict)
    tag_names: dict[str, PerLang] = field(default_factory=dict)
    region_names: dict[str, PerLang] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "slug": self.slug, "date": self.date, "publication": self.publication,
                "page": self.page, "tags": list(self.tags), "regions": list(self.regions),
                "articles": [a.to_json() for a in self.articles], "unpublished": [dict(u) for u in self.unpublished],
                "counts": dict(self.counts), "publication_names": dict(self.publication_names),
                "tag_names": {k: dict(v) for k, v in self.tag_names.items()},
                "region_names": {k: dict(v) for k, v in self.region_names.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NoticeSummary:
        return cls(id=str(data["id"]), slug=str(data["slug"]), date=data["date"], publication=data["publication"],
                   page=data["page"], tags=tuple(data["tags"]), regions=tuple(data["regions"]),
                   articles=tuple(ArticleSummary.from_json(a) for a in data["articles"]),
                   unpublished=tuple(dict(u) for u in data["unpublished"]),
                   counts={str(k): int(v) for k, v in data["counts"].items()},
                   publication_names=dict(data["publication_names"]),
                   tag_names={k: dict(v) for k, v in data["tag_names"].items()},
                   region_names={k: dict(v) for k, v in data["region_names"].items()})
