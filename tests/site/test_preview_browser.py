"""The live preview in headless Chromium: a save reloads the open page by
itself, under the pages' Content-Security-Policy (the reload script is a
same-origin file, never inline), and nothing on the page is refused."""

from __future__ import annotations

import pytest
import yaml
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.site.preview.engine import Preview
from scidigest.site.preview.server import PreviewServer
from scidigest.site.preview.watch import Watcher
from tests.plugins.site_server import copy_site_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_saved_title_reloads_the_open_page_without_a_policy_error(browser, tmp_path):
    project = copy_site_project(tmp_path / "project", synthetic=4).project_dir
    preview = Preview(project / "mkdocs.yml", tmp_path / "preview")
    preview.start()
    server = PreviewServer(preview, "127.0.0.1", 0)
    server.start()
    watcher = Watcher([preview.docs_dir], preview.apply)
    watcher.start()
    try:
        article = sorted((project / "docs" / "articles").glob("*.fr.md"))[0]
        slug = article.name[: -len(".fr.md")]
        browser.get_log("browser")
        browser.get(f"{server.url}articles/{slug}/")
        WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
        browser.execute_script("window.sdBeforeReload = true;")  # gone once the page reloads
        # the reload script (a file the policy allows) is connected before the save
        WebDriverWait(browser, 10).until(lambda d: server.listeners >= 1)

        _, head, body = article.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(head)
        meta["title"] = "Les abeilles comptent jusqu'à quatre, montre une équipe toulousaine"
        article.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
                           encoding="utf-8")

        WebDriverWait(browser, 20).until(lambda d: "Les abeilles comptent" in d.execute_script(
            "const h = document.querySelector('article h1, h1'); return h ? h.textContent : '';"))
        assert browser.execute_script("return window.sdBeforeReload") is None  # reloaded, not patched
        refused = [e["message"] for e in browser.get_log("browser")
                   if e["level"] == "SEVERE" and "Content Security Policy" in e["message"]]
        assert refused == []
    finally:
        watcher.stop()
        server.stop()
        preview.close()
