"""The HTML reader: the bytes of a web page -> :class:`~.model.Source` (Markdown + what it declares).

trafilatura finds the main content and reads the page's metadata (one parse of the page,
one call): ``og:title``, ``<title>``, ``h1``, the publication date (htmldate, original date
only, never a date mentioned in the running text), author, site name, canonical URL. Our
own rules, on the same tree, fill what it misses and settle disagreements:

* the headline is the one the page's title sources agree on (``og:title``, the ``h1``s,
  ``<title>`` with the site name cut off, "Headline | Site" or "Site — Headline"); a site
  name or a rubric is never a headline;
* a date the page declares (``article:published_time``, ``datePublished``, a
  ``<time>``/"published" element of the byline) beats a guess; the date of a cited work
  (``citation_*`` metadata of a thesis record) comes last;
* footnote markers (``<sup>2</sup>``, ``mot2`` glued to a word, ``mot²``) whose note the
  page holds become ``[^2]``, the notes section becomes ``[^2]: text`` lines at the end;
* a figure keeps its caption and credit as text lines, after a marker for its image
  (:mod:`.figures`: the image is kept where it can be stored, else the caption says so).

The body is written as Markdown from trafilatura's XML tree (paragraphs, ``##``/``###``,
``-`` lists, ``>`` quotes, pipe tables for real data tables only, emphasis, no links); the
shared stages then clean it like any web page. Pure and deterministic: the same bytes give
the same Source, and nothing is fetched.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import unicodedata

import lxml.html
from lxml import etree

from .citation import dois
from .dates import find_date
from .figures import MAX_FIGURES, FigureRef, image_of, marker
from .model import Declared, IngestError, Source
from .read import decode

#: pages bigger than this are refused
MAX_BYTES = 10 * 1024 * 1024

_DATE_PARAMS = {
    "original_date": True,  # the publication date, not the last modification
    "extensive_search": False,  # never a date merely mentioned in the text
    "max_date": "2099-12-31",  # not "today": the same bytes give the same date on any day
}

# -- decoding -------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
#: WHATWG: these labels mean windows-1252 in a web page
_AS_CP1252 = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1", "l1", "cp819"}


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    charset = _declared_charset(data)
    if charset:
        try:
            return data.decode(charset), charset
        except UnicodeDecodeError:
            pass  # a wrong declaration: judge the bytes themselves
    return decode(data)


# -- small text helpers ---------------------------------------------------------------------

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})


def _collapse(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _key(text: str | None) -> str:
    """Comparison key: quotes, dashes, case and spacing do not matter."""
    t = unicodedata.normalize("NFC", _collapse(text)).translate(_QUOTES).casefold()
    return t.strip(" .:;,!?'\"")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _text(el) -> str:
    return _collapse(el.text_content()) if el is not None else ""


def _cls(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


# -- metadata from the page ------------------------------------------------------------------

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|·|::|•|»|/)\s+")
_BRANDING = re.compile(r"site-?name|site-?title|site-?logo|\blogo\b|brand|spip_logo_site|header-title|site-branding")
_RUBRIC = re.compile(r"rubri|cat-links|categor|kicker|surtitre|eyebrow|overline|breadcrumb|tag")
_BYLINE_CLASS = re.compile(r"byline|author|submitted|auteur|signature|vcard|posted-by|info-publi|meta")
_DATE_CLASS = re.compile(r"date|submitted|created|published|available|posted|info-publi|time|meta|publi")
_BYLINE_TEXT = re.compile(r"(?:^|\s)(?:by|par)\s+(.+)$", re.I)
_NOT_PERSON = re.compile(
    r"\b(?:service|communication|rédaction|redaction|équipe|equipe|team|staff|office|press|presse|"
    r"newsroom|desk|editor|editors|rédacteur|admin|webmaster|université|university|institut|institute|"
    r"agence|agency|direction|department|département|laboratoire|laboratory|society|société|news)\b",
    re.I,
)
_PARTICLE = {"de", "du", "des", "la", "le", "van", "von", "der", "den", "da", "di", "dos", "el", "al", "bin", "ibn", "d’", "d'"}
_ORG_SUFFIX = re.compile(
    r"\s*(?:[-–—|:]\s*)?(?:newsroom|news|press office|press room|research repository|repository|"
    r"blog|actualités|actualites|salle de presse|espace presse|le blog|magazine)$",
    re.I,
)
_ACRONYM = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý0-9&-]{1,9}$")
_ACR_STOP = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "pour", "of", "the", "and", "for", "à", "a", "en", "in", "on"}
#: generic abbreviations a site name starts with, spelled out as the organisation's name
_GENERIC = {"CHU": "Centre hospitalier universitaire", "CHRU": "Centre hospitalier régional universitaire",
            "CHR": "Centre hospitalier régional"}


_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "nav", "section", "header", "form"})


def _metas(tree) -> dict[str, str]:
    """``<meta>`` name/property -> content (the first of each)."""
    out: dict[str, str] = {}
    for m in tree.iter("meta"):
        k = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        v = m.get("content")
        if k and v and v.strip() and k not in out:
            out[k] = _collapse(v)
    return out


def _json_ld(tree) -> list[dict]:
    items: list[dict] = []
    for s in tree.iter("script"):
        if (s.get("type") or "").lower() != "application/ld+json" or not s.text:
            continue
        try:
            data = json.loads(s.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            d = stack.pop()
            if isinstance(d, list):
                stack.extend(d)
            elif isinstance(d, dict):
                items.append(d)
                if "@graph" in d:
                    stack.append(d["@graph"])
    return items


def _ld_name(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _ld_name(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _ld_name(v)]
    return []


def _iso(value: str | None) -> str | None:
    """An ISO date (or date-time) or a date written on the page -> YYYY-MM-DD."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})", value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
        return None
    text = _collapse(_DASHED_DATE.sub(r"\1 \2 \3", value))
    for piece in [text, *re.split(r"\s*[·|•]\s*", text)]:
        if re.search(r"mis à jour|mise à jour|updated|modifi|revised", piece, re.I):
            continue
        hit = find_date(piece) or (find_date(piece.rsplit(":", 1)[1]) if ":" in piece else None)
        if hit:
            return hit.iso
    return None


