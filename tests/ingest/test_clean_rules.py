"""Each cleaning rule on small hand-made inputs, including the tricky cases."""

from __future__ import annotations

import pytest

from scidigest.ingest.flow import clean_source
from scidigest.ingest.hyphenation import keep_hyphen
from scidigest.ingest.model import BlockKind, InputKind
from scidigest.ingest.paragraphs import detect_kind, plain_blocks
from scidigest.ingest.read import read_source
from scidigest.ingest.sanitize import escape_block_start, safe_links, sanitize_html


def cleaned(text: str):
    return clean_source(read_source("t.txt", text.encode("utf-8")))


def paragraphs(c) -> list[str]:
    return [b.text for b in c.blocks if b.kind is BlockKind.PARAGRAPH]


WRAPPED = (
    "De nombreuses pathologies du système nerveux central sont associées à une \n"
    "mort de neurones sans que le cerveau ne soit capable de les régénérer. Ce \n"
    "phénomène est observé chez les patients que les chercheu-\n"
    "rs suivent depuis des années dans plusieurs hôpitaux de la région. \n"
    "Cell Stem Cell. \n"
    " Notre cerveau est globalement dépourvu de capacités régénératives pour remplacer \n"
    "les neurones endommagés ou perdus dans la forme pharmaco-\n"
    "résistante de la maladie, la plus fréquente chez l'adulte et chez l'enfant. \n"
)


# --- kind detection -------------------------------------------------------------------------
def test_hard_wrapped_text_is_detected_as_pdf():
    assert detect_kind(WRAPPED) is InputKind.PDF_WRAPPED


def test_double_spaced_text_is_detected_as_such():
    assert detect_kind(WRAPPED.replace("\n", "\n\n")) is InputKind.PDF_DOUBLE_SPACED


def test_one_line_per_paragraph_is_web_text():
    text = "Titre de la page\n\nUne phrase complète qui forme un paragraphe entier.\n\nUne autre phrase complète.\n"
    assert detect_kind(text) is InputKind.WEB_TEXT


def test_markdown_is_detected_from_its_syntax_not_the_file_name():
    text = "# Titre\n\n- [Imprimer](#)\n- [Partager](#)\n\nTexte avec un [lien](https://a.fr).\n"
    assert detect_kind(text) is InputKind.WEB_MARKDOWN


# --- paragraphs -----------------------------------------------------------------------------
def test_wrapped_lines_become_paragraphs_split_at_short_sentence_end_and_indent():
    c = cleaned(WRAPPED)
    paras = paragraphs(c)
    assert len(paras) == 2
    assert paras[0].startswith("De nombreuses pathologies") and paras[0].endswith("Cell Stem Cell.")
    assert paras[1].startswith("Notre cerveau")
    assert "\n" not in paras[0]


def test_double_spaced_lines_become_the_same_paragraphs():
    assert paragraphs(cleaned(WRAPPED.replace("\n", "\n\n"))) == paragraphs(cleaned(WRAPPED))


def test_hard_break_with_trailing_double_space_ends_a_paragraph():
    text = WRAPPED.replace("régénérer. Ce \n", "régénérer.  \nCe ")
    c = cleaned(text)
    assert paragraphs(c)[0].endswith("les régénérer.")


def test_paragraph_cut_by_a_stray_blank_line_is_joined_again():
    text = "# Titre de test\n\n- [Imprimer](#)\n\nLa libération permet d'activer des neurones possédant des\n\nrécepteurs spécifiques. Fin.\n"
    assert paragraphs(cleaned(text)) == ["La libération permet d'activer des neurones possédant des récepteurs spécifiques. Fin."]


