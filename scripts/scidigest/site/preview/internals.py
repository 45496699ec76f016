"""What the live preview relies on inside MkDocs 1.6.1, mkdocs-static-i18n 1.3.1
and mkdocs-material 9.8.1: the one place the preview reaches into them.

The preview renders single pages between full builds, so it needs the steps of
``mkdocs.commands.build.build`` one by one instead of all at once, and the
per-language state mkdocs-static-i18n normally sets up inside its nested
builds. None of this is documented API; each function says what it relies on.
The versions are those of :data:`scidigest.versions.WRITTEN_FOR` (this file is
listed there, so ``tests/site/test_framework_versions.py`` names it when one
of them moves), and ``tests/site/test_preview.py`` checks the result against a
real ``mkdocs build`` byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import jinja2
from mkdocs.commands import build as mkdocs_build
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from scidigest.site.mkdocs import state

#: what a populated Page carries between events (MkDocs 1.6.1 ``Page.read_source``/``render``)
#: update_date: the sitemap's lastmod, which the hook sets from the article's dates as it reads the page
PAGE_STATE = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids",
              "links_to_anchors", "update_date")


@dataclass
class Pass:
    """One language's share of a build: what ``build()`` keeps in local variables."""

    lang: str
    files: Files
    nav: Navigation
    env: jinja2.Environment
    doc_files: Sequence[File]
    #: page URL -> the search entries Material made for it, in build order
    entries: dict[str, list[dict]] = field(default_factory=dict)
    _by_url: dict[str, File] | None = None

    def by_url(self) -> dict[str, File]:
        """Site-relative page URL ("" for the home page) -> its File."""
        if self._by_url is None:
            self._by_url = {_url(f): f for f in self.doc_files}
        return self._by_url


def i18n_plugin(config):
    return config.plugins["i18n"]


