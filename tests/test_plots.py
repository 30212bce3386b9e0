"""The book's chart functions: drawn for the width they are shown at, text readable there, no overlapping text.

Each chart is drawn from small made-up data shaped like the chapters' (the words and sizes matter here, not the
values), then saved as the book saves it (figures.chart_svg), which enlarges any text below the readable floor.
"""

from __future__ import annotations

import adjustText
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from helpers import data, derived, figures, indices, paths, plots, region_file, regions, user_region
from tests import hostile

DUTCH = list(regions.DUTCH_REGIONS)
SIX = list(regions.STUDY_REGIONS)


@pytest.fixture(autouse=True)
def theme():
    """The chapters' theme (plots.use_theme applies it): its font sizes are what the charts are drawn with."""
    plots.use_theme()
    yield
    plt.close("all")


def _check_readable(fig):
    """Saved width about the drawn width, no text enlarged by figures.chart_svg, no overlapping text."""
    drawn_pt = fig.get_figwidth() * 72
    svg, width_pt, smallest_pt = figures.chart_svg(fig)
    floor = figures.text_floor_pt(width_pt)
    assert width_pt <= drawn_pt + 2 * 72 * 0.1 + 1, f"drawn {drawn_pt} pt wide but saved {width_pt} pt"  # + padding
    assert smallest_pt >= floor, (smallest_pt, floor)
    assert smallest_pt * min(width_pt * 4 / 3, figures.CHART_COLUMN_PX) / width_pt >= figures.CAPTION_PX - 0.05
    overlaps = figures.overlapping_texts(fig)
    plt.close(fig)
    assert overlaps == []
    return svg


# --- labels -----------------------------------------------------------------------------------------------------------


def test_wrap_and_stacked_labels():
    assert plots.wrap("one two three", 7) == "one two\nthree"
    assert plots.stacked_label("zo-drenthe") == "Zuidoost-\nDrenthe"
    assert plots.stacked_label("twente") == "Twente"


# --- bars -------------------------------------------------------------------------------------------------------------


def test_stacked_shares_with_a_legend_of_nineteen_sections():
    sections = [chr(ord("A") + i) for i in range(19)]
    rng = np.random.default_rng(1)
    raw = rng.random((8, 19))
    shares = pd.DataFrame(raw / raw.sum(axis=1, keepdims=True) * 100, index=[*SIX, "nl", "de"], columns=sections)
    labels = {
        s: "Wholesale and retail trade; repair of motor vehicles and motorcycles"
        if s == "G"
        else f"Section {s} activities"
        for s in sections
    }
    _check_readable(
        plots.stacked_shares(
            shares, labels, "twente", "Sector composition: trade, health care and manufacturing lead almost everywhere"
        )
    )


def test_sector_composition_of_nineteen_sections_in_eight_areas():
    """Appendix A's Figure 1.1: one bar per area and section, the focus region outlined, the legend below."""
    sections = [chr(ord("A") + i) for i in range(19)]
    raw = np.random.default_rng(2).random((8, 19))
    shares = pd.DataFrame(raw / raw.sum(axis=1, keepdims=True) * 100, index=[*SIX, "nl", "de"], columns=sections)
    fig = plots.sector_composition(
        shares, "twente", "Figure 1.1: sector composition, percentage of employees per sector and area (2013)"
    )
    bars = fig.axes[0].patches
    assert len(bars) == 8 * 19
    outlined = [b for b in bars if b.get_edgecolor()[3] > 0]
    assert len(outlined) == 19 and all(b.get_facecolor()[:3] == to_rgb(plots.colour("twente")) for b in outlined)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [regions.name(a) for a in [*SIX, "nl", "de"]]
    _check_readable(fig)


def test_grouped_bars_label_each_bar_with_its_value():
    long = pd.DataFrame(
        {
            "country": ["Germany"] * 3 + ["Netherlands"] * 3,
            "level": ["low", "middle", "high"] * 2,
            "share_percent": [20.0, 57.0, 24.0, 31.0, 40.0, 29.0],
        }
    )
    fig = plots.grouped_bars(
        long,
        "level",
        "share_percent",
        "country",
        {"Germany": plots.colour("de"), "Netherlands": plots.colour("nl")},
        "Germany: more middle-educated, fewer low- and high-educated",
        "level of education",
        "share of the population (percent)",
    )
    ax = fig.axes[0]
    labels = sorted(t.get_text() for t in ax.texts)
    assert labels == sorted(["20%", "57%", "24%", "31%", "40%", "29%"])
    assert [p.get_facecolor()[:3] for p in ax.patches[:1]] == [to_rgb(plots.colour("de"))]
    _check_readable(fig)


