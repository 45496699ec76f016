"""What goes in each page's <head> and at the top of each article.

hreflang alternates (absolute, with x-default), the feed link, Open Graph and
Twitter cards, schema.org NewsArticle JSON-LD, and the article header (title
and meta line: date, organisation, authors, reading time, tags, source).
Rendered here as strings so the theme templates stay one-liners and tests can
check the exact output without a build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from scidigest.site import urls
from scidigest.site.catalogue import DEFAULT_LANG, Article
from scidigest.site.labels import OG_LOCALES, format_date, lang_name, t
from scidigest.site.listings import tag_links_html
from scidigest.site.sanitize import json_for_script, safe_url
from scidigest.site.taxonomy import subjects


@dataclass(frozen=True)
class PageInfo:
    """The facts about one built page that its <head> depends on."""

    lang: str
    url: str
    title: str
    description: str = ""
    translations: dict[str, str] = field(default_factory=dict)  # true equivalents only
    article: Article | None = None
    original: Article | None = None  # the original, when ``article`` is a translation
    robots: str | None = None
    #: previous / next page of a paginated listing (site-root-relative), for <link rel="prev/next">
    prev: str | None = None
    next: str | None = None
    #: (title, site-root-relative URL) of the page's own feed besides the site's (a subject's)
    feed: tuple[str, str] | None = None


def hreflang_links(site_url: str, info: PageInfo) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) pairs: every language version, then x-default.

    x-default is the default-language version when there is one. A page that
    says "not translated" declares no alternates: it is nobody's translation.
    """
    if info.robots and "noindex" in info.robots:
        return []
    versions = {info.lang: info.url, **info.translations}
    pairs = [(lang, urls.absolute(site_url, versions[lang])) for lang in sorted(versions)]
    default = versions.get(DEFAULT_LANG, info.url)
    pairs.append(("x-default", urls.absolute(site_url, default)))
    return pairs


def json_ld(site_url: str, site_name: str, info: PageInfo) -> dict | None:
    """schema.org NewsArticle for an article page, else None."""
    art = info.article
    if art is None:
        return None
    page_url = urls.absolute(site_url, info.url)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": art.title[:110],
        "name": art.title,
        "description": art.description,
        "inLanguage": art.lang,
        "url": page_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": page_url},
        "publisher": {"@type": "Organization", "name": site_name, "url": urls.absolute(site_url, "")},
        "timeRequired": f"PT{art.reading_time}M",
    }
    if art.date is not None:
        data["datePublished"] = art.date.isoformat()
    if art.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in art.authors]
    elif art.organisation:
        data["author"] = [{"@type": "Organization", "name": art.organisation}]
    if art.organisation:
        data["sourceOrganization"] = {"@type": "Organization", "name": art.organisation}
    if subjects(art):
        data["keywords"] = list(subjects(art))
    if safe_url(art.source_url):
        data["isBasedOn"] = art.source_url
    if art.is_translation and info.original is not None:
        data["translationOfWork"] = {
            "@type": "NewsArticle",
            "@id": urls.absolute(site_url, urls.article(info.original.lang, info.original.slug)),
            "inLanguage": info.original.lang,
            "headline": info.original.title[:110],
        }
    return data


def _json_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    # no "<" at all: neither "</script>" nor "<!--" inside a string can end or bend the element
    return '<script type="application/ld+json">' + json_for_script(text) + "</script>"


def head_html(site_url: str, site_name: str, info: PageInfo, *, page_title: str) -> str:
    """Extra <head> markup for one page (after Material's own meta tags)."""
    lines: list[str] = []
    for hreflang, href in hreflang_links(site_url, info):
        lines.append(f'<link rel="alternate" hreflang="{hreflang}" href="{escape(href)}">')
    for rel, target in (("prev", info.prev), ("next", info.next)):
        if target is not None:
            lines.append(f'<link rel="{rel}" href="{escape(urls.absolute(site_url, target))}">')
    lines.append(
        f'<link rel="alternate" type="application/rss+xml" title="{escape(t(info.lang, "feed_title"))}" '
        f'href="{escape(urls.absolute(site_url, urls.feed(info.lang)))}">'
    )
    if info.feed is not None:
        lines.append(f'<link rel="alternate" type="application/rss+xml" title="{escape(info.feed[0])}" '
                     f'href="{escape(urls.absolute(site_url, info.feed[1]))}">')
    if info.robots:
        lines.append(f'<meta name="robots" content="{escape(info.robots)}">')
    description = info.description or t(info.lang, "site_description")
    og_type = "article" if info.article else "website"
    og = [
        ("og:type", og_type),
        ("og:site_name", site_name),
        ("og:title", page_title),
        ("og:description", description),
        ("og:url", safe_url(urls.absolute(site_url, info.url)) or ""),
        ("og:locale", OG_LOCALES.get(info.lang, info.lang)),
    ]
    for other in sorted(info.translations):
        og.append(("og:locale:alternate", OG_LOCALES.get(other, other)))
    if info.article is not None:
        if info.article.date is not None:
            og.append(("article:published_time", info.article.date.isoformat()))
        for tag in subjects(info.article):
            og.append(("article:tag", tag))
        for section in subjects(info.article)[:1]:
            og.append(("article:section", section))
    for prop, content in og:
        lines.append(f'<meta property="{prop}" content="{escape(content)}">')
    for name, content in (("twitter:card", "summary"), ("twitter:title", page_title), ("twitter:description", description)):
        lines.append(f'<meta name="{name}" content="{escape(content)}">')
    ld = json_ld(site_url, site_name, info)
    if ld is not None:
        lines.append(_json_script(ld))
    return "\n".join(lines)


def article_header_html(art: Article, page_url: str, original: Article | None = None) -> str:
    """Title and meta line of an article page (the body has no H1)."""
    lang = art.lang
    facts: list[str] = []
    if art.date is not None:
        facts.append(f'<time class="sd-date" datetime="{art.date.isoformat()}">{escape(format_date(art.date, lang))}</time>')
    if art.organisation:
        facts.append(f'<span class="sd-org">{escape(art.organisation)}</span>')
    if art.authors:
        facts.append(f'<span class="sd-authors">{escape(t(lang, "by"))} {escape(", ".join(art.authors))}</span>')
    facts.append(f'<span class="sd-reading-time">{escape(t(lang, "reading_time", n=art.reading_time))}</span>')
    sep = '<span class="sd-sep" aria-hidden="true"> · </span>'
    extra: list[str] = []
    if safe_url(art.source_url):
        extra.append(f'<a class="sd-source" href="{escape(art.source_url)}" rel="noopener">{escape(t(lang, "source"))}</a>')
    if art.is_translation and original is not None:
        status = "reviewed_translation" if art.translation_status == "reviewed" else "machine_translation"
        href = urls.relative(urls.article(original.lang, original.slug), page_url)
        extra.append(
            f'<span class="sd-translation">{escape(t(lang, status))} — '
            f'<a class="sd-original" href="{escape(href)}" hreflang="{original.lang}">'
            f'{escape(t(lang, "original", lang_name=lang_name(lang, original.lang)))}</a></span>'
        )
    return (
        '<header class="sd-article-header">'
        f"<h1>{escape(art.title)}</h1>"
        f'<p class="sd-article-meta">{sep.join(facts)}</p>'
        + (f'<p class="sd-article-links">{sep.join(extra)}</p>' if extra else "")
        + tag_links_html(art, page_url, label=t(lang, "article_subjects"))
        + "</header>"
    )
