"""A site built from hostile articles: no live script anywhere in what it publishes.

Every built HTML file, both search indexes and both feeds are parsed; the
hostile payloads are in ``tests/plugins/hostile_site.py`` (each sets a global
named ``sdPwned``). The page with a handler planted *after* the build is the
browser test's (``test_csp_browser.py``) and is skipped here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from xml.etree import ElementTree as ET

import pytest
from lxml import html

from scidigest.site import urls
from tests.plugins.hostile_site import CONTROL_PAGE, HOSTILE_ARTICLES, MARK, PLANTED_PAGE
from tests.plugins.hostile_sources import theme_row_buttons

pytestmark = pytest.mark.slow

BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset")
FORBIDDEN_ELEMENTS = ("iframe", "object", "embed", "frame", "frameset", "applet", "base")
#: the theme draws icons in SVG and has a search form; an article body has none of these
FORBIDDEN_IN_BODY = ("script", "style", "svg", "math", "form", "input", "button", "textarea", "template", "meta", "link")
#: what a script element may be in a built page: the theme's bundle, data blocks, hashed inline scripts
DATA_TYPES = ("application/json", "application/ld+json")


def url_probe(value: str) -> str:
    return re.sub(r"[\x00-\x20]", "", value)


def built_pages(site):
    skip = {PLANTED_PAGE, CONTROL_PAGE}
    for path in site.html_files():
        rel = path.relative_to(site.site_dir).as_posix()
        if rel not in skip:
            yield rel, path.read_text(encoding="utf-8")


def csp_hashes(doc) -> set[str] | None:
    """The script hashes the page's policy allows (None: no policy)."""
    metas = doc.xpath("//head/meta[@http-equiv='Content-Security-Policy']")
    if len(metas) != 1:
        return None
    directives = dict(d.strip().split(" ", 1) for d in metas[0].get("content").split(";"))
    sources = directives["script-src"].split()
    assert sources[0] == "'self'" and all(s.startswith("'sha256-") for s in sources[1:]), sources
    return set(sources[1:])


def problems_in(rel: str, text: str) -> list[str]:
    found = []
    doc = html.fromstring(text)
    allowed = csp_hashes(doc)
    if allowed is None:
        found.append(f"{rel}: no Content-Security-Policy")
        allowed = set()
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"{rel}: <{tag}>")
        for name, value in el.attrib.items():
            lname = name.lower()
            if lname.startswith("on"):
                found.append(f"{rel}: <{tag} {name}>")
            if lname in URL_ATTRIBUTES and BAD_SCHEME.match(url_probe(value)):
                found.append(f"{rel}: <{tag} {name}={value!r}>")
            if lname == "style" and re.search(r"expression|javascript|url\(", value, re.I):
                found.append(f"{rel}: <{tag} style={value!r}>")
        if tag == "script":
            kind = (el.get("type") or "").lower()
            code = el.text or ""
            if el.get("src"):
                if not el.get("src").split("?")[0].endswith(".js") or "://" in el.get("src"):
                    found.append(f"{rel}: script src={el.get('src')}")
            elif kind in DATA_TYPES:
                if "<" in code:
                    found.append(f"{rel}: '<' inside a {kind} block")
                json.loads(code)  # data, and valid
            else:
                digest = "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
                if digest not in allowed:
                    found.append(f"{rel}: inline script without a hash")
            if MARK in code and kind not in DATA_TYPES:
                found.append(f"{rel}: script from content: {code[:80]!r}")
    # nothing inside the article body may be a script, whatever its type, nor SVG, MathML or a form
    for body in doc.xpath("//article[contains(@class, 'md-content__inner')]"):
        theme = {doc.getroottree().getpath(b) for b in theme_row_buttons(body)}
        for el in body.iter(*FORBIDDEN_IN_BODY):
            if doc.getroottree().getpath(el) not in theme:
                found.append(f"{rel}: <{el.tag}> in the body")
    # Material finds its own elements by id: content may not shadow them
    for ident in ("__config", "__search", "__drawer"):
        if len(doc.xpath(f"//*[@id='{ident}']")) > 1:
            found.append(f"{rel}: duplicate id {ident}")
    return found


def test_the_hostile_articles_are_all_published(hostile_site):
    for slug in HOSTILE_ARTICLES:
        assert (hostile_site.site_dir / urls.article("fr", slug) / "index.html").is_file(), slug


