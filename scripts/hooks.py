"""MkDocs hooks for scidigest (``hooks:`` in ``mkdocs.yml``).

MkDocs loads this file by path and registers its module-level ``on_*``
names; the handlers, their priorities and why live in
:mod:`scidigest.site.mkdocs.hooks`.
"""

from scidigest.site.mkdocs.hooks import (
    on_build_error,
    on_files,
    on_page_content,
    on_page_context,
    on_page_markdown,
    on_page_read_source,
    on_post_build,
    on_post_page,
    on_post_template,
    on_pre_build,
    on_pre_page,
    on_template_context,
)

__all__ = [
    "on_build_error",
    "on_files",
    "on_page_content",
    "on_page_context",
    "on_page_markdown",
    "on_page_read_source",
    "on_post_build",
    "on_post_page",
    "on_post_template",
    "on_pre_build",
    "on_pre_page",
    "on_template_context",
]
