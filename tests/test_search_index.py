"""The search index (scripts/noticepub/search_index.py): normalized text, article text, trigram and
character lists that confirm or reject a query without any page, incremental equal to fresh.
The browser side (overrides/assets/search.js) is checked in tests/browser/test_search.py."""

from __future__ import annotations

import gzip
import json
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noticepub import search_index as si

FOLD = si.fold_table(si.char_classes())


def _read(path):
    data = path.read_bytes()
    return json.loads(gzip.decompress(data)) if data[:2] == b"\x1f\x8b" else json.loads(data)


def test_normalize_drops_punctuation_and_marks_word_starts():
    assert si.normalize("就业服务。鼓励农民") == "就业服务鼓励农民"
    assert si.normalize("「就业服务」，鼓励 农民！") == "就业服务鼓励农民"
    assert si.normalize("Elderly-care, homes") == " elderly care homes"
    assert si.normalize("2024年6月，民政部Civil Affairs") == " 2024年 6月民政部 civil affairs"
    assert si.normalize("ＣＯＶＩＤ－１９") == " covid 19"  # NFKC: full-width forms
    assert si.normalize("。。。") == ""
    # Simplified and Traditional read the same once folded
    assert si.normalize("養老機構為農民工", FOLD) == si.normalize("养老机构为农民工", FOLD)
    assert si.normalize("着", FOLD) == si.normalize("著", FOLD)


def _machine(text: str, fold) -> str:
    """search.js's normalize, character by character (the reference the regular expressions must equal)."""
    import unicodedata

    clusters: list[str] = []  # a character with the combining marks after it
    for c in text:
        if clusters and unicodedata.category(c).startswith("M"):
            clusters[-1] += c
        else:
            clusters.append(c)
    out, prev, sep = [], 0, False
    for c in clusters:
        for d in unicodedata.normalize("NFKC", c).lower():
            if re.match(f"[{si.HAN}]", d):
                out.append(chr(fold.get(ord(d), ord(d))))
                prev, sep = 1, False
            elif d.isalnum():
                if prev != 2 or sep:
                    out.append(" ")
                out.append(d)
                prev, sep = 2, False
            else:
                sep = True
    return "".join(out)


@given(st.text(alphabet=st.sampled_from(list("养老機構农民工 ,.。，「」-_abcAB12１２é\u0301\n\t") + ["𠀀"]), max_size=30))
def test_normalize_equals_the_browsers_character_machine(text):
    assert si.normalize(text, FOLD) == _machine(text, FOLD)


def test_article_text_is_the_headline_and_blocks_without_excluded_parts():
    html = ('<html><head><title>标题 - 站</title></head><body><nav>导航</nav><div class="a"><div data-pagefind-body>'
            '<h1 id="x">标题<a class="headerlink" href="#x">¶</a></h1><p>第一段，<em>强调</em>。</p>'
            '<ul><li>甲</li><li>乙</li></ul><div class="admonition np-provenance" data-pagefind-ignore><p>来源</p></div>'
            '<details class="np-technical"><summary>技术</summary><p>哈希</p></details>'
            '<table><tr><td>单元</td><td>格</td></tr></table><p>末段</p></div><footer>页脚</footer></div></body></html>')
    title, blocks = si.article_text(html)
    assert title == "标题"
    assert blocks == ["第一段，强调。", "甲", "乙", "单元", "格", "末段"]
    assert si.article_text("<html><body><div>没有标记</div></body></html>") is None


def _page(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="zh-Hans"><head><title>{title}</title></head><body>'
            f'<div data-pagefind-body><h1>{title}</h1>{body}</div></body></html>')


