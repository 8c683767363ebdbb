"""The incremental site build (site_incremental.py patches private functions of MkDocs 1.6.1) against a
stock `mkdocs build` of the same docs/, and the worker's refusal of any other MkDocs release.

The incremental tests (test_site_incremental.py) compare the patched build with itself; this one compares
it with MkDocs as released: the same configuration files, hooks and environment (site URL,
SOURCE_DATE_EPOCH), built by `python -m mkdocs build --strict` without noticepub's worker. Every file MkDocs
writes must be byte-identical, hooks included (their sitemap is written in both builds). What differs is
only what noticepub adds around MkDocs, listed in NOT_MKDOCS with the reason.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, built_site, copy_project, run_cli
from noticepub.settings import load_settings
from noticepub.site import CONFIGS, _env
from noticepub.site_incremental import MKDOCS_VERSION

# Top-level folders of a language's site/ that are not MkDocs output, and why.
NOT_MKDOCS = {
    "pagefind": "the search index, written by noticepub.search_index (Pagefind) after MkDocs",
}
# site/ holds zh-Hans at its root and the other languages in these folders (each compared on its own).
OTHER_LANGS = {"zh-Hans": {"zh-Hant", "en"}, "zh-Hant": set(), "en": set()}


def _files(root: Path, skip_top: set[str]) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] not in skip_top}


def test_incremental_site_equals_stock_mkdocs_build(tmp_path):
    project = built_site(copy_project(tmp_path / "project"))
    env = _env(load_settings(project))
    for lang, config in CONFIGS.items():
        stock_dir = tmp_path / "stock" / lang
        run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", config,
                              "-d", str(stock_dir)], cwd=project, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        ours_root = project / "site" if lang == "zh-Hans" else project / "site" / lang
        ours = _files(ours_root, set(NOT_MKDOCS) | OTHER_LANGS[lang])
        stock = _files(stock_dir, set())
        assert not set(stock) & {f"{name}/" for name in NOT_MKDOCS}  # MkDocs itself writes none of them
        assert sorted(ours) == sorted(stock), lang
        differ = [name for name in stock if ours[name] != stock[name]]
        assert not differ, f"{lang}: {differ[:10]}"
        assert any(name.endswith("index.html") for name in stock) and "sitemap.xml" in stock
        assert (ours_root / "pagefind").is_dir()  # the exemption is real: noticepub did write it


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
