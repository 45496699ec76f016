"""The site's sanitiser, URL rule, text rule and Content-Security-Policy, without MkDocs."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from scidigest.site import csp
from scidigest.site.catalogue import article_from_meta
from scidigest.site.feeds import render_rss
from scidigest.site.meta import PageInfo, article_header_html, head_html
from scidigest.site.sanitize import (
    clean_html,
    json_for_script,
    safe_url,
    search_fragment,
    text_to_html,
    toc_title,
)
from scidigest.site.search import safe_search_index

REPO = Path(__file__).resolve().parents[2]
SITE = "https://scidigest.github.io/scidigest/"
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def site_markdown() -> markdown.Markdown:
    """A parser with exactly the Markdown extensions (and options) of mkdocs.yml."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for item in config["markdown_extensions"]:
        name, opts = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        if opts:
            options[name] = opts
    return markdown.Markdown(extensions=names, extension_configs=options, output_format="xhtml")


def render(text: str) -> str:
    return site_markdown().convert(text)


def live_script(fragment: str) -> list[str]:
    """Everything in ``fragment`` (parsed as a browser would see a body) that could run script."""
    found = []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "style", "base", "form", "frame", "meta",
                   "link", "body", "noscript", "textarea", "title", "template"):
            found.append(f"<{tag}>")
        for name, value in el.attrib.items():
            name = name.lower()
            if name == "id" and value.startswith("__"):  # would shadow Material's own elements
                found.append(f"{tag}@id={value}")
            if name.startswith("on") or name in ("style", "formaction", "srcdoc", "name"):
                found.append(f"{tag}@{name}")
            probe = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in ("href", "src", "action", "data", "poster", "xlink:href") and probe.startswith(BAD_SCHEMES):
                found.append(f"{tag}@{name}={value}")
    return found


# -- legit output passes untouched ----------------------------------------------------------------

LEGIT = """\
*[ARN]: acide ribonucléique
*[CNRS]: Centre national de la recherche scientifique

L'équipe du CNRS a mesuré l'ARN messager dans 1 200 cellules : un résultat « inattendu »[^1] publié
dans [*Nature Neuroscience*](https://www.nature.com/neuro/ "La revue") et résumé sur
[la page du laboratoire](../autre-article/#methodes). Contact : <mailto:presse@example.org>,
<https://www.example.org/communique>.

## Méthodes { #methodes .sd-section }

Le récepteur 5-HT~2B~ et le rapport x^2^ : ~~ancienne hypothèse~~ ^^nouvelle hypothèse^^.

| Groupe | Souris | Survie |
|:-------|:------:|-------:|
| Témoin | 12 | 40 % |
| Traité | 12 | 75 % |

!!! note "À retenir"
    Le traitement double la survie chez la souris ; aucun essai chez l'humain n'a encore eu lieu.

??? info "Pour aller plus loin"
    Les données sont publiques.

???+ warning "Limites"
    Petit effectif.

```python
def survie(n: int) -> float:
    return n / 12 if n < 12 else 1.0
```

![Coupe de cerveau de souris](images/coupe.png "Coupe coronale"){ .sd-figure }

<div class="sd-encart" markdown="1">
**Encadré** : la méthode en trois étapes.
</div>

Texte avec `code en ligne`, une <sub>indice</sub> et un <abbr title="acide désoxyribonucléique">ADN</abbr>.

[^1]: Selon les auteurs, « l'effet n'était pas attendu ».
"""


def test_the_sanitiser_leaves_everything_our_markdown_extensions_write_untouched():
    rendered = render(LEGIT)
    # the sample exercises every extension: the test is only worth something if they all fired
    for mark in ('<abbr title="acide ribonucléique">ARN</abbr>', 'class="footnote-ref"', 'id="methodes"',
                 'class="sd-section"', "<sub>2B</sub>", "<sup>2</sup>", "<del>", "<ins>", 'style="text-align: center;"',
                 'class="admonition note"', '<details class="info">', "<details class=\"warning\" open=\"open\">",
                 '<div class="highlight"><pre><span></span><code><span class="k">', 'title="Coupe coronale" />',
                 'class="sd-encart"', 'class="headerlink"', "&para;", "&#8617;", 'href="&#109;&#97;', "<hr />"):
        assert mark in rendered, mark
    assert clean_html(rendered) == rendered  # same bytes, not merely the same document


