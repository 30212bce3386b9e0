"""Load the report's datasets from ``data/``, validated with pandera on every load.

``load(name)`` returns a tidy DataFrame; ``list_datasets()`` names what there is; ``provenance(name)`` gives
the report table, page or section, unit, reference year and original source, read from
``data/datapackage.json`` (the one place where provenance is written down).

Bad data raise ``DataError`` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from . import paths, user_files
from .datapackage import (  # noqa: F401 - part of this module's interface
    DataError,
    _datapackage,
    _resources,
    check_readable,
    data_hashes,
    data_version,
    file_hash,
)
from .regions import ALL_AREAS, DUTCH_REGIONS, STUDY_REGIONS

NACE_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRS")
HQ_SCOPES = ("in_region", "national_outside_region", "abroad")
ORG_KINDS = ("board", "commission", "platform", "network", "government", "fund", "employers_association", "cooperative",
             "sectorplan", "CIV", "CoE", "lectorate", "opleidingsbedrijf", "scholingspool", "bedrijfsschool",
             "training_centre", "campus")
#: The aspects of a regional case study, in the report's order; the first four answer the research questions 1-4.
CASE_ASPECTS = ("economy", "networks", "initiative", "arrangements", "assessment")
SECTION_STATUS = ("carried", "partly carried", "not carried")
SECTION_KINDS = ("section", "box", "table", "figure", "notes")
PAVITT_TYPES = ("supplier_dominated", "scale_intensive", "specialised_supplier", "science_based",
                "knowledge_intensive_system_integrator")


#: The languages of the glossary's terms (``term_<lang>``, ``forms_<lang>``); definitions are in English and Dutch.
GLOSSARY_LANGUAGES = ("en", "nl", "de")


def _forms() -> pa.Column:
    """Alternative forms of a term: ';'-separated, none empty, no space around the separator."""
    return pa.Column(str, pa.Check.str_matches(r"^[^;\s]([^;]*[^;\s])?(;[^;\s]([^;]*[^;\s])?)*$",
                                               error="forms are separated by ';' with no empty form"),
                     nullable=True)


def _region(allowed: tuple[str, ...], nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.isin(allowed, error=f"region id must be one of {', '.join(allowed)}"),
                     nullable=nullable)


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(str, nullable=nullable)


def _count(nullable: bool = False, max_value: int | None = None) -> pa.Column:
    checks = [pa.Check.ge(0, error="count must be non-negative")]
    if max_value is not None:
        checks.append(pa.Check.le(max_value, error=f"count must be at most {max_value}"))
    return pa.Column("Int64", checks, nullable=nullable, coerce=True)


def _share(nullable: bool = False) -> pa.Column:
    return pa.Column(float, pa.Check.in_range(0, 100, error="share must lie within 0-100"),
                     nullable=nullable, coerce=True)


def _bool(nullable: bool = True) -> pa.Column:
    return pa.Column("boolean", nullable=nullable, coerce=True)


def _percent_indicators_in_range(df: pd.DataFrame) -> pd.Series:
    """Shares ('share_*' indicators) lie within 0-100."""
    is_share = df["indicator"].str.startswith("share_")
    return ~is_share | df["value"].between(0, 100)


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "employees_by_sector": pa.DataFrameSchema(
        {
            "region_id": _region(ALL_AREAS),
            "nace_section": pa.Column(str, pa.Check.isin(NACE_SECTIONS)),
            "sector_nl": _text(),
            "sector_en": _text(),
            "employees_thousands": pa.Column(float, pa.Check.ge(0, error="count must be non-negative"),
                                             coerce=True),
        },
        unique=["region_id", "nace_section"],
        strict=True,
    ),
    "occupational_dynamics": pa.DataFrameSchema(
        {
            "region_id": _region(DUTCH_REGIONS),
            "block": pa.Column(str, pa.Check.isin(["status_2014", "occupation_2014", "level_2014"])),
            "measure": _text(),
            "label_nl": _text(),
            "label_en": _text(),
            "share_percent": _share(),
        },
        unique=["region_id", "measure"],
        strict=True,
    ),
    "key_figures": pa.DataFrameSchema(
        {
            "region_id": _region(STUDY_REGIONS),
            "source_table": pa.Column(str, pa.Check.isin(["Tabel 2", "Tabel 4"])),
            "indicator": _text(),
            "label_nl": _text(),
            "label_en": _text(),
            "value": pa.Column(float, coerce=True),
            "unit": _text(),
            "period": _text(),
            "note": _text(nullable=True),
        },
        checks=[pa.Check(_percent_indicators_in_range, error="share must lie within 0-100")],
        unique=["region_id", "indicator"],
        strict=True,
    ),
    "largest_employers": pa.DataFrameSchema(
        {
            "region_id": _region(STUDY_REGIONS),
            "source_table": pa.Column(str, pa.Check.isin(["Tabel 3", "Tabel 5"])),
            "rank": pa.Column("Int64", pa.Check.in_range(1, 10), coerce=True),
            "firm": _text(),
            "annotation_in_report": _text(nullable=True),
            "hq_scope": pa.Column(str, pa.Check.isin(HQ_SCOPES)),
            "hq_location": _text(nullable=True),
            "takeover_year": pa.Column("Int64", pa.Check.in_range(1800, 2016), nullable=True, coerce=True),
            "rd_top60_rank": pa.Column("Int64", pa.Check.in_range(1, 60), nullable=True, coerce=True),
            "industrial": _bool(),
            "note": _text(nullable=True),
        },
        unique=["region_id", "rank"],
        strict=True,
    ),
    "employer_hq_counts_stated": pa.DataFrameSchema(
        {
            "region_id": _region(STUDY_REGIONS),
            "source_table": pa.Column(str, pa.Check.isin(["Tabel 3", "Tabel 5"])),
            "hq_outside_region": _count(nullable=True, max_value=10),
            "hq_outside_country": _count(nullable=True, max_value=10),
            "note": _text(nullable=True),
        },
        unique=["region_id"],
        strict=True,
    ),
    "foreign_controlled_establishments": pa.DataFrameSchema(
        {
            "region_id": _region(ALL_AREAS),
            "year": pa.Column("Int64", pa.Check.in_range(2010, 2013), nullable=True, coerce=True),
            "establishments": _count(nullable=True),
            "note": _text(nullable=True),
        },
        strict=True,
    ),
    "claims": pa.DataFrameSchema(
        {
            "claim_id": pa.Column(str, unique=True),
            "chapter": _text(),
            "section": _text(),
            "quote_nl": _text(),
            "value": pa.Column(float, coerce=True),
            "unit": _text(),
            "region_id": _region(ALL_AREAS, nullable=True),
            "period": _text(nullable=True),
            "variable": _text(),
            "quotes": _text(nullable=True),
            "recompute": _text(nullable=True),
            "note": _text(nullable=True),
        },
        strict=True,
    ),
    "pavitt_types": pa.DataFrameSchema(
        {
            "region_id": _region(STUDY_REGIONS),
            "pavitt_type": pa.Column(str, pa.Check.isin(PAVITT_TYPES)),
            "label_en": _text(),
            "basis": pa.Column(str, pa.Check.isin(["stated", "interpreted"])),
            "evidence_nl": _text(),
            "section": _text(),
        },
        strict=True,
    ),
    "cooperation_levels": pa.DataFrameSchema(
        {"level": pa.Column("Int64", pa.Check.in_range(1, 4), unique=True, coerce=True),
         "label_nl": _text(), "label_en": _text()},
        strict=True,
    ),
    "region_cooperation": pa.DataFrameSchema(
        {
            "region_id": pa.Column(str, pa.Check.isin(STUDY_REGIONS), unique=True),
            "level": pa.Column("Int64", pa.Check.in_range(1, 4), coerce=True),
            "level_low": pa.Column("Int64", pa.Check.in_range(1, 4), coerce=True),
            "level_high": pa.Column("Int64", pa.Check.in_range(1, 4), coerce=True),
            "ladder_position": pa.Column("Int64", pa.Check.in_range(1, len(STUDY_REGIONS)), coerce=True),
            "autonomy_to_centre": pa.Column("Int64", pa.Check.in_range(1, 4), nullable=True, coerce=True),
            "agenda_breadth": pa.Column("Int64", pa.Check.in_range(1, 4), nullable=True, coerce=True),
            "basis": pa.Column(str, pa.Check.isin(["stated", "interpreted"])),
            "justification_nl": _text(),
            "reading_note": _text(),
            "section": _text(),
        },
        checks=[pa.Check(lambda df: ((df["level_low"] <= df["level"]) & (df["level"] <= df["level_high"])).all(),
                         error="level must lie within level_low-level_high (the readings the report's words allow)"),
                pa.Check(lambda df: (df.loc[df["basis"] == "stated", "level_low"]
                                     == df.loc[df["basis"] == "stated", "level_high"]).all(),
                         error="a level the report states has no range")],
        strict=True,
    ),
    "firm_identifications": pa.DataFrameSchema(
        {
            "region_id": _region(STUDY_REGIONS),
            "name_in_text": _text(),
            "firm_in_table": _text(nullable=True),
            "match": pa.Column(str, pa.Check.isin(["same", "uncertain", "absent"])),
            "reason": _text(nullable=True),
            "report_section": _text(),
        },
        checks=[pa.Check(lambda df: df.loc[df["match"] != "same", "reason"].notna().all(),
                         error="an uncertain or absent identification needs its reason")],
        unique=["region_id", "name_in_text"],
        strict=True,
    ),
    "organisations": pa.DataFrameSchema(
        {
            "org_id": pa.Column(str, unique=True),
            "region_id": _region(STUDY_REGIONS),
            "name": _text(),
            "kind": pa.Column(str, pa.Check.isin(ORG_KINDS)),
            "kind_basis": pa.Column(str, pa.Check.isin(["stated", "interpreted"])),
            "education_level": pa.Column(str, pa.Check.isin(["mbo", "hbo", "mbo+hbo"]), nullable=True),
            "founded": pa.Column("Int64", pa.Check.in_range(1800, 2016), nullable=True, coerce=True),
            "member_firms": _count(nullable=True),
            "students": _count(nullable=True),
            "board_members": _count(nullable=True),
            "note": _text(nullable=True),
        },
        strict=True,
    ),
    "case_studies": pa.DataFrameSchema(
        {
            "region_id": _region(STUDY_REGIONS),
            "aspect": pa.Column(str, pa.Check.isin(CASE_ASPECTS)),
            "order": pa.Column("Int64", pa.Check.in_range(1, len(CASE_ASPECTS)), coerce=True),
            "text_en": _text(),
            "org_ids": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+(;[a-z0-9_]+)*$"), nullable=True),
            "report_chapter": pa.Column(str, pa.Check.isin(["4", "5"])),
            "report_section": _text(),
        },
        checks=[pa.Check(lambda df: df["order"] == df["aspect"].map(lambda a: CASE_ASPECTS.index(a) + 1),
                         error="order must follow the aspect (economy 1 ... assessment 5)")],
        unique=["region_id", "aspect"],
        strict=True,
    ),
    "synthesis_points": pa.DataFrameSchema(
        {
            "point": pa.Column("Int64", pa.Check.in_range(1, 6), unique=True, coerce=True),
            "title_en": _text(),
            "text_en": _text(),
            "report_chapter": pa.Column(str, pa.Check.eq("4")),
            "report_section": _text(),
        },
        strict=True,
    ),
    "recommendations": pa.DataFrameSchema(
        {
            "rec_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
            "order": pa.Column("Int64", pa.Check.ge(1), unique=True, coerce=True),
            "theme": _text(),
            "text_en": _text(),
            "report_chapter": pa.Column(str, pa.Check.eq("6")),
            "report_section": _text(),
        },
        strict=True,
    ),
    "institutional_comparison": pa.DataFrameSchema(
        {
            "aspect_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
            "order": pa.Column("Int64", pa.Check.ge(1), unique=True, coerce=True),
            "aspect": _text(),
            "germany_en": _text(),
            "netherlands_en": _text(),
            "netherlands_basis": pa.Column(str, pa.Check.isin(["report", "edition"])),
            "report_section": _text(),
        },
        strict=True,
    ),
    "report_sections": pa.DataFrameSchema(
        {
            "section_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
            "order": pa.Column("Int64", pa.Check.ge(1), unique=True, coerce=True),
            "report_chapter": _text(),
            "kind": pa.Column(str, pa.Check.isin(SECTION_KINDS)),
            "heading_nl": _text(),
            "heading_en": _text(),
            "book_page": pa.Column(str, pa.Check.str_matches(r"^chapters/[a-z0-9_]+\.md$"), nullable=True),
            "anchor": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9-]+$"), nullable=True),
            "status": pa.Column(str, pa.Check.isin(SECTION_STATUS)),
            "note": _text(nullable=True),
        },
        checks=[
            pa.Check(lambda df: (df["status"] == "not carried") != df["book_page"].notna(),
                     error="a carried section names its book page; a section not carried names none"),
            pa.Check(lambda df: (df["status"] == "carried") | df["note"].notna(),
                     error="a section not (fully) carried says why in note"),
        ],
        strict=True,
    ),
    "mbo_variants": pa.DataFrameSchema(
        {"variant": pa.Column(str, pa.Check.isin(list("abcde")), unique=True), "label_nl": _text(),
         "label_en": _text()},
        strict=True,
    ),
    "research_questions": pa.DataFrameSchema(
        {
            "question": pa.Column("Int64", pa.Check.in_range(1, 4), unique=True, coerce=True),
            "question_en": _text(),
            "question_nl": _text(),
            "answer_en": _text(),
            "report_location": _text(),
            "book_page": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$", error="book_page must be a chapter file name without .md")),
            "book_section": _text(),
            "evidence": _text(),
            "audit_checks": _text(nullable=True),
        },
        strict=True,
    ),
    "report_conclusions": pa.DataFrameSchema(
        {
            "conclusion": pa.Column("Int64", pa.Check.ge(1), unique=True, coerce=True),
            "statement_en": _text(),
            "quote_nl": _text(),
            "report_location": _text(),
            "book_page": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$", error="book_page must be a chapter file name without .md")),
            "evidence": _text(),
            "audit_checks": _text(nullable=True),
            "edition_test": pa.Column(str, pa.Check.isin(["tabel1_homogeneity", "foreign_control_trends"]), nullable=True),
        },
        strict=True,
    ),
    "ecosystem_elements": pa.DataFrameSchema(
        {"element_id": pa.Column(str, unique=True), "group": pa.Column(str, pa.Check.isin(["base", "system"])),
         "label_nl": _text(), "label_en": _text()},
        strict=True,
    ),
    "country_outlines": pa.DataFrameSchema(
        {"country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")), "part": _count(), "point": _count(),
         "lon": pa.Column(float, pa.Check.in_range(-180, 180), coerce=True), "lat": pa.Column(float, pa.Check.in_range(-90, 90), coerce=True)},
        strict=True,
    ),
    "region_locations": pa.DataFrameSchema(
        {"region_id": _region(STUDY_REGIONS), "lon": pa.Column(float, pa.Check.in_range(-180, 180), coerce=True),
         "lat": pa.Column(float, pa.Check.in_range(-90, 90), coerce=True), "place": _text()},
        strict=True,
    ),
    "nuts_2013_labels": pa.DataFrameSchema(
        {"nuts_code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}[0-9A-Z]{0,3}$"), unique=True),
         "nuts_level": pa.Column("Int64", pa.Check.isin([0, 1, 2, 3]), coerce=True),
         "country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}$")), "label": _text()},
        checks=[pa.Check(lambda df: df["nuts_code"].str.len() == df["nuts_level"] + 2,
                         error="a NUTS code has two letters for the country and one character per level"),
                pa.Check(lambda df: df["nuts_code"].str[:2] == df["country"],
                         error="a NUTS code starts with its country's code")],
        strict=True,
    ),
    "glossary": pa.DataFrameSchema(
        {
            "term_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
            **{f"term_{lang}": pa.Column(str, unique=True) for lang in GLOSSARY_LANGUAGES},
            **{f"forms_{lang}": _forms() for lang in GLOSSARY_LANGUAGES},
            "definition_en": _text(),
            "definition_nl": _text(),
            "report_sections": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+(;[a-z0-9_]+)*$"), nullable=True),
            "report_wording": _text(nullable=True),
            "note": _text(nullable=True),
        },
        checks=[pa.Check(lambda df: df["report_sections"].notna() | df["note"].notna(),
                         error="a term the report does not use says in note where the book uses it"),
                pa.Check(lambda df: df["report_sections"].isna() == df["report_wording"].isna(),
                         error="a term the report uses quotes its wording, one it does not use quotes none")],
        strict=True,
    ),
    "corop_regions": pa.DataFrameSchema(
        {"corop_code": pa.Column(str, pa.Check.str_matches(r"^CR(0[1-9]|[1-3][0-9]|40)$"), unique=True),
         "name": _text()},
        strict=True,
    ),
}

_BOOL_COLUMNS = {"largest_employers": ["industrial"]}


@dataclass(frozen=True)
class Provenance:
    """Where a dataset comes from, as recorded in ``data/datapackage.json``."""

    name: str
    title: str
    path: Path
    report_location: str
    unit: str
    reference_period: str
    original_source: str
    description: str


def list_datasets() -> list[str]:
    """Names of all datasets, in the order of ``data/datapackage.json``."""
    return list(_resources())


def _check_name(name: str, data_dir: Path) -> dict:
    resources = _resources(data_dir)
    if not isinstance(name, str) or name not in resources:
        raise DataError(f"unknown dataset {name!r}; valid names: {', '.join(resources)}")
    if name not in SCHEMAS:
        raise DataError(f"dataset {name!r} has no schema in helpers.data.SCHEMAS")
    return resources[name]


def provenance(name: str) -> Provenance:
    """Provenance of a dataset: report table/page, unit, reference period and original source."""
    data_dir = Path(paths.DATA_DIR)
    res = _check_name(name, data_dir)
    prov = res.get("provenance", {})
    return Provenance(
        name=name,
        title=res.get("title", name),
        path=data_dir / res["path"],
        report_location=prov.get("report_location", ""),
        unit=prov.get("unit", ""),
        reference_period=prov.get("reference_period", ""),
        original_source=", ".join(s.get("title", "") for s in res.get("sources", [])),
        description=res.get("description", ""),
    )


def read_csv_rows(path: Path, error: type[Exception], *, folder: str | None = None, kind: str | None = None,
                  name_bad_byte: bool = True) -> list[tuple[int, list[str]]]:
    """The rows of a UTF-8 CSV (a byte-order mark is allowed), each with the line it ends on; a blank line is ``[]``.

    A file that cannot be read raises ``error`` with one line naming the file (and the line, where there is one):
    not found, not a regular file or larger than its ``kind`` may be (``helpers.user_files``; ``folder`` names what
    was expected), a byte that is not UTF-8 (shown unless ``name_bad_byte`` is false), or malformed CSV (``csv`` in
    strict mode).
    """
    raw = user_files.read_bytes(path, folder or "a CSV file", kind=kind, error=error)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        byte = f" (byte 0x{raw[exc.start]:02x})" if name_bad_byte else ""
        raise error(f"{path}, line {line}: not valid UTF-8{byte}; save the file as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise error(f"{path}, line {reader.line_num}: malformed CSV ({exc})") from None
    return rows


def _read_csv(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read a dataset's CSV as text (see ``read_csv_rows``), checking its header and every line."""
    rows = [row for _, row in read_csv_rows(path, DataError)]
    if not rows:
        raise DataError(f"{path}: empty file (expected a header with columns {', '.join(schema.columns)})")
    header = rows[0]
    missing = [c for c in schema.columns if c not in header]
    if missing:
        raise DataError(f"{path}: missing required column(s) {', '.join(missing)}; the header has {', '.join(header)}")
    extra = [c for c in header if c not in schema.columns]
    if extra and schema.strict:
        raise DataError(f"{path}: unexpected column(s) {', '.join(map(repr, extra))}; the columns are "
                        f"{', '.join(schema.columns)}")
    if len(rows) == 1:
        raise DataError(f"{path}: has a header but no rows")
    for line_no, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataError(
                f"{path}, line {line_no}: {len(row)} fields where the header has {len(header)} "
                "(truncated or malformed row)"
            )
    frame = pd.DataFrame(rows[1:], columns=header, dtype=object)
    return frame.replace({"": pd.NA})


