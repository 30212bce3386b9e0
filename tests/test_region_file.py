"""Region files: validation (one line naming file, line and column), the user region in the registry, the
comparison at a coarser level checked by hand, the examples regenerated, and the build's variants."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import regbook as build
from helpers import data, derived, examples, params, plots, region_file, regions, sector_levels, user_region
from helpers.fetch import cli as fetch_cli
from helpers.region_file import REGION_FILE_COLUMNS, RegionFileError
from regbook import cli, fingerprint, region_file_variants
from regbook.export import glued_values
from tests.conftest import use_build_dir
from tests.fixtures.fixture_book import HEADER
from tests.test_fetch import ESTAT_GENERIC
from tests.test_plots import _check_readable

EXAMPLES = Path(examples.EXAMPLES_DIR)
PROVENANCE = {"source": "test", "table_id": "T1", "retrieved": "2024-01-31", "query": "q", "concept": "employees"}


def write_rows(
    tmp_path: Path,
    rows: list[list],
    name: str = "region.csv",
    provenance: dict | None = PROVENANCE,
    header: tuple = REGION_FILE_COLUMNS,
) -> Path:
    path = tmp_path / name
    lines = [",".join(header)] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if provenance is not None:
        region_file.provenance_path(path).write_text(json.dumps(provenance), encoding="utf-8")
    return path


def section_rows(region_id="my-region", country="NL", values=None, year=2013) -> list[list]:
    values = values or {s: 10 for s in region_file.NACE_SECTIONS}
    return [[region_id, "My region", country, "", "", year, "test", s, v] for s, v in values.items()]


def group_rows(values: dict, region_id="my-groups", country="NL") -> list[list]:
    return [[region_id, "My groups", country, "", "", 2013, "test", g, v] for g, v in values.items()]


def test_a_valid_file_loads_and_registers(tmp_path):
    region = region_file.load(write_rows(tmp_path, section_rows()))
    assert region.id == "my-region" and region.level == "section" and region.country == "NL"
    assert region.employees.sum() == 190
    assert regions.resolve("My region") == "my-region"
    assert regions.reference_of("my-region") == "nl"
    assert regions.peer_of("my-region") is None
    assert plots.colour("my-region") == plots.USER_REGION_COLOUR
    assert plots.colour("my-region") not in plots.REGION_COLOURS.values()


def one_line_error(path: Path, line: int | None, column: str | None) -> str:
    with pytest.raises(RegionFileError) as err:
        region_file.load(path)
    message = str(err.value)
    assert "\n" not in message
    assert str(path) in message
    if line is not None:
        assert f"line {line}" in message
    if column is not None:
        assert f"column {column}" in message
    return message


def test_missing_section(tmp_path):
    rows = [r for r in section_rows() if r[7] != "K"]
    message = one_line_error(write_rows(tmp_path, rows), None, "nace_section")
    assert "K missing" in message


def test_duplicated_section(tmp_path):
    rows = section_rows()
    rows.insert(5, rows[2])  # C twice: the second C is on line 7
    message = one_line_error(write_rows(tmp_path, rows), 7, "nace_section")
    assert "'C'" in message


def test_negative_value(tmp_path):
    rows = section_rows()
    rows[3][8] = -1.5  # D, line 5
    message = one_line_error(write_rows(tmp_path, rows), 5, "employees_thousands")
    assert "non-negative" in message


def test_non_numeric_value(tmp_path):
    rows = section_rows()
    rows[10][8] = "many"  # K, line 12
    message = one_line_error(write_rows(tmp_path, rows), 12, "employees_thousands")
    assert "'many'" in message and "a number" in message


def test_a_country_without_a_tabel_1_1_column_needs_a_reference(tmp_path):
    rows = section_rows(country="BE")
    message = one_line_error(write_rows(tmp_path, rows), 2, "country")
    assert "'BE' (Belgique-België) has no column in the report's Tabel 1.1 (only NL and DE have)" in message
    assert "name one as reference_file in region.provenance.json" in message
    message = one_line_error(write_rows(tmp_path, section_rows(country="Belgium")), 2, "country")
    assert "'Belgium' is not a country code of two capital letters" in message


@pytest.mark.parametrize("taken", ["twente", "nl", "Brainport", "vierkant-voor-werk"])
def test_id_clashing_with_a_report_area_or_alias(tmp_path, taken):
    path = write_rows(tmp_path, section_rows(region_id=taken.lower()))
    message = one_line_error(path, 2, "region_id")
    assert "taken by the report's area" in message


def test_mixed_levels(tmp_path):
    rows = section_rows()
    rows[1][7] = "B-E"  # line 3 holds a group among sections
    message = one_line_error(write_rows(tmp_path, rows), 3, "nace_section")
    assert "mixes levels" in message


def test_infinite_value(tmp_path):
    rows = section_rows()
    rows[6][8] = "inf"  # G, line 8
    one_line_error(write_rows(tmp_path, rows), 8, "employees_thousands")


def test_line_numbers_count_blank_lines(tmp_path):
    rows = section_rows()
    rows[2][8] = -3  # C: line 4, but line 6 after two blank lines before it
    path = write_rows(tmp_path, rows)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:2] + ["", ""] + lines[2:]) + "\n")
    one_line_error(path, 6, "employees_thousands")


def test_unknown_section_code(tmp_path):
    rows = section_rows()
    rows[0][7] = "Z"
    one_line_error(write_rows(tmp_path, rows), 2, "nace_section")


def test_region_columns_are_constant(tmp_path):
    rows = section_rows()
    rows[4][5] = 2014  # reference_year on line 6
    message = one_line_error(write_rows(tmp_path, rows), 6, "reference_year")
    assert "same on every row" in message


def test_wrong_header(tmp_path):
    header = tuple(c if c != "employees_thousands" else "employees" for c in REGION_FILE_COLUMNS)
    message = one_line_error(write_rows(tmp_path, section_rows(), header=header), 1, None)
    assert "employees_thousands" in message


def test_a_bare_csv_loads_with_one_note_and_says_so_where_the_provenance_would_stand(tmp_path):
    path = write_rows(tmp_path, section_rows(), provenance=None)
    region = region_file.load(path)
    assert region.provenance == {} and not region.has_provenance
    assert region.notes == (
        f"{path}: no provenance sidecar (region.provenance.json); the book says 'source as "
        "given in the file; no provenance recorded'",
    )
    text = user_region.provenance_text(user_region.compare(region))
    assert (
        text == "My region comes from a region file, not from the report: test (source as given in the file; no "
        "provenance recorded)."
    )


def test_a_sidecar_that_is_there_but_broken_is_still_an_error(tmp_path):
    path = write_rows(tmp_path, section_rows(), provenance=None)
    region_file.provenance_path(path).write_text("{not json", encoding="utf-8")
    with pytest.raises(RegionFileError, match="not a readable JSON object"):
        region_file.load(path)


def test_provenance_needs_its_keys_and_an_iso_date(tmp_path):
    path = write_rows(tmp_path, section_rows(), provenance={**PROVENANCE, "concept": ""})
    with pytest.raises(RegionFileError, match="concept"):
        region_file.load(path)
    path = write_rows(tmp_path, section_rows(), provenance={**PROVENANCE, "retrieved": "31/01/2024"})
    with pytest.raises(RegionFileError, match="ISO date"):
        region_file.load(path)


def test_the_parameter_reports_the_same_line(tmp_path):
    rows = section_rows()
    rows[3][8] = -1
    path = write_rows(tmp_path, rows)
    with pytest.raises(params.ParameterError, match=r"line 5, column employees_thousands"):
        params.coerce("region_file", str(path))
    assert params.coerce("region_file", "") == ""


# --- the coarser level, checked by hand ------------------------------------------------------------------------


def test_aggregate_sums_sections_into_eurostat_groups():
    sections = region_file.NACE_SECTIONS
    mat = pd.DataFrame([[float(i + 1) for i in range(len(sections))]], index=["x"], columns=list(sections))
    grouped = user_region.aggregate(mat, "a10").iloc[0]
    # A=1 B=2 C=3 D=4 E=5 F=6 G=7 H=8 I=9 J=10 K=11 L=12 M=13 N=14 O=15 P=16 Q=17 R=18 S=19
    assert grouped.to_dict() == {
        "A": 1,
        "B-E": 2 + 3 + 4 + 5,
        "F": 6,
        "G-I": 7 + 8 + 9,
        "J": 10,
        "K": 11,
        "L": 12,
        "M-N": 13 + 14,
        "O-Q": 15 + 16 + 17,
        "R-U": 18 + 19,
    }


def test_coarser_comparison_by_hand(tmp_path):
    """A tiny Tabel 1.1: every report area has 1 thousand employees in every section, except the Netherlands,
    which has 2 in C. The user region (NL, Eurostat groups) has 10 in B-E, 10 in G-I and 0 elsewhere."""
    sections = list(region_file.NACE_SECTIONS)
    report = pd.DataFrame(1.0, index=list(user_region.REPORT_AREAS), columns=sections)
    report.loc["nl", "C"] = 2.0
    values = {g: 0 for g in sector_levels.GROUPS["a10"]} | {"B-E": 10, "G-I": 10}
    region = region_file.load(write_rows(tmp_path, group_rows(values)))
    assert region.level == "a10"
    comparison = user_region.compare(region, report_matrix=report)
    # The Netherlands at group level: B-E = 1+2+1+1 = 5, G-I = 3, total 20 sections' worth = 19 + 1 = 20.
    assert comparison.matrix.loc["nl", "B-E"] == 5 and comparison.matrix.loc["nl", "G-I"] == 3
    # Shares of the user region: B-E 50 %, G-I 50 %; of the Netherlands: B-E 5/20 = 25 %, G-I 3/20 = 15 %.
    assert comparison.shares.loc["my-groups", "B-E"] == pytest.approx(50.0)
    assert comparison.shares.loc["nl", "G-I"] == pytest.approx(15.0)
    # LQ = 0.50 / 0.25 = 2 for B-E and 0.50 / 0.15 = 10/3 for G-I.
    assert comparison.lq.loc["my-groups", "B-E"] == pytest.approx(2.0)
    assert comparison.lq.loc["my-groups", "G-I"] == pytest.approx(10 / 3)
    assert comparison.lq.loc["my-groups", "A"] == 0
    # Krugman against the Netherlands: |.5-.25| + |.5-.15| + the other groups' NL shares (1 - .25 - .15 = .6) = 1.2
    assert comparison.structure.loc["my-groups", "krugman"] == pytest.approx(1.2)
    assert comparison.structure.loc["my-groups", "hoover"] == pytest.approx(0.6)
    # A report region (all ones): B-E 4/19, G-I 3/19, others 12/19 in all. Distance to the user region:
    # |.5 - 4/19| + |.5 - 3/19| + 12/19 = 1 - 7/19 + 12/19 = 24/19.
    assert comparison.distances["twente"] == pytest.approx(24 / 19)
    assert "manufacturing" in comparison.level_limits
    assert comparison.year_note == ""


def test_year_note_when_the_reference_year_differs(tmp_path):
    region = region_file.load(write_rows(tmp_path, section_rows(year=2019)))
    note = user_region.compare(region).year_note
    assert "2019" in note and "2013" in note


def test_a_user_reference_replaces_the_country_column(tmp_path):
    ref_values = {s: 20 for s in region_file.NACE_SECTIONS} | {"C": 40}
    write_rows(tmp_path, section_rows(region_id="nl-source", values=ref_values), name="reference.csv")
    region_values = {s: 10 for s in region_file.NACE_SECTIONS} | {"C": 40}
    path = write_rows(
        tmp_path, section_rows(values=region_values), provenance={**PROVENANCE, "reference_file": "reference.csv"}
    )
    region = region_file.load(path)
    assert region.reference_id == "nl-source"
    comparison = user_region.compare(region)
    # region C share 40/220, reference C share 40/400: LQ = (40/220) / (40/400) = 400/220
    assert comparison.lq.loc["my-region", "C"] == pytest.approx(400 / 220)
    assert region_file.region_files(tmp_path) == [path.resolve()]  # the reference is not a variant of its own


def test_the_no_data_sentence_names_the_nearest_report_region_and_the_year(tmp_path):
    region = region_file.load(write_rows(tmp_path, section_rows(year=2019)))
    comparison = user_region.compare(region)
    text = user_region.no_report_data_sentence(comparison, "employers' table")
    assert "The report has no employers' table for My region" in text
    assert f"resembles {regions.name(comparison.nearest)}" in text
    assert "2019" in text and "2013" in text
    html = user_region.edition_block("a < b")
    assert 'class="admonition edition-analysis"' in html and "a &lt; b" in html


def test_the_structure_note_is_the_no_data_sentence_then_the_caveats(tmp_path):
    region = region_file.load(write_rows(tmp_path, section_rows(year=2019)))
    comparison = user_region.compare(region)
    note = user_region.structure_note(comparison, "count of foreign-controlled establishments (Tabel 1.2)")
    no_data, caveats = note.split(" Its sector structure, from its region file: ")
    assert no_data.startswith("The report has no count of foreign-controlled establishments (Tabel 1.2) for My region")
    assert caveats.startswith("Compared at the level of the 19 NACE sections") and "2019" in caveats


# --- values as the user wrote them, blank leftovers, Dutch spreadsheets (issue 28, items 5-7 and 11) ----------


@pytest.mark.parametrize(
    "value, said",
    [
        ("NaN", "'NaN' is empty or not a number"),
        ("nan", "'nan' is empty or not a number"),
        ("-5", "'-5' is not a non-negative number"),
        ("twelve", "'twelve' is empty or not a number"),
        ("-inf", "'-inf' is not a finite number"),
    ],
)
def test_a_bad_number_is_shown_as_the_file_has_it(tmp_path, value, said):
    rows = section_rows()
    rows[4][8] = value  # E, line 6
    message = one_line_error(write_rows(tmp_path, rows), 6, "employees_thousands")
    assert message.endswith(said) and "np.float64" not in message


def test_a_long_bad_value_is_echoed_short(tmp_path):
    rows = section_rows()
    rows[0][8] = "9" * 40 + "x" * 100_000  # A, line 2
    message = one_line_error(write_rows(tmp_path, rows), 2, "employees_thousands")
    assert "(100,040 characters) is empty or not a number" in message
    assert len(message) < len(str(tmp_path)) + 250


@pytest.mark.parametrize("leftover", ["   ", "\t", ",,,,,,,,", " , , ,,,,,,", ",,,"])
def test_blank_lines_and_rows_of_separators_are_skipped(tmp_path, leftover):
    path = write_rows(tmp_path, section_rows())
    path.write_text(path.read_text() + f"{leftover}\n{leftover}\n", encoding="utf-8")
    region = region_file.load(path)
    assert region.employees.sum() == 190 and region.notes == ()


DUTCH_HEADER = ";".join(REGION_FILE_COLUMNS)


def dutch_rows(values: dict[str, str], region_id: str = "mijn-regio", name: str = "Mijn regio") -> str:
    return (
        "\r\n".join(
            [DUTCH_HEADER] + [f"{region_id};{name};NL;;;2013;CBS;{code};{value}" for code, value in values.items()]
        )
        + "\r\n;;;;;;;;\r\n"
    )


def test_a_dutch_spreadsheet_is_read_and_the_build_says_so(tmp_path):
    """Semicolons, decimal commas (one with a dot grouping thousands) and a byte-order mark, as a Dutch Excel saves
    "CSV (gescheiden door lijstscheidingsteken)" in UTF-8, with a row of separators left below the table."""
    values = {s: f"{i},5" for i, s in enumerate(region_file.NACE_SECTIONS, start=1)} | {"Q": "1.234,5"}
    path = tmp_path / "regio.csv"
    path.write_bytes(b"\xef\xbb\xbf" + dutch_rows(values).encode("utf-8"))
    region_file.provenance_path(path).write_text(json.dumps(PROVENANCE), encoding="utf-8")
    region = region_file.load(path)
    assert region.employees["A"] == 1.5 and region.employees["S"] == 19.5 and region.employees["Q"] == 1234.5
    assert region.notes == (
        f"{path}: read as a spreadsheet's CSV (as a Dutch Excel saves it), separated by "
        "semicolons, with decimal commas, with a byte-order mark",
    )

    said: list[str] = []
    region_file_variants([str(path)], warn=said.append)
    assert said == list(region.notes)


def test_a_spreadsheet_saved_in_its_own_code_page_names_the_line_and_byte(tmp_path):
    """Excel's plain "CSV (gescheiden door lijstscheidingsteken)" writes Windows-1252, not UTF-8: 'â' is byte
    0xe2. The message names the line and the byte, and which of the spreadsheet's formats to choose."""
    values = {s: "10,5" for s in region_file.NACE_SECTIONS}
    path = tmp_path / "regio.csv"
    path.write_bytes(dutch_rows(values, name="Fryslân").encode("cp1252"))
    with pytest.raises(RegionFileError) as err:
        region_file.load(path)
    assert str(err.value) == (
        f"{path}, line 2: not valid UTF-8 (byte 0xe2); save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')"
    )


