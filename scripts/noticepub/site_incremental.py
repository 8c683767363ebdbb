"""Incremental MkDocs build of one language: reuse what did not change, provably equal to a clean build.

A clean MkDocs build spends its time in pure steps per page: Markdown -> HTML (``Page.render``),
Material's search indexing (when its search plugin is configured; the site searches with its own index,
see search_index.py) and the Jinja page template. Each step is memoized here under a key that covers
everything the step reads:

* every step: the *global key*, a hash of the site configuration files, ``overrides/``, the hooks
  file, the environment the configuration reads (``NOTICEPUB_*``, ``SOURCE_DATE_EPOCH``), the
  versions of Python, MkDocs, Material, Markdown, pymdown-extensions, Jinja2 and PyYAML, and the
  source of the noticepub code the worker runs (``WORKER_MODULES``: this module and the package's
  ``__init__``; the rest of noticepub reaches the site only through docs/, so editing it does not
  re-render the site, and the worker fails if it ever imports another noticepub module);
* Markdown -> HTML: the page's Markdown (after ``on_page_markdown``), its path and URL, and every
  lookup of another file the link resolver made while rendering (so a link whose target appears or
  disappears re-renders the page); warnings logged while rendering are recorded and replayed, so a
  reused page still fails a ``--strict`` build;
* search entries: the page's HTML, table of contents, title, URL and front matter;
* page template: the page's HTML, table of contents, title, front matter, URLs, previous/next page
  and ancestors, and the whole navigation (titles, URLs and front matter of its pages: Material
  embeds the navigation in every page, so one nav change re-renders every page).

Everything else in a build (reading sources, the navigation, plugin events, the sitemap and search
index written by ``on_post_build``, 404 page, static files) runs every time, as in a clean build, so
shared context (home, indexes, feeds, sitemaps, search index) is always fresh.

The build writes into a private output tree (``.noticepub-cache/site-build/<lang>/out``) and rewrites
a file only when its bytes change; files the build did not produce are deleted. A manifest (size,
mtime, inode, digest) of that tree is kept with the memos; on the next build every file is checked
against its ``stat`` before its digest is trusted, so a tree damaged by a failed run or by hand is
repaired, never reused. ``site.py`` then mirrors the tree into ``site/``.

Run as a worker process: ``python -m noticepub.site_incremental --root R --lang L --config F --out D
--state S --key K [--strict]``.
"""

from __future__ import annotations

import argparse
import datetime
import errno
import hashlib
import hmac
import importlib.metadata
import inspect
import json
import logging
import os
import secrets
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_VERSION = 7
# The one MkDocs release whose private functions IncrementalBuild patches (pinned in pyproject.toml).
MKDOCS_VERSION = "1.6.1"
# Packages whose code shapes the HTML: their versions are part of every key.
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pyyaml")
ENV_PREFIXES = ("NOTICEPUB_", "SOURCE_DATE_EPOCH")
# The noticepub modules a worker imports: their source is the code version in every key (see global_key).
WORKER_MODULES = ("noticepub", "noticepub.site_incremental")
# The machine's key that signs the site build's state (see signed_dumps); handed to the worker processes.
SECRET_ENV = "NOTICEPUB_CACHE_SECRET"
# Variables that never shape a page: the signing key and the crash tests' fault injection.
UNKEYED_ENV = frozenset({SECRET_ENV, "NOTICEPUB_KILL_AT", "NOTICEPUB_FAULT"})


def _digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _tree_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def worker_code() -> list[Path]:
    """The source files of the noticepub modules a worker process imports (WORKER_MODULES): the rest of the
    package shapes the site only through docs/, which every memo key covers page by page. The worker checks
    after each build that it imported nothing else of noticepub (:func:`check_worker_modules`)."""
    package = Path(__file__).resolve().parent
    return [package / ("__init__.py" if name == "noticepub" else name.split(".", 1)[1] + ".py")
            for name in WORKER_MODULES]


def check_worker_modules() -> None:
    """Fail when the worker imported a noticepub module that the global key does not cover."""
    loaded = sorted(m for m in sys.modules if m == "noticepub" or m.startswith("noticepub."))
    extra = [m for m in loaded if m not in WORKER_MODULES]
    if extra:
        raise RuntimeError(f"the MkDocs worker imported {', '.join(extra)}, which the site build's key does not "
                           "cover; add it to WORKER_MODULES in noticepub/site_incremental.py")


def global_key(root: Path, env: Mapping[str, str], config_files: list[Path], extra_files: list[Path],
               extra_dirs: list[Path]) -> str:
    """The part of every memo key that does not depend on the page (see the module docstring)."""
    parts: list[bytes | str] = [f"state {STATE_VERSION}", sys.version]
    for name in PACKAGES:
        try:
            parts.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    for path in worker_code():  # the code version: what the worker process runs of noticepub
        parts.append(f"code {path.name}")
        parts.append(path.read_bytes())
    for key in sorted(env):
        if key.startswith(ENV_PREFIXES) and key not in UNKEYED_ENV:
            parts.append(f"env {key}={env[key]}")
    for path in [*config_files, *extra_files]:
        parts.append(f"file {path.relative_to(root) if path.is_relative_to(root) else path}")
        parts.append(path.read_bytes() if path.is_file() else b"<missing>")
    for folder in extra_dirs:
        for path in _tree_files(folder):
            parts.append(f"tree {path.relative_to(root) if path.is_relative_to(root) else path}")
            parts.append(path.read_bytes())
    return _digest(*parts)


