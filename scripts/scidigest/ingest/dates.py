"""Publication dates: find them on metadata lines, parse French and English forms.

Month and weekday names come from Babel's CLDR data (French and English, wide
and abbreviated), so "30 septembre 2021", "1er févr. 2020", "September 30,
2021" and "01/10/2018 - 18:06" are read by one table-driven matcher; free-form
remainders after a publication cue ("Publié le ...") go to ``dateparser``.

Only *metadata lines* are searched (a dateline, "Publié le ...", a line that is
essentially a date). A date inside a body sentence ("en 2019", "en Août 2020")
is never taken for the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import get_day_names, get_month_names


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for locale in ("fr", "en"):
        for width in ("wide", "abbreviated"):
            for ctx in ("format", "stand-alone"):
                for num, name in get_month_names(width, ctx, locale).items():
                    key = _strip_accents(name.lower().rstrip("."))
                    table[key] = num
    table["aout"] = 8  # "Aout" without its circumflex is common in French web text
    table["sept"] = 9
    return table


_MONTHS = _month_table()
#: month names as written (with accents: "février", "août", "décembre") and without
_MONTH_NAMES = set(_MONTHS) | {
    n.lower().rstrip(".")
    for loc in ("fr", "en")
    for width in ("wide", "abbreviated")
    for ctx in ("format", "stand-alone")
    for n in get_month_names(width, ctx, loc).values()
}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTH_NAMES), key=len, reverse=True))
_DAYS = sorted(
    {_strip_accents(n.lower()) for loc in ("fr", "en") for n in get_day_names("wide", locale=loc).values()},
    key=len,
    reverse=True,
)

_SP = r"[\s\u00a0\u202f]+"
_TEXTUAL = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?{_SP}(?P<m>{_MONTH_RE})\.?{_SP}(?P<y>\d{{4}})\b", re.I
)
_TEXTUAL_EN = re.compile(rf"\b(?P<m>{_MONTH_RE})\.?{_SP}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?{_SP}(?P<y>\d{{4}})\b", re.I)
_TEXTUAL_DASH = re.compile(rf"\b(?P<d>\d{{1,2}})-(?P<m>{_MONTH_RE})\.?-(?P<y>\d{{4}})\b", re.I)  # 15-Jan-2021
_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b")
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
# a year 1800-2999 not inside a longer number: (?<!\d)(?:1[89]|2\d)\d\d(?!\d), with the
# look-behind moved after the first digit so the engine scans for "1"/"2" (same matches)
_YEAR = re.compile(r"(?:1(?<!\d1)[89]|2(?<!\d2)\d)\d\d(?!\d)")
_TIME = re.compile(r"\b\d{1,2}\s*[:h]\s*\d{2}\b")

#: cue words before a date, with the confidence that the date is the publication date
_CUES = (
    (re.compile(r"\b(publi[ée]e?s?|mis en ligne|en ligne|date de publication|published|posted|parution|"
                r"submitted|available online|released?|diffus[ée]e?|embargo(?:ed)?|sous embargo)\b", re.I), 3),
    (re.compile(r"^[A-ZÀ-Ý][\w'’ -]{1,40},\s+(le\s+)?", re.I), 3),  # dateline "Paris, le ..."
    (re.compile(r"\b(cr[ée]{2}|created|r[ée]dig[ée])\b", re.I), 2),
    (re.compile(r"\b(mis à jour|mise à jour|modifi[ée]|updated|last modified)\b", re.I), 0),
)


_EMPTY_LINK = re.compile(r"\[[^\]]*\]\(#?\)")
_COUNTER = re.compile(r"\b\d+\s+(commentaires?|comments?|avis|vues|views)\b")
_DAY_WORDS = tuple((day, re.compile(rf"\b{day}\b")) for day in _DAYS)
_CUE_WORDS = re.compile(
    r"\b(le|du|publie|publiee|mis en ligne|cree|created|published|posted|on|date|de|publication|"
    r"mis a jour|mise a jour|modifie|updated|a)\b"
)
_NON_WORD_RUN = re.compile(r"[\W_]+")
_DATE_AFTER_CUE = re.compile(r"\b(le|on|du)\b\s*(.+)$", re.I)


# -- metadata lines told by their make-up --------------------------------------------------
# A line such as "Submitted by Rebecca Thornbury on 4 Mar 2019", "dimanche 14 mai 2023 — Julien
# Pastoureau 1 245 vues · 6 minutes" or "PRESS RELEASE · For immediate release · 4 September 2023"
# has no short residue, but what surrounds its date is *made of metadata*: capitalised names and
# organisations, field separators, counters and reading times, link markers, and a handful of
# function and cue words. A body sentence carrying a date has ordinary lower-case words (verbs,
# nouns) around it. The word set below is one signal (what may be lower-case there); the shape
# (capitalisation, separators, counters, no sentence) decides.
_LINK_MARKER = re.compile(r"\[\d+\]|\[[^\]]*\]\([^)]*\)")
_COUNTS = re.compile(
    r"\b\d[\d\s\u00a0\u202f]*\s*(?:vues?|views?|lectures?|reads?|commentaires?|comments?|r[ée]actions?|"
    r"partages?|shares?|likes?|min(?:utes?)?|mn|sec(?:ondes?|onds?)?)\b",
    re.I,
)
_META_WORDS = frozenset(
    "le la les l de du des d et and the a à au aux at on in en by par pour for from of until jusqu jusqu'au "
    "read reading lecture temps time mins min minutes dans il y ago it s is est posted published submitted "
    "written publié publiée mis ligne online available disponible released release immediate embargoed "
    "embargo sous updated mis jour mise modifié created créé rédigé écrit gmt utc cet cest heure heures h "
    "news actualité actualités communiqué presse press".split()
)
#: field separators of rubric and byline lines: pipes, middle dots, bullets, dashes between spaces
_FIELD_SEP = re.compile(r"\s+(?:[|·•–—]|-{1,3})\s+|\s*\|\s*")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _made_of_metadata(rest: str, allowed: int) -> bool:
    """True when the text around a date holds at most ``allowed`` ordinary lower-case words."""
    rest = _LINK_MARKER.sub(lambda m: " " + m.group(0).split("](")[0].strip("[]") + " "
                            if "](" in m.group(0) else " ", rest)
    rest = _TIME.sub(" ", _COUNTS.sub(" ", rest))
    if re.search(r"[.!?]\s+[a-zà-ÿ]", rest):  # a sentence continues after a full stop
        return False
    ordinary = 0
    for w in _WORD.findall(rest):
        if w[0].isupper():
            continue  # a name, an organisation, a rubric in capitals
        key = w.lower().replace("’", "'")
        if key in _META_WORDS or _strip_accents(key) in _DAYS or key.split("'")[0] in _META_WORDS:
            continue
        ordinary += 1
        if ordinary > allowed:
            return False
    return True


@dataclass(frozen=True)
class DateHit:
    iso: str
    priority: int  # higher wins; 1 = a bare date line


def _make(y: str, m: str | int, d: str) -> str | None:
    try:
        month = int(m) if str(m).isdigit() else _MONTHS[_strip_accents(str(m).lower().rstrip("."))]
        return dt.date(int(y), month, int(d)).isoformat()
    except (ValueError, KeyError):
        return None


def _match_date(text: str) -> tuple[str, re.Match] | None:
    for rx in (_TEXTUAL, _TEXTUAL_EN, _TEXTUAL_DASH, _NUMERIC, _ISO):
        m = rx.search(text)
        if m:
            iso = _make(m["y"], m["m"], m["d"])
            if iso:
                return iso, m
    return None


@lru_cache(maxsize=4096)
def _dateparser_fallback(phrase: str) -> str | None:
    import dateparser  # imported lazily: slow to import, rarely needed

    parsed = dateparser.parse(
        phrase,
        languages=["fr", "en"],
        settings={"DATE_ORDER": "DMY", "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date().isoformat() if parsed else None


def _residue(line: str, match: re.Match) -> str:
    """What is left of a line once its date, weekday, time, cue words and counters are gone."""
    rest = line[: match.start()] + " " + line[match.end():]
    rest = _strip_accents(rest.lower())
    rest = _TIME.sub(" ", rest)
    rest = _EMPTY_LINK.sub(" ", rest)  # empty links such as comment counters
    rest = _COUNTER.sub(" ", rest)
    for day, rx in _DAY_WORDS:
        if day in rest:  # (a day name that is not in the text cannot match)
            rest = rx.sub(" ", rest)
    rest = _CUE_WORDS.sub(" ", rest)
    return _NON_WORD_RUN.sub(" ", rest).strip()


@lru_cache(maxsize=8192)
def find_date(line: str) -> DateHit | None:
    """The date a metadata line gives, or None when the line is not a date line.

    A line qualifies when it has a publication cue, is a dateline ("Paris, le
    30 septembre 2021"), or is essentially nothing but a date.
    """
    text = line.strip()
    if not text or len(text) > 160 or not _YEAR.search(text):
        return None  # no four-digit year, no date: most lines leave here, before the big patterns
    found = _match_date(text)
    cue_priority = None
    head = text[: found[1].start()] if found else text
    # in a rubric line ("COMMUNIQUÉ | INSOL | Paris, le 5 février 2024") the date's own field
    # is what a dateline cue is anchored to
    seps = list(_FIELD_SEP.finditer(head))
    field_head = head[seps[-1].end():] if seps else head
    for rx, prio in _CUES:
        m = rx.search(field_head) or (rx.search(head) if seps else None)
        if m:
            lead = _strip_accents(m.group(0).split(",")[0].strip().lower())
            cue_priority = 1 if prio == 3 and lead in _DAYS else prio  # "Lundi, ..." is no dateline
            break
    if found is None:
        if cue_priority is None or cue_priority == 0:
            return None
        m = _DATE_AFTER_CUE.search(text)
        phrase = (m.group(2) if m else text).strip(" :.")
        iso = _dateparser_fallback(phrase[:60])
        return DateHit(iso, cue_priority) if iso else None
    iso, match = found
    residue = _residue(text, match)
    if cue_priority is not None and cue_priority > 0 and len(residue) <= 40:
        return DateHit(iso, cue_priority)
    if cue_priority == 0 and len(residue) <= 40:
        return DateHit(iso, 0)
    if not residue:
        return DateHit(iso, 1)
    allowed = 1 if (cue_priority or _FIELD_SEP.search(text)) else 0
    if _made_of_metadata(text[: match.start()] + " " + text[match.end():], allowed):
        if cue_priority == 0:
            return DateHit(iso, 0)
        return DateHit(iso, cue_priority if cue_priority is not None else 1)
    return None
