"""Site search: one static index per language, made after MkDocs, fetched by readers piece by piece.

Every query costs a bounded number of small files, whatever the archive's size.

**Text.** The searchable text of an article page is its marked body (``data-pagefind-body`` in the
template; provenance, technical details and buttons excluded), cut into blocks: the headline and each
paragraph, list item or table cell. Text is compared *normalized* (:func:`normalize`): NFKC, lower
case, Simplified and Traditional forms folded to one character (classes joined with OpenCC), and
punctuation and spaces ignored, except that each word of a non-Han script starts with one space. So
「就业服务。鼓励农民」 reads 就业服务鼓励农民, and "Elderly-care" reads " elderly care". A match never
spans two blocks.

**Index.** For each normalized character trigram (the blocks end with a newline, so every bigram starts
one) the sorted list of documents holding it, and for each character the same. A query of one
character reads its character's list, a query of two the lists of the trigrams that start with it, a
query of three its trigram's list: all exact, without fetching any page. A longer query intersects the
lists of its trigrams and checks the few candidates left against their text. The lists are cut into
buckets by a hash of the trigram's first two characters (the browser computes the same hash), so a
query fetches at most one bucket per trigram. Documents are numbered in the order of their paths;
results come newest first (the highest numbers).

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
import pickle
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

# Han ideographs (URO, extension A, compatibility, supplementary planes); search.js uses the same ranges
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_CHARS = re.compile(f"[{HAN}]")
BODY_MARK = "data-pagefind-body"
IGNORE_MARK = "data-pagefind-ignore"
# what is not searchable inside an article body (provenance, technical details, buttons, anchors)
EXCLUDE_SELECTORS = (".np-provenance", ".np-technical", "details", ".md-button", ".headerlink")
BUNDLE = "np-search"
CHARMAP = "chars.json.gz"
SHARDS_FILE = "index.json"
FORMAT = 1
PACK_DOCS = 8            # documents per text pack (a result costs one pack)
SHARD_PAGES = 512        # documents per folder of packs (what a change re-publishes)
BUCKET_BYTES = 16_000    # aim for buckets of about this many compressed bytes
MAX_GRAMS_PER_QUERY = 8  # search.js: a long query reads at most this many trigram lists


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


def doc_grams(stream: str) -> tuple[set[str], set[str]]:
    """(characters, trigrams) of a document stream; spaces and newlines are not characters of their own."""
    chars = set(stream)
    chars.discard(" ")
    chars.discard("\n")
    return chars, {stream[i:i + 3] for i in range(len(stream) - 2)}


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


def gram_bucket(gram: str, buckets: int) -> int:
    """The bucket of a trigram: by its first two characters (a two-character query reads one bucket)."""
    return fnv1a(gram[:2]) % buckets


def char_bucket(char: str, buckets: int) -> int:
    return fnv1a(char) % buckets


def _postings(streams: list[str]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    chars: dict[str, list[int]] = {}
    grams: dict[str, list[int]] = {}
    for doc, stream in enumerate(streams):
        cs, gs = doc_grams(stream)
        for c in cs:
            found = chars.get(c)
            if found is None:
                chars[c] = [doc]
            else:
                found.append(doc)
        for g in gs:
            found = grams.get(g)
            if found is None:
                grams[g] = [doc]
            else:
                found.append(doc)
    return chars, grams


def _buckets(postings: dict[str, list[int]], bucket_of, sample_ratio: float) -> dict[int, bytes]:
    """Each bucket's gzip'd JSON ({key: [first id, gaps…]}), the number of buckets chosen from the size."""
    encoded = {key: _deltas(ids) for key, ids in postings.items()}
    estimate = int(sum(len(v) for v in encoded.values()) * sample_ratio) + 8 * len(encoded)
    count = bucket_count(estimate)
    grouped: dict[int, dict[str, list[int]]] = {}
    for key in sorted(encoded):
        grouped.setdefault(bucket_of(key, count), {})[key] = encoded[key]
    return {k: _gz(grouped.get(k, {})) for k in range(count)}


@dataclass(frozen=True)
class IndexReport:
    pages: int                 # article pages indexed
    shards: dict[str, str]     # folder of the bundle -> digest of its files
    indexed: tuple[str, ...]   # folders whose files changed this time


_STATE = "state.pickle"
_STATE_VERSION = 3


@lru_cache(maxsize=1)
def _code_key() -> str:
    """What makes an index besides its pages: this module's source. Work made under another key is not reused."""
    h = hashlib.blake2b(digest_size=20)
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def _load_state(work: Path) -> dict:
    try:
        with (work / _STATE).open("rb") as fh:
            data = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError):
        return {}
    ok = isinstance(data, dict) and data.get("version") == _STATE_VERSION and data.get("code") == _code_key()
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


