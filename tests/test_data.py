"""The data layer: transcriptions checked against the report, schemas, the data package and bad-data errors.

Expected totals are added up by hand from the report's printed tables (table and page named at each),
so that a mistyped cell in data/ fails here.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import data, paths, regions
from helpers.regions import ALL_AREAS

# --- transcriptions against hand-added totals ---------------------------------------------------------------

# Bijlage 1, Tabel 1.1 (employees x1000, December 2013): column sums of the 19 printed rows, added by hand.
# Zuidoost-Drenthe: 1 + 0.8 + 9 + 0.6 + 0.3 + 3.2 + 9.2 + 1.8 + 2.7 + 0.7 + 0.8 + 0.5 + 1.9 + 7.8 + 3 + 2.9
#                   + 12.2 + 0.9 + 0.7 = 60.0
TABLE_1_1_COLUMN_TOTALS = {
    "zo-drenthe": 60.0,
    "twente": 271.2,
    "groot-rijnmond": 637.3,
    "zo-brabant": 381.2,
    "bremen": 289.7,
    "emsland": 120.5,
    "nl": 7701.1,
    "de": 29814.3,
}
# Row sums across the six study regions (Tabel 1.1), by hand:
# C Industrie: 9 + 40.5 + 47.5 + 60.5 + 38.2 + 34.3 = 230.0
# Q Gezondheids- en welzijnszorg: 12.2 + 53.5 + 103.4 + 56.8 + 39.9 + 16.7 = 282.5
TABLE_1_1_ROW_TOTALS_STUDY_REGIONS = {"C": 230.0, "Q": 282.5}


def test_employees_by_sector_column_totals_match_table_1_1():
    df = data.load("employees_by_sector")
    totals = df.groupby("region_id")["employees_thousands"].sum().round(1).to_dict()
    assert totals == pytest.approx(TABLE_1_1_COLUMN_TOTALS)


def test_employees_by_sector_row_totals_match_table_1_1():
    df = data.load("employees_by_sector")
    study = df[~df["region_id"].isin(["nl", "de"])]
    for section, total in TABLE_1_1_ROW_TOTALS_STUDY_REGIONS.items():
        assert study.loc[study["nace_section"] == section, "employees_thousands"].sum() == pytest.approx(total)


def test_employees_by_sector_has_every_area_and_section():
    df = data.load("employees_by_sector")
    assert list(df.columns[:2]) == ["region_id", "nace_section"]
    assert "employees_thousands" in df.columns
    assert set(df["region_id"]) == set(ALL_AREAS)
    assert df.groupby("region_id")["nace_section"].nunique().eq(19).all()


def test_occupational_dynamics_matches_table_1():
    # Tabel 1 (chapter 2): 'Geen baan' column, by hand: 54 + 47 + 46 + 49 = 196
    df = data.load("occupational_dynamics")
    assert df.loc[df["measure"] == "no_job", "share_percent"].sum() == 196
    # 'Ander beroep' column: 58 + 52 + 52 + 61 = 223; 'hoger niveau': 24 + 19 + 20 + 23 = 86
    assert df.loc[df["measure"] == "other_occupation", "share_percent"].sum() == 223
    assert df.loc[df["measure"] == "higher_level", "share_percent"].sum() == 86
    # Vierkant voor Werk (= zo-drenthe) row: 46 24 24 52 62 20 20, sum 248
    assert df.loc[df["region_id"] == "zo-drenthe", "share_percent"].sum() == 248


def test_key_figures_match_tables_2_and_4():
    df = data.load("key_figures").set_index(["region_id", "indicator"])["value"]
    # Tabel 2: unemployment 7.7 + 7.2 + 9.0 + 6.7 = 30.6; productivity 48 + 50 + 73 + 71 = 242
    dutch = ["zo-drenthe", "twente", "groot-rijnmond", "zo-brabant"]
    assert sum(df[(r, "unemployment")] for r in dutch) == pytest.approx(30.6)
    assert sum(df[(r, "labour_productivity")] for r in dutch) == pytest.approx(242)
    # Tabel 2: establishments per 100 000 labour force 1082 + 1086 + 1105 + 1259 = 4532
    assert sum(df[(r, "establishments_per_100k_labour_force")] for r in dutch) == pytest.approx(4532)
    # Tabel 4: Emsland 2.1, 13, 21, 13, 1082, 3.2 (sum 1134.3); Bremen -0.2, 58, 26, 29, 1086, 10.9 (sum 1209.7)
    assert df.loc["emsland"].sum() == pytest.approx(1134.3)
    assert df.loc["bremen"].sum() == pytest.approx(1209.7)


def test_foreign_controlled_establishments_match_table_1_2():
    df = data.load("foreign_controlled_establishments")
    by_area = df.groupby("region_id")["establishments"].sum(min_count=1)
    # Tabel 1.2, by hand: Twente 560 + 620 + 635 + 660 = 2475; Nederland 19310 + 21320 + 22395 + 23210 = 86235
    assert by_area["twente"] == 2475
    assert by_area["nl"] == 86235
    # Duitsland 26934 + 27717 + 25011 + 26869 = 106531
    assert by_area["de"] == 106531
    # Emsland has no values: missing, never zero
    emsland = df[df["region_id"] == "emsland"]
    assert len(emsland) == 4 and emsland["establishments"].isna().all()
    # Bremen's single value is kept without a year and with a note saying why
    bremen = df[df["region_id"] == "bremen"]
    assert len(bremen) == 1 and bremen["year"].isna().all() and bremen["establishments"].iloc[0] == 233
    assert "unknown" in bremen["note"].iloc[0]


def test_largest_employers_have_ten_firms_per_region_and_table_ranks():
    df = data.load("largest_employers")
    assert df.groupby("region_id")["rank"].apply(sorted).map(list).eq([list(range(1, 11))] * 6).all()
    # Tabel 3 '#n' marks: Twente #11 and #37, Rijnmond #34 and #9, ZO Brabant #2 #1 #14 #12 #5
    ranks = df.dropna(subset=["rd_top60_rank"]).groupby("region_id")["rd_top60_rank"].apply(sorted).map(list)
    assert ranks.to_dict() == {"twente": [11, 37], "groot-rijnmond": [9, 34], "zo-brabant": [1, 2, 5, 12, 14]}
    # Take-over years given in Tabel 3: 2011 (Wavin), 1990, 2009, 2003, 2008, 2003 (Twente), 1996 (DAF)
    assert sorted(df["takeover_year"].dropna().astype(int)) == [1990, 1996, 2003, 2003, 2008, 2009, 2011]


def test_stated_hq_counts_match_tables_3_and_5():
    df = data.load("employer_hq_counts_stated").set_index("region_id")
    # Tabel 3: 7/5, 6/4, 6/6, 4/3; Tabel 5: Emsland 2/1, Bremen (empty)/1
    assert df["hq_outside_region"].tolist()[:5] == [7, 6, 6, 4, 2]
    assert pd.isna(df.loc["bremen", "hq_outside_region"])
    assert df["hq_outside_country"].tolist() == [5, 4, 6, 3, 1, 1]


def test_claims_have_unique_ids_and_known_recompute_rules():
    df = data.load("claims")
    assert df["claim_id"].is_unique
    rules = df["recompute"].dropna()
    prefixes = {
        "sector_share",
        "sector_share_ratio",
        "key_figure",
        "hq_in_region",
        "hq_outside_country",
        "hq_national_outside_region",
        "industrial_count",
        "rd_top60_in_table",
    }
    assert set(rules.str.split(":").str[0]) <= prefixes
    # claims the issue names explicitly
    values = df.set_index("claim_id")["value"]
    assert values["ch1_entry_rate"] == 13 and values["ch5_emsland_industry"] == 42 and values["ch5_de_industry"] == 30
    assert values["ch5_de_places_per_100"] == 103.7


def test_organisations_cover_every_dutch_region_and_kinds():
    df = data.load("organisations")
    assert {"CIV", "CoE", "opleidingsbedrijf", "scholingspool", "bedrijfsschool"} <= set(df["kind"])
    # the RIF is a fund that pays for centres, not a kind of organisation (chapter 4: 'mede gefinancierd uit het RIF')
    assert "RIF" not in set(df["kind"])
    assert set(df["region_id"]) >= {"zo-drenthe", "twente", "groot-rijnmond", "zo-brabant", "emsland"}
    twente = df[df["region_id"] == "twente"].set_index("org_id")
    assert twente.loc["obm_twente", "member_firms"] == 43 and twente.loc["techwise", "founded"] == 2013


def test_every_dataset_loads_and_is_described():
    names = data.list_datasets()
    for required in [
        "employees_by_sector",
        "occupational_dynamics",
        "key_figures",
        "largest_employers",
        "foreign_controlled_establishments",
        "claims",
    ]:
        assert required in names
    for name in names:
        frame = data.load(name)
        assert len(frame) > 0
        prov = data.provenance(name)
        assert prov.report_location and prov.original_source, name


def test_datapackage_is_valid_frictionless():
    from frictionless import Package

    report = Package(str(paths.DATA_DIR / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# --- every constraint of the loader's schemas, each broken once --------------------------------------------------
# The schemas are generated from the fields of data/datapackage.json. Written out here by hand, column by column,
# is what the hand-written pandera schemas they replaced enforced (helpers/data.py before issue 31), each with a
# value that breaks it: a constraint that goes missing from the package, or a type that becomes laxer, fails a case.
# Bad values are near misses: a reference area where only study regions may stand, 1.5 in an integer column, the
# bound plus one.

REQUIRED = ("required", "")


def _range(low, high, step=1):
    return [("minimum", str(low - step)), ("maximum", str(high + step))]


def _integer(*checks):
    return [("type", "1.5"), *checks]


def _number(*checks):
    return [("type", "x"), *checks]


ANY_AREA, STUDY_REGION, DUTCH_REGION = ("enum", "xx"), ("enum", "nl"), ("enum", "emsland")
BASIS = ("enum", "reported")  # stated or interpreted
CHAPTER_FILE = ("pattern", "ch3_regions.md")  # a chapter file without .md
STABLE_ID = ("pattern", "Routes")  # lower-case letters, digits and _
OLD_CONSTRAINTS: dict[str, dict[str | tuple[str, ...], list[tuple[str, str]]]] = {
    "employees_by_sector": {
        "region_id": [REQUIRED, ANY_AREA],
        "nace_section": [REQUIRED, ("enum", "T")],
        "sector_nl": [REQUIRED],
        "sector_en": [REQUIRED],
        "employees_thousands": [REQUIRED, *_number(("minimum", "-0.1"))],
        ("region_id", "nace_section"): [("primary key", "")],
    },
    "occupational_dynamics": {
        "region_id": [REQUIRED, DUTCH_REGION],
        "block": [REQUIRED, ("enum", "status_2015")],
        "measure": [REQUIRED],
        "label_nl": [REQUIRED],
        "label_en": [REQUIRED],
        "share_percent": [REQUIRED, *_number(*_range(0, 100, 0.5))],
        ("region_id", "measure"): [("primary key", "")],
    },
    "key_figures": {
        "region_id": [REQUIRED, STUDY_REGION],
        "source_table": [REQUIRED, ("enum", "Tabel 3")],
        "indicator": [REQUIRED],
        "label_nl": [REQUIRED],
        "label_en": [REQUIRED],
        "value": [REQUIRED, *_number()],
        "unit": [REQUIRED],
        "period": [REQUIRED],
        ("region_id", "indicator"): [("primary key", "")],
    },
    "largest_employers": {
        "region_id": [REQUIRED, STUDY_REGION],
        "source_table": [REQUIRED, ("enum", "Tabel 2")],
        "rank": [REQUIRED, *_integer(*_range(1, 10))],
        "firm": [REQUIRED],
        "hq_scope": [REQUIRED, ("enum", "national")],
        "takeover_year": _integer(*_range(1800, 2016)),
        "rd_top60_rank": _integer(*_range(1, 60)),
        "industrial": [("type", "yes")],
        ("region_id", "rank"): [("primary key", "")],
    },
    "employer_hq_counts_stated": {
        "region_id": [REQUIRED, STUDY_REGION, ("unique", "")],
        "source_table": [REQUIRED, ("enum", "Tabel 2")],
        "hq_outside_region": _integer(*_range(0, 10)),
        "hq_outside_country": _integer(*_range(0, 10)),
    },
    "foreign_controlled_establishments": {
        "region_id": [REQUIRED, ANY_AREA],
        "year": _integer(*_range(2010, 2013)),
        "establishments": _integer(("minimum", "-1")),
    },
    "claims": {
        "claim_id": [REQUIRED, ("unique", "")],
        "chapter": [REQUIRED],
        "section": [REQUIRED],
        "quote_nl": [REQUIRED],
        "value": [REQUIRED, *_number()],
        "unit": [REQUIRED],
        "region_id": [ANY_AREA],
        "variable": [REQUIRED],
    },
    "pavitt_types": {
        "region_id": [REQUIRED, STUDY_REGION],
        "pavitt_type": [REQUIRED, ("enum", "science based")],
        "label_en": [REQUIRED],
        "basis": [REQUIRED, BASIS],
        "evidence_nl": [REQUIRED],
        "section": [REQUIRED],
    },
    "cooperation_levels": {
        "level": [REQUIRED, ("unique", ""), *_integer(*_range(1, 4))],
        "label_nl": [REQUIRED],
        "label_en": [REQUIRED],
    },
    "region_cooperation": {
        "region_id": [REQUIRED, ("unique", ""), STUDY_REGION],
        **{c: [REQUIRED, *_integer(*_range(1, 4))] for c in ("level", "level_low", "level_high")},
        "ladder_position": [REQUIRED, *_integer(*_range(1, 6))],
        "autonomy_to_centre": _integer(*_range(1, 4)),
        "agenda_breadth": _integer(*_range(1, 4)),
        "basis": [REQUIRED, BASIS],
        "justification_nl": [REQUIRED],
        "reading_note": [REQUIRED],
        "section": [REQUIRED],
    },
    "firm_identifications": {
        "region_id": [REQUIRED, STUDY_REGION],
        "name_in_text": [REQUIRED],
        "match": [REQUIRED, ("enum", "likely")],
        "report_section": [REQUIRED],
        ("region_id", "name_in_text"): [("primary key", "")],
    },
    "organisations": {
        "org_id": [REQUIRED, ("unique", "")],
        "region_id": [REQUIRED, STUDY_REGION],
        "name": [REQUIRED],
        "kind": [REQUIRED, ("enum", "RIF")],
        "kind_basis": [REQUIRED, BASIS],
        "education_level": [("enum", "wo")],
        "founded": _integer(*_range(1800, 2016)),
        "member_firms": _integer(("minimum", "-1")),
        "students": _integer(("minimum", "-1")),
        "board_members": _integer(("minimum", "-1")),
    },
    "case_studies": {
        "region_id": [REQUIRED, STUDY_REGION],
        "aspect": [REQUIRED, ("enum", "history")],
        "order": [REQUIRED, *_integer(*_range(1, 5))],
        "text_en": [REQUIRED],
        "org_ids": [("pattern", "a;;b")],
        "report_chapter": [REQUIRED, ("enum", "3")],
        "report_section": [REQUIRED],
        ("region_id", "aspect"): [("primary key", "")],
    },
    "synthesis_points": {
        "point": [REQUIRED, ("unique", ""), *_integer(*_range(1, 6))],
        "title_en": [REQUIRED],
        "text_en": [REQUIRED],
        "report_chapter": [REQUIRED, ("enum", "5")],
        "report_section": [REQUIRED],
    },
    "recommendations": {
        "rec_id": [REQUIRED, ("unique", ""), STABLE_ID],
        "order": [REQUIRED, ("unique", ""), *_integer(("minimum", "0"))],
        "theme": [REQUIRED],
        "text_en": [REQUIRED],
        "report_chapter": [REQUIRED, ("enum", "5")],
        "report_section": [REQUIRED],
    },
    "institutional_comparison": {
        "aspect_id": [REQUIRED, ("unique", ""), STABLE_ID],
        "order": [REQUIRED, ("unique", ""), *_integer(("minimum", "0"))],
        "aspect": [REQUIRED],
        "germany_en": [REQUIRED],
        "netherlands_en": [REQUIRED],
        "netherlands_basis": [REQUIRED, ("enum", "stated")],
        "report_section": [REQUIRED],
    },
    "report_sections": {
        "section_id": [REQUIRED, ("unique", ""), ("pattern", "app-fig")],
        "order": [REQUIRED, ("unique", ""), *_integer(("minimum", "0"))],
        "report_chapter": [REQUIRED],
        "kind": [REQUIRED, ("enum", "chapter")],
        "heading_nl": [REQUIRED],
        "heading_en": [REQUIRED],
        "book_page": [("pattern", "chapters/index.ipynb")],
        "anchor": [("pattern", "Foreword")],
        "status": [REQUIRED, ("enum", "carried in part")],
    },
    "mbo_variants": {
        "variant": [REQUIRED, ("unique", ""), ("enum", "f")],
        "label_nl": [REQUIRED],
        "label_en": [REQUIRED],
    },
    "research_questions": {
        "question": [REQUIRED, ("unique", ""), *_integer(*_range(1, 4))],
        "question_en": [REQUIRED],
        "question_nl": [REQUIRED],
        "answer_en": [REQUIRED],
        "report_location": [REQUIRED],
        "book_page": [REQUIRED, CHAPTER_FILE],
        "book_section": [REQUIRED],
        "evidence": [REQUIRED],
    },
    "report_conclusions": {
        "conclusion": [REQUIRED, ("unique", ""), *_integer(("minimum", "0"))],
        "statement_en": [REQUIRED],
        "quote_nl": [REQUIRED],
        "report_location": [REQUIRED],
        "book_page": [REQUIRED, CHAPTER_FILE],
        "evidence": [REQUIRED],
        "edition_test": [("enum", "chi_square")],
    },
    "ecosystem_elements": {
        "element_id": [REQUIRED, ("unique", "")],
        "group": [REQUIRED, ("enum", "core")],
        "label_nl": [REQUIRED],
        "label_en": [REQUIRED],
    },
    "country_outlines": {
        "country": [REQUIRED, ("pattern", "DE")],
        "part": [REQUIRED, *_integer(("minimum", "-1"))],
        "point": [REQUIRED, *_integer(("minimum", "-1"))],
        "lon": [REQUIRED, *_number(*_range(-180, 180, 0.5))],
        "lat": [REQUIRED, *_number(*_range(-90, 90, 0.5))],
    },
    "region_locations": {
        "region_id": [REQUIRED, STUDY_REGION],
        "lon": [REQUIRED, *_number(*_range(-180, 180, 0.5))],
        "lat": [REQUIRED, *_number(*_range(-90, 90, 0.5))],
        "place": [REQUIRED],
    },
    "nuts_2013_labels": {
        "nuts_code": [REQUIRED, ("unique", ""), ("pattern", "BE1000")],
        "nuts_level": [REQUIRED, *_integer(("enum", "4"))],
        "country": [REQUIRED, ("pattern", "BEL")],
        "label": [REQUIRED],
    },
    "glossary": {
        "term_id": [REQUIRED, ("unique", ""), ("pattern", "Dual training")],
        "term_en": [REQUIRED, ("unique", "")],
        "term_nl": [REQUIRED, ("unique", "")],
        "term_de": [REQUIRED, ("unique", "")],
        "forms_en": [("pattern", "ROC;;ROCs")],
        "forms_nl": [("pattern", "ROC; ROCs")],
        "forms_de": [("pattern", ";IHK")],
        "definition_en": [REQUIRED],
        "definition_nl": [REQUIRED],
        "report_sections": [("pattern", "ch5_systems;")],
    },
    "corop_regions": {"corop_code": [REQUIRED, ("unique", ""), ("pattern", "CR41")], "name": [REQUIRED]},
}


# The columns the hand-written schemas allowed empty; every other column was required (cases above).
OPTIONAL_COLUMNS = {
    "key_figures": {"note"},
    "largest_employers": {
        "annotation_in_report",
        "hq_location",
        "takeover_year",
        "rd_top60_rank",
        "industrial",
        "note",
    },
    "employer_hq_counts_stated": {"hq_outside_region", "hq_outside_country", "note"},
    "foreign_controlled_establishments": {"year", "establishments", "note"},
    "claims": {"region_id", "period", "quotes", "recompute", "note"},
    "region_cooperation": {"autonomy_to_centre", "agenda_breadth"},
    "firm_identifications": {"firm_in_table", "reason"},
    "organisations": {"education_level", "founded", "member_firms", "students", "board_members", "note"},
    "case_studies": {"org_ids"},
    "report_sections": {"book_page", "anchor", "note"},
    "research_questions": {"audit_checks"},
    "report_conclusions": {"audit_checks", "edition_test"},
    "glossary": {"forms_en", "forms_nl", "forms_de", "report_sections", "report_wording", "note"},
}


def test_the_generated_schemas_have_the_columns_and_the_optional_ones_of_the_hand_written_ones():
    assert data.list_datasets() == list(OLD_CONSTRAINTS)
    for name, constraints in OLD_CONSTRAINTS.items():
        schema = data.schema(name)
        named = {c for key in constraints for c in (key if isinstance(key, tuple) else (key,))}
        assert named <= set(schema.columns), name
        assert {c for c, column in schema.columns.items() if column.nullable} == OPTIONAL_COLUMNS.get(name, set()), name
        assert schema.strict is True, name


def _constraint_cases():
    for name, columns in OLD_CONSTRAINTS.items():
        for column, constraints in columns.items():
            for kind, bad in constraints:
                label = "+".join(column) if isinstance(column, tuple) else column
                yield pytest.param(name, column, kind, bad, id=f"{name}-{label}-{kind}-{bad}")


def _one_dataset(tmp_path: Path, monkeypatch, name: str) -> tuple[Path, list[list[str]]]:
    """A data folder with the package descriptor and the dataset's file (the loader reads nothing else), and the
    file's rows."""
    source = paths.DATA_DIR / f"{name}.csv"
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(paths.DATA_DIR / "datapackage.json", folder)
    monkeypatch.setattr(paths, "DATA_DIR", folder)
    with open(source, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return folder / f"{name}.csv", rows


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("name, column, kind, bad", list(_constraint_cases()))
def test_every_constraint_of_the_hand_written_schemas_still_rejects(tmp_path, monkeypatch, name, column, kind, bad):
    """The first row (line 2) breaks one constraint: the error names file, line and column, the value as the file
    has it, and the constraint. A uniqueness case copies the second row's value(s) into the first."""
    path, rows = _one_dataset(tmp_path, monkeypatch, name)
    columns = column if isinstance(column, tuple) else (column,)
    for each in columns:
        at = rows[0].index(each)
        rows[1][at] = rows[2][at] if kind in ("unique", "primary key") else bad
    _write_rows(path, rows)
    with pytest.raises(data.DataError) as err:
        data.load(name)
    where = f"{path}, line 2, column{'s' if len(columns) > 1 else ''} {', '.join(columns)}: "
    if os.environ.get("OLD_SCHEMA_RUN"):
        where = f"{path}, line 2, column {columns[0]}: "
    lines = [line.strip() for line in str(err.value).splitlines() if where in line]
    assert lines, str(err.value)
    shown = repr(rows[1][rows[0].index(columns[0])]) if len(columns) == 1 else None
    if os.environ.get("OLD_SCHEMA_RUN"):
        return
    expected = f"fails {kind}"
    assert any(expected in line and (shown is None or f"value {shown} " in line) for line in lines), lines


# Rules across the columns of a row, which no field constraint can express (named checks in helpers.data): a row
# (found by its first cells) edited to break one, and the words of the rule.
ROW_RULE_CASES = [
    (
        "key_figures",
        "zo-drenthe,Tabel 2,share_students_higher_education",
        {"value": "101"},
        ("indicator", "value"),
        "a share (an indicator share_*) must lie within 0-100",
    ),
    (
        "region_cooperation",
        "twente,",
        {"level": "4", "level_high": "3"},
        ("level", "level_low", "level_high"),
        "level must lie within level_low-level_high",
    ),
    (
        "region_cooperation",
        "emsland,",
        {"level_high": "4"},
        ("basis", "level_low", "level_high"),
        "a level the report states has no range",
    ),
    (
        "firm_identifications",
        "twente,Power Packer Europa",
        {"reason": ""},
        ("match", "reason"),
        "an uncertain or absent identification needs its reason",
    ),
    (
        "case_studies",
        "zo-drenthe,economy",
        {"order": "2"},
        ("aspect", "order"),
        "order must follow the aspect (economy 1 ... assessment 5)",
    ),
    (
        "report_sections",
        "foreword,",
        {"status": "not carried"},
        ("status", "book_page"),
        "a carried section names its book page; a section not carried names none",
    ),
    (
        "report_sections",
        "foreword,",
        {"status": "partly carried", "note": ""},
        ("status", "note"),
        "a section not (fully) carried says why in note",
    ),
    (
        "nuts_2013_labels",
        "BE1,",
        {"nuts_level": "2"},
        ("nuts_code", "nuts_level"),
        "a NUTS code has two letters for the country and one character per level",
    ),
    (
        "nuts_2013_labels",
        "BE1,",
        {"country": "DE"},
        ("nuts_code", "country"),
        "a NUTS code starts with its country's code",
    ),
]


@pytest.mark.parametrize(
    "name, starts, edits, columns, rule",
    ROW_RULE_CASES,
    ids=[f"{case[0]}-{'+'.join(case[2])}" for case in ROW_RULE_CASES],
)
def test_every_rule_across_columns_rejects_the_row_that_breaks_it(
    tmp_path, monkeypatch, name, starts, edits, columns, rule
):
    path, rows = _one_dataset(tmp_path, monkeypatch, name)
    index = next(i for i, row in enumerate(rows) if ",".join(row).startswith(starts))
    for column, value in edits.items():
        rows[index][rows[0].index(column)] = value
    _write_rows(path, rows)
    with pytest.raises(data.DataError) as err:
        data.load(name)
    if os.environ.get("OLD_SCHEMA_RUN"):
        assert rule in str(err.value)
        return
    assert f"{path}, line {index + 1}, columns {', '.join(columns)}: " in str(err.value)
    assert rule in str(err.value)


def _edit_field(data_dir: Path, dataset: str, column: str, **constraints) -> None:
    import json

    descriptor = data_dir / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == dataset)
    field = next(f for f in resource["schema"]["fields"] if f["name"] == column)
    field.setdefault("constraints", {}).update(constraints)
    descriptor.write_text(json.dumps(package), encoding="utf-8")


