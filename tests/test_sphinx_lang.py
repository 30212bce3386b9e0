"""The Sphinx extension that marks quotations with their language (helpers.sphinx_lang)."""

from __future__ import annotations

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.utils import new_document
from docutils.writers.html5_polyglot import HTMLTranslator, Writer

from helpers import sphinx_lang


def test_language_classes():
    assert sphinx_lang.language_of(["lang-nl"]) == "nl"
    assert sphinx_lang.language_of(["other", "lang-de"]) == "de"
    assert sphinx_lang.language_of(["language", "lang-"]) is None


def test_a_span_with_a_language_class_is_written_with_its_lang_attribute():
    document = new_document("test", get_default_settings(Writer))
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("the blanket of ")
    paragraph += nodes.inline("", "", nodes.emphasis("", "de deken"), classes=["lang-nl"])
    paragraph += nodes.inline("", "plain", classes=["other"])
    document += paragraph
    sphinx_lang.mark_languages(None, document)
    marked = document[0][1]
    assert isinstance(marked, sphinx_lang.lang_span) and marked["lang"] == "nl"
    assert marked.astext() == "de deken"
    assert not isinstance(document[0][2], sphinx_lang.lang_span)
    translator = HTMLTranslator(document)
    sphinx_lang._visit_html(translator, marked)
    assert translator.body[-1] == '<span class="lang-nl" lang="nl">'
