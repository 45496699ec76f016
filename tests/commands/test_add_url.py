"""`scidigest add URL`: fetch from a web server on 127.0.0.1 (fixture ``web``), store the bytes
under sources/, record source_url, ingest; one line naming the URL for every failure, and
nothing left behind when it fails."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scidigest.cli import main
from scidigest.frontmatter import split

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "dev"
PAGE = (CORPUS / "html-fr-01-inrae-like" / "source.html").read_bytes()
PAGE_TITLE = yaml.safe_load((CORPUS / "html-fr-01-inrae-like" / "truth.yaml").read_text("utf-8"))["title"]
PDF = (CORPUS / "pdf-fr-02-univ-garonne" / "source.pdf").read_bytes()
PDF_TITLE = yaml.safe_load((CORPUS / "pdf-fr-02-univ-garonne" / "truth.yaml").read_text("utf-8"))["title"]
PAGE_PATH = "/2023/10/12/secheresse-vignes-microbes-du-sol/"


def add(repo, *args) -> int:
    return main(["add", *map(str, args), "--root", str(repo)])


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def article(repo) -> tuple[dict, str]:
    [path] = (repo / "docs" / "articles").glob("*.md")
    return split(path.read_text("utf-8"))


def one_line_error(capsys, url: str) -> str:
    err = capsys.readouterr().err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert url in err and "Traceback" not in err
    return err


# ------------------------------------------------------------------ success
def test_html_page_is_stored_recorded_and_ingested(repo, web, capsys):
    url = web.route(PAGE_PATH, PAGE)
    assert add(repo, url) == 0
    out = capsys.readouterr().out
    stored = repo / "sources" / "secheresse-vignes-microbes-du-sol.html"
    assert stored.read_bytes() == PAGE  # the fetched bytes, untouched
    assert yaml.safe_load((repo / "sources" / "secheresse-vignes-microbes-du-sol.meta.yaml").read_text("utf-8")) \
        == {"source_url": url}
    meta, body = article(repo)
    assert meta["input_kind"] == "html" and meta["title"] == PAGE_TITLE
    # the address it was fetched from, not the canonical URL the page declares
    assert meta["source_url"] == url
    assert meta["source_file"] == stored.name
    assert f"fetched: {url}: HTML page, 15 KB -> sources/{stored.name}" in out
    assert "git add -- sources/secheresse-vignes-microbes-du-sol.html " in out


def test_same_url_same_bytes_again_changes_nothing(repo, web, capsys):
    url = web.route(PAGE_PATH, PAGE)
    assert add(repo, url) == 0
    before = tree(repo)
    mtimes = {p: p.stat().st_mtime_ns for p in repo.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert add(repo, url) == 0
    assert "unchanged: docs/articles/" in capsys.readouterr().out
    assert tree(repo) == before
    assert {p: p.stat().st_mtime_ns for p in repo.rglob("*") if p.is_file()} == mtimes


def test_pdf_through_a_redirect_chain_records_the_final_address(repo, web, capsys):
    final = web.route("/medias/communique-eaux-garonne.pdf", PDF, "application/pdf")
    web.redirect("/b", "/medias/communique-eaux-garonne.pdf?utm_source=lettre&utm_medium=email", 301)
    first = web.redirect("/go/abc123", "/b")
    assert add(repo, first) == 0
    out = capsys.readouterr().out
    stored = repo / "sources" / "communique-eaux-garonne.pdf"
    assert stored.read_bytes() == PDF
    meta, _ = article(repo)
    assert meta["input_kind"] == "pdf" and meta["title"] == PDF_TITLE
    assert meta["source_url"] == final  # after redirects, campaign parameters dropped
    assert f"redirected to {final}?utm_source=lettre" in out
    assert add(repo, first) == 0  # and again: the same source, nothing new
    assert sorted(p.name for p in (repo / "sources").iterdir()) == [
        "communique-eaux-garonne.meta.yaml", "communique-eaux-garonne.pdf"]


def test_pdf_served_as_octet_stream_is_recognised_by_its_bytes(repo, web):
    url = web.route("/telecharger/communique-eaux-garonne.pdf", PDF, "application/octet-stream")
    assert add(repo, url) == 0
    assert (repo / "sources" / "communique-eaux-garonne.pdf").read_bytes() == PDF


def test_an_address_that_names_nothing_gets_the_page_title_and_a_hash(repo, web):
    url = web.route("/index.php?id=4812", PAGE)
    assert add(repo, url) == 0
    [name] = [p.name for p in (repo / "sources").glob("*.html")]
    assert name.startswith("secheresse-les-microbes-du-sol-aident-la-vigne")
    stem = name.removesuffix(".html")
    assert stem.replace("-", "").isalnum() and stem == stem.lower() and len(name) <= 72
    assert add(repo, url) == 0  # stable: the same name again
    assert [p.name for p in (repo / "sources").glob("*.html")] == [name]


def test_url_option_overrides_the_recorded_address(repo, web):
    url = web.route(PAGE_PATH, PAGE)
    assert add(repo, url, "--url", "https://www.inrsv.example/vigne", "--date", "2023-10-13") == 0
    meta, _ = article(repo)
    assert meta["source_url"] == "https://www.inrsv.example/vigne" and meta["date"] == "2023-10-13"


# ------------------------------------------------------------------ another source, a newer copy, hand edits
def test_a_name_taken_by_another_source_gets_a_suffix_and_the_other_is_untouched(repo, web):
    other = repo / "sources" / "secheresse-vignes-microbes-du-sol.html"
    other.write_bytes(b"<html><body><p>another page altogether</p></body></html>")
    url = web.route(PAGE_PATH, PAGE)
    assert add(repo, url) == 0
    assert other.read_bytes().startswith(b"<html><body><p>another")
    [mine] = [p for p in (repo / "sources").glob("secheresse-vignes-microbes-du-sol-*.html")]
    assert mine.read_bytes() == PAGE


def test_a_changed_page_needs_replace_and_a_hand_edit_is_still_kept(repo, web, capsys):
    url = web.route(PAGE_PATH, PAGE)
    assert add(repo, url) == 0
    stored = repo / "sources" / "secheresse-vignes-microbes-du-sol.html"
    changed = PAGE.replace(b"</article>", b"<p>Mise \xc3\xa0 jour : les essais se poursuivent en 2024 "
                                         b"sur trois parcelles de plus.</p></article>", 1)
    assert changed != PAGE
    web.route(PAGE_PATH, changed)
    capsys.readouterr()
    assert add(repo, url) == 2
    err = capsys.readouterr().err
    assert "older copy" in err and "--replace" in err and err.count("\n") == 1
    assert stored.read_bytes() == PAGE

    [path] = (repo / "docs" / "articles").glob("*.md")
    edited = path.read_text("utf-8").replace("vigne", "vigne (corrigé)", 1)
    path.write_text(edited, encoding="utf-8")
    assert add(repo, url, "--replace") == 0
    assert stored.read_bytes() == changed  # the new copy is the source of record
    assert "was edited by hand" in capsys.readouterr().err
    assert path.read_text("utf-8") == edited  # never silently overwritten


# ------------------------------------------------------------------ failures: one line naming the URL, nothing written
@pytest.mark.parametrize(("route", "message"), [
    ({"body": b"not here", "status": 404}, "HTTP 404"),
    ({"body": b"oops", "status": 500}, "HTTP 500"),
    ({"body": b"Just a note in plain text.\n", "content_type": "text/plain; charset=utf-8"},
     "the answer is text/plain, not an HTML page or a PDF"),
    ({"body": b"\x89PNG\r\n\x1a\n" + bytes(2000), "content_type": "image/png"},
     "the answer is image/png, not an HTML page or a PDF"),
    ({"body": b"\x89PNG\r\n\x1a\n" + bytes(2000), "content_type": "text/html"},
     "the server says text/html but sent a PNG image"),
    ({"body": PAGE, "content_type": "application/pdf"}, "the bytes are not a PDF"),
    ({"body": b"PK\x03\x04" + bytes(3000), "content_type": "application/octet-stream"},
     "a ZIP archive"),
    ({"body": b"", "content_type": "text/html"}, "empty answer"),
])
def test_bad_answers_fail_in_one_line_and_write_nothing(repo, web, capsys, route, message):
    url = web.route("/page-en-erreur.html", **route)
    before = tree(repo)
    assert add(repo, url) == 1
    err = one_line_error(capsys, url)
    assert message in err
    assert tree(repo) == before


def test_timeout(repo, web, capsys):
    url = web.route("/lent.html", PAGE, delay=3)
    assert add(repo, url, "--timeout", "0.3") == 1
    assert "no answer within 0.3 s (timeout)" in one_line_error(capsys, url)
    assert tree(repo) == {}


def test_connection_refused(repo, closed_port, capsys, web):
    url = f"http://127.0.0.1:{closed_port}/communique.html"
    assert add(repo, url) == 1
    assert "cannot connect: connection refused" in one_line_error(capsys, url)


@pytest.mark.parametrize("content_length", [True, False])
def test_oversized_answer_stops_and_writes_nothing(repo, web, capsys, monkeypatch, content_length):
    import scidigest.ingest.html as html

    monkeypatch.setattr(html, "MAX_BYTES", 8 * 1024)
    url = web.route("/grosse-page.html", PAGE * 4, content_length=content_length)
    assert add(repo, url) == 1
    err = one_line_error(capsys, url)
    assert "over the 8 KiB limit" in err
    assert ("stopped reading" in err) is (not content_length)
    assert tree(repo) == {}


def test_redirect_loop(repo, web, capsys):
    url = web.redirect("/boucle", "/boucle")
    assert add(repo, url) == 1
    assert "more than 5 redirects" in one_line_error(capsys, url)


def test_redirect_to_another_scheme(repo, web, capsys):
    url = web.redirect("/ailleurs", "ftp://127.0.0.1/communique.pdf")
    assert add(repo, url) == 1
    assert "cannot be fetched" in one_line_error(capsys, url)


def test_only_http_addresses(repo, capsys):
    assert add(repo, "ftp://example.org/communique.pdf") == 1
    assert "only http:// and https:// addresses" in one_line_error(capsys, "ftp://example.org/communique.pdf")


def test_a_page_that_cannot_be_ingested_leaves_nothing(repo, web, capsys):
    url = web.route("/vide.html", b"<html><head><title>Accueil</title></head><body><nav><a href='/'>Accueil</a>"
                                  b"</nav></body></html>")
    assert add(repo, url) == 1
    err = capsys.readouterr().err
    assert "cannot be ingested: no article text found in the HTML page" in err
    assert tree(repo) == {}


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan"])
def test_a_bad_timeout_is_refused_before_any_request(repo, web, capsys, value):
    url = web.route(PAGE_PATH, PAGE)
    with pytest.raises(SystemExit):
        add(repo, url, "--timeout", value)
    assert "is not a number of seconds" in capsys.readouterr().err
    assert web.hits == [] and tree(repo) == {}
