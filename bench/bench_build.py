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
``batch``     a batch of generated region files (``--batch-regions``, default 24; ``helpers.generated_regions``),
              cold: on a LocalCluster of ``--batch-workers`` (default 2) where each region's whole book is one task,
              locally (the process pool, ``build --region-file FOLDER``) and as a loop of single builds; the time
              per region, the client's share, each worker's peak memory, and a model of the batch on 8, 64 and
              256 workers from the measured tasks (``BatchModel``; docs/batch.md).

The speed tricks (``regbook.tricks``, ``--tricks``, default all): on each of the scenarios cold, nochange, prose,
code and regions that are chosen, our build with each trick meant to speed that scenario up switched off
(``REGBOOK_TRICKS_OFF``), and with every trick off, side by side with our default build: in the same book copy and
state as the default (a fresh copy for cold and regions, a new edit of its own for prose and code), a default run
before the first trick and after every ``BASELINE_EVERY`` tricks, each trick's time divided by the mean of the two
default runs around it (a machine whose speed drifts moves both). ``--trick-rounds`` repeats the whole sequence
(the median ratio is reported).

Prints a table (scenario, peer time, our time, ratio, target, peak memory) and one of the tricks (scenario, trick,
default time, time with the trick off, their ratio), and writes them as CSV to ``_build/bench/bench.csv`` and
``_build/bench/tricks.csv``. Usage: ``.venv/bin/python bench/bench_build.py [--scenarios cold,nochange]``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
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
import yaml

from helpers import paths, regions
from regbook import site_config, tricks

ROOT = paths.ROOT
PYTHON = sys.executable
JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))
EDITED_CHAPTER = "ch2_occupations"  # the chapter whose prose and code the edit scenarios change
SCENARIOS = ("cold", "nochange", "prose", "code", "regions", "batch")
PROSE_EDIT = "\nThis sentence ({}) was added to measure a rebuild after a prose edit.\n"
_EDITS = itertools.count(1)  # each edit is another one


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


def measure(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, check: bool = True
) -> Run | None:
    """Run a command; its wall time and the peak resident memory of its process tree (MB), to which our warm
    Jupyter Book server and its compiles are added (detached from the build, but part of its footprint). A
    command that fails stops the bench, or (``check=False``) is reported and gives None."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - read after the command ends, closed when collected
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
        if check:
            raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{tail}")
        print(f"  failed ({code}): {' '.join(cmd[:4])} ...\n{tail[-1500:]}", flush=True)
        return None
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
    for folder in ("_static", "locales"):  # the pages' static files, the Dutch edition's catalogues
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, target / folder)
    if with_data:
        shutil.copytree(paths.DATA_DIR, target / "data")
    return target


def jupyter_book_copy(target: Path, region: str | None = None) -> Path:
    """A copy of the book that Jupyter Book executes itself with its cache (jupyter-cache); its data too, which the
    glossary's Sphinx extension reads at compile time (the kernels read the project's)."""
    copy_book(target)
    # the configuration our build stages (the site's addresses resolved: no buttons while the repository URL is
    # unset), with Jupyter Book executing through its cache
    config = site_config.with_site_urls(yaml.safe_load((target / "_config.yml").read_text()))
    assert config["execute"]["execute_notebooks"] == "off", "the book's configuration changed: check the peer's"
    config["execute"].update(execute_notebooks="cache", timeout=1200)
    (target / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    if region is not None:  # the region written into each chapter's parameters cell
        for source in (target / "chapters").glob("*.md"):
            text = source.read_text()
            source.write_text(
                re.sub(r'^focus_region = "[^"]*"', f'focus_region = "{region}"', text, count=1, flags=re.M)
            )
    return target


def jupyter_book_cmd(book: Path, execute: bool = True) -> list[str]:
    return [JUPYTER_BOOK, "build", str(book), "--path-output", str(book), "--keep-going", "--quiet"]


def ours_env(book: Path, tricks_off: str = "") -> dict[str, str]:
    """Our default build of a copy, as a user runs it (no review screenshots: they are opt-in), with a warm
    Jupyter Book of its own (as from a script), unless a scenario says it runs from a terminal; ``tricks_off``
    switches speed tricks off (``REGBOOK_TRICKS_OFF``; "" for none, whatever this process's environment says)."""
    return {
        **os.environ,
        "REGBOOK_ROOT": str(book),
        "REGBOOK_DATA_DIR": str(book / "data"),
        "REGBOOK_BUILD_DIR": str(book / "_build"),
        "REGBOOK_WARM_COMPILE": "build",
        tricks.ENV: tricks_off,
    }


def ours_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "helpers", "build", *args]


