"""What chapters call to put results on the page: glue values, show figures and tables with captions.

``glue(name, value, text)`` stores ``text`` for the prose (``{glue:text}`name```) and ``value`` (a number,
text, list or table records) for ``results.json``. ``figure(...)`` and ``table(...)`` render an HTML figure or
table with title, caption, source, alt text and a link to download the data behind it as CSV.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
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


#: Typographic pieces of the book's one number format.
MINUS = "\u2212"          # a true minus sign, not a hyphen
THOUSANDS = "\u202f"      # narrow no-break space: groups thousands and never breaks a number across lines
UNIT_SPACE = "\u00a0"     # no-break space between a number and its unit
MISSING = "\u2013"        # en dash for a missing value
_ATTACHED_UNITS = ("%", "\u2030", "\u00b0")
_SUPERSCRIPT = str.maketrans("23", "\u00b2\u00b3")
_UNIT_POWER = re.compile(r"(?<=[A-Za-z\u00b5])\^?([23])\b")


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, (float, np.floating)) and math.isnan(value))
    except TypeError:
        return False


def unit_symbol(text: str) -> str:
    """A unit symbol typeset: powers as superscripts ('km2' and 'km^2' become 'km²')."""
    return _UNIT_POWER.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), text.strip())


def fmt(value: float | int | None, decimals: int = 1, unit: str = "", *, signed: bool = False) -> str:
    """The book's one number format, for prose, tables and code-written text.

    Integers (Python or numpy ints) are counts and always shown without decimals; other numbers are rounded to
    ``decimals``. Thousands are grouped by a narrow no-break space, negatives carry a true minus sign (U+2212)
    and a value that rounds to zero never shows one ('0.00', not '−0.00'); ``signed=True`` adds '+' to positive
    values (differences). ``unit`` is typeset by :func:`unit_symbol`: '%' is attached ('14.9%'), other units
    follow a no-break space ('12.5 km²'). Missing values (None, NaN, NA) give an en dash.
    """
    if _is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        decimals = 0
    number = float(value)
    if math.isinf(number):
        return ("" if number > 0 else MINUS) + "\u221e"
    digits = f"{abs(number):,.{decimals}f}"
    is_zero = float(digits.replace(",", "")) == 0
    sign = "" if is_zero else (MINUS if number < 0 else ("+" if signed else ""))
    text = sign + digits.replace(",", THOUSANDS)
    if unit:
        symbol = unit_symbol(unit)
        text += symbol if symbol.startswith(_ATTACHED_UNITS) else UNIT_SPACE + symbol
    return text


def pct(value: float | None, decimals: int = 1, *, signed: bool = False) -> str:
    """A percentage for the prose ('14.9%'), in the format of :func:`fmt`."""
    return fmt(value, decimals, "%", signed=signed)


def p_cell(p: float | None) -> str:
    """A p-value in a table cell: '< 0.001', else three decimals ('0.032'); '–' when missing."""
    if _is_missing(p):
        return MISSING
    return "< 0.001" if float(p) < 0.001 else fmt(float(p), 3)


def raw_number(text: Any) -> Any:
    """The number behind a cell formatted by :func:`fmt` ('1 082' -> 1082, '−0.5' -> -0.5), else the input.

    Used for the CSV downloads, which carry raw numbers; '–' becomes None (an empty cell).
    """
    if not isinstance(text, str):
        return text
    stripped = text.strip()
    if stripped in (MISSING, "-", "\u2014", ""):
        return None
    plain = stripped.replace(THOUSANDS, "").replace("\u2009", "").replace(UNIT_SPACE, "").replace(MINUS, "-")
    if re.fullmatch(r"[+-]?\d+", plain):
        return int(plain)
    if re.fullmatch(r"[+-]?\d*\.\d+", plain):
        return float(plain)
    return text


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


def confidence_level(alpha: float) -> str:
    """The level of the intervals that go with significance level ``alpha``, as the prose names it: '95%' for
    0.05, '97.5%' for 0.025, '99.9%' for 0.001 (never cut to a whole percent)."""
    return f"{100 * (1 - alpha):.6f}".rstrip("0").rstrip(".") + "%"


def region_name(region_id: str) -> str:
    """The report's name of a region, for the prose."""
    return regions.name(region_id)


