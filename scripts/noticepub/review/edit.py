"""Edits of notice.yml made by the review screen: a correction from a click, and the `reviewed:` mark.

notice.yml is read with ruamel.yaml's round-trip loader, the `corrections` (or `reviewed`) mapping is changed
in place (its comments and key order kept), and only that top-level key's text is replaced in the file: every
other byte (other keys, comments, blank lines, quoting, indentation) stays as the maintainer wrote it.

    correct(notice_yml, review, action, first, last) -> bytes     the file with one more correction
    mark_reviewed(notice_yml, review, today) -> bytes              the file with the `reviewed:` mark

Nothing here writes a file or validates against the build's schema: review/app.py does both.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from noticepub.errors import InputError
from noticepub.model import LineRole
from noticepub.review.state import NoticeReview

# The menu: a role for the selected lines, or an article/paragraph boundary at its first line.
ROLE_ACTIONS = ("headline", "lead", "kicker", "subtitle", "byline", "body", "subheading", "table", "attribution",
                "furniture")
BOUNDARY_ACTIONS = ("start", "join", "split")
ACTIONS = ROLE_ACTIONS + BOUNDARY_ACTIONS
BODYISH = {LineRole.BODY, LineRole.SUBHEADING, LineRole.TABLE}
RANGE_RE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")
MAX_SPAN = 100_000  # a range in the file longer than this is not expanded here (the build refuses it)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never fold a long line
    return y


def _load(text: str, path: object) -> CommentedMap:
    try:
        doc = _yaml().load(text) if text.strip() else None
    except YAMLError as exc:
        raise InputError(path, f"malformed YAML: {str(exc).splitlines()[0]}; fix it by hand first") from None
    if doc is None:
        return CommentedMap()
    if not isinstance(doc, CommentedMap):
        raise InputError(path, "must be a mapping of keys; fix it by hand first")
    return doc


# ------------------------------------------------------------------ line lists
def expand(items: object) -> set[int]:
    """A line list of notice.yml ([12, "13-15"], or one item) as a set of line numbers."""
    out: set[int] = set()
    for item in items if isinstance(items, list) else [items]:
        m = RANGE_RE.match(str(item)) if not isinstance(item, bool) else None
        if m is None:
            continue  # not ours to repair: the build's schema names it
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if b - a <= MAX_SPAN:
            out.update(range(a, b + 1))
    return out


def compress(lines: set[int]) -> CommentedSeq:
    """{3, 4, 5, 9} -> [3-5, 9] (a flow sequence, as the README writes them)."""
    out: list[object] = []
    run: list[int] = []
    for no in sorted(lines) + [-1]:
        if run and no == run[-1] + 1:
            run.append(no)
            continue
        if run:
            out.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [no]
    seq = CommentedSeq(out)
    seq.fa.set_flow_style()
    return seq


def _range_key(lines: set[int]) -> str:
    lo, hi = min(lines), max(lines)
    return str(lo) if lo == hi else f"{lo}-{hi}"


# ------------------------------------------------------------------ one correction
class _Corrections:
    """The `corrections` mapping of a loaded notice.yml, changed in place."""

    def __init__(self, doc: CommentedMap) -> None:
        if not isinstance(doc.get("corrections"), CommentedMap):
            doc["corrections"] = CommentedMap()
        self.doc = doc
        self.c: CommentedMap = doc["corrections"]

    def _set_lines(self, key: str, lines: set[int]) -> None:
        if lines:
            self.c[key] = compress(lines)
        elif key in self.c:
            del self.c[key]

    def _map(self, key: str) -> CommentedMap:
        if not isinstance(self.c.get(key), CommentedMap):
            self.c[key] = CommentedMap()
        return self.c[key]

    def release(self, lines: set[int]) -> None:
        """``lines`` leave every line-level correction (furniture, headlines, leads, roles) and every
        boundary (article_starts, split, join), so that they can be given one new meaning."""
        if "furniture" in self.c:
            self._set_lines("furniture", expand(self.c["furniture"]) - lines)
        for key in ("headlines", "leads"):
            mapping = self.c.get(key)
            if isinstance(mapping, dict):
                for start in list(mapping):
                    rest = expand(mapping[start]) - lines
                    if rest:
                        mapping[start] = compress(rest)
                    else:
                        del mapping[start]
        roles = self.c.get("roles")
        if isinstance(roles, dict):
            for key in list(roles):
                have = expand(key)
                if have & lines:
                    role = roles.pop(key)
                    rest = have - lines
                    for part in _runs(rest):
                        roles[_range_key(part)] = role
        self.unmark(lines)

    def unmark(self, lines: set[int]) -> None:
        """``lines`` are no longer an article start, a split or the second line of a join."""
        for key in ("article_starts", "split"):
            if key in self.c:
                self._set_lines(key, expand(self.c[key]) - lines)
        join = self.c.get("join")
        if isinstance(join, list):
            keep = [pair for pair in join if not (isinstance(pair, list) and set(pair) & lines)]
            if keep:
                seq = CommentedSeq(keep)
                seq.fa.set_flow_style()
                self.c["join"] = seq
            else:
                del self.c["join"]

    def rekey(self, key: str, lines: range, start: int) -> None:
        """Entries of headlines/leads keyed on a line of ``lines`` move to ``start`` (their body moved)."""
        mapping = self.c.get(key)
        if isinstance(mapping, dict):
            for old in [k for k in mapping if isinstance(k, int) and k in lines and k != start]:
                merged = expand(mapping.pop(old)) | (expand(mapping[start]) if start in mapping else set())
                mapping[start] = compress(merged)

    def tidy(self) -> None:
        for key in ("headlines", "leads", "roles"):
            if key in self.c and not self.c[key]:
                del self.c[key]
        if not self.c:
            del self.doc["corrections"]


def _runs(lines: set[int]) -> list[set[int]]:
    out: list[set[int]] = []
    for no in sorted(lines):
        if out and no - 1 in out[-1]:
            out[-1].add(no)
        else:
            out.append({no})
    return out


def _next_body(review: NoticeReview, after: int, path: object) -> int:
    """The first body line after line ``after``: the article a headline or lead selected above it belongs to."""
    for info in review.roles[after:]:
        if info.role in BODYISH:
            return info.line
    raise InputError(path, f"no body text after line {after}: a headline or lead names the article that follows it; "
                     "mark that text as body first")


def correct(notice_yml: bytes | None, review: NoticeReview, action: str, first: int, last: int,
            body: int | None = None) -> bytes:
    """notice.yml with the correction that ``action`` on raw lines ``first``..``last`` means:

    a role (ROLE_ACTIONS): the selection's lines get it (furniture, headlines and leads through the keys of
    the same names, keyed on ``body``, the first body line of their article: by default the first body line
    after the selection, for a headline printed away from its text the line the maintainer picked; the other
    roles through `roles`);
    "start": an article starts at the selection's first line; "split": a paragraph starts there;
    "join": its paragraph continues the one before. Blank lines in the selection are left out.
    """
    path = review.folder / "notice.yml"
    if action not in ACTIONS:
        raise InputError(path, f"unknown correction {action!r}; one of {', '.join(ACTIONS)}")
    count = len(review.lines)
    if not 1 <= first <= last <= count:
        raise InputError(path, f"lines {first}-{last} are not lines of raw.txt (it has {count})")
    lines = {no for no in range(first, last + 1) if review.lines[no - 1].strip()}
    if not lines:
        raise InputError(path, f"lines {first}-{last} are blank; select lines that hold text")
    text = (notice_yml or b"").decode("utf-8-sig").replace("\r\n", "\n")
    doc = _load(text, path)
    c = _Corrections(doc)
    head = min(lines)
    if action in ROLE_ACTIONS:
        c.release(lines)
        if action == "furniture":
            c._set_lines("furniture", expand(c.c.get("furniture") or []) | lines)
        elif action in ("headline", "lead"):
            start = _next_body(review, max(lines), path) if body is None else body
            if not 1 <= start <= count or start in lines or not review.lines[start - 1].strip():
                raise InputError(path, f"line {start} cannot be the first body line of the {action}'s article; "
                                 "pick a line of its text")
            key = "headlines" if action == "headline" else "leads"
            c.unmark({start})
            c._map(key)[start] = compress(lines)
            if action == "lead":  # a headline given for the lead's first line now belongs to the body after it
                c.rekey("headlines", range(head, start), start)
        else:
            c._map("roles")[_range_key(lines)] = action
            if len(_runs(lines)) > 1:  # blank lines inside: one entry per run of text lines
                del c.c["roles"][_range_key(lines)]
                for part in _runs(lines):
                    c.c["roles"][_range_key(part)] = action
    else:
        c.release({head})
        if action == "start":
            c._set_lines("article_starts", expand(c.c.get("article_starts") or []) | {head})
        elif action == "split":
            c._set_lines("split", expand(c.c.get("split") or []) | {head})
        else:
            before = [info.line for info in review.roles[:head - 1] if info.role in BODYISH]
            if not before:
                raise InputError(path, f"line {head} has no paragraph before it to join with")
            pairs = list(c.c.get("join") or [])
            pair = CommentedSeq([before[-1], head])
            pair.fa.set_flow_style()
            seq = CommentedSeq([*pairs, pair])
            seq.fa.set_flow_style()
            c.c["join"] = seq
    c.tidy()
    return _splice(text, doc, path, notice_yml)


def mark_reviewed(notice_yml: bytes | None, review: NoticeReview, today: dt.date) -> bytes:
    """notice.yml with `reviewed: {date, raw_sha256, parse_sha256}` for the parse on screen."""
    path = review.folder / "notice.yml"
    text = (notice_yml or b"").decode("utf-8-sig").replace("\r\n", "\n")
    doc = _load(text, path)
    mark = CommentedMap()
    mark["date"] = today
    mark["raw_sha256"] = review.raw_sha256
    mark["parse_sha256"] = review.parse_sha256
    doc["reviewed"] = mark
    return _splice(text, doc, path, notice_yml)


# ------------------------------------------------------------------ writing only what changed
def _blocks(text: str, doc: CommentedMap) -> tuple[str, dict[object, str]]:
    """The text before the first key, and each top-level key's text (from its line to the next key's)."""
    lines = text.splitlines(keepends=True)
    starts = sorted((doc.lc.key(k)[0], k) for k in doc)
    head = "".join(lines[:starts[0][0]]) if starts else text
    out = {}
    for n, (line, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        out[key] = "".join(lines[line:end])
    return head, out


def _splice(original: str, doc: CommentedMap, path: object, raw: bytes | None) -> bytes:
    """The original text with the changed top-level keys' text from ruamel's dump of ``doc``; every other
    key's text as it was. A file ruamel reproduces exactly is simply dumped."""
    out = io.StringIO()
    _yaml().dump(doc, out) if doc else None
    dumped = out.getvalue()
    old_doc = _load(original, path)
    newline = "\r\n" if b"\r\n" in (raw or b"") else "\n"
    if old_doc and len(old_doc):
        head, old_blocks = _blocks(original, old_doc)
        _, new_blocks = _blocks(dumped, _load(dumped, path))
        parts = [head]
        for key in doc:
            same = key in old_blocks and _equal(old_doc[key], doc[key])
            block = old_blocks[key] if same else new_blocks[key]
            if parts[-1] and not parts[-1].endswith("\n"):
                parts[-1] += "\n"
            parts.append(block)
        dumped = "".join(parts)
    text = dumped.replace("\n", newline) if newline != "\n" else dumped
    bom = b"\xef\xbb\xbf" if (raw or b"").startswith(b"\xef\xbb\xbf") else b""
    return bom + text.encode("utf-8")


def _equal(a: object, b: object) -> bool:
    """Same value, compared as plain data (ruamel's containers compare their items)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b
