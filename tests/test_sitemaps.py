"""Sitemaps and robots.txt (scripts/noticepub/sitemaps.py): limits per file, noindex pages left out,
hreflang alternates both ways, validated against the sitemap protocol's XML schema with lxml."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import SEED_SLUG, built_site, copy_project, run_cli
from noticepub import sitemaps

SCHEMAS = Path(__file__).parent / "schemas"
NS = {"s": sitemaps.SITEMAP_NS, "x": sitemaps.XHTML_NS}
BASE = "https://example.org/"
PREFIX = {"zh-Hans": "", "zh-Hant": "zh-Hant/", "en": "en/"}


@pytest.fixture(scope="module")
def schemas() -> dict[str, etree.XMLSchema]:
    return {name: etree.XMLSchema(etree.parse(str(SCHEMAS / f"{name}.xsd"))) for name in ("sitemap", "siteindex")}


def _valid(path: Path, schemas: dict[str, etree.XMLSchema]) -> etree._Element:
    doc = etree.parse(str(path))
    schema = schemas["siteindex" if doc.getroot().tag.endswith("sitemapindex") else "sitemap"]
    assert schema.validate(doc), (path, schema.error_log)
    return doc.getroot()


def _hook_sitemap(pages: list[str], lang: str) -> str:
    """The hook's format: every page with its three alternates and x-default."""
    lines = [f'<urlset xmlns="{sitemaps.SITEMAP_NS}" xmlns:xhtml="{sitemaps.XHTML_NS}">']
    for rel in pages:
        lines += ["<url>", f"<loc>{BASE}{PREFIX[lang]}{rel}</loc>"]
        for alt in ("zh-Hans", "zh-Hant", "en", "x-default"):
            href = f"{BASE}{PREFIX['zh-Hans' if alt == 'x-default' else alt]}{rel}"
            lines.append(f'<xhtml:link rel="alternate" hreflang="{alt}" href="{href}"/>')
        lines.append("</url>")
    return "\n".join(lines + ["</urlset>"])


def _languages(tmp_path: Path, pages: list[str], noindex: dict[str, set[str]]) -> list[sitemaps.Language]:
    out = []
    for lang in PREFIX:
        build = tmp_path / "build" / lang
        files = {"sitemap.xml": _hook_sitemap(pages, lang)}
        for rel in pages:
            robots = '<meta name="robots" content="noindex">' if rel in noindex.get(lang, ()) else ""
            files[rel + "index.html"] = f"<!doctype html><html><head>{robots}<title>{rel}</title></head><body></body></html>"
        for rel, text in files.items():
            (build / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
            (build / "out" / rel).write_text(text, encoding="utf-8")
        digests = {rel: hashlib.sha256(text.encode()).hexdigest() for rel, text in files.items()}
        out.append(sitemaps.Language(lang, BASE + PREFIX[lang], build / "out", digests, build / "noindex.json",
                                     tmp_path / "site" / PREFIX[lang]))
    return out


def _entries(target: Path, schemas) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} over every sitemap the language's index names."""
    index = _valid(target / sitemaps.INDEX, schemas)
    found = {}
    for loc in index.iterfind("s:sitemap/s:loc", NS):
        name = loc.text.rsplit("/", 1)[1]
        root = _valid(target / name, schemas)
        for url in root.iterfind("s:url", NS):
            found[url.findtext("s:loc", namespaces=NS)] = {a.get("hreflang"): a.get("href")
                                                           for a in url.iterfind("x:link", NS)}
    return found


def test_noindex_pages_are_left_out_and_no_page_names_them(tmp_path, schemas):
    pages = [f"notices/n{i}/a1/" for i in range(5)]
    languages = _languages(tmp_path, pages, {"en": {"notices/n1/a1/"}, "zh-Hant": {"notices/n2/a1/"}})
    counts = sitemaps.write_sitemaps(languages, tmp_path / "site")
    assert counts == {"zh-Hans": 5, "zh-Hant": 4, "en": 4}
    site = tmp_path / "site"
    en, hans = _entries(site / "en", schemas), _entries(site, schemas)
    assert f"{BASE}en/notices/n1/a1/" not in en and f"{BASE}en/notices/n0/a1/" in en
    # the Simplified page of an untranslated English article does not name it as an alternate
    assert hans[f"{BASE}notices/n1/a1/"] == {"zh-Hans": f"{BASE}notices/n1/a1/",
                                              "zh-Hant": f"{BASE}zh-Hant/notices/n1/a1/",
                                              "x-default": f"{BASE}notices/n1/a1/"}
    assert set(hans[f"{BASE}notices/n2/a1/"]) == {"zh-Hans", "en", "x-default"}
    # both ways: every alternate named by a page names that page back
    every = {**hans, **_entries(site / "zh-Hant", schemas), **en}
    for loc, alts in every.items():
        for lang, href in alts.items():
            if lang != "x-default":
                assert every[href].get(lang) == href and loc in every[href].values(), (loc, href)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert re.findall(r"^Sitemap: (\S+)$", robots, re.M) == [
        f"{BASE}sitemap-index.xml", f"{BASE}zh-Hant/sitemap-index.xml", f"{BASE}en/sitemap-index.xml"]


