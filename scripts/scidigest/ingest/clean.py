"""Stage 2: Source -> Cleaned (body blocks + what was lifted out of the text).

Every raw block is classified once, in reading order, by general rules:

* boilerplate (widgets, counters, breadcrumbs, empty links, "Haut de page")
  is dropped and remembered in ``Cleaned.dropped``;
* metadata lines (datelines, "Publié le", bylines, kickers, "URL source:",
  category and tag lines) leave the body for ``Cleaned.meta_lines`` and the
  classification fields;
* the title is the first title-like line before the body starts (or a
  Markdown ``#`` heading); a later copy of it is dropped;
* an image credit (``©``, "Crédit", "Extrait de") and the caption right above
  it become one caption block;
* a numbered note whose number is glued to a word elsewhere
  (``stéréotaxique1``) becomes a Markdown footnote, wherever the page break
  put it;
* short title-like lines between paragraphs become ``##`` headings;
* a paragraph cut by a page break or a stray blank line is joined again.
Nothing else is removed or reworded.
"""

from __future__ import annotations

import re

from . import boilerplate as bp
from . import rules
from .figures import CAPTION_CUE, is_marker
from .hyphenation import join_hyphenated
from .model import Block, BlockKind, Cleaned, InputKind, Source
from .paragraphs import RawBlock
from .sanitize import clean_inline, escape_block_start, sanitize_html
from .textutil import (
    ends_open,
    fold,
    starts_lower,
    starts_upper,
    strip_markdown,
    words,
)

_CREDIT = re.compile(
    r"^(?:©|\(c\)\s|cr[ée]dits?\s*(?:photo|image)?\s*:|credits?\s*:|photo\s*:|image\s*:|illustration\s*:|"
    r"source\s*(?:de l[’']image|image)\s*:|extrait de\b|" + CAPTION_CUE + ")",
    re.I,
)
_NOTE_DEF = re.compile(r"^(\d{1,2})\s+(?=\S)")
_GLUED = re.compile(r"(?<![\w-])([^\W\d_]{2,})(\d{1,2})(?=[\s,.;:!?)»\]]|$)")
# cheap pre-test: a letter directly followed by a digit. Written digit-first (the look-behind
# checks the letter before it) so that the engine scans for the rare digits, not the letters:
# same answer as re.search(r"[^\W\d_]\d", text), several times faster.
_GLUED_HINT = re.compile(r"\d(?<=[^\W\d_]\d)")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])(\s+|$)")
_TITLE_END = re.compile(r"[.,;:]$")
_HEADING_END = re.compile(r"[.,;:»”\"]$")
_DIGIT = re.compile(r"\d")
_EMPHASISED_LINE = re.compile(r"(\*{1,2}|_{1,2})[^*_\n](?:.*[^*_\s])?\1")


def _title_like(text: str, n_lines: int) -> bool:
    if n_lines > 2:
        return False
    t = strip_markdown(text)
    return (
        8 <= len(t) <= 160
        and not _TITLE_END.search(t)
        and starts_upper(t)
        and 2 <= len(words(t)) <= 25
    )


def _heading_like(text: str, n_lines: int) -> bool:
    if n_lines != 1:
        return False
    t = strip_markdown(text)
    return (
        3 <= len(t) <= 120
        and not _HEADING_END.search(t)
        and starts_upper(t)
        and 1 <= len(words(t)) <= 16
    )


def _note_numbers(raw: list[RawBlock]) -> set[str]:
    """Numbers that appear both as a note start and glued to a word elsewhere."""
    starts = {m.group(1) for b in raw for m in [_NOTE_DEF.match(b.text)] if m}
    if not starts:
        return set()
    glued: set[str] = set()
    for b in raw:
        if not _GLUED_HINT.search(b.text):
            continue
        if _NOTE_DEF.match(b.text) and b.text.split()[0] in starts and len(b.text) < 600:
            continue
        for m in _GLUED.finditer(b.text):
            word, num = m.group(1), m.group(2)
            if num in starts and (word.isupper() or word[0].islower() or word[0].isupper()):
                glued.add(num)
    return glued


