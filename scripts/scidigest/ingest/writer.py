"""``scidigest ingest``: sources in, article files out; one bad source never stops the others.

The pure stages are written out in :func:`scidigest.ingest.flow.build_article`;
this module renders once the slug is chosen. :func:`ingest` is the edge: it finds
sources, reads bytes and sidecars, picks stable unique slugs, compares with
what is on disk (unchanged / updated / hand-edited) and writes atomically.
It streams: memory stays flat however many sources there are (only slugs and
a source->slug map are kept).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from slugify import slugify

from ..frontmatter import is_hand_edited, locate, read_meta, split, write_atomic
from ..limits import article_breaches, meta_breaches
from ..names import has_control, slug_problem, unreserved
from ..safefiles import Skip, UnsafeFileError, classify, is_regular, read_regular, walk
from ..schema import validate_front_matter
from ..sidecar import is_sidecar, load_sidecar
from .assets import FILES_SUFFIX, IMAGE_SUFFIXES, loader, store_images
from .cache import IngestCache, cache_file
from .flow import build_article, refuse_past_limits
from .model import IngestError
from .pool import MIN_SOURCES, Prefetch
from .preservation import Preservation, check_preservation
from .readers import FORMATS, document_format
from .render import front_matter, render_article

DEFAULT_SOURCES = Path("sources")
DEFAULT_OUT = Path("docs/articles")
SLUG_MAX = 80
STATUSES = ("created", "updated", "unchanged", "kept", "failed", "skipped")
#: extensions read as source texts; any other file in a sources folder is reported, not guessed at
SOURCE_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".text", "", *FORMATS})
#: folders inside sources/ that hold project data, not sources
NOT_SOURCE_DIRS = frozenset({"translation-memory"})


@dataclass
class SourceResult:
    source: Path
    status: str  # one of STATUSES
    output: Path | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    preservation: Preservation | None = None  # filled when ingest(..., report_dropped=True)

    def relative_to(self, root: Path) -> SourceResult:
        """The same result with its paths relative to ``root`` (as ``check`` and ``add`` print them)."""
        return replace(self, source=_relative(self.source, root), output=_relative(self.output, root))


def _relative(path: Path | None, root: Path) -> Path | None:
    if path is None or not Path(path).is_absolute():
        return path
    for base in (Path(root).resolve(), Path(root)):
        try:
            return Path(path).relative_to(base)
        except ValueError:
            continue
    return path


@dataclass
class IngestReport:
    results: list[SourceResult] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)  # articles whose source is gone

    @property
    def counts(self) -> Counter:
        return Counter(r.status for r in self.results)

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if r.status == "failed"]

    def summary(self) -> str:
        c = self.counts
        skipped = f", {c['skipped']} skipped" if c["skipped"] else ""
        return (
            f"{c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{c['kept']} kept because hand-edited, {c['failed']} failed{skipped}"
        )


#: python-slugify's transliteration backend, named: "auto" would try to import the optional
#: ``unidecode`` package on every call (a failed import searches sys.path each time) and would
#: silently change every slug if that package were ever installed. text-unidecode is the one
#: the lock file pins, and the one "auto" falls back to today: same slugs, 4x faster.
_SLUG_BACKEND = "text-unidecode"
_SLUG_REPLACEMENTS = (("’", "-"), ("'", "-"))


def base_slug(title: str) -> str:
    s = slugify(title, max_length=SLUG_MAX, word_boundary=True, replacements=_SLUG_REPLACEMENTS,
                backend=_SLUG_BACKEND)
    return unreserved(s) if s else "article"


def clash_suffix(source_file: str) -> str:
    """Deterministic suffix for a slug already taken: depends on the source's name only."""
    return hashlib.sha1(source_file.encode("utf-8")).hexdigest()[:6]


def discover_sources(paths: list[Path]) -> list[Path]:
    """Source files under ``paths``, sorted; sidecars, hidden files and READMEs are not sources."""
    return [path for path, _ in find_sources(paths)[0]]


