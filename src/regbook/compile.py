"""Compiling a staged book with Jupyter Book and swapping the html in atomically."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from . import compile_server, tricks
from .layout import out_of_space
from .planning import Variant


def _jupyter_book(argv: list[str], workdir: Path, skip: tuple[str, ...], executes: bool) -> tuple[int, str]:
    """Run ``jupyter-book <argv>`` with the modules ``skip`` unimportable and the execution cache stood in for
    unless the book ``executes`` (``tricks.stand_in_execution_cache``): in the warm compile server when it can be
    reached and the book executes nothing, else as a command. Returns the exit status and the combined output.
    """
    if not executes:
        log = workdir / f".jupyter-book-{os.getpid()}-{threading.get_ident()}.log"
        try:
            code = compile_server.run(argv, str(log), str(workdir), skip_modules=skip)
            if code is not None:
                return code, log.read_text(errors="replace") if log.exists() else ""
        finally:
            log.unlink(missing_ok=True)
    setup = "" if executes else "from regbook import tricks; tricks.stand_in_execution_cache(); "
    main = (
        f"import sys; sys.modules.update(dict.fromkeys({skip!r})); {setup}"
        "sys.argv[0] = 'jupyter-book'; from jupyter_book.cli.main import main; sys.exit(main())"
    )
    proc = subprocess.run([sys.executable, "-c", main, *argv], capture_output=True, text=True)
    return proc.returncode, proc.stdout + "\n" + proc.stderr


def _book_config(book: Path) -> dict | None:
    """The book's ``_config.yml`` as read by Jupyter Book, {} when empty; None when it cannot be read."""
    import yaml

    try:
        return yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None


def skipped_modules(book: Path) -> tuple[str, ...]:
    """Modules a compile of ``book`` does without: the build's own (``tricks.skipped_modules``), and the
    social-card module when the book's ``_config.yml`` turns social cards off
    (``sphinx.config.ogp_social_cards.enable: false``; ``tricks.social_cards_skipped``)."""
    try:
        cards = ((_book_config(book).get("sphinx") or {}).get("config") or {}).get("ogp_social_cards") or {}
    except AttributeError:  # no configuration, or not a mapping where one belongs
        cards = {}
    return (*tricks.skipped_modules(), *tricks.social_cards_skipped(cards.get("enable")))


def executes(book: Path) -> bool:
    """True unless the book's ``_config.yml`` turns execution off (``execute.execute_notebooks: off``); an
    unreadable or missing file counts as executing (Jupyter Book's default is "auto"). Only a book that executes
    nothing compiles with the execution cache stood in for (``tricks.stand_in_execution_cache``), and in the warm
    server, which imports the stand-ins."""
    try:
        setting = (_book_config(book).get("execute") or {}).get("execute_notebooks", "auto")
    except AttributeError:
        return True
    return setting not in ("off", False)  # YAML 1.1 reads an unquoted off as False


def _sync_static(staged: Path, site: Path) -> None:
    """The book's own static files (``_static``: its CSS and JavaScript) as staged, in the compiled site. Sphinx
    copies them only when some page is out of date ("no targets are out of date" skips its finish), so a change to
    them alone would leave the site's copies stale."""
    if not staged.is_dir():
        return
    for source in sorted(staged.rglob("*")):
        target = site / source.relative_to(staged)
        if source.is_file() and (not target.is_file() or target.read_bytes() != source.read_bytes()):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def compile_site(variant: Variant, fingerprint: str, log: Callable[[str], None] = print) -> str:
    """Compile the staging book with Jupyter Book (execution off, -W -n --keep-going) and swap the html in.

    Returns "built"; "unchanged" (nothing compiled) when the staged content is that of the current site; or
    "failed", leaving the previous site untouched.
    """
    layout = variant.layout
    stamp = layout.html / ".build-fingerprint"
    if stamp.exists() and stamp.read_text() == fingerprint and (layout.html / "index.html").exists():
        return "unchanged"
    layout.jb_out.mkdir(parents=True, exist_ok=True)
    argv = ["build", str(layout.staging), "--path-output", str(layout.jb_out), "-W", "-n", "--keep-going", "--quiet"]
    returncode, output = _jupyter_book(argv, layout.jb_out, skipped_modules(layout.staging), executes(layout.staging))
    built = layout.jb_out / "_build" / "html"
    if returncode != 0 or not (built / "index.html").exists():
        # the next build must start clean (Sphinx would not re-emit the warnings of unchanged pages), and the space
        # Jupyter Book took is given back before its log is written
        shutil.rmtree(layout.jb_out, ignore_errors=True)
        full = out_of_space(output)
        log_file = layout.build / "failed" / variant.name / "jupyter-book.log"
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            log_file.write_text(output)
        except OSError:
            if not full:
                raise
        if full:  # the build's one line (regbook.driver), not Jupyter Book's traceback
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(layout.jb_out))
        tail = "\n".join(output.strip().splitlines()[-15:])
        log(f"Jupyter Book build failed for {variant.name}; full log: {log_file}\n{tail}")
        return "failed"
    _sync_static(layout.staging / "_static", built / "_static")
    layout.base.mkdir(parents=True, exist_ok=True)
    incoming = layout.base / ".html-incoming"
    shutil.rmtree(incoming, ignore_errors=True)
    _copy_site(built, layout.html, incoming)
    (incoming / ".build-fingerprint").write_text(fingerprint)
    replace_folder(incoming, layout.html)
    report_untranslated(variant, log)
    return "built"


