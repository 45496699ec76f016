"""The language-detection fast path gives py3langid's own answer.

``scidigest.ingest.langid._classify`` walks py3langid's automaton with a
cache of word walks and scores with py3langid's private functions; it must
answer exactly what ``LanguageIdentifier.classify`` answers on any text.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scidigest.ingest import langid

WORDS = [
    # French, with accents and elisions
    "le", "la", "les", "des", "une", "été", "très", "où", "ça", "façon", "garçon", "cœur", "œuvre",
    "élève", "forêt", "naïf", "Noël", "hôpital", "déjà", "l'ARN", "qu'il", "aujourd'hui", "recherche",
    "chercheurs", "université", "maladie", "cerveau", "découverte", "étude", "À", "É", "Ç",
    # English
    "the", "of", "and", "researchers", "university", "brain", "disease", "study", "found", "cell",
    "which", "through", "isn't", "don't", "RNA", "COVID-19", "e-mail", "well-known",
    # other languages py3langid is restricted to, and shared words
    "und", "der", "el", "los", "che", "della", "uma", "het", "van", "science", "Paris", "CNRS",
    # digits, punctuation, symbols
    "2024", "3,14", "1er", "n°", "42%", "—", "«", "»", "…", "!", "?", ";", ":", "(", ")", "\"", "-",
]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\t", ", ", ". ", " : ", "\u00a0", "\u202f", ""]

word = st.sampled_from(WORDS)
separator = st.sampled_from(SEPARATORS)


@st.composite
def prose(draw) -> str:
    """Words from a small vocabulary (so they recur and the walk cache is used),
    joined by varied separators, sometimes in capitals, with random text mixed in."""
    parts = draw(st.lists(st.tuples(word, separator), max_size=60))
    text = "".join(w + s for w, s in parts)
    if draw(st.booleans()):
        text = draw(st.text(max_size=20)) + text + draw(st.text(max_size=20))
    if draw(st.integers(0, 5)) == 0:
        text = text.upper()  # py3langid lower-cases all-capital text
    return text


def _assert_fast_path_taken() -> None:
    ident = langid._identifier()
    assert not ident._norm_probs and ident.min_confidence is None, "the fast path is not taken: the property would be vacuous"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(prose(), st.text(max_size=200), st.just(""), st.just(" "), st.just("  ")))
def test_the_fast_path_answers_what_py3langid_classify_answers(text):
    _assert_fast_path_taken()
    assert langid._classify(text) == langid._identifier().classify(text)[0]


@settings(max_examples=100, deadline=None)
@given(st.lists(word, min_size=1, max_size=10).map(" ".join))
def test_repeating_a_text_gives_the_same_answer_as_py3langid(text):
    """Second and later words hit the walk cache (same state, same word)."""
    repeated = " ".join([text] * 5) + " "
    assert langid._classify(repeated) == langid._identifier().classify(repeated)[0]
    assert langid._classify(repeated) == langid._classify(repeated)


def test_the_walk_cache_stays_within_its_bound(monkeypatch):
    _assert_fast_path_taken()
    monkeypatch.setattr(langid, "_WALKS_MAX", 50)
    langid._WALKS.clear()
    seen = 0
    for i in range(400):
        text = f"mot{i} word{i} le the {i}x{i} été"
        assert langid._classify(text) == langid._identifier().classify(text)[0]
        assert len(langid._WALKS) <= 50
        seen = max(seen, len(langid._WALKS))
    assert seen > 40  # the cache did fill up, and was emptied instead of growing
    langid._WALKS.clear()


def test_the_default_bound_is_finite():
    assert 0 < langid._WALKS_MAX <= 100_000
