"""Everything that relies on how mkdocs-static-i18n 1.3.1 works inside.

None of this is i18n's documented API; each function says what it relies on.
Written for the version in :data:`scidigest.versions.WRITTEN_FOR`.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

from scidigest.site.catalogue import DEFAULT_LANG
from scidigest.site.listings import PlannedPage


def plugin_language(config) -> str:
    """The language i18n is building: its plugin's ``current_language``
    attribute (it builds each language in its own pass, the default first,
    the others nested inside the default pass's ``on_post_build``)."""
    plugin = config.plugins.get("i18n")
    lang = getattr(plugin, "current_language", None) if plugin else None
    return lang or DEFAULT_LANG


def generated_file(config, page: PlannedPage):
    """A MkDocs ``File`` for a generated page, carrying the attributes i18n
    sets on the files it sorts in its ``on_files`` (``locale``,
    ``locale_alternate_of``, ``localization``, ``norm_src_uri``,
    ``alternates``; see ``mkdocs_static_i18n/folder.py``) and reads later
    for the sitemap and the language switcher: without them i18n drops or
    misplaces our pages."""
    from mkdocs.structure.files import File

    file = File.generated(config, page.src_uri, content=page.markdown)
    dest = (page.url + "index.html") if page.url.endswith("/") or page.url == "" else page.url
    file.dest_uri = dest
    file.url = page.url or "./"
    file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, dest))
    file.locale = page.lang
    file.locale_alternate_of = page.lang
    file.localization = page.lang
    file.norm_src_uri = page.src_uri
    file.alternates = {page.lang: file}
    for other, url in page.translations.items():
        file.alternates[other] = SimpleNamespace(url=url, page=None, locale=other)
    file.sd_planned = page
    return file


def set_sitemap_pages(config, lang: str, files) -> None:
    """i18n's sitemap lists ``plugin.i18n_files_per_language[lang]``, which it
    fills in its own ``on_files`` (before ours adds the generated pages):
    replace it with our indexable pages (every page but the untranslated
    notices)."""
    plugin = config.plugins.get("i18n")
    if plugin is not None and hasattr(plugin, "i18n_files_per_language"):
        plugin.i18n_files_per_language[lang] = [
            f for f in files.documentation_pages()
            if getattr(getattr(f, "sd_planned", None), "kind", "") != "untranslated"
        ]


def language_switcher(config) -> list[dict]:
    """Material's language switcher entries (``extra.alternate``), as i18n
    left them for this page: with ``reconfigure_material`` it assigns
    ``config.extra.alternate`` as an attribute (not the dict key) before each
    page at priority 50, and Jinja reads the attribute first, so that list
    is the one to edit."""
    return getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
