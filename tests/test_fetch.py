"""``python -m helpers fetch cbs|eurostat`` on constructed answers (tests/fixtures/fetch, see its README).

The network is replaced below ``requests`` (the HTTP adapter): the real clients (``cbsodata``, ``sdmx1``) build their
real requests and parse the fixtures. Expected values are read off the fixtures by hand (the region file's sections
as published; its coarser groups as the published aggregate, or the sum of its sections written out here).
"""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPSConnection
from urllib3.exceptions import MaxRetryError, NameResolutionError

from helpers import regions
from helpers.fetch import cbs, cli, eurostat
from helpers.fetch.writer import COLUMNS

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
CBS_FEEDS = FIXTURES / "cbs_83582NED"
ESTAT_XML = FIXTURES / "estat_nama_10r_3empers_DE94B_2015.xml"
SDMX_DATA = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"

# The fixture's December 2015 jobs of employees (x 1 000), sections A..S, as published in TypedDataSet.json.
CR17_SECTIONS = {"A": 4.3, "B": 0.2, "C": 28.6, "D": 2.1, "E": 2.4, "F": 18.5, "G": 82.7, "H": 19.4, "I": 27.9,
                 "J": 46.3, "K": 26.8, "L": 6.2, "M": 55.1, "N": 52.4, "O": 34.6, "P": 41.8, "Q": 98.3, "R": 11.6,
                 "S": 10.2}
NL_SECTIONS = {"A": 92.5, "B": 9.8, "C": 752.4, "D": 27.6, "E": 31.2, "F": 318.7, "G": 1281.5, "H": 392.6,
               "I": 338.9, "J": 246.3, "K": 228.4, "L": 71.9, "M": 442.7, "N": 806.3, "O": 408.2, "P": 487.5,
               "Q": 1263.8, "R": 112.4, "S": 127.6}
# The same at Eurostat's groups: B-E, G-I and R-U as CBS publishes them; M-N and O-Q, which it does not, summed.
CR17_GROUPS = {"A": 4.3, "B-E": 33.3, "F": 18.5, "G-I": 130.0, "J": 46.3, "K": 26.8, "L": 6.2,
               "M-N": 55.1 + 52.4, "O-Q": 34.6 + 41.8 + 98.3, "R-U": 22.2}
NL_GROUPS = {"A": 92.5, "B-E": 821.0, "F": 318.7, "G-I": 2013.0, "J": 246.3, "K": 228.4, "L": 71.9,
             "M-N": 442.7 + 806.3, "O-Q": 408.2 + 487.5 + 1263.8, "R-U": 244.8}
# The Eurostat fixture's 2015 persons employed (thousands); M_N written M-N, C and TOTAL left out.
DE94B_GROUPS = {"A": 9.8, "B-E": 41.2, "F": 15.3, "G-I": 38.9, "J": 2.6, "K": 3.4, "L": 1.2, "M-N": 14.7,
                "O-Q": 37.1, "R-U": 6.8}
DE_GROUPS = {"A": 615.0, "B-E": 8112.0, "F": 2468.0, "G-I": 9976.0, "J": 1276.0, "K": 1140.0, "L": 458.0,
             "M-N": 5889.0, "O-Q": 11140.0, "R-U": 2903.0}

SIDECAR_KEYS = {"source", "table_id", "retrieved", "query", "concept", "reference_file"}


