"""Listing pages computed at build time: home pagination, all articles,
per-year archive, topic and tag pages, and "not translated" notices.

They are computed from front matter on every build instead of being written
to a shared index file, so two content pull requests never conflict on it.
Cards are emitted as raw HTML inside the generated Markdown: Python-Markdown
passes it through untouched, which keeps a 2,000-article listing cheap, and
every link is computed here relative to the page that holds it.

The long listings (all articles, each archive year, each topic and tag) are
compact one-line entries, :data:`LIST_PAGE_SIZE` to a page: page 1 keeps the
listing's URL, page N lives at ``<url>page/N/`` (:func:`urls.paged`), so the
site grows with the number of articles, not with articles x taxonomies x card
size, and no listing page grows with the site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from scidigest.languages import others as other_languages
from scidigest.site import taxonomy, urls
from scidigest.site.catalogue import Article, Catalogue, image_path
from scidigest.site.figures import image_size
from scidigest.site.labels import count, format_date, lang_name, t
from scidigest.site.sanitize import safe_url
from scidigest.terminology import terminology as load_terminology

#: cards per home page; the rest goes to page/2/, page/3/...
HOME_PAGE_SIZE = 10
#: beyond this many home pages, readers go to the full list and the archive
#: (200 paginated pages for 2,000 articles would cost build time, not help readers)
HOME_MAX_PAGES = 5
#: compact entries per page of the long listings (all articles, archive years,
#: topics, tags); ``extra.scidigest.listing_page_size`` in mkdocs.yml overrides it
LIST_PAGE_SIZE = 100
#: page links shown on each side of the current one (plus the first and the last)
PAGER_WINDOW = 2


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
    #: the previous and next pages of a paginated listing (site-root-relative), for rel=prev/next
    prev: str | None = None
    next: str | None = None
    #: (title, site-root-relative URL) of the page's own feed (a subject's), for <link rel=alternate>
    feed: tuple[str, str] | None = None
    #: the page's own meta description (listing_series: its title, count and first entries);
    #: empty: the head says the title and the site's description
    description: str = ""
    #: the newest date (modified, else published) of the articles it lists, for the sitemap
    lastmod: dt.date | None = None

    def meta(self) -> dict:
        """The page's metadata, as MkDocs would read it from ``markdown``."""
        meta: dict = {"hide": ["toc"], "search": {"exclude": True}, "title": self.title}
        if self.robots:
            meta["robots"] = self.robots
        if self.description:
            meta["description"] = self.description
        return meta

    @property
    def markdown(self) -> str:
        """Front matter only (the body is ``html``); JSON is valid YAML."""
        return "---\n" + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n"
                                 for key, value in self.meta().items()) + "---\n\n"


def _src_uri(url: str, lang: str) -> str:
    path = url[len(urls.prefix(lang)) :].rstrip("/")
    return f"{path}/index.md" if path else "index.md"


def tag_links_html(article: Article, from_url: str, *, label: str | None = None) -> str:
    """The article's subjects (:func:`taxonomy.subjects`), each a link to its page;
    ``label`` names the list for assistive technology."""
    names = taxonomy.subjects(article)
    if not names:
        return ""
    items = "".join(
        f'<li><a class="sd-tag" href="{escape(urls.relative(urls.tag(article.lang, tag), from_url))}">{escape(tag)}</a></li>'
        for tag in names
    )
    named = f' aria-label="{escape(label)}"' if label else ""
    return f'<ul class="sd-tags"{named}>{items}</ul>'


def _meta_line(article: Article, lang: str) -> str:
    parts = []
    if article.date is not None:
        parts.append(f'<time datetime="{article.date.isoformat()}">{escape(format_date(article.date, lang))}</time>')
    if article.organisation:
        parts.append(f'<span class="sd-org">{escape(article.organisation)}</span>')
    return '<span class="sd-sep" aria-hidden="true"> · </span>'.join(parts)


#: how a card's thumbnail starts (:func:`card_html`); :func:`card_images_html` finds it there
_THUMBNAIL = '<img class="sd-card__img" '


def _thumbnail_html(article: Article, from_url: str, docs_dir: Path | None) -> str:
    """The card's thumbnail: the article's hero image (the one file under ``articles/img/`` of
    the site root for every language), decorative (``alt=""``: the title beside it is the
    link), with the file's width and height so the browser reserves its room. "" when the
    article has no image, or when ``docs_dir`` is known and the file cannot be read (a card
    shows no broken image)."""
    path = image_path(article)
    if path is None:
        return ""
    size = image_size(Path(docs_dir) / path) if docs_dir is not None else None
    if docs_dir is not None and size is None:
        return ""
    dims = f' width="{size[0]}" height="{size[1]}"' if size is not None else ""
    return f'{_THUMBNAIL}src="{escape(urls.relative(path, from_url))}" alt=""{dims}>'