def test_sentence_cut_by_a_page_break_and_footnote_is_joined_again():
    text = (
        WRAPPED
        + "Les chercheurs ont utilisé une chirurgie stéréotaxique1 pour insérer les gènes dans le \n"
        + "cerveau des souris au niveau du foyer épileptique à l’aide de \n"
        + "\n\n" + " " * 40 + "\n"
        + "1 Technique utilisée en neurochirurgie pour atteindre des zones du cerveau. \n\n\n"
        + "vecteurs viraux désactivés. \n"
    )
    c = cleaned(text)
    assert any("à l’aide de vecteurs viraux désactivés." in p for p in paragraphs(c))
    assert c.footnotes == {"1": "Technique utilisée en neurochirurgie pour atteindre des zones du cerveau."}
    assert any("stéréotaxique[^1] pour" in p for p in paragraphs(c))


# --- hyphenation ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "left, right, keep",
    [
        ("chercheu", "rs", False),
        ("régé", "nérer", False),
        ("électroencé", "phalographiques", False),
        ("pharmaco", "résistante", True),
        ("non", "neuronales", True),
        ("post", "traumatique", True),
        ("CSM", "MO", True),
        ("SARS", "CoV", True),
        ("sous", "tendent", True),
        ("porte", "monnaie", True),
    ],
)
def test_line_end_hyphen_is_a_syllable_break_or_a_compound(left, right, keep):
    assert keep_hyphen(left, right) is keep


def test_document_evidence_beats_word_frequencies():
    assert keep_hyphen("mé", "sio", "l’épilepsie mésio-temporale et la forme mésio") is False
    assert keep_hyphen("auto", "régulation", "une auto-régulation fine") is True


def test_hyphenation_inside_real_text():
    paras = paragraphs(cleaned(WRAPPED))
    assert "que les chercheurs suivent" in paras[0]
    assert "pharmaco-résistante" in paras[1]


# --- title and headings ---------------------------------------------------------------------
def test_title_is_lifted_and_not_repeated_in_the_body():
    text = "Un titre assez long pour un article\n\n" + WRAPPED + "\nUn titre assez long pour un article\n"
    c = cleaned(text)
    assert c.title == "Un titre assez long pour un article"
    assert all("Un titre assez long" not in b.text for b in c.blocks)


def test_short_title_like_line_between_paragraphs_becomes_a_heading():
    text = WRAPPED + "\nDes neurones fonctionnels intégrés dans le réseau\n\n" + WRAPPED
    c = cleaned("Titre principal de l’article\n\n" + text)
    heads = [b.text for b in c.blocks if b.kind is BlockKind.HEADING]
    assert heads == ["Des neurones fonctionnels intégrés dans le réseau"]


def test_a_short_sentence_is_not_a_heading():
    text = WRAPPED + "\nC’est une étape décisive.\n\n" + WRAPPED
    heads = [b for b in cleaned("Titre principal de l’article\n\n" + text).blocks if b.kind is BlockKind.HEADING]
    assert heads == []


def test_a_heading_at_the_very_end_is_not_kept_as_a_heading():
    c = cleaned("Titre principal de l’article\n\n" + WRAPPED + "\nContacts presse\n")
    assert c.blocks[-1].kind is BlockKind.PARAGRAPH


# --- footnotes ------------------------------------------------------------------------------
def test_glued_marker_on_an_acronym_becomes_a_footnote():
    text = WRAPPED + "\nLe laboratoire du CNRS2 a conduit l’étude sur plusieurs années avec succès. \n\n2 Centre national de la recherche scientifique. \n"
    c = cleaned(text)
    assert c.footnotes == {"2": "Centre national de la recherche scientifique."}
    assert any("CNRS[^2] a conduit" in p for p in paragraphs(c))


def test_numbers_that_are_not_markers_are_left_alone():
    text = WRAPPED + "\nL’université Lyon 1 et la protéine SV2A, en 2019, dans 30% des cas. \n\n1 seul patient a été inclus dans cette étude préliminaire. \n"
    c = cleaned(text)
    assert c.footnotes == {}
    assert any("Lyon 1" in p and "SV2A" in p for p in paragraphs(c))
    assert any(p.startswith("1 seul patient") for p in paragraphs(c))


