"""Benchmark: the live preview (``scidigest serve``) against Hugo's server and ``mkdocs serve``.

Not a test: run ``python -m scidigest.bench.preview [--sizes 500 2000]`` from
the repo root. For each size it writes that many synthetic French originals
(about 6 in 7 translated into English, :mod:`scidigest.site.synthetic`) into
a copy of the site project (the repo's mkdocs.yml, theme overrides, hook and
pages, as ``bench.site`` does) and the same Markdown files into a Hugo site
(Debian's ``hugo``; French at the root, English under /en/, the same
``<slug>.<lang>.md`` names, a small theme: article pages, paginated home and
section lists, tag and category pages, an RSS feed per language and a JSON
index of every page for search). Then, in the same run, one server after
the other on 127.0.0.1:

* **first start**: from launching the server to the home page answering;
  also for ``mkdocs serve`` (what ``make serve`` ran before);
* **save -> new page served**: change one article's title, then ask for its
  page every 5 ms until the new title is in it (the page was visited
  before, so Hugo's fast render mode re-renders it); ``--edits`` times,
  ``--pause`` seconds apart, the median is reported;
* **new article -> listings**: write a new, newest article and ask for the
  home page until its title is there;
* **memory** (ours only): resident size of the preview process after 10,
  half of and all ``--memory-edits`` saves (each one waited for, everything
  stale rendered before reading it).

Wall-clock seconds: this is what a writer waits. The machine is shared, so
the table also gives ours / Hugo in the same run. ``--out`` writes it to a file.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from scidigest.bench.site import make_ours
from scidigest.site.synthetic import write_synthetic_articles

HUGO_CONFIG = """\
baseURL = "http://127.0.0.1/"
title = "SciDigest"
defaultContentLanguage = "fr"
paginate = 10
disableKinds = ["robotsTXT"]

[languages.fr]
languageName = "Français"
weight = 1

[languages.en]
languageName = "English"
weight = 2

[taxonomies]
tag = "tags"
category = "categories"

[outputs]
home = ["HTML", "RSS", "JSON"]
section = ["HTML", "RSS"]

[markup.goldmark.renderer]
unsafe = true

