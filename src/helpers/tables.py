"""Tables on the page: a DataFrame as an HTML table with caption, source, units in headers, a phone layout,
sortable headers, an audit-verdict filter and a CSV download of its raw numbers."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import HTML, display

from . import i18n, regions
from .i18n import N_, _
from .markup import csv_link, text_html
from .numbers import MISSING, fmt, is_missing, p_cell, raw_number

#: Verdicts of the audit, most important first: a table with a 'verdict' column lists its rows in this order.
VERDICT_ORDER = (
    N_("discrepancy"),
    N_("tables differ"),
    N_("uncertain"),
    N_("not recomputable"),
    N_("consistent within rounding"),
    N_("consistent"),
)
#: Column names that tables across the book share (data columns shown as they are named): marked here for the
#: catalogue, shown translated like every header.
COLUMN_WORDS = (
    N_("column"),
    N_("meaning"),
    N_("element"),
    N_("group"),
    N_("indicator"),
    N_("level"),
    N_("measure"),
    N_("package"),
    N_("parameter"),
    N_("sector"),
    N_("table"),
    N_("unit"),
    N_("value"),
    N_("variant"),
    N_("version"),
    N_("the report's word"),
)
#: Columns whose cells are the library's own words (the audit's verdicts and grades), shown translated.
TRANSLATED_COLUMNS = ("verdict", "grade")
#: A table with at least this many rows gets sortable headers.
SORTABLE_ROWS = 8
_ID_COLUMN = re.compile(r"(^|[_ ])ids?$", re.IGNORECASE)
_P_COLUMN = re.compile(r"^p$|^p[ _(]|[ _(]p\)?$|\(p\)|p[- _]?value", re.IGNORECASE)
_YEAR_COLUMN = re.compile(r"\byear\b|^year|jaar", re.IGNORECASE)
_NUMBER_TEXT = re.compile(r"^(<\s?)?[+\-\u2212]?\d[\d\u202f\u2009]*(\.\d+)?(%|\u00a0\S+)?$")
#: A number as the Dutch edition writes it ('1.082', '−0,5', '< 0,001', '14,9%').
_DUTCH_NUMBER_TEXT = re.compile(r"^(<\s?)?[+\-\u2212]?\d{1,3}(\.\d{3})*(,\d+)?(%|\u00a0\S+)?$")
_LANG_HEADER = {
    "nl": re.compile(r"(^|[_ ])nl$|^the report('s word| says)?$", re.IGNORECASE),
    "de": re.compile(r"(^|[_ ])de$", re.IGNORECASE),
}


def _header(name: Any) -> str:
    """A column name as a reader sees it: identifiers like 'industry_share' become words."""
    text = str(name)
    return text.replace("_", " ") if "_" in text and " " not in text else text


def _decimals(float_format: str) -> int:
    match = re.search(r"\.(\d+)[fe%]", float_format)
    return int(match.group(1)) if match else 1


def _cell_text(value: Any, decimals: int) -> str:
    """One cell of an object column: numbers in the book's format, integral values as integers."""
    if is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return _("yes") if value else _("no")
    if isinstance(value, (int, np.integer)):
        return fmt(int(value))
    if isinstance(value, (float, np.floating)):
        return fmt(int(value)) if float(value).is_integer() else fmt(float(value), decimals)
    return str(value)


def format_column(values: pd.Series, header: str, decimals: int = 1) -> list[str]:
    """The cells of one column formatted by what it holds.

    Booleans read 'yes'/'no'; p-value columns (header 'p', 'p-value', '... (p)') '< 0.001' or three decimals;
    year columns plain digits; integer-valued columns integers (counts, df); other numbers ``decimals``
    decimals, except in a column spanning more than three orders of magnitude, where each value keeps its own
    precision (integral values as integers). Missing cells show an en dash.
    """
    if pd.api.types.is_bool_dtype(values):
        return [_cell_text(v, decimals) for v in values]
    if not pd.api.types.is_numeric_dtype(values):
        return [_cell_text(v, decimals) for v in values]
    present = values.dropna().astype(float)
    if _P_COLUMN.search(header) and (present.between(0, 1)).all():
        return [p_cell(v) for v in values]
    integral = bool(len(present)) and bool((present == present.round()).all()) and bool((present.abs() < 1e15).all())
    if integral and _YEAR_COLUMN.search(header) and present.between(1000, 2999).all():
        return [MISSING if is_missing(v) else str(int(v)) for v in values]
    if integral:
        return [MISSING if is_missing(v) else fmt(int(v)) for v in values]
    nonzero = present[present != 0].abs()
    if len(nonzero) and nonzero.max() / nonzero.min() > 1000:
        return [_cell_text(v, decimals) for v in values]
    return [fmt(v, decimals) for v in values]


