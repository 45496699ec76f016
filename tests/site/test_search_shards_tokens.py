"""The sharded index's fast tokenizer (scidigest.site.search_shards): what ``re`` would split.

For the project's separator ``[\\s\\-'’]+`` the build splits with ``str.split``
after turning hyphens and apostrophes into spaces; any other separator goes
through ``re``. Both must give the same words (``re`` adds empty strings at
the ends, which make no term), so the built files are the same either way.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
import sys
from pathlib import Path

from scidigest.site import search_shards as ss

REPO = Path(__file__).resolve().parents[2]
SEPARATOR = r"[\s\-'’]+"
#: the same characters in another order: not the project's source, so ``re`` splits
EQUIVALENT = r"[\-\s'’]+"
FIELDS = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}
#: every code point ``str.isspace`` (and ``\s`` in a str pattern) holds for, on any CPython 3.11+
WHITESPACE = [0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
              *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
PIECES = ["kétamine", "cœur", "Œdipe", "ﬁnancement", "Straße", "naïveté", "Ελληνικά", "日本語", "x²",
          "d’Alzheimer", "l'épilepsie", "µ-opioïde", "anti--inflammatoire", "«guillemets»", "(e.g.)",
          "&amp;", "&nbsp;", "&#8217;", "&rsquo;", "&#x2011;", "&lt;b&gt;", "<code>", "</code>", "<p>",
          "</p>", "<br/>", "A<B", "p<0.05", "-", "'", "’", "--", "''", "É", "İstanbul", "𝔸𝔹", "ǅemal"]
GAPS = [" ", "  ", "\t", "\n", "\u00a0", "\u202f", "\u2009", "\u3000", "-", "'", "’", " - ", "\u2011",
        "", "\u200b", "\x1c", "\x85", "\r\n"]


def regex_words(text: str, source: str = SEPARATOR) -> list[str]:
    return [word for word in re.split(source, text) if word]


def mixed_text(rng: random.Random, length: int) -> str:
    out = rng.choice(["", " ", "\u00a0", "-", "’"])
    for _ in range(length):
        out += rng.choice(PIECES) + rng.choice(GAPS)
    return out


def test_the_project_separator_takes_the_fast_path_and_others_do_not():
    assert ss.PROJECT_SEPARATOR == SEPARATOR
    assert ss._splitter(SEPARATOR) is ss._split_project
    for source in (EQUIVALENT, r"[\s\-]+", r"[\s\-'’]"):
        split = ss._splitter(source)
        assert split is not ss._split_project
        assert split("a--b c") == re.split(source, "a--b c")
    # the site's own separator is the one the fast path knows (mkdocs.yml, YAML single-quoted)
    found = re.search(r"^\s*separator:\s*'((?:[^']|'')*)'\s*$", (REPO / "mkdocs.yml").read_text(encoding="utf-8"),
                      re.MULTILINE)
    assert found and found.group(1).replace("''", "'") == ss.PROJECT_SEPARATOR


def test_re_whitespace_and_str_isspace_are_one_predicate_on_every_code_point():
    pattern = re.compile(r"\s")
    chars = [chr(cp) for cp in range(sys.maxunicode + 1)]
    assert [c for c in chars if pattern.fullmatch(c)] == [c for c in chars if c.isspace()]
    assert [ord(c) for c in chars if c.isspace()] == WHITESPACE


def test_the_fast_split_gives_the_regex_words_between_every_code_point():
    """Every code point between two letters, in strings of each storage kind (ASCII, Latin-1, UCS-2, UCS-4)."""
    for top in (0x80, 0x100, 0x10000, sys.maxunicode + 1):
        text = "x" + "x".join(map(chr, range(top))) + "x"
        assert ss._split_project(text) == regex_words(text), hex(top)
        spaced = " " + " ".join(map(chr, range(top))) + " "
        assert ss._split_project(spaced) == regex_words(spaced), hex(top)


def test_each_whitespace_code_point_separates_in_every_storage_kind():
    for cp in WHITESPACE:
        for word in ("a", "é", "œ", "𝔸"):  # (the string's kind: ASCII, Latin-1, UCS-2, UCS-4)
            for text in (f"{word}{chr(cp)}b", f"{chr(cp)}{word}{chr(cp)}", f"{word}{chr(cp)}-’{chr(cp)}'b"):
                assert ss._split_project(text) == regex_words(text), (hex(cp), text)
    text = "a" + "".join(map(chr, WHITESPACE)) + "b"
    assert ss._split_project(text) == ["a", "b"]


def test_the_fast_split_gives_the_regex_words_of_generated_texts():
    rng = random.Random(11)
    fast = re.compile(SEPARATOR)  # (words() takes the fast path for this pattern, the regex for the other)
    slow = re.compile(EQUIVALENT)
    for _ in range(3000):
        raw = mixed_text(rng, rng.randint(0, 30))
        for text in (raw, ss.plain_text(raw)):
            assert ss._split_project(text) == regex_words(text), text
            assert ss.words(text, fast) == ss.words(text, slow), text


def test_plain_text_without_a_tag_is_the_unescaped_text():
    rng = random.Random(5)
    for _ in range(2000):
        text = mixed_text(rng, rng.randint(0, 12))
        assert ss.plain_text(text) == html.unescape(re.sub(r"<[^>]*>", " ", text)), text


def reference_snip(plain: str, limit: int) -> str:
    """The snippet as the whole text gives it (what ``_snip`` must give from a prefix)."""
    text = " ".join(plain.split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit].rstrip() + "…"
    return html.escape(text, quote=False)


def test_the_snippet_of_a_long_text_is_the_snippet_of_the_whole_text():
    rng = random.Random(7)
    words = ["a", "mot", "cellules", "x" * 90, "é" * 7, "&", "<b>"]
    gaps = [" ", " ", " ", "  ", "\n\n", "\t", "\u00a0", " \u202f ", " " * 40, "\n \n \n"]
    for _ in range(3000):
        limit = rng.choice([1, 2, 10, 40, 280, 300])
        plain = rng.choice(["", " ", "\n" * rng.randint(0, 400)])
        while len(plain) < rng.randint(0, 3 * limit + 50):
            plain += rng.choice(words) + rng.choice(gaps)
        assert ss._snip(plain, limit) == reference_snip(plain, limit), (limit, plain)
    for n in range(270, 360):  # lengths about the limit and about the prefix's end
        for plain in ("a" * n, "ab " * (n // 3), " " * n + "mot " * 80, "mot " * 80 + " " * n):
            assert ss._snip(plain, ss.SNIPPET_CHARS) == reference_snip(plain, ss.SNIPPET_CHARS)


def generated_index(pages: int, separator: str, seed: int = 2) -> dict:
    """Pages and sections, tags, accented spellings, markup, entities, odd spaces, doc boosts, long titles."""
    rng = random.Random(seed)
    common = ["cellules", "Cellules", "cerveau", "kétamine", "ketamine", "Kétamine", "cœur", "coeur", "été"]
    docs = []
    for p in range(pages):
        location = f"articles/a{p:04d}/"
        title = " ".join(rng.choice(PIECES + common) for _ in range(rng.choice([3, 8, 80])))
        doc = {"location": location, "title": title,
               "text": rng.choice(["", "<p>", "\n  "]) + mixed_text(rng, rng.randint(0, 90)) + " " + " ".join(
                   rng.choice(common) for _ in range(rng.randint(1, 30))) + f" mot{p % 37} " + " ".join(
                   f"zo{rng.randrange(4000):x}q" for _ in range(10)),  # a long tail under one prefix: summaries
               "tags": rng.sample(["neurones", "épilepsie", "Cœur", "santé-publique", "l’œil"], rng.randint(0, 3))}
        if p % 9 == 4:
            doc["boost"] = rng.choice([2, 0.5, 3.25])
        docs.append(doc)
        for s in range(rng.randint(0, 3)):
            docs.append({"location": f"{location}#s{s}", "title": rng.choice(["Partie", "Méthodes", "d’été"]),
                         "text": mixed_text(rng, rng.randint(0, 20))})
    return {"config": {"lang": ["fr"], "separator": separator, "pipeline": ["stopWordFilter"], "fields": FIELDS},
            "docs": docs}


def without_separator(files: dict[str, str], separator: str) -> dict[str, str]:
    """The files, the manifest's copy of the separator (a JSON string) taken out."""
    marker = '"separator":' + ss._dumps(separator)
    assert files["manifest.json"].count(marker) == 1
    return {**files, "manifest.json": files["manifest.json"].replace(marker, "")}


