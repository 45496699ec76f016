"""Translation memory: every segment translation ever paid for, in the repo.

Why: requests cost money and time, and a rerun must not change a byte.
Entries are keyed by ``sha256(from, to, provider, source text)`` and live in
one JSON-lines file per language pair and provider,
``<dir>/<from>-<to>.<provider>.jsonl``, one entry a line, lines sorted by
key, keys sorted inside each line: diffs stay small and reruns write the
same bytes.  A translator may correct an entry's ``target`` and set
``"status": "reviewed"``; the machine never replaces a reviewed entry.

Crash safety: during a run each successful request's entries are appended
to ``<file>.journal`` and flushed to disk at once, so a run killed half way
loses nothing that was paid for; :meth:`Memory.save` folds the journal into
the sorted file (atomic replace) and deletes it.  A torn last journal line
is ignored on load.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..frontmatter import write_atomic

#: where the committed memory lives, relative to the repo root
DEFAULT_DIR = Path("sources") / "translation-memory"


@dataclass(frozen=True)
class Entry:
    source: str
    target: str
    status: str = "machine"  # or "reviewed"


def entry_key(source: str, src: str, tgt: str, provider: str) -> str:
    blob = json.dumps([src, tgt, provider, source], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _line(key: str, e: Entry) -> str:
    return json.dumps({"key": key, "source": e.source, "status": e.status, "target": e.target}, ensure_ascii=False, sort_keys=True)


class Memory:
    """The entries of one (from, to, provider); ``directory=None`` keeps them in RAM."""

    def __init__(self, directory: Path | None, src: str, tgt: str, provider: str):
        self.src, self.tgt, self.provider = src, tgt, provider
        self.path = None if directory is None else Path(directory) / f"{src}-{tgt}.{provider}.jsonl"
        self._entries: dict[str, Entry] = {}
        self._dirty = False
        self._journal = None
        if self.path is not None:
            if self.path.exists():
                self._load(self.path, strict=True)
            journal = self.journal_path
            if journal.exists():
                self._load(journal, strict=False)
                self._dirty = True

    @property
    def journal_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".journal")

    def __len__(self) -> int:
        return len(self._entries)

    def _load(self, path: Path, strict: bool) -> None:
        for n, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not raw.strip():
                continue
            try:
                d = json.loads(raw)
                e = Entry(d["source"], d["target"], d.get("status", "machine"))
            except (ValueError, KeyError, TypeError) as exc:
                if strict:
                    raise ValueError(f"{path}:{n}: not a memory entry ({exc})") from None
                continue  # torn journal line from a killed run
            key = entry_key(e.source, self.src, self.tgt, self.provider)
            if key != d.get("key"):
                self._dirty = True  # someone edited the source text: re-key on save
            self._keep(key, e)

    def _keep(self, key: str, e: Entry) -> bool:
        old = self._entries.get(key)
        if old is not None and (old == e or old.status == "reviewed"):
            return False
        self._entries[key] = e
        return True

    def get(self, source: str) -> Entry | None:
        return self._entries.get(entry_key(source, self.src, self.tgt, self.provider))

    def put(self, entries: Iterable[Entry]) -> None:
        """Record entries now (journal flushed to disk before returning)."""
        lines = []
        for e in entries:
            key = entry_key(e.source, self.src, self.tgt, self.provider)
            if self._keep(key, e):
                lines.append(_line(key, e))
        if not lines:
            return
        self._dirty = True
        if self.path is None:
            return
        if self._journal is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._journal = open(self.journal_path, "a", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._journal.write("".join(line + "\n" for line in lines))
        self._journal.flush()
        os.fsync(self._journal.fileno())

    def render(self) -> str:
        return "".join(_line(k, self._entries[k]) + "\n" for k in sorted(self._entries))

    def save(self) -> bool:
        """Fold the journal into the sorted file; True if the file changed."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self.path is None or not self._dirty:
            return False
        text = self.render()
        changed = not self.path.exists() or self.path.read_text("utf-8") != text
        if changed and self._entries:
            write_atomic(self.path, text)
        if self.journal_path.exists():
            self.journal_path.unlink()
        self._dirty = False
        return changed
