"""HTML and PDF ingestion against the bare extractor on the same files, in the same run.

    python -m scidigest.bench.extract_speed [--runs 7] [--corpus tests/corpus] [--profile KIND]

For each input kind, every ``source.html`` / ``source.pdf`` of the corpus is processed

* by **ours**: ``scidigest.ingest.writer.ingest()`` of the file into an empty output
  folder: the whole thing (reader, cleaning, extraction, rendering, schema validation,
  slug, atomic write), exactly what ``scidigest ingest`` does;
* by the **bare extractor**, file by file on the same bytes:
  HTML: ``trafilatura.bare_extraction(with_metadata=True)`` with the options our reader
  passes (tables, formatting) — the extraction alone, nothing serialised — and
  ``trafilatura.extract(output_format="markdown", with_metadata=True)``, its text out;
  PDF: ``pdfminer.high_level.extract_text`` (layout analysis + text, default
  ``LAParams``) and ``list(extract_pages(...))`` (the layout pass alone, which our
  reader also runs once).

File by file, the contenders run one after the other (the order reversed every run) so
they see the same machine; the minimum of ``--runs`` is kept per file and contender (CPU
time of this process, and wall time) and summed over the files, and the ratio ours ÷ bare
is printed. The process is pinned to one CPU. Caches inside the libraries
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
def ours(path: Path, out: Path):
    """``ingest()`` of one file into ``out`` (emptied before each timed call)."""

    def run() -> None:
        report = writer.ingest([path], out)
        bad = [(r.source.name, r.message) for r in report.results if r.status != "created"]
        if bad:
            raise SystemExit(f"ingest failed on the corpus: {bad}")

    def reset() -> None:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()

    return run, reset


def bare_html_extraction(data: bytes):
    import trafilatura

    return lambda: trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
        include_formatting=True, include_links=False, deduplicate=False)


def bare_html_markdown(data: bytes):
    import trafilatura

    return lambda: trafilatura.extract(data, output_format="markdown", with_metadata=True, include_comments=False,
                                       include_tables=True, include_formatting=True, deduplicate=False)


def bare_pdf_text(data: bytes):
    from pdfminer.high_level import extract_text

    return lambda: extract_text(io.BytesIO(data))


def bare_pdf_layout(data: bytes):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    return lambda: list(extract_pages(io.BytesIO(data), laparams=LAParams()))


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
    """Per file, the contenders one after the other (order reversed every run); the minimum of
    ``runs`` per file and contender, summed over the files: a burst of load on the shared
    machine spoils one sample of one file, not a whole run."""
    src = stage(files, scratch / f"sources-{kind}")
    paths = sorted(src.iterdir())
    per_file = []
    for i, path in enumerate(paths):
        data = path.read_bytes()
        run_ours, reset = ours(path, scratch / f"out-{kind}-{i}")
        per_file.append([("ours", run_ours, reset)] + [(label, make(data), None) for label, make in PEERS[kind]])
    for contenders in per_file:  # warm-up: imports, models, caches
        for _, fn, rs in contenders:
            timed(fn, rs)
    names = [name for name, _, _ in per_file[0]]
    best = [{name: [float("inf"), float("inf")] for name in names} for _ in per_file]
    for r in range(runs):
        for f, contenders in enumerate(per_file):
            for name, fn, rs in (contenders if r % 2 == 0 else contenders[::-1]):
                cpu, wall = timed(fn, rs)
                best[f][name][0] = min(best[f][name][0], cpu)
                best[f][name][1] = min(best[f][name][1], wall)
    total = {name: [sum(b[name][0] for b in best), sum(b[name][1] for b in best)] for name in names}
    return {"files": len(paths), "bytes": sum(p.stat().st_size for p in paths), "best": total}


def profile(kind: str, files: list[Path], scratch: Path, top: int = 25) -> str:
    src = stage(files, scratch / f"profile-{kind}")
    out = scratch / f"profile-out-{kind}"
    writer.ingest([src], out)  # warm
    shutil.rmtree(out)
    prof = cProfile.Profile()
    prof.enable()
    writer.ingest([src], out)
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
    lines.append(f"Per file the minimum of {runs} alternating runs, summed; one process pinned to one CPU; "
                 "target ours ÷ bare ≤ 1.5×.")
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
