"""The ingestion flow, written out once: every stage in order, each called once.

    bytes --1 read_document--> Source --1b artefacts.normalise--> Source --2 detect_kind--> InputKind
          --3 rebuild_paragraphs--> [RawBlock] --4 clean--> Cleaned
          --4b figures.attach--> Cleaned (+ images)
          --5 extract (+ sidecar)--> Metadata
          --6 render (in :mod:`.writer`, once the slug is chosen)--> Markdown file text

Stages are pure functions over the dataclasses of :mod:`.model`; no stage calls
another. File I/O (finding sources, sidecars, slugs, comparing with disk, atomic
writes) is :mod:`.writer`'s, at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import limits
from ..languages import SITE_LANGUAGES
from ..names import TEXT_FIELDS, clean_field
from .artefacts import normalise as normalise_artefacts
from .clean import clean
from .extract import extract
from .figures import Loader, StoredImage, attach
from .furniture import select_content, strip_furniture_lines
from .model import BlockKind, Cleaned, IngestError, InputKind, Metadata, Source
from .paragraphs import detect_kind, rebuild_paragraphs
from .readers import read_document
from .render import render_body


@dataclass
class Built:
    """A source turned into an article, before a slug is chosen."""

    metadata: Metadata
    cleaned: Cleaned
    warnings: list[str]
    source: Source | None = None  # the decoded source, for the preservation report
    #: the rendered body (stage 6's body does not depend on the slug), checked against the
    #: limits here so the writer's loop - the one serial part of ``ingest --jobs`` - need not
    body: str | None = None
    #: the images the body names (:mod:`.figures`), for the writer to store next to the article
    images: list[StoredImage] = field(default_factory=list)


def build_article(name: str, data: bytes, sidecar: dict | None = None, load: Loader | None = None) -> Built:
    """Stages 1-5 for one source. Raises IngestError with a one-line reason. ``load`` gets the
    bytes of an image the document names but does not hold (:mod:`.figures`; the writer's)."""
    source = read_document(name, data)  # 1. bytes -> text (+ what an HTML/PDF page declares)
    refuse_past_limits(limits.body_breaches(source.text))  # 1a. before any pattern reads it
    source, cleaned = clean_stages(source)  # 1b-4, below
    # 4b. each figure marker -> its stored image and caption, or the caption alone
    cleaned, images = attach(source, cleaned, load) if source.figures else (cleaned, [])
    if not any(b.kind in (BlockKind.PARAGRAPH, BlockKind.LIST, BlockKind.QUOTE, BlockKind.TABLE) for b in cleaned.blocks):
        raise IngestError("no paragraph of text found")
    extraction = extract(source, cleaned, sidecar)  # 5. front matter
    # 5a. every text field one line of plain text, whatever the source or its sidecar held
    meta = replace(extraction.metadata, **{k: clean_field(getattr(extraction.metadata, k)) for k in TEXT_FIELDS})
    if images:
        meta = replace(meta, image=images[0].path)  # 5c. the first image is the article's hero image
    if meta.lang not in SITE_LANGUAGES:
        raise IngestError(f"language {meta.lang!r} is not a site language ({', '.join(SITE_LANGUAGES)}); set 'lang:' in the sidecar if this is wrong")
    body = render_body(cleaned)
    refuse_past_limits(limits.body_breaches(body))  # 5b. the body as it will be written
    return Built(meta, cleaned, extraction.warnings, source, body, images)


def refuse_past_limits(breaches: list[limits.Breach]) -> None:
    """IngestError with the first breach of :mod:`scidigest.limits`, if any."""
    if breaches:
        raise IngestError(f"past a limit of scidigest/limits.py: {breaches[0]}")


def _kind(source: Source) -> InputKind:
    """The HTML and PDF readers write Markdown; a text is judged by what it looks like."""
    return detect_kind(source.text) if source.format == "text" else InputKind.WEB_MARKDOWN


def _without_artefacts(source: Source) -> Source:
    if source.format != "text":
        return source
    text = normalise_artefacts(source.text)
    return source if text is source.text else replace(source, text=text)


def clean_stages(source: Source) -> tuple[Source, Cleaned]:
    """Stages 1b-4 on a decoded source: (the source without extractor artefacts, Cleaned)."""
    source = _without_artefacts(source)  # 1b. an extractor's own markup (pandoc fences, spans)
    kind = _kind(source)  # 2. what the text looks like (PDF extraction, web page, ...)
    text, furniture = strip_furniture_lines(source.text)  # 2b. page numbers, running headers
    raw = rebuild_paragraphs(text, kind)  # 3. lines -> blocks in reading order
    # 3b. the article's run of blocks, title first (an HTML page's main content was already
    # chosen by trafilatura, with the page's own structure as evidence: not chosen twice)
    raw, chrome = (raw, []) if source.format == "html" else select_content(raw)
    cleaned = clean(source, kind, raw)  # 4. title, headings, captions, notes; boilerplate out
    cleaned.dropped[:0] = furniture + chrome  # (for the content-preservation report)
    return source, cleaned


def clean_source(source: Source) -> Cleaned:
    """Stages 1b-4 on a decoded source (for tests and tools that look at one stage's output)."""
    return clean_stages(source)[1]
