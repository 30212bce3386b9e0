"""Benchmark the build against the tools a user would pick instead, side by side in one run, with peak memory.

Every command runs as a subprocess started from here, timed from the shell's point of view (interpreter start
included), while a sampler thread adds up the resident memory of its whole process tree (kernels included,
psutil, every 20 ms). Each side works in its own temporary copy of the book, so ``_build/html`` is never touched.

Scenarios (``--scenarios``, comma-separated; default all):

``cold``      default book from nothing: ``python -m helpers build`` against Jupyter Book with its execution
              cache (``execute_notebooks: cache``, jupyter-cache), cold; each chapter executed once in both;
``nochange``  rebuild with nothing changed (median of several runs): ``python -m helpers build`` and
              ``make book`` against Jupyter Book's cached rebuild;
``prose``     one sentence added to one chapter, then a rebuild in both; measured twice for ours: as from a script
              (a warm Jupyter Book of the build's own) and as from a terminal (the lasting one, already up);
``code``      one line of code added to one chapter, then a rebuild in both;
``regions``   every study region's variant of the book, cold: ``python -m helpers build --all-regions`` against
              (a) the naive loop: papermill per chapter and region with the region as parameter, then
              ``jupyter-book build`` per region, and (b) the same loop with Jupyter Book's cache doing the execution
              (each region's chapters copied with the region written into the parameters cell).
``batch``     the same batch of every study region, cold, executed locally (the process pool) and on a Dask
              LocalCluster (``--scheduler local``, one worker per core): regions per minute for each, and a model of
              the batch on N workers from the measured task durations (``batch_model``), printed beside them.

Prints a table (scenario, peer time, our time, ratio, target, peak memory) and writes it as CSV to
``_build/bench/bench.csv``. Usage: ``.venv/bin/python bench/bench_build.py [--scenarios cold,nochange]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from helpers import paths, regions

ROOT = paths.ROOT
PYTHON = sys.executable
JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))
EDITED_CHAPTER = "ch2_occupations"  # the chapter whose prose and code the edit scenarios change
SCENARIOS = ("cold", "nochange", "prose", "code", "regions", "batch")
PROSE_EDIT = "\nThis sentence was added to measure a rebuild after a prose edit.\n"


@dataclass
class Run:
    seconds: float
    peak_mb: float


def warm_servers() -> list[psutil.Process]:
    """Our build's warm Jupyter Book servers (``regbook.compile_server``) of this interpreter."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if len(cmdline) > 2 and cmdline[0] == PYTHON and "regbook.compile_server" in cmdline:
            found.append(proc)
    return found


def stop_warm_servers() -> None:
    """Stop our warm servers, so that a cold scenario pays for starting one (they are detached, not children)."""
    for proc in warm_servers():
        try:
            proc.terminate()
            proc.wait(10)
        except psutil.Error:
            pass


#: How often the process tree's memory is sampled. Each sample reads /proc for every process; at 20 ms the sampler
#: took about a tenth of a core, which a build using both cores loses and a peer using one does not.
SAMPLE_SECONDS = 0.1


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run a command; its wall time and the peak resident memory of its process tree (MB), to which our warm
    Jupyter Book server and its compiles are added (detached from the build, but part of its footprint)."""
    log = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            root = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        servers, looked = [], 0.0
        while not done.is_set():
            total = 0
            if time.monotonic() - looked > 0.5:
                servers, looked = warm_servers(), time.monotonic()
            try:
                procs = {p.pid: p for p in [root, *root.children(recursive=True)]}
            except psutil.NoSuchProcess:
                break
            for server in servers:  # a build's own server is also its child: counted once
                try:
                    procs.update((p.pid, p) for p in [server, *server.children(recursive=True)])
                except psutil.NoSuchProcess:
                    pass
            for p in procs.values():
                try:
                    total += p.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            peak = max(peak, total)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if code != 0:
        log.seek(0)
        tail = log.read().decode(errors="replace")[-3000:]
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{tail}")
    log.seek(0)
    output = log.read().decode(errors="replace")
    if "Execution Failed" in output or "execution failed" in output.lower():
        print(f"  warning: a notebook failed to execute in: {' '.join(cmd[:3])} ...", flush=True)
    return Run(seconds, peak / 2**20)


def median_run(cmd: list[str], repeats: int, **kwargs) -> Run:
    runs = [measure(cmd, **kwargs) for _ in range(repeats)]
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


# --- book copies ---------------------------------------------------------------------------------------------


def copy_book(target: Path, with_data: bool = True) -> Path:
    """The book's sources (chapters, configuration, static files, data) in a new folder."""
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "chapters", target / "chapters", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name in ("_config.yml", "_toc.yml", "CITATION.cff"):  # the front page cites from CITATION.cff
        shutil.copy(ROOT / name, target / name)
    if (ROOT / "_static").exists():
        shutil.copytree(ROOT / "_static", target / "_static")
    if with_data:
        shutil.copytree(paths.DATA_DIR, target / "data")
    return target


