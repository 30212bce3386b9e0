"""A warm Jupyter Book: a process that imports Jupyter Book, Sphinx and the book's extensions once and forks one
child per compile.

Importing that stack costs more than compiling a page that changed (seconds against a fraction of one), so
``python -m helpers build`` starts this process first thing (``prewarm``), while it is itself still planning and
staging; each compile then forks a child that runs ``jupyter-book build`` with exactly the command-line arguments
it would get as a command, with nothing imported but the libraries. Several variants compile in parallel children
of one warm process. Protocol on stdin/stdout, one JSON line each, as in ``helpers.build.zygote``:

- ``{"op": "compile", "argv": [...], "log": "<file>", "cwd": "<dir>"}``: fork a child running
  ``jupyter-book <argv>`` with its output in ``log``; answers ``{"pid": N}``;
- ``{"op": "poll", "pid": N}``: ``{"returncode": None}`` while it runs, its exit status after.

When stdin closes the server terminates its remaining children and exits. ``REGBOOK_WARM_COMPILE=0`` turns it
off (each compile is then a ``jupyter-book`` process of its own).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

#: What ``jupyter-book build`` imports before it compiles anything (the extensions listed in ``_config.yml``).
WARM_MODULES = (
    "jupyter_book.cli.main", "jupyter_book.sphinx", "jupyter_book.config", "sphinx.application",
    "sphinx.builders.html", "docutils.parsers.rst", "myst_parser", "myst_nb", "myst_nb.sphinx_ext",
    "sphinx_book_theme", "pydata_sphinx_theme", "sphinx_design", "sphinx_togglebutton", "sphinx_copybutton",
    "sphinx_comments", "sphinx_external_toc", "sphinx_jupyterbook_latex", "sphinx_multitoc_numbering",
    "sphinx.ext.intersphinx", "sphinx.search", "sphinx.builders.latex",
)


def enabled() -> bool:
    return hasattr(os, "fork") and os.environ.get("REGBOOK_WARM_COMPILE", "1") != "0"


# --- the server ------------------------------------------------------------------------------------------------


def _warm() -> None:
    for name in WARM_MODULES:
        try:
            __import__(name)
        except Exception:  # imported by the compile itself, then
            pass


def _child(argv: list[str], log: str, cwd: str) -> None:
    code = 1
    try:
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.chdir(cwd)
        sys.argv = ["jupyter-book", *argv]
        from jupyter_book.cli.main import main

        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main() -> None:
    _warm()
    children: dict[int, int | None] = {}

    def reap() -> None:
        for pid in [p for p, status in children.items() if status is None]:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                children[pid] = 1
                continue
            if done:
                children[pid] = os.waitstatus_to_exitcode(status)

    for line in sys.stdin:
        request = json.loads(line)
        reap()
        if request["op"] == "compile":
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(request["argv"], request["log"], request["cwd"])
            children[pid] = None
            answer = {"pid": pid}
        elif request["op"] == "poll":
            answer = {"returncode": children.get(request["pid"], 1)}
        else:
            answer = {"error": f"unknown op {request['op']!r}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    reap()
    for pid, status in children.items():
        if status is None:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except OSError:
                pass


# --- the client (in the build process) -----------------------------------------------------------------------


class WarmJupyterBook:
    """The build process's handle on its compile server; requests are serialised by a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc = subprocess.Popen([sys.executable, "-m", "helpers.build.compile_server"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _request(self, **payload) -> dict:
        with self.lock:
            if not self.alive():
                raise RuntimeError(f"compile server exited with {self.proc.returncode}")
            self.proc.stdin.write(json.dumps(payload) + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError("compile server closed its output")
        return json.loads(answer)

    def run(self, argv: list[str], log: str, cwd: str) -> int:
        """Run ``jupyter-book <argv>`` in a forked child (output into ``log``); its exit status."""
        pid = self._request(op="compile", argv=argv, log=log, cwd=cwd)["pid"]
        while True:
            code = self._request(op="poll", pid=pid)["returncode"]
            if code is not None:
                return code
            time.sleep(0.05)

    def close(self) -> None:
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


_SERVER: WarmJupyterBook | None = None
_SERVER_LOCK = threading.Lock()


def prewarm() -> None:
    """Start this process's compile server now (it imports Jupyter Book while the build plans and stages)."""
    server()


def server() -> WarmJupyterBook | None:
    """This process's compile server (started on first use), or None when turned off or it cannot start."""
    global _SERVER
    if not enabled():
        return None
    with _SERVER_LOCK:
        if _SERVER is None or not _SERVER.alive():
            try:
                _SERVER = WarmJupyterBook()
            except OSError:
                return None
        return _SERVER


if __name__ == "__main__":
    main()
