"""Proposed titles for sources that have none, built from key phrases.

The first words of a text make a poor title ("Le choc septique est
actuellement la onzième..."). We pick the text's key phrases instead: runs of
content words between function words and punctuation, scored by how often they
occur and how informative their words are (rare words weigh more, by
``wordfreq``). An acronym defined in the text, "(CSM)", counts every later use
towards its expansion, so "cellules stromales mésenchymateuses" wins over the
bare acronym. The two best non-overlapping phrases make the title.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .hyphenation import _freq

_FUNCTION_ZIPF = 5.0  # words at least this common are function words ("de", "les", "est"...)
_TOKEN = re.compile(r"[^\W\d_][\w-]*|[’']|[.,;:!?()«»\"“”]")
_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9-]{1,}")
_DEFINED_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9]{1,9})\)")


@lru_cache(maxsize=65536)
def _is_stop(word: str) -> bool:
    w = word.lower().split("’")[-1].split("'")[-1]
    return len(w) <= 2 or _freq(w) >= _FUNCTION_ZIPF


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM.fullmatch(word)) and any(c.isalpha() for c in word)


def key_phrases(text: str, limit: int = 5) -> list[str]:
    tokens = _TOKEN.findall(text)
    phrases: list[tuple[str, ...]] = []
    run: list[str] = []
    is_stop = _is_stop
    for tok in tokens:
        if tok[0].isalnum() and not is_stop(tok):
            run.append(tok)
        elif run:  # punctuation or a function word ends the phrase
            phrases.append(tuple(run[:4]))
            run = []
    if run:
        phrases.append(tuple(run[:4]))
    lowered = [tuple(map(str.lower, p)) for p in phrases]
    counts: Counter[tuple[str, ...]] = Counter(lowered)
    first_seen: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, p in zip(lowered, phrases):
        first_seen.setdefault(key, p)
    # acronyms defined as "long phrase (ACR)" lend their uses to the long phrase
    for m in _DEFINED_ACRONYM.finditer(text):
        acr = m.group(1)
        # uses of the acronym not glued to a word: (?<![\w])ACR(?![a-z]), with the look-behind
        # written after the literal so the engine searches for the literal (same matches)
        acr_rx = re.escape(acr)
        uses = len(re.findall(rf"{acr_rx}(?<![\w]{acr_rx})(?![a-z])", text)) - 1
        before = [w.lower() for w in _TOKEN.findall(text[max(0, m.start() - 100) : m.start()])]
        for n in range(2, 5):
            key = tuple(before[-n:])
            if len(key) == n and key in counts and "".join(w[0] for w in key).upper() == acr:
                counts[key] += uses
    scored = []
    for order, (key, count) in enumerate(counts.items()):
        original = first_seen[key]
        if all(_is_acronym(w) for w in original):
            continue
        weight = sum(max(0.5, 6.0 - _freq(w)) for w in key)
        scored.append((-(count * weight), order, " ".join(original)))
    scored.sort()
    return [p for _, _, p in scored[:limit]]


def propose_title(text: str, lang: str) -> str | None:
    phrases = key_phrases(text, limit=8)
    if not phrases:
        return None
    first = phrases[0]
    second = next((p for p in phrases[1:] if not set(p.lower().split()) & set(first.lower().split())), None)
    joiner = " et " if lang == "fr" else " and "
    title = first if second is None else first + joiner + second
    return title[0].upper() + title[1:]
