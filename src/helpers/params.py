"""The book's parameters: the one place that declares their types, defaults and allowed values.

Chapters declare the parameters they use in their ``parameters`` cell with the defaults given here; the pipeline
validates every value before any kernel starts (``validate``) and injects only the parameters a chapter uses.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import i18n, regions, user_files


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


#: Smallest significance level: the book prints p-values to three decimals ("< 0.001" below that), so a reader
#: could not tell a p-value from a smaller level.
MIN_ALPHA = 0.001
#: Smallest assumed sample size per region: with fewer than five persons some category of Tabel 1 has nobody in
#: a region and its tests (chapter 2, the report in brief) cannot be computed; ten leaves room.
MIN_SAMPLE_SIZE = 10
#: Largest assumed sample size per region: ten million persons, more than live in any region of the report, and
#: small enough that counts, their products and sums stay exact in 64-bit arithmetic.
MAX_SAMPLE_SIZE = 10_000_000

SCORECARD_INDICATORS = (
    "industry_share",
    "higher_educated",
    "unemployment",
    "population_growth",
    "hq_in_region",
    "cooperation_level",
)

PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in [
        Parameter(
            "focus_region",
            "region",
            "zo-drenthe",
            "The region the book is about: highlighted in every chart, described in every chapter's paragraph.",
            choices=regions.STUDY_REGIONS,
        ),
        Parameter(
            "compare_regions",
            "region_list",
            list(regions.STUDY_REGIONS),
            "The study regions compared in charts and tests (at least two).",
            choices=regions.STUDY_REGIONS,
        ),
        Parameter(
            "reference_rule",
            "choice",
            "national",
            "Reference area for location quotients and specialisation: 'national' (each region against its "
            "own country) or 'pooled' (against the compared regions together).",
            choices=("national", "pooled"),
        ),
        Parameter(
            "alpha",
            "float",
            0.05,
            "Significance level of every test.",
            check=lambda v: MIN_ALPHA <= v < 0.5,
            check_text=f"at least {MIN_ALPHA:g} and below 0.5",
        ),
        Parameter(
            "assumed_sample_size",
            "int",
            1000,
            "Assumed number of persons per region behind Tabel 1's percentages (the report gives none).",
            check=lambda v: MIN_SAMPLE_SIZE <= v <= MAX_SAMPLE_SIZE,
            check_text=f"between {MIN_SAMPLE_SIZE} and {MAX_SAMPLE_SIZE}",
        ),
        Parameter(
            "seed",
            "int",
            2016,
            "Seed of every random draw: the synthetic cohort and the rounding ranges of "
            "Tabel 1's tests (chapter 2), the random weights of the scorecard's rank stability (chapter 6).",
            check=lambda v: 0 <= v < 2**32,
            check_text=f"between 0 and {2**32 - 1}",
        ),
        Parameter(
            "cohort_path",
            "path",
            "",
            "Path of a cohort micro-data CSV (schema in chapter 2); empty: use the seeded synthetic cohort.",
        ),
        Parameter(
            "region_file",
            "region_file",
            "",
            "Path of a region file (schema in helpers.region_file) whose region the sector chapters set beside "
            "the report's six; empty: the report's regions only.",
        ),
        Parameter(
            "scorecard_weights",
            "weights",
            {k: 1.0 for k in SCORECARD_INDICATORS},
            "Weights of the illustrative scorecard in chapter 6 (indicator -> non-negative weight).",
            choices=SCORECARD_INDICATORS,
        ),
        Parameter(
            "language",
            "choice",
            i18n.DEFAULT,
            "Language of the strings the library writes (sentences, charts, tables, numbers): 'en' or 'nl'.",
            choices=i18n.LANGUAGES,
        ),
    ]
}


def defaults() -> dict[str, Any]:
    """Every parameter's default value (fresh copies)."""
    return {name: json.loads(json.dumps(p.default)) for name, p in PARAMETERS.items()}


def _fail(name: str, message: str) -> ParameterError:
    return ParameterError(f"parameter {name!r}: {message}")


#: At most this many characters of a value are repeated in a message (a longer value is cut and its length said).
SHOWN_CHARACTERS = 80


class _Written(float):
    """A number read from text, remembering how it was written (for messages in the user's words)."""

    written: str

    def __new__(cls, text: str) -> _Written:
        number = super().__new__(cls, text)
        number.written = text
        return number