def test_a_decimal_point_in_a_file_of_decimal_commas_is_named(tmp_path):
    values = {s: "10,5" for s in region_file.NACE_SECTIONS} | {"D": "12.5"}
    path = tmp_path / "regio.csv"
    path.write_text(dutch_rows(values), encoding="utf-8")
    region_file.provenance_path(path).write_text(json.dumps(PROVENANCE), encoding="utf-8")
    message = one_line_error(path, 5, "employees_thousands")
    assert message.endswith("'12.5' is empty or not a number (the file's other numbers use a decimal comma)")


def test_a_semicolon_file_with_decimal_points_reads_them_as_points(tmp_path):
    path = tmp_path / "regio.csv"
    path.write_text(dutch_rows({s: "10.5" for s in region_file.NACE_SECTIONS}), encoding="utf-8")
    region_file.provenance_path(path).write_text(json.dumps(PROVENANCE), encoding="utf-8")
    region = region_file.load(path)
    assert region.employees.sum() == pytest.approx(19 * 10.5)
    assert region.notes == (
        f"{path}: read as a spreadsheet's CSV (as a Dutch Excel saves it), separated by semicolons",
    )


@pytest.mark.parametrize(
    "values, line, said",
    [
        ({s: "1e308" for s in region_file.NACE_SECTIONS}, 2, "'1e308' thousand is more people than live in Europe"),
        ({s: "10" for s in region_file.NACE_SECTIONS} | {"C": "1e300"}, 4, "'1e300' thousand is more people"),
        ({s: "800000" for s in "ABC"} | {s: "1" for s in "DEFGHIJKLMNOPQRS"}, 2, "'800000' thousand is more people"),
    ],
)
def test_values_no_statistics_office_can_publish_are_refused(tmp_path, values, line, said):
    rows = section_rows(values=values)
    message = one_line_error(write_rows(tmp_path, rows), line, "employees_thousands")
    assert said in message


