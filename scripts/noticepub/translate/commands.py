"""CLI: `noticepub translate`, `noticepub status`, `noticepub models list|install FILE.argosmodel`, `noticepub qa`."""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from noticepub.errors import TranslationError


def cmd_models_list(args: argparse.Namespace) -> int:
    from noticepub.translate.engine import find_zh_en, installed_packages

    packages = installed_packages()
    if not packages:
        print("no Argos Translate packages installed")
        return 0
    used = find_zh_en()
    for pkg in packages:
        mark = "  (used for English)" if used is not None and pkg.path == used.path else ""
        print(f"{pkg.from_code}->{pkg.to_code}  {pkg.code}  version {pkg.version}  {pkg.path}{mark}")
    return 0


def check_archive(path: Path) -> None:
    """Refuse files that would break the packages directory (a flat zip spills model/ into it)."""
    if not path.is_file() or path.suffix != ".argosmodel":
        raise TranslationError(path, "not an .argosmodel file")
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n and not n.startswith("__MACOSX")]
    except zipfile.BadZipFile:
        raise TranslationError(path, "is not a valid .argosmodel (zip) archive") from None
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) != 1 or not all("/" in n for n in names) or f"{next(iter(tops))}/metadata.json" not in names:
        raise TranslationError(path, "must hold one top folder with metadata.json inside (a flat zip would spill files)")
    if any(".." in Path(n).parts or n.startswith("/") for n in names):
        raise TranslationError(path, "holds paths outside its folder; refusing to install it")


def cmd_models_install(args: argparse.Namespace) -> int:
    path = Path(args.file)
    check_archive(path)
    import argostranslate.package as argos_package

    argos_package.install_from_path(path)
    print(f"installed {path.name}")
    return cmd_models_list(args)


def cmd_qa(args: argparse.Namespace) -> int:
    """QA over every notice's English, per article, from the PO files (no engine is run)."""
    from noticepub.build import discover
    from noticepub.ingest import read_raw
    from noticepub.meta import load_notice_meta
    from noticepub.parse import parse_page
    from noticepub.settings import load_settings
    from noticepub.translate import english_for_notice

    settings = load_settings()
    findings = pending = 0
    for folder in discover(settings):
        meta = load_notice_meta(folder)
        parsed = parse_page(read_raw(folder / "raw.txt", settings.max_raw_bytes), str(folder / "raw.txt"))
        result = english_for_notice(meta, parsed.articles, folder / "en.po", settings, engine=None)
        by_article = result.report.findings_by_article()
        for article, localized in zip(parsed.articles, result.articles, strict=True):
            items = by_article.get(article.id, [])
            counts = dict(localized.provenance.counts)
            status = "ok" if not items else f"{len(items)} finding(s)"
            if counts.get("pending"):
                status += f", {counts['pending']} pending"
            print(f"{meta.id} {article.id}: {status} ({localized.provenance.method})")
            for item in items:
                print(f"    {item}")
        counts = result.report.counts
        findings += len(result.report.qa_findings)
        pending += counts.get("pending", 0)
        print(f"{meta.id}: {counts.get('edited', 0)} edited, {counts.get('machine', 0)} machine, "
              f"{counts.get('pending', 0)} pending")
    print(f"qa: {findings} finding(s), {pending} pending segment(s)")
    if args.strict and (findings or pending):
        if pending:
            from noticepub.translate import install_hint

            print(f"qa: --strict: {pending} segment(s) pending; edit en.po or {install_hint()}")
        return 1
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    """Fill pending and outdated segments of the PO files with machine translation (writes PO files only)."""
    import sys

    from noticepub.settings import load_settings
    from noticepub.translate.run import Shard, translate_notices

    settings = load_settings()
    shard = Shard.parse(args.shard) if args.shard else None
    report = translate_notices(settings, only=args.only, shard=shard,
                               progress=lambda message: print(f"noticepub: {message}", file=sys.stderr))
    where = f" (shard {shard.index}/{shard.count})" if shard else ""
    head = f"translate{where}: {report.notices} notice(s), {report.segments} segment(s); "
    if not report.translated:
        print(head + f"nothing to translate; {len(report.written)} PO file(s) written")
    else:
        print(head + f"{report.translated} filled by {report.engine} ({report.unique} distinct sentence(s) in "
              f"{report.seconds:.1f} s, {report.rate:.1f} sentences/s); {len(report.written)} PO file(s) written")
    if report.capped:
        print(f"translate: {report.capped} segment(s) stopped at the decoding length cap; "
              "`noticepub qa` lists them for review")
    for path in report.written:
        print(f"  written: {path}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from noticepub.settings import load_settings
    from noticepub.translate.status import collect_status, format_status

    status = collect_status(load_settings(), only=args.only)
    print(format_status(status))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("translate", help="fill untranslated and outdated English segments in the PO files "
                              "with machine translation (writes nothing else)")
    p.add_argument("--only", metavar="NOTICE_ID", help="translate only this notice")
    p.add_argument("--shard", metavar="I/N", help="translate only the notices of shard I of N (1-based; "
                   "notices are split by a stable hash of their id)")
    p.set_defaults(func=cmd_translate)
    p = subparsers.add_parser("status", help="translation status per notice and in total (from the PO files)")
    p.add_argument("--only", metavar="NOTICE_ID", help="show only this notice")
    p.set_defaults(func=cmd_status)
    models = subparsers.add_parser("models", help="list or install Argos Translate packages")
    sub = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    p = sub.add_parser("list", help="show installed Argos packages")
    p.set_defaults(func=cmd_models_list)
    p = sub.add_parser("install", help="install an .argosmodel file (offline)")
    p.add_argument("file", metavar="FILE.argosmodel")
    p.set_defaults(func=cmd_models_install)
    p = subparsers.add_parser("qa", help="check the English of every notice (numbers, dates, glossary, Chinese left)")
    p.add_argument("--strict", action="store_true", help="exit 1 on any finding or pending segment")
    p.set_defaults(func=cmd_qa)
