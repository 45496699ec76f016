"""``ingest(jobs=N)``: the pure stages in worker processes give the same articles and the same
report, bad sources included, as one process does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import scidigest.ingest.pool as pool
from scidigest.bench.synthetic_sources import write_sources
from scidigest.ingest.model import IngestError
from scidigest.ingest.writer import ingest

TESTS = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    src = tmp_path_factory.mktemp("pool") / "sources"
    write_sources(src, pool.MIN_SOURCES + 8)
    shutil.copyfile(TESTS / "corpus" / "dev" / "html-fr-01-inrae-like" / "source.html", src / "vigne.html")
    shutil.copyfile(TESTS / "ingest" / "fixtures" / "pdf" / "one-column.pdf", src / "tourbieres.pdf")
    shutil.copyfile(TESTS / "ingest" / "fixtures" / "pdf" / "encrypted.pdf", src / "chiffre.pdf")
    (src / "vide.txt").write_bytes(b"")
    (src / "slides.odp").write_bytes(b"PK\x03\x04")
    (src / "sommeil.meta.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (src / "sommeil.txt").write_text("Un titre\n\nUn paragraphe du corps de l'article, assez long pour compter.\n",
                                     encoding="utf-8")
    return src


def outcome(report, out: Path):
    results = [(r.source.name, r.status, r.output and r.output.name, r.message, r.warnings) for r in report.results]
    return results, {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_two_workers_give_the_same_articles_and_report(sources, tmp_path):
    one = outcome(ingest([sources], tmp_path / "one"), tmp_path / "one")
    two = outcome(ingest([sources], tmp_path / "two", jobs=2), tmp_path / "two")
    assert two == one
    statuses = {name: status for name, status, *_ in one[0]}
    assert statuses["vigne.html"] == statuses["tourbieres.pdf"] == "created"
    assert statuses["chiffre.pdf"] == statuses["vide.txt"] == statuses["slides.odp"] == "failed"
    assert statuses["sommeil.txt"] == "failed"  # its sidecar is not YAML
    assert sum(s == "created" for s in statuses.values()) == pool.MIN_SOURCES + 8 + 2


def test_a_rerun_with_workers_changes_nothing(sources, tmp_path):
    out = tmp_path / "out"
    ingest([sources], out)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    report = ingest([sources], out, jobs=2)
    assert report.counts["unchanged"] == pool.MIN_SOURCES + 10 and "created" not in report.counts
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_an_error_that_cannot_cross_processes_is_met_again_by_the_writer(sources, tmp_path, monkeypatch):
    """A worker whose exception cannot be pickled sends nothing back; the writer builds that
    source itself and reports what really happened."""

    class Unpicklable(IngestError):
        def __reduce__(self):
            raise TypeError("not picklable")

    def build(name, data, sidecar, load=None):  # (load: how an HTML page's images are found)
        raise Unpicklable(f"{name}: refused by the test")

    monkeypatch.setattr(pool, "build_article", build)  # in the workers (forked after this)
    answer = pool._build(("x.txt", b"", {}))
    assert answer is None
    report = ingest([sources], tmp_path / "out", jobs=2)
    # the writer's own build_article is untouched: every good source is still created
    assert report.counts["created"] == pool.MIN_SOURCES + 8 + 2
