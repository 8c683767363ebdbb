"""What the review screen shows of one notice: each raw line's role and block, the articles, the warnings with
their evidence, the corrections in force and whether the current parse was reviewed.

A notice is read and parsed through the build's own path (sources.NoticeInputs.read, notice.parse_notice:
size limits, no symlink, notice.yml schema, en.po check, corrections), so the screen shows exactly what
`noticepub build` publishes, and a notice the build refuses shows the build's one-line message.

    line_roles(parsed, count) -> [LineInfo]       the one adapter from the parser's output to line roles
    parse_sha256(parsed) -> str                   the hash of the parse result a `reviewed:` mark records
    review_notice(folder, settings) -> NoticeReview
    collect_summaries(settings) -> [ReviewSummary] every notice as /review/ lists it (cached by input hashes)
    review_counts(summaries) -> ReviewCounts      the totals /review/ and `noticepub status` print
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from noticepub.errors import InputError, NoticepubError
from noticepub.fsutil import sha256_bytes
from noticepub.model import Article, Corrections, LineInfo, LineRole, ParseResult, ParseWarning, Reviewed
from noticepub.settings import Settings

REVIEWED, TO_REVIEW, ERROR = "reviewed", "to review", "error"


# ------------------------------------------------------------------ line roles
_KIND_ROLE = {
    "title": LineRole.HEADLINE, "headline": LineRole.HEADLINE, "subtitle": LineRole.SUBTITLE,
    "lead": LineRole.LEAD, "attribution": LineRole.ATTRIBUTION, "kicker": LineRole.KICKER,
    "byline": LineRole.BYLINE, "paragraph": LineRole.BODY, "sub-heading": LineRole.SUBHEADING,
    "table": LineRole.TABLE,
}
_BLOCK_RE = re.compile(r"^article (\d+)(?: (\S+)(?: (\d+))?)?")


def line_roles(parsed: ParseResult, count: int) -> tuple[LineInfo, ...]:
    """One LineInfo per raw line (1..count): the parser's ``line_info`` when it fills it, else derived from
    its decisions (the --explain record). The only place the review screen reads roles from."""
    if parsed.line_info:
        by_line = {info.line: info for info in parsed.line_info}
        return tuple(by_line.get(no, LineInfo(no, LineRole.BLANK)) for no in range(1, count + 1))
    decided = {d.line: d for d in parsed.decisions}
    out = []
    for no in range(1, count + 1):
        d = decided.get(no)
        if d is None:
            out.append(LineInfo(no, LineRole.BLANK))
            continue
        block = d.block.split(" + ")[0]
        m = _BLOCK_RE.match(block)
        if block == "blank":
            out.append(LineInfo(no, LineRole.BLANK, rule=d.rule))
        elif m is None:  # dropped: furniture by name, or a group no article took
            role = LineRole.FURNITURE if d.rule.startswith("furniture") or d.rule == "dropped" else LineRole.DROPPED
            out.append(LineInfo(no, role, rule=d.rule))
        else:
            article, kind, index = m.groups()
            role = _KIND_ROLE.get(kind or "paragraph", LineRole.BODY)
            paragraph = int(index) - 1 if index and role in (LineRole.BODY, LineRole.SUBHEADING, LineRole.TABLE) else None
            out.append(LineInfo(no, role, f"a{article}", paragraph, d.rule))
    return tuple(out)


def line_details(parsed: ParseResult, count: int) -> tuple[str, ...]:
    """Per raw line, what --explain says decided it ("rule: detail"), "" for a line it does not mention."""
    decided = {d.line: f"{d.rule}: {d.detail}" if d.detail else d.rule for d in parsed.decisions}
    return tuple(decided.get(no, "") for no in range(1, count + 1))


def warning_evidence(warning: ParseWarning, details: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The evidence of a warning: the parser's own (chosen, rejected, margin...), else what --explain says
    about its first line."""
    if warning.evidence:
        return warning.evidence
    first = min(warning.lines) if warning.lines else 0
    said = details[first - 1] if 0 < first <= len(details) else ""
    return (("explain", f"line {first}: {said}"),) if said else ()


def block_id(info: LineInfo) -> str | None:
    """The id of the block a line went to on the right-hand side ("a1-title", "a2-p3"), None if none."""
    if info.article_id is None:
        return None
    if info.paragraph is not None:
        return f"{info.article_id}-p{info.paragraph}"
    return f"{info.article_id}-{info.role}"


