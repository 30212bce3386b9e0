"""Executing one chapter with papermill in a fresh kernel (runs in a worker process)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from helpers.environment import NUMERICAL_ENVIRONMENT, departures

from . import inputs as inputs_module
from .chapters import KERNEL_NAME, KERNELSPEC
from .processes import markers_folder, temporary_environment
from .zygote import MARKERS_ENV

#: The arguments of a chapter's kernel: no kernel chatter on stderr; IPython's input history kept in memory only
#: (its SQLite file costs each kernel some 0.06 s of CPU to open and a write per cell, and the build's kernels
#: run side by side on the one file); the input recorder (``regbook.inputs``).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False", inputs_module.KERNEL_ARGUMENT]


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
    shared_dir: str = ""  # the build's folder of results its kernels share (helpers.sharing); "": none


@dataclass
class Outcome:
    chapter: str
    status: str  # cached, executed, failed
    duration: float
    key: str
    notebook: str = ""
    error: str = ""


#: The parameter every kernel gets (the edition's language), whether its chapter's parameters cell declares it or
#: not; papermill warns of each undeclared parameter, which would be a warning per chapter of every build.
EDITION_PARAMETER = "language"


class _UndeclaredEditionParameter(logging.Filter):
    """Drop papermill's warning that a chapter does not declare ``EDITION_PARAMETER`` (it need not)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != f"Passed unknown parameter: {EDITION_PARAMETER}"


logging.getLogger("papermill").addFilter(_UndeclaredEditionParameter())


def _passed_parameters(nb: nbformat.NotebookNode, parameters: dict) -> dict:
    """The parameters papermill gets: the job's, less the edition's when it is the only one and the notebook has no
    parameters cell (a notebook of another book: papermill would warn that it has nowhere to put it)."""
    declares = any("parameters" in cell.get("metadata", {}).get("tags", []) for cell in nb.cells)
    if not declares and set(parameters) <= {EDITION_PARAMETER}:
        return {}
    return parameters


def _tag_injected_cells(nb: nbformat.NotebookNode) -> None:
    """Hide papermill's injected-parameters cell on the page (it stays in the downloadable notebook)."""
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")


def _number_cells(nb: nbformat.NotebookNode, chapter: str) -> None:
    """Give every cell an id from its position, so that two runs of a chapter write identical notebooks.

    nbformat and papermill draw random ids; the downloadable notebooks and the pages built from them would then
    differ on every run.
    """
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{chapter[:50]}-{index}"


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
                return (
                    f"code cell {code_index} (cell {index} of the executed notebook, {first_line[:60]!r}): "
                    f"{output.get('ename')}: {str(output.get('evalue'))[:500]}"
                )
    return f"{type(exc).__name__}: {exc}"


