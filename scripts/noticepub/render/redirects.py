"""Redirect pages: old URLs (notices under their folder id, tags and sources under hash names) keep working.

Which notices had other URLs is data (data/legacy-urls.yml): only pages really published under an old
URL get a redirect, so the archive does not carry a second file for every page. Tag and source pages
(few) get one from their old hash names whenever those differ. Each redirect is a tiny static HTML file
in docs/ (MkDocs copies it as it is) at the old directory URL: a meta refresh, a canonical link to the
new page, noindex, and a plain link for readers without refresh. Relative targets, so the site works
under any prefix; the canonical is absolute.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from noticepub.errors import ConfigError, InputError
from noticepub.model import LANGS, NoticeBundle
from noticepub.render.common import DATA, LANG_PREFIX, L, relative_url, url_of
from noticepub.settings import Settings

LEGACY = DATA / "legacy-urls.yml"
BILINGUAL_URL_END = "-bilingual/"  # an article's bilingual page until its view moved into the article page


@lru_cache(maxsize=1)
def _legacy() -> tuple[frozenset[str], dict[str, str]]:
    """legacy-urls.yml, read strictly: every notice id and every `moved:` key through the one slug rule."""
    from noticepub.inputcheck import load_yaml
    from noticepub.meta import NOTICE_ID_RE, validate_slug

    data = load_yaml(LEGACY, LEGACY.read_bytes(), "legacy URL list") or {}
    if not isinstance(data, dict) or set(data) - {"notices", "moved"}:
        raise ConfigError(LEGACY, "must be a mapping with the keys 'notices' (a list) and 'moved' (a mapping)")
    notices, moved = data.get("notices") or [], data.get("moved") or {}
    if not isinstance(notices, list) or not isinstance(moved, dict):
        raise ConfigError(LEGACY, "key 'notices' must be a list of notice ids and 'moved' a mapping old-slug: id")
    for n, notice_id in enumerate(notices, 1):
        if not isinstance(notice_id, str) or not NOTICE_ID_RE.fullmatch(notice_id):
            validate_slug(None, LEGACY, f"key 'notices' item {n}")
    for old, notice_id in moved.items():
        validate_slug(old, LEGACY, f"key 'moved' key {str(old)[:40]!r}")
        if not isinstance(notice_id, str) or not NOTICE_ID_RE.fullmatch(notice_id):
            validate_slug(notice_id, LEGACY, f"key 'moved.{old}' (a notice id)")
    return frozenset(notices), dict(moved)


def old_notice_folders(notice_id: str, slug: str) -> list[str]:
    """The folders under notices/ where this notice was published before (data/legacy-urls.yml): its id,
    if it was published under it, and any earlier readable slug; never its current slug."""
    ids, moved = _legacy()
    old = ([notice_id] if notice_id in ids else []) + sorted(k for k, v in moved.items() if v == notice_id)
    return [folder for folder in old if folder != slug]


def redirect_page(lang: str, old_url: str, new_url: str, title: str, settings: Settings) -> tuple[str, bytes]:
    """``old_url`` / ``new_url``: directory URLs relative to the language root ("notices/<id>/a1/").
    Returns (docs-relative path of the .html file, its bytes)."""
    href = relative_url(old_url, new_url) or "./"
    if old_url.endswith(BILINGUAL_URL_END) and not new_url.endswith(BILINGUAL_URL_END) and new_url.count("/") == 3:
        href += "#bilingual"  # an old bilingual page: the article page with its Chinese–English view open
    canonical = settings.site_url.rstrip("/") + "/" + LANG_PREFIX[lang] + new_url
    html = "\n".join([
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f'<meta http-equiv="refresh" content={quoteattr("0; url=" + href)}>',
        f"<link rel=\"canonical\" href={quoteattr(canonical)}>",
        '<meta name="robots" content="noindex">',
        "</head>",
        f"<body><p>{escape(L(lang, 'redirect'))} <a href={quoteattr(href)}>{escape(title)}</a></p></body>",
        "</html>",
        "",
    ])
    return f"{lang}/{old_url}index.html", html.encode()


# ------------------------------------------------------------------ the record of published URLs
# source_texts/urls.txt: one list for the whole archive (a file per notice would be a fourth committed file
# per notice). Each notice's part of it (its "record") is kept in one canonical form, the lines without the
# notice id sorted by URL: that is what the notice's cache key hashes, so one notice's change never
# invalidates another's pages.
LIST_HEAD = (
    "# Every URL each notice has been published under, relative to a language root, after the notice's id\n"
    "# (its folder in source_texts/): written by `noticepub build`; commit it and never edit it. A URL a notice\n"
    "# no longer has (its date, publication, page or an article slug changed) keeps answering: a redirect page\n"
    "# leads to where its content is now (after ->). A notice removed from source_texts/ loses its lines.\n"
    "# Git merges it keeping both sides' lines (.gitattributes: merge=union); a conflict all the same (a merge\n"
    "# tool without it): take either side (or keep both sides' lines) and run `noticepub build`.\n"
)
MAX_RECORDED = 5000  # URLs in one notice's record: 100 moves of a notice of 24 articles
_URL_RE = re.compile(r"^notices/([^/]+)/(?:([^/]+)/)?$")
_BAD_URL = ("not a notice URL such as notices/<slug>/ or notices/<slug>/<article>/ (lowercase ASCII letters, "
            "digits and '-')")


def _check_url(url: str) -> bool:
    from noticepub.meta import is_slug

    match = _URL_RE.fullmatch(url)
    return bool(match) and all(is_slug(part) for part in match.groups() if part is not None)


def _parse_entry(line: str) -> tuple[str, str | None] | None:
    """``notices/a/a1/`` or ``notices/a/a1/ -> notices/b/a1/`` -> (url, target); None when not that."""
    url, _, target = (part.strip() for part in line.partition("->"))
    if not _check_url(url) or (target and not _check_url(target)):
        return None
    return url, target or None


@lru_cache(maxsize=1)
def _list_line_re() -> re.Pattern[str]:
    """A well-formed list line in one match (the fast path of read_url_list), built from the one slug rule."""
    from noticepub.meta import NOTICE_ID_RE, SLUG_RE

    slug, notice_id = SLUG_RE.pattern.strip("^$"), NOTICE_ID_RE.pattern.strip("^$")
    url = f"notices/{slug}/(?:{slug}/)?"
    return re.compile(f"({notice_id}) ({url})(?: -> ({url}))?")


def _decode(data: bytes, path: Path | str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text; restore it from git (the build writes it)") from None


def _too_many(path: Path | str, where: str = "") -> InputError:
    return InputError(path, f"{where}lists more than {MAX_RECORDED:,} URLs for one notice (each becomes a redirect "
                      "page in every language); restore the file from git")


def record_urls(data: bytes | None, path: Path | str) -> dict[str, str | None]:
    """One notice's record: every URL folder it was published under -> where it redirects now (None: a page of
    the notice). Reads the canonical form (``record_bytes``) and the per-notice ``<id>/urls.txt`` files of
    earlier versions (folded into the list); each URL is checked by the one slug rule (InputError naming the
    line)."""
    if data is None:
        return {}
    urls: dict[str, str | None] = {}
    for n, line in enumerate(_decode(data, path).splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        entry = _parse_entry(line)
        if entry is None:
            raise InputError(path, f"line {n}: {_BAD_URL}; restore the file from git")
        urls[entry[0]] = entry[1]
        if len(urls) > MAX_RECORDED:
            raise _too_many(path)
    return urls


def read_url_list(data: bytes | None, path: Path | str) -> dict[str, bytes]:
    """source_texts/urls.txt: notice id -> its record (``record_bytes``). Every line is ``<notice-id> <URL>``
    or ``<notice-id> <URL> -> <URL>``, each URL through the one slug rule; a URL listed twice for one notice
    (both sides of a merge kept) counts once, the later line winning. Raises InputError naming the line."""
    from noticepub.meta import NOTICE_ID_RE

    if data is None:
        return {}
    records: dict[str, dict[str, str | None]] = {}
    fast = _list_line_re()
    for n, line in enumerate(_decode(data, path).splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = fast.fullmatch(line)
        if match:
            notice_id, entry = match.group(1), (match.group(2), match.group(3))
        else:  # spaces around "->", or a line to refuse
            notice_id, _, rest = line.partition(" ")
            entry = _parse_entry(rest)
            if not NOTICE_ID_RE.fullmatch(notice_id) or entry is None:
                problem = ("not '<notice-id> <URL>' (a notice id is a folder name of source_texts/: lowercase "
                           "ASCII letters, digits and '-')" if not NOTICE_ID_RE.fullmatch(notice_id) else _BAD_URL)
                raise InputError(path, f"line {n}: {problem}; restore the file from git (a merge conflict: take "
                                 "either side and run `noticepub build`)")
        urls = records.setdefault(notice_id, {})
        urls[entry[0]] = entry[1]
        if len(urls) > MAX_RECORDED:
            raise _too_many(path, f"line {n}: notice {notice_id} ")
    return {notice_id: record_bytes(urls) for notice_id, urls in records.items()}


def record_bytes(urls: dict[str, str | None]) -> bytes:
    """A notice's record in its one canonical form: ``url`` or ``url -> target`` a line, sorted by URL."""
    return "".join(f"{url} -> {urls[url]}\n" if urls[url] else f"{url}\n" for url in sorted(urls)).encode("utf-8")


