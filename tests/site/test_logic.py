"""Site logic without MkDocs: ordering, dates, URLs, listings, feeds, metadata, search split."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest

from scidigest.frontmatter import split
from scidigest.site import urls
from scidigest.site.catalogue import (
    Article,
    Catalogue,
    article_from_meta,
    load_articles,
)
from scidigest.site.feeds import render_rss
from scidigest.site.labels import LABELS, format_date
from scidigest.site.listings import HOME_PAGE_SIZE, home_cards_markdown, plan_pages
from scidigest.site.meta import PageInfo, article_header_html, head_html, hreflang_links, json_ld
from scidigest.site.search import split_search_index
from scidigest.site.synthetic import write_synthetic_articles
from scidigest.site.taxonomy import group_subjects

SITE = "https://scidigest.github.io/scidigest/"
SCHEMA = Path(__file__).resolve().parents[2] / "scripts" / "scidigest" / "schema" / "article.schema.json"


def art(slug, lang="fr", date="2021-09-30", **kw) -> Article:
    meta = {"slug": slug, "lang": lang, "title": kw.pop("title", f"Titre {slug}"), "description": "Résumé.",
            "date": date, **kw}
    return article_from_meta(meta)


def test_listing_order_is_newest_first_with_undated_last_and_ties_broken_by_slug():
    cat = Catalogue([art("b", date="2020-01-01"), art("c", date=None), art("a", date="2020-01-01"),
                     art("d", date="2021-05-05")])
    assert [a.slug for a in cat.in_lang("fr")] == ["d", "a", "b", "c"]


def test_front_matter_dates_parse_from_strings_and_yaml_dates_and_missing_fields_do_not_crash():
    assert art("x", date=dt.date(2021, 9, 30)).date == dt.date(2021, 9, 30)
    a = article_from_meta({"slug": "x", "title": "T", "description": "D"})
    assert (a.date, a.organisation, a.source_url, a.tags) == (None, None, None, ())
    assert art("x", date="pas une date").date is None


def test_dates_are_written_in_the_readers_language():
    d = dt.date(2021, 9, 30)
    assert format_date(d, "fr") == "30 septembre 2021"
    assert format_date(d, "en") == "September 30, 2021"
    assert format_date(None, "fr") == ""


def test_every_label_exists_in_both_languages():
    assert set(LABELS["fr"]) == set(LABELS["en"])


@pytest.mark.parametrize(("target", "source", "expected"), [
    ("articles/x/", "", "articles/x/"),
    ("", "articles/x/", "../../"),
    ("en/articles/x/", "en/tags/t/", "../../articles/x/"),
    ("articles/x/", "en/articles/x/", "../../../articles/x/"),
    ("en/", "en/", "./"),
    ("en/feed.xml", "en/page/2/", "../../feed.xml"),
])
def test_relative_links_resolve_from_the_page_that_holds_them(target, source, expected):
    assert urls.relative(target, source) == expected


def test_untranslated_article_gets_an_english_notice_page_and_never_an_english_card():
    cat = Catalogue([art("seul", title="Texte français seulement"), art("both"), art("both", lang="en", title="English")])
    en_pages = {p.url: p for p in plan_pages(cat, "en")}
    notice = en_pages["en/articles/seul/"]
    assert notice.kind == "untranslated" and "noindex" in notice.markdown
    assert "../../../articles/seul/" in notice.html  # link to the French original
    assert notice.translations == {} and notice.switch_to == {"fr": "articles/seul/"}
    home = home_cards_markdown(cat, "en")
    assert "English" in home and "Texte français seulement" not in home
    # the French title is listed as French, marked lang="fr", in the English "all articles" page
    listing = en_pages["en/articles/"].html
    assert 'lang="fr"' in listing.split("Texte français seulement")[0].rsplit("<li", 1)[1]


def test_home_is_paginated_and_every_article_appears_on_exactly_one_home_page():
    cat = Catalogue([art(f"a{i:02d}", date=f"2021-01-{i + 1:02d}") for i in range(HOME_PAGE_SIZE * 2 + 3)])
    pages = [home_cards_markdown(cat, "fr", 1)] + [p.html for p in plan_pages(cat, "fr") if p.url.startswith("page/")]
    assert len(pages) == 3
    for i in range(HOME_PAGE_SIZE * 2 + 3):
        assert sum(f'href="{"" if n == 0 else "../../"}articles/a{i:02d}/"' in md for n, md in enumerate(pages)) == 1
    assert pages[0].index("a22") < pages[0].index("a21")


def test_tags_that_share_a_slug_share_one_page():
    grouped = group_subjects([art("x", tags=["ARN"]), art("y", tags=["arn", "Arn"])])
    assert list(grouped) == ["arn"] and grouped["arn"][0] == "ARN" and len(grouped["arn"][1]) == 2


def test_generated_pages_have_unique_urls_and_are_deterministic():
    made = [art(f"s{i}", date=None if i % 4 == 0 else f"20{10 + i % 5}-02-0{1 + i % 8}", tags=["t", f"u{i % 3}"],
                categories=["Santé & vivant"]) for i in range(30)]
    first = plan_pages(Catalogue(made), "fr")
    assert len({p.url for p in first}) == len(first)
    assert first == plan_pages(Catalogue(list(reversed(made))), "fr")


def test_feed_is_valid_rss_in_one_language_newest_first_and_survives_undated_articles():
    cat = Catalogue([art("old", lang="en", date="2020-01-01", title="Old"),
                     art("new", lang="en", date="2021-01-01", title="New & <improved>"),
                     art("nodate", lang="en", date=None, title="Undated"),
                     art("fr", date="2022-01-01", title="Français")])
    feed = feedparser.parse(render_rss(cat.in_lang("en"), "en", SITE))
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.language == "en"
    assert [e.title for e in feed.entries] == ["New & <improved>", "Old", "Undated"]
    assert feed.entries[0].link == SITE + "en/articles/new/"


def test_hreflang_alternates_are_absolute_and_x_default_is_the_french_version():
    info = PageInfo(lang="en", url="en/articles/x/", title="T", translations={"fr": "articles/x/"})
    assert hreflang_links(SITE, info) == [
        ("en", SITE + "en/articles/x/"), ("fr", SITE + "articles/x/"), ("x-default", SITE + "articles/x/")]
    assert hreflang_links(SITE, PageInfo(lang="en", url="en/articles/y/", title="T", robots="noindex")) == []


def test_translated_article_metadata_names_its_original_and_escapes_script_end():
    original = art("x", title="Régénérer les neurones", organisation="Inserm")
    en = article_from_meta({"slug": "x", "lang": "en", "title": "Regrowing neurons </script>", "description": "D",
                            "date": "2021-09-30", "organisation": "Inserm", "authors": ["A. B."],
                            "translation": {"from": "fr", "provider": "p", "status": "machine"}})
    info = PageInfo(lang="en", url="en/articles/x/", title=en.title, translations={"fr": "articles/x/"},
                    article=en, original=original)
    data = json_ld(SITE, "SciDigest", info)
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "en" and data["datePublished"] == "2021-09-30"
    assert data["translationOfWork"]["@id"] == SITE + "articles/x/"
    html = head_html(SITE, "SciDigest", info, page_title=en.title)
    assert "</script>" not in html.split('<script type="application/ld+json">')[1][:-len("</script>")]
    assert '<meta property="og:type" content="article">' in html
    header = article_header_html(en, "en/articles/x/", original)
    assert "September 30, 2021" in header and 'href="../../../articles/x/"' in header and "Machine translation" in header


def test_search_split_keeps_one_language_relative_to_its_root_with_its_stemmer():
    merged = {"config": {"lang": ["fr", "en"], "separator": "x"}, "docs": [
        {"location": "articles/a/", "title": "fr"}, {"location": "en/articles/a/", "title": "en"},
        {"location": "", "title": "home fr"}]}
    fr = split_search_index(merged, "fr")
    en = split_search_index(merged, "en")
    assert fr["config"]["lang"] == ["fr"] and [d["title"] for d in fr["docs"]] == ["fr", "home fr"]
    assert en["config"] == {"lang": ["en"], "separator": "x"} and en["docs"] == [{"location": "articles/a/", "title": "en"}]


def test_synthetic_articles_follow_the_front_matter_schema_and_cover_the_awkward_cases(tmp_path):
    made = write_synthetic_articles(tmp_path, 14)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for path in tmp_path.glob("*.md"):
        meta, body = split(path.read_text(encoding="utf-8"))
        jsonschema.validate(meta, schema)
        assert "[^1]:" in body and "{: .caption }" in body
    loaded = Catalogue(load_articles(tmp_path))
    assert any(a.date is None for a in loaded.articles)
    assert any(a.organisation is None for a in loaded.articles)
    assert loaded.missing_in("en") and all(not m.translated for m in made if loaded.get(m.slug, "en") is None)
    assert len({m.unique_word for m in made}) == len(made)


def test_tag_and_topic_switcher_follows_the_terminology_table_else_the_index():
    cat = Catalogue([art("a", tags=["neurones", "océans"], categories=["Cerveau"]),
                     art("a", lang="en", tags=["neurons", "oceans"], categories=["Brain"]),
                     art("b", tags=["épilepsie"])])  # "epilepsy" exists in the table, but no English article uses it
    fr = {p.url: p for p in plan_pages(cat, "fr")}
    en = {p.url: p for p in plan_pages(cat, "en")}
    assert fr["tags/neurones/"].switch_to == {"en": "en/tags/neurons/"} == fr["tags/neurones/"].translations
    assert en["en/tags/neurons/"].switch_to == {"fr": "tags/neurones/"}
    assert fr["tags/cerveau/"].switch_to == {"en": "en/tags/brain/"}  # a topic is a subject like any tag
    assert fr["tags/oceans/"].switch_to == {"en": "en/tags/"} and fr["tags/oceans/"].translations == {}
    assert fr["tags/epilepsie/"].switch_to == {"en": "en/tags/"}


def _markdown_config() -> dict:
    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        if options:
            configs[name] = options
    return {"markdown_extensions": names, "mdx_configs": configs}


def test_a_reused_reset_markdown_parser_renders_like_a_fresh_one_page_after_page(tmp_path):
    """speed.ReusedMarkdownPage relies on every extension resetting its state."""
    import markdown

    from scidigest.site.mkdocs import speed

    write_synthetic_articles(tmp_path, 4)
    docs = [split(p.read_text(encoding="utf-8"))[1] for p in sorted(tmp_path.glob("*.md"))]
    docs += ["*[ARN]: acide ribonucléique\n\nL'ARN messager[^n].\n\n[^n]: Une note.\n\n## Titre\n\n??? note \"Détails\"\n    Texte ~~barré~~ ^^inséré^^.\n",
             "L'ARN, sans définition ici; une autre note[^n].\n\n[^n]: Autre.\n\n## Titre\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"]
    config = _markdown_config()
    reused = speed.markdown_for(config)
    for doc in docs + docs:
        fresh = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
        reused.reset()
        assert reused.convert(doc) == fresh.convert(doc)
        assert getattr(reused, "toc_tokens", None) == getattr(fresh, "toc_tokens", None)
    assert "<abbr" not in reused.reset().convert(docs[-1])


def test_shared_bytecode_cache_serves_a_second_environment_and_notices_an_edited_template(tmp_path):
    import jinja2

    from scidigest.site.mkdocs import speed

    (tmp_path / "t.html").write_text("{{ x }} one", encoding="utf-8")
    cache = speed.SharedBytecodeCache()

    def env():
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)

    assert env().get_template("t.html").render(x=1) == "1 one"
    assert len(cache._store) == 1
    assert env().get_template("t.html").render(x=2) == "2 one"
    (tmp_path / "t.html").write_text("{{ x }} two", encoding="utf-8")
    assert env().get_template("t.html").render(x=3) == "3 two"
