"""Machine translation of articles, Markdown-aware, cached and fault tolerant.

Stages (each a plain function over plain data):

    segments    Markdown body -> lines of literal and translatable pieces
    protect     text -> text with ``⟦N⟧`` placeholders, checked restoration
    batching    many texts -> few requests under the provider's limit
    providers   our interface over deep-translator: timeouts, error classes, retries
    validate    is an answer a translation? (echo, still French, provider warnings,
                entities, length, repetition, truncation); also judges memory and pages
    memory      committed translation memory (JSON lines, sorted, journaled, each entry
                with provider, time and checks passed; ``revalidate``)
    pages       front matter, missing / fresh / stale status, refresh of kept pages
    translator  the run: memory first, then batched requests, then pages

Public API (what ``scidigest check`` and end-to-end tests use)::

    from scidigest.translate import make_provider, run, status_all, page_state
    stats = run(Path("docs/articles"), make_provider("libre", url=stub.url), Path(memdir))
    for st in status_all(Path("docs/articles")):  # PageState(slug, state, status, ...)
        ...
"""

from .memory import DEFAULT_DIR as MEMORY_DIR
from .memory import Memory
from .pages import (
    PageState,
    page_state,
    read_page,
    source_hash,
    status_all,
    strip_notice,
    translation_state,
)
from .providers import LIMITS, PROVIDERS, Provider, RetryPolicy, TranslationError, make_provider
from .segments import skeleton_of
from .translator import Stats, TranslationFailed, Translator, run, translate_text

__all__ = [
    "LIMITS",
    "MEMORY_DIR",
    "PROVIDERS",
    "Memory",
    "PageState",
    "Provider",
    "RetryPolicy",
    "Stats",
    "TranslationError",
    "TranslationFailed",
    "Translator",
    "read_page",
    "make_provider",
    "page_state",
    "run",
    "status_all",
    "strip_notice",
    "source_hash",
    "skeleton_of",
    "translation_state",
    "translate_text",
]
