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
from urllib.parse import quote, urlsplit

from scidigest.site import cards, social, urls
from scidigest.site.catalogue import DEFAULT_LANG, Article
from scidigest.site.labels import OG_LOCALES, format_date, lang_name, t
from scidigest.site.listings import tag_links_html
from scidigest.site.sanitize import json_for_script, safe_url
from scidigest.site.taxonomy import kind_of, subjects


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
    #: the link preview (an article's card or own image: pagecards.article_preview); None: social.preview's default
    image: social.Preview | None = None


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
        "publisher": {
            "@type": "Organization", "name": site_name, "url": urls.absolute(site_url, ""),
            "logo": {"@type": "ImageObject", "url": urls.absolute(site_url, cards.logo_url()),
                     "width": cards.LOGO_SIZE, "height": cards.LOGO_SIZE},
        },
        "image": [urls.absolute(site_url, (info.image or social.preview(art.lang, art)).path)],
        "timeRequired": f"PT{art.reading_time}M",
    }
    if art.date is not None:
        data["datePublished"] = art.date.isoformat()
    if social.modified(art) is not None:  # from the front matter, never the build's clock
        data["dateModified"] = social.modified(art).isoformat()
    organisation = None
    if art.organisation:
        organisation = {"@type": "Organization", "name": art.organisation}
        if social.organisation_url(art.organisation):
            organisation["url"] = social.organisation_url(art.organisation)
    if art.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in art.authors]
    elif organisation is not None:
        data["author"] = [organisation]
    if organisation is not None:
        data["sourceOrganization"] = organisation
    if subjects(art):
        data["keywords"] = list(subjects(art))
    if safe_url(art.source_url):
        data["isBasedOn"] = art.source_url
    if art.journal or art.doi:  # the study the text reports on, as the provenance block names it
        study: dict = {"@type": "ScholarlyArticle"}
        if art.doi:
            study["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": art.doi}
            study["sameAs"] = doi_url(art.doi)
        if art.journal:
            study["isPartOf"] = {"@type": "Periodical", "name": art.journal}
        data["citation"] = study
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
    image = info.image or social.preview(info.lang, info.article)
    og.append(("og:image", urls.absolute(site_url, image.path)))
    if image.type:
        og.append(("og:image:type", image.type))
    if image.width and image.height:
        og += [("og:image:width", str(image.width)), ("og:image:height", str(image.height))]
    og.append(("og:image:alt", image.alt))
    if info.article is not None:
        if info.article.date is not None:
            og.append(("article:published_time", info.article.date.isoformat()))
        if social.modified(info.article) is not None:
            og.append(("article:modified_time", social.modified(info.article).isoformat()))
        for tag in subjects(info.article):
            og.append(("article:tag", tag))
        for section in subjects(info.article)[:1]:
            og.append(("article:section", section))
    for prop, content in og:
        lines.append(f'<meta property="{prop}" content="{escape(content)}">')
    twitter = (("twitter:card", "summary_large_image" if image.large else "summary"), ("twitter:title", page_title),
               ("twitter:description", description), ("twitter:image", urls.absolute(site_url, image.path)),
               ("twitter:image:alt", image.alt))
    for name, content in twitter:
        lines.append(f'<meta name="{name}" content="{escape(content)}">')
    ld = json_ld(site_url, site_name, info)
    if ld is not None:
        lines.append(_json_script(ld))
    return "\n".join(lines)


#: translation engines as readers know them (front matter ``translation.provider``), per language
PROVIDER_NAMES = {
    "fr": {"google": "Google Traduction", "deepl": "DeepL", "libre": "LibreTranslate", "mymemory": "MyMemory"},
    "en": {"google": "Google Translate", "deepl": "DeepL", "libre": "LibreTranslate", "mymemory": "MyMemory"},
}
#: ``input_kind`` values of a source received as a PDF, and of a text copied from a web page
_PDF_INPUTS = frozenset({"pdf", "pdf-wrapped", "pdf-double-spaced"})
_WEB_INPUTS = frozenset({"html", "web-markdown", "web-text"})


