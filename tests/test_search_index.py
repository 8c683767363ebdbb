"""Search tokenization (the browser does the same in overrides/assets/search.js) and the character map."""

from __future__ import annotations

import json

from noticepub.search_index import bigram_tokens, char_map, detokenize, encode, index_html, tokenize


def test_bigrams_one_token_per_character():
    assert bigram_tokens("养老机构") == ["养老", "老机", "机构", "构"]
    assert bigram_tokens("民") == ["民"]
    assert encode("养老") == "x0517bx08001" and encode("𠀀") == "x20000"
    expected = " ".join(encode(t) for t in ["春暖", "暖农", "农民", "民工", "工"])
    assert tokenize("春暖农民工，2023年") == f" {expected} ，2023 {encode('年')} "


def test_every_word_inside_a_compound_is_a_run_of_tokens():
    tokens = tokenize("留守儿童").split()
    assert encode("儿童") in tokens  # 儿童 inside 留守儿童: the query's only bigram is indexed
    tokens = tokenize("春暖农民工").split()
    assert encode("民工") in tokens and encode("农民") in tokens
    assert all(t.isascii() for t in tokens)


def test_detokenize_restores_the_text():
    for text in ("河北11部门开展“春暖农民工”服务行动", "据民政部官网", "a b  c", "养", "𠀀字", "hex x0abcd stays"):
        assert detokenize(tokenize(text)) == text
    # spaces next to Han characters are not kept (queries are compared the same way)
    assert detokenize(tokenize("Civil Affairs 民政部 news")) == "Civil Affairs民政部news"


def test_index_html_tokenizes_text_not_markup_and_drops_scripts():
    html = ('<html lang="zh-Hans"><head><script>var a = "养老";</script></head>'
            '<body><div data-pagefind-body><h1 title="养老">养老机构</h1></div></body></html>')
    out = index_html(html, "zh-Hans")
    assert out.startswith('<html lang="und">')
    assert f"<h1 title=\"养老\"> {tokenize('养老机构').strip()} </h1>" in out
    assert "<script>" not in out
    assert index_html(html, "en").startswith('<html lang="en">')


def test_char_map_joins_both_scripts_and_variant_forms():
    lines = char_map(["為農民工", "与"]).splitlines()
    by_first = {line.split("\t")[0]: line for line in lines}
    assert "为" in by_first["為"] and "爲" in by_first["為"]  # the site uses 為: it comes first
    assert "农" in by_first["農"]
    assert "與" in by_first["与"]
    assert not any(line.startswith("工") for line in lines)  # 工 has no other form


def test_html_pages_of_this_language_only(tmp_path):
    from noticepub.search_index import _html_digests

    (tmp_path / "notices" / "a1").mkdir(parents=True)
    (tmp_path / "notices" / "a1" / "index.html").write_text("<div data-pagefind-body>文</div>", encoding="utf-8")
    nested = tmp_path / "zh-Hant" / "notices" / "a1"
    nested.mkdir(parents=True)
    (nested / "index.html").write_text("<div data-pagefind-body>文</div>", encoding="utf-8")
    (tmp_path / "zh-Hant" / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    assert list(_html_digests(tmp_path)) == ["notices/a1/index.html"]
    assert list(_html_digests(tmp_path / "zh-Hant")) == ["notices/a1/index.html"]


def test_indexed_part_is_the_marked_body_with_nested_divs():
    from noticepub.search_index import indexed_part

    html = ('<!doctype html><html lang="zh-Hans" class="x"><head><title>标题</title><script>x</script></head>'
            '<body><nav>导航</nav><div class="a"><div data-pagefind-body><h1>标题</h1><div><p>正文</p></div>'
            '<div class="np-provenance">来源</div></div><footer>页脚</footer></div></body></html>')
    part = indexed_part(html)
    assert part is not None
    assert '<html lang="zh-Hans" class="x">' in part and "<title>标题</title>" in part
    assert "<div data-pagefind-body><h1>标题</h1><div><p>正文</p></div><div class=\"np-provenance\">来源</div></div>" in part
    assert "导航" not in part and "页脚" not in part and "<script>" not in part
    assert indexed_part("<html><body><div>没有标记</div></body></html>") is None


def test_tokenize_is_the_encoded_bigrams():
    from noticepub.search_index import tokenize

    assert tokenize("养老机构 and 人") == " x0517bx08001 x08001x0673a x0673ax06784 x06784  and  x04eba "


def _index_files(bundle):
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_index_from_the_indexed_part_equals_the_index_of_whole_pages(tmp_path, repo_root):
    """Pagefind reads only the marked body, the title and the language: the same index either way;
    and a second run that reuses the prepared pages gives the same bundle as a first run."""
    import shutil
    import subprocess

    from conftest import built_site, copy_project
    from noticepub import search_index as si

    project = built_site(copy_project(tmp_path / "project"))
    site = project / "site"
    whole = tmp_path / "whole"
    for rel in si._html_digests(site):
        html = (site / rel).read_text(encoding="utf-8")
        if si.BODY_MARK in html:
            (whole / rel).parent.mkdir(parents=True, exist_ok=True)
            (whole / rel).write_text(si.index_html(html, "zh-Hans"), encoding="utf-8")
    subprocess.run([*si._pagefind(), "--site", str(whole), "--output-path", str(tmp_path / "b-whole"), "--silent",
                    "--exclude-selectors", ", ".join(si.EXCLUDE_SELECTORS)], check=True, capture_output=True)
    report = si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "b-part")
    assert report.pages == 4 and list(report.shards) == [0] and report.indexed == (0,)
    got, want = _index_files(tmp_path / "b-part" / "0"), _index_files(tmp_path / "b-whole")
    assert "pagefind-entry.json" in got
    assert {k: v for k, v in want.items() if k in got} == got
    assert (tmp_path / "b-part" / "np-shards.json").read_text(encoding="utf-8") == '{"shards": ["0/"]}\n'
    assert (tmp_path / "b-part" / "np-chars.txt").is_file()
    digests = si._html_digests(site)
    assert si.build_search_index(site, "zh-Hans", tmp_path / "work2", tmp_path / "b-1", digests).indexed == (0,)
    shutil.copytree(tmp_path / "b-1", tmp_path / "b-1-copy")
    (tmp_path / "work2" / "pages" / "stray.html").write_text("<html><body>x</body></html>", encoding="utf-8")
    again = si.build_search_index(site, "zh-Hans", tmp_path / "work2", tmp_path / "b-1", digests)
    assert again.indexed == ()  # nothing changed: no shard indexed again
    assert _index_files(tmp_path / "b-1") == _index_files(tmp_path / "b-1-copy")
    assert _index_files(tmp_path / "b-1" / "0") == got


