"""Pack many short texts into few requests, and split the replies.

Why: deep-translator's ``translate_batch`` sends one request per text; a
press release has ~20 paragraphs, so that is ~20 requests where 1 or 2
would do, and a run of many articles packs better still as a whole.
Providers with native batching (LibreTranslate's ``q: [...]``, DeepL's
repeated ``text``) get a list; the others get one text where each piece is
preceded by a numbered marker ``⟪i⟫`` and separated by a blank line
(engines keep paragraph breaks and copy the unknown brackets), up to the
provider's limit.  Splitting checks that every marker came back once and in
order, accepts the markers as engines rewrite them, and falls back to the
paragraphs when the markers were dropped; if nothing fits, the caller
bisects the batch.  A text sent alone gets no marker at all.  Texts longer
than the limit are first cut at sentence boundaries (:func:`chunk`).
"""

from __future__ import annotations

import math
import re

MARK_RE = re.compile(r"\s*\u27ea\s*(\d+)\s*\u27eb\s*")
#: batch markers as engines rewrite them (same idea as protect.ALT_SHAPES)
ALT_MARKS = tuple(
    re.compile(p)
    for p in (
        r"\s*(?:<<|\u00ab|\u300a)\s*(\d+)\s*(?:>>|\u00bb|\u300b)\s*",  # <<N>> «N» 《N》
        r"\s*\[\[\s*(\d+)\s*\]\]\s*",
    )
)
SEP = "\n\n"
#: most texts in one separator-joined request (keeps markers at two digits)
MAX_JOINED = 100


def join(texts: list[str], markers: bool = True) -> str:
    """The request body for a batch (``markers=False``: blank lines only)."""
    if len(texts) == 1:
        return texts[0]
    if not markers:
        return SEP.join(texts)
    return SEP.join(f"\u27ea{i}\u27eb {t}" for i, t in enumerate(texts))


def join_overhead(size=len, markers: bool = True) -> int:
    """What each text adds to a joined request at most (separator + marker), in ``size`` units."""
    return size(SEP + (f"\u27ea{MAX_JOINED - 1}\u27eb " if markers else ""))


def _by_marks(reply: str, n: int, regex: re.Pattern[str]) -> list[str] | None:
    found = list(regex.finditer(reply))
    if [int(m.group(1)) for m in found] != list(range(n)) or reply[: found[0].start()].strip():
        return None
    out = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < n else len(reply)
        out.append(reply[m.end() : end].strip())
    return out


def split(reply: str, n: int, markers: bool = True) -> list[str] | None:
    """The ``n`` translations in a reply, or None if they cannot be told apart.

    Markers first (as sent, then as engines rewrite them, only when the
    rewritten shape gives exactly ``0..n-1`` in order); else, when the
    engine dropped the markers but kept the blank lines between the texts
    (each text is one line), the paragraphs, if there are exactly ``n``."""
    if n == 1:
        return None if "\u27ea" in reply or "\u27eb" in reply else [reply.strip()]
    for regex in (MARK_RE, *ALT_MARKS) if markers else ():
        parts = _by_marks(reply, n, regex)
        if parts is not None and all(parts):
            return parts
    if "\u27ea" in reply or "\u27eb" in reply:
        return None
    paras = [p.strip() for p in re.split(r"\n\s*\n", reply.strip())]
    if len(paras) == n and all(paras):
        return paras
    return None


def pack_sizes(sizes: list[int], limit: int, *, overhead: int = 0, max_items: int | None = None,
               window: int = 256, stretches: list[int] | None = None) -> list[list[int]]:
    """Group item indices into few requests of at most ``limit`` (each item
    costs its size plus ``overhead``).

    First fit decreasing, one stretch of consecutive items at a time (the
    items of one article: ``stretches[k]`` is the stretch key of item ``k``;
    default, each item alone, which is plain first fit): largest first, each
    into the first of the last ``window`` groups with room.  Close to the
    best packing, while an early article's items all go out in early
    requests (a stopped run has finished its first pages) and the cost
    stays linear on a run of thousands of texts.  Each group lists its items
    in order; groups come in the order of their first item."""
    groups: list[list[int]] = []
    room: list[int] = []
    open_: list[int] = []  # indices of groups that may still take an item
    smallest = min(sizes) + overhead if sizes else 0
    keys = list(range(len(sizes))) if stretches is None else stretches
    bounds = [k for k in range(len(sizes)) if k == 0 or keys[k] != keys[k - 1]] + [len(sizes)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        for i in sorted(range(start, end), key=lambda i: (-sizes[i], i)):
            need = sizes[i] + overhead
            for g in open_:
                if room[g] >= need and (max_items is None or len(groups[g]) < max_items):
                    groups[g].append(i)
                    room[g] -= need
                    break
            else:
                groups.append([i])
                room.append(limit - need)
                open_.append(len(groups) - 1)
            open_ = [g for g in open_ if room[g] >= smallest and (max_items is None or len(groups[g]) < max_items)]
            if len(open_) > window:
                open_ = open_[-window:]
    for g in groups:
        g.sort()
    return sorted(groups, key=lambda g: g[0])


def pack(texts: list[str], limit: int) -> list[list[int]]:
    """Group texts into as few separator-joined requests of at most ``limit``
    characters as first fit allows; each group keeps the original order."""
    return pack_sizes([len(t) for t in texts], limit, overhead=join_overhead(), max_items=MAX_JOINED)


def ideal_requests(total_chars: int, limit: int) -> int:
    """The lower bound the benchmark compares against."""
    return math.ceil(total_chars / limit) if total_chars else 0


_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+")


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence end (``.``, ``!``, ``?``, ``…``, ``;``, ``:``)."""
    return [s for s in _SENTENCE_END.split(text) if s]


def chunk(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at sentence
    ends when possible, else at spaces, never inside a ``⟦N⟧`` token."""
    if len(text) <= limit:
        return [text]
    # leave room for a batch marker so each chunk can still share a request
    budget = max(20, limit - 16)
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) <= budget:
            pieces.append(sentence)
            continue
        words = sentence.split(" ")
        cur = ""
        for w in words:
            while len(w) > budget:  # pathological: a single "word" longer than the limit
                cut = budget
                while "\u27e6" in w[cut - 12 : cut] and "\u27e7" not in w[w.rfind("\u27e6", 0, cut) : cut]:
                    cut -= 1
                if cur:
                    pieces.append(cur)
                    cur = ""
                pieces.append(w[:cut])
                w = w[cut:]
            if cur and len(cur) + 1 + len(w) > budget:
                pieces.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        if cur:
            pieces.append(cur)
    out: list[str] = []
    for p in pieces:
        if out and len(out[-1]) + 1 + len(p) <= budget:
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out
