"""Staging: the executed notebooks, configuration and static files written into a copy of the book."""

from __future__ import annotations

import copy
import hashlib
import json
import os
from pathlib import Path

import nbformat
import yaml

from helpers import paths, regions

from . import editions
from .cache import _sha
from .chapters import chapter_id, read_chapter, toc_entries
from .execute import Outcome
from .planning import Variant
from .site import site_path
from .site_config import with_site_urls


def _sync_file(src_bytes: bytes, target: Path) -> bool:
    """Write target only when its content changes (keeps Sphinx's incremental build); True if written."""
    if target.exists() and target.read_bytes() == src_bytes:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(src_bytes)
    return True


#: The chapter whose page ends with this build's run time per chapter (added when the book is staged).
RUN_TIMES_CHAPTER = "appendix_data"
#: The data the glossary page is made of, staged under ``data/`` (``glossary_data`` in ``_config.yml``; the report's
#: sections beside it): read by helpers.sphinx_glossary, staged so that a change to them changes the staging
#: fingerprint and the site is compiled again.
GLOSSARY_FILES = ("glossary.csv", "report_sections.csv")


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _text(source: str | list[str]) -> str:
    return source if isinstance(source, str) else "".join(source)


def with_current_prose(executed: dict, source: nbformat.NotebookNode) -> dict:
    """The executed notebook with the markdown cells (and cell display tags) of the chapter's current source.

    The cache key covers code cells only, so a cached run stays valid when prose changes; its code cells (with
    their outputs) are matched in order to the source's code cells, and papermill's injected-parameters cell stays
    after the parameters cell. Cell ids are positional, so staging the same content gives the same bytes. When the
    code cells do not match (cannot happen for a valid cache entry), the executed notebook is returned as it is.
    """
    ran = [c for c in executed["cells"] if c["cell_type"] == "code" and "injected-parameters" not in _tags(c)]
    injected = [c for c in executed["cells"] if "injected-parameters" in _tags(c)]
    code = [c for c in source.cells if c.cell_type == "code"]
    if len(ran) != len(code) or any(_text(r["source"]) != c.source for r, c in zip(ran, code)):
        return executed
    has_parameters_cell = any("parameters" in _tags(c) for c in code)
    cells = [] if has_parameters_cell else list(injected)
    outputs = iter(ran)
    for cell in source.cells:
        if cell.cell_type == "code":
            done = dict(next(outputs))
            done["metadata"] = copy.deepcopy(dict(cell.get("metadata", {})))
            cells.append(done)
            if "parameters" in _tags(cell):
                cells.extend(injected)
        else:
            cells.append({key: copy.deepcopy(value) for key, value in cell.items() if key != "id"})
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"
    return {**executed, "cells": cells}


def _with_run_times(notebook: bytes | dict, outcomes: list[Outcome]) -> bytes:
    """Append a table of each chapter's execution time and status to a staged notebook.

    A chapter that came from the cache shows the time of the run that produced its cache entry.
    """
    nb = json.loads(notebook) if isinstance(notebook, bytes) else notebook
    lines = [
        "## Run time per chapter",
        "",
        "Added by the build: how long papermill took to execute each chapter (for a chapter taken from the "
        "cache, the run that produced the cache entry).",
        "",
        "| chapter | seconds |",
        "|---|---|",
    ]
    lines += [f"| `{o.chapter}` | {o.duration:.1f} |" for o in outcomes]  # a file name: shown as code
    cell = {
        "cell_type": "markdown",
        "id": "build-run-times",  # a fixed id: random ids would make every staging differ
        "metadata": {},
        "source": "\n".join(lines),
    }
    nb = {**nb, "cells": [*nb["cells"], cell]}
    return _notebook_bytes(nb)


