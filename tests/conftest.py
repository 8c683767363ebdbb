"""Shared fixtures. Engine tests keep their own fixtures in tests/argos_tiny.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED_ID = "fdc91a8a205b8552"
SEED_RAW = REPO / "source_texts" / SEED_ID / "raw.txt"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture()
def tmp_project(tmp_path: Path) -> Path:
    """A throwaway copy of the project's inputs (settings + source_texts + site config) to build in."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(REPO / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(REPO / "source_texts", project / "source_texts")
    for name in ("mkdocs.yml", "config", "overrides"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, project / name)
        elif src.is_file():
            shutil.copy2(src, project / name)
    return project


def run_cli(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m noticepub ARGS` inside ``project`` and capture its output."""
    import os

    full_env = {**os.environ, "CI": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "noticepub", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=600,
    )
