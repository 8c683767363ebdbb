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

import re
import shutil
import subprocess
import sys
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


def encode(token: str) -> str:
    """A token in ASCII: ``x`` and five hex digits per character (养老 -> x0517bx08001).

    Pagefind 1.5.2 looks up non-ASCII index words wrongly once the index has many chunks (at 1,000
    notices 政部 returned 739 of its 1,483 pages, 养老 AND 老机 none); ASCII words are found exactly.
    A character's code is a prefix of every bigram starting with it, so one-character queries still work.
    """
    return "".join(f"x{ord(c):05x}" for c in token)


def tokenize(text: str) -> str:
    """Every Han run replaced by its space-separated (encoded) tokens; other text unchanged."""
    return _HAN_RUN.sub(lambda m: " " + " ".join(encode(t) for t in bigram_tokens(m.group())) + " ", text)


_CODE = "x[0-9a-f]{5}"
_TOKEN_PAIR = re.compile(f"(?<![0-9A-Za-z])x([0-9a-f]{{5}}){_CODE} (?={_CODE})")
_CODE_RUN = re.compile(f"(?<![0-9A-Za-z])(?:{_CODE})+(?![0-9A-Za-z])")
_IS_HAN = re.compile(f"[{HAN}]+")


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


def article_pages(site: Path) -> list[Path]:
    """The HTML files whose body is marked for indexing (article pages only), sorted.

    Another language's site nested inside this one (site/zh-Hant/ in a finished site/, recognized by its
    own sitemap.xml) is left out: each language has its own index.
    """
    nested = {p.parent for p in site.glob("*/sitemap.xml")}
    pages = []
    for path in sorted(site.rglob("*.html")):
        if nested.intersection(path.parents):
            continue
        if BODY_MARK in path.read_text(encoding="utf-8", errors="replace"):
            pages.append(path)
    return pages


@lru_cache(maxsize=1)
def _char_classes() -> dict[str, str]:
    """Every Han character (BMP) -> its class: itself and its OpenCC t2s / s2t / s2tw / s2hk forms."""
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
    return {c: find(c) for c in chars}


def char_map(texts: list[str]) -> str:
    """The classes of equivalent characters that occur in ``texts``, one line each.

    A line is ``<characters used on this site><TAB><the other characters of the class>``; the browser
    folds every character of a line to the line's first character before comparing, and expands each
    query character to the characters the site uses (which are the ones in the index).
    """
    classes = _char_classes()
    used = {c for text in texts for c in text if c in classes}
    members: dict[str, list[str]] = {}
    for c, root in classes.items():
        members.setdefault(root, []).append(c)
    lines = []
    for root in sorted({classes[c] for c in used}):
        group = members[root]
        if len(group) < 2:
            continue
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


def build_search_index(site: Path, lang: str, work: Path) -> int:
    """Index the article pages of one language's built site (``site``) into ``site/pagefind``.

    ``work`` is a scratch folder (removed afterwards). Returns the number of pages indexed.
    """
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    texts: list[str] = []
    pages = article_pages(site)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        texts.append(html)
        target = work / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(index_html(html, lang), encoding="utf-8")
    out = site / BUNDLE
    shutil.rmtree(out, ignore_errors=True)
    if pages:
        args = [*_pagefind(), "--site", str(work), "--output-path", str(out), "--silent",
                "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS)]
        run = subprocess.run(args, capture_output=True, text=True)
        if run.returncode != 0:
            detail = (run.stderr.strip() or run.stdout.strip() or "pagefind failed").splitlines()[-1]
            raise NoticepubError(site, f"search index ({lang}) failed: {detail}")
        for name in _UNUSED:
            (out / name).unlink(missing_ok=True)
    else:
        out.mkdir(parents=True)
    (out / CHARMAP).write_text(char_map(texts) if lang != "en" else "", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return len(pages)


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - maintainers' helper
    """``python -m noticepub.search_index SITE_DIR LANG``: (re)index one built language folder."""
    args = sys.argv[1:] if argv is None else argv
    site, lang = Path(args[0]), args[1]
    print(build_search_index(site, lang, site.parent / ".search-work"), "pages indexed")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
