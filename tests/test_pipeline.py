"""The run/build pipeline on a small fixture book: execution, cache, results export, failures, parameters."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import regbook as build
from helpers import params, paths
from regbook import cli
from tests.conftest import use_build_dir
from tests.fixtures.fixture_book import HEADER, TOC, build_book, statuses


@pytest.mark.slow
def test_fixture_book_builds_end_to_end(fixture_book):
    report = build_book(jobs=2)  # two chapters in two worker processes, each with its own kernel
    assert report.ok, report.failures()
    assert statuses(report) == {"index": "executed", "second": "executed"}
    page = (paths.BUILD_DIR / "html" / "chapters" / "index.html").read_text()
    # Tabel 2: unemployment in ZO Drenthe 7.7%
    assert "Unemployment in <span" in page and "7.7%" in page and "Zuidoost-Drenthe" in page
    results = json.loads((paths.BUILD_DIR / "results" / "results.json").read_text())
    assert results["values"]["index"]["fx_unemployment"] == 7.7
    assert results["values"]["second"]["fx_n_claims"] == len(__import__("helpers.data").data.load("claims"))
    assert results["parameters"]["focus_region"] == "zo-drenthe"
    assert set(results["data"]["files"]) >= {"claims", "key_figures"}
    assert results["environment"]["papermill"] and "durations_seconds" not in results
    timings = json.loads((paths.BUILD_DIR / "results" / "timings.json").read_text())
    assert set(timings["durations_seconds"]) == {"index", "second"}
    # papermill's injected-parameters cell is tagged for removal from the page
    staged = json.loads((paths.BUILD_DIR / ".staging" / "default" / "chapters" / "index.ipynb").read_text())
    injected = [c for c in staged["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected == [] or all("remove-cell" in c["metadata"]["tags"] for c in injected)


@pytest.mark.slow
def test_cache_hits_and_misses(fixture_book):
    assert build_book().ok
    html_index = paths.BUILD_DIR / "html" / "chapters" / "index.html"
    before = html_index.stat().st_mtime_ns
    again = build_book()
    assert statuses(again) == {"index": "cached", "second": "cached"}
    assert html_index.stat().st_mtime_ns == before  # nothing changed: the site is not even recompiled

    # a parameter only 'second' declares re-executes only 'second'
    assert statuses(build_book({"alpha": 0.1})) == {"index": "cached", "second": "executed"}

    # a changed data file re-executes exactly the chapters that read it (claims.csv: only 'second')
    claims = paths.DATA_DIR / "claims.csv"
    claims.write_text(claims.read_text().replace("footnote 12", "footnote twelve"))
    assert statuses(build_book()) == {"index": "cached", "second": "executed"}

    # key_figures.csv is read by 'index' only
    kf = paths.DATA_DIR / "key_figures.csv"
    kf.write_text(
        kf.read_text().replace(
            "zo-drenthe,Tabel 2,unemployment,Werkloosheid (%),Unemployment rate,7.7",
            "zo-drenthe,Tabel 2,unemployment,Werkloosheid (%),Unemployment rate,7.8",
        )
    )
    report = build_book()
    assert statuses(report) == {"index": "executed", "second": "cached"}
    results = json.loads((paths.BUILD_DIR / "results" / "results.json").read_text())
    assert results["values"]["index"]["fx_unemployment"] == 7.8


@pytest.mark.slow
def test_failing_notebook_keeps_the_previous_site(fixture_book):
    assert build_book().ok
    good_page = (paths.BUILD_DIR / "html" / "chapters" / "second.html").read_text()
    source = fixture_book / "chapters" / "second.md"
    source.write_text(source.read_text().replace('claims = data.load("claims")', 'raise ValueError("boom in second")'))
    report = build_book()
    assert not report.ok
    assert statuses(report) == {"index": "cached", "second": "failed"}
    failure = report.failures()[0]
    assert "ValueError: boom in second" in failure.error and failure.error.startswith("code cell 2 ")
    assert Path(failure.notebook).exists() and "failed" in failure.notebook
    assert (paths.BUILD_DIR / "html" / "chapters" / "second.html").read_text() == good_page
    # once the chapter succeeds again, its old failed notebook is gone
    source.write_text(source.read_text().replace('raise ValueError("boom in second")', 'claims = data.load("claims")'))
    assert build_book().ok
    assert not Path(failure.notebook).exists()
    assert not (paths.BUILD_DIR / "failed").exists()


@pytest.mark.slow
def test_broken_data_stops_the_build_and_names_the_file(fixture_book):
    assert build_book().ok
    kf = paths.DATA_DIR / "key_figures.csv"
    kf.write_text(kf.read_text().replace("Unemployment rate,7.7", "Unemployment rate,zeven"))
    report = build_book()
    assert not report.ok
    error = report.failures()[0].error
    assert "key_figures.csv" in error and "value" in error


def _site_files(build_dir: Path) -> dict[str, bytes]:
    """Every file of a built site and its results, by relative path, but the run times (timings.json)."""
    files = {}
    for base in (build_dir / "html", build_dir / "results"):
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.name != "timings.json":
                files[str(path.relative_to(build_dir))] = path.read_bytes()
    return files


@pytest.mark.slow
def test_two_builds_of_the_same_inputs_give_the_same_results(fixture_book, tmp_path, monkeypatch):
    """Built twice from clean: results.json, every page and the downloadable notebooks are byte for byte equal."""
    assert build_book().ok
    first = _site_files(paths.BUILD_DIR)
    use_build_dir(monkeypatch, tmp_path / "_build_again")
    assert build_book().ok
    second = _site_files(paths.BUILD_DIR)
    assert any(name.endswith(".ipynb") for name in first)  # the downloadable notebooks are compared too
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.slow
def test_region_variant_goes_to_its_own_directory(fixture_book):
    report = build_book(region="Brainport")
    assert report.ok
    page = (paths.BUILD_DIR / "regions" / "zo-brabant" / "html" / "chapters" / "index.html").read_text()
    assert "Zuidoost-Brabant" in page and "6.7%" in page  # Tabel 2: unemployment ZO Brabant 6.7
    results = json.loads((paths.BUILD_DIR / "regions" / "zo-brabant" / "results" / "results.json").read_text())
    assert results["variant"] == "zo-brabant"
    assert (paths.BUILD_DIR / "regions" / "index.html").exists()


# --- parameters ------------------------------------------------------------------------------------------


def test_unknown_region_names_the_parameter_and_valid_choices():
    with pytest.raises(params.ParameterError) as err:
        params.validate({"focus_region": "Limburg"})
    assert "'focus_region'" in str(err.value) and "zo-drenthe, twente" in str(err.value)


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("alpha", "high", "expected a number"),
        ("alpha", 0.7, "out of range; must be at least 0.001 and below 0.5"),
        ("assumed_sample_size", 0, "must be between 10 and"),
        ("assumed_sample_size", 12.5, "expected an integer"),
        ("reference_rule", "global", "valid: national, pooled"),
        ("compare_regions", ["twente"], "at least two"),
        ("focus_region", "nl", "reference area, not a study region"),
        ("scorecard_weights", {"beauty": 1}, "unknown indicator"),
        ("colour", "red", "unknown parameter 'colour'"),
    ],
)
def test_bad_parameters_are_rejected_with_a_clear_message(name, value, message):
    with pytest.raises(params.ParameterError, match=message):
        params.validate({name: value})


def test_parameters_coerce_aliases_and_cli_text():
    chosen = params.validate({"focus_region": "Brainport", "alpha": "0.01", "compare_regions": "twente,bremen"})
    assert chosen["focus_region"] == "zo-brabant" and chosen["alpha"] == 0.01
    assert chosen["compare_regions"] == ["twente", "zo-brabant", "bremen"]  # the focus region joins, report order


@pytest.mark.processes
def test_cli_rejects_an_unknown_region_before_any_kernel_starts(capsys, tmp_path, monkeypatch):
    use_build_dir(monkeypatch, tmp_path / "_build")
    assert cli.main(["build", "--region", "Atlantis"]) == 2
    err = capsys.readouterr().err
    assert "Atlantis" in err and "zo-drenthe" in err
    assert not (tmp_path / "_build" / ".cache").exists()


def test_cli_rejects_a_wrong_parameter_type(capsys, tmp_path, monkeypatch):
    use_build_dir(monkeypatch, tmp_path / "_build")
    assert cli.main(["run", "-p", "assumed_sample_size", "many"]) == 2
    assert "assumed_sample_size" in capsys.readouterr().err


def test_unknown_chapter_lists_valid_chapters(tmp_path, monkeypatch):
    use_build_dir(monkeypatch, tmp_path / "_build")
    with pytest.raises(build.BuildError, match="unknown chapter.*valid: index, (report_in_brief, )?ch1_world"):
        build.plan([build.make_variant()], ["ch9"])


# --- the real book's sources --------------------------------------------------------------------------------


def test_every_chapter_has_one_parameters_cell_with_the_declared_defaults():
    defaults = params.defaults()
    for entry in build.toc_entries():
        nb = build.read_chapter(entry)
        tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) <= 1, entry
        declared = build.declared_parameters(nb)
        for name, value in declared.items():
            assert name in defaults, f"{entry}: unknown parameter {name}"
            assert value == defaults[name], f"{entry}: default of {name} differs from helpers.params"
        if tagged:
            first_code = next(c for c in nb.cells if c.cell_type == "code")
            assert first_code is tagged[0], f"{entry}: the parameters cell must be the first code cell"


def test_chapters_are_myst_markdown_without_outputs():
    chapters = paths.ROOT / "chapters"
    assert not list(chapters.glob("*.ipynb"))
    for entry in build.toc_entries():
        nb = build.read_chapter(entry)
        assert nb.metadata["kernelspec"]["language"] == "python"


def test_config_turns_jupyter_book_execution_off():
    import yaml

    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "off"


@pytest.mark.slow
@pytest.mark.parametrize("off", ["", "forked_kernels"])
def test_each_chapter_runs_in_a_fresh_kernel(fixture_book, monkeypatch, off):
    """Forked (default) or ordinary kernels: no state crosses chapters, and the data directory reaches the kernel."""
    monkeypatch.setenv("REGBOOK_TRICKS_OFF", off)
    index = fixture_book / "chapters" / "index.md"
    index.write_text(
        index.read_text().replace(
            'glue.glue("fx_region"', 'import os\nLEAKED = 1\nglue.glue("fx_pid", os.getpid())\nglue.glue("fx_region"'
        )
    )
    second = fixture_book / "chapters" / "second.md"
    second.write_text(
        second.read_text().replace(
            'glue.glue("fx_alpha"',
            "import os\nfrom helpers import paths\n"
            'glue.glue("fx_pid", os.getpid())\nglue.glue("fx_leaked", "LEAKED" in globals())\n'
            'glue.glue("fx_data_dir", str(paths.DATA_DIR))\nglue.glue("fx_alpha"',
        )
    )
    assert build_book().ok
    values = json.loads((paths.BUILD_DIR / "results" / "results.json").read_text())["values"]
    assert values["index"]["fx_pid"] != values["second"]["fx_pid"]
    assert values["second"]["fx_leaked"] is False
    assert values["second"]["fx_data_dir"] == str(paths.DATA_DIR)
    staged = json.loads((paths.BUILD_DIR / ".staging" / "default" / "chapters" / "index.ipynb").read_text())
    assert staged["metadata"]["kernelspec"]["name"] == "python3"  # readers re-execute with an ordinary kernel


def test_run_time_table_is_deterministic_so_unchanged_books_are_not_recompiled():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Data")]
    raw = nbformat.writes(nb).encode()
    outcomes = [build.Outcome("index", "cached", 2.5, "k1"), build.Outcome("appendix_data", "executed", 1.25, "k2")]
    first, second = build._with_run_times(raw, outcomes), build._with_run_times(raw, outcomes)
    assert first == second
    assert "| `index` | 2.5 |" in first.decode() and "| `appendix_data` | 1.2 |" in first.decode()  # file names as code


# --- what a cache entry records ------------------------------------------------------------------------------

READER = (
    HEADER
    + """
