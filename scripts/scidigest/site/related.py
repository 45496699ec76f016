"""What an article page offers next: related articles and the previous/next article.

Within one language only (an English article relates to English articles). Plain functions
over :class:`~.catalogue.Article`; :class:`Neighbours` is built once per language and build.

**Related articles** are ranked by, in order:

1. what they share: the weight of every subject in common (rarer subjects weigh more:
   ``log(1 + N / articles with it)``) plus the organisation's when it is the same;
2. the same kind of text;
3. the closer date (undated last);
4. the slug, so ties never depend on the order of the files.

**Bounded cost.** Candidates come from an index by term: for each subject (and the
organisation) of the article, the :data:`WINDOW` articles of that term closest in the
chronological order on each side, found by bisection in the term's posting list. A subject
every article has therefore costs ``2 * WINDOW`` candidates, not N: one article costs
``O((subjects + 2) * WINDOW)`` whatever the site's size, a build ``O(N * that)``, never N².
Each candidate found is scored on every term it shares, exactly. When fewer than
:data:`RELATED_MIN` share anything, the list is filled with the articles closest in time
(same order as above), so a page never ends with nothing to read next when the language has
other articles.

**Previous / next** follow the order of the listings (newest first, undated last):
"previous" is the older article, "next" the newer one.
"""

from __future__ import annotations

import bisect
import heapq
import math

from scidigest.site import taxonomy, urls
from scidigest.site.catalogue import Article
from scidigest.site.labels import format_date, t

#: most related articles shown
RELATED_MAX = 5
#: fewest shown (filled with the closest in time) when the language has that many others
RELATED_MIN = 3
#: candidates taken from each term's posting list on each side of the article
WINDOW = 16
#: weight of a shared organisation, as a fraction of the same term's subject weight
ORG_FACTOR = 0.8


