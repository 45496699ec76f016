"""`scidigest add`: copies the source, writes the sidecar from the options,
ingests it, prints what to commit; leaves nothing behind when it fails."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scidigest.cli import main
from tests.plugins.samples import read_sample

TEXT = read_sample("microbiote-sommeil.txt")


@pytest.fixture
def source(tmp_path):
    p = tmp_path / "incoming" / "sommeil.txt"
    p.parent.mkdir()
    p.write_text(TEXT, encoding="utf-8")
    return p


def test_add_copies_writes_sidecar_ingests_and_prints_what_to_commit(repo, source, capsys):
    rc = main(["add", str(source), "--root", str(repo), "--url", "https://example.org/sommeil",
               "--title", "Le microbiote et le sommeil", "--date", "2024-03-12"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert (repo / "sources" / "sommeil.txt").read_bytes() == source.read_bytes()
    sidecar = yaml.safe_load((repo / "sources" / "sommeil.meta.yaml").read_text("utf-8"))
    assert sidecar == {"title": "Le microbiote et le sommeil", "date": "2024-03-12",
                       "source_url": "https://example.org/sommeil"}
    [article] = (repo / "docs" / "articles").glob("*.fr.md")
    text = article.read_text("utf-8")
    assert "title: Le microbiote et le sommeil" in text and "2024-03-12" in text
    assert (f"git add -- sources/sommeil.txt sources/sommeil.meta.yaml "
            f"docs/articles/{article.name}") in out


def test_add_without_options_writes_no_sidecar(repo, source, capsys):
    assert main(["add", str(source), "--root", str(repo)]) == 0
    assert not (repo / "sources" / "sommeil.meta.yaml").exists()
    assert "git add -- sources/sommeil.txt docs/articles/" in capsys.readouterr().out


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--date", "2024-02-30", "is not a real date"),
    ("--date", "12/03/2024", "is not a real date"),
    ("--url", "ftp://example.org/x", "must start with https://"),
    ("--title", "  ", "must not be empty"),
])
def test_add_rejects_bad_options_before_touching_the_repo(repo, source, capsys, option, value,
                                                          message):
    assert main(["add", str(source), "--root", str(repo), option, value]) == 2
    assert message in capsys.readouterr().err
    assert list((repo / "sources").iterdir()) == []


def test_add_leaves_nothing_behind_when_the_source_fails_to_ingest(repo, tmp_path, capsys):
    empty = tmp_path / "vide.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert main(["add", str(empty), "--root", str(repo), "--title", "Vide"]) == 1
    err = capsys.readouterr().err
    assert "cannot be ingested" in err and "Nothing was added" in err
    assert list((repo / "sources").iterdir()) == []
    assert list((repo / "docs" / "articles").iterdir()) == []


def test_add_refuses_to_overwrite_another_source_with_the_same_name(repo, source, capsys):
    (repo / "sources" / "sommeil.txt").write_text("autre texte", encoding="utf-8")
    assert main(["add", str(source), "--root", str(repo)]) == 2
    assert "already exists with other content" in capsys.readouterr().err
    assert (repo / "sources" / "sommeil.txt").read_text("utf-8") == "autre texte"


def test_add_of_a_missing_file_says_so(repo, capsys):
    assert main(["add", str(Path(repo) / "nope.txt"), "--root", str(repo)]) == 2
    assert "no such file" in capsys.readouterr().err
