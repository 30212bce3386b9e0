"""Batches on a Dask cluster (``--scheduler ADDRESS``, or ``local`` for a LocalCluster on this machine).

``python -m helpers build`` with ``--scheduler`` (``DaskBatch``): each region's whole book is one task. The
client validates the batch, decides which regions changed (``regbook.batch``) and submits one task per region
that did, carrying its parameters, the bytes of the files they name and, once for the whole batch, the book's
sources (``regbook.region_book``). A worker executes the region's chapters in fresh kernels forked from its own
zygote, compiles the site in its own warm Jupyter Book, writes ``results.json`` and sends the site back as one
archive; the client puts it in place atomically and writes the landing page. The client never compiles.

``python -m helpers run`` with ``--scheduler`` (``DaskExecutor``, the ``executor`` that ``regbook.planning.run``
hands the jobs to): each chapter execution is one task, as the client planned it (shared chapters once); the
executed notebooks go through a shared file system into the client's cache, so workers need the project at the
same path there (``check_worker``).

What a worker needs, checked on every worker before anything is submitted (one line naming the worker and what
it lacks, and nothing is started): the client's Python environment, i.e. the same helper package (by the hash of
its code) and the same versions of the packages that shape the results (``helpers.environment.PACKAGES``), with
Jupyter Book. The book's sources and the region files come with the tasks; a worker that has them at the
client's paths (a shared file system) builds from there.

Tasks share no process state. A task sets environment variables for its kernels, so the tasks of one worker
process run one at a time (``_ONE_TASK_AT_A_TIME``); start workers with one thread each (``dask worker ADDRESS
--nthreads 1 --nworkers N``) to use every core.

Faults: a failed chapter or compile is a result like any other (the region is reported with its cause, the others
go on). A worker that dies loses the task it runs (and one it holds queued): the client says which and runs it
once more on another worker; lost twice, it is reported as failed. On Ctrl-C the client cancels the batch's tasks
and stops the kernels they started on every worker (Dask cannot interrupt a running task, so ``stop_kernels``
kills the worker's zygote and kernels, and the task then ends at once).

Dask is imported only here, and this module only when ``--scheduler`` is given.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Callable

from helpers import paths
from helpers.switches import ENV as TRICKS_ENV

from .execute import Job, Outcome, execute_job
from .layout import BuildError
from .processes import temporary_environment

#: ``--scheduler local``: a LocalCluster on this machine (worker processes, one thread each).
LOCAL = "local"
#: Seconds to wait for the scheduler before giving up (REGBOOK_DASK_TIMEOUT overrides).
CONNECT_TIMEOUT = 10.0
#: The LocalCluster's settings: a worker's death is reported at once (the client runs the task again), and the
#: workers do not profile their tasks. Dask's statistical profiler keeps a second-by-second record of every stack
#: a task ran through (``distributed.admin.low-level-log-length`` seconds of it); a region's book runs through so
#: many that a worker's memory grew by some 2 MB per region with it on, and stayed flat with it off.
LOCAL_CLUSTER_CONFIG = {"distributed.scheduler.allowed-failures": 0, "distributed.worker.profile.enabled": False}
#: How often a chapter whose worker died is run again on another worker.
RETRIES_AFTER_LOST_WORKER = 1
#: Environment variables a task's kernel takes from the client, whatever the worker's own environment says.
CLIENT_ENVIRONMENT = ("REGBOOK_ROOT", "REGBOOK_DATA_DIR", "REGBOOK_BUILD_DIR", TRICKS_ENV)
_ADDRESS = re.compile(r"^((tcp|tls|ws|wss|inproc|ucx)://)?[\w.\-\[\]:]+:\d+$")
_ONE_TASK_AT_A_TIME = threading.Lock()


def parse_scheduler(text: str) -> str:
    """``local`` or a scheduler address such as ``tcp://10.0.0.5:8786`` (the scheme may be left out)."""
    if text == LOCAL or _ADDRESS.match(text):
        return text
    raise ValueError(f"--scheduler: {text!r} is neither 'local' nor a scheduler address such as tcp://host:8786")


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
            return (
                f"the {what} {folder} is missing on this worker; workers need the project at the same path "
                "(a shared filesystem)"
            )
    if not os.access(build_dir if os.path.isdir(build_dir) else os.path.dirname(build_dir), os.W_OK):
        return f"the build folder {build_dir} is not writable on this worker (it must be on the shared filesystem)"
    if helpers_hash() != helpers_digest:
        return (
            "this worker imports another version of the helpers package than the client; install the project "
            "from the shared folder in the workers' environment"
        )
    return None


