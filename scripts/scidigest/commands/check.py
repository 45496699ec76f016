"""`scidigest check` (placeholder until its issue lands)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("check", help="(not implemented yet)")
    p.set_defaults(func=lambda args: print("scidigest check: not implemented yet") or 2)
