"""Each article's preview card (scidigest.site.pagecards): same input, same bytes; the text
stays on the canvas whatever the title; the cache is keyed by what is drawn."""

from __future__ import annotations

import io
import shutil

from PIL import Image

from scidigest.site import pagecards
from scidigest.site.catalogue import article_from_meta
from scidigest.site.pagecards import CardText

FR = CardText("fr", "SciDigest", "La kétamine agit-elle vite ? Une étude « pionnière » l’indique",
              "Inserm · 30 septembre 2021")


def art(**kw):
    meta = {"slug": "x", "lang": "fr", "title": "Titre", "description": "R.", "date": "2021-09-30", **kw}
    return article_from_meta(meta)


def test_same_text_same_bytes_and_no_metadata_chunk():
    one, two = pagecards.draw(FR), pagecards.draw(FR)
    assert one == two
    assert pagecards.draw(CardText(FR.lang, FR.site_name, FR.title + " bis", FR.footer)) != one
    image = Image.open(io.BytesIO(one))
    assert image.size == (1200, 630) and image.format == "PNG"
    chunks, pos = [], 8  # only the image: no tIME, tEXt, pHYs... that could carry a date or a path
    while pos < len(one):
        length = int.from_bytes(one[pos:pos + 4], "big")
        chunks.append(one[pos + 4:pos + 8])
        pos += 12 + length
    assert set(chunks) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}, chunks


