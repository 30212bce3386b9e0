"""Load the report's datasets from ``data/``, validated with pandera on every load.

``load(name)`` returns a tidy DataFrame; ``list_datasets()`` names what there is; ``provenance(name)`` gives
the report table, page or section, unit, reference year and original source, read from
``data/datapackage.json``, the one description of each dataset: the pandera schema a load validates with is
generated from its fields (``schema(name)``: types and Frictionless constraints), with the rules across columns
that no field constraint can express (``ROW_RULES``) attached.

Bad data raise ``DataError`` naming the file, the line and the column.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from . import csv_reader, paths
from .datapackage import (  # noqa: F401 - part of this module's interface
    DataError,
    _datapackage,
    _resources,
    check_readable,
    data_hashes,
    data_version,
    file_hash,
)

#: Frictionless field types and the pandera dtype each column is converted to (text is read as text).
DTYPES: dict[str, object] = {"string": str, "number": float, "integer": "Int64", "boolean": "boolean"}
#: The Frictionless field constraints the schemas enforce; a field with any other is refused, never ignored.
CONSTRAINTS = ("required", "unique", "enum", "minimum", "maximum", "pattern")
#: How a failure of one of pandera's own checks is reported: the constraint's name in the package, then why.
_PANDERA_CHECKS = {
    "not_nullable": "required (the cell is empty)",
    "field_uniqueness": "unique (another row has the same value)",
    "multiple_fields_uniqueness": "primary key (another row has the same values)",
}


@dataclass(frozen=True)
class RowRule:
    """A rule across the columns of a row, which no field constraint can express.

    ``holds(frame, fields)`` is True for each row that keeps the rule (``fields``: the dataset's field descriptors
    by name); ``columns`` are the ones a message names, ``message`` says the rule.
    """

    name: str
    columns: tuple[str, ...]
    message: str
    holds: Callable[[pd.DataFrame, dict[str, dict]], pd.Series]


def _order_follows_aspect(df: pd.DataFrame, fields: dict[str, dict]) -> pd.Series:
    """``order`` is the aspect's position (from 1) among the choices of the ``aspect`` field, the report's order."""
    position = {aspect: i for i, aspect in enumerate(fields["aspect"]["constraints"]["enum"], start=1)}
    return (df["order"] == df["aspect"].map(position)).fillna(False).astype(bool)


#: The rules across columns, by dataset; attached to the schema generated from the dataset's fields.
ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "key_figures": (
        RowRule(
            "share_within_0_100",
            ("indicator", "value"),
            "a share (an indicator share_*) must lie within 0-100",
            lambda df, _: ~df["indicator"].str.startswith("share_") | df["value"].between(0, 100),
        ),
    ),
    "region_cooperation": (
        RowRule(
            "level_within_readings",
            ("level", "level_low", "level_high"),
            "level must lie within level_low-level_high (the readings the report's words allow)",
            lambda df, _: (df["level_low"] <= df["level"]) & (df["level"] <= df["level_high"]),
        ),
        RowRule(
            "stated_level_has_no_range",
            ("basis", "level_low", "level_high"),
            "a level the report states has no range",
            lambda df, _: (df["basis"] != "stated") | (df["level_low"] == df["level_high"]),
        ),
    ),
    "firm_identifications": (
        RowRule(
            "reason_for_doubt",
            ("match", "reason"),
            "an uncertain or absent identification needs its reason",
            lambda df, _: (df["match"] == "same") | df["reason"].notna(),
        ),
    ),
    "case_studies": (
        RowRule(
            "order_follows_aspect",
            ("aspect", "order"),
            "order must follow the aspect (economy 1 ... assessment 5)",
            _order_follows_aspect,
        ),
    ),
    "report_sections": (
        RowRule(
            "carried_names_page",
            ("status", "book_page"),
            "a carried section names its book page; a section not carried names none",
            lambda df, _: (df["status"] == "not carried") != df["book_page"].notna(),
        ),
        RowRule(
            "not_carried_says_why",
            ("status", "note"),
            "a section not (fully) carried says why in note",
            lambda df, _: (df["status"] == "carried") | df["note"].notna(),
        ),
    ),
    "nuts_2013_labels": (
        RowRule(
            "code_length_is_level",
            ("nuts_code", "nuts_level"),
            "a NUTS code has two letters for the country and one character per level",
            lambda df, _: df["nuts_code"].str.len() == df["nuts_level"] + 2,
        ),
        RowRule(
            "code_starts_with_country",
            ("nuts_code", "country"),
            "a NUTS code starts with its country's code",
            lambda df, _: df["nuts_code"].str[:2] == df["country"],
        ),
    ),
    "glossary": (
        RowRule(
            "place_in_report_or_book",
            ("report_sections", "note"),
            "a term the report does not use says in note where the book uses it",
            lambda df, _: df["report_sections"].notna() | df["note"].notna(),
        ),
        RowRule(
            "wording_with_sections",
            ("report_sections", "report_wording"),
            "a term the report uses quotes its wording, one it does not use quotes none",
            lambda df, _: df["report_sections"].isna() == df["report_wording"].isna(),
        ),
    ),
}


def _column(field: dict, where: str) -> pa.Column:
    """A pandera column from a Frictionless field: its type, and its constraints as checks."""
    constraints = field.get("constraints", {})
    unknown = [c for c in constraints if c not in CONSTRAINTS]
    if field.get("type", "string") not in DTYPES or unknown:
        what = f"type {field.get('type')!r}" if not unknown else f"constraint(s) {', '.join(unknown)}"
        raise DataError(
            f"{where}: {what} not supported by helpers.data (types: {', '.join(DTYPES)}; constraints: "
            f"{', '.join(CONSTRAINTS)})"
        )
    checks = []
    if "enum" in constraints:
        choices = constraints["enum"]
        checks.append(pa.Check.isin(choices, error=f"enum: one of {', '.join(map(str, choices))}"))
    if "minimum" in constraints:
        checks.append(pa.Check.ge(constraints["minimum"], error=f"minimum {constraints['minimum']}"))
    if "maximum" in constraints:
        checks.append(pa.Check.le(constraints["maximum"], error=f"maximum {constraints['maximum']}"))
    if "pattern" in constraints:  # Frictionless matches the whole value
        pattern = constraints["pattern"]
        checks.append(
            pa.Check.str_matches(
                f"^(?:{pattern})$",
                error=f"pattern {pattern} ({field['description']})"
                if field.get("description")
                else f"pattern {pattern}",
            )
        )
    field_type = field.get("type", "string")
    return pa.Column(
        DTYPES[field_type],
        checks,
        nullable=not constraints.get("required", False),
        unique=bool(constraints.get("unique", False)),
        coerce=field_type != "string",
    )


def _fields(name: str) -> dict[str, dict]:
    """The dataset's field descriptors in ``data/datapackage.json``, by name, in the file's order."""
    return {field["name"]: field for field in _check_name(name, Path(paths.DATA_DIR))["schema"]["fields"]}


def schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of a dataset, generated from its fields in ``data/datapackage.json`` (type; constraints
    required, unique, enum, minimum, maximum, pattern; ``primaryKey``: columns unique together) with its
    ``ROW_RULES`` attached. Raises ``DataError`` for an unknown name or a field it cannot enforce."""
    table = _check_name(name, Path(paths.DATA_DIR))["schema"]
    return _schema(name, json.dumps(table, sort_keys=True), str(Path(paths.DATA_DIR) / "datapackage.json"))