def jupyter_book_copy(target: Path, region: str | None = None) -> Path:
    """A copy of the book that Jupyter Book executes itself with its cache (jupyter-cache)."""
    copy_book(target, with_data=False)
    config = (target / "_config.yml").read_text()
    config = re.sub(r'execute_notebooks: "off"', 'execute_notebooks: cache\n  timeout: 1200', config)
    assert "execute_notebooks: cache" in config, "could not switch the copy's execution to the cache"
    (target / "_config.yml").write_text(config)
    if region is not None:  # the region written into each chapter's parameters cell
        for source in (target / "chapters").glob("*.md"):
            text = source.read_text()
            source.write_text(re.sub(r'^focus_region = "[^"]*"', f'focus_region = "{region}"', text, count=1,
                                     flags=re.M))
    return target


def jupyter_book_cmd(book: Path, execute: bool = True) -> list[str]:
    return [JUPYTER_BOOK, "build", str(book), "--path-output", str(book), "--keep-going", "--quiet"]


def ours_env(book: Path) -> dict[str, str]:
    """Our default build of a copy, as a user runs it (no review screenshots: they are opt-in), with a warm
    Jupyter Book of its own (as from a script), unless a scenario says it runs from a terminal."""
    return {**os.environ, "REGBOOK_ROOT": str(book), "REGBOOK_DATA_DIR": str(book / "data"),
            "REGBOOK_BUILD_DIR": str(book / "_build"), "REGBOOK_WARM_COMPILE": "build"}


def ours_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "helpers", "build", *args]


def edit_prose(book: Path) -> None:
    source = book / "chapters" / f"{EDITED_CHAPTER}.md"
    source.write_text(source.read_text() + PROSE_EDIT)


def edit_code(book: Path) -> None:
    source = book / "chapters" / f"{EDITED_CHAPTER}.md"
    text = source.read_text()
    assert "plots.use_theme()\n" in text
    source.write_text(text.replace("plots.use_theme()\n", "plots.use_theme()\nbenchmark_edit = 1  # a changed code cell\n", 1))


# --- the naive loop (run as its own process: `bench_build.py --naive BOOK OUT REGION...`) ----------------------


def naive_loop(book: Path, out: Path, region_ids: list[str]) -> None:
    """For each region: papermill per chapter (sequential, region as parameter), then `jupyter-book build`."""
    import papermill

    import regbook as build
    from helpers import params

    for region in region_ids:
        parameters = params.validate({} if region == "default" else {"focus_region": region})
        stage = out / region
        (stage / "chapters").mkdir(parents=True)
        shutil.copy(book / "_config.yml", stage / "_config.yml")
        shutil.copy(book / "_toc.yml", stage / "_toc.yml")
        for entry in build.toc_entries():
            nb = build.read_chapter(entry)
            declared = build.declared_parameters(nb)
            papermill.execute_notebook(nb, str(stage / f"{entry}.ipynb"), kernel_name=build.KERNEL_NAME,
                                       parameters={k: parameters[k] for k in declared}, progress_bar=False,
                                       cwd=str(book / "chapters"))
        subprocess.run([JUPYTER_BOOK, "build", str(stage), "--path-output", str(stage), "--keep-going", "--quiet"],
                       check=True, capture_output=True)


# --- scenarios -------------------------------------------------------------------------------------------------


class Rows(list):
    """The table's rows; each is printed as soon as it is measured (a long run shows its progress)."""

    def append(self, row: "Row") -> None:
        super().append(row)
        print(f"  -> {row.scenario} / {row.peer}: peer {row.peer_run.seconds:.2f} s, ours {row.ours_run.seconds:.2f} s, "
              f"{row.ratio:.1f}x (target {row.target:g}x); peak MB {row.peer_run.peak_mb:.0f} / "
              f"{row.ours_run.peak_mb:.0f}", flush=True)


