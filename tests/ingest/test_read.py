"""Reading: bytes in any plausible encoding come out as correct NFC French."""

from __future__ import annotations

import unicodedata

import pytest

from scidigest.ingest.model import IngestError
from scidigest.ingest.read import MAX_BYTES, read_source

FRENCH = "Régénérer l’étude « coûteuse » : œuvre, Noël, maïs — ça coûte 5 €.\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), "utf-8-sig"),
        (FRENCH.encode("cp1252"), "cp1252"),
        (FRENCH.encode("utf-16"), "utf-16"),
    ],
)
def test_plausible_encodings_decode_to_the_same_text(data, encoding):
    src = read_source("a.txt", data)
    assert src.text == FRENCH
    assert src.encoding == encoding


def test_latin1_without_cp1252_characters_decodes_to_french_letters():
    text = "Les chercheurs ont étudié la moelle épinière à Besançon.\n"
    assert read_source("a.txt", text.encode("latin-1")).text == text


def test_mojibake_from_a_previous_wrong_decoding_is_repaired():
    broken = FRENCH.encode("utf-8").decode("cp1252").encode("utf-8")  # "RÃ©gÃ©nÃ©rer lâ€™Ã©tude"
    src = read_source("a.txt", broken)
    assert src.text == FRENCH
    assert src.repaired


def test_only_broken_lines_are_touched_and_quotes_stay_curly():
    mixed = ("Ligne propre avec “guillemets” et l’apostrophe.\n" + "lâ€™Ã©quipe a publiÃ©.\n").encode("utf-8")
    text = read_source("a.txt", mixed).text
    assert text.splitlines() == ["Ligne propre avec “guillemets” et l’apostrophe.", "l’équipe a publié."]


def test_output_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Été à l’hôpital.")
    text = read_source("a.txt", decomposed.encode("utf-8")).text
    assert text == "Été à l’hôpital." and unicodedata.is_normalized("NFC", text)


def test_windows_line_endings_become_newlines():
    assert read_source("a.txt", b"Un.\r\nDeux.\rTrois.").text == "Un.\nDeux.\nTrois."


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"   \n\n\t  ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        (b"a" * (MAX_BYTES + 1), "too large"),
    ],
)
def test_bad_input_gives_a_one_line_reason(data, reason):
    with pytest.raises(IngestError) as exc:
        read_source("bad.txt", data)
    assert reason in str(exc.value)
    assert "\n" not in str(exc.value)


def test_source_hash_is_of_the_raw_bytes():
    import hashlib

    data = FRENCH.encode("cp1252")
    assert read_source("a.txt", data).sha256 == hashlib.sha256(data).hexdigest()
