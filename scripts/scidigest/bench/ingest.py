"""Benchmark ``scidigest ingest`` on N synthetic sources, on one core.

    python -m scidigest.bench.ingest [--n 10000] [--out DIR] [--seed 0]
                                     [--tracemalloc] [--profile 2000] [--top 20]

Steps: generate N sources of the four kinds (:mod:`scidigest.bench.synthetic_sources`)
into ``DIR/sources``; warm up (first calls load language, word-frequency and date
data) on a separate folder; run ``ingest()`` once into ``DIR/articles`` with the
re-ingest cache in ``DIR/cache`` (all must be "created"), sampling the resident
set size when 10 %, 50 % and 100 % of the sources are done; run it a second time
(all must be "unchanged": the fast path of :mod:`scidigest.ingest.cache`); delete
the cache and run a third time (all "unchanged" again, every source rebuilt and
compared, as without the cache); check that neither re-run changed a byte of
the articles; print a Markdown table with the first run's CPU time over each
re-run's. The process is pinned to one CPU (``sched_setaffinity``) and does
everything in a single process.

``--tracemalloc`` adds an untimed pass (fresh output folder) that reports the
Python heap (tracemalloc) at 10/50/100 %: RSS alone can hide a slow leak behind
the allocator's free lists. ``--profile K`` adds a cProfile pass over the first
K sources (fresh output folder) and prints the top functions by own time and by
module, with their share of the profiled time.

Memory is sampled by wrapping ``scidigest.ingest.writer.SourceResult`` (made once
per source, fast path or not) for the duration of a run (a counter and, at three
moments, a ``/proc`` read); the ingestion code itself is not touched.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import hashlib
import math
import os
import platform
import pstats
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from scidigest.bench.synthetic_sources import generate, write_sources
from scidigest.ingest import writer

MARKS = (0.10, 0.50, 1.00)


def rss_bytes() -> int:
    """Current resident set size (Linux /proc); falls back to the peak where /proc is missing."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return peak_rss_bytes()


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def pin_one_cpu() -> str:
    """Pin this process to one CPU; say which (or why not)."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    allowed = sorted(os.sched_getaffinity(0))
    cpu = allowed[-1]
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu} (of {len(allowed)} allowed)"


def machine() -> dict[str, str]:
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model or "unknown",
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


@contextmanager
def sampling(n: int, sample):
    """Call ``sample(fraction)`` when 10 % and 50 % of the ``n`` sources have been reached."""
    original = writer.SourceResult
    due = {max(1, math.ceil(n * f)): f for f in MARKS[:-1]}
    count = 0

    def counted(*args, **kwargs):
        nonlocal count
        result = original(*args, **kwargs)
        count += 1
        if count in due:
            sample(due[count])
        return result

    writer.SourceResult = counted
    try:
        yield
    finally:
        writer.SourceResult = original


def tree_digest(folder: Path) -> str:
    """One hash of every file's name and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def timed_run(src: Path, out: Path, n: int, cache: Path | None = None) -> dict:
    rss: dict[float, int] = {}
    gc.collect()
    rss[0.0] = rss_bytes()
    with sampling(n, lambda f: rss.__setitem__(f, rss_bytes())):
        t0, c0 = time.perf_counter(), time.process_time()
        report = writer.ingest([src], out, cache_dir=cache)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss[1.0] = rss_bytes()
    return {"wall": wall, "cpu": cpu, "counts": dict(report.counts), "rss": rss,
            "failed": [(r.source.name, r.message) for r in report.failed[:5]], "n": len(report.results)}


def heap_run(src: Path, out: Path, n: int) -> dict[float, int]:
    heap: dict[float, int] = {}
    gc.collect()
    tracemalloc.start()
    try:
        heap[0.0] = tracemalloc.get_traced_memory()[0]
        with sampling(n, lambda f: heap.__setitem__(f, tracemalloc.get_traced_memory()[0])):
            report = writer.ingest([src], out)
        heap[1.0] = tracemalloc.get_traced_memory()[0]
        heap[-1.0] = tracemalloc.get_traced_memory()[1]  # peak
        del report
    finally:
        tracemalloc.stop()
    return heap


