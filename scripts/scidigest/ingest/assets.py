"""Images at the edge: finding the file an HTML source names, and storing kept images.

Where an HTML source's images are (the writer's :func:`loader`, called by
:func:`~.figures.attach` for an image the document names but does not hold):

* a relative ``src`` is a file under the page's own folder (a page saved "complete" by a
  browser has them in ``<name>_files/``, which is not read as sources); it must stay inside
  that folder, be a regular file or a link to one inside it, and be at most
  :data:`~.figures.MAX_IMAGE_BYTES` (checked before it is read);
* any other ``src`` (``https://...``, ``//host/...``, ``/path``) is the copy ``scidigest add
  URL`` fetched, if it did (:mod:`.fetchimages`), stored as ``<name>_files/<sha256 of the src
  as the page writes it, 16 hex>.<ext>`` (:func:`fetched_name`); nothing is fetched at ingest;
* anything else (no copy, a ``file:`` or other scheme) has no bytes: the figure's caption
  becomes the note that the image is not reproduced.

:func:`store_images` writes kept images under the articles folder, atomically, only when the
file is missing or differs (the names are content hashes, so a second run writes nothing).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

from ..frontmatter import write_atomic
from ..safefiles import UnsafeFileError, classify, read_regular
from .figures import EXTENSIONS, MAX_IMAGE_BYTES, FigureRef, StoredImage, percent_decoded
from .model import Source

#: file names an HTML page's images are kept under, beside it (what a browser's
#: "save page, complete" writes, and where ``scidigest add URL`` stores fetched images)
FILES_SUFFIX = "_files"
#: image files in a sources folder are read by the page that names them, never as sources
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


def files_dir(source: Path) -> Path:
    """``sources/page.html`` -> ``sources/page_files``."""
    source = Path(source)
    return source.with_name(source.name.rsplit(".", 1)[0] + FILES_SUFFIX)


def fetched_name(src: str, fmt: str) -> str:
    """The file name under ``<name>_files/`` of the image the page names ``src`` (as written in
    the page: no base URL is needed to find it again), fetched as format ``fmt``."""
    return f"{hashlib.sha256(src.strip().encode('utf-8')).hexdigest()[:16]}.{EXTENSIONS[fmt]}"


def loader(source_path: Path, sidecar: dict | None = None):
    """The :data:`~.figures.Loader` for the HTML source at ``source_path``."""
    folder = Path(source_path).parent

    def load(ref: FigureRef, source: Source) -> bytes | None:
        src = ref.src.strip()
        parts = urlsplit(src)
        if not parts.scheme and not parts.netloc and not src.startswith("/"):
            got = _beside(folder, parts.path)
            if got is not None:
                return got
        store = files_dir(source_path)
        stem = fetched_name(src, "PNG").rsplit(".", 1)[0]
        for ext in sorted(set(EXTENSIONS.values())):
            got = _beside(store, f"{stem}.{ext}", root=store)
            if got is not None:
                return got
        return None

    return load


def _beside(folder: Path, rel: str, root: Path | None = None) -> bytes | None:
    rel = percent_decoded(rel) if "%" in rel else rel
    if not rel or "\x00" in rel:
        return None
    root = root or folder
    try:
        base = root.resolve()
        candidate = (folder / rel)
        if ".." in Path(rel).parts or not Path(os.path.realpath(candidate.parent)).is_relative_to(base):
            return None
        target, _ = classify(candidate, root)
        if target is None:
            return None
        return read_regular(target, MAX_IMAGE_BYTES)
    except (OSError, UnsafeFileError, ValueError):
        return None


def store_images(out_dir: Path, images: list[StoredImage]) -> list[Path]:
    """Write each image under ``out_dir`` unless the same bytes are there; the paths written."""
    written = []
    for image in images:
        target = Path(out_dir) / image.path
        try:
            if target.is_file() and not target.is_symlink() and target.stat().st_size == len(image.data) \
                    and target.read_bytes() == image.data:
                continue
        except OSError:
            pass
        write_atomic(target, image.data)
        written.append(target)
    return written