def edit_prose(book: Path) -> None:
    """Add a sentence to the edited chapter (every call another one, so that each edit changes the page)."""
    source = book / "chapters" / f"{EDITED_CHAPTER}.md"
    text = source.read_text()
    source.write_text(text + PROSE_EDIT.format(next(_EDITS)))


def edit_code(book: Path) -> None:
    """Add a line to one of the edited chapter's code cells, or change the number it assigns (every call a new
    one, so that each edit executes the chapter again)."""
    source = book / "chapters" / f"{EDITED_CHAPTER}.md"
    text = source.read_text()
    found = re.search(r"^benchmark_edit = (\d+)", text, flags=re.M)
    if found:
        text = text.replace(found.group(0), f"benchmark_edit = {int(found.group(1)) + 1}", 1)
    else:
        assert "plots.use_theme()\n" in text
        text = text.replace("plots.use_theme()\n", "plots.use_theme()\nbenchmark_edit = 1  # a changed code cell\n", 1)
    source.write_text(text)


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
            papermill.execute_notebook(
                nb,
                str(stage / f"{entry}.ipynb"),
                kernel_name=build.KERNEL_NAME,
                parameters={k: parameters[k] for k in declared},
                progress_bar=False,
                cwd=str(book / "chapters"),
            )
        subprocess.run(
            [JUPYTER_BOOK, "build", str(stage), "--path-output", str(stage), "--keep-going", "--quiet"],
            check=True,
            capture_output=True,
        )


# --- scenarios -------------------------------------------------------------------------------------------------


class Rows(list):
    """The table's rows; each is printed as soon as it is measured (a long run shows its progress)."""

    def append(self, row: Row) -> None:
        super().append(row)
        print(
            f"  -> {row.scenario} / {row.peer}: peer {row.peer_run.seconds:.2f} s, ours {row.ours_run.seconds:.2f} s, "
            f"{row.ratio:.1f}x (target {row.target:g}x); peak MB {row.peer_run.peak_mb:.0f} / "
            f"{row.ours_run.peak_mb:.0f}",
            flush=True,
        )


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


def run_default_book(
    tmp: Path,
    chosen: set[str],
    rows: list[Row],
    repeats: int,
    trick_names: list[str],
    trick_rows: list[TrickRow],
    rounds: int,
) -> None:
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
        if trick_names:
            measure_tricks(
                "cold", tricks_of("cold", trick_names), fresh_copy_run(tmp, ours_cmd(), "cold"), trick_rows, rounds
            )
    if "nochange" in chosen:
        print("no change ...", flush=True)
        jb_again = median_run(jupyter_book_cmd(jb), repeats)
        ours_again = median_run(ours_cmd(), max(repeats, 5), env=env)
        make_again = median_run(["make", "-s", "-C", str(ROOT), "book"], max(repeats, 5), env=env)
        rows.append(
            Row(
                "no-change rebuild (python -m helpers build)",
                "Jupyter Book, cached rebuild",
                jb_again,
                ours_again,
                5,
                0.3,
            )
        )
        rows.append(Row("no-change rebuild (make book)", "Jupyter Book, cached rebuild", jb_again, make_again, 5, 0.3))
        if trick_names:
            measure_tricks(
                "nochange",
                tricks_of("nochange", trick_names),
                lambda off: median_run(ours_cmd(), max(repeats, 5), env=ours_env(ours, off)),
                trick_rows,
                rounds,
            )
    if "prose" in chosen:
        print("prose edit ...", flush=True)
        rows.append(edit_and_measure(jb, ours, env, edit_prose, f"one chapter's prose edited ({EDITED_CHAPTER})", 2))
        print("prose edit from a terminal (the lasting warm Jupyter Book is up) ...", flush=True)
        lasting = {**env, "REGBOOK_WARM_COMPILE": "1"}  # what a build run from a terminal uses
        edit_prose(ours)
        measure(ours_cmd(), env=lasting)  # the writer's previous build, which left the server up
        rows.append(
            edit_and_measure(
                jb, ours, lasting, edit_prose, f"one chapter's prose edited ({EDITED_CHAPTER}), from a terminal", 2
            )
        )
        stop_warm_servers()  # the lasting server is not part of the scenarios that follow
        if trick_names:
            measure_tricks("prose", tricks_of("prose", trick_names), edit_run(ours, edit_prose), trick_rows, rounds)
    if "code" in chosen:
        print("code edit ...", flush=True)
        rows.append(edit_and_measure(jb, ours, env, edit_code, f"one chapter's code edited ({EDITED_CHAPTER})", 1))
        if trick_names:
            measure_tricks("code", tricks_of("code", trick_names), edit_run(ours, edit_code), trick_rows, rounds)


