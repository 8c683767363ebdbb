"""Build the static site: three MkDocs builds (zh-Hans at the root, zh-Hant and en under prefixes).

The three builds run in parallel, each into its own folder of a staging tree; the staging tree
replaces site/ only when all three succeeded, so a failed build leaves the previous site/ as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from noticepub import sitemaps
from noticepub.cache import DocsState
from noticepub.errors import ConfigError, NoticepubError
from noticepub.fsutil import atomic_write, refuse_symlinks
from noticepub.model import LANG_DIRS
from noticepub.settings import CACHE_DIR, Settings
from noticepub.site_incremental import (
    SECRET_ENV,
    LangDir,
    Manifest,
    _digest,
    cache_secret,
    global_key,
    read_signed,
    remove_empty_dirs,
    stat_sig,
    verified,
    walk,
    write_signed,
)

CONFIGS = {"zh-Hans": "mkdocs.yml", "zh-Hant": "config/zh-Hant.yml", "en": "config/en.yml"}
CACHE = CACHE_DIR
BUILD_DIR = f"{CACHE}/site-build"
HOOKS = "scripts/noticepub/mkdocs_hooks.py"
# Folders at the top of a language's site/ that other steps write after MkDocs; never synced or deleted.
UNMANAGED = frozenset({"np-search"})  # search_index.BUNDLE


def _env(settings: Settings) -> dict[str, str]:
    """Deterministic builds; the site URL comes from one place ([tool.noticepub] site_url)."""
    base = settings.site_url.rstrip("/") + "/"
    package_dir = str(Path(__file__).resolve().parents[1])  # the workers import this very noticepub
    path = os.pathsep.join(p for p in (package_dir, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "SOURCE_DATE_EPOCH": "0", "PYTHONHASHSEED": "0", "NO_MKDOCS_2_WARNING": "1",
            "NOTICEPUB_SITE_URL": base, "NOTICEPUB_SITE_URL_ZH_HANT": base + "zh-Hant/",
            "NOTICEPUB_SITE_URL_EN": base + "en/"}


def site_key(settings: Settings, env: dict[str, str]) -> str:
    """What every page of every language depends on besides its own docs (see site_incremental)."""
    root = settings.root
    return global_key(
        root, env,
        config_files=[root / name for name in CONFIGS.values()],
        extra_files=[root / HOOKS],
        extra_dirs=[root / "overrides"],
    )


@dataclass
class LangResult:
    lang: str
    seconds: float
    reused: bool                      # inputs unchanged since the last build: MkDocs not run at all
    summary: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.reused:
            return f"site: {self.lang} unchanged, {self.seconds:.1f} s"
        s = self.summary
        return (f"site: {self.lang} built in {self.seconds:.1f} s ({s.get('pages', 0)} pages: "
                f"{s.get('templates_rendered', 0)} rendered, {s.get('pages', 0) - s.get('templates_rendered', 0)} "
                f"reused; {s.get('written', 0)} files written, {s.get('deleted', 0)} deleted)")


def _docs_fingerprint(settings: Settings, lang: str, state: DocsState) -> str:
    """Paths and digests of every file under docs/<lang>, a file read again only when its stat differs
    from docs/'s stat cache (cache.DocsState, which the build keeps)."""
    parts: list[str] = []
    for rel, info in sorted(walk(settings.docs_path / lang).items()):
        parts += [rel, state.digest(f"{lang}/{rel}", info) or "<unreadable>"]
    return _digest(*parts)


def _tree_intact(folder: LangDir) -> bool:
    """The build folder still holds exactly what its last successful build recorded."""
    try:
        manifest = folder.read_manifest()
    except ValueError:
        return False
    stats = walk(folder.out)
    return stats.keys() == manifest.keys() and len(verified(manifest, stats)) == len(manifest)