_DASHED_DATE = re.compile(r"\b(\d{1,2})-([A-Za-zéû]{3,9})\.?-(\d{4})\b")


def _site_names(tree, metas: dict[str, str], ld: list[dict]) -> list[str]:
    names: list[str] = []
    for k in ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher"):
        v = metas.get(k)
        if v and not v.startswith("@"):
            names.append(v)
    for d in ld:
        names += _ld_name(d.get("publisher"))
        if str(d.get("@type")) in ("WebSite", "Organization"):
            names += _ld_name(d.get("name"))
    body = tree.find("body")
    if body is not None:
        for el in body.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "a" and (el.get("rel") or "") == "home" or (
                el.tag in ("p", "div", "span", "h1", "a", "strong")
                and _BRANDING.search(_cls(el))
                and not any(c.tag in _BLOCK_TAGS for c in el.iterdescendants() if isinstance(c.tag, str))
            ):
                t = _text(el)
                if 2 <= len(t) <= 120:
                    names.append(t)
    return [n for n in dict.fromkeys(_collapse(n) for n in names) if n]


def _acronym_fits(acr: str, name: str) -> bool:
    """``ANES`` fits "Agence nationale d’études spatiales": its letters are the words' initials, in order."""
    initials = [_fold(w[0]).upper() for w in re.split(r"[\s\-’']+", name) if w and w.lower() not in _ACR_STOP and w[0].isalpha()]
    letters = [c for c in _fold(acr).upper() if c.isalpha()]
    if len(letters) < 2 or not initials or letters[0] != initials[0]:
        return False
    i = 0
    for c in initials:
        if i < len(letters) and c == letters[i]:
            i += 1
    return i == len(letters) and len(initials) <= len(letters) + 2


