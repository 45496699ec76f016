"""The images of a fetched page, for ``scidigest add URL`` (nothing here runs at ingest or build).

``add`` stores the page's bytes as they came; this fetches the images of its figures that
stand in the article's main content (those whose place survived the HTML reader,
:mod:`.figures`) so that ingest can keep them locally: the published page never loads an image
from elsewhere. The same rules as the page's own fetch (:mod:`.fetch`), and more:

* only from the page's own host (after redirects, every hop on that host): an image from a
  CDN, a tracker or another site is not fetched, and its caption says the image is not
  reproduced;
* a timeout on connecting and on every wait, an overall deadline, at most
  :data:`~.fetch.MAX_REDIRECTS` redirects, at most :data:`~.figures.MAX_IMAGE_BYTES`
  (``Content-Length`` first, then while streaming), at most :data:`MAX_IMAGES` per page;
* an image by its ``Content-Type`` (``image/*``, or none that says anything) *and* its bytes:
  PNG, JPEG, GIF or WebP, and readable by Pillow within the pixel limit
  (:func:`.figures.inspect`).

Each image is stored as ``sources/<page name>_files/<sha256 of its src, 16 hex>.<ext>``
(:func:`.assets.fetched_name`), where the ingest's loader looks for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .. import __version__
from .assets import fetched_name
from .fetch import (
    CHUNK,
    DEADLINE_FACTOR,
    DEFAULT_TIMEOUT,
    MAX_REDIRECTS,
    UNTYPED,
    FetchError,
    _mib,
    check_url,
    request_error,
)
from .figures import MAX_IMAGE_BYTES, ImageRejected, inspect, marker

#: at most this many images are fetched for one page
MAX_IMAGES = 16


@dataclass(frozen=True)
class PageImage:
    src: str  # as the page writes it
    url: str  # where it was fetched from
    name: str  # the file name under <page>_files/
    data: bytes


def figure_sources(page_name: str, data: bytes) -> list[str]:
    """The ``src`` of each figure image in the page's main content, in reading order."""
    from .html import read_html

    source = read_html(page_name, data)
    return [ref.src for i, ref in enumerate(source.figures)
            if marker(i) in source.text and ref.src and not ref.src.startswith("data:")]


def same_host(url: str, page_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(page_url)
    return a.scheme in ("http", "https") and bool(a.hostname) and a.hostname == b.hostname


def page_images(page_url: str, page_name: str, data: bytes, *, timeout: float = DEFAULT_TIMEOUT,
                session=None) -> tuple[list[PageImage], list[str]]:
    """(the images fetched, one line per image not fetched and why)."""
    import requests

    got: list[PageImage] = []
    skipped: list[str] = []
    own = session is None
    session = session or requests.Session()
    try:
        seen: set[str] = set()
        for src in figure_sources(page_name, data):
            url = urljoin(page_url, src.strip()).split("#", 1)[0]
            if url in seen:
                continue
            seen.add(url)
            if not same_host(url, page_url):
                skipped.append(f"{url}: not on the page's host; not fetched")
                continue
            if len(got) >= MAX_IMAGES:
                skipped.append(f"{url}: more than {MAX_IMAGES} images on the page; not fetched")
                continue
            try:
                image, fmt = fetch_image(url, page_url, timeout=timeout, session=session)
            except FetchError as exc:
                skipped.append(str(exc))
                continue
            got.append(PageImage(src, url, fetched_name(src, fmt), image))
    finally:
        if own:
            session.close()
    return got, skipped


def fetch_image(url: str, page_url: str, *, timeout: float = DEFAULT_TIMEOUT, session=None) -> tuple[bytes, str]:
    """GET one image of the page at ``page_url``: ``(bytes, Pillow format)``. Raises FetchError."""
    import requests

    check_url(url)
    deadline = timeout * DEADLINE_FACTOR
    started = time.monotonic()
    own = session is None
    session = session or requests.Session()
    session.max_redirects = MAX_REDIRECTS
    headers = {"User-Agent": f"scidigest/{__version__} (science digest; fetches a page's figures for `scidigest add`)",
               "Accept": "image/png,image/jpeg,image/gif,image/webp;q=0.9,image/*;q=0.5", "Referer": page_url}
    try:
        with session.get(url, headers=headers, timeout=(timeout, timeout), stream=True, allow_redirects=True) as resp:
            hops = [r.url for r in resp.history] + [resp.url]
            if not all(same_host(h, page_url) for h in hops):
                raise FetchError(url, f"redirected off the page's host (to {resp.url}); not fetched")
            if resp.status_code != 200:
                raise FetchError(url, f"HTTP {resp.status_code} {resp.reason or ''}".rstrip())
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if not ctype.startswith("image/") and ctype not in UNTYPED:
                raise FetchError(url, f"the answer is {ctype}, not an image")
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_IMAGE_BYTES and not resp.headers.get("Content-Encoding"):
                raise FetchError(url, f"the image is {_mib(int(declared))}, over the {_mib(MAX_IMAGE_BYTES)} limit")
            chunks, size = [], 0
            for chunk in resp.iter_content(CHUNK):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_IMAGE_BYTES:
                    raise FetchError(url, f"the image is over the {_mib(MAX_IMAGE_BYTES)} limit (stopped reading)")
                if time.monotonic() - started > deadline:
                    raise FetchError(url, f"the answer took more than {deadline:g} s")
            data = b"".join(chunks)
    except requests.exceptions.RequestException as exc:
        raise request_error(url, exc, timeout) from None
    finally:
        if own:
            session.close()
    try:
        fmt = inspect(data)[0]
    except ImageRejected as exc:
        raise FetchError(url, f"{exc}; not kept") from None
    return data, fmt
