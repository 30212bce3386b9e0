"""The book's parameters: the one place that declares their types, defaults and allowed values.

Chapters declare the parameters they use in their ``parameters`` cell with the defaults given here; the pipeline
validates every value before any kernel starts (``validate``) and injects only the parameters a chapter uses.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Callable

from . import regions, user_files


class ParameterError(ValueError):
    """A parameter value of the wrong type or outside its allowed values."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # region, region_list, choice, float, int, str, path, region_file, weights
    default: Any
    help: str
    choices: tuple = ()
    check: Callable[[Any], bool] | None = None
    check_text: str = ""


#: Largest assumed sample size per region: ten million persons, more than live in any region of the report, and
#: small enough that counts, their products and sums stay exact in 64-bit arithmetic.
MAX_SAMPLE_SIZE = 10_000_000

SCORECARD_INDICATORS = ("industry_share", "higher_educated", "unemployment", "population_growth",
                        "hq_in_region", "cooperation_level")

PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in [
        Parameter("focus_region", "region", "zo-drenthe",
                  "The region the book is about: highlighted in every chart, described in every chapter's paragraph.",
                  choices=regions.STUDY_REGIONS),
        Parameter("compare_regions", "region_list", list(regions.STUDY_REGIONS),
                  "The study regions compared in charts and tests (at least two).", choices=regions.STUDY_REGIONS),
        Parameter("reference_rule", "choice", "national",
                  "Reference area for location quotients and specialisation: 'national' (each region against its "
                  "own country) or 'pooled' (against the compared regions together).",
                  choices=("national", "pooled")),
        Parameter("alpha", "float", 0.05, "Significance level of every test.",
                  check=lambda v: 0 < v < 0.5, check_text="between 0 and 0.5"),
        Parameter("assumed_sample_size", "int", 1000,
                  "Assumed number of persons per region behind Tabel 1's percentages (the report gives none).",
                  check=lambda v: 1 <= v <= MAX_SAMPLE_SIZE, check_text=f"between 1 and {MAX_SAMPLE_SIZE}"),
        Parameter("seed", "int", 2016, "Seed of every random draw: the synthetic cohort and the rounding ranges of "
                  "Tabel 1's tests (chapter 2), the random weights of the scorecard's rank stability (chapter 6).",
                  check=lambda v: 0 <= v < 2**32, check_text=f"between 0 and {2**32 - 1}"),
        Parameter("cohort_path", "path", "",
                  "Path of a cohort micro-data CSV (schema in chapter 2); empty: use the seeded synthetic cohort."),
        Parameter("region_file", "region_file", "",
                  "Path of a region file (schema in helpers.region_file) whose region the sector chapters set beside "
                  "the report's six; empty: the report's regions only."),
        Parameter("scorecard_weights", "weights", {k: 1.0 for k in SCORECARD_INDICATORS},
                  "Weights of the illustrative scorecard in chapter 6 (indicator -> non-negative weight).",
                  choices=SCORECARD_INDICATORS),
    ]
}


def defaults() -> dict[str, Any]:
    """Every parameter's default value (fresh copies)."""
    return {name: json.loads(json.dumps(p.default)) for name, p in PARAMETERS.items()}


def _fail(name: str, message: str) -> ParameterError:
    return ParameterError(f"parameter {name!r}: {message}")


