"""MkDocs hooks: Chinese headings in the table of contents of English pages marked as Chinese; a sitemap
with absolute hreflang alternates for every page, written deterministically; one copy of the theme's assets
for the three languages (see ``on_files``); pages without the templates' indentation, their interface icons
drawn from one sprite file (``on_post_page``).

MkDocs' own sitemap carries the build date (lastmod), which would make two builds differ; ours
lists each page with its alternates in the three languages (xhtml:link, as search engines expect).
The sitemap is for search engines only: no page fetches it (see overrides/main.html).
"""

from __future__ import annotations

import gzip
import io
import re
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

_PAGES: list[tuple[str, list[dict]]] = []

# Theme files no reader loads: Material's lunr search (search is noticepub's own, overrides/assets/search.js)
# and source maps (fetched only by a browser's developer tools).
_UNUSED = re.compile(r"^assets/javascripts/lunr/|\.map$")
# A page's reference to the theme's assets: relative ("../../assets/...") or absolute ("/en/assets/...",
# 404 pages), in an attribute or in Material's __config JSON ("search": "assets/...").
_ASSET_REF = re.compile(r'((?:href|src|"search"\s*:\s*)=?\s*")(/(?:[^"/]+/)+|(?:\.\./)*)assets/')


def _shares_assets(config) -> bool:
    """A language built under a prefix of the root language's site (config/en.yml, config/zh-Hant.yml:
    extra.np_shared_assets): its pages load the root's copy of the theme assets, and it publishes none."""
    return bool((config.get("extra") or {}).get("np_shared_assets"))


def on_files(files, config, **kwargs):
    """Leave out of site/ what readers never load, and in a language that shares the root's assets, every
    theme asset (its pages point to the root's copy: ``on_post_page``). Pages and other files stay."""
    shared = _shares_assets(config)
    for file in list(files):
        if file.is_documentation_page() or file.inclusion.is_excluded():
            continue
        uri = file.src_uri
        if _UNUSED.search(uri) or (shared and uri.startswith("assets/") and not file.abs_src_path.startswith(
                config["docs_dir"])):
            files.remove(file)
    return files


def _root_assets(html: str) -> str:
    """References to assets/ of this language -> the root language's assets/ (one folder up)."""
    def swap(match: re.Match) -> str:
        prefix, path = match.group(1), match.group(2)
        if path.startswith("/"):  # "/en/assets/" -> "/assets/" (and "/repo/en/assets/" -> "/repo/assets/")
            return f"{prefix}{path.rstrip('/').rsplit('/', 1)[0]}/assets/"
        return f"{prefix}{path}../assets/"
    return _ASSET_REF.sub(swap, html)


# Elements whose text keeps its whitespace as written; everywhere else a line break followed by spaces and
# blank lines renders as the one line break it is squeezed to.
_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b[^>]*>)(.*?)(</\2\s*>)", re.S | re.I)
_INDENT = re.compile(r"\n\s+")
# Block-level elements: a line break between a tag and the start or end of one of these renders as nothing
# (white space at the edges of a block's lines collapses away), so it is dropped too.
_BLOCK = frozenset("html head body meta link title script style div p ul ol li nav header footer main article section "
                   "aside h1 h2 h3 h4 h5 h6 details summary table thead tbody tr td th dl dt dd form hr blockquote "
                   "figure figcaption pre".split())
_BREAK = re.compile(r"(</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>)\n(?=</?([a-zA-Z][a-zA-Z0-9]*))")
# Material's script for its content tabs (pymdownx.tabbed), on every page though no page has tabs
_TABBED = ('<script>var target=document.getElementById(location.hash.slice(1));target&&target.name&&'
           '(target.checked=target.name.startsWith("__tabbed_"))</script>')


# md_in_html writes the boolean attribute of render's boxes (render/pages.py) with its name as its value
_IGNORE = "data-pagefind-ignore"
_IGNORE_LONG = f'{_IGNORE}="{_IGNORE}"'


# Material's empty announcement bar (no announce block is set: its script skips a missing one), and the line
# breaks at the edges of Material's title spans (.md-ellipsis: a flex item, whose edge spaces never render)
# and of the nav links around them (a flex container: white space between its items renders as nothing).
_ANNOUNCE = '<div data-md-component="announce"></div>'
_FLEX_BREAK = re.compile(r'(?<=<span class="md-ellipsis">)\n|\n(?=</span>\n?</a></li>)|\n(?=</span></div>)'
                         r'|(?<=class="md-nav__link">)\n(?=<span class="md-ellipsis">)|(?<=</span>)\n(?=</a></li>)')


def squeeze(html: str) -> str:
    """The page without the indentation and blank lines of Material's templates (a quarter of an article
    page's bytes), and without the line breaks beside block-level tags; what a reader sees is unchanged: in
    HTML text a line break and the spaces after it collapse to one space anyway, white space at the edges
    of a block's lines to nothing, and the content of pre, textarea, script and style is left as it is."""
    kept: list[str] = []

    def hide(match: re.Match) -> str:  # the element's content, out of reach of the two substitutions
        kept.append(match.group(3))
        return f"{match.group(1)}\0{len(kept) - 1}\0{match.group(4)}"
    html = _BREAK.sub(_join_blocks, _INDENT.sub("\n", _VERBATIM.sub(hide, html)))
    return re.sub(r"\0(\d+)\0", lambda match: kept[int(match.group(1))], html)


