"""The 404 pages in headless Chromium, served as GitHub Pages serves them: the
root ``404.html`` (status 404) for every missing URL, whatever its language."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.site import urls
from tests.plugins.site_server import SITE_PATH, _Handler

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class _PagesHandler(_Handler):
    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (self.directory_path / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def pages_url(built_site):
    handler = type("H", (_PagesHandler,), {"directory_path": built_site.site_dir})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(built_site.site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}"
    finally:
        server.shutdown()
        server.server_close()


def open_as(browser, url: str, accept_language: str) -> dict:
    ua = browser.execute_script("return navigator.userAgent")
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": ua, "acceptLanguage": accept_language})
    browser.get(url)
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return browser.execute_script(
        "return {lang: document.documentElement.lang, title: document.title, nav: navigator.languages,"
        " shown: [...document.querySelectorAll('section.sd-404')].filter(s => !s.hidden).map(s => s.lang),"
        " h1: [...document.querySelectorAll('article h1')].filter(h => h.offsetParent).map(h => h.textContent.trim()),"
        " switcher: [...document.querySelectorAll('a.md-select__link')].map(a => [a.hreflang, a.pathname])}")


def test_a_missing_page_is_in_the_readers_language_and_the_switcher_opens_the_homes(browser, pages_url):
    browser.get_log("browser")
    homes = sorted([lang, SITE_PATH + urls.home(lang)] for lang in ("fr", "en"))
    try:
        cases = [
            (urls.article("en", "no-such-article"), "fr-FR,fr", "en"),  # the URL's language wins
            (urls.article("fr", "article-inexistant"), "en-GB,en", "en"),  # no prefix: the browser's
            (urls.article("fr", "article-inexistant"), "fr-CA,en", "fr"),
            ("en/404.html", "fr-FR", "en"),  # the English page itself
        ]
        for path, accept, lang in cases:
            seen = open_as(browser, pages_url + path, accept)
            assert seen["lang"] == lang and seen["shown"] == [lang], (path, accept, seen)
            assert seen["h1"] == [{"fr": "Page introuvable", "en": "Page not found"}[lang]], (path, seen)
            assert sorted(seen["switcher"]) == homes, (path, seen["switcher"])
        # a language the site does not have: every version stays offered
        seen = open_as(browser, pages_url + "nulle-part/", "de-DE,de")
        assert seen["shown"] == ["fr", "en"] and seen["lang"] == "fr", seen
        assert browser.find_element(By.CSS_SELECTOR, "section.sd-404[lang='en'] a").get_attribute("pathname") == \
            SITE_PATH + urls.home("en")
    finally:
        ua = browser.execute_script("return navigator.userAgent")
        browser.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": ua})
    assert [e["message"] for e in browser.get_log("browser")
            if e["level"] == "SEVERE" and "404" not in e["message"]] == []
