"""A batch of region books: ``python -m helpers build`` for more than one region (``--all-regions``, region files by
folder, glob or list) or with ``--scheduler`` (docs/batch.md).

1. **Inputs** (``collect``, ``validate``): every region file is read and checked before anything is built; an
   invalid file (a broken schema, a duplicated id, a path that names nothing) is listed with its one-line message
   (file, line, column and the value as the file has it, from ``helpers.region_file``), and the valid ones are
   built. ``--region-file`` takes a region file, a folder of them, a glob (``'regions/*.csv'``, quoted so that the
   shell leaves it) or a list: a ``.txt`` file naming one region file, folder or glob per line (relative to the
   list's folder; blank lines and ``#`` comments skipped).
2. **What changed** (``stamp``): a region whose inputs (the book's sources, data, code and packages, its parameters
   and the bytes of every file they name) and outputs (its ``results.json``) are as its last successful batch
   build left them is unchanged and is not built again; the others (changed, new, failed last time) are.
3. **Building**: locally (``driver.build``: the process pool executes, this machine compiles) or on a Dask
   cluster (``dask_batch.DaskBatch``: a region's whole book is one task on a worker; its site comes back as an
   archive, put in place here as atomically as a local compile's, ``install_site``). A region that fails (a
   chapter, its compile, its worker lost twice) is reported with its cause and keeps its previous site; the
   others go on.
4. **The summary** (``BatchSummary``): built, unchanged, invalid and failed regions, each invalid or failed one
   with its cause; the exit status is non-zero when anything was invalid or failed. ``<build>/regions/batch.json``
   keeps each region's status and timings (the worker's seconds, its compile, its peak memory), and the client's
   own share of the time. The landing page (``regbook.landing``) lists every region of the batch.
"""

from __future__ import annotations

import concurrent.futures as cf
import glob
import hashlib
import json
import os
import shutil
import sys
import tarfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from helpers import paths

from .layout import LANGUAGES, Layout
from .planning import Variant

#: A ``--region-file`` argument with this suffix is a list of region files, one per line.
LIST_SUFFIX = ".txt"
#: The largest list file read (bytes): some 60,000 lines of paths.
LIST_LIMIT = 4 << 20
#: Characters that make a ``--region-file`` argument a glob pattern (when no file of that name exists).
GLOB_CHARACTERS = "*?["
#: Beside a region's ``html/`` and ``results/``: what its last successful batch build was made from.
STAMP_NAME = ".batch-stamp.json"
#: The batch's record of statuses and timings, under ``<build>/regions/``.
RECORD_NAME = "batch.json"
#: Sites sent back by a cluster's workers that the client puts in place side by side (unpacking is mostly zlib and
#: file writes, which run outside Python's lock): one per core, up to 8.
INSTALL_THREADS = max(1, min(8, os.cpu_count() or 1))


class BatchInputError(ValueError):
    """A ``--region-file`` argument that names nothing to build (the message is one line)."""


@dataclass(frozen=True)
class Invalid:
    """A region file that cannot be built, with the one-line message that says why (it names the file)."""

    path: str
    message: str


# --- 1. inputs -----------------------------------------------------------------------------------------------------


def is_list(argument: str) -> bool:
    """True when a ``--region-file`` argument names a list of region files (``LIST_SUFFIX``)."""
    return Path(argument).suffix.lower() == LIST_SUFFIX and not os.path.isdir(os.path.expanduser(argument))


