"""The speed-ups (``scidigest.site.mkdocs.speed``) change nothing in the site:
built with ``SCIDIGEST_SPEEDUPS=1`` and ``=0``, every file is byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from scidigest.site.mkdocs import speed
from tests.plugins.site_server import SYNTHETIC_COUNT, build_site, copy_site_project

pytestmark = pytest.mark.slow


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_site_is_byte_identical_with_and_without_the_speedups(tmp_path, monkeypatch):
    project = copy_site_project(tmp_path / "project", synthetic=SYNTHETIC_COUNT)
    # one build date for both (the sitemap's lastmod and its gzip header carry it)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv(speed.SWITCH, "1")
    fast = _tree(build_site(project.project_dir, tmp_path / "fast"))
    monkeypatch.setenv(speed.SWITCH, "0")
    plain = _tree(build_site(project.project_dir, tmp_path / "plain"))
    assert "sitemap.xml.gz" in fast and "en/index.html" in fast
    assert sorted(fast) == sorted(plain)
    differ = [name for name in fast if fast[name] != plain[name]]
    assert not differ, f"{len(differ)} files differ with the speed-ups on, e.g. {differ[:5]}"