def execute_job(job: Job) -> Outcome:
    """Execute one chapter with papermill in a fresh kernel; store it in the cache or keep the failed notebook."""
    from . import kernels  # jupyter_client: imported where a chapter runs, not where a build plans

    start = time.perf_counter()
    nb = nbformat.reads(job.notebook_json, as_version=4)
    cache_dir = Path(job.cache_dir)
    work = Path(tempfile.mkdtemp(prefix=f"run-{job.chapter}-", dir=cache_dir.parent))
    log = work / "inputs.tsv"
    environment = {
        inputs_module.LOG_ENV: str(log),  # the kernel's input recorder writes here
        MARKERS_ENV: str(markers_folder(Path(job.kernels_dir))),  # kernels mark themselves for the sweep
        "REGBOOK_DATA_DIR": job.data_dir,  # the kernel inherits this process's environment
        inputs_module.SHARED_RESULTS_ENV: job.shared_dir or None,
        "MPLBACKEND": "Agg",
        **NUMERICAL_ENVIRONMENT,  # an ordinary kernel's own; a forked one has its zygote's (kernels._Zygote)
    }
    kernel_name = KERNEL_NAME
    if kernels.enabled():
        spec_base = kernels.kernelspec_dir(Path(job.kernels_dir))
        environment["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(spec_base), os.environ.get("JUPYTER_PATH")]))
        kernel_name = kernels.KERNEL_NAME
    output = work / "executed.ipynb"
    with temporary_environment(environment):
        if kernels.enabled():
            try:  # started now, it imports the chapters' libraries while this process imports papermill
                kernels.zygote()
            except OSError:  # the kernel's start reports it
                pass
        try:
            return _execute(job, nb, work, log, output, cache_dir, start, kernel_name)
        except BaseException:  # interrupted or a fault: leave no half-written run folder in the cache
            shutil.rmtree(work, ignore_errors=True)
            raise


def _execute(
    job: Job, nb, work: Path, log: Path, output: Path, cache_dir: Path, start: float, kernel_name: str
) -> Outcome:
    import papermill

    from .kernels import BookKernelManager

    try:
        # request_save_on_cell_execute=False: papermill would otherwise rewrite the whole notebook (charts
        # included) before and after every cell, 0.5-1.5 s of a chapter; it still writes it when a cell fails,
        # so only a kernel that dies leaves its source, not its partial outputs, as the failed notebook
        papermill.execute_notebook(
            nb,
            str(output),
            parameters=_passed_parameters(nb, job.parameters),
            kernel_name=kernel_name,
            progress_bar=False,
            log_output=False,
            cwd=job.cwd,
            request_save_on_cell_execute=False,
            kernel_manager_class=BookKernelManager,
            extra_arguments=KERNEL_ARGUMENTS,
        )
        recorded = inputs_module.read_log(log)
        if recorded is None:
            raise RuntimeError(
                "the kernel did not record the files it read (extension regbook.inputs did "
                "not load), so the result cannot be cached"
            )
        numerics = inputs_module.read_numerical_environment(log)
        if numerics is None or departures(numerics):
            raise RuntimeError(
                "the kernel did not run in the book's numerical environment ("
                + ("; ".join(departures(numerics)) if numerics else "nothing recorded")
                + "), so its results could differ from another process's"
            )
    except Exception as exc:  # papermill raises PapermillExecutionError; anything else is reported the same way
        failed = Path(job.failed_path)
        failed.parent.mkdir(parents=True, exist_ok=True)
        try:
            executed = nbformat.read(output, as_version=4)
            shutil.copy(output, failed)
        except Exception:
            executed = nb
            try:
                nbformat.write(nb, failed)
            except OSError:  # a full disk: no half-written notebook is kept; the build reports the fault
                failed.unlink(missing_ok=True)
                raise
        shutil.rmtree(work, ignore_errors=True)
        return Outcome(
            job.chapter, "failed", time.perf_counter() - start, job.key, str(failed), _describe_failure(executed, exc)
        )
    executed = nbformat.read(output, as_version=4)
    executed.metadata["kernelspec"] = dict(KERNELSPEC)  # readers re-execute with an ordinary Python 3 kernel
    _tag_injected_cells(executed)
    _number_cells(executed, job.chapter)
    for key in ("papermill",):
        executed.metadata.pop(key, None)
    for cell in executed.cells:
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(executed, output)
    duration = round(time.perf_counter() - start, 3)  # as stored, so a cached rerun shows the same figure
    (work / "meta.json").write_text(
        json.dumps(
            {
                "chapter": job.chapter,
                "key": job.key,
                "parameters": job.parameters,
                "inputs": recorded,
                "duration_seconds": duration,
                "numerical_environment": numerics,
            },
            indent=1,
            sort_keys=True,
        )
    )
    log.unlink()
    if cache_dir.exists():
        shutil.rmtree(cache_dir)
    work.rename(cache_dir)
    return Outcome(job.chapter, "executed", duration, job.key, str(cache_dir / "executed.ipynb"))