def _reused_language(settings: Settings, lang: str, key: str, strict: bool,
                     docs_state: DocsState) -> tuple[LangResult | None, str]:
    """(the language's last build, when nothing it reads changed and its folder is intact, else None;
    the fingerprint of its inputs). Cheap, and run in the main thread: only stats and cached digests."""
    t0 = time.perf_counter()
    folder = LangDir(settings.root / BUILD_DIR / lang)
    fingerprint = _digest(key, _docs_fingerprint(settings, lang, docs_state))
    summary = folder.read_summary()
    if summary and summary.get("fingerprint") == fingerprint and _tree_intact(folder):
        warnings = list(summary.get("warnings") or [])
        if strict and warnings:
            raise NoticepubError(settings.root / CONFIGS[lang], f"mkdocs build ({lang}) failed: "
                                 + "; ".join(warnings[:5]))
        return LangResult(lang, time.perf_counter() - t0, True, summary, warnings), fingerprint
    return None, fingerprint


def _build_language(settings: Settings, lang: str, key: str, env: dict[str, str], strict: bool,
                    fingerprint: str) -> LangResult:
    """One language into its build folder, incrementally (a worker process: see site_incremental)."""
    t0 = time.perf_counter()
    folder = LangDir(settings.root / BUILD_DIR / lang)
    args = [sys.executable, "-m", "noticepub.site_incremental", "--root", str(settings.root),
            "--config", CONFIGS[lang], "--dir", str(folder.path), "--key", key, "--fingerprint", fingerprint]
    if strict:
        args.append("--strict")
    run = subprocess.run(args, cwd=settings.root, env=env, capture_output=True, text=True)
    problems = [line.strip() for line in run.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    summary = folder.read_summary()
    if run.returncode != 0 or summary is None:
        detail = "; ".join(problems[:5]) or (run.stderr.strip().splitlines() or ["mkdocs failed"])[-1]
        raise NoticepubError(settings.root / CONFIGS[lang], f"mkdocs build ({lang}) failed: {detail}")
    return LangResult(lang, time.perf_counter() - t0, False, summary, list(summary.get("warnings") or []))


def _make_search_index(settings: Settings, lang: str, rebuilt: bool) -> tuple[int, ...] | None:
    """One language's Pagefind index (noticepub.search_index), made in its build folder from the pages
    MkDocs wrote there: only changed pages are prepared again, only shards with a changed page are indexed
    again. Skipped when the language was not rebuilt and site/ holds its index already. Returns the
    shards indexed, or None when skipped. Runs as soon as the language's MkDocs build is done, beside the
    other languages' builds; site/ is not touched (see :func:`_publish_search_index`)."""
    from noticepub.search_index import BUNDLE, SHARDS_FILE, build_search_index

    folder = LangDir(settings.root / BUILD_DIR / lang)
    bundle = folder.path / "search" / BUNDLE
    target = settings.root / "site" / LANG_DIRS[lang] / BUNDLE
    if not rebuilt and (target / SHARDS_FILE).is_file() and (bundle / SHARDS_FILE).is_file():
        return None
    digests = {rel: entry[3] for rel, entry in folder.read_manifest().items()}
    report = build_search_index(folder.out, lang, folder.path / "search" / "work", bundle, digests,
                                settings.search_shard_pages)
    return report.indexed


def _publish_search_index(settings: Settings, lang: str) -> int:
    """Copy one language's index from its build folder into site/, shard by shard: a shard folder is
    replaced whole, and only when its key differs from the one last copied. Returns the shards copied."""
    from noticepub.search_index import BUNDLE, CHARMAP, SHARDS_FILE, index_shards

    folder = LangDir(settings.root / BUILD_DIR / lang)
    bundle = folder.path / "search" / BUNDLE
    target = settings.root / "site" / LANG_DIRS[lang] / BUNDLE
    published_file = folder.path / "search" / "published.json"
    shards = index_shards(folder.path / "search" / "work")
    try:
        published = json.loads(published_file.read_text(encoding="utf-8")) if target.is_dir() else {}
    except (OSError, ValueError):
        published = {}
    published_file.unlink(missing_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    names = set(shards)
    for stale in sorted(target.iterdir()):  # shards no longer made, and files of an older layout
        if stale.name not in names | {CHARMAP, SHARDS_FILE}:
            shutil.rmtree(stale) if stale.is_dir() and not stale.is_symlink() else stale.unlink()
    copied = 0
    for name, key in shards.items():
        dest = target / name
        if published.get(name) == key and dest.is_dir():
            continue
        tmp = target / f"{name}.noticepub-tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(bundle / name, tmp)
        shutil.rmtree(dest, ignore_errors=True)
        os.replace(tmp, dest)
        copied += 1
    for name in (CHARMAP, SHARDS_FILE):
        atomic_write(target / name, (bundle / name).read_bytes())
    atomic_write(published_file, json.dumps(shards).encode())
    return copied


def _publish(settings: Settings, lang: str) -> int:
    """Mirror one language's build folder into site/; returns the number of files copied or deleted.

    Only files whose digest differs from what site/ is recorded to hold are copied (each through a
    temporary file and a rename); a file in site/ changed by hand since (its stat differs) is
    copied again, and files the build did not produce are deleted.
    """
    folder = LangDir(settings.root / BUILD_DIR / lang)
    target = settings.root / "site" / LANG_DIRS[lang]
    skip = UNMANAGED | (frozenset(LANG_DIRS.values()) - {""} if LANG_DIRS[lang] == "" else frozenset())
    manifest = {rel: v for rel, v in folder.read_manifest().items() if not sitemaps.owned(rel)}
    clash = sorted({rel.split("/", 1)[0] for rel in manifest} & skip)
    if clash:
        raise NoticepubError(settings.docs_path / lang, f"{clash[0]}/ is reserved for another language or step")
    published_file = folder.path / "published.json"
    data = read_signed(published_file)
    published: Manifest = {rel: tuple(entry) for rel, entry in data.items()} if isinstance(data, dict) else {}
    published_file.unlink(missing_ok=True)
    stats = {rel: st for rel, st in walk(target, skip).items() if not sitemaps.owned(rel)}  # sitemaps.py's
    good = verified(published, stats)
    new: Manifest = {}
    changes = 0
    for rel, (_, _, _, digest) in manifest.items():
        if good.get(rel) == digest:
            new[rel] = published[rel]
            continue
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".noticepub-tmp")
        shutil.copyfile(folder.out / rel, tmp)
        os.replace(tmp, dest)
        new[rel] = (*stat_sig(dest.stat()), digest)
        changes += 1
    removed = sorted(stats.keys() - manifest.keys())
    for rel in removed:
        (target / rel).unlink()
        changes += 1
    remove_empty_dirs(target, removed)
    write_signed(published_file, new)
    return changes


def check_site_paths(settings: Settings) -> None:
    """What `noticepub site` writes and deletes -- site/ and the build folders under .noticepub-cache/ --
    is reached through no symlink: each is checked component by component, and the folders are scanned
    for symlinks inside. site/ must be a real folder (or absent): a committed `site -> .` or
    `site -> /some/dir` would have the build delete every file there that is not part of the site."""
    root = settings.root
    site = root / "site"
    if site.is_symlink():
        raise ConfigError(site, f"is a symbolic link (to {os.readlink(site)}); `noticepub site` writes and deletes "
                          "files in site/ and never through a link; remove it (git rm site) -- site/ is generated")
    if site.exists() and not site.is_dir():
        raise ConfigError(site, "is a file; `noticepub site` writes the site into a folder there; remove the file")
    refuse_symlinks(root, *(root / BUILD_DIR / lang for lang in CONFIGS),
                    scan=(root / BUILD_DIR, site), what="`noticepub site` writes there")


def build_site(settings: Settings, strict: bool = True, jobs: int | None = None, langs: list[str] | None = None,
               clean: bool = False, progress: Callable[[str], None] | None = None) -> list[str]:
    """Build site/ from docs/ (three languages, or ``langs``); returns MkDocs warnings (none when ``strict``).

    Incremental (see site_incremental): each language is rebuilt in its own folder under
    .noticepub-cache/site-build, reusing every page whose inputs did not change, and site/ is
    updated only when all of them succeeded, so a failed build leaves site/ as it was. ``clean``
    forgets everything first (the result is the same, byte for byte).
    """
    from noticepub.cache import docs_stat_cache, ready_for_site  # refuses a half-applied or hand-edited docs/

    check_site_paths(settings)  # before anything is read, written or deleted
    docs_state = docs_stat_cache(settings)
    ready_for_site(settings, notify=lambda line: print(f"noticepub: {line}", file=sys.stderr), hold=True,
                   state=docs_state)
    if not (settings.docs_path / "zh-Hans" / "index.md").is_file():
        raise NoticepubError(settings.docs_path, "no generated pages; run `noticepub build` first")
    langs = [lang for lang in CONFIGS if langs is None or lang in langs]
    if clean:
        for lang in langs:
            shutil.rmtree(settings.root / BUILD_DIR / lang, ignore_errors=True)
        if len(langs) == len(CONFIGS):
            shutil.rmtree(settings.root / "site", ignore_errors=True)
    env = _env(settings)
    key = site_key(settings, env)
    env = {**env, SECRET_ENV: cache_secret().hex()}  # the workers sign their state with this machine's key
    jobs = jobs or len(langs)  # the languages side by side (MkDocs and Pagefind run as processes)
    results: dict[str, LangResult | BaseException] = {}
    indexed: dict[str, tuple[int, ...] | None] = {}
    say = threading.Lock()  # one progress line at a time: print() from threads can interleave lines

    def build_and_index(lang: str, fingerprint: str) -> LangResult:
        result = _build_language(settings, lang, key, env, strict, fingerprint)
        if progress is not None:
            with say:
                progress(result.line())
        indexed[lang] = _make_search_index(settings, lang, True)
        return result

    # Which languages must be rebuilt: checked one after the other (Python-bound stat walks run slower
    # side by side, on one interpreter lock); the rebuilds then run side by side.
    pending: dict[str, str] = {}
    for lang in langs:
        reused, fingerprint = _reused_language(settings, lang, key, strict, docs_state)
        if reused is None:
            pending[lang] = fingerprint
            continue
        results[lang] = reused
        if progress is not None:
            progress(reused.line())
        indexed[lang] = _make_search_index(settings, lang, False)
    with ThreadPoolExecutor(max_workers=jobs) as pool:  # MkDocs and Pagefind run as processes
        futures = {pool.submit(build_and_index, lang, fp): lang for lang, fp in pending.items()}
        for future in as_completed(futures):
            results[futures[future]] = future.exception() or future.result()
    failures = [results[lang] for lang in langs if isinstance(results[lang], BaseException)]
    if failures:
        raise failures[0]
    made = [f"{lang} ({len(shards)} shard{'s' if len(shards) != 1 else ''})"
            for lang in langs if (shards := indexed.get(lang))]
    if progress is not None and made:
        progress(f"site: search index updated for {', '.join(made)}")
    t0 = time.perf_counter()
    # One language after the other: mostly stat walks, which run slower side by side on one interpreter
    # lock (the Pagefind index lives in a folder named in UNMANAGED, so that _publish leaves it alone).
    done = [(_publish(settings, lang), _publish_search_index(settings, lang)) for lang in langs]
    changes, shards = sum(c for c, _ in done), sum(s for _, s in done)
    sitemaps.publish(settings, BUILD_DIR, list(CONFIGS), progress)
    if progress is not None:
        progress(f"site: site/ updated, {changes} files and {shards} search shards copied or deleted, "
                 f"{time.perf_counter() - t0:.1f} s")
    return [w for lang in langs for w in results[lang].warnings]  # type: ignore[union-attr]