def _to_bool(frame: pd.DataFrame, column: str, path: Path) -> None:
    mapping = {"true": True, "false": False}
    values = frame[column]
    bad = values.notna() & ~values.astype("string").str.lower().isin(list(mapping))
    if bad.any():
        idx = bad.idxmax()
        raise DataError(f"{path}, line {idx + 2}, column {column}: {values[idx]!r} is not true, false or empty")
    frame[column] = values.map(lambda v: pd.NA if pd.isna(v) else mapping[str(v).lower()]).astype("boolean")


def _format_errors(path: Path, exc: SchemaErrors | SchemaError) -> str:
    cases = exc.failure_cases
    lines = []
    if not isinstance(cases, pd.DataFrame) or len(cases) == 0:
        return f"{path}: {exc}"
    seen: set[tuple] = set()
    for _, case in cases.iterrows():
        index = case.get("index")
        column = case.get("column") or "(table)"
        check = str(case.get("check"))
        value = case.get("failure_case")
        if pd.isna(index) and "Error(" in str(value):
            continue  # a follow-up of a failed type coercion, already reported for its row
        where = f"line {int(index) + 2}" if pd.notna(index) else "file"
        if (where, column) in seen:
            continue
        seen.add((where, column))
        if check.startswith(("coerce_dtype", "dtype")):
            check = f"type {check.split('(', 1)[1].rstrip(')')} (wrong type, e.g. a non-numeric value)"
        lines.append(f"{path}, {where}, column {column}: value {value!r} fails {check}")
    if len(lines) > 10:
        lines = lines[:10] + [f"... and {len(lines) - 10} more"]
    return "invalid data:\n  " + "\n  ".join(lines)