def list_lines(path: Path) -> list[str]:
    """The entries of a list of region files: its lines, without blank lines and ``#`` comments."""
    from helpers import user_files

    raw = user_files.read_bytes(
        path, "a list of region files (text, one path per line)", limit=LIST_LIMIT, error=BatchInputError
    )
    try:
        lines = raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise BatchInputError(
            f"{user_files.display(path)}: not UTF-8 text (byte {exc.start}); expected a list of "
            "region files, one path per line"
        ) from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def expand(argument: str, base: Path | None = None) -> list[Path]:
    """The region files one entry names, as absolute paths: a file, a folder (every region file in it) or a glob
    (its matches that are region files); ``base``: the folder a relative entry is in (a list's). Raises
    ``RegionFileError`` or ``BatchInputError`` with one line."""
    from helpers import region_file

    text = os.path.expanduser(argument)
    path = Path(text) if base is None else base / text
    if not os.path.lexists(path) and any(ch in text for ch in GLOB_CHARACTERS):
        chosen = _region_files_among(sorted(Path(m) for m in glob.glob(str(path), recursive=True)))
        if not chosen:
            raise BatchInputError(f"{argument}: no region file (*.csv) matches this pattern")
        return chosen
    return region_file.region_files(path)


def _region_files_among(matches: list[Path]) -> list[Path]:
    """The glob's matches that are region files: ``*.csv`` files that no other file's sidecar names as its
    reference (as for a folder, ``helpers.region_file.region_files``)."""
    from helpers import region_file

    chosen = []
    by_folder: dict[Path, set[Path]] = {}
    for match in matches:
        if match.suffix.lower() != ".csv" or not match.is_file():
            continue
        match = Path(os.path.abspath(match))
        if match.parent not in by_folder:
            by_folder[match.parent] = set(region_file.region_files(match.parent))
        if match in by_folder[match.parent]:
            chosen.append(match)
    return chosen


def collect(arguments: list[str]) -> tuple[list[Path], list[Invalid]]:
    """Every region file the arguments name, in order and each once, and the arguments (or list entries) that name
    none, as ``Invalid``."""
    from helpers import region_file

    files: dict[Path, None] = {}
    invalid: list[Invalid] = []

    def add(entry: str, base: Path | None = None) -> None:
        try:
            if is_list(entry):
                if base is not None:
                    raise BatchInputError(f"{base / entry}: a list of region files may not name another list")
                path = Path(os.path.abspath(os.path.expanduser(entry)))
                for line in list_lines(path):
                    add(line, path.parent)
                return
            files.update(dict.fromkeys(expand(entry, base)))
        except (region_file.RegionFileError, BatchInputError) as exc:
            invalid.append(Invalid(entry, str(exc)))

    for argument in arguments:
        add(argument)
    return list(files), invalid


@dataclass
class BatchInputs:
    """A batch's valid variants (report regions first, then region files), the regions of the region-file variants
    and their comparison with the report's (``helpers.user_region.compare``), by variant name, and what is
    invalid."""

    variants: list[Variant]
    regions: dict[str, Any] = field(default_factory=dict)
    comparisons: dict[str, Any] = field(default_factory=dict)
    invalid: list[Invalid] = field(default_factory=list)
    seconds: float = 0.0  # validating them (and this process's CPU seconds for it, ``cpu_seconds``)
    cpu_seconds: float = 0.0


def validate(
    report_variants: list[Variant],
    arguments: list[str],
    overrides: dict[str, Any],
    warn: Callable[[str], None] | None = None,
    language: str = LANGUAGES[0],
) -> BatchInputs:
    """Check every region file the arguments name (``collect``) and make a variant of each valid one, as
    ``region_file_variants`` does; the invalid ones are listed, not raised. ``overrides`` were validated
    already (``params.validate``), so a parameter error cannot be one file's. What reading a valid file noticed (a
    Dutch spreadsheet, no provenance sidecar: ``UserRegion.notes``) goes to ``warn``."""
    from helpers import params, region_file, user_region

    started, cpu = time.perf_counter(), time.process_time()
    files, invalid = collect(arguments)
    inputs = BatchInputs(list(report_variants), invalid=invalid)
    taken = {v.name: "the report's regions" for v in report_variants}
    for path in files:
        try:
            region = region_file.load(path)
        except region_file.RegionFileError as exc:
            inputs.invalid.append(Invalid(str(path), str(exc)))
            continue
        if region.id in taken:
            inputs.invalid.append(
                Invalid(
                    str(path),
                    f"{path}: region id {region.id!r} is also the id in "
                    f"{taken[region.id]}; each region file needs its own id",
                )
            )
            continue
        taken[region.id] = str(path)
        for note in region.notes if warn else ():
            warn(note)
        comparison = user_region.compare(region)
        values = {"focus_region": comparison.nearest, **overrides}
        parameters = params.validate(values)  # the region file was validated by load: not read a second time
        parameters["region_file"] = str(region.path)
        inputs.variants.append(Variant(region.id, parameters, language))
        inputs.regions[region.id] = region
        inputs.comparisons[region.id] = comparison
    inputs.seconds, inputs.cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return inputs


