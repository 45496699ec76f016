"""The preview's renderer: one full build at start, then only what an edit changes.

:class:`Preview` keeps, between saves, what a build computes once: the loaded
config and plugins, each language pass's files, navigation and templates
(:class:`.internals.Pass`), the catalogue of front matter, every page's
rendered output (in the output directory) and its search entries. A save
re-reads only the changed file and marks *dirty* the outputs whose inputs
changed:

* the article in every language (its page, its translation's switcher and
  header, or the "not translated" notice);
* the generated listings whose planned content changed (the hook plans them
  from the catalogue; each is compared with the one it replaces);
* the hand-written pages that show catalogue data (home cards, the sources
  on the about page: every non-article, non-generated page, a handful);
* the other articles whose related articles or previous/next changed (when
  the preview settles, which it does before serving any page);
* the feeds and search indexes, and the sitemap when pages come or go.

Dirty outputs are rendered on demand (:meth:`Preview.ensure`, when the
browser asks for one) or by :meth:`Preview.work` in the background, through
MkDocs' own page pipeline, so every plugin and hook runs as in ``mkdocs
build``. Adding or deleting a page gathers each pass's files and navigation
again (the rest is kept). A change to ``mkdocs.yml``, the theme or the hook's
code is not handled here: :class:`Restart` asks the caller to start over.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scidigest.site import related, urls
from scidigest.site.catalogue import Catalogue, article_from_meta, parse_article_name
from scidigest.site.mkdocs import state
from scidigest.site.preview import internals

log = logging.getLogger("scidigest.preview")

#: outputs that are not pages: rebuilt after the pages they summarise
POST = "post"  # feeds and search indexes (every plugin's on_post_build)
STATIC = "static"  # the theme's static templates: sitemap.xml, 404.html


class Restart(Exception):
    """A change the preview cannot apply incrementally (configuration, theme, code)."""


@dataclass
class Change:
    """What one batch of saved files did to the site's inputs."""

    slugs: set[str] = field(default_factory=set)  # articles whose front matter or body changed
    pages: set[str] = field(default_factory=set)  # other documentation pages (src_uri) edited
    assets: set[str] = field(default_factory=set)  # static files (src_uri) edited
    structure: bool = False  # a documentation file appeared or disappeared

    def __bool__(self) -> bool:
        return bool(self.slugs or self.pages or self.assets or self.structure)


def _url(file) -> str:
    return "" if file.url in ("./", ".") else file.url


def _front_matter_problem(text: str) -> str:
    """One line on why the front matter of ``text`` gave no metadata."""
    import yaml

    head = text.split("\n---", 1)[0].removeprefix("---")
    try:
        data = yaml.safe_load(head)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        return f"front matter is not valid YAML{where}: {getattr(error, 'problem', None) or error}"
    return f"front matter is not a mapping but {type(data).__name__}"


