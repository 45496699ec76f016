"""Placeholders: hide what a translation engine must not touch, then put it back.

Why: machine translation engines reorder words, "fix" punctuation, translate
link targets, split ``5-HT<sub>2B</sub>`` and localise numbers.  Everything
that must survive byte for byte (URLs and link targets, code, inline HTML,
footnote markers, anchors / attribute lists, Markdown emphasis delimiters,
numbers with units, and the do-not-translate terms) is swapped for a token
before sending and swapped back afterwards.

Token choice: ``⟦N⟧`` (U+27E6/U+27E7 "mathematical white square brackets"
around a decimal number).  The brackets never occur in French or English
prose, are not Markdown syntax, are not HTML (engines in text mode escape or
drop ``<x/>``-style tags), carry no word an engine could translate, and
Google / DeepL / LibreTranslate copy unknown symbols through.  Engines
insert spaces (``⟦ 3 ⟧``, ``** bold **``) and normalise the brackets
(``[3]``, ``【3】``, ``(3)``): :func:`repair` undoes what can be undone without
guessing (a normalised form only when it is unambiguous; the source's
spacing at delimiter boundaries); :func:`problems` is otherwise strict: the
same token *sequence* as the source (every token once, in order), no stray
bracket, no emptied or stretched bold/link run.  Providers with markup of
their own get it instead of brackets (:mod:`scidigest.translate.markup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

OPEN, CLOSE = "\u27e6", "\u27e7"
TOKEN_RE = re.compile(r"\u27e6\s*(\d+)\s*\u27e7")
#: token kinds that define the *structure* of a line (what a faithful
#: translation, human or machine, must carry over unchanged)
STRUCTURAL = frozenset({"code", "escape", "footnote", "link_open", "link_close", "url", "html", "attr", "emph"})

_UNITS = (
    r"%|‰|°C|°F|°|kDa|Da|µg|μg|mg|ng|kg|g|µL|μL|mL|ml|L|µm|μm|nm|mm|cm|km|m|ms|µs|min|h|s|"
    r"kHz|MHz|GHz|Hz|mM|µM|μM|nM|pM|mol|Gy|mGy|mSv|Sv|Bq|kcal|cal|W|kW|V|mV|T"
)

# Order matters: earlier alternatives win at the same position.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("escape", "[\u27e6\u27e7]"),  # our own brackets in a source
    # a code span opens on a whole run of backticks (possessive, anchored at the run's start:
    # linear time even on thousands of backticks) and closes on a run of the same length
    ("code", r"(?<!`)(?P<bt>`++).+?(?<!`)(?P=bt)(?!`)"),
    ("escape", r"\\[\\`*_{}\[\]()#+\-.!|<>~]"),
    ("footnote", r"\[\^[^\]\s]+\]"),
    ("link", r"(?P<lo>!?\[)(?P<lt>(?:[^\[\]]|\[[^\]]*\])*)(?P<lc>\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\])"),
    ("url", r"<(?:https?://|mailto:)[^>\s]+>|https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"»]"),
    ("html", r"[\w\-+]*(?:<(?P<ss>sub|sup)>[^<]*</(?P=ss)>[\w\-+]*)+"),
    ("html", r"</?[A-Za-z][A-Za-z0-9]*(?:\s+[^<>]*?)?\s*/?>"),
    ("attr", r"\{\s*[:#.][^{}]*\}"),
    ("number", r"(?<![\w.,])\d+(?:[.,]\d+)?(?:[\s\u00a0\u202f]?(?:" + _UNITS + r"))(?![\w])"),
    ("ident", r"(?<![\w\-])(?=[\w\-]*\d)(?=[\w\-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![\w\-])"),
    ("emph", r"(?<![\w*_\\])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_\\])[*_]{1,3}(?![\w*_])"),
)


@dataclass(frozen=True)
class Protected:
    """A text with tokens in place of protected spans.

    ``tokens[i]`` is the original string behind ``⟦i⟧``; ``kinds[i]`` its
    kind; ``pairs`` lists (open, close) token ids that must stay in order.
    """

    text: str
    tokens: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    pairs: tuple[tuple[int, int], ...] = field(default=())

    @property
    def translatable(self) -> bool:
        """True when something besides tokens, digits and punctuation is left."""
        return any(ch.isalpha() for ch in TOKEN_RE.sub("", self.text))


class PlaceholderError(ValueError):
    """A translation lost, duplicated, invented or reordered a token."""


def _term_pattern(terms: tuple[str, ...]) -> str | None:
    if not terms:
        return None
    alts = "|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
    return r"(?<![\w\-])(?:" + alts + r")(?![\w\-])"


#: index in :data:`_PATTERNS` of the ``5-HT<sub>2B</sub>`` alternative, and
#: what replaces it when a text holds no ``<sub>``/``<sup>`` (it can then never
#: match; the stand-in keeps the group names and numbers and never matches)
_SUBSUP = 6
_SUBSUP_TAGS = ("<sub>", "<sup>")
_NEVER = r"(?!)(?P<ss>)"
assert _PATTERNS[_SUBSUP][1].startswith(r"[\w\-+]*(?:<(?P<ss>sub|sup)>")


@lru_cache(maxsize=16)
def _compiled(terms: tuple[str, ...], subsup: bool = True) -> re.Pattern[str]:
    r"""One alternation of every pattern, each wrapped in a group ``k<i>_<kind>``
    (the outer group closes last, so ``match.lastgroup`` names it).

    ``subsup=False`` drops the ``5-HT<sub>2B</sub>`` alternative, which
    starts with ``[\w\-+]*`` and so costs time quadratic in the length of
    every word it is tried on (1.3 s for one 8,000-character token); a text
    without a literal ``<sub>`` or ``<sup>`` cannot match it, so
    :func:`protect` uses the lighter regex for those texts, with the same
    matches."""
    parts = []
    term = _term_pattern(terms)
    pats = list(_PATTERNS)
    if not subsup:
        pats[_SUBSUP] = (pats[_SUBSUP][0], _NEVER)
    if term:
        # terms go right after inline HTML so `5-HT<sub>2B</sub>` stays one token
        pats.insert(8, ("term", term))
    for i, (kind, pat) in enumerate(pats):
        parts.append(f"(?P<k{i}_{kind}>{pat})")
    return re.compile("|".join(parts))


def _regex_for(text: str, terms: tuple[str, ...]) -> re.Pattern[str]:
    return _compiled(terms, any(tag in text for tag in _SUBSUP_TAGS))


@lru_cache(maxsize=1)
def default_terms() -> tuple[str, ...]:
    """The do-not-translate list shipped in ``scidigest/data/do_not_translate.txt``."""
    text = resources.files("scidigest.data").joinpath("do_not_translate.txt").read_text("utf-8")
    return load_terms(text)


def load_terms(text: str) -> tuple[str, ...]:
    """Parse a do-not-translate list: one term a line, ``#`` comments."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(sorted(set(out)))


