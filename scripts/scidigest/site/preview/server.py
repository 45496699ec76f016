"""The preview's HTTP server (standard library only), on 127.0.0.1.

Files are served from the preview's output directory. A page still stale
after a save is rendered when the browser asks for it, before the answer
(:meth:`.engine.Preview.ensure`); a background thread renders the rest,
giving way to requests. HTML pages get one ``<script src>`` before ``</body>``
(:data:`RELOAD_PATH`, served from here, never inline: the pages'
Content-Security-Policy refuses inline scripts it has no hash for) that
listens on :data:`EVENTS` (server-sent events) and reloads the page when the
site changed; with ``reload=False`` every byte served is the byte
``mkdocs build`` writes.
"""

from __future__ import annotations

import http.server
import logging
import mimetypes
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scidigest.site.preview.engine import Preview

log = logging.getLogger("scidigest.preview")

#: the server-sent-events stream the reload script listens to
EVENTS = "/__scidigest__/events"
#: the reload script, a same-origin file (what script-src 'self' allows)
RELOAD_PATH = "/__scidigest__/reload.js"
RELOAD_JS = (
    "(function(){var seen=null,es=new EventSource(\"" + EVENTS + "\");"
    "es.onmessage=function(e){if(seen===null){seen=e.data}else if(e.data!==seen){location.reload()}};"
    "})();\n"
).encode()
#: added before ``</body>`` of every HTML page (when reloading is on)
RELOAD_SCRIPT = f'<script src="{RELOAD_PATH}"></script>'.encode()

_TYPES = {".js": "application/javascript", ".css": "text/css", ".svg": "image/svg+xml",
          ".json": "application/json", ".xml": "application/xml", ".html": "text/html; charset=utf-8",
          ".gz": "application/gzip", ".woff2": "font/woff2"}


def inject(html: bytes) -> bytes:
    """``html`` with :data:`RELOAD_SCRIPT` before its last ``</body>``."""
    at = html.rfind(b"</body>")
    if at < 0:
        return html + RELOAD_SCRIPT
    return html[:at] + RELOAD_SCRIPT + html[at:]


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, preview: Preview, host: str = "127.0.0.1", port: int = 8000, *, reload: bool = True) -> None:
        self.preview = preview
        self.reload = reload
        self.token = f"{time.time_ns()}"  # a new process reloads every open page
        self.stopping = threading.Event()
        self.listeners = 0  # pages connected to EVENTS right now
        self._waiting = threading.Lock()
        super().__init__((host, port), _Handler)
        self.worker = threading.Thread(target=self._background, name="preview-render", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def state(self) -> str:
        return f"{self.token}-{self.preview.generation}"

    def start(self) -> threading.Thread:
        """Serve (and render in the background) in daemon threads."""
        self.worker.start()
        thread = threading.Thread(target=self.serve_forever, name="preview-http", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
        with self.preview.changed:
            self.preview.changed.notify_all()
        self.shutdown()
        self.server_close()

    def ensure(self, path: str) -> None:
        with self._waiting:
            self.preview.waiting += 1
        try:
            self.preview.ensure(path)
        finally:
            with self._waiting:
                self.preview.waiting -= 1

    def _background(self) -> None:
        """Render what is still stale, one output at a time, after requests."""
        preview = self.preview
        while not self.stopping.is_set():
            with preview.changed:
                while not preview.stale() and not self.stopping.is_set():
                    preview.changed.wait(1.0)
            if self.stopping.is_set():
                return
            if preview.waiting:
                time.sleep(0.002)
                continue
            try:
                preview.work()
            except Exception:  # never let the renderer thread die
                log.exception("preview: background rendering failed")
                time.sleep(0.5)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        log.debug("preview: " + format, *args)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(head=True)

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if path == EVENTS:
            self._events()
        elif path == RELOAD_PATH:
            self._reload_script()
        else:
            self._serve(head=False)

    def _reload_script(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript")
        self.send_header("Content-Length", str(len(RELOAD_JS)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(RELOAD_JS)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        preview, server = self.server.preview, self.server
        sent = None
        with server._waiting:
            server.listeners += 1
        try:
            while not server.stopping.is_set():
                current = server.state()
                if current != sent:
                    self.wfile.write(f"retry: 500\ndata: {current}\n\n".encode())
                    self.wfile.flush()
                    sent = current
                with preview.changed:
                    if server.state() == sent:
                        preview.changed.wait(15)
                if server.state() == sent:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return
        finally:
            with server._waiting:
                server.listeners -= 1

    def _file_for(self, path: str) -> Path | None:
        root = self.server.preview.site_dir
        target = (root / path.lstrip("/")).resolve()
        if target != root and root not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _serve(self, *, head: bool) -> None:
        path = unquote(urlsplit(self.path).path) or "/"
        server = self.server
        root = server.preview.site_dir
        if not path.endswith("/") and (root / path.lstrip("/")).is_dir():
            self.send_response(302)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        server.ensure(path)
        target = self._file_for(path)
        status = 200
        if target is None:
            status = 404
            first = path.lstrip("/").split("/", 1)[0]
            lang_404 = root / first / "404.html"
            target = lang_404 if first and lang_404.is_file() else root / "404.html"
            if not target.is_file():
                self.send_error(404)
                return
        body = target.read_bytes()
        ctype = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix == ".html" and server.reload:
            body = inject(body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)
