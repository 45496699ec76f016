"""Where every page lives, as site-root-relative URLs ("en/articles/x/").

One function per kind of page, so listings, feeds, the language switcher and
the head metadata cannot disagree on an address.
"""

from __future__ import annotations

import functools
import posixpath

from slugify import slugify

from scidigest.site.catalogue import DEFAULT_LANG


def prefix(lang: str) -> str:
    """"" for the default language (served at the root), "en/" otherwise."""
    return "" if lang == DEFAULT_LANG else f"{lang}/"


def home(lang: str) -> str:
    return prefix(lang)


def home_page(lang: str, n: int) -> str:
    return home(lang) if n <= 1 else f"{prefix(lang)}page/{n}/"


def paged(first: str, n: int) -> str:
    """Page ``n`` of the paginated listing whose first page is ``first``
    ("tags/x/" -> "tags/x/page/2/"); page 1 keeps the listing's own URL."""
    return first if n <= 1 else f"{first}page/{n}/"


def article(lang: str, slug: str) -> str:
    return f"{prefix(lang)}articles/{slug}/"


def all_articles(lang: str) -> str:
    return f"{prefix(lang)}articles/"


def archive(lang: str) -> str:
    return f"{prefix(lang)}archive/"


def archive_year(lang: str, year: int | None) -> str:
    """One year of the archive; ``None``: the undated articles (``archive/undated/``)."""
    return f"{prefix(lang)}archive/{'undated' if year is None else year}/"


def tags(lang: str) -> str:
    """The index of subjects (the one subject taxonomy: see :mod:`.taxonomy`)."""
    return f"{prefix(lang)}tags/"


def tag(lang: str, name: str) -> str:
    """The page of one subject; two spellings of one term share it."""
    return f"{prefix(lang)}tags/{term_slug(name)}/"


def tag_feed(lang: str, name: str) -> str:
    """The RSS feed of one subject."""
    return f"{tag(lang, name)}feed.xml"


def organisations(lang: str) -> str:
    return f"{prefix(lang)}organisations/"


def organisation(lang: str, name: str) -> str:
    return f"{prefix(lang)}organisations/{term_slug(name)}/"


def kinds(lang: str) -> str:
    return f"{prefix(lang)}kinds/"


def kind(lang: str, kind: str) -> str:
    """The page of one kind of text ("press-release"): the same address in every language."""
    return f"{prefix(lang)}kinds/{term_slug(kind)}/"


def about(lang: str) -> str:
    return f"{prefix(lang)}about/"


def feed(lang: str) -> str:
    return f"{prefix(lang)}feed.xml"


def search_index(lang: str) -> str:
    return f"{prefix(lang)}search/search_index.json"


@functools.lru_cache(maxsize=65536)
def term_slug(name: str) -> str:
    """URL slug of a subject or organisation; "Santé & vivant" -> "sante-vivant"."""
    return slugify(name) or "x"


def absolute(site_url: str, url: str) -> str:
    """Absolute URL of a site-root-relative ``url``."""
    return site_url.rstrip("/") + "/" + url


_DOTS = frozenset({".", ".."})


@functools.lru_cache(maxsize=65536)
def _parts(path: str) -> tuple[str, ...] | None:
    """``path``'s non-empty segments, or None when one is "." or ".." (left to posixpath)."""
    parts = tuple(part for part in path.split("/") if part)
    return None if _DOTS.intersection(parts) else parts


#: (target, the start directory's number of segments, how many first segments they share)
#: -> the relative path: all the answer depends on, so pages at the same depth share it
_BY_DEPTH: dict[tuple[str, int, int], str] = {}


def _relpath(target: str, from_dir: str) -> str:
    """``posixpath.relpath("/" + target, "/" + from_dir)``, without its two ``abspath`` calls
    when neither path has a "." or ".." segment (what they would normalise); the same answer."""
    to, start = _parts(target), _parts(from_dir)
    if to is None or start is None:
        return posixpath.relpath("/" + target, "/" + from_dir)
    common, most = 0, min(len(to), len(start))
    while common < most and to[common] == start[common]:
        common += 1
    key = (target, len(start), common)
    rel = _BY_DEPTH.get(key)
    if rel is None:
        if len(_BY_DEPTH) > 200_000:
            _BY_DEPTH.clear()
        parts = [".."] * (len(start) - common) + list(to[common:])
        rel = _BY_DEPTH[key] = "/".join(parts) if parts else "."
    return rel


@functools.lru_cache(maxsize=262144)
def relative(target: str, from_page: str) -> str:
    """Link from the page at ``from_page`` to ``target`` (both site-root-relative).

    Directory URLs end with "/"; the result keeps that so a static server
    never has to redirect.
    """
    from_dir = from_page if (from_page == "" or from_page.endswith("/")) else posixpath.dirname(from_page) + "/"
    rel = _relpath(target, from_dir)
    if rel == ".":
        return "./"
    if (target == "" or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel
