"""A user's region file: employees by sector for one region that is not one of the report's, validated with pandera.

A region file is a tidy UTF-8 CSV with exactly the columns ``REGION_FILE_COLUMNS``, one row per sector::

    region_id,region_name,country,nuts_code,nuts_version,reference_year,source,nace_section,employees_thousands
    rest-nl,Rest of the Netherlands,NL,,,2013,derived from the report's Tabel 1.1,A,72.2
    ...

- ``country``: ``NL`` or ``DE`` (the region is compared with that country's reference);
- ``nace_section``: either every NACE section A-S of the report's Tabel 1.1 (level ``"section"``), or every
  group of Eurostat's NUTS 3 employment table (level ``"eurostat_nuts3"``: A, B-E, F, G-I, J, K, L, M-N, O-Q,
  R-U), never a mixture;
- ``employees_thousands``: a non-negative number in thousands, the unit of Tabel 1.1;
- ``region_id`` (lower case letters, digits, hyphens), ``region_name``, ``country``, ``nuts_code``,
  ``nuts_version`` (both may be empty), ``reference_year`` and ``source`` are the same on every row; the id must
  not be a report region, a reference area or any of their aliases.

Beside the file, ``<stem>.provenance.json`` records where the numbers come from: ``source``, ``table_id``,
``retrieved`` (ISO date), ``query``, ``concept`` (what is counted, e.g. "employees, December") and optionally
``reference_file``, a region file of the country's reference from the same source (then the region is compared
with it instead of Tabel 1.1's column of its country).

``load(path)`` returns a ``UserRegion`` or raises ``RegionFileError`` with one line naming the file, the line and
the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from . import user_files
from .data import read_csv_rows

#: The columns of a region file, in order.
REGION_FILE_COLUMNS = ("region_id", "region_name", "country", "nuts_code", "nuts_version", "reference_year",
                       "source", "nace_section", "employees_thousands")
#: Columns whose value is the same on every row (they describe the region, not a sector).
REGION_COLUMNS = ("region_id", "region_name", "country", "nuts_code", "nuts_version", "reference_year", "source")
COUNTRIES = ("NL", "DE")
#: The national reference area of each country in the report's Tabel 1.1.
COUNTRY_REFERENCE = {"NL": "nl", "DE": "de"}
#: The NACE sections of the report's Tabel 1.1 (thousands of employees, December 2013).
NACE_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRS")
#: Eurostat's NUTS 3 employment groups (A*10 breakdown of nama_10r_3empers), each with the sections it sums.
#: R-U holds R, S, T and U; Tabel 1.1 has no T or U (households as employers, extraterritorial bodies), so its
#: R-U is R + S.
EUROSTAT_GROUPS: dict[str, tuple[str, ...]] = {
    "A": ("A",),
    "B-E": ("B", "C", "D", "E"),
    "F": ("F",),
    "G-I": ("G", "H", "I"),
    "J": ("J",),
    "K": ("K",),
    "L": ("L",),
    "M-N": ("M", "N"),
    "O-Q": ("O", "P", "Q"),
    "R-U": ("R", "S"),
}
#: The levels a region file may use: level -> its sector codes in order.
LEVELS: dict[str, tuple[str, ...]] = {"section": NACE_SECTIONS, "eurostat_nuts3": tuple(EUROSTAT_GROUPS)}
#: Reader-facing name of each level.
LEVEL_NAMES = {"section": "NACE sections A-S (as in Tabel 1.1)",
               "eurostat_nuts3": "Eurostat's NUTS 3 groups (A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U)"}
#: What a coarser level cannot show, said where it leaves something out.
LEVEL_LIMITS = {"section": "",
                "eurostat_nuts3": "manufacturing (C) is not separate from mining, energy and water (B-E), so no "
                                  "manufacturing share or manufacturing location quotient can be given; R-U also "
                                  "holds T and U, which Tabel 1.1 does not have"}
#: English labels of the groups (sections have theirs in the employees_by_sector dataset).
GROUP_LABELS = {
    "A": "Agriculture, forestry and fishing", "B-E": "Industry (mining, manufacturing, energy, water)",
    "F": "Construction", "G-I": "Trade, transport, accommodation and food", "J": "Information and communication",
    "K": "Financial and insurance activities", "L": "Real estate activities",
    "M-N": "Professional, scientific, technical, administrative and support services",
    "O-Q": "Public administration, education, health and social work",
    "R-U": "Arts, recreation and other services",
}
#: The report's reference year of Tabel 1.1.
REPORT_YEAR = 2013
PROVENANCE_KEYS = ("source", "table_id", "retrieved", "query", "concept")
PROVENANCE_SUFFIX = ".provenance.json"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_ALL_CODES = tuple(dict.fromkeys(NACE_SECTIONS + tuple(EUROSTAT_GROUPS)))


class RegionFileError(ValueError):
    """A region file (or its provenance sidecar) that breaks the schema; the message is one line."""


SCHEMA = pa.DataFrameSchema(
    {
        "region_id": pa.Column(str, pa.Check.str_matches(ID_PATTERN, error="an id of lower-case letters, digits "
                                                                            "and hyphens")),
        "region_name": pa.Column(str),
        "country": pa.Column(str, pa.Check.isin(COUNTRIES, error=f"a country, one of {', '.join(COUNTRIES)}")),
        "nuts_code": pa.Column(str, nullable=True),
        "nuts_version": pa.Column(str, nullable=True),
        "reference_year": pa.Column("Int64", pa.Check.in_range(1990, 2100, error="a year 1990-2100"), coerce=True),
        "source": pa.Column(str),
        "nace_section": pa.Column(str, pa.Check.isin(_ALL_CODES, error="a NACE section A-S or a Eurostat group")),
        "employees_thousands": pa.Column(float, pa.Check.ge(0, error="a non-negative number"), coerce=True),
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
    employees: pd.Series = field(repr=False)  # thousands of employees by sector code, in LEVELS[level] order
    provenance: dict = field(default_factory=dict)
    reference: "UserRegion | None" = None  # the country's reference from the same source, if the user gave one

    @property
    def reference_id(self) -> str:
        """Row id of the reference this region is compared with: the user's reference or Tabel 1.1's country."""
        return self.reference.id if self.reference is not None else COUNTRY_REFERENCE[self.country]

    @property
    def reference_label(self) -> str:
        """Reader-facing name of the reference."""
        if self.reference is not None:
            return f"{self.reference.name} ({self.reference.source}, {self.reference.reference_year})"
        return {"NL": "the Netherlands", "DE": "Germany"}[self.country] + " (the report's Tabel 1.1)"

    @property
    def concept(self) -> str:
        return str(self.provenance.get("concept", ""))


def _fail(path: Path, where: str, message: str) -> RegionFileError:
    return RegionFileError(f"{path}, {where}: {message}")


def _read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The file's non-blank rows, each with its line number (blank lines are skipped but keep the count)."""
    rows = [(line, row) for line, row in read_csv_rows(path, RegionFileError, folder="a region file (CSV)",
                                                         kind="region file", name_bad_byte=False) if row]
    if not rows:
        raise RegionFileError(f"{path}: empty file; expected the header {','.join(REGION_FILE_COLUMNS)}")
    header = [h.strip() for h in rows[0][1]]
    if tuple(header) != REGION_FILE_COLUMNS:
        missing = [c for c in REGION_FILE_COLUMNS if c not in header]
        extra = [c for c in header if c not in REGION_FILE_COLUMNS]
        detail = (f"missing column(s) {', '.join(missing)}" if missing else
                  f"unexpected column(s) {', '.join(extra)}" if extra else "columns in another order")
        raise _fail(path, f"line {rows[0][0]}", f"{detail}; the header must be {','.join(REGION_FILE_COLUMNS)}")
    if len(rows) == 1:
        raise RegionFileError(f"{path}: has a header but no rows")
    for line_no, row in rows[1:]:
        if len(row) != len(header):
            raise _fail(path, f"line {line_no}", f"{len(row)} fields where the header has {len(header)}")
    return rows


