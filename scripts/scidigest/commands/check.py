"""`scidigest check`: validate the content tree (front matter, sync with the
sources, translations, structure, HTML) and explain how to fix each problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scidigest.check import RULES, run_checks
from scidigest.check.findings import sorted_findings
from scidigest.check.links import base_path, check_site_links
from scidigest.check.policy import ENV_VAR, POLICIES, resolve_policy
from scidigest.check.report import format_github, format_text, in_github_actions


def register(sub) -> None:
    p = sub.add_parser(
        "check",
        help="validate the content tree; exit 1 if there is an error",
        description="Validate every article, source, sidecar and translation, and every page "
                    "in docs/. Each problem names the file (and line) and how to fix it. "
                    "Inside GitHub Actions (GITHUB_ACTIONS=true) it also prints annotations.",
    )
    p.add_argument("--root", type=Path, default=Path("."),
                   help="repository root (default: the current directory)")
    p.add_argument("--translations", choices=POLICIES, default=None,
                   help="severity of missing/stale translations: 'main' (default: only stale "
                        "reviewed translations are errors), 'error' or 'warn'; "
                        f"also from ${ENV_VAR}")
    p.add_argument("--strict-translations", action="store_const", const="error",
                   dest="translations", help="same as --translations error")
    p.add_argument("--rule", action="append", choices=list(RULES), dest="rules",
                   help="run only this family of rules (repeatable)")
    p.add_argument("--links", type=Path, metavar="SITE_DIR", default=None,
                   help="instead of the content, check the internal links of a built site "
                        "(e.g. site/ after `mkdocs build`)")
    p.add_argument("--format", choices=("auto", "text", "github"), default="auto",
                   help="'github' adds ::error annotations; 'auto' does so inside GitHub Actions")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        policy = resolve_policy(args.translations)
    except ValueError as exc:
        print(f"scidigest check: {exc}", file=sys.stderr)
        return 2
    root = args.root
    if args.links is not None:
        if not (args.links / "index.html").is_file():
            print(f"scidigest check: {args.links} holds no built site (no index.html); run "
                  "`mkdocs build` first", file=sys.stderr)
            return 2
        findings = sorted_findings(check_site_links(args.links, base=base_path(root)))
        return _report(args, findings)
    if not (root / "docs").is_dir() and not (root / "sources").is_dir():
        print(f"scidigest check: {root} has neither docs/ nor sources/; run it from the "
              "repository root or pass --root", file=sys.stderr)
        return 2
    findings = run_checks(root, translations=policy, rules=args.rules)
    return _report(args, findings)


def _report(args: argparse.Namespace, findings) -> int:
    github = args.format == "github" or (args.format == "auto" and in_github_actions())
    if github:
        sys.stdout.write(format_github(findings))
    sys.stdout.write(format_text(findings))
    return 1 if any(f.is_error for f in findings) else 0
