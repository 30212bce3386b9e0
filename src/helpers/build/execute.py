"""Executing one chapter with papermill in a fresh kernel (runs in a worker process)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from .. import data as data_module
from . import kernels
from .chapters import KERNEL_NAME, KERNELSPEC


@dataclass
class Job:
    chapter: str
    entry: str
    key: str
    parameters: dict[str, Any]
    notebook_json: str
    cache_dir: str
    failed_path: str
    cwd: str
    data_dir: str
    kernels_dir: str


@dataclass
class Outcome:
    chapter: str
    status: str  # cached, executed, failed
    duration: float
    key: str
    notebook: str = ""
    error: str = ""


def _tag_injected_cells(nb: nbformat.NotebookNode) -> None:
    """Hide papermill's injected-parameters cell on the page (it stays in the downloadable notebook)."""
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")


def _describe_failure(nb: nbformat.NotebookNode, exc: Exception) -> str:
    """'code cell N (cell M of the executed notebook, first line): Exception: message'."""
    code_index = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if "injected-parameters" not in cell.get("metadata", {}).get("tags", []):
            code_index += 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return (f"code cell {code_index} (cell {index} of the executed notebook, {first_line[:60]!r}): "
                        f"{output.get('ename')}: {str(output.get('evalue'))[:500]}")
    return f"{type(exc).__name__}: {exc}"


def execute_job(job: Job) -> Outcome:
    """Execute one chapter with papermill in a fresh kernel; store it in the cache or keep the failed notebook."""
    start = time.perf_counter()
    nb = nbformat.reads(job.notebook_json, as_version=4)
    cache_dir = Path(job.cache_dir)
    work = Path(tempfile.mkdtemp(prefix=f"run-{job.chapter}-", dir=cache_dir.parent))
    log = work / "reads.tsv"
    log.touch()
    saved_env = {k: os.environ.get(k) for k in (data_module.DATA_LOG_ENV, "REGBOOK_DATA_DIR", "MPLBACKEND", "JUPYTER_PATH")}
    os.environ[data_module.DATA_LOG_ENV] = str(log)
    os.environ["REGBOOK_DATA_DIR"] = job.data_dir  # the kernel inherits this process's environment
    os.environ["MPLBACKEND"] = "Agg"
    kernel_name = KERNEL_NAME
    if kernels.enabled():
        spec_base = kernels.kernelspec_dir(Path(job.kernels_dir))
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(spec_base), saved_env["JUPYTER_PATH"]]))
        kernel_name = kernels.KERNEL_NAME
    output = work / "executed.ipynb"
    try:
        return _execute(job, nb, work, log, output, cache_dir, start, kernel_name)
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _execute(job: Job, nb, work: Path, log: Path, output: Path, cache_dir: Path, start: float,
             kernel_name: str) -> Outcome:
    import papermill

    try:
        papermill.execute_notebook(nb, str(output), parameters=job.parameters, kernel_name=kernel_name,
                                   progress_bar=False, log_output=False, cwd=job.cwd,
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"])  # no kernel chatter on stderr
    except Exception as exc:  # papermill raises PapermillExecutionError; anything else is reported the same way
        failed = Path(job.failed_path)
        failed.parent.mkdir(parents=True, exist_ok=True)
        try:
            executed = nbformat.read(output, as_version=4)
            shutil.copy(output, failed)
        except Exception:
            executed = nb
            nbformat.write(nb, failed)
        shutil.rmtree(work, ignore_errors=True)
        return Outcome(job.chapter, "failed", time.perf_counter() - start, job.key, str(failed),
                       _describe_failure(executed, exc))
    executed = nbformat.read(output, as_version=4)
    executed.metadata["kernelspec"] = dict(KERNELSPEC)  # readers re-execute with an ordinary Python 3 kernel
    _tag_injected_cells(executed)
    for key in ("papermill",):
        executed.metadata.pop(key, None)
    for cell in executed.cells:
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(executed, output)
    reads = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        name, file = line.split("\t", 1)
        reads[str(Path(file).resolve())] = data_module.file_hash(Path(file))
    duration = round(time.perf_counter() - start, 3)  # as stored, so a cached rerun shows the same figure
    (work / "meta.json").write_text(json.dumps({"chapter": job.chapter, "key": job.key, "parameters": job.parameters,
                                                "data_files": reads, "duration_seconds": duration},
                                               indent=1, sort_keys=True))
    log.unlink()
    if cache_dir.exists():
        shutil.rmtree(cache_dir)
    work.rename(cache_dir)
    return Outcome(job.chapter, "executed", duration, job.key, str(cache_dir / "executed.ipynb"))
