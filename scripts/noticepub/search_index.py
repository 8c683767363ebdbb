"""Site search: one static index per language, made after MkDocs, fetched by readers piece by piece.

Every query costs a bounded number of small files, whatever the archive's size.

**Text.** The searchable text of an article page is its marked body (``data-pagefind-body`` in the
template; provenance, technical details and buttons excluded), cut into blocks: the headline and each
paragraph, list item or table cell. Text is compared *normalized* (:func:`normalize`): NFKC, lower
case, Simplified and Traditional forms folded to one character (classes joined with OpenCC), and
punctuation and spaces ignored, except that each word of a non-Han script starts with one space. So
「就业服务。鼓励农民」 reads 就业服务鼓励农民, and "Elderly-care" reads " elderly care". A match never
spans two blocks.

**Index.** For each normalized character, bigram and trigram, the sorted list of documents holding it.
A query of one, two or three characters reads one list: exact, without fetching any page (北京 with 北
and 京 apart on a page is not a result). A longer query intersects the lists of (at most
``MAX_GRAMS_PER_QUERY`` of) its trigrams and checks the few candidates left against their text. The
lists are cut into buckets by a hash of their key (search.js computes the same hash), the number of
buckets chosen from the size, so a query fetches one small bucket per list. Documents are numbered in
the order of their paths; results come newest first (the highest numbers).

**Texts.** The documents' texts (URL, headline, blocks), for excerpts and checks, are stored in packs of
``PACK_DOCS`` consecutive documents; packs are grouped in folders of ``shard_pages`` documents so that a
changed notice re-publishes one folder of packs (plus the buckets, which every change touches).

Every file but ``index.json`` is gzip-compressed JSON (the browser decompresses it), since static hosts
do not compress every type. ``overrides/assets/search.js`` is the browser side.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import operator
import os
import re
import shutil
import sys
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from noticepub.errors import NoticepubError
from noticepub.site_incremental import read_signed, write_signed

# Han ideographs (URO, extension A, compatibility, supplementary planes); search.js uses the same ranges
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_CHARS = re.compile(f"[{HAN}]")
BODY_MARK = "data-pagefind-body"
IGNORE_MARK = "data-pagefind-ignore"
# what is not searchable inside an article body (provenance, technical details, buttons, anchors)
# (the breadcrumb, dateline and notes name the page, the notice and its date: every article of a notice would
# match its neighbours' headlines)
EXCLUDE_SELECTORS = (".np-provenance", ".np-technical", "details", ".md-button", ".headerlink", ".np-breadcrumb",
                     ".np-dateline", ".np-en-unavailable", ".np-article-links")
BUNDLE = "np-search"
CHARMAP = "chars.json.gz"
SHARDS_FILE = "index.json"
FORMAT = 1
PACK_DOCS = 16           # documents per text pack (results come in id order: a page of them costs one or two)
SHARD_PAGES = 512        # documents per folder of packs (what a change re-publishes)
BUCKET_BYTES = 16_000    # aim for buckets of at most about this many compressed bytes (sparse lists)
MAX_GRAMS_PER_QUERY = 6  # search.js: a long query reads at most this many trigram lists


# ---------------------------------------------------------------------------------------------- text

_PUNCT = re.compile(r"[\W_]+")
_SPACE_BEFORE_HAN = re.compile(f" (?=[{HAN}])")
_HAN_THEN_WORD = re.compile(f"(?<=[{HAN}])(?=[^\\W_{HAN}])")


def normalize(text: str, fold: Mapping[int, int] | None = None) -> str:
    """The text as search compares it: NFKC, lower case, characters folded (``fold``: code point -> code
    point, see :func:`fold_table`), punctuation and spaces dropped, one space before each word of a
    non-Han script. search.js's ``normalize`` gives the same string, character by character."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = _PUNCT.sub(" ", t)
    t = _SPACE_BEFORE_HAN.sub("", t)
    t = _HAN_THEN_WORD.sub(" ", t)
    t = t.rstrip(" ")
    if t and t[0] != " " and not _HAN_CHARS.match(t):
        t = " " + t
    return t.translate(fold) if fold else t


def doc_stream(blocks: list[str], fold: Mapping[int, int] | None = None) -> str:
    """A document's normalized blocks, each ended by a newline (no match spans two blocks)."""
    return "".join(normalize(b, fold) + "\n" for b in blocks)


