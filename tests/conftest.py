"""Shared pytest configuration.

Fixtures that several test files need live in ``tests/plugins`` (one module
per concern) and are loaded here, so no test file imports another.
"""

pytest_plugins = [
    "tests.plugins.translator_stub",
    "tests.plugins.engines",
    "tests.plugins.site_server",
    "tests.plugins.hostile_site",
    "tests.plugins.samples",
    "tests.plugins.web_server",
]
