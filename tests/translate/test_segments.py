"""Segmentation: only text is replaced, so structure survives by construction."""

from __future__ import annotations

from scidigest.translate.protect import protect, restore
from scidigest.translate.segments import parse, render, skeleton_of

BODY = """
Image de microscopie montrant NeuN (vert).  
© Extrait de: Lentini et al., Cell Stem Cell, 2021.
{: .caption }

Premier paragraphe avec une note[^1] et un [lien](https://ex.org/).

## Un titre de section {#ancre}

- premier point
- second point **gras**
    1. sous-point numéroté

> une citation
> > imbriquée

| Colonne | Valeur |
|:--------|-------:|
| dose | 3 mg |
| effet | fort |

```python
print("ne pas traduire")

x = 1
```

---

[^1]: Technique utilisée en neurochirurgie.
"""  # noqa: W291 - the two trailing spaces are a Markdown hard break


def _upper(doc):
    """A fake engine: upper-cases text, placeholders protected as in a real run."""
    out = []
    for s in doc.segments:
        p = protect(s)
        out.append(restore(p, p.text.upper()))
    return out


def test_identity_translation_gives_the_body_back_byte_for_byte():
    doc = parse(BODY)
    assert render(doc, doc.segments) == BODY


def test_translated_body_keeps_lines_markers_and_literal_markup():
    doc = parse(BODY)
    out = render(doc, _upper(doc))
    assert skeleton_of(out) == skeleton_of(BODY)
    assert out.count("\n") == BODY.count("\n")
    assert "IMAGE DE MICROSCOPIE MONTRANT NeuN (VERT).  \n" in out  # hard break kept, NeuN protected
    assert "\n{: .caption }\n" in out  # attribute line copied, not translated
    assert "## UN TITRE DE SECTION {#ancre}" in out  # anchor protected
    assert "|:--------|-------:|" in out
    assert 'print("ne pas traduire")' in out
    assert "UN [LIEN](https://ex.org/)." in out
    assert "\n[^1]: TECHNIQUE UTILISÉE EN NEUROCHIRURGIE." in out


def test_code_fences_rules_and_separators_are_not_segments():
    segs = parse(BODY).segments
    assert not any("print" in s or "---" in s or ":---" in s for s in segs)
    assert "premier point" in segs and "sous-point numéroté" in segs and "imbriquée" in segs
    assert "dose" in segs and "3 mg" in segs


def test_structure_sees_a_lost_footnote_a_changed_link_and_a_missing_line():
    base = skeleton_of(BODY)
    assert skeleton_of(BODY.replace("une note[^1]", "une note")) != base
    assert skeleton_of(BODY.replace("https://ex.org/", "https://ex.org/en/")) != base
    assert skeleton_of(BODY.replace("- premier point\n", "")) != base
