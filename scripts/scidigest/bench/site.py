"""Benchmark: our site build against a bare Material + i18n build of the same Markdown.

Not a test: run ``python -m scidigest.bench.site [--sizes 100 500 2000]`` from
the repo root. For each size it writes that many synthetic French originals
(about 6 in 7 translated into English) into two temporary projects:

* ours: the repo's mkdocs.yml, theme overrides and hook (listings, feeds,
  metadata, per-language search);
* bare: Material + mkdocs-static-i18n + search, same Markdown extensions,
  the same explicit nav minus our generated pages, no hook, no overrides.

Both are built in the same run, alternately (bare, ours, bare, ours...,
``--repeat`` times each, so a change of machine load hits both), and the best
time of each is kept. The script prints a Markdown table: wall-clock build
seconds and ratio (target: ours <= 1.15 x bare), the same ratio in CPU
seconds of the build process (steadier on a shared machine), site size, and
search-index bytes each language's readers download. ``--out`` writes it to
a file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from scidigest.site.synthetic import write_synthetic_articles

BARE_NAV = [{"Accueil": "index.md"}, {"À propos": "about.md"}]


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
    config["theme"] = {"name": "material", "language": "fr", "font": False}
    config["nav"] = BARE_NAV
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assets = dest / "docs" / "assets"
    if assets.exists():
        shutil.rmtree(assets)


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(project: Path, site: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``mkdocs build`` subprocess."""
    if site.exists():
        shutil.rmtree(site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cpu = _child_cpu()
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                           "-d", str(site)], cwd=project, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"build of {project} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed, _child_cpu() - cpu


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def index_bytes(site: Path) -> dict[str, int]:
    """Bytes of the search index each language's readers download."""
    out = {}
    for lang, rel in (("fr", "search/search_index.json"), ("en", "en/search/search_index.json")):
        path = site / rel
        # the bare build has one shared index at the root, loaded by both languages
        out[lang] = (path if path.exists() else site / "search/search_index.json").stat().st_size
    return out


def index_langs(site: Path) -> str:
    langs = []
    for rel in ("search/search_index.json", "en/search/search_index.json"):
        if (site / rel).exists():
            langs.append("+".join(json.loads((site / rel).read_text(encoding="utf-8"))["config"]["lang"]))
    return " / ".join(langs)


def run(repo: Path, sizes: list[int], repeat: int) -> str:
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"scidigest-bench-{n}-") as tmp:
            tmp = Path(tmp)
            ours, bare = tmp / "ours", tmp / "bare"
            make_ours(repo, ours)
            make_bare(repo, bare)
            made = write_synthetic_articles(ours / "docs" / "articles", n, slug_prefix="bench")
            shutil.copytree(ours / "docs" / "articles", bare / "docs" / "articles")
            n_en = sum(m.translated for m in made)
            runs: dict[str, list[tuple[float, float]]] = {"bare": [], "ours": []}
            for _ in range(repeat):  # alternate, so load changes hit both variants
                runs["bare"].append(build(bare, tmp / "site-bare"))
                runs["ours"].append(build(ours, tmp / "site-ours"))
            t_bare, t_ours = (min(w for w, _ in runs[k]) for k in ("bare", "ours"))
            c_bare, c_ours = (min(c for _, c in runs[k]) for k in ("bare", "ours"))
            row = {
                "n": n, "n_en": n_en, "bare": t_bare, "ours": t_ours, "ratio": t_ours / t_bare,
                "cpu_bare": c_bare, "cpu_ours": c_ours, "cpu_ratio": c_ours / c_bare,
                "size_bare": tree_bytes(tmp / "site-bare"), "size_ours": tree_bytes(tmp / "site-ours"),
                "idx_bare": index_bytes(tmp / "site-bare"), "idx_ours": index_bytes(tmp / "site-ours"),
                "langs_bare": index_langs(tmp / "site-bare"), "langs_ours": index_langs(tmp / "site-ours"),
            }
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    mb = 1024 * 1024
    lines = [
        "| articles fr / en | bare build (s) | ours (s) | ours / bare | CPU s bare → ours | CPU ours / bare "
        "| site bare (MB) | site ours (MB) "
        "| search index fr: bare → ours (KB) | search index en: bare → ours (KB) | index languages bare → ours |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']} / {r['n_en']} | {r['bare']:.1f} | {r['ours']:.1f} | {r['ratio']:.2f} "
            f"| {r['cpu_bare']:.1f} → {r['cpu_ours']:.1f} | {r['cpu_ratio']:.2f} "
            f"| {r['size_bare'] / mb:.1f} | {r['size_ours'] / mb:.1f} "
            f"| {r['idx_bare']['fr'] / 1024:.0f} → {r['idx_ours']['fr'] / 1024:.0f} "
            f"| {r['idx_bare']['en'] / 1024:.0f} → {r['idx_ours']['en'] / 1024:.0f} "
            f"| {r['langs_bare']} → {r['langs_ours']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--repeat", type=int, default=1, help="builds per variant; the best time is kept")
    parser.add_argument("--repo", type=Path, default=Path.cwd())
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    table = run(args.repo.resolve(), args.sizes, args.repeat)
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
