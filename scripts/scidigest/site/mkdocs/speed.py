"""Build-time savings that reach into MkDocs, Jinja and Python-Markdown.

mkdocs-static-i18n runs one full MkDocs build per language in the same
process. Some of that work gives the same result in every pass and in every
page; this module does it once. Each saving is small, self-contained and
checked by ``tests/site/test_logic.py`` (same output as MkDocs' own path);
``tests/site/test_speedups_identical_output.py`` builds the whole site with
and without them and requires byte-identical output.

* ``SharedBytecodeCache``: Jinja compiles the ~40 Material templates again in
  each language pass; compiled templates are kept in memory for the build
  (never on disk, so a clean build stays clean).
* ``memoize_template_listing``: MkDocs walks every theme directory (Material
  ships thousands of icons) in each pass to find static files; the walk is
  kept for the rest of the build.
* ``memoize_partials``: Material's header search box, palette toggles, tabs,
  back-to-top button, footer and logo print the same HTML on most pages of a
  pass; each is rendered once per distinct value of what it reads (its key,
  :data:`PARTIAL_KEYS`) and the HTML reused. So are two macros called many
  times per page (:data:`MACRO_KEYS`): the drawer entries that are not the
  page's, and the labels (``lang.t``, which builds Material's whole table of
  labels at each call); and blocks of our own templates (:data:`BLOCK_KEYS`:
  the ``__config`` JSON). The keys of one page share what they all read
  (``_PageScratch``).
* ``GeneratedPage``: listing pages arrive as ready HTML; they skip reading
  and Markdown entirely (MkDocs would build a Markdown parser with every
  extension for an empty body).
* ``ReusedMarkdownPage``: MkDocs builds a new ``markdown.Markdown`` with
  every extension for every page (about half of the Markdown time of a
  short article); one parser per language pass is ``reset()`` between pages
  instead, with MkDocs' own per-page processors registered afresh.

* ``inline_patterns_for``: a page is converted without the inline patterns
  its text cannot match (Python-Markdown tries every pattern at every text
  node; each pattern's regex is checked against the one it was written for).
  ``block_processors_for`` does the same for the block processors (tried in
  turn at every block), from :data:`BLOCK_TRIGGERS`.
* ``normalized_url``: MkDocs' ``url`` filter and the memos' keys remember
  ``normalize_url`` by what its answer depends on (the path, the page directory's
  depth and the segments they share); ``memoize_partials`` also
  keeps included templates in a dict (MkDocs' environment never reloads).

The hooks add more, through public events: each article is read once per
build (``on_page_read_source``), Material's search entries are taken as they
are rather than through a JSON round trip, its search sections are found
without ``html.parser`` and its own ``search_index.json`` (which the hooks
replace) is not written (:mod:`.material`).

The switch: ``SCIDIGEST_SPEEDUPS=0`` (also ``false``, ``no``, ``off``) in the
environment of ``mkdocs build``/``mkdocs serve`` turns every one of them off,
and the site is built by MkDocs' own code paths. They are also off, with a
one-line warning, when the installed MkDocs is not the version this module
was written for (:data:`scidigest.versions.WRITTEN_FOR`): ``Page.render``
below is a copy of MkDocs 1.6.1's, and the private processors it registers
and the way ``Files.add_files_from_theme`` filters the theme listing may
change in any release. The warning goes to the ``scidigest`` logger, not
MkDocs' own, so ``mkdocs build --strict`` still succeeds on the plain path.
"""

from __future__ import annotations

import functools
import logging
import os

import jinja2
import markdown
import markdown.treeprocessors

# MkDocs' private per-page processors: ReusedMarkdownPage registers them as
# Page.render does (MkDocs 1.6.1); they have no public equivalent.
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc
from mkdocs.utils import _get_norm_url, _norm_parts, normalize_url  # (MkDocs 1.6.1's own, cached)

from scidigest import versions

#: Page.render's own logger (MkDocs 1.6.1): its level decides whether links_to_anchors is kept
log = logging.getLogger("mkdocs.structure.pages")
warn = logging.getLogger("scidigest.site.mkdocs")
#: ProperDocs' Page.render (1.6.7) keeps links_to_anchors at every log level, MkDocs' (1.6.1) not at DEBUG
_KEEP_ANCHORS_AT_DEBUG = versions.engine() == "properdocs"

#: the environment variable that turns the speed-ups off
SWITCH = "SCIDIGEST_SPEEDUPS"
_OFF = ("0", "false", "no", "off")


def switched_on() -> bool:
    """False when ``SCIDIGEST_SPEEDUPS`` says off."""
    return os.environ.get(SWITCH, "1").strip().lower() not in _OFF


