"""A sharded search index per language: a reader's query fetches a few small files, whatever the site's size.

Material's search downloads the language's whole ``search_index.json`` (4.9 MB,
751 KB gzipped, at 2,000 articles) on every first page view. Here, as in
Pagefind, the index is cut at build time into files a query fetches by name,
under the language's search dir (``search/index/``, ``en/search/index/``):

``manifest.json``
    the tokenizer's separator, the first term of every term shard, how doc
    ids map to pages and metadata chunks (about 1 % of the index).
``t<i>.json`` (term shards)
    consecutive terms (sorted by UTF-16 code units, as JavaScript compares
    strings), each with its postings: ``{term: [spelling?, Δid, weight, Δid,
    weight, …]}``, doc ids ascending and delta-coded, ``weight`` the term's
    lunr score in that doc (BM25 with Material's ``b = 0`` and field boosts,
    idf included) quantised to ``round(8·log2(1 + score))``; ``spelling``
    (a string, present only when it differs) is the term as most often
    written, accents included, for suggestions. At most
    :data:`POSTINGS_PER_TERM` postings (a term's best: "champion lists"), so
    every shard stays under :data:`SHARD_BYTES`.
``p<hex>.json`` (prefix summaries)
    for a prefix whose terms span more than :data:`MAX_SHARDS_PER_PREFIX`
    shards (the reader has typed "c" or "de"): the best
    :data:`POSTINGS_PER_TERM` docs over every term with that prefix (each
    doc's best weight) and its most frequent completions. ``<hex>`` is the
    prefix in UTF-8, hex. The worker applies the same rule to the manifest,
    so no list of summaries is needed.
``d<c>.json`` (metadata chunks)
    :data:`PAGES_PER_CHUNK` pages, each a list of its docs (the page, then
    its sections) as ``[location, title, snippet, tags?]``: what the result
    list shows, fetched only for the results shown.

Terms are what the theme's worker
(``scripts/theme/assets/javascripts/workers/scidigest-search.js``) makes of a
query word: HTML tags dropped, split on the search plugin's ``separator``
(French elisions included: "d’Alzheimer" gives "d" and "alzheimer"),
lowercased, diacritics on Latin letters folded ("kétamine" → "ketamine",
"cœur" → "coeur"), non-letters trimmed at both ends. Every query word is a
prefix (as in Material, which turns each into ``word*``), so no stemmer is
needed on either side. The build is linear in the index's size (one pass
over the text, one sort of the vocabulary, summaries over ranges whose total
length is bounded by the vocabulary times the shared prefix depth).
"""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import itemgetter, sub
from pathlib import Path

#: largest term shard or prefix summary, in bytes of JSON as written
SHARD_BYTES = 32 * 1024
#: postings kept per term, and per prefix summary (each term's best)
POSTINGS_PER_TERM = 400
#: a prefix spanning more shards than this is answered by its summary
MAX_SHARDS_PER_PREFIX = 2
#: pages per metadata chunk
PAGES_PER_CHUNK = 2
#: characters of text kept per doc for the result snippet
SNIPPET_CHARS = 280
#: characters of title kept per doc
TITLE_CHARS = 300
#: completions kept per prefix summary (for search.suggest)
COMPLETIONS = 3
#: lunr's BM25 saturation (Material sets b = 0: no length normalisation)
K1 = 1.2
#: weight quantisation: q = round(QUANT * log2(1 + score))
QUANT = 8
INDEX_DIR = "index"
FORMAT = 1

_TAG = re.compile(r"<[^>]*>")
_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS", "ﬁ": "fi", "ﬂ": "fl"}
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")


def _is_latin(char: str) -> bool:
    return "LATIN" in unicodedata.name(char, "")


def fold(text: str) -> str:
    """Diacritics off Latin letters, ligatures spelled out: the worker's ``fold``.

    Marks on other scripts (Greek, Cyrillic, Devanagari, kana) carry meaning
    and stay, as in the worker (``/(\\p{Script=Latin})\\p{M}+/gu``).
    """
    out: list[str] = []
    latin = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char).startswith("M"):
            if latin:
                continue
        else:
            latin = _is_latin(char)
        out.append(char)
    folded = unicodedata.normalize("NFC", "".join(out))
    return _LIGATURE.sub(lambda m: _LIGATURES[m.group()], folded)


def _word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def trim(word: str) -> str:
    """``word`` without the non-letters, non-digits at either end (``[^\\p{L}\\p{N}\\p{M}]``)."""
    start, end = 0, len(word)
    while start < end and not _word_char(word[start]):
        start += 1
    while end > start and not _word_char(word[end - 1]):
        end -= 1
    return word[start:end]