def edit_and_measure(jb: Path, ours: Path, env: dict[str, str], edit, label: str, target: float) -> Row:
    """The same edit in both copies, each followed by a rebuild: Jupyter Book's cached rebuild against ours."""
    edit(jb)
    jb_run = measure(jupyter_book_cmd(jb))
    edit(ours)
    ours_run = measure(ours_cmd(), env=env)
    return Row(label, "Jupyter Book, cached rebuild", jb_run, ours_run, target)


def run_regions(
    tmp: Path, rows: list[Row], ids: list[str], trick_names: list[str], trick_rows: list[TrickRow], rounds: int
) -> None:
    ours = copy_book(tmp / "ours-regions")
    print(f"{len(ids)} region variants: ours ...", flush=True)
    stop_warm_servers()
    if ids == list(regions.STUDY_REGIONS):
        cmd = ours_cmd("--all-regions")
    else:  # the command line builds one region or all; the same build of a subset, through the same driver
        cmd = [
            PYTHON,
            "-c",
            "import sys\nfrom regbook import compile_server, tricks\n"  # as python -m helpers starts
            "tricks.skip_slow_optional_modules()\ncompile_server.prewarm()\n"
            "import regbook as build\nreport = build.build([build.make_variant(r) for r in sys.argv[1:]], "
            "log=lambda m: None)\nsys.exit(0 if report.ok else 1)",
            *ids,
        ]
    ours_run = measure(cmd, env=ours_env(ours))
    print("all region variants: Jupyter Book with its cache, one build per region ...", flush=True)
    copies = [jupyter_book_copy(tmp / f"jb-{r}", r) for r in ids]
    loop = " && ".join(" ".join(jupyter_book_cmd(c)) for c in copies)
    jb_run = measure(["/bin/sh", "-c", loop])
    print("all region variants: naive loop (papermill per chapter and region, then jupyter-book) ...", flush=True)
    naive_book = copy_book(tmp / "naive-book")
    naive_run = measure(
        [PYTHON, __file__, "--naive", str(naive_book), str(tmp / "naive-out"), *ids], env=ours_env(naive_book)
    )
    label = (
        f"all {len(ids)} region variants, cold"
        if len(ids) == len(regions.STUDY_REGIONS)
        else f"{len(ids)} region variants ({', '.join(ids)}), cold"
    )
    rows.append(Row(label, "naive loop: papermill + jupyter-book per region", naive_run, ours_run, 6))
    rows.append(Row(label, "jupyter-book per region, cache on", jb_run, ours_run, 2))
    if trick_names:
        measure_tricks(
            "regions", tricks_of("regions", trick_names), fresh_copy_run(tmp, cmd, "regions"), trick_rows, rounds
        )


# --- the speed tricks: each switched off against the default build -------------------------------------------------

#: A default run after every this many runs with a trick switched off (and before the first).
BASELINE_EVERY = 4
#: What a trick must buy on some scenario to be kept (issue 31): the build with it switched off is at least this
#: much slower, as a ratio of times.
KEEP_RATIO = 1.10
#: Under this ratio on every scenario, and in repeated runs, a trick buys nothing that a run can tell from noise.
NOTHING_RATIO = 1.03


