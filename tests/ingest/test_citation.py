"""The study's DOI and journal, found in the text at ingest (``doi:`` / ``journal:``)."""

from __future__ import annotations

import pytest

from scidigest.frontmatter import split
from scidigest.ingest.citation import dois, journal
from scidigest.ingest.extract import extract
from scidigest.ingest.flow import build_article, clean_source
from scidigest.ingest.read import read_source
from scidigest.ingest.render import render_article
from scidigest.schema import validate_front_matter


def article_of(name: str, text: str) -> dict:
    built = build_article(name, text.encode("utf-8"))
    built.metadata.slug = "x"
    return split(render_article(built.metadata, built.cleaned), dates_as_text=True)[0]


def meta_of(text: str, sidecar=None):
    src = read_source("x.txt", text.encode("utf-8"))
    return extract(src, clean_source(src), sidecar).metadata


PRESS_RELEASE_FR = """Communiqué de presse
Paris, le 12 mars 2024

Des bactéries du sol qui dégradent le plastique

Une équipe de l'Inserm et du CNRS a identifié une enzyme bactérienne capable de dégrader le polyéthylène en quelques jours. Ces travaux sont publiés dans la revue *Nature Communications*.

Les chercheurs ont testé l'enzyme sur des échantillons prélevés dans dix décharges du pays. Les résultats, parus le 11 mars dans Nature Communications, montrent une dégradation de 40 % du plastique en une semaine, une note de 8,5/10 sur l'échelle de l'équipe.

Contact presse : Marie Dupont, 01 44 23 60 00, presse@inserm.fr

Référence
Dupont M. et al. A soil enzyme degrades polyethylene. Nature Communications, 2024. DOI : 10.1038/s41467-024-12345-6.
"""

NEWS_EN = """University news · 4 June 2023

Sleep spindles help the ageing brain keep memories

Older adults who produce more sleep spindles remember more of what they learned the day before, according to a study led by neuroscientists at the University of Exeter. The study, published today in the Journal of Neuroscience, followed 120 volunteers over two nights in the laboratory.

The team recorded brain activity during sleep and tested recall the next morning. "Spindles seem to protect memories from interference," said the lead author. The paper is available at https://doi.org/10.1523/JNEUROSCI.1234-22.2023.

For more information call +44 1392 723 000 or visit the laboratory's page.
"""

THESIS_FR = """Résumé de thèse

Nous avons étudié la plasticité des synapses de l'hippocampe chez la souris au cours du vieillissement. Nos résultats montrent que la densité des épines dendritiques diminue de 20 % entre 6 et 18 mois, et que cette perte est partiellement réversible après un enrichissement de l'environnement.

Nous avons ensuite mesuré l'expression de trois protéines synaptiques par western blot. Les niveaux de PSD-95 et de synaptophysine suivent la même évolution que la densité des épines. Ces travaux ouvrent la voie à de nouvelles stratégies pour préserver la mémoire au cours du vieillissement normal.
"""


def test_a_french_press_release_names_its_journal_in_italics_and_its_doi_in_the_reference_line():
    meta = meta_of(PRESS_RELEASE_FR)
    assert meta.journal == "Nature Communications"
    # the reference line is dropped from the body as boilerplate, the DOI is kept, without the final "."
    assert meta.doi == "10.1038/s41467-024-12345-6"


def test_an_english_news_page_names_its_journal_after_published_today_in_and_its_doi_in_a_url():
    meta = meta_of(NEWS_EN)
    assert meta.journal == "Journal of Neuroscience"  # "the" is not part of the name
    assert meta.doi == "10.1523/JNEUROSCI.1234-22.2023"  # the sentence's full stop is not part of it


def test_a_text_that_names_no_study_gets_neither_field_and_the_file_has_none():
    meta = meta_of(THESIS_FR)
    assert (meta.journal, meta.doi) == (None, None)
    front = article_of("these.txt", THESIS_FR)
    assert "journal" not in front and "doi" not in front


