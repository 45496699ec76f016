"""One preview card per article (``og:image``), drawn at build time with Pillow and DejaVu Sans.

1200x630 PNG: the site's logo and name, the article's title (wrapped, at most
:data:`MAX_LINES` lines at the smallest size, then an ellipsis), its organisation
and date in the page's language. Not Material's social plugin: it downloads its
fonts from Google Fonts at build time (``_fetch_font_from_google_fonts`` in
``material/plugins/social/plugin.py``) and needs Cairo; the build must work offline.

Cost: drawing is tens of milliseconds, so cards are cached content-addressed in
``.cache/scidigest/social/`` (next to ``mkdocs.yml``, git-ignored) under the
SHA-256 of everything drawn (:func:`card_key`: the texts, the drawing's
:data:`VERSION`, Pillow's and zlib's versions, the fonts' bytes). A build draws a
card only on a miss and links (else copies) the cached file to
``assets/social/articles/<slug>.<lang>.png`` in the site. Deleting the cache
changes no byte: same input, same pixels, same PNG (no chunk but IHDR/IDAT/IEND,
fixed zlib level).

Wrapping: lines break at spaces only (so a French non-breaking space before
``: ; ! ?`` and inside ``« »`` holds, and one is put there when the title has a
plain space); a word wider than the line is cut between characters (after a
hyphen, slash or dash when one fits), never between a letter and its accent.
No hyphenation dictionary: nothing is invented in a title.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from scidigest.site import cards
from scidigest.site.labels import format_date

#: bump when the drawing changes: every cached card is drawn again
VERSION = 2
SIZE = cards.CARD_SIZE
#: site-root-relative folder of the article cards (same for every language)
CARDS_DIR = "assets/social/articles/"
#: the cache folder, relative to the folder of mkdocs.yml
CACHE_DIR = Path(".cache") / "scidigest" / "social"
#: the zlib level of every card (fixed: the same pixels always give the same bytes)
ZLIB_LEVEL = 6
PALETTE = 32

MARGIN = 72
LOGO = 72
TITLE_TOP = 176
TITLE_BOTTOM = 500
#: (font size, line height, most lines) tried in turn; the last one truncates with "…"
TITLE_STEPS = ((68, 80, 3), (58, 69, 4), (50, 60, 5))
MAX_LINES = TITLE_STEPS[-1][2]
FOOTER_SIZE = 30
FOOTER_Y = 536
ELLIPSIS = "\u2026"
#: characters of a title or footer looked at (more than the card can show)
TEXT_CAP = 1000


def card_url(lang: str, slug: str) -> str:
    return f"{CARDS_DIR}{slug}.{lang}.png"


@dataclass(frozen=True)
class CardText:
    """Everything a card says (its cache key is made of these and the drawing's versions)."""

    lang: str
    site_name: str
    title: str
    footer: str  # organisation · date, in the page's language

    @classmethod
    def of(cls, article, site_name: str) -> CardText:
        lang = article.lang
        parts = [article.organisation] if article.organisation else []
        if article.date is not None:  # undated: the page says so plainly; the card says nothing
            parts.append(format_date(article.date, lang))
        return cls(lang=lang, site_name=site_name, title=article.title, footer=" \u00b7 ".join(parts))


# --------------------------------------------------------------------------- fonts


@functools.lru_cache(maxsize=16)
def _font(name: str, size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(name, size)
    except OSError:
        raise RuntimeError(f"the preview cards need the font {name} (Debian: apt-get install fonts-dejavu-core;"
                           " `make browser` installs it)") from None


@functools.lru_cache(maxsize=1)
def versions() -> str:
    """What, besides the texts, decides the bytes of a card: the drawing's version, Pillow's,
    zlib's and the fonts' own bytes (a Debian update of DejaVu draws new cards)."""
    from PIL import Image, features

    fonts = {name: hashlib.sha256(Path(_font(name, 10).path).read_bytes()).hexdigest()
             for name in (cards.FONT, cards.FONT_BOLD)}
    return json.dumps({"card": VERSION, "cards": "logo-1", "pillow": Image.__version__,
                       "zlib": features.version("zlib"), "level": ZLIB_LEVEL, "palette": PALETTE, "fonts": fonts, "size": SIZE},
                      sort_keys=True)


def card_key(text: CardText) -> str:
    data = json.dumps({"v": versions(), "lang": text.lang, "site": text.site_name, "title": text.title,
                       "footer": text.footer}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- text layout

_FR_BEFORE = re.compile(r" ([:;!?\u00bb])")  # "mot :" -> "mot\u00a0:"
_FR_AFTER = re.compile(r"\u00ab ")
_BREAK_AFTER = "-/\u2010\u2013\u2014_."


def typeset(title: str, lang: str) -> str:
    """The title as drawn: NFC, one space between words; in French a non-breaking space
    before ``: ; ! ? »`` and after ``«`` (never a line starting with a colon)."""
    # past what 5 lines can hold (about 100 of the narrowest characters each) nothing is drawn:
    # a hostile megabyte-long title costs no more than a long one
    text = " ".join(unicodedata.normalize("NFC", title[:TEXT_CAP]).split())
    if lang == "fr":
        text = _FR_AFTER.sub("\u00ab\u00a0", _FR_BEFORE.sub("\u00a0\\1", text))
    return text


def _clusters(word: str) -> list[str]:
    """Characters with their combining marks (a cut never separates them)."""
    out: list[str] = []
    for ch in word:
        if out and unicodedata.combining(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _cut(word: str, font, width: float) -> list[str]:
    """A word wider than ``width`` in pieces that fit, cut after a hyphen/slash/dash when
    one is in the piece, else after the last character that fits."""
    pieces: list[str] = []
    rest = _clusters(word)
    while rest:
        n = 1
        while n < len(rest) and font.getlength("".join(rest[: n + 1])) <= width:
            n += 1
        if n < len(rest):
            soft = max((i + 1 for i in range(n - 1) if rest[i] in _BREAK_AFTER), default=0)
            if soft >= n // 2:
                n = soft
        pieces.append("".join(rest[:n]))
        rest = rest[n:]
    return pieces


def wrap(text: str, font, width: float) -> list[str]:
    """Greedy lines no wider than ``width``, breaking at spaces (U+0020) only."""
    lines: list[str] = []
    for word in text.split(" "):
        if not word:
            continue
        if lines and font.getlength(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        elif font.getlength(word) <= width:
            lines.append(word)
        else:
            pieces = _cut(word, font, width)
            if lines and font.getlength(lines[-1] + " " + pieces[0]) <= width:
                lines[-1] += " " + pieces.pop(0)
            lines.extend(pieces)
    return lines


def ellipsize(line: str, font, width: float) -> str:
    """``line`` shortened until it and "…" fit in ``width``: after its last whole word that
    fits, else (one long word) its last character that fits. Binary search: a long line
    costs a few measures, not one per character."""
    strip = " \u00a0\u202f,;:."
    clusters = _clusters(line.rstrip(strip))
    lo, hi = 0, len(clusters)  # the longest prefix that fits is in [lo, hi]
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.getlength("".join(clusters[:mid]).rstrip(strip) + ELLIPSIS) <= width:
            lo = mid
        else:
            hi = mid - 1
    head = "".join(clusters[:lo])
    if lo < len(clusters) and clusters[lo] != " " and " " in head.strip():
        head = head.rpartition(" ")[0]  # a word does not end in the middle
    return head.rstrip(strip) + ELLIPSIS


@dataclass(frozen=True)
class Layout:
    title_size: int
    line_height: int
    title_lines: tuple[str, ...]
    footer: str
    truncated: bool


def layout(text: CardText) -> Layout:
    width = SIZE[0] - 2 * MARGIN
    title = typeset(text.title, text.lang)
    for step in TITLE_STEPS:
        size, height, most = step
        font = _font(cards.FONT_BOLD, size)
        lines = wrap(title, font, width)
        if len(lines) <= most:
            truncated = False
            break
    else:
        truncated = True
        lines = lines[: most - 1] + [ellipsize(lines[most - 1] + " " + " ".join(lines[most:]), font, width)]
    footer_font = _font(cards.FONT, FOOTER_SIZE)
    footer = " ".join(text.footer[:TEXT_CAP].split())
    if footer_font.getlength(footer) > width:
        footer = ellipsize(footer, footer_font, width)
    return Layout(size, height, tuple(lines), footer, truncated)


def boxes(text: CardText) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(text, its inked box on the card) for every line drawn: what tests check against the canvas."""
    lay = layout(text)
    out = []
    header = _font(cards.FONT_BOLD, 36)
    out.append((text.site_name, header.getbbox(text.site_name, anchor="lm")))
    out[-1] = (out[-1][0], _shift(out[-1][1], MARGIN + LOGO + 20, 56 + LOGO / 2))
    font = _font(cards.FONT_BOLD, lay.title_size)
    for i, line in enumerate(lay.title_lines):
        out.append((line, _shift(font.getbbox(line, anchor="ls"), MARGIN, _baseline(lay, i))))
    footer = _font(cards.FONT, FOOTER_SIZE)
    out.append((lay.footer, _shift(footer.getbbox(lay.footer, anchor="ls"), MARGIN, FOOTER_Y)))
    return out


def _shift(box, dx, dy):
    return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)


def _baseline(lay: Layout, i: int) -> float:
    return TITLE_TOP + lay.title_size + i * lay.line_height


# --------------------------------------------------------------------------- drawing


@functools.lru_cache(maxsize=1)
def _logo():
    from PIL import Image

    scale = 4  # as cards.logo_png: drawn large and scaled down
    image = Image.new("RGBA", (LOGO * scale, LOGO * scale), (0, 0, 0, 0))
    cards._draw_logo(image, 0, 0, LOGO * scale)
    return image.resize((LOGO, LOGO), Image.Resampling.LANCZOS)


def draw(text: CardText) -> bytes:
    """The card's PNG bytes (deterministic)."""
    from PIL import Image, ImageDraw

    lay = layout(text)
    image = Image.new("RGB", SIZE, cards.NAVY)
    image.paste(_logo(), (MARGIN, 56), _logo())
    ink = ImageDraw.Draw(image)
    ink.text((MARGIN + LOGO + 20, 56 + LOGO / 2), text.site_name, font=_font(cards.FONT_BOLD, 36),
             fill=cards.WHITE, anchor="lm")
    font = _font(cards.FONT_BOLD, lay.title_size)
    for i, line in enumerate(lay.title_lines):
        ink.text((MARGIN, _baseline(lay, i)), line, font=font, fill=cards.WHITE, anchor="ls")
    ink.text((MARGIN, FOOTER_Y), lay.footer, font=_font(cards.FONT, FOOTER_SIZE), fill=cards.PALE, anchor="ls")
    ink.rectangle((0, SIZE[1] - 16, SIZE[0], SIZE[1]), fill=cards.AMBER)
    # 32 colours (navy, white, pale, amber, the logo's and the text's edges): a third of the
    # bytes of the RGB file and faster to compress; octree quantising is deterministic
    image = image.quantize(PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=ZLIB_LEVEL)  # no tIME/tEXt: Pillow writes none unasked
    return out.getvalue()


# --------------------------------------------------------------------------- cache and site


def cached(text: CardText, cache_dir: Path) -> Path:
    """The cached card of ``text``, drawn first on a miss (written atomically)."""
    key = card_key(text)
    path = cache_dir / f"{key}.png"
    if not path.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        tmp.write_bytes(draw(text))
        os.replace(tmp, path)
    return path


def publish(source: Path, dest: Path) -> None:
    """``dest`` holds ``source``'s bytes: a hard link when the file system allows, else a copy.
    A link appears whole or not at all, so a new one needs no temporary name; a ``dest``
    already there is replaced atomically (temporary name, then rename)."""
    try:
        os.link(source, dest)
        return
    except FileNotFoundError:  # its folder is not there yet (else the source is gone: copied below, and fails)
        if not dest.parent.is_dir():
            dest.parent.mkdir(parents=True, exist_ok=True)
            return publish(source, dest)
    except FileExistsError:
        try:
            if os.path.samefile(source, dest):
                return
        except OSError:
            pass
    except OSError:  # no hard links on this file system (or across two)
        pass
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, dest)


def write_card(article, site_name: str, site_dir: Path, cache_dir: Path, used: set[str] | None = None) -> str:
    """The article's card in the site (from the cache, drawn on a miss); its site-root-relative
    path. ``used``: the cache entries the build took, for :func:`prune_cache`."""
    rel = card_url(article.lang, article.slug)
    source = cached(CardText.of(article, site_name), cache_dir)
    if used is not None:
        used.add(source.name)
    publish(source, site_dir / rel)
    return rel


#: an unused card stays in the cache this long (another branch, an edit undone) before it goes
PRUNE_AFTER_DAYS = 30


def prune_cache(cache_dir: Path, used: set[str], *, now: float | None = None) -> int:
    """Remove the cached cards no page of a whole build used and not drawn for
    :data:`PRUNE_AFTER_DAYS` (the deploy workflow restores the cache before each build and
    saves it after, so without this every title ever published stays in it); how many went.
    A card published in the site is a hard link, so its page keeps it."""
    if not cache_dir.is_dir():
        return 0
    limit = (time.time() if now is None else now) - PRUNE_AFTER_DAYS * 86400
    removed = 0
    for path in cache_dir.iterdir():
        name = path.name
        if name in used or not name.endswith((".png", ".tmp")):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:  # gone meanwhile (another build), or not ours to remove
            continue
    return removed


def prune(site_dir: Path, lang: str, slugs: set[str]) -> None:
    """Remove the cards of ``lang`` whose article is gone (the live preview keeps its output)."""
    folder = site_dir / CARDS_DIR
    if not folder.is_dir():
        return
    suffix = f".{lang}.png"
    for path in folder.iterdir():
        if path.name.endswith(suffix) and path.name[: -len(suffix)] not in slugs:
            path.unlink()


# --------------------------------------------------------------------------- in the build

#: the smallest own image shared instead of the card: Facebook's least size for a large
#: preview (600x315; Twitter's summary_large_image wants 300x157)
MIN_PHOTO = (600, 315)


def article_preview(article, *, site_name: str, docs_dir: Path, site_dir: Path | None, cache_dir: Path,
                    used: set[str] | None = None):
    """The preview of an article page: its own image when it is at least :data:`MIN_PHOTO`
    (a photo says more than its title again), else its card, written into ``site_dir``
    (``None``: only say which)."""
    from scidigest.site import social
    from scidigest.site.figures import image_size

    size = image_size(docs_dir / "articles" / article.image) if article.image else None
    if size is not None and size[0] >= MIN_PHOTO[0] and size[1] >= MIN_PHOTO[1]:
        return social.preview(article.lang, article, own_size=size)
    rel = card_url(article.lang, article.slug)
    if site_dir is not None:
        write_card(article, site_name, site_dir, cache_dir, used)
    return social.preview(article.lang, article, card=rel)


def cache_dir_for(config) -> Path:
    """``.cache/scidigest/social/`` next to the project's ``mkdocs.yml``."""
    return _cache_dir(config.config_file_path)


@functools.lru_cache(maxsize=64)
def _cache_dir(config_file_path: str) -> Path:
    # (once per mkdocs.yml: resolve() reads every component of the path, a stat each, per page otherwise)
    return Path(config_file_path).resolve().parent / CACHE_DIR


def prune_site(config, articles, lang: str) -> None:
    """After a language's pages: only the cards of its articles that use one stay (a build
    starts from an empty site; the live preview keeps its output between edits)."""
    docs_dir = Path(config.docs_dir)
    keep = {a.slug for a in articles
            if not a.image or article_preview(a, site_name=config.site_name, docs_dir=docs_dir, site_dir=None,
                                              cache_dir=CACHE_DIR).path.startswith(CARDS_DIR)}
    prune(Path(config.site_dir), lang, keep)
