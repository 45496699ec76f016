"""Is this answer a translation?  Every answer is checked before it is used or stored.

Why: real providers answer HTTP 200 with things that are not translations of
what was sent.  LibreTranslate returns the French unchanged when its model
yields nothing; MyMemory sends its daily-quota warning ("MYMEMORY WARNING:
YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY...") or "QUERY LENGTH
LIMIT EXCEEDED" as the translated text, or another user's memory match;
JSON answers carry HTML entities (``&#39;``); engines stop half way or say a
sentence twice.  Placeholders and batch markers are checked elsewhere
(:mod:`.protect`, :mod:`.batching`); this module judges the *prose*:

* :func:`provider_warning` -- a known warning, block or captcha text of a
  provider (any provider: proxies forward them) that the source does not
  itself contain.  It is a provider failure, not a bad segment: ``quota``
  and ``blocked`` stop the run (finished pages kept), ``length`` means
  "split and send again".
* :func:`repair` -- HTML entities the source did not have are decoded.
* :func:`prose_problems` -- echo of a source that reads as the source
  language, answer still in the source language (:func:`scidigest.ingest.
  langid.reads_as`), entities, markup the source lacks, a length outside a
  window that also covers short segments, repetition, and truncation or
  merging by sentence counts.

The same rules judge stored memory (``scidigest translate --revalidate``,
and every memory hit whose entry was not checked by this :data:`VERSION`)
and the pages of the repository (``scidigest check``).  Change a rule ->
bump :data:`VERSION`, so older entries are checked again before use.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.entities import html5

from ..ingest.langid import reads_as, word_evidence
from .protect import TOKEN_RE, Protected, protect

#: recorded in every memory entry as the checks it passed (``"checks"``)
VERSION = "validate/1"

LANGUAGE_NAMES = {"fr": "French", "en": "English"}

#: known non-translations, per provider: (kind, pattern).  ``quota`` and
#: ``blocked`` stop the run, ``length`` splits the request, ``refused`` stops.
#: Vendor texts no translation would contain match anywhere; a pattern starting
#: with ``^`` is ordinary English too ("invalid API key", "quota exceeded") and
#: counts only as the whole answer's start (after spaces and batch markers).
WARNINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "mymemory": (
        ("quota", r"MYMEMORY WARNING"),
        ("quota", r"YOU USED ALL AVAILABLE FREE TRANSLATIONS"),
        ("length", r"QUERY LENGTH LIMIT EXCEEDED"),
        ("refused", r"PLEASE SELECT TWO DISTINCT LANGUAGES"),
        ("refused", r"INVALID LANGUAGE PAIR SPECIFIED"),
        ("refused", r"IS AN INVALID (?:SOURCE|TARGET) LANGUAGE"),
        ("refused", r"^NO QUERY SPECIFIED"),
        ("refused", r"^INVALID EMAIL PROVIDED"),
    ),
    "google": (
        ("blocked", r"unusual traffic from your computer network"),
        ("blocked", r"really you sending the requests"),
        ("blocked", r"google\.com/sorry"),
        ("blocked", r"^Please enable JavaScript"),
        ("blocked", r"recaptcha"),
    ),
    "libre": (
        ("blocked", r"Too many request limits violations"),
        ("blocked", r"Slowdown: \d+ per"),
        ("length", r"exceeds text limit"),
        ("refused", r"Visit https?://portal\.libretranslate\.com"),
        ("refused", r"^Invalid API key"),
    ),
    "deepl": (
        ("quota", r"^Quota (?:for this billing period has been )?exceeded"),
        ("refused", r"^Wrong endpoint"),
        ("refused", r"^Authorization failed"),
    ),
    "any": (
        ("blocked", r"<!doctype html"),
        ("blocked", r"<html[\s>]"),
        ("blocked", r"<body[\s>]"),
        ("blocked", r"\bcaptcha\b"),
        ("blocked", r"\bcloudflare\b"),
    ),
}
_WARNING_RULES = tuple((provider, kind, pat) for provider, rules in WARNINGS.items() for kind, pat in rules)
_WARNING_RES = tuple(
    re.compile(r"^[\W\d_]*" + pat[1:] if pat.startswith("^") else pat, re.I) for _, _, pat in _WARNING_RULES
)


def _literal(pattern: str) -> str:
    """The literal start of a pattern, lower-cased: a cheap test before the regex runs."""
    head = re.match(r"[^\\()\[\]?*+|.{}^$]*", pattern.removeprefix("^").removeprefix(r"\b")).group(0).lower()
    if len(head) < 4:
        raise ValueError(f"warning pattern {pattern!r} needs a literal start of 4+ characters")
    return head


_WARNING_LITERALS = tuple(_literal(pat) for _, _, pat in _WARNING_RULES)


@dataclass(frozen=True)
class ProviderWarning:
    """A provider's warning found in an answer."""

    provider: str  # whose text it is ("any": generic HTML/captcha page)
    kind: str  # quota / length / blocked / refused
    text: str  # the matched words, for the message


