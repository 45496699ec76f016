"""Benchmark: the articles' preview cards (scidigest.site.pagecards).

Not a test: ``python -m scidigest.bench.social [--articles 2333] [--cards 200]``
from the repo root. Prints:

* the cost of one card: drawing + PNG (ms, median and mean over ``--cards``
  synthetic titles) and its bytes;
* the build at ``--articles`` synthetic French originals (2,333: 2,000 English
  translations, as scidigest.bench.lighthouse): bare Material + i18n (as
  scidigest.bench.site), ours with an empty card cache (cold: every card drawn),
  ours again with the cache kept (warm: every card linked from the cache), CPU
  seconds of each build process (``os.wait4``), and the cards' bytes in the site;
  and ours with the cards left out (``pagecards.write_card`` replaced in that
  process by one that writes nothing: the same pages, no PNG), so the cards' own
  share of the build is the warm build less that one. The two are built
  alternately ``--repeat`` times and the best of each kept.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scidigest.bench.site import build, make_bare, make_ours, run_measured
from scidigest.site import pagecards
from scidigest.site.catalogue import load_articles
from scidigest.site.synthetic import write_synthetic_articles


def card_cost(count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="scidigest-bench-cards-") as tmp:
        made = write_synthetic_articles(Path(tmp), max(1, count // 2 + 1), slug_prefix="bench")
        arts = load_articles(Path(tmp))[:count]
        pagecards.draw(pagecards.CardText.of(arts[0], "SciDigest"))  # fonts and logo loaded once
        times, sizes = [], []
        for a in arts:
            start = time.perf_counter()
            data = pagecards.draw(pagecards.CardText.of(a, "SciDigest"))
            times.append(time.perf_counter() - start)
            sizes.append(len(data))
        cache = Path(tmp) / "cache"
        for a in arts:  # fill the cache, then what a warm build pays per card: key, look-up, link
            pagecards.write_card(a, "SciDigest", Path(tmp) / "site-0", cache)
        start = time.process_time()
        for a in arts:
            pagecards.write_card(a, "SciDigest", Path(tmp) / "site-1", cache)
        warm = (time.process_time() - start) / len(arts)
    del made
    return {"cards": len(times), "ms_median": 1000 * statistics.median(times), "ms_mean": 1000 * statistics.mean(times),
            "bytes_mean": statistics.mean(sizes), "warm_ms_cpu": 1000 * warm}


#: mkdocs build with the cards left out (the hook's pages unchanged: the same paths, no file)
_NO_CARDS = ("import sys; from scidigest.site import pagecards as p; "
             "p.write_card = lambda a, name, site, cache: p.card_url(a.lang, a.slug); "
             "from mkdocs.__main__ import cli; sys.argv[0] = 'mkdocs'; cli()")


def build_without_cards(project: Path, site: Path) -> float:
    if site.exists():
        shutil.rmtree(site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-c", _NO_CARDS, "build", "-q", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    return run_measured(cmd, project, env)[1]


def build_cost(repo: Path, n: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"scidigest-bench-social-{n}-") as tmp:
        tmp = Path(tmp)
        articles = tmp / "articles"
        made = write_synthetic_articles(articles, n, slug_prefix="bench")
        projects = {"bare": tmp / "bare", "ours": tmp / "ours"}
        make_bare(repo, projects["bare"])
        make_ours(repo, projects["ours"])
        for project in projects.values():
            shutil.copytree(articles, project / "docs" / "articles", dirs_exist_ok=True)
        cache = projects["ours"] / pagecards.CACHE_DIR
        row: dict = {"n": n, "n_en": sum(m.translated for m in made)}
        row["bare"] = build("bare", projects["bare"], tmp / "site-bare")[1]
        print(f"  bare {row['bare']:.1f} s CPU", file=sys.stderr, flush=True)
        shutil.rmtree(cache, ignore_errors=True)
        row["cold"] = build("ours", projects["ours"], tmp / "site-ours")[1]
        print(f"  ours, cold cache {row['cold']:.1f} s CPU", file=sys.stderr, flush=True)
        warm, none = [], []
        for _ in range(repeat):
            none.append(build_without_cards(projects["ours"], tmp / "site-nocards"))
            print(f"  ours, no cards {none[-1]:.1f} s CPU", file=sys.stderr, flush=True)
            warm.append(build("ours", projects["ours"], tmp / "site-ours")[1])
            print(f"  ours, warm cache {warm[-1]:.1f} s CPU", file=sys.stderr, flush=True)
        row["warm"], row["nocards"] = min(warm), min(none)
        folder = tmp / "site-ours" / pagecards.CARDS_DIR
        row["cards"] = sum(1 for _ in folder.iterdir())
        row["cards_bytes"] = sum(p.stat().st_size for p in folder.iterdir())
        row["cache_files"] = sum(1 for _ in cache.glob("*.png"))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2333)
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cards-only", action="store_true", help="the cost of one card, no site build")
    args = parser.parse_args(argv)
    cost = card_cost(args.cards)
    print(json.dumps(cost))
    if args.cards_only:
        return 0
    row = build_cost(Path.cwd(), args.articles, args.repeat)
    print(json.dumps(row))
    print("| articles fr / en | CPU s: bare | ours without cards | ours, cold cache | ours, warm cache "
          "| cards in the site | one card |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {row['n']:,} / {row['n_en']:,} | {row['bare']:.1f} | {row['nocards']:.1f} ({row['nocards'] / row['bare']:.2f}x) "
          f"| {row['cold']:.1f} ({row['cold'] / row['bare']:.2f}x) "
          f"| {row['warm']:.1f} ({row['warm'] / row['bare']:.2f}x; cards {row['warm'] - row['nocards']:+.1f} s) "
          f"| {row['cards']:,} cards, "
          f"{row['cards_bytes'] / 1e6:.1f} MB | {cost['ms_median']:.1f} ms, {cost['bytes_mean'] / 1000:.1f} KB |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
