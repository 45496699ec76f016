"""Rule family ``sync``: generated articles match their sources (a dry-run
ingest would change nothing), every source ingests, hand edits are recorded."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..frontmatter import output_hash
from ..ingest.writer import SourceResult, ingest
from .findings import ERROR, WARNING, Finding
from .tree import ARTICLES_DIR, MarkdownFile, Tree


def unrecorded_hand_edits(tree: Tree) -> dict[str, Finding]:
    """Generated articles whose content no longer matches their ``output_hash``
    and that do not say ``hand_edited: true``; keyed by article path."""
    out = {}
    for a in tree.articles:
        meta = a.meta
        if "translation" in meta or meta.get("hand_edited") is True:
            continue
        recorded = meta.get("output_hash")
        if not isinstance(recorded, str):
            continue
        if output_hash(a.text) != recorded:
            f = a.path.as_posix()
            out[f] = Finding(f, a.body_line, ERROR, "unrecorded-hand-edit",
                             "this generated article was edited by hand (its content no longer "
                             "matches output_hash), so the next `scidigest ingest` would undo "
                             "the edit",
                             "move the correction to the source's sidecar "
                             "(sources/<name>.meta.yaml) for title/date/metadata fixes, or add "
                             "`hand_edited: true` to the front matter to keep the edit")
    return out


def check_with_results(tree: Tree, results: list[SourceResult]) -> list[Finding]:
    out: list[Finding] = []
    hand = unrecorded_hand_edits(tree)  # reported by the hand-edits family
    by_output = defaultdict(list)
    for r in results:
        src = r.source.as_posix()
        if r.output is not None:
            by_output[r.output.as_posix()].append(src)
        if r.status == "failed":
            out.append(Finding(src, None, ERROR, "source-fails",
                               f"this source fails to ingest: {r.message or 'unknown error'}",
                               f"run `scidigest ingest {src}` to see the details; fix the text "
                               "or its sidecar, or remove the source"))
        elif r.status in ("created", "updated"):
            target = r.output.as_posix() if r.output else "its article"
            if target in hand:
                continue  # already explained as a hand edit
            what = ("has no article yet" if r.status == "created"
                    else f"and {target} are out of sync")
            out.append(Finding(target if r.status == "updated" else src, None, ERROR,
                               "out-of-sync",
                               f"{src} {what}: re-running ingest would change {target}",
                               "run `scidigest ingest` and commit the result; to change "
                               "metadata, edit the source's sidecar instead of the article"))
        for w in r.warnings:
            out.append(Finding(src, None, WARNING, "ingest-warning", w,
                               "review the source or add the missing metadata to its sidecar"))
    for target, srcs in sorted(by_output.items()):
        if len(srcs) > 1:
            out.append(Finding(target, None, ERROR, "duplicate-slug",
                               f"several sources produce the same article: {', '.join(sorted(srcs))}",
                               "give one of them another slug with `slug:` in its sidecar"))
    return out


def check_hand_edits(tree: Tree, ctx) -> list[Finding]:
    return list(unrecorded_hand_edits(tree).values())


def check(tree: Tree, ctx) -> list[Finding]:
    if not tree.sources:
        return []
    root = Path(tree.root)
    report = ingest([root / s for s in tree.sources], root / ARTICLES_DIR, dry_run=True)
    return check_with_results(tree, [r.relative_to(root) for r in report.results])


__all__ = ["check", "check_hand_edits", "check_with_results", "unrecorded_hand_edits",
           "MarkdownFile"]
