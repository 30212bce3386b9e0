"""Fresh kernels without the import cost: a jupyter_client kernel provisioner that forks kernels from a zygote.

Every chapter still runs in a fresh kernel process (papermill talks to it as to any kernel), but the process is
forked from ``regbook.zygote``, which imported numpy, pandas, scipy, statsmodels, seaborn and matplotlib once;
a chapter's own imports then cost almost nothing. The provisioner is registered under the entry point
``regbook-fork`` (pyproject.toml) and used through the kernelspec ``regbook-fork`` that ``kernelspec_dir``
writes.

Three tricks of ``regbook.tricks`` live here, each switched off by ``REGBOOK_TRICKS_OFF``: ``forked_kernels`` (off:
ordinary ``python3`` kernels), ``prompt_kernel_stop`` (off: jupyter_client's own wait) and ``ipc_kernels`` (off: TCP
ports).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.localinterfaces import localhost
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import default

from helpers.environment import NUMERICAL_ENVIRONMENT

from .tricks import on
from .zygote import MARKERS_ENV

KERNEL_NAME = "regbook-fork"
PROVISIONER_NAME = "regbook-fork"


def enabled() -> bool:
    """Fork kernels where the platform can (POSIX) unless the trick ``forked_kernels`` is switched off."""
    return hasattr(os, "fork") and on("forked_kernels")


def kernelspec_dir(base: Path) -> Path:
    """Write the ``regbook-fork`` kernelspec under ``base/kernels`` and return ``base`` (for JUPYTER_PATH)."""
    spec = base / "kernels" / KERNEL_NAME / "kernel.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps(
        {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (forked from a warm zygote)",
            "language": "python",
            "metadata": {"kernel_provisioner": {"provisioner_name": PROVISIONER_NAME}},
        },
        indent=1,
    )
    if not spec.exists() or spec.read_text() != content:
        spec.write_text(content)
    return base


class _Zygote:
    """This process's own zygote, started on first use; requests are serialised by a lock."""

    def __init__(self, *args: str) -> None:
        self.lock = threading.Lock()
        # the kernels it forks inherit its thread pools and hash secret, both fixed when its interpreter starts
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "regbook.zygote", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            env={**os.environ, **NUMERICAL_ENVIRONMENT},
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def request(self, **payload: Any) -> dict:
        with self.lock:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kernel zygote exited with {self.proc.returncode}")
            self.proc.stdin.write(json.dumps(payload) + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError("kernel zygote closed its output")
        return json.loads(answer)

    def close(self) -> None:
        """Stop the zygote (it kills its kernels and removes its markers first)."""
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class _SharedZygote:
    """A connection to the zygote of the build (``SHARED_ZYGOTE_ENV``), which its worker processes share."""

    def __init__(self, path: str) -> None:
        self.lock = threading.Lock()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)  # it listens before it imports: the first answer waits for the imports
        self.reader = self.sock.makefile("rb")

    def alive(self) -> bool:
        return self.sock.fileno() != -1

    def request(self, **payload: Any) -> dict:
        with self.lock:
            try:
                self.sock.sendall((json.dumps(payload) + "\n").encode())
                answer = self.reader.readline()
            except OSError as exc:
                raise RuntimeError(f"kernel zygote unreachable: {exc}") from None
        if not answer:
            raise RuntimeError("kernel zygote closed its connection")
        return json.loads(answer)

    def close(self) -> None:
        """Leave the zygote to the build that started it."""
        self.reader.close()
        self.sock.close()


#: Environment variable naming the socket of the build's shared zygote (set for its worker processes).
SHARED_ZYGOTE_ENV = "REGBOOK_ZYGOTE_SOCKET"
_ZYGOTE: _Zygote | _SharedZygote | None = None
_ZYGOTE_LOCK = threading.Lock()
#: The shared zygote this process started for its workers, while it runs.
_SHARED: _Zygote | None = None


def close_zygote() -> None:
    """Stop this process's zygote, or leave the shared one; and stop the shared zygote this process started.

    A build calls this when its chapters are done: a zygote kept alive in a long-lived process would look, to the
    next build's sweep, like a leftover of this one.
    """
    global _ZYGOTE, _SHARED
    with _ZYGOTE_LOCK:
        current, _ZYGOTE = _ZYGOTE, None
        shared, _SHARED = _SHARED, None
    for zygote_ in (current, shared):
        if zygote_ is not None:
            zygote_.close()
    if shared is not None:
        path = os.environ.pop(SHARED_ZYGOTE_ENV, None)
        if path:
            try:
                os.unlink(path)
            except OSError:
                pass


