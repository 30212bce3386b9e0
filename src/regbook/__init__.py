"""The tool that builds the book (beside the analysis library that chapters import).

One module per stage: ``chapters`` (table of contents, reading a chapter), ``cache`` (keys and entries),
``execute`` (one chapter in a fresh kernel; ``kernels``/``zygote`` fork those kernels), ``planning`` (variants, what
to execute, running it), ``staging`` and ``compile`` (the Jupyter Book site), ``export`` (results.json, audit.csv),
``landing`` and ``screenshots``; ``driver`` ties them together and ``cli`` is ``python -m helpers``. ``batch`` builds
many regions (validated first, only what changed), here or on a Dask cluster (``dask_batch``), where each region's
whole book is one task (``region_book``).
``fingerprint`` is the no-change fast path ``python -m helpers build`` takes before importing any of them, and
``compile_server`` the warm Jupyter Book that compiles are forked from. ``tricks`` lists every speed trick that bets
on another library's internals (each can be switched off: ``REGBOOK_TRICKS_OFF``) and applies the small ones.
``inputs`` records what a chapter's kernel reads; ``helpers.sharing`` (in the analysis library) shares results
between a build's kernels.
"""

from __future__ import annotations

import importlib

#: Public names and the module that defines each. They are imported on first use (PEP 562), so that importing
#: ``regbook`` costs nothing: the kernel zygote runs as ``python -m regbook.zygote`` and must not
#: import this project's modules (a forked kernel would inherit their paths), and the CLI stays quick to start.
_EXPORTS = {
    "cache": ("CacheEntry", "cache_entry", "chapter_key", "helpers_hash"),
    "chapters": (
        "KERNEL_NAME",
        "KERNELSPEC",
        "chapter_id",
        "chapter_ids",
        "declared_parameters",
        "read_chapter",
        "toc_entries",
    ),
    "compile": ("compile_site",),
    "driver": ("BuildReport", "build", "clean"),
    "execute": ("Job", "Outcome", "execute_job"),
    "export": ("PACKAGES", "glued_values", "package_versions", "results_document"),
    "landing": ("write_landing_page",),
    "layout": ("BuildError", "BuildInterrupted", "Layout", "describe_os_error"),
    "lock": ("BuildLocked", "build_lock"),
    "batch": ("region_file_variants",),
    "planning": ("Variant", "make_variant", "plan", "run"),
    "screenshots": ("take_screenshots",),
    "staging": ("RUN_TIMES_CHAPTER", "_with_run_times", "stage"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [  # defined lazily by __getattr__
    "BuildError",
    "BuildInterrupted",
    "BuildLocked",
    "BuildReport",
    "CacheEntry",
    "Job",
    "KERNELSPEC",
    "KERNEL_NAME",
    "Layout",
    "Outcome",
    "PACKAGES",
    "RUN_TIMES_CHAPTER",
    "Variant",
    "build",
    "build_lock",
    "cache_entry",
    "chapter_id",
    "chapter_ids",
    "chapter_key",
    "clean",
    "compile_site",
    "declared_parameters",
    "describe_os_error",
    "execute_job",
    "glued_values",
    "helpers_hash",
    "make_variant",
    "package_versions",
    "plan",
    "read_chapter",
    "region_file_variants",
    "results_document",
    "run",
    "stage",
    "take_screenshots",
    "toc_entries",
    "write_landing_page",
]
