"""Our translate against engines that behave like the real ones (``engine`` in
tests/plugins/engines.py, on 127.0.0.1): placeholders swapped, respaced and
normalised, batch markers dropped, the error bodies of LibreTranslate, DeepL,
MyMemory and Google's page, byte limits.

The oracle is a run against the same engine behaving well: every page written
and every memory entry stored must be one the healthy run produces (0 structure
breaks, 0 garbage), and a stop must be clean (one line, finished pages kept).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scidigest.translate import RetryPolicy, TranslationFailed, make_provider, run
from scidigest.translate.providers import PermanentError
from tests.plugins.engines import DEEPL_KEY, EngineStub

FAST = RetryPolicy(attempts=3, initial=0.001, maximum=0.002, jitter=0)
CLOCK = "2026-01-01T00:00:00Z"

FRONT = """---
title: {title}
slug: {slug}
date: '2024-03-12'
lang: fr
description: {description}
tags:
- neurones
kind: press-release
input_kind: web-text
reading_time: 2
source_file: {slug}.txt
source_hash: sha256:{h}
---

"""
ARTICLES = {
    "plasticite": (
        "Une molécule qui rend sa souplesse au cerveau adulte",
        "Des chercheurs de l'Inserm et du CNRS montrent qu'un traitement de 14 jours rouvre une période de plasticité.",
        [
            "Chez la souris adulte, le cortex visuel perd sa **plasticité** après la puberté, explique "
            "[l'équipe de Lyon](https://www.inserm.fr/actualite/plasticite/) dans un communiqué.",
            "## Un récepteur au cœur du mécanisme",
            "Le récepteur 5-HT<sub>2A</sub> et la protéine SV2A agissent ensemble : à 30 % de la dose "
            "habituelle, l'effet est déjà *visible* sur l'imagerie[^1].",
            "Les résultats, publiés dans `Neuron` le 12 mars, devront être confirmés chez l'humain avant tout essai.",
            "[^1]: Imagerie optique intrinsèque, réalisée sur 24 animaux.",
        ],
    ),
    "sommeil": (
        "Le sommeil profond trie les souvenirs de la journée",
        "Une étude franco-suisse relie les ondes lentes du sommeil à la consolidation de la mémoire.",
        [
            "Pendant la nuit, les ondes lentes synchronisent l'hippocampe et le néocortex : c'est ce "
            "**dialogue** qui permettrait de garder les souvenirs utiles.",
            "L'équipe du CNRS a enregistré 42 volontaires pendant 3 nuits, avec une EEG à haute densité "
            "([protocole détaillé](https://www.cnrs.fr/fr/presse/sommeil)).",
            "## Des ondes plus lentes chez les bons dormeurs",
            "Les participants dont les ondes étaient les plus amples retenaient 20 % de mots en plus au réveil, "
            "un effet qui persiste *une semaine* plus tard.",
        ],
    ),
    "microbiote": (
        "Le microbiote intestinal influence la réponse au stress",
        "Chez la souris, certaines bactéries modifient la production de cortisol, selon l'Inserm.",
        [
            "Les souris dépourvues de microbiote produisent **deux fois plus** de corticostérone après un stress "
            "aigu, un effet corrigé par la greffe de bactéries d'une souris saine.",
            "Selon les auteurs, la souche *Lactobacillus reuteri* serait en cause ; l'analyse porte sur "
            "1 200 échantillons[^1] prélevés sur huit semaines.",
            "Pour en savoir plus, consultez [la fiche de l'Inserm](https://www.inserm.fr/dossier/microbiote/) "
            "ou écrivez à <presse@inserm.fr>.",
            "[^1]: Échantillons de selles et de sang, analysés à l'aveugle.",
        ],
    ),
}


def _write_articles(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for k, (slug, (title, desc, paras)) in enumerate(ARTICLES.items()):
        text = FRONT.format(title=title, slug=slug, description=json.dumps(desc, ensure_ascii=False), h=str(k) * 64)
        (d / f"{slug}.fr.md").write_text(text + "\n\n".join(paras) + "\n", "utf-8")
    return d


def _provider(name: str, engine: EngineStub, **kw):
    if name == "libre":
        return make_provider("libre", url=engine.url, timeout=5, **kw)
    if name == "deepl":
        return make_provider("deepl", timeout=5, env={"DEEPL_API_KEY": DEEPL_KEY, "DEEPL_API_URL": engine.url}, **kw)
    if name == "mymemory":
        return make_provider("mymemory", url=engine.url + "get", timeout=5, env={}, **kw)
    return make_provider("google", url=engine.url + "m", timeout=5, **kw)


def _run(provider, arts: Path, mem: Path, sleeps: list | None = None):
    provider.pause = (sleeps.append if sleeps is not None else lambda s: None)
    return run(arts, provider, mem, policy=FAST, sleep=(sleeps.append if sleeps is not None else lambda s: None),
               clock=lambda: CLOCK)


def _pages(arts: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(arts.glob("*.en.md"))}


def _entries(mem: Path) -> dict[str, str]:
    out = {}
    for f in sorted(mem.glob("*.jsonl")):
        for line in f.read_text("utf-8").splitlines():
            d = json.loads(line)
            out[d["source"]] = d["target"]
    return out


@pytest.fixture
def healthy(tmp_path):
    """(pages, entries, requests) of a run against a well-behaved engine, per provider."""
    cache: dict[tuple, tuple] = {}

    def get(name: str, **kw):
        key = (name, tuple(sorted(kw.items())))
        if key not in cache:
            base = tmp_path / f"healthy-{name}-{len(cache)}"
            arts, mem = _write_articles(base / "articles"), base / "memory"
            engine = EngineStub()
            try:
                stats = _run(_provider(name, engine, **kw), arts, mem)
                n = engine.count(name)
            finally:
                engine.close()
            assert stats.untranslated == [] and stats.withheld == []
            cache[key] = (_pages(arts), _entries(mem), n)
        return cache[key]

    return get


@pytest.fixture
def site(tmp_path):
    return _write_articles(tmp_path / "articles"), tmp_path / "memory"


def assert_no_garbage(arts: Path, mem: Path, reference) -> int:
    """Every page and entry is the healthy run's; returns the pages written."""
    ref_pages, ref_entries, _ = reference
    pages, entries = _pages(arts), _entries(mem)
    assert [n for n, b in pages.items() if b != ref_pages[n]] == [], "a page differs from the healthy run's"
    assert [s for s, t in entries.items() if ref_entries.get(s) != t] == [], "a stored entry is garbage"
    return len(pages)


