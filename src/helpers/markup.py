"""HTML fragments that the book's figures and tables share: caption and cell text, notes, CSV downloads."""

from __future__ import annotations

import base64
import html
import re

import pandas as pd
from IPython.display import HTML, display

from .i18n import _
from .numbers import raw_number

_QUOTED = re.compile(r"\u201c[^\u201d]+\u201d")
#: The language of quotations in curly quotes inside table cells and captions (the report's).
QUOTE_LANG = "nl"
_BACKTICKS = re.compile(r"`([^`]+)`")


def text_html(text: str, lang: str | None = None) -> str:
    """Cell, caption or note text as HTML: escaped, `names in backticks` as code, quotations marked with their
    language."""
    escaped = html.escape(text)
    if lang:
        return f'<span lang="{lang}">{escaped}</span>'
    escaped = _BACKTICKS.sub(lambda m: f"<code>{m.group(1)}</code>", escaped)
    return _QUOTED.sub(lambda m: f'<span lang="{QUOTE_LANG}">{m.group(0)}</span>', escaped)


def csv_frame(data: pd.DataFrame) -> pd.DataFrame:
    """The frame as the CSV download carries it: raw numbers (text formatted by :func:`fmt` parsed back)."""
    out = data.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = pd.Series([raw_number(v) for v in out[col]], index=out.index, dtype=object)
    return out


def csv_link(data: pd.DataFrame | None, name: str) -> str:
    """A download link for the data as CSV: decimal point, no thousands separator, empty cell for missing."""
    if data is None:
        return ""
    csv = csv_frame(data).to_csv(index=not isinstance(data.index, pd.RangeIndex), na_rep="")
    payload = base64.b64encode(csv.encode()).decode()
    words = (
        _("Download the data behind this figure (CSV)")
        if name.startswith("fig")
        else _("Download the data behind this table (CSV)")
    )
    return (
        f'<a class="data-download" download="{name}.csv" href="data:text/csv;base64,{payload}">{html.escape(words)}</a>'
    )


def note(text: str) -> None:
    """A short computed note rendered as a paragraph (for text that depends on the data)."""
    display(HTML(f'<p class="computed-note">{text_html(text, None)}</p>'))