def test_paired_bars_with_long_row_labels():
    frame = pd.DataFrame(
        {
            "region_id": [r for r in DUTCH for _ in (0, 1)],
            "measure": ["outside the region", "abroad"] * 4,
            "counted": [5, 2, 6, 3, 4, 1, 7, 2],
            "printed": [5, 3, 6, 3, 4, 2, 7, 2],
        }
    )
    _check_readable(
        plots.paired_bars(
            frame,
            "zo-brabant",
            "Head offices outside the region and abroad: counted and printed",
            "firms",
            "counted",
            "printed",
            "counted from the firm rows",
            "printed under the table",
        )
    )


def test_market_bars_label_each_bar_with_its_number():
    counts = pd.DataFrame(
        {
            "figure": ["vacant training places", "applicants without a place", "new training contracts"],
            "count": [41_000, 20_700, 522_100],
        }
    )
    _check_readable(
        plots.market_bars(
            counts,
            104.2,
            "Germany: more training places than applicants",
            "The apprenticeship market",
            "Places per 100 applicants",
            ["#B0B0B0", "#999999", "#555555"],
        )
    )


def test_distance_bars_put_the_nearest_on_top():
    distances = pd.Series([0.2, 0.5, 0.9], index=["twente", "bremen", "emsland"])
    fig = plots.distance_bars(distances, "My region is nearest to Twente", "Krugman distance to My region")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Twente", "Bremen", "Landkreis Emsland"]
    assert ax.yaxis_inverted()
    assert [p.get_width() for p in ax.patches] == [0.2, 0.5, 0.9]
    _check_readable(fig)


def test_outcome_bars_stack_to_a_hundred_per_programme():
    programmes = [f"mbo-{level} programme {i}" for i, level in enumerate([2, 2, 3, 3, 4, 4, 4, 5, 6, 6])]
    rng = np.random.default_rng(3)
    raw = rng.random((10, 4))
    shares = pd.DataFrame(
        raw / raw.sum(axis=1, keepdims=True) * 100, index=programmes, columns=["higher", "same", "lower", "unemployed"]
    )
    fig = plots.outcome_bars(shares, "Synthetic data: Career outcomes by programme, multinomial logit")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == programmes
    right_ends = {}
    for patch in ax.patches:
        y = round(patch.get_y() + patch.get_height() / 2, 6)
        right_ends[y] = max(right_ends.get(y, 0), patch.get_x() + patch.get_width())
    assert len(right_ends) == 10 and all(v == pytest.approx(100) for v in right_ends.values())
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["higher", "same", "lower", "unemployed"]


def test_scorecard_panels():
    score = pd.Series(np.linspace(0.8, -0.6, 6), index=SIX)
    same = pd.Series(np.linspace(0.9, 0.3, 6), index=SIX)
    _check_readable(
        plots.scorecard(
            score,
            same,
            "twente",
            "Illustration: the ranking depends on the weights",
            "Illustrative scorecard (this book, not the report)",
            "Rank stability under random weightings",
        )
    )


# --- heatmaps ---------------------------------------------------------------------------------------------------------


def test_profile_heatmap_of_twelve_indicators():
    rows = [f"indicator number {i} with a longer label than most" for i in range(12)]
    values = pd.DataFrame(np.arange(48, dtype=float).reshape(12, 4), index=rows, columns=DUTCH)
    z = values.sub(values.mean(axis=1), axis=0)
    _check_readable(
        plots.profile_heatmap(
            z,
            values.round(1).astype(str).to_numpy(),
            rows,
            DUTCH,
            "twente",
            "The four regions' profiles: colour = z-score, label = the report's value",
        )
    )


def test_lq_heatmap_of_nineteen_sections_in_six_regions():
    lq = indices.location_quotient(derived.employment()).loc[SIX]
    fig = plots.lq_heatmap(lq, "twente", "Location quotients: where a sector is over-represented (above one)")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(lq.columns)
    assert [t.get_text() for t in ax.get_yticklabels()] == [regions.name(r) for r in SIX]
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Twente"]
    # one label per cell with one decimal: Tabel 1.1, Zuidoost-Drenthe B (0.8 of 60.0) against NL (10.7 of 7 701.1)
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == lq.size and cells[1] == f"{(0.8 / 60.0) / (10.7 / 7701.1):.1f}"
    _check_readable(fig)


def test_similarity_heatmap_above_its_dendrogram():
    rng = np.random.default_rng(2)
    pts = rng.random((6, 3))
    dist = pd.DataFrame(np.abs(pts[:, None, :] - pts[None, :, :]).sum(axis=2), index=SIX, columns=SIX)
    link = hierarchy.linkage(squareform(dist.to_numpy(), checks=False), method="average")
    title = "Nearest sector profile: Emsland: Zuidoost-Drenthe (0.21); Bremen: Groot-Rijnmond (0.18)"
    _check_readable(plots.similarity(dist, link, "bremen", title))


