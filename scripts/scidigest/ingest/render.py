"""Stage 4: Metadata + Cleaned -> the Markdown file text.

YAML is written with PyYAML's safe dumper, which quotes whatever needs it
(``:``, ``#``, a leading ``"`` or ``-``, ``«»``), so titles round-trip exactly.
Field order is fixed and nothing depends on time or environment: the same
input always gives the same bytes. The last front-matter line is a hash of
everything else, so a later hand edit can be recognised.
"""

from __future__ import annotations

from ..frontmatter import dump_yaml, output_hash
from .figures import render_image
from .model import Block, BlockKind, Cleaned, Metadata

FIELD_ORDER = (
    "title", "title_generated", "slug", "date", "lang", "description", "organisation", "authors",
    "source_url", "journal", "doi", "image", "categories", "tags", "kind", "input_kind", "reading_time", "source_file", "source_hash",
)


def front_matter(meta: Metadata) -> dict:
    data = {}
    for name in FIELD_ORDER:
        value = getattr(meta, name)
        if value is None or (name == "title_generated" and not value):
            continue
        data[name] = value
    return data


def render_block(block: Block) -> str:
    if block.kind is BlockKind.HEADING:
        return f"## {block.text}"
    if block.kind is BlockKind.CAPTION:
        return "  \n".join(block.lines) + "\n{: .caption }"
    if block.kind in (BlockKind.LIST, BlockKind.QUOTE, BlockKind.TABLE):
        return "\n".join(block.lines)
    if block.kind is BlockKind.IMAGE:
        return render_image(block)
    return block.text


def render_body(cleaned: Cleaned) -> str:
    parts = [render_block(b) for b in cleaned.blocks]
    for num in sorted(cleaned.footnotes, key=int):
        parts.append(f"[^{num}]: {cleaned.footnotes[num]}")
    return "\n\n".join(parts) + "\n"


def render_article(meta: Metadata, cleaned: Cleaned, body: str | None = None) -> str:
    """The article file's text; ``body`` is ``render_body(cleaned)`` when the caller has it."""
    head = dump_yaml(front_matter(meta))
    body = render_body(cleaned) if body is None else body
    digest = output_hash(f"---\n{head}---\n\n{body}")
    return f"---\n{head}output_hash: {digest}\n---\n\n{body}"
