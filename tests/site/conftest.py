"""Fixtures shared by the tests of the site's Markdown speed-ups (inline patterns and
block processors pruned per page): the site's own parser and the Markdown the repo holds."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site_parser() -> markdown.Markdown:
    """A parser with mkdocs.yml's extensions and their settings."""
    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


@pytest.fixture(scope="session")
def repo_markdown() -> list[str]:
    """The committed articles and (up to 400) Markdown files of the tests."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs" / "articles").glob("*.md"))]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((REPO / "tests").rglob("*.md"))][:400]
    return texts
