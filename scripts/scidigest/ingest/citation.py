"""The study an article reports on: its DOI and the journal that published it.

Evidence only, never a list of journal names:

* **DOI**: Crossref's recommended pattern ``10.\\d{4,9}/[-._;()/:A-Z0-9]+``
  (case-insensitive; it covers all but a sliver of registered DOIs, and the
  rest are old SICI forms with ``<>`` no press text writes), found bare, after
  ``doi:`` / ``DOI :`` or in a ``doi.org`` / ``dx.doi.org`` address (whose
  ``%2F`` escapes are decoded). It must not follow a letter, digit, ``.`` or
  ``/`` (so ``110.1234/5`` or ``01.10.2345/67`` are not DOIs), the registrant
  part needs four digits at least (``10.5/10`` is a mark, not a DOI), and
  sentence punctuation after it is not part of it: trailing ``.,;:`` and a
  closing bracket the DOI did not open are removed.
* **Journal**: the name a text gives after a publication cue — French
  "publié(e)(s) dans", "paru(e)(s) dans", "fait l'objet d'une publication
  dans", "la revue X"; English "published in", "appears in", "reported in",
  "the journal X" — with up to six words between the verb and its
  preposition ("publiés le 11 mars dans", "published online today in"). The
  name is what the typography marks as a title: an italic or quoted span right
  after the cue, else a run of capitalised words (with the lower-case links
  titles use: "of", "in", "de", "et", "&"...) up to the first punctuation or
  ordinary word. A month or weekday (CLDR names, through Babel) or a language
  name is not a journal ("published in January", "publié en anglais").
  Names after "revue"/"journal" or in italics outrank the others; among equals
  the most repeated wins, then the first.

The result is front matter (``doi``, ``journal``); a sidecar value wins.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote

from .textutil import ends_sentence

#: Crossref's recommended pattern, not after a word character, "." or "/" (see the module doc)
_DOI = re.compile(r"(?<![\w./])10\.\d{4,9}/[-._;()/:a-z0-9]+", re.I)
_DOI_URL = re.compile(r"(?:dx\.)?doi\.org/(10(?:\.|%2E)[^\s)\]>\"'«»]+)", re.I)
_TRAILING = ".,;:"
_PAIRS = {")": "(", "]": "["}
#: Markdown escapes ingest writes (``\\*``, ``\\_``...): the text as its author typed it
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")


def _trim(doi: str) -> str:
    """A DOI without the sentence punctuation and unopened brackets found after it."""
    while doi:
        last = doi[-1]
        if last in _TRAILING:
            doi = doi[:-1]
        elif last in _PAIRS and doi.count(last) > doi.count(_PAIRS[last]):
            doi = doi[:-1]
        else:
            break
    return doi


def dois(text: str) -> list[str]:
    """Every DOI in ``text``, in reading order, each once (compared case-insensitively,
    as the DOI system does)."""
    if "10." not in text and "10%2" not in text:
        return []
    text = _ESCAPE.sub(r"\1", text)
    text = _DOI_URL.sub(lambda m: "doi.org/ " + unquote(m.group(1)), text)
    out: list[str] = []
    seen: set[str] = set()
    for m in _DOI.finditer(text):
        doi = _trim(m.group(0))
        prefix, _, suffix = doi.partition("/")
        if not any(c.isalnum() for c in suffix) or doi.lower() in seen:
            continue
        seen.add(doi.lower())
        out.append(doi)
    return out


# --- journal ----------------------------------------------------------------------------------

_APOS = "['’]"
#: a publication verb or noun; the preposition that introduces the journal follows within six
#: words. Only publishing words: "reported in", "appeared in", "carried out in" name places
#: as often as journals ("cases reported in Brazil")
_FR_VERB = re.compile(r"\b(?:publi[ée]e?s?|paru(?:e|es|s)?|parution|publication|para[iî]t|paraissent)\b", re.I)
_EN_VERB = re.compile(r"\b(?:publish(?:ed|es|ing)?|publication)\b", re.I)
_PREPS = {False: frozenset({"dans"}), True: frozenset({"in"})}
#: "la revue X", "the journal X", "the Society's journal, X": the keyword itself is the cue (strong)
#: (the keyword in lower case: "the Journal of Neuroscience" is a name, not a cue)
_KEYWORD = re.compile(rf"\b(?:(?:[Ll]a|[Uu]ne|[Ll]e|[Ll]{_APOS})[ \u00a0]*(?:revue|journal)"
                      rf"|(?:[Tt]he|[Ii]ts|[Tt]heir|[^\W\d_]+{_APOS}s)[ \u00a0]+journal),?[ \u00a0]+")
_SPACES = re.compile(r"[ \u00a0]*")
_GAP_WORD = re.compile(r"[ \u00a0]+([^\s.;:!?]+)")
_ADJECTIVE = re.compile(r"[ \u00a0]*([^\s.,;:!?]+)")
_SENTENCE_STOP = re.compile(r"[.;:!?]")
#: a title in italics or quotes, right after the cue
_QUOTED = re.compile(r"\*([^*\n]{1,120})\*|_([^_\n]{1,120})_|«[ \u00a0]*([^»\n]{1,120}?)[ \u00a0]*»"
                     r"|“([^”\n]{1,120})”|\"([^\"\n]{1,120})\"")
_TOKEN = re.compile(r"[ \u00a0]*([^\s,.;:!?()\[\]{}«»“”\"*]+)")
#: lower-case words inside titles ("Journal of Neuroscience", "Trends in Neurosciences", "Revue de ...")
_LINKS = frozenset({"of", "in", "and", "for", "the", "de", "des", "du", "la", "le", "les", "et", "en", "d", "l",
                    "für", "und", "&"})
#: lower-case articles before a name, not part of it ("dans le Lancet", "dans l’American Journal...")
_LEADING = frozenset({"le", "la", "les", "l", "the"})
#: words a French writer puts between "revue" and the name ("la revue scientifique américaine PNAS")
_MAX_ADJECTIVES = 2
_ARTICLES = frozenset({"de", "des", "du", "la", "le", "les", "d", "l", "of", "the", "a", "an", "un", "une"})
_MAX_TOKENS = 10


@lru_cache(maxsize=1)
def _not_titles() -> frozenset[str]:
    """Month, weekday and language names in both site languages (CLDR data through Babel):
    words that follow "published in" and are no journal."""
    from babel import Locale

    out: set[str] = set()
    for code in ("fr", "en"):
        loc = Locale(code)
        for table in (loc.months, loc.days):
            for width in ("wide", "abbreviated"):
                out.update(str(v).casefold().rstrip(".") for v in table["format"][width].values())
        out.update(str(v).casefold() for v in loc.languages.values())
    return frozenset(out)


def _word_like_title(word: str) -> bool:
    core = word.lstrip("'’-")
    if not core or not (core[0].isalpha() or core[0].isdigit()):
        return False
    if core[0].isupper():
        return True
    # eLife, iScience, mBio: a lower-case start with a capital inside is a name, not a word
    return core[0].isalpha() and any(c.isupper() for c in core[1:])


def _split_elision(word: str) -> list[str]:
    """``l’Académie`` -> ``l``, ``Académie``: French elisions are two words."""
    m = re.match(rf"^([dlDL]){_APOS}(.+)$", word)
    return [m.group(1), m.group(2)] if m else [word]


def _title_run(text: str, pos: int) -> str | None:
    """The capitalised run of words at ``pos``: a journal's name as sentence typography shows it."""
    words: list[str] = []
    while len(words) < 2 * _MAX_TOKENS:
        m = _TOKEN.match(text, pos)
        if not m:
            break
        words += _split_elision(m.group(1))
        pos = m.end()
    stop = _not_titles()
    taken: list[str] = []
    pending: list[str] = []  # link words waiting for the next capitalised one
    for k, word in enumerate(words):
        if len(taken) >= _MAX_TOKENS:
            break
        if not taken and k == 0 and word in _LEADING:
            continue
        if taken and word.lower() in _LINKS and not _word_like_title(word):
            pending.append(word)
            continue
        if not _word_like_title(word) or word.casefold() in stop or (not taken and word[0].isdigit()):
            break
        taken += pending + [word]
        pending = []
    if not taken or re.search(rf"{_APOS}s$", taken[-1]):  # "the Society's (journal)": an owner, not a title
        return None
    name = re.sub(r"\b([dlDL]) (?=\w)", lambda m: m.group(1) + "’", " ".join(taken))  # elisions back
    if name.casefold() in stop or len(name) < 2:
        return None
    return name


