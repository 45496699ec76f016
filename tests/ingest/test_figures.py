"""Figures: an image kept locally with its caption, credit and alt text, or its caption as a
note that the image is not reproduced; never a remote image, never an unsafe file."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from scidigest.frontmatter import read_meta, split
from scidigest.ingest import figures
from scidigest.ingest.cache import IngestCache
from scidigest.ingest.flow import build_article
from scidigest.ingest.writer import ingest
from scidigest.site.catalogue import article_from_meta, image_path
from scidigest.site.figures import figures_html

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Des coraux qui résistent à la chaleur | Institut Océan</title>
<meta property="og:site_name" content="Institut Océan">
<meta property="article:published_time" content="2024-03-05T10:00:00+01:00"></head>
<body><header><nav><a href="/">Accueil</a> <a href="/presse/">Presse</a></nav></header>
<main><article><h1>Des coraux qui résistent à la chaleur</h1>
<p>Une équipe de biologistes marins a identifié, dans le lagon de Nouvelle-Calédonie, des colonies de coraux
capables de supporter des vagues de chaleur qui blanchissent les récifs voisins.</p>
<figure><img src="{src}" alt="Colonie de corail branchu au-dessus d'un fond sableux">
<figcaption>Une colonie d’Acropora suivie pendant trois étés dans le lagon sud.
<span class="credit">© Institut Océan / Marie Lenoir</span></figcaption></figure>
<p>Les chercheurs ont mesuré la température de l’eau et l’état des colonies pendant trois étés consécutifs,
en plongée et par des capteurs fixés sur le récif.</p>
<figure><img src="https://cdn.example.org/carte.png" alt="Carte du lagon">
<figcaption>Carte des sites étudiés. <span class="credit">© Institut Océan</span></figcaption></figure>
<p>Les colonies résistantes hébergent des algues symbiotiques d’un type particulier, plus tolérant à la
chaleur, ce qui ouvre des pistes pour la restauration des récifs dégradés.</p>
</article></main><footer><p>© 2024 Institut Océan</p></footer></body></html>
"""


def png(width: int = 320, height: int = 200, **info) -> bytes:
    im = Image.new("RGB", (width, height), (20, 90, 140))
    draw = ImageDraw.Draw(im)
    for i in range(8):
        draw.ellipse((10 + i * 35, 60, 50 + i * 35, 120), fill=(230, 140 - i * 10, 90))
    buf = io.BytesIO()
    if info:
        from PIL.PngImagePlugin import PngInfo

        meta = PngInfo()
        for k, v in info.items():
            meta.add_text(k, v)
        im.save(buf, "PNG", pnginfo=meta)
    else:
        im.save(buf, "PNG")
    return buf.getvalue()


def page_with_image(tmp_path: Path, data: bytes, src: str = "labo_files/corail.png") -> Path:
    sources = tmp_path / "sources"
    (sources / "labo_files").mkdir(parents=True)
    (sources / "labo_files" / "corail.png").write_bytes(data)
    (sources / "labo.html").write_text(PAGE.replace("{src}", src), encoding="utf-8")
    return sources


def body_of(path: Path) -> str:
    return split(path.read_text(encoding="utf-8"))[1]


# ------------------------------------------------------------------ HTML pages, end to end
def test_an_html_figure_is_kept_locally_with_alt_caption_credit_and_hero_image(tmp_path):
    data = png()
    sources = page_with_image(tmp_path, data)
    out = tmp_path / "articles"
    report = ingest([sources], out)
    assert report.counts["created"] == 1 and not report.failed, report.results
    article = report.results[0].output
    meta, body = read_meta(article), body_of(article)
    stored = sorted((out / "img").iterdir())
    assert len(stored) == 1  # the kept image; the remote one is not fetched at ingest
    name = hashlib.sha256(stored[0].read_bytes()).hexdigest()[:16]
    assert stored[0].name == f"{name}.png" and meta["image"] == f"img/{name}.png"
    assert Image.open(stored[0]).size == (320, 200)
    expected = (f"![Colonie de corail branchu au-dessus d'un fond sableux](img/{name}.png)\n\n"
                "Une colonie d’Acropora suivie pendant trois étés dans le lagon sud.  \n"
                "© Institut Océan / Marie Lenoir\n{: .caption }")
    assert expected in body
    # the image that could not be stored: its caption and credit as one caption block (the
    # site's "image not reproduced" note), no link to the remote file anywhere
    assert "Carte des sites étudiés.  \n© Institut Océan\n{: .caption }" in body
    assert "cdn.example.org" not in article.read_text(encoding="utf-8")
    assert "carte.png" not in body and "\ue000" not in body
    art = article_from_meta(meta, slug=meta["slug"], lang="fr")
    assert art.image == f"img/{name}.png" and image_path(art) == f"articles/img/{name}.png"


