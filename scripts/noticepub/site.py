"""Build the static site: three MkDocs builds (zh-Hans at the root, zh-Hant and en under prefixes).

The three builds run in parallel, each into its own folder of a staging tree; the staging tree
replaces site/ only when all three succeeded, so a failed build leaves the previous site/ as it was.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from noticepub import sitemaps
from noticepub.cache import DocsState
from noticepub.errors import NoticepubError
from noticepub.fsutil import atomic_write
from noticepub.model import LANG_DIRS
from noticepub.settings import CACHE_DIR, Settings
from noticepub.site_incremental import (
    LangDir,
    Manifest,
    _digest,
    global_key,
    remove_empty_dirs,
    stat_sig,
    verified,
    walk,
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
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
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
    import json

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
    published_file = folder.path / "published.pickle"
    try:
        published: Manifest = pickle.loads(published_file.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        published = {}
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
    atomic_write(published_file, pickle.dumps(new, protocol=pickle.HIGHEST_PROTOCOL))
    return changes


def build_site(settings: Settings, strict: bool = True, jobs: int | None = None, langs: list[str] | None = None,
               clean: bool = False, progress: Callable[[str], None] | None = None) -> list[str]:
    """Build site/ from docs/ (three languages, or ``langs``); returns MkDocs warnings (none when ``strict``).

    Incremental (see site_incremental): each language is rebuilt in its own folder under
    .noticepub-cache/site-build, reusing every page whose inputs did not change, and site/ is
    updated only when all of them succeeded, so a failed build leaves site/ as it was. ``clean``
    forgets everything first (the result is the same, byte for byte).
    """
    from noticepub.cache import docs_stat_cache, ready_for_site  # refuses a half-applied or hand-edited docs/

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


def _signature(folder: Path) -> tuple:
    """Cheap change detector for a folder: every file's path, size and mtime."""
    return tuple(sorted((rel, st.st_size, st.st_mtime_ns) for rel, st in walk(folder).items()))


def _global_signature(root: Path) -> tuple:
    files = [root / name for name in (*CONFIGS.values(), HOOKS)]
    return (tuple((str(p), p.stat().st_mtime_ns if p.exists() else None) for p in files),
            _signature(root / "overrides"))


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Material's 404 page of the language the URL is in, as on a static host."""
        page = Path(self.directory) / "404.html"
        for sub in LANG_DIRS.values():
            if sub and self.path.startswith(f"/{sub}/"):
                page = Path(self.directory) / sub / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A reader who closed the connection (or a client that gave up waiting) is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Preview:
    """site/ served over HTTP with every language under its real prefix, rebuilt as its inputs change.

    An edit under source_texts/ runs `noticepub build` (incremental); a changed docs/<lang> rebuilds
    that language's site only (incremental too); a changed site configuration, template or hook
    rebuilds all three.
    """

    def __init__(self, settings: Settings, addr: str, interval: float = 0.5,
                 say: Callable[[str], None] | None = None) -> None:
        host, _, port = addr.rpartition(":")
        self.settings = settings
        self.interval = interval
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        handler = partial(_Handler, directory=str(settings.root / "site"))
        self.server = _Server((host or "127.0.0.1", int(port)), handler)
        self.stop = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def _build_docs(self) -> None:
        run = subprocess.run([sys.executable, "-m", "noticepub", "build"], cwd=self.settings.root,
                             env=_env(self.settings), capture_output=True, text=True)
        if run.returncode != 0:
            self.say("serve: `noticepub build` failed: " + (run.stderr.strip().splitlines() or ["?"])[-1])

    def _rebuild(self, langs: list[str] | None) -> None:
        try:
            for warning in build_site(self.settings, strict=False, langs=langs, progress=self.say):
                self.say(warning)
        except NoticepubError as exc:
            self.say(f"serve: {exc.one_line()}; still serving the previous site")
        except OSError as exc:
            self.say(f"serve: {exc.filename or ''} {exc.strerror or exc}; still serving the previous site")

    def watch(self) -> None:
        root, docs = self.settings.root, self.settings.docs_path
        sources = _signature(root / "source_texts")
        glob_sig = _global_signature(root)
        docs_sig = {lang: _signature(docs / lang) for lang in CONFIGS}
        while not self.stop.wait(self.interval):
            now = _signature(root / "source_texts")
            if now != sources:
                sources = now
                self.say("serve: source_texts/ changed, running `noticepub build`")
                self._build_docs()
                sources = _signature(root / "source_texts")  # the build may rewrite translation memories
            now_global = _global_signature(root)
            now_docs = {lang: _signature(docs / lang) for lang in CONFIGS}
            if now_global != glob_sig:
                changed = list(CONFIGS)
            else:
                changed = [lang for lang in CONFIGS if now_docs[lang] != docs_sig[lang]]
            glob_sig, docs_sig = now_global, now_docs
            if changed:
                self.say(f"serve: rebuilding {', '.join(changed)}")
                self._rebuild(changed)

    def serve_forever(self) -> None:
        watcher = threading.Thread(target=self.watch, name="noticepub-watch", daemon=True)
        watcher.start()
        try:
            self.server.serve_forever(poll_interval=0.25)
        finally:
            self.stop.set()
            self.server.server_close()
