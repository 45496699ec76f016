"""The PDF reader (scidigest.ingest.pdf): layout to Markdown, and one-line errors.

The fixtures in ``fixtures/pdf/`` were printed once from the HTML files beside them
with Debian's Chromium (``chromium --headless --no-sandbox --no-pdf-header-footer
--print-to-pdf=NAME.pdf NAME.html``); ``encrypted.pdf`` is ``one-column.pdf`` after
``qpdf --encrypt secret owner 256 --``. The texts are made up for these tests.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from scidigest.frontmatter import split
from scidigest.ingest.model import IngestError
from scidigest.ingest.pdf import read_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"


def _data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def one_column():
    return read_pdf("one-column.pdf", _data("one-column.pdf"))


@pytest.fixture(scope="module")
def two_column():
    return read_pdf("two-column.pdf", _data("two-column.pdf"))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


# -- one column, two pages: running header, footer, page numbers ---------------------------
def test_title_from_the_largest_type_on_page_one(one_column):
    title = "Les tourbières du Jura stockent plus de carbone que prévu"
    assert one_column.text.startswith(f"# {title}\n\n")
    assert one_column.declared.title == title
    assert one_column.declared.date is None and one_column.declared.organisation is None
    assert one_column.format == "pdf" and one_column.encoding == "pdf"
    assert one_column.sha256 == hashlib.sha256(_data("one-column.pdf")).hexdigest()


def test_running_header_footer_and_page_numbers_removed(one_column):
    text = one_column.text
    assert "Observatoire des tourbières" not in text
    assert "Bulletin 4" not in text
    assert "Page 1 sur 2" not in text and "Page 2 sur 2" not in text


def test_headings_and_paragraphs_of_both_pages(one_column):
    paras = _paragraphs(one_column.text)
    assert "## Des carottes de six mètres" in paras
    assert "## Protéger les zones les plus profondes" in paras
    # a justified paragraph is one paragraph, its lines joined with single spaces
    assert any(p.startswith("Les mesures montrent une densité") and p.endswith("zones humides de montagne.") for p in paras)
    assert "  " not in one_column.text
    assert paras[-2].startswith("Un second volet de l'étude")


def test_footnote_marker_and_note(one_column):
    text = one_column.text
    assert "dernière glaciation[^1]. Chaque carotte" in text
    assert _paragraphs(text)[-1] == "[^1]: Environ douze mille ans avant le présent, selon les datations au carbone 14."
    assert text.count("[^1]") == 2


# -- two columns ---------------------------------------------------------------------------
def test_two_columns_read_left_then_right(two_column):
    text = two_column.text
    assert text.startswith("# Night-flying moths pollinate more flowers than bees in upland meadows\n\n")
    order = [text.index(k) for k in ("ALPHA.", "BRAVO.", "CHARLIE.", "DELTA.")]
    assert order == sorted(order)
    # every paragraph whole, whichever column or column break it crossed
    for start, end in (("ALPHA.", "three valleys."), ("CHARLIE.", "monitoring schemes."), ("DELTA.", "coming decades.")):
        assert any(p.startswith(start) and p.endswith(end) for p in _paragraphs(text)), start
    assert "- 1 -" not in text


# -- errors: one short line each -----------------------------------------------------------
def _error(data: bytes) -> str:
    with pytest.raises(IngestError) as info:
        read_pdf("x.pdf", data)
    msg = str(info.value)
    assert "\n" not in msg and len(msg) < 160 and "Traceback" not in msg
    return msg


def test_not_a_pdf():
    assert _error(b"Hello, this is plain text pretending to be a PDF.\n").startswith("not a PDF")


@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.99])
def test_truncated_pdf(fraction):
    data = _data("one-column.pdf")
    assert _error(data[: int(len(data) * fraction)]).startswith("damaged PDF: ")


def test_no_text_layer():
    assert _error(_data("scanned.pdf")) == "no text layer: the PDF is scanned images; OCR it first"


def test_encrypted_pdf():
    assert _error(_data("encrypted.pdf")) == "encrypted PDF: remove the password and add it again"


def test_too_large(monkeypatch):
    import scidigest.ingest.pdf as pdf

    monkeypatch.setattr(pdf, "MAX_BYTES", 1000)
    assert _error(_data("one-column.pdf")).startswith("PDF too large")


# -- small rules -------------------------------------------------------------------------------
def test_text_normalisation():
    from scidigest.ingest.pdf import _join_text, _normalise

    assert _normalise("ﬁne ﬂow\u00a0:\u202f!") == "fine flow : !"
    assert _join_text("une décou\u00ad", "verte", "") == "une découverte"
    assert _join_text("les cher-", "cheurs", "") == "les chercheurs"
    assert _join_text("entre 2003-", "2008", "") == "entre 2003-2008"


@pytest.mark.parametrize("text", ["Page 2 sur 3", "2/3", "- 2 -", "2", "Page 3 of 12", "p. 4"])
def test_page_number_forms(text):
    from scidigest.ingest.pdf import _PAGE_NUMBER

    assert _PAGE_NUMBER.match(text)


# -- end to end --------------------------------------------------------------------------------
def test_ingest_a_pdf_end_to_end(tmp_path):
    from scidigest.ingest.writer import ingest

    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(FIXTURES / "one-column.pdf", sources / "tourbieres.pdf")
    out = tmp_path / "out"
    first = ingest([sources], out)
    assert [r.status for r in first.results] == ["created"], [r.message for r in first.results]
    meta, body = split(first.results[0].output.read_text(encoding="utf-8"))
    assert meta["input_kind"] == "pdf"
    assert meta["title"] == "Les tourbières du Jura stockent plus de carbone que prévu"
    assert meta["lang"] == "fr"
    assert "Page 1 sur 2" not in body and re.search(r"glaciation\[\^1\]", body)
    second = ingest([sources], out)
    assert [r.status for r in second.results] == ["unchanged"]
