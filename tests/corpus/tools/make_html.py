#!/usr/bin/env python3
"""Build the HTML half of the ingest test corpus (tests/corpus/{dev,holdout}/html-*).

What it does, for every data file in tests/corpus/tools/html_texts/*.yaml:

1. renders the article (text written for this corpus, invented labs and people)
   inside the chrome of a common CMS (WordPress, Drupal, SPIP, TYPO3, Ghost)
   and writes ``source.html`` (UTF-8, or Windows-1252 when the data file says so);
2. runs five real extractors on it, keeping their output untouched:
     extracted/html2text.txt   html2text CLI, default options
                               (the encoding is passed as the CLI's positional
                               argument for the Windows-1252 page, otherwise the
                               CLI stops with a UnicodeDecodeError)
     extracted/markdownify.md  markdownify.markdownify(html), default options
     extracted/pandoc.md       pandoc -f html -t markdown
     extracted/w3m.txt         w3m -dump -T text/html -cols 80
     extracted/lynx.txt        lynx -dump -force_html -width=80
   (all run with LC_ALL=C.UTF-8 from inside the document folder);
3. writes ``truth.yaml``: title/date/organisation/authors from the data file,
   ``fragments`` picked deterministically from the article body blocks (first and
   last paragraph, a list item, the paragraph after a subheading, the paragraph
   with a footnote marker -- without the marker -- and evenly spread others),
   ``chrome`` copied from the data file;
4. checks every truth file against source.html (see ``check()``).

Tools needed (not used by the test suite):
  apt-get install pandoc w3m lynx
  a venv of its own outside the repo:  python3 -m venv /tmp/corpus-html-venv &&
      /tmp/corpus-html-venv/bin/pip install html2text markdownify pyyaml beautifulsoup4
Run from the repo root:
  /tmp/corpus-html-venv/bin/python tests/corpus/tools/make_html.py [--no-extract] [--check-only] [ID ...]

Body mini-markup used in the data files (blocks separated by blank lines):
  "## x" / "### x" subheadings, "- x" list items, "1. x" ordered items,
  "> x" blockquote paragraphs, "@chapo x" standfirst paragraph, "[figure]" figure
  position; inline: *em*, **strong**, [text](url), [^N] footnote marker as
  <sup>, {N} footnote marker glued to the word as a plain digit, {uN} the same
  as a Unicode superscript digit (¹).
"""
from __future__ import annotations

import html as htmlmod
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
TEXTS = HERE / "html_texts"
SENT = "\x01"  # marks footnote markers in the plain text used to pick fragments
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

ENV = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
VENV_BIN = Path(sys.executable).parent


def esc(s: str) -> str:
    return htmlmod.escape(str(s), quote=False)


def attr(s: str) -> str:
    return htmlmod.escape(str(s), quote=True)


# ---------------------------------------------------------------- body markup
class Body:
    def __init__(self, d: dict):
        self.d = d
        self.blocks: list[dict] = []  # {kind, plain, after_heading}
        self.fn_style = d.get("fn_style", "link")

    def inline(self, text: str) -> tuple[str, str]:
        """Return (html, plain-with-sentinels)."""
        h = esc(text)
        p = text
        url = self.d["url"]

        def sup(m):
            n = m.group(1)
            if self.fn_style == "plain":
                return f"<sup>{n}</sup>"
            return (f'<sup><a href="{url}#note-{n}" id="ref-{n}" '
                    f'class="footnote-ref">{n}</a></sup>')

        h = re.sub(r"\[\^(\d+)\]", sup, h)
        h = re.sub(r"\{u(\d+)\}", lambda m: m.group(1).translate(SUPERSCRIPT), h)
        h = re.sub(r"\{(\d+)\}", r"\1", h)
        h = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", h)
        h = re.sub(r"\*(.+?)\*", r"<em>\1</em>", h)
        h = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', h)
        p = re.sub(r"\[\^(\d+)\]", SENT + r"\1" + SENT, p)
        p = re.sub(r"\{u(\d+)\}", lambda m: SENT + m.group(1).translate(SUPERSCRIPT) + SENT, p)
        p = re.sub(r"\{(\d+)\}", SENT + r"\1" + SENT, p)
        p = re.sub(r"\*\*(.+?)\*\*", r"\1", p)
        p = re.sub(r"\*(.+?)\*", r"\1", p)
        p = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1", p)
        return h, p

    def render(self, figure_html: str = "", hclass: str = "") -> str:
        out = []
        after_heading = False
        for raw in re.split(r"\n\s*\n", self.d["body"].strip()):
            lines = [ln.strip() for ln in raw.strip().splitlines()]
            first = lines[0]
            if first == "[figure]":
                out.append(figure_html)
                continue
            if first.startswith("##"):
                lvl = 3 if first.startswith("###") else 2
                h, _ = self.inline(first.lstrip("#").strip())
                cls = f' class="{hclass}"' if hclass else ""
                out.append(f"<h{lvl}{cls}>{h}</h{lvl}>")
                after_heading = True
                continue
            if first.startswith("- ") or re.match(r"\d+\. ", first):
                tag = "ul" if first.startswith("- ") else "ol"
                items = []
                for ln in lines:
                    h, p = self.inline(re.sub(r"^(- |\d+\. )", "", ln))
                    items.append(f"<li>{h}</li>")
                    self.blocks.append({"kind": "li", "plain": p, "after_heading": False})
                out.append(f"<{tag}>\n" + "\n".join(items) + f"\n</{tag}>")
                after_heading = False
                continue
            if first.startswith(">"):
                paras = []
                for ln in lines:
                    h, p = self.inline(ln.lstrip(">").strip())
                    paras.append(f"<p>{h}</p>")
                    self.blocks.append({"kind": "quote", "plain": p, "after_heading": False})
                out.append("<blockquote>\n" + "\n".join(paras) + "\n</blockquote>")
                after_heading = False
                continue
            text = " ".join(lines)
            kind = "p"
            cls = ""
            if text.startswith("@chapo "):
                text = text[len("@chapo "):]
                kind = "chapo"
                cls = f' class="{self.d.get("chapo_class", "chapo")}"'
            h, p = self.inline(text)
            out.append(f"<p{cls}>{h}</p>")
            self.blocks.append({"kind": kind, "plain": p, "after_heading": after_heading})
            after_heading = False
        return "\n".join(out)