def _notebook_bytes(nb: dict) -> bytes:
    """A notebook as nbformat writes it (sorted keys, one-space indent), without nbformat's slow validation."""
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def stage(variant: Variant, outcomes: list[Outcome]) -> str:
    """Write the staging book (config, toc, executed notebooks with current prose); return a fingerprint of it.

    Only files whose content changed are written, so Jupyter Book recompiles only the pages that changed. A staged
    notebook whose inputs (its cache entry, its chapter's source, this module) are those it was staged from is
    neither read nor serialised again (``_stage_key``; the record is kept beside the staging folder).
    """
    layout = variant.layout
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = editions.staged_config(config, variant.language)
    if variant.name != "default":
        config["title"] = f"{config.get('title', 'Book')}: {regions.name(variant.name)}"
    config = with_site_urls(config, site_path(variant.name, variant.language))
    toc = (paths.ROOT / "_toc.yml").read_bytes()
    if variant.language != "en":
        toc = yaml.safe_dump(
            editions.staged_toc(yaml.safe_load(toc), variant.language), sort_keys=False, allow_unicode=True
        ).encode()
    files = {
        "_config.yml": yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode(),
        "_toc.yml": toc,
        **editions.staged_catalogues(variant.language),
    }
    for name in GLOSSARY_FILES:
        if (paths.DATA_DIR / name).is_file():
            files[f"data/{name}"] = (paths.DATA_DIR / name).read_bytes()
    static = paths.ROOT / "_static"
    if static.exists():
        for path in sorted(static.rglob("*")):
            if path.is_file():
                files[str(path.relative_to(paths.ROOT))] = path.read_bytes()
    memo_file = layout.staging.parent / f"{layout.folder_name}.staged.json"
    memo = _read_memo(memo_file)
    staged: dict[str, dict] = {}  # notebook name -> {"key", "sha", "size"}, each in sync on disk
    entries = {chapter_id(e): e for e in toc_entries()}
    code_version = _sha(Path(__file__).read_bytes())
    for outcome in outcomes:
        name = f"{entries[outcome.chapter]}.ipynb"
        key = _stage_key(outcome, entries[outcome.chapter], outcomes, code_version)
        known = memo.get(name)
        if known and known.get("key") == key and _size(layout.staging / name) == known.get("size"):
            staged[name] = known
            continue
        executed = json.loads(Path(outcome.notebook).read_bytes())
        nb = with_current_prose(executed, read_chapter(entries[outcome.chapter]))
        if outcome.chapter == RUN_TIMES_CHAPTER:
            content = _with_run_times(nb, outcomes)
        else:
            content = _notebook_bytes(nb)
        _sync_file(content, layout.staging / name)
        staged[name] = {"key": key, "sha": _sha(content), "size": len(content)}
    wanted = {layout.staging / name for name in [*files, *staged]}
    if layout.staging.exists():
        for path in layout.staging.rglob("*"):
            if path.is_file() and path not in wanted:
                path.unlink()
    shas = {name: record["sha"] for name, record in staged.items()}
    for name, content in files.items():
        _sync_file(content, layout.staging / name)
        shas[name] = _sha(content)
    _write_memo(memo_file, staged)
    digest = hashlib.sha256()
    for name, sha in sorted(shas.items()):
        digest.update(name.encode() + b"\0" + sha.encode())
    return digest.hexdigest()


def _stage_key(outcome: Outcome, entry: str, outcomes: list[Outcome], code_version: str) -> str:
    """What a staged notebook is made from: its cache entry's notebook (path, size, modification time), its
    chapter's source, this module's code, and for ``RUN_TIMES_CHAPTER`` every chapter's run time."""
    stat = os.stat(outcome.notebook)
    times = [[o.chapter, f"{o.duration:.1f}"] for o in outcomes] if outcome.chapter == RUN_TIMES_CHAPTER else None
    return _sha(
        json.dumps(
            [
                outcome.notebook,
                stat.st_size,
                stat.st_mtime_ns,
                _sha((paths.ROOT / f"{entry}.md").read_bytes()),
                times,
                code_version,
            ]
        )
    )


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _read_memo(path: Path) -> dict:
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def _write_memo(path: Path, memo: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(memo, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
