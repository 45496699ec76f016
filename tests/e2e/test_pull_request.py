"""A content pull request, played end to end in a temporary copy of the repository:
`scidigest add` a new source, translate it through the local stub server, run
`scidigest check` and a strict build, then find the article on the built site
in both languages, in the listings and in the feeds."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest

from scidigest.check import run_checks
from scidigest.check.links import base_path, check_site_links
from scidigest.cli import main
from scidigest.translate import make_provider, page_state
from scidigest.translate import run as translate_run
from tests.plugins.samples import read_sample
from tests.plugins.site_server import build_site, copy_site_project
from tests.plugins.translator_stub import fake_translate

REPO = Path(__file__).resolve().parents[2]
SLUG = "le-microbiote-intestinal-regle-le-sommeil"
TEXT = read_sample("microbiote-sommeil.txt")


@pytest.mark.slow
def test_content_pull_request_reaches_the_site_in_both_languages(tmp_path, translator_stub,
                                                                 capsys):
    repo = copy_site_project(tmp_path / "repo").project_dir
    shutil.copytree(REPO / "sources", repo / "sources")
    incoming = tmp_path / "sommeil.txt"
    incoming.write_text(TEXT, encoding="utf-8")

    # 1. the contributor adds the source
    rc = main(["add", str(incoming), "--root", str(repo), "--title",
               "Le microbiote intestinal règle le sommeil", "--date", "2024-03-12",
               "--url", "https://example.org/sommeil", "--slug", SLUG])
    out = capsys.readouterr().out
    assert rc == 0, out
    original = repo / "docs" / "articles" / f"{SLUG}.fr.md"
    assert original.is_file()
    assert f"docs/articles/{SLUG}.fr.md" in out

    # 2. it is translated (the stub puts English words in place of the French ones)
    translate_run(repo / "docs" / "articles", make_provider("libre", url=translator_stub.url),
                  tmp_path / "memory", only=[SLUG])
    english = repo / "docs" / "articles" / f"{SLUG}.en.md"
    assert english.is_file()
    assert page_state(original, "en").state == "fresh"

    # 3. the pull request's checks pass
    findings = run_checks(repo)
    errors = [f"{f.file}:{f.line}: {f.message}" for f in findings if f.is_error]
    assert errors == []
    assert not [f for f in findings if SLUG in f.file and f.rule.startswith("translation")]

    site = build_site(repo, tmp_path / "site", strict=True)
    assert check_site_links(site, base=base_path(repo)) == []

    # 4. the article is on the site, in both languages, listings and feeds
    fr_page = (site / "articles" / SLUG / "index.html").read_text("utf-8")
    en_page = (site / "en" / "articles" / SLUG / "index.html").read_text("utf-8")
    assert "Le microbiote intestinal règle le sommeil" in fr_page
    assert html.escape(fake_translate("Le microbiote intestinal règle le sommeil")) in en_page
    assert "hreflang" in en_page
    for listing in (site / "articles" / "index.html", site / "en" / "articles" / "index.html"):
        assert SLUG in listing.read_text("utf-8"), listing
    for feed in (site / "feed.xml", site / "en" / "feed.xml"):
        assert f"/articles/{SLUG}/" in feed.read_text("utf-8"), feed
