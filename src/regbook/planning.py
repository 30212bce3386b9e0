"""Variants (the default book or a region's), planning what to execute, and running it in parallel."""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from helpers import params as params_module
from helpers import paths

from .cache import cache_entry, chapter_key, helpers_hash
from .chapters import (
    chapter_id,
    chapter_ids,
    declared_parameters,
    read_chapter,
    toc_entries,
)
from .execute import EDITION_PARAMETER, Job, Outcome, execute_job
from .layout import LANGUAGES, BuildError, BuildInterrupted, Layout, check_language
from .processes import stop_descendants, worker_setup


@dataclass
class Variant:
    """One book to run: a name, its validated parameters and the language of its edition (every chapter's kernel
    gets it as the parameter ``language``)."""

    name: str
    parameters: dict[str, Any]
    language: str = LANGUAGES[0]

    @property
    def layout(self) -> Layout:
        return Layout(self.name, self.language)


def make_variant(
    region: str | None = None, overrides: dict[str, Any] | None = None, language: str = LANGUAGES[0]
) -> Variant:
    """The default book (``region=None``) or a region's variant, with validated parameters, in ``language``
    (one of ``LANGUAGES``, else ``BuildError``)."""
    check_language(language)
    values = dict(overrides or {})
    if region is not None:
        values["focus_region"] = region
    if "language" in params_module.PARAMETERS:  # once the library declares it, its value is the edition's
        values["language"] = language
    validated = params_module.validate(values)
    name = "default" if region is None else validated["focus_region"]
    return Variant(name, validated, language)


def plan(
    variants: list[Variant], chapters: list[str] | None = None
) -> tuple[list[Job], dict[tuple[str, str], Outcome]]:
    """Jobs to execute (deduplicated across variants by cache key) and the outcomes already cached."""
    helpers = helpers_hash()
    entries = toc_entries()
    known = [chapter_id(e) for e in entries]
    if chapters:
        unknown = [c for c in chapters if c not in known]
        if unknown:
            raise BuildError(f"unknown chapter(s) {', '.join(unknown)}; valid: {', '.join(known)}")
    from helpers import datapackage

    try:
        datapackage.check_readable()
    except datapackage.DataError as exc:
        raise BuildError(str(exc)) from None
    jobs: dict[str, Job] = {}
    cached: dict[tuple[str, str], Outcome] = {}
    hashes: dict[str, str | None] = {}  # input file hashes, shared by every entry this plan checks
    for variant in variants:
        for entry in entries:
            chapter = chapter_id(entry)
            if chapters and chapter not in chapters:
                continue
            nb = read_chapter(entry)
            declared = declared_parameters(nb)
            unknown_params = [p for p in declared if p not in params_module.PARAMETERS]
            if unknown_params:
                raise BuildError(
                    f"chapter {chapter}: parameters cell declares unknown parameter(s) "
                    f"{', '.join(unknown_params)}; declare them in helpers.params"
                )
            used = {name: variant.parameters[name] for name in declared}
            used[EDITION_PARAMETER] = variant.language  # every kernel, whether its parameters cell declares it or not
            key = chapter_key(nb, used, helpers)
            entry_cache = cache_entry(variant.layout, chapter, key)
            if entry_cache.valid(hashes):
                meta = entry_cache.meta() or {}
                cached[(variant.name, chapter)] = Outcome(
                    chapter, "cached", float(meta.get("duration_seconds", 0)), key, str(entry_cache.notebook)
                )
                continue
            job = jobs.get(key + chapter)
            if job is None:
                jobs[key + chapter] = Job(
                    chapter=chapter,
                    entry=entry,
                    key=key,
                    parameters=used,
                    notebook_json=nbformat.writes(nb),
                    cache_dir=str(entry_cache.path),
                    failed_path=str(variant.layout.failed / f"{chapter}.ipynb"),
                    cwd=str(paths.CHAPTERS_DIR),
                    data_dir=str(paths.DATA_DIR),
                    kernels_dir=str(variant.layout.build / ".kernels"),
                )
            cached.setdefault((variant.name, chapter), Outcome(chapter, "pending", 0.0, key))
    return list(jobs.values()), {k: v for k, v in cached.items()}


#: Where a build's kernels share results (``helpers.sharing``): ``<build>/.shared/<pid>-<ns>``, one per run.
SHARED_RESULTS = ".shared"


def _shared_results_folder(build: Path, todo: list[Job]) -> Path | None:
    """A fresh folder for the results this run's kernels share, named in each job; None for fewer than two jobs.
    A run holds the build's lock, so a folder found here was left by a run that was killed: it is removed."""
    if len(todo) < 2:
        return None
    parent = build / SHARED_RESULTS
    shutil.rmtree(parent, ignore_errors=True)
    folder = parent / f"{os.getpid()}-{time.monotonic_ns()}"
    try:
        folder.mkdir(parents=True)
    except OSError:
        return None
    for job in todo:
        job.shared_dir = str(folder)
    return folder