def shown(value: Any, quoted: bool = True) -> str:
    """A value as a message repeats it: text as typed (in quotes unless ``quoted`` is False), a number as written
    or as Python writes it (numpy's too, never ``np.float64(...)``), a list or mapping as JSON; cut to
    ``SHOWN_CHARACTERS`` with its length said. Control and format characters (a newline, an escape sequence, a
    right-to-left mark) are shown escaped, so the message is one line that reads in order."""
    if isinstance(value, str):
        text = value
    elif hasattr(value, "written"):
        text = value.written
    elif isinstance(value, (bool, type(None))) or not isinstance(value, numbers.Number):
        text = json.dumps(value, ensure_ascii=False, default=str)  # lists, mappings, true/false/null
    else:
        text = repr(value.item() if hasattr(value, "item") else value)  # numpy scalars as plain numbers
    length = ""
    if len(text) > SHOWN_CHARACTERS:
        text, length = f"{text[: SHOWN_CHARACTERS - 1]}\u2026", f" ({len(text)} characters)"
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    return (f"'{text}'" if quoted and isinstance(value, str) else text) + length


def _got(value: Any) -> str:
    """'got ...' of a value of the wrong type: what it is and the value ('a list [1, 2]', 'true')."""
    kind = {list: "a list ", tuple: "a list ", dict: "a mapping ", str: "text "}.get(type(value), "")
    if not kind and not isinstance(value, (bool, type(None), numbers.Number)):
        kind = f"{type(value).__name__} "
    return f"{kind}{shown(value)}"


def _number(text: str, integer: bool) -> float | int | None:
    """The number a text writes (an integer may be written 1e3 or 2016.0), None when it writes none."""
    text = text.strip()
    if integer:
        try:
            return int(text)
        except ValueError:
            pass
    try:
        return _Written(text)
    except ValueError:
        return None


def _json(name: str, text: str, example: str) -> Any:
    """A parameter value written as JSON, its numbers remembering how they were written."""
    try:
        return json.loads(text, parse_float=_Written, parse_constant=_Written)
    except json.JSONDecodeError:
        raise _fail(name, f"expected JSON such as {example}, got {shown(text)}") from None


def coerce(name: str, value: Any) -> Any:
    """Validate and normalise one parameter value (region aliases become ids).

    ``value`` is a Python value (a chapter's parameters cell, a test) or the text a user typed (``-p NAME TEXT``),
    which is read as the parameter's type: a number, a region or a comma-separated list of them, a JSON list or
    mapping. A message repeats a bad value as the user wrote it (``shown``).
    """
    if name not in PARAMETERS:
        raise ParameterError(f"unknown parameter {shown(name)}; valid parameters: {', '.join(PARAMETERS)}")
    p = PARAMETERS[name]
    if p.type == "region":
        if not isinstance(value, str):
            raise _fail(name, f"expected a region id (text), got {_got(value)}; valid: {', '.join(p.choices)}")
        try:
            rid = regions.resolve(value)
        except regions.UnknownRegionError:
            raise _fail(name, f"unknown region {shown(value)}; valid: {', '.join(p.choices)}") from None
        if rid not in p.choices:
            raise _fail(name, f"{rid!r} is a reference area, not a study region; valid: {', '.join(p.choices)}")
        return rid
    if p.type == "region_list":
        typed = value
        if isinstance(value, str):
            value = (
                _json(name, value, json.dumps(p.default[:2]))
                if value.lstrip().startswith("[")
                else [v.strip() for v in value.split(",") if v.strip()]
            )
        if not isinstance(value, (list, tuple)) or len(value) < 2:
            raise _fail(
                name, f"expected a list of at least two region ids, got {shown(typed)}; valid: {', '.join(p.choices)}"
            )
        ids = [coerce("focus_region", v) if isinstance(v, str) else None for v in value]
        if None in ids:
            raise _fail(name, f"every entry must be a region id, got {shown(typed)}")
        if len(set(ids)) != len(ids):
            raise _fail(name, f"regions repeated in {shown(typed)}")
        return [r for r in regions.STUDY_REGIONS if r in ids]
    if p.type == "choice":
        if value not in p.choices:
            raise _fail(name, f"got {shown(value)}; valid: {', '.join(p.choices)}")
        return value
    if p.type in ("float", "int"):
        what = "a number" if p.type == "float" else "an integer"
        said = shown(value)
        if isinstance(value, str):
            number = _number(value, integer=p.type == "int")
            if number is None:
                raise _fail(name, f"expected {what}, got {said}")
            value, said = number, shown(value.strip(), quoted=False)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise _fail(name, f"expected {what}, got {_got(value)}")
        if not math.isfinite(value):
            raise _fail(name, f"{said} is not a finite number; must be {p.check_text}")
        if p.type == "int":
            if not float(value).is_integer():
                raise _fail(name, f"expected an integer, got {said}")
            value = int(value)
        else:
            value = float(value)
        if p.check and not p.check(value):
            raise _fail(name, f"{said} is out of range; must be {p.check_text}")
        return value
    if p.type == "str":
        if not isinstance(value, str):
            raise _fail(name, f"expected text, got {_got(value)}")
        return value
    if p.type == "path":
        if not isinstance(value, str):
            raise _fail(name, f"expected a file path (text), got {_got(value)}")
        try:
            return _cohort_file(name, value) if value else value
        except ParameterError as exc:
            raise ParameterError(_with_short_path(str(exc), value)) from None
    if p.type == "region_file":
        if not isinstance(value, str):
            raise _fail(name, f"expected a region file path (text), got {_got(value)}")
        if not value:
            return value
        from .region_file import RegionFileError, load

        try:
            return str(load(value).path)  # absolute: chapters run in another folder
        except RegionFileError as exc:
            raise ParameterError(_with_short_path(str(exc), value)) from None
    if p.type == "weights":
        return _weights(name, p, value)
    raise _fail(name, f"internal: unknown type {p.type}")


