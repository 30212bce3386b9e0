"""Faults, interrupts and concurrency: a build never leaves processes behind and answers every fault with a message.

File-system faults are injected at the file-system calls (a PEP 578 audit hook that raises the OSError a
read-only, unreadable or full file system would raise), because CI runs as root, where ``chmod`` cannot make a
folder read-only or unreadable.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import paths
from helpers.regions import STUDY_REGIONS
from regbook import cli
from tests.conftest import as_foreground_job, use_build_dir
from tests.fixtures.fixture_book import HEADER, build_book

# --- fault injection ---------------------------------------------------------------------------------------

_RULES: list[tuple[str, str, int]] = []  # (kind "write"/"full"/"read", path prefix, errno)
_GROWING_EVENTS = {"open", "os.mkdir", "shutil.copyfile", "os.link", "os.symlink"}  # what a full disk refuses
_WRITE_EVENTS = {
    "os.mkdir",
    "os.rename",
    "os.remove",
    "os.rmdir",
    "shutil.rmtree",
    "os.truncate",
    "os.chmod",
    "shutil.copyfile",
    "shutil.copymode",
    "shutil.copystat",
    "os.symlink",
    "os.link",
    "os.utime",
}
_hook_installed = False


def _writes(mode, flags) -> bool:
    if isinstance(mode, str):
        return any(ch in mode for ch in "wax+")
    return isinstance(flags, int) and ((flags & os.O_ACCMODE) != os.O_RDONLY or bool(flags & os.O_CREAT))


def _fault_hook(event: str, args: tuple) -> None:
    if not _RULES or not (event == "open" or event in _WRITE_EVENTS):
        return
    path = args[0] if args else None
    if not isinstance(path, (str, bytes, os.PathLike)):
        return
    name = os.path.abspath(os.fsdecode(path))
    writing = event != "open" or _writes(*(tuple(args[1:3]) + (None, None))[:2])
    for kind, prefix, code in _RULES:
        if not name.startswith(prefix):
            continue
        if kind == "read" or (kind == "write" and writing) or (kind == "full" and writing and event in _GROWING_EVENTS):
            raise OSError(code, os.strerror(code), name)


@contextmanager
def inject(kind: str, prefix: Path, code: int):
    """Make file-system calls under ``prefix`` fail with ``code``: every open ("read"), every change ("write",
    a read-only file system) or every change that needs space ("full", a full disk: removing still works)."""
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_fault_hook)  # audit hooks cannot be removed: this one does nothing without rules
        _hook_installed = True
    rule = (kind, str(prefix), code)
    _RULES.append(rule)
    try:
        yield
    finally:
        _RULES.remove(rule)


def _one_line_error(err: str) -> str:
    """The one line of a report on stderr (the progress bar's lines aside)."""
    lines = [
        line
        for line in err.replace("\r", "\n").splitlines()
        if line.strip() and not line.startswith("executing notebooks:")
    ]
    assert "Traceback" not in err
    assert len(lines) == 1, err
    return lines[0]


# --- process helpers -----------------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    """True while the process runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_until(condition, timeout: float = 60.0) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass (a bound on waiting, not a timed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _processes_of(build_dir: Path) -> list[int]:
    """Pids of live processes whose environment names this build folder (the build and all it started)."""
    marker = f"REGBOOK_BUILD_DIR={build_dir}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if marker in (proc / "environ").read_bytes().split(b"\0") and _alive(int(proc.name)):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


SLEEPER = (
    HEADER
    + """
# {title}

```{{code-cell}} ipython3
:tags: [remove-cell]
import os, pathlib, time
pathlib.Path(os.environ["FX_PIDS"], str(os.getpid())).write_text(str(os.getppid()))
time.sleep(600)
```

Never finishes.
"""
)


def _start_build(
    fixture_root: Path, tmp_path: Path, command: str = "run", jobs: int = 2
) -> tuple[subprocess.Popen, Path]:
    """Start ``python -m helpers <command>`` on the fixture book whose chapters sleep; wait until both kernels run."""
    for name in ("index", "second"):
        (fixture_root / "chapters" / f"{name}.md").write_text(SLEEPER.format(title=name))
    pids = tmp_path / "kernel-pids"
    pids.mkdir(exist_ok=True)
    env = {**os.environ, "FX_PIDS": str(pids)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers", command, "--jobs", str(jobs)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=as_foreground_job,
    )
    want = 2 if jobs > 1 else 1
    assert _wait_until(lambda: len(list(pids.iterdir())) >= want, timeout=240), proc.stderr.read()
    return proc, pids


# --- 3. orphan kernels -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_killed_build_leaves_no_kernel_and_the_next_build_sweeps_its_run_folders(fixture_book, tmp_path):
    proc, pids = _start_build(fixture_book, tmp_path)
    kernels = [int(p.name) for p in pids.iterdir()]
    zygotes = {int(p.read_text()) for p in pids.iterdir()}
    assert all(_alive(pid) for pid in kernels + list(zygotes))
    os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up
    proc.wait()
    assert _wait_until(lambda: not any(_alive(pid) for pid in kernels + list(zygotes)), timeout=30), [
        pid for pid in kernels + list(zygotes) if _alive(pid)
    ]
    assert _wait_until(lambda: not _processes_of(paths.BUILD_DIR), timeout=30), _processes_of(paths.BUILD_DIR)
    assert list((paths.BUILD_DIR / ".cache").glob("run-*"))  # the killed build's unfinished runs ...
    for name in ("index", "second"):
        (fixture_book / "chapters" / f"{name}.md").write_text(HEADER + f"\n# {name}\n\nNo code.\n")
    assert build_book().ok
    assert not list((paths.BUILD_DIR / ".cache").glob("run-*"))  # ... are swept by the next build


@pytest.mark.processes
def test_sweep_kills_only_processes_the_build_marked(tmp_path):
    """A marked leftover is killed; an unmarked process (a user's kernel) and a reused pid are left alone."""
    from regbook import processes, zygote

    kernels_dir, cache = tmp_path / ".kernels", tmp_path / ".cache"
    (cache / "run-ch1-abc").mkdir(parents=True)
    leftover, users, reused = (_orphan_sleeper() for _ in range(3))  # orphans, as a killed build leaves them
    try:
        folder = processes.markers_folder(kernels_dir)
        assert zygote.process_marker(str(folder), leftover, "kernel")
        (folder / str(reused)).write_text("1 kernel\n")  # a marker from a process that had this pid before
        messages = []
        assert processes.sweep(kernels_dir, cache, messages.append) == 1
        assert _wait_until(lambda: not _alive(leftover), timeout=30)
        assert _alive(users) and _alive(reused)
        assert not list(folder.iterdir()) and not (cache / "run-ch1-abc").exists()
        assert "stopped 1 process" in messages[0] and "1 unfinished run folder" in messages[0]
    finally:
        for pid in (leftover, users, reused):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _orphan_sleeper() -> int:
    """The pid of a ``sleep`` whose parent has exited (not a child of this process)."""
    out = subprocess.run(
        ["sh", "-c", "sleep 600 </dev/null >/dev/null 2>&1 & echo $!"],
        capture_output=True,
        text=True,
        check=True,
        start_new_session=True,
    )
    return int(out.stdout.strip())


# --- 4. Ctrl-C ---------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [2, 1])
def test_ctrl_c_stops_the_build_with_one_line_and_leaves_nothing_running(fixture_book, tmp_path, jobs):
    assert build_book().ok
    site = {p: p.read_bytes() for p in (paths.BUILD_DIR / "html").rglob("*") if p.is_file()}
    proc, pids = _start_build(fixture_book, tmp_path, command="build", jobs=jobs)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: SIGINT to the whole process group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    line = _one_line_error(err)
    assert line.startswith("interrupted while executing") and "index" in line and "previous site is kept" in line
    assert _wait_until(lambda: not _processes_of(paths.BUILD_DIR), timeout=30), _processes_of(paths.BUILD_DIR)
    assert not any(_alive(int(p.name)) for p in pids.iterdir())
    assert {p: p.read_bytes() for p in (paths.BUILD_DIR / "html").rglob("*") if p.is_file()} == site
    assert not list((paths.BUILD_DIR / ".cache").glob("run-*"))
    assert not list((paths.BUILD_DIR / ".kernels" / "pids").glob("*"))


# --- 5. two builds at once ----------------------------------------------------------------------------------------


@contextmanager
def _lock_held_elsewhere(build_dir: Path):
    """Another process that holds the build folder's lock until the block ends."""
    code = (
        "import sys, time; from regbook.lock import build_lock\n"
        f"with build_lock({str(build_dir)!r}, log=lambda m: None):\n"
        "    print('locked', flush=True); sys.stdin.read()\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


@pytest.mark.processes
def test_a_second_build_refuses_with_a_message(tmp_path, monkeypatch, capsys):
    use_build_dir(monkeypatch, tmp_path / "_build")
    with _lock_held_elsewhere(paths.BUILD_DIR) as holder:
        assert cli.main(["run", "--no-wait", "--chapter", "index"]) == 1
        line = _one_line_error(capsys.readouterr().err)
        assert f"another build (process {holder.pid}) is using" in line
        assert not (paths.BUILD_DIR / ".cache").exists()  # refused before touching anything


@pytest.mark.processes
def test_a_second_build_waits_for_the_first_with_a_message(tmp_path):
    from regbook import lock

    messages, acquired = [], threading.Event()

    def second():
        with lock.build_lock(tmp_path, log=messages.append):
            acquired.set()

    with _lock_held_elsewhere(tmp_path):
        waiter = threading.Thread(target=second)
        waiter.start()
        assert _wait_until(lambda: bool(messages), timeout=30)
        assert "waiting for it to finish" in messages[0] and not acquired.is_set()
    waiter.join(timeout=60)
    assert acquired.is_set()


# --- 6. faults answered with a message -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        ('{"unemployment": "abc"}', 'the weight of unemployment must be a number, got "abc"'),
        ("null", "expected a mapping"),
        ('{"unemployment": null}', "the weight of unemployment must be a number, got null"),
        ('{"unemployment": NaN}', "must be a finite number"),
        ('{"unemployment": Infinity}', "must be a finite number"),
    ],
)
@pytest.mark.processes
def test_bad_weights_are_one_line_before_any_kernel_starts(value, message, tmp_path, monkeypatch, capsys):
    use_build_dir(monkeypatch, tmp_path / "_build")
    assert cli.main(["build", "-p", "scorecard_weights", value]) == 2
    assert message in _one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "_build").exists()


