"""Search in Chromium on the seed site: what a query fetches (bounded, nothing before the first keystroke),
exact results in both scripts, and how results read (excerpts cut between words, every occurrence
marked, headline matches marked, punctuation ignored inside a phrase)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from browser.test_browser import Watched, browser, server, site_root  # noqa: F401 - fixtures
from conftest import SEED_SLUG
from noticepub import search_index

pytestmark = pytest.mark.browser
FOLD = search_index.fold_table(search_index.char_classes())


def _open(w: Watched, base: str, prefix: str) -> list[str]:
    requests: list[str] = []
    w.page.on("request", lambda r: requests.append(r.url))
    w.page.goto(base + prefix)
    w.page.wait_for_load_state("networkidle")
    return requests


def _type(w: Watched, query: str) -> str:
    """Type the query; wait for the answer (results or none) and for the list to settle; the count line."""
    w.page.locator("input.md-search__input").fill("")
    w.page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=15_000)
    w.page.locator("input.md-search__input").fill(query)
    w.page.wait_for_function(
        "() => document.querySelector('.md-search-result__item') || /没有找到|沒有符合|No matching/"
        ".test(document.querySelector('.md-search-result__meta').textContent)", timeout=15_000)
    w.page.wait_for_function(
        "() => !/……|Searching/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=15_000)
    w.page.wait_for_load_state("networkidle")
    return w.page.locator(".md-search-result__meta").inner_text()


def _results(w: Watched) -> list[dict]:
    return w.page.evaluate("""() => Array.from(document.querySelectorAll('.md-search-result__item a')).map(a => ({
        href: a.getAttribute('href'), title: a.querySelector('h1').innerHTML, excerpt: a.querySelector('p').innerHTML,
        titleText: a.querySelector('h1').textContent, excerptText: a.querySelector('p').textContent,
        titleMarks: Array.from(a.querySelectorAll('h1 mark')).map(m => m.textContent),
        marks: Array.from(a.querySelectorAll('p mark')).map(m => m.textContent)}))""")


def test_the_index_loads_on_the_first_keystroke_not_on_focus(browser, server):  # noqa: F811
    w = Watched(browser, server)
    requests = _open(w, server, f"/notices/{SEED_SLUG}/a1/")
    w.page.locator("input.md-search__input").click()
    w.page.wait_for_timeout(500)
    assert not [u for u in requests if "/np-search/" in u]
    w.page.keyboard.type("养")
    w.page.wait_for_function("() => document.querySelector('.md-search-result__item')", timeout=15_000)
    assert any(u.split("?")[0].endswith("/np-search/index.json") for u in requests)
    w.check()
    w.close()


@pytest.mark.parametrize(("prefix", "query"), [("/", "北京"), ("/", "上海"), ("/zh-Hant/", "北京"), ("/en/", "北京"),
                                               ("/", "统一步"), ("/", "沪")])
def test_a_missing_word_is_answered_from_one_list(browser, server, prefix, query):  # noqa: F811
    """No page text is fetched to say "none": the index file, the character map and one bucket."""
    w = Watched(browser, server)
    requests = _open(w, server, prefix)
    assert _type(w, query) in ("没有找到符合条件的结果", "沒有符合的項目", "No matching documents")
    fetched = [u.split("/np-search/")[1].split("?")[0] for u in requests if "/np-search/" in u]
    assert len(fetched) == 3 and "index.json" in fetched and "chars.json.gz" in fetched, fetched
    assert not [f for f in fetched if f.startswith("t")], fetched  # no text pack
    w.check()
    w.close()


def test_every_occurrence_is_marked_and_the_headline_too(browser, server):  # noqa: F811
    w = Watched(browser, server)
    _open(w, server, "/")
    assert _type(w, "农民工") == "2个符合条件的结果"
    results = _results(w)
    assert {r["href"].rstrip("/").rsplit("/", 1)[1] for r in results} == {"a2", "a4"}
    for r in results:
        assert r["titleMarks"] == ["农民工"] * r["titleText"].count("农民工")
        assert r["marks"] == ["农民工"] * r["excerptText"].count("农民工") and len(r["marks"]) >= 2
        body = r["excerptText"].lstrip("…")
        assert not body.startswith(r["titleText"])  # the headline is not run into the excerpt
    w.check()
    w.close()


def test_punctuation_inside_a_phrase_is_ignored(browser, server):  # noqa: F811
    w = Watched(browser, server)
    _open(w, server, "/")
    for query in ("就业服务鼓励农民", "就业服务，鼓励农民"):
        _type(w, query)
        [result] = _results(w)
        assert result["href"].endswith("/a2/")
        assert result["marks"] == ["就业服务。鼓励农民"]  # the mark spans the full stop of the text
    w.check()
    w.close()


def test_english_excerpts_are_cut_between_words(browser, server, site_root):  # noqa: F811
    words = set()
    for page in (site_root / "en" / "notices" / SEED_SLUG).glob("a?/index.html"):
        text = search_index.article_text(page.read_text(encoding="utf-8"))
        for block in text[1]:
            words.update(re.findall(r"[\w'-]+", block))
    w = Watched(browser, server)
    _open(w, server, "/en/")
    for query in ("elderly care", "migrant", "Spring Festival", "children"):
        _type(w, query)
        results = _results(w)
        assert results, query
        for r in results:
            excerpt = r["excerptText"]
            assert excerpt.startswith("…") or excerpt[:1].isupper(), excerpt
            pieces = re.findall(r"[\w'-]+", excerpt.replace("…", " "))
            assert pieces and all(p in words for p in pieces), (query, [p for p in pieces if p not in words])
            assert [m.lower() for m in r["marks"]] == [query.lower()] * excerpt.lower().count(query.lower())
    w.check()
    w.close()


def _truth(site: Path, prefix: str, query: str) -> set[str]:
    q = search_index.normalize(query, FOLD).removeprefix(" ")
    found = set()
    for page in (site / prefix).glob("notices/*/*/index.html"):
        text = search_index.article_text(page.read_text(encoding="utf-8"))
        if text and any(q in search_index.normalize(b, FOLD) for b in (text[0], *text[1])):
            found.add("/" + page.parent.relative_to(site).as_posix() + "/")
    return found


@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_recall_and_precision_on_substrings_in_both_scripts(browser, server, site_root, prefix):  # noqa: F811
    """Random substrings (1-12 characters, punctuation included) of the articles, typed in either script,
    find exactly the articles that hold them."""
    rng = random.Random(len(prefix))
    texts = []
    for page in sorted((site_root / prefix).glob(f"notices/{SEED_SLUG}/a?/index.html")):
        title, blocks = search_index.article_text(page.read_text(encoding="utf-8"))
        texts += [title, *blocks]
    queries = ["北京", "的", "農", "养老"]
    for _ in range(30):
        text = rng.choice(texts)
        k = rng.randint(1, 12)
        start = rng.randrange(max(1, len(text) - k))
        queries.append(text[start:start + k])
    import opencc

    other = opencc.OpenCC("t2s" if prefix else "s2t")
    queries += [other.convert(q) for q in queries[4:14]]
    w = Watched(browser, server)
    _open(w, server, "/" + prefix)
    for query in queries:
        if not search_index.normalize(query).strip():
            continue
        got = set(w.page.evaluate("q => window.noticepubSearch.all(q)", query))
        assert got == _truth(site_root, prefix, query), query
    w.check()
    w.close()


@pytest.fixture(scope="module")
def pending_server(tmp_path_factory):
    """The seed and a notice with no English yet (its English pages show the Chinese, pending)."""
    from browser.test_browser import static_server
    from conftest import REPO, built_site, copy_project

    project = copy_project(tmp_path_factory.mktemp("pending") / "project")
    folder = project / "source_texts" / "holdout-page4"
    folder.mkdir()
    (folder / "raw.txt").write_text((REPO / "tests" / "holdout" / "page4.txt").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    (folder / "notice.yml").write_text("date: 2026-01-09\n", encoding="utf-8")
    site = built_site(project) / "site"
    with static_server(site) as base:
        yield base, site


def test_chinese_results_on_the_english_site_are_marked_as_chinese(browser, pending_server):  # noqa: F811
    base, site = pending_server
    texts = [search_index.article_text(p.read_text(encoding="utf-8"))
             for p in sorted((site / "en" / "notices").glob("*/a*/index.html")) if SEED_SLUG not in p.as_posix()]
    title, blocks = next(t for t in texts if t is not None and re.search(r"[\u4e00-\u9fff]{4}", " ".join(t[1])))
    query = next(m for m in re.findall(r"[\u4e00-\u9fff]{4}", " ".join(blocks)))
    w = Watched(browser, base)
    _open(w, base, "/en/")
    _type(w, query)
    assert _results(w)
    untagged = w.page.evaluate("""() => {
        const out = [], walker = document.createTreeWalker(document.querySelector('.md-search-result__list'),
                                                           NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (/[\\u4e00-\\u9fff]/.test(node.data) && !node.parentElement.closest('[lang^="zh"]')) out.push(node.data);
        }
        return out;
    }""")
    assert untagged == []
    assert w.page.locator(".md-search-result__list span[lang='zh-Hans']").count() > 0
    w.check()
    w.close()
