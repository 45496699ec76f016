"""The Lighthouse benchmark's harness (no Lighthouse run here): its server answers
as GitHub Pages does, its page list is issue 11's, and its count of synthetic
originals gives the promised articles per language. If any of these drifted,
the benchmark would measure another site or another server without saying so."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

import pytest

from scidigest.bench import lighthouse
from scidigest.bench.audit_pages import audit_pages
from scidigest.site.catalogue import Catalogue, load_articles
from scidigest.site.synthetic import write_synthetic_articles


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - 127.0.0.1 only
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def site(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>accueil</title>" + "x" * 4000, encoding="utf-8")
    (tmp_path / "en" / "index.html").write_text("<!doctype html><title>home</title>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<!doctype html><title>introuvable</title>", encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with lighthouse.Server(tmp_path) as server:
        yield server


def test_the_server_gzips_text_like_github_pages_and_caches_for_ten_minutes(site):
    status, headers, body = _get(site.url, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"<!doctype html><title>accueil")
    assert int(headers["Content-Length"]) == len(body) < 4000
    assert headers["Cache-Control"] == "max-age=600" and headers["Content-Type"].startswith("text/html")
    # not asked for: sent as it is; an image is never gzipped
    status, headers, body = _get(site.url)
    assert status == 200 and "Content-Encoding" not in headers and body.startswith(b"<!doctype html>")
    status, headers, _ = _get(site.url + "logo.png", **{"Accept-Encoding": "gzip"})
    assert status == 200 and "Content-Encoding" not in headers and headers["Content-Type"] == "image/png"
    # revalidation by ETag
    etag = _get(site.url)[1]["ETag"]
    assert _get(site.url, **{"If-None-Match": etag})[0] == 304


def test_a_missing_page_is_the_sites_404_with_status_404_and_a_directory_redirects(site):
    status, _, body = _get(site.url + "nope/")
    assert status == 404 and b"introuvable" in body
    assert _get(site.url.replace("/scidigest/", "/elsewhere/"))[0] == 404  # only the project path is served
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(site.url + "en", timeout=10)
    assert moved.value.code == 301 and moved.value.headers["Location"] == "/scidigest/en/"


@pytest.mark.parametrize("per_language", [1, 6, 7, 13, 14])
def test_the_fewest_originals_whose_translations_reach_the_count(tmp_path, per_language):
    n = lighthouse.originals_for(per_language)
    made = write_synthetic_articles(tmp_path, n)
    assert sum(a.translated for a in made) >= per_language
    assert sum(a.translated for a in made[:-1]) < per_language  # one fewer would not do


def test_the_audited_pages_are_issue_11s_in_both_languages(tmp_path):
    write_synthetic_articles(tmp_path, 8)
    pages = audit_pages(Catalogue(load_articles(tmp_path)))
    assert [(p.lang, p.kind) for p in pages] == [(lang, kind) for lang in ("fr", "en")
                                                 for kind in ("home", "article", "listing", "tag")]
    fr, en = (next(p for p in pages if p.lang == lang and p.kind == "article") for lang in ("fr", "en"))
    assert en.path == "en/" + fr.path  # the article and its translation
    assert pages[0].path == "" and pages[4].path == "en/"


def test_a_failing_audit_is_one_line_with_its_nodes():
    report = {"categories": {c: {"auditRefs": []} for c in lighthouse.CATEGORIES}, "audits": {}}
    report["categories"]["accessibility"]["auditRefs"] = [{"id": "aria-dialog-name", "weight": 7},
                                                          {"id": "passing", "weight": 3}]
    report["categories"]["performance"]["auditRefs"] = [{"id": "speed-index", "weight": 10},
                                                        {"id": "total-blocking-time", "weight": 30}]
    report["audits"] = {
        "aria-dialog-name": {"score": 0, "title": "Dialogs have names",
                             "details": {"items": [{"node": {"selector": "div.md-search"}}]}},
        "passing": {"score": 1, "title": "ok"},
        "speed-index": {"score": 0.95, "title": "Speed Index", "displayValue": "1.0 s"},
        "total-blocking-time": {"score": 0.5, "title": "Total Blocking Time", "displayValue": "600 ms"},
    }
    assert lighthouse.failing_audits(report) == [
        "performance: total-blocking-time (0.50) Total Blocking Time | 600 ms",
        "accessibility: aria-dialog-name (0.00) Dialogs have names | on div.md-search",
    ]