class Neighbours:
    """Related and adjacent articles of one language's ``articles``, given in the
    catalogue's order (:meth:`Catalogue.in_lang`: newest first, undated last)."""

    def __init__(self, articles: list[Article]) -> None:
        langs = {a.lang for a in articles}
        if len(langs) > 1:
            raise ValueError(f"Neighbours: one language at a time, not {sorted(langs)}")
        self.order = list(articles)
        self._pos = {a.slug: i for i, a in enumerate(self.order)}
        self._subjects = [frozenset(taxonomy.subject_keys(a)) for a in self.order]
        self._org = [taxonomy.term_key(a.organisation) if a.organisation else None for a in self.order]
        self._kind = [taxonomy.kind_of(a) for a in self.order]
        self._day = [a.date.toordinal() if a.date is not None else None for a in self.order]
        #: term -> positions in self.order (ascending: built in order)
        self._postings: dict[tuple[str, str], list[int]] = {}
        for i, keys in enumerate(self._subjects):
            for key in keys:
                self._postings.setdefault(("s", key), []).append(i)
            if self._org[i] is not None:
                self._postings.setdefault(("o", self._org[i]), []).append(i)
        n = len(self.order)
        self._weight = {term: math.log(1 + n / len(posting)) for term, posting in self._postings.items()}
        #: subject key -> its weight (what _rank_key sums, without building a term tuple per key)
        self._subject_weight = {key: w for (kind, key), w in self._weight.items() if kind == "s"}
        #: each article's subjects as bits of one int (a bit per subject key), so what two articles
        #: share is one "&"; the weight of a set of shared subjects is summed once per distinct set
        bit = {key: 1 << n for n, key in enumerate(sorted(self._subject_weight))}
        self._mask = [sum(map(bit.__getitem__, keys)) for keys in self._subjects]
        self._bit_keys = {b: key for key, b in bit.items()}
        self._mask_weight: dict[int, float] = {0: 0.0}

    def position(self, article: Article) -> int:
        i = self._pos.get(article.slug)
        if i is None or self.order[i].lang != article.lang:
            raise KeyError(f"{article.lang}/{article.slug} is not among these articles")
        return i

    def previous(self, article: Article) -> Article | None:
        """The older article (the next one down the listings), or None for the last."""
        i = self.position(article)
        return self.order[i + 1] if i + 1 < len(self.order) else None

    def next(self, article: Article) -> Article | None:
        """The newer article (the one above in the listings), or None for the first."""
        i = self.position(article)
        return self.order[i - 1] if i > 0 else None

    def _terms(self, i: int) -> list[tuple[str, str]]:
        terms = [("s", key) for key in sorted(self._subjects[i])]
        if self._org[i] is not None:
            terms.append(("o", self._org[i]))
        return terms

    def candidates(self, article: Article) -> set[int]:
        """Positions of the articles sharing a term with ``article`` that are among the
        :data:`WINDOW` closest on either side in that term's posting list."""
        i = self.position(article)
        found: set[int] = set()
        for term in self._terms(i):
            posting = self._postings[term]
            at = bisect.bisect_left(posting, i)
            found.update(posting[max(0, at - WINDOW) : at + 1 + WINDOW])
        found.discard(i)
        return found

    def _rank_key(self, i: int, j: int) -> tuple:
        """How ``j`` ranks as related to ``i``, smallest first: shared weight (more first),
        same kind first, closer date first (undated last), then slug."""
        return self._rank_keys(i, self._scores(i, (j,)))[0][:-1]

    def _scores(self, i: int, js) -> list[tuple[float, int]]:
        """``(shared weight, j)`` for each ``j`` of ``js``: the weight of every subject in
        common plus the organisation's, rounded (the first part of the rank key)."""
        masks, orgs, memo = self._mask, self._org, self._mask_weight
        mine, org = masks[i], orgs[i]
        org_weight = ORG_FACTOR * self._weight[("o", org)] if org is not None else 0.0
        scored = []
        seen: dict[int, float] = {}  # (shared subjects' bits, same organisation) -> rounded weight
        for j in js:
            key = (mine & masks[j]) << 1 | (org is not None and org == orgs[j])
            shared = seen.get(key)
            if shared is None:
                both = key >> 1
                weight = memo.get(both)
                if weight is None:
                    weight = memo[both] = self._weight_of(both)
                shared = seen[key] = round(weight + org_weight if key & 1 else weight, 9)
            scored.append((shared, j))
        return scored

    def _weight_of(self, mask: int) -> float:
        """The summed weight of the subjects whose bits ``mask`` has."""
        weight, keys, total = self._subject_weight, self._bit_keys, 0.0
        while mask:
            low = mask & -mask
            total += weight[keys[low]]
            mask ^= low
        return total

    def _rank_keys(self, i: int, scored) -> list[tuple]:
        """``_rank_key(i, j) + (j,)`` for each ``(shared, j)`` of ``scored`` (:meth:`_scores`),
        with the article's own facts looked up once."""
        kinds, days, order = self._kind, self._day, self.order
        kind, day = kinds[i], days[i]
        keys = []
        for shared, j in scored:
            b = days[j]
            apart = abs(day - b) if day is not None and b is not None else None
            keys.append((-shared, kind != kinds[j], apart is None, apart or 0, order[j].slug, j))
        return keys

    def related(self, article: Article, limit: int = RELATED_MAX) -> list[Article]:
        """Up to ``limit`` related articles, best first (see the module docstring)."""
        i = self.position(article)
        if limit <= 0:
            return []
        scored = self._scores(i, self.candidates(article))
        if len(scored) > limit:  # the shared weight ranks first: only those at least the limit-th best's can make it
            floor = heapq.nlargest(limit, scored)[-1][0]
            scored = [pair for pair in scored if pair[0] >= floor]
        best = heapq.nsmallest(limit, self._rank_keys(i, scored))
        chosen = [self.order[key[-1]] for key in best]
        want = min(RELATED_MIN, limit, len(self.order) - 1)
        if len(chosen) < want:  # fill with the closest in time (never the article itself, never twice)
            taken = {key[-1] for key in best} | {i}
            nearby = range(max(0, i - WINDOW), min(len(self.order), i + WINDOW + 1))
            fill = heapq.nsmallest(want - len(chosen), self._rank_keys(i, self._scores(i, [j for j in nearby if j not in taken])))
            chosen += [self.order[key[-1]] for key in fill]
        return chosen

def _link(article: Article, from_url: str) -> dict:
    return {
        "href": urls.relative(urls.article(article.lang, article.slug), from_url),
        "title": article.title,
        "datetime": article.date.isoformat() if article.date is not None else "",
        "date": format_date(article.date, article.lang),
        "organisation": article.organisation or "",
    }


def page_context(neighbours: Neighbours, article: Article, from_url: str) -> dict:
    """What the theme's end of article (``partials/content.html``) prints: plain values,
    escaped by the template; links relative to ``from_url``."""
    lang = article.lang
    before, after = neighbours.previous(article), neighbours.next(article)
    return {
        "related_label": t(lang, "related"),
        "related": [_link(a, from_url) for a in neighbours.related(article)],
        "pager_label": t(lang, "article_neighbours"),
        "previous": {**_link(before, from_url), "label": t(lang, "previous_article")} if before else None,
        "next": {**_link(after, from_url), "label": t(lang, "next_article")} if after else None,
    }



def _facts(article: Article | None) -> tuple | None:
    return None if article is None else (article.slug, article.title, article.date, article.organisation)


def end_signatures(neighbours: Neighbours) -> dict[str, tuple]:
    """Slug -> what the end of that article's page shows (its related articles, previous and
    next, with every fact :func:`page_context` prints of them), for the preview to tell which
    pages an edit elsewhere changed."""
    return {a.slug: (tuple(_facts(r) for r in neighbours.related(a)), _facts(neighbours.previous(a)),
                     _facts(neighbours.next(a))) for a in neighbours.order}


def changed_pages(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """Slugs whose end of page differs between two :func:`end_signatures` (new ones included)."""
    return [slug for slug, ends in after.items() if before.get(slug) != ends]
