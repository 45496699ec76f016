"""The line rules of cleaning: a table of named rules, each returning a typed decision.

A short line that is not article text is either **dropped** (with the reason) or **lifted** into
a front-matter field *with its parsed value* (a :class:`~.dates.DateHit`, a
:class:`~.bylines.Byline`, a list of categories...). :mod:`.clean` applies the first decision of
the table, in order; :mod:`.extract` then chooses among the parsed values and never parses a
lifted line again (so an emphasised byline such as ``*Par Jeanne Martin*`` that cleaning
recognised is an author, not a line that no later parser understands).

The order is part of the rules: a date line is tried before the pipe-list rule (a rubric
"COMMUNIQUÉ | INSOL | Paris, le 5 février 2024" is a dateline, not three categories), the tag
cloud before the empty-link rule (a tag cloud is an empty link too), the kicker only before the
body starts. Each rule has its own tests (``tests/ingest/test_rules.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import boilerplate as bp
from .bylines import Byline, parse_byline
from .dates import DateHit, find_date
from .textutil import fold, strip_markdown

_HR = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_URL_ONLY = re.compile(r"^<?(https?://[^\s>]+)>?$")
_VALUE_SEP = re.compile(r"\s*[,;]\s*")
_TAG_CLOUD = re.compile(r"\[([^\]]+)\]\(#?\)")
_TAG_SEP = re.compile(r"[\s\\_]+")
_DIGIT = re.compile(r"\d")
# "Par *mogirard*": an emphasised single word is a site account, and the emphasis is the evidence
_EMPHASISED_WORD = re.compile(r".*\*[^*\s]+\*.*")

#: metadata and furniture lines are short; body paragraphs are not
MAX_LINE = 240


@dataclass(frozen=True)
class Drop:
    """Furniture: out of the body, kept only in the preservation report."""

    rule: str


@dataclass(frozen=True)
class Lift:
    """Metadata: out of the body into ``field`` with its parsed ``value``.

    ``record`` says where the line itself is remembered: with the metadata lines (the usual
    case) or with the dropped furniture (a breadcrumb is navigation, even though its items are
    kept)."""

    rule: str
    field: str  # date | byline | categories | tags | source_url | kicker | breadcrumb
    value: object
    record: str = "meta"


Decision = Drop | Lift


@dataclass
class Context:
    """What the rules may know of the page so far (the classifier keeps it up to date)."""

    body_started: bool = False
    title: str | None = None
    categories: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the rules
def blank_or_rule(text: str, ctx: Context) -> Decision | None:
    return Drop("blank or horizontal rule") if not text or _HR.match(text) else None


def breadcrumb(text: str, ctx: Context) -> Decision | None:
    crumbs = bp.breadcrumb(text)
    return Lift("breadcrumb", "breadcrumb", crumbs, record="dropped") if crumbs is not None else None


def date_line(text: str, ctx: Context) -> Decision | None:
    hit = date_of(text)
    return Lift("date line", "date", hit) if hit is not None else None


def pipe_list(text: str, ctx: Context) -> Decision | None:
    items = bp.pipe_list(text)
    if items is not None and (not ctx.body_started or len(text) < 200):
        return Lift("pipe list", "categories", items)
    return None


def labelled_field(text: str, ctx: Context) -> Decision | None:
    lab = bp.labelled(text)
    if lab is None:
        return None
    name, value = lab
    if name == "source":
        url = _URL_ONLY.match(bp.unwrap_empty_links(value).strip())
        return Lift("labelled source", "source_url", url.group(1)) if url else None
    if not value:
        return None
    values = [strip_markdown(v) for v in _VALUE_SEP.split(bp.unwrap_empty_links(value))]
    return Lift(f"labelled {name}", name, values)


def bare_url(text: str, ctx: Context) -> Decision | None:
    url = _URL_ONLY.match(text)
    return Lift("bare URL", "source_url", url.group(1)) if url else None


def tag_cloud(text: str, ctx: Context) -> Decision | None:
    """A lone empty link whose text starts with a known category: the rest are tags."""
    if "](" not in text:  # (cheap pre-test for the pattern below)
        return None
    m = _TAG_CLOUD.fullmatch(text.strip())
    if not m:
        return None
    label = m.group(1).replace("\\\\", "\\")
    for cat in ctx.categories:
        if label.startswith(cat) and len(label) > len(cat):
            return Lift("tag cloud", "tags", [t for t in _TAG_SEP.split(label[len(cat):]) if t])
    return None


def widget(text: str, ctx: Context) -> Decision | None:
    if bp.is_widget(text):
        return Drop("widget")
    if bp.only_empty_links(text):
        return Drop("empty links")
    return None


def kicker(text: str, ctx: Context) -> Decision | None:
    kind = bp.kicker_kind(text)
    return Lift("kicker", "kicker", kind) if kind is not None and not ctx.body_started else None


def byline(text: str, ctx: Context) -> Decision | None:
    account_emphasis = "*" in text and _EMPHASISED_WORD.fullmatch(text)
    by = parse_byline(text if account_emphasis else strip_markdown(text))
    return Lift("byline", "byline", by) if by is not None else None


def repeated_title(text: str, ctx: Context) -> Decision | None:
    return Drop("title repeated") if ctx.title and fold(text) == fold(ctx.title) else None


Rule = Callable[[str, Context], "Decision | None"]

#: the table, in the order the rules are tried (see the module docstring for why)
LINE_RULES: tuple[tuple[str, Rule], ...] = (
    ("breadcrumb", breadcrumb),
    ("date line", date_line),
    ("pipe list", pipe_list),
    ("labelled field", labelled_field),
    ("bare URL", bare_url),
    ("tag cloud", tag_cloud),
    ("widget", widget),
    ("kicker", kicker),
    ("byline", byline),
    ("repeated title", repeated_title),
)


def decide(line: str, ctx: Context) -> Decision | None:
    """The first decision of the table for one line, or None: the line is article text."""
    text = line.strip()
    first = blank_or_rule(text, ctx)
    if first is not None:
        return first
    if len(text) > MAX_LINE:
        return None
    for _name, rule in LINE_RULES:
        decision = rule(text, ctx)
        if decision is not None:
            return decision
    return None


def date_of(text: str) -> DateHit | None:
    """The publication date a metadata line gives (links unwrapped, Markdown stripped)."""
    # a date needs digits, and unwrapping links or stripping Markdown never adds one
    if not _DIGIT.search(text):
        return None
    return find_date(strip_markdown(bp.unwrap_empty_links(text)))


__all__ = ["LINE_RULES", "Byline", "Context", "DateHit", "Decision", "Drop", "Lift", "date_of", "decide"]
