"""The language of the strings the library builds (sentences, chart labels, table headers, captions).

A chapter sets it once, from its ``language`` parameter (``helpers.params``): ``i18n.use(language)``. Strings are
marked for translation with :func:`_` (one message) and :func:`ngettext` (singular and plural); a message built
at import time (a constant) is marked with :func:`N_` and translated where it is shown, with :func:`_`.

The catalogues are gettext ``.po`` files in the package (``helpers/locales/<language>/LC_MESSAGES/helpers.po``),
read at run time by babel (no compiled ``.mo`` file is kept); ``make catalogues-library`` extracts the messages
from ``src/helpers`` (``pybabel extract`` with ``babel.cfg``) and updates the catalogues. English is the source
language: its messages are shown as written.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

#: The languages of the book: English (the source of every message) and Dutch (the report's).
LANGUAGES = ("en", "nl")
DEFAULT = "en"
#: The gettext domain of the library's messages, and where its catalogues are.
DOMAIN = "helpers"
LOCALES = Path(__file__).parent / "locales"

_current = DEFAULT


#: The gettext domain of the data's reader-facing texts (the editors' English summaries of the report), translated
#: where they are shown (:func:`data_texts`); each message's context is ``<dataset>.<column>``.
DATA_DOMAIN = "data"
#: The datasets' columns of running text a reader sees (with the titles and report locations shown beside them), by
#: dataset (labels with a Dutch column of their own, such as ``sector_nl``, are chosen with :func:`column` instead).
DATA_TEXTS = {
    "case_studies": ("text_en",),
    "synthesis_points": ("title_en", "text_en"),
    "recommendations": ("theme", "text_en"),
    "institutional_comparison": ("aspect", "germany_en", "netherlands_en"),
    "research_questions": ("question_en", "answer_en", "report_location", "book_section"),
    "report_conclusions": ("statement_en", "report_location"),
    "key_figures": ("note",),
    "foreign_controlled_establishments": ("note",),
    "organisations": ("name", "kind_basis", "note"),
    "pavitt_types": ("label_en", "basis"),
    "region_cooperation": ("reading_note",),
    "claims": ("note",),
    "firm_identifications": ("reason",),
    "largest_employers": ("note",),
}
#: The fields of a dataset's provenance (``helpers.data.provenance``) the data appendix shows, translated with the
#: context ``datapackage.<dataset>.<field>`` (:func:`provenance_text`).
PROVENANCE_TEXTS = ("title", "report_location", "unit", "reference_period", "original_source")
#: The language the report is written in: where the book is in it, a quote of the report beside a text that says
#: the same thing in the same language is left out.
REPORT_LANGUAGE = "nl"


def catalogue_path(language: str, domain: str = DOMAIN) -> Path:
    """The ``.po`` file of ``language``'s messages of ``domain`` (the library's, or the data's texts)."""
    return LOCALES / language / "LC_MESSAGES" / f"{domain}.po"


