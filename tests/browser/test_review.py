"""The review screen in Chromium, served by a real `noticepub serve`: a wrong parse fixed by clicks only, the
file written exactly, the build publishing the fix; keyboard only; 375 px; axe; two tabs; a page of another
origin that tries to post a correction.

The page is the README's worked example (tests/test_review.py: RAW): line 7 is taken for a sub-heading (it
is the headline of a second article) and line 12 starts a paragraph that continues the one before it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from browser.test_browser import ARTIFACTS, Watched, _axe, axe_source, browser, static_server  # noqa: F401
from conftest import copy_project, run_cli
from test_review import FIXED, NOTICE, NOTICE_YML, OPENERS, add_demo
from test_serve import _free_port, _get, _wait_for

pytestmark = pytest.mark.browser


@pytest.fixture()
def served(tmp_path: Path):
    """A project with the demo notice, built, served by `noticepub serve` on a free port."""
    project = copy_project(tmp_path / "project")
    folder = add_demo(project)
    build = run_cli(project, "build")
    assert build.returncode == 0, build.stderr
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "noticepub", "serve", "--addr", f"127.0.0.1:{port}"],
                            cwd=project, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "CI": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: proc.poll() is None and _get(base + "/review/")[0] == 200, 300, "the preview to start")
        yield project, folder, base, tmp_path / "serve.log"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            log.close()


class AxeWatched(Watched):
    """A Watched page whose context lets axe's script in past the review screen's Content-Security-Policy
    (which allows only the screen's own files; Chromium reports any other script it blocks as an error)."""

    def __init__(self, browser, base: str, width: int = 1280, height: int = 900) -> None:  # noqa: F811
        self.context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True,
                                           reduced_motion="reduce")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
                     else self.foreign.append(r.url))


def _articles(page) -> int:
    return page.locator("article.art").count()


def _wait_articles(page, n: int, timeout: int = 10_000) -> None:
    try:
        page.wait_for_function(f"() => document.querySelectorAll('article.art').length === {n}", timeout=timeout)
    except Exception as exc:  # say what the screen showed instead (a timing failure is otherwise mute)
        raise AssertionError(f"waited for {n} article(s): the screen shows {_articles(page)}, status "
                             f"{page.inner_text('#status')!r}") from exc


def _choose(page, line: int, action: str) -> None:
    """Click a raw line, then a menu entry; wait for the server's answer."""
    before = page.inner_text("#status")
    page.click(f"#L{line}")
    page.click(f'#menu button[data-action="{action}"]')
    page.wait_for_function("(old) => document.getElementById('status').innerText !== old", arg=before,
                           timeout=10_000)