def _article(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-Hans"><head><title>{title}</title></head><body><nav>导航</nav>'
            f'<div data-pagefind-body><h1>{title}</h1><p>{body}</p></div></body></html>')


def test_shards_group_a_notice_and_reindex_only_what_changed(tmp_path, monkeypatch):
    """With small shards: a notice's pages share one shard, a changed page re-indexes only its shard, and
    the result equals a fresh build byte for byte."""
    from noticepub import search_index as si

    monkeypatch.setattr(si, "SHARD_PAGES", 2)
    site = tmp_path / "site"
    for n in range(6):
        for a in ("a1", "a2"):
            page = site / "notices" / f"n{n}" / a / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(_article(f"通知{n}{a}", f"养老服务第{n}篇{a}。"), encoding="utf-8")
    (site / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    first = si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out", si._html_digests(site))
    assert first.pages == 12 and len(first.shards) == 8 == si.shard_count(12)
    assert sorted(first.indexed) == sorted(first.shards)
    assert {si.shard_of(f"notices/n3/{a}/index.html", 8) for a in ("a1", "a2")} == {si.shard_of("notices/n3/x", 8)}
    listed = json.loads((tmp_path / "out" / "np-shards.json").read_text(encoding="utf-8"))["shards"]
    entries = [json.loads((tmp_path / "out" / s / "pagefind-entry.json").read_text(encoding="utf-8")) for s in listed]
    assert sum(e["languages"]["und"]["page_count"] for e in entries) == 12
    changed = site / "notices" / "n3" / "a2" / "index.html"
    changed.write_text(_article("通知3a2", "养老服务第3篇已更新。"), encoding="utf-8")
    second = si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out", si._html_digests(site))
    assert second.indexed == (si.shard_of("notices/n3/a2/index.html", 8),)
    fresh = si.build_search_index(site, "zh-Hans", tmp_path / "work-fresh", tmp_path / "out-fresh")
    assert _index_files(tmp_path / "out") == _index_files(tmp_path / "out-fresh")
    assert fresh.shards == second.shards
    si._code_key.cache_clear()  # new indexing code (or another Pagefind): nothing of the old work is reused
    monkeypatch.setattr(si, "__file__", str(tmp_path / "search_index_v2.py"))
    (tmp_path / "search_index_v2.py").write_text("# another version of the module\n", encoding="utf-8")
    try:
        third = si.build_search_index(site, "zh-Hans", tmp_path / "work", tmp_path / "out", si._html_digests(site))
    finally:
        si._code_key.cache_clear()
    assert sorted(third.indexed) == sorted(third.shards)
