"""The glossary (``data/glossary.csv``): the report's terms in English, Dutch and German, and how to find them in text.

``entries()`` reads and validates the dataset (its schema comes from ``data/datapackage.json``);
``TermFinder`` finds the forms of the terms in a text of one language, as whole words: a form glued to a letter or
a digit (``BBL3``, ``mbos``) is not a use of the term, a form followed by a hyphen or an apostrophe
(``BBL-opleiding``, ``ROC's``) is. A form written in lower case also matches with a capital first letter (at the
start of a sentence); one with capitals matches only as written (``BOL`` is not ``bol``).

The Sphinx extension ``helpers.sphinx_glossary`` renders the glossary page and links the first use of each term.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import paths

#: The languages with a headword and forms per term; definitions exist in ``DEFINITION_LANGUAGES``.
TERM_LANGUAGES = ("en", "nl", "de")
DEFINITION_LANGUAGES = ("en", "nl")
#: The language of a page whose language has no definitions (e.g. German): English.
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Entry:
    """One term: its headword and further forms per language, and its definition per language."""

    term_id: str
    headwords: dict[str, str]
    forms: dict[str, tuple[str, ...]]
    definitions: dict[str, str]
    #: Where the report uses the term: section ids of ``report_sections`` (none for the edition's own terms).
    report_sections: tuple[str, ...] = ()

    def headword(self, language: str) -> str:
        """The term's title in ``language`` (a language without definitions falls back to English)."""
        return self.headwords[definition_language(language)]

    def definition(self, language: str) -> str:
        return self.definitions[definition_language(language)]

    def all_forms(self, language: str) -> tuple[str, ...]:
        """Every form matched in a text in ``language``: the headword first, then the further forms."""
        if language not in self.headwords:
            return ()
        return tuple(dict.fromkeys((self.headwords[language], *self.forms[language])))


def definition_language(language: str | None) -> str:
    """The language a page in ``language`` (a Sphinx ``language`` value: 'nl', 'nl_NL', 'en') shows definitions in."""
    code = (language or FALLBACK_LANGUAGE).split("_")[0].split("-")[0].lower()
    return code if code in DEFINITION_LANGUAGES else FALLBACK_LANGUAGE


def _split_forms(cell) -> tuple[str, ...]:
    return tuple(form for form in str(cell).split(";") if form) if isinstance(cell, str) else ()


def entries(path: Path | str | None = None) -> list[Entry]:
    """The glossary's terms in the file's order, validated (``helpers.data.DataError`` names a bad file or cell).

    ``path`` defaults to the data package's ``glossary.csv``.
    """
    from . import data

    if path is None:
        frame = data.load("glossary")
    else:
        frame = data.load_file("glossary", path)
    return [
        Entry(
            term_id=row["term_id"],
            headwords={lang: row[f"term_{lang}"] for lang in TERM_LANGUAGES},
            forms={lang: _split_forms(row[f"forms_{lang}"]) for lang in TERM_LANGUAGES},
            definitions={lang: row[f"definition_{lang}"] for lang in DEFINITION_LANGUAGES},
            report_sections=_split_forms(row["report_sections"]),
        )
        for row in frame.to_dict("records")
    ]


def section_headings(path: Path | str) -> dict[str, dict[str, str]]:
    """The report's section headings by section id and language ('en', 'nl'), from a ``report_sections.csv``."""
    from . import data

    frame = data.load_file("report_sections", path)
    return {row["section_id"]: {"en": row["heading_en"], "nl": row["heading_nl"]} for row in frame.to_dict("records")}


def default_path() -> Path:
    """The data package's glossary file."""
    return Path(paths.DATA_DIR) / "glossary.csv"


def _pattern(form: str) -> str:
    """A regular expression for ``form`` as a whole word (see the module's docstring)."""
    head, rest = form[0], re.escape(form[1:])
    first = f"[{head}{head.upper()}]" if head.islower() else re.escape(head)
    return first + rest


class TermFinder:
    """Finds the glossary's terms in text of one language: ``find(text)`` yields ``(start, end, entry)``.

    Where forms overlap the longest wins (``BBL-ers`` before ``BBL``, ``chamber of commerce`` before ``chamber``).
    """

    def __init__(self, glossary: list[Entry], language: str):
        self.language = language
        self._entry_of: dict[str, Entry] = {}
        originals: dict[str, None] = {}
        for entry in glossary:
            for form in entry.all_forms(language):
                self._entry_of.setdefault(form.casefold(), entry)
                originals[form] = None
        alternatives = "|".join(_pattern(form) for form in sorted(originals, key=len, reverse=True))
        self._regex = re.compile(rf"(?<![\w-])(?:{alternatives})(?!\w)") if originals else None

    def find(self, text: str) -> Iterator[tuple[int, int, Entry]]:
        if self._regex is None:
            return
        for match in self._regex.finditer(text):
            yield match.start(), match.end(), self._entry_of[match.group(0).casefold()]
