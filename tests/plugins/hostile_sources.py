"""Hostile *sources* (what a careless contributor or an attacker can put in ``sources/``),
written into a temporary folder, each with what ``scidigest ingest`` must make of it.

Importable helpers, no fixtures:

``write_hostile_sources(sources) -> dict[str, Expect]``
    The content classes (script links and images in every spelling, attribute lists,
    raw HTML, markup and control characters in titles and sidecars), the file classes
    (symlink loop, links to ``/dev/zero``, outside the folder and to a folder, dangling
    link, sparse 8 GiB file, FIFO, socket, hidden files, a newline in a file name) and
    the sidecar classes (billion laughs, deep nesting in flow and block style, oversize,
    FIFO and ``/dev/zero`` sidecars, bad and reserved slugs). Keys are file names as
    ``scidigest ingest`` prints them, relative to ``sources``.
``write_costly_sources(sources) -> dict[str, Expect]``
    Pathological Markdown (long runs of ``[``, backticks, digits, ``<``, emphasis
    markers; thousands of headings, of tags): each must ingest, or be refused in one
    line, and then build in bounded time.
``scan_site(site_dir) -> list[str]``
    Every built HTML file, search index and feed, parsed: each live-script problem found.

Every payload sets the global ``sdPwned`` (the marker of ``tests/plugins/hostile_site.py``,
the hand-written hostile articles), so a built site can be searched for it.
"""

from __future__ import annotations

import json
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from tests.plugins.hostile_site import MARK

#: what ingest must do with one input
ARTICLE = "article"  # a valid article (the hostile parts neutralised)
REFUSED = "refused"  # exactly one `error:` line naming it, no article
SKIPPED = "skipped"  # exactly one `skipped:` line naming it, no article
EITHER = "article-or-refused"  # a valid article, or one `error:` line: never a crash


@dataclass(frozen=True)
class Expect:
    outcome: str
    why: str


LEDE = ("Des chercheurs de l'université de Bordeaux ont montré que certains neurones de "
        "l'hypothalamus règlent la durée du sommeil profond chez la souris. L'étude, publiée ce "
        "mois-ci, a suivi quarante animaux pendant six semaines.")
SECOND = ("Les neurones étudiés s'activent juste avant l'endormissement. Leur stimulation par la "
          "lumière allonge les phases de sommeil lent, tandis que leur inhibition les raccourcit "
          "nettement.")
THIRD = ("L'équipe veut maintenant vérifier si un mécanisme semblable existe chez l'être humain, "
         "où les troubles du sommeil touchent près d'un adulte sur trois.")


def article(title: str, *middle: str) -> str:
    """A plausible web page scraped to Markdown, with ``middle`` paragraphs among its own."""
    parts = [f"# {title}", LEDE, *middle, SECOND, THIRD]
    return "\n\n".join(parts) + "\n"


def _js(n: int) -> str:
    return f"window.{MARK}={n}"