class FakeWeb:
    """Stands in for the network below ``requests``: answers from the fixtures and records every URL asked for."""

    def __init__(self):
        self.urls: list[str] = []
        self.offline = False
        self.edit_cbs_rows = None  # a function that changes the data feed's rows before they are served
        self.cbs_unit = None  # another unit for the measure in DataProperties
        self.estat_body = ESTAT_XML.read_bytes()

    def send(self, request, **kwargs):
        self.urls.append(request.url)
        parts = urlsplit(request.url)
        if self.offline:
            # What requests raises when the name cannot be resolved (urllib3's own exceptions, as on this machine).
            reason = NameResolutionError(parts.hostname, HTTPSConnection(parts.hostname, 443),
                                         socket.gaierror(-2, "Name or service not known"))
            raise requests.ConnectionError(MaxRetryError(None, parts.path, reason), request=request)
        if parts.hostname == cbs.HOST and f"/ODataFeed/odata/{cbs.TABLE_ID}/" in parts.path:
            feed = parts.path.rsplit("/", 1)[1] or "index"
            document = json.loads((CBS_FEEDS / f"{feed}.json").read_text(encoding="utf-8"))
            if feed == "TypedDataSet" and self.edit_cbs_rows:
                self.edit_cbs_rows(document["value"])
            if feed == "DataProperties" and self.cbs_unit:
                next(p for p in document["value"] if p["Key"] == cbs.MEASURE)["Unit"] = self.cbs_unit
            return self._response(request, 200, json.dumps(document).encode(), "application/json;charset=utf-8")
        if parts.hostname == eurostat.HOST and parts.path.endswith(f"/data/{eurostat.DATASET}/A.THS.EMP..DE94B+DE"):
            return self._response(request, 200, self.estat_body, SDMX_DATA)
        return self._response(request, 404, b"not in the fixtures", "text/plain")

    @staticmethod
    def _response(request, status: int, body: bytes, content_type: str) -> requests.Response:
        response = requests.Response()
        response.status_code, response.url, response.request = status, request.url, request
        response.headers = CaseInsensitiveDict({"content-type": content_type})
        response._content, response.encoding, response.raw = body, "utf-8", io.BytesIO(body)
        return response


@pytest.fixture
def web(monkeypatch):
    fake = FakeWeb()
    monkeypatch.setattr(HTTPAdapter, "send", lambda adapter, request, **kwargs: fake.send(request, **kwargs))
    return fake


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == COLUMNS
        return list(reader)


def check_file(path: Path, expected: dict[str, float], **fixed: str) -> None:
    """Row by row: the sections/groups in order, their values, and the columns that are the same on every row."""
    rows = read_rows(path)
    assert [r["nace_section"] for r in rows] == list(expected)
    for row, (code, value) in zip(rows, expected.items()):
        assert float(row["employees_thousands"]) == pytest.approx(value, abs=1e-9), code
        assert {k: row[k] for k in fixed} == fixed, code


def check_sidecar(path: Path, reference_file: str | None, **expected) -> dict:
    """The contract's keys (a country's reference names no reference file: it is one) and the expected values."""
    sidecar = json.loads(path.read_text(encoding="utf-8"))
    assert SIDECAR_KEYS - {"reference_file"} <= set(sidecar)
    assert sidecar.get("reference_file") == reference_file
    assert abs((date.fromisoformat(sidecar["retrieved"]) - date.today()).days) <= 1
    assert {k: sidecar[k] for k in expected} == expected
    return sidecar


def one_error_line(captured) -> str:
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    return lines[0]


# --- both sources -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, stem, country, source, region, reference", [
    (["cbs", "--corop", "cr17"], "corop-cr17", "NL", "CBS StatLine 83582NED",
     ("Utrecht (COROP CR17)", "", CR17_SECTIONS), ("Nederland", "NL", NL_SECTIONS)),
    (["eurostat", "--nuts", "de94b"], "nuts3-de94b", "DE", "Eurostat nama_10r_3empers",
     ("NUTS 3 region DE94B", "DE94B", DE94B_GROUPS), ("Deutschland", "DE", DE_GROUPS)),
], ids=["cbs", "eurostat"])
def test_writes_the_region_and_the_country(web, tmp_path, argv, stem, country, source, region, reference):
    """The region's file and its country's, row by row; ``region`` and ``reference`` are (name, NUTS code, values)."""
    assert cli.main([*argv, "--year", "2015", "--out", str(tmp_path)]) == 0
    common = {"country": country, "reference_year": "2015", "source": source, "nuts_version": ""}
    for file_stem, (name, nuts_code, expected) in ((stem, region), (f"{stem}-reference", reference)):
        check_file(tmp_path / f"{file_stem}.csv", expected, region_id=file_stem, region_name=name,
                   nuts_code=nuts_code, **common)


