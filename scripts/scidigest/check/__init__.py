"""``scidigest check``: validate the whole content tree and explain each problem.

One module per family of rules; each exposes ``check(tree, ctx) -> list[Finding]``
over the plain data read by :func:`scidigest.check.tree.load_tree`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import fields, html, layout, sync, translations
from .findings import ERROR, WARNING, Finding, sorted_findings
from .tree import load_tree

#: rule families, in the order they run
RULES = {
    "front-matter": fields.check,
    "structure": layout.check,
    "hand-edits": sync.check_hand_edits,
    "sync": sync.check,
    "translations": translations.check,
    "html": html.check,
}


@dataclass(frozen=True)
class Context:
    translations: str = "main"  # see scidigest.check.policy


def run_checks(root: Path, *, translations: str = "main",
               rules: list[str] | None = None) -> list[Finding]:
    """All findings for the repository checkout at ``root``, sorted."""
    tree = load_tree(Path(root))
    ctx = Context(translations=translations)
    findings: list[Finding] = []
    for name in rules or list(RULES):
        findings += RULES[name](tree, ctx)
    return sorted_findings(findings)


__all__ = ["ERROR", "WARNING", "Finding", "RULES", "Context", "run_checks"]
