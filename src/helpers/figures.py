"""Charts on the page: a matplotlib figure rendered as deterministic SVG at caption-sized text, shown as an HTML
figure with caption, source, alt text and a CSV download of the data behind it."""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML, display
from matplotlib.ticker import Formatter

from . import i18n, switches
from .i18n import _
from .markup import csv_link, text_html
from .numbers import localised

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
        for name_b, b in boxes[i + 1 :]:
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


class _LocalisedFormatter(Formatter):
    """A tick formatter that writes another formatter's labels in the current language's number symbols."""

    def __init__(self, inner: Formatter):
        self.inner = inner

    def set_axis(self, axis):
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs):
        super().set_locs(locs)
        self.inner.set_locs(locs)

    def __call__(self, x, pos=None):
        return localised(self.inner(x, pos))

    def format_ticks(self, values):
        return [localised(text) for text in self.inner.format_ticks(values)]

    def format_data_short(self, value):
        return localised(self.inner.format_data_short(value))

    def get_offset(self):
        return localised(self.inner.get_offset())


def chart_numbers(fig) -> int:
    """Write the tick labels of a figure's numeric axes in the current language's number symbols ('0,25' in
    Dutch); nothing changes in English. Only the formatters that write numbers are changed (matplotlib's scalar,
    log, percent and format-string ones): labels the book sets itself (words, numbers from ``helpers.numbers``) are
    in the language already. Returns how many formatters changed."""
    if i18n.current() == i18n.DEFAULT:
        return 0
    from matplotlib import ticker

    numeric = (
        ticker.ScalarFormatter,
        ticker.LogFormatter,
        ticker.PercentFormatter,
        ticker.StrMethodFormatter,
        ticker.FormatStrFormatter,
    )
    changed = 0
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for which in ("major", "minor"):
                formatter = getattr(axis, f"get_{which}_formatter")()
                if isinstance(formatter, numeric):
                    getattr(axis, f"set_{which}_formatter")(_LocalisedFormatter(formatter))
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
    chart_numbers(fig)
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
    labels, titles, axis labels, annotations) is computed on demand; the one full draw is the SVG's.

    A bet on matplotlib's private ``_draw_disabled`` (the trick ``chart_layout_without_draw`` of
    ``regbook.tricks``); switched off, the figure is laid out by ``draw_without_rendering``, a full draw."""
    from matplotlib.legend import Legend
    from matplotlib.offsetbox import AnchoredOffsetbox

    if not switches.on("chart_layout_without_draw"):
        fig.draw_without_rendering()
        return
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
    with matplotlib.rc_context(
        {
            "svg.hashsalt": SVG_HASHSALT,
            "svg.fonttype": "path",
            "figure.autolayout": False,
            "figure.constrained_layout.use": False,
        }
    ):
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


def figure(
    fig, name: str, caption: str, alt: str, source: str, data: pd.DataFrame | None = None, synthetic: bool = False
) -> None:
    """Show a matplotlib figure as an HTML figure with caption, source, alt text and a CSV download link.

    The chart is written as an SVG file (myst-nb writes the image/svg+xml output to ``_images/``; the figure
    shows that file, the bare output is hidden by the book's stylesheet), with a link to open it full size.
    ``synthetic=True`` requires the words 'Synthetic data' in the figure title and adds them to the caption.
    """
    import matplotlib.pyplot as plt

    title = " ".join([fig.get_suptitle(), *(ax.get_title() for ax in fig.axes)])
    marker = _("Synthetic data")
    if synthetic and marker not in title:
        raise ValueError(f"figure {name}: synthetic data must say {marker!r} in its title")
    chart = render_chart(fig)
    svg, width_pt, smallest_pt, overlaps = chart.svg, chart.width_pt, chart.smallest_pt, len(chart.overlaps)
    plt.close(fig)
    src = f"../_images/{chart_file_name(svg)}"
    display({"image/svg+xml": svg}, raw=True)
    label = _("Synthetic data.") + " " if synthetic else ""
    full_size = html.escape(_("Open the chart full size"))
    source_text = _("Source: {source}").format(source=html.escape(source))
    natural_px = round(width_pt * 4 / 3)
    display(
        HTML(
            f'<figure class="book-figure" id="{html.escape(name)}">'
            f'<img class="book-chart" src="{src}" alt="{html.escape(alt)}" loading="lazy" '
            f'style="width:100%;max-width:{natural_px}px" data-width-pt="{width_pt:g}" '
            f'data-min-text-pt="{smallest_pt:g}" '
            f'data-overlapping-labels="{overlaps}"/>'
            f"<figcaption><strong>{label}</strong>{text_html(caption, None)} <em>{source_text}</em><br/>"
            f'<a class="figure-full" href="{src}" target="_blank" rel="noopener">{full_size}</a> '
            f"{csv_link(data, 'fig_' + name)}</figcaption></figure>"
        )
    )
