"""Batches on a Dask cluster (``--scheduler``) and locally: the same results either way, a region that fails in the
middle of a batch, a worker lost mid-task, Ctrl-C, the second run that builds nothing, the checks before anything
starts; and the chapter executions of ``run --scheduler``.

The cluster is a LocalCluster with two worker processes (one thread each) that this module starts; the build is
pointed at its address, as it would be at a real cluster's scheduler. The fixture book (two small chapters) keeps
the fault tests quick; the comparison with the local batch builds the real book for generated region files.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import os
import socketserver
import tarfile
import threading
import time
from pathlib import Path

import pytest

import regbook as build
from helpers import paths, regions
from regbook import cli
from tests.conftest import QuietHTTPHandler, as_foreground_job, serving, use_build_dir
from tests.fixtures.fixture_book import HEADER

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster with two worker processes, one thread each; yields (address, client)."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
        ) as local,
        distributed.Client(local) as client,
    ):
        yield local.scheduler_address, client


def transitions(client) -> int:
    """How many task state changes the scheduler has seen (unchanged: nothing was submitted)."""
    return client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)


@pytest.mark.slow
def test_batch_on_a_cluster_gives_the_local_results_and_a_second_batch_executes_nothing(
    built_books, cluster, tmp_path, monkeypatch, capsys
):
    local_dir, local_report = built_books
    assert local_report.ok, local_report.failures()
    address, client = cluster
    use_build_dir(monkeypatch, tmp_path / "_build")

    assert cli.main(["build", "--all-regions", "--scheduler", address]) == 0, capsys.readouterr().err
    assert len(regions.STUDY_REGIONS) >= 6
    for region in regions.STUDY_REGIONS:  # results.json and audit.csv byte for byte (docs/results.md)
        for name in ("results.json", "audit.csv"):
            on_cluster = (paths.BUILD_DIR / "regions" / region / "results" / name).read_bytes()
            assert on_cluster == (local_dir / "regions" / region / "results" / name).read_bytes(), (region, name)
    assert (paths.BUILD_DIR / "regions" / "index.html").is_file()

    before = transitions(client)
    capsys.readouterr()
    assert cli.main(["build", "--all-regions", "--scheduler", address]) == 0
    err = capsys.readouterr().err
    assert "Dask scheduler was not contacted" in err
    assert "executed" not in err.replace("executing", "")  # every chapter cached
    assert transitions(client) == before


SLOW_CHAPTER = (
    HEADER
    + """
# Slow

```{{code-cell}} ipython3
:tags: [parameters, remove-cell]
focus_region = "zo-drenthe"
```

```{{code-cell}} ipython3
import os, pathlib, time
flags = pathlib.Path({flags!r})
if focus_region == "twente" and not (flags / "killed").exists():
    (flags / "started").write_text(str(os.getpid()))
    time.sleep(600)
```
"""
)


def kill_the_worker_running(flags: Path, killed: list[int]) -> None:
    """Wait for the slow chapter's kernel (it writes its pid into ``flags/started``), then kill the Dask worker
    process whose zygote forked it, and mark ``flags/killed`` so that the chapter's second run does not wait."""
    import psutil

    started = flags / "started"
    for _ in range(3000):
        if started.exists() and started.read_text():
            break
        threading.Event().wait(0.1)
    kernel = psutil.Process(int(started.read_text()))
    zygote = next(p for p in kernel.parents() if "regbook.zygote" in " ".join(p.cmdline()))
    worker = zygote.parent()  # the Dask worker process that runs the region's task
    (flags / "killed").write_text("")
    worker.kill()
    killed.append(worker.pid)


@pytest.mark.slow
@pytest.mark.parametrize("scheduler", ["address", "local"])
def test_a_worker_killed_mid_region_is_named_and_its_region_built_again(fixture_book, tmp_path, request, scheduler):
    """The test's cluster lets its scheduler rerun the task (Dask's default); ``local`` has the client rerun it."""
    from regbook.batch import BatchInputs, run_batch

    address = request.getfixturevalue("cluster")[0] if scheduler == "address" else "local"
    flags = tmp_path / "flags"
    flags.mkdir()
    (fixture_book / "chapters" / "slow.md").write_text(SLOW_CHAPTER.format(flags=str(flags)))
    (fixture_book / "_toc.yml").write_text((fixture_book / "_toc.yml").read_text() + "  - file: chapters/slow\n")
    killed: list[int] = []
    killer = threading.Thread(target=kill_the_worker_running, args=(flags, killed), daemon=True)
    killer.start()
    messages: list[str] = []
    inputs = BatchInputs([build.make_variant("twente"), build.make_variant("zo-drenthe")])
    summary = run_batch(inputs, scheduler=address, log=messages.append)
    killer.join(timeout=5)
    assert killed, "the slow chapter never started"
    assert summary.ok and summary.names("built") == ["twente", "zo-drenthe"], summary.lines()
    lost = [m for m in messages if m.startswith("lost ")]
    # the killed worker's region is named; a worker may also hold one task queued beside the one it runs
    # (Dask's worker saturation), which is lost and run again with it
    assert any(m.startswith("lost region twente") for m in lost) and all("died" in m for m in lost), messages
    assert 1 <= len(lost) <= 2, messages
    assert summary.statuses["twente"].where.split(":")[1] != str(killed[0])  # built by another worker process
    results = json.loads((paths.BUILD_DIR / "regions" / "twente" / "results" / "results.json").read_text())
    assert results["values"]["index"]["fx_region"] == "twente"