def _line(index) -> int:
    """The file's line number of a frame row (the frame is indexed by line number minus 2)."""
    return int(index) + 2


def _schema_error(path: Path, exc: SchemaErrors | SchemaError) -> RegionFileError:
    """The first failure pandera found, as one line with file, line and column."""
    cases = exc.failure_cases
    if isinstance(cases, pd.DataFrame) and len(cases):
        cases = cases.assign(_line=cases["index"].map(lambda i: 10**9 if pd.isna(i) else int(i)))
        case = cases.sort_values("_line").iloc[0]
        column = case.get("column") or "(table)"
        check = str(case.get("check"))
        value = case.get("failure_case")
        if check.startswith(("coerce_dtype", "dtype")):
            check = "a number" if column in ("employees_thousands", "reference_year") else check
        where = f"line {_line(case['index'])}" if pd.notna(case.get("index")) else "file"
        return _fail(path, f"{where}, column {column}", f"{value!r} is not {check}")
    return RegionFileError(f"{path}: {exc}")


def _check_id(path: Path, region_id: str, line: int) -> None:
    from . import regions

    try:
        clash = regions.resolve(region_id)
    except regions.UnknownRegionError:
        clash = None
    if clash is not None and regions.get(clash).kind != "user":
        raise _fail(path, f"line {line}, column region_id",
                    f"{region_id!r} is taken by the report's area {clash!r} ({regions.name(clash)}); choose an id "
                    f"that is no report region, reference area or alias (`python -m helpers regions` lists them)")


