"""The preview's web server: the site folder on loopback, plus one event stream per tab.

Every HTML page is served with a small client script added to the response (the files on
disk stay exactly what ``snakemake all`` writes). The script opens a server-sent-events
stream that names the page and the content hash it was served with; after each build
the :class:`Hub` tells exactly the tabs whose page changed to reload, and shows or
clears the build error overlay in every tab.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import mimetypes
import posixpath
import queue
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, urlsplit

from proefdruk.preview.site import Refused, digest, page_key, resolve

CLIENT_JS = (Path(__file__).parent / "client.js").read_bytes()
CLIENT_ETAG = '"' + hashlib.sha256(CLIENT_JS).hexdigest()[:32] + '"'
EVENTS = "/__proefdruk/events"
CLIENT = "/__proefdruk/client.js"
STATUS = "/__proefdruk/status"
SETTLED = "/__proefdruk/settled"
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
HEARTBEAT_SECONDS = 15.0


@dataclass(eq=False)
class Tab:
    """One open browser tab: the page it shows and the hash of the bytes it got."""

    page: str
    digest: str
    events: queue.Queue = field(default_factory=queue.Queue)


class Hub:
    """The open tabs and the current build problem; safe to call from any thread."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._lock = threading.Lock()
        self._tabs: set[Tab] = set()
        self.problem: str | None = None
        # Whether a build is running or queued (the builder sets it; tests and the
        # benchmark read it through /__proefdruk/status).
        self.busy = True
        # Pages shown ahead of Snakemake (proefdruk.preview.drafter): page -> file,
        # until Snakemake has made the page itself; the folders they were rendered in
        # hold the figures they show, which are served from there too.
        self._drafts: dict[str, Path] = {}
        self._draft_sites: list[Path] = []
        # Reloads ordered and not yet settled in the browser: (page, digest) -> count.
        self._reloading: dict[tuple[str, str], int] = {}
        self._settled = threading.Condition(self._lock)

    def connect(self, page: str, served: str) -> Tab:
        tab = Tab(page, served)
        with self._lock:
            self._tabs.add(tab)
            problem = self.problem
        if problem is not None:
            tab.events.put(("problem", problem))
        self._check(tab)
        return tab

    def disconnect(self, tab: Tab) -> None:
        with self._lock:
            self._tabs.discard(tab)

    def open_pages(self) -> list[str]:
        """Site-relative paths of the pages open in some tab (sorted, no duplicates)."""
        with self._lock:
            return sorted({t.page for t in self._tabs})

    def page_file(self, page: str) -> Path:
        """The file served for site path ``page``: its draft while there is one (or a
        file a draft shows, such as a new figure), else the build's."""
        with self._lock:
            draft = self._drafts.get(page)
            sites = list(self._draft_sites)
        if draft is not None:
            return draft
        for site in sites:
            if (site / page).is_file():
                return site / page
        return self.site / page

    def show_drafts(self, drafts: dict[str, Path]) -> list[str]:
        """Serve ``drafts`` (page -> file in a draft's site folder) in place of the
        build's pages and reload the tabs showing them; returns the pages reloaded."""
        with self._lock:
            self._drafts.update(drafts)
            for page, file in drafts.items():
                site = file.parents[len(PurePosixPath(page).parts) - 1]
                if site not in self._draft_sites:
                    self._draft_sites.insert(0, site)
        return self.refresh()

    def drop_drafts(self) -> dict[str, Path]:
        """Serve the build's pages again (Snakemake has made them, or failed); returns
        the drafts dropped. Call :meth:`refresh` after, to reload tabs whose page then
        differs."""
        with self._lock:
            dropped, self._drafts, self._draft_sites = self._drafts, {}, []
        return dropped

    def page_digest(self, page: str) -> str:
        """The digest of what is served for ``page`` (see :func:`digest`): a file the
        page embeds is looked up as a request for it would be."""
        folder = posixpath.dirname(page)

        def locate(ref: str) -> Path | None:
            path = posixpath.normpath(posixpath.join(folder, ref))
            return None if path.startswith("../") else self.page_file(path)

        return digest(self.page_file(page), locate)

    def _check(self, tab: Tab) -> bool:
        now = self.page_digest(tab.page)
        if now and now != tab.digest:
            tab.digest = now
            with self._lock:
                key = (tab.page, now)
                self._reloading[key] = self._reloading.get(key, 0) + 1
            tab.events.put(("reload", tab.page))
            return True
        return False

    def settled(self, page: str, served: str) -> None:
        """A tab showing ``page`` as served with digest ``served`` has loaded it, with
        its figures and fonts (the client says so)."""
        with self._lock:
            key = (page, served)
            if self._reloading.get(key, 0) > 1:
                self._reloading[key] -= 1
            else:
                self._reloading.pop(key, None)
            self._settled.notify_all()

    def wait_settled(self, timeout: float) -> bool:
        """Until every reload ordered so far has settled in its tab, or ``timeout``
        seconds passed (a tab closed instead); whether they all settled. The builder
        waits so before it starts Snakemake after showing a draft: on a small machine a
        Snakemake start would take the cores from the browser that is showing the
        author the page."""
        with self._lock:
            done = self._settled.wait_for(lambda: not self._reloading, timeout=timeout)
            self._reloading.clear()  # a tab that never settles is not waited for again
            return done

    def refresh(self) -> list[str]:
        """Tell every tab whose page changed on disk since it was served to reload;
        returns those pages."""
        with self._lock:
            tabs = list(self._tabs)
        return sorted({t.page for t in tabs if self._check(t)})

    def show_problem(self, text: str) -> None:
        with self._lock:
            self.problem = text
            tabs = list(self._tabs)
        for t in tabs:
            t.events.put(("problem", text))

    def clear_problem(self) -> None:
        with self._lock:
            had = self.problem is not None
            self.problem = None
            tabs = list(self._tabs)
        if had:
            for t in tabs:
                t.events.put(("clear", ""))

    def close(self) -> None:
        """End every event stream (shutdown)."""
        with self._lock:
            tabs = list(self._tabs)
        for t in tabs:
            t.events.put(None)