def profile_run(src: Path, out: Path, k: int, top: int) -> str:
    files = sorted(src.iterdir())[:k]
    prof = cProfile.Profile()
    prof.enable()
    writer.ingest(files, out)
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt or 1e-9
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        rows.append((tt, ct, nc, file, line, func))
    lines = [f"cProfile over {len(files)} sources: {total:.2f} s profiled "
             f"({len(files) / total:.0f} sources/s under the profiler)", "",
             "| own time | share | cumulative | calls | function |", "|---:|---:|---:|---:|---|"]
    for tt, ct, nc, file, line, func in sorted(rows, reverse=True)[:top]:
        lines.append(f"| {tt:.2f} s | {tt / total:.1%} | {ct:.2f} s | {nc} | `{_short(file)}:{line}({func})` |")
    by_module: dict[str, float] = defaultdict(float)

    def charge(key, amount: float, depth: int = 0) -> None:
        """C functions and the ``re`` module's wrappers are charged to the code that called them."""
        callers = stats.stats[key][4] if key in stats.stats else {}
        if not _transparent(key[0]) or not callers or depth > 4:
            by_module[_package(key[0])] += amount
            return
        weight = sum(edge[3] for edge in callers.values()) or 1e-12
        for caller, edge in callers.items():
            charge(caller, amount * edge[3] / weight, depth + 1)

    for key, (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        charge(key, tt)
    lines += ["", "| own time by package/module (C calls and `re` wrappers charged to their caller) | share |", "|---|---:|"]
    for mod, tt in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"| `{mod}` | {tt / total:.1%} |")
    lines += ["", "| cumulative time of the pipeline stages | share |", "|---|---:|"]
    for (file, _line, func), (_cc, _nc, _tt, ct, _c) in stats.stats.items():
        if "scidigest" in file and func in _STAGES:
            lines.append(f"| `{_short(file)}:{func}` | {ct / total:.1%} |")
    return "\n".join(lines)


_STAGES = {"read_source", "clean", "extract", "render_article", "build_article", "validate_front_matter",
           "_write", "_existing", "discover_sources", "load_sidecar", "detect_kind", "plain_blocks",
           "markdown_blocks", "decode", "repair", "detect_language", "propose_title", "find_date",
           "clean_inline", "keep_hyphen", "base_slug", "write_atomic", "split", "first_organisation"}


def _short(file: str) -> str:
    """A path without this machine's prefixes: from the package or stdlib name on."""
    p = file.replace("\\", "/")
    for marker in ("/site-packages/", "/scripts/", "/lib/python"):
        if marker in p:
            p = p.split(marker, 1)[1]
            if marker == "/lib/python":
                p = "stdlib/" + p.split("/", 1)[-1]
            break
    return p


def _transparent(file: str) -> bool:
    p = _short(file)
    return p.startswith(("~", "<", "stdlib/re/", "stdlib/functools"))


def _package(file: str) -> str:
    p = _short(file)
    if p.startswith("scidigest/"):
        return p  # our modules one by one
    if p.startswith("stdlib/"):
        return "stdlib/" + p.split("/")[1].removesuffix(".py")
    if p.startswith("~") or p.startswith("<"):
        return "builtins (C: re, str, hashlib, I/O...)"
    return p.split("/")[0]


