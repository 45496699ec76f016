"""Our code that reaches into MkDocs, mkdocs-static-i18n, Material, py3langid
and deep-translator was written for one exact version of each
(``scidigest.versions.WRITTEN_FOR``): any other fails here, naming the files
to re-check."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest

from scidigest import versions
from scidigest.site.mkdocs import hooks, speed

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("package", sorted(versions.WRITTEN_FOR))
def test_the_installed_version_is_the_one_our_internals_were_written_for(package):
    mismatch = versions.mismatch(package)
    assert mismatch is None, str(mismatch)


@pytest.mark.parametrize("package", sorted(versions.WRITTEN_FOR))
def test_every_file_to_re_check_exists(package):
    _, files = versions.WRITTEN_FOR[package]
    assert files
    for name in files:
        assert (REPO / name).exists(), f"{package}: {name} (listed in scidigest/versions.py) does not exist"


def test_a_mismatch_names_the_package_both_versions_and_the_files(monkeypatch):
    monkeypatch.setattr(versions, "installed", lambda package: "99.0" if package == "mkdocs" else None)
    found = {m.package: m for m in versions.mismatches()}
    assert set(found) == set(versions.WRITTEN_FOR)
    message = str(found["mkdocs"])
    assert "mkdocs 99.0" in message and versions.WRITTEN_FOR["mkdocs"][0] in message
    assert "scripts/scidigest/site/mkdocs/speed.py" in message
    assert "not installed" in str(found["py3langid"])


def test_the_speedups_refuse_another_mkdocs_version_with_one_warning(monkeypatch, caplog):
    monkeypatch.delenv(speed.SWITCH, raising=False)
    monkeypatch.setattr(versions, "installed", lambda package: versions.WRITTEN_FOR[package][0])
    assert speed.enabled("mkdocs")
    monkeypatch.setattr(versions, "installed", lambda package: "1.7.0")
    with caplog.at_level(logging.WARNING, logger="scidigest.site.mkdocs"):
        assert not speed.enabled("mkdocs")
    [record] = [r for r in caplog.records if r.name == "scidigest.site.mkdocs"]
    assert "\n" not in record.getMessage() and "mkdocs 1.7.0" in record.getMessage()
    assert not record.name.startswith("mkdocs")  # not counted by ``mkdocs build --strict``


@pytest.mark.parametrize("value,on", [("0", False), ("off", False), ("False", False), ("no", False),
                                      ("1", True), ("", True)])
def test_the_switch_turns_the_speedups_off(monkeypatch, caplog, value, on):
    monkeypatch.setattr(versions, "installed", lambda package: versions.WRITTEN_FOR[package][0])
    monkeypatch.setenv(speed.SWITCH, value)
    assert speed.enabled("mkdocs") is on
    assert not [r for r in caplog.records if r.name == "scidigest.site.mkdocs"]


def test_scripts_hooks_re_exports_every_handler_with_its_priority():
    spec = importlib.util.spec_from_file_location("scidigest_mkdocs_hooks_file", REPO / "scripts" / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    handlers = {name for name in dir(hooks) if name.startswith("on_")}
    assert {name for name in dir(module) if name.startswith("on_")} == handlers
    for name in handlers:
        assert getattr(module, name) is getattr(hooks, name)
        assert hasattr(getattr(hooks, name), "mkdocs_priority"), f"{name} has no @event_priority"
        assert getattr(hooks, name).__doc__, f"{name} does not say why its priority"
    # the order against mkdocs-static-i18n's handlers (-100 on files/post_build, 50 on page context)
    assert hooks.on_files.mkdocs_priority < -100
    assert hooks.on_post_build.mkdocs_priority < -100
    assert hooks.on_page_context.mkdocs_priority < 50
