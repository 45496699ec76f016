"""The re-ingest fast path (scidigest.ingest.cache): skipped only when nothing
that decides the article changed, and never at the expense of a hand edit."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from scidigest.cli import main
from scidigest.ingest import cache as cache_mod
from scidigest.ingest import writer
from scidigest.ingest.writer import ingest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path):
    src = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", src, ignore=shutil.ignore_patterns("translation-memory"))
    return src, tmp_path / "out", tmp_path / "cache"


@pytest.fixture
def builds(monkeypatch):
    """The names of the sources rebuilt (``build_article`` called) since the last reset."""
    seen: list[str] = []
    original = writer.build_article

    def counted(name, *args, **kwargs):
        seen.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(writer, "build_article", counted)
    return seen


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def statuses(report) -> dict[str, str]:
    return {r.source.name: r.status for r in report.results}


def test_unchanged_sources_are_not_rebuilt_and_the_result_is_what_the_full_path_says(repo, builds):
    src, out, cache = repo
    first = ingest([src], out, cache_dir=cache)
    assert first.counts["created"] == 4 and len(builds) == 4
    written = snapshot(out)
    builds.clear()
    fast = ingest([src], out, cache_dir=cache)
    assert builds == [] and fast.counts["unchanged"] == 4
    full = ingest([src], out)  # no cache: every source rebuilt and compared
    assert len(builds) == 4
    assert [(r.source, r.status, r.output, r.warnings, r.message) for r in fast.results] == \
        [(r.source, r.status, r.output, r.warnings, r.message) for r in full.results]
    assert snapshot(out) == written


def test_deleting_the_cache_changes_nothing_but_time(repo, builds):
    src, out, cache = repo
    ingest([src], out, cache_dir=cache)
    written = snapshot(out)
    shutil.rmtree(cache)
    builds.clear()
    again = ingest([src], out, cache_dir=cache)
    assert again.counts["unchanged"] == 4 and len(builds) == 4 and snapshot(out) == written
    assert list(cache.glob("ingest-*.json"))  # rebuilt
    builds.clear()
    assert ingest([src], out, cache_dir=cache).counts["unchanged"] == 4 and builds == []


def test_a_hand_edit_that_keeps_size_and_time_stamp_is_still_detected(repo, builds):
    src, out, cache = repo
    ingest([src], out, cache_dir=cache)
    article = next(out.glob("regenerer*.fr.md"))
    text = article.read_text(encoding="utf-8")
    assert "Notre cerveau" in text
    stat = article.stat()
    edited = text.replace("Notre cerveau", "Votre cerveau", 1)  # same length
    article.write_text(edited, encoding="utf-8")
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert article.stat().st_size == stat.st_size and article.stat().st_mtime_ns == stat.st_mtime_ns
    builds.clear()
    report = ingest([src], out, cache_dir=cache)
    kept = [r for r in report.results if r.status == "kept"]
    assert len(kept) == 1 and kept[0].output == article and "--force" in kept[0].message
    assert article.read_text(encoding="utf-8") == edited
    assert len(builds) == 1  # the three others came from the cache
    # kept is never cached: it is reported again on every run
    assert ingest([src], out, cache_dir=cache).counts["kept"] == 1


def test_force_ignores_the_cache_and_overwrites_the_hand_edit(repo, builds):
    src, out, cache = repo
    ingest([src], out, cache_dir=cache)
    article = next(out.glob("regenerer*.fr.md"))
    article.write_text(article.read_text(encoding="utf-8").replace("Notre cerveau", "Notre cerveau humain"),
                       encoding="utf-8")
    builds.clear()
    forced = ingest([src], out, force=True, cache_dir=cache)
    assert len(builds) == 4 and forced.counts == {"updated": 1, "unchanged": 3}
    assert "Notre cerveau humain" not in article.read_text(encoding="utf-8")
    builds.clear()
    assert ingest([src], out, cache_dir=cache).counts["unchanged"] == 4 and builds == []


def test_changed_source_sidecar_or_deleted_article_takes_the_full_path(repo, builds):
    src, out, cache = repo
    ingest([src], out, cache_dir=cache)
    one, two = src / "002_5ed7c71c8f2a451f.txt", src / "001_59bebc85c305ed6e.txt"
    one.write_text(one.read_text(encoding="utf-8").replace("L’imagerie TEP éclaire", "La TEP éclaire"),
                   encoding="utf-8")
    sidecar = src / "001_59bebc85c305ed6e.meta.yaml"
    sidecar.write_text("organisation: Université de Bordeaux\n", encoding="utf-8")
    gone = next(out.glob("regenerer*.fr.md"))
    gone.unlink()
    builds.clear()
    report = ingest([src], out, cache_dir=cache)
    assert sorted(builds) == sorted([one.name, two.name, "000_8d7b8a430bf18198.txt"])
    assert statuses(report) == {one.name: "updated", two.name: "updated", "000_8d7b8a430bf18198.txt": "created",
                                "003_fa66833d02053d49.txt": "unchanged"}
    sidecar.unlink()  # a sidecar removed is a change too
    builds.clear()
    report = ingest([src], out, cache_dir=cache)
    assert builds == [two.name] and statuses(report)[two.name] == "updated"


def test_new_ingest_code_invalidates_every_entry(repo, builds, monkeypatch):
    src, out, cache = repo
    ingest([src], out, cache_dir=cache)
    monkeypatch.setattr(cache_mod, "code_version", lambda: "another version of the ingest code")
    builds.clear()
    assert ingest([src], out, cache_dir=cache).counts["unchanged"] == 4 and len(builds) == 4


def test_code_version_follows_the_ingest_sources(monkeypatch, tmp_path):
    cache_mod.code_version.cache_clear()  # computed now, from the files as they are now
    version = cache_mod.code_version()
    assert version == cache_mod.code_version() and len(version) == 64
    package = Path(cache_mod.__file__).resolve().parents[1]
    fake = tmp_path / "scidigest"
    shutil.copytree(package, fake, ignore=shutil.ignore_patterns("site", "translate", "check", "commands", "bench"))
    (fake / "ingest" / "__pycache__").mkdir(exist_ok=True)
    (fake / "ingest" / "__pycache__" / "clean.cpython-311.pyc").write_bytes(b"bytecode is not source")
    monkeypatch.setattr(cache_mod, "__file__", str(fake / "ingest" / "cache.py"))
    cache_mod.code_version.cache_clear()
    try:
        assert cache_mod.code_version() == version  # the same files: the same version
        clean = fake / "ingest" / "clean.py"
        clean.write_text(clean.read_text(encoding="utf-8") + "\n# a changed rule\n", encoding="utf-8")
        cache_mod.code_version.cache_clear()
        assert cache_mod.code_version() != version
    finally:
        cache_mod.code_version.cache_clear()


def test_warnings_are_replayed_and_failures_reported_on_every_run(repo, builds):
    src, out, cache = repo
    (src / "empty.txt").write_bytes(b"")
    first = ingest([src], out, cache_dir=cache)
    builds.clear()
    second = ingest([src], out, cache_dir=cache)
    assert builds == ["empty.txt"]
    assert [(r.warnings, r.message, r.status) for r in first.results if r.status == "failed"] == \
        [(r.warnings, r.message, r.status) for r in second.results if r.status == "failed"]
    assert {r.source.name: r.warnings for r in second.results if r.status != "failed"} == \
        {r.source.name: r.warnings for r in first.results if r.status != "failed"}


def test_dry_run_does_not_write_the_cache_and_a_corrupt_cache_is_rebuilt(repo, builds):
    src, out, cache = repo
    ingest([src], out, dry_run=True, cache_dir=cache)
    assert not cache.exists() and not out.exists()
    ingest([src], out, cache_dir=cache)
    [path] = cache.glob("ingest-*.json")
    path.write_text('{"format": 1, "sources": [', encoding="utf-8")
    builds.clear()
    assert ingest([src], out, cache_dir=cache).counts["unchanged"] == 4 and len(builds) == 4
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == cache_mod.FORMAT


def test_two_output_folders_never_share_entries(repo, builds):
    src, out, cache = repo
    ingest([src], out, cache_dir=cache)
    builds.clear()
    other = out.parent / "other-out"
    assert ingest([src], other, cache_dir=cache).counts["created"] == 4 and len(builds) == 4


def test_cli_keeps_its_cache_outside_docs_and_site(repo, monkeypatch, capsys):
    src, out, _ = repo
    project = src.parent
    monkeypatch.chdir(project)
    monkeypatch.delenv("SCIDIGEST_CACHE_DIR", raising=False)
    assert main(["ingest", "sources", "--out", "docs/articles"]) == 0
    assert list((project / ".cache" / "scidigest").glob("ingest-*.json"))
    assert {p.name for p in (project / "docs" / "articles").iterdir()} == {p.name for p in (project / "docs" / "articles").glob("*.md")}
    capsys.readouterr()
    assert main(["ingest", "sources", "--out", "docs/articles"]) == 0
    assert "0 created, 0 updated, 4 unchanged, 0 kept because hand-edited, 0 failed" in capsys.readouterr().out
