"""The line rules of cleaning (ingest/rules.py): each named rule and its typed decision."""

from __future__ import annotations

import pytest

from scidigest.ingest import rules
from scidigest.ingest.bylines import Byline
from scidigest.ingest.extract import extract
from scidigest.ingest.flow import clean_source
from scidigest.ingest.read import read_source

CTX = rules.Context()


def test_the_table_names_every_rule_once_in_its_order():
    names = [n for n, _ in rules.LINE_RULES]
    assert len(names) == len(set(names))
    # the order is part of the rules: the date before the pipe list, the tag cloud before the
    # empty-link rule, the byline after the widgets
    assert names.index("date line") < names.index("pipe list")
    assert names.index("tag cloud") < names.index("widget") < names.index("byline")


def test_blank_and_horizontal_rules_are_dropped():
    assert rules.decide("   ", CTX) == rules.Drop("blank or horizontal rule")
    assert rules.decide("* * *".replace(" ", ""), CTX) == rules.Drop("blank or horizontal rule")


def test_a_long_line_is_never_lifted():
    long = "Publié le 3 mars 2022 " + "et une phrase qui continue encore " * 8
    assert len(long) > rules.MAX_LINE and rules.decide(long, CTX) is None


def test_date_line_carries_the_parsed_date():
    d = rules.decide("Mis en ligne le 12 octobre 2021", CTX)
    assert isinstance(d, rules.Lift) and d.field == "date" and d.value.iso == "2021-10-12"


def test_a_dated_rubric_is_a_date_not_categories():
    d = rules.decide("Actualité | IRSE | Brest, le 14 mars 2019", CTX)
    assert d.rule == "date line" and d.value.iso == "2019-03-14"


def test_pipe_list_gives_categories_before_the_body_only_when_short():
    d = rules.decide("Océans | Climat | Biodiversité", CTX)
    assert d == rules.Lift("pipe list", "categories", ["Océans", "Climat", "Biodiversité"])


def test_labelled_fields_give_their_values():
    d = rules.decide("Mots-clés : glaciers, lacs ; radar", CTX)
    assert d.field == "tags" and d.value == ["glaciers", "lacs", "radar"]
    d = rules.decide("URL source : https://labo.example.org/actu/lacs", CTX)
    assert d == rules.Lift("labelled source", "source_url", "https://labo.example.org/actu/lacs")


def test_a_bare_url_is_the_source_url():
    d = rules.decide("<https://labo.example.org/actu/lacs>", CTX)
    assert d == rules.Lift("bare URL", "source_url", "https://labo.example.org/actu/lacs")


def test_a_tag_cloud_needs_a_known_category_in_context():
    line = "[Glaciologie lacs radar Groenland](#)"
    assert rules.tag_cloud(line, rules.Context()) is None
    d = rules.tag_cloud(line, rules.Context(categories=["Glaciologie"]))
    assert d.field == "tags" and d.value == ["lacs", "radar", "Groenland"]


def test_widgets_and_empty_links_are_dropped_with_their_reason():
    # dead links ("[text](#)") and nothing else: a widget row of a saved page
    assert rules.decide("[Imprimer](#) · [Envoyer](#)", CTX) in (rules.Drop("empty links"), rules.Drop("widget"))
    assert rules.decide("[Réagir](#) [Suivre le labo](#) -", CTX) == rules.Drop("empty links")


def test_a_kicker_is_lifted_only_before_the_body():
    d = rules.kicker("Communiqué de presse", rules.Context())
    assert d is not None and d.field == "kicker"
    assert rules.kicker("Communiqué de presse", rules.Context(body_started=True)) is None


@pytest.mark.parametrize(
    "line, authors, account",
    [
        ("*Par Jeanne Martin*", ["Jeanne Martin"], None),  # emphasised byline: still an author
        ("**By Tomás Ferreira**", ["Tomás Ferreira"], None),
        ("Par *jmartin*", [], "jmartin"),  # an emphasised handle: the site account
    ],
)
def test_byline_rule_parses_emphasised_bylines(line, authors, account):
    d = rules.decide(line, CTX)
    assert d.rule == "byline" and isinstance(d.value, Byline)
    assert (d.value.authors, d.value.account) == (authors, account)


def test_the_title_repeated_in_the_page_is_dropped():
    assert rules.decide("Des lacs sous la glace", rules.Context(title="Des lacs sous la glace")) == rules.Drop(
        "title repeated")


def test_an_emphasised_byline_becomes_the_author_end_to_end():
    text = ("# Des lacs cachés accélèrent les glaciers du Groenland\n\n*Par Jeanne Martin*\n\n"
            "Publié le 3 mars 2022\n\nDes relevés [radar](https://labo.example.org/radar) effectués au-dessus "
            "du nord du Groenland révèlent des dizaines de lacs inconnus piégés sous la glace.\n")
    src = read_source("x.md", text.encode("utf-8"))
    cleaned = clean_source(src)
    meta = extract(src, cleaned).metadata
    assert meta.authors == ["Jeanne Martin"] and meta.date == "2022-03-03"
    assert not any("Jeanne Martin" in b.text for b in cleaned.blocks)
