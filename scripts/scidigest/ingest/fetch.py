"""Fetching one document from the web, for ``scidigest add https://…``.

The build never touches the network: ``add`` fetches a page or a PDF once, stores its
bytes under ``sources/`` and from then on that copy is the source of record, ingested
like any file. This module is the fetch and nothing else (no file is written here):

* a timeout on connecting and on every wait for bytes, and an overall deadline, so a
  server that drips bytes cannot hold the command forever;
* a size limit, enforced from ``Content-Length`` before the body is read and again while
  streaming (reading stops past the limit; compressed bodies are counted decompressed);
* at most :data:`MAX_REDIRECTS` redirects, to http(s) addresses only;
* only an HTML page or a PDF is accepted, judged by the ``Content-Type`` header *and* the
  bytes themselves (a PDF always starts with ``%PDF-``; an image served as ``text/html``
  is refused; ``application/octet-stream`` is sniffed);
* every failure is a :class:`FetchError` whose text is one line naming the URL.

:func:`source_name` derives the stable ``sources/`` file name from the address (its last
meaningful path segment, else the document's title, else the host) and
:func:`record_url` the address recorded as ``source_url``: the final one, after
redirects, without its fragment and without tracking parameters (``utm_*``, ``fbclid``…).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from slugify import slugify

from .. import __version__

#: seconds to wait for the connection, and then for each chunk of bytes
DEFAULT_TIMEOUT = 20.0
#: an answer must be complete within this many times the timeout
DEADLINE_FACTOR = 10
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
SNIFF_BYTES = 1024
#: the longest stem a fetched source gets (before ``-<hash>`` and the extension)
NAME_MAX = 60

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf", "application/acrobat"})
#: types that say nothing about the content: the bytes decide
UNTYPED = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/download",
                     "application/x-download", "application/force-download", "application/unknown"})
#: extension of the stored copy, per kind
EXTENSIONS = {"html": ".html", "pdf": ".pdf"}

_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (Office document?)"), (b"\x1f\x8b", "gzip data"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"%!PS", "a PostScript file"),
)
#: what an HTML document starts with (after a BOM and white space), per the WHATWG sniffing rules
_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|meta|!--)[\s>/]",
    re.I)
_TRACKING = re.compile(r"^(?:utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|xtor)$", re.I)
#: path segments that do not name a document
_GENERIC = frozenset({"index", "default", "home", "accueil", "article", "articles", "news", "actualites",
                      "actualite", "view", "show", "page", "download", "file", "files", "document", "pdf",
                      "fr", "en", "content", "item", "detail", "details", "node", "post", "main"})
_WEB_EXTENSIONS = re.compile(r"\.(?:s?html?|xhtml|php\d?|aspx?|jsp|cfm|pdf)$", re.I)


class FetchError(Exception):
    """A fetch that did not give an HTML page or a PDF; ``str()`` is one line naming the URL."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


@dataclass(frozen=True)
class Fetched:
    url: str  # the address asked for
    final_url: str  # where the bytes came from, after redirects
    kind: str  # "html" or "pdf"
    content_type: str  # the media type the server declared ("" when none)
    data: bytes


def is_url(text: str) -> bool:
    """True for anything written as ``scheme://…`` (a path never is)."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text))


def check_url(url: str) -> None:
    """Raise FetchError unless ``url`` is an http(s) address with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, "only http:// and https:// addresses can be fetched")
    if not parts.hostname:
        raise FetchError(url, "the address has no host name")
    if any(c.isspace() for c in url):
        raise FetchError(url, "the address contains spaces; quote or %-encode them")


def max_bytes_for(kind: str | None) -> int:
    """The readers' own limits: a stored copy that ingest would refuse is never fetched whole."""
    from .html import MAX_BYTES as HTML_MAX
    from .pdf import MAX_BYTES as PDF_MAX

    return {"html": HTML_MAX, "pdf": PDF_MAX}.get(kind or "", max(HTML_MAX, PDF_MAX))


def _mib(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB".replace(".0 ", " ")
    return f"{max(1, round(n / 1024))} KiB"


# ------------------------------------------------------------------ what the bytes are
def looks_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:SNIFF_BYTES]


def looks_html(data: bytes) -> bool:
    head = data[: SNIFF_BYTES * 4]
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, "replace").encode("utf-8")
            break
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if head[:5].lower() == b"<?xml":  # XHTML: the root element must be html
        return re.search(rb"<html[\s>]", head, re.I) is not None
    return _HTML_START.match(head) is not None


