"""Rule family ``html``: no raw HTML outside a few inline tags, no script links, no
attribute list that sets more than an id or a class, anywhere in docs/ (code blocks and
code spans excepted).

Every Markdown-level way to get script into a page is looked for, because it is not HTML
yet when a contributor writes it: links, images and reference definitions to
``javascript:``/``vbscript:``/``data:`` URLs (any casing, entity-encoded, with spaces or
control characters inside, split over lines), ``on*=`` and ``style=`` in raw tags and in
``attr_list`` attribute lists (``{: onclick="..." }``), URL attributes set through an
attribute list, and raw ``<script>``, ``<iframe>``, ``<object>``, ``<embed>``... The scan
runs over the whole body (offsets mapped back to lines), so a tag or a link split over two
lines is seen too."""

from __future__ import annotations

import bisect
import html as html_lib
import re

from ..ingest.sanitize import attr_list_braces
from .findings import ERROR, WARNING, Finding
from .tree import MarkdownFile, Tree

#: inline tags a contributor may write in Markdown
ALLOWED_TAGS = frozenset({
    "abbr", "b", "br", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s",
    "small", "span", "strong", "sub", "sup", "u", "wbr",
})
#: URL schemes that run script or carry a document (every data: URL: an article has no use for one)
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
#: what an attribute list may set: ``#id``, ``.class`` (and the same as ``id=``/``class=``)
ATTR_LIST_KEYS = frozenset({"id", "class"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "data",
                            "poster", "background", "cite", "ping"})

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
#: an HTML comment as a browser ends it: ``<!-->`` and ``<!--->`` are whole (empty) comments
_COMMENT = re.compile(r"<!--(?:-?>|.*?(?:--!?>|\Z))", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|\Z)([^>]*)>?")
_EVENT_ATTR = re.compile(r"(?i)(?:^|[\s/\"'])(on[a-z]+)\s*=")
_STYLE_ATTR = re.compile(r"(?i)(?:^|[\s/\"'])(style)\s*=")
_TARGETS = [
    re.compile(r"\]\(\s*<?\s*([^)\s>]+)"),  # [text](target), ![alt](target)
    re.compile(r"(?m)^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?(\S+?)>?[ \t]*(?:[ \t].*)?$"),  # [ref]: target
    re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>"),  # <scheme:...>
    re.compile(r"(?i)\b(?:href|src|action|formaction|xlink:href|srcset|data|poster|background)"
               r"\s*=\s*[\"']?\s*([^\"'\s>}]+)"),
]
_ATTR_TOKEN = re.compile(r"""([^\s=}]+)\s*=\s*("[^"]*"|'[^']*'|[^\s}]*)|([^\s=}]+)""")
_SAFE_VALUE = re.compile(r"[A-Za-z0-9_-]+")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")

NO_SCRIPT = "pages may not run scripts"


def _bad_scheme(target: str) -> str | None:
    t = _INVISIBLE.sub("", html_lib.unescape(target)).lower()
    for scheme in BAD_SCHEMES:
        if t.startswith(scheme):
            return scheme.rstrip(":")
    return None


def scan_lines(lines: list[str], first_line: int = 1):
    """Yield (line number, text) for prose lines, code blocks and spans removed."""
    fence = None
    for i, line in enumerate(lines, start=first_line):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
            continue
        if fence is not None:
            if m and m.group(1).startswith(fence):
                fence = None
            continue
        yield i, _code_spans(line, "")


def _code_spans(line: str, fill: str | None) -> str:
    """``line`` without its code spans (a run of n backticks up to the next run of exactly n);
    with ``fill`` a span is replaced by that many spaces instead. Linear in the line's length."""
    if "`" not in line:
        return line
    out, pos, opener = [], 0, None
    for run in _BACKTICKS.finditer(line):
        if opener is None:
            opener = run
        elif len(run.group(0)) == len(opener.group(0)):
            out.append(line[pos:opener.start()])
            out.append(" " * (run.end() - opener.start()) if fill is None else fill)
            pos, opener = run.end(), None
    out.append(line[pos:])
    return "".join(out)


def masked_body(text: str, first_line: int = 1) -> str:
    """``text`` with the lines before ``first_line`` (the front matter, checked field by field
    in the front-matter family), fenced code blocks, code spans and HTML comments blanked out
    (spaces, newlines kept), so offsets and line numbers stay those of the file."""
    lines = text.split("\n")
    head = [" " * len(line) for line in lines[: first_line - 1]]
    masked = "\n".join(head + [line for _, line in _masked_lines(lines[first_line - 1:])])
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)


def _masked_lines(lines: list[str]):
    """Every line, with code lines and code spans as blanks of the same length."""
    fence = None
    for i, line in enumerate(lines, start=1):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
            yield i, " " * len(line)
            continue
        if fence is not None:
            if m and m.group(1).startswith(fence):
                fence = None
            yield i, " " * len(line)
            continue
        yield i, _code_spans(line, None)


