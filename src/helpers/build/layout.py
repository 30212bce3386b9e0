"""Where one variant's build files go, and the error a build raises."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import paths


class BuildError(RuntimeError):
    """A run or build that could not complete (names the chapter, the cell and the exception)."""


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
