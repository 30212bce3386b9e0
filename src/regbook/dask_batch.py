"""A batch's chapter executions on a Dask cluster: ``python -m helpers build --all-regions --scheduler ADDRESS``.

The client (the machine that runs ``python -m helpers build``) plans as always: the cache decides what to execute,
shared chapters become one job however many variants use them, and nothing is submitted when nothing changed.
``DaskExecutor`` is the ``executor`` that ``regbook.planning.run`` hands the jobs to: each job is one task,
placed by the scheduler on a worker, where ``regbook.execute.execute_job`` runs the chapter in its own fresh
kernel exactly as a local worker process does (forked from that worker's zygote). The client gets each job's
``Outcome`` back, then stages, compiles and exports every site itself, as it does for a local batch.

Workers need the project at the same path (a shared filesystem): a task carries the chapter's notebook, its
parameters and the paths of the cache entry, the data folder and the build folder; the worker reads the data and
the helper package there and writes the executed notebook into the shared cache, and the client reads it from
there. The client checks this on every worker before submitting anything (``check_worker``), and each task checks
it again on the worker that runs it.

Tasks share no process state. A task sets environment variables for its kernel (where to record the files it
reads, the data folder, the build folder), so the tasks of one worker process run one at a time
(``_ONE_CHAPTER_AT_A_TIME``); start workers with one thread each (``dask worker ADDRESS --nthreads 1 --nworkers
N``) to use every core. The root, data and build folders the kernel sees are the client's, passed with each task.

Faults: a failed chapter is an ``Outcome`` like any other. A worker that dies loses the chapter it runs (and one it
holds queued): the client says which chapter of which regions was lost and runs it once more on another worker; lost
twice, it is reported as failed and only the regions that need it keep their previous site. On Ctrl-C the client
cancels the batch's tasks and stops the kernels they started on every worker (Dask cannot interrupt a running task,
so ``stop_kernels`` kills the worker's zygote and kernels, and the task then ends at once).

Dask is imported only here, and this module only when ``--scheduler`` is given.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from typing import Callable

from helpers import paths
from .execute import Job, Outcome, execute_job
from .layout import BuildError
from .processes import temporary_environment

#: ``--scheduler local``: a LocalCluster on this machine (worker processes, one thread each).
LOCAL = "local"
#: Seconds to wait for the scheduler before giving up (REGBOOK_DASK_TIMEOUT overrides).
CONNECT_TIMEOUT = 10.0
#: How often a chapter whose worker died is run again on another worker.
RETRIES_AFTER_LOST_WORKER = 1
#: Environment variables a task's kernel takes from the client, whatever the worker's own environment says.
CLIENT_ENVIRONMENT = ("REGBOOK_ROOT", "REGBOOK_DATA_DIR", "REGBOOK_BUILD_DIR", "REGBOOK_FORK_KERNELS")
_ADDRESS = re.compile(r"^((tcp|tls|ws|wss|inproc|ucx)://)?[\w.\-\[\]:]+:\d+$")
_ONE_CHAPTER_AT_A_TIME = threading.Lock()


def parse_scheduler(text: str) -> str:
    """``local`` or a scheduler address such as ``tcp://10.0.0.5:8786`` (the scheme may be left out)."""
    if text == LOCAL or _ADDRESS.match(text):
        return text
    raise ValueError(f"--scheduler: {text!r} is neither 'local' nor a scheduler address such as "
                     "tcp://host:8786")


def connect_timeout() -> float:
    try:
        return float(os.environ.get("REGBOOK_DASK_TIMEOUT", CONNECT_TIMEOUT))
    except ValueError:
        return CONNECT_TIMEOUT


# --- on the worker -------------------------------------------------------------------------------------------------