def provider_warning(answer: str, sent: str = "") -> ProviderWarning | None:
    """The first known warning text in ``answer`` that ``sent`` does not contain."""
    low = answer.lower()
    for i, literal in enumerate(_WARNING_LITERALS):
        if literal in low:
            m = _WARNING_RES[i].search(answer)
            if m and not _WARNING_RES[i].search(sent):
                provider, kind, _ = _WARNING_RULES[i]
                return ProviderWarning(provider, kind, m.group(0))
    return None


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def entities(text: str) -> list[str]:
    """HTML character references in ``text`` (named ones only if HTML5 knows them)."""
    return [m.group(0) for m in _ENTITY.finditer(text) if m.group(0)[1] == "#" or m.group(0)[1:] in html5]


def repair(source: str, answer: str) -> str:
    """``answer`` with the HTML entities that ``source`` does not contain decoded."""
    keep = set(entities(source))

    def one(m: re.Match) -> str:
        ref = m.group(0)
        return ref if ref in keep or not entities(ref) else html.unescape(ref)

    return _ENTITY.sub(one, answer)


def prose(text: str) -> str:
    """A protected text's prose: tokens replaced by a space, whitespace collapsed."""
    return " ".join(TOKEN_RE.sub(" ", text).split())


def _fold(text: str) -> str:
    t = text.casefold().replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(re.sub(r"[\s\"«»“”]+", " ", t).split())


# Sentence ends: . ! ? … then space and a capital, digit or opening quote.  A
# period after an abbreviation (one capital, "al", "fig", "Dr") ends nothing.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"»”’)\]]*\s+(?=[\"«“(\[]?\s*[A-ZÀ-ÖØ-Þ0-9])")
_ABBREV = re.compile(
    r"^(?:[A-Z]|(?i:al|fig|figs|eq|vol|no|n°|p|pp|cf|dr|pr|prof|mr|mrs|ms|mme|mlle|st|vs|etc|e\.g|i\.e|ca|approx|resp|ed|eds|jr|sr))$"
)
_LAST_WORD = re.compile(r"(\S+)$")