def _with_short_path(message: str, path: str) -> str:
    """A message about a file the user named, with that path (as typed, or made absolute) cut as ``shown`` cuts
    a value: the messages of ``user_files`` and ``region_file`` repeat it whole."""
    for text in sorted({user_files.display(path), path}, key=len, reverse=True):
        if len(text) > SHOWN_CHARACTERS:
            message = message.replace(text, shown(text, quoted=False))
    return message


def _weights(name: str, p: Parameter, value: Any) -> dict[str, float]:
    """Every indicator's weight: finite and non-negative, at least one positive (only their ratios matter)."""
    if isinstance(value, str):
        value = _json(name, value, json.dumps(p.default))
    if not isinstance(value, dict):
        raise _fail(name, f"expected a mapping indicator -> weight, got {_got(value)}")
    unknown = [k for k in value if k not in p.choices]
    if unknown:
        raise _fail(
            name,
            f"unknown indicator(s) {shown(', '.join(map(str, unknown)), quoted=False)}; valid: {', '.join(p.choices)}",
        )
    for key, weight in value.items():
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real):
            written = json.dumps(weight, ensure_ascii=False, default=str)  # as in the JSON typed
            raise _fail(name, f"the weight of {key} must be a number, got {shown(written, quoted=False)}")
        if not math.isfinite(weight):
            raise _fail(name, f"the weight of {key} must be a finite number, got {shown(weight)}")
        if weight < 0:
            raise _fail(name, f"the weight of {key} must not be negative, got {shown(weight)}")
    out = {**{k: 0.0 for k in p.choices}, **{k: float(v) for k, v in value.items()}}
    if not any(out.values()):
        raise _fail(name, "at least one weight must be positive")
    return out


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
        raise _fail(
            name,
            f"{path} is not a cohort CSV: column(s) {', '.join(missing)} missing; required: "
            f"{', '.join(COHORT_COLUMNS)}",
        )
    if not has_rows:
        raise _fail(name, f"{path} has a header but no rows")
    _check_cohort_rows(name, path, raw)
    return path


def _check_cohort_rows(name: str, path: str, raw: bytes) -> None:
    """The rows of a cohort file as chapter 2 reads them (``synthetic.load_cohort``): ``stats.validate_cohort``'s
    schema, and at least two different outcomes for the model of career outcomes."""
    import io

    import pandas as pd

    from .stats import StatsInputError, validate_cohort

    try:
        cohort = validate_cohort(pd.read_csv(io.BytesIO(raw)))
    except StatsInputError as exc:
        raise _fail(name, f"{path}: {exc}") from None
    except ValueError as exc:  # pandas' ParserError among them
        raise _fail(name, f"{path} cannot be read as CSV ({shown(' '.join(str(exc).split()), quoted=False)})") from None
    outcomes = cohort["outcome"].unique()
    if len(outcomes) < 2:
        raise _fail(
            name,
            f"{path}: every row has the outcome {shown(str(outcomes[0]))}; chapter 2 models career "
            "outcomes, which needs at least two different ones",
        )


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Defaults overridden by ``values``, each validated; the focus region joins the compared regions."""
    out = defaults()
    for name, value in values.items():
        out[name] = coerce(name, value)
    for name in ("focus_region", "compare_regions", "scorecard_weights"):
        out[name] = coerce(name, out[name])
    if out["focus_region"] not in out["compare_regions"]:
        out["compare_regions"] = [
            r for r in regions.STUDY_REGIONS if r in {*out["compare_regions"], out["focus_region"]}
        ]
    return out


def describe() -> list[dict[str, str]]:
    """The parameters as records (name, type, default, allowed values, help) for the CLI and the book."""
    rows = []
    for p in PARAMETERS.values():
        allowed = ", ".join(p.choices) if p.choices else p.check_text or "any"
        rows.append(
            {"name": p.name, "type": p.type, "default": json.dumps(p.default), "allowed": allowed, "help": p.help}
        )
    return rows
