"""``limits``: no article past a limit of :mod:`scidigest.limits` (what would make the
build slow or crash: unclosed brackets, deep nesting, thousands of headings or tags…)."""

from __future__ import annotations

from .. import limits
from .findings import ERROR, Finding
from .tree import Tree


def check(tree: Tree, ctx) -> list[Finding]:
    out: list[Finding] = []
    for doc in tree.docs:
        first = doc.body_line if doc.has_front_matter else 1
        for breach in limits.article_breaches(doc.meta, doc.body, first):
            line = breach.line if breach.line is not None else (doc.line_of(breach.limit) or 1)
            out.append(Finding(doc.path.as_posix(), line, ERROR, "limits", breach.message, breach.fix))
    return out
