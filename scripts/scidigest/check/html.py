"""Rule family ``html``: no raw HTML outside a few inline tags, no script links,
anywhere in docs/ (code blocks and code spans excepted)."""

from __future__ import annotations

import html as html_lib
import re

from .findings import ERROR, Finding
from .tree import MarkdownFile, Tree

#: inline tags a contributor may write in Markdown
ALLOWED_TAGS = frozenset({
    "abbr", "b", "br", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s",
    "small", "span", "strong", "sub", "sup", "u", "wbr",
})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])([^>]*)>?")
_EVENT_ATTR = re.compile(r"(?i)(?:^|\s)(on[a-z]+)\s*=")
_TARGETS = [
    re.compile(r"\]\(\s*<?([^)\s>]+)"),  # [text](target)
    re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?\s*(?:\s.*)?$"),  # [ref]: target
    re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>"),  # <scheme:...>
    re.compile(r"(?i)\b(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?([^\"'\s>]+)"),
]
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")


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
        yield i, _CODE_SPAN.sub("", line)


def check_file(doc: MarkdownFile) -> list[Finding]:
    f = doc.path.as_posix()
    out = []
    in_comment = False
    for n, line in scan_lines(doc.text.splitlines()):
        # HTML comments (<!-- more -->) are allowed and dropped from the output
        if in_comment:
            if "-->" not in line:
                continue
            line, in_comment = line.split("-->", 1)[1], False
        line = re.sub(r"<!--.*?-->", "", line)
        if "<!--" in line:
            line, in_comment = line.split("<!--", 1)[0], True
        for m in _TAG.finditer(line):
            tag = m.group(2).lower()
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
                                   "remove the attribute: pages may not run scripts"))
        for rx in _TARGETS:
            for m in rx.finditer(line):
                scheme = _bad_scheme(m.group(1))
                if scheme:
                    out.append(Finding(f, n, ERROR, "script-link",
                                       f"link to a {scheme}: URL",
                                       "link to an https:// address instead; pages may not run "
                                       "scripts"))
    return out


def check(tree: Tree, ctx) -> list[Finding]:
    out: list[Finding] = []
    for doc in tree.docs:
        out += check_file(doc)
    return out
