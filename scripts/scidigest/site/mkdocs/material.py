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

With the speed-ups on, two parts of Material's search plugin are replaced here (each with
a differential test): how a page body is split into search sections (:func:`search_sections`,
Parser's rules without ``html.parser``) and its ``on_post_build``, which keeps the entries but
no longer writes a ``search_index.json`` that the hooks replace (:func:`skip_search_index_file`).
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


# --------------------------------------------------------------------------- search sections
#
# Material's search plugin splits every page body into sections with ``Parser``, an
# ``html.parser.HTMLParser`` (about a tenth of a bare build at 2,000 articles, most of it
# Python's tokenizer calling back per tag). :func:`search_sections` gives the same sections
# for the bodies our build writes (nh3's allowlist: no script, style, comment or foreign
# markup, attribute values double-quoted) with one regular expression and the parser's own
# rules written out below; anything else goes through Material's ``Parser``.
# ``tests/site/test_logic.py`` compares the two on built pages and on random markup.

import html as _html  # noqa: E402
import re as _re  # noqa: E402

#: one token: an end tag, a start tag (attributes bare or double-quoted, optionally
#: self-closed), a run of text; group 7 catches any other "<" (then: Material's Parser)
_TOKEN = _re.compile(
    r"<(?:/([A-Za-z][A-Za-z0-9]*)\s*>"
    r"|([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:=\"[^\"]*\")?)*)\s*(/?)>)"
    r"|([^<]+)|(<)")
_ATTR = _re.compile(r"\s+([A-Za-z_:][-A-Za-z0-9_:.]*)(?:=\"([^\"]*)\")?")
#: what makes Parser do more than the rules below: the elements it always skips (script,
#: style, object), CDATA/RCDATA content, comments and declarations
_NOT_SIMPLE = _re.compile(r"<(?:script|style|object|textarea|title|!|\?)", _re.I)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def search_sections(content: str):
    """``Parser().data`` for ``content`` (Material's search sections), or None when
    ``content`` is not markup these rules cover (the caller then runs Material's Parser).

    Parser compares its Elements by tag alone (``__eq__``, ``__hash__``), so its context is
    read here as a list of tags, and its ``skip`` set (the elements excluded from search,
    ``data-search-exclude`` or a ``linenodiv``) as a set of tags: adding, testing and
    removing an Element there is adding, testing and removing its tag."""
    from material.plugins.search.plugin import Element, Section, void

    if _NOT_SIMPLE.search(content):
        return None
    keep = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}  # Parser.keep
    escape = _html.escape
    unescape = _html.unescape
    context: list[tuple[str, dict]] = []  # (tag, attrs)
    tags: list[str] = []  # the tags of context, for "in" tests
    skip: set[str] = set()  # the tags Parser added to its skip set (its script/style/object cannot occur here)
    data: list = []
    section = None

    def in_title() -> bool:
        return section.el.tag in tags  # Parser: ``self.section.el in self.context``

    def skipping() -> bool:
        return bool(skip) and not skip.isdisjoint(tags)  # Parser: ``self.skip.intersection(self.context)``

    for m in _TOKEN.finditer(content):
        text = m.group(5)
        if text is not None:  # Parser.handle_data (convert_charrefs: the run decoded, in one call)
            if skip and skipping():
                continue
            if "&" in text:
                text = unescape(text)
            if "pre" not in tags:
                text = text.replace("\n", " ") if not text.isspace() else " "
            if section is None:
                section = Section(Element("hx"))
                data.append(section)
            if in_title():
                if not any(tag == "a" and attrs.get("class") == "headerlink" for tag, attrs in context):
                    section.title.append(escape(text, quote=False))
            elif text.isspace():
                if not section.text or not section.text[-1].isspace():
                    section.text.append(text)
                elif "pre" in tags:
                    section.text.append(text)
            else:
                section.text.append(escape(text, quote=False))
            continue
        if m.group(6) is not None:
            return None
        end = m.group(1)
        if end is None:  # Parser.handle_starttag
            tag = m.group(2).lower()
            attrs = {}
            if m.group(3):
                for a in _ATTR.finditer(m.group(3)):
                    value = a.group(2)
                    attrs[a.group(1).lower()] = unescape(value) if value and "&" in value else value
            if tag in void:
                continue
            context.append((tag, attrs))
            tags.append(tag)
            if tag in _HEADINGS:
                depth = len(context)
                if "id" in attrs:
                    if tag != "h1" and not data:
                        section = Section(Element("hx"), depth)
                        data.append(section)
                    section = Section(Element(tag, attrs), depth)
                    if data:
                        section.id = attrs["id"]
                    data.append(section)
            if section is None:
                section = Section(Element("hx"))
                data.append(section)
            excluded = False
            for key, value in attrs.items():
                if key == "data-search-exclude" or (key == "class" and value == "linenodiv"):
                    skip.add(tag)
                    excluded = True
                    break
            if not excluded and tag in keep and not skipping():
                (section.title if in_title() else section.text).append(f"<{tag}>")
            if not m.group(4):
                continue
            end = tag  # self-closed: HTMLParser's handle_startendtag ends it at once
        # Parser.handle_endtag
        tag = end.lower()
        if not context or tags[-1] != tag:
            continue
        if section.depth > len(context):
            for previous in reversed(data):
                if previous.depth <= len(context):
                    section.depth = float("inf")
                    section = previous
                    break
        context.pop()
        tags.pop()
        if tag in skip:
            skip.remove(tag)
            continue
        if tag in keep and not skipping():
            out = section.title if in_title() else section.text
            index = out.index(f"<{tag}>")
            for i in range(index + 1, len(out)):
                if not out[i].isspace():
                    index = len(out)
                    break
            if len(out) > index:
                del out[index:]
            else:
                out.append(f"</{tag}>")
    return data


