"""Benchmark: our site build against a bare Material + i18n build and a Hugo build of the same Markdown.

Not a test: run ``python -m scidigest.bench.site [--sizes 1000 5000 10000]``
from the repo root. For each size it writes that many synthetic French
originals (about 6 in 7 translated into English) into three temporary projects:

* ours: the repo's mkdocs.yml, theme overrides and hook (listings, feeds,
  metadata, per-language search);
* bare: Material + mkdocs-static-i18n + search, same Markdown extensions,
  the same explicit nav minus our generated pages, no hook, no overrides;
* hugo: Debian's ``hugo`` on the same files (``content/articles/<slug>.<lang>.md``,
  French at the root and English under ``/en/`` as ours), with a small theme
  written here: article pages with hreflang alternates, a paginated home,
  paginated topic and tag pages, taxonomy indexes, one RSS feed and one JSON
  search index per language, a sitemap. Like ours, its home pages stop at 5
  (10 cards each): Hugo's built-in pager loops over every page of the series
  on each page, so 500 home pages at 5,000 articles would make Hugo quadratic. When ``hugo`` is not installed the
  script says so (``apt-get install hugo``) and leaves those columns out.

Before any timed build, "ours" is built once untimed, so its preview-card
cache (``.cache/scidigest/social/``, restored by the deploy workflow) is warm;
that first build's CPU time is reported as the cold one. The timed builds run
in ``--repeat`` rounds, each round every variant once, back to back, in an
order that reverses every other round (bare, ours, hugo; hugo, ours, bare...),
so a drift of the machine's speed hits both sides of a ratio alike. Each
round gives its own ours ÷ bare ratio; the table shows their median and range,
and the best (least) time of each variant. With ``--together``, bare and ours are built in two
lanes side by side, a core each, each lane starting its next build as soon as the last one ends
(:func:`build_lanes`: only builds that ran wholly beside the other lane count), ``--repeat``
builds a lane at least; each ours build's ratio is to the bare builds beside it (:func:`lane_ratios`). Measured per build process (``os.wait4``): CPU seconds (user +
system, steadier than wall time on a shared machine), wall seconds and peak
resident memory; per site: bytes and files on disk, and the search-index bytes
each language's readers download. The script prints two Markdown tables (one
row per size; then the fitted CPU exponent between the smallest and largest
size, the ratios to bare and to Hugo, and memory per article) and, with
``--json``, the raw rows. ``--out`` writes the tables to a file.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from scidigest.site.synthetic import write_synthetic_articles

BARE_NAV = [{"Accueil": "index.md"}, {"À propos": "about.md"}]
VARIANTS = ("bare", "ours", "hugo")
HUGO_MISSING = ("hugo is not installed: the Hugo columns are left out. Install Debian's package "
                "(apt-get install hugo) to compare with it.")


def _copy_common(repo: Path, dest: Path) -> None:
    shutil.copytree(repo / "docs", dest / "docs", ignore=shutil.ignore_patterns("articles"))


def make_ours(repo: Path, dest: Path) -> None:
    _copy_common(repo, dest)
    shutil.copy2(repo / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "scripts").mkdir()
    shutil.copytree(repo / "scripts" / "theme", dest / "scripts" / "theme")
    shutil.copy2(repo / "scripts" / "hooks.py", dest / "scripts" / "hooks.py")


def make_bare(repo: Path, dest: Path) -> None:
    _copy_common(repo, dest)
    config = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config.pop("extra_css", None)
    config.pop("extra", None)
    config["theme"] = {"name": "material", "language": "fr", "font": False}
    config["nav"] = BARE_NAV
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assets = dest / "docs" / "assets"
    if assets.exists():
        shutil.rmtree(assets)


# --------------------------------------------------------------------------- Hugo
HUGO_CONFIG = """\
baseURL = "https://scidigest.github.io/scidigest/"
title = "SciDigest"
defaultContentLanguage = "fr"
defaultContentLanguageInSubdir = false
paginate = 100
rssLimit = 30
disableKinds = []
enableRobotsTXT = false

[permalinks]
  articles = "/articles/:slug/"

