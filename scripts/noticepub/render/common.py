"""What every generated page shares: interface words, front matter, URLs and language alternates."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import yaml

from noticepub.model import LANGS, NoticeBundle
from noticepub.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data"
LANG_PREFIX = {"zh-Hans": "", "zh-Hant": "zh-Hant/", "en": "en/"}
BILINGUAL_PARTNER = {"zh-Hans": "en", "zh-Hant": "en", "en": "zh-Hans"}


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    return yaml.safe_load((DATA / "labels.yml").read_text(encoding="utf-8"))


def L(lang: str, key: str) -> str:  # noqa: N802 - short on purpose: used in every template line
    return labels()[lang][key]


def front_matter(values: dict) -> str:
    """YAML front matter made by the YAML emitter (never by string formatting), keys sorted."""
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=True, width=10_000) + "---\n"


def article_slug(bundle: NoticeBundle, article_id: str) -> str:
    """Stable ASCII slug: the article id ("a1"; the page lives under notices/<notice id>/) unless notice.yml
    sets one. It never follows the title or a translation."""
    return dict(bundle.meta.slugs).get(article_id, article_id)


def article_path(notice_id: str, slug: str, suffix: str = "") -> str:
    """Path inside one language's docs folder, e.g. notices/<id>/<slug>.md."""
    return f"notices/{notice_id}/{slug}{suffix}.md"


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
    """A stable ASCII file name for a Chinese index key (tag, publication): it never follows a translation."""
    return f"{prefix}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}"