def test_the_build_with_the_fast_split_is_the_build_with_the_regex():
    for pages, seed in ((1, 1), (7, 2), (60, 3), (450, 4)):
        fast = ss.build(generated_index(pages, SEPARATOR, seed))
        slow = ss.build(generated_index(pages, EQUIVALENT, seed))
        assert (fast.terms, fast.docs) == (slow.terms, slow.docs)
        assert without_separator(fast.files, SEPARATOR) == without_separator(slow.files, EQUIVALENT)
    shards = [name for name in fast.files if name.startswith("t")]
    assert len(shards) > 3 and any(name.startswith("p") for name in fast.files)
    assert '"kétamine"' in "".join(fast.files[name] for name in shards)  # a spelling kept


#: sha256 over ``name\0text\0`` of every file of ``generated_index(450, SEPARATOR, 4)``, as made by the
#: build before the tokenizer's fast path (postings as tuples, per-term score arithmetic): the same bytes
EXPECTED_DIGEST = "34943b02d0aead38fa3873de47898c4ef08f0089bc64a3e368ef7ea4131c1252"


def test_the_build_makes_the_bytes_it_made_before_its_speed_ups():
    sharded = ss.build(generated_index(450, SEPARATOR, 4))
    digest = hashlib.sha256()
    for name, text in sharded.files.items():
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    assert digest.hexdigest() == EXPECTED_DIGEST
