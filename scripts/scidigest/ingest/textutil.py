"""Small text predicates shared by the cleaning and extraction stages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: characters that may end a sentence (closing quotes and brackets included)
_SENTENCE_END = re.compile(r"[.!?…](?:[\s\u00a0]*[»”\")\]])*$|[»”\"]$")
_MD_CHARS = re.compile(r"[\[*_#\\]|^\s*(?:[-+]|\d+[.)])\s")
# _MD_CHARS split in its two alternatives: the first is a plain character set (scanned fast),
# the second is anchored at the start; searching the combined pattern tries both at every position
_MD_CHARS_ANYWHERE = re.compile(r"[\[*_#\\]")
_MD_LIST_START = re.compile(r"\s*(?:[-+]|\d+[.)])\s")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
# the same single-character matches, written to start with the character set (scanned fast):
# a * or _ not preceded by a word character, or not followed by one
_EMPHASIS_FAST = re.compile(r"[*_](?:(?<!\w[*_])|(?!\w))")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])(?:[\s\u00a0]*[»”\"])?\s+(?=[«“\"A-ZÀ-ÖØ-Þ0-9])")
#: the last character of any _SENTENCE_END match (cheap pre-test: most lines end otherwise)
_SENTENCE_LAST = frozenset(".!?…»”\")]")
_WORD = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*")
_NON_WORD_RUN = re.compile(r"[\W_]+")
_SPACE_RUN = re.compile(r"[ \t]+")


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends like a finished sentence."""
    t = text.rstrip()
    # a match ends the string, so its last character is one of _SENTENCE_LAST
    return bool(t) and t[-1] in _SENTENCE_LAST and _SENTENCE_END.search(t) is not None


def ends_open(text: str) -> bool:
    """True when a paragraph clearly continues on the next line (no final punctuation at all)."""
    t = text.rstrip()
    return bool(t) and t[-1] not in ":;)" and not ends_sentence(t)


def starts_lower(text: str) -> bool:
    t = text.lstrip()
    return bool(t) and t[0].islower()


def starts_upper(text: str) -> bool:
    t = text.lstrip("«“\"'([ \u00a0")
    return bool(t) and (t[0].isupper() or t[0].isdigit())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=4096)
def strip_markdown(text: str) -> str:
    """Markdown inline syntax removed: link text kept, emphasis and list markers dropped."""
    if not _MD_CHARS_ANYWHERE.search(text) and not _MD_LIST_START.match(text):  # == not _MD_CHARS.search(text)
        return text.strip()
    t = _LINK.sub(r"\1", text) if "](" in text else text  # (a link needs "](")
    t = _LIST_MARK.sub("", t)
    t = _HEADING_MARK.sub("", t)
    t = t.replace("**", "").replace("__", "")
    t = _EMPHASIS_FAST.sub("", t)
    t = t.replace("\\_", "_").replace("\\", "")
    return t.strip()


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Comparison key: no Markdown, no accents, no punctuation, lower case, single spaces."""
    t = strip_markdown(text).replace("’", "'").replace("œ", "oe").replace("Œ", "OE")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode("ascii")
    t = _NON_WORD_RUN.sub(" ", t.lower())
    return " ".join(t.split())


def split_sentences(text: str) -> list[str]:
    parts = _SENTENCE_SPLIT.split(text.strip())
    return [p.strip() for p in parts if p.strip()]


def collapse_spaces(text: str) -> str:
    """Collapse runs of ordinary spaces/tabs; keep non-breaking spaces (French typography)."""
    if "  " not in text and "\t" not in text:
        return text.strip(" \t")
    return _SPACE_RUN.sub(" ", text).strip(" \t")