def card_images_html(body: str) -> str:
    """``body`` (after the sanitiser, which keeps no ``loading`` attribute) with its card
    thumbnails decoded off the main thread and all but the first loaded lazily (the first
    may be what the reader sees first: it must not wait). A body without cards is returned
    as it came."""
    if _THUMBNAIL not in body:
        return body
    first, _, rest = body.partition(_THUMBNAIL)
    return (first + _THUMBNAIL + 'decoding="async" '
            + rest.replace(_THUMBNAIL, _THUMBNAIL + 'loading="lazy" decoding="async" '))


def card_html(article: Article, from_url: str, docs_dir: Path | None = None) -> str:
    """One article card: thumbnail (when the article has an image), title, date,
    organisation, summary, tags. ``docs_dir`` is where the image's file is read for its
    size (:attr:`Catalogue.docs_dir`)."""
    href = escape(urls.relative(urls.article(article.lang, article.slug), from_url))
    thumbnail = _thumbnail_html(article, from_url, docs_dir)
    return (
        f'<article class="sd-card{" sd-card--image" if thumbnail else ""}" lang="{article.lang}">'
        f"{thumbnail}"
        f'<h2 class="sd-card__title"><a href="{href}">{escape(article.title)}</a></h2>'
        f'<p class="sd-card__meta">{_meta_line(article, article.lang)}</p>'
        f'<p class="sd-card__summary">{escape(article.description)}</p>'
        f"{tag_links_html(article, from_url)}"
        "</article>"
    )


def cards_html(articles: list[Article], from_url: str, lang: str, docs_dir: Path | None = None) -> str:
    if not articles:
        return f'<p class="sd-empty">{escape(t(lang, "no_articles"))}</p>\n'
    return '<div class="sd-cards">\n' + "\n".join(card_html(a, from_url, docs_dir) for a in articles) + "\n</div>\n"


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
        # (labelled as every pagination is: a second unnamed <nav> fails axe landmark-unique)
        return f'<nav class="sd-pagination" aria-label="{escape(t(lang, "pagination"))}"><a class="sd-pagination__all" href="{urls.relative(urls.all_articles(lang), from_url)}">{escape(t(lang, "all_articles"))} →</a></nav>\n'

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
    return heading + cards_html(chunk, from_url, lang, catalogue.docs_dir) + _pagination_html(lang, page, pages, from_url)


def _group_by_year(articles: list[Article]) -> dict[int | None, list[Article]]:
    groups: dict[int | None, list[Article]] = {}
    for art in articles:
        groups.setdefault(art.date.year if art.date else None, []).append(art)
    return groups


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


#: a heading shared by consecutive entries of a listing: (id, label, intro HTML)
Group = tuple[str, str, str]
#: one entry of a listing: its group (None: no headings), the article, and the
#: reader's language when the article is in another one (see list_item_html)
Entry = tuple["Group | None", Article, "str | None"]


def _year_group(lang: str, article: Article) -> Group:
    year = article.date.year if article.date else None
    return (f"y-{year or 'undated'}", str(year) if year is not None else t(lang, "undated"), "")


@functools.lru_cache(maxsize=8)
def _other_lang_group(lang: str) -> Group:
    return ("other-languages", t(lang, "only_other_lang"), f'<p>{escape(t(lang, "only_other_lang_intro"))}</p>\n')


def entries_html(entries: list[Entry], from_url: str) -> str:
    """Compact entries as ``<ul class="sd-list">`` runs, a heading (``<h2>``)
    before each run of a group."""
    out: list[str] = []
    current: object = ()
    for group, article, reader_lang in entries:
        if group != current:
            if out:
                out.append("</ul>\n")
            if group is not None:
                gid, label, intro = group
                out.append(f'<h2 id="{escape(gid)}">{escape(label)}</h2>\n{intro}')
            out.append('<ul class="sd-list">')
            current = group
        out.append(list_item_html(article, from_url, reader_lang=reader_lang))
    if out:
        out.append("</ul>\n")
    return "".join(out)


