"""The `noticepub` commands, one module each, above every stage: they read settings, call the stages and
print. ``cli.py`` is the argparse table that maps each command line to one of these functions.

Each command's heavy dependency (rich, MkDocs, Argos Translate) is imported inside the command, so
`noticepub --help` and the other commands start without it.
"""

from __future__ import annotations

import sys

from noticepub.errors import printable


def err(message: str) -> None:
    """One error line on stderr, in the form every command uses."""
    print(f"noticepub: error: {printable(message)}", file=sys.stderr)


def say(message: str) -> None:
    """One progress or notice line on stderr."""
    print(f"noticepub: {printable(message)}", file=sys.stderr)