@dataclass
class Row:
    scenario: str
    peer: str
    peer_run: Run
    ours_run: Run
    target: float  # the ratio peer/ours the issue asks for
    ours_limit: float | None = None  # an absolute limit on our time, seconds

    @property
    def ratio(self) -> float:
        return self.peer_run.seconds / self.ours_run.seconds

    @property
    def met(self) -> bool:
        return self.ratio >= self.target and (self.ours_limit is None or self.ours_run.seconds <= self.ours_limit)


def run_default_book(tmp: Path, chosen: set[str], rows: list[Row], repeats: int) -> None:
    jb = jupyter_book_copy(tmp / "jb")
    ours = copy_book(tmp / "ours")
    env = ours_env(ours)
    print("cold: Jupyter Book with its cache ...", flush=True)
    jb_cold = measure(jupyter_book_cmd(jb))
    print("cold: ours ...", flush=True)
    stop_warm_servers()
    ours_cold = measure(ours_cmd(), env=env)
    if "cold" in chosen:
        rows.append(Row("cold build, default book", "Jupyter Book, cache on", jb_cold, ours_cold, 2))
    if "nochange" in chosen:
        print("no change ...", flush=True)
        jb_again = median_run(jupyter_book_cmd(jb), repeats)
        ours_again = median_run(ours_cmd(), max(repeats, 5), env=env)
        make_again = median_run(["make", "-s", "-C", str(ROOT), "book"], max(repeats, 5), env=env)
        rows.append(Row("no-change rebuild (python -m helpers build)", "Jupyter Book, cached rebuild", jb_again,
                        ours_again, 5, 0.3))
        rows.append(Row("no-change rebuild (make book)", "Jupyter Book, cached rebuild", jb_again, make_again, 5, 0.3))
    if "prose" in chosen:
        print("prose edit ...", flush=True)
        rows.append(edit_and_measure(jb, ours, env, edit_prose, f"one chapter's prose edited ({EDITED_CHAPTER})", 2))
        print("prose edit from a terminal (the lasting warm Jupyter Book is up) ...", flush=True)
        lasting = {**env, "REGBOOK_WARM_COMPILE": "1"}  # what a build run from a terminal uses
        edit_prose(ours)
        measure(ours_cmd(), env=lasting)  # the writer's previous build, which left the server up
        rows.append(edit_and_measure(jb, ours, lasting, edit_prose,
                                     f"one chapter's prose edited ({EDITED_CHAPTER}), from a terminal", 2))
        stop_warm_servers()  # the lasting server is not part of the scenarios that follow
    if "code" in chosen:
        print("code edit ...", flush=True)
        rows.append(edit_and_measure(jb, ours, env, edit_code, f"one chapter's code edited ({EDITED_CHAPTER})", 1))


def edit_and_measure(jb: Path, ours: Path, env: dict[str, str], edit, label: str, target: float) -> Row:
    """The same edit in both copies, each followed by a rebuild: Jupyter Book's cached rebuild against ours."""
    edit(jb)
    jb_run = measure(jupyter_book_cmd(jb))
    edit(ours)
    ours_run = measure(ours_cmd(), env=env)
    return Row(label, "Jupyter Book, cached rebuild", jb_run, ours_run, target)


def run_regions(tmp: Path, rows: list[Row], ids: list[str]) -> None:
    ours = copy_book(tmp / "ours-regions")
    print(f"{len(ids)} region variants: ours ...", flush=True)
    stop_warm_servers()
    if ids == list(regions.STUDY_REGIONS):
        cmd = ours_cmd("--all-regions")
    else:  # the command line builds one region or all; the same build of a subset, through the same driver
        cmd = [PYTHON, "-c", "import sys\nfrom regbook import compile_server\ncompile_server.prewarm()\n"
               "import regbook as build\nreport = build.build([build.make_variant(r) for r in sys.argv[1:]], "
               "log=lambda m: None)\nsys.exit(0 if report.ok else 1)", *ids]
    ours_run = measure(cmd, env=ours_env(ours))
    print("all region variants: Jupyter Book with its cache, one build per region ...", flush=True)
    copies = [jupyter_book_copy(tmp / f"jb-{r}", r) for r in ids]
    loop = " && ".join(" ".join(jupyter_book_cmd(c)) for c in copies)
    jb_run = measure(["/bin/sh", "-c", loop])
    print("all region variants: naive loop (papermill per chapter and region, then jupyter-book) ...", flush=True)
    naive_book = copy_book(tmp / "naive-book")
    naive_run = measure([PYTHON, __file__, "--naive", str(naive_book), str(tmp / "naive-out"), *ids],
                        env=ours_env(naive_book))
    label = f"all {len(ids)} region variants, cold" if len(ids) == len(regions.STUDY_REGIONS) else \
        f"{len(ids)} region variants ({', '.join(ids)}), cold"
    rows.append(Row(label, "naive loop: papermill + jupyter-book per region", naive_run, ours_run, 6))
    rows.append(Row(label, "jupyter-book per region, cache on", jb_run, ours_run, 2))


