"""User-facing errors: one line, naming the file and the problem."""

from __future__ import annotations

from pathlib import Path


class NoticepubError(Exception):
    """An error caused by the user's input or setup, reported as one line without a traceback."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = str(path) if path is not None else None
        self.problem = " ".join(str(problem).split())  # always one line
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
