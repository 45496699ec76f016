"""What the browser tests do in a page, written once: open it and wait for it to load, and
run Material's search from a home page."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.site import urls


def open_page(browser, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def search_results(browser, site_server, lang: str, query: str) -> list[dict]:
    """Material's search on the home page of ``lang``: [{href, page, html}] of each result
    (``page``: the href without the fragment and the ``?h=`` search.highlight adds)."""
    open_page(browser, site_server.page(urls.home(lang)) + "?q=" + query)
    none_text = browser.execute_script(
        "return JSON.parse(document.getElementById('__config').textContent).translations['search.result.none']")

    def settled(d):
        if d.find_elements(By.CSS_SELECTOR, ".md-search-result__item > a"):
            return True
        meta = d.find_elements(By.CSS_SELECTOR, ".md-search-result__meta")
        return bool(meta) and meta[0].text.strip() == none_text

    WebDriverWait(browser, 20).until(settled)
    found = []
    for a in browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item > a"):
        href = a.get_attribute("href")
        found.append({"href": href, "page": href.split("#")[0].split("?")[0], "html": a.get_attribute("innerHTML")})
    return found
