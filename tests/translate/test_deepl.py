"""DeepL through deep-translator, speaking DeepL's current API, against a stub on 127.0.0.1.

deep-translator 1.11.4 sends the key as the ``auth_key`` query parameter of
a GET; DeepL has retired that.  ``DeeplClient`` (our subclass) POSTs with the
``Authorization: DeepL-Auth-Key`` header.  The stub (``deepl_stub`` in
``tests/plugins/translator_stub.py``) refuses anything else.
"""

from __future__ import annotations

import io
import json
import logging
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from scidigest.translate import RetryPolicy, TranslationFailed, make_provider, run
from scidigest.translate.providers import (
    DeeplClient,
    PermanentError,
    RateLimited,
    TransientError,
    call_with_retries,
    missing_key,
)
from tests.plugins.samples import read_sample
from tests.plugins.translator_stub import fake_translate

FAST = RetryPolicy(attempts=3, initial=0.001, maximum=0.002, jitter=0)

ARTICLE = read_sample("neurones-article.fr.md")


def _env(stub, **extra) -> dict[str, str]:
    return {"DEEPL_API_KEY": stub.key, "DEEPL_API_URL": stub.url, **extra}


def _site(tmp_path: Path, n: int = 1) -> tuple[Path, Path]:
    arts = tmp_path / "articles"
    arts.mkdir()
    for i in range(n):
        slug = f"article-{i}"
        (arts / f"{slug}.fr.md").write_text(ARTICLE.format(slug=slug, h="0" * 64), "utf-8")
    return arts, tmp_path / "memory"


def _run(stub, arts, mem, *, sleeps=None, max_chars=None, timeout=2.0):
    provider = make_provider("deepl", timeout=timeout, max_chars=max_chars, env=_env(stub))
    return run(arts, provider, mem, policy=FAST, sleep=(sleeps.append if sleeps is not None else lambda s: None))


def _no_key_anywhere(stub) -> None:
    for r in stub.seen:
        assert stub.key not in r.path and stub.key not in r.body
        assert "auth_key" not in r.path and "auth_key" not in r.body
        assert [k for k, v in r.headers.items() if stub.key in v] == ["Authorization"]


def test_translate_posts_with_the_key_only_in_the_header(deepl_stub):
    provider = make_provider("deepl", env=_env(deepl_stub))
    assert isinstance(provider.client, DeeplClient)
    assert provider.translate("Bonjour le monde.") == fake_translate("Bonjour le monde.")
    (req,) = deepl_stub.seen
    assert req.method == "POST" and req.path == "/v2/translate"
    assert req.headers["Authorization"] == f"DeepL-Auth-Key {deepl_stub.key}"
    body = json.loads(req.body)
    # EN-GB by default (bare EN is deprecated); XML tag handling for our placeholders
    assert body == {"text": ["Bonjour le monde."], "source_lang": "FR", "target_lang": "EN-GB",
                    "tag_handling": "xml", "ignore_tags": ["k"]}
    _no_key_anywhere(deepl_stub)


def test_stock_deep_translator_client_is_refused_by_the_current_api(deepl_stub):
    """Why DeeplClient exists: the stock client's GET with ``auth_key`` is rejected."""
    from deep_translator import DeeplTranslator

    provider = make_provider("deepl", env=_env(deepl_stub))
    stock = DeeplTranslator(source="fr", target="en", api_key=deepl_stub.key)
    stock._base_url = provider.client._base_url
    provider.client = stock
    with pytest.raises(PermanentError):
        provider.translate("Bonjour.")
    assert deepl_stub.seen[0].method == "GET" and "auth_key" in deepl_stub.seen[0].path


def test_free_and_pro_endpoints_follow_the_key_suffix_and_the_url_can_be_overridden():
    free = make_provider("deepl", env={"DEEPL_API_KEY": "k:fx"})
    pro = make_provider("deepl", env={"DEEPL_API_KEY": "k"})
    assert free.client._base_url == "https://api-free.deepl.com/v2/"
    assert pro.client._base_url == "https://api.deepl.com/v2/"
    proxy = make_provider("deepl", env={"DEEPL_API_KEY": "k", "DEEPL_API_URL": "https://proxy.example/deepl"})
    assert proxy.client._base_url == "https://proxy.example/deepl/v2/"
    same = make_provider("deepl", env={"DEEPL_API_KEY": "k", "DEEPL_API_URL": "https://proxy.example/v2/"})
    assert same.client._base_url == "https://proxy.example/v2/"
    arg = make_provider("deepl", url="http://127.0.0.1:1", env={"DEEPL_API_KEY": "k", "DEEPL_API_URL": "https://x"})
    assert arg.client._base_url == "http://127.0.0.1:1/v2/"  # --provider-url wins over the environment


