"""Recording a chapter's inputs: every file its kernel opens for reading, with the SHA-256 of its bytes.

This is what keeps the cache honest. A chapter's cache entry (``meta.json``) lists its inputs as
``"inputs": {"<absolute path>": "<sha256 hex>"}`` and ``CacheEntry.valid`` re-hashes each one, so a changed data
file, ``data/datapackage.json``, cohort file or any other file a parameter names re-executes exactly the chapters
that read it.

The rule is structural, not a list of readers to remember: this module is an IPython extension that every
chapter kernel loads before its first cell (``--IPKernelApp.extensions=regbook.inputs``, forked or ordinary
kernel alike). It installs a PEP 578 audit hook on the ``open`` event, which every Python-level way of opening a
file raises (``open``, ``io.open``, ``pathlib``, ``os.open``, ``io.open_code``, hence ``csv``, ``json``, pandas'
``read_csv``...). A file is recorded the first time it is opened for reading, hashed at that moment (a file
edited while the chapter runs then invalidates the entry instead of being recorded with content the chapter never
saw). Left out, because they are the environment rather than the book's inputs:

- the Python installation and its packages (``sys.prefix`` and friends), and this helper package's own source,
  which the cache key covers (``helpers_hash``): its ``.pyc`` files are opened in place of the source;
- operating-system and tool state: ``/proc``, ``/sys``, ``/dev``, ``/etc``, ``/run``, ``/usr/share``, per-user
  configuration and caches (``~/.cache``, ``~/.config``, ``~/.ipython``, ``~/.jupyter``, ``~/.local``,
  ``~/.matplotlib``, ``$MPLCONFIGDIR``, the Jupyter runtime folder);
- files the chapter itself opened for writing first (its outputs and scratch files), paths that do not exist and
  anything that is not a regular file;
- the build's folder of results shared between its kernels (``$REGBOOK_SHARED_RESULTS``, ``helpers.sharing``):
  a kernel that takes such a result records the inputs of the kernel that computed it instead (``adopt``).

The temporary folder is not left out: a user's cohort file may well live in ``/tmp``.

Limits: a C library that opens files itself, or a subprocess the chapter starts, is not seen; the book's chapters
read through Python (pandas, ``helpers.data``). The log's first line proves that the hook was installed: a log
without it fails the chapter (``read_log``) rather than caching a result whose inputs are unknown.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import threading

#: Environment variable naming the file where the kernel appends one "sha256<TAB>path" line per input.
LOG_ENV = "REGBOOK_INPUTS_LOG"
#: First line of a log written by an installed hook.
HEADER = "# regbook.inputs: recording"
#: The build's folder of results shared between kernels (``helpers.sharing.ENV``): the build's, not an input.
SHARED_RESULTS_ENV = "REGBOOK_SHARED_RESULTS"
#: Prefix of the log line that records the kernel's numerical environment (``helpers.environment``) as JSON.
NUMERICS = "# numerical environment: "
#: The kernel command-line argument that loads this extension.
KERNEL_ARGUMENT = "--IPKernelApp.extensions=regbook.inputs"


def _excluded_roots() -> tuple[str, ...]:
    home = os.path.expanduser("~")
    roots = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),  # src/: helpers and regbook (helpers_hash)
        "/proc",
        "/sys",
        "/dev",
        "/etc",
        "/run",
        "/usr/share",
        *(os.path.join(home, name) for name in (".cache", ".config", ".ipython", ".jupyter", ".local", ".matplotlib")),
    }
    for env in (
        "MPLCONFIGDIR",
        "JUPYTER_RUNTIME_DIR",
        "IPYTHONDIR",
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",
        SHARED_RESULTS_ENV,
    ):
        if os.environ.get(env):
            roots.add(os.environ[env])
    resolved = set()
    for root in roots:
        if root:
            resolved.add(os.path.realpath(root).rstrip(os.sep) + os.sep)
    return tuple(sorted(resolved))


def _reads(mode, flags) -> bool:
    """True when an ``open`` event opens for reading only (``mode`` from open(), ``flags`` from os.open)."""
    if isinstance(mode, str):
        return not any(ch in mode for ch in "wax+")
    if isinstance(flags, int):
        return (flags & os.O_ACCMODE) == os.O_RDONLY and not flags & (os.O_CREAT | os.O_TRUNC)
    return True


def sha256_file(path: str) -> str:
    """SHA-256 (hex) of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: This process's recording, once ``install`` has run: the log, every path the hook has decided on (``seen``: read,
