#!/usr/bin/env python3
"""Build the PDF half of the ingest test corpus (tests/corpus/{dev,holdout}/pdf-*).

NOT run by the test suite.  Re-run it by hand after editing a text in
tests/corpus/tools/pdf_texts/*.yaml:

    python tests/corpus/tools/make_pdf.py            # every document
    python tests/corpus/tools/make_pdf.py pdf-fr-01  # ids starting with this
    python tests/corpus/tools/make_pdf.py --check-only  # only re-check the truth files

Tools it needs (none of them is a dependency of the project; use a venv of your
own outside the repo):

* Debian packages: ``chromium`` (headless print-to-PDF), ``poppler-utils``
  (``pdftotext``, ``pdfinfo``), ``fonts-dejavu``, ``fonts-liberation``.
* PyPI: ``reportlab`` (the other PDF engine), ``pyphen`` (reportlab's
  hyphenation), ``pypdf`` (metadata rewrite + extractor), ``pdfminer.six``
  (extractor, its ``pdf2txt.py`` must be on PATH or beside this Python),
  ``PyYAML``.

For every text it writes one folder ``<split>/<id>/`` holding
``source.pdf``, ``extracted/{pdftotext,pdftotext-layout,pdfminer,pypdf}.txt``
(the extractors' output, untouched) and ``truth.yaml`` (title, date, body
fragments, chrome strings).  Fragments and chrome strings are chosen
deterministically from the text and from where the page breaks fell, then
checked against the pdftotext output (see ``check``); the run fails loudly if
one is not found.

Text format (pdf_texts/<id>.yaml): see an existing file.  In ``body``, blocks
are separated by blank lines: ``## heading``, ``- item`` lines (a list),
``> quotation``, ``!fig caption || credit || label;label;...`` and plain
paragraphs.  Inline: ``*italic*``, ``**bold**``, ``[^n]`` footnote marker
(note text in ``footnotes``).
"""
from __future__ import annotations

import hashlib
import html
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
TEXTS = HERE / "pdf_texts"
FONTDIR = Path("/usr/share/fonts/truetype")

NBSP, NNBSP = "\u00a0", "\u202f"


# --------------------------------------------------------------------------- text
def french_spaces(s: str) -> str:
    """Typographic French spacing: no-break space before : and inside « »,
    narrow no-break space before ; ? !"""
    s = re.sub(r" :", NBSP + ":", s)
    s = re.sub(r" ([;?!])", NNBSP + r"\1", s)
    s = s.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
    return s


def plain(s: str) -> str:
    """What a reader reads: markup and footnote markers removed, plain spaces."""
    s = re.sub(r"\[\^\d+\]", "", s)
    s = s.replace("**", "").replace("*", "")
    s = s.replace(NBSP, " ").replace(NNBSP, " ")
    return re.sub(r"\s+", " ", s).strip()


def parse_body(body: str):
    blocks = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("## "):
            blocks.append(("h", chunk[3:].strip()))
        elif chunk.startswith("- "):
            items = [re.sub(r"\s+", " ", it).strip() for it in re.split(r"\n- ", chunk[2:])]
            blocks.append(("ul", items))
        elif chunk.startswith("> "):
            text = re.sub(r"\s+", " ", chunk[2:]).strip()
            who = ""
            if " — " in text:
                text, who = text.rsplit(" — ", 1)
            blocks.append(("quote", (text, who)))
        elif chunk.startswith("!fig "):
            parts = [p.strip() for p in chunk[5:].split("||")]
            while len(parts) < 3:
                parts.append("")
            blocks.append(("fig", (parts[0], parts[1], [x for x in parts[2].split(";") if x])))
        else:
            blocks.append(("p", re.sub(r"\s+", " ", chunk)))
    return blocks


def footer_text(kind: str, n: int, total: int) -> str:
    return {
        "page-sur": f"Page {n} sur {total}",
        "page-of": f"Page {n} of {total}",
        "slash": f"{n}/{total}",
        "page-slash": f"Page {n}/{total}",
        "dash": f"- {n} -",
        "bare": f"{n}",
    }[kind]


def bar_values(seed: str, k: int):
    h = hashlib.sha256(seed.encode()).digest()
    return [30 + h[i] % 60 for i in range(k)]


# --------------------------------------------------------------------------- chromium
def inline_html(s: str, lang: str) -> str:
    s = html.escape(s, quote=False)
    if lang == "fr":
        s = french_spaces(s)
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
    s = re.sub(r"\*(.+?)\*", r"<em>\1</em>", s)
    s = re.sub(r"\[\^(\d+)\]", r'<sup class="fn" data-fn="\1">\1</sup>', s)
    return s


def svg_figure(doc, labels) -> str:
    k = max(len(labels), 5)
    vals = bar_values(doc["id"], k)
    w, h = 300, 120
    bw = w / k
    bars = []
    for i, v in enumerate(vals):
        bars.append(f'<rect x="{i*bw+6:.1f}" y="{h-20-v:.1f}" width="{bw-12:.1f}" height="{v}" fill="{doc["style"].get("accent", "#246")}"/>')
        if i < len(labels):
            bars.append(f'<text x="{i*bw+bw/2:.1f}" y="{h-6}" font-size="9" text-anchor="middle" font-family="Liberation Sans">{html.escape(labels[i])}</text>')
    return (f'<svg viewBox="0 0 {w} {h}" width="{"100%" if doc["layout"] == "two-column" else "62%"}" xmlns="http://www.w3.org/2000/svg">'
            f'<rect x="0" y="0" width="{w}" height="{h}" fill="#f1f1ec"/>'
            f'<line x1="0" y1="{h-20}" x2="{w}" y2="{h-20}" stroke="#555" stroke-width="0.6"/>'
            + "".join(bars) + "</svg>")