def _join_blocks(match: re.Match) -> str:
    """A tag, a line break, a tag: the break goes when either tag is of a block-level element."""
    if match.group(2).lower() in _BLOCK or match.group(3).lower() in _BLOCK:
        return match.group(1)
    return match.group(0)


# Material's interface icons on every page (logo, menu, language, search, back, clear, back to top): inline
# SVG of up to 500 bytes each, nine on a page. Pages reference them in one sprite file instead.
ICONS = ("library", "menu", "translate", "magnify", "arrow-left", "close", "arrow-up")
SPRITE = "assets/icons.svg"
_SVG = re.compile(r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="0 0 24 24"><path d="([^"]+)"/></svg>')


@lru_cache(maxsize=4)
def _icon_paths(theme_dirs: tuple[str, ...]) -> dict[str, str]:
    """Path data of each of ICONS (from the theme's .icons folder) -> its name."""
    out = {}
    for name in ICONS:
        for folder in theme_dirs:
            svg = Path(folder) / ".icons" / "material" / f"{name}.svg"
            if svg.is_file():
                match = _SVG.fullmatch(svg.read_text(encoding="utf-8").strip())
                if match:
                    out[match.group(1)] = name
                break
    return out


def _sprite_refs(html: str, depth: int, config) -> str:
    """Inline copies of ICONS -> <use> of the sprite's symbol (same size and colour: the symbol keeps the
    viewBox, and fill follows currentColor into it as it did into the inline icon)."""
    paths = _icon_paths(tuple(config.theme.dirs))
    href = "../" * depth + SPRITE

    def use(match: re.Match) -> str:
        name = paths.get(match.group(1))
        return f'<svg viewBox="0 0 24 24"><use href="{href}#{name}"/></svg>' if name else match.group(0)
    return _SVG.sub(use, html)


def _write_sprite(config) -> None:
    symbols = [f'<symbol id="{name}" viewBox="0 0 24 24"><path d="{d}"/></symbol>'
               for d, name in sorted(_icon_paths(tuple(config.theme.dirs)).items(), key=lambda item: item[1])]
    sprite = Path(config["site_dir"]) / SPRITE
    sprite.parent.mkdir(parents=True, exist_ok=True)
    sprite.write_text('<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n", encoding="utf-8")


def on_env(env, config, files, **kwargs):
    """JSON in pages (Material's __config, the search dialog's strings) keeps Chinese as characters, not
    \\u escapes of twice the bytes, and has no spaces after its separators (Jinja's tojson still escapes
    <, >, & and ' for HTML)."""
    env.policies["json.dumps_kwargs"] = {**env.policies.get("json.dumps_kwargs", {}), "ensure_ascii": False,
                                         "separators": (",", ":")}
    return env


def on_post_page(output, page, config, **kwargs):
    output = _sprite_refs(output, page.url.count("/"), config)  # before: a shared sprite is the root's too
    if not any("tabbed" in str(name) for name in config["markdown_extensions"]):
        output = output.replace(_TABBED, "")
    output = output.replace(_IGNORE_LONG, _IGNORE)
    output = squeeze(_root_assets(output) if _shares_assets(config) else output)
    return _FLEX_BREAK.sub("", output.replace(_ANNOUNCE, ""))


def on_post_template(output_content, template_name, config, **kwargs):
    return squeeze(_root_assets(output_content) if _shares_assets(config) else output_content)


def on_pre_build(config, **kwargs):
    _PAGES.clear()


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def _mark_toc(items) -> None:
    for item in items:
        if _HAN.search(item.title) and not item.title.startswith("<span"):
            item.title = f'<span lang="zh-Hans">{item.title}</span>'
        _mark_toc(item.children)


def on_page_context(context, page, config, nav, **kwargs):
    # On English pages a sub-heading still in Chinese (pending translation) is marked zh-Hans in the page by
    # render; its table-of-contents entry is plain text made by MkDocs, so it gets the same mark here (in the
    # context hook, not page_content: reused pages' HTML is then never read back).
    if (page.meta or {}).get("lang") == "en":
        _mark_toc(page.toc.items)
    alternates = (page.meta or {}).get("alternates") or []
    _PAGES.append((page.canonical_url or page.url, alternates))
    return context


def on_post_build(config, **kwargs):
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url, alternates in sorted(_PAGES, key=lambda item: item[0]):
        lines.append("  <url>")
        lines.append(f"    <loc>{xml_escape(url)}</loc>")
        # x-default: Simplified Chinese, the site's default language (first in the list)
        default = [{"lang": "x-default", "url": alternates[0]["url"]}] if alternates else []
        for alt in [*alternates, *default]:
            hreflang, href = quoteattr(str(alt["lang"])), quoteattr(str(alt["url"]))
            lines.append(f'    <xhtml:link rel="alternate" hreflang={hreflang} href={href}/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    data = ("\n".join(lines) + "\n").encode()
    site = Path(config["site_dir"])
    (site / "sitemap.xml").write_bytes(data)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as fh:
        fh.write(data)
    (site / "sitemap.xml.gz").write_bytes(buffer.getvalue())
    if not _shares_assets(config):
        _write_sprite(config)
