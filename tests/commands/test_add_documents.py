"""`scidigest add` and `scidigest ingest` with PDF and HTML files: sidecars, idempotence,
hand-edit protection, and one clear line for each bad document without stopping the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from scidigest.cli import main
from scidigest.frontmatter import split
from scidigest.ingest.writer import ingest

TESTS = Path(__file__).resolve().parents[1]
CORPUS = TESTS / "corpus" / "dev"
PDF_FIXTURES = TESTS / "ingest" / "fixtures" / "pdf"
DOCS = {
    "garonne.pdf": CORPUS / "pdf-fr-02-univ-garonne" / "source.pdf",
    "vigne.html": CORPUS / "html-fr-01-inrae-like" / "source.html",
}
ZERO_PAGES = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
              b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
BAD = {
    "chiffre.pdf": ((PDF_FIXTURES / "encrypted.pdf").read_bytes(), "encrypted PDF"),
    "scan.pdf": ((PDF_FIXTURES / "scanned.pdf").read_bytes(), "no text layer"),
    "coupe.pdf": ((PDF_FIXTURES / "one-column.pdf").read_bytes()[:3000], "damaged PDF"),
    "sans-page.pdf": (ZERO_PAGES, "damaged PDF: it has no pages"),
    "faux.pdf": (b"Ceci n'est pas un PDF, juste du texte.\n", "not a PDF"),
    "coquille.html": (b"<html><head><title>Accueil</title></head><body><nav><a href='/'>Accueil</a></nav>"
                      b"</body></html>", "no article text found"),
    "notes.html": (b"Quelques mots sans balise.\nUne seconde ligne.\n", "not an HTML page"),
    "vide.html": (b"", "empty file"),
}


def truth(path: Path) -> dict:
    return yaml.safe_load((path.parent / "truth.yaml").read_text("utf-8"))


def add(repo, *args) -> int:
    return main(["add", *map(str, args), "--root", str(repo)])


@pytest.mark.parametrize("name", sorted(DOCS))
def test_add_a_document_with_sidecar_then_again_then_after_a_hand_edit(repo, tmp_path, capsys, name):
    incoming = tmp_path / name
    shutil.copyfile(DOCS[name], incoming)
    assert add(repo, incoming, "--date", "2023-11-30", "--url", "https://www.example.org/communique") == 0
    out = capsys.readouterr().out
    assert (repo / "sources" / name).read_bytes() == DOCS[name].read_bytes()
    side = repo / "sources" / (name.rsplit(".", 1)[0] + ".meta.yaml")
    assert yaml.safe_load(side.read_text("utf-8")) == {"date": "2023-11-30",
                                                       "source_url": "https://www.example.org/communique"}
    [article] = (repo / "docs" / "articles").glob("*.md")
    meta, _ = split(article.read_text("utf-8"))
    assert meta["input_kind"] == name.rsplit(".", 1)[1]
    assert meta["title"] == truth(DOCS[name])["title"]
    assert meta["date"] == "2023-11-30"  # the sidecar beats what the document says
    assert meta["source_file"] == name and meta["source_url"] == "https://www.example.org/communique"
    assert f"created: docs/articles/{article.name}" in out

    # again, same file, same options: nothing changes, not even the sidecar's bytes
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert add(repo, incoming, "--date", "2023-11-30") == 0
    assert "unchanged:" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before

    # a hand edit survives a re-add; a new option merges into the sidecar
    edited = article.read_text("utf-8") + "\nUne précision ajoutée à la main.\n"
    article.write_text(edited, encoding="utf-8")
    assert add(repo, incoming, "--slug", "mon-article") == 0
    assert "was edited by hand" in capsys.readouterr().err
    assert article.read_text("utf-8") == edited
    assert yaml.safe_load(side.read_text("utf-8"))["date"] == "2023-11-30"  # kept, merged


@pytest.mark.parametrize("name", sorted(BAD))
def test_add_a_bad_document_says_why_in_one_line_and_leaves_nothing(repo, tmp_path, capsys, name):
    data, reason = BAD[name]
    incoming = tmp_path / name
    incoming.write_bytes(data)
    assert add(repo, incoming, "--title", "Un titre") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"scidigest add: sources/{name} cannot be ingested: ") and reason in err[0]
    assert err[1].startswith("Nothing was added")
    assert list((repo / "sources").iterdir()) == [] and list((repo / "docs" / "articles").iterdir()) == []


def test_ingest_reports_each_bad_document_once_and_ingests_the_good_ones(repo, capsys):
    sources = repo / "sources"
    for name, path in DOCS.items():
        shutil.copyfile(path, sources / name)
    for name, (data, _) in BAD.items():
        (sources / name).write_bytes(data)
    report = ingest([sources], repo / "docs" / "articles")
    by_name = {r.source.name: r for r in report.results}
    assert {n: by_name[n].status for n in DOCS} == {n: "created" for n in DOCS}
    for name, (_, reason) in BAD.items():
        r = by_name[name]
        assert r.status == "failed" and reason in r.message and "\n" not in r.message, (name, r.message)
        assert len(r.message) < 160 and "Traceback" not in r.message
    # the command: one "error:" line per bad document, the summary, exit 1
    rc = main(["ingest", str(sources), "--out", str(repo / "docs" / "articles")])
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert rc == 1 and len(errors) == len(BAD)
    assert all(any(name in line for line in errors) for name in BAD)
    assert "2 unchanged" in captured.out and f"{len(BAD)} failed" in captured.out
