"""Search tokenization (the browser does the same in overrides/assets/search.js) and the character map."""

from __future__ import annotations

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


def test_article_pages_are_marked_pages_of_this_language_only(tmp_path):
    from noticepub.search_index import article_pages

    (tmp_path / "notices" / "a1").mkdir(parents=True)
    (tmp_path / "notices" / "a1" / "index.html").write_text("<div data-pagefind-body>文</div>", encoding="utf-8")
    (tmp_path / "tags").mkdir()
    (tmp_path / "tags" / "index.html").write_text("<div>文</div>", encoding="utf-8")
    nested = tmp_path / "zh-Hant" / "notices" / "a1"
    nested.mkdir(parents=True)
    (nested / "index.html").write_text("<div data-pagefind-body>文</div>", encoding="utf-8")
    (tmp_path / "zh-Hant" / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    assert article_pages(tmp_path) == [tmp_path / "notices" / "a1" / "index.html"]
    assert article_pages(tmp_path / "zh-Hant") == [nested / "index.html"]
