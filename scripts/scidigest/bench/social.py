"""Benchmark: the articles' preview cards (scidigest.site.pagecards).

Not a test: ``python -m scidigest.bench.social [--articles 2333] [--cards 200]``
from the repo root. Prints:

* the cost of one card: drawing + PNG (ms, median and mean over ``--cards``
  synthetic titles) and its bytes;
* the build at ``--articles`` synthetic French originals (2,333: 2,000 English
  translations, as scidigest.bench.lighthouse): bare Material + i18n (as
  scidigest.bench.site), ours with an empty card cache (cold: every card drawn),
  ours again with the cache kept (warm: every card linked from the cache), CPU
  seconds of each build process (``os.wait4``), and the cards' bytes in the site.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scidigest.bench.site import build, make_bare, make_ours
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
    del made
    return {"cards": len(times), "ms_median": 1000 * statistics.median(times), "ms_mean": 1000 * statistics.mean(times),
            "bytes_mean": statistics.mean(sizes)}


def build_cost(repo: Path, n: int) -> dict:
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
        row["warm"] = build("ours", projects["ours"], tmp / "site-ours")[1]
        print(f"  ours, warm cache {row['warm']:.1f} s CPU", file=sys.stderr, flush=True)
        folder = tmp / "site-ours" / pagecards.CARDS_DIR
        row["cards"] = sum(1 for _ in folder.iterdir())
        row["cards_bytes"] = sum(p.stat().st_size for p in folder.iterdir())
        row["cache_files"] = sum(1 for _ in cache.glob("*.png"))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2333)
    parser.add_argument("--cards", type=int, default=200)
    args = parser.parse_args(argv)
    cost = card_cost(args.cards)
    print(json.dumps(cost))
    row = build_cost(Path.cwd(), args.articles)
    print(json.dumps(row))
    print(f"| {row['n']:,} / {row['n_en']:,} | {row['bare']:.1f} | {row['cold']:.1f} ({row['cold'] / row['bare']:.2f}x) "
          f"| {row['warm']:.1f} ({row['warm'] / row['bare']:.2f}x) | {row['cards']:,} cards, "
          f"{row['cards_bytes'] / 1e6:.1f} MB | {cost['ms_median']:.1f} ms, {cost['bytes_mean'] / 1000:.1f} KB |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
