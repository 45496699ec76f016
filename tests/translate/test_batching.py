"""Batching: few requests, each under the provider's limit, replies split safely."""

from __future__ import annotations

import random

import pytest

from scidigest.translate import LIMITS
from scidigest.translate.batching import chunk, ideal_requests, join, pack, split


def _texts(seed: int, n: int = 60) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(f"mot{rng.randint(0, 99)}" for _ in range(rng.randint(1, 90))) for _ in range(n)]


@pytest.mark.parametrize("provider", sorted(LIMITS))
def test_every_request_fits_the_provider_limit_and_keeps_every_text(provider):
    limit = LIMITS[provider]
    texts = [piece for t in _texts(1) for piece in chunk(t, limit)]
    groups = pack(texts, limit)
    assert sorted(i for g in groups for i in g) == list(range(len(texts)))
    for g in groups:
        assert len(join([texts[i] for i in g])) <= limit
        assert g == sorted(g)  # reading order inside a request
    total = sum(len(t) for t in texts)
    assert len(groups) <= ideal_requests(total, limit) + 1 + total // limit // 10


def test_a_reply_splits_back_into_the_batch_texts():
    texts = ["Un.", "Deux trois.", "Quatre ⟦0⟧ cinq."]
    reply = join(texts).upper().replace("⟫ ", "⟫  ")
    assert split(reply, 3) == ["UN.", "DEUX TROIS.", "QUATRE ⟦0⟧ CINQ."]


def test_damaged_markers_are_detected_not_guessed():
    reply = join(["Un.", "Deux.", "Trois."])
    assert split(reply.replace("⟪1⟫", ""), 3) is None
    assert split(reply.replace("⟪1⟫", "⟪2⟫"), 3) is None
    assert split("Préambule inventé. " + reply, 3) is None
    assert split("texte ⟪0⟫", 1) is None


def test_a_single_text_is_sent_without_a_marker():
    assert join(["Seul."]) == "Seul."


def test_long_text_is_cut_at_sentence_ends_under_the_limit_without_splitting_tokens():
    text = " ".join(f"Phrase numéro {i} avec ⟦{i}⟧ dedans." for i in range(80))
    pieces = chunk(text, 499)
    assert all(len(p) <= 499 for p in pieces)
    assert " ".join(pieces) == text
    assert all(p.endswith(".") for p in pieces)


def test_packing_the_whole_run_keeps_each_article_in_the_earliest_requests():
    """First fit decreasing per article: near the ideal, and an article's texts never wait
    behind a later article's (a stopped run has finished its first pages)."""
    from scidigest.translate.batching import pack_sizes

    rng = random.Random(3)
    sizes = [rng.randint(30, 480) for _ in range(600)]
    article = [k // 12 for k in range(600)]  # 50 articles of 12 texts
    groups = pack_sizes(sizes, 499, overhead=2, stretches=article)
    assert sorted(i for g in groups for i in g) == list(range(600))
    assert all(sum(sizes[i] + 2 for i in g) <= 499 for g in groups)
    last_group_of = {}
    for n, g in enumerate(groups):
        for i in g:
            last_group_of[article[i]] = n
    done = [last_group_of[a] for a in range(50)]
    assert all(a <= b + 3 for a, b in zip(done, done[1:], strict=False))  # articles finish roughly in order
    assert len(groups) <= 1.08 * ideal_requests(sum(s + 2 for s in sizes), 499)