def doc_grams(stream: str) -> tuple[set[str], set[str], set[str]]:
    """(characters, bigrams, trigrams) of a document stream, none across a block's end; a space is not a
    character of its own (it marks where a word starts)."""
    chars = set(stream)
    chars.discard(" ")
    chars.discard("\n")
    bigrams = {stream[i:i + 2] for i in range(len(stream) - 1)}
    trigrams = {stream[i:i + 3] for i in range(len(stream) - 2)}
    return chars, {g for g in bigrams if "\n" not in g}, {g for g in trigrams if "\n" not in g}


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over the code points (search.js: ``hash``)."""
    h = 0x811C9DC5
    for ch in text:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


class _Blocks(HTMLParser):
    """The headline and the text blocks of an article body, without what search leaves out."""

    BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "blockquote", "pre", "dd", "dt",
             "figcaption", "div", "tr", "table", "ul", "ol", "section", "article", "br", "hr"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.classes = {s[1:] for s in EXCLUDE_SELECTORS if s.startswith(".")}
        self.tags = {s for s in EXCLUDE_SELECTORS if not s.startswith(".")}
        self.stack: list[str] = []
        self.skip_at: int | None = None
        self.title: str | None = None
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.in_h1 = False

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if not text:
            return
        if self.in_h1 and self.title is None:
            self.title = text
        else:
            self.blocks.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self._flush()
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if self.skip_at is None:
            values = dict(attrs)
            if (tag in self.tags or IGNORE_MARK in values
                    or self.classes.intersection((values.get("class") or "").split())):
                self.skip_at = len(self.stack)
        if tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag):
        if tag in self.VOID or tag not in self.stack:
            return
        if tag in self.BLOCK:
            self._flush()
        while self.stack:
            top = self.stack.pop()
            if self.skip_at is not None and len(self.stack) < self.skip_at:
                self.skip_at = None
            if top == "h1":
                self.in_h1 = False
            if top == tag:
                break

    def handle_data(self, data):
        if self.skip_at is None:
            self.current.append(data)

    def close(self):
        super().close()
        self._flush()


_BODY_OPEN = re.compile(rf"<div\b[^>]*\b{BODY_MARK}\b[^>]*>")
_DIV_TAG = re.compile(r"<(/?)div\b", re.I)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)


def marked_body(html: str) -> str | None:
    """The marked body element of an article page (None for a page without one)."""
    found = _BODY_OPEN.search(html)
    if found is None:
        return None
    depth, end = 0, len(html)
    for tag in _DIV_TAG.finditer(html, found.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = html.find(">", tag.start()) + 1
            break
    return html[found.start():end]


def article_text(html: str) -> tuple[str, list[str]] | None:
    """(headline, blocks) of an article page, or None when the page is not a search result."""
    body = marked_body(html)
    if body is None:
        return None
    parser = _Blocks()
    parser.feed(body)
    parser.close()
    title = parser.title
    if title is None:
        found = _TITLE.search(html)
        title = " ".join(found.group(1).split()) if found else ""
    return title, parser.blocks


# ---------------------------------------------------------------------------------------- characters

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


def fold_table(classes: Mapping[str, str]) -> dict[int, int]:
    """``str.translate`` table: every character of a class -> the class's root."""
    return {ord(c): ord(root) for c, root in classes.items() if c != root}


def char_map(texts: list[str], classes: Mapping[str, str]) -> list[str]:
    """The classes of equivalent characters that occur in ``texts`` (folded or not), one string each: the
    root first, then the other members. The browser folds each character of a query to its class's root."""
    used = set().union(*texts) if texts else set()
    members: dict[str, list[str]] = {}
    for c, root in classes.items():
        members.setdefault(root, []).append(c)
    roots = sorted({classes[c] for c in used if c in classes})
    return [root + "".join(sorted(c for c in members[root] if c != root)) for root in roots]


# ----------------------------------------------------------------------------------------- the index

def _gz(data: object) -> bytes:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=6, mtime=0)


def _deltas(ids: list[int]) -> list[int]:
    return [ids[0], *map(operator.sub, ids[1:], ids[:-1])]


def bucket_count(total_bytes: int, target: int = BUCKET_BYTES) -> int:
    count = 1
    while count * target < total_bytes:
        count *= 2
    return count


def bucket_of(key: str, buckets: int) -> int:
    """The bucket of a character, bigram or trigram (search.js computes the same)."""
    return fnv1a(key) % buckets


FOLDERS = ("c", "b", "g")  # characters, bigrams, trigrams: the order of doc_grams


def _postings(streams: list[str]) -> dict[str, dict[str, list[int]]]:
    """folder -> key -> the sorted documents holding it."""
    lists: tuple[dict[str, list[int]], ...] = ({}, {}, {})
    for doc, stream in enumerate(streams):
        for keys, found in zip(doc_grams(stream), lists, strict=True):
            for key in keys:
                docs = found.get(key)
                if docs is None:
                    found[key] = [doc]
                else:
                    docs.append(doc)
    return dict(zip(FOLDERS, lists, strict=True))


