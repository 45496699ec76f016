"""Stage 2a: raw text -> input kind and raw blocks (real paragraphs rebuilt).

PDF extraction gives one line per printed line: paragraphs are hard-wrapped,
words are hyphenated at line ends, a page break drops a footnote into the
middle of the text, and some extractors put a blank line after *every* line.
Web pages give one line per paragraph (plain text) or Markdown.

The kind is detected from the text alone. Paragraphs are rebuilt from the cues
the text gives, never from fixed widths: blank lines (except in double-spaced
extractions, where a single blank line means nothing), trailing double spaces
(a hard break), an indented first line, a short line that ends a sentence, and
a next line that starts in lower case (the sentence goes on).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .dates import find_date
from .hyphenation import join_hyphenated
from .model import InputKind
from .textutil import collapse_spaces, ends_sentence, starts_lower

# One alternation, one search per line: headings, links, list items, bold lead-ins, quotes, rules.
_MD_SIGNAL = re.compile(
    r"^#{1,6}\s+\S|\[[^\]]*\]\([^)]*\)|^\s*[-*+]\s+\S|^\*\*[^*]+\*\*|^\s*>\s|^(?:---|\*\*\*|___)\s*$"
    r"|^\|\s*:?-{3,}:?\s*\|"  # a pipe table's delimiter row
)
_MD_FIRST = frozenset("#-*+>_|")
_YEAR_ANYWHERE = re.compile(r"(?:1[89]|20)\d\d")


@dataclass
class RawBlock:
    """A paragraph-sized piece of the source, before it is classified."""

    text: str  # lines joined into running text
    lines: list[str]  # the source lines (stripped) it was built from
    blank_before: int = 0  # blank lines between the previous block and this one
    page_break_before: bool = False  # a whitespace-only filler line (PDF page foot) came before
    chosen_title: bool = False  # stage 3b scored it the title among the blocks before the article


def detect_kind(text: str) -> InputKind:
    """Guess what produced the text, from the text alone."""
    lines = text.split("\n")
    stripped = [ln.strip() for ln in lines]
    idx = [i for i, s in enumerate(stripped) if s]
    if not idx:
        return InputKind.WEB_TEXT
    # _MD_SIGNAL can only match a line whose first non-space character is one of _MD_FIRST, or
    # that holds "](" (a link): test that first, run the regex on those lines only
    md = 0
    for i in idx:
        if (stripped[i][0] in _MD_FIRST or "](" in lines[i]) and _MD_SIGNAL.search(lines[i]):
            # a pipe table's delimiter row is Markdown by itself; other signals need company
            md += 3 if stripped[i][0] == "|" else 1
    if md >= 3 and md >= len(idx) * 0.05:
        return InputKind.WEB_MARKDOWN
    # A wrapped line ends mid-sentence and the text goes on in lower case on the next line.
    cuts = 0
    followed_by_one_blank = 0
    for a, b in zip(idx, idx[1:]):
        first = stripped[a]
        if (stripped[b][0].islower() or first[-1] == "-") and not ends_sentence(first):
            cuts += 1
        if b - a == 2:
            followed_by_one_blank += 1
    long_lines = [n for n in map(len, stripped) if n >= 20]
    median = statistics.median(long_lines) if long_lines else 0
    pairs = max(1, len(idx) - 1)
    if cuts / pairs >= 0.15 and median <= 160:
        if followed_by_one_blank / pairs >= 0.6:
            return InputKind.PDF_DOUBLE_SPACED
        return InputKind.PDF_WRAPPED
    return InputKind.WEB_TEXT


@dataclass
class _Line:
    text: str
    indent: int
    hard: bool  # ended with two or more spaces: the author's line break


def _join(a: str, b: str, document: str) -> str:
    """Join two wrapped lines, resolving a line-end hyphen."""
    joined = join_hyphenated(a, b, document)
    return f"{a} {b}" if joined is None else joined


def plain_blocks(text: str, kind: InputKind) -> list[RawBlock]:
    """Rebuild paragraphs of a PDF extraction or plain-text web page."""
    raw = text.split("\n")
    items: list[_Line | str | None] = []  # None = blank line, "page" = whitespace filler
    for ln in raw:
        if not ln.strip():
            items.append("page" if len(ln) >= 10 else None)
            continue
        stripped = ln.rstrip("\n")
        indent = len(stripped) - len(stripped.lstrip(" \t\u00a0"))
        hard = stripped.endswith(("  ", "\t"))
        items.append(_Line(collapse_spaces(stripped.strip(" \t")), indent, hard))

    if kind is InputKind.PDF_DOUBLE_SPACED:
        # One blank line after every line carries no meaning: drop lone blanks.
        squeezed: list[_Line | str | None] = []
        for i, it in enumerate(items):
            if it is None and 0 < i < len(items) - 1 and isinstance(items[i - 1], _Line) and isinstance(items[i + 1], _Line):
                continue
            squeezed.append(it)
        items = squeezed

    lengths = sorted(len(it.text) for it in items if isinstance(it, _Line))
    width = lengths[int(len(lengths) * 0.9)] if lengths else 80
    long_enough = 0.7 * width

    blocks: list[RawBlock] = []
    current: list[_Line] = []
    blank_run = 0
    page = False
    pending_blank, pending_page = 0, False

    def flush() -> None:
        nonlocal current, pending_blank, pending_page
        if not current:
            return
        joined = current[0].text
        for line in current[1:]:
            joined = _join(joined, line.text, text)
        blocks.append(RawBlock(joined, [c.text for c in current], pending_blank, pending_page))
        current = []

    for it in items:
        if not isinstance(it, _Line):
            if current:
                flush()
                blank_run, page = 0, False
            blank_run += 1
            page = page or it == "page"
            continue
        if not current:
            pending_blank, pending_page = blank_run, page
            blank_run, page = 0, False
            current = [it]
            continue
        prev = current[-1]
        continues = (
            not prev.hard
            # a dateline or rubric line with a date ends its block (pypdf and pdfminer give no
            # blank line between it and the headline)
            and not (_YEAR_ANYWHERE.search(prev.text) and not starts_lower(it.text) and find_date(prev.text))
            and not (it.indent > prev.indent and ends_sentence(prev.text))
            and (
                prev.text.endswith("-")
                or starts_lower(it.text)
                or (len(prev.text) >= long_enough and kind is not InputKind.WEB_TEXT)
            )
        )
        if continues:
            current.append(it)
        else:
            flush()
            pending_blank, pending_page = 0, False
            current = [it]
    flush()
    return blocks


_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_MD_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||!\[|```|:::|---|\*\*\*|___|=)")


def _wrap_width(lines: list[str]) -> int:
    """The column a hard-wrapping writer (html2text, pandoc) wrapped the text at, or 0 when the
    text is not hard-wrapped (one line per paragraph): many lines end within a few columns of
    the longest ordinary line."""
    lengths = [len(ln.rstrip()) for ln in lines if 40 <= len(ln.rstrip()) <= 120 and "](" not in ln]
    if len(lengths) < 10:
        return 0
    lengths.sort()
    top = lengths[int(0.85 * len(lengths))]  # (a few unbreakable long lines pass the width)
    near = sum(1 for n in lengths if top - 12 <= n <= top + 2)
    return top if near >= 0.3 * len(lengths) else 0


def markdown_blocks(text: str) -> list[RawBlock]:
    """Blocks of a Markdown page: blank-line separated, lines kept for lists.

    An ATX heading is a block of its own even without blank lines around it,
    as in Markdown itself.
    """
    blocks: list[RawBlock] = []
    current: list[str] = []
    blank_run = 0
    pending = 0
    lines = text.split("\n")
    width = _wrap_width(lines)
    skip = False
    for i, ln in enumerate(lines):
        if skip:
            skip = False
            continue
        if _ATX_HEADING.match(ln):
            if current:
                blocks.append(RawBlock(" ".join(c.strip() for c in current), current, pending))
            heading, kept = ln.strip(), [ln.rstrip()]
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if (width and len(ln.rstrip()) >= width - 12 and nxt.strip() and not _MD_BLOCK_START.match(nxt)
                    and (i + 2 >= len(lines) or not lines[i + 2].strip())):
                # html2text wraps headings at its body width like any line: the next line goes on
                heading, kept, skip = f"{heading} {nxt.strip()}", kept + [nxt.rstrip()], True
            blocks.append(RawBlock(heading, kept, blank_run if not current else 0))
            current, blank_run, pending = [], 0, 0
            continue
        if not ln.strip():
            if current:
                blocks.append(RawBlock(" ".join(c.strip() for c in current), current, pending))
                current = []
            blank_run += 1
            continue
        if not current:
            pending, blank_run = blank_run, 0
        current.append(ln.rstrip())
    if current:
        blocks.append(RawBlock(" ".join(c.strip() for c in current), current, pending))
    return blocks


def rebuild_paragraphs(text: str, kind: InputKind) -> list[RawBlock]:
    """Stage 3: the text's blocks in reading order, paragraphs rebuilt for its kind."""
    return markdown_blocks(text) if kind is InputKind.WEB_MARKDOWN else plain_blocks(text, kind)
