"""The built site in headless Chromium, served on 127.0.0.1 under /scidigest/."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.site import urls
from tests.plugins.browsing import open_page, search_results
from tests.plugins.site_server import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def console_errors(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_home_page_lists_the_articles_in_each_language(browser, site_server):
    browser.get_log("browser")
    for lang in ("fr", "en"):
        open_page(browser, site_server.page(urls.home(lang)))
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
        titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".sd-card__title a")]
        expected = [a.title for a in site_server.site.catalogue.in_lang(lang)][: len(titles)]
        assert titles and titles == expected
        for width, height, name in ((1280, 900, "desktop"), (390, 844, "phone")):
            browser.set_window_size(width, height)
            browser.save_screenshot(str(ARTIFACTS / f"site-home-{lang}-{name}.png"))
        browser.set_window_size(1280, 900)
    assert console_errors(browser) == []


def test_language_switcher_on_an_article_lands_on_its_translation(browser, site_server):
    art = next(a for a in site_server.site.catalogue.in_lang("en") if a.is_translation)
    open_page(browser, site_server.page(urls.article("fr", art.slug)))
    browser.save_screenshot(str(ARTIFACTS / "site-article-fr-desktop.png"))
    link = browser.find_element(By.CSS_SELECTOR, "a.md-select__link[hreflang='en']")
    browser.execute_script("arguments[0].click()", link)
    WebDriverWait(browser, 15).until(lambda d: d.current_url.rstrip("/").endswith(urls.article("en", art.slug).rstrip("/")))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text == art.title
    browser.set_window_size(390, 844)
    browser.save_screenshot(str(ARTIFACTS / "site-article-en-phone.png"))
    browser.set_window_size(1280, 900)
    assert console_errors(browser) == []


def test_switching_to_english_on_an_untranslated_article_says_so(browser, site_server):
    original = site_server.site.catalogue.missing_in("en")[0]
    open_page(browser, site_server.page(urls.article("fr", original.slug)))
    link = browser.find_element(By.CSS_SELECTOR, "a.md-select__link[hreflang='en']")
    browser.execute_script("arguments[0].click()", link)
    WebDriverWait(browser, 15).until(lambda d: "/en/" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    notice = browser.find_element(By.CSS_SELECTOR, ".sd-untranslated")
    assert "not been translated" in notice.text
    assert notice.find_element(By.TAG_NAME, "a").get_attribute("lang") == "fr"


def test_search_finds_a_word_from_one_article_body_in_french_and_in_english(browser, site_server):
    browser.get_log("browser")
    art = next(s for s in site_server.site.synthetic if s.translated)
    for lang in ("fr", "en"):
        hrefs = [r["href"] for r in search_results(browser, site_server, lang, art.unique_word)]
        pages = [h.split("#")[0].split("?")[0] for h in hrefs]  # search.highlight adds ?h=word
        assert pages == [site_server.page(urls.article(lang, art.slug))], hrefs
    assert console_errors(browser) == []


def test_english_search_shows_no_french_page(browser, site_server):
    untranslated = next(s for s in site_server.site.synthetic if not s.translated)
    assert search_results(browser, site_server, "en", untranslated.unique_word) == []
    # a word common to many articles: every English result is under /en/
    hrefs = [r["href"] for r in search_results(browser, site_server, "en", "researchers")]
    assert hrefs and all(h.startswith(site_server.page("en/")) for h in hrefs), hrefs
    hrefs = [r["href"] for r in search_results(browser, site_server, "fr", "chercheurs")]
    assert hrefs and not any(h.startswith(site_server.page("en/")) for h in hrefs), hrefs


def test_article_body_is_set_in_a_serif_and_headings_in_the_sans(browser, site_server):
    art = next(a for a in site_server.site.catalogue.in_lang("fr") if a.source_url)
    open_page(browser, site_server.page(urls.article("fr", art.slug)))
    fonts = browser.execute_script(
        "const f = s => getComputedStyle(document.querySelector(s)).fontFamily;"
        "return {body: f('.md-content .md-typeset p:not([class])'), h1: f('.md-content h1'), nav: f('.md-header')};")
    # the first family of the declared stack (Material redefines --md-text-font-family on <body>)
    assert fonts["body"].split(",")[0].strip('"') == "Charter", fonts
    assert fonts["body"].rstrip().endswith("serif") and "sans-serif" not in fonts["body"], fonts
    assert "sans-serif" in fonts["h1"] and "sans-serif" in fonts["nav"], fonts


def test_printed_article_has_no_chrome_and_shows_the_source_url(browser, site_server):
    art = next(a for a in site_server.site.catalogue.in_lang("fr") if a.source_url)
    open_page(browser, site_server.page(urls.article("fr", art.slug)))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.execute_script(
            "const d = s => [...document.querySelectorAll(s)].map(e => getComputedStyle(e).display);"
            "return {header: d('.md-header'), tabs: d('.md-tabs'), sidebars: d('.md-sidebar'), footer: d('.md-footer'),"
            " after: getComputedStyle(document.querySelector('a.sd-source'), '::after').content};")
        browser.save_screenshot(str(ARTIFACTS / "site-article-fr-print.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    for part in ("header", "tabs", "sidebars", "footer"):
        assert shown[part] and set(shown[part]) == {"none"}, (part, shown)
    assert art.source_url in shown["after"], shown["after"]