#: written first, or not a regular file) and the inputs among them with their digests (``inputs``).
_state: dict = {}
_lock = threading.Lock()


def install(log_path: str) -> None:
    """Record every input file this process opens from now on into ``log_path`` (once per process)."""
    if _state:
        return
    excluded = _excluded_roots()
    seen: set[str] = set()
    inputs: dict[str, str] = {}
    busy = threading.local()  # the hook's own reads (hashing, writing the log) must not recurse
    log = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - open for the kernel's whole life
    log.write(HEADER + "\n")
    _state.update(log=log, seen=seen, inputs=inputs)

    def hook(event: str, args: tuple) -> None:
        if event != "open" or getattr(busy, "active", False):
            return
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        if isinstance(path, int) or path is None:
            return
        busy.active = True
        try:
            name = os.path.realpath(os.fsdecode(path))
            if name in seen or name.startswith(excluded):
                return
            with _lock:
                if name in seen:
                    return
                seen.add(name)  # written first: an output of the chapter, never an input
                if not _reads(mode, flags):
                    return
                try:
                    if not stat.S_ISREG(os.stat(name).st_mode):
                        return
                    digest = sha256_file(name)
                except OSError:
                    return  # missing or unreadable: the open itself reports it to the chapter
                inputs[name] = digest
                log.write(f"{digest}\t{name}\n")
        except Exception:  # never break the chapter's own open()
            pass
        finally:
            busy.active = False

    sys.addaudithook(hook)


def recording() -> bool:
    """True when this process records its inputs (a build's chapter kernel)."""
    return bool(_state)


def recorded() -> dict[str, str]:
    """The inputs recorded so far, {absolute path: sha256}."""
    with _lock:
        return dict(_state.get("inputs", {}))


def adopt(inputs: dict[str, str]) -> bool:
    """Record ``inputs`` (another kernel's, with its digests) as this process's own: used when it takes a result
    that kernel computed (``helpers.sharing``). False, recording nothing, when this process has seen one of them
    otherwise: read with another digest, or written first."""
    if not _state:
        return False
    with _lock:
        seen, own = _state["seen"], _state["inputs"]
        if any(name in seen and own.get(name) != digest for name, digest in inputs.items()):
            return False
        for name, digest in inputs.items():
            if name not in seen:
                seen.add(name)
                own[name] = digest
                _state["log"].write(f"{digest}\t{name}\n")
    return True


def load_ipython_extension(ipython) -> None:  # noqa: ARG001 - IPython's extension interface
    """IPython loads this at kernel start (``KERNEL_ARGUMENT``): install the hook if the build asked for a log.

    It also marks the kernel as started by this build (``regbook.processes`` sweeps marked processes that an
    interrupted build left behind); a forked kernel's zygote has marked it already.
    """
    log_path = os.environ.get(LOG_ENV)
    if log_path:
        install(log_path)
        _record_numerical_environment()
    from .zygote import MARKERS_ENV, process_marker

    marker = process_marker(os.environ.get(MARKERS_ENV, ""), os.getpid(), "kernel")
    if marker:
        import atexit

        atexit.register(lambda: os.path.exists(marker) and os.unlink(marker))


def _record_numerical_environment() -> None:
    """Write what this kernel computes with into its log (``read_numerical_environment``).

    NumPy and SciPy's linear algebra are imported first, so that their BLAS pools are loaded and reported (a forked
    kernel has them from its zygote already; an ordinary kernel would import them in its first cell).
    """
    import numpy  # noqa: F401
    import scipy.linalg  # noqa: F401

    from helpers.environment import numerical_environment

    with _lock:
        _state["log"].write(NUMERICS + json.dumps(numerical_environment(), sort_keys=True) + "\n")


def read_numerical_environment(log_path) -> dict | None:
    """The numerical environment a kernel recorded in its log; None when it recorded none."""
    try:
        with open(log_path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(NUMERICS):
                    return json.loads(line[len(NUMERICS) :])
    except FileNotFoundError:
        pass
    return None


def read_log(log_path) -> dict[str, str] | None:
    """The inputs recorded in a log as {absolute path: sha256}; None when the hook never started."""
    try:
        with open(log_path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        return None
    if not lines or lines[0] != HEADER:
        return None
    inputs: dict[str, str] = {}
    for line in lines[1:]:
        if "\t" in line:
            digest, name = line.split("\t", 1)
            inputs.setdefault(name, digest)
    return inputs