@pytest.mark.slow
def test_file_system_faults_are_one_line_and_leave_nothing_half_written(fixture_book, monkeypatch, capsys):
    assert build_book().ok
    html = paths.BUILD_DIR / "html"
    site = {p: p.read_bytes() for p in html.rglob("*") if p.is_file()}
    capsys.readouterr()

    # a read-only build folder, everything cached
    with inject("write", paths.BUILD_DIR, errno.EROFS):
        assert cli.main(["build"]) == 1
    line = _one_line_error(capsys.readouterr().err)
    assert "read-only file system" in line and str(paths.BUILD_DIR) in line

    # an unreadable data folder: refused before any kernel starts
    with inject("read", paths.DATA_DIR, errno.EACCES):
        assert cli.main(["build"]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert "datapackage.json: cannot be read (Permission denied)" in line

    # a full disk while the new site is copied into place: the old site stays, no partial copy is left
    config = fixture_book / "_config.yml"
    config.write_text(config.read_text().replace("Fixture book", "Fixture book, retitled"))
    with inject("full", paths.BUILD_DIR / ".html-incoming", errno.ENOSPC):
        assert cli.main(["build"]) == 1
    line = _one_line_error(capsys.readouterr().err)
    assert line.startswith("error: no space left on the device") and "previous site is kept" in line
    assert not (paths.BUILD_DIR / ".html-incoming").exists()
    assert {p: p.read_bytes() for p in html.rglob("*") if p.is_file()} == site
    assert not list((paths.BUILD_DIR / "results").glob("*.tmp"))


@contextmanager
def small_disk(folder: Path, megabytes: int):
    """A real file system of ``megabytes`` at ``folder`` (a tmpfs; mounting one needs root, as in CI): what a
    full disk does to the programs the build runs (Jupyter Book, its kernels) cannot be injected in this process."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}M", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'not root'}): full-disk test skipped")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path, leave: int) -> None:
    """Fill ``folder``'s file system but for ``leave`` bytes."""
    import shutil as shell

    (folder / "filler").unlink(missing_ok=True)
    free = shell.disk_usage(folder).free
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave))


