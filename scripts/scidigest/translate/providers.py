"""Our interface over ``deep-translator``: one request in, one text out, errors classified.

Why a layer of our own: deep-translator 1.11.4 sets no timeout, has no
retries, turns every HTTP error into a handful of loosely related exception
types (a 429 from LibreTranslate is a ``ServerException`` whose only trace
of the status is its message; its ``except ConnectionError`` catches the
builtin, not ``requests``' one) and drops the ``Retry-After`` header.  This
module

* builds the deep-translator client for a provider name, with keys read only
  from environment variables (never from files, never printed: messages are
  redacted),
* forces a timeout on every request and remembers the last HTTP response by
  swapping the ``requests`` name inside the deep-translator provider modules
  for a tiny transport object (:class:`_Transport`) that forwards to one
  ``requests.Session`` per provider (keep-alive) with ``timeout=`` set;
  this is the only patch we apply, it is installed once and idempotent,
* classifies every failure as :class:`RateLimited` (429, with
  ``retry_after``), :class:`TransientError` (timeouts, refused or dropped
  connections, 5xx, malformed bodies: worth retrying) or
  :class:`PermanentError` (bad key, 4xx, unsupported language: not),
* retries with tenacity (:func:`call_with_retries`): ``Retry-After`` first,
  otherwise exponential backoff with jitter, a bounded number of times,
* talks to DeepL's current API (:class:`DeeplClient`): deep-translator
  1.11.4 still sends the key as an ``auth_key`` query parameter of a GET,
  which DeepL has retired; our subclass POSTs with the
  ``Authorization: DeepL-Auth-Key`` header instead, a list of texts per
  request, ``tag_handling=xml`` with ``ignore_tags`` (see
  :mod:`scidigest.translate.markup`) and ``EN-GB``/``EN-US`` (the
  deprecated bare ``EN`` is never sent),
* talks to LibreTranslate in a POST body (:class:`LibreClient`): the stock
  client puts the text in the query string (a 2,000-character request is
  ~6 KB of URL, over the request-line limit of common servers) and its 403
  message quotes the key; ours sends JSON with ``q`` as a list and
  ``format=html``,
* asks MyMemory over HTTPS for its own answer only (:class:`MyMemoryClient`:
  the stock client uses plain HTTP, falls back to *another user's* memory
  match when the answer is empty, and ignores ``responseStatus``); its limit
  is 500 *bytes* of UTF-8, so sizes are measured in bytes (:attr:`Provider.size`),
* reads error bodies and acts on them: LibreTranslate's 400 "exceeds text
  limit" (:class:`TooLarge`: split and resend), 403 flood ban vs bad key,
  429 "N per minute" (wait, then pace), DeepL's 456 quota, Google's bot
  check / captcha page (:class:`Blocked`: a clean stop, finished pages kept).
"""

from __future__ import annotations

import contextvars
import email.utils
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import requests
import tenacity
from deep_translator import DeeplTranslator, LibreTranslator, MyMemoryTranslator
from deep_translator import exceptions as dt_exc
from deep_translator.validate import is_empty, is_input_valid, request_failed

#: size per request each provider accepts, in the provider's unit (characters;
#: UTF-8 *bytes* for MyMemory, whose limit is 500 bytes and whose
#: deep-translator check is ``len(text) < 500``); Google's page takes the text
#: in the URL (deep-translator enforces ``< 5000``), so we keep a margin; a
#: public LibreTranslate instance usually limits requests to 2,000 characters
LIMITS: dict[str, int] = {"google": 4800, "deepl": 5000, "libre": 2000, "mymemory": 499}
#: most texts per request with native batching (DeepL documents 50)
MAX_ITEMS: dict[str, int] = {"deepl": 50, "libre": 128}
#: how each provider carries our placeholders (see scidigest.translate.markup)
MARKUP: dict[str, str] = {"google": "brackets", "mymemory": "brackets", "deepl": "xml", "libre": "html"}
#: providers whose API takes a list of texts in one request
NATIVE_BATCH = frozenset({"deepl", "libre"})
#: DeepL's English variants (``EN`` alone is deprecated); the setting is DEEPL_TARGET_LANG
DEEPL_ENGLISH = ("EN-GB", "EN-US")
MYMEMORY_URL = "https://api.mymemory.translated.net/get"
PROVIDERS = tuple(sorted(LIMITS))
#: environment variables read for secrets / endpoints
ENV = {
    "deepl": "DEEPL_API_KEY",
    "deepl_url": "DEEPL_API_URL",
    "libre": "LIBRE_API_KEY",
    "libre_url": "LIBRETRANSLATE_URL",
    "mymemory_email": "MYMEMORY_EMAIL",
    "mymemory_url": "MYMEMORY_URL",
    "google_url": "GOOGLE_TRANSLATE_URL",
    "deepl_target": "DEEPL_TARGET_LANG",
}
#: LibreTranslate's public instance (needs a key; self-hosted ones do not)
LIBRE_PUBLIC_URL = "https://libretranslate.com/"


