"""Glued values: a number or text for the prose (``{glue:text}`name```) and its machine-readable value for
results.json.

``glue(name, value)`` stores ``value`` (a number, text, list or table records); the prose shows ``text``, or the
value in the book's number format (``decimals``, ``unit``), or the value itself.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import display

from .i18n import _
from .numbers import fmt

#: The mime prefix myst-nb uses for glued values that are not displayed where they are glued.
GLUE_PREFIX = "application/papermill.record/"
#: Mime type under which the machine-readable value of a glued name is stored.
VALUE_MIME = "application/vnd.regbook.value+json"
_NAME = re.compile(r"^[a-z0-9_]+$")


def jsonable(value: Any) -> Any:
    """``value`` as results.json stores it: tables as lists of records, numpy numbers as numbers, NaN as null."""
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index() if not isinstance(value.index, pd.RangeIndex) else value
        return [jsonable(rec) for rec in frame.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (int, str)):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def glue(name: str, value: Any, text: str | None = None, *, decimals: int | None = None, unit: str = "") -> None:
    """Glue ``value`` under ``name``, for the prose and for results.json.

    The prose shows ``text`` if given; else, when ``decimals`` or ``unit`` is given, the value in the book's
    number format (``numbers.fmt(value, decimals, unit)``: ``glue("ch2_share", 21.0, decimals=0, unit="%")`` shows
    '21%'); else, for a table, its size in words; else ``str(value)``. Names are lower case ASCII with
    underscores (``ch3_lq_c_twente``): they are an interface.
    """
    if not _NAME.match(name):
        raise ValueError(f"glue name {name!r} must be lower-case ASCII letters, digits and underscores")
    if text is not None:
        shown = str(text)
    elif decimals is not None or unit:
        shown = fmt(value, 1 if decimals is None else decimals, unit)
    elif isinstance(value, (pd.DataFrame, pd.Series)):
        # a table is glued for results.json; its repr would depend on the terminal width pandas detects, which
        # differs between kernels, and so would every downloadable notebook
        shown = (
            _("a table of {rows} rows and {columns} columns") if value.ndim == 2 else _("a list of {rows} values")
        ).format(rows=len(value), columns=value.shape[-1])
    else:
        shown = str(value)
    bundle = {"text/plain": repr(shown), VALUE_MIME: {"value": jsonable(value)}}
    if isinstance(value, pd.DataFrame):
        bundle["text/html"] = value.to_html(index=False, na_rep="\u2013", classes="dataframe", border=0)
    display(
        {GLUE_PREFIX + k: v for k, v in bundle.items()},
        raw=True,
        metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}},
    )


def dumps(value: Any) -> str:
    """JSON text of a value as results.json would store it."""
    return json.dumps(jsonable(value), ensure_ascii=False)
