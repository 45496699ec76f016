"""The Content-Security-Policy of every page: defence in depth behind :mod:`.sanitize`.

Should anything executable ever slip into a page (a sanitiser bug, a template
that forgets to escape, a file edited after the build), the browser still
refuses to run it: scripts only from the site itself, no inline script except
the theme's own, no event-handler attribute, no plugin, no ``<base>``.

The policy is a ``<meta http-equiv>`` (GitHub Pages sets no headers), put right
after ``<meta charset>`` so it governs every script that follows. Material
9.8.1 needs four small inline scripts (its storage scope ``__md_scope``, whose
text carries the page's relative base URL, the palette restore, the tab
restore, and our sitemap guard in ``scripts/theme/main.html``): each is allowed
by its SHA-256, computed from the page as built. A script gets a hash only if
the theme's templates wrote it (:func:`theme_script_pattern`: every bare
``<script>`` of the template directories, its ``{{ … }}`` expressions standing
for plain string content, nothing that could leave a JavaScript string), and
the body (``page.content``) is cut out before looking: a script from content
never gets a hash, even one that a template printed unescaped. ``<script type="application/json">``
(Material's configuration) and ``application/ld+json`` (our JSON-LD) are data,
never executed, and need none. ``'unsafe-hashes'`` is never given, so no
``onclick=``/``onerror=`` attribute can run, whatever its text.

``style-src`` keeps ``'unsafe-inline'``: table cells align with ``style``
attributes and the theme sets inline styles; styles cannot run script.
``frame-ancestors``, ``report-uri`` and ``sandbox`` are not allowed in a
``<meta>`` policy (browsers ignore them and log an error), so they are absent.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

#: the policy without its script hashes, in output order
POLICY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default-src", ("'self'",)),
    ("script-src", ("'self'",)),
    ("style-src", ("'self'", "'unsafe-inline'")),
    ("img-src", ("'self'", "https:", "data:")),  # Material's icons are data: URLs in its CSS
    ("font-src", ("'self'",)),  # system fonts (theme font: false); no @font-face at all
    ("connect-src", ("'self'",)),  # the search index
    ("worker-src", ("'self'",)),  # the search worker
    ("object-src", ("'none'",)),
    ("base-uri", ("'self'",)),
    ("form-action", ("'self'",)),
)

#: an HTML script element, found in two steps: its start tag, then the first ``</script``
#: after it, where its text ends as in a browser (one pattern with a lazy ``.*?`` would test
#: for ``</script`` at every character of every script)
_SCRIPT_START = re.compile(r"<script\b([^>]*)>", re.I)
_SCRIPT_END = re.compile(r"</script", re.I)
_TYPE = re.compile(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
#: MIME types a browser executes (the HTML standard's "JavaScript MIME type essence"), plus module
_EXECUTABLE_TYPES = frozenset({
    "", "module", "text/javascript", "application/javascript", "application/ecmascript",
    "application/x-ecmascript", "application/x-javascript", "text/ecmascript", "text/javascript1.0",
    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
    "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
})
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)


_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
#: what a template expression may print inside a theme script: plain content of a JS string
_EXPRESSION = r"[^\"'`\\<>\r\n]*"


def theme_script_pattern(template_dirs) -> re.Pattern:
    """One pattern matching exactly the inline scripts the templates in ``template_dirs`` can write.

    Each bare ``<script>…</script>`` of every ``*.html`` template becomes an
    alternative: its literal text as is, each ``{{ expression }}`` as
    :data:`_EXPRESSION` (the page's base URL, say: never a quote, backslash,
    ``<`` or newline, so a value cannot end the string it sits in), each
    ``{% statement %}`` and ``{# comment #}`` as nothing.
    """
    alternatives: set[str] = set()
    for top in template_dirs:
        for root, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # Material's .icons: SVG only
            for name in sorted(names):
                if not name.endswith(".html"):
                    continue
                text = (Path(root) / name).read_text(encoding="utf-8")
                for m in _TEMPLATE_SCRIPT.finditer(text):
                    alternatives.add(_script_regex(m.group(1)))
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{a})" for a in sorted(alternatives)), re.S)


def _script_regex(body: str) -> str:
    parts: list[str] = []
    pos = 0
    for m in _JINJA.finditer(body):
        literal = body[pos:m.start()]
        token = m.group(0)
        if token[2:3] == "-":  # {{- / {%- trims the whitespace before it
            literal = literal.rstrip()
        parts.append(re.escape(literal))
        if token.startswith("{{"):
            parts.append(_EXPRESSION)
        pos = m.end()
        if token[-3:-2] == "-":  # -}} / -%} trims the whitespace after it
            while pos < len(body) and body[pos].isspace():
                pos += 1
    parts.append(re.escape(body[pos:]))
    return "".join(parts)


def _scripts(page_html: str):
    """``(attributes, text)`` of each script element of ``page_html``, in order."""
    pos = 0
    while True:
        start = _SCRIPT_START.search(page_html, pos)
        if start is None:
            return
        end = _SCRIPT_END.search(page_html, start.end())
        if end is None:  # no end tag after it: none after any later start either
            return
        yield start.group(1), page_html[start.end():end.start()]
        pos = end.end()


def inline_script_hashes(page_html: str, *, exclude: tuple[str, ...] = (),
                         allowed: re.Pattern | None = None) -> list[str]:
    """``'sha256-…'`` of every inline executable script of ``page_html``, in order, once
    each, after removing every occurrence of each string in ``exclude`` (the body);
    with ``allowed`` (:func:`theme_script_pattern`), only of the scripts it matches whole."""
    for part in exclude:
        if part:
            page_html = page_html.replace(part, "")
    hashes: list[str] = []
    for attrs, text in _scripts(page_html):
        if _SRC.search(attrs):
            continue
        kind = _TYPE.search(attrs)
        mime = next((g for g in kind.groups() if g is not None), "") if kind else ""
        if mime.strip().lower() not in _EXECUTABLE_TYPES:
            continue
        token = _token(text, allowed)
        if token is not None and token not in hashes:
            hashes.append(token)
    return hashes


#: id(allowed pattern) -> (the pattern, {script text: its token or None}): the theme's scripts
#: are the same on most pages, so each is matched and hashed once. Keyed by the pattern's id
#: (hashing a compiled pattern hashes its whole source, a long alternation, at every call),
#: the pattern kept alongside so the id stays its own; bounded, cleared when full.
_TOKENS: dict[int, tuple[re.Pattern | None, dict[str, str | None]]] = {}


def _token(text: str, allowed: re.Pattern | None) -> str | None:
    entry = _TOKENS.get(id(allowed))
    if entry is None or entry[0] is not allowed:
        if len(_TOKENS) > 8:
            _TOKENS.clear()
        entry = _TOKENS[id(allowed)] = (allowed, {})
    tokens = entry[1]
    if text in tokens:
        return tokens[text]
    if allowed is not None and not allowed.fullmatch(text):
        token = None
    else:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        token = f"'sha256-{digest}'"
    if len(tokens) > 4096:
        tokens.clear()
    tokens[text] = token
    return token


def policy(script_hashes: list[str] | tuple[str, ...] = ()) -> str:
    """The policy text with ``script_hashes`` added to ``script-src``."""
    parts = []
    for directive, sources in POLICY:
        if directive == "script-src":
            sources = (*sources, *script_hashes)
        parts.append(" ".join((directive, *sources)))
    return "; ".join(parts)


def meta_tag(script_hashes: list[str] | tuple[str, ...] = ()) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy(script_hashes)}">'


def add_policy(page_html: str, *, exclude: tuple[str, ...] = (), allowed: re.Pattern | None = None) -> str:
    """``page_html`` with its policy right after ``<meta charset>`` (else after ``<head>``).

    A page without a ``<head>`` is returned unchanged.
    """
    anchor = _CHARSET.search(page_html) or _HEAD.search(page_html)
    if anchor is None:
        return page_html
    tag = meta_tag(inline_script_hashes(page_html, exclude=exclude, allowed=allowed))
    indent = "\n    " if anchor.re is _CHARSET else "\n"
    return page_html[: anchor.end()] + indent + tag + page_html[anchor.end():]