@dataclass
class TrickRow:
    """One run of a scenario with ``trick`` switched off ("all": every trick), against the mean of the default
    runs just before and after it (None: the run failed)."""

    scenario: str
    trick: str
    default_seconds: float | None
    off_seconds: float | None

    @property
    def ratio(self) -> float | None:
        if self.default_seconds is None or self.off_seconds is None:
            return None
        return self.off_seconds / self.default_seconds


def tricks_of(scenario: str, chosen: list[str]) -> list[str]:
    """The chosen tricks meant to speed ``scenario`` up, in ``regbook.tricks`` order, then "all"."""
    return [t.name for t in tricks.TRICKS if scenario in t.scenarios and t.name in chosen] + [tricks.ALL]


def measure_tricks(scenario: str, names: list[str], run_one, rows: list[TrickRow], rounds: int) -> None:
    """``run_one(off)`` (``off``: "" for the default build, else a trick's name or "all") gives a ``Run`` or None;
    it is called for the default, then for each trick with a default after every ``BASELINE_EVERY`` tricks and at
    the end, ``rounds`` times over."""
    for round_ in range(rounds):
        sequence = [""]
        for index, name in enumerate(names):
            sequence.append(name)
            if (index + 1) % BASELINE_EVERY == 0 or index == len(names) - 1:
                sequence.append("")
        runs = []
        for off in sequence:
            print(
                f"tricks, {scenario}{f' (round {round_ + 1})' if rounds > 1 else ''}: "
                f"{off + ' switched off' if off else 'default'} ...",
                flush=True,
            )
            runs.append((off, run_one(off)))
        for position, (off, run) in enumerate(runs):
            if not off:
                continue
            around = [
                next(r for o, r in reversed(runs[:position]) if not o),
                next(r for o, r in runs[position + 1 :] if not o),
            ]
            defaults = [r.seconds for r in around if r is not None]
            row = TrickRow(
                scenario, off, statistics.mean(defaults) if defaults else None, run.seconds if run is not None else None
            )
            rows.append(row)
            shown = f"{row.ratio:.2f}x" if row.ratio is not None else "failed"
            print(f"  -> {scenario} / {off} off: {shown}", flush=True)


def fresh_copy_run(tmp: Path, cmd: list[str], label: str):
    """``run_one`` for a cold scenario: each run in a new copy of the book (removed after), no warm server up."""
    counter = itertools.count(1)

    def run_one(off: str) -> Run | None:
        book = copy_book(tmp / f"{label}-{next(counter)}-{off or 'default'}")
        stop_warm_servers()
        try:
            return measure(cmd, env=ours_env(book, off), check=False)
        finally:
            shutil.rmtree(book, ignore_errors=True)

    return run_one


def edit_run(book: Path, edit):
    """``run_one`` for an edit scenario: a new edit of ``book``, then a rebuild."""

    def run_one(off: str) -> Run | None:
        edit(book)
        return measure(ours_cmd(), env=ours_env(book, off), check=False)

    return run_one


def trick_table(rows: list[TrickRow]) -> tuple[list[list[str]], list[list[str]]]:
    """One line per scenario and trick (the median over rounds), then one per trick: its best ratio and what it says."""
    table = []
    by_key: dict[tuple[str, str], list[TrickRow]] = {}
    for row in rows:
        by_key.setdefault((row.scenario, row.trick), []).append(row)
    best: dict[str, tuple[float, str]] = {}
    for (scenario, trick), found in by_key.items():
        ratios = [r.ratio for r in found if r.ratio is not None]
        default = [r.default_seconds for r in found if r.default_seconds is not None]
        off = [r.off_seconds for r in found if r.off_seconds is not None]
        ratio = statistics.median(ratios) if ratios else None
        table.append(
            [
                scenario,
                trick,
                f"{statistics.median(default):.2f}" if default else "-",
                f"{statistics.median(off):.2f}" if off else "failed",
                f"{ratio:.2f}x" if ratio is not None else "-",
                str(len(ratios)),
                "yes" if ratio is not None and ratio >= KEEP_RATIO else "no",
            ]
        )
        if ratio is not None and trick != tricks.ALL and ratio > best.get(trick, (0.0, ""))[0]:
            best[trick] = (ratio, scenario)
    summary = []
    for trick in tricks.TRICKS:
        if trick.name not in {t for _, t in by_key}:
            continue
        ratio, scenario = best.get(trick.name, (None, ""))
        if ratio is None:
            verdict = "no successful run"
        elif ratio >= KEEP_RATIO:
            verdict = f"buys >= {KEEP_RATIO - 1:.0%} ({scenario})"
        elif ratio < NOTHING_RATIO:
            verdict = f"under {NOTHING_RATIO - 1:.0%} everywhere"
        else:
            verdict = f"under {KEEP_RATIO - 1:.0%} everywhere"
        summary.append([trick.name, f"{ratio:.2f}x" if ratio is not None else "-", scenario, verdict])
    return table, summary


