"""Pack many short texts into few requests, and split the replies.

Why: deep-translator's ``translate_batch`` sends one request per text; a
press release has ~20 paragraphs, so that is ~20 requests where 1 or 2
would do.  We join texts into one request, each preceded by a numbered
marker ``⟪i⟫`` and separated by a blank line (engines keep paragraph
breaks and copy the unknown brackets), up to the provider's character
limit.  Splitting checks that every marker came back once and in order;
if not, the caller retries the texts one by one.  A text sent alone gets no
marker at all.  Texts longer than the limit are first cut at sentence
boundaries (:func:`chunk`).
"""

from __future__ import annotations

import math
import re

MARK_RE = re.compile(r"\s*\u27ea\s*(\d+)\s*\u27eb\s*")
SEP = "\n\n"


def join(texts: list[str]) -> str:
    """The request body for a batch."""
    if len(texts) == 1:
        return texts[0]
    return SEP.join(f"\u27ea{i}\u27eb {t}" for i, t in enumerate(texts))


def split(reply: str, n: int) -> list[str] | None:
    """The ``n`` translations in a reply, or None if the markers are damaged."""
    if n == 1:
        return None if "\u27ea" in reply or "\u27eb" in reply else [reply.strip()]
    found = list(MARK_RE.finditer(reply))
    if [int(m.group(1)) for m in found] != list(range(n)) or reply[: found[0].start()].strip():
        return None
    out = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < n else len(reply)
        out.append(reply[m.end() : end].strip())
    return out


def pack(texts: list[str], limit: int) -> list[list[int]]:
    """Group text indices into as few requests of at most ``limit`` characters
    as first-fit allows; each group keeps the original order."""
    groups: list[list[int]] = []
    for i, t in enumerate(texts):
        for g in groups:
            if len(join([texts[j] for j in g] + [t])) <= limit:
                g.append(i)
                break
        else:
            groups.append([i])
    return groups


def ideal_requests(total_chars: int, limit: int) -> int:
    """The lower bound the benchmark compares against."""
    return math.ceil(total_chars / limit) if total_chars else 0


_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+")


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
