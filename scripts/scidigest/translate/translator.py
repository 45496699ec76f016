"""Translate articles: segments -> memory -> batched requests -> checked -> page.

Why this shape: :func:`translate_text` is the whole translation of one file
given a provider and memories (no file I/O besides the memory journal), so
it can be tested on strings; :func:`run` is the edge that reads originals,
decides what needs work, writes pages atomically, and reports.

Requests: :func:`run` first collects the segments of every page it will
build and sends the missing ones together (:meth:`Translator.prefetch`,
:mod:`.dispatch`): packing the whole run, not each article, brings the
number of requests close to ``ceil(total size / limit)``.

Failure policy: a provider failure that survives the retries ends the run
with :class:`TranslationFailed`.  Every finished request is already in the
memory (journal), the article being translated is not written (no half
page; the site then shows it only in the original language), and pages
finished before stay written.  A *segment* whose translation comes back
damaged (placeholders lost, empty, absurd length, batch markers broken) is
retried alone once; if still damaged it stays in the original language,
is counted in ``translation.untranslated_segments`` and reported, and is
not stored, so the next run asks again.

Every answer is judged by :mod:`.validate` before it is used or stored
(echo, still French, entities, length, repetition, truncation).  A known
provider warning in an answer (MyMemory's quota text, a captcha page) is a
provider failure: quota, block and refusal stop the run as above; a length
warning splits the batch in halves and sends them again.  A page with a
segment left in the original language is *not written* (a French sentence
must never be published as English); it is listed in ``Stats.withheld``.
Memory hits are judged too unless the entry passed this version of the
checks; a suspect entry is never served.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from ..frontmatter import join, write_atomic
from ..terminology import terminology
from . import batching, dispatch, markup, validate
from .memory import Entry, Memory
from .pages import (
    compose_body,
    originals,
    page_state,
    read_page,
    refresh,
    source_hash,
    translated_meta,
    translation_path,
)
from .protect import (
    Protected,
    default_terms,
    problems,
    protect,
    renumber,
    repair,
    restore,
    unprotect,
)
from .providers import DEFAULT_POLICY, Provider, RetryPolicy, TooLarge
from .segments import parse, render


class TranslationFailed(Exception):
    """The run stopped: a provider kept failing.  Message is user-facing."""


@dataclass
class Stats:
    """Counters for the progress bar and the summary."""

    articles: int = 0
    written: int = 0
    unchanged: int = 0
    reviewed_kept: int = 0
    refreshed: int = 0  # kept pages whose copied fields or old notice were brought up to date
    stale_reviewed: list[str] = field(default_factory=list)
    segments: int = 0
    memory_hits: int = 0
    requests: int = 0  # successful requests (batches)
    attempts: int = 0  # HTTP attempts including retries
    chars_sent: int = 0
    chars_translatable: int = 0  # characters of units that needed a request
    untranslated: list[str] = field(default_factory=list)  # "slug: problem"
    withheld: list[str] = field(default_factory=list)  # slugs not written: segments left untranslated
    memory_rejected: list[str] = field(default_factory=list)  # memory entries not served: "snippet: problem"
    unknown_tags: list[str] = field(default_factory=list)
    failed: str | None = None

    def summary(self) -> str:
        lines = [
            f"articles: {self.articles} ({self.written} written, {self.unchanged} unchanged, "
            f"{self.reviewed_kept} reviewed kept" + (f", {self.refreshed} of them refreshed" if self.refreshed else "") + ")",
            f"segments: {self.segments} ({self.memory_hits} from memory)",
            f"requests: {self.requests} ({self.attempts} attempts), characters sent: {self.chars_sent}",
        ]
        if self.stale_reviewed:
            lines.append("stale reviewed translations (original changed; update by hand): " + ", ".join(self.stale_reviewed))
        if self.memory_rejected:
            lines.append(f"memory entries not served, failing today's checks ({len(self.memory_rejected)}; "
                         "`scidigest translate --revalidate` cleans the memory):")
            lines += [f"  {u}" for u in self.memory_rejected]
        if self.untranslated:
            lines.append(f"segments left untranslated ({len(self.untranslated)}):")
            lines += [f"  {u}" for u in self.untranslated]
        if self.withheld:
            lines.append("pages not written, segments left in the original language (run again later or "
                         "translate them by hand): " + ", ".join(self.withheld))
        if self.unknown_tags:
            lines.append("tags machine-translated (add them to data/terminology.yaml): " + ", ".join(sorted(set(self.unknown_tags))))
        if self.failed:
            lines.append(f"FAILED: {self.failed}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Unit:
    """What is sent: a protected text (ids from 0) and its plain source."""

    protected: Protected
    source: str


def utc_now() -> str:
    """The time a memory entry records (``created``), to the second, UTC."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _snippet(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _units(text: str, limit: int, terms, sentences: bool = False) -> list[Unit]:
    p = protect(text, terms)
    if not p.translatable:
        return []
    pieces = batching.sentences(p.text) if sentences else [p.text]
    parts = [part for piece in pieces for part in batching.chunk(piece, limit)]
    out = []
    for part in parts:
        q = renumber(part, p.tokens, p.kinds, p.pairs)
        out.append(Unit(q, unprotect(q)))
    return out


