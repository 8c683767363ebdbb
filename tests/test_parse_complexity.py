"""Issue 21: the parser is short rules over one state. No function or method in scripts/noticepub/parse/ may
be more complex than radon's grade C (cyclomatic complexity 20), so a page shape is added as a rule and its
test, never as another branch in a long function."""

from __future__ import annotations

from radon.complexity import cc_rank, cc_visit

from conftest import REPO

PARSE = REPO / "scripts" / "noticepub" / "parse"


def _blocks():
    for path in sorted(PARSE.glob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            yield path.name, block
            for method in getattr(block, "methods", []):
                yield path.name, method


def test_no_parser_function_is_worse_than_grade_c():
    worse = [f"{name}:{b.lineno} {b.name} {cc_rank(b.complexity)} ({b.complexity})"
             for name, b in _blocks() if cc_rank(b.complexity) not in "ABC"]
    assert not worse, worse


def test_the_check_sees_every_rule_module():
    names = {name for name, _ in _blocks()}
    assert {"layout_rules.py", "segment_rules.py", "assemble_rules.py", "checks.py", "reflow.py"} <= names
