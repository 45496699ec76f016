"""Reader-facing words and dates, per language.

Kept in one table so a missing English label is a KeyError in tests rather
than a French word on the English site.
"""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date as _babel_format_date

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "site_name": "SciDigest",
        "site_description": "L'actualité scientifique des laboratoires et des universités, en français et en anglais.",
        "latest": "Derniers articles",
        "page_n": "page {n}",
        "newer": "Plus récents",
        "older": "Plus anciens",
        "pagination": "Pagination",
        "all_articles": "Tous les articles",
        "all_articles_intro": "{n} articles, du plus récent au plus ancien.",
        "archive": "Archives",
        "archive_intro": "Les articles classés par année de publication.",
        "archive_year": "Articles de {year}",
        "undated": "Sans date",
        "archive_undated": "Articles sans date",
        # subjects, kinds, organisations, related articles (scidigest.site.taxonomy, .related)
        "subjects": "Thématiques",
        "subjects_intro": "Les articles classés par thématique, avec leur nombre.",
        "subject": "Thématique : {name}",
        "subject_feed": "Flux RSS de cette thématique",
        "subject_feed_title": "SciDigest — thématique : {name}",
        "article_subjects": "Thématiques de l'article",
        "kinds": "Types de textes",
        "kinds_intro": "Les articles classés par type de texte, avec leur nombre.",
        "kind_page": "Type de texte : {name}",
        "kind_press-release": "Communiqué de presse",
        "kind_news-article": "Article d'actualité",
        "kind_thesis-summary": "Résumé de thèse",
        "kind_article": "Article",
        "organisations": "Organismes",
        "organisations_intro": "Les articles classés par organisme d'origine, avec leur nombre.",
        "organisation_page": "Organisme : {name}",
        "related": "Articles liés",
        "article_neighbours": "Article précédent et suivant",
        "previous_article": "Article précédent",
        "next_article": "Article suivant",
        "n_articles_one": "{n} article",
        "n_articles_other": "{n} articles",
        "reading_time": "{n} min de lecture",
        "by": "Par",
        "image_missing": "Image non reproduite",  # a caption whose image is not kept (site/figures.py)
        "source": "Source originale",
        "original": "Lire l'original ({lang_name})",
        "machine_translation": "Traduction automatique",
        "reviewed_translation": "Traduction relue",
        # the article's provenance block and translation notice (meta.article_header_html)
        "provenance": "Provenance de l'article",
        "prov_organisation": "Source",
        "prov_organisation_unknown": "Organisme non indiqué",
        "prov_date": "Date",
        "prov_undated": "Sans date : la source n'en indique aucune",
        "prov_authors": "Auteurs",
        "prov_kind": "Type de texte",
        "prov_original": "Original",
        "prov_original_link": "Lire sur {host}",
        "prov_offline_pdf": "Pas en ligne : texte reçu sous forme de document PDF",
        "prov_offline_web": "Adresse non conservée : texte copié d'une page web",
        "prov_offline": "Pas de version en ligne connue",
        "prov_study": "Étude",
        "prov_journal": "Publiée dans",
        "tr_machine": "Traduction automatique ({provider}) de l'original en {lang_name} ; elle peut contenir des erreurs.",
        "tr_machine_reviewed": "Traduction automatique ({provider}) de l'original en {lang_name}, relue par une personne.",
        "tr_person": "Traduit de l'original en {lang_name} et relu par une personne.",
        "tr_original_gone": "L'original n'est plus publié sur ce site.",
        # share and print actions of an article (site/share.py)
        "share": "Partager",
        "share_native": "Partager…",
        "share_email": "Courriel",
        "print": "Imprimer",
        "feed": "Flux RSS",
        "feed_title": "SciDigest — actualité scientifique (français)",
        "about": "À propos et sources",
        "untranslated_title": "Article non traduit en français",
        "untranslated_body": "Cet article n'a pas encore été traduit en français. Il est disponible dans sa langue d'origine ({lang_name}) :",
        "only_other_lang": "Articles disponibles uniquement en anglais",
        "only_other_lang_intro": "Ces articles n'ont pas encore de version française.",
        "no_articles": "Aucun article pour le moment.",
        "lang_name_fr": "français",
        "lang_name_en": "anglais",
        "published": "Publié le",
        "organisation": "Organisme",
        "not_found_title": "Page introuvable",
        "not_found_body": "Cette page n'existe pas ou a été déplacée.",
        "moved_title": "Page déplacée",
        "moved_body": "Cette page a changé d'adresse :",
        "back_home": "Retour à l'accueil",
        "all_articles_link": "Voir tous les articles",
        # orientation (scidigest.site.orientation) and the footer's credit
        "home": "Accueil",
        "breadcrumb": "Fil d’Ariane",
        "made_with": "Fait avec {material}",
        # each listing page's own meta description (listings.listing_description)
        "listing_description": "{title}{page} — {count} sur SciDigest.",
        "listing_page_of": ", page {n} sur {pages}",
        "listing_examples": "À lire : {examples}.",
        "listing_examples_sep": " ; ",
        "listing_quote": "« {title} »",
        "preview_alt": "SciDigest : l'actualité scientifique des laboratoires et des universités",
        # the palette toggle of each scheme (partials/palette.html): what it switches to
        "palette_default": "Passer en mode sombre",
        "palette_slate": "Passer en mode clair",
    },
    "en": {
        "site_name": "SciDigest",
        "site_description": "Science news from laboratories and universities, in French and English.",
        "latest": "Latest articles",
        "page_n": "page {n}",
        "newer": "Newer",
        "older": "Older",
        "pagination": "Pagination",
        "all_articles": "All articles",
        "all_articles_intro": "{n} articles, newest first.",
        "archive": "Archive",
        "archive_intro": "Articles by year of publication.",
        "archive_year": "Articles from {year}",
        "undated": "Undated",
        "archive_undated": "Undated articles",
        # subjects, kinds, organisations, related articles (scidigest.site.taxonomy, .related)
        "subjects": "Topics",
        "subjects_intro": "Articles by topic, with their number.",
        "subject": "Topic: {name}",
        "subject_feed": "RSS feed of this topic",
        "subject_feed_title": "SciDigest — topic: {name}",
        "article_subjects": "Topics of this article",
        "kinds": "Text types",
        "kinds_intro": "Articles by type of text, with their number.",
        "kind_page": "Text type: {name}",
        "kind_press-release": "Press release",
        "kind_news-article": "News article",
        "kind_thesis-summary": "Thesis summary",
        "kind_article": "Article",
        "organisations": "Organisations",
        "organisations_intro": "Articles by source organisation, with their number.",
        "organisation_page": "Organisation: {name}",
        "related": "Related articles",
        "article_neighbours": "Previous and next article",
        "previous_article": "Previous article",
        "next_article": "Next article",
        "n_articles_one": "{n} article",
        "n_articles_other": "{n} articles",
        "reading_time": "{n} min read",
        "by": "By",
        "image_missing": "Image not reproduced",
        "source": "Original source",
        "original": "Read the original ({lang_name})",
        "machine_translation": "Machine translation",
        "reviewed_translation": "Reviewed translation",
        # the article's provenance block and translation notice (meta.article_header_html)
        "provenance": "Where this article comes from",
        "prov_organisation": "Source",
        "prov_organisation_unknown": "Organisation not stated",
        "prov_date": "Date",
        "prov_undated": "Undated: the source gives no date",
        "prov_authors": "Authors",
        "prov_kind": "Type of text",
        "prov_original": "Original",
        "prov_original_link": "Read it on {host}",
        "prov_offline_pdf": "Not online: the text was received as a PDF document",
        "prov_offline_web": "Address not recorded: the text was copied from a web page",
        "prov_offline": "No known online version",
        "prov_study": "Study",
        "prov_journal": "Published in",
        "tr_machine": "Machine translation ({provider}) of the {lang_name} original; it may contain errors.",
        "tr_machine_reviewed": "Machine translation ({provider}) of the {lang_name} original, reviewed by a person.",
        "tr_person": "Translated from the {lang_name} original and reviewed by a person.",
        "tr_original_gone": "The original is no longer published on this site.",
        # share and print actions of an article (site/share.py)
        "share": "Share",
        "share_native": "Share…",
        "share_email": "Email",
        "print": "Print",
        "feed": "RSS feed",
        "feed_title": "SciDigest — science news (English)",
        "about": "About and sources",
        "untranslated_title": "Article not yet translated into English",
        "untranslated_body": "This article has not been translated into English yet. It is available in its original language ({lang_name}):",
        "only_other_lang": "Articles available in French only",
        "only_other_lang_intro": "These articles have no English version yet.",
        "no_articles": "No articles yet.",
        "lang_name_fr": "French",
        "lang_name_en": "English",
        "published": "Published",
        "organisation": "Organisation",
        "not_found_title": "Page not found",
        "not_found_body": "This page does not exist or has moved.",
        "moved_title": "Page moved",
        "moved_body": "This page has moved to",
        "back_home": "Back to the home page",
        "all_articles_link": "See all articles",
        # orientation (scidigest.site.orientation) and the footer's credit
        "home": "Home",
        "breadcrumb": "Breadcrumb",
        "made_with": "Made with {material}",
        # each listing page's own meta description (listings.listing_description)
        "listing_description": "{title}{page} — {count} on SciDigest.",
        "listing_page_of": ", page {n} of {pages}",
        "listing_examples": "Including {examples}.",
        "listing_examples_sep": "; ",
        "listing_quote": "“{title}”",
        "preview_alt": "SciDigest: science news from laboratories and universities",
        # the palette toggle of each scheme (partials/palette.html): what it switches to
        "palette_default": "Switch to dark mode",
        "palette_slate": "Switch to light mode",
    },
}

#: Open Graph locales
OG_LOCALES = {"fr": "fr_FR", "en": "en_US"}


def t(lang: str, key: str, **kwargs) -> str:
    """Label ``key`` in ``lang``, formatted with ``kwargs``."""
    text = LABELS[lang][key]
    return text.format(**kwargs) if kwargs else text


def count(lang: str, n: int) -> str:
    return t(lang, "n_articles_one" if n == 1 else "n_articles_other", n=n)


def lang_name(reader_lang: str, lang: str) -> str:
    """Name of ``lang`` in the reader's language ("anglais", "French")."""
    return t(reader_lang, f"lang_name_{lang}")


@functools.lru_cache(maxsize=65536)
def format_date(date: dt.date | None, lang: str) -> str:
    """"30 septembre 2021" / "September 30, 2021"; empty for an undated article."""
    if date is None:
        return ""
    return _babel_format_date(date, format="long", locale=lang)
