"""One region's whole book in one call, where it runs: execute its chapters, compile its site, write its results,
and hand the finished site back as one archive. This is the task a worker of a Dask cluster runs
(``regbook.dask_batch.DaskBatch``); it imports nothing of Dask.

The client ships what the book needs (``RegionTask``): the variant's name and validated parameters, the bytes of
every file those parameters name (the region file, its provenance sidecar, the reference file and its sidecar,
a cohort file), and the book's sources (``Project``: chapters, configuration, static files, data) as one archive
(``pack_project``). A worker that sees the project at the client's path with the same content (a shared file
system, or the same deployment) builds from there; any other unpacks the archive into its own folder once. An
input file that is not at its client path with the same bytes is written into the worker's folder, and the
chapters get that path; ``results.json`` records the client's parameters all the same, so it is byte for byte what
a local build writes (docs/results.md).

The worker keeps, between the regions it builds, a build folder of its own (its cache, so that a chapter every
region shares runs once per worker), its kernel zygote and its warm Jupyter Book; what belongs to one region (its
site, staging, compile folder and the cache entries that read its files) is removed once the site is packed, so
that the worker's disk and memory stay flat however many regions it builds.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tarfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import paths

from .layout import Layout

#: The book's sources a region's build reads, relative to the project folder (the data folder comes beside them).
BOOK_FILES = ("_config.yml", "_toc.yml", "CITATION.cff")
BOOK_FOLDERS = ("chapters", "_static", "locales")
#: Folders and files left out of the project archive (caches, checkpoints, build output).
_SKIPPED = {"__pycache__", ".ipynb_checkpoints", "_build", ".pytest_cache"}
#: gzip level of the archives: the sites are mostly text, and level 1 already shrinks them about four times.
COMPRESSION = 1


@dataclass(frozen=True)
class Project:
    """Where the client has the book's sources, and the digest of their content (``project_digest``)."""

    root: str
    data_dir: str
    digest: str


@dataclass
class RegionTask:
    """What a region's book needs: its name, the client's validated parameters, and the bytes of every file the
    parameters name, by the client's path."""

    name: str
    parameters: dict[str, Any]
    files: dict[str, bytes]
    project: Project
    language: str = "en"  # the edition (regbook.layout.LANGUAGES)


@dataclass
class RegionResult:
    """A region's book as built where it ran: "built" (``site``: an archive of its ``html/`` and ``results/``) or
    "failed" (``error``: the chapter, cell and exception, or the compile's log)."""

    name: str
    status: str
    error: str = ""
    site: bytes = field(default=b"", repr=False)
    chapters: list[tuple[str, str, float]] = field(default_factory=list)  # (chapter, status, seconds)
    seconds: float = 0.0  # the whole task, on the worker
    compile_seconds: float = 0.0
    peak_mb: float = 0.0  # resident memory of the worker's process tree (kernels, compiles) at its highest
    worker_mb: float = 0.0  # the worker process's own resident memory when the task ended
    where: str = ""  # host and process id


# --- the project ---------------------------------------------------------------------------------------------------


def book_files(root: Path | str, data_dir: Path | str) -> list[tuple[str, Path]]:
    """The book's source files as (name in the archive, path), sorted; the data folder's files under ``data/``."""
    root, data_dir = Path(root), Path(data_dir)
    found = [(name, root / name) for name in BOOK_FILES if (root / name).is_file()]
    for prefix, folder in [*((name, root / name) for name in BOOK_FOLDERS), ("data", data_dir)]:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIPPED)
            for filename in sorted(filenames):
                path = Path(dirpath) / filename
                if filename.endswith((".pyc", ".pyo")) or not path.is_file():
                    continue
                found.append((f"{prefix}/{path.relative_to(folder).as_posix()}", path))
    return sorted(found)


def project_digest(root: Path | str, data_dir: Path | str) -> str:
    """SHA-256 over the names and contents of ``book_files``: equal where the book is the same."""
    digest = hashlib.sha256()
    for name, path in book_files(root, data_dir):
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def this_project() -> Project:
    """The client's project (``helpers.paths``)."""
    return Project(str(paths.ROOT), str(paths.DATA_DIR), project_digest(paths.ROOT, paths.DATA_DIR))


