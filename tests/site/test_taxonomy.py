"""One subject taxonomy (categories and tags merged, release types out), and the kind and
organisation facets with their pages and counts (scidigest.site.taxonomy, listings)."""

from __future__ import annotations

import re

from lxml import html

from scidigest.site import taxonomy, urls
from scidigest.site.catalogue import Catalogue, article_from_meta
from scidigest.site.listings import plan_pages
from scidigest.site.meta import PageInfo, article_header_html, head_html

SITE = "https://scidigest.github.io/scidigest/"


def art(slug, lang="fr", date="2021-09-30", **kw):
    meta = {"slug": slug, "lang": lang, "title": kw.pop("title", f"Titre {slug}"), "description": "R.",
            "date": date, **kw}
    return article_from_meta(meta)


def pages(cat, lang):
    return {p.url: p for p in plan_pages(cat, lang)}


def titles(page) -> list[str]:
    return [a.text for a in html.fromstring(page.html).xpath("//li[contains(@class,'sd-list__item')]/a")]


def index_rows(page) -> list[tuple[str, str, int]]:
    doc = html.fromstring(page.html)
    return [(li.xpath("string(./a)"), li.xpath("./a/@href")[0], int(li.xpath("string(./span)").strip("()")))
            for li in doc.xpath("//ul[contains(@class,'sd-terms')]/li")]


def test_a_topic_and_a_tag_of_one_term_are_one_subject_whatever_the_case_and_accents():
    a = art("a", categories=["Cerveau", "Santé & sciences du vivant"])
    b = art("b", tags=["cerveau", "sante & sciences du vivant", "CERVEAU"])
    assert taxonomy.subjects(b) == ("cerveau", "sante & sciences du vivant")  # one per term, as the article spells it
    groups = taxonomy.group_subjects([a, b])
    assert list(groups) == ["cerveau", "sante-sciences-du-vivant"]
    assert [x.slug for x in groups["cerveau"][1]] == ["a", "b"]
    fr = pages(Catalogue([a, b]), "fr")
    assert titles(fr["tags/cerveau/"]) == ["Titre a", "Titre b"]  # before: "Cerveau" and "cerveau" listed one each
    assert not any(url.startswith("categories/") for url in fr)


def test_the_name_shown_is_the_spelling_most_articles_use_and_never_depends_on_file_order():
    arts = [art("a", tags=["ARN"]), art("b", tags=["arn"]), art("c", categories=["ARN"]), art("d", tags=["Arn"])]
    for order in (arts, arts[::-1]):
        assert taxonomy.group_subjects(order)["arn"][0] == "ARN"
    assert taxonomy.group_subjects([art("a", tags=["arn"]), art("b", tags=["ARN"])])["arn"][0] == "ARN"  # tie: sorted
    assert plan_pages(Catalogue(arts), "fr") == plan_pages(Catalogue(arts[::-1]), "fr")


def test_release_types_are_not_subjects_and_give_the_kind_when_it_is_unknown():
    cea = art("cea", categories=["Découvertes et avancées", "Résultat scientifique", "Cerveau"], kind="news-article")
    assert taxonomy.subjects(cea) == ("Cerveau",)
    unknown = art("u", tags=["Communiqué de presse", "ARN"])  # kind: "article" (not given)
    assert unknown.kind == "article" and taxonomy.kind_of(unknown) == "press-release"
    assert taxonomy.subjects(unknown) == ("ARN",)
    stated = art("s", tags=["communique de presse"], kind="thesis-summary")  # what the article says wins
    assert taxonomy.kind_of(stated) == "thesis-summary"
    en = art("e", lang="en", categories=["Scientific result", "Interview", "Brain"])
    assert taxonomy.subjects(en) == ("Brain",) and taxonomy.kind_of(en) == "news-article"
    fr = pages(Catalogue([cea]), "fr")
    assert "tags/resultat-scientifique/" not in fr and "tags/decouvertes-et-avancees/" not in fr
    assert [r[0] for r in index_rows(fr["tags/"])] == ["Cerveau"]
    header = article_header_html(cea, urls.article("fr", "cea"))
    assert "Résultat scientifique" not in header and 'href="../../tags/cerveau/"' in header


def test_the_vocabulary_only_names_kinds_of_the_schema():
    import json
    from pathlib import Path

    import scidigest

    path = Path(scidigest.__file__).parent / "schema" / "article.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert set(taxonomy.KINDS) == set(schema["properties"]["kind"]["enum"])
    assert set(taxonomy.release_types().values()) <= {*taxonomy.KINDS, None}
    assert taxonomy.is_release_type("RÉSULTATS SCIENTIFIQUES") and not taxonomy.is_release_type("Résultats")


def test_subjects_switch_language_through_the_terminology_table():
    cat = Catalogue([art("a", categories=["Cerveau"], tags=["cerveau"]), art("a", lang="en", tags=["brain"]),
                     art("b", tags=["océans"])])
    fr, en = pages(cat, "fr"), pages(cat, "en")
    assert fr["tags/cerveau/"].switch_to == {"en": "en/tags/brain/"} == fr["tags/cerveau/"].translations
    assert en["en/tags/brain/"].switch_to == {"fr": "tags/cerveau/"}
    assert fr["tags/oceans/"].switch_to == {"en": "en/tags/"} and not fr["tags/oceans/"].translations


