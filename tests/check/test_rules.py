"""`scidigest check` catches each kind of broken content, one fixture each.

Every case under tests/fixtures/check/cases/<name>/ is the valid tree in
tests/fixtures/check/base/ with the files of its tree/ laid over it (and the
paths in `delete:` removed); its expect.yaml lists the findings it must produce.
Only the errors listed (or named in `also_allowed`) may appear, so a rule that
fires on valid content fails the test too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from scidigest.check import run_checks
from scidigest.check.tree import load_tree
from scidigest.frontmatter import output_hash
from scidigest.translate.pages import source_hash

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "check"
CASES = sorted(p.name for p in (FIXTURES / "cases").iterdir() if p.is_dir())
#: the sync family needs real ingestion of real sources; tested in check/test_sync.py
FIXTURE_RULES = ["front-matter", "structure", "hand-edits", "translations", "html"]


def seal(root: Path, *, output: bool = True, translations: bool = True) -> None:
    """Write the hashes a fresh ingest/translate run would have recorded, so the
    fixtures stay valid whatever hash the pipeline uses."""
    tree = load_tree(root)
    by_name = {a.path.name: a for a in tree.articles}
    for a in tree.articles:
        path = root / a.path
        if output and "translation" not in a.meta and "output_hash" in a.meta:
            new = output_hash(a.text)
            path.write_text(re.sub(r"(?m)^output_hash: .*$", f"output_hash: {new}", a.text),
                            encoding="utf-8")
    tree = load_tree(root)
    by_name = {a.path.name: a for a in tree.articles}
    for a in tree.articles:
        info = a.meta.get("translation")
        if translations and isinstance(info, dict):
            slug = a.path.name.split(".")[0]
            original = by_name.get(f"{slug}.{info.get('from')}.md")
            if original is None:
                continue
            new = source_hash(original.meta, original.body)
            text = re.sub(r"(?m)^  source_hash: .*$", f"  source_hash: {new}", a.text)
            (root / a.path).write_text(text, encoding="utf-8")


def make_tree(tmp_path: Path, case: str | None = None) -> tuple[Path, dict]:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "base", root)
    expect: dict = {}
    if case:
        cdir = FIXTURES / "cases" / case
        expect = yaml.safe_load((cdir / "expect.yaml").read_text(encoding="utf-8")) or {}
        seal(root)  # the base is valid; the case's own files decide what is not
        if (cdir / "tree").is_dir():
            shutil.copytree(cdir / "tree", root, dirs_exist_ok=True)
        for rel in expect.get("delete", []):
            (root / rel).unlink()
        seal(root, output=expect.get("seal_output", True),
             translations=expect.get("seal_translations", True))
    else:
        seal(root)
    return root, expect


def test_base_fixture_is_clean(tmp_path):
    root, _ = make_tree(tmp_path)
    assert run_checks(root, rules=FIXTURE_RULES) == []


@pytest.mark.parametrize("case", CASES)
def test_check_reports_broken_content(tmp_path, case):
    root, expect = make_tree(tmp_path, case)
    findings = run_checks(root, rules=expect.get("rules", FIXTURE_RULES),
                          translations=expect.get("translations", "main"))
    got = {(f.rule, f.file, f.line, f.severity) for f in findings}
    for want in expect.get("findings", []):
        if "line" in want:
            key = (want["rule"], want["file"], want["line"], want["severity"])
            assert key in got, f"{case}: expected {key}, got {sorted(got, key=str)}"
        else:
            assert any((r, fl, s) == (want["rule"], want["file"], want["severity"])
                       for r, fl, _, s in got), f"{case}: expected {want}, got {got}"
    allowed = {w["rule"] for w in expect.get("findings", [])} | set(expect.get("also_allowed", []))
    unexpected = [f for f in findings if f.is_error and f.rule not in allowed]
    assert not unexpected, f"{case}: unexpected errors {unexpected}"
    for f in findings:  # every finding tells which file and how to fix it
        assert f.file and f.message and f.fix


def test_every_finding_names_file_and_fix_in_text_output(tmp_path):
    from scidigest.check.report import format_text

    root, expect = make_tree(tmp_path, "date-not-real")
    text = format_text(run_checks(root, rules=FIXTURE_RULES))
    assert "docs/articles/neurones-regeneres.fr.md:4: error [date]" in text
    assert "how to fix: write a real date as YYYY-MM-DD" in text
    assert text.rstrip().endswith("(1 error, 0 warnings)")