def protect(text: str, terms: tuple[str, ...] | None = None) -> Protected:
    """Replace every protected span of ``text`` by a numbered token."""
    regex = _regex_for(text, default_terms() if terms is None else tuple(terms))
    tokens: list[str] = []
    kinds: list[str] = []
    pairs: list[tuple[int, int]] = []
    stacks: dict[str, list[int]] = {}

    def add(value: str, kind: str) -> str:
        tokens.append(value)
        kinds.append(kind)
        return f"{OPEN}{len(tokens) - 1}{CLOSE}"

    def sub(s: str) -> str:
        out: list[str] = []
        pos = 0
        for m in regex.finditer(s):
            out.append(s[pos : m.start()])
            gname = m.lastgroup  # the outer ``k<i>_<kind>`` group (it closes last)
            kind = gname.split("_", 1)[1]
            if kind == "link":
                lo, lt, lc = m.group("lo"), m.group("lt"), m.group("lc")
                o = add(lo, "link_open")
                oid = len(tokens) - 1
                inner = sub(lt)
                c = add(lc, "link_close")
                pairs.append((oid, len(tokens) - 1))
                out.append(o + inner + c)
            elif kind == "html" and m.group(gname)[:1] != "<" or kind == "html" and m.group("ss"):
                out.append(add(m.group(0), "html"))  # a term with <sub>/<sup>, one token
            elif kind == "html":
                tag = m.group(0)
                name = re.match(r"</?([A-Za-z0-9]+)", tag).group(1).lower()
                tok = add(tag, "html")
                tid = len(tokens) - 1
                if tag.startswith("</"):
                    st = stacks.get("<" + name)
                    if st:
                        pairs.append((st.pop(), tid))
                elif not tag.endswith("/>") and name not in ("br", "img", "hr", "wbr"):
                    stacks.setdefault("<" + name, []).append(tid)
                out.append(tok)
            elif kind == "emph":
                delim = m.group(0)
                tok = add(delim, "emph")
                tid = len(tokens) - 1
                st = stacks.setdefault(delim, [])
                prev = s[m.start() - 1] if m.start() else " "
                opening = not (prev.isalnum() or prev in ".,;:!?)»")
                if st and not opening:
                    pairs.append((st.pop(), tid))
                else:
                    st.append(tid)
                out.append(tok)
            else:
                out.append(add(m.group(0), kind))
            pos = m.end()
        out.append(s[pos:])
        return "".join(out)

    body = sub(text)
    return Protected(body, tuple(tokens), tuple(kinds), tuple(sorted(pairs)))


