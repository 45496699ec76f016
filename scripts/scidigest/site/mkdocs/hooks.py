"""The MkDocs event handlers: generated pages, page context for the theme,
feeds and per-language search indexes.

``scripts/hooks.py`` (the file ``mkdocs.yml`` names) re-exports these
functions. mkdocs-static-i18n builds each language in its own pass (French
first, then English nested inside the French ``on_post_build``), so every
event asks which language is being built (:func:`current_language`). What
the passes of one build share is one :class:`.state.Build`, made fresh in
the first pass's ``on_pre_build``.

Each handler carries its priority (MkDocs runs higher first; plugins
default to 0) and its docstring says why.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scidigest.site import (
    bounded,
    csp,
    pagecards,
    redirects,
    related,
    search_shards,
    taxonomy,
    urls,
)
from scidigest.site.catalogue import (
    DEFAULT_LANG,
    LANGS,
    Article,
    Catalogue,
    article_from_meta,
    parse_article_name,
)
from scidigest.site.feeds import FEED_SIZE, render_rss
from scidigest.site.figures import figures_html
from scidigest.site.labels import t
from scidigest.site.listings import (
    LIST_PAGE_SIZE,
    PlannedPage,
    card_images_html,
    home_cards_markdown,
    home_page_count,
    plan_pages,
    sources_html,
)
from scidigest.site.meta import PageInfo, article_header_html, head_html
from scidigest.site.mkdocs import i18n, material, speed, state
from scidigest.site.orientation import page_context as orientation_context
from scidigest.site.sanitize import clean_html, clean_own_html
from scidigest.site.search import dumps, safe_search_index, split_search_index
from scidigest.site.share import share_html
from scidigest.site.social import modified as modified_date

#: under "mkdocs", so an error here fails ``mkdocs build --strict``
log = logging.getLogger("mkdocs.plugins.scidigest")

#: stands in for an article's front matter when MkDocs reads it (see ``on_page_read_source``)
_EMPTY_FRONT_MATTER = "---\n{}\n---\n"


def _build() -> state.Build:
    build = state.current()
    if build is None:  # an event before on_pre_build: not how MkDocs runs hooks
        raise RuntimeError("scidigest: MkDocs event before on_pre_build")
    return build


def _neighbours(build: state.Build, lang: str) -> related.Neighbours:
    """The related/previous/next index of ``lang``, made once per build (and again when the
    preview replaces the catalogue)."""
    cached = build.neighbours.get(lang)
    if cached is None or cached[0] is not build.catalogue:
        cached = build.neighbours[lang] = (build.catalogue, related.Neighbours(build.catalogue.in_lang(lang)))
    return cached[1]


def current_language(config) -> str:
    build = state.current()
    if build is not None and build.passes:
        return build.passes[-1]
    return i18n.plugin_language(config)


def _read_untrusted(path: Path, rel: str) -> str:
    """An article's text as MkDocs reads it, refused with one line naming the file -- the
    build stops, as ``mkdocs build --strict`` does on any error -- when it is not a regular
    file (a pipe would block the build, ``/dev/zero`` never ends) or when its front matter
    is past the YAML limits (:mod:`scidigest.safeyaml`): an alias "billion laughs" stalls
    the build for minutes and deep nesting crashes libyaml, before any of our code could
    judge the values."""
    from mkdocs.utils.meta import YAML_RE

    from scidigest.safefiles import is_regular
    from scidigest.safeyaml import YamlLimitError, check_yaml

    if not is_regular(path):
        raise PluginError(f"{rel}: not a regular file (a link, a pipe or a device); replace it with a Markdown file")
    with open(path, encoding="utf-8-sig", errors="strict") as f:  # as MkDocs reads it
        text = f.read()
    m = YAML_RE.match(text)  # the block MkDocs' get_data would load
    if m:
        try:
            check_yaml(m.group(1))
        except YamlLimitError as exc:
            raise PluginError(f"{rel}: front matter refused: {exc}") from None
        except Exception:  # noqa: BLE001 - not YAML at all: MkDocs' own get_data reports it
            pass
    return text


def read_articles(articles_dir: Path) -> tuple[list[Article], dict[str, tuple[str, dict]]]:
    """Every ``articles/<slug>.<lang>.md``: its ``Article`` and, by src_uri,
    (body, front matter) exactly as MkDocs 1.6.1 would split them (same
    encoding, same ``mkdocs.utils.meta.get_data``)."""
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
        text = _read_untrusted(path, f"articles/{path.name}")
        body, meta = get_data(text)
        meta, problem = bounded.bounded_meta(meta, f"articles/{path.name}")  # each tag is a page
        if problem:
            log.error(problem)
        articles.append(article_from_meta(meta, slug=slug, lang=lang))
        sources[f"articles/{path.name}"] = (body, meta)
    return articles, sources


@event_priority(0)
def on_pre_build(config) -> None:
    """Priority 0 (any order): only starts our own state. A pass with none in
    progress is a new build (the default language comes first): a fresh
    :class:`.state.Build`, every article read once for all passes."""
    lang = i18n.plugin_language(config)
    build = state.current()
    if build is None or lang == DEFAULT_LANG or not build.passes:
        speedups = speed.enabled("mkdocs")
        build = state.start(speedups=speedups, search_shortcut=speedups and speed.enabled("mkdocs-material"))
        articles, build.sources = read_articles(Path(config.docs_dir) / "articles")
        build.catalogue = Catalogue(articles, docs_dir=Path(config.docs_dir))  # (card thumbnails read their size there)
    if build.speedups:
        speed.patch_theme(config.theme, build.caches)
    if build.search_shortcut:  # Material's search sections without html.parser (site/mkdocs/material.py)
        material.speed_up_search(config)
        material.skip_search_index_file(config)  # its search_index.json: ours replaces it (on_post_build)
    build.passes.append(lang)


@event_priority(0)
def on_pre_page(page, config, files):
    """Priority 0 (any order): only swaps a plain ``Page`` for a faster
    render path; another plugin's ``Page`` subclass is left alone."""
    build = _build()
    if build.speedups:
        speed.speed_up_page(page, build.caches)
    return page