def test_the_sites_own_listing_markup_is_untouched():
    from scidigest.site.catalogue import Catalogue
    from scidigest.site.listings import cards_html, sources_html

    arts = [article_from_meta({"slug": "a", "lang": "fr", "title": "L'ARN & l'ADN : « 2 » molécules",
                               "description": "Un résumé d'étude, 5 < 7.", "date": "2024-05-02",
                               "organisation": "CNRS", "tags": ["ARN", "génétique"],
                               "source_url": "https://www.cnrs.fr/fr/presse?id=1&x=2"})]
    en = article_from_meta({"slug": "a", "lang": "en", "title": "RNA & DNA: <two> molecules", "description": "D.",
                            "date": "2024-05-02", "organisation": "CNRS", "authors": ["A. B.", "C. D."],
                            "tags": ["RNA"], "source_url": "https://www.cnrs.fr/en/press?id=1&x=2",
                            "translation": {"from": "fr", "provider": "deepl", "status": "machine"}})
    for body in (cards_html(arts, "tags/arn/", "fr"), sources_html(Catalogue(arts), "fr", "about/"),
                 article_header_html(en, "en/articles/a/", arts[0]), article_header_html(arts[0], "articles/a/")):
        assert "sd-" in body
        assert clean_html(body) == body


def test_what_needs_cleaning_is_cleaned_even_when_most_of_the_page_is_fine():
    rendered = render(LEGIT + '\n\n<p onclick="alert(1)">piège</p>\n')
    cleaned = clean_html(rendered)
    assert cleaned != rendered and "onclick" not in cleaned and "piège" in cleaned
    assert 'id="methodes"' in cleaned and "<abbr" in cleaned


# -- hostile content ----------------------------------------------------------------------------------

HOSTILE_MARKDOWN = [
    "[lien](javascript:alert(1))",
    "[lien](JaVaScRiPt:alert(1))",
    "[lien](  javascript:alert(1))",
    "[lien](<java\tscript:alert(1)>)",
    "[lien](vbscript:msgbox(1))",
    "[lien](VBScript:msgbox(1))",
    "[lien](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[lien](data:text/html,<script>alert(1)</script>)",
    "![image](javascript:alert(1))",
    "![image](data:image/svg+xml,<svg onload=alert(1)>)",
    "[réf][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<a href="&#106;avascript:alert(1)">entité</a>',
    '<a href="&#x6A;&#x61;vascript&colon;alert(1)">entité</a>',
    '<a href="java&#x09;script:alert(1)">tabulation</a>',
    '<a href="java&#10;script:alert(1)">saut de ligne</a>',
    '<a href="&#0;javascript:alert(1)">nul</a>',
    '<a href=" &#14;javascript:alert(1)">contrôle</a>',
    "## Titre {: onclick=\"alert(1)\" }",
    "Paragraphe\n{: onmouseover=\"alert(1)\" style=\"background:url(javascript:alert(1))\" }",
    "*emphase*{: onclick=\"alert(1)\" }",
    "[lien](https://example.org){: onclick=\"alert(1)\" }",
    "![image](ok.png){: onerror=\"alert(1)\" }",
    "![image](ok.png){: style=\"width:expression(alert(1))\" }",
    "## Titre {: id=\"__config\" }",
    "## Titre {: class=\"a\" name=\"getElementById\" }",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<svg onload=\"alert(1)\"><circle r=\"1\"/></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<math href=\"javascript:alert(1)\">x</math>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\"/>",
    "<img/src=x/onerror=alert(1)>",
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "<p style=\"behavior:url(x.htc)\">x</p>",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "<details open ontoggle=\"alert(1)\"><summary>x</summary></details>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<input autofocus onfocus=\"alert(1)\">",
    "<body onload=\"alert(1)\">",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<template><img src=x onerror=alert(1)></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<p>a<!--x--!><img src=x onerror=alert(1)>--></p>",
    "<a href=\"x\" <img src=x onerror=alert(1)>>y</a>",
    "<div markdown=\"1\" onclick=\"alert(1)\">**gras**</div>",
    "[^1]\n\n[^1]: Note <img src=x onerror=alert(1)>",
]


