"""Sphinx extension for the book's editions: glued values in translated sentences, missing translations
reported, and a link on every page to the same page in the other edition.

1. Glued values in a translated sentence. Sphinx translates a paragraph by parsing its translation as a new,
   small document (``sphinx.transforms.i18n.publish_msgstr``). A ``{glue:text}`` role in it asks myst-nb for the
   value (``myst_nb.ext.glue.utils.retrieve_glue_data``), which reads it from the document's notebook renderer
   (``document["nb_renderer"]``): the new document has none, and the notebook's own has been removed when its
   parse ended, before Sphinx's transforms run. The value would be lost with a warning. This extension keeps the
   page's renderer for the rest of the page's reading (``env.temp_data``, cleared by Sphinx after each page) the
   first time a glue role of the page asks for it, and hands it to the roles of the translated sentences
   (``_retrieve_glue_data``). ``tests/test_editions.py`` checks that myst-nb still behaves so (the shim is then
   needed) and that the shim is in place.
2. What a chapter's code printed (its outputs) is not the page's text to translate: the library writes it in the
   edition's language (the kernel parameter ``language``). ``mark_outputs_untranslatable`` keeps it out of the
   catalogues.
3. A page's message without a translation (missing, empty or fuzzy) is recorded per page and written, when the
   build ends, to ``<Jupyter Book's _build>/untranslated.json``; the build reports each (``regbook.compile``).
4. ``regbook_editions`` (``regbook.editions.editions_config``) lists the other editions; every page gets a link to
   the same page in each, relative, so that it works from the file system, and ``<link rel="alternate"
   hreflang>`` tags.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from markupsafe import escape
from sphinx.transforms import SphinxTransform

from .editions import UNTRANSLATED_FILE, needs_translation

_RENDERER = "regbook_nb_renderer"


def _retrieve_glue_data(document, key: str):
    """myst-nb's ``retrieve_glue_data``, with the page's renderer for a translated sentence's document."""
    from myst_nb.ext.glue import utils

    env = getattr(document.settings, "env", None)
    if "nb_renderer" in document:
        if env is not None:
            env.temp_data[_RENDERER] = document["nb_renderer"]
    elif env is not None and _RENDERER in env.temp_data:
        document = {"nb_renderer": env.temp_data[_RENDERER]}
    return utils.retrieve_glue_data(document, key)


def install_glue_shim() -> None:
    """Point myst-nb's glue roles and directives at ``_retrieve_glue_data`` (once)."""
    from myst_nb.ext.glue import directives, roles

    for module in (roles, directives):
        module.retrieve_glue_data = _retrieve_glue_data


class MarkOutputsUntranslatable(SphinxTransform):
    """Before Sphinx's ``Locale`` (priority 20): what a code cell printed is no message of the page."""

    default_priority = 10

    def apply(self, **kwargs) -> None:
        for container in self.document.findall(nodes.container):
            if "cell_output" not in container.get("classes", []):
                continue
            for node in container.findall(nodes.TextElement):
                node["translatable"] = False


class RecordUntranslated(SphinxTransform):
    """After Sphinx's ``Locale``: the page's messages it found no translation for."""

    default_priority = 25

    def apply(self, **kwargs) -> None:
        if self.config.language == "en" or not self.config.locale_dirs:
            return
        from sphinx.util.nodes import extract_messages

        missing = []
        for node, message in extract_messages(self.document):
            if node.get("translated") is not True and needs_translation(message) and message not in missing:
                missing.append(message)
        untranslated = getattr(self.env, "regbook_untranslated", {})
        untranslated[self.env.docname] = missing
        self.env.regbook_untranslated = untranslated


def _purge(app, env, docname: str) -> None:
    getattr(env, "regbook_untranslated", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    mine = getattr(env, "regbook_untranslated", {})
    mine.update({d: m for d, m in getattr(other, "regbook_untranslated", {}).items() if d in docnames})
    env.regbook_untranslated = mine


def _write_untranslated(app, exception) -> None:
    if exception is not None or app.config.language == "en":
        return
    found = {
        d: m for d, m in sorted(getattr(app.env, "regbook_untranslated", {}).items()) if m and d in app.env.found_docs
    }
    target = Path(app.doctreedir).parent / UNTRANSLATED_FILE
    target.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")


def switch_html(pagename: str, editions: list[list[str]]) -> tuple[str, str]:
    """The edition switch of a page (HTML for the top of its body) and its ``<link rel="alternate">`` tags."""
    to_root = "../" * pagename.count("/")
    links, tags = [], []
    for language, name, folder in editions:
        href = escape(f"{to_root}{folder}{pagename}.html")
        links.append(
            f'<a class="edition-link" href="{href}" hreflang="{language}" lang="{language}">{escape(name)}</a>'
        )
        tags.append(f'<link rel="alternate" hreflang="{language}" href="{href}" />')
    switch = (
        f'<nav class="edition-switch" aria-label="Language / taal" style="float: right; font-size: 0.875rem">'
        f"{' '.join(links)}</nav>\n"
    )
    return switch, "\n".join(tags) + "\n"


def add_switch(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the edition switch above the page's text (pages with a body: not the search or
    index pages)."""
    editions = app.config.regbook_editions
    if not editions or doctree is None or "body" not in context:
        return
    switch, tags = switch_html(pagename, editions)
    context["body"] = switch + context["body"]
    context["metatags"] = context.get("metatags", "") + tags


def setup(app):
    install_glue_shim()
    app.add_config_value("regbook_editions", [], "html")
    app.add_transform(MarkOutputsUntranslatable)
    app.add_transform(RecordUntranslated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _write_untranslated)
    app.connect("html-page-context", add_switch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
