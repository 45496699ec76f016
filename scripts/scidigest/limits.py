"""What one article may contain, so that no input makes a run slow.

Every limit here bounds a cost that is not linear in the size of the text
somewhere on the path from a source to the built site, or that multiplies
pages. They were found by profiling hostile inputs
(``python -m scidigest.bench.hostile``), and each one is far above what a real
article holds (the seeds and the synthetic benchmark sources are at less than
a tenth of every limit). Where the cost is ours it was made linear instead
(the ingest patterns, see ``RESULTS-hostile.md``); what is left is inside
Python-Markdown and its extensions, which we run as they are:

* unclosed ``[`` and ``](``: Python-Markdown's link processor
  (``LinkInlineProcessor.getText``/``getLink``) scans from every ``[`` to its
  ``]`` (and from ``](`` to its ``)``), to the end of the block when there is
  none: quadratic (8,000 ``[`` in a row took 11.7 s, a normal article of that
  size 5 ms). Measured here as the characters those scans would read
  (:func:`scan_cost`), which must stay within a few times the body's length.
* ``<`` followed by a letter: the raw-HTML parser reads from every tag start to
  the next ``>`` (``<a<a<a…``: quadratic). Counted into the same cost.
* nesting of lists and quotes: each level is one recursion of the block
  parser; ``1. 1. 1. …`` on one line overflows Python's stack (a crash, not
  only a slow build).
* headings: ``toc`` makes each anchor unique by trying ``_1``, ``_2``… in
  turn, quadratic in the number of headings with the same text, and every
  heading is a table-of-contents entry and a search-index section.
* abbreviations: one pattern with every ``*[ABBR]:`` term is run over every
  text node, so the cost is terms × text.
* fenced code blocks, table rows and emphasis markers: linear, but each
  costs as much as a kilobyte of prose (a highlighter per block, a row of
  cells) or ten characters of it (``*_**__`` becomes nested elements, ~35 µs a
  marker); bounded so a page stays within a small multiple of a normal one.
* line length and runs of one markup character: the ingest stages work line
  by line and block by block; bounding both keeps any pattern that backtracks
  within a line cheap even if one slips through review.
* tags and categories: each distinct one is a listing page in each language,
  and every card shows all of an article's tags, so an article with n tags
  costs n pages of n links (quadratic in the site).
* description: repeated on every listing page the article's card is on.

The limits are checked at the edges that accept content: ``scidigest ingest``
refuses a source (its decoded text, then the article it would write) past any
of them, ``scidigest check`` reports an article past any of them, and the
site build renders such an article as plain text with an error (so
``mkdocs build --strict`` fails, naming the file, instead of hanging). Each
problem is one line naming the limit, the value found and the fix.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

#: characters of Markdown body (the same bound as a source file: 2 MiB)
MAX_BODY_CHARS = 2 * 1024 * 1024
#: characters in one line; a paragraph is one line in our articles, and 20,000
#: characters is about 3,000 words, several times the longest real paragraph
MAX_LINE_CHARS = 20_000
#: the same non-alphanumeric, non-space character repeated (rules of ``-`` or
#: ``=`` are under 100 wide)
MAX_RUN = 256
#: digits in a row (the longest real numbers, accession numbers, are ~20)
MAX_DIGIT_RUN = 256
#: characters that link and tag parsing would read (see :func:`scan_cost`):
#: at most SCAN_FACTOR × the body's length plus SCAN_FLOOR; real articles,
#: whose links are closed, stay under 1 × their length
SCAN_FACTOR = 4
SCAN_FLOOR = 20_000
#: levels of lists and block quotes
MAX_NESTING = 16
#: headings (#…######) in one article
MAX_HEADINGS = 256
#: ``*[ABBR]: …`` definitions in one article
MAX_ABBREVIATIONS = 64
#: fenced code blocks (``` or ~~~) in one article
MAX_CODE_BLOCKS = 64
#: table rows (lines starting with ``|`` or holding `` | ``) in one article
MAX_TABLE_ROWS = 2_000
#: ``*`` and ``_`` that may open or close emphasis, in one article (a long
#: article with a hundred phrases in italics or bold has a few hundred)
MAX_EMPHASIS_MARKERS = 2_000
#: footnote definitions in one article (each costs about a millisecond: a back-reference,
#: a list item and a pass over the tree; scholarly articles have under a hundred)
MAX_FOOTNOTES = 300
#: tags and categories in one article's front matter, and their length
MAX_TAGS = 12
MAX_CATEGORIES = 6
MAX_TERM_CHARS = 80
#: authors, and the length of the description
MAX_AUTHORS = 100
MAX_DESCRIPTION_CHARS = 1_000


@dataclass(frozen=True)
class Breach:
    """One limit an article is past: ``line`` is 1-based, None for the whole article."""

    limit: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message}; {self.fix}"


_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.M)
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.M)
_ABBR = re.compile(r"^\*\[[^\]\n]*\]:", re.M)
_FENCE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})", re.M)
_TABLE_ROW = re.compile(r"^[ \t]*\||^[^\n]* \| ", re.M)
_FOOTNOTE = re.compile(r"^\[\^[^\]\n]*\]:", re.M)
#: an unescaped ``*``, or a ``_`` not inside a word (Python-Markdown's ``_`` is not emphasis there)
_EMPHASIS = re.compile(r"(?<!\\)\*|(?<![\w\\])_|_(?!\w)")
#: what a "run" is made of (_first_long_run): one character that is neither a letter, a
#: digit nor a space, repeated; or ASCII digits
_RUN_CHAR = re.compile(r"[^\w\s]")
_DIGIT_CHAR = re.compile(r"[0-9]")
#: what opens a nesting level at the start of a line: a quote marker or a list marker
_LEVEL = re.compile(r"[ \t]{0,3}(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))[ \t]*")
_HR = re.compile(r"^[ \t]*(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
#: brackets and parentheses, an escaped character taken as one token (so \[ is skipped)
_BRACKET = re.compile(r"\\.|[\[\]()]", re.S)


def _fmt(n: int) -> str:
    return f"{n:,}"


def scan_cost(body: str) -> int:
    """How many characters Python-Markdown's link and raw-HTML parsing would read.

    For every unescaped ``[``: the distance to the ``]`` that closes it, or to
    the end of its block (blank line) when none does; the same for ``(``
    after ``](``; for every ``<`` that starts a tag, the distance to the next
    ``>``. One pass with a stack, so it is linear itself. An over-estimate
    (code spans are not skipped), which only makes it stricter.
    """
    cost = 0
    if "<" in body:  # (no "<", no tag start: the scan below would find none)
        gts = [m.start() for m in re.finditer(">", body)]
        n = len(body)
        for m in _TAG_START.finditer(body):
            i = bisect.bisect_left(gts, m.start())
            cost += (gts[i] if i < len(gts) else n) - m.start()
    if "[" not in body and "(" not in body:
        return cost
    for block in _BLANK_LINE.split(body):
        if "[" not in block and "(" not in block:
            continue  # nothing for the link parser to scan (same cost: 0)
        end = len(block)
        brackets: list[int] = []
        parens: list[tuple[int, bool]] = []
        for m in _BRACKET.finditer(block):  # only the characters that matter: linear, and quick
            c, i = m.group(0), m.start()
            if len(c) > 1:
                continue
            if c == "[":
                brackets.append(i)
            elif c == "]":
                if brackets:
                    cost += i - brackets.pop()
            elif c == "(":
                parens.append((i, i > 0 and block[i - 1] == "]"))
            elif c == ")":
                if parens:
                    start, after_link = parens.pop()
                    if after_link:
                        cost += i - start
        cost += sum(end - p for p in brackets)
        cost += sum(end - p for p, after_link in parens if after_link)
    return cost


def _nesting(line: str) -> int:
    """Levels of quotes and lists that open at the start of ``line`` (indentation counts
    one level per four columns)."""
    if _HR.match(line):
        return 0
    expanded = line.expandtabs(4)
    stripped = expanded.lstrip(" ")
    pos = 0
    # indentation is a level only under a marker (else it is a code block)
    depth = (len(expanded) - len(stripped)) // 4 if _LEVEL.match(stripped) else 0
    while True:
        m = _LEVEL.match(stripped, pos)
        if not m or m.end() == pos:
            return depth
        depth += 1
        pos = m.end()


#: a line whose first character is whitespace (not the newline ending an empty line) or a
#: quote or list marker: the only lines _nesting can find a level in
_NESTABLE = re.compile(r"^(?:[^\S\n]|[->*+0-9]).*", re.M)


def _first_long_run(body: str, limit: int, char: re.Pattern, *, same: bool = True) -> tuple[int, int] | None:
    """``(start, length)`` of the first run of more than ``limit`` characters matching
    ``char`` (all the same character when ``same``: a run of one punctuation mark; else any
    of them: a run of digits), or None. Such a run covers a multiple of ``limit``, so only
    the characters at those offsets are looked at, and runs expanded from there."""
    n = len(body)
    pos = 0
    while pos < n:
        c = body[pos]
        if not char.fullmatch(c):
            pos += limit
            continue
        belongs = c.__eq__ if same else char.fullmatch
        start, end = pos, pos + 1
        while start > 0 and belongs(body[start - 1]):
            start -= 1
        while end < n and belongs(body[end]):
            end += 1
        if end - start > limit:
            return start, end - start
        pos = end + (-end) % limit  # the next multiple of limit from the run's end
    return None


def body_breaches(body: str, first_line: int = 1) -> list[Breach]:
    """Every limit ``body`` (Markdown, without front matter) is past; ``first_line`` is the
    line of the file the body starts on. Linear in the length of ``body``."""
    out: list[Breach] = []
    if len(body) > MAX_BODY_CHARS:
        return [Breach("body", None, f"{_fmt(len(body))} characters of text (limit {_fmt(MAX_BODY_CHARS)})",
                       "split it into several articles")]
    worst_depth = depth_line = 0
    lengths = list(map(len, body.split("\n")))
    worst_len = max(lengths)
    worst_line = first_line + lengths.index(worst_len) if worst_len else 0  # the first longest line
    at, number = 0, first_line
    for m in _NESTABLE.finditer(body):  # the lines that can open a quote or a list level
        number += body.count("\n", at, m.start())
        at = m.start()
        depth = _nesting(m.group(0))
        if depth > worst_depth:
            worst_depth, depth_line = depth, number
    if worst_len > MAX_LINE_CHARS:
        out.append(Breach("line-length", worst_line, f"a line of {_fmt(worst_len)} characters (limit {_fmt(MAX_LINE_CHARS)})",
                          "break it into paragraphs with blank lines"))
    if worst_depth > MAX_NESTING:
        out.append(Breach("nesting", depth_line, f"lists and quotes nested {worst_depth} deep (limit {MAX_NESTING})",
                          "flatten the list or quote"))

    def line_of(offset: int) -> int:
        return first_line + body.count("\n", 0, offset)

    run = _first_long_run(body, MAX_RUN, _RUN_CHAR)
    if run:
        start, length = run
        out.append(Breach("run", line_of(start), f"{_fmt(length)} {body[start]!r} in a row (limit {MAX_RUN})",
                          "remove the repeated characters"))
    digits = _first_long_run(body, MAX_DIGIT_RUN, _DIGIT_CHAR, same=False)
    if digits:
        start, length = digits
        out.append(Breach("digits", line_of(start), f"{_fmt(length)} digits in a row (limit {MAX_DIGIT_RUN})",
                          "remove the run of digits"))
    # each count is tried only when a cheap upper bound (str.count of the characters every
    # match needs) could pass its limit: the answers are the same, the regexes rarely run
    setext_bound = body.count("=") + body.count("\n-") + body.count(" -") + 1
    counts = [
        ("headings", body.count("#") + setext_bound,
         lambda: len(_HEADING.findall(body)) + len(_SETEXT.findall(body)), MAX_HEADINGS, "headings",
         "keep the main sections only, or split the article"),
        ("abbreviations", body.count("*["), lambda: len(_ABBR.findall(body)), MAX_ABBREVIATIONS,
         "abbreviation definitions (*[…]:)", "keep the abbreviations the article uses"),
        ("code-blocks", (body.count("```") + body.count("~~~")) // 2, lambda: len(_FENCE.findall(body)) // 2,
         MAX_CODE_BLOCKS, "fenced code blocks", "keep fewer code blocks, or link to the code"),
        ("table-rows", body.count("|"), lambda: len(_TABLE_ROW.findall(body)), MAX_TABLE_ROWS, "table rows",
         "link to the data instead of including it"),
        ("footnotes", body.count("[^"), lambda: len(_FOOTNOTE.findall(body)), MAX_FOOTNOTES, "footnotes",
         "keep fewer notes"),
        ("emphasis", body.count("*") + body.count("_"), lambda: len(_EMPHASIS.findall(body)),
         MAX_EMPHASIS_MARKERS, "emphasis markers (* and _)",
         r"keep emphasis for a few words, or escape literal ones as \* \_"),
    ]
    for limit, bound, count, most, what, fix in counts:
        if bound <= most:
            continue
        found = count()
        if found > most:
            out.append(Breach(limit, None, f"{_fmt(found)} {what} (limit {_fmt(most)})", fix))
    cost = scan_cost(body)
    allowed = SCAN_FACTOR * len(body) + SCAN_FLOOR
    if cost > allowed:
        out.append(Breach("unclosed", None,
                          f"unclosed '[', '](' or '<' would make the Markdown parser read {_fmt(cost)} characters "
                          f"(limit {_fmt(allowed)}, {SCAN_FACTOR}× the text + {_fmt(SCAN_FLOOR)})",
                          r"close the brackets, or escape the literal ones as \[ \( \<"))
    return out


def meta_breaches(meta: dict) -> list[Breach]:
    """Every limit the front matter ``meta`` is past."""
    out: list[Breach] = []
    for key, most in (("tags", MAX_TAGS), ("categories", MAX_CATEGORIES), ("authors", MAX_AUTHORS)):
        values = meta.get(key)
        if not isinstance(values, list):
            continue
        if len(values) > most:
            out.append(Breach(key, None, f"{len(values)} {key} (limit {most})", f"keep the {most} that matter most"))
        if key != "authors":
            long = [v for v in values if isinstance(v, str) and len(v) > MAX_TERM_CHARS]
            if long:
                out.append(Breach(key, None, f"a {key[:-1] if key != 'categories' else 'category'} of {len(long[0])} "
                                  f"characters (limit {MAX_TERM_CHARS})", "shorten it to a few words"))
    description = meta.get("description")
    if isinstance(description, str) and len(description) > MAX_DESCRIPTION_CHARS:
        out.append(Breach("description", None, f"a description of {_fmt(len(description))} characters "
                          f"(limit {_fmt(MAX_DESCRIPTION_CHARS)})", "keep it to one or two sentences"))
    return out


def article_breaches(meta: dict, body: str, first_line: int = 1) -> list[Breach]:
    """:func:`meta_breaches` then :func:`body_breaches`."""
    return meta_breaches(meta) + body_breaches(body, first_line)
