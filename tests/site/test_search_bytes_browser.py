"""What a reader's search downloads, measured in Chromium on synthetic sites of 200 and 800 articles.

The sites are served as GitHub Pages serves them (gzip) by a server that
counts every response (scidigest.bench.search.CountingServer, no-store so
nothing comes from the browser's cache); queries are typed key by key into
Material's search box, as a reader types them. The 2,000-article figures
are the benchmark's (python -m scidigest.bench.search, README).
"""

from __future__ import annotations

from itertools import product
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.bench.search import SITE_PATH, CountingServer, is_index, settle, type_query
from scidigest.site import search_shards, urls
from tests.plugins.site_server import build_site, copy_site_project

SIZES = (200, 800)
#: what a reader's search may download, as served (the issue's bound)
BUDGET = 300 * 1024
COMMON = {"fr": "cellules cerveau", "en": "brain cells"}
#: seconds between keys: a reader's pace, and the whole query at once
TYPED = 0.2
DELAYS = (TYPED, 0)


@pytest.fixture(scope="module")
def sized_sites(tmp_path_factory):
    sites = {}
    for n in SIZES:
        root = tmp_path_factory.mktemp(f"search-{n}")
        project = copy_site_project(root / "project", articles_from=None, synthetic=n)
        sites[n] = (build_site(project.project_dir, root / "site"), project.synthetic)
    return sites


@pytest.mark.browser
@pytest.mark.slow
def test_a_search_downloads_nothing_before_typing_finds_the_article_and_costs_a_bounded_few_kb(
        browser, sized_sites):
    browser.get_log("browser")
    spent: dict[tuple[int, str, str], int] = {}
    for n, (site, synthetic) in sized_sites.items():
        server = CountingServer(site)
        with server.serving():
            for lang in ("fr", "en"):
                arts = [a for a in synthetic if lang == "fr" or a.translated]
                for (query, expected), delay in product(
                        ((arts[len(arts) // 3].unique_word, arts[len(arts) // 3]), (COMMON[lang], None)), DELAYS):
                    mark = server.mark()
                    browser.get(server.page(urls.home(lang)))
                    settle(browser, server)
                    loaded = server.since(mark)
                    assert not [f.path for f in loaded if is_index(f)], (n, lang, "fetched before typing")
                    assert not [f for f in loaded if f.path.endswith("search_index.json")]
                    pages, fetched = type_query(browser, server, query, key_delay=delay)
                    assert pages, (n, lang, query)
                    if expected is not None:
                        assert pages[0] == server.page(urls.article(lang, expected.slug)), (n, lang, query, pages[:3])
                    else:
                        assert len(pages) >= 10, (n, lang, query, pages)
                    assert all(is_index(f) for f in fetched), [f.path for f in fetched if not is_index(f)]
                    # only this language's index
                    own = SITE_PATH + urls.home(lang) + "search/" + search_shards.INDEX_DIR + "/"
                    assert all(f.path.startswith(own) for f in fetched), [f.path for f in fetched]
                    sent = sum(f.sent for f in fetched)
                    assert sent <= BUDGET, (n, lang, query, sent)
                    spent[(n, lang, "unique" if expected else "common", delay)] = sent
    print("bytes as served per query:", spent)
    for lang, kind in product(("fr", "en"), ("unique", "common")):
        # the whole query at once: the same few files at four times the articles (the manifest grows a little)
        small, large = spent[(SIZES[0], lang, kind, 0)], spent[(SIZES[1], lang, kind, 0)]
        assert large <= 1.15 * small + 2048, (lang, kind, small, large, spent)
        # key by key: each keystroke's cost is bounded, but on a small site the keystrokes share more
        # files (fewer pages match each prefix): far less than four times, and it levels off (README)
        small, large = spent[(SIZES[0], lang, kind, TYPED)], spent[(SIZES[1], lang, kind, TYPED)]
        assert large <= 1.6 * small, (lang, kind, small, large, spent)
    assert [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


@pytest.mark.browser
@pytest.mark.slow
def test_a_result_opens_its_page_with_the_word_highlighted_as_written(browser, site_server):
    slug = next(a.slug for a in site_server.site.catalogue.in_lang("fr") if "kétamine" in a.title.lower())
    server = CountingServer(site_server.site.site_dir)
    with server.serving():
        browser.get(server.page(urls.home("fr")))
        settle(browser, server)
        pages, _ = type_query(browser, server, "ketamine")
        assert pages and pages[0] == server.page(urls.article("fr", slug))
        suggest = browser.find_element(By.CSS_SELECTOR, ".md-search__suggest").text
        assert suggest == "ketamine", suggest  # search.suggest completes what the reader typed
        href = browser.find_element(By.CSS_SELECTOR, ".md-search-result__item > a").get_attribute("href")
        assert parse_qs(urlsplit(href).query)["h"] == ["kétamine"], href
        mark = server.mark()
        browser.get(href)
        WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "mark[data-md-highlight]"))
        marks = {m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, "mark[data-md-highlight]")}
        assert marks == {"kétamine"}, marks
        settle(browser, server)
        assert not [f.path for f in server.since(mark) if is_index(f)]  # highlighting needs no index either

