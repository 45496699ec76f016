"""The only place that calls the other parts of scidigest (ingestion, sidecars,
translation). Each function uses the real API when it is importable and
otherwise a documented fallback, so the rules stay plain functions over data.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from .tree import SIDECAR_SUFFIX, MarkdownFile


def _optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


# --------------------------------------------------------------------------- schema
@cache
def article_schema() -> dict:
    text = resources.files("scidigest").joinpath("schema/article.schema.json").read_text("utf-8")
    return json.loads(text)


#: front-matter fields that ingest computes and a sidecar may therefore not set
GENERATED_KEYS = frozenset({
    "lang", "input_kind", "reading_time", "source_file", "source_hash",
    "output_hash", "title_generated", "translation", "hand_edited",
})


def sidecar_allowed_keys() -> frozenset[str]:
    mod = _optional("scidigest.sidecar")
    if mod is not None and hasattr(mod, "ALLOWED_KEYS"):
        return frozenset(mod.ALLOWED_KEYS)
    return frozenset(article_schema()["properties"]) - GENERATED_KEYS


def sidecar_suffix() -> str:
    mod = _optional("scidigest.sidecar")
    return getattr(mod, "SIDECAR_SUFFIX", SIDECAR_SUFFIX)


# --------------------------------------------------------------------------- ingest
@dataclass(frozen=True)
class IngestResult:
    source: Path  # relative to the root
    status: str  # created | updated | unchanged | kept | failed
    output: Path | None  # relative to the root
    message: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)


def ingest_available() -> bool:
    mod = _optional("scidigest.ingest.writer")
    return mod is not None and hasattr(mod, "ingest")


def _rel(p, root: Path) -> Path | None:
    if p is None:
        return None
    p = Path(p)
    if p.is_absolute():
        try:
            return p.relative_to(root.resolve())
        except ValueError:
            try:
                return p.relative_to(root)
            except ValueError:
                return p
    return p


def ingest_dry_run(root: Path, sources: list[Path], out_dir: Path) -> list[IngestResult]:
    """What ``scidigest ingest`` would do, writing nothing (``dry_run=True``)."""
    from scidigest.ingest.writer import ingest

    root = Path(root)
    report = ingest([root / s for s in sources], root / out_dir, dry_run=True)
    return [
        IngestResult(
            source=_rel(r.source, root),
            status=str(r.status),
            output=_rel(getattr(r, "output", None), root),
            message=str(getattr(r, "message", "") or ""),
            warnings=tuple(getattr(r, "warnings", ()) or ()),
        )
        for r in report.results
    ]


def ingest_paths(root: Path, sources: list[Path], out_dir: Path) -> list[IngestResult]:
    """Really ingest (used by ``scidigest add``)."""
    from scidigest.ingest.writer import ingest

    root = Path(root)
    report = ingest([root / s for s in sources], root / out_dir)
    return [
        IngestResult(_rel(r.source, root), str(r.status), _rel(getattr(r, "output", None), root),
                     str(getattr(r, "message", "") or ""), tuple(getattr(r, "warnings", ()) or ()))
        for r in report.results
    ]


# --------------------------------------------------------------------------- hashes
def sha256_text(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def output_hash_of(article: MarkdownFile) -> str | None:
    """The hash ingest would have recorded for this file as it is now.

    Uses ingestion's own ``scidigest.ingest.render.content_hash(text)`` when it is
    there; otherwise hashes the file's text with the ``output_hash:`` line
    removed (the schema: "front matter without this field, plus body")."""
    render = _optional("scidigest.ingest.render")
    if render is not None and callable(getattr(render, "content_hash", None)):
        return render.content_hash(article.text)
    mod = _optional("scidigest.frontmatter")
    for name in ("output_hash", "compute_output_hash"):
        fn = getattr(mod, name, None) if mod is not None else None
        if callable(fn):
            meta = {k: v for k, v in article.meta.items() if k != "output_hash"}
            return fn(meta, article.body)
    kept = [ln for ln in article.text.splitlines(keepends=True)
            if not ln.startswith("output_hash:")]
    return sha256_text("".join(kept))


# --------------------------------------------------------------------------- translation
MISSING, FRESH, STALE = "missing", "fresh", "stale"


@dataclass(frozen=True)
class TranslationState:
    original: Path
    target: Path
    state: str  # missing | fresh | stale
    status: str | None  # machine | reviewed | None when missing


def fresh_translation_hash(original: MarkdownFile) -> str:
    """The ``translation.source_hash`` a translation made now from ``original``
    records: ``scidigest.translate.source_hash(meta, body)`` when the translation
    package provides it, else the sha256 of the original's body."""
    mod = _optional("scidigest.translate")
    fn = getattr(mod, "source_hash", None) if mod is not None else None
    if callable(fn):
        return fn(original.meta, original.body)
    return sha256_text(original.body)


def original_hashes(original: MarkdownFile) -> set[str]:
    """Hashes a translation's ``translation.source_hash`` may carry for this
    original to count as fresh (fallback when scidigest.translate says nothing)."""
    hashes = {fresh_translation_hash(original), sha256_text(original.body)}
    if isinstance(original.meta.get("output_hash"), str):
        hashes.add(original.meta["output_hash"])
    return hashes


def translation_state(root: Path, original: MarkdownFile, target: MarkdownFile | None,
                      target_path: Path) -> TranslationState:
    mod = _optional("scidigest.translate")
    fn = getattr(mod, "translation_state", None) if mod is not None else None
    if callable(fn):  # the translation package's own verdict
        st = fn(Path(root) / original.path, Path(root) / target_path)
        state = getattr(st, "state", st)
        status = getattr(st, "status", None)
        return TranslationState(original.path, target_path, str(state), status)
    if target is None:
        return TranslationState(original.path, target_path, MISSING, None)
    info = target.meta.get("translation") or {}
    status = info.get("status") if isinstance(info, dict) else None
    fresh = isinstance(info, dict) and info.get("source_hash") in original_hashes(original)
    return TranslationState(original.path, target_path, FRESH if fresh else STALE, status)
