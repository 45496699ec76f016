"""Paginated listings: all articles, archive years, subjects, organisations and kinds of text.

The pure part (``plan_pages`` with a small page size) and one ``--strict``
build with ``extra.scidigest.listing_page_size`` set small enough that every
kind of listing has several pages in both languages.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter

import pytest
import yaml
from lxml import html

from scidigest.site import urls
from scidigest.site.catalogue import Catalogue, article_from_meta, load_articles
from scidigest.site.listings import _window, listing_series, page_count, plan_pages
from scidigest.site.meta import PageInfo, head_html
from scidigest.site.mkdocs.hooks import listing_page_size
from scidigest.site.taxonomy import kind_of, subjects
from tests.plugins.site_server import build_site, copy_site_project

SITE = "https://scidigest.github.io/scidigest/"


def art(slug, lang="fr", date="2021-09-30", **kw):
    meta = {"slug": slug, "lang": lang, "title": kw.pop("title", f"Titre {slug}"), "description": "Résumé.",
            "date": date, **kw}
    return article_from_meta(meta)


def _catalogue(n: int, *, translated_every: int = 1) -> Catalogue:
    """``n`` French articles over three years, tagged "neurones"; every
    ``translated_every``-th has an English version tagged "neurons"."""
    arts = []
    for i in range(n):
        date = f"{2019 + i % 3}-0{1 + i % 9}-{10 + i % 19}"
        arts.append(art(f"a{i:03d}", date=date, tags=["neurones"], categories=["Cerveau"]))
        if i % translated_every == 0:
            arts.append(art(f"a{i:03d}", lang="en", date=date, title=f"Title a{i:03d}", tags=["neurons"],
                            categories=["Brain"], translation={"from": "fr", "status": "machine"}))
    return Catalogue(arts)


def _series(pages, first_url):
    """The pages of the listing whose page 1 is ``first_url``, in order."""
    by_url = {p.url: p for p in pages}
    out, url = [], first_url
    while url is not None:
        out.append(by_url[url])
        url = by_url[url].next
    return out


def _hrefs_to_articles(page) -> list[str]:
    return re.findall(r'<li class="sd-list__item"[^>]*><a href="([^"]+)"', page.html)


def test_page_one_keeps_the_listing_url_and_page_n_lives_under_page_n():
    pages = plan_pages(_catalogue(23), "fr", page_size=5)
    tag = _series(pages, urls.tag("fr", "neurones"))
    assert [p.url for p in tag] == ["tags/neurones/"] + [f"tags/neurones/page/{n}/" for n in range(2, 6)]
    assert tag[0].title == "Thématique : neurones" and tag[-1].title == "Thématique : neurones — page 5"
    assert [p.prev for p in tag] == [None] + [p.url for p in tag[:-1]]
    assert [p.next for p in tag] == [p.url for p in tag[1:]] + [None]


@pytest.mark.parametrize("first", [urls.tag("fr", "neurones"), urls.tag("fr", "Cerveau"), urls.all_articles("fr"),
                                   urls.archive_year("fr", 2020), urls.kind("fr", "article")])
def test_every_article_appears_once_in_each_paginated_listing_newest_first(first):
    cat = _catalogue(23)
    series = _series(plan_pages(cat, "fr", page_size=5), first)
    # the links resolve, from the page that holds them, to article pages
    targets = [posixpath.normpath(posixpath.join(p.url, href)) + "/" for p in series for href in _hrefs_to_articles(p)]
    expected = [urls.article("fr", a.slug) for a in cat.in_lang("fr")
                if first != urls.archive_year("fr", 2020) or a.date.year == 2020]
    assert targets == expected
    assert all(len(_hrefs_to_articles(p)) <= 5 for p in series)
    assert len(series) == page_count(len(expected), 5)


def test_entries_are_compact_lines_not_cards():
    page = _series(plan_pages(_catalogue(7), "fr", page_size=5), urls.tag("fr", "neurones"))[0]
    assert "sd-card" not in page.html and "Résumé." not in page.html  # no summary, no tag list
    assert '<p class="sd-lead">7 articles</p>' in page.html


def test_pager_marks_the_current_page_links_prev_and_next_and_skips_far_numbers():
    pages = plan_pages(_catalogue(60), "fr", page_size=5)
    series = _series(pages, urls.tag("fr", "neurones"))
    assert len(series) == 12
    doc = html.fromstring(series[5].html)  # page 6 of 12, seen from tags/neurones/page/6/
    nav = doc.xpath("//nav[@class='sd-pagination']")[0]
    assert nav.get("aria-label") == "Pagination"
    assert nav.xpath("string(.//*[@aria-current='page'])") == "6"
    assert nav.xpath(".//a[@rel='prev']/@href") == ["../5/"]
    assert nav.xpath(".//a[@rel='next']/@href") == ["../7/"]
    numbers = [a.text for a in nav.xpath(".//a[not(@rel)]")]
    assert numbers == ["1", "4", "5", "7", "8", "12"]
    assert nav.xpath(".//a[text()='1']/@href") == ["../../"]  # page 1 is the listing's own URL
    assert len(nav.xpath(".//*[@aria-hidden='true']")) == 2  # the two ellipses
    first = html.fromstring(series[0].html).xpath("//nav[@class='sd-pagination']")[0]
    assert not first.xpath(".//a[@rel='prev']") and len(first.xpath(".//*[@aria-hidden='true']")) == 1  # 1 2 3 … 12
    assert [a.text for a in first.xpath(".//a[not(@rel)]")] == ["2", "3", "12"]


def test_window_fills_a_single_skipped_number_instead_of_an_ellipsis():
    assert _window(1, 1) == [1]
    assert _window(4, 7) == [1, 2, 3, 4, 5, 6, 7]
    assert _window(5, 9) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert _window(1, 9) == [1, 2, 3, None, 9]
    assert _window(6, 12) == [1, None, 4, 5, 6, 7, 8, None, 12]


def test_a_listing_that_fits_one_page_has_no_pager_and_no_rel_links():
    pages = plan_pages(_catalogue(4), "fr", page_size=5)
    tag = _series(pages, urls.tag("fr", "neurones"))
    assert len(tag) == 1 and "sd-pagination" not in tag[0].html and tag[0].prev is None and tag[0].next is None


def test_year_headings_repeat_on_each_page_and_the_other_language_section_follows_in_english():
    cat = _catalogue(23, translated_every=2)  # 12 in English, 11 only in French
    series = _series(plan_pages(cat, "en", page_size=5), urls.all_articles("en"))
    assert len(series) == page_count(23, 5)
    for p in series:  # every page opens with the heading of its first entry's group
        body = p.html.split("</p>\n", 1)[1]
        assert body.startswith("<h2 id=")
    everything = "".join(p.html for p in series)
    assert everything.count('lang="en"') == 12 and everything.count('hreflang="fr" lang') == 0
    assert everything.count('<li class="sd-list__item" lang="fr"><a href=') == 11
    later = [p for p in series if 'id="other-languages"' in p.html]
    assert later and later[0] is not series[0]  # not all crammed on page 1
    for p in later:  # the French-only entries come after every English one, under their heading
        english, french = p.html.split('id="other-languages"')
        assert 'lang="fr"' not in english and 'lang="en"' not in french


def test_switcher_of_page_n_opens_the_same_page_of_the_equivalent_listing_or_its_first_page():
    cat = _catalogue(23, translated_every=2)
    fr = _series(plan_pages(cat, "fr", page_size=5), urls.tag("fr", "neurones"))   # 23 -> 5 pages
    en = _series(plan_pages(cat, "en", page_size=5), urls.tag("en", "neurons"))    # 12 -> 3 pages
    assert [p.switch_to["en"] for p in fr] == ["en/tags/neurons/", "en/tags/neurons/page/2/",
                                               "en/tags/neurons/page/3/", "en/tags/neurons/", "en/tags/neurons/"]
    assert [p.switch_to["fr"] for p in en] == ["tags/neurones/", "tags/neurones/page/2/", "tags/neurones/page/3/"]
    # hreflang pairs the first pages only (page 2 in French and in English list different articles)
    assert fr[0].translations == {"en": "en/tags/neurons/"} and all(p.translations == {} for p in fr[1:])


def test_unmapped_term_switches_to_the_other_languages_index_on_every_page():
    pages = listing_series("fr", urls.tag("fr", "x"), "Mot-clé : x", [(None, art(f"s{i}"), None) for i in range(7)],
                           lead="", counterparts={"en": (urls.tags("en"), 1, False)}, page_size=3)
    assert [p.switch_to for p in pages] == [{"en": "en/tags/"}] * 3 and all(not p.translations for p in pages)


def test_head_of_a_paginated_page_links_prev_and_next_absolutely():
    info = PageInfo(lang="en", url="en/tags/x/page/2/", title="Tag: x", prev="en/tags/x/", next="en/tags/x/page/3/")
    head = head_html(SITE, "SciDigest", info, page_title="Tag: x — page 2")
    assert f'<link rel="prev" href="{SITE}en/tags/x/">' in head
    assert f'<link rel="next" href="{SITE}en/tags/x/page/3/">' in head
    assert 'rel="prev"' not in head_html(SITE, "SciDigest", PageInfo(lang="en", url="en/", title="Home"), page_title="x")


def test_generated_urls_stay_unique_with_pagination_and_a_tag_named_page():
    cat = Catalogue([art(f"p{i}", tags=["page", "x"]) for i in range(12)] + [art("page", tags=["x"])])
    pages = plan_pages(cat, "fr", page_size=3)
    assert len({p.url for p in pages}) == len(pages)
    assert {p.src_uri for p in pages}.isdisjoint({"articles/page.fr.md"})


class _Config:
    def __init__(self, extra):
        self.extra = extra


def test_listing_page_size_comes_from_mkdocs_yml_and_refuses_nonsense():
    assert listing_page_size(_Config({})) == 100
    assert listing_page_size(_Config({"scidigest": {"listing_page_size": 7}})) == 7
    for bad in (0, -3, "20", 2.5, True):
        with pytest.raises(ValueError, match="listing_page_size"):
            listing_page_size(_Config({"scidigest": {"listing_page_size": bad}}))


# --- one real build, small pages ------------------------------------------------------------

PAGE_SIZE = 4


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("paged-site")
    project = copy_site_project(root / "project", synthetic=30)
    config_path = project.project_dir / "mkdocs.yml"
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(text + f"\nextra:\n  scidigest:\n    listing_page_size: {PAGE_SIZE}\n", encoding="utf-8")
    site = build_site(project.project_dir, root / "site")  # --strict
    catalogue = Catalogue(load_articles(project.project_dir / "docs" / "articles"))
    return site, catalogue


def _doc(site, url):
    return html.fromstring((site / url / "index.html").read_bytes())


def _walk(site, first_url):
    """(url, document) of each page of a listing, following rel=next in the body."""
    out, url = [], first_url
    while url is not None:
        doc = _doc(site, url)
        out.append((url, doc))
        nxt = doc.xpath("//nav[contains(@class,'sd-pagination')]//a[@rel='next']/@href")
        url = posixpath.normpath(posixpath.join(url, nxt[0])) + "/" if nxt else None
    return out


@pytest.mark.slow
def test_built_listings_paginate_in_both_languages_with_head_links_and_every_article_once(paged_site):
    site, catalogue = paged_site
    checked = Counter()
    for lang in ("fr", "en"):
        arts = catalogue.in_lang(lang)
        firsts = [urls.all_articles(lang)] + sorted({urls.tag(lang, t) for a in arts for t in subjects(a)}) \
            + sorted({urls.organisation(lang, a.organisation) for a in arts if a.organisation}) \
            + sorted({urls.kind(lang, kind_of(a)) for a in arts}) \
            + sorted({urls.archive_year(lang, a.date.year) for a in arts if a.date})
        for first in firsts:
            pages = _walk(site, first)
            titles = [li.xpath("string(./a)") for _, doc in pages
                      for li in doc.xpath("//article//li[contains(@class,'sd-list__item')]")]
            assert len(titles) == len(set(titles)), first
            if first == urls.all_articles(lang):
                assert len(titles) == len(arts) + len(catalogue.missing_in(lang))
            for n, (url, doc) in enumerate(pages, start=1):
                assert doc.get("lang") == lang
                assert len(doc.xpath("//article//li[contains(@class,'sd-list__item')]")) <= PAGE_SIZE
                assert url == urls.paged(first, n)
                head_prev = doc.xpath("//head/link[@rel='prev']/@href")
                head_next = doc.xpath("//head/link[@rel='next']/@href")
                assert head_prev == ([urls.absolute(SITE, urls.paged(first, n - 1))] if n > 1 else [])
                assert head_next == ([urls.absolute(SITE, urls.paged(first, n + 1))] if n < len(pages) else [])
                canonical = doc.xpath("//head/link[@rel='canonical']/@href")
                assert canonical == [urls.absolute(SITE, url)]
                if len(pages) > 1:
                    current = doc.xpath("//nav[@aria-label][contains(@class,'sd-pagination')]//*[@aria-current='page']")
                    assert [c.text for c in current] == [str(n)]
                    checked[lang] += 1
    assert checked["fr"] > 20 and checked["en"] > 20, checked


@pytest.mark.slow
def test_built_paginated_pages_are_in_the_sitemap_and_switch_language_in_place(paged_site):
    site, catalogue = paged_site
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert urls.absolute(SITE, urls.paged(urls.all_articles("en"), 2)) in sitemap
    assert urls.absolute(SITE, urls.paged(urls.tag("fr", "neurones"), 2)) in sitemap
    url = urls.paged(urls.all_articles("fr"), 2)
    href = _doc(site, url).xpath("//a[contains(@class,'md-select__link')][@hreflang='en']/@href")[0]
    assert posixpath.normpath(posixpath.join(url, href)) + "/" == urls.paged(urls.all_articles("en"), 2)
    config = yaml.safe_load((site.parent / "project" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["extra"]["scidigest"]["listing_page_size"] == PAGE_SIZE
