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


def normalise(text: str) -> str:
    """The text without the artefacts of the tool that extracted it (unchanged when none)."""
    if is_pandoc(text):
        text = strip_pandoc(text)
    return setext_to_atx(text)
