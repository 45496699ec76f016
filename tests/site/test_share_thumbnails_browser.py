"""Card thumbnails and the share and print row, in headless Chromium under the site's
Content-Security-Policy: two articles get a hero image; on both home pages their thumbnails
load (the one file under ``articles/img/``, no CSP refusal, no layout shift when they arrive);
on an article the Print button is shown by the site's own script and prints, the Share… button
only where the Web Share API exists; the home and the article pass axe-core (the audits' own
helper) in light and dark, and the Nu HTML checker finds no error of ours in them."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.site import urls
from tests.ingest.test_figures import png
from tests.plugins.site_server import BuiltSite, build_site, copy_site_project, serving
from tests.site.test_audits_browser import (
    _AXE_RUN,
    AXE,
    MATERIAL_ONLY,
    SCHEMES,
    _installed,
    _oneline,
    _open,
    _vnu,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

IMAGES = {  # slug -> its stored hero image (as ingest names them: img/<sha256 prefix>.<ext>)
    "cellules-stromales-mesenchymateuses-et-choc-septique": ("img/00000000000000a1.png", (640, 360)),
    "regenerer-les-neurones-perdus-un-pari-reussi-pour-la-recherche": ("img/00000000000000b2.png", (300, 400)),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("share-thumbnails")
    project = copy_site_project(root / "project")
    articles = project.project_dir / "docs" / "articles"
    (articles / "img").mkdir(exist_ok=True)
    for slug, (image, size) in IMAGES.items():
        (articles / image).write_bytes(png(*size))
        for lang in ("fr", "en"):
            path = articles / f"{slug}.{lang}.md"
            text = path.read_text(encoding="utf-8")
            assert text.startswith("---\n") and "\nimage:" not in text
            path.write_text("---\nimage: " + image + "\n" + text[4:], encoding="utf-8")
    site_dir = build_site(project.project_dir, root / "site")  # --strict
    with serving(BuiltSite(project.project_dir, site_dir, None, [], "")) as server:
        yield server


def _csp_refusals(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]


def _axe(browser, label: str) -> list[str]:
    browser.execute_script(_installed(AXE).read_text(encoding="utf-8"))
    result = browser.execute_async_script(_AXE_RUN)
    assert result["ok"], f"axe-core failed on {label}: {result.get('error')}"
    return [f"{rule['id']} | {label} | {node['target']}: {_oneline(node['summary'])[:200]}"
            for rule in result["rules"] for node in rule["nodes"]]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_card_thumbnails_load_under_the_csp_sized_before_they_arrive(browser, served, lang):
    browser.get_log("browser")  # (what earlier tests left)
    _open(browser, served.page(urls.home(lang)), "light")
    thumbs = browser.find_elements(By.CSS_SELECTOR, ".sd-card img.sd-card__img")
    assert len(thumbs) == len(IMAGES)
    # each card's box is the same before and after its image arrives: 16:9 of the card's width
    boxes = [t.rect for t in thumbs]
    for thumb in thumbs:
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", thumb)
    WebDriverWait(browser, 15).until(lambda d: all(
        d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", t) for t in thumbs))
    for thumb, before in zip(thumbs, boxes, strict=True):
        src = browser.execute_script("return arguments[0].currentSrc", thumb)
        assert src.startswith(served.url + "articles/img/"), src  # the one file, for English too
        natural = browser.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", thumb)
        assert tuple(natural) in {s for _, s in IMAGES.values()}
        assert (thumb.get_dom_attribute("width"), thumb.get_dom_attribute("height")) == tuple(map(str, natural))
        assert (thumb.rect["width"], thumb.rect["height"]) == (before["width"], before["height"])
        assert abs(thumb.rect["width"] / thumb.rect["height"] - 16 / 9) < 0.02
        assert thumb.get_dom_attribute("alt") == ""
    assert [t.get_dom_attribute("loading") for t in thumbs] == [None, "lazy"]  # the first may be in view at once
    assert not _csp_refusals(browser)


def test_print_and_share_buttons_and_axe_on_cards_and_share_row(browser, served):
    browser.set_script_timeout(120)
    slug = next(iter(IMAGES))
    findings = []
    try:
        for lang in ("fr", "en"):
            article = served.page(urls.article(lang, slug))
            for scheme in SCHEMES:
                _open(browser, article, scheme)
                row = browser.find_element(By.CSS_SELECTOR, ".sd-actions")
                printing = row.find_element(By.CSS_SELECTOR, "button[data-sd-print]")
                assert printing.is_displayed() and printing.text == {"fr": "Imprimer", "en": "Print"}[lang]
                share = row.find_element(By.CSS_SELECTOR, "button[data-sd-share]")
                has_share = browser.execute_script("return typeof navigator.share === 'function'")
                assert share.is_displayed() == has_share
                links = [a.get_attribute("href") for a in row.find_elements(By.TAG_NAME, "a")]
                assert len(links) == 3 and all(urls.article(lang, slug) in h.replace("%2F", "/") for h in links)
                findings += _axe(browser, f"{lang} article {scheme}")
                _open(browser, served.page(urls.home(lang)), scheme)
                findings += _axe(browser, f"{lang} home {scheme}")
            # the button prints (window.print, counted instead of opening the dialog)
            _open(browser, article, "light")
            browser.execute_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
            browser.find_element(By.CSS_SELECTOR, "button[data-sd-print]").click()
            assert browser.execute_script("return window.__printed") == 1
            # printed, the row, the header and the pager are gone; the article's text is not
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print", "features": []})
            assert not browser.find_element(By.CSS_SELECTOR, ".sd-actions").is_displayed()
            assert not browser.find_element(By.CSS_SELECTOR, ".md-header").is_displayed()
            assert browser.find_element(By.CSS_SELECTOR, ".sd-provenance").is_displayed()
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    assert not _csp_refusals(browser)
    assert not findings, f"axe-core {len(findings)} violation(s):\n" + "\n".join(findings)


def test_the_nu_checker_finds_no_error_in_cards_with_thumbnails_and_the_share_row(served):
    site_dir = served.site.site_dir
    slug = next(iter(IMAGES))
    files = [site_dir / url / "index.html" for lang in ("fr", "en") for url in (urls.home(lang), urls.article(lang, slug))]
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert all(t.count('class="sd-card__img"') == len(IMAGES) for t in texts[0::2])  # the homes
    assert all(t.count('class="sd-actions"') == 1 for t in texts[1::2])  # the articles
    errors = [f"{m.get('url', '').rpartition('/site/')[2]} | {_oneline(m.get('extract', ''))[:160]}: {m['message']}"
              for m in _vnu(files) if (m.get("type") == "error" or m.get("subType") == "fatal")
              and not any(re.search(msg, m["message"]) and re.search(ext, m.get("extract", ""))
                          for msg, ext, _ in MATERIAL_ONLY)]
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)
