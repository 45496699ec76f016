"""Figures through a strict build: an HTML source's image kept by ingest, translated with its
caption and alt text, published once and shown in both languages; a caption whose image is not
reproduced (the seed ``regenerer-les-neurones...``, a text source) is a note, not the opening
paragraph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html

from scidigest.frontmatter import read_meta
from scidigest.ingest.writer import ingest
from tests.ingest.test_figures import page_with_image, png
from tests.plugins.site_server import BuiltSite, build_site, copy_site_project, serving
from tests.plugins.translator_stub import StubTranslator

pytestmark = pytest.mark.slow

SLUG = "des-coraux-qui-resistent-a-la-chaleur"
SEED = "regenerer-les-neurones-perdus-un-pari-reussi-pour-la-recherche"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    root = tmp_path_factory.mktemp("figures-build")
    project = copy_site_project(root / "project")
    articles = project.project_dir / "docs" / "articles"
    report = ingest([page_with_image(root, png())], articles)
    assert report.counts["created"] == 1, report.results
    stub = StubTranslator()
    try:
        done = subprocess.run([sys.executable, "-m", "scidigest.cli", "translate", "--provider", "libre",
                               "--provider-url", stub.url, "--articles", str(articles), "--only", SLUG,
                               "--memory", str(root / "memory"), "--no-progress"],
                              capture_output=True, text=True, timeout=300)
    finally:
        stub.close()
    assert done.returncode == 0, done.stdout + done.stderr
    site_dir = build_site(project.project_dir, root / "site")  # --strict
    return BuiltSite(project.project_dir, site_dir, None, [], "")


def _page(site: BuiltSite, url: str):
    return html.fromstring((site.site_dir / url / "index.html").read_bytes())


def _all(el, tag: str, cls: str) -> list:
    """Descendants ``tag`` (``*``: any) whose class list holds ``cls``."""
    return el.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")


def _resolve(site: BuiltSite, url: str, src: str) -> Path:
    return (site.site_dir / url / src).resolve()


@pytest.mark.parametrize("lang_prefix", ["", "en/"])
def test_the_kept_image_is_one_file_shown_in_both_languages_with_its_caption(site, lang_prefix):
    url = f"{lang_prefix}articles/{SLUG}/"
    meta = read_meta(site.project_dir / "docs" / "articles" / f"{SLUG}.{'en' if lang_prefix else 'fr'}.md")
    stored = site.project_dir / "docs" / "articles" / meta["image"]
    figures = _all(_page(site, url), "article//figure", "sd-figure")
    assert len(figures) == 1
    img = figures[0].find("img")
    target = _resolve(site, url, img.get("src"))
    assert target == (site.site_dir / "articles" / meta["image"]).resolve()
    assert target.read_bytes() == stored.read_bytes()
    assert (img.get("width"), img.get("height")) == ("320", "200") and img.get("alt")  # read from the file
    caption = figures[0].find("figcaption").text_content()
    assert "©" in caption and caption.strip()
    if lang_prefix:  # the translation carries the figure, its alt text and caption translated
        fr = _all(_page(site, f"articles/{SLUG}/"), "article//figure", "sd-figure")[0]
        assert img.get("alt") != fr.find("img").get("alt")
        assert caption != fr.find("figcaption").text_content()
    # the image that could not be stored: a note, and nothing loaded from elsewhere
    notes = _all(_page(site, url), "article//*", "sd-figure-missing")
    assert len(notes) == 1 and "©" in notes[0].text_content()
    assert not [i for i in _page(site, url).iter("img") if "example.org" in (i.get("src") or "")]


@pytest.mark.parametrize("lang_prefix, label", [("", "Image non reproduite"), ("en/", "Image not reproduced")])
def test_a_caption_without_its_image_is_a_note_not_the_first_paragraph(site, lang_prefix, label):
    page = _page(site, f"{lang_prefix}articles/{SEED}/")
    content = _all(page, "article", "md-typeset")[0]
    note = _all(content, "*", "sd-figure-missing")
    assert len(note) == 1 and note[0].get("role") == "note"
    assert _all(note[0], "*", "sd-figure-missing__label")[0].text_content() == label
    assert "©" in _all(note[0], "p", "caption")[0].text_content()
    # the article opens with the note, under its header and the theme's share row (not with the
    # caption as a paragraph)
    body = [el for el in content if el.tag not in ("nav", "header") and "sd-actions" not in (el.get("class") or "")]
    assert body[0] is note[0] and body[1].tag == "p"
    # no caption anywhere on the site stands alone as a paragraph
    for path in site.site_dir.rglob("articles/*/index.html"):
        for p in _all(html.fromstring(path.read_bytes()), "p", "caption"):
            assert "sd-figure-missing" in (p.getparent().get("class") or ""), path


@pytest.mark.browser
def test_the_image_loads_in_chromium_under_the_sites_csp_in_both_languages(site, browser):
    with serving(site) as server:
        for url in (f"articles/{SLUG}/", f"en/articles/{SLUG}/"):
            browser.get(server.page(url))
            size = browser.execute_script(
                "const i = document.querySelector('figure.sd-figure img');"
                "return i && i.decode().then(() => [i.naturalWidth, i.naturalHeight], () => null);")
            assert size == [320, 200], url


def test_the_notes_label_is_not_in_the_search_index(site):
    for index in site.site_dir.rglob("search/**/*.json"):
        text = index.read_text("utf-8")
        assert "Image non reproduite" not in text and "Image not reproduced" not in text, index
    assert "Lentini" in (site.site_dir / "search" / "search_index.json").read_text("utf-8")  # the caption is


@pytest.mark.browser
def test_figures_and_notes_pass_axe_core_in_light_and_dark(site, browser):
    from tests.site.test_audits_browser import _AXE_RUN, AXE, SCHEMES, _installed, _open

    # the article's content (figures, notes, text): the page's chrome is the audits' business
    run = _AXE_RUN.replace("axe.run(document,", "axe.run({include: [['article.md-typeset']]},")
    assert run != _AXE_RUN

    source = _installed(AXE).read_text(encoding="utf-8")
    browser.set_script_timeout(120)
    findings = []
    try:
        with serving(site) as server:
            for url in (f"articles/{SLUG}/", f"en/articles/{SLUG}/", f"articles/{SEED}/", f"en/articles/{SEED}/"):
                for scheme in SCHEMES:
                    _open(browser, server.page(url), scheme)
                    browser.execute_script(source)
                    result = browser.execute_async_script(run)
                    assert result["ok"], result
                    findings += [f"{r['id']} | {url} | {scheme} | {n['target']}" for r in result["rules"] for n in r["nodes"]]
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    assert not findings, "\n".join(findings)
