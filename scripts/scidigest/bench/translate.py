"""Benchmark of ``scidigest translate`` (a script, not a test): synthetic French
articles through the provider stubs of the test suite (``tests/plugins/engines.py``:
LibreTranslate, DeepL, MyMemory and Google's page on 127.0.0.1).

For each provider, at its real request limit and with its own wire form
(LibreTranslate: HTML, list batches; DeepL: XML, list batches; MyMemory:
UTF-8 bytes, joined with markers; Google: joined with markers), and for each
engine behaviour (a clean engine; one that normalises the placeholder
brackets ``⟦1⟧`` -> ``[1]``; one that drops the batch markers), it reports:

* requests of the first run, against the ideal ``ceil(total size / limit)``
  where the total is the size, in the provider's unit, of every distinct
  text the run must send as the provider receives it (markup included,
  batch markers not: they are our overhead);
* segments left untranslated (must be 0);
* a second run with nothing changed: requests (must be 0) and whether any
  byte of the pages or the memory changed (must not).

Run from the repository root (the stubs live in ``tests/plugins``)::

    .venv/bin/python -m scidigest.bench.translate [--articles 500] [--out FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from scidigest.translate import make_provider, run
from scidigest.translate import markup as wire
from scidigest.translate.batching import ideal_requests
from scidigest.translate.memory import Memory
from scidigest.translate.pages import read_page
from scidigest.translate.segments import parse
from scidigest.translate.translator import Translator, page_texts

#: the synthetic vocabulary and what the stub engine answers for each word (a
#: word-for-word "translation": as repetitive as the source, never more)
LEXICON = dict(pair.split(":") for pair in (
    "les:the neurones:neurons cellules:cells cerveau:brain chercheurs:researchers étude:study "
    "résultats:results modèle:model souris:mice traitement:treatment maladie:disease protéine:protein "
    "récepteur:receptor activité:activity synapses:synapses dépression:depression épilepsie:epilepsy "
    "thérapie:therapy clinique:clinical essai:trial patients:patients mécanisme:mechanism "
    "expression:expression gènes:genes réseau:network inhibiteurs:inhibitors plasticité:plasticity "
    "densité:density imagerie:imaging analyse:analysis réponse:response de:of la:this du:from des:some "
    "et:and dans:in pour:for avec:with sur:on une:one un:a qui:which est:is sont:are ont:have "
    "permet:allows montre:shows suggère:suggests ainsi:thus voir:see le:it site:website "
    "l'inserm:Inserm's en:to savoir:learn plus:more note:note bas:foot page:page termine:ends texte:text sujet:subject rare:rare"
).split())
WORDS = [w for w in LEXICON if w not in ("voir", "le", "site", "l'inserm", "en", "savoir", "plus", "note", "bas",
                                         "page", "termine", "texte", "sujet", "rare")]
TAGS = ["neurones", "cerveau", "épilepsie", "dépression", "sérotonine", "imagerie", "sujet rare"]
#: (provider, behaviours measured); brackets and markers only exist for the providers that get them
CASES = (
    ("libre", ("clean",)),
    ("deepl", ("clean",)),
    ("mymemory", ("clean", "brackets")),  # sent without markers (see Provider.small)
    ("google", ("clean", "brackets", "drop-markers")),
)


def word_for_word(text: str) -> str:
    """The stub engine's translation: each vocabulary word by its English, capitals kept."""
    def one(m: re.Match[str]) -> str:
        w = m.group(0)
        out = LEXICON.get(w.lower(), w)
        return out[:1].upper() + out[1:] if w[:1].isupper() else out
    return re.sub(r"[^\W\d_]+(?:'[^\W\d_]+)?", one, text)


def _sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(8, 28))  # no word twice in a sentence
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), "SV2A")
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 90)}%")
    if rng.random() < 0.1:
        k = rng.randrange(len(words))
        words[k] = f"**{words[k]}**"
    s = " ".join(words)
    return s[0].upper() + s[1:] + "."


def synthetic_article(i: int, rng: random.Random) -> str:
    slug = f"article-synthetique-{i:04d}"
    paras = []
    for k in range(rng.randint(3, 14)):
        if k and rng.random() < 0.2:
            paras.append("## " + _sentence(rng)[:-1].replace("**", ""))
        p = " ".join(_sentence(rng) for _ in range(rng.randint(1, 7)))
        if rng.random() < 0.2:
            p += " Voir [le site de l'Inserm](https://www.inserm.fr/) pour en savoir plus."
        paras.append(p)
    paras.append("Une note de bas de page[^1] termine le texte.")
    paras.append("[^1]: " + _sentence(rng))
    h = hashlib.sha256(slug.encode()).hexdigest()
    tags = "\n".join(f"- {t}" for t in sorted(set(rng.sample(TAGS, 2))))
    title = _sentence(rng)[:-1].replace("**", "")
    return (
        f"---\ntitle: {title}\nslug: {slug}\ndate: '2024-01-01'\nlang: fr\n"
        f"description: {_sentence(rng).replace('**', '')}\ntags:\n{tags}\nkind: article\ninput_kind: web-text\n"
        f"reading_time: 2\nsource_file: {slug}.txt\nsource_hash: sha256:{h}\n---\n\n" + "\n\n".join(paras) + "\n"
    )