def test_a_constraint_written_in_the_package_is_what_a_load_checks(data_copy):
    """The package is the one description: narrowing a field's choices there rejects a file the loader took."""
    assert "zo-brabant" in set(data.load("pavitt_types")["region_id"])
    _edit_field(data_copy, "pavitt_types", "region_id", enum=["zo-drenthe", "twente"])
    with pytest.raises(
        data.DataError,
        match=r"pavitt_types.csv, line 4, column region_id: value 'groot-rijnmond' "
        r"fails enum: one of zo-drenthe, twente\n",
    ):
        data.load("pavitt_types")


def test_a_constraint_the_loader_cannot_enforce_is_refused_not_ignored(data_copy):
    _edit_field(data_copy, "mbo_variants", "label_en", maxLength=300)
    with pytest.raises(
        data.DataError,
        match=r"datapackage.json, dataset mbo_variants, field label_en: constraint\(s\) "
        r"maxLength not supported by helpers.data",
    ):
        data.load("mbo_variants")


# --- bad data gives clear errors ------------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    monkeypatch.setattr(paths, "DATA_DIR", target)
    return target


def test_the_package_descriptor_is_parsed_once_until_it_changes(data_copy, monkeypatch):
    """Every dataset lookup reads datapackage.json; it is parsed again only when the file changed: rewritten with
    the same size, replaced, or made unreadable."""
    import json
    import os

    from helpers import datapackage

    parses = []
    real_loads = json.loads
    monkeypatch.setattr(datapackage.json, "loads", lambda text: (parses.append(1), real_loads(text))[1])
    descriptor = data_copy / "datapackage.json"
    first = data.list_datasets()
    data.dataset_stamp(first[0]), data.provenance(first[0]), data.list_datasets()
    assert len(parses) == 1
    text = descriptor.read_text(encoding="utf-8")
    renamed = text.replace(f'"name": "{first[0]}"', f'"name": "{first[0][:-1]}X"', 1)
    assert len(renamed) == len(text)
    stat = descriptor.stat()
    descriptor.write_text(renamed, encoding="utf-8")
    os.utime(descriptor, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and modification time
    assert data.list_datasets()[0] == first[0][:-1] + "X" and len(parses) == 2
    descriptor.chmod(0)
    if not os.access(descriptor, os.R_OK):  # (root reads any file)
        with pytest.raises(data.DataError, match="cannot be read"):
            data.list_datasets()


def _replace_line(path: Path, old_start: str, new_line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    idx = next(i for i, line in enumerate(lines) if line.startswith(old_start))
    lines[idx] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_non_numeric_value_names_file_line_and_column(data_copy):
    _replace_line(data_copy / "employees_by_sector.csv", "twente,C,", "twente,C,Industrie,Manufacturing,veel")
    with pytest.raises(data.DataError) as err:
        data.load("employees_by_sector")
    msg = str(err.value)
    assert "employees_by_sector.csv" in msg and "line 23" in msg and "employees_thousands" in msg and "'veel'" in msg


def test_negative_count_is_rejected(data_copy):
    _replace_line(data_copy / "foreign_controlled_establishments.csv", "twente,2011,", "twente,2011,-620,")
    with pytest.raises(data.DataError, match=r"line \d+, column establishments: value '-620' fails minimum 0$"):
        data.load("foreign_controlled_establishments")


def test_share_over_100_is_rejected(data_copy):
    _replace_line(
        data_copy / "occupational_dynamics.csv",
        "twente,status_2014,",
        "twente,status_2014,no_job,Geen baan,No job in 2014,147",
    )
    with pytest.raises(data.DataError, match=r"line 9, column share_percent: value '147' fails maximum 100$"):
        data.load("occupational_dynamics")


def test_unknown_region_id_is_rejected_with_valid_ids(data_copy):
    _replace_line(
        data_copy / "key_figures.csv",
        "twente,Tabel 2,unemployment",
        "twentr,Tabel 2,unemployment,Werkloosheid (%),Unemployment rate,7.2,percent,2015,",
    )
    with pytest.raises(data.DataError) as err:
        data.load("key_figures")
    assert "'twentr'" in str(err.value) and "zo-drenthe, twente" in str(err.value)


def test_missing_required_column_is_named(data_copy):
    path = data_copy / "claims.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["unit"])
    frame.to_csv(path, index=False)
    with pytest.raises(data.DataError, match=r"claims.csv: missing required column\(s\) unit"):
        data.load("claims")


def test_truncated_csv_is_rejected_with_line_number(data_copy):
    path = data_copy / "employees_by_sector.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("twente,D,") + len("twente,D,Energ")], encoding="utf-8")
    with pytest.raises(data.DataError, match=r"employees_by_sector.csv, line 24: 3 fields where the header has 5"):
        data.load("employees_by_sector")


def test_unknown_dataset_lists_valid_names():
    with pytest.raises(data.DataError, match="valid names: employees_by_sector"):
        data.load("employment")


def test_load_returns_a_copy():
    first = data.load("key_figures")
    first.loc[0, "value"] = -999
    assert data.load("key_figures").loc[0, "value"] != -999


def test_invalid_utf8_names_the_file_and_line(data_copy):
    path = data_copy / "claims.csv"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"e", b"\xe9", 1)  # Latin-1 'é' in a UTF-8 file
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(data.DataError, match=r"claims.csv, line 5: not valid UTF-8 \(byte 0xe9\)"):
        data.load("claims")


def test_header_only_file_says_it_has_no_rows(data_copy):
    path = data_copy / "key_figures.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"key_figures.csv: has a header but no rows"):
        data.load("key_figures")


def test_extra_column_is_named(data_copy):
    path = data_copy / "mbo_variants.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",colour"] + [line + ",red" for line in lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(
        data.DataError, match=r"mbo_variants.csv: unexpected column\(s\) 'colour'; the columns are variant"
    ):
        data.load("mbo_variants")