def test_a_second_ingest_changes_no_byte_and_the_cache_never_vouches_for_a_page_with_local_images(tmp_path):
    sources = page_with_image(tmp_path, png())
    out, cache = tmp_path / "articles", tmp_path / "cache"
    ingest([sources], out, cache_dir=cache)
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    again = ingest([sources], out, cache_dir=cache)
    assert again.counts["unchanged"] == 1
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
    # the image changes, the page does not: the article must follow (a cache keyed on the
    # page's bytes alone would report it unchanged)
    (sources / "labo_files" / "corail.png").write_bytes(png(400, 300))
    third = ingest([sources], out, cache_dir=cache)
    assert third.counts["updated"] == 1
    meta = read_meta(third.results[0].output)
    assert (out / meta["image"]).is_file() and Image.open(out / meta["image"]).size == (400, 300)
    assert IngestCache.load(cache, out).lookup(sources / "labo.html", (sources / "labo.html").read_bytes(),
                                              third.results[0].output) is None
    # a stored image deleted by hand comes back on the next run (the cache never skips the page)
    (out / meta["image"]).unlink()
    assert ingest([sources], out, cache_dir=cache).counts["unchanged"] == 1
    assert (out / meta["image"]).is_file()


def test_a_pdfs_images_come_back_when_deleted_even_with_the_cache(tmp_path):
    sources, out, cache = tmp_path / "sources", tmp_path / "articles", tmp_path / "cache"
    sources.mkdir()
    (sources / "tourbieres.pdf").write_bytes((PDF_FIXTURES / "figures.pdf").read_bytes())
    first = ingest([sources], out, cache_dir=cache)
    images = sorted((out / "img").iterdir())
    assert first.counts["created"] == 1 and len(images) == 2
    for p in images:
        p.unlink()
    assert ingest([sources], out, cache_dir=cache).counts["unchanged"] == 1
    assert sorted((out / "img").iterdir()) == images


def test_the_images_folder_of_a_page_and_image_files_are_not_sources(tmp_path):
    sources = page_with_image(tmp_path, png())
    (sources / "stray.jpg").write_bytes(b"\xff\xd8\xff" + b"0" * 100)
    report = ingest([sources], tmp_path / "articles")
    assert not report.failed, [r.message for r in report.failed]
    skipped = {r.source.name: r.message for r in report.results if r.status == "skipped"}
    assert "stray.jpg" in skipped and "image" in skipped["stray.jpg"]
    assert not any(r.source.parent.name == "labo_files" for r in report.results)


def test_jobs_give_the_same_articles_and_images(tmp_path):
    sources = page_with_image(tmp_path, png())
    for i in range(40):  # enough sources for the worker pool to start
        (sources / f"t{i:02}.txt").write_text(f"Titre numéro {i} d’un article\n\nUn paragraphe du corps de "
                                             f"l’article numéro {i} avec assez de mots pour être lu.\n",
                                             encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    ingest([sources], one)
    ingest([sources], two, jobs=2)
    files = lambda d: {p.relative_to(d): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}  # noqa: E731
    assert files(one) == files(two) and any(p.parts[0] == "img" for p in files(one))


@pytest.mark.parametrize("src", [
    "../secret.png",  # outside the page's folder
    "labo_files/../../secret.png",
    "/labo_files/corail.png",  # site-absolute, and no source_url to resolve it against
    "file:///etc/passwd",
    "labo_files/link.png",  # a link that leaves the folder
])
def test_an_image_outside_the_pages_folder_is_never_read(tmp_path, src):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png())
    sources = page_with_image(tmp_path, png(64, 64))
    (sources / "labo_files" / "corail.png").unlink()
    os.symlink(secret, sources / "labo_files" / "link.png")
    (sources / "labo.html").write_text(PAGE.replace("{src}", src), encoding="utf-8")
    report = ingest([sources], tmp_path / "articles")
    article = report.results[0].output if report.results[0].output else None
    assert article is not None, report.results
    assert not (tmp_path / "articles" / "img").exists()
    assert "image" not in read_meta(article)
    assert "Une colonie d’Acropora suivie pendant trois étés dans le lagon sud.  \n" in body_of(article)