def succeeded(variant: Variant, outcomes: dict[tuple[str, str], Outcome], executed: dict[str, Outcome]) -> list[str]:
    """The chapters of ``variant`` that succeeded in this run (cached, or executed without failing)."""
    good = []
    for (name, chapter), outcome in outcomes.items():
        if name != variant.name:
            continue
        done = executed.get(outcome.key + chapter) if outcome.status == "pending" else outcome
        if done is not None and done.status in ("cached", "executed"):
            good.append(chapter)
    return good


#: Runs a plan's jobs somewhere else (e.g. ``regbook.dask_batch.DaskExecutor``): given the jobs, the
#: progress callback and the variants each job serves (``owners``, keyed like the result), returns each job's
#: Outcome keyed by ``job.key + job.chapter``. On Ctrl-C it stops what it started, then lets KeyboardInterrupt through.
Executor = Callable[[list[Job], Callable[[Outcome], None] | None, dict[str, list[str]]], dict[str, Outcome]]


def default_workers() -> int:
    """Chapter executions run side by side by default: one more than the cores. Part of every chapter is spent
    waiting on its kernel (starting, stopping, passing messages); the extra worker keeps the cores busy meanwhile
    (three region variants on two cores: 14% of the cores' time idle with two workers, 1% with three)."""
    return (os.cpu_count() or 1) + 1


def run(
    variants: list[Variant],
    chapters: list[str] | None = None,
    jobs: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
    executor: Executor | None = None,
    planned: tuple[list[Job], dict[tuple[str, str], Outcome]] | None = None,
    keep_kernels: bool = False,
) -> dict[str, list[Outcome]]:
    """Execute what is not cached (in parallel worker processes, or with ``executor``); return each variant's
    outcomes in toc order. The plan is made here, before anything is handed to ``executor``, unless ``planned`` is
    ``plan(variants, chapters)`` made by the caller already (under the same build lock). ``keep_kernels``: leave
    this process's kernel zygote up for the next run (a Dask worker building one region after another).
    """
    for variant in variants:
        variant.layout.cache.mkdir(parents=True, exist_ok=True)
    todo, outcomes = planned if planned is not None else plan(variants, chapters)
    executed: dict[str, Outcome] = {}
    workers = max(1, min(jobs or default_workers(), len(todo) or 1))
    running: list[str] = []  # chapters in flight, named when Ctrl-C stops the run
    shared = _shared_results_folder(variants[0].layout.build, todo) if variants else None
    if todo:
        from . import compile_server

        compile_server.yield_to_executions()  # the warm Jupyter Book's imports are not what executions wait for
    try:
        if todo and executor is not None:
            owners: dict[str, list[str]] = {}
            for (name, chapter), outcome in outcomes.items():
                if outcome.status == "pending":
                    owners.setdefault(outcome.key + chapter, []).append(name)
            executed = executor(todo, progress, owners)
        elif todo and workers == 1:
            for job in todo:
                running[:] = [job.chapter]
                outcome = execute_job(job)
                executed[job.key + job.chapter] = outcome
                if progress:
                    progress(outcome)
        elif todo:
            from . import kernels

            if kernels.enabled():
                kernels.share_zygote()  # one for all the workers (they inherit its address)
            ctx = multiprocessing.get_context("spawn")
            pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=worker_setup)
            futures: dict[cf.Future, Job] = {}
            try:
                futures = {pool.submit(execute_job, job): job for job in todo}
                for future in cf.as_completed(futures):
                    job = futures[future]
                    try:
                        outcome = future.result()
                    except Exception as exc:  # a crashed worker: report, keep going
                        outcome = Outcome(job.chapter, "failed", 0.0, job.key, "", f"worker crashed: {exc}")
                    executed[job.key + job.chapter] = outcome
                    if progress:
                        progress(outcome)
                    running[:] = sorted({j.chapter for f, j in futures.items() if f.running()})
            except BaseException:
                running[:] = sorted({j.chapter for f, j in futures.items() if not f.done()})
                stop_descendants()  # workers, their zygotes and kernels: at once, not after the running cells
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
    except KeyboardInterrupt:
        stop_descendants()
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # the killed kernel's pending tasks: no noise
        names = ", ".join(running) or "chapters"
        raise BuildInterrupted(f"executing {names}") from None
    finally:
        if todo and not keep_kernels:
            from . import kernels

            kernels.close_zygote()
        if shared is not None:
            shutil.rmtree(shared, ignore_errors=True)
    for variant in variants:  # a chapter that now succeeds has no failed notebook any more
        for chapter in succeeded(variant, outcomes, executed):
            (variant.layout.failed / f"{chapter}.ipynb").unlink(missing_ok=True)
    result: dict[str, list[Outcome]] = {}
    order = chapter_ids()
    for variant in variants:
        rows = []
        for chapter in order:
            outcome = outcomes.get((variant.name, chapter))
            if outcome is None:
                continue
            if outcome.status == "pending":
                done = executed[outcome.key + chapter]
                outcome = Outcome(chapter, done.status, done.duration, done.key, done.notebook, done.error)
                if outcome.status == "failed":
                    target = variant.layout.failed / f"{chapter}.ipynb"
                    if done.notebook and Path(done.notebook) != target and Path(done.notebook).exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy(done.notebook, target)
                    outcome.notebook = str(target)
            rows.append(outcome)
        result[variant.name] = rows
    return result