def _estimate(entries: int, keys: int) -> int:
    """Compressed bytes of a folder's lists, roughly (the number of buckets follows from it)."""
    return entries + entries // 5 + 8 * keys


def _ids(deltas: list[int]) -> list[int]:
    out, n = [], 0
    for d in deltas:
        n += d
        out.append(n)
    return out


@dataclass(frozen=True)
class IndexReport:
    pages: int                 # article pages indexed
    shards: dict[str, str]     # folder of the bundle -> digest of its files
    indexed: tuple[str, ...]   # folders whose files changed this time


# The work state is JSON signed with the machine's key (site_incremental.write_signed), never pickle
# (issue 25): a planted, tampered or foreign state file is ignored and the index is rebuilt from the pages.
_STATE = "state.json"
_STATE_VERSION = 5
_LEGACY_STATES = ("state.pickle",)  # never read; removed when found


@lru_cache(maxsize=1)
def _code_key() -> str:
    """What makes an index besides its pages: this module's source. Work made under another key is not reused."""
    h = hashlib.blake2b(digest_size=20)
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


_STATE_TYPES = {"group": int, "pages": dict, "articles": list, "files": dict, "counts": dict, "charkeys": list,
                "buckets": dict, "shards": dict}


def _load_state(work: Path) -> dict:
    """The last run's state, or {} when it is missing, unsigned, forged or of another version."""
    data = read_signed(work / _STATE)
    ok = (isinstance(data, dict) and data.get("version") == _STATE_VERSION and data.get("code") == _code_key()
          and all(isinstance(data.get(k), t) and not isinstance(data.get(k), bool) for k, t in _STATE_TYPES.items()))
    return data if ok else {}


def _html_digests(site: Path) -> dict[str, str]:
    """relpath -> digest of every HTML page of one language's site; another language's site nested
    inside it (site/zh-Hant/ in a finished site/, recognized by its own sitemap.xml) is left out."""
    nested = {p.parent for p in site.glob("*/sitemap.xml")}
    return {path.relative_to(site).as_posix(): hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()
            for path in sorted(site.rglob("*.html")) if not nested.intersection(path.parents)}


def page_url(rel: str) -> str:
    """The URL of a page relative to its language's root (directory URLs)."""
    return rel[:-len("index.html")] if rel.endswith("index.html") else rel


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _read_gz(path: Path):
    return json.loads(gzip.decompress(path.read_bytes()))


class _Bundle:
    """The files of an index being made: written to ``out`` only when their bytes change, with a record of
    each file's digest (the folder keys and the version derive from it)."""

    def __init__(self, out: Path, digests: dict[str, str]) -> None:
        self.out = out
        self.digests = dict(digests)
        self.written: list[str] = []

    def put(self, name: str, data: bytes) -> None:
        digest = _digest(data)
        path = self.out / name
        if self.digests.get(name) == digest and path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        self.digests[name] = digest
        self.written.append(name)

    def keep_only(self, names: set[str]) -> None:
        for name in [n for n in self.digests if n not in names]:
            (self.out / name).unlink(missing_ok=True)
            del self.digests[name]
        if self.out.is_dir():  # files no record knows of (a run that failed half-way)
            for path in sorted(self.out.rglob("*"), reverse=True):
                rel = path.relative_to(self.out).as_posix()
                if path.is_dir():
                    if not any(path.iterdir()):
                        path.rmdir()
                elif rel not in names:
                    path.unlink()

    def shards(self) -> dict[str, str]:
        folders: dict[str, hashlib.blake2b] = {}
        for name in sorted(self.digests):
            if "/" in name:
                h = folders.setdefault(name.split("/", 1)[0], hashlib.blake2b(digest_size=20))
                h.update(f"{name}\0{self.digests[name]}\n".encode())
        return {name: h.hexdigest() for name, h in folders.items()}


def _pack_name(doc: int, group: int) -> str:
    return f"t{doc // group}/{doc // PACK_DOCS}.json.gz"


