"""Stage 1 for PDF: a layout-aware reader (pdfminer.six) that writes Markdown.

The layout is analysed once (``extract_pages``); everything else works on the text
lines it gives, with their position, font size and font name:

* page headers and footers go because they repeat at the same place on several
  pages (digits compared as one symbol, so "Page 1" and "Page 2" are the same
  line); page numbers in any form ("Page 2 sur 3", "2/3", "- 2 -", "2") go too;
* the letterhead (organisation in capitals, postal address, website, logo) above
  the title on page one goes; a rubric or dateline there stays as a paragraph for
  the shared cleaning to lift;
* the title is the largest type on page one (its lines joined);
* columns come from a gutter, an x-band that no body line crosses; a page is read
  band by band (lines that span the gutter cut the bands), left column then right;
* footnotes are small lines below the last body line of a page that start with a
  number; their markers (small raised digits after a word) become ``[^n]``;
* headings are bold or larger lines that stand alone; bullets become ``- `` items;
  small lines elsewhere are captions, a credit line (``©``, "Crédit") on its own;
  small labels inside a drawn figure are dropped;
* a paragraph cut by a column or page break (no sentence end, next one starts in
  lower case) is joined again; line-end hyphens go through the project's one join,
  :func:`.hyphenation.join_hyphenated`.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .figures import MAX_FIGURES, FigureRef, marker
from .hyphenation import join_hyphenated
from .model import Declared, IngestError, Source
from .pdfimages import page_images, place

MAX_BYTES = 30 * 1024 * 1024

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u2002": " ", "\u2003": " "}
_CHAR_MAP = str.maketrans({**_LIGATURES, **_SPACES, "\u2010": "-", "\u2011": "-"})
_SOFT_HYPHEN = "\u00ad"

_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|seite|pág\.?|pagina)\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?"
    r"(?:\s*(?:/|sur|of|de|von|\|)\s*\d{1,4})?$",
    re.I,
)
_BULLET = re.compile(r"^[•●▪■◦‣∙·–—*-]\s*")
_CREDIT = re.compile(
    r"^(?:©|\(c\)\s|cr[ée]dits?\b|photo\s*:|image\s*:|illustration\s*:|source\s*:|infographie\s*:)", re.I
)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:fr|com|org|net|eu|edu|gouv\.fr|ac\.uk|org\.uk|co\.uk|de|be|ch)\b", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.]?)?(?:\(0\)\s?)?\d{1,4}(?:[\s.]\d{2,4}){3,}")
_ADDRESS = re.compile(
    r"\b(?:rue|avenue|av\.|boulevard|bd|place|quai|chemin|allée|route|impasse|cedex|bp\s*\d|cs\s*\d|"
    r"street|road|lane|house|square|building|po box)\b|\b\d{5}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b",
    re.I,
)
_OPEN_END = re.compile(r"[.!?:»\"”…]\s*$")
_DATEISH = re.compile(
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:janv|févr|fevr|mars|avr|mai|juin|juil|août|aout|sept|oct|nov|déc|dec|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep)[a-zéû]*\.?\s+\d{4}\b",
    re.I,
)
_DIGITS = re.compile(r"\d+")
_NOTE_START = re.compile(r"^\s*(\d{1,3})[.)]?\s+(?=\S)")
_MARK = re.compile(r"\x00(\d{1,3})\x01")


@dataclass
class _Frag:
    """One text line as pdfminer found it (a justified line may come in several pieces)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str  # superscript markers as \x00n\x01
    size: float  # dominant font size (by characters)
    bold: bool
    nchars: int
    box: int
    lead_sup: bool = False  # starts with a raised small number (a footnote's own number)


@dataclass
class _Line:
    frags: list[_Frag]
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    col: int = 0  # -1 spans the gutter, 0 left (or single column), 1 right
    text: str = ""


@dataclass
class _Block:
    kind: str  # "p", "h", "li", "cap", "credit", "title", "pre"
    lines: list[_Line] = field(default_factory=list)
    text: str = ""


def _fail(msg: str) -> IngestError:
    return IngestError(msg)