def enabled(package: str = "mkdocs") -> bool:
    """Whether the speed-ups that rely on ``package``'s internals may run in this build:
    switched on, and ``package`` is the version they were written for (else one warning)."""
    if not switched_on():
        return False
    if package == "mkdocs":  # the code that runs: ProperDocs' under the properdocs command
        package = versions.engine()
    mismatch = versions.mismatch(package)
    if mismatch is not None:
        warn.warning("scidigest: speed-ups off, building the plain way (%s)", mismatch)
        return False
    return True


class SharedBytecodeCache(jinja2.BytecodeCache):
    """In-memory Jinja bytecode, shared by the environments of one build.

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


class SpeedCaches:
    """What the speed-ups keep for one build (part of :class:`.state.Build`)."""

    def __init__(self) -> None:
        self.bytecode = SharedBytecodeCache()
        self.listings: dict[tuple, list[str]] = {}  # theme directory walks
        self.parsers: dict[int, markdown.Markdown] = {}  # the language pass's parser


def memoize_template_listing(env: jinja2.Environment, theme, caches: SpeedCaches) -> jinja2.Environment:
    """Share compiled templates and the filtered theme-directory walk across passes.

    ``Files.add_files_from_theme`` (MkDocs 1.6.1) calls ``env.list_templates``
    with a filter that depends only on the theme's static templates and
    MkDocs' Markdown extensions: the same in every pass of one build.
    """
    env.bytecode_cache = caches.bytecode
    memoize_partials(env)
    from mkdocs.utils import templates

    if env.filters.get("url") is templates.url_filter:  # (not another plugin's)
        env.filters["url"] = url_filter
    loader = env.loader
    if not isinstance(loader, jinja2.FileSystemLoader):
        return env
    original = env.list_templates
    static = tuple(sorted(getattr(theme, "static_templates", ()) or ()))
    listings = caches.listings

    def list_templates(extensions=None, filter_func=None) -> list[str]:
        code = getattr(filter_func, "__code__", filter_func)
        # i18n adds its sitemap directory again in each pass: a repeated
        # directory lists nothing new, so it does not change the key
        key = (tuple(dict.fromkeys(loader.searchpath)), tuple(extensions or ()), code, static)
        if key not in listings:
            listings[key] = original(extensions=extensions, filter_func=filter_func)
        return list(listings[key])

    env.list_templates = list_templates  # type: ignore[method-assign]
    return env


# ---------------------------------------------------------------- partials memo
#
# Jinja compiles ``{% include "x.html" %}`` (with context, Jinja 3.1) into
# ``environment.get_template("x.html", parent)`` and then iterates
# ``template.root_render_func(new_context)``: an included template only
# reads its context and cannot change its includer's (``set`` inside an
# include stays there). So a template whose output is a function of a few
# context values can be rendered once per distinct tuple of those values.
# Each key function below returns that tuple, read exactly as the template
# reads it (``| url`` through MkDocs' own ``normalize_url``, as its
# ``url_filter`` does), or None to render the plain way. The memo lives on
# the Template object, which belongs to one pass's environment, and every key
# also carries the pass's language. A key that missed something the template
# reads would show in tests/site/test_speedups_identical_output.py.


#: (path, how many parts the page's directory has, how many first parts it shares with the
#: path) -> normalize_url's answer
_URLS: dict[tuple, str] = {}
#: page URL -> the parts of its directory as get_relative_url reads them
_DIRS: dict[str, tuple[str, ...]] = {}


def normalized_url(path: str, page, base: str) -> str:
    """``mkdocs.utils.normalize_url(path, page=page, base=base)``, remembered. With a page,
    MkDocs 1.6.1's answer is the path itself for a URL with a scheme or host, or one that
    starts with "/" or "#"; else ``get_relative_url`` of it from the page's directory
    (``page.url`` without its last part when that holds a dot), normalised into parts:
    ``".."`` for each directory part past the prefix the two share, then the path's parts
    past it. That depends on the path, the directory's number of parts and the length of
    the shared prefix: the key. Articles' pages, each in a directory of its own, then share
    every URL of the theme and the nav."""
    if page is None:
        return normalize_url(path, page=None, base=base)
    url = page.url
    parts = _DIRS.get(url)
    if parts is None:
        dirname, _, basename = url.rpartition("/")
        if len(_DIRS) > 50_000:
            _DIRS.clear()
        parts = _DIRS[url] = tuple(_norm_parts(dirname if "." in basename else url))
    norm, level = _get_norm_url(path)
    common = 0
    if level != -1:
        for a, b in zip(parts, _norm_parts(norm)):
            if a != b:
                break
            common += 1
    key = (path, len(parts), common)
    hit = _URLS.get(key)
    if hit is None:
        if len(_URLS) > 200_000:
            _URLS.clear()
        hit = _URLS[key] = normalize_url(path, page=page, base=base)
    return hit


@jinja2.pass_context
def url_filter(context, value) -> str:
    """MkDocs 1.6.1's ``url`` filter (``mkdocs.utils.templates.url_filter``) through :func:`normalized_url`."""
    return normalized_url(str(value), context["page"], context["base_url"])


