"""How a protected text travels to each provider, and how its answer comes back.

Why: ``⟦N⟧`` brackets are our own convention; an engine has never seen them
and may respace, normalise or drop them (:func:`protect.repair` copes with
what it safely can).  Two providers have markup of their own that the
engine is *built* to carry through, so they get that instead:

``xml`` (DeepL, ``tag_handling=xml``)
    a structural token (emphasis, link brackets, inline HTML, footnote
    marker) is a self-closing tag ``<x i="3"/>``; a do-not-translate span
    (term, identifier, number with unit, URL, code) is ``<k i="3">SV2A</k>``
    and ``k`` is sent as ``ignore_tags`` so DeepL keeps it verbatim while
    still seeing the word.  Prose is XML-escaped; the answer is unescaped.
``html`` (LibreTranslate, ``format=html``)
    every token is ``<x translate="no">3</x>`` (LibreTranslate's HTML mode
    leaves ``translate="no"`` elements untouched).  Prose is HTML-escaped;
    LibreTranslate unescapes its answer itself, so an entity left in it is
    unescaped only when the source prose had none.
``brackets`` (Google's page, MyMemory: plain text only)
    the ``⟦N⟧`` text as it is.

:func:`decode` always returns the ``⟦N⟧`` form, so checking and restoring
are the same for every provider.  A tag it cannot read is left as it is and
:func:`protect.problems` then reports the token missing.
"""

from __future__ import annotations

import html
import re

from .protect import CLOSE, OPEN, TOKEN_RE, Protected

STYLES = ("brackets", "html", "xml")
#: token kinds DeepL gets as ignored spans (text it should see, not translate)
VERBATIM = frozenset({"term", "ident", "number", "url", "code"})
IGNORE_TAG = "k"

_XML_SELF = re.compile(r"<x\s+i\s*=\s*[\"'](\d+)[\"']\s*/?>(?:\s*</x>)?")
_XML_KEEP = re.compile(r"<k\s+i\s*=\s*[\"'](\d+)[\"']\s*>.*?</k>", re.S)
_HTML_TOKEN = re.compile(r"<x\s+translate\s*=\s*[\"']no[\"']\s*>\s*(\d+)\s*</x>", re.I)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


def encode(p: Protected, style: str) -> str:
    """The wire text of a protected text for a provider's markup ``style``."""
    if style == "brackets":
        return p.text
    pieces = TOKEN_RE.split(p.text)
    out = []
    for k, piece in enumerate(pieces):
        if k % 2 == 0:
            out.append(html.escape(piece, quote=False))
            continue
        i = int(piece)
        if style == "html":
            out.append(f'<x translate="no">{i}</x>')
        elif p.kinds[i] in VERBATIM:
            out.append(f'<{IGNORE_TAG} i="{i}">{html.escape(p.tokens[i], quote=False)}</{IGNORE_TAG}>')
        else:
            out.append(f'<x i="{i}"/>')
    return "".join(out)


def decode(reply: str, p: Protected, style: str) -> str:
    """The provider's answer in the ``⟦N⟧`` form :mod:`protect` checks."""
    if style == "brackets":
        return reply
    if style == "xml":
        text = _XML_KEEP.sub(lambda m: f"\x00{m.group(1)}\x01", reply)
        text = _XML_SELF.sub(lambda m: f"\x00{m.group(1)}\x01", text)
        text = html.unescape(text)
    else:
        text = _HTML_TOKEN.sub(lambda m: f"\x00{m.group(1)}\x01", reply)
        if _ENTITY.search(text) and not _ENTITY.search(TOKEN_RE.sub("", p.text)):
            text = html.unescape(text)
    return text.replace("\x00", OPEN).replace("\x01", CLOSE)
