"""User-facing errors: one line, naming the file and the problem."""

from __future__ import annotations

import reprlib
import unicodedata
from pathlib import Path


def printable(text: str) -> str:
    """``text`` safe for a terminal: control and format characters (escape sequences, bidi overrides,
    zero-width marks) shown as ``\\xNN``/``\\uNNNN`` instead of being interpreted."""
    out = []
    for ch in str(text):
        if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t":
            out.append(ascii(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxtuple, _SHORT.maxdict, _SHORT.maxset = 2, 4, 4, 4, 4
_SHORT.maxstring, _SHORT.maxother = 80, 80


def excerpt(value: object, limit: int = 60, *, quote: bool = True) -> str:
    """A value as an error message shows it: its repr (or str) cut to ``limit`` characters. A container is
    shown through reprlib (a few items, two levels), so a long or deeply nested value is never expanded."""
    if isinstance(value, list | tuple | dict | set | frozenset):
        text = _SHORT.repr(value)
    else:
        text = repr(value) if quote else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class NoticepubError(Exception):
    """An error caused by the user's input or setup, reported as one line without a traceback."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = printable(str(path)).replace("\n", "\\n") if path is not None else None
        self.problem = printable(" ".join(str(problem).split()))  # always one line, never an escape sequence
        super().__init__(self.one_line())

    def one_line(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem


class InputError(NoticepubError):
    """Bad raw text or metadata (empty, binary, undecodable, malformed YAML...)."""


class ParseError(NoticepubError):
    """The parser could not produce a trustworthy result (e.g. character conservation failed)."""


class ConfigError(NoticepubError):
    """Bad settings, glossary or override files."""


class TranslationError(NoticepubError):
    """A translation engine or translation-memory problem."""
