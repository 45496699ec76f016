"""Bylines: who wrote the article (and for whom), told apart from site accounts.

"Article rédigé par Georges Simmonds pour RT Flash" names an author and the
publisher. "Par *mogirard*" is the site account that posted the page: not an
author. A researcher quoted in the text ("explique Christophe Heinrich") or a
book's authors ("Lentini et al.") never reach this module, because only short
standalone byline lines are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME_WORD = r"(?:[A-ZÀ-Ý][\w’'.-]*|de|du|des|van|von|der|da|di|le|la|d’|d')"
_REAL_NAME = re.compile(rf"^[A-ZÀ-Ý][\w’'.-]*(?:\s+{_NAME_WORD}){{1,4}}$")
_PATTERNS = (
    re.compile(
        r"^(?:(?:article|texte|propos|interview)\s+)?(?:r[ée]dig[ée]e?|[ée]crit|recueillis|written|reported|compiled)\s+(?:par|by)\s+"
        r"(?P<names>.+?)(?:\s*[,(]?\s*(?:pour|for)\s+(?P<org>[^)]+?))?\)?\s*\.?$",
        re.I,
    ),
    re.compile(r"^(?:par|by)\s+(?P<names>.+?)(?:\s*[,(]?\s*(?:pour|for)\s+(?P<org>[^)]+?))?\)?\s*\.?$", re.I),
    re.compile(r"^(?:auteure?s?|authors?|r[ée]daction)\s*:\s*(?P<names>.+?)\s*$", re.I),
)


_NAME_SEP = re.compile(r"\s*(?:,|;|&|\bet\b|\band\b)\s*")
_ACCOUNT_EMPHASIS = re.compile(r"[*_]+([^*_\s]+)[*_]+")
_ACCOUNT_HANDLE = re.compile(r"@?[\w.-]+")


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    organisation: str | None = None
    account: str | None = None  # a site user name, not an author


def _split_names(names: str) -> list[str]:
    parts = _NAME_SEP.split(names)
    return [p.strip() for p in parts if p.strip()]


def parse_byline(line: str) -> Byline | None:
    """A Byline for a standalone byline line, else None (ordinary text)."""
    text = line.strip()
    if not text or len(text) > 140:
        return None
    for rx in _PATTERNS:
        m = rx.match(text)
        if not m:
            continue
        names = m.group("names").strip()
        org = (m.groupdict().get("org") or "").strip().rstrip(".") or None
        account_like = _ACCOUNT_EMPHASIS.fullmatch(names) or _ACCOUNT_HANDLE.fullmatch(names)
        if account_like and not _REAL_NAME.match(names):
            return Byline(account=names.strip("*_@"), organisation=org)
        people = _split_names(names.replace("*", "").replace("_", " "))
        while len(people) > 1 and people[-1][:1].islower():
            people.pop()  # "By Rachel Okonjo, science writer": a role after the name
        if people and all(_REAL_NAME.match(p) for p in people):
            return Byline(authors=people, organisation=org)
        return None
    return None
