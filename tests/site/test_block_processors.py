"""Block processors that cannot take any block of a page's text are left out of its
render (site/mkdocs/speed.py ``block_processors_for``): the same HTML and table of
contents as with every processor, on the committed articles, the test Markdown and
random block soup (nested lists, quotes, admonitions, details, raw HTML with markdown,
setext underlines and rules behind indentation and "> "), with the site's extensions."""

from __future__ import annotations

import random

from scidigest.site.mkdocs import speed


def _render(md, text: str, pruned: bool) -> tuple[str, list]:
    md.reset()
    registry = md.parser.blockprocessors
    if pruned:
        md.parser.blockprocessors = speed._KeptProcessors(registry, speed.block_processors_for(md, text))
    try:
        html = md.convert(text)
    finally:
        md.parser.blockprocessors = registry
    return html, getattr(md, "toc_tokens", [])


def test_every_processor_with_a_test_of_its_own_has_its_triggers(site_parser):
    list(site_parser.parser.blockprocessors)
    names = [item.name for item in site_parser.parser.blockprocessors._priority]
    untriggered = [n for n in names if speed._block_triggers(n, site_parser.parser.blockprocessors[n], site_parser.tab_length) is None]
    # md_in_html's (it reads the parser's state), the empty block's and the paragraph's are always kept
    assert untriggered == ["markdown_block", "empty", "paragraph"], \
        f"re-read these processors against speed.BLOCK_TRIGGERS: {untriggered}"


def test_prose_is_parsed_with_few_processors_and_markup_keeps_its_own(site_parser):
    kept = {type(p).__name__ for p in speed.block_processors_for(site_parser, "Un texte.\n\nDeux paragraphes, l'été.")}
    assert kept == {"MarkdownInHtmlProcessor", "EmptyBlockProcessor", "ParagraphProcessor"}
    kept = {type(p).__name__ for p in speed.block_processors_for(site_parser, "Titre\n---\n\n> cité\n\n| a | b |")}
    assert {"SetextHeaderProcessor", "BlockQuoteProcessor", "TableProcessor", "HRProcessor"} <= kept
    assert "OListProcessor" not in kept and "HashHeaderProcessor" not in kept


def test_a_processor_of_another_version_is_kept(site_parser):
    quote = site_parser.parser.blockprocessors["quote"]
    original = quote.RE
    try:
        quote.RE = __import__("re").compile(r"(^|\n)[ ]{0,3}>>[ ]?(.*)")  # not the regex the table was written for
        assert speed._block_triggers("quote", quote, site_parser.tab_length) is None
    finally:
        quote.RE = original


def test_committed_and_test_markdown_renders_the_same_with_the_pruned_processors(site_parser, repo_markdown):
    for text in repo_markdown:
        assert _render(site_parser, text, True) == _render(site_parser, text, False)


_LINES = ["Titre", "===", "---", "--", "- - -", "* * *", "***", "_ _ _", "___", "-", "=", "# T", "## T ##", "#T",
          "> cité", ">", "> > deux", "1. un", "2) deux", "10. dix", "- puce", "* puce", "+ puce", "-puce",
          "| a | b |", "|---|---|", "a | b", "--- | ---", "!!! note", '!!! warning "Titre"', "??? note", "???+ tip",
          "[^1]: une note", "[^1]", "*[ADN]: acide", "ADN", "[ref]: https://e.org", '[ref]: /x "t"', "[ref]",
          "```", "~~~", "code", "<div markdown>", "<div class=\"admonition\" markdown>", "</div>",
          "<details markdown>", "<summary>S</summary>", "</details>", "<p>brut</p>", "texte courant", "l'été",
          "{: .c }", "", "\t", "\x02", "\x03", "a\r", "é"]
_PREFIXES = ["", "", "", " ", "  ", "   ", "    ", "        ", "\t", "> ", ">", "> > ", "- ", "1. ", "    - "]


def test_random_block_soup_renders_the_same_with_the_pruned_processors(site_parser):
    rnd = random.Random(29)
    for _ in range(4000):
        lines = [rnd.choice(_PREFIXES) + rnd.choice(_LINES) for _ in range(rnd.randint(1, 14))]
        text = "".join(line + rnd.choice(["\n", "\n", "\n\n", "\r\n"]) for line in lines)
        assert _render(site_parser, text, True) == _render(site_parser, text, False), repr(text)


def test_the_probe_finds_what_python_markdown_would_read():
    # \d is any Unicode decimal digit; an ASCII byte of UTF-8 is only ever an ASCII character
    assert speed._numbered("voir ٣. la suite") and speed._numbered("1. un") and not speed._numbered("Fin. Puis 3 .")
    probe = speed._Probe("l’été — « \ud800 » ∗ \r\n\t- x", 4)  # (a lone surrogate, a tab, a CR LF)
    assert probe.holds("- ") and probe.holds("\n    - ") and not probe.holds("\r") and not probe.holds("* ")
    assert probe.holds("été") and not probe.holds("ete")
    assert speed._Probe("a\x02wzxhzdk:1\x03b", 4).holds("awzxhzdk:1b")  # (source STX/ETX go, as in NormalizeWhitespace)
