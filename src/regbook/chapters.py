"""The chapters of the book: the table of contents, reading a chapter's MyST source, its parameters cell."""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat
import yaml

from helpers import paths

from .layout import BuildError
from .tricks import import_jupytext

KERNEL_NAME = "python3"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}


def toc_entries(root: Path | None = None) -> list[str]:
    """The files of ``_toc.yml`` in reading order, without extension (e.g. ``chapters/ch1_world``)."""
    toc = yaml.safe_load(((root or paths.ROOT) / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]]

    def walk(items):
        for item in items or []:
            if "file" in item:
                entries.append(item["file"])
            walk(item.get("sections"))
            walk(item.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return entries


def chapter_id(entry: str) -> str:
    """Short id of a toc entry: its file name (``ch1_world``)."""
    return Path(entry).name


def chapter_ids() -> list[str]:
    return [chapter_id(e) for e in toc_entries()]


def read_chapter(entry: str) -> nbformat.NotebookNode:
    """Read a chapter's MyST Markdown source with jupytext and give it a kernelspec that names its language."""
    path = paths.ROOT / f"{entry}.md"
    if not path.exists():
        raise BuildError(f"chapter {chapter_id(entry)}: source {path} not found (listed in _toc.yml)")
    return copy.deepcopy(_parse_chapter(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=64)
def _parse_chapter(text: str) -> nbformat.NotebookNode:
    """Parse a chapter's source, once per build and process (callers get a deep copy).

    The parsed notebook is also kept on disk under ``_build/.cache/sources``, keyed by the source text and the
    installed packages (jupytext's version among them), so that a later build reads JSON instead of importing
    jupytext and parsing again.
    """
    from .fingerprint import installed_packages

    key = hashlib.sha256(text.encode("utf-8") + b"\0" + installed_packages().encode()).hexdigest()[:32]
    stored = paths.BUILD_DIR / ".cache" / "sources" / f"{key}.json"
    try:
        return nbformat.from_dict(json.loads(stored.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    jupytext = import_jupytext()  # without jupyter_server (a trick)
    nb = jupytext.reads(text, fmt="md:myst")
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.setdefault("language_info", {"name": "python"})
    nb.metadata.pop("jupytext", None)
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        tmp = stored.with_name(f"{stored.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(nb), encoding="utf-8")
        tmp.replace(stored)
    except OSError:  # a read-only build folder only costs the parse next time
        pass
    return nb


def declared_parameters(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Names and default values assigned in the chapter's ``parameters`` cell."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            out = {}
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                    out[node.targets[0].id] = ast.literal_eval(node.value)
            return out
    return {}