def _ink_outside(data: bytes, box) -> int:
    """Pixels that are not the background outside ``box`` (the amber band at the foot excepted)."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    bg = image.getpixel((1199, 300))
    x0, y0, x1, y1 = box
    count = 0
    for y in range(0, 630 - 16):
        for x in range(0, 1200, 2):
            if not (x0 <= x <= x1 and y0 <= y <= y1) and image.getpixel((x, y)) != bg:
                count += 1
    return count


def test_a_300_character_title_and_a_60_character_word_stay_on_the_canvas():
    word = "anticonstitutionnellementdésoxyribonucléiquephotosynthétiques"[:60]
    assert len(word) == 60
    title = ("Des chercheurs montrent que " + word + " : " + "les résultats sont confirmés " * 12)[:300]
    for lang in ("fr", "en"):
        text = CardText(lang, "SciDigest", title, "Université de Bordeaux, Institut des maladies neurodégénératives"
                        " et Centre national de la recherche scientifique · 31 décembre 2021")
        lay = pagecards.layout(text)
        assert lay.truncated and lay.title_lines[-1].endswith("…") and len(lay.title_lines) == pagecards.MAX_LINES
        assert lay.footer.endswith("…")
        drawn = pagecards.boxes(text)
        for line, (x0, y0, x1, y1) in drawn:
            assert pagecards.MARGIN <= x0 and x1 <= 1200 - pagecards.MARGIN + 1, line
            assert 0 <= y0 and y1 <= 630 - 16, line
        # and nothing was drawn beyond those boxes' hull (read off the rendered pixels)
        hull = (min(b[0] for _, b in drawn) - 2, 50, max(b[2] for _, b in drawn) + 2, max(b[3] for _, b in drawn) + 2)
        assert hull[2] <= 1200 - pagecards.MARGIN + 3
        assert _ink_outside(pagecards.draw(text), hull) == 0
        # the long word is cut into pieces that are all still there, in order, without a hyphen added
        joined = "".join(lay.title_lines).replace(" ", "").replace("\u00a0", "")
        assert word in joined


def test_lines_break_at_spaces_only_and_french_punctuation_stays_with_its_word():
    font = pagecards._font("DejaVuSans-Bold.ttf", 68)
    text = pagecards.typeset("Cerveau : pourquoi « dormir » aide-t-il ? Réponse !", "fr")
    assert text == "Cerveau\u00a0: pourquoi «\u00a0dormir\u00a0» aide-t-il\u00a0? Réponse\u00a0!"
    for width in range(420, 1100, 37):  # wider than its widest word: no cut
        lines = pagecards.wrap(text, font, width)
        assert " ".join(lines) == text  # nothing lost, nothing added
        assert not any(line[:1] in ":?!»" for line in lines)
        assert all(font.getlength(line) <= width for line in lines)
    assert pagecards.typeset("Sleep: why does it help?", "en") == "Sleep: why does it help?"
    # a cut never separates a letter from its combining accent
    decomposed = "e\u0301" * 40
    pieces = pagecards._cut(decomposed, font, 300)
    assert all(not piece[0] == "\u0301" for piece in pieces) and "".join(pieces) == decomposed


def test_the_cache_is_keyed_by_what_is_drawn_and_deleting_it_changes_no_byte(tmp_path):
    cache = tmp_path / "cache"
    first = pagecards.cached(FR, cache)
    data = first.read_bytes()
    assert pagecards.cached(FR, cache) == first and first.stat().st_mtime_ns == pagecards.cached(FR, cache).stat().st_mtime_ns
    other = pagecards.cached(CardText("fr", FR.site_name, "Un autre titre", FR.footer), cache)
    assert other != first and other.read_bytes() != data
    assert pagecards.cached(CardText("en", FR.site_name, FR.title, FR.footer), cache) != first  # language is in the key
    shutil.rmtree(cache)
    assert pagecards.cached(FR, cache).read_bytes() == data


def test_write_card_follows_a_title_change_and_prune_removes_gone_articles(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    rel = pagecards.write_card(art(title="Premier titre"), "SciDigest", site, cache)
    assert rel == "assets/social/articles/x.fr.png"
    before = (site / rel).read_bytes()
    pagecards.write_card(art(title="Second titre"), "SciDigest", site, cache)
    assert (site / rel).read_bytes() != before
    assert len(list(cache.glob("*.png"))) == 2
    pagecards.write_card(art(slug="y", lang="en", title="Other"), "SciDigest", site, cache)
    pagecards.prune(site, "fr", set())
    assert sorted(p.name for p in (site / pagecards.CARDS_DIR).iterdir()) == ["y.en.png"]


def test_an_article_with_a_large_own_image_keeps_it_a_small_one_gets_the_card(tmp_path):
    docs, site, cache = tmp_path / "docs", tmp_path / "site", tmp_path / "cache"
    (docs / "articles" / "img").mkdir(parents=True)
    Image.new("RGB", (1024, 683), (90, 120, 30)).save(docs / "articles" / "img" / "0123456789abcdef.jpg")
    Image.new("RGB", (320, 200), (90, 120, 30)).save(docs / "articles" / "img" / "fedcba9876543210.jpg")
    big = pagecards.article_preview(art(image="img/0123456789abcdef.jpg"), site_name="S", docs_dir=docs,
                                    site_dir=site, cache_dir=cache)
    assert (big.path, big.width, big.height) == ("articles/img/0123456789abcdef.jpg", 1024, 683)
    assert not (site / pagecards.CARDS_DIR).exists()  # no card drawn for it
    small = pagecards.article_preview(art(slug="s", image="img/fedcba9876543210.jpg"), site_name="S", docs_dir=docs,
                                      site_dir=site, cache_dir=cache)
    assert (small.path, small.width, small.height, small.alt) == ("assets/social/articles/s.fr.png", 1200, 630, "Titre")
    assert (site / small.path).is_file()


def test_the_card_says_organisation_and_date_in_the_pages_language():
    a = art(organisation="CNRS")
    assert CardText.of(a, "SciDigest").footer == "CNRS · 30 septembre 2021"
    en = art(lang="en", organisation="CNRS")
    assert CardText.of(en, "SciDigest").footer == "CNRS · September 30, 2021"  # the site's English dates
    assert CardText.of(art(date=None), "SciDigest").footer == ""


def test_a_hostile_title_costs_what_a_long_one_does_and_ellipsis_keeps_whole_words():
    huge = "mot " * 250_000 + "fin"  # a megabyte of title: only what 5 lines can show is looked at
    text = CardText("fr", "SciDigest", huge, "CNRS " * 100_000)
    assert pagecards.draw(text) == pagecards.draw(CardText("fr", "SciDigest", huge[:pagecards.TEXT_CAP], "CNRS " * 300))
    font = pagecards._font("DejaVuSans.ttf", 30)
    for width in (60, 200, 333, 700):
        short = pagecards.ellipsize("Centre national de la recherche scientifique, Paris", font, width)
        assert short.endswith("…") and font.getlength(short) <= width
        head = short[:-1]
        assert "Centre national de la recherche scientifique, Paris".startswith(head)
        if " " in head:  # cut after a whole word
            assert "Centre national de la recherche scientifique, Paris"[len(head)] in " ,"


def test_the_key_changes_with_the_drawing_version_and_the_fonts(monkeypatch):
    key = pagecards.card_key(FR)
    pagecards.versions.cache_clear()
    monkeypatch.setattr(pagecards, "VERSION", pagecards.VERSION + 1)
    try:
        assert pagecards.card_key(FR) != key
    finally:
        monkeypatch.undo()
        pagecards.versions.cache_clear()
    assert pagecards.card_key(FR) == key
    assert '"fonts"' in pagecards.versions() and "DejaVuSans-Bold.ttf" in pagecards.versions()


def test_prune_cache_keeps_what_the_build_used_and_what_is_recent(tmp_path):
    import os
    import time

    cache, site = tmp_path / "cache", tmp_path / "site"
    used: set[str] = set()
    pagecards.write_card(art(title="Titre actuel"), "SciDigest", site, cache, used)
    kept_used = cache / next(iter(used))
    old_unused = pagecards.cached(CardText("fr", "SciDigest", "Un titre d'avant", "Inserm"), cache)
    recent_unused = pagecards.cached(CardText("fr", "SciDigest", "Une autre branche", "Inserm"), cache)
    leftover = cache / ".abc.123.tmp"
    leftover.write_bytes(b"half")
    foreign = cache / "notes.txt"
    foreign.write_text("not a card", encoding="utf-8")
    long_ago = time.time() - (pagecards.PRUNE_AFTER_DAYS + 1) * 86400
    for path in (kept_used, old_unused, leftover, foreign):
        os.utime(path, (long_ago, long_ago))
    assert pagecards.prune_cache(cache, used) == 2
    assert sorted(p.name for p in cache.iterdir()) == sorted([kept_used.name, recent_unused.name, foreign.name])
    # the page's card is a link to the cache entry or a copy: the site keeps its bytes either way
    assert (site / pagecards.card_url("fr", "x")).read_bytes() == kept_used.read_bytes()
    assert pagecards.prune_cache(tmp_path / "none", used) == 0


def test_a_whole_build_prunes_the_card_cache_of_old_unused_cards(tmp_path):
    import os
    import time

    from tests.plugins.site_server import build_site, copy_site_project

    project = copy_site_project(tmp_path / "project")
    build_site(project.project_dir, tmp_path / "site1")
    cache = project.project_dir / pagecards.CACHE_DIR
    in_use = sorted(p.name for p in cache.glob("*.png"))
    assert in_use, "the build drew no card"
    stale = pagecards.cached(CardText("fr", "SciDigest", "Un article retiré depuis longtemps", "Inserm"), cache)
    fresh = pagecards.cached(CardText("fr", "SciDigest", "Un titre d'une autre branche", "Inserm"), cache)
    long_ago = time.time() - (pagecards.PRUNE_AFTER_DAYS + 5) * 86400
    for path in [stale, *(cache / name for name in in_use)]:
        os.utime(path, (long_ago, long_ago))
    build_site(project.project_dir, tmp_path / "site2")
    left = sorted(p.name for p in cache.glob("*.png"))
    assert stale.name not in left and fresh.name in left
    assert set(in_use) <= set(left)  # old but used by this build: kept
