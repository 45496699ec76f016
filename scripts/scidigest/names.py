"""Names and fields: what a slug may be, what a front-matter text may hold, and how a
problem is said in one line.

* **Slugs** are ``[a-z0-9]`` words joined by single ``-`` (checked with ``fullmatch``:
  a JSON Schema ``pattern`` ending in ``$`` also accepts a trailing newline), at most
  :data:`SLUG_MAX_LENGTH` characters, and never one of :data:`RESERVED_SLUGS`, the names
  of the pages and folders the site itself publishes.
* **Front-matter text** (title, description, authors, tags...) is plain text, one line:
  control characters are removed (line breaks and tabs become spaces) and so are
  invisible direction overrides; markup (``<img onerror=...>``) is reduced to its text.
  :func:`text_problem` says what is wrong with a value written by hand, for
  ``scidigest check``.
* **Messages**: :func:`one_line` flattens and bounds any message; :func:`error_line`
  puts the file's name (itself made printable) in front of it. Every command prints
  its problems through these, so no error line is unnamed or runs over several lines.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePath

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: the schema's maxLength for a slug
SLUG_MAX_LENGTH = 90
#: names the site publishes under its own root or beside the articles (see scidigest.site.urls:
#: the listings, archive, subject, organisation and kind pages, "categories" (the former topic
#: pages), pagination, search, feeds, sitemap, 404, assets, and the language prefixes). An
#: article named like one of them would take or shadow its URL.
RESERVED_SLUGS = frozenset({
    "index", "404", "about", "archive", "articles", "assets", "categories", "tags", "page",
    "search", "feed", "sitemap", "en", "fr", "organisations", "kinds",
})

#: C0 and C1 controls, DEL, zero-width and direction-override characters, line and
#: paragraph separators: none of them is text a title or an author's name should hold
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]")
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
#: an HTML tag, comment or declaration: ``<``, a letter (after ``/``, ``!`` or ``?``), up to ``>``
#: ("p<0.05" or "A<B" is text, not markup)
TAG_RE = re.compile(r"<[/!?]?[A-Za-z][^<>]*>|<!--")
MESSAGE_MAX = 300


# --------------------------------------------------------------------------- slugs
def slug_problem(slug: object) -> str | None:
    """Why ``slug`` cannot name an article (one line), or None when it can."""
    if not isinstance(slug, str):
        return "slug must be text"
    if not SLUG_RE.fullmatch(slug):
        return (f"slug {slug!r} may only hold lower-case letters a-z, digits and single "
                "hyphens (e.g. mon-article)")
    if len(slug) > SLUG_MAX_LENGTH:
        return f"slug is {len(slug)} characters long (at most {SLUG_MAX_LENGTH})"
    if slug in RESERVED_SLUGS:
        return f"slug {slug!r} is the name of a page of the site itself; choose another"
    return None


def unreserved(slug: str) -> str:
    """A generated slug that happens to be a reserved name gets ``-article`` appended."""
    return f"{slug}-article" if slug in RESERVED_SLUGS else slug


# --------------------------------------------------------------------------- text fields
def has_control(text: str) -> bool:
    return bool(_CONTROL.search(text))


def has_markup(text: str) -> bool:
    return bool(TAG_RE.search(text))


def plain_text(text: str) -> str:
    """``text`` as one line of plain text: line breaks and tabs become a space, other
    control and invisible formatting characters go, HTML markup is reduced to its text."""
    if _CONTROL.search(text):
        text = _CONTROL.sub("", _BREAKS.sub(" ", text))
    if TAG_RE.search(text):
        text = _strip_markup(text)
    return text


def _strip_markup(text: str) -> str:
    import nh3  # only when a field holds markup

    for _ in range(3):  # entities may spell another tag once unescaped: strip again
        text = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"},
                                       strip_comments=True))
        if not TAG_RE.search(text):
            break
    else:
        text = TAG_RE.sub("", text)
    return " ".join(_CONTROL.sub("", text).split())


def clean_field(value):
    """:func:`plain_text` for a str, each item of a list (empty items dropped), or the value
    unchanged (numbers, booleans, None)."""
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, list):
        out = []
        for item in value:
            item = clean_field(item)
            if item != "" and item not in out:
                out.append(item)
        return out
    return value


#: front-matter fields that are plain text (shown as text in pages, listings, feeds, search)
TEXT_FIELDS = ("title", "description", "organisation", "authors", "tags", "categories", "journal")


def text_problem(value: str) -> str | None:
    """What is wrong with a hand-written text field, or None."""
    if has_control(value):
        bad = sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(value)})
        return f"holds control or invisible character(s) {', '.join(bad[:5])}"
    m = TAG_RE.search(value)
    if m:
        return f"holds HTML markup {m.group(0)[:40]!r}; titles and descriptions are plain text"
    return None


# --------------------------------------------------------------------------- messages
def printable(text: str) -> str:
    """``text`` with every control or invisible character written as an escape (``\\n``, ``\\x07``)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def one_line(message: object, limit: int = MESSAGE_MAX) -> str:
    """``message`` on one line (runs of whitespace, line breaks included, become one space;
    control characters are escaped) of at most ``limit`` characters."""
    text = " ".join(str(message).split())
    text = printable(text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def display_name(path: PurePath | str) -> str:
    """A file's name as a message shows it: control characters escaped, bounded."""
    name = printable(str(path))
    return name if len(name) <= 200 else name[:100] + "…" + name[-99:]


def error_line(path: PurePath | str, message: object, *, prefix: str = "error") -> str:
    """``prefix: FILE: message`` on one line."""
    return f"{prefix}: {display_name(path)}: {one_line(message)}"
