"""Extractor artefacts: markup an extraction tool adds that is neither text nor Markdown we render.

Stage 1b, on text sources only (the HTML and PDF readers write clean Markdown themselves).
Each rule fires on the *evidence* of the tool that wrote the text, never on its wording:

* **pandoc** (``pandoc -t markdown`` of a web page) writes fenced divs (``::: {#main .site}``),
  attribute blocks after headings, links and spans (``{#id .class key="v"}``, wrapped over
  lines at 72 columns), bracketed spans (``[Publié le 18 juin 2022]{.posted-on}``), raw-HTML
  wrappers and ``---`` for an em dash. The fences and attributes go; a span keeps its text.
  A fence's classes are not used: the block classifier judges the content (link density,
  length...), so a ``cookie-notice`` div is dropped because it reads like one, not by its name.

* **setext headings** (markdownify's default, and plain-text habit): a line underlined by
  ``===`` or ``---`` about as long as itself, standing alone, becomes an ATX heading (``#`` or
  ``##``), which is what every later stage reads.

* **two-column ``pdftotext -layout``** text: on each page (form feeds split pages), a gutter
  is a band of columns that is blank on nearly every line that has text on both sides of it,
  with many such lines. Between full-width lines (a headline across both columns), the left
  column is read before the right one.

A text with no such evidence passes through unchanged (same object), so the seeds and any
plain text give the same bytes as before this stage existed.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}:{3,}(?:[ \t]*\{[^}\n]*\}|[ \t]+[\w.#-]+)?[ \t]*$|^ {0,3}:{3,}[ \t]*$", re.M)
# one attribute: #id, .class, key=value or key="value"; a block is one or more of them in braces,
# possibly wrapped over lines (pandoc wraps at 72 columns)
_ATTR = r'(?:[#.][\w:.\-]+|[\w\-]+=(?:"[^"\n]*"|[^\s}"]+))'
_ATTR_BLOCK = re.compile(r"\{[ \t\n]*" + _ATTR + r"(?:[ \t\n]+" + _ATTR + r")*[ \t\n]*\}")
# a bracketed span with no brackets inside: [text]{...} -> text (applied until none is left)
_SPAN = re.compile(r"\[([^\[\]]*)\]\{[ \t\n]*" + _ATTR + r"(?:[ \t\n]+" + _ATTR + r")*[ \t\n]*\}")
_LINK_ATTR = re.compile(r"(\]\([^()\s]*(?:\([^()\s]*\))?[^()\s]*\))\{[ \t\n]*" + _ATTR
                        + r"(?:[ \t\n]+" + _ATTR + r")*[ \t\n]*\}")
_HEADING_ATTR = re.compile(r"^(#{1,6}[ \t].*?)[ \t]*\{[ \t]*" + _ATTR + r"(?:[ \t]+" + _ATTR + r")*[ \t]*\}[ \t]*$",
                           re.M)
_RAW_HTML_ATTR = re.compile(r"`[^`\n]*`\{=html\}")
_EM_DASH = re.compile(r"(?<=[\w\s\]*_])---(?=[\s\[\w*_])")
_EN_DASH = re.compile(r"(?<=[\d\s])--(?=[\s\d])")
_SUPERSCRIPT = re.compile(r"\^([^\s^]{1,40})\^")
_ESCAPED_APOS = re.compile(r"\\(['\"])")


def is_pandoc(text: str) -> bool:
    """Evidence of pandoc's Markdown writer: fenced divs or attribute blocks, several times."""
    if "{" not in text and ":::" not in text:
        return False
    fences = len(_FENCE.findall(text))
    attrs = text.count("]{") + text.count("){") + len(_HEADING_ATTR.findall(text))
    return fences >= 2 or attrs >= 3


def strip_pandoc(text: str) -> str:
    text = _RAW_HTML_ATTR.sub("", text)
    text = _FENCE.sub("", text)
    text = _HEADING_ATTR.sub(r"\1", text)
    text = _LINK_ATTR.sub(r"\1", text)
    for _ in range(8):  # nested spans unwrap from the inside; eight levels is beyond any page
        new = _SPAN.sub(r"\1", text)
        if new == text:
            break
        text = new
    text = _ATTR_BLOCK.sub("", text)
    text = _SUPERSCRIPT.sub(r"\1", text)
    text = _EM_DASH.sub("—", text)
    text = _EN_DASH.sub("–", text)
    text = _ESCAPED_APOS.sub(r"\1", text)
    return text


