"""A kernel 'zygote': a process that has imported the heavy libraries once and forks a fresh kernel per chapter.

Started by ``helpers.build.kernels`` (one per worker process) as ``python -m helpers.build.zygote``. It reads JSON requests
on stdin and answers on stdout, one line each:

- ``{"op": "fork", "args": [...], "env": {...}, "cwd": "..."}``: fork a child that starts an IPython kernel
  with ``args`` (the arguments ipykernel_launcher would get), in its own session, with exactly ``env`` as its
  environment and ``cwd`` as its directory; answers ``{"pid": N}``;
- ``{"op": "poll", "pid": N}``: ``{"returncode": None}`` while the child runs, its exit code after.

The child is a fresh interpreter state as far as chapter code is concerned: nothing but library imports ran
before the fork, and no module of this project is imported in the zygote (they read paths from the environment).
When stdin closes the zygote terminates its remaining children and exits.
"""

from __future__ import annotations

import json
import os
import signal
import sys

WARM_MODULES = (
    "numpy", "pandas", "scipy.stats", "scipy.cluster.hierarchy", "statsmodels.api", "statsmodels.formula.api",
    "matplotlib", "matplotlib.pyplot", "seaborn", "pandera.pandas", "IPython", "ipykernel.kernelapp",
)


def _warm() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in WARM_MODULES:
        try:
            __import__(name)
        except Exception:  # a module that fails to import here is simply imported by the chapter later
            pass


def _child(args: list[str], env: dict[str, str], cwd: str) -> None:
    code = 0
    try:
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


def main() -> None:
    _warm()
    children: dict[int, int | None] = {}

    def reap() -> None:
        for pid in [p for p, status in children.items() if status is None]:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                children[pid] = children[pid] if children[pid] is not None else 0
                continue
            if done:
                children[pid] = os.waitstatus_to_exitcode(status)

    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        reap()
        if request["op"] == "fork":
            pid = os.fork()
            if pid == 0:
                _child(request["args"], request["env"], request["cwd"])
            children[pid] = None
            answer = {"pid": pid}
        elif request["op"] == "poll":
            answer = {"returncode": children.get(request["pid"], 0)}
        else:
            answer = {"error": f"unknown op {request['op']!r}"}
        out.write(json.dumps(answer) + "\n")
        out.flush()
    reap()
    for pid, status in children.items():
        if status is None:
            try:
                os.killpg(pid, signal.SIGTERM)
            except OSError:
                pass


if __name__ == "__main__":
    main()
