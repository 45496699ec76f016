"""Formatters: plain terminal text, and GitHub Actions workflow commands."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from ..names import display_name, one_line
from .findings import ERROR, Finding


def _where(f: Finding) -> str:
    name = display_name(f.file)
    return f"{name}:{f.line}" if f.line else name


def format_text(findings: Iterable[Finding]) -> str:
    """One block per finding (``file:line: severity [rule] message`` then the fix)
    and a summary line."""
    findings = list(findings)
    lines: list[str] = []
    for f in findings:
        lines.append(f"{_where(f)}: {f.severity} [{f.rule}] {one_line(f.message)}")
        lines.append(f"    how to fix: {one_line(f.fix, 600)}")
    lines.append(summary(findings))
    return "\n".join(lines) + "\n"


def summary(findings: Iterable[Finding]) -> str:
    findings = list(findings)
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = len(findings) - errors
    if not findings:
        return "scidigest check: content OK (0 errors, 0 warnings)"
    verdict = "FAILED" if errors else "OK"
    return f"scidigest check: {verdict} ({errors} error{'s' * (errors != 1)}, " \
           f"{warnings} warning{'s' * (warnings != 1)})"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Iterable[Finding]) -> str:
    """GitHub Actions annotations, one ``::error``/``::warning`` command per finding,
    so problems show on the pull request's diff."""
    out = []
    for f in findings:
        props = [f"file={_escape_property(f.file)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property('scidigest check: ' + f.rule)}")
        kind = "error" if f.severity == ERROR else "warning"
        out.append(f"::{kind} {','.join(props)}::{_escape_data(f.message + ' Fix: ' + f.fix)}")
    return "\n".join(out) + ("\n" if out else "")


def in_github_actions(environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    return environ.get("GITHUB_ACTIONS") == "true"
