"""A kernel 'zygote': a process that has imported the heavy libraries once and forks a fresh kernel per chapter.

Started by ``regbook.kernels`` as ``python -m regbook.zygote``: one per build, shared by its worker
processes over a Unix socket (``--listen PATH``), or one for a single process that reads JSON requests on stdin
and answers on stdout. One line each way:

- ``{"op": "fork", "args": [...], "env": {...}, "cwd": "..."}``: fork a child that starts an IPython kernel
  with ``args`` (the arguments ipykernel_launcher would get), in its own session, with exactly ``env`` as its
  environment and ``cwd`` as its directory; answers ``{"pid": N}``;
- ``{"op": "poll", "pid": N}``: ``{"returncode": None}`` while the child runs, its exit code after.

The child is a fresh interpreter state as far as chapter code is concerned: nothing but library imports ran
before the fork, and no module of this project is imported in the zygote (they read paths from the environment).

Nothing outlives the build. A fork request may name a ``markers`` folder (under the build folder): the zygote
writes a marker there for itself and for each child (``process_marker``), so that the next build can sweep what an
interrupted one left (``regbook.processes``). A child dies with the zygote (``PR_SET_PDEATHSIG``), and the
zygote kills its children and exits when its stdin closes (its parent is gone, whatever the way), when its parent
changes, or on SIGTERM/SIGHUP. It ignores SIGINT: Ctrl-C reaches every process of the terminal's process group,
and the build, not the zygote, decides what an interrupt stops.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import threading
import time

WARM_MODULES = (
    "numpy",
    "pandas",
    "scipy.stats",
    "scipy.cluster.hierarchy",
    "statsmodels.api",
    "statsmodels.formula.api",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "pandera.pandas",
    "IPython",
    "ipykernel.kernelapp",
    # what a kernel imports when it starts (its debugger pulls in debugpy): 0.1 s of every chapter otherwise
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    # what pandera imports on its first validation (its checks' hypothesis strategies): 0.3 s of most chapters
    "pandera.backends.pandas.register",
    "pandera.backends.pandas.builtin_checks",
    "pandera.backends.pandas.builtin_hypotheses",
    "pandera.accessors.pandas_accessor",
)


def _warm() -> None:
    for name in [name for name, module in sys.modules.items() if module is None]:
        del sys.modules[name]  # what ``regbook`` made unimportable in the build's processes, kernels may import
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # debugpy's import-time note on frozen modules
    for name in WARM_MODULES:
        try:
            __import__(name)
        except Exception:  # a module that fails to import here is simply imported by the chapter later
            pass


_PR_SET_PDEATHSIG = 1
#: Environment variable naming the folder of process markers (set by the build for kernels and the zygote).
MARKERS_ENV = "REGBOOK_PROCESS_MARKERS"


def set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies (prctl); False where unsupported.

    The signal follows the parent *thread* that forked this process: call it only in a process forked from a
    thread that lives as long as the parent process does.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def process_start_time(pid: int) -> str | None:
    """The start time of a process (clock ticks since boot, /proc/PID/stat), None when there is no such process.

    A pid with the start time that a marker recorded is the very process that wrote it, not a later one that
    happens to reuse the number.
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()[19]


def process_marker(markers: str, pid: int, role: str) -> str | None:
    """Write ``markers/<pid>`` ("<start time> <role>") for a process this build started; returns its path."""
    start = process_start_time(pid)
    if not markers or start is None:
        return None
    try:
        os.makedirs(markers, exist_ok=True)
        path = os.path.join(markers, str(pid))
        with open(path, "w", encoding="ascii") as fh:
            fh.write(f"{start} {role}\n")
        return path
    except OSError:
        return None


def _remove(path: str | None) -> None:
    if path:
        try:
            os.unlink(path)
        except OSError:
            pass


def _child(args: list[str], env: dict[str, str], cwd: str, zygote_pid: int) -> None:
    code = 0
    try:
        gc.enable()
        set_parent_death_signal(signal.SIGKILL)  # die with the zygote, whatever kills it
        if os.getppid() != zygote_pid:  # the zygote died before the line above took effect
            os._exit(1)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = ["ipykernel_launcher", *args]
        if sys.path and sys.path[0] in ("", os.getcwd()):
            sys.path.pop(0)
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # report and exit: the client sees the kernel die
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _kill_children(children: dict[int, int | None], markers: dict[int, str | None]) -> None:
    for pid, status in children.items():
        if status is None:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        _remove(markers.pop(pid, None))


