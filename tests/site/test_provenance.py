"""Provenance on the site without MkDocs: the article header's provenance block,
the one translation notice, and undated articles in the archive."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from scidigest.site import urls
from scidigest.site.catalogue import Catalogue, article_from_meta
from scidigest.site.listings import plan_pages
from scidigest.site.meta import article_header_html


def art(slug, lang="fr", date="2021-09-30", **kw):
    meta = {"slug": slug, "lang": lang, "title": kw.pop("title", f"Titre {slug}"), "description": "Résumé.",
            "date": date, **kw}
    return article_from_meta(meta)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", lxml_html.fromstring(f"<div>{fragment}</div>").text_content()).strip()


def test_undated_articles_have_their_own_archive_group_after_the_years_in_both_languages():
    cat = Catalogue([art("a", date="2020-01-01"), art("b", date=None), art("c", date="2021-05-05"),
                     art("b", lang="en", date=None, translation={"from": "fr", "status": "machine",
                                                                 "provider": "google"})])
    for lang, label, title in (("fr", "Sans date", "Articles sans date"), ("en", "Undated", "Undated articles")):
        pages = {p.url: p for p in plan_pages(cat, lang)}
        index = lxml_html.fromstring(pages[urls.archive(lang)].html)
        links = [(a.text_content(), a.get("href")) for a in index.xpath("//ul[@class='sd-years']/li/a")]
        assert links[-1] == (label, "undated/")  # last, after every year
        undated = pages[urls.archive_year(lang, None)]
        assert undated.url == f"{urls.prefix(lang)}archive/undated/" and undated.title == title
        assert "Titre b" in _text(undated.html)
        if lang == "fr":
            assert [t for t, _ in links] == ["2021", "2020", "Sans date"]
            # the French undated group has an English counterpart: the switcher pairs them
            assert undated.translations == {"en": "en/archive/undated/"}


def _rows(header: str) -> dict[str, str]:
    """The provenance block's rows, term -> description text."""
    doc = lxml_html.fragment_fromstring(header)
    (section,) = doc.xpath(".//section[contains(@class,'sd-provenance')]")
    assert section.get("aria-label")
    return {re.sub(r"\s+", " ", row.xpath("string(dt)")).strip(): re.sub(r"\s+", " ", row.xpath("string(dd)")).strip()
            for row in section.xpath(".//dl/div")}


def test_provenance_names_organisation_date_authors_kind_original_and_study():
    a = art("x", organisation="Inserm", authors=["Marie Dupont", "Paul Martin"], kind="press-release",
            source_url="https://www.inserm.fr/actualite/x/", journal="Cell Stem Cell",
            doi="10.1016/j.stem.2021.09.002", input_kind="pdf-wrapped")
    header = article_header_html(a, urls.article("fr", "x"))
    assert _rows(header) == {
        "Source": "Inserm", "Date": "30 septembre 2021", "Auteurs": "Marie Dupont, Paul Martin",
        "Type de texte": "Communiqué de presse", "Original": "Lire sur inserm.fr",
        "Étude": "Publiée dans Cell Stem Cell · DOI 10.1016/j.stem.2021.09.002",
    }
    doc = lxml_html.fragment_fromstring(header)
    assert doc.xpath(".//a[@class='sd-source']/@href") == ["https://www.inserm.fr/actualite/x/"]
    assert doc.xpath(".//a[@class='sd-doi']/@href") == ["https://doi.org/10.1016/j.stem.2021.09.002"]
    assert doc.xpath(".//cite/text()") == ["Cell Stem Cell"]
    assert doc.xpath(".//time/@datetime") == ["2021-09-30"]
    # organisation and kind open their listings, relative to the article
    assert doc.xpath(".//a[@class='sd-org']/@href") == ["../../organisations/inserm/"]
    assert doc.xpath(".//a[@class='sd-kind']/@href") == ["../../kinds/press-release/"]


