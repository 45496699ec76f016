"""Metadata rules: dates, bylines, organisation, kind, description, generated titles."""

from __future__ import annotations

import pytest

from scidigest.ingest.bylines import parse_byline
from scidigest.ingest.dates import find_date
from scidigest.ingest.extract import describe, extract, first_organisation
from scidigest.ingest.flow import clean_source
from scidigest.ingest.keyphrases import propose_title
from scidigest.ingest.read import read_source


def meta_of(text: str, sidecar=None):
    src = read_source("x.txt", text.encode("utf-8"))
    return extract(src, clean_source(src), sidecar)


@pytest.mark.parametrize(
    "line, iso",
    [
        ("Paris, le 30 septembre 2021", "2021-09-30"),
        ("Publié le\u00a021 janvier 2026", "2026-01-21"),
        ("Créé le 01/10/2018 - 18:06", "2018-10-01"),
        ("Publié le 1er févr. 2020", "2020-02-01"),
        ("Mis en ligne le lundi 3 mars 2025 à 10h30", "2025-03-03"),
        ("September 30, 2021", "2021-09-30"),
        ("Published on 5 May 2023", "2023-05-05"),
        ("Lyon, le 2 août 2022", "2022-08-02"),
        # metadata lines told by their make-up: names, separators, counters around the date
        ("Submitted by Aileen Marsh on 9 Feb 2018", "2018-02-09"),
        ("jeudi 6 juillet 2017 — Paul Verdier 3 412 vues · 4 minutes", "2017-07-06"),
        ("NEWS RELEASE · For immediate release · 11 October 2022", "2022-10-11"),
        ("COMMUNIQUÉ | IRSE | Brest, le 14 mars 2019", "2019-03-14"),
        ("Written by Omar Haddad, Graduate School · Available online: 03-Nov-2020", "2020-11-03"),
        ("EMBARGOED – 26.05.2021", "2021-05-26"),
        ("Press notice · Embargoed until 00:01 BST, Tuesday 8 June 2021", "2021-06-08"),
        ("[7]2 févr. 2024 par [8]Inès Carvalho 3 min de lecture", "2024-02-02"),
    ],
)
def test_publication_date_forms(line, iso):
    hit = find_date(line)
    assert hit is not None and hit.iso == iso


@pytest.mark.parametrize(
    "line",
    [
        "En 2020, des publications ont montré un intérêt potentiel des CSM.",
        "Le 12 mai 2023, le CNRS a publié une étude majeure sur les neurones du cerveau humain.",
        "dans le contexte du Grand Défi en Aout 2020 (UTCT et Laboratoire)",
        "31/02/2020",
        # a date in a short sentence is still inside a sentence: ordinary words around it
        "Le 12 mars 2023, Marie Dupont a rejoint l'Institut Pasteur",
        "The survey started on 4 March 2019 and ended a year later.",
    ],
)
def test_dates_inside_sentences_or_impossible_dates_are_not_publication_dates(line):
    assert find_date(line) is None


def test_publication_cue_beats_a_bare_date_and_an_update_date():
    text = (
        "Un titre d’article pour le test\n\nMis à jour le 5 mai 2024\n\nLundi, 02/01/2023 - 17:06\n\n"
        "Publié le 3 janvier 2023\n\nUn paragraphe du corps de l'article. Une autre phrase du corps.\n"
    )
    assert meta_of(text).metadata.date == "2023-01-03"


def test_no_date_is_never_invented_and_is_reported():
    ext = meta_of("Un titre d’article pour le test\n\nEn 2019 la start-up a été créée. Une phrase de plus ici.\n")
    assert ext.metadata.date is None
    assert any("no publication date" in w and ".meta.yaml" in w for w in ext.warnings)


@pytest.mark.parametrize(
    "line, authors, org, account",
    [
        ("Article rédigé par Georges Simmonds pour RT Flash", ["Georges Simmonds"], "RT Flash", None),
        ("Par *mogirard*", [], None, "mogirard"),
        ("Par Marie Curie et Pierre Curie", ["Marie Curie", "Pierre Curie"], None, None),
        ("By Jane Doe, for Nature News", ["Jane Doe"], "Nature News", None),
        ("By Tomás Ferreira, science writer", ["Tomás Ferreira"], None, None),
    ],
)
def test_bylines(line, authors, org, account):
    by = parse_byline(line)
    assert (by.authors, by.organisation, by.account) == (authors, org, account)


@pytest.mark.parametrize(
    "line",
    ["Par ailleurs, les chercheurs ont montré un effet.", "« C’est une avancée », explique Christophe Heinrich.",
     "Lentini et al., Cell Stem Cell, 2021."],
)
def test_sentences_quotes_and_references_are_not_bylines(line):
    assert parse_byline(line) is None