def _url(ctx, value) -> str:
    """What ``{{ value | url }}`` prints in ``ctx`` (MkDocs 1.6.1's ``url_filter``)."""
    return normalized_url(str(value), ctx.get("page"), ctx.get("base_url", ""))


def _lang(ctx):
    config = ctx.get("config")
    return config.theme.get("language") if config is not None else None


class _PageScratch:
    """What the memo keys read of one page's render that every key of it reads the same:
    the pass's language, the features, ``config.extra.status``, and each nav item's
    subtree key (the tabs, then each drawer entry, walk the same items). Kept for the
    page (and config, nav and base URL) being rendered; a render of another page, or
    the same page under another config, starts afresh. Nothing here outlives
    the page's render in meaning: MkDocs reads every page before it renders any, so
    the nav's titles and metadata are settled, and ``active`` is set before the render."""

    __slots__ = ("page", "config", "nav", "base", "lang", "features", "status", "subtrees", "drawn")

    def __init__(self, page, config, nav, base) -> None:
        self.page, self.config, self.nav, self.base = page, config, nav, base
        self.lang = config.theme.get("language") if config is not None else None
        self.features = None  # read from the first context that asks (tuple)
        self.status = _freeze(config.extra.get("status")) if config is not None else None
        self.subtrees: dict[int, tuple] = {}
        self.drawn: dict[tuple, str] = {}  # (template, key) -> its HTML, for this page (PAGE_KEYS)


_SCRATCH: list[_PageScratch | None] = [None]


def _scratch(ctx) -> _PageScratch | None:
    """The scratch of the page ``ctx`` renders (None without a page: no sharing)."""
    page = ctx.get("page")
    if page is None:
        return None
    config, nav, base = ctx.get("config"), ctx.get("nav"), ctx.get("base_url", "")
    s = _SCRATCH[0]
    if s is None or s.page is not page or s.config is not config or s.nav is not nav or s.base != base:
        s = _SCRATCH[0] = _PageScratch(page, config, nav, base)
    return s


def _features(ctx, scratch: _PageScratch | None) -> tuple:
    if scratch is None:
        return tuple(ctx.get("features") or ())
    if scratch.features is None:
        scratch.features = tuple(ctx.get("features") or ())
    return scratch.features


def _pass_lang(ctx, scratch: _PageScratch | None):
    return scratch.lang if scratch is not None else _lang(ctx)


def _status(ctx, scratch: _PageScratch | None):
    if scratch is not None:
        return scratch.status
    config = ctx.get("config")
    return _freeze(config.extra.get("status")) if config is not None else None


def _sd(ctx, *names):
    sd = ctx.get("sd")
    if not isinstance(sd, dict):
        return (sd is None,)
    return tuple(_freeze(sd.get(n)) for n in names)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _freeze(value):
    if type(value) in _SCALARS:  # (most values: the tests below, in that order, cost more)
        return value
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def _tabs_key(ctx):
    nav = ctx.get("nav")
    if nav is None:
        return None
    # each item's subtree key holds all that tabs-item.html reads of it (URL as printed, active,
    # title, children, index page, icon) and more: a finer key, shared with the drawer's entries
    scratch = _scratch(ctx)
    return (_pass_lang(ctx, scratch), _features(ctx, scratch), _sd(ctx, "tab"),
            tuple(_subtree_key(ctx, item, scratch) for item in nav.items))


def _palette_key(ctx):
    sd_404 = ctx.get("sd_404")
    return (_lang(ctx), _sd(ctx, "palette"),
            _freeze(sd_404.get("palette")) if isinstance(sd_404, dict) else sd_404 is None)


def _copyright_values(ctx):
    config = ctx.get("config")
    return (_lang(ctx), config.copyright if config is not None else None,
            _sd(ctx, "feed", "about", "feed_label", "about_label", "made_with_before", "made_with_after"))


def _footer_key(ctx):
    if "navigation.footer" in (ctx.get("features") or ()):  # then it prints the page's neighbours
        return None
    config = ctx.get("config")
    return (_copyright_values(ctx), _freeze(config.extra.get("social")) if config is not None else None)


def _logo_key(ctx):
    config = ctx.get("config")
    logo = config.theme.get("logo") if config is not None else None
    return (_lang(ctx), _url(ctx, logo)) if logo else None


def _constant_key(ctx):
    """search.html and top.html: the pass's labels and icons only."""
    return (_lang(ctx), tuple(ctx.get("features") or ()))


#: template name -> what its output depends on (Material 9.8.1 and scripts/theme's copies)
PARTIAL_KEYS = {
    "partials/tabs.html": _tabs_key,
    "partials/search.html": _constant_key,
    "partials/top.html": _constant_key,
    "partials/palette.html": _palette_key,
    "partials/footer.html": _footer_key,
    "partials/copyright.html": _copyright_values,
    "partials/logo.html": _logo_key,
}


