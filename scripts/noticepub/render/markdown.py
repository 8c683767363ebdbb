"""Markdown building blocks: every piece of source text passes through ``inline`` before it reaches a page.

Text from the input is data, never markup: ASCII characters that Markdown, attr_list, HTML or
templates could read as syntax become numeric character references, which render as the same
characters but are inert. Full-width (Chinese) punctuation is left as it is.
"""

from __future__ import annotations

import html
import re

from noticepub.model import PENDING, Span, Text

# Characters with a meaning somewhere in Markdown, Python-Markdown extensions, HTML or Jinja.
_ALWAYS = set("\\`*_{}[]<>&|~^=$#!()")
_LINE_START = set("-+.:>%")  # list, quote, definition and template-line openers
_ORDERED = re.compile(r"^[0-9]{1,9}[.)]")  # "1. " opens an ordered list; "11 departments" does not
LEAD_IN_RE = re.compile(r"^([^。！？，；、“”《》（）\s]{2,10}[。！？])(?=\S)")


_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in _ALWAYS}
_TABLE.update({ord(ch): " " for ch in "\r\n\t\u2028\u2029"})
_TABLE.update({code: None for code in (*range(0, 32), *range(0x7F, 0xA0)) if code not in _TABLE})


def inline(text: str) -> str:
    out = text.translate(_TABLE)  # C speed: index pages call this for every title of the archive
    if out and (out[0] in _LINE_START or _ORDERED.match(out)):
        out = f"&#{ord(out[0])};" + out[1:]
    return out


def inline_html(text: str) -> str:
    """Text for inside a raw HTML block (table cells): like ``inline``, but nothing there opens a Markdown line,
    so "120.5" stays as printed."""
    return text.translate(_TABLE)


def attr(text: str) -> str:
    """Text for YAML front matter values and HTML attributes that templates print unescaped."""
    return html.escape(" ".join(text.split()), quote=True)


def _merge_pending(text: Text) -> list[Span]:
    """Adjacent pending spans (untranslated sentences in a row) become one, so they get one marker."""
    merged: list[Span] = []
    for span in text:
        if merged and span.state == PENDING and merged[-1].state == PENDING:
            merged[-1] = Span(merged[-1].text + span.text, PENDING)
        else:
            merged.append(span)
    return merged


def spans(text: Text, pending_marker: str) -> str:
    """Spans of one field as Markdown: pending (untranslated) spans keep the Chinese and get a marker."""
    parts = []
    for span in _merge_pending(text):
        if span.state.startswith(GAP):  # an untranslated sentence in the English column of the bilingual view
            reader = span.state[len(GAP):]
            lead = " " if parts else ""
            parts.append(f'{lead}<span class="np-gap" lang="{reader}">{inline(span.text.strip())}</span>')
        elif span.state == PENDING:
            body = inline(span.text.strip())
            lead = " " if span.text.startswith(" ") and parts else ""
            parts.append(f'{lead}<span class="np-pending" lang="zh-Hans" title="{attr(pending_marker)}">{body}</span>')
        else:
            parts.append(inline(span.text) if parts else inline(span.text.lstrip()))
    return "".join(parts)


GAP = "gap:"  # Span.state of a "not yet translated" note, followed by the reader's language


def gapped(text: Text, note: str, reader: str) -> Text:
    """``text`` with each run of pending (untranslated) spans replaced by one ``note`` in the reader's language:
    the English column of a bilingual view never repeats the Chinese beside it."""
    out: list[Span] = []
    for span in text:
        if span.state == PENDING:
            if not (out and out[-1].state.startswith(GAP)):
                out.append(Span(note, GAP + reader))
        else:
            out.append(span)
    return tuple(out)


def plain_text(text: Text | None) -> str:
    return "".join(s.text for s in text) if text else ""


def paragraph(text: Text, pending_marker: str, bold_lead_in: bool) -> str:
    """A paragraph; a short opening clause (“开展关怀慰问。”) is set in bold."""
    if bold_lead_in and text:
        first = text[0]
        if first.state.startswith(GAP):
            return spans(text, pending_marker)
        if first.state != PENDING and len(text) > 1:
            rest = text[1:]
            return f"**{inline(first.text.strip())}** " + spans(rest, pending_marker).lstrip()
        match = LEAD_IN_RE.match(first.text)
        if match and first.state != PENDING:
            head = match.group(1)
            tail = (Span(first.text[len(head):], first.state), *text[1:])
            return f"**{inline(head)}**" + spans(tail, pending_marker)
    return spans(text, pending_marker)


def has_lead_in(source_paragraph: str) -> bool:
    return bool(LEAD_IN_RE.match(source_paragraph))


# Chinese characters and the punctuation set with them: a run of these on an English page is Chinese text.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
_ZH_RUN = re.compile(f"(?:[0-9]+(?=[{_HAN}]))?[{_HAN}](?:[{_HAN}{_CJK_PUNCT}0-9０-９A-Za-z]|[ ](?=[{_HAN}]))*[{_CJK_PUNCT}]*"
                     f"|[{_CJK_PUNCT}]+(?=[{_HAN}])[{_HAN}{_CJK_PUNCT}0-9０-９A-Za-z]*")
_ZH_SPAN = re.compile(r'<(span|div|p)\b[^>]*\blang="zh-Han[st]"[^>]*>.*?</\1>', re.S)
_TAG = re.compile(r"<[^>]*>|\]\([^)]*\)|\{[^}]*\}")  # HTML tags, link targets, attr_list: never text


def has_han(text: str) -> bool:
    return _ZH_RUN.search(text) is not None


def _mark_text(text: str) -> str:
    out, pos = [], 0
    for m in _TAG.finditer(text):
        out.append(_ZH_RUN.sub(lambda r: f'<span lang="zh-Hans">{r.group(0)}</span>', text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_ZH_RUN.sub(lambda r: f'<span lang="zh-Hans">{r.group(0)}</span>', text[pos:]))
    return "".join(out)


def mark_chinese(markdown: str) -> str:
    """An English page's Markdown body with every run of Chinese text inside ``<span lang="zh-Hans">``
    (readers, screen readers and fonts then know what language it is). Text already inside an element with
    a Chinese ``lang`` is left as it is; tags, link targets and attribute lists are never touched."""
    if not has_han(markdown):
        return markdown
    out, pos = [], 0
    for m in _ZH_SPAN.finditer(markdown):
        out.append(_mark_text(markdown[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_mark_text(markdown[pos:]))
    return "".join(out)
