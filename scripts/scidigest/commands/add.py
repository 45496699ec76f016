"""`scidigest add FILE [--url URL] [--title TITLE] [--date YYYY-MM-DD]`: the first
step of a content pull request. Copies the source into sources/, writes its
sidecar from the options, ingests it and prints what to commit."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path

import yaml

from scidigest.ingest.writer import ingest
from scidigest.sidecar import SIDECAR_SUFFIX, sidecar_name

SOURCES = Path("sources")
ARTICLES = Path("docs/articles")


def register(sub) -> None:
    p = sub.add_parser(
        "add",
        help="add a source text: copy it to sources/, write its sidecar, ingest it",
        description="Copy FILE into sources/, write sources/<name>.meta.yaml from the options "
                    "(only those given), ingest it into docs/articles/ and print the files "
                    "to commit. Nothing is left behind if ingestion fails.",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the raw source text (.txt, .md)")
    p.add_argument("--url", help="where the text was published (https://…); sets source_url")
    p.add_argument("--title", help="the article's title, if the source's own is wrong or missing")
    p.add_argument("--date", help="publication date, YYYY-MM-DD")
    p.add_argument("--slug", help="the article's slug (its URL), if the generated one is not good")
    p.add_argument("--name", help="file name to use in sources/ (default: FILE's name)")
    p.add_argument("--root", type=Path, default=Path("."), help="repository root (default: .)")
    p.set_defaults(func=run)


def sidecar_data(args: argparse.Namespace) -> dict:
    """The sidecar fields from the options; raises ValueError with a clear message."""
    data: dict = {}
    if args.title is not None:
        if not args.title.strip():
            raise ValueError("--title must not be empty")
        data["title"] = args.title.strip()
    if args.date is not None:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise ValueError(f"--date {args.date!r} is not a real date written YYYY-MM-DD") from None
        if len(args.date) != 10:
            raise ValueError(f"--date {args.date!r} must be written YYYY-MM-DD")
        data["date"] = day.isoformat()
    if args.url is not None:
        if not args.url.startswith(("https://", "http://")):
            raise ValueError(f"--url {args.url!r} must start with https:// (or http://)")
        data["source_url"] = args.url
    if args.slug is not None:
        data["slug"] = args.slug
    return data


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    src: Path = args.file
    if not src.is_file():
        print(f"scidigest add: {src}: no such file", file=sys.stderr)
        return 2
    try:
        data = sidecar_data(args)
    except ValueError as exc:
        print(f"scidigest add: {exc}", file=sys.stderr)
        return 2
    name = args.name or src.name
    if name.endswith(SIDECAR_SUFFIX) or name.startswith((".", "_")):
        print(f"scidigest add: {name!r} cannot be a source name (hidden, or a sidecar's name)",
              file=sys.stderr)
        return 2
    dest = SOURCES / name
    side = SOURCES / sidecar_name(name)
    if (root / dest).exists() and (root / dest).read_bytes() != src.read_bytes():
        print(f"scidigest add: {dest} already exists with other content; pass --name to add "
              "this text under another name", file=sys.stderr)
        return 2
    created = [p for p in (dest, side) if not (root / p).exists()]
    old_side = (root / side).read_bytes() if (root / side).exists() else None

    (root / SOURCES).mkdir(parents=True, exist_ok=True)
    if (root / dest).resolve() != src.resolve():
        shutil.copyfile(src, root / dest)
    if data:
        (root / side).write_text(
            "# Metadata for " + name + " (see CONTRIBUTING.md). Fields override what ingest "
            "finds in the text.\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True),
            encoding="utf-8")

    [result] = [r.relative_to(root) for r in ingest([root / dest], root / ARTICLES).results]
    if result.status == "failed":
        for p in created:
            (root / p).unlink(missing_ok=True)
        if old_side is not None:
            (root / side).write_bytes(old_side)
        print(f"scidigest add: {dest} cannot be ingested: {result.message}", file=sys.stderr)
        print("Nothing was added. Fix the text (or the options) and run `scidigest add` again.",
              file=sys.stderr)
        return 1
    for w in result.warnings:
        print(f"warning: {dest}: {w}", file=sys.stderr)
    if result.status == "kept":
        print(f"kept: {result.output} was edited by hand and was not regenerated "
              "(see `scidigest ingest --force`)", file=sys.stderr)
    print(f"{result.status}: {result.output}")
    to_commit = [dest] + ([side] if (root / side).exists() else []) + [result.output]
    print("\nNext steps:")
    print("  scidigest translate   # optional: an English version (needs a provider)")
    print("  scidigest check       # what CI will check")
    print("  mkdocs serve          # preview on http://127.0.0.1:8000")
    print("Then commit:")
    print("  git add -- " + " ".join(p.as_posix() for p in to_commit))
    print(f'  git commit -m "Add source: {name}"')
    return 0