# --- state files: JSON, signed with a key that never leaves the machine -------------------------------
#
# Nothing in .noticepub-cache/ is ever unpickled or executed: a cache restored from elsewhere (a CI cache,
# a forced commit) or planted by hand must at worst make the build slower. Every state file is JSON signed
# with an HMAC under a key kept outside the repository (XDG_STATE_HOME, 0600); a file whose signature does
# not verify is ignored (everything it described is rebuilt). Files the state points to (a page's stored
# HTML, the output tree) are trusted only while their stat matches what the signed state recorded.

_SIG = b"noticepub-signed-v1 "
_secret: bytes | None = None


def cache_secret() -> bytes:
    """The machine's signing key: from the parent process (SECRET_ENV), else the key file under
    XDG_STATE_HOME (~/.local/state/noticepub/cache-key, created 0600 on first use), else a key for this
    process only (nothing is reused across runs then: slower, never wrong)."""
    global _secret
    if _secret is not None:
        return _secret
    given = os.environ.get(SECRET_ENV, "")
    if len(given) == 64:
        try:
            _secret = bytes.fromhex(given)
            return _secret
        except ValueError:
            pass
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "noticepub"
    path = base / "cache-key"
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            with os.fdopen(fd, "rb") as fh:
                info = os.fstat(fh.fileno())
                key = fh.read(65)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and len(key) == 32:
                _secret = key
                return key
            break
        except FileNotFoundError:
            try:
                base.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            except FileExistsError:
                continue  # another process made it first: read that one
            except OSError:
                break
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
                fh.flush()
                os.fsync(fh.fileno())
        except OSError:
            break
    _secret = secrets.token_bytes(32)
    return _secret


def _mac(payload: bytes) -> bytes:
    return hmac.new(cache_secret(), payload, hashlib.sha256).hexdigest().encode()


def sign(payload: bytes) -> bytes:
    return _SIG + _mac(payload) + b"\n" + payload


def unsign(data: bytes) -> bytes:
    """The payload of :func:`sign`'s bytes; ValueError when they were not signed on this machine."""
    head, _, payload = data.partition(b"\n")
    if not head.startswith(_SIG) or not hmac.compare_digest(head[len(_SIG):], _mac(payload)):
        raise ValueError("not a state file signed on this machine")
    return payload


