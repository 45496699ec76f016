"""The only MkDocs-aware module: turns planned pages into MkDocs files,
feeds page context to the theme, writes feeds and per-language search indexes.

``scripts/hooks.py`` forwards MkDocs events here. mkdocs-static-i18n builds
each language in its own pass (French first, then English nested inside the
French ``on_post_build``), so every event asks the i18n plugin which language
is being built. Generated files are added after i18n's ``on_files`` (priority
-100) and carry the attributes i18n reads (``locale``, ``alternates``...);
otherwise i18n would drop or misplace them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

from scidigest.site import speed, urls
from scidigest.site.catalogue import (
    DEFAULT_LANG,
    LANGS,
    Article,
    Catalogue,
    article_from_meta,
    parse_article_name,
)
from scidigest.site.feeds import render_rss
from scidigest.site.labels import t
from scidigest.site.listings import PlannedPage, home_cards_markdown, plan_pages, sources_html
from scidigest.site.meta import PageInfo, article_header_html, head_html
from scidigest.site.search import dumps, split_search_index

#: stands in for an article's front matter when MkDocs reads it (see ``on_page_read_source``)
_EMPTY_FRONT_MATTER = "---\n{}\n---\n"


class SiteState:
    """What one ``mkdocs build`` (all language passes) shares between events."""

    def __init__(self) -> None:
        self.catalogue: Catalogue = Catalogue()
        self.planned: dict[str, PlannedPage] = {}
        # src_uri -> (body, front matter) of every article, read once per build
        self.sources: dict[str, tuple[str, dict]] = {}
        # languages of the passes in progress: i18n nests the English pass
        # inside the French post-build and leaves its own current_language
        # at "en" afterwards, so the French post-build must not ask it.
        self.passes: list[str] = []


STATE = SiteState()


def current_language(config) -> str:
    if STATE.passes:
        return STATE.passes[-1]
    return _i18n_language(config)


def _i18n_language(config) -> str:
    plugin = config.plugins.get("i18n")
    lang = getattr(plugin, "current_language", None) if plugin else None
    return lang or DEFAULT_LANG


def read_articles(articles_dir: Path) -> tuple[list[Article], dict[str, tuple[str, dict]]]:
    """Every ``articles/<slug>.<lang>.md``: its ``Article`` and, by src_uri,
    (body, front matter) exactly as MkDocs would split them."""
    from mkdocs.utils.meta import get_data

    articles: list[Article] = []
    sources: dict[str, tuple[str, dict]] = {}
    if not articles_dir.is_dir():
        return articles, sources
    for path in sorted(articles_dir.glob("*.md")):
        parsed = parse_article_name(path.name)
        if parsed is None:
            continue
        slug, lang = parsed
        with open(path, encoding="utf-8-sig", errors="strict") as f:  # as MkDocs reads it
            body, meta = get_data(f.read())
        articles.append(article_from_meta(meta, slug=slug, lang=lang))
        sources[f"articles/{path.name}"] = (body, meta)
    return articles, sources


def on_pre_build(config) -> None:
    lang = _i18n_language(config)
    speed.patch_theme(config.theme)
    if lang == DEFAULT_LANG:
        STATE.passes.clear()  # a new build (mkdocs serve rebuilds with the same module)
        speed.new_build()
    STATE.passes.append(lang)
    # The default language is always built first: read every article once per build.
    if lang == DEFAULT_LANG or not STATE.catalogue.articles:
        articles, STATE.sources = read_articles(Path(config.docs_dir) / "articles")
        STATE.catalogue = Catalogue(articles)


def on_pre_page(page, config) -> None:
    speed.speed_up_page(page)


def on_page_read_source(page, config) -> str | None:
    """An article's text was read (and its front matter parsed) in
    ``on_pre_build``: hand MkDocs the body with an empty front matter, and
    the parsed mapping in ``on_page_markdown``, instead of reading and
    parsing every file twice."""
    cached = STATE.sources.get(page.file.src_uri)
    if cached is None:
        return None
    return _EMPTY_FRONT_MATTER + cached[0]


def on_page_markdown(markdown: str, page) -> str:
    cached = STATE.sources.get(page.file.src_uri)
    if cached is not None and not page.meta:
        page.meta = dict(cached[1])
    return markdown


def _generated_file(config, page: PlannedPage):
    from mkdocs.structure.files import File

    file = File.generated(config, page.src_uri, content=page.markdown)
    dest = (page.url + "index.html") if page.url.endswith("/") or page.url == "" else page.url
    file.dest_uri = dest
    file.url = page.url or "./"
    file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, dest))
    # attributes mkdocs-static-i18n reads (sitemap, language switcher)
    file.locale = page.lang
    file.locale_alternate_of = page.lang
    file.localization = page.lang
    file.norm_src_uri = page.src_uri
    file.alternates = {page.lang: file}
    for other, url in page.translations.items():
        file.alternates[other] = SimpleNamespace(url=url, page=None, locale=other)
    file.sd_planned = page
    return file


def on_files(files, config):
    lang = current_language(config)
    planned = plan_pages(STATE.catalogue, lang)
    STATE.planned = {p.url: p for p in planned}
    for page in planned:
        files.append(_generated_file(config, page))
    # the i18n sitemap lists what i18n saw in on_files: add our indexable pages
    plugin = config.plugins.get("i18n")
    if plugin is not None and hasattr(plugin, "i18n_files_per_language"):
        plugin.i18n_files_per_language[lang] = [
            f for f in files.documentation_pages()
            if getattr(getattr(f, "sd_planned", None), "kind", "") != "untranslated"
        ]
    return files


def on_page_content(html: str, page, config) -> str:
    """Generated bodies, home cards and the sources list are HTML already:
    added after Markdown so a 2,000-card listing is not parsed again."""
    lang = current_language(config)
    planned: PlannedPage | None = getattr(page.file, "sd_planned", None)
    if planned is not None:
        return html + planned.html
    if page.url == urls.home(lang):
        return html + home_cards_markdown(STATE.catalogue, lang, 1)
    if page.url == urls.about(lang):
        return html + sources_html(STATE.catalogue, lang, page.url)
    return html


def _page_info(page, lang: str) -> tuple[PageInfo, dict[str, str], str | None]:
    """(head facts, language-switcher targets, article header HTML or None)."""
    others = [o for o in LANGS if o != lang]
    planned: PlannedPage | None = getattr(page.file, "sd_planned", None)
    title = page.title or ""
    description = (page.meta or {}).get("description", "") or ""
    if planned is not None:
        info = PageInfo(lang=lang, url=page.url, title=planned.title, translations=dict(planned.translations),
                        robots=(page.meta or {}).get("robots"))
        return info, {o: planned.switch_to.get(o, urls.home(o)) for o in others}, None
    parsed = parse_article_name(page.file.src_uri.rpartition("/")[2]) if page.file.src_uri.startswith("articles/") else None
    if parsed is not None:
        slug, _ = parsed
        art = STATE.catalogue.get(slug, lang)
        versions = STATE.catalogue.versions(slug)
        if art is not None:
            original = versions.get(art.translation_from) if art.translation_from else None
            translations = {o: urls.article(o, slug) for o in versions if o != lang}
            info = PageInfo(lang=lang, url=page.url, title=art.title, description=art.description,
                            translations=translations, article=art, original=original)
            # every other language has a page at articles/<slug>/: the translation or a notice
            switch = {o: urls.article(o, slug) for o in others}
            return info, switch, article_header_html(art, page.url, original)
    if page.url == urls.home(lang):
        translations = {o: urls.home(o) for o in others}
        return PageInfo(lang=lang, url=page.url, title=title, description=description, translations=translations), translations, None
    translations = {}
    for other, alt in (getattr(page.file, "alternates", None) or {}).items():
        if other != lang and getattr(alt, "locale", other) == other:
            translations[other] = alt.url if alt.url not in (".", "./") else ""
    info = PageInfo(lang=lang, url=page.url, title=title, description=description, translations=translations)
    return info, {o: translations.get(o, urls.home(o)) for o in others}, None


def on_page_context(context, page, config):
    lang = current_language(config)
    info, switch, header = _page_info(page, lang)
    switch[lang] = page.url
    site_name = config.site_name
    page_title = info.title or site_name
    context["sd"] = {
        "head": head_html(config.site_url, site_name, info, page_title=page_title),
        "header": header,
        "feed": urls.relative(urls.feed(lang), page.url),
        "about": urls.relative(urls.about(lang), page.url),
        "search_base": urls.relative(urls.home(lang), page.url),
        "lang": lang,
        "feed_label": t(lang, "feed"),
        "about_label": t(lang, "about"),
    }
    # Language switcher (Material reads config.extra.alternate; i18n resets it
    # before each page at priority 50, we run after it).
    # i18n assigns ``config.extra.alternate`` as an attribute (not the dict
    # key), and Jinja reads the attribute first: edit that list.
    for alt in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
        target = switch.get(alt.get("lang"))
        if target is not None:
            alt["link"] = target or "./"
    return context


def on_template_context(context, template_name: str, config):
    """The 404 page in the language of the pass that renders it."""
    if template_name == "404.html":
        lang = current_language(config)
        root = urlsplit(config.site_url or "/").path  # error pages use absolute links
        root = root if root.endswith("/") else root + "/"
        context["sd_404"] = {
            "lang": lang,
            "title": t(lang, "not_found_title"),
            "body": t(lang, "not_found_body"),
            "home": root + urls.home(lang),
            "home_label": t(lang, "back_home"),
            "articles": root + urls.all_articles(lang),
            "articles_label": t(lang, "all_articles_link"),
        }
    return context


def on_post_template(output: str, template_name: str, config) -> str:
    """Every pass renders ``404.html`` into the site root, the last pass
    (English) winning. The root one must be the default language's: other
    languages write theirs under their prefix (``en/404.html``) and give
    MkDocs an empty output, which it skips."""
    if template_name != "404.html":
        return output
    lang = current_language(config)
    if lang == DEFAULT_LANG:
        return output
    path = Path(config.site_dir) / urls.prefix(lang) / "404.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(output, encoding="utf-8")
    return ""


def on_post_build(config) -> None:
    """Runs after i18n's own post-build (which merges every language's search
    entries into one index): write this language's feed and its own index."""
    lang = STATE.passes.pop() if STATE.passes else _i18n_language(config)
    site_dir = Path(config.site_dir)
    feed_path = site_dir / urls.feed(lang)
    feed_path.parent.mkdir(parents=True, exist_ok=True)
    feed_path.write_bytes(render_rss(STATE.catalogue.in_lang(lang), lang, config.site_url))
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index_obj = getattr(search, "search_index", None) if search is not None else None
    if index_obj is None:
        return
    # the entries as Material would serialise them, without a JSON round trip
    entries = getattr(index_obj, "entries", None)
    if entries is None or not hasattr(index_obj, "config"):
        index = json.loads(index_obj.generate_search_index(None))
    else:
        index = {"config": {key: index_obj.config[key] for key in ("lang", "separator", "pipeline", "fields")},
                 "docs": entries}
    path = site_dir / urls.search_index(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(split_search_index(index, lang)), encoding="utf-8")


def on_build_error() -> None:
    STATE.passes.clear()