def test_the_fields_are_written_in_the_front_matter_and_pass_the_schema():
    front = article_of("communique.txt", PRESS_RELEASE_FR)
    assert front["journal"] == "Nature Communications"
    assert front["doi"] == "10.1038/s41467-024-12345-6"
    assert validate_front_matter(front) == []
    keys = list(front)
    assert keys.index("authors") < keys.index("journal") < keys.index("doi") < keys.index("kind")


def test_a_sidecar_wins_over_what_the_text_says():
    meta = meta_of(PRESS_RELEASE_FR, {"journal": "Nature Microbiology", "doi": "10.1038/s41564-024-00001-1"})
    assert (meta.journal, meta.doi) == ("Nature Microbiology", "10.1038/s41564-024-00001-1")


@pytest.mark.parametrize(("text", "expected"), [
    ("Les résultats de cette étude font l’objet d’une publication dans la revue Cell Stem Cell.", "Cell Stem Cell"),
    ("Cette étude, publiée dans Nature Neuroscience le 3 mai, révèle un nouveau mécanisme.", "Nature Neuroscience"),
    ("Les travaux, publiés ce jeudi dans la revue « Science », décrivent une nouvelle espèce.", "Science"),
    ("Ils sont parus dans la revue scientifique américaine PNAS.", "PNAS"),
    ("Les résultats ont été publiés dans l’American Journal of Psychiatry.", "American Journal of Psychiatry"),
    ("The findings were published in The Lancet Neurology.", "The Lancet Neurology"),
    ("The work is published in the journal Science Advances this week.", "Science Advances"),
    ("A paper published in *npj Parkinson's Disease* describes the trial.", "npj Parkinson's Disease"),
    ("It was published in 2021 in Frontiers in Psychology in March.", "Frontiers in Psychology"),
    ("The results were published in the New England Journal of Medicine on Monday.", "New England Journal of Medicine"),
    ("They published in Proceedings of the National Academy of Sciences.", "Proceedings of the National Academy of Sciences"),
    ("Les résultats sont publiés dans [eLife](https://elifesciences.org/articles/12345).", "eLife"),
    # an owner before the keyword is not the name; the name after the comma is
    ("The full results will be published later this year in the Society's journal, Soil Ecology and Evolution[^2].",
     "Soil Ecology and Evolution"),
])
def test_journal_after_a_publication_cue(text, expected):
    assert journal([text]) == expected


@pytest.mark.parametrize("text", [
    "Le rapport a été publié en anglais en janvier.",
    "The report was published in January 2021.",
    "The guide was published in English and Spanish.",
    "Publié dans : Neurosciences & Sciences cognitives",  # a web page's rubric field
    "Ce travail a été publié dans le cadre du programme européen.",
    "The first cases reported in Brazil were described in detail.",
    "The journal's editors declined to comment.",
    "Une revue de la littérature montre que le sommeil protège la mémoire.",
    "La revue de presse du jour.",
])
def test_no_journal_without_a_name_after_the_cue(text):
    assert journal([text]) is None


def test_a_name_cut_by_a_paragraph_break_is_read_whole():
    # a hard-wrapped PDF whose short last line became a paragraph of its own
    assert journal(["Ses travaux sont publiés dans la revue Advanced", "Materials Chemistry.",
                    "Des liaisons qui se font et se défont."]) == "Advanced Materials Chemistry"
    # a finished sentence is not continued into the next paragraph
    assert journal(["Le rapport est publié dans Le Monde.", "Science avance."]) == "Le Monde"


def test_the_journal_named_by_the_stronger_cue_and_most_often_wins():
    texts = ["Une première étude, publiée dans Neuron en 2019, avait ouvert la piste.",
             "Ces nouveaux travaux sont publiés dans la revue Cell Reports.",
             "Les résultats publiés dans Cell Reports confirment l'effet."]
    assert journal(texts) == "Cell Reports"
    assert journal(["publié dans Neuron", "publié dans Cell", "publié dans Neuron"]) == "Neuron"