# --- Statistics Netherlands --------------------------------------------------------------------------------------

def test_cbs_records_its_one_query_in_both_sidecars(web, tmp_path, capsys):
    assert cli.main(["cbs", "--corop", "cr17", "--year", "2015", "--out", str(tmp_path)]) == 0
    sidecar = check_sidecar(tmp_path / "corop-cr17.provenance.json", "corop-cr17-reference.csv",
                            table_id="83582NED", concept="jobs of employees", reference_year=2015,
                            level="NACE sections A to S", unit="thousands", source_unit="x 1 000",
                            figures_status="Definitief", published_total_thousands=569.8)
    reference_sidecar = check_sidecar(tmp_path / "corop-cr17-reference.provenance.json", None, table_id="83582NED",
                                      role="country reference", reference_for="corop-cr17.csv",
                                      published_total_thousands=7445.1)
    assert sidecar["query"] == reference_sidecar["query"]  # one query, one retrieval for both
    # The recorded query is the very request the client sent for the data, filtered to the region and the country.
    data_requests = [u for u in web.urls if "/TypedDataSet?" in u]
    assert data_requests == [sidecar["query"]]
    query = unquote_plus(sidecar["query"])
    assert "startswith(RegioS,'CR17') or startswith(RegioS,'NL01')" in query and "Perioden eq '2015JJ00'" in query
    out = capsys.readouterr().out
    assert "corop-cr17.csv (19 rows at the level of NACE sections A to S" in out


def test_cbs_falls_back_to_groups_for_both_files_when_a_section_is_suppressed(web, tmp_path):
    def suppress_mining_and_energy(rows):
        for row in rows:
            if row["RegioS"].strip() == "CR17" and row["BedrijfstakkenBranchesSBI2008"] in ("302000", "319100"):
                row["BanenVanWerknemersInDecember_1"] = None  # B and D: "." in StatLine

    web.edit_cbs_rows = suppress_mining_and_energy
    assert cli.main(["cbs", "--corop", "CR17", "--year", "2015", "--out", str(tmp_path)]) == 0
    check_file(tmp_path / "corop-cr17.csv", CR17_GROUPS, region_id="corop-cr17")
    check_file(tmp_path / "corop-cr17-reference.csv", NL_GROUPS, region_id="corop-cr17-reference")
    sidecar = json.loads((tmp_path / "corop-cr17.provenance.json").read_text())
    assert sidecar["level"].startswith("Eurostat's NUTS 3 groups") and "R-U includes T and U" in sidecar["level_note"]


def test_cbs_without_a_complete_group_writes_nothing_and_says_which(web, tmp_path, capsys):
    def suppress_industry(rows):
        for row in rows:
            if row["RegioS"].strip() == "CR17" and row["BedrijfstakkenBranchesSBI2008"] in ("302000", "300004"):
                row["BanenVanWerknemersInDecember_1"] = None  # B and the aggregate B-E

    web.edit_cbs_rows = suppress_industry
    assert cli.main(["cbs", "--corop", "CR17", "--year", "2015", "--out", str(tmp_path)]) == 1
    line = one_error_line(capsys.readouterr())
    assert "no figure for B-E in Utrecht (COROP CR17) (2015)" in line
    assert list(tmp_path.iterdir()) == []


def test_cbs_measure_in_another_unit(web, tmp_path, capsys):
    def in_jobs(rows):
        for row in rows:
            if row["BanenVanWerknemersInDecember_1"] is not None:
                row["BanenVanWerknemersInDecember_1"] = round(row["BanenVanWerknemersInDecember_1"] * 1000)

    web.cbs_unit, web.edit_cbs_rows = "aantal", in_jobs  # plain counts: written in thousands
    assert cli.main(["cbs", "--corop", "CR17", "--year", "2015", "--out", str(tmp_path)]) == 0
    check_file(tmp_path / "corop-cr17.csv", CR17_SECTIONS)
    web.cbs_unit = "%"
    assert cli.main(["cbs", "--corop", "CR17", "--year", "2015", "--out", str(tmp_path / "again")]) == 1
    assert one_error_line(capsys.readouterr()) == ("error: table 83582NED gives BanenVanWerknemersInDecember_1 in "
                                                  "'%', not 'x 1 000'; this fetcher needs updating")


