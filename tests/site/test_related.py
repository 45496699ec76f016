"""Related articles and previous/next (scidigest.site.related): ranking, determinism,
language separation, bounded cost; and, on the session build, that every article page
shows them as links that resolve to built article pages."""

from __future__ import annotations

import posixpath
import random
import time

import pytest
from lxml import html

from scidigest.site import urls
from scidigest.site.catalogue import Catalogue, article_from_meta
from scidigest.site.related import RELATED_MAX, RELATED_MIN, WINDOW, Neighbours, page_context


def art(slug, lang="fr", date="2021-09-30", **kw):
    meta = {"slug": slug, "lang": lang, "title": kw.pop("title", f"Titre {slug}"), "description": "R.",
            "date": date, **kw}
    return article_from_meta(meta)


def neighbours(*articles) -> Neighbours:
    cat = Catalogue(list(articles))
    return Neighbours(cat.in_lang(articles[0].lang))


def slugs(arts) -> list[str]:
    return [a.slug for a in arts]


def test_shared_subjects_rank_first_rarer_ones_weigh_more_then_organisation_then_date():
    me = art("me", tags=["ketamine", "cerveau"], organisation="CEA", date="2024-05-01")
    both = art("both", tags=["kétamine", "Cerveau"], date="2010-01-01")       # two subjects, far in time
    rare = art("rare", categories=["Kétamine"], date="2011-01-01")            # the rare subject only
    common = art("common", tags=["cerveau"], date="2024-05-02")               # the common one, next day
    org = art("org", organisation="CEA", date="2024-04-01")                   # same organisation only
    filler = [art(f"f{i}", tags=["cerveau"], date=f"2001-01-{i + 1:02d}") for i in range(6)]
    nb = neighbours(me, both, rare, common, org, *filler)
    ranked = nb.related(nb.order[nb.position(me)], limit=5)
    assert slugs(ranked)[:3] == ["both", "rare", "org"]  # org: CEA is rarer than "cerveau" (8 articles)
    assert slugs(ranked)[3] == "common"  # of the "cerveau" ones, the closest date wins
    assert len(ranked) == 5


def test_ties_are_broken_by_kind_then_date_then_slug_whatever_the_file_order():
    me = art("me", tags=["x"], kind="press-release", date="2020-06-15")
    others = [art("b", tags=["x"], kind="news-article", date="2020-06-16"),
              art("a", tags=["x"], kind="news-article", date="2020-06-14"),    # same distance as b: slug
              art("c", tags=["x"], kind="press-release", date="2019-01-01"),   # same kind beats distance
              art("d", tags=["x"], kind="news-article", date=None)]            # undated: last
    expected = ["c", "a", "b", "d"]
    for order in (others, list(reversed(others)), random.Random(3).sample(others, len(others))):
        nb = neighbours(me, *order)
        assert slugs(nb.related(me)) == expected


def test_related_never_lists_the_article_itself_or_another_language():
    fr = [art(f"a{i}", tags=["neurones"], date=f"2020-01-{i + 1:02d}") for i in range(8)]
    en = [art(f"a{i}", lang="en", tags=["neurons"], date=f"2020-01-{i + 1:02d}") for i in range(8)]
    cat = Catalogue(fr + en)
    for lang in ("fr", "en"):
        nb = Neighbours(cat.in_lang(lang))
        for a in cat.in_lang(lang):
            got = nb.related(a)
            assert a.slug not in slugs(got) and all(g.lang == lang for g in got)
            assert len(got) == RELATED_MAX and len(set(slugs(got))) == len(got)
    with pytest.raises(ValueError):
        Neighbours(cat.articles)  # one language at a time
    with pytest.raises(KeyError):
        Neighbours(cat.in_lang("fr")).related(cat.get("a1", "en"))


def test_articles_sharing_nothing_still_get_the_closest_in_time_up_to_the_minimum():
    lone = [art(f"n{i}", date=f"2020-0{i + 1}-01") for i in range(6)]  # no subject, no organisation
    nb = neighbours(*lone)
    got = nb.related(lone[3])  # 2020-04-01: 05-01 is 30 days away, 03-01 31, 02-01 60, 06-01 61
    assert slugs(got) == ["n4", "n2", "n1"] and len(got) == RELATED_MIN
    assert neighbours(art("only")).related(art("only")) == []
    two = [art("p", date="2020-01-01"), art("q", date="2021-01-01")]
    assert slugs(neighbours(*two).related(two[0])) == ["q"]


def test_previous_is_older_next_is_newer_in_the_listing_order_undated_last():
    arts = [art("new", date="2022-01-01"), art("mid", date="2021-01-01"), art("old", date="2020-01-01"),
            art("zz-undated", date=None), art("aa-undated", date=None)]
    nb = neighbours(*arts)
    chain, current = [], nb.order[0]
    while current is not None:
        chain.append(current.slug)
        current = nb.previous(current)
    assert chain == ["new", "mid", "old", "aa-undated", "zz-undated"]
    assert nb.next(nb.order[0]) is None and nb.previous(nb.order[-1]) is None
    assert all(nb.next(nb.previous(a)) == a for a in nb.order[:-1])