def _is_numeric_text(cells: list[str]) -> bool:
    shown = [c for c in cells if c != MISSING]
    pattern = _NUMBER_TEXT if i18n.current() == i18n.DEFAULT else _DUTCH_NUMBER_TEXT
    return bool(shown) and all(pattern.match(c.strip()) for c in shown)


def _language(original: Any, header: str, values: pd.Series, lang: dict | None) -> str | None:
    if lang and original in lang:
        return lang[original]
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    for code, pattern in _LANG_HEADER.items():
        if pattern.search(str(original)) or pattern.search(header):
            return code
    return None


def _sort_value(value: Any) -> str:
    if is_missing(value) or isinstance(value, (bool, np.bool_)):
        return ""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return repr(float(value))
    number = raw_number(str(value))
    return repr(float(number)) if isinstance(number, (int, float)) else ""


def reader_frame(frame: pd.DataFrame, index: bool = False, show_ids: bool = False) -> tuple[pd.DataFrame, list]:
    """The columns a reader sees: region ids as names, other id columns left out, the verdict first.

    Returns the frame and, per row, the value of the first id column left out (for the row's data-id).
    """
    shown = frame.reset_index() if index else frame.reset_index(drop=True)
    shown.columns = [str(c) if not isinstance(c, str) else c for c in shown.columns]
    row_ids: list = [None] * len(shown)
    for col in list(shown.columns):
        if show_ids or not _ID_COLUMN.search(col):
            continue
        known = shown[col].dropna().astype(str)
        if (
            len(known)
            and known.isin(regions.ALL_AREAS).all()
            and not any(c in shown.columns for c in ("region", "area", "Region", "Area"))
        ):
            shown[col] = shown[col].map(lambda r: r if is_missing(r) else regions.name(str(r)))
            shown = shown.rename(columns={col: "area"})
            continue
        if all(v is None for v in row_ids):
            row_ids = list(shown[col])
        shown = shown.drop(columns=col)
    if "verdict" in shown.columns:
        rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
        order = shown["verdict"].map(lambda v: rank.get(v, len(rank))).sort_values(kind="stable").index
        row_ids = [row_ids[i] for i in order]
        shown = shown.loc[order].reset_index(drop=True)
        first = ["verdict"] + (["statement"] if "statement" in shown.columns else [])
        shown = shown[first + [c for c in shown.columns if c not in first]]
    return shown, row_ids


def _template_attribute(template: str) -> str:
    """The filter count's template for the page's script, in a language other than English (the script's own
    words are the English ones, so an English page is unchanged)."""
    if i18n.current() == i18n.DEFAULT:
        return ""
    return f' data-template="{html.escape(template)}"'


