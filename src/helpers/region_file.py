"""A user's region file: employees by sector for one region that is not one of the report's, validated with pandera.

A region file is a tidy CSV with exactly the columns ``REGION_FILE_COLUMNS``, one row per sector::

    region_id,region_name,country,nuts_code,nuts_version,reference_year,source,nace_section,employees_thousands
    rest-nl,Rest of the Netherlands,NL,,,2013,derived from the report's Tabel 1.1,A,72.2
    ...

- ``nace_section``: every group of one level of ``helpers.sector_levels``, never a mixture: the NACE sections A-S
  of the report's Tabel 1.1 (level ``"section"``), Eurostat's ten groups A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U
  (``"a10"``), or the six groups Eurostat publishes for German NUTS 3 regions A, B-E, F, G-J, K-N, O-U
  (``"de_nuts3"``). At the two coarser levels a row C (manufacturing, a part of B-E) may be added;
- ``employees_thousands``: a non-negative number in thousands, the unit of Tabel 1.1, no more than a region can
  have (``MAX_THOUSANDS``);
- ``country``: the country's two-letter code. NL and DE are compared with Tabel 1.1's column of their country unless
  the provenance names a reference; any other country needs a reference file (the report has no column for it);
- ``region_id`` (lower case letters, digits, hyphens), ``region_name``, ``country``, ``nuts_code``,
  ``nuts_version`` (both may be empty), ``reference_year`` and ``source`` are the same on every row; the id must
  not be a report region, a reference area or any of their aliases.

The file may be UTF-8 with or without a byte-order mark, comma- or semicolon-separated, with decimal points or (in
a semicolon-separated file, as a Dutch spreadsheet saves it) decimal commas; blank lines, whitespace-only lines and
rows of separators only are skipped. What was recognised is in ``UserRegion.notes``, for the build to say.

Beside the file, ``<stem>.provenance.json`` records where the numbers come from: ``source``, ``table_id``,
``retrieved`` (ISO date), ``query``, ``concept`` (what is counted, e.g. "employees, December") and optionally
``reference_file``, a region file of the country's reference from the same source (then the region is compared
with it instead of Tabel 1.1's column of its country). A file without a sidecar still loads, with a note; a sidecar
that is there but broken is an error.

``load(path)`` returns a ``UserRegion`` or raises ``RegionFileError`` with one line naming the file, the line and
the column, and the value as the file has it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from . import csv_reader, user_files
from . import sector_levels as levels
from .csv_reader import CsvTable
from .fetch.code_lists import country_name
from .fetch.writer import COLUMNS as REGION_FILE_COLUMNS

#: Columns whose value is the same on every row (they describe the region, not a sector).
REGION_COLUMNS = ("region_id", "region_name", "country", "nuts_code", "nuts_version", "reference_year", "source")
#: The countries with a column in the report's Tabel 1.1, and that column's area id.
COUNTRY_REFERENCE = {"NL": "nl", "DE": "de"}
COUNTRY_NAMES_EN = {"NL": "the Netherlands", "DE": "Germany"}
#: The NACE sections of the report's Tabel 1.1 (thousands of employees, December 2013).
NACE_SECTIONS = levels.SECTIONS
#: The levels a region file may use: level -> its group codes in order (``helpers.sector_levels``).
LEVELS: dict[str, tuple[str, ...]] = {level: levels.codes(level) for level in levels.LEVELS}
#: The report's reference year of Tabel 1.1.
REPORT_YEAR = 2013
#: The most a region file may hold, in thousands, in one row or in all: about as many people as live in Europe
#: (some 745 million). More is a value no statistics office can publish for a region, not a large region.
MAX_THOUSANDS = 750_000.0
#: How much of a bad value a message echoes (characters).
SHOWN_CHARACTERS = 80
PROVENANCE_KEYS = ("source", "table_id", "retrieved", "query", "concept")
PROVENANCE_SUFFIX = ".provenance.json"
#: What the book says where the provenance would stand, for a region file without a sidecar.
NO_PROVENANCE = "source as given in the file; no provenance recorded"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_ALL_CODES = tuple(dict.fromkeys(code for level in levels.LEVELS for code in levels.codes(level)))
#: A number with a decimal comma, optionally with dots grouping thousands: "72,2", "1.234,5".
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


class RegionFileError(ValueError):
    """A region file (or its provenance sidecar) that breaks the schema; the message is one line (a folder with
    several bad files: one line per file)."""


SCHEMA = pa.DataFrameSchema(
    {
        "region_id": pa.Column(
            str, pa.Check.str_matches(ID_PATTERN, error="an id of lower-case letters, digits and hyphens")
        ),
        "region_name": pa.Column(str),
        "country": pa.Column(
            str,
            pa.Check.str_matches(r"^[A-Z]{2}$", error="a country code of two capital letters (NL, DE, BE, FR, ...)"),
        ),
        "nuts_code": pa.Column(str, nullable=True),
        "nuts_version": pa.Column(str, nullable=True),
        "reference_year": pa.Column("Int64", pa.Check.in_range(1990, 2100, error="a year 1990-2100")),
        "source": pa.Column(str),
        "nace_section": pa.Column(
            str, pa.Check.isin(_ALL_CODES, error="a NACE section A-S or a group of sections (B-E, G-I, G-J, ...)")
        ),
        "employees_thousands": pa.Column(float, pa.Check.ge(0, error="a non-negative number")),
    },
    unique=["nace_section"],
    strict=True,
    ordered=True,
)


@dataclass(frozen=True)
class UserRegion:
    """A validated region file: the region's description, its employees per sector and its provenance."""

    path: Path
    id: str
    name: str
    country: str
    nuts_code: str
    nuts_version: str
    reference_year: int
    source: str
    level: str  # a key of LEVELS
    employees: pd.Series = field(repr=False)  # thousands of employees by group code, in LEVELS[level] order
    provenance: dict = field(default_factory=dict)  # empty for a file without a sidecar
    reference: UserRegion | None = None  # the country's reference from the same source, if the user gave one
    manufacturing: float | None = None  # thousands in C at a coarser level, where the file has it (part of B-E)
    lines: dict = field(default_factory=dict, repr=False)  # the file's line of each code
    notes: tuple[str, ...] = ()  # what the build should say about how the file was read (one line each)

    @property
    def reference_id(self) -> str:
        """Row id of the reference this region is compared with: the user's reference or Tabel 1.1's country."""
        return self.reference.id if self.reference is not None else COUNTRY_REFERENCE[self.country]

    @property
    def reference_label(self) -> str:
        """Reader-facing name of the reference."""
        if self.reference is not None:
            return f"{self.reference.name} ({self.reference.source}, {self.reference.reference_year})"
        return COUNTRY_NAMES_EN[self.country] + " (the report's Tabel 1.1)"

    @property
    def country_label(self) -> str:
        """The country's name: English for the report's two, the NUTS code list's otherwise."""
        return COUNTRY_NAMES_EN.get(self.country) or country_name(self.country)

    @property
    def in_report_countries(self) -> bool:
        """Whether the report has evidence for the region's country (the Netherlands and Germany)."""
        return self.country in COUNTRY_REFERENCE

    @property
    def concept(self) -> str:
        return str(self.provenance.get("concept", ""))

    @property
    def has_provenance(self) -> bool:
        return bool(self.provenance)


