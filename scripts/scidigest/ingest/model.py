"""Plain data passed between the ingestion stages.

Each stage is a function from one of these to the next, so each can be tested
alone with hand-made values:

    bytes --read--> Source --clean--> Cleaned --extract--> Metadata
                                         \\_____________________/
                                                    |
                                               render -> Markdown text
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class InputKind(str, Enum):
    """What the raw text looks like; detected from the text, never the file name."""

    PDF_WRAPPED = "pdf-wrapped"  # PDF extraction, hard-wrapped lines
    PDF_DOUBLE_SPACED = "pdf-double-spaced"  # PDF extraction, a blank line after every line
    WEB_MARKDOWN = "web-markdown"  # web page scraped to Markdown
    WEB_TEXT = "web-text"  # web page copied as plain text


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    CAPTION = "caption"  # image caption and its credit line
    LIST = "list"  # a Markdown list kept from a Markdown source
    QUOTE = "quote"  # a Markdown blockquote kept from a Markdown source
    TABLE = "table"  # a pipe table (header row, delimiter row, rows) from a Markdown source
    IMAGE = "image"  # a stored image: text is its alt text, lines are (path, width, height) (:mod:`.figures`)


@dataclass(frozen=True)
class Declared:
    """What a document says about itself, beyond its text: an HTML page's metadata
    (``og:title``, ``<title>``, ``article:published_time``, ``<meta name=author>``,
    canonical URL, ``<html lang>``) or a PDF's layout (the largest type on page one).
    A declared field beats a guess from the text; a sidecar beats both."""

    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    authors: tuple[str, ...] = ()
    organisation: str | None = None  # site name, publisher
    source_url: str | None = None
    lang: str | None = None  # ISO 639-1
    #: the study the page is about, as its citation metadata states it (``citation_doi``,
    #: ``citation_journal_title``, ``prism.*``)
    doi: str | None = None
    journal: str | None = None


@dataclass(frozen=True)
class Source:
    """A decoded source text: the output of :mod:`scidigest.ingest.read`."""

    name: str  # file name, e.g. ``000_8d7b8a430bf18198.txt``
    text: str  # NFC, ``\\n`` line ends, mojibake repaired
    sha256: str  # of the raw bytes, for provenance
    encoding: str  # how the bytes were decoded (``utf-8``, ``cp1252``, ...)
    repaired: bool = False  # mojibake was found and fixed
    #: the document's format: "text" (any extractor's output), "html" or "pdf"; an HTML or PDF
    #: reader turns the document into Markdown ``text`` and fills ``declared``
    format: str = "text"
    declared: Declared = field(default_factory=Declared)
    #: the images a reader found in the article (:class:`~.figures.FigureRef`), each standing in
    #: ``text`` as a marker paragraph; :func:`~.figures.attach` replaces the markers
    figures: tuple = ()


@dataclass
class Block:
    """One block of the article body, in reading order."""

    kind: BlockKind
    text: str  # Markdown-ready inline text (headings without ``#``)
    lines: tuple[str, ...] = ()  # caption: its lines; list/quote: the Markdown lines


@dataclass
class Cleaned:
    """The output of :mod:`scidigest.ingest.clean`: body blocks plus what was lifted out of the text.

    ``meta_lines`` are the lines recognised as metadata (dates, bylines, kickers, URLs) and
    removed from the body; :mod:`scidigest.ingest.extract` reads them. ``dropped`` lists the
    boilerplate removed, for the content-preservation report.
    """

    input_kind: InputKind
    blocks: list[Block]
    title: str | None = None
    footnotes: dict[str, str] = field(default_factory=dict)
    meta_lines: list[str] = field(default_factory=list)
    #: the parsed values of the lifted lines, in reading order (see :mod:`.rules`):
    #: :class:`~.dates.DateHit` and :class:`~.bylines.Byline` objects
    dates: list = field(default_factory=list)
    bylines: list = field(default_factory=list)
    kicker: str | None = None  # "Information presse", "Communiqué de presse"...
    source_url: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    breadcrumb: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


@dataclass
class Metadata:
    """Front-matter fields of an original article, before rendering."""

    title: str
    lang: str
    description: str
    kind: str
    input_kind: str
    reading_time: int
    source_file: str
    source_hash: str
    slug: str = ""
    title_generated: bool = False
    date: str | None = None
    organisation: str | None = None
    authors: list[str] = field(default_factory=list)
    source_url: str | None = None
    journal: str | None = None  # the journal of the study the text reports on, where it names it
    doi: str | None = None  # that study's DOI, where the text gives it
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: the first image kept with the article (``img/<sha256 prefix>.<ext>``, relative to the
    #: article file; :mod:`.figures`), the page's hero image and preview image
    image: str | None = None


@dataclass
class Extraction:
    """The output of :mod:`scidigest.ingest.extract`: metadata plus the warnings a contributor should see."""

    metadata: Metadata
    warnings: list[str] = field(default_factory=list)


class IngestError(Exception):
    """A source that cannot become an article; the message is one line for the contributor."""
