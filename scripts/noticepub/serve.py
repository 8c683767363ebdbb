"""`noticepub serve`: site/ served over HTTP with every language under its real prefix, rebuilt as its inputs
change, with live reload and the review area (noticepub.review). The build and the site build it runs live
in build.py and site.py; this module only serves and watches.

    source_texts/ changed  -> build (in this process) -> the languages whose docs/ changed -> reload
    docs/<lang> changed    -> that language's site -> reload
    site configuration     -> all three languages -> reload

Live reload: every HTML page is served with one extra <script> (added to the response, never to site/)
that long-polls /_preview/wait until the site's version changes, then reloads the tab.
"""

from __future__ import annotations

import json
import posixpath
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from noticepub.errors import NoticepubError
from noticepub.model import LANG_DIRS
from noticepub.settings import LOCK_NAME, Settings
from noticepub.site import CONFIGS, HOOKS, build_site
from noticepub.site_incremental import walk

PREVIEW = "/_preview/"  # the preview's own URLs (never a page of the site: MkDocs writes no folder with "_")
RELOAD_JS = (Path(__file__).parent / "review" / "assets" / "reload.js").read_bytes()
WAIT_SECONDS = 25.0  # one long poll; the browser asks again at once
MAX_BODY = 64 * 1024  # a review POST is a few hundred bytes
# The review screen runs only its own files: no inline code, no framing by another page (no clickjacking).
REVIEW_HEADERS = (
    ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
    ("X-Frame-Options", "DENY"),
)


def _signature(folder: Path) -> tuple:
    """Cheap change detector for a folder: every file's path, size and mtime."""
    return tuple(sorted((rel, st.st_size, st.st_mtime_ns) for rel, st in walk(folder).items()))


def _global_signature(root: Path) -> tuple:
    files = [root / name for name in (*CONFIGS.values(), HOOKS)]
    return (tuple((str(p), p.stat().st_mtime_ns if p.exists() else None) for p in files),
            _signature(root / "overrides"))


def release_site_lock(settings: Settings) -> None:
    """build_site keeps the build lock until the process exits (no build may change docs/ while MkDocs
    reads it). The preview runs for hours and builds itself: once a site build is over, it lets go."""
    from noticepub import cache

    held = cache._HELD_LOCKS.pop(settings.root / LOCK_NAME, None)
    if held is not None:
        held.__exit__(None, None, None)


def inject_reload(html: bytes, version: int) -> bytes:
    """The page with the live-reload script before </body> (or at the end): for the response only."""
    tag = f'<script src="{PREVIEW}reload.js?v={version}" defer></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


