"""The exact versions our code reaches into, and the files that do it.

Some of our modules rely on what a dependency does *inside* (private classes,
undocumented attributes, the order things happen in), not only on its
documented API. Each of those was written against one exact version, listed
in :data:`WRITTEN_FOR` with the files to re-read when that version changes.
``tests/site/test_framework_versions.py`` fails on any other installed
version, naming the package, both versions and those files; the MkDocs
speed-ups (:mod:`scidigest.site.mkdocs.speed`) also check it at build time
and fall back to MkDocs' own code path on a mismatch.

After re-checking the files against the new version (and running the slow
``tests/site/test_speedups_identical_output.py``), update the version here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata

_MKDOCS = "scripts/scidigest/site/mkdocs/"
#: the live preview runs MkDocs' build steps one page at a time (``scidigest serve``)
_PREVIEW = "scripts/scidigest/site/preview/internals.py"

#: distribution name -> (version the code was written for, files to re-check on any other)
WRITTEN_FOR: dict[str, tuple[str, tuple[str, ...]]] = {
    # a copy of Page.render, MkDocs' private tree/preprocessors, Files.add_files_from_theme's
    # use of env.list_templates, theme.get_env, File.generated, mkdocs.utils.meta.get_data and
    # YAML_RE (the front-matter block hooks.py checks against the YAML limits before get_data)
    "mkdocs": ("1.6.1", (_MKDOCS + "speed.py", _MKDOCS + "hooks.py", _PREVIEW)),
    # the same internals when the site is built by ProperDocs (the maintained MkDocs 1.x, which
    # CI also builds with: tests/site/test_properdocs.py). 1.6.7's Page.render differs from
    # MkDocs 1.6.1's only in setting links_to_anchors at every log level (speed.py's copy follows
    # the engine); the private processors it registers are the same
    "properdocs": ("1.6.7", (_MKDOCS + "speed.py", _MKDOCS + "hooks.py", _PREVIEW)),
    # undocumented File attributes (locale, alternates...), i18n_files_per_language,
    # current_language, the nested per-language builds, config.extra.alternate as an attribute
    "mkdocs-static-i18n": ("1.3.1", (_MKDOCS + "i18n.py", _MKDOCS + "hooks.py", _PREVIEW)),
    # the search plugin's search_index (entries, config), the template blocks we override
    "mkdocs-material": ("9.8.1", (_MKDOCS + "material.py", "scripts/theme/", _PREVIEW)),
    # _load_identifier, _encode, _sparse_score, tk_nextmove, _alias_pairs
    "py3langid": ("0.4.0", ("scripts/scidigest/ingest/langid.py",)),
    # the ``requests`` name inside deep_translator.{deepl,google,libre,mymemory}; our subclasses
    # (DeeplClient, LibreClient, MyMemoryClient) rely on the parents' _base_url, _source, _target,
    # api_key, email and _same_source_target; GoogleTranslator's _base_url and page parsing
    "deep-translator": ("1.11.4", ("scripts/scidigest/translate/providers.py",)),
}


@dataclass(frozen=True)
class Mismatch:
    package: str
    found: str | None  # None: not installed
    written_for: str
    files: tuple[str, ...]

    def __str__(self) -> str:
        found = self.found if self.found is not None else "not installed"
        return (f"{self.package} {found} is installed, but our code that relies on its internals was "
                f"written for {self.written_for}; re-check {', '.join(self.files)} against "
                f"{self.package} {found}, then update WRITTEN_FOR in scripts/scidigest/versions.py")


def installed(package: str) -> str | None:
    """The installed version of distribution ``package``, or None."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def engine() -> str:
    """The distribution running as ``mkdocs`` in this process: "properdocs" under the
    ``properdocs`` command (its ``properdocs.replacement`` maps every ``mkdocs.*`` import to
    ``properdocs.*``, so our ``from mkdocs...`` imports get ProperDocs' code), else "mkdocs"."""
    module = sys.modules.get("mkdocs")
    return "properdocs" if getattr(module, "__name__", "mkdocs") == "properdocs" else "mkdocs"


def mismatch(package: str) -> Mismatch | None:
    """How the installed ``package`` differs from the one :data:`WRITTEN_FOR` names, or None."""
    written_for, files = WRITTEN_FOR[package]
    found = installed(package)
    if found == written_for:
        return None
    return Mismatch(package, found, written_for, files)


def mismatches() -> list[Mismatch]:
    """Every package of :data:`WRITTEN_FOR` whose installed version is not the one written for."""
    return [m for m in map(mismatch, WRITTEN_FOR) if m is not None]
