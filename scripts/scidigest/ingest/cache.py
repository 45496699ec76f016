"""The re-ingest fast path: a source whose bytes, sidecar and ingest code are
unchanged, and whose article on disk is byte for byte what ingest last wrote
for it, is reported ``unchanged`` without being rebuilt.

The cache is derived state, kept outside ``docs/`` and ``site/``
(``.cache/scidigest/`` by default, git-ignored): deleting it changes nothing
but time, and ``scidigest ingest --force`` does not read it. One JSON file per
output folder holds, per source (by absolute path):

* ``source`` / ``sidecar``: SHA-256 of the source's bytes and of its sidecar's
  (None: no sidecar);
* ``output`` / ``output_sha256``: the article file name and the SHA-256 of the
  text ingest wrote (or found identical) there;
* ``warnings``: what the full run reported, replayed on a hit;

and, per article file content (SHA-256), the ``source_file`` it claims (None
for a translation), so the scan of ``docs/articles/`` that finds which article
belongs to which source parses only the files that changed.

A hit needs all of: the same :func:`code_version` (a hash of the ingest
package's source and data files, the shared modules, and the versions of the
libraries that shape the output); the same source and sidecar bytes; the
article that claims the source on disk being the recorded file, with the
recorded bytes. The last check is what keeps hand edits safe: it reads and
hashes the article (tens of microseconds), so an article edited by hand, even
with its size and time stamp kept, never matches and goes through the full
path, which notices the edit and keeps the file. Anything else (a new or
changed source, a sidecar added or removed, a deleted or edited article, new
ingest code) also takes the full path, whose result is then recorded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ..frontmatter import read_meta, write_atomic
from ..sidecar import sidecar_path

DEFAULT_CACHE_DIR = Path(".cache/scidigest")
#: bump when the layout of the cache file changes
FORMAT = 1
#: distributions whose version can change what ingest writes
_LIBRARIES = ("PyYAML", "python-slugify", "text-unidecode", "charset-normalizer", "ftfy", "py3langid",
              "dateparser", "Babel", "wordfreq", "nh3", "jsonschema", "fastjsonschema", "trafilatura",
              "pdfminer.six", "lxml", "lxml_html_clean", "pillow")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of everything that decides what ingest writes, besides the
    source and its sidecar: the ``scidigest.ingest`` package, the shared
    top-level modules (front matter, schema, sidecar, languages...), the
    ``schema/`` and ``data/`` folders, the Python minor version, and the
    installed versions of :data:`_LIBRARIES`."""
    package = Path(__file__).resolve().parents[1]  # scidigest/

    def source(path: Path) -> bool:  # not bytecode, caches or editor files
        rel = path.relative_to(package).parts
        return path.is_file() and not path.name.endswith((".pyc", "~")) \
            and not any(part.startswith((".", "__pycache__")) for part in rel)

    files = sorted(
        (p for p in [*package.glob("*.py"), *(package / "ingest").rglob("*.py"),
                     *(package / "schema").rglob("*"), *(package / "data").rglob("*")] if source(p)),
        key=lambda p: p.relative_to(package).as_posix(),
    )
    digest = hashlib.sha256(f"format {FORMAT}; python {sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name}=={version}\n".encode())
    return digest.hexdigest()


def cache_file(cache_dir: Path, out_dir: Path) -> Path:
    """The cache of one output folder (two ``--out`` folders never share entries)."""
    key = _sha256(os.path.abspath(out_dir).encode("utf-8"))[:16]
    return Path(cache_dir) / f"ingest-{key}.json"


@dataclass
class Hit:
    """A source's recorded result, valid for this run."""

    output: Path
    slug: str
    warnings: list[str]


