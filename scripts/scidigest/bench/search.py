"""Benchmark: what a reader's search downloads, and what the sharded index costs the build.

Not a test: run ``python -m scidigest.bench.search [--articles 2000]`` from the
repo root. It writes that many synthetic French originals (about 6 in 7
translated into English) plus the committed articles into a temporary copy of
the project, builds it (``mkdocs build --strict``), serves it on 127.0.0.1
with gzip as GitHub Pages serves it (:class:`CountingServer`: every response
counted, raw and as sent, ``Cache-Control: no-store`` so nothing comes from
the browser's cache), and in headless Chromium:

* loads each language's home page and counts what it fetches before anyone
  types (the search index must not be among it);
* types each query of :data:`QUERIES` into Material's search box one key at a
  time, as a reader does (every keystroke is a query), waits for the results,
  and counts every byte fetched from the first key to the results.

Then it times :func:`scidigest.site.search_shards.build` on each language's
``search_index.json`` (the build-time cost of the sharding, against the
whole build's CPU time) and prints one Markdown table.

The synthetic articles share a small vocabulary (about 5,000 terms at 2,000
articles: the index needs a handful of shards and no prefix summary), so
``--vocabulary`` also shards an index of the same number of pages whose words
follow Zipf's law over :data:`VOCABULARY` made-up words (a real corpus's
shape: many shards, prefix summaries), and runs the theme's worker on it
under Node (``tests/site/run_search_worker.js``), one fresh worker per query
typed key by key, counting the files each query fetches, raw and gzipped.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SITE_PATH = "/scidigest/"
#: realistic queries per language: one word, a word typed without its accents, two words, a prefix
QUERIES = {
    "fr": ["ketamine", "cellules cerveau", "neurones", "épilepsie", "alzheimer", "laboratoire"],
    "en": ["ketamine", "brain cells", "neurons", "epilepsy", "alzheimer", "laboratory"],
}
#: made-up words of the Zipf index, and its exponent
VOCABULARY = 60_000
ZIPF = 1.07
_COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")


@dataclass
class Fetch:
    path: str
    raw: int  #: the file's bytes
    sent: int  #: bytes on the wire: response headers and the (gzipped, where GitHub Pages gzips) body


@dataclass
class CountingServer:
    """A built site under ``/scidigest/`` on 127.0.0.1, gzipped like GitHub Pages, every response counted."""

    site_dir: Path
    url: str = ""
    fetches: list[Fetch] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, path: str = "") -> str:
        return self.url + path.lstrip("/")

    def mark(self) -> int:
        with self.lock:
            return len(self.fetches)

    def since(self, mark: int) -> list[Fetch]:
        with self.lock:
            return list(self.fetches[mark:])

    @contextlib.contextmanager
    def serving(self):
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                clean = self.path.split("?", 1)[0].split("#", 1)[0]
                rel = clean[len(SITE_PATH):] if clean.startswith(SITE_PATH) else None
                target = (owner.site_dir / rel) if rel is not None else None
                if target is not None and target.is_dir():
                    target = target / "index.html"
                if target is None or not target.is_file() or ".." in Path(rel).parts:
                    self.send_error(404)
                    return
                body = target.read_bytes()
                raw = len(body)
                gz = "gzip" in (self.headers.get("Accept-Encoding") or "") and target.suffix in _COMPRESSIBLE
                if gz:
                    body = gzip.compress(body, compresslevel=6, mtime=0)
                self.send_response(200)
                ctype = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
                         ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml",
                         ".png": "image/png", ".webp": "image/webp"}.get(target.suffix, "application/octet-stream")
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                if gz:
                    self.send_header("Content-Encoding", "gzip")
                head = sum(len(line) for line in getattr(self, "_headers_buffer", ())) + 2
                self.end_headers()
                self.wfile.write(body)
                with owner.lock:
                    owner.fetches.append(Fetch(clean, raw, head + len(body)))

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}"
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


def is_index(fetch: Fetch) -> bool:
    """A file of a search index (the sharded one or Material's whole one)."""
    return "/search/" in fetch.path


def settle(driver, server: CountingServer, quiet: float = 0.6, timeout: float = 20) -> None:
    """Wait until the page is loaded and the server has been quiet for ``quiet`` seconds."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")
    end = time.monotonic() + timeout
    last = server.mark()
    still = time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.1)
        now = server.mark()
        if now != last:
            last, still = now, time.monotonic()
        elif time.monotonic() - still >= quiet:
            return


def result_pages(driver) -> list[str]:
    """The page URL of each result shown (read in one script: the list is re-rendered as keys come)."""
    hrefs = driver.execute_script(
        "return [...document.querySelectorAll('.md-search-result__item > a')].map(a => a.href)")
    return [href.split("#")[0].split("?")[0] for href in hrefs]


def type_query(driver, server: CountingServer, query: str, timeout: float = 20,
               key_delay: float = 0.2) -> tuple[list[str], list[Fetch]]:
    """Type ``query`` into the search box key by key, ``key_delay`` seconds apart (a reader types
    about 5 keys a second; 0: all at once, as pasted); ``(result page URLs, what the typing fetched)``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    box = driver.find_element(By.CSS_SELECTOR, "input[data-md-component=search-query]")
    driver.execute_script("document.querySelector('label[for=__search]').click()")
    mark = server.mark()
    if key_delay <= 0:
        box.send_keys(query)  # at once (one WebDriver call): the worker searches the whole query only
    else:
        for char in query:
            box.send_keys(char)
            time.sleep(key_delay)
    none_text = driver.execute_script(
        "return JSON.parse(document.getElementById('__config').textContent).translations['search.result.none']")

    def done(d):
        meta = d.find_elements(By.CSS_SELECTOR, ".md-search-result__meta")
        return bool(meta) and (bool(result_pages(d)) or meta[0].text.strip() == none_text)

    WebDriverWait(driver, timeout).until(done)
    settle(driver, server)
    return result_pages(driver), server.since(mark)


def _kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def build(articles: int, work: Path) -> tuple[Path, dict]:
    """A synthetic site of ``articles`` originals (+ the committed ones) built in ``work``: (site dir, timings)."""
    sys.path.insert(0, str(REPO / "tests"))
    from plugins.site_server import build_site, copy_site_project  # the tests' helpers, one copy

    project = copy_site_project(work / "project", synthetic=articles)
    site = work / "site"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    build_site(project.project_dir, site)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return site, {"articles": articles, "build_cpu_s": round(cpu, 1), "build_wall_s": round(time.monotonic() - t0, 1)}


def measure(site: Path, driver, row: dict, key_delay: float) -> dict:
    """Index sizes, the sharding's CPU time, and what a reader's queries fetch, for the built ``site``."""
    from scidigest.site import search_shards, urls

    row = {**row, "key_delay_s": key_delay, "langs": {}}
    for lang in ("fr", "en"):
        whole = site / urls.search_index(lang)
        index = json.loads(whole.read_text(encoding="utf-8"))
        t1 = time.process_time()
        sharded = search_shards.build(index)
        shard_cpu = time.process_time() - t1
        files = list((whole.parent / search_shards.INDEX_DIR).iterdir())
        raw_sizes = [f.stat().st_size for f in files]
        row["langs"][lang] = {
            "pages": sum(1 for d in index["docs"] if d["location"].startswith("articles/") and "#" not in d["location"]),
            "docs": sharded.docs, "terms": sharded.terms, "files": len(files),
            "largest_file": max(raw_sizes), "index_total": sum(raw_sizes),
            "whole_raw": whole.stat().st_size, "whole_gzip": len(gzip.compress(whole.read_bytes(), 6, mtime=0)),
            "shard_cpu_s": round(shard_cpu, 2), "queries": {},
        }
    server = CountingServer(site)
    with server.serving():
        for lang in ("fr", "en"):
            mark = server.mark()
            driver.get(server.page(urls.home(lang)))
            settle(driver, server)
            loaded = server.since(mark)
            row["langs"][lang]["page_load_index_fetches"] = [f.path for f in loaded if is_index(f)]
            for query in QUERIES[lang]:
                driver.get(server.page(urls.home(lang)))
                settle(driver, server)
                pages, fetched = type_query(driver, server, query, key_delay=key_delay)
                row["langs"][lang]["queries"][query] = {
                    "results": len(pages), "requests": len(fetched),
                    "raw": sum(f.raw for f in fetched), "sent": sum(f.sent for f in fetched)}
    return row


def zipf_index(pages: int, seed: int = 11) -> tuple[dict, list[str]]:
    """A Material-shaped index of ``pages`` pages (each with 0-3 sections), words drawn by Zipf's law;
    and the vocabulary, commonest first."""
    import itertools
    import random

    rng = random.Random(seed)
    syllables = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo", "an",
                 "el", "is", "on", "ur", "ch", "tr", "pl", "gr", "qu", "br", "st", "mo", "ka", "re", "lu",
                 "ne", "ta", "ro", "mi", "pa", "de", "co", "li", "ve", "ga"]
    words = ["".join(parts) for n in (2, 3) for parts in itertools.product(syllables, repeat=n)]
    rng.shuffle(words)
    vocabulary = words[:VOCABULARY]
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** ZIPF for rank in range(len(vocabulary))))

    def text(n: int) -> str:
        return " ".join(rng.choices(vocabulary, cum_weights=cumulative, k=n))

    docs = []
    for p in range(pages):
        location = f"articles/a{p:05d}/"
        docs.append({"location": location, "title": text(9), "text": text(rng.randint(150, 450))})
        for k in range(rng.randint(0, 3)):
            docs.append({"location": f"{location}#s{k}", "title": text(5), "text": text(rng.randint(60, 200))})
    config = {"lang": ["fr"], "separator": r"[\s\-'’]+", "pipeline": [],
              "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}}
    return {"config": config, "docs": docs}, vocabulary


def vocabulary_row(pages: int) -> dict:
    """Shard a Zipf index of ``pages`` pages; run the worker under Node on typed queries."""
    from scidigest.site import search_shards

    index, vocabulary = zipf_index(pages)
    t0 = time.process_time()
    sharded = search_shards.build(index)
    cpu = time.process_time() - t0
    files = sharded.files
    queries = {f"rank {rank}": vocabulary[rank - 1] for rank in (3, 30, 300, 3_000, 30_000)}
    queries["ranks 30 + 300"] = f"{vocabulary[29]} {vocabulary[299]}"
    harness = REPO / "tests/site/run_search_worker.js"
    worker = REPO / "scripts/theme/assets/javascripts/workers/scidigest-search.js"
    row = {"pages": pages, "docs": sharded.docs, "terms": sharded.terms, "files": len(files),
           "shards": sum(n.startswith("t") for n in files), "summaries": sum(n.startswith("p") for n in files),
           "largest": max(len(t.encode()) for t in files.values()),
           "manifest": len(files["manifest.json"].encode()), "manifest_gzip": len(gzip.compress(
               files["manifest.json"].encode(), 6, mtime=0)), "shard_cpu_s": round(cpu, 2), "queries": {}}
    with tempfile.TemporaryDirectory(prefix="scidigest-bench-vocabulary-") as tmp:
        folder = Path(tmp) / "index"
        folder.mkdir()
        for name, body in files.items():
            (folder / name).write_text(body, encoding="utf-8")
        for label, query in queries.items():
            typed = [query[:n] for n in range(1, len(query) + 1)]
            (Path(tmp) / "q.json").write_text(json.dumps(typed), encoding="utf-8")
            proc = subprocess.run(["node", str(harness), str(worker), str(folder), str(Path(tmp) / "q.json")],
                                  capture_output=True, text=True, timeout=300, check=True)
            answers = [json.loads(line) for line in proc.stdout.splitlines()]
            fetched = [n for a in answers for n in a["fetched"]]
            row["queries"][label] = {
                "query": query, "results": len(answers[-1]["items"]), "requests": len(fetched),
                "raw": sum(len(files[n].encode()) for n in fetched),
                "gzip": sum(len(gzip.compress(files[n].encode(), 6, mtime=0)) for n in fetched)}
    return row


def vocabulary_table(row: dict) -> str:
    lines = [f"### Zipf index: {row['pages']:,} pages, {row['docs']:,} docs, {row['terms']:,} terms "
             f"({VOCABULARY:,} made-up words, exponent {ZIPF}); worker under Node, a fresh one per query", "",
             f"{row['files']:,} files: {row['shards']} term shards, {row['summaries']} prefix summaries, one per "
             f"page; largest {_kb(row['largest'])} KB; manifest {_kb(row['manifest'])} KB "
             f"({_kb(row['manifest_gzip'])} KB gzip); sharding {row['shard_cpu_s']} s CPU.", "",
             "| word (frequency rank) | query | results listed | files fetched, typed key by key | KB raw | KB gzip |",
             "|---|---|---|---|---|---|"]
    for label, q in row["queries"].items():
        lines.append(f"| {label} | {q['query']} | {q['results']} | {q['requests']} | {_kb(q['raw'])} | "
                     f"{_kb(q['gzip'])} |")
    return "\n".join(lines)


def table(row: dict) -> str:
    head = (f"{row['articles']:,} synthetic articles (+ the committed ones); build {row['build_cpu_s']} s CPU "
            f"({row['build_wall_s']} s wall)" if row.get("articles") else "a built site")
    lines = [f"### {head}; keys typed {row['key_delay_s']} s apart", "",
             "| lang | query (typed key by key) | results shown | requests | KB of files | KB as served (gzip + headers) |",
             "|---|---|---|---|---|---|"]
    for lang, data in row["langs"].items():
        for query, q in data["queries"].items():
            lines.append(f"| {lang} | {query} | {q['results']} | {q['requests']} | {_kb(q['raw'])} | {_kb(q['sent'])} |")
    lines += ["", "| lang | articles in the index | docs (pages + sections) | terms | index files | largest file KB | "
              "sharded index KB on disk | whole search_index.json KB raw / gzip | index files fetched on page load | "
              "sharding CPU s |", "|---|---|---|---|---|---|---|---|---|---|"]
    for lang, d in row["langs"].items():
        lines.append(f"| {lang} | {d['pages']} | {d['docs']} | {d['terms']} | {d['files']} | {_kb(d['largest_file'])} | "
                     f"{_kb(d['index_total'])} | {_kb(d['whole_raw'])} / {_kb(d['whole_gzip'])} | "
                     f"{len(d['page_load_index_fetches'])} | {d['shard_cpu_s']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[2000])
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--key-delay", type=float, nargs="+", default=[0.2, 0.05, 0],
                        help="seconds between keys (0.2: a reader; 0.05: a fast typist; 0: pasted)")
    parser.add_argument("--vocabulary", type=int, metavar="PAGES",
                        help="only the Zipf-vocabulary index of PAGES pages (no site build, no browser)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.vocabulary:
        row = vocabulary_row(args.vocabulary)
        print(json.dumps(row, indent=1) if args.json else vocabulary_table(row), flush=True)
        return 0
    sys.path.insert(0, str(REPO / "tests"))
    from plugins.site_server import chromium_driver

    profile = tempfile.mkdtemp(prefix="scidigest-bench-search-")
    driver = chromium_driver(profile)
    try:
        for n in ([None] if args.site else args.articles):
            work = Path(tempfile.mkdtemp(prefix=f"scidigest-bench-search-{n}-"))
            try:
                site, row = (args.site, {"articles": None}) if args.site else build(n, work)
                for delay in args.key_delay:
                    result = measure(site, driver, row, delay)
                    print(json.dumps(result, indent=1) if args.json else table(result), flush=True)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