def test_rows_that_add_up_to_more_than_europe_are_refused(tmp_path):
    rows = section_rows(values={s: 50_000 for s in region_file.NACE_SECTIONS})  # 19 x 50 million people
    message = one_line_error(write_rows(tmp_path, rows), None, "employees_thousands")
    assert "the rows add up to 950,000 thousand, more people than live in Europe" in message


def test_a_zero_in_the_reference_where_the_region_has_employees_is_named(tmp_path):
    """The location quotient would divide by zero: the reference file's line and column, not a book of 'inf'."""
    write_rows(
        tmp_path,
        section_rows(region_id="nl-source", values={s: 20 for s in region_file.NACE_SECTIONS} | {"K": 0}),
        name="reference.csv",
    )
    path = write_rows(tmp_path, section_rows(), provenance={**PROVENANCE, "reference_file": "reference.csv"})
    with pytest.raises(RegionFileError) as err:
        region_file.load(path)
    message = str(err.value)
    assert message.startswith(
        f"{tmp_path / 'reference.csv'}, line 12, column employees_thousands: K is 0 in the "
        "reference while My region (region.csv) has 10 thousand there"
    )


def test_manufacturing_larger_than_its_group_is_refused(tmp_path):
    values = {g: 10 for g in sector_levels.GROUPS["a10"]} | {"C": 12}
    message = one_line_error(write_rows(tmp_path, group_rows(values)), 12, "employees_thousands")
    assert "'12' in manufacturing (C) is more than B-E's '10', the group it is part of" in message