def test_an_article_without_date_organisation_or_url_says_so_plainly_in_its_language():
    fr = art("y", date=None, kind="thesis-summary", input_kind="pdf-double-spaced")
    assert _rows(article_header_html(fr, urls.article("fr", "y"))) == {
        "Source": "Organisme non indiqué", "Date": "Sans date : la source n'en indique aucune",
        "Type de texte": "Résumé de thèse", "Original": "Pas en ligne : texte reçu sous forme de document PDF",
    }
    en = art("y", lang="en", date=None, kind="news-article", input_kind="web-text",
             translation={"from": "fr", "status": "machine", "provider": "deepl"})
    rows = _rows(article_header_html(en, urls.article("en", "y")))
    assert rows["Date"] == "Undated: the source gives no date" and rows["Source"] == "Organisation not stated"
    assert rows["Original"] == "Address not recorded: the text was copied from a web page"
    assert "Study" not in rows and "Authors" not in rows  # nothing invented


def test_a_javascript_source_url_is_no_link_and_a_doi_is_escaped_into_its_resolver_url():
    a = art("z", source_url="javascript:alert(1)", doi="10.1002/(SICI)1097-4636<x>", input_kind="html")
    header = article_header_html(a, urls.article("fr", "z"))
    assert "javascript" not in header and "<x>" not in header
    assert _rows(header)["Original"] == "Adresse non conservée : texte copié d'une page web"
    assert lxml_html.fragment_fromstring(header).xpath(".//a[@class='sd-doi']/@href") == [
        "https://doi.org/10.1002/(SICI)1097-4636%3Cx%3E"]


def _notices(header: str) -> list[str]:
    return [_text(lxml_html.tostring(p, encoding="unicode"))
            for p in lxml_html.fragment_fromstring(header).xpath(".//p[contains(@class,'sd-translation')]")]


def test_the_translation_notice_is_one_paragraph_with_status_engine_and_original():
    original = art("x")
    machine = art("x", lang="en", translation={"from": "fr", "status": "machine", "provider": "google"})
    header = article_header_html(machine, urls.article("en", "x"), original)
    assert _notices(header) == ["Machine translation (Google Translate) of the French original; it may contain "
                                "errors. Read the original (French)"]
    doc = lxml_html.fragment_fromstring(header)
    assert doc.xpath(".//a[@class='sd-original']/@href") == ["../../../articles/x/"]
    assert doc.xpath(".//a[@class='sd-original']/@hreflang") == ["fr"]
    reviewed = art("x", lang="en", translation={"from": "fr", "status": "reviewed", "provider": "manual"})
    assert _notices(article_header_html(reviewed, urls.article("en", "x"), original)) == [
        "Translated from the French original and reviewed by a person. Read the original (French)"]
    post_edited = art("x", lang="en", translation={"from": "fr", "status": "reviewed", "provider": "deepl"})
    assert _notices(article_header_html(post_edited, urls.article("en", "x"), original)) == [
        "Machine translation (DeepL) of the French original, reviewed by a person. Read the original (French)"]
    # an original has no notice
    assert _notices(article_header_html(original, urls.article("fr", "x"))) == []


def test_a_machine_translation_whose_original_is_gone_still_says_it_is_a_machine_translation():
    orphan = art("x", lang="en", translation={"from": "fr", "status": "machine", "provider": "libre"})
    header = article_header_html(orphan, urls.article("en", "x"), None)
    assert _notices(header) == ["Machine translation (LibreTranslate) of the French original; it may contain "
                                "errors. The original is no longer published on this site."]
    assert "sd-original" not in header  # no link to a page that does not exist


def test_json_ld_cites_the_study_by_doi_and_journal_and_only_when_the_text_names_it():
    from scidigest.site.meta import PageInfo, json_ld

    a = art("x", journal="Cell Stem Cell", doi="10.1016/j.stem.2021.09.002")
    data = json_ld("https://example.org/", "SciDigest", PageInfo(lang="fr", url="articles/x/", title=a.title, article=a))
    assert data["citation"] == {
        "@type": "ScholarlyArticle", "isPartOf": {"@type": "Periodical", "name": "Cell Stem Cell"},
        "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1016/j.stem.2021.09.002"},
        "sameAs": "https://doi.org/10.1016/j.stem.2021.09.002",
    }
    plain = art("y")
    assert "citation" not in json_ld("https://example.org/", "SciDigest",
                                     PageInfo(lang="fr", url="articles/y/", title=plain.title, article=plain))


_HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
            "java\tscript:alert(1)", "&#106;avascript:x", "</header><script>x</script>", "<!--", "]]>",
            "' onmouseover='x", "<svg/onload=x>", "\u202e\u0000\x0b", "a\r\nb", "{{ config }}", "10.1000/<b>x</b>",
            "https://e.org/\"><script>", "a&amp;b &lt;c&gt;", "__config"]


def _tree(fragment: str) -> bytes:
    return lxml_html.tostring(lxml_html.fragment_fromstring(fragment, create_parent="div"))


def test_the_article_header_needs_no_sanitiser_whatever_the_front_matter_says():
    """The header is built from untrusted front matter with every value escaped where it is
    written, so the site's allowlist leaves it as it is but for NUL and CR, which html5ever
    rewrites (the build skips nh3's pass on it otherwise: sanitize.clean_own_html): a hostile
    value in any field it shows makes nh3 remove or change nothing."""
    import random

    from scidigest.site.sanitize import clean_html, clean_own_html

    rnd = random.Random(11)
    for n in range(300):
        pick = lambda: "".join(rnd.choice(_HOSTILE) for _ in range(rnd.randint(1, 3)))  # noqa: E731
        fields = {"organisation": pick(), "authors": [pick(), pick()], "journal": pick(), "doi": "10.1/" + pick(),
                  "source_url": rnd.choice(["https://e.org/" + pick(), pick()]), "tags": [pick(), pick()],
                  "categories": [pick()], "kind": rnd.choice(["press-release", pick()]), "input_kind": pick()}
        translated = n % 2 == 1
        if translated:
            fields["translation"] = {"from": "fr", "status": rnd.choice(["machine", "reviewed"]), "provider": pick()}
        a = art(f"s{n}", lang="en" if translated else "fr", title=pick(), **fields)
        original = art(f"s{n}", title=pick()) if translated and n % 4 == 1 else None
        header = article_header_html(a, urls.article(a.lang, a.slug), original)
        if "\x00" in header or "\r" in header:
            assert clean_own_html(header) == clean_html(header)
        else:  # nh3 removes and changes nothing: the same tree (it may spell "&quot;" in text as '"')
            assert clean_own_html(header) == header
            assert _tree(clean_html(header)) == _tree(header), (fields, header)
        assert "<script" not in header and "<svg" not in header and "<img" not in header


def test_every_listing_page_needs_no_sanitiser_whatever_the_front_matter_says():
    """Listings are our own markup too (site/listings.py, every value escaped), published
    without nh3's pass (sanitize.clean_own_html): with hostile titles, organisations, subjects,
    kinds and descriptions, nh3 finds nothing to remove or change on any planned page."""
    import random

    from scidigest.site.sanitize import clean_html, clean_own_html

    rnd = random.Random(5)
    pick = lambda: "".join(rnd.choice(_HOSTILE) for _ in range(rnd.randint(1, 3)))  # noqa: E731
    arts = []
    for n in range(40):
        date = rnd.choice([None, f"20{rnd.randint(10, 25)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}"])
        fields = {"organisation": pick(), "authors": [pick()], "tags": [pick(), rnd.choice(["Cerveau", pick()])],
                  "categories": [pick()], "kind": rnd.choice(["press-release", "thesis", pick()]), "source_url": pick(),
                  "image": rnd.choice([pick(), "img/0123456789abcdef.png", "img/" + pick() + ".png"])}
        arts.append(art(f"s{n}", date=date, title=pick(), description=pick(), **fields))
        if n % 3 == 0:
            arts.append(art(f"s{n}", lang="en", date=date, title=pick(), description=pick(),
                            translation={"from": "fr", "status": "machine", "provider": "google"}, **fields))
    catalogue = Catalogue(arts)
    for lang in ("fr", "en"):
        for page in plan_pages(catalogue, lang, page_size=7):
            assert "<script" not in page.html and "<img src=x" not in page.html
            if "\x00" in page.html or "\r" in page.html:
                assert clean_own_html(page.html) == clean_html(page.html)
            else:
                assert _tree(clean_html(page.html)) == _tree(page.html), page.url