def region_file_variants(
    region_files: list[str], overrides: dict[str, Any] | None = None, warn: Callable[[str], None] | None = None
) -> list[Variant]:
    """One variant per region file (a folder, a glob or a list stands for every region file it names), validated
    before any kernel starts: named after the region's id, with ``region_file`` set and, unless ``overrides`` sets
    it, the report region whose sector profile is nearest as ``focus_region``. Raises ``ParameterError`` (one line
    naming file, line and column) for the first bad file, or for two files with the same region id; a batch lists
    them all instead (``regbook.batch.validate``). What a file's reading noticed (a Dutch spreadsheet, no provenance
    sidecar) goes to ``warn`` (default: a ``warning:`` line on standard error).
    """
    from helpers import params

    warn = warn or (lambda note: print(f"warning: {note}", file=sys.stderr))
    overrides = dict(overrides or {})
    params.validate(overrides)
    inputs = validate([], region_files, overrides, warn=warn)
    if inputs.invalid:
        raise params.ParameterError(inputs.invalid[0].message)
    return inputs.variants


def input_files(variant: Variant, region: Any = None) -> list[Path]:
    """Every file a variant's parameters name: its region file with its provenance sidecar and the reference file
    the sidecar names (with its own sidecar), and a cohort file."""
    from helpers import region_file

    files = []
    if region is not None:
        for named in (region, region.reference):
            if named is not None:
                sidecar = region_file.provenance_path(named.path)  # a bare CSV has none
                files += [Path(named.path), *([sidecar] if sidecar.is_file() else [])]
    if variant.parameters.get("cohort_path"):
        files.append(Path(variant.parameters["cohort_path"]))
    return files


# --- 2. what changed -----------------------------------------------------------------------------------------------


def stamp(variant: Variant, files: list[Path], static: dict[str, str]) -> str:
    """Digest of what a region's book is made from: ``static`` (``fingerprint.static_inputs()``: the book's
    sources, data, code, packages and folders), its name and parameters, and the bytes of ``files``."""
    from .fingerprint import file_digest

    payload = {
        "static": static,
        "name": variant.name,
        "parameters": variant.parameters,
        "files": {str(path): file_digest(path) for path in files},
    }
    if variant.language != LANGUAGES[0]:
        payload["language"] = variant.language
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def unchanged(layout: Layout, digest: str) -> bool:
    """True when the region's last successful batch build was made from ``digest`` and its site and results are
    still the ones it left (another build of the region rewrites ``results.json``)."""
    from .fingerprint import file_digest

    try:
        recorded = json.loads((layout.base / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(recorded, dict)
        and recorded.get("inputs") == digest
        and (layout.html / "index.html").is_file()
        and recorded.get("results") == file_digest(layout.results / "results.json")
    )


def record_stamp(layout: Layout, digest: str) -> None:
    """After a region was built (or found unchanged by its compile): remember what it was made from."""
    from .export import _write_atomic
    from .fingerprint import file_digest

    _write_atomic(
        layout.base / STAMP_NAME,
        json.dumps({"inputs": digest, "results": file_digest(layout.results / "results.json")}, sort_keys=True) + "\n",
    )


# --- 3. building ---------------------------------------------------------------------------------------------------


@dataclass
class RegionStatus:
    """One region's outcome in a batch: "built", "unchanged" or "failed" (``cause``: why, in one line), and, for a
    region built on a cluster, the worker's figures."""

    name: str
    status: str
    cause: str = ""
    seconds: float = 0.0  # on the worker (a cluster), the whole task
    execute_seconds: float = 0.0  # of it, its chapters' executions (a chapter another region ran first: 0)
    compile_seconds: float = 0.0
    peak_mb: float = 0.0  # the worker's process tree at its highest during the task
    worker_mb: float = 0.0  # the worker process itself when the task ended
    where: str = ""
    install_seconds: float = 0.0  # the client's: unpacking the site and putting it in place


def install_site(archive: bytes, layout: Layout) -> None:
    """Put a site built elsewhere (``region_book.pack_site``: ``html/`` and ``results/``) in place of the region's
    current one: unpacked beside it, checked, then each folder swapped in with two renames, as a local compile does
    (an interrupted batch leaves the previous site or the new one, and the next build removes the leftovers)."""
    from .compile import replace_folder
    from .region_book import unpack

    incoming = layout.base / ".incoming"
    shutil.rmtree(incoming, ignore_errors=True)
    try:
        unpack(archive, incoming)
        if not (incoming / "html" / "index.html").is_file() or not (incoming / "results" / "results.json").is_file():
            raise RuntimeError("the site sent back has no html/index.html or results/results.json")
        replace_folder(incoming / "results", layout.results)
        replace_folder(incoming / "html", layout.html)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)