@event_priority(0)
def on_page_read_source(page, config) -> str | None:
    """Priority 0: MkDocs takes the first non-None answer. An article's text
    was read (and its front matter parsed) in ``on_pre_build``: hand MkDocs
    the body with an empty front matter, and the parsed mapping in
    ``on_page_markdown``, instead of reading and parsing every file twice."""
    build = _build()
    cached = build.sources.get(page.file.src_uri) if build.speedups else None
    if cached is None:
        return None
    return _EMPTY_FRONT_MATTER + cached[0]


@event_priority(100)
def on_page_markdown(markdown: str, page, config, files) -> str:
    """Priority 100, first: the article's front matter is back on ``page.meta``
    before any plugin reads it (i18n's own runs at 50), and a body past a limit
    of :mod:`scidigest.limits` is swapped for plain text before anything parses it."""
    build = _build()
    cached = build.sources.get(page.file.src_uri) if build.speedups else None
    if cached is not None and not page.meta:
        page.meta = dict(cached[1])
    markdown, problem = bounded.bounded_markdown(markdown, page.file.src_uri)  # never a hang
    if problem:
        log.error(problem)
    return markdown


def listing_page_size(config) -> int:
    """``extra.scidigest.listing_page_size`` from mkdocs.yml, else
    :data:`LIST_PAGE_SIZE`; anything but a positive integer stops the build."""
    value = ((config.extra or {}).get("scidigest") or {}).get("listing_page_size", LIST_PAGE_SIZE)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"mkdocs.yml: extra.scidigest.listing_page_size must be a positive integer, not {value!r}")
    return value


@event_priority(-110)
def on_files(files, config):
    """Priority -110: after i18n's ``on_files`` (-100), which sorts the files
    by language and would drop or misplace generated ones added earlier."""
    build = _build()
    lang = current_language(config)
    planned = plan_pages(build.catalogue, lang, page_size=listing_page_size(config))
    build.planned = {p.url: p for p in planned}
    build.titles[lang] = {p.url: p.title for p in planned}  # the breadcrumbs' (orientation.trail)
    for page in planned:
        files.append(i18n.generated_file(config, page))
    i18n.set_sitemap_pages(config, lang, files)
    return files


