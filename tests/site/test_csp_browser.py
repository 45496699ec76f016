"""The Content-Security-Policy in headless Chromium, on the site built from hostile articles.

A handler and a script planted in a page *after* the build (so no sanitiser
saw them) must not run; the same page without its policy proves they would.
The theme must keep working under the policy: its inline scripts (allowed by
hash), search, the palette toggle and the language switcher.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.site import urls
from tests.plugins.browsing import open_page
from tests.plugins.hostile_site import CONTROL_PAGE, HOSTILE_ARTICLES, PLANTED_PAGE

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def logs(browser) -> list[dict]:
    return browser.get_log("browser")


def severe(entries: list[dict]) -> list[str]:
    return [e["message"] for e in entries if e["level"] == "SEVERE"]


def globals_set(browser) -> dict:
    return browser.execute_script(
        "return {pwned: window.sdPwned, planted: window.sdPlanted, plantedScript: window.sdPlantedScript};")


def test_a_handler_and_a_script_planted_after_the_build_do_not_run(browser, hostile_server):
    logs(browser)
    # the page without its policy: the plant runs (the test can see it happen)
    open_page(browser, hostile_server.page(CONTROL_PAGE))
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return window.sdPlanted") == "handler")
    assert globals_set(browser)["plantedScript"] == "script"
    logs(browser)
    # the published page: the same plant is refused
    open_page(browser, hostile_server.page(PLANTED_PAGE))
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "const i = document.querySelector('#sd-planted img'); return i && i.complete"))
    assert globals_set(browser) == {"pwned": None, "planted": None, "plantedScript": None}
    refused = [m for m in severe(logs(browser)) if "Content Security Policy" in m]
    assert any("inline event handler" in m for m in refused), refused
    assert any("inline script" in m for m in refused), refused
    # the theme's own inline scripts ran: they are allowed by hash
    assert browser.execute_script("return typeof __md_get") == "function"


def test_no_hostile_article_runs_anything_and_the_theme_raises_no_policy_error(browser, hostile_server):
    logs(browser)
    for slug in HOSTILE_ARTICLES:
        url = urls.article("fr", slug)
        if url + "index.html" == PLANTED_PAGE:
            continue
        open_page(browser, hostile_server.page(url))
        browser.execute_script(
            "for (const el of document.querySelectorAll('article *')) {"
            "  for (const t of ['mouseover', 'focus', 'toggle', 'error', 'load']) el.dispatchEvent(new Event(t));"
            "  if (!el.closest('a')) el.dispatchEvent(new MouseEvent('click', {bubbles: true}));"
            "}")
        assert globals_set(browser)["pwned"] is None, slug
    # nothing was even attempted: the sanitiser had removed it all (missing images are fine)
    assert [m for m in severe(logs(browser)) if "Content Security Policy" in m] == []


def test_search_works_under_the_policy_and_shows_a_hostile_title_as_text(browser, hostile_server):
    logs(browser)
    open_page(browser, hostile_server.page(urls.home("fr")) + "?q=zorbalixquatre")

    def results(d):
        return d.find_elements(By.CSS_SELECTOR, ".md-search-result__item > a")

    WebDriverWait(browser, 20).until(results)
    hrefs = [a.get_attribute("href").split("#")[0].split("?")[0] for a in results(browser)]
    assert hostile_server.page(urls.article("fr", "titre-piege")) in hrefs
    shown = browser.execute_script(
        "return [...document.querySelectorAll('.md-search-result h1')].map(h => h.textContent)")
    assert HOSTILE_ARTICLES["titre-piege"][0]["title"] in shown, shown
    assert browser.find_elements(By.CSS_SELECTOR, ".md-search-result img, .md-search-result script") == []
    assert globals_set(browser)["pwned"] is None
    # a normal article's word, in English too: the search worker and both indexes load under the policy
    art = next(s for s in hostile_server.site.synthetic if s.translated)
    for lang in ("fr", "en"):
        open_page(browser, hostile_server.page(urls.home(lang)) + "?q=" + art.unique_word)
        WebDriverWait(browser, 20).until(results)
        pages = [a.get_attribute("href").split("#")[0].split("?")[0] for a in results(browser)]
        assert pages == [hostile_server.page(urls.article(lang, art.slug))], pages
    assert severe(logs(browser)) == []


def test_palette_toggle_and_language_switch_work_under_the_policy(browser, hostile_server):
    logs(browser)
    open_page(browser, hostile_server.page(urls.home("fr")))
    browser.execute_script("localStorage.clear()")
    open_page(browser, hostile_server.page(urls.home("fr")))
    scheme = "return document.body.getAttribute('data-md-color-scheme')"
    assert browser.execute_script(scheme) == "default"
    browser.execute_script("document.querySelector('label[for=\"__palette_1\"]').click()")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(scheme) == "slate")
    # a new page restores it from storage: that is the palette's inline script, allowed by its hash
    open_page(browser, hostile_server.page(urls.all_articles("fr")))
    assert browser.execute_script(scheme) == "slate"
    browser.execute_script("document.querySelector('label[for=\"__palette_0\"]').click()")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(scheme) == "default")
    art = next(s for s in hostile_server.site.synthetic if s.translated)
    open_page(browser, hostile_server.page(urls.article("fr", art.slug)))
    link = browser.find_element(By.CSS_SELECTOR, "a.md-select__link[hreflang='en']")
    browser.execute_script("arguments[0].click()", link)
    WebDriverWait(browser, 15).until(lambda d: d.current_url.rstrip("/").endswith(urls.article("en", art.slug).rstrip("/")))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert severe(logs(browser)) == []