#: other shapes engines give our ``⟦N⟧`` tokens (OPUS-MT-based engines and DeepL
#: "normalise" unknown brackets); tried in this order, each only when unambiguous
ALT_SHAPES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\[\[\s*(\d+)\s*\]\]",
        r"\u27e6\s*(\d+)",  # the closing bracket lost
        r"(?<!\d)(\d+)\s*\u27e7",  # the opening bracket lost
        r"\u301a\s*(\d+)\s*\u301b",  # 〚N〛
        r"\u3010\s*(\d+)\s*\u3011",  # 【N】
        r"\uff3b\s*(\d+)\s*\uff3d",  # ［N］
        r"\[\s*(\d+)\s*\]",
        r"\uff08\s*(\d+)\s*\uff09",  # （N）
        r"\(\s*(\d+)\s*\)",
        r"[\u27e8\u2329\u3008]\s*(\d+)\s*[\u27e9\u232a\u3009]",  # ⟨N⟩ 〈N〉
        r"\{\s*(\d+)\s*\}",
    )
)
#: kinds whose spacing is typography, not language: an engine's space inside
#: ``**bold**`` or before ``[^1]`` breaks the Markdown, so the source's wins
_DELIMITERS = frozenset({"emph", "link_open", "link_close", "html", "footnote"})
_CLOSING_PUNCT = ".,;:!?)]}»…"


def _canonical(source: Protected, translated: str) -> str:
    """``translated`` with spaced tokens (``⟦ 3 ⟧``) written ``⟦3⟧`` and, where
    tokens are missing, a normalised bracket form (``[3]``, ``【3】``, ``(3)``...)
    taken for them when that is unambiguous: the shape does not occur in the
    source text, every number written in that shape is a missing token, and
    each only once."""
    out = TOKEN_RE.sub(lambda m: f"{OPEN}{int(m.group(1))}{CLOSE}", translated)
    n = len(source.tokens)
    if not n:
        return out
    missing = set(range(n)) - {int(m.group(1)) for m in TOKEN_RE.finditer(out)}
    for shape in ALT_SHAPES:
        if not missing:
            break
        if shape.search(TOKEN_RE.sub("", source.text)):
            continue  # the source itself writes things this way: ambiguous
        bare = TOKEN_RE.sub(lambda m: "\x00" * len(m.group(0)), out)  # never match inside real tokens
        found = list(shape.finditer(bare))
        nums = [int(m.group(1)) for m in found]
        if not found or not set(nums) <= missing or len(set(nums)) != len(nums):
            continue
        pieces, pos = [], 0
        for m in found:
            pieces += [out[pos : m.start()], f"{OPEN}{int(m.group(1))}{CLOSE}"]
            pos = m.end()
        out = "".join(pieces) + out[pos:]
        missing -= set(nums)
    return out