PROVIDERS = ["libre", "deepl", "mymemory", "google"]


# --- placeholders ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROVIDERS)
def test_swapped_placeholders_never_reach_a_page_or_the_memory(engine, site, healthy, name):
    arts, mem = site
    engine.behaviours = {"swap"}
    stats = _run(_provider(name, engine), arts, mem)
    assert_no_garbage(arts, mem, healthy(name))
    # the swapped segments were asked again alone, then left out and reported, never stored
    assert stats.untranslated and all("out of order" in u or "hold" in u or "moved" in u for u in stats.untranslated)
    assert set(stats.withheld) == set(ARTICLES)  # every article has a segment with two placeholders


@pytest.mark.parametrize("name", PROVIDERS)
def test_placeholders_respaced_by_the_engine_come_back_as_in_the_source(engine, site, healthy, name):
    """``** bold **`` would show literal asterisks; ``[^1]`` after a space is not a footnote."""
    arts, mem = site
    engine.behaviours = {"respace"}
    stats = _run(_provider(name, engine), arts, mem)
    assert stats.untranslated == [] and stats.withheld == []
    assert assert_no_garbage(arts, mem, healthy(name)) == len(ARTICLES)
    body = (arts / "plasticite.en.md").read_text("utf-8")
    assert re.search(r"\*\*\w[^*]*\w\*\*", body) and not re.search(r"(^|\s)\*\*\s", body) and " [^1]" not in body