def zygote() -> _Zygote | _SharedZygote:
    """This process's zygote: the build's shared one when ``SHARED_ZYGOTE_ENV`` names it, else its own."""
    global _ZYGOTE
    with _ZYGOTE_LOCK:
        if _ZYGOTE is None or not _ZYGOTE.alive():
            shared = os.environ.get(SHARED_ZYGOTE_ENV)
            _ZYGOTE = _SharedZygote(shared) if shared else _Zygote()
        return _ZYGOTE


def share_zygote() -> None:
    """Start one zygote for the worker processes this process is about to start (they inherit
    ``SHARED_ZYGOTE_ENV``): one import of the chapters' libraries, and one copy in memory, for all of them.
    ``close_zygote`` stops it."""
    global _SHARED
    path = os.path.join(tempfile.gettempdir(), f"regbook-zygote-{os.getpid()}-{time.monotonic_ns()}.sock")
    handle = _Zygote("--listen", path)
    deadline = time.monotonic() + 30
    while not os.path.exists(path) and handle.alive() and time.monotonic() < deadline:
        time.sleep(0.005)  # binding comes before the imports: a few milliseconds
    with _ZYGOTE_LOCK:
        _SHARED = handle
    if os.path.exists(path):  # else each worker starts its own
        os.environ[SHARED_ZYGOTE_ENV] = path


class ForkedKernelProcess:
    """The ``Popen``-like handle LocalProvisioner expects, for a kernel forked by the zygote."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = zygote().request(op="poll", pid=self.pid)["returncode"]
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernels are forked from the zygote instead of started with Popen."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        if "ipykernel_launcher" not in cmd:
            return await super().launch_kernel(cmd, **kwargs)
        args = cmd[cmd.index("ipykernel_launcher") + 1 :]
        env = {k: str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = zygote().request(op="fork", args=args, env=env, cwd=cwd, markers=os.environ.get(MARKERS_ENV, ""))["pid"]
        self.process = ForkedKernelProcess(pid)
        self.pid = pid
        self.pgid = pid  # the child calls setsid()
        self.cwd = cwd
        return self.connection_info


# --- prompt stop ------------------------------------------------------------------------------------

#: How often (s) a stopping kernel is checked for having exited.
EXIT_POLL_SECONDS = 0.01


class BookKernelManager(AsyncKernelManager):
    """The kernel manager of chapter executions: a stopped kernel's exit noticed within
    ``EXIT_POLL_SECONDS`` (jupyter_client checks every 0.1 s: the trick ``prompt_kernel_stop``), and on POSIX Unix
    sockets instead of TCP ports (``ipc_kernels``).

    With TCP, jupyter_client picks a kernel's five ports (binds to port 0, closes) and the kernel binds them later;
    a kernel started meanwhile by another worker process can take one, and the kernel then dies with "Address
    already in use". Unix sockets have no ports to race for: each kernel's endpoints have a name of their own. On
    Linux they are abstract sockets (no files; they vanish with the kernel, even a killed one), elsewhere files
    in the temporary folder that jupyter_client removes when the kernel stops. Either way the messages are signed
    with the kernel's key, as over TCP.
    """

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc" if os.name == "posix" and on("ipc_kernels") else "tcp"

    @default("ip")
    def _default_ip(self) -> str:
        if self.transport != "ipc":
            return localhost()  # jupyter_client's own default for TCP
        # this kernel's own (jupyter_client only skips endpoints that exist already, which another process may not
        # have bound yet) and short (a socket's name has a limit of about 100 bytes)
        name = f"regbook-kernel-{uuid.uuid4().hex[:16]}"
        return f"@{name}" if sys.platform.startswith("linux") else os.path.join(tempfile.gettempdir(), name)

    async def _async_finish_shutdown(
        self, waittime: float | None = None, pollinterval: float = 0.1, restart: bool = False
    ) -> None:
        if on("prompt_kernel_stop"):
            pollinterval = min(pollinterval, EXIT_POLL_SECONDS)
        await super()._async_finish_shutdown(waittime, pollinterval, restart)
