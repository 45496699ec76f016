"""Benchmark of ``scidigest translate`` (a script, not a test): 1,000 synthetic
French articles through the stub LibreTranslate server of the test suite.

Reports, per request size limit: requests per article against the ideal
(ceil(characters to translate / limit), per article), wall time, and a
second run that must make zero requests and change no byte.

Run from the repository root (the stub lives in ``tests/plugins``)::

    .venv/bin/python -m scidigest.bench.translate [--articles 1000] [--out FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

from scidigest.terminology import terminology
from scidigest.translate import make_provider, run
from scidigest.translate.batching import ideal_requests
from scidigest.translate.pages import read_page
from scidigest.translate.protect import default_terms
from scidigest.translate.segments import parse
from scidigest.translate.translator import _units

WORDS = (
    "les neurones cellules cerveau chercheurs étude résultats modèle souris traitement maladie "
    "protéine récepteur activité synapses dépression épilepsie thérapie clinique essai patients "
    "mécanisme expression gènes réseau inhibiteurs plasticité densité imagerie analyse réponse "
    "de la du des et dans pour avec sur une un qui est sont ont permet montre suggère ainsi"
).split()
TAGS = ["neurones", "cerveau", "épilepsie", "dépression", "sérotonine", "imagerie", "sujet rare"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 28))]
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), "SV2A")
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 90)}%")
    s = " ".join(words)
    return s[0].upper() + s[1:] + "."


def synthetic_article(i: int, rng: random.Random) -> str:
    slug = f"article-synthetique-{i:04d}"
    paras = []
    for k in range(rng.randint(3, 14)):
        if k and rng.random() < 0.2:
            paras.append("## " + _sentence(rng)[:-1])
        p = " ".join(_sentence(rng) for _ in range(rng.randint(1, 7)))
        if rng.random() < 0.2:
            p += " Voir [le site de l'Inserm](https://www.inserm.fr/) pour en savoir plus."
        paras.append(p)
    paras.append("Une note de bas de page[^1] termine le texte.")
    paras.append("[^1]: " + _sentence(rng))
    h = hashlib.sha256(slug.encode()).hexdigest()
    tags = "\n".join(f"- {t}" for t in sorted(set(rng.sample(TAGS, 2))))
    return (
        f"---\ntitle: {_sentence(rng)[:-1]}\nslug: {slug}\ndate: '2024-01-01'\nlang: fr\n"
        f"description: {_sentence(rng)}\ntags:\n{tags}\nkind: article\ninput_kind: web-text\n"
        f"reading_time: 2\nsource_file: {slug}.txt\nsource_hash: sha256:{h}\n---\n\n" + "\n\n".join(paras) + "\n"
    )


def _ideal(arts: Path, limit: int) -> int:
    """Sum over articles of ceil(characters to translate / limit)."""
    terms = default_terms()
    known = terminology()["fr-en"]
    total = 0
    for p in sorted(arts.glob("*.fr.md")):
        meta, body = read_page(p.read_text("utf-8"))
        texts = [meta["title"], meta["description"], *[t for t in meta["tags"] if t not in known], *parse(body).segments]
        chars = sum(len(u.protected.text) for t in texts for u in _units(t, limit, terms))
        total += ideal_requests(chars, limit)
    return total


def _snapshot(*dirs: Path) -> str:
    h = hashlib.sha256()
    for d in dirs:
        for p in sorted(d.rglob("*")):
            if p.is_file():
                h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def bench(n: int, limit: int, url: str, stub) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        arts, mem = Path(tmp) / "articles", Path(tmp) / "memory"
        arts.mkdir()
        rng = random.Random(0)
        for i in range(n):
            (arts / f"article-synthetique-{i:04d}.fr.md").write_text(synthetic_article(i, rng), "utf-8")
        ideal = _ideal(arts, limit)
        provider = make_provider("libre", url=url, timeout=10)
        provider.max_chars = limit  # the stub accepts any size; measure each provider's limit
        before = stub.count
        t0 = time.perf_counter()
        stats = run(arts, provider, mem)
        wall = time.perf_counter() - t0
        first = stub.count - before
        snap = _snapshot(arts, mem)
        provider = make_provider("libre", url=url, timeout=10)
        provider.max_chars = limit
        t1 = time.perf_counter()
        run(arts, provider, mem)
        wall2 = time.perf_counter() - t1
        return {
            "limit": limit, "articles": n, "requests": first, "ideal": ideal, "segments": stats.segments,
            "chars": stats.chars_sent, "wall": wall, "rerun_requests": stub.count - before - first,
            "rerun_wall": wall2, "rerun_same_bytes": _snapshot(arts, mem) == snap,
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--limits", default="499,2000,4800", help="request size limits to measure (MyMemory, LibreTranslate, Google)")
    ap.add_argument("--out", type=Path, help="write the Markdown table here too")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path.cwd()))
    try:
        from tests.plugins.translator_stub import StubTranslator
    except ImportError:
        print("run from the repository root: the stub server lives in tests/plugins", file=sys.stderr)
        return 2
    stub = StubTranslator()
    try:
        rows = [bench(args.articles, int(x), stub.url, stub) for x in args.limits.split(",")]
    finally:
        stub.close()
    lines = [
        f"Translation benchmark: {args.articles} synthetic French articles through the stub LibreTranslate "
        "server on 127.0.0.1 (`python -m scidigest.bench.translate`).",
        "",
        "| limit (chars/request) | segments | requests | requests/article | ideal/article | wall time | rerun requests | rerun wall | rerun bytes |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        n = r["articles"]
        lines.append(
            f"| {r['limit']} | {r['segments']} | {r['requests']} | {r['requests'] / n:.2f} | {r['ideal'] / n:.2f} "
            f"| {r['wall']:.1f} s | {r['rerun_requests']} | {r['rerun_wall']:.1f} s | "
            f"{'identical' if r['rerun_same_bytes'] else 'CHANGED'} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, "utf-8")
    return 0 if all(r["rerun_requests"] == 0 and r["rerun_same_bytes"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
