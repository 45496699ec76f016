"""`scidigest check` on hostile pages written by hand (not through ingest): every
Markdown-level form of script is reported with its file, its line and a fix, so CI's
``make check`` step fails before anything is built or published.

The pages are the hostile articles the site's own sanitiser is tested with
(``tests/plugins/hostile_site.py``), plus hostile YAML and files that are not files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scidigest.check import run_checks
from scidigest.frontmatter import join
from tests.plugins.hostile_site import HOSTILE_ARTICLES, MARK
from tests.plugins.site_server import copy_site_project

CLI = "import sys; from scidigest.cli import main; sys.exit(main(sys.argv[1:]))"
#: lines whose payload is written as text (``&lt;img ...&gt;``): not a form of script
ESCAPED = re.compile(r"&lt;[a-z]")


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory) -> Path:
    root = copy_site_project(tmp_path_factory.mktemp("hostile-check") / "repo", articles_from=None).project_dir
    articles = root / "docs" / "articles"
    for slug, (meta, body) in HOSTILE_ARTICLES.items():
        meta = {"slug": slug, "lang": "fr", "kind": "news-article", "input_kind": "web-markdown",
                "reading_time": 1, "source_file": f"{slug}.md", "source_hash": "sha256:" + "0" * 64,
                "hand_edited": True, **meta}
        (articles / f"{slug}.fr.md").write_text(join(meta, body), encoding="utf-8")
    return root


def _findings(root: Path):
    return [f for f in run_checks(root, rules=["front-matter", "structure", "html"]) if f.is_error]


def test_every_hostile_body_line_is_reported_with_its_line_and_a_fix(hostile_tree):
    errors = _findings(hostile_tree)
    missed = []
    for slug in HOSTILE_ARTICLES:
        rel = f"docs/articles/{slug}.fr.md"
        text = (hostile_tree / rel).read_text(encoding="utf-8")
        lines = {f.line for f in errors if f.file == rel}
        body_start = text.index("\n---\n") + 1
        first_body_line = text[:body_start].count("\n") + 2
        for n, line in enumerate(text.splitlines(), start=1):
            if n >= first_body_line and MARK in line and not ESCAPED.search(line) and n not in lines:
                missed.append(f"{rel}:{n}: {line[:100]}")
    assert not missed, "hostile lines check does not report:\n" + "\n".join(missed)
    assert all(f.fix and f.message and f.line for f in errors if f.rule in ("raw-html", "script-link", "attr-list"))


def test_every_hostile_front_matter_field_is_reported(hostile_tree):
    errors = _findings(hostile_tree)
    missed = []
    for slug, (meta, _) in HOSTILE_ARTICLES.items():
        rel = f"docs/articles/{slug}.fr.md"
        reported = {f.message.split("`")[1] for f in errors if f.file == rel and f.message.startswith("`")}
        for key, value in meta.items():
            if MARK in str(value) and key not in reported:
                missed.append(f"{rel}: {key}")
    assert not missed, "hostile fields check does not report:\n" + "\n".join(missed)


def test_check_exits_non_zero_for_ci(hostile_tree):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    proc = subprocess.run([sys.executable, "-c", CLI, "check", "--root", str(hostile_tree), "--rule", "html"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1].startswith("scidigest check: FAILED")
    for line in lines[:-1]:  # "file:line: error [rule] message" then "    how to fix: ..."
        assert re.match(r"^(docs/\S+:\d+: (error|warning) \[[a-z-]+\] \S|    how to fix: \S)", line), line


def test_the_ci_workflow_fails_on_check_errors():
    workflow = (Path(__file__).resolve().parents[2] / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    step = re.search(r"run: make check\b", workflow)
    assert step, "CI no longer runs `make check`"
    assert "continue-on-error" not in workflow[max(0, step.start() - 300): step.end() + 100]


HOSTILE_YAML = {
    "rires": "title: &a Titre\ndescription: *a\n",
    "profond": "title: x\ntags: " + "[" * 5000 + "]" * 5000 + "\n",
    "milliard": "".join(f"l{i}: &v{i} [{', '.join(['*v' + str(i - 1)] * 9 if i else ['lol'] * 9)}]\n"
                        for i in range(10)) + "title: x\n",
}


def test_hostile_front_matter_yaml_is_refused_in_one_line_without_hanging(tmp_path):
    root = copy_site_project(tmp_path / "repo", articles_from=None).project_dir
    for slug, front in HOSTILE_YAML.items():
        (root / "docs" / "articles" / f"{slug}.fr.md").write_text(f"---\n{front}---\n\nTexte.\n", encoding="utf-8")
    findings = run_checks(root, rules=["front-matter", "structure", "html"])
    for slug in HOSTILE_YAML:
        mine = [f for f in findings if f.file == f"docs/articles/{slug}.fr.md"]
        assert [f.rule for f in mine] == ["front-matter-yaml"], (slug, mine)
        assert "refused" in mine[0].message and "\n" not in mine[0].message


def test_pages_that_are_not_regular_files_are_reported_not_opened(tmp_path):
    root = copy_site_project(tmp_path / "repo", articles_from=None).project_dir
    articles = root / "docs" / "articles"
    os.mkfifo(articles / "tube.fr.md")
    (articles / "zero.fr.md").symlink_to("/dev/zero")
    (root / "sources").mkdir()
    os.mkfifo(root / "sources" / "tube.meta.yaml")
    findings = run_checks(root, rules=["front-matter", "structure", "html"])
    got = {(f.file, f.rule) for f in findings if f.is_error}
    assert ("docs/articles/tube.fr.md", "not-a-file") in got
    assert ("docs/articles/zero.fr.md", "not-a-file") in got
    assert ("sources/tube.meta.yaml", "sidecar") in got
