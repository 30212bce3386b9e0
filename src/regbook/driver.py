"""The whole build: run every variant's chapters, then stage, compile and export them."""

from __future__ import annotations

import concurrent.futures as cf
import errno
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers import paths

from . import compile_server, fingerprint
from .compile import compile_site
from .execute import Outcome
from .export import write_results
from .landing import write_landing_page
from .layout import BuildError, BuildInterrupted, describe_os_error, out_of_space, space_needed
from .lock import build_lock
from .planning import Executor, Variant, default_workers, run
from .processes import stop_descendants, sweep
from .screenshots import take_screenshots
from .staging import stage


@dataclass
class BuildReport:
    """What a run or build did: outcomes per variant, which variants compiled, and whether all succeeded."""

    outcomes: dict[str, list[Outcome]]
    compiled: dict[str, bool] = field(default_factory=dict)
    seconds: float = 0.0
    #: Seconds each variant's site compile took (wall clock; compiles run side by side).
    compile_seconds: dict[str, float] = field(default_factory=dict)
    #: Each compiled variant's site: "built", "unchanged" (the staged book was the current site's) or "failed".
    sites: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        failed = any(o.status == "failed" for rows in self.outcomes.values() for o in rows)
        return not failed and all(self.compiled.values())

    def failures(self) -> list[Outcome]:
        return [o for rows in self.outcomes.values() for o in rows if o.status == "failed"]


def recover(variants: list[Variant], log: Callable[[str], None]) -> None:
    """Undo what an interrupted build left: its processes, run folders and a half-done swap of a site."""
    sweep(paths.BUILD_DIR / ".kernels", paths.BUILD_DIR / ".cache", log)
    for variant in variants:
        _drop_partial_site(variant)
        for folder in (variant.layout.html, variant.layout.results):
            outgoing = folder.with_name(f".{folder.name}-outgoing")  # compile.replace_folder's
            if outgoing.exists() and not folder.exists():  # stopped between the two renames
                outgoing.rename(folder)


def _drop_partial_site(variant: Variant) -> None:
    """Remove a half-copied new site (the current one stays where it is)."""
    try:
        for name in (".html-incoming", ".incoming"):  # a local compile's, a site sent back by a worker
            shutil.rmtree(variant.layout.base / name, ignore_errors=True)
    except OSError:  # cleaning up must not hide the fault being reported
        pass


def build(
    variants: list[Variant],
    jobs: int | None = None,
    compile_html: bool = True,
    chapters: list[str] | None = None,
    progress: Callable[[Outcome], None] | None = None,
    log: Callable[[str], None] = print,
    screenshots: bool = False,
    wait: bool = True,
    executor: Executor | None = None,
    planned: tuple | None = None,
    landing: bool = True,
) -> BuildReport:
    """Run every variant's chapters, then (when all succeeded) stage, compile and export each variant.

    Holds the build folder's lock throughout (``wait=False``: refuse when another build holds it). Raises
    ``BuildInterrupted`` on Ctrl-C, after stopping every process the build started, and ``BuildError`` with one
    line for a file-system fault (read-only or full disk...); either way the previous site is kept and no
    half-written site or run folder is left. ``executor`` runs the chapter executions elsewhere (a Dask cluster,
    ``regbook.dask_batch``); staging, compiling and exporting stay in this process. ``planned`` is
    ``plan(variants, chapters)`` when the caller made it already, holding the build lock (the command line does,
    to size its progress bar); it is not made again. ``landing=False``: no landing page (a batch writes its own,
    of all its regions, ``regbook.batch``).
    """
    stage_name = ["taking the build lock"]
    if compile_html:
        compile_server.prewarm()  # Jupyter Book imports while the chapters are planned and executed
    try:
        with build_lock(paths.BUILD_DIR, wait=wait, log=log):
            stage_name[0] = "cleaning up after an earlier build"
            recover(variants, log)
            return _build(
                variants,
                jobs,
                compile_html,
                chapters,
                progress,
                log,
                screenshots,
                stage_name,
                executor,
                planned,
                landing,
            )
    except KeyboardInterrupt as exc:
        stop_descendants()
        sweep(paths.BUILD_DIR / ".kernels", paths.BUILD_DIR / ".cache", log=lambda m: None)  # killed runs' folders
        for variant in variants:
            _drop_partial_site(variant)
        if isinstance(exc, BuildInterrupted):
            raise
        raise BuildInterrupted(stage_name[0]) from None
    except OSError as exc:
        for variant in variants:
            _drop_partial_site(variant)
        needed = space_needed([v.layout for v in variants]) if exc.errno in (errno.ENOSPC, errno.EDQUOT) else None
        raise BuildError(
            f"{describe_os_error(exc, needed)} (while {stage_name[0]}; the previous site is kept)"
        ) from None
    finally:
        compile_server.stop_build_server()