def _csv_frame(data: pd.DataFrame) -> pd.DataFrame:
    """The frame as the CSV download carries it: raw numbers (text formatted by :func:`fmt` parsed back)."""
    out = data.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = pd.Series([raw_number(v) for v in out[col]], index=out.index, dtype=object)
    return out


def _csv_link(data: pd.DataFrame | None, name: str) -> str:
    """A download link for the data as CSV: decimal point, no thousands separator, empty cell for missing."""
    if data is None:
        return ""
    csv = _csv_frame(data).to_csv(index=not isinstance(data.index, pd.RangeIndex), na_rep="")
    payload = base64.b64encode(csv.encode()).decode()
    return (f'<a class="data-download" download="{name}.csv" href="data:text/csv;base64,{payload}">'
            f"Download the data behind this {'figure' if name.startswith('fig') else 'table'} (CSV)</a>")


# ---------------------------------------------------------------------------------------------------- figures

#: Deterministic SVG: a fixed salt for matplotlib's element ids and no creation date.
SVG_HASHSALT = "regbook"
#: Chart text is at least the size of the captions (13 px) where a chart is shown at the laptop width: the
#: content column shows a chart at most :data:`CHART_COLUMN_PX` wide (measured at 1366 px) and at most at its
#: natural size (1 pt = 4/3 px). Text below that is raised, within [MIN_TEXT_PT, MAX_FLOOR_PT]: a chart drawn
#: much wider than the column needs redrawing narrower instead (larger text would crowd it).
CAPTION_PX = 13.0
CHART_COLUMN_PX = 740.0
MIN_TEXT_PT = 9.75
MAX_FLOOR_PT = 13.0


def chart_file_name(svg: str) -> str:
    """The file name myst-nb gives an image/svg+xml output: sha256 of its text (lines joined by newlines)."""
    import hashlib

    return hashlib.sha256("\n".join(svg.splitlines()).encode("utf-8")).hexdigest() + ".svg"


def _visible_texts(fig) -> list:
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def text_floor_pt(width_pt: float) -> float:
    """Smallest text (pt) for a chart ``width_pt`` wide to show it at :data:`CAPTION_PX` on a laptop."""
    shown_px = min(width_pt * 4 / 3, CHART_COLUMN_PX)
    return min(max(CAPTION_PX * width_pt / shown_px, MIN_TEXT_PT), MAX_FLOOR_PT)


def overlapping_texts(fig) -> list[tuple[str, str]]:
    """Pairs of texts of a drawn figure whose boxes overlap by more than 2 px in both directions."""
    fig.draw_without_rendering()  # lays out every artist (legend places, text sizes) without painting pixels
    return _overlapping_laid_out_texts(fig)


def _overlapping_laid_out_texts(fig) -> list[tuple[str, str]]:
    """``overlapping_texts`` of a figure whose layout is current (no artist changed since it was laid out)."""
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    boxes = []
    for text in _visible_texts(fig):
        box = text.get_window_extent(renderer)
        if box.x1 > frame.x0 and box.x0 < frame.x1 and box.y1 > frame.y0 and box.y0 < frame.y1:
            boxes.append((text.get_text(), box))
    pairs = []
    for i, (name_a, a) in enumerate(boxes):
        for name_b, b in boxes[i + 1:]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > 2 and min(a.y1, b.y1) - max(a.y0, b.y0) > 2:
                pairs.append((name_a, name_b))
    return pairs


_CODE_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def words(text: str) -> str:
    """A code name as words ('employers_association' -> 'employers association'); other text unchanged."""
    return text.replace("_", " ") if _CODE_NAME.match(text.strip()) else text


