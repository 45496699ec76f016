"""`scidigest add` on files that are not readable sources: one line, exit 2, nothing copied."""

from __future__ import annotations

import os

import pytest

from scidigest.cli import main


@pytest.mark.parametrize("kind", ["sparse", "fifo", "dev-zero"])
def test_add_refuses_what_it_cannot_read_without_reading_it(tmp_path, capsys, kind):
    root = tmp_path / "repo"
    (root / "sources").mkdir(parents=True)
    path = tmp_path / "communique.txt"
    if kind == "sparse":
        with open(path, "wb") as fh:
            fh.truncate(8 * 1024**3)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    assert main(["add", str(path), "--root", str(root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0], err
    assert list((root / "sources").iterdir()) == []
