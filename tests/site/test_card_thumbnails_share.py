"""Card thumbnails (site/listings.py) and the share and print row of an article (site/share.py),
as markup: what a card shows with and without a hero image, the image's size read from its file
and its address from either language, the share links' encoded absolute address, no inline
script, and what the sanitiser keeps of it all."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lxml_html

from scidigest.site.catalogue import Catalogue, article_from_meta
from scidigest.site.listings import card_html, card_images_html, cards_html, home_cards_markdown
from scidigest.site.sanitize import clean_html
from scidigest.site.share import absolute_url, share_html, share_links
from tests.ingest.test_figures import png

IMAGE = "img/0123456789abcdef.png"
SITE = "https://example.org/digest/"


def art(slug="un-article", lang="fr", **kw):
    meta = {"slug": slug, "lang": lang, "title": kw.pop("title", "Un titre"), "description": "Le résumé.",
            "date": "2021-09-30", "organisation": "Inserm", "tags": ["cerveau"], **kw}
    return article_from_meta(meta)


@pytest.fixture
def docs(tmp_path):
    (tmp_path / "articles" / "img").mkdir(parents=True)
    (tmp_path / "articles" / IMAGE).write_bytes(png(320, 200))
    return tmp_path


def _img(markup: str):
    found = lxml_html.fragment_fromstring(markup, create_parent="div").xpath(".//img")
    return found[0] if found else None


# ------------------------------------------------------------------ card thumbnails

def test_a_card_without_image_keeps_its_markup_byte_for_byte(docs):
    a = art()
    expected = (
        '<article class="sd-card" lang="fr">'
        '<h2 class="sd-card__title"><a href="../../articles/un-article/">Un titre</a></h2>'
        '<p class="sd-card__meta"><time datetime="2021-09-30">30 septembre 2021</time>'
        '<span class="sd-sep" aria-hidden="true"> · </span><span class="sd-org">Inserm</span></p>'
        '<p class="sd-card__summary">Le résumé.</p>'
        '<ul class="sd-tags"><li><a class="sd-tag" href="../../tags/cerveau/">cerveau</a></li></ul>'
        "</article>"
    )
    assert card_html(a, "page/2/", docs) == card_html(a, "page/2/") == expected
    # an image the schema does not allow is not published either
    assert "<img" not in card_html(art(image="../../etc/x.png"), "", docs)


@pytest.mark.parametrize(("lang", "from_url"), [("fr", ""), ("fr", "page/3/"), ("en", "en/"), ("en", "en/page/2/")])
def test_a_card_thumbnail_is_the_one_stored_file_sized_from_it_in_both_languages(docs, lang, from_url):
    card = card_html(art(lang=lang, image=IMAGE), from_url, docs)
    img = _img(card)
    assert card.startswith(f'<article class="sd-card sd-card--image" lang="{lang}"><img class="sd-card__img" ')
    # relative to the page, it reaches articles/img/ of the site root (no en/ copy exists)
    resolved = posixpath.normpath(posixpath.join("/" + from_url, img.get("src")))
    assert resolved == "/articles/" + IMAGE
    assert (img.get("width"), img.get("height")) == ("320", "200")
    assert img.get("alt") == ""  # decorative: the title is the link text
    # the title stays the card's one link, and comes after the image
    assert card.index("<img") < card.index("<h2")
    assert len(re.findall(r"<a ", card)) == 2  # the title and the one tag


def test_the_size_follows_the_file_and_a_missing_file_shows_no_broken_image(docs, tmp_path):
    (docs / "articles" / "img" / "fedcba9876543210.png").write_bytes(png(90, 160))
    img = _img(card_html(art(image="img/fedcba9876543210.png"), "", docs))
    assert (img.get("width"), img.get("height")) == ("90", "160")
    assert "<img" not in card_html(art(image="img/aaaaaaaaaaaaaaaa.png"), "", docs)  # not on disk
    # the directory unknown (a caller without a docs_dir): the image, without a size it cannot read
    img = _img(card_html(art(image=IMAGE), "", None))
    assert img.get("src") == "articles/" + IMAGE and img.get("width") is None


def test_home_cards_read_sizes_where_the_catalogue_was_read_and_survive_the_sanitiser(docs):
    cat = Catalogue([art("a", image=IMAGE), art("b", date="2020-01-01"), art("c", date="2019-01-01", image=IMAGE)],
                    docs_dir=docs)
    body = home_cards_markdown(cat, "fr", 1)
    assert body.count('<img class="sd-card__img" ') == 2
    assert clean_html(body) == body  # nothing in a thumbnail is outside the allowlist
    final = card_images_html(clean_html(body))
    imgs = lxml_html.fragment_fromstring(final, create_parent="div").xpath(".//img")
    assert [i.get("loading") for i in imgs] == [None, "lazy"]  # the first may be what the reader sees first
    assert [i.get("decoding") for i in imgs] == ["async", "async"]
    assert all((i.get("width"), i.get("height")) == ("320", "200") for i in imgs)
    # a body without thumbnails comes back as it was
    plain = cards_html([art("b")], "", "fr", docs)
    assert card_images_html(plain) is plain


# ------------------------------------------------------------------ share and print

def test_share_links_carry_the_absolute_address_encoded_and_no_script():
    a = art(slug="l-imagerie-tep", lang="en", title='PET & "ketamine" <study>')
    row = share_html(a, SITE, "en/articles/l-imagerie-tep/")
    url = "https://example.org/digest/en/articles/l-imagerie-tep/"
    assert absolute_url(SITE, "en/articles/l-imagerie-tep/") == url
    assert "<script" not in row and " on" not in row.replace(" one", "")  # no inline script, no handler
    tree = lxml_html.fragment_fromstring(row, create_parent="div")
    links = {a.text: a.get("href") for a in tree.xpath(".//a")}
    assert set(links) == {"Email", "Bluesky", "LinkedIn"}
    mail = urlsplit(links["Email"])
    assert mail.scheme == "mailto" and parse_qs(mail.query) == {"subject": [a.title], "body": [url]}
    assert "+" not in links["Email"]  # RFC 6068: spaces are %20
    assert parse_qs(urlsplit(links["LinkedIn"]).query) == {"url": [url]}
    assert urlsplit(links["LinkedIn"]).netloc == "www.linkedin.com"
    bsky = urlsplit(links["Bluesky"])
    assert bsky.netloc == "bsky.app" and parse_qs(bsky.query) == {"text": [f"{a.title} {url}"]}
    for link in tree.xpath(".//a[starts-with(@href, 'https:')]"):
        assert set(link.get("rel").split()) >= {"noopener", "noreferrer"}
    # the title is escaped in the markup: the attribute holds it whole, nothing broke out of it
    share = tree.xpath(".//button[@data-sd-share]")[0]
    assert share.get("data-sd-title") == a.title and share.get("data-sd-url") == url
    assert '<study>' not in row
    # both buttons wait for the script; the group is named by its visible label
    buttons = tree.xpath(".//button")
    assert [b.text for b in buttons] == ["Share…", "Print"] and all(b.get("hidden") is not None for b in buttons)
    assert all(b.get("type") == "button" for b in buttons)
    group = tree.xpath(".//*[@role='group']")[0]
    assert tree.xpath(f".//*[@id='{group.get('aria-labelledby')}']")[0].text == "Share"


def test_share_labels_are_in_the_article_language_and_no_address_means_no_links():
    fr = lxml_html.fragment_fromstring(share_html(art(), SITE, "articles/un-article/"), create_parent="div")
    assert [b.text for b in fr.xpath(".//button")] == ["Partager…", "Imprimer"]
    assert "Courriel" in [a.text for a in fr.xpath(".//a")]
    for site_url in (None, "", "/digest/", "javascript:alert(1)//"):
        assert share_links(art(), site_url, "articles/un-article/") == []
        row = share_html(art(), site_url, "articles/un-article/")
        assert "<a " not in row and "data-sd-url" not in row and "data-sd-print" in row