def table_html(
    frame: pd.DataFrame,
    name: str,
    caption: str,
    source: str,
    synthetic: bool = False,
    index: bool = False,
    float_format: str = "{:,.1f}",
    *,
    show_ids: bool = False,
    lang: dict[str, str] | None = None,
    sortable: bool | None = None,
    code: Sequence[str] = (),
) -> str:
    """The HTML of a book table (see :func:`table`)."""
    decimals = _decimals(float_format)
    shown, row_ids = reader_frame(frame, index=index, show_ids=show_ids)
    headers = [_header(c) for c in shown.columns]  # as written: what the column holds is read from them
    shown_headers = [_(h) for h in headers]  # in the reader's language (headers marked N_ where they are made)
    columns = [format_column(shown[c], h, decimals) for c, h in zip(shown.columns, headers)]
    numeric = [_is_numeric_text(cells) for cells in columns]
    langs = [_language(c, h, shown[c], lang) for c, h in zip(shown.columns, headers)]
    has_verdict = "verdict" in shown.columns
    sortable = len(shown) >= SORTABLE_ROWS if sortable is None else sortable
    table_id = f"{name}-table"

    head = []
    for header, is_num in zip(shown_headers, numeric):
        cls = ' class="num"' if is_num else ""
        label = html.escape(header)
        if sortable:
            label = (
                f'<button type="button" class="sort-button">{label}'
                '<span class="sort-mark" aria-hidden="true"></span></button>'
            )
        sort_state = ' aria-sort="none"' if sortable else ""
        head.append(f'<th scope="col"{cls}{sort_state}>{label}</th>')
    body = []
    for i in range(len(shown)):
        attrs = ""
        if row_ids[i] is not None and not is_missing(row_ids[i]):
            attrs += f' data-id="{html.escape(str(row_ids[i]))}"'
        if has_verdict:
            attrs += f' data-verdict="{html.escape(str(shown["verdict"].iloc[i]))}"'
        cells = []
        for j, col in enumerate(shown.columns):
            text = columns[j][i]
            cls = "num" if numeric[j] else ""
            if col == "verdict" and has_verdict:
                slug = re.sub(r"[^a-z]+", "-", text.lower()).strip("-")
                content = f'<span class="verdict verdict-{slug}">{html.escape(_(text))}</span>'
            elif col in TRANSLATED_COLUMNS:
                content = text_html(_(text), None)
            elif col in code:
                content = f"<code>{html.escape(text)}</code>"
            else:
                content = text_html(text, langs[j])
            sort = _sort_value(shown[col].iloc[i]) if sortable else ""
            sort_attr = f' data-sort="{sort}"' if sort else ""
            cls_attr = f' class="{cls}"' if cls else ""
            cells.append(f'<td{cls_attr} data-label="{html.escape(shown_headers[j])}"{sort_attr}>{content}</td>')
        body.append(f"<tr{attrs}>{''.join(cells)}</tr>")

    synthetic_words = _("Synthetic data.")
    label = f"<strong>{html.escape(synthetic_words)}</strong> " if synthetic else ""
    classes = "book-table" + (" has-verdict" if has_verdict else "") + (" sortable" if sortable else "")
    controls = ""
    if has_verdict:
        counts = shown["verdict"].value_counts()
        every = html.escape(_("all ({count})").format(count=len(shown)))
        options = [f'<option value="">{every}</option>'] + [
            f'<option value="{html.escape(v)}">{html.escape(_(v))} ({int(counts[v])})</option>'
            for v in [*VERDICT_ORDER, *sorted(set(counts.index) - set(VERDICT_ORDER))]
            if v in counts.index
        ]
        # the page's script rewrites the count with the same template when the filter changes
        count_template = _("Showing {shown} of {total} rows")
        showing = html.escape(count_template.format(shown=len(shown), total=len(shown)))
        show_verdict = html.escape(_("Show verdict"))
        controls = (
            f'<div class="table-controls" hidden><label>{show_verdict} '
            f'<select class="verdict-filter" aria-controls="{table_id}">{"".join(options)}</select></label> '
            f'<output class="filter-count" aria-live="polite" for="{table_id}"'
            f"{_template_attribute(count_template)}>{showing}</output></div>"
        )
    source_text = _("Source: {source}").format(source=html.escape(source))
    return (
        f'<div class="book-table-wrap" id="{html.escape(name)}">{controls}'
        f'<table class="{classes}" id="{html.escape(table_id)}">'
        f"<caption>{label}{text_html(caption, None)} <em>{source_text}</em></caption>"
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"{csv_link(frame if index else frame.reset_index(drop=True), 'table_' + name)}</div>"
    )


def table(
    frame: pd.DataFrame,
    name: str,
    caption: str,
    source: str,
    synthetic: bool = False,
    index: bool = False,
    float_format: str = "{:,.1f}",
    *,
    show_ids: bool = False,
    lang: dict[str, str] | None = None,
    sortable: bool | None = None,
    code: Sequence[str] = (),
) -> None:
    """Show a DataFrame as an HTML table with caption, source and a CSV download link (units go in headers).

    Each column is formatted by what it holds (:func:`format_column`; ``float_format`` gives the decimals of
    non-integral numbers), numeric columns are right-aligned, and every cell carries its column's label for the
    phone layout. Id columns are not shown (``region_id`` becomes the area's name) unless ``show_ids``; a
    'verdict' column becomes a badge beside the statement, discrepancies first, with a filter. ``lang`` maps
    columns to the language of their text (columns named ``*_nl``/``*_de`` are found by name). The CSV carries
    the raw numbers of ``frame``. Columns named in ``code`` (file, column or parameter names) are shown as code;
    in cells, captions and notes, text in `backticks` is too.
    """
    display(
        HTML(
            table_html(
                frame,
                name,
                caption,
                source,
                synthetic,
                index,
                float_format,
                show_ids=show_ids,
                lang=lang,
                sortable=sortable,
                code=code,
            )
        )
    )