def _site(tmp_path, pages: dict[str, str]):
    site = tmp_path / "site"
    for rel, html in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(html, encoding="utf-8")
    (site / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    return site


class Index:
    """The browser's reading of an index, in Python: which documents a normalized query holds."""

    def __init__(self, out):
        self.out = out
        self.meta = json.loads((out / si.SHARDS_FILE).read_text(encoding="utf-8"))
        self.fetched: list[str] = []

    def _file(self, name):
        self.fetched.append(name)
        return _read(self.out / name)

    @staticmethod
    def _ids(deltas):
        out, n = [], 0
        for d in deltas:
            n += d
            out.append(n)
        return out

    def find(self, query: str) -> tuple[list[int], bool]:
        q = si.normalize(query, FOLD)
        if not self.meta["wordStart"] and q.startswith(" "):
            q = q[1:]
        if len(q) <= 3:
            folder, count = {1: ("c", "chars"), 2: ("b", "bigrams"), 3: ("g", "grams")}[len(q)]
            bucket = self._file(f"{folder}/{si.bucket_of(q, self.meta[count])}.json.gz")
            return self._ids(bucket.get(q, [])), True
        lists = [set(self._ids(self._file(f"g/{si.bucket_of(q[i:i + 3], self.meta['grams'])}.json.gz")
                               .get(q[i:i + 3], []))) for i in range(len(q) - 2)]
        return sorted(set.intersection(*lists)), False

    def text(self, doc: int):
        pack = _read(self.out / f"t{doc // self.meta['group']}/{doc // self.meta['pack']}.json.gz")
        return pack[doc % self.meta["pack"]]


def test_two_and_one_character_queries_are_answered_by_the_lists_alone(tmp_path):
    pages = {"notices/n1/a1/index.html": _page("养老服务", "北方天气。京剧演出。"),
             "notices/n2/a1/index.html": _page("农民工", "春暖农民工服务行动，就业服务。鼓励农民工参加培训。"),
             "notices/n3/a1/index.html": _page("北京来信", "首都北京。")}
    site = _site(tmp_path, pages)
    si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out")
    index = Index(tmp_path / "out")
    assert index.meta["docs"] == 3
    assert index.find("北京") == ([2], True)       # 北 and 京 apart on n1 do not make it a result
    assert index.find("上海") == ([], True)
    assert index.find("北") == ([0, 2], True)
    assert index.find("京剧") == ([0], True)
    assert index.find("就业服务鼓励农民") == ([1], False)  # punctuation ignored inside the phrase
    assert index.find("就业服务，鼓励农民") == ([1], False)
    assert index.find("务鼓") == ([1], True)
    assert index.find("来信首都") == ([], False)   # headline and body are two blocks
    assert index.find("農民工") == ([1], True)     # Traditional finds Simplified
    assert index.text(2)[:2] == ["notices/n3/a1/", "北京来信"]
    assert index.text(2)[2] == ["首都北京。"]
    assert all(re.fullmatch(r"[cbg]/\d+\.json\.gz", name) for name in index.fetched)


def test_english_queries_match_at_word_starts(tmp_path):
    pages = {"notices/n1/a1/index.html": _page("Elderly care", "Healthcare for the elderly; care homes."),
             "notices/n2/a1/index.html": _page("Migrant workers", "Caregivers and careers.")}
    site = _site(tmp_path, pages)
    si.build_search_index(site, "en", tmp_path / "work", tmp_path / "out")
    index = Index(tmp_path / "out")
    assert index.meta["wordStart"] is True
    assert index.find("care")[0] == [0, 1]    # care, caregivers, careers; never inside healthcare
    assert index.find("are") == ([], False)   # no word starts with "are"
    assert index.find("elderly care")[0] == [0]
    assert index.find("elderly, care")[0] == [0]


@pytest.mark.parametrize("seed", range(3))
def test_lists_are_exact_for_substrings_of_random_texts(tmp_path, seed):
    """Every substring of up to three characters of a document finds exactly the documents holding it."""
    rng = random.Random(seed)
    alphabet = "养老机构农民工儿童服务北京上海，。、"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 40))) for _ in range(30)]
    pages = {f"notices/n{i:02d}/a1/index.html": _page(f"题{i}", t) for i, t in enumerate(texts)}
    site = _site(tmp_path, pages)
    si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out")
    index = Index(tmp_path / "out")
    norm = [si.normalize(t) for t in texts]
    queries = {n[i:i + k] for n in norm for k in (1, 2, 3) for i in range(len(n) - k + 1)}
    queries |= {"北京", "上海", "京北"}
    for q in sorted(queries):
        want = [d for d, n in enumerate(norm) if q in n]
        got, exact = index.find(q)
        assert exact and got == want, q
    for q in sorted({n[i:i + 6] for n in norm for i in range(0, len(n) - 6, 5)}):  # longer: a superset
        got, exact = index.find(q)
        assert not exact and set(got) >= {d for d, n in enumerate(norm) if q in n}


