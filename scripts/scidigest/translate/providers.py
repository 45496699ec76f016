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
  ``Authorization: DeepL-Auth-Key`` header instead.
"""

from __future__ import annotations

import contextvars
import email.utils
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import requests
import tenacity
from deep_translator import DeeplTranslator
from deep_translator import exceptions as dt_exc
from deep_translator.validate import is_empty, is_input_valid, request_failed

#: characters per request each provider accepts (deep-translator enforces
#: ``len(text) < 5000`` for Google and ``< 500`` for MyMemory; Google's and
#: LibreTranslate's text travel in the URL, so we keep a margin; a public
#: LibreTranslate instance usually limits requests to 2,000 characters)
LIMITS: dict[str, int] = {"google": 4800, "deepl": 5000, "libre": 2000, "mymemory": 499}
PROVIDERS = tuple(sorted(LIMITS))
#: environment variables read for secrets / endpoints
ENV = {
    "deepl": "DEEPL_API_KEY",
    "deepl_url": "DEEPL_API_URL",
    "libre": "LIBRE_API_KEY",
    "libre_url": "LIBRETRANSLATE_URL",
    "mymemory_email": "MYMEMORY_EMAIL",
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
    self-hosted proxy, a test stub).  ``translate`` differs from the parent
    only in how it asks: ``POST <base>/v2/translate`` with the key in the
    ``Authorization: DeepL-Auth-Key`` header and a JSON body, never in the
    URL or the body.  Failures keep deep-translator's exception types (403
    -> ``AuthorizationException``, other statuses -> ``ServerException``)
    but never carry the key; :class:`Provider` classifies them from the
    HTTP status it remembers."""

    def __init__(self, *args, base_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if base_url:
            self._base_url = deepl_base_url(base_url)

    def translate(self, text: str, **kwargs) -> str:
        is_input_valid(text)  # NotValidPayload for non-strings
        if self._same_source_target() or is_empty(text):
            return text
        response = _HTTP.post(
            self._base_url + "translate",
            json={"text": [text], "source_lang": self._source.upper(), "target_lang": self._target.upper()},
            headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"},
        )
        if response.status_code in (401, 403):
            raise dt_exc.AuthorizationException("***")  # its message would quote the key
        if request_failed(status_code=response.status_code):
            raise dt_exc.ServerException(response.status_code)
        res = response.json()
        if not res or not res.get("translations"):
            raise dt_exc.TranslationNotFound(text)
        return res["translations"][0]["text"]


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


@dataclass
class Provider:
    """One translation engine, one direction.  ``translate`` = one request."""

    name: str
    client: object  # a deep_translator BaseTranslator
    max_chars: int
    timeout: float = 20.0
    secrets: tuple[str, ...] = ()

    def __post_init__(self):
        self._session = requests.Session()
        self.requests = 0  # HTTP requests attempted (retries included)

    def close(self) -> None:
        self._session.close()

    def _redact(self, text: str) -> str:
        for s in self.secrets:
            if s:
                text = text.replace(s, "***")
        return text[:300]

    def translate(self, text: str) -> str:
        """Translate ``text`` with one request; raise a classified error."""
        if len(text) > self.max_chars:
            raise PermanentError(f"{self.name}: {len(text)} characters exceed the limit of {self.max_chars}")
        tokens = (_TIMEOUT.set(self.timeout), _SESSION.set(self._session), _LAST.set(None))
        self.requests += 1
        try:
            result = self.client.translate(text)
        except Exception as exc:  # noqa: BLE001 - classified below
            raise self._classify(exc, _LAST.get()) from None
        finally:
            response = _LAST.get()
            _LAST.reset(tokens[2])
            _SESSION.reset(tokens[1])
            _TIMEOUT.reset(tokens[0])
        if not isinstance(result, str):
            raise TransientError(f"{self.name}: malformed response (no translated text)")
        if response is not None and response.status_code >= 300:
            raise self._classify(RuntimeError("unexpected status"), response)
        return result

    def _classify(self, exc: BaseException, response) -> TranslationError:
        name = self.name
        if isinstance(exc, requests.Timeout):
            return TransientError(f"{name}: no answer within {self.timeout:g} s (timeout)")
        if isinstance(exc, requests.ConnectionError | ConnectionError):
            return TransientError(f"{name}: connection failed ({type(exc).__name__}: refused or dropped)")
        status = getattr(response, "status_code", None)
        if name == "deepl" and status == 456:
            return PermanentError(
                f"{name}: quota exceeded (HTTP 456): the DeepL plan's character allowance is used up; "
                "retrying will not help until it renews or the plan is upgraded"
            )
        if status in (429, 529) or isinstance(exc, dt_exc.TooManyRequests):
            ra = parse_retry_after(response.headers.get("Retry-After")) if response is not None else None
            return RateLimited(f"{name}: HTTP {status or 429} too many requests", ra)
        if status is not None and status >= 500:
            return TransientError(f"{name}: HTTP {status} server error")
        if isinstance(exc, dt_exc.AuthorizationException | dt_exc.ApiKeyException) or status in (401, 403):
            return PermanentError(f"{name}: authorisation refused (check the API key environment variable)")
        if status is not None and status >= 400:
            return PermanentError(f"{name}: HTTP {status} {self._redact(response.reason or '')}")
        if isinstance(exc, dt_exc.NotValidLength | dt_exc.NotValidPayload | dt_exc.LanguageNotSupportedException):
            return PermanentError(f"{name}: {type(exc).__name__}")
        if isinstance(exc, ValueError | KeyError | TypeError | AttributeError | StopIteration | IndexError) or isinstance(
            exc, dt_exc.TranslationNotFound | dt_exc.ElementNotFoundInGetRequest
        ):
            return TransientError(f"{name}: malformed response ({type(exc).__name__})")
        if isinstance(exc, requests.RequestException | dt_exc.RequestError | dt_exc.ServerException):
            return TransientError(f"{name}: request failed ({type(exc).__name__})")
        return PermanentError(f"{name}: {type(exc).__name__}: {self._redact(str(exc))}")


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
    """Build a provider.  ``url`` is LibreTranslate's or DeepL's base URL
    (self-hosted, a proxy; default ``$LIBRETRANSLATE_URL`` / ``$DEEPL_API_URL``);
    keys come from ``env`` (default ``os.environ``) only.  A key the provider
    needs and does not find is a :class:`PermanentError` raised here, before
    any request, naming the environment variable."""
    from deep_translator import (
        GoogleTranslator,
        LibreTranslator,
        MyMemoryTranslator,
    )

    env = os.environ if env is None else env
    limit = max_chars or LIMITS.get(name)
    if limit is None:
        raise PermanentError(f"unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}")
    limit = min(limit, LIMITS[name])
    problem = missing_key(name, url=url, env=env)
    if problem:
        raise PermanentError(problem)
    secrets: tuple[str, ...] = ()
    try:
        if name == "google":
            client = GoogleTranslator(source=source, target=target)
        elif name == "mymemory":
            client = MyMemoryTranslator(
                source=_mymemory_code(source), target=_mymemory_code(target), email=env.get(ENV["mymemory_email"])
            )
        elif name == "deepl":
            key = _key(env, ENV["deepl"])
            secrets = (key,)
            # free vs pro endpoint from the key suffix, as deep-translator does
            client = DeeplClient(
                source=source, target=target, api_key=key, use_free_api=key.endswith(":fx"),
                base_url=url or env.get(ENV["deepl_url"]) or None,
            )
        else:  # libre
            key = _key(env, ENV["libre"])
            base = url or env.get(ENV["libre_url"]) or LIBRE_PUBLIC_URL
            if not base.endswith("/"):
                base += "/"
            secrets = (key,) if key else ()
            # deep-translator refuses to build without a key; self-hosted
            # instances need none, so build with a dummy and drop it.
            client = LibreTranslator(source=source, target=target, api_key=key or "-", custom_url=base)
            client.api_key = key or None
    except dt_exc.LanguageNotSupportedException as exc:
        raise PermanentError(f"{name}: language not supported ({exc.val})") from None
    return Provider(name, client, limit, timeout, secrets)


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