def search_plugin(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


def build_languages(config) -> list[str]:
    """The languages i18n builds, the default first (the order of its passes)."""
    plugin = i18n_plugin(config)
    default = plugin.default_language
    return [default] + [lang for lang in plugin.build_languages if lang != default]


def enter_language(config, lang: str) -> None:
    """Put ``config`` and the plugins in the state of ``lang``'s pass.

    i18n builds every language on one config object and re-applies the
    language's settings (theme language, ``extra.alternate``, per-language
    overrides such as ``site_description``) in its ``on_config``, through
    ``reconfigure_mkdocs_config``; it also prepends its sitemap template
    directory to ``theme.dirs`` each time, which we undo so the list does not
    grow with every edit. Our hooks read the pass language from
    :class:`scidigest.site.mkdocs.state.Build`.
    """
    plugin = i18n_plugin(config)
    plugin.current_language = lang
    dirs = list(config.theme.dirs)
    plugin.reconfigure_mkdocs_config(config)
    config.theme.dirs[:] = dirs
    build = state.current()
    if build is not None:
        build.passes[:] = [lang]


def leave_language(config) -> None:
    build = state.current()
    if build is not None:
        build.passes.clear()


def gather(config, lang: str) -> Pass:
    """Files, navigation and template environment of ``lang``'s pass, as
    ``build()`` (MkDocs 1.6.1) computes them before reading any page, every
    plugin's ``on_files``/``on_nav``/``on_env`` included; each documentation
    page gets its ``Page`` object, unread."""
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for file in doc_files:
        if file.page is None:
            Page(None, file, config)
    env = config.plugins.on_env(env, config=config, files=files)
    return Pass(lang=lang, files=files, nav=nav, env=env, doc_files=doc_files)


def carry_page_state(old: Page, new: Page) -> None:
    """A page that did not change keeps what reading and rendering gave it."""
    for name in PAGE_STATE:
        setattr(new, name, getattr(old, name))


def render_page(config, p: Pass, page: Page) -> list[dict]:
    """Read, convert and write one page exactly as ``build()`` does (MkDocs'
    private ``_populate_page`` and ``_build_page``); returns the search
    entries Material's search plugin made for it (taken back out of its
    index, which the preview assembles itself)."""
    mkdocs_build._populate_page(page, config, p.files)
    index = search_plugin(config).search_index
    before = len(index.entries)
    mkdocs_build._build_page(page, config, p.doc_files, p.nav, p.env)
    entries = index.entries[before:]
    del index.entries[before:]
    page.validate_anchor_links(files=p.files, log_level=config.validation.links.anchors)
    return entries


def forget_switcher(config) -> None:
    """The language switcher as a pass starts when no page came before it.

    i18n sets ``config.extra.alternate`` as an *attribute* for each page (see
    :func:`scidigest.site.mkdocs.i18n.language_switcher`) and never removes
    it, so the static templates of a pass (built before its pages) see the
    switcher of the previous pass's last page, and the first pass none."""
    config.extra.__dict__.pop("alternate", None)


def build_static_templates(config, p: Pass) -> None:
    """The theme's static templates (``404.html``, ``sitemap.xml``) of one pass."""
    for name in config.theme.static_templates:
        mkdocs_build._build_theme_template(name, p.env, p.files, config, p.nav)


def copy_static_file(file: File) -> None:
    file.copy_file(dirty=False)


def post_build(config, lang: str, entries: list[dict]) -> None:
    """Every plugin's ``on_post_build`` for ``lang`` with the search entries a
    full build would hold at that point, but without i18n's nested builds of
    the other languages: its ``building`` flag (set while it runs them) makes
    it only collect entries, which we then drop again."""
    plugin = i18n_plugin(config)
    search = search_plugin(config)
    building, collected = plugin.building, plugin.search_entries
    plugin.building, plugin.search_entries = True, []
    search.search_index.entries = list(entries)
    enter_language(config, lang)
    try:
        config.plugins.on_post_build(config=config)
    finally:
        plugin.building, plugin.search_entries = building, collected
        search.search_index.entries = []
        leave_language(config)


class Recorder(BasePlugin):
    """Added to ``config.plugins`` for the preview's first build only: keeps each
    pass's files, navigation, environment and per-page search entries."""

    def __init__(self) -> None:
        super().__init__()
        self.passes: dict[str, Pass] = {}
        self.recording = True
        self._lang: str | None = None
        self._seen = 0
        self._parts: dict = {}

    def _current(self, config) -> str:
        return i18n_plugin(config).current_language

    @event_priority(-1000)
    def on_files(self, files, config):
        if self.recording:
            self._parts = {"files": files, "lang": self._current(config)}
            self._seen = 0
        return files

    @event_priority(-1000)
    def on_nav(self, nav, config, files):
        if self.recording:
            self._parts["nav"] = nav
        return nav

    @event_priority(-1000)
    def on_env(self, env, config, files):
        if self.recording:
            parts = self._parts
            p = Pass(lang=parts["lang"], files=parts["files"], nav=parts["nav"], env=env,
                     doc_files=parts["files"].documentation_pages(inclusion=InclusionLevel.is_included))
            self.passes[p.lang] = p
            self._seen = len(search_plugin(config).search_index.entries)
        return env

    @event_priority(-1000)
    def on_page_context(self, context, page, config, nav):
        if self.recording:
            entries = search_plugin(config).search_index.entries
            lang = self._parts["lang"]
            self.passes[lang].entries[_url(page.file)] = entries[self._seen:]
            self._seen = len(entries)
        return context


def _url(file: File) -> str:
    return "" if file.url in ("./", ".") else file.url


def generated_by_hooks(config, lang: str) -> list[File]:
    """The files the ``on_files`` handlers that run after i18n's (ours: the
    generated listings) would add to ``lang``'s pass for the current
    catalogue, computed on an empty collection. i18n's per-language sitemap
    list, which our handler replaces as a side effect, is put back."""
    plugin = i18n_plugin(config)
    handlers = list(config.plugins.events["files"])
    funcs = [getattr(h, "__func__", h) for h in handlers]
    theirs = type(plugin).on_files
    after = handlers[funcs.index(theirs) + 1:] if theirs in funcs else handlers
    saved = dict(plugin.i18n_files_per_language)
    scratch = Files([])
    try:
        for handler in after:
            scratch = handler(scratch, config=config) or scratch
    finally:
        plugin.i18n_files_per_language.clear()
        plugin.i18n_files_per_language.update(saved)
    return list(scratch)


def update_generated_file(old: File, new: File) -> None:
    """Give an existing generated ``File`` (which the navigation and its page
    hold on to) everything of its replacement but its page. i18n's
    ``alternates`` map lists the file itself under its own language."""
    page = old.page
    old.__dict__.update(new.__dict__)
    old.page = page
    old.alternates = {lang: (old if alt is new else alt) for lang, alt in (getattr(new, "alternates", None) or {}).items()}


class _MemoizedI18nFiles:
    """``mkdocs_static_i18n.suffix.create_i18n_file`` is a pure function of a
    file's paths and the languages (it makes a new ``File`` each call) and
    most of a pass's file-sorting time: while the preview gathers a pass
    again, same inputs give a copy of the earlier result."""

    def __init__(self) -> None:
        import mkdocs_static_i18n.suffix as suffix

        self.suffix = suffix
        self.original = suffix.create_i18n_file
        self.memo: dict[tuple, File] = {}

    def create(self, file, current_language, default_language, all_languages, config):
        key = (file.src_path, file.dest_path, file.__dict__.get("dest_uri"), file.inclusion, current_language,
               default_language, tuple(all_languages), config.docs_dir, config.site_dir, config.use_directory_urls)
        made = self.memo.get(key)
        if made is None:
            made = self.memo[key] = self.original(file, current_language, default_language, all_languages, config)
            made.__dict__.pop("page", None)
        copy = File.__new__(File)
        copy.__dict__.update(made.__dict__)
        copy.alternates = {current_language: copy}
        return copy

    def forget(self, keep: set[str]) -> None:
        """Drop what was made for files no longer in the docs (memory stays flat)."""
        self.memo = {k: v for k, v in self.memo.items() if k[0] in keep}

    def __enter__(self):
        self.suffix.create_i18n_file = self.create
        return self

    def __exit__(self, *exc) -> None:
        self.suffix.create_i18n_file = self.original
