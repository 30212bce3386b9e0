"""Content-addressed cache: chapter keys and cache entries that record the data files a chapter read."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from .. import data as data_module
from .. import paths
from .layout import Layout


def _sha(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def helpers_hash() -> str:
    """Hash of the whole helper package's source, subpackages included (a change re-executes every chapter)."""
    pkg = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(pkg.rglob("*.py")):
        digest.update(str(path.relative_to(pkg)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


#: Cell tags that change how a chapter executes (papermill injects parameters after ``parameters``, continues
#: after a cell tagged ``raises-exception``, and nbclient skips ``skip-execution``). Other tags (``remove-cell``,
#: ``hide-input``, ...) only change how the page shows a cell, which staging takes from the current source.
EXECUTION_TAGS = frozenset({"parameters", "raises-exception", "skip-execution"})


def execution_source(nb: nbformat.NotebookNode) -> list[list[Any]]:
    """What a chapter's executed outputs depend on: each code cell's source and execution tags, in order.

    Markdown cells are left out, so a prose edit re-executes nothing (staging puts the new prose in).
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = sorted(EXECUTION_TAGS.intersection(cell.get("metadata", {}).get("tags", [])))
        cells.append([cell.source, tags])
    return cells


def chapter_key(nb: nbformat.NotebookNode, parameters: dict[str, Any], helpers: str) -> str:
    """Cache key of one chapter run: its code cells, the parameters it uses, the helper package, the data directory.

    The data files it reads are not in the key: the cache entry records them with their hashes.
    """
    kernel = nb.metadata.get("kernelspec", {}).get("name", "")
    source = json.dumps({"kernel": kernel, "code": execution_source(nb)}, sort_keys=True)
    payload = json.dumps({"source": _sha(source), "parameters": parameters, "helpers": helpers,
                          "data_dir": str(paths.DATA_DIR)}, sort_keys=True)
    return _sha(payload)[:20]


@dataclass
class CacheEntry:
    path: Path

    @property
    def notebook(self) -> Path:
        return self.path / "executed.ipynb"

    @property
    def meta_file(self) -> Path:
        return self.path / "meta.json"

    def meta(self) -> dict | None:
        try:
            return json.loads(self.meta_file.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def valid(self) -> bool:
        """True when the entry exists and every data file the chapter read still has the recorded hash."""
        meta = self.meta()
        if not meta or not self.notebook.exists():
            return False
        for file, digest in meta.get("data_files", {}).items():
            path = Path(file)
            if not path.exists() or data_module.file_hash(path) != digest:
                return False
        return True


def cache_entry(layout: Layout, chapter: str, key: str) -> CacheEntry:
    return CacheEntry(layout.cache / f"{chapter}-{key}")