@event_priority(-100)
def on_page_content(html: str, page, config, files) -> str:
    """Priority -100, last among content hooks: the body, with whatever any
    plugin added, goes through the site's allowlist (:mod:`..sanitize`) as
    the final HTML. Generated bodies, home cards and the sources list are HTML
    already: added after Markdown so a 2,000-card listing is not parsed again
    by Markdown (nh3 reads it once, in milliseconds)."""
    build = _build()
    lang = current_language(config)
    planned: PlannedPage | None = getattr(page.file, "sd_planned", None)
    page.update_date = _sitemap_lastmod(build, page, lang, planned)
    if planned is not None and not html:  # a listing: our own markup, every value escaped (site/listings.py)
        html = clean_own_html(planned.html)
    else:
        if planned is not None:
            html = html + planned.html
        elif page.url == urls.home(lang):
            html = html + home_cards_markdown(build.catalogue, lang, 1)
        elif page.url == urls.about(lang):
            html = html + sources_html(build.catalogue, lang, page.url)
        html = clean_html(html)
    html = figures_html(html, lang, page.url, config["docs_dir"])  # (our own markup, after the allowlist: site/figures.py)
    html = card_images_html(html)  # (card thumbnails: lazy after the first, after the allowlist too)
    _keep_for_feed(build, page, lang, planned, html)
    return html


def _keep_for_feed(build: state.Build, page, lang: str, planned: PlannedPage | None, html: str) -> None:
    """The final body of an article the language's feed lists (its FEED_SIZE newest),
    for its ``content:encoded`` (written in ``on_post_build``)."""
    if planned is not None or not page.file.src_uri.startswith("articles/"):
        return
    parsed = parse_article_name(page.file.src_uri.rpartition("/")[2])
    window = build.feed_window.get(lang)
    if window is None or window[0] is not build.catalogue:  # the live preview swaps the catalogue
        window = build.feed_window[lang] = (build.catalogue, {a.slug for a in build.catalogue.in_lang(lang)[:FEED_SIZE]})
    if parsed is not None and parsed[0] in window[1]:
        build.feed_html.setdefault(lang, {})[parsed[0]] = html


def _sitemap_lastmod(build: state.Build, page, lang: str, planned: PlannedPage | None) -> str:
    """The page's ``lastmod`` in the sitemap (i18n's template prints ``page.update_date``,
    MkDocs sets it to the build date; its newest value also dates sitemap.xml.gz): an
    article's own date (``modified:``, else published), a generated page's newest listed
    article's (``PlannedPage.lastmod``), any other page the language's newest article's.
    Undated ones get none (""); with no dated article at all, pages keep MkDocs' date
    (SOURCE_DATE_EPOCH when set)."""
    cached = build.newest_date.get(lang)
    if cached is None or cached[0] is not build.catalogue:  # the live preview swaps the catalogue
        cached = build.newest_date[lang] = (
            build.catalogue, max(filter(None, map(modified_date, build.catalogue.in_lang(lang))), default=None))
    newest = cached[1]
    if planned is not None:  # its own articles' newest (listings.newest_date); none listed dated: no lastmod
        if planned.lastmod is None:
            return "" if newest is not None else page.update_date
        date = planned.lastmod
    else:
        parsed = parse_article_name(page.file.src_uri.rpartition("/")[2]) if page.file.src_uri.startswith("articles/") else None
        art = build.catalogue.get(parsed[0], lang) if parsed else None
        if art is not None:
            date = modified_date(art)
            if date is None:
                return "" if newest is not None else page.update_date
        else:
            date = newest
    return date.isoformat() if date is not None else page.update_date


def _page_info(build: state.Build, page, lang: str) -> tuple[PageInfo, dict[str, str], str | None]:
    """(head facts, language-switcher targets, article header HTML or None)."""
    others = [o for o in LANGS if o != lang]
    planned: PlannedPage | None = getattr(page.file, "sd_planned", None)
    title = page.title or ""
    description = (page.meta or {}).get("description", "") or ""
    if planned is not None:
        info = PageInfo(lang=lang, url=page.url, title=planned.title, translations=dict(planned.translations),
                        robots=(page.meta or {}).get("robots"), prev=planned.prev, next=planned.next,
                        feed=planned.feed, description=planned.description)
        return info, {o: planned.switch_to.get(o, urls.home(o)) for o in others}, None
    parsed = parse_article_name(page.file.src_uri.rpartition("/")[2]) if page.file.src_uri.startswith("articles/") else None
    if parsed is not None:
        slug, _ = parsed
        art = build.catalogue.get(slug, lang)
        versions = build.catalogue.versions(slug)
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
        following = urls.home_page(lang, 2) if home_page_count(build.catalogue, lang) > 1 else None
        return PageInfo(lang=lang, url=page.url, title=title, description=description, translations=translations,
                        next=following), translations, None
    translations = {}
    # i18n's File.alternates (see i18n.generated_file): language -> the File in that language
    for other, alt in (getattr(page.file, "alternates", None) or {}).items():
        if other != lang and getattr(alt, "locale", other) == other:
            translations[other] = alt.url if alt.url not in (".", "./") else ""
    info = PageInfo(lang=lang, url=page.url, title=title, description=description, translations=translations)
    return info, {o: translations.get(o, urls.home(o)) for o in others}, None


