"""The HTML reader (scidigest.ingest.html): main text and declared metadata of a web page."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from scidigest.ingest.flow import build_article
from scidigest.ingest.html import MAX_BYTES, read_html
from scidigest.ingest.model import IngestError
from scidigest.ingest.render import render_body
from scidigest.ingest.writer import ingest

COOKIE = "Nous utilisons des traceurs pour mesurer l’audience de ce site."
RELATED = "Les vers de terre, ingénieurs méconnus des coteaux"
FOOTER = "Fièrement propulsé par WordPress"

FR_PAGE = f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="utf-8">
<title>Sécheresse : les microbes du sol aident la vigne | INRSV</title>
<meta property="og:title" content="Sécheresse : les microbes du sol aident la vigne">
<meta property="og:site_name" content="INRSV">
<meta name="author" content="Claire Dumontet">
<link rel="canonical" href="https://www.inrsv.example/2023/10/12/vigne/">
</head>
<body>
<div class="cookie-notice"><p>{COOKIE} <a href="/cookies/">En savoir plus</a></p><button>J’accepte</button></div>
<header><p class="site-title"><a href="/" rel="home">INRSV — Institut national de recherche pour les sols et le vivant</a></p>
<nav><ul><li><a href="/institut/">L’institut</a></li><li><a href="/recherche/">Recherche</a></li><li><a href="/presse/">Presse</a></li></ul></nav></header>
<main><article>
<header><span class="cat-links">Vie des labos</span>
<h1 class="entry-title">Sécheresse : les microbes du sol aident la vigne</h1>
<div class="entry-meta"><time class="entry-date published" datetime="2023-10-12T09:00:00+02:00">12 oct. 2023</time>
par <span class="author vcard"><a class="url fn n" href="/author/cd/">Claire Dumontet</a></span></div></header>
<div class="entry-content">
<p>Dans les parcelles du Languedoc, les pieds de vigne qui résistent le mieux aux étés secs ne doivent pas tout à leur cépage, montre une équipe de recherche.</p>
<p>Les parcelles les plus résistantes hébergent un ensemble stable d’une trentaine de taxons, un écart considérable pour la physiologie de la vigne<sup><a href="#note-1" id="ref-1">1</a></sup>.</p>
<h2>Des pratiques qui font la différence</h2>
<p>Trois pratiques ressortent nettement des itinéraires techniques déclarés par les exploitants :</p>
<ul><li>l’enherbement permanent d’un inter-rang sur deux ;</li><li>la réduction du travail mécanique du sol ;</li></ul>
<figure><img src="/img/vigne.jpg" alt="Vigne"><figcaption>Parcelle expérimentale enherbée près de Pézenas. <span class="credit">© INRSV / Thomas Vidal</span></figcaption></figure>
<blockquote><p>« Le sol n’est pas un simple support, il faut le gérer comme un partenaire », insiste un agronome.</p></blockquote>
<p>Ils souhaitent désormais étendre le suivi à la vallée du Rhône et au Bordelais, où les sols diffèrent sensiblement.</p>
</div>
<div class="footnotes"><h3>Référence</h3><ol><li id="note-1">Dumontet C. et al. (2023). Rhizosphere consortia buffer grapevine water stress. Soil Biology Reports.</li></ol></div>
</article>
<section class="related"><h3>Articles similaires</h3><ul><li><a href="/vers/">{RELATED}</a></li><li><a href="/carbone/">Le carbone des prairies mieux compté par satellite</a></li></ul></section>
</main>
<footer><p>© 2023 INRSV. Tous droits réservés.</p><a href="https://wordpress.org/">{FOOTER}</a></footer>
</body></html>
"""

