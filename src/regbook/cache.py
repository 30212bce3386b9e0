"""Content-addressed cache: chapter keys, and cache entries that record every input file a chapter read.

A cache entry is a folder ``<chapter>-<key>`` with ``executed.ipynb`` and ``meta.json``. ``meta.json`` records::

    {"chapter": ..., "key": ..., "parameters": {...}, "duration_seconds": ...,
     "inputs": {"<absolute path>": "<sha256 hex>", ...}}

``inputs`` is every file the chapter's kernel opened for reading, by any route (data files,
``data/datapackage.json``, a cohort file, any file a parameter names; see ``regbook.inputs``). An entry is
valid only while every one of them still exists with the recorded hash; an entry without ``inputs`` (older format)
is never valid.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from helpers import paths

from .inputs import sha256_file
from .layout import Layout


def _sha(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


#: The source folder (``src/``), which holds the library (``helpers``) and this tool (``regbook``).
SOURCE_DIR = Path(__file__).resolve().parents[1]
#: Parts of the library that never run in a chapter's kernel: the command-line shim, the fetchers (they write
#: region files, which a chapter reads as recorded inputs) and JupyterLab's save hook.
OUTSIDE_KERNELS = ("helpers/__main__.py", "helpers/fetch/", "helpers/lab.py")
#: Modules of this tool that run inside a chapter's kernel or post-process what it produced: the input recorder,
#: the zygote and kernel provisioner that start the kernel, and the execution that numbers and tags its cells.
KERNEL_SIDE = (
    "regbook/inputs.py",
    "regbook/zygote.py",
    "regbook/kernels.py",
    "regbook/execute.py",
    "regbook/chapters.py",
)


def code_files() -> list[Path]:
    """The source files a chapter's executed outputs can depend on: the library and the kernel side of the tool."""
    files = [
        p
        for p in (SOURCE_DIR / "helpers").rglob("*.py")
        if not str(p.relative_to(SOURCE_DIR)).startswith(OUTSIDE_KERNELS)
    ]
    return sorted(files + [SOURCE_DIR / name for name in KERNEL_SIDE])


def helpers_hash() -> str:
    """Hash of ``code_files()`` (a change re-executes every chapter). An edit to the command line, the compile,
    the PDF printer or a fetcher changes no chapter's outputs, and re-executes nothing; the no-change fast path
    (``regbook.fingerprint``) still notices it and recompiles."""
    digest = hashlib.sha256()
    for path in code_files():
        digest.update(str(path.relative_to(SOURCE_DIR)).encode() + b"\0" + path.read_bytes())
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
    payload = json.dumps(
        {"source": _sha(source), "parameters": parameters, "helpers": helpers, "data_dir": str(paths.DATA_DIR)},
        sort_keys=True,
    )
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

    def inputs(self) -> dict[str, str] | None:
        """The recorded inputs {absolute path: sha256}, or None when the entry has none recorded."""
        meta = self.meta()
        inputs = meta.get("inputs") if meta else None
        return inputs if isinstance(inputs, dict) else None

    def valid(self, hashes: dict[str, str | None] | None = None) -> bool:
        """True when the entry exists and every input the chapter read still has the recorded hash.

        ``hashes`` memoises file hashes across the entries of one plan (path -> sha256, None when unreadable).
        """
        inputs = self.inputs()
        if inputs is None or not self.notebook.exists():
            return False
        memo = {} if hashes is None else hashes
        for file, digest in inputs.items():
            if file not in memo:
                try:
                    memo[file] = sha256_file(file)
                except OSError:
                    memo[file] = None
            if memo[file] != digest:
                return False
        return True


def cache_entry(layout: Layout, chapter: str, key: str) -> CacheEntry:
    return CacheEntry(layout.cache / f"{chapter}-{key}")
