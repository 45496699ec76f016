"""Orientation in headless Chromium: the phone drawer holds an article's table of
contents, the header tab of the page's section is highlighted off the home pages, the
breadcrumb is there, the English site's palette toggle and footer are English, and the
logo has its size before it loads (no layout shift)."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.site import urls
from tests.plugins.browsing import open_page
from tests.plugins.site_server import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = (390, 844)
DESKTOP = (1280, 900)


def _toc_hrefs(browser, selector: str) -> list[str]:
    return browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(a => a.getAttribute('href'))", selector)


def _article_with_toc(browser, site_server, lang: str):
    """The first article of ``lang`` whose page has a table of contents, and its entries."""
    for art in site_server.site.catalogue.in_lang(lang):
        open_page(browser, site_server.page(urls.article(lang, art.slug)))
        hrefs = _toc_hrefs(browser, ".md-sidebar--secondary [data-md-component=toc] a")
        if hrefs:
            return art, hrefs
    raise AssertionError(f"no {lang} article with headings: the fixture site should have some")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_phone_drawer_shows_the_articles_table_of_contents(browser, site_server, lang):
    browser.set_window_size(*DESKTOP)
    art, hrefs = _article_with_toc(browser, site_server, lang)
    try:
        browser.set_window_size(*PHONE)
        open_page(browser, site_server.page(urls.article(lang, art.slug)))
        browser.find_element(By.CSS_SELECTOR, ".md-header label[for='__drawer']").click()
        # the page's own entry in the drawer, named by its title, opens its table of contents
        entry = WebDriverWait(browser, 5).until(
            lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, ".md-nav--primary label[for='__toc']")
                            if e.is_displayed() and art.title in e.text), None))
        entry.click()
        expected = [h.rpartition("#")[2] for h in hrefs]
        seen: list[str] = []

        def shown(d):
            # the drawer slides in: links become displayed one after another, so wait for the whole list
            seen[:] = [a.get_attribute("href").rpartition("#")[2]
                       for a in d.find_elements(By.CSS_SELECTOR, ".md-nav--primary .md-nav--secondary a")
                       if a.is_displayed()]
            return seen == expected

        try:
            WebDriverWait(browser, 5).until(shown)
        except TimeoutException:
            pass
        browser.save_screenshot(str(ARTIFACTS / f"orientation-drawer-toc-{lang}-phone.png"))
        assert seen == expected
        # at desktop width the table of contents is the right sidebar, not repeated on the left
        browser.set_window_size(*DESKTOP)
        open_page(browser, site_server.page(urls.article(lang, art.slug)))
        assert not [a for a in browser.find_elements(By.CSS_SELECTOR, ".md-nav--primary .md-nav--secondary a")
                    if a.is_displayed()]
    finally:
        browser.set_window_size(*DESKTOP)


def _active_tab(browser) -> str:
    active = [e for e in browser.find_elements(By.CSS_SELECTOR, ".md-tabs__item--active a") if e.is_displayed()]
    assert len(active) == 1, f"{len(active)} active tabs"
    return active[0].get_attribute("href")


def test_the_sections_tab_is_active_on_articles_and_listings(browser, site_server):
    browser.set_window_size(*DESKTOP)
    catalogue = site_server.site.catalogue
    for lang in ("fr", "en"):
        art = next(a for a in catalogue.in_lang(lang) if a.date is not None)
        cases = [
            (urls.article(lang, art.slug), urls.all_articles(lang)),
            (urls.archive_year(lang, art.date.year), urls.archive(lang)),
            (urls.home_page(lang, 2), urls.home(lang)),
        ]
        tagged = next((a for a in catalogue.in_lang(lang) if a.tags), None)
        if tagged is not None:
            cases.append((urls.tag(lang, tagged.tags[0]), urls.tags(lang)))
        for page, tab in cases:
            open_page(browser, site_server.page(page))
            assert _active_tab(browser) == site_server.page(tab), page


def test_articles_and_listings_have_a_breadcrumb_in_the_readers_language(browser, site_server):
    browser.set_window_size(*PHONE)
    try:
        art = next(a for a in site_server.site.catalogue.in_lang("en") if a.date is not None)
        open_page(browser, site_server.page(urls.article("en", art.slug)))
        nav = browser.find_element(By.CSS_SELECTOR, "nav[aria-label='Breadcrumb']")
        assert nav.is_displayed()
        items = nav.find_elements(By.CSS_SELECTOR, "li")
        assert [i.text for i in items] == ["Home", "All articles", art.title]
        assert items[-1].get_attribute("aria-current") == "page"
        assert [a.get_attribute("href") for a in nav.find_elements(By.TAG_NAME, "a")] == [
            site_server.page(urls.home("en")), site_server.page(urls.all_articles("en"))]
        open_page(browser, site_server.page(urls.archive_year("fr", art.date.year)))
        crumbs = [i.text for i in browser.find_elements(By.CSS_SELECTOR, "nav[aria-label='Fil d’Ariane'] li")]
        assert crumbs[:2] == ["Accueil", "Archives"] and len(crumbs) == 3
    finally:
        browser.set_window_size(*DESKTOP)


FRENCH_WORDS = ("mode sombre", "mode clair", "textes", "fait avec", "organismes", "voir")


def test_the_english_sites_palette_toggle_and_footer_are_english_only(browser, site_server):
    browser.set_window_size(*DESKTOP)
    for page in (urls.home("en"), urls.all_articles("en")):
        open_page(browser, site_server.page(page))
        toggles = browser.execute_script(
            "return [...document.querySelectorAll('[data-md-component=palette] [title], "
            "[data-md-component=palette] [aria-label]')].map(e => e.title || e.getAttribute('aria-label'))")
        footer = browser.find_element(By.CSS_SELECTOR, ".md-copyright").text
        assert toggles and "Made with Material for MkDocs" in footer and "source organisations" in footer
        for text in [*toggles, footer]:
            assert not [w for w in FRENCH_WORDS if w in text.lower()], text
        credit = browser.find_element(By.CSS_SELECTOR, ".md-copyright a[href*='mkdocs-material']")
        assert credit.text == "Material for MkDocs"
    open_page(browser, site_server.page(urls.home("fr")))
    assert "Fait avec Material for MkDocs" in browser.find_element(By.CSS_SELECTOR, ".md-copyright").text


def _title_left(browser) -> float:
    return browser.execute_script(
        "return document.querySelector('.md-header__title').getBoundingClientRect().left")


def test_the_logo_has_its_size_before_it_loads(browser, site_server):
    browser.set_window_size(*DESKTOP)
    open_page(browser, site_server.page(urls.home("en")))
    logo = browser.find_element(By.CSS_SELECTOR, ".md-header .md-logo img")
    assert (logo.get_attribute("width"), logo.get_attribute("height")) == ("32", "32")
    box = logo.rect
    assert box["width"] >= 32 and box["height"] >= 32
    assert browser.execute_script("return arguments[0].naturalWidth", logo) > 0
    loaded = _title_left(browser)
    # the logo not there yet (blocked): the header is laid out as it will be once it comes,
    # so nothing moves when it does (the English home shifted by 0.16 with Material's logo)
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*logo.svg*"]})
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        open_page(browser, site_server.page(urls.home("en")))
        blocked = browser.find_element(By.CSS_SELECTOR, ".md-header .md-logo img")
        assert browser.execute_script("return arguments[0].naturalWidth", blocked) == 0  # really not loaded
        assert _title_left(browser) == loaded
        assert blocked.rect["width"] == box["width"] and blocked.rect["height"] == box["height"]
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