def test_the_ten_groups_mixed_with_the_german_six(tmp_path):
    values = {g: 10 for g in sector_levels.GROUPS["de_nuts3"]} | {"G-I": 5}
    message = one_line_error(write_rows(tmp_path, group_rows(values)), 8, "nace_section")
    assert (
        "'G-I' mixes levels: the file has Eurostat's ten sector groups ('G-I' on line 8) and the six sector "
        "groups of German NUTS 3 regions ('G-J' on line 5)"
    ) in message


@pytest.mark.processes
def test_a_folder_with_several_bad_files_names_every_one(tmp_path):
    good = write_rows(tmp_path, section_rows(region_id="good"), name="good.csv")
    bad_rows = section_rows(region_id="bad-one")
    bad_rows[2][8] = "NaN"
    write_rows(tmp_path, bad_rows, name="bad-one.csv")
    write_rows(
        tmp_path,
        section_rows(region_id="bad-two", values={s: -1 for s in region_file.NACE_SECTIONS}),
        name="bad-two.csv",
    )
    with pytest.raises(RegionFileError) as err:
        region_file.load_many(region_file.region_files(tmp_path))
    lines = str(err.value).splitlines()
    assert lines[0] == "2 of 3 region files are bad:"
    assert lines[1].strip().startswith(f"{tmp_path / 'bad-one.csv'}, line 4, column employees_thousands")
    assert lines[2].strip().startswith(f"{tmp_path / 'bad-two.csv'}, line 2, column employees_thousands")
    good.unlink()  # a batch builds the good files and lists the bad (tests/test_batch.py); with none good: exit 2
    assert cli.main(["build", "--region-file", str(tmp_path), "--no-wait"]) == 2