def _provider(name: str, url: str):
    from tests.plugins.engines import DEEPL_KEY

    if name == "libre":
        return make_provider("libre", url=url, timeout=10)
    if name == "deepl":
        return make_provider("deepl", timeout=10, env={"DEEPL_API_KEY": DEEPL_KEY, "DEEPL_API_URL": url})
    if name == "mymemory":
        return make_provider("mymemory", url=url + "get", timeout=10, env={})
    return make_provider("google", url=url + "m", timeout=10)


def _ideal(arts: Path, provider) -> tuple[int, int]:
    """(total size of the distinct texts to send, ceil(total / limit)) for the whole run."""
    t = Translator(provider, Memory(None, "fr", "en", provider.name))
    seen: dict[str, int] = {}
    for p in sorted(arts.glob("*.fr.md")):
        meta, body = read_page(p.read_text("utf-8"))
        for text in page_texts(meta, parse(body))[0]:
            for u in t._units_of(text):
                seen.setdefault(u.source, provider.size(wire.encode(u.protected, provider.markup)))
    total = sum(seen.values())
    return total, ideal_requests(total, provider.max_chars)


def _snapshot(*dirs: Path) -> str:
    h = hashlib.sha256()
    for d in dirs:
        for p in sorted(d.rglob("*")):
            if p.is_file():
                h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def bench(n: int, name: str, behaviour: str, engine) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        arts, mem = Path(tmp) / "articles", Path(tmp) / "memory"
        arts.mkdir()
        rng = random.Random(0)
        for i in range(n):
            (arts / f"article-synthetique-{i:04d}.fr.md").write_text(synthetic_article(i, rng), "utf-8")
        engine.behaviours = set() if behaviour == "clean" else {behaviour}
        engine.translate = word_for_word
        provider = _provider(name, engine.url)
        total, ideal = _ideal(arts, provider)
        before = engine.count(name)
        t0 = time.perf_counter()
        stats = run(arts, provider, mem)
        wall = time.perf_counter() - t0
        first = engine.count(name) - before
        snap = _snapshot(arts, mem)
        t1 = time.perf_counter()
        run(arts, _provider(name, engine.url), mem)
        wall2 = time.perf_counter() - t1
        return {
            "provider": name, "behaviour": behaviour, "limit": provider.max_chars, "unit": provider.unit,
            "articles": n, "segments": stats.segments, "total": total, "ideal": ideal, "requests": first,
            "untranslated": len(stats.untranslated), "wall": wall,
            "rerun_requests": engine.count(name) - before - first, "rerun_wall": wall2,
            "rerun_same_bytes": _snapshot(arts, mem) == snap,
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--providers", default=",".join(c[0] for c in CASES))
    ap.add_argument("--out", type=Path, help="write the Markdown table here too")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path.cwd()))
    try:
        from tests.plugins.engines import EngineStub
    except ImportError:
        print("run from the repository root: the stub servers live in tests/plugins", file=sys.stderr)
        return 2
    wanted = set(args.providers.split(","))
    engine = EngineStub()
    try:
        rows = [bench(args.articles, name, b, engine) for name, bs in CASES if name in wanted for b in bs]
    finally:
        engine.close()
    lines = [
        f"Translation benchmark: {args.articles} synthetic French articles through the provider stubs on "
        "127.0.0.1 (`python -m scidigest.bench.translate`), packed across the whole run.",
        "",
        "| provider (limit) | engine | segments | size to send | ideal requests | requests | ÷ ideal | untranslated "
        "| wall | rerun requests | rerun wall | rerun bytes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['provider']} ({r['limit']:,} {r['unit']}) | {r['behaviour']} | {r['segments']:,} | {r['total']:,} "
            f"| {r['ideal']:,} | {r['requests']:,} | {r['requests'] / max(1, r['ideal']):.3f} | {r['untranslated']} "
            f"| {r['wall']:.1f} s | {r['rerun_requests']} | {r['rerun_wall']:.1f} s | "
            f"{'identical' if r['rerun_same_bytes'] else 'CHANGED'} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, "utf-8")
    ok = all(r["rerun_requests"] == 0 and r["rerun_same_bytes"] and r["untranslated"] == 0 for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