def build_on_cluster(
    variants: list[Variant],
    inputs: BatchInputs,
    scheduler: str,
    log: Callable[[str], None],
    done: Callable[[RegionStatus], None],
    client_seconds: dict[str, float],
    workers: int | None = None,
) -> None:
    """Build ``variants`` on a Dask cluster, one task per region; each finished site is put in place here
    (``install_site``, ``INSTALL_THREADS`` at a time) and ``done`` gets its status (one call at a time)."""
    from .dask_batch import DaskBatch
    from .region_book import RegionTask, this_project

    started = time.perf_counter()
    project = this_project()
    tasks = []
    for variant in variants:
        files = input_files(variant, inputs.regions.get(variant.name))
        tasks.append(
            RegionTask(
                variant.name, variant.parameters, {str(p): p.read_bytes() for p in files}, project, variant.language
            )
        )
    client_seconds["shipping inputs"] = time.perf_counter() - started
    layouts = {v.name: v.layout for v in variants}
    pool = cf.ThreadPoolExecutor(max_workers=INSTALL_THREADS)
    room = threading.BoundedSemaphore(2 * INSTALL_THREADS)  # sites held here at once: arrived, not yet in place
    one_at_a_time = threading.Lock()
    installs = []

    def put_in_place(result) -> None:
        try:
            executed = sum(seconds for _, state, seconds in result.chapters if state == "executed")
            status = RegionStatus(
                result.name,
                result.status,
                result.error,
                result.seconds,
                executed,
                result.compile_seconds,
                result.peak_mb,
                result.worker_mb,
                result.where,
            )
            if result.status == "built":
                started = time.perf_counter()
                try:
                    install_site(result.site, layouts[result.name])
                except (OSError, RuntimeError, ValueError, tarfile.TarError) as exc:
                    from .layout import describe_os_error

                    why = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
                    status = RegionStatus(result.name, "failed", f"its site could not be put in place: {why}")
                status.install_seconds = time.perf_counter() - started
            with one_at_a_time:
                done(status)
        finally:
            room.release()

    def arrived(result) -> None:
        room.acquire()
        installs.append(pool.submit(put_in_place, result))

    cluster = DaskBatch(scheduler, log=log, n_workers=workers)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        cluster.connect()  # a LocalCluster starts here; a remote one is reached and its workers checked
        client_seconds["reaching the cluster"] = time.perf_counter() - started
        client_seconds["reaching the cluster (CPU)"] = time.process_time() - cpu
        cluster.build(tasks, arrived)
    finally:
        pool.shutdown(wait=True)
    for install in installs:
        install.result()  # anything unexpected is raised here