# <title> is only the site name; the headline is an h2 entry title; the notes are plain digits
EN_BLOG = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Sand Notes</title></head>
<body>
<header><h1 class="site-title"><a href="/" rel="home">Sand Notes</a></h1>
<p class="site-description">A blog about grains, one at a time</p>
<nav><a href="/">Home</a> <a href="/about/">About</a> <a href="/archive/">Archive</a></nav></header>
<div id="content"><article>
<h2 class="entry-title">Why some dunes sing and others stay silent</h2>
<p class="byline">Posted on <time datetime="2023-05-14">14 May 2023</time> by Julian Pastor</p>
<div class="entry-content">
<p>Some desert dunes produce a low hum that can be heard for kilometres, a sound that has puzzled travellers for centuries.</p>
<p>The grains of singing dunes are coated with a thin layer of silica only a few micrometres thick, the team found after comparing twelve dunes2.</p>
<p>Silent dunes, by contrast, have rougher grains whose friction damps the vibrations before they can build into a song.</p>
<table><tr><th>Dune</th><th>Frequency (Hz)</th></tr><tr><td>Tarfaya</td><td>95</td></tr><tr><td>Sossusvlei</td><td>105</td></tr></table>
<p>The researchers now want to test whether the coating can be reproduced in the laboratory on ordinary sand.</p>
</div>
<div class="footnotes"><h3>Notes</h3><ol><li id="note-1">An older post.</li><li id="note-2">Measured by electron microscopy on 400 grains.</li></ol></div>
</article></div>
<aside><h2>Recent posts</h2><ul><li><a href="/x/">What makes quicksand quick</a></li></ul></aside>
<footer><p>Proudly powered by WordPress</p></footer>
</body></html>
"""

CP1252_PAGE = (
    """<html lang="fr"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Société astronomique — Des amateurs confirment une exoplanète géante</title>
