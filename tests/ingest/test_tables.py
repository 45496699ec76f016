"""Pipe tables survive ingestion as tables; one-column layout tables become paragraphs."""

from __future__ import annotations

from scidigest.ingest.flow import build_article
from scidigest.ingest.render import render_body

LEDE = ("Une campagne de plongées menée sur trois étés montre que les herbiers de zostères de la rade se "
        "maintiennent sur la plupart des sites suivis depuis dix ans, selon les chercheurs de l'institut.")
AFTER = ("Les chercheurs veulent maintenant comprendre pourquoi deux sites reculent plus vite que les autres, "
         "et poursuivre le suivi pendant encore cinq ans au moins.")


def body_of(name: str, text: str) -> str:
    return render_body(build_article(name, text.encode("utf-8")).cleaned)


def test_a_markdown_pipe_table_is_kept_row_by_row_with_its_alignment():
    table = ("| Site | Surface 2012 (ha) | Surface 2022 (ha) |\n| --- | ---: | ---: |\n"
             "| Anse du **Moulin** | 12,4 | 11,9 |\n| Pointe des Sables | 8,1 | 6,3 |")
    text = f"# Les herbiers marins reculent moins vite\n\nPublié le 3 mars 2022\n\n{LEDE}\n\n{table}\n\n{AFTER}\n"
    body = body_of("x.md", text)
    assert "| Site | Surface 2012 (ha) | Surface 2022 (ha) |\n| --- | ---: | ---: |\n" in body
    assert "| Anse du **Moulin** | 12,4 | 11,9 |\n| Pointe des Sables | 8,1 | 6,3 |\n" in body
    assert "\\|" not in body


def test_an_html_data_table_reaches_the_article_as_a_table():
    html = ("<html lang=fr><head><title>Les herbiers marins reculent moins vite</title></head><body><article>"
            "<h1>Les herbiers marins reculent moins vite</h1><p>Publié le 3 mars 2022</p>"
            f"<p>{LEDE}</p><table><thead><tr><th>Site</th><th>Surface 2022 (ha)</th></tr></thead><tbody>"
            "<tr><td>Anse du Moulin</td><td>11,9</td></tr><tr><td>Pointe des Sables</td><td>6,3</td></tr>"
            f"</tbody></table><p>{AFTER}</p></article></body></html>")
    body = body_of("x.html", html)
    assert "| Site | Surface 2022 (ha) |\n| --- | --- |\n| Anse du Moulin | 11,9 |\n| Pointe des Sables | 6,3 |" in body


def test_a_one_column_layout_table_gives_its_cells_as_paragraphs():
    table = f"| |\n| --- |\n| {LEDE} |\n| {AFTER} |"
    body = body_of("x.md", f"# Les herbiers marins reculent moins vite\n\n{table}\n\n- un\n- deux\n")
    assert f"{LEDE}\n\n{AFTER}" in body
    assert "| --- |" not in body and "| |" not in body


def test_an_emphasised_caption_and_its_credit_in_two_markdown_paragraphs_are_one_caption():
    text = (f"# Les herbiers marins reculent moins vite\n\nPublié le 3 mars 2022\n\n{LEDE}\n\n"
            "![Herbier de zostères](https://irse.example.org/h.jpg)\n\n"
            "*Herbier de zostères dans l'anse du Moulin.*\n\n*© IRSE / Paul Le Goff*\n\n"
            f"{AFTER}\n\n- un point\n- deux points\n")
    body = body_of("x.md", text)
    assert "*Herbier de zostères dans l'anse du Moulin.*  \n*© IRSE / Paul Le Goff*\n{: .caption }" in body