def test_the_hostile_samples_are_live_before_cleaning():
    """The detector sees what the samples would do unsanitised (else passing proves nothing)."""
    live = [s for s in HOSTILE_MARKDOWN if live_script(render(s)) or live_script(s)]
    assert len(live) >= len(HOSTILE_MARKDOWN) - 4, sorted(set(HOSTILE_MARKDOWN) - set(live))


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN)
def test_hostile_markdown_comes_out_without_live_script(source):
    rendered = render(source)
    cleaned = clean_html(rendered)
    assert live_script(cleaned) == [], (rendered, cleaned)
    assert clean_html(cleaned) == cleaned  # stable: cleaning twice changes nothing


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN)
def test_hostile_raw_html_given_as_is_comes_out_without_live_script(source):
    cleaned = clean_html(source)
    assert live_script(cleaned) == [], cleaned


def test_attribute_lists_keep_only_class_and_id_with_safe_values():
    rendered = render('## Titre {: #suite .note .bad"class onclick="x" data-x="1" }\n\nPara\n{: .a-b_c #p1 }\n')
    cleaned = clean_html(rendered)
    assert "onclick" in rendered and "data-x" in rendered  # attr_list did set them
    assert cleaned.startswith('<h2 class="note" id="suite">Titre<a class="headerlink" href="#suite"')
    assert '<p class="a-b_c" id="p1">Para</p>' in cleaned
    for bad_id in ("__config", "__search", "a b", "x<y", "é", ""):
        assert clean_html(f'<h2 id="{bad_id}">x</h2>') == "<h2>x</h2>", bad_id
    assert clean_html('<p class="ok sd-card bad;token">x</p>') == '<p class="ok sd-card">x</p>'
    assert clean_html('<p class=";">x</p>') == "<p>x</p>"
    table = '<table><tbody><tr><td style="{}">x</td></tr></tbody></table>'
    assert clean_html(table.format("text-align: right;")) == table.format("text-align: right;")
    for style in ("color:red", "text-align: right; background: url(javascript:alert(1))", "width: expression(alert(1))"):
        assert "style" not in clean_html(table.format(style)), style
    assert "style" not in clean_html('<p style="text-align: right;">x</p>')  # cells only


def test_text_inside_dropped_elements_survives_but_script_text_does_not():
    assert clean_html("<center>Résultat <blink>important</blink></center>") == "Résultat important"
    assert clean_html("<p>avant<script>alert(1)</script>après</p>") == "<p>avantaprès</p>"
    assert "alert" not in clean_html("<svg><desc>alert(1)</desc></svg>")


# -- URLs ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://www.inserm.fr/actualite/x/", "http://example.org", "HTTPS://EXAMPLE.ORG/A?b=1&c=2#d",
    "mailto:presse@example.org", "../autre/", "images/coupe.png", "/scidigest/about/", "#methodes",
    "?page=2", "//cdn.example.org/x.png", "dossier/article:1/",  # a colon after the first "/" is a path
])
def test_safe_urls_pass_unchanged(url):
    assert safe_url(url) == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "\tjavascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)", "java\rscript:alert(1)",
    "\x00javascript:alert(1)", "\x01\x02javascript:alert(1)", "javascript\x00:alert(1)",
    "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "javascript&colon;alert(1)",
    "java&#x09;script:alert(1)", "java&Tab;script:alert(1)", "&#0000106&#0000097vascript:alert(1)",
    "vbscript:msgbox(1)", "VBScript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD4=", "DATA:image/svg+xml,<svg/onload=alert(1)>",
    "file:///etc/passwd", "livescript:x", "tel:+33123", "java\u00adscript:alert(1)", "x y:z",
])
def test_script_and_other_schemes_are_refused_in_every_spelling(url):
    assert safe_url(url) is None


