"""The one command, ``scidigest``, and its subcommands.

Each subcommand lives in its own module under ``scidigest.commands`` and
exposes ``register(subparsers)``; this file only wires them together so the
commands can be developed and tested independently.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: subcommand modules, in the order ``--help`` lists them
COMMANDS = ("ingest", "translate", "check", "add", "serve")


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; when ``argv`` names a subcommand, only that one's module is
    imported (``scidigest serve`` need not load ingestion and translation)."""
    parser = argparse.ArgumentParser(
        prog="scidigest",
        description="Turn raw science texts into a bilingual MkDocs science digest.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = (argv[0],) if argv and argv[0] in COMMANDS else COMMANDS
    for name in names:
        module = importlib.import_module(f"scidigest.commands.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("scidigest: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