def _sides(source: Protected) -> dict[int, tuple[str, str]]:
    """Per token id, what touches it in the source: ``" "`` (whitespace),
    ``""`` (start or end of the text), ``"t"`` (another token), or the character."""
    text = source.text
    out = {}
    for m in TOKEN_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        out[int(m.group(1))] = tuple(
            " " if c.isspace() else "t" if c in (OPEN, CLOSE) else c for c in (before, after)
        )
    return out


def _inner_side(source: Protected) -> dict[int, str]:
    """For each delimiter token, the side its content is on: ``"r"`` for an
    opening one (``**``, ``[``, ``<em>``), ``"l"`` for a closing one and for a
    footnote marker (it belongs to the word before it)."""
    side = {}
    for a, b in source.pairs:
        if source.kinds[a] in _DELIMITERS:
            side[a], side[b] = "r", "l"
    for i, k in enumerate(source.kinds):
        if k == "footnote":
            side[i] = "l"
    return side


_OPENING_PUNCT = "([{«“‘"


def respace(source: Protected, translated: str) -> str:
    """Re-impose the source's spacing at token boundaries.

    Where the source glues a token to its neighbour and the engine put
    whitespace in between, the whitespace goes when the neighbour is still
    the same character (``l' ⟦4⟧`` -> ``l'⟦4⟧``, ``⟦2⟧ .`` -> ``⟦2⟧.``), when
    it is closing / opening punctuation, or on the inner side of a delimiter
    (``⟦0⟧ bold ⟦1⟧`` -> ``⟦0⟧bold⟦1⟧``, or the page would show literal
    asterisks).  A space is put back where the source had one outside a
    delimiter and the engine glued it to a word, and runs of spaces next to
    a token become one.  What the engine wrote next to a word-like token
    (a term moved in the sentence) is otherwise kept."""
    parts = TOKEN_RE.split(translated)  # text, id, text, id, ..., text
    if len(parts) == 1:
        return translated
    sides, inner = _sides(source), _inner_side(source)
    runs = {}  # token id -> (whitespace before it, after it) in the source, in characters
    for m in TOKEN_RE.finditer(source.text):
        head, tail = source.text[: m.start()], source.text[m.end() :]
        runs[int(m.group(1))] = (len(head) - len(head.rstrip()), len(tail) - len(tail.lstrip()))
    texts, ids = parts[0::2], [int(x) for x in parts[1::2]]
    last = len(ids) - 1
    for k, i in enumerate(ids):
        if i not in sides:
            continue
        before, after = sides[i]
        left, right = texts[k], texts[k + 1]
        # right side
        if right[:1].isspace():
            rest = right.lstrip()
            nxt = rest[:1] or ("t" if k < last else "")
            if after not in (" ", "") and (nxt == after or inner.get(i) == "r" or nxt in _CLOSING_PUNCT and nxt):
                right = rest
            elif len(right) - len(rest) > max(1, runs[i][1]):
                right = " " + rest
        elif after == " " and inner.get(i) == "l" and right[:1].isalnum():
            right = " " + right
        # left side
        if left[-1:].isspace() and (left.strip() or k > 0):
            rest = left.rstrip()
            prev = rest[-1:] or ("t" if k > 0 else "")
            if before not in (" ", "") and (prev == before or inner.get(i) == "l" or prev in _OPENING_PUNCT and prev):
                left = rest
            elif len(left) - len(rest) > max(1, runs[i][0]):
                left = rest + " "
        elif before == " " and inner.get(i) == "r" and left[-1:].isalnum():
            left += " "
        texts[k], texts[k + 1] = left, right
    out = [texts[0]]
    for k, i in enumerate(ids):
        out += [f"{OPEN}{i}{CLOSE}", texts[k + 1]]
    return "".join(out)


def repair(source: Protected, translated: str) -> str:
    """What an engine did to the tokens that is safe to undo: spaced or
    normalised brackets, spacing at delimiter boundaries.  Never adds,
    drops or reorders a token (:func:`problems` judges that)."""
    return respace(source, _canonical(source, translated))


def _words(text: str) -> int:
    return len(re.findall(r"\w+", TOKEN_RE.sub(" ", text)))