@pytest.mark.parametrize("name", ["mymemory", "google"])
@pytest.mark.parametrize("shape", ["brackets", "lenticular", "parens"])
def test_normalised_brackets_are_read_back_at_no_extra_request(engine, site, healthy, name, shape):
    """OPUS-MT-based engines and DeepL's text mode write ⟦1⟧ as [1], 【1】 or (1)."""
    arts, mem = site
    engine.behaviours = {shape}
    stats = _run(_provider(name, engine), arts, mem)
    assert stats.untranslated == [] and stats.withheld == []
    assert assert_no_garbage(arts, mem, healthy(name)) == len(ARTICLES)
    assert engine.count(name) == healthy(name)[2]  # not one request more than a clean engine


def test_a_bracket_shape_the_source_itself_uses_is_not_guessed(engine, tmp_path):
    """"(1)" in the French text makes "(N)" ambiguous: the segment is left out, not misread."""
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "etapes.fr.md").write_text(FRONT.format(title="Les étapes", slug="etapes", description="Trois étapes.",
                                                    h="7" * 64)
                                       + "L'étape (1) dure **deux heures** selon le CNRS.\n", "utf-8")
    engine.behaviours = {"parens"}
    stats = _run(_provider("google", engine), arts, tmp_path / "memory")
    assert stats.withheld == ["etapes"] and not (arts / "etapes.en.md").exists()
    assert all("placeholders missing" in u for u in stats.untranslated)


@pytest.mark.parametrize("name", ["mymemory", "google"])
def test_dropped_batch_markers_cost_no_extra_request(engine, site, healthy, name):
    arts, mem = site
    engine.behaviours = {"drop-markers"}
    stats = _run(_provider(name, engine, max_chars=400), arts, mem)
    assert stats.untranslated == []
    assert assert_no_garbage(arts, mem, healthy(name, max_chars=400)) == len(ARTICLES)
    assert engine.count(name) == healthy(name, max_chars=400)[2]


@pytest.mark.parametrize("name", ["mymemory", "google"])
def test_a_joined_answer_that_cannot_be_split_is_bisected_not_guessed(engine, site, healthy, name):
    """Two texts merged into one: the paragraphs no longer match the texts, nothing is assigned by guess."""
    arts, mem = site
    engine.behaviours = {"merge-paragraphs", "drop-markers"}
    stats = _run(_provider(name, engine, max_chars=450), arts, mem)
    assert_no_garbage(arts, mem, healthy(name, max_chars=450))
    # every joined request breaks, so bisection ends with texts sent alone, which come back whole
    assert stats.untranslated == [] and len(_pages(arts)) == len(ARTICLES)
    assert engine.count(name) > healthy(name, max_chars=450)[2]


def test_native_markup_reaches_the_engine(engine, site):
    """DeepL: XML tags + ignore_tags; LibreTranslate: format=html with translate="no"; both POST bodies."""
    arts, mem = site
    _run(_provider("deepl", engine), arts, mem)
    _run(_provider("libre", engine), arts, tmp_path_mem := mem.parent / "memory-libre")
    assert tmp_path_mem.exists()
    deepl = [s for s in engine.seen if s.api == "deepl"]
    assert all(s.method == "POST" and s.body["tag_handling"] == "xml" and s.body["ignore_tags"] == ["k"]
               and s.body["target_lang"] == "EN-GB" for s in deepl)
    sent = " ".join(t for s in deepl for t in s.texts)
    assert '<k i="' in sent and "SV2A</k>" in sent and '<x i="' in sent and "\u27e6" not in sent
    libre = [s for s in engine.seen if s.api == "libre"]
    assert all(s.method == "POST" and not s.query and s.body["format"] == "html" and isinstance(s.body["q"], list)
               for s in libre)
    assert '<x translate="no">' in " ".join(t for s in libre for t in s.texts)


