"""`noticepub parse FILE [--json] [--explain] [--meta NOTICE_YML] [--no-corrections] [--rules] [--disable NAME]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from noticepub.errors import NoticepubError
from noticepub.ingest import read_raw
from noticepub.meta import parse_notice_yml
from noticepub.model import ParseResult
from noticepub.parse import explain_text, parse_page
from noticepub.parse.pipeline import default_ruler, list_rules
from noticepub.settings import Settings, find_root, load_settings


def cmd_parse(args: argparse.Namespace) -> int:
    if args.rules:
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
        try:
            corrections = parse_notice_yml(meta_path.read_bytes(), meta_path, "notice").corrections
        except NoticepubError as exc:
            if args.meta:
                raise
            print(f"noticepub: warning: {exc.one_line()}; parsing without its corrections", file=sys.stderr)
    ruler = None
    if args.disable:
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
        print(json.dumps(json_dict(result), ensure_ascii=False, indent=2))
    return 0


def json_dict(result: ParseResult) -> dict:
    """The model's JSON plus what the parser knows besides: kicker, byline, speakers, tables as
    ``{"rows": [[cell, ...], ...]}`` entries of ``paragraphs``, one ``line_info`` entry per raw line and
    each warning's ``evidence`` (existing keys unchanged)."""
    out = result.to_json_dict()
    for a, d in zip(result.articles, out["articles"], strict=True):
        tables = dict(a.tables)
        d["paragraphs"] = [{"rows": [list(r) for r in tables[i]]} if i in tables else p
                           for i, p in enumerate(a.paragraphs)]
        d["kicker"] = a.kicker
        d["byline"] = a.byline
        d["speakers"] = [{"paragraph": i, "speaker": s} for i, s in a.speakers]
    for w, d in zip(result.warnings, out["warnings"], strict=True):
        d["evidence"] = [[k, v] for k, v in w.evidence]
    out["line_info"] = [{"line": x.line, "role": str(x.role), "article": x.article_id, "paragraph": x.paragraph,
                         "rule": x.rule} for x in result.line_info]
    return out
