"""Stage 1b: extractor artefacts (pandoc markup, setext headings, pdftotext -layout columns)."""

from __future__ import annotations

from scidigest.ingest.artefacts import (
    is_pandoc,
    normalise,
    setext_to_atx,
    split_layout_columns,
    strip_pandoc,
)

PANDOC_PAGE = """::: {#page .site}
[Aller au contenu
principal](https://labo.example.org/#content){.skip-link
.screen-reader-text}

::: entry-header
[Vie des labos]{.cat-links .rubric}

# Des lichens pour suivre la pollution des vallées {#des-lichens .entry-title}

::: entry-meta
[Publié le 3 mai 2021]{.posted-on} [par [Anne Roux]{.author
.vcard}]{.byline}
:::
:::

Les lichens --- ces associations d'une algue et d'un champignon --- réagissent
vite à l'air qu'ils respirent[^1].
:::
"""


def test_pandoc_fences_attributes_and_spans_go_text_stays():
    assert is_pandoc(PANDOC_PAGE)
    out = strip_pandoc(PANDOC_PAGE)
    assert ":::" not in out and "{." not in out and "{#" not in out and "]{" not in out
    assert "# Des lichens pour suivre la pollution des vallées\n" in out
    assert "Publié le 3 mai 2021 par Anne Roux" in out
    # a link keeps its target, loses its attributes, even wrapped over lines
    assert "principal](https://labo.example.org/#content)" in out
    assert "Les lichens — ces associations d'une algue et d'un champignon — réagissent" in out
    assert "[^1]" in out  # a footnote reference is Markdown, not a pandoc artefact


def test_plain_text_and_markdown_without_pandoc_evidence_pass_unchanged():
    text = "Titre\n\nUn paragraphe avec {accolades} et un lien [ici](https://a.example).\n"
    assert not is_pandoc(text)
    assert normalise(text) is text


def test_setext_headings_become_atx_but_rules_and_list_dashes_do_not():
    text = "Un crâne fossile décrit\n=======================\n\nTexte.\n\nSection\n-------\n\nSuite.\n"
    out = setext_to_atx(text)
    assert out.startswith("# Un crâne fossile décrit\n")
    assert "\n## Section\n" in out
    # a paragraph's last line followed by a short rule is not a heading of the whole paragraph
    para = "Une phrase longue qui continue\nsur une seconde ligne de texte courant\n---\n"
    assert setext_to_atx(para) == para
    # "- item" lines are a list, not a heading underline
    assert setext_to_atx("- un\n- deux\n") == "- un\n- deux\n"


def _two_columns(left: list[str], right: list[str], gutter: int = 50) -> str:
    rows = []
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        rows.append((a.ljust(gutter) + b).rstrip())
    return "\n".join(rows)


LEFT = [
    "Les prairies de fauche du plateau ont",
    "perdu un tiers de leurs espèces en vingt",
    "ans, selon un inventaire conduit dans",
    "quarante parcelles suivies depuis 2003.",
    "",
    "Les botanistes ont compté les plantes",
    "à fleurs sur des carrés d'un mètre de",
    "côté, chaque printemps, avant la fauche.",
]
RIGHT = [
    "Le recul touche surtout les espèces",
    "tardives, dont les graines n'ont plus le",
    "temps de mûrir quand la fauche avance de",
    "trois semaines, comme c'est le cas sur",
    "la moitié des parcelles étudiées.",
    "",
    "Des fauches plus tardives sont testées",
    "depuis deux ans sur six exploitations.",
]


def test_layout_columns_are_read_left_then_right_with_full_width_lines_in_place():
    headline = "Les prairies de fauche perdent leurs fleurs tardives : un inventaire de vingt ans"
    page = headline + "\n\n" + _two_columns(LEFT, RIGHT)
    out = split_layout_columns(page)
    assert out.index(headline) < out.index("Les prairies de fauche du plateau ont")
    left_end = out.index("côté, chaque printemps, avant la fauche.")
    right_start = out.index("Le recul touche surtout les espèces")
    assert left_end < right_start
    # no line holds text from both columns
    for line in out.split("\n"):
        assert not ("fauche" in line and "recul" in line)
    assert "perdu un tiers de leurs espèces en vingt\nans, selon" in out


def test_a_blank_row_inside_a_column_sentence_is_mended():
    left = LEFT[:3] + [""] + LEFT[3:4] + LEFT[4:]  # the other column's figure made a blank row
    left[4] = "quarante parcelles suivies depuis 2003."
    out = split_layout_columns(_two_columns(left, RIGHT))
    assert "ans, selon un inventaire conduit dans\nquarante parcelles" in out


def test_one_column_layout_text_is_unchanged():
    text = "\n".join(
        ["    Une colonne de texte avec un retrait, sans gouttière entre deux colonnes,"] * 12
        + ["Institut des prairies                                        Page 1 sur 2"]
    )
    assert split_layout_columns(text) is text