# --------------------------------------------------------------------------- content classes
CONTENT: dict[str, tuple[str, str | None, str]] = {
    # name: (source text, sidecar text or None, why)
    "liens-script.md": (article(
        "Des liens vers des schémas de script",
        f"Les données sont [en ligne](javascript:{_js(1)}) et [en miroir](JaVaScRiPt:{_js(2)}), "
        f"avec une [version ancienne](vbscript:{_js(3)}) et un "
        f"[résumé](data:text/html,<script>{_js(4)}</script>).",
        f"Voir aussi [la note](&#106;avascript:{_js(5)}), [l'annexe]( java\tscript:{_js(6)}) "
        f"et [le lien](<javascript:{_js(7)}>).",
        f"La [référence][ref] et l'autre [référence][r2] complètent le dossier.\n\n"
        f"[ref]: javascript:{_js(8)}\n[r2]: <vbscript:{_js(9)}> \"titre\"",
    ), None, "script-scheme links in every spelling"),
    "images-script.md": (article(
        "Des images piégées",
        f"![Schéma du dispositif](javascript:{_js(10)} \"Schéma\")",
        f"![Figure 2](data:image/svg+xml,<svg onload=\"{_js(11)}\"></svg>)",
        f"![Coupe](https://example.org/coupe.png){{: onerror=\"{_js(12)}\" }}",
    ), None, "script-scheme images"),
    "listes-attributs.md": (article(
        "Attributs en pagaille",
        f"## Résultats {{: onclick=\"{_js(20)}\" #resultats }}",
        f"Le protocole a duré trois ans.\n{{: onmouseover=\"{_js(21)}\" style=\"color:red\" }}",
        f"Un *résultat marquant*{{: onclick=\"{_js(22)}\" }} et "
        f"[un lien](https://example.org){{: href=\"javascript:{_js(23)}\" }}.",
        f"## Étiquette {{: data-toc-label=\"<img src=x onerror={_js(24)}>\" }}",
    ), None, "attribute lists with event handlers, styles, URL attributes"),
    "html-brut.md": (article(
        "Du HTML brut dans le texte",
        f"<script>{_js(30)}</script>",
        f"<iframe src=\"https://evil.invalid/\" srcdoc=\"<script>parent.{MARK}=31</script>\"></iframe>",
        f"<object data=\"javascript:{_js(32)}\"></object><embed src=\"data:text/html,x\">",
        f"<img src=\"x\"\n     onerror=\"{_js(33)}\">",
        f"<svg/onload={_js(34)}> <details open ontoggle=\"{_js(35)}\">x</details>",
        f"<!--><img src=x onerror=\"{_js(36)}\">-->",
    ), None, "raw script, iframe, object, embed, svg, comment tricks"),
    "titre-balise.md": (article(
        f"Le CO<sub>2</sub> des océans <img src=x onerror=\"{_js(40)}\"> mesuré",
    ), None, "markup in the title line"),
    "titre-annexe.txt": (article("Un titre remplacé par l'annexe"),
                         f"title: \"Titre <b onmouseover=\\\"{_js(41)}\\\">gras</b></title><script>{_js(42)}</script>\"\n"
                         f"description: \"Résumé \\\"><script>{_js(43)}</script>\"\n"
                         f"authors: [\"Ada <img src=x onerror={_js(44)}>\", \"Bob\"]\n"
                         f"tags: [\"<svg onload={_js(45)}>\", \"sommeil\"]\n"
                         f"organisation: \"Org </script><script>{_js(46)}</script>\"\n",
                         "markup in every sidecar text field"),
    "controles.txt": (article("Des caractères de contrôle"),
                      "title: \"Titre\\x07 avec\\nun saut\\u202e de ligne\\x1b[31m\"\n"
                      "description: \"Un résumé\\ttabulé\\x00 et \\u2028 séparé\"\n"
                      "authors: [\"Ada\\x08 Lovelace\", \"\\x07\"]\n"
                      "tags: [\"som\\u200bmeil\", \"neurones\\r\\n\"]\n",
                      "control characters in sidecar fields"),
    "titre-controle.md": ("# Titre\x01 avec \x1b[1mcontrôle\x7f\u0085 dedans\n\n" + LEDE + "\n\n" + SECOND + "\n",
                          None, "control characters in the title line"),
    "index.md": (article("Index"), "title: Index\n", "a title whose slug is a reserved page name"),
    "page-piegee.html": (
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
        f"<title>Une page <script>{_js(70)}</script> piégée</title>"
        f"<meta property=\"og:title\" content=\"Titre &lt;img src=x onerror={_js(71)}&gt;\">"
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"></head><body>"
        f"<article><h1>Une page piégée <img src=x onerror=\"{_js(72)}\"></h1>"
        f"<p>{LEDE} <a href=\"javascript:{_js(73)}\">Lire</a>.</p>"
        f"<p onmouseover=\"{_js(74)}\">{SECOND}</p><script>{_js(75)}</script>"
        f"<iframe src=\"javascript:{_js(76)}\"></iframe><p>{THIRD}</p>"
        f"<p><img src=\"data:image/svg+xml,&lt;svg onload={_js(77)}&gt;\" alt=\"figure\"></p></article>"
        "</body></html>", None, "a web page full of script"),
}

#: name -> (source text, sidecar text, why, outcome)
SIDECARS: dict[str, tuple[str, str, str, str]] = {
    "slug-saut.txt": (article("Un slug avec un saut de ligne"), 'slug: "mon-slug\\n"\n',
                      "sidecar slug with a newline", REFUSED),
    "slug-reserve.txt": (article("Un slug réservé"), "slug: index\n", "sidecar slug 'index'", REFUSED),
    "slug-404.txt": (article("Un autre slug réservé"), "slug: '404'\n", "sidecar slug '404'", REFUSED),
    "slug-chemin.txt": (article("Un slug qui sort du dossier"), 'slug: "../../../evil"\n',
                        "sidecar slug with a path", REFUSED),
    "slug-unicode.txt": (article("Un slug accentué"), 'slug: "résumé-été"\n', "non-ASCII slug", REFUSED),
    "milliard.txt": (article("Un milliard de rires"),
                     'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                     + "".join(f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))
                     + "tags: *j\n",
                     "billion laughs (anchors and aliases)", REFUSED),
    "profond-flux.txt": (article("Une imbrication profonde"), "tags: " + "[" * 20000 + "]" * 20000 + "\n",
                         "sidecar nested 20,000 levels (flow)", REFUSED),
    "profond-bloc.txt": (article("Une imbrication en blocs"),
                         "tags:\n" + "".join(" " * (2 * i) + "- x:\n" for i in range(1, 100)),
                         "sidecar nested 100 levels (block)", REFUSED),
    "geant.txt": (article("Un fichier annexe géant"), "description: \"" + "x" * (200 * 1024) + "\"\n",
                  "sidecar of 200 KiB", REFUSED),
    "alias-simple.txt": (article("Un alias simple"), "title: &t Un titre\ndescription: *t\n",
                         "sidecar with one alias", REFUSED),
}

