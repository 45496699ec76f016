"""Running translations against the stub LibreTranslate server: memory, faults, review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scidigest.translate import (
    RetryPolicy,
    TranslationFailed,
    make_provider,
    page_state,
    run,
    skeleton_of,
    strip_notice,
)
from scidigest.translate.pages import read_page
from tests.plugins.samples import read_sample
from tests.plugins.translator_stub import fake_translate

FAST = RetryPolicy(attempts=3, initial=0.001, maximum=0.002, jitter=0)

ARTICLE = read_sample("neurones-article.fr.md")


def _write(d: Path, slug: str = "article-un") -> Path:
    p = d / f"{slug}.fr.md"
    p.write_text(ARTICLE.format(slug=slug, h="0" * 64), "utf-8")
    return p


@pytest.fixture
def site(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    return arts, tmp_path / "memory"


def _run(stub_url, arts, mem, *, sleeps=None, max_chars=None, timeout=2.0):
    provider = make_provider("libre", url=stub_url, timeout=timeout, max_chars=max_chars)
    return run(arts, provider, mem, policy=FAST, sleep=(sleeps.append if sleeps is not None else lambda s: None))


def _snapshot(*dirs: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for d in dirs if d.exists() for p in sorted(d.rglob("*")) if p.is_file()}


def test_page_is_translated_with_structure_and_front_matter_and_no_notice_in_the_body(translator_stub, site):
    arts, mem = site
    fr = _write(arts)
    stats = _run(translator_stub.url, arts, mem)
    en_text = (arts / "article-un.en.md").read_text("utf-8")
    meta, body = read_page(en_text)
    _, fr_body = read_page(fr.read_text("utf-8"))
    assert skeleton_of(body) == skeleton_of(fr_body)  # no notice: the site's header shows it
    assert strip_notice(body) == body and body.startswith("\n") and not body.startswith("\n\n")
    assert meta["title"] == fake_translate("Régénérer les neurones perdus") and meta["lang"] == "en"
    assert meta["tags"] == ["neurons", fake_translate("sujet inédit").lower()]  # terminology, then machine (lower-cased)
    assert meta["translation"]["provider"] == "libre" and meta["translation"]["status"] == "machine"
    assert "output_hash" not in meta
    assert f"[{fake_translate('lien vers l')}'Inserm](https://www.inserm.fr/)" in body and "5-HT<sub>2B</sub>" in body
    assert "!!!" not in body and "../articles/" not in body
    assert stats.requests == translator_stub.count == 1  # everything fits one request
    assert page_state(fr).state == "fresh"


def test_second_run_makes_no_request_and_changes_no_byte(translator_stub, site):
    arts, mem = site
    _write(arts)
    _run(translator_stub.url, arts, mem)
    before, n = _snapshot(arts, mem), translator_stub.count
    stats = _run(translator_stub.url, arts, mem)
    assert translator_stub.count == n and stats.requests == 0
    assert _snapshot(arts, mem) == before


def test_memory_file_is_sorted_and_stable(translator_stub, site):
    arts, mem = site
    _write(arts)
    _run(translator_stub.url, arts, mem)
    lines = (mem / "fr-en.libre.jsonl").read_text("utf-8").splitlines()
    keys = [json.loads(line)["key"] for line in lines]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    assert all(list(json.loads(line)) == sorted(json.loads(line)) for line in lines)


def test_only_changed_segments_are_sent_again(translator_stub, site):
    arts, mem = site
    fr = _write(arts)
    _run(translator_stub.url, arts, mem)
    n = translator_stub.count
    fr.write_text(fr.read_text("utf-8").replace("Troisième paragraphe", "Troisième paragraphe modifié"), "utf-8")
    assert page_state(fr).state == "stale"
    _run(translator_stub.url, arts, mem)
    assert translator_stub.count == n + 1
    assert translator_stub.requests[-1].startswith("Troisième paragraphe modifié")
    assert page_state(fr).state == "fresh"


def test_batches_respect_a_small_limit(translator_stub, site):
    arts, mem = site
    _write(arts)
    translator_stub.max_chars = 150  # the server would answer 413 beyond this
    stats = _run(translator_stub.url, arts, mem, max_chars=150)
    assert stats.requests == translator_stub.count > 1
    assert max(len(q) for q in translator_stub.requests) <= 150


def test_429_with_retry_after_is_honoured_then_succeeds(translator_stub, site):
    arts, mem = site
    _write(arts)
    translator_stub.retry_after = "7"
    translator_stub.script("429")
    sleeps: list[float] = []
    stats = _run(translator_stub.url, arts, mem, sleeps=sleeps)
    assert sleeps == [7.0]
    assert translator_stub.count == 2 and stats.requests == 1 and stats.attempts == 2
    assert (arts / "article-un.en.md").exists()


def test_500_is_retried_with_backoff(translator_stub, site):
    arts, mem = site
    _write(arts)
    translator_stub.script("500", "malformed")
    sleeps: list[float] = []
    _run(translator_stub.url, arts, mem, sleeps=sleeps)
    assert len(sleeps) == 2 and translator_stub.count == 3
    assert (arts / "article-un.en.md").exists()


def test_exhausted_retries_keep_finished_batches_and_write_no_page(translator_stub, site):
    arts, mem = site
    _write(arts)
    translator_stub.script("ok", "500", "500", "500")
    with pytest.raises(TranslationFailed, match="500"):
        _run(translator_stub.url, arts, mem, max_chars=200)
    assert not (arts / "article-un.en.md").exists()
    entries = (mem / "fr-en.libre.jsonl").read_text("utf-8").splitlines()
    assert entries and not (mem / "fr-en.libre.jsonl.journal").exists()
    first_batch = translator_stub.batches[0]
    assert len(entries) == len(first_batch)  # exactly the segments of the finished batch
    # resuming: the paid-for batch is not asked again
    translator_stub.requests.clear()
    _run(translator_stub.url, arts, mem, max_chars=200)
    assert not set(first_batch) & set(translator_stub.requests)
    assert (arts / "article-un.en.md").exists()


def test_refused_connection_fails_cleanly(refused_url, site):
    arts, mem = site
    _write(arts)
    with pytest.raises(TranslationFailed, match="connection"):
        _run(refused_url, arts, mem)
    assert not (arts / "article-un.en.md").exists()


def test_silent_server_times_out_and_dropped_connection_fails(translator_stub, site):
    arts, mem = site
    _write(arts)
    translator_stub.mode = "slow"
    translator_stub.delay = 3
    with pytest.raises(TranslationFailed, match="timeout"):
        _run(translator_stub.url, arts, mem, timeout=0.1)
    translator_stub.mode = "drop"
    with pytest.raises(TranslationFailed, match="connection"):
        _run(translator_stub.url, arts, mem)
    assert not (arts / "article-un.en.md").exists()


def test_damaged_segment_is_retried_alone_then_left_out_and_the_page_withheld(translator_stub, site):
    arts, mem = site
    _write(arts)
    translator_stub.mode = "mangle"  # every reply loses its placeholders
    stats = _run(translator_stub.url, arts, mem)
    # French left in it: the page is not published as English, and the run says so
    assert not (arts / "article-un.en.md").exists()
    assert stats.withheld == ["article-un"] and "article-un" in stats.summary()
    assert len(stats.untranslated) >= 3 and "placeholders missing" in stats.untranslated[0]
    stored = [json.loads(line)["source"] for line in (mem / "fr-en.libre.jsonl").read_text("utf-8").splitlines()]
    assert "Les cellules gliales en prolifération" in stored  # segments without placeholders were fine
    assert not any("stéréotaxique" in s for s in stored)
    assert page_state(arts / "article-un.fr.md").state == "missing"
    # the damaged ones were not stored: the next (healthy) run asks only for them
    translator_stub.mode = "ok"
    n = translator_stub.count
    _run(translator_stub.url, arts, mem)
    assert translator_stub.count == n + 1
    assert page_state(arts / "article-un.fr.md").state == "fresh"


def test_libretranslate_gets_a_list_of_texts_in_a_post_body_and_html_placeholders(translator_stub, site):
    """Native batching (``q: [...]``) instead of separators; nothing in the URL."""
    arts, mem = site
    _write(arts)
    stats = _run(translator_stub.url, arts, mem)
    assert stats.untranslated == [] and translator_stub.count == 1
    (batch,) = translator_stub.batches
    assert len(batch) > 5 and not any("\u27ea" in t or "\u27e6" in t for t in batch)
    assert any('<x translate="no">0</x>' in t for t in batch)


def test_reviewed_translation_is_never_overwritten_and_reported_stale(translator_stub, site):
    arts, mem = site
    fr = _write(arts)
    _run(translator_stub.url, arts, mem)
    en = arts / "article-un.en.md"
    from scidigest.commands.translate import check, mark_reviewed

    machine = fake_translate("Les cellules gliales en prolifération")
    en.write_text(en.read_text("utf-8").replace(machine, "Proliferating glial cells"), "utf-8")
    mark_reviewed(arts, "article-un", "en")
    reviewed = en.read_bytes()
    assert page_state(fr).status == "reviewed" and page_state(fr).state == "fresh"
    fr.write_text(fr.read_text("utf-8").replace("Premier paragraphe", "Un premier paragraphe"), "utf-8")
    stats = _run(translator_stub.url, arts, mem)
    assert en.read_bytes() == reviewed
    assert stats.stale_reviewed == ["article-un"]
    assert page_state(fr).state == "stale"
    import io

    out = io.StringIO()
    assert check(arts, "en", out) == 1 and "stale" in out.getvalue()


def test_check_fails_on_missing_and_passes_when_fresh(translator_stub, site):
    import io

    from scidigest.commands.translate import check

    arts, mem = site
    _write(arts)
    assert check(arts, "en", io.StringIO()) == 1
    _run(translator_stub.url, arts, mem)
    assert check(arts, "en", io.StringIO()) == 0


def test_secrets_never_appear_in_errors(refused_url, site, monkeypatch):
    arts, mem = site
    _write(arts)
    provider = make_provider("libre", url=refused_url, timeout=1, env={"LIBRE_API_KEY": "s3cr3t-key"})
    with pytest.raises(TranslationFailed) as exc:
        run(arts, provider, mem, policy=FAST, sleep=lambda s: None)
    assert "s3cr3t" not in str(exc.value)