@pytest.mark.parametrize(("text", "expected"), [
    ("doi:10.1016/j.stem.2021.09.002.", ["10.1016/j.stem.2021.09.002"]),
    ("Lentini C. et al. Cell Stem Cell, 2021. DOI : 10.1016/j.stem.2021.09.002", ["10.1016/j.stem.2021.09.002"]),
    ("[Lire l'étude](https://doi.org/10.1038/s41586-020-2012-7)", ["10.1038/s41586-020-2012-7"]),
    ("(voir https://dx.doi.org/10.1002/anie.201915678)", ["10.1002/anie.201915678"]),
    ("https://doi.org/10.1016%2Fj.cell.2020.01.001", ["10.1016/j.cell.2020.01.001"]),
    ("The Lancet, DOI 10.1016/S0140-6736(20)30183-5.", ["10.1016/S0140-6736(20)30183-5"]),  # its own brackets kept
    ("10.1234/abc; 10.1234/ABC and 10.5555/xyz:", ["10.1234/abc", "10.5555/xyz"]),  # once, case-insensitively
    (r"doi:10.1002/(SICI)1097-4636\_test", ["10.1002/(SICI)1097-4636_test"]),  # ingest's Markdown escape undone
])
def test_dois_in_text_urls_and_reference_lines(text, expected):
    assert dois(text) == expected


@pytest.mark.parametrize("text", [
    "Une note de 10.5/10 pour ce film.",
    "Appelez le 01.10.2345/67 ou le +33 1 10 23 45 67.",
    "Tél. : 10.12.34.56.78",
    "Version 110.1234/5678 du logiciel.",
    "La dose passe de 10.25 mg/kg à 20 mg/kg.",
    "Un prefixe seul 10.1234/ ne suffit pas.",
])
def test_no_doi_in_numbers_that_only_look_like_one(text):
    assert dois(text) == []


def test_a_sidecar_may_set_both_fields_and_a_malformed_doi_is_refused():
    from scidigest.ingest.model import IngestError
    from scidigest.sidecar import parse_sidecar

    assert parse_sidecar("journal: Nature <b>Neuroscience</b>\ndoi: 10.1038/nn.1234\n") == {
        "journal": "Nature Neuroscience", "doi": "10.1038/nn.1234"}  # markup reduced to its text
    with pytest.raises(IngestError, match="doi"):
        parse_sidecar("doi: 10.5/10\n")


THESIS_RECORD = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Root microbes and drought | Open Thesis Repository</title>
<meta name="citation_title" content="Root microbes and drought tolerance in vines">
<meta name="citation_journal_title" content="Soil Biology Reports">
<meta name="citation_doi" content="doi:10.5555/sbr.2023.0412">
<meta name="citation_publication_date" content="2023/10/12">
</head><body><main><article><h1>Root microbes and drought tolerance in vines</h1>
<p>Vines that resist dry summers best do not owe it to their variety alone. Over three seasons we sampled the roots of
two hundred vines in twelve vineyards and measured how much water each plant lost during the hottest weeks.</p>
<p>The vines whose roots hosted the most diverse fungal communities kept their leaves longest. We then grew cuttings in
sterilised and living soils to test whether the microbes themselves made the difference, and they did.</p>
</article></main></body></html>
"""


def test_an_html_page_that_declares_its_doi_and_journal_in_citation_metadata():
    front = article_of("record.html", THESIS_RECORD)
    assert (front["journal"], front["doi"]) == ("Soil Biology Reports", "10.5555/sbr.2023.0412")
    # a dc.identifier that is not a DOI is no DOI
    page = THESIS_RECORD.replace('name="citation_doi" content="doi:10.5555/sbr.2023.0412"',
                                 'name="dc.identifier" content="urn:isbn:978-2-1234-5680-3"')
    assert "doi" not in article_of("record.html", page)


def test_of_several_dois_the_one_beside_the_journal_is_the_study():
    from scidigest.ingest.citation import study_doi

    texts = ["An earlier study (doi:10.1000/old.2019.1) had found the enzyme.",
             "The new results are in Nature Catalysis: https://doi.org/10.1038/s41929-024-01111-1."]
    assert study_doi(texts, "Nature Catalysis") == "10.1038/s41929-024-01111-1"
    assert study_doi(texts, None) == "10.1000/old.2019.1"  # no journal named: the first, in reading order
    assert study_doi(["No reference here."], "Nature") is None
