"""Golden facts about the four seed sources: what a reader must find in each article.

These do not compare whole files (that would freeze every detail); they assert
the facts a wrong rule would break: title, date, organisation, authors,
headings, footnote, caption, tags, no boilerplate left, and every body
sentence of the source present in the article.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scidigest.frontmatter import split
from scidigest.ingest.preservation import check_preservation
from scidigest.ingest.read import read_source
from scidigest.ingest.render import render_article
from scidigest.ingest.writer import build_article, ingest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "sources"
PDF = "000_8d7b8a430bf18198.txt"
MARKDOWN = "001_59bebc85c305ed6e.txt"
WEBTEXT = "002_5ed7c71c8f2a451f.txt"
THESIS = "003_fa66833d02053d49.txt"


def _article(name: str):
    built = build_article(name, (SOURCES / name).read_bytes())
    text = render_article(built.metadata, built.cleaned)
    front, body = split(text)
    return built, text, front, body


@pytest.fixture(scope="module")
def articles():
    return {name: _article(name) for name in (PDF, MARKDOWN, WEBTEXT, THESIS)}


def headings(body: str) -> list[str]:
    return re.findall(r"^## (.+)$", body, re.M)


def test_pdf_press_release_metadata(articles):
    _, _, front, _ = articles[PDF]
    assert front["title"] == "Régénérer les neurones perdus, un pari réussi pour la recherche"
    assert front["date"] == "2021-09-30"
    assert front["kind"] == "press-release"
    assert front["input_kind"] == "pdf-wrapped"
    assert front["organisation"] == "Inserm"
    assert front["lang"] == "fr"
    assert front["authors"] == []  # "explique Christophe Heinrich" is a quote, not a byline
    assert front["description"].startswith("De nombreuses pathologies du système nerveux central")
    assert front["description"].endswith(".")


def test_pdf_press_release_body(articles):
    _, _, _, body = articles[PDF]
    assert headings(body) == [
        "Les cellules gliales en prolifération : une source cellulaire pour générer des neurones",
        "Des neurones fonctionnels intégrés dans le réseau épileptique",
    ]
    # footnote glued to its word, note text moved out of the page break
    assert "chirurgie stéréotaxique[^1], les gènes" in body
    assert re.search(r"^\[\^1\]: Technique utilisée en neurochirurgie .* dans l'espace\.$", body, re.M)
    assert "\n1 Technique" not in body
    # caption + credit as one caption block, not body text
    assert (
        "au sein d’un hippocampe de souris épileptique.  \n© Extrait de: Lentini et al., Cell Stem Cell, 2021.\n{: .caption }"
        in body
    )
    # hyphenation: compounds kept, no stray line breaks
    assert "pharmaco-résistante" in body and "non-neuronales" in body and "mésio-temporale" in body
    # the title, dateline and kicker are metadata, not body
    assert "Information presse" not in body and "Paris, le 30" not in body
    assert "Régénérer les neurones perdus, un pari" not in body
    # the paragraph that ended at a page break is followed by the next one intact
    assert "plus largement dans le cerveau.\n\nEnfin, grâce à des enregistrements électroencéphalographiques (EEG)" in body
    # French typography survives
    assert "« Ces résultats révèlent" in body and "», explique Christophe Heinrich" in body


def test_markdown_web_page_metadata(articles):
    _, _, front, _ = articles[MARKDOWN]
    assert front["title"] == "Résistance aux antidépresseurs : des neurones capables de s'auto-réguler"
    assert front["date"] == "2018-10-01"  # "Créé le 01/10/2018 - 18:06"
    assert front["authors"] == ["Georges Simmonds"]  # not the site account "mogirard"
    assert front["organisation"] == "RT Flash"
    assert front["source_url"] == "https://www.rtflash.fr/resistance-antidepresseurs-neurones-capables-s-autoreguler/article"
    assert front["categories"] == ["Neurosciences & Sciences cognitives"]
    assert front["tags"] == ["antidépresseurs", "cerveau", "molécules", "neurones", "psychiatrie"]
    assert front["kind"] == "news-article"
    assert front["input_kind"] == "web-markdown"


def test_markdown_web_page_body_has_no_boilerplate(articles):
    _, _, _, body = articles[MARKDOWN]
    for noise in ("police", "Imprimer", "Version PDF", "Tweeter", "•", "avis", "zoom", "Noter cet article",
                  "Recommander", "consultations", "Partager", "Facebook", "Viadeo", "Wikio", "(#)",
                  "URL source", "mogirard", "Créé le", "commentaire", "Article rédigé par", "---"):
        assert noise not in body, noise
    assert headings(body) == []  # the duplicated title is gone
    # inline HTML kept, as real subscript
    assert body.count("5-HT<sub>2B</sub>") == 5 and "5-HT<sub>1A</sub>" in body
    # a paragraph split by a stray blank line is joined again
    assert "permet d'activer des neurones possédant des récepteurs spécifiques à ce neurotransmetteur." in body


def test_web_text_page(articles):
    _, _, front, body = articles[WEBTEXT]
    assert front["title"] == "L’imagerie TEP éclaire l’action de la kétamine sur la dépression"
    assert front["date"] == "2026-01-21"
    assert front["organisation"] == "CEA"
    assert front["categories"] == [
        "Découvertes et avancées", "Résultat scientifique", "Santé & sciences du vivant", "Cerveau", "Imagerie médicale",
    ]
    assert front["input_kind"] == "web-text"
    assert front["description"].startswith("Grâce à une nouvelle approche de neuroimagerie moléculaire")
    assert headings(body) == [
        "Une imagerie avancée pour visualiser les synapses",
        "Des effets différenciés selon le mode de traitement",
        "Une avancée majeure pour la recherche et la clinique",
    ]
    for noise in ("Vous êtes ici", "Haut de page", "Publié le", "Résultat scientifique |"):
        assert noise not in body
    assert "L’imagerie TEP éclaire" not in body  # title not repeated
    assert "permet\u00a0de relier" in body  # non-breaking space kept as in the source


def test_thesis_summary_without_title_or_date(articles):
    built, _, front, body = articles[THESIS]
    assert front["input_kind"] == "pdf-double-spaced"
    assert front["kind"] == "thesis-summary"
    assert "date" not in front
    assert front["title_generated"] is True
    # built from key phrases, not the first words of the text
    assert not front["title"].startswith("Le choc septique est")
    assert "cellules stromales mésenchymateuses" in front["title"].lower()
    assert any("no publication date" in w for w in built.warnings)
    assert any("title:" in w and ".meta.yaml" in w for w in built.warnings)
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert len(paragraphs) == 6
    assert "les CSM-GW semblent plus avantageuses que les CSM-MO." in body
    assert "Les travaux pré-cliniques ont permis" in body
    assert "\n\n\n" not in body


@pytest.mark.parametrize("name", [PDF, MARKDOWN, WEBTEXT, THESIS])
def test_every_source_word_is_kept_or_explained(articles, name):
    built, text, _, _ = articles[name]
    source = read_source(name, (SOURCES / name).read_bytes())
    report = check_preservation(source.text, built.cleaned, text)
    assert report.unexplained == []


@pytest.mark.parametrize("name", [PDF, MARKDOWN, WEBTEXT, THESIS])
def test_every_body_sentence_is_present(articles, name):
    """Sentences of the source (joined across wrapped lines) appear verbatim in the article."""
    built, text, _, body = articles[name]
    source = read_source(name, (SOURCES / name).read_bytes()).text
    flat = re.sub(r"\s+", " ", re.sub(r"([^\W\d_])-\s*\n\s*", r"\1-", source))
    flat_body = re.sub(r"\[\^\d+\]", "", re.sub(r"\s+", " ", body))
    sentences = re.findall(r"[A-ZÀ-Ý«][^.!?]{30,}?[.!?]", flat)
    kept_lines = [re.sub(r"\s+", " ", ln).strip() for ln in built.cleaned.dropped + built.cleaned.meta_lines]
    checked = 0
    for sentence in sentences:
        if any(line and (line in sentence or sentence[:25] in line) for line in kept_lines):
            continue
        s = re.sub(r"\d(?=[ ,])", "", sentence) if name == PDF else sentence
        probe = s.replace("chercheu- rs", "chercheurs")
        # compare on words only: hyphen joins may differ in spacing
        words = re.findall(r"[^\W\d_]+", probe)
        assert " ".join(words) in " ".join(re.findall(r"[^\W\d_]+", flat_body + " " + text)), sentence
        checked += 1
    assert checked >= 10


def test_committed_articles_match_a_fresh_ingest(tmp_path):
    """docs/articles holds exactly what ingest produces from sources/ (no stale output committed)."""
    report = ingest([SOURCES], tmp_path)
    assert [r.status for r in report.results] == ["created"] * len(report.results)
    for result in report.results:
        committed = ROOT / "docs" / "articles" / result.output.name
        assert committed.read_text(encoding="utf-8") == result.output.read_text(encoding="utf-8"), committed.name
