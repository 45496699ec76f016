"""Synthetic raw sources of the four kinds ``scidigest ingest`` meets, for benchmarks and tests.

Each kind copies the *shape* of one real source in ``sources/`` (the furniture,
the line layout, the metadata lines) and fills it with French text built from a
word pool by a seeded RNG, so the same seed always gives the same bytes, titles
(hence slugs) are distinct and no two texts are identical:

* ``pdf-wrapped``: a press release extracted from a PDF: dateline, kicker,
  title, an image caption with its credit line, hard-wrapped paragraphs with
  line-end hyphenation, a heading, and a footnote dropped by a page break
  (its number glued to a word earlier in the text);
* ``web-markdown``: a web page scraped to Markdown: ``#`` title, site-account
  byline, date line, share/print/font-size widgets, byline with publisher,
  "Publié dans" category, tag cloud, ``URL source:`` line;
* ``web-text``: a web page copied as plain text: breadcrumb, category pipe line,
  title, lede, "Publié le", one line per paragraph, headings, "Haut de page";
* ``pdf-double-spaced``: a thesis summary extracted with a blank line after
  every line, in the first person, with neither title nor date.

Only the standard library is used: the generator must not depend on the code it
benchmarks.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

KINDS = ("pdf-wrapped", "web-markdown", "web-text", "pdf-double-spaced")

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")

CITIES = ("Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Grenoble", "Strasbourg",
          "Montpellier", "Nantes", "Rennes", "Nancy")

SUBJECTS = (
    "Les chercheurs", "Les scientifiques", "L’équipe de recherche", "Une équipe internationale",
    "Les biologistes", "Les auteurs de l’étude", "Les neuroscientifiques", "Les médecins",
    "Les physiologistes", "Les immunologistes",
)

# noun phrases, feminine/masculine/plural forms mixed; all start in lower case
NOUNS = (
    "les cellules gliales", "le récepteur de la sérotonine", "la plasticité synaptique",
    "les neurones inhibiteurs", "le microbiote intestinal", "la barrière hémato-encéphalique",
    "les lymphocytes régulateurs", "la mitochondrie", "les astrocytes", "le cortex préfrontal",
    "la moelle osseuse", "les cellules souches", "le génome bactérien", "la réponse immunitaire",
    "le tissu adipeux", "le métabolisme du glucose", "la mémoire spatiale", "les vaisseaux sanguins",
    "la rétine", "le système nerveux central", "les macrophages", "la myéline",
    "les cellules stromales", "le rythme circadien", "les protéines mal repliées",
    "la signalisation calcique", "les récepteurs olfactifs", "le cervelet", "l’hippocampe",
    "les ovocytes", "la flore cutanée", "le foie", "les îlots pancréatiques", "la dopamine",
    "les fibroblastes", "le liquide céphalorachidien", "les cellules tumorales",
    "la microglie", "les synapses excitatrices", "le noyau accumbens",
)

TITLE_VERBS = (
    "protègent", "régulent", "contrôlent", "réparent", "modifient", "révèlent", "influencent",
    "stimulent", "freinent", "orientent", "remodèlent", "renforcent", "perturbent", "guident",
)

VERBS = (
    "ont montré que", "ont observé que", "ont découvert que", "ont confirmé que", "suggèrent que",
    "ont mis en évidence que", "ont établi que", "rapportent que",
)

PREDICATES = (
    "joue un rôle clé dans", "participe activement à", "contribue fortement à",
    "intervient précocement dans", "module durablement", "conditionne", "limite nettement",
    "favorise", "accélère", "ralentit",
)

PROCESSES = (
    "la survenue des crises", "la réponse aux traitements", "la régénération des tissus",
    "le vieillissement cérébral", "la consolidation de la mémoire", "la propagation de l’inflammation",
    "la résistance aux antibiotiques", "la croissance tumorale", "la cicatrisation",
    "la prise alimentaire", "la sensibilité à la douleur", "la formation des synapses",
    "la dégénérescence des neurones", "la production d’énergie", "la défense contre les virus",
)

CONTEXTS = (
    "chez la souris", "chez le rat", "dans un modèle animal", "au cours du développement",
    "après une lésion", "en conditions de stress", "chez des patients volontaires",
    "dans des cultures cellulaires", "au sein de tissus humains", "chez le poisson zèbre",
    "dans un modèle porcin", "chez des sujets âgés",
)

DISEASES = (
    "la maladie de Parkinson", "l’épilepsie", "la dépression", "la sclérose en plaques",
    "le diabète de type 2", "le choc septique", "la maladie d’Alzheimer", "la mucoviscidose",
    "l’insuffisance cardiaque", "le cancer du pancréas", "la schizophrénie", "l’obésité",
)

CONNECTORS = ("Par ailleurs,", "En outre,", "Ainsi,", "Cependant,", "De plus,", "Dans un second temps,",
              "À terme,", "En pratique,", "Pour cela,", "Enfin,")

METHODS = (
    "l’imagerie par résonance magnétique", "la tomographie par émission de positons",
    "le séquençage de l’ARN", "la microscopie confocale", "des enregistrements électrophysiologiques",
    "des analyses protéomiques", "la spectrométrie de masse", "des outils génétiques",
    "la cytométrie en flux", "des modèles mathématiques",
)

# words a footnote is glued to ("stéréotaxique1") and what the note says
NOTE_TERMS = (
    ("stéréotaxique", "Technique utilisée en neurochirurgie pour atteindre des zones du cerveau de manière précise grâce à un système de coordonnées dans l’espace."),
    ("optogénétique", "Méthode qui permet de contrôler l’activité de neurones choisis à l’aide de la lumière, après y avoir introduit une protéine sensible."),
    ("transcriptomique", "Étude de l’ensemble des ARN produits par une cellule ou un tissu à un moment donné et dans des conditions données."),
    ("immunohistochimique", "Méthode qui révèle une protéine dans une coupe de tissu grâce à un anticorps qui la reconnaît spécifiquement."),
)

# long common words a PDF line may break inside ("cellu-" + "laires")
HYPHENABLE = ("particulièrement", "significativement", "expérimentation", "traitements", "mécanismes",
              "comportementales", "développement", "inflammatoires", "fonctionnement", "pathologies")

JOURNALS = ("Cell Stem Cell", "Nature Neuroscience", "Science Advances", "Neuron", "Brain", "eLife",
            "Nature Communications", "PNAS", "Molecular Psychiatry", "The Lancet")
AUTHORS = ("Lentini", "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Garcia",
           "Rousseau", "Fournier", "Girard", "Bonnet", "Mercier")
FIRST_NAMES = ("Georges", "Claire", "Julien", "Sophie", "Antoine", "Camille", "Hugo", "Léa", "Nicolas",
               "Manon", "Thomas", "Inès")
ORGS = ("Inserm", "CNRS", "CEA", "Institut Pasteur", "INRAE", "Université Paris-Saclay")
CATEGORIES = ("Neurosciences & Sciences cognitives", "Biologie cellulaire", "Immunologie",
              "Santé publique", "Génétique", "Médecine régénérative", "Imagerie médicale",
              "Cerveau", "Microbiologie", "Cancérologie")
TAG_WORDS = ("cerveau", "neurones", "molécules", "psychiatrie", "immunité", "cellules", "génome",
             "imagerie", "inflammation", "métabolisme", "vaccins", "microbiote")


@dataclass(frozen=True)
class SyntheticSource:
    """One generated source file and what ingesting it should find."""

    name: str  # file name, unique, like the real ones: ``000042_1a2b3c4d5e6f7a8b.txt``
    data: bytes  # UTF-8 text
    kind: str  # one of KINDS: the input_kind ingest should detect
    title: str | None  # the title written in the source (None: thesis summaries have none)
    date: str | None  # ISO publication date written in the source (None for theses)


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _slug_key(title: str) -> str:
    """Roughly the slug ingest will derive (accents and punctuation folded), for uniqueness."""
    t = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", t))


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self) -> str:
        r = self.rng
        form = r.randrange(6)
        if form == 0:
            return f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(NOUNS)} {r.choice(PREDICATES)} {r.choice(PROCESSES)} {r.choice(CONTEXTS)}."
        if form == 1:
            return f"{r.choice(CONNECTORS)} {r.choice(NOUNS)} {r.choice(PREDICATES)} {r.choice(PROCESSES)} dans {r.choice(DISEASES)}."
        if form == 2:
            return f"Grâce à {r.choice(METHODS)}, {r.choice(SUBJECTS).lower()} ont suivi {r.choice(NOUNS)} {r.choice(CONTEXTS)}."
        if form == 3:
            return (f"Ces travaux, menés {r.choice(CONTEXTS)}, ouvrent de nouvelles perspectives pour "
                    f"la prise en charge de {r.choice(DISEASES)}.")
        if form == 4:
            return f"{_cap(r.choice(NOUNS))} {r.choice(PREDICATES)} {r.choice(PROCESSES)}, ce qui reste {r.choice(('mal compris', 'peu étudié', 'encore débattu'))}."
        return f"{r.choice(CONNECTORS)} {r.choice(SUBJECTS).lower()} ont comparé {r.choice(NOUNS)} et {r.choice(NOUNS)} {r.choice(CONTEXTS)}."

    def paragraph(self, n_min: int = 3, n_max: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(n_min, n_max)))

    def heading(self) -> str:
        r = self.rng
        return _cap(f"{r.choice(NOUNS)} {r.choice(CONTEXTS)}")

    def date(self) -> tuple[int, int, int]:
        r = self.rng
        return r.randint(2012, 2026), r.randint(1, 12), r.randint(1, 28)


def _hyphenable(word: str) -> bool:
    return word in HYPHENABLE or (len(word) >= 10 and word.isalpha() and word.islower())


def _wrap(text: str, rng: random.Random, width: int, hyphenate: bool) -> list[str]:
    """Hard-wrap like a PDF extraction; optionally break one long word across lines with ``-``."""
    words = text.split()
    lines: list[str] = []
    current = ""
    broke = False
    for w in words:
        candidate = f"{current} {w}" if current else w
        if len(candidate) <= width:
            current = candidate
            continue
        bare = w.rstrip(",.;:")
        if hyphenate and not broke and _hyphenable(bare) and len(current) + 6 <= width:
            k = rng.randint(4, len(bare) - 4)
            lines.append(f"{current} {w[:k]}-")
            current = w[k:]
            broke = True
            continue
        lines.append(current)
        current = w
    if current:
        lines.append(current)
    return lines


def _paragraph_with(writer: _Writer, word: str) -> str:
    """A paragraph guaranteed to contain ``word`` (in the middle of a sentence)."""
    p = writer.paragraph(2, 4)
    return f"{p} Les résultats sont {word} dans {writer.rng.choice(PROCESSES)} et {writer.rng.choice(DISEASES)}. {writer.sentence()}"


def _pdf_wrapped(writer: _Writer, title: str) -> tuple[str, str]:
    r = writer.rng
    y, m, d = writer.date()
    width = r.randint(84, 96)
    term, note = r.choice(NOTE_TERMS)
    lines = ["", " ", " ", "", " ", " ", " ", " ", "",
             f"{r.choice(CITIES)}, le {d} {MONTHS[m - 1]} {y} ",
             f"{r.choice(('Information presse', 'Communiqué de presse'))} ",
             f"{title} ", " ", "", " "]
    caption = (f"Image de microscopie confocale montrant {r.choice(NOUNS)} (en rouge) et {r.choice(NOUNS)} "
               f"(en vert) {r.choice(CONTEXTS)}.")
    cap_lines = _wrap(caption, r, width, False)
    lines += [ln + " " for ln in cap_lines[:-1]] + [cap_lines[-1] + "  "]
    lines += [f"© Extrait de: {r.choice(AUTHORS)} et al., {r.choice(JOURNALS)}, {y}.  ", " "]

    def para(text: str, hyphenate: bool = True) -> None:
        lines.extend(ln + " " for ln in _wrap(text, r, width, hyphenate))
        lines.append(" ")

    org = r.choice(ORGS)
    team = f"de l’{org}" if org[0] in "IU" else f"du {org}"
    para(f"Une équipe de chercheurs {team} a étudié {r.choice(NOUNS)} {r.choice(CONTEXTS)}. " + writer.paragraph(3, 5))
    para(_cap(writer.paragraph(4, 7)), hyphenate=False)
    lines += [f"{writer.heading()}  ", " "]
    para(_paragraph_with(writer, f"obtenus par une technique {term}1,"))
    para(writer.paragraph(4, 7))
    # page break: whitespace filler, then the footnote, then the text goes on
    lines.append(" " * r.randint(20, 48))
    lines += [ln + " " for ln in _wrap(f"1 {note}", r, width, False)]
    lines += ["", "", ""]
    para(writer.paragraph(3, 6))
    quote = (f"« {writer.sentence()} {writer.sentence()} », explique {r.choice(FIRST_NAMES)} "
             f"{r.choice(AUTHORS)}, coordinateur de l’étude.")
    para(quote)
    para(writer.paragraph(2, 4))
    return "\n".join(lines), f"{y:04d}-{m:02d}-{d:02d}"


def _web_markdown(writer: _Writer, title: str) -> tuple[str, str]:
    r = writer.rng
    y, m, d = writer.date()
    hh, mm = r.randint(8, 19), r.randint(0, 59)
    account = r.choice(("mogirard", "redaction", "webmaster", "jdupont", "editeur"))
    category = r.choice(CATEGORIES)
    tags = r.sample(TAG_WORDS, r.randint(3, 5))
    slug = _slug_key(title)
    out = [
        "", "", f"# {title}", "", f"Par *{account}*", "", f"Créé le {d:02d}/{m:02d}/{y} - {hh:02d}:{mm:02d}", "",
        f"## {title}", "", f"Lundi, {d:02d}/{m:02d}/{y} - {hh - 1:02d}:{mm:02d} [{r.randint(0, 9)} commentaire](#)", "",
        "- [Diminuer la police](#)", "- [Augmenter la police](#)", "- [Imprimer](#)", "- [Version PDF](#)", "",
        "•", "", "- [Tweeter](#)", "", "•", "", "•", "", f"{r.randint(0, 5)} avis :", "", "", "", "[zoom](#)", "",
    ]
    for i in range(r.randint(5, 9)):
        p = writer.paragraph(3, 6)
        if i == 2:  # inline HTML the sanitizer keeps
            p = f"{p} Le récepteur 5-HT<sub>{r.randint(1, 7)}B</sub> est en cause."
        out += [p, ""]
    out += [f"Article rédigé par {r.choice(FIRST_NAMES)} {r.choice(AUTHORS)} pour RT Flash", "",
            f"[{r.choice(ORGS)}](#)", "", "**Noter cet article :**", "", "## Recommander cet article :", "",
            "- ", "- [Tweeter](#)", "- ", f"- **Nombre de consultations** : {r.randint(10, 9999)}",
            f"- **Publié dans** : [{category}](#)", "- **Partager** :",
            "  - [Facebook](#)", "  - [Viadeo](#)", "  - [Twitter](#)", "  - [Wikio](#)", "",
            f"[{category} {tags[0]}\\\\_{' '.join(tags[1:])}](#)", "", "---", "",
            f"URL source: <https://www.rtflash.fr/{slug}/article>"]
    return "\n".join(out), f"{y:04d}-{m:02d}-{d:02d}"


def _web_text(writer: _Writer, title: str) -> tuple[str, str]:
    r = writer.rng
    y, m, d = writer.date()
    cats = r.sample(CATEGORIES, r.randint(3, 5))
    out = [f"Vous êtes ici : Accueil > Actualités > {title}", "", " | ".join(cats), "", title, "", "",
           writer.paragraph(2, 3), "", f"Publié le\u00a0{d} {MONTHS[m - 1]} {y}", ""]
    for _ in range(r.randint(2, 3)):
        for _ in range(r.randint(2, 3)):
            out += [writer.paragraph(3, 6), ""]
        out += [writer.heading(), ""]
    out += [writer.paragraph(3, 5), "", "", "", "Haut de page"]
    return "\n".join(out), f"{y:04d}-{m:02d}-{d:02d}"


def _thesis(writer: _Writer) -> str:
    r = writer.rng
    width = r.randint(88, 98)
    paras = [writer.paragraph(4, 6)]
    paras.append(f"Notre premier objectif a été de comparer {r.choice(NOUNS)} et {r.choice(NOUNS)} "
                 f"{r.choice(CONTEXTS)}. " + writer.paragraph(3, 5))
    paras.append(f"Nous avons ensuite évalué {r.choice(NOUNS)} {r.choice(CONTEXTS)} afin de nous rapprocher "
                 f"de la clinique humaine. " + writer.paragraph(3, 5))
    paras.append(f"Nos travaux de thèse ont conduit à proposer un protocole pour {r.choice(DISEASES)}. "
                 + writer.paragraph(2, 4))
    out: list[str] = []
    for i, p in enumerate(paras):
        lines = _wrap(p, r, width, True)
        for j, ln in enumerate(lines):
            last = j == len(lines) - 1
            lead = " " if i == 0 and j == 0 else ""
            out += [lead + ln + ("  " if last else " "), ""]
    return "\n".join(out)


def generate(n: int, seed: int = 0, kinds: tuple[str, ...] = KINDS) -> Iterator[SyntheticSource]:
    """``n`` sources cycling through ``kinds``; deterministic for a given ``seed``."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    seen: set[str] = set()
    for i in range(n):
        kind = kinds[i % len(kinds)]
        title: str | None = None
        if kind != "pdf-double-spaced":
            for _ in range(1000):
                t = (f"{_cap(rng.choice(NOUNS))} {rng.choice(TITLE_VERBS)} {rng.choice(PROCESSES)} "
                     f"{rng.choice(CONTEXTS)}")
                if rng.random() < 0.3:
                    t = f"{_cap(rng.choice(DISEASES))} : {t[0].lower()}{t[1:]}"
                key = _slug_key(t)
                if key not in seen:
                    seen.add(key)
                    title = t
                    break
            else:  # pool exhausted: make it unique with a number
                title = f"{t} {i}"
        if kind == "pdf-wrapped":
            text, date = _pdf_wrapped(writer, title)
        elif kind == "web-markdown":
            text, date = _web_markdown(writer, title)
        elif kind == "web-text":
            text, date = _web_text(writer, title)
        elif kind == "pdf-double-spaced":
            text, date = _thesis(writer), None
        else:
            raise ValueError(f"unknown kind {kind!r}")
        data = text.encode("utf-8")
        name = f"{i:06d}_{hashlib.sha1(data).hexdigest()[:16]}.txt"
        yield SyntheticSource(name=name, data=data, kind=kind, title=title, date=date)


def write_sources(directory, n: int, seed: int = 0) -> list[SyntheticSource]:
    """Write ``n`` generated sources into ``directory`` (created if needed); return them, without data."""
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for s in generate(n, seed):
        (directory / s.name).write_bytes(s.data)
        out.append(SyntheticSource(s.name, b"", s.kind, s.title, s.date))
    return out