def add_search_entries(index, page) -> None:
    """``SearchIndex.add_entry_from_context`` (Material 9.8.1) with :func:`search_sections`."""
    from material.plugins.search.plugin import Parser

    search = page.meta.get("search") or {}
    if search.get("exclude"):
        return
    sections = search_sections(page.content)
    if sections is None:
        parser = Parser()
        parser.feed(page.content)
        parser.close()
        sections = parser.data
    for section in sections:
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)


def speed_up_search(config) -> None:
    """Make this pass's search index split pages with :func:`add_search_entries` (an
    attribute of the index object only; the plugin makes a new one in each ``on_config``)."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    if index is not None and hasattr(index, "create_entry_for_section"):
        index.add_entry_from_context = lambda page: add_search_entries(index, page)


# --------------------------------------------------------------------------- search index file
#
# Material's search plugin writes ``search/search_index.json`` at the end of each language
# pass, and once more when mkdocs-static-i18n has stacked every language's entries into it
# (11 MB of JSON at 2,000 articles a language): three encodings of the whole index, each file
# then overwritten by our own ``on_post_build`` (priority -200: the language's own index, and
# its shards). With the speed-ups, the plugin keeps its entries as ``on_post_build`` leaves
# them (the dirty-reload merge of ``generate_search_index``) but writes nothing.

def _keep_entries_without_writing(plugin) -> None:
    """``SearchPlugin.on_post_build`` (Material 9.8.1) without ``json.dumps`` and the write:
    the entries merged as ``SearchIndex.generate_search_index(prev)`` merges them, and the
    previous index kept for the next dirty reload as the plugin keeps it."""
    if not plugin.config.enabled:
        return
    index, prev = plugin.search_index, plugin.search_index_prev
    if prev and index.entries:
        path = index.entries[0]["location"]
        index.entries = [entry for entry in prev.entries if not entry["location"].startswith(path)] + index.entries
    if prev and not index.entries:
        index.entries = prev.entries
    if plugin.is_dirty:
        plugin.search_index_prev = plugin.search_index


def skip_search_index_file(config) -> None:
    """This build's search plugin writes no ``search_index.json`` of its own (the hooks write
    each language's): its ``on_post_build``, as MkDocs dispatches it (``config.plugins.events``)
    and as mkdocs-static-i18n calls it (the attribute), becomes :func:`_keep_entries_without_writing`."""
    search = config.plugins.get("material/search")
    if search is None or type(search).__module__ != "material.plugins.search.plugin":
        return
    original = type(search).on_post_build

    def on_post_build(*, config):
        _keep_entries_without_writing(search)

    on_post_build._sd_original = original
    search.on_post_build = on_post_build
    events = getattr(config.plugins, "events", {}).get("post_build", [])
    for i, method in enumerate(events):
        if getattr(method, "__self__", None) is search and getattr(method, "__func__", None) is original:
            events[i] = on_post_build
