"""Sample texts that several test files share, kept as files in ``tests/fixtures/samples/``.

* ``microbiote-sommeil.txt``: a short French press release as a contributor
  would add it (``scidigest add``, the end-to-end pull request);
* ``neurones-article.fr.md``: a French article as ingestion writes it, a
  ``str.format`` template with ``{slug}`` and ``{h}`` (the hashes); it has a
  caption, a heading, a link, a footnote and inline HTML, for the translation
  tests.

Test modules read one with :func:`read_sample` (at import time, like the
constants these replace); the ``sample`` fixture does the same inside a test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def read_sample(name: str) -> str:
    """The text of ``tests/fixtures/samples/<name>``, exactly as committed."""
    return (SAMPLES / name).read_text(encoding="utf-8")


@pytest.fixture
def sample():
    """``sample(name)`` -> the text of ``tests/fixtures/samples/<name>``."""
    return read_sample
