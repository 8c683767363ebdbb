"""Page weight at archive scale (scripts/noticepub/mkdocs_hooks.py): indentation squeezed out of pages,
one copy of the theme assets for the three languages, interface icons from one sprite. The built site's
files are checked in tests/browser/test_browser.py (test_site_publishes_one_copy_of_the_theme)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import material
import pytest

from conftest import REPO

_spec = importlib.util.spec_from_file_location("np_hooks", REPO / "scripts" / "noticepub" / "mkdocs_hooks.py")
hooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hooks)  # type: ignore[union-attr]
THEME_DIR = str(Path(material.__file__).parent / "templates")


def test_squeeze_drops_indentation_and_blank_lines_but_keeps_verbatim_elements():
    html = ("<div>\n    <p>甲\n\n      乙 <b>x</b>\n<i>y</i>\n</p>\n  <pre>\n  code  \n\n  <div>\n</div></pre>\n"
            "  <textarea>\n  t</textarea>\n  <script>\n  var a = `\n  <p>\n<p>`;\n</script>\n</div>\n"
            "<a>1</a>\n<a>2</a>\n")
    assert hooks.squeeze(html) == (
        "<div><p>甲\n乙 <b>x</b>\n<i>y</i></p><pre>\n  code  \n\n  <div>\n</div></pre>"
        "<textarea>\n  t</textarea><script>\n  var a = `\n  <p>\n<p>`;\n</script></div>"
        "<a>1</a>\n<a>2</a>\n")  # between inline elements a line break is a space: kept
    assert hooks.squeeze("a  b\tc") == "a  b\tc"  # spaces inside a line are the text's own


def test_pages_of_a_prefixed_language_load_the_root_copy_of_the_assets():
    page = ('<link href="../../../assets/stylesheets/main.css"><script src="assets/search.js"></script>'
            '<link href="/en/assets/x.css"><link href="/repo/zh-Hant/assets/y.css">'
            '<script id="__config">{"search": "../assets/w.js"}</script>'
            '<a href="../../tags/assets/">a tag named assets</a><p>"assets/ in text"</p>')
    assert hooks._root_assets(page) == (
        '<link href="../../../../assets/stylesheets/main.css"><script src="../assets/search.js"></script>'
        '<link href="/assets/x.css"><link href="/repo/assets/y.css">'
        '<script id="__config">{"search": "../../assets/w.js"}</script>'
        '<a href="../../tags/assets/">a tag named assets</a><p>"assets/ in text"</p>')


class _Config(dict):
    class theme:  # noqa: N801 - stands in for MkDocs' config.theme
        dirs = [THEME_DIR]


def test_interface_icons_become_references_to_one_sprite(tmp_path):
    icon = (Path(THEME_DIR) / ".icons" / "material" / "magnify.svg").read_text(encoding="utf-8").strip()
    other = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0h1v1z"/></svg>'
    page = f'<label class="md-icon">{icon}</label><span>{other}</span>'
    out = hooks._sprite_refs(page, 3, _Config())
    assert out == ('<label class="md-icon"><svg viewBox="0 0 24 24"><use href="../../../assets/icons.svg#magnify"/>'
                   f'</svg></label><span>{other}</span>')  # an icon not in the sprite stays inline
    config = _Config(site_dir=str(tmp_path))
    hooks._write_sprite(config)
    sprite = (tmp_path / "assets" / "icons.svg").read_text(encoding="utf-8")
    assert sprite.count("<symbol ") == len(hooks.ICONS) and '<symbol id="magnify" viewBox="0 0 24 24">' in sprite
    assert icon.split('<path d="')[1].split('"')[0] in sprite


@pytest.mark.parametrize("uri", ["assets/javascripts/lunr/min/lunr.ja.min.js", "assets/javascripts/lunr/tinyseg.js",
                                 "assets/stylesheets/main.57a0d79d.min.css.map"])
def test_unused_theme_files_are_recognized(uri):
    assert hooks._UNUSED.search(uri)


@pytest.mark.parametrize("uri", ["assets/javascripts/bundle.a5f9d56c.min.js", "assets/stylesheets/main.57a0d79d.min.css",
                                 "assets/bilingual.js", "notices/x/a1/index.html"])
def test_used_files_are_kept(uri):
    assert not hooks._UNUSED.search(uri)


def test_line_breaks_that_never_render_go_and_those_that_do_stay():
    nav = ('<li class="md-nav__item"><a href="../archive/" class="md-nav__link">\n<span class="md-ellipsis">\n按月归档\n'
           '</span>\n</a></li>')
    topic = '<div class="md-header__topic"><span class="md-ellipsis">\n民政新闻三语文库\n</span></div>'
    top = '<button class="md-top md-icon">\n<svg viewBox="0 0 24 24"></svg>\n回到页面顶部\n</button>'
    text = "<p>甲\n乙 <b>x</b>\n<i>y</i></p>"
    assert hooks._FLEX_BREAK.sub("", nav + topic + top + text) == (
        '<li class="md-nav__item"><a href="../archive/" class="md-nav__link"><span class="md-ellipsis">按月归档</span>'
        '</a></li><div class="md-header__topic"><span class="md-ellipsis">民政新闻三语文库</span></div>' + top + text)