def _organisation(names: list[str], extra: list[str]) -> str | None:
    """The publisher's name from the site names, spelled "Full name (ACRONYM)" when the page gives both."""
    if not names:
        return None
    pool = names + extra
    first = names[0]
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(first)]
    full = acr = None
    if len(parts) == 2:
        a, b = parts
        if _ACRONYM.match(a) and _acronym_fits(a, b):
            acr, full = a, b
        elif _ACRONYM.match(b) and _acronym_fits(b, a):
            acr, full = b, a
    m = re.match(r"^(.*\S)\s*\(([^()]+)\)$", first)
    if full is None and m and _ACRONYM.match(m.group(2)):
        full, acr = m.group(1), m.group(2)
    if full is None:
        full = _ORG_SUFFIX.sub("", first).strip() or first
        if _ACRONYM.match(full):  # only the acronym: find the name it stands for
            acr = full
            longer = [p for n in pool for p in _TITLE_SEPARATORS.split(n) if not _ACRONYM.match(p.strip())]
            full = next((p.strip() for p in longer if _acronym_fits(acr, p.strip())), None)
            if full is None:
                return acr
        else:
            tokens = {t.strip() for n in pool for t in re.split(r"[\s|—–/,.()©]+", n)}
            acr = next((t for t in sorted(tokens) if _ACRONYM.match(t) and len(t) >= 3 and _acronym_fits(t, full)), None)
    head = full.split()[0] if full else ""
    if head in _GENERIC:
        full = _GENERIC[head] + full[len(head):]
        acr = None
    return f"{full} ({acr})" if acr and acr not in full else full


def _person(name: str) -> str | None:
    n = _collapse(name)
    n = re.sub(r"^(?:par|by|de|written by|submitted by|posted by)\s+", "", n, flags=re.I)
    n = n.strip(" —–-,:;·|")
    n = re.sub(r"^(?:dr\.?|prof\.?|pr\.?|mr\.?|mrs\.?|ms\.?|m\.|mme)\s+", "", n, flags=re.I)
    if not n or _NOT_PERSON.search(n) or re.search(r"\d|@|https?:", n):
        return None
    words = n.split()
    if not 2 <= len(words) <= 5:
        return None
    if not all(w[0].isupper() or w.lower() in _PARTICLE for w in words):
        return None
    return n


def _split_names(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|&|\bet\b|\band\b)\s*", text)
    return [p for p in (_person(x) for x in parts) if p]


def _byline_authors(tree) -> list[str]:
    """Names in the byline: ``<a rel=author>``, ``.author``/``.fn`` elements, "par X", "Written by X"."""
    out: list[str] = []
    body = tree.find("body")
    if body is None:
        return out
    for el in body.iter("a", "span", "p", "div", "h4", "h5", "address", "li"):
        c = _cls(el)
        if (el.get("rel") or "") == "author" or re.search(r"\bfn\b|author-name|\bauthor\b|auteur", c):
            t = _text(el)
            if len(t) <= 80:
                out += _split_names(t)
        elif _BYLINE_CLASS.search(c):
            t = _text(el)
            if len(t) <= 200:
                for piece in re.split(r"\s*[·|•]\s*|,\s*(?=par\s|by\s)", t):
                    m = _BYLINE_TEXT.search(piece.strip())
                    if m:
                        out += _split_names(re.split(r",\s*(?![A-ZÀ-Ý][a-zà-ÿ]+\s[A-ZÀ-Ý])|\s+on\b|\s+le\b", m.group(1))[0])
        if len(out) >= 6:
            break
    return list(dict.fromkeys(out))


