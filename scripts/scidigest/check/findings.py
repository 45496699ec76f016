"""What a check reports: one :class:`Finding` per problem, plain data."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in the content tree.

    ``file`` is relative to the repository root, POSIX style; ``line`` is
    1-based (``None`` when the problem is about the whole file); ``fix`` tells
    the contributor what to do about it.
    """

    file: str
    line: int | None
    severity: str
    rule: str
    message: str
    fix: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def sort_key(f: Finding) -> tuple:
    return (f.file, f.line or 0, f.rule, f.message)


def sorted_findings(findings) -> list[Finding]:
    """Deterministic order: by file, line, rule, message; duplicates dropped."""
    return sorted(set(findings), key=sort_key)
