"""Listing pages computed at build time: home pagination, all articles,
per-year archive, topic and tag pages, and "not translated" notices.

They are computed from front matter on every build instead of being written
to a shared index file, so two content pull requests never conflict on it.
Cards are emitted as raw HTML inside the generated Markdown: Python-Markdown
passes it through untouched, which keeps a 2,000-article listing cheap, and
every link is computed here relative to the page that holds it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from html import escape

from scidigest.languages import others as other_languages
from scidigest.site import urls
from scidigest.site.catalogue import Article, Catalogue
from scidigest.site.labels import count, format_date, lang_name, t
from scidigest.terminology import terminology as load_terminology

#: cards per home page; the rest goes to page/2/, page/3/...
HOME_PAGE_SIZE = 10
#: beyond this many home pages, readers go to the full list and the archive
#: (200 paginated pages for 2,000 articles would cost build time, not help readers)
HOME_MAX_PAGES = 5


@dataclass(frozen=True)
class PlannedPage:
    """A page the site generates, for one language.

    ``url`` is site-root-relative ("en/tags/x/"); ``src_uri`` is the virtual
    source path, the same in every language so one ``nav:`` serves both.
    ``switch_to`` maps each other language to the page its language switcher
    should open; ``translations`` lists only true equivalents (for hreflang).
    """

    lang: str
    url: str
    src_uri: str
    title: str
    html: str = ""  # the body, inserted after Markdown (raw HTML needs no parsing)
    kind: str = "listing"
    switch_to: dict[str, str] = field(default_factory=dict)
    translations: dict[str, str] = field(default_factory=dict)
    robots: str | None = None

    def meta(self) -> dict:
        """The page's metadata, as MkDocs would read it from ``markdown``."""
        meta: dict = {"hide": ["toc"], "search": {"exclude": True}, "title": self.title}
        if self.robots:
            meta["robots"] = self.robots
        return meta

    @property
    def markdown(self) -> str:
        """Front matter only (the body is ``html``); JSON is valid YAML."""
        return "---\n" + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n"
                                 for key, value in self.meta().items()) + "---\n\n"


def _src_uri(url: str, lang: str) -> str:
    path = url[len(urls.prefix(lang)) :].rstrip("/")
    return f"{path}/index.md" if path else "index.md"


def tag_links_html(article: Article, from_url: str) -> str:
    if not article.tags:
        return ""
    items = "".join(
        f'<li><a class="sd-tag" href="{escape(urls.relative(urls.tag(article.lang, tag), from_url))}">{escape(tag)}</a></li>'
        for tag in article.tags
    )
    return f'<ul class="sd-tags">{items}</ul>'


def _meta_line(article: Article, lang: str) -> str:
    parts = []
    if article.date is not None:
        parts.append(f'<time datetime="{article.date.isoformat()}">{escape(format_date(article.date, lang))}</time>')
    if article.organisation:
        parts.append(f'<span class="sd-org">{escape(article.organisation)}</span>')
    return '<span class="sd-sep" aria-hidden="true"> · </span>'.join(parts)


def card_html(article: Article, from_url: str) -> str:
    """One article card: title, date, organisation, summary, tags."""
    href = escape(urls.relative(urls.article(article.lang, article.slug), from_url))
    return (
        f'<article class="sd-card" lang="{article.lang}">'
        f'<h2 class="sd-card__title"><a href="{href}">{escape(article.title)}</a></h2>'
        f'<p class="sd-card__meta">{_meta_line(article, article.lang)}</p>'
        f'<p class="sd-card__summary">{escape(article.description)}</p>'
        f"{tag_links_html(article, from_url)}"
        "</article>"
    )


def cards_html(articles: list[Article], from_url: str, lang: str) -> str:
    if not articles:
        return f'<p class="sd-empty">{escape(t(lang, "no_articles"))}</p>\n'
    return '<div class="sd-cards">\n' + "\n".join(card_html(a, from_url) for a in articles) + "\n</div>\n"