class TranslationError(Exception):
    """Any provider failure; the message never contains a secret."""


class TransientError(TranslationError):
    """Worth retrying: timeout, refused/dropped connection, 5xx, malformed body."""


class RateLimited(TransientError):
    """HTTP 429; ``retry_after`` seconds if the server said so."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(TranslationError):
    """Not worth retrying: authentication, bad request, unsupported language."""


class Blocked(PermanentError):
    """The provider will not serve us now (quota used up, flood ban, bot
    check): stop the run at once; what is finished is kept."""


class TooLarge(PermanentError):
    """The request was over the provider's limit.  ``limit`` is the size
    (or ``items`` the number of texts) the provider said it takes, if it
    said; the caller splits the batch and resends."""

    def __init__(self, message: str, limit: int | None = None, items: int | None = None):
        super().__init__(message)
        self.limit = limit
        self.items = items


class BatchBroken(TranslationError):
    """The answer to a batch cannot be matched to its texts (markers lost,
    wrong number of texts), or the provider refused one of them: the caller
    bisects the batch.  Not retried as it is."""


_TIMEOUT: contextvars.ContextVar[float] = contextvars.ContextVar("timeout", default=20.0)
_SESSION: contextvars.ContextVar[requests.Session | None] = contextvars.ContextVar("session", default=None)
_LAST: contextvars.ContextVar[requests.Response | None] = contextvars.ContextVar("last", default=None)


class _Transport:
    """Stands in for the ``requests`` module inside deep-translator's modules."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def _call(self, method: str, url: str, **kw):
        kw["timeout"] = _TIMEOUT.get()
        session = _SESSION.get()
        response = getattr(session or self._real, method)(url, **kw)
        _LAST.set(response)
        return response

    def get(self, url, **kw):
        return self._call("get", url, **kw)

    def post(self, url, **kw):
        return self._call("post", url, **kw)


def _install_transport() -> None:
    # deep-translator internals: each provider module does ``import requests`` and calls
    # ``requests.get``/``post`` through that module attribute (1.11.4). Written for the
    # version in scidigest.versions.WRITTEN_FOR; tests/site/test_framework_versions.py
    # fails on any other, naming this file to re-check.
    from deep_translator import deepl, google, libre, mymemory

    for mod in (deepl, google, libre, mymemory):
        if not isinstance(mod.requests, _Transport):
            mod.requests = _Transport(requests)


_install_transport()
#: what our own client code (:class:`DeeplClient`) sends through
_HTTP = _Transport(requests)


class DeeplClient(DeeplTranslator):
    """deep-translator's ``DeeplTranslator`` speaking DeepL's current API.

    Same constructor (language names/codes mapped and checked by
    deep-translator, free endpoint for ``:fx`` keys) plus ``base_url`` (a
    self-hosted proxy, a test stub) and ``english`` (``EN-GB`` or ``EN-US``).
    It differs from the parent in how it asks: ``POST <base>/v2/translate``
    with the key in the ``Authorization: DeepL-Auth-Key`` header and a JSON
    body (never in the URL or the body), a list of texts per request
    (:meth:`translate_list`), and with ``tag_handling=xml`` +
    ``ignore_tags`` when ``markup`` is ``"xml"``.  Failures keep
    deep-translator's exception types (403 -> ``AuthorizationException``,
    other statuses -> ``ServerException``) but never carry the key;
    :class:`Provider` classifies them from the HTTP status and body it
    remembers."""

    def __init__(self, *args, base_url: str | None = None, english: str = "EN-GB", markup: str = "xml", **kwargs):
        super().__init__(*args, **kwargs)
        if base_url:
            self._base_url = deepl_base_url(base_url)
        self.english = english
        self.markup = markup

    def _target_lang(self) -> str:
        target = self._target.upper()
        return self.english if target == "EN" else target

    def translate(self, text: str, **kwargs) -> str:
        is_input_valid(text)  # NotValidPayload for non-strings
        if self._same_source_target() or is_empty(text):
            return text
        return self.translate_list([text])[0]

    def translate_list(self, texts: list[str]) -> list[str]:
        """One request for all ``texts``; the answers in the same order."""
        body: dict = {"text": list(texts), "source_lang": self._source.upper(), "target_lang": self._target_lang()}
        if self.markup == "xml":
            from .markup import IGNORE_TAG

            body.update({"tag_handling": "xml", "ignore_tags": [IGNORE_TAG]})
        response = _HTTP.post(
            self._base_url + "translate", json=body, headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"}
        )
        if response.status_code in (401, 403):
            raise dt_exc.AuthorizationException("***")  # its message would quote the key
        if request_failed(status_code=response.status_code):
            raise dt_exc.ServerException(response.status_code)
        res = response.json()
        if not res or not res.get("translations"):
            raise dt_exc.TranslationNotFound(texts[0][:50])
        return [t["text"] for t in res["translations"]]


