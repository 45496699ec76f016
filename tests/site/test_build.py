"""The built site (committed articles + synthetic ones, built once with --strict)."""

from __future__ import annotations

import json
import posixpath
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from lxml import etree, html

from scidigest.site import urls
from scidigest.site.labels import format_date
from scidigest.site.listings import HOME_MAX_PAGES, HOME_PAGE_SIZE
from scidigest.site.redirects import is_redirect_page
from scidigest.site.taxonomy import is_release_type, kind_of, subjects

pytestmark = pytest.mark.slow


@cache
def _parse(path: Path):
    return html.fromstring(path.read_bytes())


def page(site, url: str):
    return _parse(site.site_dir / url / "index.html" if url == "" or url.endswith("/") else site.site_dir / url)


def local_target(site, page_url: str, ref: str) -> Path | None:
    """File a same-site href/src points to, or None when it leaves the site."""
    parts = urlsplit(ref)
    if parts.scheme in ("mailto", "data", "javascript", "tel"):
        return None
    if parts.scheme or parts.netloc:
        if not ref.startswith(site.site_url):
            return None
        path = ref[len(site.site_url):].split("#")[0].split("?")[0]
    elif parts.path == "":  # "#fragment": this very page
        path = page_url
    elif parts.path.startswith("/"):
        site_path = urlsplit(site.site_url).path
        assert parts.path.startswith(site_path), f"absolute path outside the site: {ref}"
        path = parts.path[len(site_path):]
    else:
        base = page_url if page_url.endswith("/") or page_url == "" else posixpath.dirname(page_url) + "/"
        path = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if parts.path.endswith("/") and path != ".":
            path += "/"
        assert not path.startswith(".."), f"link escapes the site: {ref}"
    path = "" if path == "." else path
    target = site.site_dir / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def test_every_internal_href_and_src_points_to_a_file_in_the_site(built_site):
    broken = []
    for file in built_site.html_files():
        rel = file.relative_to(built_site.site_dir).as_posix()
        page_url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        for el in _parse(file).iter():
            for attr in ("href", "src"):
                ref = el.get(attr)
                if not ref:
                    continue
                target = local_target(built_site, page_url, ref)
                if target is not None and not target.is_file():
                    broken.append(f"{rel}: {attr}={ref}")
                elif ref.startswith("#") and len(ref) > 1 and not _parse(file).xpath(f"//*[@id='{unquote(ref[1:])}']"):
                    broken.append(f"{rel}: no element with id {ref}")
    assert not broken, "\n".join(broken[:30])


def test_every_article_is_published_in_each_of_its_languages_with_the_right_lang(built_site):
    for art in built_site.catalogue.articles:
        doc = page(built_site, urls.article(art.lang, art.slug))
        assert doc.get("lang") == art.lang
        assert doc.xpath("string(//article//h1)").strip() == art.title


def test_untranslated_article_has_an_english_notice_not_french_text(built_site):
    missing = built_site.catalogue.missing_in("en")
    assert missing, "the session build must include untranslated originals"
    for original in missing:
        doc = page(built_site, urls.article("en", original.slug))
        assert doc.get("lang") == "en"
        assert doc.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert not doc.xpath("//link[@hreflang]")
        french_body = doc.xpath("//article//*[contains(@class,'sd-untranslated')]")
        assert french_body, "the notice is missing"
        # the only French on the page is the linked title, marked lang="fr"
        link = doc.xpath("//*[contains(@class,'sd-untranslated__link')]/a")[0]
        assert link.get("lang") == "fr" and link.text_content() == original.title
        switcher = doc.xpath("//a[contains(@class,'md-select__link')][@hreflang='fr']/@href")
        assert local_target(built_site, urls.article("en", original.slug), switcher[0]) == (
            built_site.site_dir / urls.article("fr", original.slug) / "index.html")


def test_language_switcher_on_a_translated_article_points_to_its_translation(built_site):
    translated = [a for a in built_site.catalogue.in_lang("en") if a.is_translation]
    assert translated
    for art in translated:
        fr_url = urls.article("fr", art.slug)
        href = page(built_site, fr_url).xpath("//a[contains(@class,'md-select__link')][@hreflang='en']/@href")[0]
        assert local_target(built_site, fr_url, href) == built_site.site_dir / urls.article("en", art.slug) / "index.html"


def _card_dates(doc) -> list[str]:
    return [c.xpath("string(.//time/@datetime)") for c in doc.xpath("//*[contains(@class,'sd-card')][@lang]")]


