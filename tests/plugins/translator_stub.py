"""pytest plugin: a stub LibreTranslate server on 127.0.0.1 (never the internet).

Fixtures
--------
``translator_stub`` -> :class:`StubTranslator`, started before the test and
stopped after it.  Point deep-translator's ``LibreTranslator`` (or
``scidigest.translate.make_provider("libre", url=stub.url)``) at ``stub.url``.

* ``stub.url`` - base URL ending in ``/``; the server answers ``POST /translate``
  exactly like LibreTranslate (``q``, ``source``, ``target`` in the query
  string or form body; JSON ``{"translatedText": ...}``).
* ``stub.requests`` - list of the ``q`` texts received, in order;
  ``stub.count`` - their number (every HTTP request, failed ones included).
* ``stub.mode`` - what every request gets unless scripted (default ``"ok"``).
  ``stub.script("429", "500", "ok")`` queues modes for the next requests.
  Modes: ``ok`` (translate), ``slow`` (sleep ``stub.delay`` seconds, then
  translate), ``429`` (with ``Retry-After: stub.retry_after``), ``500``,
  ``malformed`` (HTTP 200, not JSON), ``drop`` (close the connection without
  answering), ``mangle`` (translate but lose the ``⟦N⟧`` placeholders),
  ``unmarked`` (translate but lose the ``⟪N⟫`` batch markers).
* ``stub.translate`` - the deterministic "translation", ``str -> str``;
  default :func:`fake_translate` (common English words in place of the
  French ones, tokens unchanged).
* ``stub.max_chars`` - reply 413 to longer texts (default: no limit).

``refused_url`` -> a ``http://127.0.0.1:<port>/`` URL where nothing listens.

``deepl_stub`` -> :class:`DeeplStub`, a stub of DeepL's current API
(``POST /v2/translate``, key only in ``Authorization: DeepL-Auth-Key <key>``,
JSON or form body, ``{"translations": [{"text": ...}]}``).  Point
``DEEPL_API_URL`` (or ``make_provider("deepl", url=...)``) at ``stub.url``.
``stub.key`` is the key it accepts; any other header, or a key in the query
string or body (the retired way), gets 403.  ``stub.seen`` records every
request as :class:`SeenRequest` (method, raw path, headers, raw body);
``stub.requests`` the texts.  Modes as above plus ``456`` (quota exceeded)
and ``403``; ``slow``, ``429``, ``500``, ``malformed``, ``drop`` behave the
same.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
import zlib
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

TOKEN_RE = re.compile(r"\u27e6\s*\d+\s*\u27e7")
MARK_RE = re.compile(r"\u27ea\s*\d+\s*\u27eb\s*")
#: placeholders in our providers' own markup (LibreTranslate HTML, DeepL XML)
HTML_TOKEN_RE = re.compile(r"<x translate=\"no\">\d+</x>|<x i=\"\d+\"/>|<k i=\"\d+\">.*?</k>")


class _QuietServer(ThreadingHTTPServer):
    """No traceback when a client gave up first (timeout tests): broken pipes are expected."""

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


#: English words by length (each much more frequent in English than in French)
_ENGLISH = {
    1: ("a",),
    2: ("to", "of", "is", "it", "by", "we", "at", "be", "he", "so", "my", "if"),
    3: ("the", "and", "for", "was", "are", "not", "you", "all", "can", "had", "her", "our", "out", "get", "has",
        "him", "his", "how", "now", "see", "two", "way", "who", "did", "its", "say", "she", "too", "use"),
    4: ("that", "with", "have", "this", "will", "your", "from", "they", "know", "want", "been", "good", "much",
        "some", "time", "very", "when", "here", "just", "like", "make", "many", "over", "such", "take", "than"),
    5: ("about", "after", "again", "below", "could", "every", "first", "found", "great", "learn", "never",
        "other", "right", "small", "still", "study", "their", "there", "these", "thing", "think", "three",
        "water", "where", "which", "would", "write"),
    6: ("always", "become", "before", "better", "called", "enough", "follow", "ground", "happen", "letter",
        "mother", "number", "people", "person", "should", "answer", "around", "father", "friend", "moving"),
    7: ("another", "between", "brought", "example", "thought", "through", "without", "picture", "problem",
        "measure", "weather", "whether", "nothing", "teacher", "already", "several", "evening"),
    8: ("children", "remember", "together", "consider", "daughter", "probably", "thinking", "whatever",
        "yourself", "everyone"),
    9: ("something", "different", "sometimes", "yesterday", "knowledge", "following", "wonderful"),
    10: ("understand", "everything", "throughout", "themselves", "surrounded"),
}
_WORD_RE = re.compile(r"[^\W\d_]+")


def _english_word(word: str) -> str:
    bucket = _ENGLISH[min(len(word), 10)]
    out = bucket[zlib.crc32(word.lower().encode("utf-8")) % len(bucket)]
    if word.isupper() and len(word) > 1:
        return out.upper()
    return out.capitalize() if word[0].isupper() else out


def fake_translate(text: str) -> str:
    """A deterministic "English": every word replaced by a common English word of
    about its length (same word -> same word), capitals, digits, punctuation,
    spacing, ``⟦N⟧`` tokens and ``⟪N⟫`` markers kept.  It reads as English to
    the language checks, so it passes the validation a real answer must pass;
    the French is visibly gone."""
    return _WORD_RE.sub(lambda m: _english_word(m.group(0)), text)


def translate_markup(translate, text: str, *, html: bool = False, xml: bool = False) -> str:
    """``translate`` applied to the text between our markup (the way
    LibreTranslate's ``format=html`` and DeepL's ``tag_handling=xml`` keep
    tags and ``translate="no"`` / ignored spans), entities kept; LibreTranslate
    unescapes its HTML answer."""
    if not (html or xml):
        return translate(text)
    parts = re.split(r"(<x translate=\"no\">\d+</x>|<x i=\"\d+\"/>|<k i=\"\d+\">.*?</k>|&[a-z]+;)", text)
    out = "".join(p if k % 2 else translate(p) for k, p in enumerate(parts))
    if html:
        out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return out


class _QuietHandler(BaseHTTPRequestHandler):
    """What every stub's handler shares: keep-alive, no Nagle delay, no log lines."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else ~40 ms per request (Nagle + delayed ACK)

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, code, payload, headers=None, ctype="application/json"):
        """Answer ``payload`` (text, or JSON for anything else) with ``headers``."""
        data = (payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


class _StubServer:
    """Lifecycle shared by the stub servers: serve on 127.0.0.1 (free port), queue modes, stop."""

    def _init_queue(self) -> None:
        """The scripted modes of the next requests, their lock, and the stop flag."""
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def _serve(self, handler: type) -> None:
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def script(self, *modes: str) -> None:
        """Queue the modes of the next requests (then back to ``self.mode``)."""
        with self._lock:
            self._script.extend(modes)

    def close(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class StubTranslator(_StubServer):
    def __init__(self) -> None:
        self.mode = "ok"
        self.delay = 1.0
        self.retry_after = "0"
        self.max_chars: int | None = None
        self.translate = fake_translate
        self.requests: list[str] = []
        self.batches: list[list[str]] = []
        self._init_queue()
        stub = self

        class Handler(_QuietHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                params = parse_qs(urlsplit(self.path).query)
                params.update(parse_qs(raw))
                if self.headers.get("Content-Type", "").startswith("application/json") and raw:
                    params.update({k: [v] for k, v in json.loads(raw).items()})
                q = params.get("q", [""])[0]
                texts = q if isinstance(q, list) else [q]
                with stub._lock:
                    stub.requests.extend(texts)
                    stub.batches.append(list(texts))
                    mode = stub._script.popleft() if stub._script else stub.mode
                if mode == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if mode == "slow":
                    stub._stop.wait(stub.delay)
                    mode = "ok"
                if mode == "429":
                    return self._send(429, {"error": "Too many requests"}, {"Retry-After": stub.retry_after})
                if mode == "500":
                    return self._send(500, {"error": "boom"})
                if mode == "malformed":
                    return self._send(200, "<html>not json", ctype="text/html")
                if stub.max_chars is not None and sum(len(t) for t in texts) > stub.max_chars:
                    return self._send(413, {"error": "text too long"})
                html = params.get("format", ["text"])[0] == "html"
                out = [translate_markup(stub.translate, t, html=html) for t in texts]
                if mode == "mangle":
                    out = [HTML_TOKEN_RE.sub("", TOKEN_RE.sub("", t)) for t in out]
                elif mode == "unmarked":
                    out = [MARK_RE.sub("", t) for t in out]
                return self._send(200, {"translatedText": out if isinstance(q, list) else out[0]})


        self._serve(Handler)

    @property
    def count(self) -> int:
        """HTTP requests received (a request may carry a list of texts)."""
        return len(self.batches)



@pytest.fixture
def translator_stub():
    stub = StubTranslator()
    try:
        yield stub
    finally:
        stub.close()


@pytest.fixture
def refused_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    time.sleep(0)  # the port is now closed; nothing listens there
    return f"http://127.0.0.1:{port}/"


@dataclass
class SeenRequest:
    method: str
    path: str  # as sent: path and query string
    headers: dict[str, str]
    body: str


class DeeplStub(_StubServer):
    """DeepL's ``/v2/translate`` as of the header-only authentication."""

    def __init__(self, key: str = "stub-deepl-key-0000:fx") -> None:
        self.key = key
        self.mode = "ok"
        self.delay = 1.0
        self.retry_after: str | None = "0"
        self.max_chars: int | None = None
        self.translate = fake_translate
        self.requests: list[str] = []
        self.seen: list[SeenRequest] = []
        self._init_queue()
        stub = self

        class Handler(_QuietHandler):
            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

            def _handle(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                with stub._lock:
                    stub.seen.append(SeenRequest(method, self.path, dict(self.headers.items()), raw))
                url = urlsplit(self.path)
                if url.path.rstrip("/") != "/v2/translate":
                    return self._send(404, {"message": "Not found"})
                if method != "POST":
                    return self._send(405, {"message": "Method not allowed"})
                query = parse_qs(url.query)
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    try:
                        body = json.loads(raw or "{}")
                    except ValueError:
                        return self._send(400, {"message": "Bad request"})
                else:
                    body = parse_qs(raw)
                if "auth_key" in query or "auth_key" in body:
                    return self._send(403, {"message": "Legacy authentication is no longer supported"})
                if self.headers.get("Authorization") != f"DeepL-Auth-Key {stub.key}":
                    return self._send(403, {"message": "Authorization failed"})
                texts = body.get("text") or []
                if isinstance(texts, str):
                    texts = [texts]
                if not texts or not body.get("target_lang"):
                    return self._send(400, {"message": "Bad request"})
                with stub._lock:
                    stub.requests.extend(texts)
                    mode = stub._script.popleft() if stub._script else stub.mode
                if mode == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return None
                if mode == "slow":
                    stub._stop.wait(stub.delay)
                    mode = "ok"
                if mode == "429":
                    headers = {"Retry-After": stub.retry_after} if stub.retry_after is not None else {}
                    return self._send(429, {"message": "Too many requests"}, headers)
                if mode == "456":
                    return self._send(456, {"message": "Quota exceeded"})
                if mode == "403":
                    return self._send(403, {"message": "Authorization failed"})
                if mode == "500":
                    return self._send(500, {"message": "Internal error"})
                if mode == "malformed":
                    return self._send(200, "<html>not json", ctype="text/html")
                if stub.max_chars is not None and sum(len(t) for t in texts) > stub.max_chars:
                    return self._send(413, {"message": "Request entity too large"})
                src = body.get("source_lang") or "FR"
                src = src if isinstance(src, str) else src[0]
                xml = body.get("tag_handling") in ("xml", ["xml"])
                out = [{"detected_source_language": src, "text": translate_markup(stub.translate, t, xml=xml)}
                       for t in texts]
                return self._send(200, {"translations": out})


        self._serve(Handler)

    @property
    def count(self) -> int:
        return len(self.seen)



@pytest.fixture
def deepl_stub():
    stub = DeeplStub()
    try:
        yield stub
    finally:
        stub.close()