def chart_words(fig) -> int:
    """Replace code names in a figure's tick labels, legends, titles and axis labels by words; returns how many.

    A fallback: a chapter should label its charts in words; this keeps an identifier from reaching a reader.
    Needs no layout: asking an axis for its tick labels makes them.
    """
    changed = 0
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t.get_text() for t in axis.get_ticklabels()]
            if any(_CODE_NAME.match(label.strip()) for label in labels):
                axis.set_ticks(axis.get_ticklocs(), labels=[words(label) for label in labels])
                changed += sum(1 for label in labels if _CODE_NAME.match(label.strip()))
    texts = [*(t for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "set_text")))]
    for text in texts:
        try:
            old = text.get_text()
        except TypeError:
            continue
        if isinstance(old, str) and _CODE_NAME.match(old.strip()):
            text.set_text(words(old))
            changed += 1
    return changed


@dataclass
class Chart:
    """A figure as the book shows it: SVG text, its width (pt), its smallest text (pt), overlapping labels."""

    svg: str
    width_pt: float
    smallest_pt: float
    overlaps: list[tuple[str, str]]


_CLIP_ID = re.compile(r'id="(p[0-9a-f]{10})"')


def _stable_clip_ids(svg: str) -> str:
    """The SVG with its clip-path ids named by their order in the file and the drawing itself.

    matplotlib names a clip path by a hash of its text form, which for some clips (a transformed path) holds a
    memory address, so the same chart could get other ids, and another file name, in every run.
    """
    ids = list(dict.fromkeys(_CLIP_ID.findall(svg)))
    if not ids:
        return svg
    anonymous = svg
    for old in ids:
        anonymous = anonymous.replace(old, "clip")
    stem = hashlib.sha256(anonymous.encode()).hexdigest()[:8]
    for number, old in enumerate(ids):
        svg = svg.replace(old, f"c{stem}-{number}")
    return svg


def render_chart(fig) -> Chart:
    """Render a figure for the book (deterministic SVG); text smaller than :func:`text_floor_pt` of its drawn width
    is raised to it first. The overlap check reuses the layout that settled the text sizes.

    A layout is most of a chart's cost. A figure with a layout engine (the book's charts are constrained) is
    drawn to its edges, so its text is raised before the first layout, to the floor of the figure's width plus
    padding; a further layout is needed only when the drawn width says otherwise.
    """
    import matplotlib

    chart_words(fig)
    pad = matplotlib.rcParams["savefig.pad_inches"]
    # 2% to spare for rounding of the drawn width; no guess for a figure whose drawing may be much narrower
    floor = text_floor_pt((fig.get_figwidth() + 2 * pad) * 72) * 1.02 if fig.get_layout_engine() else 0.0
    for round_ in range(5):  # larger text widens the drawing, which lowers the scale it is shown at: settle
        small = [t for t in _visible_texts(fig) if t.get_fontsize() < floor - 0.01]
        if round_ and not small:
            break
        for text in small:
            text.set_fontsize(floor)
        _lay_out(fig)
        # the saved drawing is the tight box plus matplotlib's padding (savefig.pad_inches) on each side
        drawn = fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad)  # inches
        floor = text_floor_pt(drawn.width * 72) * 1.02
    overlaps = _overlapping_laid_out_texts(fig)
    smallest = min((t.get_fontsize() for t in _visible_texts(fig)), default=floor)
    svg = _stable_clip_ids(_laid_out_svg(fig, drawn))
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)
    return Chart(svg, float(width.group(1)) if width else 576.0, float(smallest), overlaps)


def _lay_out(fig) -> None:
    """Place a figure's artists as its drawing will, without the full draw that ``draw_without_rendering`` does:
    its layout engine's work (constrained layout), then the legends and other boxes of artists, which place their
    texts only when drawn (drawn here without painting). The rest that is measured after it (tight box, tick
    labels, titles, axis labels, annotations) is computed on demand; the one full draw is the SVG's."""
    from matplotlib.legend import Legend
    from matplotlib.offsetbox import AnchoredOffsetbox

    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    renderer = fig.canvas.get_renderer()
    with renderer._draw_disabled():  # as matplotlib's own draw_without_rendering: place, paint nothing
        for box in fig.findobj(lambda artist: isinstance(artist, (Legend, AnchoredOffsetbox))):
            if box.get_visible():
                box.draw(renderer)


