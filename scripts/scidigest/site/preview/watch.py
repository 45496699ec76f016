"""Saved files -> batches of changed paths (watchdog, which MkDocs itself uses).

Editors save in bursts (write a temporary file, rename it over the target,
touch a backup): events are collected until ``quiet`` seconds pass without
a new one, then handed over as one set of paths.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer


class _Collect(FileSystemEventHandler):
    def __init__(self, batcher: Batcher) -> None:
        self.batcher = batcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a directory's listing changed: its files report themselves
        paths = [event.src_path]
        if getattr(event, "dest_path", ""):
            paths.append(event.dest_path)
        self.batcher.add(Path(p if isinstance(p, str) else p.decode()) for p in paths)


class Batcher:
    """Collects paths; calls ``handle(paths)`` after ``quiet`` seconds without news."""

    def __init__(self, handle: Callable[[set[Path]], None], quiet: float = 0.03) -> None:
        self.handle = handle
        self.quiet = quiet
        self._paths: set[Path] = set()
        self._last = 0.0
        self._cond = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="preview-batcher", daemon=True)
        self._thread.start()

    def add(self, paths: Iterable[Path]) -> None:
        with self._cond:
            self._paths.update(paths)
            self._last = time.monotonic()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._paths and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                wait = self._last + self.quiet - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                paths, self._paths = self._paths, set()
            self.handle(paths)

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify()


class Watcher:
    """Watches ``roots`` (directories recursively, files by their directory)."""

    def __init__(self, roots: Iterable[Path], handle: Callable[[set[Path]], None], quiet: float = 0.03) -> None:
        self.batcher = Batcher(handle, quiet)
        self.observer = Observer()
        files_by_dir: dict[Path, set[Path]] = {}
        for root in roots:
            root = Path(root).resolve()
            if root.is_dir():
                self.observer.schedule(_Collect(self.batcher), str(root), recursive=True)
            elif root.exists():
                files_by_dir.setdefault(root.parent, set()).add(root)
        for directory, files in files_by_dir.items():
            self.observer.schedule(_Only(self.batcher, files), str(directory), recursive=False)

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.batcher.stop()
        self.observer.join(timeout=5)


class _Only(_Collect):
    """Events of a directory, kept only for the given files in it."""

    def __init__(self, batcher: Batcher, files: set[Path]) -> None:
        super().__init__(batcher)
        self.files = files

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = {Path(event.src_path), Path(getattr(event, "dest_path", "") or event.src_path)}
        if paths & self.files:
            super().on_any_event(event)
