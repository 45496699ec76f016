"""What crawlers and link previews read: preview images, dateModified, the
publisher's logo, organisation URLs, each listing's own description."""

from __future__ import annotations

import json
import re

from lxml import html

from scidigest.site import cards, urls
from scidigest.site.catalogue import Catalogue, article_from_meta
from scidigest.site.listings import plan_pages
from scidigest.site.meta import PageInfo, head_html, json_ld
from scidigest.site.social import modified, organisation_url, preview

SITE = "https://scidigest.github.io/scidigest/"


def art(slug, lang="fr", date="2021-09-30", **kw):
    meta = {"slug": slug, "lang": lang, "title": kw.pop("title", f"Titre {slug}"), "description": "Résumé.",
            "date": date, **kw}
    return article_from_meta(meta)


def _head(info: PageInfo):
    doc = html.fromstring("<html><head>" + head_html(SITE, "SciDigest", info, page_title=info.title) + "</head></html>")
    props = {}
    for m in doc.iter("meta"):
        key = m.get("property") or m.get("name")
        props.setdefault(key, []).append(m.get("content"))
    blocks = [json.loads(s.text) for s in doc.iter("script")]
    return props, blocks


def test_an_article_without_an_image_is_shared_with_its_languages_card_as_a_large_image():
    a = art("x", lang="en", organisation="Inserm")
    props, [ld] = _head(PageInfo(lang="en", url=urls.article("en", "x"), title=a.title, article=a))
    card = urls.absolute(SITE, cards.card_url("en"))
    assert props["og:image"] == [card] and props["twitter:image"] == [card]
    assert props["og:image:width"] == ["1200"] and props["og:image:height"] == ["630"]
    assert props["twitter:card"] == ["summary_large_image"]
    assert props["og:image:alt"][0] and "SciDigest" in props["og:image:alt"][0]
    assert ld["image"] == [card]


def test_an_article_with_its_own_image_is_shared_with_it():
    a = art("x", image="img/0123456789abcdef.jpg")
    props, [ld] = _head(PageInfo(lang="fr", url=urls.article("fr", "x"), title=a.title, article=a))
    own = urls.absolute(SITE, "articles/img/0123456789abcdef.jpg")  # the one copy, at the site root
    assert props["og:image"] == [own] and ld["image"] == [own]
    assert props["og:image:type"] == ["image/jpeg"] and "og:image:width" not in props  # size unknown: not invented
    assert props["og:image:alt"] == [a.title]
    assert preview("fr", a).path == "articles/img/0123456789abcdef.jpg"
    # an image field that is not what ingest writes is not published
    assert preview("fr", art("y", image="../../etc/passwd")).path == cards.card_url("fr")


def test_every_page_has_a_preview_image_in_its_own_language():
    for lang in ("fr", "en"):
        props, blocks = _head(PageInfo(lang=lang, url=urls.tags(lang), title="T"))
        assert props["og:image"] == [urls.absolute(SITE, cards.card_url(lang))] and not blocks


def test_date_modified_comes_from_the_front_matter_never_the_build_clock():
    a = art("x", modified="2024-03-02")
    assert modified(a).isoformat() == "2024-03-02"
    data = json_ld(SITE, "SciDigest", PageInfo(lang="fr", url=urls.article("fr", "x"), title="T", article=a))
    assert (data["datePublished"], data["dateModified"]) == ("2021-09-30", "2024-03-02")
    props, _ = _head(PageInfo(lang="fr", url=urls.article("fr", "x"), title="T", article=a))
    assert props["article:modified_time"] == ["2024-03-02"]
    # never modified: as published; undated: none at all
    assert json_ld(SITE, "S", PageInfo(lang="fr", url="", title="T", article=art("y")))["dateModified"] == "2021-09-30"
    assert "dateModified" not in json_ld(SITE, "S", PageInfo(lang="fr", url="", title="T", article=art("z", date=None)))


def test_publisher_has_a_png_logo_and_known_organisations_their_url():
    a = art("x", organisation="CNRS")
    data = json_ld(SITE, "SciDigest", PageInfo(lang="fr", url=urls.article("fr", "x"), title="T", article=a))
    logo = data["publisher"]["logo"]
    assert logo["@type"] == "ImageObject" and logo["url"] == urls.absolute(SITE, "assets/social/logo.png")
    assert (logo["width"], logo["height"]) == (cards.LOGO_SIZE, cards.LOGO_SIZE)
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "CNRS", "url": "https://www.cnrs.fr/"}
    assert data["author"] == [data["sourceOrganization"]]
    unknown = json_ld(SITE, "S", PageInfo(lang="fr", url="", title="T", article=art("y", organisation="Labo X")))
    assert unknown["sourceOrganization"] == {"@type": "Organization", "name": "Labo X"}  # no URL invented
    assert organisation_url(None) is None and organisation_url("Labo X") is None


def test_every_listing_page_has_its_own_description():
    arts = [art(f"a{i}", date=f"20{10 + i % 12:02d}-0{1 + i % 9}-1{i % 10}", tags=[f"sujet {i % 3}", "commun"],
                organisation=["CNRS", "Inserm"][i % 2]) for i in range(30)]
    for lang in ("fr",):
        pages = [p for p in plan_pages(Catalogue(arts), lang, page_size=4) if p.kind == "listing"]
        assert len(pages) > 20
        descriptions = [p.description for p in pages]
        assert all(descriptions), [p.url for p in pages if not p.description]
        dupes = {d for d in descriptions if descriptions.count(d) > 1}
        assert not dupes, dupes
        assert all(len(d) <= 300 for d in descriptions)
        paged = next(p for p in pages if re.search(r"tags/[^/]+/page/2/$", p.url))
        assert "page 2 sur" in paged.description
        # the page's meta (what <meta name="description"> prints) carries it
        assert paged.meta()["description"] == paged.description


def test_a_listings_lastmod_is_its_newest_articles_date():
    arts = [art("old", date="2019-01-01", tags=["t"]), art("new", date="2020-06-01", tags=["t"], modified="2022-01-05"),
            art("other", date="2023-01-01", tags=["u"])]
    by_url = {p.url: p for p in plan_pages(Catalogue(arts), "fr")}
    assert by_url[urls.tag("fr", "t")].lastmod.isoformat() == "2022-01-05"  # modified beats published
    assert by_url[urls.tag("fr", "u")].lastmod.isoformat() == "2023-01-01"
    assert by_url[urls.all_articles("fr")].lastmod.isoformat() == "2023-01-01"


def test_the_build_s_choice_of_preview_is_printed_with_its_size_and_alt():
    a = art("x", lang="en", image="img/0123456789abcdef.jpg")
    card = preview("en", a, card="assets/social/articles/x.en.png")
    props, [ld] = _head(PageInfo(lang="en", url=urls.article("en", "x"), title=a.title, article=a, image=card))
    assert props["og:image"] == [urls.absolute(SITE, "assets/social/articles/x.en.png")] == ld["image"]
    assert (props["og:image:width"], props["og:image:height"], props["og:image:alt"]) == (["1200"], ["630"], [a.title])
    photo = preview("en", a, own_size=(1024, 683))
    props, _ = _head(PageInfo(lang="en", url=urls.article("en", "x"), title=a.title, article=a, image=photo))
    assert props["og:image"] == [urls.absolute(SITE, "articles/img/0123456789abcdef.jpg")]
    assert (props["og:image:width"], props["og:image:height"]) == (["1024"], ["683"])