@dataclass
class IngestCache:
    """One output folder's cache, loaded at the start of a run and saved at its end."""

    path: Path
    out_dir: Path
    sources: dict[str, dict] = field(default_factory=dict)
    articles: dict[str, str | None] = field(default_factory=dict)  # sha256 of a file -> source_file it claims
    #: article path -> sha256 of its bytes, as scanned at the start of this run
    on_disk: dict[Path, str] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def load(cls, cache_dir: Path, out_dir: Path) -> IngestCache:
        """The cache for ``out_dir``; empty when missing, unreadable, of another
        format or written by other ingest code (it is rebuilt, never trusted)."""
        path = cache_file(cache_dir, out_dir)
        cache = cls(path=path, out_dir=Path(out_dir))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cache
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("code") != code_version():
            cache.changed = True
            return cache
        sources, articles = data.get("sources"), data.get("articles")
        if isinstance(sources, dict) and isinstance(articles, dict):
            cache.sources, cache.articles = sources, articles
        return cache

    def claims(self) -> dict[str, Path]:
        """source_file -> article path for the originals in the output folder,
        as :func:`scidigest.ingest.writer._existing` finds them, parsing only
        the front matter of files whose bytes the cache has not seen."""
        claims: dict[str, Path] = {}
        seen: dict[str, str | None] = {}
        if self.out_dir.is_dir():
            for path in sorted(self.out_dir.glob("*.md")):
                try:
                    digest = _sha256(path.read_bytes())
                except OSError:
                    continue
                self.on_disk[path] = digest
                if digest in self.articles:
                    source_file = self.articles[digest]
                else:
                    try:
                        fm = read_meta(path)
                    except Exception:  # an unreadable article is check's business, not a reason to stop
                        continue
                    source_file = None if "translation" in fm or not fm.get("source_file") else str(fm["source_file"])
                    self.changed = True
                seen[digest] = source_file
                if source_file is not None:
                    claims.setdefault(source_file, path)
        if seen.keys() != self.articles.keys():
            self.changed = True
        self.articles = seen  # only what is on disk now: the table never grows stale
        return claims

    @staticmethod
    def _key(source: Path) -> str:
        return os.path.abspath(source)

    @staticmethod
    def _sidecar_digest(source: Path) -> str | None:
        try:
            return _sha256(sidecar_path(source).read_bytes())
        except FileNotFoundError:
            return None

    def lookup(self, source: Path, data: bytes, claimed: Path | None) -> Hit | None:
        """The recorded result of ``source`` when it still holds: same bytes,
        same sidecar, and ``claimed`` (the article that claims it on disk) is
        the recorded file with the recorded bytes."""
        entry = self.sources.get(self._key(source))
        if entry is None or claimed is None or claimed.name != entry.get("output"):
            return None
        if self.on_disk.get(claimed) != entry.get("output_sha256") or entry.get("source") != _sha256(data):
            return None
        if entry.get("sidecar") != self._sidecar_digest(source):
            return None
        return Hit(output=claimed, slug=claimed.name.split(".")[0], warnings=list(entry.get("warnings") or []))

    def record(self, source: Path, data: bytes, output: Path, text: str, warnings: list[str]) -> None:
        """What the full path produced for ``source`` (status created, updated
        or unchanged: ``output`` now holds ``text``)."""
        written = _sha256(text.encode("utf-8"))
        entry = {"source": _sha256(data), "sidecar": self._sidecar_digest(source), "output": output.name,
                 "output_sha256": written, "warnings": list(warnings)}
        if self.sources.get(self._key(source)) != entry:
            self.sources[self._key(source)] = entry
            self.changed = True
        if self.articles.get(written, "") != source.name:
            self.articles[written] = source.name
            self.changed = True

    def forget(self, source: Path) -> None:
        """No valid record for ``source`` (it failed, or its article is kept as hand-edited)."""
        if self.sources.pop(self._key(source), None) is not None:
            self.changed = True

    def save(self) -> None:
        """Write the cache (atomically) if this run changed it. A cache that
        cannot be written costs the next run time, nothing else."""
        if not self.changed:
            return
        data = {"format": FORMAT, "code": code_version(), "out_dir": os.path.abspath(self.out_dir),
                "sources": self.sources, "articles": self.articles}
        try:
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        except OSError:
            return
        self.changed = False