@pytest.mark.slow
def test_a_full_disk_is_one_line_naming_the_folder_and_the_space_needed(fixture_book, tmp_path, monkeypatch, capsys):
    """A disk that fills while Jupyter Book compiles (its traceback used to reach the terminal and 'No space left on
    device' only its log), on a first build and on a rebuild: one line naming the build folder and about how much
    the build needs, exit 1, and the last good site as it was."""
    with small_disk(tmp_path / "disk", 64) as disk:
        use_build_dir(monkeypatch, disk / "_build")
        # a first build on a disk too small for Jupyter Book's output: no site, nothing half-written
        _fill(disk, leave=3_000_000)
        assert cli.main(["build"]) == 1
        line = _one_line_error(capsys.readouterr().err)
        assert line.startswith(
            f"error: no space left on the device ({paths.BUILD_DIR / '.jb' / 'default'}): the build needs about "
        ), line
        assert f"MB in {paths.BUILD_DIR}, which has " in line and "while compiling the site" in line, line
        assert not (paths.BUILD_DIR / "html").exists() and not (paths.BUILD_DIR / ".html-incoming").exists()
        assert not (paths.BUILD_DIR / ".jb" / "default").exists()  # Jupyter Book's half output is given back
        # room again: the site builds; then the disk fills again before a rebuild with a new title
        (disk / "filler").unlink()
        assert cli.main(["build"]) == 0
        html = paths.BUILD_DIR / "html"
        site = {p: p.read_bytes() for p in html.rglob("*") if p.is_file()}
        config = fixture_book / "_config.yml"
        config.write_text(config.read_text().replace("Fixture book", "Fixture book, retitled"))
        capsys.readouterr()
        _fill(disk, leave=64_000)
        assert cli.main(["build"]) == 1
        line = _one_line_error(capsys.readouterr().err)
        assert line.startswith("error: no space left on the device (") and "previous site is kept" in line, line
        assert {p: p.read_bytes() for p in html.rglob("*") if p.is_file()} == site
        assert not (paths.BUILD_DIR / ".html-incoming").exists()
        # chapters that cannot be written for want of space: the same one line, not a failure per chapter
        (fixture_book / "chapters" / "second.md").write_text(
            (fixture_book / "chapters" / "second.md").read_text().replace("alpha = 0.05", "alpha = 0.06")
        )
        _fill(disk, leave=0)
        assert cli.main(["build"]) == 1
        line = _one_line_error(capsys.readouterr().err)
        assert line.startswith("error: no space left on the device (") and "while executing chapters" in line, line
        assert {p: p.read_bytes() for p in html.rglob("*") if p.is_file()} == site
        assert not list(paths.BUILD_DIR.glob("failed/*/*.ipynb"))


