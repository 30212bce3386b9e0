"""What chapters call to put results on the page: glue values, show figures and tables with captions.

``glue(name, value, text)`` stores ``text`` for the prose (``{glue:text}`name```) and ``value`` (a number,
text, list or table records) for ``results.json``. ``figure(...)`` and ``table(...)`` render an HTML figure or
table with title, caption, source, alt text and a link to download the data behind it as CSV.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import HTML, display

from . import plots, regions

#: The mime prefix myst-nb uses for glued values that are not displayed where they are glued.
GLUE_PREFIX = "application/papermill.record/"
#: Mime type under which the machine-readable value of a glued name is stored.
VALUE_MIME = "application/vnd.regbook.value+json"
_NAME = re.compile(r"^[a-z0-9_]+$")


def setup() -> None:
    """Chapter start: apply the plotting theme."""
    plots.use_theme()


def _jsonable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index() if not isinstance(value.index, pd.RangeIndex) else value
        return [_jsonable(rec) for rec in frame.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
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


def glue(name: str, value: Any, text: str | None = None) -> None:
    """Glue ``value`` under ``name``: ``text`` (default ``str(value)``) for the prose, the value for results.json.

    Names are lower case ASCII with underscores (``ch3_lq_c_twente``): they are an interface.
    """
    if not _NAME.match(name):
        raise ValueError(f"glue name {name!r} must be lower-case ASCII letters, digits and underscores")
    shown = str(value) if text is None else str(text)
    bundle = {"text/plain": repr(shown), VALUE_MIME: {"value": _jsonable(value)}}
    if isinstance(value, pd.DataFrame):
        bundle["text/html"] = value.to_html(index=False, na_rep="–", classes="dataframe", border=0)
    display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})


def fmt(value: float | None, decimals: int = 1, unit: str = "") -> str:
    """A number for the prose: fixed decimals, thousands separated by a thin space; '–' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    text = f"{value:,.{decimals}f}".replace(",", "\u2009")
    return f"{text}{unit}"


def pct(value: float | None, decimals: int = 1) -> str:
    """A percentage for the prose ('12.3%')."""
    return fmt(value, decimals, "%")


def pvalue(p: float | None, prefix: bool = True) -> str:
    """A p-value for the prose ('p = 0.032', 'p < 0.001') or, with ``prefix=False``, a table cell ('0.032',
    '< 0.001'). Tiny or underflowed p-values (0.0) show as '< 0.001', never as 0; a missing p as 'not computable'.
    """
    if p is None or (isinstance(p, (float, np.floating)) and math.isnan(p)) or p is pd.NA:
        return "p not computable" if prefix else "not computable"
    if not 0 <= p <= 1:
        raise ValueError(f"a p-value must lie between 0 and 1, got {p}")
    if p < 0.001:
        return "p < 0.001" if prefix else "< 0.001"
    return f"p = {p:.3f}" if prefix else f"{p:.3f}"


def region_name(region_id: str) -> str:
    """The report's name of a region, for the prose."""
    return regions.name(region_id)


def _csv_link(data: pd.DataFrame | None, name: str) -> str:
    if data is None:
        return ""
    payload = base64.b64encode(data.to_csv(index=not isinstance(data.index, pd.RangeIndex)).encode()).decode()
    return (f'<a class="data-download" download="{name}.csv" href="data:text/csv;base64,{payload}">'
            f"Download the data behind this {'figure' if name.startswith('fig') else 'table'} (CSV)</a>")


def figure(fig, name: str, caption: str, alt: str, source: str, data: pd.DataFrame | None = None,
           synthetic: bool = False) -> None:
    """Show a matplotlib figure as an HTML figure with caption, source, alt text and a CSV download link.

    ``synthetic=True`` requires the words 'Synthetic data' in the figure title and adds them to the caption.
    """
    import matplotlib.pyplot as plt

    title = " ".join([fig.get_suptitle(), *(ax.get_title() for ax in fig.axes)])
    if synthetic and "Synthetic data" not in title:
        raise ValueError(f"figure {name}: synthetic data must say 'Synthetic data' in its title")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    png = base64.b64encode(buffer.getvalue()).decode()
    label = "Synthetic data. " if synthetic else ""
    display(HTML(
        f'<figure class="book-figure" id="{html.escape(name)}">'
        f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt)}" style="max-width:100%"/>'
        f"<figcaption><strong>{label}</strong>{html.escape(caption)} <em>Source: {html.escape(source)}</em><br/>"
        f"{_csv_link(data, 'fig_' + name)}</figcaption></figure>"
    ))


def table(frame: pd.DataFrame, name: str, caption: str, source: str, synthetic: bool = False,
          index: bool = False, float_format: str = "{:,.1f}") -> None:
    """Show a DataFrame as an HTML table with caption, source and a CSV download link (units go in headers)."""
    shown = frame.copy()
    shown.columns.name = None
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: "–" if pd.isna(v) else float_format.format(v))
        else:
            shown[col] = shown[col].astype(object).where(shown[col].notna(), "–")
    body = shown.to_html(index=index, na_rep="–", border=0, classes="dataframe book-table", escape=True)
    label = "Synthetic data. " if synthetic else ""
    display(HTML(
        f'<div class="book-table-wrap" id="{html.escape(name)}"><p class="caption"><strong>{label}</strong>'
        f"{html.escape(caption)} <em>Source: {html.escape(source)}</em></p>{body}"
        f"{_csv_link(frame if index else frame.reset_index(drop=True), 'table_' + name)}</div>"
    ))


def note(text: str) -> None:
    """A short computed note rendered as a paragraph (for text that depends on the data)."""
    display(HTML(f'<p class="computed-note">{html.escape(text)}</p>'))


def dumps(value: Any) -> str:
    """JSON text of a value as results.json would store it."""
    return json.dumps(_jsonable(value), ensure_ascii=False)