def page_count(n_items: int, page_size: int) -> int:
    """Pages of a listing of ``n_items`` (an empty listing still has its page 1)."""
    return max(1, -(-n_items // page_size))


def _window(page: int, pages: int) -> list[int | None]:
    """Page numbers to link: the first, the last and PAGER_WINDOW around
    ``page``; None where numbers are skipped."""
    shown = sorted({1, pages, *range(max(1, page - PAGER_WINDOW), min(pages, page + PAGER_WINDOW) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None if n - out[-1] > 2 else n - 1)
        out.append(n)
    return out


def pager_html(lang: str, page: int, pages: int, first_url: str, from_url: str) -> str:
    """The page links of a paginated listing (nothing when it has one page):
    previous/next with rel=prev/next, the current page marked
    ``aria-current``, skipped numbers as a hidden ellipsis."""
    if pages <= 1:
        return ""

    def href(n: int) -> str:
        return escape(urls.relative(urls.paged(first_url, n), from_url))

    links = []
    if page > 1:
        links.append(f'<a class="sd-pagination__newer" rel="prev" href="{href(page - 1)}">← {escape(t(lang, "newer"))}</a>')
    for n in _window(page, pages):
        if n is None:
            links.append('<span class="sd-pagination__gap" aria-hidden="true">…</span>')
        elif n == page:
            links.append(f'<span class="sd-pagination__current" aria-current="page">{n}</span>')
        else:
            links.append(f'<a href="{href(n)}" aria-label="{escape(t(lang, "page_n", n=n))}">{n}</a>')
    if page < pages:
        links.append(f'<a class="sd-pagination__older" rel="next" href="{href(page + 1)}">{escape(t(lang, "older"))} →</a>')
    return f'<nav class="sd-pagination" aria-label="{escape(t(lang, "pagination"))}">' + " ".join(links) + "</nav>\n"


def listing_series(lang: str, first_url: str, title: str, entries: list[Entry], *, lead: str,
                   counterparts: dict[str, tuple[str, int, bool]], page_size: int = LIST_PAGE_SIZE) -> list[PlannedPage]:
    """A listing of compact entries, ``page_size`` to a page: page 1 at
    ``first_url``, page N at ``urls.paged(first_url, N)``.

    ``counterparts`` maps each other language to (its listing's first page,
    its number of entries, whether the two are true equivalents): the
    language switcher of page N opens the other listing's page N when it has
    one, else its page 1; hreflang pairs only first pages of true equivalents.
    """
    pages = page_count(len(entries), page_size)
    lastmod = newest_date(a for _, a, _ in entries)
    out = []
    for n in range(1, pages + 1):
        url = urls.paged(first_url, n)
        chunk = entries[(n - 1) * page_size : n * page_size]
        description = listing_description(lang, title, len(entries), n, pages, [a.title for _, a, _ in chunk[:3]])
        body = lead + (entries_html(chunk, url) if chunk else f'<p class="sd-empty">{escape(t(lang, "no_articles"))}</p>\n')
        switch, translations = {}, {}
        for other, (other_first, other_entries, paired) in counterparts.items():
            other_pages = page_count(other_entries, page_size)
            switch[other] = urls.paged(other_first, n if n <= other_pages else 1)
            if paired and n == 1:
                translations[other] = other_first
        out.append(_page(lang, url, title if n == 1 else f'{title} — {t(lang, "page_n", n=n)}',
                         body + pager_html(lang, n, pages, first_url, url),
                         switch_to=switch, translations=translations,
                         prev=urls.paged(first_url, n - 1) if n > 1 else None,
                         next=urls.paged(first_url, n + 1) if n < pages else None,
                         description=description, lastmod=lastmod))
    return out


def newest_date(articles) -> dt.date | None:
    """The newest date (modified, else published) among ``articles``, or None."""
    return max((d for a in articles if (d := a.modified or a.date) is not None), default=None)


def listing_description(lang: str, title: str, total: int, page: int, pages: int, first: list[str]) -> str:
    """A listing page's meta description, its own: title (and page), count, first titles."""
    where = t(lang, "listing_page_of", n=page, pages=pages) if pages > 1 else ""
    examples = t(lang, "listing_examples_sep").join(t(lang, "listing_quote", title=x) for x in first)
    text = t(lang, "listing_description", title=title, page=where, count=count(lang, total))
    if examples:
        text += " " + t(lang, "listing_examples", examples=examples)
    return text if len(text) <= 300 else text[:299].rstrip() + "…"


def _page(lang: str, url: str, title: str, body: str, *, switch_to: dict, translations: dict | None = None,
          kind: str = "listing", robots: str | None = None,
          prev: str | None = None, next: str | None = None,
          description: str = "", lastmod: dt.date | None = None) -> PlannedPage:
    return PlannedPage(
        lang=lang, url=url, src_uri=_src_uri(url, lang), title=title,
        html=body, kind=kind, robots=robots, prev=prev, next=next,
        description=description, lastmod=lastmod,
        switch_to=switch_to, translations=translations if translations is not None else dict(switch_to),
    )


def plan_pages(catalogue: Catalogue, lang: str, *, page_size: int = LIST_PAGE_SIZE) -> list[PlannedPage]:
    """Every generated page of ``lang``, in a stable order; ``page_size``
    compact entries per page of the long listings."""
    articles = catalogue.in_lang(lang)
    others = other_languages(lang)
    out: list[PlannedPage] = []

    # home pages 2..N (page 1 is docs/index.<lang>.md plus home_cards_markdown)
    for n in range(2, home_page_count(catalogue, lang) + 1):
        url = urls.home_page(lang, n)
        switch = {o: urls.home_page(o, n) if n <= home_page_count(catalogue, o) else urls.home(o) for o in others}
        out.append(_page(lang, url, f'{t(lang, "latest")} — {t(lang, "page_n", n=n)}',
                         home_cards_markdown(catalogue, lang, n), switch_to=switch,
                         prev=urls.home_page(lang, n - 1),
                         next=urls.home_page(lang, n + 1) if n < home_page_count(catalogue, lang) else None,
                         description=listing_description(
                             lang, t(lang, "latest"), len(articles), n, home_page_count(catalogue, lang),
                             [a.title for a in articles[(n - 1) * HOME_PAGE_SIZE:][:3]]),
                         lastmod=newest_date(articles)))

    # every article, grouped by year, then what exists only in another language
    missing = catalogue.missing_in(lang)
    entries = [(_year_group(lang, a), a, None) for a in articles]
    entries += [(_other_lang_group(lang), a, lang) for a in missing]
    out += listing_series(
        lang, urls.all_articles(lang), t(lang, "all_articles"), entries,
        lead=f'<p class="sd-lead">{escape(t(lang, "all_articles_intro", n=len(articles)))}</p>\n',
        counterparts={o: (urls.all_articles(o), len(catalogue.in_lang(o)) + len(catalogue.missing_in(o)), True)
                      for o in others},
        page_size=page_size,
    )

    # archive: index of years, then one (paginated) listing per year; the undated articles last
    groups = _group_by_year(articles)
    years = [y for y in groups if y is not None] + ([None] if None in groups else [])
    url = urls.archive(lang)
    items = "".join(
        f'<li><a href="{urls.relative(urls.archive_year(lang, y), url)}">{y if y is not None else escape(t(lang, "undated"))}</a> '
        f'<span class="sd-count">({escape(count(lang, len(groups[y])))})</span></li>'
        for y in years
    )
    out.append(_page(lang, url, t(lang, "archive"),
                     f'<p class="sd-lead">{escape(t(lang, "archive_intro"))}</p>\n<ul class="sd-years">{items}</ul>\n',
                     switch_to={o: urls.archive(o) for o in others},
                     description=t(lang, "archive_intro"), lastmod=newest_date(articles)))
    other_groups = {o: _group_by_year(catalogue.in_lang(o)) for o in others}
    for year in years:
        counterparts = {}
        for o in others:  # the same year in the other language, else its archive index
            if year in other_groups[o]:
                counterparts[o] = (urls.archive_year(o, year), len(other_groups[o][year]), True)
            else:
                counterparts[o] = (urls.archive(o), 1, False)
        title = t(lang, "archive_year", year=year) if year is not None else t(lang, "archive_undated")
        out += listing_series(lang, urls.archive_year(lang, year), title,
                              [(None, a, None) for a in groups[year]],
                              lead=f'<p class="sd-lead">{escape(count(lang, len(groups[year])))}</p>\n',
                              counterparts=counterparts, page_size=page_size)

    out += _facet_pages(catalogue, lang, page_size)

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


def _index_html(lang: str, url: str, intro_key: str, css: str, rows: list[tuple[str, str, int]]) -> str:
    """An index of facet values: (name, page URL, number of articles), with counts."""
    items = "".join(
        f'<li><a href="{escape(urls.relative(target, url))}">{escape(name)}</a> <span class="sd-count">({n})</span></li>'
        for name, target, n in rows
    )
    return f'<p class="sd-lead">{escape(t(lang, intro_key))}</p>\n<ul class="sd-terms sd-terms--{css}">{items}</ul>\n'


def _by_name(groups: taxonomy.Groups) -> list[tuple[str, str, list[Article]]]:
    """Alphabetical, accents and case aside ("épilepsie" between "cerveau" and "glaciers"): by key."""
    return sorted(((key, name, members) for key, (name, members) in groups.items()), key=lambda g: (g[0], g[1]))


def _facet_pages(catalogue: Catalogue, lang: str, page_size: int) -> list[PlannedPage]:
    """Subjects (at ``tags/``: the one subject taxonomy, :mod:`.taxonomy`), organisations and
    kinds of text: an index with counts, then one paginated listing each. A subject page has
    its own feed. The language switcher opens the equivalent page (subjects through the
    terminology table, organisations by name, kinds by kind), else the other index."""
    articles = catalogue.in_lang(lang)
    others = other_languages(lang)
    out: list[PlannedPage] = []

    def series(first: str, title: str, members: list[Article], counterparts: dict) -> list[PlannedPage]:
        return listing_series(lang, first, title, [(None, a, None) for a in sorted(members, key=Article.sort_key)],
                              lead=f'<p class="sd-lead">{escape(count(lang, len(members)))}</p>\n',
                              counterparts=counterparts, page_size=page_size)

    def facet_index(facet: str, index_of, rows: list[tuple[str, str, int]]) -> PlannedPage:
        """A facet's index page (subjects, organisations, kinds): each value with its count."""
        index = index_of(lang)
        return _page(lang, index, t(lang, facet), _index_html(lang, index, f"{facet}_intro", facet, rows),
                     switch_to={o: index_of(o) for o in others},
                     description=t(lang, f"{facet}_intro"), lastmod=newest_date(articles))

    # subjects
    grouped = taxonomy.group_subjects(articles)
    other_groups = {o: taxonomy.group_subjects(catalogue.in_lang(o)) for o in others}
    out.append(facet_index("subjects", urls.tags,
                           [(name, urls.tag(lang, name), len(m)) for _, name, m in _by_name(grouped)]))
    for name, members in grouped.values():
        counterparts = {}
        for o in others:  # the equivalent subject's page, else the subject index
            mapped, paired = equivalent_term(lang, o, name, other_groups[o])
            if mapped is not None:  # hreflang only between pages that map to each other
                counterparts[o] = (urls.tag(o, mapped), len(other_groups[o][urls.term_slug(mapped)][1]), paired)
            else:
                counterparts[o] = (urls.tags(o), 1, False)
        feed = (t(lang, "subject_feed_title", name=name), urls.tag_feed(lang, name))
        first = urls.tag(lang, name)
        link = (f'<p class="sd-feed-link"><a href="{escape(urls.relative(feed[1], first))}">'
                f'{escape(t(lang, "subject_feed"))}</a></p>\n')
        pages = series(first, t(lang, "subject", name=name), members, counterparts)
        out += [dataclasses.replace(p, feed=feed, html=(link + p.html) if p.url == first else p.html) for p in pages]

    # organisations (a name is the same in every language)
    grouped = taxonomy.group_organisations(articles)
    other_groups = {o: taxonomy.group_organisations(catalogue.in_lang(o)) for o in others}
    out.append(facet_index("organisations", urls.organisations,
                           [(name, urls.organisation(lang, name), len(m)) for _, name, m in _by_name(grouped)]))
    for key, (name, members) in grouped.items():
        counterparts = {o: (urls.organisation(o, other_groups[o][key][0]), len(other_groups[o][key][1]), True)
                        if key in other_groups[o] else (urls.organisations(o), 1, False) for o in others}
        out += series(urls.organisation(lang, name), t(lang, "organisation_page", name=name), members, counterparts)

    # kinds of text
    grouped_kinds = taxonomy.group_kinds(articles)
    other_kinds = {o: taxonomy.group_kinds(catalogue.in_lang(o)) for o in others}
    out.append(facet_index("kinds", urls.kinds,
                           [(t(lang, f"kind_{k}"), urls.kind(lang, k), len(m)) for k, m in grouped_kinds.items()]))
    for kind, members in grouped_kinds.items():
        counterparts = {o: (urls.kind(o, kind), len(other_kinds[o][kind]), True)
                        if kind in other_kinds[o] else (urls.kinds(o), 1, False) for o in others}
        out += series(urls.kind(lang, kind), t(lang, "kind_page", name=t(lang, f"kind_{kind}")), members, counterparts)
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
        originals = [a for a in members if safe_url(a.source_url)]
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
