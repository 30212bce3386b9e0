"""A warm Jupyter Book: a background process that has imported Jupyter Book, Sphinx and the book's extensions, and
runs each compile in a forked child: the trick ``warm_compile`` (``regbook.tricks``; switched off, each compile is a
``jupyter-book`` process of its own). It imports stand-ins in place of the execution libraries
(``tricks.stand_in_execution_cache``), so it serves only books that execute nothing (``compile._jupyter_book``
sends the others to a ``jupyter-book`` command).

Importing that stack costs more than compiling a page that changed (seconds against a fraction of one). So the
``python -m helpers build`` starts this process at once (``prewarm``: it imports while the build plans,
executes and stages). Each compile is a fresh child forked from it, running ``jupyter-book`` with exactly the
command-line arguments, environment and folder it would get as a command, with nothing run before it but the
imports; parallel compiles (region variants) are parallel children, sharing one import.

``REGBOOK_WARM_COMPILE`` chooses how long the server lives (unset: ``1`` for a build run from a terminal, where a
writer rebuilds after every edit, and ``build`` otherwise):

- ``build`` (or unset, not from a terminal): it belongs to the build. It is the build's child, lives on a socket
  named after the build's process, is stopped when the build ends (``stop_build_server``) and exits by itself
  within a second of the build's process going away, however that happens.
- ``1``: it outlives the build and serves the builds that follow, until it has been idle for
  ``REGBOOK_WARM_COMPILE_IDLE`` seconds (default 600); the compile of a small edit then costs no import at all.

The lasting server listens on a Unix socket named after the interpreter, the installed packages, this package's
code and the tricks switched off, so that a changed environment gets a new server (the old one times out).
Protocol: the client sends one JSON line
``{"argv": [...], "log": "<file>", "cwd": "<dir>", "env": {...}, "skip_modules": [...]}``
(modules made unimportable in that compile)
and reads one line ``{"returncode": N}``;
when the client goes away first (Ctrl-C), the compile is stopped. The lasting server is not a child of the
build (it detaches at start); because it outlives the build that started it, it is opt-in.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from . import tricks

#: What ``jupyter-book build`` imports before it compiles anything (the extensions listed in ``_config.yml``).
WARM_MODULES = (
    "jupyter_book.cli.main",
    "jupyter_book.sphinx",
    "jupyter_book.config",
    "sphinx.application",
    "sphinx.builders.html",
    "docutils.parsers.rst",
    "myst_parser",
    "myst_nb",
    "myst_nb.sphinx_ext",
    "sphinx_book_theme",
    "pydata_sphinx_theme",
    "sphinx_design",
    "sphinx_togglebutton",
    "sphinx_copybutton",
    "sphinx_comments",
    "sphinx_external_toc",
    "sphinx_jupyterbook_latex",
    "sphinx_multitoc_numbering",
    "sphinx.ext.intersphinx",
    "sphinx.search",
    "sphinx.builders.latex",
)  # not sphinxext.opengraph: it imports matplotlib for its social cards, which a compile may skip (``skip_modules``)
IDLE_SECONDS = 600.0
#: Niceness added to the build's own server when the build executes chapters (``yield_to_executions``).
NICENESS = 5


def _can_fork() -> bool:
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX")


def mode() -> str:
    """Where compiles run: "lasting" (``REGBOOK_WARM_COMPILE=1``), "build" (the build's own server) or "off"
    (the trick ``warm_compile`` switched off, or no fork here). Unset, a build run from a terminal (a writer at
    work) gets the lasting server and any other (scripts, CI, tests) its own."""
    setting = os.environ.get("REGBOOK_WARM_COMPILE", "")
    if not _can_fork() or not tricks.on("warm_compile"):
        return "off"
    if setting == "1" or (setting == "" and _interactive()):
        return "lasting"
    return "build"


def _interactive() -> bool:
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def enabled() -> bool:
    """True when compiles go to the lasting server."""
    return mode() == "lasting"


def build_server_enabled() -> bool:
    """True when compiles go to a server that belongs to the build."""
    return mode() == "build"


def socket_path() -> str:
    """The server's socket for this interpreter, its installed packages, this package's code and the tricks
    switched off (the server's imports follow them)."""
    from .fingerprint import PACKAGE_DIR, installed_packages, tree_digest

    off = ",".join(sorted(tricks.switched_off()))
    key = hashlib.sha256(f"{installed_packages()}\0{tree_digest(PACKAGE_DIR / 'regbook')}\0{off}".encode()).hexdigest()
    return os.path.join(tempfile.gettempdir(), f"regbook-jupyter-book-{os.getuid()}-{key[:16]}.sock")


# --- the server ------------------------------------------------------------------------------------------------


def _warm() -> None:
    tricks.skip_slow_optional_modules()  # a process of the build, whose compiles wait for its imports
    tricks.stand_in_execution_cache()  # compiles come only for books with execution off (``compile._jupyter_book``)
    for name in WARM_MODULES:
        try:
            __import__(name)
        except Exception:  # imported by the compile itself, then
            pass


def _compile(request: dict) -> None:
    """In a grandchild of the server: run ``jupyter-book`` as asked, then exit with its status."""
    code = 1
    try:
        out = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        for name in request.get("skip_modules", ()):
            sys.modules.setdefault(name, None)  # unimportable in this compile (ImportError)
        sys.argv = ["jupyter-book", *request["argv"]]
        from jupyter_book.cli.main import main

        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _serve_one(conn: socket.socket) -> None:
    """In a child of the server: read the request, compile in a grandchild, answer; stop it if the client leaves."""
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        request = json.loads(conn.makefile("rb").readline())
        pid = os.fork()
        if pid == 0:
            conn.close()
            _compile(request)
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                conn.sendall((json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n").encode())
                break
            readable, _, _ = select.select([conn], [], [], 0.05)
            if readable and not conn.recv(1):  # the build went away (Ctrl-C): stop its compile
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
                break
    finally:
        os._exit(0)


def serve(path: str, idle: float, parent: int | None = None) -> None:
    """Listen on ``path`` (unless a server already does), import the stack, fork a child per connection.

    Exits when idle for ``idle`` seconds, and (``parent`` given) within a second of process ``parent`` ending.
    """
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(path)
    except OSError:
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
            return  # another server is up
        except OSError:
            os.unlink(path)  # left by a server that died
            server.bind(path)
        finally:
            probe.close()
    server.listen(64)
    identity = os.stat(path).st_ino
    _warm()
    children: set[int] = set()
    server.settimeout(1.0 if parent is not None else idle)
    last = time.monotonic()
    try:
        while True:
            for pid in list(children):
                try:
                    if os.waitpid(pid, os.WNOHANG)[0]:
                        children.discard(pid)
                except ChildProcessError:
                    children.discard(pid)
            try:
                conn, _ = server.accept()
            except TimeoutError:
                if parent is not None and os.getppid() != parent:
                    break  # the build that started it has gone
                if children or time.monotonic() - last < idle:
                    continue
                break
            last = time.monotonic()
            conn.setblocking(True)
            pid = os.fork()
            if pid == 0:
                server.close()
                _serve_one(conn)
            conn.close()
            children.add(pid)
    finally:
        try:
            if os.stat(path).st_ino == identity:
                os.unlink(path)
        except OSError:
            pass


def main(argv: list[str]) -> None:
    """``SOCKET IDLE`` (a lasting server: detaches) or ``SOCKET IDLE PARENT`` (the build's own server)."""
    path, idle = argv[0], float(argv[1])
    parent = int(argv[2]) if len(argv) > 2 else None
    if parent is None:
        if os.fork():  # detach: the build that started this must not have it as a child
            os._exit(0)
        os.setsid()
    else:

        def stop(*_: object) -> None:  # stopped by the build: remove the socket, skip the interpreter's teardown
            try:
                os.unlink(path)
            except OSError:
                pass
            os._exit(0)

        signal.signal(signal.SIGTERM, stop)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    serve(path, idle, parent)


# --- the client (in the build process) -----------------------------------------------------------------------

#: Servers this process started, by socket path, with the time it started them.
_STARTED: dict[str, float] = {}
_LOCK = threading.Lock()
#: How long a server may take from its start to listening on its socket.
_START_SECONDS = 30.0


def lasting_note() -> str:
    """One line telling that a lasting server was started, for how long, and how to turn it off."""
    idle = float(os.environ.get("REGBOOK_WARM_COMPILE_IDLE", IDLE_SECONDS)) / 60
    return (
        f"started a warm Jupyter Book that serves the builds that follow and exits after {idle:g} idle minutes "
        f"(REGBOOK_WARM_COMPILE=build: one per build; {tricks.ENV}=warm_compile: none)"
    )


def prewarm() -> bool:
    """Make sure a warm server is up or starting (returns at once); True when this started a lasting server."""
    try:
        if enabled():
            return _ensure(socket_path())
        if build_server_enabled():
            _build_server()
    except OSError:
        pass
    return False


#: The server that belongs to this process's build: {"path": socket, "proc": Popen}, when one was started.
_BUILD_SERVER: dict = {}


def _build_server() -> str:
    """The socket of this process's own server, started unless it runs."""
    with _LOCK:
        proc = _BUILD_SERVER.get("proc")
        if proc is None or proc.poll() is not None:
            path = os.path.join(
                tempfile.gettempdir(), f"regbook-jupyter-book-{os.getuid()}-{os.getpid()}-{time.monotonic_ns()}.sock"
            )
            proc = subprocess.Popen(
                [sys.executable, "-m", "regbook.compile_server", path, "inf", str(os.getpid())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _BUILD_SERVER.update(path=path, proc=proc)
        return _BUILD_SERVER["path"]


def yield_to_executions() -> None:
    """Lower the priority of this process's own server (``NICENESS``): called when the build is about to execute
    chapters, so that the server's imports yield the cores to the kernel zygote and the execution workers
    starting beside it (every execution waits for the zygote's imports; the compile comes only after them). A
    build that executes nothing, such as one after a prose edit, leaves it as it is: its compile waits for it.
    Once per server: a Dask worker's server serves region after region, each of which executes chapters."""
    with _LOCK:
        proc = _BUILD_SERVER.get("proc")
        if proc is None or _BUILD_SERVER.get("yielded") is proc:
            return
        _BUILD_SERVER["yielded"] = proc
    if proc.poll() is None:
        try:
            os.setpriority(os.PRIO_PROCESS, proc.pid, os.getpriority(os.PRIO_PROCESS, proc.pid) + NICENESS)
        except (OSError, AttributeError):  # gone meanwhile, or no setpriority on this platform
            pass


def stop_build_server() -> None:
    """Stop this process's own server, if it started one (the end of a build)."""
    with _LOCK:
        proc = _BUILD_SERVER.pop("proc", None)
        _BUILD_SERVER.pop("path", None)
        _BUILD_SERVER.pop("yielded", None)
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _listening(path: str) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
        return True
    except OSError:
        return False
    finally:
        probe.close()


def _ensure(path: str) -> bool:
    """Start a server unless one listens on ``path`` or this process started one that is still starting; True
    when it started one."""
    with _LOCK:
        if _listening(path):
            return False
        started = _STARTED.get(path)
        if started is not None and time.monotonic() - started < _START_SECONDS and not os.path.exists(path):
            return False  # still importing before it binds
        idle = os.environ.get("REGBOOK_WARM_COMPILE_IDLE", str(IDLE_SECONDS))
        starter = subprocess.Popen(
            [sys.executable, "-m", "regbook.compile_server", path, idle],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        threading.Thread(target=starter.wait, daemon=True).start()  # it exits as soon as the server detached
        _STARTED[path] = time.monotonic()
        return True


def run(
    argv: list[str], log: str, cwd: str, start_timeout: float = 60.0, skip_modules: tuple[str, ...] = ()
) -> int | None:
    """Run ``jupyter-book <argv>`` in the warm server (output into ``log``, ``skip_modules`` unimportable); its
    exit status, or None when no server could be reached (the caller then runs the command itself)."""
    lasting = enabled()
    if not lasting and not build_server_enabled():
        return None
    try:
        path = socket_path() if lasting else _build_server()
        if lasting:
            _ensure(path)
    except OSError:
        return None
    deadline = time.monotonic() + start_timeout
    while True:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(path)
            break
        except OSError:
            conn.close()
            if time.monotonic() > deadline:
                return None
            if lasting:
                _ensure(path)  # a server that exited (idle) since is started again
            elif _BUILD_SERVER.get("path") != path or _BUILD_SERVER["proc"].poll() is not None:
                return None  # the build's server failed or was stopped: the caller compiles as a command
            time.sleep(0.05)
    try:
        request = {"argv": argv, "log": log, "cwd": cwd, "env": dict(os.environ), "skip_modules": list(skip_modules)}
        conn.sendall((json.dumps(request) + "\n").encode())
        answer = conn.makefile("rb").readline()
        if not answer:
            return None  # the server died under the compile
        return int(json.loads(answer)["returncode"])
    except (OSError, ValueError, KeyError):
        return None
    finally:
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1:])