def _name_at(text: str, pos: int, *, english: bool) -> tuple[int, str, bool] | None:
    """(where the name starts, journal name, strong) right after a cue ending at ``pos``."""
    pos = _SPACES.match(text, pos).end()
    strong = False
    km = _KEYWORD.match(text, pos)
    if km:
        pos, strong = km.end(), True
    q = _QUOTED.match(text, pos)
    if q:
        name = next(g for g in q.groups() if g is not None).strip().strip(_TRAILING)
        if any(c.isalpha() for c in name) and name.casefold() not in _not_titles():
            return pos, name, True
        return None
    name = _title_run(text, pos)
    if name is None and strong:  # "la revue scientifique Nature": a few plain words, then the name
        for _ in range(_MAX_ADJECTIVES):
            m = _ADJECTIVE.match(text, pos)
            if not m or m.group(1).lower() in _ARTICLES or not m.group(1).islower():
                break
            pos = m.end()
            name = _title_run(text, pos)
            if name:
                break
    return (pos, name, strong) if name else None


def _candidates(text: str) -> list[tuple[str, bool]]:
    """(name, strong) of every cue of ``text``, in reading order, each place once."""
    found: dict[int, tuple[str, bool]] = {}
    for m in _KEYWORD.finditer(text):
        hit = _name_at(text, m.start(), english=False)
        if hit:
            found.setdefault(hit[0], hit[1:])
    for verbs, english in ((_FR_VERB, False), (_EN_VERB, True)):
        for m in verbs.finditer(text):
            pos = m.end()
            for _ in range(7):  # the preposition, within six words of the verb, in the same sentence
                g = _GAP_WORD.match(text, pos)
                if not g or _SENTENCE_STOP.search(text, pos, g.start(1)):
                    break
                pos = g.end()
                if g.group(1).lower() in _PREPS[english]:
                    hit = _name_at(text, pos, english=english)
                    if hit:
                        found.setdefault(hit[0], hit[1:])
                        break
    return [found[k] for k in sorted(found)]