def test_language_names_are_mapped_by_deep_translator():
    p = make_provider("deepl", "french", "english", env={"DEEPL_API_KEY": "k"})
    assert (p.client._source, p.client._target) == ("fr", "en")
    with pytest.raises(PermanentError, match="language not supported"):
        make_provider("deepl", "fr", "klingon", env={"DEEPL_API_KEY": "k"})


def test_pipeline_through_deepl_respects_the_batch_limit_and_reruns_without_requests(deepl_stub, tmp_path):
    arts, mem = _site(tmp_path, 2)
    deepl_stub.max_chars = 150  # the stub answers 413 beyond this
    stats = _run(deepl_stub, arts, mem, max_chars=150)
    assert stats.requests == deepl_stub.count > 2
    assert max(len(t) for t in deepl_stub.requests) <= 150
    bodies = [json.loads(r.body) for r in deepl_stub.seen]
    assert all(sum(len(t) for t in b["text"]) <= 150 for b in bodies)
    assert max(len(b["text"]) for b in bodies) > 1  # native batching: several texts per request
    en = (arts / "article-0.en.md").read_text("utf-8")
    assert "provider: deepl" in en and fake_translate("Les cellules gliales en prolifération") in en
    assert (mem / "fr-en.deepl.jsonl").exists()
    n = deepl_stub.count
    assert _run(deepl_stub, arts, mem, max_chars=150).requests == 0 and deepl_stub.count == n
    _no_key_anywhere(deepl_stub)


def test_deepl_limit_cannot_be_raised_above_the_provider_limit():
    assert make_provider("deepl", max_chars=10**6, env={"DEEPL_API_KEY": "k"}).max_chars == 5000


def test_429_retry_after_is_honoured(deepl_stub, tmp_path):
    arts, mem = _site(tmp_path)
    deepl_stub.retry_after = "7"
    deepl_stub.script("429")
    sleeps: list[float] = []
    stats = _run(deepl_stub, arts, mem, sleeps=sleeps)
    assert sleeps == [7.0]
    assert stats.requests == 1 and stats.attempts == 2
    assert (arts / "article-0.en.md").exists()


def test_429_without_retry_after_backs_off_and_529_counts_as_rate_limited(deepl_stub):
    provider = make_provider("deepl", env=_env(deepl_stub))
    deepl_stub.retry_after = None
    deepl_stub.script("429")
    with pytest.raises(RateLimited) as exc:
        provider.translate("Bonjour.")
    assert exc.value.retry_after is None
    sleeps: list[float] = []
    deepl_stub.script("429", "500")
    assert call_with_retries(lambda: provider.translate("Bonjour."), FAST, sleep=sleeps.append) == fake_translate("Bonjour.")
    assert len(sleeps) == 2 and all(0 < s < 1 for s in sleeps)


def test_456_quota_exceeded_is_a_clear_permanent_failure_without_retry(deepl_stub, tmp_path):
    arts, mem = _site(tmp_path)
    deepl_stub.mode = "456"
    sleeps: list[float] = []
    with pytest.raises(TranslationFailed) as exc:
        _run(deepl_stub, arts, mem, sleeps=sleeps)
    message = str(exc.value)
    assert "quota exceeded" in message and "456" in message
    assert deepl_stub.count == 1 and sleeps == []  # not retried
    assert deepl_stub.key not in message
    assert not (arts / "article-0.en.md").exists()


def test_bad_key_is_permanent_and_never_quoted(deepl_stub, tmp_path, caplog):
    arts, mem = _site(tmp_path)
    caplog.set_level(logging.DEBUG)  # urllib3 logs every request line at DEBUG
    env = {"DEEPL_API_KEY": "wrong-s3cr3t-key", "DEEPL_API_URL": deepl_stub.url}
    provider = make_provider("deepl", env=env)
    with pytest.raises(TranslationFailed) as exc:
        run(arts, provider, mem, policy=FAST, sleep=lambda s: None)
    assert "authorisation refused" in str(exc.value) and deepl_stub.count == 1
    assert "s3cr3t" not in "".join(traceback.format_exception(exc.value))
    assert caplog.records and not any("s3cr3t" in r.getMessage() for r in caplog.records)


