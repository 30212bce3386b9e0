"""Staging: the executed notebooks, configuration and static files written into a copy of the book."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import yaml

from .. import paths, regions
from .cache import _sha
from .chapters import chapter_id, toc_entries
from .execute import Outcome
from .planning import Variant


def _sync_file(src_bytes: bytes, target: Path) -> bool:
    """Write target only when its content changes (keeps Sphinx's incremental build); True if written."""
    if target.exists() and target.read_bytes() == src_bytes:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(src_bytes)
    return True


#: The chapter whose page ends with this build's run time per chapter (added when the book is staged).
RUN_TIMES_CHAPTER = "appendix_data"


def _with_run_times(notebook_bytes: bytes, outcomes: list[Outcome]) -> bytes:
    """Append a table of each chapter's execution time and status to a staged notebook.

    A chapter that came from the cache shows the time of the run that produced its cache entry.
    """
    nb = nbformat.reads(notebook_bytes.decode("utf-8"), as_version=4)
    lines = ["## Run time per chapter", "",
             "Added by the build: how long papermill took to execute each chapter (for a chapter taken from the "
             "cache, the run that produced the cache entry).", "",
             "| chapter | seconds |", "|---|---|"]
    lines += [f"| {o.chapter} | {o.duration:.1f} |" for o in outcomes]
    cell = nbformat.v4.new_markdown_cell("\n".join(lines))
    cell["id"] = "build-run-times"  # a fixed id: nbformat's random ids would make every staging differ
    nb.cells.append(cell)
    return nbformat.writes(nb).encode("utf-8")


def stage(variant: Variant, outcomes: list[Outcome]) -> str:
    """Write the staging book (config, toc, executed notebooks); return a fingerprint of its content."""
    layout = variant.layout
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    if variant.name != "default":
        config["title"] = f"{config.get('title', 'Book')}: {regions.name(variant.name)}"
    files = {"_config.yml": yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode(),
             "_toc.yml": (paths.ROOT / "_toc.yml").read_bytes()}
    entries = {chapter_id(e): e for e in toc_entries()}
    for outcome in outcomes:
        content = Path(outcome.notebook).read_bytes()
        if outcome.chapter == RUN_TIMES_CHAPTER:
            content = _with_run_times(content, outcomes)
        files[f"{entries[outcome.chapter]}.ipynb"] = content
    static = paths.ROOT / "_static"
    if static.exists():
        for path in sorted(static.rglob("*")):
            if path.is_file():
                files[str(path.relative_to(paths.ROOT))] = path.read_bytes()
    wanted = {layout.staging / name for name in files}
    if layout.staging.exists():
        for path in layout.staging.rglob("*"):
            if path.is_file() and path not in wanted:
                path.unlink()
    digest = hashlib.sha256()
    for name, content in sorted(files.items()):
        _sync_file(content, layout.staging / name)
        digest.update(name.encode() + b"\0" + _sha(content).encode())
    return digest.hexdigest()