# --- the batch: generated regions on a LocalCluster, locally and as single builds; a model for N workers -------------


def batch_run(scheduler: str, workers: int, folder: Path) -> None:
    """One batch of every region file in ``folder`` on a Dask cluster (``local``: a LocalCluster of ``workers``
    processes), as ``build --region-file FOLDER --scheduler local`` does but with the number of workers given.

    Runs as its own process (``bench_build.py --batch-run SCHEDULER WORKERS FOLDER``), measured like a command.
    """
    from regbook.batch import run_batch, validate

    summary = run_batch(validate([], [str(folder)], {}), scheduler=scheduler, workers=workers, log=lambda m: None)
    sys.exit(0 if summary.ok and not summary.names("unchanged") else 1)


@dataclass
class BatchModel:
    """A batch of R regions on N workers, from one measured batch on a LocalCluster (seconds).

    Compiling on the workers (as built now): every region's whole book is one task, so the batch takes the longest
    of (a) one region, (b) the workers' work shared by N (a worker's first region also imports the chapters'
    libraries and Jupyter Book and runs the chapters every region shares: ``first_region`` against
    ``region`` for the others), and (c) the client's own work per region while they run (gathering a site,
    putting it in place); before it, the client validates the R region files one after the other. Before this
    change the client compiled every site itself, its cores' number at a time, after the workers executed the
    chapters (``client_compiles``).
    """

    first_region: float  # a worker's first region, whole (imports, shared chapters, executions, compile)
    region: float  # a later region (median)
    execute: float  # one region's chapter executions (mean of the later regions)
    compile: float  # one region's site compile (mean)
    validate: float  # the client's validation of one region file
    client: float  # the client's CPU per region while the batch runs (less validation and reaching the cluster)
    client_cores: int

    @classmethod
    def from_record(cls, record: dict, client_cores: int) -> BatchModel:
        by_worker: dict[str, list[dict]] = {}
        for region in record["regions"]:  # in the order they finished; a worker builds one at a time
            by_worker.setdefault(region["where"], []).append(region)
        firsts = [rows[0]["seconds"] for rows in by_worker.values()]
        later = [row for rows in by_worker.values() for row in rows[1:]] or [
            r for rows in by_worker.values() for r in rows
        ]
        count = len(record["regions"])
        validate = record["client_seconds"].get("validating the region files", 0.0) / count
        connecting = record["client_seconds"].get("reaching the cluster (CPU)", 0.0)  # once per batch
        return cls(
            first_region=statistics.mean(firsts),
            region=statistics.median(r["seconds"] for r in later),
            execute=statistics.mean(r["execute_seconds"] for r in later),
            compile=statistics.mean(r["compile_seconds"] for r in record["regions"]),
            validate=validate,
            client=max(0.0, (record["client_cpu_seconds"] - connecting) / count - validate),
            client_cores=client_cores,
        )

    def compiles_on_workers(self, regions_count: int, workers: int) -> float:
        work = min(regions_count, workers) * (self.first_region - self.region) + regions_count * self.region
        return regions_count * self.validate + max(self.first_region, work / workers, regions_count * self.client)

    def client_compiles(self, regions_count: int, workers: int) -> float:
        executing = max(self.first_region - self.compile, regions_count * self.execute / workers)
        compiling = -(-regions_count // self.client_cores) * self.compile  # rounds of client_cores side by side
        return regions_count * self.validate + executing + compiling


def worker_memory(record: dict) -> dict[str, dict[str, float]]:
    """Per worker: its process tree's peak (MB) and the worker process's own memory after its first and its last
    region (flat when the last is not above the first)."""
    out: dict[str, dict[str, float]] = {}
    for region in record["regions"]:
        seen = out.setdefault(region["where"], {"regions": 0, "peak": 0.0, "first": region["worker_mb"]})
        seen["regions"] += 1
        seen["peak"] = max(seen["peak"], region["peak_mb"])
        seen["last"] = region["worker_mb"]
    return out


def run_batch_scenario(tmp: Path, rows: list[Row], count: int, workers: int) -> None:
    from helpers.generated_regions import write_generated

    folder = tmp / "regions"
    files = write_generated(folder, count)
    label = f"batch of {count} generated regions, cold"
    print(f"{label}: LocalCluster with {workers} workers, each region's whole book one task ...", flush=True)
    stop_warm_servers()
    cluster_book = copy_book(tmp / "ours-batch-cluster")
    cluster = measure([PYTHON, __file__, "--batch-run", "local", str(workers), str(folder)], env=ours_env(cluster_book))
    record = json.loads((cluster_book / "_build" / "regions" / "batch.json").read_text())
    print(f"{label}: the same batch locally (python -m helpers build --region-file FOLDER) ...", flush=True)
    local_book = copy_book(tmp / "ours-batch-local")
    local = measure(ours_cmd("--region-file", str(folder)), env=ours_env(local_book))
    print(
        f"{label}: a loop of single builds (python -m helpers build --region-file FILE, one after another) ...",
        flush=True,
    )
    loop_book = copy_book(tmp / "ours-batch-loop")
    loop = " && ".join(" ".join([PYTHON, "-m", "helpers", "build", "--region-file", str(f)]) for f in files)
    single = measure(["/bin/sh", "-c", loop], env=ours_env(loop_book))
    rows.append(Row(label, "a loop of single builds", single, local, 0))
    rows.append(
        Row(label, f"the local batch (process pool) against a {workers}-worker LocalCluster", local, cluster, 0)
    )
    cores = os.cpu_count() or 1
    model = BatchModel.from_record(record, cores)
    print(
        f"\n{label}: LocalCluster {cluster.seconds:.0f} s ({cluster.seconds / count:.1f} s per region), local "
        f"batch {local.seconds:.0f} s ({local.seconds / count:.1f}), loop of single builds {single.seconds:.0f} s "
        f"({single.seconds / count:.1f})"
    )
    client = record["client_cpu_seconds"]
    print(
        f"the client's share: {client:.1f} CPU seconds of {record['seconds']:.0f} s "
        f"({client / count:.2f} s per region; validation {model.validate:.3f} s per region; scheduler included, "
        "it runs in the client's process); by step: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in record["client_seconds"].items())
    )
    for where, memory in sorted(worker_memory(record).items()):
        print(
            f"worker {where}: {memory['regions']} regions, peak of its process tree {memory['peak']:.0f} MB, "
            f"worker process {memory['first']:.0f} MB after its first region, {memory['last']:.0f} MB after "
            "its last"
        )
    print(
        f"model from the cluster's tasks: a worker's first region {model.first_region:.0f} s, a later one "
        f"{model.region:.0f} s (executions {model.execute:.0f} s, compile {model.compile:.1f} s), the client "
        f"{model.client:.2f} s per region while they run; it predicts {model.compiles_on_workers(count, workers):.0f}"
        f" s for the measured batch ({cluster.seconds:.0f} s measured, cluster start included)"
    )
    header = ["regions", "workers", "compiles on workers: minutes", "regions/min", "client compiles: minutes"]
    table = []
    for regions_count in (40, 400, 1160):
        for n in (8, 64, 256):
            spread, before = model.compiles_on_workers(regions_count, n), model.client_compiles(regions_count, n)
            table.append(
                [regions_count, n, f"{spread / 60:.1f}", f"{regions_count / spread * 60:.0f}", f"{before / 60:.1f}"]
            )
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table)]
    for line in (header, *table):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))
    print(
        f"(client compiles: the design before, the client compiling {cores} sites at a time after the workers "
        "executed the chapters)\n",
        flush=True,
    )


