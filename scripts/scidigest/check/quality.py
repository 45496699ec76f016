"""Rule family ``translations`` (continued): is a translated page really a translation?

A machine page can be fresh and still be garbage: the provider echoed the
French, sent its quota warning as the "translation", escaped quotes as
``&#39;``, left a placeholder (``⟦3⟧``, ``⟪2⟫``, or ``[3]`` once an engine
rewrote the brackets), or broke the structure (a heading turned into text,
a footnote marker or link lost, emphasis moved).  These rules read every
translated page of the tree as it is, next to its original, with the same
judgement the translator applies to each answer (:mod:`scidigest.translate.
validate`), and report each problem with its file, line and fix.  All are
errors: such a page must not be published.

* ``translation-french``       prose of the original's language on the page
* ``translation-provider-text`` a provider's warning, captcha or error page
* ``translation-entities``     HTML character references the original lacks
* ``translation-debris``       placeholder or batch-marker debris
* ``translation-structure``    lines, headings, list items, footnotes, links,
                               inline HTML, code and emphasis not as in the original
* ``translation-incomplete``   the page says segments were left untranslated
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..translate.pages import source_hash, strip_notice
from ..translate.protect import STRUCTURAL, protect
from ..translate.segments import Line, parse
from ..translate.validate import LANGUAGE_NAMES, entities, in_language, prose, provider_warning
from .findings import ERROR, Finding
from .html import scan_lines
from .tree import ARTICLE_NAME, MarkdownFile, Tree

#: placeholder and batch-marker brackets (ours), and the shapes engines rewrite them to
_DEBRIS = re.compile(r"[\u27e6\u27e7\u27ea\u27eb]")
_REWRITTEN = re.compile(r"(?<![\]\w^])(?:\[\s*\d{1,3}\s*\](?![(\[:])|\u3010\s*\d{1,3}\s*\u3011|\[\[\s*\d{1,3}\s*\]\])")
#: the word an inline-HTML token carries with it ("neurones<sup>1</sup>"): translated, not structure
_TAGS_ONLY = re.compile(r"^[\w\-+]+(?=<)|(?<=>)[\w\-+]+$")
#: what the structure kinds are called in messages
_SPAN_NAMES = {
    "code": "code", "escape": "escaped character", "footnote": "footnote marker", "link_open": "link",
    "link_close": "link target", "url": "URL", "html": "inline HTML", "attr": "attribute list", "emph": "emphasis",
}


@lru_cache(maxsize=8192)
def _protected(text: str):
    """:func:`protect` of a text, once: the French, structure and span rules all need it."""
    return protect(text)


def _spans(line: Line) -> list[tuple[str, str]]:
    """The structural inline spans of a line's text, in order: (kind, text)."""
    out = []
    for p in line.pieces:
        if p.translatable:
            pr = _protected(p.text)
            out += [(k, _TAGS_ONLY.sub("", t) if k == "html" else t)
                    for t, k in zip(pr.tokens, pr.kinds, strict=True) if k in STRUCTURAL]
    return out


def _describe(line: Line) -> str:
    names = {"heading": "a heading", "paragraph": "a paragraph", "list": "a list item", "quote": "a quote",
             "table": "a table row", "footnote": "a footnote", "blank": "a blank line", "code": "code",
             "verbatim": "a literal line"}
    return names.get(line.kind, line.kind)


class _Page:
    """One translated page, its original and where its body lines are."""

    def __init__(self, page: MarkdownFile, original: MarkdownFile | None, src: str, tgt: str):
        self.page, self.original, self.src, self.tgt = page, original, src, tgt
        self.file = page.path.as_posix()
        body = page.body
        self.body = strip_notice(body)
        # 1-based file line of the first line of the body without its notice
        self.first = page.body_line + body[: len(body) - len(self.body)].count("\n")
        self.original_text = original.text if original else ""
        self.machine = (page.meta.get("translation") or {}).get("status") != "reviewed"

    def finding(self, line: int | None, rule: str, message: str, fix: str) -> Finding:
        how = ("run `scidigest translate --revalidate`, then `scidigest translate` with a working provider, "
               "or correct the page by hand" if self.machine else "correct the page by hand")
        return Finding(self.file, line, ERROR, rule, message, f"{fix}; {how}" if fix else how)