def binary_kind(data: bytes) -> str | None:
    """What a binary answer is ("a PNG image"…), or None when the bytes may be text."""
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return what
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    return "binary data" if b"\x00" in data[:SNIFF_BYTES] else None


def document_kind(content_type: str, head: bytes) -> str:
    """``html`` or ``pdf`` from the declared media type and the first bytes; else raises ValueError
    with the reason (one line, without the URL)."""
    ctype = content_type.split(";")[0].strip().lower()
    shown = ctype or "no Content-Type"
    if looks_pdf(head):  # unambiguous, whatever a misconfigured server calls it
        if ctype.startswith(("image/", "audio/", "video/")):
            raise ValueError(f"the server says {ctype} but sent PDF bytes; download it and add the file")
        return "pdf"
    if ctype in PDF_TYPES:
        raise ValueError(f"the server says {ctype} but the bytes are not a PDF (no %PDF- header)")
    if ctype in HTML_TYPES:
        what = binary_kind(head)
        if what:
            raise ValueError(f"the server says {ctype} but sent {what}, not an HTML page")
        return "html"
    if ctype in UNTYPED:
        if looks_html(head) and not binary_kind(head):
            return "html"
        what = binary_kind(head) or "bytes that are neither HTML nor PDF"
        raise ValueError(f"{shown}, and the answer is {what}: not an HTML page or a PDF")
    raise ValueError(f"the answer is {shown}, not an HTML page or a PDF")


# ------------------------------------------------------------------ the request
def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int | None = None,
          deadline: float | None = None, session=None) -> Fetched:
    """GET ``url``; the bytes of the HTML page or PDF it answers. Raises FetchError (one line).

    ``max_bytes`` defaults to the limit of the reader of the kind answered; ``deadline``
    (seconds for the whole answer) to :data:`DEADLINE_FACTOR` times ``timeout``."""
    import requests  # loaded only when a URL is added

    check_url(url)
    deadline = deadline if deadline is not None else timeout * DEADLINE_FACTOR
    started = time.monotonic()
    own = session is None
    if own:
        session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    headers = {
        "User-Agent": f"scidigest/{__version__} (science digest; fetches one page for `scidigest add`)",
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.1",
        "Accept-Language": "fr,en;q=0.8",
    }
    try:
        with session.get(url, headers=headers, timeout=(timeout, timeout), stream=True,
                         allow_redirects=True) as resp:
            final = resp.url
            if resp.status_code >= 400:
                reason = resp.reason or ""
                raise FetchError(url, f"HTTP {resp.status_code} {reason}".rstrip()
                                 + (f" (at {final})" if final != url else ""))
            if resp.status_code != 200:
                raise FetchError(url, f"HTTP {resp.status_code} {resp.reason or ''}: no document in the answer".replace(" :", ":"))
            ctype = resp.headers.get("Content-Type", "")
            limit = max_bytes if max_bytes is not None else max_bytes_for(_kind_hint(ctype))
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit and not resp.headers.get("Content-Encoding"):
                raise FetchError(url, f"the document is {_mib(int(declared))}, over the {_mib(limit)} limit")
            chunks: list[bytes] = []
            size = 0
            kind = None
            for chunk in resp.iter_content(CHUNK):
                chunks.append(chunk)
                size += len(chunk)
                if kind is None and (size >= SNIFF_BYTES):
                    kind = _decide(url, ctype, b"".join(chunks))
                    if max_bytes is None:
                        limit = max_bytes_for(kind)
                if size > limit:
                    raise FetchError(url, f"the document is over the {_mib(limit)} limit (stopped reading)")
                if time.monotonic() - started > deadline:
                    raise FetchError(url, f"the answer took more than {deadline:g} s; try again later")
            data = b"".join(chunks)
            if kind is None:
                if not data.strip():
                    raise FetchError(url, "the server sent an empty answer")
                kind = _decide(url, ctype, data)
            return Fetched(url=url, final_url=final, kind=kind, content_type=ctype.split(";")[0].strip().lower(),
                           data=data)
    except requests.exceptions.RequestException as exc:
        raise request_error(url, exc, timeout) from None
    finally:
        if own:
            session.close()


