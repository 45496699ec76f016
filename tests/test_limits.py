"""The limits of scidigest/limits.py: what is past them, and that every edge says so in one line.

Timing is in tests/site/test_hostile_render.py (a ratio) and the benchmark
scripts/scidigest/bench/hostile.py; here only what each limit lets through.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scidigest import limits
from scidigest.bench.hostile import PAYLOADS, normal_body, write_article
from scidigest.check import run_checks
from scidigest.ingest.writer import ingest
from scidigest.site.bounded import bounded_markdown, bounded_meta

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = """\
Des chercheurs ont suivi [deux cents patients](https://example.org/etude) pendant trois ans[^1].

## Méthode

- une première mesure ;
    - puis une seconde, plus fine ;
        - enfin une troisième.

> Une citation d'un chercheur, avec *un mot en italique* et **un autre en gras**.
> > Et une réponse [sic].

| groupe | patients |
|---|---|
| A | 100 |

* * *

    du code indenté de quatre espaces, sans liste

[^1]: Une note.
"""


def limit_names(body: str) -> set[str]:
    return {b.limit for b in limits.body_breaches(body)}


def test_an_ordinary_article_is_within_every_limit():
    assert limits.body_breaches(ARTICLE) == []
    assert limits.body_breaches(normal_body(200_000)) == []
    assert limits.meta_breaches({"tags": ["neurones", "épilepsie"], "categories": ["Cerveau"],
                                 "description": "Une étude."}) == []


@pytest.mark.parametrize(("body", "limit"), [
    ("[" * 5000, "run"),
    ("[mot " * 3000, "unclosed"),
    ("[](" * 3000, "unclosed"),
    ("<a" * 5000, "unclosed"),
    ("1. " * 40 + "fin", "nesting"),
    ("- " * 40 + "fin", "nesting"),
    (">" * 40 + " fin", "nesting"),
    ("\n".join("    " * i + "- point" for i in range(30)), "nesting"),
    ("7" * 300, "digits"),
    ("mot " * 6000, "line-length"),
    ("\n\n".join(["## Résultats"] * 300), "headings"),
    ("\n".join(f"*[AB{i}]: terme" for i in range(100)), "abbreviations"),
    ("\n\n".join(["```\nx\n```"] * 100), "code-blocks"),
    ("\n".join(f"[^{i}]: note" for i in range(400)), "footnotes"),
    ("*_**__" * 1000, "emphasis"),
])
def test_each_costly_form_is_past_its_limit(body, limit):
    assert limit in limit_names(body)


def test_escaped_and_closed_brackets_cost_nothing():
    assert limits.scan_cost("\\[" * 10_000) == 0
    closed = "[lien](https://example.org) et\n" * 2000
    assert limits.scan_cost(closed) <= len(closed)
    assert limit_names(closed) == set()


def test_breach_names_the_line_and_fits_one_line():
    body = "Un paragraphe.\n\n" + "[" * 400 + "\n"
    (breach,) = [b for b in limits.body_breaches(body, first_line=20) if b.limit == "run"]
    assert breach.line == 22
    assert "\n" not in str(breach) and len(str(breach)) < 200


def test_front_matter_limits():
    found = {b.limit for b in limits.meta_breaches({
        "tags": [f"mot {i}" for i in range(50)], "categories": ["x" * 200],
        "description": "mot " * 1000})}
    assert found == {"tags", "categories", "description"}


def test_build_guard_publishes_text_and_cuts_tags():
    body = "Titre\n\n" + "[" * 3000 + "\n\n```\ncode\n```\n"
    html, problem = bounded_markdown(body, "articles/x.fr.md")
    assert problem.startswith("articles/x.fr.md: past a limit") and "\n" not in problem
    assert html.startswith("<pre") and "`" not in html and "<" not in html[len("<pre class=\"sd-past-limits\">"):-7]
    assert bounded_markdown(ARTICLE, "articles/y.fr.md") == (ARTICLE, None)
    meta, problem = bounded_meta({"tags": [f"t{i}" for i in range(100)], "title": "T"}, "articles/x.fr.md")
    assert len(meta["tags"]) == limits.MAX_TAGS and meta["title"] == "T" and "tags" in problem


def test_check_reports_an_article_past_a_limit(tmp_path):
    shutil.copytree(ROOT / "tests" / "fixtures" / "check" / "base", tmp_path, dirs_exist_ok=True)
    articles = tmp_path / "docs" / "articles"
    write_article(articles, "crochets-ouverts", "Un paragraphe.\n\n" + PAYLOADS["open-brackets-words"](3000))
    write_article(articles, "trop-de-mots-cles", normal_body(2000), tags=[f"mot {i}" for i in range(40)])
    found = [f for f in run_checks(tmp_path, rules=["limits"])]
    by_file = {f.file: f for f in found}
    assert set(by_file) == {"docs/articles/crochets-ouverts.fr.md", "docs/articles/trop-de-mots-cles.fr.md"}
    assert "unclosed" in by_file["docs/articles/crochets-ouverts.fr.md"].message
    tags = by_file["docs/articles/trop-de-mots-cles.fr.md"]
    assert "40 tags" in tags.message and tags.line > 1  # the line of 'tags:' in the front matter


def test_ingest_refuses_a_source_past_a_limit_and_goes_on(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    good = ("Une étude sur le sommeil\n\nPublié le 3 janvier 2023\n\n"
            "Des chercheurs ont observé que certains neurones règlent la durée du sommeil profond chez la souris. "
            "Le protocole a duré trois ans et a mobilisé une équipe de douze personnes.\n")
    (sources / "bon.txt").write_text(good, encoding="utf-8")
    (sources / "crochets.txt").write_text(good + "\n" + "[mot " * 3000 + "\n", encoding="utf-8")
    (sources / "listes.txt").write_text(good + "\n" + "1. " * 400 + "fin\n", encoding="utf-8")
    report = ingest([sources], tmp_path / "out")
    failed = {r.source.name: r.message for r in report.failed}
    assert set(failed) == {"crochets.txt", "listes.txt"}
    for message in failed.values():
        assert message.startswith("past a limit of scidigest/limits.py:") and "\n" not in message
    assert report.counts["created"] == 1


def test_the_long_run_scan_finds_what_the_run_and_digit_patterns_would():
    """limits._first_long_run looks only at every MAX_RUN-th character and expands from there:
    the same first over-long run (start, length) as the patterns that scanned every character
    (the first maximal run of one punctuation mark past the limit; the first run of ASCII digits
    past it), on random text of punctuation runs, digit runs, non-ASCII digits and words."""
    import random
    import re

    from scidigest import limits

    punctuation_runs = re.compile(r"([^\w\s])\1+")
    digit_run = re.compile(r"(?<!\d)\d{" + str(limits.MAX_DIGIT_RUN + 1) + "}", re.A)

    def by_pattern(body):
        run = next((m for m in punctuation_runs.finditer(body) if len(m.group(0)) > limits.MAX_RUN), None)
        digits = digit_run.search(body)
        return ((run.start(), len(run.group(0))) if run else None,
                (digits.start(), len(re.match(r"\d+", body[digits.start():], re.A).group(0))) if digits else None)

    rnd = random.Random(9)
    for _ in range(1500):
        parts = []
        for _ in range(rnd.randint(0, 12)):
            r = rnd.random()
            if r < 0.3:
                parts.append(rnd.choice("-*=.!#~") * rnd.randint(1, 600))
            elif r < 0.6:
                parts.append("".join(rnd.choice("0123456789") for _ in range(rnd.randint(1, 600))))
            elif r < 0.7:
                parts.append("\u0663" * rnd.randint(1, 300))
            else:
                parts.append(rnd.choice(["a b ", "x", " ", "\n", "é", "_" * rnd.randint(1, 400)]))
        body = "".join(parts)
        assert (limits._first_long_run(body, limits.MAX_RUN, limits._RUN_CHAR),
                limits._first_long_run(body, limits.MAX_DIGIT_RUN, limits._DIGIT_CHAR, same=False)) == by_pattern(body)
