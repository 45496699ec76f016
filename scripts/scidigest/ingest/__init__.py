"""``scidigest ingest``: raw sources (text, HTML, PDF) -> Markdown articles with front matter.

The stages, in the order :mod:`.flow` calls them (each a pure function over the
dataclasses of :mod:`.model`, each called once):

    readers       stage 1, one reader per format: text (:mod:`.read` decodes it),
                  HTML and PDF (loaded only when such a file is read)
    paragraphs    stage 2a: input kind, raw blocks with real paragraphs rebuilt
                  (line-end hyphens by :mod:`.hyphenation`)
    clean         stage 2: title, headings, captions, notes; boilerplate out
                  (with :mod:`.boilerplate`, :mod:`.bylines`, :mod:`.dates`, :mod:`.sanitize`)
    extract       stage 3: the front matter's metadata, sidecar first
                  (with :mod:`.keyphrases`, :mod:`.langid`)
    render        stage 4: the Markdown file text, deterministic bytes
    preservation  which words of a source did not reach its article
    flow          the stages above, written out once
    writer        the edge: finding sources and sidecars, slugs, comparing with
                  what is on disk, atomic writes
    cache         the re-ingest fast path: a source, sidecar and ingest code that
                  did not change, and an article still as written, skip the stages

:mod:`.model` holds the plain data passed between the stages (``Source``,
``Cleaned``, ``Metadata``, ...), :mod:`.textutil` small text predicates they share.

Public API (what the commands, ``scidigest check``, the benchmarks and tests use)::

    from scidigest.ingest import ingest, build_article
    report = ingest([Path("sources")], Path("docs/articles"), dry_run=True)
    for r in report.results:  # SourceResult(source, status, slug, message, ...)
        ...
    built = build_article("x.txt", data, sidecar)  # stages 1-5, no file touched

Names are imported on first use, so ``import scidigest.ingest.read`` (or this
package) loads no more than it needs; trafilatura and pdfminer.six load only
when an HTML page or a PDF is read.
"""

from __future__ import annotations

from importlib import import_module

#: public name -> the module (of this package) that defines it
_EXPORTS = {
    "DEFAULT_OUT": "writer",
    "DEFAULT_SOURCES": "writer",
    "IngestReport": "writer",
    "SourceResult": "writer",
    "discover_sources": "writer",
    "ingest": "writer",
    "Built": "flow",
    "build_article": "flow",
    "clean_source": "flow",
    "FORMATS": "readers",
    "document_format": "readers",
    "read_document": "readers",
    "MAX_BYTES": "read",
    "read_source": "read",
    "render_article": "render",
    "Preservation": "preservation",
    "check_preservation": "preservation",
    "Block": "model",
    "BlockKind": "model",
    "Cleaned": "model",
    "Declared": "model",
    "IngestError": "model",
    "InputKind": "model",
    "Metadata": "model",
    "Source": "model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
