"""Stage 3: Cleaned (+ sidecar) -> Metadata for the front matter.

Rules, in the spirit of trafilatura's metadata extraction: explicit signals
first (sidecar, bylines, "Publié le"), then structural ones (the dateline of a
press release, the lede), and never invention: a missing date stays missing
and is reported; a missing title is *proposed* from key phrases and flagged.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

import yaml

from ..sidecar import sidecar_name
from . import citation
from .keyphrases import propose_title
from .langid import detect_language
from .model import BlockKind, Cleaned, Extraction, InputKind, Metadata, Source
from .textutil import split_sentences, strip_markdown, words

_strip_markdown = strip_markdown.__wrapped__  # strip_markdown without its lru_cache

WORDS_PER_MINUTE = 200
DESCRIPTION_MAX = 300


@lru_cache(maxsize=1)
def _organisations() -> tuple[re.Pattern, dict[str, str]]:
    """One alternation over every spelling (one pass over the text), and spelling -> name."""
    data = yaml.safe_load(resources.files("scidigest").joinpath("data/organisations.yaml").read_text("utf-8"))
    names = {m: entry["name"] for entry in data for m in entry["match"]}
    alts = "|".join(re.escape(m) for m in sorted(names, key=len, reverse=True))
    # The rule is (?<![\w])(?:alts)(?![^\W\d_]). A pattern that starts with a look-behind is
    # tried at every position; without it the engine jumps to the first letters of the
    # spellings. first_organisation() checks the look-behind itself and searches again one
    # character further when it fails, so it finds the same first match.
    return re.compile(rf"(?:{alts})(?![^\W\d_])"), names


_WORD_CHAR = re.compile(r"\w")


def first_organisation(text: str) -> str | None:
    """The first research or publishing organisation the text names (see data/organisations.yaml)."""
    rx, names = _organisations()
    pos = 0
    while True:
        m = rx.search(text, pos)
        if m is None:
            return None
        start = m.start()
        if start == 0 or not _WORD_CHAR.match(text, start - 1):
            return names[m.group(0)]
        pos = start + 1


_FOOTNOTE_REF = re.compile(r"\[\^\d+\]")
_TAG = re.compile(r"<[^>]+>")


def describe(paragraph: str, limit: int = DESCRIPTION_MAX) -> str:
    """The lede cut at a sentence end: whole sentences up to ``limit`` characters (at least one)."""
    text = _FOOTNOTE_REF.sub("", strip_markdown(paragraph))
    text = _TAG.sub("", text)
    out = ""
    for sentence in split_sentences(text):
        candidate = f"{out} {sentence}".strip()
        if out and len(candidate) > limit:
            break
        out = candidate
    return out


_DATELINE = re.compile(r"^[A-ZÀ-Ý][\w'’ -]{1,40},\s+le\s")
_FIRST_PERSON = re.compile(r"\b(nous|notre|nos|we|our)\b", re.I)
_THESIS = re.compile(r"\b(th[èe]se|doctorat|doctoral|thesis)\b", re.I)
# _THESIS without re.I: every letter spelled as the exact set of characters re.I lets it match
# (s also matches U+017F ſ, i also U+0130 İ and U+0131 ı), and the leading \b as a look-behind
# after the first letter, so that the pattern starts with a character set the regex engine scans
# for quickly instead of trying four case-insensitive words at every position. Same matches.
_THESIS_FAST = re.compile(
    r"[TtDd](?<!\w[TtDd])(?:[Hh][ÈèEe][Ssſ][Ee]|[Hh][Ee][Ssſ][Iiİı][Ssſ]|[Oo][Cc][Tt][Oo][Rr][Aa][TtLl])\b"
)


def _kind(cleaned: Cleaned, body: str, has_title: bool, has_date: bool) -> str:
    if cleaned.kicker:
        return cleaned.kicker
    if any(_DATELINE.match(m) for m in cleaned.meta_lines):
        return "press-release"  # a dateline
    # (the first-person count only matters for an untitled, undated text: counted only then)
    if _THESIS_FAST.search(body) or (
        not has_title and not has_date and len(_FIRST_PERSON.findall(body)) >= 3
    ):
        return "thesis-summary"
    if cleaned.input_kind in (InputKind.WEB_MARKDOWN, InputKind.WEB_TEXT):
        return "news-article"
    return "article"


def body_text(cleaned: Cleaned) -> str:
    parts = [b.text for b in cleaned.blocks if b.kind is not BlockKind.CAPTION]
    return "\n\n".join(parts + list(cleaned.footnotes.values()))


def extract(source: Source, cleaned: Cleaned, sidecar: dict | None = None) -> Extraction:
    """Front-matter fields for one source. ``sidecar`` values win over anything found."""
    side = dict(sidecar or {})
    warnings: list[str] = []
    body = body_text(cleaned)
    plain_body = _strip_markdown(body)  # uncached: a whole body is never seen twice

    declared = source.declared
    lang = side.get("lang") or declared.lang or detect_language(plain_body or source.text)

    # date: the highest-priority metadata line, the first one on ties
    date = side.get("date") or declared.date
    if date is None:
        hits = cleaned.dates  # parsed by the date rule when the line was lifted
        if hits:
            best = max(hits, key=lambda h: h.priority)  # max() keeps the first of equals
            date = best.iso
    if date is None:
        warnings.append(
            f"no publication date found; add 'date: YYYY-MM-DD' to sources/{sidecar_name(source.name)} if the source has one"
        )

    authors: list[str] = []
    organisation = None
    for by in cleaned.bylines:  # parsed by the byline rule when the line was lifted
        if by:
            authors += [a for a in by.authors if a not in authors]
            organisation = organisation or by.organisation

    title = side.get("title") or declared.title or cleaned.title
    generated = False
    if not title:
        title = propose_title(plain_body, lang) or " ".join(words(plain_body)[:8])
        generated = True
        warnings.append(
            f"no title in the source; proposed {title!r} (title_generated: true); "
            f"set 'title:' in sources/{sidecar_name(source.name)} to choose your own"
        )

    kind = side.get("kind") or _kind(cleaned, plain_body, not generated, date is not None)
    if organisation is None and kind in ("press-release", "news-article"):
        lead = "\n".join(b.text for b in cleaned.blocks if b.kind is BlockKind.PARAGRAPH)
        organisation = first_organisation(lead)

    first_para = next((b.text for b in cleaned.blocks if b.kind is BlockKind.PARAGRAPH), "")
    description = side.get("description") or describe(first_para) or title

    # the study: journal from the article's own sentences, DOI from anything the document holds
    # (a reference line is often dropped as boilerplate or lifted as metadata)
    prose = [b.text for b in cleaned.blocks if b.kind is not BlockKind.HEADING] + list(cleaned.footnotes.values())
    journal = side.get("journal") or declared.journal or citation.journal(prose)
    doi = side.get("doi") or declared.doi or citation.study_doi([*prose, *cleaned.meta_lines, *cleaned.dropped], journal)

    n_words = len(plain_body.split())
    meta = Metadata(
        title=title,
        title_generated=generated and "title" not in side,
        lang=lang,
        description=description,
        kind=kind,
        input_kind=cleaned.input_kind.value if source.format == "text" else source.format,
        reading_time=max(1, math.ceil(n_words / WORDS_PER_MINUTE)),
        source_file=source.name,
        source_hash=f"sha256:{source.sha256}",
        slug=side.get("slug", ""),
        date=str(date) if date else None,
        organisation=side.get("organisation", declared.organisation or organisation),
        authors=list(side.get("authors", list(declared.authors) or authors)),
        source_url=side.get("source_url", declared.source_url or cleaned.source_url),
        journal=journal,
        doi=doi,
        categories=list(side.get("categories", cleaned.categories)),
        tags=list(side.get("tags", cleaned.tags)),
    )
    return Extraction(metadata=meta, warnings=warnings)
