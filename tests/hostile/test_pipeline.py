"""Hostile sources through the whole pipeline, as a contributor would run it:
``scidigest ingest``, ``scidigest check``, then ``mkdocs build --strict``, each in a
subprocess with a timeout, in a temporary copy of the site project.

The inputs are in ``tests/plugins/hostile_sources.py`` (content, file, sidecar and name
classes). What must hold:

* 0 crashes: no traceback, no signal, the summary line printed;
* 0 hangs: every subprocess ends before its timeout;
* 0 files written outside the output folder (the whole temporary tree is compared);
* 0 invalid outputs: every article file is named ``<slug>.<lang>.md`` with a valid,
  unreserved slug, its front matter validates against the schema and holds plain text;
* 0 unnamed errors: every line of output names its file and is one line; each refused
  input gets exactly one line, each skipped one too;
* 0 live script in the built site (every HTML file, both search indexes, both feeds).

The build also holds the hand-written hostile articles of ``tests/plugins/hostile_site.py``
(added after ingest and check, as a contributor's hand-made pages would be): what ingest
does not sanitise, the site's own sanitiser must.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scidigest.frontmatter import read
from scidigest.names import RESERVED_SLUGS, display_name, slug_problem, text_problem
from scidigest.schema import validate_front_matter
from tests.plugins.hostile_site import write_hostile_articles
from tests.plugins.hostile_sources import (
    ARTICLE,
    EITHER,
    REFUSED,
    SKIPPED,
    scan_site,
    write_hostile_sources,
)
from tests.plugins.site_server import copy_site_project

pytestmark = pytest.mark.slow

#: seconds; ingesting these ~40 inputs takes a few seconds, building the site ~5
INGEST_TIMEOUT = 90
BUILD_TIMEOUT = 180
CLI = "import sys; from scidigest.cli import main; sys.exit(main(sys.argv[1:]))"
LINE = re.compile(r"^(error|warning|skipped|kept): (sources/.+?): (.+)$")
ARTICLE_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>fr|en)\.md$")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run(args: list[str], cwd: Path, timeout: float) -> Run:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONFAULTHANDLER": "1"}
    env.pop("GITHUB_ACTIONS", None)
    try:
        proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"hang: {' '.join(args[:4])}... did not finish in {timeout} s\n"
                    f"{(exc.stderr or b'')[-2000:]!r}")
    return Run(proc.returncode, proc.stdout, proc.stderr)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (links not followed): its type, size and modification time."""
    out = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            st = os.lstat(path)
            kind = stat.S_IFMT(st.st_mode)
            out[str(path.relative_to(root))] = (kind, st.st_size if stat.S_ISREG(st.st_mode) else 0,
                                                st.st_mtime_ns if stat.S_ISREG(st.st_mode) else 0)
    return out


@dataclass
class Pipeline:
    root: Path
    project: Path
    expect: dict
    before: dict
    after: dict
    ingest: Run
    again: Run
    check: Run
    build: Run
    site: Path
    hand_written: list


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory) -> Pipeline:
    root = tmp_path_factory.mktemp("hostile")
    project = copy_site_project(root / "project", articles_from=None).project_dir
    expect = write_hostile_sources(project / "sources")
    before = snapshot(root)
    ingest = run([sys.executable, "-c", CLI, "ingest", "sources", "--out", "docs/articles"], project, INGEST_TIMEOUT)
    after = snapshot(root)
    again = run([sys.executable, "-c", CLI, "ingest", "sources", "--out", "docs/articles"], project, INGEST_TIMEOUT)
    check = run([sys.executable, "-c", CLI, "check", "--root", "."], project, INGEST_TIMEOUT)
    written = write_hostile_articles(project / "docs" / "articles")
    site = root / "site"
    build = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q", "-d", str(site)],
                project, BUILD_TIMEOUT)
    return Pipeline(root, project, expect, before, after, ingest, again, check, build, site, written)


def _no_crash(what: str, r: Run) -> None:
    assert r.returncode >= 0, f"{what} was killed by signal {-r.returncode}:\n{r.stderr[-2000:]}"
    for stream in (r.stdout, r.stderr):
        assert "Traceback (most recent call last)" not in stream, f"{what} crashed:\n{stream[-3000:]}"
        assert "Fatal Python error" not in stream, f"{what} crashed:\n{stream[-3000:]}"


def test_ingest_neither_crashes_nor_hangs_and_reports_failure(pipeline):
    _no_crash("ingest", pipeline.ingest)
    assert pipeline.ingest.returncode == 1, "hostile sources were refused, so ingest must exit 1"
    assert re.search(r"^ingest: \d+ created, .* \d+ failed, \d+ skipped$", pipeline.ingest.stdout, re.M), \
        pipeline.ingest.stdout


def test_every_output_line_names_its_file_and_is_one_line(pipeline):
    unnamed = []
    for line in pipeline.ingest.stderr.splitlines():
        if not LINE.match(line) or len(line) > 420:
            unnamed.append(line[:300])
    for line in pipeline.ingest.stdout.splitlines():
        if not (re.match(r"^(created|updated): docs/articles/[a-z0-9-]+\.(fr|en)\.md$", line)
                or line.startswith("ingest: ")):
            unnamed.append(line[:300])
    assert not unnamed, "lines that do not name a file on one line:\n" + "\n".join(unnamed)


