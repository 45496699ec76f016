"""scidigest.site.orientation: the section of a page outside the nav, and its breadcrumb."""

from __future__ import annotations

import json

from lxml import html

from scidigest.site.orientation import (
    breadcrumb_html,
    breadcrumb_ld,
    json_ld_script,
    section_of,
    trail,
)

NAV = ["", "articles/", "archive/", "tags/", "about/"]
NAV_EN = ["en/", "en/articles/", "en/archive/", "en/tags/", "en/about/"]


def test_a_page_belongs_to_the_nav_section_whose_url_is_its_longest_prefix():
    assert section_of("articles/x/", NAV) == "articles/"
    assert section_of("archive/2021/page/2/", NAV) == "archive/"
    assert section_of("page/3/", NAV) == ""  # home pages 2..N: the home tab
    assert section_of("about/", NAV) == "about/"
    assert section_of("en/tags/neurons/", NAV_EN) == "en/tags/"
    assert section_of("en/page/2/", NAV_EN) == "en/"
    # a prefix of the string that is not a prefix of the path does not count
    assert section_of("articlesx/", ["articles/"]) is None
    assert section_of("en/articles/x/", NAV) == ""  # the French nav: only its home contains /en/


def test_the_trail_lists_the_pages_above_from_the_home_down():
    titles = {"archive/": "Archives", "archive/2021/": "Articles de 2021"}
    crumbs = trail("fr", "archive/2021/page/2/", "Articles de 2021 — page 2", titles.get)
    assert crumbs == [("Accueil", ""), ("Archives", "archive/"), ("Articles de 2021", "archive/2021/"),
                      ("Articles de 2021 — page 2", "archive/2021/page/2/")]  # archive/2021/page/ is no page
    assert trail("en", "en/articles/x/", "X", {"en/articles/": "All articles"}.get) == [
        ("Home", "en/"), ("All articles", "en/articles/"), ("X", "en/articles/x/")]
    assert trail("fr", "", "Accueil", titles.get) == []  # the home page has none


def test_breadcrumb_markup_is_a_labelled_ordered_list_with_relative_links_and_escaped_titles():
    crumbs = [("Home", "en/"), ("All articles", "en/articles/"), ('<b>"x"</b>', "en/articles/x/")]
    doc = html.fromstring(breadcrumb_html("en", crumbs, "en/articles/x/"))
    assert doc.tag == "nav" and doc.get("aria-label") == "Breadcrumb"
    assert [a.get("href") for a in doc.iter("a")] == ["../../", "../"]
    last = doc.xpath("//li")[-1]
    assert last.get("aria-current") == "page" and last.text == '<b>"x"</b>' and not last.xpath(".//a|.//b")
    assert html.fromstring(breadcrumb_html("fr", crumbs, "en/articles/x/")).get("aria-label") == "Fil d’Ariane"
    assert breadcrumb_html("en", [], "en/") == ""


def test_breadcrumb_json_ld_is_a_schema_org_list_of_absolute_urls_that_cannot_end_its_script():
    data = breadcrumb_ld("https://example.org/site/", [("Home", "en/"), ("</script><x>", "en/articles/x/")])
    assert data["@type"] == "BreadcrumbList"
    assert [(i["position"], i["item"]) for i in data["itemListElement"]] == [
        (1, "https://example.org/site/en/"), (2, "https://example.org/site/en/articles/x/")]
    script = json_ld_script(data)
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and json.loads(body) == data
    assert breadcrumb_ld("https://example.org/", []) is None
