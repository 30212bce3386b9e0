"""The software a book was built with: the Python version and the versions of the packages that shape its results.

Stdlib only, so that a chapter (appendix B lists these versions) and the build (results.json records them) can
both ask without importing the build machinery.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata

#: Distributions whose versions a reader needs to reproduce the book's numbers and pages.
PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "pandera",
    "frictionless",
    "papermill",
    "jupytext",
    "myst-nb",
    "jupyter-book",
    "sphinx",
)


def package_versions() -> dict[str, str]:
    """``{"python": "3.11.7", "pandas": "...", ...}``; "not installed" for a package that is missing."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


#: The numerical environment every chapter kernel runs with, set before its interpreter starts (the kernel zygote's
#: and an ordinary kernel's environment; a forked kernel inherits the zygote's thread pools and hash secret).
#: One thread per BLAS/OpenMP pool: a matrix product split over more threads adds its partial sums in another
#: order, which changes the last digits of an iterative fit (chapter 2's multinomial logit differed between a
#: two-thread kernel and a one-thread Dask worker). Fixed string hashing: nothing may depend on set order.
#: One thread is also the fast choice: a build runs one kernel per core side by side.
NUMERICAL_ENVIRONMENT = {
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}

#: What ``numerical_environment`` reports of each thread pool (not its file path, which names the folder the
#: environment happens to be installed in).
_POOL_FIELDS = ("user_api", "internal_api", "prefix", "version", "threading_layer", "architecture", "num_threads")


def numerical_environment() -> dict:
    """What this process computes with: whether string hashing is randomised, and every thread pool loaded so far
    (BLAS, OpenMP) with its library, version, CPU kernel ("architecture") and number of threads.

    Values computed in processes that report the same are bit-identical for the same inputs and packages.
    """
    import threadpoolctl  # imported where a kernel reports, not where appendix B asks for versions

    pools = [{field: pool.get(field) for field in _POOL_FIELDS} for pool in threadpoolctl.threadpool_info()]
    return {
        "hash_randomization": bool(sys.flags.hash_randomization),
        "thread_pools": sorted(pools, key=lambda pool: [str(pool[field]) for field in _POOL_FIELDS]),
    }


def departures(record: dict) -> list[str]:
    """How a process's ``numerical_environment()`` departs from ``NUMERICAL_ENVIRONMENT``, in words ([]: it does
    not)."""
    out = []
    if record.get("hash_randomization"):
        out.append("string hashing randomised (PYTHONHASHSEED unset or not 0)")
    for pool in record.get("thread_pools", []):
        if pool.get("num_threads") != 1:
            out.append(
                f"{pool.get('internal_api')} {pool.get('version')} ({pool.get('prefix')}) with "
                f"{pool.get('num_threads')} threads"
            )
    return out
