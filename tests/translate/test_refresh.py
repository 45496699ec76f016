"""Kept translations: the old in-body notice goes, copied fields follow the original,
the review status and the translation's own words stay."""

from __future__ import annotations

import io

import pytest

from scidigest.commands.translate import check, mark_reviewed
from scidigest.translate import make_provider, page_state, run
from scidigest.translate.pages import (
    copied_differences,
    read_page,
    refresh,
    source_hash,
    strip_notice,
)
from scidigest.translate.providers import RetryPolicy
from scidigest.translate.translator import refresh_all
from tests.plugins.samples import read_sample

FAST = RetryPolicy(attempts=3, initial=0.001, maximum=0.002, jitter=0)
ARTICLE = read_sample("neurones-article.fr.md")

REVIEWED_BODY = """
Microscopy image showing the NeuN marker (green).\u0020\u0020
© From: Lentini et al., Cell Stem Cell, 2021.
{: .caption }

First paragraph on stereotaxic surgery[^1] and the 5-HT<sub>2B</sub> receptor at 30%.

## Proliferating glial cells

Second paragraph with a [link to Inserm](https://www.inserm.fr/) and some *text* in **bold**.

Third paragraph, long enough to fill a request on its own if the limit is low.

[^1]: A technique used in neurosurgery.
"""

OLD_NOTICE = ('\n!!! note "Translation"\n    This article was translated from French and reviewed by a person. '
              "Read the [original French article](../../../articles/article-un/).\n")


def _pages(tmp_path, *, notice: bool = True):
    """An original and the reviewed translation a person wrote before ingest found the journal
    (old layout: the notice admonition at the top of the body)."""
    arts = tmp_path / "articles"
    arts.mkdir()
    fr = arts / "article-un.fr.md"
    fr.write_text(ARTICLE.format(slug="article-un", h="0" * 64), "utf-8")
    o_meta, o_body = read_page(fr.read_text("utf-8"))
    en = arts / "article-un.en.md"
    en.write_text(
        "---\ntitle: Regenerating lost neurons\nslug: article-un\ndate: '2021-09-30'\nlang: en\n"
        "description: Many diseases of the central nervous system.\ntags:\n- neurons\n- new topic\n"
        "kind: press-release\ninput_kind: pdf-wrapped\nreading_time: 1\nsource_file: x.txt\n"
        f"source_hash: sha256:{'0' * 64}\ntranslation:\n  from: fr\n  provider: manual\n  status: reviewed\n"
        f"  source_hash: {source_hash(o_meta, o_body)}\n---\n" + (OLD_NOTICE if notice else "") + REVIEWED_BODY,
        "utf-8",
    )
    return arts, fr, en


def _ingest_adds_the_study(fr):
    """What a re-ingest does to the original: new copied fields, new output hash, same text."""
    text = fr.read_text("utf-8")
    text = text.replace("kind: press-release\n", "journal: Cell Stem Cell\ndoi: 10.1016/j.stem.2021.09.002\n"
                        "kind: press-release\n")
    fr.write_text(text.replace(f"output_hash: sha256:{'0' * 64}", f"output_hash: sha256:{'1' * 64}"), "utf-8")


def test_strip_notice_removes_only_the_old_translation_notice():
    assert strip_notice(OLD_NOTICE + REVIEWED_BODY) == REVIEWED_BODY
    machine = '\n!!! note "Machine translation"\n    This article was translated from French by a machine.\n'
    assert strip_notice(machine + REVIEWED_BODY) == REVIEWED_BODY
    # a person's own admonition at the top of an article is content, not the notice
    own = '\n!!! note "Attention"\n    Results in mice only.\n' + REVIEWED_BODY
    assert strip_notice(own) == own
    assert strip_notice(REVIEWED_BODY) == REVIEWED_BODY


def test_refresh_command_migrates_a_reviewed_page_and_keeps_it_fresh_reviewed_and_worded_as_reviewed(tmp_path):
    arts, fr, en = _pages(tmp_path)
    _ingest_adds_the_study(fr)
    before_meta, _ = read_page(en.read_text("utf-8"))
    assert copied_differences(read_page(fr.read_text("utf-8"))[0], before_meta) == ["doi", "journal"]
    assert refresh_all(arts) == [en]
    meta, body = read_page(en.read_text("utf-8"))
    assert body == REVIEWED_BODY  # the notice is gone, every reviewed word is where it was
    assert (meta["journal"], meta["doi"]) == ("Cell Stem Cell", "10.1016/j.stem.2021.09.002")
    assert meta["translation"] == before_meta["translation"]  # status and hash untouched
    for key in ("title", "description", "tags"):
        assert meta[key] == before_meta[key]
    assert list(meta)[-1] == "translation" and "output_hash" not in meta
    st = page_state(fr)
    assert (st.state, st.status) == ("fresh", "reviewed")
    assert check(arts, "en", io.StringIO()) == 0
    text = en.read_bytes()
    assert refresh_all(arts) == [] and en.read_bytes() == text  # a second refresh changes no byte


def test_a_translate_run_refreshes_the_reviewed_pages_it_keeps(translator_stub, tmp_path):
    arts, fr, en = _pages(tmp_path)
    _ingest_adds_the_study(fr)
    provider = make_provider("libre", url=translator_stub.url, timeout=2.0)
    stats = run(arts, provider, tmp_path / "memory", policy=FAST, sleep=lambda s: None)
    assert (stats.reviewed_kept, stats.refreshed, stats.written) == (1, 1, 0)
    assert translator_stub.count == 0  # a kept page asks nothing of the provider
    meta, body = read_page(en.read_text("utf-8"))
    assert meta["journal"] == "Cell Stem Cell" and body == REVIEWED_BODY
    assert page_state(fr).status == "reviewed"


def test_a_field_the_original_loses_leaves_the_translation_too(tmp_path):
    arts, fr, en = _pages(tmp_path, notice=False)
    fr.write_text(fr.read_text("utf-8").replace("date: '2021-09-30'\n", ""), "utf-8")
    text = refresh(fr.read_text("utf-8"), en.read_text("utf-8"))
    assert "date" not in read_page(text)[0]


def test_mark_reviewed_writes_no_notice_and_copies_the_originals_fields(tmp_path):
    arts, fr, en = _pages(tmp_path)
    _ingest_adds_the_study(fr)
    mark_reviewed(arts, "article-un", "en")
    meta, body = read_page(en.read_text("utf-8"))
    assert body == REVIEWED_BODY and meta["doi"] == "10.1016/j.stem.2021.09.002"
    assert page_state(fr).state == "fresh"


@pytest.mark.parametrize("status", ["machine", "reviewed"])
def test_refresh_never_changes_the_status(tmp_path, status):
    arts, fr, en = _pages(tmp_path)
    en.write_text(en.read_text("utf-8").replace("status: reviewed", f"status: {status}"), "utf-8")
    meta, _ = read_page(refresh(fr.read_text("utf-8"), en.read_text("utf-8")))
    assert meta["translation"]["status"] == status


def test_check_warns_about_an_unrefreshed_page_and_is_quiet_after_the_refresh(tmp_path):
    from scidigest.check import run_checks

    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    arts, fr, en = _pages(root / "docs")
    _ingest_adds_the_study(fr)

    def found():
        return sorted((f.rule, f.severity, f.file) for f in run_checks(root, rules=["translations"]))

    page = "docs/articles/article-un.en.md"
    assert found() == [("translation-copied-fields", "warning", page), ("translation-notice", "warning", page)]
    refresh_all(arts)
    assert found() == []
