"""``make catalogues``: extract the pages' messages from the staged English book and update the catalogues.

The English book is built first (``python -m helpers build``), so that its staged copy (``_build/.staging/default``)
holds every page as Sphinx reads it. A copy of it is compiled with Sphinx's ``gettext`` builder (one template per
page: ``gettext_compact`` off; no source lines, which would change with every edit); messages with nothing to
translate (a number, a chapter's file name in code) are dropped; ``book.pot`` gets the configuration's texts
(``regbook.editions.book_texts``); then ``sphinx-intl update`` merges each template into
``locales/<language>/LC_MESSAGES`` (a changed message becomes fuzzy, a removed one obsolete). Translators then fill
in the ``msgstr`` of each ``.po`` file with any gettext tool.

Run as ``python -m regbook.catalogues [--language nl]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from helpers import paths

from . import editions
from .compile import _jupyter_book, executes, skipped_modules
from .layout import LANGUAGES, Layout


def _messages_to_translate(pot_file: Path) -> None:
    """Rewrite a template without the messages that have nothing to translate (``editions.needs_translation``)."""
    from babel.messages.pofile import read_po, write_po

    with open(pot_file, "rb") as handle:
        catalogue = read_po(handle)
    for message in list(catalogue):
        if message.id and not editions.needs_translation(message.id):
            del catalogue[message.id]
    with open(pot_file, "wb") as handle:
        write_po(handle, catalogue, width=120, omit_header=False, sort_output=False, no_location=True)


def _book_template(pot_dir: Path) -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalogue = Catalog(project="Regional dynamics and vocational education", fuzzy=False)
    for text in editions.book_texts():
        catalogue.add(text)
    target = pot_dir / f"{editions.BOOK_DOMAIN}.pot"
    with open(target, "wb") as handle:
        write_po(handle, catalogue, width=120, no_location=True)
    return target


def extract(work: Path) -> Path:
    """The templates (``.pot``) of the staged English book's pages and of ``book.pot``, in ``work/gettext``."""
    staged = Layout("default").staging
    if not (staged / "_config.yml").is_file():
        raise SystemExit(f"error: no staged English book in {staged}: run `python -m helpers build` first")
    book = work / "book"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(staged, book)
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["config"].update(gettext_compact=False, gettext_location=False, gettext_uuid=False)
    (book / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    argv = [
        "build",
        str(book),
        "--path-output",
        str(work),
        "--builder",
        "custom",
        "--custom-builder",
        "gettext",
        "--quiet",
    ]
    code, output = _jupyter_book(argv, work, skipped_modules(book), executes(book))
    pot_dir = work / "_build" / "gettext"
    if code != 0 or not pot_dir.is_dir():
        raise SystemExit(f"error: extracting the messages failed:\n{output}")
    for pot_file in pot_dir.rglob("*.pot"):
        _messages_to_translate(pot_file)
    _book_template(pot_dir)
    return pot_dir


def update(pot_dir: Path, language: str) -> None:
    """Merge the templates into ``locales/<language>/LC_MESSAGES`` with ``sphinx-intl``."""
    locales = paths.ROOT / editions.LOCALE_DIR
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx_intl",
            "update",
            "--pot-dir",
            str(pot_dir),
            "--locale-dir",
            str(locales),
            "--language",
            language,
            "--line-width",
            "120",
        ],
        check=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regbook.catalogues", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--language",
        action="append",
        choices=LANGUAGES[1:],
        help="the catalogues to update (default: every language's)",
    )
    args = parser.parse_args(argv)
    pot_dir = extract(paths.BUILD_DIR / ".gettext")
    for language in args.language or LANGUAGES[1:]:
        update(pot_dir, language)
    return 0


if __name__ == "__main__":
    sys.exit(main())
