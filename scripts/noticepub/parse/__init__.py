"""Parse a raw newspaper page into articles.

lines -> furniture (data/furniture.yml) -> layout (geometry, groups, roles) -> reflow (join/break rules)
-> segments (attributions, in-place headlines, jump and 上接 lines) -> global split (as many articles as
headlines) -> assemble (headlines and leads to bodies) -> articles, warnings, a decision per line.

Public API: parse_page(text, source, *, ruler=None, corrections=None) -> ParseResult,
explain_text(result), check_conservation(text, result), default_ruler() and list_rules().
Modules: text (characters, measure, typography), rules (named-rule rulers), furniture, openers
(data/openers.yml), layout, reflow, segment, split (global segmentation), match (similarity,
Hungarian), assemble, corrections (notice.yml), conservation, pipeline. The test-page generator
lives in tests/layoutgen.py.
"""

from noticepub.parse.conservation import check_conservation
from noticepub.parse.pipeline import default_ruler, explain_text, list_rules, parse_page

__all__ = ["check_conservation", "default_ruler", "explain_text", "list_rules", "parse_page"]
