"""The images of a PDF worth keeping as figures, and their bytes as a browser can show them.

pdfminer.six's layout analysis (already run once by :mod:`.pdf`) lists every image drawn on a
page (``LTImage``, usually inside an ``LTFigure``) with its place and its stream. An image is a
figure of the article, not furniture, on this evidence:

* its pixels: at least :data:`~.figures.MIN_SIDE` on each side (smaller is an icon or a bullet),
  at most :data:`~.figures.MAX_PIXELS` (checked before its stream is decoded);
* its place: drawn at least :data:`MIN_DRAWN_SHARE` of the page width wide or high (a logo
  in a letterhead is drawn small), and not covering most of the page (a page background or
  a scanned page);
* repetition: the same image (the same stream object, or the same bytes) drawn on two pages or
  more is letterhead, a footer logo or a watermark, never a figure;
* above the title on page one is the letterhead (:mod:`.pdf` applies that, knowing the title).

Bytes: a JPEG stream (``DCTDecode``) is the JPEG file as it is; a ``FlateDecode`` (or
uncompressed) stream of 8-bit grey, RGB or CMYK samples (device or ICC-based colour space),
with its soft mask as alpha when it has one, is written as PNG with Pillow (the same pixels give
the same bytes: fixed settings, no time stamp). Anything else (JPEG 2000, indexed colour, 16-bit
or 1-bit samples, masks of other sizes) is left out: its caption then says the image is not
reproduced.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from .figures import MAX_PIXELS, MIN_SIDE

#: the least share of the page width an image must be drawn at, on its wider side
MIN_DRAWN_SHARE = 0.18
#: an image drawn over more than this share of the page's area is a background or a scan
MAX_PAGE_SHARE = 0.85


@dataclass
class PdfImage:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    key: str  # the same image wherever it is drawn
    stream: object  # pdfminer's PDFStream

    def data(self) -> bytes | None:
        """The image as a JPEG or PNG file, or None when its encoding is not one we write."""
        try:
            return _encode(self.stream)
        except Exception:  # a damaged or unusual stream: the figure is not kept, the text is
            return None


def page_images(pages) -> list[PdfImage]:
    """The images of ``pages`` (pdfminer ``LTPage`` objects) that may be figures, in page order."""
    from pdfminer.layout import LTFigure, LTImage

    found: list[PdfImage] = []

    def walk(el, pno: int) -> None:
        for sub in el:
            if isinstance(sub, LTImage):
                found.append(PdfImage(pno, sub.x0, sub.y0, sub.x1, sub.y1, _key(sub.stream), sub.stream))
            elif isinstance(sub, LTFigure):
                walk(sub, pno)

    dims = []
    for pno, page in enumerate(pages):
        dims.append((page.width, page.height))
        walk(page, pno)
    pages_of: dict[str, set[int]] = {}
    for im in found:
        pages_of.setdefault(im.key, set()).add(im.page)
    kept = []
    for im in found:
        width, height = dims[im.page]
        w, h = im.x1 - im.x0, im.y1 - im.y0
        size = _pixels(im.stream)
        if size is None or min(size) < MIN_SIDE or size[0] * size[1] > MAX_PIXELS:
            continue
        if max(w, h) < MIN_DRAWN_SHARE * width or w * h > MAX_PAGE_SHARE * width * height:
            continue
        if len(pages_of[im.key]) > 1:
            continue
        kept.append(im)
    return kept


def _key(stream) -> str:
    objid = getattr(stream, "objid", None)
    if objid is not None:
        return f"obj {objid}"
    try:
        return "sha " + hashlib.sha256(stream.get_rawdata() or b"").hexdigest()
    except Exception:
        return f"id {id(stream)}"


def _resolve(value):
    from pdfminer.pdftypes import resolve1

    return resolve1(value)


def _pixels(stream) -> tuple[int, int] | None:
    try:
        w, h = int(_resolve(stream.attrs.get("Width"))), int(_resolve(stream.attrs.get("Height")))
    except (TypeError, ValueError):
        return None
    return (w, h) if w > 0 and h > 0 else None


def _filters(stream) -> list[str]:
    return [getattr(f, "name", str(f)) for f, _ in stream.get_filters()]


def _components(colour_space) -> tuple[int, str] | None:
    """(samples per pixel, Pillow mode) of a colour space, or None when we do not write it."""
    cs = _resolve(colour_space)
    if isinstance(cs, list) and cs:
        kind = getattr(_resolve(cs[0]), "name", "")
        if kind == "ICCBased" and len(cs) > 1:
            n = _resolve(_resolve(cs[1]).attrs.get("N"))
            return {1: (1, "L"), 3: (3, "RGB"), 4: (4, "CMYK")}.get(n)
        return None
    name = getattr(cs, "name", "")
    return {"DeviceGray": (1, "L"), "DeviceRGB": (3, "RGB"), "DeviceCMYK": (4, "CMYK")}.get(name)


def _encode(stream) -> bytes | None:
    from PIL import Image

    filters = _filters(stream)
    size = _pixels(stream)
    if size is None:
        return None
    if filters == ["DCTDecode"]:
        return stream.get_rawdata()
    if any(f not in ("FlateDecode", "Fl") for f in filters):
        return None
    if int(_resolve(stream.attrs.get("BitsPerComponent", 8)) or 0) != 8 or stream.attrs.get("ImageMask"):
        return None
    comp = _components(stream.attrs.get("ColorSpace"))
    if comp is None:
        return None
    n, mode = comp
    raw = stream.get_data()
    if raw is None or len(raw) < size[0] * size[1] * n:
        return None
    im = Image.frombytes(mode, size, raw[: size[0] * size[1] * n])
    if mode == "CMYK":
        im = im.convert("RGB")
    mask = _resolve(stream.attrs.get("SMask"))
    if mask is not None and _pixels(mask) == size and _filters(mask) in ([], ["FlateDecode"]) \
            and int(_resolve(mask.attrs.get("BitsPerComponent", 8)) or 0) == 8:
        alpha = mask.get_data()
        if alpha is not None and len(alpha) >= size[0] * size[1]:
            im = im.convert("RGBA") if im.mode == "RGB" else im.convert("LA")
            im.putalpha(Image.frombytes("L", size, alpha[: size[0] * size[1]]))
    buf = io.BytesIO()
    im.save(buf, "PNG", compress_level=9)
    return buf.getvalue()


# ------------------------------------------------------------------ where a figure stands
#: a caption starts at most this many points below its image (or ends this far above it)
CAPTION_GAP = 36.0


def place(blocks: list, images: list[PdfImage], make_block) -> list:
    """``blocks`` (:mod:`.pdf`'s, in reading order) with a marker block for each image, before the
    first block of its page that starts below the image's bottom and shares its columns (else
    before the next page's first block, else at the end); a caption or credit block just
    above the image moves after it. ``make_block(index)`` makes the marker block of image
    ``index``. Each marker block gets ``caption_ids``: the ids of the caption and credit
    blocks that follow it within :data:`CAPTION_GAP` of the image."""
    out = list(blocks)
    for index, im in enumerate(images):
        marker = make_block(index)
        at = len(out)
        for i, b in enumerate(out):
            if not b.lines:
                continue
            first = b.lines[0]
            if first.page > im.page or (first.page == im.page and first.y1 <= im.y0 + 2
                                        and min(first.x1, im.x1) - max(first.x0, im.x0) > 0):
                at = i
                break
        # a caption set above its image: it goes after it, like every other caption
        above = []
        while at > 0 and out[at - 1].kind in ("cap", "credit") and out[at - 1].lines \
                and out[at - 1].lines[-1].page == im.page and 0 <= out[at - 1].lines[-1].y0 - im.y1 < CAPTION_GAP:
            above.insert(0, out.pop(at - 1))
            at -= 1
        out[at:at] = [marker, *above]
        ids, j, bottom = [], at + 1, im.y0
        while j < len(out) and out[j].kind in ("cap", "credit") and out[j].lines and out[j].lines[0].page == im.page \
                and (any(out[j] is a for a in above) or -2 <= bottom - out[j].lines[0].y1 < CAPTION_GAP):
            ids.append(id(out[j]))
            bottom = min(bottom, out[j].lines[-1].y0)
            j += 1
        marker.caption_ids = ids
    return out
