"""Results shared between a build's kernels (helpers.sharing) and the recorder's side of it (inputs.adopt)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import subprocess
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from helpers import regions, sharing
from regbook import inputs
from tests.fixtures.fixture_book import HEADER, build_book, statuses

CALLS: list[tuple] = []


@sharing.once_per_build
def _table(rows: int, label: str = "x") -> pd.DataFrame:
    CALLS.append((rows, label))
    return pd.DataFrame({"label": [label] * rows, "row": range(rows)})


@sharing.once_per_build
def _failing() -> None:
    CALLS.append(("failing",))
    raise ValueError("no result")


class FakeRecorder(types.ModuleType):
    """Stands in for a kernel's ``regbook.inputs``: its inputs, and what it adopts (or refuses)."""

    def __init__(self, inputs: dict[str, str], refuse: bool = False):
        super().__init__(sharing.RECORDER_MODULE)
        self.inputs, self.refuse, self.adopted = dict(inputs), refuse, []

    def recording(self) -> bool:
        return True

    def recorded(self) -> dict[str, str]:
        return dict(self.inputs)

    def adopt(self, inputs: dict[str, str]) -> bool:
        if self.refuse:
            return False
        self.adopted.append(dict(inputs))
        return True


@pytest.fixture
def in_a_build(tmp_path, monkeypatch):
    """A build's kernel: the shared folder named in the environment, and a recorder (returned, replaceable)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    monkeypatch.setenv(sharing.ENV, str(folder))
    recorder = FakeRecorder({"/data/a.csv": "a1"})
    monkeypatch.setitem(sys.modules, sharing.RECORDER_MODULE, recorder)
    CALLS.clear()
    return recorder


def test_the_environment_variable_is_the_one_the_recorder_leaves_out():
    assert sharing.ENV == inputs.SHARED_RESULTS_ENV


def test_outside_a_build_the_function_runs_every_time(monkeypatch):
    monkeypatch.delenv(sharing.ENV, raising=False)
    CALLS.clear()
    assert _table(2).equals(_table(2))
    assert CALLS == [(2, "x"), (2, "x")]


def test_a_build_folder_without_a_recording_kernel_shares_nothing(tmp_path, monkeypatch):
    """Results are shared only where the inputs can be carried with them."""
    monkeypatch.setenv(sharing.ENV, str(tmp_path))
    monkeypatch.setitem(sys.modules, sharing.RECORDER_MODULE, None)
    CALLS.clear()
    _table(2)
    _table(2)
    assert CALLS == [(2, "x"), (2, "x")] and not list(tmp_path.iterdir())


def test_computed_once_per_arguments_and_the_taker_adopts_the_computers_inputs(in_a_build, monkeypatch):
    first = _table(3)
    taker = FakeRecorder({})
    monkeypatch.setitem(sys.modules, sharing.RECORDER_MODULE, taker)  # another kernel of the build
    again = _table(3)
    assert CALLS == [(3, "x")] and again.equals(first) and again is not first
    assert taker.adopted == [{"/data/a.csv": "a1"}]
    _table(3, label="y")
    _table(3, "y")  # keyword or positional: different calls
    _table(4)
    assert CALLS == [(3, "x"), (3, "y"), (3, "y"), (4, "x")]


def test_a_kernel_that_saw_an_input_otherwise_computes_the_result_itself(in_a_build, monkeypatch):
    _table(3)
    monkeypatch.setitem(sys.modules, sharing.RECORDER_MODULE, FakeRecorder({}, refuse=True))
    _table(3)
    assert CALLS == [(3, "x"), (3, "x")]


def test_a_user_region_or_another_data_folder_is_another_key(in_a_build, monkeypatch, tmp_path):
    from helpers import paths

    _table(1)
    monkeypatch.setitem(regions.USER_REGIONS, "testland", regions.get("twente"))
    _table(1)
    monkeypatch.delitem(regions.USER_REGIONS, "testland")
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path / "other-data")
    _table(1)
    assert CALLS == [(1, "x")] * 3


def test_an_exception_propagates_and_stores_nothing(in_a_build):
    for _ in range(2):
        with pytest.raises(ValueError, match="no result"):
            _failing()
    assert CALLS == [("failing",), ("failing",)]


def test_unreadable_entries_and_a_missing_folder_mean_computing(in_a_build, monkeypatch, tmp_path):
    _table(2)
    for entry in Path(tmp_path / "shared").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    _table(2)
    monkeypatch.setenv(sharing.ENV, str(tmp_path / "gone"))
    _table(2)
    assert CALLS == [(2, "x")] * 3


def _call_in_another_process(folder: str, out: str) -> None:
    import os

    os.environ[sharing.ENV] = folder
    sys.modules[sharing.RECORDER_MODULE] = FakeRecorder({})
    Path(out).write_text(json.dumps(_slow_table(2).to_dict()))


@sharing.once_per_build
def _slow_table(rows: int) -> pd.DataFrame:
    import time

    with open(Path(__import__("os").environ[sharing.ENV]).parent / "calls.txt", "a") as fh:
        fh.write("computed\n")
    time.sleep(0.5)
    return pd.DataFrame({"row": range(rows)})


@pytest.mark.processes
@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_kernels_that_ask_at_once_wait_for_one_computation(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=_call_in_another_process, args=(str(folder), str(tmp_path / f"out{i}.json")))
        for i in range(3)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(30)
    assert [proc.exitcode for proc in procs] == [0, 0, 0]
    assert (tmp_path / "calls.txt").read_text() == "computed\n"
    assert len({(tmp_path / f"out{i}.json").read_text() for i in range(3)}) == 1


# --- the recorder's side: a real audit hook, in a fresh interpreter ---------------------------------------------


@pytest.mark.processes
def test_the_recorder_adopts_inputs_unless_it_saw_them_otherwise_and_leaves_the_shared_folder_out(tmp_path):
    read, written, shared = tmp_path / "read.csv", tmp_path / "written.txt", tmp_path / "shared"
    read.write_text("a,b\n1,2\n")
    shared.mkdir()
    (shared / "entry.pickle").write_bytes(b"x")
    digest = hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    log = tmp_path / "inputs.tsv"
    code = f"""
