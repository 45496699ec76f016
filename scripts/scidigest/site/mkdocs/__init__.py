"""Everything that touches MkDocs, mkdocs-static-i18n or Material, in one place.

* :mod:`.hooks`: the MkDocs event handlers, each with its priority
  (``scripts/hooks.py``, the file ``mkdocs.yml`` names, re-exports them);
* :mod:`.state`: what one build shares between events, one object per build;
* :mod:`.speed`: build-time savings over MkDocs' private code paths, and the
  ``SCIDIGEST_SPEEDUPS=0`` switch that turns them off;
* :mod:`.i18n`: what relies on mkdocs-static-i18n's undocumented internals;
* :mod:`.material`: what relies on Material's search plugin internals.

Each relies on one exact version of those packages, listed with these files
in :data:`scidigest.versions.WRITTEN_FOR` (and pinned by
``tests/site/test_framework_versions.py``). The rest of :mod:`scidigest.site`
is plain functions over plain data, testable without MkDocs.

Absolute imports (``from mkdocs...``) reach the real MkDocs: this package is
``scidigest.site.mkdocs``, never a top-level ``mkdocs``.
"""
