"""Answers that are not translations, as real providers give them, through servers on 127.0.0.1.

Each scenario runs ``scidigest translate`` against a stub that answers one way
a real provider is documented or reported to answer badly (LibreTranslate
echoing the French, MyMemory's quota and length warnings as HTTP 200, HTML
entities in JSON, merged, truncated and repeated answers).  The oracle is a
healthy run of the same articles: every page written must be byte for byte
the page the healthy run writes, and every memory entry the entry it stores.
Garbage published = pages that differ; garbage stored = entries that differ.
Both must be 0, and what was refused must be reported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scidigest.translate import RetryPolicy, TranslationFailed, make_provider, run
from scidigest.translate.pages import read_page
from tests.plugins.samples import read_sample
from tests.plugins.translator_stub import StubTranslator, _QuietHandler, _StubServer, fake_translate

FAST = RetryPolicy(attempts=2, initial=0.001, maximum=0.002, jitter=0)
CLOCK = "2024-05-02T09:30:00Z"

NEURONES = read_sample("neurones-article.fr.md")
#: a second article, with quotes, apostrophes and sentences of several lengths
SOMMEIL = """---
title: Le sommeil profond protège la mémoire des souris âgées
slug: {slug}
date: '2023-11-14'
lang: fr
description: Une équipe montre qu'une stimulation sonore pendant la nuit améliore la consolidation des souvenirs.
tags:
- sommeil
- mémoire
kind: press-release
input_kind: pdf-wrapped
reading_time: 2
source_file: y.txt
source_hash: sha256:{h}
output_hash: sha256:{h}
---

Chez l'animal âgé, les phases de sommeil lent profond deviennent plus courtes et plus rares. Les chercheurs ont voulu savoir si l'on pouvait les allonger sans médicament.

## Une stimulation sonore très brève

Pendant la nuit, un son discret était diffusé au moment précis où les ondes lentes atteignaient leur sommet. Les souris « stimulées » retrouvaient le lendemain l'objet caché bien plus vite que les autres.