#: thousands of tags through a sidecar: refused or capped, never a stall
MANY_TAGS = "tags:\n" + "".join(f"  - mot-clé {i}\n" for i in range(3000))


def write_hostile_sources(sources: Path) -> dict[str, Expect]:
    sources = Path(sources)
    sources.mkdir(parents=True, exist_ok=True)
    outside = sources.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "bait.txt").write_text(article("Un texte hors du dossier"), encoding="utf-8")
    expect: dict[str, Expect] = {}

    for name, (text, sidecar, why) in CONTENT.items():
        (sources / name).write_text(text, encoding="utf-8")
        if sidecar is not None:
            (sources / _sidecar(name)).write_text(sidecar, encoding="utf-8")
        expect[name] = Expect(ARTICLE, why)
    for name, (text, sidecar, why, outcome) in SIDECARS.items():
        (sources / name).write_text(text, encoding="utf-8")
        (sources / _sidecar(name)).write_text(sidecar, encoding="utf-8")
        expect[name] = Expect(outcome, why)

    # sidecars that are not regular files
    for name, target, why in (("annexe-fifo.txt", None, "sidecar is a FIFO"),
                              ("annexe-zero.txt", "/dev/zero", "sidecar is a link to /dev/zero")):
        (sources / name).write_text(article("Un fichier annexe piégé"), encoding="utf-8")
        side = sources / _sidecar(name)
        if target is None:
            os.mkfifo(side)
        else:
            side.symlink_to(target)
        expect[name] = Expect(REFUSED, why)

    # files that are not regular files
    (sources / "boucle-a.txt").symlink_to("boucle-b.txt")
    (sources / "boucle-b.txt").symlink_to("boucle-a.txt")
    expect["boucle-a.txt"] = Expect(REFUSED, "symlink loop")
    expect["boucle-b.txt"] = Expect(REFUSED, "symlink loop")
    (sources / "zero.txt").symlink_to("/dev/zero")
    expect["zero.txt"] = Expect(REFUSED, "symlink to /dev/zero")
    (sources / "urandom.md").symlink_to("/dev/urandom")
    expect["urandom.md"] = Expect(REFUSED, "symlink to /dev/urandom")
    (sources / "pendant.txt").symlink_to("nulle-part.txt")
    expect["pendant.txt"] = Expect(REFUSED, "dangling symlink")
    (sources / "dehors.txt").symlink_to(Path("..") / "outside" / "bait.txt")
    expect["dehors.txt"] = Expect(REFUSED, "symlink to a file outside sources/")
    (sources / "dossier-boucle").symlink_to(".")
    expect["dossier-boucle"] = Expect(REFUSED, "symlink to a folder (a loop)")
    (sources / "lien-interne.txt").symlink_to("liens-script.md")
    expect["lien-interne.txt"] = Expect(EITHER, "symlink to a source inside sources/")
    with open(sources / "creux.txt", "wb") as fh:  # sparse: costs nothing on disk
        fh.truncate(8 * 1024**3)
    expect["creux.txt"] = Expect(REFUSED, "sparse 8 GiB file")
    with open(sources / "creux.pdf", "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(8 * 1024**3)
    expect["creux.pdf"] = Expect(REFUSED, "sparse 8 GiB PDF")
    os.mkfifo(sources / "tube.txt")
    expect["tube.txt"] = Expect(REFUSED, "FIFO")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(sources / "prise.txt"))
        expect["prise.txt"] = Expect(REFUSED, "unix socket")
    except OSError:  # path too long for a socket on this machine: the class is covered by FIFO
        pass
    finally:
        sock.close()
    (sources / ".cache.txt").write_text(article("Un fichier caché"), encoding="utf-8")
    expect[".cache.txt"] = Expect(SKIPPED, "hidden file")
    (sources / ".brouillons").mkdir()
    (sources / ".brouillons" / "brouillon.txt").write_text(article("Un brouillon"), encoding="utf-8")
    expect[".brouillons"] = Expect(SKIPPED, "hidden folder")
    (sources / "nom\navec-saut.txt").write_text(article("Un nom de fichier sur deux lignes"), encoding="utf-8")
    expect["nom\navec-saut.txt"] = Expect(REFUSED, "newline in the file name")
    (sources / "nom\x1b[31mrouge.txt").write_text(article("Un nom de fichier coloré"), encoding="utf-8")
    expect["nom\x1b[31mrouge.txt"] = Expect(REFUSED, "escape sequence in the file name")
    (sources / "vide.txt").write_bytes(b"")
    expect["vide.txt"] = Expect(REFUSED, "empty file")
    (sources / "binaire.txt").write_bytes(bytes(range(256)) * 64)
    expect["binaire.txt"] = Expect(REFUSED, "binary file")
    (sources / "casse.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Length 99999999 >> stream\n" + bytes(range(256)) * 8)
    expect["casse.pdf"] = Expect(REFUSED, "damaged PDF")
    (sources / "mots-cles.txt").write_text(article("Des milliers de mots-clés"), encoding="utf-8")
    (sources / "mots-cles.meta.yaml").write_text(MANY_TAGS, encoding="utf-8")
    expect["mots-cles.txt"] = Expect(EITHER, "3,000 tags in a sidecar")
    return expect