def find_sources(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[Skip]]:
    """``(path, file to read)`` for every source under ``paths`` (sorted), and what was
    not read: everything that is not a regular file (or a link to one inside the folder)
    is refused before it is opened, hidden files are skipped, each with its reason
    (:func:`scidigest.safefiles.walk`). Sidecars and READMEs are not sources; neither is
    what is inside ``_folders`` and ``translation-memory/``."""
    found: dict[Path, Path] = {}
    skips: list[Skip] = []

    def not_sources(rel: Path) -> bool:  # (an HTML page's images are in <name>_files/: assets.py)
        return rel.name.startswith("_") or rel.name in NOT_SOURCE_DIRS or rel.name.endswith(FILES_SUFFIX)

    for p in paths:
        p = Path(p)
        if p.is_dir() and not p.is_symlink():
            listed, skipped = walk(p, skip_dir=not_sources)
            # a sidecar that is not a regular file is reported with its source (load_sidecar)
            skips += [k for k in skipped if not is_sidecar(k.path)]
        else:
            if p.name.startswith("."):
                skips.append(Skip(p, "hidden file, not read (names starting with '.' are not sources)", refused=False))
                continue
            target, reason = classify(p, p.parent)
            if target is None:
                skips.append(Skip(p, reason))
                continue
            listed = [(p, target)]
        for c, target in listed:
            if is_sidecar(c) or c.name.lower().startswith("readme"):
                continue
            if c.suffix.lower() in IMAGE_SUFFIXES:
                skips.append(Skip(c, "an image: read by the HTML page that names it, not a source", refused=False))
                continue
            found.setdefault(c, target)
    ordered = sorted(found, key=lambda x: (x.name, str(x)))
    return [(c, found[c]) for c in ordered], sorted(skips, key=lambda s: str(s.path))


def _loader(src: Path, sidecar: dict | None):
    """How an HTML source's images are found (:mod:`.assets`); other formats name none."""
    return loader(src, sidecar) if document_format(src.name) == "html" else None


def max_bytes(name: str) -> int:
    """The largest source of this file type that is read at all (checked on the inode, before
    opening): 2 MiB of text, 10 MiB of HTML, 30 MiB of PDF (each reader's own limit)."""
    fmt = document_format(name)
    if fmt == "html":
        from .html import MAX_BYTES
    elif fmt == "pdf":
        from .pdf import MAX_BYTES
    else:
        from .read import MAX_BYTES
    return MAX_BYTES


def _existing(out_dir: Path) -> dict[str, Path]:
    """source_file -> article path, for originals already on disk (translations excluded)."""
    claims: dict[str, Path] = {}
    if not out_dir.is_dir():
        return claims
    for path in sorted(out_dir.glob("*.md")):
        if not is_regular(path):  # a link, pipe or device among the articles is check's business
            continue
        try:
            fm = read_meta(path)
        except Exception:  # an unreadable article is check's business, not a reason to stop
            continue
        if "translation" in fm or not fm.get("source_file"):
            continue
        claims.setdefault(str(fm["source_file"]), path)
    return claims


