"""Sphinx extension: the glossary page from ``data/glossary.csv``, and a link from the first use of each term.

**The page.** The directive ``{data-glossary}`` (MyST; ``.. data-glossary::`` in reST) writes Sphinx's standard
``glossary`` directive from the data, sorted, in the page language (the Sphinx config value ``language``: Dutch
headwords and definitions when it is "nl", English otherwise), each definition followed by the term's forms in the
other two languages, marked with their language, and the report's sections that use it (``report_sections.csv``
beside the glossary data). The generated text is not offered for translation (it is already
in the page language; the page catalogues hold only what a translator writes).

**The links.** On every page (once the glossary page, config value ``glossary_page``, is part of the project) the
first use of each term becomes a ``:term:`` reference to its entry, without any edit to the page's source. It runs
when the document has been read (``doctree-read``), after every transform, Sphinx's i18n transform included, so a
Dutch edition built with ``language = "nl"`` and gettext catalogues is linked in Dutch. It matches:

- in the page's own text, the term's forms in the page language (``glossary.TermFinder``);
- in a quotation marked with another language (``[*Berufsschule*]{.lang-de}``, see ``helpers.sphinx_lang``), the
  term's forms in *that* language: a Dutch or German source term is the very word the glossary explains, so it is
  linked too (the link keeps the span's ``lang``);

and never inside a heading (titles, rubrics), code (literals, code blocks, raw HTML, maths), an existing link or
reference, a glued value (``{glue:text}``: numbers and data-built text are the data's, not the page's prose), the
glossary itself, or a form glued to a letter or digit (``BBL3``). Each term is linked once per page, at its first
linkable use; the links are ordinary references, so a term missing from the glossary is a Sphinx warning.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from babel import Locale
from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.domains.std import Glossary
from sphinx.util.docutils import SphinxDirective

from . import glossary
from .sphinx_lang import lang_span, language_of

#: Elements whose text is never linked (see the module's docstring).
SKIPPED_ELEMENTS = (
    nodes.title,
    nodes.subtitle,
    nodes.rubric,
    nodes.literal,
    nodes.literal_block,
    nodes.raw,
    nodes.math,
    nodes.math_block,
    nodes.reference,
    nodes.target,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.comment,
    nodes.field_name,
    nodes.image,
    nodes.problematic,
    nodes.system_message,
    nodes.substitution_definition,
    nodes.term,
    addnodes.pending_xref,
    addnodes.download_reference,
    addnodes.glossary,
    addnodes.toctree,
    addnodes.desc_signature,
)
#: Classes of elements whose text is never linked: values pasted by myst-nb's ``{glue:text}`` and ``{glue:md}``.
SKIPPED_CLASSES = frozenset({"pasted-text", "pasted-inline"})
#: The class of the links this extension writes (for styles and tests).
LINK_CLASS = "glossary-link"
#: The report's sections, read from the folder of the glossary data.
SECTIONS_FILE = "report_sections.csv"
#: The words before the report's sections that use a term, or for a term the report does not use, per language.
IN_THE_REPORT = {
    "en": ("In the report: ", "Not in the report: a term of this edition."),
    "nl": ("In het rapport: ", "Niet in het rapport: een term van deze editie."),
}


def _glossary_file(config, confdir: str) -> Path:
    """The glossary data: config value ``glossary_data`` (relative to the configuration's folder), or the package's."""
    if config.glossary_data:
        return Path(confdir) / config.glossary_data
    return glossary.default_path()


def _entries(app) -> list[glossary.Entry]:
    """The glossary's entries, read once per build (and again when the file changes)."""
    path = _glossary_file(app.config, app.confdir)
    stamp = (str(path), path.stat().st_mtime_ns)
    cached = getattr(app, "_regbook_glossary", None)
    if cached is None or cached[0] != stamp:
        cached = (stamp, glossary.entries(path))
        app._regbook_glossary = cached
    return cached[1]


def _language_names(language: str) -> dict[str, str]:
    """The names of the glossary's languages in ``language`` (from babel's CLDR data: 'German', 'Duits')."""
    names = Locale.parse(language).languages
    return {code: names[code] for code in glossary.TERM_LANGUAGES}


def _other_forms(entry: glossary.Entry, language: str) -> nodes.paragraph:
    """'Dutch: *duale opleiding*; German: *duale Ausbildung*', each form marked with its language."""
    names = _language_names(language)
    paragraph = nodes.paragraph(classes=["glossary-forms"])
    others = [code for code in glossary.TERM_LANGUAGES if code != language]
    for position, code in enumerate(others):
        if position:
            paragraph += nodes.Text("; ")
        paragraph += nodes.Text(f"{names[code].capitalize()}: ")
        word = lang_span("", "", nodes.emphasis(text=entry.headwords[code]), classes=[f"lang-{code}"])
        word["lang"] = code
        paragraph += word
    return paragraph


def _in_the_report(entry: glossary.Entry, language: str, headings: dict[str, dict[str, str]]) -> nodes.paragraph:
    """'In the report: ‘Other systems of vocational education in Germany’; ...' (headings in the page language)."""
    used, unused = IN_THE_REPORT[language]
    paragraph = nodes.paragraph(classes=["glossary-report"])
    if not entry.report_sections:
        paragraph += nodes.Text(unused)
        return paragraph
    titles = [f"‘{headings[section][language]}’" for section in entry.report_sections]
    paragraph += nodes.Text(used + "; ".join(titles) + ".")
    return paragraph


def _untranslatable(tree: nodes.Element) -> None:
    """Keep generated text out of the page catalogues (Sphinx skips a block marked ``translatable = False``; an
    inline element is never offered, and one that carries the attribute at all is unwrapped by Sphinx's i18n)."""
    for element in tree.findall(nodes.TextElement):
        if not isinstance(element, nodes.Inline):
            element["translatable"] = False


class DataGlossary(SphinxDirective):
    """``{data-glossary}``: Sphinx's ``glossary`` directive, its entries generated from the glossary data."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        path = _glossary_file(self.config, self.env.app.confdir)
        self.env.note_dependency(str(path))
        language = glossary.definition_language(self.config.language)
        entries = _entries(self.env.app)
        source = str(path)
        content = StringList()
        for number, entry in enumerate(entries):
            content.append(entry.headword(language), source, number)
            content.append("   " + entry.definition(language), source, number)
            content.append("", source, number)
        directive = Glossary(
            "glossary",
            [],
            {"sorted": None},
            content,
            self.lineno,
            self.content_offset,
            self.block_text,
            self.state,
            self.state_machine,
        )
        result = directive.run()
        sections = path.parent / SECTIONS_FILE
        self.env.note_dependency(str(sections))
        headings = glossary.section_headings(sections)
        by_headword = {entry.headword(language): entry for entry in entries}
        for item in result[0].findall(nodes.definition_list_item):
            entry = by_headword[item[0].astext()]
            item[-1] += _other_forms(entry, language)
            item[-1] += _in_the_report(entry, language, headings)
            item["ids"].append(f"glossary-{entry.term_id}")
        for tree in result:
            _untranslatable(tree)
        return result


def _quote_language(text: nodes.Text) -> str | None:
    """The language of the text's place on the page: '' for the page's own, a code inside a marked quotation,
    None where it is never linked."""
    quote = ""
    parent = text.parent
    while parent is not None:
        if isinstance(parent, SKIPPED_ELEMENTS) or SKIPPED_CLASSES & set(parent.get("classes", [])):
            return None
        if not quote:
            quote = parent.get("lang") or language_of(parent.get("classes", [])) or ""
        parent = parent.parent
    return quote


def _reference(text: str, entry: glossary.Entry, language: str, docname: str) -> addnodes.pending_xref:
    """A ``:term:`` reference to the entry's headword in the page language, showing ``text``."""
    shown = nodes.inline(text, text, classes=["xref", "std", "std-term", LINK_CLASS])
    return addnodes.pending_xref(
        "",
        shown,
        refdomain="std",
        reftype="term",
        reftarget=entry.headword(language),
        refexplicit=True,
        refwarn=True,
        refdoc=docname,
    )


def link_first_uses(app, doctree: nodes.document) -> None:
    """``doctree-read``: link the first linkable use of each term on the page (see the module's docstring)."""
    env = app.env
    if app.config.glossary_page not in env.found_docs:
        return
    env.note_dependency(str(_glossary_file(app.config, app.confdir)))
    page_language = glossary.definition_language(app.config.language)
    entries = _entries(app)
    finders = {code: glossary.TermFinder(entries, code) for code in glossary.TERM_LANGUAGES}
    linked: set[str] = set()
    for text in list(doctree.findall(nodes.Text)):
        quote = _quote_language(text)
        if quote is None:
            continue
        finder = finders.get((quote or page_language).split("-")[0])
        if finder is None:
            continue
        value, pieces, done = str(text), [], 0
        for start, end, entry in finder.find(value):
            if entry.term_id in linked:
                continue
            linked.add(entry.term_id)
            pieces += [nodes.Text(value[done:start]), _reference(value[start:end], entry, page_language, env.docname)]
            done = end
        if pieces:
            pieces.append(nodes.Text(value[done:]))
            text.parent.replace(text, [piece for piece in pieces if not isinstance(piece, nodes.Text) or str(piece)])


def code_version() -> str:
    """A digest of this extension's code and the glossary module's: a config value, so that Sphinx reads every page
    again when either changes (it re-reads pages whose configuration changed, not those whose extensions did)."""
    digest = hashlib.sha256()
    for module in (__file__, glossary.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:16]


def setup(app):
    app.setup_extension("helpers.sphinx_lang")
    app.add_config_value("glossary_code_version", code_version(), "env", [str])
    app.add_config_value("glossary_data", "", "env", [str])
    app.add_config_value("glossary_page", "chapters/appendix_glossary", "env", [str])
    app.add_directive("data-glossary", DataGlossary)
    app.connect("doctree-read", link_first_uses)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