def test_no_built_html_file_carries_live_script(hostile_site):
    problems = []
    pages = 0
    for rel, text in built_pages(hostile_site):
        pages += 1
        problems += problems_in(rel, text)
    assert pages > 20
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def test_hostile_titles_and_descriptions_read_as_text_everywhere(hostile_site):
    meta, _ = HOSTILE_ARTICLES["titre-piege"]
    doc = html.fromstring((hostile_site.site_dir / urls.article("fr", "titre-piege") / "index.html").read_bytes())
    assert doc.xpath("string(//head/title)").startswith(meta["title"])
    assert doc.xpath("string(//article//h1)") == meta["title"]
    assert doc.xpath("//meta[@name='description']/@content") == [meta["description"]]
    assert doc.xpath("//meta[@property='og:title']/@content") == [meta["title"]]
    blocks = {b["@type"]: b for b in (json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']"))}
    assert sorted(blocks) == ["BreadcrumbList", "NewsArticle"]
    data = blocks["NewsArticle"]
    assert blocks["BreadcrumbList"]["itemListElement"][-1]["name"] == meta["title"]
    assert doc.xpath("string(//nav[contains(@class, 'sd-breadcrumb')]//li[last()])") == meta["title"]
    assert doc.xpath("//meta[@property='og:image:alt']/@content")  # the card's words, not the title's markup
    assert data["headline"] == meta["title"] and data["author"][0]["name"] == meta["authors"][0]
    topic = doc.xpath("string(//*[contains(@class, 'md-header__topic')][2])").strip()
    assert topic == meta["title"]
    # the escaped heading stays text, the raw one loses its markup but keeps its words
    # the table of contents: the right sidebar's, and the same in the phone drawer (partials/nav.html)
    for where in ("md-sidebar--secondary", "md-sidebar--primary"):
        toc = [" ".join(a.text_content().split()) for a in doc.xpath(
            f"//*[contains(@class, '{where}')]//a[contains(@class, 'md-nav__link')][starts-with(@href, '#')]")]
        assert toc == ["Section titrée", "<img src=x onerror=window.sdPwned=59> échappé"], (where, toc)
    tag_page = html.fromstring((hostile_site.site_dir / urls.tag("fr", meta["tags"][0]) / "index.html").read_bytes())
    assert meta["tags"][0] in tag_page.xpath("string(//head/title)")
    assert meta["tags"][0] in tag_page.xpath("string(//article//h1)")


def test_a_javascript_source_url_is_published_as_no_link(hostile_site):
    for rel in (urls.article("fr", "liens-pieges") + "index.html", urls.about("fr") + "index.html"):
        doc = html.fromstring((hostile_site.site_dir / rel).read_bytes())
        assert not [a for a in doc.xpath("//a/@href") if "sdPwned" in a], rel
    doc = html.fromstring((hostile_site.site_dir / urls.article("fr", "liens-pieges") / "index.html").read_bytes())
    assert doc.xpath("//a[@href='https://www.example.org/communique']")  # the real link stays


def test_search_indexes_hold_text_and_bare_tags_only(hostile_site):
    for lang in ("fr", "en"):
        index = json.loads((hostile_site.site_dir / urls.search_index(lang)).read_text(encoding="utf-8"))
        assert index["docs"], lang
        for doc in index["docs"]:
            for field in ("title", "text", *(f"tags.{i}" for i in range(len(doc.get("tags", []))))):
                value = doc["tags"][int(field[5:])] if field.startswith("tags.") else doc[field]
                # the search UI inserts these as HTML: only the plugin's bare tags may appear
                for m in re.finditer(r"<(/?)([^\s>/]*)([^>]*)>", value):
                    assert m.group(2) in ("p", "code", "pre", "li", "ol", "ul", "sub", "sup") and not m.group(3), (
                        doc["location"], field, value[:200])
    fr = json.loads((hostile_site.site_dir / urls.search_index("fr")).read_text(encoding="utf-8"))
    titles = {html.fromstring(f"<p>{d['title']}</p>").text_content() for d in fr["docs"]}
    assert HOSTILE_ARTICLES["titre-piege"][0]["title"] in titles  # the title as text, not dropped


def test_feeds_carry_descriptions_as_escaped_html_and_only_the_sites_links(hostile_site):
    for lang in ("fr", "en"):
        root = ET.fromstring((hostile_site.site_dir / urls.feed(lang)).read_bytes())
        for item in root.iter("item"):
            assert "<" not in (item.findtext("description") or "")
            assert item.findtext("link").startswith(hostile_site.site_url)
    items = {i.findtext("link"): i for i in ET.fromstring((hostile_site.site_dir / urls.feed("fr")).read_bytes()).iter("item")}
    trap = items[hostile_site.site_url + urls.article("fr", "titre-piege")]
    assert trap.findtext("title") == HOSTILE_ARTICLES["titre-piege"][0]["title"]  # RSS title: plain text