# --- captions -------------------------------------------------------------------------------
def test_caption_and_credit_become_one_caption_block():
    text = (
        "Titre principal de l’article\n\n"
        "Image de microscopie montrant des neurones induits \nexprimant le marqueur NeuN.  \n© Extrait de: Lentini et al., 2021.  \n\n"
        + WRAPPED
    )
    c = cleaned(text)
    captions = [b for b in c.blocks if b.kind is BlockKind.CAPTION]
    assert len(captions) == 1
    assert captions[0].lines == (
        "Image de microscopie montrant des neurones induits exprimant le marqueur NeuN.",
        "© Extrait de: Lentini et al., 2021.",
    )
    assert not any("©" in p for p in paragraphs(c))


def test_credit_line_alone_is_a_caption_too():
    c = cleaned("Titre principal de l’article\n\nCrédit photo : Inserm/Jean Dupont\n\n" + WRAPPED)
    assert [b.lines for b in c.blocks if b.kind is BlockKind.CAPTION] == [("Crédit photo : Inserm/Jean Dupont",)]


# --- web boilerplate ------------------------------------------------------------------------
WEB = """Vous êtes ici : Accueil > Actualités > Un résultat important

Biologie | Cerveau | Imagerie médicale

Un résultat important pour la recherche

Publié le 3 mars 2024

Une phrase du corps de l'article qui reste. Une seconde phrase ici.

Partager sur Facebook

12 commentaires

Imprimer

Haut de page
"""


def test_web_text_boilerplate_is_removed_and_classification_kept():
    c = cleaned(WEB)
    assert c.title == "Un résultat important pour la recherche"
    assert paragraphs(c) == ["Une phrase du corps de l'article qui reste. Une seconde phrase ici."]
    assert c.categories == ["Biologie", "Cerveau", "Imagerie médicale"]
    assert c.breadcrumb == ["Accueil", "Actualités", "Un résultat important"]
    assert "Publié le 3 mars 2024" in c.meta_lines
    assert {"Partager sur Facebook", "12 commentaires", "Imprimer", "Haut de page"} <= set(c.dropped)


def test_words_of_widgets_inside_sentences_are_not_boilerplate():
    text = WEB.replace(
        "Une phrase du corps", "La police scientifique a pu imprimer et partager les résultats. Une phrase du corps"
    )
    assert paragraphs(cleaned(text))[0].startswith("La police scientifique a pu imprimer et partager")


MD = """# Un titre d’article en Markdown

Par *compte42*

- [Diminuer la police](#)
- [Imprimer](#)

•

Texte avec un [lien utile](https://example.org/a) et un [faux lien](#) et [piège](javascript:alert(1)).

**Noter cet article :**

- **Nombre de consultations** : 12
- **Publié dans** : [Physique](#)

[Physique quantique\\\\_froid atomes](#)

Tags : lasers, optique

URL source: <https://example.org/article>
"""


def test_markdown_page_widgets_links_and_labels():
    c = cleaned(MD)
    assert c.title == "Un titre d’article en Markdown"
    assert paragraphs(c) == ["Texte avec un [lien utile](https://example.org/a) et un faux lien et piège."]
    assert c.categories == ["Physique"]
    assert c.tags == ["quantique", "froid", "atomes", "lasers", "optique"]
    assert c.source_url == "https://example.org/article"
    assert "Par *compte42*" in c.meta_lines


# --- inline HTML and Markdown safety ----------------------------------------------------------
def test_harmless_inline_html_is_kept():
    assert sanitize_html("le récepteur 5-HT<sub>2B</sub> & l’ion Ca<sup>2+</sup>") == (
        "le récepteur 5-HT<sub>2B</sub> & l’ion Ca<sup>2+</sup>"
    )


@pytest.mark.parametrize(
    "dirty",
    [
        "a<script>alert(1)</script>b",
        "a<iframe src='https://evil.example'></iframe>b",
        "a<img src=x onerror=alert(1)>b",
        "a<b onclick='steal()'>b</b>",
        '<a href="javascript:alert(1)">a</a>b',
        "a<style>body{display:none}</style>b",
    ],
)
def test_dangerous_html_never_survives(dirty):
    out = sanitize_html(dirty)
    for bad in ("<script", "<iframe", "onerror", "onclick", "javascript:", "<style", "<img", "<a "):
        assert bad not in out
    assert out.replace("<b>", "").replace("</b>", "") == "ab"