# --- lines, curves and intervals --------------------------------------------------------------------------------------


def test_index_lines_draw_one_line_per_area_the_focus_thickest_the_countries_dashed():
    # Bijlage 1, Tabel 1.2 indexed to 2010 = 100 (Twente 560 -> 660, the Netherlands 19 310 -> 23 210)
    counts = pd.DataFrame(
        {2010: [560, 19310, 26934], 2011: [620, 21320, 27717], 2012: [635, 22395, 25011], 2013: [660, 23210, 26869]},
        index=["twente", "nl", "de"],
        dtype=float,
    )
    index = counts.div(counts[2010], axis=0) * 100
    fig = plots.index_lines(index, "twente", "Foreign-controlled establishments grew in every Dutch region, 2010-2013")
    lines = {line.get_label(): line for line in fig.axes[0].get_lines() if not line.get_label().startswith("_")}
    assert set(lines) == {"Twente", "Netherlands", "Germany"}
    assert lines["Twente"].get_linewidth() > max(lines[a].get_linewidth() for a in ("Netherlands", "Germany"))
    assert [lines[a].get_linestyle() for a in ("Twente", "Netherlands", "Germany")] == ["-", "--", "--"]
    assert list(lines["Twente"].get_ydata()) == pytest.approx([100, 620 / 5.6, 635 / 5.6, 660 / 5.6])
    _check_readable(fig)


def test_p_value_curves_mark_alpha_the_assumed_size_and_the_band():
    sizes = [50, 500, 5000, 50000]
    curves = pd.DataFrame(
        {
            "block": [b for b in ("job or no job", "occupation compared to 1984") for _ in sizes],
            "sample_size": sizes * 2,
            "p_value": [0.8, 0.2, 0.001, 0.0, 0.9, 0.5, 0.04, 0.0],
        }
    )
    fig = plots.p_value_curves(
        curves, 0.05, 1000, (460, 540), "Whether the regions 'differ' depends entirely on the assumed sample size"
    )
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    horizontal = [line for line in ax.lines if list(line.get_ydata()) == [0.05, 0.05]]
    vertical = [line for line in ax.lines if list(line.get_xdata()) == [1000, 1000]]
    assert len(horizontal) == 1 and len(vertical) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["job or no job", "occupation compared to 1984"]
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "1\u202f000" in ticks and not [t for t in ticks if "$" in t]  # plain numbers, not mathtext as written
    _check_readable(fig)


def test_survival_curve_starts_at_one_in_the_synthetic_colour():
    survival = pd.DataFrame(
        {
            "time": [2.0, 10.0, 30.0],
            "survival": [0.9, 0.6, 0.44],
            "ci_low": [0.88, 0.57, 0.41],
            "ci_high": [0.92, 0.63, 0.47],
        }
    )
    fig = plots.survival_curve(
        survival, "Synthetic data: Kaplan-Meier curve of the time spent in an occupation", synthetic=True
    )
    step = fig.axes[0].lines[0]
    assert list(step.get_xdata()) == [0, 2.0, 10.0, 30.0] and list(step.get_ydata()) == [1, 0.9, 0.6, 0.44]
    assert step.get_color() == plots.SYNTHETIC_COLOUR
    assert plots.survival_curve(survival, "Kaplan-Meier curve").axes[0].lines[0].get_color() == "black"
    _check_readable(fig)


