"""``scidigest ingest [PATH ...] [--out DIR] [--force] [--dry-run]``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..ingest.cache import DEFAULT_CACHE_DIR
from ..ingest.writer import DEFAULT_OUT, DEFAULT_SOURCES, ingest
from ..names import display_name, error_line


def register(sub) -> None:
    p = sub.add_parser("ingest", help="turn raw source texts into Markdown articles with front matter")
    p.add_argument("paths", nargs="*", type=Path, help=f"source files or folders (default: {DEFAULT_SOURCES}/)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT}/)")
    p.add_argument("--force", action="store_true",
                   help=f"overwrite articles that were edited by hand, and rebuild every article without reading "
                        f"the re-ingest cache ($SCIDIGEST_CACHE_DIR, default {DEFAULT_CACHE_DIR}/)")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("--report-dropped", action="store_true",
                   help="list, per source, the lines dropped as boilerplate or lifted as metadata, and any other word "
                        "of the source missing from its article (there should be none)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="run the cleaning stages in N worker processes (0: one per CPU); the articles are "
                        "the same byte for byte (default 1; worth it from a few dozen sources)")
    p.set_defaults(func=run)


def _jobs(value: str) -> int:
    import argparse

    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes") from None
    if n < 0:
        raise argparse.ArgumentTypeError("--jobs must be 0 (one per CPU) or more")
    if n == 0:
        n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return n


def cache_dir() -> Path:
    """Where the re-ingest cache lives: ``$SCIDIGEST_CACHE_DIR``, else
    ``.cache/scidigest/`` in the current folder (next to ``sources/``)."""
    return Path(os.environ.get("SCIDIGEST_CACHE_DIR") or DEFAULT_CACHE_DIR)


def run(args) -> int:
    report = ingest(args.paths or [DEFAULT_SOURCES], args.out, force=args.force, dry_run=args.dry_run,
                    progress=sys.stderr.isatty(), report_dropped=args.report_dropped, cache_dir=cache_dir(),
                    jobs=args.jobs)
    for r in report.results:
        name = display_name(r.source)
        if r.status == "failed":
            print(error_line(r.source, r.message), file=sys.stderr)
            continue
        if r.status == "skipped":
            print(error_line(r.source, r.message, prefix="skipped"), file=sys.stderr)
            continue
        for w in r.warnings:
            print(error_line(r.source, w, prefix="warning"), file=sys.stderr)
        if r.preservation is not None:
            _print_preservation(name, r.preservation)
        if r.status == "kept":
            print(error_line(r.source, r.message, prefix="kept"), file=sys.stderr)
        elif r.status != "unchanged" and not args.quiet:
            print(f"{r.status}: {r.output}")
    for orphan in report.orphans:
        print(error_line(orphan, f"its source is no longer in {DEFAULT_SOURCES}/; delete the article or restore the source",
                         prefix="warning"), file=sys.stderr)
    prefix = "ingest (dry run)" if args.dry_run else "ingest"
    print(f"{prefix}: {report.summary()}")
    return 1 if report.failed else 0


def _print_preservation(name: str, p) -> None:
    print(f"{name}: {len(p.boilerplate)} boilerplate line(s) dropped, {len(p.lifted)} metadata line(s) lifted")
    for line in p.boilerplate:
        print(f"    dropped: {line}")
    for line in p.lifted:
        print(f"    lifted:  {line}")
    if p.unexplained:
        print(f"    MISSING from the article ({len(p.unexplained)} words): {' '.join(p.unexplained)}")