def plain_text(fragment: str) -> str:
    """The text of an index field (escaped text with a few bare tags)."""
    # (most fields have no tag: the regex's scan skipped; html.unescape returns early without "&")
    return html.unescape(_TAG.sub(" ", fragment) if "<" in fragment else fragment)


#: the search plugin's separator in the project's mkdocs.yml (whitespace, hyphens, both apostrophes)
PROJECT_SEPARATOR = r"[\s\-'’]+"


def _split_project(text: str) -> list[str]:
    """``re.split(PROJECT_SEPARATOR, text)`` without its empty strings, at C speed.

    ``\\s`` in a ``str`` pattern and ``str.split()`` test the same predicate
    (``Py_UNICODE_ISSPACE``, what ``str.isspace`` tests); the three others
    become spaces first (``str.replace`` is faster here than
    ``str.translate``, which is per character on non-ASCII text).
    """
    return text.replace("-", " ").replace("'", " ").replace("’", " ").split()


def _splitter(separator_source: str):
    """A function from plain text to its words between separators, empty strings perhaps included.

    For exactly :data:`PROJECT_SEPARATOR` the words come from ``str.split``
    (no empty strings: they make no term anyway); any other separator is the
    regex's own ``split``.
    """
    if separator_source == PROJECT_SEPARATOR:
        return _split_project
    return re.compile(separator_source).split


def term_of(raw: str) -> tuple[str, str]:
    """``(term, spelling)`` of one word between separators: folded, and as written (lowercased)."""
    spelling = trim(raw.lower())
    if spelling.isascii():
        return spelling, spelling
    return trim(fold(spelling)), spelling


def words(text: str, separator: re.Pattern, seen: dict | None = None) -> list[tuple[str, str]]:
    """``[(term, spelling)]`` of plain ``text`` (``seen``: a cache of :func:`term_of`, word → pair)."""
    seen = {} if seen is None else seen
    out = []
    split = _splitter(separator.pattern) if separator.flags == re.UNICODE else separator.split  # (re's cache)
    for raw in split(text):
        pair = seen.get(raw)
        if pair is None:
            pair = seen[raw] = term_of(raw)
        if pair[0]:
            out.append(pair)
    return out


def utf16_key(term: str) -> bytes:
    """Sort key matching JavaScript's string order (UTF-16 code units)."""
    return term.encode("utf-16-be")


def quantise(score: float) -> int:
    return max(1, round(QUANT * math.log2(1 + score)))


def shards_spanned(firsts: list[str], keys: list[bytes], prefix: str) -> tuple[int, int]:
    """``(i, j)``: the term shards ``i..j`` that hold every term starting with ``prefix``.

    The worker's ``shardsFor`` applies the same rule to the manifest's
    ``shards`` (first term of each shard, ascending).
    """
    i = max(0, bisect_right(keys, utf16_key(prefix)) - 1)
    j = i
    while j + 1 < len(firsts) and firsts[j + 1].startswith(prefix):
        j += 1
    return i, j


def summary_name(prefix: str) -> str:
    return f"p{prefix.encode('utf-8').hex()}.json"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


#: runs an iterator to its end in C (a deque that keeps nothing): ``map`` as a loop without Python bytecode
_exhaust = deque(maxlen=0).extend


class _Saturation(dict):
    """``tf -> weight * tf / (K1 + tf)`` (lunr's BM25 term score) for one field weight, each ``tf`` computed once."""

    def __init__(self, weight: float) -> None:
        super().__init__()
        self.weight = weight

    def __missing__(self, tf: int) -> float:
        score = self[tf] = self.weight * tf / (K1 + tf)
        return score


def _dumps(value) -> str:
    return _ENCODER.encode(value)  # one encoder: json.dumps with options builds one per call


