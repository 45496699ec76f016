"""Page furniture and web chrome, recognised by the evidence every document carries.

Two pure stages, each called once by :mod:`.flow`:

* :func:`strip_furniture_lines` (stage 2b, on the text): lines that are page furniture
  whatever their wording -- page numbers in any common form (``Page 2 of 3``, ``2/3``,
  ``- 2 -``, ``Page 2 sur 3``, a bare number on its own line), and short lines repeated
  at several places of the document (running headers and footers of a PDF, a menu written
  both at the top and at the bottom of a page).
* :func:`select_content` (stage 3b, on the blocks): each block is classified by what it is
  made of, as jusText and trafilatura do -- its length, its density of function words
  (prose has many, chrome few), its link density, whether it is a list of links, whether it
  carries contact details (e-mail, phone), a copyright sign or a form; the article is the
  longest run of good paragraphs (a run ends at a stretch of chrome), and blocks outside it
  go, except the metadata lines before it (date, byline, rubric) that extraction reads.
  The title is then *scored* among the blocks before the article instead of taken as the
  first plausible line: markup (``#``), closeness to the lede, length, sentence case, and
  penalties for rubric lines with ``|``/``·`` fields, all-caps letterheads, credits and
  lines the document repeats.

The function-word lists are one signal among several (as in jusText), never a list of
chrome phrases: no rule here knows any site's wording.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from . import rules
from .dates import find_date
from .figures import CAPTION_CUE
from .paragraphs import RawBlock

# --------------------------------------------------------------------------- lines
_PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:page|p\.|seite|pág\.?)\s*\d{1,3}(?:\s*(?:/|of|sur|de|von)\s*\d{1,3})?"
    r"|\d{1,3}\s*/\s*\d{1,3}|[-–—]\s*\d{1,3}\s*[-–—]|\d{1,3}|\[\s*\d{1,3}\s*\])\s*$",
    re.I,
)
_DIGITS = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_WEB_OR_POSTAL = re.compile(
    r"\bwww\.|https?://|@|\b[\w-]+\.(?:fr|org|com|edu|eu|net|de|be|ch|ca|uk|int|gov)\b(?!\w)"
    r"|(?<!\d)\d{5}(?!\d)\s+[A-ZÀ-Ý]|\bcedex\b", re.I)
_BY = re.compile(r"^(?:by|par)\s+[A-ZÀ-Ý]", re.I)
_LABEL_HEAD = re.compile(r"^[^:!]{1,30}\s?[:!]\s*(.+)$")
_MD_STRUCTURE = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||!\[|```|:::|---|\*\*\*|___)")


def _line_key(line: str) -> str:
    """What a running header looks like on every page: digits (page numbers, dates) ignored."""
    return _DIGITS.sub("#", " ".join(line.lower().split()))


def strip_furniture_lines(text: str) -> tuple[str, list[str]]:
    """(text without page-furniture lines, the lines removed). Blank lines stay, so
    paragraph boundaries are unchanged."""
    lines = text.split("\n")
    counts = Counter()
    for ln in lines:
        s = ln.strip()
        if s and len(s) <= 90 and _LETTER.search(s) and not _MD_STRUCTURE.match(s):
            counts[_line_key(s)] += 1
    # a document with page numbers (or form feeds) has pages: a line on two of them is a running header
    paged = "\f" in text or sum(1 for ln in lines if _PAGE_NUMBER.match(ln.strip()) and ln.strip()) >= 1
    dropped: list[str] = []
    out: list[str] = []
    for i, ln in enumerate(lines):
        s = ln.strip()
        if not s:
            out.append(ln)
            continue
        if _PAGE_NUMBER.match(s):
            dropped.append(s)
            out.append("")
            continue
        key = _line_key(s)
        standalone = (i == 0 or not lines[i - 1].strip()) or (i + 1 == len(lines) or not lines[i + 1].strip())
        seen = counts.get(key, 0)
        if (standalone and (seen >= 3 or (seen >= 2 and paged)) and len(_WORD.findall(s)) <= 12
                and not s.endswith((".", ":", ";", ","))):
            dropped.append(s)
            out.append("")
            continue
        out.append(ln)
    if not dropped:
        return text, []
    return "\n".join(out), dropped


# --------------------------------------------------------------------------- blocks
_FUNCTION_WORDS = frozenset(
    # French
    "le la les l un une des du de d au aux et ou mais donc or ni car que qu qui quoi dont où "
    "ce cet cette ces son sa ses leur leurs notre nos votre vos mon ma mes il elle ils elles on "
    "nous vous je j se s en y ne n pas plus moins très aussi dans par pour sur sous avec sans "
    "entre vers chez depuis pendant avant après comme si est sont été être a ont avait avoir "
    "fait peut plus cela ça lors ainsi tout tous toute toutes même deux autre autres "
    # English
    "the a an and or but of to in on at by for with from as is are was were be been being it its "
    "this that these those they them their there here which who whom whose what when where why how "
    "not no than then so such can could may might will would should has have had do does did "
    "into over under after before between about also more most other some any each both our we "
    "he she his her you your i".split()
)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LYNX_REF = re.compile(r"\[\d{1,4}\]")
_BARE_URL = re.compile(r"https?://\S+|www\.\S+")
# the lookbehind starts a try only where a run of address characters starts: without it a
# 20,000-character word or "a.ba.b…" costs a scan from each of its characters (quadratic)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.]?)?(?:\(0\)\s?)?\d{1,4}(?:[\s.-]\d{2,4}){3,5}")
_TWO_DIGITS = re.compile(r"\d\d")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b", re.I)
_SENTENCE_END = re.compile(r"[.!?…»\")]\s*(?:\[\^?\d+\])?$")
_FIELD_SEP = re.compile(r"\s[|·•]\s|\s[–—-]\s")
_HEADING = re.compile(r"^(#{1,6})\s+")
_FOOTNOTE_DEF = re.compile(r"^\[\^\w+\]:")


@dataclass
class _Block:
    raw: RawBlock
    plain: str  # links reduced to their text, markup out
    words: int
    function_ratio: float
    link_ratio: float
    contact: bool
    copyright: bool
    heading: int  # Markdown heading level, 0 when not a heading
    ends_sentence: bool
    klass: str = "short"  # good | bad | short | meta
    meta: bool | None = None  # _is_meta(), computed once


def _measure(rb: RawBlock) -> _Block:
    text = rb.text
    m = _HEADING.match(text)
    heading = len(m.group(1)) if m else 0
    link_text = sum(len(g) for g in _MD_LINK.findall(text))
    plain = _MD_LINK.sub(r"\1", text)
    lynx = _LYNX_REF.findall(plain)
    plain = _LYNX_REF.sub("", plain)
    urls = _BARE_URL.findall(plain)
    plain = _BARE_URL.sub("", plain)
    plain = re.sub(r"[#*_>`|]+", " ", plain)
    words = _WORD.findall(plain)
    n = len(words)
    fw = 0
    for w in words:
        low = w.lower()
        if low.strip("'’") in _FUNCTION_WORDS or ("'" in low and low.split("'")[0] in _FUNCTION_WORDS):
            fw += 1
    chars = max(1, len(" ".join(plain.split())))
    link_chars = link_text + sum(len(u) for u in urls) + 6 * len(lynx) * (1 if n < 25 else 0)
    return _Block(
        raw=rb,
        plain=" ".join(plain.split()),
        words=n,
        function_ratio=fw / n if n else 0.0,
        link_ratio=min(1.0, link_chars / chars),
        # (cheap gates first: an address needs "@", a phone number two digits in a row, a copyright
        # line "©", "(c" or "opyright"; the patterns then decide, same answers)
        contact=bool(("@" in text and _EMAIL.search(text)) or (_TWO_DIGITS.search(text) and _PHONE.search(text))),
        copyright=bool(("©" in text or "(c" in text or "(C" in text or "opyright" in text or "OPYRIGHT" in text)
                       and _COPYRIGHT.search(text)),
        heading=heading,
        ends_sentence=bool(_SENTENCE_END.search(plain.strip())),
    )


def _classify(b: _Block) -> str:
    if b.words == 0:
        return "bad"
    if _FOOTNOTE_DEF.match(b.raw.text):
        return "short"
    if b.link_ratio > 0.5 or (b.contact and b.words < 40) or (b.copyright and b.words < 30 and not _is_caption(b)):
        return "bad"
    if b.heading:
        return "short"
    if b.words >= 15 and b.function_ratio >= 0.22 and b.link_ratio < 0.35 and (b.ends_sentence or b.words >= 40):
        return "good"
    if b.words >= 8 and b.function_ratio >= 0.25 and b.link_ratio < 0.2 and b.ends_sentence:
        return "near"
    return "short"


_LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")


_NO_CONTEXT = rules.Context()


@lru_cache(maxsize=8192)
def _meta_line(line: str) -> bool:
    """A line cleaning's rules will lift into the front matter (a date, a byline, a labelled
    field, a breadcrumb, a pipe list, a kicker): the same table decides, so an emphasised
    byline (``*Par Jeanne Martin*``) is metadata here as it is there."""
    line = _LIST_MARK.sub("", line)
    if len(line) > 240:
        return False
    decision = rules.decide(line, _NO_CONTEXT)
    return isinstance(decision, rules.Lift) and decision.rule != "bare URL"


def _is_meta(b: _Block) -> bool:
    if b.meta is None:
        b.meta = _compute_meta(b)
    return b.meta


def _compute_meta(b: _Block) -> bool:
    """A date line, a byline, a labelled field or a breadcrumb (alone or in a list of such
    lines): cleaning lifts these into the front matter (date, authors, categories, tags),
    so they stay for it to read."""
    if b.words > 60:
        return False
    return _meta_line(b.raw.text) or any(_meta_line(ln) for ln in b.raw.lines)


_NOTE = re.compile(r"^(?:\[\^\w+\]:|\d{1,3}\s+\S)")
_CREDIT = re.compile(r"^(?:©|\(c\)|cr[ée]dits?\b|photo\b|source\s*:)", re.I)
_CAPTION = re.compile(r"^\W{0,3}" + CAPTION_CUE, re.I)
_TITLE_MARK = re.compile(r"^#\s")


def _is_caption(b: _Block) -> bool:
    """An image caption with its credit line: a credit line next to a line of prose, or a
    line that says it is a caption ("Légende : ...", its credit on the same line or not)."""
    lines = b.raw.lines
    if _CAPTION.match(b.raw.text):
        return True
    return len(lines) >= 2 and any(_CREDIT.match(ln) for ln in lines) and any(
        len(_WORD.findall(ln)) >= 6 and not _CREDIT.match(ln) for ln in lines)


def _credit_of(blocks: list[_Block], i: int) -> bool:
    """Block ``i`` is a credit line that follows a line of prose (the caption it credits), or
    the title (``# ...``: the credit of the page's lead image, whose caption is not there)."""
    b = blocks[i]
    if not (len(b.raw.lines) == 1 and bool(_CREDIT.match(b.raw.text)) and b.words <= 25 and i > 0):
        return False
    prev = blocks[i - 1]
    if prev.heading and _TITLE_MARK.match(prev.raw.text) and not b.raw.text.startswith(("©", "(c")):
        return True
    return prev.words >= 6 and not prev.heading and prev.klass != "bad"


def _announced_list(blocks: list[_Block], i: int) -> bool:
    """A list of plain items that the text before it announces ("Les chercheurs prévoient de :")."""
    b, prev = blocks[i], blocks[i - 1]
    return (b.klass != "bad" and b.link_ratio < 0.2 and bool(_LIST_MARK.match(b.raw.text))
            and prev.raw.text.rstrip().endswith(":"))


def _continues(b: _Block) -> bool:
    text = b.raw.text
    return (b.klass in ("good", "near") or bool(_NOTE.match(text)) or _is_caption(b)
            or (b.klass != "bad" and text[:1].islower()))


def _runs(blocks: list[_Block]) -> list[tuple[int, int, int]]:
    """(start, end, weight) of each run of article text: good blocks joined across short
    gaps; a stretch of chrome (two bad blocks, or four blocks without a good one) ends a run."""
    runs = []
    start = None
    last_good = None
    bad_streak = 0
    weight = 0
    for i, b in enumerate(blocks):
        if b.klass in ("good", "near") and (b.klass == "good" or start is not None):
            if start is None:
                start, weight = i, 0
            last_good = i
            weight += b.words
            bad_streak = 0
            continue
        if start is None:
            continue
        if b.klass == "bad":
            bad_streak += 1
        if bad_streak >= 2 or i - last_good >= 5:
            runs.append((start, last_good, weight))
            start, last_good, bad_streak = None, None, 0
    if start is not None:
        runs.append((start, last_good, weight))
    return runs


def _title_score(b: _Block, distance: int, repeats: int) -> float:
    words = b.words
    if words < 2 or words > 30 or b.contact or b.copyright or b.link_ratio > 0.6:
        return -99.0
    s = 0.0
    if b.heading == 1:
        s += 4
    elif b.heading == 2:
        s += 2
    elif b.heading:
        s += 0.5
    s -= 0.6 * distance
    s += 1.5 if 5 <= words <= 20 else (0 if words >= 3 else -2)
    letters = [c for c in b.plain if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        s -= 3  # an all-caps letterhead or rubric
    if len(_FIELD_SEP.findall(b.plain)) >= 2 or "|" in b.plain:
        s -= 4  # "Organisation | Communiqué | date": fields, not a sentence
    if find_date(b.plain) is not None:
        s -= 3
    if b.plain.endswith(".") and not b.plain.endswith("..."):
        s -= 2  # a sentence, likely the lede
    if b.function_ratio == 0 and words <= 4:
        s -= 1.5  # a name or a rubric ("Vie des labos" has function words; "INRSV" has none)
    raw = b.raw.text
    if _WEB_OR_POSTAL.search(raw):
        s -= 4  # a letterhead or address: a web address, a postal code before a town
    if _BY.match(b.plain):
        s -= 4  # "By Rachel Okonjo, science writer": a byline, even one the byline rule cannot parse
    m = _LABEL_HEAD.match(b.plain)
    names = _WORD.findall(m.group(1)) if m else []
    caps = sum(1 for w in names if w[0].isupper())
    if caps >= 3 and caps >= 0.6 * len(names):
        s -= 4  # "Partagez : Facebook Instagram WhatsApp": a label and a list of names (share widgets)
    if repeats >= 2:
        s -= 3
    if b.link_ratio > 0.3:
        s -= 2
    first = b.plain[:1]
    if first and not first.isupper() and not first.isdigit():
        s -= 2
    return s


#: the score a block needs to be taken as the title
TITLE_MIN = 0.0


def _wrapped_title(a: _Block, b: _Block) -> bool:
    """``b`` is the second printed line of the headline ``a``: no blank line between them, both
    unpunctuated plain lines, the first one the longer (a wrap fills the first line), and
    together still a headline's length."""
    return (len(a.raw.lines) == 1 and len(b.raw.lines) == 1 and b.raw.blank_before == 0
            and not a.heading and not b.heading and not _is_meta(b) and not b.contact
            and not a.plain.endswith((".", ":", ";", ",", "!", "?")) and not b.plain.endswith((".", ":", ";", ","))
            and len(a.plain) >= len(b.plain) and 2 <= b.words and a.words + b.words <= 25
            and _title_score(b, distance=0, repeats=1) > -99)


def _headline_opens_run(blocks: list[_Block], start: int, end: int) -> bool:
    """The run's first block is a headline: short, unpunctuated, not meta, a longer block after."""
    b, nxt = blocks[start], blocks[start + 1]
    text = b.plain.rstrip()
    return (start < end and 4 <= b.words <= 25 and not text.endswith((".", ":", ";", ","))
            and not _is_meta(b) and nxt.words >= 2 * b.words
            and _title_score(b, distance=0, repeats=1) > TITLE_MIN)


def select_content(raw: list[RawBlock]) -> tuple[list[RawBlock], list[str]]:
    """(the article's blocks, the chrome removed). The chosen title block comes first."""
    if len(raw) < 3:
        return raw, []
    blocks = [_measure(rb) for rb in raw]
    for b in blocks:
        b.klass = _classify(b)
    runs = _runs(blocks)
    if not runs:
        return raw, []
    # the article: from the first to the last substantial run (a figure, a pull quote or a
    # page break can cut the text in several runs; a related-links box cannot be substantial)
    longest = max(r[2] for r in runs)
    substantial = [r for r in runs if r[2] >= 0.3 * longest]
    start, end = substantial[0][0], substantial[-1][1]
    # the lede may be short: extend the start back over near-good blocks
    while start > 0 and blocks[start - 1].klass == "near":
        start -= 1
    # notes, a sentence continued after a page break, and captions right after the article
    # belong to it
    while end + 1 < len(blocks) and (_continues(blocks[end + 1]) or _announced_list(blocks, end + 1)):
        end += 1
    seen = Counter(b.plain.lower() for b in blocks)
    head = list(range(max(0, start - 12), start))
    best, best_score = None, TITLE_MIN  # a title needs positive evidence
    for i in head:
        b = blocks[i]
        if b.klass == "bad":
            continue
        score = _title_score(b, distance=sum(1 for j in range(i + 1, start) if not _is_meta(blocks[j])), repeats=seen[b.plain.lower()])
        if score > best_score:
            best, best_score = i, score
    if best is None and start + 1 < len(blocks) and _headline_opens_run(blocks, start, end):
        # a PDF or plain-text headline set right above the lede reads like text (function words,
        # a dozen words) and opens the run itself: take it when it is shaped as a headline
        best = start
        start += 1
    kept: list[RawBlock] = []
    dropped: list[str] = []
    merged = None
    if best is not None and best + 1 < start and _wrapped_title(blocks[best], blocks[best + 1]):
        # a headline wrapped over two printed lines that a capital split into two blocks
        # ("Hidden meltwater lakes are speeding up" / "Greenland's outlet glaciers")
        first, second = raw[best], raw[best + 1]
        raw[best] = RawBlock(f"{first.text} {second.text}", first.lines + second.lines,
                             first.blank_before, first.page_break_before)
        merged = best + 1
    if best is not None:
        raw[best].chosen_title = True
        kept.append(raw[best])
    after_meta = False
    for i, b in enumerate(blocks):
        if i == best or i == merged:
            continue
        inside = start <= i <= end
        if inside:
            # inside the article only link lists and contact blocks go; a credit line stays
            # with its caption, a heading with its section
            chrome = b.klass == "bad" and not b.heading and (b.link_ratio > 0.5 or b.contact)
        else:
            caption = _is_caption(b) or _credit_of(blocks, i) or (i + 1 < len(blocks) and _credit_of(blocks, i + 1))
            chrome = not ((_is_meta(b) or caption) and (i > end or i >= start - 12))
            if chrome and i > end + 1 and after_meta and b.link_ratio > 0.5 and b.words <= 30:
                chrome = False  # a link list right after a labelled field: its values (tags)
            after_meta = (i > end and not chrome and _is_meta(b)) or (after_meta and not chrome)
            if chrome and best is None and start - 12 <= i < start and b.klass != "bad":
                chrome = False  # no title found: cleaning's own title rule sees the head
            if (chrome and best is not None and best < i < start and b.klass != "bad" and b.ends_sentence
                    and b.words >= 3 and not b.link_ratio and not b.heading):
                chrome = False  # sentences between the title and the article's run: a short lede
        (dropped.append(raw[i].text) if chrome else kept.append(raw[i]))
    return kept, dropped
