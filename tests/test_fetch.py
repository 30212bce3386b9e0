"""``python -m helpers fetch cbs|eurostat`` on the real answers in tests/fixtures/fetch (see its README for which
values are real), from the network (replaced) and from saved answers.

The network is replaced below ``requests`` (the HTTP adapter): the real clients (``cbsodata``, ``sdmx1``) build their
real requests and parse the fixtures. A folder as ``cbsodata.download_data`` writes it is made by running that
function against the same replaced network. Expected values are read off the fixtures by hand (the groups as
published, or, where the source publishes only their parts, the sum written out here).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
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

from helpers import regions, sector_levels
from helpers.fetch import cbs, cli, code_lists, eurostat
from helpers.fetch.writer import COLUMNS, Area, FetchError, complete_level

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
CBS_FEEDS = FIXTURES / "cbs_83582NED"
ESTAT_GENERIC = FIXTURES / "estat_nama_10r_3empers_DE94B_2015_generic.xml"
ESTAT_SS = FIXTURES / "estat_nama_10r_3empers_DE94B_2015_ss.xml"
ESTAT_CSV_BE = FIXTURES / "estat_nama_10r_3empers_BE332_2015.csv"
MEDIA = {
    "generic": "application/vnd.sdmx.genericdata+xml;version=2.1",
    "ss": "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
}

# CBS 83582NED, December 2015, jobs of employees (x 1 000). CR17 (Utrecht): the real A-U and A10 aggregates; its
# sections are unknown (null), so the file holds the ten groups. NL01: the fixture's constructed figures, where
# CBS's published aggregates (B-E 821.0, G-I 2013.0, M-N 1249.0, O-Q 2159.5, R-U 240.0) are taken as published.
CR17_A10 = {
    "A": 2.2,
    "B-E": 40.1,
    "F": 26.8,
    "G-I": 161.3,
    "J": 37.5,
    "K": 35.9,
    "L": 5.6,
    "M-N": 120.9,
    "O-Q": 206.3,
    "R-U": 29.7,
}
NL_A10 = {
    "A": 92.5,
    "B-E": 821.0,
    "F": 318.7,
    "G-I": 2013.0,
    "J": 246.3,
    "K": 228.4,
    "L": 71.9,
    "M-N": 1249.0,
    "O-Q": 2159.5,
    "R-U": 240.0,
}
# Eurostat nama_10r_3empers, 2015, persons employed (thousands). DE94B (Grafschaft Bentheim), real: Eurostat
# publishes only these groups (and TOTAL 69.37) for a German NUTS 3 region; C is manufacturing, part of B-E.
DE94B = {"A": 2.58, "B-E": 13.68, "C": 12.15, "F": 5.52, "G-J": 19.37, "K-N": 9.47, "O-U": 18.75}
# Germany at the same level, as the fixture has it (G-I 9846 real, the rest constructed; see the README).
DE = {"A": 615.0, "B-E": 8112.0, "C": 7568.0, "F": 2468.0, "G-J": 11122.0, "K-N": 7487.0, "O-U": 14043.0}
# BE332 (Arr. Liège) and Belgium, 2015, real (datacommonsorg/data's extract of nama_10r_3empers): every A10 group
# and C, so the files hold Eurostat's ten groups with manufacturing beside B-E.
BE332 = {
    "A": 0.9,
    "B-E": 26.0,
    "C": 22.4,
    "F": 14.1,
    "G-I": 51.1,
    "J": 4.3,
    "K": 4.5,
    "L": 1.5,
    "M-N": 37.0,
    "O-Q": 83.5,
    "R-U": 8.1,
}
BE = {
    "A": 60.4,
    "B-E": 552.7,
    "C": 499.5,
    "F": 271.9,
    "G-I": 987.2,
    "J": 112.5,
    "K": 125.2,
    "L": 26.1,
    "M-N": 877.1,
    "O-Q": 1410.7,
    "R-U": 193.6,
}

SIDECAR_KEYS = {"source", "table_id", "retrieved", "query", "concept", "reference_file"}


class FakeWeb:
    """Stands in for the network below ``requests``: answers from the fixtures and records every URL asked for."""

    def __init__(self):
        self.urls: list[str] = []
        self.offline = False
        self.edit_cbs_rows = None  # a function that changes the data feed's rows before they are served
        self.cbs_unit = None  # another unit for the measure in DataProperties
        self.estat_form = "generic"  # Eurostat's default answer; "ss" for structure-specific
        self.estat_edit = None  # a function that changes Eurostat's answer (bytes) before it is served

    def send(self, request, **kwargs):
        self.urls.append(request.url)
        parts = urlsplit(request.url)
        if self.offline:
            # What requests raises when the name cannot be resolved (urllib3's own exceptions, as on this machine).
            reason = NameResolutionError(
                parts.hostname, HTTPSConnection(parts.hostname, 443), socket.gaierror(-2, "Name or service not known")
            )
            raise requests.ConnectionError(MaxRetryError(None, parts.path, reason), request=request)
        if parts.hostname == cbs.HOST and f"/{cbs.TABLE_ID}/" in parts.path:
            feed = parts.path.rsplit("/", 1)[1] or "index"
            if not (CBS_FEEDS / f"{feed}.json").exists():
                return self._response(request, 200, b'{"value": []}', "application/json")
            document = json.loads((CBS_FEEDS / f"{feed}.json").read_text(encoding="utf-8"))
            if feed == "TypedDataSet" and self.edit_cbs_rows:
                self.edit_cbs_rows(document["value"])
            if feed == "DataProperties" and self.cbs_unit:
                next(p for p in document["value"] if p["Key"] == cbs.MEASURE)["Unit"] = self.cbs_unit
            return self._response(request, 200, json.dumps(document).encode(), "application/json;charset=utf-8")
        if parts.hostname == eurostat.HOST and parts.path.endswith(f"/data/{eurostat.DATASET}/A.THS.EMP..DE94B+DE"):
            body = (ESTAT_GENERIC if self.estat_form == "generic" else ESTAT_SS).read_bytes()
            return self._response(
                request, 200, self.estat_edit(body) if self.estat_edit else body, MEDIA[self.estat_form]
            )
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


@pytest.fixture
def downloaded(web, tmp_path) -> Path:
    """The folder ``cbsodata.download_data('83582NED', dir=...)`` writes, from the real-shaped feeds."""
    import cbsodata

    folder = tmp_path / "83582NED"
    cbsodata.download_data(cbs.TABLE_ID, dir=str(folder))
    web.urls.clear()
    return folder


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
    assert {k: sidecar[k] for k in expected} == expected
    return sidecar


def one_error_line(captured) -> str:
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    return lines[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- both sources, from the network and from saved answers -------------------------------------------------------

NETWORK_CASES = {
    "cbs": (
        ["cbs", "--corop", "cr17"],
        "corop-cr17",
        "NL",
        "CBS StatLine 83582NED",
        ("Utrecht (COROP CR17)", "", CR17_A10),
        ("Nederland", "NL", NL_A10),
    ),
    "eurostat-generic": (
        ["eurostat", "--nuts", "de94b"],
        "nuts3-de94b",
        "DE",
        "Eurostat nama_10r_3empers",
        ("Grafschaft Bentheim", "DE94B", DE94B),
        ("Deutschland", "DE", DE),
    ),
    "eurostat-structure-specific": (
        ["eurostat", "--nuts", "de94b"],
        "nuts3-de94b",
        "DE",
        "Eurostat nama_10r_3empers",
        ("Grafschaft Bentheim", "DE94B", DE94B),
        ("Deutschland", "DE", DE),
    ),
}


def _check_both(tmp_path, stem, country, source, region, reference, year="2015"):
    common = {"country": country, "reference_year": year, "source": source, "nuts_version": ""}
    for file_stem, (name, nuts_code, expected) in ((stem, region), (f"{stem}-reference", reference)):
        check_file(
            tmp_path / f"{file_stem}.csv",
            expected,
            region_id=file_stem,
            region_name=name,
            nuts_code=nuts_code,
            **common,
        )


@pytest.mark.parametrize("case", list(NETWORK_CASES))
def test_writes_the_region_and_the_country_from_the_network(web, tmp_path, case):
    """The region's file and its country's, row by row, from the network; ``region`` and ``reference`` are (name,
    NUTS code, values)."""
    argv, stem, country, source, region, reference = NETWORK_CASES[case]
    web.estat_form = "ss" if case.endswith("specific") else "generic"
    assert cli.main([*argv, "--year", "2015", "--out", str(tmp_path)]) == 0
    _check_both(tmp_path, stem, country, source, region, reference)


@pytest.mark.parametrize(
    "saved, form", [(ESTAT_GENERIC, "SDMX-ML 2.1 generic"), (ESTAT_SS, "SDMX-ML 2.1 structure-specific")]
)
def test_eurostat_from_a_saved_sdmx_ml_answer(web, tmp_path, capsys, saved, form):
    """No network at all: the file, its hash and the date it says it was extracted are the provenance."""
    web.offline = True
    assert (
        cli.main(["eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(tmp_path), "--from-file", str(saved)])
        == 0
    )
    assert web.urls == []
    _check_both(
        tmp_path,
        "nuts3-de94b",
        "DE",
        "Eurostat nama_10r_3empers",
        ("Grafschaft Bentheim", "DE94B", DE94B),
        ("Deutschland", "DE", DE),
    )
    sidecar = check_sidecar(
        tmp_path / "nuts3-de94b.provenance.json",
        "nuts3-de94b-reference.csv",
        retrieved="2026-12-04",
        level_code="de_nuts3",
        published_total_thousands=69.37,
    )
    assert sidecar["saved_answer"] == {
        "file": str(saved),
        "sha256": sha256(saved),
        "format": form,
        "extracted": "2026-12-04",
    }  # the header's <m:Extracted>
    assert "7 rows at the level of the six groups Eurostat publishes for German NUTS 3" in capsys.readouterr().out


def test_eurostat_from_the_data_browsers_sdmx_csv_a_belgian_region(web, tmp_path):
    """Arr. Liège and Belgium: every A10 group and C, named from the NUTS code list."""
    web.offline = True
    assert (
        cli.main(
            ["eurostat", "--nuts", "BE332", "--year", "2015", "--out", str(tmp_path), "--from-file", str(ESTAT_CSV_BE)]
        )
        == 0
    )
    a10_with_c = {k: v for k, v in BE332.items()}
    _check_both(
        tmp_path,
        "nuts3-be332",
        "BE",
        "Eurostat nama_10r_3empers",
        ("Arr. Liège", "BE332", a10_with_c),
        ("Belgique-België", "BE", BE),
    )
    sidecar = check_sidecar(
        tmp_path / "nuts3-be332.provenance.json",
        "nuts3-be332-reference.csv",
        level_code="a10",
        published_total_thousands=231.0,
    )
    assert sidecar["saved_answer"]["format"] == "SDMX-CSV 1.0"
    assert sidecar["saved_answer"]["sha256"] == sha256(ESTAT_CSV_BE)
    assert sidecar["saved_answer"]["source_last_update"] == "2020-03-03"  # LAST UPDATE 03/03/20 (dd/mm/yy)
    # the CSV states no extraction date: the file's own date is what the provenance can say
    assert sidecar["retrieved"] == date.fromtimestamp(os.stat(ESTAT_CSV_BE).st_mtime).isoformat()


def test_cbs_from_the_folder_cbsodata_download_data_writes(web, downloaded, tmp_path):
    web.offline = True
    out = tmp_path / "out"
    assert (
        cli.main(["cbs", "--corop", "CR17", "--year", "2015", "--out", str(out), "--from-file", str(downloaded)]) == 0
    )
    assert web.urls == []
    _check_both(
        out,
        "corop-cr17",
        "NL",
        "CBS StatLine 83582NED",
        ("Utrecht (COROP CR17)", "", CR17_A10),
        ("Nederland", "NL", NL_A10),
    )
    sidecar = check_sidecar(
        out / "corop-cr17.provenance.json",
        "corop-cr17-reference.csv",
        level_code="a10",
        figures_status="Definitief",
        published_total_thousands=666.3,
    )
    files = sidecar["saved_answer"]["files_sha256"]
    assert files["TypedDataSet.json"] == sha256(downloaded / "TypedDataSet.json")
    assert set(files) == {
        "TypedDataSet.json",
        "RegioS.json",
        "Perioden.json",
        "DataProperties.json",
        "BedrijfstakkenBranchesSBI2008.json",
        "TableInfos.json",
    }


def test_cbs_from_a_folder_with_the_untyped_data_feed(web, downloaded, tmp_path):
    """``download_data(typed=True)`` writes UntypedDataSet.json, values as text ("   666.3", "       ." for none);
    here made from the typed feed (the same values, written as StatLine writes untyped ones)."""
    typed = json.loads((downloaded / "TypedDataSet.json").read_text(encoding="utf-8"))
    for row in typed:
        value = row[cbs.MEASURE]
        row[cbs.MEASURE] = "       ." if value is None else f"{value:>10}"
    (downloaded / "TypedDataSet.json").unlink()
    (downloaded / "UntypedDataSet.json").write_text(json.dumps(typed), encoding="utf-8")
    assert (
        cli.main(
            ["cbs", "--corop", "CR17", "--year", "2015", "--out", str(tmp_path / "out"), "--from-file", str(downloaded)]
        )
        == 0
    )
    check_file(tmp_path / "out" / "corop-cr17.csv", CR17_A10)


def test_cbs_folder_without_its_data_feed_is_one_line(web, downloaded, tmp_path, capsys):
    (downloaded / "TypedDataSet.json").unlink()
    assert (
        cli.main(
            ["cbs", "--corop", "CR17", "--year", "2015", "--out", str(tmp_path / "out"), "--from-file", str(downloaded)]
        )
        == 1
    )
    assert one_error_line(capsys.readouterr()) == (
        f"error: {downloaded}: no TypedDataSet.json or "
        "UntypedDataSet.json; expected the folder "
        "cbsodata.download_data('83582NED', dir=...) writes"
    )
    assert not (tmp_path / "out").exists()


# --- the level a source really publishes -------------------------------------------------------------------------


def test_de94b_the_six_german_groups_and_a_reference_at_the_same_level(web, tmp_path):
    """The issue's figures for Grafschaft Bentheim: TOTAL 69.37, A 2.58, B-E 13.68, C 12.15, F 5.52, G-J 19.37,
    K-N 9.47, O-U 18.75; Germany from the same answer at the same level, although it has the ten groups too."""
    assert cli.main(["eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(tmp_path)]) == 0
    check_file(tmp_path / "nuts3-de94b.csv", DE94B)
    check_file(tmp_path / "nuts3-de94b-reference.csv", DE)
    assert pytest.approx(69.37) == 2.58 + 13.68 + 5.52 + 19.37 + 9.47 + 18.75  # the groups add up to TOTAL
    sidecar = json.loads((tmp_path / "nuts3-de94b.provenance.json").read_text())
    assert "no share or location quotient can be given for, say, ICT" in sidecar["level_note"]


def test_the_level_is_the_finest_complete_for_both_areas():
    """Hand-made areas (a unit test of the choice, not a source's shape): sections for both -> sections; a section
    missing in the region -> the ten groups, summed from sections where a group is unpublished (R-U = R + S: T and U
    absent count as nothing); only the German groups in the region -> those, with G-J = G-I + J, K-N = K + L + M-N,
    O-U = O-Q + R-U for the country."""
    sections = {s: float(i + 1) for i, s in enumerate(sector_levels.SECTIONS)}  # A=1 ... S=19
    country = Area("c", "Country", "XX", dict(sections))
    level, region, _ = complete_level(Area("r", "Region", "XX", dict(sections)), country, "src", 2015)
    assert level == "section" and region == sections
    gappy = dict(sections) | {"H": None}
    level, region, reference = complete_level(Area("r", "Region", "XX", gappy | {"G-I": 24.0}), country, "src", 2015)
    assert level == "a10"  # with C, manufacturing, beside B-E: both areas publish it
    assert reference == {
        "A": 1,
        "B-E": 2 + 3 + 4 + 5,
        "C": 3,
        "F": 6,
        "G-I": 7 + 8 + 9,
        "J": 10,
        "K": 11,
        "L": 12,
        "M-N": 13 + 14,
        "O-Q": 15 + 16 + 17,
        "R-U": 18 + 19,
    }
    assert list(reference)[:3] == ["A", "B-E", "C"] and region["G-I"] == 24
    german = {"A": 1.0, "B-E": 14.0, "C": 3.0, "F": 6.0, "G-J": 34.0, "K-N": 50.0, "O-U": 85.0}
    level, region, reference = complete_level(Area("r", "Region", "XX", german), country, "src", 2015)
    assert level == "de_nuts3" and region == german
    assert reference == {
        "A": 1,
        "B-E": 14,
        "C": 3,
        "F": 6,
        "G-J": 7 + 8 + 9 + 10,
        "K-N": 11 + 12 + 13 + 14,
        "O-U": 15 + 16 + 17 + 18 + 19,
    }
    with pytest.raises(
        FetchError,
        match=r"only A, B-E, F, G-J, K-N: no level is complete; even the six groups .* "
        r"lacks O-U",
    ):
        complete_level(
            Area("r", "Region", "XX", {k: v for k, v in german.items() if k not in ("O-U", "C")}), country, "src", 2015
        )


def test_geo_present_but_no_complete_level_names_what_is_published_and_missing(web, tmp_path, capsys):
    web.estat_edit = lambda body: body.replace(
        b'value="O-U"/><g:Value id="geo" value="DE94B"/>', b'value="O-U"/><g:Value id="geo" value="XX"/>'
    )
    assert cli.main(["eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(tmp_path)]) == 1
    line = one_error_line(capsys.readouterr())
    assert "Grafschaft Bentheim (DE94B, 2015) only TOTAL, A, B-E, C, F, G-J, K-N: no level is complete" in line
    assert line.endswith("lacks O-U")
    assert list(tmp_path.iterdir()) == []


# --- errors that say the real thing -------------------------------------------------------------------------------


def test_geo_not_in_the_answer_says_so_with_the_nuts_version_hint(tmp_path, capsys):
    assert (
        cli.main(
            ["eurostat", "--nuts", "BE331", "--year", "2015", "--out", str(tmp_path), "--from-file", str(ESTAT_CSV_BE)]
        )
        == 1
    )
    line = one_error_line(capsys.readouterr())
    assert "has no figures for BE331 (it holds geo BE, BE332)" in line and "NUTS version" in line
    assert list(tmp_path.iterdir()) == []


def test_a_year_outside_the_answer_names_the_years_it_holds(tmp_path, capsys):
    assert (
        cli.main(
            ["eurostat", "--nuts", "DE94B", "--year", "2016", "--out", str(tmp_path), "--from-file", str(ESTAT_GENERIC)]
        )
        == 1
    )
    assert one_error_line(capsys.readouterr()).endswith("holds no figures for 2016; it holds 2015")


def test_cbs_year_not_yet_in_the_table(web, tmp_path, capsys):
    year = cbs.SOURCE.last_year()  # after the fixture's last year, 2024
    assert cli.main(["cbs", "--corop", "CR17", "--year", str(year), "--out", str(tmp_path)]) == 1
    assert one_error_line(capsys.readouterr()) == (
        f"error: table 83582NED has no figures for {year}; it holds 2010 to 2024"
    )


def test_cbs_corop_region_missing_from_the_answer_lists_corop_codes_only(web, tmp_path, capsys):
    """The fixture's RegioS lists CR01 to CR17 and a key CR99, which is no COROP region."""
    assert cli.main(["cbs", "--corop", "CR20", "--year", "2015", "--out", str(tmp_path)]) == 1
    assert one_error_line(capsys.readouterr()) == (
        "error: table 83582NED has no COROP region CR20 (IJmond); it holds CR01 to CR17; valid: CR01 to CR40"
    )


def test_cbs_measure_in_another_unit(web, tmp_path, capsys):
    def in_jobs(rows):
        for row in rows:
            if row["BanenVanWerknemersInDecember_1"] is not None:
                row["BanenVanWerknemersInDecember_1"] = round(row["BanenVanWerknemersInDecember_1"] * 1000)

    web.cbs_unit, web.edit_cbs_rows = "aantal", in_jobs  # plain counts: written in thousands
    assert cli.main(["cbs", "--corop", "CR17", "--year", "2015", "--out", str(tmp_path)]) == 0
    check_file(tmp_path / "corop-cr17.csv", CR17_A10)
    web.cbs_unit = "%"
    assert cli.main(["cbs", "--corop", "CR17", "--year", "2015", "--out", str(tmp_path / "again")]) == 1
    assert one_error_line(capsys.readouterr()) == (
        "error: table 83582NED gives BanenVanWerknemersInDecember_1 in '%', not 'x 1 000'; this fetcher needs updating"
    )


def test_cbs_records_its_one_query_in_both_sidecars(web, tmp_path):
    assert cli.main(["cbs", "--corop", "cr17", "--year", "2015", "--out", str(tmp_path)]) == 0
    sidecar = check_sidecar(
        tmp_path / "corop-cr17.provenance.json",
        "corop-cr17-reference.csv",
        table_id="83582NED",
        concept="jobs of employees",
        reference_year=2015,
        unit="thousands",
        source_unit="x 1 000",
        figures_status="Definitief",
        published_total_thousands=666.3,
    )
    reference_sidecar = check_sidecar(
        tmp_path / "corop-cr17-reference.provenance.json",
        None,
        table_id="83582NED",
        role="country reference",
        reference_for="corop-cr17.csv",
        published_total_thousands=7445.1,
    )
    assert abs((date.fromisoformat(sidecar["retrieved"]) - date.today()).days) <= 1
    assert sidecar["query"] == reference_sidecar["query"]  # one query, one retrieval for both
    data_requests = [u for u in web.urls if "/TypedDataSet?" in u]
    assert data_requests == [sidecar["query"]]
    query = unquote_plus(sidecar["query"])
    assert "startswith(RegioS,'CR17') or startswith(RegioS,'NL01')" in query and "Perioden eq '2015JJ00'" in query


def test_eurostat_records_its_query_and_the_name_option(web, tmp_path):
    assert (
        cli.main(
            [
                "eurostat",
                "--nuts",
                "DE94B",
                "--year",
                "2015",
                "--out",
                str(tmp_path),
                "--name",
                "Landkreis Grafschaft Bentheim",
            ]
        )
        == 0
    )
    sidecar = json.loads((tmp_path / "nuts3-de94b.provenance.json").read_text())
    assert web.urls == [sidecar["query"]]
    assert sidecar["query"] == (
        "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/nama_10r_3empers/"
        "A.THS.EMP..DE94B+DE?startPeriod=2015&endPeriod=2015"
    )
    assert {r["region_name"] for r in read_rows(tmp_path / "nuts3-de94b.csv")} == {"Landkreis Grafschaft Bentheim"}


@pytest.mark.parametrize(
    "argv, service",
    [
        (["cbs", "--corop", "CR17", "--year", "2015"], "Statistics Netherlands (opendata.cbs.nl)"),
        (["eurostat", "--nuts", "DE94B", "--year", "2015"], "Eurostat (ec.europa.eu)"),
    ],
)
def test_without_a_network_one_clear_line(web, tmp_path, capsys, argv, service):
    web.offline = True
    assert cli.main([*argv, "--out", str(tmp_path)]) == 1
    host = service.split("(")[1].rstrip(")")
    assert one_error_line(capsys.readouterr()) == (
        f"error: cannot reach {service}: Failed to resolve '{host}' "
        "([Errno -2] Name or service not known); check your connection"
    )
    assert web.urls and list(tmp_path.iterdir()) == []


def test_an_out_folder_that_cannot_be_written_is_one_line(web, tmp_path, capsys):
    occupied = tmp_path / "regions"
    occupied.write_text("a file, not a folder")
    assert cli.main(["eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(occupied)]) == 1
    assert one_error_line(capsys.readouterr()).startswith(f"error: cannot write to {occupied}: ")


def test_saved_answers_that_are_not_one(web, tmp_path, capsys):
    """A device, a named pipe, a folder, a text file, a JSON file for Eurostat; a file for CBS's folder."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    notes = tmp_path / "notes.txt"
    notes.write_text("Werkgelegenheid per regio\n")
    html = tmp_path / "answer.xml"
    html.write_text("<html><body>Service unavailable</body></html>")
    cases = [
        (["eurostat", "--nuts", "DE94B", "--from-file", "/dev/null"], "/dev/null: is a character device"),
        (["eurostat", "--nuts", "DE94B", "--from-file", str(fifo)], f"{fifo}: is a named pipe"),
        (["eurostat", "--nuts", "DE94B", "--from-file", str(tmp_path)], f"{tmp_path}: is a folder"),
        (["eurostat", "--nuts", "DE94B", "--from-file", str(notes)], "not an SDMX-CSV answer of nama_10r_3empers"),
        (["eurostat", "--nuts", "DE94B", "--from-file", str(html)], "not an SDMX-ML answer Eurostat gives"),
        (["cbs", "--corop", "CR17", "--from-file", str(notes)], "a file; expected the folder cbsodata.download_data"),
        (["cbs", "--corop", "CR17", "--from-file", str(tmp_path / "none")], "missing; expected the folder"),
        (
            ["cbs", "--corop", "CR17", "--from-file", str(tmp_path)],
            "Perioden.json: file not found; expected the Perioden feed of table 83582NED",
        ),
    ]
    for argv, expected in cases:
        out = tmp_path / "out"
        assert cli.main([*argv, "--year", "2015", "--out", str(out)]) == 1, argv
        assert expected in one_error_line(capsys.readouterr()), argv
        assert not out.exists()


@pytest.mark.parametrize(
    "argv, valid",
    [
        (["cbs", "--corop", "XY12", "--year", "2015"], "valid: CR01 to CR40"),
        (["cbs", "--corop", "CR41", "--year", "2015"], "valid: CR01 to CR40"),
        (["cbs", "--corop", "CR99", "--year", "2015"], "valid: CR01 to CR40"),
        (["cbs", "--corop", "CR17", "--year", "1990"], "valid: 2010 to"),
        (["cbs", "--corop", "CR17", "--year", "soon"], "expected a year such as 2015"),
        (["eurostat", "--nuts", "FR10", "--year", "2015"], "valid: the country's two letters followed by three"),
        (["eurostat", "--nuts", "DE9", "--year", "2015"], "valid: the country's two letters followed by three"),
        (["eurostat", "--nuts", "DE94B", "--year", "1999"], "valid: 2000 to"),
        (["cbs", "--corop", "CR17", "--year", "2015", "--name", "  "], "the region's name is empty"),
        (
            ["eurostat", "--nuts", "DE94B", "--year", "2015", "--name", "Grafschaft\nBentheim"],
            "holds a line break or another control character",
        ),
        (["wikipedia", "--year", "2015"], "invalid choice: 'wikipedia'"),
    ],
)
def test_bad_arguments_one_line_naming_the_valid_choices(web, capsys, argv, valid):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert valid in one_error_line(captured) and captured.out == ""
    assert web.urls == []  # nothing was asked of any service


@pytest.mark.parametrize("source", cli.SOURCES, ids=[source.name for source in cli.SOURCES])
def test_both_sources_check_their_arguments_alike_from_python_and_the_command_line(web, tmp_path, capsys, source):
    """The year after the last full one, a code of the other source and an empty name: refused by the command line
    (one line, exit 2) and by the source's ``fetch`` called from Python (a ValueError with the same words), before
    any service is asked."""
    code, other_code = {"cbs": ("CR17", "DE94B"), "eurostat": ("DE94B", "CR17")}[source.name]
    last = date.today().year - 1
    cases = [
        (code, last + 1, None, f"year {last + 1} is outside {source.table}; valid: {source.first_year} to {last}"),
        (other_code, 2015, None, "valid: "),
        (code, 2015, " ", "the region's name is empty"),
    ]
    for each_code, year, name, expected in cases:
        argv = [source.name, source.option, each_code, "--year", str(year), "--out", str(tmp_path)]
        assert cli.main(argv + ([] if name is None else ["--name", name])) == 2
        assert expected in one_error_line(capsys.readouterr())
        with pytest.raises(ValueError) as err:
            source.fetch(each_code, year, tmp_path, name=name)
        assert expected in str(err.value)
    assert web.urls == [] and list(tmp_path.iterdir()) == []


def test_a_name_is_written_without_surrounding_spaces(web, tmp_path):
    assert (
        cli.main(
            [
                "eurostat",
                "--nuts",
                "DE94B",
                "--year",
                "2015",
                "--out",
                str(tmp_path),
                "--name",
                "  Landkreis Grafschaft Bentheim ",
            ]
        )
        == 0
    )
    assert {r["region_name"] for r in read_rows(tmp_path / "nuts3-de94b.csv")} == {"Landkreis Grafschaft Bentheim"}


# --- names from the sources' code lists ---------------------------------------------------------------------------


def test_the_corop_code_list_agrees_with_the_titles_cbs_gives():
    """The 40 names of data/corop_regions.csv are the real RegioS titles of 83582NED without ' (CR)'."""
    names = code_lists.corop_names()
    assert list(names) == [f"CR{n:02d}" for n in range(1, 41)]
    titles = {r["Key"].strip(): r["Title"] for r in json.loads((CBS_FEEDS / "RegioS.json").read_text())["value"]}
    shared = [k for k in titles if k in names]
    assert len(shared) == 17
    for key in shared:
        assert titles[key] == f"{names[key]} (CR)"


def test_the_nuts_code_list_names_the_reports_regions_and_countries():
    """The region registry's NUTS 2013 codes carry the report regions' names in Eurostat's NUTS 2013 list (this
    found Emsland filed as DE94B, Zuidoost-Drenthe as NL133 and Groot-Rijnmond as NL335, NUTS 2010's code)."""
    assert code_lists.nuts_name("DE94B") == "Grafschaft Bentheim"
    expected = {
        "zo-drenthe": "Zuidoost-Drenthe",
        "twente": "Twente",
        "groot-rijnmond": "Groot-Rijnmond",
        "zo-brabant": "Zuidoost-Noord-Brabant",
        "emsland": "Emsland",
        "bremen": "Bremen",
    }
    assert {r: code_lists.nuts_name(regions.get(r).nuts["2013"]) for r in expected} == expected
    assert code_lists.nuts_name("BE332") == "Arr. Liège"
    assert code_lists.country_name("DE") == "Deutschland" and code_lists.country_name("BE") == "Belgique-België"
    assert len(code_lists.countries()) == 28 and "EL" in code_lists.countries()


def test_a_code_without_a_name_in_the_list_says_so(tmp_path, capsys):
    """DE91C (Göttingen since NUTS 2016) is not in the NUTS 2013 list: the file is written, the user told."""
    edited = tmp_path / "answer.csv"
    edited.write_text(ESTAT_CSV_BE.read_text().replace(",BE332,", ",BE33X,"), encoding="utf-8")
    assert (
        cli.main(
            [
                "eurostat",
                "--nuts",
                "BE33X",
                "--year",
                "2015",
                "--out",
                str(tmp_path / "out"),
                "--from-file",
                str(edited),
            ]
        )
        == 0
    )
    assert "note: the NUTS 2013 code list has no name for BE33X; set one with --name" in capsys.readouterr().out
    assert {r["region_name"] for r in read_rows(tmp_path / "out" / "nuts3-be33x.csv")} == {"NUTS 3 region BE33X"}


def test_region_ids_do_not_clash_with_the_report_regions():
    for rid in ("corop-cr17", "corop-cr17-reference", "nuts3-de94b", "nuts3-de94b-reference", "nuts3-nl414"):
        with pytest.raises(regions.UnknownRegionError):
            regions.resolve(rid)
    assert cbs.SOURCE.region_id(cbs.corop_code("17")) == "corop-cr17"
    assert eurostat.SOURCE.region_id(eurostat.nuts3_code(" nl414 ")) == "nuts3-nl414"


def test_the_book_command_line_offers_fetch(web, tmp_path):
    from regbook.cli import main

    assert main(["fetch", "eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(tmp_path)]) == 0
    check_file(tmp_path / "nuts3-de94b.csv", DE94B)


def _modules_after(code: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.processes
def test_fetch_imports_no_build_stack_and_the_build_no_client():
    heavy = (
        "[m for m in sorted(sys.modules) if m.startswith('regbook') or m.split('.')[0] in "
        "('cbsodata', 'sdmx', 'pandas')]"
    )
    fetch_run = (
        "import json, runpy, sys\n"
        "sys.argv = ['helpers', 'fetch', 'cbs', '--corop', 'XY', '--year', '2015']\n"
        "try:\n    runpy.run_module('helpers', run_name='__main__', alter_sys=True)\n"
        "except SystemExit as exc:\n    assert exc.code == 2, exc.code\n"
        f"print(json.dumps({heavy}))"
    )
    assert _modules_after(fetch_run) == []
    build_import = (
        "import json, sys\nfrom regbook import cli, driver\ncli.parser()\n"
        "print(json.dumps([m for m in sorted(sys.modules) if m.split('.')[0] in ('cbsodata', 'sdmx')]))"
    )
    assert _modules_after(build_import) == []


@pytest.mark.parametrize(
    "argv, stem, level, expected, manufacturing",
    [
        (["cbs", "--corop", "CR17"], "corop-cr17", "a10", CR17_A10, None),
        (
            ["eurostat", "--nuts", "DE94B"],
            "nuts3-de94b",
            "de_nuts3",
            {k: v for k, v in DE94B.items() if k != "C"},
            12.15,
        ),
    ],
)
def test_fetched_files_pass_the_region_file_schema(web, tmp_path, argv, stem, level, expected, manufacturing):
    """What a fetch writes is what ``--region-file`` reads: a folder of them builds the region, not its reference."""
    from helpers import region_file

    assert cli.main([*argv, "--year", "2015", "--out", str(tmp_path)]) == 0
    region = region_file.load(tmp_path / f"{stem}.csv", register=False)
    assert (region.id, region.level, region.reference_year, region.notes) == (stem, level, 2015, ())
    assert region.employees.to_dict() == pytest.approx(expected)
    assert region.manufacturing == manufacturing
    assert region.reference is not None and region.reference.id == f"{stem}-reference"
    assert region.reference.level == level
    assert region_file.region_files(tmp_path) == [(tmp_path / f"{stem}.csv").resolve()]
