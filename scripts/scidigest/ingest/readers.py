"""Stage 1, one reader per input format (Pelican's readers are the model).

Each reader turns the bytes of one document into a :class:`~.model.Source`: its text and
what the document declares about itself (:class:`~.model.Declared`). The text reader
decodes any extractor's output as it is; the HTML and PDF readers write Markdown (title as
``#``, headings, paragraphs, lists, captions, ``[^n]`` footnotes) that the shared stages
then clean like any web page.

The format comes from the file name's extension, never from a guess at the content:
``.pdf`` -> PDF, ``.html``/``.htm``/``.xhtml`` -> HTML, anything else -> text (as
before this table existed). A ``.pdf`` that is not a PDF fails with one clear line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from .model import Source
from .read import read_source

#: extension -> format
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html"}


def _read_html(name: str, data: bytes) -> Source:
    from .html import read_html  # trafilatura and lxml load only when a page is read

    return read_html(name, data)


def _read_pdf(name: str, data: bytes) -> Source:
    from .pdf import read_pdf  # pdfminer.six loads only when a PDF is read

    return read_pdf(name, data)


#: format -> reader(name, bytes) -> Source; each raises IngestError with a one-line reason
READERS: dict[str, Callable[[str, bytes], Source]] = {
    "text": read_source,
    "html": _read_html,
    "pdf": _read_pdf,
}


def document_format(name: str) -> str:
    return FORMATS.get(PurePath(name).suffix.lower(), "text")


def read_document(name: str, data: bytes) -> Source:
    """Stage 1: the bytes of ``name`` -> Source, through the reader of its format."""
    return READERS[document_format(name)](name, data)
