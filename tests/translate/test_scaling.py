"""A no-change rerun does work linear in the number of articles, and the
faster placeholder regex finds exactly what the full one finds.

No timing here (benchmarks are scripts: ``python -m scidigest.bench.translate``);
these tests count work instead, so an accidental per-article rescan of the
memory or of every page shows up as a failure, not as a slow machine."""

from __future__ import annotations

import random

import pytest

from scidigest.translate import make_provider, pages, run, translator
from scidigest.translate.memory import Memory
from scidigest.translate.protect import _compiled, _regex_for, default_terms, protect

ARTICLE = """---
title: Titre {i}
slug: article-{i}
date: '2024-01-01'
lang: fr
description: Description {i}.
tags:
- neurones
---

Premier paragraphe {i} sur le récepteur 5-HT<sub>2B</sub> à 30%.

Deuxième paragraphe avec un [lien](https://www.inserm.fr/) et du *texte* numéro {i}.
"""


def _kinds_full(text: str, terms) -> list[tuple[tuple[int, int], str]]:
    """What the original implementation saw: the full regex, kind from groupdict."""
    out = []
    for m in _compiled(terms, True).finditer(text):
        g = next(k for k, v in m.groupdict().items() if v is not None and k.startswith("k"))
        out.append((m.span(), g))
    return out


def _kinds_fast(text: str, terms) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.lastgroup) for m in _regex_for(text, terms).finditer(text)]


ATOMS = [
    "mot", "Zn", "5-HT", "<sub>", "</sub>", "<sup>", "</sup>", "2B", "[", "]", "(", ")", "*", "**", "_",
    "`", "``", " ", " ", "\\*", "{: .x }", "https://a.b/c", "<br>", "30 %", "12", "SV2A", "\u27e6", "\u27e7",
    "[^1]", "é", ".", ",", "-", "+", "<sub>x</sub>", "ARN", "CO<sub>2</sub>",
]


@pytest.mark.parametrize("seed", range(4))
def test_light_regex_matches_exactly_what_the_full_regex_matches(seed):
    rng = random.Random(seed)
    terms = default_terms()
    for _ in range(2000):
        text = "".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 30)))
        assert _kinds_fast(text, terms) == _kinds_full(text, terms), text


def test_sub_and_sup_still_make_one_token():
    p = protect("Le récepteur 5-HT<sub>2B</sub> et le CO<sub>2</sub>, x<sup>2</sup>.")
    assert "5-HT<sub>2B</sub>" in p.tokens and "CO<sub>2</sub>" in p.tokens and "x<sup>2</sup>" in p.tokens


def test_a_very_long_word_is_protected_whole_and_unchanged():
    word = "ACGT" * 5000  # was quadratic in the word's length (1.3 s at 8,000 characters)
    p = protect(f"Séquence {word} fin.")
    assert word in p.text and not p.tokens


@pytest.mark.parametrize("n", [6, 12])
def test_rerun_work_is_linear_in_articles(translator_stub, tmp_path, monkeypatch, n):
    arts, mem = tmp_path / "articles", tmp_path / "memory"
    arts.mkdir()
    for i in range(n):
        (arts / f"article-{i:02d}.fr.md").write_text(ARTICLE.format(i=i), "utf-8")
    run(arts, make_provider("libre", url=translator_stub.url), mem)
    requests = translator_stub.count

    calls = {"parse": 0, "memory_loads": 0, "renders": 0}
    real_split, real_load, real_render = pages.read_page, Memory._load, Memory.render

    def split(text):
        calls["parse"] += 1
        return real_split(text)

    def load(self, path, strict):
        calls["memory_loads"] += 1
        return real_load(self, path, strict)

    def render(self):
        calls["renders"] += 1
        return real_render(self)

    monkeypatch.setattr(pages, "read_page", split)
    monkeypatch.setattr(translator, "read_page", split)
    monkeypatch.setattr(Memory, "_load", load)
    monkeypatch.setattr(Memory, "render", render)
    stats = run(arts, make_provider("libre", url=translator_stub.url), mem)
    assert stats.requests == 0 and translator_stub.count == requests and stats.unchanged == n
    # each original parsed twice (listing, then state + translation), each page once
    assert calls["parse"] == 3 * n
    assert calls["memory_loads"] == 1  # the memory file is read once per run, not per article
    assert calls["renders"] == 0  # nothing new: the sorted memory is not even rebuilt
