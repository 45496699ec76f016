"""`scidigest add FILE|URL [--url URL] [--title TITLE] [--date YYYY-MM-DD]`: the first
step of a content pull request. Copies the source into sources/ (or fetches the page
or PDF at URL and stores its bytes there, see :mod:`scidigest.ingest.fetch`), writes
its sidecar from the options, ingests it and prints what to commit."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

import yaml

from scidigest.frontmatter import write_atomic
from scidigest.ingest.assets import files_dir
from scidigest.ingest.fetch import (
    DEFAULT_TIMEOUT,
    EXTENSIONS,
    FetchError,
    fetch,
    is_url,
    record_url,
    source_name,
    url_stem,
    with_suffix_hash,
)
from scidigest.ingest.fetchimages import page_images
from scidigest.ingest.readers import FORMATS, document_format, read_document
from scidigest.ingest.writer import ingest, max_bytes
from scidigest.names import one_line
from scidigest.safefiles import UnsafeFileError, read_regular
from scidigest.sidecar import SIDECAR_SUFFIX, sidecar_name

SOURCES = Path("sources")
ARTICLES = Path("docs/articles")


def register(sub) -> None:
    p = sub.add_parser(
        "add",
        help="add a source (text, PDF, HTML page or URL): store it in sources/, write its sidecar, ingest it",
        description="Copy FILE into sources/ (or fetch URL and store the page or PDF there), write "
                    "sources/<name>.meta.yaml from the options (only those given, merged into an "
                    "existing sidecar), ingest it into docs/articles/ and print the files to commit. "
                    "Nothing is left behind if fetching or ingestion fails.",
    )
    p.add_argument("file", metavar="FILE_OR_URL",
                   help="the raw source: a text (.txt, .md), a PDF (.pdf), a web page (.html), "
                        "or an http(s):// address to fetch (an HTML page or a PDF)")
    p.add_argument("--url", help="where the text was published (https://…); sets source_url "
                                 "(for a fetched URL, default: the address after redirects)")
    p.add_argument("--title", help="the article's title, if the source's own is wrong or missing")
    p.add_argument("--date", help="publication date, YYYY-MM-DD")
    p.add_argument("--slug", help="the article's slug (its URL), if the generated one is not good")
    p.add_argument("--name", help="file name to use in sources/ (default: FILE's name; for a URL, "
                                  "one made from the address or the page's title)")
    p.add_argument("--replace", action="store_true",
                   help="store the new bytes even if sources/<name> holds an older copy of the source")
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"for a URL: seconds to wait for the server (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--root", type=Path, default=Path("."), help="repository root (default: .)")
    p.set_defaults(func=run)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < 3600:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds between 0 and 3600")
    return seconds


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
    try:
        data = sidecar_data(args)
    except ValueError as exc:
        print(f"scidigest add: {exc}", file=sys.stderr)
        return 2
    if is_url(args.file):
        return _add_url(args, root, data)
    src = Path(args.file)
    if not src.is_file():
        print(f"scidigest add: {src}: no such file", file=sys.stderr)
        return 2
    name = args.name or src.name
    problem = _bad_name(name)
    if problem:
        print(f"scidigest add: {problem}", file=sys.stderr)
        return 2
    try:  # the file the user names may be a link; what it leads to must be a regular file
        content = read_regular(Path(os.path.realpath(src)), max_bytes(name))
    except (UnsafeFileError, OSError) as exc:
        print(f"scidigest add: {src}: {one_line(exc)}", file=sys.stderr)
        return 2
    dest = SOURCES / name
    if (root / dest).exists() and (root / dest).read_bytes() != content and not args.replace:
        print(f"scidigest add: {dest} already exists with other content; pass --name to add "
              "this text under another name (or --replace if it is a newer copy)", file=sys.stderr)
        return 2
    return _place_and_ingest(root, name, content, data)


def _bad_name(name: str) -> str | None:
    if name.endswith(SIDECAR_SUFFIX) or name.startswith((".", "_")) or "/" in name or "\\" in name:
        return f"{name!r} cannot be a source name (hidden, a sidecar's name, or a path)"
    return None


# ------------------------------------------------------------------ a URL
def _add_url(args: argparse.Namespace, root: Path, data: dict) -> int:
    """Fetch the page or PDF, choose its name in sources/, then add it as a file would be.

    ``source_url`` is the address after redirects (without fragment and tracking parameters):
    where the stored bytes really came from, and not a shortener or a campaign link. ``--url``
    overrides it. It goes into the sidecar, so it also beats the canonical URL a page declares."""
    try:
        got = fetch(args.file, timeout=args.timeout)
    except FetchError as exc:
        print(f"scidigest add: {exc}", file=sys.stderr)
        return 1
    recorded = record_url(got.final_url)
    data.setdefault("source_url", recorded)
    ext = EXTENSIONS[got.kind]
    if args.name:
        name = args.name
        problem = _bad_name(name)
        if problem is None and document_format(name) != got.kind:
            problem = f"--name {name!r} must end in {ext}: {args.file} is {'a PDF' if got.kind == 'pdf' else 'an HTML page'}"
        if problem:
            print(f"scidigest add: {problem}", file=sys.stderr)
            return 2
    else:
        name = _known_name(root, {recorded, data["source_url"]}, got.kind)
        if name is None:
            title = _declared_title(got) if url_stem(recorded) is None else None
            name = source_name(recorded, got.kind, title)
    for candidate in (name, with_suffix_hash(name, recorded)):
        state = _holder(root, candidate, got.data, {recorded, data["source_url"]})
        if state in ("free", "same bytes"):
            name = candidate
            break
        if state == "older copy":
            if args.replace:
                name = candidate
                break
            print(f"scidigest add: {args.file}: sources/{candidate} holds an older copy of this document "
                  "(the bytes differ); pass --replace to store the new one", file=sys.stderr)
            return 2
        if args.name:  # the name the user chose belongs to another source
            print(f"scidigest add: sources/{candidate} already exists with other content; "
                  "choose another --name", file=sys.stderr)
            return 2
    else:
        print(f"scidigest add: {args.file}: sources/{name} and sources/{candidate} belong to other "
              "sources; pass --name", file=sys.stderr)
        return 2
    size = f"{len(got.data) / 1024:.0f} KB" if len(got.data) >= 1024 else f"{len(got.data)} bytes"
    via = f" (redirected to {got.final_url})" if got.final_url != got.url else ""
    print(f"fetched: {got.url}{via}: {'PDF' if got.kind == 'pdf' else 'HTML page'}, {size} "
          f"-> {(SOURCES / name).as_posix()}")
    extra = []
    if got.kind == "html":  # its figures' images, from its own host (ingest/fetchimages.py)
        try:
            images, skipped = page_images(got.final_url, name, got.data, timeout=args.timeout)
        except Exception as exc:  # a page the reader refuses: ingest says why, below
            images, skipped = [], [f"{got.final_url}: images not fetched ({one_line(exc)})"]
        folder = SOURCES / files_dir(Path(name)).name
        for image in images:
            print(f"fetched image: {image.url} -> {(folder / image.name).as_posix()}")
            extra.append((folder / image.name, image.data))
        for line in skipped:
            print(f"image not kept: {line} (its caption will say the image is not reproduced)")
    return _place_and_ingest(root, name, got.data, data, extra)


def _article_images(root: Path, article: Path | None) -> list[Path]:
    """The stored images an article names (``docs/articles/img/...``), to commit with it."""
    if article is None or not (root / article).is_file():
        return []
    names = sorted(set(re.findall(r"\]\((img/[0-9a-f]{16}\.(?:png|jpg|gif|webp))\)", (root / article).read_text("utf-8"))))
    return [ARTICLES / n for n in names if (root / ARTICLES / n).is_file()]


def _holder(root: Path, name: str, content: bytes, urls: set[str]) -> str:
    """Who holds sources/NAME: "free", "same bytes", "older copy" (of this URL), or "other"."""
    path = root / SOURCES / name
    if not path.exists():
        return "free"
    if path.read_bytes() == content:
        return "same bytes"
    return "older copy" if _sidecar_url(path) in urls else "other"


def _sidecar_url(source: Path) -> str | None:
    side = source.with_name(sidecar_name(source.name))
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) if side.exists() else None
    except (yaml.YAMLError, ValueError, OSError):
        return None
    return data.get("source_url") if isinstance(data, dict) else None


def _known_name(root: Path, urls: set[str], kind: str) -> str | None:
    """The name under which this URL was already added (whatever name it got then)."""
    folder = root / SOURCES
    if not folder.is_dir():
        return None
    for side in sorted(folder.glob("*" + SIDECAR_SUFFIX)):
        stem = side.name[: -len(SIDECAR_SUFFIX)]
        for ext in [e for e, k in FORMATS.items() if k == kind]:
            source = side.with_name(stem + ext)
            if source.is_file() and _sidecar_url(source) in urls:
                return source.name
    return None


def _declared_title(got) -> str | None:
    """The title the document declares (for naming a page whose address says nothing)."""
    try:
        return read_document("page" + EXTENSIONS[got.kind], got.data).declared.title
    except Exception:  # a page the reader refuses gets a name from its host; ingest then says why
        return None


# ------------------------------------------------------------------ store, ingest, or roll back
def _place_and_ingest(root: Path, name: str, content: bytes, data: dict,
                      extra: list[tuple[Path, bytes]] | tuple = ()) -> int:
    """Store the source (and ``extra`` files: a fetched page's images), ingest it; on failure
    put back what was there before and remove what was added."""
    dest = SOURCES / name
    side = SOURCES / sidecar_name(name)
    old_src = (root / dest).read_bytes() if (root / dest).exists() else None
    old_side = (root / side).read_bytes() if (root / side).exists() else None
    side_text = None
    if data:
        try:
            existing = yaml.safe_load(old_side.decode("utf-8")) if old_side is not None else {}
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            print(f"scidigest add: {side} is not valid YAML; fix or remove it first", file=sys.stderr)
            return 2
        existing = existing if isinstance(existing, dict) else {}
        existing = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in existing.items()}
        merged = {**existing, **data}
        if merged != existing or old_side is None:
            side_text = ("# Metadata for " + name + " (see CONTRIBUTING.md). Fields override what ingest "
                         "finds in the source.\n" + yaml.safe_dump(merged, allow_unicode=True, sort_keys=True))

    if old_src != content:
        write_atomic(root / dest, content)
    if side_text is not None:
        write_atomic(root / side, side_text)
    old_extra = [(path, (root / path).read_bytes() if (root / path).is_file() else None) for path, _ in extra]
    for path, blob in extra:
        if not (root / path).is_file() or (root / path).read_bytes() != blob:
            write_atomic(root / path, blob)

    [result] = [r.relative_to(root) for r in ingest([root / dest], root / ARTICLES).results]
    if result.status == "failed":
        for path, old in ((dest, old_src), (side, old_side), *old_extra):
            if old is None:
                (root / path).unlink(missing_ok=True)
            elif (root / path).read_bytes() != old:
                write_atomic(root / path, old)
        for folder in sorted({(root / p).parent for p, _ in extra}):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        print(f"scidigest add: {dest} cannot be ingested: {one_line(result.message)}", file=sys.stderr)
        print("Nothing was added. Fix the source (or the options) and run `scidigest add` again.",
              file=sys.stderr)
        return 1
    for w in result.warnings:
        print(f"warning: {dest}: {w}", file=sys.stderr)
    if result.status == "kept":
        print(f"kept: {result.output} was edited by hand and was not regenerated "
              "(see `scidigest ingest --force`)", file=sys.stderr)
    print(f"{result.status}: {result.output}")
    to_commit = [dest] + ([side] if (root / side).exists() else []) + [p for p, _ in extra] + [result.output]
    to_commit += _article_images(root, result.output)
    print("\nNext steps:")
    print("  scidigest translate   # optional: an English version (needs a provider)")
    print("  scidigest check       # what CI will check")
    print("  mkdocs serve          # preview on http://127.0.0.1:8000")
    print("Then commit:")
    print("  git add -- " + " ".join(p.as_posix() for p in to_commit))
    print(f'  git commit -m "Add source: {name}"')
    return 0