def pick_fragments(blocks: list[dict], want: int = 10) -> list[str]:
    n = len(blocks)
    chosen: list[tuple[int, str]] = []  # (block index, role)
    paras = [i for i, b in enumerate(blocks) if b["kind"] in ("p", "chapo")]
    chosen.append((paras[0], "first"))
    chosen.append((paras[-1], "last"))
    lis = [i for i, b in enumerate(blocks) if b["kind"] == "li"]
    if lis:
        chosen.append((lis[len(lis) // 2], "li"))
    ah = [i for i, b in enumerate(blocks) if b["after_heading"]]
    if ah:
        chosen.append((ah[0], "heading"))
    fn = [i for i, b in enumerate(blocks) if SENT in b["plain"]]
    for i in fn[:2]:
        chosen.append((i, "footnote"))
    used = {i for i, _ in chosen}
    rest = [i for i in range(n) if i not in used and blocks[i]["kind"] != "li"]
    k = max(0, want - len(chosen))
    if rest and k:
        step = len(rest) / k
        for j in range(k):
            idx = rest[min(len(rest) - 1, int(j * step + step / 2))]
            if idx not in used:
                used.add(idx)
                chosen.append((idx, "spread"))
    chosen.sort()
    frags = []
    roles = set()
    for seq, (i, role) in enumerate(chosen):
        f = window(blocks[i]["plain"], role, seq)
        if f and f not in frags:
            frags.append(f)
            roles.add(role)
    missing = {"first", "last", "li", "heading", "footnote"} - roles
    if missing:
        raise SystemExit(f"no fragment for {sorted(missing)}")
    return frags


def window(plain: str, role: str, seq: int) -> str | None:
    toks = plain.split()
    ok = [SENT not in t for t in toks]
    wordy = [bool(re.search(r"\w", t.replace(SENT, ""))) for t in toks]
    target = 7 + (seq * 3) % 6  # 7..12 words
    for L in [target] + list(range(target - 1, 5, -1)) + list(range(target + 1, 13)):
        if L > len(toks):
            continue
        if role == "footnote":
            m = next(i for i, t in enumerate(toks) if SENT in t)
            prefs = [m + 1, m - L] + list(range(len(toks)))
        elif role == "first":
            prefs = list(range(len(toks)))
        elif role == "last":
            prefs = list(range(len(toks) - L, -1, -1))
        else:
            mid = max(0, (len(toks) - L) // 3)
            prefs = list(range(mid, len(toks))) + list(range(mid, -1, -1))
        for s in prefs:
            e = s + L
            if s < 0 or e > len(toks):
                continue
            if all(ok[s:e]) and wordy[s] and wordy[e - 1]:
                return " ".join(toks[s:e])
    return None


# ---------------------------------------------------------------- chrome bits
def ul(items, cls="", link=True, base="#"):
    c = f' class="{cls}"' if cls else ""
    lis = []
    for it in items:
        if link:
            lis.append(f'<li><a href="{base}">{esc(it)}</a></li>')
        else:
            lis.append(f"<li>{esc(it)}</li>")
    return f"<ul{c}>\n" + "\n".join(lis) + "\n</ul>"


def slug(s: str) -> str:
    s = s.lower()
    for a, b in (("é", "e"), ("è", "e"), ("ê", "e"), ("à", "a"), ("â", "a"), ("ç", "c"),
                 ("ô", "o"), ("î", "i"), ("ï", "i"), ("û", "u"), ("ù", "u"), ("’", "-"), ("'", "-")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:60]


class Page:
    def __init__(self, d: dict):
        self.d = d
        self.c = d.get("chrome", {}) or {}
        self.site_url = d["site_url"].rstrip("/")
        self.body = Body(d)

    def link(self, text, path=None, cls=""):
        href = self.site_url + "/" + (path or slug(text)) + "/"
        c = f' class="{cls}"' if cls else ""
        return f'<a href="{href}"{c}>{esc(text)}</a>'

    def links_ul(self, items, cls="", li_cls=""):
        c = f' class="{cls}"' if cls else ""
        lc = f' class="{li_cls}"' if li_cls else ""
        return f"<ul{c}>\n" + "\n".join(f"<li{lc}>{self.link(i)}</li>" for i in items) + "\n</ul>"

    def get(self, key, default=None):
        return self.c.get(key, default)

    # --- head
    def head(self, extra=""):
        d = self.d
        m = d.get("meta", {}) or {}
        enc = d.get("encoding", "utf-8")
        out = [f'<meta charset="{enc}">' if enc == "utf-8" else
               f'<meta http-equiv="Content-Type" content="text/html; charset={enc}">',
               '<meta name="viewport" content="width=device-width, initial-scale=1">',
               f"<title>{esc(d['html_title'])}</title>"]
        if m.get("description"):
            out.append(f'<meta name="description" content="{attr(m["description"])}">')
        if m.get("author"):
            out.append(f'<meta name="author" content="{attr(m["author"])}">')
        if m.get("canonical"):
            out.append(f'<link rel="canonical" href="{attr(d["url"])}">')
        for k, v in (m.get("og") or {}).items():
            out.append(f'<meta property="{k}" content="{attr(v)}">')
        for k, v in (m.get("names") or {}).items():
            out.append(f'<meta name="{k}" content="{attr(v)}">')
        if m.get("jsonld"):
            out.append('<script type="application/ld+json">' + m["jsonld"] + "</script>")
        out.append(f'<link rel="stylesheet" href="{self.site_url}/assets/css/style.min.css?ver=3.4.1" media="all">')
        out.append(extra)
        out.append("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
                   "gtag('consent','default',{'analytics_storage':'denied'});</script>")
        return "<head>\n" + "\n".join(x for x in out if x) + "\n</head>"

    def html_open(self):
        lang = self.d.get("html_lang")
        return f'<!DOCTYPE html>\n<html lang="{lang}">' if lang else "<!DOCTYPE html>\n<html>"

    # --- widgets (all text comes from the data file)
    def skip(self, cls="skip-link screen-reader-text", target="content"):
        s = self.get("skip")
        return f'<a class="{cls}" href="{self.d["url"]}#{target}">{esc(s)}</a>' if s else ""

    def cookie(self, cls="cookie-banner"):
        ck = self.get("cookie")
        if not ck:
            return ""
        btns = " ".join(f'<button type="button" class="{cls}__btn">{esc(b)}</button>' for b in ck.get("buttons", []))
        more = f' <a href="{self.site_url}/{ck.get("more_path", "cookies")}/">{esc(ck["more"])}</a>' if ck.get("more") else ""
        title = f"<p class=\"{cls}__title\"><strong>{esc(ck['title'])}</strong></p>" if ck.get("title") else ""
        return (f'<div id="{cls}" class="{cls}" role="dialog" aria-live="polite">{title}'
                f'<p>{esc(ck["text"])}{more}</p><div class="{cls}__actions">{btns}</div></div>')

    def nav(self, cls="main-navigation", ul_cls="menu"):
        items = self.get("nav")
        if not items:
            return ""
        return f'<nav class="{cls}" aria-label="Menu principal">' + self.links_ul(items, ul_cls, "menu-item") + "</nav>"

    def breadcrumb(self, sep=" › ", cls="breadcrumb"):
        bc = self.get("breadcrumb")
        if not bc:
            return ""
        parts = [self.link(b) for b in bc[:-1]] + [f"<span>{esc(bc[-1])}</span>"]
        label = self.get("breadcrumb_label")
        lab = f'<span class="{cls}__label">{esc(label)}</span> ' if label else ""
        return f'<nav class="{cls}" aria-label="breadcrumb">{lab}' + esc(sep).join(parts) + "</nav>"

    def share(self, cls="share"):
        sh = self.get("share")
        if not sh:
            return ""
        items = " ".join(f'<a class="{cls}__item {cls}--{slug(i)}" href="{self.site_url}/share/{slug(i)}?url={attr(self.d["url"])}" rel="nofollow">{esc(i)}</a>' for i in sh.get("items", []))
        label = f'<span class="{cls}__label">{esc(sh["label"])}</span> ' if sh.get("label") else ""
        pr = f' <a class="{cls}__print" href="javascript:window.print()">{esc(sh["print"])}</a>' if sh.get("print") else ""
        return f'<div class="{cls}">{label}{items}{pr}</div>'

    def newsletter(self, cls="newsletter"):
        nl = self.get("newsletter")
        if not nl:
            return ""
        t = f'<h3 class="{cls}__title">{esc(nl["title"])}</h3>' if nl.get("title") else ""
        return (f'<section class="{cls}">{t}<p>{esc(nl["text"])}</p>'
                f'<form action="{self.site_url}/newsletter/subscribe" method="post">'
                f'<label for="nl-email">{esc(nl.get("label", "E-mail"))}</label> '
                f'<input type="email" id="nl-email" name="email" placeholder="{attr(nl.get("placeholder", ""))}"> '
                f'<button type="submit">{esc(nl.get("button", "OK"))}</button></form>'
                + (f'<p class="{cls}__legal"><small>{esc(nl["legal"])}</small></p>' if nl.get("legal") else "")
                + "</section>")

    def related(self, cls="related", h="h2"):
        r = self.get("related")
        if not r:
            return ""
        return (f'<section class="{cls}"><{h} class="{cls}__title">{esc(r["title"])}</{h}>'
                + self.links_ul(r["items"], f"{cls}__list") + "</section>")

    def prevnext(self, cls="post-navigation"):
        pn = self.get("prevnext")
        if not pn:
            return ""
        out = [f'<nav class="{cls}"><div class="nav-links">']
        if pn.get("prev"):
            out.append(f'<div class="nav-previous"><a href="{self.site_url}/{slug(pn["prev"])}/" rel="prev">'
                       f'<span class="meta-nav">{esc(pn.get("prev_label", "←"))}</span> {esc(pn["prev"])}</a></div>')
        if pn.get("next"):
            out.append(f'<div class="nav-next"><a href="{self.site_url}/{slug(pn["next"])}/" rel="next">'
                       f'<span class="meta-nav">{esc(pn.get("next_label", "→"))}</span> {esc(pn["next"])}</a></div>')
        out.append("</div></nav>")
        return "".join(out)

    def tags(self, cls="tags-links"):
        t = self.get("tags")
        if not t:
            return ""
        lab = f'<span class="{cls}__label">{esc(t["label"])}</span> ' if t.get("label") else ""
        return f'<div class="{cls}">{lab}' + ", ".join(self.link(i, "tag/" + slug(i)) for i in t["items"]) + "</div>"

    def tagcloud(self, cls="tagcloud"):
        t = self.get("tagcloud")
        if not t:
            return ""
        links = []
        for k, i in enumerate(t["items"]):
            size = 8 + (k * 5) % 14
            links.append(f'<a href="{self.site_url}/tag/{slug(i)}/" class="tag-cloud-link" style="font-size: {size}pt;">{esc(i)}</a>')
        return f'<section class="widget widget_tag_cloud"><h2 class="widget-title">{esc(t["title"])}</h2><div class="{cls}">' + "\n".join(links) + "</div></section>"

    def survey(self, cls="survey"):
        s = self.get("survey")
        if not s:
            return ""
        btns = " ".join(f'<button type="button">{esc(b)}</button>' for b in s.get("buttons", []))
        extra = f'<p class="{cls}__note">{esc(s["note"])}</p>' if s.get("note") else ""
        return f'<aside class="{cls}"><p class="{cls}__question">{esc(s["question"])}</p><div>{btns}</div>{extra}</aside>'

    def rating(self, cls="rating"):
        r = self.get("rating")
        if not r:
            return ""
        stars = "".join(f'<span class="star" data-value="{i}">☆</span>' for i in range(1, 6))
        return f'<div class="{cls}"><span class="{cls}__label">{esc(r["label"])}</span> {stars} <span class="{cls}__count">{esc(r.get("count", ""))}</span></div>'

    def contact(self, cls="press-contact", table=False):
        ct = self.get("contact")
        if not ct:
            return ""
        if table:
            rows = "".join(f"<tr><td>{esc(a)}</td><td>{esc(b)}</td></tr>" for a, b in ct["rows"])
            return (f'<div class="{cls}"><h3>{esc(ct["title"])}</h3>'
                    f'<table class="contenttable" border="0" cellpadding="0" cellspacing="0" width="100%">{rows}</table></div>')
        lines = "<br>\n".join(esc(ln) for ln in ct["lines"])
        return f'<aside class="{cls}"><h3>{esc(ct["title"])}</h3><p>{lines}</p></aside>'

    def address(self, cls="footer-address"):
        a = self.get("address")
        if not a:
            return ""
        return f'<address class="{cls}">' + "<br>\n".join(esc(ln) for ln in a) + "</address>"

    def legal(self, cls="footer-legal"):
        lg = self.get("legal")
        if not lg:
            return ""
        return f'<nav class="{cls}">' + self.links_ul(lg, "legal-menu") + "</nav>"

    def copyright(self):
        c = self.get("copyright")
        return f'<p class="copyright">{esc(c)}</p>' if c else ""

    def sidebar_widgets(self, cls="widget"):
        out = []
        for w in self.get("sidebar", []) or []:
            out.append(f'<section class="{cls}"><h2 class="widget-title">{esc(w["title"])}</h2>'
                       + (f"<p>{esc(w['text'])}</p>" if w.get("text") else "")
                       + (self.links_ul(w["items"]) if w.get("items") else "") + "</section>")
        return "\n".join(out)

    def figure(self, cls="wp-block-image"):
        f = self.d.get("figure")
        if not f:
            return ""
        credit = f' <span class="credit">{esc(f["credit"])}</span>' if f.get("credit") else ""
        return (f'<figure class="{cls}"><img src="{self.site_url}/{f.get("src", "media/image.jpg")}" '
                f'alt="{attr(f.get("alt", ""))}" width="1200" height="800" loading="lazy">'
                f'<figcaption>{esc(f["caption"])}{credit}</figcaption></figure>')

    def notes(self, cls="footnotes"):
        notes = self.d.get("notes")
        if not notes:
            return ""
        title = self.d.get("notes_title", "Notes")
        items = []
        for i, n in enumerate(notes, 1):
            h, _ = self.body.inline(n)
            items.append(f'<li id="note-{i}">{h}</li>')
        return f'<div class="{cls}"><h3>{esc(title)}</h3><ol>' + "\n".join(items) + "</ol></div>"

    def raw(self, key):
        return self.d.get(key, "") or ""

    def headline(self, cls=""):
        tag = self.d.get("headline_tag", "h1")
        c = f' class="{cls}"' if cls else ""
        return f"<{tag}{c}>{esc(self.d['title'])}</{tag}>"

    def logo(self, cls="site-title"):
        if self.d.get("headline_tag", "h1") == "h2":
            return f'<h1 class="{cls}"><a href="{self.site_url}/" rel="home">{esc(self.d["site"])}</a></h1>'
        return f'<p class="{cls}"><a href="{self.site_url}/" rel="home">{esc(self.d["site"])}</a></p>'


# ---------------------------------------------------------------- CMS templates
def wordpress(p: Page) -> str:
    d, c = p.d, p.c
    body = p.body.render(p.figure("wp-block-image size-large"), "wp-block-heading")
    posted_in = c.get("posted_in")
    comments = c.get("comments")
    return f"""{p.html_open()}
{p.head('<link rel="alternate" type="application/rss+xml" title="Flux" href="' + p.site_url + '/feed/">')}
<body class="post-template-default single single-post single-format-standard">
<div id="page" class="site">
{p.skip()}
{p.cookie("cookie-notice")}
<header id="masthead" class="site-header">
<div class="site-branding">
{p.logo()}
<p class="site-description">{esc(c.get("tagline", ""))}</p>
</div>
{p.nav("main-navigation")}
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
{p.breadcrumb(" » ", "yoast-breadcrumbs")}
<article id="post-{d.get('post_id', 1234)}" class="post type-post status-publish format-standard has-post-thumbnail hentry">
<header class="entry-header">
<span class="cat-links rubric">{esc(d.get("rubric", ""))}</span>
{p.headline("entry-title")}
<div class="entry-meta">{d.get("date_html", "")} {d.get("byline_html", "")} <span class="reading-time">{esc(c.get("reading", ""))}</span></div>
</header>
{p.share("sharedaddy sd-sharing-enabled")}
<div class="entry-content">
{body}
</div>
{p.notes()}
{p.raw("after_body_html")}
<footer class="entry-footer">
{f'<span class="cat-links">{esc(posted_in)}</span>' if posted_in else ""}
{p.tags("tags-links")}
{f'<span class="comments-link"><a href="{d["url"]}#comments">{esc(comments)}</a></span>' if comments else ""}
</footer>
{p.rating("post-ratings")}
{p.survey("helpful-survey")}
</article>
{p.prevnext()}
{p.related("jp-relatedposts", "h3")}
{f'<div id="comments" class="comments-area"><h2 class="comments-title">{esc(c["comments_title"])}</h2><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">{esc(c.get("reply", "Laisser un commentaire"))}</h3><form action="{p.site_url}/wp-comments-post.php" method="post" id="commentform"><p class="comment-form-comment"><label for="comment">{esc(c.get("comment_label", "Commentaire"))}</label> <textarea id="comment" name="comment" cols="45" rows="8"></textarea></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="{attr(c.get("submit", "Publier"))}"></p></form></div></div>' if c.get("comments_title") else ""}
</main>
</div>
<aside id="secondary" class="widget-area">
<section class="widget widget_search"><form role="search" method="get" class="search-form" action="{p.site_url}/"><label><span class="screen-reader-text">{esc(c.get("search_label", "Rechercher :"))}</span><input type="search" class="search-field" placeholder="{attr(c.get("search", "Rechercher…"))}" name="s"></label><input type="submit" class="search-submit" value="{attr(c.get("search_button", "Rechercher"))}"></form></section>
{p.sidebar_widgets("widget widget_recent_entries")}
{p.newsletter("widget widget_newsletter")}
{p.tagcloud()}
</aside>
</div>
<footer id="colophon" class="site-footer">
{p.address()}
{p.contact()}
{p.legal()}
<div class="site-info">{p.copyright()} <a href="https://wordpress.org/">{esc(c.get("powered", "Proudly powered by WordPress"))}</a></div>
</footer>
</div>
<script src="{p.site_url}/wp-includes/js/wp-embed.min.js?ver=6.4.2"></script>
</body>
</html>
"""


def drupal(p: Page) -> str:
    d, c = p.d, p.c
    body = p.body.render(p.figure("image-field caption"))
    submitted = d.get("byline_html", "")
    return f"""{p.html_open()}
{p.head('<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">')}
<body class="path-node page-node-type-{d.get('node_type', 'article')}">
{p.skip("visually-hidden focusable skip-link", "main-content")}
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
{p.cookie("eu-cookie-compliance-banner")}
<div class="layout-container">
<header role="banner" class="region region-header">
<div id="block-sitebranding" class="block block-system block-system-branding-block">
{p.logo("site-name")}
<div class="site-slogan">{esc(c.get("tagline", ""))}</div>
</div>
{p.nav("block block-menu navigation menu--main", "menu")}
</header>
<div class="region region-breadcrumb">{p.breadcrumb(" / ", "breadcrumb")}</div>
<main role="main"><a id="main-content" tabindex="-1"></a>
<div class="layout-content">
<div class="region region-content">
<div id="block-mainpagecontent" class="block block-system block-system-main-block">
<article role="article" class="node node--type-{d.get('node_type', 'article')} node--view-mode-full">
<div class="field field--name-field-rubrique field--type-entity-reference field--label-hidden field__item">{esc(d.get("rubric", ""))}</div>
{p.headline("page-title")}
<div class="node__meta">{submitted} {d.get("date_html", "")}</div>
{p.raw("before_body_html")}
<div class="node__content">
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{body}
</div>
{p.notes("field field--name-field-notes")}
{p.raw("after_body_html")}
{p.tags("field field--name-field-tags field--type-entity-reference field--label-inline")}
{p.share("block-addtoany")}
{p.rating("fivestar-widget")}
{p.survey("block-webform-feedback")}
</div>
</article>
</div>
</div>
</div>
<aside class="layout-sidebar-second" role="complementary">
<div class="region region-sidebar-second">
{p.related("block block-views block-views-blockrelated-content", "h2")}
{p.sidebar_widgets("block block-block-content")}
{p.contact("block block-press-contact")}
{p.newsletter("block block-simplenews")}
</div>
</aside>
</main>
<footer role="contentinfo" class="region region-footer">
{p.address("block block-address")}
{p.legal("block block-menu menu--footer")}
{p.copyright()}
</footer>
</div>
</div>
<script src="{p.site_url}/core/misc/drupal.js?v=10.2.3"></script>
</body>
</html>
"""


def spip(p: Page) -> str:
    d, c = p.d, p.c
    body = p.body.render(p.figure("spip_document_image spip_documents spip_documents_center"), "spip")
    same = c.get("same_rubric")
    same_html = ""
    if same:
        same_html = f'<div class="menu menu_articles"><h2>{esc(same["title"])}</h2>' + p.links_ul(same["items"], "spip") + "</div>"
    return f"""{p.html_open()}
{p.head('<meta name="generator" content="SPIP 4.2.8">')}
<body class="page_article">
<div class="page">
{p.skip("skip", "contenu")}
{p.cookie("tarteaucitronAlertBig")}
<div class="header" id="header">
{p.logo("spip_logo_site")}
<p class="slogan">{esc(c.get("tagline", ""))}</p>
</div>
{p.nav("nav clearfix", "menu-liste")}
<div class="main">
<div class="wrapper hfeed">
<div class="content hentry" id="contenu">
{p.breadcrumb(" > ", "arbo")}
<div class="cartouche">
<p class="rubrique">{esc(d.get("rubric", ""))}</p>
{p.headline("surlignable entry-title")}
<p class="info-publi">{d.get("date_html", "")}</p>
{d.get("byline_html", "")}
</div>
<div class="surlignable">
<div class="texte entry-content">
{body}
</div>
</div>
{p.notes("notes surlignable")}
{p.raw("after_body_html")}
{p.share("partage")}
{p.survey("formulaire_sondage")}
{p.tags("mots-cles")}
{p.rating("notation")}
{p.prevnext("pagination-articles")}
</div>
</div>
<div class="aside">
{same_html}
{p.related("menu-lire-aussi", "h2")}
{p.sidebar_widgets("menu")}
{p.newsletter("formulaire_newsletter")}
{p.tagcloud("nuage")}
</div>
</div>
<div class="footer" id="footer">
{p.address("adresse")}
{p.contact("contact-presse")}
{p.legal("plan-legal")}
{p.copyright()}
<p class="generator"><a href="https://www.spip.net/" rel="generator">{esc(c.get("powered", "Site réalisé avec SPIP"))}</a></p>
</div>
</div>
</body>
</html>
"""


def typo3(p: Page) -> str:
    d, c = p.d, p.c
    body = p.body.render(p.figure("image"))
    deep = c.get("deepnav")
    deep_html = ""
    if deep:
        deep_html = '<nav class="subnav"><ul class="level-1">' + "".join(
            f'<li class="{"active" if i == len(deep) - 1 else ""}">{p.link(x)}<ul class="level-{i + 2}">' for i, x in enumerate(deep)
        ) + "".join("</ul></li>" for _ in deep) + "</ul></nav>"
    return f"""{p.html_open()}
{p.head('<base href="' + p.site_url + '/"><meta name="generator" content="TYPO3 CMS">')}
<body id="p{d.get('post_id', 412)}" class="page-news">
{p.skip("sr-only sr-only-focusable", "maincontent")}
{p.cookie("cookie-consent")}
<header class="page-header">
<div class="service-nav"><ul><li>{p.link(c.get("service1", "Kontakt"))}</li><li>{p.link(c.get("service2", "English"))}</li></ul></div>
{p.logo("logo")}
{p.nav("mainnav", "nav-level-1")}
</header>
{p.breadcrumb(" > ", "rootline")}
<div class="page-body">
<div class="col-left">{deep_html}</div>
<main id="maincontent" class="col-main">
<div class="news news-single">
<div class="article" itemscope itemtype="http://schema.org/Article">
<div class="header">
<p class="news-rubric">{esc(d.get("rubric", ""))}</p>
{p.headline()}
</div>
<div class="footer"><p>{d.get("date_html", "")} {d.get("byline_html", "")}</p></div>
<div class="news-text-wrap" itemprop="articleBody">
{body}
</div>
{p.notes("news-footnotes")}
{p.raw("after_body_html")}
{p.contact("news-contact", table=True)}
{p.tags("news-tags")}
{p.share("news-print-share")}
{p.related("news-related-wrap", "h4")}
<div class="news-backlink-wrap"><a href="{p.site_url}/{c.get('back_path', 'news')}/">{esc(c.get("back", "Zurück"))}</a></div>
</div>
</div>
</main>
<aside class="col-right">
{p.sidebar_widgets("box")}
{p.newsletter("box newsletter-box")}
</aside>
</div>
<footer class="page-footer">
{p.address("footer-address")}
{p.legal("footer-nav")}
{p.copyright()}
</footer>
</body>
</html>
"""


def ghost(p: Page) -> str:
    d, c = p.d, p.c
    body = p.body.render(p.figure("kg-card kg-image-card kg-card-hascaption"))
    more = c.get("more_like")
    more_html = ""
    if more:
        arts = "".join(
            f'<article class="post-card"><a class="post-card-content-link" href="{p.site_url}/{slug(t)}/"><h3 class="post-card-title">{esc(t)}</h3></a></article>'
            for t in more["items"])
        more_html = f'<aside class="read-more-wrap"><h2 class="read-more-title">{esc(more["title"])}</h2><div class="read-more">{arts}</div></aside>'
    return f"""{p.html_open()}
{p.head('<meta name="generator" content="Ghost 5.75">')}
<body class="post-template">
<div class="viewport">
{p.skip("gh-skip", "main")}
{p.cookie("gh-consent")}
<header id="gh-head" class="gh-head outer">
<div class="gh-head-inner inner">
<div class="gh-head-brand">{p.logo("gh-head-logo")}</div>
{p.nav("gh-head-menu", "nav")}
<div class="gh-head-actions"><a class="gh-head-button" href="{p.d['url']}#/portal/signup">{esc(c.get("subscribe_button", "Subscribe"))}</a></div>
</div>
</header>
<main id="main" class="site-main">
<article class="article post">
<header class="article-header gh-canvas">
<section class="article-tag post-card-tags"><span class="post-card-primary-tag"><a href="{p.site_url}/tag/{slug(d.get('rubric', 'x'))}/">{esc(d.get("rubric", ""))}</a></span></section>
{p.headline("article-title")}
<div class="article-byline"><div class="article-byline-meta">{d.get("byline_html", "")}<div class="byline-meta-content">{d.get("date_html", "")}<span class="byline-reading-time"><span class="bull">•</span> {esc(c.get("reading", ""))}</span></div></div></div>
</header>
<section class="gh-content gh-canvas">
{body}
</section>
{p.notes("gh-content gh-canvas footnotes")}
{p.raw("after_body_html")}
{p.tags("post-tags")}
{p.share("gh-share")}
</article>
{p.newsletter("footer-cta outer")}
{more_html}
</main>
<footer class="site-footer outer">
{p.address("site-footer-address")}
{p.legal("site-footer-nav")}
<div class="copyright">{esc(c.get("copyright", ""))}</div>
<div class="gh-powered-by"><a href="https://ghost.org/" target="_blank" rel="noopener">{esc(c.get("powered", "Powered by Ghost"))}</a></div>
</footer>
</div>
<script src="{p.site_url}/assets/built/casper.js?v=9f3a1"></script>
</body>
</html>
"""


TEMPLATES = {"wordpress": wordpress, "drupal": drupal, "spip": spip, "typo3": typo3, "ghost": ghost}
BODY_SELECTORS = {"wordpress": "div.entry-content", "drupal": "div.field--name-body",
                  "spip": "div.texte", "typo3": "div.news-text-wrap", "ghost": "section.gh-content"}


# ---------------------------------------------------------------- extraction
def run(cmd, cwd, out: Path):
    r = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True)
    if r.returncode != 0:
        raise SystemExit(f"{cmd} failed: {r.stderr.decode(errors='replace')}")
    if r.stderr.strip():
        print(f"   [{cmd[0]} stderr] {r.stderr.decode(errors='replace').strip()[:200]}")
    out.write_bytes(r.stdout)


def extract(folder: Path, enc: str):
    import markdownify

    ex = folder / "extracted"
    ex.mkdir(exist_ok=True)
    h2t = [str(VENV_BIN / "html2text"), "source.html"] + ([enc] if enc != "utf-8" else [])
    run(h2t, folder, ex / "html2text.txt")
    html = (folder / "source.html").read_bytes().decode(enc)
    (ex / "markdownify.md").write_text(markdownify.markdownify(html), encoding="utf-8")
    run(["pandoc", "-f", "html", "-t", "markdown", "source.html"], folder, ex / "pandoc.md")
    run(["w3m", "-dump", "-T", "text/html", "-cols", "80", "source.html"], folder, ex / "w3m.txt")
    run(["lynx", "-dump", "-force_html", "-width=80", "source.html"], folder, ex / "lynx.txt")


# ---------------------------------------------------------------- truth + check
def collapse(s: str) -> str:
    return " ".join(s.split())


def visible(soup) -> str:
    from bs4 import BeautifulSoup  # noqa: F401
    s = soup.body
    for t in s.find_all(["script", "style", "template", "noscript"]):
        t.decompose()
    return collapse(s.get_text(""))


def check(folder: Path, d: dict) -> list[str]:
    from bs4 import BeautifulSoup

    errs = []
    truth = yaml.safe_load((folder / "truth.yaml").read_text(encoding="utf-8"))
    raw = (folder / "source.html").read_bytes().decode(d.get("encoding", "utf-8"))
    soup = BeautifulSoup(raw, "html.parser")
    body_el = soup.select_one(BODY_SELECTORS[d["cms"]])
    for fig in body_el.find_all("figure"):  # captions and credits are not body text
        fig.decompose()
    blocks = [collapse(e.get_text("")) for e in body_el.find_all(["p", "li", "h2", "h3"])]
    body_txt = " ".join(blocks)
    words = len(" ".join(collapse(e.get_text(" ")) for e in body_el.find_all(["p", "li", "h2", "h3"])).split())
    if not 350 <= words <= 700:
        errs.append(f"body has {words} words")
    # the headline element carries exactly the title
    tag = d.get("headline_tag", "h1")
    heads = [collapse(h.get_text("")) for h in soup.find_all(tag)]
    if truth["title"] not in heads:
        errs.append(f"title not in any <{tag}>: {heads}")
    vis = visible(BeautifulSoup(raw, "html.parser"))
    vis_sp = collapse(BeautifulSoup(raw, "html.parser").body.get_text(" "))
    if not 8 <= len(truth["fragments"]) <= 12:
        errs.append(f"{len(truth['fragments'])} fragments")
    for f in truth["fragments"]:
        n = len(f.split())
        if not 6 <= n <= 15:
            errs.append(f"fragment length {n}: {f}")
        if not any(f in b for b in blocks):
            errs.append(f"fragment not in one body block: {f}")
        if f not in vis:
            errs.append(f"fragment not visible: {f}")
        if body_txt.count(f) != 1:
            errs.append(f"fragment occurs {body_txt.count(f)} times in body: {f}")
    if not 6 <= len(truth["chrome"]) <= 12:
        errs.append(f"{len(truth['chrome'])} chrome strings")
    for ch in truth["chrome"]:
        if ch not in vis and ch not in vis_sp:
            errs.append(f"chrome not visible: {ch}")
        if ch in body_txt or ch in collapse(body_el.get_text(" ")):
            errs.append(f"chrome in body: {ch}")
    for f in (folder / "extracted").glob("*"):
        t = f.read_text(encoding="utf-8", errors="replace")
        if "file:/" in t or str(CORPUS.parent.parent) in t or "/tmp/" in t:
            errs.append(f"machine path leaked into {f.name}")
    # the displayed date and the ISO date agree
    if str(truth["date"]) != str(d["date"]):
        errs.append("date mismatch")
    if d.get("date_visible") and d["date_visible"] not in vis:
        errs.append(f"date string not visible: {d['date_visible']}")
    return errs


def build(path: Path, do_extract: bool = True, check_only: bool = False) -> list[str]:
    d = yaml.safe_load(path.read_text(encoding="utf-8"))
    folder = CORPUS / d["split"] / d["id"]
    if not check_only:
        folder.mkdir(parents=True, exist_ok=True)
        p = Page(d)
        html = TEMPLATES[d["cms"]](p)
        html = re.sub(r"\n\s*\n+", "\n", html)
        enc = d.get("encoding", "utf-8")
        (folder / "source.html").write_bytes(html.encode(enc, "xmlcharrefreplace"))
        frags = pick_fragments(p.body.blocks, d.get("n_fragments", 10))
        truth = {
            "id": d["id"], "input": "html", "lang": d["lang"], "publisher_kind": d["kind"],
            "cms": d["cms"], "title": d["title"], "date": d["date"], "organisation": d["org"],
            "authors": d.get("authors", []), "fragments": frags, "chrome": d["truth_chrome"],
        }
        (folder / "truth.yaml").write_text(
            yaml.safe_dump(truth, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        if do_extract:
            extract(folder, enc)
    return check(folder, d)


VARIED = ["skip", "cookie.text", "cookie.title", "newsletter.text", "newsletter.title", "newsletter.button",
          "share.label", "share.print", "reading", "rating.label", "survey.question", "related.title",
          "related.items", "prevnext.prev", "prevnext.next", "prevnext.prev_label", "prevnext.next_label",
          "tagcloud.title", "address", "contact.lines", "contact.rows", "copyright", "tagline", "back",
          "same_rubric.items", "more_like.title", "more_like.items", "posted_in", "comments"]


def cross_check() -> list[str]:
    """The widgets that must be worded differently on every page: report any phrase used twice."""
    seen: dict[str, str] = {}
    errs = []
    for path in sorted(TEXTS.glob("*.yaml")):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        vals = [("rubric", d.get("rubric"))]
        for key in VARIED:
            v = d.get("chrome", {})
            for part in key.split("."):
                v = v.get(part) if isinstance(v, dict) else None
            vals.append((key, v))
        for key, v in vals:
            items = v if isinstance(v, list) else [v]
            for it in items:
                for s in (it if isinstance(it, list) else [it]):
                    if not s or len(str(s)) < 4:
                        continue
                    if s in seen and seen[s] != d["id"]:
                        errs.append(f"{key} {s!r} used by {seen[s]} and {d['id']}")
                    seen.setdefault(s, d["id"])
    return errs


def main(argv):
    do_extract = "--no-extract" not in argv
    check_only = "--check-only" in argv
    ids = [a for a in argv if not a.startswith("--")]
    bad = 0
    for path in sorted(TEXTS.glob("*.yaml")):
        if ids and path.stem not in ids:
            continue
        errs = build(path, do_extract, check_only)
        print(("FAIL " if errs else "ok   ") + path.stem)
        for e in errs:
            print("     -", e)
        bad += bool(errs)
    dup = cross_check()
    for e in dup:
        print("dup  ", e)
    sys.exit(1 if bad or dup else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