#: Missing translations the build names one by one; the rest are counted (all are in the compile's list).
UNTRANSLATED_SHOWN = 20


def untranslated(variant: Variant) -> list[tuple[str, str]]:
    """(page, English text) of every text of ``variant``'s edition without a translation (missing, empty or
    fuzzy): its configuration's (``book.po``) and its pages' as the last compile found them."""
    from .editions import UNTRANSLATED_FILE, untranslated_config

    found = [("_config.yml", text) for text in untranslated_config(variant.language)]
    try:
        pages = json.loads((variant.layout.jb_out / "_build" / UNTRANSLATED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pages = {}
    return found + [(page, text) for page, texts in pages.items() for text in texts]


def report_untranslated(variant: Variant, log: Callable[[str], None]) -> None:
    """A warning line for each text of the edition shown in English for want of a translation."""
    if variant.language == "en":
        return
    missing = untranslated(variant)
    for page, text in missing[:UNTRANSLATED_SHOWN]:
        shown = text if len(text) <= 100 else text[:97] + "..."
        log(f"warning: {variant.name} ({variant.language}): {page}: not translated: {shown!r}")
    if len(missing) > UNTRANSLATED_SHOWN:
        log(
            f"warning: {variant.name} ({variant.language}): {len(missing) - UNTRANSLATED_SHOWN} more texts not "
            f"translated (`make catalogues`, then translate them in locales/{variant.language}/LC_MESSAGES)"
        )


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder ``new`` in the place of ``target`` (a site's ``html/`` or ``results/``): ``target`` is renamed
    to ``.<name>-outgoing`` beside it, ``new`` to ``target``, and the old one removed; between the two renames an
    interrupted build leaves the outgoing folder, which the next build renames back (``driver.recover``)."""
    outgoing = target.with_name(f".{target.name}-outgoing")
    shutil.rmtree(outgoing, ignore_errors=True)
    if target.exists():
        target.rename(outgoing)
    new.rename(target)
    shutil.rmtree(outgoing, ignore_errors=True)


def _copy_site(built: Path, current: Path, target: Path) -> None:
    """Copy the compiled site ``built`` to ``target``, linking instead of copying what the current site has as is.

    Sphinx rewrites only the pages that changed, and a copy keeps each file's modification time; a file of the
    current site with the size and modification time of the compiled one is the same file, and becomes a hard
    link to it. That is safe because no file of a site is ever written in place: a new site replaces the whole
    folder. Anything that cannot be linked is copied.
    """

    def copy(source: str, destination: str) -> str:
        previous = os.path.join(current, os.path.relpath(source, built))
        try:
            new, old = os.stat(source), os.stat(previous)
            if new.st_size == old.st_size and new.st_mtime_ns == old.st_mtime_ns:
                os.link(previous, destination)
                return destination
        except OSError:
            pass
        try:
            return shutil.copy2(source, destination)
        except OSError as exc:  # copytree would collect it and go on copying into a full disk
            raise _CopyStopped(exc) from None

    try:
        shutil.copytree(built, target, copy_function=copy)
    except _CopyStopped as stopped:
        raise stopped.args[0] from None
    except shutil.Error as exc:  # a folder's metadata: copytree's list of (source, target, reason) texts
        _, destination, why = exc.args[0][0]
        code = next((c for c in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES) if os.strerror(c) in why), None)
        raise OSError(code, os.strerror(code) if code else why, destination) from None


class _CopyStopped(Exception):
    """The first file of a site that could not be copied (its OSError); not an OSError, so copytree stops."""
