"""`scidigest check` fails on each kind of bad translation planted in a tree.

tests/fixtures/check/quality/ holds a French article and a faithful English
translation with every kind of structure (caption-free body, footnote,
heading, bold, link, italics, list, table, inline HTML, code).  Each case
plants one defect a real provider leaves in a page and expects one finding
of its rule, on the right line, with a fix.  The pair as committed, and the
seeds' English pages, must pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scidigest.check import run_checks
from scidigest.frontmatter import split
from scidigest.translate.pages import source_hash

PAIR = Path(__file__).resolve().parents[1] / "fixtures" / "check" / "quality"
REPO = Path(__file__).resolve().parents[2]
FR = (PAIR / "venin-coeur.fr.md").read_text("utf-8")
EN = (PAIR / "venin-coeur.en.md").read_text("utf-8")
QUOTA = ("MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN  10 HOURS 48 "
         "MINUTES 12 SECONDS VISIT HTTPS://MYMEMORY.TRANSLATED.NET/DOC/USAGELIMITS.PHP TO TRANSLATE MORE")


def plant(tmp_path: Path, en: str, fr: str = FR) -> Path:
    """A tree with the pair, the English page's source_hash made fresh."""
    root = tmp_path / "repo"
    arts = root / "docs" / "articles"
    arts.mkdir(parents=True)
    (arts / "venin-coeur.fr.md").write_text(fr, "utf-8")
    meta, body = split(fr, dates_as_text=True)
    en = re.sub(r"(?m)^  source_hash: .*$", f"  source_hash: {source_hash(meta, body)}", en)
    (arts / "venin-coeur.en.md").write_text(en, "utf-8")
    return root


def quality(root: Path):
    rules = ("translation-french", "translation-provider-text", "translation-entities", "translation-debris",
             "translation-structure", "translation-incomplete")
    return [f for f in run_checks(root, rules=["translations"]) if f.rule in rules]


def line_of(text: str, needle: str | tuple[str, int]) -> int:
    needle, offset = needle if isinstance(needle, tuple) else (needle, 0)
    for n, line in enumerate(text.splitlines(), 1 + offset):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in the page")


def test_the_faithful_pair_passes(tmp_path):
    assert quality(plant(tmp_path, EN)) == []


def test_the_seeds_english_pages_pass():
    assert [f for f in quality(REPO)] == []


FIRST = "In mice, the Hi1a peptide reduces the size of the lesions by 40 %[^1]."
SECOND = ("The peptide blocks the **ASIC1a** channel, which is activated when the tissue lacks oxygen. The details are "
          "in the [original article](https://example.org/etude) published in *February*.")
