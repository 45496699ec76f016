"""Line-end hyphenation: rejoin syllable breaks, keep real compound hyphens.

A PDF line ending in ``chercheu-`` followed by ``rs`` is one word cut in two;
``pharmaco-`` followed by ``résistante`` is a compound that happens to break at
its hyphen. We decide with evidence, strongest first:

1. typography: an upper-case or digit second part (``CSM-`` + ``MO``), or an
   acronym first part, is a compound;
2. the document itself: if the hyphenated or the joined form appears elsewhere
   in the same text, follow the author;
3. word frequencies for French and English (``wordfreq``): a joined form that
   is a common word wins, unless both parts are common words and the joined
   form is much rarer than they are (``porte-monnaie``); a known prefix
   (``non-``, ``post-``, ``anti-``) before a real word stays hyphenated.
Otherwise the hyphen is a syllable break.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

_PREFIXES = frozenset(
    "non post pré pre anti auto néo neo semi sous sur ex extra inter intra multi pluri co "
    "contre mi demi quasi pseudo méta meta micro macro mini maxi ultra hyper hypo super "
    "bio éco eco socio psycho neuro physio pharmaco immuno radio électro electro "
    "franco anglo euro afro trans pro self well".split()
)


@lru_cache(maxsize=65536)
def _freq(word: str) -> float:
    w = word.lower()
    return max(zipf_frequency(w, "fr"), zipf_frequency(w, "en"))


def keep_hyphen(left: str, right: str, document: str = "") -> bool:
    """Should ``left-`` at a line end and ``right`` on the next line stay hyphenated?

    ``left`` and ``right`` are the word fragments (letters only, no hyphen);
    ``document`` is the whole text, for the document-internal evidence.
    """
    if not left or not right:
        return True
    if right[0].isupper() or right[0].isdigit() or any(c.isdigit() for c in left):
        return True
    if len(left) >= 2 and left.isupper():
        return True
    if document:
        hyphenated = f"{left}-{right}"
        joined = left + right
        if hyphenated in document:
            return True
        if joined in document:
            return False
    joined_f = _freq(left + right)
    left_f, right_f = _freq(left), _freq(right)
    if left.lower() in _PREFIXES and right_f >= 2.0 and joined_f < 3.0:
        return True
    if left_f >= 2.0 and right_f >= 3.0 and len(right) >= 3 and joined_f < max(left_f, right_f) - 2.0:
        return True
    return False


_CUT_WORD_END = re.compile(r"([^\W\d_]+)-$")
_WORD_START = re.compile(r"[^\W\d_]+")


def join_hyphenated(a: str, b: str, document: str) -> str | None:
    """``a`` and ``b`` joined across a line-end hyphen (``chercheu-`` + ``rs`` -> ``chercheurs``,
    ``pharmaco-`` + ``résistante`` kept hyphenated), or None when ``a`` does not end in a
    word cut by a hyphen or ``b`` does not start with a word. The one hyphen join: paragraph
    rebuilding uses it for wrapped lines, cleaning for paragraphs cut by a page break."""
    if not a.endswith("-"):
        return None
    m = _CUT_WORD_END.search(a[-40:])  # the word before the hyphen: the tail is enough
    w = _WORD_START.match(b) if m else None
    if not w:
        return None
    return a + b if keep_hyphen(m.group(1), w.group(0), document) else a[:-1] + b