def test_split_at_the_url_and_byte_limits(tmp_path, schemas):
    pages = [f"notices/n{i:02d}/a1/" for i in range(7)]
    languages = _languages(tmp_path, pages, {})
    sitemaps.write_sitemaps(languages, tmp_path / "site", max_urls=3)
    target = tmp_path / "site" / "en"
    index = _valid(target / sitemaps.INDEX, schemas)
    assert [loc.text for loc in index.iterfind("s:sitemap/s:loc", NS)] == [
        f"{BASE}en/sitemap.xml", f"{BASE}en/sitemap-2.xml", f"{BASE}en/sitemap-3.xml"]
    sizes = [len(_valid(target / name, schemas).findall("s:url", NS))
             for name in ("sitemap.xml", "sitemap-2.xml", "sitemap-3.xml")]
    assert sizes == [3, 3, 1]
    assert len(_entries(target, schemas)) == 7
    # a byte limit splits too; a later, shorter split removes the sitemaps it no longer needs
    sitemaps.write_sitemaps(languages, tmp_path / "site", max_bytes=2_000)
    names = sorted(p.name for p in target.glob("sitemap*.xml"))
    assert all((target / n).stat().st_size <= 2_000 for n in names if n != sitemaps.INDEX)
    assert len(names) > 2 and len(_entries(target, schemas)) == 7
    sitemaps.write_sitemaps(languages, tmp_path / "site")
    assert sorted(p.name for p in target.glob("sitemap*.xml")) == ["sitemap-index.xml", "sitemap.xml"]


def test_a_changed_page_is_read_again_and_the_result_follows(tmp_path, schemas):
    pages = ["notices/n0/a1/", "notices/n1/a1/"]
    sitemaps.write_sitemaps(_languages(tmp_path, pages, {}), tmp_path / "site")
    assert f"{BASE}en/notices/n1/a1/" in _entries(tmp_path / "site" / "en", schemas)
    sitemaps.write_sitemaps(_languages(tmp_path, pages, {"en": {"notices/n1/a1/"}}), tmp_path / "site")
    assert f"{BASE}en/notices/n1/a1/" not in _entries(tmp_path / "site" / "en", schemas)


def test_is_noindex_reads_the_head_only():
    assert sitemaps.is_noindex('<head><meta name="robots" content="noindex, follow"></head>')
    assert sitemaps.is_noindex("<head><meta name=robots content='noindex'></head>")
    assert not sitemaps.is_noindex('<head><title>x</title></head><body>&lt;meta name="robots" content="noindex"&gt;'
                                   '<meta name="robots" content="noindex"></body>')


def test_the_built_site_has_valid_sitemaps_and_robots(tmp_path, schemas):
    project = built_site(copy_project(tmp_path / "project"))
    site = project / "site"
    every = {}
    for prefix in PREFIX.values():
        every.update(_entries(site / prefix, schemas))
        assert not (site / prefix / "sitemap.xml.gz").exists()
    page = every[f"https://noticepub.example.org/en/notices/{SEED_SLUG}/a3/"]
    assert page["zh-Hant"] == f"https://noticepub.example.org/zh-Hant/notices/{SEED_SLUG}/a3/"
    assert len(every) == 3 * len(_entries(site, schemas))
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://noticepub.example.org/en/sitemap-index.xml" in robots
    # publishing again leaves them alone; a deleted robots.txt comes back
    before = {p: p.stat().st_mtime_ns for p in site.rglob("sitemap*.xml")}
    (site / "robots.txt").unlink()
    assert run_cli(project, "site").returncode == 0
    assert (site / "robots.txt").read_text(encoding="utf-8") == robots
    assert {p: p.stat().st_mtime_ns for p in site.rglob("sitemap*.xml")} == before


def test_the_schema_rejects_what_the_protocol_forbids(tmp_path, schemas):
    sitemaps.write_sitemaps(_languages(tmp_path, ["notices/n0/a1/"], {}), tmp_path / "site")
    good = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    for bad in (good.replace('hreflang="zh-Hant"', 'hreflang="Chinese!"'),
                good.replace("</loc>", "</loc><loc>https://example.org/twice/</loc>", 1),
                good.replace("</url>", "<priority>2</priority></url>", 1)):
        assert bad != good
        assert not schemas["sitemap"].validate(etree.fromstring(bad.encode()))
    assert schemas["sitemap"].validate(etree.fromstring(good.encode()))