import os
os.environ[{inputs.SHARED_RESULTS_ENV!r}] = {str(shared)!r}
from regbook import inputs
assert not inputs.recording() and not inputs.adopt({{"/x": "d"}})
inputs.install({str(log)!r})
open({str(read)!r}).read()
open({str(shared / "entry.pickle")!r}, "rb").read()
open({str(written)!r}, "w").write("out")
assert inputs.recording() and inputs.recorded() == {{{str(read)!r}: {digest!r}}}
assert not inputs.adopt({{{str(read)!r}: "another digest", "/elsewhere/new.csv": "n1"}})
assert not inputs.adopt({{{str(written)!r}: "w1"}})
assert inputs.adopt({{{str(read)!r}: {digest!r}, "/elsewhere/new.csv": "n1"}})
assert inputs.recorded() == {{{str(read)!r}: {digest!r}, "/elsewhere/new.csv": "n1"}}
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert inputs.read_log(log) == {str(read): digest, "/elsewhere/new.csv": "n1"}


# --- in a build ---------------------------------------------------------------------------------------------------

COMPUTES = (
    HEADER
    + """
# Computes

```{code-cell} ipython3
:tags: [remove-cell]
from helpers import derived, glue
glue.glue("fx_claims_a", len(derived.claims_checked()), "a")
```
"""
)

TAKES = (
    HEADER
    + """
# Takes

```{code-cell} ipython3
:tags: [remove-cell]
from helpers import data, derived, glue
data.load = None  # this kernel cannot compute the claims itself: it must take the first kernel's result
glue.glue("fx_claims_b", len(derived.claims_checked()), "b")
```
"""
)


@pytest.mark.slow
def test_a_build_shares_a_result_between_chapters_and_a_change_to_its_inputs_reexecutes_both(fixture_book):
    from helpers import paths

    (fixture_book / "chapters" / "computes.md").write_text(COMPUTES)
    (fixture_book / "chapters" / "takes.md").write_text(TAKES)
    with open(fixture_book / "_toc.yml", "a") as toc:
        toc.write("  - file: chapters/computes\n  - file: chapters/takes\n")
    report = build_book(jobs=1)  # in table-of-contents order: "computes" runs first
    assert report.ok, report
    assert statuses(report)["takes"] == "executed"
    assert not list((paths.BUILD_DIR / ".shared").glob("*")), "the run's shared folder is removed"
    claims = paths.DATA_DIR / "claims.csv"
    text = claims.read_text()
    assert ",Cohort " in text
    claims.write_text(text.replace(",Cohort ", ",The cohort ", 1))  # a note reworded: valid data, other bytes
    again = build_book(jobs=1)
    assert again.ok and {c: s for c, s in statuses(again).items() if c in ("computes", "takes")} == {
        "computes": "executed",
        "takes": "executed",
    }