def shown(value) -> str:
    """A value as the file has it, quoted, at most ``SHOWN_CHARACTERS`` of it (a long one says how long it is)."""
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    if len(text) > SHOWN_CHARACTERS:
        return repr(text[: SHOWN_CHARACTERS - 3] + "...") + f" ({len(text):,} characters)"
    return repr(text)


def _fail(path: Path, where: str, message: str) -> RegionFileError:
    return RegionFileError(f"{path}, {where}: {message}")


def _checked_rows(path: Path, table: CsvTable) -> list[tuple[int, list[str]]]:
    rows = table.rows
    if not rows:
        raise RegionFileError(f"{path}: empty file; expected the header {','.join(REGION_FILE_COLUMNS)}")
    header = [h.strip() for h in rows[0][1]]
    if tuple(header) != REGION_FILE_COLUMNS:
        missing = [c for c in REGION_FILE_COLUMNS if c not in header]
        extra = [c for c in header if c not in REGION_FILE_COLUMNS]
        detail = (
            f"missing column(s) {', '.join(missing)}"
            if missing
            else f"unexpected column(s) {', '.join(shown(c) for c in extra)}"
            if extra
            else "columns in another order"
        )
        raise _fail(
            path,
            f"line {rows[0][0]}",
            f"{detail}; the header must be {','.join(REGION_FILE_COLUMNS)} "
            "(separated by commas or, as a Dutch spreadsheet saves it, semicolons)",
        )
    if len(rows) == 1:
        raise RegionFileError(f"{path}: has a header but no rows")
    for line_no, row in rows[1:]:
        if len(row) != len(header):
            raise _fail(
                path,
                f"line {line_no}",
                f"{len(row)} fields where the header has {len(header)} (separated "
                f"by {csv_reader.SEPARATORS[table.separator]})",
            )
    return rows


