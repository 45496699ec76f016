"""A small web server on 127.0.0.1 for the tests of ``scidigest add URL`` (fixture ``web``).

Each test registers the answers it needs with :meth:`WebServer.route` (a path, a status,
headers, a body, optionally a delay before answering, a drip of the body in pieces, or a
redirect) and gets absolute URLs from :meth:`WebServer.url`. The server is started on a
free port and stopped by the fixture; nothing leaves the machine.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between 1 KiB pieces of the body
    content_length: bool = True  # False: no Content-Length, the body ends when the connection closes


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that gave up (timeout tests)
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class WebServer:
    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.hits: list[str] = []
        self._stop = threading.Event()
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection; a body may end at close

            def log_message(self, *args):
                pass

            def do_GET(self):
                web.hits.append(self.path)
                answer = web.routes.get(self.path) or web.routes.get(self.path.split("?")[0]) or Answer(404, {"Content-Type": "text/html"},
                                                            b"<html><body><h1>Not found</h1></body></html>")
                if answer.delay and web._stop.wait(answer.delay):
                    return
                self.send_response(answer.status)
                for k, v in answer.headers.items():
                    self.send_header(k, v)
                if answer.content_length:
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if not answer.drip:
                    self.wfile.write(answer.body)
                    return
                for i in range(0, len(answer.body), 1024):
                    if web._stop.is_set():
                        return
                    self.wfile.write(answer.body[i:i + 1024])
                    self.wfile.flush()
                    time.sleep(answer.drip)

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8",
              status: int = 200, **kw) -> str:
        headers = dict(kw.pop("headers", {}))
        if content_type is not None:
            headers.setdefault("Content-Type", content_type)
        self.routes[path] = Answer(status=status, headers=headers, body=body, **kw)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        target = to if to.startswith(("http://", "https://", "ftp://")) else self.url(to)
        self.routes[path] = Answer(status=status, headers={"Location": target})
        return self.url(path)

    def close(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def web(monkeypatch):
    """A :class:`WebServer` on 127.0.0.1, stopped after the test; no proxy is used for it."""
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = WebServer()
    yield server
    server.close()


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