CASES = {
    # name: (replace this, with that, expected rule, needle on the expected line)
    "echoed paragraph": (FIRST, "Chez la souris, le peptide Hi1a réduit de 40 % la taille des lésions[^1].",
                         "translation-french", "Chez la souris"),
    "half translated paragraph": (SECOND, SECOND.replace("The details are in the", "Les détails sont dans l'")
                                  .replace("published in", "publié en"), "translation-french", "ASIC1a"),
    "French title": ("title: A molecule from spider venom protects the heart",
                     "title: Une molécule du venin d'araignée protège le cœur", "translation-french", "title:"),
    "French list item": ("- second step: measuring the size of the lesions by MRI.",
                         "- deuxième étape : la mesure de la taille des lésions par IRM.", "translation-french",
                         "deuxième"),
    "quota warning as description": (
        "description: Researchers show that a peptide isolated from the venom reduces damage after a heart attack.",
        f"description: '{QUOTA}'", "translation-provider-text", "description:"),
    "length warning in a table cell": ("| Peptide | reduced |",
                                       "| Peptide | QUERY LENGTH LIMIT EXCEEDED. MAX ALLOWED QUERY : 500 CHARS |",
                                       "translation-provider-text", "QUERY LENGTH"),
    "DeepL quota text as a table cell": ("| Peptide | reduced |", "| Peptide | Quota exceeded |",
                                         "translation-provider-text", "Quota exceeded"),
    "captcha page as a footnote": ("[^1]: Results obtained on twenty-four animals.",
                                   "[^1]: Our systems have detected unusual traffic from your computer network.",
                                   "translation-provider-text", "unusual traffic"),
    "numeric entity": ("which is activated when the tissue lacks oxygen", "which is activated when the tissue&#39;s "
                       "oxygen is low", "translation-entities", "ASIC1a"),
    "named entity in a tag": ("- venom\n", "- venom &amp; heart\n", "translation-entities", "&amp;"),
    # debris is also a structure break when it stands for a link, code or markup
    "placeholder left": ("the `heartscan` tool", "the ⟦3⟧ tool", "translation-debris", "CO<sub>"),
    "batch marker left": ("- first step:", "- ⟪4⟫ first step:", "translation-debris", "first step"),
    "bracket rewritten by the engine": ("the `heartscan` tool", "the [3] tool", "translation-debris", "CO<sub>"),
    "lenticular bracket": ("the `heartscan` tool", "the 【3】 tool", "translation-debris", "CO<sub>"),
    "name placeholder rewritten": ("the Hi1a peptide", "the [1] peptide", "translation-debris", "In mice"),
    "heading lost": ("## An ion channel blocked", "An ion channel blocked", "translation-structure",
                     "An ion channel blocked"),
    "footnote marker lost": ("by 40 %[^1].", "by 40 %.", "translation-structure", "In mice"),
    "link target changed": ("(https://example.org/etude)", "(https://example.org/study)", "translation-structure",
                            "ASIC1a"),
    "link lost": ("[original article](https://example.org/etude)", "original article", "translation-structure",
                  "ASIC1a"),
    "inline HTML lost": ("CO<sub>2</sub>", "CO2", "translation-structure", "The concentration"),
    "bold lost": ("the **ASIC1a** channel", "the ASIC1a channel", "translation-structure", "ASIC1a"),
    "emphasis moved before the link": ("in the [original article](https://example.org/etude) published in *February*",
                                       "in the *February* [original article](https://example.org/etude) published",
                                       "translation-structure", "ASIC1a"),
    "code span lost": ("the `heartscan` tool", "the heartscan tool", "translation-structure", "The concentration"),
    "list item turned into text": ("- first step:", "First step:", "translation-structure", "First step"),
    "line dropped": ("- second step: measuring the size of the lesions by MRI.\n", "", "translation-structure",
                     ("first step", 1)),
    "untranslated segments recorded": ("  status: machine\n", "  status: machine\n  untranslated_segments: 2\n",
                                       "translation-incomplete", "untranslated_segments"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_page_fails_the_check_with_file_line_and_fix(tmp_path, case):
    old, new, rule, needle = CASES[case]
    assert old in EN, case
    page = EN.replace(old, new, 1)
    root = plant(tmp_path, page)
    findings = quality(root)
    written = (root / "docs" / "articles" / "venin-coeur.en.md").read_text("utf-8")
    want = line_of(written, needle)
    hits = [f for f in findings if f.rule == rule]
    assert hits, f"{case}: no {rule} finding; got {findings}"
    assert any(f.line == want for f in hits), f"{case}: {rule} expected on line {want}, got {hits}"
    for f in findings:
        assert f.file == "docs/articles/venin-coeur.en.md" and f.is_error and f.fix and f.message
    # one defect, one kind of finding (the check does not fire on what is fine); debris
    # standing for code or markup also breaks the structure
    also = {"translation-structure"} if rule == "translation-debris" else set()
    assert {rule} <= {f.rule for f in findings} <= {rule} | also, f"{case}: {findings}"


def test_a_reviewed_page_is_told_to_be_corrected_by_hand(tmp_path):
    page = EN.replace("status: machine", "status: reviewed").replace(FIRST, "Chez la souris, le peptide Hi1a "
                                                                     "réduit de 40 % la taille des lésions[^1].")
    (finding,) = quality(plant(tmp_path, page))
    assert "by hand" in finding.fix and "revalidate" not in finding.fix


def test_a_stale_page_is_not_compared_line_by_line_but_still_read(tmp_path):
    """The original changed since: its structure may differ (the stale warning says so);
    French, warnings and debris are still errors."""
    fr = FR.replace("## Un canal ionique bloqué\n\n", "")
    root = plant(tmp_path, EN.replace("by 40 %[^1].", "by ⟦3⟧[^1]."))
    (root / "docs" / "articles" / "venin-coeur.fr.md").write_text(fr, "utf-8")
    findings = run_checks(root, rules=["translations"])
    assert {f.rule for f in findings if f.is_error} == {"translation-debris"}
    assert any(f.rule == "translation-stale" for f in findings)


def test_check_command_exits_1_on_a_bad_translation(tmp_path, capsys):
    from scidigest.cli import main

    root = plant(tmp_path, EN.replace(FIRST, "Chez la souris, le peptide Hi1a réduit de 40 % la taille des "
                                             "lésions[^1]."))
    assert main(["check", "--root", str(root), "--rule", "translations", "--format", "text"]) == 1
    out = capsys.readouterr().out
    assert "docs/articles/venin-coeur.en.md:21: error [translation-french]" in out
    assert "how to fix:" in out