def list_item_html(article: Article, from_url: str, reader_lang: str | None = None) -> str:
    """A compact line (title, date, organisation) for long listings."""
    href = escape(urls.relative(urls.article(article.lang, article.slug), from_url))
    hreflang = f' hreflang="{article.lang}"' if reader_lang and reader_lang != article.lang else ""
    return (
        f'<li class="sd-list__item" lang="{article.lang}"><a href="{href}"{hreflang}>{escape(article.title)}</a>'
        f' <span class="sd-list__meta">{_meta_line(article, reader_lang or article.lang)}</span></li>'
    )


def _pagination_html(lang: str, page: int, pages: int, from_url: str) -> str:
    if pages <= 1:
        return f'<nav class="sd-pagination"><a class="sd-pagination__all" href="{urls.relative(urls.all_articles(lang), from_url)}">{escape(t(lang, "all_articles"))} →</a></nav>\n'

    links = []
    if page > 1:
        links.append(f'<a class="sd-pagination__newer" rel="prev" href="{urls.relative(urls.home_page(lang, page - 1), from_url)}">← {escape(t(lang, "newer"))}</a>')
    for n in range(1, pages + 1):
        if n == page:
            links.append(f'<span class="sd-pagination__current" aria-current="page">{n}</span>')
        else:
            links.append(f'<a href="{urls.relative(urls.home_page(lang, n), from_url)}">{n}</a>')
    if page < pages:
        links.append(f'<a class="sd-pagination__older" rel="next" href="{urls.relative(urls.home_page(lang, page + 1), from_url)}">{escape(t(lang, "older"))} →</a>')
    else:
        links.append(f'<a class="sd-pagination__all" href="{urls.relative(urls.all_articles(lang), from_url)}">{escape(t(lang, "all_articles"))} →</a>')
    return f'<nav class="sd-pagination" aria-label="{escape(t(lang, "pagination"))}">' + " ".join(links) + "</nav>\n"


