"""The site's default preview card (one per language) and its logo as PNG.

Link previews (``og:image``, ``twitter:image``) and schema.org's ``publisher.logo``
need raster images: crawlers and chat apps do not render SVG. An article is shared
with its own card (:mod:`.pagecards`, drawn at build time) or its own large image;
every other page with the card of its language, 1200x630 (the size Open Graph and
Twitter's ``summary_large_image`` ask for).

These PNGs are committed under ``docs/assets/social/`` and the build only copies
them. They are drawn here, from
the same shapes as ``docs/assets/logo.svg`` and the labels of
:mod:`scidigest.site.labels`, with Pillow (a dev dependency) and DejaVu Sans
(:data:`FONT`); the same Pillow and font draw the same pixels. ``tests/site/test_cards.py`` redraws them and
compares the pixels with the committed files. After changing a label or the
drawing::

    .venv/bin/python -m scidigest.site.cards
"""

from __future__ import annotations

import io
import math
import sys
from pathlib import Path

from scidigest.site.catalogue import LANGS
from scidigest.site.labels import t

#: site-root-relative, the same for every language (docs/assets is not localised)
SOCIAL_DIR = "assets/social/"
CARD_SIZE = (1200, 630)
LOGO_SIZE = 512

NAVY = (11, 61, 92)  # the header's primary, docs/assets/site.css
AMBER = (242, 177, 52)
TEAL = (19, 122, 110)
WHITE = (255, 255, 255)
PALE = (214, 230, 240)
#: DejaVu Sans (Debian's fonts-dejavu-core, which the Makefile installs; fontconfig needs it
#: anyway): found by file name in the system's font directories, as Pillow looks them up.
#: Pillow's own bundled font has no accented letters.
FONT = "DejaVuSans.ttf"
FONT_BOLD = "DejaVuSans-Bold.ttf"


def card_url(lang: str) -> str:
    return f"{SOCIAL_DIR}card-{lang}.png"


def logo_url() -> str:
    return f"{SOCIAL_DIR}logo.png"


def _ellipse_points(cx: float, cy: float, rx: float, ry: float, degrees: float, n: int = 180):
    a = math.radians(degrees)
    ca, sa = math.cos(a), math.sin(a)
    pts = []
    for i in range(n + 1):
        u = 2 * math.pi * i / n
        x, y = rx * math.cos(u), ry * math.sin(u)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return pts


def _draw_logo(image, x: float, y: float, size: float) -> None:
    """docs/assets/logo.svg (a 64-unit square) drawn on ``image`` at (x, y), ``size`` pixels wide."""
    from PIL import Image, ImageDraw

    k = size / 64

    def p(v: float) -> float:
        return v * k

    draw = ImageDraw.Draw(image)
    draw.ellipse((x + p(2), y + p(2), x + p(62), y + p(62)), fill=WHITE, outline=AMBER, width=max(1, round(p(3))))
    for degrees, colour in ((35, NAVY), (-35, TEAL)):
        # a ring: the outer ellipse less the inner one, as a mask (stroked polylines notch at joints)
        mask = Image.new("L", image.size, 0)
        ring = ImageDraw.Draw(mask)
        ring.polygon(_ellipse_points(x + p(32), y + p(32), p(22.6), p(9.6), degrees, 720), fill=255)
        ring.polygon(_ellipse_points(x + p(32), y + p(32), p(19.4), p(6.4), degrees, 720), fill=0)
        image.paste(colour, (0, 0), mask)
    draw.ellipse((x + p(26.5), y + p(26.5), x + p(37.5), y + p(37.5)), fill=NAVY)
    draw.rounded_rectangle((x + p(17.5), y + p(48.5), x + p(46.5), y + p(51.5)), radius=p(1.5), fill=NAVY)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)  # no date or text chunks: same pixels, same file
    return out.getvalue()


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(lines[-1] + " " + word, font=font) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def logo_png() -> bytes:
    from PIL import Image

    scale = 4  # drawn large and scaled down: smooth edges without antialiasing primitives
    image = Image.new("RGBA", (LOGO_SIZE * scale, LOGO_SIZE * scale), (0, 0, 0, 0))
    _draw_logo(image, 0, 0, LOGO_SIZE * scale)
    return _png(image.resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS))


def card_png(lang: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    scale = 2
    w, h = CARD_SIZE[0] * scale, CARD_SIZE[1] * scale
    image = Image.new("RGB", (w, h), NAVY)
    draw = ImageDraw.Draw(image)
    margin = 80 * scale
    logo = 200 * scale
    _draw_logo(image, margin, (h - logo) // 2 - 40 * scale, logo)
    left = margin + logo + 64 * scale
    title_font = ImageFont.truetype(FONT_BOLD, 96 * scale)
    text_font = ImageFont.truetype(FONT, 40 * scale)
    draw.text((left, 150 * scale), t(lang, "site_name"), font=title_font, fill=WHITE)
    y = 290 * scale
    for line in _wrap(draw, t(lang, "site_description"), text_font, w - left - margin)[:4]:
        draw.text((left, y), line, font=text_font, fill=PALE)
        y += 56 * scale
    draw.rectangle((0, h - 24 * scale, w, h), fill=AMBER)
    return _png(image.resize(CARD_SIZE, Image.Resampling.LANCZOS))


def images() -> dict[str, bytes]:
    """Every PNG, by site-root-relative path."""
    out = {card_url(lang): card_png(lang) for lang in LANGS}
    out[logo_url()] = logo_png()
    return out


def write(docs_dir: Path) -> list[Path]:
    written = []
    for rel, data in images().items():
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    docs = Path(argv[0] if argv else "docs")
    for path in write(docs):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
