"""The committed English pages of the seed articles: complete, faithful in structure, reviewed."""

from __future__ import annotations

from pathlib import Path

import pytest

from scidigest.translate import page_state, skeleton_of, strip_notice
from scidigest.translate.pages import copied_differences, originals, read_page, translation_path
from scidigest.translate.segments import parse

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "docs" / "articles"
SEEDS = originals(ARTICLES)


def test_the_four_seed_articles_are_there():
    assert len(SEEDS) >= 4


@pytest.mark.parametrize("original", SEEDS, ids=lambda p: p.name)
def test_english_page_has_exactly_the_structure_of_the_french(original):
    fr_meta, fr_body = read_page(original.read_text("utf-8"))
    en_meta, en_body = read_page(translation_path(original, "en").read_text("utf-8"))
    assert skeleton_of(strip_notice(en_body)) == skeleton_of(fr_body)
    assert en_meta["slug"] == fr_meta["slug"] and en_meta["lang"] == "en"
    assert en_meta["translation"]["provider"] == "manual" and en_meta["translation"]["status"] == "reviewed"
    assert "output_hash" not in en_meta


@pytest.mark.parametrize("original", SEEDS, ids=lambda p: p.name)
def test_every_segment_is_translated_nothing_left_in_french(original):
    _, fr_body = read_page(original.read_text("utf-8"))
    en_meta, en_body = read_page(translation_path(original, "en").read_text("utf-8"))
    fr_meta, _ = read_page(original.read_text("utf-8"))
    fr_segs, en_segs = parse(fr_body).segments, parse(strip_notice(en_body)).segments
    assert len(fr_segs) == len(en_segs)
    for fr, en in zip(fr_segs, en_segs, strict=True):
        assert fr != en
        assert 0.6 < len(en) / len(fr) < 1.5, (fr, en)  # a summary would be much shorter
    assert en_meta["title"] != fr_meta["title"] and en_meta["description"] != fr_meta["description"]


@pytest.mark.parametrize("original", SEEDS, ids=lambda p: p.name)
def test_seed_translations_are_fresh_reviewed_and_leave_the_notice_to_the_site(original):
    st = page_state(original, "en")
    assert (st.state, st.status) == ("fresh", "reviewed")
    fr_meta, _ = read_page(original.read_text("utf-8"))
    en_meta, en_body = read_page(st.translation.read_text("utf-8"))
    # the article header says "reviewed translation" from the front matter: the body says nothing
    assert strip_notice(en_body) == en_body and "!!! " not in en_body and "../articles/" not in en_body
    # what the translation copies (date, organisation, source URL, journal, DOI...) is the original's
    assert copied_differences(fr_meta, en_meta) == []
