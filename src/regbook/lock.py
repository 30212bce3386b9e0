"""One build at a time per build folder: an exclusive lock on ``<build>/.lock``.

Two builds in one checkout would share the staging, compile and incoming folders. The lock is ``fcntl.flock`` on
an open file: the kernel releases it when the holder exits, however it exits, so a killed build never leaves a
stale lock behind. A second build waits for the first with a message, or, with ``wait=False``, refuses with one.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .layout import BuildError


class BuildLocked(BuildError):
    """Another build holds the build folder's lock."""


def _holder(lock_file: Path) -> str:
    try:
        pid = lock_file.read_text(encoding="ascii").strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid else "another process"


_HELD: set[str] = set()  # build folders whose lock this process holds (the lock is re-entrant per process)


@contextmanager
def build_lock(build_dir: Path, wait: bool = True, log: Callable[[str], None] = print) -> Iterator[None]:
    """Hold the build folder's lock for the duration of the ``with`` block (re-entrant within a process)."""
    build_dir = Path(build_dir)
    key = str(build_dir.resolve())
    if key in _HELD:
        yield
        return
    build_dir.mkdir(parents=True, exist_ok=True)
    lock_file = build_dir / ".lock"
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = _holder(lock_file)
            if not wait:
                raise BuildLocked(
                    f"another build ({who}) is using {build_dir}; let it finish, or run again "
                    "without --no-wait to wait for it"
                ) from None
            log(f"another build ({who}) is using {build_dir}; waiting for it to finish (Ctrl-C to give up)")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)
    finally:
        os.close(fd)  # releases the lock
