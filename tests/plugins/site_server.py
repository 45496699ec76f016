"""pytest plugin: site_server fixtures (filled in by its issue)."""