def test_key_never_in_logs_or_errors_across_faults(deepl_stub, tmp_path, caplog):
    arts, mem = _site(tmp_path)
    caplog.set_level(logging.DEBUG)
    deepl_stub.script("500", "429")  # two faults, then the third attempt succeeds
    _run(deepl_stub, arts, mem)
    provider = make_provider("deepl", env=_env(deepl_stub))
    errors = []
    for mode in ("500", "malformed", "429", "456", "403", "drop"):
        deepl_stub.script(mode)
        with pytest.raises(Exception) as exc:  # noqa: PT011 - each fault has its own class
            provider.translate("Bonjour.")
        errors.append("".join(traceback.format_exception(exc.value)))
    assert caplog.records
    assert not any(deepl_stub.key in r.getMessage() for r in caplog.records)
    assert not any(deepl_stub.key in e for e in errors)
    _no_key_anywhere(deepl_stub)


def test_timeouts_and_connection_failures_are_transient(deepl_stub, refused_url):
    deepl_stub.mode = "slow"
    deepl_stub.delay = 3
    provider = make_provider("deepl", timeout=0.1, env=_env(deepl_stub))
    with pytest.raises(TransientError, match="timeout"):
        provider.translate("Bonjour.")
    provider = make_provider("deepl", env={"DEEPL_API_KEY": "k", "DEEPL_API_URL": refused_url})
    with pytest.raises(TransientError, match="connection"):
        provider.translate("Bonjour.")


def test_key_with_inner_whitespace_is_refused_without_quoting_it():
    with pytest.raises(PermanentError, match="DEEPL_API_KEY") as exc:
        make_provider("deepl", env={"DEEPL_API_KEY": "abc\ns3cr3t"})
    assert "s3cr3t" not in str(exc.value)
    assert make_provider("deepl", env={"DEEPL_API_KEY": " k:fx\n"}).client.api_key == "k:fx"


# --- missing keys: the command fails at once, one line, naming the variable ---


def _cli(argv: list[str]) -> tuple[int, str, str]:
    from scidigest.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("value", [None, "", "   "])
def test_command_without_deepl_key_fails_before_any_request(deepl_stub, tmp_path, monkeypatch, value):
    arts, mem = _site(tmp_path)
    if value is None:
        monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    else:
        monkeypatch.setenv("DEEPL_API_KEY", value)
    monkeypatch.setenv("DEEPL_API_URL", deepl_stub.url)
    code, out, err = _cli(["translate", "--provider", "deepl", "--articles", str(arts), "--memory", str(mem), "--no-progress"])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "DEEPL_API_KEY" in err
    assert deepl_stub.count == 0 and not mem.exists() and not (arts / "article-0.en.md").exists()


def test_command_without_libre_key_for_the_public_instance_fails_before_any_request(tmp_path, monkeypatch):
    arts, mem = _site(tmp_path)
    for var in ("LIBRE_API_KEY", "LIBRETRANSLATE_URL"):
        monkeypatch.delenv(var, raising=False)
    code, out, err = _cli(["translate", "--provider", "libre", "--articles", str(arts), "--memory", str(mem), "--no-progress"])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "LIBRE_API_KEY" in err and "LIBRETRANSLATE_URL" in err


def test_which_providers_need_keys():
    assert missing_key("deepl", env={}) is not None
    assert missing_key("deepl", env={"DEEPL_API_KEY": "k"}) is None
    assert missing_key("libre", env={}) is not None
    assert missing_key("libre", env={"LIBRETRANSLATE_URL": "http://127.0.0.1:5000/"}) is None
    assert missing_key("libre", url="http://127.0.0.1:5000/", env={}) is None
    assert missing_key("libre", env={"LIBRE_API_KEY": "k"}) is None
    assert missing_key("google", env={}) is None and missing_key("mymemory", env={}) is None


def test_command_with_deepl_key_translates_through_the_stub(deepl_stub, tmp_path, monkeypatch):
    arts, mem = _site(tmp_path)
    monkeypatch.setenv("DEEPL_API_KEY", deepl_stub.key)
    monkeypatch.setenv("DEEPL_API_URL", deepl_stub.url)
    code, out, err = _cli(["translate", "--provider", "deepl", "--articles", str(arts), "--memory", str(mem), "--no-progress"])
    assert code == 0, err
    assert "requests: 1" in out and (arts / "article-0.en.md").exists()
    assert deepl_stub.key not in out + err