def _page_dates(tree, metas: dict[str, str], ld: list[dict]) -> list[str]:
    """Publication dates the page declares, strongest first (meta, JSON-LD, <time>, byline dates)."""
    out: list[str] = []
    for k in ("article:published_time", "og:article:published_time", "datepublished", "dc.date.issued",
              "dcterms.issued", "dcterms.date", "dc.date", "date", "pubdate", "publish-date", "sailthru.date",
              "parsely-pub-date"):
        out.append(_iso(metas.get(k)))
    for d in ld:
        v = d.get("datePublished")
        out.append(_iso(v) if isinstance(v, str) else None)
    body = tree.find("body")
    if body is not None:
        for el in body.iter("time", "abbr", "span", "div", "p"):
            c = _cls(el)
            if el.tag == "time" or (el.get("itemprop") or "").lower() == "datepublished":
                if "modif" in c or "updat" in c or "maj" in c.split():
                    continue
                out.append(_iso(el.get("datetime") or el.get("content")) or _iso(_text(el)))
            elif el.tag == "abbr" and "published" in c:
                out.append(_iso(el.get("title")) or _iso(_text(el)))
            elif _DATE_CLASS.search(c) and not re.search(r"modif|updat|\bmaj\b", c) and len(el) <= 3:
                t = _text(el)
                if 6 <= len(t) <= 120 and not re.search(r"mis à jour|mise à jour|updated|modifi", t, re.I):
                    out.append(_iso(t))
    return [d for d in out if d]


def _headline(tree, metas: dict[str, str], site_names: list[str], extracted: str | None) -> str | None:
    """The headline the page's title sources agree on; never the site name or a rubric."""
    sites = {_key(n) for n in site_names}
    for n in site_names:
        sites.update(_key(p) for p in _TITLE_SEPARATORS.split(n))
    body = tree.find("body")
    rubrics: set[str] = set()
    h1s: list[str] = []
    h2s: list[str] = []
    if body is not None:
        for el in body.iter("h1", "h2"):
            if _BRANDING.search(_cls(el)) or el.find(".//a[@rel='home']") is not None:
                sites.add(_key(_text(el)))
                continue
            t = _text(el)
            if t and len(t) <= 300:
                (h1s if el.tag == "h1" else h2s).append(t)
        for el in body.iter("span", "div", "p", "a", "li"):
            if _RUBRIC.search(_cls(el)):
                t = _text(el)
                if t and len(t) <= 80:
                    rubrics.add(_key(t))

    def usable(t: str | None) -> bool:
        k = _key(t)
        return bool(k) and k not in sites and k not in rubrics and len(k) >= 4

    title_el = tree.find(".//title")
    whole = _text(title_el) if title_el is not None else ""
    parts = [p for p in _TITLE_SEPARATORS.split(whole) if p.strip()]
    title_parts = [whole] if usable(whole) else []
    if len(parts) > 1:
        rest = [p for p in parts if _key(p) not in sites]
        if len(rest) < len(parts) and rest:
            title_parts.insert(0, " — ".join(rest) if len(rest) > 1 else rest[0])
        else:  # no known site name: the longest part is the headline, the others the site
            title_parts.append(max(parts, key=len))
    og = [metas[k] for k in ("og:title", "twitter:title", "dc.title") if metas.get(k)]
    candidates = [c for c in h1s + og + title_parts if usable(c)]
    if not candidates:
        entry = [t for t in h2s if usable(t)]
        candidates = entry[:1]
        if extracted and usable(extracted):
            candidates.append(extracted)
    if not candidates:
        return None
    keys = [_key(c) for c in candidates]
    # the visible headline (h1) when another source agrees with it, else the first that agrees
    for i, c in enumerate(candidates):
        if keys.count(keys[i]) > 1:
            return c
    # a <title> that starts with the headline and goes on with something else ("Headline - Site")
    for c in h1s + og:
        if usable(c) and any(_key(t).startswith(_key(c)) for t in title_parts):
            return c
    h1 = [c for c in h1s if usable(c)]
    if len(h1) == 1:
        return h1[0]
    return candidates[0]


# -- footnotes and figures (on the tree, before extraction) ----------------------------------