def test_no_url_means_no_url():
    assert safe_url(None) is None and safe_url("") == ""


# -- text -----------------------------------------------------------------------------------------------

def test_text_is_escaped_for_html_text_and_double_quoted_attributes_and_apostrophes_keep_their_bytes():
    assert text_to_html('L\'ARN "messager" <b> & </title>') == "L'ARN &quot;messager&quot; &lt;b&gt; &amp; &lt;/title&gt;"
    assert text_to_html("Régénérer les neurones") == "Régénérer les neurones"


def test_search_entries_keep_the_plugins_bare_tags_and_lose_anything_else():
    ok = "<p>Le récepteur 5-HT<sub>2B</sub> et <code>x &lt; y</code></p><ul><li>un</li></ul>"
    assert search_fragment(ok) == ok
    for bad in ('Titre <img src=x onerror=alert(1)>', '<p onclick="x">a</p>', "<script>alert(1)</script>t",
                '<a href="javascript:alert(1)">x</a>', "<svg/onload=alert(1)>"):
        out = search_fragment(bad)
        assert live_script(out) == [] and "<a" not in out and "<img" not in out, out
    index = {"config": {}, "docs": [{"location": "a/", "title": "T <img src=x onerror=alert(1)>",
                                      "text": "<p>ok</p>", "tags": ["<b onmouseover=alert(1)>x</b>", "ARN"]}]}
    doc = safe_search_index(index)["docs"][0]
    assert "<img" not in doc["title"] and doc["text"] == "<p>ok</p>"
    assert doc["tags"] == ["&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;", "ARN"]


def test_toc_titles_are_text():
    assert toc_title("&lt;img&gt; Méthodes") == "&lt;img&gt; Méthodes"
    assert "<img" not in toc_title("<img src=x onerror=alert(1)> Méthodes")


def test_json_ld_cannot_end_or_bend_its_script_element():
    text = json.dumps({"headline": "</script><script>alert(1)</script> <!-- <script>"})
    safe = json_for_script(text)
    assert "<" not in safe and json.loads(safe) == json.loads(text)


def hostile_article(**overrides):
    meta = {"slug": "x", "lang": "fr", "date": "2024-05-02", "title": 'T <img src=x onerror=alert(1)> "q"',
            "description": "D </script><script>alert(2)</script>", "organisation": "Org <svg onload=alert(3)>",
            "authors": ["A <b onclick=alert(4)>"], "tags": ["<img src=x onerror=alert(5)>"],
            "categories": ["C </script>"], "source_url": "javascript:alert(6)", **overrides}
    return article_from_meta(meta)


def test_head_metadata_json_ld_and_article_header_carry_hostile_fields_as_text():
    art = hostile_article()
    info = PageInfo(lang="fr", url="articles/x/", title=art.title, description=art.description, article=art)
    head = head_html(SITE, "SciDigest", info, page_title=art.title)
    doc = lxml_html.fromstring(f"<html><head>{head}</head><body></body></html>")
    assert doc.xpath("//head/script[not(@type='application/ld+json')]") == []
    assert [m.get("content") for m in doc.xpath("//meta[@property='og:title']")] == [art.title]
    (ld,) = doc.xpath("//script[@type='application/ld+json']")
    data = json.loads(ld.text)
    assert data["headline"] == art.title and data["description"] == art.description
    assert "isBasedOn" not in data  # a javascript: source is no source
    assert "<" not in head.split('type="application/ld+json">')[1].split("</script>")[0]
    assert data["url"] == doc.xpath("//meta[@property='og:url']")[0].get("content") == SITE + "articles/x/"
    header = article_header_html(art, "articles/x/")
    assert live_script(header) == [] and "javascript" not in header
    assert lxml_html.fragment_fromstring(header).xpath("string(.//h1)") == art.title
    kept = article_header_html(hostile_article(source_url="https://www.inserm.fr/a/"), "articles/x/")
    assert 'href="https://www.inserm.fr/a/"' in kept


