"""What crawlers and link previews get besides the text: the preview image of a
page, an organisation's web address, an article's last-modified date.

Kept apart from :mod:`.meta` (which prints them) so the choices are one
function each and testable without a build.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources

import yaml

from scidigest.site import cards
from scidigest.site.catalogue import Article, image_path
from scidigest.site.labels import t
from scidigest.site.sanitize import safe_url


@dataclass(frozen=True)
class Preview:
    """The image a link preview shows: site-root-relative path, size when known, alt text."""

    path: str
    alt: str
    width: int | None = None
    height: int | None = None
    type: str | None = None

    @property
    def large(self) -> bool:
        """Wide enough for Twitter's ``summary_large_image`` (unknown: the article's own
        image, which ingest kept as the text's main picture)."""
        return self.width is None or self.width >= 300


_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def preview(lang: str, article: Article | None, *, card: str | None = None,
            own_size: tuple[int, int] | None = None) -> Preview:
    """What a link to the page shows. The build decides (:func:`.pagecards.article_preview`):
    the article's own image with its size (``own_size``) when it is large enough, else the
    article's own card (``card``, 1200x630). Without either, the article's image (size
    unknown), else the language's card (1200x630, :mod:`.cards`; every listing page)."""
    own = image_path(article) if article is not None else None
    if own and own_size is not None:
        return Preview(path=own, alt=article.title, width=own_size[0], height=own_size[1],
                       type=_TYPES.get(own.rpartition(".")[2]))
    width, height = cards.CARD_SIZE
    if card is not None and article is not None:  # the card shows the title: its alt text is the title
        return Preview(path=card, alt=article.title, width=width, height=height, type="image/png")
    if own:
        return Preview(path=own, alt=article.title, type=_TYPES.get(own.rpartition(".")[2]))
    return Preview(path=cards.card_url(lang), alt=t(lang, "preview_alt"), width=width, height=height,
                   type="image/png")


def modified(article: Article) -> dt.date | None:
    """When the article last changed: its ``modified:`` date, else its publication
    date (never the build's clock), else None."""
    return article.modified or article.date


@functools.lru_cache(maxsize=1)
def _organisation_urls() -> dict[str, str]:
    data = yaml.safe_load(resources.files("scidigest").joinpath("data/organisations.yaml").read_text("utf-8"))
    return {entry["name"]: entry["url"] for entry in data or ()
            if str(entry.get("url", "")).startswith("https://") and safe_url(entry["url"])}


def organisation_url(name: str | None) -> str | None:
    """The home page of an organisation of ``data/organisations.yaml`` (its ``url``), or None."""
    return _organisation_urls().get(name) if name else None