class Translator:
    """Translates texts of one article with memory, batching and checks."""

    def __init__(
        self,
        provider: Provider | None,
        memory: Memory,
        *,
        extra_memories: tuple[Memory, ...] = (),
        policy: RetryPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], None] | None = None,
        stats: Stats | None = None,
        terms: tuple[str, ...] | None = None,
        on_request: Callable[[], None] | None = None,
        src: str = "fr",
        tgt: str = "en",
        clock: Callable[[], str] = utc_now,
    ):
        self.provider = provider
        self.memory = memory
        self.lookup = (*extra_memories, memory)
        self.policy = policy
        self.sleep = sleep
        self.stats = stats or Stats()
        self.terms = default_terms() if terms is None else terms
        self.on_request = on_request
        self.src, self.tgt, self.clock = src, tgt, clock
        self._units: dict[str, list[Unit]] = {}  # text -> its units (a run asks twice: prefetch, page)
        self._failed: dict[str, str] = {}  # source -> why it is left untranslated in this run
        self._fetched: set[str] = set()  # sources sent in this run (not counted as memory hits)
        self._reported: set[str] = set()  # memory entries already reported as not served

    @property
    def limit(self) -> int:
        return self.provider.max_chars if self.provider else 5000

    def _find(self, source: str) -> str | None:
        """A stored translation fit to serve: not suspect, and passing today's checks
        (judged now unless the entry records that it passed this version)."""
        for mem in self.lookup:
            e = mem.get(source)
            if e is None:
                continue
            if e.suspect:
                if source not in self._reported:  # once per run, prefetch or page
                    self._reported.add(source)
                    self.stats.memory_rejected.append(f"{_snippet(source)!r}: flagged suspect ({e.suspect})")
                continue
            if e.checks != validate.VERSION:
                issues = validate.pair_problems(e.source, e.target, self.src, self.tgt, self.terms)
                if issues:
                    if source not in self._reported:  # once per run, prefetch or page
                        self._reported.add(source)
                        self.stats.memory_rejected.append(f"{_snippet(source)!r}: {'; '.join(issues)}")
                    continue
            return e.target
        return None

    def _entry(self, u: Unit, target: str) -> Entry:
        return Entry(u.source, target, provider=self.provider.name if self.provider else None,
                     created=self.clock(), checks=validate.VERSION)

    def _judge(self, u: Unit, part: str) -> tuple[list[str], str | None]:
        """(problems, restored translation) of one segment's answer."""
        # tokens first (spaced or normalised brackets, spacing), so the prose checks see the real text
        part = repair(u.protected, validate.repair(u.protected.text, part.strip()))
        issues = problems(u.protected, part) or validate.reply_problems(u.protected, part, self.src, self.tgt)
        return (issues, None) if issues else ([], restore(u.protected, part))

    def _check_replies(self, replies: list[str], sent: list[str]) -> None:
        """A known provider warning in an answer: a length warning splits the
        batch (:class:`TooLarge`), any other stops the run (nothing stored)."""
        for reply, text in zip(replies, sent, strict=True):
            warning = validate.provider_warning(reply, text)
            if warning is not None and warning.kind == "length":
                raise TooLarge(f"{self.provider.name}: {warning.text}")
            if warning is not None:
                what = {"quota": "quota used up", "blocked": "requests blocked", "refused": "request refused"}[warning.kind]
                raise TranslationFailed(
                    f"{self.provider.name}: {what}: the provider answered {warning.text!r} instead of a translation; "
                    "nothing of that answer was used or stored"
                )

    def _units_of(self, text: str) -> list[Unit]:
        """The units of ``text``, each fitting one request as the provider will
        see it (its markup makes a text longer, its size may count bytes)."""
        units = self._units.get(text)
        if units is None:
            limit = self.limit
            per_sentence = self.provider is not None and self.provider.sentence_units
            units = _units(text, limit, self.terms, per_sentence)
            if self.provider is not None:
                fits = self.provider.size
                while limit > 40 and any(
                    fits(markup.encode(u.protected, self.provider.markup)) > self.provider.max_chars for u in units
                ):
                    limit = int(limit * 0.8)
                    units = _units(text, limit, self.terms, per_sentence)
            self._units[text] = units
        return units

    def prefetch(self, pages: list[list[str]]) -> None:
        """Send every unit of the texts of ``pages`` (a list of texts per page)
        that has no usable translation yet, all packed together (the texts of
        a whole run: fewer requests than per article), page by page.  What
        fails stays failed for this run (:meth:`translate_all` reports it and
        does not ask again)."""
        if self.provider is None:
            return
        todo: dict[str, Unit] = {}
        page_of: list[int] = []
        for k, texts in enumerate(pages):
            for text in texts:
                for u in self._units_of(text):
                    if u.source not in todo and u.source not in self._failed and self._find(u.source) is None:
                        todo[u.source] = u
                        page_of.append(k)
        self._dispatch(list(todo.values()), page_of)

    def complete(self, texts: list[str]) -> bool:
        """True if every unit of ``texts`` is translated or failed for good in this run."""
        return all(u.source in self._failed or self._find(u.source) is not None
                   for t in texts for u in self._units_of(t))

    def _dispatch(self, pending: list[Unit], page_of: list[int] | None = None) -> None:
        if not pending:
            return
        self.stats.chars_translatable += sum(len(u.protected.text) for u in pending)
        self._fetched.update(u.source for u in pending)
        done: dict[str, str] = {}
        dispatch.send(self, pending, done, self._failed, failed_cls=TranslationFailed, check=self._check_replies,
                      articles=page_of)

    def translate_all(self, texts: list[str], label: str = "") -> tuple[list[str], list[str]]:
        """Translations of ``texts`` (same order) and the problems of the ones
        left in the original language."""
        per_text: list[list[Unit]] = [self._units_of(t) for t in texts]
        done: dict[str, str] = {}
        todo: dict[str, Unit] = {}
        failed = self._failed
        for units in per_text:
            for u in units:
                self.stats.segments += 1
                hit = self._find(u.source)
                if hit is not None:
                    done[u.source] = hit
                    if u.source not in self._fetched:
                        self.stats.memory_hits += 1
                elif u.source not in todo and u.source not in failed:
                    todo[u.source] = u
        if todo and self.provider is None:
            for src in todo:
                failed[src] = "no translation in memory and no provider"
        elif todo:
            self._dispatch(list(todo.values()), [0] * len(todo))
            for u in todo.values():
                hit = self._find(u.source)
                if hit is not None:
                    done[u.source] = hit
        out, bad_report = [], []
        for text, units in zip(texts, per_text, strict=True):
            if not units:
                out.append(text)
                continue
            pieces = []
            for u in units:
                if u.source in done:
                    pieces.append(done[u.source])
                else:
                    pieces.append(u.source)
                    bad_report.append(f"{label}{_snippet(u.source)!r}: {failed.get(u.source, 'not translated')}")
            out.append(" ".join(pieces))
        return out, bad_report


