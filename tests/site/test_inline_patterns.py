"""Inline patterns a page's text cannot match are left out of its render
(site/mkdocs/speed.py ``inline_patterns_for``): the same HTML and table of contents as
with every pattern, on the committed articles, the hostile Markdown forms and random
Markdown soup, with the site's own extensions."""

from __future__ import annotations

import random
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from scidigest.site.mkdocs import speed

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def parser():
    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def _render(md, text: str, pruned: bool) -> tuple[str, list]:
    md.reset()
    inline = md.treeprocessors["inline"]
    if pruned:
        inline.inlinePatterns = speed.inline_patterns_for(md, text)
    try:
        html = md.convert(text)
    finally:
        inline.inlinePatterns = md.inlinePatterns
    return html, getattr(md, "toc_tokens", [])


def test_every_pattern_of_the_site_has_its_triggers_so_the_table_is_in_use(parser):
    names = [item.name for item in parser.inlinePatterns._priority]
    untriggered = [n for n in names if speed._triggers(n, parser.inlinePatterns[n]) is None]
    assert untriggered == [], f"re-read these patterns against speed.INLINE_TRIGGERS: {untriggered}"


def test_a_page_without_markup_characters_is_rendered_with_few_patterns(parser):
    assert len(speed.inline_patterns_for(parser, "Un texte simple.\n\nDeux paragraphes.")) == 0
    kept = speed.inline_patterns_for(parser, "Un [lien](https://e.org) et *du gras*.")
    assert 0 < len(kept) < len(parser.inlinePatterns)


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs" / "articles").glob("*.md"))]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((REPO / "tests").rglob("*.md"))][:400]
    return texts


def test_committed_and_test_markdown_renders_the_same_with_the_pruned_patterns(parser):
    for text in _texts():
        assert _render(parser, text, True) == _render(parser, text, False)


_PIECES = ["*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "![", "[^1]", "[^1]: note\n", "<", ">",
           "<b>", "</b>", "<http://e.org>", "<a@b.c>", "&amp;", "&", "&#42;", "~~", "~", "^^", "^", "  \n", "\t\n",
           "\r\n", "\n", "\n\n", "# ", "## T\n", "- ", "1. ", "> ", "    code\n", "```\nx\n```\n", "word", " ",
           "{: .c }", "*[HTML]: Hyper\n", "HTML", "!!! note\n    body\n", "| a | b |\n|---|---|\n| 1 | 2 |\n",
           "[x]: http://e.org\n", "[x]", "é", "\x02", "\x03"]


def test_random_markdown_renders_the_same_with_the_pruned_patterns(parser):
    rnd = random.Random(13)
    for _ in range(3000):
        text = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 40)))
        assert _render(parser, text, True) == _render(parser, text, False), repr(text)