def inject(html: bytes, served: str) -> bytes:
    """The page with the preview client added before ``</body>`` (or at the end)."""
    # Deferred: the page is parsed and shown without waiting for the client script.
    tag = f'<script src="{CLIENT}" defer data-digest="{served}"></script>'.encode()
    matches = list(BODY_END.finditer(html))
    if not matches:
        return html + tag
    at = matches[-1].start()
    return html[:at] + tag + html[at:]


class Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD on the site folder, the client script and the event stream."""

    hub: Hub
    protocol_version = "HTTP/1.1"
    server_version = "proefdruk-preview"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return

    def _host_ok(self) -> bool:
        # Loopback only, and only under a loopback name: a page elsewhere whose DNS name
        # points at 127.0.0.1 must not read the book through the visitor's browser.
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        return host in ("127.0.0.1", "localhost", "::1", "")

    def _send(self, status: int, body: bytes, ctype: str, *, head: bool = False,
              etag: str | None = None) -> None:
        """Answer; a page always fresh, other files (stylesheets, fonts, figures) with a
        validator, so that a reload asks whether they changed and reuses them if not."""
        if etag is not None and self.headers.get("If-None-Match") == etag:
            status, body, head = 304, b"", True
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        if etag is None:
            self.send_header("Cache-Control", "no-store")
        else:
            self.send_header("Cache-Control", "no-cache")
            self.send_header("ETag", etag)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._get(head=True)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._get(head=False)

    def _get(self, *, head: bool) -> None:
        if not self._host_ok():
            self._send(403, b"forbidden host\n", "text/plain; charset=utf-8", head=head)
            return
        path = urlsplit(self.path).path
        if path == EVENTS and not head:
            self._events()
            return
        if path == STATUS:
            status = {"open_pages": self.hub.open_pages(), "problem": self.hub.problem,
                      "busy": self.hub.busy}
            self._send(200, json.dumps(status).encode(), "application/json", head=head)
            return
        if path == SETTLED:
            query = parse_qs(urlsplit(self.path).query)
            try:
                page = page_key(query.get("page", ["/"])[0])
            except Refused:
                page = ""
            self.hub.settled(page, query.get("digest", [""])[0])
            self._send(204, b"", "text/plain; charset=utf-8", head=head)
            return
        if path == CLIENT:
            self._send(200, CLIENT_JS, "text/javascript; charset=utf-8", head=head,
                       etag=CLIENT_ETAG)
            return
        try:
            page = resolve(self.hub.site, self.path).relative_to(self.hub.site.resolve())
        except Refused:
            self._send(403, b"outside the site folder\n", "text/plain; charset=utf-8",
                       head=head)
            return
        target = self.hub.page_file(page.as_posix())
        try:
            body = target.read_bytes()
        except OSError:
            note = (b"<!doctype html><title>Not built (yet)</title><body><p>This page "
                    b"has not been built (yet); it appears when the build makes it."
                    b"</p></body>")
            self._send(404, inject(note, ""), "text/html; charset=utf-8", head=head)
            return
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            body = inject(body, self.hub.page_digest(page.as_posix()))
        if ctype.startswith("text/") or ctype in ("application/json", "image/svg+xml"):
            ctype += "; charset=utf-8"
        etag = None if ctype.startswith("text/html") else (
            '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        self._send(200, body, ctype, head=head, etag=etag)

    def _events(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        try:
            page = page_key(query.get("page", ["/"])[0])
        except Refused:
            self._send(403, b"outside the site folder\n", "text/plain; charset=utf-8")
            return
        # Registered before the answer starts: once a tab sees the stream open, the hub
        # counts it among the open pages.
        tab = self.hub.connect(page, query.get("digest", [""])[0])
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while True:
                try:
                    item = tab.events.get(timeout=HEARTBEAT_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                    continue
                if item is None:
                    return
                kind, data = item
                self.wfile.write(f"event: {kind}\ndata: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return
        finally:
            self.hub.disconnect(tab)


class PreviewServer(http.server.ThreadingHTTPServer):
    """The HTTP server bound to 127.0.0.1 only."""

    daemon_threads = True

    def __init__(self, site: Path, port: int = 0) -> None:
        self.hub = Hub(site)
        handler = type("BoundHandler", (Handler,), {"hub": self.hub})
        super().__init__(("127.0.0.1", port), handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="preview-http",
                                  daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.hub.close()
        with contextlib.suppress(Exception):
            self.shutdown()
        self.server_close()
