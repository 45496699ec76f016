"""The live preview (scidigest.site.preview) is the real site: after a
sequence of edits, every file it serves is the file a clean ``mkdocs build``
of the same content writes, byte for byte."""

from __future__ import annotations

import http.client
import re
import threading
import time
from pathlib import Path

import pytest
import yaml

from scidigest.site.preview.engine import Preview, Restart
from scidigest.site.preview.server import RELOAD_SCRIPT, PreviewServer, inject
from scidigest.site.preview.watch import Watcher
from tests.plugins.site_server import build_site, copy_site_project

pytestmark = pytest.mark.slow


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_site(preview_dir: Path, built_dir: Path) -> None:
    ours, theirs = _tree(preview_dir), _tree(built_dir)
    assert sorted(ours.keys() - theirs.keys()) == [], "files only the preview has"
    assert sorted(theirs.keys() - ours.keys()) == [], "files only mkdocs build has"
    differ = [name for name in theirs if ours[name] != theirs[name]]
    assert differ == [], f"differ from mkdocs build: {differ[:10]}"


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def _write(path: Path, meta: dict, body: str) -> None:
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
                    encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    made = copy_site_project(tmp_path / "project", synthetic=14)
    return made.project_dir


def _translated_pair(articles: Path, skip: set[str] = frozenset()) -> str:
    for en in sorted(articles.glob("*.en.md")):
        slug = en.name[: -len(".en.md")]
        if slug not in skip and (articles / f"{slug}.fr.md").exists():
            return slug
    raise AssertionError("no translated article")


