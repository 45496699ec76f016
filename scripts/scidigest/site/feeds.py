"""One RSS 2.0 feed per language (``feed.xml``, ``en/feed.xml``).

mkdocs-rss-plugin mixes languages in one feed; here each feed holds only the
articles of its language. Output is deterministic: ``lastBuildDate`` is the
newest article's date, not the build time.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from scidigest.site import urls
from scidigest.site.catalogue import Article
from scidigest.site.labels import t
from scidigest.site.sanitize import safe_url, text_to_html
from scidigest.site.taxonomy import subjects

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
FEED_SIZE = 30


def _rfc822(date: dt.date) -> str:
    return format_datetime(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC))


def render_rss(articles: list[Article], lang: str, site_url: str, *, limit: int = FEED_SIZE,
               title: str | None = None, page: str | None = None, feed: str | None = None) -> bytes:
    """RSS 2.0 XML of the ``limit`` newest ``articles`` (already in ``lang``): the
    language's feed, or with ``title``, ``page`` and ``feed`` (site-root-relative URLs of
    the listing and of the feed itself) a subject's."""
    ET.register_namespace("atom", ATOM_NS)
    ET.register_namespace("dc", DC_NS)
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
    if dated:
        ET.SubElement(channel, "lastBuildDate").text = _rfc822(max(dated))
    for art in newest:
        item = ET.SubElement(channel, "item")
        link = safe_url(urls.absolute(site_url, urls.article(lang, art.slug))) or ""
        ET.SubElement(item, "title").text = art.title  # plain text in RSS 2.0
        ET.SubElement(item, "link").text = link
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = link
        # RSS readers render a description as HTML: our text goes in escaped
        ET.SubElement(item, "description").text = text_to_html(art.description)
        if art.date is not None:
            ET.SubElement(item, "pubDate").text = _rfc822(art.date)
        if art.organisation:
            ET.SubElement(item, f"{{{DC_NS}}}creator").text = ", ".join(art.authors) or art.organisation
        for name in subjects(art):
            ET.SubElement(item, "category").text = name
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"
