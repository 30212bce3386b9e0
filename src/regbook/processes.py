"""The processes a build starts, and making sure none outlives it.

- Worker processes (``worker_setup``) die with the build (``PR_SET_PDEATHSIG``) and ignore Ctrl-C, which the
  build handles; each worker's kernel zygote and the kernels it forks die with it (``regbook.zygote``).
- On Ctrl-C the build kills every process it started, at once (``stop_descendants``).
- Every kernel and zygote writes a marker under ``<build>/.kernels/pids`` (pid, start time, role). A build killed
  outright (SIGKILL) cannot clean up, so the next build in that folder kills the processes its markers name
  (``sweep``), and only those: a pid counts only with the start time its marker recorded, and a user's
  JupyterLab kernels have no marker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from .zygote import process_start_time, set_parent_death_signal


@contextlib.contextmanager
def temporary_environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set environment variables (a string) or remove them (None) for the block, and put back what was there."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        _assign_environment(values)
        yield
    finally:
        _assign_environment(saved)


def _assign_environment(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def markers_folder(kernels_dir: Path) -> Path:
    """Where a build's processes leave their markers (``<build>/.kernels/pids``)."""
    return Path(kernels_dir) / "pids"


def worker_setup() -> None:
    """Initialiser of the build's worker processes: die with the build, leave Ctrl-C to it, do without the slow
    optional modules (``regbook.tricks.skipped_modules``)."""
    from .tricks import skip_slow_optional_modules

    skip_slow_optional_modules()
    set_parent_death_signal(signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _ours(pid: int) -> bool:
    """True when ``pid`` is this process or one of its descendants (alive and in use by this very build)."""
    import psutil

    try:
        return pid == os.getpid() or any(p.pid == os.getpid() for p in psutil.Process(pid).parents())
    except psutil.Error:
        return False


def sweep(kernels_dir: Path, cache_dir: Path, log: Callable[[str], None] = print) -> int:
    """Kill the processes an earlier, interrupted build left (by their markers) and remove its ``run-*`` folders.

    Call it holding the build lock. Returns the number of processes killed.
    """
    killed = 0
    folder = markers_folder(kernels_dir)
    markers = sorted(folder.iterdir()) if folder.is_dir() else []
    for marker in markers:
        try:
            start, role = marker.read_text(encoding="ascii").split()
            pid = int(marker.name)
        except (OSError, ValueError):
            marker.unlink(missing_ok=True)
            continue
        if process_start_time(pid) == start and not _ours(pid):
            try:
                if role == "kernel" and os.getpgid(pid) == pid:
                    os.killpg(pid, signal.SIGKILL)
                else:
                    os.kill(pid, signal.SIGKILL)
                killed += 1
            except OSError:
                pass
        if not (process_start_time(pid) == start and _ours(pid)):
            marker.unlink(missing_ok=True)
    leftovers = sorted(Path(cache_dir).glob("run-*")) if Path(cache_dir).is_dir() else []
    for run in leftovers:
        shutil.rmtree(run, ignore_errors=True)
    if killed or leftovers:
        log(
            f"cleaned up after an interrupted build: stopped {killed} process(es) it left running, removed "
            f"{len(leftovers)} unfinished run folder(s) from the cache"
        )
    return killed


def _resource_tracker(proc) -> bool:
    """multiprocessing's resource tracker: it exits with this process and warns when killed before."""
    import psutil

    try:
        return any("multiprocessing.resource_tracker" in part for part in proc.cmdline())
    except psutil.Error:
        return True


def stop_descendants(timeout: float = 5.0) -> int:
    """Kill every process this process started, their children included; returns how many there were."""
    import psutil

    try:
        children = [p for p in psutil.Process().children(recursive=True) if not _resource_tracker(p)]
    except psutil.Error:
        return 0
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(children, timeout=timeout)
    return len(children)
