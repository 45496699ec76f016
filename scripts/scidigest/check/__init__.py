"""``scidigest check``: validate the whole content tree and explain each problem.

One module per family of rules; each exposes ``check(tree, ctx) -> list[Finding]``
over the plain data read once by :func:`scidigest.check.tree.load_tree`:

    fields        ``front-matter``: the JSON Schema, real dates, languages, file names
    layout        ``structure``: duplicate slugs, translations without their original,
                  articles whose source is gone, orphan or invalid sidecars
    sync          ``hand-edits`` and ``sync``: a dry-run ingest would change nothing,
                  every source ingests, hand edits are recorded
    translations  ``translations``: missing and stale English pages (see :mod:`.policy`)
    html          ``html``: no raw HTML outside a few inline tags, no script links
    limits        ``limits``: nothing past a limit of :mod:`scidigest.limits` (bounded build cost)
    images        ``images``: every image an article names is there, valid and named by its
                  content; no image is left that no article names

:mod:`.findings` is what a rule reports, :mod:`.report` prints it (text or GitHub
annotations), :mod:`.links` checks a built site's links.

Public API::

    from scidigest.check import run_checks
    findings = run_checks(Path("."), translations="main")  # sorted Finding list
    errors = [f for f in findings if f.is_error]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import fields, html, images, layout, limits, sync, translations
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
    "limits": limits.check,
    "images": images.check,
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


__all__ = ["ERROR", "WARNING", "Finding", "RULES", "Context", "load_tree", "run_checks", "sorted_findings"]
