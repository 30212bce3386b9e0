"""The book's editions in other languages than English: their catalogues, staged configuration and links.

The pages are translated by Sphinx's own i18n (``locale_dirs``, one catalogue per page: ``gettext_compact`` off),
from ``locales/<language>/LC_MESSAGES/<page>.po``, kept with ``sphinx-intl`` (``make catalogues``). The texts of
the book's configuration that are no page's (the title, the footer, the table of contents' captions, the PDF's
title page) are in the catalogue ``book.po`` beside them, and staged into the configuration of the edition
(``staged_config``). Each staged edition gets its catalogues compiled (``.mo``), written only when they change, so
that Sphinx re-reads only the pages whose translation changed.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from helpers import paths

from .layout import LANGUAGES

#: The folder of the catalogues, relative to the project (Sphinx's ``locale_dirs``).
LOCALE_DIR = "locales"
#: The catalogue of the configuration's texts (no page's).
BOOK_DOMAIN = "book"
#: Each language's name in itself: the text of the link to that edition.
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}
#: Each edition's folder relative to the English edition's (``regbook.layout.Layout.base``); its site is the
#: ``html`` folder in it.
EDITION_FOLDER = {"en": "", "nl": "nl/"}
#: The Sphinx extension that translates glued values, reports missing translations and links the editions.
EXTENSION = "regbook.sphinx_i18n"
#: Where the compile leaves the missing translations (``sphinx_i18n``), relative to Jupyter Book's ``_build``.
UNTRANSLATED_FILE = "untranslated.json"

_CODE_OR_ROLE = re.compile(r"\{[^}`]+\}`[^`]*`|`[^`]*`|<[^>]+>|https?://\S+")
_WORD = re.compile(r"[^\W\d_]{2,}")


def needs_translation(message: str) -> bool:
    """True when a page's message has words to translate: letters outside inline code, roles, tags and links
    (a table cell holding a number or a chapter's file name has none)."""
    return bool(_WORD.search(_CODE_OR_ROLE.sub(" ", message)))


def catalogue_folder(language: str, root: Path | None = None) -> Path:
    """``locales/<language>/LC_MESSAGES`` of the project."""
    return (root or paths.ROOT) / LOCALE_DIR / language / "LC_MESSAGES"


def read_catalogue(po_file: Path):
    """A ``.po`` file as babel's ``Catalog``."""
    from babel.messages.pofile import read_po

    with open(po_file, "rb") as handle:
        return read_po(handle)


def compiled(po_bytes: bytes) -> bytes:
    """A catalogue compiled as Sphinx reads it (``.mo``): fuzzy and empty translations left out, so that they show
    as missing."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    out = io.BytesIO()
    write_mo(out, read_po(io.BytesIO(po_bytes)), use_fuzzy=False)
    return out.getvalue()


def staged_catalogues(language: str) -> dict[str, bytes]:
    """Each catalogue of ``language`` and its compiled form, by its path in the staged book."""
    files: dict[str, bytes] = {}
    if language == LANGUAGES[0]:
        return files
    folder = catalogue_folder(language)
    for po_file in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
        name = po_file.relative_to(paths.ROOT).as_posix()
        data = po_file.read_bytes()
        files[name] = data
        files[name[:-3] + ".mo"] = compiled(data)
    return files


@lru_cache(maxsize=8)
def _book_messages(language: str, po_bytes: bytes) -> dict[str, str]:
    from babel.messages.pofile import read_po

    catalogue = read_po(io.BytesIO(po_bytes))
    return {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}


def book_messages(language: str) -> dict[str, str]:
    """The translated texts of the configuration, English -> ``language`` (fuzzy and empty ones left out)."""
    po_file = catalogue_folder(language) / f"{BOOK_DOMAIN}.po"
    if language == LANGUAGES[0] or not po_file.is_file():
        return {}
    return _book_messages(language, po_file.read_bytes())


def translate(text: str, language: str) -> str:
    """``text`` (a configuration's text, in English) in ``language``; as it is when not translated (the
    completeness test and ``untranslated_config`` report it)."""
    return book_messages(language).get(text, text) if language != LANGUAGES[0] else text


def _squeezed(text: str) -> str:
    return " ".join(str(text).split())


def config_texts(config: dict, toc: dict) -> list[str]:
    """The texts of ``_config.yml`` and ``_toc.yml`` a reader sees (title, footer, part captions), in order."""
    texts = [_squeezed(config.get(key, "")) for key in ("title", "author")]
    texts.append(_squeezed((config.get("html") or {}).get("extra_footer", "")))
    texts += [_squeezed(part["caption"]) for part in toc.get("parts", []) if part.get("caption")]
    return [t for t in texts if t]


#: Jupyter Book's text in the search box (``html_theme_options.search_bar_text``), which it sets itself.
SEARCH_BAR_TEXT = "Search this book..."
#: Texts the build writes itself, besides the configuration's: the search box's and the PDF's title page.
BUILD_TEXTS = (
    SEARCH_BAR_TEXT,
    "Focus region: {focus}.",
    "all six study regions (no focus region)",
    "Data version: {version}.",
    "A reproducible edition of J.P. van den Toren and H. Blom, {title} (Nationaal Economisch Forum, 2016).",
    "Contents",
)


def book_texts(root: Path | None = None) -> list[str]:
    """Every text ``book.po`` must translate: the configuration's and ``BUILD_TEXTS``."""
    import yaml

    root = root or paths.ROOT
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [*config_texts(config, toc), *BUILD_TEXTS]


def untranslated_config(language: str) -> list[str]:
    """The texts of ``book_texts`` that ``book.po`` does not translate into ``language``."""
    if language == LANGUAGES[0]:
        return []
    known = book_messages(language)
    return [text for text in book_texts() if text not in known]


def editions_config(language: str) -> list[list[str]]:
    """The other editions, for the edition switch of ``language``'s pages: [language, its name, its site's
    folder relative to this edition's site folder]."""
    to_english = "../" * (1 + EDITION_FOLDER[language].count("/"))  # out of html/, then out of the edition's folder
    return [
        [other, LANGUAGE_NAMES[other], f"{to_english}{EDITION_FOLDER[other]}html/"]
        for other in LANGUAGES
        if other != language
    ]


def staged_config(config: dict, language: str) -> dict:
    """``_config.yml`` of ``language``'s edition: the edition's Sphinx language, catalogues and extension, and the
    configuration's texts translated (``book.po``)."""
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    if "extensions" in sphinx:  # the book lists its extensions: the edition's goes with them
        extensions = sphinx["extensions"]
    else:  # Jupyter Book's defaults, and this one
        extensions = config["sphinx"].setdefault("extra_extensions", [])
    if EXTENSION not in extensions:
        extensions.append(EXTENSION)
    sphinx["regbook_editions"] = editions_config(language)
    if language == LANGUAGES[0]:
        return config
    sphinx.update(language=language, locale_dirs=[f"{LOCALE_DIR}/"], gettext_compact=False, gettext_auto_build=False)
    for key in ("title", "author"):
        if config.get(key):
            config[key] = translate(_squeezed(config[key]), language)
    sphinx.setdefault("html_theme_options", {})["search_bar_text"] = translate(SEARCH_BAR_TEXT, language)
    html = config.get("html") or {}
    if html.get("extra_footer"):
        html["extra_footer"] = translate(_squeezed(html["extra_footer"]), language)
    return config


def staged_toc(toc: dict, language: str) -> dict:
    """``_toc.yml`` with its part captions in ``language``."""
    for part in toc.get("parts", []):
        if part.get("caption"):
            part["caption"] = translate(_squeezed(part["caption"]), language)
    return toc
