"""The pages every web audit looks at: axe-core and the Nu HTML checker in the
test suite (tests/site/test_audits_browser.py), Lighthouse in the benchmark
(scidigest.bench.lighthouse).

Issue 11's list, in each language: the home, an article, its translation, a
listing ("All articles") and a tag page. The article is a French original
with an English translation and at least one tag, preferring one that is not
synthetic (a seed), so the same pages are chosen at 4 and at 2,000 articles.
Both versions of the article are audited, so "its translation" is the English
page of the French one; each language's tag page is one of that article's
tags in that language.
"""

from __future__ import annotations

from dataclasses import dataclass

from scidigest.site import urls
from scidigest.site.catalogue import Catalogue

LANGS = ("fr", "en")


@dataclass(frozen=True)
class AuditPage:
    lang: str
    kind: str  # home, article, listing, tag
    path: str  # site-root-relative URL ("en/articles/x/")

    @property
    def label(self) -> str:
        return f"{self.lang} {self.kind} /{self.path}"


def audited_article(catalogue: Catalogue, *, synthetic_prefix: str = "synthese"):
    """The French original audited with its translation (a seed when there is one)."""
    def translated_with_tags(article) -> bool:
        english = catalogue.get(article.slug, "en")
        return bool(not article.is_translation and article.tags and english and english.tags)

    candidates = [a for a in catalogue.in_lang("fr") if translated_with_tags(a)]
    if not candidates:
        raise LookupError("no French original with an English translation and tags to audit")
    candidates.sort(key=lambda a: (a.slug.startswith(synthetic_prefix), a.slug))
    return candidates[0]


def audit_pages(catalogue: Catalogue, *, synthetic_prefix: str = "synthese") -> list[AuditPage]:
    """The audited pages, French first, in a stable order."""
    original = audited_article(catalogue, synthetic_prefix=synthetic_prefix)
    pages = []
    for lang in LANGS:
        version = catalogue.get(original.slug, lang)
        pages += [
            AuditPage(lang, "home", urls.home(lang)),
            AuditPage(lang, "article", urls.article(lang, original.slug)),
            AuditPage(lang, "listing", urls.all_articles(lang)),
            AuditPage(lang, "tag", urls.tag(lang, version.tags[0])),
        ]
    return pages
