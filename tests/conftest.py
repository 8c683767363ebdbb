"""Shared fixtures. Engine tests keep their own fixtures in tests/argos_tiny.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests explore a fixed sequence of examples (derandomized), so a run in CI, on a fresh clone or
# on a maintainer's machine sees the same pages: a failure is reproducible, never a coin toss. Widen the
# search by hand with HYPOTHESIS_PROFILE=explore (random examples, as many as each test asks for).
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parents[1]

# Argos Translate reads its directories from the environment when first imported: point it (and
# every subprocess) at a throwaway home so no test ever sees or touches the user's models.
_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="noticepub-tests-argos-"))
os.environ.update({
    "HOME": str(_ARGOS_HOME),
    "XDG_DATA_HOME": str(_ARGOS_HOME / "data"),
    "XDG_CONFIG_HOME": str(_ARGOS_HOME / "config"),
    "XDG_CACHE_HOME": str(_ARGOS_HOME / "cache"),
    "ARGOS_PACKAGES_DIR": str(_ARGOS_HOME / "data" / "argos-translate" / "packages"),
})
SEED_ID = "fdc91a8a205b8552"
SEED_SLUG = "min-zheng-bu-kai-zhan-quan-guo-yang-lao-ji-gou"  # its URL folder (first headline in pinyin)
SEED_RAW = REPO / "source_texts" / SEED_ID / "raw.txt"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def copy_project(project: Path, *, with_seed: bool = True) -> Path:
    """A throwaway copy of the project's inputs (settings, source_texts, site config, hook) to build in.
    Of the notices under source_texts/ only the seed is copied (the tests' figures are the seed's; pages
    added later, such as issue 21's shape pages, are tested by tests/test_shapes.py)."""
    project.mkdir(parents=True)
    shutil.copy2(REPO / "pyproject.toml", project / "pyproject.toml")
    keep = {SEED_ID} if with_seed else set()

    def ignore(folder: str, names: list[str]) -> list[str]:
        if Path(folder) != REPO / "source_texts":
            return []
        return [n for n in names if (Path(folder) / n).is_dir() and n not in keep]

    shutil.copytree(REPO / "source_texts", project / "source_texts", ignore=ignore)
    (project / "scripts" / "noticepub").mkdir(parents=True)
    shutil.copy2(REPO / "scripts" / "noticepub" / "mkdocs_hooks.py", project / "scripts" / "noticepub")
    for name in ("mkdocs.yml", "config", "overrides", ".pymarkdown.json"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, project / name)
        elif src.is_file():
            shutil.copy2(src, project / name)
    return project


def built_site(project: Path) -> Path:
    """Build docs/ and site/ in ``project`` through the CLI; returns the project."""
    build = run_cli(project, "build")
    assert build.returncode == 0, build.stderr
    site = run_cli(project, "site")
    assert site.returncode == 0, site.stderr
    return project


@pytest.fixture()
def tmp_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def run_cli(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m noticepub ARGS` inside ``project`` and capture its output."""
    full_env = {**os.environ, "CI": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "noticepub", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=600,
    )
