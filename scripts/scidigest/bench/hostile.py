"""Hostile articles against normal ones: build time of the site, in the same run.

    python -m scidigest.bench.hostile [--size 16000] [--repeat 2] [--out FILE]

Writes two copies of the project's site (its ``mkdocs.yml``, theme and hook,
its own pages) into a temporary folder: one whose ``docs/articles/`` holds
one article per hostile form below, **twice** (the raw attack, past the limits
of :mod:`scidigest.limits`, and the same form scaled to the most those limits
allow), the other as many normal articles of the same length (the text of a
real press release, repeated). Both are built with ``mkdocs build`` and timed
(CPU of the child, best of ``--repeat``); the target is hostile ≤ 3 × normal.
``scidigest check`` and ``scidigest ingest`` (the same bodies as ``.txt``
sources) are timed over both sets too.

The hostile forms are what the issue listed and what profiling found: long
runs of ``[``, backticks, digits, ``<``, mixed emphasis markers, thousands of
headings or tags, deep lists and quotes, long lines, many footnotes, links,
abbreviations, code blocks, table rows. :func:`hostile_bodies` and
:func:`normal_body` are also what ``tests/site/test_hostile_render.py`` uses.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from scidigest import limits

#: a paragraph of ordinary French prose (written for these tests)
PROSE = ("Les chercheurs de l'institut ont suivi pendant trois ans deux cents patients atteints d'une "
         "forme rare d'épilepsie. Ils ont observé que la stimulation douce d'une petite région du cerveau "
         "réduisait de moitié la fréquence des crises, sans effet secondaire notable. L'équipe prépare "
         "désormais un essai plus large avec des hôpitaux de Lyon, de Lille et de Bordeaux.")

#: name -> payload(k): the hostile text with k repetitions of its unit
PAYLOADS: dict[str, Callable[[int], str]] = {
    "open-brackets": lambda k: "[" * k,
    "open-brackets-words": lambda k: "[mot " * k,
    "nested-brackets": lambda k: "[" * k + "x" + "]" * k,
    "open-parens-after-links": lambda k: "[](" * k,
    "image-openers": lambda k: "![" * k,
    "backtick-run": lambda k: "`" * k,
    "backtick-mixed-runs": lambda k: "".join("`" * (i % 7 + 1) + "a" for i in range(k)),
    "digits": lambda k: "7" * k,
    "list-markers-one-line": lambda k: "1. " * k + "fin",
    "bullet-markers-one-line": lambda k: "- " * k + "fin",
    "tag-starts": lambda k: "<a" * k,
    "angle-run": lambda k: "<" * k,
    "emphasis-markers": lambda k: "*_**__" * k,
    "emphasis-words": lambda k: "*a _b **c __d " * k,
    "headings-same-text": lambda k: "\n\n".join(["## Résultats"] * k),
    "headings-numbered": lambda k: "\n\n".join(f"### Partie {i}" for i in range(k)),
    "nested-list": lambda k: "\n".join("    " * i + "- point" for i in range(k)),
    "nested-quote": lambda k: "\n".join(">" * (i + 1) + " citation" for i in range(k)),
    "quote-markers-one-line": lambda k: ">" * k + " fin",
    "long-line": lambda k: "mot " * k,
    "footnotes": lambda k: " ".join(f"note[^{i}]" for i in range(k)) + "\n\n"
                           + "\n".join(f"[^{i}]: Une note." for i in range(k)),
    "links": lambda k: " ".join(f"[lien {i}](https://example.org/{i})" for i in range(k)),
    "abbreviations": lambda k: " ".join(f"AB{i}" for i in range(k)) + "\n\n"
                               + "\n".join(f"*[AB{i}]: Abréviation {i}" for i in range(k)),
    "code-fences": lambda k: "\n\n".join(["```\ncode\n```"] * k),
    "table-rows": lambda k: "| a | b |\n|---|---|\n" + "\n".join(f"| {i} | x |" for i in range(k)),
    "attribute-lists": lambda k: "\n\n".join(["Un paragraphe.\n{: .caption }"] * k),
    "html-blocks": lambda k: "\n\n".join(["<div markdown>\n*a*\n</div>"] * k),
    "entities": lambda k: "&amp;" * k,
}
#: hostile front matter (the body is normal): name -> (key, values(k))
FRONT_MATTER: dict[str, tuple[str, Callable[[int], object]]] = {
    "tags": ("tags", lambda k: [f"mot-clé {i}" for i in range(k)]),
    "categories": ("categories", lambda k: [f"thème {i}" for i in range(k)]),
    "description": ("description", lambda k: "Une description très longue. " * k),
}


def normal_body(size: int) -> str:
    """Ordinary prose with a heading every few paragraphs, about ``size`` characters."""
    parts, n = [], 0
    while n < size:
        if parts and len(parts) % 4 == 0:
            parts.append(f"## Section {len(parts) // 4}")
        parts.append(PROSE)
        n += len(parts[-1]) + 2
    return "\n\n".join(parts) + "\n"


def _with_payload(payload: str) -> str:
    return f"{PROSE}\n\n{payload}\n\n{PROSE}\n"


def _fill(unit: Callable[[int], str], size: int) -> int:
    """The k at which ``unit(k)`` is about ``size`` characters."""
    k = 1
    while len(unit(k)) < size:
        k *= 2
    lo, hi = k // 2, k
    while lo < hi:
        mid = (lo + hi) // 2
        if len(unit(mid)) < size:
            lo = mid + 1
        else:
            hi = mid
    return max(1, lo)


def _largest_within(ok: Callable[[int], bool], high: int) -> int:
    """The largest k ≤ ``high`` with ok(k) (ok is monotone: true up to some k)."""
    lo, hi = 0, high
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def hostile_bodies(size: int, *, past: bool = True, within: bool = True) -> dict[str, str]:
    """name -> body of about ``size`` characters: ``<form>-past`` (the raw attack) and
    ``<form>-within`` (the most of it that :mod:`scidigest.limits` accepts in one
    paragraph, in as many paragraphs as they accept, then prose up to ``size``)."""
    out: dict[str, str] = {}
    for name, unit in PAYLOADS.items():
        k = _fill(unit, size)
        if past:
            out[f"{name}-past"] = _with_payload(unit(k))
        if within:
            best = _largest_within(lambda j, u=unit: not limits.body_breaches(_with_payload(u(j))), k)
            if best:
                # then as many such paragraphs as the limits take, up to the same size
                block = _with_payload(unit(best))
                times = _largest_within(lambda m, b=block: not limits.body_breaches(b * m), max(1, size // len(block)))
                body = block * max(1, times)
                filler = "\n\n".join([PROSE] * max(0, (size - len(body)) // (len(PROSE) + 2))) + "\n\n"
                padded = filler + body  # prose first: the payload's own costs stay what they were
                out[f"{name}-within"] = body if limits.body_breaches(padded) else padded
    return out


def hostile_front_matter(*, past: bool = True, within: bool = True) -> dict[str, dict]:
    """name -> front-matter fields to lay over a normal article's."""
    out: dict[str, dict] = {}
    for name, (key, values) in FRONT_MATTER.items():
        if past:
            out[f"{name}-past"] = {key: values(2000)}
        if within:
            best = _largest_within(lambda j, v=values, kk=key: not limits.meta_breaches({kk: v(j)}), 2000)
            out[f"{name}-within"] = {key: values(best)}
    return out


