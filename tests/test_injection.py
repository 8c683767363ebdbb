"""Hostile source text comes out as literal text in all three languages: no element, attribute,
link or template expression from the input reaches the built site."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import built_site, copy_project

HOSTILE_PAGE = """\
<script>alert(1)</script>民政部通知: "引号" # {{ config.site_name }} {% if 1 %}x{% endif %}

民政部 <img src=x onerror=alert(2)> 发布通知，[点击](javascript:alert(3)) 查看*重点*和_内容_以及`代码`。
| 表格 | 竖线 | 反斜杠 \\ 与 --- 分隔线，<iframe src="https://evil.example/"></iframe>的内容。

1. 列表开头的数字与 > 引用符号，还有 ![图](x.png){: onclick="alert(4)" } 和 <a href="javascript:alert(5)">链接</a>。
--- 破折号开头的一行也只是文字。
# 井号开头的一行也只是文字。（据<b>新华社</b>）
"""

FORBIDDEN = re.compile(r"alert\(\d\)")


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project", with_seed=False)
    folder = project / "source_texts" / "hostile-1"
    folder.mkdir()
    (folder / "raw.txt").write_text(HOSTILE_PAGE, encoding="utf-8")
    (folder / "notice.yml").write_text(
        'publication: "报纸: <script>alert(6)</script> # {{ x }}"\ntags: ["<b>标签</b>", "a: b"]\n', encoding="utf-8")
    return built_site(project)


def test_markdown_sources_are_inert(hostile_site):
    for page in (hostile_site / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[-1]
        assert "<script" not in body and "<iframe" not in body and "<img" not in body, page
        assert "{{" not in body and "{%" not in body, page


def test_built_html_has_no_element_or_attribute_from_the_input(hostile_site):
    pages = list((hostile_site / "site").rglob("*.html"))
    assert len(pages) > 10
    seen_literal = False
    for page in pages:
        html = page.read_text(encoding="utf-8")
        parser = Elements()
        parser.feed(html)
        for tag, attrs in parser.found:
            assert tag not in {"iframe"}, page
            for name, value in attrs.items():
                assert not name.startswith("on"), (page, tag, name)
                assert not (value or "").strip().lower().startswith("javascript:"), (page, tag, value)
            # text may appear inside an attribute (e.g. the description), escaped: that is literal text
            assert not (tag == "img" and attrs.get("src") == "x"), page
        scripts = re.findall(r"<script(?![^>]*application/ld\+json)[^>]*>(.*?)</script>", html, flags=re.S)
        assert not any(FORBIDDEN.search(s) for s in scripts), page
        # JSON-LD is data, never run: it may quote the input, as JSON with no < or > that could end its element
        for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S):
            assert "<" not in data and ">" not in data and json.loads(data)["@type"] == "NewsArticle", page
        if "&lt;script&gt;alert(1)&lt;/script&gt;" in html:
            seen_literal = True
    assert seen_literal  # the text is shown, escaped, not dropped


def _notice(hostile_site: Path) -> str:
    """The hostile notice's readable URL folder (named from its publication, not its id)."""
    [md] = (hostile_site / "docs" / "zh-Hans" / "notices").glob("*/a1.md")
    return md.parent.name


def test_yaml_breaking_title_and_metadata_survive(hostile_site):
    page = hostile_site / "site" / "notices" / _notice(hostile_site) / "a1" / "index.html"
    html = page.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1)
    assert "&lt;script&gt;" in title and "<script>" not in title
    assert "{{ config.site_name }}" in html.replace("&#123;", "{").replace("&#125;", "}") or "{{" in html
    assert "民政部通知" in html


def test_all_three_languages_built(hostile_site):
    for prefix in ("", "zh-Hant/", "en/"):
        assert (hostile_site / "site" / prefix / "notices" / _notice(hostile_site) / "a1" / "index.html").is_file()