def build_locally(
    variants: list[Variant],
    planned: tuple,
    jobs: int | None,
    log: Callable[[str], None],
    progress: Callable | None,
    screenshots: bool,
) -> dict[str, RegionStatus]:
    """Build ``variants`` with the local process pool and this machine's compiles (``driver.build``, without its
    landing page); each region's status."""
    from .driver import build

    report = build(
        variants, jobs=jobs, log=log, progress=progress, planned=planned, screenshots=screenshots, landing=False
    )
    statuses = {}
    for variant in variants:
        failures = [o for o in report.outcomes[variant.name] if o.status == "failed"]
        site = report.sites.get(variant.name, "failed")
        if failures:
            cause = "; ".join(f"{o.chapter}: {o.error}" for o in failures)
        elif site == "failed":
            cause = f"its site did not compile (log: {variant.layout.failed / 'jupyter-book.log'})"
        else:
            cause = ""
        statuses[variant.name] = RegionStatus(variant.name, "failed" if cause else site, cause)
    return statuses


def run_batch(
    inputs: BatchInputs,
    scheduler: str | None = None,
    jobs: int | None = None,
    log: Callable[[str], None] = print,
    on_plan: Callable[[int], None] | None = None,
    on_region: Callable[[str, str], None] | None = None,
    screenshots: bool = False,
    wait: bool = True,
    workers: int | None = None,
) -> BatchSummary:
    """Build the batch's changed regions (on ``scheduler``'s cluster, or here), write the landing page of all of
    them and ``batch.json``; return the summary. ``on_plan(n)``: n regions are to be built; ``on_region(name,
    status)``: one has finished ("built" or "failed"; here, "executed" or "failed" when its chapters are done, and
    its site compiles with the others after). Holds the build lock; raises ``BuildInterrupted`` on Ctrl-C (on a
    cluster, the regions finished by then keep their new sites and count as unchanged next time) and
    ``BuildError`` for a cluster that cannot be used. ``workers``: the LocalCluster's worker processes
    (``scheduler="local"``; default: one per core)."""
    from .driver import recover
    from .fingerprint import static_inputs
    from .landing import write_landing_page
    from .layout import BuildInterrupted
    from .lock import build_lock
    from .planning import plan

    started, cpu = time.perf_counter(), time.process_time()
    summary = BatchSummary(
        {}, list(inputs.invalid), where=f"Dask cluster ({scheduler})" if scheduler else "this machine (process pool)"
    )
    summary.client_seconds["validating the region files"] = inputs.seconds
    language = inputs.variants[0].language if inputs.variants else LANGUAGES[0]  # one edition per batch
    with build_lock(paths.BUILD_DIR, wait=wait, log=log):
        static = static_inputs()
        digests = {v.name: stamp(v, input_files(v, inputs.regions.get(v.name)), static) for v in inputs.variants}
        todo = []
        for variant in inputs.variants:
            if unchanged(variant.layout, digests[variant.name]):
                summary.statuses[variant.name] = RegionStatus(variant.name, "unchanged")
            else:
                todo.append(variant)
        summary.client_seconds["checking what changed"] = time.perf_counter() - started
        if on_plan:
            on_plan(len(todo))

        def finished(status: RegionStatus, announce: bool = True) -> None:
            summary.statuses[status.name] = status
            if status.status in ("built", "unchanged"):
                record_stamp(Layout(status.name, language), digests[status.name])
            if announce and on_region:
                on_region(status.name, status.status)

        if scheduler and not todo:
            log("nothing to build: every region is unchanged, so the Dask scheduler was not contacted")
        try:
            if todo and scheduler:
                recover(todo, log)
                build_on_cluster(todo, inputs, scheduler, log, finished, summary.client_seconds, workers)
            elif todo:
                planned = plan(todo)
                progress = region_progress(
                    planned[1],
                    lambda name, failures: on_region and on_region(name, "failed" if failures else "executed"),
                )
                for status in build_locally(todo, planned, jobs, log, progress, screenshots).values():
                    finished(status, announce=False)  # announced as its chapters finished
        except BuildInterrupted:  # the local build says what it interrupted
            raise
        except KeyboardInterrupt:
            raise BuildInterrupted("building the batch's regions on the cluster") from None
        landing_started = time.perf_counter()
        summary.statuses = {v.name: summary.statuses[v.name] for v in inputs.variants if v.name in summary.statuses}
        if any(v.name != "default" for v in inputs.variants):
            write_landing_page(inputs.variants, inputs.comparisons)  # in the batch's language
        summary.client_seconds["landing page"] = time.perf_counter() - landing_started
        summary.seconds = inputs.seconds + time.perf_counter() - started
        if scheduler:
            summary.client_seconds["putting sites in place"] = sum(s.install_seconds for s in summary.statuses.values())
        summary.client_cpu_seconds = inputs.cpu_seconds + time.process_time() - cpu
        summary.write(
            None if language == LANGUAGES[0] else Path(paths.BUILD_DIR) / "regions" / f"batch.{language}.json"
        )
    return summary


