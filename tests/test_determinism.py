"""Results that do not depend on the process that computed them (docs/results.md).

A build's kernels run in one explicitly set numerical environment (``helpers.environment.NUMERICAL_ENVIRONMENT``:
one thread per BLAS/OpenMP pool, string hashing fixed), whatever the environment of the process that starts them,
and record it in results.json; results.json and audit.csv are then byte for byte the same for the same inputs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import environment, paths
from regbook import execute, kernels
from tests.fixtures.fixture_book import build_book

ROOT = Path(__file__).resolve().parents[1]

#: The report's region whose book the end-to-end test builds (chapter 2's multinomial logit differed in its last
#: digits between a two-thread kernel and a one-thread Dask worker).
REGION = "zo-drenthe"


def pool(num_threads: int, prefix: str = "libopenblas") -> dict:
    return {
        "user_api": "blas",
        "internal_api": "openblas",
        "prefix": prefix,
        "version": "0.3.31",
        "threading_layer": "pthreads",
        "architecture": "Haswell",
        "num_threads": num_threads,
    }


def test_a_process_with_one_thread_per_pool_and_fixed_hashing_departs_in_nothing():
    assert environment.departures({"hash_randomization": False, "thread_pools": [pool(1), pool(1, "libomp")]}) == []


def test_every_departure_is_named():
    found = environment.departures({"hash_randomization": True, "thread_pools": [pool(1), pool(4, "libgomp")]})
    assert len(found) == 2
    assert "hashing randomised" in found[0]
    assert "libgomp" in found[1] and "4 threads" in found[1] and "libopenblas" not in found[1]


def test_the_numerical_environment_fixes_threads_and_hashing():
    settings = environment.NUMERICAL_ENVIRONMENT
    assert settings["PYTHONHASHSEED"] == "0"
    assert {settings[name] for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")} == {"1"}


def run_python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, **env}, timeout=120
    )
    return result.stdout


@pytest.mark.slow
def test_a_process_reports_the_threads_and_hashing_it_runs_with():
    code = (
        "import json, numpy, scipy.linalg; from helpers.environment import numerical_environment; "
        "print(json.dumps(numerical_environment()))"
    )
    fixed = json.loads(run_python(code, OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0"))
    assert fixed["hash_randomization"] is False
    assert fixed["thread_pools"] and {p["num_threads"] for p in fixed["thread_pools"]} == {1}
    assert all("filepath" not in p for p in fixed["thread_pools"])  # the install folder is not the environment
    randomised = json.loads(run_python(code, OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="random"))
    assert randomised["hash_randomization"] is True


@pytest.mark.slow
def test_the_multinomial_logit_gives_the_same_bits_on_one_and_on_two_blas_threads():
    """Without the fit's own one-thread limit, OPENBLAS_NUM_THREADS=2 changed p and R² in their last digits (on a
    machine with two cores or more: OpenBLAS takes no more threads than cores)."""
    code = (
        "from helpers import synthetic, stats; cohort, _ = synthetic.load_cohort(None, seed=2016); "
        "probs, r = stats.career_outcomes_model(cohort); "
        "print(repr(r.p_value), repr(r.effect_size), repr(r.statistic), probs.to_numpy().tolist())"
    )
    assert run_python(code, OPENBLAS_NUM_THREADS="1") == run_python(code, OPENBLAS_NUM_THREADS="2")


@pytest.mark.slow
def test_a_kernel_outside_the_numerical_environment_fails_its_chapter(fixture_book, monkeypatch):
    """The build checks what each kernel recorded: a kernel with randomised hashing is refused, not cached."""
    monkeypatch.setenv("REGBOOK_TRICKS_OFF", "forked_kernels")  # an ordinary kernel: its environment is the job's
    monkeypatch.setattr(
        execute, "NUMERICAL_ENVIRONMENT", {**environment.NUMERICAL_ENVIRONMENT, "PYTHONHASHSEED": "random"}
    )
    report = build_book(jobs=1)
    assert not report.ok
    errors = {failure.chapter: failure.error for failure in report.failures()}
    assert set(errors) == {"index", "second"}
    assert all("numerical environment" in error and "hashing randomised" in error for error in errors.values())


@pytest.mark.slow
def test_the_fixture_books_kernels_record_the_numerical_environment(fixture_book):
    assert kernels.enabled()
    report = build_book(jobs=2)
    assert report.ok, report.failures()
    results = json.loads((paths.BUILD_DIR / "results" / "results.json").read_text())
    record = results["numerical_environment"]
    assert record["hash_randomization"] is False and record["thread_pools"]
    assert environment.departures(record) == []


def build_region(build_dir: Path, **env: str) -> Path:
    """``python -m helpers build --region REGION`` in its own process and build folder; the results folder."""
    settings = {
        **os.environ,
        "REGBOOK_BUILD_DIR": str(build_dir),
        "REGBOOK_WARM_COMPILE": "build",
        "REGBOOK_FAST_PATH": "0",
        **env,
    }
    for name in ("REGBOOK_ROOT", "REGBOOK_DATA_DIR"):  # the checkout's own book and data
        settings.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "build", "--region", REGION],
        cwd=ROOT,
        env=settings,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return build_dir / "regions" / REGION / "results"


@pytest.mark.slow
def test_one_region_built_in_two_differently_set_processes_gives_byte_identical_results(tmp_path):
    """Forked kernels from a parent with two BLAS threads and one hash seed, and a build with every speed trick
    switched off (ordinary kernels among them: regbook.tricks) from a parent with one thread and another seed:
    results.json, audit.csv and the pages the same to the byte (a trick changes speed, never what is built)."""
    first = build_region(tmp_path / "first", OPENBLAS_NUM_THREADS="2", OMP_NUM_THREADS="2", PYTHONHASHSEED="1")
    second = build_region(
        tmp_path / "second",
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        PYTHONHASHSEED="4242",
        REGBOOK_TRICKS_OFF="all",
    )
    for name in ("results.json", "audit.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    results = json.loads((first / "results.json").read_text())
    assert environment.departures(results["numerical_environment"]) == []
    assert {p["user_api"] for p in results["numerical_environment"]["thread_pools"]} >= {"blas"}
    assert "ch2_mnl_p" in results["values"]["ch2_occupations"]
    timings = json.loads((first / "timings.json").read_text())
    assert set(timings["durations_seconds"]) == set(results["values"])
    # the pages too (charts and downloadable notebooks included), but what shows the run times: appendix C (page,
    # notebook), the search index of its words and the site's stamp of what it was built from
    run_times = ("appendix_data.html", "appendix_data.ipynb", "searchindex.js", ".build-fingerprint")
    pages = {}
    for results_dir in (first, second):
        site = results_dir.parent / "html"
        pages[results_dir] = {
            str(p.relative_to(site)): p.read_bytes()
            for p in sorted(site.rglob("*"))
            if p.is_file() and p.name not in run_times
        }
    assert pages[first].keys() == pages[second].keys() and len(pages[first]) > 20
    assert [name for name in pages[first] if pages[first][name] != pages[second][name]] == []


@pytest.mark.slow
def test_the_tolerance_for_the_iterative_fit_covers_another_summation_order():
    """docs/results.md: across environments compare the multinomial logit at a relative 1e-6. The fit itself, on
    two BLAS threads and on one (another order of the partial sums), stays well inside it."""
    code = (
        "import statsmodels.api as sm, pandas as pd; from helpers import synthetic, stats; "
        "cohort, _ = synthetic.load_cohort(None, seed=2016); "
        "outcome = pd.Categorical(cohort['outcome'], categories=[o for o in stats.OUTCOMES "
        "if o in set(cohort['outcome'])]); "
        "exog = sm.add_constant(pd.get_dummies(cohort['education'].astype('category'), drop_first=True, "
        "dtype=float)); fit = sm.MNLogit(outcome.codes, exog).fit(disp=False, maxiter=200); "
        "print(float(fit.llr_pvalue), float(fit.prsquared))"
    )
    one = [float(x) for x in run_python(code, OPENBLAS_NUM_THREADS="1").split()]
    two = [float(x) for x in run_python(code, OPENBLAS_NUM_THREADS="2").split()]
    assert two == pytest.approx(one, rel=1e-6)
