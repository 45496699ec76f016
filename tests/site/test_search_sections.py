"""The search sections of a page without html.parser (site/mkdocs/material.py
``search_sections``) are Material's ``Parser``'s, on the markup our build writes and
on random markup; anything the fast rules do not cover goes to Material's Parser."""

from __future__ import annotations

import random

import markdown
import pytest
from material.plugins.search.plugin import Parser

from scidigest.site.mkdocs.material import search_sections
from scidigest.site.sanitize import clean_html


def _material(content: str):
    parser = Parser()
    parser.feed(content)
    parser.close()
    return parser.data


def _signature(sections) -> list[tuple]:
    return [(s.el.tag, s.depth, s.id, s.is_excluded(), list(s.title), list(s.text)) for s in sections]


ARTICLE = """\
Une étude publiée le 3 mars montre que les *neurones* du cortex &amp; de l'hippocampe
communiquent « autrement ».

## Ce que l'équipe a mesuré {: #mesure }

- premier point, avec `du code` et une note[^1]
- second point
    1. imbriqué
    2. encore

```
bloc   de code
  indenté
```

### Les limites

| Tableau | Valeur |
|:--|--:|
| a | 1 |

> Une citation
> sur deux lignes.

<p data-search-exclude>Image non reproduite</p>

Texte H~2~O et 10^3^, un lien [vers l'étude](https://doi.org/10.1000/xyz "titre & co").

[^1]: La note de bas de page.
"""


def _rendered(text: str) -> str:
    md = markdown.Markdown(extensions=["toc", "tables", "footnotes", "attr_list", "fenced_code", "abbr",
                                       "pymdownx.tilde", "pymdownx.caret"],
                           extension_configs={"toc": {"permalink": True}})
    return clean_html(md.convert(text))


def test_a_rendered_article_takes_the_fast_path_and_gets_materials_sections():
    content = _rendered(ARTICLE)
    fast = search_sections(content)
    assert fast is not None, "the markup our build writes must not need html.parser"
    assert _signature(fast) == _signature(_material(content))
    assert [s.id for s in fast][:3] == [None, "mesure", "les-limites"]


@pytest.mark.parametrize("content", [
    '<p>a</p><script>x</script>', '<p>a</p><!-- c -->', '<p>a < b</p>', "<p a='1'>x</p>", "<my-el>x</my-el>",
])
def test_markup_outside_the_fast_rules_goes_to_materials_parser(content):
    assert search_sections(content) is None


_PARTS = ['<p>', '</p>', '<h2 id="a">', '</h2>', '<h1 id="t">', '</h1>', '<h3>', '</h3>', '<h2 id>', '<pre>', '</pre>',
          '<code>', '</code>', '<ul>', '</ul>', '<ol>', '</ol>', '<li>', '</li>', '<sup>', '</sup>', '<sub>', '</sub>',
          '<a class="headerlink" href="#a">', '</a>', '<a href="x">', '<br>', '<br />', '<p/>', '<div>', '</div>',
          '<section>', '</section>', ' ', '\n', 'text', 'x &amp; y', '&nbsp;', '&lt;b&gt;', '  \n  ', '&#x27;',
          '<em>', '</em>', '<p data-search-exclude>', '<div data-search-exclude>', '<h2 id="x" data-search-exclude>',
          '<div class="linenodiv">', '<span class="linenodiv x">', '<img src="x" alt="y">', '<span title="a&amp;b">', '</span>', '<P>', '</P >', '>', '¶']


def test_random_markup_gets_the_same_sections_or_goes_to_materials_parser():
    rnd = random.Random(7)
    compared = 0
    for _ in range(6000):
        content = "".join(rnd.choice(_PARTS) for _ in range(rnd.randint(1, 30)))
        try:
            expected = _signature(_material(content))
        except ValueError as exc:  # Parser's own list.index failure: the fast rules fail the same way
            expected = type(exc)
        try:
            fast = search_sections(content)
            got = _signature(fast) if fast is not None else None
        except ValueError as exc:
            got = type(exc)
        if got is None:
            continue
        compared += 1
        assert got == expected, content
    assert compared > 5000


def test_hostile_articles_rendered_and_sanitised_get_materials_sections():
    """The hostile articles of the site test (scripts, handlers, comments, raw HTML, odd
    attribute syntax), rendered with the site's extensions and sanitised as the build does:
    the fast rules give Material's sections wherever they do not hand the body to its Parser."""
    from pathlib import Path

    from mkdocs.config import load_config

    from tests.plugins.hostile_site import HOSTILE_ARTICLES

    config = load_config(str(Path(__file__).resolve().parents[2] / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    for name, (_, body) in HOSTILE_ARTICLES.items():
        md.reset()
        content = clean_html(md.convert(body))
        fast = search_sections(content)
        if fast is not None:
            assert _signature(fast) == _signature(_material(content)), name
