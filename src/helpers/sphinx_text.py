"""Sphinx extension: the book's title, and every page's Open Graph tags, are text wherever the theme prints them.

A region's variant is titled with the region's name, which comes from a user's region file and may hold markup
(``X</title><script>...``). Sphinx treats ``html_title`` as text and escapes it (``docstitle|e``), but the
pydata theme prints it raw in the navigation bar of every page (``components/navbar-logo.html``) and in the search
page's ``<title>`` (``search.html``). This extension hands every template the title as ``markupsafe.Markup`` of
its escaped text: printed raw it is escaped once, and Jinja's ``|e`` leaves Markup as it is, so the templates
that escape it themselves do not escape it twice. The name then shows literally everywhere.

sphinxext-opengraph escapes only the double quote of a tag's content; its tags get ``html.escape`` of their text.
"""

from __future__ import annotations

import html

from markupsafe import Markup, escape

#: Template variables holding the book's title as text (``html_title``, ``html_short_title``).
TITLE_VARIABLES = ("docstitle", "shorttitle")


def title_as_text(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the title variables as escaped Markup (see the module's docstring)."""
    for name in TITLE_VARIABLES:
        value = context.get(name)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[name] = escape(value)


def meta_tag(property: str, content: str, type_: str = "property") -> str:  # noqa: A002 (opengraph's name)
    """sphinxext-opengraph's ``make_tag`` with the content escaped as an attribute value (not only its quotes)."""
    return f'<meta {type_}="{html.escape(property)}" content="{html.escape(content)}" />'


def setup(app):
    try:
        import sphinxext.opengraph as opengraph
    except ImportError:  # a book without Open Graph tags
        pass
    else:
        opengraph.make_tag = meta_tag  # read as a module global by its get_tags
    app.connect("html-page-context", title_as_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