@event_priority(40)
def on_page_context(context, page, config, nav):
    """Priority 40: after i18n's (50), which resets Material's language
    switcher before each page: our switcher links win. Last, the titles and
    description Material prints unescaped become escaped text, before the
    templates and the search plugin (0) read them."""
    lang = current_language(config)
    build = _build()
    info, switch, header = _page_info(build, page, lang)
    if info.article is not None:  # its preview card, drawn on a cache miss and put in the site (site/pagecards.py)
        info = dataclasses.replace(info, image=pagecards.article_preview(
            info.article, site_name=config.site_name, docs_dir=Path(config.docs_dir), site_dir=Path(config.site_dir),
            cache_dir=pagecards.cache_dir_for(config), used=build.cards_used))
        build.previews.add((info.article.lang, info.article.slug))
    switch[lang] = page.url
    site_name = config.site_name
    page_title = info.title or site_name
    context["sd"] = {
        "head": head_html(config.site_url, site_name, info, page_title=page_title),
        "header": clean_own_html(header) if header else header,  # built from front matter, every value escaped
        "feed": urls.relative(urls.feed(lang), page.url),
        "about": urls.relative(urls.about(lang), page.url),
        "search_base": urls.relative(urls.home(lang), page.url),
        "lang": lang,
        "feed_label": t(lang, "feed"),
        "about_label": t(lang, "about"),
    }
    # the header tab, the drawer entry and the breadcrumb of a page outside the nav (an
    # article, a listing: scidigest.site.orientation), and the credit line in the reader's language
    build = _build()
    where = orientation_context(
        lang, page.url, info.title or page.title or site_name,
        section_urls=[p.url for p in nav.pages], in_nav=any(p is page for p in nav.pages),
        title_of=build.titles.get(lang, {}).get,
        site_url=config.site_url)
    if where["breadcrumb_ld"]:
        context["sd"]["head"] += "\n" + where.pop("breadcrumb_ld")
    context["sd"].update(where)
    context["sd"]["made_with_before"], _, context["sd"]["made_with_after"] = \
        t(lang, "made_with").partition("{material}")
    context["sd"]["palette"] = _palette_names(lang)
    if info.article is not None and not getattr(page.file, "sd_planned", None):
        # the end of an article: related articles and previous/next (partials/content.html)
        context["sd"]["neighbours"] = related.page_context(_neighbours(_build(), lang), info.article, page.url)
        # under the header: share and print (partials/content.html; site/share.py)
        context["sd"]["share"] = share_html(info.article, config.site_url, page.url)
        # the search plugin (on_page_context, priority 0) indexes meta "tags": the article's
        # subjects, so its topics are searched as its tags are (one taxonomy: site.taxonomy)
        if isinstance(page.meta, dict):
            page.meta["tags"] = list(taxonomy.subjects(info.article))
    for alt in i18n.language_switcher(config):
        target = switch.get(alt.get("lang"))
        if target is not None:
            alt["link"] = target or "./"
    material.escape_for_templates(page)
    return context


def _palette_names(lang: str) -> dict[str, str]:
    """The palette toggles' names in ``lang``, by the scheme each one leaves (partials/palette.html)."""
    return {scheme: t(lang, f"palette_{scheme}") for scheme in ("default", "slate")}


@event_priority(0)
def on_template_context(context, template_name, config):
    """Priority 0: after i18n's (50); only adds our own ``sd_404`` key.

    The 404 page in the language of the pass that renders it. GitHub Pages
    serves the root ``404.html`` for every missing URL, English ones too, so
    the default language's (the root one) carries every language, each in its
    own ``lang`` section (``scripts/theme/404.html`` and its script pick one).
    A 404 has no translation: the language switcher opens each home page."""
    if template_name == "404.html":
        lang = current_language(config)
        root = urlsplit(config.site_url or "/").path  # error pages use absolute links
        root = root if root.endswith("/") else root + "/"

        def version(code: str) -> dict:
            return {
                "lang": code,
                "title": t(code, "not_found_title"),
                "body": t(code, "not_found_body"),
                "home": root + urls.home(code),
                "home_label": t(code, "back_home"),
                "articles": root + urls.all_articles(code),
                "articles_label": t(code, "all_articles_link"),
            }

        shown = [lang] + [o for o in LANGS if o != lang] if lang == DEFAULT_LANG else [lang]
        context["sd_404"] = {**version(lang), "versions": [version(code) for code in shown],
                             "palette": _palette_names(lang)}
        for alt in i18n.language_switcher(config):
            if alt.get("lang") in LANGS:
                alt["link"] = root + urls.home(alt["lang"])
    return context