def test_home_pages_list_the_articles_of_their_language_newest_first(built_site):
    for lang in ("fr", "en"):
        expected = built_site.catalogue.in_lang(lang)
        seen, n = [], 1
        while True:
            doc = page(built_site, urls.home_page(lang, n))
            cards = doc.xpath("//*[contains(@class,'sd-card')][@lang]")
            if not cards:
                break
            assert {c.get("lang") for c in cards} == {lang}
            seen += [c.xpath("string(.//h2)") for c in cards]
            n += 1
            if not (built_site.site_dir / urls.home_page(lang, n)).exists():
                break
        assert seen == [a.title for a in expected][: HOME_PAGE_SIZE * HOME_MAX_PAGES]
        dated = [d for d in _card_dates(page(built_site, urls.home(lang))) if d]
        assert dated == sorted(dated, reverse=True)


def test_card_dates_are_written_in_the_readers_language(built_site):
    for lang in ("fr", "en"):
        art = next(a for a in built_site.catalogue.in_lang(lang) if a.date)
        doc = page(built_site, urls.home(lang))
        assert format_date(art.date, lang) in doc.xpath("string(//*[contains(@class,'sd-card')][1]//time)")


def listing_titles(site, first_url: str) -> list[str]:
    """Titles of a (paginated) listing's entries, page 1 at ``first_url``,
    following each page's rel=next link to the last page."""
    titles, url = [], first_url
    while True:
        doc = page(site, url)
        titles += [li.xpath("string(./a)") for li in doc.xpath("//article//li[contains(@class,'sd-list__item')]")]
        following = doc.xpath("//nav[contains(@class,'sd-pagination')]//a[@rel='next']/@href")
        if not following:
            return titles
        url = posixpath.normpath(posixpath.join(url, following[0])) + "/"


def test_all_articles_page_archive_and_term_pages_cover_every_article(built_site):
    for lang in ("fr", "en"):
        arts = built_site.catalogue.in_lang(lang)
        doc = page(built_site, urls.all_articles(lang))
        listed = [li.xpath("string(./a)") for li in doc.xpath(f"//li[contains(@class,'sd-list__item')][@lang='{lang}']")]
        assert listed == [a.title for a in arts]
        for art in arts:
            if art.date:
                assert art.title in listing_titles(built_site, urls.archive_year(lang, art.date.year))
            for name in subjects(art):  # categories and tags alike: one subject taxonomy
                assert art.title in listing_titles(built_site, urls.tag(lang, name))
            for name in (*art.categories, *art.tags):  # a release type is a kind, never a subject page
                if is_release_type(name):
                    assert not (built_site.site_dir / urls.tag(lang, name)).exists()
            if art.organisation:
                assert art.title in listing_titles(built_site, urls.organisation(lang, art.organisation))
            assert art.title in listing_titles(built_site, urls.kind(lang, kind_of(art)))


