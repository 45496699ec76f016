"""The committed preview cards and PNG logo are what scidigest.site.cards draws today."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from scidigest.site import cards

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("rel", sorted(cards.images()))
def test_the_committed_png_has_the_pixels_the_script_draws(rel):
    drawn = _image(cards.images()[rel])
    committed = _image((DOCS / rel).read_bytes())
    assert committed.size == drawn.size and committed.mode == drawn.mode
    assert committed.tobytes() == drawn.tobytes(), f"docs/{rel} is stale: run python -m scidigest.site.cards"


def test_cards_are_1200_by_630_one_per_language_and_the_logo_a_square_png():
    images = cards.images()
    assert {rel for rel in images if "card-" in rel} == {cards.card_url(lang) for lang in ("fr", "en")}
    for lang in ("fr", "en"):
        assert _image(images[cards.card_url(lang)]).size == (1200, 630)
    assert images[cards.card_url("fr")] != images[cards.card_url("en")]  # each says its language's words
    logo = _image(images[cards.logo_url()])
    assert logo.size == (cards.LOGO_SIZE, cards.LOGO_SIZE) and logo.mode == "RGBA"
    assert logo.getpixel((0, 0))[3] == 0 and logo.getpixel((cards.LOGO_SIZE // 2, cards.LOGO_SIZE // 2))[3] == 255


def test_drawing_is_deterministic_and_the_files_carry_no_date():
    assert cards.images() == cards.images()
    for data in cards.images().values():
        assert b"tIME" not in data and b"tEXt" not in data
