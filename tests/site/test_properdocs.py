"""The site builds with ProperDocs, the maintained continuation of MkDocs 1.x, so
moving to it stays one line (``properdocs build`` for ``mkdocs build``).

ProperDocs (PyPI ``properdocs``, pinned) lives beside MkDocs in the same venv:
its own ``properdocs`` package and command, whose ``properdocs.replacement``
maps every ``mkdocs.*`` import (ours, Material's, mkdocs-static-i18n's) to
``properdocs.*`` in that process only; ``mkdocs build`` is untouched. The
same project is built both ways with ``--strict`` and compared file by file:
the one expected difference is the generator meta tag of each HTML page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from scidigest import versions
from scidigest.site.mkdocs import speed
from scidigest.site.redirects import is_redirect_page
from tests.plugins.site_server import SYNTHETIC_COUNT, build_site, copy_site_project

pytestmark = pytest.mark.slow

#: "mkdocs-1.6.1, mkdocs-material-9.8.1" (MkDocs) or "mkdocs-ProperDocs 1.6.7, ..." (ProperDocs)
GENERATOR = re.compile(rb'<meta name="generator" content="mkdocs-(?:ProperDocs )?[0-9.]+, ')


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def properdocs_build(project_dir: Path, site_dir: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("properdocs")
    assert command.exists(), "properdocs is not installed: run `make setup` (pinned in pyproject.toml)"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([str(command), "build", "--strict", "--clean", "-f", str(project_dir / "mkdocs.yml"),
                           "-d", str(site_dir)], cwd=project_dir, capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 0, f"properdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path, monkeypatch):
    project = copy_site_project(tmp_path / "project", synthetic=SYNTHETIC_COUNT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # one build date for both (sitemap)
    mkdocs_site = _tree(build_site(project.project_dir, tmp_path / "mkdocs"))
    proc = properdocs_build(project.project_dir, tmp_path / "properdocs")
    properdocs_site = _tree(tmp_path / "properdocs")
    # the speed-ups ran under ProperDocs too (its version is the one they were checked against)
    assert "speed-ups off" not in proc.stderr + proc.stdout
    assert sorted(properdocs_site) == sorted(mkdocs_site)
    # (an old address's page is written by the hooks, not the engine: site/redirects.py)
    pages = [name for name in mkdocs_site if name.endswith(".html")
             and not is_redirect_page(mkdocs_site[name].decode("utf-8"))]
    assert len(pages) > 2 * SYNTHETIC_COUNT
    for name in pages:  # each page names its generator; ProperDocs' says so
        assert b'content="mkdocs-ProperDocs ' in properdocs_site[name], name
        assert b'content="mkdocs-ProperDocs ' not in mkdocs_site[name], name
    differ = [name for name in mkdocs_site
              if GENERATOR.sub(b"", mkdocs_site[name]) != GENERATOR.sub(b"", properdocs_site[name])]
    assert not differ, f"{len(differ)} files differ beyond the generator tag, e.g. {differ[:5]}"


def test_the_speedups_check_the_version_of_the_engine_that_runs(monkeypatch):
    """Under ``properdocs`` our ``mkdocs.*`` imports are ProperDocs' code: its version is the one checked."""
    assert versions.engine() == "mkdocs"
    properdocs = types.ModuleType("properdocs")
    monkeypatch.setitem(sys.modules, "mkdocs", properdocs)
    assert versions.engine() == "properdocs"
    monkeypatch.delenv(speed.SWITCH, raising=False)
    written_for = {package: version for package, (version, _) in versions.WRITTEN_FOR.items()}
    monkeypatch.setattr(versions, "installed", lambda package: written_for[package])
    assert speed.enabled("mkdocs")
    # MkDocs at its version but ProperDocs at another: off, since ProperDocs' code is what runs
    monkeypatch.setattr(versions, "installed", lambda package: "9.9" if package == "properdocs" else written_for[package])
    assert not speed.enabled("mkdocs")
