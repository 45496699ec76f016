"""The fetch of one document (scidigest.ingest.fetch): what an answer is, the name it gets in
sources/, the address recorded, and the limits (against a server on 127.0.0.1)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from scidigest.ingest.fetch import (
    FetchError,
    document_kind,
    fetch,
    looks_html,
    record_url,
    source_name,
    url_stem,
    with_suffix_hash,
)

PDF = (Path(__file__).resolve().parents[1] / "corpus" / "dev" / "pdf-en-03-jag-newsroom" / "source.pdf").read_bytes()
HTML = b"<!DOCTYPE html>\n<html lang='fr'><head><title>Page</title></head><body><p>Texte.</p></body></html>"


# ------------------------------------------------------------------ what the answer is
@pytest.mark.parametrize(("ctype", "head", "kind"), [
    ("text/html; charset=utf-8", HTML, "html"),
    ("application/xhtml+xml", b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", "html"),
    ("application/pdf", PDF[:2048], "pdf"),
    ("application/octet-stream", PDF[:2048], "pdf"),
    ("", PDF[:2048], "pdf"),
    ("text/plain", PDF[:2048], "pdf"),  # a misconfigured server: PDF bytes are unambiguous
    ("text/html", PDF[:2048], "pdf"),
    ("application/octet-stream", b"\xef\xbb\xbf  \n<!doctype html><html>", "html"),
    ("", "\ufeff<html><body>".encode("utf-16-le"), "html"),
    ("TEXT/HTML", "\ufeff<html><body>".encode("utf-16-le"), "html"),  # UTF-16 is not binary
])
def test_document_kind_from_header_and_bytes(ctype, head, kind):
    assert document_kind(ctype, head) == kind


@pytest.mark.parametrize(("ctype", "head", "reason"), [
    ("text/plain", b"Bonjour.\n", "the answer is text/plain, not an HTML page or a PDF"),
    ("application/json", b'{"a": 1}', "the answer is application/json"),
    ("image/jpeg", b"\xff\xd8\xff\xe0" + bytes(100), "the answer is image/jpeg"),
    ("image/png", PDF[:2048], "sent PDF bytes"),
    ("text/html", b"\xff\xd8\xff\xe0" + bytes(100), "sent a JPEG image, not an HTML page"),
    ("text/html", b"abc\x00\x01\x02" * 100, "sent binary data"),
    ("application/pdf", HTML, "the bytes are not a PDF"),
    ("application/octet-stream", b"Bonjour, ceci est du texte.", "neither HTML nor PDF"),
    ("", b"PK\x03\x04" + bytes(100), "no Content-Type, and the answer is a ZIP archive"),
])
def test_document_kind_refusals(ctype, head, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        document_kind(ctype, head)


def test_html_sniffing_needs_a_tag_at_the_start():
    assert looks_html(b"  <div class='x'>")
    assert not looks_html(b"Texte puis <html> plus loin")
    assert not looks_html(b"<?xml version='1.0'?><rss version='2.0'>")


# ------------------------------------------------------------------ names and the recorded address
@pytest.mark.parametrize(("url", "stem"), [
    ("https://www.univ.example/actualites/2024/03/des-abeilles-en-ville/", "des-abeilles-en-ville"),
    ("https://www.univ.example/medias/Communiqué%20Eaux%20Garonne.PDF", "communique-eaux-garonne"),
    ("https://labo.example/news/article.php?id=12", None),
    ("https://labo.example/node/4812", None),
    ("https://labo.example/", None),
    ("https://labo.example/fr/actualites/2024-03-02-abc123/view", None),
    ("https://labo.example/fr/actualites/lune-glace-2024/index.html", "lune-glace-2024"),
])
def test_url_stem(url, stem):
    assert url_stem(url) == stem


def test_source_name_is_strict_stable_and_distinct():
    name = source_name("https://labo.example/index.php?id=12", "html", "L’été où la Lune a « tremblé » !")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.html", name)
    assert name.startswith("l-ete-ou-la-lune-a-tremble-")
    assert name == source_name("https://labo.example/index.php?id=12", "html", "L’été où la Lune a « tremblé » !")
    assert name != source_name("https://labo.example/index.php?id=13", "html", "L’été où la Lune a « tremblé » !")
    assert re.fullmatch(r"labo-[0-9a-f]{6}\.pdf", source_name("https://www.labo.example/node/7", "pdf"))
    long = source_name("https://x.example/" + "-".join(["chercheurs"] * 20), "pdf")
    assert len(long) <= 64 and long.endswith("chercheurs.pdf")
    other = with_suffix_hash("communique.pdf", "https://b.example/communique.pdf")
    assert re.fullmatch(r"communique-[0-9a-f]{6}\.pdf", other)
    assert other == with_suffix_hash("communique.pdf", "https://b.example/communique.pdf")


@pytest.mark.parametrize(("final", "recorded"), [
    ("https://WWW.Labo.example/a/b?utm_source=x&id=3&fbclid=zz#haut", "https://www.labo.example/a/b?id=3"),
    ("https://labo.example/a?b=1&c=%C3%A9", "https://labo.example/a?b=1&c=%C3%A9"),  # untouched
    ("https://labo.example", "https://labo.example/"),
])
def test_recorded_address(final, recorded):
    assert record_url(final) == recorded


# ------------------------------------------------------------------ limits, against a local server
def test_fetch_returns_the_bytes_and_final_address(web):
    web.route("/doc.pdf", PDF, "application/pdf")
    url = web.redirect("/r", "/doc.pdf")
    got = fetch(url, timeout=5)
    assert (got.kind, got.data, got.final_url, got.content_type) == ("pdf", PDF, web.url("/doc.pdf"), "application/pdf")
    assert web.hits == ["/r", "/doc.pdf"]


def test_a_server_that_drips_bytes_hits_the_deadline(web):
    url = web.route("/goutte.html", HTML + b"<!-- -->" * 4000, drip=0.05)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"took more than 0\.6 s"):
        fetch(url, timeout=2, deadline=0.6)  # each piece comes in time, the whole does not
    assert time.monotonic() - started < 2


def test_a_declared_length_over_the_limit_is_refused_before_the_body(web):
    url = web.route("/enorme.pdf", PDF, "application/pdf", delay=0)
    with pytest.raises(FetchError) as info:
        fetch(url, max_bytes=10_000)
    assert str(info.value) == f"{url}: the document is {round(len(PDF) / 1024)} KiB, over the 10 KiB limit"


def test_the_limit_holds_without_a_declared_length(web):
    url = web.route("/enorme.pdf", PDF, "application/pdf", content_length=False)
    with pytest.raises(FetchError, match="over the 10 KiB limit \\(stopped reading\\)"):
        fetch(url, max_bytes=10_000)


def test_a_fetch_error_is_one_line_naming_the_url(web):
    url = web.route("/absent", b"", status=410)
    with pytest.raises(FetchError) as info:
        fetch(url)
    assert str(info.value) == f"{url}: HTTP 410 Gone"
    assert info.value.url == url and info.value.reason == "HTTP 410 Gone"