def coerce(name: str, value: Any) -> Any:
    """Validate and normalise one parameter value (region aliases become ids; text from the CLI is parsed)."""
    if name not in PARAMETERS:
        raise ParameterError(f"unknown parameter {name!r}; valid parameters: {', '.join(PARAMETERS)}")
    p = PARAMETERS[name]
    if p.type == "region":
        if not isinstance(value, str):
            raise _fail(name, f"expected a region id (text), got {type(value).__name__} {value!r}; "
                              f"valid: {', '.join(p.choices)}")
        try:
            rid = regions.resolve(value)
        except regions.UnknownRegionError:
            raise _fail(name, f"unknown region {value!r}; valid: {', '.join(p.choices)}") from None
        if rid not in p.choices:
            raise _fail(name, f"{rid!r} is a reference area, not a study region; valid: {', '.join(p.choices)}")
        return rid
    if p.type == "region_list":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)) or len(value) < 2:
            raise _fail(name, f"expected a list of at least two region ids, got {value!r}; valid: {', '.join(p.choices)}")
        ids = [coerce("focus_region", v) if isinstance(v, str) else None for v in value]
        if None in ids:
            raise _fail(name, f"every entry must be a region id, got {value!r}")
        if len(set(ids)) != len(ids):
            raise _fail(name, f"regions repeated in {value!r}")
        return [r for r in regions.STUDY_REGIONS if r in ids]
    if p.type == "choice":
        if value not in p.choices:
            raise _fail(name, f"got {value!r}; valid: {', '.join(p.choices)}")
        return value
    if p.type in ("float", "int"):
        if isinstance(value, str):
            try:
                value = float(value) if p.type == "float" else int(value)
            except ValueError:
                raise _fail(name, f"expected {'a number' if p.type == 'float' else 'an integer'}, got {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _fail(name, f"expected {'a number' if p.type == 'float' else 'an integer'}, got "
                              f"{type(value).__name__} {value!r}")
        if p.type == "int":
            if isinstance(value, float) and not value.is_integer():
                raise _fail(name, f"expected an integer, got {value!r}")
            value = int(value)
        else:
            value = float(value)
        if p.type == "float" and not math.isfinite(value):
            raise _fail(name, f"{value!r} is not a finite number; must be {p.check_text}")
        if p.check and not p.check(value):
            raise _fail(name, f"{value!r} is out of range; must be {p.check_text}")
        return value
    if p.type == "str":
        if not isinstance(value, str):
            raise _fail(name, f"expected text, got {type(value).__name__} {value!r}")
        return value
    if p.type == "path":
        if not isinstance(value, str):
            raise _fail(name, f"expected a file path (text), got {type(value).__name__} {value!r}")
        return _cohort_file(name, value) if value else value
    if p.type == "region_file":
        if not isinstance(value, str):
            raise _fail(name, f"expected a region file path (text), got {type(value).__name__} {value!r}")
        if not value:
            return value
        from .region_file import RegionFileError, load

        try:
            return str(load(value).path)  # absolute: chapters run in another folder
        except RegionFileError as exc:
            raise ParameterError(str(exc)) from None
    if p.type == "weights":
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise _fail(name, f"expected a JSON object such as {json.dumps(p.default)}, got {value!r}") from None
        if not isinstance(value, dict):
            raise _fail(name, f"expected a mapping indicator -> weight, got {type(value).__name__}")
        unknown = [k for k in value if k not in p.choices]
        if unknown:
            raise _fail(name, f"unknown indicator(s) {', '.join(map(str, unknown))}; valid: {', '.join(p.choices)}")
        for key, weight in value.items():
            if isinstance(weight, bool) or not isinstance(weight, (int, float)):
                raise _fail(name, f"the weight of {key} must be a number, got {json.dumps(weight)}")
            if not math.isfinite(weight):
                raise _fail(name, f"the weight of {key} must be a finite number, got {weight}")
        out = {**{k: 0.0 for k in p.choices}, **{k: float(v) for k, v in value.items()}}
        if any(v < 0 for v in out.values()) or sum(out.values()) <= 0:
            raise _fail(name, "weights must be non-negative with a positive sum")
        return out
    raise _fail(name, f"internal: unknown type {p.type}")


def _cohort_file(name: str, value: str) -> str:
    """The absolute path of a readable CSV with the cohort columns (``helpers.stats.COHORT_COLUMNS``)."""
    import csv
    import io

    from .stats import COHORT_COLUMNS

    path = user_files.display(value)  # chapters run in another folder: never relative
    expected = f"a CSV file with columns {', '.join(COHORT_COLUMNS)}"
    try:
        raw = user_files.read_bytes(path, expected, kind="cohort file")
    except user_files.UserFileError as exc:
        raise _fail(name, str(exc)) from None
    try:
        lines = io.StringIO(raw.decode("utf-8-sig"), newline="")
        header = next(csv.reader(lines), [])
        has_rows = next(lines, None) is not None
    except UnicodeDecodeError:
        raise _fail(name, f"{path} is not a UTF-8 text file; expected {expected}") from None
    except csv.Error as exc:
        raise _fail(name, f"{path} cannot be read as CSV ({exc})") from None
    missing = [c for c in COHORT_COLUMNS if c not in header]
    if missing:
        raise _fail(name, f"{path} is not a cohort CSV: column(s) {', '.join(missing)} missing; required: "
                          f"{', '.join(COHORT_COLUMNS)}")
    if not has_rows:
        raise _fail(name, f"{path} has a header but no rows")
    return path


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Defaults overridden by ``values``, each validated; the focus region joins the compared regions."""
    out = defaults()
    for name, value in values.items():
        out[name] = coerce(name, value)
    for name in ("focus_region", "compare_regions", "scorecard_weights"):
        out[name] = coerce(name, out[name])
    if out["focus_region"] not in out["compare_regions"]:
        out["compare_regions"] = [r for r in regions.STUDY_REGIONS if r in {*out["compare_regions"], out["focus_region"]}]
    return out


def describe() -> list[dict[str, str]]:
    """The parameters as records (name, type, default, allowed values, help) for the CLI and the book."""
    rows = []
    for p in PARAMETERS.values():
        allowed = ", ".join(p.choices) if p.choices else p.check_text or "any"
        rows.append({"name": p.name, "type": p.type, "default": json.dumps(p.default), "allowed": allowed,
                     "help": p.help})
    return rows