def _laid_out_svg(fig, bbox_inches) -> str:
    """SVG text of a laid-out figure, cut to ``bbox_inches``: drawn once, with the layout as it stands.

    ``savefig(bbox_inches="tight")`` would lay the figure out twice more (once for its layout engine, once for
    the tight box) before drawing it; the layout engine is set aside for the save and put back after.
    """
    import matplotlib

    engine = fig.get_layout_engine()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": "path", "figure.autolayout": False,
                                "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
        try:
            fig.savefig(buffer, format="svg", bbox_inches=bbox_inches, metadata={"Date": None, "Creator": None})
        finally:
            fig.set_layout_engine(engine)
    return buffer.getvalue()


def chart_svg(fig) -> tuple[str, float, float]:
    """SVG text of a figure as :func:`render_chart` makes it, its width in pt and its smallest text in pt."""
    chart = render_chart(fig)
    return chart.svg, chart.width_pt, chart.smallest_pt


def figure(fig, name: str, caption: str, alt: str, source: str, data: pd.DataFrame | None = None,
           synthetic: bool = False) -> None:
    """Show a matplotlib figure as an HTML figure with caption, source, alt text and a CSV download link.

    The chart is written as an SVG file (myst-nb writes the image/svg+xml output to ``_images/``; the figure
    shows that file, the bare output is hidden by the book's stylesheet), with a link to open it full size.
    ``synthetic=True`` requires the words 'Synthetic data' in the figure title and adds them to the caption.
    """
    import matplotlib.pyplot as plt

    title = " ".join([fig.get_suptitle(), *(ax.get_title() for ax in fig.axes)])
    if synthetic and "Synthetic data" not in title:
        raise ValueError(f"figure {name}: synthetic data must say 'Synthetic data' in its title")
    chart = render_chart(fig)
    svg, width_pt, smallest_pt, overlaps = chart.svg, chart.width_pt, chart.smallest_pt, len(chart.overlaps)
    plt.close(fig)
    src = f"../_images/{chart_file_name(svg)}"
    display({"image/svg+xml": svg}, raw=True)
    label = "Synthetic data. " if synthetic else ""
    natural_px = round(width_pt * 4 / 3)
    display(HTML(
        f'<figure class="book-figure" id="{html.escape(name)}">'
        f'<img class="book-chart" src="{src}" alt="{html.escape(alt)}" loading="lazy" '
        f'style="width:100%;max-width:{natural_px}px" data-width-pt="{width_pt:g}" data-min-text-pt="{smallest_pt:g}" '
        f'data-overlapping-labels="{overlaps}"/>'
        f"<figcaption><strong>{label}</strong>{_cell_html(caption, None)} <em>Source: {html.escape(source)}</em><br/>"
        f'<a class="figure-full" href="{src}" target="_blank" rel="noopener">Open the chart full size</a> '
        f"{_csv_link(data, 'fig_' + name)}</figcaption></figure>"
    ))


# ----------------------------------------------------------------------------------------------------- tables

#: Verdicts of the audit, most important first: a table with a 'verdict' column lists its rows in this order.
VERDICT_ORDER = ("discrepancy", "tables differ", "uncertain", "not recomputable", "consistent within rounding",
                 "consistent")
#: A table with at least this many rows gets sortable headers.
SORTABLE_ROWS = 8
_ID_COLUMN = re.compile(r"(^|[_ ])ids?$", re.IGNORECASE)
_P_COLUMN = re.compile(r"^p$|^p[ _(]|[ _(]p\)?$|\(p\)|p[- _]?value", re.IGNORECASE)
_YEAR_COLUMN = re.compile(r"\byear\b|^year|jaar", re.IGNORECASE)
_NUMBER_TEXT = re.compile(r"^(<\s?)?[+\-\u2212]?\d[\d\u202f\u2009]*(\.\d+)?(%|\u00a0\S+)?$")
_LANG_HEADER = {"nl": re.compile(r"(^|[_ ])nl$|^the report('s word| says)?$", re.IGNORECASE),
                "de": re.compile(r"(^|[_ ])de$", re.IGNORECASE)}