[markup.goldmark.parser.attribute]
block = true
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="description" content="{{ .Description }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">
{{ end }}{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<nav><a href="{{ "" | relLangURL }}">{{ .Site.Title }}</a>
<a href="{{ "articles/" | relLangURL }}">Articles</a>
<a href="{{ "categories/" | relLangURL }}">Topics</a>
<a href="{{ "tags/" | relLangURL }}">Tags</a>
{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Lang }}">{{ .Language.LanguageName }}</a>{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p>{{ with .Date }}{{ if not .IsZero }}<time>{{ .Format "2006-01-02" }}</time>{{ end }}{{ end }}
{{ with .Params.organisation }} · {{ . }}{{ end }} · {{ .ReadingTime }} min</p>
{{ .Content }}
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $paginator := .Paginate .Pages.ByDate.Reverse }}
{{ range $paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Description }}</p></article>
{{ end }}{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
{{ $paginator := .Paginate (where .Site.RegularPages "Section" "articles").ByDate.Reverse }}
{{ range $paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Description }}</p></article>
{{ end }}{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "index.json": """{{- $docs := slice -}}
{{- range .Site.RegularPages -}}
{{- $docs = $docs | append (dict "location" .RelPermalink "title" .Title "text" .Plain) -}}
{{- end -}}
{{- dict "docs" $docs | jsonify -}}
""",
}


def make_hugo(articles: Path, dest: Path) -> None:
    """A Hugo site holding the same article files (``<slug>.<lang>.md``)."""
    (dest / "content").mkdir(parents=True)
    shutil.copytree(articles, dest / "content" / "articles")
    for lang, title in (("fr", "Articles"), ("en", "Articles")):
        (dest / "content" / "articles" / f"_index.{lang}.md").write_text(f"---\ntitle: {title}\n---\n", "utf-8")
        (dest / "content" / f"_index.{lang}.md").write_text("---\ntitle: SciDigest\n---\n", "utf-8")
    (dest / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = dest / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_for(port: int, path: str, needle: bytes | None = None, timeout: float = 900, poll: float = 0.005) -> float:
    """Seconds until ``path`` answers 200 (and contains ``needle``)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            status, body = get(port, path)
            if status == 200 and (needle is None or needle in body):
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(poll)
    raise TimeoutError(f"127.0.0.1:{port}{path} never showed {needle!r}")


class Server:
    """A server process of our own, stopped by its process group."""

    def __init__(self, argv: list[str], cwd: Path, port: int, log: Path) -> None:
        self.port = port
        self.log = open(log, "wb")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)

    def ready(self, path: str = "/") -> float:
        wait_for(self.port, path)
        return time.perf_counter() - self.started

    def cpu(self) -> float:
        """CPU seconds (user + system) the server process has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def set_title(path: Path, title: str) -> None:
    text = path.read_text("utf-8")
    head, sep, rest = text.partition("\ntitle: ")
    old, _, tail = rest.partition("\n")
    path.write_text(head + sep + json.dumps(title, ensure_ascii=False) + "\n" + tail, "utf-8")


def new_article(articles: Path, n: int, token: str) -> Path:
    slug = f"ajout-{token.lower()}"
    path = articles / f"{slug}.fr.md"
    path.write_text(
        f"---\ntitle: Nouvelle étude {token}\nslug: {slug}\ndate: '2025-06-{n + 1:02d}'\nlang: fr\n"
        f"description: Une équipe publie des mesures nouvelles sur les sols forestiers.\n"
        f"organisation: CNRS\ncategories:\n- Climat\ntags:\n- sols\nkind: press-release\nreading_time: 1\n---\n\n"
        "Les chercheurs ont suivi la respiration des sols pendant trois hivers.\n", "utf-8")
    return path


def edits(port: int, articles: Path, slugs: list[str], prefix: str, count: int, label: str,
          url=lambda slug: f"/articles/{slug}/", pause: float = 0.0) -> list[float]:
    """Seconds from saving a new title to the page showing it, ``count`` times."""
    times = []
    for i in range(count):
        time.sleep(pause)
        slug = slugs[i % len(slugs)]
        wait_for(port, url(slug))  # visited (Hugo re-renders visited pages first)
        token = f"{label}{i}x{time.time_ns() % 10**9}"
        set_title(articles / f"{slug}.fr.md", f"{prefix} {token}")
        start = time.perf_counter()
        wait_for(port, url(slug), token.encode(), timeout=300)
        times.append(time.perf_counter() - start)
    return times


def additions(port: int, articles: Path, count: int, label: str, pause: float = 0.0) -> list[float]:
    times = []
    for i in range(count):
        time.sleep(pause)
        wait_for(port, "/")
        token = f"{label}{i}x{time.time_ns() % 10**9}"
        new_article(articles, i, token)
        start = time.perf_counter()
        wait_for(port, "/", token.encode(), timeout=300)
        times.append(time.perf_counter() - start)
    return times


def run_size(repo: Path, n: int, count: int, memory_edits: int, with_mkdocs: bool, pause: float) -> dict:
    row: dict = {"n": n}
    with tempfile.TemporaryDirectory(prefix=f"scidigest-preview-{n}-") as tmp:
        tmp = Path(tmp)
        ours, hugo = tmp / "ours", tmp / "hugo"
        make_ours(repo, ours)
        made = write_synthetic_articles(ours / "docs" / "articles", n, slug_prefix="bench")
        make_hugo(ours / "docs" / "articles", hugo)
        row["n_en"] = sum(m.translated for m in made)
        slugs = [m.slug for m in made if m.translated][: max(count, 10)]

        port = free_port()
        server = Server([sys.executable, "-m", "scidigest.cli", "serve", "-f", str(ours / "mkdocs.yml"),
                         "--dev-addr", f"127.0.0.1:{port}", "--cache-dir", str(tmp / "cache"), "--no-code-restart"],
                        ours, port,
                        tmp / "ours.log")
        try:
            row["start_ours"] = server.ready()
            row["start_cpu_ours"] = server.cpu()
            row["edit_ours"] = edits(port, ours / "docs" / "articles", slugs, "Titre modifié", count, "o", pause=pause)
            row["add_ours"] = additions(port, ours / "docs" / "articles", count, "oa", pause=pause)
            if memory_edits:
                rss = []
                for i in range(memory_edits):
                    edits(port, ours / "docs" / "articles", [slugs[i % len(slugs)]], "Relu", 1, f"m{i}x")
                    if i + 1 in (10, memory_edits // 2, memory_edits):
                        wait_for(port, "/search/search_index.json")  # everything stale is rendered first
                        rss.append(server.rss_mib())
                row["rss_ours"] = rss
        finally:
            server.stop()

        port = free_port()
        server = Server(["hugo", "server", "--bind", "127.0.0.1", "--port", str(port), "--baseURL",
                         f"http://127.0.0.1:{port}/", "--appendPort=false", "--disableLiveReload", "--quiet"],
                        hugo, port, tmp / "hugo.log")
        try:
            row["start_hugo"] = server.ready()
            row["edit_hugo"] = edits(port, hugo / "content" / "articles", slugs, "Titre modifié", count, "h",
                                     pause=pause)
            row["add_hugo"] = additions(port, hugo / "content" / "articles", count, "ha", pause=pause)
        finally:
            server.stop()

        if with_mkdocs:
            for path in (ours / "docs" / "articles").glob("ajout-*.md"):
                path.unlink()  # the same site the other two started with
            port = free_port()
            server = Server([sys.executable, "-m", "mkdocs", "serve", "-f", str(ours / "mkdocs.yml"),
                             "-a", f"127.0.0.1:{port}"], ours, port, tmp / "mkdocs.log")
            site_path = urlsplit(yaml.safe_load((ours / "mkdocs.yml").read_text("utf-8"))["site_url"]).path
            try:
                row["start_mkdocs"] = server.ready(site_path or "/")  # it serves under site_url's path
                row["start_cpu_mkdocs"] = server.cpu()
            finally:
                server.stop()
    print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def table(rows: list[dict]) -> str:
    med = statistics.median
    lines = [
        "| articles fr / en | first start: ours / Hugo / `mkdocs serve` (s) | ours ÷ `mkdocs serve`, wall (CPU) "
        "| save → page served, median: ours / Hugo (s) | ours ÷ Hugo | new article → home page, median: "
        "ours / Hugo (s) | ours ÷ Hugo | preview memory after 10 / N/2 / N saves (MiB) |",
        "|---|---|---:|---|---:|---|---:|---|",
    ]
    for r in rows:
        mk = r.get("start_mkdocs")
        edit, edit_h, add, add_h = (med(r[k]) for k in ("edit_ours", "edit_hugo", "add_ours", "add_hugo"))
        start_mk = f"{mk:.1f}" if mk else "–"
        vs_mk = f"{r['start_ours'] / mk:.2f} ({r['start_cpu_ours'] / r['start_cpu_mkdocs']:.2f})" if mk else "–"
        lines.append(
            f"| {r['n']} / {r['n_en']} "
            f"| {r['start_ours']:.1f} / {r['start_hugo']:.1f} / {start_mk} | {vs_mk} "
            f"| {edit:.2f} / {edit_h:.2f} | {edit / edit_h:.2f} "
            f"| {add:.2f} / {add_h:.2f} | {add / add_h:.2f} "
            f"| {' / '.join(f'{x:.0f}' for x in r.get('rss_ours') or []) or '–'} |"
        )
    lines.append("")
    lines.append("Every timing (s): " + "; ".join(
        f"{r['n']}: ours edit {[round(x, 2) for x in r['edit_ours']]}, add {[round(x, 2) for x in r['add_ours']]}; "
        f"Hugo edit {[round(x, 2) for x in r['edit_hugo']]}, add {[round(x, 2) for x in r['add_hugo']]}"
        for r in rows))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--edits", type=int, default=5, help="saves timed per measure (the median is kept)")
    parser.add_argument("--memory-edits", type=int, default=100, help="saves before the last memory reading (0: skip)")
    parser.add_argument("--pause", type=float, default=2.0,
                        help="seconds between two timed saves (a writer reads before saving again; both "
                             "servers get the time to finish the previous save's work)")
    parser.add_argument("--no-mkdocs-serve", action="store_true", help="skip the mkdocs serve start-up measure")
    parser.add_argument("--repo", type=Path, default=Path.cwd())
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    if shutil.which("hugo") is None:
        print("bench.preview: Hugo is not installed (Debian: apt-get install hugo)", file=sys.stderr)
        return 2
    rows = [run_size(args.repo.resolve(), n, args.edits, args.memory_edits, not args.no_mkdocs_serve, args.pause)
            for n in args.sizes]
    text = table(rows)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
