"""Command line: noticepub build | parse | site | serve | translate | status | models | qa."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

from noticepub.commands import err
from noticepub.errors import NoticepubError
from noticepub.model import LANGS

Command = Callable[[argparse.Namespace], int]


def _command(module: str, name: str) -> Command:
    """``noticepub.commands.<module>.<name>``, imported when it runs: each command loads only its own stages."""

    def run(args: argparse.Namespace) -> int:
        function: Command = getattr(importlib.import_module(f"noticepub.commands.{module}"), name)
        return function(args)

    return run


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="noticepub", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="parse every notice and write docs/ in zh-Hans, zh-Hant and en")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 listing files that would change")
    p.add_argument("--full", action="store_true",
                   help="with --check: hash every generated file instead of trusting size and timestamps")
    p.add_argument("--strict", action="store_true", help="fail on pending translations and QA findings")
    p.add_argument("--only", metavar="NOTICE_ID", help="rebuild only this notice (others are left as they are)")
    p.set_defaults(func=_command("build", "cmd_build"))

    p = sub.add_parser("parse", help="parse one raw page and print its articles")
    p.add_argument("file", nargs="?", help="a raw page text, e.g. source_texts/<id>/raw.txt")
    p.add_argument("--json", action="store_true", help="print the articles as JSON (default)")
    p.add_argument("--explain", action="store_true", help="show which rule decided each input line")
    p.add_argument("--meta", metavar="NOTICE_YML", help="apply the corrections of this notice.yml "
                   "(default: notice.yml next to the file, if any)")
    p.add_argument("--no-corrections", action="store_true", help="ignore notice.yml corrections")
    p.add_argument("--rules", action="store_true", help="list the parser's rules in order and exit")
    p.add_argument("--disable", metavar="NAME", action="append", default=[],
                   help="disable a parser rule by name (repeatable; for experiments)")
    p.set_defaults(func=_command("parse", "cmd_parse"))

    p = sub.add_parser("translate", help="fill untranslated and outdated English segments in the PO files "
                       "with machine translation (writes nothing else)")
    p.add_argument("--only", metavar="NOTICE_ID", help="translate only this notice")
    p.add_argument("--shard", metavar="I/N", help="translate only the notices of shard I of N (1-based; "
                   "notices are split by a stable hash of their id)")
    p.set_defaults(func=_command("translate", "cmd_translate"))

    p = sub.add_parser("status", help="translation status per notice and in total (from the PO files)")
    p.add_argument("--only", metavar="NOTICE_ID", help="show only this notice")
    p.set_defaults(func=_command("translate", "cmd_status"))

    models = sub.add_parser("models", help="list or install Argos Translate packages")
    actions = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    p = actions.add_parser("list", help="show installed Argos packages")
    p.set_defaults(func=_command("models", "cmd_models_list"))
    p = actions.add_parser("install", help="install an .argosmodel file (offline)")
    p.add_argument("file", metavar="FILE.argosmodel")
    p.set_defaults(func=_command("models", "cmd_models_install"))

    p = sub.add_parser("qa", help="check the English of every notice (numbers, dates, glossary, Chinese left)")
    p.add_argument("--strict", action="store_true", help="exit 1 on any finding or pending segment")
    p.set_defaults(func=_command("qa", "cmd_qa"))

    p = sub.add_parser("site", help="build the static site (three languages) into site/ with mkdocs --strict")
    p.add_argument("--no-strict", action="store_true", help="report MkDocs warnings instead of failing on them")
    p.add_argument("--clean", action="store_true", help="forget the previous build and render every page again")
    p.set_defaults(func=_command("site", "cmd_site"))

    p = sub.add_parser("serve", help="preview site/ with all three languages, rebuilt incrementally on edits")
    p.add_argument("--lang", choices=sorted(LANGS), default="zh-Hans",
                   help="also print this language's address")
    p.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    p.set_defaults(func=_command("serve", "cmd_serve"))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except NoticepubError as exc:
        state = getattr(exc, "docs_state", None)
        err(exc.one_line() + (f" ({state})" if state else ""))
        return 2
    except KeyboardInterrupt as exc:
        err("interrupted" + _state_note(args, exc))
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # disk full, permissions...
        where = f"{exc.filename}: " if exc.filename else ""
        err(f"{where}{exc.strerror or exc}" + _state_note(args, exc))
        return 1


def _state_note(args: argparse.Namespace, exc: BaseException) -> str:
    """What a failed command left behind, exactly (the build records it on the exception)."""
    state = getattr(exc, "docs_state", None)
    if state is None and args.command == "build":
        from noticepub.build import UNTOUCHED  # the build loads every stage: not for --help or other commands

        state = UNTOUCHED
    return f"; {state}" if state else ""
