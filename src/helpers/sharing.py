"""Results that several chapter kernels of one build compute alike, computed once per build.

A build executes each chapter in a fresh kernel, and the chapters that take a region once per region variant.
Some of their results do not depend on the region or the chapter: the claims recomputed (three chapters of each
variant) and the audit (two). A function decorated with ``once_per_build`` is computed by the first kernel that
calls it with given arguments; the other kernels of the build read that result. It is meant for such results
that take a good part of a second or more: a cheap function is faster computed than shared.

It is on only in a build's kernels: the build names a folder of its own in ``REGBOOK_SHARED_RESULTS`` (removed
when the build ends), and the kernel records the files it reads (``regbook.inputs``). Anywhere else
(JupyterLab, a script, the tests) the function simply runs.

How it stays correct:

- The key is the function, its arguments (pickled), the data folder, the user regions registered in the kernel
  and the language of its words (``helpers.i18n``): the pieces of process state these functions read besides files.
- A result is stored with every input file its kernel had recorded by the end of the call, with the digests it
  saw. That is more than the function read (it includes what the chapter read before), never less, since the data
  the kernel holds in memory was recorded when it was first read. A kernel that takes the result records those
  inputs as its own, so its chapter's cache entry depends on them as if it had computed the result. A kernel that
  saw one of those files with other content (a file edited during the build) computes the result itself.
- A lock file per key: a second kernel waits for the first one's result instead of computing beside it.
- An exception in the function propagates and stores nothing; an entry that cannot be read or written, or
  arguments that cannot be pickled, mean computing as usual.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # not POSIX: nothing is shared
    fcntl = None

#: Environment variable naming the build's folder of shared results (set only for a build's kernels).
ENV = "REGBOOK_SHARED_RESULTS"
#: The kernel's input recorder, looked up (never imported) here: present only in a build's kernel.
RECORDER_MODULE = "regbook.inputs"

F = TypeVar("F", bound=Callable[..., Any])


def _key(func: Callable, args: tuple, kwargs: dict) -> str:
    from . import i18n, paths, regions

    state = (
        func.__module__,
        func.__qualname__,
        args,
        sorted(kwargs.items()),
        str(paths.DATA_DIR),
        sorted((name, repr(region)) for name, region in regions.USER_REGIONS.items()),
        i18n.current(),
    )
    return hashlib.sha256(pickle.dumps(state, protocol=5)).hexdigest()


def _recorder():
    recorder = sys.modules.get(RECORDER_MODULE)
    return recorder if recorder is not None and recorder.recording() else None


def once_per_build(func: F) -> F:
    """Compute ``func(*args, **kwargs)`` once per build and per arguments, across the build's kernels."""

    @functools.wraps(func)
    def shared(*args, **kwargs):
        folder, recorder = os.environ.get(ENV), _recorder()
        if not folder or recorder is None or fcntl is None:
            return func(*args, **kwargs)
        try:
            entry = os.path.join(folder, _key(func, args, kwargs))
            lock = open(entry + ".lock", "a")  # noqa: SIM115 - entered by the with below, once the key is known
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return func(*args, **kwargs)
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            try:
                with open(entry + ".pickle", "rb") as fh:
                    inputs, result = pickle.load(fh)
                if recorder.adopt(inputs):
                    return result
            except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
                pass
            result = func(*args, **kwargs)
            _store(entry + ".pickle", recorder.recorded(), result)
            return result

    return shared  # type: ignore[return-value]


def _store(path: str, inputs: dict[str, str], result: Any) -> None:
    """Write (inputs, result) to ``path`` atomically; a result that cannot be pickled or written is not shared."""
    try:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".partial")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as fh:
            pickle.dump((inputs, result), fh, protocol=5)
        os.replace(temporary, path)
    except Exception:
        try:
            os.unlink(temporary)
        except OSError:
            pass
