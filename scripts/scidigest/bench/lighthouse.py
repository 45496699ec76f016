"""Benchmark: Lighthouse (mobile) on the audited pages, served gzipped as GitHub Pages serves them.

Not a test (a Lighthouse run takes 10-30 s a page): run from the repo root

    python -m scidigest.bench.lighthouse [--synthetic 0 2000] [--runs 1] [--out FILE]

For each size it copies the site project (mkdocs.yml, docs/, the theme, the
hook) with the committed articles, adds that many synthetic articles *per
language* (French originals, enough of them that the English translations,
6 in 7, reach the count too; ``--synthetic 0``: the committed articles only),
builds it with ``mkdocs build --strict`` and serves it on 127.0.0.1 under
``/scidigest/`` (the production site_url's path) the way GitHub Pages does:
gzip for text types when the browser accepts it, ``Cache-Control:
max-age=600``, an ETag, the site's 404.html with status 404 for a missing URL.

Lighthouse (npm ``lighthouse``, pinned in package.json; 12.x, as 13 needs
Node 22) runs on Debian's chromium (``CHROME_PATH``) with its defaults:
the mobile form factor, simulated slow-4G and a 4x CPU slowdown. The pages
are those of every audit (:mod:`scidigest.bench.audit_pages`): the home, an
article, its translation, a listing and a tag page in each language. With
``--runs N`` each page is run N times and the median performance kept
(accessibility, best practices and SEO do not vary between runs).

Prints a Markdown table (one row per size and page: the four scores against
the targets perf >= 95, a11y/BP/SEO 100, and LCP, TBT, CLS) and, under it,
every audit that cost a category points, one line each. ``--json`` writes
the raw rows. The machine is shared: performance moves by a few points
between runs; the other three do not.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from scidigest.bench.audit_pages import AuditPage, audit_pages
from scidigest.bench.site import make_ours
from scidigest.site.catalogue import Catalogue, load_articles
from scidigest.site.synthetic import write_synthetic_articles

SITE_PATH = "/scidigest/"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
#: what GitHub Pages compresses (text types); images and fonts go as they are
GZIP_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml",
              "application/rss+xml", "application/manifest+json")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync "
                "--disable-dev-shm-usage")


def originals_for(per_language: int) -> int:
    """French originals to write so that the English translations (every 7th is left
    untranslated, scidigest.site.synthetic) reach ``per_language`` too."""
    n = per_language
    while n - n // 7 < per_language:  # i % 7 == 6 is left untranslated: n // 7 of the first n
        n += 1
    return n


def build_project(repo: Path, dest: Path, per_language: int) -> tuple[Path, Catalogue]:
    project = dest / "project"
    project.mkdir(parents=True)
    make_ours(repo, project)
    articles = project / "docs" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for path in sorted((repo / "docs" / "articles").glob("*.md")):
        shutil.copy2(path, articles / path.name)
    if per_language:
        write_synthetic_articles(articles, originals_for(per_language), seed=7, slug_prefix="synthese")
    site = dest / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project / "mkdocs.yml"),
           "-d", str(site)]
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")
    return site, Catalogue(load_articles(articles))


class GitHubPagesHandler(http.server.SimpleHTTPRequestHandler):
    """A project site under SITE_PATH, gzipped like GitHub Pages (in memory, once per file)."""

    protocol_version = "HTTP/1.1"
    _gzipped: dict[Path, bytes] = {}
    _lock = threading.Lock()

    def log_message(self, *args):  # quiet
        pass

    def _file(self) -> tuple[Path | None, int]:
        clean = self.path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(SITE_PATH):
            return None, 404
        path = Path(self.translate_path("/" + clean[len(SITE_PATH):]))
        if path.is_dir():
            if not clean.endswith("/"):
                return None, 301
            path = path / "index.html"
        return (path, 200) if path.is_file() else (None, 404)

    def do_HEAD(self):  # noqa: N802 - http.server's name
        self._respond(head=True)

    def do_GET(self):  # noqa: N802 - http.server's name
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        path, status = self._file()
        if status == 301:
            self.send_response(301)
            self.send_header("Location", self.path.split("?", 1)[0] + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path is None:  # GitHub Pages: the site's 404.html, status 404
            path = Path(self.directory) / "404.html"
        body = path.read_bytes()
        ctype = self.guess_type(str(path))
        headers = {"Content-Type": ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""),
                   "Cache-Control": "max-age=600",
                   "ETag": '"' + hashlib.sha1(body).hexdigest()[:16] + '"',
                   "Last-Modified": email.utils.formatdate(path.stat().st_mtime, usegmt=True),
                   "Vary": "Accept-Encoding"}
        if ctype.startswith(GZIP_TYPES) and "gzip" in self.headers.get("Accept-Encoding", ""):
            with self._lock:
                packed = self._gzipped.get(path)
                if packed is None:
                    packed = self._gzipped[path] = gzip.compress(body, compresslevel=6, mtime=0)
            body = packed
            headers["Content-Encoding"] = "gzip"
        if self.headers.get("If-None-Match") == headers["ETag"] and status == 200:
            self.send_response(304)
            for name in ("ETag", "Cache-Control"):
                self.send_header(name, headers[name])
            self.end_headers()
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


class Server:
    """The built site on 127.0.0.1 (a free port) while the ``with`` block runs."""

    def __init__(self, site: Path):
        handler = type("Handler", (GitHubPagesHandler,), {"_gzipped": {}})
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), lambda *a, **k: handler(*a, directory=str(site), **k))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{SITE_PATH}"

    def __enter__(self) -> Server:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def lighthouse_command(repo: Path) -> list[str]:
    cli = repo / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        raise SystemExit("lighthouse is not installed: run `make setup` (npm ci installs the pinned version)")
    node = shutil.which("node")
    if not node:
        raise SystemExit("node is missing")
    return [node, str(cli)]


def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise SystemExit("Debian chromium is missing: run `make browser`")
    return path


def run_lighthouse(command: list[str], url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": chromium()}
    cmd = [*command, url, "--quiet", "--output=json", f"--output-path={out}",
           f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
           "--max-wait-for-load=60000"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse failed on {url}:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def failing_audits(report: dict) -> list[str]:
    """Every audit that cost its category points, "category: id (score) title | detail"."""
    out = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            score = audit.get("score")
            if ref.get("weight", 0) == 0 or score is None or score >= 1:
                continue
            if category == "performance" and score >= 0.9:
                continue
            detail = audit.get("displayValue") or ""
            items = (audit.get("details") or {}).get("items") or []
            nodes = [i.get("node", {}).get("selector") for i in items if isinstance(i, dict) and i.get("node")]
            if nodes:
                detail += (" " if detail else "") + "on " + ", ".join(str(n) for n in nodes[:3])
                detail += f" (+{len(nodes) - 3})" if len(nodes) > 3 else ""
            out.append(f"{category}: {ref['id']} ({score:.2f}) {audit['title']}" + (f" | {detail}" if detail else ""))
    return out


def measure(page: AuditPage, server: Server, command: list[str], runs: int, work: Path) -> dict:
    reports = []
    for i in range(runs):
        reports.append(run_lighthouse(command, server.url + page.path, work / f"{page.lang}-{page.kind}-{i}.json"))
    perf = [r["categories"]["performance"]["score"] for r in reports]
    median = sorted(range(runs), key=lambda i: perf[i])[runs // 2]
    report = reports[median]
    metrics = report["audits"]
    return {
        "page": page.label,
        "scores": {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "performance_runs": [round(100 * (p or 0)) for p in perf],
        "lcp_ms": metrics["largest-contentful-paint"]["numericValue"],
        "tbt_ms": metrics["total-blocking-time"]["numericValue"],
        "cls": metrics["cumulative-layout-shift"]["numericValue"],
        "transfer_kb": metrics["total-byte-weight"]["numericValue"] / 1024,
        "failing": failing_audits(report),
        "lighthouse": report.get("lighthouseVersion"),
        # Lighthouse's own CPU benchmark of this machine at that moment (a desktop ~1500-2000 idle);
        # it falls when the shared machine is loaded, and TBT grows in proportion
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
    }


def run(repo: Path, sizes: list[int], runs: int, keep: Path | None = None) -> list[dict]:
    command = lighthouse_command(repo)
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="scidigest-lighthouse-") as tmp:
            site, catalogue = build_project(repo, Path(tmp) / "build", size)
            work = keep / str(size) if keep else Path(tmp) / "reports"
            work.mkdir(parents=True, exist_ok=True)
            with Server(site) as server:
                for page in audit_pages(catalogue):
                    row = measure(page, server, command, runs, work)
                    row["size"] = size
                    row["load"] = os.getloadavg()[0]
                    row["articles"] = {lang: len(catalogue.in_lang(lang)) for lang in ("fr", "en")}
                    rows.append(row)
                    print(f"{size:>5} {page.label}: " + " ".join(f"{c}={row['scores'][c]}" for c in CATEGORIES),
                          file=sys.stderr, flush=True)
    return rows


def _mark(category: str, score: int) -> str:
    return f"{score}" if score >= TARGETS[category] else f"**{score}** ✗"


def tables(rows: list[dict]) -> str:
    lines = ["| articles (fr / en) | page | performance | accessibility | best practices | SEO | LCP s | TBT ms | CLS | KB |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        s = r["scores"]
        perf = _mark("performance", s["performance"])
        if len(r["performance_runs"]) > 1:
            perf += f" ({'/'.join(map(str, r['performance_runs']))})"
        lines.append(f"| {r['articles']['fr']:,} / {r['articles']['en']:,} | {r['page']} | {perf} | "
                     f"{_mark('accessibility', s['accessibility'])} | {_mark('best-practices', s['best-practices'])} | "
                     f"{_mark('seo', s['seo'])} | {r['lcp_ms'] / 1000:.1f} | {r['tbt_ms']:.0f} | {r['cls']:.3f} | "
                     f"{r['transfer_kb']:.0f} |")
    lines += ["", "Audits that cost points (performance: those under 0.90):", ""]
    for r in rows:
        for line in r["failing"]:
            lines.append(f"- {r['articles']['fr']:,} articles, {r['page']}: {line}")
    if rows:
        loads = [r["load"] for r in rows]
        index = [r["benchmark_index"] or 0 for r in rows]
        lines += ["", f"Lighthouse {rows[0]['lighthouse']}, mobile (simulated slow 4G, 4x CPU slowdown), "
                      "Debian chromium headless, served gzipped on 127.0.0.1; machine load (1 min) "
                      f"{min(loads):.1f}-{max(loads):.1f} and Lighthouse's benchmarkIndex {min(index):.0f}-{max(index):.0f} "
                      "during the runs (TBT, so performance, grows as the machine is busier)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, nargs="+", default=[0],
                        help="synthetic articles per language added to the committed ones (default: 0)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median performance)")
    parser.add_argument("--out", type=Path, help="also write the tables to this file")
    parser.add_argument("--json", type=Path, help="write the raw rows to this file")
    parser.add_argument("--keep", type=Path, help="keep Lighthouse's JSON reports in this directory")
    args = parser.parse_args(argv)
    repo = Path.cwd()
    if not (repo / "mkdocs.yml").is_file():
        parser.error("run from the repo root (mkdocs.yml not found)")
    rows = run(repo, args.synthetic, max(1, args.runs), args.keep)
    text = tables(rows)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0 if all(r["scores"][c] >= TARGETS[c] for r in rows for c in CATEGORIES) else 1


if __name__ == "__main__":
    raise SystemExit(main())