def _rule_check(rule: RowRule, fields: dict[str, dict]) -> pa.Check:
    return pa.Check(lambda frame: rule.holds(frame, fields), name=rule.name, error=rule.message)


@cache
def _schema(name: str, table_json: str, where: str) -> pa.DataFrameSchema:
    table = json.loads(table_json)
    fields = {field["name"]: field for field in table["fields"]}
    columns = {column: _column(field, f"{where}, dataset {name}, field {column}") for column, field in fields.items()}
    rules = ROW_RULES.get(name, ())
    for rule in rules:
        missing = [c for c in rule.columns if c not in fields]
        if missing:
            raise DataError(
                f"{where}, dataset {name}: no field {', '.join(missing)}, which the rule {rule.name} "
                "(helpers.data.ROW_RULES) reads"
            )
    key = table.get("primaryKey") or None
    return pa.DataFrameSchema(
        columns,
        checks=[_rule_check(rule, fields) for rule in rules],
        unique=[key] if isinstance(key, str) else key,
        strict=True,
        name=name,
    )


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


def list_datasets(data_dir: Path | None = None) -> list[str]:
    """Names of all datasets, in the order of ``datapackage.json`` (of ``data_dir``, by default ``data/``)."""
    return list(_resources(data_dir))


def _check_name(name: str, data_dir: Path) -> dict:
    resources = _resources(data_dir)
    if not isinstance(name, str) or name not in resources:
        raise DataError(f"unknown dataset {name!r}; valid names: {', '.join(resources)}")
    return resources[name]