def test_interval_dots_one_per_region_top_to_bottom():
    wilson = pd.DataFrame(
        {
            "region_id": DUTCH,
            "share_percent": [46.0, 47.0, 54.0, 49.0],
            "ci_low": [42.9, 43.9, 50.9, 45.9],
            "ci_high": [49.1, 50.1, 57.1, 52.1],
        }
    )
    fig = plots.interval_dots(
        wilson,
        "twente",
        "Share without a job, with Wilson intervals for 1 000 persons per region",
        "no job in 2014 (percent of the cohort)",
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [regions.name(r) for r in DUTCH]
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # the first region on top
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Twente"]
    # each interval spans its low to high end: the error bar of Groot-Rijnmond runs from 50.9 to 57.1
    segments = [c for c in ax.collections if len(c.get_segments()) == 1]
    ends = sorted(tuple(np.round(seg[0][:, 0], 1)) for c in segments for seg in [c.get_segments()])
    assert (50.9, 57.1) in ends and len(ends) == 4
    _check_readable(fig)


# --- points, timelines and maps ---------------------------------------------------------------------------------------


def test_labelled_scatter_places_close_labels_apart():
    # two points almost on top of each other, as in the cooperation chart (levels 3 and 4 at the same place)
    points = pd.DataFrame({"x": [1, 3, 3, 3.05], "y": [2, 3, 3.05, 3]}, index=DUTCH)
    labels = {r: f"{regions.name(r)}\n(level 3, order 2)" for r in DUTCH}
    _check_readable(
        plots.labelled_scatter(
            points,
            "twente",
            "From one-to-one deals to a shared agenda (interpreted)",
            "x axis",
            "y axis",
            point_labels=labels,
            xlim=(0.5, 4.8),
            ylim=(0.5, 4.5),
        )
    )


def test_timeline_with_a_legend_of_kinds():
    kinds = ["network", "public-private partnership", "school", "regional development agency", "campus", "fund"]
    dated = pd.DataFrame(
        {
            "region_id": [SIX[i % 6] for i in range(24)],
            "kind": [kinds[i % 6] for i in range(24)],
            "founded": [1990 + i for i in range(24)],
        }
    )
    _check_readable(plots.timeline(dated, "emsland", "Most initiatives date from after 2010"))


def test_locator_map_of_the_six_regions():
    fig = plots.locator_map(
        data.load("country_outlines"),
        data.load("region_locations"),
        "twente",
        "The six regions: four in the Netherlands, two in north-western Germany",
        country_names={"NLD": "Netherlands", "DEU": "Germany"},
    )
    ax = fig.axes[0]
    assert len(ax.patches) >= 2  # the Netherlands and Germany at least
    assert len(ax.collections) == len(regions.STUDY_REGIONS)  # one marker per region
    _check_readable(fig)


@pytest.mark.parametrize("chart", ["scatter", "map"])
def test_labels_are_placed_the_same_on_a_fast_and_a_slow_machine(chart, monkeypatch):
    """adjustText stops after one second of the clock unless given a number of steps: on a slow machine (here a
    clock that runs fast) the labels landed elsewhere and the chart's SVG changed from build to build."""

    def draw() -> str:
        if chart == "map":
            fig = plots.locator_map(data.load("country_outlines"), data.load("region_locations"), "twente", "Map")
        else:
            points = pd.DataFrame({"x": [1, 3, 3, 3.05], "y": [2, 3, 3.05, 3]}, index=DUTCH)
            fig = plots.labelled_scatter(points, "twente", "Close labels", "x", "y", xlim=(0.5, 4.8), ylim=(0.5, 4.5))
        return figures.render_chart(fig).svg

    fast = draw()
    clock = iter(range(0, 10**6, 2))  # every reading of the clock two seconds later
    monkeypatch.setattr(adjustText, "timer", lambda: float(next(clock)))
    assert draw() == fast


# --- a region from a region file --------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", ["rest-of-nl.csv", "rest-of-de-groups.csv"])
def test_region_file_charts_read_like_the_books_others(example):
    """A region file's two charts (chapter 3's shares, chapter 5's distances) at the book's width and text size,
    and alt texts that name the region's nearest report region rather than the kind of chart."""
    comparison = user_region.compare(paths.ROOT / "examples" / example)
    svg = _check_readable(user_region.shares_figure(comparison, "Sector composition beside the report's areas"))
    assert "(reference)" in svg or comparison.region.reference is None
    _check_readable(user_region.distance_figure(comparison, "Nearest report regions"))
    nearest = regions.name(comparison.distances.index[0])
    farthest = regions.name(comparison.distances.index[-1])
    assert nearest == regions.name(comparison.nearest)
    assert nearest in user_region.shares_alt(comparison)
    assert nearest in user_region.distance_alt(comparison) and farthest in user_region.distance_alt(comparison)


@pytest.mark.parametrize("name", [r"Dollar $\frac{1}{$ & Co", r"Price $x^2$ zone", r"Tabs $\nosuchcmd{x}$"])
def test_a_region_name_is_text_in_charts_never_mathtext(name, tmp_path):
    """A $ in a region's name is a dollar sign: an invalid mathtext name stopped chapters 3 and 5 with a Matplotlib
    parse error, a valid one was typeset (issue 28). Both of chapter 3's and 5's charts of a region file render,
    and every text of them is shown as written."""
    comparison = user_region.compare(region_file.load(hostile.write(tmp_path, name, "dollar-region")))
    for figure in (
        user_region.shares_figure(comparison, "Sector composition beside the report's areas"),
        user_region.distance_figure(comparison, "Nearest report regions"),
    ):
        texts = figure.findobj(matplotlib.text.Text)
        assert any(name in " ".join(t.get_text().split()) for t in texts)  # the name in a label, as written
        assert not [t.get_text() for t in texts if t.get_parse_math()]
        svg, _, _ = figures.chart_svg(figure)  # drawn: an invalid $...$ raised ParseFatalException here
        plt.close(figure)
        assert name.replace("&", "&amp;") in svg  # matplotlib's comment of the text drawn as paths