# --- the three levels, checked by hand --------------------------------------------------------------------------


def test_german_groups_comparison_by_hand(tmp_path):
    """A tiny Tabel 1.1: every report area 1 thousand in every section, but Germany 2 in C and 3 in J. The user
    region (DE, the six German groups) has A 1, B-E 4, C 3, F 1, G-J 4, K-N 4, O-U 6: 20 in all."""
    sections = list(region_file.NACE_SECTIONS)
    report = pd.DataFrame(1.0, index=list(user_region.REPORT_AREAS), columns=sections)
    report.loc["de", ["C", "J"]] = [2.0, 3.0]
    values = {"A": 1, "B-E": 4, "C": 3, "F": 1, "G-J": 4, "K-N": 4, "O-U": 6}
    region = region_file.load(write_rows(tmp_path, group_rows(values, country="DE")))
    assert region.level == "de_nuts3" and region.manufacturing == 3
    comparison = user_region.compare(region, report_matrix=report)
    # Germany summed to the six: A 1, B-E 1+2+1+1 = 5, F 1, G-J 1+1+1+3 = 6, K-N 4, O-U 5 (O to S; no T, U): 22
    assert comparison.matrix.loc["de"].to_dict() == {"A": 1, "B-E": 5, "F": 1, "G-J": 6, "K-N": 4, "O-U": 5}
    # LQ of the region against Germany: G-J (4/20) / (6/22) = 22/30; O-U (6/20) / (5/22) = 132/100
    assert comparison.lq.loc["my-groups", "G-J"] == pytest.approx(22 / 30)
    assert comparison.lq.loc["my-groups", "O-U"] == pytest.approx(1.32)
    # Emsland (ones everywhere, 19 in all) against Germany: O-U (5/19) / (5/22) = 22/19
    assert comparison.lq.loc["emsland", "O-U"] == pytest.approx(22 / 19)
    # Manufacturing: the region 3/20 = 15 %, Germany 2/22; LQ = 0.15 / (2/22) = 1.65; Emsland (1/19) / (2/22)
    m = comparison.manufacturing
    assert m.at["my-groups", "share_percent"] == pytest.approx(15.0)
    assert m.at["my-groups", "lq"] == pytest.approx(1.65)
    assert m.at["emsland", "lq"] == pytest.approx((1 / 19) / (2 / 22))
    # Twente (Dutch) against the Netherlands' ones: C 1/19 against 1/19 -> 1
    assert m.at["twente", "lq"] == pytest.approx(1.0)
    # Krugman against Germany: sum |s - S| = |1/20-1/22| + |4/20-5/22| + |1/20-1/22| + |4/20-6/22| + |4/20-4/22|
    # + |6/20-5/22|
    expected = (
        abs(1 / 20 - 1 / 22)
        + abs(4 / 20 - 5 / 22)
        + abs(1 / 20 - 1 / 22)
        + abs(4 / 20 - 6 / 22)
        + abs(4 / 20 - 4 / 22)
        + abs(6 / 20 - 5 / 22)
    )
    assert comparison.structure.loc["my-groups", "krugman"] == pytest.approx(expected)
    table = user_region.lq_table(comparison)
    assert table["sector"].iloc[-1] == "C Manufacturing (part of B-E)"
    assert table["My groups"].iloc[-1] == pytest.approx(1.65)
    assert "no share or location quotient can be given for, say, ICT" in user_region.caveats(comparison)
    assert "Manufacturing (C, part of B-E) employs 15.0% of My groups's employees" in user_region.summary_sentence(
        comparison
    )


def test_a_belgian_region_against_its_own_reference(tmp_path):
    ref_values = {g: 100 for g in sector_levels.GROUPS["a10"]}
    write_rows(tmp_path, group_rows(ref_values, region_id="be-ref", country="BE"), name="reference.csv")
    values = {g: 10 for g in sector_levels.GROUPS["a10"]} | {"K": 30}
    path = write_rows(
        tmp_path, group_rows(values, country="BE"), provenance={**PROVENANCE, "reference_file": "reference.csv"}
    )
    region = region_file.load(path)
    comparison = user_region.compare(region)
    # K: (30/120) / (100/1000) = 2.5
    assert comparison.lq.loc["my-groups", "K"] == pytest.approx(2.5)
    assert comparison.country_note.startswith("The report has no evidence for Belgique-België (BE)")
    assert comparison.country_note in user_region.caveats(comparison)
    assert comparison.country_note in user_region.no_report_data_sentence(comparison, "case study")
    assert regions.reference_of("my-groups") == "my-groups"  # no reference area in the registry


