"""What the site lets through to a reader's browser: one allowlist, one URL rule, one text rule.

Ingest cleans the inline HTML of a source (:mod:`scidigest.ingest.sanitize`), but
Markdown is not HTML: ``[x](javascript:...)``, ``{: onclick=... }`` (attribute
lists), raw HTML blocks and titles in front matter only become HTML when MkDocs
renders them. So every page body is sanitised *after* Markdown, where the HTML
exists (``on_page_content``, :mod:`scidigest.site.mkdocs.hooks`), and every
string the site emits outside a body goes through :func:`text_to_html` or
:func:`safe_url` where it is written (head metadata, JSON-LD, feeds, search
index, the theme's title slots).

**The allowlist** (:data:`TAGS`, :data:`ATTRIBUTES`) is what our Markdown
extensions (``mkdocs.yml``: abbr, admonition, attr_list, footnotes, md_in_html,
tables, toc, pymdownx details/superfences/tilde/caret), the theme and our own
listings produce, and nothing else: no ``<script>``, ``<style>``, ``<iframe>``,
``<object>``, ``<embed>``, ``<svg>``, ``<math>``, forms or media; no event
handler, no ``style`` except a table cell's ``text-align`` (what the tables
extension writes), no ``name`` (DOM clobbering). Elements outside the list lose
their tag and keep their text, except :data:`DROP_WITH_CONTENT`, which go with
their content (a script's text is not prose). The sanitiser is nh3 (Ammonia on
html5ever, a spec-conformant HTML parser): a browser parses the output as nh3
serialised it, so there is no parser differential to exploit.

**Attribute lists** are limited here rather than in a Markdown extension of our
own: whatever ``attr_list`` (or raw HTML, or ``md_in_html``) sets, only
``class`` and ``id`` survive, with safe values (:func:`_attribute_filter`); one
rule, applied to the final HTML whatever produced it. ``id`` may not start with
``__``: Material finds its own elements by such ids (``__config``, ``__search``,
``__drawer``), and an article must not shadow them.

**URLs** are allowed by scheme: ``http``, ``https``, ``mailto``, relative, and
fragments (:data:`URL_SCHEMES`, :func:`safe_url`). ``javascript:`` in any
casing, with whitespace, control characters or character references inside,
``vbscript:`` and ``data:`` are removed.

**Byte identity.** nh3 re-serialises what it keeps (``<br />`` becomes
``<br>``, ``&para;`` becomes ``¶``, U+00A0 becomes ``&nbsp;``). A sanitiser
must not change a page that needed no change, so :func:`clean_html` returns its
input unchanged when the input differs from nh3's output only by those
spellings (:func:`_same_markup`): the input then *is* the clean document, only
written differently; otherwise nh3's output is published.
"""

from __future__ import annotations

import html
import re

import nh3

#: elements a body may contain (Markdown output, the theme's markup, our listings)
TAGS: frozenset[str] = frozenset({
    # text blocks and headings (toc adds ids and permalinks)
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "br",
    "header", "footer", "nav", "article", "section", "aside", "figure", "figcaption",
    # lists and tables (footnotes are an ordered list; the tables extension)
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    # code (superfences), admonitions and details (pymdownx.details)
    "pre", "code", "kbd", "samp", "var", "details", "summary",
    # inline
    "a", "img", "em", "strong", "i", "b", "u", "s", "small", "mark", "span", "q", "cite", "dfn",
    "abbr", "time", "sub", "sup", "del", "ins", "wbr",
})

#: elements removed together with everything inside them
DROP_WITH_CONTENT: frozenset[str] = frozenset({
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "textarea", "select", "option", "xmp", "noembed", "noframes", "plaintext",
    "title", "head", "audio", "video", "canvas", "form", "button", "input",
})

