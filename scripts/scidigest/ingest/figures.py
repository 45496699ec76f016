"""Figures: an image kept with its article, or its caption marked as a figure not reproduced.

A reader that meets an image in the article (an HTML ``<figure>``, an image drawn in a PDF's
text column) writes a *marker* paragraph where the image stands, then the figure's caption and
credit as ordinary lines, and lists what it knows in ``Source.figures`` (:class:`FigureRef`:
where the image is, its alt text, its caption lines, its bytes when the document holds them).
The shared stages clean the text as before; a marker is a paragraph of private-use characters
only (no word, no digit: no rule of theirs reads it, and the content-preservation report does
not count it). After cleaning, :func:`attach` (flow stage 4b) replaces each marker:

* an image whose bytes can be had (a PDF's own stream; for an HTML page, a file next to it, a
  ``data:`` URL, or the copy ``scidigest add URL`` stored) and that passes :func:`inspect`
  (PNG, JPEG, GIF or WebP by its bytes *and* by Pillow; at most :data:`MAX_IMAGE_BYTES` and
  :data:`MAX_PIXELS`, against decompression bombs; at least :data:`MIN_SIDE` pixels a side:
  smaller is an icon) becomes an :attr:`~.model.BlockKind.IMAGE` block, rendered
  ``![alt](img/<sha256 prefix>.<ext>)``; the caption lines that follow it become its caption
  block;
* an image that cannot be stored is not linked (the published page never loads a remote image:
  privacy, and the site's CSP): its caption lines become a caption block all the same, which
  the site renders as a note that the image is not reproduced (:mod:`scidigest.site.figures`).

Stored images are content-addressed (the name is a prefix of the SHA-256 of the bytes as
stored), so the same image gives the same name in every article and on every run; the bytes
are kept as the source has them, except that JPEG and PNG metadata segments (Exif with its
GPS position, XMP, IPTC, text chunks) are removed without re-encoding (:func:`strip_metadata`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from io import BytesIO
from urllib.parse import unquote_to_bytes

from .model import Block, BlockKind, Cleaned, Source

#: the largest image file kept (bytes)
MAX_IMAGE_BYTES = 8 * 1024 * 1024
#: the most pixels an image may have (width x height): a decompression bomb stops here
MAX_PIXELS = 40_000_000
#: an image smaller than this on either side is an icon, a bullet or a spacer, not a figure
MIN_SIDE = 48
#: at most this many figures per document
MAX_FIGURES = 64
#: Pillow format -> the stored file's extension
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
#: a line that says it is an image's caption ("Légende : ...", "Caption: ..."), as a regular
#: expression (case-insensitive) for cleaning and furniture: such a line is a caption, credit or not
CAPTION_CUE = r"(?:l[ée]gende(?:\s+(?:photo|de l[’']image))?|caption|legend)\s*:"
#: where images go, relative to the articles folder (and to every article file in it)
IMAGE_DIR = "img"

_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"))
_OPEN, _CLOSE, _BASE = "\ue000", "\ue001", 0xE010
_MARKER = re.compile(f"{_OPEN}([\ue010-\ue04f]){_CLOSE}")
_DATA_URL = re.compile(r"data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)", re.I)


@dataclass(frozen=True)
class FigureRef:
    """An image a reader found in the article, and what goes with it."""

    src: str  # as the document names it (an HTML ``src``); "" when the bytes are in ``data``
    alt: str = ""
    caption: tuple[str, ...] = ()  # the caption and credit lines, as the reader wrote them
    data: bytes | None = None  # the image's bytes, when the document holds them (PDF)


@dataclass(frozen=True)
class StoredImage:
    """An image that passed :func:`inspect`, under the name it is stored with."""

    path: str  # ``img/<sha256 prefix>.<ext>``, relative to the articles folder
    data: bytes
    width: int
    height: int


class ImageRejected(ValueError):
    """Bytes that are not an image the site publishes; the message says why, in one line."""


def marker(index: int) -> str:
    """The marker paragraph of figure ``index`` (private-use characters only)."""
    return f"{_OPEN}{chr(_BASE + index)}{_CLOSE}"


def is_marker(text: str) -> bool:
    return _MARKER.fullmatch(text.strip()) is not None


def image_of(element) -> tuple[str, str] | None:
    """``(src, alt)`` of the first image of an HTML element (``src``, else a lazy-loading
    ``data-src``), or None."""
    for img in element.iter("img"):
        src = (img.get("src") or "").strip()
        if not src or src.startswith("data:image/gif;base64,R0lGOD"):  # a lazy-loading placeholder
            src = (img.get("data-src") or img.get("data-lazy-src") or src).strip()
        if src:
            return src, " ".join((img.get("alt") or "").split())
    return None


# ------------------------------------------------------------------ bytes -> stored image
def sniff(data: bytes) -> str | None:
    """The format the bytes announce (PNG, JPEG, GIF, WEBP), or None."""
    for sig, fmt in _SIGNATURES:
        if data.startswith(sig):
            return fmt
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def inspect(data: bytes, *, min_side: int = MIN_SIDE) -> tuple[str, int, int]:
    """``(format, width, height)`` of an image the site may publish; raises ImageRejected."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejected(f"image too large ({len(data)} bytes > {MAX_IMAGE_BYTES // (1024 * 1024)} MiB)")
    fmt = sniff(data)
    if fmt is None:
        raise ImageRejected("not a PNG, JPEG, GIF or WebP image")
    from PIL import Image  # loads only when a document has an image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=(fmt,)) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:
                    raise ImageRejected(f"image of {width}x{height} pixels (more than {MAX_PIXELS:,} pixels)")
                im.verify()
            with Image.open(BytesIO(data), formats=(fmt,)) as im:
                im.load()  # verify() reads no pixel data: a truncated file fails only here
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(f"image of more than {MAX_PIXELS:,} pixels (a decompression bomb?)") from None
    except Exception as exc:  # Pillow's many errors (truncated, corrupt, bomb) are one answer here
        raise ImageRejected(f"unreadable {fmt} image ({type(exc).__name__})") from None
    if min(width, height) < min_side:
        raise ImageRejected(f"image of {width}x{height} pixels: an icon, not a figure")
    return fmt, width, height


def store(data: bytes, *, min_side: int = MIN_SIDE) -> StoredImage:
    """Inspect, strip metadata, name by content. Raises ImageRejected."""
    fmt, width, height = inspect(data, min_side=min_side)
    data = strip_metadata(data, fmt)
    name = hashlib.sha256(data).hexdigest()[:16]
    return StoredImage(f"{IMAGE_DIR}/{name}.{EXTENSIONS[fmt]}", data, width, height)


#: JPEG segments kept: JFIF/Adobe colour information (APP0, APP14) and ICC profiles (APP2);
#: the others (APP1 Exif and XMP, APP13 IPTC, comments) are metadata, not picture
_JPEG_KEEP = {0xE0, 0xE2, 0xEE}
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def strip_metadata(data: bytes, fmt: str) -> bytes:
    """JPEG and PNG without their metadata segments and chunks (no re-encoding: the pixels
    are the source's); other formats, and any file whose structure is not as expected,
    unchanged."""
    try:
        if fmt == "JPEG":
            return _strip_jpeg(data)
        if fmt == "PNG":
            return _strip_png(data)
    except (IndexError, struct.error):
        pass
    return data


def _strip_jpeg(data: bytes) -> bytes:
    out, i = [data[:2]], 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        kind = data[i + 1]
        if kind == 0xDA:  # start of scan: the rest is picture
            break
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        segment = data[i:i + 2 + length]
        if not (0xE1 <= kind <= 0xEF or kind == 0xFE) or kind in _JPEG_KEEP:
            out.append(segment)
        i += 2 + length
    else:
        return data
    return b"".join(out) + data[i:]


def _strip_png(data: bytes) -> bytes:
    out, i = [data[:8]], 8
    while i + 12 <= len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8]
        chunk = data[i:i + 12 + length]
        if kind not in _PNG_DROP:
            out.append(chunk)
        i += 12 + length
        if kind == b"IEND":
            return b"".join(out)
    return data


def data_url(src: str) -> bytes | None:
    """The bytes of a ``data:image/...;base64,`` URL, or None."""
    m = _DATA_URL.fullmatch(src.strip())
    if not m or len(m.group(2)) > MAX_IMAGE_BYTES * 4 // 3 + 8:
        return None
    try:
        return base64.b64decode(re.sub(r"\s+", "", m.group(2)), validate=True)
    except (binascii.Error, ValueError):
        return None


def percent_decoded(path: str) -> str | None:
    try:
        return unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return None


# ------------------------------------------------------------------ stage 4b
Loader = Callable[[FigureRef, Source], "bytes | None"]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\\(.)|[*_`]", r"\1", text).split()).casefold()


def attach(source: Source, cleaned: Cleaned, load: Loader | None = None) -> tuple[Cleaned, list[StoredImage]]:
    """Replace each figure marker of ``cleaned`` by the stored image and its caption block (or by
    the caption alone when the image cannot be stored); remove a marker that lost its place.
    Returns the new Cleaned and the images to store, in reading order."""
    if not source.figures:
        return cleaned, []
    blocks, images = cleaned.blocks, []
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        m = _MARKER.fullmatch(b.text.strip()) if b.kind is BlockKind.IMAGE and not b.lines else None
        index = ord(m.group(1)) - _BASE if m else -1
        if not 0 <= index < len(source.figures):
            if _MARKER.search(b.text):  # a marker joined to other text: the text stays, alone
                text = _MARKER.sub("", b.text).strip()
                if text:
                    out.append(replace(b, text=text, lines=tuple(ln for ln in (_MARKER.sub("", x).strip() for x in b.lines) if ln)))
            else:
                out.append(b)
            i += 1
            continue
        ref = source.figures[index]
        i += 1
        lines, wanted = [], [_norm(x) for x in ref.caption]
        while i < len(blocks) and wanted and blocks[i].kind in (BlockKind.PARAGRAPH, BlockKind.CAPTION):
            got = list(blocks[i].lines) if blocks[i].kind is BlockKind.CAPTION else [blocks[i].text]
            if [_norm(x) for x in got] != wanted[:len(got)]:
                break
            lines += got
            wanted = wanted[len(got):]
            i += 1
        image = _stored(ref, source, load)
        if image is not None:
            images.append(image)
            out.append(Block(BlockKind.IMAGE, ref.alt, (image.path, str(image.width), str(image.height))))
        if lines or (image is None and ref.alt and not ref.caption):
            lines = lines or [_escape(ref.alt)]
            out.append(Block(BlockKind.CAPTION, "  \n".join(lines), tuple(lines)))
    title = _MARKER.sub("", cleaned.title).strip() or None if cleaned.title else cleaned.title
    return replace(cleaned, blocks=out, title=title), images


def _stored(ref: FigureRef, source: Source, load: Loader | None) -> StoredImage | None:
    data = ref.data if ref.data is not None else data_url(ref.src)
    if data is None and load is not None:
        data = load(ref, source)
    if data is None:
        return None
    try:
        return store(data)
    except ImageRejected:
        return None


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", " ".join(text.split()))


def render_image(block: Block) -> str:
    """``![alt](img/x.png)``: plain Markdown (an attribute list may set only ids and classes:
    the site writes the image's width and height, read from the file, :mod:`scidigest.site.figures`)."""
    alt = _escape(block.text)[:500]
    return f"![{alt}]({block.lines[0]})"