def test_buckets_split_by_size_and_files_are_compressed(tmp_path):
    rng = random.Random(7)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    pages = {f"notices/n{i:03d}/a1/index.html": _page(f"题{i}", "".join(rng.choice(chars) for _ in range(400)))
             for i in range(200)}
    site = _site(tmp_path, pages)
    si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out", si._html_digests(site), 64)
    out = tmp_path / "out"
    meta = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert meta["grams"] > 4 and meta["grams"] & (meta["grams"] - 1) == 0
    assert meta["group"] == 64 and meta["pack"] == si.PACK_DOCS
    assert sorted(p.name for p in out.iterdir()) == ["b", "c", "chars.json.gz", "g", "index.json", "t0", "t1", "t2", "t3"]
    sizes = [p.stat().st_size for p in (out / "g").iterdir()]
    assert max(sizes) < 4 * si.BUCKET_BYTES
    assert all(p.read_bytes()[:2] == b"\x1f\x8b" for p in out.rglob("*.gz"))
    # three quarters of the pages gone: fewer buckets, and the same files and keys as a fresh run
    for rel in list(pages)[:150]:
        (site / rel).unlink()
    si.build_search_index(site, "zh-Hans", tmp_path / "work", out, si._html_digests(site), 64)
    si.build_search_index(site, "zh-Hans", tmp_path / "work-fresh", tmp_path / "fresh", None, 64)
    assert json.loads((out / "index.json").read_text(encoding="utf-8"))["grams"] < meta["grams"]
    assert si.index_shards(tmp_path / "work") == si.index_shards(tmp_path / "work-fresh")
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        p.relative_to(tmp_path / "fresh").as_posix(): p.read_bytes() for p in (tmp_path / "fresh").rglob("*") if p.is_file()}


