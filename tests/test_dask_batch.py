"""Batch builds on a Dask cluster (``--scheduler``): the same results as a local batch, faults, the no-change path.

The cluster is a LocalCluster with two worker processes (one thread each) that this module starts; the build is
pointed at its address, as it would be at a real cluster's scheduler.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

import regbook as build
from helpers import paths, regions
from regbook import cli
from tests.conftest import as_foreground_job, use_build_dir
from tests.fixture_book import HEADER

distributed = pytest.importorskip("distributed")

@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster with two worker processes, one thread each; yields (address, client)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as local, distributed.Client(local) as client:
        yield local.scheduler_address, client


def transitions(client) -> int:
    """How many task state changes the scheduler has seen (unchanged: nothing was submitted)."""
    return client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)


@pytest.mark.slow
def test_batch_on_a_cluster_gives_the_local_results_and_a_second_batch_executes_nothing(
        built_books, cluster, tmp_path, monkeypatch, capsys):
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


SLOW_CHAPTER = HEADER + """
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


@pytest.mark.slow
@pytest.mark.parametrize("scheduler", ["address", "local"])
def test_a_worker_killed_mid_batch_is_named_and_its_chapter_runs_again(fixture_book, tmp_path, request,  # noqa: F811
                                                                        scheduler):
    """The test's cluster lets its scheduler rerun the task (Dask's default); ``local`` has the client rerun it."""
    import psutil

    from regbook.dask_batch import DaskExecutor

    address = request.getfixturevalue("cluster")[0] if scheduler == "address" else "local"
    flags = tmp_path / "flags"
    flags.mkdir()
    (fixture_book / "chapters" / "slow.md").write_text(SLOW_CHAPTER.format(flags=str(flags)))
    (fixture_book / "_toc.yml").write_text((fixture_book / "_toc.yml").read_text() + "  - file: chapters/slow\n")
    killed: list[int] = []

    def kill_the_worker_running_twente() -> None:
        started = flags / "started"
        for _ in range(3000):
            if started.exists() and started.read_text():
                break
            threading.Event().wait(0.1)
        kernel = psutil.Process(int(started.read_text()))
        zygote = next(p for p in kernel.parents() if "regbook.zygote" in " ".join(p.cmdline()))
        worker = zygote.parent()  # the Dask worker process that runs the chapter
        (flags / "killed").write_text("")
        worker.kill()
        killed.append(worker.pid)

    killer = threading.Thread(target=kill_the_worker_running_twente, daemon=True)
    killer.start()
    messages: list[str] = []
    variants = [build.make_variant("twente"), build.make_variant("zo-drenthe")]
    report = build.build(variants, compile_html=False, log=messages.append,
                         executor=DaskExecutor(address, log=messages.append, n_workers=2))
    killer.join(timeout=5)
    assert killed, "the slow chapter never started"
    assert report.ok, report.failures()
    lost = [m for m in messages if m.startswith("lost ")]
    # the killed worker's chapter is named; a worker may also hold one task queued beside the one it runs
    # (Dask's worker saturation), which is lost and run again with it
    assert any("slow of twente" in m for m in lost) and all("died" in m for m in lost), messages
    assert 1 <= len(lost) <= 2, messages
    assert {o.chapter: o.status for o in report.outcomes["twente"]} == {
        "index": "executed", "second": "executed", "slow": "executed"}