def _number(text: str, decimal_comma: bool) -> float | None:
    """A number as a person writes it in the file (a decimal comma where the file uses them); None if it is none."""
    text = text.strip()
    if decimal_comma:
        if not _DECIMAL_COMMA.match(text):
            return None
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _parse_numbers(path: Path, frame: pd.DataFrame, decimal_comma: bool) -> pd.Series:
    """``employees_thousands`` as floats, each checked: a number, finite, not negative, not more than a region
    can have. The message shows the value as the file has it."""
    values = {}
    for index, text in frame["employees_thousands"].items():
        where = f"line {_line(index)}, column employees_thousands"
        value = _number(text, decimal_comma)
        if value is None or math.isnan(value):
            point = " (the file's other numbers use a decimal comma)" if decimal_comma and "." in text else ""
            raise _fail(path, where, f"{shown(text)} is empty or not a number{point}")
        if not math.isfinite(value):
            raise _fail(path, where, f"{shown(text)} is not a finite number")
        if value < 0:
            raise _fail(path, where, f"{shown(text)} is not a non-negative number")
        if value > MAX_THOUSANDS:
            raise _fail(
                path,
                where,
                f"{shown(text)} thousand is more people than live in Europe (about "
                f"{MAX_THOUSANDS / 1000:,.0f} million): no statistics office publishes that for a "
                "region; the unit is thousands",
            )
        values[index] = value
    return pd.Series(values, dtype=float)


def _parse_year(path: Path, frame: pd.DataFrame) -> pd.Series:
    years = {}
    for index, text in frame["reference_year"].items():
        if not re.fullmatch(r"\d{4}", text):
            raise _fail(
                path, f"line {_line(index)}, column reference_year", f"{shown(text)} is not a year such as 2015"
            )
        years[index] = int(text)
    return pd.Series(years, dtype="Int64")


def _line(index) -> int:
    """The file's line number of a frame row (the frame is indexed by line number minus 2)."""
    return int(index) + 2


def _schema_error(path: Path, exc: SchemaErrors | SchemaError, raw: pd.DataFrame) -> RegionFileError:
    """The first failure pandera found, as one line with file, line and column, the value as the file has it."""
    cases = exc.failure_cases
    if isinstance(cases, pd.DataFrame) and len(cases):
        cases = cases.assign(_line=cases["index"].map(lambda i: 10**9 if pd.isna(i) else int(i)))
        case = cases.sort_values("_line").iloc[0]
        column = case.get("column") or "(table)"
        index = case.get("index")
        value = raw.at[index, column] if pd.notna(index) and column in raw.columns else case.get("failure_case")
        where = f"line {_line(index)}" if pd.notna(index) else "file"
        return _fail(path, f"{where}, column {column}", f"{shown(value)} is not {case.get('check')}")
    return RegionFileError(f"{path}: {exc}")


