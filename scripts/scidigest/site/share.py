"""Share and print actions of an article: plain links and two buttons, nothing from elsewhere.

What a reader of a news page expects under its header: send it by email, post it where they
post, print it. Sharing widgets from the networks load their script, set cookies and tell the
network who read what; none is used here. The row is:

* links that work without JavaScript: ``mailto:`` (title as subject, address as body, encoded
  as RFC 6068 says) and the share endpoints Bluesky and LinkedIn document for a plain link
  (``bsky.app/intent/compose``, ``linkedin.com/sharing/share-offsite``), each with the page's
  absolute address and ``rel="noopener noreferrer"`` (the network learns what is shared, not
  from where the reader came). Mastodon has no one address (every server is its own); the
  system share sheet below reaches it from a phone;
* a "Share…" button for the Web Share API and a "Print" button (``window.print``), both
  ``hidden`` in the markup: ``assets/javascripts/scidigest-share.js`` (the site's own file,
  loaded by ``partials/content.html``; the Content-Security-Policy forbids inline script,
  :mod:`.csp`) shows the first only where ``navigator.share`` exists and the second where
  script runs, so no reader sees a button that does nothing.

Without a ``site_url`` there is no absolute address to give: the links are left out and the
share button shares the address in the reader's address bar.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from scidigest.site.catalogue import Article
from scidigest.site.labels import t

#: network -> the share address, ``{url}`` and ``{text}`` percent-encoded
NETWORKS: tuple[tuple[str, str], ...] = (
    ("Bluesky", "https://bsky.app/intent/compose?text={text}%20{url}"),
    ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
)


def absolute_url(site_url: str | None, page_url: str) -> str | None:
    """The page's address on the web (``site_url`` + the site-root-relative ``page_url``)."""
    if not site_url or not site_url.lower().startswith(("https://", "http://")):
        return None
    return site_url.rstrip("/") + "/" + page_url.lstrip("/")


def _enc(text: str) -> str:
    return quote(text, safe="")


def share_links(article: Article, site_url: str | None, page_url: str) -> list[tuple[str, str, bool]]:
    """(label, href, external) of each share link; [] without an absolute address."""
    url = absolute_url(site_url, page_url)
    if url is None:
        return []
    lang = article.lang
    links = [(t(lang, "share_email"), f"mailto:?subject={_enc(article.title)}&body={_enc(url)}", False)]
    links += [(name, pattern.format(url=_enc(url), text=_enc(article.title)), True) for name, pattern in NETWORKS]
    return links


def share_html(article: Article, site_url: str | None, page_url: str) -> str:
    """The share and print row of an article page (see the module): a group named by its
    visible label, then the print button."""
    lang = article.lang
    url = absolute_url(site_url, page_url)
    target = f' data-sd-url="{escape(url)}"' if url else ""
    parts = [f'<span class="sd-share__label" id="sd-share-label">{escape(t(lang, "share"))}</span>',
             f'<button type="button" class="sd-share__button sd-share__native" data-sd-share'
             f' data-sd-title="{escape(article.title)}"{target} hidden>{escape(t(lang, "share_native"))}</button>']
    for label, href, external in share_links(article, site_url, page_url):
        rel = ' rel="noopener noreferrer external"' if external else ""
        parts.append(f'<a class="sd-share__link" href="{escape(href)}"{rel}>{escape(label)}</a>')
    return ('<div class="sd-actions">'
            '<div class="sd-share" role="group" aria-labelledby="sd-share-label">' + "".join(parts) + "</div>"
            f'<button type="button" class="sd-share__button sd-share__print" data-sd-print hidden>'
            f'{escape(t(lang, "print"))}</button></div>')
