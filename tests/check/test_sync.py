"""Rule family `sync`: what a dry-run ingest reports becomes findings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from scidigest.check.sync import check_with_results
from scidigest.check.tree import load_tree
from scidigest.ingest.writer import SourceResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "check"
OUT = Path("docs/articles/neurones-regeneres.fr.md")
SRC = Path("sources/neurones.txt")


@pytest.fixture
def tree(tmp_path):
    """The base fixture without output_hash, so no hand-edit is suspected."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "base", root)
    art = root / OUT
    art.write_text(re.sub(r"(?m)^output_hash: .*\n", "", art.read_text("utf-8")), "utf-8")
    return load_tree(root)


@pytest.fixture
def findings_for(tree):
    return lambda *results: check_with_results(tree, list(results))


def test_in_sync_sources_and_kept_hand_edits_give_no_finding(findings_for):
    assert findings_for(SourceResult(SRC, "unchanged", OUT),
                        SourceResult(Path("sources/b.txt"), "kept", Path("docs/articles/b.fr.md"))) == []


def test_source_that_fails_to_ingest_is_an_error_naming_the_source(findings_for):
    [f] = findings_for(SourceResult(SRC, "failed", None, "cannot decode bytes"))
    assert (f.rule, f.file, f.severity) == ("source-fails", "sources/neurones.txt", "error")
    assert "cannot decode bytes" in f.message and "scidigest ingest sources/neurones.txt" in f.fix


def test_article_out_of_date_with_its_source_is_an_error_on_the_article(findings_for):
    [f] = findings_for(SourceResult(SRC, "updated", OUT))
    assert (f.rule, f.file) == ("out-of-sync", OUT.as_posix())
    assert "run `scidigest ingest`" in f.fix


def test_source_without_article_is_an_error_on_the_source(findings_for):
    [f] = findings_for(SourceResult(Path("sources/new.txt"), "created",
                                    Path("docs/articles/new.fr.md")))
    assert (f.rule, f.file) == ("out-of-sync", "sources/new.txt")
    assert "has no article yet" in f.message


def test_two_sources_writing_the_same_article_is_a_duplicate_slug(findings_for):
    fs = findings_for(SourceResult(SRC, "unchanged", OUT),
                      SourceResult(Path("sources/copie.txt"), "unchanged", OUT))
    assert [(f.rule, f.file) for f in fs] == [("duplicate-slug", OUT.as_posix())]
    assert "sources/copie.txt, sources/neurones.txt" in fs[0].message


def test_ingest_warnings_are_reported_as_warnings(findings_for):
    [f] = findings_for(SourceResult(SRC, "unchanged", OUT, warnings=("no date found",)))
    assert (f.severity, f.message) == ("warning", "no date found")


def test_unrecorded_hand_edit_is_not_also_reported_as_out_of_sync(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "base", root)  # its output_hash does not match: a hand edit
    assert check_with_results(load_tree(root), [SourceResult(SRC, "updated", OUT)]) == []