def _warning(pg: _Page, n: int | None, text: str, what: str) -> list[Finding]:
    w = provider_warning(text, pg.original_text)
    if not w:
        return []
    return [pg.finding(n, "translation-provider-text",
                       f"{what} holds a provider's message, not a translation: {w.text.strip()!r}",
                       "replace it with the translation of the original's text")]


def _text_checks(pg: _Page, n: int | None, text: str, what: str) -> list[Finding]:
    """Warnings, entities and debris in one line (or field) of prose."""
    out = _warning(pg, n, text, what)
    extra = sorted(set(entities(text)) - set(entities(pg.original_text)))
    if extra:
        out.append(pg.finding(n, "translation-entities", f"{what} holds HTML entities {', '.join(extra)}",
                              "write the characters themselves (&#39; is ', &quot; is \")"))
    m = _DEBRIS.search(text)
    if m:
        out.append(pg.finding(n, "translation-debris", f"{what} holds placeholder debris {m.group(0)!r}",
                              "put back the link, code, number or markup of the original at that place"))
    for m in _REWRITTEN.finditer(text):
        if m.group(0) not in pg.original_text:
            out.append(pg.finding(n, "translation-debris",
                                  f"{what} holds {m.group(0)!r}, which the original does not have "
                                  "(a placeholder rewritten by the engine)",
                                  "put back what the original has at that place"))
            break
    return out


def _french(pg: _Page, n: int | None, text: str, original: str | None, what: str) -> list[Finding]:
    plain = prose(_protected(text).text)
    if not plain:
        return []
    name = LANGUAGE_NAMES.get(pg.src, pg.src)
    same = original is not None and " ".join(original.split()) == " ".join(text.split())
    if in_language(plain, pg.src, pg.tgt) or (same and in_language(prose(_protected(original).text), pg.src, pg.tgt)):
        snippet = text if len(text) <= 50 else text[:47] + "..."
        return [pg.finding(n, "translation-french", f"{what} is in {name}: {snippet!r}",
                           f"translate it into {LANGUAGE_NAMES.get(pg.tgt, pg.tgt)}")]
    return []


def check_page(page: MarkdownFile, original: MarkdownFile | None, src: str, tgt: str) -> list[Finding]:
    """Every problem of one translated page (``original`` None when it is missing)."""
    pg = _Page(page, original, src, tgt)
    out: list[Finding] = []
    info = page.meta.get("translation") or {}
    if isinstance(info, dict) and info.get("untranslated_segments"):
        out.append(pg.finding(page.line_of("translation", "untranslated_segments"), "translation-incomplete",
                              f"{info['untranslated_segments']} segments were left in "
                              f"{LANGUAGE_NAMES.get(src, src)} on this page", "translate them"))
    omap = original.meta if original else {}
    for key in ("title", "description"):
        value = page.meta.get(key)
        if isinstance(value, str) and value:
            n = page.line_of(key)
            out += _text_checks(pg, n, value, key)
            o = omap.get(key)
            out += _french(pg, n, value, o if isinstance(o, str) else None, key)
    for k, tag in enumerate(page.meta.get("tags") or []):
        if isinstance(tag, str):
            n = page.line_of("tags")
            out += _text_checks(pg, n + 1 + k if n else None, tag, f"tag {tag!r}")
    lines = pg.body.split("\n")
    translated = parse(pg.body).lines
    fresh = original is not None and isinstance(info, dict) and info.get("source_hash") == source_hash(original.meta, original.body)
    originals = parse(original.body).lines if fresh else None
    aligned = originals is not None and len(originals) == len(translated)
    prose_lines = dict(scan_lines(lines, pg.first))
    for i, line in enumerate(translated):
        n = pg.first + i
        if line.kind in ("code", "blank", "verbatim"):
            continue
        if n in prose_lines:
            out += _text_checks(pg, n, prose_lines[n], "the line")
        o_line = originals[i] if aligned else None
        o_texts = [p.text for p in o_line.pieces if p.translatable] if o_line is not None else []
        texts = [p.text for p in line.pieces if p.translatable]
        for k, text in enumerate(texts):
            out += _warning(pg, n, text, "the line")  # a cell or item that starts with one
            out += _french(pg, n, text, o_texts[k] if len(o_texts) == len(texts) else None, "the line")
    if originals is not None:
        out += _structure(pg, originals, translated)
    return out


