"""Rule family ``structure``: duplicate slugs, translations without their
original, articles whose source is gone, orphan or invalid sidecars."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from ..safefiles import UnsafeFileError
from ..schema import schema as article_schema
from ..sidecar import ALLOWED_KEYS, SIDECAR_SUFFIX
from .findings import ERROR, Finding
from .tree import ARTICLE_NAME, ARTICLES_DIR, MarkdownFile, Tree, load_yaml, read_sidecar_text


def _slug_lang(a: MarkdownFile) -> tuple[str | None, str | None]:
    m = ARTICLE_NAME.match(a.path.name)
    slug = a.meta.get("slug") if isinstance(a.meta.get("slug"), str) else (m and m["slug"])
    lang = a.meta.get("lang") if isinstance(a.meta.get("lang"), str) else (m and m["lang"])
    return slug, lang


def check_duplicate_slugs(tree: Tree) -> list[Finding]:
    out = []
    by_key: dict[tuple, list[MarkdownFile]] = defaultdict(list)
    originals: dict[str, list[MarkdownFile]] = defaultdict(list)
    for a in tree.articles:
        slug, lang = _slug_lang(a)
        if not slug:
            continue
        by_key[(slug, lang)].append(a)
        if "translation" not in a.meta:
            originals[slug].append(a)
    for (slug, lang), files in sorted(by_key.items(), key=lambda kv: str(kv[0])):
        if len(files) > 1:
            first = files[0].path.as_posix()
            for dup in files[1:]:
                out.append(Finding(dup.path.as_posix(), dup.line_of("slug"), ERROR,
                                   "duplicate-slug",
                                   f"slug {slug!r} ({lang}) is also used by {first}",
                                   "give one of the articles another slug (set `slug:` in its "
                                   "source's sidecar and re-run `scidigest ingest`)"))
    for slug, files in sorted(originals.items()):
        if len(files) > 1:
            first = files[0].path.as_posix()
            for dup in files[1:]:
                out.append(Finding(dup.path.as_posix(), dup.line_of("slug"), ERROR,
                                   "duplicate-slug",
                                   f"slug {slug!r} is the slug of two originals: {first} and this "
                                   "one (a second language version must be a translation)",
                                   "give this article another slug, or make it the translation "
                                   "of the other with `scidigest translate`"))
    return out


def check_translation_originals(tree: Tree) -> list[Finding]:
    out = []
    present = {a.path.name for a in tree.articles}
    for a in tree.articles:
        info = a.meta.get("translation")
        if not isinstance(info, dict):
            continue
        m = ARTICLE_NAME.match(a.path.name)
        src_lang = info.get("from")
        if not m or not isinstance(src_lang, str):
            continue
        original = f"{m['slug']}.{src_lang}.md"
        if original not in present:
            out.append(Finding(a.path.as_posix(), a.line_of("translation", "from") or 1, ERROR,
                               "translation-without-original",
                               f"translation of {(ARTICLES_DIR / original).as_posix()}, "
                               "which does not exist",
                               "delete this translation, or restore/rename the original so "
                               f"that it is {(ARTICLES_DIR / original).as_posix()}"))
    return out


def check_article_sources(tree: Tree) -> list[Finding]:
    out = []
    for a in tree.articles:
        if "translation" in a.meta:
            continue
        src = a.meta.get("source_file")
        if isinstance(src, str) and src and not (tree.root / src).is_file() \
                and not (tree.root / "sources" / src).is_file():
            out.append(Finding(a.path.as_posix(), a.line_of("source_file"), ERROR,
                               "article-without-source",
                               f"generated from {src!r}, which is not in the repository",
                               "restore the source file, or delete this article and its "
                               "translations if the source was removed on purpose"))
    return out


def _sidecar_stem(p: Path, suffix: str) -> str:
    return p.name[: -len(suffix)]


def check_sidecars(tree: Tree) -> list[Finding]:
    out = []
    suffix = SIDECAR_SUFFIX
    stems = defaultdict(list)
    for s in tree.sources:
        stems[s.name.split(".", 1)[0] if "." in s.name else s.name].append(s)
        stems[s.stem].append(s)
    allowed = ALLOWED_KEYS
    props = article_schema()["properties"]
    for sc in tree.sidecars:
        f = sc.as_posix()
        stem = _sidecar_stem(sc, suffix)
        if not stems.get(stem):
            out.append(Finding(f, None, ERROR, "orphan-sidecar",
                               f"sidecar for a source named {stem}.* but there is no such source",
                               f"rename it to match its source (sources/<name>{suffix} next to "
                               "sources/<name>.<ext>) or delete it"))
        try:
            doc = load_yaml(read_sidecar_text(tree.root / sc))
        except (UnsafeFileError, OSError) as exc:
            out.append(Finding(f, None, ERROR, "sidecar",
                               f"sidecar not read: {exc if isinstance(exc, UnsafeFileError) else exc.strerror}",
                               "make it a plain YAML file of a few lines (not a link, a pipe or a device)"))
            continue
        if doc.error:
            out.append(Finding(f, doc.error_line, ERROR, "sidecar-yaml",
                               f"sidecar is not valid YAML: {doc.error}",
                               "fix the YAML syntax on that line"))
            continue
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            out.append(Finding(f, 1, ERROR, "sidecar",
                               "sidecar must be a mapping of field: value",
                               "write one `field: value` per line"))
            continue
        for key in sorted(map(str, doc.data)):
            if key not in allowed:
                out.append(Finding(f, doc.lines.get((key,)), ERROR, "sidecar-key",
                                   f"field `{key}` cannot be set in a sidecar",
                                   "use only: " + ", ".join(sorted(allowed))))
                continue
            v = Draft202012Validator(props[key], format_checker=FormatChecker())
            for err in v.iter_errors(doc.data[key]):
                out.append(Finding(f, doc.lines.get((key,)), ERROR, "sidecar-value",
                                   f"`{key}`: {err.message}",
                                   "correct the value (dates as \"YYYY-MM-DD\" in quotes, URLs "
                                   "starting with https://)"))
    return out


def check_refused(tree: Tree) -> list[Finding]:
    return [Finding(p.as_posix(), None, ERROR, "not-a-file", f"not read: {reason}",
                    "replace it with a regular Markdown file (not a link, a pipe or a device), "
                    "or remove it") for p, reason in tree.refused]


def check(tree: Tree, ctx) -> list[Finding]:
    return (check_refused(tree) + check_duplicate_slugs(tree) + check_translation_originals(tree)
            + check_article_sources(tree) + check_sidecars(tree))
