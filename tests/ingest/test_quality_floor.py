"""The corpus scorer holds the line: ingestion quality never falls below tests/corpus/floor.yaml."""

from pathlib import Path

import yaml

from scidigest.bench.quality import check_floor, groups, score_corpus

ROOT = Path(__file__).resolve().parents[2]


def test_corpus_quality_stays_above_the_floor():
    cases = score_corpus(ROOT / "tests" / "corpus")
    assert len({c.doc for c in cases}) >= 30, "the corpus has at least 30 documents"
    problems = check_floor(groups(cases), yaml.safe_load((ROOT / "tests/corpus/floor.yaml").read_text("utf-8")))
    assert problems == []


def test_a_floor_above_the_scores_is_reported():
    cases = score_corpus(ROOT / "tests" / "corpus", ("holdout",))
    assert check_floor(groups(cases), {"all": {"fragments_kept": 1.01, "chrome_per_case": -1}}) != []