Selon l'équipe, ce résultat ouvre une piste pour les troubles de la mémoire liés à l'âge. Des essais chez l'humain sont déjà en préparation.
"""

QUOTA = ("MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN  10 HOURS 48 "
         "MINUTES 12 SECONDS VISIT HTTPS://MYMEMORY.TRANSLATED.NET/DOC/USAGELIMITS.PHP TO TRANSLATE MORE")


class MyMemoryStub(_StubServer):
    """MyMemory's ``GET /get?q=...&langpair=fr-FR|en-GB``: every answer HTTP 200 with
    ``responseData.translatedText``, warnings included, as the real service does.

    ``quota_after`` - answers after this many requests are the daily-quota warning;
    ``query_bytes`` - longer queries (UTF-8 bytes) get "QUERY LENGTH LIMIT EXCEEDED"."""

    def __init__(self) -> None:
        self.translate = fake_translate
        self.quota_after: int | None = None
        self.query_bytes = 500
        self.requests: list[str] = []
        self._init_queue()
        stub = self

        class Handler(_QuietHandler):
            def do_GET(self):
                params = parse_qs(urlsplit(self.path).query)
                q = params.get("q", [""])[0]
                with stub._lock:
                    stub.requests.append(q)
                    n = len(stub.requests)
                if stub.quota_after is not None and n > stub.quota_after:
                    data = {"responseData": {"translatedText": QUOTA, "match": 0}, "quotaFinished": True,
                            "responseStatus": 429, "matches": []}
                elif len(q.encode("utf-8")) > stub.query_bytes:
                    data = {"responseData": {"translatedText": "QUERY LENGTH LIMIT EXCEEDED. MAX ALLOWED QUERY : 500 "
                                             "CHARS", "match": 0}, "responseStatus": 403, "matches": []}
                else:
                    out = stub.translate(q)
                    data = {"responseData": {"translatedText": out, "match": 0.85}, "responseStatus": 200,
                            "matches": [{"segment": q, "translation": out, "quality": "74", "match": 0.85}]}
                body = json.dumps(data, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._serve(Handler)

    @property
    def count(self) -> int:
        return len(self.requests)


@pytest.fixture
def mymemory_stub():
    stub = MyMemoryStub()
    try:
        yield stub
    finally:
        stub.close()


def mymemory_provider(stub: MyMemoryStub):
    return make_provider("mymemory", url=stub.url + "get", env={})


# --- the articles, the healthy reference, the oracle ------------------------------------


def _articles(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "neurones.fr.md").write_text(NEURONES.format(slug="neurones", h="0" * 64), "utf-8")
    (d / "sommeil.fr.md").write_text(SOMMEIL.format(slug="sommeil", h="1" * 64), "utf-8")
    return d


def _pages(arts: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(arts.glob("*.en.md"))}


def _entries(mem: Path) -> dict[str, dict]:
    out = {}
    for f in sorted(mem.glob("*.jsonl")):
        for line in f.read_text("utf-8").splitlines():
            d = json.loads(line)
            out[d["source"]] = d
    return out


def _translate(provider, arts: Path, mem: Path):
    return run(arts, provider, mem, policy=FAST, sleep=lambda s: None, clock=lambda: CLOCK)


@pytest.fixture
def healthy(tmp_path):
    """Pages and entries of a healthy run, per provider name."""
    cache: dict[str, tuple[dict, dict]] = {}

    def get(name: str) -> tuple[dict[str, bytes], dict[str, dict]]:
        if name not in cache:
            arts, mem = _articles(tmp_path / f"ref-{name}" / "articles"), tmp_path / f"ref-{name}" / "memory"
            if name == "libre":
                stub = StubTranslator()
                make = lambda: make_provider("libre", url=stub.url, timeout=5)  # noqa: E731
            else:
                stub = MyMemoryStub()
                make = lambda: mymemory_provider(stub)  # noqa: E731
            try:
                stats = _translate(make(), arts, mem)
            finally:
                stub.close()
            assert stats.withheld == [] and stats.untranslated == []
            cache[name] = (_pages(arts), _entries(mem))
        return cache[name]

    return get


def assert_no_garbage(arts: Path, mem: Path, reference) -> tuple[int, int]:
    """Every page written and every entry stored is what a healthy provider gives.
    Returns (pages written, entries stored)."""
    ref_pages, ref_entries = reference
    pages, entries = _pages(arts), _entries(mem)
    garbage_pages = [name for name, data in pages.items() if data != ref_pages[name]]
    garbage_entries = [s for s, e in entries.items() if e["target"] != ref_entries[s]["target"]]
    assert garbage_pages == [], "garbage published"
    assert garbage_entries == [], "garbage stored"
    for e in entries.values():  # what every entry records
        assert e["provider"] in ("libre", "mymemory") and e["created"] == CLOCK and e["checks"] == "validate/1"
    return len(pages), len(entries)


def _body(part: str) -> tuple[str, str]:
    """(batch marker, text) of one part of a request."""
    m = re.match(r"(\u27ea\d+\u27eb )?(.*)", part, re.S)
    return m.group(1) or "", m.group(2)


def misbehave(pred, bad):
    """A LibreTranslate "engine" that answers ``bad(text)`` for the texts where
    ``pred(text)`` holds (each text of a batch judged alone) and translates the rest."""

    def translate(q: str) -> str:
        parts = q.split("\n\n") if q.startswith("\u27ea") else [q]
        out = []
        for part in parts:
            marker, text = _body(part)
            out.append(marker + (bad(text) if pred(text) else fake_translate(text)))
        return "\n\n".join(out)

    return translate


def _libre(stub, timeout=5):
    return make_provider("libre", url=stub.url, timeout=timeout)


# --- the scenarios --------------------------------------------------------------------------


def test_echoed_french_is_never_published_nor_stored(translator_stub, tmp_path, healthy):
    """LibreTranslate returns the text unchanged when its model yields nothing."""
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    translator_stub.translate = misbehave(lambda t: "cellules" in t or "ondes lentes" in t, lambda t: t)
    stats = _translate(_libre(translator_stub), arts, mem)
    written, stored = assert_no_garbage(arts, mem, healthy("libre"))
    assert written == 0 and stored > 0  # both articles had an echoed segment: neither published
    assert sorted(stats.withheld) == ["neurones", "sommeil"]
    assert any("came back unchanged" in u for u in stats.untranslated)
    # each echoed segment was asked again alone before giving up
    alone = [q for q in translator_stub.requests if not q.startswith("\u27ea")]
    assert any("cellules" in q for q in alone) and any("ondes lentes" in q for q in alone)
    # a healthy provider then finishes the job, asking only for what is missing
    translator_stub.translate = fake_translate
    n = translator_stub.count
    stats = _translate(_libre(translator_stub), arts, mem)
    assert translator_stub.count == n + 1 and stats.withheld == []
    assert _pages(arts) == healthy("libre")[0]


def test_french_with_a_word_changed_is_still_french(translator_stub, tmp_path, healthy):
    """MyMemory's fuzzy match: the French segment back with small edits."""
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    translator_stub.translate = misbehave(lambda t: "Pendant la nuit" in t,
                                          lambda t: t.replace("discret", "léger").replace(".", " !"))
    stats = _translate(_libre(translator_stub), arts, mem)
    assert_no_garbage(arts, mem, healthy("libre"))
    assert stats.withheld == ["sommeil"] and "neurones.en.md" in _pages(arts)
    assert any("still in French" in u for u in stats.untranslated)


