"""Parse a raw newspaper page into articles: lines -> layout -> blocks -> reflow -> segments -> assemble.

Public API: parse_page(text, source) -> ParseResult, explain_text(result), check_conservation(text, result).
Modules: text (characters, measure, typography), rules (named-rule ruler), layout (geometry, groups,
zones), reflow (join/break rules), segment (attribution split), match (similarity, Hungarian),
assemble (headlines and leads to bodies), conservation, pipeline (the test-page generator lives in tests/layoutgen.py).
"""

from noticepub.parse.conservation import check_conservation
from noticepub.parse.pipeline import explain_text, parse_page

__all__ = ["check_conservation", "explain_text", "parse_page"]
