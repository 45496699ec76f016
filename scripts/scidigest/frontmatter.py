"""File I/O for article files: read front matter, write atomically.

Kept at the edge: every other module works on strings and dataclasses.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import frontmatter
import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, much faster


def split(text: str) -> tuple[dict, str]:
    """(front matter, body) of an article's text."""
    post = frontmatter.loads(text)
    return dict(post.metadata), post.content


def read_article(path: Path) -> tuple[dict, str]:
    return split(Path(path).read_text(encoding="utf-8"))


def read_front_matter(path: Path) -> dict:
    """Only the front matter, reading no further than its closing line (fast on big trees)."""
    lines: list[str] = []
    with open(path, encoding="utf-8") as fh:
        if fh.readline().strip() != "---":
            return {}
        for line in fh:
            if line.strip() == "---":
                break
            lines.append(line)
    data = yaml.load("".join(lines), Loader=_Loader) or {}
    return data if isinstance(data, dict) else {}


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, then rename over the target.

    A crash leaves either the old file or the new one, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
