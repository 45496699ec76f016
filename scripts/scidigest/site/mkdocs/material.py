"""Everything that relies on how mkdocs-material 9.8.1 works inside.

Written for the version in :data:`scidigest.versions.WRITTEN_FOR`; the
templates in ``scripts/theme/`` override Material's blocks of that version.
"""

from __future__ import annotations

import json


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