_QUOTED = re.compile(r"\u201c[^\u201d]+\u201d")
#: The language of quotations in curly quotes inside table cells (the report's).
QUOTE_LANG = "nl"


def _header(name: Any) -> str:
    """A column name as a reader sees it: identifiers like 'industry_share' become words."""
    text = str(name)
    return text.replace("_", " ") if "_" in text and " " not in text else text


def _decimals(float_format: str) -> int:
    match = re.search(r"\.(\d+)[fe%]", float_format)
    return int(match.group(1)) if match else 1


def _cell_text(value: Any, decimals: int) -> str:
    """One cell of an object column: numbers in the book's format, integral values as integers."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
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
        return [MISSING if _is_missing(v) else str(int(v)) for v in values]
    if integral:
        return [MISSING if _is_missing(v) else fmt(int(v)) for v in values]
    nonzero = present[present != 0].abs()
    if len(nonzero) and nonzero.max() / nonzero.min() > 1000:
        return [_cell_text(v, decimals) for v in values]
    return [fmt(v, decimals) for v in values]


def _is_numeric_text(cells: list[str]) -> bool:
    shown = [c for c in cells if c != MISSING]
    return bool(shown) and all(_NUMBER_TEXT.match(c.strip()) for c in shown)


def _language(original: Any, header: str, values: pd.Series, lang: dict | None) -> str | None:
    if lang and original in lang:
        return lang[original]
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    for code, pattern in _LANG_HEADER.items():
        if pattern.search(str(original)) or pattern.search(header):
            return code
    return None


_BACKTICKS = re.compile(r"`([^`]+)`")


def _cell_html(text: str, lang: str | None) -> str:
    """Cell, caption or note text as HTML: escaped, `names in backticks` as code, quotations marked with their language."""
    escaped = html.escape(text)
    if lang:
        return f'<span lang="{lang}">{escaped}</span>'
    escaped = _BACKTICKS.sub(lambda m: f"<code>{m.group(1)}</code>", escaped)
    return _QUOTED.sub(lambda m: f'<span lang="{QUOTE_LANG}">{m.group(0)}</span>', escaped)


def _sort_value(value: Any) -> str:
    if _is_missing(value) or isinstance(value, (bool, np.bool_)):
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
        if len(known) and known.isin(regions.ALL_AREAS).all() and not any(
                c in shown.columns for c in ("region", "area", "Region", "Area")):
            shown[col] = shown[col].map(lambda r: r if _is_missing(r) else regions.name(str(r)))
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


def table_html(frame: pd.DataFrame, name: str, caption: str, source: str, synthetic: bool = False,
               index: bool = False, float_format: str = "{:,.1f}", *, show_ids: bool = False,
               lang: dict[str, str] | None = None, sortable: bool | None = None, code: Sequence[str] = ()) -> str:
    """The HTML of a book table (see :func:`table`)."""
    decimals = _decimals(float_format)
    shown, row_ids = reader_frame(frame, index=index, show_ids=show_ids)
    headers = [_header(c) for c in shown.columns]
    columns = [format_column(shown[c], h, decimals) for c, h in zip(shown.columns, headers)]
    numeric = [_is_numeric_text(cells) for cells in columns]
    langs = [_language(c, h, shown[c], lang) for c, h in zip(shown.columns, headers)]
    has_verdict = "verdict" in shown.columns
    sortable = len(shown) >= SORTABLE_ROWS if sortable is None else sortable
    table_id = f"{name}-table"

    head = []
    for header, is_num in zip(headers, numeric):
        cls = ' class="num"' if is_num else ""
        label = html.escape(header)
        if sortable:
            label = (f'<button type="button" class="sort-button">{label}'
                     '<span class="sort-mark" aria-hidden="true"></span></button>')
        sort_state = ' aria-sort="none"' if sortable else ""
        head.append(f'<th scope="col"{cls}{sort_state}>{label}</th>')
    body = []
    for i in range(len(shown)):
        attrs = ""
        if row_ids[i] is not None and not _is_missing(row_ids[i]):
            attrs += f' data-id="{html.escape(str(row_ids[i]))}"'
        if has_verdict:
            attrs += f' data-verdict="{html.escape(str(shown["verdict"].iloc[i]))}"'
        cells = []
        for j, col in enumerate(shown.columns):
            text = columns[j][i]
            cls = "num" if numeric[j] else ""
            if col == "verdict" and has_verdict:
                slug = re.sub(r"[^a-z]+", "-", text.lower()).strip("-")
                content = f'<span class="verdict verdict-{slug}">{html.escape(text)}</span>'
            elif col in code:
                content = f"<code>{html.escape(text)}</code>"
            else:
                content = _cell_html(text, langs[j])
            sort = _sort_value(shown[col].iloc[i]) if sortable else ""
            sort_attr = f' data-sort="{sort}"' if sort else ""
            cls_attr = f' class="{cls}"' if cls else ""
            cells.append(f'<td{cls_attr} data-label="{html.escape(headers[j])}"{sort_attr}>{content}</td>')
        body.append(f"<tr{attrs}>{''.join(cells)}</tr>")

    label = "<strong>Synthetic data.</strong> " if synthetic else ""
    classes = "book-table" + (" has-verdict" if has_verdict else "") + (" sortable" if sortable else "")
    controls = ""
    if has_verdict:
        counts = shown["verdict"].value_counts()
        options = [f'<option value="">all ({len(shown)})</option>'] + [
            f'<option value="{html.escape(v)}">{html.escape(v)} ({int(counts[v])})</option>'
            for v in [*VERDICT_ORDER, *sorted(set(counts.index) - set(VERDICT_ORDER))] if v in counts.index]
        controls = (f'<div class="table-controls" hidden><label>Show verdict '
                    f'<select class="verdict-filter" aria-controls="{table_id}">{"".join(options)}</select></label> '
                    f'<output class="filter-count" aria-live="polite" for="{table_id}">'
                    f"Showing {len(shown)} of {len(shown)} rows</output></div>")
    return (f'<div class="book-table-wrap" id="{html.escape(name)}">{controls}'
            f'<table class="{classes}" id="{html.escape(table_id)}">'
            f"<caption>{label}{_cell_html(caption, None)} <em>Source: {html.escape(source)}</em></caption>"
            f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"{_csv_link(frame if index else frame.reset_index(drop=True), 'table_' + name)}</div>")


def table(frame: pd.DataFrame, name: str, caption: str, source: str, synthetic: bool = False,
          index: bool = False, float_format: str = "{:,.1f}", *, show_ids: bool = False,
          lang: dict[str, str] | None = None, sortable: bool | None = None, code: Sequence[str] = ()) -> None:
    """Show a DataFrame as an HTML table with caption, source and a CSV download link (units go in headers).

    Each column is formatted by what it holds (:func:`format_column`; ``float_format`` gives the decimals of
    non-integral numbers), numeric columns are right-aligned, and every cell carries its column's label for the
    phone layout. Id columns are not shown (``region_id`` becomes the area's name) unless ``show_ids``; a
    'verdict' column becomes a badge beside the statement, discrepancies first, with a filter. ``lang`` maps
    columns to the language of their text (columns named ``*_nl``/``*_de`` are found by name). The CSV carries
    the raw numbers of ``frame``. Columns named in ``code`` (file, column or parameter names) are shown as code;
    in cells, captions and notes, text in `backticks` is too.
    """
    display(HTML(table_html(frame, name, caption, source, synthetic, index, float_format, show_ids=show_ids,
                            lang=lang, sortable=sortable, code=code)))


def note(text: str) -> None:
    """A short computed note rendered as a paragraph (for text that depends on the data)."""
    display(HTML(f'<p class="computed-note">{_cell_html(text, None)}</p>'))


def dumps(value: Any) -> str:
    """JSON text of a value as results.json would store it."""
    return json.dumps(_jsonable(value), ensure_ascii=False)
