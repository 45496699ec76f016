"""`scidigest translate`: write ``<slug>.en.md`` next to each French original.

The only command that talks to a translation provider (building or serving
the site never does).  ``--check`` makes no request and writes nothing: it
lists each original's translation state and fails on missing or stale ones.
``--mark-reviewed SLUG`` records that a person checked (and maybe corrected)
the translation of SLUG: status ``reviewed``, made from the current original.
``--refresh`` makes no request: each reviewed translation takes the fields
it copies from its original (date, organisation, source URL, journal, DOI...)
and loses the notice admonition pages written before carried in their
body (the site's header shows the notice); its own words and review status
stay.  A normal run does the same to the reviewed pages it keeps.
``--revalidate`` makes no request either: it judges the stored translation
memory with today's checks, drops the machine entries that fail (the next
run asks for them again) and flags the reviewed ones (kept, not served).
Keys come from environment variables only (DEEPL_API_KEY, LIBRE_API_KEY,
MYMEMORY_EMAIL); endpoints too (DEEPL_API_URL, LIBRETRANSLATE_URL).  A key
the chosen provider needs and does not find stops the command at once, with
one line naming the variable, before any request.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scidigest.frontmatter import join, write_atomic
from scidigest.languages import other
from scidigest.translate import pages
from scidigest.translate.memory import DEFAULT_DIR
from scidigest.translate.providers import PROVIDERS, RetryPolicy, TranslationError, make_provider
from scidigest.translate.translator import TranslationFailed, run

ARTICLES_DIR = Path("docs") / "articles"


def register(sub) -> None:
    p = sub.add_parser(
        "translate",
        help="machine-translate articles into the other site language (the only command that calls a provider)",
        description=__doc__.split("\n\n")[0],
    )
    p.add_argument("--to", default="en", choices=pages.LANGS, help="target language (default: en)")
    p.add_argument("--provider", default="google", choices=PROVIDERS, help="translation engine (default: google)")
    p.add_argument("--provider-url", help="LibreTranslate or DeepL base URL (self-hosted, proxy); default $LIBRETRANSLATE_URL / $DEEPL_API_URL")
    p.add_argument("--check", action="store_true", help="no request, no write: fail if a translation is missing or stale")
    p.add_argument("--revalidate", action="store_true",
                   help="no request: re-check the stored memory with today's rules, drop bad machine entries, flag bad reviewed ones")
    p.add_argument("--refresh", action="store_true",
                   help="no request: bring reviewed translations' copied fields up to date with their originals "
                        "and remove the old in-body notice")
    p.add_argument("--mark-reviewed", metavar="SLUG", action="append", help="mark SLUG's translation as reviewed by a person")
    p.add_argument("--only", metavar="SLUG", action="append", help="translate only these articles")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per request (default: 20)")
    p.add_argument("--retries", type=int, default=5, help="attempts per request (default: 5)")
    p.add_argument("--max-chars", type=int, help="characters per request (at most the provider's limit)")
    p.add_argument("--articles", type=Path, default=ARTICLES_DIR, help=f"articles directory (default: {ARTICLES_DIR})")
    p.add_argument("--memory", type=Path, default=DEFAULT_DIR, help=f"translation memory directory (default: {DEFAULT_DIR})")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=main)


def _src(tgt: str) -> str:
    return other(tgt)


def check(articles: Path, tgt: str, out=sys.stdout) -> int:
    """Print each original's state; 1 if any translation is missing, stale or invalid."""
    bad = 0
    for st in pages.status_all(articles, _src(tgt), tgt):
        who = f" ({st.status}, {st.provider})" if st.status else ""
        detail = f": {st.detail}" if st.detail else ""
        print(f"{st.state:10} {st.slug}{who}{detail}", file=out)
        if st.state in ("missing", "stale", "invalid"):
            bad += 1
    if bad:
        print(f"{bad} translation(s) missing or stale; run `scidigest translate` (reviewed ones: update by hand, "
              "then `scidigest translate --mark-reviewed SLUG`)", file=out)
    return 1 if bad else 0


