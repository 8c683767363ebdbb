"""`noticepub serve`: all three languages under their real prefixes, the switcher's links resolve, and an
edit rebuilds only the language it belongs to."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import SEED_SLUG, copy_project, run_cli


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            result = None
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture()
def server(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "noticepub", "serve", "--addr", f"127.0.0.1:{port}"],
                            cwd=project, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "CI": "1"})
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: proc.poll() is None and _get(base)[0] == 200, 300, "the preview to start")
        yield project, base, tmp_path / "serve.log"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            log.close()


@pytest.mark.timeout(900)
def test_three_prefixes_switcher_and_incremental_rebuild(server):
    project, base, log = server
    for prefix, lang in (("", "zh-Hans"), ("zh-Hant/", "zh-Hant"), ("en/", "en")):
        status, html = _get(base + prefix)
        assert status == 200 and f'<html lang="{lang}"' in html, prefix

    article = f"{base}zh-Hant/notices/{SEED_SLUG}/a2/"
    status, html = _get(article)
    assert status == 200
    links = {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', html)}
    assert set(links) >= {"zh-Hans", "en"}
    for lang, href in links.items():
        status, target = _get(urljoin(article, href))
        assert status == 200 and f'<html lang="{lang}"' in target, (lang, href)
    assert _get(base + "en/no-such-page/")[0] == 404

    page = project / "docs" / "en" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nPreview edit marker 4711.\n", encoding="utf-8")
    _wait_for(lambda: "Preview edit marker 4711" in _get(base + "en/")[1], 300, "the edited page to be served")
    text = log.read_text(encoding="utf-8")
    after = text[text.index("serve: rebuilding"):]
    assert "serve: rebuilding en\n" in after
    assert "site: en built" in after and "site: zh-Hans" not in after and "site: zh-Hant" not in after
    assert "Traceback" not in text