def signed_dumps(value: Any) -> bytes:
    return sign(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def signed_loads(data: bytes) -> Any:
    """The value of a signed state file; ValueError when it is not one, or was not signed on this machine."""
    return json.loads(unsign(data).decode("utf-8", "surrogatepass"))


def read_signed(path: Path) -> Any:
    """A signed state file's value, or None when it is missing, unreadable, unsigned or forged."""
    try:
        return signed_loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def write_signed(path: Path, value: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write_new(tmp, signed_dumps(value))
    os.replace(tmp, path)


def to_tagged(value: Any) -> Any:
    """A front matter value (what YAML's safe loader makes) as JSON that :func:`from_tagged` turns back into
    an equal value of the same types; TypeError for anything else (the value is then not memoized)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [to_tagged(v) for v in value]
    if isinstance(value, dict):
        return {"map": [[to_tagged(k), to_tagged(v)] for k, v in value.items()]}
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    raise TypeError(f"cannot keep a {type(value).__name__} in the state")


def from_tagged(value: Any) -> Any:
    if isinstance(value, list):
        return [from_tagged(v) for v in value]
    if isinstance(value, dict):
        [(tag, body)] = value.items()
        if tag == "map":
            return {from_tagged(k): from_tagged(v) for k, v in body}
        if tag == "datetime":
            return datetime.datetime.fromisoformat(body)
        if tag == "date":
            return datetime.date.fromisoformat(body)
        raise ValueError(f"unknown tag {tag!r}")
    return value


def _plain(value: Any) -> bool:
    """A value JSON gives back equal and of the same types: str keys, no dates."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return True
    if kind is list:
        return all(_plain(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def meta_to_state(value: Any) -> Any:
    """Front matter as the state keeps it: JSON text when JSON keeps it exactly (read back at C speed by
    :func:`meta_from_state`), else :func:`to_tagged`'s form (a front matter is a mapping, never a string)."""
    if type(value) is dict and _plain(value):
        return json.dumps(value, ensure_ascii=False)
    return to_tagged(value)


def meta_from_state(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else from_tagged(value)


def toc_to_json(toc: Any) -> list:
    """A page's table of contents (MkDocs' AnchorLinks with every attribute, e.g. ``active``) as JSON."""
    def item(link: Any) -> dict:
        attrs = {k: v for k, v in vars(link).items() if k != "children"}
        if not all(isinstance(v, (str, int, bool, type(None))) for v in attrs.values()):
            raise TypeError("a table of contents entry with a value JSON cannot keep")
        return {"attrs": attrs, "children": [item(c) for c in link.children]}
    return [item(link) for link in toc]


def toc_from_json(data: list) -> Any:
    from mkdocs.structure.toc import AnchorLink, TableOfContents

    def item(node: dict) -> Any:
        attrs = node["attrs"]
        link = AnchorLink(attrs["title"], attrs["id"], attrs["level"])
        vars(link).update(attrs)
        link.children = [item(c) for c in node["children"]]
        return link
    return TableOfContents([item(node) for node in data])


# --- manifests: what a tree holds, trusted only while each file's stat is unchanged ----------------

Manifest = dict[str, tuple[int, int, int, str]]  # relpath -> (size, mtime_ns, inode, digest)


def stat_sig(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ino)


class SymlinkInTree(Exception):
    """A symlink where the build writes (see :func:`walk`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} is a symbolic link inside a build folder of noticepub, which writes there and "
                         "never through a link; remove it (or delete .noticepub-cache/)")


def walk(root: Path, skip_top: frozenset[str] = frozenset(), refuse_links: bool = False) -> dict[str, os.stat_result]:
    """Every file under ``root`` (relative POSIX path -> stat), skipping the named top-level folders; a
    symlink is listed as a file and never followed (``refuse_links``: raise SymlinkInTree instead)."""
    found: dict[str, os.stat_result] = {}
    if not root.is_dir():
        return found
    stack = [(str(root), "")]  # plain strings: this runs for every file of the site
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if not (prefix == "" and entry.name in skip_top):
                        stack.append((entry.path, rel + "/"))
                else:
                    if refuse_links and entry.is_symlink():
                        raise SymlinkInTree(entry.path)
                    found[rel] = entry.stat(follow_symlinks=False)
    return found


def write_new(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a new file at ``path`` (a temporary name): a file or symlink left there is removed
    first, and the file is created exclusively without following a link, so nothing is written elsewhere."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def verified(manifest: Manifest, stats: dict[str, os.stat_result]) -> dict[str, str]:
    """relpath -> digest for the manifest entries whose file is still exactly as recorded."""
    good = {}
    for rel, (size, mtime, ino, digest) in manifest.items():
        st = stats.get(rel)
        if st is not None and stat_sig(st) == (size, mtime, ino):
            good[rel] = digest
    return good


def remove_empty_dirs(root: Path, removed: list[str]) -> None:
    """Remove the folders under ``root`` that the deletion of the files ``removed`` (relative paths) left
    empty, deepest first; ``root`` itself stays."""
    folders = {parent for rel in removed for parent in Path(rel).parents if parent != Path(".")}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        try:
            (root / folder).rmdir()
        except OSError:
            pass


# --- the memoized build -------------------------------------------------------------------------


@dataclass
class State:
    version: int = STATE_VERSION
    key: str = ""
    fingerprint: str = ""                                  # global key + docs, of the last successful build
    warnings: list[str] = field(default_factory=list)      # of the last successful build (replayed on a skip)
    render: dict[str, dict] = field(default_factory=dict)  # src_uri -> Markdown rendering memo
    search: dict[str, tuple[str, list]] = field(default_factory=dict)  # url -> (key, entries)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)    # dest relpath -> (key, digest)
    meta: dict[str, tuple[int | str, Any]] = field(default_factory=dict)  # source digest -> front matter split
    sources: dict[str, dict] = field(default_factory=dict)  # src_uri -> its file's stat and memo keys (see reuse)
    lookups: dict[str, list | None] = field(default_factory=dict)  # path -> what the link resolver found for it
    templates: dict[str, list[str]] = field(default_factory=dict)  # theme file listings (see get_env)
    manifest: Manifest = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> State:
        """The saved state, or an empty one (no memo reused) when it is missing, unreadable, not signed on
        this machine, of another version or of another shape."""
        data = read_signed(path)
        try:
            state = cls(**data) if isinstance(data, dict) else None
        except TypeError:
            return cls()
        if state is None or state.version != STATE_VERSION or not all(
                isinstance(getattr(state, name), dict) for name in ("render", "search", "pages", "meta", "templates",
                                                                    "manifest", "sources", "lookups")):
            return cls()
        return state

    def save(self, path: Path) -> None:
        """Saved as signed JSON (see :func:`signed_dumps`): no code runs when it is read back."""
        path.parent.mkdir(parents=True, exist_ok=True)
        write_signed(path, dict(self.__dict__))


@dataclass
class Stats:
    pages: int = 0
    markdown_rendered: int = 0
    templates_rendered: int = 0
    search_indexed: int = 0
    sources_reused: int = 0  # Markdown files not read (unchanged since the last build)
    written: int = 0
    deleted: int = 0


def _toc_repr(toc: Any) -> str:
    def item(link: Any) -> list:
        return [link.title, link.url, link.level, [item(c) for c in link.children]]
    return json.dumps([item(link) for link in toc], ensure_ascii=False)


def _meta_repr(meta: Any) -> str:
    return json.dumps(meta, ensure_ascii=False, sort_keys=True, default=repr)


# The front matter keys of *other* pages that the navigation templates read (Material's nav, tabs and
# header partials: icon, title, subtitle, status, hide). A page's own front matter is keyed separately, so
# the home page's description (which counts notices) does not make every page of the site stale.
NAV_META_KEYS = ("hide", "icon", "status", "subtitle", "title")


def _nav_repr(nav: Any) -> str:
    def item(node: Any) -> list:
        kind = type(node).__name__
        out = [kind, node.title, getattr(node, "url", None)]
        if kind == "Page":
            meta = {k: node.meta.get(k) for k in NAV_META_KEYS if node.meta and k in node.meta}
            out += [_meta_repr(meta), node.is_index, node.is_homepage]
        children = getattr(node, "children", None) or []
        return out + [[item(c) for c in children]]
    return json.dumps([item(n) for n in nav.items], ensure_ascii=False)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class IncrementalBuild:
    """Patches MkDocs (1.6) for the duration of one build; see the module docstring."""

    def __init__(self, out: Path, state: State, key: str) -> None:
        self.out = out
        self.out_str = str(out)
        self.old = state
        self.key = key
        self.new = State(key=key)
        self.stats = Stats()
        self.produced: dict[str, str] = {}  # relpath -> digest written or kept by this build
        self.inplace: list[str] = []        # relpaths not (only) written by self.write (see _finish)
        self.trusted: dict[str, str] = {}   # relpath -> digest of files verified before the build
        self.nav_key = ""
        self.meta_key: str | None = None    # the front matter memo of the source get_data last split
        self._lookups: dict[str, list | None] = {}
        self._stale: set[str] | None = None  # paths of the last build's lookup table that find something else now
        self.contents = out.parent / "contents"  # page HTML by html key, read only when a page needs it
        self.contents.mkdir(parents=True, exist_ok=True)

    # writes: only when the bytes differ from the verified file
    def _rel(self, path: str) -> str:
        prefix = self.out_str + os.sep
        if path.startswith(prefix) and os.sep + ".." not in path and "/../" not in path:
            return path[len(prefix):].replace(os.sep, "/")
        rel = os.path.relpath(os.path.abspath(path), self.out_str)
        if rel.startswith(".."):
            raise ValueError(f"{path} is outside the build's output folder")
        return rel.replace(os.sep, "/")

    def write(self, content: bytes, output_path: str) -> None:
        rel = self._rel(output_path)
        digest = _digest(content)
        self.produced[rel] = digest
        if self.trusted.get(rel) == digest:
            return
        os.makedirs(os.path.dirname(output_path), exist_ok=True)
        if os.environ.get("NOTICEPUB_FAULT") == "mkdocs-write":  # crash-safety tests: a full disk here
            raise OSError(errno.ENOSPC, "No space left on device (injected: NOTICEPUB_FAULT)", output_path)
        tmp = output_path + ".noticepub-tmp"
        write_new(tmp, content)
        os.replace(tmp, output_path)  # never in place: site/ holds hard links to these files
        self.stats.written += 1

    def run(self, config: Any, stats: dict[str, os.stat_result] | None = None) -> None:
        """``stats``: the output tree's walk, when the caller made it (refusing symlinks)."""
        import mkdocs.commands.build as mk_build
        import mkdocs.structure.files as mk_files
        import mkdocs.structure.pages as mk_pages
        import mkdocs.utils as mk_utils

        self.out.mkdir(parents=True, exist_ok=True)
        start_marker = self.out.parent / "build-started"
        start_marker.write_bytes(b"")
        started = start_marker.stat().st_mtime_ns
        self.trusted = verified(self.old.manifest, stats if stats is not None else walk(self.out, refuse_links=True))

        import mkdocs.theme as mk_theme
        import mkdocs.utils.meta as mk_meta

        originals = {
            (mk_meta, "get_data"): mk_meta.get_data,
            (mk_theme.Theme, "get_env"): mk_theme.Theme.get_env,
            (mk_utils, "write_file"): mk_utils.write_file,
            (mk_utils, "clean_directory"): mk_utils.clean_directory,
            (mk_files.File, "copy_file"): mk_files.File.copy_file,
            (mk_pages.Page, "render"): mk_pages.Page.render,
            (mk_build, "_build_page"): mk_build._build_page,
            (mk_build, "_populate_page"): mk_build._populate_page,
        }
        search_index_cls = _material_search_index()
        if search_index_cls is not None:
            originals[(search_index_cls, "add_entry_from_context")] = search_index_cls.add_entry_from_context
        patches = {
            (mk_meta, "get_data"): self._get_data_function(mk_meta.get_data),
            (mk_theme.Theme, "get_env"): self._get_env_method(mk_theme.Theme.get_env),
            (mk_utils, "write_file"): self.write,
            (mk_utils, "clean_directory"): lambda directory: None,
            (mk_files.File, "copy_file"): self._copy_file_method(),
            (mk_pages.Page, "render"): self._render_method(originals[(mk_pages.Page, "render")]),
            (mk_build, "_build_page"): self._build_page_function(mk_build),
            (mk_build, "_populate_page"): self._populate_page_function(mk_build),
        }
        if search_index_cls is not None:
            patches[(search_index_cls, "add_entry_from_context")] = self._search_method(
                originals[(search_index_cls, "add_entry_from_context")])
        for (owner, name), value in patches.items():
            setattr(owner, name, value)
        try:
            mk_build.build(config)
        finally:
            for (owner, name), value in originals.items():
                setattr(owner, name, value)
        self._finish(started)

    def _finish(self, started: int) -> None:
        """Record files written behind MkDocs' back (hooks), delete what this build did not produce."""
        stats = walk(self.out)
        manifest: Manifest = {}
        removed: list[str] = []
        for rel, st in stats.items():
            if rel not in self.produced and st.st_mtime_ns < started:
                (self.out / rel).unlink()
                removed.append(rel)
                continue
            digest = self.produced.get(rel)
            if digest is None or st.st_mtime_ns >= started:
                digest = _digest((self.out / rel).read_bytes())
            manifest[rel] = (*stat_sig(st), digest)
        self.stats.deleted = len(removed)
        remove_empty_dirs(self.out, removed)
        self.new.manifest = manifest
        named = set().union(*(memo["lookups"] for memo in self.new.render.values()))
        self.new.lookups = {path: self._lookups[path] for path in sorted(named) if path in self._lookups}
        # files something rewrote after (or instead of) this build's own write, which replaces by a rename:
        # a hook may write them in place next time, so site/ gets copies of them, never hard links
        self.inplace = sorted(rel for rel, entry in manifest.items() if self.produced.get(rel) != entry[3])
        kept = {memo["html_key"] for memo in self.new.render.values()}
        with os.scandir(self.contents) as entries:
            for entry in entries:
                if entry.name not in kept:
                    os.unlink(entry.path)

    def _reuse_source(self, page: Any, stat: list[int] | None) -> bool:
        """Skip reading a page's Markdown file when it is the very file of the last build (size, mtime, ctime
        and inode as recorded: an edit changes the ctime, which no one can set back) and nothing else its
        front matter and Markdown memos depend on changed (the global key, its URL, its inclusion; no plugin
        reads or rewrites sources, see _SOURCE_EVENTS): its front matter comes from the memo, its Markdown
        is read only if something asks for it (:func:`_lazy_markdown`), and its rendering memo is looked up
        under the key the last build computed from that same Markdown."""
        if stat is None or self.old.key != self.key:
            return False
        uri = page.file.src_uri
        entry = self.old.sources.get(uri)
        if not isinstance(entry, dict) or entry.get("stat") != stat or entry.get("url") != page.url \
                or entry.get("inclusion") != str(page.file.inclusion):
            return False
        meta = self.old.meta.get(entry.get("meta") or "")
        memo = self.old.render.get(uri)
        if meta is None or memo is None or memo.get("base") != entry.get("base"):
            return False
        try:
            page.meta = meta_from_state(meta[1])
        except (ValueError, TypeError, KeyError):
            return False
        self.new.meta[entry["meta"]] = meta
        _lazy_markdown(page)
        page.__dict__["_noticepub_base"] = entry["base"]
        page.__dict__["_noticepub_meta_key"] = entry["meta"]
        self.stats.sources_reused += 1
        return True

    def _remember_source(self, page: Any, stat: list[int] | None) -> None:
        """What :meth:`_reuse_source` checks next time, when the page's memos were kept."""
        d = page.__dict__
        uri = page.file.src_uri
        base, meta_key = d.pop("_noticepub_base_used", None), d.pop("_noticepub_meta_key", None)
        memo = self.new.render.get(uri)
        if stat is None or meta_key not in self.new.meta or memo is None or memo.get("base") != base:
            return
        self.new.sources[uri] = {"stat": stat, "url": page.url, "inclusion": str(page.file.inclusion),
                                 "meta": meta_key, "base": base}

    def _get_data_function(self, original):
        """Front matter parsing (YAML) memoized by the source text."""
        build = self

        def get_data(doc: str):
            key = _digest(build.key, doc)
            memo = build.old.meta.get(key) or build.new.meta.get(key)
            if memo is not None:
                build.new.meta[key] = memo
                build.meta_key = key
                rest, data = memo
                return (doc[rest:] if isinstance(rest, int) else rest), meta_from_state(data)
            markdown, data = original(doc)
            rest: int | str = len(doc) - len(markdown) if doc.endswith(markdown) else markdown
            try:
                build.new.meta[key] = (rest, meta_to_state(data))
                build.meta_key = key
            except TypeError:
                pass  # a value JSON cannot keep exactly: parsed again next time
            return markdown, data
        return get_data

    def _get_env_method(self, original):
        """Compiled templates cached on disk (Jinja's own cache, keyed by each template's source)."""
        import jinja2

        cache_dir = self.out.parent.parent / "jinja"
        cache_dir.mkdir(parents=True, exist_ok=True)

        class SignedBytecodeCache(jinja2.FileSystemBytecodeCache):
            """Jinja's compiled templates are marshalled code: loaded only when this machine signed them (a
            planted file would otherwise run as a template), else compiled again."""

            def load_bytecode(self, bucket) -> None:
                try:
                    data = unsign(Path(self._get_cache_filename(bucket)).read_bytes())
                except (OSError, ValueError):
                    return
                bucket.bytecode_from_string(data)

            def dump_bytecode(self, bucket) -> None:
                path = Path(self._get_cache_filename(bucket))
                tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
                try:
                    write_new(tmp, sign(bucket.bytecode_to_string()))
                    os.replace(tmp, path)
                except OSError:
                    tmp.unlink(missing_ok=True)  # a cache: compiled again next time

        bytecode_cache = SignedBytecodeCache(str(cache_dir))

        build = self

        def get_env(theme):
            env = original(theme)
            env.bytecode_cache = bytecode_cache
            env.list_templates = build._list_templates_function(env.list_templates)
            return env
        return get_env

    def _list_templates_function(self, original):
        """The theme's file listing (MkDocs lists every file of Material to find its static files), kept
        under the global key: the theme's files are those of its package version and of ``overrides/``,
        and the filter MkDocs passes depends only on the configuration and MkDocs' version."""
        build = self

        def list_templates(extensions=None, filter_func=None):
            key = _digest(build.key, repr(extensions), getattr(filter_func, "__qualname__", repr(filter_func)))
            found = build.old.templates.get(key) or build.new.templates.get(key)
            if found is None:
                found = list(original(extensions=extensions, filter_func=filter_func))
            build.new.templates[key] = found
            return list(found)
        return list_templates

    def _copy_file_method(self):
        build = self

        def copy_file(file, dirty: bool = False) -> None:
            content = file._content
            if content is None:
                content = Path(file.abs_src_path).read_bytes()
            elif isinstance(content, str):
                content = content.encode("utf-8")
            build.write(content, file.abs_dest_path)
        return copy_file

    def _lookup(self, files: Any, path: str) -> list | None:
        """What the link resolver finds for ``path``; the collection of files is fixed while pages
        render, so each path is looked up once per build."""
        try:
            return self._lookups[path]
        except KeyError:
            found = self._lookups[path] = _lookup(files, path)
            return found

    def _lookups_unchanged(self, files: Any, paths: list[str]) -> bool:
        """Every path a page's rendering looked up still finds what it found then. The last build's table
        (``State.lookups``: each path once, whatever the number of pages naming it) is checked once per build;
        a page then costs two set operations."""
        if self._stale is None:
            self._stale = {path for path, found in self.old.lookups.items() if self._lookup(files, path) != found}
        return self._stale.isdisjoint(paths) and self.old.lookups.keys() >= set(paths)

    def _render_method(self, original):
        build = self

        def render(page, config, files) -> None:
            base = page.__dict__.pop("_noticepub_base", None)  # the source is unchanged (see _reuse_source)
            if base is None:
                base = _digest(build.key, page.file.src_uri, page.url, page.markdown or "", str(page.file.inclusion))
            page.__dict__["_noticepub_base_used"] = base
            memo = build.old.render.get(page.file.src_uri)
            if memo is not None and memo["base"] == base and _stored_intact(build.contents, memo) and \
                    build._lookups_unchanged(files, memo["lookups"]):
                _lazy_content(page, build.contents / memo["html_key"])
                page.toc = toc_from_json(memo["toc"])
                page._title_from_render = memo["title"]
                page.present_anchor_ids = set(memo["anchors"])
                page._noticepub_html = (_UNREAD, page.toc, memo["html_key"])
                if memo["links"] is not None:
                    page.links_to_anchors = {files.get_file_from_path(uri): dict(links)
                                             for uri, links in memo["links"]}
                for name, level, message in memo["logs"]:
                    logging.getLogger(name).log(level, message)
                build.new.render[page.file.src_uri] = memo
                return
            lookups: set[str] = set()
            get = files.get_file_from_path

            def recording_get(path: str):
                found = get(path)
                lookups.add(path)
                build._lookups[path] = _describe(found)
                return found
            capture = _Capture()
            logger = logging.getLogger("mkdocs")
            logger.addHandler(capture)
            files.get_file_from_path = recording_get
            try:
                original(page, config, files)
            finally:
                del files.get_file_from_path
                logger.removeHandler(capture)
            build.stats.markdown_rendered += 1
            links = page.links_to_anchors
            html_key = _html_key(page)
            page._noticepub_html = (page.content, page.toc, html_key)
            try:
                toc = toc_to_json(page.toc)
            except TypeError:
                return  # not memoized: rendered again next time
            stored = build.contents / html_key
            html = (page.content or "").encode("utf-8", "surrogatepass")
            try:  # a file of that name from an earlier build is kept only when it holds these very bytes
                same = stored.read_bytes() == html
            except OSError:
                same = False
            if not same:
                tmp = stored.with_name(html_key + ".tmp")
                write_new(tmp, html)
                os.replace(tmp, stored)
            build.new.render[page.file.src_uri] = {
                "html_key": html_key, "stored": _stored_sig(os.stat(stored)),
                "base": base, "lookups": sorted(lookups), "toc": toc,
                "title": page._title_from_render, "anchors": sorted(page.present_anchor_ids or ()),
                "links": None if links is None else [(f.src_uri, dict(v)) for f, v in links.items()],
                "logs": capture.records,
            }
        return render

    def _search_method(self, original):
        build = self

        def add_entry_from_context(index, page) -> None:
            key = _digest(build.key, page.url, page.content or "", _toc_repr(page.toc), str(page.title),
                          _meta_repr(page.meta))
            memo = build.old.search.get(page.url)
            if memo is not None and memo[0] == key:
                index.entries.extend(json.loads(memo[1]))
                build.new.search[page.url] = memo
                return
            before = len(index.entries)
            original(index, page)
            build.stats.search_indexed += 1
            build.new.search[page.url] = (key, json.dumps(index.entries[before:], ensure_ascii=False))
        return add_entry_from_context

    def _populate_page_function(self, mk_build):
        """MkDocs 1.6.1's ``_populate_page``, except that the HTML of a reused page is not read back from the
        store just to pass it through ``on_page_content`` when no plugin or hook handles that event, and a
        source unchanged since the last build is not read at all (see :meth:`_reuse_source`)."""
        build = self

        def _populate_page(page, config, files, dirty: bool = False) -> None:
            config._current_page = page
            try:
                if dirty and not page.file.is_modified():
                    return
                page = config.plugins.on_pre_page(page, config=config, files=files)
                fast = not any(config.plugins.events[name] for name in _SOURCE_EVENTS)
                src_stat = _source_stat(page) if fast else None
                if not build._reuse_source(page, src_stat):
                    build.meta_key = None
                    page.read_source(config)
                    assert page.markdown is not None
                    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config,
                                                                    files=files)
                    page.__dict__["_noticepub_meta_key"] = build.meta_key
                page.render(config, files)
                build._remember_source(page, src_stat)
                if _unread(page) and not config.plugins.events["page_content"]:
                    return  # reused, unread, and nothing would read or replace it
                assert page.content is not None
                page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
            except Exception as e:
                _log_page_error(mk_build, "reading", page, e)
                raise
            finally:
                config._current_page = None
        return _populate_page

    def _build_page_function(self, mk_build):
        """MkDocs 1.6.1's ``_build_page`` with the template rendering memoized."""
        build = self
        utils = mk_build.utils
        log = mk_build.log

        def _build_page(page, config, doc_files, nav, env, dirty=False, excluded=False) -> None:
            config._current_page = page
            try:
                page.active = True
                context = mk_build.get_context(nav, doc_files, config, page)
                template_name = page.meta.get("template", "main.html")
                template = env.get_template(template_name)
                context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
                if excluded:
                    page.content = ('<div class="mkdocs-draft-marker" title="This page will not be included '
                                    'into the built site.">DRAFT</div>' + (page.content or ''))
                build.stats.pages += 1
                rel = build._rel(page.file.abs_dest_path)
                if not build.nav_key:
                    build.nav_key = _nav_repr(nav)
                rendered = getattr(page, "_noticepub_html", None)  # unless a plugin replaced content or toc since
                html_key = (rendered[2] if rendered and _same_content(page, rendered[0]) and rendered[1] is page.toc
                            else _html_key(page))
                key = _digest(build.key, build.nav_key, template_name, page.file.src_uri, page.url,
                              str(page.canonical_url), str(page.edit_url), str(page.title), html_key,
                              _meta_repr(page.meta), _neighbours(page), str(excluded))
                memo = build.old.pages.get(rel)
                if memo is not None and memo[0] == key and build.trusted.get(rel) == memo[1]:
                    build.produced[rel] = memo[1]
                    build.new.pages[rel] = memo
                    return
                output = template.render(context)
                output = config.plugins.on_post_page(output, page=page, config=config)
                build.stats.templates_rendered += 1
                if output.strip():
                    data = output.encode('utf-8', errors='xmlcharrefreplace')
                    utils.write_file(data, page.file.abs_dest_path)
                    build.new.pages[rel] = (key, build.produced[rel])
                else:
                    log.info(f"Page skipped: '{page.file.src_uri}'. Generated empty output.")
            except Exception as e:
                _log_page_error(mk_build, "building", page, e)
                raise
            finally:
                page.active = False
                config._current_page = None
        return _build_page


_UNREAD = object()
_LAZY: dict[type, type] = {}
# Plugin events that read or rewrite a page's source: when any is handled, every source is read (no reuse).
_SOURCE_EVENTS = ("pre_page", "page_read_source", "page_markdown")


def _source_stat(page: Any) -> list[int] | None:
    """The stat of a page's Markdown file as :meth:`IncrementalBuild._reuse_source` compares it (None: a
    generated file, or none on disk)."""
    file = page.file
    if getattr(file, "generated_by", None) or file._content is not None or not file.abs_src_path:
        return None
    try:
        st = os.stat(file.abs_src_path, follow_symlinks=False)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino] if stat.S_ISREG(st.st_mode) else None


def _lazy_class(cls: type) -> type:
    """``cls`` with ``content`` and ``markdown`` as properties (see :func:`_lazy_content`, :func:`_lazy_markdown`)."""
    if cls in _LAZY.values():
        return cls
    lazy = _LAZY.get(cls)
    if lazy is None:
        def get(self: Any) -> str:
            value = self.__dict__.get("_noticepub_content", _UNREAD)
            if value is _UNREAD:
                source = self.__dict__.get("_noticepub_content_path")
                if source is None:
                    return self.__dict__.get("content")
                value = source.read_bytes().decode("utf-8", "surrogatepass")
                self.__dict__["_noticepub_content"] = self.__dict__["_noticepub_loaded"] = value
            return value

        def put(self: Any, value: str) -> None:
            self.__dict__["_noticepub_content"] = value

        def get_markdown(self: Any) -> str | None:
            d = self.__dict__
            if "_noticepub_markdown" not in d:
                if not d.get("_noticepub_markdown_lazy"):
                    return d.get("markdown")
                import mkdocs.utils.meta as mk_meta
                d["_noticepub_markdown"] = mk_meta.get_data(self.file.content_string)[0]
            return d["_noticepub_markdown"]

        def put_markdown(self: Any, value: str | None) -> None:
            self.__dict__["_noticepub_markdown"] = value

        base_title = inspect.getattr_static(cls, "title", None)

        def get_title(self: Any) -> str | None:
            d = self.__dict__
            if "title" in d:
                return d["title"]
            if d.get("_noticepub_markdown_lazy") and "_noticepub_markdown" not in d:
                # MkDocs' rule (Page.title) reads the Markdown only to see that there is some (a file's text
                # always is), unless neither the front matter nor the rendering named a title
                if "title" in self.meta:
                    return self.meta["title"]
                if self._title_from_render:
                    return self._title_from_render
            return base_title.__get__(self, type(self)) if base_title is not None else None

        def put_title(self: Any, value: str | None) -> None:
            self.__dict__["title"] = value

        lazy = _LAZY[cls] = type(cls.__name__, (cls,), {"content": property(get, put),
                                                         "markdown": property(get_markdown, put_markdown),
                                                         "title": property(get_title, put_title),
                                                         "__module__": cls.__module__,
                                                         "__qualname__": cls.__qualname__})
    return lazy


def _lazy_markdown(page: Any) -> None:
    """Give a page whose source is unchanged its Markdown lazily: read from its file (front matter split
    off) only when something reads ``page.markdown``."""
    page.__class__ = _lazy_class(type(page))
    page.__dict__.pop("_noticepub_markdown", None)
    page.__dict__["_noticepub_markdown_lazy"] = True


def _lazy_content(page: Any, path: Path) -> None:
    """Give a reused page its HTML lazily: read from ``path`` (checked against its key) only when something
    reads ``page.content`` -- a template that must be rendered again, or a plugin. The page's class
    becomes a subclass whose ``content`` is a property; everything else about the page is unchanged."""
    page.__class__ = _lazy_class(type(page))
    page.__dict__.pop("_noticepub_content", None)
    page.__dict__["_noticepub_content_path"] = path


def _unread(page: Any) -> bool:
    """A reused page whose HTML (see :func:`_lazy_content`) nothing has read or replaced yet."""
    return "_noticepub_content_path" in page.__dict__ and "_noticepub_content" not in page.__dict__


def _log_page_error(mk_build: Any, verb: str, page: Any, exc: Exception) -> None:
    """MkDocs' own message for a page that failed while ``verb`` ("reading", "building") it."""
    message = f"Error {verb} page '{page.file.src_uri}':"
    if not isinstance(exc, mk_build.BuildError):
        message += f" {exc}"
    mk_build.log.error(message)


def _same_content(page: Any, rendered: Any) -> bool:
    """The page's HTML is still the one its html key was made from (no plugin replaced it)."""
    if rendered is _UNREAD:
        current = page.__dict__.get("_noticepub_content", _UNREAD)
        return current is _UNREAD or current is page.__dict__.get("_noticepub_loaded")
    return rendered is page.content


def _html_key(page: Any) -> str:
    """A page's HTML and table of contents, as one digest."""
    return _digest(page.content or "", _toc_repr(page.toc))


def _describe(found: Any) -> list | None:
    """A lookup's result, as the state keeps it (JSON: a list)."""
    return None if found is None else [found.src_uri, found.url, str(found.inclusion)]


def _stored_sig(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _stored_intact(contents: Path, memo: dict) -> bool:
    """The page HTML a memo points to is still the file this machine wrote: same size, mtime, inode and
    ctime (which no one can set back: an edit that restores size and mtime is still seen)."""
    try:
        return _stored_sig(os.stat(contents / memo["html_key"], follow_symlinks=False)) == memo["stored"]
    except (OSError, KeyError, TypeError):
        return False


def _lookup(files: Any, path: str) -> list | None:
    return _describe(files.get_file_from_path(path))


def _neighbours(page: Any) -> str:
    def ref(p: Any) -> list | None:
        return None if p is None else [p.title, p.url]
    ancestors = [getattr(a, "title", None) for a in page.ancestors]
    return json.dumps([ref(page.previous_page), ref(page.next_page), ancestors], ensure_ascii=False)


def _material_search_index():
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:
        return None
    return SearchIndex


@dataclass(frozen=True)
class LangDir:
    """One language's build folder: the output tree, the memos, its manifest and the success marker."""

    path: Path

    @property
    def out(self) -> Path:
        return self.path / "out"

    @property
    def state(self) -> Path:
        return self.path / "state.json"

    @property
    def manifest(self) -> Path:
        return self.path / "manifest.json"

    @property
    def summary(self) -> Path:
        return self.path / "summary.json"

    def read_summary(self) -> dict | None:
        """The success marker of the last build, or None (missing, unsigned, forged or of another shape)."""
        data = read_signed(self.summary)
        return data if isinstance(data, dict) else None

    def read_manifest(self) -> Manifest:
        """What the output tree holds (relpath -> size, mtime, inode, digest); ValueError when the file is
        missing, unsigned, forged or of another shape (the tree is then rebuilt)."""
        data = read_signed(self.manifest)
        if not isinstance(data, dict):
            raise ValueError(f"{self.manifest}: no valid manifest")
        out: Manifest = {}
        for rel, entry in data.items():
            if not (isinstance(entry, list) and len(entry) == 4 and all(isinstance(n, int) for n in entry[:3])
                    and isinstance(entry[3], str)):
                raise ValueError(f"{self.manifest}: an entry of the wrong shape")
            out[rel] = (entry[0], entry[1], entry[2], entry[3])
        return out


def build_language(root: Path, config_file: Path, folder: LangDir, key: str, fingerprint: str,
                   strict: bool) -> Stats:
    """One language's incremental build; raises ``mkdocs.exceptions.Abort`` on failure.

    The success marker (``summary.json``) is removed first and written last, so a failed or
    interrupted build is never mistaken for a finished one.
    """
    from mkdocs.config import load_config

    stats = walk(folder.out, refuse_links=True)  # SymlinkInTree before anything is changed
    folder.summary.unlink(missing_ok=True)
    old = State.load(folder.state)
    folder.state.unlink(missing_ok=True)
    config = load_config(config_file=str(config_file), strict=strict, site_dir=str(folder.out))
    warnings = _Capture()
    warnings.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        build = IncrementalBuild(folder.out.resolve(), old, key)
        build.run(config, stats)
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
    check_worker_modules()
    build.new.fingerprint = fingerprint
    build.new.warnings = [message for _, _, message in warnings.records]
    build.new.save(folder.state)
    write_signed(folder.manifest, build.new.manifest)
    summary = {"fingerprint": fingerprint, "warnings": build.new.warnings, "inplace": build.inplace,
               **build.stats.__dict__}
    write_signed(folder.summary, summary)
    return build.stats


def mkdocs_version_problem() -> str | None:
    """One line when the installed MkDocs is not the release whose private functions this worker patches."""
    try:
        found = importlib.metadata.version("mkdocs")
    except importlib.metadata.PackageNotFoundError:
        found = "none"
    if found == MKDOCS_VERSION:
        return None
    return (f"the site build needs mkdocs=={MKDOCS_VERSION} (it patches private functions of that release), "
            f"found {found}: run `make install` or pip install --require-hashes -r requirements.lock")


def main(argv: list[str] | None = None) -> int:
    problem = mkdocs_version_problem()
    if problem:
        print(f"ERROR - {problem}", file=sys.stderr)
        return 1
    parser = argparse.ArgumentParser(prog="python -m noticepub.site_incremental")
    parser.add_argument("--root", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--dir", required=True, help="the language's build folder")
    parser.add_argument("--key", required=True)
    parser.add_argument("--fingerprint", required=True)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    mk_logger = logging.getLogger("mkdocs")
    mk_logger.addHandler(handler)
    mk_logger.setLevel(logging.INFO)
    mk_logger.propagate = False
    try:
        build_language(Path(args.root), Path(args.config), LangDir(Path(args.dir)), args.key, args.fingerprint,
                       args.strict)
    except SymlinkInTree as exc:  # the parent reports it as the configuration error it is
        print(f"SYMLINK {json.dumps(exc.path)}", file=sys.stderr)
        return 4
    except OSError as exc:  # a system error (disk full, permissions): the parent reports it as one
        print(f"OSERROR {json.dumps([exc.errno, exc.strerror or str(exc), exc.filename])}", file=sys.stderr)
        return 3
    except Exception as exc:  # MkDocs' Abort (strict warnings, build errors) and anything else: one line
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
