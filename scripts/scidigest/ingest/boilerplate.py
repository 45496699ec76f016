"""Recognise web-page furniture and classification lines.

The vocabulary lives in ``data/boilerplate.yaml`` (one regular expression per
widget family), so a new site's "Partager sur Bluesky" is a data change, not a
code change. Matching is on whole lines after Markdown syntax is stripped and
accents are folded, so a word inside a sentence is never mistaken for a widget.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from .textutil import fold, strip_markdown

_LABEL = re.compile(r"^([^:]{2,40}?)\s*:\s*(.*)$")
_EMPTY_LINK = re.compile(r"\[([^\]]*)\]\(\s*(#[^)\s]*)?\s*\)")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_CRUMB_SEP = re.compile(r"\s+[>›»/]\s+")


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    data = yaml.safe_load(resources.files("scidigest").joinpath("data/boilerplate.yaml").read_text("utf-8"))
    data["_widgets"] = re.compile("^(?:" + "|".join(f"(?:{w})" for w in data["widgets"]) + r")$")
    data["_breadcrumb_prefixes"] = tuple(data["breadcrumb_prefixes"])
    # phrase -> the first kind whose list holds it (the order kicker_kind() looked them up in)
    kickers: dict[str, str] = {}
    for kind, phrases in data["kickers"].items():
        for phrase in phrases:
            kickers.setdefault(phrase, kind)
    data["_kicker_of"] = kickers
    return data


def is_punctuation_only(line: str) -> bool:
    """A line with no letter or digit at all (``•``, ``|``, ``---``, ``* * *``)."""
    return not _LETTER_OR_DIGIT.search(line)


def is_widget(line: str) -> bool:
    """True for share/print/font-size/rating/counter/"top of page" lines."""
    key = fold(line)
    if not key:
        return is_punctuation_only(line)
    return bool(vocabulary()["_widgets"].match(key))


def only_empty_links(line: str) -> bool:
    """A line made of nothing but ``[text](#)`` links, list markers and punctuation."""
    if not _EMPTY_LINK.search(line):
        return False
    rest = _EMPTY_LINK.sub(" ", line)
    return is_punctuation_only(rest)


def unwrap_empty_links(text: str) -> str:
    """``[zoom](#)`` inside text keeps its words and loses the dead link."""
    if "](" not in text:  # no link at all: nothing to unwrap
        return text
    return _EMPTY_LINK.sub(lambda m: m.group(1), text)


def breadcrumb(line: str) -> list[str] | None:
    """The crumbs of a "Vous êtes ici : A > B > C" line, else None."""
    key = fold(line)
    if key.startswith(vocabulary()["_breadcrumb_prefixes"]):
        body = strip_markdown(line)
        body = body.split(":", 1)[-1]
        crumbs = [c.strip() for c in _CRUMB_SEP.split(body) if c.strip()]
        return crumbs
    return None


def pipe_list(line: str) -> list[str] | None:
    """Items of a classification line "A | B | C" (short items, no sentence), else None."""
    if line.count("|") < 2:
        return None
    text = strip_markdown(line)
    items = [i.strip() for i in text.split("|")]
    if any(not i or len(i) > 50 or i.endswith(".") for i in items):
        return None
    return items


def labelled(line: str) -> tuple[str, str] | None:
    """``("categories"|"tags"|"source", value)`` for a "Label : value" classification line."""
    if ":" not in line:
        return None
    text = strip_markdown(line)
    m = _LABEL.match(text)
    if not m:
        return None
    label = fold(m.group(1))
    vocab = vocabulary()
    for field, key in (("categories", "category_labels"), ("tags", "tag_labels"), ("source", "source_labels")):
        if label in vocab[key]:
            return field, m.group(2).strip()
    return None


def kicker_kind(line: str) -> str | None:
    """The document kind a kicker line announces ("Information presse" -> press-release)."""
    key = fold(line)
    if not key or len(key) > 40:
        return None
    return vocabulary()["_kicker_of"].get(key)
