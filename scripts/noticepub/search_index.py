"""Site search: one Pagefind index per language, built after MkDocs, loaded by readers only when they search.

Exact Chinese search. Pagefind segments Chinese into words (differently at index time and in the
browser, and differently for the two scripts), so words inside longer words are missed. We index CJK
text as *overlapping bigrams* instead: every run of Han characters c1…cn becomes the tokens
c1c2 c2c3 … cn-1cn cn, one token per character (the last one a unigram, which also marks where the run
ends), each written in ASCII (see :func:`encode`). The browser tokenizes the query the same way
(overrides/assets/search.js), so a query of k characters asks for its k-1 bigrams (one character: any
token starting with it, as Pagefind matches prefixes). Every page that contains the query contains all
its bigrams, so nothing is missed; pages that only contain the parts are then dropped in the browser by
an exact substring test on the page text
(Pagefind's fragment ``content``, decoded back from the tokens).

Both scripts: a character map (``np-chars.txt``, one class of equivalent characters per line, fetched
only when the reader searches) lets a reader type Simplified on the zh-Hant site (or Traditional on the
zh-Hans site). The classes join every character with its OpenCC conversions (t2s, s2t, s2tw, s2hk), so
为/為/爲 or 着/著 are one class; only the classes that occur in the site are shipped.

Only article pages are indexed: the template marks their body with ``data-pagefind-body``; the
provenance box, technical details and buttons are excluded.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from noticepub.errors import NoticepubError

# Han ideographs (URO, extension A, compatibility, supplementary planes); search.js uses the same ranges
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{HAN}]+")
_TEXT_NODE = re.compile(r">([^<>]+)<")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_HTML_LANG = re.compile(r"<html\b[^>]*>", re.I)
BODY_MARK = "data-pagefind-body"
# what Pagefind must not index inside an article body (provenance, technical details, buttons)
EXCLUDE_SELECTORS = (".np-provenance", ".np-technical", "details", ".md-button", ".headerlink")
# index language: Chinese is pre-tokenized, so the index must not segment again ("zh*" would, in
# pagefind_extended) nor stem; "und" (undetermined) does neither. English keeps Pagefind's stemmer.
INDEX_LANG = {"zh-Hans": "und", "zh-Hant": "und", "en": "en"}
BUNDLE = "pagefind"
CHARMAP = "np-chars.txt"
# Pagefind's own UIs and highlighter: we use its JS API with Material-styled results instead
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


def bigram_tokens(run: str) -> list[str]:
    """``养老机构`` -> ``['养老', '老机', '机构', '构']``: one token per character, the last a unigram."""
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]] if run else []


class _Codes(dict):
    """code point -> its ASCII form, made on first use (a table for ``str.translate``)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = f"x{code:05x}"
        return value


_CODES = _Codes()


def encode(token: str) -> str:
    """A token in ASCII: ``x`` and five hex digits per character (养老 -> x0517bx08001).

    Pagefind 1.5.2 looks up non-ASCII index words wrongly once the index has many chunks (at 1,000
    notices 政部 returned 739 of its 1,483 pages, 养老 AND 老机 none); ASCII words are found exactly.
    A character's code is a prefix of every bigram starting with it, so one-character queries still work.
    """
    return token.translate(_CODES)


def _encoded_run(run: re.Match[str]) -> str:
    codes = run.group().translate(_CODES)  # six ASCII characters per Han character
    tokens = [codes[i:i + 12] for i in range(0, len(codes) - 6, 6)] + [codes[-6:]]
    return " " + " ".join(tokens) + " "


def tokenize(text: str) -> str:
    """Every Han run replaced by its space-separated (encoded) tokens (:func:`bigram_tokens`); other
    text unchanged."""
    return _HAN_RUN.sub(_encoded_run, text)


_CODE = "x[0-9a-f]{5}"
_TOKEN_PAIR = re.compile(f"(?<![0-9A-Za-z])x([0-9a-f]{{5}}){_CODE} (?={_CODE})")
_CODE_RUN = re.compile(f"(?<![0-9A-Za-z])(?:{_CODE})+(?![0-9A-Za-z])")
_IS_HAN = re.compile(f"[{HAN}]+")
_HAN_CHARS = re.compile(f"[{HAN}]")


def _decode_run(m: re.Match[str]) -> str:
    run = m.group()
    text = "".join(chr(int(run[i + 1:i + 6], 16)) for i in range(0, len(run), 6))
    return text if _IS_HAN.fullmatch(text) else run
_SPACE_IN_HAN = re.compile(f"(?<=[{HAN}]) +| +(?=[{HAN}])")


def detokenize(text: str) -> str:
    """Inverse of :func:`tokenize` up to spaces next to Han characters (which Chinese text has none of)."""
    text = _TOKEN_PAIR.sub(lambda m: f"x{m.group(1)}", text)
    text = _CODE_RUN.sub(_decode_run, text)
    return _SPACE_IN_HAN.sub("", text)


def index_html(html: str, lang: str) -> str:
    """The page as Pagefind should read it: no scripts or styles, the index language, tokenized text."""
    html = _SCRIPT_OR_STYLE.sub("", html)
    html = _HTML_LANG.sub(f'<html lang="{INDEX_LANG[lang]}">', html, count=1)
    return _TEXT_NODE.sub(lambda m: ">" + tokenize(m.group(1)) + "<", html)


_CLASSES_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _char_classes() -> dict[str, str]:
    """Every Han character (BMP) of a class of two or more -> the class's first character; a class is a
    character with its OpenCC t2s / s2t / s2tw / s2hk forms (characters alone in their class are left out)."""
    import opencc

    chars = [chr(c) for c in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000))]
    parent = {c: c for c in chars}

    def find(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    joined = "\n".join(chars)
    for config in ("t2s", "s2t", "s2tw", "s2hk"):
        converted = opencc.OpenCC(config).convert(joined).split("\n")
        if len(converted) != len(chars):  # pragma: no cover - OpenCC keeps line breaks
            raise NoticepubError(Path(config), "OpenCC changed the number of lines while building the search map")
        for src, dst in zip(chars, converted, strict=True):
            if len(dst) == 1 and dst != src and dst in parent:
                a, b = find(src), find(dst)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    roots = {c: find(c) for c in chars}
    sizes: dict[str, int] = {}
    for root in roots.values():
        sizes[root] = sizes.get(root, 0) + 1
    return {c: root for c, root in roots.items() if sizes[root] > 1}


def char_classes(cache: Path | None = None) -> dict[str, str]:
    """:func:`_char_classes`, computed once per process and kept in ``cache`` (a JSON file) for the
    next one, under the OpenCC version that made it."""
    try:
        version = importlib.metadata.version("opencc")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - opencc is a dependency
        version = "unknown"
    if cache is not None:
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("opencc") == version and isinstance(data.get("classes"), dict):
                return data["classes"]
        except (OSError, ValueError, AttributeError):
            pass
    with _CLASSES_LOCK:  # the languages' indexes are made in threads: compute it once
        classes = _char_classes()
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"opencc": version, "classes": classes}, ensure_ascii=False), encoding="utf-8")
    return classes


def char_map(texts: list[str], cache: Path | None = None) -> str:
    """The classes of equivalent characters that occur in ``texts``, one line each.

    A line is ``<characters used on this site><TAB><the other characters of the class>``; the browser
    folds every character of a line to the line's first character before comparing, and expands each
    query character to the characters the site uses (which are the ones in the index).
    """
    classes = char_classes(cache)
    used = set().union(*texts) & classes.keys()
    members: dict[str, list[str]] = {}
    for c, root in classes.items():
        members.setdefault(root, []).append(c)
    lines = []
    for root in sorted({classes[c] for c in used}):
        group = members[root]
        site = [c for c in group if c in used]
        other = [c for c in group if c not in used]
        lines.append("".join(site) + "\t" + "".join(other))
    return "\n".join(lines) + "\n"


def _pagefind() -> list[str]:
    try:
        import pagefind_bin_extended
    except ImportError:
        raise NoticepubError(Path("requirements.lock"),
                             "pagefind-bin-extended is not installed; run `make site` (or pip install -r requirements.lock)"
                             ) from None
    return [str(pagefind_bin_extended.get_executable())]


_BODY_OPEN = re.compile(rf"<div\b[^>]*\b{BODY_MARK}\b[^>]*>")
_DIV_TAG = re.compile(r"<(/?)div\b", re.I)
_TITLE = re.compile(r"<title>.*?</title>", re.S | re.I)


