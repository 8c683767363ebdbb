"""Command line: noticepub build | parse | site | serve | translate | status | models | qa."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from noticepub.errors import NoticepubError, printable

# Modules that add their own subcommands through register(subparsers).
PLUGIN_COMMANDS = ("noticepub.translate.commands", "noticepub.site")


def _err(message: str) -> None:
    print(f"noticepub: error: {printable(message)}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from noticepub.build import build, default_progress
    from noticepub.settings import load_settings
    from noticepub.summary import print_summary

    settings = load_settings()
    report = build(
        settings,
        check=args.check or args.full,
        full=args.full,
        strict=args.strict,
        only=args.only,
        progress=default_progress(),
        notify=lambda message: print(f"noticepub: {printable(message)}", file=sys.stderr),
    )
    print_summary(report, check=args.check or args.full)
    if report.translation.get("pending") and not report.strict_failures and not (args.check or args.full):
        from noticepub.translate import pending_hint

        print(f"noticepub: {pending_hint(report.translation['pending'])}", file=sys.stderr)
    if report.strict_failures:
        for failure in report.strict_failures:
            _err(f"--strict: {failure}")
        return 1
    if (args.check or args.full) and report.changed:
        return 1
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from noticepub.ingest import read_raw
    from noticepub.parse import explain_text, parse_page
    from noticepub.settings import Settings, find_root, load_settings

    if args.rules:
        from noticepub.parse.pipeline import list_rules

        print(list_rules())
        return 0
    if not args.file:
        raise NoticepubError(None, "parse: give a raw page file (or --rules)")
    try:
        max_bytes = load_settings(find_root(Path(args.file).parent)).max_raw_bytes
    except NoticepubError:
        max_bytes = Settings(root=Path(".")).max_raw_bytes
    path = Path(args.file)
    if not path.is_file():
        raise NoticepubError(path, "no such file")
    corrections = None
    meta_path = Path(args.meta) if args.meta else path.parent / "notice.yml"
    if args.meta and not meta_path.is_file():
        raise NoticepubError(meta_path, "no such file")
    if meta_path.is_file() and not args.no_corrections:
        from noticepub.meta import parse_notice_yml

        try:
            corrections = parse_notice_yml(meta_path.read_bytes(), meta_path, "notice").corrections
        except NoticepubError as exc:
            if args.meta:
                raise
            print(f"noticepub: warning: {exc.one_line()}; parsing without its corrections", file=sys.stderr)
    ruler = None
    if args.disable:
        from noticepub.parse.pipeline import default_ruler

        ruler = default_ruler()
        for name in args.disable:
            try:
                ruler.disable(name)
            except KeyError:
                raise NoticepubError(None, f"parse --disable: no rule named {name!r}; "
                                           "`noticepub parse --rules` lists them") from None
    result = parse_page(read_raw(path, max_bytes), source=args.file, corrections=corrections, ruler=ruler)
    if args.explain:
        print(explain_text(result))
    if args.json or not args.explain:
        print(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2))
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="noticepub", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="parse every notice and write docs/ in zh-Hans, zh-Hant and en")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 listing files that would change")
    p.add_argument("--full", action="store_true",
                   help="with --check: hash every generated file instead of trusting size and timestamps")
    p.add_argument("--strict", action="store_true", help="fail on pending translations and QA findings")
    p.add_argument("--only", metavar="NOTICE_ID", help="rebuild only this notice (others are left as they are)")
    p.set_defaults(func=cmd_build)

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
    p.set_defaults(func=cmd_parse)

    for module_name in PLUGIN_COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except NoticepubError as exc:
        state = getattr(exc, "docs_state", None)
        _err(exc.one_line() + (f" ({state})" if state else ""))
        return 2
    except KeyboardInterrupt as exc:
        _err("interrupted" + _state_note(args, exc))
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # disk full, permissions...
        where = f"{exc.filename}: " if exc.filename else ""
        _err(f"{where}{exc.strerror or exc}" + _state_note(args, exc))
        return 1


def _state_note(args: argparse.Namespace, exc: BaseException) -> str:
    """What a failed command left behind, exactly (the build records it on the exception)."""
    state = getattr(exc, "docs_state", None)
    if state is None and args.command == "build":
        from noticepub.build import UNTOUCHED

        state = UNTOUCHED
    return f"; {state}" if state else ""