def _nav_item_key(ctx, args):
    """Material's ``nav-item.html`` ``render(nav_item, path, level)`` for an item that is not
    the page's nor holds it (not active): its HTML then follows from the item's subtree (URLs
    as printed, titles, metadata), its path and level, the features and config.extra.status.
    The active one (the page's own entry, with its table of contents) is drawn the plain way."""
    if len(args) != 3:  # with a parent (the macro's own calls for children), or other arguments
        return None
    nav_item, path, level = args
    page = ctx.get("page")
    if getattr(nav_item, "active", False) or nav_item is page or getattr(nav_item, "pages", None):
        return None
    scratch = _scratch(ctx)
    return (_pass_lang(ctx, scratch), id(nav_item), path, level, _features(ctx, scratch), _status(ctx, scratch),
            _subtree_key(ctx, nav_item, scratch))


def _subtree_key(ctx, item, scratch: _PageScratch | None = None) -> tuple:
    """What Material's nav-item and tabs-item read of ``item`` and its descendants: URLs as
    printed on this page, active flags, titles, index flags, metadata (icon, status,
    subtitle), encryption; once per item and page render with ``scratch``."""
    if scratch is not None:
        key = scratch.subtrees.get(id(item))
        if key is not None:
            return key
    url = getattr(item, "url", None)
    meta = getattr(item, "meta", None)
    children = getattr(item, "children", None) or ()
    key = (_url(ctx, url) if url is not None else None, bool(getattr(item, "active", False)), item.title,
           bool(getattr(item, "is_index", False)), _freeze(meta) if isinstance(meta, dict) else None,
           bool(getattr(item, "encrypted", False)), tuple(_subtree_key(ctx, c, scratch) for c in children))
    if scratch is not None:
        scratch.subtrees[id(item)] = key  # (the nav holds the item for the page's render)
    return key


def _label_key(ctx, args):
    """Material's ``language.html`` ``t(key)``: the label of ``key`` in the pass's language
    (``config.theme.language``), else English, else the key; nothing else."""
    if len(args) != 1 or not isinstance(args[0], str):
        return None
    return (_pass_lang(ctx, _scratch(ctx)), args[0])


#: imported template -> (its macro memoized, what the macro's output depends on)
MACRO_KEYS = {
    "partials/nav-item.html": ("render", _nav_item_key),
    "partials/language.html": ("t", _label_key),
}


def _config_key(ctx):
    """``main.html``'s ``config`` block (scripts/theme): the ``__config`` JSON. It reads the
    search base (``sd``, else ``sd_404``, else ``base_url``), the features, the pass's labels
    (``lang.t``), the worker's URL as printed on the page, the search separator and
    ``config.extra``'s ``annotate`` and ``tags``."""
    config = ctx.get("config")
    sd, sd_404 = ctx.get("sd"), ctx.get("sd_404")
    if config is None or not isinstance(sd, (dict, type(None))) or not isinstance(sd_404, (dict, type(None))):
        return None
    if sd:
        base = ("sd", _freeze(sd.get("search_base")), "search_base" in sd)
    elif sd_404:
        base = ("sd_404", _freeze(sd_404.get("home")), "home" in sd_404)
    else:
        base = ("base_url", ctx.get("base_url"))
    search = config.plugins.get("material/search") or config.plugins.get("search")
    separator = getattr(getattr(search, "config", None), "get", lambda _: None)("separator")
    scratch = _scratch(ctx)
    return (_pass_lang(ctx, scratch), base, _features(ctx, scratch),
            _url(ctx, "assets/javascripts/workers/scidigest-search.js"), separator,
            _freeze(config.extra.get("annotate")), _freeze(config.extra.get("tags")))


#: (template, block) -> what the block's output depends on (scripts/theme's templates)
BLOCK_KEYS = {
    ("main.html", "config"): _config_key,
}


class _LazyModule:
    """What ``{% import ... as x with context %}`` binds for a template of :data:`MACRO_KEYS`:
    ``x.<macro>`` is the memoized call, and the real module (``TemplateModule``, which runs the
    template's body in its new context) is only made when something needs it: a memo miss,
    a call the memo does not cover, or any other attribute. On most pages every drawer entry
    and label is a hit, and the module is never made."""

    __slots__ = ("_make", "_module", "_name", "_call")

    def __init__(self, make, name: str, module=None) -> None:
        self._make, self._module, self._name, self._call = make, module, name, None

    def _real(self):
        if self._module is None:
            self._module = self._make()
        return self._module

    def __getattr__(self, attr):
        if attr == self._name:
            return self._call
        return getattr(self._real(), attr)

    def __str__(self) -> str:
        return str(self._real())

    def __html__(self):
        return self._real().__html__()


