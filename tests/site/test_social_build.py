"""The built site, for crawlers: sitemap lastmod from the articles, preview images that exist."""

from __future__ import annotations

import datetime as dt
import gzip
import struct

import pytest
from lxml import etree, html

from scidigest.site import urls
from scidigest.site.social import modified

pytestmark = pytest.mark.slow

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _lastmods(site) -> dict[str, str | None]:
    tree = etree.parse(str(site.site_dir / "sitemap.xml"))
    return {u.findtext("s:loc", namespaces=NS)[len(site.site_url):]: u.findtext("s:lastmod", namespaces=NS)
            for u in tree.getroot().findall("s:url", NS)}


def test_sitemap_lastmod_is_each_articles_own_date_and_each_listings_newest(built_site):
    lastmods = _lastmods(built_site)
    catalogue = built_site.catalogue
    for lang in ("fr", "en"):
        arts = catalogue.in_lang(lang)
        newest = max(d for a in arts if (d := modified(a))).isoformat()
        for a in arts:
            own = modified(a)
            assert lastmods[urls.article(lang, a.slug)] == (own.isoformat() if own else None), a.slug
        assert lastmods[urls.home(lang)] == newest and lastmods[urls.all_articles(lang)] == newest
        for year in {a.date.year for a in arts if a.date}:
            in_year = max(modified(a) for a in arts if a.date and a.date.year == year)
            assert lastmods[urls.archive_year(lang, year)] == in_year.isoformat()
    # dated by the newest article, not by the clock of the build (its gzip header too)
    # (MkDocs stamps it with the newest lastmod of the last language pass's pages)
    stamp = struct.unpack("<I", (built_site.site_dir / "sitemap.xml.gz").read_bytes()[4:8])[0]
    assert dt.datetime.fromtimestamp(stamp, dt.UTC).date().isoformat() in set(lastmods.values())
    assert gzip.decompress((built_site.site_dir / "sitemap.xml.gz").read_bytes()) == (
        built_site.site_dir / "sitemap.xml").read_bytes()


def test_every_pages_preview_image_and_the_publisher_logo_are_in_the_site(built_site):
    seen = set()
    for path in built_site.html_files():
        doc = html.fromstring(path.read_bytes())
        for content in doc.xpath("//meta[@property='og:image' or @name='twitter:image']/@content"):
            seen.add(content)
    assert seen
    for url in seen:
        assert url.startswith(built_site.site_url) and (built_site.site_dir / url[len(built_site.site_url):]).is_file(), url
    assert (built_site.site_dir / "assets" / "social" / "logo.png").is_file()


def test_every_article_in_both_languages_is_shared_with_its_own_card_in_the_site(built_site):
    from PIL import Image

    for lang in ("fr", "en"):
        arts = built_site.catalogue.in_lang(lang)
        assert arts
        for a in arts:
            page = built_site.site_dir / urls.article(lang, a.slug) / "index.html"
            doc = html.fromstring(page.read_bytes())
            props = {m.get("property") or m.get("name"): m.get("content") for m in doc.iter("meta")}
            image = props["og:image"]
            assert image == props["twitter:image"] and image.startswith(built_site.site_url)
            path = built_site.site_dir / image[len(built_site.site_url):]
            assert path.is_file(), image
            with Image.open(path) as im:  # the size the head announces is the file's
                assert [str(n) for n in im.size] == [props["og:image:width"], props["og:image:height"]], image
            assert props["og:image:alt"] and props["twitter:image:alt"] == props["og:image:alt"]
            if not a.image:
                assert image.endswith(f"assets/social/articles/{a.slug}.{lang}.png")
                assert props["og:image:alt"] == a.title
    # no card for anything else: one per article that uses one, nothing left over
    cards = {p.name for p in (built_site.site_dir / "assets" / "social" / "articles").iterdir()}
    assert cards == {f"{a.slug}.{lang}.png" for lang in ("fr", "en") for a in built_site.catalogue.in_lang(lang)
                     if f"assets/social/articles/{a.slug}.{lang}.png" in str(
                         (built_site.site_dir / urls.article(lang, a.slug) / "index.html").read_text("utf-8"))}