def test_feed_descriptions_are_escaped_html_and_links_are_the_sites_own():
    from xml.etree import ElementTree as ET

    art = hostile_article()
    root = ET.fromstring(render_rss([art], "fr", SITE))
    item = root.find("channel/item")
    assert item.findtext("title") == art.title  # RSS 2.0 title: plain text
    description = item.findtext("description")  # read as HTML by feed readers
    assert "<" not in description and lxml_html.fragment_fromstring(description, create_parent="p").text_content() == art.description
    assert item.findtext("link") == SITE + "articles/x/"


# -- CSP ------------------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head>
<meta charset="utf-8">
<script>__md_scope=new URL("../..",location)</script>
<script type="application/json" id="__config">{"a": 1}</script>
<script type="application/ld+json">{"@type": "NewsArticle"}</script>
<script src="../../assets/javascripts/bundle.js"></script>
<script type="module">import("./x.js")</script>
</head><body><article>BODY</article><script>var t=1</script></body></html>"""


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_csp_hashes_the_templates_inline_scripts_only_and_never_the_body():
    body = "<script>alert(1)</script><p>texte</p>"
    page = PAGE.replace("BODY", body)
    hashes = csp.inline_script_hashes(page, exclude=(body,))
    assert hashes == [sha('__md_scope=new URL("../..",location)'), sha('import("./x.js")'), sha("var t=1")]
    assert sha("alert(1)") not in hashes
    out = csp.add_policy(page, exclude=(body,))
    (meta,) = lxml_html.fromstring(out).xpath("//meta[@http-equiv='Content-Security-Policy']")
    assert out.index("Content-Security-Policy") < out.index("<script")  # it governs every script
    directives = dict(d.strip().split(" ", 1) for d in meta.get("content").split(";"))
    script_src = directives["script-src"].split()
    assert script_src[0] == "'self'" and set(script_src[1:]) == set(hashes)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'unsafe-hashes'" not in script_src and not any(s.startswith(("http", "*")) for s in script_src)
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert directives["default-src"] == "'self'"
    for never in ("frame-ancestors", "report-uri", "sandbox"):  # ignored (with an error) in a <meta>
        assert never not in directives


def test_a_page_without_head_is_left_alone_and_one_without_charset_gets_the_policy_first_in_head():
    assert csp.add_policy("<p>fragment</p>") == "<p>fragment</p>"
    out = csp.add_policy("<html><head><title>t</title><script>x()</script></head></html>")
    assert out.startswith('<html><head>\n<meta http-equiv="Content-Security-Policy"') and sha("x()") in out


# -- properties -----------------------------------------------------------------------------------------

PIECES = st.sampled_from([
    "<", ">", "/", "=", '"', "'", " ", "\t", "\n", "&", "#", ";", "x", "a", "img", "svg", "math", "script",
    "style", "iframe", "onerror", "onload", "href", "src", "javascript:", "JaVaScRiPt:", "data:", "vbscript:",
    "alert(1)", "<!--", "-->", "--!>", "<![CDATA[", "]]>", "&#106;", "&colon;", "{: ", " }", "[", "](", ")",
    "!", "`", "*", "_", "#", "<a ", "<img ", "<p ", "</", "markdown=\"1\"", "\\", "\x00", "é",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_whatever_the_input_the_output_has_no_live_script_and_is_stable(text):
    for fragment in (text, render(text)):
        cleaned = clean_html(fragment)
        assert live_script(cleaned) == [], (fragment, cleaned)
        assert clean_html(cleaned) == cleaned


def test_the_search_fragment_rule_keeps_exactly_the_tags_materials_search_plugin_keeps():
    """search_fragment relies on the plugin writing escaped text and these bare tags only:
    if Material's parser keeps another tag, this fails before a page silently loses it."""
    from material.plugins.search.plugin import Parser

    from scidigest.site.sanitize import SEARCH_TAGS

    assert Parser().keep == set(SEARCH_TAGS)


