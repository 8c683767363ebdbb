"""What every generated page shares: interface words, front matter, URLs and language alternates."""

from __future__ import annotations

import hashlib

import yaml

from noticepub.model import LANG_DIRS, LANGS, Article, LocalizedArticle, NoticeBundle
from noticepub.render.labels import DATA, L, labels  # noqa: F401  (re-exported for the render modules)
from noticepub.render.names import continued_label, notice_slug
from noticepub.settings import Settings

LANG_PREFIX = {lang: f"{folder}/" if folder else "" for lang, folder in LANG_DIRS.items()}  # URL prefixes
BILINGUAL_PARTNER = {"zh-Hans": "en", "zh-Hant": "en", "en": "zh-Hans"}


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when PyYAML has it: same output, ~10x faster


def front_matter(values: dict) -> str:
    """YAML front matter made by the YAML emitter (never by string formatting), keys sorted."""
    return "---\n" + yaml.dump(values, Dumper=_DUMPER, allow_unicode=True, sort_keys=True, width=10_000) + "---\n"


def article_slug(bundle: NoticeBundle, article_id: str) -> str:
    """Stable ASCII slug: the article id ("a1"; the page lives under notices/<notice id>/) unless notice.yml
    sets one. It never follows the title or a translation."""
    return dict(bundle.meta.slugs).get(article_id, article_id)


def article_path(notice_slug: str, slug: str, suffix: str = "") -> str:
    """Path inside one language's docs folder, e.g. notices/<notice slug>/<slug>.md."""
    return f"notices/{notice_slug}/{slug}{suffix}.md"


def variant(bundle: NoticeBundle, lang: str, article_id: str) -> LocalizedArticle:
    return next(a for a in bundle.variants[lang] if a.article_id == article_id)


def published(bundle: NoticeBundle) -> list[Article]:
    """The articles that get pages: an article with no paragraphs (its body is on another page, or the
    parse found none) is never published."""
    return [a for a in bundle.parsed.articles if any(p.strip() for p in a.paragraphs)]


def display_title(source: Article, article: LocalizedArticle, lang: str) -> str:
    """The headline as shown: the title, else 接上页 (with the page) for a continued article, else (untitled)."""
    title = "".join(s.text for s in article.title).strip()
    if title:
        return title
    return continued_label(lang, source.continued_from) if source.continued else L(lang, "untitled")


def bundle_facts(bundle: NoticeBundle) -> dict:
    """What names a notice: publication, date, page, the zh-Hans headlines, and its URL slug."""
    meta = bundle.meta
    shown = published(bundle)
    facts = {"id": meta.id, "publication": meta.publication, "page": meta.page,
             "date": meta.date.isoformat() if meta.date else None,
             "first_title": next((a.title for a in shown if a.title.strip()), ""), "count": len(shown)}
    facts["slug"] = notice_slug(facts)
    return facts


def notice_names(bundle: NoticeBundle, lang: str, convert) -> dict:
    """The facts notice_label needs in ``lang`` (publication converted by ``convert``)."""
    facts = bundle_facts(bundle)
    shown = published(bundle)
    titles = ["".join(s.text for s in variant(bundle, lang, a.id).title).strip() for a in shown if a.title.strip()]
    return dict(facts, titles=titles, publication=convert(facts["publication"]) if facts["publication"] else None)


def url_of(path: str) -> str:
    """Directory URL of a page path (use_directory_urls), relative to a language root."""
    stem = path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(from_url: str, to_url: str) -> str:
    """Relative href between two site-root-relative directory URLs ("notices/x/a1/" -> "../../../en/...")."""
    return "../" * from_url.count("/") + to_url


def alternates(lang: str, path: str, settings: Settings) -> list[dict]:
    """The same page in every language: a relative href for the switcher, an absolute url for hreflang."""
    out = []
    page_url = LANG_PREFIX[lang] + url_of(path)
    for other in LANGS:
        target = LANG_PREFIX[other] + url_of(path)
        out.append({
            "lang": other,
            "name": L(other, "name"),
            "href": relative_url(page_url, target) or "./",
            "url": settings.site_url.rstrip("/") + "/" + target,
        })
    return out


def key_slug(prefix: str, key: str) -> str:
    """The old (hash) file name of a tag or publication page: only used for redirects to the readable one."""
    return f"{prefix}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}"
