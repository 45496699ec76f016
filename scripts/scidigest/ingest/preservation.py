"""Content preservation: which words of a source did not reach its article?

Every word of the source must be found in the article (body or front matter),
unless it belongs to a line that cleaning dropped as boilerplate or lifted as
metadata. Words are compared as a multiset (a sentence dropped once is
noticed even if its words occur elsewhere), letters and digits separately (so
``stéréotaxique1`` matches ``stéréotaxique[^1]``), with line-end hyphenation
resolved the way the article resolved it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from .model import Cleaned

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_LINE_END_HYPHEN = re.compile(r"([^\W\d_]+)-[ \t\u00a0]*\n[\s]*([^\W\d_]+)")


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


@dataclass
class Preservation:
    """Words of the source missing from the article, split by whether cleaning meant it."""

    unexplained: list[str] = field(default_factory=list)  # a bug if not empty
    boilerplate: list[str] = field(default_factory=list)  # dropped lines, for the report
    lifted: list[str] = field(default_factory=list)  # metadata lines moved to front matter

    @property
    def ok(self) -> bool:
        return not self.unexplained


#: front-matter fields that hold text lifted out of the source (the description only repeats the body)
_LIFTED_FIELDS = ("title", "organisation", "authors", "source_url", "categories", "tags")


def _article_words(article_text: str) -> str:
    from ..frontmatter import split

    front, body = split(article_text)
    parts = [body]
    for name in _LIFTED_FIELDS:
        value = front.get(name)
        if value:
            parts.append(" ".join(value) if isinstance(value, list) else str(value))
    return html.unescape("\n".join(parts))


def check_preservation(source_text: str, cleaned: Cleaned, article_text: str) -> Preservation:
    article_words = _article_words(article_text)
    out_words = set(_tokens(article_words))

    def rejoin(m: re.Match) -> str:
        joined = (m.group(1) + m.group(2)).lower()
        return m.group(1) + m.group(2) if joined in out_words else f"{m.group(1)}-{m.group(2)}"

    src = Counter(_tokens(_LINE_END_HYPHEN.sub(rejoin, html.unescape(source_text))))
    out = Counter(_tokens(article_words))
    allowed = Counter(_tokens(" ".join(cleaned.dropped + cleaned.meta_lines)))
    missing = src - out - allowed
    return Preservation(
        unexplained=sorted(missing.elements()),
        boilerplate=list(cleaned.dropped),
        lifted=list(cleaned.meta_lines),
    )
