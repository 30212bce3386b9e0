"""Files a user names (a region file, a cohort file, a provenance sidecar, an answer saved from a statistics office):
checked to be regular files of a sensible size before a byte is read, and read with that limit.

A path that is a device (``/dev/zero``), a named pipe, a socket, a folder, a symbolic-link loop or a file larger
than its kind may be is refused with one line naming the path and what it is; nothing waits on a pipe or grows
without bound. The check and the read use the same open file, so the file cannot be swapped in between.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: The largest file of each kind the book reads (bytes). A region file has a few dozen rows; a cohort of a few
#: hundred thousand people is some 20 MB; an answer saved from Eurostat for a whole country some MB.
LIMITS = {"region file": 1 << 20, "provenance sidecar": 1 << 20, "cohort file": 200 << 20, "saved answer": 200 << 20}
DEFAULT_LIMIT = 50 << 20


class UserFileError(ValueError):
    """A user's file that is missing, not a regular file or too large (the message is one line)."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB" if n >= 1 << 20 else f"{n / 1024:.0f} kB"


def display(path: Path | str) -> str:
    """A path as the user gave it, made absolute without following links (a link loop cannot be resolved)."""
    return os.path.abspath(os.path.expanduser(os.fsdecode(path)))


def _refusal(path: str, what: str, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return f"{path}: file not found; expected {what}"
    if exc.errno == errno.ELOOP:
        return f"{path}: a loop of symbolic links; expected {what}"
    if exc.errno == errno.EISDIR:
        return f"{path}: is a folder; expected {what}"
    if exc.errno == errno.ENOTDIR:
        return f"{path}: a part of the path is not a folder; expected {what}"
    try:  # a socket cannot be opened at all (ENXIO): say what it is
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        return f"{path}: is {_kind(mode)}, not a regular file; expected {what}"
    return f"{path}: cannot be read ({exc.strerror or exc}); expected {what}"


def read_bytes(
    path: Path | str,
    what: str,
    *,
    kind: str | None = None,
    limit: int | None = None,
    error: type[Exception] = UserFileError,
) -> bytes:
    """The bytes of the user's file ``path``, which must be a regular file of at most ``limit`` bytes (default:
    ``LIMITS[kind]``). ``what`` says what was expected ("a region file (CSV)"), for the message; anything else
    raises ``error`` with one line naming the path and what it is."""
    name = display(path)
    limit = limit if limit is not None else LIMITS.get(kind or "", DEFAULT_LIMIT)
    try:
        # O_NONBLOCK: opening a named pipe returns at once instead of waiting for a writer
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(_refusal(name, what, exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{name}: is {_kind(info.st_mode)}, not a regular file; expected {what}")
        if info.st_size > limit:
            raise error(f"{name}: is {_size(info.st_size)}, more than the {_size(limit)} {what} may have")
        chunks, total = [], 0
        while True:  # a file that grows while it is read still stops at the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise error(f"{name}: is more than the {_size(limit)} {what} may have")
        return b"".join(chunks)
    except OSError as exc:
        raise error(_refusal(name, what, exc)) from None
    finally:
        os.close(fd)


def check_file(
    path: Path | str,
    what: str,
    *,
    kind: str | None = None,
    limit: int | None = None,
    error: type[Exception] = UserFileError,
) -> Path:
    """``path`` made absolute, after checking that it can be read as ``read_bytes`` would (without reading it)."""
    name = display(path)
    limit = limit if limit is not None else LIMITS.get(kind or "", DEFAULT_LIMIT)
    try:
        info = os.stat(name)
    except OSError as exc:
        raise error(_refusal(name, what, exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{name}: is {_kind(info.st_mode)}, not a regular file; expected {what}")
    if info.st_size > limit:
        raise error(f"{name}: is {_size(info.st_size)}, more than the {_size(limit)} {what} may have")
    return Path(name)
