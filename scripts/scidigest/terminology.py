"""The terminology table (``data/terminology.yaml``): the one loader.

Translation uses it to translate tags and fixed terms; the site uses the same
table to map a tag or topic page to its equivalent in the other language.
The file lists ``fr-en`` pairs; the reverse direction is derived from it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def terminology() -> dict[str, dict[str, str]]:
    """``{"fr-en": {...}, "en-fr": {...}}``; for two French terms with one English
    equivalent, the reverse keeps the last in sorted order."""
    text = resources.files("scidigest.data").joinpath("terminology.yaml").read_text("utf-8")
    fr_en = {str(k): str(v) for k, v in ((yaml.safe_load(text) or {}).get("fr-en") or {}).items()}
    en_fr = {v: k for k, v in sorted(fr_en.items())}
    return {"fr-en": fr_en, "en-fr": en_fr}
