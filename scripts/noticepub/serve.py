"""`noticepub serve`: site/ served over HTTP with every language under its real prefix, rebuilt as its inputs
change. The build and site code it runs live in build.py and site.py; this module only serves and watches."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from noticepub.errors import NoticepubError
from noticepub.model import LANG_DIRS
from noticepub.settings import Settings
from noticepub.site import CONFIGS, HOOKS, _env, build_site
from noticepub.site_incremental import walk


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
