"""What the `scidigest add` tests share: an empty repository with its two folders."""

from __future__ import annotations

import pytest


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "sources").mkdir(parents=True)
    (root / "docs" / "articles").mkdir(parents=True)
    return root
