"""CLI: `noticepub models list|install FILE.argosmodel` and `noticepub qa [--strict]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from noticepub.errors import TranslationError


def cmd_models_list(args: argparse.Namespace) -> int:
    from noticepub.translate.engine import installed_packages

    packages = installed_packages()
    if not packages:
        print("no Argos Translate packages installed")
        return 0
    for pkg in packages:
        print(f"{pkg.from_code}->{pkg.to_code}  {pkg.code}  version {pkg.version}  {pkg.path}")
    return 0


def cmd_models_install(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file() or path.suffix != ".argosmodel":
        raise TranslationError(path, "not an .argosmodel file")
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise TranslationError(path, "is not a valid .argosmodel (zip) archive") from None
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) != 1 or not any(n.endswith("/metadata.json") for n in names):
        raise TranslationError(path, "must hold one top folder with metadata.json inside (a flat zip would spill files)")
    import argostranslate.package as argos_package

    argos_package.install_from_path(path)
    print(f"installed {path.name}")
    return cmd_models_list(args)


def cmd_qa(args: argparse.Namespace) -> int:
    from noticepub.build import discover
    from noticepub.ingest import read_raw
    from noticepub.meta import load_notice_meta
    from noticepub.parse import parse_page
    from noticepub.settings import load_settings
    from noticepub.translate import english_for_notice

    settings = load_settings()
    findings = 0
    pending = 0
    for folder in discover(settings):
        meta = load_notice_meta(folder)
        parsed = parse_page(read_raw(folder / "raw.txt", settings.max_raw_bytes), str(folder / "raw.txt"))
        result = english_for_notice(meta, parsed.articles, folder / "en.po", settings, engine=None)
        counts = result.report.counts
        pending += counts.get("pending", 0)
        by_article: dict[str, list[str]] = {}
        for finding in result.report.qa_findings:
            by_article.setdefault(finding.split(".", 1)[0], []).append(finding)
        for article in parsed.articles:
            items = by_article.get(article.id, [])
            status = "ok" if not items else f"{len(items)} finding(s)"
            print(f"{meta.id} {article.id}: {status}")
            for item in items:
                print(f"    {item}")
        findings += len(result.report.qa_findings)
        print(f"{meta.id}: {counts.get('edited', 0)} edited, {counts.get('machine', 0)} machine, "
              f"{counts.get('pending', 0)} pending")
    print(f"qa: {findings} finding(s), {pending} pending segment(s)")
    if findings or (args.strict and pending):
        return 1
    return 0


def register(subparsers) -> None:
    models = subparsers.add_parser("models", help="list or install Argos Translate packages")
    sub = models.add_subparsers(dest="models_command", required=True)
    p = sub.add_parser("list", help="show installed Argos packages")
    p.set_defaults(func=cmd_models_list)
    p = sub.add_parser("install", help="install an .argosmodel file")
    p.add_argument("file")
    p.set_defaults(func=cmd_models_install)
    p = subparsers.add_parser("qa", help="check the English of every notice (numbers, dates, glossary, Chinese left)")
    p.add_argument("--strict", action="store_true", help="also fail when segments are still pending")
    p.set_defaults(func=cmd_qa)
