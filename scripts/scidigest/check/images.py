"""``images``: the images ingest kept (``docs/articles/img/``) and the articles that name them.

* ``image-missing`` (error): an article names an image (``image:`` in its front matter, or
  ``![...](img/...)`` in its body) that is not a regular file under ``docs/articles/img/``:
  the page would show a broken image and share a broken preview;
* ``image-invalid`` (error): a file there that is not an image the site publishes (PNG, JPEG,
  GIF or WebP that Pillow reads within the pixel limit, :func:`scidigest.ingest.figures.inspect`),
  or whose name is not the SHA-256 prefix of its bytes (names are content addresses: a file
  replaced by hand under the same name would be served from caches as the old one);
* ``image-unused`` (warning): a file there that no article names (left by an earlier ingest
  of a source that changed, or by a removed article): delete it.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat

from ..ingest.figures import IMAGE_DIR, ImageRejected, inspect
from ..safefiles import UnsafeFileError, read_regular
from .findings import ERROR, WARNING, Finding
from .tree import ARTICLES_DIR, Tree

_NAME = re.compile(r"[0-9a-f]{16}\.(?:png|jpg|gif|webp)")
_IN_BODY = re.compile(r"\]\((img/[0-9a-f]{16}\.(?:png|jpg|gif|webp))\)")
_MAX = 16 * 1024 * 1024


def check(tree: Tree, ctx) -> list[Finding]:
    folder = tree.root / ARTICLES_DIR / IMAGE_DIR
    named: dict[str, tuple[str, int | None]] = {}  # img/x.png -> (first article naming it, line)
    for art in tree.articles:
        refs = []
        image = art.meta.get("image")
        if isinstance(image, str) and image.startswith(f"{IMAGE_DIR}/") and _NAME.fullmatch(image[len(IMAGE_DIR) + 1:]):
            refs.append((image, art.line_of("image")))  # (another value is the schema's finding)
        for m in _IN_BODY.finditer(art.body):
            refs.append((m.group(1), art.body_line + art.body.count("\n", 0, m.start())))
        for ref, line in refs:
            named.setdefault(ref, (art.path.as_posix(), line))
    out: list[Finding] = []
    for ref, (where, line) in sorted(named.items()):
        path = tree.root / ARTICLES_DIR / ref
        try:
            regular = stat.S_ISREG(os.lstat(path).st_mode)
        except OSError:
            regular = False
        if not regular:
            out.append(Finding(where, line, ERROR, "image-missing",
                               f"names {ref}, which is not a file under {(ARTICLES_DIR / IMAGE_DIR).as_posix()}/",
                               "run `scidigest ingest` again (it stores the images it keeps), or remove the reference"))
    if not folder.is_dir():
        return out
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        rel = f"{IMAGE_DIR}/{entry.name}"
        shown = (ARTICLES_DIR / rel).as_posix()
        if entry.name.startswith("."):
            continue
        problem = _problem(entry, folder)
        if problem:
            out.append(Finding(shown, None, ERROR, "image-invalid", problem,
                               "delete it and run `scidigest ingest` again: ingest writes this folder"))
        elif rel not in named:
            out.append(Finding(shown, None, WARNING, "image-unused", "no article names this image",
                               "delete it (an earlier ingest left it, or its article was removed)"))
    return out


def _problem(entry: os.DirEntry, folder) -> str | None:
    if not entry.is_file(follow_symlinks=False):
        return "not a regular file (a link, a folder, a pipe or a device)"
    if not _NAME.fullmatch(entry.name):
        return "not a name ingest writes (<sha256, 16 hex>.png|jpg|gif|webp)"
    try:
        data = read_regular(folder / entry.name, _MAX)
    except (UnsafeFileError, OSError) as exc:
        return f"cannot be read ({exc})"
    if hashlib.sha256(data).hexdigest()[:16] != entry.name.split(".")[0]:
        return "its name is not the SHA-256 prefix of its bytes (replaced by hand?)"
    try:
        inspect(data, min_side=1)
    except ImageRejected as exc:
        return str(exc)
    return None