def _check_id(path: Path, region_id: str, line: int) -> None:
    from . import regions

    try:
        clash = regions.resolve(region_id)
    except regions.UnknownRegionError:
        clash = None
    if clash is not None and regions.get(clash).kind != "user":
        raise _fail(
            path,
            f"line {line}, column region_id",
            f"{shown(region_id)} is taken by the report's area {clash!r} ({regions.name(clash)}); choose an "
            "id that is no report region, reference area or alias (`python -m helpers regions` lists them)",
        )


def _exclusive(code: str, level: str) -> bool:
    """Whether ``code`` belongs to ``level`` only (C, which coarser levels may add, belongs to none)."""
    return (
        code != levels.MANUFACTURING
        and code in levels.GROUPS[level]
        and not any(code in levels.GROUPS[other] for other in levels.LEVELS if other != level)
    )


def _level(path: Path, codes: list[str], lines: list[int]) -> str:
    """The level of the file's codes; a mixture (sections with groups, or the ten groups with the six German ones)
    names the first line of the rarer kind."""
    found = {level: [i for i, c in enumerate(codes) if _exclusive(c, level)] for level in levels.LEVELS}
    grouped = [i for i, c in enumerate(codes) if c not in levels.SECTIONS]
    clash = (
        (levels.SECTION, found[levels.SECTION], "groups of sections", grouped)
        if found[levels.SECTION] and grouped
        else (levels.A10, found[levels.A10], levels.LEVEL_SHORT[levels.DE_NUTS3], found[levels.DE_NUTS3])
        if found[levels.A10] and found[levels.DE_NUTS3]
        else None
    )
    if clash:
        level, first, other_name, other = clash
        odd = (first if len(first) <= len(other) else other)[0]
        raise _fail(
            path,
            f"line {lines[odd]}, column nace_section",
            f"{shown(codes[odd])} mixes levels: the file has {levels.LEVEL_SHORT[level]} "
            f"({shown(codes[first[0]])} on line {lines[first[0]]}) and {other_name} ({shown(codes[other[0]])} "
            f"on line {lines[other[0]]}); use one level: "
            + "; or ".join(", ".join(levels.codes(each)) for each in levels.LEVELS),
        )
    present = [level for level in levels.LEVELS if found[level]]
    if present:
        return present[0]
    return max(levels.LEVELS, key=lambda level: sum(code in levels.GROUPS[level] for code in codes))


def read_provenance(path: Path) -> dict | None:
    """The provenance sidecar ``<stem>.provenance.json`` of a region file, checked for its keys; None when there is
    no sidecar (a bare CSV)."""
    sidecar = provenance_path(path)
    if not os.path.lexists(sidecar):
        return None
    raw = user_files.read_bytes(
        sidecar, "a provenance sidecar (JSON)", kind="provenance sidecar", error=RegionFileError
    )
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except ValueError as exc:
        raise RegionFileError(f"{sidecar}: not a readable JSON object ({exc})") from None
    if not isinstance(record, dict):
        raise RegionFileError(f"{sidecar}: expected a JSON object with keys {', '.join(PROVENANCE_KEYS)}")
    missing = [k for k in PROVENANCE_KEYS if not str(record.get(k) or "").strip()]
    if missing:
        raise RegionFileError(
            f"{sidecar}, key(s) {', '.join(missing)}: missing or empty; required: "
            f"{', '.join(PROVENANCE_KEYS)} (optional: reference_file)"
        )
    try:
        dt.date.fromisoformat(str(record["retrieved"]))
    except ValueError:
        raise RegionFileError(
            f"{sidecar}, key retrieved: {shown(record['retrieved'])} is not an ISO date (YYYY-MM-DD)"
        ) from None
    return record


