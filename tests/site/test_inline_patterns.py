"""Inline patterns a page's text cannot match are left out of its render
(site/mkdocs/speed.py ``inline_patterns_for``): the same HTML and table of contents as
with every pattern, on the committed articles, the hostile Markdown forms and random
Markdown soup, with the site's own extensions."""

from __future__ import annotations

import random

from scidigest.site.mkdocs import speed


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


def test_every_pattern_of_the_site_has_its_triggers_so_the_table_is_in_use(site_parser):
    names = [item.name for item in site_parser.inlinePatterns._priority]
    untriggered = [n for n in names if speed._triggers(n, site_parser.inlinePatterns[n]) is None]
    assert untriggered == [], f"re-read these patterns against speed.INLINE_TRIGGERS: {untriggered}"


def test_a_page_without_markup_characters_is_rendered_with_few_patterns(site_parser):
    assert len(speed.inline_patterns_for(site_parser, "Un texte simple.\n\nDeux paragraphes.")) == 0
    kept = speed.inline_patterns_for(site_parser, "Un [lien](https://e.org) et *du gras*.")
    assert 0 < len(kept) < len(site_parser.inlinePatterns)


def test_committed_and_test_markdown_renders_the_same_with_the_pruned_patterns(site_parser, repo_markdown):
    for text in repo_markdown:
        assert _render(site_parser, text, True) == _render(site_parser, text, False)


_PIECES = ["*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "![", "[^1]", "[^1]: note\n", "<", ">",
           "<b>", "</b>", "<http://e.org>", "<a@b.c>", "&amp;", "&", "&#42;", "~~", "~", "^^", "^", "  \n", "\t\n",
           "\r\n", "\n", "\n\n", "# ", "## T\n", "- ", "1. ", "> ", "    code\n", "```\nx\n```\n", "word", " ",
           "{: .c }", "*[HTML]: Hyper\n", "HTML", "!!! note\n    body\n", "| a | b |\n|---|---|\n| 1 | 2 |\n",
           "[x]: http://e.org\n", "[x]", "é", "\x02", "\x03"]


def test_random_markdown_renders_the_same_with_the_pruned_patterns(site_parser):
    rnd = random.Random(13)
    for _ in range(3000):
        text = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 40)))
        assert _render(site_parser, text, True) == _render(site_parser, text, False), repr(text)