def ingest(
    paths: list[Path] | None = None,
    out_dir: Path = DEFAULT_OUT,
    *,
    force: bool = False,
    dry_run: bool = False,
    progress: bool = False,
    report_dropped: bool = False,
    cache_dir: Path | None = None,
    jobs: int = 1,
) -> IngestReport:
    """Ingest every source under ``paths`` into ``out_dir``. Never raises for a bad source.

    ``cache_dir`` turns on the re-ingest fast path (:mod:`scidigest.ingest.cache`):
    unchanged sources are reported without being rebuilt. ``force`` does not read
    the cache (it starts a new one); ``dry_run`` does not write it. ``jobs`` > 1 runs
    the pure stages in that many worker processes ahead of this loop
    (:mod:`scidigest.ingest.pool`); the result is the same byte for byte."""
    paths = [Path(p) for p in (paths or [DEFAULT_SOURCES])]
    out_dir = Path(out_dir)
    report = IngestReport()
    sources, skips = find_sources(paths)
    for skip in skips:
        report.results.append(SourceResult(source=skip.path, status="failed" if skip.refused else "skipped",
                                           message=skip.reason))
    cache = None
    if cache_dir is not None:
        cache = IngestCache(path=cache_file(cache_dir, out_dir), out_dir=out_dir, changed=True) if force \
            else IngestCache.load(cache_dir, out_dir)
    claims = cache.claims() if cache is not None else _existing(out_dir)
    fast = cache is not None and not force and not report_dropped
    taken: dict[str, str] = {}  # slug -> source_file
    for source_file, path in claims.items():
        taken[path.name.split(".")[0]] = source_file

    iterator = sources
    if progress:
        from tqdm import tqdm

        iterator = tqdm(sources, desc="ingest", unit="source", leave=False)
    prefetch = None
    if jobs > 1 and len(sources) >= MIN_SOURCES:

        def job(item):  # what the loop below would build, read the same way
            src, readable = item
            if src.suffix.lower() not in SOURCE_EXTENSIONS or has_control(src.name):
                return None
            data = read_regular(readable, max_bytes(src.name))
            if fast and cache.lookup(src, data, claims.get(src.name)) is not None:
                return None
            # (the path of an HTML page, whose images the worker finds beside it: assets.loader)
            return src.name, data, load_sidecar(src), str(src) if document_format(src.name) == "html" else None

        prefetch = Prefetch(sources, job, jobs)
    names_seen: set[str] = set()
    for index, (src, readable) in enumerate(iterator):
        result = SourceResult(source=src, status="failed")
        report.results.append(result)
        built = None
        if has_control(src.name):
            result.message = "file name holds a control or invisible character; rename the file"
            continue
        if src.name in names_seen:
            result.message = "another source has the same file name; rename one of them"
            continue
        names_seen.add(src.name)
        if src.suffix.lower() not in SOURCE_EXTENSIONS:
            result.message = f"unsupported file type {src.suffix!r}: a source is a text file (.txt or .md), a PDF (.pdf) or a web page (.html)"
            continue
        try:
            data = read_regular(readable, max_bytes(src.name))
            hit = cache.lookup(src, data, claims.get(src.name)) if fast else None
            if hit is not None and taken.get(hit.slug, src.name) == src.name:
                taken[hit.slug] = src.name
                result.status, result.output, result.warnings = "unchanged", hit.output, hit.warnings
                continue
            built = prefetch.result(index) if prefetch is not None else None
            if built is None:
                sidecar = load_sidecar(src)
                built = build_article(src.name, data, sidecar, _loader(src, sidecar))
            result.warnings = built.warnings
            meta = built.metadata
            old_path = claims.get(src.name)
            if not meta.slug:
                if old_path is not None and old_path.exists():
                    meta.slug = old_path.name.split(".")[0]  # stable: an article keeps its URL
                else:
                    slug = base_slug(meta.title)
                    if taken.get(slug, src.name) != src.name:
                        slug = f"{slug[: SLUG_MAX - 7].rstrip('-')}-{clash_suffix(src.name)}"
                    meta.slug = slug
            problem = slug_problem(meta.slug)
            if problem:
                raise IngestError(f"{problem}; set 'slug:' in the sidecar")
            owner = taken.get(meta.slug)
            if owner is not None and owner != src.name:
                raise IngestError(f"slug {meta.slug!r} is already used by {owner}; choose another 'slug:' in the sidecar")
            taken[meta.slug] = src.name
            text = render_article(meta, built.cleaned, built.body)
            problems = validate_front_matter(front_matter(meta))
            if problems:
                raise IngestError(f"invalid front matter: {problems[0]}")
            if built.body is not None:  # the body was checked where it was rendered (flow, 5b)
                refuse_past_limits(meta_breaches(front_matter(meta)))
            else:  # the body as written, located without parsing the YAML just rendered
                where = locate(text)
                refuse_past_limits(article_breaches(front_matter(meta), text[where[1] + 4:] if where else text))
            if report_dropped:
                result.preservation = check_preservation(built.source.text, built.cleaned, text)
            target = out_dir / f"{meta.slug}.{meta.lang}.md"
            result.output = target
            result.status = _write(target, text, old_path, force=force, dry_run=dry_run)
            if built.images and not dry_run:
                store_images(out_dir, built.images)
            if result.status == "kept":
                result.message = f"{target} was edited by hand; kept (use --force to overwrite, or move the fix to the sidecar)"
        except (IngestError, UnsafeFileError) as exc:
            result.status, result.message = "failed", str(exc)
        except (OSError, UnicodeError) as exc:
            result.status, result.message = "failed", f"cannot read: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)
        except Exception as exc:  # a bug must not stop the other sources; say what it was
            result.status, result.message = "failed", f"internal error {type(exc).__name__}: {exc}"
        if cache is not None:
            # an article with images takes the full path every time: the cache knows the source's
            # bytes and the article's, not the image files (beside the page, or under img/)
            if result.status in ("created", "updated", "unchanged") and not (built is not None and built.images):
                cache.record(src, data, result.output, text, result.warnings)
            else:
                cache.forget(src)
    if prefetch is not None:
        prefetch.close()
    if cache is not None and not dry_run:
        cache.save()
    if DEFAULT_SOURCES in paths or any(_same_path(p, DEFAULT_SOURCES) for p in paths):
        seen = {r.source.name for r in report.results}
        report.orphans = sorted(p for s, p in claims.items() if s not in seen)
    return report


def _same_path(a: Path, b: Path) -> bool:
    """``a`` and ``b`` are the same place (os.path.realpath: never raises on a link loop)."""
    return os.path.realpath(a) == os.path.realpath(b)


def _write(target: Path, text: str, old_path: Path | None, *, force: bool, dry_run: bool) -> str:
    """Compare with disk and write if needed; return the status."""
    existing = target if target.exists() else (old_path if old_path is not None and old_path.exists() else None)
    if existing is None:
        if not dry_run:
            write_atomic(target, text)
        return "created"
    if not is_regular(existing):
        raise IngestError(f"{existing} is not a regular file (a link, a pipe or a device); remove it and run ingest again")
    current = existing.read_text(encoding="utf-8")
    if current == text and existing == target:
        return "unchanged"
    if not force:
        try:
            front = split(current)[0]
        except Exception:
            front = {}
        if is_hand_edited(current, front):
            return "kept"
    if not dry_run:
        write_atomic(target, text)
        if existing != target:
            existing.unlink()
    return "updated"