def _structure(pg: _Page, originals: list[Line], translated: list[Line]) -> list[Finding]:
    """Line by line, the same kinds, literal pieces and inline spans in the same order."""
    out = []
    for i, (o, t) in enumerate(zip(originals, translated, strict=False)):
        n = pg.first + i
        if (o.kind, o.skeleton) != (t.kind, t.skeleton) and (o.kind, t.kind) != ("code", "code"):
            if o.kind != t.kind:
                msg = f"line is {_describe(t)} where the original (line {i + 1} of its body) has {_describe(o)}"
            else:
                lit_o = "".join(x for x in o.skeleton if x != "\u2026")
                lit_t = "".join(x for x in t.skeleton if x != "\u2026")
                msg = f"line's markup {lit_t.strip()!r} differs from the original's {lit_o.strip()!r}"
            out.append(pg.finding(n, "translation-structure", msg,
                                  "keep the original's lines: same headings, list items, quotes, table cells, "
                                  "footnotes and blank lines, in the same order"))
            return out  # the lines no longer correspond: one finding says it
        if o.kind == "code":
            if o.pieces != t.pieces:
                out.append(pg.finding(n, "translation-structure", "code block differs from the original's",
                                      "copy the original's code block unchanged"))
            continue
        so, st = _spans(o), _spans(t)
        if so != st:
            out.append(pg.finding(n, "translation-structure", _span_message(so, st),
                                  "keep every link (and its target), footnote marker, inline HTML, code span "
                                  "and emphasis of the original's line, in the same order"))
    if len(originals) != len(translated):
        n = pg.first + min(len(originals), len(translated))
        out.append(pg.finding(n, "translation-structure",
                              f"the body has {len(translated)} lines where the original has {len(originals)}",
                              "keep the original's lines, one translated line for each"))
    return out


def _span_message(so: list[tuple[str, str]], st: list[tuple[str, str]]) -> str:
    missing = [t for t in so if t not in st]
    extra = [t for t in st if t not in so]
    if missing:
        k, t = missing[0]
        return f"line lacks the original's {_SPAN_NAMES.get(k, k)} {t!r}"
    if extra:
        k, t = extra[0]
        return f"line has {_SPAN_NAMES.get(k, k)} {t!r} that the original's line does not have"
    first = next(i for i, (a, b) in enumerate(zip(so, st, strict=True)) if a != b)
    return (f"line has the original's links, footnotes, markup and emphasis in another order "
            f"({st[first][1]!r} where the original has {so[first][1]!r})")


def check(tree: Tree, ctx) -> list[Finding]:
    out: list[Finding] = []
    by_name = {a.path.name: a for a in tree.articles}
    for page in tree.articles:
        m = ARTICLE_NAME.match(page.path.name)
        info = page.meta.get("translation")
        if not m or not isinstance(info, dict) or page.front.error:
            continue
        tgt = m["lang"]
        src = str(info.get("from") or "")
        if src not in tree.languages or src == tgt:
            continue
        original = by_name.get(f"{m['slug']}.{src}.md")
        if original is not None and (original.front.error or not original.has_front_matter):
            original = None
        out += check_page(page, original, src, tgt)
    return out


__all__ = ["check", "check_page"]