def build_search_index(site: Path, lang: str, work: Path, out: Path | None = None,
                       digests: Mapping[str, str] | None = None, shard_pages: int | None = None) -> IndexReport:
    """Index the article pages of one language's built site (``site``) into ``out`` (``site/np-search``).

    ``work`` records what ``out`` holds; with ``digests`` (relpath -> digest of every HTML page, from the
    build's manifest) only changed pages are read again, and when the articles are the same (or new ones
    come after them) only the buckets and packs they touch are rewritten. Either way ``out`` ends up
    byte for byte as a first run would make it. ``shard_pages``: documents per folder of text packs
    (default SHARD_PAGES, rounded to whole packs).
    """
    out = out or site / BUNDLE
    if digests is None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        digests = _html_digests(site)
    old = _load_state(work)
    group = max(PACK_DOCS, (shard_pages or SHARD_PAGES) // PACK_DOCS * PACK_DOCS)
    if old.get("group") != group or not (out / SHARDS_FILE).is_file():
        old = {}
    classes = char_classes(work / "char-classes.json")
    fold = fold_table(classes)
    old_pages: dict[str, list] = old.get("pages", {})
    pages: dict[str, list] = {}
    texts: dict[str, tuple[str, list[str]]] = {}  # pages read this time
    for rel in sorted(r for r in digests if r.endswith(".html")):
        kept = old_pages.get(rel)
        if kept is not None and kept[0] == digests[rel]:
            pages[rel] = kept
            continue
        text = article_text((site / rel).read_text(encoding="utf-8"))
        pages[rel] = [digests[rel], text is not None]
        if text is not None:
            texts[rel] = text
    articles = [rel for rel, (_, is_article) in pages.items() if is_article]
    before: list[str] = old.get("articles", [])
    bundle = _Bundle(out, old.get("files", {}))
    done = None
    intact = all((out / name).is_file() for name in bundle.digests)  # else: rewrite every file
    if old and intact and articles[:len(before)] == before and len(texts) <= max(PACK_DOCS, len(articles) // 20):
        done = _update(bundle, articles, before, texts, old, group, fold)
    if done is None:
        bundle = _Bundle(out, old.get("files", {}))
        try:
            done = _rebuild(bundle, articles, before, texts, group, fold)
        except _Stale:  # a page not read again is missing from the last run's packs: read every page
            shutil.rmtree(work, ignore_errors=True)
            return build_search_index(site, lang, work, out, digests, shard_pages)
    counts, charkeys, buckets = done
    bundle.put(CHARMAP, _gz(char_map(charkeys, classes)))
    names = {f"{f}/{k}.json.gz" for f in FOLDERS for k in range(buckets[f])}
    names |= {_pack_name(d, group) for d in range(0, len(articles), PACK_DOCS)} | {CHARMAP, SHARDS_FILE}
    bundle.keep_only(names)  # before the keys are taken: a bucket no longer made is no part of them
    shards = bundle.shards()
    version = _digest(json.dumps(shards, sort_keys=True).encode() + bundle.digests[CHARMAP].encode())[:16]
    meta = {"format": FORMAT, "lang": lang, "version": version, "docs": len(articles), "pack": PACK_DOCS,
            "group": group, "grams": buckets["g"], "bigrams": buckets["b"], "chars": buckets["c"],
            "maxGrams": MAX_GRAMS_PER_QUERY, "wordStart": lang == "en"}
    bundle.put(SHARDS_FILE, (json.dumps(meta, sort_keys=True) + "\n").encode())
    work.mkdir(parents=True, exist_ok=True)
    for name in _LEGACY_STATES:
        (work / name).unlink(missing_ok=True)
    write_signed(work / _STATE, {"version": _STATE_VERSION, "code": _code_key(), "group": group, "pages": pages,
                                 "articles": articles, "files": bundle.digests, "counts": counts,
                                 "charkeys": charkeys, "buckets": buckets, "shards": shards})
    return IndexReport(len(articles), shards, tuple(sorted({n.split("/", 1)[0] for n in bundle.written if "/" in n})))


def _old_texts(out: Path, count: int, group: int) -> dict[str, tuple[str, list[str]]]:
    """URL -> (headline, blocks) of the documents in the last run's packs."""
    found: dict[str, tuple[str, list[str]]] = {}
    for start in range(0, count, PACK_DOCS):
        try:
            pack = _read_gz(out / _pack_name(start, group))
        except (OSError, ValueError, EOFError):
            continue
        for url, title, blocks in pack:
            found[url] = (title, blocks)
    return found


def _rebuild(bundle: _Bundle, articles: list[str], before: list[str], texts: dict, group: int, fold) -> tuple:
    """Every bucket and pack made from the documents' texts (pages unchanged since the last run are taken
    from its packs, not read again)."""
    kept = _old_texts(bundle.out, len(before), group) if len(texts) < len(articles) else {}
    docs = []
    for rel in articles:
        text = texts.get(rel) or kept.get(page_url(rel))
        if text is None:
            raise _Stale(rel)
        docs.append(text)
    postings = _postings([doc_stream([title, *blocks], fold) for title, blocks in docs])
    counts, buckets = {}, {}
    for folder, lists in postings.items():
        entries = sum(map(len, lists.values()))
        counts[folder] = [entries, len(lists)]
        buckets[folder] = count = bucket_count(_estimate(entries, len(lists)))
        grouped: dict[int, dict[str, list[int]]] = {k: {} for k in range(count)}
        for key in sorted(lists):
            grouped[bucket_of(key, count)][key] = _deltas(lists[key])
        for k, data in grouped.items():
            bundle.put(f"{folder}/{k}.json.gz", _gz(data))
    for start in range(0, len(articles), PACK_DOCS):
        pack = [[page_url(rel), *docs[d]] for d, rel in enumerate(articles[start:start + PACK_DOCS], start)]
        bundle.put(_pack_name(start, group), _gz(pack))
    charkeys = sorted(c for c in postings["c"] if _HAN_CHARS.match(c))
    return counts, charkeys, buckets


class _Stale(Exception):
    """The last run's packs lack a page that was not read again: everything is read afresh."""


def _update(bundle: _Bundle, articles: list[str], before: list[str], texts: dict, old: dict, group: int,
            fold) -> tuple | None:
    """The changed and added documents applied to the last run's buckets and packs; None when that would
    not give what a fresh run gives (the number of buckets changes) or the last run's files are unusable."""
    buckets = dict(old["buckets"])
    counts = {k: list(v) for k, v in old["counts"].items()}
    charkeys = set(old["charkeys"])
    position = {rel: d for d, rel in enumerate(articles)}
    changed = sorted(position[rel] for rel in texts)
    packs: dict[str, list] = {}
    edits: dict[tuple[str, int], dict[str, list[set[int]]]] = {}
    updated: dict[str, dict] = {}
    try:
        for doc in changed:
            name = _pack_name(doc, group)
            if name not in packs:
                packs[name] = _read_gz(bundle.out / name) if doc // PACK_DOCS * PACK_DOCS < len(before) else []
            pack, slot = packs[name], doc % PACK_DOCS
            if doc < len(before):
                _, title, blocks = pack[slot]
                old_grams = doc_grams(doc_stream([title, *blocks], fold))
            else:
                old_grams = (set(), set(), set())
            text = texts[articles[doc]]
            new_grams = doc_grams(doc_stream([text[0], *text[1]], fold))
            entry = [page_url(articles[doc]), *text]
            if slot < len(pack):
                pack[slot] = entry
            else:
                pack.append(entry)
            for folder, o, n in zip(FOLDERS, old_grams, new_grams, strict=True):
                count = buckets[folder]
                for key in n - o:
                    edits.setdefault((folder, bucket_of(key, count)), {}).setdefault(key, [set(), set()])[0].add(doc)
                for key in o - n:
                    edits.setdefault((folder, bucket_of(key, count)), {}).setdefault(key, [set(), set()])[1].add(doc)
        for (folder, k), keys in sorted(edits.items()):
            name = f"{folder}/{k}.json.gz"
            data = _read_gz(bundle.out / name)
            for key, (adds, removes) in keys.items():
                had = data.get(key)
                ids = set(_ids(had)) if had else set()
                size = len(ids)
                ids = (ids - removes) | adds
                counts[folder][0] += len(ids) - size
                if ids:
                    data[key] = _deltas(sorted(ids))
                    if not had:
                        counts[folder][1] += 1
                        if folder == "c" and _HAN_CHARS.match(key):
                            charkeys.add(key)
                elif had:
                    del data[key]
                    counts[folder][1] -= 1
                    charkeys.discard(key)
            updated[name] = dict(sorted(data.items()))
    except (OSError, ValueError, EOFError, IndexError, TypeError):
        return None
    if any(bucket_count(_estimate(*counts[f])) != buckets[f] for f in buckets):
        return None
    for name, data in updated.items():
        bundle.put(name, _gz(data))
    for name, pack in packs.items():
        bundle.put(name, _gz(pack))
    return counts, sorted(charkeys), buckets


def index_shards(work: Path) -> dict[str, str]:
    """The folders of the index last made with this work folder: folder name -> key."""
    return dict(_load_state(work).get("shards", {}))


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - maintainers' helper
    """``python -m noticepub.search_index SITE_DIR LANG``: (re)index one built language folder."""
    args = sys.argv[1:] if argv is None else argv
    site, lang = Path(args[0]), args[1]
    print(build_search_index(site, lang, site.parent / ".search-work").pages, "pages indexed")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