def test_preview_output_is_mkdocs_build_output_after_a_sequence_of_edits(project, tmp_path):
    articles = project / "docs" / "articles"
    before_docs = sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*"))
    preview = Preview(project / "mkdocs.yml", tmp_path / "preview")
    preview.start()

    # 1. change a title (French original): article, listings, feed and index follow
    first = _translated_pair(articles)
    card = preview.site_dir / "assets" / "social" / "articles" / f"{first}.fr.png"  # its preview card
    card_before = card.read_bytes()
    meta, body = _split(articles / f"{first}.fr.md")
    meta["title"] = "Les pieuvres rêvent-elles en couleurs ? Une équipe de Banyuls mesure leur sommeil"
    _write(articles / f"{first}.fr.md", meta, body)
    change = preview.apply([articles / f"{first}.fr.md"])
    assert change.slugs == {first} and not change.structure
    assert f"articles/{first}/" in preview.dirty and "" in preview.dirty
    preview.ensure(f"/articles/{first}/")  # served first, before the listings are planned again
    assert f"articles/{first}/" not in preview.dirty and preview.stale()
    assert card.read_bytes() != card_before  # the card says the new title as soon as the page is served
    preview.flush()

    # 2. add an article (with a tag no other article has: a new tag page)
    new = "les-lichens-gardent-la-memoire-des-pollutions"
    _write(articles / f"{new}.fr.md", {
        "title": "Les lichens gardent la mémoire des pollutions urbaines",
        "slug": new, "date": "2030-03-14", "lang": "fr",
        "description": "Des lichens prélevés sur les platanes de Lyon racontent trente ans de pollution au plomb.",
        "organisation": "Université de Lyon", "authors": ["Camille Roux"],
        "categories": ["Climat"], "tags": ["lichens", "pollution"], "kind": "press-release",
        "reading_time": 2,
    }, "Les lichens accumulent les métaux lourds de l'air qu'ils respirent.\n\n"
       "## Une archive vivante\n\nLes chercheurs ont comparé des échantillons de 1994 et de 2024.\n")
    assert preview.apply([articles / f"{new}.fr.md"]).structure
    preview.ensure("/")  # the home page (its cards) before the passes are gathered again
    preview.ensure(f"/articles/{new}/")  # a page that did not exist: gathered, then rendered
    assert "Les lichens gardent la mémoire" in (preview.site_dir / "articles" / new / "index.html").read_text(
        encoding="utf-8")
    preview.flush()
    ref = build_site(project, tmp_path / "built-1")
    assert_same_site(preview.site_dir, ref)
    assert (preview.site_dir / "tags" / "lichens" / "index.html").is_file()
    assert "Les lichens gardent la mémoire" in (preview.site_dir / "feed.xml").read_text(encoding="utf-8")

    # 3. delete one language of an article: its page becomes a "not translated" notice
    gone = _translated_pair(articles, skip={first})
    (articles / f"{gone}.fr.md").unlink()
    assert preview.apply([articles / f"{gone}.fr.md"]).structure
    preview.flush()

    # 4. correct a translation: title and body of the English page
    meta, body = _split(articles / f"{first}.en.md")
    meta["title"] = "Do octopuses dream in colour? A Banyuls team measures their sleep"
    _write(articles / f"{first}.en.md", meta, body.replace("the", "THE-CORRECTED", 1))
    preview.apply([articles / f"{first}.en.md"])
    preview.flush()

    ref = build_site(project, tmp_path / "built-2")
    assert_same_site(preview.site_dir, ref)
    page = (preview.site_dir / "en" / "articles" / first / "index.html").read_text(encoding="utf-8")
    assert "Do octopuses dream in colour?" in page and "THE-CORRECTED" in page
    assert "Do octopuses dream in colour?" in (preview.site_dir / "en" / "search" / "search_index.json").read_text(
        encoding="utf-8")
    # the deleted original's address now holds the "not translated" notice
    assert 'class="sd-untranslated"' in (preview.site_dir / "articles" / gone / "index.html").read_text(
        encoding="utf-8")
    # 5. date a correction (modified:): the article's and its listings' sitemap lastmod follow
    meta, body = _split(articles / f"{first}.en.md")
    meta["modified"] = "2031-01-02"
    _write(articles / f"{first}.en.md", meta, body)
    preview.apply([articles / f"{first}.en.md"])
    preview.flush()
    assert_same_site(preview.site_dir, build_site(project, tmp_path / "built-3"))
    assert "<lastmod>2031-01-02</lastmod>" in (preview.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    # the preview wrote nothing into the project: its cache is its own directory
    after_docs = sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*"))
    assert set(after_docs) ^ set(before_docs) == {f"docs/articles/{new}.fr.md", f"docs/articles/{gone}.fr.md"}
    assert not (project / "site").exists()
    preview.close()


def test_preview_leaves_unchanged_pages_alone_and_restarts_for_config(project, tmp_path):
    preview = Preview(project / "mkdocs.yml", tmp_path / "preview")
    preview.start()
    articles = project / "docs" / "articles"
    slug = _translated_pair(articles)
    other = _translated_pair(articles, skip={slug})
    untouched = preview.site_dir / "articles" / other / "index.html"
    stamp = untouched.stat().st_mtime_ns
    meta, body = _split(articles / f"{slug}.fr.md")
    _write(articles / f"{slug}.fr.md", meta, body + "\nUn paragraphe ajouté à la relecture.\n")
    change = preview.apply([articles / f"{slug}.fr.md"])
    assert change.slugs == {slug}
    assert f"articles/{other}/" not in preview.dirty
    preview.flush()
    assert untouched.stat().st_mtime_ns == stamp
    assert "Un paragraphe ajouté à la relecture." in (
        preview.site_dir / "articles" / slug / "index.html").read_text(encoding="utf-8")
    # saving without a change renders nothing
    assert not preview.apply([articles / f"{slug}.fr.md"])
    # editor swap files are not content; mkdocs.yml is not applied incrementally
    assert not preview.apply([articles / f".{slug}.fr.md.swp"])
    with pytest.raises(Restart):
        preview.apply([project / "mkdocs.yml"])
    preview.close()


def _get(server: PreviewServer, path: str) -> tuple[int, bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class _Events:
    """Reads the server-sent events of the preview in a thread."""

    def __init__(self, server: PreviewServer) -> None:
        host, port = server.server_address[:2]
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.conn.request("GET", "/__scidigest__/events")
        self.response = self.conn.getresponse()
        self.data: list[str] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for line in self.response:
                if line.startswith(b"data: "):
                    self.data.append(line[6:].strip().decode())
        except (OSError, ValueError):
            return

    def wait(self, n: int, timeout: float = 15) -> list[str]:
        end = time.monotonic() + timeout
        while len(self.data) < n and time.monotonic() < end:
            time.sleep(0.02)
        return list(self.data)

    def close(self) -> None:
        self.conn.close()


def test_server_serves_the_built_bytes_and_tells_the_page_to_reload_after_a_save(project, tmp_path):
    preview = Preview(project / "mkdocs.yml", tmp_path / "preview")
    preview.start()
    server = PreviewServer(preview, "127.0.0.1", 0, reload=True)
    plain = PreviewServer(preview, "127.0.0.1", 0, reload=False)
    server.start()
    plain.start()
    watcher = Watcher([preview.docs_dir], preview.apply)
    watcher.start()
    events = _Events(server)
    try:
        articles = project / "docs" / "articles"
        slug = _translated_pair(articles)
        status, body = _get(server, f"/en/articles/{slug}/")
        on_disk = (preview.site_dir / "en" / "articles" / slug / "index.html").read_bytes()
        assert status == 200 and body == inject(on_disk) and body.count(RELOAD_SCRIPT) == 1
        assert _get(plain, f"/en/articles/{slug}/") == (200, on_disk)
        assert events.wait(1)

        meta, text = _split(articles / f"{slug}.en.md")
        meta["title"] = "Sleeping octopuses change colour as they dream"
        _write(articles / f"{slug}.en.md", meta, text)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            status, body = _get(plain, f"/en/articles/{slug}/")
            if b"Sleeping octopuses change colour" in body:
                break
            time.sleep(0.05)
        assert b"Sleeping octopuses change colour" in body
        assert body == (preview.site_dir / "en" / "articles" / slug / "index.html").read_bytes()
        seen = events.wait(2)
        assert len(seen) >= 2 and seen[-1] != seen[0]  # the open page was told to reload
        status, index = _get(plain, "/en/search/search_index.json")
        assert status == 200 and b"Sleeping octopuses change colour" in index
        status, missing = _get(plain, "/en/no-such-page/")
        assert status == 404 and re.search(rb'<html[^>]+lang="en"', missing)
    finally:
        events.close()
        watcher.stop()
        server.stop()
        plain.stop()
        preview.close()
