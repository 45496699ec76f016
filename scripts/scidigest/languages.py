"""The site's languages: the one list every part of scidigest uses.

French is the default language (published at the site root), English is published
under ``/en/``. ``mkdocs.yml`` (mkdocs-static-i18n's ``languages``) and the JSON Schema's
``lang`` enum must say the same; ``tests/test_languages.py`` holds them together.
"""

from __future__ import annotations

#: every language the site is published in, the default first
SITE_LANGUAGES: tuple[str, ...] = ("fr", "en")
#: the language at the site root, and of original articles unless a source says otherwise
DEFAULT_LANGUAGE = SITE_LANGUAGES[0]


def others(lang: str) -> list[str]:
    """The site's languages other than ``lang``, in site order."""
    return [other for other in SITE_LANGUAGES if other != lang]


def other(lang: str) -> str:
    """The other language of this two-language site (English for French, else French)."""
    return others(lang)[0] if lang in SITE_LANGUAGES else DEFAULT_LANGUAGE
