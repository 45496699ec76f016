"""The benchmark's synthetic sources and the ingestion pipeline agree (no timing here).

If a change to detection or cleaning makes a synthetic kind ingest as another
kind, or lose its title/date, the benchmark would silently measure something
else; this test says so first.
"""

from __future__ import annotations

import pytest

from scidigest.bench.synthetic_sources import KINDS, generate, write_sources
from scidigest.frontmatter import read
from scidigest.ingest.writer import build_article, ingest

N = 20


def test_generator_is_deterministic_and_varied():
    a = list(generate(8, seed=7))
    b = list(generate(8, seed=7))
    assert a == b
    assert len({s.data for s in a}) == len(a)
    assert len({s.name for s in a}) == len(a)
    titles = [s.title for s in a if s.title]
    assert len(set(titles)) == len(titles)
    assert list(generate(4, seed=8))[0].data != a[0].data


def test_every_kind_ingests_with_the_expected_kind_and_metadata(tmp_path):
    src_dir, out_dir = tmp_path / "sources", tmp_path / "articles"
    expected = {s.name: s for s in write_sources(src_dir, N, seed=11)}
    assert {s.kind for s in expected.values()} == set(KINDS)

    report = ingest([src_dir], out_dir)
    assert not report.failed, [(r.source.name, r.message) for r in report.failed]
    assert report.counts["created"] == N
    slugs = set()
    for r in report.results:
        exp = expected[r.source.name]
        front, body = read(r.output)
        where = f"{r.source.name} ({exp.kind})"
        assert front["input_kind"] == exp.kind, where
        assert front["lang"] == "fr", where
        slugs.add(front["slug"])
        if exp.kind == "pdf-double-spaced":
            assert front.get("title_generated") is True, where
            assert "date" not in front, where
            assert front["kind"] == "thesis-summary", where
        else:
            assert front["title"] == exp.title, where
            assert "title_generated" not in front, where
            assert front["date"] == exp.date, where
        if exp.kind == "pdf-wrapped":
            assert front["kind"] == "press-release", where
            assert "{: .caption }" in body and "[^1]: " in body, where
        if exp.kind == "web-markdown":
            assert front["source_url"].startswith("https://"), where
            assert front["authors"] and front["tags"], where
        if exp.kind == "web-text":
            assert len(front["categories"]) >= 3, where
            assert "Haut de page" not in body, where
    assert len(slugs) == N

    again = ingest([src_dir], out_dir)
    assert again.counts["unchanged"] == N, again.summary()


@pytest.mark.parametrize("kind", KINDS)
def test_single_kind_builds(kind):
    for s in generate(3, seed=5, kinds=(kind,)):
        built = build_article(s.name, s.data, None)
        assert built.metadata.input_kind == kind