def table(args, conditions: dict, gen_s: float, warm_s: float, first: dict, second: dict,
          third: dict, heap: dict | None) -> str:
    n = args.n
    r = first["rss"]
    rows = [
        ("sources", f"{n} (4 kinds, seed {args.seed})"),
        ("generation (not timed below)", f"{gen_s:.1f} s"),
        ("warm-up (4 sources, model loading)", f"{warm_s:.2f} s"),
        ("run 1: statuses", ", ".join(f"{v} {k}" for k, v in sorted(first["counts"].items()))),
        ("run 1: wall time", f"{first['wall']:.1f} s (CPU {first['cpu']:.1f} s)"),
        ("run 1: sources/s (wall)", f"**{n / first['wall']:.0f}**"),
        ("run 1: sources/s (CPU time of the process)", f"{n / first['cpu']:.0f}"),
        ("run 1: ms per source (wall)", f"{first['wall'] / n * 1000:.2f}"),
        ("RSS at start", mib(r[0.0])),
        ("RSS at 10 % / 50 % / 100 %", f"{mib(r[0.1])} / {mib(r[0.5])} / {mib(r[1.0])}"),
        ("RSS growth 10 % -> 100 %", f"{(r[1.0] - r[0.1]) / 2**20:+.1f} MiB"),
        ("run 2 (re-ingest, cache): statuses", ", ".join(f"{v} {k}" for k, v in sorted(second["counts"].items()))),
        ("run 2: wall time", f"{second['wall']:.2f} s ({n / second['wall']:.0f} sources/s; CPU {second['cpu']:.2f} s)"),
        ("run 2: **run 1 CPU ÷ run 2 CPU** (target ≥ 10)", f"**{first['cpu'] / second['cpu']:.1f}×**"),
        ("run 2: RSS at 10 % / 50 % / 100 %",
         f"{mib(second['rss'][0.1])} / {mib(second['rss'][0.5])} / {mib(second['rss'][1.0])}"),
        ("run 3 (re-ingest, cache deleted): statuses", ", ".join(f"{v} {k}" for k, v in sorted(third["counts"].items()))),
        ("run 3: wall time", f"{third['wall']:.1f} s ({n / third['wall']:.0f} sources/s; CPU {third['cpu']:.1f} s; "
                             f"run 1 CPU ÷ run 3 CPU {first['cpu'] / third['cpu']:.2f}×)"),
        ("articles after run 2 and run 3", "byte-identical to run 1" if second["same"] and third["same"]
         else "**CHANGED**"),
        ("peak RSS (getrusage, whole process)", mib(peak_rss_bytes())),
    ]
    if heap:
        rows.append(("Python heap (tracemalloc) at 10 % / 50 % / 100 %",
                     f"{mib(heap[0.1])} / {mib(heap[0.5])} / {mib(heap[1.0])} (peak {mib(heap[-1.0])})"))
    rows += [(k, v) for k, v in conditions.items()]
    out = ["| measure | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scidigest.bench.ingest", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="number of synthetic sources (default 10000)")
    ap.add_argument("--out", type=Path, help="work folder (must not hold sources/ or articles/); default: a temp folder, removed")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tracemalloc", action="store_true", help="add an untimed pass measuring the Python heap")
    ap.add_argument("--profile", type=int, default=0, metavar="K", help="add a cProfile pass over K sources")
    ap.add_argument("--top", type=int, default=20, help="hot spots to list with --profile")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    args = ap.parse_args(argv)
    if args.n < 10:
        ap.error("--n must be at least 10")

    pinned = "not pinned (--no-pin)" if args.no_pin else pin_one_cpu()
    work = args.out or Path(tempfile.mkdtemp(prefix="scidigest-bench-"))
    src, out = work / "sources", work / "articles"
    if src.exists() or out.exists():
        ap.error(f"{work} already holds sources/ or articles/; choose an empty --out")
    load_before = os.getloadavg()

    t0 = time.perf_counter()
    write_sources(src, args.n, args.seed)
    gen_s = time.perf_counter() - t0
    print(f"generated {args.n} sources in {gen_s:.1f} s into {src}", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="scidigest-warm-") as warm:
        warm = Path(warm)
        for s in generate(4, seed=args.seed + 10_000):
            (warm / "src").mkdir(exist_ok=True)
            (warm / "src" / s.name).write_bytes(s.data)
        t0 = time.perf_counter()
        writer.ingest([warm / "src"], warm / "out")
        warm_s = time.perf_counter() - t0

    cache = work / "cache"
    first = timed_run(src, out, args.n, cache)
    print(f"run 1: {first['counts']} in {first['wall']:.1f} s", file=sys.stderr)
    written = tree_digest(out)
    second = timed_run(src, out, args.n, cache)
    second["same"] = tree_digest(out) == written
    print(f"run 2 (cache): {second['counts']} in {second['wall']:.2f} s", file=sys.stderr)
    shutil.rmtree(cache)
    third = timed_run(src, out, args.n, cache)
    third["same"] = tree_digest(out) == written
    print(f"run 3 (no cache): {third['counts']} in {third['wall']:.1f} s", file=sys.stderr)
    load_after = os.getloadavg()

    heap = None
    if args.tracemalloc:
        heap = heap_run(src, work / "articles-heap", args.n)
    prof = profile_run(src, work / "articles-profile", min(args.profile, args.n), args.top) if args.profile else ""

    conditions = {
        "process": f"single process, {pinned}",
        "load average before / after (1 min)": f"{load_before[0]:.2f} / {load_after[0]:.2f}",
        **machine(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    print(table(args, conditions, gen_s, warm_s, first, second, third, heap))
    ok = (first["counts"].get("created") == args.n and second["counts"].get("unchanged") == args.n
          and third["counts"].get("unchanged") == args.n and second["same"] and third["same"])
    if not ok:
        print(f"\nUNEXPECTED STATUSES; first failures: {first['failed'] or second['failed']}")
    if prof:
        print("\n" + prof)
    if args.out is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