def test_dangerous_html_in_a_source_does_not_reach_the_article():
    c = cleaned(WEB.replace("Une phrase du corps", "<script>alert('x')</script>Une phrase <b onmouseover=x()>du</b> corps"))
    body = " ".join(b.text for b in c.blocks)
    assert "<script" not in body and "onmouseover" not in body and "alert" not in body
    assert "Une phrase <b>du</b> corps" in body


def test_javascript_markdown_links_lose_their_target():
    assert safe_links("[x](javascript:alert(1)) [y](https://a.fr/p_(b))") == "x [y](https://a.fr/p_(b))"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("1. Premier point", "1\\. Premier point"),
        ("- tiret", "\\- tiret"),
        ("# dièse", "\\# dièse"),
        ("> citation", "\\> citation"),
        ("    indenté", "indenté"),
        ("1 Technique", "1 Technique"),
    ],
)
def test_body_lines_never_become_accidental_markdown(line, expected):
    assert escape_block_start(line) == expected


def test_a_plain_paragraph_starting_with_a_number_and_dot_stays_a_paragraph():
    text = WRAPPED + "\n2. Les chercheurs ont ensuite répété l’expérience sur de nouveaux animaux. \n"
    assert any(p.startswith("2\\. Les chercheurs") for p in paragraphs(cleaned(text)))


def test_french_typography_survives():
    text = "Titre principal de l’article\n\nIl a dit « bonjour »\u00a0; l’équipe\u202fa répondu : « merci ». Fin de la phrase.\n"
    assert paragraphs(cleaned(text)) == ["Il a dit « bonjour »\u00a0; l’équipe\u202fa répondu : « merci ». Fin de la phrase."]


def test_plain_blocks_keep_line_provenance():
    blocks = plain_blocks(WRAPPED, InputKind.PDF_WRAPPED)
    assert blocks[0].lines[0].startswith("De nombreuses")


def test_markdown_autolinks_are_not_html():
    assert sanitize_html("voir <https://example.org/a?b=1> et <script>x</script>") == "voir <https://example.org/a?b=1> et "


def test_markdown_heading_directly_followed_by_text_stays_a_heading():
    c = cleaned("# Titre de la page\n\n## Une partie\nLe texte de la partie.\n\n## Autre\nSuite du texte.\n")
    assert [(b.kind, b.text) for b in c.blocks] == [
        (BlockKind.HEADING, "Une partie"),
        (BlockKind.PARAGRAPH, "Le texte de la partie."),
        (BlockKind.HEADING, "Autre"),
        (BlockKind.PARAGRAPH, "Suite du texte."),
    ]


def test_markup_removed_by_the_sanitizer_does_not_decide_the_block_kind():
    once = cleaned("Le le le, le.\n<script>alert(1)</script>Le le\n\n# Le\n")
    body = "\n\n".join(b.text for b in once.blocks)
    again = cleaned(body)
    assert [(b.kind, b.text) for b in again.blocks] == [(b.kind, b.text) for b in once.blocks]


def test_wrapped_markdown_list_item_keeps_its_continuation_line():
    c = cleaned(
        "# Un titre de page assez long\n\nPremier paragraphe du texte, avec une phrase.\n\n"
        "- Premier point de la liste, qui est long\n  et continue sur la ligne suivante.\n- Second point.\n"
        "- [Imprimer](#)\n"
    )
    lists = [b for b in c.blocks if b.kind is BlockKind.LIST]
    assert lists[0].lines == (
        "- Premier point de la liste, qui est long",
        "  et continue sur la ligne suivante.",
        "- Second point.",
    )


def test_plain_text_title_keeps_a_leading_number():
    c = cleaned("1. Le le, le\nLe le le, le.\n")
    assert c.title == "1. Le le, le"  # plain text: "1." is not a list marker to strip