def test_quoted_researcher_is_not_an_author():
    text = ("Un titre d’article pour le test\n\nPublié le 3 janvier 2023\n\n"
            "« Ces résultats sont prometteurs », explique Christophe Heinrich, concepteur de l’étude.\n")
    assert meta_of(text).metadata.authors == []


def test_organisation_is_the_first_research_body_named_in_a_press_release():
    assert first_organisation("une équipe de l’Inserm1, du CNRS et de l’Université") == "Inserm"
    assert first_organisation("une collaboration impliquant le CEA-Joliot a suivi") == "CEA"
    assert first_organisation("une créature océanique") is None  # 'CEA' inside a word is not the CEA


def test_thesis_summary_gets_no_publisher_from_a_partner_lab():
    text = ("Nous avons étudié les cellules de la moelle. Notre objectif était de comparer nos modèles "
            "avec l’unité Inserm 1116. Nous avons obtenu des résultats nets.\n")
    m = meta_of(text).metadata
    assert m.kind == "thesis-summary" and m.organisation is None


def test_description_is_cut_at_a_sentence_end():
    para = "Première phrase courte. " + "Deuxième phrase " + "très " * 80 + "longue. Troisième."
    assert describe(para) == "Première phrase courte."
    assert describe("Une seule phrase sans fin nette") == "Une seule phrase sans fin nette"


def test_generated_title_uses_key_phrases_not_first_words():
    text = ("Le choc septique est une cause majeure de mortalité. Les cellules stromales mésenchymateuses (CSM) "
            "sont étudiées. Les CSM améliorent la survie. Les CSM réduisent la bactériémie. "
            "Le choc septique reste grave. Les CSM-GW sont plus efficaces dans le choc septique.")
    title = propose_title(text, "fr")
    assert title.startswith("Cellules stromales mésenchymateuses")
    assert "choc septique" in title


def test_sidecar_overrides_and_completes_fields():
    text = "Un titre d’article pour le test\n\nUn paragraphe du corps de l'article. Une autre phrase ici.\n"
    m = meta_of(text, {"title": "Titre choisi : « vrai »", "date": "2020-01-02", "tags": ["a"], "organisation": "Inserm"}).metadata
    assert (m.title, m.date, m.tags, m.organisation, m.title_generated) == ("Titre choisi : « vrai »", "2020-01-02", ["a"], "Inserm", False)


def test_english_source_is_detected_as_english():
    text = ("A short title for a test article\n\nResearchers have shown that new neurons can be generated in the adult brain. "
            "The study was published in a major journal and received wide attention.\n")
    assert meta_of(text).metadata.lang == "en"


@pytest.mark.parametrize(
    "line, iso",
    [("Publié le 3 février 2025", "2025-02-03"), ("Paris, le 12 décembre 2024", "2024-12-12"), ("Publié le 1er août 2020", "2020-08-01")],
)
def test_accented_month_names_are_matched_directly(line, iso, monkeypatch):
    """Accented months must not depend on the slow free-form fallback."""
    import scidigest.ingest.dates as dates

    monkeypatch.setattr(dates, "_dateparser_fallback", lambda phrase: None)
    dates.find_date.cache_clear()
    assert dates.find_date(line).iso == iso


def test_a_rubric_line_with_a_date_is_a_date_not_a_list_of_categories():
    text = ("COMMUNIQUÉ DE PRESSE | IRSE | Brest, le 14 mars 2019\n\n"
            "Les herbiers marins de la rade reculent moins vite que prévu\n\n"
            "Une campagne de plongées menée sur trois étés montre que les herbiers de zostères de la rade "
            "se maintiennent sur la plupart des sites suivis depuis dix ans, selon les chercheurs.\n")
    meta = meta_of(text).metadata
    assert meta.date == "2019-03-14"
    assert not any("2019" in c for c in meta.categories)


def test_byline_and_date_wrapped_with_share_buttons_gives_the_date_and_leaves_the_body():
    text = ("Les herbiers marins de la rade reculent moins vite que prévu\n\n"
            "Posted on May 3, 2022 by Lena Brandt 4 minute read\nShare on: Facebook Mastodon Email Print this page\n\n"
            "A three-summer diving survey shows that eelgrass meadows in the bay are holding on at most of the "
            "sites followed for ten years, the researchers report in a new study.\n")
    src = read_source("x.txt", text.encode("utf-8"))
    cleaned = clean_source(src)
    assert extract(src, cleaned).metadata.date == "2022-05-03"
    assert not any("Share on" in b.text for b in cleaned.blocks)