# --------------------------------------------------------------------------- cost classes
def _runs(n: int) -> dict[str, tuple[str, str]]:
    return {
        "crochets.md": ("[" * n, "a long run of ["),
        "crochets-fermes.md": ("[a](" * (n // 4) + ")" * (n // 4), "nested link openers"),
        "accents-graves.md": ("`" * n, "a long run of backticks"),
        "accents-alternes.md": ("`a" * (n // 2), "alternating backticks"),
        "chiffres.md": ("1" * n, "a long run of digits"),
        "chiffres-liste.md": ("1. " * (n // 3), "list markers in a row"),
        "chevrons.md": ("<" * n, "a long run of <"),
        "chevrons-balises.md": ("<a " * (n // 3), "unclosed tags"),
        "emphase.md": ("*_" * (n // 2), "mixed emphasis markers"),
        "emphase-mots.md": ("*a _b " * (n // 6), "emphasis openers never closed"),
        "accolades.md": ("{" * n, "a long run of {"),
        "esperluettes.md": ("&#" * (n // 2), "entity openers"),
        "crochets-notes.md": ("[^" * (n // 2), "footnote openers"),
    }


def write_costly_sources(sources: Path, *, run_length: int = 20000, repeat: int = 1, headings: int = 3000,
                         tags: int = 3000, prefix: str = "") -> dict[str, Expect]:
    """One article per pathological run (``repeat`` paragraphs of ``run_length`` characters
    each), one with ``headings`` headings, one with ``tags`` tags in its sidecar."""
    sources = Path(sources)
    sources.mkdir(parents=True, exist_ok=True)
    expect: dict[str, Expect] = {}
    for name, (run, why) in _runs(run_length).items():
        title = f"Un texte pathologique {prefix}: {why}"
        (sources / f"{prefix}{name}").write_text(article(title, *[run] * repeat), encoding="utf-8")
        expect[f"{prefix}{name}"] = Expect(EITHER, why)
    body = "\n\n".join(f"## Partie {i}\n\nLe paragraphe {i} décrit une mesure." for i in range(headings))
    (sources / f"{prefix}titres.md").write_text(article(f"Des titres en nombre {prefix}", body), encoding="utf-8")
    expect[f"{prefix}titres.md"] = Expect(EITHER, f"{headings} headings")
    (sources / f"{prefix}tags.txt").write_text(article(f"Des mots-clés en nombre {prefix}"), encoding="utf-8")
    (sources / _sidecar(f"{prefix}tags.txt")).write_text(
        "tags:\n" + "".join(f"  - mot-clé {i}\n" for i in range(tags)), encoding="utf-8")
    expect[f"{prefix}tags.txt"] = Expect(EITHER, f"{tags} tags")
    return expect


def _sidecar(name: str) -> str:
    from scidigest.sidecar import sidecar_name

    return sidecar_name(name)


# --------------------------------------------------------------------------- built site
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "background", "xlink:href",
                  "srcset", "cite", "ping")
FORBIDDEN = ("iframe", "object", "embed", "frame", "frameset", "applet", "base")
FORBIDDEN_IN_BODY = ("script", "style", "svg", "math", "form", "input", "button", "textarea", "template",
                     "meta", "link")
DATA_TYPES = ("application/json", "application/ld+json")


def _probe(url: str) -> str:
    return re.sub(r"[\x00-\x20]", "", url)


def element_problems(where: str, root, *, fragment: bool = False) -> list[str]:
    """Live script in a parsed tree: on* attributes, script-scheme URLs, frames and objects,
    scripts from content (the marker, foreign sources, anything in a body or a fragment)."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in FORBIDDEN:
            found.append(f"{where}: <{tag}>")
        for name, value in el.attrib.items():
            lname = name.lower()
            if lname.startswith("on"):
                found.append(f"{where}: <{tag} {name}=...>")
            if lname in URL_ATTRIBUTES and BAD_SCHEME.match(_probe(value)):
                found.append(f"{where}: <{tag} {name}={value[:60]!r}>")
        if tag == "script":
            kind = (el.get("type") or "").lower()
            code = el.text or ""
            src = el.get("src")
            if fragment:
                found.append(f"{where}: <script> in a search entry or feed item")
            elif src:
                if "://" in src or src.startswith("//") or not src.split("?")[0].endswith(".js"):
                    found.append(f"{where}: script src={src[:60]!r}")
            elif kind in DATA_TYPES:
                try:
                    json.loads(code)
                except ValueError:
                    found.append(f"{where}: a {kind} block that is not JSON (broken out of?)")
                if "<" in code:
                    found.append(f"{where}: '<' inside a {kind} block")
            elif MARK in code:
                found.append(f"{where}: script from content {code[:60]!r}")
    if not fragment:
        for body in root.xpath("//article"):
            theme = theme_row_buttons(body)
            for el in body.iter(*FORBIDDEN_IN_BODY):
                if el not in theme:
                    found.append(f"{where}: <{el.tag}> in the article body")
    return found


#: the one thing of the theme's inside an article body: the share and print row right after the
#: article's header (scripts/theme/partials/content.html, scidigest.site.share), whose buttons are
#: plain type=button ones with these attributes only (content cannot write a button at all)
THEME_ROW = "./header[contains(@class, 'sd-article-header')]/following-sibling::*[1][self::div][@class='sd-actions']"
THEME_BUTTON_ATTRIBUTES = {"type", "class", "hidden", "data-sd-share", "data-sd-print", "data-sd-title", "data-sd-url"}


def theme_row_buttons(body) -> list:
    """The theme's share/print buttons in an article body (``body``: its ``<article>``
    element): the only buttons a built body may hold."""
    return [b for row in body.xpath(THEME_ROW) for b in row.iter("button")
            if b.get("type") == "button" and set(b.attrib) <= THEME_BUTTON_ATTRIBUTES
            and (b.get("data-sd-share") is not None or b.get("data-sd-print") is not None)]


def scan_site(site_dir: Path) -> list[str]:
    from lxml import etree, html

    site_dir = Path(site_dir)
    problems: list[str] = []
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        rel = page.relative_to(site_dir).as_posix()
        problems += element_problems(rel, html.fromstring(page.read_bytes()))
    for index in sorted(site_dir.rglob("search_index.json")):
        rel = index.relative_to(site_dir).as_posix()
        for n, doc in enumerate(json.loads(index.read_text(encoding="utf-8"))["docs"]):
            for field in ("title", "text"):
                value = doc.get(field) or ""
                if "<" in value or "&" in value:  # the search UI inserts these as HTML
                    problems += element_problems(f"{rel} docs[{n}].{field}",
                                                 html.fragment_fromstring(value, create_parent="div"),
                                                 fragment=True)
    for feed in sorted(site_dir.rglob("feed.xml")):
        rel = feed.relative_to(site_dir).as_posix()
        tree = etree.fromstring(feed.read_bytes())
        for n, item in enumerate(tree.iter("item")):
            for child in item:
                text = child.text or ""
                # an RSS description is HTML (readers render it); a title is plain text
                if child.tag == "description" and ("<" in text or "&" in text):
                    problems += element_problems(f"{rel} item[{n}].{child.tag}",
                                                 html.fragment_fromstring(text, create_parent="div"),
                                                 fragment=True)
                if child.tag == "link" and BAD_SCHEME.match(_probe(text)):
                    problems.append(f"{rel} item[{n}].link {text[:60]!r}")
    return problems