class _Handler(SimpleHTTPRequestHandler):
    """Static files of site/, the preview's live-reload endpoints and the review area. Every failure is a
    plain 400 or 404 (never a traceback): a malformed request line, a NUL or an undecodable path."""

    preview: Preview  # set by partial() in Preview
    default_request_version = "HTTP/1.0"  # a request line without a version gets a real status line back
    timeout = 60  # seconds a client may take to send its request (a half-sent POST never holds a thread forever)

    def __init__(self, *args, preview: Preview, **kwargs) -> None:
        self.preview = preview
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        pass

    # -- routing
    def do_GET(self) -> None:
        self._route(head=False)

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_POST(self) -> None:
        path = self._url_path()
        if path is None:
            return
        if not path.startswith("/review/") or self.preview.review is None:
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
            return
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_BODY:
            self.send_error(HTTPStatus.BAD_REQUEST if not length.isdigit() else HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        body = self.rfile.read(int(length))
        self._answer(self.preview.review.post(path, dict(self.headers.items()), body), False, REVIEW_HEADERS)

    def _url_path(self) -> str | None:
        """The request's path, decoded; None (after a 400/404) when it cannot name a file."""
        raw = urlsplit(self.path).path
        try:
            path = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            self.send_error(HTTPStatus.BAD_REQUEST, "the path is not UTF-8")
            return None
        if not path.startswith("/") or any(ord(ch) < 32 or ord(ch) == 127 for ch in path):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return path

    def _route(self, head: bool) -> None:
        path = self._url_path()
        if path is None:
            return
        if path.startswith(PREVIEW):
            self._preview_api(path[len(PREVIEW):], head)
        elif (path == "/review" or path.startswith("/review/")) and self.preview.review is not None:
            self._answer(self.preview.review.get(path, urlsplit(self.path).query, dict(self.headers.items())), head,
                         REVIEW_HEADERS)
        else:
            self._static(path, head)

    def _answer(self, response: tuple[int, str, bytes], head: bool, extra: tuple[tuple[str, str], ...] = ()) -> None:
        status, ctype, body = response
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        if status in (301, 302, 303):  # the body is the address
            self.send_header("Location", body.decode())
            body = b""
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _preview_api(self, name: str, head: bool) -> None:
        if name == "reload.js":
            self._answer((200, "text/javascript; charset=utf-8", RELOAD_JS), head)
        elif name == "wait":
            try:
                since = int(parse_qs(urlsplit(self.path).query).get("since", ["-1"])[0])
            except ValueError:
                self.send_error(HTTPStatus.BAD_REQUEST, "since must be a number")
                return
            version = self.preview.wait_for_change(since, WAIT_SECONDS)
            self._answer((200, "application/json", json.dumps({"version": version}).encode()), head)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _static(self, path: str, head: bool) -> None:
        """A file of site/; HTML pages get the live-reload script. Directories without "/" redirect."""
        site = Path(self.directory)
        parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".", "..")]
        target = site.joinpath(*parts)
        try:
            is_dir = target.is_dir()
        except OSError:  # a name too long for the file system...: nothing there
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        if is_dir:
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", urlsplit(self.path).path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        try:
            data = target.read_bytes() if target.suffix == ".html" and target.is_file() else None
        except OSError:
            data = None
        if data is not None:
            self._answer((200, "text/html; charset=utf-8", inject_reload(data, self.preview.version)), head)
        elif head:
            super().do_HEAD()
        else:
            super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Material's 404 page of the language the URL is in, as on a static host; other errors plain.
        Called by http.server before ``self.path`` exists, when the request line itself is malformed."""
        path = getattr(self, "path", None) or ""
        page = Path(self.directory) / "404.html"
        for sub in LANG_DIRS.values():
            if sub and path.startswith(f"/{sub}/"):
                page = Path(self.directory) / sub / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = inject_reload(page.read_bytes(), self.preview.version)  # reloads once the page exists
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if getattr(self, "command", None) != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    say: Callable[[str], None] = staticmethod(lambda line: print(line, file=sys.stderr, flush=True))

    def handle_error(self, request, client_address) -> None:
        """A reader who closed the connection is not an error; anything else is one line, never a traceback."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            self.say(f"serve: request from {client_address[0]} failed: {type(exc).__name__}: {exc}")


