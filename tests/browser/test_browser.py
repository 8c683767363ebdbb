"""Real-browser checks (Playwright + Debian's chromium) against the built site on 127.0.0.1.

Screenshots go to test-artifacts/. Every page is checked for console errors and for requests to
any host other than the local server.
"""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from pathlib import Path

import pytest

from conftest import REPO, SEED_SLUG, built_site, copy_project

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    return built_site(copy_project(tmp_path_factory.mktemp("browser") / "project")) / "site"


@pytest.fixture(scope="module")
def server(site_root):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_root))

    class Quiet(handler.func):  # type: ignore[misc, valid-type]
        def log_message(self, *args):
            pass

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(site_root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class Watched:
    """A page that records console errors and requests to other hosts."""

    def __init__(self, browser, base: str, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
                     else self.foreign.append(r.url))

    def check(self) -> None:
        assert self.errors == []
        assert self.foreign == []

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize(("prefix", "lang", "title"), [("/", "zh-Hans", "民政新闻三语文库"),
                                                       ("/zh-Hant/", "zh-Hant", "民政新聞三語文庫"),
                                                       ("/en/", "en", "Civil Affairs News in Three Languages")])
def test_home_pages(browser, server, prefix, lang, title):
    w = Watched(browser, server)
    w.page.goto(server + prefix)
    assert w.page.get_attribute("html", "lang") == lang
    assert title in w.page.title()
    assert w.page.locator(f'a[href="notices/{SEED_SLUG}/a1/"]').count() >= 1
    w.shot(f"home-{lang}")
    w.check()
    w.close()


def test_open_article_and_switch_language_to_the_same_article(browser, server):
    w = Watched(browser, server)
    w.page.goto(server + "/")
    w.page.locator(f'a[href="notices/{SEED_SLUG}/a2/"]').first.click()
    w.page.wait_for_load_state()
    assert w.page.locator("h1").inner_text() == "河北11部门开展“春暖农民工”服务行动"
    assert w.page.locator("strong", has_text="开展关怀慰问。").count() == 1
    w.shot("article-zh-Hans")
    w.page.locator(".md-header__option .md-select").hover()
    w.page.locator('a.md-select__link[hreflang="en"]').click()
    w.page.wait_for_load_state()
    assert w.page.url == f"{server}/en/notices/{SEED_SLUG}/a2/"
    assert "Spring Warmth for Migrant Workers" in w.page.locator("h1").inner_text()
    w.page.locator(".md-header__option .md-select").hover()
    w.page.locator('a.md-select__link[hreflang="zh-Hant"]').click()
    w.page.wait_for_load_state()
    assert w.page.url == f"{server}/zh-Hant/notices/{SEED_SLUG}/a2/"
    assert w.page.locator("h1").inner_text() == "河北11部門開展「春暖農民工」服務行動"
    assert w.page.get_attribute("html", "lang") == "zh-Hant"
    w.shot("article-zh-Hant")
    w.check()
    w.close()


def _search(w: Watched, base: str, prefix: str, query: str) -> list[str]:
    w.page.goto(base + prefix)
    w.page.locator("label.md-search__icon, .md-search__input").first.click()
    w.page.locator("input.md-search__input").fill(query)
    w.page.keyboard.press("End")  # Material searches on keyup; text inserted like an IME commit has none
    w.page.wait_for_selector(".md-search-result__item", timeout=15_000)
    w.page.wait_for_timeout(300)
    return [a.get_attribute("href") or "" for a in w.page.locator(".md-search-result__link").all()]


@pytest.mark.parametrize(
    ("prefix", "query", "expected"),
    [("/", "养老机构", ["a1"]), ("/zh-Hant/", "農民工", ["a2", "a4"]), ("/en/", "migrant workers", ["a2", "a4"]),
     ("/zh-Hant/", "養老機構", ["a1"]), ("/zh-Hant/", "困境兒童", ["a3"]), ("/", "农民工", ["a2", "a4"])],
)
def test_search(browser, server, prefix, query, expected):
    w = Watched(browser, server)
    hrefs = _search(w, server, prefix, query)
    for article in expected:
        assert any(f"notices/{SEED_SLUG}/{article}/" in h for h in hrefs), (query, hrefs)
    w.shot(f"search-{query.replace(' ', '-')}")
    w.check()
    w.close()


def test_bilingual_view(browser, server):
    w = Watched(browser, server)
    w.page.goto(f"{server}/notices/{SEED_SLUG}/a2/")
    w.page.locator("a.md-button").click()
    w.page.wait_for_load_state()
    rows = w.page.locator(".np-row")
    assert rows.count() == 1 + 7 + 1  # lead, seven paragraphs, attribution
    first = rows.nth(1).locator(".np-cell")
    assert first.nth(0).get_attribute("lang") == "zh-Hans" and first.nth(1).get_attribute("lang") == "en"
    assert "Carry out caring visits." in first.nth(1).inner_text()
    box0, box1 = first.nth(0).bounding_box(), first.nth(1).bounding_box()
    assert box1["x"] > box0["x"] + box0["width"] - 1  # side by side on a wide screen
    w.shot("bilingual-wide")
    w.check()
    w.close()


@pytest.mark.parametrize("path", ["/", f"/notices/{SEED_SLUG}/a3/", f"/en/notices/{SEED_SLUG}/a3-bilingual/",
                                  f"/zh-Hant/notices/{SEED_SLUG}/a4/"])
def test_mobile_375px_has_no_horizontal_scroll(browser, server, path):
    w = Watched(browser, server, width=375, height=800)
    w.page.goto(server + path)
    scroll, client = w.page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll <= client
    if "bilingual" in path:
        cells = w.page.locator(".np-row").nth(1).locator(".np-cell")
        assert cells.nth(1).bounding_box()["y"] > cells.nth(0).bounding_box()["y"]  # stacked
    w.shot("mobile" + path.replace("/", "_"))
    w.check()
    w.close()


def test_browse_by_region_reaches_the_article_in_two_clicks(browser, server):
    w = Watched(browser, server)
    w.page.goto(server + "/en/")
    w.page.locator('a[href="regions/"]').first.click()
    w.page.wait_for_load_state()
    w.page.locator("article a", has_text="Hebei").first.click()
    w.page.wait_for_load_state()
    assert w.page.url == f"{server}/en/regions/hebei/"
    w.page.locator(f'a[href="../../notices/{SEED_SLUG}/a2/"]').click()
    w.page.wait_for_load_state()
    assert "Hebei" in w.page.locator("h1").inner_text()
    w.shot("region-hebei-article-en")
    w.check()
    w.close()


def test_provenance_box_and_feed_link(browser, server):
    w = Watched(browser, server)
    w.page.goto(f"{server}/zh-Hant/notices/{SEED_SLUG}/a3/")
    box = w.page.locator(".admonition.np-provenance")
    assert box.count() == 1
    assert "OpenCC" not in box.inner_text()  # maintainers' details are collapsed
    box.locator("details.np-technical summary").click()
    assert "OpenCC" in box.inner_text() and "s2tw" in box.inner_text()
    feed = w.page.locator('link[rel="alternate"][type="application/rss+xml"]').get_attribute("href")
    response = w.page.request.get(f"{server}/zh-Hant/notices/{SEED_SLUG}/a3/{feed}")
    assert response.ok and b"<rss" in response.body()
    w.check()
    w.close()


def test_language_switch_on_a_phone(browser, server):
    """The switcher also works by tapping (no hover) on a 375-px screen."""
    w = Watched(browser, server, width=375, height=800)
    w.page.goto(f"{server}/en/notices/{SEED_SLUG}/a4/")
    w.page.locator(".md-header__option .md-select button").click()
    w.page.locator('a.md-select__link[hreflang="zh-Hans"]').click()
    w.page.wait_for_load_state()
    assert w.page.url == f"{server}/notices/{SEED_SLUG}/a4/"
    assert w.page.get_attribute("html", "lang") == "zh-Hans"
    w.shot("mobile-switch-zh-Hans")
    w.check()
    w.close()