def pack_project(project: Project) -> bytes:
    """The book's sources as a gzipped tar archive (a few hundred kB), for workers that do not have them."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=COMPRESSION) as archive:
        for name, path in book_files(project.root, project.data_dir):
            archive.add(path, arcname=name, recursive=False)
    return buffer.getvalue()


def _project_here(project: Project, bundle: bytes | None, workspace: Path) -> tuple[Path, Path]:
    """The project folder and data folder to build from on this machine (see the module's docstring)."""
    if Path(project.root).is_dir() and project_digest(project.root, project.data_dir) == project.digest:
        return Path(project.root), Path(project.data_dir)
    if bundle is None:
        raise RuntimeError(
            f"this worker has no copy of the project {project.root} with the client's content, and the client sent none"
        )
    folder = workspace / f"project-{project.digest[:16]}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        unpack(bundle, folder)
        if project_digest(folder, folder / "data") != project.digest:
            raise RuntimeError("the project the client sent did not unpack to its digest")
        (folder / ".complete").write_text(project.digest)
    return folder, folder / "data"


def unpack(archive: bytes, folder: Path) -> None:
    """Extract a gzipped tar archive into ``folder`` (regular files and folders only, nothing outside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        tar.extractall(folder, filter="data")


def _inputs_here(files: dict[str, bytes], workspace: Path) -> dict[str, str]:
    """Each input file's path on this machine by its client path: the client's path itself when the file is there
    with the same bytes, else a copy in the worker's folder that keeps the files' places relative to each other (a
    sidecar beside its region file, a reference file where the sidecar says)."""
    missing = {name: data for name, data in files.items() if not _same_bytes(Path(name), data)}
    where = {name: name for name in files if name not in missing}
    if missing:
        common = Path(os.path.commonpath([str(Path(name).parent) for name in missing]))
        key = hashlib.sha256(
            json.dumps(sorted((n, hashlib.sha256(d).hexdigest()) for n, d in missing.items())).encode()
        ).hexdigest()[:16]
        folder = workspace / "inputs" / key
        for name, data in missing.items():
            target = folder / Path(name).relative_to(common)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            where[name] = str(target)
    return where


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


@contextlib.contextmanager
def project_paths(root: Path, data_dir: Path, build_dir: Path) -> Iterator[None]:
    """Point this process (``helpers.paths``) and the kernels it starts (their environment) at a project, a data
    folder and a build folder for the block."""
    from .processes import temporary_environment

    saved = (paths.ROOT, paths.DATA_DIR, paths.BUILD_DIR, paths.CHAPTERS_DIR)
    environment = {"REGBOOK_ROOT": str(root), "REGBOOK_DATA_DIR": str(data_dir), "REGBOOK_BUILD_DIR": str(build_dir)}
    try:
        paths.ROOT, paths.DATA_DIR, paths.BUILD_DIR, paths.CHAPTERS_DIR = root, data_dir, build_dir, root / "chapters"
        with temporary_environment(environment):
            yield
    finally:
        paths.ROOT, paths.DATA_DIR, paths.BUILD_DIR, paths.CHAPTERS_DIR = saved


# --- the region's book -----------------------------------------------------------------------------------------------


def build_region_book(task: RegionTask, bundle: bytes | None, workspace: Path | str) -> RegionResult:
    """Build ``task``'s book in ``workspace`` (this worker's folder) and return it packed, or why it failed.

    Never raises for a failing chapter or compile (they are a "failed" result with their cause); a fault of the
    machine (a full disk...) is a "failed" result too, naming it.
    """
    from . import compile_server

    workspace = Path(workspace)
    start = time.perf_counter()
    sampler = _MemorySampler()
    compile_server.prewarm()  # this worker's warm Jupyter Book imports while the first region's chapters run
    try:
        root, data_dir = _project_here(task.project, bundle, workspace)
        inputs = _inputs_here(task.files, workspace)
        with project_paths(root, data_dir, workspace / "build"):
            result = _build(task, inputs)
    except Exception as exc:  # noqa: BLE001 - the region fails with its cause; the batch goes on
        from .layout import describe_os_error

        cause = describe_os_error(exc) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
        result = RegionResult(task.name, "failed", f"on {_where()}: {cause}")
    result.seconds = time.perf_counter() - start
    result.peak_mb = sampler.stop()
    result.worker_mb = _retained_mb()
    result.where = _where()
    return result


def _build(task: RegionTask, inputs: dict[str, str]) -> RegionResult:
    from .compile import compile_site
    from .export import write_results
    from .planning import Variant, run
    from .staging import stage

    executed = Variant(
        task.name,
        {
            name: inputs.get(value, value) if isinstance(value, str) else value
            for name, value in task.parameters.items()
        },
        task.language,
    )
    recorded = Variant(task.name, task.parameters, task.language)  # results.json: the client's parameters
    layout = executed.layout
    if executed.parameters.get("region_file"):  # its name, for the site's title (helpers.regions)
        from helpers import region_file

        region_file.load(executed.parameters["region_file"])
    try:
        outcomes = run([executed], jobs=1, keep_kernels=True)[task.name]
        chapters = [(o.chapter, o.status, o.duration) for o in outcomes]
        failed = [o for o in outcomes if o.status == "failed"]
        if failed:
            return RegionResult(
                task.name, "failed", "; ".join(f"{o.chapter}: {o.error}" for o in failed), chapters=chapters
            )
        messages: list[str] = []
        started = time.perf_counter()
        status = compile_site(executed, stage(executed, outcomes), messages.append)
        compile_seconds = time.perf_counter() - started
        if status == "failed":
            return RegionResult(task.name, "failed", " ".join(" ".join(messages).split())[:2000], chapters=chapters)
        write_results(recorded, outcomes)
        return RegionResult(
            task.name, "built", site=pack_site(layout), chapters=chapters, compile_seconds=compile_seconds
        )
    finally:
        _forget_region(layout, set(inputs.values()))


def pack_site(layout: Layout) -> bytes:
    """A region's ``html/`` and ``results/`` as one gzipped tar archive."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=COMPRESSION) as archive:
        for folder in ("html", "results"):
            archive.add(layout.base / folder, arcname=folder)
    return buffer.getvalue()