@pytest.mark.timeout(900)
def test_fix_a_wrong_parse_by_clicks_and_build_publishes_it(browser, served):  # noqa: F811
    project, folder, base, log = served
    w = Watched(browser, base)
    page = w.page
    notices = sum(1 for f in (project / "source_texts").iterdir() if (f / "raw.txt").is_file())
    page.goto(base + "/review/")
    assert page.inner_text("#counts").startswith(f"{notices} notice(s): 0 reviewed, {notices} to review;")
    page.click(f'a[href="/review/{NOTICE}/"]')
    page.wait_for_selector("#raw")
    assert _articles(page) == 1 and page.get_attribute("#L7", "data-role") == "subheading"
    w.shot("review-before")

    _choose(page, 7, "headline")
    _wait_articles(page, 2)
    assert page.inner_text("#a2 h3").endswith("老年大学扩招")
    assert page.get_attribute("#L7", "data-role") == "headline" and "start" in page.get_attribute("#L7", "class")
    assert page.locator("#a2 .blk.para").count() == 2
    _choose(page, 12, "join")
    page.wait_for_function("() => document.querySelectorAll('#a2 .blk.para').length === 1", timeout=10_000)
    fixed = (NOTICE_YML + FIXED).encode()
    assert (folder / "notice.yml").read_bytes() == fixed

    # the build's one-line refusal, shown on screen, the file untouched
    _choose(page, 9, "furniture")
    assert page.inner_text("#status") == (f"{folder / 'notice.yml'}: key 'corrections.article_starts': line 9 is "
                                          "also in 'corrections.furniture'")
    assert (folder / "notice.yml").read_bytes() == fixed
    # a change, then Undo: the file as it was
    _choose(page, 3, "furniture")
    assert b"furniture: [3]" in (folder / "notice.yml").read_bytes()
    page.click("#undo")
    page.wait_for_function("() => document.getElementById('status').innerText.startsWith('undone')")
    assert (folder / "notice.yml").read_bytes() == fixed
    # dragging over lines selects them
    page.hover("#L9")
    page.mouse.down()
    page.hover("#L11")
    page.mouse.up()
    assert page.inner_text("#sel").startswith("Lines 9–11 selected")
    assert "hl" in page.get_attribute("#b-a2-p0", "class")  # the block they went to
    # hovering a block highlights its raw lines
    page.hover("#b-a2-p0")
    assert "hl" in page.get_attribute("#L10", "class")
    w.shot("review-fixed")

    page.click("#mark")
    page.wait_for_function("() => document.querySelector('#summary .badge').innerText === 'reviewed'")
    text = (folder / "notice.yml").read_text(encoding="utf-8")
    assert text.startswith(NOTICE_YML + FIXED + "reviewed:\n  date: ")
    assert yaml.safe_load(text)["corrections"] == {"headlines": {9: [7]}, "join": [[11, 12]]}
    # the refused correction's answer (422) is the one failed request Chromium reports
    assert len(w.errors) == 1 and "status of 422" in w.errors[0]
    w.errors.clear()
    w.check()
    w.close()
    assert "Traceback" not in log.read_text(encoding="utf-8")

    status = run_cli(project, "status")
    assert f"review: {notices} notice(s): 1 reviewed, {notices - 1} to review;" in status.stdout
    build = run_cli(project, "build")
    assert build.returncode == 0, build.stderr
    pages = {p.read_text(encoding="utf-8") for p in (project / "docs" / "zh-Hans" / "notices").rglob("*.md")
             if not p.name.endswith("-bilingual.md")}
    a2 = [p for p in pages if "\n# 老年大学扩招\n" in p]  # the article's own page (others may link to it)
    joined = "今年秋季，市老年大学新增课程三十门，招生规模比去年扩大一倍，报名人数创历年新高。学员中年龄最大的已经九十岁。"
    assert a2 and any(joined in p for p in a2)


@pytest.mark.timeout(900)
def test_keyboard_only_narrow_screen_and_axe(browser, served, axe_source):  # noqa: F811
    project, folder, base, log = served
    warned = project / "source_texts" / "warned"
    warned.mkdir()
    (warned / "raw.txt").write_text(OPENERS, encoding="utf-8")
    for width in (1280, 375):
        w = AxeWatched(browser, base, width=width, height=800)
        page = w.page
        page.goto(base + "/review/")
        assert _axe(w, axe_source) == []
        page.goto(base + "/review/warned/")  # a warning with its evidence on the lines
        assert page.locator("#L7 .warn").count() == 1
        assert _axe(w, axe_source) == []
        page.goto(f"{base}/review/{NOTICE}/")
        assert _axe(w, axe_source) == []
        if width == 375:
            raw, arts = page.locator("section.raw").bounding_box(), page.locator("section.arts").bounding_box()
            assert arts["y"] >= raw["y"] + raw["height"] - 1  # stacked
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
        for _ in range(40):  # Tab until the raw lines have the focus
            if page.evaluate("document.activeElement.id") == "raw":
                break
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "raw"
        for _ in range(7):
            page.keyboard.press("ArrowDown")
        assert page.inner_text("#sel").startswith("Line 7 selected")
        page.keyboard.press("h")
        _wait_articles(page, 2)
        assert _axe(w, axe_source) == []  # with a selection and the menu open
        if width == 375:
            w.shot("review-narrow")
        page.keyboard.press("Shift+ArrowDown")
        page.keyboard.press("Shift+ArrowDown")
        assert page.inner_text("#sel").startswith("Lines 7–9 selected")
        page.keyboard.press("u")
        _wait_articles(page, 1)
        assert (folder / "notice.yml").read_bytes() == NOTICE_YML.encode()
        w.check()
        w.close()


@pytest.mark.timeout(900)
def test_headline_of_an_article_picked_by_a_click(browser, served):  # noqa: F811
    """"Headline of…": the headline is given to the article whose text the maintainer clicks next (for a
    headline printed away from its text); Esc leaves the pick without writing."""
    project, folder, base, log = served
    w = Watched(browser, base)
    page = w.page
    page.goto(f"{base}/review/{NOTICE}/")
    page.click("#L7")
    page.click('#menu button[data-action="headline-of"]')
    assert page.inner_text("#status").startswith("Now click")
    page.keyboard.press("Escape")
    assert page.inner_text("#status") == "cancelled" and page.inner_text("#sel").startswith("Line 7 selected")
    page.click('#menu button[data-action="headline-of"]')
    page.click("#b-a1-p2")  # the paragraph of lines 9-11 on the right: its first line is the article's start
    _wait_articles(page, 2)
    assert page.inner_text("#status").startswith("line 7: headline of the article whose text starts at line 9")
    fixed = (NOTICE_YML + "corrections:\n  headlines:\n    9: [7]\n").encode()
    assert (folder / "notice.yml").read_bytes() == fixed
    page.keyboard.press("u")
    _wait_articles(page, 1)
    # the same from the keyboard: Shift+H, then arrows to line 9 and Enter
    page.click("#L7")
    page.keyboard.press("Shift+H")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _wait_articles(page, 2)
    assert (folder / "notice.yml").read_bytes() == fixed
    w.check()
    w.close()


@pytest.mark.timeout(900)
def test_two_tabs_stale_save_refused_and_an_edit_on_disk_shown(browser, served):  # noqa: F811
    """Tab B's view is behind (its refresh from the server is held back): its save is refused. Tab A follows
    an edit of notice.yml made in an editor by itself."""
    project, folder, base, log = served
    a, b = Watched(browser, base), Watched(browser, base)
    b.page.route("**/panes.json*", lambda route: route.abort())
    for w in (a, b):
        w.page.goto(f"{base}/review/{NOTICE}/")
    _choose(a.page, 7, "headline")
    _wait_articles(a.page, 2)
    saved = (folder / "notice.yml").read_bytes()
    _choose(b.page, 12, "join")
    assert "changed since this page was loaded" in b.page.inner_text("#status")
    assert (folder / "notice.yml").read_bytes() == saved
    (folder / "notice.yml").write_text(NOTICE_YML, encoding="utf-8")  # an editor puts the file back
    _wait_articles(a.page, 1, timeout=30_000)  # (the tab's long-poll may be behind the preview's rebuild)
    assert a.page.inner_text("#status") == "raw.txt or notice.yml changed on disk: updated"
    a.check()
    for w in (a, b):
        w.close()


@pytest.mark.timeout(900)
def test_a_page_of_another_origin_cannot_post_a_correction(browser, served, tmp_path):  # noqa: F811
    project, folder, base, log = served
    before = (folder / "notice.yml").read_bytes()
    evil = tmp_path / "evil"
    evil.mkdir()
    target = f"{base}/review/{NOTICE}/correct"
    (evil / "index.html").write_text(
        '<!doctype html><html lang="en"><title>x</title><body>'
        f'<form id="f" method="post" action="{target}" enctype="text/plain">'
        '<input name=\'{"etag": "x", "action": "furniture", "first": 3, "last": 3, "pad": "\' value=\'"}\'></form>'
        '<script>fetch(' + repr(target) + ', {method: "POST", mode: "no-cors", headers: {"Content-Type": '
        '"text/plain"}, body: JSON.stringify({etag: "x", action: "furniture", first: 3, last: 3})})'
        '.finally(() => document.getElementById("f").submit());</script></body></html>', encoding="utf-8")
    with static_server(evil) as other:
        context = browser.new_context()
        page = context.new_page()
        page.goto(other + "/index.html")
        page.wait_for_url(target, timeout=10_000)  # the form was posted: the preview answered it
        assert "token" in page.content() or "refused" in page.content()
        context.close()
    assert (folder / "notice.yml").read_bytes() == before
