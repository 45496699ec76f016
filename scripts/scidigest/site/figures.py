"""Figures on the page: an image with its caption as one ``<figure>``, a caption whose image
is not reproduced as a note that says so.

Ingest writes a kept image as a paragraph of its own (``![alt](img/<hash>.<ext>){: width
height }``) followed by its caption (``... {: .caption }``), and a caption whose image it could
not keep as the caption alone (:mod:`scidigest.ingest.figures`); Markdown turns them into
``<p><img ...></p>`` and ``<p class="caption">``. After the body has been sanitised
(:func:`scidigest.site.sanitize.clean_html`), :func:`figures_html` rewrites those two shapes,
and only those:

* an image ingest stored is linked at ``articles/img/...`` of the site root, relative to the page
  (the same file for both languages), with its ``width`` and ``height`` read from the file (the
  browser reserves its room before it loads: no layout shift);
* ``<p><img></p>`` + ``<p class="caption">`` -> ``<figure class="sd-figure"><img>
  <figcaption>caption</figcaption></figure>`` (an image alone becomes a figure without caption);
  images after the first load lazily (the first may be what the reader sees first);
* a caption with no image before it -> ``<div class="sd-figure-missing" role="note">`` holding a
  label in the page's language ("Image non reproduite" / "Image not reproduced") and the caption,
  so that a caption never opens an article as if it were its first paragraph (the label is left
  out of the search index: ``data-search-exclude``, read by Material's search plugin).

The markup added is the site's own and is written after the sanitiser (it adds ``role``,
``loading``, ``decoding``, ``width`` and ``height``, which an article may not set itself). A page without captions or
images is returned as it came.
"""

from __future__ import annotations

import functools
import html as _html
import re
from pathlib import Path

from .labels import t


@functools.lru_cache(maxsize=4096)
def _size(path: str, mtime_ns: int, length: int) -> tuple[int, int] | None:
    from PIL import Image  # (a page with a stored image only)

    try:
        with Image.open(path) as im:  # reads the header, not the pixels
            return im.size
    except Exception:  # a missing or damaged file: the image goes without a reserved size
        return None


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of an image file, or None; read once per file version per build."""
    try:
        st = path.stat()
    except OSError:
        return None
    return _size(str(path), st.st_mtime_ns, st.st_size)

#: an image ingest stored (``img/<hash>.<ext>`` beside the articles), however MkDocs resolved
#: it: one file under ``articles/img/`` serves both languages (the i18n plugin does not copy
#: it under ``en/``, where the English page's relative link would point)
_STORED = re.compile(r'src="(?:\.\./)*(?:articles/)?(img/[0-9a-f]{16}\.(?:png|jpg|gif|webp))"')
_CAPTION = re.compile(r'<p class="caption">(.*?)</p>', re.S)
_FIGURE = re.compile(r'<p>\s*(<img\b[^<>]*>)\s*</p>(?:\s*<p class="caption">(.*?)</p>)?', re.S)


def figures_html(body: str, lang: str, page_url: str = "", docs_dir: str | Path | None = None) -> str:
    """``body`` with its images and captions as figures and notes (see the module).
    ``page_url`` is the page's URL from the site root (``en/articles/x/``); ``docs_dir`` is
    where a stored image's file is read for its width and height."""
    if "<img" not in body and 'class="caption"' not in body:
        return body
    seen = [0]
    root = "../" * page_url.strip("/").count("/") + ("../" if page_url.strip("/") else "")

    def figure(m: re.Match) -> str:
        img = m.group(1)
        stored = _STORED.search(img)
        if stored is not None:
            img = img.replace(stored.group(0), f'src="{root}articles/{stored.group(1)}"')
            size = image_size(Path(docs_dir) / "articles" / stored.group(1)) if docs_dir is not None else None
            if size is not None and " width=" not in img:
                img = img.replace("<img ", f'<img width="{size[0]}" height="{size[1]}" ', 1)
        img = img.replace("<img ", '<img decoding="async" ' if not seen[0] else '<img loading="lazy" decoding="async" ', 1)
        seen[0] += 1
        caption = f"<figcaption>{m.group(2)}</figcaption>" if m.group(2) is not None else ""
        return f'<figure class="sd-figure">{img}{caption}</figure>'

    label = _html.escape(t(lang, "image_missing"))

    def missing(m: re.Match) -> str:
        return (f'<div class="sd-figure-missing" role="note"><p class="sd-figure-missing__label" data-search-exclude>{label}</p>'
                f'<p class="caption">{m.group(1)}</p></div>')

    body = _FIGURE.sub(figure, body)  # (a caption after an image is inside its figure now)
    return _CAPTION.sub(missing, body)