JS_PAGINATE = r"""
(function(){
const cfg = JSON.parse(document.getElementById('cfg').textContent);
const src = document.getElementById('src');
const notes = {};
document.querySelectorAll('#fnsrc [data-n]').forEach(e => notes[e.dataset.n] = e);
const blocks = Array.from(src.children);
const book = document.getElementById('book');
const pages = [];
function newPage(){
  const tpl = document.getElementById(pages.length ? 'tpl-later' : 'tpl-first');
  const el = tpl.content.firstElementChild.cloneNode(true);
  book.appendChild(el);
  const p = {el: el, flow: el.querySelector('.flow'), notes: el.querySelector('.notes')};
  pages.push(p); return p;
}
function over(p){
  const f = p.flow;
  if (f.scrollWidth > f.clientWidth + 1 || f.scrollHeight > f.clientHeight + 1 ||
      p.el.scrollHeight > p.el.clientHeight + 1) return true;
  const fr = f.getBoundingClientRect();
  const r = document.createRange(); r.selectNodeContents(f);
  for (const c of r.getClientRects()) {
    if (c.width === 0 && c.height === 0) continue;
    if (c.right > fr.right + 1 || c.bottom > fr.bottom + 1 || c.left < fr.left - 1) return true;
  }
  return false;
}
function addNotes(p, b){
  const added = [];
  b.querySelectorAll('sup.fn').forEach(s => {
    const n = notes[s.dataset.fn].cloneNode(true); p.notes.appendChild(n); added.push(n);
  });
  return added;
}
let cur = newPage();
function place(b){
  cur.flow.appendChild(b);
  let added = addNotes(cur, b);
  if (!over(cur)) return;
  added.forEach(n => n.remove());
  if (b.tagName === 'P' && b.children.length === 0 && !b.classList.contains('nosplit')) {
    const words = b.textContent.split(' ');
    let lo = 0, hi = words.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      b.textContent = words.slice(0, mid).join(' ');
      if (over(cur)) hi = mid - 1; else lo = mid;
    }
    if (lo >= 6 && words.length - lo >= 6) {
      b.textContent = words.slice(0, lo).join(' ');
      b.classList.add('split');
      const rest = b.cloneNode(false);
      rest.classList.remove('split'); rest.classList.add('cont');
      rest.textContent = words.slice(lo).join(' ');
      cur = newPage(); place(rest); return;
    }
    b.textContent = words.join(' ');
  }
  b.remove();
  const moved = [];
  while (cur.flow.lastElementChild && /^H[2-4]$/.test(cur.flow.lastElementChild.tagName)) {
    moved.unshift(cur.flow.lastElementChild); cur.flow.lastElementChild.remove();
  }
  cur = newPage();
  moved.forEach(m => cur.flow.appendChild(m));
  place(b);
}
blocks.forEach(place);
src.remove(); document.getElementById('fnsrc').remove();
const total = pages.length;
pages.forEach((p, i) => {
  p.el.querySelectorAll('.pno').forEach(e => e.textContent = cfg.footer.replace('{n}', i + 1).replace('{N}', total));
  if (i === total - 1) p.el.classList.add('last');
  if (!p.notes.children.length) p.notes.remove();
});
})();
"""


