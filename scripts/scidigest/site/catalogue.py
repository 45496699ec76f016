"""Articles as the site sees them: front matter only, never the body.

Listings, feeds and metadata need only the front matter, so reading stops at
the closing ``---``: the body of 4,000 articles is never parsed twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scidigest.frontmatter import read_meta
from scidigest.languages import DEFAULT_LANGUAGE, SITE_LANGUAGES

LANGS = SITE_LANGUAGES
DEFAULT_LANG = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Article:
    """One article in one language, as published at ``articles/<slug>/``."""

    slug: str
    lang: str
    title: str
    description: str
    date: dt.date | None = None
    #: when the text last changed in substance (front matter ``modified:``), for dateModified,
    #: the sitemap's lastmod and the feeds; None: never since ``date``
    modified: dt.date | None = None
    organisation: str | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    reading_time: int = 1
    source_url: str | None = None
    kind: str = "article"
    translation_from: str | None = None
    translation_status: str | None = None
    translation_provider: str | None = None
    #: the hero image, as ingest wrote it: ``img/<sha256 prefix>.<ext>``, relative to the article
    #: file (published at ``articles/img/...`` of the site root; :func:`image_path`)
    image: str | None = None
    #: the study the text reports on (front matter ``journal:``, ``doi:``), where the text names them
    journal: str | None = None
    doi: str | None = None
    #: what the source was (front matter ``input_kind``: a PDF, a web page...): where an original
    #: without a URL came from
    input_kind: str | None = None

    @property
    def is_translation(self) -> bool:
        return self.translation_from is not None

    def sort_key(self) -> tuple:
        """Newest first, undated last, then by slug so output is deterministic."""
        if self.date is None:
            return (1, 0, self.slug)
        return (0, -self.date.toordinal(), self.slug)


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _strings(value) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    seen: list[str] = []
    for item in value:
        text = str(item).strip()
        if text and text not in seen:
            seen.append(text)
    return tuple(seen)


def article_from_meta(meta: dict, *, slug: str | None = None, lang: str | None = None) -> Article:
    """Build an ``Article`` from a front-matter mapping.

    ``slug``/``lang`` from the file name win when given, because that is what
    MkDocs and the i18n plugin use to place the page.
    """
    translation = meta.get("translation") or {}
    reading_time = meta.get("reading_time") or 1
    try:
        reading_time = max(1, int(reading_time))
    except (TypeError, ValueError):
        reading_time = 1
    return Article(
        slug=slug or str(meta["slug"]),
        lang=lang or str(meta.get("lang") or DEFAULT_LANG),
        title=str(meta.get("title") or slug or meta.get("slug")),
        description=str(meta.get("description") or ""),
        date=_as_date(meta.get("date")),
        modified=_as_date(meta.get("modified")),
        organisation=(str(meta["organisation"]) if meta.get("organisation") else None),
        authors=_strings(meta.get("authors")),
        categories=_strings(meta.get("categories")),
        tags=_strings(meta.get("tags")),
        reading_time=reading_time,
        source_url=(str(meta["source_url"]) if meta.get("source_url") else None),
        kind=str(meta.get("kind") or "article"),
        translation_from=translation.get("from"),
        translation_status=translation.get("status"),
        translation_provider=translation.get("provider"),
        image=_image(meta.get("image")),
        journal=(str(meta["journal"]) if meta.get("journal") else None),
        doi=(str(meta["doi"]) if meta.get("doi") else None),
        input_kind=(str(meta["input_kind"]) if meta.get("input_kind") else None),
    )


#: what ingest writes in ``image:`` (the schema's pattern): anything else is not published
_IMAGE = re.compile(r"img/[0-9a-f]{16}\.(?:png|jpg|gif|webp)")


def _image(value) -> str | None:
    return value if isinstance(value, str) and _IMAGE.fullmatch(value) else None


def image_path(article: Article) -> str | None:
    """The hero image's path from the site root of the article's language (``articles/img/...``),
    or None; prefix it with the page's base URL (the image is the same file in both languages)."""
    return f"articles/{article.image}" if article.image else None


def parse_article_name(name: str) -> tuple[str, str] | None:
    """``slug.fr.md`` -> (slug, "fr"); anything else -> None."""
    if not name.endswith(".md"):
        return None
    stem = name[:-3]
    slug, _, lang = stem.rpartition(".")
    if not slug or lang not in LANGS:
        return None
    return slug, lang


def load_articles(articles_dir: Path) -> list[Article]:
    """Read the front matter of every ``<slug>.<lang>.md`` under ``articles_dir``.

    File I/O lives here, at the edge; everything downstream is pure.
    """
    articles: list[Article] = []
    if not articles_dir.is_dir():
        return articles
    for path in sorted(articles_dir.glob("*.md")):
        parsed = parse_article_name(path.name)
        if parsed is None:
            continue
        slug, lang = parsed
        meta = read_meta(path)
        articles.append(article_from_meta(meta, slug=slug, lang=lang))
    return articles


@dataclass
class Catalogue:
    """All articles of the site, indexed by language and by slug."""

    articles: list[Article] = field(default_factory=list)
    #: the docs directory the articles were read from, where a hero image's file is (its
    #: width and height for the listing cards: site/listings.py); None: not known
    docs_dir: Path | None = None

    def __post_init__(self) -> None:
        self._by_slug: dict[str, dict[str, Article]] = {}
        for art in self.articles:
            self._by_slug.setdefault(art.slug, {})[art.lang] = art
        self._by_lang: dict[str, list[Article]] = {
            lang: sorted((a for a in self.articles if a.lang == lang), key=Article.sort_key)
            for lang in LANGS
        }

    @classmethod
    def from_articles(cls, articles: Iterable[Article]) -> Catalogue:
        return cls(list(articles))

    def in_lang(self, lang: str) -> list[Article]:
        """Articles written in (or translated into) ``lang``, newest first."""
        return self._by_lang.get(lang, [])

    def get(self, slug: str, lang: str) -> Article | None:
        return self._by_slug.get(slug, {}).get(lang)

    def versions(self, slug: str) -> dict[str, Article]:
        return dict(self._by_slug.get(slug, {}))

    def slugs(self) -> list[str]:
        return sorted(self._by_slug)

    def missing_in(self, lang: str) -> list[Article]:
        """Articles with no version in ``lang``: the version that does exist,
        newest first (an untranslated French original, for ``en``)."""
        out = []
        for versions in self._by_slug.values():
            if lang not in versions:
                out.append(next(iter(sorted(versions.values(), key=lambda a: a.lang))))
        return sorted(out, key=Article.sort_key)