def indexed_part(html: str) -> str | None:
    """What Pagefind reads of an article page: the ``<html>`` tag, the title and the marked body element
    (the navigation, header and footer around it are never indexed); None for a page without a marked body.
    Pagefind makes the same index from this as from the whole page (checked by the tests)."""
    found = _BODY_OPEN.search(html)
    if found is None:
        return None
    depth, end = 0, len(html)
    for tag in _DIV_TAG.finditer(html, found.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = html.find(">", tag.start()) + 1
            break
    opening = _HTML_LANG.search(html)
    title = _TITLE.search(html)
    return (f"<!doctype html>\n{opening.group() if opening else '<html>'}<head><meta charset=\"utf-8\">"
            f"{title.group() if title else ''}</head><body>{html[found.start():end]}</body></html>\n")


# The work folder of an index: pages/ (each article page as Pagefind reads it) and state.json, which maps
# each HTML page of the site to [digest of the page, Han characters of its indexed part or null when the
# page is not an article, size and mtime of its file under pages/], and records the key of each shard
# built into ``out``. A page whose digest is unchanged is not read again; a work file whose size or mtime
# differs from the record is remade; a shard whose key is unchanged is not indexed again.
_STATE = "state.json"
_STATE_VERSION = 2
# At most this many article pages per shard: one changed notice re-indexes one shard, whatever the size
# of the archive. The number of shards is a power of two, so that pages move only when it doubles.
SHARD_PAGES = 512
SHARDS_FILE = "np-shards.json"


def shard_count(pages: int, shard_pages: int | None = None) -> int:
    size = max(1, shard_pages or SHARD_PAGES)
    count = 1
    while count * size < pages:
        count *= 2
    return count


def shard_of(rel: str, shards: int) -> int:
    """The shard of an article page: the pages of one notice (``notices/<name>/…``) share one, chosen by a
    hash of the notice's path."""
    parts = rel.split("/")
    group = "/".join(parts[:2]) if len(parts) > 2 else rel
    return int.from_bytes(hashlib.blake2b(group.encode("utf-8"), digest_size=8).digest(), "big") % shards


@dataclass(frozen=True)
class IndexReport:
    pages: int                 # article pages indexed
    shards: dict[int, str]     # shard -> key (a digest of its pages): the folder ``out/<shard>/``
    indexed: tuple[int, ...]   # shards Pagefind ran for this time


@lru_cache(maxsize=1)
def _code_key() -> str:
    """What makes an index besides its pages: this module's source and Pagefind's version. Work made under
    another code key is not reused."""
    try:
        version = importlib.metadata.version("pagefind-bin-extended")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    h = hashlib.blake2b(digest_size=20)
    h.update(Path(__file__).read_bytes())
    h.update(f"pagefind {version}".encode())
    return h.hexdigest()


def _load_state(work: Path) -> dict:
    try:
        data = json.loads((work / _STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and data.get("version") == _STATE_VERSION and data.get("code") == _code_key()
    return data if ok else {}


def _html_digests(site: Path) -> dict[str, str]:
    """relpath -> digest of every HTML page of one language's site; another language's site nested
    inside it (site/zh-Hant/ in a finished site/, recognized by its own sitemap.xml) is left out."""
    nested = {p.parent for p in site.glob("*/sitemap.xml")}
    return {path.relative_to(site).as_posix(): hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()
            for path in sorted(site.rglob("*.html")) if not nested.intersection(path.parents)}


def _prepare_pages(site: Path, lang: str, pages_dir: Path, digests: Mapping[str, str],
                   old: dict[str, list]) -> dict[str, list]:
    """Write each article page as Pagefind reads it into ``pages_dir``, reusing what is unchanged."""
    state: dict[str, list] = {}
    for rel in sorted(r for r in digests if r.endswith(".html")):
        digest, target = digests[rel], pages_dir / rel
        kept = old.get(rel)
        if kept is not None and kept[0] == digest:
            if kept[1] is None:
                state[rel] = kept
                continue
            try:
                st = target.stat()
            except OSError:
                st = None
            if st is not None and [st.st_size, st.st_mtime_ns] == kept[2:]:
                state[rel] = kept
                continue
        part = indexed_part((site / rel).read_text(encoding="utf-8"))
        if part is None:
            target.unlink(missing_ok=True)
            state[rel] = [digest, None]
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(index_html(part, lang), encoding="utf-8")
        st = target.stat()
        state[rel] = [digest, "".join(sorted(set(_HAN_CHARS.findall(part)))), st.st_size, st.st_mtime_ns]
    if not old and pages_dir.is_dir():  # no record of what is there: look
        wanted = {pages_dir / rel for rel, kept in state.items() if kept[1] is not None}
        for stray in [p for p in pages_dir.rglob("*") if p.is_file() and p not in wanted]:
            stray.unlink()
    else:  # the record lists the page files of the last finished run (a file left by a run that failed
        # before writing its record is never indexed: Pagefind reads only the pages listed for a shard)
        for rel, kept in old.items():
            if kept[1] is not None and (rel not in state or state[rel][1] is None):
                (pages_dir / rel).unlink(missing_ok=True)
    return state


def _run_pagefind(pages_dir: Path, rels: list[str], target: Path, lang: str, site: Path) -> None:
    """One Pagefind bundle of the pages ``rels`` (under ``pages_dir``) into ``target`` (replaced whole)."""
    scratch = target.with_name(target.name + ".noticepub-pages")
    tmp = target.with_name(target.name + ".noticepub-tmp")
    for folder in (scratch, tmp):
        shutil.rmtree(folder, ignore_errors=True)
    for rel in rels:  # the shard's pages, as links: Pagefind reads a whole folder
        (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(pages_dir / rel, scratch / rel)
        except OSError:
            shutil.copyfile(pages_dir / rel, scratch / rel)
    args = [*_pagefind(), "--site", str(scratch), "--output-path", str(tmp), "--silent",
            "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS)]
    run = subprocess.run(args, capture_output=True, text=True)
    shutil.rmtree(scratch, ignore_errors=True)
    if run.returncode != 0:
        detail = (run.stderr.strip() or run.stdout.strip() or "pagefind failed").splitlines()[-1]
        raise NoticepubError(site, f"search index ({lang}) failed: {detail}")
    for name in _UNUSED:
        (tmp / name).unlink(missing_ok=True)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)


def build_search_index(site: Path, lang: str, work: Path, out: Path | None = None,
                       digests: Mapping[str, str] | None = None, shard_pages: int | None = None) -> IndexReport:
    """Index the article pages of one language's built site (``site``) into ``out`` (``site/pagefind``).

    ``out`` holds one Pagefind bundle per shard (``out/0/``, ``out/1/`` …; the browser loads ``0`` and
    merges the others, listed in ``np-shards.json``) and the character map. ``work`` holds what Pagefind
    reads and is kept between runs, like ``out``: with ``digests`` (relpath -> digest of every HTML page,
    from the build's manifest) only pages whose digest changed are prepared again, and only shards whose
    pages changed are indexed again; the result is the same as a first run's. Without ``digests`` both
    folders are made afresh. ``shard_pages``: at most this many pages per shard (default SHARD_PAGES).
    """
    out = out or site / BUNDLE
    if digests is None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        digests = _html_digests(site)
    pages_dir = work / "pages"
    old = _load_state(work)
    state = _prepare_pages(site, lang, pages_dir, digests, old.get("pages", {}))
    articles = sorted(rel for rel, kept in state.items() if kept[1] is not None)
    count = shard_count(len(articles), shard_pages)
    members: dict[int, list[str]] = {k: [] for k in range(count)}
    for rel in articles:
        members[shard_of(rel, count)].append(rel)
    keys = {k: _digest_pages([(rel, state[rel][0]) for rel in rels], lang) for k, rels in members.items()}
    built = {int(k): v for k, v in old.get("shards", {}).items()} if out.is_dir() else {}
    indexed = []
    out.mkdir(parents=True, exist_ok=True)
    for k, rels in members.items():
        target = out / str(k)
        if built.get(k) == keys[k] and target.is_dir() and (not rels or (target / "pagefind.js").is_file()):
            continue
        if rels:
            _run_pagefind(pages_dir, rels, target, lang, site)
        else:  # an empty shard (possible only with few pages): an empty folder, never loaded
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
        indexed.append(k)
    for stale in out.iterdir():
        if stale.name not in {str(k) for k in members} | {CHARMAP, SHARDS_FILE}:
            shutil.rmtree(stale) if stale.is_dir() and not stale.is_symlink() else stale.unlink()
    used = [state[rel][1] for rel in articles]
    (out / CHARMAP).write_text(char_map(used, work / "char-classes.json") if lang != "en" else "", encoding="utf-8")
    shards = [str(k) + "/" for k, rels in members.items() if rels]
    (out / SHARDS_FILE).write_text(json.dumps({"shards": shards}) + "\n", encoding="utf-8")
    work.mkdir(parents=True, exist_ok=True)
    (work / _STATE).write_text(json.dumps({"version": _STATE_VERSION, "code": _code_key(), "pages": state,
                                           "shards": keys}, ensure_ascii=False), encoding="utf-8")
    return IndexReport(len(articles), keys, tuple(indexed))


def index_shards(work: Path) -> dict[str, str]:
    """The shards of the index last made with this work folder: folder name -> key."""
    return {str(k): v for k, v in _load_state(work).get("shards", {}).items()}


def _digest_pages(pages: list[tuple[str, str]], lang: str) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{lang}\n".encode())
    for rel, digest in pages:
        h.update(f"{rel}\t{digest}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - maintainers' helper
    """``python -m noticepub.search_index SITE_DIR LANG``: (re)index one built language folder."""
    args = sys.argv[1:] if argv is None else argv
    site, lang = Path(args[0]), args[1]
    print(build_search_index(site, lang, site.parent / ".search-work").pages, "pages indexed")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