def _lines_about(stderr: str, name: str) -> list[tuple[str, str]]:
    shown = f"sources/{display_name(name)}"
    out = []
    for line in stderr.splitlines():
        m = LINE.match(line)
        if m and m.group(2) == shown:
            out.append((m.group(1), m.group(3)))
    return out


def _ingested(pipeline) -> list[Path]:
    """The article files ingest wrote (not the hand-written ones added for the build)."""
    hand = {f"{slug}.fr.md" for slug in pipeline.hand_written}
    return [p for p in sorted((pipeline.project / "docs" / "articles").iterdir()) if p.name not in hand]


def _articles(pipeline) -> dict[str, dict]:
    """source_file -> front matter, for every article ingest wrote."""
    out = {}
    for path in _ingested(pipeline):
        meta, _ = read(path)
        out[meta["source_file"]] = meta
    return out


def test_each_hostile_input_gets_its_one_result(pipeline):
    made = _articles(pipeline)
    wrong = []
    for name, want in pipeline.expect.items():
        lines = _lines_about(pipeline.ingest.stderr, name)
        errors = [msg for kind, msg in lines if kind == "error"]
        skips = [msg for kind, msg in lines if kind == "skipped"]
        if want.outcome == REFUSED and (len(errors) != 1 or name in made):
            wrong.append(f"{name!r} ({want.why}): expected one error line and no article, got {lines}")
        elif want.outcome == SKIPPED and (len(skips) != 1 or errors or name in made):
            wrong.append(f"{name!r} ({want.why}): expected one skipped line, got {lines}")
        elif want.outcome == ARTICLE and (errors or name not in made):
            wrong.append(f"{name!r} ({want.why}): expected an article, got {lines}")
        elif want.outcome == EITHER and (name in made) == (len(errors) == 1):
            wrong.append(f"{name!r} ({want.why}): expected an article or one error line, got {lines}")
    assert not wrong, "\n".join(wrong)


def test_nothing_is_written_outside_the_output_folder(pipeline):
    changed = sorted(p for p in set(pipeline.before) | set(pipeline.after)
                     if pipeline.before.get(p) != pipeline.after.get(p))
    allowed = ("project/docs/articles/", "project/.cache/")
    outside = [p for p in changed if not p.startswith(allowed) and p not in ("project/docs/articles", "project/.cache")]
    assert not outside, f"written outside docs/articles/: {outside}"
    assert any(p.startswith("project/docs/articles/") for p in changed)
    bait = pipeline.root / "project" / "outside" / "bait.txt"
    assert "hors du dossier" in bait.read_text(encoding="utf-8")


def test_every_output_is_a_valid_article_of_plain_text(pipeline):
    bad = []
    for path in _ingested(pipeline):
        m = ARTICLE_NAME.match(path.name)
        if not m or not stat.S_ISREG(os.lstat(path).st_mode):
            bad.append(f"{path.name!r}: not a <slug>.<lang>.md regular file")
            continue
        if m["slug"] in RESERVED_SLUGS or slug_problem(m["slug"]):
            bad.append(f"{path.name}: reserved or invalid slug")
        meta, body = read(path)
        bad += [f"{path.name}: {p}" for p in validate_front_matter(meta)]
        if meta.get("slug") != m["slug"]:
            bad.append(f"{path.name}: slug {meta.get('slug')!r} is not the file's")
        for key in ("title", "description", "organisation", "authors", "tags", "categories"):
            values = meta.get(key) if isinstance(meta.get(key), list) else [meta.get(key)]
            for v in values:
                if isinstance(v, str) and text_problem(v):
                    bad.append(f"{path.name}: {key} {text_problem(v)}")
    assert not bad, "\n".join(bad)


def test_a_second_run_changes_nothing(pipeline):
    _no_crash("ingest (second run)", pipeline.again)
    assert re.search(r"^ingest: 0 created, 0 updated, \d+ unchanged", pipeline.again.stdout, re.M), pipeline.again.stdout
    assert sorted(pipeline.again.stderr.splitlines()) == sorted(pipeline.ingest.stderr.splitlines())


def test_check_fails_on_the_refused_sources_and_passes_the_articles_ingest_wrote(pipeline):
    _no_crash("check", pipeline.check)
    assert pipeline.check.returncode == 1  # CI's `make check` step fails
    findings = re.findall(r"^(\S.*?)(?::\d+)?: (error|warning) \[([a-z-]+)\] (.*)$", pipeline.check.stdout, re.M)
    article_errors = [f for f in findings if f[0].startswith("docs/") and f[1] == "error"]
    assert not article_errors, "ingest wrote articles that check rejects:\n" + "\n".join(map(str, article_errors))
    failing = {f[0] for f in findings if f[2] == "source-fails"}
    for name, want in pipeline.expect.items():
        if want.outcome == REFUSED and "/" not in name and not name.startswith("."):
            assert f"sources/{display_name(name)}" in failing, f"check does not report {name!r} ({want.why})"


def test_the_site_builds_strictly(pipeline):
    _no_crash("mkdocs build", pipeline.build)
    assert pipeline.build.returncode == 0, pipeline.build.stderr[-3000:]


def test_no_live_script_in_the_built_site(pipeline):
    assert pipeline.build.returncode == 0, "no site to scan"
    pages = list(pipeline.site.rglob("*.html"))
    assert len(pages) > 15
    for slug in pipeline.hand_written:
        assert (pipeline.site / "articles" / slug / "index.html").is_file(), slug
    problems = scan_site(pipeline.site)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:50])