<meta name="author" content="Gérard Vuillemin">
<meta property="article:published_time" content="2020-04-07T18:42:00Z"></head>
<body><p class="logo"><a href="/" rel="home">Société astronomique</a></p>
<div class="cookie">Ce site ne dépose qu’un cookie technique de session.</div>
<article><h1>Des amateurs confirment une exoplanète géante</h1>
<p>Trois membres de notre commission « Photométrie » ont observé le transit d’une planète géante devant son étoile, située à 900 années-lumière.</p>
<p>Les mesures des nuits du 12 et du 28 février ont été publiées par l’équipe, qui dispose d’une caméra refroidie.</p>
<p>Le transit a duré 3 heures et 24 minutes et il est survenu à l’heure prévue à deux minutes près.</p>
</article><footer>Site propulsé par SPIP</footer></body></html>"""
).encode("cp1252")


def _body(page: bytes | str, name: str = "page.html") -> tuple:
    data = page.encode("utf-8") if isinstance(page, str) else page
    built = build_article(name, data)
    return built, " ".join(render_body(built.cleaned).split())


def test_french_page_metadata_and_text():
    src = read_html("page.html", FR_PAGE.encode("utf-8"))
    d = src.declared
    assert src.format == "html" and src.encoding == "utf-8"
    assert src.sha256 == hashlib.sha256(FR_PAGE.encode("utf-8")).hexdigest()
    assert d.title == "Sécheresse : les microbes du sol aident la vigne"  # og:title = h1 = <title> minus site
    assert d.date == "2023-10-12"
    assert d.authors == ("Claire Dumontet",)
    assert d.organisation == "Institut national de recherche pour les sols et le vivant (INRSV)"
    assert d.source_url == "https://www.inrsv.example/2023/10/12/vigne/"
    assert d.lang == "fr"
    assert src.text.startswith("# Sécheresse : les microbes du sol aident la vigne\n\n")
    assert src.text.count("les microbes du sol aident la vigne") == 1  # the headline is not repeated


def test_french_page_body_kept_chrome_gone():
    built, body = _body(FR_PAGE)
    assert built.metadata.title == "Sécheresse : les microbes du sol aident la vigne"
    assert built.metadata.input_kind == "html"
    for kept in (
        "Dans les parcelles du Languedoc, les pieds de vigne",
        "## Des pratiques qui font la différence",
        "- l’enherbement permanent d’un inter-rang sur deux ;",
        "> « Le sol n’est pas un simple support",
        "Parcelle expérimentale enherbée près de Pézenas.",
        "© INRSV / Thomas Vidal",
        "la physiologie de la vigne[^1].",
        "[^1]: Dumontet C. et al. (2023).",
        "où les sols diffèrent sensiblement.",
    ):
        assert kept in body, kept
    for chrome in (COOKIE, RELATED, FOOTER, "L’institut", "Vie des labos", "Référence", "vigne.jpg", "J’accepte"):
        assert chrome not in body, chrome


def test_site_name_title_and_glued_footnote_and_table():
    src = read_html("blog.html", EN_BLOG.encode("utf-8"))
    d = src.declared
    assert d.title == "Why some dunes sing and others stay silent"  # never "Sand Notes"
    assert d.organisation == "Sand Notes"
    assert d.date == "2023-05-14"
    assert d.authors == ("Julian Pastor",)
    assert d.lang == "en"
    assert "comparing twelve dunes[^2]." in src.text
    assert "[^2]: Measured by electron microscopy on 400 grains." in src.text
    assert "[^1]" not in src.text  # a note nothing refers to is no footnote
    assert "| Dune | Frequency (Hz) |\n| --- | --- |\n| Tarfaya | 95 |" in src.text
    for chrome in ("A blog about grains", "What makes quicksand quick", "Proudly powered", "Archive"):
        assert chrome not in src.text


def test_windows_1252_page_with_meta_charset():
    src = read_html("astro.html", CP1252_PAGE)
    assert src.encoding == "cp1252"
    assert src.declared.title == "Des amateurs confirment une exoplanète géante"
    assert src.declared.date == "2020-04-07"
    assert src.declared.authors == ("Gérard Vuillemin",)
    assert "Trois membres de notre commission « Photométrie » ont observé" in src.text
    assert "cookie technique" not in src.text and "SPIP" not in src.text


def test_og_title_that_disagrees_loses_to_h1_and_title():
    page = FR_PAGE.replace(
        'property="og:title" content="Sécheresse : les microbes du sol aident la vigne"',
        'property="og:title" content="Vigne : l’INRSV publie ses mesures"',
    ).replace("<title>Sécheresse : les microbes du sol aident la vigne | INRSV</title>",
              "<title>INRSV — Sécheresse : les microbes du sol aident la vigne</title>")
    assert read_html("p.html", page.encode()).declared.title == "Sécheresse : les microbes du sol aident la vigne"


def test_a_date_mentioned_in_the_text_is_not_the_date():
    page = CP1252_PAGE.replace(b'<meta property="article:published_time" content="2020-04-07T18:42:00Z">', b"")
    assert read_html("p.html", page).declared.date is None


def test_deterministic():
    data = FR_PAGE.encode("utf-8")
    assert read_html("p.html", data) == read_html("p.html", data)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"Just some words, no markup at all.\nSecond line.", "not an HTML page: no HTML tag found"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not an HTML page: binary data"),
        (b"<html><head><title>Site</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
         "no article text found in the HTML page"),
        (b"<html><body><p>" + b"x" * (MAX_BYTES + 1) + b"</p></body></html>", "HTML page too large"),
    ],
)
def test_errors_are_one_line(data, message):
    with pytest.raises(IngestError) as exc:
        read_html("bad.html", data)
    assert str(exc.value).startswith(message)
    assert "\n" not in str(exc.value)
    if message == "HTML page too large":
        assert "10 MiB limit" in str(exc.value)


def test_ingest_end_to_end_and_idempotent(tmp_path):
    sources, out = tmp_path / "sources", tmp_path / "out"
    sources.mkdir()
    (sources / "vigne.html").write_bytes(FR_PAGE.encode("utf-8"))
    first = ingest([sources], out)
    assert [r.status for r in first.results] == ["created"], [r.message for r in first.results]
    written = first.results[0].output
    text = written.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["input_kind"] == "html"
    assert front["title"] == "Sécheresse : les microbes du sol aident la vigne"
    assert front["date"] == "2023-10-12"
    assert front["lang"] == "fr"
    assert front["authors"] == ["Claire Dumontet"]
    assert front["organisation"] == "Institut national de recherche pour les sols et le vivant (INRSV)"
    assert front["source_url"] == "https://www.inrsv.example/2023/10/12/vigne/"
    assert COOKIE not in text and "Dans les parcelles du Languedoc" in text
    second = ingest([sources], out)
    assert [r.status for r in second.results] == ["unchanged"]