def chromium_html(doc) -> str:
    lang = doc["lang"]
    st = doc["style"]
    def ih(s):
        return inline_html(s, lang)
    cols = 2 if doc["layout"] == "two-column" else 1
    font = st.get("font", "Liberation Serif")
    hfont = st.get("heading_font", "Liberation Sans")
    size = st.get("size", 10.5)
    accent = st.get("accent", "#1d4f7a")
    furniture = st.get("furniture", "margin")  # margin boxes or inline divs
    foot_fmt = {"page-sur": "Page {n} sur {N}", "page-of": "Page {n} of {N}", "slash": "{n}/{N}",
                "page-slash": "Page {n}/{N}", "dash": "- {n} -", "bare": "{n}"}[doc["footer"]]
    hl, hr = doc.get("header_left", ""), doc.get("header_right", "")

    def css_str(s):
        return '"' + s.replace('"', '\\"') + '"'

    if furniture == "margin":
        counter = foot_fmt.replace("{n}", '" counter(page) "').replace("{N}", '" counter(pages) "')
        margin_boxes = (f"@top-left {{ content: {css_str(hl)}; font: 7.5pt '{hfont}'; color: #555; vertical-align: bottom; padding-bottom: 3mm; }}"
                        f"@top-right {{ content: {css_str(hr)}; font: 7.5pt '{hfont}'; color: #555; vertical-align: bottom; padding-bottom: 3mm; }}"
                        f"@bottom-{st.get('footer_pos', 'center')} {{ content: \"{counter}\"; font: 8pt '{hfont}'; color: #444; vertical-align: top; padding-top: 3mm; }}")
        page_h = "254mm"
        run_head = run_foot = ""
    else:
        margin_boxes = ""
        page_h = "254mm"
        run_head = (f'<div class="runhead"><span>{html.escape(hl)}</span><span>{html.escape(hr)}</span></div>')
        run_foot = '<div class="runfoot"><span class="pno"></span></div>'

    blocks = parse_body(doc["body"])
    src = []
    for kind, val in blocks:
        if kind == "h":
            src.append(f"<h2>{ih(val)}</h2>")
        elif kind == "p":
            src.append(f"<p>{ih(val)}</p>")
        elif kind == "ul":
            src.append("<ul>" + "".join(f"<li>{ih(i)}</li>" for i in val) + "</ul>")
        elif kind == "quote":
            text, who = val
            src.append(f'<blockquote><p class="q">{ih(text)}</p>' + (f'<p class="who">{ih(who)}</p>' if who else "") + "</blockquote>")
        elif kind == "fig":
            cap, credit, labels = val
            src.append(f'<figure>{svg_figure(doc, labels)}<figcaption>{ih(cap)}</figcaption><p class="credit">{ih(credit)}</p></figure>')
    if doc.get("contacts"):
        lines = doc["contacts"].strip().split("\n")
        src.append(f'<div class="contacts"><h3>{ih(lines[0])}</h3>' + "".join(f"<p>{ih(l)}</p>" for l in lines[1:]) + "</div>")
    if doc.get("about"):
        src.append(f'<div class="about"><h3>{ih(doc["about_title"])}</h3><p>{ih(doc["about"])}</p></div>')
    fns = "".join(f'<p class="note" data-n="{n}"><sup>{n}</sup> {ih(t)}</p>' for n, t in doc.get("footnotes", {}).items())

    lh = doc["letterhead"]
    masthead = (
        f'<header class="mast"><div class="lh"><div class="logo">{html.escape(lh["logo"])}</div>'
        f'<div class="lhtext"><div class="orgcaps">{html.escape(lh["org_caps"])}</div>'
        f'<div class="addr">{ih(lh["address"])}</div><div class="web">{html.escape(lh["website"])}</div></div></div>'
        f'<div class="rubric">{ih(doc["rubric"])}</div>'
        f'<h1>{ih(doc["title"])}</h1>'
        + (f'<div class="byline">{ih(doc["byline"])}</div>' if doc.get("byline") else "")
        + f'<p class="lede">{ih(doc["lede"])}</p></header>')
    import json
    cfg = json.dumps({"footer": foot_fmt})
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(doc["meta"].get("title", ""))}</title>
<style>
@page {{ size: A4; margin: 20mm 18mm 22mm 18mm; {margin_boxes} }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: '{font}'; font-size: {size}pt; line-height: {st.get('leading', 1.32)}; color: #111; }}
.page {{ width: 174mm; height: {page_h}; display: flex; flex-direction: column; overflow: hidden; break-after: page; }}
.page.last {{ break-after: auto; }}
.flow {{ flex: 1 1 auto; min-height: 0; column-count: {cols}; column-gap: 7mm; column-fill: auto; overflow: hidden; }}
.flow > :first-child {{ margin-top: 0; }}
.notes {{ flex: 0 0 auto; border-top: 0.4pt solid #888; width: 45%; padding-top: 1.5mm; margin-top: 3mm; }}
.note {{ font-size: 7.2pt; line-height: 1.25; margin: 0 0 1mm 0; width: 210%; }}
.runhead {{ display: flex; justify-content: space-between; font: 7.5pt '{hfont}'; color: #555; border-bottom: 0.4pt solid #aaa; padding-bottom: 1.5mm; margin-bottom: 4mm; }}
.runfoot {{ text-align: {st.get('footer_pos', 'center')}; font: 8pt '{hfont}'; color: #444; padding-top: 3mm; }}
p {{ margin: 0 0 0.55em 0; text-align: justify; }}
p.split {{ text-align-last: justify; margin-bottom: 0; }}
h1 {{ font-family: '{hfont}'; font-size: {st.get('h1', 21)}pt; line-height: 1.15; color: {accent}; margin: 3mm 0 4mm 0; }}
h2 {{ font-family: '{hfont}'; font-size: {size + 1.5}pt; color: {accent}; margin: 0.9em 0 0.35em 0; break-after: avoid; }}
h3 {{ font-family: '{hfont}'; font-size: {size}pt; margin: 0.8em 0 0.3em 0; }}
.lh {{ display: flex; align-items: center; gap: 5mm; border-bottom: 1.2pt solid {accent}; padding-bottom: 3mm; }}
.logo {{ background: {accent}; color: white; font: bold 17pt '{hfont}'; padding: 3mm 4mm; letter-spacing: 0.5pt; }}
.orgcaps {{ font: bold 10pt '{hfont}'; letter-spacing: 0.6pt; }}
.addr, .web {{ font: 8pt '{hfont}'; color: #444; }}
.rubric {{ font: bold 8.5pt '{hfont}'; color: {accent}; margin-top: 3.5mm; text-transform: none; }}
.byline {{ font: italic 9pt '{hfont}'; margin: -2mm 0 3mm 0; }}
.lede {{ font-weight: bold; font-size: {size + 0.5}pt; margin-bottom: 5mm; }}
ul {{ margin: 0 0 0.6em 0; padding-left: 5mm; }} li {{ margin-bottom: 0.2em; text-align: justify; }}
blockquote {{ margin: 0.6em 0 0.8em 0; padding: 0 0 0 4mm; border-left: 2pt solid {accent}; break-inside: avoid; }}
blockquote .q {{ font-style: italic; }} blockquote .who {{ font-size: {size - 1.5}pt; text-align: right; }}
figure {{ margin: 0.6em 0 0.9em 0; break-inside: avoid; }}
figcaption {{ font: {size - 2}pt '{hfont}'; margin-top: 1.5mm; text-align: justify; }}
p.credit {{ font: italic 7pt '{hfont}'; color: #666; margin: 0.5mm 0 0 0; }}
sup.fn {{ font-size: 65%; line-height: 0; }}
.contacts {{ border-top: 0.8pt solid {accent}; margin-top: 1em; padding-top: 1mm; break-inside: avoid; }}
.contacts p {{ margin: 0; font: {size - 1.5}pt '{hfont}'; text-align: left; }}
.about {{ margin-top: 0.8em; break-inside: avoid; }}
.about p {{ font-size: {size - 2}pt; color: #333; }}
</style></head><body>
<script type="application/json" id="cfg">{cfg}</script>
<template id="tpl-first"><div class="page">{run_head}{masthead}<div class="flow"></div><div class="notes"></div>{run_foot}</div></template>
<template id="tpl-later"><div class="page">{run_head}<div class="flow"></div><div class="notes"></div>{run_foot}</div></template>
<div id="book"></div>
<div id="src" style="position:absolute; left:-9999px">{''.join(src)}</div>
<div id="fnsrc" style="display:none">{fns}</div>
<script>{JS_PAGINATE}</script>
</body></html>"""


def build_chromium(doc, out_pdf: Path, work: Path):
    htmlp = work / "doc.html"
    htmlp.write_text(chromium_html(doc), encoding="utf-8")
    raw = work / "raw.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={raw}", str(htmlp)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    finish_pdf(doc, raw, out_pdf, "Chromium")


def finish_pdf(doc, raw: Path, out_pdf: Path, default_creator: str):
    """Rewrite the metadata (Title/Author as the text file says, dates the afternoon before the
    publication date, as when a release is exported the day before) and a fixed /ID, so that
    a re-run gives the same bytes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject
    r = PdfReader(raw)
    w = PdfWriter(clone_from=r)
    old = r.metadata or {}
    import datetime as dt
    made = doc["date"] - dt.timedelta(days=1)
    stamp = made.strftime("D:%Y%m%d164210+01'00'")
    meta = {"/Producer": old.get("/Producer", "ReportLab PDF Library - www.reportlab.com"),
            "/Creator": doc["meta"].get("creator", old.get("/Creator", default_creator)),
            "/CreationDate": stamp, "/ModDate": stamp,
            "/Title": doc["meta"].get("title", "")}
    if doc["meta"].get("author") is not None:
        meta["/Author"] = doc["meta"]["author"]
    w.add_metadata(meta)
    h = hashlib.md5(doc["id"].encode()).digest()
    w._ID = ArrayObject([ByteStringObject(h), ByteStringObject(h)])
    with open(out_pdf, "wb") as fh:
        w.write(fh)


# --------------------------------------------------------------------------- reportlab
_FONTS_DONE = False
RL_FAMILIES = {
    "DejaVuSerif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", "dejavu/DejaVuSerif-Italic.ttf", "dejavu/DejaVuSerif-BoldItalic.ttf"),
    "DejaVuSans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSans-Oblique.ttf", "dejavu/DejaVuSans-BoldOblique.ttf"),
    "LiberationSerif": ("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf", "liberation/LiberationSerif-Italic.ttf", "liberation/LiberationSerif-BoldItalic.ttf"),
    "LiberationSans": ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf", "liberation/LiberationSans-Italic.ttf", "liberation/LiberationSans-BoldItalic.ttf"),
}


def rl_fonts():
    global _FONTS_DONE
    if _FONTS_DONE:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for fam, files in RL_FAMILIES.items():
        names = [fam, fam + "-Bold", fam + "-Italic", fam + "-BoldItalic"]
        for n, f in zip(names, files):
            pdfmetrics.registerFont(TTFont(n, str(FONTDIR / f)))
        pdfmetrics.registerFontFamily(fam, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3])
    _FONTS_DONE = True


def rl_inline(s: str, doc, lig: bool = False) -> str:
    s = html.escape(s, quote=False)
    if doc["lang"] == "fr":
        s = french_spaces(s)
    if "Liberation" in doc["style"].get("font", "") :
        s = s.replace(NNBSP, NBSP)
    if lig and doc["style"].get("ligatures"):
        s = s.replace("ffi", "\ufb03").replace("fi", "\ufb01").replace("fl", "\ufb02")
    s = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)
    s = re.sub(r"\*(.+?)\*", r"<i>\1</i>", s)
    s = re.sub(r"\[\^(\d+)\]", r"<super>\1</super>", s)
    return s


def build_reportlab(doc, out_pdf: Path, work: Path):
    rl_fonts()
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        FrameBreak,
        KeepTogether,
        ListFlowable,
        ListItem,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
    )

    st = doc["style"]
    font = st.get("font", "LiberationSerif")
    hfont = st.get("heading_font", "LiberationSans")
    size = st.get("size", 10)
    accent = colors.HexColor(st.get("accent", "#1d4f7a"))
    hyph = {"fr": "fr_FR", "en": "en_GB"}[doc["lang"]] if st.get("hyphenate") else None
    cols = 2 if doc["layout"] == "two-column" else 1
    W, H = A4
    ml, mr, mt, mb = 20 * mm, 20 * mm, 22 * mm, 20 * mm
    note_reserve = 20 * mm if doc.get("footnotes") else 0
    lh_h = 30 * mm  # letterhead band drawn on the canvas of page 1
    gap = 7 * mm
    fw = W - ml - mr
    colw = (fw - gap) / 2

    body = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * st.get("leading", 1.3), alignment=TA_JUSTIFY,
                          spaceAfter=size * 0.55, hyphenationLang=hyph, embeddedHyphenation=1, uriWasteReduce=0.3)
    h2 = ParagraphStyle("h2", parent=body, fontName=hfont + "-Bold", fontSize=size + 1.5, leading=(size + 1.5) * 1.25,
                        textColor=accent, spaceBefore=size * 0.8, spaceAfter=size * 0.35, alignment=TA_LEFT,
                        hyphenationLang=None, keepWithNext=1)
    h3 = ParagraphStyle("h3", parent=h2, fontSize=size, leading=size * 1.25, textColor=colors.black)
    rubric = ParagraphStyle("rubric", fontName=hfont + "-Bold", fontSize=8.5, leading=11, textColor=accent, spaceAfter=6)
    h1 = ParagraphStyle("h1", fontName=hfont + "-Bold", fontSize=st.get("h1", 20), leading=st.get("h1", 20) * 1.18,
                        textColor=accent, spaceAfter=8)
    byline = ParagraphStyle("byline", fontName=hfont + "-Italic", fontSize=9, leading=12, spaceAfter=6)
    lede = ParagraphStyle("lede", parent=body, fontName=font + "-Bold", fontSize=size + 0.5, leading=(size + 0.5) * 1.3,
                          spaceAfter=12, hyphenationLang=None)
    quote = ParagraphStyle("quote", parent=body, fontName=font + "-Italic", leftIndent=10, rightIndent=6, spaceBefore=4)
    who = ParagraphStyle("who", parent=body, fontSize=size - 1.5, alignment=TA_RIGHT, hyphenationLang=None)
    cap = ParagraphStyle("cap", fontName=hfont, fontSize=size - 2, leading=(size - 2) * 1.25, alignment=TA_JUSTIFY, spaceBefore=3)
    credit = ParagraphStyle("credit", fontName=hfont + "-Italic", fontSize=7, leading=9, textColor=colors.HexColor("#666666"), spaceAfter=8)
    small = ParagraphStyle("small", fontName=hfont, fontSize=size - 1.5, leading=(size - 1.5) * 1.3)
    about = ParagraphStyle("about", parent=body, fontSize=size - 2, leading=(size - 2) * 1.3, hyphenationLang=None)

    def ri(s):
        return rl_inline(s, doc)
    def rb(s):
        return rl_inline(s, doc, lig=True)  # running text: ligature code points if the style asks
    head = [Paragraph(ri(doc["rubric"]), rubric), Paragraph(ri(doc["title"]), h1)]
    if doc.get("byline"):
        head.append(Paragraph(ri(doc["byline"]), byline))
    head.append(Paragraph(rb(doc["lede"]), lede))

    flow = []
    for kind, val in parse_body(doc["body"]):
        if kind == "h":
            flow.append(Paragraph(ri(val), h2))
        elif kind == "p":
            p = Paragraph(rb(val), body)
            fns = re.findall(r"\[\^(\d+)\]", val)
            if fns:
                p._fns = fns
                flow.append(KeepTogether([p]))
            else:
                flow.append(p)
        elif kind == "ul":
            items = []
            for it in val:
                p = Paragraph(rb(it), body)
                fns = re.findall(r"\[\^(\d+)\]", it)
                if fns:
                    p._fns = fns
                items.append(ListItem(p, leftIndent=12, value="•" if doc["lang"] == "en" else "–"))
            flow.append(ListFlowable(items, bulletType="bullet", start="•" if doc["lang"] == "en" else "–",
                                     leftIndent=12, bulletFontName=font, spaceAfter=size * 0.55))
        elif kind == "quote":
            text, w_ = val
            parts = [Paragraph(rb(text), quote)]
            if w_:
                parts.append(Paragraph(ri(w_), who))
            flow.append(KeepTogether(parts))
        elif kind == "fig":
            c_, cr, labels = val
            dw = colw if cols == 2 else fw * 0.75
            dh = dw * 0.42
            d = Drawing(dw, dh)
            d.add(Rect(0, 0, dw, dh, fillColor=colors.HexColor("#f1f1ec"), strokeColor=None))
            k = max(len(labels), 5)
            vals = bar_values(doc["id"], k)
            bw = dw / k
            base = 14
            scale = (dh - base - 6) / 100
            d.add(Line(0, base, dw, base, strokeColor=colors.HexColor("#555555"), strokeWidth=0.6))
            for i, v in enumerate(vals):
                d.add(Rect(i * bw + 5, base, bw - 10, v * scale, fillColor=accent, strokeColor=None))
                if i < len(labels):
                    d.add(String(i * bw + bw / 2, 4, labels[i], fontName=hfont, fontSize=7, textAnchor="middle"))
            flow.append(KeepTogether([d, Paragraph(ri(c_), cap), Paragraph(ri(cr), credit)]))
    tail = []
    if doc.get("contacts"):
        lines = doc["contacts"].strip().split("\n")
        tail.append(Paragraph(ri(lines[0]), h3))
        tail.append(Paragraph("<br/>".join(ri(l) for l in lines[1:]), small))
    flow.append(KeepTogether(tail))
    if doc.get("about"):
        flow.append(KeepTogether([Paragraph(ri(doc["about_title"]), h3), Paragraph(ri(doc["about"]), about)]))

    notes = {str(k): v for k, v in (doc.get("footnotes") or {}).items()}
    note_style = ParagraphStyle("note", fontName=font, fontSize=7, leading=8.6, alignment=TA_JUSTIFY)

    class Doc(BaseDocTemplate):
        def __init__(self, *a, total=0, **kw):
            super().__init__(*a, **kw)
            self.total = total
            self.page_notes = {}

        def afterFlowable(self, f):
            fns = getattr(f, "_fns", None)
            if fns:
                self.page_notes.setdefault(self.canv.getPageNumber(), []).extend(fns)

    lh = doc["letterhead"]

    def furniture(canv, d):
        n = canv.getPageNumber()
        canv.saveState()
        canv.setFont(hfont, 7.5)
        canv.setFillColor(colors.HexColor("#555555"))
        y = H - 13 * mm
        if doc.get("header_left"):
            canv.drawString(ml, y, rl_inline(doc["header_left"], doc).replace("&amp;", "&"))
        if doc.get("header_right"):
            canv.drawRightString(W - mr, y, rl_inline(doc["header_right"], doc).replace("&amp;", "&"))
        canv.setStrokeColor(colors.HexColor("#aaaaaa"))
        canv.setLineWidth(0.4)
        canv.line(ml, y - 2 * mm, W - mr, y - 2 * mm)
        canv.setFont(hfont, 8)
        ft = footer_text(doc["footer"], n, d.total or 0)
        pos = st.get("footer_pos", "center")
        fy = 11 * mm
        if pos == "right":
            canv.drawRightString(W - mr, fy, ft)
        elif pos == "left":
            canv.drawString(ml, fy, ft)
        else:
            canv.drawCentredString(W / 2, fy, ft)
        canv.restoreState()

    def first_page(canv, d):
        furniture(canv, d)
        canv.saveState()
        top = H - mt
        canv.setFillColor(accent)
        canv.rect(ml, top - 16 * mm, 30 * mm, 14 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(hfont + "-Bold", 15)
        canv.drawCentredString(ml + 15 * mm, top - 11.5 * mm, lh["logo"])
        canv.setFillColor(colors.black)
        canv.setFont(hfont + "-Bold", 10)
        canv.drawString(ml + 35 * mm, top - 6 * mm, lh["org_caps"])
        canv.setFont(hfont, 8)
        canv.setFillColor(colors.HexColor("#444444"))
        canv.drawString(ml + 35 * mm, top - 10.5 * mm, rl_inline(lh["address"], doc).replace("&amp;", "&"))
        canv.drawString(ml + 35 * mm, top - 14.5 * mm, lh["website"])
        canv.setStrokeColor(accent)
        canv.setLineWidth(1.2)
        canv.line(ml, top - 20 * mm, W - mr, top - 20 * mm)
        canv.restoreState()

    def page_end(canv, d):
        n = canv.getPageNumber()
        fl = d.page_notes.get(n)
        if not fl:
            return
        y = mb + note_reserve - 4 * mm
        canv.saveState()
        canv.setStrokeColor(colors.HexColor("#888888"))
        canv.setLineWidth(0.4)
        canv.line(ml, y, ml + 50 * mm, y)
        y -= 1.5 * mm
        for k in fl:
            p = Paragraph(f"<super>{k}</super> " + rl_inline(notes[k], doc, lig=True), note_style)
            _, ph = p.wrap(fw, 100 * mm)
            p.drawOn(canv, ml, y - ph)
            y -= ph + 1
        canv.restoreState()

    def make(total):
        d = Doc(str(work / "raw.pdf"), pagesize=A4, invariant=1, leftMargin=ml, rightMargin=mr, topMargin=mt, bottomMargin=mb,
                title=doc["meta"].get("title", ""), author=doc["meta"].get("author", ""),
                subject=doc["meta"].get("subject", ""), creator=doc["meta"].get("creator", "ReportLab PDF Library - www.reportlab.com"),
                total=total)
        bot = mb + note_reserve
        top1 = H - mt - lh_h
        if cols == 1:
            first = [Frame(ml, bot, fw, top1 - bot, id="f1", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)]
            later = [Frame(ml, bot, fw, H - mt - bot, id="l1", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)]
        else:
            hh = sum(f.wrap(fw, H)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in head) + 4
            first = [Frame(ml, top1 - hh, fw, hh, id="head", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)]
            for i in range(2):
                first.append(Frame(ml + i * (colw + gap), bot, colw, top1 - hh - bot, id=f"c{i}",
                                   leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0))
            later = [Frame(ml + i * (colw + gap), bot, colw, H - mt - bot, id=f"lc{i}",
                           leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0) for i in range(2)]
        d.addPageTemplates([PageTemplate("first", first, onPage=first_page, onPageEnd=page_end),
                            PageTemplate("later", later, onPage=furniture, onPageEnd=page_end)])
        story = [NextPageTemplate("later")] + list(head)
        if cols == 2:
            story.append(FrameBreak())
        story += flow
        import copy
        d.build(copy.deepcopy(story))
        return d.page

    n = make(0)
    n2 = make(n)
    assert n2 == n, (n, n2)
    finish_pdf(doc, work / "raw.pdf", out_pdf, "ReportLab")


# --------------------------------------------------------------------------- extract + truth
def norm(s: str) -> str:
    """Comparison form: NFKC (ligatures), line-end hyphens removed, whitespace collapsed."""
    s = unicodedata.normalize("NFKC", s).replace("\u00ad", "")
    s = re.sub(r"[-\u2010]\n\s*", "", s)
    return re.sub(r"\s+", " ", s).strip()


def norm_keep_hyphen(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).replace("\u00ad", "")
    s = re.sub(r"([-\u2010])\n\s*", r"\1", s)
    return re.sub(r"\s+", " ", s).strip()


def found(frag: str, text: str) -> bool:
    f = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", frag)).strip()
    return f in norm(text) or f in norm_keep_hyphen(text)


def extract(pdf: Path, outdir: Path):
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftotext", str(pdf), str(outdir / "pdftotext.txt")], check=True)
    subprocess.run(["pdftotext", "-layout", str(pdf), str(outdir / "pdftotext-layout.txt")], check=True)
    pdf2txt = shutil.which("pdf2txt.py") or str(Path(sys.executable).parent / "pdf2txt.py")
    res = subprocess.run([sys.executable, pdf2txt, str(pdf)], check=True, capture_output=True)
    (outdir / "pdfminer.txt").write_bytes(res.stdout)
    from pypdf import PdfReader
    txt = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    (outdir / "pypdf.txt").write_text(txt, encoding="utf-8")


def page_texts(pdf: Path, n: int):
    out = []
    for i in range(1, n + 1):
        r = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True, check=True)
        out.append(r.stdout.decode("utf-8"))
    return out


def n_pages(pdf: Path) -> int:
    r = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", r.stdout, re.M).group(1))


def units(doc):
    """Body text units (paragraphs, list items, quotations) as raw source strings."""
    out = []
    for kind, val in parse_body(doc["body"]):
        if kind == "p":
            out.append(val)
        elif kind == "ul":
            out.extend(val)
        elif kind == "quote":
            out.append(val[0])
    return out


def clean_words(raw: str):
    """Words of a unit; a word carrying a footnote marker becomes None (a barrier)."""
    ws = []
    for w in raw.split():
        ws.append(None if re.search(r"\[\^\d+\]", w) else plain(w))
    return [w for w in ws if w != ""]


def windows(words, size):
    """All runs of `size` words not crossing a barrier."""
    for i in range(0, len(words) - size + 1):
        run = words[i:i + size]
        if None not in run:
            yield i, " ".join(run)


def choose_fragments(doc, pdf: Path, pages: int):
    us = units(doc)
    frags = []
    ptexts = [norm(t) for t in page_texts(pdf, pages)]
    full = norm("\n".join(page_texts(pdf, pages)))

    def ok(f):
        return 6 <= len(f.split()) <= 15 and f not in frags and found(f, full)

    # 1. the first body words after each page break
    for pg in range(1, pages):
        best = None
        for ui, u in enumerate(us):
            ws = clean_words(u)
            for i, w6 in windows(ws, 6):
                pos = ptexts[pg].find(w6)
                if pos >= 0 and (best is None or pos < best[0]):
                    best = (pos, ui, i)
        if best:
            _, ui, i = best
            ws = clean_words(us[ui])
            run = []
            for w in ws[i:i + 10]:
                if w is None:
                    break
                run.append(w)
            f = " ".join(run)
            if ok(f):
                frags.append(f)
    # 2. just before a footnote marker
    for u in us:
        ws = clean_words(u)
        if None in ws:
            j = ws.index(None)
            run = [w for w in ws[max(0, j - 9):j] if w is not None]
            f = " ".join(run)
            if len(run) >= 6 and ok(f):
                frags.append(f)
                break
    # 3. spread over the units, first to last
    target = 11
    k = max(1, target - len(frags))
    idx = sorted({round(i * (len(us) - 1) / max(1, k - 1)) for i in range(k)})
    for ui in idx:
        ws = clean_words(us[ui])
        size = 8 + int(hashlib.md5(f"{doc['id']}{ui}".encode()).hexdigest(), 16) % 5
        cands = list(windows(ws, min(size, len(ws))))
        if not cands:
            continue
        h = int(hashlib.md5(f"{doc['id']}-{ui}".encode()).hexdigest(), 16)
        for off in range(len(cands)):
            i, f = cands[(h + off) % len(cands)]
            if len(f.split()) >= 6 and ok(f):
                frags.append(f)
                break
        if len(frags) >= 12:
            break
    return frags


def chrome_strings(doc, pages: int):
    ch = []
    for key in ("header_left", "header_right"):
        if doc.get(key):
            ch.append(plain(doc[key]))
    if doc["footer"] != "bare":
        ch.append(footer_text(doc["footer"], min(2, pages), pages))
    lh = doc["letterhead"]
    ch += [plain(lh["address"]), lh["website"], plain(doc["rubric"])]
    ch += [plain(x) for x in doc.get("chrome_extra", [])]
    if doc.get("about"):
        ch.append(" ".join(plain(doc["about"]).split()[:7]))
    out = []
    for c in ch:
        if c and c not in out:
            out.append(c)
    return out[:12]


def check(doc, d: Path):
    pt = (d / "extracted" / "pdftotext.txt").read_text(encoding="utf-8")
    truth = yaml.safe_load((d / "truth.yaml").read_text(encoding="utf-8"))
    errs = []
    if not (8 <= len(truth["fragments"]) <= 12):
        errs.append(f"{len(truth['fragments'])} fragments")
    if not (6 <= len(truth["chrome"]) <= 12):
        errs.append(f"{len(truth['chrome'])} chrome strings")
    for f in truth["fragments"]:
        if not (6 <= len(f.split()) <= 15):
            errs.append(f"fragment length: {f!r}")
        if not found(f, pt):
            errs.append(f"fragment not found: {f!r}")
    for c in truth["chrome"]:
        # pdftotext may drop narrow spaces in short furniture strings ("- 2 -" -> "-2-")
        flat = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", pt))
        if found(c, pt) or c in flat or c.replace(" ", "") in flat.replace(" ", ""):
            continue
        # pdftotext joins a hyphen at a line end ("univ-\nrhin" -> "univrhin"), even inside an
        # e-mail address: accept the string if pdfminer shows it
        if not found(c, (d / "extracted" / "pdfminer.txt").read_text(encoding="utf-8")):
            errs.append(f"chrome not found: {c!r}")
    if not found(truth["title"], pt):
        errs.append("title not found")
    if truth["pages"] != n_pages(d / "source.pdf"):
        errs.append("page count")
    if str(truth["date"]) != str(doc["date"]):
        errs.append("date")
    if not found(plain(doc["date_text"]), pt):
        errs.append(f"date text not found: {doc['date_text']!r}")
    return errs


def qstr(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_truth(doc, d: Path, pages: int, frags, chrome):
    lines = [f"id: {doc['id']}", "input: pdf", f"lang: {doc['lang']}", f"publisher_kind: {doc['publisher_kind']}",
             f"layout: {doc['layout']}", f"pages: {pages}", f"title: {qstr(plain(doc['title']))}",
             f"date: {doc['date']}", f"organisation: {qstr(doc['organisation'])}"]
    if doc.get("authors"):
        lines.append("authors:")
        lines += [f"  - {qstr(a)}" for a in doc["authors"]]
    else:
        lines.append("authors: []")
    lines.append("fragments:")
    lines += [f"  - {qstr(f)}" for f in frags]
    lines.append("chrome:")
    lines += [f"  - {qstr(c)}" for c in chrome]
    (d / "truth.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def word_count(doc) -> int:
    parts = [doc["title"], doc["lede"], doc["body"], doc.get("about", ""), doc.get("contacts", "")]
    parts += list((doc.get("footnotes") or {}).values())
    return len(plain(" ".join(parts)).split())


def build(path: Path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    d = CORPUS / doc["split"] / doc["id"]
    d.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pdf = d / "source.pdf"
        if doc["engine"] == "chromium":
            build_chromium(doc, pdf, tmp)
        else:
            build_reportlab(doc, pdf, tmp)
    extract(pdf, d / "extracted")
    pages = n_pages(pdf)
    frags = choose_fragments(doc, pdf, pages)
    chrome = chrome_strings(doc, pages)
    write_truth(doc, d, pages, frags, chrome)
    errs = check(doc, d)
    print(f"{doc['id']:34} {doc['engine']:9} {doc['layout']:10} pages={pages} words={word_count(doc)} "
          f"frags={len(frags)} chrome={len(chrome)} size={pdf.stat().st_size // 1024}KB"
          + ("" if not errs else "\n   " + "\n   ".join(errs)))
    return not errs


def check_only(path: Path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    errs = check(doc, CORPUS / doc["split"] / doc["id"])
    print(f"{doc['id']:34} " + ("ok" if not errs else "\n   " + "\n   ".join(errs)))
    return not errs


def main(argv):
    args = argv[1:]
    only = "--check-only" in args
    sel = [a for a in args if not a.startswith("--")] or [""]
    ok = True
    for p in sorted(TEXTS.glob("*.yaml")):
        if any(p.stem.startswith(s) for s in sel):
            ok &= check_only(p) if only else build(p)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv)
