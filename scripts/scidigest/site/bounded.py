"""What the site build does with an article past a limit of :mod:`scidigest.limits`.

``scidigest ingest`` and ``scidigest check`` refuse such articles; this is the
last line for one that reached ``docs/articles/`` anyway (written by hand,
check not run): the build must neither hang nor crash on it. Its body is
published as plain, escaped text (which every renderer handles in linear
time) and its tags, categories and description are cut to the limits (each
tag is a listing page); each of these is one error line naming the file, so
``mkdocs build --strict`` fails and says why.
"""

from __future__ import annotations

import html

from .. import limits


def bounded_meta(meta: dict, name: str) -> tuple[dict, str | None]:
    """(``meta`` within the front-matter limits, the error line or None)."""
    breaches = limits.meta_breaches(meta)
    if not breaches:
        return meta, None
    meta = dict(meta)
    for key, most in (("tags", limits.MAX_TAGS), ("categories", limits.MAX_CATEGORIES), ("authors", limits.MAX_AUTHORS)):
        values = meta.get(key)
        if isinstance(values, list):
            meta[key] = [v[: limits.MAX_TERM_CHARS] if isinstance(v, str) else v for v in values[:most]]
    if isinstance(meta.get("description"), str):
        meta["description"] = meta["description"][: limits.MAX_DESCRIPTION_CHARS]
    return meta, f"{name}: past a limit of scidigest/limits.py: {breaches[0]} (cut to the limits; run scidigest check)"


def bounded_markdown(markdown: str, name: str) -> tuple[str, str | None]:
    """(``markdown``, or the same text as escaped preformatted text when it is past a
    limit; the error line or None)."""
    breaches = limits.body_breaches(markdown)
    if not breaches:
        return markdown, None
    # escaped, and without ` or ~: fenced-code preprocessors read the text before the HTML
    # block is set aside, and would otherwise find fences inside it
    text = html.escape(markdown, quote=False).replace("`", "&#96;").replace("~", "&#126;")
    return (f'<pre class="sd-past-limits">{text}</pre>\n',
            f"{name}: past a limit of scidigest/limits.py: {breaches[0]} (published as plain text; run scidigest check)")