def _level(path: Path, codes: list[str], lines: list[int]) -> str:
    """'section' or 'eurostat_nuts3', from the sector codes; a mixture names the first line of the rarer level."""
    group_lines = [i for i, c in enumerate(codes) if c in EUROSTAT_GROUPS and c not in NACE_SECTIONS]
    section_lines = [i for i, c in enumerate(codes) if c in NACE_SECTIONS and c not in EUROSTAT_GROUPS]
    first_group = group_lines[0] if group_lines else None
    if group_lines and section_lines:
        odd = group_lines[0] if len(group_lines) <= len(section_lines) else section_lines[0]
        raise _fail(path, f"line {lines[odd]}, column nace_section",
                    f"{codes[odd]!r} mixes levels: the file has both NACE sections "
                    f"({codes[section_lines[0]]!r}) and Eurostat groups ({codes[group_lines[0]]!r}); use one level: "
                    f"sections {', '.join(NACE_SECTIONS)}, or groups {', '.join(EUROSTAT_GROUPS)}")
    return "eurostat_nuts3" if first_group is not None else "section"


def read_provenance(path: Path) -> dict:
    """The provenance sidecar ``<stem>.provenance.json`` of a region file, checked for its keys."""
    sidecar = provenance_path(path)
    if not os.path.lexists(sidecar):
        raise RegionFileError(f"{sidecar}: provenance sidecar missing; beside {path.name} it records "
                              f"{', '.join(PROVENANCE_KEYS)}")
    raw = user_files.read_bytes(sidecar, "a provenance sidecar (JSON)", kind="provenance sidecar",
                                error=RegionFileError)
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except ValueError as exc:
        raise RegionFileError(f"{sidecar}: not a readable JSON object ({exc})") from None
    if not isinstance(record, dict):
        raise RegionFileError(f"{sidecar}: expected a JSON object with keys {', '.join(PROVENANCE_KEYS)}")
    missing = [k for k in PROVENANCE_KEYS if not str(record.get(k) or "").strip()]
    if missing:
        raise RegionFileError(f"{sidecar}, key(s) {', '.join(missing)}: missing or empty; required: "
                              f"{', '.join(PROVENANCE_KEYS)} (optional: reference_file)")
    try:
        dt.date.fromisoformat(str(record["retrieved"]))
    except ValueError:
        raise RegionFileError(f"{sidecar}, key retrieved: {record['retrieved']!r} is not an ISO date "
                              "(YYYY-MM-DD)") from None
    return record


def provenance_path(path: Path | str) -> Path:
    """Where the provenance sidecar of a region file lives: ``<stem>.provenance.json`` beside it."""
    path = Path(path)
    return path.with_name(path.stem + PROVENANCE_SUFFIX)


