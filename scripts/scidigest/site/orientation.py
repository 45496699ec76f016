"""Where a reader is: the section (header tab) a page belongs to and its breadcrumb.

Articles, listings, topic and tag pages are generated and are not in the
``nav:`` of mkdocs.yml (2,000 articles would be 2,000 nav entries rendered on
every page), so Material highlights no tab on them and draws no path. Both
follow here from the URLs alone: a page belongs to the nav section whose URL
is the longest prefix of its own (``en/articles/x/`` -> ``en/articles/``,
``archive/2021/page/2/`` -> ``archive/``, ``en/page/3/`` -> ``en/``), and
its breadcrumb lists the pages whose URLs are prefixes of its own, from the
home page down, then the page itself. No table of sections to keep in step
with the nav: a new section in mkdocs.yml works the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from html import escape

from scidigest.site import urls
from scidigest.site.labels import t
from scidigest.site.sanitize import json_for_script

#: (title, site-root-relative URL) from the home page down to the page itself
Trail = list[tuple[str, str]]


def section_of(page_url: str, section_urls: Iterable[str]) -> str | None:
    """The URL of the section ``page_url`` belongs to: the longest of
    ``section_urls`` that is a path prefix of it (a directory URL, ending in
    "/", or the language's home ""), or None."""
    best: str | None = None
    for url in section_urls:
        if url in (".", "./"):
            url = ""
        if url and not url.endswith("/"):
            if url != page_url:
                continue
        elif not page_url.startswith(url):
            continue
        if best is None or len(url) > len(best):
            best = url
    return best


def _ancestors(page_url: str, home: str) -> list[str]:
    """Every directory URL above ``page_url`` down from ``home`` (excluded), nearest last."""
    rest = page_url[len(home):].strip("/")
    parts = rest.split("/") if rest else []
    return [home + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def trail(lang: str, page_url: str, title: str, title_of: Callable[[str], str | None]) -> Trail:
    """The breadcrumb of the page at ``page_url`` titled ``title``: the home
    page, every page above it that exists (``title_of(url)`` returns its title,
    None where no page lives, as ``archive/2021/page/``), then the page. The
    home page itself has none (empty list)."""
    home = urls.home(lang)
    if page_url == home or not page_url.startswith(home):
        return []
    out: Trail = [(t(lang, "home"), home)]
    for url in _ancestors(page_url, home):
        name = title_of(url)
        if name:
            out.append((name, url))
    out.append((title, page_url))
    return out


def breadcrumb_html(lang: str, crumbs: Trail, from_url: str) -> str:
    """``<nav aria-label="…">`` with an ordered list; the last item is the page
    itself (``aria-current="page"``, not a link)."""
    if not crumbs:
        return ""
    items = []
    for i, (name, url) in enumerate(crumbs):
        if i == len(crumbs) - 1:
            items.append(f'<li class="sd-breadcrumb__item" aria-current="page">{escape(name)}</li>')
        else:
            href = escape(urls.relative(url, from_url))
            items.append(f'<li class="sd-breadcrumb__item"><a href="{href}">{escape(name)}</a></li>')
    return (f'<nav class="sd-breadcrumb" aria-label="{escape(t(lang, "breadcrumb"))}">'
            f'<ol class="sd-breadcrumb__list">{"".join(items)}</ol></nav>')


def breadcrumb_ld(site_url: str, crumbs: Trail) -> dict | None:
    """schema.org BreadcrumbList of the same trail (absolute URLs), or None."""
    if not crumbs:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": urls.absolute(site_url, url)}
            for i, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def json_ld_script(data: dict) -> str:
    """A ``<script type="application/ld+json">`` that no string inside can end or bend."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    return '<script type="application/ld+json">' + json_for_script(text) + "</script>"


def page_context(lang: str, page_url: str, title: str, *, section_urls: list[str], in_nav: bool,
                 title_of: Callable[[str], str | None], site_url: str) -> dict:
    """What the theme needs (``sd.tab``, ``sd.in_nav``, ``sd.breadcrumb``) and the
    breadcrumb's JSON-LD for the head (``breadcrumb_ld``: a script, or "")."""
    crumbs = trail(lang, page_url, title, title_of)
    ld = breadcrumb_ld(site_url, crumbs)
    return {
        "tab": section_of(page_url, section_urls),
        "in_nav": in_nav,
        "breadcrumb": breadcrumb_html(lang, crumbs, page_url),
        "breadcrumb_ld": json_ld_script(ld) if ld else "",
    }