def _memoized_module(template, name, key_of):
    """``make_module`` of a template of :data:`MACRO_KEYS`: ``{% import ... as x with context %}``
    (Jinja 3.1) builds the module per render, as ``Template.make_module`` does here; its
    macro ``name`` is wrapped with a memo shared by the pass (the Template's)."""
    memo: dict = {}
    defines: bool | None = None  # whether the template defines ``name`` (known from the first module)

    def make_module(vars=None, shared=False, locals=None):
        nonlocal defines
        ctx = template.new_context(vars, shared, locals)
        module = None
        if defines is None:
            module = jinja2.environment.TemplateModule(template, ctx)
            defines = getattr(module, name, None) is not None
        if not defines:
            return module if module is not None else jinja2.environment.TemplateModule(template, ctx)
        lazy = _LazyModule(lambda: jinja2.environment.TemplateModule(template, ctx), name, module)

        def call(*args, **kwargs):  # called as the template calls the macro
            key = None if kwargs else key_of(ctx, args)
            if key is None:
                return getattr(lazy._real(), name)(*args, **kwargs)
            html = memo.get(key)
            if html is None:
                html = memo[key] = getattr(lazy._real(), name)(*args)
            return html

        lazy._call = call
        return lazy

    make_module._sd_memo = memo
    return make_module


def _toc_key(ctx, scratch: _PageScratch):
    """Material's ``toc.html``: the page's table of contents (``page.toc``) and its title
    (the ``toc`` label, or ``mdx_configs.toc.title``); the drawer and the sidebar both draw it."""
    page, config = ctx.get("page"), ctx.get("config")
    if page is None or config is None:
        return None
    toc_config = (config.mdx_configs or {}).get("toc")
    title = toc_config.get("title") if isinstance(toc_config, dict) else toc_config
    return (scratch.lang, _freeze(title), id(page.toc))


#: template -> what its output depends on within one page's render (drawn once per page)
PAGE_KEYS = {
    "partials/toc.html": _toc_key,
}


def _page_memoized(render, name: str, key_of):
    """A template drawn more than once in a page's render: its HTML kept in the page's scratch."""

    def root_render_func(ctx):
        scratch = _scratch(ctx)
        key = key_of(ctx, scratch) if scratch is not None else None
        if key is None:
            yield from render(ctx)
            return
        html = scratch.drawn.get((name, key))
        if html is None:
            html = scratch.drawn[(name, key)] = "".join(render(ctx))
        yield html

    root_render_func._sd_memo = True
    return root_render_func


def _memoized(render, key_of):
    """A template's render function (its root, or one of its blocks: both take the context and
    yield strings), its output remembered per key for the pass (the Template's)."""
    memo: dict = {}

    def root_render_func(ctx):
        key = key_of(ctx)
        if key is None:
            yield from render(ctx)
            return
        html = memo.get(key)
        if html is None:
            html = memo[key] = "".join(render(ctx))
        yield html

    root_render_func._sd_memo = memo
    return root_render_func


def memoize_partials(env: jinja2.Environment) -> jinja2.Environment:
    """Wrap the ``root_render_func`` of each template of :data:`PARTIAL_KEYS` as it is loaded."""
    if getattr(env, "_sd_partials", False):
        return env
    original = env.get_template
    # MkDocs' environment never reloads (auto_reload=False) and keeps up to 400 templates
    # (Jinja's LRU cache, a lock and a reorder per look-up): a theme has fewer, so the
    # template Jinja would return for (name, parent) is kept in a plain dict
    loaded: dict[tuple[str, str | None], jinja2.Template] = {}

    def get_template(name, parent=None, globals=None):
        plain = not globals and isinstance(name, str) and not env.auto_reload
        if plain:
            template = loaded.get((name, parent))
            if template is not None:
                return template
        template = original(name, parent, globals)
        key_of = PARTIAL_KEYS.get(template.name)
        if key_of is not None and getattr(template.root_render_func, "_sd_memo", None) is None:
            template.root_render_func = _memoized(template.root_render_func, key_of)
        elif template.name in PAGE_KEYS and getattr(template.root_render_func, "_sd_memo", None) is None:
            template.root_render_func = _page_memoized(template.root_render_func, template.name,
                                                       PAGE_KEYS[template.name])
        elif template.name in MACRO_KEYS and getattr(template.make_module, "_sd_memo", None) is None:
            template.make_module = _memoized_module(template, *MACRO_KEYS[template.name])
        for (name_of, block), block_key in BLOCK_KEYS.items():
            if template.name == name_of and block in template.blocks \
                    and getattr(template.blocks[block], "_sd_memo", None) is None:
                template.blocks[block] = _memoized(template.blocks[block], block_key)  # (a block renders as a root does)
        if plain and len(loaded) < 400:
            loaded[(name, parent)] = template
        return template

    env.get_template = get_template  # type: ignore[method-assign]
    env._sd_partials = True
    return env


