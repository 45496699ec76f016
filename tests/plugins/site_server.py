"""pytest plugin: build the site once per session and serve it on 127.0.0.1.

Helpers (importable, for other end-to-end tests):

``copy_site_project(dest, *, articles_from=REPO/docs/articles, synthetic=0)``
    Copy what ``mkdocs build`` reads (mkdocs.yml, docs/, scripts/theme,
    scripts/hooks.py) into ``dest``; copy the committed articles from
    ``articles_from`` (None: none) and add ``synthetic`` generated articles.
    Returns a ``SiteProject``.
``build_site(project_dir, site_dir, *, strict=True)``
    Run ``mkdocs build [--strict]`` in a subprocess; raise ``SiteBuildError``
    with MkDocs's output on failure. Returns ``site_dir``.

Fixtures:

``built_site`` (session)
    ``BuiltSite``: the committed articles plus ``SYNTHETIC_COUNT`` synthetic
    ones (undated, untranslated, no-organisation cases guaranteed), built
    with ``--strict`` into a tmp dir. Attributes: ``project_dir``,
    ``site_dir``, ``catalogue`` (``scidigest.site.Catalogue`` of every
    article), ``synthetic`` (list of ``SyntheticArticle``), ``site_url``.
``site_server`` (session)
    ``SiteServer`` serving ``built_site.site_dir`` under ``/scidigest/``
    (the path of the production site_url, so absolute-path bugs show):
    ``.url`` is ``http://127.0.0.1:<port>/scidigest/``, ``.page(path)``
    joins a site-root-relative path.
``browser`` (session)
    Headless Chromium (Debian's ``chromium`` + ``/usr/bin/chromedriver``,
    never downloaded) as a selenium ``WebDriver`` with browser console
    logging on. Screenshots go to ``ARTIFACTS`` (``test-artifacts/``).

With pytest-xdist every worker builds its own copy (a few seconds).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SITE_PATH = "/scidigest/"
#: synthetic articles added to the committed ones in the session build
SYNTHETIC_COUNT = 24


class SiteBuildError(RuntimeError):
    """``mkdocs build`` failed; the message holds its output."""


@dataclass
class SiteProject:
    project_dir: Path
    synthetic: list = field(default_factory=list)


def copy_site_project(dest: Path, *, articles_from: Path | None = REPO / "docs" / "articles",
                      synthetic: int = 0, synthetic_seed: int = 7) -> SiteProject:
    from scidigest.site.synthetic import write_synthetic_articles

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "docs", dest / "docs", ignore=shutil.ignore_patterns("articles"), dirs_exist_ok=True)
    (dest / "scripts").mkdir(exist_ok=True)
    shutil.copytree(REPO / "scripts" / "theme", dest / "scripts" / "theme", dirs_exist_ok=True)
    shutil.copy2(REPO / "scripts" / "hooks.py", dest / "scripts" / "hooks.py")
    articles = dest / "docs" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    if articles_from is not None and articles_from.is_dir():
        for path in sorted(articles_from.iterdir()):
            if path.is_file():
                shutil.copy2(path, articles / path.name)
            elif path.name == "img" and path.is_dir():  # the images ingest kept (ingest/figures.py)
                shutil.copytree(path, articles / path.name, dirs_exist_ok=True)
    made = write_synthetic_articles(articles, synthetic, seed=synthetic_seed, slug_prefix="synthese-test") if synthetic else []
    return SiteProject(project_dir=dest, synthetic=made)


def build_site(project_dir: Path, site_dir: Path, *, strict: bool = True, timeout: float = 900) -> Path:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-q", "-f", str(project_dir / "mkdocs.yml"),
           "-d", str(site_dir)]
    if strict:
        cmd.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(cmd, cwd=project_dir, capture_output=True, text=True, timeout=timeout, env=env)
    if proc.returncode != 0:
        raise SiteBuildError(f"mkdocs build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return site_dir


@dataclass
class BuiltSite:
    project_dir: Path
    site_dir: Path
    catalogue: object
    synthetic: list
    site_url: str

    def html_files(self) -> list[Path]:
        return sorted(self.site_dir.rglob("*.html"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    import yaml

    from scidigest.site.catalogue import Catalogue, load_articles

    root = tmp_path_factory.mktemp("site-build")
    project = copy_site_project(root / "project", synthetic=SYNTHETIC_COUNT)
    site_dir = build_site(project.project_dir, root / "site")
    config = yaml.safe_load((project.project_dir / "mkdocs.yml").read_text(encoding="utf-8"))
    catalogue = Catalogue(load_articles(project.project_dir / "docs" / "articles"))
    return BuiltSite(project.project_dir, site_dir, catalogue, project.synthetic, config["site_url"])


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under SITE_PATH, like GitHub Pages does for a project site."""

    def translate_path(self, path):
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if clean.startswith(SITE_PATH):
            return super().translate_path("/" + clean[len(SITE_PATH):])
        return os.path.join(self.directory, "__not_under_site_path__")

    def log_message(self, *args):  # keep test output quiet
        pass


@dataclass
class SiteServer:
    url: str
    site: BuiltSite

    def page(self, path: str = "") -> str:
        return self.url + path.lstrip("/")


@contextlib.contextmanager
def serving(site: BuiltSite):
    """A built site served on 127.0.0.1 (a free port) for as long as the block runs."""
    handler = functools.partial(_Handler, directory=str(site.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SiteServer(f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}", site)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_server(built_site):
    with serving(built_site) as server:
        yield server


def chromium_driver(user_data_dir: str):
    """A headless Chromium WebDriver from Debian's packages (no download)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={user_data_dir}", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


@pytest.fixture(scope="session")
def browser():
    if not (shutil.which("chromium") and Path("/usr/bin/chromedriver").exists()):
        pytest.fail("headless Chromium is missing: run `make browser` (Debian packages chromium, chromium-driver)")
    ARTIFACTS.mkdir(exist_ok=True)
    profile = tempfile.mkdtemp(prefix="scidigest-chromium-")
    driver = chromium_driver(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
