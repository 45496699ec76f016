"""The feeds: the whole text, the article's image, dates without an invented time."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import feedparser
import pytest
from lxml import html

from scidigest.site import urls
from scidigest.site.catalogue import article_from_meta
from scidigest.site.feeds import CONTENT_NS, DC_NS, MEDIA_NS, absolute_html, render_rss

SITE = "https://scidigest.github.io/scidigest/"


def art(slug, lang="en", date="2021-09-30", **kw):
    return article_from_meta({"slug": slug, "lang": lang, "title": f"Title {slug}", "description": "Lede.",
                              "date": date, **kw})


BODY = ('<p>See <a href="../other/">the other</a>, <a href="#method">the method</a> and '
        '<a href="https://example.org/x">a source</a>.</p>'
        '<h2 id="method">Method<a class="headerlink" href="#method" title="Permanent link">¶</a></h2>'
        '<figure><img src="../../../articles/img/0123456789abcdef.png" alt="A cell"></figure>')


def test_items_carry_the_whole_text_with_absolute_links_and_no_permalink_marks():
    feed = render_rss([art("a")], "en", SITE, content={"a": BODY})
    item = ET.fromstring(feed).find("channel/item")
    encoded = item.findtext(f"{{{CONTENT_NS}}}encoded")
    doc = html.fromstring(f"<div>{encoded}</div>")
    page = urls.absolute(SITE, urls.article("en", "a"))
    assert [a.get("href") for a in doc.iter("a")] == [
        urls.absolute(SITE, "en/articles/other/"), page + "#method", "https://example.org/x"]
    assert [i.get("src") for i in doc.iter("img")] == [urls.absolute(SITE, "articles/img/0123456789abcdef.png")]
    assert "¶" not in encoded and "Method" in encoded
    assert item.findtext("description") == "Lede."  # the lede stays the summary
    parsed = feedparser.parse(feed)
    assert not parsed.bozo and urls.absolute(SITE, "en/articles/other/") in parsed.entries[0].content[0].value


def test_dates_are_days_without_an_invented_time():
    feed = render_rss([art("a", date="2021-09-30"), art("b", date=None), art("c", date="2020-01-02",
                                                                            modified="2022-03-04")], "en", SITE)
    root = ET.fromstring(feed)
    assert not list(root.iter("pubDate"))
    assert not list(root.iter("lastBuildDate"))
    dates = {i.findtext("link").rstrip("/").rpartition("/")[2]: i.findtext(f"{{{DC_NS}}}date")
             for i in root.iter("item")}
    assert dates == {"a": "2021-09-30", "b": None, "c": "2020-01-02"}
    assert root.findtext(f"channel/{{{DC_NS}}}date") == "2022-03-04"  # the newest change
    entries = {e.link.rstrip("/").rpartition("/")[2]: e for e in feedparser.parse(feed).entries}
    assert tuple(entries["a"].updated_parsed[:3]) == (2021, 9, 30)  # readers read dc:date (feedparser: "updated")
    assert "updated_parsed" not in entries["b"]


def test_an_articles_own_image_is_its_enclosure_with_its_size(tmp_path):
    image = tmp_path / "articles" / "img" / "0123456789abcdef.jpg"
    image.parent.mkdir(parents=True)
    image.write_bytes(b"\xff\xd8" + b"x" * 1234)
    feed = render_rss([art("a", image="img/0123456789abcdef.jpg"), art("b")], "en", SITE, docs_dir=tmp_path)
    items = ET.fromstring(feed).findall("channel/item")
    url = urls.absolute(SITE, "articles/img/0123456789abcdef.jpg")
    assert items[0].find("enclosure").attrib == {"url": url, "length": "1236", "type": "image/jpeg"}
    assert items[0].find(f"{{{MEDIA_NS}}}content").attrib == {"url": url, "medium": "image", "type": "image/jpeg"}
    assert items[1].find("enclosure") is None and items[1].find(f"{{{MEDIA_NS}}}content") is None
    # without the file, no length to give: media:content only (RSS 2.0 requires enclosure's length)
    bare = ET.fromstring(render_rss([art("a", image="img/0123456789abcdef.jpg")], "en", SITE)).find("channel/item")
    assert bare.find("enclosure") is None and bare.find(f"{{{MEDIA_NS}}}content") is not None
    assert feedparser.parse(feed).entries[0].enclosures[0].href == url


def test_feeds_are_deterministic_and_hostile_text_stays_text():
    a = art("a", title="</title><script>x()</script>")
    args = ([a], "en", SITE)
    kwargs = {"content": {"a": "<p>ok</p>"}}
    assert render_rss(*args, **kwargs) == render_rss(*args, **kwargs)
    item = ET.fromstring(render_rss(*args, **kwargs)).find("channel/item")
    assert item.findtext("title") == "</title><script>x()</script>"


def test_absolute_html_keeps_the_markup_and_text():
    out = absolute_html('<p>a <em>b</em> &amp; c</p><ul><li>d</li></ul>', urls.absolute(SITE, "en/articles/a/"))
    assert out == "<p>a <em>b</em> &amp; c</p><ul><li>d</li></ul>"


@pytest.mark.slow
def test_the_built_language_feeds_carry_each_articles_text(built_site):
    for lang in ("fr", "en"):
        root = ET.fromstring((built_site.site_dir / urls.feed(lang)).read_bytes())
        items = root.findall("channel/item")
        assert items
        for item in items:
            encoded = item.findtext(f"{{{CONTENT_NS}}}encoded")
            assert encoded and len(encoded) > len(item.findtext("description") or "")
            doc = html.fromstring(f"<div>{encoded}</div>")
            for ref in doc.xpath("//a/@href | //img/@src"):
                assert ref.startswith(("https://", "http://", "mailto:")), ref
        assert not list(root.iter("pubDate"))