def patch_theme(theme, caches: SpeedCaches) -> None:
    """Make ``theme.get_env()`` return environments that share ``caches``.

    MkDocs' build calls ``config.theme.get_env()`` and hands the result to
    ``Files.add_files_from_theme`` before any plugin event sees it (``on_env``
    comes later), so the theme object's method is the only place to reach
    it. An attribute on this theme object only: nothing global changes. The
    caches are looked up at each call, so a theme object that outlives a
    build (``mkdocs serve``) uses the current build's.
    """
    theme._sd_caches = caches
    _SCRATCH[0] = None  # (a new build: no page of the last one is kept)
    if getattr(theme, "_sd_patched", False):
        return
    original = theme.get_env

    @functools.wraps(original)
    def get_env():
        return memoize_template_listing(original(), theme, theme._sd_caches)

    theme.get_env = get_env
    theme._sd_patched = True


class GeneratedPage(Page):
    """A page whose title, metadata and HTML body are already known."""

    def read_source(self, config) -> None:
        planned = self.file.sd_planned
        self.markdown = ""
        self.meta = planned.meta()

    def render(self, config, files) -> None:
        # what Page.render (MkDocs 1.6.1) sets, for an empty body
        self.content = ""  # the body is added by on_page_content, after other plugins' Markdown hooks
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def markdown_for(config, parsers: dict[int, markdown.Markdown] | None = None) -> markdown.Markdown:
    """One parser per language pass (each pass has its own config object),
    kept in ``parsers``; without it, a new parser."""
    md = parsers.get(id(config)) if parsers is not None else None
    if md is None:
        md = markdown.Markdown(extensions=config["markdown_extensions"],
                               extension_configs=config["mdx_configs"] or {})
        if parsers is not None:
            parsers.clear()  # one pass at a time
            parsers[id(config)] = md
    return md


#: inline pattern (Python-Markdown 3.11.3, pymdownx tilde/caret) -> (its regex as registered,
#: the strings one of which every match contains). A pattern whose regex is not this one
#: (another version, another extension under the same name) is always kept.
_LINK_START = (r"(?<!\!)\[", ("[",))
_IMAGE_START = (r"\!\[", ("![",))
INLINE_TRIGGERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "footnote": (r"\[\^([^\]]*)\]", ("[^",)),
    **dict.fromkeys(("reference", "link", "short_reference"), _LINK_START),
    **dict.fromkeys(("image_link", "image_reference", "short_image_ref"), _IMAGE_START),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    "linebreak": (r"  \n", ("  \n",)),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (r"\*|_", ("*", "_")),
    "delimiter": (r"\~|\^", ("~", "^")),
}


def _triggers(name: str, pattern) -> tuple[str, ...] | None:
    regex = getattr(pattern, "pattern", None)
    if name == "html" and isinstance(regex, str) and regex.startswith("(<"):
        return ("<",)  # raw inline HTML: every match starts with "<"
    expected = INLINE_TRIGGERS.get(name)
    return expected[1] if expected is not None and regex == expected[0] else None


class _Probe:
    """The text Python-Markdown's processors see of a source (as NormalizeWhitespace leaves
    it, a blank line after it), and which strings it holds, each looked for once. ASCII
    strings are looked for in the text's UTF-8 bytes (where an ASCII byte is only ever an
    ASCII character), each of their characters first: one byte is found by ``memchr``,
    about ten times faster than a string of two, and most strings lack one of theirs."""

    __slots__ = ("text", "data", "found")

    def __init__(self, source: str, tab_length: int) -> None:
        text = source
        if "\x02" in text or "\x03" in text:
            text = text.replace("\x02", "").replace("\x03", "")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text += "\n\n"
        if "\t" in text:
            text = text.expandtabs(tab_length)
        self.text, self.data, self.found = text, text.encode("utf-8", "surrogatepass"), {}

    def holds(self, trigger) -> bool:
        found = self.found.get(trigger)
        if found is None:
            if not isinstance(trigger, str):  # a function of the text
                found = trigger(self.text)
            elif trigger.isascii():
                data = self.data
                needle, chars = _ascii(trigger)
                found = True
                for char in chars:  # (each a memchr: most strings lack one of their characters)
                    if char not in data:
                        found = False
                        break
                if found and len(needle) > 1:
                    found = needle in data
            else:
                found = trigger in self.text
            self.found[trigger] = found
        return found


@functools.lru_cache(maxsize=256)
def _ascii(trigger: str) -> tuple[bytes, tuple[bytes, ...]]:
    """``trigger`` as bytes, and its distinct characters (those commonest in prose last)."""
    chars = sorted(set(trigger), key=lambda c: (c in " -.,:'e", c))
    return trigger.encode("ascii"), tuple(c.encode("ascii") for c in chars)


