"""MkDocs hooks for scidigest: a thin shim over ``scidigest.site.mkdocs_adapter``.

Priorities matter: mkdocs-static-i18n runs its ``on_files`` and
``on_post_build`` at -100, so ours run after it (-110, -200); our page
context runs after i18n's (50) so our language-switcher links win.
"""

from mkdocs.plugins import event_priority

from scidigest.site import mkdocs_adapter as site


def on_pre_build(config):
    site.on_pre_build(config)


def on_pre_page(page, config, files):
    site.on_pre_page(page, config)
    return page


def on_page_read_source(page, config):
    return site.on_page_read_source(page, config)


@event_priority(100)  # first: the article's front matter, before any plugin reads page.meta
def on_page_markdown(markdown, page, config, files):
    return site.on_page_markdown(markdown, page)


@event_priority(-110)
def on_files(files, config):
    return site.on_files(files, config)


def on_page_content(html, page, config, files):
    return site.on_page_content(html, page, config)


@event_priority(40)
def on_page_context(context, page, config, nav):
    return site.on_page_context(context, page, config)


def on_template_context(context, template_name, config):
    return site.on_template_context(context, template_name, config)


@event_priority(-100)  # last: other plugins see the page as rendered
def on_post_template(output_content, template_name, config):
    return site.on_post_template(output_content, template_name, config)


@event_priority(-200)
def on_post_build(config):
    site.on_post_build(config)


def on_build_error(error):
    site.on_build_error()
