"""Build the static site: three MkDocs builds (zh-Hans at the root, zh-Hant and en under prefixes).

The three builds run in parallel, each into its own folder of a staging tree; the staging tree
replaces site/ only when all three succeeded, so a failed build leaves the previous site/ as it was.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from noticepub.errors import NoticepubError
from noticepub.fsutil import atomic_write
from noticepub.settings import Settings, load_settings

CONFIGS = {"zh-Hans": "mkdocs.yml", "zh-Hant": "config/zh-Hant.yml", "en": "config/en.yml"}
SUBDIRS = {"zh-Hans": "", "zh-Hant": "zh-Hant", "en": "en"}
CACHE = ".noticepub-cache"
JIEBA_HANT = f"{CACHE}/jieba-zh-Hant.txt"
JIEBA_USER = CACHE + "/jieba-user-{lang}.txt"


def write_jieba_user_dicts(settings: Settings) -> None:
    """Glossary terms and topic words as jieba user words, so 养老机构 or 農民工 are single search tokens."""
    import yaml

    from noticepub.render.common import DATA
    from noticepub.translate.glossary import load_glossary
    from noticepub.variants import to_hant

    terms = {t.zh for t in load_glossary(settings.glossary_path)}
    for topic in yaml.safe_load((DATA / "topics.yml").read_text(encoding="utf-8")):
        terms.update((topic["tag"], *topic["words"]))
    for lang, convert in (("zh-Hans", lambda s: s), ("zh-Hant", lambda s: to_hant(s, settings))):
        lines = "".join(f"{convert(term)} 100000 n\n" for term in sorted(terms) if " " not in term)
        target = settings.root / JIEBA_USER.format(lang=lang)
        if not target.is_file() or target.read_text(encoding="utf-8") != lines:
            atomic_write(target, lines.encode("utf-8"))


def ensure_jieba_hant(settings: Settings) -> Path:
    """jieba's dictionary converted to Traditional Chinese with OpenCC (jieba mis-segments Traditional text).

    Deterministic: the same jieba dictionary and OpenCC config give the same bytes; regenerated when
    either changes (a stamp records both).
    """
    import jieba
    import opencc

    target = settings.root / JIEBA_HANT
    stamp_file = target.with_suffix(".stamp")
    source = Path(jieba.__file__).parent / "dict.txt"
    stamp = f"{settings.opencc_config} {source.stat().st_size} {jieba.__version__}"
    if target.is_file() and stamp_file.is_file() and stamp_file.read_text(encoding="utf-8") == stamp:
        return target
    converted = opencc.OpenCC(settings.opencc_config).convert(source.read_text(encoding="utf-8"))
    atomic_write(target, converted.encode("utf-8"))
    atomic_write(stamp_file, stamp.encode("utf-8"))
    return target


def _env(settings: Settings) -> dict[str, str]:
    """Deterministic builds; the site URL comes from one place ([tool.noticepub] site_url)."""
    base = settings.site_url.rstrip("/") + "/"
    return {**os.environ, "SOURCE_DATE_EPOCH": "0", "PYTHONHASHSEED": "0", "NO_MKDOCS_2_WARNING": "1",
            "NOTICEPUB_SITE_URL": base, "NOTICEPUB_SITE_URL_ZH_HANT": base + "zh-Hant/",
            "NOTICEPUB_SITE_URL_EN": base + "en/"}


def _mkdocs_build(settings: Settings, lang: str, out: Path, strict: bool) -> list[str]:
    """One language's build into ``out``; returns MkDocs' warnings, raises with them on failure."""
    args = [sys.executable, "-m", "mkdocs", "build", "--clean", "--strict" if strict else "--no-strict",
            "-f", CONFIGS[lang], "-d", str(out)]
    run = subprocess.run(args, cwd=settings.root, env=_env(settings), capture_output=True, text=True)
    problems = [line.strip() for line in run.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    if run.returncode != 0:
        detail = "; ".join(problems[:5]) or (run.stderr.strip().splitlines() or ["mkdocs failed"])[-1]
        raise NoticepubError(settings.root / CONFIGS[lang], f"mkdocs build ({lang}) failed: {detail}")
    return problems


def build_site(settings: Settings, strict: bool = True, jobs: int | None = None) -> list[str]:
    """Build site/ from docs/ (three languages); returns MkDocs warnings (none when ``strict``)."""
    from noticepub.build import ready_for_site  # refuses a half-applied or hand-edited docs/ (issue 11)

    ready_for_site(settings, notify=lambda line: print(f"noticepub: {line}", file=sys.stderr), hold=True)
    if not (settings.docs_path / "zh-Hans" / "index.md").is_file():
        raise NoticepubError(settings.docs_path, "no generated pages; run `noticepub build` first")
    ensure_jieba_hant(settings)
    write_jieba_user_dicts(settings)
    site = settings.root / "site"
    stage = settings.root / CACHE / "site-stage"
    shutil.rmtree(stage, ignore_errors=True)
    outs = {lang: stage / (lang if lang != "zh-Hans" else "root") for lang in CONFIGS}
    jobs = jobs or min(len(CONFIGS), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {lang: pool.submit(_mkdocs_build, settings, lang, out, strict) for lang, out in outs.items()}
        results = {lang: f.exception() or f.result() for lang, f in futures.items()}
    failures = [r for r in results.values() if isinstance(r, BaseException)]
    if failures:
        shutil.rmtree(stage, ignore_errors=True)
        raise failures[0]
    root = outs["zh-Hans"]
    for lang in ("zh-Hant", "en"):
        os.replace(outs[lang], root / SUBDIRS[lang])
    old = settings.root / CACHE / "site-old"
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.replace(site, old)
    os.replace(root, site)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(stage, ignore_errors=True)
    return [w for r in results.values() if isinstance(r, list) for w in r]


def cmd_site(args: argparse.Namespace) -> int:
    warnings = build_site(load_settings(), strict=not args.no_strict)
    for warning in warnings:
        print(warning, file=sys.stderr)
    print("site/ built: zh-Hans at the root, site/zh-Hant/, site/en/"
          + (f" ({len(warnings)} MkDocs warnings)" if warnings else ""))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    ensure_jieba_hant(settings)
    write_jieba_user_dicts(settings)
    os.chdir(settings.root)  # Material resolves the jieba dictionary paths from the working directory
    os.execve(sys.executable, [sys.executable, "-m", "mkdocs", "serve", "-f", CONFIGS[args.lang], "-a", args.addr],
              _env(settings))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("site", help="build the static site (three languages) into site/ with mkdocs --strict")
    p.add_argument("--no-strict", action="store_true", help="report MkDocs warnings instead of failing on them")
    p.set_defaults(func=cmd_site)
    p = subparsers.add_parser("serve", help="live preview of one language (zh-Hans by default)")
    p.add_argument("--lang", choices=sorted(CONFIGS), default="zh-Hans")
    p.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    p.set_defaults(func=cmd_serve)