[taxonomies]
  tag = "tags"
  category = "categories"

[languages.fr]
  languageName = "Français"
  weight = 1
  [languages.fr.params]
    description = "L'actualité scientifique des laboratoires et des universités."
[languages.en]
  languageName = "English"
  weight = 2
  [languages.en.params]
    description = "Science news from laboratories and universities."

[outputFormats.SearchIndex]
  mediaType = "application/json"
  baseName = "search_index"
  path = "search"
  isPlainText = true

[outputs]
  home = ["HTML", "RSS", "SearchIndex"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[markup.goldmark.renderer]
  unsafe = true
[markup.goldmark.parser.attribute]
  block = true
[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} - {{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}{{ with .Site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
<meta property="og:title" content="{{ .Title }}"><meta property="og:url" content="{{ .Permalink }}">
<meta property="og:description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Params.description }}{{ end }}">
{{ if .IsPage }}<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "NewsArticle" "headline" .Title "inLanguage" .Site.Language.Lang "keywords" .Params.tags | jsonify | safeJS }}</script>{{ end }}
</head>
<body>
<header><a href="{{ "" | relLangURL }}">{{ .Site.Title }}</a>
<nav><ul>
<li><a href="{{ "" | relLangURL }}">Home</a></li>
<li><a href="{{ "articles/" | relLangURL }}">Articles</a></li>
<li><a href="{{ "categories/" | relLangURL }}">Topics</a></li>
<li><a href="{{ "tags/" | relLangURL }}">Tags</a></li>
<li><a href="{{ "about/" | relLangURL }}">About</a></li>
</ul></nav>
<ul class="lang">{{ range .Translations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></li>{{ end }}</ul>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><a href="{{ "index.xml" | relLangURL }}">RSS</a></footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p>{{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ end }}{{ with .Params.organisation }}{{ . }} · {{ end }}{{ .ReadingTime }} min</p>
{{ with .Params.source_url }}<p><a href="{{ . }}" rel="noopener">Source</a></p>{{ end }}
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ with .TableOfContents }}<nav class="toc">{{ . }}</nav>{{ end }}
{{ .Content }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .RegularPages }}
<ul class="list">{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ end }}{{ with .Params.organisation }} · {{ . }}{{ end }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
{{ $pager := .Paginate (first 50 (where .Site.RegularPages "Section" "articles")) 10 }}
<div class="cards">{{ range $pager.Pages }}<article class="card"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ end }}</p><p>{{ .Description }}</p></article>
{{ end }}</div>
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    # one entry at a time: "$docs = $docs | append ..." in a loop copies the slice each time (quadratic)
    "index.searchindex.json": """{"config":{"lang":[{{ .Site.Language.Lang | jsonify }}]},"docs":[
{{- range $i, $p := .Site.RegularPages -}}{{ if $i }},{{ end }}{{ dict "location" $p.RelPermalink "title" $p.Title "text" $p.Plain | jsonify }}{{- end -}}
]}
""",
}


