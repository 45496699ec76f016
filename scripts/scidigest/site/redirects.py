"""Addresses the site no longer has, kept as small pages that send the reader on.

When the two taxonomies became one (:mod:`.taxonomy`), the ``categories/`` pages went
away: a rubric is now the subject page of the same slug (``tags/<slug>/``), and a
rubric that named a release type ("Communiqué de presse") is now its kind's page
(``kinds/press-release/``). Links to the old addresses live on in feeds readers already
fetched, in bookmarks, in search engines and on other sites; GitHub Pages serves static
files only and has no server-side redirects, so each old address gets a tiny page of its
own, as mkdocs-redirects writes them:

- ``<meta http-equiv="refresh" content="0; url=…">`` (relative, so a preview and a
  fork's Pages site go to their own copy), with no script, under the site's policy with no
  script hash (:func:`.csp.meta_tag`);
- ``<link rel="canonical">`` to the new absolute address and ``noindex``, which is how
  search engines are told a page moved when the server cannot answer 301;
- a plain link in the page's language for a browser that does not follow the refresh.

The old listings were paginated like today's (``page/N/``, the same page size): page N
of a rubric goes to page N of its subject or kind, which lists at least the same
articles (a subject holds a rubric's articles and its tags' too). These pages are not
MkDocs pages: they are in no sitemap, no search index and no feed. Plain functions; the
hooks write the files (:func:`write`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

from scidigest.site import csp, urls
from scidigest.site.catalogue import Article
from scidigest.site.labels import t
from scidigest.site.taxonomy import release_types, term_key

#: the folder of the old rubric pages (``categories/`` under each language's root)
OLD_CATEGORIES = "categories/"

_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
{policy}
<title>{title}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<p>{moved} <a href="{href}">{target}</a></p>
</body>
</html>
"""


@dataclass(frozen=True)
class Redirect:
    """One old address (site-root-relative, ``…/``) and where it now is."""

    old: str
    new: str
    lang: str


def old_categories(articles: list[Article], lang: str, *, page_size: int) -> list[Redirect]:
    """The old ``categories/`` addresses of ``articles`` (one language), each to its new one,
    sorted by old address."""
    members: dict[str, int] = {}
    for art in articles:
        for key in dict.fromkeys(term_key(name) for name in art.categories):
            members[key] = members.get(key, 0) + 1
    root = urls.prefix(lang) + OLD_CATEGORIES
    out = [Redirect(root, urls.tags(lang), lang)]
    kinds = release_types()
    for key, n in members.items():
        if key in kinds:  # a release type: its kind's page (a type no kind names: the index of kinds)
            first = urls.kind(lang, kinds[key]) if kinds[key] is not None else urls.kinds(lang)
        else:  # term_key is the slug of the subject page, as it was of the rubric's
            first = urls.tag(lang, key)
        for page in range(1, math.ceil(n / page_size) + 1):
            # a subject lists every article of the rubric: page N is there; a kind may list
            # fewer (an article's own kind comes first), so its later pages go to its first
            target = urls.paged(first, page) if key not in kinds else first
            out.append(Redirect(urls.paged(f"{root}{key}/", page), target, lang))
    return sorted(out, key=lambda r: r.old)


def page_html(redirect: Redirect, site_url: str) -> str:
    """The page left at ``redirect.old``."""
    href = urls.relative(redirect.new, redirect.old)
    canonical = urls.absolute(site_url, redirect.new)
    return _PAGE.format(lang=redirect.lang, policy=csp.meta_tag(), title=html.escape(t(redirect.lang, "moved_title")),
                        canonical=html.escape(canonical), href=html.escape(href),
                        moved=html.escape(t(redirect.lang, "moved_body")),
                        target=html.escape(canonical))


def write(redirects: list[Redirect], site_dir: Path, site_url: str, lang: str) -> None:
    """Write each redirect page (``<old>/index.html``), never over a page the build made;
    the old folder's other files, left by an earlier build of the live preview, go."""
    keep: set[Path] = set()
    for redirect in redirects:
        path = site_dir / redirect.old / "index.html"
        if path.exists() and not _is_redirect(path):
            continue  # a real page lives there now
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_html(redirect, site_url), encoding="utf-8")
        keep.add(path)
    folder = site_dir / (urls.prefix(lang) + OLD_CATEGORIES)
    if folder.is_dir():
        for path in sorted(folder.rglob("index.html"), reverse=True):
            if path not in keep and _is_redirect(path):
                path.unlink()
        for path in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
            if not any(path.iterdir()):
                path.rmdir()


def is_redirect_page(text: str) -> bool:
    """Whether ``text`` (an HTML file of the site) is one of these pages, not a page of the site."""
    head = text[:1500]
    return '<meta http-equiv="refresh" content="0; url=' in head and '<meta name="robots" content="noindex">' in head


def _is_redirect(path: Path) -> bool:
    try:
        return is_redirect_page(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False
