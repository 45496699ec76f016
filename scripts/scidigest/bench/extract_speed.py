"""HTML and PDF ingestion against the bare extractor on the same files, in the same run.

    python -m scidigest.bench.extract_speed [--runs 7] [--corpus tests/corpus] [--profile KIND]

For each input kind, every ``source.html`` / ``source.pdf`` of the corpus is processed

* by **ours**: ``scidigest.ingest.writer.ingest()`` over a folder holding those files,
  into a fresh output folder: the whole thing (reader, cleaning, extraction, rendering,
  schema validation, slug, atomic write), exactly what ``scidigest ingest`` does;
* by the **bare extractor**, file by file on the same bytes:
  HTML: ``trafilatura.bare_extraction(with_metadata=True)`` with the options our reader
  passes (tables, formatting) — the extraction alone, nothing serialised — and
  ``trafilatura.extract(output_format="markdown", with_metadata=True)``, its text out;
  PDF: ``pdfminer.high_level.extract_text`` (layout analysis + text, default
  ``LAParams``) and ``list(extract_pages(...))`` (the layout pass alone, which our
  reader also runs once).

Runs alternate (ours, bare, bare, ours, ...) so both see the same machine; the minimum
of ``--runs`` is kept for each (CPU time of this process, and wall time), and the ratio
ours ÷ bare is printed. The process is pinned to one CPU. Caches inside the libraries
(htmldate's, pdfminer's font tables) are warm for both after the first, untimed, run.

``--profile html`` (or ``pdf``) adds a cProfile pass of ours and prints where the time
above the bare extractor goes.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from scidigest.bench.ingest import machine, pin_one_cpu
from scidigest.ingest import writer

KINDS = ("html", "pdf")


def corpus_files(corpus: Path, kind: str) -> list[Path]:
    return sorted(corpus.glob(f"*/*/source.{kind}"))


def stage(files: list[Path], folder: Path) -> Path:
    """Copy the files under unique names (``<document id>.<ext>``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copyfile(f, folder / f"{f.parent.name}{f.suffix}")
    return folder


# ------------------------------------------------------------------ the contenders
def ours(src: Path, scratch: Path):
    out = Path(tempfile.mkdtemp(dir=scratch))

    def run() -> None:
        report = writer.ingest([src], out)
        bad = [(r.source.name, r.message) for r in report.results if r.status not in ("created", "unchanged")]
        if bad:
            raise SystemExit(f"ingest failed on the corpus: {bad[:3]}")

    def reset() -> None:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()

    return run, reset


def bare_html_extraction(datas: list[bytes]):
    import trafilatura

    def run() -> None:
        for data in datas:
            trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=True,
                                        include_images=False, include_formatting=True, include_links=False,
                                        deduplicate=False)
    return run


def bare_html_markdown(datas: list[bytes]):
    import trafilatura

    def run() -> None:
        for data in datas:
            trafilatura.extract(data, output_format="markdown", with_metadata=True, include_comments=False,
                                include_tables=True, include_formatting=True, deduplicate=False)
    return run


def bare_pdf_text(datas: list[bytes]):
    from pdfminer.high_level import extract_text

    def run() -> None:
        for data in datas:
            extract_text(io.BytesIO(data))
    return run


def bare_pdf_layout(datas: list[bytes]):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    def run() -> None:
        for data in datas:
            list(extract_pages(io.BytesIO(data), laparams=LAParams()))
    return run


PEERS = {
    "html": (("trafilatura.bare_extraction", bare_html_extraction), ("trafilatura.extract → Markdown", bare_html_markdown)),
    "pdf": (("pdfminer extract_text", bare_pdf_text), ("pdfminer extract_pages (layout pass)", bare_pdf_layout)),
}


# ------------------------------------------------------------------ timing
def timed(fn, reset=None) -> tuple[float, float]:
    if reset:
        reset()
    gc.collect()
    gc.disable()
    try:
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        return time.process_time() - c0, time.perf_counter() - t0
    finally:
        gc.enable()


def measure(kind: str, files: list[Path], runs: int, scratch: Path) -> dict:
    src = stage(files, scratch / f"sources-{kind}")
    datas = [p.read_bytes() for p in sorted(src.iterdir())]
    run_ours, reset = ours(src, scratch)
    peers = [(label, make(datas)) for label, make in PEERS[kind]]
    contenders = [("ours", run_ours, reset)] + [(label, fn, None) for label, fn in peers]
    for _, fn, rs in contenders:  # warm-up: imports, models, caches
        timed(fn, rs)
    best = {name: [float("inf"), float("inf")] for name, _, _ in contenders}
    for i in range(runs):
        order = contenders if i % 2 == 0 else contenders[::-1]
        for name, fn, rs in order:
            cpu, wall = timed(fn, rs)
            best[name][0] = min(best[name][0], cpu)
            best[name][1] = min(best[name][1], wall)
    return {"files": len(datas), "bytes": sum(map(len, datas)), "best": best}


def profile(kind: str, files: list[Path], scratch: Path, top: int = 25) -> str:
    src = stage(files, scratch / f"profile-{kind}")
    run, reset = ours(src, scratch)
    run()  # warm
    reset()
    prof = cProfile.Profile()
    prof.enable()
    run()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    buf.write("\n")
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def report(results: dict, runs: int) -> str:
    lines = ["| input | files (KiB) | ours: CPU / wall (ms per file) | bare extractor | bare: CPU / wall (ms per file) "
             "| ours ÷ bare, CPU | ours ÷ bare, wall |",
             "|---|---:|---:|---|---:|---:|---:|"]
    for kind, res in results.items():
        n = res["files"]
        o_cpu, o_wall = res["best"]["ours"]
        for label, (b_cpu, b_wall) in ((k, v) for k, v in res["best"].items() if k != "ours"):
            lines.append(f"| {kind.upper()} | {n} ({res['bytes'] / 1024:.0f}) | {1000 * o_cpu / n:.1f} / "
                         f"{1000 * o_wall / n:.1f} | {label} | {1000 * b_cpu / n:.1f} / {1000 * b_wall / n:.1f} "
                         f"| **{o_cpu / b_cpu:.2f}×** | {o_wall / b_wall:.2f}× |")
    lines.append("")
    lines.append(f"Minimum of {runs} alternating runs each, one process pinned to one CPU; target ours ÷ bare ≤ 1.5×.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=Path("tests/corpus"))
    ap.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    ap.add_argument("--profile", choices=KINDS)
    args = ap.parse_args(argv)
    pinned = pin_one_cpu()
    files = {k: corpus_files(args.corpus, k) for k in args.kinds}
    if not all(files.values()):
        print(f"no source.html / source.pdf under {args.corpus}", file=sys.stderr)
        return 2
    m = machine()
    print(f"# extract_speed: {m['cpu']}, {m['cores']} cores, Python {m['python']}; {pinned}; "
          f"load average {os.getloadavg()[0]:.2f}")
    scratch = Path(tempfile.mkdtemp(prefix="scidigest-extract-speed-"))
    try:
        results = {k: measure(k, files[k], args.runs, scratch) for k in args.kinds}
        print(report(results, args.runs))
        if args.profile:
            print(profile(args.profile, files[args.profile], scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