def provenance(name: str, data_dir: Path | None = None) -> Provenance:
    """Provenance of a dataset (of ``data_dir``, by default ``data/``): report table/page, unit, reference period and
    original source."""
    data_dir = Path(data_dir or paths.DATA_DIR)
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


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read a dataset's CSV as text (``helpers.csv_reader``), checking its header (exactly ``columns``, in any
    order) and every line; empty cells are ``<NA>``."""
    rows = [row for _, row in csv_reader.read(path, DataError).rows]
    if not rows:
        raise DataError(f"{path}: empty file (expected a header with columns {', '.join(columns)})")
    header = rows[0]
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(f"{path}: missing required column(s) {', '.join(missing)}; the header has {', '.join(header)}")
    extra = [c for c in header if c not in columns]
    if extra:
        raise DataError(
            f"{path}: unexpected column(s) {', '.join(map(repr, extra))}; the columns are {', '.join(columns)}"
        )
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
    """A boolean column's text (true or false, in any case; empty: missing) as pandas' nullable booleans."""
    mapping = {"true": True, "false": False}
    values = frame[column]
    bad = values.notna() & ~values.astype("string").str.lower().isin(list(mapping))
    if bad.any():
        idx = bad.idxmax()
        raise DataError(
            f"{path}, line {idx + 2}, column {column}: value {values[idx]!r} fails type boolean (true, false or empty)"
        )
    frame[column] = values.map(lambda v: pd.NA if pd.isna(v) else mapping[str(v).lower()]).astype("boolean")


def _cell(raw: pd.DataFrame, index, column: str):
    """A cell as the file has it ('' for an empty one)."""
    value = raw.at[index, column]
    return "" if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else value


def _format_errors(
    path: Path, exc: SchemaErrors | SchemaError, raw: pd.DataFrame, fields: dict[str, dict], schema: pa.DataFrameSchema
) -> str:
    """One line per failure: file, line, column(s), the value as the file has it and the constraint or rule it
    fails. Where a column's text is not of its type, only those failures (the other checks saw unconverted text)."""
    cases = exc.failure_cases
    if not isinstance(cases, pd.DataFrame) or len(cases) == 0:
        return f"{path}: {exc}"
    checks = cases["check"].astype(str)
    is_type = checks.str.startswith(("coerce_dtype", "dtype"))
    if is_type.any():
        cases = cases[is_type | (checks == "not_nullable")]
    rules = {rule.message: rule for rule in ROW_RULES.get(schema.name, ())}
    key = list(schema.unique or [])
    found: dict[tuple, tuple[int, int, str]] = {}
    for _, case in cases.iterrows():
        index, column, check = case.get("index"), case.get("column"), str(case.get("check"))
        value = case.get("failure_case")
        if pd.isna(index) and "Error(" in str(value):
            continue  # a follow-up of a failed type conversion, already reported for its row
        if pd.isna(index):
            where, line = "file", 0
        else:
            where, line = f"line {int(index) + 2}", int(index) + 2
        columns = (
            rules[check].columns
            if check in rules
            else tuple(key)
            if check == "multiple_fields_uniqueness"
            else (column,)
            if isinstance(column, str)
            else ()
        )
        if pd.notna(index) and columns and all(c in raw.columns for c in columns):
            value = tuple(_cell(raw, index, c) for c in columns) if len(columns) > 1 else _cell(raw, index, columns[0])
        if check.startswith(("coerce_dtype", "dtype")):
            check = f"type {fields.get(column, {}).get('type', check.split('(', 1)[-1].rstrip(')'))}"
        check = _PANDERA_CHECKS.get(check, check)
        named = f"column{'s' if len(columns) > 1 else ''} {', '.join(columns)}" if columns else "column (table)"
        order = min((list(raw.columns).index(c) for c in columns if c in raw.columns), default=-1)
        found.setdefault(
            (where, named, check), (line, order, f"{path}, {where}, {named}: value {value!r} fails {check}")
        )
    lines = [text for _, _, text in sorted(found.values(), key=lambda item: item[:2])]
    if len(lines) > 10:
        lines = lines[:10] + [f"... and {len(lines) - 10} more"]
    return "invalid data:\n  " + "\n  ".join(lines)