@pytest.mark.processes
def test_an_unreachable_scheduler_is_one_line_before_any_kernel_starts(
    fixture_book,
    capsys,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setenv("REGBOOK_DASK_TIMEOUT", "1")
    code = cli.main(["build", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 1
    lines = [line for line in err.splitlines() if "error" in line]
    assert lines == [
        "error: --scheduler: can't connect to the Dask scheduler at tcp://127.0.0.1:9 within 1 s "
        "(nothing accepts connections there: Connection refused); no region was started"
    ], err
    assert not (paths.BUILD_DIR / "regions" / "default").exists()


class _SilentHandler(socketserver.BaseRequestHandler):
    """Accepts a connection and neither reads nor writes until the client leaves."""

    def handle(self):
        self.request.settimeout(30)
        try:
            while self.request.recv(1024):
                pass
        except OSError:
            pass


class _GreetingHandler(_SilentHandler):
    """Greets first, as SSH or SMTP do, then waits."""

    def handle(self):
        self.request.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
        super().handle()


@contextlib.contextmanager
def _service(kind: str):
    """A local service that is not a Dask scheduler; yields its tcp:// address."""
    if kind == "http":
        handler = functools.partial(QuietHTTPHandler, directory=os.devnull)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    else:
        server = socketserver.ThreadingTCPServer(
            ("127.0.0.1", 0), {"silent": _SilentHandler, "greeting": _GreetingHandler}[kind]
        )
    server.daemon_threads = True
    with serving(server) as port:
        yield f"tcp://127.0.0.1:{port}"


@pytest.mark.parametrize(
    "kind, answered",
    [
        ("http", "is not a Dask scheduler: an HTTP server answers there (HTTP/1.0 "),
        ("greeting", "is not a Dask scheduler: another service answers there (SSH-2.0-OpenSSH_9.2p1 Debian-2)"),
        ("silent", "is not a Dask scheduler: something accepts connections there, but no Dask handshake within 1 s"),
    ],
)
@pytest.mark.processes
def test_a_service_that_is_not_a_scheduler_is_one_line_within_the_time_limit(
    kind,
    answered,
    fixture_book,  # noqa: F811
    capsys,
    monkeypatch,
):
    """Dask's client bounds the TCP connection but not its handshake: an HTTP server at the address held the build
    forever (issue 28). The whole connection is bounded by REGBOOK_DASK_TIMEOUT, and the line says what answered."""
    monkeypatch.setenv("REGBOOK_DASK_TIMEOUT", "1")
    with _service(kind) as address:
        codes = []
        run = threading.Thread(target=lambda: codes.append(cli.main(["build", "--scheduler", address])), daemon=True)
        started = time.monotonic()
        run.start()
        run.join(timeout=60)
        assert not run.is_alive(), "the build still waits for the scheduler"
    assert time.monotonic() - started < 30 and codes == [1]
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "error" in line]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"error: --scheduler: {address} ") and answered in lines[0], lines[0]
    assert lines[0].endswith("; no region was started")
    assert not list((paths.BUILD_DIR / ".cache").glob("*/*/executed.ipynb"))


def test_a_malformed_scheduler_address_names_the_valid_forms(capsys):
    assert cli.main(["build", "--scheduler", "my cluster"]) == 2
    err = capsys.readouterr().err
    assert "neither 'local' nor a scheduler address such as tcp://host:8786" in err


def test_a_worker_without_the_project_folder_is_refused_with_the_path(tmp_path):
    from regbook.cache import helpers_hash
    from regbook.dask_batch import check_worker

    missing = tmp_path / "not-mounted"
    message = check_worker(str(missing), str(missing / "data"), str(missing / "_build"), helpers_hash())
    assert message == (
        f"the project {missing} is missing on this worker; workers need the project at the same path "
        "(a shared filesystem)"
    )
    assert check_worker(str(paths.ROOT), str(paths.DATA_DIR), str(tmp_path / "_build"), helpers_hash()) is None
    assert "another version of the helpers package" in check_worker(
        str(paths.ROOT), str(paths.DATA_DIR), str(tmp_path / "_build"), "0" * 64
    )


def test_a_worker_with_another_environment_is_refused_with_what_differs():
    from helpers.environment import package_versions
    from regbook.cache import helpers_hash
    from regbook.dask_batch import check_environment

    versions = package_versions()
    assert check_environment(helpers_hash(), versions) is None
    assert "another version of the helpers package" in check_environment("0" * 64, versions)
    message = check_environment(helpers_hash(), {**versions, "pandas": "0.0.1"})
    assert message == (
        f"this worker has pandas {versions['pandas']} (the client has 0.0.1); workers need the "
        "client's package versions (requirements.txt), or their results would differ"
    )


@pytest.mark.processes
def test_a_build_without_scheduler_never_imports_dask():
    import subprocess
    import sys

    code = (
        "import sys\nfrom regbook import cli, driver, planning\n"
        "cli.parser().parse_args(['build', '--all-regions'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_scheduler_is_where_to_build_not_what_so_the_no_change_path_ignores_it():
    from regbook import fingerprint

    plain = ["build", "--all-regions"]
    assert (
        fingerprint.command_line_key(plain + ["--scheduler", "tcp://10.0.0.5:8786"])
        == fingerprint.command_line_key(plain)
        == fingerprint.command_line_key(plain + ["--scheduler=local"])
    )
    assert fingerprint.requested_variants(plain + ["--scheduler", "local"]) == fingerprint.requested_variants(plain)


FAILING_CHAPTER = (
    HEADER
    + """
# Fails for one region

```{code-cell} ipython3
:tags: [parameters, remove-cell]
focus_region = "zo-drenthe"
```

```{code-cell} ipython3
if focus_region == "twente":
    raise ValueError("no data for this region")
```
"""
)


@pytest.mark.slow
def test_a_chapter_failing_on_the_cluster_is_named_by_region_and_chapter(
    fixture_book,
    cluster,  # noqa: F811
    capsys,
):
    from regbook.dask_batch import DaskExecutor

    (fixture_book / "chapters" / "fails.md").write_text(FAILING_CHAPTER)
    (fixture_book / "_toc.yml").write_text((fixture_book / "_toc.yml").read_text() + "  - file: chapters/fails\n")
    variants = [build.make_variant("twente"), build.make_variant("zo-drenthe")]
    report = build.build(
        variants, compile_html=False, log=lambda m: None, executor=DaskExecutor(cluster[0], log=lambda m: None)
    )
    assert {v: [o.chapter for o in rows if o.status == "failed"] for v, rows in report.outcomes.items()} == {
        "twente": ["fails"],
        "zo-drenthe": [],
    }
    assert all(o.status == "executed" for o in report.outcomes["zo-drenthe"])
    cli._summary(report)
    failed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and failed[0].startswith("FAILED twente / fails: code cell ")
    assert failed[0].endswith("'if focus_region == \"twente\":'): ValueError: no data for this region"), failed
    assert (paths.BUILD_DIR / "failed" / "twente" / "fails.ipynb").is_file()


@pytest.mark.slow
def test_ctrl_c_cancels_the_batch_and_stops_the_kernels_on_the_workers(fixture_book, tmp_path):  # noqa: F811
    import signal
    import subprocess
    import sys
    import time

    import psutil

    flags = tmp_path / "flags"
    flags.mkdir()
    (fixture_book / "chapters" / "slow.md").write_text(SLOW_CHAPTER.format(flags=str(flags)))
    (fixture_book / "_toc.yml").write_text((fixture_book / "_toc.yml").read_text() + "  - file: chapters/slow\n")
    build_process = subprocess.Popen(  # its own process group, as a terminal's foreground job is
        [sys.executable, "-m", "helpers", "build", "--region", "twente", "--scheduler", "local"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=as_foreground_job,
    )
    try:
        started = flags / "started"
        deadline = time.monotonic() + 600
        while not (started.exists() and started.read_text()) and time.monotonic() < deadline:
            assert build_process.poll() is None, build_process.stdout.read()
            time.sleep(0.2)
        kernel = int(started.read_text())
        started_by_the_build = psutil.Process(build_process.pid).children(recursive=True)
        assert kernel in {p.pid for p in started_by_the_build}
        os.killpg(build_process.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground process group
        output, _ = build_process.communicate(timeout=120)
    finally:
        if build_process.poll() is None:
            os.killpg(build_process.pid, signal.SIGKILL)
    assert build_process.returncode == 130, output
    assert "interrupted while building the batch's regions on the cluster" in output
    assert "the others keep their previous ones" in output
    _, alive = psutil.wait_procs(started_by_the_build, timeout=10)
    assert [p for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []


@pytest.mark.slow
def test_generated_regions_on_a_cluster_give_the_local_batch_byte_for_byte_and_a_second_run_submits_nothing(
    cluster, tmp_path, monkeypatch, capsys
):
    """Three generated region files (both countries, both levels): each region's whole book built as one task on the
    cluster's workers (compiled there), against the same batch built locally; then the same batch again."""
    from helpers.generated_regions import write_generated

    address, client = cluster
    folder = tmp_path / "regions"
    write_generated(folder, 3)
    built = {}
    for where, extra in (("local", []), ("cluster", ["--scheduler", address])):
        use_build_dir(monkeypatch, tmp_path / where)
        assert cli.main(["build", "--region-file", str(folder), *extra]) == 0, capsys.readouterr().err
        assert "batch of 3 regions: 3 built, 0 unchanged, 0 invalid, 0 failed" in capsys.readouterr().err
        built[where] = tmp_path / where / "regions"
    for region in ("gen-0001", "gen-0002", "gen-0003"):  # results.json and audit.csv byte for byte (docs/results.md)
        for name in ("results.json", "audit.csv"):
            on_cluster = (built["cluster"] / region / "results" / name).read_bytes()
            assert on_cluster == (built["local"] / region / "results" / name).read_bytes(), (region, name)
        assert (built["cluster"] / region / "html" / "chapters" / "ch3_regions.html").is_file()
    record = json.loads((built["cluster"] / "batch.json").read_text())
    assert all(r["compile_seconds"] > 0 and r["peak_mb"] > 0 for r in record["regions"])  # compiled on a worker
    assert not list((tmp_path / "cluster").glob(".jb/*/_build"))  # and not here
    landing = (built["cluster"] / "index.html").read_text()
    assert all(f'href="gen-000{i}/html/index.html"' in landing for i in (1, 2, 3))

    before = transitions(client)
    assert cli.main(["build", "--region-file", str(folder), "--scheduler", address]) == 0
    err = capsys.readouterr().err
    assert "batch of 3 regions: 0 built, 3 unchanged, 0 invalid, 0 failed" in err
    assert "the Dask scheduler was not contacted" in err
    assert transitions(client) == before

    (folder / "gen-0002.csv").write_text((folder / "gen-0002.csv").read_text().replace(",A,", ",A,1", 1))
    assert cli.main(["build", "--region-file", str(folder), "--scheduler", address]) == 0
    assert "batch of 3 regions: 1 built, 2 unchanged, 0 invalid, 0 failed" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("where", ["cluster", "local"])
def test_a_region_failing_mid_batch_is_named_with_its_cause_and_the_others_are_built(
    fixture_book, where, request, capsys
):
    (fixture_book / "chapters" / "fails.md").write_text(FAILING_CHAPTER)
    (fixture_book / "_toc.yml").write_text((fixture_book / "_toc.yml").read_text() + "  - file: chapters/fails\n")
    extra = ["--scheduler", request.getfixturevalue("cluster")[0]] if where == "cluster" else []
    assert cli.main(["build", "--all-regions", *extra]) == 1
    err = capsys.readouterr().err
    assert "batch of 6 regions: 5 built, 0 unchanged, 0 invalid, 1 failed" in err
    if where == "cluster":  # the test's cluster has Dask's default settings: its workers profile their tasks
        assert "note: 2 worker(s) profile their tasks" in " ".join(err.split())
    failed = [" ".join(line.split()) for line in err.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and failed[0].startswith("failed: twente: fails: code cell "), failed
    assert failed[0].endswith("ValueError: no data for this region"), failed
    for region in regions.STUDY_REGIONS:
        assert (paths.BUILD_DIR / "regions" / region / "html" / "index.html").is_file() == (region != "twente")
    landing = (paths.BUILD_DIR / "regions" / "index.html").read_text()
    assert 'Twente <span class="note">(not built)</span>' in landing and 'href="bremen/html/index.html"' in landing
    assert cli.main(["build", "--all-regions", *extra]) == 1  # the failed region is tried again, the others not
    assert "batch of 6 regions: 0 built, 5 unchanged, 0 invalid, 1 failed" in capsys.readouterr().err


READS_THE_REGION_FILE = (
    HEADER
    + """
# The region file

```{code-cell} ipython3
:tags: [parameters, remove-cell]
focus_region = "zo-drenthe"
region_file = ""
```

```{code-cell} ipython3
from helpers import glue, params, region_file as rf
region = rf.load(params.coerce("region_file", region_file)) if region_file else None
glue.glue("fx_user_name", region.name if region else "", region.name if region else "")
glue.glue("fx_user_total", float(region.employees.sum()) if region else 0.0, "")
glue.glue("fx_reference_total", float(region.reference.employees.sum()) if region and region.reference else 0.0, "")
```
"""
)


@pytest.mark.slow
def test_a_worker_without_the_project_or_the_region_files_gets_them_and_the_same_results(fixture_book, tmp_path):
    """A region file with a reference file in another folder, built locally; then built by ``build_region_book`` as
    a worker that sees neither the project nor the files at the client's paths would (they were moved away after
    the task was made): the same results.json, byte for byte."""
    from regbook import batch, region_book
    from tests.test_region_file import section_rows, write_rows

    (fixture_book / "chapters" / "user.md").write_text(READS_THE_REGION_FILE)
    (fixture_book / "_toc.yml").write_text((fixture_book / "_toc.yml").read_text() + "  - file: chapters/user\n")
    client = tmp_path / "client"
    for folder in ("refs", "regions"):
        (client / folder).mkdir(parents=True)
    reference = write_rows(
        client / "refs", section_rows("my-nl", values={c: 20 for c in "ABCDEFGHIJKLMNOPQRS"}), name="nl.csv"
    )
    sidecar = {
        "source": "test",
        "table_id": "T1",
        "retrieved": "2024-01-31",
        "query": "q",
        "concept": "employees",
        "reference_file": "../refs/nl.csv",
    }
    region = write_rows(client / "regions", section_rows("my-region"), name="mine.csv", provenance=sidecar)
    inputs = batch.validate([], [str(region)], {})
    local = build.build(inputs.variants, log=lambda m: None)
    assert local.ok, local.failures()
    variant = inputs.variants[0]
    expected = (variant.layout.results / "results.json").read_bytes()
    assert json.loads(expected)["values"]["user"] == {
        "fx_user_name": "My region",
        "fx_user_total": 190.0,
        "fx_reference_total": 380.0,
    }
    files = batch.input_files(variant, inputs.regions[variant.name])
    assert reference in files
    project = region_book.this_project()
    task = region_book.RegionTask(variant.name, variant.parameters, {str(p): p.read_bytes() for p in files}, project)
    bundle = region_book.pack_project(project)
    client.rename(tmp_path / "moved-away")
    fixture_book.rename(tmp_path / "book-moved-away")
    result = region_book.build_region_book(task, bundle, tmp_path / "worker")
    assert result.status == "built", result.error
    with tarfile.open(fileobj=io.BytesIO(result.site)) as archive:
        assert archive.extractfile("results/results.json").read() == expected
        assert "html/chapters/user.html" in archive.getnames()
    assert list((tmp_path / "worker").glob("inputs/*/refs/nl.csv"))  # the reference where the sidecar says
    assert list((tmp_path / "worker").glob("project-*/chapters/user.md"))
    assert not list((tmp_path / "worker" / "build" / "regions").iterdir())  # nothing of the region stays


@pytest.mark.slow
def test_a_workers_memory_stays_flat_region_after_region(tmp_path, monkeypatch):
    """Eight generated regions on one worker: the memory the worker process retains after each region (collected
    and trimmed, regbook.region_book._retained_mb), from the second on, stays within 5 MB (measured: 0.2 MB; with
    Dask's profiler on, which the batch's LocalCluster turns off, it grew by some 2 MB a region; untrimmed RSS, the
    allocator's high-water mark, wandered by up to 5.4 MB on CI)."""
    from helpers.generated_regions import write_generated
    from regbook.batch import run_batch, validate

    use_build_dir(monkeypatch, tmp_path / "_build")
    write_generated(tmp_path / "regions", 8)
    summary = run_batch(validate([], [str(tmp_path / "regions")], {}), scheduler="local", workers=1, log=lambda m: None)
    assert summary.ok and len(summary.names("built")) == 8, summary.lines()
    assert len({status.where for status in summary.statuses.values()}) == 1
    memory = sorted(status.worker_mb for status in summary.statuses.values())  # the first region's is the lowest
    assert memory[-1] - memory[1] < 5, memory
