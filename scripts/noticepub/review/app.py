"""The review area of `noticepub serve`: /review/ and /review/<notice>/, and the POSTs that change notice.yml.

Safety: answered only to a loopback Host (no DNS rebinding) and only while the preview listens on a loopback
address; every POST carries the session's token in a header (a page of another site can neither read it nor
send the header), its Origin, when given, is the preview's own; a save names the raw.txt + notice.yml it was
made on (etag) and is refused when either changed since; a change is tried through the build's own reading
and parsing before it is written (refused with the build's one-line message, the file untouched); only the
notice.yml of the notice in the URL is written, atomically.

    GET  /review/                      every notice with its state, counts on top
    GET  /review/<notice>/             the review screen
    GET  /review/<notice>/panes.json   the screen's changing parts; ?wait=ETAG: once they differ (an edit elsewhere)
    POST /review/<notice>/correct      {"etag", "action", "first", "last"[, "body"]}
    POST /review/<notice>/undo         {"etag"}: back to the notice.yml before this session's last change
    POST /review/<notice>/reviewed     {"etag"}: the `reviewed:` mark for the parse on screen
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import json
import os
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from noticepub.errors import NoticepubError
from noticepub.fsutil import atomic_write
from noticepub.meta import NOTICE_ID_RE
from noticepub.review import edit, render
from noticepub.review.state import NoticeReview, collect_summaries, review_counts, review_notice
from noticepub.settings import Settings
from noticepub.sources import META_NAME

ASSETS = Path(__file__).parent / "assets"
ASSET_TYPES = {"review.css": "text/css; charset=utf-8", "review.js": "text/javascript; charset=utf-8"}
HTML = "text/html; charset=utf-8"
JSON = "application/json"
TOKEN_HEADER = "X-Noticepub-Token"
WAIT_SECONDS = 25.0  # an open review page asks for the panes once raw.txt or notice.yml changes on disk
POLL_SECONDS = 0.25
Response = tuple[int, str, bytes]


def _json(status: int, data: dict) -> Response:
    return status, JSON, json.dumps(data, ensure_ascii=False).encode()


def _refuse(status: int, message: str) -> Response:
    return _json(status, {"ok": False, "error": message})


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


class ReviewApp:
    """Answers the review area's requests for one running preview (one token per run)."""

    def __init__(self, settings: Settings, listen: tuple[str, int] | None = None) -> None:
        self.settings = settings
        self.listen = listen
        self.token = secrets.token_urlsafe(32)
        self._write = threading.Lock()
        self._undo: dict[str, list[tuple[bytes | None, bytes | None]]] = {}
        self._cache: dict[tuple[str, str], NoticeReview] = {}

    @property
    def enabled(self) -> bool:
        """Served only while the preview listens on a loopback address."""
        return self.listen is None or is_loopback(self.listen[0])

    # ------------------------------------------------------------------ requests
    def _host_ok(self, headers: dict[str, str]) -> str | None:
        """A refusal message, or None when the request is for this preview on a loopback address."""
        if not self.enabled:
            return "the review area is served only when the preview listens on 127.0.0.1 (the default --addr)"
        host = {k.lower(): v for k, v in headers.items()}.get("host", "")
        try:
            url = urlsplit("//" + host)
            name, port = url.hostname or "", url.port
        except ValueError:
            name, port = "", None
        if not is_loopback(name) or (self.listen is not None and port is not None and port != self.listen[1]):
            return f"the review area answers only to http://127.0.0.1 (Host {host!r} refused)"
        return None

    def get(self, path: str, query: str, headers: dict[str, str] | None = None) -> Response:
        refused = self._host_ok(headers or {})
        if refused:
            return 403, "text/plain; charset=utf-8", refused.encode()
        parts = path.strip("/").split("/")[1:]
        if not parts:
            if not path.endswith("/"):
                return 301, "text/plain; charset=utf-8", b"/review/"
            summaries = collect_summaries(self.settings)
            return 200, HTML, render.list_page(summaries, review_counts(summaries)).encode()
        if parts[0] == "assets" and len(parts) == 2 and parts[1] in ASSET_TYPES:
            return 200, ASSET_TYPES[parts[1]], (ASSETS / parts[1]).read_bytes()
        folder = self._folder(parts[0])
        if folder is None:
            return 404, "text/plain; charset=utf-8", b"no such notice"
        if len(parts) == 1:
            if not path.endswith("/"):
                return 301, "text/plain; charset=utf-8", f"/review/{parts[0]}/".encode()
            return 200, HTML, render.notice_page(self._review(folder), self.token).encode()
        if parts[1:] == ["panes.json"]:
            return _json(200, self._payload(self._wait(folder, parse_qs(query).get("wait", [""])[0])))
        return 404, "text/plain; charset=utf-8", b"not found"

    def post(self, path: str, headers: dict[str, str], body: bytes) -> Response:
        refused = self._host_ok(headers)
        if refused:
            return _refuse(403, refused)
        h = {k.lower(): v for k, v in headers.items()}
        if not hmac.compare_digest(h.get(TOKEN_HEADER.lower(), "").encode(), self.token.encode()):
            return _refuse(403, "missing or wrong session token: reload the review page")
        origin = h.get("origin")
        if origin is not None and origin != f"http://{h.get('host', '')}":
            return _refuse(403, f"cross-origin request from {origin!r} refused")
        if h.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return _refuse(403, "cross-site request refused")
        if h.get("content-type", "").split(";")[0].strip() != JSON:
            return _refuse(415, "send JSON")
        parts = path.strip("/").split("/")[1:]
        folder = self._folder(parts[0]) if len(parts) == 2 else None
        if folder is None or parts[1] not in ("correct", "undo", "reviewed"):
            return _refuse(404, "not found")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _refuse(400, "the request body is not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("etag"), str):
            return _refuse(400, "the request names no etag")
        with self._write:
            try:
                return self._change(folder, parts[1], data)
            except NoticepubError as exc:
                return _refuse(422, exc.one_line())

    # ------------------------------------------------------------------ changes
    def _change(self, folder: Path, what: str, data: dict) -> Response:
        current = review_notice(folder, self.settings)
        if current.etag != data["etag"] and current.etag:
            return _refuse(409, f"{folder.name}: raw.txt or notice.yml changed since this page was loaded "
                           "(another tab or an editor); reload the page and make the change again")
        if current.error and what != "undo":
            return _refuse(422, current.error)
        stack = self._undo.setdefault(folder.name, [])
        if what == "undo":
            if not stack:
                return _refuse(409, "nothing to undo in this session")
            before, after = stack[-1]
            if current.notice_yml != after:
                return _refuse(409, f"{folder.name}/{META_NAME} changed since the last change made here; not undone")
            if before is not None:
                review_notice(folder, self.settings, notice_yml=before, raw=current.raw)  # still valid
            self._write_yml(folder, before)
            stack.pop()
            message = "undone: notice.yml is back as it was before the last change"
        else:
            if what == "correct":
                action, first, last = data.get("action"), data.get("first"), data.get("last")
                body = data.get("body")
                if not (isinstance(action, str) and isinstance(first, int) and isinstance(last, int)
                        and (body is None or isinstance(body, int))):
                    return _refuse(400, "a correction names an action, its first and last line (and a body line)")
                new = edit.correct(current.notice_yml, current, action, first, last, body)
                message = f"lines {first}–{last}: {action}" if first != last else f"line {first}: {action}"
                if body is not None:
                    message += f" of the article whose text starts at line {body}"
            else:
                new = edit.mark_reviewed(current.notice_yml, current, dt.date.today())
                message = "marked reviewed"
            review_notice(folder, self.settings, notice_yml=new, raw=current.raw)  # raises the build's message
            self._write_yml(folder, new)
            stack.append((current.notice_yml, new))
            del stack[:-50]
        review = self._review(folder)
        return _json(200, {**self._payload(review), "ok": True, "message": message})

    def _write_yml(self, folder: Path, data: bytes | None) -> None:
        path = folder / META_NAME
        if data is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, data)

    # ------------------------------------------------------------------ notices
    def _folder(self, notice_id: str) -> Path | None:
        if not NOTICE_ID_RE.fullmatch(notice_id):
            return None
        folder = self.settings.source_path / notice_id
        return folder if (folder / "raw.txt").is_file() and not folder.is_symlink() else None

    def _review(self, folder: Path) -> NoticeReview:
        """The notice's review, parsed again only when one of its files changed (by stat)."""
        key_parts = []
        for name in ("raw.txt", META_NAME, "en.po"):
            try:
                st = os.stat(folder / name)
                key_parts.append(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
            except OSError:
                key_parts.append("-")
        key = (folder.name, "|".join(key_parts))
        cached = self._cache.get(key)
        if cached is None:
            cached = review_notice(folder, self.settings)
            self._cache = {k: v for k, v in self._cache.items() if k[0] != folder.name}
            self._cache[key] = cached
        return cached

    def _wait(self, folder: Path, etag: str, seconds: float = WAIT_SECONDS) -> NoticeReview:
        """The notice's review once its etag differs from ``etag`` (an edit on disk), or after ``seconds``."""
        deadline = time.monotonic() + seconds
        review = self._review(folder)
        while etag and review.etag == etag and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            review = self._review(folder)
        return review

    def _payload(self, review: NoticeReview) -> dict:
        return {"etag": review.etag, "state": review.state, "summary": render.summary(review),
                "panes": render.panes(review), "undo": bool(self._undo.get(review.notice_id))}
