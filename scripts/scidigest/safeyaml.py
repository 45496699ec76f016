"""YAML written by people (sidecars, hand-edited front matter) is parsed with limits.

PyYAML's safe loader never runs code, but it will still take any amount of time
and memory a hostile file asks for:

* anchors and aliases (``&a`` / ``*a``) let a few hundred bytes stand for an
  exponentially large value ("billion laughs"): loading shares the references,
  but anything that walks, validates or writes the value then explodes;
* nesting (``[[[[...]]]]``, ``- - - - x``, indentation) is composed recursively:
  libyaml's composer crashes the interpreter (segmentation fault) somewhere past
  10,000 levels, and its parser turns quadratic well before that;
* size is unbounded.

:func:`check_yaml` refuses all three before anything is composed: the text's
length first, then the *event* stream (flat, produced lazily by libyaml), which is
abandoned at the first alias or anchor and the first level past the limit, so a
hostile file costs microseconds. Front matter and sidecars need neither anchors nor
more than a couple of levels (``translation:`` is a mapping inside the mapping).
"""

from __future__ import annotations

import yaml

#: bytes of YAML a sidecar or a front matter block may hold (a real one is well under 4 KiB)
MAX_YAML_BYTES = 64 * 1024
#: levels of mappings/sequences (the document's mapping is level 1; ``translation:`` is level 2)
MAX_YAML_DEPTH = 10

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class YamlLimitError(ValueError):
    """The YAML is refused before it is loaded; the message is one line, without the file name."""


def check_yaml(text: str, *, max_bytes: int = MAX_YAML_BYTES, max_depth: int = MAX_YAML_DEPTH) -> None:
    """Raise :class:`YamlLimitError` when ``text`` is too large, uses an anchor or an alias,
    or nests deeper than ``max_depth``; ``yaml.YAMLError`` when it is not YAML at all."""
    size = len(text.encode("utf-8")) if len(text) * 4 > max_bytes else len(text)
    if size > max_bytes:
        raise YamlLimitError(f"YAML too large ({size} bytes > {max_bytes} limit)")
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlLimitError(f"YAML alias *{_name(event.anchor)} is not allowed (write the value out)")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlLimitError(f"YAML anchor &{_name(anchor)} is not allowed (write the value out)")
        if isinstance(event, _OPEN):
            depth += 1
            if depth > max_depth:
                raise YamlLimitError(f"YAML nested more than {max_depth} levels deep")
        elif isinstance(event, _CLOSE):
            depth -= 1


def _name(anchor: str | None) -> str:
    anchor = anchor or ""
    return anchor if len(anchor) <= 40 else anchor[:40] + "…"


def load_limited(text: str, *, max_bytes: int = MAX_YAML_BYTES, max_depth: int = MAX_YAML_DEPTH,
                 loader=_Loader):
    """:func:`check_yaml`, then ``yaml.load`` with a safe ``loader`` (libyaml's when present)."""
    check_yaml(text, max_bytes=max_bytes, max_depth=max_depth)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