# --- providers: limits and error bodies --------------------------------------------------------


def test_libretranslate_text_limit_in_a_400_body_is_learned_and_the_rest_resent(engine, site, healthy):
    arts, mem = site
    engine.libre_char_limit = 300  # a server configured lower than the 2,000 we assume
    provider = _provider("libre", engine)
    stats = _run(provider, arts, mem)
    assert stats.untranslated == [] and stats.withheld == []
    assert assert_no_garbage(arts, mem, healthy("libre")) == len(ARTICLES)
    assert provider.max_chars == 300
    sizes = [sum(len(t) for t in s.texts) for s in engine.seen if s.api == "libre"]
    assert sizes[0] > 300 and max(sizes[1:]) <= 300  # one refused request, then all under the limit


def test_libretranslate_batch_limit_in_a_400_body_is_learned(engine, site, healthy):
    arts, mem = site
    engine.libre_batch_limit = 4
    provider = _provider("libre", engine)
    stats = _run(provider, arts, mem)
    assert stats.untranslated == [] and provider.max_items == 4
    assert assert_no_garbage(arts, mem, healthy("libre")) == len(ARTICLES)
    assert max(len(s.texts) for s in engine.seen[1:]) <= 4


@pytest.mark.parametrize(("mode", "says", "never"), [
    ("403ban", "flood protection", "API key"),
    ("403key", "check the key in LIBRE_API_KEY", "flood"),
    ("429day", "request limit reached", "API key"),
])
def test_libretranslate_refusals_are_told_apart_and_stop_at_once(engine, site, mode, says, never):
    arts, mem = site
    engine.script(mode)
    with pytest.raises(TranslationFailed) as exc:
        _run(_provider("libre", engine), arts, mem)
    assert says in str(exc.value) and never not in str(exc.value)
    assert engine.count("libre") == 1  # not retried: retrying a ban prolongs it
    assert _pages(arts) == {} and _entries(mem) == {}


def test_libretranslate_slowdown_is_waited_out_then_requests_are_paced(engine, site):
    arts, mem = site
    engine.script("429rate")  # "Slowdown: 20 per 1 minute"
    sleeps: list[float] = []
    provider = _provider("libre", engine, max_chars=300)
    stats = _run(provider, arts, mem, sleeps)
    assert stats.untranslated == [] and len(_pages(arts)) == len(ARTICLES)
    assert sleeps[0] == 60.0 and provider.min_interval == 3.0
    assert len(sleeps) >= engine.count("libre") - 2  # later requests paced at 3 s, not fired at once


def test_a_text_the_server_cannot_translate_is_isolated_by_bisection(engine, site, healthy):
    arts, mem = site
    engine.script("cannot")  # LibreTranslate's 500 "Cannot translate text" for the first batch
    stats = _run(_provider("libre", engine), arts, mem)
    assert stats.untranslated == []
    assert assert_no_garbage(arts, mem, healthy("libre")) == len(ARTICLES)
    assert engine.count("libre") == healthy("libre")[2] + 2  # the failed batch, resent as two halves


@pytest.mark.parametrize("name", ["libre", "deepl", "mymemory", "google"])
def test_server_errors_are_retried(engine, site, healthy, name):
    arts, mem = site
    engine.script("503", "500")
    stats = _run(_provider(name, engine), arts, mem)
    assert stats.untranslated == [] and stats.attempts == stats.requests + 2
    assert assert_no_garbage(arts, mem, healthy(name)) == len(ARTICLES)


