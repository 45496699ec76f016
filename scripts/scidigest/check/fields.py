"""Rule family ``front-matter``: every article's front matter against the JSON
Schema, real dates, configured languages, file name agreeing with the content."""

from __future__ import annotations

import datetime as dt

from jsonschema import Draft202012Validator, FormatChecker

from ..names import TEXT_FIELDS, slug_problem, text_problem
from ..schema import schema as article_schema
from .findings import ERROR, Finding
from .tree import ARTICLE_NAME, ARTICLES_DIR, MarkdownFile, Tree


def _validator() -> Draft202012Validator:
    return Draft202012Validator(article_schema(), format_checker=FormatChecker())


def _fix_for(err, article: MarkdownFile) -> str:
    generated = "translation" not in article.meta
    where = ("the source's sidecar (sources/<name>.meta.yaml) and re-run `scidigest ingest`"
             if generated else "the front matter")
    props = article_schema()["properties"]
    if err.validator == "required":
        return f"add the missing field in {where}"
    if err.validator == "additionalProperties":
        allowed = ", ".join(sorted(props))
        return f"remove or rename the unknown field; allowed fields: {allowed}"
    if err.validator == "enum":
        return "use one of: " + ", ".join(map(str, err.validator_value))
    if err.validator == "pattern":
        return f"write a value matching {err.validator_value}"
    if err.validator == "type":
        return f"write a value of type {err.validator_value} (quote text and dates)"
    if err.validator in ("minLength", "minItems"):
        return "fill in a non-empty value, or remove the field if it is optional"
    if err.validator == "uniqueItems":
        return "remove the repeated entries"
    return f"correct the value in {where}"


def _real_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_article(article: MarkdownFile, tree: Tree) -> list[Finding]:
    f = str(article.path.as_posix())
    out: list[Finding] = []
    name = ARTICLE_NAME.match(article.path.name)
    if not name:
        out.append(Finding(f, None, ERROR, "article-name",
                           "article file name is not <slug>.<lang>.md",
                           "rename the file to <slug>.<lang>.md, e.g. mon-article.fr.md"))
    if not article.has_front_matter:
        out.append(Finding(f, 1, ERROR, "front-matter",
                           "article has no front matter (it must start with a '---' line)",
                           "re-run `scidigest ingest` for its source, or restore the front "
                           "matter block from git history"))
        return out
    if article.front.error:
        out.append(Finding(f, article.front.error_line, ERROR, "front-matter-yaml",
                           f"front matter is not valid YAML: {article.front.error}",
                           "fix the YAML syntax on that line (quote values containing ':' or '#')"))
        return out
    meta = article.front.data
    if not isinstance(meta, dict):
        out.append(Finding(f, 2, ERROR, "front-matter",
                           "front matter is not a mapping of field: value",
                           "write one `field: value` per line between the '---' lines"))
        return out

    for err in sorted(_validator().iter_errors(meta), key=lambda e: (list(e.path), e.message)):
        path = tuple(str(p) for p in err.path)
        if path == ("date",) and err.validator == "format":
            continue  # reported below with a clearer message
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else "?"
            line = article.line_of(*path) or 1
            msg = f"required field `{'.'.join(path + (missing,))}` is missing"
        elif err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            line = article.line_of(*path, extra[0]) if extra else None
            msg = f"unknown field(s) {', '.join(f'`{e}`' for e in extra)} in the front matter"
        else:
            line = article.line_of(*path) if path else 1
            field = ".".join(path) or "(front matter)"
            msg = f"`{field}`: {err.message}"
        out.append(Finding(f, line, ERROR, "schema", msg, _fix_for(err, article)))

    for key in sorted(article.front.unquoted_dates):
        out.append(Finding(f, article.line_of(key), ERROR, "date-quoting",
                           f"`{key}` is an unquoted date; YAML turns it into a date object, "
                           "the schema wants text",
                           f'quote it: {key}: "{meta[key]}"'))

    date = meta.get("date")
    if isinstance(date, str) and len(date) == 10 and not _real_date(date):
        out.append(Finding(f, article.line_of("date"), ERROR, "date",
                           f"date {date!r} is not a real calendar date",
                           "write a real date as YYYY-MM-DD (e.g. 2021-09-30); fix it in the "
                           "source's sidecar if the article is generated"))

    lang = meta.get("lang")
    if isinstance(lang, str):
        if lang not in tree.languages:
            out.append(Finding(f, article.line_of("lang"), ERROR, "language",
                               f"language {lang!r} is not configured for the site "
                               f"(configured: {', '.join(tree.languages)})",
                               "use a configured language, or add it to the i18n plugin's "
                               "languages in mkdocs.yml"))
        if name and name["lang"] != lang:
            out.append(Finding(f, article.line_of("lang"), ERROR, "language",
                               f"front matter says lang {lang!r} but the file name says "
                               f"{name['lang']!r}",
                               f"rename the file to {name['slug']}.{lang}.md or correct `lang`"))
    if name and name["lang"] not in tree.languages and lang != name["lang"]:
        out.append(Finding(f, None, ERROR, "language",
                           f"file name language {name['lang']!r} is not configured for the site",
                           "name the file <slug>.<lang>.md with lang one of "
                           + ", ".join(tree.languages)))
    out += check_text_fields(article, f)
    slug = meta.get("slug")
    problem = slug_problem(slug) if isinstance(slug, str) else None
    if problem:
        out.append(Finding(f, article.line_of("slug"), ERROR, "slug", problem,
                           "set another `slug:` in the source's sidecar (or the front matter of a "
                           "page written by hand) and rename the file to match"))
    if name and isinstance(slug, str) and slug != name["slug"]:
        out.append(Finding(f, article.line_of("slug"), ERROR, "slug",
                           f"front matter slug {slug!r} does not match the file name "
                           f"{article.path.name!r}",
                           f"rename the file to {slug}.{name['lang']}.md or set slug: {name['slug']}"))
    return out


def check_text_fields(article: MarkdownFile, f: str) -> list[Finding]:
    """Markup or control characters in a text field: the site shows them as text, but a
    field that holds ``<img onerror=...>`` is a mistake or an attack; either way it goes."""
    out = []
    for key in TEXT_FIELDS:
        value = article.meta.get(key)
        values = value if isinstance(value, list) else [value]
        for v in values:
            problem = text_problem(v) if isinstance(v, str) else None
            if problem:
                out.append(Finding(f, article.line_of(key), ERROR, "text-field", f"`{key}` {problem}",
                                   "write plain text (no HTML tags, no control characters); for a "
                                   "generated article fix it in the source's sidecar and re-run "
                                   "`scidigest ingest`"))
                break
    return out


def check_other_page(page: MarkdownFile) -> list[Finding]:
    if page.front.error:
        return [Finding(page.path.as_posix(), page.front.error_line, ERROR, "front-matter-yaml",
                        f"front matter is not valid YAML: {page.front.error}",
                        "fix the YAML syntax on that line")]
    return []


def check(tree: Tree, ctx) -> list[Finding]:
    out: list[Finding] = []
    for doc in tree.docs:
        if doc.path.parent == ARTICLES_DIR:
            out += check_article(doc, tree)
        else:
            out += check_other_page(doc)
    return out