def test_mymemory_quota_warning_stops_cleanly_and_keeps_finished_pages(mymemory_stub, tmp_path, healthy):
    ref = healthy("mymemory")
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    # how many requests a healthy run takes; the quota runs out on the last one
    probe = MyMemoryStub()
    try:
        _translate(mymemory_provider(probe), _articles(tmp_path / "probe" / "articles"), tmp_path / "probe" / "memory")
        total = probe.count
    finally:
        probe.close()
    assert total >= 2
    mymemory_stub.quota_after = total - 1
    with pytest.raises(TranslationFailed, match="quota") as exc:
        _translate(mymemory_provider(mymemory_stub), arts, mem)
    assert "MYMEMORY WARNING" in str(exc.value)
    written, stored = assert_no_garbage(arts, mem, ref)
    assert written < 2 and stored > 0  # what was paid for is kept; no page with a hole
    assert not any("MYMEMORY" in e["target"] for e in _entries(mem).values())
    # the next day: the run resumes where it stopped, asking only for what is missing
    mymemory_stub.quota_after = None
    n = mymemory_stub.count
    _translate(mymemory_provider(mymemory_stub), arts, mem)
    assert _pages(arts) == ref[0] and mymemory_stub.count - n < total


def test_mymemory_length_warning_splits_and_resends(mymemory_stub, tmp_path, healthy):
    """MyMemory counts its limit in bytes: accented text over it gets
    "QUERY LENGTH LIMIT EXCEEDED" as a 200 "translation"."""
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    mymemory_stub.query_bytes = 260  # every segment fits, most batches do not
    stats = _translate(mymemory_provider(mymemory_stub), arts, mem)
    assert_no_garbage(arts, mem, healthy("mymemory"))
    assert stats.withheld == [] and _pages(arts) == healthy("mymemory")[0]
    assert not any("QUERY LENGTH" in e["target"] for e in _entries(mem).values())


def test_segments_longer_than_the_length_limit_are_cut_and_resent(mymemory_stub, tmp_path, healthy):
    """Some single segments are over the limit: cut at sentences, sent again; the pages
    are those of a healthy run and no warning is stored."""
    from scidigest.translate.validate import pair_problems

    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    mymemory_stub.query_bytes = 120
    stats = _translate(mymemory_provider(mymemory_stub), arts, mem)
    assert stats.withheld == [] and _pages(arts) == healthy("mymemory")[0]
    for e in _entries(mem).values():
        assert "QUERY LENGTH" not in e["target"] and pair_problems(e["source"], e["target"]) == []