def test_byte_order_mark_is_tolerated(data_copy):
    expected = data.load("key_figures")
    path = data_copy / "key_figures.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    pd.testing.assert_frame_equal(data.load("key_figures"), expected)


def test_unreadable_data_file_is_named_before_loading(data_copy, monkeypatch):
    real_open = open

    def refuse(file, *args, **kwargs):
        if str(file).endswith("claims.csv"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(data.DataError, match=r"claims.csv: cannot be read \(Permission denied\)"):
        data.check_readable()


# --- The report's structured argument (chapters 4-6) and the map of its sections -----------------------------

REPORT_DATASETS = ["case_studies", "synthesis_points", "recommendations", "institutional_comparison", "report_sections"]


@pytest.mark.parametrize("name", REPORT_DATASETS)
def test_report_structure_datasets_load_validate_and_are_described(name):
    frame = data.load(name)
    assert len(frame) > 0
    prov = data.provenance(name)
    assert prov.report_location and prov.original_source and prov.description


def _numbers_left(text: str) -> list[str]:
    """Digit groups in a summary once years, the report's labels and names with digits are taken out."""
    text = re.sub(r"\b1[89]\d\ds?\b|\b20[0-3]\ds?\b", " ", text)  # years, decades
    text = re.sub(r"\b(levels?|level|chapters?|Figure|Tabel|top)\s+\d+(\s+and\s+\d+)?", " ", text)  # labels
    text = re.sub(r"\b\w*[A-Za-z]\d\w*\b", " ", text)  # names such as Innifil3D
    return re.findall(r"\d+", text)


def test_summaries_type_no_numbers_of_their_own():
    texts = {
        "case_studies": ["text_en"],
        "synthesis_points": ["text_en"],
        "recommendations": ["text_en"],
        "institutional_comparison": ["germany_en", "netherlands_en"],
    }
    found = {
        (name, i): _numbers_left(row[c])
        for name, cols in texts.items()
        for i, row in data.load(name).iterrows()
        for c in cols
        if _numbers_left(row[c])
    }
    assert not found


def test_case_studies_follow_the_report_for_every_region():
    cs = data.load("case_studies")
    aspects = ["economy", "networks", "initiative", "arrangements"]
    for region in ["zo-drenthe", "twente", "groot-rijnmond", "zo-brabant", "emsland", "bremen"]:
        got = cs[cs["region_id"] == region].sort_values("order")["aspect"].tolist()
        assert got[:4] == aspects, region
    # the four Dutch case studies close with the report's assessment; chapter 5 gives none for the German two
    assert set(cs.loc[cs["aspect"] == "assessment", "region_id"]) == {
        "zo-drenthe",
        "twente",
        "groot-rijnmond",
        "zo-brabant",
    }
    # terms the report uses for each region (chapter 4 and 5)
    text = cs.groupby("region_id")["text_en"].apply(" ".join)
    assert "filiaaleconomie" in text["zo-drenthe"] and "Green PAC" in text["zo-drenthe"]
    assert "Bedrijfsvakschool" in text["zo-drenthe"] and "Regionaal Techniek Centrum" in text["zo-drenthe"]
    assert "TechWise" in text["twente"] and "OBM Twente" in text["twente"] and "TechForFuture" in text["twente"]
    assert "Deltalinqs" in text["groot-rijnmond"] and "Netherlands Maritime Technology" in text["groot-rijnmond"]
    assert "RDM Trainingsplant" in text["groot-rijnmond"]
    for term in ("Stichting Brainport", "Teclab", "Brainport Industries College", "Praktijkschool", "Techpool"):
        assert term in text["zo-brabant"], term
    assert "Wel perifeer, niet noodlijdend!" in text["emsland"] and "Ems-Achse" in text["emsland"]
    assert "Arme Leute Region" in text["emsland"]


def test_case_studies_name_only_known_organisations():
    known = set(data.load("organisations")["org_id"])
    named = {o for ids in data.load("case_studies")["org_ids"].dropna() for o in ids.split(";")}
    assert named and named <= known, named - known


def test_synthesis_has_the_six_points_and_recommendations_the_report_makes():
    points = data.load("synthesis_points")
    assert points["point"].tolist() == [1, 2, 3, 4, 5, 6]
    assert "organiserend vermogen" in points.loc[points["point"] == 5, "text_en"].iloc[0]
    assert all(m in points.loc[points["point"] == 6, "text_en"].iloc[0] for m in ("OCW", "SZW", "EZ"))
    recs = data.load("recommendations").sort_values("order")
    joined = " ".join(recs["text_en"])
    for term in (
        "RIF",
        "Werkbedrijf",
        "human capital",
        "sector plan",
        "roadmap",
        "Berufsfachschule",
        "hbo",
        "first of September",
        "base elements",
        "system elements",
    ):
        assert term in joined, term


def test_cooperation_follows_the_reports_words_and_benchmark():
    coop = data.load("region_cooperation").set_index("region_id")
    ladder = coop["ladder_position"]
    # chapter 4, point 3: ZO Drenthe 'vooral 1 op 1', Rijnmond 'losse initiatieven',
    # 'Twente en vooral Brainport-regio zijn een stap verder'
    assert ladder["zo-drenthe"] < ladder["groot-rijnmond"] < ladder["twente"] < ladder["zo-brabant"]
    # chapter 5: 'Vergelijkbaar met Brainport is er een gemeenschappelijke regie te zien' (Emsland and Bremen), and
    # the German way is the model: no Dutch region above the German regions
    assert ladder["emsland"] == ladder["bremen"] == ladder["zo-brabant"] == ladder.max()
    # chapter 5: 'in de derde fase' for both German regions, stated, so without a range
    assert coop.loc["emsland", ["level", "level_low", "level_high"]].tolist() == [3, 3, 3]
    assert coop.loc["bremen", "basis"] == "stated"
    assert (coop.loc[list(regions.DUTCH_REGIONS), "level"] <= coop.loc["emsland", "level"]).all()
    # the report never says a region reaches level 4: for Twente and Brainport it is the other reading, not the one used
    assert coop.loc[["twente", "zo-brabant"], "level_high"].tolist() == [4, 4]
    assert coop.loc[["twente", "zo-brabant"], "level"].tolist() == [3, 3]
    assert coop["reading_note"].str.len().min() > 0


def test_a_level_outside_the_readings_the_words_allow_is_rejected(data_copy):
    path = data_copy / "region_cooperation.csv"
    path.write_text(path.read_text().replace("twente,3,3,4,", "twente,4,3,3,"))
    with pytest.raises(data.DataError, match="level must lie within"):
        data.load("region_cooperation")


def test_every_report_section_points_at_an_existing_page_and_anchor():
    import yaml

    root = paths.DATA_DIR.parent
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    in_toc = {toc["root"]} | {c["file"] for part in toc["parts"] for c in part["chapters"]}
    sections = data.load("report_sections").sort_values("order")
    for row in sections.itertuples():
        if row.status == "not carried":
            assert pd.isna(row.book_page) and row.note, row.section_id
            continue
        page = root / row.book_page
        assert page.exists(), (row.section_id, row.book_page)
        assert row.book_page.removesuffix(".md") in in_toc, row.book_page
        if pd.notna(row.anchor):
            assert f"({row.anchor})=" in page.read_text(), (row.section_id, row.anchor)


def test_report_sections_cover_the_whole_report_in_order():
    sections = data.load("report_sections").sort_values("order")
    chapters = list(dict.fromkeys(sections["report_chapter"]))
    assert chapters == ["Voorwoord", "Inleiding", "1", "2", "3", "4", "5", "6", "Bijlage 1", "Noten"]
    # every table of the report (Tabel 1-5, Tabel 1.1, 1.2) and figure (Figuur 1-7, 1.1-1.6) has a row
    headings = " ".join(sections["heading_nl"])
    for label in ["Tabel 1 ", "Tabel 2 ", "Tabel 3 ", "Tabel 4 ", "Tabel 5 ", "Tabel 1.1 ", "Tabel 1.2 "]:
        assert label in headings, label
    for n in [*range(1, 8), *(f"1.{i}" for i in range(1, 7))]:
        assert f"Figuur {n} " in headings or f"Figuur {n}:" in headings, n
    # chapter 3's four research questions are mapped one by one
    assert sections["section_id"].str.startswith("ch3_question_").sum() == 4


def test_a_section_not_carried_must_say_why(data_copy):
    path = data_copy / "report_sections.csv"
    text = path.read_text().splitlines()
    i = next(k for k, line in enumerate(text) if line.startswith("app_fig_1_2,"))
    text[i] = text[i].rsplit(",", 1)[0] + ","
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(data.DataError, match="says why in note"):
        data.load("report_sections")
