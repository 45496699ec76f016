"""Internal links of a built site (``scidigest check --links site``): every
relative href/src in every HTML page points at a file the build produced.
External links are not fetched (CI has no business depending on other sites)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .findings import ERROR, Finding

_ATTRS = {"href", "src"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in _ATTRS and value:
                self.links.append((self.getpos()[0], value))


def _target(site: Path, page: Path, url: str, base: str = "/") -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "data:")):
        return None
    if not parts.path:
        return None
    rel = unquote(parts.path)
    if rel.startswith("/"):
        # root-relative: the site is served under site_url's path (e.g. /scidigest/)
        if not rel.startswith(base):
            return site / "__outside_the_site__" / rel.lstrip("/")
        rel = "/" + rel[len(base):]
    base = PurePosixPath("/") if rel.startswith("/") else PurePosixPath(
        "/" + page.parent.relative_to(site).as_posix())
    path = site / (base / rel).as_posix().lstrip("/")
    return path


def _exists(path: Path) -> bool:
    return path.is_file() or (path.is_dir() and (path / "index.html").is_file())


def base_path(root: Path) -> str:
    """The path part of mkdocs.yml's site_url ("/scidigest/"), "/" if none."""
    cfg = Path(root) / "mkdocs.yml"
    url = ""
    if cfg.is_file():
        m = re.search(r"(?m)^site_url:\s*(\S+)", cfg.read_text(encoding="utf-8"))
        url = m.group(1).strip("'\"") if m else ""
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"


def check_site_links(site: Path, label: str | None = None, base: str = "/") -> list[Finding]:
    site = Path(site)
    label = label or site.as_posix()
    out = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for line, url in parser.links:
            target = _target(site, page, url, base)
            if target is None:
                continue
            try:
                target.resolve().relative_to(site.resolve())
            except ValueError:
                outside = True
            else:
                outside = False
            if outside or not _exists(target):
                rel_page = f"{label}/{page.relative_to(site).as_posix()}"
                out.append(Finding(rel_page, line, ERROR, "broken-link",
                                   f"link {url!r} points to a page the build did not produce",
                                   "fix the link in the Markdown page this HTML comes from "
                                   "(relative links between articles: [titre](autre-slug.fr.md))"))
    return out
