"""How severe a missing or stale translation is.

``main`` (the default, the policy on the main branch): only a stale *reviewed*
translation is an error (a person's work is silently out of date); missing
and stale machine translations are warnings, the next translate run fixes them.
``error``: every missing or stale translation is an error.
``warn``: they are all warnings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .findings import ERROR, WARNING

POLICIES = ("main", "error", "warn")
ENV_VAR = "SCIDIGEST_TRANSLATIONS"


def resolve_policy(flag: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The command-line flag wins, then ``SCIDIGEST_TRANSLATIONS``, then ``main``."""
    environ = os.environ if environ is None else environ
    value = (flag or environ.get(ENV_VAR) or "main").strip().lower()
    if value not in POLICIES:
        raise ValueError(f"{ENV_VAR} / --translations must be one of {', '.join(POLICIES)}, "
                         f"not {value!r}")
    return value


def severity_for(policy: str, state: str, status: str | None) -> str:
    if policy == "error":
        return ERROR
    if policy == "warn":
        return WARNING
    return ERROR if state == "stale" and status == "reviewed" else WARNING
