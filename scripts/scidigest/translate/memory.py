"""Translation memory: every segment translation ever paid for, in the repo.

Why: requests cost money and time, and a rerun must not change a byte.
Entries are keyed by ``sha256(from, to, provider, source text)`` and live in
one JSON-lines file per language pair and provider,
``<dir>/<from>-<to>.<provider>.jsonl``, one entry a line, lines sorted by
key, keys sorted inside each line: diffs stay small and reruns write the
same bytes.  A translator may correct an entry's ``target`` and set
``"status": "reviewed"``; the machine never replaces a reviewed entry.

What an entry records besides ``source``/``target``/``status``:
``provider`` (who translated it; ``manual`` for a person), ``created``
(UTC time the machine stored it, set once, so a rerun changes no byte;
absent for entries older than this field), ``checks`` (the version of
:mod:`.validate` it passed, :data:`~.validate.VERSION`) and ``suspect``
(why ``--revalidate`` found it bad; a suspect entry is never served).
Files written before these fields load as they are: the missing fields
are filled in on the next save (``provider`` from the file name), the
translations themselves untouched.

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
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..frontmatter import write_atomic

#: where the committed memory lives, relative to the repo root
DEFAULT_DIR = Path("sources") / "translation-memory"


@dataclass(frozen=True)
class Entry:
    source: str
    target: str
    status: str = "machine"  # or "reviewed"
    provider: str | None = None  # filled with the memory's provider when stored
    created: str | None = None  # "2024-05-02T09:30:00Z"; None for entries older than the field
    checks: str | None = None  # validate.VERSION the entry passed
    suspect: str | None = None  # why --revalidate rejected it; never served

    def same_translation(self, other: Entry) -> bool:
        return (self.source, self.target, self.status) == (other.source, other.target, other.status)


def entry_key(source: str, src: str, tgt: str, provider: str) -> str:
    blob = json.dumps([src, tgt, provider, source], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_OPTIONAL = ("created", "checks", "suspect")


def _line(key: str, e: Entry) -> str:
    d = {"key": key, "provider": e.provider, "source": e.source, "status": e.status, "target": e.target}
    d.update((k, getattr(e, k)) for k in _OPTIONAL if getattr(e, k) is not None)
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


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
                if not isinstance(d["source"], str) or not isinstance(d["target"], str):
                    raise TypeError("source and target must be text")
                e = Entry(
                    d["source"], d["target"], d.get("status", "machine"), d.get("provider") or self.provider,
                    *(d.get(k) for k in _OPTIONAL),
                )
            except (ValueError, KeyError, TypeError) as exc:
                if strict:
                    raise ValueError(f"{path}:{n}: not a memory entry ({exc})") from None
                continue  # torn journal line from a killed run
            key = entry_key(e.source, self.src, self.tgt, self.provider)
            if key != d.get("key") or "provider" not in d:
                self._dirty = True  # source edited (re-key) or an older format: rewrite on save
            self._keep(key, e)

    def _keep(self, key: str, e: Entry) -> bool:
        old = self._entries.get(key)
        if old is not None and (old == e or old.status == "reviewed"):
            return False
        self._entries[key] = e
        return True

    def get(self, source: str) -> Entry | None:
        """The entry for ``source``, suspect or not (callers decide; see :meth:`usable`)."""
        return self._entries.get(entry_key(source, self.src, self.tgt, self.provider))

    def entries(self) -> list[Entry]:
        """Every entry, in file order."""
        return [self._entries[k] for k in sorted(self._entries)]

    def replace(self, entries: Iterable[Entry]) -> None:
        """Set these entries as they are (``--revalidate``: stamped or flagged)."""
        for e in entries:
            self._entries[entry_key(e.source, self.src, self.tgt, self.provider)] = e
            self._dirty = True

    def drop(self, source: str) -> bool:
        """Forget the entry for ``source``; True if there was one."""
        gone = self._entries.pop(entry_key(source, self.src, self.tgt, self.provider), None)
        self._dirty = self._dirty or gone is not None
        return gone is not None

    def put(self, entries: Iterable[Entry]) -> None:
        """Record entries now (journal flushed to disk before returning)."""
        lines = []
        for e in entries:
            if e.provider is None:
                e = replace(e, provider=self.provider)
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
        if changed and (self._entries or self.path.exists()):
            write_atomic(self.path, text)
        if self.journal_path.exists():
            self.journal_path.unlink()
        self._dirty = False
        return changed


@dataclass
class Revalidation:
    """What ``scidigest translate --revalidate`` did to one memory file."""

    path: Path
    entries: int = 0
    passed: int = 0
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (source, problems): machine entries
    flagged: list[tuple[str, str]] = field(default_factory=list)  # (source, problems): reviewed, kept, not served
    changed: bool = False


_FILE_NAME = re.compile(r"^(?P<src>[a-z]{2,3})-(?P<tgt>[a-z]{2,3})\.(?P<provider>[\w-]+)\.jsonl$")


def revalidate(directory: Path, terms: tuple[str, ...] | None = None) -> list[Revalidation]:
    """Judge every stored entry with today's rules (:func:`.validate.pair_problems`).

    A machine entry that fails is dropped (the next run asks again); a
    reviewed one is kept with ``suspect`` set (a person decides; it is not
    served meanwhile).  Entries that pass record ``checks`` = this validator
    version and lose any old ``suspect`` flag.  Rewrites a file only if a
    byte changes."""
    from . import validate

    out = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        m = _FILE_NAME.match(path.name)
        if not m:
            continue
        mem = Memory(directory, m["src"], m["tgt"], m["provider"])
        rep = Revalidation(path)
        stamped = []
        for e in mem.entries():
            rep.entries += 1
            issues = validate.pair_problems(e.source, e.target, m["src"], m["tgt"], terms)
            if not issues:
                rep.passed += 1
                if e.checks != validate.VERSION or e.suspect:
                    stamped.append(replace(e, checks=validate.VERSION, suspect=None))
            elif e.status == "reviewed":
                reason = "; ".join(issues)
                rep.flagged.append((e.source, reason))
                if e.suspect != reason or e.checks is not None:
                    stamped.append(replace(e, checks=None, suspect=reason))
            else:
                rep.dropped.append((e.source, "; ".join(issues)))
                mem.drop(e.source)
        mem.replace(stamped)
        rep.changed = mem.save()
        out.append(rep)
    return out