def provenance_path(path: Path | str) -> Path:
    """Where the provenance sidecar of a region file lives: ``<stem>.provenance.json`` beside it."""
    path = Path(path)
    return path.with_name(path.stem + PROVENANCE_SUFFIX)


def _spreadsheet_note(path: Path, table: CsvTable, decimal_comma: bool) -> tuple[str, ...]:
    read = [
        what
        for what, found in (
            ("separated by semicolons", table.separator == ";"),
            ("separated by tabs", table.separator == "\t"),
            ("with decimal commas", decimal_comma),
            ("with a byte-order mark", table.byte_order_mark),
        )
        if found
    ]
    if not read:
        return ()
    kind = "a spreadsheet's CSV (as a Dutch Excel saves it)" if table.separator == ";" else "a spreadsheet's CSV"
    return (f"{path}: read as {kind}, {', '.join(read)}",)


def _frame(path: Path, table: CsvTable) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """The rows as a frame of stripped text (``raw``, for messages) and as typed values (``frame``)."""
    rows = _checked_rows(path, table)
    raw = pd.DataFrame(
        [r for _, r in rows[1:]], columns=REGION_FILE_COLUMNS, dtype=object, index=[n - 2 for n, _ in rows[1:]]
    )
    raw = raw.apply(lambda col: col.str.strip())
    for column in (
        "region_id",
        "region_name",
        "country",
        "reference_year",
        "source",
        "nace_section",
        "employees_thousands",
    ):
        empty = raw[column].eq("")
        if empty.any():
            raise _fail(path, f"line {_line(empty.idxmax())}, column {column}", "empty; a value is required")
    repeated = raw["nace_section"].duplicated()
    if repeated.any():
        index = repeated.idxmax()
        code = raw["nace_section"][index]
        first = raw.index[raw["nace_section"] == code][0]
        raise _fail(
            path,
            f"line {_line(index)}, column nace_section",
            f"{shown(code)} is duplicated (first on line {_line(first)}); one row per sector",
        )
    decimal_comma = table.separator == ";" and raw["employees_thousands"].str.contains(",").any()
    frame = raw.replace({"": pd.NA}).copy()
    frame["employees_thousands"] = _parse_numbers(path, raw, decimal_comma)
    frame["reference_year"] = _parse_year(path, raw)
    return raw, frame, bool(decimal_comma)


def _check_region_columns(path: Path, raw: pd.DataFrame) -> None:
    for column in REGION_COLUMNS:
        values = raw[column]
        differs = values.ne(values.iloc[0])
        if differs.any():
            raise _fail(
                path,
                f"line {_line(differs.idxmax())}, column {column}",
                f"{shown(values[differs.idxmax()])} differs from the first row's {shown(values.iloc[0])}; a "
                "region file holds one region, so this column is the same on every row",
            )


def _sectors(path: Path, valid: pd.DataFrame, raw: pd.DataFrame) -> tuple[str, pd.Series, float | None, dict]:
    """The file's level, its employees by group (in order), manufacturing at a coarser level, each code's line."""
    lines = {code: _line(i) for i, code in valid["nace_section"].items()}
    codes = list(valid["nace_section"])
    level = _level(path, codes, [lines[c] for c in codes])
    expected = LEVELS[level]
    missing = [c for c in expected if c not in codes]
    if missing:
        raise _fail(
            path,
            "column nace_section",
            f"{', '.join(missing)} missing; a region file at the level of {levels.LEVEL_NAMES[level]} has "
            f"one row for each of {', '.join(expected)}"
            + (" (and may add C, manufacturing)" if levels.allows_manufacturing_row(level) else ""),
        )
    allowed = set(expected) | ({levels.MANUFACTURING} if levels.allows_manufacturing_row(level) else set())
    stray = [c for c in codes if c not in allowed]
    if stray:
        raise _fail(
            path,
            f"line {lines[stray[0]]}, column nace_section",
            f"{shown(stray[0])} is not one of {', '.join(expected)}",
        )
    values = valid.set_index("nace_section")["employees_thousands"].astype(float)
    employees = values.reindex(list(expected))
    manufacturing = values.get(levels.MANUFACTURING) if level != levels.SECTION else None
    if manufacturing is not None and manufacturing > employees["B-E"]:
        line = lines[levels.MANUFACTURING]
        raise _fail(
            path,
            f"line {line}, column employees_thousands",
            f"{shown(raw.at[line - 2, 'employees_thousands'])} in manufacturing (C) is more than B-E's "
            f"{shown(raw.at[lines['B-E'] - 2, 'employees_thousands'])}, the group it is part of",
        )
    total = float(employees.sum())
    if total <= 0:
        raise _fail(path, "column employees_thousands", "every value is zero; the region has no employees")
    if total > MAX_THOUSANDS:
        raise _fail(
            path,
            "column employees_thousands",
            f"the rows add up to {total:,.0f} thousand, more people than live in Europe (about "
            f"{MAX_THOUSANDS / 1000:,.0f} million): no statistics office publishes that for a region",
        )
    return level, employees, (None if manufacturing is None else float(manufacturing)), lines


