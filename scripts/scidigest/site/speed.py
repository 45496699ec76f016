"""Build-time savings that reach into MkDocs, Jinja and Python-Markdown.

mkdocs-static-i18n runs one full MkDocs build per language in the same
process. Some of that work gives the same result in every pass and in every
page; this module does it once. Each saving is small, self-contained and
checked by ``tests/test_site_logic.py`` (same output as MkDocs' own path):

* ``SharedBytecodeCache``: Jinja compiles the ~40 Material templates again in
  each language pass; compiled templates are kept in memory for the
  ``mkdocs build`` process (never on disk, so a clean build stays clean).
* ``memoize_template_listing``: MkDocs walks every theme directory (Material
  ships thousands of icons) in each pass to find static files; the walk is
  kept for the rest of the build.
* ``GeneratedPage``: listing pages arrive as ready HTML; they skip reading
  and Markdown entirely (MkDocs would build a Markdown parser with every
  extension for an empty body).
* ``ReusedMarkdownPage``: MkDocs builds a new ``markdown.Markdown`` with
  every extension for every page (about half of the Markdown time of a
  short article); one parser per language pass is ``reset()`` between pages
  instead, with MkDocs' own per-page processors registered afresh.
"""

from __future__ import annotations

import functools
import logging

import jinja2
import markdown
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs")


class SharedBytecodeCache(jinja2.BytecodeCache):
    """In-memory Jinja bytecode, shared by the environments of one process.

    Jinja checks each entry against the template source's checksum, so an
    edited template (``mkdocs serve``) is compiled again.
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)
            if bucket.checksum is not None and bucket.code is None:  # stale: different source
                self._store.pop(bucket.key, None)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._store.clear()


BYTECODE = SharedBytecodeCache()
_LISTINGS: dict[tuple, list[str]] = {}  # one build's theme listings


def memoize_template_listing(env: jinja2.Environment, theme=None) -> jinja2.Environment:
    """Share compiled templates and the filtered theme-directory walk across passes.

    ``Files.add_files_from_theme`` calls ``env.list_templates`` with a filter
    that depends only on the theme's static templates and MkDocs' Markdown
    extensions: the same in every pass of one build.
    """
    env.bytecode_cache = BYTECODE
    loader = env.loader
    if not isinstance(loader, jinja2.FileSystemLoader):
        return env
    original = env.list_templates
    static = tuple(sorted(getattr(theme, "static_templates", ()) or ()))

    def list_templates(extensions=None, filter_func=None) -> list[str]:
        code = getattr(filter_func, "__code__", filter_func)
        # i18n adds its sitemap directory again in each pass: a repeated
        # directory lists nothing new, so it does not change the key
        key = (tuple(dict.fromkeys(loader.searchpath)), tuple(extensions or ()), code, static)
        if key not in _LISTINGS:
            _LISTINGS[key] = original(extensions=extensions, filter_func=filter_func)
        return list(_LISTINGS[key])

    env.list_templates = list_templates  # type: ignore[method-assign]
    return env


def patch_theme(theme) -> None:
    """Make ``theme.get_env()`` return environments that share the caches
    above (an attribute on this theme object only: nothing global changes)."""
    if getattr(theme, "_sd_patched", False):
        return
    original = theme.get_env

    @functools.wraps(original)
    def get_env():
        return memoize_template_listing(original(), theme)

    theme.get_env = get_env
    theme._sd_patched = True


def new_build() -> None:
    """Forget the directory walks of the previous build (``mkdocs serve``)."""
    _LISTINGS.clear()
    _MARKDOWN.clear()


class GeneratedPage(Page):
    """A page whose title, metadata and HTML body are already known."""

    def read_source(self, config) -> None:
        planned = self.file.sd_planned
        self.markdown = ""
        self.meta = planned.meta()

    def render(self, config, files) -> None:
        self.content = ""  # the body is added by on_page_content, after other plugins' Markdown hooks
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


_MARKDOWN: dict[int, markdown.Markdown] = {}


def markdown_for(config) -> markdown.Markdown:
    """One parser per language pass (each pass has its own config object)."""
    md = _MARKDOWN.get(id(config))
    if md is None:
        md = markdown.Markdown(extensions=config["markdown_extensions"],
                               extension_configs=config["mdx_configs"] or {})
        _MARKDOWN.clear()  # one pass at a time
        _MARKDOWN[id(config)] = md
    return md


class ReusedMarkdownPage(Page):
    """``Page.render`` of MkDocs 1.6.1 with a reused, reset parser."""

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = markdown_for(config)
        md.reset()
        raw_html_ext = _RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = _ExtractAnchorsTreeprocessor(self.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = _RelativePathTreeprocessor(self.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = _ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        self.content = md.convert(self.markdown)
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = extract_title_ext.title
        self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative_path_ext.links_to_anchors


def speed_up_page(page) -> None:
    """Give ``page`` the cheaper render path that fits it (called on pre_page)."""
    if type(page) is not Page:  # a plugin's own Page subclass: leave it alone
        return
    page.__class__ = GeneratedPage if getattr(page.file, "sd_planned", None) is not None else ReusedMarkdownPage
