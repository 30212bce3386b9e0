"""The software a book was built with: the Python version and the versions of the packages that shape its results.

Stdlib only, so that a chapter (appendix B lists these versions) and the build (results.json records them) can
both ask without importing the build machinery.
"""

from __future__ import annotations

import platform
from importlib import metadata

#: Distributions whose versions a reader needs to reproduce the book's numbers and pages.
PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "seaborn", "matplotlib", "pandera", "frictionless",
            "papermill", "jupytext", "myst-nb", "jupyter-book", "sphinx")


def package_versions() -> dict[str, str]:
    """``{"python": "3.11.7", "pandas": "...", ...}``; "not installed" for a package that is missing."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out
