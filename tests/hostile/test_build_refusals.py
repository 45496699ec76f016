"""A hand-written article the build cannot safely read stops ``mkdocs build`` with one
line naming the file, within seconds: never a crash, a hang or minutes of work.

Without the guard (``site/mkdocs/hooks.py``), an alias "billion laughs" front matter
stalled the build past two minutes, deep nesting killed it with a segmentation fault,
and a FIFO among the articles blocked it for ever.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.plugins.site_server import copy_site_project

pytestmark = pytest.mark.slow

LAUGHS = "".join(f"l{i}: &v{i} [{', '.join(['*v' + str(i - 1)] * 9 if i else ['lol'] * 9)}]\n" for i in range(12))
FRONT = "title: Un article piégé\nlang: fr\ndescription: Un résumé.\n"
CASES = {
    "rires": FRONT + LAUGHS + "tags: *v11\n",
    "profond": FRONT + "tags: " + "[" * 20000 + "]" * 20000 + "\n",
}


def _build(project, tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                              cwd=project, capture_output=True, text=True, timeout=60, env=env,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("hang: mkdocs build did not finish in 60 s")


def _refused_in_one_line(proc, name):
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])  # not a signal, not 0
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and f"articles/{name}" in errors[0], proc.stderr[-2000:]
    return errors[0]


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_front_matter_stops_the_build_in_one_line(tmp_path, case):
    project = copy_site_project(tmp_path / "project", articles_from=None, synthetic=1).project_dir
    (project / "docs" / "articles" / f"{case}.fr.md").write_text(f"---\n{CASES[case]}---\n\nTexte.\n", encoding="utf-8")
    line = _refused_in_one_line(_build(project, tmp_path), f"{case}.fr.md")
    assert "front matter refused" in line


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_an_article_that_is_not_a_file_stops_the_build_in_one_line(tmp_path, kind):
    project = copy_site_project(tmp_path / "project", articles_from=None, synthetic=1).project_dir
    path = project / "docs" / "articles" / "piege.fr.md"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    _refused_in_one_line(_build(project, tmp_path), "piege.fr.md")
