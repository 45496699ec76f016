"""Synthetic articles for tests and the benchmark.

Writes ``<slug>.fr.md`` originals and ``<slug>.en.md`` translations shaped
like ingest/translate output (schema-valid front matter, captions, a heading,
footnotes; the translation notice is the site's, from the front matter), with
the awkward cases a real corpus has: undated articles, no organisation, no
source URL, untranslated originals; a third name the study's journal and DOI
(Crossref's test prefix 10.5555).
Each article body carries one made-up word found nowhere else, so a search
test can ask for it and know the single right answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

ORGS = ["Inserm", "CNRS", "Université de Lyon", "INRAE", "CEA", "Institut Pasteur", "Sorbonne Université"]
JOURNALS = ["Cell Stem Cell", "Nature Communications", "Journal of Neuroscience", "eLife", "The Lancet Neurology"]
TOPICS = [
    ("Santé & sciences du vivant", "Health & life sciences"),
    ("Climat", "Climate"),
    ("Physique", "Physics"),
    ("Numérique", "Computing"),
    ("Cerveau", "Brain"),
]
TAGS = [
    ("neurones", "neurons"), ("épilepsie", "epilepsy"), ("océans", "oceans"), ("laser", "laser"),
    ("génétique", "genetics"), ("glaciers", "glaciers"), ("robotique", "robotics"), ("vaccins", "vaccines"),
    ("biodiversité", "biodiversity"), ("quantique", "quantum"), ("sols", "soils"), ("immunité", "immunity"),
]
FR_WORDS = ("les chercheurs ont montré que la mesure des cellules dans le cerveau permet de mieux "
            "comprendre les mécanismes du vivant grâce à une nouvelle méthode développée au laboratoire "
            "avec des collègues européens après plusieurs années de travail sur le terrain").split()
EN_WORDS = ("the researchers showed that measuring cells in the brain helps to better understand "
            "the mechanisms of life thanks to a new method developed in the laboratory with european "
            "colleagues after several years of fieldwork").split()
SYLLABLES = ["zo", "rba", "ve", "lix", "qua", "tro", "pi", "nel", "dru", "mo", "ska", "fen", "ul", "yth", "gor"]


@dataclass(frozen=True)
class SyntheticArticle:
    slug: str
    date: dt.date | None
    translated: bool
    unique_word: str  # in this article's body only (both languages when translated)


def _hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def unique_word(index: int) -> str:
    """A pronounceable made-up word, different for every index."""
    parts, n = [], index + 1000
    while n:
        n, r = divmod(n, len(SYLLABLES))
        parts.append(SYLLABLES[r])
    return "".join(parts) + "ium"


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, lang: str, word: str, paragraphs: int) -> str:
    words = FR_WORDS if lang == "fr" else EN_WORDS
    caption = ("Image de microscopie confocale d'un tissu étudié.  \n© Extrait de : Lentini et al., 2021."
               if lang == "fr" else "Confocal microscopy image of the tissue studied.  \n© From: Lentini et al., 2021.")
    heading = "Une méthode nouvelle" if lang == "fr" else "A new method"
    note = ("Technique utilisée en neurochirurgie pour atteindre une zone précise." if lang == "fr"
            else "A technique used in neurosurgery to reach a precise area.")
    paras = [_sentence(rng, words, rng.randint(25, 60)) for _ in range(paragraphs)]
    paras[0] = paras[0][:-1] + f", dont la molécule {word}." if lang == "fr" else paras[0][:-1] + f", including the molecule {word}."
    mid = len(paras) // 2
    return (
        f"{caption}\n{{: .caption }}\n\n"
        + "\n\n".join(paras[:mid])
        + f"\n\n## {heading}\n\n"
        + ("Grâce à une chirurgie stéréotaxique[^1], le récepteur 5-HT<sub>2B</sub> est ciblé.\n\n" if lang == "fr"
           else "Thanks to stereotactic surgery[^1], the 5-HT<sub>2B</sub> receptor is targeted.\n\n")
        + "\n\n".join(paras[mid:])
        + f"\n\n[^1]: {note}\n"
    )


def _dump(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def write_synthetic_articles(articles_dir: Path, count: int, *, seed: int = 7, paragraphs: int = 6,
                             slug_prefix: str = "synthese") -> list[SyntheticArticle]:
    """Write ``count`` French originals (most with an English translation).

    Every 7th article is left untranslated, every 11th is undated, every
    5th has no source URL and every 13th no organisation.
    """
    rng = random.Random(seed)
    articles_dir.mkdir(parents=True, exist_ok=True)
    start = dt.date(2021, 9, 30)
    out: list[SyntheticArticle] = []
    for i in range(count):
        slug = f"{slug_prefix}-{i:04d}-{unique_word(i)}"
        word = unique_word(i)
        date = None if i % 11 == 10 else start - dt.timedelta(days=3 * i + (i % 3))
        translated = i % 7 != 6
        topics = rng.sample(TOPICS, 2)
        tags = rng.sample(TAGS, 3)
        org = None if i % 13 == 12 else ORGS[i % len(ORGS)]
        fr_body = _body(rng, "fr", word, paragraphs)
        fr_meta: dict = {
            "title": f"Étude {i} : {_sentence(rng, FR_WORDS, 6)[:-1]}",
            "slug": slug,
        }
        if date:
            fr_meta["date"] = date.isoformat()
        fr_meta.update({"lang": "fr", "description": _sentence(rng, FR_WORDS, 20)})
        if org:
            fr_meta["organisation"] = org
        fr_meta["authors"] = [] if i % 2 else ["Marie Curie", "Louis Pasteur"]
        if i % 5 != 4:
            fr_meta["source_url"] = f"https://www.example.org/communiques/{slug}"
        if i % 3 == 1:
            fr_meta["journal"] = JOURNALS[i % len(JOURNALS)]
            fr_meta["doi"] = f"10.5555/synthetic.{i:04d}"
        fr_meta.update({
            "categories": [t[0] for t in topics], "tags": [t[0] for t in tags],
            "kind": "press-release", "input_kind": "pdf-wrapped",
            "reading_time": max(1, len(fr_body.split()) // 230),
            "source_file": f"{i:03d}_synthetic.txt", "source_hash": _hash(slug),
        })
        fr_text = _dump(fr_meta, fr_body)
        (articles_dir / f"{slug}.fr.md").write_text(fr_text, encoding="utf-8")
        if translated:
            en_meta = dict(fr_meta)
            en_meta.update({
                "title": f"Study {i}: {_sentence(rng, EN_WORDS, 6)[:-1]}", "lang": "en",
                "description": _sentence(rng, EN_WORDS, 20),
                "categories": [t[1] for t in topics], "tags": [t[1] for t in tags],
                "translation": {"from": "fr", "provider": "synthetic", "status": "machine",
                                "source_hash": _hash(fr_text)},
            })
            (articles_dir / f"{slug}.en.md").write_text(_dump(en_meta, _body(rng, "en", word, paragraphs)),
                                                         encoding="utf-8")
        out.append(SyntheticArticle(slug=slug, date=date, translated=translated, unique_word=word))
    return out