class _Classifier:
    """Walks the raw blocks once; keeps the state rules need (title seen, body started...)."""

    def __init__(self, kind: InputKind, raw: list[RawBlock]):
        self.kind = kind
        self.markdown = kind is InputKind.WEB_MARKDOWN
        self.out = Cleaned(input_kind=kind, blocks=[])
        self.raw = raw
        self.notes = _note_numbers(raw) if not self.markdown else set()
        self.body_started = False
        self.ctx = rules.Context(categories=self.out.categories)  # (the same list object)
        self.blank_before: list[int] = []  # parallel to out.blocks

    # -- helpers -----------------------------------------------------------
    def drop(self, text: str) -> None:
        self.out.dropped.append(text)

    def meta(self, text: str) -> None:
        self.out.meta_lines.append(text)

    def emit(self, block: Block, blank_before: int) -> None:
        self.out.blocks.append(block)
        self.blank_before.append(blank_before)
        if block.kind is BlockKind.PARAGRAPH:
            self.body_started = True

    # -- line-level rules shared by plain and Markdown sources -----------------
    def lift_line(self, line: str) -> bool:
        """Drop or lift one line that is not article text (the rules of :mod:`.rules`).
        True when consumed."""
        self.ctx.body_started = self.body_started
        self.ctx.title = self.out.title
        decision = rules.decide(line, self.ctx)
        if decision is None:
            return False
        self.apply(decision, line.strip())
        return True

    def apply(self, decision: rules.Decision, text: str) -> None:
        """Record a rule's decision: the line where it belongs, the parsed value in its field."""
        if isinstance(decision, rules.Drop):
            if text:
                self.drop(text)
            return
        (self.drop if decision.record == "dropped" else self.meta)(text)
        name, value = decision.field, decision.value
        out = self.out
        if name == "date":
            out.dates.append(value)
        elif name == "byline":
            out.bylines.append(value)
        elif name == "breadcrumb":
            out.breadcrumb = value
        elif name == "source_url":
            out.source_url = out.source_url or value
        elif name == "kicker":
            out.kicker = out.kicker or value
        elif name in ("categories", "tags"):
            self._add(out.categories if name == "categories" else out.tags, value)

    def _dated_head_block(self, rb: RawBlock) -> bool:
        """A short block before the body with a date line in it (a byline-and-date line joined
        with its share buttons by a text browser's wrapping): the date line is metadata, the
        rest goes with it."""
        if self.body_started or len(rb.lines) > 4 or len(rb.text) > 240 or not _DIGIT.search(rb.text):
            return False
        lines = rb.lines if len(rb.lines) > 1 else [rb.text]
        hits = ((ln, rules.date_of(ln)) for ln in lines)
        dated, hit = next(((ln, h) for ln, h in hits if h is not None), (None, None))
        if hit is None:
            hit = rules.date_of(rb.text)
            if hit is None:
                return False
        self.apply(rules.Lift("dated head block", "date", hit), dated or rb.text)
        for ln in lines:
            if ln is not dated and dated is not None:
                self.drop(ln)
        return True

    @staticmethod
    def _add(target: list[str], values: list[str]) -> None:
        for v in values:
            v = v.strip()
            if v and v not in target:
                target.append(v)

    # -- plain sources --------------------------------------------------------
    def plain(self) -> None:
        for rb in self.raw:
            if self.figure_marker(rb):
                continue
            # classify what will be published: markup that the sanitizer removes must not decide
            text = rb.text = sanitize_html(rb.text) if "<" in rb.text else rb.text
            # numbered note glued to a word elsewhere -> footnote
            m = _NOTE_DEF.match(text)
            if m and m.group(1) in self.notes and m.group(1) not in self.out.footnotes:
                self.out.footnotes[m.group(1)] = text[m.end():].strip()
                continue
            if _CREDIT.match(text):
                self.caption(text, rb.blank_before)
                continue
            if len(rb.lines) <= 2 and self.lift_line(text):
                continue
            if self._dated_head_block(rb):
                continue
            if len(text) <= 80 and bp.is_widget(text):
                self.drop(text)
                continue
            # a headline wrapped over three or four printed lines (PDF) is a title when stage 3b
            # chose it among the blocks before the article
            n_lines = min(len(rb.lines), 2) if rb.chosen_title and len(rb.lines) <= 4 else len(rb.lines)
            if self.out.title is None and not self.body_started and _title_like(text, n_lines):
                self.out.title = re.sub(r"^#{1,6}\s+", "", text)  # plain text: a "# " mark goes, "1." is words
                continue
            if self.body_started and _heading_like(text, len(rb.lines)) and rb is not self.raw[-1]:
                self.emit(Block(BlockKind.HEADING, text), rb.blank_before)
                continue
            self.emit(Block(BlockKind.PARAGRAPH, text), rb.blank_before)

    def figure_marker(self, rb: RawBlock) -> bool:
        """A reader's figure marker (:mod:`.figures`) stays where it is, read by no rule."""
        if rb.text[:1] != "\ue000" or not is_marker(rb.text):
            return False
        self.out.blocks.append(Block(BlockKind.IMAGE, rb.text.strip()))
        self.blank_before.append(rb.blank_before)
        return True

    def caption(self, credit: str, blank_before: int) -> None:
        lines = [credit]
        blocks = self.out.blocks
        if blocks and blank_before == 0 and blocks[-1].kind is BlockKind.PARAGRAPH and len(blocks[-1].text) <= 400:
            lines.insert(0, blocks.pop().text)
            self.blank_before.pop()
            self.body_started = any(b.kind is BlockKind.PARAGRAPH for b in blocks)
        self.out.blocks.append(Block(BlockKind.CAPTION, "  \n".join(lines), tuple(lines)))
        self.blank_before.append(blank_before)

    # -- Markdown sources -----------------------------------------------------
    def markdown_source(self) -> None:
        for rb in self.raw:
            if self.figure_marker(rb):
                continue
            if "<" in rb.text:
                rb.text = sanitize_html(rb.text)
                rb.lines = [sanitize_html(ln) for ln in rb.lines]
            first = rb.lines[0].strip()
            h = _MD_HEADING.match(first) if len(rb.lines) == 1 else None
            if h:
                level, text = len(h.group(1)), h.group(2)
                if bp.is_widget(text) or not text.strip():
                    self.drop(first)
                elif self.out.title is None and not self.body_started and level <= 2:
                    self.out.title = strip_markdown(text)
                elif self.out.title and fold(text) == fold(self.out.title):
                    self.drop(first)
                else:
                    self.emit(Block(BlockKind.HEADING, text), rb.blank_before)
                continue
            if _LIST_ITEM.match(rb.lines[0]):
                # group each item with its continuation lines: they stay or go together
                items: list[list[str]] = []
                for ln in rb.lines:
                    if _LIST_ITEM.match(ln) or not items:
                        items.append([ln])
                    else:
                        items[-1].append(ln)
                kept = []
                for item in items:
                    whole = " ".join(ln.strip() for ln in item)
                    if self.lift_line(whole) or not strip_markdown(whole):
                        continue
                    kept.extend(item)
                if kept:
                    self.emit(Block(BlockKind.LIST, "\n".join(kept), tuple(kept)), rb.blank_before)
                    self.body_started = True
                continue
            table = _table_rows(rb.lines)
            if table is not None:
                if len(table[0]) > 1:
                    self.emit(Block(BlockKind.TABLE, "\n".join(rb.lines), tuple(ln.strip() for ln in rb.lines)),
                              rb.blank_before)
                    self.body_started = True
                else:  # a one-column layout table ("| --- |"): its cells are paragraphs
                    for row in table[2:] if _DELIMITER_ROW.match(rb.lines[1].strip()) else table:
                        if row[0] and not self.lift_line(row[0]):
                            self.emit(Block(BlockKind.PARAGRAPH, row[0]), 1)
                continue
            if first.startswith(">"):
                self.emit(Block(BlockKind.QUOTE, rb.text, tuple(rb.lines)), rb.blank_before)
                self.body_started = True
                continue
            if len(rb.lines) <= 2 and self.lift_line(rb.text):
                continue
            if self._dated_head_block(rb):
                continue
            if _CREDIT.match(rb.text) or (rb.text[:1] in "*_" and _CREDIT.match(strip_markdown(rb.text))):
                # in Markdown the caption and its credit are often two paragraphs; an emphasised
                # caption right above (one blank line) is the credit's caption all the same
                prev = self.out.blocks[-1] if self.out.blocks else None
                joined = (rb.blank_before == 1 and prev is not None and prev.kind is BlockKind.PARAGRAPH
                          and len(prev.text) <= 300 and _EMPHASISED_LINE.fullmatch(prev.text.strip()))
                self.caption(rb.text, 0 if joined else rb.blank_before)
                continue
            if self.out.title is None and not self.body_started and _title_like(rb.text, len(rb.lines)):
                self.out.title = strip_markdown(rb.text)
                continue
            self.emit(Block(BlockKind.PARAGRAPH, rb.text), rb.blank_before)


