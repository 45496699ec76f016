"""`scidigest serve`: the live preview (:mod:`scidigest.site.preview`), what
``make serve`` runs.

Builds the site once from what the repository holds (as ``mkdocs build``
would) into a cache directory, serves it on 127.0.0.1, and after each save
renders again only what the saved file changes; the open page reloads. A
change to ``mkdocs.yml``, the theme overrides or the Python code restarts the
whole process (a full build, as ``mkdocs serve`` does on every save). Plain
``mkdocs serve`` still works and needs none of this.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import threading
import time
from pathlib import Path

#: where the preview writes the site it serves: outside docs/ and site/, safe to delete
DEFAULT_CACHE = Path(".cache") / "scidigest-preview"

_IGNORED_SUFFIXES = (".pyc", ".swp", ".swx", ".tmp", "~")


def register(sub) -> None:
    p = sub.add_parser(
        "serve",
        help="live preview on http://127.0.0.1:8000 (an edit shows in about a second)",
        description="Build the site once, serve it, and after each save render again only the "
                    "pages the saved file changes; the browser reloads. Pages are byte for byte "
                    "those of `mkdocs build`.",
    )
    p.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="default: mkdocs.yml")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="address to serve on (default: 127.0.0.1:8000)")
    p.add_argument("--cache-dir", type=Path, default=None,
                   help=f"where the served site is written (default: {DEFAULT_CACHE} next to mkdocs.yml); "
                        "deleted and rebuilt at each start")
    p.add_argument("--no-code-restart", action="store_true",
                   help="do not restart when scidigest's Python code changes (mkdocs.yml, the theme and "
                        "the hook file still restart it)")
    p.add_argument("--no-reload", action="store_true",
                   help="do not add the reload script to pages (every byte is mkdocs build's)")
    p.set_defaults(func=run)


def _ignored(path: Path) -> bool:
    return (path.name.endswith(_IGNORED_SUFFIXES) or "__pycache__" in path.parts
            or any(part.startswith(".") for part in path.parts[-2:]))


def _unused_code(path: Path, package: Path) -> bool:
    """A Python file of the scidigest package this process never imported
    (ingestion, translation...): editing it cannot change the site."""
    if path.suffix != ".py" or package not in path.parents:
        return False
    loaded = {Path(m.__file__).resolve() for m in list(sys.modules.values()) if getattr(m, "__file__", None)}
    return path.resolve() not in loaded


def watch_roots(config, config_file: Path) -> tuple[Path, list[Path]]:
    """(docs directory, the inputs whose change needs a restart): mkdocs.yml,
    the theme's custom directory, the hook files and, last, the scidigest
    package (the hook's code and its data; of its Python files only those
    this process imported count, see :func:`_unused_code`)."""
    import scidigest

    restart = [config_file.resolve()]
    if config.theme.custom_dir:
        restart.append(Path(config.theme.custom_dir).resolve())
    for hook in (config.get("hooks") or {}).values():
        if getattr(hook, "__file__", None):
            restart.append(Path(hook.__file__).resolve())
    restart.append(Path(scidigest.__file__).resolve().parent)
    return Path(config.docs_dir).resolve(), restart


def _restart() -> None:
    """Start this command again in a fresh process (configuration or code changed)."""
    os.execv(sys.executable, [sys.executable, "-m", "scidigest.cli", *sys.argv[1:]])


def run(args: argparse.Namespace) -> int:
    from scidigest.site.preview.engine import Preview, Restart
    from scidigest.site.preview.server import PreviewServer
    from scidigest.site.preview.watch import Watcher

    logging.basicConfig(format="%(message)s")
    logging.getLogger("scidigest.preview").setLevel(logging.INFO)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config_file = args.config_file.resolve()
    if not config_file.is_file():
        print(f"scidigest serve: {args.config_file}: no such file", file=sys.stderr)
        return 2
    host, _, port = args.dev_addr.rpartition(":")
    try:
        port_number = int(port)
    except ValueError:
        print(f"scidigest serve: --dev-addr {args.dev_addr}: expected HOST:PORT", file=sys.stderr)
        return 2
    cache = (args.cache_dir or config_file.parent / DEFAULT_CACHE).resolve()
    site_dir = cache / "site"
    shutil.rmtree(site_dir, ignore_errors=True)
    started = time.perf_counter()
    preview = Preview(config_file, site_dir)
    try:
        preview.start()
    except Exception as error:  # the first build failed: say why, in one line
        print(f"scidigest serve: the site did not build: {error}", file=sys.stderr)
        return 1
    server = PreviewServer(preview, host or "127.0.0.1", port_number, reload=not args.no_reload)
    restart = threading.Event()
    docs, restart_roots = watch_roots(preview.config, config_file)

    package = restart_roots[-1]
    if args.no_code_restart:
        restart_roots = restart_roots[:-1]

    def handle(paths: set[Path]) -> None:
        paths = {p for p in paths if not _ignored(p) and not _unused_code(p, package)}
        if not paths:
            return
        start = time.perf_counter()
        try:
            change = preview.apply(paths)
        except Restart as why:
            print(f"preview: {why} changed: restarting", file=sys.stderr)
            restart.set()
            return
        except Exception as error:  # a bad edit never stops the preview
            print(f"preview: could not apply {', '.join(sorted(map(str, paths)))}: {error}", file=sys.stderr)
            return
        if change:
            print(f"preview: {len(preview.dirty)} page(s) to render after "
                  f"{', '.join(sorted(p.name for p in paths))} ({time.perf_counter() - start:.2f} s)",
                  file=sys.stderr)

    watcher = Watcher([docs, *restart_roots], handle)
    watcher.start()
    server.start()
    print(f"preview: built in {time.perf_counter() - started:.1f} s; serving {server.url} (Ctrl+C to stop)",
          file=sys.stderr, flush=True)
    try:
        while not restart.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("preview: stopped", file=sys.stderr)
        return 0
    finally:
        watcher.stop()
        server.stop()
        preview.close()
    _restart()
    return 0  # pragma: no cover - execv does not return
