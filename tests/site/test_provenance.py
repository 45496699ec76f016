"""Provenance on the site without MkDocs: the article header's provenance block,
the one translation notice, and undated articles in the archive."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from scidigest.site import urls
from scidigest.site.catalogue import Catalogue, article_from_meta
from scidigest.site.listings import plan_pages


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
