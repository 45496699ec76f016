"""Read the content tree once into plain data the rules look at.

Nothing here judges anything: a file that cannot be parsed is loaded with its
parse error recorded, and the rules turn that into findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..frontmatter import FrontMatterError, locate
from ..languages import DEFAULT_LANGUAGE, SITE_LANGUAGES
from ..safefiles import UnsafeFileError, read_regular
from ..safeyaml import MAX_YAML_BYTES, YamlLimitError, check_yaml
from ..sidecar import SIDECAR_SUFFIX

ARTICLES_DIR = Path("docs/articles")
SOURCES_DIR = Path("sources")
#: docs/articles/<slug>.<lang>.md
ARTICLE_NAME = re.compile(r"^(?P<slug>[^.]+)\.(?P<lang>[a-z]{2,3})\.md$")


class _StringDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves ``2024-02-30`` as a string, so a date that is not
    real becomes a finding instead of a crash."""


_StringDatesLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlDoc:
    """A YAML mapping with where each key sits in its file."""

    data: object = None
    #: ("translation", "status") -> 1-based line in the file
    lines: dict[tuple, int] = field(default_factory=dict)
    error: str | None = None
    error_line: int | None = None
    #: keys whose value YAML itself would read as a date (unquoted dates)
    unquoted_dates: set[str] = field(default_factory=set)


def _walk(node, path: tuple, offset: int, out: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1 + offset
            _walk(value_node, path + (key,), offset, out)


def load_yaml(text: str, offset: int = 0) -> YamlDoc:
    """Parse ``text`` (which starts at line ``offset + 1`` of its file)."""
    doc = YamlDoc()
    try:
        check_yaml(text)  # no anchors/aliases, bounded depth and size: before composing anything
    except YamlLimitError as exc:
        doc.error, doc.error_line = f"refused: {exc}", offset + 1
        return doc
    except yaml.YAMLError:
        pass  # reported with its line by the parse below
    try:
        node = yaml.compose(text, Loader=_StringDatesLoader)
        doc.data = yaml.load(text, Loader=_StringDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        doc.error = " ".join(str(exc).split())
        doc.error_line = mark.line + 1 + offset if mark is not None else offset + 1
        return doc
    if node is not None:
        _walk(node, (), offset, doc.lines)
    if isinstance(doc.data, dict):
        # which values the standard loader (the site's, ingest's) would turn into dates
        ts = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
        for key, value in doc.data.items():
            if isinstance(value, str) and ts.match(value):
                raw = _raw_scalar(node, key)
                if raw is not None and raw.style is None:
                    doc.unquoted_dates.add(key)
    return doc


def _raw_scalar(node, key):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key and isinstance(v, yaml.ScalarNode):
                return v
    return None


@dataclass
class MarkdownFile:
    """A Markdown file under docs/, split into front matter and body."""

    path: Path  # relative to the root
    text: str
    has_front_matter: bool
    front: YamlDoc
    body: str
    #: 1-based line of the first body line
    body_line: int

    @property
    def meta(self) -> dict:
        return self.front.data if isinstance(self.front.data, dict) else {}

    def line_of(self, *key: str) -> int | None:
        if not key:
            return 1
        return self.front.lines.get(tuple(key))


def load_markdown(path: Path, text: str) -> MarkdownFile:
    """The file with its front matter located by :func:`scidigest.frontmatter.locate` (the
    one definition of where front matter ends) and loaded with each key's line number."""
    try:
        where = locate(text)
    except FrontMatterError:
        front = YamlDoc(error="front matter opened with '---' is never closed", error_line=1)
        return MarkdownFile(path, text, True, front, "", len(text.splitlines()) + 1)
    if where is None:
        return MarkdownFile(path, text, False, YamlDoc(data={}), text, 1)
    start, end = where
    block = text[start:end]
    return MarkdownFile(path, text, True, load_yaml(block, offset=1), text[end + 4 :], block.count("\n") + 3)


@dataclass
class Tree:
    """The content tree of one repository checkout."""

    root: Path
    docs: list[MarkdownFile]
    sources: list[Path]  # relative, content files only (no sidecars)
    sidecars: list[Path]  # relative
    languages: list[str]
    default_language: str
    #: files under docs/ that were not read (not regular files, too large), with the reason
    refused: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def articles(self) -> list[MarkdownFile]:
        return [d for d in self.docs if d.path.parent == ARTICLES_DIR]


#: the largest page under docs/ that is read (an article is a few KiB; the ingest limit is 2 MiB)
MAX_PAGE_BYTES = 4 * 1024 * 1024


def _read_text(path: Path) -> str:
    """A page's text: only a regular file (a link, a pipe or a device is never opened)."""
    return read_regular(path, MAX_PAGE_BYTES).decode("utf-8", errors="replace")


def read_sidecar_text(path: Path) -> str:
    """A sidecar's text, bounded like ingest reads it; :class:`UnsafeFileError` otherwise."""
    return read_regular(path, MAX_YAML_BYTES).decode("utf-8", errors="replace")


def load_tree(root: Path) -> Tree:
    root = Path(root)
    docs = []
    refused: list[tuple[Path, str]] = []
    docs_dir = root / "docs"
    if docs_dir.is_dir():
        for p in sorted(docs_dir.rglob("*.md")):
            rel = p.relative_to(root)
            try:
                docs.append(load_markdown(rel, _read_text(p)))
            except (UnsafeFileError, OSError) as exc:
                refused.append((rel, str(exc) if isinstance(exc, UnsafeFileError) else f"cannot be read ({exc.strerror})"))
    sources, sidecars = [], []
    src_dir = root / SOURCES_DIR
    if src_dir.is_dir():
        for p in sorted(src_dir.iterdir()):
            # anything but a folder is listed, pipes and links included: ingest refuses what is
            # not a regular file with its reason, and the sync family reports it
            if p.name.startswith(".") or (p.is_dir() and not p.is_symlink()):
                continue
            rel = p.relative_to(root)
            (sidecars if p.name.endswith(SIDECAR_SUFFIX) else sources).append(rel)
    return Tree(root, docs, sources, sidecars, list(SITE_LANGUAGES), DEFAULT_LANGUAGE, refused)