def validate(
    name: str, frame: pd.DataFrame, path: Path | str = "<frame>", raw: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Validate (and convert) a frame against the named dataset's schema; ``raw``: the cells as the file has them,
    for messages (default: ``frame``)."""
    dataset_schema = schema(name)
    try:
        return dataset_schema.validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        raise DataError(
            _format_errors(Path(path), exc, frame if raw is None else raw, _fields(name), dataset_schema)
        ) from None


@cache
def _load_cached(name: str, data_dir: str, stamp: tuple[int, int], fields_json: str) -> pd.DataFrame:
    res = _check_name(name, Path(data_dir))
    return _read_validated(name, Path(data_dir) / res["path"], json.loads(fields_json))


def load_file(name: str, path: Path | str) -> pd.DataFrame:
    """The dataset ``name`` read from ``path`` (a copy elsewhere, such as a staged book's) and validated against
    the data package's schema for it."""
    return _read_validated(name, Path(path), _fields(name))


def _read_validated(name: str, path: Path, fields: dict[str, dict]) -> pd.DataFrame:
    frame = _read_csv(path, list(fields))
    raw = frame.copy()
    for column, field in fields.items():
        if field.get("type") == "boolean":
            _to_bool(frame, column, path)
        elif field.get("type") == "number":  # an empty cell is a missing number (NaN), not text of another type
            frame[column] = frame[column].where(frame[column].notna(), None)
    return validate(name, frame, path, raw)


def load(name: str) -> pd.DataFrame:
    """Load a dataset by name as a validated DataFrame (a fresh copy each call).

    Missing cells are ``<NA>``, never 0. Raises ``DataError`` for an unknown name or invalid data.
    """
    return _load_cached(name, *dataset_stamp(name), json.dumps(_fields(name))).copy()


def load_printed(name: str) -> pd.DataFrame:
    """A dataset's cells as the file writes them (text, missing cells ``<NA>``), unvalidated and unconverted.

    The audit reads the precision a number was printed with from it ('9' against '9.0'), which a float loses.
    """
    return _load_printed_cached(name, *dataset_stamp(name), tuple(_fields(name))).copy()


@cache
def _load_printed_cached(name: str, data_dir: str, stamp: tuple[int, int], columns: tuple[str, ...]) -> pd.DataFrame:
    return _read_csv(Path(data_dir) / _check_name(name, Path(data_dir))["path"], list(columns))


def dataset_stamp(name: str) -> tuple[str, tuple[int, int]]:
    """What identifies a dataset's current file for caching: the data folder, and the file's modification time
    (ns) and size (bytes), (0, 0) when it is missing. Raises ``DataError`` for an unknown name."""
    data_dir = Path(paths.DATA_DIR)
    res = _check_name(name, data_dir)
    path = data_dir / res["path"]
    stat = path.stat() if path.exists() else None
    return str(data_dir), ((stat.st_mtime_ns, stat.st_size) if stat else (0, 0))
