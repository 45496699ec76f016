"""One search index per language, each with its own stemmer.

mkdocs-static-i18n builds each language in its own pass, then merges every
pass's entries into a single ``search/search_index.json`` configured for
``lang: [fr, en]`` (lunr.multiLanguage). Every reader downloads both
languages and English queries return French pages. We keep each pass's
entries and write ``search/search_index.json`` (French, lunr.fr) and
``en/search/search_index.json`` (English, lunr's own stemmer), with locations
relative to the language root; the theme points each page's search ``base``
at its language root (see ``scripts/theme/main.html``).
"""

from __future__ import annotations

import json

from scidigest.languages import SITE_LANGUAGES
from scidigest.site import urls
from scidigest.site.sanitize import search_fragment, text_to_html


def split_search_index(index: dict, lang: str) -> dict:
    """Keep the entries of ``lang`` only, relative to its root, with its stemmer."""
    prefix = urls.prefix(lang)
    other_prefixes = tuple(f"{other}/" for other in SITE_LANGUAGES if urls.prefix(other) and other != lang)
    docs = []
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        if prefix:
            if not location.startswith(prefix):
                continue
            location = location[len(prefix) :]
        elif location.startswith(other_prefixes):
            continue
        docs.append({**doc, "location": location})
    config = {**index.get("config", {}), "lang": [lang]}
    return {"config": config, "docs": docs}


def safe_search_index(index: dict) -> dict:
    """The index with every field Material's search UI inserts as HTML made safe.

    The UI puts an entry's ``title``, ``text`` and ``tags`` into the page as
    HTML. Titles and text come from the search plugin as escaped text with a
    few bare tags (:func:`..sanitize.search_fragment` keeps exactly that and
    cleans anything else, e.g. a front-matter title the plugin copied raw);
    tags are names, so they are escaped as text.
    """
    docs = []
    for doc in index.get("docs", []):
        safe = dict(doc)
        for key in ("title", "text"):
            if isinstance(safe.get(key), str):
                safe[key] = search_fragment(safe[key])
        if isinstance(safe.get("tags"), list):
            safe["tags"] = [text_to_html(tag) for tag in safe["tags"]]
        docs.append(safe)
    return {**index, "docs": docs}


def dumps(index: dict) -> str:
    """Compact JSON, as Material writes it."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=False, default=str)
