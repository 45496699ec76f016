"""pytest plugin: a site built from hostile articles (Markdown, raw HTML, front matter).

Every hostile payload sets a global named ``sdPwned`` (never ``alert()``, which
would block a browser test), so a test can both look for the marker in the built
files and ask a browser whether anything ran.

Helpers: ``HOSTILE_ARTICLES`` (slug -> (front matter, body)), ``write_hostile_articles(dir)``.

Fixtures:

``hostile_site`` (session)
    ``BuiltSite`` of the hostile articles plus four synthetic ones (normal
    articles, for search), built with ``--strict`` like the real site. Then one
    article page gets a planted inline handler and inline script *after* the
    build (``PLANTED_PAGE``), and a copy of that page without its
    Content-Security-Policy is written next to it (``CONTROL_PAGE``) to prove
    the plant would run without the policy.
``hostile_server`` (session)
    ``SiteServer`` over ``hostile_site`` on 127.0.0.1, like ``site_server``.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tests.plugins.site_server import (
    BuiltSite,
    build_site,
    copy_site_project,
    serving,
)

MARK = "sdPwned"

HOSTILE_ARTICLES: dict[str, tuple[dict, str]] = {
    "liens-pieges": ({
        "title": "Des liens qui ne mènent nulle part",
        "description": "Un communiqué dont les liens pointent vers des schémas de script.",
        "date": "2024-03-04", "organisation": "Université de Nulle Part", "tags": ["liens"],
        "categories": ["Numérique"], "source_url": "javascript:window.sdPwned=1",
    }, """\
Les chercheurs ont publié leurs données [sur leur site](javascript:window.sdPwned=2) et
[en miroir](JaVaScRiPt:window.sdPwned=3), avec une [version ancienne](vbscript:window.sdPwned=4)
et un [résumé](data:text/html,<script>window.sdPwned=5</script>).

![Schéma du dispositif](javascript:window.sdPwned=6 "Schéma")

![Figure 2](data:image/svg+xml,<svg onload="window.sdPwned=7"></svg>)

Voir aussi [la référence][ref] et <a href="&#106;avascript:window.sdPwned=8">l'annexe</a>,
<a href="java&#x09;script:window.sdPwned=9">la note</a> et <a href=" javascript:window.sdPwned=10">le lien</a>.

[ref]: javascript:window.sdPwned=11