class Preview:
    """The site of ``config_file`` built into ``site_dir`` and kept up to date."""

    def __init__(self, config_file: Path, site_dir: Path, *, watch_roots: Iterable[Path] = ()) -> None:
        self.config_file = Path(config_file).resolve()
        self.site_dir = Path(site_dir).resolve()
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.config = None
        self.passes: dict[str, internals.Pass] = {}
        self._settled_catalogue = None  # the catalogue the article pages were last marked for
        self._ends: dict[str, dict[str, tuple]] = {}  # lang -> related.end_signatures for it
        self.langs: list[str] = []
        self.dirty: dict[str, str] = {}  # url -> language of the page to render
        self.dirty_other: set[str] = set()  # POST, STATIC
        self.generation = 0  # bumped after each applied change (the browser reloads)
        self.waiting = 0  # requests waiting for the lock: background work yields to them
        self.pending: str | None = None  # "replan" or "regather", left by apply() for settle()
        self.pending_slugs: set[str] = set()
        self._memo = internals._MemoizedI18nFiles()
        self.restart_roots = [Path(p).resolve() for p in watch_roots]

    # -- start -----------------------------------------------------------------

    def start(self) -> None:
        """The first build: MkDocs' own ``build()``, recorded pass by pass."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        with self.lock:
            config = load_config(str(self.config_file), site_dir=str(self.site_dir), strict=False)
            recorder = internals.Recorder()
            config.plugins["scidigest-preview"] = recorder
            config.plugins.on_startup(command="build", dirty=False)
            build(config)
            recorder.recording = False
            self.config = config
            self.langs = internals.build_languages(config)
            self.passes = {lang: recorder.passes[lang] for lang in self.langs}
            self._settled_catalogue = state.current().catalogue  # see _mark_neighbours
            self._ends = {lang: related.end_signatures(related.Neighbours(self._settled_catalogue.in_lang(lang)))
                          for lang in self.langs}
            internals.search_plugin(config).search_index.entries = []
            self.generation += 1

    def close(self) -> None:
        if self.config is not None:
            self.config.plugins.on_shutdown()

    @property
    def docs_dir(self) -> Path:
        return Path(self.config.docs_dir).resolve()

    # -- what is where ---------------------------------------------------------

    def page_for(self, url: str):
        """(language, File) of the page served at site-relative ``url``, or None."""
        for lang, p in self.passes.items():
            file = p.by_url().get(url)
            if file is not None:
                return lang, file
        return None

    def _pages(self, lang: str) -> dict[str, object]:
        return self.passes[lang].by_url()

    # -- applying a change -----------------------------------------------------

    def classify(self, paths: Iterable[Path]) -> Change:
        """Sort saved paths into what they change; :class:`Restart` for anything
        outside the docs directory (mkdocs.yml, theme, hook code)."""
        change = Change()
        docs = self.docs_dir
        build = state.current()
        inside = str(docs) + os.sep
        known = {f.src_uri for p in self.passes.values() for f in p.files
                 if f.abs_src_path and f.abs_src_path.startswith(inside)}
        for path in paths:
            path = Path(os.path.abspath(path))
            try:
                rel = path.relative_to(docs).as_posix()
            except ValueError:
                raise Restart(str(path)) from None
            if any(part.startswith(".") for part in Path(rel).parts) or rel.endswith("~"):
                continue  # editor swap and backup files: never part of the site
            exists = path.is_file()
            parsed = parse_article_name(rel.rpartition("/")[2]) if rel.startswith("articles/") else None
            if parsed is not None and rel.count("/") == 1:
                slug, _lang = parsed
                if exists != (rel in build.sources):
                    change.structure = True
                change.slugs.add(slug)
            elif exists != (rel in known):
                change.structure = True
            elif rel.endswith(".md"):
                change.pages.add(rel)
            elif exists:
                change.assets.add(rel)
        return change

    def apply(self, paths: Iterable[Path]) -> Change:
        """Bring the preview's inputs up to date with saved ``paths`` and mark
        what they make stale. Raises :class:`Restart` when it cannot.

        Only the cheap part happens here: the changed files are read again
        and the pages that show them directly (the article in every language,
        the hand-written pages) are marked, so the page being edited can be
        served at once. Planning the listings again, or gathering the passes
        again when a page came or went, is left to :meth:`settle`, which runs
        before anything that depends on it is served or rendered."""
        with self.lock:
            change = self.classify(paths)
            if not change:
                return change
            catalogue_changed = self._reread(change)
            if not change:  # saved without a change
                return change
            if change.structure:
                self.pending = "regather"
            elif catalogue_changed and self.pending is None:
                self.pending = "replan"
            self.pending_slugs |= change.slugs
            for slug in change.slugs:
                for lang in self.langs:
                    self._mark(lang, urls.article(lang, slug))
            for src_uri in change.pages:
                for lang, p in self.passes.items():
                    for f in p.doc_files:
                        if f.src_uri == src_uri:
                            self._mark(lang, _url(f))
            if catalogue_changed:
                self._mark_catalogue_pages()
            for src_uri in change.assets:
                for p in self.passes.values():
                    for f in p.files:
                        if f.src_uri == src_uri and not f.is_documentation_page():
                            internals.copy_static_file(f)
            if catalogue_changed or change.pages or change.structure:
                self.dirty_other.add(POST)
            if catalogue_changed:  # the sitemap's lastmod follows the articles' dates (hooks._sitemap_lastmod)
                self.dirty_other.add(STATIC)
            self.generation += 1
            self.changed.notify_all()
            return change

    def settle(self) -> None:
        """Finish what :meth:`apply` left: plan the generated pages again and
        mark those that changed; when pages come or go, gather every pass's
        files and navigation again."""
        with self.lock:
            pending, slugs = self.pending, self.pending_slugs
            if pending is None:
                return
            self.pending, self.pending_slugs = None, set()
            if not (pending == "replan" and self._replan()):
                self._regather(Change(slugs=slugs, structure=True))
            self._mark_neighbours()

    def _mark_neighbours(self) -> None:
        """The end of every article (related articles, previous/next: scidigest.site.related)
        follows the catalogue, so an edit to one article can change others: mark those that
        differ from what the catalogue of the last settle gave them (0.3 ms per article)."""
        now = state.current().catalogue
        if now is self._settled_catalogue:
            return
        for lang in self.langs:
            ends = related.end_signatures(related.Neighbours(now.in_lang(lang)))
            for slug in related.changed_pages(self._ends.get(lang, {}), ends):
                self._mark(lang, urls.article(lang, slug))
            self._ends[lang] = ends
        self._settled_catalogue = now

    def _reread(self, change: Change) -> bool:
        """Read every changed article again (front matter and body, as the hook
        does); True when the catalogue changed. An unreadable file keeps its
        last good version, with one line naming it."""
        from mkdocs.utils.meta import get_data

        build = state.current()
        articles = {(a.slug, a.lang): a for a in build.catalogue.articles}
        changed = False
        edited: set[str] = set()
        for slug in sorted(change.slugs):
            for lang in self.langs:
                src_uri = f"articles/{slug}.{lang}.md"
                path = self.docs_dir / src_uri
                if not path.is_file():
                    if build.sources.pop(src_uri, None) is not None:
                        articles.pop((slug, lang), None)
                        changed = True
                        edited.add(slug)
                    continue
                try:
                    with open(path, encoding="utf-8-sig", errors="strict") as f:  # as MkDocs reads it
                        text = f.read()
                    body, meta = get_data(text)
                    if not meta and text.startswith("---"):
                        # MkDocs drops front matter it cannot parse without a word; mkdocs build
                        # shows the page the same way, so the preview does too, and says why
                        log.warning("preview: %s: %s", path, _front_matter_problem(text))
                    article = article_from_meta(meta, slug=slug, lang=lang)
                except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as error:
                    log.error("preview: %s: %s (the last good version stays)", path, error)
                    continue
                if build.sources.get(src_uri) == (body, meta):
                    continue
                build.sources[src_uri] = (body, meta)
                edited.add(slug)
                if articles.get((slug, lang)) != article:
                    changed = True
                articles[(slug, lang)] = article
        change.slugs = edited
        if changed:
            # the order the hook reads them in: sorted file names
            build.catalogue = Catalogue(sorted(articles.values(), key=lambda a: f"{a.slug}.{a.lang}.md"),
                                        docs_dir=build.catalogue.docs_dir)
        return changed

    def _mark(self, lang: str, url: str) -> None:
        if url in self._pages(lang):
            self.dirty[url] = lang

    def _mark_catalogue_pages(self) -> None:
        """Pages written by hand may show catalogue data (home cards, sources)."""
        build = state.current()
        for lang, p in self.passes.items():
            for f in p.doc_files:
                if getattr(f, "sd_planned", None) is None and f.src_uri not in build.sources:
                    self.dirty[_url(f)] = lang

    def _replan(self) -> bool:
        """Plan every language's generated pages again; update the ones that
        changed in place and mark them. False when pages would come or go."""
        updates = []
        for lang, p in self.passes.items():
            internals.enter_language(self.config, lang)
            try:
                fresh = {_url(f): f for f in internals.generated_by_hooks(self.config, lang)}
            finally:
                internals.leave_language(self.config)
            current = {_url(f): f for f in p.files if getattr(f, "sd_planned", None) is not None}
            if fresh.keys() != current.keys():
                return False
            for url, new in fresh.items():
                old = current[url]
                if old.sd_planned != new.sd_planned:
                    updates.append((lang, url, old, new))
        for lang, url, old, new in updates:
            translations_changed = old.sd_planned.translations != new.sd_planned.translations
            internals.update_generated_file(old, new)
            self.dirty[url] = lang
            if translations_changed:
                self.dirty_other.add(STATIC)  # the sitemap lists alternates
        return True

    def _regather(self, change: Change) -> None:
        """Files and navigation of every pass again (a page came or went);
        pages whose inputs did not change keep their rendered state."""
        old = self.passes
        build = state.current()
        with self._memo:
            new: dict[str, internals.Pass] = {}
            for lang in self.langs:
                internals.enter_language(self.config, lang)
                try:
                    new[lang] = internals.gather(self.config, lang)
                finally:
                    internals.leave_language(self.config)
        self._memo.forget({f.src_path for p in new.values() for f in p.files})
        changed_articles = {f"articles/{slug}.{lang}.md" for slug in change.slugs for lang in self.langs}
        for lang, p in new.items():
            before = old[lang].by_url()
            for url, f in p.by_url().items():
                prior = before.get(url)
                planned = getattr(f, "sd_planned", None)
                if prior is None or prior.page is None or url in self.dirty:
                    self.dirty[url] = lang
                elif planned is not None:
                    if getattr(prior, "sd_planned", None) != planned:
                        self.dirty[url] = lang
                    else:
                        internals.carry_page_state(prior.page, f.page)
                elif f.src_uri in build.sources and f.src_uri not in changed_articles and prior.src_uri == f.src_uri:
                    internals.carry_page_state(prior.page, f.page)
                else:
                    self.dirty[url] = lang
                p.entries[url] = old[lang].entries.get(url, [])
            for url in before.keys() - p.by_url().keys():
                self.dirty.pop(url, None)
                self._remove_output(before[url])
            old_static = {f.abs_dest_path: f for f in old[lang].files if not f.is_documentation_page()}
            new_static = set()
            for f in p.files:
                if not f.is_documentation_page():
                    new_static.add(f.abs_dest_path)
                    if f.abs_dest_path not in old_static:
                        internals.copy_static_file(f)
            for dest in old_static.keys() - new_static:
                if all(dest not in {g.abs_dest_path for g in q.files} for q in new.values()):
                    self._remove_output(old_static[dest])
        for slug in change.slugs:
            for lang in self.langs:
                url = urls.article(lang, slug)
                if url in new[lang].by_url():
                    self.dirty[url] = lang
        self.passes = new
        self.dirty_other.update((POST, STATIC))

    def _remove_output(self, file) -> None:
        path = Path(file.abs_dest_path)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        parent = path.parent
        while parent != self.site_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    # -- rendering -------------------------------------------------------------

    def render(self, url: str) -> bool:
        """Render the dirty page at ``url`` now (False: it was not dirty).
        Generated pages wait for :meth:`settle` (their plan may be stale);
        articles and hand-written pages depend on the catalogue only."""
        with self.lock:
            if self.pending is not None and url in self.dirty:
                file = self.passes[self.dirty[url]].by_url().get(url)
                if file is None or getattr(file, "sd_planned", None) is not None:
                    self.settle()
            lang = self.dirty.pop(url, None)
            if lang is None:
                return False
            p = self.passes[lang]
            file = p.by_url().get(url)
            if file is None:
                return False
            internals.enter_language(self.config, lang)
            try:
                p.entries[url] = internals.render_page(self.config, p, file.page)
            except Exception as error:  # one bad page never stops the preview
                log.error("preview: %s: %s", file.src_uri, error)
            finally:
                internals.leave_language(self.config)
            return True

    def render_other(self, what: str) -> bool:
        with self.lock:
            self.settle()
            if what not in self.dirty_other:
                return False
            if what == POST and self.dirty:
                self.flush_pages()  # the index summarises every page
            self.dirty_other.discard(what)
            if what == POST:
                self._post_build()
            else:
                self._static_templates()
            return True

    def _static_templates(self) -> None:
        """Each pass's static templates in build order; what they show of the
        language switcher is what the page before them left (see
        :func:`.internals.forget_switcher`): none for the first pass, the
        previous pass's last page for the others, which is rendered again
        (from unchanged inputs, so to the same bytes) to leave it."""
        for i, lang in enumerate(self.langs):
            if i == 0:
                internals.forget_switcher(self.config)
            else:
                before = self.langs[i - 1]
                last = self.passes[before].doc_files[-1] if self.passes[before].doc_files else None
                if last is not None:
                    self.dirty[_url(last)] = before
                    self.render(_url(last))
            internals.enter_language(self.config, lang)
            try:
                internals.build_static_templates(self.config, self.passes[lang])
            finally:
                internals.leave_language(self.config)

    def _entries(self, lang: str) -> list[dict]:
        p = self.passes[lang]
        return [e for f in p.doc_files for e in p.entries.get(_url(f), [])]

    def _post_build(self) -> None:
        """Feeds and search indexes as a full build leaves them: each other
        language's post-build with its own entries, then the default
        language's with every language's entries (i18n's merge)."""
        default, *others = self.langs
        for lang in others:
            internals.post_build(self.config, lang, self._entries(lang))
        internals.post_build(self.config, default, [e for lang in self.langs for e in self._entries(lang)])

    def flush_pages(self) -> None:
        with self.lock:
            self.settle()
            while self.dirty:
                self.render(next(iter(self.dirty)))

    def flush(self) -> None:
        """Render everything still dirty: the output then equals a full build's."""
        with self.lock:
            self.settle()
            self.flush_pages()
            for what in (POST, STATIC):
                self.render_other(what)

    def stale(self) -> bool:
        """Whether anything is left to plan or render."""
        return bool(self.pending or self.dirty or self.dirty_other)

    def work(self) -> bool:
        """Plan, or render one dirty output (background work); False when none is left."""
        with self.lock:
            if self.pending is not None:
                self.settle()
                return True
            if self.dirty:
                return self.render(next(iter(self.dirty)))
            for what in (POST, STATIC):
                if what in self.dirty_other:
                    return self.render_other(what)
            return False

    # -- serving ---------------------------------------------------------------

    def ensure(self, path: str) -> None:
        """Before serving site-relative ``path``: render it if it is dirty."""
        url = path.lstrip("/")
        if url.endswith("index.html"):
            url = url[: -len("index.html")]
        with self.lock:
            page_like = url == "" or url.endswith(("/", ".html", ".xml", ".json", ".gz"))
            if url not in self.dirty and self.pending is not None and page_like:
                self.settle()  # a page that may just have appeared, or a listing (never for assets)
            if url in self.dirty:
                self.render(url)
                return
            if url.endswith(".xml.gz") or url.endswith("sitemap.xml"):
                self.render_other(STATIC)
            elif url.endswith(".xml") or url.endswith(".json"):
                self.render_other(POST)
            elif url.endswith("404.html"):
                self.render_other(STATIC)
