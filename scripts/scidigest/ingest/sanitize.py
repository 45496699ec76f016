"""Make body text safe Markdown: harmless inline HTML stays, everything else goes.

HTML is cleaned by ``nh3`` (the Ammonia sanitizer), never by regular
expressions: ``5-HT<sub>2B</sub>`` survives, ``<script>``/``<iframe>`` (with
their content), event attributes and ``javascript:`` URLs do not. nh3 returns
entity-escaped HTML, so text between the allowed tags is unescaped again and
only ``<`` is re-escaped: the Markdown stays readable (``&`` not ``&amp;``)
and no new tag can appear.

Markdown links are checked too (``[x](javascript:...)`` keeps its text only),
and a plain-text paragraph that happens to start like Markdown block syntax
(``1. ``, ``- ``, ``#``, ``>``, four spaces) is escaped so it stays a paragraph.
Reference definitions to anything but http(s)/mailto/anchors keep their label only, and
attribute lists (``{: onclick=... }``, which ``attr_list`` would put on the element) keep
only plain ``#id`` and ``.class`` entries: the rule ``scidigest check`` enforces
(:mod:`scidigest.check.html`), so what ingest writes always passes it.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset({"sub", "sup", "em", "strong", "i", "b", "code", "abbr", "br", "small", "mark"})
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
_ALLOWED_TAG_RE = re.compile(r"</?(?:" + "|".join(sorted(ALLOWED_TAGS)) + r")\s*/?>")
_MD_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)")


_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>]+>", re.I)
_NUMBERED = re.compile(r"^\d+[.)](\s|$)")
_NUMBERED_MARK = re.compile(r"^(\d+)([.)])")
_BULLET = re.compile(r"^([-*+])(\s|$)")
_ATX = re.compile(r"^(#{1,6})(\s|$)")
_LINK_REFERENCE = re.compile(r"^\[[^\]]*\]:")
_INLINE_MARK = re.compile(r"(?<!\\)([*_`])")
# (a footnote definition "[^1]: Dumontet C. et al." is no link reference: its label starts with ^)
_REFERENCE_DEFINITION = re.compile(r"(?m)^([ ]{0,3})\[([^\]\n^][^\]\n]*)\]:[ \t]*(<[^>\n]*>|\S*)")
_ATTR_ENTRY = re.compile(r"""[^\s=}]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s}]*)|[^\s=}]+""")
_SAFE_NAME = re.compile(r"[#.](?!__)[A-Za-z0-9_-]+")


def sanitize_html(text: str) -> str:
    """Inline HTML reduced to :data:`ALLOWED_TAGS`, without attributes.

    Markdown autolinks (``<https://...>``) are not HTML and are kept as they are.
    """
    if "<" not in text and "&" not in text:
        return text
    if _AUTOLINK.search(text):
        parts = _AUTOLINK.split(text)
        links = _AUTOLINK.findall(text)
        out = [_sanitize(parts[0])]
        for link, part in zip(links, parts[1:]):
            out += [link, _sanitize(part)]
        return "".join(out)
    return _sanitize(text)


def _sanitize(text: str) -> str:
    if "<" not in text and "&" not in text:
        return text
    cleaned = nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={},
        clean_content_tags=_DROP_WITH_CONTENT,
        strip_comments=True,
        link_rel=None,
    )
    out: list[str] = []
    pos = 0
    for m in _ALLOWED_TAG_RE.finditer(cleaned):
        out.append(html.unescape(cleaned[pos : m.start()]).replace("<", "&lt;"))
        out.append(m.group(0))
        pos = m.end()
    out.append(html.unescape(cleaned[pos:]).replace("<", "&lt;"))
    return "".join(out)


def safe_links(text: str) -> str:
    """Markdown links/images to anything but http(s)/mailto/anchors lose their target."""

    def fix(m: re.Match) -> str:
        bang, label, target = m.group(1), m.group(2), m.group(3)
        lowered = target.lower()
        if lowered.startswith(("http://", "https://", "mailto:")) or (lowered.startswith("#") and len(lowered) > 1):
            return m.group(0)
        return label if not bang else ""

    return _MD_LINK.sub(fix, text)


def _allowed_target(target: str) -> bool:
    t = target.strip("<>").strip().lower()
    return t.startswith(("http://", "https://", "mailto:")) or (t.startswith("#") and len(t) > 1)


def safe_reference_definitions(text: str) -> str:
    """``[ref]: javascript:...`` keeps its label only (as text); http(s)/mailto/anchors stay."""
    if "]:" not in text:
        return text

    def fix(m: re.Match) -> str:
        return m.group(0) if _allowed_target(m.group(3)) else f"{m.group(1)}{m.group(2)}"

    return _REFERENCE_DEFINITION.sub(fix, text)


def attr_list_braces(text: str):
    """(open, close) offsets of every ``{...}`` on one line, the places attr_list could read
    as an attribute list (its own pattern, found without backtracking). Shared by this
    module's cleaning and by ``scidigest check``'s report, so both judge the same braces."""
    pos = 0
    while True:
        i = text.find("{", pos)
        if i < 0:
            return
        nl = text.find("\n", i)
        nl = len(text) if nl < 0 else nl
        close = text.find("}", i, nl)
        if close < 0:
            pos = nl + 1
            continue
        yield i, close
        pos = close + 1


def safe_attr_lists(text: str) -> str:
    """Every ``{...}`` attr_list could read keeps only its plain ``#id``/``.class`` entries
    (``{: .caption }`` stays; ``{: onclick="..." .x }`` becomes ``{: .x }``; a list with
    nothing safe left goes). Braces holding only words (``{sic}``) are text and stay.
    One pass over the text, no backtracking."""
    if "{" not in text or "}" not in text:
        return text
    out, pos = [], 0
    for i, close in attr_list_braces(text):
        inside = text[i + 1 : close]
        entries = _ATTR_ENTRY.findall(inside[1:] if inside.startswith(":") else inside)
        if any("=" in e or e[:1] in "#." for e in entries):
            kept = [e for e in entries if _SAFE_NAME.fullmatch(e)]
            out.append(text[pos:i].rstrip(" ") if not kept else text[pos:i])
            if kept:
                out.append("{: " + " ".join(kept) + " }")
        else:
            out.append(text[pos : close + 1])
        pos = close + 1
    out.append(text[pos:])
    return "".join(out)


def escape_block_start(text: str) -> str:
    """Escape a plain-text paragraph start that Markdown would read as block syntax."""
    t = text.lstrip()
    if _NUMBERED.match(t):
        return _NUMBERED_MARK.sub(r"\1\\\2", t, count=1)
    if _BULLET.match(t) or _ATX.match(t) or t.startswith((">", "=", "|", "```", "~~~")):
        return "\\" + t
    if _LINK_REFERENCE.match(t):  # would be a link reference definition
        return "\\" + t
    return t


def escape_inline(text: str) -> str:
    """Neutralise stray Markdown emphasis/code markers in plain text (not in Markdown sources)."""
    if "*" not in text and "_" not in text and "`" not in text:
        return text
    return _INLINE_MARK.sub(r"\\\1", text)


def clean_inline(text: str, *, markdown_source: bool) -> str:
    """All inline rules for one block of body text."""
    text = sanitize_html(text)
    if markdown_source:
        text = safe_reference_definitions(safe_links(text))
    else:
        text = escape_inline(text)
    return safe_attr_lists(text)