def _plain(text: str) -> str:
    """Markdown a cue reads through: escapes undone, links reduced to their text, bold dropped."""
    text = _ESCAPE.sub(r"\1", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    return text.replace("**", "").replace("__", "")


def _sentences_whole(texts: Iterable[str]) -> list[str]:
    """The texts, a block that stops mid-sentence joined to the next (a page break or a
    short last line can cut "la revue Advanced | Materials Chemistry." in two)."""
    out: list[str] = []
    pending = ""
    for text in texts:
        text = " ".join(_plain(text or "").split())
        if not text:
            continue
        pending = f"{pending} {text}" if pending else text
        if ends_sentence(pending) or pending.endswith(":"):
            out.append(pending)
            pending = ""
    if pending:
        out.append(pending)
    return out


def journal(texts: Iterable[str]) -> str | None:
    """The journal the texts say the study was published in, or None (see the module doc)."""
    found: list[tuple[str, bool]] = []
    for text in _sentences_whole(texts):
        found += _candidates(text)
    if not found:
        return None
    strong = [name for name, is_strong in found if is_strong]
    pool = strong or [name for name, _ in found]
    counts = Counter(name.casefold() for name in pool)
    best = max(counts.values())
    return next(name for name in pool if counts[name.casefold()] == best)


def study_doi(texts: Iterable[str], journal_name: str | None = None) -> str | None:
    """The study's DOI: the first DOI of the text that shares a paragraph with the journal's
    name, else the first DOI in reading order."""
    first = None
    for text in texts:
        found = dois(text)
        if not found:
            continue
        if journal_name and journal_name.casefold() in text.casefold():
            return found[0]
        first = first or found[0]
    return first
