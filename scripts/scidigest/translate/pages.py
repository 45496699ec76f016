"""Article files: front matter in and out, status, and the kept pages' refresh.

Why here and not in the pipeline: these are the only functions that know
how an English page looks (front matter fields, ``translation:`` block) and
how to tell whether it is missing, fresh or stale.  The ``check`` command
and end-to-end tests use :func:`page_state` directly.

The reader's notice that a page is a translation (machine or reviewed, by
which provider, with a link to the original) is the site's, drawn from the
``translation:`` block by the article header (:func:`scidigest.site.meta.
article_header_html`); the body carries none.  Pages written before that
carried a ``!!! note`` admonition at the top of the body: :func:`strip_notice`
recognises it, and :func:`refresh` removes it from a kept page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..frontmatter import join, split, text_hash
from ..languages import DEFAULT_LANGUAGE, SITE_LANGUAGES, other

LANGS = SITE_LANGUAGES
#: fields of the original that belong to the ingest stage and are dropped
DROPPED_FIELDS = ("output_hash", "hand_edited")
#: fields a translation holds in its own language; every other field is the original's, copied
TRANSLATED_FIELDS = ("lang", "title", "description", "tags", "categories", "translation")
#: the titles of the notice admonition older pages carry at the top of their body
OLD_NOTICE_TITLES = ("Machine translation", "Translation")
_NOTICE_RE = re.compile(
    r'\A\n*!!! (?:note|info) "(?:' + "|".join(map(re.escape, OLD_NOTICE_TITLES)) + r')"\n(?:    [^\n]*\n|\n(?=    ))*'
)


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


def strip_notice(body: str) -> str:
    """A translated body without the notice admonition older pages carry at its top (see the
    module doc), laid out like the original body; any other body unchanged."""
    rest, n = _NOTICE_RE.subn("", body, count=1) if "!!! " in body[:40] else (body, 0)
    return "\n" + rest.lstrip("\n") if n else body


def compose_body(translated_body: str) -> str:
    """The body of a translated page: the translated body, laid out like the original's
    (one blank line after the front matter).  No notice: the site shows it."""
    return "\n" + translated_body.lstrip("\n")


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


def refresh(original_text: str, translated_text: str) -> str:
    """A kept translation (reviewed by a person, or written by hand) brought up to date
    with what it copies from its original, its own words untouched.

    The fields the original holds and a translation does not translate (date,
    organisation, authors, source URL, journal, DOI, image, kind, hashes of the
    source...) are the original's, so a field ingest adds or corrects later reaches
    the translation too; its title, description, tags, categories and
    ``translation`` block are its own, kept as they are.  An old notice admonition
    is removed from the body (:func:`strip_notice`).  ``translation.source_hash``
    covers the original's translated text only (:func:`source_hash`), so neither
    change makes a reviewed page stale.  Returns ``translated_text`` itself when
    nothing changes."""
    o_meta, _ = read_page(original_text)
    meta, body = read_page(translated_text)
    new_meta = translated_meta(
        o_meta, title=str(meta.get("title", "")), description=str(meta.get("description", "")),
        tags=[str(t) for t in meta.get("tags") or []], info=meta.get("translation"),
    )
    if "categories" in meta:  # translated through the terminology, never the original's words
        new_meta["categories"] = meta["categories"]
    new_meta["translation"] = new_meta.pop("translation")  # last, as translate writes it
    if new_meta["translation"] is None:
        del new_meta["translation"]
    text = join(new_meta, strip_notice(body))
    return translated_text if text == translated_text else text


def copied_differences(original_meta: dict, translated: dict) -> list[str]:
    """The copied fields (see :func:`refresh`) in which a translation differs from its original."""
    keys = set(original_meta) | set(translated)
    skip = set(TRANSLATED_FIELDS) | set(DROPPED_FIELDS)
    return sorted(k for k in keys if k not in skip and original_meta.get(k) != translated.get(k))


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
