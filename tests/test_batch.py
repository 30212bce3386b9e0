"""Batches of region books (``regbook.batch``, ``regbook.region_book``, ``regbook.landing``), the parts that need no
kernel: the inputs (folder, glob, list; every invalid file listed), what changed, a site put in place, a region's
inputs shipped to a worker, the summary, and the landing page's rows and escaping. The batches themselves, on a
LocalCluster and locally, are in ``tests/test_dask_batch.py``; the landing page in a browser in
``tests/test_landing_page.py``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import tarfile
from pathlib import Path

import pytest

from helpers import generated_regions, region_file, regions
from regbook import batch, cli, landing, region_book
from regbook.layout import Layout
from regbook.planning import make_variant
from tests.conftest import use_build_dir
from tests.test_generated_regions import tabel_1_1
from tests.test_region_file import section_rows, write_rows


@pytest.fixture
def folder(tmp_path) -> Path:
    """Four generated region files in ``tmp_path/regions``."""
    generated_regions.write_generated(tmp_path / "regions", 4)
    return tmp_path / "regions"


def names(paths_: list[Path]) -> list[str]:
    return [p.name for p in paths_]


# --- inputs ----------------------------------------------------------------------------------------------------------


def test_a_folder_a_glob_and_a_list_name_region_files(folder, tmp_path):
    everything = [f"gen-000{i}.csv" for i in (1, 2, 3, 4)]
    files, invalid = batch.collect([str(folder)])
    assert names(files) == everything and invalid == [] and all(p.is_absolute() for p in files)
    files, invalid = batch.collect([str(folder / "gen-000[13].csv"), str(folder / "*.json")])
    assert names(files) == ["gen-0001.csv", "gen-0003.csv"]  # sidecars are not region files
    assert [i.path for i in invalid] == [str(folder / "*.json")] and "no region file" in invalid[0].message
    listing = tmp_path / "mine.txt"
    listing.write_text("# my regions\nregions/gen-0004.csv\n\n  regions/gen-0002.csv  \nregions\n", encoding="utf-8")
    files, invalid = batch.collect([str(listing), str(folder / "gen-0004.csv")])
    assert names(files) == ["gen-0004.csv", "gen-0002.csv", "gen-0001.csv", "gen-0003.csv"]  # each once, in order
    assert invalid == []


def test_a_list_entry_that_names_nothing_is_invalid_and_a_list_may_not_name_a_list(folder, tmp_path):
    (tmp_path / "inner.txt").write_text("regions\n", encoding="utf-8")
    listing = tmp_path / "outer.txt"
    listing.write_text("regions/gen-0001.csv\nregions/missing.csv\ninner.txt\n", encoding="utf-8")
    files, invalid = batch.collect([str(listing)])
    assert names(files) == ["gen-0001.csv"]
    assert [i.path for i in invalid] == ["regions/missing.csv", "inner.txt"]
    assert invalid[0].message.startswith(f"{tmp_path / 'regions' / 'missing.csv'}: file not found")
    assert invalid[1].message == f"{tmp_path / 'inner.txt'}: a list of region files may not name another list"


def test_every_invalid_file_is_listed_with_line_and_column_and_the_valid_ones_are_kept(folder):
    negative = section_rows(region_id="negative")
    negative[3][8] = -1.5  # D, line 5
    write_rows(folder, negative, name="negative.csv")
    unknown = section_rows(region_id="unknown", country="BE")
    write_rows(folder, unknown, name="unknown.csv")
    write_rows(folder, section_rows(region_id="no-sidecar"), name="no-sidecar.csv", provenance=None)
    shutil.copy(folder / "gen-0002.csv", folder / "twin.csv")  # the id gen-0002 a second time
    shutil.copy(region_file.provenance_path(folder / "gen-0002.csv"), region_file.provenance_path(folder / "twin.csv"))
    warned = []
    inputs = batch.validate([], [str(folder)], {}, warn=warned.append)
    assert [v.name for v in inputs.variants] == ["gen-0001", "gen-0002", "gen-0003", "gen-0004", "no-sidecar"]
    where = {Path(i.path).name: i.message for i in inputs.invalid}
    assert sorted(where) == ["negative.csv", "twin.csv", "unknown.csv"]
    assert all("\n" not in m and m.startswith(str(folder)) for m in where.values())
    assert "line 5, column employees_thousands" in where["negative.csv"]
    assert "line 2, column country" in where["unknown.csv"]
    # a bare CSV builds, with one warning line (issue 29)
    assert len(warned) == 1 and "no provenance sidecar" in warned[0] and "no-sidecar.csv" in warned[0]
    assert "'gen-0002' is also the id in" in where["twin.csv"] and str(folder / "gen-0002.csv") in where["twin.csv"]
    for variant in inputs.variants:  # as a single region file's variant: the nearest report region is the focus
        assert variant.parameters["region_file"] == str(folder / f"{variant.name}.csv")
        assert variant.parameters["focus_region"] == inputs.comparisons[variant.name].nearest


@pytest.mark.processes
def test_the_cli_lists_every_invalid_file_and_starts_nothing_when_none_is_valid(tmp_path, monkeypatch, capsys):
    use_build_dir(monkeypatch, tmp_path / "_build")
    (tmp_path / "bad").mkdir()
    for name, country in (("a", "BE"), ("b", "FR")):
        write_rows(tmp_path / "bad", section_rows(region_id=name, country=country), name=f"{name}.csv")
    assert cli.main(["build", "--region-file", str(tmp_path / "bad"), "--no-wait"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    for name in ("a", "b"):
        assert f"invalid: {tmp_path / 'bad' / name}.csv, line 2, column country" in err
    assert "none of the 2 region file(s) can be built" in err
    assert not (tmp_path / "_build" / "regions").exists()


# --- what changed ----------------------------------------------------------------------------------------------------


def test_a_region_is_unchanged_until_an_input_or_its_results_change(folder, tmp_path, monkeypatch):
    use_build_dir(monkeypatch, tmp_path / "_build")
    inputs = batch.validate([], [str(folder / "gen-0001.csv")], {})
    variant, region = inputs.variants[0], inputs.regions["gen-0001"]
    files = batch.input_files(variant, region)
    assert files == [folder / "gen-0001.csv", region_file.provenance_path(folder / "gen-0001.csv")]
    static = {"chapters": "1"}
    digest = batch.stamp(variant, files, static)
    layout = variant.layout
    assert not batch.unchanged(layout, digest)  # never built
    (layout.html).mkdir(parents=True)
    (layout.html / "index.html").write_text("<p>site</p>")
    layout.results.mkdir(parents=True)
    (layout.results / "results.json").write_text("{}")
    batch.record_stamp(layout, digest)
    assert batch.unchanged(layout, digest)
    assert batch.stamp(variant, files, {"chapters": "2"}) != digest  # the book's sources changed
    sidecar = files[1]
    sidecar.write_text(sidecar.read_text().replace("2026-12-01", "2026-12-02"))
    assert batch.stamp(variant, files, static) != digest  # the provenance changed
    (layout.results / "results.json").write_text('{"built": "by another command"}')
    assert not batch.unchanged(layout, digest)


# --- a site put in place, inputs shipped ----------------------------------------------------------------------------


def site_archive(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_a_site_sent_back_replaces_the_old_one_whole_or_not_at_all(tmp_path, monkeypatch):
    use_build_dir(monkeypatch, tmp_path / "_build")
    layout = Layout("somewhere")
    layout.html.mkdir(parents=True)
    (layout.html / "index.html").write_text("old")
    (layout.html / "gone.html").write_text("old page")
    batch.install_site(site_archive({"html/index.html": "new", "results/results.json": "{}"}), layout)
    assert (layout.html / "index.html").read_text() == "new" and not (layout.html / "gone.html").exists()
    assert (layout.results / "results.json").read_text() == "{}"
    with pytest.raises(RuntimeError, match="no html/index.html"):
        batch.install_site(site_archive({"html/other.html": "broken"}), layout)
    assert (layout.html / "index.html").read_text() == "new"
    with pytest.raises(tarfile.TarError):  # an archive that would write outside the region's folder
        batch.install_site(site_archive({"../../escaped.txt": "x", "html/index.html": "x"}), layout)
    assert not (tmp_path / "_build" / "escaped.txt").exists() and (layout.html / "index.html").read_text() == "new"
    assert sorted(p.name for p in layout.base.iterdir()) == ["html", "results"]  # nothing half-written left


def test_a_worker_without_the_files_gets_them_where_they_belong_to_each_other(tmp_path):
    client = tmp_path / "client"
    files = {
        str(client / "regions" / "r.csv"): b"region",
        str(client / "regions" / "r.provenance.json"): b"{}",
        str(client / "refs" / "nl.csv"): b"reference",
    }
    where = region_book._inputs_here(files, tmp_path / "worker")
    copies = {Path(where[name]).relative_to(tmp_path / "worker" / "inputs").parts[1:] for name in files}
    assert copies == {("regions", "r.csv"), ("regions", "r.provenance.json"), ("refs", "nl.csv")}
    assert all(Path(where[name]).read_bytes() == data for name, data in files.items())
    (client / "regions").mkdir(parents=True)
    (client / "regions" / "r.csv").write_bytes(b"region")  # this one the worker sees, with the same bytes
    (client / "regions" / "r.provenance.json").write_bytes(b"{changed}")  # this one with other bytes
    where = region_book._inputs_here(files, tmp_path / "worker")
    assert where[str(client / "regions" / "r.csv")] == str(client / "regions" / "r.csv")
    assert Path(where[str(client / "regions" / "r.provenance.json")]).read_bytes() == b"{}"


def test_the_project_archive_unpacks_to_the_same_digest(fixture_book, tmp_path):
    project = region_book.this_project()
    names_in = [name for name, _ in region_book.book_files(project.root, project.data_dir)]
    assert {"_config.yml", "_toc.yml", "chapters/index.md", "data/datapackage.json"} <= set(names_in)
    root, data_dir = region_book._project_here(project, None, tmp_path / "worker")
    assert (str(root), str(data_dir)) == (project.root, project.data_dir)  # the worker sees it: used in place
    moved = region_book.Project(str(tmp_path / "elsewhere"), str(tmp_path / "elsewhere" / "data"), project.digest)
    with pytest.raises(RuntimeError, match="no copy of the project"):
        region_book._project_here(moved, None, tmp_path / "worker")
    root, data_dir = region_book._project_here(moved, region_book.pack_project(project), tmp_path / "worker")
    assert root.parent == tmp_path / "worker" and region_book.project_digest(root, data_dir) == project.digest


# --- summary and progress --------------------------------------------------------------------------------------------


def test_the_summary_counts_and_names_causes_and_the_exit_is_not_ok_for_any_invalid_or_failed(tmp_path, monkeypatch):
    use_build_dir(monkeypatch, tmp_path / "_build")
    statuses = {
        "a": batch.RegionStatus("a", "built"),
        "b": batch.RegionStatus("b", "unchanged"),
        "c": batch.RegionStatus("c", "failed", "ch3_regions: code cell 4: ValueError: x"),
    }
    summary = batch.BatchSummary(statuses, [batch.Invalid("x.csv", "x.csv, line 3, column country: ...")], 12.34)
    assert summary.lines() == [
        "batch of 4 regions: 1 built, 1 unchanged, 1 invalid, 1 failed (12.3 s)",
        "invalid: x.csv, line 3, column country: ...",
        "failed: c: ch3_regions: code cell 4: ValueError: x",
    ]
    assert not summary.ok
    assert batch.BatchSummary({"a": statuses["a"], "b": statuses["b"]}, []).ok
    record = json.loads(summary.write().read_text())
    assert [r["status"] for r in record["regions"]] == ["built", "unchanged", "failed"]
    assert record["invalid"] == [{"path": "x.csv", "message": "x.csv, line 3, column country: ..."}]


def test_the_progress_counts_a_region_when_its_last_chapter_is_done():
    from regbook.execute import Outcome

    planned = {
        ("a", "one"): Outcome("one", "pending", 0, "k1"),
        ("a", "two"): Outcome("two", "pending", 0, "k2"),
        ("b", "one"): Outcome("one", "pending", 0, "k1"),
        ("b", "two"): Outcome("two", "cached", 0, "k3"),
    }
    done = []
    progress = batch.region_progress(planned, lambda name, failures: done.append((name, failures)))
    progress(Outcome("one", "executed", 1, "k1"))  # shared by a and b: b has nothing else to wait for
    assert done == [("b", 0)]
    progress(Outcome("two", "failed", 1, "k2"))
    assert done == [("b", 0), ("a", 1)]


# --- the landing page's rows -----------------------------------------------------------------------------------------


def shares(counts: dict[str, float]) -> dict[str, float]:
    total = sum(counts.values())
    return {s: v / total for s, v in counts.items()}


def krugman(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(abs(a[s] - b[s]) for s in a)


def test_report_region_rows_by_hand():
    t = tabel_1_1()
    six = list(regions.STUDY_REGIONS)
    rows = {r.id: r for r in landing.landing_rows([make_variant(r) for r in six])}
    for region in six:
        own = shares(t[region])
        country = "nl" if region in regions.DUTCH_REGIONS else "de"
        largest = max(own, key=own.get)
        nearest = min((r for r in six if r != region), key=lambda r: krugman(own, shares(t[r])))
        row = rows[region]
        assert row.largest_sector.split()[0] == largest and row.largest_share == pytest.approx(100 * own[largest])
        assert row.manufacturing_lq == pytest.approx(own["C"] / shares(t[country])["C"])
        assert row.similar == regions.name(nearest) and row.report_region
        assert row.country == country.upper() and row.level == "NACE sections"
    assert rows["twente"].nuts_code == "NL213"


def test_region_file_rows_by_hand(folder):
    t = tabel_1_1()
    inputs = batch.validate([], [str(folder / "gen-0001.csv"), str(folder / "gen-0003.csv")], {})
    rows = {r.id: r for r in landing.landing_rows(inputs.variants, inputs.comparisons)}
    # gen-0001: the Netherlands without Zuidoost-Drenthe, by section, against the Netherlands
    with open(folder / "gen-0001.csv", encoding="utf-8") as fh:
        own = shares({r["nace_section"]: float(r["employees_thousands"]) for r in csv.DictReader(fh)})
    row = rows["gen-0001"]
    assert row.largest_sector.split()[0] == max(own, key=own.get)
    assert row.manufacturing_lq == pytest.approx(own["C"] / shares(t["nl"])["C"])
    six = list(regions.STUDY_REGIONS)
    assert row.similar == regions.name(min(six, key=lambda r: krugman(own, shares(t[r]))))
    assert row.level == "NACE sections" and row.country == "NL" and not row.built
    # gen-0003 is at Eurostat's groups: no separate manufacturing, so no manufacturing LQ
    assert rows["gen-0003"].level == "Eurostat's ten sector groups" and rows["gen-0003"].manufacturing_lq is None


HOSTILE = '<script>alert("name")</script> & <img src=x onerror=alert(1)>'


def test_every_string_from_a_region_file_is_escaped_on_the_landing_page(tmp_path):
    rows = [
        landing.LandingRow(
            id="evil",
            name=HOSTILE,
            country='NL"><script>alert(2)</script>',
            nuts_code="<b>NL1</b>",
            level='"level"',
            largest_sector="C <i>Manufacturing</i>",
            largest_share=12.5,
            manufacturing_lq=None,
            similar="</td><script>x()</script>",
            report_region=False,
            built=True,
        )
    ]
    page = landing.landing_html(rows)
    assert page.count("<script>") == 1  # the page's own
    assert "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in page
    assert 'data-country="NL&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in page
    assert '<a href="evil/html/index.html">' in page


# --- the benchmark's model -------------------------------------------------------------------------------------------


def test_the_batch_model_by_hand(monkeypatch):
    """Two workers, three regions each: first regions 40 and 44 s, later ones 10, 12, 11, 13 s (median 11.5);
    the client 10.2 CPU seconds, 1.2 of them reaching the cluster and 0.6 validating (0.1 per region)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_build", Path(__file__).resolve().parents[1] / "bench" / "bench_build.py"
    )
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_build", bench)  # dataclasses look their module up
    spec.loader.exec_module(bench)

    def region(where, seconds, worker_mb):
        return {
            "where": where,
            "seconds": seconds,
            "execute_seconds": seconds - 2,
            "compile_seconds": 2.0,
            "peak_mb": 700.0 + seconds,
            "worker_mb": worker_mb,
        }

    record = {
        "regions": [
            region("a", 40, 180),
            region("b", 44, 181),
            region("a", 10, 182),
            region("b", 12, 183),
            region("a", 11, 182),
            region("b", 13, 181),
        ],
        "client_seconds": {"validating the region files": 0.6, "reaching the cluster (CPU)": 1.2},
        "client_cpu_seconds": 10.2,
    }
    model = bench.BatchModel.from_record(record, client_cores=2)
    assert (model.first_region, model.region, model.execute, model.compile) == (42.0, 11.5, 9.5, 2.0)
    assert model.validate == pytest.approx(0.1) and model.client == pytest.approx(1.4)
    # 40 regions on 8 workers: 8 x 30.5 s of first-region overhead + 40 x 11.5 s = 704 s over 8 = 88 s, more than
    # one region (42 s) and the client's 40 x 1.4 = 56 s; plus 40 x 0.1 s of validation
    assert model.compiles_on_workers(40, 8) == pytest.approx(4 + 88)
    # 1,000 regions on 256 workers: the client's 1,400 s bound it (work: (256 x 30.5 + 11,500) / 256 = 75.4 s)
    assert model.compiles_on_workers(1000, 256) == pytest.approx(100 + 1400)
    # the design before: executions 40 x 9.5 / 8 = 47.5 s, then 20 rounds of two 2 s compiles on the client
    assert model.client_compiles(40, 8) == pytest.approx(4 + 47.5 + 40)
    memory = bench.worker_memory(record)
    assert memory["a"] == {"regions": 3, "peak": 740.0, "first": 180, "last": 182}