def validate(name: str, frame: pd.DataFrame, path: Path | str = "<frame>") -> pd.DataFrame:
    """Validate (and coerce) a frame against the named dataset's schema."""
    schema = SCHEMAS[name]
    try:
        return schema.validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        raise DataError(_format_errors(Path(path), exc)) from None


@lru_cache(maxsize=None)
def _load_cached(name: str, data_dir: str, stamp: tuple[int, int]) -> pd.DataFrame:
    res = _check_name(name, Path(data_dir))
    path = Path(data_dir) / res["path"]
    frame = _read_csv(path, SCHEMAS[name])
    for column in _BOOL_COLUMNS.get(name, []):
        _to_bool(frame, column, path)
    return validate(name, frame, path)


def load(name: str) -> pd.DataFrame:
    """Load a dataset by name as a validated DataFrame (a fresh copy each call).

    Missing cells are ``<NA>``, never 0. Raises ``DataError`` for an unknown name or invalid data.
    """
    return _load_cached(name, *dataset_stamp(name)).copy()


def load_printed(name: str) -> pd.DataFrame:
    """A dataset's cells as the file writes them (text, missing cells ``<NA>``), unvalidated and unconverted.

    The audit reads the precision a number was printed with from it ('9' against '9.0'), which a float loses.
    """
    return _load_printed_cached(name, *dataset_stamp(name)).copy()


@lru_cache(maxsize=None)
def _load_printed_cached(name: str, data_dir: str, stamp: tuple[int, int]) -> pd.DataFrame:
    res = _check_name(name, Path(data_dir))
    return _read_csv(Path(data_dir) / res["path"], SCHEMAS[name])


def dataset_stamp(name: str) -> tuple[str, tuple[int, int]]:
    """What identifies a dataset's current file for caching: the data folder, and the file's modification time
    (ns) and size (bytes), (0, 0) when it is missing. Raises ``DataError`` for an unknown name."""
    data_dir = Path(paths.DATA_DIR)
    res = _check_name(name, data_dir)
    path = data_dir / res["path"]
    stat = path.stat() if path.exists() else None
    return str(data_dir), ((stat.st_mtime_ns, stat.st_size) if stat else (0, 0))
