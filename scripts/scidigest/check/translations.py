"""Rule family ``translations``: every original has fresh translations in the
site's other languages. Missing/stale ones are warnings or errors by policy.
Every translated page must also really be a translation (:mod:`.quality`:
no French left, no provider text, entities, placeholder debris, the
original's structure); those are always errors.  A translation whose copied
fields (date, organisation, source URL, journal, DOI...) differ from its
original's, or whose body still carries the notice admonition older pages
had (the site's header shows the notice, so readers would see it twice), is
a warning that ``scidigest translate --refresh`` fixes."""

from __future__ import annotations

from ..schema import validate_front_matter
from ..translate.pages import copied_differences, source_hash, strip_notice, translation_state
from . import quality
from .findings import ERROR, WARNING, Finding
from .policy import severity_for
from .tree import ARTICLE_NAME, Tree


def check(tree: Tree, ctx) -> list[Finding]:
    out: list[Finding] = []
    by_name = {a.path.name: a for a in tree.articles}
    for a in tree.articles:
        m = ARTICLE_NAME.match(a.path.name)
        if not m or "translation" in a.meta or a.front.error:
            continue
        src_lang = a.meta.get("lang", m["lang"])
        for lang in tree.languages:
            if lang == src_lang:
                continue
            target_name = f"{m['slug']}.{lang}.md"
            target_path = a.path.parent / target_name
            target = by_name.get(target_name)
            st = translation_state(tree.root / a.path, tree.root / target_path)
            if target is not None and not target.front.error and "translation" in target.meta:
                out += _kept_in_step(a, target)
            if st.state == "fresh":
                continue
            sev = severity_for(ctx.translations, st.state, st.status)
            if st.state == "missing":
                out.append(Finding(a.path.as_posix(), None, sev, "translation-missing",
                                   f"no {lang} translation ({target_path.as_posix()} is missing)",
                                   f"run `scidigest translate` (with a provider configured) and "
                                   f"commit {target_path.as_posix()}"))
            else:
                reviewed = st.status == "reviewed"
                kind = "reviewed" if reviewed else "machine"
                line = target.line_of("translation", "source_hash") if target else None
                fix = ("the original changed after the translation was reviewed: update the "
                       "translation by hand, then set `translation.source_hash: "
                       f"{source_hash(a.meta, a.body)}` and keep status: reviewed"
                       if reviewed else
                       "run `scidigest translate` to refresh it and commit the result")
                out.append(Finding(target_path.as_posix(), line, sev, "translation-stale",
                                   f"{kind} translation is stale: {a.path.as_posix()} changed "
                                   "since it was translated", fix))
    return out + quality.check(tree, ctx)


def _kept_in_step(original, target) -> list[Finding]:
    """Copied fields that differ from the original's, and an old in-body notice."""
    out = []
    fix = "run `scidigest translate --refresh` (no request; the review status and the translated words stay)"
    # (an original that fails its own checks is fixed first: refreshing would copy the fault)
    differ = copied_differences(original.meta, target.meta) if not validate_front_matter(original.meta) else []
    if differ:
        out.append(Finding(target.path.as_posix(), None, WARNING, "translation-copied-fields",
                           f"{', '.join(differ)} {'differs' if len(differ) == 1 else 'differ'} from "
                           f"{original.path.as_posix()}, whose value a translation copies", fix))
    if strip_notice(target.body) != target.body:
        out.append(Finding(target.path.as_posix(), target.body_line, WARNING, "translation-notice",
                           "the body carries a translation notice; the article header already shows one "
                           "from the front matter, so readers would see it twice", fix))
    return out


__all__ = ["check", "ERROR", "WARNING"]