def run_job(job: Job, environment: dict[str, str]) -> Outcome:
    """The task: execute one chapter on this worker, with the client's folders, one chapter at a time per process."""
    if not os.path.isdir(job.cwd):
        raise FileNotFoundError(
            f"the chapters folder {job.cwd} is missing on this worker; workers need the "
            "project at the same path (a shared filesystem)"
        )
    from .tricks import skip_slow_optional_modules

    skip_slow_optional_modules()  # as in the local build's worker processes
    client_values = {name: environment.get(name) for name in CLIENT_ENVIRONMENT}  # unset on the client: unset here
    with _ONE_TASK_AT_A_TIME, temporary_environment({**environment, **client_values}):
        return execute_job(job)


def check_environment(helpers_digest: str, versions: dict[str, str]) -> str | None:
    """None when this worker runs the client's Python environment (helper package and the versions of the packages
    that shape the results, Jupyter Book among them); else what differs, in words."""
    from helpers.environment import package_versions

    from .cache import helpers_hash

    if helpers_hash() != helpers_digest:
        return (
            "this worker imports another version of the helpers package than the client; install the project "
            "in the workers' environment as on the client (pip install -e, or the same image)"
        )
    mine = package_versions()
    differ = [
        f"{name} {mine.get(name)} (the client has {version})"
        for name, version in versions.items()
        if mine.get(name) != version
    ]
    if differ:
        return (
            "this worker has " + ", ".join(differ) + "; workers need the client's package versions "
            "(requirements.txt), or their results would differ"
        )
    return None


def profiles_tasks() -> bool:
    """Whether this worker runs Dask's statistical profiler (``LOCAL_CLUSTER_CONFIG`` says what it costs)."""
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled", True))


def run_region(task, bundle: bytes, environment: dict[str, str]):
    """The task of ``DaskBatch``: build one region's whole book on this worker (``region_book.build_region_book``)
    in the worker's own folder, one region at a time per process."""
    from distributed import get_worker

    from .region_book import build_region_book
    from .tricks import skip_slow_optional_modules

    skip_slow_optional_modules()  # as in the local build's worker processes
    workspace = os.path.join(get_worker().local_directory, "regbook")
    client_values = {TRICKS_ENV: environment.get(TRICKS_ENV)}  # the client's tricks, whatever the worker's
    with _ONE_TASK_AT_A_TIME, temporary_environment(client_values):
        return build_region_book(task, bundle, workspace)


def stop_kernels() -> int:
    """Stop this worker's kernel zygote, every kernel it or papermill started and its warm Jupyter Book; returns how
    many processes were killed."""
    import psutil

    from . import compile_server, kernels

    count = 0
    try:
        for child in psutil.Process().children(recursive=True):
            try:
                command = " ".join(child.cmdline())
            except psutil.Error:
                continue
            if any(name in command for name in ("regbook.zygote", "ipykernel", "regbook.compile_server")):
                try:
                    child.kill()
                    count += 1
                except psutil.Error:
                    pass
    except psutil.Error:
        pass
    kernels.close_zygote()  # already dead: this forgets it, so the next task starts a new one
    compile_server.stop_build_server()
    return count


def close_kernels() -> None:
    """At the end of a batch: stop this worker's zygote (it kills its kernels and removes its markers) and its warm
    Jupyter Book."""
    from . import compile_server, kernels

    kernels.close_zygote()
    compile_server.stop_build_server()


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


def check_scheduler(address: str, timeout: float, what: str = "task") -> None:
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
        reply = asyncio.run(asyncio.wait_for(identity(), timeout))
    except (OSError, TimeoutError):  # refused, unreachable, closed, or no Dask answer in time
        reply = None
    except Exception:  # an answer Dask cannot read as its own
        reply = None
    if isinstance(reply, dict) and reply.get("type") == "Scheduler":
        return
    listening, answer = what_answers(address)
    if not listening:
        raise BuildError(
            f"--scheduler: can't connect to the Dask scheduler at {address} within {timeout:g} s "
            f"({answer}); no {what} was started"
        )
    raise BuildError(
        f"--scheduler: {address} is not a Dask scheduler: {answer}, but no Dask handshake within "
        f"{timeout:g} s; no {what} was started"
    )


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
        server = next(
            (line.split(":", 1)[1].strip() for line in text.splitlines() if line.lower().startswith("server:")), ""
        )
        return True, f"an HTTP server answers there ({first_line}{', ' + _printable(server) if server else ''})"
    if first_line:
        return True, f"another service answers there ({first_line})"
    return True, "something accepts connections there"


