"""The answer checks one by one: what they refuse, and what they must let through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scidigest.translate.pages import read_page, strip_notice
from scidigest.translate.segments import parse
from scidigest.translate.validate import (
    length_window,
    pair_problems,
    provider_warning,
    repair,
    sentences,
)

ROOT = Path(__file__).resolve().parents[2]
FR = ("Les chercheurs ont observé une baisse de la mortalité chez les souris traitées. Le traitement a été bien "
      "toléré. Des essais cliniques sont prévus pour 2025.")
EN = ("The researchers observed a drop in mortality in the treated mice. The treatment was well tolerated. "
      "Clinical trials are planned for 2025.")


def _seed_pairs() -> list[tuple[str, str]]:
    pairs = []
    for en in sorted((ROOT / "docs" / "articles").glob("*.en.md")):
        meta, body = read_page(en.read_text("utf-8"))
        o_meta, o_body = read_page(en.with_name(en.name.replace(".en.md", ".fr.md")).read_text("utf-8"))
        pairs += zip([str(o_meta["title"]), str(o_meta["description"]), *parse(o_body).segments],
                     [str(meta["title"]), str(meta["description"]), *parse(strip_notice(body)).segments],
                     strict=True)
    for line in (ROOT / "sources" / "translation-memory" / "fr-en.manual.jsonl").read_text("utf-8").splitlines():
        d = json.loads(line)
        pairs.append((d["source"], d["target"]))
    return pairs


def test_every_reviewed_seed_translation_passes():
    pairs = _seed_pairs()
    assert len(pairs) > 100
    assert [(s[:40], pair_problems(s, t)) for s, t in pairs if pair_problems(s, t)] == []


def test_every_seed_original_echoed_back_is_refused():
    """The French of the seeds, returned unchanged: refused unless it has no French in it."""
    refused = [s for s, _ in _seed_pairs() if pair_problems(s, s)]
    assert len(refused) >= 0.9 * len(_seed_pairs())


@pytest.mark.parametrize(("answer", "problem"), [
    (FR, "came back unchanged"),
    (FR.replace("Le traitement", "Ce traitement"), "still in French"),
    ("The researchers observed a drop in mortality. Le traitement a été bien toléré. Des essais cliniques sont "
     "prévus pour 2025.", "still in French"),
    (EN.replace("mice.", "mice&#39;s."), "HTML entities"),
    ("MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY.", "provider's message"),
    ("The researchers observed a drop in mortality in the treated mice. The treatment", "truncated"),
    ("The researchers observed a drop in mortality in the treated mice.", "truncated"),
    (EN + " The treatment was well tolerated.", "said twice"),
    (EN.replace("The treatment was", "The treatment the treatment the treatment was"), "repeated"),
    (EN + " " + EN, "said twice"),
    (EN + " Mice also slept longer during the second week. Their weight did not change at all over the trial. "
     "The team now wants to test older animals as well.", "merged"),
    ("Yes.", "implausible length"),
])
def test_bad_answers_are_refused(answer, problem):
    issues = pair_problems(FR, answer)
    assert any(problem in i for i in issues), issues


@pytest.mark.parametrize(("source", "answer"), [
    (FR, EN),
    ("Résultats", "Results"),
    ("sujet inédit", "new topic"),
    ("Contact presse", "Press contact"),
    ("Pour en savoir plus", "Learn more"),
    ("Photo : Inserm", "Photo: Inserm"),  # nothing French to translate
    ("Lentini et al., Cell Stem Cell, 2021.", "Lentini et al., Cell Stem Cell, 2021."),
    ("« The brain is plastic », conclut-elle.", "“The brain is plastic,” she concludes."),
    ("Le quota de pêche a été dépassé.", "The fishing quota was exceeded."),
    ("Voir la Fig. 2 et le travail du Dr. Martin.", "See Fig. 2 and the work of Dr. Martin."),
    ("La chercheuse a séparé les deux phases ; la seconde est plus longue.",
     "The researcher separated the two phases. The second one is longer."),  # one sentence split in two
    ("Le code &amp; les données sont publics.", "The code &amp; the data are public."),
])
def test_good_translations_pass(source, answer):
    assert pair_problems(source, answer) == []


def test_an_english_quote_in_a_french_article_may_come_back_as_it_is():
    quote = "Sleep is the best meditation, as the saying goes in English."
    assert pair_problems(quote, quote) == []


@pytest.mark.parametrize(("text", "kind"), [
    ("MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN  10 HOURS", "quota"),
    ("QUERY LENGTH LIMIT EXCEEDED. MAX ALLOWED QUERY : 500 CHARS", "length"),
    ("Our systems have detected unusual traffic from your computer network.", "blocked"),
    ("<!DOCTYPE html><html><head><title>Sorry...</title>", "blocked"),
    ("\u27ea2\u27eb Quota exceeded", "quota"),
    ("Too many request limits violations", "blocked"),
    ("Invalid request: request (3120) exceeds text limit (2000)", "length"),
])
def test_provider_texts_are_recognised(text, kind):
    w = provider_warning(text)
    assert w is not None and w.kind == kind


@pytest.mark.parametrize("text", [
    "The fishing quota exceeded what the plan allowed.",
    "The server replied that it was an invalid API key, the team said.",
    "Robots are not yet able to repair neurons.",
    "A study of how people solve a captcha.",
])
def test_ordinary_english_is_not_a_provider_text(text):
    # "captcha" in an article about captchas: the source says it too
    assert provider_warning(text, "Une étude sur la façon de résoudre un captcha.") is None


def test_repair_decodes_only_entities_the_source_does_not_have():
    assert repair("l'équipe", "the team&#39;s &quot;work&quot;") == 'the team\'s "work"'
    assert repair("R&amp;D", "R&amp;D &#39;x&#39;") == "R&amp;D 'x'"
    assert repair("rien", "&notanentity; &#39;") == "&notanentity; '"


def test_sentences_know_abbreviations():
    assert sentences("See Fig. 2 and Dr. Martin et al. for details. Then A. Smith came. It works!") == [
        "See Fig. 2 and Dr. Martin et al. for details.", "Then A. Smith came.", "It works!"]


def test_the_length_window_fits_short_segments():
    lo, hi = length_window(9)  # "Résultats"
    assert lo <= 7 <= hi and hi < 50  # "Results" fits, a one-line warning does not
    lo, hi = length_window(500)
    assert lo <= 390 <= hi and hi < 1000