def _load_reference(path: Path, region: UserRegion, provenance: dict | None) -> UserRegion | None:
    """The reference file the sidecar names, checked against the region; an error for a country without a Tabel
    1.1 column and no reference."""
    sidecar = provenance_path(path)
    if not (provenance or {}).get("reference_file"):
        if not region.in_report_countries:
            how = (
                f"name one as reference_file in {sidecar.name}"
                if provenance
                else f"write a provenance sidecar {sidecar.name} naming one as reference_file"
            )
            raise _fail(
                path,
                f"line {min(region.lines.values())}, column country",
                f"{shown(region.country)} ({region.country_label}) has no column in the report's Tabel 1.1 "
                f"(only NL and DE have): compare it with its country from the same source; {how} "
                "(`python -m helpers fetch eurostat` writes both)",
            )
        return None
    ref_path = Path(user_files.display(path.parent / str(provenance["reference_file"])))
    reference = load(ref_path, register=False, _as_reference=True)
    if reference.country != region.country:
        raise RegionFileError(
            f"{sidecar}, key reference_file: {ref_path.name} is for {reference.country}, the "
            f"region for {region.country}; the reference must be the region's country"
        )
    if reference.level != region.level:
        raise RegionFileError(
            f"{sidecar}, key reference_file: {ref_path.name} uses "
            f"{levels.LEVEL_NAMES[reference.level]}, the region {levels.LEVEL_NAMES[region.level]}; "
            "use one level"
        )
    if reference.id == region.id:
        raise RegionFileError(
            f"{sidecar}, key reference_file: {ref_path.name} has the region's own id "
            f"{shown(region.id)}; give the reference its own id"
        )
    empty = [c for c in LEVELS[region.level] if reference.employees[c] == 0 and region.employees[c] > 0]
    if empty:
        code = empty[0]
        raise _fail(
            ref_path,
            f"line {reference.lines[code]}, column employees_thousands",
            f"{code} is 0 in the reference while {region.name} ({path.name}) has {region.employees[code]:g} "
            "thousand there: its location quotient would not be finite; a country cannot have fewer "
            "employees in a sector than its region",
        )
    return reference