def print_table(header: list[str], table: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table)]
    for line in (header, *table):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))


def write_csv(target: Path, header: list[str], table: list[list[str]]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(table)
    print(f"written: {target}")


def report_tricks(rows: list[TrickRow], target_csv: Path) -> None:
    """The tricks' table (each trick off against the default build, per scenario) and what each one buys."""
    table, summary = trick_table(rows)
    header = ["scenario", "switched off", "default s", "off s", "off / default", "runs", f">= {KEEP_RATIO:.2f}x"]
    print(
        f"\nspeed tricks (regbook.tricks), each switched off: time with it off over the default build's "
        f"(mean of the default runs before and after it; >= {KEEP_RATIO:.2f}: it buys at least "
        f"{KEEP_RATIO - 1:.0%})"
    )
    print_table(header, table)
    print()
    print_table(["trick", "best off / default", "on", "verdict"], summary)
    write_csv(target_csv, header, table)


def report(rows: list[Row], started_load: tuple, target_csv: Path) -> None:
    header = ["scenario", "peer", "peer s", "ours s", "ratio", "target", "met", "peer peak MB", "ours peak MB"]
    table = []
    for r in rows:
        target = f">= {r.target:g}x" + (f", <= {r.ours_limit:g} s" if r.ours_limit else "") if r.target else "-"
        table.append(
            [
                r.scenario,
                r.peer,
                f"{r.peer_run.seconds:.2f}",
                f"{r.ours_run.seconds:.2f}",
                f"{r.ratio:.1f}x",
                target,
                "-" if not r.target else "yes" if r.met else "NO",
                f"{r.peer_run.peak_mb:.0f}",
                f"{r.ours_run.peak_mb:.0f}",
            ]
        )
    print()
    print_table(header, table)
    print(f"\nload average at start {started_load[0]:.1f}, at end {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    write_csv(target_csv, header, table)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--naive":
        naive_loop(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--batch-run":
        batch_run(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, from: {', '.join(SCENARIOS)} (default: all)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each no-change rebuild (median)")
    parser.add_argument(
        "--regions",
        default=",".join(regions.STUDY_REGIONS),
        help="region ids of the regions scenario (default: every study region)",
    )
    parser.add_argument("--batch-regions", type=int, default=24, help="generated region files of the batch scenario")
    parser.add_argument("--batch-workers", type=int, default=2, help="LocalCluster workers of the batch scenario")
    parser.add_argument(
        "--tricks",
        default=tricks.ALL,
        help="speed tricks to measure switched off, comma-separated: "
        f"{', '.join(t.name for t in tricks.TRICKS)}; all (default) or none",
    )
    parser.add_argument("--trick-rounds", type=int, default=1, help="times each trick is measured (median ratio)")
    parser.add_argument(
        "--csv", type=Path, default=paths.BUILD_DIR / "bench" / "bench.csv", help="where the table goes"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary book copies")
    args = parser.parse_args()
    chosen = {s.strip() for s in args.scenarios.split(",") if s.strip()}
    unknown = chosen - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenario(s) {', '.join(sorted(unknown))}; valid: {', '.join(SCENARIOS)}")
    every = [t.name for t in tricks.TRICKS]
    trick_names = {"all": every, "none": []}.get(args.tricks) or [
        t.strip() for t in args.tricks.split(",") if t.strip()
    ]
    if set(trick_names) - set(every):
        raise SystemExit(
            f"unknown trick(s) {', '.join(sorted(set(trick_names) - set(every)))}; valid: "
            f"{', '.join(every)}, all or none"
        )
    load = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="regbook-bench-"))
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.1f}; scenarios: {', '.join(sorted(chosen))}; "
        f"book copies in {tmp}",
        flush=True,
    )
    rows: list[Row] = Rows()
    trick_rows: list[TrickRow] = []
    try:
        if chosen & {"cold", "nochange", "prose", "code"}:
            run_default_book(tmp, chosen, rows, args.repeats, trick_names, trick_rows, args.trick_rounds)
        if "regions" in chosen:
            run_regions(
                tmp,
                rows,
                [regions.resolve(r.strip()) for r in args.regions.split(",") if r.strip()],
                trick_names,
                trick_rows,
                args.trick_rounds,
            )
        if "batch" in chosen:
            run_batch_scenario(tmp, rows, args.batch_regions, args.batch_workers)
    finally:
        stop_warm_servers()  # started by the measured builds; nothing of the bench stays behind
        if trick_rows:
            report_tricks(trick_rows, args.csv.with_name("tricks.csv"))
        if rows:
            report(rows, load, args.csv)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