def test_cost_is_bounded_by_the_window_not_by_the_number_of_articles():
    """2,000 articles all sharing one subject and one organisation: each article's
    candidates stay within the window of each term, and the whole language is done fast."""
    n = 2000
    rng = random.Random(11)
    arts = [art(f"s{i:04d}", tags=["commun", f"t{rng.randrange(40)}"], organisation="CNRS",
                date=f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(n)]
    nb = Neighbours(Catalogue(arts).in_lang("fr"))
    bound = 3 * (2 * WINDOW + 1)  # three terms per article, a window each side
    assert max(len(nb.candidates(a)) for a in nb.order[::50]) <= bound
    start = time.process_time()
    results = [nb.related(a) for a in nb.order]
    spent = time.process_time() - start
    assert all(len(r) == RELATED_MAX for r in results)
    assert spent < 6.0, f"{spent:.2f} s of CPU for {n} articles"
    # deterministic: a second index over the same articles in another order gives the same lists
    again = Neighbours(Catalogue(list(reversed(arts))).in_lang("fr"))
    assert [slugs(again.related(a)) for a in again.order[:100]] == [slugs(r) for r in results[:100]]


def test_page_context_links_are_relative_to_the_page_and_labelled_in_its_language():
    arts = [art("a", lang="en", tags=["x"], date="2020-01-01", organisation="Inserm"),
            art("b", lang="en", tags=["x"], date="2021-01-01", title="B & <b>")]
    nb = neighbours(*arts)
    ctx = page_context(nb, arts[0], urls.article("en", "a"))
    assert ctx["related_label"] == "Related articles" and ctx["pager_label"] == "Previous and next article"
    assert ctx["related"] == [{"href": "../b/", "title": "B & <b>", "datetime": "2021-01-01",
                               "date": "January 1, 2021", "organisation": ""}]
    assert ctx["previous"] is None and ctx["next"]["href"] == "../b/" and ctx["next"]["label"] == "Next article"
    fr = page_context(neighbours(art("a"), art("b", date="2020-01-01")), art("a"), urls.article("fr", "a"))
    assert fr["related_label"] == "Articles liés" and fr["previous"]["label"] == "Article précédent"


# --------------------------------------------------------------------------- the built site
@pytest.mark.slow
def test_every_article_page_shows_related_articles_and_previous_next_that_resolve(built_site):
    site = built_site.site_dir
    checked = 0
    for lang in ("fr", "en"):
        order = built_site.catalogue.in_lang(lang)
        nb = Neighbours(order)
        for art_ in order:
            url = urls.article(lang, art_.slug)
            doc = html.fromstring((site / url / "index.html").read_bytes())
            related = doc.xpath("//nav[contains(@class,'sd-related')]")
            assert len(related) == 1, url
            title = related[0].xpath("string(.//h2)")
            assert title == {"fr": "Articles liés", "en": "Related articles"}[lang]
            assert related[0].get("aria-labelledby") == related[0].xpath(".//h2/@id")[0]
            hrefs = related[0].xpath(".//a/@href")
            targets = [posixpath.normpath(posixpath.join(url, h)) + "/" for h in hrefs]
            assert targets == [urls.article(lang, a.slug) for a in nb.related(art_)]
            assert RELATED_MIN <= len(targets) <= RELATED_MAX
            pager = doc.xpath("//nav[contains(@class,'sd-article-pager')]")
            assert len(pager) == 1 and pager[0].get("aria-label"), url
            for rel, expected in (("prev", nb.previous(art_)), ("next", nb.next(art_))):
                link = pager[0].xpath(f".//a[@rel='{rel}']/@href")
                assert link == ([] if expected is None else [link[0]])
                if expected is not None:
                    target = posixpath.normpath(posixpath.join(url, link[0])) + "/"
                    assert target == urls.article(lang, expected.slug)
                    page = html.fromstring((site / target / "index.html").read_bytes())
                    assert page.get("lang") == lang
                    assert page.xpath("string(//header[contains(@class,'sd-article-header')]//h1)") == expected.title
            for target in targets:
                assert (site / target / "index.html").is_file()
            checked += 1
    assert checked == len(built_site.catalogue.in_lang("fr")) + len(built_site.catalogue.in_lang("en"))


@pytest.mark.browser
@pytest.mark.slow
def test_in_chromium_a_reader_sees_related_articles_and_walks_next_and_previous(browser, site_server):
    """Visible, named in the page's language, and followed by a click to the right article, at
    desktop and phone width (the two boxes stack instead of overflowing)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def open_page(url):
        browser.get(url)
        WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def h1():
        return browser.find_element(By.CSS_SELECTOR, ".sd-article-header h1").text

    for lang, name in (("fr", "Articles liés"), ("en", "Related articles")):
        order = site_server.site.catalogue.in_lang(lang)
        nb = Neighbours(order)
        start = order[len(order) // 2]
        for width, height in ((1280, 900), (390, 844)):
            browser.set_window_size(width, height)
            open_page(site_server.page(urls.article(lang, start.slug)))
            nav = browser.find_element(By.CSS_SELECTOR, "nav.sd-related")
            browser.execute_script("arguments[0].scrollIntoView()", nav)
            assert nav.is_displayed() and nav.find_element(By.TAG_NAME, "h2").text == name
            shown = [a.text for a in nav.find_elements(By.CSS_SELECTOR, "li > a")]
            assert shown == [a.title for a in nb.related(start)]
            pager = browser.find_element(By.CSS_SELECTOR, "nav.sd-article-pager")
            boxes = pager.find_elements(By.CSS_SELECTOR, "a")
            assert all(b.is_displayed() for b in boxes) and len(boxes) == 2
            width_ok = browser.execute_script(
                "return [...arguments[0].querySelectorAll('a')].every(a => a.getBoundingClientRect().right"
                " <= document.documentElement.clientWidth + 1)", pager)
            assert width_ok, f"a previous/next box overflows at {width}px"
        browser.set_window_size(1280, 900)
        for selector, expected in (("nav.sd-article-pager a[rel='next']", nb.next(start).title),
                                   ("nav.sd-article-pager a[rel='prev']", start.title),
                                   ("nav.sd-related li > a", nb.related(start)[0].title)):
            browser.find_element(By.CSS_SELECTOR, selector).click()
            WebDriverWait(browser, 15).until(lambda d, title=expected: h1() == title)
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
