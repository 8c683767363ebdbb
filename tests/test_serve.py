"""`noticepub serve`: all three languages under their real prefixes, the switcher's links resolve, an edit
rebuilds only the language it belongs to, a raw.txt edit reaches the open tab by itself (no deadlock with the
build lock, live reload), and malformed requests are answered 400/404 without a traceback."""

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

from conftest import SEED_ID, SEED_SLUG, copy_project, run_cli


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


def _raw_request(base: str, data: bytes) -> bytes:
    """The first line of the server's answer to ``data`` sent as is."""
    host, port = base.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n")[0]


BAD_REQUESTS = [
    (b"GARBAGE\r\n\r\n", b"400"),
    (b"GET / HTTP/9.9\r\n\r\n", b"505"),
    (b"\xff\xfe\x00\r\n\r\n", b"400"),
    (b"GET /en/%00 HTTP/1.1\r\nHost: x\r\n\r\n", b"404"),
    (b"GET /en/%00/../index.html HTTP/1.1\r\nHost: x\r\n\r\n", b"404"),
    (b"GET /%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n", b"400"),
    (b"GET /en/%0a HTTP/1.1\r\nHost: x\r\n\r\n", b"404"),
    (b"POST /en/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", b"405"),
    (b"GET /_preview/wait?since=x HTTP/1.1\r\nHost: x\r\n\r\n", b"400"),
    (b"GET /" + b"a/" * 40000 + b" HTTP/1.1\r\n\r\n", b"414"),
    (b"GET /" + b"a" * 300 + b"/ HTTP/1.1\r\nHost: x\r\n\r\n", b"404"),
    (b"GET /en/" + b"a" * 5000 + b".html HTTP/1.1\r\nHost: x\r\n\r\n", b"404"),
    (b"GET /review/" + b"a" * 300 + b"/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"404"),
    (b"GET /review/../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"404"),
    (b"POST /review/x/correct HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"400"),
]


@pytest.mark.timeout(900)
def test_malformed_requests_get_400_or_404_and_no_traceback(server):
    project, base, log = server
    for request, status in BAD_REQUESTS:
        first = _raw_request(base, request)
        assert first.startswith(b"HTTP/1.") and first.split(b" ")[1] == status, (request[:40], first)
    assert _get(base + "en/")[0] == 200  # still serving
    with urllib.request.urlopen(base + "review/", timeout=10) as response:  # the review area: never framed
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    status, body = _get(base + "en/no-such-page/")  # Material's English 404 page, which reloads too
    assert status == 404 and '<html lang="en"' in body and "/_preview/reload.js?v=" in body
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text and "failed:" not in text


@pytest.mark.timeout(900)
def test_raw_edit_is_built_in_process_and_served(server):
    """The edit reaches the served page: the preview no longer waits on its own build lock."""
    project, base, log = server
    article = f"{base}notices/{SEED_SLUG}/a1/"
    status, before = _get(article)
    assert status == 200 and "总结讲话。" in before and "总结讲话并部署。" not in before
    served = _get(base)[1]
    version = int(re.search(r"/_preview/reload\.js\?v=(\d+)", served).group(1))
    raw = project / "source_texts" / SEED_ID / "raw.txt"
    raw.write_text(raw.read_text(encoding="utf-8").replace("总结讲话。", "总结讲话并部署。"), encoding="utf-8")
    _wait_for(lambda: "总结讲话并部署。" in _get(article)[1], 120, "the raw.txt edit to be served")
    status, body = _get(f"{base}_preview/wait?since={version}")
    assert status == 200 and f'"version": {version}' not in body  # open tabs are told to reload
    assert not (project / "site" / "index.html").read_text(encoding="utf-8").count("_preview")  # site/ untouched
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text and "holds the lock" not in text and "waiting for it" not in text
    assert "serve: build: 1 notice(s) rebuilt" in text
    assert f"serve: review the parse of each page at {base}review/" in text


@pytest.mark.browser
@pytest.mark.timeout(900)
def test_live_reload_shows_a_raw_edit_in_the_open_tab(server):
    """Chromium keeps an article open; raw.txt is edited; the tab shows the new text without a reload by hand."""
    from playwright.sync_api import sync_playwright

    project, base, log = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}notices/{SEED_SLUG}/a1/")
        assert "总结讲话。" in page.inner_text("article")
        page.wait_for_timeout(500)  # the reload script is waiting on the server
        raw = project / "source_texts" / SEED_ID / "raw.txt"
        t0 = time.monotonic()
        raw.write_text(raw.read_text(encoding="utf-8").replace("总结讲话。", "总结讲话并部署。"), encoding="utf-8")
        page.wait_for_function("() => document.querySelector('article') && "
                               "document.querySelector('article').innerText.includes('总结讲话并部署。')",
                               timeout=60_000, polling=100)
        elapsed = time.monotonic() - t0
        print(f"raw.txt edit shown in the open tab after {elapsed:.2f} s")
        browser.close()
    assert errors == []
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_an_address_in_use_is_one_line(tmp_project):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = run_cli(tmp_project, "serve", "--addr", f"127.0.0.1:{port}")
    assert run.returncode == 2
    assert run.stderr == (f"noticepub: error: serve: cannot listen on 127.0.0.1:{port}: Address already in use; "
                          "stop the other server or choose another --addr HOST:PORT\n")
    run = run_cli(tmp_project, "serve", "--addr", "localhost")
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "HOST:PORT" in run.stderr