def load(path: Path | str, *, register: bool = True, _as_reference: bool = False) -> UserRegion:
    """Read and validate a region file and its provenance sidecar (and the reference file the sidecar names).

    ``register``: add the region to ``helpers.regions`` so that names, colours and pairings know it.
    Raises ``RegionFileError`` (one line: file, line, column) for anything that breaks the schema.
    """
    path = Path(user_files.display(path))  # not resolved: a loop of links is reported as one by the read
    rows = _read_rows(path)
    frame = pd.DataFrame([r for _, r in rows[1:]], columns=REGION_FILE_COLUMNS, dtype=object,
                         index=[n - 2 for n, _ in rows[1:]])
    frame = frame.apply(lambda col: col.str.strip()).replace({"": pd.NA})
    for column in ("region_id", "region_name", "country", "reference_year", "source", "nace_section",
                   "employees_thousands"):
        empty = frame[column].isna()
        if empty.any():
            raise _fail(path, f"line {_line(empty.idxmax())}, column {column}", "empty; a value is required")
    repeated = frame["nace_section"].duplicated()
    if repeated.any():
        index = repeated.idxmax()
        code = frame["nace_section"][index]
        first = frame.index[frame["nace_section"] == code][0]
        raise _fail(path, f"line {_line(index)}, column nace_section",
                    f"{code!r} is duplicated (first on line {_line(first)}); one row per sector")
    try:
        valid = SCHEMA.validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        raise _schema_error(path, exc) from None
    infinite = ~valid["employees_thousands"].apply(math.isfinite)
    if infinite.any():
        raise _fail(path, f"line {_line(infinite.idxmax())}, column employees_thousands",
                    f"{frame['employees_thousands'][infinite.idxmax()]!r} is not a finite number")
    for column in REGION_COLUMNS:
        values = valid[column].astype("string").fillna("")
        differs = values.ne(values.iloc[0])
        if differs.any():
            raise _fail(path, f"line {_line(differs.idxmax())}, column {column}",
                        f"{values[differs.idxmax()]!r} differs from the first row's {values.iloc[0]!r}; a region "
                        "file holds one region, so this column is the same on every row")
    lines = [_line(i) for i in valid.index]
    codes = list(valid["nace_section"])
    level = _level(path, codes, lines)
    expected = LEVELS[level]
    missing = [c for c in expected if c not in codes]
    if missing:
        raise _fail(path, "column nace_section",
                    f"section(s) {', '.join(missing)} missing; a region file at the level of "
                    f"{LEVEL_NAMES[level]} has one row for each of {', '.join(expected)}")
    stray = [c for c in codes if c not in expected]
    if stray:  # e.g. 'A' in a grouped file is fine, but no code outside the level remains here
        raise _fail(path, f"line {lines[codes.index(stray[0])]}, column nace_section", f"{stray[0]!r} is not one of {', '.join(expected)}")
    first = valid.iloc[0]
    region_id = str(first["region_id"])
    _check_id(path, region_id, lines[0])
    provenance = read_provenance(path)
    reference = None
    if provenance.get("reference_file") and not _as_reference:
        ref_path = Path(user_files.display(path.parent / str(provenance["reference_file"])))
        reference = load(ref_path, register=False, _as_reference=True)
        sidecar = provenance_path(path)
        if reference.country != first["country"]:
            raise RegionFileError(f"{sidecar}, key reference_file: {ref_path.name} is for {reference.country}, "
                                  f"the region for {first['country']}; the reference must be the region's country")
        if reference.level != level:
            raise RegionFileError(f"{sidecar}, key reference_file: {ref_path.name} uses "
                                  f"{LEVEL_NAMES[reference.level]}, the region {LEVEL_NAMES[level]}; use one level")
        if reference.id == region_id:
            raise RegionFileError(f"{sidecar}, key reference_file: {ref_path.name} has the region's own id "
                                  f"{region_id!r}; give the reference its own id")
    employees = valid.set_index("nace_section")["employees_thousands"].astype(float).reindex(list(expected))
    if employees.sum() <= 0:
        raise _fail(path, "column employees_thousands", "every value is zero; the region has no employees")
    region = UserRegion(
        path=path, id=region_id, name=str(first["region_name"]), country=str(first["country"]),
        nuts_code="" if pd.isna(first["nuts_code"]) else str(first["nuts_code"]),
        nuts_version="" if pd.isna(first["nuts_version"]) else str(first["nuts_version"]),
        reference_year=int(first["reference_year"]), source=str(first["source"]), level=level,
        employees=employees.rename(region_id), provenance=provenance, reference=reference,
    )
    if register:
        from . import regions

        regions.register_user_region(region)
    return region


def region_files(path: Path | str) -> list[Path]:
    """The region files a ``--region-file`` argument names: the file itself, or every region file in a folder.

    In a folder, every ``*.csv`` is a region file except the ones another file's sidecar names as its
    ``reference_file`` (a country's reference is not a region to build a book for).
    """
    path = Path(user_files.display(path))
    if not path.is_dir():
        return [user_files.check_file(path, "a region file (CSV) or a folder of them", kind="region file",
                                      error=RegionFileError)]
    files = sorted(p for p in path.glob("*.csv") if p.is_file())
    references = set()
    for file in files:
        sidecar = provenance_path(file)
        try:
            ref = json.loads(user_files.read_bytes(sidecar, "a provenance sidecar", kind="provenance sidecar")
                             .decode("utf-8-sig")).get("reference_file")
        except (ValueError, AttributeError):  # unreadable or broken: reported when the region file is loaded
            continue
        if ref:
            references.add(Path(user_files.display(file.parent / str(ref))))
    chosen = [f for f in files if f not in references]
    if not chosen:
        raise RegionFileError(f"{path}: the folder holds no region file (*.csv)")
    return chosen


def write(path: Path | str, region_id: str, region_name: str, country: str, employees: pd.Series,
          reference_year: int, source: str, provenance: dict, nuts_code: str = "", nuts_version: str = "",
          decimals: int = 1) -> Path:
    """Write a region file and its provenance sidecar (``employees``: thousands by sector code, in order, written
    with ``decimals`` decimals). The file is not validated here: ``load`` it to check it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGION_FILE_COLUMNS)
    for code, value in employees.items():
        writer.writerow([region_id, region_name, country, nuts_code, nuts_version, reference_year, source, code,
                         f"{float(value):.{decimals}f}"])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    sidecar = provenance_path(path)
    sidecar.write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