def page_texts(meta: dict, doc, src: str = "fr", tgt: str = "en") -> tuple[list[str], list[str], dict]:
    """What a page asks to translate, in reading order: title, description,
    tags the terminology does not know, body segments; and those tags and
    the terminology table."""
    terms_map = terminology().get(f"{src}-{tgt}", {})
    tags = [str(t) for t in meta.get("tags") or []]
    unknown = [t for t in tags if t not in terms_map and t.lower() not in terms_map]
    head = [str(meta.get("title", "")), str(meta.get("description", ""))]
    return head + unknown + doc.segments, unknown, terms_map


def translate_text(
    original: str,
    translator: Translator,
    *,
    slug: str,
    provider_name: str,
    src: str = "fr",
    tgt: str = "en",
    status: str = "machine",
    parsed: tuple[dict, str] | None = None,
) -> str:
    """The translated page (front matter + body) of an original file's text.

    Tags go through the terminology table (unknown ones are machine
    translated, lower-cased, and listed in the summary); categories go
    through the same table and are kept as they are when unknown.
    ``parsed`` is ``read_page(original)`` if the caller has it
    (read only, never modified)."""
    meta, body = parsed or read_page(original)
    doc = parse(body)
    texts, unknown, terms_map = page_texts(meta, doc, src, tgt)
    tags = [str(t) for t in meta.get("tags") or []]
    out, bad = translator.translate_all(texts, label=f"{slug}: ")
    t_title, t_desc = out[0], out[1]
    t_unknown = dict(zip(unknown, out[2 : 2 + len(unknown)], strict=True))
    translator.stats.unknown_tags.extend(unknown)
    t_tags = [terms_map.get(t) or terms_map.get(t.lower()) or t_unknown[t].lower() for t in tags]
    t_body = render(doc, out[2 + len(unknown) :])
    translator.stats.untranslated.extend(bad)
    info = {"from": src, "provider": provider_name, "status": status, "source_hash": source_hash(meta, body)}
    if bad:
        info["untranslated_segments"] = len(bad)
    new_meta = translated_meta(meta, title=t_title, description=t_desc, tags=t_tags, info=info)
    if meta.get("categories"):
        new_meta["categories"] = [terms_map.get(str(c)) or terms_map.get(str(c).lower()) or str(c) for c in meta["categories"]]
    return join(new_meta, compose_body(t_body))