def test_the_committed_articles_and_pages_render_to_html_the_sanitiser_leaves_byte_identical():
    from scidigest.frontmatter import split

    sources = sorted((REPO / "docs").glob("*.md")) + sorted((REPO / "docs" / "articles").glob("*.md"))
    assert len(sources) >= 8
    for path in sources:
        body = split(path.read_text(encoding="utf-8"))[1]
        rendered = render(body)
        assert clean_html(rendered) == rendered, path.name


def test_only_scripts_the_templates_wrote_get_a_hash_and_an_expression_cannot_leave_its_string(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "base.html").write_text(
        '<head><script>scope=new URL("{{ base_url }}",location)</script>{% block x %}{% endblock %}</head>\n'
        "<script>\n  {{- config.x -}}\n  var t=1</script>", encoding="utf-8")
    (tmp_path / "partials" / "p.html").write_text("<script>{# note #}done()</script>", encoding="utf-8")
    (tmp_path / ".icons").mkdir()
    (tmp_path / ".icons" / "i.html").write_text("<script>icon()</script>", encoding="utf-8")
    allowed = csp.theme_script_pattern([tmp_path])
    assert allowed.fullmatch('scope=new URL("../..",location)') and allowed.fullmatch("var t=1")
    assert allowed.fullmatch("done()") and not allowed.fullmatch("icon()")
    for escape in ('scope=new URL("",alert(1),"",location)', 'scope=new URL("\\\\",location)',
                   "scope=new URL(\"</script>\",location)", "alert(1)", "done();alert(1)"):
        assert not allowed.fullmatch(escape), escape
    # a template that printed a title raw into the page: that script is not the template's own
    page = ('<html><head><meta charset="utf-8"><title>x</title><script>alert(1)</script></title>'
            '<script>scope=new URL("..",location)</script></head><body></body></html>')
    hashes = csp.inline_script_hashes(page, allowed=allowed)
    assert hashes == [sha('scope=new URL("..",location)')]


def test_the_real_theme_allows_the_scripts_a_built_page_carries():
    from material import templates

    allowed = csp.theme_script_pattern([REPO / "scripts" / "theme", Path(templates.__file__).parent])
    for text in ('__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
                 '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
                 '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}',
                 'var target=document.getElementById(location.hash.slice(1));target&&target.name&&'
                 '(target.checked=target.name.startsWith("__tabbed_"))'):
        assert allowed.fullmatch(text), text[:40]


def test_the_csp_script_scan_finds_what_its_one_pattern_would():
    """csp._scripts (a start tag, then the next end tag) finds what one pattern with a lazy
    scan finds: the same (attributes, text) pairs on random tag soup, unclosed and mixed-case tags."""
    import random
    import re

    from scidigest.site import csp

    one_pattern = re.compile(r"<script\b([^>]*)>(.*?)</script", re.I | re.S)

    rnd = random.Random(3)
    parts = ["<script>", "</script>", '<SCRIPT type="module">', "</ScRiPt>", '<script src="x">', "<scripts>",
             "<script\n>", "x", "<", ">", "</script", "<scriptx>", "a>b", "<!-- <script> -->"]
    for _ in range(20000):
        page = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 12)))
        assert list(csp._scripts(page)) == [(m.group(1), m.group(2)) for m in one_pattern.finditer(page)], page
