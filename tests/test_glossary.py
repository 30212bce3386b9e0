"""The glossary: its data (helpers.glossary, data/glossary.csv) and the Sphinx extension (helpers.sphinx_glossary)
that renders it and links the first use of each term, tried on tiny Sphinx projects in English and in Dutch."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import sphinx.locale
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from helpers import data, glossary, paths

# --- the data ---------------------------------------------------------------------------------------------------

#: The terms issue 33 names (chapter 5's institutions and the report's statistical words), by Dutch headword form.
REQUIRED = {
    "dual_training": ("dual training", "duale opleiding", "duale Ausbildung"),
    "berufsschule": (None, None, "Berufsschule"),
    "kammer": (None, None, "Kammer"),
    "roc": None,
    "mbo": None,
    "bbl": None,
    "bol": None,
    "corop": None,
    "nuts": None,
    "beroepsbevolking": None,
    "bedrijfstak": None,
    "triple_helix": None,
    "brainport": None,
}


def test_the_glossary_has_the_required_terms_in_three_languages_and_two_definitions():
    by_id = {entry.term_id: entry for entry in glossary.entries()}
    assert set(REQUIRED) <= set(by_id)
    for term_id, expected in REQUIRED.items():
        entry = by_id[term_id]
        assert all(entry.headwords[lang] for lang in ("en", "nl", "de"))
        assert entry.definitions["en"] != entry.definitions["nl"]
        if expected:
            for lang, word in zip(("en", "nl", "de"), expected):
                assert word is None or entry.headwords[lang] == word
    assert by_id["beroepsbevolking"].headwords["nl"] == "beroepsbevolking"
    assert "IHK" in by_id["kammer"].all_forms("de") and "Handwerkskammer" in by_id["kammer"].all_forms("de")


def test_every_term_says_where_the_report_uses_it_or_that_it_does_not():
    frame = data.load("glossary")
    sections = set(data.load("report_sections")["section_id"])
    for row in frame.to_dict("records"):
        if isinstance(row["report_sections"], str):
            assert set(row["report_sections"].split(";")) <= sections, row["term_id"]
            assert isinstance(row["report_wording"], str)
        else:
            assert "Not in the report" in row["note"], row["term_id"]
    # the report never writes COROP or NUTS (checked against its text): the edition's terms for region files
    not_in_report = set(frame.loc[frame["report_sections"].isna(), "term_id"])
    assert {"corop", "nuts"} <= not_in_report and "mbo" not in not_in_report


def test_the_glossary_is_described_in_the_data_package():
    prov = data.provenance("glossary")
    assert prov.report_location and prov.original_source and prov.path.name == "glossary.csv"


@pytest.fixture
def glossary_copy(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    monkeypatch.setattr(paths, "DATA_DIR", target)
    return target / "glossary.csv"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_empty_form_is_rejected_with_its_line(glossary_copy):
    _edit(glossary_copy, "ROC;ROCs;ROC's", "ROC;;ROC's")
    with pytest.raises(
        data.DataError, match=r"glossary.csv, line 5, column forms_en: .*separated by ';' with no empty form"
    ):
        glossary.entries(glossary_copy)


def test_a_term_without_a_place_in_the_report_must_say_where_the_book_uses_it(glossary_copy):
    _edit(
        glossary_copy,
        '"Not in the report: the book uses it for region files (helpers fetch cbs, data/corop_regions.csv)."',
        "",
    )
    with pytest.raises(data.DataError, match="says in note where the book uses it"):
        data.load("glossary")


def test_a_duplicate_headword_is_rejected(glossary_copy):
    _edit(glossary_copy, "bol,school-based route (BOL),", "bol,work-based route (BBL),")
    with pytest.raises(data.DataError, match="term_en"):
        data.load("glossary")


# --- finding terms in text ----------------------------------------------------------------------------------------


def _found(text: str, language: str) -> list[tuple[str, str]]:
    finder = glossary.TermFinder(glossary.entries(), language)
    return [(text[start:end], entry.term_id) for start, end, entry in finder.find(text)]


def test_terms_are_found_as_whole_words_never_glued_to_a_digit_or_letter():
    assert _found("BOL/BBL3 and MBOs, but BBL-ers and ROC's.", "nl") == [
        ("BOL", "bol"),
        ("BBL-ers", "bbl"),
        ("ROC's", "roc"),
    ]


def test_lower_case_forms_match_a_capital_first_letter_and_abbreviations_only_as_written():
    assert _found("Duale opleiding, bol and Bol, BOL.", "nl") == [("Duale opleiding", "dual_training"), ("BOL", "bol")]


def test_the_longest_form_wins_and_each_language_has_its_own_forms():
    assert _found("chambers of commerce and the labour force", "en") == [
        ("chambers of commerce", "kammer"),
        ("labour force", "beroepsbevolking"),
    ]
    assert _found("de beroepsbevolking", "en") == []
    assert _found("duale Berufsausbildung in der Berufsschule", "de") == [
        ("duale Berufsausbildung", "dual_training"),
        ("Berufsschule", "berufsschule"),
    ]


def test_a_page_language_without_definitions_falls_back_to_english():
    assert [glossary.definition_language(x) for x in ("nl", "nl_NL", "en", "de", None)] == [
        "nl",
        "nl",
        "en",
        "en",
        "en",
    ]


# --- the Sphinx extension, on tiny projects ------------------------------------------------------------------------

PAGE = """# Over het mbo

