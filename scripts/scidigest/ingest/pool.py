"""Stages 1-5 in worker processes, ahead of the writer's loop (``scidigest ingest --jobs N``).

The stages are pure (:func:`.flow.build_article`: bytes + sidecar in, ``Built`` out), so
they can run anywhere; everything that depends on the order of the sources or on the disk
(slugs, clashes, rendering once the slug is known, comparing and writing, the cache) stays
in :func:`.writer.ingest`'s one loop, in the same order as without a pool. The output is
therefore byte-identical whatever ``jobs`` is.

:class:`Prefetch` keeps at most ``window`` sources in flight ahead of the loop (memory stays
flat), and never changes what happens to a source: anything it cannot do — the source was
not worth building, a job failed in a way that cannot cross a process boundary, a worker
died — the loop simply builds that source itself, as it would without a pool.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .assets import loader
from .flow import build_article

#: below this many sources, starting the workers costs more than it saves
MIN_SOURCES = 32


def _build(job: tuple):
    """In a worker: ``("ok", Built)`` or ``("error", exception)``; ``None`` when the exception
    cannot be sent back (the loop then builds the source itself and meets it there). The last
    item is an HTML page's path, whose images are found beside it (:func:`.assets.loader`)."""
    name, data, sidecar, *page = job
    try:
        if page and page[0]:
            return "ok", build_article(name, data, sidecar, loader(Path(page[0]), sidecar))
        return "ok", build_article(name, data, sidecar)
    except Exception as exc:  # the loop reports it exactly as if it had raised there
        try:
            pickle.dumps(exc)
        except Exception:
            return None
        return "error", exc


class Prefetch:
    """``result(i)``: the ``Built`` of item ``i`` (or raises what building it raised), or None
    when it was not built ahead. Items must be asked for in increasing order."""

    def __init__(self, items: Sequence, prepare: Callable, jobs: int, window: int | None = None):
        self._items = items
        self._prepare = prepare  # item -> (name, bytes, sidecar, page path), or None: not worth building ahead
        self._window = window or 8 * jobs
        self._next = 0
        self._futures: dict[int, Future] = {}
        methods = multiprocessing.get_all_start_methods()
        # fork: the workers start with the parent's loaded models and tables (no second warm-up)
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(max_workers=jobs, mp_context=context)

    def _fill(self, upto: int) -> None:
        while self._pool is not None and self._next < min(upto, len(self._items)):
            i = self._next
            self._next += 1
            try:
                job = self._prepare(self._items[i])
            except Exception:  # the loop will meet the same problem and report it
                job = None
            if job is not None:
                self._futures[i] = self._pool.submit(_build, job)

    def result(self, i: int):
        for stale in [k for k in self._futures if k < i]:  # skipped by the loop (duplicate name...)
            self._futures.pop(stale).cancel()
        self._fill(i + 1 + self._window)
        future = self._futures.pop(i, None)
        if future is None:
            return None
        try:
            answer = future.result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): no more pool
            self.close()
            return None
        if answer is None:
            return None
        status, value = answer
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures.clear()

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