Le [vrai communiqué](https://www.example.org/communique) reste lisible.
"""),
    "listes-d-attributs": ({
        "title": "Attributs en pagaille",
        "description": "Un texte dont les listes d'attributs portent des gestionnaires d'événements.",
        "date": "2024-02-01", "organisation": "Laboratoire Imaginaire", "tags": ["attributs"],
        "categories": ["Numérique"],
    }, """\
## Résultats {: onclick="window.sdPwned=20" #resultats .sd-section }

L'équipe a mesuré l'activité de 300 neurones.
{: onmouseover="window.sdPwned=21" style="background:url(javascript:window.sdPwned=22)" }

Un *résultat marquant*{: onclick="window.sdPwned=23" } et [un lien](https://www.example.org){: onfocus="window.sdPwned=24" autofocus="" }.

![Coupe](coupe.png){: onerror="window.sdPwned=25" }

## Leurre {: id="__config" }

## Étiquette {: data-toc-label="<img src=x onerror=window.sdPwned=26>" }

Fin du texte.
"""),
    "html-brut": ({
        "title": "Du HTML brut dans le corps",
        "description": "Script, cadres, objets et SVG collés dans un article.",
        "date": "2024-01-15", "organisation": "Institut Fictif", "tags": ["html"], "categories": ["Numérique"],
    }, """\
Premier paragraphe d'un communiqué ordinaire.

<script>window.sdPwned=30</script>

<iframe src="https://evil.example/" srcdoc="<script>parent.sdPwned=31</script>"></iframe>

<object data="javascript:window.sdPwned=32"></object>
<embed src="data:text/html,<script>window.sdPwned=33</script>">

<svg onload="window.sdPwned=34"><script>window.sdPwned=35</script></svg>

<math><mtext><table><mglyph><style><img src=x onerror="window.sdPwned=36"></style></mglyph></table></mtext></math>

<img src="x" onerror="window.sdPwned=37">

<div markdown="1" onclick="window.sdPwned=38">Un encadré **important**.</div>

<form action="javascript:window.sdPwned=39"><button formaction="javascript:window.sdPwned=40">Envoyer</button></form>

<details open ontoggle="window.sdPwned=41"><summary>Détails</summary>Rien.</details>

<p style="width: expression(window.sdPwned=42)">Ancien navigateur.</p>

<base href="https://evil.example/">

<!--><img src=x onerror="window.sdPwned=43">-->

Dernier paragraphe[^1].

[^1]: Une note <img src=x onerror="window.sdPwned=44"> en bas de page.
"""),
    "titre-piege": ({
        "title": 'Titre <img src=x onerror="window.sdPwned=50"> </title><script>window.sdPwned=51</script>',
        "description": 'Résumé "><script>window.sdPwned=52</script> <b onmouseover="window.sdPwned=53">gras</b>',
        "date": "2023-12-01", "organisation": "Org <svg onload=\"window.sdPwned=54\">",
        "authors": ["Auteur <img src=x onerror=\"window.sdPwned=55\">"],
        "tags": ["<img src=x onerror=\"window.sdPwned=56\">", "neurones"],
        "categories": ["Cat </script><script>window.sdPwned=57</script>"],
    }, """\
Un article dont les métadonnées contiennent du HTML, et dont le texte parle de
&lt;script&gt; sans en contenir. Mot témoin : zorbalixquatre.

## Section <img src=x onerror="window.sdPwned=58"> titrée

### &lt;img src=x onerror=window.sdPwned=59&gt; échappé

*[HTML]: Hyper<script>window.sdPwned=60</script>Text

Le HTML est partout.
"""),
}


def write_hostile_articles(articles_dir) -> list[str]:
    """Write every hostile article as ``<slug>.fr.md``; return the slugs."""
    articles_dir.mkdir(parents=True, exist_ok=True)
    for slug, (meta, body) in HOSTILE_ARTICLES.items():
        front = {"slug": slug, "lang": "fr", "reading_time": 2, **meta}
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body
        (articles_dir / f"{slug}.fr.md").write_text(text, encoding="utf-8")
    return list(HOSTILE_ARTICLES)


#: site-relative page that gets a planted handler after the build, and its copy without CSP
PLANTED_PAGE = "articles/liens-pieges/index.html"
CONTROL_PAGE = "articles/liens-pieges/control.html"
PLANT = ('<p id="sd-planted"><img src="x-planted.png" onerror="window.sdPlanted=\'handler\'">'
         "<script>window.sdPlantedScript='script'</script></p>")
_CSP_META = re.compile(r'\s*<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def plant(site_dir) -> None:
    page = site_dir / PLANTED_PAGE
    text = page.read_text(encoding="utf-8")
    marker = '<article class="md-content__inner md-typeset">'
    assert marker in text, "the theme's article element moved: update the plant"
    planted = text.replace(marker, marker + PLANT, 1)
    page.write_text(planted, encoding="utf-8")
    control, n = _CSP_META.subn("", planted)
    assert n == 1, "the planted page has no Content-Security-Policy meta"
    (site_dir / CONTROL_PAGE).write_text(control, encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> BuiltSite:
    from scidigest.site.catalogue import Catalogue, load_articles

    root = tmp_path_factory.mktemp("hostile-site")
    project = copy_site_project(root / "project", articles_from=None, synthetic=4, synthetic_seed=13)
    write_hostile_articles(project.project_dir / "docs" / "articles")
    site_dir = build_site(project.project_dir, root / "site")
    plant(site_dir)
    config = yaml.safe_load((project.project_dir / "mkdocs.yml").read_text(encoding="utf-8"))
    catalogue = Catalogue(load_articles(project.project_dir / "docs" / "articles"))
    return BuiltSite(project.project_dir, site_dir, catalogue, project.synthetic, config["site_url"])


@pytest.fixture(scope="session")
def hostile_server(hostile_site):
    with serving(hostile_site) as server:
        yield server