class LibreClient(LibreTranslator):
    """deep-translator's ``LibreTranslator`` asking in a POST body.

    ``POST <base>/translate`` with JSON ``{"q": ..., "source", "target",
    "format", "api_key"}``: the text never travels in the URL, ``q`` may be
    a list (:meth:`translate_list`, one request), and ``format`` is
    ``html`` when ``markup`` is ``"html"`` (placeholders as
    ``translate="no"`` elements).  A key is optional (self-hosted servers
    need none); the 403 never quotes it."""

    def __init__(self, *args, markup: str = "html", **kwargs):
        key = kwargs.pop("api_key", None)
        super().__init__(*args, api_key=key or "-", **kwargs)  # the parent refuses to build without one
        self.api_key = key or None
        self.markup = markup

    def translate(self, text: str, **kwargs) -> str:
        is_input_valid(text)
        if self._same_source_target() or is_empty(text):
            return text
        out = self._post(text)
        if not isinstance(out, str):
            raise dt_exc.TranslationNotFound(text[:50])
        return out

    def translate_list(self, texts: list[str]) -> list[str]:
        out = self._post(list(texts))
        if not isinstance(out, list) or not all(isinstance(t, str) for t in out):
            raise dt_exc.TranslationNotFound(texts[0][:50])
        return out

    def _post(self, q):
        body = {"q": q, "source": self._source, "target": self._target,
                "format": "html" if self.markup == "html" else "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        response = _HTTP.post(self._base_url + "translate", json=body)
        if response.status_code == 403:
            raise dt_exc.AuthorizationException("***")
        if request_failed(status_code=response.status_code):
            raise dt_exc.ServerException(response.status_code)
        res = response.json()
        if not res or "translatedText" not in res:
            raise dt_exc.TranslationNotFound(str(q)[:50])
        return res["translatedText"]


class MyMemoryClient(MyMemoryTranslator):
    """deep-translator's ``MyMemoryTranslator`` over HTTPS, its own answer only.

    The parent asks over plain HTTP, strips the text, and when the answer is
    empty returns the first *match* of MyMemory's shared memory (another
    user's translation of something similar).  This one returns
    ``responseData.translatedText`` or raises; ``responseStatus`` other than
    200 is kept for :class:`Provider` to classify (quota, query too long)."""

    def __init__(self, *args, base_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._base_url = base_url or MYMEMORY_URL

    def translate(self, text: str, **kwargs) -> str:
        is_input_valid(text, max_chars=500)
        if self._same_source_target() or is_empty(text):
            return text
        params = {"langpair": f"{self._source}|{self._target}", "q": text}
        if self.email:
            params["de"] = self.email
        response = _HTTP.get(self._base_url, params=params)
        if response.status_code == 429:
            raise dt_exc.TooManyRequests()
        if request_failed(status_code=response.status_code):
            raise dt_exc.ServerException(response.status_code)
        data = response.json()
        status = str(data.get("responseStatus", 200))
        if status != "200":
            raise dt_exc.ServerException(int(status) if status.isdigit() else 500)
        out = (data.get("responseData") or {}).get("translatedText")
        if not isinstance(out, str) or not out.strip():
            raise dt_exc.TranslationNotFound(text[:50])
        return out


def deepl_base_url(url: str) -> str:
    """``https://host[/prefix]`` -> ``https://host[/prefix]/v2/`` (idempotent)."""
    base = url.rstrip("/")
    if not base.endswith("/v2"):
        base += "/v2"
    return base + "/"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


_LIMIT_RE = re.compile(r"\((\d+)\)\s*exceeds\s+text\s+limit\s*\((\d+)\)", re.I)
_RATE_RE = re.compile(r"(\d+)\s+per\s+(?:(\d+)\s+)?(second|minute|hour|day)", re.I)
_WINDOW = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
#: what Google's bot check page says (the "sorry" page, in its usual wordings)
_GOOGLE_BLOCK = re.compile(r"/sorry/|unusual traffic|captcha|not a robot|automated queries", re.I)


def _body(response) -> str:
    """The provider's own message in an error body (JSON ``error``/``message``
    or ``responseDetails``, else the text without tags), one line."""
    if response is None:
        return ""
    try:
        text = response.text or ""
    except Exception:  # noqa: BLE001 - a body we cannot read is no message
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "message", "responseDetails", "detail"):
            if isinstance(data.get(key), str) and data[key].strip():
                return " ".join(data[key].split())
        inner = data.get("responseData")
        if isinstance(inner, dict) and isinstance(inner.get("translatedText"), str):
            return " ".join(inner["translatedText"].split())
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())[:300]