def test_feeds_are_valid_per_language_and_linked_from_every_page(built_site):
    for lang in ("fr", "en"):
        feed = feedparser.parse((built_site.site_dir / urls.feed(lang)).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.language == lang
        in_lang = built_site.catalogue.in_lang(lang)
        assert [e.title for e in feed.entries] == [a.title for a in in_lang][: len(feed.entries)]
        for entry in feed.entries:
            assert local_target(built_site, "", entry.link).is_file()
    for file in built_site.html_files():
        if file.name == "404.html" or is_redirect_page(file.read_text(encoding="utf-8")):
            continue  # (an old address's page only sends the reader on: site/redirects.py)
        doc = _parse(file)
        lang = doc.get("lang")
        feeds = doc.xpath("//link[@type='application/rss+xml']/@href")
        assert feeds[:1] == [urls.absolute(built_site.site_url, urls.feed(lang))], file
        # a subject's first page also names its own feed, and no other page adds one
        rel = file.parent.relative_to(built_site.site_dir).as_posix() + "/"
        subject = re.fullmatch(r"(?:(en)/)?tags/([^/]+)/", rel)
        assert feeds[1:] == ([urls.absolute(built_site.site_url, rel + "feed.xml")] if subject else []), file


def test_each_subject_has_a_valid_feed_of_its_own_articles(built_site):
    from scidigest.site.taxonomy import group_subjects

    checked = 0
    for lang in ("fr", "en"):
        for name, members in group_subjects(built_site.catalogue.in_lang(lang)).values():
            feed = feedparser.parse((built_site.site_dir / urls.tag_feed(lang, name)).read_bytes())
            assert not feed.bozo, feed.bozo_exception
            assert feed.feed.language == lang and name in feed.feed.title
            assert feed.feed.link == urls.absolute(built_site.site_url, urls.tag(lang, name))
            assert [e.title for e in feed.entries] == [a.title for a in members][: len(feed.entries)]
            assert len(feed.entries) == min(30, len(members))
            checked += 1
    assert checked > 10


def test_head_has_hreflang_alternates_canonical_and_open_graph(built_site):
    for file in built_site.html_files():
        if file.name == "404.html" or is_redirect_page(file.read_text(encoding="utf-8")):
            continue  # (an old address's page: its canonical is the new address, test_redirects.py)
        doc = _parse(file)
        rel = file.relative_to(built_site.site_dir).as_posix()[: -len("index.html")]
        canonical = doc.xpath("//link[@rel='canonical']/@href")
        assert canonical == [built_site.site_url + rel], rel
        alternates = dict(zip(doc.xpath("//link[@hreflang]/@hreflang"), doc.xpath("//link[@hreflang]/@href"), strict=True))
        if doc.xpath("//meta[@name='robots'][contains(@content,'noindex')]"):
            continue
        assert alternates.get(doc.get("lang")) == built_site.site_url + rel, rel
        assert "x-default" in alternates, rel
        for href in alternates.values():
            assert href.startswith(built_site.site_url) and local_target(built_site, rel, href).is_file()
        for prop in ("og:title", "og:description", "og:type", "og:url"):
            assert doc.xpath(f"//meta[@property='{prop}']/@content"), (rel, prop)
        assert doc.xpath("//meta[@name='twitter:card']/@content")


def test_articles_carry_newsarticle_json_ld_matching_their_front_matter(built_site):
    for art in built_site.catalogue.articles:
        doc = page(built_site, urls.article(art.lang, art.slug))
        blocks = [json.loads(s) for s in doc.xpath("//script[@type='application/ld+json']/text()")]
        # the article, and where it is (scidigest.site.orientation)
        assert sorted(b["@type"] for b in blocks) == ["BreadcrumbList", "NewsArticle"]
        data = next(b for b in blocks if b["@type"] == "NewsArticle")
        crumbs = next(b for b in blocks if b["@type"] == "BreadcrumbList")["itemListElement"]
        assert [c["position"] for c in crumbs] == [1, 2, 3]
        assert crumbs[-1]["item"] == urls.absolute(built_site.site_url, urls.article(art.lang, art.slug))
        assert data["@type"] == "NewsArticle" and data["inLanguage"] == art.lang
        assert data["headline"] == art.title[:110]
        assert data.get("datePublished") == (art.date.isoformat() if art.date else None)
        assert data["url"] == urls.absolute(built_site.site_url, urls.article(art.lang, art.slug))
        assert doc.xpath("//meta[@property='og:type']/@content") == ["article"]


def test_article_pages_render_meta_line_footnotes_and_captions(built_site):
    for art in built_site.catalogue.articles:
        url = urls.article(art.lang, art.slug)
        doc = page(built_site, url)
        header = doc.xpath("string(//header[contains(@class,'sd-article-header')])")
        if art.date:
            assert format_date(art.date, art.lang) in header
        if art.organisation:
            assert art.organisation in header
        for author in art.authors:
            assert author in header
        assert str(art.reading_time) in header
        if art.source_url:
            assert doc.xpath("//a[contains(@class,'sd-source')]/@href") == [art.source_url]
        if art.is_translation:
            assert doc.xpath("//a[contains(@class,'sd-original')]")
        source = (built_site.project_dir / "docs" / "articles" / f"{art.slug}.{art.lang}.md").read_text(encoding="utf-8")
        if re.search(r"^\[\^[^\]]+\]:", source, re.M):
            assert doc.xpath("//div[contains(@class,'footnote')]//li"), url
        if "{: .caption }" in source:
            assert doc.xpath("//p[contains(@class,'caption')]"), url


def test_each_language_has_its_own_search_index_with_its_own_stemmer(built_site):
    indexes = {lang: json.loads((built_site.site_dir / urls.search_index(lang)).read_text(encoding="utf-8"))
               for lang in ("fr", "en")}
    for lang, index in indexes.items():
        assert index["config"]["lang"] == [lang]
        for doc in index["docs"]:
            target = built_site.site_dir / urls.prefix(lang) / doc["location"].split("#")[0]
            target = target / "index.html" if doc["location"].split("#")[0] in ("",) or target.is_dir() else target
            assert target.is_file(), doc["location"]
            assert _parse(target).get("lang") == lang
    for synthetic in built_site.synthetic:
        in_en = any(synthetic.unique_word in d["text"] for d in indexes["en"]["docs"])
        assert in_en == synthetic.translated
        assert any(synthetic.unique_word in d["text"] for d in indexes["fr"]["docs"])


def test_html_lang_matches_the_language_root_of_every_page(built_site):
    for file in built_site.html_files():
        rel = file.relative_to(built_site.site_dir).as_posix()
        expected = "en" if rel.startswith("en/") else "fr"
        if rel == "404.html":
            continue
        assert _parse(file).get("lang") == expected, rel


def test_sitemap_lists_listings_and_articles_but_not_untranslated_notices(built_site):
    tree = etree.parse(str(built_site.site_dir / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = set(tree.xpath("//s:loc/text()", namespaces=ns))
    for lang in ("fr", "en"):
        assert urls.absolute(built_site.site_url, urls.all_articles(lang)) in locs
        for art in built_site.catalogue.in_lang(lang):
            assert urls.absolute(built_site.site_url, urls.article(lang, art.slug)) in locs
    for art in built_site.catalogue.missing_in("en"):
        assert urls.absolute(built_site.site_url, urls.article("en", art.slug)) not in locs


def test_about_page_credits_every_source_organisation_in_both_languages(built_site):
    orgs = {a.organisation for a in built_site.catalogue.articles if a.organisation}
    for lang in ("fr", "en"):
        text = page(built_site, urls.about(lang)).xpath("string(//*[contains(@class,'sd-sources')])")
        for org in orgs:
            assert org in text


def test_root_404_is_french_and_the_english_one_lives_under_en(built_site):
    root = _parse(built_site.site_dir / "404.html")
    assert root.get("lang") == "fr"
    assert root.xpath("string(//article//h1)").strip() == "Page introuvable"
    english = _parse(built_site.site_dir / "en" / "404.html")
    assert english.get("lang") == "en"
    assert english.xpath("string(//article//h1)").strip() == "Page not found"
    site_path = urlsplit(built_site.site_url).path
    for doc, lang in ((root, "fr"), (english, "en")):
        home = doc.xpath("//article//a/@href")[0]
        assert home == site_path + urls.home(lang)  # absolute: a 404 is served at any depth
        # its search reads its own language's index (the worker fetches under this base)
        config = json.loads(doc.xpath("string(//script[@id='__config'])"))
        assert config["base"] == site_path + urls.home(lang)


def test_switcher_on_subject_pages_opens_the_equivalent_term_else_the_index(built_site):
    from scidigest.site.listings import terminology
    from scidigest.site.taxonomy import group_subjects

    checked_mapped = 0
    for one_url, index_url in ((urls.tag, urls.tags),):
        grouped = {lang: group_subjects(built_site.catalogue.in_lang(lang)) for lang in ("fr", "en")}
        for lang, other in (("fr", "en"), ("en", "fr")):
            for slug, (name, _) in grouped[lang].items():
                url = one_url(lang, name)
                href = page(built_site, url).xpath(f"//a[contains(@class,'md-select__link')][@hreflang='{other}']/@href")[0]
                mapped = terminology()[(lang, other)].get(slug)
                if mapped is not None and urls.term_slug(mapped) in grouped[other]:
                    expected = one_url(other, mapped)
                    checked_mapped += 1
                else:
                    expected = index_url(other)
                assert local_target(built_site, url, href) == built_site.site_dir / expected / "index.html", (url, href)
    assert checked_mapped >= 4, "the session build should include mapped tags (neurones/neurons...)"


def _css_blocks(css: str, at_rule: str) -> str:
    """The text inside every ``@media <at_rule> { ... }`` block."""
    out, start = [], 0
    while (i := css.find(f"@media {at_rule}", start)) != -1:
        depth, j = 0, css.index("{", i)
        for k in range(j, len(css)):
            depth += {"{": 1, "}": -1}.get(css[k], 0)
            if depth == 0:
                out.append(css[j + 1:k])
                break
        start = k
    return "\n".join(out)


def test_print_stylesheet_hides_the_chrome_and_prints_the_source_url(built_site):
    css = (built_site.site_dir / "assets" / "site.css").read_text(encoding="utf-8")
    printed = _css_blocks(css, "print")
    assert printed, "no @media print block in site.css"
    hide = re.search(r"([^{}]+)\{\s*display:\s*none\s*!important", printed)
    assert hide, "no display:none rule in @media print"
    hidden = {s.strip() for s in hide.group(1).split(",")}
    assert {".md-header", ".md-tabs", ".md-sidebar", ".md-footer"} <= hidden
    assert re.search(r"a\.sd-source::after\s*\{[^}]*content:[^;}]*attr\(href\)", printed)
    art = next(a for a in built_site.catalogue.articles if a.source_url)
    doc = page(built_site, urls.article(art.lang, art.slug))
    assert any(h.endswith("assets/site.css") for h in doc.xpath("//link[@rel='stylesheet']/@href"))
    assert doc.xpath("//a[contains(@class,'sd-source')]/@href") == [art.source_url]
