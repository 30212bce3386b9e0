"""Where one variant's build files go, and the error a build raises."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from helpers import paths


class BuildError(RuntimeError):
    """A run or build that could not complete (names the chapter, the cell and the exception)."""


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the build; the message says what it was doing (e.g. "executing chapter ch2_occupations")."""


def describe_os_error(exc: OSError) -> str:
    """One line for a file-system fault: what failed, on which file, and what to do."""
    where = exc.filename if exc.filename is not None else "a file"
    if exc.filename2 is not None:
        where = f"{where} -> {exc.filename2}"
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the device ({where}); free some space and build again"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (f"{reason.lower()}: {where}; the build must read the book's sources and data and write its "
                f"build folder {paths.BUILD_DIR}")
    return f"{reason.lower()}: {where}"


@dataclass(frozen=True)
class Layout:
    """Where one variant's files go."""

    variant: str  # "default" or a region id

    @property
    def build(self) -> Path:
        return paths.BUILD_DIR

    @property
    def cache(self) -> Path:
        return self.build / ".cache"

    @property
    def staging(self) -> Path:
        return self.build / ".staging" / self.variant

    @property
    def jb_out(self) -> Path:
        return self.build / ".jb" / self.variant

    @property
    def base(self) -> Path:
        return self.build if self.variant == "default" else self.build / "regions" / self.variant

    @property
    def html(self) -> Path:
        return self.base / "html"

    @property
    def results(self) -> Path:
        return self.base / "results"

    @property
    def failed(self) -> Path:
        return self.build / "failed" / self.variant