def test_a_fetched_german_region_s_charts_read_like_the_books_others(tmp_path):
    """Grafschaft Bentheim from the saved real answer: the two charts at the book's width and text size, the level
    named in the shares chart's title and the distances' axis."""
    assert (
        fetch_cli.main(
            ["eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(tmp_path), "--from-file", str(ESTAT_GENERIC)]
        )
        == 0
    )
    comparison = user_region.compare(tmp_path / "nuts3-de94b.csv")
    shares = user_region.shares_figure(comparison, "Sector composition of Grafschaft Bentheim")
    assert "(the six sector groups of German NUTS 3 regions)" in " ".join(shares._suptitle.get_text().split())
    _check_readable(shares)
    distances = user_region.distance_figure(comparison, "Nearest report regions")
    assert "six sector groups" in " ".join(distances.axes[0].get_xlabel().split())
    _check_readable(distances)


# --- examples ---------------------------------------------------------------------------------------------------


def test_examples_regenerate_identically(tmp_path):
    written = examples.write_examples(tmp_path)
    assert written
    for path in written:
        for file in (path, region_file.provenance_path(path)):
            committed = EXAMPLES / file.name
            assert committed.read_text(encoding="utf-8") == file.read_text(encoding="utf-8"), file.name


def test_rest_of_the_netherlands_by_hand():
    """Section C: the Netherlands 739.2 minus Zuidoost-Drenthe, Twente, Groot-Rijnmond, Zuidoost-Brabant
    (Tabel 1.1) gives the example's C; every section is non-negative."""
    tidy = data.load("employees_by_sector")
    c = tidy[tidy["nace_section"] == "C"].set_index("region_id")["employees_thousands"]
    expected = c["nl"] - c["zo-drenthe"] - c["twente"] - c["groot-rijnmond"] - c["zo-brabant"]
    region = region_file.load(EXAMPLES / "rest-of-nl.csv")
    assert region.employees["C"] == pytest.approx(expected, abs=0.05)
    assert (region.employees >= 0).all()
    grouped = region_file.load(EXAMPLES / "rest-of-de-groups.csv")
    assert grouped.level == "a10" and grouped.country == "DE"


def test_appendix_a_says_where_a_region_files_numbers_come_from_and_what_the_comparison_cannot_show():
    comparison = user_region.compare(EXAMPLES / "rest-of-de-groups.csv")
    note = user_region.tabel_1_1_note(comparison)
    assert note.startswith(
        "Rest of Germany comes from a region file, not from the report: derived from the report's "
        "Bijlage 1, Tabel 1.1, table Bijlage 1, Tabel 1.1, retrieved 2026-11-29, query: "
    )
    assert "Compared at the level of Eurostat's ten groups of sections" in note
    assert "no manufacturing share or manufacturing location quotient can be given" in note
    caption, source = user_region.employees_caption(comparison)
    assert caption.startswith(
        "Rest of Germany beside Tabel 1.1 (thousands of employees per sector; Tabel 1.1 summed "
        "to the region file's level). Compared at the level of Eurostat's ten groups"
    )
    assert source == "derived from the report's Bijlage 1, Tabel 1.1; the report's Bijlage 1, Tabel 1.1"


def test_nearest_pairing_test_of_a_region_file(tmp_path):
    """Chapter 5's pairing test for a region file: the nearest report region against the other five. By
    construction the nearest is closest, so p = 1 / 6 (six comparison regions), the smallest the test can give."""
    rest = user_region.compare(EXAMPLES / "rest-of-nl.csv")
    result = user_region.nearest_pairing_test(rest, alpha=0.05)
    assert result.assumptions["comparison regions"] == 6
    assert result.p_value == pytest.approx(1 / 6) and result.assumptions["candidate rank by distance"] == 1
    assert result.effect_size == pytest.approx(rest.distances.iloc[0])
    assert result.assumptions["verdict"] == "the data cannot confirm or refute the pairing at this level"
    # at a level above 1/6 the same test supports the pairing
    assert user_region.nearest_pairing_test(rest, alpha=0.2).assumptions["verdict"].startswith("closer than")
    # a region whose profile equals Twente's: distance 0 to Twente, nearest Twente
    twente = derived.employment().loc["twente"]
    path = write_rows(tmp_path, section_rows(values=twente.to_dict()))
    same = user_region.compare(path)
    assert same.nearest == "twente" and user_region.nearest_pairing_test(same).effect_size == pytest.approx(0)


def test_region_file_variants_for_a_folder():
    variants = region_file_variants([str(EXAMPLES)])
    assert sorted(v.name for v in variants) == ["rest-of-de-groups", "rest-of-nl"]
    for v in variants:
        assert Path(v.parameters["region_file"]).is_absolute()
        assert v.parameters["focus_region"] in regions.STUDY_REGIONS
        comparison = user_region.compare(v.parameters["region_file"])
        assert v.parameters["focus_region"] == comparison.nearest


def test_two_files_with_one_id_are_refused(tmp_path):
    a = write_rows(tmp_path, section_rows(), name="a.csv")
    shutil.copy(a, tmp_path / "b.csv")
    shutil.copy(region_file.provenance_path(a), region_file.provenance_path(tmp_path / "b.csv"))
    with pytest.raises(params.ParameterError, match="also the id"):
        region_file_variants([str(tmp_path)])


@pytest.mark.processes
def test_cli_refuses_a_bad_region_file_before_any_kernel(tmp_path, capsys):
    rows = section_rows()
    rows[0][8] = "x"
    path = write_rows(tmp_path, rows)
    assert cli.main(["build", "--region-file", str(path), "--no-wait"]) == 2
    err = capsys.readouterr().err
    assert "line 2, column employees_thousands" in " ".join(err.split())


# --- the book for a region file (slow: one build) ---------------------------------------------------------------


def _text(path: Path) -> str:
    return " ".join(path.read_text(encoding="utf-8").split())


@pytest.mark.slow
def test_build_for_an_example_region_file(tmp_path, monkeypatch):
    """The whole book for the rest of the Netherlands: the region in chapter 1, 3 and 5's tables and charts and
    in its own paragraph, the no-data paragraph in the chapters on the report's evidence, the file an input."""
    use_build_dir(monkeypatch, tmp_path / "build")
    example = EXAMPLES / "rest-of-nl.csv"
    variants = build.region_file_variants([str(example)])
    report = build.build(variants, jobs=2, log=lambda m: None)
    assert report.ok, [o.error for o in report.failures()]
    variant = variants[0]
    html = variant.layout.html
    name = "Rest of the Netherlands"
    nearest = regions.name(variant.parameters["focus_region"])
    ch1, ch3, ch5 = (_text(html / "chapters" / f"{c}.html") for c in ("ch1_world", "ch3_regions", "ch5_germany"))
    assert 'id="ch1_user_profile"' in ch1 and name in ch1
    for chart in ('id="ch3_user_shares"', 'id="ch3_user_lq"', 'id="ch3_user_structure"'):
        assert chart in ch3
    assert 'id="ch5_user_distances"' in ch5 and f"{name}&#x27;s nearest sector profile" in ch5
    assert "edition-analysis" in ch3 and "has a Krugman index of" in ch3
    for chapter in ("ch2_occupations", "ch4_vocational", "ch6_outlook"):
        page = _text(html / "chapters" / f"{chapter}.html")
        assert f"for {name}: this chapter presents the report&#x27;s own regions" in page, chapter
        assert f"resembles {nearest}" in page, chapter
    appendix = _text(html / "chapters" / "appendix_tables.html")
    assert 'id="appendix_user_table"' in appendix
    results = json.loads((variant.layout.results / "results.json").read_text(encoding="utf-8"))
    assert results["parameters"]["region_file"] == str(example.resolve())
    # the region file is an input of the chapters that read it: a changed file re-executes them
    meta = next((tmp_path / "build" / ".cache").glob("ch3_regions-*/meta.json"))
    assert str(example.resolve()) in json.loads(meta.read_text(encoding="utf-8"))["inputs"]


@pytest.mark.slow
def test_the_report_variants_show_no_region_file(built_books):
    """Without a region file the book is the report's: no user-region output, no user-region glue."""
    build_dir, report = built_books
    assert report.ok
    for variant in ["default", *regions.STUDY_REGIONS]:
        base = build_dir if variant == "default" else build_dir / "regions" / variant
        results = json.loads((base / "results" / "results.json").read_text(encoding="utf-8"))
        assert results["parameters"]["region_file"] == ""
        assert not [k for chapter in results["values"].values() for k in chapter if "_user_" in k]
        for page in (base / "html" / "chapters").glob("*.html"):
            assert "from a region file" not in page.read_text(encoding="utf-8"), page
    for nb in (build_dir / ".cache").glob("*/*.ipynb"):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code" and "if region_file:" in "".join(cell["source"]):
                assert not cell.get("outputs"), nb


REGION_CHAPTER = (
    HEADER
    + """
# Fixture

```{code-cell} ipython3
:tags: [parameters, remove-cell]
region_file = ""
```

```{code-cell} ipython3
:tags: [remove-cell]
from helpers import glue, params, user_region
region_file = params.coerce("region_file", region_file)
comparison = user_region.compare(region_file)
glue.glue("fx_user_a", float(comparison.matrix.loc[comparison.region.id, "A"]), "A")
```

Text.
"""
)


@pytest.mark.slow
def test_a_changed_region_file_re_executes_the_chapter_that_read_it(tmp_path, monkeypatch):
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "chapters" / "index.md").write_text(REGION_CHAPTER)
    (root / "_config.yml").write_text("title: Fixture\nauthor: tests\n")
    (root / "_toc.yml").write_text("format: jb-book\nroot: chapters/index\n")
    use_build_dir(monkeypatch, tmp_path / "_build", root=root)
    path = write_rows(tmp_path, section_rows())

    def value_of_a() -> tuple[str, float]:
        variants = build.region_file_variants([str(path)])
        outcome = build.run(variants, jobs=1)[variants[0].name][0]
        assert outcome.status in ("executed", "cached"), outcome.error
        return outcome.status, glued_values(json.loads(Path(outcome.notebook).read_text()))["fx_user_a"]

    assert value_of_a() == ("executed", 10)
    assert value_of_a() == ("cached", 10)
    rows = section_rows()
    rows[0][8] = 12.5
    write_rows(tmp_path, rows)
    assert value_of_a() == ("executed", 12.5)
    assert fingerprint.fast_path(["build", "--region-file", str(path)]) is None  # always the full, per-chapter check