# --- the batch: local against a Dask LocalCluster, and a model for N workers ---------------------------------------


def batch_build(scheduler: str, out: Path) -> None:
    """One cold batch of every study region (``build --all-regions [--scheduler local]``); timings to ``out``.

    Runs as its own process (``bench_build.py --batch SCHEDULER OUT``), so that it is measured like a command.
    """
    import regbook as build
    from regbook import compile_server

    compile_server.prewarm()
    executor = None
    if scheduler != "none":
        from regbook.dask_batch import DaskExecutor

        executor = DaskExecutor(scheduler, log=lambda m: None)
    variants = [build.make_variant(r) for r in regions.STUDY_REGIONS]
    report = build.build(variants, log=lambda m: None, executor=executor)
    jobs: dict[str, dict] = {}  # one per execution: its seconds and how many regions it served
    for rows in report.outcomes.values():
        for o in rows:
            if o.status == "executed":
                job = jobs.setdefault(o.key + o.chapter, {"chapter": o.chapter, "seconds": o.duration, "regions": 0})
                job["regions"] += 1
    out.write_text(json.dumps({"ok": report.ok, "jobs": list(jobs.values()), "compiles": report.compile_seconds,
                               "chapters": {v: {o.chapter: o.duration for o in rows}
                                            for v, rows in report.outcomes.items()},
                               "seconds": report.seconds}, indent=1))
    sys.exit(0 if report.ok else 1)


@dataclass
class BatchModel:
    """A batch's work from one measured batch of ``measured_regions`` regions (seconds of one worker's time)."""

    shared: float  # executions every region uses (run once per batch, whatever its size)
    per_region: float  # executions one more region adds
    longest_chapter: float
    compile: float  # one region's site compile
    critical_path: float  # the longest region: its longest chapter, then its compile
    client_cores: int

    @classmethod
    def from_timings(cls, timings: dict, client_cores: int) -> "BatchModel":
        count = len(timings["chapters"])
        shared = sum(j["seconds"] for j in timings["jobs"] if j["regions"] == count)
        own = sum(j["seconds"] for j in timings["jobs"] if j["regions"] < count)
        compile_seconds = statistics.mean(timings["compiles"].values())
        critical = max(max(chapters.values()) + timings["compiles"].get(region, compile_seconds)
                       for region, chapters in timings["chapters"].items())
        return cls(shared, own / count, max(j["seconds"] for j in timings["jobs"]), compile_seconds, critical,
                   client_cores)

    def executions(self, regions_count: int) -> float:
        return self.shared + self.per_region * regions_count

    def as_built(self, regions_count: int, workers: int) -> float:
        """Seconds as the build runs today: executions on the workers, then the compiles on the client's cores."""
        executing = max(self.longest_chapter, self.executions(regions_count) / workers)
        compiling = -(-regions_count // self.client_cores) * self.compile  # rounds of client_cores side by side
        return executing + compiling

    def compiles_on_workers(self, regions_count: int, workers: int) -> float:
        """Seconds if the workers compiled the sites too: the longest region, or the work shared by N workers."""
        work = self.executions(regions_count) + regions_count * self.compile
        return max(self.critical_path, work / workers)


def run_batch(tmp: Path, rows: list[Row]) -> None:
    count = len(regions.STUDY_REGIONS)
    measured: dict[str, tuple[Run, dict]] = {}
    for scheduler, label in (("none", "local process pool"), ("local", "Dask LocalCluster")):
        book = copy_book(tmp / f"ours-batch-{scheduler}")
        out = tmp / f"batch-{scheduler}.json"
        print(f"batch of {count} regions, cold, {label} ...", flush=True)
        stop_warm_servers()
        run = measure([PYTHON, __file__, "--batch", scheduler, str(out)], env=ours_env(book))
        measured[label] = (run, json.loads(out.read_text()))
    (local_run, _), (cluster_run, timings) = measured["local process pool"], measured["Dask LocalCluster"]
    rows.append(Row(f"batch of {count} regions, cold", "same batch on the local process pool", local_run,
                    cluster_run, 0))  # no target: the row is there to be read beside the model
    cores = os.cpu_count() or 1
    model = BatchModel.from_timings(timings, cores)
    print(f"\nbatch of {count} regions: local {count / local_run.seconds * 60:.2f} regions/min "
          f"({local_run.seconds:.0f} s), LocalCluster with {cores} workers {count / cluster_run.seconds * 60:.2f} "
          f"regions/min ({cluster_run.seconds:.0f} s, cluster start included)")
    print(f"model from the cluster's task durations: executions {model.shared:.0f} s shared by every region + "
          f"{model.per_region:.0f} s per region, longest chapter {model.longest_chapter:.0f} s, site compile "
          f"{model.compile:.0f} s per region, longest region {model.critical_path:.0f} s; the model predicts "
          f"{model.as_built(count, cores):.0f} s for the measured batch ({cluster_run.seconds:.0f} s measured)")
    header = ["regions", "workers", "as built: minutes", "regions/min", "compiles on workers: minutes",
              "regions/min"]
    table = []
    for regions_count in (count, 40, 400):
        for workers in (cores, 8, 32, 128):
            built = model.as_built(regions_count, workers)
            spread = model.compiles_on_workers(regions_count, workers)
            table.append([regions_count, workers, f"{built / 60:.1f}", f"{regions_count / built * 60:.1f}",
                          f"{spread / 60:.1f}", f"{regions_count / spread * 60:.1f}"])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table)]
    for line in (header, *table):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))
    print(f"(as built: the client compiles {cores} sites at a time after the executions; the second model lets the "
          "workers compile too)\n", flush=True)