def make_hugo(repo: Path, dest: Path) -> None:
    """A Hugo project for the same content (articles copied in by the caller)."""
    (dest / "content" / "articles").mkdir(parents=True)
    (dest / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        path = dest / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for lang in ("fr", "en"):
        about = repo / "docs" / f"about.{lang}.md"
        if about.exists():
            shutil.copy2(about, dest / "content" / f"about.{lang}.md")


def hugo_binary() -> str | None:
    return shutil.which("hugo")


def hugo_version(binary: str) -> str:
    out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout.strip()
    return out.split(" BuildDate")[0] if out else "unknown"


# --------------------------------------------------------------------------- measuring
def run_measured(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, int, str]:
    """(wall s, CPU s, peak RSS bytes, output) of one child process, from its own
    ``wait4`` resource usage (not the sum over every child ever waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, output


def _command(variant: str, project: Path, site: Path, hugo: str | None = None) -> tuple[list[str], dict]:
    """The build command of ``variant`` into ``site`` (removed first) and its environment."""
    if site.exists():
        shutil.rmtree(site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if variant == "hugo":
        return [hugo, "--quiet", "--source", str(project), "--destination", str(site)], env
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    if variant == "ours":
        cmd.append("--strict")
    return cmd, env


def build(variant: str, project: Path, site: Path, hugo: str | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS bytes) of one build."""
    cmd, env = _command(variant, project, site, hugo)
    wall, cpu, rss, _ = run_measured(cmd, project, env)
    return wall, cpu, rss


def build_lanes(jobs: dict[str, tuple[Path, Path]], builds: int) -> dict[str, list[tuple[float, float, int, float, float]]]:
    """Each ``variant: (project, site)`` in a lane of its own, the lanes side by side (a core
    each), each lane building again as soon as its last build ends, until every lane has
    ``builds`` builds that ran wholly while the other lanes were busy: {variant: [(wall s,
    CPU s, peak RSS bytes, start s, end s)]}, every such build (a faster lane has more).
    Every counted build thus shares the machine the same way (on a VM whose two cores are
    one core's two hyperthreads, a build alone runs about 1.6x as fast as beside another),
    and the lanes see the same slow or fast spells of a shared machine. A lane that has its
    count keeps building so the others never run alone; the builds still running when
    every lane has its count finish uncounted."""
    procs: dict[str, tuple[subprocess.Popen, float, object]] = {}
    t0 = time.perf_counter()

    def launch(variant: str) -> None:
        project, site = jobs[variant]
        cmd, env = _command(variant, project, site)
        err = tempfile.TemporaryFile()  # (a pipe could fill and stall a build that warns a lot)
        procs[variant] = (subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=err),
                          time.perf_counter() - t0, err)

    out: dict[str, list[tuple[float, float, int, float, float]]] = {v: [] for v in jobs}
    stopping = False
    for variant in jobs:
        launch(variant)
    while procs:
        pid, status, usage = os.wait4(-1, 0)
        variant = next((v for v, (proc, _, _) in procs.items() if proc.pid == pid), None)
        if variant is None:
            continue
        _, started, err = procs.pop(variant)
        ended = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            for other, _, _ in procs.values():
                other.kill()
            err.seek(0)
            raise RuntimeError(f"{variant} build failed:\n{err.read().decode('utf-8', 'replace')}")
        err.close()
        if stopping:
            continue  # a filler finishing (its site whole again for the sizes measured after)
        if len(procs) == len(jobs) - 1:  # every other lane was busy all along
            out[variant].append((ended - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
                                 started, ended))
        if any(len(runs) < builds for runs in out.values()):
            launch(variant)  # its own count, or a filler while another lane still counts
        else:
            stopping = True
    return out


def lane_ratios(ours: list[tuple], bare: list[tuple]) -> list[float]:
    """Each ours build's CPU over the mean CPU of the bare builds that ran beside it, each
    weighted by how long the two overlapped (entries as :func:`build_lanes` gives them)."""
    ratios = []
    for _, cpu, _, start, end in ours:
        weights = [(max(0.0, min(end, b_end) - max(start, b_start)), b_cpu) for _, b_cpu, _, b_start, b_end in bare]
        total = sum(w for w, _ in weights)
        if total > 0:
            ratios.append(cpu / (sum(w * c for w, c in weights) / total))
    return ratios


def tree_size(path: Path) -> tuple[int, int, int]:
    """(bytes, bytes allocated on disk, files) under ``path``."""
    size = blocks = files = 0
    for p in path.rglob("*"):
        if p.is_file():
            st = p.stat()
            size += st.st_size
            blocks += st.st_blocks * 512
            files += 1
    return size, blocks, files


def index_bytes(site: Path) -> dict[str, int]:
    """Bytes of the search index each language's readers download."""
    out = {}
    for lang, rel in (("fr", "search/search_index.json"), ("en", "en/search/search_index.json")):
        path = site / rel
        # the bare build has one shared index at the root, loaded by both languages
        out[lang] = (path if path.exists() else site / "search/search_index.json").stat().st_size
    return out