def _attr_lists(body: str):
    """(offset, inside) of every ``{...}`` that attr_list could read as an attribute list."""
    for i, close in attr_list_braces(body):
        inside = body[i + 1 : close]
        inside = (inside[1:] if inside.startswith(":") else inside).strip(" ")
        if inside:
            yield i, inside


def _attr_list_problems(body: str):
    """(offset, message, fix) for every attribute-list entry that is not a safe #id/.class."""
    for start, inside in _attr_lists(body):
        for t in _ATTR_TOKEN.finditer(inside):
            key, value, word = t.group(1), t.group(2), t.group(3)
            if word is not None:
                if word[:1] in "#." and _SAFE_VALUE.fullmatch(word[1:]) and not word[1:].startswith("__"):
                    continue
                if word[:1] in "#.":
                    yield start, f"attribute list entry {word[:40]!r} is not a plain id or class name", \
                        "use letters, digits, '-' and '_' only, e.g. {: .caption } or {: #resultats } "
                    "(names starting with '__' are the theme's)"
                elif word.lower().startswith("on") or word.lower() in URL_ATTRIBUTES | {"style"}:
                    yield start, f"attribute list sets {word[:40]!r}", _ATTR_FIX
                continue
            name = key.lower()
            bare = value.strip("\"'")
            if name in URL_ATTRIBUTES:
                yield start, f"attribute list sets the URL attribute {key[:40]}=", \
                    "remove it; write the address as a Markdown link [text](https://…)"
            elif name.startswith("on"):
                yield start, f"event handler attribute {key[:40]}= in an attribute list", \
                    f"remove it: {NO_SCRIPT}"
            elif name == "style":
                yield start, "style attribute in an attribute list", \
                    "remove it; the site's stylesheet styles content (use a .class the theme defines)"
            elif "<" in value or _bad_scheme(bare):
                yield start, f"attribute list sets {key[:40]}= to markup or a script URL", _ATTR_FIX
            elif name in ATTR_LIST_KEYS and all(_SAFE_VALUE.fullmatch(v) and not v.startswith("__")
                                                for v in bare.split() or [""]):
                continue
            elif name in ATTR_LIST_KEYS:
                yield start, f"attribute list sets {key}= to {bare[:40]!r}", \
                    "use letters, digits, '-' and '_' only (names starting with '__' are the theme's)"
            else:
                yield start, f"attribute list sets {key[:40]}=", _ATTR_FIX, WARNING


_ATTR_FIX = "attribute lists may set only an id and classes ({: #name .class }); remove the rest"


def check_file(doc: MarkdownFile) -> list[Finding]:
    f = doc.path.as_posix()
    out = []
    body = masked_body(doc.text, doc.body_line if doc.has_front_matter else 1)
    starts = [0] + [i + 1 for i, c in enumerate(body) if c == "\n"]

    def line(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    for m in _TAG.finditer(body):
        tag = m.group(2).lower()
        n = line(m.start())
        if tag not in ALLOWED_TAGS:
            out.append(Finding(f, n, ERROR, "raw-html",
                               f"raw HTML tag <{m.group(1)}{tag}> is not allowed",
                               "write it in Markdown instead (headings #, lists -, links "
                               "[text](https://…), images ![alt](…)); only these inline tags "
                               "are allowed: " + ", ".join(sorted(ALLOWED_TAGS))))
            continue
        ev = _EVENT_ATTR.search(m.group(3))
        if ev:
            out.append(Finding(f, n, ERROR, "raw-html",
                               f"event handler attribute {ev.group(1)}= on <{tag}>",
                               f"remove the attribute: {NO_SCRIPT}"))
        if _STYLE_ATTR.search(m.group(3)):
            out.append(Finding(f, n, ERROR, "raw-html", f"style attribute on <{tag}>",
                               "remove the attribute; the site's stylesheet styles content"))
    for rx in _TARGETS:
        for m in rx.finditer(body):
            scheme = _bad_scheme(m.group(1))
            if scheme:
                out.append(Finding(f, line(m.start()), ERROR, "script-link",
                                   f"link to a {scheme}: URL",
                                   f"link to an https:// address instead; {NO_SCRIPT}"
                                   + ("; put images in docs/assets/ and link to the file" if scheme == "data" else "")))
    for offset, message, fix, *severity in _attr_list_problems(body):
        out.append(Finding(f, line(offset), severity[0] if severity else ERROR, "attr-list", message, fix))
    return out


def check(tree: Tree, ctx) -> list[Finding]:
    out: list[Finding] = []
    for doc in tree.docs:
        out += check_file(doc)
    return out