_NOTE_ID = re.compile(r"(?:^|[-_:])(?:fn|note|notes|footnote|ftn|endnote|cite_note|nb)[-_:]?(\d{1,3})$", re.I)
_NOTES_BOX = re.compile(r"footnote|\bnotes?\b|endnote|field--name-field-notes|notes-|-notes")
_SUP_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_GLUED_NOTE = re.compile(r"(?<=[a-zà-ÿ’'»)\]])(\d{1,2}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})(?=[\s.,;:!?)»\]]|$)")
_GLUED_WORD = re.compile(r"(?<![\w-])[^\W\d_]*[a-zà-ÿ]{2}$")
#: a quick test before looking for glued markers (one search, not a Python loop over every
#: character): a digit or a superscript digit, the only characters _GLUED_NOTE can match
_ANY_DIGIT = re.compile(r"[\d⁰¹²³⁴⁵⁶⁷⁸⁹]")


def _notes(tree) -> dict[str, str]:
    """Find the page's notes (``<li id="note-1">`` and the like), take them out of the tree,
    turn their markers in the text into ``[^n]``. Returns number -> note text."""
    body = tree.find("body")
    if body is None:
        return {}
    found: dict[str, etree._Element] = {}
    for el in body.iter("li", "p", "div"):
        m = _NOTE_ID.search(el.get("id") or "")
        if m and str(int(m.group(1))) not in found:
            found[str(int(m.group(1)))] = el
    if not found:  # an ordered list in a box called "notes"/"footnotes"
        for box in body.iter("div", "section", "aside", "footer"):
            if _NOTES_BOX.search(_cls(box)) and box.find(".//ol") is not None:
                for i, li in enumerate(box.find(".//ol").findall("li"), 1):
                    found[str(i)] = li
                break
    if not found:
        return {}
    used = _mark_notes(body, set(found), set(found.values()))
    notes: dict[str, str] = {}
    for num in sorted(used, key=int):
        el = found[num]
        t = _collapse(el.text_content())
        t = re.sub(r"^(?:\[?\^?\d+\]?[.)]?\s+)", "", t) if el.tag != "li" else t
        t = re.sub(r"\s*[↑↩⤴^]\s*(?:retour|back)?\s*$", "", t, flags=re.I)
        notes[num] = t
    # the notes go: the list, and its box with the box's heading when nothing else is in it
    for num in sorted(used, key=int):
        _remove(found[num])
    _drop_empty_note_boxes(body)
    return notes


def _drop_empty_note_boxes(body) -> None:
    for lst in list(body.iter("ol", "ul")):
        if len(lst) == 0 and not _collapse(lst.text_content()):
            box = lst.getparent()
            _remove(lst)
            while box is not None and box.tag not in ("body", "article", "main"):
                rest = [c for c in box if isinstance(c.tag, str) and c.tag not in ("h2", "h3", "h4", "h5", "h6", "strong", "hr")]
                if rest or len(_text(box)) > 60:
                    break
                up = box.getparent()
                _remove(box)
                box = up