class Preview:
    """site/ served over HTTP with every language under its real prefix, rebuilt as its inputs change.

    An edit under source_texts/ runs the build in this process (incremental); a changed docs/<lang>
    rebuilds that language's site only (incremental too); a changed site configuration, template or
    hook rebuilds all three. Each published change bumps ``version``, which open tabs wait on.
    """

    def __init__(self, settings: Settings, addr: str, interval: float = 0.2,
                 say: Callable[[str], None] | None = None) -> None:
        host, port = check_listen_address(addr)
        self.settings = settings
        self.interval = interval
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self.version = int(time.time())  # a restarted preview never repeats an open tab's version
        self._changed = threading.Condition()
        handler = partial(_Handler, directory=str(settings.root / "site"), preview=self)
        try:
            self.server = _Server((host, port), handler)
        except OSError as exc:  # in use, not an address of this machine, a name that does not resolve
            raise NoticepubError(None, f"serve: cannot listen on {host}:{port}: {exc.strerror or exc}; "
                                       "stop the other server or choose another --addr HOST:PORT") from None
        self.server.say = self.say
        from noticepub.review import ReviewApp  # the review area: /review/

        self.review: ReviewApp | None = ReviewApp(settings, listen=self.server.server_address[:2])
        self.stop = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def wait_for_change(self, since: int, timeout: float) -> int:
        """The site's version, once it differs from ``since`` (or after ``timeout`` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != since or self.stop.is_set(), timeout)
            return self.version

    def _published(self) -> None:
        with self._changed:
            self.version += 1
            self._changed.notify_all()

    def build_docs(self) -> bool:
        """`noticepub build` in this process (the lock is free: release_site_lock); False if it failed."""
        from noticepub.build import build

        release_site_lock(self.settings)
        t0 = time.perf_counter()
        try:
            report = build(self.settings, notify=self.say)
        except NoticepubError as exc:
            self.say(f"serve: build failed: {exc.one_line()}; still serving the previous site")
            return False
        except OSError as exc:
            self.say(f"serve: build failed: {exc.filename or ''} {exc.strerror or exc}; still serving the previous site")
            return False
        for warning in report.warnings[:5]:
            self.say(f"serve: warning: {warning}")
        self.say(f"serve: build: {len(report.rebuilt)} notice(s) rebuilt, {len(report.written)} page(s) written, "
                 f"{time.perf_counter() - t0:.1f} s")
        return True

    def build_site(self, langs: list[str] | None) -> bool:
        """The site of ``langs`` (all when None); open tabs reload when it succeeded."""
        try:
            for warning in build_site(self.settings, strict=False, langs=langs, progress=self.say):
                self.say(warning)
        except NoticepubError as exc:
            self.say(f"serve: {exc.one_line()}; still serving the previous site")
            return False
        except OSError as exc:
            self.say(f"serve: {exc.filename or ''} {exc.strerror or exc}; still serving the previous site")
            return False
        finally:
            release_site_lock(self.settings)
        self._published()
        return True

    def watch(self) -> None:
        root, docs = self.settings.root, self.settings.docs_path
        sources = _signature(root / "source_texts")
        glob_sig = _global_signature(root)
        docs_sig = {lang: _signature(docs / lang) for lang in CONFIGS}
        while not self.stop.wait(self.interval):
            try:
                now = _signature(root / "source_texts")
                if now != sources:
                    # compared with what was there before the build: an edit made while it ran is seen next
                    # time (the build's own writes to en.po cost one more build, found in the cache)
                    sources = now
                    self.say("serve: source_texts/ changed, building")
                    self.build_docs()
                now_global = _global_signature(root)
                now_docs = {lang: _signature(docs / lang) for lang in CONFIGS}
            except OSError as exc:  # a folder renamed or removed while walked: look again next time
                self.say(f"serve: {exc.filename or ''} {exc.strerror or exc}")
                continue
            if now_global != glob_sig:
                changed = list(CONFIGS)
            else:
                changed = [lang for lang in CONFIGS if now_docs[lang] != docs_sig[lang]]
            glob_sig, docs_sig = now_global, now_docs
            if changed:
                self.say(f"serve: rebuilding {', '.join(changed)}")
                self.build_site(changed)

    def serve_forever(self) -> None:
        watcher = threading.Thread(target=self.watch, name="noticepub-watch", daemon=True)
        watcher.start()
        try:
            self.server.serve_forever(poll_interval=0.25)
        finally:
            self.stop.set()
            with self._changed:
                self._changed.notify_all()
            self.server.server_close()


def check_listen_address(addr: str) -> tuple[str, int]:
    """HOST:PORT (a bad one is a one-line error)."""
    host, sep, port = addr.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise NoticepubError(None, f"serve --addr must be HOST:PORT, e.g. 127.0.0.1:8000 (got {addr!r})")
    return host or "127.0.0.1", int(port)

