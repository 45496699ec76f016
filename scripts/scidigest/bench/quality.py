"""Ingestion quality on the corpus of real-tool documents: ``python -m scidigest.bench.quality``.

The corpus (``tests/corpus/``, see its README) holds documents the team wrote and wrapped in
real chrome (CMS pages, PDF press releases), each extracted by the real tools users run
(pdftotext with and without ``-layout``, pdfminer.six, pypdf, html2text, markdownify, pandoc,
w3m, lynx), with a truth file per document. Every input of a document is a *case*: the
original ``source.html`` / ``source.pdf`` (through our HTML and PDF readers) and each
extracted text (through the text reader). For each case the scorer runs the real ingestion
stages and checks:

* title right: the article's title equals the truth's (NFC, spaces collapsed, quotes and
  case folded, trailing punctuation ignored);
* date right: the front-matter date equals the truth's (a missing date is wrong);
* fragments kept: each of the 8-12 body fragments is found in the article body;
* chrome leaked: each furniture string (banner, footer, contact, related link...) that is
  found in the article body or title.

A case that fails to ingest counts as wrong on everything (all fragments lost, no chrome).
``dev/`` is what the rules may be tuned on; ``holdout/`` measures generalisation and is
never looked at while writing rules. ``--check FLOOR.yaml`` exits 1 when a total falls
below its floor, which is how CI holds the line (``tests/ingest/test_quality_floor.py``).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from scidigest.ingest.flow import build_article
from scidigest.ingest.model import IngestError
from scidigest.ingest.render import render_body

CORPUS = Path("tests/corpus")
SPLITS = ("dev", "holdout")
_ORIGINALS = ("source.html", "source.pdf")


@dataclass
class Case:
    doc: str
    split: str
    input: str  # "html" / "pdf" (the original) or the extractor's name ("pdftotext-layout")
    family: str  # html, pdf, or text (any extractor's output)
    title_ok: bool = False
    date_ok: bool = False
    fragments: int = 0
    kept: int = 0
    chrome_leaked: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    title: str | None = None
    date: str | None = None
    error: str | None = None


# --------------------------------------------------------------------------- normalising
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_FOOTNOTE = re.compile(r"\[\^\w+\]:?")
_MD_MARKS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`|\\(?=[^\w\s])|^#{1,6}\s|^>\s?|^[-*+]\s|\{:[^}]*\}", re.M)
_TAGS = re.compile(r"<[^>]+>")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "«": '"', "»": '"',
                         "\u00a0": " ", "\u202f": " ", "\u2009": " ", "–": "-", "—": "-", "\u2010": "-",
                         "\u2011": "-"})


def plain(text: str) -> str:
    """Markdown -> comparable plain text: markup out, NFKC (ligatures), quotes and spaces folded."""
    text = _MD_LINK.sub(r"\1", text)
    text = _FOOTNOTE.sub("", text)
    text = _TAGS.sub("", text)
    text = _MD_MARKS.sub("", text)
    text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split())


def _title_key(text: str) -> str:
    return plain(text).casefold().rstrip(" .!?:;")


# --------------------------------------------------------------------------- scoring
def cases_of(doc_dir: Path) -> list[tuple[str, str, Path]]:
    """(input name, family, file) for every input of one document."""
    out = []
    for name in _ORIGINALS:
        if (doc_dir / name).is_file():
            fmt = name.split(".")[1]
            out.append((fmt, fmt, doc_dir / name))
    extracted = doc_dir / "extracted"
    if extracted.is_dir():
        for p in sorted(extracted.iterdir()):
            if p.is_file():
                out.append((p.stem, "text", p))
    return out


def score_case(doc_dir: Path, split: str, truth: dict, input_name: str, family: str, path: Path) -> Case:
    case = Case(doc=doc_dir.name, split=split, input=input_name, family=family)
    fragments = [str(f) for f in truth.get("fragments") or []]
    chrome = [str(c) for c in truth.get("chrome") or []]
    case.fragments = len(fragments)
    # the name a user's file would have: the extension picks the reader
    name = f"{doc_dir.name}{path.suffix}" if family != "text" else f"{doc_dir.name}--{path.name}"
    try:
        built = build_article(name, path.read_bytes())
    except IngestError as exc:
        case.error = str(exc)
        case.lost = fragments
        return case
    except Exception as exc:  # a bug in a stage is a failed case, not a failed run
        case.error = f"internal error {type(exc).__name__}: {exc}"
        case.lost = fragments
        return case
    meta = built.metadata
    body = plain(render_body(built.cleaned))
    case.title, case.date = meta.title, meta.date
    case.title_ok = _title_key(meta.title) == _title_key(str(truth.get("title", "")))
    case.date_ok = meta.date is not None and str(meta.date) == str(truth.get("date"))
    for f in fragments:
        if plain(f) in body:
            case.kept += 1
        else:
            case.lost.append(f)
    title_plain = plain(meta.title)
    case.chrome_leaked = [c for c in chrome if plain(c) and (plain(c) in body or plain(c) in title_plain)]
    return case


def score_corpus(root: Path = CORPUS, splits: tuple[str, ...] = SPLITS) -> list[Case]:
    cases = []
    for split in splits:
        base = root / split
        if not base.is_dir():
            continue
        for doc_dir in sorted(p for p in base.iterdir() if (p / "truth.yaml").is_file()):
            truth = yaml.safe_load((doc_dir / "truth.yaml").read_text("utf-8")) or {}
            for input_name, family, path in cases_of(doc_dir):
                cases.append(score_case(doc_dir, split, truth, input_name, family, path))
    return cases


@dataclass
class Totals:
    cases: int = 0
    documents: int = 0
    title_right: float = 0.0
    date_right: float = 0.0
    fragments_kept: float = 0.0
    chrome_per_case: float = 0.0
    failed: int = 0


def totals(cases: list[Case]) -> Totals:
    if not cases:
        return Totals()
    n = len(cases)
    frags = sum(c.fragments for c in cases)
    return Totals(
        cases=n,
        documents=len({c.doc for c in cases}),
        title_right=sum(c.title_ok for c in cases) / n,
        date_right=sum(c.date_ok for c in cases) / n,
        fragments_kept=(sum(c.kept for c in cases) / frags) if frags else 1.0,
        chrome_per_case=sum(len(c.chrome_leaked) for c in cases) / n,
        failed=sum(c.error is not None for c in cases),
    )


def groups(cases: list[Case]) -> dict[str, Totals]:
    """Totals overall, per split, per family (html, pdf, text) and per extractor."""
    by: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        by["all"].append(c)
        by[f"split:{c.split}"].append(c)
        by[f"family:{c.family}"].append(c)
        by[f"input:{c.input}"].append(c)
    return {k: totals(v) for k, v in sorted(by.items(), key=lambda kv: (kv[0] != "all", kv[0]))}


def _fmt(t: Totals) -> str:
    return (f"{t.cases:4d} cases {t.documents:3d} docs | title {t.title_right:6.1%} | date {t.date_right:6.1%} | "
            f"fragments {t.fragments_kept:6.1%} | chrome/case {t.chrome_per_case:5.2f} | failed {t.failed}")


def check_floor(groups_: dict[str, Totals], floor: dict) -> list[str]:
    """Messages for each total below its floor: ``{group: {measure: minimum}}``; for
    ``chrome_per_case`` the floor is a maximum."""
    problems = []
    for group, limits in floor.items():
        t = groups_.get(group)
        if t is None:
            problems.append(f"{group}: no cases")
            continue
        for measure, limit in limits.items():
            value = getattr(t, measure)
            bad = value > limit if measure == "chrome_per_case" else value < limit
            if bad:
                problems.append(f"{group}: {measure} {value:.3f} {'>' if measure == 'chrome_per_case' else '<'} floor {limit}")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scidigest.bench.quality", description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=CORPUS)
    p.add_argument("--split", choices=("dev", "holdout", "all"), default="all")
    p.add_argument("--cases", action="store_true", help="one line per case")
    p.add_argument("--failures", action="store_true", help="list lost fragments and leaked chrome")
    p.add_argument("--json", type=Path, help="write every case and total as JSON")
    p.add_argument("--check", type=Path, metavar="FLOOR.yaml", help="exit 1 below these floors")
    args = p.parse_args(argv)
    splits = SPLITS if args.split == "all" else (args.split,)
    cases = score_corpus(args.corpus, splits)
    if not cases:
        print(f"no corpus documents under {args.corpus}", file=sys.stderr)
        return 2
    if args.cases or args.failures:
        for c in cases:
            mark = "ERR " if c.error else ""
            print(f"{mark}{c.split:7s} {c.doc:40s} {c.input:17s} title {'ok ' if c.title_ok else 'NO '} "
                  f"date {'ok ' if c.date_ok else 'NO '} kept {c.kept:2d}/{c.fragments:2d} chrome {len(c.chrome_leaked)}"
                  + (f"  [{c.error}]" if c.error else ""))
            if args.failures:
                if not c.title_ok and not c.error:
                    print(f"      title: {c.title!r}")
                if not c.date_ok and not c.error:
                    print(f"      date: {c.date!r}")
                for f in c.lost:
                    print(f"      lost: {f}")
                for ch in c.chrome_leaked:
                    print(f"      chrome: {ch}")
    g = groups(cases)
    for name, t in g.items():
        print(f"{name:26s} {_fmt(t)}")
    if args.json:
        args.json.write_text(json.dumps({"cases": [asdict(c) for c in cases],
                                         "totals": {k: asdict(v) for k, v in g.items()}},
                                        ensure_ascii=False, indent=1), "utf-8")
    if args.check:
        problems = check_floor(g, yaml.safe_load(args.check.read_text("utf-8")) or {})
        for msg in problems:
            print(f"below floor: {msg}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
