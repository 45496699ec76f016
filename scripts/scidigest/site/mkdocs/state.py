"""What one ``mkdocs build`` (every language pass) shares between events: one object.

:func:`start` makes a new :class:`Build` when the default language's pass
begins (the first pass of every build, ``mkdocs serve`` rebuilds included),
so nothing from a previous build is ever seen; :func:`current` returns it to
the later events. That one reference is the only module-level state of
:mod:`scidigest.site.mkdocs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scidigest.site.catalogue import Catalogue
from scidigest.site.listings import PlannedPage
from scidigest.site.mkdocs.speed import SpeedCaches
from scidigest.site.related import Neighbours


@dataclass
class Build:
    #: whether this build takes the faster paths (see :mod:`scidigest.site.mkdocs.speed`)
    speedups: bool
    #: whether Material's search entries are read without a JSON round trip (:mod:`.material`)
    search_shortcut: bool
    catalogue: Catalogue = field(default_factory=Catalogue)
    #: url -> generated page, for the pass in progress
    planned: dict[str, PlannedPage] = field(default_factory=dict)
    #: src_uri -> (body, front matter) of every article, read once per build
    sources: dict[str, tuple[str, dict]] = field(default_factory=dict)
    #: languages of the passes in progress: i18n nests the English pass inside
    #: the French post-build and leaves its own current_language at "en"
    #: afterwards, so the French post-build must not ask it
    passes: list[str] = field(default_factory=list)
    #: compiled templates, theme listings and Markdown parsers kept across passes
    caches: SpeedCaches = field(default_factory=SpeedCaches)
    #: the inline scripts the theme's templates can write (csp.theme_script_pattern), once per build
    theme_scripts: re.Pattern | None = None
    #: language -> (the catalogue it was made from, the related/previous/next index of its
    #: articles: site.related), made on first use
    neighbours: dict[str, tuple[Catalogue, Neighbours]] = field(default_factory=dict)
    #: language -> (the catalogue, the newest date, modified else published, of its articles), for the sitemap
    newest_date: dict[str, tuple] = field(default_factory=dict)
    #: language -> url -> title of its generated pages, for the breadcrumbs (``planned`` holds
    #: only the pass in progress; the live preview renders any language at any time)
    titles: dict[str, dict[str, str]] = field(default_factory=dict)
    #: language -> (the catalogue, the slugs its feed lists) and language -> slug -> the final
    #: body of those articles, for the feed's content:encoded (hooks._keep_for_feed)
    feed_window: dict[str, tuple] = field(default_factory=dict)
    feed_html: dict[str, dict[str, str]] = field(default_factory=dict)
    #: the articles whose page took its preview this build ((lang, slug)), and the cached cards
    #: those pages used: a build that made every article's page prunes the card cache
    previews: set[tuple[str, str]] = field(default_factory=set)
    cards_used: set[str] = field(default_factory=set)


class _Current:
    build: Build | None = None


def start(*, speedups: bool, search_shortcut: bool) -> Build:
    """A fresh :class:`Build`, now the current one."""
    _Current.build = Build(speedups=speedups, search_shortcut=search_shortcut)
    return _Current.build


def current() -> Build | None:
    """The build in progress (None before the first ``on_pre_build``)."""
    return _Current.build


def end() -> None:
    """Forget the build (after an error: the next one starts clean anyway)."""
    _Current.build = None