@cache
def translations(language: str, domain: str = DOMAIN) -> NullTranslations:
    """The translations of ``language``, read from its ``.po`` file and compiled in memory (fuzzy entries are
    left out: an unchecked translation is not shown); English, the source language, translates nothing."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; valid: {', '.join(LANGUAGES)}")
    if language == DEFAULT:
        return NullTranslations()
    with catalogue_path(language, domain).open("rb") as po:
        catalog = read_po(po, locale=language, domain=domain, ignore_obsolete=True)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=domain)


def data_texts(frame, dataset: str):
    """A copy of ``frame`` (a dataset as ``helpers.data.load`` gives it) whose running texts (:data:`DATA_TEXTS`)
    are in the current language; the frame itself when there is nothing to translate."""
    columns = [c for c in DATA_TEXTS.get(dataset, ()) if c in frame.columns]
    if _current == DEFAULT or not columns:
        return frame
    frame = frame.copy()
    for name in columns:
        context = f"{dataset}.{name}"
        frame[name] = frame[name].map(lambda text, ctx=context: data_text(text, ctx))
    return frame


def data_text(text, context: str):
    """One of the data's texts (``context`` as in the data catalogue) in the current language; anything that is
    not a non-empty string (a missing cell) as it is."""
    if _current == DEFAULT or not isinstance(text, str) or not text:
        return text
    return translations(_current, DATA_DOMAIN).pgettext(context, text)


def provenance_text(provenance, field: str) -> str:
    """A field of a dataset's provenance (:data:`PROVENANCE_TEXTS`, from ``helpers.data.provenance``) in the current
    language."""
    return data_text(getattr(provenance, field), f"datapackage.{provenance.name}.{field}")


def data_template(data_dir: Path | None = None):
    """The data's reader-facing texts as a babel catalogue template: one message per distinct text, its context
    ``<dataset>.<column>`` (or ``datapackage.<dataset>.<field>`` for the provenance the data appendix shows, when
    the folder has a ``datapackage.json``), its location the file and line (``make catalogues-data`` writes it and
    updates the catalogues from it)."""
    import csv

    from babel.messages.catalog import Catalog

    from . import data, paths

    folder = Path(data_dir or paths.DATA_DIR)
    template = Catalog(project="regbook", domain=DATA_DOMAIN, charset="utf-8")
    for dataset, columns in DATA_TEXTS.items():
        with (folder / f"{dataset}.csv").open(encoding="utf-8", newline="") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                for name in columns:
                    if row.get(name):
                        template.add(row[name], context=f"{dataset}.{name}", locations=[(f"data/{dataset}.csv", line)])
    if (folder / "datapackage.json").exists():
        for dataset in data.list_datasets(folder):
            provenance = data.provenance(dataset, folder)
            for field in PROVENANCE_TEXTS:
                if getattr(provenance, field):
                    template.add(
                        getattr(provenance, field),
                        context=f"datapackage.{dataset}.{field}",
                        locations=[("data/datapackage.json", 0)],
                    )
    return template


def use(language: str) -> None:
    """Make ``language`` ('en' or 'nl') the language of every string the library builds from now on."""
    translations(language)  # read (and check) the catalogue now, not in the middle of a chapter
    global _current
    _current = language


def current() -> str:
    """The language the library writes in ('en' unless :func:`use` said otherwise)."""
    return _current


def _(message: str) -> str:
    """``message`` in the current language ('' stays '': gettext would give the catalogue's header)."""
    return translations(_current).gettext(message) if _current != DEFAULT and message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for ``n``, in the current language."""
    if _current == DEFAULT:
        return singular if n == 1 else plural
    return translations(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a marker)
    """Mark ``message`` for extraction without translating it (a constant, translated where it is shown)."""
    return message


def column(stem: str) -> str:
    """The data column of a label in the current language, for datasets that keep the report's Dutch words beside
    the English ones ('sector' -> 'sector_en' or 'sector_nl')."""
    return f"{stem}_nl" if _current == "nl" else f"{stem}_en"


#: A MyST notebook's code cell: its fence, options (``:tags: ...``) and source.
_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(?P<source>.*?)^```", re.MULTILINE | re.DOTALL)


def extract_myst(fileobj, keywords, comment_tags, options):
    """A babel extractor for the chapters (MyST notebooks, ``babel.cfg``): the messages of their code cells, with
    the line each is on in the ``.md`` file."""
    from babel.messages.extract import extract_python

    text = fileobj.read().decode("utf-8")
    for cell in _CODE_CELL.finditer(text):
        first_line = text.count("\n", 0, cell.start("source")) + 1
        lines = [line if not line.startswith(":") else "" for line in cell.group("source").splitlines()]
        source = io.BytesIO("\n".join(lines).encode("utf-8"))
        for lineno, funcname, message, comments in extract_python(source, keywords, comment_tags, options):
            yield first_line + lineno - 1, funcname, message, comments


@contextmanager
def using(language: str):
    """The library writes in ``language`` inside the ``with`` block and in the language it had before after it
    (for the build tool, which writes pages of both editions in one process)."""
    before = _current
    use(language)
    try:
        yield
    finally:
        use(before)
