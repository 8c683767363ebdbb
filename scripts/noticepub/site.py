"""Build the static site: three MkDocs builds (zh-Hans at the root, zh-Hant and en under prefixes)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from noticepub.errors import NoticepubError
from noticepub.fsutil import atomic_write
from noticepub.settings import Settings, load_settings

CONFIGS = {"zh-Hans": "mkdocs.yml", "zh-Hant": "config/zh-Hant.yml", "en": "config/en.yml"}
JIEBA_HANT = ".noticepub-cache/jieba-zh-Hant.txt"
JIEBA_USER = ".noticepub-cache/jieba-user-{lang}.txt"


def write_jieba_user_dicts(settings: Settings) -> None:
    """Glossary terms as jieba user words, so 养老机构 or 農民工 are single search tokens."""
    from noticepub.translate.glossary import load_glossary
    from noticepub.variants import to_hant

    terms = sorted({t.zh for t in load_glossary(settings.glossary_path)})
    for lang, convert in (("zh-Hans", lambda s: s), ("zh-Hant", lambda s: to_hant(s, settings))):
        lines = "".join(f"{convert(term)} 100000 n\n" for term in terms)
        target = settings.root / JIEBA_USER.format(lang=lang)
        if not target.is_file() or target.read_text(encoding="utf-8") != lines:
            atomic_write(target, lines.encode("utf-8"))


def ensure_jieba_hant(settings: Settings) -> Path:
    """jieba's dictionary converted to Traditional Chinese with OpenCC (jieba mis-segments Traditional text)."""
    import jieba
    import opencc

    target = settings.root / JIEBA_HANT
    stamp_file = target.with_suffix(".stamp")
    source = Path(jieba.__file__).parent / "dict.txt"
    stamp = f"{settings.opencc_config} {source.stat().st_size}"
    if target.is_file() and stamp_file.is_file() and stamp_file.read_text(encoding="utf-8") == stamp:
        return target
    converted = opencc.OpenCC(settings.opencc_config).convert(source.read_text(encoding="utf-8"))
    atomic_write(target, converted.encode("utf-8"))
    atomic_write(stamp_file, stamp.encode("utf-8"))
    return target


def _mkdocs(settings: Settings, *args: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "PYTHONHASHSEED": "0", "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=settings.root, env=env,
                         capture_output=True, text=True)
    if run.returncode != 0:
        lines = run.stderr.splitlines()
        problems = [line for line in lines if "ERROR" in line] + [line for line in lines if "WARNING" in line]
        detail = problems[0] if problems else (run.stderr.strip().splitlines() or ["mkdocs failed"])[-1]
        raise NoticepubError(settings.root / args[-1], f"mkdocs build failed: {detail.strip()}")


def build_site(settings: Settings, strict: bool = True) -> None:
    if not (settings.docs_path / "zh-Hans" / "index.md").is_file():
        raise NoticepubError(settings.docs_path, "no generated pages; run `noticepub build` first")
    ensure_jieba_hant(settings)
    write_jieba_user_dicts(settings)
    flags = ["--strict"] if strict else []
    for config in CONFIGS.values():  # root first: its clean must not wipe the other languages
        _mkdocs(settings, "build", "--quiet", *flags, "-f", config)


def cmd_site(args: argparse.Namespace) -> int:
    build_site(load_settings(), strict=not args.no_strict)
    print("site/ built: zh-Hans at the root, site/zh-Hant/, site/en/")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    ensure_jieba_hant(settings)
    write_jieba_user_dicts(settings)
    os.execv(sys.executable, [sys.executable, "-m", "mkdocs", "serve", "-f", str(settings.root / CONFIGS[args.lang]),
                              "-a", args.addr])
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("site", help="build the static site (three languages) into site/ with mkdocs --strict")
    p.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    p.set_defaults(func=cmd_site)
    p = subparsers.add_parser("serve", help="live preview of one language")
    p.add_argument("--lang", choices=sorted(CONFIGS), default="zh-Hans")
    p.add_argument("--addr", default="127.0.0.1:8000")
    p.set_defaults(func=cmd_serve)
