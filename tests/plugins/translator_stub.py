"""pytest plugin: translator_stub fixtures (filled in by its issue)."""