@dataclass
class Provider:
    """One translation engine, one direction.  ``translate`` = one request,
    ``translate_many`` = one request for a list of texts.

    ``max_chars`` is the size per request in the provider's unit
    (:attr:`size`: characters, or UTF-8 bytes for MyMemory), ``max_items``
    the most texts per request, ``markup`` how placeholders travel
    (:mod:`scidigest.translate.markup`); all three can shrink during a run
    when the provider says its limits are lower."""

    name: str
    client: object  # a deep_translator BaseTranslator
    max_chars: int
    timeout: float = 20.0
    secrets: tuple[str, ...] = ()
    markup: str = "brackets"
    max_items: int | None = None
    native_batch: bool = False

    def __post_init__(self):
        self._session = requests.Session()
        self.requests = 0  # HTTP requests attempted (retries included)
        self.min_interval = 0.0  # seconds between requests, once the server told us its rate
        self._last_start = 0.0
        self.clock: Callable[[], float] = time.monotonic
        self.pause: Callable[[float], None] = time.sleep

    @property
    def small(self) -> bool:
        """MyMemory: a 500-byte limit and a memory that matches sentences.

        Its texts are sent a sentence at a time (:attr:`sentence_units`) and
        joined by blank lines only (:attr:`markers` off: a ``⟪N⟫`` marker costs
        11 of the 500 bytes; the answer is split by its paragraphs, which must
        come back one per text, else the batch is bisected, and each answer is
        still judged alone).  Paragraph-sized pieces of 300-480 bytes would
        leave requests a third empty; sentences fill them almost exactly."""
        return self.name == "mymemory"

    @property
    def sentence_units(self) -> bool:
        return self.small

    @property
    def markers(self) -> bool:
        return not self.small

    @property
    def size(self) -> Callable[[str], int]:
        """How the provider measures a text against ``max_chars``."""
        return _utf8_len if self.name == "mymemory" else len

    def close(self) -> None:
        self._session.close()

    def _redact(self, text: str) -> str:
        for s in self.secrets:
            if s:
                text = text.replace(s, "***")
        return text[:300]

    def _call(self, fn: Callable[[], object], n: int = 1, total: int = 0):
        if self.min_interval:
            wait = self._last_start + self.min_interval - self.clock()
            if wait > 0:
                self.pause(wait)
        self._last_start = self.clock()
        tokens = (_TIMEOUT.set(self.timeout), _SESSION.set(self._session), _LAST.set(None))
        self.requests += 1
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - classified below
            raise self._classify(exc, _LAST.get(), n, total) from None
        finally:
            response = _LAST.get()
            _LAST.reset(tokens[2])
            _SESSION.reset(tokens[1])
            _TIMEOUT.reset(tokens[0])
        if response is not None and response.status_code >= 300:
            raise self._classify(RuntimeError("unexpected status"), response, n, total)
        if self.name == "google" and response is not None and _GOOGLE_BLOCK.search(getattr(response, "url", "") or ""):
            raise self._classify(RuntimeError("bot check"), response, n, total)
        return result

    def translate(self, text: str) -> str:
        """Translate ``text`` with one request; raise a classified error."""
        size = self.size(text)
        if size > self.max_chars:
            raise TooLarge(f"{self.name}: {size} {self.unit} exceed the limit of {self.max_chars}", self.max_chars)
        result = self._call(lambda: self.client.translate(text), 1, size)
        if not isinstance(result, str):
            raise TransientError(f"{self.name}: malformed response (no translated text)")
        return result

    @property
    def unit(self) -> str:
        return "bytes" if self.name == "mymemory" else "characters"

    def translate_many(self, texts: list[str]) -> list[str]:
        """The translations of ``texts`` from one request, in order.

        Native batching where the API has it; otherwise the texts joined
        with numbered markers and split again (:mod:`batching`).  Raises
        :class:`BatchBroken` when the answer cannot be matched to the texts
        (the caller bisects) and :class:`TooLarge` when the provider says
        the request is over its limit."""
        from . import batching

        if len(texts) == 1 and not self.native_batch:
            return [self.translate(texts[0])]
        if not self.native_batch:
            parts = batching.split(self.translate(batching.join(texts, self.markers)), len(texts), self.markers)
            if parts is None:
                raise BatchBroken(f"{self.name}: the answer could not be split back into its {len(texts)} texts")
            return parts
        total = sum(self.size(t) for t in texts)
        if total > self.max_chars or (self.max_items and len(texts) > self.max_items):
            raise TooLarge(f"{self.name}: {len(texts)} texts, {total} {self.unit} exceed the limit", self.max_chars)
        result = self._call(lambda: self.client.translate_list(texts), len(texts), total)
        if not isinstance(result, list) or len(result) != len(texts) or not all(isinstance(t, str) for t in result):
            got = len(result) if isinstance(result, list) else type(result).__name__
            raise BatchBroken(f"{self.name}: {got} answers for {len(texts)} texts")
        return result

    def _classify(self, exc: BaseException, response, n: int = 1, total: int = 0) -> TranslationError:
        name = self.name
        if isinstance(exc, requests.Timeout):
            return TransientError(f"{name}: no answer within {self.timeout:g} s (timeout)")
        if isinstance(exc, requests.ConnectionError | ConnectionError):
            return TransientError(f"{name}: connection failed ({type(exc).__name__}: refused or dropped)")
        status = getattr(response, "status_code", None)
        body = self._redact(_body(response))
        low = body.lower()
        if name == "google" and response is not None and (
            status in (403, 429) or _GOOGLE_BLOCK.search(getattr(response, "url", "") or "")
            or _GOOGLE_BLOCK.search(body)
        ):
            return Blocked(
                f"{name}: Google's page is refusing automated requests (bot check / captcha, HTTP {status}); "
                "finished pages are kept: try again later, or use --provider deepl/libre"
            )
        if name == "mymemory" and response is not None and status == 200:
            code = _mymemory_status(response)
            if "limit exceeded" in low or "query length" in low:
                return TooLarge(f"{name}: query over MyMemory's length limit ({body})", _limit_in(body))
            if code == 429 or "free translations" in low or "quota" in low:
                return Blocked(f"{name}: daily quota used up ({body}); set {ENV['mymemory_email']} for a larger one, "
                               "or run again tomorrow")
            if code is not None and code >= 400:
                return PermanentError(f"{name}: refused (responseStatus {code}): {body}")
        if name == "deepl" and status == 456:
            return Blocked(
                f"{name}: quota exceeded (HTTP 456): the DeepL plan's character allowance is used up; "
                "retrying will not help until it renews or the plan is upgraded"
            )
        if status in (413, 414) or (status == 400 and "exceeds text limit" in low):
            m = _LIMIT_RE.search(body)
            size, limit = (int(m.group(1)), int(m.group(2))) if m else (None, None)
            if size is not None and size == n and size != total:
                return TooLarge(f"{name}: {n} texts per request are more than the server takes ({limit})", items=limit)
            return TooLarge(f"{name}: request over the server's limit (HTTP {status}{': ' + body if body else ''})", limit)
        if status in (429, 529) or isinstance(exc, dt_exc.TooManyRequests):
            ra = parse_retry_after(response.headers.get("Retry-After")) if response is not None else None
            m = _RATE_RE.search(body)
            if m:
                count, per = int(m.group(1)), float(m.group(2) or 1) * _WINDOW[m.group(3).lower()]
                if per >= 3600:
                    return Blocked(f"{name}: request limit reached ({body}); run again after it resets")
                self.min_interval = max(self.min_interval, per / max(1, count))
                ra = ra if ra is not None else per
            return RateLimited(f"{name}: HTTP {status or 429} too many requests{': ' + body if body else ''}", ra)
        if status == 403 and name == "libre" and ("violation" in low or "banned" in low or "flood" in low):
            return Blocked(
                f"{name}: this address is banned by the server's flood protection ({body}): too many requests "
                "over its rate limit; the key is not the problem. Wait for the ban to lift, then run again"
            )
        if status == 400 and name == "libre" and "api key" in low:
            return PermanentError(f"{name}: the server needs an API key ({body}): set {ENV['libre']}")
        if status is not None and status >= 500:
            if name == "libre" and "cannot translate" in low:
                return BatchBroken(f"{name}: the server could not translate one of the texts ({body})")
            return TransientError(f"{name}: HTTP {status} server error{': ' + body if body else ''}")
        if isinstance(exc, dt_exc.AuthorizationException | dt_exc.ApiKeyException) or status in (401, 403):
            var = ENV.get(name, "API key")
            extra = f" ({body})" if body else ""
            hint = " or a free (:fx) key on the pro endpoint" if name == "deepl" else ""
            return PermanentError(f"{name}: authorisation refused{extra}: check the key in {var}{hint}")
        if status is not None and status >= 400:
            return PermanentError(f"{name}: HTTP {status} {body or self._redact(response.reason or '')}")
        if name == "google" and isinstance(exc, dt_exc.TranslationNotFound) and response is not None:
            return TransientError(f"{name}: the page had no translation (layout changed, or a bot check)")
        if isinstance(exc, dt_exc.NotValidLength | dt_exc.NotValidPayload | dt_exc.LanguageNotSupportedException):
            return PermanentError(f"{name}: {type(exc).__name__}")
        if isinstance(exc, ValueError | KeyError | TypeError | AttributeError | StopIteration | IndexError) or isinstance(
            exc, dt_exc.TranslationNotFound | dt_exc.ElementNotFoundInGetRequest
        ):
            return TransientError(f"{name}: malformed response ({type(exc).__name__})")
        if isinstance(exc, requests.RequestException | dt_exc.RequestError | dt_exc.ServerException):
            return TransientError(f"{name}: request failed ({type(exc).__name__})")
        return PermanentError(f"{name}: {type(exc).__name__}: {self._redact(str(exc))}")