def _table_csv(page: str, name: str) -> pd.DataFrame:
    """The data behind a book table, from its download link (a base64 data URI in the page)."""
    match = re.search(rf'download="table_{name}\.csv" href="data:text/csv;base64,([^"]+)"', page)
    assert match, name
    return pd.read_csv(io.StringIO(base64.b64decode(match.group(1)).decode()))


@pytest.mark.slow
def test_a_german_nuts3_book_and_a_bare_csv_end_to_end(tmp_path, monkeypatch):
    """Grafschaft Bentheim fetched from the saved real answer and a bare CSV beside it, built as one folder: the
    German region at the six German groups, its location quotients against Germany from the same answer checked
    by hand, the report's German regions against Tabel 1.1's Germany column summed the same way; the bare CSV with
    one warning and the provenance sentence in its place."""
    use_build_dir(monkeypatch, tmp_path / "build")
    folder = tmp_path / "regions"
    assert (
        fetch_cli.main(
            ["eurostat", "--nuts", "DE94B", "--year", "2015", "--out", str(folder), "--from-file", str(ESTAT_GENERIC)]
        )
        == 0
    )
    shutil.copy(EXAMPLES / "rest-of-nl.csv", folder / "bare.csv")  # no sidecar beside it
    said: list[str] = []
    variants = build.region_file_variants([str(folder)], warn=said.append)
    assert [v.name for v in variants] == ["rest-of-nl", "nuts3-de94b"]
    assert said == [
        f"{folder / 'bare.csv'}: no provenance sidecar (bare.provenance.json); the book says 'source "
        "as given in the file; no provenance recorded'"
    ]
    report = build.build(variants, jobs=2, log=lambda m: None)
    assert report.ok, [o.error for o in report.failures()]
    german, bare = variants[1].layout, variants[0].layout
    ch3 = (german.html / "chapters" / "ch3_regions.html").read_text(encoding="utf-8")
    lq = _table_csv(ch3, "ch3_user_lq").set_index("sector")
    # Grafschaft Bentheim 2015 (thousands): A 2.58, B-E 13.68, F 5.52, G-J 19.37, K-N 9.47, O-U 18.75 = 69.37;
    # Germany in the same answer: A 615, B-E 8112, F 2468, G-J 11122, K-N 7487, O-U 14043 = 43847; C 12.15, 7568.
    by_hand = {
        "A": (2.58 / 69.37) / (615 / 43847),
        "B-E": (13.68 / 69.37) / (8112 / 43847),
        "F": (5.52 / 69.37) / (2468 / 43847),
        "G-J": (19.37 / 69.37) / (11122 / 43847),
        "K-N": (9.47 / 69.37) / (7487 / 43847),
        "O-U": (18.75 / 69.37) / (14043 / 43847),
        "C": (12.15 / 69.37) / (7568 / 43847),
    }
    for code, value in by_hand.items():
        row = next(s for s in lq.index if s.startswith(f"{code} "))
        assert lq.loc[row, "Grafschaft Bentheim"] == pytest.approx(value, rel=1e-9), code
    # Emsland against Tabel 1.1's Germany column, both summed to the six groups here (pandas, not helpers.indices)
    t = data.load("employees_by_sector").pivot(index="region_id", columns="nace_section", values="employees_thousands")
    groups = {"A": "A", "B-E": "BCDE", "F": "F", "G-J": "GHIJ", "K-N": "KLMN", "O-U": "OPQRS"}
    for code, members in groups.items():
        ems = t.loc["emsland", list(members)].sum() / t.loc["emsland"].sum()
        de = t.loc["de", list(members)].sum() / t.loc["de"].sum()
        row = next(s for s in lq.index if s.startswith(f"{code} "))
        assert lq.loc[row, regions.name("emsland")] == pytest.approx(ems / de, rel=1e-9), code
    text = " ".join(ch3.split())
    assert "no share or location quotient can be given for, say, ICT, finance or health alone" in text
    assert "the six groups Eurostat publishes for German NUTS 3 regions" in text
    ch1 = " ".join((german.html / "chapters" / "ch1_world.html").read_text(encoding="utf-8").split())
    assert "Grafschaft Bentheim: employees, share and location quotient" in ch1
    appendix = " ".join((german.html / "chapters" / "appendix_tables.html").read_text(encoding="utf-8").split())
    assert "retrieved 2026-12-04, query: saved answer estat_nama_10r_3empers_DE94B_2015_generic.xml" in appendix
    bare_appendix = " ".join((bare.html / "chapters" / "appendix_tables.html").read_text(encoding="utf-8").split())
    assert (
        "Rest of the Netherlands comes from a region file, not from the report: derived from the report&#x27;s "
        "Bijlage 1, Tabel 1.1 (source as given in the file; no provenance recorded)."
    ) in bare_appendix
    results = json.loads((german.results / "results.json").read_text(encoding="utf-8"))["values"]
    # Tabel 1.2's growth 2010-2013 reaches results.json for every area with both years: Twente 560 -> 660
    assert results["ch1_world"]["ch1_foreign_growth_twente"] == pytest.approx((660 / 560 - 1) * 100)
    assert results["ch1_world"]["ch1_foreign_growth_de"] == pytest.approx((26869 / 26934 - 1) * 100)
    assert not [
        k for k in results["ch1_world"] if k.startswith("ch1_foreign_growth_") and k.endswith(("emsland", "bremen"))
    ]
