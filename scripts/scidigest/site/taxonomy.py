"""One subject taxonomy, and the kind of text and the organisation as facets of their own.

Front matter has two lists, ``categories`` (a source's own rubrics) and ``tags`` (its
keywords), and both mix what an article is *about* with what *kind* of text it is
("Résultat scientifique", "Communiqué de presse"). Readers get one taxonomy:

- an article's **subjects** are its categories then its tags, the same term written twice
  ("Cerveau" as a rubric, "cerveau" as a keyword; "Santé" and "sante") counted once: terms
  are compared by their URL slug (:func:`urls.term_slug`: case, accents and punctuation
  ignored), which is also the address of the subject's page, so one term has one page;
- a term that names a release type (``data/release_types.yaml``) is not a subject; for an
  article whose kind is unknown it gives the **kind** (:func:`kind_of`);
- the **organisation** is a facet too (:func:`group_organisations`).

The front matter keeps what the source said (provenance); this module is how the site reads
it, so hand-written pages, sidecars and old articles are treated alike. Plain functions over
:class:`~.catalogue.Article`, no MkDocs.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from importlib import resources

import yaml

from scidigest.site import urls
from scidigest.site.catalogue import Article

#: the schema's kinds, in the order the kind index lists them
KINDS = ("press-release", "news-article", "thesis-summary", "article")

#: one facet value: key (its URL slug) -> (the name shown, its articles in their given order)
Groups = dict[str, tuple[str, list[Article]]]


def term_key(name: str) -> str:
    """The key two spellings of one term share ("Cerveau", "cerveau", "CERVEAU")."""
    return urls.term_slug(name)


@functools.lru_cache(maxsize=1)
def release_types() -> dict[str, str | None]:
    """Term key -> the kind it names (None: a release type none of :data:`KINDS` names)."""
    text = resources.files("scidigest.data").joinpath("release_types.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    table: dict[str, str | None] = {}
    for kind, names in (data.get("kinds") or {}).items():
        if kind not in KINDS:
            raise ValueError(f"data/release_types.yaml: {kind!r} is not a kind of the schema {KINDS}")
        for name in names or ():
            table.setdefault(term_key(str(name)), kind)
    for name in data.get("other") or ():
        table.setdefault(term_key(str(name)), None)
    return table


def is_release_type(name: str) -> bool:
    return term_key(name) in release_types()


@functools.lru_cache(maxsize=65536)
def subjects(article: Article) -> tuple[str, ...]:
    """The article's subjects as it spells them: categories then tags, one per term key,
    release types left out."""
    seen: set[str] = set()
    out: list[str] = []
    for name in (*article.categories, *article.tags):
        key = term_key(name)
        if key in seen or key in release_types():
            continue
        seen.add(key)
        out.append(name)
    return tuple(out)


def subject_keys(article: Article) -> tuple[str, ...]:
    return tuple(term_key(name) for name in subjects(article))


def kind_of(article: Article) -> str:
    """The article's kind: its own, else (when it is the unknown "article") the first of its
    rubrics that names one."""
    if article.kind in KINDS and article.kind != "article":
        return article.kind
    for name in (*article.categories, *article.tags):
        kind = release_types().get(term_key(name))
        if kind is not None:
            return kind
    return article.kind if article.kind in KINDS else "article"


def _grouped(articles: Iterable[Article], names_of) -> Groups:
    """Articles by term key; the name shown is the spelling most articles use, ties to the
    alphabetically first, so the output never depends on the order of the files."""
    members: dict[str, list[Article]] = {}
    spellings: dict[str, Counter] = {}
    for art in articles:
        for name in names_of(art):
            key = term_key(name)
            members.setdefault(key, []).append(art)
            spellings.setdefault(key, Counter())[name] += 1
    return {key: (min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0], members[key])
            for key in sorted(members)}


def group_subjects(articles: Iterable[Article]) -> Groups:
    """Every subject of ``articles`` (one language), by key."""
    return _grouped(articles, subjects)


def group_organisations(articles: Iterable[Article]) -> Groups:
    """Articles by organisation (by key: "CNRS" and "Cnrs" are one); none: not listed."""
    return _grouped(articles, lambda a: (a.organisation,) if a.organisation else ())


def group_kinds(articles: Iterable[Article]) -> dict[str, list[Article]]:
    """Articles by kind (:func:`kind_of`), in the order of :data:`KINDS`, kinds with none left out."""
    out: dict[str, list[Article]] = {kind: [] for kind in KINDS}
    for art in articles:
        out[kind_of(art)].append(art)
    return {kind: arts for kind, arts in out.items() if arts}