def _documents(site: Path, digests: Mapping[str, str], old: dict[str, list],
               fold: Mapping[int, int]) -> dict[str, list]:
    """rel -> [digest, (headline, blocks) or None, normalized stream or None], reading only pages whose
    digest changed."""
    docs: dict[str, list] = {}
    for rel in sorted(r for r in digests if r.endswith(".html")):
        kept = old.get(rel)
        if kept is not None and kept[0] == digests[rel]:
            docs[rel] = kept
            continue
        text = article_text((site / rel).read_text(encoding="utf-8"))
        docs[rel] = [digests[rel], text, doc_stream([text[0], *text[1]], fold) if text else None]
    return docs


def build_search_index(site: Path, lang: str, work: Path, out: Path | None = None,
                       digests: Mapping[str, str] | None = None, shard_pages: int | None = None) -> IndexReport:
    """Index the article pages of one language's built site (``site``) into ``out`` (``site/np-search``).

    ``work`` keeps each page's text (by page digest) between runs; with ``digests`` (relpath -> digest of
    every HTML page, from the build's manifest) only changed pages are read again. Files in ``out`` are
    written only when their bytes change; the result equals a first run's, byte for byte. ``shard_pages``:
    documents per folder of text packs (default SHARD_PAGES, rounded to whole packs).
    """
    out = out or site / BUNDLE
    if digests is None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        digests = _html_digests(site)
    old = _load_state(work)
    classes = char_classes(work / "char-classes.json")
    docs = _documents(site, digests, old.get("docs", {}), fold_table(classes))
    articles = [(rel, doc[1]) for rel, doc in docs.items() if doc[1] is not None]
    chars, grams = _postings([doc[2] for doc in docs.values() if doc[1] is not None])
    files: dict[str, bytes] = {}
    # about 2 compressed bytes per posting for sparse lists; dense ones compress far better
    for folder, postings, bucket_of in (("g", grams, gram_bucket), ("c", chars, char_bucket)):
        for k, data in _buckets(postings, bucket_of, 1.2).items():
            files[f"{folder}/{k}.json.gz"] = data
    group = max(PACK_DOCS, (shard_pages or SHARD_PAGES) // PACK_DOCS * PACK_DOCS)
    for start in range(0, len(articles), PACK_DOCS):
        pack = [[page_url(rel), title, blocks] for rel, (title, blocks) in articles[start:start + PACK_DOCS]]
        files[f"t{start // group}/{start // PACK_DOCS}.json.gz"] = _gz(pack)
    files[CHARMAP] = _gz(char_map([c for c in chars if _HAN_CHARS.match(c)], classes))
    folders: dict[str, hashlib.blake2b] = {}
    for name in sorted(files):
        if "/" in name:
            h = folders.setdefault(name.split("/", 1)[0], hashlib.blake2b(digest_size=20))
            h.update(name.encode() + b"\0" + hashlib.blake2b(files[name], digest_size=20).digest())
    shards = {name: h.hexdigest() for name, h in folders.items()}
    version = hashlib.blake2b("\n".join(f"{k} {v}" for k, v in sorted(shards.items())).encode()
                              + files[CHARMAP], digest_size=8).hexdigest()
    meta = {"format": FORMAT, "lang": lang, "version": version, "docs": len(articles), "pack": PACK_DOCS,
            "group": group, "grams": _count(files, "g"), "chars": _count(files, "c"),
            "maxGrams": MAX_GRAMS_PER_QUERY, "wordStart": lang == "en"}
    files[SHARDS_FILE] = (json.dumps(meta, sort_keys=True) + "\n").encode()
    changed = _sync(out, files)
    work.mkdir(parents=True, exist_ok=True)
    tmp = work / (_STATE + ".tmp")
    with tmp.open("wb") as fh:
        pickle.dump({"version": _STATE_VERSION, "code": _code_key(), "docs": docs, "shards": shards}, fh,
                    protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, work / _STATE)
    return IndexReport(len(articles), shards, tuple(sorted({n.split("/", 1)[0] for n in changed if "/" in n})))


def _count(files: Mapping[str, bytes], folder: str) -> int:
    return sum(1 for name in files if name.startswith(folder + "/"))


def _sync(out: Path, files: Mapping[str, bytes]) -> list[str]:
    """Make ``out`` hold exactly ``files``; returns the names written."""
    changed = []
    for name, data in files.items():
        path = out / name
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        changed.append(name)
    if out.is_dir():
        for path in sorted(out.rglob("*"), reverse=True):
            rel = path.relative_to(out).as_posix()
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif rel not in files:
                path.unlink()
    return changed


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
