"""`scidigest add` (placeholder until its issue lands)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("add", help="(not implemented yet)")
    p.set_defaults(func=lambda args: print("scidigest add: not implemented yet") or 2)