@pytest.mark.parametrize("provider", ["libre", "mymemory"])
@pytest.mark.parametrize("style", ["numeric", "named"])
def test_html_entities_in_answers_are_decoded(translator_stub, mymemory_stub, tmp_path, healthy, style, provider):
    """JSON answers with ``&#39;`` / ``&quot;`` (MyMemory's usual, some LibreTranslate versions)."""
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    table = {"'": "&#39;", "\u00ab": "&#171;", "\u00bb": "&#187;"} if style == "numeric" else {
        "'": "&apos;", "\u00ab": "&laquo;", "\u00bb": "&raquo;"}

    def escaped(t: str) -> str:
        out = fake_translate(t)
        for ch, ref in table.items():
            out = out.replace(ch, ref)
        return out

    stub = translator_stub if provider == "libre" else mymemory_stub
    stub.translate = misbehave(lambda t: True, escaped)
    stats = _translate(_libre(stub) if provider == "libre" else mymemory_provider(stub), arts, mem)
    assert any(escaped(r) != fake_translate(r) for r in stub.requests)  # entities were sent back
    assert_no_garbage(arts, mem, healthy(provider))
    assert stats.withheld == [] and _pages(arts) == healthy(provider)[0]


def test_merged_answers_in_a_batch_are_refused_then_asked_alone(translator_stub, tmp_path, healthy):
    """The engine runs two paragraphs together: one part carries both, the next is empty."""
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"

    def merging(q: str) -> str:
        parts = q.split("\n\n") if q.startswith("\u27ea") else [q]
        if len(parts) < 2:
            return fake_translate(q)
        (m0, t0), (m1, t1) = _body(parts[0]), _body(parts[1])
        merged = [m0 + fake_translate(t0) + " " + fake_translate(t1), m1]
        return "\n\n".join(merged + [fake_translate(p) for p in parts[2:]])

    translator_stub.translate = merging
    stats = _translate(_libre(translator_stub), arts, mem)
    assert_no_garbage(arts, mem, healthy("libre"))
    assert stats.withheld == [] and _pages(arts) == healthy("libre")[0]
    assert sum(not q.startswith("\u27ea") for q in translator_stub.requests) >= 2  # the two asked alone


def test_a_single_answer_with_its_neighbour_appended_is_refused(translator_stub, tmp_path, healthy):
    """A translation-memory match for a longer text: the answer says more than was asked."""
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    extra = fake_translate("Des essais chez l'humain sont déjà en préparation pour l'année prochaine.")
    translator_stub.translate = misbehave(lambda t: "Troisième paragraphe" in t, lambda t: fake_translate(t) + " " + extra)
    stats = _translate(_libre(translator_stub), arts, mem)
    assert_no_garbage(arts, mem, healthy("libre"))
    assert stats.withheld == ["neurones"]


