"""One RSS 2.0 feed per language (``feed.xml``, ``en/feed.xml``).

mkdocs-rss-plugin mixes languages in one feed; here each feed holds only the
articles of its language. Output is deterministic: nothing comes from the
build's clock.

Dates: an article has a day, not a time, and RSS 2.0's ``pubDate`` must carry
a time (RFC 822), so writing one would invent it (midnight UTC, which readers
show as the evening before in the Americas). Each item and the channel carry
Dublin Core's ``dc:date`` instead, the W3C date without a time
(``2021-09-30``), which feed readers take as the item's date (feedparser:
``updated``); an undated article has none.

With ``content`` (slug -> the article's HTML, from the build), an item carries
the whole text as ``content:encoded``, its links made absolute; an article with
an image of its own carries it as ``media:content`` (and as ``enclosure`` when
``docs_dir`` gives its size in bytes, which RSS 2.0 requires).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

from scidigest.site import urls
from scidigest.site.catalogue import Article, image_path
from scidigest.site.labels import t
from scidigest.site.sanitize import safe_url, text_to_html
from scidigest.site.taxonomy import subjects

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
MEDIA_NS = "http://search.yahoo.com/mrss/"
_IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
FEED_SIZE = 30


def _day(date: dt.date) -> str:
    """A W3C date without a time (the day the article gives, no invented clock)."""
    return date.isoformat()


def absolute_html(fragment: str, page_url: str) -> str:
    """``fragment`` (a built page's body) with every link and image made absolute
    from ``page_url``: a feed reader shows it away from the site. The headings'
    permalink anchors go (they mean nothing there)."""
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for anchor in root.xpath("//a[contains(concat(' ', normalize-space(@class), ' '), ' headerlink ')]"):
        anchor.drop_tree()
    for element in root.iter():
        for attr in ("href", "src"):
            value = element.get(attr)
            if value is not None:
                element.set(attr, urljoin(page_url, value))
    text = lxml_html.tostring(root, encoding="unicode")
    return text[len("<div>"):-len("</div>")]


def render_rss(articles: list[Article], lang: str, site_url: str, *, limit: int = FEED_SIZE,
               title: str | None = None, page: str | None = None, feed: str | None = None,
               content: dict[str, str] | None = None, docs_dir: Path | None = None) -> bytes:
    """RSS 2.0 XML of the ``limit`` newest ``articles`` (already in ``lang``): the
    language's feed, or with ``title``, ``page`` and ``feed`` (site-root-relative URLs of
    the listing and of the feed itself) a subject's."""
    ET.register_namespace("atom", ATOM_NS)
    ET.register_namespace("dc", DC_NS)
    ET.register_namespace("content", CONTENT_NS)
    ET.register_namespace("media", MEDIA_NS)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title or t(lang, "feed_title")
    ET.SubElement(channel, "link").text = urls.absolute(site_url, urls.home(lang) if page is None else page)
    ET.SubElement(channel, "description").text = t(lang, "site_description")
    ET.SubElement(channel, "language").text = lang
    ET.SubElement(channel, f"{{{ATOM_NS}}}link", {
        "href": urls.absolute(site_url, urls.feed(lang) if feed is None else feed), "rel": "self",
        "type": "application/rss+xml",
    })
    newest = [a for a in articles if a.lang == lang][:limit]
    dated = [a.date for a in newest if a.date is not None]
    dated += [a.modified for a in newest if a.modified is not None]
    if dated:
        ET.SubElement(channel, f"{{{DC_NS}}}date").text = _day(max(dated))
    for art in newest:
        item = ET.SubElement(channel, "item")
        link = safe_url(urls.absolute(site_url, urls.article(lang, art.slug))) or ""
        ET.SubElement(item, "title").text = art.title  # plain text in RSS 2.0
        ET.SubElement(item, "link").text = link
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = link
        # RSS readers render a description as HTML: our text goes in escaped
        ET.SubElement(item, "description").text = text_to_html(art.description)
        if content and content.get(art.slug):
            ET.SubElement(item, f"{{{CONTENT_NS}}}encoded").text = absolute_html(content[art.slug], link)
        image = image_path(art)
        if image:
            image_url = urls.absolute(site_url, image)
            kind = _IMAGE_TYPES.get(image.rpartition(".")[2], "image/*")
            path = docs_dir / image if docs_dir is not None else None
            if path is not None and path.is_file():
                ET.SubElement(item, "enclosure", {"url": image_url, "length": str(path.stat().st_size), "type": kind})
            ET.SubElement(item, f"{{{MEDIA_NS}}}content", {"url": image_url, "medium": "image", "type": kind})
        if art.date is not None:
            ET.SubElement(item, f"{{{DC_NS}}}date").text = _day(art.date)
        if art.organisation:
            ET.SubElement(item, f"{{{DC_NS}}}creator").text = ", ".join(art.authors) or art.organisation
        for name in subjects(art):
            ET.SubElement(item, "category").text = name
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"
