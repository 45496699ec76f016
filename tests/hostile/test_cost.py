"""Pathological Markdown (long runs of ``[``, backticks, digits, ``<``, emphasis markers,
thousands of headings, thousands of tags) never stalls ingest or the build.

Two sizes of each input go through ``scidigest ingest`` and ``mkdocs build --strict`` in
subprocesses with timeouts: runs far past the documented limits (``scidigest/limits.py``),
which ingest must refuse in one line naming the file (or build), and dense runs just under
them, which must build. The build of what was ingested is then compared with the build of
as many ordinary articles in the same run: at most 3x the CPU time (a ratio to a peer, not
a wall-clock constant; CPU because the 2-core machine is shared).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from scidigest.bench.synthetic_sources import write_sources
from scidigest.names import display_name
from tests.plugins.hostile_sources import EITHER, write_costly_sources
from tests.plugins.site_server import copy_site_project

pytestmark = pytest.mark.slow

CLI = "import sys; from scidigest.cli import main; sys.exit(main(sys.argv[1:]))"
#: a build of ~30 articles takes a few seconds; past this it is a hang
HANG = 120
MAX_RATIO = 3.0


def _run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    """The finished process and the CPU seconds it (and its children) used."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=HANG, env=env,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"hang: {' '.join(args[:5])} did not finish in {HANG} s in {cwd}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback (most recent call last)" not in stream, stream[-3000:]
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}"
    return proc, cpu


def _ingest_and_build(project: Path, site: Path) -> tuple[subprocess.CompletedProcess, float]:
    ingest, _ = _run([sys.executable, "-c", CLI, "ingest", "sources", "--out", "docs/articles"], project)
    build, cpu = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q", "-d", str(site)], project)
    assert build.returncode == 0, build.stderr[-3000:]
    return ingest, cpu


@pytest.fixture(scope="module")
def costly(tmp_path_factory):
    root = tmp_path_factory.mktemp("costly")
    project = copy_site_project(root / "project", articles_from=None).project_dir
    expect = write_costly_sources(project / "sources", prefix="grand-")
    expect |= write_costly_sources(project / "sources", run_length=250, repeat=40, headings=250, tags=12,
                                   prefix="dense-")
    ingest, cpu = _ingest_and_build(project, root / "site")
    return project, expect, ingest, cpu


def test_each_pathological_source_is_built_or_refused_in_one_named_line(costly):
    project, expect, ingest, _ = costly
    made = {p.name for p in (project / "docs" / "articles").iterdir()}
    created = set(re.findall(r"^created: docs/articles/(\S+)$", ingest.stdout, re.M))
    assert created == made
    wrong = []
    for name, want in expect.items():
        assert want.outcome == EITHER
        lines = [ln for ln in ingest.stderr.splitlines() if ln.startswith(f"error: sources/{display_name(name)}: ")]
        if len(lines) > 1 or any("\n" in ln or len(ln) > 420 for ln in lines):
            wrong.append(f"{name}: {lines}")
    refused = sum(1 for line in ingest.stderr.splitlines() if line.startswith("error: "))
    assert refused + len(made) == len(expect), (refused, len(made), ingest.stderr[-2000:])
    assert not wrong, "\n".join(wrong)
    dense_built = [n for n in made if n.startswith("un-texte-pathologique-dense")]
    assert dense_built, "no dense (under the limits) article was built: the test measures nothing"


def test_building_them_costs_at_most_three_times_as_many_ordinary_articles(costly, tmp_path):
    project, _, _, cpu = costly
    n = len(list((project / "docs" / "articles").iterdir()))
    peer = copy_site_project(tmp_path / "peer", articles_from=None).project_dir
    write_sources(peer / "sources", n, seed=13)
    _, peer_cpu = _ingest_and_build(peer, tmp_path / "site")
    assert len(list((peer / "docs" / "articles").iterdir())) >= n * 0.9
    ratio = cpu / peer_cpu
    print(f"build CPU: {n} pathological articles {cpu:.2f} s, {n} ordinary {peer_cpu:.2f} s, ratio {ratio:.2f}")
    assert ratio <= MAX_RATIO, (f"{n} pathological articles took {cpu:.1f} s of CPU to build, "
                                f"{n} ordinary ones {peer_cpu:.1f} s: {ratio:.2f}x (limit {MAX_RATIO}x)")
