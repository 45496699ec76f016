"""The published site: listings, feeds, head metadata and per-language search.

Everything here is plain functions over plain data (``Article`` and friends),
so it can be tested without running MkDocs. The only MkDocs-aware code is
``mkdocs_adapter`` (turns planned pages into MkDocs ``File`` objects) and the
thin hook ``scripts/hooks.py`` that calls it.
"""

from scidigest.site.catalogue import Article, Catalogue, article_from_meta, load_articles

__all__ = ["Article", "Catalogue", "article_from_meta", "load_articles"]