def test_an_unreachable_scheduler_is_one_line_before_any_kernel_starts(fixture_book, capsys,  # noqa: F811
                                                                        monkeypatch):
    monkeypatch.setenv("REGBOOK_DASK_TIMEOUT", "1")
    code = cli.main(["build", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 1
    lines = [line for line in err.splitlines() if "error" in line]
    assert lines == ["error: --scheduler: can't connect to the Dask scheduler at tcp://127.0.0.1:9 within 1 s; "
                     "no region was started"], err
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
    assert message == (f"the project {missing} is missing on this worker; workers need the project at the same path "
                       "(a shared filesystem)")
    assert check_worker(str(paths.ROOT), str(paths.DATA_DIR), str(tmp_path / "_build"), helpers_hash()) is None
    assert "another version of the helpers package" in check_worker(
        str(paths.ROOT), str(paths.DATA_DIR), str(tmp_path / "_build"), "0" * 64)


def test_a_build_without_scheduler_never_imports_dask():
    import subprocess
    import sys

    code = ("import sys\nfrom regbook import cli, driver, planning\n"
            "cli.parser().parse_args(['build', '--all-regions'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_scheduler_is_where_to_build_not_what_so_the_no_change_path_ignores_it():
    from regbook import fingerprint

    plain = ["build", "--all-regions"]
    assert fingerprint.command_line_key(plain + ["--scheduler", "tcp://10.0.0.5:8786"]) == \
        fingerprint.command_line_key(plain) == fingerprint.command_line_key(plain + ["--scheduler=local"])
    assert fingerprint.requested_variants(plain + ["--scheduler", "local"]) == fingerprint.requested_variants(plain)


FAILING_CHAPTER = HEADER + """
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


@pytest.mark.slow
def test_a_chapter_failing_on_the_cluster_is_named_by_region_and_chapter(fixture_book, cluster,  # noqa: F811
                                                                         capsys):
    from regbook.dask_batch import DaskExecutor

    (fixture_book / "chapters" / "fails.md").write_text(FAILING_CHAPTER)
    (fixture_book / "_toc.yml").write_text((fixture_book / "_toc.yml").read_text() + "  - file: chapters/fails\n")
    variants = [build.make_variant("twente"), build.make_variant("zo-drenthe")]
    report = build.build(variants, compile_html=False, log=lambda m: None,
                         executor=DaskExecutor(cluster[0], log=lambda m: None))
    assert {v: [o.chapter for o in rows if o.status == "failed"] for v, rows in report.outcomes.items()} == {
        "twente": ["fails"], "zo-drenthe": []}
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
        env={**os.environ, "REGBOOK_SCREENSHOTS": "0"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, preexec_fn=as_foreground_job)
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
    assert "interrupted while executing" in output and "previous site is kept" in output
    _, alive = psutil.wait_procs(started_by_the_build, timeout=10)
    assert [p for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []


def six_region_files(folder: Path) -> Path:
    """Six region files made from the two examples (three each), every copy with one section's employees changed,
    so that the six regions differ; each with its provenance sidecar. Returns the folder."""
    import pandas as pd

    folder.mkdir()
    for example, sections in (("rest-of-nl", "ACF"), ("rest-of-de-groups", ["A", "F", "J"])):
        table = pd.read_csv(paths.ROOT / "examples" / f"{example}.csv", dtype=str, keep_default_na=False)
        sidecar = json.loads((paths.ROOT / "examples" / f"{example}.provenance.json").read_text())
        for copy, section in enumerate(sections, start=1):
            region_id = f"{example}-{copy}"
            rows = table.assign(region_id=region_id, region_name=f"{table['region_name'][0]}, variant {copy}")
            changed = rows["nace_section"] == section
            rows.loc[changed, "employees_thousands"] = (
                rows.loc[changed, "employees_thousands"].astype(float) * (1 + copy)).round(1).astype(str)
            rows.to_csv(folder / f"{region_id}.csv", index=False)
            (folder / f"{region_id}.provenance.json").write_text(json.dumps(sidecar))
    return folder


@pytest.mark.slow
def test_a_batch_of_six_region_files_gives_the_same_results_on_a_cluster(cluster, tmp_path, monkeypatch):
    """Six region files, chapter 3 (the region's shares, location quotients and indices beside the report's): the
    glued values of every region are the same whether executed by the local process pool or on the cluster."""
    from regbook.dask_batch import DaskExecutor
    from regbook.export import results_document

    variants = build.region_file_variants([str(six_region_files(tmp_path / "regions"))])
    assert len(variants) == 6 and len({v.name for v in variants}) == 6
    results = {}
    for where in ("local", "cluster"):
        use_build_dir(monkeypatch, tmp_path / where)
        executor = DaskExecutor(cluster[0], log=lambda m: None) if where == "cluster" else None
        report = build.build(variants, jobs=2, compile_html=False, chapters=["ch3_regions"], log=lambda m: None,
                             executor=executor)
        assert report.ok, report.failures()
        assert {o.status for rows in report.outcomes.values() for o in rows} == {"executed"}
        results[where] = {v.name: results_document(v, report.outcomes[v.name]) for v in variants}
    for variant in variants:
        assert results["cluster"][variant.name] == results["local"][variant.name], variant.name
        assert any(variant.name in json.dumps(value) or "user" in key
                   for key, value in results["local"][variant.name]["values"]["ch3_regions"].items())
