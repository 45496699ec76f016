"""The audits of issue 11 on the built site: axe-core (light and dark) in headless
Chromium, and the Nu HTML checker, on the home, an article, its translation, a
listing and a tag page in each language (scidigest.bench.audit_pages).

Both tools come pinned from npm (package.json, package-lock.json) and run
from node_modules: axe-core's ``axe.min.js`` is injected into each page by
WebDriver, ``vnu.jar`` runs on Debian's Java. Nothing is fetched.

Every finding is one line, ``rule | page | scheme | selector: message``, so
whoever owns that part of the page can act on it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.bench.audit_pages import AuditPage, audit_pages
from tests.plugins.site_server import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCHEMES = {"light": "default", "dark": "slate"}
#: the browser fixture's desktop window, and Lighthouse's phone (Moto G Power, 412 px wide)
WIDTHS = {"desktop": (1280, 900), "phone": (412, 915)}

#: axe-core's rules and WCAG 2.x A/AA plus its best practices (every rule but the experimental ones)
_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(
  r => done({ok: true, version: axe.version, rules: r.violations.map(v => ({id: v.id, impact: v.impact,
    help: v.help, nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))}),
  e => done({ok: false, error: String(e)}));
"""

#: end states only: Material fades colours in and out, which axe would measure half-way
_NO_TRANSITIONS = """
const s = document.createElement('style');
s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
document.head.appendChild(s);
"""


def _installed(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(f"{path.relative_to(REPO)} is missing: run `make setup` (npm ci installs the pinned package)")
    return path


def _open(browser, url: str, scheme: str) -> None:
    """``url`` as a reader whose system is light or dark sees it the first time."""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "", "features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.get(url)
    browser.execute_script("localStorage.clear(); sessionStorage.clear()")  # no palette chosen before
    browser.get(url)
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    browser.execute_script(_NO_TRANSITIONS)


def _oneline(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


@pytest.fixture(scope="module")
def pages(built_site):
    return audit_pages(built_site.catalogue)


#: the not-found pages (the theme's own 404.html), audited by axe too
NOT_FOUND = [AuditPage("fr", "404", "404.html"), AuditPage("en", "404", "en/404.html")]


def test_axe_core_finds_no_violation_in_light_and_dark(browser, site_server, pages):
    source = _installed(AXE).read_text(encoding="utf-8")
    browser.set_script_timeout(120)
    findings, runs = [], 0
    try:
        for width_name, (width, height) in WIDTHS.items():
            browser.set_window_size(width, height)
            for scheme, material_scheme in SCHEMES.items():
                for page in pages + NOT_FOUND:
                    _open(browser, site_server.page(page.path), scheme)
                    seen = browser.execute_script("return document.body.getAttribute('data-md-color-scheme')")
                    assert seen == material_scheme, f"{page.label}: palette {seen!r} under prefers-color-scheme: {scheme}"
                    browser.execute_script(source)
                    result = browser.execute_async_script(_AXE_RUN)
                    assert result["ok"], f"axe-core failed on {page.label}: {result.get('error')}"
                    runs += 1
                    for rule in result["rules"]:
                        for node in rule["nodes"]:
                            findings.append(f"{rule['id']} ({rule['impact']}) | {page.label} | {scheme} {width_name} | "
                                            f"{node['target']}: {_oneline(node['summary'])[:300]}")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
        browser.set_window_size(*WIDTHS["desktop"])
    assert runs == len(WIDTHS) * len(SCHEMES) * (len(pages) + len(NOT_FOUND)) >= 40
    assert not findings, f"axe-core {len(findings)} violation(s):\n" + "\n".join(findings)


# --------------------------------------------------------------------------- Nu HTML checker

#: Errors the Nu checker reports in markup that only Material's own templates
#: write, outside anything the theme can override without copying Material's
#: whole base.html. Each entry is (message regex, extract regex, why). An entry
#: that no longer matches anything fails the test, so the list cannot go stale.
MATERIAL_ONLY = [
    (r"^Attribute “autocomplete” is only allowed when the input type is",
     r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" autocomplete="off">',
     "material/templates/base.html writes autocomplete=off on its drawer and search checkboxes, outside any "
     "block, on purpose (Firefox would otherwise restore a checked drawer/search toggle on reload or back); "
     "overriding it means copying the whole base.html of the pinned Material"),
]


def _site_path(url: str, root: Path) -> str:
    """"/en/index.html" for the checker's "file:/.../site/en/index.html"."""
    path = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path))
    return "/" + path.relative_to(root).as_posix() if path.is_relative_to(root) else url


def _vnu(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if not java:
        pytest.fail("java is missing: run `make browser` (Debian package default-jre-headless)")
    proc = subprocess.run([java, "-Xss1024k", "-jar", str(_installed(VNU)), "--format", "json", "--exit-zero-always",
                           *map(str, files)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stderr or proc.stdout)["messages"]


def test_the_nu_html_checker_finds_no_error_in_our_markup(built_site, pages):
    """Every page of the built site (the audited ones and the 404s among them)."""
    files = built_site.html_files()
    for page in pages:
        assert built_site.site_dir / page.path / "index.html" in files, f"{page.label} not built"
    for path in ("404.html", "en/404.html"):
        assert built_site.site_dir / path in files, f"{path} not built"
    root = built_site.site_dir.resolve()
    messages = _vnu(files)
    errors, used = [], set()
    for m in messages:
        if m.get("type") != "error" and m.get("subType") != "fatal":
            continue
        extract = m.get("extract", "")
        material = next((i for i, (msg, ext, _) in enumerate(MATERIAL_ONLY)
                         if re.search(msg, m["message"]) and re.search(ext, extract)), None)
        if material is not None:
            used.add(material)
            continue
        where = _site_path(m.get("url", ""), root)
        errors.append(f"nu | {where} | line {m.get('lastLine')} | {_oneline(extract)[:160]}: {m['message']}")
    assert not errors, f"Nu HTML checker: {len(errors)} error(s) in our markup:\n" + "\n".join(errors)
    stale = [MATERIAL_ONLY[i][2] for i in range(len(MATERIAL_ONLY)) if i not in used]
    assert not stale, f"filtered Material errors that no longer occur (drop them from MATERIAL_ONLY): {stale}"