def fitted_exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(cost) over log(size): 1.0 is linear."""
    pts = [(math.log(n), math.log(c)) for n, c in points if c > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def run(repo: Path, sizes: list[int], repeat: int, variants: list[str], together: bool = False) -> list[dict]:
    hugo = hugo_binary() if "hugo" in variants else None
    if "hugo" in variants and hugo is None:
        print(HUGO_MISSING, file=sys.stderr, flush=True)
        variants = [v for v in variants if v != "hugo"]
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"scidigest-bench-{n}-") as tmp:
            tmp = Path(tmp)
            projects = {v: tmp / v for v in variants}
            articles = tmp / "articles"
            made = write_synthetic_articles(articles, n, slug_prefix="bench")
            for variant, project in projects.items():
                {"ours": make_ours, "bare": make_bare, "hugo": make_hugo}[variant](repo, project)
                dest = project / ("content" if variant == "hugo" else "docs") / "articles"
                shutil.copytree(articles, dest, dirs_exist_ok=True)
            cold = build("ours", projects["ours"], tmp / "site-ours")  # untimed: draws the cards
            print(f"  {n}: ours, cold card cache, {cold[1]:.1f} s CPU (not counted)", file=sys.stderr, flush=True)
            runs: dict[str, list[tuple[float, float, int]]] = {v: [] for v in variants}
            ratios: list[float] = []
            if together:  # bare and ours side by side, each lane always busy (no Hugo: two cores)
                lanes = build_lanes({v: (projects[v], tmp / f"site-{v}") for v in ("bare", "ours")}, repeat)
                for variant in ("bare", "ours"):
                    runs[variant] = [entry[:3] for entry in lanes[variant]]
                    print(f"  {n}: {variant} in its lane: " + ", ".join(f"{c:.1f}" for _, c, _ in runs[variant])
                          + " s CPU", file=sys.stderr, flush=True)
                ratios = lane_ratios(lanes["ours"], lanes["bare"])  # each ours build against bare beside it
            for r in range(0 if together else repeat):  # back to back, the order reversed every other round
                for variant in (variants if r % 2 == 0 else variants[::-1]):
                    runs[variant].append(build(variant, projects[variant], tmp / f"site-{variant}", hugo))
                    print(f"  {n}: {variant} {runs[variant][-1][1]:.1f} s CPU", file=sys.stderr, flush=True)
                ratios.append(runs["ours"][-1][1] / runs["bare"][-1][1])
            row: dict = {"n": n, "n_en": sum(m.translated for m in made), "load": os.getloadavg()[0],
                         "ratios": ratios, "ours_cold_cpu": cold[1], "together": together}
            for variant in variants:
                site = tmp / f"site-{variant}"
                size, disk, files = tree_size(site)
                row[variant] = {
                    "wall": min(w for w, _, _ in runs[variant]), "cpu": min(c for _, c, _ in runs[variant]),
                    "rss": min(r for _, _, r in runs[variant]), "bytes": size, "disk": disk, "files": files,
                }
                if variant != "hugo":
                    row[variant]["index"] = index_bytes(site)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    return rows


def tables(rows: list[dict]) -> str:
    mb = 1024 * 1024
    has_hugo = all("hugo" in r for r in rows)
    head = ("| articles fr / en | CPU s: bare / ours" + (" / Hugo" if has_hugo else "")
            + " | ours ÷ bare, CPU: median of rounds (range) | ours ÷ bare, best of each"
            + (" | ours ÷ Hugo, CPU" if has_hugo else "")
            + " | site MB: bare / ours" + (" / Hugo" if has_hugo else "") + " | ours ÷ bare, size"
            + " | files: bare / ours" + (" / Hugo" if has_hugo else "")
            + " | peak RSS MB: bare / ours" + (" / Hugo" if has_hugo else "")
            + " | search index per reader fr / en, KB: bare → ours |")
    lines = [head, "|" + "---|" * (head.count(" | ") + 1)]
    for r in rows:
        b, o, h = r["bare"], r["ours"], r.get("hugo")
        cpu = f"{b['cpu']:.1f} / {o['cpu']:.1f}" + (f" / {h['cpu']:.1f}" if has_hugo else "")
        size = f"{b['bytes'] / mb:.1f} / {o['bytes'] / mb:.1f}" + (f" / {h['bytes'] / mb:.1f}" if has_hugo else "")
        files = f"{b['files']} / {o['files']}" + (f" / {h['files']}" if has_hugo else "")
        rss = f"{b['rss'] / mb:.0f} / {o['rss'] / mb:.0f}" + (f" / {h['rss'] / mb:.0f}" if has_hugo else "")
        idx = (f"{b['index']['fr'] / 1024:.0f} → {o['index']['fr'] / 1024:.0f} / "
               f"{b['index']['en'] / 1024:.0f} → {o['index']['en'] / 1024:.0f}")
        ratios = sorted(r.get("ratios") or [o["cpu"] / b["cpu"]])
        mid = len(ratios) // 2
        median = ratios[mid] if len(ratios) % 2 else (ratios[mid - 1] + ratios[mid]) / 2
        lines.append(
            f"| {r['n']:,} / {r['n_en']:,} | {cpu} | {median:.2f} ({ratios[0]:.2f}–{ratios[-1]:.2f})"
            f" | {o['cpu'] / b['cpu']:.2f}"
            + (f" | {o['cpu'] / h['cpu']:.2f}" if has_hugo else "")
            + f" | {size} | {o['bytes'] / b['bytes']:.2f} | {files} | {rss} | {idx} |"
        )
    out = "\n".join(lines) + "\n"
    if len(rows) >= 2:
        variants = [v for v in VARIANTS if all(v in r for r in rows)]
        first, last = rows[0]["n"], rows[-1]["n"]
        sizes = ", ".join(f"{r['n']:,}" for r in rows)
        lines = [f"\n| fitted over {sizes} articles | "
                 + " | ".join(variants) + " |", "|---|" + "---|" * len(variants)]
        lines.append("| CPU exponent (log-log slope; 1.00 = linear) | " + " | ".join(
            f"{fitted_exponent([(r['n'], r[v]['cpu']) for r in rows]):.3f}" for v in variants) + " |")
        lines.append(f"| CPU ms per article at {first:,} → {last:,} | " + " | ".join(
            f"{1000 * rows[0][v]['cpu'] / first:.1f} → {1000 * rows[-1][v]['cpu'] / last:.1f}" for v in variants) + " |")
        lines.append(f"| peak RSS KB per article at {first:,} → {last:,} | " + " | ".join(
            f"{rows[0][v]['rss'] / 1024 / first:.1f} → {rows[-1][v]['rss'] / 1024 / last:.1f}" for v in variants) + " |")
        lines.append("| peak RSS growth exponent | " + " | ".join(
            f"{fitted_exponent([(r['n'], r[v]['rss']) for r in rows]):.3f}" for v in variants) + " |")
        lines.append(f"| site KB per article at {first:,} → {last:,} | " + " | ".join(
            f"{rows[0][v]['bytes'] / 1024 / first:.1f} → {rows[-1][v]['bytes'] / 1024 / last:.1f}" for v in variants) + " |")
        out += "\n".join(lines) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="rounds: each variant built once per round")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--repo", type=Path, default=Path.cwd())
    parser.add_argument("--out", type=Path, help="also write the tables to this file")
    parser.add_argument("--json", type=Path, help="also write the raw rows to this file")
    parser.add_argument("--together", action="store_true",
                        help="build bare and ours side by side, two lanes always busy (a core each; no Hugo)")
    args = parser.parse_args(argv)
    if "ours" not in args.variants or "bare" not in args.variants:
        parser.error("--variants must include ours and bare (the ratios are to bare)")
    if args.together and set(args.variants) != {"ours", "bare"}:
        parser.error("--together builds bare and ours only: --variants bare ours")
    hugo = hugo_binary()
    print(f"hugo: {hugo_version(hugo) if hugo else 'not installed'}", file=sys.stderr, flush=True)
    rows = run(args.repo.resolve(), sorted(args.sizes), args.repeat, args.variants, together=args.together)
    table = tables(rows)
    if "hugo" in args.variants and hugo is None:
        table += f"\n{HUGO_MISSING}\n"
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