def problems(source: Protected, translated: str) -> list[str]:
    """Everything wrong with a translated token text (empty list = fine).

    ``translated`` is taken through :func:`repair` first.  The tokens must
    come back as the same *sequence* as in the source (every one once, in
    the source's order): an engine that swaps two institutions, a number
    and a code span, or the two ends of a bold run changes the meaning or
    the structure, and nothing downstream could tell."""
    issues: list[str] = []
    if not translated.strip():
        return ["empty translation"]
    translated = repair(source, translated)
    ids = [int(m.group(1)) for m in TOKEN_RE.finditer(translated)]
    n = len(source.tokens)
    missing = sorted(set(range(n)) - set(ids))
    extra = sorted({i for i in ids if i >= n})
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if missing:
        issues.append(f"placeholders missing: {missing}")
    if extra:
        issues.append(f"unknown placeholders: {extra}")
    if dup:
        issues.append(f"placeholders duplicated: {dup}")
    if not issues and ids != list(range(n)):
        expected = [source.kinds[i] for i in range(n)]
        got = [source.kinds[i] for i in ids]
        what = "kinds" if got != expected else "order"
        issues.append(f"placeholders out of order ({what}): {ids}")
    if not issues:
        spans = {i: translated.split(f"{OPEN}{i}{CLOSE}", 1) for i in range(n)}
        for a, b in source.pairs:
            src_in = source.text.split(f"{OPEN}{a}{CLOSE}", 1)[1].split(f"{OPEN}{b}{CLOSE}", 1)[0]
            out_in = spans[a][1].split(f"{OPEN}{b}{CLOSE}", 1)[0]
            ws, wo = _words(src_in), _words(out_in)
            if ws and not wo and not TOKEN_RE.search(out_in):
                issues.append(f"paired placeholders {a}-{b} hold nothing")
            elif wo > 2 * ws + 3:
                issues.append(f"paired placeholders {a}-{b} moved: {wo} words inside for {ws}")
    rest = TOKEN_RE.sub("", translated)
    if OPEN in rest or CLOSE in rest:
        issues.append("stray placeholder bracket")
    src_len = len(TOKEN_RE.sub("", source.text).strip())
    out_len = len(rest.strip())
    if src_len >= 20 and not (0.3 * src_len <= out_len <= 3.0 * src_len + 20):
        issues.append(f"implausible length {out_len} for a source of {src_len}")
    if source.translatable and out_len == 0:
        issues.append("translation holds only placeholders")
    return issues


def restore(source: Protected, translated: str) -> str:
    """Put the original spans back; raise PlaceholderError if anything is off."""
    issues = problems(source, translated)
    if issues:
        raise PlaceholderError("; ".join(issues))
    return TOKEN_RE.sub(lambda m: source.tokens[int(m.group(1))], repair(source, translated))


def unprotect(source: Protected) -> str:
    """The original text back (identity check: ``unprotect(protect(t)) == t``)."""
    return TOKEN_RE.sub(lambda m: source.tokens[int(m.group(1))], source.text)


def renumber(text: str, tokens: tuple[str, ...], kinds: tuple[str, ...], pairs) -> Protected:
    """A slice of a protected text as a self-contained Protected (ids from 0)."""
    ids = [int(m.group(1)) for m in TOKEN_RE.finditer(text)]
    mapping = {old: new for new, old in enumerate(ids)}
    new_text = TOKEN_RE.sub(lambda m: f"{OPEN}{mapping[int(m.group(1))]}{CLOSE}", text)
    new_pairs = tuple(sorted((mapping[a], mapping[b]) for a, b in pairs if a in mapping and b in mapping))
    return Protected(new_text, tuple(tokens[i] for i in ids), tuple(kinds[i] for i in ids), new_pairs)


def structural_tokens(text: str, terms: tuple[str, ...] | None = None) -> list[str]:
    """Sorted structural spans of a text (link targets, code, HTML, footnotes...)."""
    p = protect(text, terms)
    return sorted(t for t, k in zip(p.tokens, p.kinds, strict=True) if k in STRUCTURAL)