def check_worker(root: str, data_dir: str, build_dir: str, helpers_digest: str) -> str | None:
    """None when this worker sees the project as the client does; else what is wrong, in words."""
    from .cache import helpers_hash

    for what, folder in (("project", root), ("data folder", data_dir)):
        if not os.path.isdir(folder):
            return (f"the {what} {folder} is missing on this worker; workers need the project at the same path "
                    "(a shared filesystem)")
    if not os.access(build_dir if os.path.isdir(build_dir) else os.path.dirname(build_dir), os.W_OK):
        return f"the build folder {build_dir} is not writable on this worker (it must be on the shared filesystem)"
    if helpers_hash() != helpers_digest:
        return ("this worker imports another version of the helpers package than the client; install the project "
                "from the shared folder in the workers' environment")
    return None


def run_job(job: Job, environment: dict[str, str]) -> Outcome:
    """The task: execute one chapter on this worker, with the client's folders, one chapter at a time per process."""
    if not os.path.isdir(job.cwd):
        raise FileNotFoundError(f"the chapters folder {job.cwd} is missing on this worker; workers need the "
                                "project at the same path (a shared filesystem)")
    from . import skip_slow_optional_modules

    skip_slow_optional_modules()  # as in the local build's worker processes
    client_values = {name: environment.get(name) for name in CLIENT_ENVIRONMENT}  # unset on the client: unset here
    with _ONE_CHAPTER_AT_A_TIME, temporary_environment({**environment, **client_values}):
        return execute_job(job)


def stop_kernels() -> int:
    """Stop this worker's kernel zygote and every kernel it or papermill started; returns how many were killed."""
    import psutil

    from . import kernels

    count = 0
    try:
        for child in psutil.Process().children(recursive=True):
            try:
                command = " ".join(child.cmdline())
            except psutil.Error:
                continue
            if "regbook.zygote" in command or "ipykernel" in command:
                try:
                    child.kill()
                    count += 1
                except psutil.Error:
                    pass
    except psutil.Error:
        pass
    kernels.close_zygote()  # already dead: this forgets it, so the next task starts a new one
    return count


def close_kernels() -> None:
    """At the end of a batch: stop this worker's zygote (it kills its kernels and removes its markers)."""
    from . import kernels

    kernels.close_zygote()


try:  # the plugin class needs distributed; this module is imported only when --scheduler is used
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - distributed is pinned in requirements.txt
    WorkerPlugin = object


class KernelReaper(WorkerPlugin):
    """Worker plugin: a worker that shuts down (or is told to by the client) takes its kernels with it."""

    name = "regbook-kernel-reaper"

    def teardown(self, worker) -> None:
        stop_kernels()


# --- on the client -------------------------------------------------------------------------------------------------

def _lost_worker(exc: BaseException) -> bool:
    """True when a task failed because its worker died or left (not because the chapter failed)."""
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    return isinstance(exc, (KilledWorker, CommClosedError)) or "worker" in type(exc).__name__.lower()


def check_scheduler(address: str, timeout: float) -> None:
    """That a Dask scheduler answers at ``address``: connect, Dask's handshake and one request (``identity``), all
    within ``timeout`` seconds. ``distributed.Client`` bounds the TCP connection but not what follows, so a service
    that accepts the connection and never answers in Dask's protocol (an HTTP server) held a build forever.
    Raises ``BuildError``: one line saying what answered instead (``what_answers``)."""
    import asyncio

    from distributed.comm import connect

    async def identity() -> dict:
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    try:
        answer = asyncio.run(asyncio.wait_for(identity(), timeout))
    except (OSError, TimeoutError):  # refused, unreachable, closed, or no Dask answer in time
        answer = None
    except Exception:  # an answer Dask cannot read as its own
        answer = None
    if isinstance(answer, dict) and answer.get("type") == "Scheduler":
        return
    listening, what = what_answers(address)
    if not listening:
        raise BuildError(f"--scheduler: can't connect to the Dask scheduler at {address} within {timeout:g} s "
                         f"({what}); no chapter was started")
    raise BuildError(f"--scheduler: {address} is not a Dask scheduler: {what}, but no Dask handshake within "
                     f"{timeout:g} s; no chapter was started")