#: the line is ``(?=[^\n]*\S)([^\n]+)``, not ``([^\n]*\S[^\n]*)``: the same lines, but the
#: latter backtracks quadratically on every long line that no rule follows (24 ms per page)
_SETEXT = re.compile(r"(?:^|(?<=\n\n))(?=[^\n]*\S)([^\n]+)\n[ \t]{0,3}(=+|-+)[ \t]*(?=\n|$)")


def _setext(m: re.Match) -> str:
    line, rule = m.group(1), m.group(2)
    text = line.strip()
    if (len(rule) < 3 or len(rule) < 0.5 * len(text) or text.startswith(("#", ">", "|", "-", "*", "+"))
            or re.match(r"\d+[.)]\s", text)):
        return m.group(0)
    return ("# " if rule[0] == "=" else "## ") + text


def setext_to_atx(text: str) -> str:
    if "==" not in text and "--" not in text:
        return text
    new = _SETEXT.sub(_setext, text)
    return text if new == text else new


_WIDE_GAP = re.compile(r"\S {4,}\S")


def _gutter(lines: list[str]) -> int | None:
    """The column where the right-hand column starts, or None when the page is one column."""
    body = [ln.rstrip() for ln in lines if ln.strip()]
    if len(body) < 6 or sum(1 for ln in body if _WIDE_GAP.search(ln)) < 0.3 * len(body):
        return None
    width = max(len(ln) for ln in body)
    best, best_score = None, 0
    for c in range(20, width - 15):
        blank = 0
        for ln in body:
            if len(ln) > c + 1 and not ln[c - 2:c + 1].strip() and ln[:c - 2].strip() and ln[c + 1:].strip():
                blank += 1
        # lines with text on both sides and a blank band between them are two-column lines;
        # full-width lines (a lede across the page) cross the band and are allowed
        if blank >= max(5, 0.25 * len(body)) and blank > best_score:
            best, best_score = c, blank
    if best is None:
        return None
    # the right column starts at the first column after the gap that holds text on a line
    starts = [len(ln) - len(ln[best:].lstrip()) for ln in body if len(ln) > best and ln[best:].strip()
              and not ln[best - 1:best].strip()]
    return min(starts) if starts else best


_SENTENCE_END = re.compile(r"[.!?:;»”\"')]$")


def _mend(column: list[str]) -> list[str]:
    """A blank row inside a column where the sentence goes on (lower case after, no full stop
    before) comes from the other column's figure or heading: the sentence is joined again."""
    out: list[str] = []
    for i, ln in enumerate(column):
        if (not ln and out and out[-1] and i + 1 < len(column) and column[i + 1][:1].islower()
                and not _SENTENCE_END.search(out[-1])):
            continue
        out.append(ln)
    return out


def _split_page(page: str) -> str:
    lines = page.split("\n")
    g = _gutter(lines)
    if g is None:
        return page
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []

    def flush() -> None:
        out.extend(_mend(left))
        if right:
            out.append("")
            out.extend(_mend(right))
        left.clear()
        right.clear()

    for ln in lines:
        ln = ln.rstrip()
        if not ln.strip():
            left.append("")  # a row blank across the page: a break in both columns
            right.append("")
            continue
        if len(ln) >= g and ln[g - 2:g].strip():
            flush()  # text runs into the gutter: a full-width line (headline, lede, caption)
            out.append(ln.strip())
            continue
        # a row with text in one column only is no paragraph break in the other one
        if ln[:g].strip():
            left.append(ln[:g].strip())
        if ln[g:].strip():
            right.append(ln[g:].strip())
    flush()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def split_layout_columns(text: str) -> str:
    """Two-column ``pdftotext -layout`` pages read column by column (unchanged when none is)."""
    if "    " not in text:
        return text
    pages = text.split("\f")
    new = [_split_page(p) for p in pages]
    return text if all(a is b for a, b in zip(new, pages)) else "\f".join(new)


def normalise(text: str) -> str:
    """The text without the artefacts of the tool that extracted it (unchanged when none)."""
    if is_pandoc(text):
        text = strip_pandoc(text)
    text = split_layout_columns(text)
    return setext_to_atx(text)