#: the probe of the page being converted (inline patterns and block processors read the same text)
_PROBE: list = [None, None, None]


def _probe(md: markdown.Markdown, source: str) -> _Probe:
    last = _PROBE
    if last[0] is source and last[1] == md.tab_length:
        return last[2]
    probe = _Probe(source, md.tab_length)
    last[0], last[1], last[2] = source, md.tab_length, probe
    return probe


def inline_patterns_for(md: markdown.Markdown, source: str) -> list:
    """``md``'s inline patterns, in order, without those that cannot match anywhere in
    ``source``: the text inline patterns read is the source's (as NormalizeWhitespace leaves
    it) with placeholders (control characters, letters, digits, ":") for what was set aside,
    so a pattern whose every match holds a string the source lacks finds nothing. Removing
    it changes nothing but the time (Python-Markdown tries each pattern at each text node)."""
    # (the probe's text: NormalizeWhitespace's first steps; its last one only removes blank lines' spaces)
    return _kept(md, "_sd_inline", md.inlinePatterns, _triggers, _probe(md, source))


def _kept(md: markdown.Markdown, cache_name: str, registry, triggers_of, probe: _Probe) -> list:
    """The items of ``registry`` in priority order, without those whose triggers
    (``triggers_of(name, item)``, None: always kept) ``probe``'s text lacks; the table of
    triggers and each distinct kept list are remembered on ``md`` under ``cache_name``."""
    cache = md.__dict__.setdefault(cache_name, {})
    table = cache.get("table")
    if table is None or table[0] is not registry or len(table[1]) != len(registry):
        list(registry)  # (iterating sorts the registry's _priority by priority, as its users see it)
        named = [(item.name, registry[item.name]) for item in registry._priority]
        table = cache["table"] = (registry, [(p, triggers_of(n, p)) for n, p in named])
        cache["lists"] = {}
    key = _keep_key(probe, table[1])
    kept = cache["lists"].get(key)
    if kept is None:
        kept = cache["lists"][key] = [p for (p, _), keep in zip(table[1], key) if keep]
    return kept


#: block processor (Python-Markdown 3.11.3, pymdownx 10) -> (its class, its regex as set, what one
#: of which the text must hold for the processor to take any block). A block is always the
#: source's text (as NormalizeWhitespace leaves it) with characters only taken away
#: (indentation, "> ", list markers, what preprocessors set aside behind placeholders), so
#: a processor whose every success needs a string, or a line start, the source lacks
#: never takes a block there. Its test and run are then skipped: BlockParser tries each
#: processor in order at each block until one takes it, so the others' order and answers
#: are unchanged. ``"\t"`` marks "a line indented by the tab length"; a ``re.Pattern``
#: is searched. A processor whose class or regex differs (another version) is always kept.
_INDENT = "\t"
_HR_TRIGGERS = tuple(c + gap + c for c in "-*_" for gap in ("", " ", "  "))


def _numbered(text: str) -> bool:
    """Whether ``text`` holds a decimal digit (``\\d``: Unicode's Nd) right before ". "."""
    at = text.find(". ")
    while at > 0:
        if text[at - 1].isdecimal():
            return True
        at = text.find(". ", at + 2)
    return False
BLOCK_TRIGGERS: dict[str, tuple[str, str | None, tuple]] = {
    # its opening line, or the div of an earlier one it continues (md_in_html can write one)
    "admonition": ("markdown.extensions.admonition.AdmonitionProcessor",
                   r'(?:^|\n)!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *(?:\n|$)', ("!!!", "admonition")),
    "details": ("pymdownx.details.DetailsProcessor",
                r'(?:^|\n)\?{3}(\+)? ?(?:([\w\-]+(?: +[\w\-]+)*?)?(?: +"(.*?)")|([\w\-]+(?: +[\w\-]+)*?)) *(?:\n|$)',
                ("???", "details")),
    "indent": ("markdown.blockprocessors.ListIndentProcessor", None, (_INDENT,)),
    "code": ("pymdownx.superfences.SuperFencesCodeBlockProcessor", None, (_INDENT,)),
    "table": ("markdown.extensions.tables.TableProcessor", None, ("|",)),  # a row of two cells, or a border
    "hashheader": ("markdown.blockprocessors.HashHeaderProcessor",
                   r'(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)', ("#",)),
    # the underline starts a line of the block (never its first): in the source, after a line
    # break, indentation or "> " (a pattern anchored at each line is slower than these)
    "setextheader": ("markdown.blockprocessors.SetextHeaderProcessor", r'^.*?\n(?:=+|-+)[ ]*(\n|$)',
                     ("\n=", " =", ">=", "\n-", " -", ">-")),
    "hr": ("markdown.blockprocessors.HRProcessor",
           r'^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$',
           _HR_TRIGGERS),
    "olist": ("markdown.blockprocessors.OListProcessor", r'^[ ]{0,3}\d+\.[ ]+(.*)', (_numbered,)),
    "ulist": ("markdown.blockprocessors.UListProcessor", r'^[ ]{0,3}[*+-][ ]+(.*)', ("* ", "+ ", "- ")),
    "quote": ("markdown.blockprocessors.BlockQuoteProcessor", r'(^|\n)[ ]{0,3}>[ ]?(.*)', (">",)),
    "footnote": ("markdown.extensions.footnotes.FootnoteBlockProcessor", r'^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$', ("[^",)),
    "abbr": ("markdown.extensions.abbr.AbbrBlockprocessor",
             r'^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$', ("*[",)),
    "reference": ("markdown.blockprocessors.ReferenceProcessor",
                  r'^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$',
                  ("]:",)),
}


