"""Sidecar files: ``sources/NAME.meta.yaml`` completes or overrides any field of ``sources/NAME.ext``.

This is how a contributor fixes a title or a date without touching generated
Markdown: the fix survives every re-ingest.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml

from .ingest.model import IngestError
from .names import clean_field, slug_problem
from .safefiles import UnsafeFileError, read_regular
from .safeyaml import MAX_YAML_BYTES, YamlLimitError, load_limited
from .schema import schema, validate_front_matter

SIDECAR_SUFFIX = ".meta.yaml"
#: fields a person may set; the rest are computed (hashes, reading time, input kind)
GENERATED_KEYS = frozenset({"source_file", "source_hash", "output_hash", "input_kind", "reading_time",
                            "translation", "title_generated", "hand_edited", "image"})
ALLOWED_KEYS = frozenset(schema()["properties"]) - GENERATED_KEYS


def sidecar_name(source_name: str) -> str:
    """``communique.txt`` -> ``communique.meta.yaml``: the one definition of a sidecar's name."""
    stem = source_name.rsplit(".", 1)[0] if "." in source_name else source_name
    return stem + SIDECAR_SUFFIX


def sidecar_path(source: Path) -> Path:
    source = Path(source)
    return source.with_name(sidecar_name(source.name))


def is_sidecar(path: Path) -> bool:
    return Path(path).name.endswith(SIDECAR_SUFFIX)


def parse_sidecar(text: str, name: str = "sidecar") -> dict:
    """Validated sidecar values. Raises IngestError with a one-line reason.

    The YAML is parsed with the limits of :mod:`scidigest.safeyaml` (no anchors or
    aliases, bounded nesting and size); text values lose control characters and markup
    (:func:`scidigest.names.clean_field`); a slug must be a valid, unreserved one."""
    try:
        data = load_limited(text, loader=yaml.SafeLoader) or {}
    except YamlLimitError as exc:
        raise IngestError(f"{name}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise IngestError(f"{name}{where}: invalid YAML") from None
    except ValueError as exc:  # PyYAML builds dates itself: 2021-02-30 fails here
        raise IngestError(f"{name}: invalid value ({exc}); dates are YYYY-MM-DD") from None
    if not isinstance(data, dict):
        raise IngestError(f"{name}: must be a mapping of field: value")
    unknown = sorted(str(k) for k in set(data) - ALLOWED_KEYS)
    if unknown:
        raise IngestError(f"{name}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(ALLOWED_KEYS))}")
    if "slug" in data and (problem := slug_problem(data["slug"])):
        raise IngestError(f"{name}: {problem}")
    data = {k: (v.isoformat() if isinstance(v, dt.date) else clean_field(v)) for k, v in data.items()}
    problems = [p for p in validate_front_matter(data) if not p.startswith("front matter: '")]
    if problems:
        raise IngestError(f"{name}: {problems[0]}")
    return data


def load_sidecar(source: Path) -> dict:
    """The sidecar of ``source`` ({} when there is none). It must be a regular file (not a
    link, a pipe or a device) of at most ``MAX_YAML_BYTES``, in UTF-8."""
    path = sidecar_path(source)
    if not os.path.lexists(path):
        return {}
    try:
        text = read_regular(path, MAX_YAML_BYTES).decode("utf-8")
    except UnsafeFileError as exc:
        raise IngestError(f"{path.name}: {exc}") from None
    except UnicodeDecodeError:
        raise IngestError(f"{path.name}: not UTF-8 text") from None
    except OSError as exc:
        raise IngestError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    return parse_sidecar(text, path.name)
