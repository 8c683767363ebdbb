"""The GitHub workflows, read as GitHub reads them: pinned actions, least privilege, the site_url check, the
pinned Argos model, no cancelled translation runs, and installs from the hashed locks only.
(actionlint and zizmor run on them too: `make lint-workflows`.)"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
CHECK_SITE_URL = REPO / ".github" / "check_site_url.py"


def _load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(job_name, step) for job_name, job in workflow["jobs"].items() for step in job.get("steps", [])]


def test_every_action_is_pinned_by_commit_sha_with_its_version():
    uses = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.search(r"uses:\s*(\S+)(.*)$", line)
            if match:
                uses.append((path.name, match.group(1), match.group(2)))
    assert len(uses) >= 10
    for name, action, comment in uses:
        ref = action.split("@", 1)[1]
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{name}: {action} is not pinned by commit SHA"
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), f"{name}: {action} lacks its version comment"


def test_write_permissions_only_where_needed():
    pages = _load("pages.yml")
    assert pages["permissions"] == {}
    assert pages["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert not any("run" in step for step in pages["jobs"]["deploy"]["steps"])  # the deploy job runs no code
    for name in ("ci.yml", "translate.yml"):
        assert _load(name)["permissions"] == {"contents": "read"}
    translate = _load("translate.yml")
    assert "permissions" not in translate["jobs"]["translate"]  # the jobs running project code read only
    assert translate["jobs"]["pull-request"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    for _, step in _steps(_load("ci.yml")) + _steps(pages) + _steps(translate):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_translation_runs_are_never_cancelled_and_the_pull_request_can_trigger_ci():
    translate = _load("translate.yml")
    assert translate["concurrency"]["cancel-in-progress"] is False
    pr = next(step for _, step in _steps(translate) if step.get("uses", "").startswith("peter-evans/"))
    token = pr["with"]["token"]
    assert token.index("steps.app-token.outputs.token") < token.index("secrets.NOTICEPUB_PR_TOKEN") \
        < token.index("github.token")  # the app, else the fine-grained token, else GITHUB_TOKEN
    app = next(step for _, step in _steps(translate) if step.get("id") == "app-token")
    assert app["if"] == "vars.NOTICEPUB_APP_ID != ''"
    assert app["with"]["permission-contents"] == "write" and app["with"]["permission-pull-requests"] == "write"


def test_the_argos_model_is_pinned_by_version_and_checksum_and_verified_even_from_the_cache():
    translate = _load("translate.yml")
    env = translate["env"]
    assert re.fullmatch(r"[0-9a-f]{64}", env["ARGOS_MODEL_SHA256"])
    assert env["ARGOS_MODEL_URL"].endswith("/" + env["ARGOS_MODEL"]) and "-1_9." in env["ARGOS_MODEL"]
    steps = [step for job, step in _steps(translate) if job == "translate"]
    names = [step.get("uses", "").split("@")[0] or step.get("name", "") for step in steps]
    cache = steps[names.index("actions/cache")]
    assert "ARGOS_MODEL_SHA256" in cache["with"]["key"]
    verify = next(i for i, step in enumerate(steps) if "sha256sum --check" in step.get("run", ""))
    install = next(i for i, step in enumerate(steps) if "models install" in step.get("run", ""))
    assert names.index("actions/cache") < verify <= install  # checked after restore or download, before use


def test_installs_come_from_the_hashed_locks_and_torch_from_the_cpu_index():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes" in makefile
    assert not re.search(r"pip install[^\n]*torch==", makefile)  # no bare torch install (a CUDA build on PyPI)
    for name in ("requirements.lock", "requirements-test.lock", "requirements-mt.lock", "requirements-lint.lock"):
        text = (REPO / name).read_text(encoding="utf-8")
        pins = re.findall(r"^([A-Za-z0-9._-]+(?:\[[^\]]*\])?)==(\S+) \\$", text, flags=re.M)
        assert pins and len(pins) == text.count("==")
        blocks = re.split(r"^(?=[A-Za-z0-9._\[\]-]+==)", text, flags=re.M)[1:]
        assert all("--hash=sha256:" in block for block in blocks), name
    lean = (REPO / "requirements.lock").read_text(encoding="utf-8")
    for heavy in ("torch", "argostranslate", "spacy", "onnxruntime", "ctranslate2", "stanza", "playwright"):
        assert not re.search(rf"^{heavy}==", lean, flags=re.M), heavy
    assert re.search(r"^mkdocs==1\.6\.1 ", lean, flags=re.M)
    assert re.search(r"^torch==2\.13\.0\+cpu ", (REPO / "requirements-mt.lock").read_text(encoding="utf-8"), flags=re.M)
    for name in ("ci.yml", "translate.yml"):
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "PIP_EXTRA_INDEX_URL: https://download.pytorch.org/whl/cpu" in text
    pages = "\n".join(step.get("run", "") for _, step in _steps(_load("pages.yml")))
    assert "make install" in pages and "make mt" not in pages and "torch" not in pages and "pip install" not in pages


@pytest.mark.parametrize(("site_url", "ok"), [
    ("https://noticepub.example.org/", False),
    ("https://www.example.com/", False),
    ("http://news.example.net/", False),
    ("http://civil-affairs.github.io/noticepub/", False),  # not https
    ("", False),
    ("https://civil-affairs.github.io/noticepub/", True),
    ("https://notices.mca-news.cn/", True),
])
def test_pages_refuses_to_deploy_without_a_real_site_url(tmp_path, site_url, ok):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[tool.noticepub]\nsite_url = "{site_url}"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, str(CHECK_SITE_URL), str(pyproject)], capture_output=True, text=True)
    assert (run.returncode == 0) == ok, run.stdout
    if not ok:
        assert len(run.stdout.strip().splitlines()) == 1 and "site_url" in run.stdout and str(pyproject) in run.stdout
    pages = _load("pages.yml")
    first = [step for job, step in _steps(pages) if job == "build"][1]
    assert first["run"] == "python3 .github/check_site_url.py pyproject.toml"  # before anything is installed
