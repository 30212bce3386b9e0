"""Where one variant's build files go, and the error a build raises."""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from helpers import paths


class BuildError(RuntimeError):
    """A run or build that could not complete (names the chapter, the cell and the exception)."""


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the build; the message says what it was doing (e.g. "executing chapter ch2_occupations")."""


#: What a first build writes for each byte of a variant's staged book, measured on this book: 4.2 MB staged came
#: with 11 MB of executed notebooks in the cache, 23 MB of Jupyter Book's output and a 15 MB site.
BUILD_BYTES_PER_STAGED_BYTE = 13
#: A variant's staged book before it was ever staged: this book's, measured.
STAGED_BYTES = 4_200_000
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


def out_of_space(output: str) -> bool:
    """True when a tool's output (Jupyter Book's log) says the disk or the quota is full."""
    return any(os.strerror(code) in output for code in _NO_SPACE) or "[Errno 28]" in output


def space_needed(layouts: list[Layout]) -> int:
    """About how many bytes a build of these variants writes (``BUILD_BYTES_PER_STAGED_BYTE``)."""
    return sum((_folder_size(layout.staging) or STAGED_BYTES) * BUILD_BYTES_PER_STAGED_BYTE for layout in layouts)


def _folder_size(folder: Path) -> int:
    try:
        return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    except OSError:
        return 0


def _megabytes(size: int) -> str:
    return f"{max(1, round(size / 1e6))} MB"


def describe_os_error(exc: OSError, needed: int | None = None) -> str:
    """One line for a file-system fault: what failed, on which file, and what to do. For a full disk: the build
    folder, the bytes the build ``needed`` (about, ``space_needed``) and the bytes free there."""
    where = exc.filename if exc.filename is not None else "a file"
    if exc.filename2 is not None:
        where = f"{where} -> {exc.filename2}"
    reason = exc.strerror or str(exc)
    if exc.errno in _NO_SPACE:
        folder = paths.BUILD_DIR
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        try:
            free = f"has {_megabytes(shutil.disk_usage(folder).free)} free"
        except OSError:
            free = "cannot say what it has free"
        need = f"the build needs about {_megabytes(needed)} in {folder}, which " if needed else f"{folder} "
        return f"no space left on the device ({where}): {need}{free}; free some space and build again"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"{reason.lower()}: {where}; the build must read the book's sources and data and write its "
            f"build folder {paths.BUILD_DIR}"
        )
    return f"{reason.lower()}: {where}"


#: The languages of the book's editions (the kernel parameter ``language`` and Sphinx's ``language``); the first
#: is the original's.
LANGUAGES = ("en", "nl")


def check_language(language: str) -> str:
    """``language`` when it is one of ``LANGUAGES``; else ``BuildError`` with one line naming the valid ones."""
    if language not in LANGUAGES:
        shown = language if len(language) <= 20 else language[:20] + "..."
        raise BuildError(f"--language: unknown language {shown!r}; valid: {', '.join(LANGUAGES)}")
    return language


@dataclass(frozen=True)
class Layout:
    """Where one variant's files go: the English edition's as they always were; another language's site and
    results in a folder named after the language inside the English one's (``_build/nl/html``,
    ``_build/regions/<id>/nl/html``), its staging and compile folders beside the English ones (``<variant>.nl``)."""

    variant: str  # "default" or a region id
    language: str = LANGUAGES[0]

    @property
    def folder_name(self) -> str:
        """The variant's name in the build's own folders (staging, compile, failed notebooks)."""
        return self.variant if self.language == LANGUAGES[0] else f"{self.variant}.{self.language}"

    @property
    def build(self) -> Path:
        return paths.BUILD_DIR

    @property
    def cache(self) -> Path:
        return self.build / ".cache"

    @property
    def staging(self) -> Path:
        return self.build / ".staging" / self.folder_name

    @property
    def jb_out(self) -> Path:
        return self.build / ".jb" / self.folder_name

    @property
    def english_base(self) -> Path:
        """The English edition's folder of this variant (its ``html`` and ``results``)."""
        return self.build if self.variant == "default" else self.build / "regions" / self.variant

    @property
    def base(self) -> Path:
        english = self.english_base
        return english if self.language == LANGUAGES[0] else english / self.language

    @property
    def html(self) -> Path:
        return self.base / "html"

    @property
    def results(self) -> Path:
        return self.base / "results"

    @property
    def failed(self) -> Path:
        return self.build / "failed" / self.folder_name