def _remove(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _replace_with_text(el, text: str) -> None:
    el.tail = text + (el.tail or "")
    _remove(el)


def _mark_notes(body, numbers: set[str], note_els: set) -> set[str]:
    used: set[str] = set()
    inside_notes = set()
    for n in note_els:
        inside_notes.update(n.iter())
    for sup in list(body.iter("sup")):
        if sup in inside_notes:
            continue
        num = _collapse(sup.text_content()).strip("[]()").translate(_SUP_DIGITS)
        if num.isdigit() and str(int(num)) in numbers:
            used.add(str(int(num)))
            _replace_with_text(sup, f"[^{int(num)}]")
    # plain digits glued to a word ("glaciaire1.") and superscript digits ("mot²")
    for el in body.iter():
        text, tail = el.text, el.tail  # the cheap test first: most texts hold no digit at all
        in_text = bool(text) and _ANY_DIGIT.search(text) is not None
        in_tail = bool(tail) and _ANY_DIGIT.search(tail) is not None
        if not (in_text or in_tail):
            continue
        if not isinstance(el.tag, str) or el in inside_notes or el.tag in ("script", "style", "a", "time", "code"):
            continue
        if in_text:
            el.text = _glued(text, numbers, used)
        if in_tail and el.getparent() is not None and el.getparent() not in inside_notes:
            el.tail = _glued(tail, numbers, used)
    return used


def _glued(text: str, numbers: set[str], used: set[str]) -> str:
    def repl(m: re.Match) -> str:
        num = str(int(m.group(1).translate(_SUP_DIGITS)))
        word = _GLUED_WORD.search(text[: m.start()])
        if num in numbers and (word or m.group(1)[0] in "¹²³⁴⁵⁶⁷⁸⁹"):
            used.add(num)
            return f"[^{num}]"
        return m.group(0)

    return _GLUED_NOTE.sub(repl, text)


#: WordPress's classic captioned image (``[caption]`` shortcode): ``div.wp-caption`` (or
#: ``dl.wp-caption``) around the image, its caption in ``.wp-caption-text`` (``dd.wp-caption-dd``)
_WP_CAPTION = "wp-caption"
_WP_CAPTION_TEXT = frozenset({"wp-caption-text", "wp-caption-dd"})


def _figure_elements(body) -> list:
    """The figures of the page, outermost first: HTML5 ``<figure>`` and WordPress's captioned
    image (an element with class ``wp-caption``, with an image inside)."""
    found = [el for el in body.iter() if el.tag == "figure"
             or (isinstance(el.tag, str) and _WP_CAPTION in _cls(el).split() and el.find(".//img") is not None)]
    chosen = set(found)
    return [el for el in found if not any(a in chosen for a in el.iterancestors())]


def _caption_element(fig):
    cap = fig.find(".//figcaption")
    if cap is None:
        cap = next((c for c in fig.iter() if isinstance(c.tag, str) and c is not fig
                    and _WP_CAPTION_TEXT & set(_cls(c).split())), None)
    return cap


def _figures(tree) -> list[FigureRef]:
    """A figure becomes its caption and its credit, each a paragraph, after a marker paragraph
    for its image (:mod:`.figures` keeps the image where the marker survives trafilatura's
    choice of the main content, or turns the caption into a note that the image is missing)."""
    body = tree.find("body")
    refs: list[FigureRef] = []
    if body is None:
        return refs
    for fig in _figure_elements(body):
        img = image_of(fig)
        cap = _caption_element(fig)
        lines: list[str] = []
        if cap is not None:
            credits = [c for c in cap.iter() if isinstance(c.tag, str) and re.search(r"credit|copyright|source|author", _cls(c))]
            credit_text = [_text(c) for c in credits]
            for c in credits:
                _remove(c)
            caption = _text(cap)
            if caption:
                lines.append(caption)
            lines += [c for c in credit_text if c]
        else:
            for c in fig.iter():
                if isinstance(c.tag, str) and re.search(r"credit|copyright", _cls(c)) and _text(c):
                    lines.append(_text(c))
        new = etree.Element("div")
        new.set("class", "sd-figure")
        if img is not None and len(refs) < MAX_FIGURES:
            etree.SubElement(new, "p").text = marker(len(refs))
            refs.append(FigureRef(src=img[0], alt=img[1], caption=tuple(lines)))
        for line in lines:
            p = etree.SubElement(new, "p")
            p.text = line
        new.tail = fig.tail
        parent = fig.getparent()
        if parent is not None:
            parent.replace(fig, new)
    return refs


# -- trafilatura's XML -> Markdown -----------------------------------------------------------

_BLOCK_START = re.compile(r"^(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|=|\||```|~~~)")


_LONE_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
_ESCAPED_NOTE = re.compile(r"\\\[\\\^|\[\\\^")


def _escape(text: str) -> str:
    text = text.replace("*", "\\*").replace("`", "\\`")
    return _LONE_UNDERSCORE.sub(r"\\_", text) if "_" in text else text


def _inline(el) -> str:
    out = [_escape(el.text or "")]
    for c in el:
        if isinstance(c.tag, str):
            inner = _inline(c)
            rend = c.get("rend") or ""
            if c.tag == "hi" and inner.strip():
                if rend in ("#i", "#em"):
                    inner = f"*{inner.strip()}*"
                elif rend in ("#b", "#strong"):
                    inner = f"**{inner.strip()}**"
                elif rend == "#sup":
                    inner = f"<sup>{inner}</sup>"
                elif rend == "#sub":
                    inner = f"<sub>{inner}</sub>"
                elif rend == "#t":
                    inner = f"`{inner}`"
            elif c.tag == "code":
                inner = f"`{inner}`"
            elif c.tag == "lb":
                inner = " "
            elif c.tag == "graphic":
                inner = ""
            out.append(inner)
        out.append(_escape(c.tail or ""))
    return "".join(out)


def _para(el) -> str:
    t = _collapse(_inline(el)).replace("\\[^", "[^")
    if "\\" in t:
        t = _ESCAPED_NOTE.sub("[^", t)
    return "\\" + t if _BLOCK_START.match(t) and not t.startswith("[^") else t


def _list(el, depth: int = 0) -> list[str]:
    lines: list[str] = []
    ordered = (el.get("rend") or "") == "ol"
    n = 0
    for item in el:
        if item.tag != "item":
            continue
        n += 1
        nested = [c for c in item if c.tag == "list"]
        for c in nested:
            item.remove(c)
        t = _para(item).lstrip("\\")
        if t:
            lines.append(f"{'  ' * depth}{f'{n}.' if ordered else '-'} {t}")
        for c in nested:
            lines += _list(c, depth + 1)
    return lines


def _table(el) -> list[str]:
    rows = [[_para(c).replace("|", "\\|") for c in row if c.tag == "cell"] for row in el if row.tag == "row"]
    rows = [r for r in rows if any(r)]
    width = max((len(r) for r in rows), default=0)
    data = len(rows) >= 2 and width >= 2 and all(len(c) <= 200 for r in rows for c in r)
    if not data:  # a layout table: its cells are paragraphs
        return [c for r in rows for c in r if c]
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return ["\n".join(out)]


def _blocks(body) -> list[str]:
    out: list[str] = []
    for el in body:
        if not isinstance(el.tag, str):
            continue
        tag = el.tag
        if tag == "head":
            level = (el.get("rend") or "h2").lstrip("h")
            t = _para(el).lstrip("\\")
            if t:
                out.append(("### " if level.isdigit() and int(level) >= 3 else "## ") + t)
        elif tag == "list":
            lines = _list(el)
            if lines:
                out.append("\n".join(lines))
        elif tag == "quote":
            inner = _blocks(el) if len(el) and el[0].tag in ("p", "list", "head") else [_para(el)]
            inner = [b for b in inner if b]
            if inner:
                out.append("\n>\n".join("\n".join("> " + ln for ln in b.split("\n")) for b in inner))
        elif tag == "table":
            out += _table(el)
        elif tag in ("div", "body"):
            out += _blocks(el)
        elif tag == "graphic":
            continue
        else:
            t = _para(el)
            if t:
                out.append(t)
    return out


# -- the reader -------------------------------------------------------------------------------

_ANY_TAG = re.compile(r"<(?:!doctype|html|head|body|p|div|article|main|section|h[1-6]|span|a|br|table|ul|ol|meta|title)\b", re.I)


def _looks_binary(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in data[:8192]


def read_html(name: str, data: bytes) -> Source:
    """Bytes of an HTML page -> Source (Markdown text + declared metadata). Raises IngestError."""
    import trafilatura  # loads lxml_html_clean and htmldate too: only when a page is read

    if len(data) > MAX_BYTES:
        raise IngestError(f"HTML page too large ({len(data)} bytes > {MAX_BYTES // (1024 * 1024)} MiB limit)")
    if not data.strip():
        raise IngestError("empty file")
    if _looks_binary(data):
        raise IngestError("not an HTML page: binary data")
    text, encoding = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if not _ANY_TAG.search(text):
        raise IngestError("not an HTML page: no HTML tag found")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses an encoding declaration in a str
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise IngestError("not an HTML page: it cannot be parsed") from None
    # lxml.html picks each element's Python class through a Python callback whenever it makes
    # a proxy for an element that has none alive; holding one per element makes the passes
    # below (metadata, byline, dates, headline, notes) reuse them instead: ~1 ms per page
    alive = list(tree.iter())

    metas = _metas(tree)
    ld = _json_ld(tree)
    sites = _site_names(tree, metas, ld)
    dates = _page_dates(tree, metas, ld)
    byline = _byline_authors(tree)
    notes = _notes(tree)
    figures = _figures(tree)

    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=True,
        include_links=False,
        deduplicate=False,
        date_extraction_params=_DATE_PARAMS,
    )
    blocks = _blocks(doc.body) if doc is not None and doc.body is not None else []
    if not any(len(b) >= 20 for b in blocks):
        raise IngestError("no article text found in the HTML page")

    title = _headline(tree, metas, sites, doc.title)
    if title:
        title = unicodedata.normalize("NFC", title)
        k = _key(title)
        while blocks and _key(re.sub(r"^#+\s+", "", blocks[0])) == k:
            blocks.pop(0)  # trafilatura repeats the headline
    # date: what the page declares; the date of a cited work (citation_*) last
    cited = {_iso(metas.get(k)) for k in ("citation_publication_date", "citation_date", "citation_online_date")} - {None}
    date = next((d for d in dates if d not in cited), None)
    if date is None and doc.date and (doc.date not in cited or not dates):
        date = doc.date
    date = date or next(iter(dates), None)

    authors: list[str] = []
    for k in ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author"):
        v = metas.get(k)
        if v and not v.startswith("http"):
            authors += _split_names(v)
    for d in ld:
        if str(d.get("@type")) in ("NewsArticle", "Article", "BlogPosting", "ScholarlyArticle", "Report", "WebPage"):
            authors += [p for n in _ld_name(d.get("author")) for p in _split_names(n)]
    authors = authors or byline
    if not authors and doc.author and _key(doc.author) not in {_key(metas.get("citation_author"))}:
        authors = _split_names(doc.author)
    authors = list(dict.fromkeys(authors))

    footer = []
    for el in tree.iter("address", "p", "div"):
        if "copyright" in _cls(el) or el.tag == "address":
            footer.append(_text(el)[:200])
    title_parts = [p for p in _TITLE_SEPARATORS.split(_text(tree.find(".//title"))) if _key(p) != _key(title)]
    organisation = _organisation(sites or [p for p in title_parts if p.strip()][:1], title_parts + footer)

    url = None
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and (link.get("href") or "").startswith(("http://", "https://")):
            url = link.get("href").strip()
            break
    url = url or next((metas[k] for k in ("og:url",) if metas.get(k, "").startswith(("http://", "https://"))), None)

    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or metas.get("og:locale") \
        or metas.get("content-language") or metas.get("dc.language") or doc.language
    lang = re.split(r"[-_]", lang.strip().lower())[0] if lang and lang.strip() else None
    if lang and not re.fullmatch(r"[a-z]{2}", lang):
        lang = None

    # the study the page is about, where its citation metadata (Highwire/Google Scholar, PRISM,
    # Dublin Core) says so: a DOI only when it reads as one
    doi = next((d for k in ("citation_doi", "prism.doi", "bepress_citation_doi", "dc.identifier")
                for d in dois(metas.get(k, ""))[:1]), None)
    journal = next((metas[k] for k in ("citation_journal_title", "prism.publicationname",
                                       "bepress_citation_journal_title") if metas.get(k)), None)

    parts = ([f"# {title}"] if title else []) + blocks
    parts += [f"[^{n}]: {_escape(t)}" for n, t in notes.items()]
    markdown = unicodedata.normalize("NFC", "\n\n".join(parts) + "\n")
    declared = Declared(
        title=title,
        date=date,
        authors=tuple(authors),
        organisation=organisation,
        source_url=url,
        lang=lang,
        doi=doi,
        journal=journal,
    )
    del alive  # (the proxies were only kept for speed)
    return Source(
        name=name,
        text=markdown,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        format="html",
        declared=declared,
        figures=tuple(figures),
    )
