"""speed.normalized_url is MkDocs' normalize_url, remembered per path and what of the page's
directory the answer depends on: the same answers for random paths from random pages, in
any order of calls, and one entry for a theme URL seen from every article's directory."""

from __future__ import annotations

import random
from types import SimpleNamespace

from mkdocs.utils import normalize_url

from scidigest.site.mkdocs import speed


def test_normalized_url_answers_as_mkdocs_does_from_any_page():
    rnd = random.Random(17)
    parts = ["", "articles", "en", "tags", "x.html", "index.html", "a.b", "..", ".", "sitemap.xml", "assets", "img.png"]

    def path() -> str:
        p = "/".join(rnd.choice(parts) for _ in range(rnd.randint(0, 4)))
        return p + rnd.choice(["", "/", "#frag", "?q=1"]) if rnd.random() < 0.8 else rnd.choice(
            ["https://e.org/x", "mailto:a@b.c", "#top", "/abs/x", ""])

    for _ in range(20000):
        page = SimpleNamespace(url=rnd.choice([".", "", path()]))
        target, base = path(), rnd.choice(["", "..", "../.."])
        assert speed.normalized_url(target, page, base) == normalize_url(target, page=page, base=base), (target, page.url)
        assert speed.normalized_url(target, None, base) == normalize_url(target, page=None, base=base)


def test_pages_at_the_same_depth_outside_a_path_share_its_answer():
    speed._URLS.clear()
    for i in range(200):
        page = SimpleNamespace(url=f"articles/a-{i}/")
        assert speed.normalized_url("assets/site.css", page, "") == "../../assets/site.css"
        assert speed.normalized_url("articles/", page, "") == "../"
        assert speed.normalized_url(f"articles/a-{i}/", page, "") == "./"
    assert len(speed._URLS) == 2 + 200  # the last one differs from every page: one entry each


def test_site_relative_links_answer_as_posixpath_from_any_directory():
    import posixpath

    from scidigest.site import urls

    rnd = random.Random(23)
    parts = ["articles", "en", "tags", "a", "b", "x.html", "..", ".", "page", "2"]

    def path() -> str:
        return "/".join(rnd.choice(parts) for _ in range(rnd.randint(0, 4))) + rnd.choice(["", "/"])

    for _ in range(20000):
        target, start = path(), path()
        assert urls._relpath(target, start) == posixpath.relpath("/" + target, "/" + start), (target, start)