def _rejoin_cut_paragraphs(blocks: list[Block], document: str) -> list[Block]:
    """Join a paragraph cut by a page break or a stray blank line."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind is BlockKind.PARAGRAPH
            and b.kind is BlockKind.PARAGRAPH
            and starts_lower(b.text)
            and (ends_open(prev.text) or prev.text.endswith("-"))
        ):
            glue = join_hyphenated(prev.text, b.text, document) or f"{prev.text} {b.text}"
            out[-1] = Block(BlockKind.PARAGRAPH, glue)
            continue
        out.append(b)
    return out


def _link_footnotes(text: str, notes: dict[str, str]) -> str:
    def repl(m: re.Match) -> str:
        return f"{m.group(1)}[^{m.group(2)}]" if m.group(2) in notes else m.group(0)

    return _GLUED.sub(repl, text) if _GLUED_HINT.search(text) else text


_DELIMITER_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def _table_rows(lines: list[str]) -> list[list[str]] | None:
    """The cells of a pipe table (every line starts with ``|``; a delimiter row second), else None."""
    if len(lines) < 2 or not all(ln.lstrip().startswith("|") for ln in lines):
        return None
    if not _DELIMITER_ROW.match(lines[1].strip()):
        return None
    return [_cells(ln) for ln in lines]


def _table_line(inline, line: str) -> str:
    """A table row with each cell's inline text cleaned like any text (pipes kept as structure)."""
    return "| " + " | ".join(inline(c) if c else "" for c in _cells(line)) + " |"