def _printable(text: str, limit: int = 80) -> str:
    """A peer's words for a one-line message: printable characters only, at most ``limit``."""
    kept = "".join(c if c.isprintable() else "?" for c in text.strip())
    return kept if len(kept) <= limit else kept[: limit - 1] + "\u2026"


class _Cluster:
    """The connection to a cluster for one batch: connect and check the workers, run tasks with a retry for a lost
    worker, cancel on Ctrl-C, close. Subclasses say what a task is and what a worker must have."""

    #: What a task is, in the messages ("chapter", "region").
    what = "task"

    def __init__(self, scheduler: str, log: Callable[[str], None] = print, n_workers: int | None = None) -> None:
        self.scheduler = parse_scheduler(scheduler)
        self.log = log
        self.n_workers = n_workers
        self.cluster = None
        self.client = None
        self._futures: dict = {}

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
                with dask.config.set(LOCAL_CLUSTER_CONFIG):
                    self.cluster = LocalCluster(
                        n_workers=n_workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",
                        silence_logs=50,
                    )
            finally:
                signal.signal(signal.SIGINT, previous)
            self.client = Client(self.cluster, timeout=timeout)
        else:
            check_scheduler(self.scheduler, timeout, self.what)
            try:
                self.client = Client(self.scheduler, timeout=timeout)
            except (OSError, TimeoutError):
                raise BuildError(
                    f"--scheduler: can't connect to the Dask scheduler at {self.scheduler} within "
                    f"{timeout:g} s; no {self.what} was started"
                ) from None
        try:
            self._check_workers(timeout)
            self.client.register_plugin(KernelReaper())
        except BaseException:
            self.close()
            raise

    def worker_check(self) -> tuple[Callable, tuple]:
        """The function every worker runs before the batch (None: fit; else what it lacks) and its arguments."""
        raise NotImplementedError

    def _check_workers(self, timeout: float) -> None:
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (TimeoutError, OSError):
            raise BuildError(
                f"--scheduler: the Dask scheduler at {self.scheduler} has no worker (waited "
                f"{timeout:g} s); no {self.what} was started"
            ) from None
        check, arguments = self.worker_check()
        answers = self.client.run(check, *arguments, on_error="return")
        problems = []
        for worker, answer in sorted(answers.items()):
            if isinstance(answer, BaseException):
                answer = (
                    f"cannot run the project's code ({type(answer).__name__}: {answer}); install the project "
                    "in the workers' environment"
                )
            if answer:
                problems.append(f"worker {worker}: {answer}")
        if problems:
            raise BuildError("; ".join(problems) + f"; no {self.what} was started")

    def close(self) -> None:
        """Stop the workers' zygotes and warm Jupyter Books, disconnect, and stop the LocalCluster if this batch
        started it."""
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
        environment = {
            "REGBOOK_ROOT": str(paths.ROOT),
            "REGBOOK_DATA_DIR": str(paths.DATA_DIR),
            "REGBOOK_BUILD_DIR": str(paths.BUILD_DIR),
        }
        if TRICKS_ENV in os.environ:
            environment[TRICKS_ENV] = os.environ[TRICKS_ENV]
        return environment

    def _run_tasks(
        self, items: list, submit: Callable, name_of: Callable, lost: Callable, failed: Callable, done: Callable
    ) -> None:
        """Submit every item (``submit(item, attempt)``: a future), and pass each one's result to ``done`` as it
        comes. A task lost with its worker runs once more (``RETRIES_AFTER_LOST_WORKER``); lost again, ``lost(item,
        cause)`` makes its result; any other exception, ``failed(item, cause)``. ``name_of(item)`` names it in the
        messages."""
        from distributed import as_completed

        attempts = {id(item): 0 for item in items}
        self._futures = {submit(item, 0): item for item in items}
        pending = as_completed(list(self._futures))
        for future in pending:
            item = self._futures.pop(future)
            exc = future.exception() if future.status == "error" else None
            if future.status == "cancelled":
                exc = RuntimeError("the task was cancelled by the scheduler")
            if exc is None:
                result = future.result()
                deaths = self._deaths(future.key)
                if deaths:  # the scheduler ran it again by itself (its distributed.scheduler.allowed-failures)
                    self.log(
                        f"lost {name_of(item)} {deaths} time(s): the worker holding it (running or queued) "
                        "died; the scheduler ran it again on another worker"
                    )
            elif _lost_worker(exc) and attempts[id(item)] < RETRIES_AFTER_LOST_WORKER:
                attempts[id(item)] += 1
                self.log(
                    f"lost {name_of(item)}: the worker holding it (running or queued) died ({_short(exc)}); "
                    "running it again on another worker"
                )
                retry = submit(item, attempts[id(item)])
                self._futures[retry] = item
                pending.add(retry)
                continue
            elif _lost_worker(exc):
                result = lost(item, f"lost {attempts[id(item)] + 1} times with the worker holding it ({_short(exc)})")
            else:
                result = failed(item, f"on the cluster: {_short(exc)}")
            del future  # the worker may drop the result now
            done(item, result)

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
        futures = list(self._futures)
        try:
            if futures:
                self.client.cancel(futures, force=True)
            self.client.run(stop_kernels, on_error="ignore")
        except Exception:  # a cluster that is gone has nothing of ours left running
            pass

    def _connected(self, work: Callable):
        """``work()`` on the connected cluster; Ctrl-C cancels the batch; the connection is closed either way."""
        if self.client is None:
            self.connect()
        try:
            return work()
        except KeyboardInterrupt:
            self._cancel()
            raise
        finally:
            self.close()