def main(argv: list[str] | None = None) -> None:
    """Serve requests on stdin/stdout, or (``--listen PATH``) on a Unix socket for the build's worker processes,
    living until stdin closes. The socket is bound before the imports, so that workers may connect at once."""
    argv = sys.argv[1:] if argv is None else argv
    listener = None
    if argv[:1] == ["--listen"]:
        import socket

        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(argv[1])
        listener.listen(64)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # no collection leaves holes in the pages the kernels will share
    _warm()
    gc.freeze()  # and a kernel's collections skip what it inherited, instead of touching (copying) every page
    children: dict[int, int | None] = {}
    markers: dict[int, str | None] = {}  # marker file of each child and of this zygote (key: its pid)
    me = os.getpid()
    parent = os.getppid()

    def stop(*_: object) -> None:
        _kill_children(children, markers)
        _remove(markers.pop(me, None))
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    def watch_parent() -> None:  # a parent that dies may leave stdin open in a grandchild: check the pid too
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(me, signal.SIGTERM)

    threading.Thread(target=watch_parent, daemon=True).start()

    def reap() -> None:
        for pid in [p for p, status in children.items() if status is None]:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                children[pid] = children[pid] if children[pid] is not None else 0
                continue
            if done:
                children[pid] = os.waitstatus_to_exitcode(status)
                _remove(markers.pop(pid, None))

    inherited: list[int] = []  # descriptors a kernel must not keep (the socket and its connections)

    def answer(request: dict) -> dict:
        reap()
        if request["op"] == "fork":
            folder = request.get("markers") or ""
            if folder and me not in markers:
                markers[me] = process_marker(folder, me, "zygote")
            pid = os.fork()
            if pid == 0:
                for fd in inherited:
                    _close(fd)
                _child(request["args"], request["env"], request["cwd"], me)
            children[pid] = None
            markers[pid] = process_marker(folder, pid, "kernel")
            return {"pid": pid}
        if request["op"] == "poll":
            return {"returncode": children.get(request["pid"], 0)}
        return {"error": f"unknown op {request['op']!r}"}

    if listener is None:
        out = sys.stdout
        for line in sys.stdin:
            out.write(json.dumps(answer(json.loads(line))) + "\n")
            out.flush()
    else:
        try:
            _serve(listener, answer, inherited)
        finally:
            _remove(argv[1])
    reap()  # stdin closed: the build is done with this zygote, or gone
    _kill_children(children, markers)
    _remove(markers.pop(me, None))


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _serve(listener, answer, inherited: list[int]) -> None:
    """Answer the requests of every process that connects to ``listener`` (one JSON line each way), until stdin
    closes. Single-threaded: kernels are forked from this, the main, thread only."""
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ)
    inherited.append(listener.fileno())
    pending: dict = {}  # connection -> bytes received after its last complete line
    while True:
        for key, _ in selector.select():
            if key.fileobj is listener:
                connection, _ = listener.accept()
                selector.register(connection, selectors.EVENT_READ)
                inherited.append(connection.fileno())
                pending[connection] = b""
            elif key.fileobj == sys.stdin.fileno():
                if not os.read(sys.stdin.fileno(), 4096):
                    return  # the build that started it is done, or gone
            else:
                connection = key.fileobj
                try:
                    chunk = connection.recv(65536)
                    pending[connection] += chunk
                    while b"\n" in pending[connection]:
                        line, pending[connection] = pending[connection].split(b"\n", 1)
                        connection.sendall((json.dumps(answer(json.loads(line))) + "\n").encode())
                except (OSError, ValueError):  # a worker that died mid-request: the others are served on
                    chunk = b""
                if not chunk:  # a worker that is done, or gone
                    selector.unregister(connection)
                    inherited.remove(connection.fileno())
                    del pending[connection]
                    connection.close()


if __name__ == "__main__":
    main()