def _block_triggers(name: str, processor, tab_length: int) -> tuple | None:
    expected = BLOCK_TRIGGERS.get(name)
    if expected is None:
        return None
    cls, regex, triggers = expected
    kind = type(processor)
    if f"{kind.__module__}.{kind.__qualname__}" != cls:
        return None
    if regex is not None:
        compiled = getattr(processor, {"details": "START", "hr": "SEARCH_RE"}.get(name, "RE"), None)
        if name in ("olist", "ulist"):  # built per instance from the tab length
            regex = regex.replace("{0,3}", f"{{0,{tab_length - 1}}}")
        if getattr(compiled, "pattern", None) != regex:
            return None
    return tuple(" " * tab_length if t == _INDENT else t for t in triggers)


def _keep_key(probe: _Probe, table: list) -> tuple[bool, ...]:
    """For each (item, its triggers or None) of ``table``: whether the item is kept."""
    holds = probe.holds
    key = []
    for _, triggers in table:
        keep = True
        if triggers is not None:
            keep = False
            for trigger in triggers:
                if holds(trigger):
                    keep = True
                    break
        key.append(keep)
    return tuple(key)


class _KeptProcessors:
    """A block parser's processors as ``BlockParser.parseBlocks`` iterates them for one page
    (those that can take a block of its text); every other use is the registry's own."""

    __slots__ = ("_registry", "_kept")

    def __init__(self, registry, kept: list) -> None:
        self._registry, self._kept = registry, kept

    def __iter__(self):
        return iter(self._kept)

    def __getitem__(self, key):
        return self._registry[key]

    def __contains__(self, item) -> bool:
        return item in self._registry

    def __len__(self) -> int:
        return len(self._registry)

    def __getattr__(self, attr):
        return getattr(self._registry, attr)


def block_processors_for(md: markdown.Markdown, source: str) -> list:
    """``md``'s block processors, in order, without those that cannot take any block of
    ``source`` (:data:`BLOCK_TRIGGERS`)."""
    return _kept(md, "_sd_blocks", md.parser.blockprocessors,
                 lambda name, processor: _block_triggers(name, processor, md.tab_length), _probe(md, source))


class ReusedMarkdownPage(Page):
    """``Page.render`` of MkDocs 1.6.1 with a reused, reset parser.

    Any change here must keep it line for line MkDocs' own, but for where
    ``md`` comes from (``reset()`` instead of a new ``markdown.Markdown``) and
    the inline patterns and block processors the page's text can use.
    """

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = markdown_for(config, self._sd_parsers)
        md.reset()
        raw_html_ext = _RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = _ExtractAnchorsTreeprocessor(self.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = _RelativePathTreeprocessor(self.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = _ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
        if isinstance(inline, markdown.treeprocessors.InlineProcessor):
            inline.inlinePatterns = inline_patterns_for(md, self.markdown)
        registry = md.parser.blockprocessors
        md.parser.blockprocessors = _KeptProcessors(registry, block_processors_for(md, self.markdown))
        try:
            self.content = md.convert(self.markdown)
        finally:
            md.parser.blockprocessors = registry
            if isinstance(inline, markdown.treeprocessors.InlineProcessor):
                inline.inlinePatterns = md.inlinePatterns
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = extract_title_ext.title
        self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        # MkDocs 1.6.1 keeps them above DEBUG only; ProperDocs 1.6.7 at every level
        if _KEEP_ANCHORS_AT_DEBUG or log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative_path_ext.links_to_anchors


def speed_up_page(page, caches: SpeedCaches) -> None:
    """Give ``page`` the cheaper render path that fits it (called on pre_page).

    Swapping the instance's class is how a hook changes one page's
    ``read_source``/``render``: MkDocs creates the ``Page`` objects itself
    and offers no factory. Only plain ``Page`` objects are touched.
    """
    if type(page) is not Page:  # a plugin's own Page subclass: leave it alone
        return
    if getattr(page.file, "sd_planned", None) is not None:
        page.__class__ = GeneratedPage
    else:
        page._sd_parsers = caches.parsers
        page.__class__ = ReusedMarkdownPage
