"""Live preview: ``scidigest serve`` (``make serve``).

An edit shows in the browser without rebuilding the site: :mod:`.engine`
keeps a full build's state and renders again only the outputs a saved file
changes, through MkDocs' own page pipeline, so a page served by the preview
is byte for byte the page ``mkdocs build`` writes. :mod:`.server` serves the
output on 127.0.0.1, renders stale pages when the browser asks for them and
tells the browser to reload; :mod:`.watch` turns saved files into changes.
Everything that relies on MkDocs, mkdocs-static-i18n or Material internals is
in :mod:`.internals`.
"""

__all__ = ["engine", "internals", "server", "watch"]
