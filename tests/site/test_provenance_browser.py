"""What a reader sees at the top of an article, in headless Chromium: every article page shows
its provenance block; an English translation says it is one exactly once (the header's
notice, not an admonition in the body), also when its original is gone; and the block and
the notice pass axe-core in the light and the dark palette."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.site import urls
from tests.plugins.site_server import REPO, BuiltSite, build_site, copy_site_project, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

#: the reader-facing sentences that say a page is a translation, in both site languages
_SAYS_TRANSLATED = re.compile(r"machine translation|traduction automatique|reviewed by a person|relue? par une personne",
                              re.I)

#: axe-core on the provenance block and the notice only (the whole page is audited elsewhere)
_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run({include: [['.sd-provenance'], ['.sd-translation']]}, {resultTypes: ['violations']}).then(
  r => done({ok: true, rules: r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))}),
  e => done({ok: false, error: String(e)}));
"""


def _open(browser, url: str, scheme: str = "light") -> None:
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "", "features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.get(url)
    browser.execute_script("localStorage.clear(); sessionStorage.clear()")
    browser.get(url)
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    browser.execute_script("const s = document.createElement('style'); s.textContent = '*, *::before, *::after "
                           "{ transition: none !important; animation: none !important; }'; document.head.appendChild(s);")


def _visible_provenance(browser) -> dict[str, str]:
    blocks = [b for b in browser.find_elements(By.CSS_SELECTOR, "section.sd-provenance") if b.is_displayed()]
    assert len(blocks) == 1, "one provenance block, visible"
    rows = {}
    for row in blocks[0].find_elements(By.CSS_SELECTOR, "dl > div"):
        term, desc = row.find_element(By.TAG_NAME, "dt"), row.find_element(By.TAG_NAME, "dd")
        assert term.is_displayed() and desc.is_displayed() and desc.size["width"] > 0
        rows[term.text.strip()] = desc.text.strip()
    return rows


def _translation_sentences(browser) -> list[str]:
    text = browser.execute_script("return document.querySelector('article, .md-content').innerText")
    return [line for line in text.splitlines() if _SAYS_TRANSLATED.search(line)]


def test_every_article_page_shows_its_provenance_and_a_translation_says_so_once(browser, site_server):
    catalogue = site_server.site.catalogue
    seen_translations = 0
    for art in catalogue.articles:
        _open(browser, site_server.page(urls.article(art.lang, art.slug)))
        rows = _visible_provenance(browser)
        terms = {"fr": ("Source", "Date", "Type de texte", "Original"),
                 "en": ("Source", "Date", "Type of text", "Original")}[art.lang]
        assert all(rows.get(term) for term in terms), (art.slug, art.lang, rows)
        if art.date is None:
            assert rows["Date"].startswith(("Sans date", "Undated")), rows
        if art.journal:
            assert art.journal in rows[{"fr": "Étude", "en": "Study"}[art.lang]]
        notices = [n for n in browser.find_elements(By.CSS_SELECTOR, ".sd-translation") if n.is_displayed()]
        assert browser.find_elements(By.CSS_SELECTOR, ".md-content .admonition") == []
        if art.is_translation:
            seen_translations += 1
            assert len(notices) == 1, (art.slug, [n.text for n in notices])
            assert len(_translation_sentences(browser)) == 1, _translation_sentences(browser)
            link = notices[0].find_element(By.CSS_SELECTOR, "a.sd-original")
            assert link.get_attribute("href") == site_server.page(urls.article(art.translation_from, art.slug))
        else:
            assert notices == [] and _translation_sentences(browser) == []
    assert seen_translations >= 4  # the seeds' English pages at least


@pytest.fixture(scope="module")
def orphan_site(tmp_path_factory):
    """The seed articles, one English page turned into a machine translation whose French
    original was removed."""
    from scidigest.site.catalogue import Catalogue, load_articles

    root = tmp_path_factory.mktemp("orphan-site")
    project = copy_site_project(root / "project")
    articles = project.project_dir / "docs" / "articles"
    en = sorted(articles.glob("*.en.md"))[0]
    slug = en.name[: -len(".en.md")]
    (articles / f"{slug}.fr.md").unlink()
    en.write_text(en.read_text("utf-8").replace("provider: manual", "provider: google")
                  .replace("status: reviewed", "status: machine"), "utf-8")
    site_dir = build_site(project.project_dir, root / "site")
    site = BuiltSite(project.project_dir, site_dir, Catalogue(load_articles(articles)), [], "")
    with serving(site) as server:
        yield server, slug


def test_a_machine_translation_without_its_original_still_says_it_is_one(browser, orphan_site):
    server, slug = orphan_site
    _open(browser, server.page(urls.article("en", slug)))
    (notice,) = [n for n in browser.find_elements(By.CSS_SELECTOR, ".sd-translation") if n.is_displayed()]
    assert "Machine translation (Google Translate)" in notice.text
    assert "no longer published" in notice.text and notice.find_elements(By.TAG_NAME, "a") == []
    assert len(_translation_sentences(browser)) == 1
    assert _visible_provenance(browser)["Source"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_provenance_block_and_the_notice_pass_axe_in_both_palettes(browser, site_server, scheme):
    script = AXE.read_text("utf-8")
    catalogue = site_server.site.catalogue
    en = next(a for a in catalogue.in_lang("en") if a.is_translation and a.authors and a.source_url)
    undated = next(a for a in catalogue.in_lang("fr") if a.date is None)
    studied = next(a for a in catalogue.articles if a.journal)
    findings = []
    for art in (en, undated, studied):
        _open(browser, site_server.page(urls.article(art.lang, art.slug)), scheme)
        assert browser.execute_script("return document.body.getAttribute('data-md-color-scheme')") == (
            "slate" if scheme == "dark" else "default")
        browser.execute_script(script)
        result = browser.execute_async_script(_AXE_RUN)
        assert result["ok"], result
        findings += [f"{art.lang}/{art.slug}: {r['id']} {r['nodes']}" for r in result["rules"]]
    assert findings == []