def _pages(data: bytes):
    """Run pdfminer's layout analysis once; map its exceptions to one-line errors."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException

    try:
        return list(extract_pages(io.BytesIO(data), laparams=LAParams()))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise _fail("encrypted PDF: remove the password and add it again") from None
    except (PDFException, PSException, EOFError) as e:
        raise _fail(f"damaged PDF: {_short(e)}") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError, OverflowError, ZeroDivisionError) as e:
        raise _fail(f"damaged PDF: {_short(e)}") from None


def _short(e: Exception) -> str:
    msg = " ".join(str(e).split()) or type(e).__name__
    return msg[:120]


def _collect(pages) -> tuple[list[_Frag], list[list[tuple[float, float, float, float]]], list[tuple[float, float]]]:
    from pdfminer.layout import (
        LTAnno,
        LTChar,
        LTCurve,
        LTFigure,
        LTImage,
        LTTextContainer,
        LTTextLine,
    )

    frags: list[_Frag] = []
    graphics: list[list[tuple[float, float, float, float]]] = []
    dims: list[tuple[float, float]] = []
    box_id = 0

    def walk_graphics(el, out, dots):
        for sub in el:
            if isinstance(sub, (LTCurve, LTImage)):
                w, h = sub.x1 - sub.x0, sub.y1 - sub.y0
                if w > 20 and h > 20:
                    out.append((sub.x0, sub.y0, sub.x1, sub.y1))
                elif 1 <= w <= 8 and 1 <= h <= 8:
                    dots.append((sub.x0, sub.y0, sub.x1, sub.y1))  # a drawn bullet
            elif isinstance(sub, LTFigure):
                if sub.width > 20 and sub.height > 20:
                    out.append((sub.x0, sub.y0, sub.x1, sub.y1))

    for pno, page in enumerate(pages):
        dims.append((page.width, page.height))
        g: list[tuple[float, float, float, float]] = []
        graphics.append(g)
        dots: list[tuple[float, float, float, float]] = []
        walk_graphics(page, g, dots)
        first = len(frags)
        for el in page:
            if not isinstance(el, LTTextContainer):
                continue
            box_id += 1
            for line in el:
                if not isinstance(line, LTTextLine):
                    continue
                f = _frag(line, pno, box_id, LTChar, LTAnno)
                if f is not None:
                    frags.append(f)
        for f in frags[first:]:
            for _x0, y0, x1, y1 in dots:
                if x1 <= f.x0 + 0.5 and f.x0 - x1 < 15 and f.y0 - 1 <= (y0 + y1) / 2 <= f.y1 and not _BULLET.match(f.text):
                    f.text = "• " + f.text.lstrip()
                    break
    return frags, graphics, dims


def _frag(line, pno: int, box: int, LTChar, LTAnno) -> _Frag | None:
    chars = [c for c in line if isinstance(c, LTChar)]
    chars = [c for c in chars if c.upright and abs(c.matrix[1]) < 1e-3 and abs(c.matrix[2]) < 1e-3]
    if not chars:
        return None
    sizes: Counter = Counter()
    bold: Counter = Counter()
    for c in chars:
        if not c.get_text().isspace():
            sizes[round(c.size, 1)] += 1
            bold["bold" in c.fontname.lower() or "black" in c.fontname.lower() or "heavy" in c.fontname.lower()] += 1
    if not sizes:
        return None
    size = sizes.most_common(1)[0][0]
    normal = [c for c in chars if abs(c.size - size) < 0.6]
    base = min(c.y0 for c in normal) if normal else min(c.y0 for c in chars)
    parts: list[str] = []
    sup: list[str] = []
    lead_sup = False
    seen_text = False

    def flush_sup():
        nonlocal lead_sup
        if sup:
            s = "".join(sup)
            if s.isdigit() and len(s) <= 3:
                if not seen_text:
                    lead_sup = True
                    parts.append(s + " ")
                else:
                    parts.append(f"\x00{s}\x01")
            else:
                parts.append(s)
            sup.clear()

    for c in line:
        if isinstance(c, LTChar):
            if c not in chars and not (c.upright and abs(c.matrix[1]) < 1e-3):
                continue
            t = c.get_text()
            raised = c.size < 0.85 * size and c.y0 > base + 0.2 * size
            if raised and not t.isspace():
                sup.append(t)
                continue
            flush_sup()
            parts.append(t)
            if not t.isspace():
                seen_text = True
        elif isinstance(c, LTAnno):
            t = c.get_text()
            if t == "\n":
                continue
            flush_sup()
            parts.append(t)
    flush_sup()
    text = _normalise("".join(parts))
    if not text.strip():
        return None
    x0 = min(c.x0 for c in chars)
    x1 = max(c.x1 for c in chars)
    return _Frag(pno, x0, base, x1, max(c.y1 for c in chars), text, size,
                 bold[True] > bold[False], len(chars), box, lead_sup)


def _normalise(text: str) -> str:
    text = text.translate(_CHAR_MAP)
    if "(cid:" in text:
        text = re.sub(r"\(cid:\d+\)", "", text)
    return " ".join(text.split(" ")).replace("\t", " ")


def _squash(text: str) -> str:
    return re.sub(r" {2,}", " ", text).strip()


# ---------------------------------------------------------------- furniture
def _furniture(frags: list[_Frag], dims, n_pages: int) -> set[int]:
    """Indexes of header/footer lines: repeated at the same place, or page numbers."""
    out: set[int] = set()
    zone: list[int] = []
    for i, f in enumerate(frags):
        h = dims[f.page][1]
        if f.y0 > 0.88 * h or f.y1 < 0.12 * h:
            zone.append(i)
    keyed = [(i, _DIGITS.sub("#", _squash(frags[i].text).lower())) for i in zone]
    for i, key in keyed:
        f = frags[i]
        if _PAGE_NUMBER.match(_squash(_MARK.sub(r"\1", f.text))):
            out.add(i)
            continue
        if n_pages < 2:
            continue
        pages = {frags[j].page for j, k in keyed if k == key and abs(frags[j].y0 - f.y0) <= 3}
        if len(pages) >= 2 and len(pages) >= 0.5 * n_pages:
            out.add(i)
    return out


def _body_size(frags: list[_Frag]) -> float:
    sizes: Counter = Counter()
    for f in frags:
        sizes[f.size] += f.nchars
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _footnotes(frags: list[_Frag], keep: list[int], body: float) -> tuple[list[int], list[int]]:
    """Split kept frags into body frags and footnote frags (small, below the last body line)."""
    by_page: dict[int, list[int]] = {}
    for i in keep:
        by_page.setdefault(frags[i].page, []).append(i)
    notes: list[int] = []
    rest: list[int] = []
    for idx in by_page.values():
        body_lines = [frags[i] for i in idx if abs(frags[i].size - body) < 0.6]
        lowest = min((f.y0 for f in body_lines), default=None)
        cand = sorted((i for i in idx if lowest is not None and frags[i].y1 <= lowest + 1 and frags[i].size < 0.9 * body),
                      key=lambda i: -frags[i].y0)
        # the notes start at the first small line that begins with a number
        page_notes: list[int] = []
        started = False
        for i in cand:
            f = frags[i]
            if not started and (f.lead_sup or _NOTE_START.match(f.text)):
                started = True
            if started:
                page_notes.append(i)
        notes += page_notes
        s = set(page_notes)
        rest += [i for i in idx if i not in s]
    return sorted(rest), notes


# ---------------------------------------------------------------- columns and lines
def _gutter(frags: list[_Frag], width: float) -> float | None:
    """The x of a gutter on one page: a band in the middle no line crosses, with text on both sides."""
    lines = [f for f in frags if len(f.text) > 3]
    if len(lines) < 8:
        return None
    lo, hi = int(0.3 * width), int(0.7 * width)
    best_x, best = None, None
    run_start = None
    runs: list[tuple[int, int]] = []
    counts = []
    for x in range(lo, hi + 1):
        n = sum(1 for f in lines if f.x0 < x - 2 and f.x1 > x + 2)
        counts.append(n)
    m = min(counts)
    for k, n in enumerate(counts + [m + 1]):
        if n == m and run_start is None:
            run_start = k
        elif n != m and run_start is not None:
            runs.append((run_start, k - 1))
            run_start = None
    a, b = max(runs, key=lambda r: r[1] - r[0])
    best_x = lo + (a + b) / 2
    left = sum(1 for f in lines if f.x1 <= best_x)
    right = sum(1 for f in lines if f.x0 >= best_x)
    best = m
    if left < 4 or right < 4 or best > 0.5 * (left + right):
        return None
    # a real gutter: the right column's lines start at one x, again and again
    starts = Counter(round(f.x0) for f in lines if f.x0 >= best_x)
    if not starts or starts.most_common(1)[0][1] < 3:
        return None
    return best_x


def _lines(frags: list[_Frag], gutter: float | None) -> list[_Line]:
    """Pieces on one baseline (and one column) become one line; the page in reading order."""
    def col(f: _Frag) -> int:
        if gutter is None:
            return 0
        if f.x1 <= gutter + 1:
            return 0
        if f.x0 >= gutter - 1:
            return 1
        return -1

    groups: list[_Line] = []
    for f in sorted(frags, key=lambda f: (-f.y0, f.x0)):
        c = col(f)
        for ln in groups[-6:]:
            if ln.col == c and abs(ln.y0 - f.y0) < 0.4 * max(f.size, ln.size) and abs(ln.size - f.size) < 1.5:
                ln.frags.append(f)
                ln.x0, ln.x1 = min(ln.x0, f.x0), max(ln.x1, f.x1)
                ln.y1 = max(ln.y1, f.y1)
                break
        else:
            groups.append(_Line([f], f.page, f.x0, f.y0, f.x1, f.y1, f.size, f.bold, c))
    for ln in groups:
        ln.frags.sort(key=lambda f: f.x0)
        ln.text = _squash(" ".join(f.text.strip() for f in ln.frags))
        ln.bold = sum(f.nchars for f in ln.frags if f.bold) > sum(f.nchars for f in ln.frags if not f.bold)
    if gutter is None:
        return sorted(groups, key=lambda ln: -ln.y0)
    spans = sorted((ln for ln in groups if ln.col == -1), key=lambda ln: -ln.y0)
    ordered: list[_Line] = []
    sections: dict[int, list[_Line]] = {}
    for ln in groups:
        if ln.col == -1:
            continue
        s = sum(1 for sp in spans if sp.y0 > ln.y0)
        sections.setdefault(s, []).append(ln)
    for s in range(len(spans) + 1):
        sec = sections.get(s, [])
        ordered += sorted((ln for ln in sec if ln.col == 0), key=lambda ln: -ln.y0)
        ordered += sorted((ln for ln in sec if ln.col == 1), key=lambda ln: -ln.y0)
        if s < len(spans):
            ordered.append(spans[s])
    return ordered


# ---------------------------------------------------------------- letterhead and title
def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.95 * len(letters) and not any(c.isdigit() for c in text)


def _letterhead_line(ln: _Line, body: float) -> bool:
    t = ln.text
    if _URL.search(t) or _EMAIL.search(t) or _PHONE.search(t):
        return len(t) < 160
    if _ADDRESS.search(t) and len(t) < 120 and not re.search(r"\b(le|the|on)\s+\d", t):
        return True
    if _caps(t) and len(t.split()) >= 2 and len(t) < 90:
        return True
    return len(t.split()) <= 2 and len(t) <= 20 and (ln.bold or ln.size > body * 1.2)


def _title(lines: list[_Line], body: float) -> list[_Line]:
    """The largest type on page one (lines that wrap joined); none if it is body size."""
    first = [ln for ln in lines if ln.page == 0 and len(ln.text.split()) >= 2]
    if not first:
        return []
    top = max(ln.size for ln in first)
    if top < body * 1.15:
        return []
    picked: list[_Line] = []
    for ln in lines:
        if ln.page != 0:
            break
        if abs(ln.size - top) < 0.3:
            if picked and picked[-1].y0 - ln.y1 > 1.0 * top:
                break
            picked.append(ln)
        elif picked:
            break
    if not picked:
        picked = [max(first, key=lambda ln: ln.size)]
    return picked


# ---------------------------------------------------------------- blocks
def _join_text(a: str, b: str, document: str) -> str:
    if a.endswith(_SOFT_HYPHEN):
        return a[:-1] + b
    if a.endswith("-") and not a.endswith(" -"):
        j = join_hyphenated(a, b, document)
        if j is not None:
            return j
        return a + b if a[-2:-1].isalnum() else f"{a} {b}"
    return f"{a} {b}"


def _blocks(lines: list[_Line], body: float, graphics, title_ids: set[int]) -> list[_Block]:
    blocks: list[_Block] = []
    prev: _Line | None = None
    for ln in lines:
        kind = _line_kind(ln, body, graphics)
        if kind is None:
            continue
        if id(ln) in title_ids:
            kind = "title"
        start_new = True
        if blocks and prev is not None:
            cur = blocks[-1]
            same_style = abs(prev.size - ln.size) < 0.6 and prev.bold == ln.bold
            gap = prev.y0 - ln.y1
            same_place = prev.page == ln.page and prev.col == ln.col and -0.5 * ln.size < gap < 0.55 * ln.size
            if cur.kind == kind or (cur.kind == "li" and kind == "p"):
                if same_place and same_style and not (kind in ("li", "p") and _BULLET.match(ln.text) and _is_bullet(ln)):
                    if not (kind == "cap" and _CREDIT.match(ln.text)):
                        start_new = False
                    if cur.kind == "li" and ln.x0 < cur.lines[0].x0 - 2 and not _is_bullet(ln):
                        start_new = True  # back at the margin after a list: a new paragraph
                if kind == "title" and cur.kind == "title":
                    start_new = False
        if start_new:
            if kind == "p" and _is_bullet(ln):
                kind = "li"
            if kind == "cap" and _CREDIT.match(ln.text):
                kind = "credit"
            blocks.append(_Block(kind, [ln]))
        else:
            blocks[-1].lines.append(ln)
        prev = ln
    return blocks


def _is_bullet(ln: _Line) -> bool:
    return bool(re.match(r"^[•●▪■◦‣∙]\s*\S", ln.text)) or bool(re.match(r"^[–—-]\s+\S", ln.text))


def _inside(ln: _Frag | _Line, rects) -> bool:
    for x0, y0, x1, y1 in rects:
        if ln.x0 >= x0 - 1 and ln.x1 <= x1 + 1 and ln.y0 >= y0 - 1 and ln.y1 <= y1 + 1:
            return True
    return False


def _line_kind(ln: _Line, body: float, graphics) -> str | None:
    if ln.size < 0.93 * body:
        return "cap"
    if ln.size > 1.08 * body or (ln.bold and len(ln.text) < 160):
        return "h"
    return "p"


def _block_text(b: _Block, document: str) -> str:
    text = ""
    for ln in b.lines:
        t = ln.text
        text = t if not text else _join_text(text, t, document)
    return text.replace(_SOFT_HYPHEN, "")


def _heading_ok(text: str, n_lines: int) -> bool:
    return n_lines <= 3 and 2 <= len(text) <= 150 and not re.search(r"[.,;]$", text) and len(text.split()) <= 20


# ---------------------------------------------------------------- the reader
def read_pdf(name: str, data: bytes) -> Source:
    """Bytes of a PDF -> Source whose text is Markdown (see the module docstring)."""
    if len(data) > MAX_BYTES:
        raise _fail(f"PDF too large ({len(data) // (1024 * 1024)} MiB > {MAX_BYTES // (1024 * 1024)} MiB limit)")
    if b"%PDF-" not in data[:1024]:
        raise _fail("not a PDF: the file has no %PDF header")
    pages = _pages(data)
    if not pages:
        raise _fail("damaged PDF: it has no pages")
    frags, graphics, dims = _collect(pages)
    images, figures = page_images(pages), []  # (figures: filled by _layout)
    if not any(f.text.strip() for f in frags):
        raise _fail("no text layer: the PDF is scanned images; OCR it first")
    title_text, body_md = _layout(frags, graphics, dims, len(pages), images, figures)
    if not body_md.strip() and not title_text:
        raise _fail("no text layer: the PDF is scanned images; OCR it first")
    text = (f"# {title_text}\n\n" if title_text else "") + body_md
    text = unicodedata.normalize("NFC", text).strip() + "\n"
    return Source(
        name=name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding="pdf",
        format="pdf",
        declared=Declared(title=title_text or None),
        figures=tuple(figures),
    )


def _layout(frags: list[_Frag], graphics, dims, n_pages: int, images=(), figures: list | None = None) -> tuple[str, str]:
    """(title, Markdown body); the figures kept from ``images`` (:mod:`.pdfimages`) are
    appended to ``figures``, each standing in the body as its marker."""
    drop = _furniture(frags, dims, n_pages)
    body0 = _body_size(frags)
    for i, f in enumerate(frags):
        # a short small label inside a chart or a drawing
        if f.size < 0.93 * body0 and len(f.text.strip()) <= 30 and _inside(f, graphics[f.page]):
            drop.add(i)
    keep = [i for i in range(len(frags)) if i not in drop]
    body = _body_size([frags[i] for i in keep] or frags)
    rest, note_ids = _footnotes(frags, keep, body)
    document = "\n".join(_MARK.sub("", f.text) for f in frags)

    lines: list[_Line] = []
    for page in range(n_pages):
        pf = [frags[i] for i in rest if frags[i].page == page]
        lines += _lines(pf, _gutter(pf, dims[page][0]))

    title_lines = _title(lines, body)
    title_ids = {id(ln) for ln in title_lines}
    # letterhead: page-one lines above the title (or above the first body-size line)
    if title_lines:
        top = title_lines[0].y1
        pre_box = {f.box for ln in lines if ln.page == 0 and ln.y0 > top and _letterhead_line(ln, body) for f in ln.frags}
        lines = [ln for ln in lines if not (ln.page == 0 and ln.y0 > top and id(ln) not in title_ids
                                           and (_letterhead_line(ln, body) or any(f.box in pre_box for f in ln.frags)
                                                and not _DATEISH.search(ln.text)))]
    blocks = _blocks(lines, body, graphics, title_ids)

    title = " ".join(_block_text(b, document) for b in blocks if b.kind == "title")
    title = _MARK.sub("", _squash(title))

    # text of each block; headings that do not look like headings become paragraphs
    out: list[_Block] = []
    for b in blocks:
        if b.kind == "title":
            continue
        b.text = _block_text(b, document)
        if b.kind == "h" and not _heading_ok(_MARK.sub("", b.text), len(b.lines)):
            b.kind = "p"
        out.append(b)
    # pre-title lines (a rubric, a dateline) go after the title as paragraphs: nothing else changes
    out = _rejoin(_with_images(out, images, title_lines), document)

    notes = _notes([frags[i] for i in note_ids], document)
    parts: list[str] = []
    for b in out:
        if b.kind == "img":
            parts.append(b.text)
            continue
        t = _MARK.sub(lambda m: f"[^{m.group(1)}]" if m.group(1) in notes else m.group(1), b.text).strip()
        if not t:
            continue
        if b.kind == "h":
            parts.append(f"## {t}")
        elif b.kind == "li":
            parts.append("- " + _BULLET.sub("", t, count=1))
        else:
            parts.append(_escape(t))
    if figures is not None:  # each kept image, with the caption lines as written just above
        written = dict(zip((id(b) for b in out if b.kind == "img" or b.text.strip()), parts, strict=False))
        figures += [FigureRef("", caption=tuple(written[i] for i in b.caption_ids if i in written), data=b.image)
                    for b in out if b.kind == "img"]
    for n in sorted(notes, key=int):
        parts.append(f"[^{n}]: " + _MARK.sub(r"\1", notes[n]))
    # list items one after another form one Markdown list
    md = ""
    for p in parts:
        if md:
            md += "\n" if p.startswith("- ") and md.rsplit("\n", 1)[-1].startswith("- ") else "\n\n"
        md += p
    return title, md


def _with_images(blocks: list[_Block], images, title_lines: list[_Line]) -> list[_Block]:
    """The blocks with a marker block where each figure stands (:func:`.pdfimages.place`);
    an image above the title on page one is letterhead, and one whose bytes we cannot write
    is left out (its caption stays a caption)."""
    top = title_lines[0].y1 if title_lines else None
    kept = [im for im in images if not (im.page == 0 and top is not None and im.y0 >= top - 2)]
    kept = [(im, data) for im in kept[:MAX_FIGURES] if (data := im.data()) is not None]

    def block(index: int) -> _Block:
        b = _Block("img", [], marker(index))
        b.image = kept[index][1]
        return b

    return place(blocks, [im for im, _ in kept], block) if kept else blocks


def _escape(t: str) -> str:
    """A paragraph must not start a Markdown construct by accident."""
    if re.match(r"^(#{1,6}\s|[-+*]\s|\d{1,3}[.)]\s|>)", t):
        return "\\" + t
    return t


def _rejoin(blocks: list[_Block], document: str) -> list[_Block]:
    """A paragraph cut by a column or page break goes on in the next one that starts in lower case
    (captions and credits in between move after it)."""
    out: list[_Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind in ("p", "li"):
            while True:
                j = i + 1
                while j < len(blocks) and j <= i + 4 and blocks[j].kind in ("cap", "credit", "img"):
                    j += 1
                if (j < len(blocks) and blocks[j].kind == "p" and not _OPEN_END.search(b.text)
                        and blocks[j].text[:1].islower()):
                    between = blocks[i + 1:j]
                    b.text = _join_text(b.text, blocks[j].text, document)
                    blocks = blocks[:i + 1] + blocks[j + 1:]
                    blocks[i + 1:i + 1] = between
                    if between:
                        break
                    continue
                break
        out.append(b)
        i += 1
    return out


def _notes(frags: list[_Frag], document: str) -> dict[str, str]:
    notes: dict[str, str] = {}
    last = None
    for f in frags:
        t = _squash(f.text)
        m = _NOTE_START.match(t)
        if m and (m.group(1) not in notes):
            last = m.group(1)
            notes[last] = t[m.end():].strip()
        elif last is not None:
            notes[last] = _join_text(notes[last], t, document)
    return {n: _squash(t.replace(_SOFT_HYPHEN, "")) for n, t in notes.items() if t}
