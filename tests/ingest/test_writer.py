"""The ingest edge: files in, files out, safely and idempotently."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scidigest.cli import main
from scidigest.frontmatter import read, split, write_atomic
from scidigest.ingest.writer import clash_suffix, ingest

ROOT = Path(__file__).resolve().parents[2]
GOOD = (
    "Un titre d’article pour le test\n\nPublié le 3 janvier 2023\n\n"
    "Un paragraphe du corps de l'article avec assez de mots. Une autre phrase pour faire bonne mesure.\n"
)


@pytest.fixture
def repo(tmp_path):
    src = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", src, ignore=shutil.ignore_patterns("translation-memory"))
    return tmp_path, src, tmp_path / "out"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_second_run_changes_no_byte(repo):
    _, src, out = repo
    first = ingest([src], out)
    assert first.counts["created"] == 4 and not first.failed
    before = snapshot(out)
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    second = ingest([src], out)
    assert second.counts["unchanged"] == 4
    assert snapshot(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes  # not even rewritten


def test_changed_source_updates_its_article_and_keeps_its_slug(repo):
    _, src, out = repo
    ingest([src], out)
    path = src / "002_5ed7c71c8f2a451f.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("L’imagerie TEP éclaire", "La TEP éclaire"), encoding="utf-8")
    report = ingest([src], out)
    assert report.counts == {"updated": 1, "unchanged": 3}
    result = next(r for r in report.results if r.status == "updated")
    front, _ = read(result.output)
    assert front["title"].startswith("La TEP éclaire")
    assert result.output.name.startswith("l-imagerie-tep")  # URL stays stable


def test_hand_edit_is_detected_kept_and_reported_unless_forced(repo):
    _, src, out = repo
    ingest([src], out)
    article = next(out.glob("regenerer*.fr.md"))
    edited = article.read_text(encoding="utf-8").replace("Notre cerveau", "Notre cerveau humain")
    article.write_text(edited, encoding="utf-8")
    src_file = src / "000_8d7b8a430bf18198.txt"
    src_file.write_text(src_file.read_text(encoding="utf-8") + "\nUne phrase ajoutée à la source. \n", encoding="utf-8")
    report = ingest([src], out)
    kept = [r for r in report.results if r.status == "kept"]
    assert len(kept) == 1 and "--force" in kept[0].message
    assert article.read_text(encoding="utf-8") == edited
    forced = ingest([src], out, force=True)
    assert forced.counts["updated"] == 1
    assert "Notre cerveau humain" not in article.read_text(encoding="utf-8")


def test_recorded_hand_edit_flag_is_respected(repo):
    _, src, out = repo
    ingest([src], out)
    article = next(out.glob("regenerer*.fr.md"))
    text = article.read_text(encoding="utf-8").replace("lang: fr\n", "lang: fr\nhand_edited: true\n", 1)
    article.write_text(text, encoding="utf-8")
    assert ingest([src], out).counts["kept"] == 1


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n \n", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        ("huge.txt", b"mot " * 600_000, "too large"),
        ("nopara.txt", "•\n\n- [Imprimer](#)\n\nHaut de page\n".encode(), "no paragraph"),
        ("garbage.txt", bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50 + b"\x98\x83\x84\x85" * 200, "undecodable"),
        ("slides.pdf", b"%PDF-1.7\n", "damaged PDF"),
        ("slides.odp", b"PK\x03\x04", "unsupported file type"),
    ],
)
def test_bad_source_fails_alone_with_one_clear_line(repo, name, data, reason):
    _, src, out = repo
    (src / name).write_bytes(data)
    report = ingest([src], out)
    bad = [r for r in report.results if r.source.name == name]
    assert len(bad) == 1 and bad[0].status == "failed"
    assert reason in bad[0].message and "\n" not in bad[0].message
    assert report.counts["created"] == 4  # the good sources still made it
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())


def test_cli_prints_summary_names_the_file_and_exits_non_zero(repo, capsys):
    _, src, out = repo
    (src / "empty.txt").write_bytes(b"")
    code = main(["ingest", str(src), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert "error: " in captured.err and "empty.txt: empty file" in captured.err
    assert "4 created, 0 updated, 0 unchanged, 0 kept because hand-edited, 1 failed" in captured.out


def test_slug_clash_gets_a_deterministic_suffix(tmp_path):
    src, out = tmp_path / "s", tmp_path / "o"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    (src / "b.txt").write_text(GOOD.replace("assez de mots", "d'autres mots"), encoding="utf-8")
    ingest([src], out)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["un-titre-d-article-pour-le-test.fr.md", f"un-titre-d-article-pour-le-test-{clash_suffix('b.txt')}.fr.md"])
    assert ingest([src], out).counts["unchanged"] == 2


def test_sidecar_completes_fields_and_a_bad_sidecar_fails_only_its_source(tmp_path):
    src, out = tmp_path / "s", tmp_path / "o"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    (src / "a.meta.yaml").write_text("title: 'Titre : « choisi »'\ndate: 2020-05-06\nsource_url: https://example.org/x\n", encoding="utf-8")
    (src / "b.txt").write_text(GOOD, encoding="utf-8")
    (src / "b.meta.yaml").write_text("titel: oops\n", encoding="utf-8")
    report = ingest([src], out)
    by_name = {r.source.name: r for r in report.results}
    assert by_name["a.txt"].status == "created"
    front, _ = read(by_name["a.txt"].output)
    assert (front["title"], front["date"], front["source_url"]) == ("Titre : « choisi »", "2020-05-06", "https://example.org/x")
    assert by_name["b.txt"].status == "failed" and "unknown field" in by_name["b.txt"].message
    assert len(report.results) == 2  # sidecars are not sources


def test_generated_front_matter_validates_against_the_schema(repo):
    from scidigest.schema import validate_front_matter

    _, src, out = repo
    ingest([src], out)
    for p in out.iterdir():
        assert validate_front_matter(read(p)[0]) == [], p.name


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    target.write_text("old", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_yaml_hostile_titles_round_trip(tmp_path):
    src, out = tmp_path / "s", tmp_path / "o"
    src.mkdir()
    hostile = ['"Guillemets" en tête', "- tiret: deux points # dièse", "« Citation » : 50 % & plus", "'apostrophe' | pipe > chevron", "yes"]
    for i, title in enumerate(hostile):
        (src / f"h{i}.txt").write_text(GOOD, encoding="utf-8")
        (src / f"h{i}.meta.yaml").write_text(f"title: {title!r}\n".replace("\\'", "''"), encoding="utf-8")
    report = ingest([src], out)
    assert not report.failed, [r.message for r in report.failed]
    titles = sorted(split(r.output.read_text(encoding="utf-8"))[0]["title"] for r in report.results)
    assert titles == sorted(hostile)


def test_dry_run_writes_nothing(repo):
    _, src, out = repo
    report = ingest([src], out, dry_run=True)
    assert report.counts["created"] == 4
    assert not out.exists() or not any(out.iterdir())


def test_report_dropped_lists_boilerplate_and_finds_nothing_missing(repo, capsys):
    _, src, out = repo
    assert main(["ingest", str(src), "--out", str(out), "--dry-run", "--report-dropped"]) == 0
    text = capsys.readouterr().out
    assert "dropped: Haut de page" in text and "lifted:  Publié le" in text
    assert "MISSING" not in text


def test_report_dropped_would_reveal_a_lost_sentence(repo):
    from scidigest.ingest.preservation import check_preservation
    from scidigest.ingest.read import read_source
    from scidigest.ingest.render import render_article
    from scidigest.ingest.writer import build_article

    _, src, _ = repo
    data = (src / "002_5ed7c71c8f2a451f.txt").read_bytes()
    built = build_article("002.txt", data)
    text = render_article(built.metadata, built.cleaned).replace("Une dose unique améliore rapidement le comportement", "")
    report = check_preservation(read_source("002.txt", data).text, built.cleaned, text)
    assert report.unexplained == ["améliore", "comportement", "dose", "le", "rapidement", "une", "unique"]


def test_impossible_date_in_a_sidecar_fails_that_source_clearly(tmp_path):
    src, out = tmp_path / "s", tmp_path / "o"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    (src / "a.meta.yaml").write_text("date: 2021-02-30\n", encoding="utf-8")
    [result] = ingest([src], out).results
    assert result.status == "failed"
    assert result.message.startswith("a.meta.yaml: invalid value") and "YYYY-MM-DD" in result.message
