"""`noticepub qa [--strict]`: QA over every notice's English, per article, from the PO files (no engine is run)."""

from __future__ import annotations

import argparse

from noticepub.model import EDITED, MACHINE, PENDING
from noticepub.notice import english, read_notice
from noticepub.settings import load_settings
from noticepub.sources import notice_folders
from noticepub.translate import install_hint


def cmd_qa(args: argparse.Namespace) -> int:
    settings = load_settings()
    findings = pending = 0
    for folder in notice_folders(settings):
        notice = read_notice(folder, settings)
        result = english(notice, settings)
        by_article = result.report.findings_by_article()
        for article, localized in zip(notice.parsed.articles, result.articles, strict=True):
            items = by_article.get(article.id, [])
            counts = dict(localized.provenance.counts)
            status = "ok" if not items else f"{len(items)} finding(s)"
            if counts.get(PENDING):
                status += f", {counts[PENDING]} pending"
            print(f"{notice.meta.id} {article.id}: {status} ({localized.provenance.method})")
            for item in items:
                print(f"    {item}")
        counts = result.report.counts
        findings += len(result.report.qa_findings)
        pending += counts.get(PENDING, 0)
        print(f"{notice.meta.id}: {counts.get(EDITED, 0)} edited, {counts.get(MACHINE, 0)} machine, "
              f"{counts.get(PENDING, 0)} pending")
    print(f"qa: {findings} finding(s), {pending} pending segment(s)")
    if args.strict and (findings or pending):
        if pending:
            print(f"qa: --strict: {pending} segment(s) pending; edit en.po or {install_hint()}")
        return 1
    return 0