def revalidate(memory_dir: Path, out=None) -> int:
    """Re-check every memory file; 1 if a reviewed entry is flagged (a person must look)."""
    from scidigest.translate.memory import revalidate as run_revalidate

    out = sys.stdout if out is None else out

    if not memory_dir.is_dir():
        print(f"scidigest translate: no translation memory at {memory_dir}", file=out)
        return 1
    flagged = dropped = 0
    for rep in run_revalidate(memory_dir):
        state = "rewritten" if rep.changed else "unchanged"
        print(f"{rep.path}: {rep.entries} entries, {rep.passed} pass, {len(rep.dropped)} dropped, "
              f"{len(rep.flagged)} flagged ({state})", file=out)
        for source, why in rep.dropped:
            print(f"  dropped {_snip(source)!r}: {why}", file=out)
        for source, why in rep.flagged:
            print(f"  flagged (reviewed, not served until fixed) {_snip(source)!r}: {why}", file=out)
        flagged += len(rep.flagged)
        dropped += len(rep.dropped)
    if dropped:
        print(f"{dropped} machine entries dropped: run `scidigest translate` to translate them again", file=out)
    if flagged:
        print(f"{flagged} reviewed entries flagged `suspect`: correct their target in the memory file and "
              "remove the `suspect` field, then run `scidigest translate --revalidate` again", file=out)
    return 1 if flagged else 0


def _snip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def mark_reviewed(articles: Path, slug: str, tgt: str) -> str:
    """Set ``translation.status: reviewed`` and the current original's hash."""
    original = articles / f"{slug}.{_src(tgt)}.md"
    target = articles / f"{slug}.{tgt}.md"
    if not original.exists() or not target.exists():
        raise FileNotFoundError(f"need both {original} and {target}")
    o_meta, o_body = pages.read_page(original.read_text("utf-8"))
    meta, body = pages.read_page(target.read_text("utf-8"))
    info = dict(meta.get("translation") or {})
    info.update({"from": _src(tgt), "status": "reviewed", "source_hash": pages.source_hash(o_meta, o_body)})
    info.setdefault("provider", "manual")
    info.pop("untranslated_segments", None)
    meta["translation"] = {k: info[k] for k in ("from", "provider", "status", "source_hash")}
    text = join(meta, pages.compose_body(pages.strip_notice(body)))
    write_atomic(target, pages.refresh(original.read_text("utf-8"), text))
    return info["source_hash"]


def main(args) -> int:
    tgt = args.to
    if args.check:
        return check(args.articles, tgt)
    if args.revalidate:
        return revalidate(args.memory)
    if args.refresh:
        from scidigest.translate.translator import refresh_all

        written = refresh_all(args.articles, _src(tgt), tgt)
        for path in written:
            print(f"refreshed {path}")
        print(f"{len(written)} reviewed translation(s) refreshed")
        return 0
    if args.mark_reviewed:
        for slug in args.mark_reviewed:
            try:
                h = mark_reviewed(args.articles, slug, tgt)
            except (FileNotFoundError, ValueError) as exc:
                print(f"scidigest translate: {exc}", file=sys.stderr)
                return 1
            print(f"reviewed {slug} (source_hash {h})")
        return 0
    try:
        provider = make_provider(args.provider, _src(tgt), tgt, url=args.provider_url, timeout=args.timeout, max_chars=args.max_chars)
    except TranslationError as exc:
        print(f"scidigest translate: {exc}", file=sys.stderr)
        return 2
    policy = RetryPolicy(attempts=max(1, args.retries))
    try:
        stats = run(
            args.articles, provider, args.memory, src=_src(tgt), tgt=tgt, only=args.only, policy=policy,
            progress=not args.no_progress and sys.stderr.isatty(),
        )
    except TranslationFailed as exc:
        print(f"scidigest translate: stopped: {exc}\nFinished requests are saved in {args.memory}; "
              "no partial page was written. Run again to resume.", file=sys.stderr)
        return 1
    print(stats.summary())
    for st in pages.status_all(args.articles, _src(tgt), tgt):
        if st.state == "stale" and st.status == "reviewed":
            o_meta, o_body = pages.read_page(st.original.read_text("utf-8"))
            print(f"  {st.slug}: original's current source_hash is {pages.source_hash(o_meta, o_body)}")
    return 0