def _mymemory_status(response) -> int | None:
    try:
        code = response.json().get("responseStatus")
        return int(code)
    except (ValueError, TypeError, AttributeError):
        return None


def _limit_in(body: str) -> int | None:
    m = re.search(r"max(?:imum)?\s+allowed\s+query\s*:?\s*(\d+)", body, re.I)
    return int(m.group(1)) if m else None


def _key(env: Mapping[str, str], var: str) -> str:
    """A key from the environment, surrounding whitespace removed; a key with
    whitespace or control characters inside is refused (it could not travel
    in an HTTP header, and ``requests`` would quote it in its error)."""
    key = (env.get(var) or "").strip()
    if key and any(ch.isspace() or not ch.isprintable() for ch in key):
        raise PermanentError(f"the environment variable {var} holds whitespace or control characters; set it to the bare key")
    return key


def missing_key(name: str, *, url: str | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """The one-line reason why provider ``name`` cannot work with this
    environment (a key it needs is not set), or None.  No request is made."""
    env = os.environ if env is None else env
    if name == "deepl" and not (env.get(ENV["deepl"]) or "").strip():
        return f"deepl needs an API key: set the environment variable {ENV['deepl']}"
    if name == "libre" and not (env.get(ENV["libre"]) or "").strip():
        base = url or env.get(ENV["libre_url"]) or LIBRE_PUBLIC_URL
        if base.rstrip("/") == LIBRE_PUBLIC_URL.rstrip("/"):
            return (
                f"libre: the public instance {LIBRE_PUBLIC_URL} needs an API key: set the environment variable "
                f"{ENV['libre']}, or point {ENV['libre_url']} (or --provider-url) at a self-hosted instance"
            )
    return None


def make_provider(
    name: str,
    source: str = "fr",
    target: str = "en",
    *,
    url: str | None = None,
    timeout: float = 20.0,
    max_chars: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Provider:
    """Build a provider.  ``url`` is the provider's base URL (a self-hosted
    LibreTranslate, a proxy, a test server; default ``$LIBRETRANSLATE_URL``,
    ``$DEEPL_API_URL``, ``$MYMEMORY_URL``, ``$GOOGLE_TRANSLATE_URL``);
    keys come from ``env`` (default ``os.environ``) only.  A key the provider
    needs and does not find is a :class:`PermanentError` raised here, before
    any request, naming the environment variable.  DeepL's English is
    ``$DEEPL_TARGET_LANG`` (``EN-GB``, the default, or ``EN-US``)."""
    from deep_translator import GoogleTranslator

    env = os.environ if env is None else env
    limit = max_chars or LIMITS.get(name)
    if limit is None:
        raise PermanentError(f"unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}")
    limit = min(limit, LIMITS[name])
    problem = missing_key(name, url=url, env=env)
    if problem:
        raise PermanentError(problem)
    secrets: tuple[str, ...] = ()
    markup = MARKUP[name]
    try:
        if name == "google":
            client = GoogleTranslator(source=source, target=target)
            base = url or env.get(ENV["google_url"])
            if base:
                client._base_url = base
        elif name == "mymemory":
            client = MyMemoryClient(
                source=_mymemory_code(source), target=_mymemory_code(target), email=env.get(ENV["mymemory_email"]),
                base_url=url or env.get(ENV["mymemory_url"]) or None,
            )
        elif name == "deepl":
            key = _key(env, ENV["deepl"])
            secrets = (key,)
            english = (env.get(ENV["deepl_target"]) or DEEPL_ENGLISH[0]).strip().upper()
            if english not in DEEPL_ENGLISH:
                raise PermanentError(f"{ENV['deepl_target']}={english!r}: choose {' or '.join(DEEPL_ENGLISH)}")
            # free vs pro endpoint from the key: DeepL's free keys end in ":fx"
            client = DeeplClient(
                source=source, target=target, api_key=key, use_free_api=key.endswith(":fx"),
                base_url=url or env.get(ENV["deepl_url"]) or None, english=english, markup=markup,
            )
        else:  # libre
            key = _key(env, ENV["libre"])
            base = url or env.get(ENV["libre_url"]) or LIBRE_PUBLIC_URL
            if not base.endswith("/"):
                base += "/"
            secrets = (key,) if key else ()
            client = LibreClient(source=source, target=target, api_key=key or None, custom_url=base, markup=markup)
    except dt_exc.LanguageNotSupportedException as exc:
        raise PermanentError(f"{name}: language not supported ({exc.val})") from None
    return Provider(name, client, limit, timeout, secrets, markup=markup, max_items=MAX_ITEMS.get(name),
                    native_batch=name in NATIVE_BATCH)


def _mymemory_code(lang: str) -> str:
    return {"fr": "fr-FR", "en": "en-GB"}.get(lang, lang)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request.  Tests shrink the waits, never sleep seconds."""

    attempts: int = 5
    initial: float = 1.0
    maximum: float = 30.0
    jitter: float = 1.0
    max_retry_after: float = 120.0


DEFAULT_POLICY = RetryPolicy()


def _wait(policy: RetryPolicy) -> Callable:
    backoff = tenacity.wait_exponential_jitter(multiplier=policy.initial, max=policy.maximum, jitter=policy.jitter)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimited) and exc.retry_after is not None:
            return min(exc.retry_after, policy.max_retry_after)
        return backoff(state)

    return wait


def _stop(policy: RetryPolicy) -> Callable:
    def stop(state: tenacity.RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimited) and (exc.retry_after or 0) > policy.max_retry_after:
            return True  # the server asks for a longer pause than we are willing to wait
        return state.attempt_number >= policy.attempts

    return stop


def call_with_retries(
    fn: Callable[[], str],
    policy: RetryPolicy = DEFAULT_POLICY,
    *,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[TranslationError, float], None] | None = None,
) -> str:
    """``fn()`` with bounded retries on :class:`TransientError` (429 included)."""

    def before_sleep(state: tenacity.RetryCallState) -> None:
        if on_retry and state.outcome and state.next_action:
            on_retry(state.outcome.exception(), state.next_action.sleep)

    retrying = tenacity.Retrying(
        stop=_stop(policy),
        wait=_wait(policy),
        retry=tenacity.retry_if_exception_type(TransientError),
        reraise=True,
        sleep=sleep,
        before_sleep=before_sleep,
    )
    return retrying(fn)
