"""Parse a raw newspaper page into articles: layout -> reflow -> segments -> assemble.

Public API: parse_page(text, source) -> ParseResult, explain_text(result), check_conservation(text, result).
"""

from noticepub.parse.page import check_conservation, explain_text, parse_page

__all__ = ["check_conservation", "explain_text", "parse_page"]