Het mbo kent twee leerwegen, BOL en BBL; het mbo is groot. De combinatie BOL/BBL3 telt niet. `ROC` is code,
[een ROC](https://example.org) een link en [NUTS]{.pasted-text} een gelijmde waarde. In Duitsland de
[*Berufsschule*]{.lang-de} en de [*Kammer*]{.lang-de}.

English paragraph about the labour force.

## De beroepsbevolking en COROP

Tekst over COROP.
"""

#: The English paragraph of PAGE in Dutch, as a translator's catalogue has it: the links must follow the translation.
CATALOGUE = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "English paragraph about the labour force."
msgstr "Een alinea over de beroepsbevolking en de bedrijfstak."
"""


def _project(root: Path, language: str, with_glossary: bool = True) -> Path:
    (root / "locales" / "nl" / "LC_MESSAGES").mkdir(parents=True)
    (root / "locales" / "nl" / "LC_MESSAGES" / "page.po").write_text(CATALOGUE, encoding="utf-8")
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "helpers.sphinx_glossary"]\n'
        f'language = "{language}"\nglossary_page = "glossary"\nmyst_enable_extensions = ["attrs_inline"]\n'
        'locale_dirs = ["locales"]\n',
        encoding="utf-8",
    )
    pages = "page\nglossary" if with_glossary else "page"
    (root / "index.md").write_text(f"# Book\n\n```{{toctree}}\n{pages}\n```\n", encoding="utf-8")
    (root / "page.md").write_text(PAGE, encoding="utf-8")
    if with_glossary:
        (root / "glossary.md").write_text("# Glossary\n\n```{data-glossary}\n```\n", encoding="utf-8")
    return root


def _build(root: Path) -> tuple[Path, str]:
    """Build the project's HTML (warnings turned into errors); return the output folder and the warnings."""
    import io

    warnings = io.StringIO()
    _sphinx(root, warnings, warningiserror=True)
    return root / "_build", warnings.getvalue()


def _sphinx(root: Path, warnings=None, **options) -> Sphinx:
    """Build the project in this process, its node registrations and message catalogues undone afterwards (as
    sphinx.testing does: Sphinx keeps a catalogue loaded for one project's language for the next project)."""
    sphinx.locale.translators.clear()
    with docutils_namespace():
        app = Sphinx(
            str(root),
            str(root),
            str(root / "_build"),
            str(root / "_build" / ".doctrees"),
            "html",
            status=None,
            warning=warnings,
            freshenv=True,
            **options,
        )
        app.build()
    sphinx.locale.translators.clear()
    return app


def _links(html: str) -> list[tuple[str, str]]:
    """(target, shown text) of each glossary link on a page."""
    return re.findall(r'<a class="reference internal" href="([^"]+)"><span class="[^"]*glossary-link">([^<]+)<', html)