def format_url_list(records: dict[str, bytes]) -> bytes:
    """The whole list: the header, then each notice's record, its lines prefixed by the notice id, by id."""
    lines = [f"{notice_id} ".encode() + line + b"\n"
             for notice_id in sorted(records) for line in records[notice_id].splitlines()]
    return LIST_HEAD.encode("utf-8") + b"".join(lines)


def page_urls(pages: dict[str, bytes]) -> set[str]:
    """The URL folders of a notice's pages (the same in every language; redirect pages are not content)."""
    prefix = "zh-Hans/"
    return {url_of(rel[len(prefix):]) for rel in pages if rel.startswith(prefix + "notices/") and rel.endswith(".md")}


def moved_urls(recorded: dict[str, str | None], current: set[str], notice_folder: str,
               article_slugs: dict[str, str] | None = None) -> dict[str, str]:
    """Every recorded URL the notice no longer has -> where its content is now: the same article page under
    the notice's current folder (found by its page name, or by its id when it was published under its id
    and has a slug now: ``article_slugs`` id -> current page name), else the notice page."""
    home = f"notices/{notice_folder}/"
    renamed = article_slugs or {}
    out: dict[str, str] = {}
    for url in recorded:
        if url in current:
            continue
        article = _URL_RE.fullmatch(url).group(2)  # type: ignore[union-attr]  # checked by record_urls
        target = home
        if article:
            name, suffix = (article[: -len("-bilingual")], "-bilingual") if article.endswith("-bilingual") \
                else (article, "")
            # a bilingual page (an article's Chinese–English view before it became part of the article page)
            # leads to the article: redirect_page opens the view there
            for candidate in (article, renamed.get(name, name) + suffix, name, renamed.get(name, name)):
                if f"{home}{candidate}/" in current:
                    target = f"{home}{candidate}/"
                    break
        out[url] = target
    return out