def test_cbs_year_not_yet_in_the_table(web, tmp_path, capsys):
    year = cbs.last_year()  # after the fixture's last year, 2024
    assert cli.main(["cbs", "--corop", "CR17", "--year", str(year), "--out", str(tmp_path)]) == 1
    assert one_error_line(capsys.readouterr()) == (f"error: table 83582NED has no figures for {year} yet; "
                                                  "it covers 2010 to 2024")


def test_cbs_corop_code_missing_from_the_table(web, tmp_path, capsys):
    assert cli.main(["cbs", "--corop", "CR05", "--year", "2015", "--out", str(tmp_path)]) == 1
    assert one_error_line(capsys.readouterr()) == ("error: table 83582NED has no COROP region CR05; "
                                                  "valid: CR01 to CR40")


# --- Eurostat ----------------------------------------------------------------------------------------------------

def test_eurostat_records_its_query_in_the_sidecar(web, tmp_path, capsys):
    assert cli.main(["eurostat", "--nuts", "de94b", "--year", "2015", "--out", str(tmp_path)]) == 0
    sidecar = check_sidecar(tmp_path / "nuts3-de94b.provenance.json", "nuts3-de94b-reference.csv",
                            table_id="nama_10r_3empers", concept="persons employed (self-employed included), annual",
                            published_total_thousands=171.0, unit="thousands")
    assert sidecar["level"].startswith("Eurostat's NUTS 3 groups")
    assert web.urls == [sidecar["query"]]
    assert sidecar["query"] == ("https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/nama_10r_3empers/"
                                "A.THS.EMP..DE94B+DE?startPeriod=2015&endPeriod=2015")
    assert "10 rows" in capsys.readouterr().out


