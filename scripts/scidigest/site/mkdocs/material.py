"""Everything that relies on how mkdocs-material 9.8.1 works inside.

Written for the version in :data:`scidigest.versions.WRITTEN_FOR`; the
templates in ``scripts/theme/`` override Material's blocks of that version.

Partials copied from Material 9.8.1 with one change each (re-check them against a new
version): ``partials/tabs-item.html`` (a tab is also active for ``sd.tab``, the section
of a page outside the nav), ``partials/nav.html`` (such a page gets a drawer entry drawn
like ``nav-item.html``'s current page, so a phone shows its table of contents; Material's
stylesheet hides that copy at desktop width, where the right sidebar has it),
``partials/palette.html`` (toggle names from ``sd.palette``), ``partials/logo.html``
(intrinsic size, no "logo" alt text), ``partials/search.html`` (the search dialog
named, for axe's aria-dialog-name) and ``partials/copyright.html``. What they read is
computed in :mod:`scidigest.site.orientation` and the hooks.
"""

from __future__ import annotations

import json

from scidigest.site.sanitize import text_to_html, toc_title


def search_index(config, *, shortcut: bool) -> dict | None:
    """The search index Material's search plugin holds after the build
    (mkdocs-static-i18n has merged every language's entries into it), or None
    without a search plugin.

    ``shortcut``: read the plugin's ``search_index.entries`` and ``.config``
    (what ``SearchIndex.generate_search_index`` serialises) instead of
    parsing the JSON it would write: the same mapping, without a round trip
    over the whole site's text. Off, or when those attributes are missing,
    the JSON ``generate_search_index`` returns is parsed.
    """
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index_obj = getattr(search, "search_index", None) if search is not None else None
    if index_obj is None:
        return None
    entries = getattr(index_obj, "entries", None)
    if not shortcut or entries is None or not hasattr(index_obj, "config"):
        return json.loads(index_obj.generate_search_index(None))
    return {"config": {key: index_obj.config[key] for key in ("lang", "separator", "pipeline", "fields")},
            "docs": entries}


def escape_for_templates(page) -> None:
    """Make what Material's templates print unescaped HTML-escaped text, once.

    ``base.html`` and ``partials/header.html`` print ``page.meta.title`` (else
    ``page.title``) into ``<title>`` and the header, our ``main.html`` (as
    Material's) prints ``page.meta.description`` into an attribute,
    ``partials/toc-item.html`` prints each toc title, and the search plugin
    copies ``page.meta.title`` into an index entry that the search UI inserts
    as HTML: none of them escapes. Titles and descriptions are text, so each
    becomes escaped text here, before any template or the search plugin
    (``on_page_context``, priority 0) reads it. Call once per page.
    """
    meta = page.meta if isinstance(page.meta, dict) else {}
    title = page.title
    for key in ("title", "description"):
        if meta.get(key) is not None:
            meta[key] = text_to_html(meta[key])
    if title is not None:
        page.title = text_to_html(title)

    def walk(items) -> None:
        for item in items or ():
            item.title = toc_title(item.title)
            walk(getattr(item, "children", None))

    walk(page.toc)