def parse_sha256(parsed: ParseResult) -> str:
    """sha256 of what the parse published: the articles and what was dropped (not the explanations, which may
    change wording without changing the result)."""
    data = {"articles": [dataclasses.asdict(a) for a in parsed.articles],
            "dropped": [dataclasses.asdict(d) for d in parsed.dropped]}
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def corrections_count(c: Corrections | None) -> int:
    """How many corrections are in force: one per key entry (a line list, a mapping entry, a pair)."""
    if not c:
        return 0
    roles = getattr(c, "roles", ())
    return (len(c.furniture) + len(c.article_starts) + len(c.headlines) + len(c.leads) + len(c.join)
            + len(c.split) + len(roles))


# ------------------------------------------------------------------ one notice
@dataclass(frozen=True)
class NoticeReview:
    notice_id: str
    folder: Path
    raw: bytes
    notice_yml: bytes | None
    etag: str  # what a save must still find on disk: raw.txt and notice.yml as loaded
    lines: tuple[str, ...] = ()
    roles: tuple[LineInfo, ...] = ()
    details: tuple[str, ...] = ()  # per line: the rule and detail --explain gives
    articles: tuple[Article, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()
    corrections: Corrections | None = None
    reviewed: Reviewed | None = None
    raw_sha256: str = ""
    parse_sha256: str = ""
    error: str | None = None  # the build's one-line message when the notice cannot be parsed

    @property
    def state(self) -> str:
        if self.error is not None:
            return ERROR
        r = self.reviewed
        ok = r is not None and r.raw_sha256 == self.raw_sha256 and r.parse_sha256 == self.parse_sha256
        return REVIEWED if ok else TO_REVIEW

    @property
    def reason(self) -> str:
        """Why the notice is to review (or since when it is reviewed)."""
        r = self.reviewed
        if self.error is not None:
            return self.error
        if r is None:
            return "never reviewed"
        if r.raw_sha256 != self.raw_sha256:
            return f"raw.txt changed since the review of {r.date.isoformat()}"
        if r.parse_sha256 != self.parse_sha256:
            return f"the parse changed since the review of {r.date.isoformat()}"
        return f"reviewed on {r.date.isoformat()}"

    @property
    def corrections_count(self) -> int:
        return corrections_count(self.corrections)


def etag(raw: bytes, notice_yml: bytes | None) -> str:
    return sha256_bytes(sha256_bytes(raw).encode() + b"\0" + sha256_bytes(notice_yml or b"").encode())[:32]


def review_notice(folder: Path, settings: Settings, notice_yml: bytes | None = None,
                  raw: bytes | None = None) -> NoticeReview:
    """One notice read and parsed as the build does (with ``notice_yml`` instead of the file's, to try a
    change before it is written). Raises InputError only when a given ``notice_yml`` is refused."""
    from noticepub.ingest import decode_raw
    from noticepub.notice import parse_notice
    from noticepub.sources import NoticeInputs

    trial = notice_yml is not None
    try:
        inputs = NoticeInputs.read(folder, settings)
    except NoticepubError as exc:
        return NoticeReview(folder.name, folder, b"", None, "", error=exc.one_line())
    if trial:
        inputs = dataclasses.replace(inputs, notice_yml=notice_yml)
    if raw is not None and raw != inputs.raw:  # the file changed under us: never mix two versions
        raise NoticepubError(inputs.raw_path, "changed since the page was loaded; reload the page")
    tag = etag(inputs.raw, inputs.notice_yml)
    base = NoticeReview(folder.name, folder, inputs.raw, inputs.notice_yml, tag, raw_sha256=sha256_bytes(inputs.raw))
    try:
        try:
            notice = parse_notice(inputs, settings)
            text = decode_raw(inputs.raw, inputs.raw_path)
        except (UnicodeError, ValueError) as exc:  # as the build words them (build._notices)
            raise InputError(folder, f"cannot process this notice: {exc}") from None
    except NoticepubError as exc:
        if trial:
            raise
        return dataclasses.replace(base, error=exc.one_line())
    lines = tuple(text.split("\n"))
    if lines and lines[-1] == "" and text.endswith("\n"):
        lines = lines[:-1]
    parsed = notice.parsed
    return dataclasses.replace(
        base, lines=lines, roles=line_roles(parsed, len(lines)), details=line_details(parsed, len(lines)),
        articles=parsed.articles,
        warnings=parsed.warnings, corrections=notice.meta.corrections, reviewed=notice.meta.reviewed,
        parse_sha256=parse_sha256(parsed))


# ------------------------------------------------------------------ every notice
@dataclass(frozen=True)
class ReviewSummary:
    """What /review/ and `noticepub status` show of one notice."""

    notice_id: str
    state: str
    reason: str
    articles: int
    warnings: int
    corrections: int
    lines: int

    @classmethod
    def of(cls, r: NoticeReview) -> ReviewSummary:
        return cls(r.notice_id, r.state, r.reason, len(r.articles), len(r.warnings), r.corrections_count, len(r.lines))


@dataclass
class ReviewCounts:
    notices: int = 0
    reviewed: int = 0
    to_review: int = 0
    errors: int = 0
    with_warnings: int = 0
    warnings: int = 0
    with_corrections: int = 0
    corrections: int = 0

    def line(self) -> str:
        """The one-line summary `noticepub status` and the top of /review/ print."""
        out = (f"{self.notices} notice(s): {self.reviewed} reviewed, {self.to_review} to review; "
               f"{self.with_warnings} with parse warnings ({self.warnings} warning(s)), "
               f"{self.with_corrections} with corrections ({self.corrections} in force)")
        return out + (f"; {self.errors} the build refuses" if self.errors else "")


def review_counts(summaries: list[ReviewSummary]) -> ReviewCounts:
    counts = ReviewCounts(notices=len(summaries))
    for s in summaries:
        if s.state == REVIEWED:
            counts.reviewed += 1
        elif s.state == ERROR:
            counts.errors += 1
        else:
            counts.to_review += 1
        counts.with_warnings += bool(s.warnings)
        counts.warnings += s.warnings
        counts.with_corrections += bool(s.corrections)
        counts.corrections += s.corrections
    return counts


def sort_for_review(summaries: list[ReviewSummary]) -> list[ReviewSummary]:
    """Notices the build refuses first, then those with warnings (most first), then to review, then the rest."""
    return sorted(summaries, key=lambda s: (s.state != ERROR, not s.warnings, -s.warnings, s.state == REVIEWED,
                                            s.notice_id))


SUMMARY_VERSION = "1"  # bump when ReviewSummary changes shape


def collect_summaries(settings: Settings, only: str | None = None) -> list[ReviewSummary]:
    """Every notice (or ``only``) as /review/ lists it. A notice is parsed again only when its files or the
    code changed: each summary is kept as JSON in .noticepub-cache/review/ under the hash of its inputs (plain
    data, never code; an entry that does not match is simply made again)."""
    from noticepub.errors import InputError
    from noticepub.settings import CACHE_DIR
    from noticepub.sources import NoticeInputs, code_fingerprint, discover

    folders = discover(settings)
    if only is not None:
        folders = [f for f in folders if f.name == only]
        if not folders:
            raise InputError(settings.source_path / only, "no such notice (folder with raw.txt)")
    cache = settings.root / CACHE_DIR / "review"
    code = code_fingerprint()
    out = []
    for folder in folders:
        try:
            inputs = NoticeInputs.read(folder, settings)
        except NoticepubError:
            out.append(ReviewSummary.of(review_notice(folder, settings)))
            continue
        key = hashlib.sha256("\0".join((SUMMARY_VERSION, code, sha256_bytes(inputs.raw),
                                        sha256_bytes(inputs.notice_yml or b"-"), sha256_bytes(inputs.po or b"-"),
                                        repr(dataclasses.replace(settings, root=Path("."))))).encode()).hexdigest()
        summary = _cached(settings, cache / f"{folder.name}.json", key)
        if summary is None:
            summary = ReviewSummary.of(review_notice(folder, settings))
            _store(settings, cache / f"{folder.name}.json", key, summary)
        out.append(summary)
    return out


def _cached(settings: Settings, path: Path, key: str) -> ReviewSummary | None:
    from noticepub.fsutil import read_input

    try:
        data = json.loads((read_input(settings.root, path, 1 << 16, "-", "JSON file") or b"").decode("utf-8"))
        if data.get("key") != key:
            return None
        return ReviewSummary(**{f.name: type(getattr(_EXAMPLE, f.name))(data["summary"][f.name])
                                for f in dataclasses.fields(ReviewSummary)})
    except (NoticepubError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _store(settings: Settings, path: Path, key: str, summary: ReviewSummary) -> None:
    """Best effort: a cache that cannot be written (read-only checkout, a symlink) only costs time."""
    from noticepub.fsutil import atomic_write, first_symlink

    try:
        if first_symlink(settings.root, path) is None:
            atomic_write(path, json.dumps({"key": key, "summary": dataclasses.asdict(summary)},
                                          ensure_ascii=False).encode())
    except (OSError, NoticepubError):
        pass


_EXAMPLE = ReviewSummary("", "", "", 0, 0, 0, 0)