def report(rows: list[Row], started_load: tuple, target_csv: Path) -> None:
    header = ["scenario", "peer", "peer s", "ours s", "ratio", "target", "met", "peer peak MB", "ours peak MB"]
    table = []
    for r in rows:
        target = f">= {r.target:g}x" + (f", <= {r.ours_limit:g} s" if r.ours_limit else "") if r.target else "-"
        table.append([r.scenario, r.peer, f"{r.peer_run.seconds:.2f}", f"{r.ours_run.seconds:.2f}",
                      f"{r.ratio:.1f}x", target, "-" if not r.target else "yes" if r.met else "NO",
                      f"{r.peer_run.peak_mb:.0f}", f"{r.ours_run.peak_mb:.0f}"])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table)]
    print()
    for line in (header, *table):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))
    print(f"\nload average at start {started_load[0]:.1f}, at end {os.getloadavg()[0]:.1f} "
          f"({os.cpu_count()} cores)")
    target_csv.parent.mkdir(parents=True, exist_ok=True)
    with target_csv.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(table)
    print(f"written: {target_csv}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--naive":
        naive_loop(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--batch":
        batch_build(sys.argv[2], Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help=f"comma-separated, from: {', '.join(SCENARIOS)} (default: all)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each no-change rebuild (median)")
    parser.add_argument("--regions", default=",".join(regions.STUDY_REGIONS),
                        help="region ids of the regions scenario (default: every study region)")
    parser.add_argument("--csv", type=Path, default=paths.BUILD_DIR / "bench" / "bench.csv", help="where the table goes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary book copies")
    args = parser.parse_args()
    chosen = {s.strip() for s in args.scenarios.split(",") if s.strip()}
    unknown = chosen - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenario(s) {', '.join(sorted(unknown))}; valid: {', '.join(SCENARIOS)}")
    load = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="regbook-bench-"))
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f}; scenarios: {', '.join(sorted(chosen))}; "
          f"book copies in {tmp}", flush=True)
    rows: list[Row] = Rows()
    try:
        if chosen & {"cold", "nochange", "prose", "code"}:
            run_default_book(tmp, chosen, rows, args.repeats)
        if "regions" in chosen:
            run_regions(tmp, rows, [regions.resolve(r.strip()) for r in args.regions.split(",") if r.strip()])
        if "batch" in chosen:
            run_batch(tmp, rows)
    finally:
        stop_warm_servers()  # started by the measured builds; nothing of the bench stays behind
        if rows:
            report(rows, load, args.csv)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
