"""The incremental site build (site_incremental.py patches private functions of MkDocs 1.6.1) against a
stock `mkdocs build` of the same docs/, and the worker's refusal of any other MkDocs release.

The incremental tests (test_site_incremental.py) compare the patched build with itself; this one compares
it with MkDocs as released: the same configuration files, hooks and environment (site URL,
SOURCE_DATE_EPOCH), built by `python -m mkdocs build --strict` without noticepub's worker. The project's
hooks (scripts/noticepub/mkdocs_hooks.py: the sitemap with hreflang alternates) run in both builds, so
their output is compared like every other file.

* The worker's output (the language's build folder) must equal the stock build byte for byte, every file.
* site/ must equal it too, except what noticepub writes after MkDocs, listed in AFTER_MKDOCS.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, built_site, copy_project, run_cli
from noticepub import sitemaps
from noticepub.settings import load_settings
from noticepub.site import BUILD_DIR, CONFIGS, UNMANAGED, _env
from noticepub.site_incremental import MKDOCS_VERSION

# What site/ holds that a stock build does not, or holds differently, and why (each checked to be real):
AFTER_MKDOCS = {
    "search index": "top-level folders of site.UNMANAGED, written by noticepub.search_index after MkDocs",
    "sitemaps": "sitemap.xml, sitemap-N.xml, sitemap-index.xml and robots.txt, rewritten by noticepub.sitemaps "
                "from the three languages' hook sitemaps (noindex pages left out, split at the protocol's limits)",
    "sitemap.xml.gz": "MkDocs' gzipped copy of the hook's sitemap, not published (the sitemaps step owns them)",
}
# site/ holds zh-Hans at its root and the other languages in these folders (each compared on its own).
OTHER_LANGS = {"zh-Hans": {"zh-Hant", "en"}, "zh-Hant": set(), "en": set()}


def _files(root: Path, skip_top: set[str] = frozenset()) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] not in skip_top}


def _after_mkdocs(rel: str) -> bool:
    return sitemaps.owned(rel) or rel == "sitemap.xml.gz"


def test_incremental_site_equals_stock_mkdocs_build(tmp_path):
    project = built_site(copy_project(tmp_path / "project"))
    env = _env(load_settings(project))
    for lang, config in CONFIGS.items():
        stock_dir = tmp_path / "stock" / lang
        run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", config,
                              "-d", str(stock_dir)], cwd=project, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        stock = _files(stock_dir)
        assert any(name.endswith("index.html") for name in stock) and "sitemap.xml" in stock
        # the patched worker's own output: every file as stock MkDocs writes it
        worker = _files(project / BUILD_DIR / lang / "out")
        assert sorted(worker) == sorted(stock), lang
        assert not [name for name in stock if worker[name] != stock[name]], lang
        # site/: the same, but for what noticepub writes after MkDocs
        ours_root = project / "site" if lang == "zh-Hans" else project / "site" / lang
        ours = _files(ours_root, set(UNMANAGED) | OTHER_LANGS[lang])
        assert sorted(n for n in ours if not _after_mkdocs(n)) == sorted(n for n in stock if not _after_mkdocs(n))
        differ = [name for name in stock if not _after_mkdocs(name) and ours[name] != stock[name]]
        assert not differ, f"{lang}: {differ[:10]}"
        # every exemption is real: noticepub did write the search index and the sitemap index
        assert UNMANAGED and all((ours_root / name).is_dir() for name in UNMANAGED)
        assert sitemaps.INDEX in ours and sitemaps.INDEX not in stock
        assert sum(_after_mkdocs(name) for name in ours) >= 2 and len(ours) > 50


def test_worker_refuses_another_mkdocs_release(tmp_path):
    """Another MkDocs on the path (here a distribution record claiming 1.6.0, found before the venv's): the
    site build stops with one line naming the release it needs, and site/ is not written."""
    project = copy_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    fake = tmp_path / "fake-dist"
    info = fake / "mkdocs-1.6.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: mkdocs\nVersion: 1.6.0\n", encoding="utf-8")
    path = f"{fake}:{REPO / 'scripts'}"
    run = run_cli(project, "site", env={"PYTHONPATH": path})
    assert run.returncode != 0
    assert f"needs mkdocs=={MKDOCS_VERSION}" in run.stderr and "found 1.6.0" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert not (project / "site").exists()
