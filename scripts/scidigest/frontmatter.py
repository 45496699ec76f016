"""Front matter, the one home of the concept: split, join, read, write, and the hashes.

Every article file is ``---``, a YAML mapping, ``---``, then the Markdown body.
Ingest, translate, site and check all read and write it through this module, so
they agree on where the front matter ends, how YAML is loaded (safe, libyaml when
present) and dumped (block style, no wrapping, fixed order as given), and how a
file is replaced (temporary file, fsync, rename: never half-written).

Two hashes with two meanings:

* :func:`output_hash` -- of a generated file, ignoring its own ``output_hash:`` line;
  ingest records it, so a later hand edit is recognised (:func:`is_hand_edited`).
* :func:`text_hash` -- of any text, ``sha256:<hex>``; translation records it of what
  it translated (``translation.source_hash``), so a changed original is noticed.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import os
import re
import tempfile
from pathlib import Path

import yaml

from .safeyaml import YamlLimitError, load_limited

FENCE = "---"
# libyaml when present: same result, ~10x faster to load and ~20x faster to dump
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_OUTPUT_HASH_LINE = re.compile(r"^output_hash: .*\n", re.M)
_RECORDED_HASH = re.compile(r"^output_hash: (sha256:[0-9a-f]{64})$", re.M)


class FrontMatterError(ValueError):
    """The file opens a front matter it never closes, or it is not a mapping."""


def locate(text: str) -> tuple[int, int] | None:
    """Where the front matter's YAML is: ``(start, end)`` offsets of the text between the two
    ``---`` lines (the body starts after the closing line). ``None`` when the text does not
    open with a ``---`` line; :class:`FrontMatterError` when the block is never closed."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        if not text.endswith("\n---"):
            raise FrontMatterError("front matter is not closed by a '---' line")
        end = len(text) - 4
    return 4, end + 1


def split(text: str, *, dates_as_text: bool = False) -> tuple[dict, str]:
    """(front matter, body) of an article's text; the body is kept byte for byte.

    ``dates_as_text`` turns top-level unquoted YAML dates into ISO strings (translation
    copies fields into a new page and must write them back as the text they were).
    A text that does not start with a ``---`` line has no front matter: ``({}, text)``.
    Raises :class:`FrontMatterError` (a ``ValueError``) when the block is never closed, is
    not a mapping or is past the limits of :mod:`scidigest.safeyaml` (anchors, aliases,
    nesting, size: a hand-edited file is untrusted), and ``yaml.YAMLError`` when it is not YAML."""
    where = locate(text)
    if where is None:
        return {}, text
    start, end = where
    try:
        meta = load_limited(text[start:end], loader=_Loader) or {}
    except YamlLimitError as exc:
        raise FrontMatterError(f"front matter refused: {exc}") from None
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter is not a mapping")
    if dates_as_text:
        for k, v in list(meta.items()):
            if isinstance(v, _dt.date):
                meta[k] = v.isoformat()
    return meta, text[end + 4 :]


def join(meta: dict, body: str) -> str:
    """The file text for ``meta`` and ``body`` (the inverse of :func:`split`)."""
    return f"---\n{dump_yaml(meta)}---\n{body}"


def read(path: Path) -> tuple[dict, str]:
    return split(Path(path).read_text(encoding="utf-8"))


def read_meta(path: Path) -> dict:
    """Only the front matter, reading no further than its closing line (fast on big trees).

    ``{}`` for a file without front matter or whose front matter is not a mapping."""
    head: list[str] = []
    with open(path, encoding="utf-8") as fh:
        first = fh.readline()
        if first.strip() != FENCE:
            return {}
        head.append("---\n")
        for line in fh:
            if line.strip() == FENCE:
                head.append("---\n")
                break
            head.append(line)
    try:
        return split("".join(head))[0]
    except FrontMatterError:
        return {}


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a temporary file in the same folder, fsync it, then rename over the target.

    A crash leaves either the old file or the new one, never half of one. ``text`` is
    written as UTF-8 with ``\n`` line ends; ``bytes`` are written as they are."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes)
              else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


# --------------------------------------------------------------------------- hashes
def text_hash(text: str) -> str:
    """``sha256:<hex>`` of ``text`` (what ``translation.source_hash`` holds)."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def output_hash(text: str) -> str:
    """Hash of a generated file's text, ignoring its own ``output_hash`` line."""
    if "output_hash: " in text:  # (the line can only be there if these characters are)
        text = _OUTPUT_HASH_LINE.sub("", text, count=1)
    return text_hash(text)


def recorded_output_hash(text: str) -> str | None:
    m = _RECORDED_HASH.search(text.split("\n---\n", 1)[0])
    return m.group(1) if m else None


def is_hand_edited(text: str, front: dict | None = None) -> bool:
    """True when a generated file was changed after ingest wrote it (or was never generated)."""
    if front is not None and front.get("hand_edited") is True:
        return True
    recorded = recorded_output_hash(text)
    return recorded is None or recorded != output_hash(text)


# --------------------------------------------------------------------------- YAML out
_DUMP_OPTIONS = dict(allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)


class _ResolvingDumper(_Dumper):
    """The same dumper; the implicit-tag lookup for a plain scalar (a pure function of the
    scalar's text, asked twice per scalar by the emitter) is remembered, bounded."""

    _resolved: dict = {}

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._resolved) >= 4096:
                self._resolved.clear()
            self._resolved[key] = tag
        return tag


_STR, _BOOL, _INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"


def _scalar_node(value):
    """The node SafeRepresenter builds for a str, bool or int (None for any other type)."""
    t = type(value)
    if t is str:
        return yaml.ScalarNode(_STR, value)
    if t is bool:
        return yaml.ScalarNode(_BOOL, "true" if value else "false")
    if t is int:
        return yaml.ScalarNode(_INT, str(value))
    return None


def _nodes(data: dict):
    """The node tree ``yaml.dump`` would build for front matter made of str, bool, int and
    lists of str (with sort_keys=False, default_flow_style=False); None when ``data`` holds
    anything else, or one list twice (the representer would write an alias)."""
    pairs = []
    lists_seen = set()
    for key, value in data.items():
        key_node = _scalar_node(key)
        if key_node is None or type(key) is not str:
            return None
        if type(value) is list:
            if id(value) in lists_seen:
                return None
            lists_seen.add(id(value))
            items = []
            for item in value:
                if type(item) is not str:
                    return None
                items.append(yaml.ScalarNode(_STR, item))
            value_node = yaml.SequenceNode("tag:yaml.org,2002:seq", items, flow_style=False)
        else:
            value_node = _scalar_node(value)
            if value_node is None:
                return None
        pairs.append((key_node, value_node))
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)


def dump_yaml(data: dict) -> str:
    # libyaml's emitter when present (same output, ~20x faster than the pure-Python one).
    # The node tree is built here for the usual value types (what SafeRepresenter would build,
    # without its per-value type dispatch); anything else goes through yaml.dump itself.
    root = _nodes(data) if type(data) is dict else None
    if root is None:
        return yaml.dump(data, Dumper=_Dumper, **_DUMP_OPTIONS)
    stream = io.StringIO()
    dumper = _ResolvingDumper(stream, **_DUMP_OPTIONS)
    try:
        dumper.open()
        dumper.serialize(root)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()