def test_organisation_and_kind_pages_list_their_articles_with_counts_on_the_index():
    cat = Catalogue([
        art("a", organisation="CNRS", kind="press-release", date="2024-01-02"),
        art("b", organisation="Cnrs", kind="press-release", date="2024-03-01"),
        art("c", organisation="Inserm", kind="news-article"),
        art("d", kind="thesis-summary"),  # no organisation: on no organisation page
        art("a", lang="en", organisation="CNRS", kind="press-release"),
    ])
    fr, en = pages(cat, "fr"), pages(cat, "en")
    assert index_rows(fr["organisations/"]) == [("CNRS", "cnrs/", 2), ("Inserm", "inserm/", 1)]
    assert titles(fr["organisations/cnrs/"]) == ["Titre b", "Titre a"]  # newest first
    assert fr["organisations/cnrs/"].title == "Organisme : CNRS"
    assert fr["organisations/cnrs/"].switch_to == {"en": "en/organisations/cnrs/"}
    assert fr["organisations/inserm/"].switch_to == {"en": "en/organisations/"}
    assert index_rows(fr["kinds/"]) == [("Communiqué de presse", "press-release/", 2),
                                        ("Article d'actualité", "news-article/", 1),
                                        ("Résumé de thèse", "thesis-summary/", 1)]
    assert index_rows(en["en/kinds/"]) == [("Press release", "press-release/", 1)]
    assert fr["kinds/thesis-summary/"].title == "Type de texte : Résumé de thèse"
    assert titles(fr["kinds/thesis-summary/"]) == ["Titre d"]
    assert fr["kinds/press-release/"].switch_to == {"en": "en/kinds/press-release/"}
    assert fr["kinds/news-article/"].switch_to == {"en": "en/kinds/"}
    assert sum(n for *_, n in index_rows(fr["kinds/"])) == len(cat.in_lang("fr"))  # every article has one kind


def test_subject_index_counts_and_each_subject_page_links_its_feed_in_body_and_head():
    cat = Catalogue([art("a", tags=["ARN", "génétique"]), art("b", categories=["Génétique"]), art("c", tags=["arn"])])
    fr = pages(cat, "fr")
    assert index_rows(fr["tags/"]) == [("ARN", "arn/", 2), ("Génétique", "genetique/", 2)]  # tie: sorted first
    accents = Catalogue([art("a", tags=["glaciers"]), art("b", tags=["épilepsie"]), art("c", tags=["Cerveau"])])
    assert [r[0] for r in index_rows(pages(accents, "fr")["tags/"])] == ["Cerveau", "épilepsie", "glaciers"]
    page = fr["tags/genetique/"]
    assert page.feed == ("SciDigest — thématique : Génétique", "tags/genetique/feed.xml")
    assert re.search(r'<p class="sd-feed-link"><a href="feed.xml"[^>]*>Flux RSS de cette thématique</a>', page.html)
    head = head_html(SITE, "SciDigest", PageInfo(lang="fr", url=page.url, title=page.title, feed=page.feed),
                     page_title=page.title)
    assert (f'<link rel="alternate" type="application/rss+xml" title="SciDigest — thématique : Génétique" '
            f'href="{SITE}tags/genetique/feed.xml">') in head


def test_subject_feed_is_the_subjects_articles_with_its_own_channel():
    import feedparser

    from scidigest.site.feeds import render_rss

    cat = Catalogue([art("a", tags=["ARN"], date="2024-01-01"), art("b", categories=["arn", "Actualités"],
                     date="2024-02-01"), art("c", tags=["autre"])])
    name, members = taxonomy.group_subjects(cat.in_lang("fr"))["arn"]
    feed = feedparser.parse(render_rss(members, "fr", SITE, title="T", page=urls.tag("fr", name),
                                       feed=urls.tag_feed("fr", name)))
    assert not feed.bozo and feed.feed.title == "T" and feed.feed.link == SITE + "tags/arn/"
    assert [e.link for e in feed.entries] == [SITE + "articles/b/", SITE + "articles/a/"]
    assert [t.term for t in feed.entries[0].tags] == ["arn"]  # its subjects: the release type is left out


def test_the_search_index_holds_each_articles_subjects_as_its_tags(built_site):
    import json

    from scidigest.site.sanitize import text_to_html  # the index holds its texts as escaped HTML

    checked = 0
    for lang in ("fr", "en"):
        index = json.loads((built_site.site_dir / urls.search_index(lang)).read_text(encoding="utf-8"))
        by_location = {d["location"]: d for d in index["docs"]}
        for art_ in built_site.catalogue.in_lang(lang):
            doc = by_location[urls.article(lang, art_.slug)[len(urls.prefix(lang)):]]
            assert doc.get("tags", []) == [text_to_html(s) for s in taxonomy.subjects(art_)], art_.slug
            checked += bool(art_.categories)
    assert checked >= 4  # articles whose topics were not searchable as tags before