def home_page_count(catalogue: Catalogue, lang: str) -> int:
    n = len(catalogue.in_lang(lang))
    return min(HOME_MAX_PAGES, max(1, -(-n // HOME_PAGE_SIZE)))


def home_cards_markdown(catalogue: Catalogue, lang: str, page: int = 1) -> str:
    """The listing part of home page ``page`` (1 is the hand-written index)."""
    from_url = urls.home_page(lang, page)
    chunk = catalogue.in_lang(lang)[(page - 1) * HOME_PAGE_SIZE : page * HOME_PAGE_SIZE]
    pages = home_page_count(catalogue, lang)
    heading = f'<h2 class="sd-section-title">{escape(t(lang, "latest"))}</h2>\n' if page == 1 else ""
    return heading + cards_html(chunk, from_url, lang) + _pagination_html(lang, page, pages, from_url)


def _group_by_year(articles: list[Article]) -> dict[int | None, list[Article]]:
    groups: dict[int | None, list[Article]] = {}
    for art in articles:
        groups.setdefault(art.date.year if art.date else None, []).append(art)
    return groups


def terms(articles: list[Article], attr: str) -> dict[str, tuple[str, list[Article]]]:
    """Group articles by tag or category slug -> (display name, articles).

    Two spellings that share a slug ("ARN", "arn") share one page; the
    alphabetically first spelling names it, so the output is deterministic.
    """
    groups: dict[str, tuple[str, list[Article]]] = {}
    for art in articles:
        for name in getattr(art, attr):
            key = urls.term_slug(name)
            if key in groups:
                shown, members = groups[key]
                if members[-1] is not art:  # same article, two spellings of one tag
                    members.append(art)
                groups[key] = (min(shown, name), members)
            else:
                groups[key] = (name, [art])
    return dict(sorted(groups.items()))


@functools.lru_cache(maxsize=1)
def terminology() -> dict[tuple[str, str], dict[str, str]]:
    """Tag and category equivalents of the terminology table (:mod:`scidigest.terminology`,
    owned by translation), by term slug: ``{("fr", "en"): {"neurones": "neurons"}, ("en", "fr"): {...}}``.
    The reverse direction is the table's own, as ``scidigest translate`` uses it."""
    table = load_terminology()
    return {
        ("fr", "en"): {urls.term_slug(fr): en for fr, en in table["fr-en"].items()},
        ("en", "fr"): {urls.term_slug(en): fr for en, fr in table["en-fr"].items()},
    }


def equivalent_term(lang: str, other: str, name: str, other_terms: dict) -> tuple[str | None, bool]:
    """The ``other``-language term of ``name`` when the terminology table maps
    it to a term that ``other`` articles use (else None), and whether the
    table maps that term back to ``name`` (a true pair, for hreflang)."""
    mapped = terminology().get((lang, other), {}).get(urls.term_slug(name))
    if mapped is None or urls.term_slug(mapped) not in other_terms:
        return None, False
    back = terminology().get((other, lang), {}).get(urls.term_slug(mapped))
    return mapped, back is not None and urls.term_slug(back) == urls.term_slug(name)


def _page(lang: str, url: str, title: str, body: str, *, switch_to: dict, translations: dict | None = None,
          kind: str = "listing", robots: str | None = None) -> PlannedPage:
    return PlannedPage(
        lang=lang, url=url, src_uri=_src_uri(url, lang), title=title,
        html=body, kind=kind, robots=robots,
        switch_to=switch_to, translations=translations if translations is not None else dict(switch_to),
    )


def plan_pages(catalogue: Catalogue, lang: str) -> list[PlannedPage]:
    """Every generated page of ``lang``, in a stable order."""
    articles = catalogue.in_lang(lang)
    others = other_languages(lang)
    out: list[PlannedPage] = []

    # home pages 2..N (page 1 is docs/index.<lang>.md plus home_cards_markdown)
    for n in range(2, home_page_count(catalogue, lang) + 1):
        url = urls.home_page(lang, n)
        switch = {o: urls.home_page(o, n) if n <= home_page_count(catalogue, o) else urls.home(o) for o in others}
        out.append(_page(lang, url, f'{t(lang, "latest")} — {t(lang, "page_n", n=n)}',
                         home_cards_markdown(catalogue, lang, n), switch_to=switch))

    # every article, grouped by year, plus what exists only in another language
    url = urls.all_articles(lang)
    body = [f'<p class="sd-lead">{escape(t(lang, "all_articles_intro", n=len(articles)))}</p>\n']
    for year, group in _group_by_year(articles).items():
        label = str(year) if year is not None else t(lang, "undated")
        body.append(f'<h2 id="y-{year or "undated"}">{escape(label)}</h2>\n<ul class="sd-list">'
                    + "".join(list_item_html(a, url) for a in group) + "</ul>\n")
    missing = catalogue.missing_in(lang)
    if missing:
        body.append(f'<h2 id="other-languages">{escape(t(lang, "only_other_lang"))}</h2>\n'
                    f'<p>{escape(t(lang, "only_other_lang_intro"))}</p>\n<ul class="sd-list">'
                    + "".join(list_item_html(a, url, reader_lang=lang) for a in missing) + "</ul>\n")
    out.append(_page(lang, url, t(lang, "all_articles"), "".join(body),
                     switch_to={o: urls.all_articles(o) for o in others}))

    # archive: index of years, then one page per year
    groups = _group_by_year(articles)
    years = [y for y in groups if y is not None]
    url = urls.archive(lang)
    items = "".join(
        f'<li><a href="{urls.relative(urls.archive_year(lang, y), url)}">{y}</a> <span class="sd-count">({escape(count(lang, len(groups[y])))})</span></li>'
        for y in years
    )
    out.append(_page(lang, url, t(lang, "archive"),
                     f'<p class="sd-lead">{escape(t(lang, "archive_intro"))}</p>\n<ul class="sd-years">{items}</ul>\n',
                     switch_to={o: urls.archive(o) for o in others}))
    other_years = {o: {a.date.year for a in catalogue.in_lang(o) if a.date} for o in others}
    for year in years:
        url = urls.archive_year(lang, year)
        switch = {}
        translations = {}
        for o in others:
            switch[o] = urls.archive_year(o, year) if year in other_years[o] else urls.archive(o)
            if year in other_years[o]:
                translations[o] = switch[o]
        out.append(_page(lang, url, t(lang, "archive_year", year=year), cards_html(groups[year], url, lang),
                         switch_to=switch, translations=translations))

    # topics and tags: an index, then one page each
    for attr, index_url, one_url, index_key, one_key, intro_key in (
        ("categories", urls.categories, urls.category, "categories", "category", "categories_intro"),
        ("tags", urls.tags, urls.tag, "tags", "tag", "tags_intro"),
    ):
        grouped = terms(articles, attr)
        url = index_url(lang)
        items = "".join(
            f'<li><a href="{urls.relative(one_url(lang, name), url)}">{escape(name)}</a> <span class="sd-count">({len(members)})</span></li>'
            for name, members in sorted(grouped.values(), key=lambda g: (g[0].casefold(), g[0]))
        )
        out.append(_page(lang, url, t(lang, index_key),
                         f'<p class="sd-lead">{escape(t(lang, intro_key))}</p>\n<ul class="sd-terms sd-terms--{attr}">{items}</ul>\n',
                         switch_to={o: index_url(o) for o in others}))
        other_terms = {o: terms(catalogue.in_lang(o), attr) for o in others}
        for name, members in grouped.values():
            url = one_url(lang, name)
            switch, translations = {}, {}
            for o in others:  # the equivalent term's page, else the term index
                mapped, paired = equivalent_term(lang, o, name, other_terms[o])
                switch[o] = one_url(o, mapped) if mapped is not None else index_url(o)
                if paired:  # hreflang only between pages that map to each other
                    translations[o] = switch[o]
            out.append(_page(lang, url, t(lang, one_key, name=name),
                             cards_html(sorted(members, key=Article.sort_key), url, lang),
                             switch_to=switch, translations=translations))

    # an article that exists only in another language: say so, never show it as ours
    for art in missing:
        url = urls.article(lang, art.slug)
        original = urls.article(art.lang, art.slug)
        body = (
            f'<div class="sd-untranslated"><p>{escape(t(lang, "untranslated_body", lang_name=lang_name(lang, art.lang)))}</p>\n'
            f'<p class="sd-untranslated__link"><a href="{escape(urls.relative(original, url))}" hreflang="{art.lang}" lang="{art.lang}">{escape(art.title)}</a></p></div>\n'
        )
        out.append(_page(lang, url, t(lang, "untranslated_title"), body, kind="untranslated",
                         switch_to={art.lang: original}, translations={}, robots="noindex"))
    return out


def sources_html(catalogue: Catalogue, lang: str, from_url: str) -> str:
    """The "Sources" section of the about page: every organisation, credited,
    with its number of articles and links to the original texts."""
    by_org: dict[str, list[Article]] = {}
    seen: set[str] = set()
    for art in sorted(catalogue.articles, key=lambda a: (a.lang != lang, a.sort_key())):
        if art.slug in seen:
            continue
        seen.add(art.slug)
        by_org.setdefault(art.organisation or "—", []).append(art)
    if not by_org:
        return f'<p class="sd-empty">{escape(t(lang, "no_articles"))}</p>\n'
    rows = []
    for org in sorted(by_org, key=lambda o: (o == "—", o.casefold())):
        members = by_org[org]
        originals = [a for a in members if a.source_url]
        links = "".join(
            f'<li><a href="{escape(a.source_url)}" rel="noopener" lang="{a.lang}">{escape(a.title)}</a></li>'
            for a in originals
        )
        rows.append(
            f'<li class="sd-source-org"><strong>{escape(org)}</strong> '
            f'<span class="sd-count">({escape(count(lang, len(members)))})</span>'
            + (f'<ul class="sd-source-links">{links}</ul>' if links else "")
            + "</li>"
        )
    return '<ul class="sd-sources">' + "".join(rows) + "</ul>\n"
