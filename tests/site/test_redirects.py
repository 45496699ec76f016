"""The old ``categories/`` addresses (scidigest.site.redirects): every rubric an article
has, and each page of its old listing, is a small page that sends the reader to the
subject or kind that replaced it, in the right language, without script; the built site
has one for each rubric of the committed articles, and every one leads to a page that exists."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import html as lxml_html

from scidigest.site import redirects, urls
from scidigest.site.catalogue import article_from_meta
from scidigest.site.redirects import Redirect

SITE = "https://example.org/digest/"


def _article(slug: str, lang: str, categories: list[str], tags: list[str] = ()):
    return article_from_meta({"title": slug, "date": "2024-05-01", "categories": categories, "tags": list(tags)},
                             slug=slug, lang=lang)


def _targets(items: list[Redirect]) -> dict[str, str]:
    return {r.old: r.new for r in items}


def test_a_subject_rubric_goes_to_its_subject_page_page_by_page():
    articles = [_article(f"a{i}", "fr", ["Santé & vivant", "santé et vivant" if i % 2 else "Santé & vivant"])
                for i in range(5)]
    got = _targets(redirects.old_categories(articles, "fr", page_size=2))
    assert got["categories/"] == "tags/"
    assert got["categories/sante-vivant/"] == "tags/sante-vivant/"
    assert got["categories/sante-vivant/page/2/"] == "tags/sante-vivant/page/2/"
    assert got["categories/sante-vivant/page/3/"] == "tags/sante-vivant/page/3/"
    assert "categories/sante-vivant/page/4/" not in got  # 5 articles, 2 a page
    assert got["categories/sante-et-vivant/"] == "tags/sante-et-vivant/"  # another slug, another old page


def test_a_rubric_that_named_a_release_type_goes_to_its_kind_and_english_stays_under_en():
    articles = [_article(f"b{i}", "en", ["Press release", "Interview", "Neurons"]) for i in range(3)]
    got = _targets(redirects.old_categories(articles, "en", page_size=2))
    assert got["en/categories/"] == "en/tags/"
    assert got["en/categories/press-release/"] == "en/kinds/press-release/"
    assert got["en/categories/press-release/page/2/"] == "en/kinds/press-release/"  # a kind may list fewer
    assert got["en/categories/interview/"] == "en/kinds/"  # a type no kind names: the index of kinds
    assert got["en/categories/neurons/page/2/"] == "en/tags/neurons/page/2/"
    assert all(old.startswith("en/") and new.startswith("en/") for old, new in got.items())


def test_tags_alone_made_no_old_rubric_page():
    got = _targets(redirects.old_categories([_article("c", "fr", [], ["cerveau"])], "fr", page_size=100))
    assert got == {"categories/": "tags/"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_refreshes_to_the_new_address_relative_with_a_canonical_and_no_script(lang):
    redirect = Redirect(f"{urls.prefix(lang)}categories/x-y/page/2/", f"{urls.prefix(lang)}tags/x-y/page/2/", lang)
    page = redirects.page_html(redirect, SITE)
    doc = lxml_html.fromstring(page)
    assert doc.get("lang") == lang
    refresh = doc.xpath('//meta[@http-equiv="refresh"]/@content')[0]
    delay, _, target = refresh.partition("; url=")
    assert delay == "0" and not target.startswith(("http", "/"))  # relative: a preview stays on its own copy
    assert urljoin(SITE + redirect.old, target) == SITE + redirect.new
    assert doc.xpath('//link[@rel="canonical"]/@href') == [SITE + redirect.new]
    assert doc.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert urljoin(SITE + redirect.old, doc.xpath("//body//a/@href")[0]) == SITE + redirect.new
    assert not doc.xpath("//script") and "<script" not in page.lower()
    words = doc.xpath("string(//body)")
    assert ("adresse" in words) == (lang == "fr") and ("moved" in words) == (lang == "en")


def test_a_hostile_rubric_cannot_break_out_of_the_page():
    articles = [_article("d", "fr", ['"><script>alert(1)</script>', "x' onload='alert(1)"])]
    for redirect in redirects.old_categories(articles, "fr", page_size=100):
        page = redirects.page_html(redirect, SITE)
        doc = lxml_html.fromstring(page)
        assert not doc.xpath("//script") and not doc.xpath("//*[@onload]")
        assert {name for el in doc.iter() for name in el.attrib} <= {"lang", "charset", "http-equiv", "content", "name",
                                                                      "rel", "href"}
        assert re.fullmatch(r"[a-z0-9/\-]+", redirect.old) and re.fullmatch(r"[a-z0-9/\-]+", redirect.new)


def test_write_never_covers_a_real_page_and_removes_what_an_earlier_build_left(tmp_path):
    site = tmp_path / "site"
    real = site / "categories" / "kept" / "index.html"
    real.parent.mkdir(parents=True)
    real.write_text("<!doctype html><title>a page of the site</title>", encoding="utf-8")
    first = [Redirect("categories/", "tags/", "fr"), Redirect("categories/kept/", "tags/kept/", "fr"),
             Redirect("categories/gone/", "tags/gone/", "fr"), Redirect("categories/gone/page/2/", "tags/gone/page/2/", "fr")]
    redirects.write(first, site, SITE, "fr")
    assert real.read_text(encoding="utf-8") == "<!doctype html><title>a page of the site</title>"
    assert (site / "categories/gone/page/2/index.html").is_file()
    redirects.write(first, site, SITE, "fr")  # again: the same bytes
    before = {p: p.read_bytes() for p in site.rglob("*.html")}
    redirects.write(first, site, SITE, "fr")
    assert {p: p.read_bytes() for p in site.rglob("*.html")} == before
    redirects.write(first[:2], site, SITE, "fr")  # the rubric "gone" went (the live preview)
    assert not (site / "categories" / "gone").exists()
    assert real.is_file() and (site / "categories" / "index.html").is_file()


def test_the_built_site_keeps_every_old_rubric_address_and_each_leads_to_a_page(built_site):
    site: Path = built_site.site_dir
    found = 0
    for article in built_site.catalogue.articles:
        for name in article.categories:
            old = site / urls.prefix(article.lang) / "categories" / urls.term_slug(name) / "index.html"
            assert old.is_file(), f"no page left at the old address of {name!r} ({article.lang})"
            found += 1
    assert found, "the committed articles have no rubric: nothing was checked"
    pages = sorted(site.glob("**/categories/**/index.html")) + sorted(site.glob("**/categories/index.html"))
    for page in pages:
        doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
        target = doc.xpath('//meta[@http-equiv="refresh"]/@content')[0].partition("; url=")[2]
        landing = (page.parent / target).resolve() / "index.html"
        assert landing.is_file(), f"{page.relative_to(site)} sends readers to {target}, which is not a page"
        assert "/categories" not in landing.as_posix().removeprefix(site.resolve().as_posix())
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/categories/" not in sitemap
