"""An ordered list of named rules, in the style of markdown-it-py's Ruler.

Rules can be listed, disabled, enabled, or inserted before/after another rule by name. The parser
keeps one ruler per decision point (how two consecutive body lines relate; the pipeline stages),
so `--explain` can always say which named rule decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable)


@dataclass
class Rule(Generic[F]):
    name: str
    fn: F
    enabled: bool = True


class Ruler(Generic[F]):
    def __init__(self, rules: list[tuple[str, F]] | None = None) -> None:
        self._rules: list[Rule[F]] = [Rule(name, fn) for name, fn in rules or []]

    def _index(self, name: str) -> int:
        for i, rule in enumerate(self._rules):
            if rule.name == name:
                return i
        raise KeyError(f"no rule named {name!r}")

    def push(self, name: str, fn: F) -> None:
        self._rules.append(Rule(name, fn))

    def before(self, anchor: str, name: str, fn: F) -> None:
        self._rules.insert(self._index(anchor), Rule(name, fn))

    def after(self, anchor: str, name: str, fn: F) -> None:
        self._rules.insert(self._index(anchor) + 1, Rule(name, fn))

    def disable(self, name: str) -> None:
        self._rules[self._index(name)].enabled = False

    def enable(self, name: str) -> None:
        self._rules[self._index(name)].enabled = True

    def names(self) -> list[str]:
        return [rule.name for rule in self._rules if rule.enabled]

    def active(self) -> list[tuple[str, F]]:
        return [(rule.name, rule.fn) for rule in self._rules if rule.enabled]

    def copy(self) -> Ruler[F]:
        new: Ruler[F] = Ruler()
        new._rules = [Rule(r.name, r.fn, r.enabled) for r in self._rules]
        return new


@dataclass
class ParseRules:
    """The parser's named rules, one ruler per stage, in the order they run over one PageState.

    ``layout``: what a line or group of lines is (furniture, leads, headlines); ``segment``: where
    articles start, paragraphs, bodies; ``reflow``: how two consecutive body lines relate (the first
    rule with an opinion decides; run by the segment rule "paragraphs" for every seam); ``assemble``:
    headlines and leads to bodies; ``checks``: warnings. `noticepub parse --rules` lists them;
    `--disable NAME` switches one off.
    """

    layout: Ruler[Callable]
    segment: Ruler[Callable]
    reflow: Ruler[Callable]
    assemble: Ruler[Callable]
    checks: Ruler[Callable]

    def rulers(self) -> list[tuple[str, Ruler[Callable]]]:
        return [("layout", self.layout), ("segment", self.segment), ("reflow", self.reflow),
                ("assemble", self.assemble), ("checks", self.checks)]

    def stages(self) -> list[tuple[str, Ruler[Callable]]]:
        """The rulers that run over the page state, in order (reflow runs inside the segment stage)."""
        return [(name, r) for name, r in self.rulers() if name != "reflow"]

    def on(self, name: str) -> bool:
        return any(name in r.names() for _, r in self.rulers())

    def disable(self, name: str) -> None:
        for _, r in self.rulers():
            if any(rule.name == name for rule in r._rules):
                r.disable(name)
                return
        raise KeyError(f"no rule named {name!r}")

    def copy(self) -> ParseRules:
        return ParseRules(*(r.copy() for _, r in self.rulers()))

    def listing(self, docs: dict[str, str] | None = None) -> str:
        out = []
        for stage, r in self.rulers():
            out.append(f"{stage}:")
            for rule in r._rules:
                doc = (docs or {}).get(rule.name) or " ".join((rule.fn.__doc__ or "").split())
                out.append(f"  {rule.name:<28} {'on ' if rule.enabled else 'off'}  {doc}")
        return "\n".join(out)