def test_in_a_dutch_edition_the_first_use_of_each_term_links_to_the_dutch_glossary(tmp_path):
    out, warnings = _build(_project(tmp_path, "nl"))
    assert warnings == ""
    page = (out / "page.html").read_text(encoding="utf-8")
    glossary_page = (out / "glossary.html").read_text(encoding="utf-8")
    links = _links(page)
    # once per term, in reading order; not in the heading, the code, the link or the glued value; not BBL3;
    # the German quotations linked through their German forms; the translated paragraph linked in Dutch
    assert [text for _, text in links] == [
        "mbo",
        "BOL",
        "BBL",
        "Berufsschule",
        "Kammer",
        "beroepsbevolking",
        "bedrijfstak",
        "COROP",
    ]
    for target, _ in links:
        anchor = target.split("#")[1]
        assert target.startswith("glossary.html#") and f'id="{anchor}"' in glossary_page
    assert dict((text, target) for target, text in links)["mbo"] == "glossary.html#term-mbo-middelbaar-beroepsonderwijs"
    assert "English paragraph" not in page
    heading = re.search(r"<h2>.*?</h2>", page, re.S).group(0)
    assert "glossary-link" not in heading and "reference internal" not in re.sub(r'class="headerlink"', "", heading)
    # the German words keep their language around the link
    assert re.search(r'<span class="lang-de" lang="de"><em><a [^>]*><span [^>]*glossary-link">Berufsschule<', page)


def test_the_glossary_page_is_sphinxs_glossary_in_the_page_language(tmp_path):
    out, _ = _build(_project(tmp_path, "nl"))
    page = (out / "glossary.html").read_text(encoding="utf-8")
    assert page.count('<dl class="glossary">') == 1
    entries = glossary.entries()
    terms = re.findall(r'<dt id="term-[^"]*">([^<]+)<', page)
    assert terms == sorted((entry.headwords["nl"] for entry in entries), key=str.lower)
    dual = next(entry for entry in entries if entry.term_id == "dual_training")
    assert dual.definitions["nl"] in page and dual.definitions["en"] not in page
    assert (
        'Engels: <span class="lang-en" lang="en"><em>dual training</em></span>; '
        'Duits: <span class="lang-de" lang="de"><em>duale Ausbildung</em></span>'
    ) in page
    # where the report uses it, by the report's own section headings (data/report_sections.csv)
    assert (
        "In het rapport: ‘Ander systemen van beroepsonderwijs in Duitsland’; ‘Ander systemen van "
        "sociaal-economische sturing in Duitsland’."
    ) in page


def test_an_english_page_links_english_forms_and_german_quotations(tmp_path):
    out, warnings = _build(_project(tmp_path, "en"))
    assert warnings == ""
    page = (out / "page.html").read_text(encoding="utf-8")
    # abbreviations are English forms too; the Dutch-only words (beroepsbevolking) are not
    assert [text for _, text in _links(page)] == [
        "mbo",
        "BOL",
        "BBL",
        "Berufsschule",
        "Kammer",
        "labour force",
        "COROP",
    ]
    glossary_page = (out / "glossary.html").read_text(encoding="utf-8")
    assert '<dt id="term-dual-training">dual training' in glossary_page
    assert "Dutch: " in glossary_page and "German: " in glossary_page
    assert "In the report: ‘Other systems of vocational education in Germany’; " in glossary_page
    assert glossary_page.count("Not in the report: a term of this edition.") == 3  # COROP, NUTS, location quotient


def test_without_a_glossary_page_nothing_is_linked_and_nothing_warns(tmp_path):
    out, warnings = _build(_project(tmp_path, "nl", with_glossary=False))
    assert warnings == "" and "glossary-link" not in (out / "page.html").read_text(encoding="utf-8")


def test_the_generated_glossary_is_not_offered_to_translators(tmp_path):
    from sphinx.util.nodes import extract_messages

    app = _sphinx(_project(tmp_path, "en"))
    doctree = app.env.get_doctree("glossary")
    messages = [message for _, message in extract_messages(doctree)]
    assert messages == ["Glossary"]


# --- the book -------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_books_glossary_links_resolve_and_link_each_term_once_per_page(built_books):
    build_dir, _ = built_books
    html = build_dir / "html"
    glossary_page = (html / "chapters" / "appendix_glossary.html").read_text(encoding="utf-8")
    found = {}
    for page in sorted((html / "chapters").glob("*.html")):
        links = _links(page.read_text(encoding="utf-8"))
        targets = [target for target, _ in links]
        assert len(targets) == len(set(targets)), page.name
        for target, _ in links:
            file, anchor = target.split("#")
            assert file == "appendix_glossary.html" and f'id="{anchor}"' in glossary_page, (page.name, target)
        found[page.stem] = [text for _, text in links]
    assert {"dual learning", "Berufsschule"} <= set(found["ch5_germany"])
    assert {"BOL", "BBL"} <= set(found["ch4_vocational"])