def test_a_data_url_image_is_kept(tmp_path):
    import base64

    data = png()
    page = PAGE.replace("{src}", "data:image/png;base64," + base64.b64encode(data).decode())
    built = build_article("x.html", page.encode("utf-8"))
    assert len(built.images) == 1 and built.images[0].width == 320
    assert built.metadata.image == built.images[0].path


# ------------------------------------------------------------------ what an image must be
def _bomb() -> bytes:
    """A valid PNG header announcing 20,000 x 20,000 pixels (400 million), in a few bytes."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("data, reason", [
    (_bomb(), "pixels"),
    (png()[:300], "unreadable"),  # truncated
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "not a PNG"),
    (b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 4, "unreadable"),  # a PNG signature, no image
    (png(16, 16), "icon"),
])
def test_what_is_not_a_publishable_image_is_refused(data, reason):
    with pytest.raises(figures.ImageRejected, match=reason):
        figures.store(data)


def test_png_text_chunks_and_jpeg_exif_are_removed_without_touching_the_pixels():
    data = png(Author="Marie Lenoir", Comment="GPS 48.85 2.35")
    stored = figures.store(data)
    assert b"tEXt" in data and b"tEXt" not in stored.data and b"GPS" not in stored.data
    assert Image.open(io.BytesIO(stored.data)).tobytes() == Image.open(io.BytesIO(data)).tobytes()

    im = Image.open(io.BytesIO(png()))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS IFD
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif, quality=90)
    jpeg = buf.getvalue()
    assert b"Exif" in jpeg and b"CameraMaker" in jpeg
    kept = figures.store(jpeg)
    assert kept.path.endswith(".jpg") and b"Exif" not in kept.data and b"CameraMaker" not in kept.data
    assert not Image.open(io.BytesIO(kept.data)).getexif()
    assert Image.open(io.BytesIO(kept.data)).tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()


def test_names_are_content_addressed_and_deterministic():
    a, b = figures.store(png()), figures.store(png())
    assert a.path == b.path and a.data == b.data
    assert figures.store(png(321, 200)).path != a.path


# ------------------------------------------------------------------ the site's markup
FIGURE = ('<p><img alt="Une colonie" src="../img/0123456789abcdef.png" /></p>\n'
          '<p class="caption">Une colonie d’Acropora.<br />\n© Institut Océan</p>')
ORPHAN = '<p class="caption">Image de microscopie confocale.<br />\n© Extrait de : Lentini et al.</p>\n<p>Le texte.</p>'


def test_an_image_and_its_caption_become_one_figure_linked_at_the_single_stored_copy(tmp_path):
    (tmp_path / "articles" / "img").mkdir(parents=True)
    (tmp_path / "articles" / "img" / "0123456789abcdef.png").write_bytes(png(320, 200))
    fr = figures_html(FIGURE, "fr", "articles/x/", tmp_path)
    # the size read from the file: the browser reserves the room (no layout shift)
    assert fr.startswith('<figure class="sd-figure"><img decoding="async" width="320" height="200" ')
    assert 'src="../../articles/img/0123456789abcdef.png"' in fr
    assert "<figcaption>Une colonie d’Acropora.<br />\n© Institut Océan</figcaption></figure>" in fr
    assert "sd-figure-missing" not in fr
    en = figures_html(FIGURE.replace("../img/", "img/"), "en", "en/articles/x/")
    assert 'src="../../../articles/img/0123456789abcdef.png"' in en
    assert " width=" not in en  # (no docs folder given: no size, never a wrong one)
    two = figures_html(FIGURE + "\n" + FIGURE, "fr", "articles/x/")
    assert two.count('loading="lazy"') == 1  # the first image may be the first thing seen


@pytest.mark.parametrize("lang, label", [("fr", "Image non reproduite"), ("en", "Image not reproduced")])
def test_a_caption_without_its_image_is_a_note_that_says_so_in_the_page_language(lang, label):
    out = figures_html(ORPHAN, lang, "articles/x/")
    assert out.startswith(f'<div class="sd-figure-missing" role="note"><p class="sd-figure-missing__label" '
                          f'data-search-exclude>{label}</p>'
                          '<p class="caption">Image de microscopie confocale.')
    assert out.endswith("</div>\n<p>Le texte.</p>")


def test_a_page_without_figures_is_returned_as_it_came():
    body = '<p>Un paragraphe <img alt="" src="x.png"> dans le texte.</p>'
    assert figures_html(body, "fr", "articles/x/") == body
    assert figures_html("<p>Rien.</p>", "fr", "") == "<p>Rien.</p>"


# ------------------------------------------------------------------ PDF
PDF_FIXTURES = Path(__file__).parent / "fixtures" / "pdf"


def test_a_pdfs_figures_are_kept_with_their_captions_and_its_letterhead_logo_and_icons_are_not():
    """``fixtures/pdf/figures.pdf`` was printed by Chromium from ``figures.html`` (see
    test_pdf_reader.py): a logo drawn at the same place on both pages (letterhead), a JPEG
    photo with a caption and a credit line, a PNG chart with a caption, a 24-pixel mail icon."""
    built = build_article("figures.pdf", (PDF_FIXTURES / "figures.pdf").read_bytes())
    photo, chart = built.images  # the logo (on every page) and the icon (24 px) are not figures
    assert photo.path.endswith(".jpg") and (photo.width, photo.height) == (800, 520)
    assert chart.path.endswith(".png") and (chart.width, chart.height) == (700, 420)
    # the pixels are the document's own: the JPEG stream as it is, the chart's samples as PNG
    original = Image.open(PDF_FIXTURES / "photo-tourbiere.jpg")
    assert Image.open(io.BytesIO(photo.data)).tobytes() == original.tobytes()
    drawn = Image.open(PDF_FIXTURES / "graphique-stocks.png").convert("RGB")
    assert Image.open(io.BytesIO(chart.data)).convert("RGB").tobytes() == drawn.tobytes()
    body = built.body
    assert (f"![]({photo.path})\n\n"
            "Carottage dans la tourbière de Frasne, au printemps 2023.  \n"
            "© Observatoire des tourbières / Léa Martin\n{: .caption }") in body
    assert (f"![]({chart.path})\n\n"
            "Stock de carbone par classe de profondeur de tourbe, en tonnes par hectare.\n{: .caption }") in body
    # each figure where it stands in the text
    assert body.index("séchée puis analysée") < body.index(photo.path) < body.index("Les mesures montrent")
    assert body.index("près des deux tiers") < body.index(chart.path) < body.index("Un second volet")
    assert built.metadata.image == photo.path and "\ue000" not in body
    again = build_article("figures.pdf", (PDF_FIXTURES / "figures.pdf").read_bytes())
    assert again.body == body and [i.data for i in again.images] == [photo.data, chart.data]


def test_a_pdf_without_images_reads_as_before():
    for name in ("one-column.pdf", "two-column.pdf"):
        built = build_article(name, (PDF_FIXTURES / name).read_bytes())
        assert built.images == [] and built.metadata.image is None


# ------------------------------------------------------------------ text sources: a caption alone
LEDE = ("Une équipe de biologistes marins a identifié, dans le lagon de Nouvelle-Calédonie, des colonies de "
        "coraux capables de supporter des vagues de chaleur qui blanchissent les récifs voisins.")


@pytest.mark.parametrize("name, title", [("x.txt", "Des coraux qui résistent à la chaleur"),
                                         ("x.md", "# Des coraux qui résistent à la chaleur")])
@pytest.mark.parametrize("caption", [
    "Légende : Vue aérienne du récif au printemps 2023. © Institut Océan / M. Lenoir",
    "Caption: aerial view of the reef in spring 2023 (Institut Océan)",
    "Photo : Institut Océan / M. Lenoir",
])
def test_a_caption_standing_alone_in_a_text_is_a_caption_block_not_a_paragraph_nor_dropped(name, title, caption):
    text = f"{title}\n\n{caption}\n\n{LEDE}\n\nLes colonies résistantes hébergent des algues symbiotiques.\n"
    built = build_article(name, text.encode("utf-8"))
    assert built.body.startswith(caption + "\n{: .caption }\n\n" + LEDE)  # the site shows it as a note
    assert built.metadata.description.startswith("Une équipe de biologistes")
    assert built.images == [] and built.metadata.image is None


# ------------------------------------------------------------------ scidigest check
def test_check_finds_missing_invalid_renamed_and_unused_images(tmp_path):
    from scidigest.check import run_checks

    sources = page_with_image(tmp_path, png())
    root = tmp_path / "repo"
    articles = root / "docs" / "articles"
    ingest([sources], articles)
    assert run_checks(root, rules=["images"]) == []  # what ingest writes is clean
    [stored] = (articles / "img").iterdir()
    spare = articles / "img" / stored.name.replace(stored.name[:16], "0" * 16)
    spare.write_bytes(stored.read_bytes())  # a copy under a name that is not its hash
    unused = figures.store(png(100, 100))
    (articles / unused.path).write_bytes(unused.data)  # valid, named by its hash, named by no article
    bogus = figures.store(png(90, 90))
    (articles / bogus.path).write_bytes(b"<svg onload='alert(1)'/>")  # its name, not its bytes
    found = {(f.rule, f.file.rsplit("/", 1)[-1]) for f in run_checks(root, rules=["images"])}
    assert found == {("image-invalid", spare.name), ("image-unused", unused.path[4:]),
                     ("image-invalid", bogus.path[4:])}
    stored.unlink()
    missing = [f for f in run_checks(root, rules=["images"]) if f.rule == "image-missing"]
    [finding] = missing  # one per missing file, at its first mention (the front matter's image:)
    article = next(articles.glob("*.fr.md"))
    assert finding.is_error and finding.file.endswith(article.name)
    assert article.read_text("utf-8").splitlines()[finding.line - 1].startswith("image: img/")


WP_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Des abeilles en ville | Université</title></head>
<body><div class="site"><article class="post"><h1 class="entry-title">Des abeilles en ville</h1><div class="entry-content">
<p>Les abeilles sauvages sont plus nombreuses qu’on ne le pensait dans les parcs urbains, selon un inventaire mené pendant
trois ans par des chercheurs de l’université.</p>
<div id="attachment_512" style="width: 610px" class="wp-caption aligncenter"><img aria-describedby="caption-attachment-512"
src="abeilles_files/osmie.png" alt="Une osmie cornue sur une fleur de cerisier" width="600" height="400"
class="size-full wp-image-512"><p id="caption-attachment-512" class="wp-caption-text">Une osmie cornue, l’une des 120
espèces recensées. © Université / J. Morel</p></div>
<p>Les chercheurs ont posé des pièges et compté les visites sur des parcelles fleuries de douze parcs, de mars à octobre,
en notant chaque espèce observée.</p>
</div></article></div></body></html>"""


def test_wordpress_classic_captioned_images_are_figures_too(tmp_path):
    sources = tmp_path / "sources"
    (sources / "abeilles_files").mkdir(parents=True)
    (sources / "abeilles_files" / "osmie.png").write_bytes(png(600, 400))
    (sources / "abeilles.html").write_text(WP_PAGE, encoding="utf-8")
    out = tmp_path / "articles"
    [result] = ingest([sources], out).results
    meta, body = read_meta(result.output), body_of(result.output)
    assert (f"![Une osmie cornue sur une fleur de cerisier]({meta['image']})\n\n"
            "Une osmie cornue, l’une des 120 espèces recensées. © Université / J. Morel\n{: .caption }\n\n"
            "Les chercheurs ont posé") in body
    assert Image.open(out / meta["image"]).size == (600, 400)
