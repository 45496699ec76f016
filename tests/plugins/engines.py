"""pytest plugin: one server on 127.0.0.1 that answers the way real translation
engines do, including the ways they hurt (never the internet).

Fixture ``engine`` -> :class:`EngineStub`, started before the test, stopped after.
It speaks four APIs at once, as documented by each provider:

* LibreTranslate: ``POST /translate`` (JSON or form body; ``q`` a string or a
  list; ``format`` ``text``/``html``, HTML keeps ``translate="no"`` elements);
  ``char_limit`` / ``batch_limit`` answer 400 ``{"error": "Invalid request:
  request (N) exceeds text limit (M)"}`` like the real server;
* DeepL: ``POST /v2/translate`` (key in ``Authorization: DeepL-Auth-Key``;
  ``text`` a list; ``tag_handling=xml`` keeps tags and ``ignore_tags`` spans);
* MyMemory: ``GET /get?q=...&langpair=fr-FR|en-GB``; over ``mymemory_bytes``
  UTF-8 bytes it answers HTTP 200 with its "QUERY LENGTH LIMIT EXCEEDED" text;
* Google's page: ``GET /m?sl=fr&tl=en&q=...`` -> ``<div class="result-container">``.

``engine.translate`` - the "translation" of the words, ``str -> str``
(default: ``fake_translate`` of tests/plugins/translator_stub.py).

``engine.behaviours`` - what the "engine" does to every text it translates
(a set; empty = a clean engine): ``swap`` (the first two placeholders trade
places), ``respace`` (spaces inside and around every placeholder or tag),
``brackets`` / ``lenticular`` / ``parens`` (``⟦N⟧`` written ``[N]`` /
``【N】`` / ``(N)``), ``drop-markers`` (the ``⟪N⟫`` batch markers vanish,
blank lines stay).

``engine.script(mode, ...)`` queues one error answer per next request:
``403ban`` (LibreTranslate flood ban), ``403key`` (invalid key), ``429rate``
(``Slowdown: 20 per 1 minute``), ``429day`` (``... per 1 day``), ``456``
(DeepL quota), ``413``, ``500``, ``503``, ``cannot`` (LibreTranslate 500
"Cannot translate text"), ``captcha`` (Google's redirect to its "unusual
traffic" page), ``quota`` (MyMemory's daily-quota warning as HTTP 200), ``ok``.

``engine.seen`` - every request (:class:`Seen`: api, method, query, body,
texts); ``engine.count(api)`` their number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.plugins.translator_stub import _QuietHandler, _StubServer, fake_translate

TOKEN = re.compile(r"\u27e6(\d+)\u27e7")
MARK = re.compile(r"\u27ea\d+\u27eb ?")
NO_TRANSLATE = re.compile(r"(<x translate=\"no\">.*?</x>)")
KEEP = re.compile(r"(<k i=\"\d+\">.*?</k>|<x i=\"\d+\"/>)")
DEEPL_KEY = "stub-engine-key:fx"


@dataclass
class Seen:
    api: str
    method: str
    query: dict
    body: object
    texts: list[str] = field(default_factory=list)


def _swap_first_two(text: str, regex: re.Pattern[str]) -> str:
    found = list(regex.finditer(text))
    if len(found) < 2:
        return text
    a, b = found[0], found[1]
    return text[: a.start()] + b.group(0) + text[a.end() : b.start()] + a.group(0) + text[b.end() :]


class EngineStub(_StubServer):
    def __init__(self) -> None:
        self.behaviours: set[str] = set()
        self.translate = fake_translate  # the "translation" of the words (str -> str)
        self.libre_char_limit: int | None = None
        self.libre_batch_limit: int | None = None
        self.mymemory_bytes = 500
        self.seen: list[Seen] = []
        self._init_queue()
        stub = self

        class Handler(_QuietHandler):
            def do_GET(self):
                self._route("GET")

            def do_POST(self):
                self._route("POST")

            def _route(self, method):
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                if self.headers.get("Content-Type", "").startswith("application/json") and raw:
                    body = json.loads(raw)
                else:
                    body = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(raw).items()}
                api = {"/translate": "libre", "/v2/translate": "deepl", "/get": "mymemory", "/m": "google",
                       "/sorry/index": "sorry"}.get(url.path.rstrip("/") or "/", "?")
                if api == "sorry":
                    return self._send(429, "<html><body>Our systems have detected unusual traffic from your "
                                           "computer network. Please solve the CAPTCHA.</body></html>", ctype="text/html")
                mode = "ok"
                with stub._lock:
                    if stub._script:
                        mode = stub._script.popleft()
                seen = Seen(api, method, query, body)
                with stub._lock:
                    stub.seen.append(seen)
                return getattr(self, f"_{api}", self._unknown)(mode, query, body, seen)

            def _unknown(self, *args):
                return self._send(404, {"error": "Not Found"})

            # -- LibreTranslate --------------------------------------------------------
            def _libre(self, mode, query, body, seen):
                if "q" in query:
                    return self._send(414, {"error": "URI Too Long"})  # the text must travel in the body
                if mode == "403ban":
                    return self._send(403, {"error": "Too many request limits violations"})
                if mode == "403key":
                    return self._send(403, {"error": "Invalid API key"})
                if mode == "429rate":
                    return self._send(429, {"error": "Slowdown: 20 per 1 minute"})
                if mode == "429day":
                    return self._send(429, {"error": "Slowdown: 100 per 1 day"})
                if mode in ("500", "503"):
                    return self._send(int(mode), {"error": "Internal Server Error"})
                q = body.get("q")
                texts = q if isinstance(q, list) else [q]
                seen.texts = list(texts)
                if stub.libre_batch_limit is not None and isinstance(q, list) and len(q) > stub.libre_batch_limit:
                    return self._send(400, {"error": f"Invalid request: request ({len(q)}) exceeds text limit "
                                                     f"({stub.libre_batch_limit})"})
                chars = sum(len(t) for t in texts)
                if stub.libre_char_limit is not None and chars > stub.libre_char_limit:
                    return self._send(400, {"error": f"Invalid request: request ({chars}) exceeds text limit "
                                                     f"({stub.libre_char_limit})"})
                if mode == "cannot":
                    return self._send(500, {"error": "Cannot translate text: index out of range"})
                fmt = body.get("format") or "text"
                out = [stub.engine(t, fmt) for t in texts]
                return self._send(200, {"translatedText": out if isinstance(q, list) else out[0]})

            # -- DeepL -----------------------------------------------------------------
            def _deepl(self, mode, query, body, seen):
                if self.headers.get("Authorization") != f"DeepL-Auth-Key {DEEPL_KEY}":
                    return self._send(403, {"message": "Authorization failed"})
                for code in ("456", "413", "500", "503"):
                    if mode == code:
                        return self._send(int(code), {"message": {"456": "Quota exceeded", "413": "Request Entity Too Large"}.get(code, "Internal error")})
                if mode == "429rate":
                    return self._send(429, {"message": "Too many requests"}, {"Retry-After": "3"})
                texts = body.get("text") or []
                seen.texts = list(texts)
                fmt = "xml" if body.get("tag_handling") == "xml" else "text"
                out = [{"detected_source_language": "FR", "text": stub.engine(t, fmt)} for t in texts]
                return self._send(200, {"translations": out})

            # -- MyMemory --------------------------------------------------------------
            def _mymemory(self, mode, query, body, seen):
                q = (query.get("q") or [""])[0]
                seen.texts = [q]
                if mode == "quota":
                    return self._send(200, {"responseData": {"translatedText": "MYMEMORY WARNING: YOU USED ALL "
                                            "AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN 10 HOURS"},
                                            "responseStatus": 429, "matches": []})
                if mode in ("500", "503"):
                    return self._send(int(mode), {"responseDetails": "Server error"})
                if len(q.encode("utf-8")) > stub.mymemory_bytes:
                    return self._send(200, {"responseData": {"translatedText": "QUERY LENGTH LIMIT EXCEEDED. MAX "
                                            f"ALLOWED QUERY : {stub.mymemory_bytes} CHARS"},
                                            "responseStatus": 403, "matches": []})
                return self._send(200, {"responseData": {"translatedText": stub.engine(q, "text"), "match": 0.85},
                                        "responseStatus": 200, "matches": []})

            # -- Google's page ---------------------------------------------------------
            def _google(self, mode, query, body, seen):
                q = (query.get("q") or [""])[0]
                seen.texts = [q]
                if mode == "captcha":
                    self.send_response(302)
                    self.send_header("Location", "/sorry/index?continue=x")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if mode in ("500", "503"):
                    return self._send(int(mode), "<html>error</html>", ctype="text/html")
                from html import escape

                page = f'<html><body><div class="result-container">{escape(stub.engine(q, "text"))}</div></body></html>'
                return self._send(200, page, ctype="text/html; charset=utf-8")


        self._serve(Handler)

    def count(self, api: str | None = None) -> int:
        return sum(1 for s in self.seen if api is None or s.api == api)

    # -- the "engine" ----------------------------------------------------------------
    def engine(self, text: str, fmt: str = "text") -> str:
        b = self.behaviours
        if fmt == "html":
            parts = NO_TRANSLATE.split(text)
            out = "".join(p if k % 2 else _outside_entities(self.translate, p) for k, p in enumerate(parts))
            out = out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")  # LibreTranslate unescapes
            if "swap" in b:
                out = _swap_first_two(out, NO_TRANSLATE)
            if "respace" in b:
                out = NO_TRANSLATE.sub(lambda m: f" {m.group(0)} ", out)
            return out
        if fmt == "xml":
            parts = KEEP.split(text)
            out = "".join(p if k % 2 else _outside_entities(self.translate, p) for k, p in enumerate(parts))
            if "swap" in b:
                out = _swap_first_two(out, KEEP)
            if "respace" in b:
                out = KEEP.sub(lambda m: f" {m.group(0)} ", out)
            return out
        out = self.translate(text)
        if "swap" in b:  # in each text of a joined request
            out = "\n\n".join(_swap_first_two(part, TOKEN) for part in out.split("\n\n"))
        if "drop-markers" in b:
            out = MARK.sub("", out)
        if "merge-paragraphs" in b:  # the first two texts of a joined request come back as one
            out = out.replace("\n\n", " ", 1)
        if "respace" in b:
            out = TOKEN.sub(lambda m: f" \u27e6 {m.group(1)} \u27e7 ", out)
        for name, shape in (("brackets", "[{}]"), ("lenticular", "\u3010{}\u3011"), ("parens", "({})")):
            if name in b:
                out = TOKEN.sub(lambda m, s=shape: s.format(m.group(1)), out)
        return out


def _outside_entities(translate, text: str) -> str:
    parts = re.split(r"(&[a-z]+;)", text)
    return "".join(p if k % 2 else translate(p) for k, p in enumerate(parts))


@pytest.fixture
def engine():
    stub = EngineStub()
    try:
        yield stub
    finally:
        stub.close()