# --- 4. the summary ------------------------------------------------------------------------------------------------


@dataclass
class BatchSummary:
    """What a batch did, region by region, and how long it took (``client_seconds``: this machine's share, by
    step)."""

    statuses: dict[str, RegionStatus]
    invalid: list[Invalid]
    seconds: float = 0.0
    client_seconds: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of this process (the client) for the whole batch, validation included: its share of the work.
    client_cpu_seconds: float = 0.0
    where: str = ""

    def names(self, status: str) -> list[str]:
        return [name for name, s in self.statuses.items() if s.status == status]

    @property
    def ok(self) -> bool:
        return not self.invalid and not self.names("failed")

    def headline(self) -> str:
        counts = (
            ", ".join(f"{len(self.names(s))} {s}" for s in ("built", "unchanged"))
            + f", {len(self.invalid)} invalid, {len(self.names('failed'))} failed"
        )
        total = len(self.statuses) + len(self.invalid)
        return f"batch of {total} region{'s' * (total != 1)}: {counts} ({self.seconds:.1f} s)"

    def lines(self) -> list[str]:
        """The headline, then one line per invalid file and per failed region."""
        out = [self.headline()]
        out += [f"invalid: {item.message}" for item in self.invalid]
        out += [f"failed: {name}: {self.statuses[name].cause}" for name in self.names("failed")]
        return out

    def write(self, target: Path | None = None) -> Path:
        """``<build>/regions/batch.json``: each region's status, cause and timings, the invalid files, and the
        client's seconds by step."""
        from .export import _write_atomic

        target = target or Path(paths.BUILD_DIR) / "regions" / RECORD_NAME
        document = {
            "where": self.where,
            "seconds": round(self.seconds, 3),
            "client_seconds": {k: round(v, 3) for k, v in self.client_seconds.items()},
            "client_cpu_seconds": round(self.client_cpu_seconds, 3),
            "regions": [asdict(s) for s in self.statuses.values()],
            "invalid": [asdict(i) for i in self.invalid],
        }
        _write_atomic(target, json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        return target


def region_progress(planned_outcomes: dict, on_region: Callable[[str, int], None]) -> Callable:
    """A chapter-outcome callback (``planning.run``'s ``progress``) that calls ``on_region(name, failures)`` once
    for each region whose last pending chapter has just finished."""
    waiting: dict[str, set[str]] = {}
    for (name, chapter), outcome in planned_outcomes.items():
        if outcome.status == "pending":
            waiting.setdefault(name, set()).add(outcome.key + chapter)
    failures: dict[str, int] = {}

    def progress(outcome) -> None:
        job = outcome.key + outcome.chapter
        for name, jobs in waiting.items():
            if job in jobs:
                jobs.discard(job)
                failures[name] = failures.get(name, 0) + (outcome.status == "failed")
                if not jobs:
                    on_region(name, failures[name])

    return progress
