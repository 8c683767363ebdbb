"""Real-browser checks (Playwright + Debian's chromium) against the built site on 127.0.0.1.

Screenshots go to test-artifacts/. Every page is checked for console errors and for requests to
any host other than the local server.
"""

from __future__ import annotations

import contextlib
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


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def static_server(root: Path, handler: type[http.server.SimpleHTTPRequestHandler] = Quiet):
    """The built site served on a free local port (no log lines); yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(site_root):
    with static_server(site_root) as base:
        yield base


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
        # reduced motion: axe reads colours after Material's fades, not halfway through one
        self.context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")
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


def _search(w: Watched, base: str, prefix: str, query: str, *, expect_results: bool = True) -> list[str]:
    w.page.goto(base + prefix)
    w.page.locator("input.md-search__input").click()
    w.page.locator("input.md-search__input").fill(query)
    meta = w.page.locator(".md-search-result__meta")
    if expect_results:
        w.page.wait_for_selector(".md-search-result__item", timeout=15_000)
    else:  # wait for the answer "none", not a state on the way to it (the prompt, or the loading line)
        w.page.wait_for_function(
            "() => /没有找到符合条件的结果|沒有符合的項目|No matching documents/"
            ".test(document.querySelector('.md-search-result__meta').textContent)", timeout=15_000)
    w.page.wait_for_function(
        "() => !/搜索……|搜尋……|Searching/.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=15_000)
    assert meta.inner_text()
    return [a.get_attribute("href") or "" for a in w.page.locator(".md-search-result__link").all()]


def _articles(hrefs: list[str]) -> set[str]:
    return {h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs if f"/notices/{SEED_SLUG}/" in h}


@pytest.mark.parametrize(
    ("prefix", "query", "expected"),
    [("/", "养老机构", {"a1"}), ("/zh-Hant/", "農民工", {"a2", "a4"}), ("/en/", "migrant workers", {"a2", "a4"}),
     ("/zh-Hant/", "養老機構", {"a1"}), ("/zh-Hant/", "困境兒童", {"a3"}), ("/", "农民工", {"a2", "a4"}),
     # words inside longer words (农民工, 留守儿童) and Simplified typed on the Traditional site
     ("/", "民工", {"a2", "a4"}), ("/zh-Hant/", "民工", {"a2", "a4"}), ("/zh-Hant/", "养老机构", {"a1"}),
     ("/", "養老機構", {"a1"})],
)
def test_search(browser, server, prefix, query, expected):
    w = Watched(browser, server)
    hrefs = _search(w, server, prefix, query)
    assert _articles(hrefs) == expected, (query, hrefs)
    assert all("-bilingual" not in h for h in hrefs)
    marks = w.page.locator(".md-search-result__list mark").all_inner_texts()
    assert marks and all(m.casefold() == query.casefold() or len(m) == len(query) for m in marks)
    w.shot(f"search-{query.replace(' ', '-')}")
    w.check()
    w.close()


def test_search_does_not_match_the_parts_of_a_word(browser, server):
    """a1 has 统一 and 进一步 but not 统一步: the bigram index offers it, the exact check drops it."""
    w = Watched(browser, server)
    assert _search(w, server, "/", "统一步", expect_results=False) == []
    assert w.page.locator(".md-search-result__meta").inner_text() == "没有找到符合条件的结果"
    w.check()
    w.close()


@pytest.mark.parametrize(("prefix", "query"), [("/en/", "sha256"), ("/en/", "raw.txt"), ("/", "原始文本"),
                                               ("/zh-Hant/", "OpenCC"), ("/", "中英对照")])
def test_search_does_not_index_provenance_or_buttons(browser, server, prefix, query):
    w = Watched(browser, server)
    assert _search(w, server, prefix, query, expect_results=False) == []
    w.check()
    w.close()


def test_search_loads_nothing_until_the_reader_types(browser, server):
    w = Watched(browser, server)
    requests: list[str] = []
    w.page.on("request", lambda r: requests.append(r.url))
    w.page.goto(f"{server}/notices/{SEED_SLUG}/a1/")
    w.page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "np-search" in u or "search_index" in u or "sitemap" in u], requests
    hrefs = _search(w, server, f"/notices/{SEED_SLUG}/a1/", "儿童")
    assert _articles(hrefs) == {"a2", "a3"}
    assert any("/np-search/" in u for u in requests)
    assert not [u for u in requests if "sitemap" in u or "search_index" in u]
    w.check()
    w.close()


@pytest.mark.parametrize(("prefix", "mine", "theirs", "text"), [
    ("/", "zh-Hans", "en", "Carry out caring visits."), ("/zh-Hant/", "zh-Hant", "en", "Carry out caring visits."),
    ("/en/", "en", "zh-Hans", "开展关怀慰问。")])
def test_bilingual_view(browser, server, prefix, mine, theirs, text):
    """Built in the article page from its counterpart (overrides/assets/bilingual.js), and closed again."""
    w = Watched(browser, server)
    w.page.goto(f"{server}{prefix}notices/{SEED_SLUG}/a2/")
    paragraphs = w.page.locator("article p").count()
    toggle = w.page.locator("a.np-bilingual-toggle")
    toggle.click()
    w.page.wait_for_selector(".np-row")
    rows = w.page.locator(".np-row")
    assert rows.count() == 1 + 7 + 1  # lead, seven paragraphs, attribution
    first = rows.nth(1).locator(".np-cell")
    assert first.nth(0).get_attribute("lang") == mine and first.nth(1).get_attribute("lang") == theirs
    assert text in first.nth(1).inner_text()
    box0, box1 = first.nth(0).bounding_box(), first.nth(1).bounding_box()
    assert box1["x"] > box0["x"] + box0["width"] - 1  # side by side on a wide screen
    assert w.page.url.endswith("/a2/#bilingual") and toggle.get_attribute("aria-pressed") == "true"
    assert w.page.evaluate("() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
                           " return ids.length === new Set(ids).size; }")  # the counterpart's ids are dropped
    w.shot(f"bilingual-wide-{mine}")
    toggle.click()
    assert w.page.locator(".np-row").count() == 0 and w.page.locator("article p").count() == paragraphs
    assert toggle.get_attribute("aria-pressed") == "false" and not w.page.url.endswith("#bilingual")
    w.check()
    w.close()


def test_site_publishes_one_copy_of_the_theme(site_root, browser, server):
    """The three languages share the root's theme assets; no lunr files, source maps or bilingual pages; every
    asset a zh-Hant or English page asks for answers (icons from the sprite included)."""
    files = [p.relative_to(site_root).as_posix() for p in site_root.rglob("*") if p.is_file()]
    assert not [f for f in files if f.startswith(("zh-Hant/assets/", "en/assets/"))]
    assert not [f for f in files if "/lunr/" in f or f.endswith(".map")]
    assert not [f for f in files if "-bilingual/" in f and not f.endswith("-bilingual/index.html")]
    assert "assets/icons.svg" in files and "assets/bilingual.js" in files
    for prefix in ("/zh-Hant/", "/en/"):
        w = Watched(browser, server)
        failed: list[str] = []
        requested: list[str] = []
        w.page.on("response", lambda r, failed=failed: failed.append(r.url) if r.status >= 400 else None)
        w.page.on("request", lambda r, requested=requested: requested.append(r.url))
        w.page.goto(f"{server}{prefix}notices/{SEED_SLUG}/a1/")
        w.page.wait_for_load_state("networkidle")
        assert failed == []
        assets = [u for u in requested if "/assets/" in u]
        assert assets and all(u.startswith(f"{server}/assets/") for u in assets), assets
        assert f"{server}/assets/icons.svg" in assets
        w.check()
        w.close()


def test_pages_carry_their_base_and_shared_scripts_build_the_rest(site_root, browser, server):
    """A page carries the search dialog's element and Material's page configuration with its base only: not the
    dialog's markup and strings, the rest of the configuration or Material's inline storage script (2 KB a
    page). The language's np-config.js and the shared assets/np-page.js put them in place before Material's
    script runs, in the page's language, with the interface icons of the root's sprite."""
    page = (site_root / "zh-Hant" / "notices" / SEED_SLUG / "a1" / "index.html").read_text(encoding="utf-8")
    assert "data-np-strings=" not in page and "md-search__form" not in page and "md-search__input" not in page
    assert "__md_scope" not in page
    assert page.index('src="../../../np-config.js"') < page.index("assets/np-page.js") < page.index("bundle.")
    assert '<script id="__config" type="application/json">{"base":"../../.."}</script>' in page
    articles = [p.read_text(encoding="utf-8") for p in site_root.glob("**/notices/*/a*/index.html")]
    assert articles and all(("md-sidebar--secondary" in a) == ("<h2" in a) for a in articles)  # no empty contents
    for prefix, none in (("", "没有找到符合条件的结果"), ("zh-Hant/", "沒有符合的項目"), ("en/", "No matching documents")):
        strings = (site_root / prefix / "np-config.js").read_text(encoding="utf-8")
        assert strings.startswith("window.__np_search = {") and f'"none":"{none}"' in strings
    w = Watched(browser, server)
    w.page.goto(f"{server}/zh-Hant/notices/{SEED_SLUG}/a1/")
    w.page.wait_for_load_state("networkidle")
    built = w.page.evaluate("""() => {
        const input = document.querySelector('.md-search form[name=np-search] input.md-search__input');
        __md_set('np-test', [1]);
        return [input.getAttribute('aria-label'), input.placeholder, document.querySelector('.md-search__options')
          .getAttribute('aria-label'), document.querySelector('button[type=reset]').title,
          document.querySelector('.md-search-result__meta').textContent,
          [...document.querySelectorAll('.md-search use')].map(u => u.getAttribute('href').split('/assets/')[1]),
          localStorage.getItem('/zh-Hant/.np-test'), __md_get('np-test'),
          JSON.parse(document.querySelector('.md-search').getAttribute('data-np-strings')).none,
          JSON.parse(document.getElementById('__config').textContent)]; }""")
    assert built == ["搜尋", "搜尋", "搜尋", "清除", "打字進行搜尋",
                     ["icons.svg#magnify", "icons.svg#arrow-left", "icons.svg#close"], "[1]", [1], "沒有符合的項目",
                     {"base": "../../..", "features": ["navigation.top", "navigation.sections", "search.highlight",
                      "toc.follow"], "translations": {"clipboard.copy": "複製", "clipboard.copied": "已複製"},
                      "search": None, "annotate": None, "tags": None, "version": None}]
    w.check()
    w.close()


def test_bilingual_view_says_pending_instead_of_repeating_the_chinese(browser, server):
    """A sentence the English has not got yet (the English page shows it in Chinese, marked) is not shown
    a second time in the English column: on zh-Hant that would be Simplified beside Traditional."""
    w = Watched(browser, server)
    english = f"{server}/en/notices/{SEED_SLUG}/a2/"

    def one_sentence_pending(route):
        response = route.fetch()
        pending = '<span class="np-pending" lang="zh-Hans" title="translation pending">做好出行保障。</span>'
        route.fulfill(response=response, body=response.text().replace("Ensure safe travel.", pending, 1))
    w.page.route(english, one_sentence_pending)
    w.page.goto(f"{server}/zh-Hant/notices/{SEED_SLUG}/a2/#bilingual")
    w.page.wait_for_selector(".np-row")
    cell = w.page.locator(".np-row").nth(2).locator(".np-cell").nth(1)
    assert cell.get_attribute("lang") == "en"
    # the note is in the reader's language (zh-Hant here), marked as such; never the Simplified sentence
    assert cell.inner_text().startswith("（此句暫無英文譯文） Step up action")
    assert cell.locator(".np-gap[lang=zh-Hant]").count() == 1
    assert "做好出行保障" not in cell.inner_text() and cell.locator("[lang=zh-Hans]").count() == 0
    w.check()
    w.close()


def test_old_bilingual_address_opens_the_view(browser, server):
    w = Watched(browser, server)
    w.page.goto(f"{server}/zh-Hant/notices/{SEED_SLUG}/a2-bilingual/")
    w.page.wait_for_selector(".np-row")
    assert w.page.url.endswith(f"/zh-Hant/notices/{SEED_SLUG}/a2/#bilingual")
    assert w.page.locator(".np-row").count() == 9
    w.check()
    w.close()


@pytest.mark.parametrize("path", ["/", f"/notices/{SEED_SLUG}/a3/", f"/en/notices/{SEED_SLUG}/a3/#bilingual",
                                  f"/zh-Hant/notices/{SEED_SLUG}/a4/"])
def test_mobile_375px_has_no_horizontal_scroll(browser, server, path):
    w = Watched(browser, server, width=375, height=800)
    w.page.goto(server + path)
    if "bilingual" in path:
        w.page.wait_for_selector(".np-row")
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
    feed = w.page.locator('link[rel~="alternate"][type="application/rss+xml"]').get_attribute("href")
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


# --- accessibility (axe-core, fetched from npm at test time into tests/browser/.axe; never part of the site)

AXE_VERSION = "4.14.1"
AXE_DIR = Path(__file__).parent / ".axe"


@pytest.fixture(scope="module")
def axe_source() -> str:
    import os
    import shutil
    import subprocess

    path = Path(os.environ.get("NOTICEPUB_AXE_JS", AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"))
    if not path.is_file():
        npm = shutil.which("npm")
        if not npm:
            pytest.fail("axe-core is needed: install npm (Debian package npm) or set NOTICEPUB_AXE_JS to axe.min.js")
        run = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
                              f"axe-core@{AXE_VERSION}"], capture_output=True, text=True, timeout=300)
        assert run.returncode == 0 and path.is_file(), run.stderr[-2000:]
    return path.read_text(encoding="utf-8")


def _axe(w: Watched, source: str) -> list[str]:
    w.page.add_script_tag(content=source)
    found = w.page.evaluate("""async () => (await axe.run(document)).violations.map(
        v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")
    return found


PAGES = ["", f"notices/{SEED_SLUG}/a1/", f"notices/{SEED_SLUG}/a2/#bilingual", f"notices/{SEED_SLUG}/",
         "regions/hebei/", "tags/", "archive/", "404.html"]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("prefix", ["/", "/zh-Hant/", "/en/"])
def test_axe_finds_no_violations(browser, server, axe_source, prefix, width):
    """Home, article, bilingual, notice, region, tag, archive and 404 pages, on a wide screen and a phone."""
    w = Watched(browser, server, width=width, height=900)
    problems = {}
    for path in PAGES:
        w.page.goto(server + prefix + path)
        if "#bilingual" in path:
            w.page.wait_for_selector(".np-row")
        found = _axe(w, axe_source)
        if found:
            problems[path] = found
    assert problems == {}
    w.close()


def test_axe_on_the_open_search_dialog_with_results(browser, server, axe_source):
    w = Watched(browser, server)
    _search(w, server, "/zh-Hant/", "兒童")
    assert _axe(w, axe_source) == []
    assert w.page.locator(".md-search").get_attribute("aria-label") == "搜尋"
    w.check()
    w.close()


def test_phone_drawer_links_take_no_focus_until_opened(browser, server):
    w = Watched(browser, server, width=375, height=800)
    w.page.goto(f"{server}/en/notices/{SEED_SLUG}/a1/")
    visited = []
    for _ in range(60):
        w.page.keyboard.press("Tab")
        focused = w.page.evaluate("""() => { const e = document.activeElement;
            return e === document.body ? null : [e.tagName, !!e.closest('.md-sidebar--primary'),
              getComputedStyle(e).outlineStyle, (e.getAttribute('href') || e.className || '').toString()]; }""")
        if focused is None:
            break
        tag, in_drawer, outline, what = focused
        assert not in_drawer, f"Tab reached a link of the closed drawer: {what}"
        assert outline != "none", f"no visible focus on {tag} {what}"
        visited.append(what)
    assert len(visited) >= 5, visited  # the page's own links were reached
    w.page.locator("label.md-header__button[for=__drawer]").click()
    w.page.wait_for_timeout(400)
    link = w.page.locator(".md-sidebar--primary a.md-nav__link").first
    link.focus()
    assert w.page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')")
    w.check()
    w.close()


@pytest.mark.parametrize(("prefix", "first"), [("/en/", "-apple-system"), ("/", '"PingFang SC"'),
                                               ("/zh-Hant/", '"PingFang TC"')])
def test_font_stacks_take_effect(browser, server, prefix, first):
    w = Watched(browser, server)
    w.page.goto(f"{server}{prefix}notices/{SEED_SLUG}/a1/")
    body = w.page.evaluate("() => getComputedStyle(document.querySelector('.md-typeset p')).fontFamily")
    assert body.startswith(first) and ("Segoe UI" in body) == (prefix == "/en/"), body
    if prefix == "/":  # the English column of the bilingual view uses the English stack
        w.page.goto(f"{server}/notices/{SEED_SLUG}/a1/#bilingual")
        w.page.wait_for_selector(".np-row")
        en = w.page.evaluate("() => getComputedStyle(document.querySelector('.np-cell[lang=en] p')).fontFamily")
        assert "Segoe UI" in en
    w.check()
    w.close()


@pytest.mark.parametrize(("prefix", "title"), [("/", "找不到页面"), ("/zh-Hant/", "找不到頁面"), ("/en/", "Page not found")])
def test_localized_404(browser, server, prefix, title):
    w = Watched(browser, server)
    w.page.goto(f"{server}{prefix}404.html")
    assert w.page.locator("h1").inner_text() == title
    assert "Not found" not in w.page.content() or prefix == "/en/"
    w.check()
    w.close()


def test_zh_hant_interface_has_no_simplified_characters(browser, server):
    """Every interface string of the zh-Hant build (header, search messages, footer) is Traditional."""
    w = Watched(browser, server)
    hrefs = _search(w, server, "/zh-Hant/", "農民工")
    assert hrefs
    # the interface in Traditional; names of other languages in the switcher (lang="zh-Hans": 简体中文) aside
    ui = w.page.evaluate("""() => {
        const header = document.querySelector('.md-header').cloneNode(true);
        header.querySelectorAll('[lang]:not([lang="zh-Hant"])').forEach(e => e.remove());
        const footer = document.querySelector('.md-footer');
        return [header.textContent, document.querySelector('.md-search').getAttribute('data-np-strings'),
          footer ? footer.textContent : '',
          [...header.querySelectorAll('[aria-label],[title],[placeholder]')].map(e =>
            ['aria-label', 'title', 'placeholder'].map(a => e.getAttribute(a) || '').join(' ')).join(' ')
        ].join(' '); }""")
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    simplified = sorted(c for c in set(ui) if to_traditional.convert(c) != c)
    assert simplified == [], ui
    assert "找到2個符合的項目" in ui
    w.check()
    w.close()


def test_search_on_a_phone(browser, server):
    w = Watched(browser, server, width=375, height=800)
    w.page.goto(f"{server}/")
    w.page.locator("label.md-header__button[for=__search]").click()
    w.page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')")
    w.page.keyboard.type("留守儿童")
    w.page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert _articles([a.get_attribute("href") or "" for a in w.page.locator(".md-search-result__link").all()])
    w.shot("mobile-search")
    w.page.keyboard.press("Escape")
    assert not w.page.locator("#__search").is_checked()
    w.check()
    w.close()
