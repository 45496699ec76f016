"""The published site: listings, feeds, head metadata and per-language search.

Everything here is plain functions over plain data (``Article`` and friends),
so it can be tested without running MkDocs:

    catalogue  articles as the site sees them (front matter only)
    urls       where every page lives, one function per kind of page
    listings   home pagination; all articles, archives, topic and tag pages,
               paginated, with compact entries
    feeds      one RSS feed per language
    meta       each page's <head> and article header
    search     one search index per language
    labels     reader-facing words and dates, per language
    synthetic  synthetic articles for tests and the benchmark

Everything that touches MkDocs, mkdocs-static-i18n or Material is in
:mod:`scidigest.site.mkdocs` (hooks, build state, speed-ups, i18n, Material),
called by the thin hook file ``scripts/hooks.py`` that ``mkdocs.yml`` names.
``SCIDIGEST_SPEEDUPS=0`` turns the build-time speed-ups off (same output, slower).

Public API: :class:`Article`, :class:`Catalogue`, :func:`article_from_meta`,
:func:`load_articles`; the modules above by name (``from scidigest.site import urls``).
"""

from scidigest.site.catalogue import Article, Catalogue, article_from_meta, load_articles

__all__ = ["Article", "Catalogue", "article_from_meta", "load_articles"]