def _forget_region(layout: Layout, inputs: set[str]) -> None:
    """Remove what belongs to one region only: its site, staging, compile folder, failed notebooks and the cache
    entries of chapters that read one of its input files (those no other region can use)."""
    for folder in (layout.html, layout.results, layout.staging, layout.jb_out, layout.failed):
        shutil.rmtree(folder, ignore_errors=True)
    (layout.staging.parent / f"{layout.folder_name}.staged.json").unlink(missing_ok=True)
    if layout.english_base != layout.build:  # a region's own folder (the default book's is the build folder)
        shutil.rmtree(layout.base, ignore_errors=True)
    own = {os.path.realpath(name) for name in inputs}  # the recorder keeps real paths
    if not own or not layout.cache.is_dir():
        return
    for meta_file in layout.cache.glob("*/meta.json"):
        try:
            read = json.loads(meta_file.read_text(encoding="utf-8")).get("inputs") or {}
        except (OSError, ValueError):
            continue
        if own.intersection(read):
            shutil.rmtree(meta_file.parent, ignore_errors=True)


# --- where it ran, and its memory ----------------------------------------------------------------------------------


def _where() -> str:
    import socket

    return f"{socket.gethostname()}:{os.getpid()}"


def _retained_mb() -> float:
    """This worker's resident memory (MB) once the region's garbage is collected and the C allocator has handed
    its free pages back (glibc's ``malloc_trim``, as Dask's own memory docs advise before reading RSS): what the
    worker keeps from one region to the next, not the allocator's high-water mark."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        try:
            ctypes.CDLL(libc_name).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl, macOS): RSS as it is
            pass
    return _resident_mb(os.getpid())


def _resident_mb(pid: int) -> float:
    import psutil

    try:
        return psutil.Process(pid).memory_info().rss / 2**20
    except psutil.Error:
        return 0.0


class _MemorySampler:
    """The peak resident memory (MB) of this process and its descendants, sampled every ``SECONDS`` in a thread."""

    SECONDS = 0.25

    def __init__(self) -> None:
        self.peak = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._done.is_set():
            total = 0
            try:
                processes = [me, *me.children(recursive=True)]
            except psutil.Error:
                processes = [me]
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total / 2**20)
            self._done.wait(self.SECONDS)

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak
