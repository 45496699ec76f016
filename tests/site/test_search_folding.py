"""Search is blind to diacritics, in both languages (scripts/theme/assets/javascripts/workers/scidigest-search.js).

The browser tests type unaccented words for accented ones (and the reverse)
into Material's search on the built site; the build test pins what the
theme's worker and the index guard in scripts/theme/main.html rely on in
Material's bundle, so a Material upgrade that moves it fails here, by name,
instead of silently breaking search.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from lxml import html as lxml_html

from scidigest.site import urls
from tests.plugins.browsing import search_results

WRAPPER = "assets/javascripts/workers/scidigest-search.js"


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def accented_title_words(title: str) -> list[str]:
    """The words of ``title`` (5 letters or more) that carry a diacritic."""
    return [w for w in re.findall(r"\w{5,}", title) if fold(w) != w]


BUNDLE_NEEDLES = (
    # the index request the guard in scripts/theme/main.html answers, and how Material makes it
    'new URL("search/search_index.json",', "new XMLHttpRequest", 'responseType="blob"',
    "o.status>=200&&o.status<300?(r.next(o.response)",
    # the worker protocol the theme's worker speaks (SETUP with the index's config, READY, QUERY, RESULT)
    "new Worker(e)", "type:0,data:{config:o,docs:n,options:{suggest:",
    # search.highlight reads the separator of the (answered) index's config
    'separator.split("|")',
)


@pytest.mark.slow
def test_every_page_uses_the_theme_worker_and_material_still_works_as_it_relies_on(built_site):
    site = built_site.site_dir
    assert "importScripts" not in (site / WRAPPER).read_text(encoding="utf-8"), "the worker loads no other script"
    bundles = sorted((site / "assets/javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1, bundles
    text = bundles[0].read_text(encoding="utf-8")
    # what the theme's worker and the guard in main.html rely on in Material 9.8.1's bundle
    for needle in BUNDLE_NEEDLES:
        assert needle in text, f"Material's bundle no longer has {needle!r}: re-check {WRAPPER} and main.html's guard"
    for lang in ("fr", "en"):
        doc = lxml_html.fromstring((site / urls.home(lang) / "index.html").read_bytes())
        config = json.loads(doc.get_element_by_id("__config").text)
        assert config["search"].endswith(WRAPPER), config["search"]
        assert config["sd_search"]["separator"] == "[\\s\\-'’]+", config["sd_search"]


@pytest.mark.browser
@pytest.mark.slow
def test_ketamine_finds_the_ketamine_article_in_french_and_kétamine_finds_it_in_english(browser, site_server):
    browser.get_log("browser")
    slug = next(a.slug for a in site_server.site.catalogue.in_lang("fr") if "kétamine" in a.title.lower())
    for lang, query in (("fr", "ketamine"), ("fr", "KETAMINE"), ("fr", "kétamine"), ("en", "kétamine"),
                        ("en", "ketamine")):
        results = search_results(browser, site_server, lang, query)
        assert site_server.page(urls.article(lang, slug)) in [r["page"] for r in results], (lang, query, results)
    # the French result still shows, and highlights, the word as written
    results = search_results(browser, site_server, "fr", "ketamine")
    assert re.search(r"<mark>kétamine</mark>", results[0]["html"], re.I), results[0]["html"]
    assert [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


@pytest.mark.browser
@pytest.mark.slow
def test_each_accented_title_word_typed_without_its_accents_finds_its_article(browser, site_server):
    checked = 0
    for lang in ("fr", "en"):
        articles = site_server.site.catalogue.in_lang(lang)
        titles = [a.title.lower() for a in articles]
        for art in articles:
            # its rarest accented word, if few titles have it (the UI lists the first results only)
            words = sorted(accented_title_words(art.title), key=lambda w: sum(w.lower() in t for t in titles))
            for word in [w for w in words if sum(w.lower() in t for t in titles) <= 3][:1]:
                pages = [r["page"] for r in search_results(browser, site_server, lang, fold(word))]
                assert site_server.page(urls.article(lang, art.slug)) in pages, (lang, word, art.slug, pages)
                checked += 1
    assert checked >= 4, "hardly any accented title: the test data changed"


@pytest.mark.browser
@pytest.mark.slow
def test_a_word_written_only_after_an_elision_is_found_by_itself(browser, site_server):
    """"d’Alzheimer" is indexed as "d" + "alzheimer": the search plugin splits on apostrophes too."""
    slug = next(a.slug for a in site_server.site.catalogue.in_lang("fr") if "neurones perdus" in a.title.lower())
    for query in ("alzheimer", "Alzheimer"):
        pages = [r["page"] for r in search_results(browser, site_server, "fr", query)]
        assert site_server.page(urls.article("fr", slug)) in pages, (query, pages)