# Reader

```{code-cell} ipython3
:tags: [parameters, remove-cell]
cohort_path = ""
```

```{code-cell} ipython3
:tags: [remove-cell]
from helpers import data, glue, synthetic
glue.glue("fx_claims_title", data.provenance("claims").title)
cohort, is_synthetic = synthetic.load_cohort(cohort_path, seed=1)
glue.glue("fx_cohort_rows", len(cohort), str(len(cohort)))
with open(cohort_path, encoding="utf-8") as fh:  # a file a parameter names, read without any helper
    glue.glue("fx_cohort_lines", len(fh.read().splitlines()))
```

Claims: {glue:text}`fx_claims_title`; cohort rows: {glue:text}`fx_cohort_rows`.
"""
)


@pytest.fixture
def reader_book(fixture_book, tmp_path) -> Path:
    """The fixture book with a third chapter that reads the package descriptor and a cohort file."""
    (fixture_book / "chapters" / "reader.md").write_text(READER)
    (fixture_book / "_toc.yml").write_text(TOC + "  - file: chapters/reader\n")
    from helpers import synthetic

    cohort = tmp_path / "cohort.csv"
    synthetic.synthetic_cohort(300, seed=3).to_csv(cohort, index=False)
    return cohort


def _entry_inputs(chapter: str) -> dict[str, str]:
    metas = [json.loads(p.read_text()) for p in (paths.BUILD_DIR / ".cache").glob(f"{chapter}-*/meta.json")]
    assert len(metas) == 1
    return metas[0]["inputs"]


def _results() -> dict:
    return json.loads((paths.BUILD_DIR / "results" / "results.json").read_text())


@pytest.mark.slow
def test_cache_entry_records_every_input_and_a_change_to_any_reexecutes(reader_book):
    """Issue items 1-2: data file, package descriptor, cohort file and a file a parameter names are all inputs."""
    cohort = reader_book
    build_ = lambda: build_book({"cohort_path": str(cohort)})  # noqa: E731
    report = build_()
    assert report.ok, report.failures()
    package = str((paths.DATA_DIR / "datapackage.json").resolve())
    inputs = _entry_inputs("reader")
    assert {package, str(cohort.resolve())} <= set(inputs)
    assert inputs[str(cohort.resolve())] == hashlib.sha256(cohort.read_bytes()).hexdigest()
    assert str((paths.DATA_DIR / "claims.csv").resolve()) in _entry_inputs("second")  # a data file
    assert not any("site-packages" in name or "/helpers/" in name for name in inputs)  # the environment is not
    assert statuses(build_()) == {"index": "cached", "second": "cached", "reader": "cached"}

    # the cohort file changes (same name, same parameter value): the chapter that read it runs again
    lines = cohort.read_text().splitlines()
    cohort.write_text("\n".join(lines[:-1]) + "\n")
    report = build_()
    assert statuses(report) == {"index": "cached", "second": "cached", "reader": "executed"}
    assert _results()["values"]["reader"]["fx_cohort_rows"] == 299

    # the package descriptor changes (appendix C's titles come from it)
    descriptor = paths.DATA_DIR / "datapackage.json"
    package_doc = json.loads(descriptor.read_text())
    claims = next(r for r in package_doc["resources"] if r["name"] == "claims")
    claims["title"] = "Numeric claims, retitled"
    descriptor.write_text(json.dumps(package_doc, indent=1))
    report = build_()
    assert statuses(report)["reader"] == "executed"
    assert _results()["values"]["reader"]["fx_claims_title"] == "Numeric claims, retitled"


@pytest.mark.processes
def test_input_recorder_records_reads_by_any_route_and_nothing_else(tmp_path):
    """The kernel's audit hook: open(), pathlib, os.open and pandas are recorded; writes and libraries are not."""
    import subprocess
    import sys

    from regbook import inputs

    files = {name: tmp_path / name for name in ("a.txt", "b.json", "c.csv", "d.bin")}
    for path in files.values():
        path.write_text("x,y\n1,2\n")
    log, out = tmp_path / "inputs.tsv", tmp_path / "written.txt"
    code = (
        f"from regbook import inputs; inputs.install({str(log)!r})\n"
        "import os, pathlib, pandas\n"
        f"open({str(files['a.txt'])!r}).read()\n"
        f"pathlib.Path({str(files['b.json'])!r}).read_text()\n"
        f"pandas.read_csv({str(files['c.csv'])!r})\n"
        f"os.close(os.open({str(files['d.bin'])!r}, os.O_RDONLY))\n"
        f"open({str(out)!r}, 'w').write('output')\n"
        f"open({str(out)!r}).read()\n"
    )  # the process's own output, read back: not an input
    subprocess.run([sys.executable, "-c", code], check=True)
    recorded = inputs.read_log(log)
    assert set(recorded) == {str(p.resolve()) for p in files.values()}
    assert all(digest == hashlib.sha256(b"x,y\n1,2\n").hexdigest() for digest in recorded.values())
    assert inputs.read_log(tmp_path / "no-such-log") is None