class DaskExecutor(_Cluster):
    """Runs a plan's chapter executions as tasks on a Dask cluster (``python -m helpers run --scheduler``); the
    executed notebooks go into the client's cache through a shared file system. One instance per batch."""

    what = "chapter"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: Seconds each job took on its worker (chapter, seconds).
        self.durations: list[tuple[str, float]] = []

    def worker_check(self) -> tuple[Callable, tuple]:
        from .cache import helpers_hash

        return check_worker, (str(paths.ROOT), str(paths.DATA_DIR), str(paths.BUILD_DIR), helpers_hash())

    def __call__(
        self, todo: list[Job], progress: Callable[[Outcome], None] | None, owners: dict[str, list[str]]
    ) -> dict[str, Outcome]:
        """Execute ``todo`` on the cluster; every job gets an Outcome (failed when its chapter failed or was lost)."""
        return self._connected(lambda: self._run(todo, progress, owners))

    def _run(
        self, todo: list[Job], progress: Callable[[Outcome], None] | None, owners: dict[str, list[str]]
    ) -> dict[str, Outcome]:
        environment = self._environment()
        executed: dict[str, Outcome] = {}

        def submit(job: Job, attempt: int):
            return self.client.submit(
                run_job, job, environment, pure=False, retries=0, key=f"execute-{job.chapter}-{job.key[:12]}-{attempt}"
            )

        def name_of(job: Job) -> str:
            return f"{job.chapter} of {', '.join(owners.get(job.key + job.chapter, [])) or 'the book'}"

        def failure(job: Job, cause: str) -> Outcome:
            return Outcome(job.chapter, "failed", 0.0, job.key, "", cause)

        def done(job: Job, outcome: Outcome) -> None:
            if outcome.status != "failed":
                self.durations.append((job.chapter, outcome.duration))
            executed[job.key + job.chapter] = outcome
            if progress:
                progress(outcome)

        self._run_tasks(todo, submit, name_of, failure, failure, done)
        return executed


class DaskBatch(_Cluster):
    """Builds region books as tasks on a Dask cluster, one task per region (``python -m helpers build
    --scheduler``): see the module's docstring. One instance per batch."""

    what = "region"

    def worker_check(self) -> tuple[Callable, tuple]:
        from helpers.environment import package_versions

        from .cache import helpers_hash

        return check_environment, (helpers_hash(), package_versions())

    def _check_workers(self, timeout: float) -> None:
        super()._check_workers(timeout)
        profiling = self.client.run(profiles_tasks, on_error="return")
        named = sorted(worker for worker, answer in profiling.items() if answer is True)
        if named:
            self.log(
                f"note: {len(named)} worker(s) profile their tasks (distributed.worker.profile.enabled), "
                f"e.g. {named[0]}; a worker's memory then grows by some 2 MB per region while Dask keeps its "
                "profile history; start workers with DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False"
            )

    def build(self, tasks: list, done: Callable) -> None:
        """Build every ``RegionTask`` on the cluster; ``done(result)`` gets each region's ``RegionResult`` as it
        arrives (a lost or crashed task is a failed result naming why)."""
        if tasks:
            self._connected(lambda: self._build(tasks, done))

    def _build(self, tasks: list, done: Callable) -> None:
        from .region_book import RegionResult, pack_project

        environment = self._environment()
        bundle = self.client.scatter(pack_project(tasks[0].project), broadcast=True, hash=False)

        def submit(task, attempt: int):
            return self.client.submit(
                run_region, task, bundle, environment, pure=False, retries=0, key=f"region-{task.name}-{attempt}"
            )

        def failure(task, cause: str):
            return RegionResult(task.name, "failed", cause)

        self._run_tasks(
            tasks, submit, lambda task: f"region {task.name}", failure, failure, lambda task, result: done(result)
        )


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__