def _build(
    variants: list[Variant],
    jobs: int | None,
    compile_html: bool,
    chapters: list[str] | None,
    progress: Callable[[Outcome], None] | None,
    log: Callable[[str], None],
    screenshots: bool,
    stage_name: list[str],
    executor: Executor | None = None,
    planned: tuple | None = None,
    landing: bool = True,
) -> BuildReport:
    start = time.perf_counter()
    inputs_at_start = fingerprint.static_inputs() if compile_html and not chapters else None
    stage_name[0] = "executing chapters"
    outcomes = run(variants, chapters=chapters, jobs=jobs, progress=progress, executor=executor, planned=planned)
    _stop_on_a_full_disk(outcomes)
    report = BuildReport(outcomes)
    if not compile_html:
        report.seconds = time.perf_counter() - start
        return report
    ready = [v for v in variants if not any(o.status == "failed" for o in outcomes[v.name])]
    for variant in variants:
        if variant not in ready:
            report.compiled[variant.name] = False
            log(f"{variant.name}: not compiled because a chapter failed; the previous site is kept")
    stage_name[0] = "staging the book"
    fingerprints = {v.name: stage(v, outcomes[v.name]) for v in ready}
    stage_name[0] = "compiling the site" + (f" of {', '.join(v.name for v in ready)}" if len(variants) > 1 else "")
    compile_status: dict[str, str] = {}
    workers = max(1, min(jobs or default_workers(), len(ready)))  # a compile also waits (on its server)
    with cf.ThreadPoolExecutor(max_workers=workers) as pool:  # each compile is its own subprocess
        futures = {pool.submit(_timed, compile_site, v, fingerprints[v.name], log): v for v in ready}
        for future in cf.as_completed(futures):
            compile_status[futures[future].name], report.compile_seconds[futures[future].name] = future.result()
    report.compiled.update({name: status != "failed" for name, status in compile_status.items()})
    report.sites.update(compile_status)
    stage_name[0] = "writing results.json"
    for variant in ready:
        if report.compiled[variant.name]:
            (variant.layout.failed / "jupyter-book.log").unlink(missing_ok=True)
            for folder in (variant.layout.failed, variant.layout.failed.parent):  # failed/<variant>, failed/
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
            write_results(variant, outcomes[variant.name])
            if screenshots:  # a site built now or unchanged: pages without current screenshots get them
                take_screenshots(variant, log)
    if landing and (len(variants) > 1 or variants[0].name != "default"):
        write_landing_page([v for v in variants if v.name != "default"] or variants)
    if inputs_at_start is not None and report.ok:  # lets the next `build` of the same request stop at once
        fingerprint.record(variants, inputs_at_start, outcomes)
    report.seconds = time.perf_counter() - start
    return report


def _stop_on_a_full_disk(outcomes: dict[str, list[Outcome]]) -> None:
    """Raise the full disk's OSError when chapters failed for want of space (their kernels, or the workers writing
    their notebooks): one line for the build, not a failure per chapter; the notebooks they left are dropped."""
    full = [o for rows in outcomes.values() for o in rows if o.status == "failed" and out_of_space(o.error)]
    if full:
        for outcome in full:
            if outcome.notebook:
                Path(outcome.notebook).unlink(missing_ok=True)  # written into a full disk: maybe cut short
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(paths.BUILD_DIR / ".cache"))


def _timed(function, *args):
    """``function(*args)`` and the seconds it took."""
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def clean(wait: bool = True, log: Callable[[str], None] = print) -> list[Path]:
    """Remove build outputs (everything in ``_build`` but its lock file); returns what was removed.

    Takes the build lock first: a running build is never pulled from under it.
    """
    removed = []
    if not paths.BUILD_DIR.exists():
        return removed
    with build_lock(paths.BUILD_DIR, wait=wait, log=log):
        for path in sorted(paths.BUILD_DIR.iterdir()):
            if path.name == ".lock":
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed
