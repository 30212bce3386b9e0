"""Sphinx extension: a span marked with a language class gets that language in the HTML.

MyST's inline attributes keep only a span's id and classes, so a quotation is marked with a class,
``[*de deken*]{.lang-nl}`` or ``[*duale Berufsausbildung*]{.lang-de}``, and this extension writes it as
``<span class="lang-nl" lang="nl">``: screen readers then pronounce it in its language and axe-core sees it.
"""

from __future__ import annotations

import re

from docutils import nodes

LANG_CLASS = re.compile(r"^lang-([a-z]{2,3})$")


class lang_span(nodes.inline):  # noqa: N801 (docutils node classes are lower case)
    """An inline span in another language than the page's (its language in ``node['lang']``)."""


def _visit_html(self, node: lang_span) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"]))


def _depart_html(self, node: lang_span) -> None:
    self.body.append("</span>")


def _visit_other(self, node: lang_span) -> None:
    self.visit_inline(node)


def _depart_other(self, node: lang_span) -> None:
    self.depart_inline(node)


def language_of(classes: list[str]) -> str | None:
    """The language a span's classes mark ('lang-nl' -> 'nl'), or None."""
    for name in classes:
        match = LANG_CLASS.match(name)
        if match:
            return match.group(1)
    return None


def mark_languages(app, doctree) -> None:
    """Replace every inline span with a language class by a :class:`lang_span`."""
    for node in list(doctree.findall(nodes.inline)):
        lang = language_of(node.get("classes", []))
        if lang and not isinstance(node, lang_span):
            marked = lang_span(node.rawsource, "", *node.children, **node.attributes)
            marked["lang"] = lang
            node.replace_self(marked)


def setup(app):
    others = (_visit_other, _depart_other)
    app.add_node(lang_span, html=(_visit_html, _depart_html), latex=others, text=others, man=others, texinfo=others)
    app.connect("doctree-read", mark_languages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