def test_incremental_equals_fresh_and_writes_only_what_changed(tmp_path, monkeypatch):
    from noticepub.search_index import _html_digests

    monkeypatch.setattr(si, "PACK_DOCS", 8)  # small packs: two folders of packs for twelve pages
    pages = {f"notices/n{i}/a{j}/index.html": _page(f"通知{i}{j}", f"养老服务第{i}篇{j}。")
             for i in range(6) for j in (1, 2)}
    site = _site(tmp_path, pages)
    first = si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out", _html_digests(site), 8)
    assert first.pages == 12 and set(first.indexed) == set(first.shards) == {"b", "c", "g", "t0", "t1"}
    assert si.index_shards(tmp_path / "work") == first.shards  # what site.py publishes, folder by folder
    again = si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out", _html_digests(site), 8)
    assert again.indexed == () and again.shards == first.shards
    (site / "notices/n5/a2/index.html").write_text(_page("通知52", "养老服务第5篇已更新。"), encoding="utf-8")
    changed = si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out", _html_digests(site), 8)
    assert "t1" in changed.indexed and "t0" not in changed.indexed
    fresh = si.build_search_index(site, "zh-Hans", tmp_path / "work-fresh", tmp_path / "out-fresh", None, 8)
    def tree(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert tree(tmp_path / "out") == tree(tmp_path / "out-fresh") and fresh.shards == changed.shards
    assert Index(tmp_path / "out").find("已更新") == ([11], True)
    # a notice after the others (appended), one before them (every number moves), a page gone, a lost pack
    steps = [lambda: _write(site, "notices/n9/a1/index.html", _page("通知91", "新增的一篇，养老。")),
             lambda: _write(site, "notices/n0a/a1/index.html", _page("通知0a", "插在中间的一篇。")),
             lambda: (site / "notices/n3/a1/index.html").unlink(),
             lambda: (tmp_path / "out" / "t0" / "0.json.gz").unlink()]
    for n, step in enumerate(steps):
        step()
        report = si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out", _html_digests(site), 8)
        si.build_search_index(site, "zh-Hans", tmp_path / f"work-{n}", tmp_path / f"fresh-{n}", None, 8)
        assert tree(tmp_path / "out") == tree(tmp_path / f"fresh-{n}"), n
        assert si.index_shards(tmp_path / "work") == si.index_shards(tmp_path / f"work-{n}"), n
        if n == 0:
            assert report.indexed == ("b", "c", "g", "t1")  # appended: its pack, the lists it touches
    assert Index(tmp_path / "out").find("插在中间") == ([2], False)
    assert Index(tmp_path / "out").find("养老服务第3篇") == ([7], False)  # n3/a2 only, n3/a1 is gone


def _write(site, rel, html):
    (site / rel).parent.mkdir(parents=True, exist_ok=True)
    (site / rel).write_text(html, encoding="utf-8")


def test_char_map_lists_the_classes_used_root_first():
    classes = si.char_classes()
    lines = si.char_map(["為農民工", "与"], classes)
    by_root = {line[0]: line for line in lines}
    assert "为" in by_root and "為" in by_root["为"] and "爲" in by_root["为"]
    assert "農" in by_root[classes["农"]]
    assert not any("工" in line for line in lines)  # 工 has no other form


def test_planted_or_tampered_state_runs_nothing_and_the_index_equals_a_clean_build(tmp_path):
    """Issue 25: the work state is signed JSON; a planted pickle or an edited state only makes a rebuild."""
    import pickle

    from noticepub.search_index import _html_digests

    def tree(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    pages = {f"notices/n{i}/a1/index.html": _page(f"通知{i}", f"养老服务第{i}篇。") for i in range(4)}
    site = _site(tmp_path, pages)
    work, out = tmp_path / "work", tmp_path / "out"
    si.build_search_index(site, "zh-Hans", work, out, _html_digests(site))
    state = work / "state.json"
    assert not (work / "state.pickle").exists() and state.read_bytes().startswith(b"noticepub-signed-v1 ")

    class Boom:  # what unpickling it would run
        def __reduce__(self):
            return (open, (str(tmp_path / "PWNED"), "w"))

    (work / "state.pickle").write_bytes(pickle.dumps(Boom()))
    # an edit that, if believed, would keep the old text of a changed page: its recorded digest is the new one
    _write(site, "notices/n2/a1/index.html", _page("通知2", "已经更新的内容。"))
    digests = _html_digests(site)
    head, _, payload = state.read_bytes().partition(b"\n")
    data = json.loads(payload)
    data["pages"]["notices/n2/a1/index.html"][0] = digests["notices/n2/a1/index.html"]
    state.write_bytes(head + b"\n" + json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    si.build_search_index(site, "zh-Hans", work, out, digests)
    si.build_search_index(site, "zh-Hans", tmp_path / "work-fresh", tmp_path / "fresh", None)
    assert not (tmp_path / "PWNED").exists() and not (work / "state.pickle").exists()
    assert tree(out) == tree(tmp_path / "fresh")
    assert Index(out).find("已经更新") == ([2], False)
    # garbage and a state signed by another machine's key are ignored the same way
    for planted in (b"\x80\x04garbage", b"noticepub-signed-v1 " + b"0" * 64 + b"\n" + payload):
        state.write_bytes(planted)
        assert si.index_shards(work) == {}
        si.build_search_index(site, "zh-Hans", work, out, digests)
        assert tree(out) == tree(tmp_path / "fresh")
        assert si.index_shards(work) == si.index_shards(tmp_path / "work-fresh")
