"""Language detection: py3langid's own model and scores, with a faster automaton walk.

This is the one module that touches py3langid's internals (``_load_identifier``,
``_encode``, ``_sparse_score``, ``tk_nextmove``, ``_alias_pairs``): written for py3langid
0.4.0 (see :mod:`scidigest.versions`). ``tests/ingest/test_langid.py`` holds the fast path
equal to py3langid's own ``classify`` on random text, so a version that changes them fails there.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np
from py3langid.langid import RAW_FLOOR


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(langs=["fr", "en", "de", "es", "it", "pt", "nl"])


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid, restricted to likely languages)."""
    return _classify(text[:400])  # 400 characters tell fr from en reliably, at a fraction of the cost


# py3langid's classify() walks a byte-level automaton over the UTF-8 text, one Python loop
# step per byte, in a 10-million-entry table (cache misses). Words recur, so the walk over
# "word + space" from a given automaton state is remembered: same end state, same features in
# the same order, hence the same feature counts and the same scores, computed by py3langid's
# own _encode and _sparse_score. Bounded: emptied when it reaches _WALKS_MAX entries.
_WALKS: dict[tuple[int, bytes], tuple[int, tuple[int, ...]]] = {}
_WALKS_MAX = 20_000


def _visit_counts(ident, data: bytes) -> Counter | None:
    """Same result as ``py3langid.langid.visit_counts`` on ``data``."""
    nm, rowbase, out = ident.tk_nextmove, ident._rowbase, ident.tk_output
    walks = _WALKS
    state, indexes = 0, []
    parts = data.split(b" ")
    last = parts.pop()
    for part in parts:
        walk = walks.get((state, part))
        if walk is None:
            s, feats = state, []
            for letter in part:
                s = nm[rowbase[s] + letter]
                f = out[s]
                if f >= 0:
                    feats.append(f)
            s = nm[rowbase[s] + 32]  # the space that ended the word
            f = out[s]
            if f >= 0:
                feats.append(f)
            if len(walks) >= _WALKS_MAX:
                walks.clear()
            walk = walks[(state, part)] = (s, tuple(feats))
        state = walk[0]
        indexes += walk[1]
    for letter in last:
        state = nm[rowbase[state] + letter]
        f = out[state]
        if f >= 0:
            indexes.append(f)
    return Counter(indexes) if indexes else None


def _classify(text: str) -> str:
    """``_identifier().classify(text)[0]``, with the automaton walk above (same scores, same answer)."""
    ident = _identifier()
    if ident._norm_probs or ident.min_confidence is not None:  # not how _identifier() builds it
        return ident.classify(text)[0]
    data = ident._encode(text)
    visits = _visit_counts(ident, data)
    if visits:
        scores = ident._sparse_score(visits, ident.nb_ptc)
    else:
        scores = np.full(len(ident.nb_classes), RAW_FLOOR, dtype=np.float32)
    for i, j in ident._alias_pairs:  # as LanguageIdentifier._decide without norm_probs
        scores[i] = max(scores[i], scores[j])
        scores[j] = RAW_FLOOR
    return ident.nb_classes[int(scores.argmax())]


# --- Is this text (still) in a given language? ----------------------------------------
# py3langid needs a few hundred bytes to be reliable; translated segments are often a
# title, a table cell or a tag.  Word frequencies (wordfreq, already used by hyphenation)
# decide those: a word is evidence for a language when it is common there and much rarer
# in the other one ("les", "cellules", "savoir" for French; "the", "cells", "find" for
# English); names, numbers and words both languages share ("photo", "contact") are neutral.

_WORD = re.compile(r"[^\W\d_]{2,}")
#: a word is evidence for ``lang`` when it is at least this common there (Zipf scale) ...
_MIN_ZIPF = 2.0
#: ... and at least this much more common than in the other language
_MARGIN = 1.5


@lru_cache(maxsize=65536)
def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


@lru_cache(maxsize=65536)
def _side(word: str, lang: str, other: str) -> int:
    """1 if ``word`` is typical of ``lang``, -1 if of ``other``, else 0."""
    za, zb = _zipf(word, lang), _zipf(word, other)
    if za >= _MIN_ZIPF and za - zb >= _MARGIN:
        return 1
    if zb >= _MIN_ZIPF and zb - za >= _MARGIN:
        return -1
    return 0


def word_evidence(text: str, lang: str, other: str) -> tuple[int, int]:
    """(words typical of ``lang``, words typical of ``other``) in ``text``."""
    sides = [_side(w, lang, other) for w in _WORD.findall(text.lower())]
    return sides.count(1), sides.count(-1)


def reads_as(text: str, lang: str, other: str) -> bool:
    """True when ``text`` reads as ``lang`` rather than ``other``, wholly or in good part.

    Short texts go by words: as many words typical of ``lang`` as of ``other`` (at least
    one). Longer ones also count as ``lang`` when at least 40 % of the telling words are,
    and, from 200 letters on, when py3langid says so. A text with no telling word
    (names, figures, "Photo : Inserm") reads as neither."""
    a, b = word_evidence(text, lang, other)
    if a == 0:
        return False
    if a >= b or (a >= 3 and a / (a + b) >= 0.4):
        return True
    return sum(ch.isalpha() for ch in text) >= 200 and detect_language(text) == lang