def what_answers(address: str, wait: float = 1.0) -> tuple[bool, str]:
    """Whether anything listens at a scheduler address, and what, in words: the reason nothing does, a service's
    greeting (SSH, SMTP...) or an HTTP server's status line and name; for a message saying why it is not a Dask
    scheduler."""
    import socket

    host, _, port = address.split("://")[-1].rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=wait) as conn:
            conn.settimeout(wait)
            try:
                greeting = conn.recv(200)
            except TimeoutError:
                greeting = b""
            if not greeting:  # a service that waits for the client to speak first: ask as a web browser would
                conn.sendall(f"HEAD / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
                try:
                    greeting = conn.recv(2000)
                except TimeoutError:
                    greeting = b""
    except OSError as exc:
        return False, f"nothing accepts connections there: {exc.strerror or exc}"
    text = greeting.decode("latin-1")
    first_line = _printable(text.strip().splitlines()[0]) if text.strip() else ""
    if text.startswith("HTTP/"):
        server = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                       if line.lower().startswith("server:")), "")
        return True, f"an HTTP server answers there ({first_line}{', ' + _printable(server) if server else ''})"
    if first_line:
        return True, f"another service answers there ({first_line})"
    return True, "something accepts connections there"


def _printable(text: str, limit: int = 80) -> str:
    """A peer's words for a one-line message: printable characters only, at most ``limit``."""
    kept = "".join(c if c.isprintable() else "?" for c in text.strip())
    return kept if len(kept) <= limit else kept[:limit - 1] + "\u2026"