def sentences(text: str) -> list[str]:
    """The sentences of a prose text (a heuristic, the same for both languages)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(0).startswith(".") and not m.group(0).startswith(".."):
            last = _LAST_WORD.search(text[start : m.start()])
            if last and _ABBREV.search(last.group(1).lstrip("(\"«“")):
                continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def in_language(text: str, lang: str, other: str) -> bool:
    """``text`` reads as ``lang`` (:func:`~scidigest.ingest.langid.reads_as`), or one
    of its sentences clearly does (at least 4 telling words, twice as many as of
    ``other``): a paragraph translated half way is caught too."""
    if reads_as(text, lang, other):
        return True
    for s in sentences(text):
        a, b = word_evidence(s, lang, other)
        if a >= 4 and a >= 2 * b:
            return True
    return False


_CLOSERS = "\"»”’)]"
_WORDS = re.compile(r"\w+")


def _ends_sentence(text: str) -> bool:
    """True if ``text`` ends with sentence punctuation (closing quotes and brackets aside)."""
    t = text.rstrip().rstrip(_CLOSERS).rstrip()
    return t[-1:] in (".", "!", "?", "\u2026", ":", ";")


def _repeat(text: str) -> str | None:
    """A phrase of 1-8 words said three times in a row, or of 4-12 words twice in a row."""
    words = [w.lower() for w in _WORDS.findall(text)]
    n_words = len(words)
    for n in range(1, 13):
        for i in range(n_words - 2 * n + 1):
            if words[i] != words[i + n]:
                continue
            a = words[i : i + n]
            if a != words[i + n : i + 2 * n]:
                continue
            if n >= 4 or (n <= 8 and words[i + 2 * n : i + 3 * n] == a):
                return " ".join(a)
    return None


def _letters(text: str) -> int:
    return sum(map(str.isalnum, text))


#: more sentences than the source *and* more than this times its length: two texts merged
MERGED_RATIO = 1.35


def length_window(n: int) -> tuple[float, float]:
    """Plausible length (letters and digits) of a translation of ``n`` of them.

    English runs 0.8-1.0x French and French 1.1-1.25x English; the window
    is wide enough for both directions and for paraphrase, and the constant
    terms give short segments (a tag, a heading) room to change length while
    a warning sentence in place of a one-word cell still falls outside."""
    return max(1.0, 0.5 * n - 8), 1.7 * n + 12


def prose_problems(source: str, answer: str, src: str = "fr", tgt: str = "en") -> list[str]:
    """What is wrong with ``answer`` as a translation of ``source`` (both prose
    without placeholders); an empty list means it passes."""
    if not answer.strip():
        return ["empty answer"]
    issues: list[str] = []
    name = LANGUAGE_NAMES.get(src, src)
    w = provider_warning(answer, source)
    if w:
        issues.append(f"a provider's message instead of a translation ({w.text!r})")
    source_is_src = reads_as(source, src, tgt)
    if _fold(source) == _fold(answer):
        if source_is_src:
            issues.append(f"the {name} text came back unchanged")
    elif in_language(answer, src, tgt):
        issues.append(f"the answer is still in {name}")
    extra = sorted(set(entities(answer)) - set(entities(source)))
    if extra:
        issues.append(f"HTML entities {', '.join(extra)}")
    for ch in "<>":
        if answer.count(ch) > source.count(ch):
            issues.append(f"markup characters {ch!r} the source does not have")
            break
    n_src, n_ans = _letters(source), _letters(answer)
    lo, hi = length_window(n_src)
    if not lo <= n_ans <= hi:
        issues.append(f"implausible length ({n_ans} letters for {n_src})")
    loop = _repeat(answer)
    if loop and _repeat(source) is None:
        issues.append(f"a phrase repeated ({loop[:40]!r})")
    s_src, s_ans = sentences(source), sentences(answer)
    seen = {}
    for s in s_ans:
        key = _fold(s)
        if len(key.split()) >= 3:
            seen[key] = seen.get(key, 0) + 1
    dup = [k for k, c in seen.items() if c > 1 and sum(_fold(s) == k for s in s_src) < c]
    if dup:
        issues.append(f"a sentence said twice ({dup[0][:40]!r})")
    slack = max(1, len(s_src) // 3)
    if len(s_ans) > len(s_src) + slack:
        issues.append(f"{len(s_ans)} sentences for {len(s_src)} (merged or repeated answer)")
    elif len(s_ans) > len(s_src) and n_ans > MERGED_RATIO * n_src + 10:
        # a sentence split in two keeps the length; one more sentence *and* much more text is another text
        issues.append(f"{len(s_ans)} sentences for {len(s_src)} and {n_ans} letters for {n_src} (merged answer)")
    elif len(s_ans) < len(s_src) - len(s_src) // 3 and len(s_src) >= 2:
        issues.append(f"{len(s_ans)} sentences for {len(s_src)} (truncated answer)")
    if _ends_sentence(source) and not _ends_sentence(answer):
        issues.append("the answer stops mid-sentence (truncated)")
    return issues


def reply_problems(source: Protected, reply: str, src: str = "fr", tgt: str = "en") -> list[str]:
    """:func:`prose_problems` of a protected source and its (repaired) reply."""
    return prose_problems(prose(source.text), prose(reply), src, tgt)


def pair_problems(source: str, target: str, src: str = "fr", tgt: str = "en", terms: tuple[str, ...] | None = None) -> list[str]:
    """:func:`prose_problems` of a stored (source, target) pair: protected spans
    (links, code, numbers, do-not-translate terms) are set aside first."""
    return prose_problems(prose(protect(source, terms).text), prose(protect(target, terms).text), src, tgt)


__all__ = [
    "VERSION",
    "WARNINGS",
    "ProviderWarning",
    "entities",
    "in_language",
    "length_window",
    "pair_problems",
    "prose",
    "prose_problems",
    "provider_warning",
    "reply_problems",
    "repair",
    "sentences",
]
