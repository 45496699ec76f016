"""scidigest: raw science texts in, a clean bilingual MkDocs site out.

The data flow is visible in the module names:

    read -> clean -> extract -> render -> (write)        ``scidigest ingest``
    translate (segment -> protect -> provider -> memory)  ``scidigest translate``
    site (listings, feeds, i18n glue for MkDocs hooks)    ``mkdocs build``
    check                                                 ``scidigest check``
"""

__version__ = "0.1.0"