class DaskExecutor:
    """Runs a plan's jobs as tasks on a Dask cluster (see the module's docstring); one instance per batch."""

    def __init__(self, scheduler: str, log: Callable[[str], None] = print, n_workers: int | None = None) -> None:
        self.scheduler = parse_scheduler(scheduler)
        self.log = log
        self.n_workers = n_workers
        self.cluster = None
        self.client = None
        #: Seconds each job took on its worker (chapter, seconds), for the benchmark's model.
        self.durations: list[tuple[str, float]] = []

    # connecting
    def connect(self) -> None:
        """Start the LocalCluster or reach the scheduler, and check every worker; BuildError with one line else."""
        import dask
        from distributed import Client, LocalCluster

        timeout = connect_timeout()
        if self.scheduler == LOCAL:
            n_workers = self.n_workers or os.cpu_count() or 1
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the workers inherit it: Ctrl-C is the client's
            try:
                with dask.config.set({"distributed.scheduler.allowed-failures": 0}):  # a death is reported at once
                    self.cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                                dashboard_address=":0", silence_logs=50)
            finally:
                signal.signal(signal.SIGINT, previous)
            self.client = Client(self.cluster, timeout=timeout)
        else:
            check_scheduler(self.scheduler, timeout)
            try:
                self.client = Client(self.scheduler, timeout=timeout)
            except (OSError, TimeoutError):
                raise BuildError(f"--scheduler: can't connect to the Dask scheduler at {self.scheduler} within "
                                 f"{timeout:g} s; no chapter was started") from None
        try:
            self._check_workers(timeout)
            self.client.register_plugin(KernelReaper())
        except BaseException:
            self.close()
            raise

    def _check_workers(self, timeout: float) -> None:
        from .cache import helpers_hash

        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (TimeoutError, OSError):
            raise BuildError(f"--scheduler: the Dask scheduler at {self.scheduler} has no worker (waited "
                             f"{timeout:g} s); no chapter was started") from None
        answers = self.client.run(check_worker, str(paths.ROOT), str(paths.DATA_DIR), str(paths.BUILD_DIR),
                                  helpers_hash(), on_error="return")
        problems = []
        for worker, answer in sorted(answers.items()):
            if isinstance(answer, BaseException):
                answer = (f"cannot run the project's code ({type(answer).__name__}: {answer}); install the project "
                          "in the workers' environment")
            if answer:
                problems.append(f"worker {worker}: {answer}")
        if problems:
            raise BuildError("; ".join(problems) + "; no chapter was started")

    def close(self) -> None:
        """Stop the workers' zygotes, disconnect, and stop the LocalCluster if this batch started it."""
        client, cluster, self.client, self.cluster = self.client, self.cluster, None, None
        if client is not None:
            try:
                client.run(close_kernels, on_error="ignore")
            except Exception:  # the cluster is already gone: nothing of ours runs there
                pass
            client.close()
        if cluster is not None:
            cluster.close()

    # running
    def _environment(self) -> dict[str, str]:
        environment = {"REGBOOK_ROOT": str(paths.ROOT), "REGBOOK_DATA_DIR": str(paths.DATA_DIR),
                       "REGBOOK_BUILD_DIR": str(paths.BUILD_DIR)}
        if "REGBOOK_FORK_KERNELS" in os.environ:
            environment["REGBOOK_FORK_KERNELS"] = os.environ["REGBOOK_FORK_KERNELS"]
        return environment

    def __call__(self, todo: list[Job], progress: Callable[[Outcome], None] | None,
                 owners: dict[str, list[str]]) -> dict[str, Outcome]:
        """Execute ``todo`` on the cluster; every job gets an Outcome (failed when its chapter failed or was lost)."""
        if self.client is None:
            self.connect()
        try:
            return self._run(todo, progress, owners)
        except KeyboardInterrupt:
            self._cancel()
            raise
        finally:
            self.close()

    def _submit(self, job: Job, attempt: int, environment: dict[str, str]):
        return self.client.submit(run_job, job, environment, pure=False, retries=0,
                                  key=f"execute-{job.chapter}-{job.key[:12]}-{attempt}")

    def _run(self, todo: list[Job], progress: Callable[[Outcome], None] | None,
             owners: dict[str, list[str]]) -> dict[str, Outcome]:
        from distributed import as_completed

        environment = self._environment()
        attempts = {job.key + job.chapter: 0 for job in todo}
        self._futures = {self._submit(job, 0, environment): job for job in todo}
        executed: dict[str, Outcome] = {}
        pending = as_completed(list(self._futures))
        for future in pending:
            job = self._futures.pop(future)
            name = job.key + job.chapter
            where = ", ".join(owners.get(name, [])) or "the book"
            exc = future.exception() if future.status == "error" else None
            if future.status == "cancelled":
                exc = RuntimeError("the task was cancelled by the scheduler")
            if exc is None:
                outcome = future.result()
                self.durations.append((job.chapter, outcome.duration))
                deaths = self._deaths(future.key)
                if deaths:  # the scheduler ran it again by itself (its distributed.scheduler.allowed-failures)
                    self.log(f"lost {job.chapter} of {where} {deaths} time(s): the worker holding it (running or "
                             "queued) died; the scheduler ran it again on another worker")
            elif _lost_worker(exc) and attempts[name] < RETRIES_AFTER_LOST_WORKER:
                attempts[name] += 1
                self.log(f"lost {job.chapter} of {where}: the worker holding it (running or queued) died "
                         f"({_short(exc)}); running it again on another worker")
                retry = self._submit(job, attempts[name], environment)
                self._futures[retry] = job
                pending.add(retry)
                continue
            elif _lost_worker(exc):
                outcome = Outcome(job.chapter, "failed", 0.0, job.key, "",
                                  f"lost {attempts[name] + 1} times with the worker holding it ({_short(exc)})")
            else:
                outcome = Outcome(job.chapter, "failed", 0.0, job.key, "", f"on the cluster: {_short(exc)}")
            executed[name] = outcome
            if progress:
                progress(outcome)
        return executed

    def _deaths(self, key: str) -> int:
        """How many workers died while running task ``key`` (the scheduler's count; 0 when it cannot say)."""
        def suspicious(dask_scheduler, key=key) -> int:  # runs on the scheduler (sent by value, not by name)
            task = dask_scheduler.tasks.get(key)
            return task.suspicious if task is not None else 0

        try:
            return int(self.client.run_on_scheduler(suspicious))
        except Exception:  # an older or locked-down scheduler: the batch goes on without the count
            return 0

    def _cancel(self) -> None:
        """Ctrl-C: cancel every task of this batch and stop the kernels the running ones started."""
        futures = list(getattr(self, "_futures", {}))
        try:
            if futures:
                self.client.cancel(futures, force=True)
            self.client.run(stop_kernels, on_error="ignore")
        except Exception:  # a cluster that is gone has nothing of ours left running
            pass


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__