def _theme_scripts(config):
    build = _build()
    if build.theme_scripts is None:
        build.theme_scripts = csp.theme_script_pattern(config.theme.dirs)
    return build.theme_scripts


@event_priority(-100)
def on_post_page(output: str, page, config) -> str:
    """Priority -100, last (with i18n's, which only reads): the page as it is
    written gets its Content-Security-Policy (:mod:`..csp`), with the hashes of
    the inline scripts the theme's templates wrote; the body is left out."""
    return csp.add_policy(output, exclude=(page.content or "",), allowed=_theme_scripts(config))


@event_priority(-100)
def on_post_template(output_content: str, template_name, config) -> str:
    """Priority -100, last: other plugins see the page as rendered.

    Every pass renders ``404.html`` into the site root, the last pass
    (English) winning. The root one must be the default language's: other
    languages write theirs under their prefix (``en/404.html``) and give
    MkDocs an empty output, which it skips. Either way the page gets its
    Content-Security-Policy, as every page does in ``on_post_page``."""
    if template_name != "404.html":
        return output_content
    output_content = csp.add_policy(output_content, allowed=_theme_scripts(config))
    lang = current_language(config)
    if lang == DEFAULT_LANG:
        return output_content
    path = Path(config.site_dir) / urls.prefix(lang) / "404.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(output_content, encoding="utf-8")
    return ""


@event_priority(-200)
def on_post_build(config) -> None:
    """Priority -200: after i18n's own post-build (-100), which runs the
    nested passes and merges every language's search entries into one
    index: write this language's feed and its own index."""
    build = _build()
    lang = build.passes.pop() if build.passes else i18n.plugin_language(config)
    site_dir = Path(config.site_dir)
    feed_path = site_dir / urls.feed(lang)
    feed_path.parent.mkdir(parents=True, exist_ok=True)
    feed_path.write_bytes(render_rss(build.catalogue.in_lang(lang), lang, config.site_url,
                                      content=build.feed_html.get(lang), docs_dir=Path(config.docs_dir)))
    written: set[Path] = set()
    for name, members in taxonomy.group_subjects(build.catalogue.in_lang(lang)).values():
        # one feed per subject, linked from its page (listings._facet_pages)
        path = site_dir / urls.tag_feed(lang, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_rss(members, lang, config.site_url, title=t(lang, "subject_feed_title", name=name),
                                    page=urls.tag(lang, name), feed=urls.tag_feed(lang, name)))
        written.add(path)
    for path in (site_dir / urls.tags(lang)).glob("*/feed.xml"):
        if path not in written:  # a subject no article has any more (the preview keeps its output dir)
            path.unlink()
    pagecards.prune_site(config, build.catalogue.in_lang(lang), lang)  # cards of gone articles (the preview)
    if not build.passes and {(a.lang, a.slug) for a in build.catalogue.articles} <= build.previews:
        # the last pass of a build that made every article's page: the cache keeps what it used
        pagecards.prune_cache(pagecards.cache_dir_for(config), build.cards_used)
    # the old rubric pages (categories/), each sending the reader to its subject or kind
    redirects.write(redirects.old_categories(build.catalogue.in_lang(lang), lang, page_size=listing_page_size(config)),
                    site_dir, config.site_url or "", lang)
    index = material.search_index(config, shortcut=build.search_shortcut)
    if index is None:
        return
    path = site_dir / urls.search_index(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    own = safe_search_index(split_search_index(index, lang))
    path.write_text(dumps(own), encoding="utf-8")
    # what readers' browsers fetch, a few files per query (scidigest.site.search_shards)
    search_shards.write(own, path.parent)


@event_priority(0)
def on_build_error(error) -> None:
    """Priority 0 (any order): the build is over; the next one starts clean."""
    state.end()