@pytest.mark.slow
@pytest.mark.browser
def test_the_default_build_takes_no_screenshots_and_the_flag_takes_them(fixture_book):
    """Review screenshots are for reviewers: opt-in (``--screenshots``), even where Chromium is installed."""
    import shutil as sh

    if not (sh.which("chromium") or sh.which("chromium-browser")):
        pytest.skip("Chromium is not installed (Debian package 'chromium')")
    pytest.importorskip("playwright")
    assert cli.main(["build", "--no-wait"]) == 0
    assert (paths.BUILD_DIR / "html" / "index.html").exists()
    assert not (paths.BUILD_DIR / "screenshots").exists()
    assert cli.main(["build", "--no-wait", "--screenshots"]) == 0
    assert sorted(p.name for p in (paths.BUILD_DIR / "screenshots" / "default").glob("*.png")) == sorted(
        f"{page}-{size}.png" for page in ("index", "second") for size in ("laptop", "phone")
    )


@pytest.mark.slow
@pytest.mark.browser
def test_a_build_screenshots_every_page_at_both_sizes_and_retakes_only_changed_pages(fixture_book, monkeypatch):
    """The review screenshots: every page of the toc at a laptop's and a phone's width, full page; a second call
    with nothing changed takes none, an edited page is taken again (both sizes) and no other."""
    import shutil as sh

    if not (sh.which("chromium") or sh.which("chromium-browser")):
        pytest.skip("Chromium is not installed (Debian package 'chromium')")
    pytest.importorskip("playwright")
    assert build_book().ok
    variant = build.make_variant(None)
    taken = build.take_screenshots(variant, log=print)
    assert sorted(p.name for p in taken) == sorted(
        f"{Path(entry).name}-{size}.png" for entry in build.toc_entries() for size in ("laptop", "phone")
    )
    assert all(p.parent == paths.BUILD_DIR / "screenshots" / "default" and p.stat().st_size > 1000 for p in taken)
    assert build.take_screenshots(variant, log=print) == []
    second = variant.layout.html / "chapters" / "second.html"
    second.write_text(
        second.read_text(encoding="utf-8").replace("</article>", "<p>An added line.</p></article>"), encoding="utf-8"
    )
    assert sorted(p.name for p in build.take_screenshots(variant, log=print)) == [
        "second-laptop.png",
        "second-phone.png",
    ]
