"""Article files: front matter in and out, the translation notice, status.

Why here and not in the pipeline: these are the only functions that know
how an English page looks (front matter fields, ``translation:`` block,
visible notice) and how to tell whether it is missing, fresh or stale.  The
``check`` command and end-to-end tests use :func:`page_state` directly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..frontmatter import split, text_hash
from ..languages import DEFAULT_LANGUAGE, SITE_LANGUAGES, other

LANGS = SITE_LANGUAGES
#: fields of the original that belong to the ingest stage and are dropped
DROPPED_FIELDS = ("output_hash", "hand_edited")
NOTICE_TITLES = {"machine": "Machine translation", "reviewed": "Translation"}
_NOTICE_RE = re.compile(r'\A\n*!!! note "[^"\n]*"\n(?:    [^\n]*\n|\n(?=    ))*')


def source_hash(meta: dict, body: str) -> str:
    """The hash a translation records of its original (``translation.source_hash``).

    It covers exactly what is translated: title, description, tags and body,
    so a change to a copied field (reading time, output hash) does not make
    a reviewed translation stale, and any change to translated text does.
    Computable from (front matter, body) alone, which is what ``scidigest
    check`` has in hand."""
    blob = json.dumps(
        {
            "body": body,
            "description": str(meta.get("description", "")),
            "tags": [str(t) for t in meta.get("tags") or []],
            "title": str(meta.get("title", "")),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return text_hash(blob)


def read_page(text: str) -> tuple[dict, str]:
    """(front matter, body) of a page, dates as text: fields are copied into the translation."""
    return split(text, dates_as_text=True)


def original_link(slug: str, src_lang: str = "fr") -> str:
    """Where the notice of a translated page points: the original article.

    The site uses mkdocs-static-i18n (suffix layout, French at the root,
    English under ``/en/``).  In the English build the ``.fr.md`` file is not
    part of the site files, so a link to ``<slug>.fr.md`` would not resolve;
    a relative URL from ``/en/articles/<slug>/`` to ``/articles/<slug>/`` does,
    whatever the site's base path.  Change it here and only here."""
    if src_lang == "fr":
        return f"../../../articles/{slug}/"
    return f"../../en/articles/{slug}/"


def notice(slug: str, status: str, src_lang: str = "fr") -> str:
    """The visible admonition at the top of a translated page."""
    lang_name = {"fr": "French", "en": "English"}[src_lang]
    link = f"[original {lang_name} article]({original_link(slug, src_lang)})"
    if status == "reviewed":
        text = f"This article was translated from {lang_name} and reviewed by a person. Read the {link}."
    else:
        text = f"This article was translated from {lang_name} by a machine and may contain errors. Read the {link}."
    return f'!!! note "{NOTICE_TITLES[status]}"\n    {text}\n'


def strip_notice(body: str) -> str:
    """A translated body without its notice, laid out like the original body."""
    return _NOTICE_RE.sub("", body, count=1)


def compose_body(slug: str, status: str, translated_body: str, src_lang: str = "fr") -> str:
    rest = translated_body if translated_body.startswith("\n") else "\n" + translated_body
    return "\n" + notice(slug, status, src_lang) + rest


def translated_meta(original: dict, *, title: str, description: str, tags: list[str], info: dict) -> dict:
    """Front matter of the translated page: the original's fields, in order,
    with ``lang``, ``title``, ``description``, ``tags`` replaced, the
    ingest-only fields dropped and ``translation`` appended."""
    meta = {}
    for k, v in original.items():
        if k in DROPPED_FIELDS or k == "translation":
            continue
        meta[k] = v
    meta["lang"] = other(original.get("lang", DEFAULT_LANGUAGE))
    meta["title"] = title
    meta["description"] = description
    if "tags" in original:
        seen: list[str] = []
        for t in tags:
            if t not in seen:
                seen.append(t)
        meta["tags"] = seen
    meta["translation"] = info
    return meta


def translation_path(original: Path, tgt: str) -> Path:
    """``<slug>.fr.md`` -> ``<slug>.en.md``."""
    name = original.name
    m = re.match(r"^(.*)\.([a-z]{2})\.md$", name)
    if not m:
        raise ValueError(f"{original}: expected <slug>.<lang>.md")
    return original.with_name(f"{m.group(1)}.{tgt}.md")


@dataclass(frozen=True)
class PageState:
    """Translation status of one original article.

    ``state`` is ``missing`` (no translated page), ``fresh`` (made from the
    current original), ``stale`` (the original changed since), ``incomplete``
    (fresh, but some segments were left untranslated) or ``invalid`` (the
    page exists but has no usable ``translation`` block)."""

    slug: str
    original: Path
    translation: Path
    state: str
    status: str | None = None  # machine / reviewed
    provider: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state in ("fresh", "incomplete")


def page_state(original: Path, tgt: str = "en", *, original_parsed: tuple[dict, str] | None = None) -> PageState:
    """Is there a fresh translation of ``original`` into ``tgt``?

    ``original_parsed`` is ``split_front_matter`` of the original's text when
    the caller already has it (:func:`~scidigest.translate.translator.run`
    parses each original once, not twice)."""
    path = translation_path(original, tgt)
    slug = path.name[: -len(f".{tgt}.md")]
    if not path.exists():
        return PageState(slug, original, path, "missing")
    try:
        meta, _ = read_page(path.read_text("utf-8"))
    except (ValueError, yaml.YAMLError) as exc:
        return PageState(slug, original, path, "invalid", detail=str(exc))
    info = meta.get("translation")
    if not isinstance(info, dict) or "source_hash" not in info:
        return PageState(slug, original, path, "invalid", detail="no translation block in front matter")
    status, provider = info.get("status"), info.get("provider")
    try:
        current = source_hash(*(original_parsed or read_page(original.read_text("utf-8"))))
    except (ValueError, yaml.YAMLError) as exc:
        return PageState(slug, original, path, "invalid", status, provider, f"original unreadable: {exc}")
    if info["source_hash"] != current:
        return PageState(slug, original, path, "stale", status, provider, "the original changed since")
    if info.get("untranslated_segments"):
        n = info["untranslated_segments"]
        return PageState(slug, original, path, "incomplete", status, provider, f"{n} segments left in the original")
    return PageState(slug, original, path, "fresh", status, provider)


def originals(articles_dir: Path, src: str = "fr") -> list[Path]:
    """Original articles in ``src`` (files ``*.<src>.md`` that are not themselves translations)."""
    out = []
    for p in sorted(Path(articles_dir).glob(f"*.{src}.md")):
        try:
            meta, _ = read_page(p.read_text("utf-8"))
        except (ValueError, yaml.YAMLError):
            out.append(p)
            continue
        if "translation" not in meta:
            out.append(p)
    return out


def status_all(articles_dir: Path, src: str = "fr", tgt: str = "en") -> list[PageState]:
    """:func:`page_state` for every original of the directory, by file name."""
    return [page_state(p, tgt) for p in originals(articles_dir, src)]


@dataclass(frozen=True)
class TranslationState:
    """The three-valued view ``scidigest check`` uses (missing / fresh / stale)."""

    state: str
    status: str | None
    detail: str = ""


def translation_state(original: Path, target: Path) -> TranslationState:
    """Hook for ``scidigest check``: ``incomplete`` counts as fresh (the run
    summary lists the untranslated segments), ``invalid`` as stale."""
    tgt = Path(target).name.rsplit(".", 2)[-2]
    st = page_state(Path(original), tgt)
    state = {"incomplete": "fresh", "invalid": "stale"}.get(st.state, st.state)
    return TranslationState(state, st.status, st.detail)