def _finish_block(b: Block, markdown: bool, notes: dict[str, str]) -> Block:
    def inline(t: str) -> str:
        t = bp.unwrap_empty_links(t) if markdown else t
        t = clean_inline(t, markdown_source=markdown)
        if notes and not markdown:
            t = _link_footnotes(t, notes)
        return t

    if b.kind is BlockKind.CAPTION:
        lines = tuple(escape_block_start(inline(ln)) for ln in b.lines)
        return Block(b.kind, "  \n".join(lines), lines)
    if b.kind in (BlockKind.LIST, BlockKind.QUOTE):
        lines = tuple(inline(ln) for ln in b.lines)
        return Block(b.kind, "\n".join(lines), lines)
    if b.kind is BlockKind.TABLE:
        lines = tuple(ln if i == 1 else _table_line(inline, ln) for i, ln in enumerate(b.lines))
        return Block(b.kind, "\n".join(lines), lines)
    text = inline(b.text)
    if b.kind is BlockKind.HEADING:
        return Block(b.kind, text.lstrip("#").strip())
    return Block(b.kind, escape_block_start(text) if not markdown else text)


#: "À propos de l'INSOL", "About the Museum of the Marches", "Notes to editors", "Qui sommes-nous ?"
_ABOUT = re.compile(
    r"^(?:#{1,6}\s+)?\**(?:[àa]\s+propos\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])(?P<fr>\S)"
    r"|about\s+(?:the\s+|us\b|our\s+)?(?P<en>\S)|qui\s+sommes[- ]nous|notes?\s+(?:to|for|aux)\s+(?:editors|r[ée]dactions?))",
    re.I,
)


def _without_about_sections(blocks: list[Block], dropped: list[str]) -> list[Block]:
    """The publisher's boilerplate section after the article ("À propos de l'INSOL", "About the
    Museum...", "Notes to editors"), up to the next heading, goes. Evidence: a short unpunctuated
    heading line of that shape, after the body has started, naming a proper noun (capital) or
    standing in the last third of the document."""
    out: list[Block] = []
    skipping = False
    seen_paragraph = False
    for i, b in enumerate(blocks):
        if b.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH):
            text = b.text.strip()
            m = _ABOUT.match(text) if len(text) <= 100 and not text.endswith((".", "!")) else None
            if m and seen_paragraph and len(text.split()) <= 12:
                first = m.group("fr") or m.group("en")
                if first is None or first[:1].isupper() or i >= 2 * len(blocks) / 3:
                    dropped.append(b.text)
                    skipping = True
                    continue
            if b.kind is BlockKind.HEADING:
                skipping = False
        if skipping:
            dropped.append(b.text)
            continue
        seen_paragraph = seen_paragraph or b.kind is BlockKind.PARAGRAPH
        out.append(b)
    return out


def clean(source: Source, kind: InputKind, raw: list[RawBlock]) -> Cleaned:
    """Stage 4: classify and clean the blocks of a decoded source. Pure function."""
    markdown = kind is InputKind.WEB_MARKDOWN
    c = _Classifier(kind, raw)
    c.markdown_source() if markdown else c.plain()
    out = c.out
    blocks = _rejoin_cut_paragraphs(out.blocks, source.text)
    blocks = _without_about_sections(blocks, out.dropped)
    # a heading with nothing after it is not a heading
    while blocks and blocks[-1].kind is BlockKind.HEADING:
        out.dropped.append(blocks.pop().text)
    notes = {n: clean_inline(t, markdown_source=False) for n, t in out.footnotes.items()}
    out.footnotes = notes
    out.blocks = [_finish_block(b, markdown, notes) for b in blocks]
    if out.title:
        out.title = " ".join(clean_inline(out.title, markdown_source=True).replace("\\", "").split())
    return out