# --- 7. validated up front --------------------------------------------------------------------------------------------


def _cohort_cases(tmp_path: Path) -> list[tuple[str, str]]:
    from helpers.stats import COHORT_COLUMNS

    not_cohort = tmp_path / "other.csv"
    not_cohort.write_text("a,b\n1,2\n")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    header_only = tmp_path / "header.csv"
    header_only.write_text(",".join(COHORT_COLUMNS) + "\n")
    return [
        (str(tmp_path / "missing.csv"), "not found"),
        (str(tmp_path), "is a folder"),
        (str(not_cohort), "is not a cohort CSV: column(s) person_id"),
        (str(binary), "is not a UTF-8 text file"),
        (str(header_only), "has a header but no rows"),
    ]


@pytest.mark.processes
def test_bad_cohort_files_are_rejected_before_any_kernel_starts(tmp_path, monkeypatch, capsys):
    use_build_dir(monkeypatch, tmp_path / "_build")
    for value, message in _cohort_cases(tmp_path):
        assert cli.main(["build", "-p", "cohort_path", value]) == 2
        line = _one_line_error(capsys.readouterr().err)
        assert "cohort_path" in line and message in line, line
    assert not (tmp_path / "_build").exists()


def test_a_relative_cohort_path_becomes_absolute(tmp_path, monkeypatch):
    from helpers import params, synthetic

    synthetic.synthetic_cohort(100, seed=1).to_csv(tmp_path / "cohort.csv", index=False)
    monkeypatch.chdir(tmp_path)
    assert params.validate({"cohort_path": "cohort.csv"})["cohort_path"] == str(tmp_path / "cohort.csv")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["-p", "assumed_sample_size", "1e20"], "'assumed_sample_size': 1e20 is out of range"),  # as typed
        (["-p", "alpha", "-Infinity"], "'alpha': -Infinity is not a finite number"),
        (["-p", "alpha", "-0.1"], "'alpha': -0.1 is out of range"),
        (["-p", "seed", "-5"], "'seed': -5 is out of range"),
        # the profile-pairing test is exact (every arrangement), so there is no number of permutations to choose
        (
            ["-p", "n_permutations", "5"],
            "unknown parameter 'n_permutations'; valid parameters: focus_region, "
            "compare_regions, reference_rule, alpha, assumed_sample_size, seed, cohort_path, "
            "region_file, scorecard_weights",
        ),
        (["--jobs", "0"], "argument --jobs: must be at least 1, got 0"),
        (["--jobs", "-3"], "argument --jobs: must be at least 1, got -3"),
        (["--region", ""], f"--region: unknown region ''; valid: {', '.join(STUDY_REGIONS)} (or an alias"),
        (["--region", "nl"], "--region: 'nl' is a reference area, not a study region"),
    ],
)
@pytest.mark.processes
def test_bad_command_lines_are_one_line_before_any_kernel_starts(argv, message, tmp_path, monkeypatch, capsys):
    use_build_dir(monkeypatch, tmp_path / "_build")
    assert cli.main(["build", *argv]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert message in line, line
    assert not (tmp_path / "_build").exists()


@pytest.mark.processes
def test_unknown_region_lists_only_what_region_accepts(tmp_path, monkeypatch, capsys):
    use_build_dir(monkeypatch, tmp_path / "_build")
    assert cli.main(["build", "--region", "Atlantis"]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert set(line.split("valid: ", 1)[1].split(" (")[0].split(", ")) == set(STUDY_REGIONS)  # no 'nl', 'de'...


def test_the_largest_allowed_sample_size_computes_in_chapter_2s_tests():
    """The bound on assumed_sample_size is one that chapter 2's tests compute with (finite results)."""
    import math

    import pandas as pd

    from helpers import params, stats

    largest = params.MAX_SAMPLE_SIZE
    assert params.validate({"assumed_sample_size": largest})["assumed_sample_size"] == largest
    with pytest.raises(params.ParameterError, match="out of range"):
        params.validate({"assumed_sample_size": largest + 1})
    no_job = pd.Series({"zo-drenthe": 20.1, "twente": 17.4, "zo-brabant": 16.2, "rijnmond": 21.5})
    result = stats.homogeneity_test(pd.DataFrame({"no_job": no_job, "job": 100 - no_job}), largest)
    assert math.isfinite(result.statistic) and 0 <= result.p_value <= 1
    pairs = stats.pairwise_proportions(no_job, largest)
    assert pairs["z"].map(math.isfinite).all()
    assert stats.wilson_table(no_job, largest)[["ci_low", "ci_high"]].map(math.isfinite).all().all()


def test_a_temporary_environment_is_put_back_as_it_was_also_after_an_error(monkeypatch):
    """What a chapter's execution sets for its kernel (or a Dask task for its chapter) must not leak into the next:
    a variable set, one removed and one added are each restored, also when the block fails."""
    from regbook.processes import temporary_environment

    monkeypatch.setenv("REGBOOK_TEST_KEPT", "before")
    monkeypatch.setenv("REGBOOK_TEST_REMOVED", "present")
    monkeypatch.delenv("REGBOOK_TEST_ADDED", raising=False)
    with (
        pytest.raises(RuntimeError),
        temporary_environment(
            {"REGBOOK_TEST_KEPT": "during", "REGBOOK_TEST_REMOVED": None, "REGBOOK_TEST_ADDED": "new"}
        ),
    ):
        assert os.environ["REGBOOK_TEST_KEPT"] == "during" and os.environ["REGBOOK_TEST_ADDED"] == "new"
        assert "REGBOOK_TEST_REMOVED" not in os.environ
        raise RuntimeError("the chapter failed")
    assert os.environ["REGBOOK_TEST_KEPT"] == "before" and os.environ["REGBOOK_TEST_REMOVED"] == "present"
    assert "REGBOOK_TEST_ADDED" not in os.environ