def front_matter(slug: str, **extra) -> dict:
    meta = {
        "title": f"Article {slug}", "slug": slug, "date": "2024-03-14", "lang": "fr",
        "description": "Une étude sur la stimulation cérébrale et l'épilepsie.", "organisation": "Inserm",
        "authors": [], "categories": ["Cerveau"], "tags": ["épilepsie", "neurones"], "kind": "press-release",
        "input_kind": "plain-text", "reading_time": 3,
    }
    meta.update(extra)
    return meta


def write_article(articles: Path, slug: str, body: str, **extra) -> Path:
    path = articles / f"{slug}.fr.md"
    text = "---\n" + yaml.safe_dump(front_matter(slug, **extra), allow_unicode=True, sort_keys=False) + "---\n\n" + body
    path.write_text(text, encoding="utf-8")
    return path


def hostile_set(size: int) -> list[tuple[str, str, dict]]:
    """(slug, body, front-matter overrides) of every hostile article."""
    items = [(f"hostile-{name}", body, {}) for name, body in hostile_bodies(size).items()]
    items += [(f"hostile-fm-{name}", normal_body(size), fields) for name, fields in hostile_front_matter().items()]
    return items


def make_project(repo: Path, dest: Path, articles: list[tuple[str, str, dict]]) -> None:
    """The project's site configuration, theme, hook and pages, with these articles."""
    shutil.copytree(repo / "docs", dest / "docs", ignore=shutil.ignore_patterns("articles"))
    shutil.copy2(repo / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "scripts").mkdir()
    shutil.copytree(repo / "scripts" / "theme", dest / "scripts" / "theme")
    shutil.copy2(repo / "scripts" / "hooks.py", dest / "scripts" / "hooks.py")
    target = dest / "docs" / "articles"
    target.mkdir()
    for slug, body, extra in articles:
        write_article(target, slug, body, **extra)
    sources = dest / "sources"
    sources.mkdir()
    for slug, body, _ in articles:
        (sources / f"{slug}.txt").write_text(f"Une étude sur les neurones\n\n{body}", encoding="utf-8")


