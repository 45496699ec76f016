"""Memoized template blocks (speed.BLOCK_KEYS: main.html's ``__config`` JSON) and the
per-page scratch the memo keys share (speed._scratch): the same output as Jinja's own
rendering, and keys that change whenever something the output reads changes."""

from __future__ import annotations

from types import SimpleNamespace

import jinja2

from scidigest.site.mkdocs import speed

BASE = "<head>{% block config %}base config{% endblock %}</head><body>{{ page.url }}</body>"
CHILD = ('{% extends "base.html" %}{% block config %}'
         '{{ {"base": sd.search_base, "lang": config.theme.language} | tojson }}{% endblock %}')


class _Theme(dict):
    pass


def _config(lang="fr", separator="[\\s\\-]+", extra=None):
    search = SimpleNamespace(config={"separator": separator})
    theme = _Theme(language=lang)
    theme.language = lang
    return SimpleNamespace(theme=theme, plugins={"material/search": search}, extra=extra or {}, mdx_configs={})


def _env(memo: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader({"base.html": BASE, "main.html": CHILD}))
    return speed.memoize_partials(env) if memo else env


def test_a_memoized_block_prints_what_jinja_prints_and_is_drawn_once_per_key():
    memo, plain = _env(True), _env(False)
    template = memo.get_template("main.html")
    assert getattr(template.blocks["config"], "_sd_memo", None) is not None
    config = _config()
    for url, base in (("a/", "../"), ("b/", "../"), ("", "./"), ("c/d/", "../../"), ("e/", "../")):
        page = SimpleNamespace(url=url)
        ctx = {"page": page, "config": config, "sd": {"search_base": base}, "base_url": base, "features": []}
        assert template.render(**ctx) == plain.get_template("main.html").render(**ctx)
    assert len(template.blocks["config"]._sd_memo) == 3  # one per distinct (search base, worker URL)


def test_a_block_whose_key_is_none_is_drawn_every_time():
    drawn = []

    def block(ctx):
        drawn.append(ctx["n"])
        yield str(ctx["n"])

    memoized = speed._memoized(block, lambda ctx: None)
    assert ["".join(memoized({"n": n})) for n in (1, 1, 2)] == ["1", "1", "2"]
    assert drawn == [1, 1, 2]


def _ctx(**changes):
    ctx = {"page": SimpleNamespace(url="articles/a/"), "config": _config(), "sd": {"search_base": "../../"},
           "sd_404": None, "base_url": "../..", "features": ["navigation.tabs"]}
    ctx.update(changes)
    return ctx


def test_the_config_key_changes_with_everything_the_config_block_reads():
    speed._SCRATCH[0] = None
    reference = speed._config_key(_ctx())
    assert reference == speed._config_key(_ctx(page=SimpleNamespace(url="articles/b/")))  # same depth: a hit
    for changed in (
        _ctx(sd={"search_base": "../"}),                                   # the search base
        _ctx(sd={"other": 1}),                                             # no search base at all
        _ctx(sd=None, sd_404={"home": "/site/"}),                          # a 404 page
        _ctx(sd=None, sd_404=None),                                        # neither: base_url
        _ctx(features=["navigation.tabs", "search.suggest"]),              # the features
        _ctx(config=_config(lang="en")),                                   # the labels' language
        _ctx(config=_config(separator="[\\s]+")),                          # the separator
        _ctx(config=_config(extra={"annotate": {"json": [".s2"]}})),       # extra.annotate
        _ctx(config=_config(extra={"tags": {"Cerveau": "brain"}})),        # extra.tags
        _ctx(page=SimpleNamespace(url="tags/x/y/")),                       # the worker URL as printed
    ):
        assert speed._config_key(changed) != reference, changed


def _nav():
    child = SimpleNamespace(url="tags/a/", title="A", active=False, is_index=False, meta={"icon": "x"},
                            encrypted=False, children=None)
    section = SimpleNamespace(url=None, title="Topics", active=False, is_index=False, meta=None,
                              encrypted=False, children=[child])
    home = SimpleNamespace(url="", title="Home", active=False, is_index=True, meta={}, encrypted=False, children=None)
    return SimpleNamespace(items=[home, section]), home, section, child


def test_the_page_scratch_gives_the_keys_computed_without_it_and_starts_afresh_per_page():
    speed._SCRATCH[0] = None
    nav, home, section, child = _nav()
    config = _config()
    seen = []
    for url, active in (("articles/a/", None), ("articles/b/", section), ("about/", None), ("articles/a/", None)):
        for item in (section, child):
            item.active = item is active or (active is section and item is child)
        page = SimpleNamespace(url=url)
        ctx = {"page": page, "config": config, "nav": nav, "base_url": "..", "features": ["navigation.tabs"]}
        with_scratch = (speed._tabs_key(ctx), speed._nav_item_key(ctx, (home, "nav", 1)),
                        speed._nav_item_key(ctx, (section, "nav", 1)), speed._label_key(ctx, ("search",)))
        assert speed._scratch({**ctx, "page": None}) is None  # no page, no scratch
        # the values the keys computed without a scratch hold (the scratch only shares them)
        assert with_scratch[0][3] == tuple(speed._subtree_key(ctx, i) for i in nav.items)
        assert with_scratch[1][-1] == speed._subtree_key(ctx, home)
        if active is section:
            assert with_scratch[2] is None  # the page's own section is drawn the plain way
        else:
            assert with_scratch[2][-1] == speed._subtree_key(ctx, section)
        assert with_scratch[3] == ("fr", "search")
        seen.append(with_scratch[0])
    assert seen[0] != seen[1]  # the section turned active: the tabs differ
    assert seen[0] != seen[2]  # another depth: URLs printed differently
    assert seen[0] == seen[3]  # the first page's state again: the same key (a hit)


def test_the_table_of_contents_is_drawn_once_per_page_and_each_page_gets_its_own():
    templates = {"partials/toc.html": "<nav>{{ page.toc | join(',') }} {{ config.theme.language }}</nav>",
                 "page.html": '{% include "partials/toc.html" %}<main/>{% include "partials/toc.html" %}'}
    memo = speed.memoize_partials(jinja2.Environment(loader=jinja2.DictLoader(templates)))
    plain = jinja2.Environment(loader=jinja2.DictLoader(templates))
    speed._SCRATCH[0] = None
    drawn = []
    for lang, entries in (("fr", ["a", "b"]), ("fr", ["c"]), ("en", ["a", "b"])):
        ctx = {"page": SimpleNamespace(url="x/", toc=list(entries)), "config": _config(lang=lang),
               "nav": None, "base_url": ".."}
        assert memo.get_template("page.html").render(**ctx) == plain.get_template("page.html").render(**ctx)
        drawn.append(list(speed._SCRATCH[0].drawn.values()))
    # one drawing per page, for both includes, and each page its own
    assert drawn == [["<nav>a,b fr</nav>"], ["<nav>c fr</nav>"], ["<nav>a,b en</nav>"]]
