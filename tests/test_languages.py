"""The site's languages are said once (scidigest.languages); mkdocs.yml and the schema agree."""

from pathlib import Path

import yaml

from scidigest.languages import DEFAULT_LANGUAGE, SITE_LANGUAGES, other, others
from scidigest.schema import schema

ROOT = Path(__file__).resolve().parents[1]


def _i18n_languages() -> list[dict]:
    class Lenient(yaml.SafeLoader):
        pass

    Lenient.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/name
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=Lenient)
    [i18n] = [p["i18n"] for p in cfg["plugins"] if isinstance(p, dict) and "i18n" in p]
    return i18n["languages"]


def test_mkdocs_yml_builds_exactly_the_site_languages_with_the_same_default():
    langs = _i18n_languages()
    assert tuple(lang["locale"] for lang in langs) == SITE_LANGUAGES
    assert [lang["locale"] for lang in langs if lang.get("default")] == [DEFAULT_LANGUAGE]
    cfg_theme = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").split("\nhooks:")[0])["theme"]
    assert cfg_theme["language"] == DEFAULT_LANGUAGE


def test_the_schema_accepts_exactly_the_site_languages():
    assert tuple(schema()["properties"]["lang"]["enum"]) == SITE_LANGUAGES


def test_other_language_of_each_site_language():
    assert other("fr") == "en" and other("en") == "fr"
    assert others("fr") == ["en"]
