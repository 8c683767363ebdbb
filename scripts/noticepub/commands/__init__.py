"""The `noticepub` commands, one module each, above every stage: they read settings, call the stages and
print. ``cli.py`` is the argparse table that maps each command line to one of these functions.

``cli.py`` imports a command's module only when that command runs, so each command loads only its own
stages (`noticepub --help` loads none); the Argos package installer is imported only by `models install`.
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