def refresh_page(original: Path, target: Path, original_text: str | None = None) -> bool:
    """Write :func:`~.pages.refresh` of a kept translation if a byte changes; True if it did."""
    current = target.read_text("utf-8")
    try:
        text = refresh(original_text if original_text is not None else original.read_text("utf-8"), current)
    except (ValueError, yaml.YAMLError):
        return False  # page_state reports it
    if text == current:
        return False
    write_atomic(target, text)
    return True


def refresh_all(articles_dir: Path, src: str = "fr", tgt: str = "en") -> list[Path]:
    """:func:`refresh_page` of every translation a run keeps (status ``reviewed``), without
    a provider: the pages it rewrote.  Machine pages are rebuilt by :func:`run` itself."""
    written = []
    for path in originals(articles_dir, src):
        st = page_state(path, tgt)
        if st.status == "reviewed" and st.state != "invalid" and refresh_page(path, st.translation):
            written.append(st.translation)
    return written


def run(
    articles_dir: Path,
    provider: Provider,
    memory_dir: Path | None,
    *,
    src: str = "fr",
    tgt: str = "en",
    only: list[str] | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] | None = None,
    progress: bool = False,
    out=None,
    clock: Callable[[], str] = utc_now,
) -> Stats:
    """Translate every original in ``articles_dir`` that needs it.

    Reviewed translations are never touched (stale ones are reported);
    machine pages are rebuilt from the memory and rewritten only if a byte
    changes; a page with a segment left untranslated is not written
    (``Stats.withheld``).  Raises :class:`TranslationFailed` after saving
    the memory."""
    stats = Stats()
    memory = Memory(memory_dir, src, tgt, provider.name)
    manual = Memory(memory_dir, src, tgt, "manual") if provider.name != "manual" else None
    paths = [p for p in originals(articles_dir, src) if not only or p.name[: -len(f".{src}.md")] in only]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), unit="article", file=out or sys.stderr, dynamic_ncols=True)

    def tick() -> None:
        if bar is not None:
            bar.set_postfix(segments=stats.segments, chars=stats.chars_sent, requests=stats.requests, refresh=True)

    translator = Translator(
        provider, memory, extra_memories=(manual,) if manual else (), policy=policy, sleep=sleep, stats=stats,
        on_request=tick, src=src, tgt=tgt, clock=clock,
    )
    try:
        plan = []  # (slug, original, parsed, target, texts) of each page to (re)build
        for path in paths:
            slug = path.name[: -len(f".{src}.md")]
            original = path.read_text("utf-8")
            try:  # parsed once, for the state and the translation
                parsed = read_page(original)
            except (ValueError, yaml.YAMLError):
                parsed = None  # page_state reports it, translate_text raises as before
            state = page_state(path, tgt, original_parsed=parsed)
            target = translation_path(path, tgt)
            stats.articles += 1
            if state.status == "reviewed" or (state.state == "invalid" and target.exists()):
                stats.reviewed_kept += 1
                if state.state == "stale":
                    stats.stale_reviewed.append(slug)
                if state.state != "invalid" and refresh_page(path, target, original):
                    stats.refreshed += 1
                if bar is not None:
                    bar.update(1)
                continue
            texts = page_texts(parsed[0], parse(parsed[1]), src, tgt)[0] if parsed else []
            plan.append((slug, original, parsed, target, texts))
        # every segment the run needs, packed together (requests ~ total size / limit)
        failure: TranslationFailed | None = None
        try:
            translator.prefetch([texts for *_, texts in plan])
        except TranslationFailed as exc:
            failure = exc  # pages whose segments all came back are still written
        for slug, original, parsed, target, texts in plan:
            if failure is not None and not translator.complete(texts):
                continue  # no half page: it waits for the next run
            left = len(stats.untranslated)
            text = translate_text(
                original, translator, slug=slug, provider_name=provider.name, src=src, tgt=tgt, parsed=parsed
            )
            if len(stats.untranslated) > left:
                stats.withheld.append(slug)  # never publish French as English
            elif target.exists() and target.read_text("utf-8") == text:
                stats.unchanged += 1
            else:
                write_atomic(target, text)
                stats.written += 1
            if bar is not None:
                bar.update(1)
                tick()
        if failure is not None:
            raise failure
    except TranslationFailed as exc:
        stats.failed = str(exc)
        raise
    finally:
        memory.save()
        if bar is not None:
            bar.close()
        provider.close()
    return stats