#: attributes kept, by element ("*": on every element); values checked by _attribute_filter
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "title", "lang", "dir", "aria-hidden", "aria-label", "aria-current"}),
    "a": frozenset({"href", "hreflang", "rel"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"style", "align", "colspan", "rowspan", "scope"}),
    "td": frozenset({"style", "align", "colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
}

#: URL schemes a link or an image may use; anything without a scheme is relative
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

_CLASS_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_CLASS_VALUE = re.compile(r"[A-Za-z0-9_-]+(?:[ \t\n\f\r]+[A-Za-z0-9_-]+)*")
_ID = re.compile(r"(?!__)[A-Za-z0-9_][A-Za-z0-9_:.-]{0,199}")
_REL = frozenset({"noopener", "noreferrer", "nofollow", "external", "ugc", "sponsored", "prev", "next",
                  "tag", "license", "author", "help", "bookmark"})


def _class(value: str) -> str | None:
    if _CLASS_VALUE.fullmatch(value):
        return value
    kept = [tok for tok in value.split() if _CLASS_TOKEN.fullmatch(tok)]
    return " ".join(kept) or None


def _matching(pattern: str):
    """A check that keeps a value matching ``pattern`` whole."""
    fullmatch = re.compile(pattern).fullmatch
    return lambda value: value if fullmatch(value) else None


def _one_of(*allowed: str):
    allowed_set = frozenset(allowed)
    return lambda value: value if value in allowed_set else None


def _url(value: str) -> str | None:
    return value if safe_url(value) is not None else None


def _rel(value: str) -> str | None:
    tokens = value.lower().split()
    return value if tokens and all(tok in _REL for tok in tokens) else None


_NUMBER = _matching(r"[0-9]{1,6}")

#: attribute -> check (value -> kept value or None); an allowed attribute without a check is
#: free text (title, alt, aria-label) or a boolean (open, reversed)
_CHECKS = {
    "class": _class,
    "id": _matching(_ID.pattern),
    "href": _url,
    "src": _url,
    "lang": _matching(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*"),
    "hreflang": _matching(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*"),
    "rel": _rel,
    # what the tables extension writes on a cell, nothing else (no url(), no expression())
    "style": _matching(r"\s*text-align:\s?(?:left|right|center);?\s*"),
    "colspan": _NUMBER, "rowspan": _NUMBER, "span": _NUMBER, "start": _NUMBER, "value": _NUMBER,
    "width": _NUMBER, "height": _NUMBER,
    "datetime": _matching(r"[0-9][0-9T:.+Z -]{0,40}"),
    "aria-hidden": _one_of("true", "false"),
    "aria-current": _one_of("true", "false", "page", "step", "location", "date", "time"),
    "dir": _one_of("ltr", "rtl", "auto"),
    "align": _one_of("left", "right", "center"),
    "type": _one_of("1", "a", "A", "i", "I"),
    "scope": _one_of("row", "col", "rowgroup", "colgroup"),
}


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """The value an allowed attribute keeps, or None to drop it (nh3 hands it decoded)."""
    check = _CHECKS.get(attribute)
    return value if check is None else check(value)


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    strip_comments=False,  # inert in a body; the about page carries one
    link_rel=None,  # our own links say rel="noopener" where they mean it
    url_schemes=set(URL_SCHEMES),
)


def clean_html(fragment: str) -> str:
    """``fragment`` (a page body) reduced to the allowlist; unchanged when it already was."""
    if not fragment:
        return fragment
    cleaned = _CLEANER.clean(fragment)
    return fragment if _same_markup(fragment, cleaned) else cleaned


def clean_own_html(fragment: str) -> str:
    """What :func:`clean_html` makes of markup our own code built with every value escaped
    where it is written (an article's header, from untrusted front matter): the same answer,
    without nh3's pass in the usual case. On such markup nh3 changes only what html5ever's
    input stream rewrites, NUL and CR; a fragment with neither is its own clean form
    (``tests/site/test_provenance.py`` checks both on hostile values in every field)."""
    if "\x00" in fragment or "\r" in fragment:
        return clean_html(fragment)
    return fragment


_CHARREF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: characters html5ever writes as a reference in some context; a reference to one of them is
#: left as it is (it matches nh3's output only where nh3 spelt it the same way)
_KEPT_REFERENCES = frozenset('&<>"')


def _decode_reference(m: re.Match) -> str:
    char = html.unescape(m.group(0))
    if char == "\u00a0":
        return "&nbsp;"
    return m.group(0) if len(char) != 1 or char in _KEPT_REFERENCES else char


def _same_markup(original: str, cleaned: str) -> bool:
    """Whether ``original`` is ``cleaned`` written differently (so publishing it is as safe).

    Three spellings differ between Python-Markdown and html5ever's serialiser,
    and none changes how a browser parses the document:

    * ``<br />``: the ``/`` of a start tag is ignored on HTML elements (only
      foreign elements, SVG and MathML, self-close, and they are not allowed);
    * a character reference ending in ``;`` (``&para;``, ``&#8617;``,
      ``&#x27;``) where html5ever writes the character: both are the same
      character in text and in quoted attribute values; anywhere else (a tag or
      attribute name) the reference would differ from ``cleaned``, which has
      no reference there;
    * U+00A0 written raw where html5ever writes ``&nbsp;``.

    Everything else must be identical, so any element, attribute, URL or
    comment nh3 removed or changed makes the two differ and ``cleaned`` wins.
    """
    if original == cleaned:
        return True
    normal = _CHARREF.sub(_decode_reference, original).replace("\u00a0", "&nbsp;").replace(" />", ">")
    return normal == cleaned


# -- URLs ----------------------------------------------------------------------------------------

#: what a browser's URL parser drops before reading a scheme (WHATWG URL: leading and
#: trailing C0 controls and spaces, and every tab and newline anywhere)
_STRIP_ANYWHERE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN_RELATIVE = re.compile(r"[^:&\x00-\x20\x7f]*")
_PLAIN_WEB = re.compile(r"https?://[^&\x00-\x20\x7f]*", re.I)


def safe_url(url: object) -> str | None:
    """``url`` unchanged when it is http(s), mailto, relative or a fragment; else None.

    Checked as written and with its character references decoded (an ``href``
    is decoded by the browser before it is parsed), after removing what a URL
    parser ignores: ``JaVaScRiPt:``, `` javascript:``, ``java&#x09;script:`` and
    ``&#106;avascript:`` are all ``javascript:``. Control characters and a
    colon before the first ``/``, ``?`` or ``#`` that is not a valid allowed
    scheme are refused too: no reading of such a URL is worth the doubt.
    """
    if url is None:
        return None
    text = str(url)
    if _PLAIN_RELATIVE.fullmatch(text) or _PLAIN_WEB.fullmatch(text):
        return text  # no scheme at all, or http(s) spelt plainly: nothing to decode or strip
    for candidate in (text, html.unescape(text)):
        probe = _STRIP_ANYWHERE.sub("", candidate).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                                         "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                                                         "\x1a\x1b\x1c\x1d\x1e\x1f ")
        if _CONTROL.search(probe):
            return None
        m = _SCHEME.match(probe)
        if m is not None:
            if m.group(1).lower() not in URL_SCHEMES:
                return None
            continue
        head = re.split(r"[/?#]", probe, maxsplit=1)[0]
        if ":" in head:  # "java\u00adscript:", "x y:": not a scheme we know, not plainly relative
            return None
    return text


# -- text ----------------------------------------------------------------------------------------

def text_to_html(text: object) -> str:
    """Plain text as HTML text or a double-quoted attribute value: ``&``, ``<``, ``>``, ``"`` escaped.

    ``'`` is left as it is (no attribute here is single-quoted), so a title
    like "L'imagerie" keeps the bytes it always had.
    """
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


#: tags Material's search plugin keeps in an index entry, always bare (see search.safe_search_index)
SEARCH_TAGS: frozenset[str] = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_SEARCH_MARKUP = re.compile(r"<(?!/?(?:" + "|".join(sorted(SEARCH_TAGS)) + r")>)")
_SEARCH_CLEANER = nh3.Cleaner(tags=set(SEARCH_TAGS), clean_content_tags=set(DROP_WITH_CONTENT),
                              attributes={}, strip_comments=True, link_rel=None, url_schemes=set())


def search_fragment(fragment: str) -> str:
    """A title or text of a search entry, which Material's search UI inserts as HTML.

    Unchanged when every ``<`` in it opens or closes one of :data:`SEARCH_TAGS`
    with no attribute (what the search plugin writes: text escaped, those bare
    tags kept): no other element can come from it. Anything else is cleaned
    down to those tags.
    """
    if "<" not in fragment or _SEARCH_MARKUP.search(fragment) is None:
        return fragment
    return _SEARCH_CLEANER.clean(fragment)


def toc_title(title: str) -> str:
    """A table-of-contents title (Material prints it as HTML): text, never markup."""
    if "<" not in title:
        return title
    return nh3.clean(title, tags=set(), clean_content_tags=set(DROP_WITH_CONTENT), attributes={})


def json_for_script(text: str) -> str:
    """JSON text safe inside ``<script type="application/ld+json">``: no ``<`` at all, so
    neither ``</script>`` nor ``<!--`` (which changes how the element ends) can occur."""
    return text.replace("<", "\\u003c")
