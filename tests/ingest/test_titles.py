"""Titles found by layout evidence in any extractor's text (stage 3b scoring + cleaning)."""

from __future__ import annotations

from scidigest.ingest.flow import clean_source
from scidigest.ingest.read import read_source

LEDE = (
    "Des relevés radar effectués au-dessus du nord du Groenland révèlent des dizaines de lacs "
    "inconnus piégés sous la glace. Quand ils se vident, les glaciers situés au-dessus accélèrent "
    "pendant plusieurs semaines, selon une étude publiée cette semaine.\n\n"
    "Les chercheurs ont survolé la calotte pendant trois campagnes de printemps et comparé les "
    "images avec les vitesses mesurées par satellite sur les mêmes glaciers, saison après saison.\n"
)


def title_of(text: str) -> str | None:
    return clean_source(read_source("x.txt", text.encode("utf-8"))).title


def test_a_headline_wrapped_by_the_pdf_over_two_lines_is_joined_even_after_a_capital():
    text = "Communiqué de presse\n\nDes lacs cachés accélèrent les glaciers\nGroenlandais du nord-ouest\n" + "\n" + LEDE
    assert title_of(text) == "Des lacs cachés accélèrent les glaciers Groenlandais du nord-ouest"


def test_a_headline_over_three_printed_lines_is_a_title():
    text = ("INSTITUT POLAIRE DES GLACES\n\nParis, le 2 mars 2022\n\nDes lacs cachés sous la glace\n"
            "accélèrent les grands glaciers\ndu nord-ouest du Groenland\n" + LEDE)
    assert title_of(text) == "Des lacs cachés sous la glace accélèrent les grands glaciers du nord-ouest du Groenland"


def test_share_widgets_bylines_and_letterhead_addresses_are_not_titles():
    text = ("CENTRE DES GLACES POLAIRES 12, rue des Frimas – 38000 Grenoble www.glaces-polaires.fr\n\n"
            "Des lacs cachés accélèrent les glaciers du Groenland\n\n"
            "Par Hélène Brun, journaliste scientifique\n\n"
            "Partagez : Facebook Mastodon LinkedIn Imprimer\n\n" + LEDE)
    assert title_of(text) == "Des lacs cachés accélèrent les glaciers du Groenland"


def test_an_html2text_heading_wrapped_at_the_body_width_is_joined():
    body = "\n".join(
        ["Les chercheurs ont survolé la calotte pendant trois campagnes de printemps et"] * 12
    )
    text = ("# Des lacs cachés sous la glace accélèrent les glaciers du nord-ouest du\nGroenland\n\n"
            + body + "\n\nUn [lien](https://glaces.example.org/a) et **du gras** pour le Markdown.\n\n"
            "- une liste\n- de deux points\n")
    assert title_of(text) == "Des lacs cachés sous la glace accélèrent les glaciers du nord-ouest du Groenland"


def test_the_publishers_about_section_after_the_article_goes_but_a_section_about_the_study_stays():
    text = (
        "Des lacs cachés accélèrent les glaciers du Groenland\n\n" + LEDE + "\n"
        "À propos de l'étude\n\n"
        "Les mesures couvrent trois printemps et quarante glaciers, avec des vols répétés chaque année "
        "sur les mêmes lignes de vol au-dessus de la calotte.\n\n"
        "À propos de l'Institut polaire des glaces\n\n"
        "Créé en 1971, l'Institut polaire des glaces conduit des recherches sur les calottes et les "
        "glaciers de montagne avec 300 agents répartis sur quatre sites.\n"
    )
    src = read_source("x.txt", text.encode("utf-8"))
    body = " ".join(b.text for b in clean_source(src).blocks)
    assert "Créé en 1971" not in body and "Institut polaire des glaces" not in body
    assert "Les mesures couvrent trois printemps" in body
