"""Build the static site: three MkDocs builds (zh-Hans at the root, zh-Hant and en under prefixes).

The three builds run in parallel, each into its own build folder under .noticepub-cache/site-build;
when all three (and their search indexes) succeeded, site/ is replaced in one step by a tree of hard
links into those folders (_publish_site, fsutil.publish_tree), so a failed or killed build leaves the
previous site/ as it was and a reader never sees a mix.
"""

from __future__ import annotations

import contextlib
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
from noticepub.fsutil import (
    Published,
    folder_stamps,
    publish_tree,
    refuse_symlinks,
    tree_layout,
    tree_symlinks,
    walk_stamped,
    walk_tree,
)
from noticepub.model import LANG_DIRS
from noticepub.settings import CACHE_DIR, Settings
from noticepub.site_incremental import (
    SECRET_ENV,
    LangDir,
    Manifest,
    SymlinkInTree,
    _digest,
    cache_secret,
    global_key,
    read_signed,
    verified,
    walk,
    write_signed,
)

CONFIGS = {"zh-Hans": "mkdocs.yml", "zh-Hant": "config/zh-Hant.yml", "en": "config/en.yml"}
CACHE = CACHE_DIR
BUILD_DIR = f"{CACHE}/site-build"
HOOKS = "scripts/noticepub/mkdocs_hooks.py"
# Folders at the top of a language's site/ that other steps fill after MkDocs (the search index): no
# language's MkDocs output may hold them.
UNMANAGED = frozenset({"np-search"})  # search_index.BUNDLE
SPARE = "spare"  # under BUILD_DIR: the site published before site/'s current one (see _publish_site)
SITEMAPS = "sitemaps"  # under BUILD_DIR: sitemaps and robots.txt as site/ will hold them (sitemaps.py)


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
    from docs/'s stat cache (cache.DocsState, which the build keeps). The files are those of the walk of
    docs/ that cache.ready_for_site made (``state.tree``, under the build lock `noticepub site` holds), else
    of a walk of docs/<lang>."""
    prefix = f"{lang}/"
    if state.tree is not None:
        cut = len(prefix)
        files = {rel[cut:]: info for rel, info in state.tree.items() if rel.startswith(prefix)}
    else:
        files = walk(settings.docs_path / lang)
    parts: list[str] = []
    for rel, info in sorted(files.items()):
        parts += [rel, state.digest(prefix + rel, info) or "<unreadable>"]
    return _digest(*parts)


_MANIFESTS: dict[str, tuple[list[int], Manifest]] = {}


def _file_stamp(path: Path) -> list[int] | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _manifest(folder: LangDir) -> Manifest:
    """``folder.read_manifest()`` (ValueError when there is no valid one), read and its signature checked once
    per process and version of the file (the worker replaces it by a rename: a new inode). Read only."""
    stamp = _file_stamp(folder.manifest)
    if stamp is None:
        return folder.read_manifest()
    kept = _MANIFESTS.get(str(folder.manifest))
    if kept is None or kept[0] != stamp:
        kept = _MANIFESTS[str(folder.manifest)] = (stamp, folder.read_manifest())
    return kept[1]


def _tree_intact(folder: LangDir, stats: dict[str, os.stat_result]) -> bool:
    """The build folder's output tree (``stats``: its walk) still holds exactly what its last successful
    build recorded."""
    try:
        manifest = _manifest(folder)
    except ValueError:
        return False
    return stats.keys() == manifest.keys() and len(verified(manifest, stats)) == len(manifest)


def _reused_language(settings: Settings, lang: str, key: str, strict: bool,
                     docs_state: DocsState) -> tuple[LangResult | None, str]:
    """(the language's last build, when nothing it reads changed and its folder is intact, else None;
    the fingerprint of its inputs). Cheap, and run in the main thread: only stats and cached digests."""
    t0 = time.perf_counter()
    folder = LangDir(settings.root / BUILD_DIR / lang)
    fingerprint = _digest(key, _docs_fingerprint(settings, lang, docs_state))
    summary = folder.read_summary()
    if not summary or summary.get("fingerprint") != fingerprint:  # rebuilt: the worker walks its output tree
        links = tree_symlinks(folder.out)  # refused before any worker writes: names and types only, no stat
        if links:
            raise _symlink_error(str(folder.out / links[0]))
        return None, fingerprint
    try:
        expected = _manifest(folder).keys()
    except ValueError:
        expected = {}.keys()
    known = _out_stamps(folder)
    try:  # a symlink planted in the output tree is refused before anything is written there
        stats, _, fresh = walk_stamped(folder.out, expected, known, refuse_links=True)
    except SymlinkInTree as exc:
        raise _symlink_error(exc.path) from None
    if _tree_intact(folder, stats):
        if fresh != known:
            _record_out_stamps(folder, fresh)
        warnings = list(summary.get("warnings") or [])
        if strict and warnings:
            raise NoticepubError(settings.root / CONFIGS[lang], f"mkdocs build ({lang}) failed: "
                                 + "; ".join(warnings[:5]))
        return LangResult(lang, time.perf_counter() - t0, True, summary, warnings), fingerprint
    return None, fingerprint


OUT_STAMPS = "out-stamps.json"  # in a language's build folder: its output tree's folder stamps, and which manifest


def _out_stamps(folder: LangDir) -> dict[str, list[int]] | None:
    """The folder stamps of the language's output tree (fsutil.walk_stamped), recorded when it held exactly
    what its manifest lists; None when there are none for the manifest there now."""
    data = read_signed(folder.path / OUT_STAMPS)
    if not isinstance(data, dict) or data.get("manifest") != _file_stamp(folder.manifest) \
            or not isinstance(data.get("dirs"), dict):
        return None
    return data["dirs"]


def _record_out_stamps(folder: LangDir, stamps: dict[str, list[int]] | None = None) -> None:
    """Record the stamps of the output tree's folders (``stamps``, else stat'ed now: call it right after the
    worker made the tree hold exactly what its manifest lists; no one else writes there)."""
    with contextlib.suppress(OSError, ValueError):  # without the record, the next run lists every folder
        if stamps is None:
            stamps = folder_stamps(folder.out, tree_layout(_manifest(folder)).keys())
        write_signed(folder.path / OUT_STAMPS, {"manifest": _file_stamp(folder.manifest), "dirs": stamps})


def _symlink_error(path: str) -> ConfigError:
    return ConfigError(path, "is a symbolic link inside a build folder of `noticepub site`, which writes there; "
                       "noticepub writes and deletes nothing through a symlink; remove it")


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
    for line in run.stderr.splitlines():
        if run.returncode == 4 and line.startswith("SYMLINK "):  # found before the worker wrote anything
            raise _symlink_error(json.loads(line[len("SYMLINK "):]))
        if run.returncode == 3 and line.startswith("OSERROR "):  # a system error: exit 1, not bad input
            number, message, filename = json.loads(line[len("OSERROR "):])
            raise OSError(number, f"{message} (mkdocs build, {lang})", filename)
    problems = [line.strip() for line in run.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    summary = folder.read_summary()
    if run.returncode != 0 or summary is None:
        detail = "; ".join(problems[:5]) or (run.stderr.strip().splitlines() or ["mkdocs failed"])[-1]
        raise NoticepubError(settings.root / CONFIGS[lang], f"mkdocs build ({lang}) failed: {detail}")
    return LangResult(lang, time.perf_counter() - t0, False, summary, list(summary.get("warnings") or []))


def _make_search_index(settings: Settings, lang: str, fingerprint: str) -> tuple[int, ...] | None:
    """One language's search index (noticepub.search_index), made in its build folder from the pages
    MkDocs wrote there: only changed pages are prepared again, only shards with a changed page are indexed
    again. Skipped when the index was last completed for these very inputs (``fingerprint``; a signed
    marker, removed before indexing starts, so an interrupted index is finished next time). Returns the
    shards indexed, or None when skipped. site/ is not touched (see :func:`_publish_site`)."""
    from noticepub.search_index import BUNDLE, SHARDS_FILE, build_search_index

    folder = LangDir(settings.root / BUILD_DIR / lang)
    bundle = folder.path / "search" / BUNDLE
    marker = folder.path / "search" / "indexed.json"
    mark = read_signed(marker)
    if mark == {"fingerprint": fingerprint, "bundle": _bundle_state(bundle)} and (bundle / SHARDS_FILE).is_file():
        return None
    if isinstance(mark, dict) and mark.get("bundle") != _bundle_state(bundle):
        shutil.rmtree(bundle, ignore_errors=True)  # changed behind the index's back (site/ edited in place?)
    marker.unlink(missing_ok=True)
    digests = {rel: entry[3] for rel, entry in _manifest(folder).items()}
    report = build_search_index(folder.out, lang, folder.path / "search" / "work", bundle, digests,
                                settings.search_shard_pages)
    write_signed(marker, {"fingerprint": fingerprint, "bundle": _bundle_state(bundle)})
    return report.indexed


def _bundle_state(bundle: Path) -> str:
    """Every file of a search index bundle, with its size, mtime and inode: a file edited in place through
    a hard link in site/ changes it."""
    found, _ = walk_tree(bundle)
    return _digest(*(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}" for rel, st in sorted(found.items())))


def _published_files(settings: Settings, lang: str, summary: dict) -> dict[str, Published]:
    """What site/ holds of one language: its MkDocs output (but the hook's sitemap, which sitemaps.py reads
    and replaces) and its search index, from its build folder.
    Files the build replaces by a rename are hard-linked; files some step rewrites in place (a hook's
    sitemap, the index's character map and shard list) are copied, so that site/ never shares them."""
    from noticepub.search_index import BUNDLE

    folder = LangDir(settings.root / BUILD_DIR / lang)
    sub = LANG_DIRS[lang]
    prefix = f"{sub}/" if sub else ""
    skip = UNMANAGED | (frozenset(LANG_DIRS.values()) - {""} if sub == "" else frozenset())
    try:
        manifest = _manifest(folder)
    except ValueError:
        raise NoticepubError(folder.path, "the build folder of this language is damaged; run `noticepub site` "
                             "again (it rebuilds it)") from None
    clash = sorted({rel.split("/", 1)[0] for rel in manifest} & skip)
    if clash:
        raise NoticepubError(settings.docs_path / lang, f"{clash[0]}/ is reserved for another language or step")
    inplace = set(summary.get("inplace") or ())
    out = str(folder.out)
    files = {prefix + rel: Published(f"{out}/{rel}", ino, size, rel not in inplace)
             for rel, (size, _mtime, ino, _digest) in manifest.items() if not sitemaps.owned(rel)}
    bundle = folder.path / "search" / BUNDLE
    found, _ = walk_tree(bundle)
    for rel, st in found.items():
        files[f"{prefix}{BUNDLE}/{rel}"] = Published(f"{bundle}/{rel}", st.st_ino, st.st_size, "/" in rel)
    return files


def _publish_site(settings: Settings, results: dict[str, LangResult], clean: bool = False,
                  progress: Callable[[str], None] | None = None) -> int:
    """Replace site/ by the new build in one step (see fsutil.publish_tree): the spare tree under
    .noticepub-cache/site-build/spare (the site published before this one) is brought up to date by hard
    links into the build folders, then swapped with site/ by one rename. Readers see the old site or the
    new one, never a mix; a command killed at any moment leaves site/ old or new, and the next one
    finishes. Returns the files linked, copied or removed in the spare tree (0: site/ was current)."""
    target: dict[str, Published] = {}
    for lang in CONFIGS:
        target.update(_published_files(settings, lang, results[lang].summary))
    # The sitemaps and robots.txt, made in a folder of their own beside the languages' builds (written only
    # when their bytes change, each by a rename), are published in the same step as the pages they list.
    staged = settings.root / BUILD_DIR / SITEMAPS
    sitemaps.publish(settings, BUILD_DIR, list(CONFIGS), progress, site_root=staged, manifest=_manifest)
    found, _ = walk_tree(staged)
    for rel, st in found.items():
        target[rel] = Published(f"{staged}/{rel}", st.st_ino, st.st_size, True)
    for lang in CONFIGS:  # lists of an older publishing scheme
        for name in ("published.pickle", "published.json", "search/published.json"):
            (settings.root / BUILD_DIR / lang / name).unlink(missing_ok=True)
    build_dir = settings.root / BUILD_DIR
    site = settings.root / "site"
    # What site/ was last replaced by: when the files to publish are the same ones, site/ is compared with
    # them (a hand edit is repaired); else it is known to be stale, and the spare tree is synced at once.
    record = build_dir / "published.json"
    fingerprint = _digest(*(f"{rel}\0{p.ino}\0{p.size}\0{p.link}" for rel, p in sorted(target.items())))
    try:
        live = os.stat(site).st_ino
    except FileNotFoundError:
        live = None
    known = read_signed(record)
    check_live = (live is not None and isinstance(known, dict) and known.get("site") == live
                  and known.get("files") == fingerprint)
    # site/'s folders as they were when they last held exactly these files (fsutil.walk_stamped): those
    # unchanged since are not listed again
    stamps = known.get("dirs") if check_live and isinstance(known.get("dirs"), dict) else None
    # after a clean build (or the first one) every file is new: the spare tree is made equal to site/ at once
    mirror = clean or not isinstance(known, dict)
    kept: dict = {}
    changes = publish_tree(site, build_dir / SPARE, target, os.stat(build_dir).st_dev, check_live=check_live,
                           mirror=mirror, stamps=stamps, record=kept)
    with contextlib.suppress(OSError):  # site/ is published already; without the record, the next run syncs again
        new = {"site": os.stat(site).st_ino, "files": fingerprint, "dirs": kept.get("dirs", {})}
        if new != known:
            write_signed(record, new)
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
    build = root / BUILD_DIR
    folders = [build / name / sub for name in CONFIGS for sub in ("out", "contents", "search")]
    # Scanned inside: the folders other code writes into by name (compiled templates, the search index).
    # The output trees are checked by the walk that runs anyway (_reused_language), the page store and the
    # spare tree are written only through files created without following links (site_incremental.write_new,
    # fsutil.sync_tree), and site/ itself is only ever renamed.
    refuse_symlinks(root, *folders, build / SPARE, build / SITEMAPS,
                    scan=(build / "jinja", build / SITEMAPS, *(build / name / "search" for name in CONFIGS)),
                    what="`noticepub site` writes there")
    for folder in (build, *(build / name for name in CONFIGS)):
        if folder.is_dir():
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        raise ConfigError(entry.path, "is a symbolic link inside a build folder of `noticepub site`, "
                                          "which writes there; noticepub writes and deletes nothing through a "
                                          "symlink; remove it")


def _note_site_state(exc: BaseException, site: Path) -> None:
    """What a failed or interrupted `noticepub site` left: site/ is only ever replaced in one step, last."""
    if getattr(exc, "docs_state", None) is None and not site.is_symlink():
        with contextlib.suppress(AttributeError):
            exc.docs_state = (f"{site}/ unchanged: still the previous complete build" if site.is_dir()
                              else f"{site}/ not created")


def build_site(settings: Settings, strict: bool = True, jobs: int | None = None, langs: list[str] | None = None,
               clean: bool = False, progress: Callable[[str], None] | None = None) -> list[str]:
    """Build site/ from docs/; returns MkDocs warnings (none when ``strict``).

    Incremental (see site_incremental): each language is rebuilt in its own folder under
    .noticepub-cache/site-build, reusing every page whose inputs did not change (a language whose inputs
    did not change is not rebuilt at all), and site/ is replaced in one step only when all of them
    succeeded, so a failed or interrupted build leaves site/ as it was. ``langs`` (default all three): the
    languages reported (progress lines, warnings) and forgotten by ``clean``; all three are checked, and
    rebuilt when their inputs changed, since site/ always holds all three. ``clean`` forgets everything
    first (the result is the same, byte for byte).
    """
    site = settings.root / "site"
    try:
        return _build_site(settings, strict, jobs, langs, clean, progress)
    except BaseException as exc:
        _note_site_state(exc, site)
        raise


def _build_site(settings: Settings, strict: bool, jobs: int | None, langs: list[str] | None, clean: bool,
                progress: Callable[[str], None] | None) -> list[str]:
    from noticepub.cache import docs_stat_cache, ready_for_site  # refuses a half-applied or hand-edited docs/

    check_site_paths(settings)  # before anything is read, written or deleted
    docs_state = docs_stat_cache(settings)
    ready_for_site(settings, notify=lambda line: print(f"noticepub: {line}", file=sys.stderr), hold=True,
                   state=docs_state)
    if not (settings.docs_path / "zh-Hans" / "index.md").is_file():
        raise NoticepubError(settings.docs_path, "no generated pages; run `noticepub build` first")
    if clean:  # site/ itself stays until the new one replaces it
        for lang in [lang for lang in CONFIGS if langs is None or lang in langs]:
            shutil.rmtree(settings.root / BUILD_DIR / lang, ignore_errors=True)
        shutil.rmtree(settings.root / BUILD_DIR / SPARE, ignore_errors=True)
    asked = [lang for lang in CONFIGS if langs is None or lang in langs]  # (serve: the languages whose docs changed)
    langs = list(CONFIGS)  # site/ holds all three: each is checked, and rebuilt only when its inputs changed
    env = _env(settings)
    key = site_key(settings, env)
    env = {**env, SECRET_ENV: cache_secret().hex()}  # the workers sign their state with this machine's key
    jobs = jobs or len(langs)  # the languages side by side (MkDocs runs as processes)
    results: dict[str, LangResult | BaseException] = {}
    indexed: dict[str, tuple[int, ...] | None] = {}
    say = threading.Lock()  # one progress line at a time: print() from threads can interleave lines

    def build_and_index(lang: str, fingerprint: str) -> LangResult:
        result = _build_language(settings, lang, key, env, strict, fingerprint)
        _record_out_stamps(LangDir(settings.root / BUILD_DIR / lang))
        if progress is not None:
            with say:
                progress(result.line())
        indexed[lang] = _make_search_index(settings, lang, fingerprint)
        return result

    # Which languages must be rebuilt: checked one after the other (Python-bound stat walks run slower
    # side by side, on one interpreter lock); the rebuilds then run side by side.
    pending: dict[str, str] = {}
    checked = {lang: _reused_language(settings, lang, key, strict, docs_state) for lang in langs}  # may refuse
    for lang, (reused, fingerprint) in checked.items():
        if reused is None:
            pending[lang] = fingerprint
            continue
        results[lang] = reused
        if progress is not None and lang in asked:
            progress(reused.line())
        indexed[lang] = _make_search_index(settings, lang, fingerprint)
    with ThreadPoolExecutor(max_workers=jobs) as pool:  # MkDocs runs as processes
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
    changes = _publish_site(settings, results, clean, progress)  # type: ignore[arg-type]
    if progress is not None:
        took = f"{time.perf_counter() - t0:.1f} s"
        progress(f"site: site/ replaced in one step ({changes} files linked, copied or removed), {took}" if changes
                 else f"site: site/ already current, {took}")
    return [w for lang in asked for w in results[lang].warnings]  # type: ignore[union-attr]
