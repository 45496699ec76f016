"""``scidigest ingest`` on one core against ``--jobs N`` (the pure stages in worker processes).

    python -m scidigest.bench.ingest_pool [--n 2000] [--jobs 2] [--runs 3] [--seed 0]

N synthetic sources (:mod:`scidigest.bench.synthetic_sources`, the four kinds) are ingested
into a fresh folder by ``ingest(jobs=1)`` and by ``ingest(jobs=N)``, alternately, ``--runs``
times each; the best run of each is kept. Printed per mode: wall-clock sources/s (what you
see, on whatever else the machine is doing), the CPU time of the writer process and of the
workers per source, and what a machine with ``jobs`` idle cores would do given those CPU
times (``n / max(writer CPU, workers CPU / jobs)``: the writer's loop and the workers run at
the same time, so the slower of the two sets the pace). The articles of both modes must be
byte-identical. No CPU pinning: the point is to use more than one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from scidigest.bench.ingest import machine
from scidigest.bench.synthetic_sources import generate, write_sources
from scidigest.ingest import writer


def children_cpu() -> float:
    """CPU seconds of the reaped child processes (the pool's workers, once it is shut down)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def one_run(src: Path, out: Path, jobs: int) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    c0, k0, t0 = time.process_time(), children_cpu(), time.perf_counter()
    report = writer.ingest([src], out, jobs=jobs)
    wall = time.perf_counter() - t0
    return {"wall": wall, "cpu": time.process_time() - c0, "workers": children_cpu() - k0,
            "counts": dict(report.counts), "digest": digest(out)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scidigest.bench.ingest_pool", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="scidigest-bench-pool-"))
    try:
        src = work / "sources"
        write_sources(src, args.n, args.seed)
        warm = work / "warm"
        for s in generate(4, seed=args.seed + 10_000):
            (warm / "src").mkdir(parents=True, exist_ok=True)
            (warm / "src" / s.name).write_bytes(s.data)
        writer.ingest([warm / "src"], warm / "out")  # models and tables loaded before forking
        load_before = os.getloadavg()[0]
        best: dict[int, dict] = {}
        for i in range(args.runs):
            for jobs in ((1, args.jobs) if i % 2 == 0 else (args.jobs, 1)):
                r = one_run(src, work / f"out-{jobs}", jobs)
                if jobs not in best or r["wall"] < best[jobs]["wall"]:
                    best[jobs] = r
        n = args.n
        rows = ["| mode | statuses | wall sources/s | writer CPU ms/source | workers CPU ms/source "
                f"| estimate on {args.jobs} idle cores, sources/s |", "|---|---|---:|---:|---:|---:|"]
        for jobs, r in sorted(best.items()):
            pace = max(r["cpu"], r["workers"] / jobs) if jobs > 1 else r["cpu"]
            rows.append(f"| jobs={jobs} | {', '.join(f'{v} {k}' for k, v in sorted(r['counts'].items()))} "
                        f"| {n / r['wall']:.0f} | {1000 * r['cpu'] / n:.2f} | {1000 * r['workers'] / n:.2f} "
                        f"| {n / pace:.0f} |")
        same = len({r["digest"] for r in best.values()}) == 1
        m = machine()
        print("\n".join(rows))
        print(f"\narticles of both modes byte-identical: {'yes' if same else '**NO**'}; best of {args.runs} "
              f"alternating runs; {n} sources; load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}; "
              f"{m['cpu']}, {m['cores']} cores, Python {m['python']}; "
              f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
