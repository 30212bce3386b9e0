"""Sphinx extension: the book's title is text wherever the theme prints it.

A region's variant is titled with the region's name, which comes from a user's region file and may hold markup
(``X</title><script>...``). Sphinx treats ``html_title`` as text and escapes it (``docstitle|e``), but the
pydata theme prints it raw in the navigation bar of every page (``components/navbar-logo.html``) and in the search
page's ``<title>`` (``search.html``). This extension hands every template the title as ``markupsafe.Markup`` of
its escaped text: printed raw it is escaped once, and Jinja's ``|e`` leaves Markup as it is, so the templates
that escape it themselves do not escape it twice. The name then shows literally everywhere.

The Open Graph tags need nothing: sphinxext-opengraph escapes a page's description itself, and the page titles it
also writes are the chapters' own headings (no region's name), in a quoted attribute.
"""

from __future__ import annotations

from markupsafe import Markup, escape

#: Template variables holding the book's title as text (``html_title``, ``html_short_title``).
TITLE_VARIABLES = ("docstitle", "shorttitle")


def title_as_text(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the title variables as escaped Markup (see the module's docstring)."""
    for name in TITLE_VARIABLES:
        value = context.get(name)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[name] = escape(value)


def setup(app):
    app.connect("html-page-context", title_as_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
