"""The shared input guards: scidigest.safeyaml, scidigest.safefiles, scidigest.names."""

from __future__ import annotations

import os
import threading
import time

import pytest
import yaml

from scidigest import names
from scidigest.frontmatter import FrontMatterError, split
from scidigest.safefiles import UnsafeFileError, read_regular, walk
from scidigest.safeyaml import YamlLimitError, check_yaml, load_limited
from scidigest.site import urls


# --------------------------------------------------------------------------- safeyaml
def test_ordinary_front_matter_loads():
    text = ("title: Un titre\ntags: [a, b]\nauthors:\n  - Ada\ntranslation:\n  from: fr\n"
            "  status: machine\ndate: '2024-01-02'\n")
    assert load_limited(text)["translation"] == {"from": "fr", "status": "machine"}


@pytest.mark.parametrize("text, says", [
    ("a: &x [1, 2]\nb: *x\n", "anchor"),
    ("b: *x\n", None),  # an alias without its anchor is a YAML error, not a crash
    ("a: " + "[" * 11 + "]" * 11 + "\n", "nested"),
    ("a: " + "- " * 12 + "x\n", None),  # compact block sequences nest too (or are not YAML)
    ("a:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 12)) + " " * 24 + "v\n", "nested"),
    ("a: '" + "x" * 70000 + "'\n", "too large"),
])
def test_hostile_yaml_is_refused_before_it_is_composed(text, says):
    with pytest.raises((YamlLimitError, yaml.YAMLError)) as err:
        check_yaml(text)
    if says:
        assert isinstance(err.value, YamlLimitError) and says in str(err.value)
        assert "\n" not in str(err.value)


def test_refusal_costs_nothing_however_deep_or_wide():
    deep = "a: " + "[" * 1_000_000 + "]" * 1_000_000
    laughs = "".join(f"l{i}: &v{i} [{', '.join(['*v' + str(i - 1)] * 9 if i else ['lol'] * 9)}]\n" for i in range(30))
    start = time.process_time()
    for text in (deep, laughs):
        with pytest.raises(YamlLimitError):
            check_yaml(text, max_bytes=10**8)
    assert time.process_time() - start < 1.0  # libyaml alone takes minutes on the first, crashes on deeper


def test_front_matter_with_an_alias_is_a_front_matter_error():
    with pytest.raises(FrontMatterError, match="alias|anchor"):
        split("---\ntitle: &t x\ndescription: *t\n---\nbody\n")


# --------------------------------------------------------------------------- safefiles
def test_regular_file_is_read_and_bounded(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"abc")
    assert read_regular(tmp_path / "a.txt", 3) == b"abc"
    with pytest.raises(UnsafeFileError, match="too large"):
        read_regular(tmp_path / "a.txt", 2)


def test_fifo_link_device_and_sparse_giant_are_refused_without_blocking_or_reading(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "zero").symlink_to("/dev/zero")
    with open(tmp_path / "sparse", "wb") as fh:
        fh.truncate(8 * 1024**3)
    results = {}

    def attempt():
        for name in ("fifo", "zero", "sparse"):
            try:
                read_regular(tmp_path / name, 2 * 1024 * 1024)
            except UnsafeFileError as exc:
                results[name] = str(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "read_regular blocked"
    assert "named pipe" in results["fifo"] and "symbolic link" in results["zero"]
    assert "8 GiB" in results["sparse"]


def test_walk_reports_every_entry_it_does_not_return(tmp_path):
    (tmp_path / "ok.txt").write_text("x")
    (tmp_path / "inside.txt").symlink_to("ok.txt")
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    (tmp_path / "dangling").symlink_to("nowhere")
    (tmp_path / "dir-loop").symlink_to(".")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.txt").write_text("x")
    (tmp_path / "sub" / "up.txt").symlink_to("../ok.txt")
    (tmp_path / "_private").mkdir()
    (tmp_path / "_private" / "x.txt").write_text("x")
    files, skips = walk(tmp_path, skip_dir=lambda rel: rel.name.startswith("_"))
    assert sorted(str(p.relative_to(tmp_path)) for p, _ in files) == ["inside.txt", "ok.txt", "sub/deep.txt", "sub/up.txt"]
    reasons = {p.name: (why, refused) for p, why, refused in ((s.path, s.reason, s.refused) for s in skips)}
    assert "loop" in reasons["loop1"][0] and "dangling" in reasons["dangling"][0]
    assert "folder" in reasons["dir-loop"][0]
    assert reasons[".hidden"] == (reasons[".hidden"][0], False)
    assert "_private" not in reasons


# --------------------------------------------------------------------------- names
@pytest.mark.parametrize("slug, ok", [
    ("mon-article", True), ("a1-b2", True), ("mon-article\n", False), ("Mon-Article", False),
    ("a--b", False), ("-a", False), ("../x", False), ("résumé", False), ("index", False), ("404", False),
    ("tags", False), ("a" * 91, False), ("", False),
])
def test_slugs(slug, ok):
    assert (names.slug_problem(slug) is None) is ok


def test_every_top_level_name_the_site_publishes_is_a_reserved_slug():
    pages = [urls.all_articles("fr"), urls.archive("fr"), urls.tags("fr"), urls.organisations("fr"),
             urls.kinds("fr"), urls.tag_feed("fr", "x"), urls.about("fr"), urls.feed("fr"), urls.search_index("fr"), urls.home_page("fr", 2),
             urls.article("en", "x")]
    first = {p.split("/")[0].split(".")[0] for p in pages}
    assert first <= names.RESERVED_SLUGS, first - names.RESERVED_SLUGS


def test_plain_text_fields():
    assert names.plain_text("Titre\x07 sur\ndeux\u202e lignes") == "Titre sur deux lignes"
    assert names.plain_text('CO<sub>2</sub> <img src=x onerror="alert(1)"> mesuré') == "CO2 mesuré"
    assert names.plain_text("p<0.05 et A<B") == "p<0.05 et A<B"
    assert names.clean_field(["Ada\x08", "\x07", "Ada"]) == ["Ada"]
    assert names.text_problem("ok") is None and names.text_problem("a<b>c") and names.text_problem("a\x1bb")


def test_error_lines_are_one_line_and_name_the_file():
    line = names.error_line("sources/nom\navec-saut.txt", "bad\nthing " + "x" * 1000)
    assert "\n" not in line and line.startswith("error: sources/nom\\navec-saut.txt: bad thing")
    assert len(line) < 400
