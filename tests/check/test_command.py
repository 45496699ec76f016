"""The `scidigest check` command: exit codes, output formats, translation policy,
and the repository as committed passing its own check."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from scidigest.check import run_checks
from scidigest.check.findings import ERROR, WARNING, Finding
from scidigest.check.policy import resolve_policy, severity_for
from scidigest.check.report import format_github, in_github_actions
from scidigest.commands import check as check_command

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "check"


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="scidigest")
    check_command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["check", *argv])
    return args.func(args)


def test_repository_as_committed_has_no_errors():
    findings = run_checks(REPO)
    errors = [f for f in findings if f.is_error]
    assert errors == [], "\n".join(f"{f.file}:{f.line}: {f.message}" for f in errors)


def test_exit_code_is_1_on_error_and_0_on_warnings_only(tmp_path, capsys):
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Titre\n\n<iframe src=x></iframe>\n", "utf-8")
    assert run_cli("--root", str(root), "--format", "text") == 1
    out = capsys.readouterr().out
    assert "docs/index.md:3: error [raw-html] raw HTML tag <iframe> is not allowed" in out
    (root / "docs" / "index.md").write_text("# Titre\n\nTexte <em>simple</em>.\n", "utf-8")
    assert run_cli("--root", str(root), "--format", "text") == 0


def test_refuses_a_directory_that_is_not_a_repository(tmp_path, capsys):
    assert run_cli("--root", str(tmp_path)) == 2
    assert "run it from the repository root" in capsys.readouterr().err


def test_github_annotations_printed_inside_github_actions(tmp_path, capsys, monkeypatch):
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# T\n\n[x](javascript:alert(1))\n", "utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert run_cli("--root", str(root)) == 1
    out = capsys.readouterr().out
    assert out.startswith("::error file=docs/index.md,line=3,title=scidigest check%3A script-link::")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    run_cli("--root", str(root))
    assert "::error" not in capsys.readouterr().out


def test_github_annotation_escapes_newlines_commas_and_colons():
    f = Finding("docs/a,b.md", 7, WARNING, "r", "line one\nline 100%", "fix: it")
    line = format_github([f])
    assert line == ("::warning file=docs/a%2Cb.md,line=7,title=scidigest check%3A r::"
                    "line one%0Aline 100%25 Fix: fix: it\n")
    assert in_github_actions({"GITHUB_ACTIONS": "true"})
    assert not in_github_actions({})


def test_translation_policy_flag_beats_environment_and_defaults_to_main():
    assert resolve_policy(None, {}) == "main"
    assert resolve_policy(None, {"SCIDIGEST_TRANSLATIONS": "error"}) == "error"
    assert resolve_policy("warn", {"SCIDIGEST_TRANSLATIONS": "error"}) == "warn"
    with pytest.raises(ValueError, match="must be one of"):
        resolve_policy(None, {"SCIDIGEST_TRANSLATIONS": "loud"})


@pytest.mark.parametrize(("policy", "state", "status", "severity"), [
    ("main", "missing", None, WARNING),
    ("main", "stale", "machine", WARNING),
    ("main", "stale", "reviewed", ERROR),
    ("error", "missing", None, ERROR),
    ("error", "stale", "machine", ERROR),
    ("warn", "stale", "reviewed", WARNING),
])
def test_translation_severity_by_policy(policy, state, status, severity):
    assert severity_for(policy, state, status) == severity


def test_strict_translations_flag_turns_missing_translation_into_error(tmp_path, capsys):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "base", root)
    (root / "docs/articles/neurones-regeneres.en.md").unlink()
    run_cli("--root", str(root), "--rule", "translations")
    assert "warning [translation-missing]" in capsys.readouterr().out
    assert run_cli("--root", str(root), "--rule", "translations", "--strict-translations") == 1
    assert "error [translation-missing]" in capsys.readouterr().out


def test_output_is_deterministic(tmp_path, capsys):
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "b.md").write_text("<div>\n<table>\n", "utf-8")
    (root / "docs" / "a.md").write_text("<form>\n", "utf-8")
    run_cli("--root", str(root), "--format", "text")
    first = capsys.readouterr().out
    run_cli("--root", str(root), "--format", "text")
    assert capsys.readouterr().out == first
    assert first.index("docs/a.md:1") < first.index("docs/b.md:1") < first.index("docs/b.md:2")


def test_links_mode_reports_broken_internal_links_of_a_built_site(tmp_path, capsys):
    site = tmp_path / "site"
    (site / "fr" / "articles" / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<a href="fr/articles/a/">ok</a>\n<a href="https://example.org/">external</a>\n'
        '<a href="#top">anchor</a>\n<img src="img/missing.png">\n'
        '<a href="/scidigest/fr/articles/a/">served under site_url\'s path</a>\n'
        '<a href="/other/">outside</a>\n', "utf-8")
    (site / "fr" / "articles" / "a" / "index.html").write_text(
        '<a href="../../../">home</a><a href="../b/">gone</a>', "utf-8")
    assert run_cli("--links", str(site), "--format", "text") == 1
    out = capsys.readouterr().out
    assert "site/index.html:4: error [broken-link] link 'img/missing.png'" in out.replace(
        str(tmp_path) + "/", "")
    assert "'../b/'" in out and "'../../../'" not in out and "example.org" not in out
    assert "'/other/'" in out and "/scidigest/fr/articles/a/" not in out