def run_child(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, int, str]:
    """(CPU s, wall s, exit code, output) of one child, from its own ``wait4`` usage."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    return (usage.ru_utime + usage.ru_stime, time.perf_counter() - start,
            os.waitstatus_to_exitcode(status), output)


def _best(cmd: list[str], cwd: Path, repeat: int, env: dict) -> tuple[float, float]:
    """(CPU s, wall s) of the best of ``repeat`` runs; exit 1 (findings, failed sources) is
    an answer, anything else a failure of the benchmark."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        cpu, wall, code, output = run_child(cmd, cwd, env)
        if code not in (0, 1):
            raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{output[-2000:]}")
        best = min(best, (cpu, wall))
    return best


def measure(repo: Path, size: int, repeat: int) -> dict:
    hostile = hostile_set(size)
    normal = [(f"normal-{i:03d}", normal_body(size), {}) for i in range(len(hostile))]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(repo / "scripts")}
    rows: dict = {"articles": len(hostile), "size": size}
    with tempfile.TemporaryDirectory(prefix="sd-hostile-") as tmp:
        for label, items in (("normal", normal), ("hostile", hostile)):
            project = Path(tmp) / label
            make_project(repo, project, items)
            build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                     "-d", str(project / "site")]
            check = [sys.executable, "-m", "scidigest.cli", "check", "--rule", "limits", "--rule", "html",
                     "--rule", "front-matter"]
            ingest = [sys.executable, "-m", "scidigest.cli", "ingest", "sources", "--out", str(project / "ingested")]
            rows[label] = {
                "build": _best(build, project, repeat, env),
                "check": _best(check, project, repeat, env),
                "ingest": _best(ingest, project, 1, env),
            }
            print(f"{label}: {rows[label]}", file=sys.stderr, flush=True)
    return rows


def table(rows: dict) -> str:
    n, size = rows["articles"], rows["size"]
    lines = [f"{n} hostile articles (each form past the limits and at the most the limits allow) against "
             f"{n} normal articles, each about {size:,} characters; CPU seconds of the child process, best of the runs",
             "", "| step | normal | hostile | hostile ÷ normal |", "|---|---:|---:|---:|"]
    for step in ("build", "check", "ingest"):
        a, b = rows["normal"][step][0], rows["hostile"][step][0]
        lines.append(f"| {step} | {a:.1f} s | {b:.1f} s | {b / a:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=16_000, help="characters per article body")
    parser.add_argument("--repeat", type=int, default=2, help="builds per set; the best is kept")
    parser.add_argument("--repo", type=Path, default=Path.cwd())
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--list", action="store_true", help="print the hostile articles' names and sizes, build nothing")
    args = parser.parse_args(argv)
    if args.list:
        for slug, body, extra in hostile_set(args.size):
            print(f"{slug}\t{len(body)}\t{','.join(extra) or '-'}\t{limits.article_breaches({**extra}, body)[:1]}")
        return 0
    text = table(measure(args.repo.resolve(), args.size, args.repeat))
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