def doi_url(doi: str) -> str:
    """The DOI's resolver address (https://doi.org/ + the DOI, characters a URL must escape escaped)."""
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def translation_notice_html(art: Article, page_url: str, original: Article | None) -> str:
    """The one notice that a page is a translation, from its ``translation:`` front matter:
    machine or reviewed by a person, by which engine, and a link to the original, or, when the
    original is no longer published, a sentence that says so ("" for an original)."""
    if not art.is_translation:
        return ""
    lang = art.lang
    src = original.lang if original is not None else art.translation_from
    name = lang_name(lang, src) if src in ("fr", "en") else str(src)
    provider = art.translation_provider or ""
    engine = PROVIDER_NAMES.get(lang, {}).get(provider, provider)
    if art.translation_status == "reviewed":
        key = "tr_person" if provider in ("manual", "") else "tr_machine_reviewed"
    else:
        key = "tr_machine"
    status = "reviewed" if art.translation_status == "reviewed" else "machine"
    text = escape(t(lang, key, provider=engine, lang_name=name))
    if original is not None:
        href = urls.relative(urls.article(original.lang, original.slug), page_url)
        link = (f' <a class="sd-original" href="{escape(href)}" hreflang="{original.lang}">'
                f'{escape(t(lang, "original", lang_name=name))}</a>')
    else:
        link = f' {escape(t(lang, "tr_original_gone"))}'
    return f'<p class="sd-translation sd-translation--{status}">{text}{link}</p>'


def _original_html(art: Article) -> str:
    """Where the original text is: a link to it, or where it came from when it is not online."""
    lang = art.lang
    url = safe_url(art.source_url)
    if url and url.lower().startswith(("http://", "https://")):
        host = (urlsplit(url).hostname or url).removeprefix("www.")
        return (f'<a class="sd-source" href="{escape(url)}" rel="noopener external">'
                f'{escape(t(lang, "prov_original_link", host=host))}</a>')
    key = ("prov_offline_pdf" if art.input_kind in _PDF_INPUTS
           else "prov_offline_web" if art.input_kind in _WEB_INPUTS else "prov_offline")
    return f'<span class="sd-offline">{escape(t(lang, key))}</span>'


def provenance_html(art: Article, page_url: str) -> str:
    """Where the article comes from, stated on every article (a labelled ``<section>`` holding a
    ``<dl>``): source organisation, date or "undated" said plainly, authors where known, kind of
    text, the original (a link, or where it came from), and the study's journal and DOI where
    the text names them."""
    lang = art.lang
    rows: list[tuple[str, str, str]] = []  # (row class, term, HTML description)
    if art.organisation:
        org = (f'<a class="sd-org" href="{escape(urls.relative(urls.organisation(lang, art.organisation), page_url))}">'
               f"{escape(art.organisation)}</a>")
    else:
        org = f'<span class="sd-unknown">{escape(t(lang, "prov_organisation_unknown"))}</span>'
    rows.append(("organisation", t(lang, "prov_organisation"), org))
    if art.date is not None:
        date = f'<time class="sd-date" datetime="{art.date.isoformat()}">{escape(format_date(art.date, lang))}</time>'
    else:
        date = f'<span class="sd-undated">{escape(t(lang, "prov_undated"))}</span>'
    rows.append(("date", t(lang, "prov_date"), date))
    if art.authors:
        rows.append(("authors", t(lang, "prov_authors"),
                     f'<span class="sd-authors">{escape(", ".join(art.authors))}</span>'))
    kind = kind_of(art)
    rows.append(("kind", t(lang, "prov_kind"),
                 f'<a class="sd-kind" href="{escape(urls.relative(urls.kind(lang, kind), page_url))}">'
                 f'{escape(t(lang, f"kind_{kind}"))}</a>'))
    rows.append(("original", t(lang, "prov_original"), _original_html(art)))
    study: list[str] = []
    if art.journal:
        study.append(f'{escape(t(lang, "prov_journal"))} <cite class="sd-journal">{escape(art.journal)}</cite>')
    if art.doi and safe_url(doi_url(art.doi)):
        study.append(f'<a class="sd-doi" href="{escape(doi_url(art.doi))}" rel="noopener external">'
                     f"DOI {escape(art.doi)}</a>")
    if study:
        rows.append(("study", t(lang, "prov_study"), '<span class="sd-sep" aria-hidden="true"> · </span>'.join(study)))
    items = "".join(f'<div class="sd-provenance__row sd-provenance__row--{cls}"><dt>{escape(term)}</dt><dd>{desc}</dd></div>'
                    for cls, term, desc in rows)
    return (f'<section class="sd-provenance" aria-label="{escape(t(lang, "provenance"))}">'
            f'<dl class="sd-provenance__list">{items}</dl></section>')


def article_header_html(art: Article, page_url: str, original: Article | None = None) -> str:
    """The top of an article page (the body has no H1): title, reading time, the translation
    notice (translations only: the one place a reader is told), the provenance block and the
    article's subjects."""
    lang = art.lang
    return (
        '<header class="sd-article-header">'
        f"<h1>{escape(art.title)}</h1>"
        f'<p class="sd-article-meta"><span class="sd-reading-time">{escape(t(lang, "reading_time", n=art.reading_time))}'
        "</span></p>"
        + translation_notice_html(art, page_url, original)
        + provenance_html(art, page_url)
        + tag_links_html(art, page_url, label=t(lang, "article_subjects"))
        + "</header>"
    )
