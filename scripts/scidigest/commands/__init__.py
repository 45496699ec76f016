"""The subcommands of ``scidigest`` (:mod:`scidigest.cli` wires them together).

One module per subcommand, each exposing ``register(subparsers)`` (its options,
``set_defaults(func=run)``) and ``run(args) -> int`` (the exit code):

    ingest     ``scidigest ingest``: sources -> articles (:mod:`scidigest.ingest`)
    translate  ``scidigest translate``: French originals -> English pages
               (:mod:`scidigest.translate`), ``--check``, ``--mark-reviewed``
    check      ``scidigest check``: validate the content tree (:mod:`scidigest.check`)
    add        ``scidigest add``: the first step of a content pull request
               (copy the source, write its sidecar, ingest it)
    serve      ``scidigest serve``: the live preview (:mod:`scidigest.site.preview`)

The modules are imported by name (``scidigest.commands.check``), not from this
package, so one command's dependencies load only when it runs.
"""

__all__ = ["add", "check", "ingest", "serve", "translate"]