def format_record(current: set[str], moves: dict[str, str], path: Path, notice_id: str) -> bytes:
    """A notice's record after this build: its pages' URLs and every URL that now redirects (``path``: the
    list, named when the record would be over the limit the next build reads)."""
    if len(current) + len(moves) > MAX_RECORDED:
        raise InputError(path, f"notice {notice_id} would list more than {MAX_RECORDED:,} URLs (each becomes a "
                         "redirect page in every language); delete its oldest '->' lines to let those URLs go")
    return record_bytes({**dict.fromkeys(current), **moves})


def notice_title(bundle: NoticeBundle, lang: str, settings: Settings) -> str:
    from noticepub.render.common import notice_names
    from noticepub.render.names import KeyNames, notice_label

    return notice_label(notice_names(bundle, lang, KeyNames(lang, settings).zh), lang)


def moved_pages(bundle: NoticeBundle, moves: dict[str, str], settings: Settings) -> dict[str, bytes]:
    """The redirect pages of ``moves`` (old URL -> new URL) in every language, named by the notice."""
    out: dict[str, bytes] = {}
    for lang in LANGS:
        title = notice_title(bundle, lang, settings)
        out.update(redirect_page(lang, old, new, title, settings) for old, new in sorted(moves.items()))
    return out


def shadowed_redirects(paths: set[str] | dict[str, str]) -> set[str]:
    """The redirect pages among docs/ ``paths`` at the URL of a page (``<url>index.html`` beside ``<url>.md`` or
    ``<url>/index.md``): a URL one notice left and another took now shows the other's page."""
    html = set()
    for rel in paths:
        if rel.endswith(".md"):
            stem = rel[: -len(".md")]
            html.add((stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/") + "index.html")
    return {rel for rel in paths if rel.endswith("/index.html") and rel in html}