def request_error(url: str, exc: Exception, timeout: float) -> FetchError:
    """The one line a failed request of ``scidigest add`` (a page or its figures) says;
    ``exc``: a ``requests.exceptions.RequestException``."""
    import requests  # as in fetch(): not imported by commands that never fetch

    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return FetchError(url, f"more than {MAX_REDIRECTS} redirects")
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout)):
        return FetchError(url, f"no answer within {timeout:g} s (timeout)")
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError(url, f"TLS error: {_root_reason(exc)}")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return FetchError(url, f"cannot connect: {_root_reason(exc)}")
    if isinstance(exc, (requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidURL)):
        return FetchError(url, f"redirected to an address that cannot be fetched ({_root_reason(exc)})")
    return FetchError(url, f"request failed: {_root_reason(exc)}")


def _kind_hint(ctype: str) -> str | None:
    ctype = ctype.split(";")[0].strip().lower()
    return "pdf" if ctype in PDF_TYPES else "html" if ctype in HTML_TYPES else None


def _decide(url: str, ctype: str, head: bytes) -> str:
    try:
        return document_kind(ctype, head)
    except ValueError as exc:
        raise FetchError(url, str(exc)) from None


def _root_reason(exc: BaseException) -> str:
    """The innermost cause, as a short phrase (requests wraps urllib3 wraps socket errors)."""
    seen = exc
    while True:
        nxt = getattr(seen, "reason", None) or seen.__cause__ or seen.__context__
        if nxt is None or nxt is seen or not isinstance(nxt, BaseException):
            break
        seen = nxt
    text = str(seen)
    low = text.lower()
    if isinstance(seen, ConnectionRefusedError) or "connection refused" in low:
        return "connection refused"
    if "name or service not known" in low or "nodename nor servname" in low or "getaddrinfo failed" in low \
            or "name resolution" in low:
        return "unknown host name"
    if "certificate verify failed" in low:
        return "certificate verify failed"
    if "connection reset" in low:
        return "connection reset by the server"
    if "timed out" in low:
        return "timed out"
    text = re.sub(r"<[^>]*object at 0x[0-9a-f]+>:?\s*", "", text)
    text = re.sub(r"\s+", " ", text).strip(" :")
    return (text[:120] + "…") if len(text) > 120 else (text or type(seen).__name__)


# ------------------------------------------------------------------ names and the recorded URL
def record_url(final_url: str) -> str:
    """The address recorded as ``source_url``: ``final_url`` without fragment or tracking parameters."""
    parts = urlsplit(final_url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept, doseq=True)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def _slug(text: str, max_length: int = NAME_MAX) -> str:
    return slugify(text, max_length=max_length, word_boundary=True, replacements=(("'", "-"), ("’", "-")),
                   backend="text-unidecode")


def _informative(stem: str) -> bool:
    """A path segment that names the document: words, not an id or a generic folder."""
    words = [w for w in stem.split("-") if w]
    return (stem not in _GENERIC and any(sum(c.isalpha() for c in w) >= 3 for w in words)
            and sum(c.isalpha() for c in stem) >= 0.5 * len(stem.replace("-", "")))


def url_stem(url: str) -> str | None:
    """The stem the address gives (``…/2024/03/des-abeilles-urbaines.html`` -> ``des-abeilles-urbaines``),
    or None when its path names nothing (``/index.php?id=42``, ``/node/1234``)."""
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
    for seg in reversed(parts):
        stem = _slug(_WEB_EXTENSIONS.sub("", seg))
        if stem and _informative(stem):
            return stem
    return None


def source_name(url: str, kind: str, title: str | None = None) -> str:
    """The file name a fetched document gets in ``sources/``: ``[a-z0-9-]+`` and ``.html``/``.pdf``.

    From the address's path when it names the document, else from ``title`` (the page's
    declared title), else from the host; an address whose path says nothing also gets a short
    hash of the address, so two such pages of one site never share a name."""
    stem = url_stem(url)
    if stem is None:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        base = _slug(title or "") or _slug(host.rsplit(".", 1)[0] if "." in host else host) or "page"
        stem = f"{base[: NAME_MAX - 7].rstrip('-')}-{url_hash(url)}"
    return stem + EXTENSIONS[kind]


def url_hash(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:6]


def with_suffix_hash(name: str, url: str) -> str:
    """``name`` made unique for ``url`` (when another source already has the name)."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem[: NAME_MAX - 7].rstrip('-')}-{url_hash(url)}{dot}{ext}"
