"""Markdown body -> translatable segments, and back.

Why line based: the ingest stage writes one block per line (paragraphs on
one line, ``## `` headings, ``[^N]:`` footnote definitions, caption lines
ending in a hard break then a ``{: .caption }`` line, lists, quotes and
tables one item / row per line).  Splitting every line into *literal*
pieces (list markers, ``> ``, ``## ``, table pipes, hard breaks, attribute
lists, fenced code...) and *text* pieces means a translation can only ever
replace text: the translated page has, by construction, the same lines,
headings, list items, table cells and footnotes as the original.  Inline
structure inside a text piece (links, footnote markers, code, HTML) is the
job of :mod:`scidigest.translate.protect`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .protect import structural_tokens


@dataclass(frozen=True)
class Piece:
    """A run of a line: ``text`` is translated when ``translatable``."""

    text: str
    translatable: bool = False


@dataclass(frozen=True)
class Line:
    kind: str  # blank, code, verbatim, heading, paragraph, list, quote, table, footnote
    pieces: tuple[Piece, ...]

    @property
    def skeleton(self) -> tuple[str, ...]:
        """The literal pieces, with a marker where text goes."""
        return tuple("\u2026" if p.translatable else p.text for p in self.pieces)


@dataclass(frozen=True)
class Document:
    lines: tuple[Line, ...]

    @property
    def segments(self) -> list[str]:
        """Translatable texts, in reading order."""
        return [p.text for line in self.lines for p in line.pieces if p.translatable]


_FENCE = re.compile(r"^\s*(```+|~~~+)")
_ATTR_LINE = re.compile(r"^\s*\{:[^{}]*\}\s*$")
_HR = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_HEADING = re.compile(r"^(\s{0,3}#{1,6}\s+)(.*?)(\s+#+)?$")
_TABLE = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_SEP = re.compile(r"^[\s|:\-]+$")
_LINKDEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s+\S+")
_FOOTDEF = re.compile(r"^(\[\^[^\]]+\]:\s*)(.*)$")
_CONTAINER = re.compile(r"^(\s*>\s?|\s*(?:[-*+]|\d{1,9}[.)])(?:\s+|$)|\s+)")
_HTML_BLOCK = re.compile(r"^\s*</?(div|table|thead|tbody|tr|td|th|figure|figcaption|p|details|summary|section|aside|iframe|script|style|pre|ul|ol|li|hr|img|!--)\b", re.I)
_ADMONITION = re.compile(r"^\s*(!!!|\?\?\?\+?)\s")
_TRAIL = re.compile(r"(\s*\{:[^{}]*\}|  +|\\)$")


def _text_pieces(s: str) -> list[Piece]:
    """Split leading/trailing whitespace and trailing hard breaks off a text."""
    suffix = ""
    while True:
        m = _TRAIL.search(s)
        if not m or m.start() == 0:
            break
        suffix = m.group(0) + suffix
        s = s[: m.start()]
    core = s.strip()
    if not core:
        return [Piece(s + suffix)] if s + suffix else []
    lead = s[: len(s) - len(s.lstrip())]
    tail = s[len(s.rstrip()) :]
    out = [Piece(lead)] if lead else []
    if any(ch.isalpha() for ch in core):
        out.append(Piece(core, True))
    else:
        out.append(Piece(core))
    if tail + suffix:
        out.append(Piece(tail + suffix))
    return out


def _table_pieces(line: str) -> list[Piece]:
    cells = re.split(r"(?<!\\)(\|)", line)
    out: list[Piece] = []
    for c in cells:
        if c == "|":
            out.append(Piece("|"))
        elif c:
            out.extend(_text_pieces(c))
    return out


def _merge(pieces: list[Piece]) -> tuple[Piece, ...]:
    merged: list[Piece] = []
    for p in pieces:
        if merged and not p.translatable and not merged[-1].translatable:
            merged[-1] = Piece(merged[-1].text + p.text)
        elif p.text:
            merged.append(p)
    return tuple(merged)


def parse_line(line: str) -> Line:
    """Classify one line (outside code fences) into literal and text pieces."""
    if not line.strip():
        return Line("blank", (Piece(line),) if line else ())
    if _ATTR_LINE.match(line) or _HR.match(line) or _LINKDEF.match(line) or _HTML_BLOCK.match(line) or _ADMONITION.match(line):
        return Line("verbatim", (Piece(line),))
    m = _HEADING.match(line)
    if m:
        return Line("heading", _merge([Piece(m.group(1)), *_text_pieces(m.group(2)), Piece(m.group(3) or "")]))
    if _TABLE.match(line):
        if _TABLE_SEP.match(line):
            return Line("verbatim", (Piece(line),))
        return Line("table", _merge(_table_pieces(line)))
    m = _FOOTDEF.match(line)
    if m:
        return Line("footnote", _merge([Piece(m.group(1)), *_text_pieces(m.group(2))]))
    prefix = ""
    rest = line
    kind = "paragraph"
    while True:
        m = _CONTAINER.match(rest)
        if not m or not m.group(0):
            break
        token = m.group(0)
        if ">" in token:
            kind = "quote"
        elif token.strip():
            kind = "list" if kind == "paragraph" else kind
        prefix += token
        rest = rest[len(token) :]
    if not rest:
        return Line(kind, (Piece(line),))
    return Line(kind, _merge([Piece(prefix), *_text_pieces(rest)]))


def parse(body: str) -> Document:
    """Split a Markdown body into lines of literal and translatable pieces."""
    lines: list[Line] = []
    fence: str | None = None
    for raw in body.split("\n"):
        m = _FENCE.match(raw)
        if fence is not None:
            lines.append(Line("code", (Piece(raw),)))
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not raw.strip()[len(m.group(1)):].strip():
                fence = None
            continue
        if m:
            fence = m.group(1)
            lines.append(Line("code", (Piece(raw),)))
            continue
        lines.append(parse_line(raw))
    return Document(tuple(lines))


def render(doc: Document, translations: list[str] | tuple[str, ...]) -> str:
    """The body with each text piece replaced by its translation, in order."""
    it = iter(translations)
    out = []
    for line in doc.lines:
        out.append("".join(next(it) if p.translatable else p.text for p in line.pieces))
    rest = list(it)
    if rest:
        raise ValueError(f"{len(rest)} translations left over")
    return "\n".join(out)


def skeleton_of(body: str, terms: tuple[str, ...] | None = None) -> list[tuple]:
    """What a faithful translation must keep: per line, its kind, its literal
    pieces and the structural inline spans (link targets, footnote markers,
    code, inline HTML, emphasis) of its text.  Compare two bodies with ``==``."""
    out = []
    for line in parse(body).lines:
        spans = []
        for p in line.pieces:
            if p.translatable:
                spans.extend(structural_tokens(p.text, terms))
        out.append((line.kind, line.skeleton, tuple(sorted(spans))))
    return out