def load(path: Path | str, *, register: bool = True, _as_reference: bool = False) -> UserRegion:
    """Read and validate a region file and its provenance sidecar (and the reference file the sidecar names).

    ``register``: add the region to ``helpers.regions`` so that names, colours and pairings know it.
    Raises ``RegionFileError`` (one line: file, line, column) for anything that breaks the schema.
    """
    path = Path(user_files.display(path))  # not resolved: a loop of links is reported as one by the read
    table = csv_reader.read(
        path, RegionFileError, what="a region file (CSV)", kind="region file", spreadsheet_header=REGION_FILE_COLUMNS
    )
    raw, frame, decimal_comma = _frame(path, table)
    try:
        valid = SCHEMA.validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        raise _schema_error(path, exc, raw) from None
    _check_region_columns(path, raw)
    level, employees, manufacturing, lines = _sectors(path, valid, raw)
    first = valid.iloc[0]
    region_id = str(first["region_id"])
    _check_id(path, region_id, _line(valid.index[0]))
    provenance = read_provenance(path)
    notes = _spreadsheet_note(path, table, decimal_comma)
    if provenance is None and not _as_reference:
        notes += (f"{path}: no provenance sidecar ({provenance_path(path).name}); the book says '{NO_PROVENANCE}'",)
    region = UserRegion(
        path=path,
        id=region_id,
        name=str(first["region_name"]),
        country=str(first["country"]),
        nuts_code="" if pd.isna(first["nuts_code"]) else str(first["nuts_code"]),
        nuts_version="" if pd.isna(first["nuts_version"]) else str(first["nuts_version"]),
        reference_year=int(first["reference_year"]),
        source=str(first["source"]),
        level=level,
        employees=employees.rename(region_id),
        provenance=provenance or {},
        manufacturing=manufacturing,
        lines=lines,
        notes=notes,
    )
    if not _as_reference:
        reference = _load_reference(path, region, provenance)
        if reference is not None:
            region = _with_reference(region, reference)
    if register:
        from . import regions

        regions.register_user_region(region)
    return region


def _with_reference(region: UserRegion, reference: UserRegion) -> UserRegion:
    from dataclasses import replace

    return replace(region, reference=reference, notes=region.notes + reference.notes)


def region_files(path: Path | str) -> list[Path]:
    """The region files a ``--region-file`` argument names: the file itself, or every region file in a folder.

    In a folder, every ``*.csv`` is a region file except the ones another file's sidecar names as its
    ``reference_file`` (a country's reference is not a region to build a book for).
    """
    path = Path(user_files.display(path))
    if not path.is_dir():
        return [
            user_files.check_file(
                path, "a region file (CSV) or a folder of them", kind="region file", error=RegionFileError
            )
        ]
    files = sorted(p for p in path.glob("*.csv") if p.is_file())
    references = set()
    for file in files:
        sidecar = provenance_path(file)
        try:
            ref = json.loads(
                user_files.read_bytes(sidecar, "a provenance sidecar", kind="provenance sidecar").decode("utf-8-sig")
            ).get("reference_file")
        except (ValueError, AttributeError):  # missing, unreadable or broken: reported when the file is loaded
            continue
        if ref:
            references.add(Path(user_files.display(file.parent / str(ref))))
    chosen = [f for f in files if f not in references]
    if not chosen:
        raise RegionFileError(f"{path}: the folder holds no region file (*.csv)")
    return chosen


def load_many(paths: list[Path]) -> list[UserRegion]:
    """``load`` each file; every bad one is named, one line each, in a single ``RegionFileError``."""
    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(load(path))
        except RegionFileError as exc:
            problems.append(str(exc))
    if len(problems) == 1:
        raise RegionFileError(problems[0])
    if problems:
        raise RegionFileError(
            f"{len(problems)} of {len(paths)} region files are bad:\n"
            + "\n".join(f"  {problem}" for problem in problems)
        )
    return loaded


def write(
    path: Path | str,
    region_id: str,
    region_name: str,
    country: str,
    employees: pd.Series,
    reference_year: int,
    source: str,
    provenance: dict,
    nuts_code: str = "",
    nuts_version: str = "",
    decimals: int = 1,
) -> Path:
    """Write a region file and its provenance sidecar (``employees``: thousands by sector code, in order, written
    with ``decimals`` decimals). The file is not validated here: ``load`` it to check it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGION_FILE_COLUMNS)
    for code, value in employees.items():
        writer.writerow(
            [
                region_id,
                region_name,
                country,
                nuts_code,
                nuts_version,
                reference_year,
                source,
                code,
                f"{float(value):.{decimals}f}",
            ]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8")
    sidecar = provenance_path(path)
    sidecar.write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