def test_truncated_answers_are_refused(translator_stub, tmp_path, healthy):
    """Answers cut off mid-sentence (a timeout inside the engine, a length cap)."""
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    translator_stub.translate = misbehave(lambda t: len(t) > 90, lambda t: fake_translate(t)[: len(t) * 11 // 20])
    stats = _translate(_libre(translator_stub), arts, mem)
    assert_no_garbage(arts, mem, healthy("libre"))
    assert sorted(stats.withheld) == ["neurones", "sommeil"]
    assert any("truncated" in u for u in stats.untranslated)


def test_a_dropped_sentence_is_refused(translator_stub, tmp_path, healthy):
    """A two-sentence paragraph answered with its first sentence only (ends cleanly)."""
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"

    def first_sentence(t: str) -> str:
        return fake_translate(t.split(". ", 1)[0] + ".")

    translator_stub.translate = misbehave(lambda t: t.startswith("Chez l"), first_sentence)
    stats = _translate(_libre(translator_stub), arts, mem)
    assert_no_garbage(arts, mem, healthy("libre"))
    assert stats.withheld == ["sommeil"] and any("truncated" in u for u in stats.untranslated)


@pytest.mark.parametrize("kind", ["sentence twice", "phrase loop"])
def test_repeated_answers_are_refused(translator_stub, tmp_path, healthy, kind):
    """Neural engines sometimes say a sentence twice or loop on a phrase."""
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    if kind == "sentence twice":
        def bad(t: str) -> str:
            out = fake_translate(t)
            return out + " " + out.split(". ", 1)[0] + "."
    else:
        def bad(t: str) -> str:
            words = fake_translate(t).split(" ")
            return " ".join(words[:4] + words[1:4] * 3 + words[4:])
    translator_stub.translate = misbehave(lambda t: t.startswith(("Selon", "Deuxième")), bad)
    stats = _translate(_libre(translator_stub), arts, mem)
    assert_no_garbage(arts, mem, healthy("libre"))
    assert sorted(stats.withheld) == ["neurones", "sommeil"]
    assert any("twice" in u or "repeated" in u for u in stats.untranslated)


def test_a_captcha_page_as_an_answer_stops_the_run(translator_stub, tmp_path, healthy):
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    translator_stub.translate = lambda q: ("<html><body>Our systems have detected unusual traffic from your "
                                           "computer network.</body></html>")
    with pytest.raises(TranslationFailed, match="blocked"):
        _translate(_libre(translator_stub), arts, mem)
    assert _pages(arts) == {} and _entries(mem) == {}


# --- memory hygiene ---------------------------------------------------------------------------


def _plant(mem: Path, provider: str, entries: list[tuple[str, str, str]]) -> None:
    """Write entries in the format of before this change (no provider/created/checks)."""
    from scidigest.translate.memory import entry_key

    lines = [json.dumps({"key": entry_key(s, "fr", "en", provider), "source": s, "status": st, "target": t},
                        ensure_ascii=False, sort_keys=True) for s, t, st in entries]
    mem.mkdir(parents=True, exist_ok=True)
    (mem / f"fr-en.{provider}.jsonl").write_text("".join(sorted(x + "\n" for x in lines)), "utf-8")


def test_garbage_already_in_the_memory_is_never_served(translator_stub, tmp_path, healthy):
    """The issue's case: one bad run committed its garbage; a healthy rerun must not keep it."""
    ref_pages, ref_entries = healthy("libre")
    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    good = [(s, e["target"], "machine") for s, e in ref_entries.items()]
    bad_sources = [s for s, _, _ in good if s.startswith(("Chez l", "Pendant la nuit", "Deuxième", "Troisième"))]
    assert len(bad_sources) == 4
    garbage = {bad_sources[0]: bad_sources[0], bad_sources[1]: QUOTA,
               bad_sources[2]: ref_entries[bad_sources[2]]["target"].replace("'", "&#39;") + " &quot;",
               bad_sources[3]: ref_entries[bad_sources[3]]["target"][:30]}
    _plant(mem, "libre", [(s, garbage.get(s, t), st) for s, t, st in good])
    stats = _translate(_libre(translator_stub), arts, mem)
    assert len(stats.memory_rejected) == 4
    sent = "\n\n".join(translator_stub.requests)
    assert all(s.split(" ", 2)[1] in sent for s in bad_sources)  # each asked again
    assert translator_stub.count <= 2
    assert _pages(arts) == ref_pages  # published pages carry none of it
    assert {s: e["target"] for s, e in _entries(mem).items()} == {s: e["target"] for s, e in ref_entries.items()}


def test_revalidate_drops_bad_machine_entries_and_flags_bad_reviewed_ones(tmp_path, healthy, capsys):
    from scidigest.cli import main

    _, ref_entries = healthy("libre")
    mem = tmp_path / "memory"
    good = [(s, e["target"], "machine") for s, e in ref_entries.items()]
    echo = next(s for s, _, _ in good if s.startswith("Pendant la nuit"))
    warned = next(s for s, _, _ in good if s.startswith("Selon"))
    _plant(mem, "libre", [(s, echo if s == echo else QUOTA if s == warned else t, st) for s, t, st in good])
    reviewed_bad = "Les souris « stimulées » retrouvaient l'objet."
    _plant(mem, "manual", [("Une avancée majeure", "A major advance", "reviewed"),
                           (reviewed_bad, "Les souris « stimulées » retrouvaient l'objet.", "reviewed")])
    before_manual = (mem / "fr-en.manual.jsonl").read_text("utf-8")
    assert main(["translate", "--revalidate", "--memory", str(mem)]) == 1  # a person must look at one
    out = capsys.readouterr().out
    assert "fr-en.libre.jsonl" in out and "2 dropped" in out and "1 flagged" in out
    entries = _entries(mem)
    assert echo not in entries and warned not in entries
    assert len(entries) == len(good) - 2 + 2
    flagged = entries[reviewed_bad]
    assert flagged["suspect"] and flagged["target"] == reviewed_bad and flagged["status"] == "reviewed"
    kept = entries["Une avancée majeure"]
    assert kept["target"] == "A major advance" and kept["checks"] == "validate/1" and kept["provider"] == "manual"
    assert "created" not in kept  # never invented for entries older than the field
    for line_before, line_after in zip(sorted(before_manual.splitlines()),
                                       sorted((mem / "fr-en.manual.jsonl").read_text("utf-8").splitlines()),
                                       strict=True):
        b, a = json.loads(line_before), json.loads(line_after)
        assert (b["key"], b["source"], b["target"], b["status"]) == (a["key"], a["source"], a["target"], a["status"])
    # a second revalidation changes no byte
    snapshot = {p.name: p.read_bytes() for p in mem.iterdir()}
    main(["translate", "--revalidate", "--memory", str(mem)])
    assert {p.name: p.read_bytes() for p in mem.iterdir()} == snapshot


def test_a_suspect_reviewed_entry_is_not_served(translator_stub, tmp_path):
    arts, mem = tmp_path / "articles", tmp_path / "memory"
    arts.mkdir()
    (arts / "neurones.fr.md").write_text(NEURONES.format(slug="neurones", h="0" * 64), "utf-8")
    title = "Régénérer les neurones perdus"
    _plant(mem, "manual", [(title, "Regenerating lost neurons", "reviewed")])
    lines = (mem / "fr-en.manual.jsonl").read_text("utf-8").splitlines()
    d = json.loads(lines[0])
    d["suspect"] = "flagged by a reviewer"
    (mem / "fr-en.manual.jsonl").write_text(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    stats = _translate(_libre(translator_stub), arts, mem)
    meta, _ = read_page((arts / "neurones.en.md").read_text("utf-8"))
    assert meta["title"] == fake_translate(title)
    assert any("suspect" in r for r in stats.memory_rejected)


def test_a_rerun_changes_no_byte_and_the_committed_memory_is_current(translator_stub, tmp_path):
    from scidigest.translate.memory import Memory
    from scidigest.translate.validate import pair_problems

    arts, mem = _articles(tmp_path / "articles"), tmp_path / "memory"
    run(arts, _libre(translator_stub), mem, policy=FAST, sleep=lambda s: None)  # the real clock
    snapshot = {p: p.read_bytes() for d in (arts, mem) for p in sorted(d.iterdir())}
    n = translator_stub.count
    stats = run(arts, _libre(translator_stub), mem, policy=FAST, sleep=lambda s: None)
    assert translator_stub.count == n and stats.requests == 0
    assert {p: p.read_bytes() for d in (arts, mem) for p in sorted(d.iterdir())} == snapshot
    # the repository's memory: current format, every seed entry passing today's checks
    committed = Path(__file__).resolve().parents[2] / "sources" / "translation-memory"
    for f in sorted(committed.glob("*.jsonl")):
        src, tgt = f.name.split(".")[0].split("-")
        m = Memory(committed, src, tgt, f.name.split(".")[1])
        assert m.render() == f.read_text("utf-8"), f"{f.name}: run `scidigest translate --revalidate`"
        for e in m.entries():
            assert pair_problems(e.source, e.target, src, tgt) == [], e.source