@pytest.mark.parametrize(("name", "mode", "says"), [
    ("deepl", "456", "quota exceeded"),
    ("google", "captcha", "bot check"),
    ("mymemory", "quota", "quota"),
])
def test_quota_and_bot_checks_stop_cleanly_and_keep_finished_pages(engine, site, healthy, name, mode, says):
    arts, mem = site
    provider = _provider(name, engine, max_chars=450)
    engine.script(*(["ok"] * 3), mode)
    with pytest.raises(TranslationFailed, match=says):
        _run(provider, arts, mem)
    assert engine.count(name) == 4  # no retry against a quota or a captcha
    ref_pages, _, _ = healthy(name, max_chars=450)
    pages = _pages(arts)
    assert pages and len(pages) < len(ARTICLES)  # the first article's segments came back first
    assert all(pages[n] == ref_pages[n] for n in pages)
    assert_no_garbage(arts, mem, healthy(name, max_chars=450))
    # the next run (healthy) finishes the rest without asking again for what is stored
    stored = set(_entries(mem))
    _run(_provider(name, engine, max_chars=450), arts, mem)
    asked = {t for s in engine.seen[4:] for t in s.texts}
    assert _pages(arts) == ref_pages
    assert not any(src in t for src in stored for t in asked if len(src) > 40)


def test_mymemory_limit_is_500_bytes_not_characters(engine, site, healthy):
    """Accented French is longer in bytes: every request stays under 500 bytes."""
    arts, mem = site
    stats = _run(_provider("mymemory", engine), arts, mem)
    assert stats.untranslated == [] and len(_pages(arts)) == len(ARTICLES)
    sent = [s.texts[0] for s in engine.seen if s.api == "mymemory"]
    assert max(len(t.encode("utf-8")) for t in sent) <= 499
    assert any(len(t.encode("utf-8")) > len(t) + 10 for t in sent)  # accented text was measured in bytes


def test_mymemory_length_warning_splits_and_resends(engine, site, healthy):
    arts, mem = site
    engine.mymemory_bytes = 250  # a server stricter than the documented 500 bytes
    stats = _run(_provider("mymemory", engine), arts, mem)
    refused = [s for s in engine.seen if len(s.texts[0].encode("utf-8")) > 250]
    assert refused  # some requests got the 200 "QUERY LENGTH LIMIT EXCEEDED" answer
    assert_no_garbage(arts, mem, healthy("mymemory"))
    # a segment longer than the server's limit on its own cannot be sent: left out, reported
    assert all("length limit" in u for u in stats.untranslated)


# --- DeepL settings ------------------------------------------------------------------------------


def test_deepl_english_variant_is_a_setting_and_bare_en_is_never_sent(engine):
    env = {"DEEPL_API_KEY": DEEPL_KEY, "DEEPL_API_URL": engine.url}
    assert make_provider("deepl", env=env).translate("Bonjour.")
    assert make_provider("deepl", env={**env, "DEEPL_TARGET_LANG": "en-us"}).translate("Bonjour.")
    assert [s.body["target_lang"] for s in engine.seen] == ["EN-GB", "EN-US"]
    with pytest.raises(PermanentError, match="DEEPL_TARGET_LANG"):
        make_provider("deepl", env={**env, "DEEPL_TARGET_LANG": "EN"})


def test_deepl_free_or_pro_endpoint_comes_from_the_key():
    free = make_provider("deepl", env={"DEEPL_API_KEY": "0000-1111:fx"})
    pro = make_provider("deepl", env={"DEEPL_API_KEY": "0000-1111"})
    assert free.client._base_url == "https://api-free.deepl.com/v2/"
    assert pro.client._base_url == "https://api.deepl.com/v2/"


# --- a rerun ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROVIDERS)
def test_a_rerun_with_nothing_changed_makes_no_request(engine, site, name):
    arts, mem = site
    _run(_provider(name, engine), arts, mem)
    before, n = (_pages(arts), _entries(mem)), engine.count()
    stats = _run(_provider(name, engine), arts, mem)
    assert engine.count() == n and stats.requests == 0
    assert (_pages(arts), _entries(mem)) == before
