"""The memoized macros of imported templates (speed._memoized_module, MACRO_KEYS): the
same HTML as Jinja's own import, and the imported module is only made when needed."""

from __future__ import annotations

import jinja2
import pytest

from scidigest.site.mkdocs import speed

MODULE = ('{% macro render(item) %}<li>{{ item }} on {{ page }}</li>{% endmacro %}'
          '{% set exported = "from the body of " ~ page %}')


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The names of the templates whose module Jinja made."""
    seen: list[str] = []
    original = jinja2.environment.TemplateModule

    class Counting(original):
        def __init__(self, template, context, body_stream=None):
            seen.append(template.name)
            super().__init__(template, context, body_stream)

    monkeypatch.setattr(jinja2.environment, "TemplateModule", Counting)
    return seen


def _env(memo: bool, key_of=None) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "item.html": MODULE,
        "page.html": '{% import "item.html" as item with context %}{{ item.render("a") }}{{ item.render("b") }}',
        "body.html": '{% import "item.html" as item with context %}{{ item.render("a") }}|{{ item.exported }}',
        "kwargs.html": '{% import "item.html" as item with context %}{{ item.render(item="k") }}',
    }))
    if memo:
        template = env.get_template("item.html")
        template.make_module = speed._memoized_module(template, "render", key_of or (lambda ctx, args: (ctx.get("page"), args)))
    return env


@pytest.mark.parametrize("name", ["page.html", "body.html", "kwargs.html"])
def test_memoized_imports_print_what_jinja_prints(name, made):
    for page in ("p1", "p2", "p1", "p3", "p1"):
        assert _env(True).get_template(name).render(page=page) == _env(False).get_template(name).render(page=page)


def test_a_page_whose_calls_all_hit_the_memo_makes_no_module(made):
    env = _env(True)
    page = env.get_template("page.html")
    assert page.render(page="p1") == "<li>a on p1</li><li>b on p1</li>"
    assert made == ["item.html"]  # the first import: one module (it tells whether the macro exists)
    made.clear()
    assert page.render(page="p1") == "<li>a on p1</li><li>b on p1</li>"
    assert made == []  # every call a hit: no module
    assert page.render(page="p2") == "<li>a on p2</li><li>b on p2</li>"
    assert made == ["item.html"]  # a miss: the module of that render, once for both calls


def test_calls_the_memo_does_not_cover_and_other_names_make_the_module(made):
    env = _env(True, key_of=lambda ctx, args: None)  # no call is memoized
    assert env.get_template("page.html").render(page="p1") == "<li>a on p1</li><li>b on p1</li>"
    made.clear()
    env.get_template("page.html").render(page="p1")
    assert made == ["item.html"]
    made.clear()
    memo = _env(True)
    memo.get_template("page.html").render(page="p1")
    made.clear()
    assert memo.get_template("body.html").render(page="p1") == "<li>a on p1</li>|from the body of p1"
    assert made == ["item.html"]  # ``exported``: the body's own value, from a module of this render


def test_a_template_without_the_macro_is_imported_as_jinja_imports_it(made):
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "other.html": '{% set exported = "x" ~ page %}',
        "page.html": '{% import "other.html" as o with context %}{{ o.exported }}',
    }))
    template = env.get_template("other.html")
    template.make_module = speed._memoized_module(template, "render", lambda ctx, args: args)
    page = env.get_template("page.html")
    assert [page.render(page=p) for p in ("1", "2")] == ["x1", "x2"]
    assert made == ["other.html", "other.html"]