def test_eurostat_name_option_and_a_withheld_group(web, tmp_path, capsys):
    assert cli.main(["eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(tmp_path),
                     "--name", "Landkreis Emsland"]) == 0
    assert {r["region_name"] for r in read_rows(tmp_path / "nuts3-de94b.csv")} == {"Landkreis Emsland"}
    web.estat_body = web.estat_body.replace(b'nace_r2="K" geo="DE94B"><Obs TIME_PERIOD="2015" OBS_VALUE="3.4"',
                                            b'nace_r2="K" geo="DE94B"><Obs TIME_PERIOD="2015" OBS_VALUE="NaN"')
    assert b'OBS_VALUE="NaN"' in web.estat_body
    assert cli.main(["eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(tmp_path / "again")]) == 1
    assert "no figure for K in NUTS 3 region DE94B (2015)" in one_error_line(capsys.readouterr())


# --- failures: no network, bad arguments -------------------------------------------------------------------------

@pytest.mark.parametrize("argv, service", [
    (["cbs", "--corop", "CR17", "--year", "2015"], "Statistics Netherlands (opendata.cbs.nl)"),
    (["eurostat", "--nuts", "DE94B", "--year", "2015"], "Eurostat (ec.europa.eu)"),
])
def test_without_a_network_one_clear_line(web, tmp_path, capsys, argv, service):
    web.offline = True
    assert cli.main([*argv, "--out", str(tmp_path)]) == 1
    host = service.split("(")[1].rstrip(")")
    assert one_error_line(capsys.readouterr()) == (f"error: cannot reach {service}: Failed to resolve '{host}' "
                                                  "([Errno -2] Name or service not known); check your connection")
    assert web.urls and list(tmp_path.iterdir()) == []


def test_an_out_folder_that_cannot_be_written_is_one_line(web, tmp_path, capsys):
    occupied = tmp_path / "regions"
    occupied.write_text("a file, not a folder")
    assert cli.main(["eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(occupied)]) == 1
    assert one_error_line(capsys.readouterr()).startswith(f"error: cannot write to {occupied}: ")


@pytest.mark.parametrize("argv, valid", [
    (["cbs", "--corop", "XY12", "--year", "2015"], "valid: CR01 to CR40"),
    (["cbs", "--corop", "CR41", "--year", "2015"], "valid: CR01 to CR40"),
    (["cbs", "--corop", "CR17", "--year", "1990"], "valid: 2010 to"),
    (["cbs", "--corop", "CR17", "--year", "soon"], "expected a year such as 2015"),
    (["eurostat", "--nuts", "FR101", "--year", "2015"], "valid: NL or DE followed by three letters or digits"),
    (["eurostat", "--nuts", "DE9", "--year", "2015"], "valid: NL or DE followed by three letters or digits"),
    (["eurostat", "--nuts", "DE94B", "--year", "1999"], "valid: 2000 to"),
    (["wikipedia", "--year", "2015"], "invalid choice: 'wikipedia'"),
])
def test_bad_arguments_one_line_naming_the_valid_choices(web, capsys, argv, valid):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert valid in one_error_line(captured) and captured.out == ""
    assert web.urls == []  # nothing was asked of any service


def test_region_ids_do_not_clash_with_the_report_regions():
    for rid in ("corop-cr17", "corop-cr17-reference", "nuts3-de94b", "nuts3-de94b-reference", "nuts3-nl414"):
        with pytest.raises(regions.UnknownRegionError):
            regions.resolve(rid)
    assert cbs.region_id(cbs.corop_code("17")) == "corop-cr17"
    assert eurostat.region_id(eurostat.nuts3_code(" nl414 ")) == "nuts3-nl414"


def test_the_book_command_line_offers_fetch(web, tmp_path):
    from regbook.cli import main

    assert main(["fetch", "eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(tmp_path)]) == 0
    check_file(tmp_path / "nuts3-de94b.csv", DE94B_GROUPS)


def _modules_after(code: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_fetch_imports_no_build_stack_and_the_build_no_client():
    heavy = "[m for m in sorted(sys.modules) if m.startswith('regbook') or m.split('.')[0] in " \
            "('cbsodata', 'sdmx', 'pandas')]"
    fetch_run = ("import json, runpy, sys\n"
                 "sys.argv = ['helpers', 'fetch', 'cbs', '--corop', 'XY', '--year', '2015']\n"
                 "try:\n    runpy.run_module('helpers', run_name='__main__', alter_sys=True)\n"
                 "except SystemExit as exc:\n    assert exc.code == 2, exc.code\n"
                 f"print(json.dumps({heavy}))")
    assert _modules_after(fetch_run) == []
    build_import = ("import json, sys\nfrom regbook import cli, driver\ncli.parser()\n"
                    "print(json.dumps([m for m in sorted(sys.modules) if m.split('.')[0] in ('cbsodata', 'sdmx')]))")
    assert _modules_after(build_import) == []


@pytest.mark.parametrize("argv, stem, level, expected", [
    (["cbs", "--corop", "CR17"], "corop-cr17", "section", CR17_SECTIONS),
    (["eurostat", "--nuts", "DE94B"], "nuts3-de94b", "eurostat_nuts3", DE94B_GROUPS),
])
def test_fetched_files_pass_the_region_file_schema(web, tmp_path, argv, stem, level, expected):
    """What a fetch writes is what ``--region-file`` reads: a folder of them builds the region, not its reference."""
    region_file = pytest.importorskip("helpers.region_file")
    assert cli.main([*argv, "--year", "2015", "--out", str(tmp_path)]) == 0
    region = region_file.load(tmp_path / f"{stem}.csv", register=False)
    assert (region.id, region.level, region.reference_year) == (stem, level, 2015)
    assert region.employees.to_dict() == pytest.approx(expected)
    assert region.reference is not None and region.reference.id == f"{stem}-reference"
    assert region_file.region_files(tmp_path) == [(tmp_path / f"{stem}.csv").resolve()]
