"""Placeholders: everything protected comes back byte for byte, damage is caught."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scidigest.translate.protect import PlaceholderError, problems, protect, restore, unprotect

SENTENCE = (
    "Grâce à une chirurgie stéréotaxique[^1], le récepteur 5-HT<sub>2B</sub> et la protéine SV2A "
    "([Inserm](https://www.inserm.fr/ \"site\")) réduisent de 30% la dose de 2,5 mg ; voir `code x`, "
    "<em>très</em> **fort**, CSM-GW, NeuN et https://example.org/a_b.html."
)


def test_protected_spans_are_replaced_by_tokens_and_nothing_else():
    p = protect(SENTENCE)
    for span in ("[^1]", "5-HT<sub>2B</sub>", "SV2A", '](https://www.inserm.fr/ "site")', "30%", "2,5 mg",
                 "`code x`", "<em>", "</em>", "**", "CSM-GW", "NeuN", "https://example.org/a_b.html"):
        assert span in p.tokens, span
        assert span not in p.text
    assert "Grâce à une chirurgie stéréotaxique" in p.text
    assert "Inserm" in p.tokens  # inside the link text, a do-not-translate term
    assert "réduisent de" in p.text and "très" in p.text


def test_restore_puts_every_span_back_even_when_the_engine_moved_and_spaced_tokens():
    p = protect("Le gène SV2A et [le lien](http://a.b/c) sont là.")
    # an engine reorders words and writes "⟦ 0 ⟧" with spaces
    english = p.text.replace("Le gène ⟦0⟧", "The ⟦ 0 ⟧ gene").replace(" et ", " and ").replace("le lien", "the link").replace("sont là", "are there")
    assert restore(p, english) == "The SV2A gene and [the link](http://a.b/c) are there."


def test_lost_duplicated_or_invented_tokens_are_reported():
    p = protect("La protéine SV2A et NeuN dans le cerveau humain adulte.")
    assert problems(p, p.text) == []
    assert any("missing" in x for x in problems(p, p.text.replace("⟦1⟧", "")))
    assert any("duplicated" in x for x in problems(p, p.text.replace("⟦1⟧", "⟦0⟧ ⟦1⟧")))
    assert any("unknown" in x for x in problems(p, p.text + " ⟦7⟧"))
    assert any("stray" in x for x in problems(p, p.text + " ⟦"))


def test_link_brackets_swapped_by_the_engine_are_caught():
    p = protect("Voir [le site officiel](https://www.inserm.fr/) pour plus de détails.")
    swapped = "See ⟦1⟧the official website⟦0⟧ for more details."
    try:
        restore(p, swapped)
    except PlaceholderError as exc:
        assert "out of order" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a reversed link was accepted")


def test_empty_and_absurd_lengths_are_rejected():
    p = protect("Une phrase assez longue pour que sa longueur compte vraiment ici.")
    assert problems(p, "   ") == ["empty translation"]
    assert any("length" in x for x in problems(p, "Ok."))
    assert any("length" in x for x in problems(p, "word " * 100))


def test_our_own_bracket_characters_in_a_source_survive():
    text = "Le symbole ⟦ apparaît ⟧ ici."
    p = protect(text)
    assert restore(p, p.text) == text


def test_underscores_inside_words_are_not_emphasis():
    p = protect("la variable snake_case et a_b restent telles quelles")
    assert p.tokens == ()


_PIECES = list("ab é*_`[]()<>/^!:#{}.,%5 \\|-hts⟦⟧") + ["SV2A", "<sub>", "</sub>", "](", "http://x.y", "[^1]", "mg"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_protect_then_unprotect_is_the_identity(text):
    p = protect(text)
    assert unprotect(p) == text
    assert problems(p, p.text) == [] or not p.text.strip()
    if p.text.strip():
        assert restore(p, p.text) == text


def test_long_backtick_runs_are_linear_not_catastrophic():
    """A hostile page with thousands of backticks must not hang a translation run (or CI).

    A hang guard, not a speed target: the old pattern took minutes on 3,000 backticks
    (cubic backtracking); the bound below is thousands of times what linear matching needs.
    """
    import time

    from scidigest.translate.protect import protect

    start = time.process_time()
    for text in ("`" * 5000, "x" + "`" * 5000 + "y", "`a` " * 2000):
        protect(text)
    # generous bound: the old pattern needed minutes for 3,000 backticks; this is milliseconds
    assert time.process_time() - start < 30