def _snip(plain: str, limit: int) -> str:
    """A field's :func:`plain_text` as escaped text of at most ``limit`` characters, cut at a word."""
    # the words before a space a little past the limit are the text's first words (no word spans a
    # space), so they give the same first ``limit`` characters; the whole text only when they are fewer
    end = plain.find(" ", limit + limit // 4)
    text = " ".join(plain[:end].split()) if end > 0 else ""
    if len(text) <= limit:
        text = " ".join(plain.split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit].rstrip() + "…"
    return html.escape(text, quote=False)


@dataclass
class ShardedIndex:
    """The files of one language's sharded index: ``{name: JSON text}``, and counts for the bench."""

    files: dict[str, str] = field(default_factory=dict)
    terms: int = 0
    docs: int = 0


def _pages(docs: list[dict]) -> list[list[dict]]:
    """Docs grouped by page, in index order: each page's entry, then its sections."""
    pages: list[list[dict]] = []
    by_location: dict[str, list[dict]] = {}
    for doc in docs:
        location = doc.get("location", "")
        base = location.split("#", 1)[0]
        group = by_location.get(base) if "#" in location else None
        if group is None:
            group = [doc]
            pages.append(group)
            by_location.setdefault(location, group)
        else:
            group.append(doc)
    return pages


def build(index: dict) -> ShardedIndex:
    """The sharded form of a per-language ``{config, docs}`` index (already made safe)."""
    config = index.get("config", {})
    separator_source = config.get("separator") or r"[\s\-]+"
    split = _splitter(separator_source)
    fields = config.get("fields") or {"title": {"boost": 1000}, "text": {"boost": 1}, "tags": {"boost": 1000000}}
    pages = _pages(index.get("docs", []))
    stride = max((len(p) for p in pages), default=1)

    # one pass over the text: each term's lunr score per doc, before idf (a constant per term)
    # each term's postings as two lists, doc ids ascending and their scores
    posting_ids: dict[str, list[int]] = defaultdict(list)
    posting_scores: dict[str, list[float]] = defaultdict(list)
    saturations: dict[tuple[str, float], _Saturation] = {}  # per field and doc boost
    spellings: dict[str, Counter] = defaultdict(Counter)
    terms_of: dict[str, str] = {}  # each distinct word between separators -> its term ("" for none)
    spelled: dict[str, tuple[str, str]] = {}  # the words whose spelling is not their term -> (term, spelling)
    boosts = {name: float((spec or {}).get("boost", 1)) for name, spec in fields.items()}
    plain_of: dict[str, str] = {}  # each field's plain text, for its tokens and then its snippet

    def plain(fragment: str) -> str:
        text = plain_of.get(fragment)
        if text is None:
            text = plain_of[fragment] = plain_text(fragment)
        return text

    ndocs = 0
    for page_id, page in enumerate(pages):
        for section, doc in enumerate(page):
            doc_id = page_id * stride + section
            ndocs += 1
            doc_boost = doc.get("boost")
            doc_boost = float(doc_boost) if isinstance(doc_boost, (int, float)) and doc_boost > 0 else 1.0
            doc_scores: dict[str, float] = {}
            for name, field_boost in boosts.items():
                value = doc.get(name)
                if not value:
                    continue
                if isinstance(value, list):
                    tokens: list[str] = []
                    for text in value:
                        tokens += split(plain(str(text)))
                else:
                    tokens = split(plain(str(value)))
                # per distinct word once per build; per token only C-level counting
                distinct = set(tokens)
                for raw in distinct.difference(terms_of):
                    term, spelling = term_of(raw)
                    terms_of[raw] = term
                    if term and spelling != term:
                        spelled[raw] = (term, spelling)
                tfs = Counter(map(terms_of.__getitem__, tokens))
                tfs.pop("", None)
                if not spelled.keys().isdisjoint(distinct):  # (most English fields have no accented word)
                    for raw, count in Counter(filter(spelled.__contains__, tokens)).items():  # (counted in C)
                        term, spelling = spelled[raw]
                        spellings[term][spelling] += count
                saturation = saturations.get((name, doc_boost))
                if saturation is None:
                    saturation = saturations[name, doc_boost] = _Saturation(field_boost * doc_boost * (K1 + 1))
                scores = dict(zip(tfs, map(saturation.__getitem__, tfs.values())))  # {term: its score}, in C
                if len(scores) > len(doc_scores):
                    doc_scores, scores = scores, doc_scores
                for term, score in scores.items():  # the smaller field into the larger
                    doc_scores[term] = doc_scores.get(term, 0.0) + score
            # (for term, score in doc_scores.items(): append doc_id and score, in C)
            _exhaust(map(list.append, map(posting_ids.__getitem__, doc_scores), repeat(doc_id)))
            _exhaust(map(list.append, map(posting_scores.__getitem__, doc_scores), doc_scores.values()))

    # champion lists, quantised (idf in: lunr's, from the term's doc frequency)
    terms = sorted(posting_ids, key=utf16_key)
    keys = [utf16_key(t) for t in terms]
    df = {term: len(posting_ids[term]) for term in terms}
    quantised: list[tuple[list[int], list[int]]] = []  # per term: doc ids ascending, weights
    for term in terms:
        idf = math.log(1 + abs((ndocs - df[term] + 0.5) / (df[term] + 0.5)))
        ids, raw_scores = posting_ids[term], posting_scores[term]
        if len(ids) == 1:  # most of a vocabulary: words found in one doc
            quantised.append((ids, [quantise(idf * raw_scores[0])]))
            continue
        # a term's scores take few distinct values (a few fields times small tfs): quantise those
        table = {score: quantise(idf * score) for score in set(raw_scores)}
        weights = list(map(table.__getitem__, raw_scores))
        if len(ids) > POSTINGS_PER_TERM:
            # the best weights, the lowest doc id first among equals (sorted() is stable, reverse too)
            keep = sorted(sorted(range(len(ids)), key=weights.__getitem__, reverse=True)[:POSTINGS_PER_TERM])
            ids, weights = [ids[k] for k in keep], [weights[k] for k in keep]
        quantised.append((ids, weights))

    def spelling_of(term: str) -> str | None:
        """The commonest accented (or ligatured) spelling of ``term``, if it has one."""
        counts = spellings.get(term)
        if not counts:
            return None
        return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]

    def entry(term: str, plist: tuple[list[int], list[int]]) -> list:
        ids, weights = plist
        out: list = [0] * (2 * len(ids))
        out[0::2] = map(sub, ids, [0, *ids[:-1]])
        out[1::2] = weights
        spelled = spelling_of(term)
        return [spelled, *out] if spelled else out

    # term shards under SHARD_BYTES (each entry dumped once, shards joined from the pieces)
    files: dict[str, str] = {}
    firsts: list[str] = []
    current: list[str] = []
    size = 2

    def close() -> None:
        files[f"t{len(firsts) - 1}.json"] = "{" + ",".join(current) + "}"

    for term, plist in zip(terms, quantised):
        piece = _dumps(term) + ":" + _dumps(entry(term, plist))
        length = len(piece.encode("utf-8")) + 1
        if current and size + length > SHARD_BYTES:
            close()
            current, size = [], 2
        if not current:
            firsts.append(term)
        current.append(piece)
        size += length
    if current:
        close()

    # prefix summaries: every prefix whose terms span more than MAX_SHARDS_PER_PREFIX shards
    first_keys = [utf16_key(t) for t in firsts]
    candidates: set[str] = set()
    for a, b in zip(firsts, firsts[1:]):
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        candidates.update(b[:n] for n in range(1, common + 1))
    for prefix in sorted(candidates, key=utf16_key):
        i, j = shards_spanned(firsts, first_keys, prefix)
        if j - i + 1 <= MAX_SHARDS_PER_PREFIX:
            continue
        lo = bisect_left(keys, utf16_key(prefix))
        hi = lo
        while hi < len(terms) and terms[hi].startswith(prefix):
            hi += 1
        # each doc's best weight over the prefix's terms (dict() keeps the last, the highest, of each)
        best_of = dict(sorted(chain.from_iterable(zip(*quantised[k]) for k in range(lo, hi)), key=itemgetter(1)))
        top = sorted(sorted(best_of.items()), key=itemgetter(1), reverse=True)[:POSTINGS_PER_TERM]
        frequent = sorted((-df[terms[k]], terms[k]) for k in range(lo, hi))[:COMPLETIONS]
        completions = [[t, spelling_of(t) or t] for _, t in frequent]
        top.sort()
        files[summary_name(prefix)] = _dumps({"completions": completions,
                                              "postings": entry("", ([d for d, _ in top], [q for _, q in top]))})

    # metadata chunks
    for chunk in range(math.ceil(len(pages) / PAGES_PER_CHUNK)):
        rows = []
        for page in pages[chunk * PAGES_PER_CHUNK:(chunk + 1) * PAGES_PER_CHUNK]:
            docs = []
            for doc in page:
                title = str(doc.get("title") or "")
                row = [doc.get("location", ""),
                       title if len(plain(title)) <= TITLE_CHARS else _snip(plain(title), TITLE_CHARS),
                       _snip(plain(str(doc.get("text") or "")), SNIPPET_CHARS)]
                if doc.get("tags"):
                    row.append([str(tag) for tag in doc["tags"]])
                docs.append(row)
            rows.append(docs)
        files[f"d{chunk}.json"] = _dumps(rows)

    files["manifest.json"] = _dumps({
        "format": FORMAT, "separator": separator_source, "stride": stride, "pages": len(pages),
        "pages_per_chunk": PAGES_PER_CHUNK, "max_shards": MAX_SHARDS_PER_PREFIX, "quant": QUANT,
        "shards": firsts,
    })
    return ShardedIndex(files=dict(sorted(files.items())), terms=len(terms), docs=ndocs)


def write(index: dict, search_dir: Path) -> ShardedIndex:
    """Write the sharded form of ``index`` to ``search_dir/index/`` (replacing what was there)."""
    sharded = build(index)
    target = search_dir / INDEX_DIR
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name, text in sharded.files.items():
        (target / name).write_text(text, encoding="utf-8")
    return sharded
