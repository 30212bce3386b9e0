"""The book's one plotting theme (a fixed colour per region, the focus region emphasised, references grey) and
its charts: one function per kind of chart, drawn for the width the book shows it at, text at caption size.

The words on a chart (titles, labels) are the caller's; alt texts are sentences, in ``helpers.narrative``.
"""

from __future__ import annotations

import math
import re
import textwrap

import matplotlib
import numpy as np

matplotlib.use("Agg")
#: Chart text is text: a ``$`` in a region's name (a user's region file) is a dollar sign, never Matplotlib mathtext
#: (which would typeset ``$x$`` and fail on ``$\nosuchcmd$``). The book's own charts use no mathtext; one that
#: wants it passes ``parse_math=True`` to that one text.
TEXT_RC = {"text.parse_math": False}
matplotlib.rcParams.update(TEXT_RC)

# pyplot and what draws with it, once the backend and the text setting are chosen
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from adjustText import adjust_text  # noqa: E402
from matplotlib.patches import Polygon  # noqa: E402
from matplotlib.ticker import FuncFormatter, NullFormatter  # noqa: E402
from scipy.cluster import hierarchy  # noqa: E402

from . import regions  # noqa: E402
from .i18n import N_, _  # noqa: E402
from .numbers import fmt  # noqa: E402

# --- the theme: colours, labels, emphasis -----------------------------------------------------------------------------


#: One colour per area, the same in every chart of the book (colour-blind-safe palette).
REGION_COLOURS = {
    "zo-drenthe": "#0072B2",
    "twente": "#E69F00",
    "groot-rijnmond": "#009E73",
    "zo-brabant": "#CC79A7",
    "emsland": "#56B4E9",
    "bremen": "#D55E00",
    "nl": "#7F7F7F",
    "de": "#B0B0B0",
}
SYNTHETIC_COLOUR = "#8C6D31"
#: The colour of a region from a user's region file (helpers.region_file): dark, distinct from every report area.
USER_REGION_COLOUR = "#332288"


#: Colours of the career outcomes (chapter 2's synthetic cohort): rising green, same grey, falling orange, none purple.
OUTCOME_COLOURS = {"higher": "#1b9e77", "same": "#bdbdbd", "lower": "#d95f02", "unemployed": "#7570b3"}
#: The career outcomes as the legend names them (the data's own English words, translated).
OUTCOME_WORDS = {"higher": N_("higher"), "same": N_("same"), "lower": N_("lower"), "unemployed": N_("unemployed")}


#: Steps adjustText takes to move labels apart. Without a limit it stops after one second of the clock, so the
#: same chart came out differently on a fast and a slow machine (and in two builds on one machine); the book's
#: charts settle within a few dozen steps.
LABEL_ITERATIONS = 100


def use_theme() -> None:
    """Apply the book's seaborn theme."""
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        font_scale=0.95,
        rc={
            "figure.figsize": (8, 4.5),
            "figure.dpi": 100,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            **TEXT_RC,
        },
    )


def colour(region_id: str) -> str:
    """The fixed colour of a region or reference area."""
    rid = regions.resolve(region_id)
    return USER_REGION_COLOUR if rid in regions.USER_REGIONS else REGION_COLOURS[rid]


def palette(region_ids) -> dict[str, str]:
    """Colours for a list of region ids, keyed by id."""
    return {r: colour(r) for r in region_ids}


def label(region_id: str) -> str:
    """Display label of an area for charts."""
    return regions.name(region_id)


def stacked_label(region_id: str) -> str:
    """An area's name in two lines, broken after its first hyphen or space ('Zuidoost-\nDrenthe', 'Landkreis\nEmsland'),
    for labels side by side on an axis."""
    return re.sub(r"(?<=-)|(?<=\S) (?=\S)", "\n", label(region_id), count=1)


def emphasise(ax, focus_region: str, labels_are_ids: bool = False) -> None:
    """Bold the focus region's tick label (on either axis) so it stands out."""
    targets = {focus_region} if labels_are_ids else {label(focus_region), stacked_label(focus_region)}
    for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        if tick.get_text() in targets:
            tick.set_fontweight("bold")
            tick.set_color(colour(focus_region))


def bar_alpha(region_id: str, focus_region: str) -> float:
    """Full opacity for the focus region, lighter for the others."""
    return 1.0 if region_id == focus_region else 0.55


# --- the book's width and text size -----------------------------------------------------------------------------------
# Every chart is drawn for the width the book shows it at (FIGURE_WIDTH inches: the content column on a laptop),
# with text at least TEXT_PT points, so that figures.figure need not enlarge any text (which would crowd the chart).

#: Width (inches) a chart is drawn at: the book's content column on a laptop shows about 8 inches.
FIGURE_WIDTH = 8.0
#: Smallest text size (pt) of a chart drawn at FIGURE_WIDTH: above figures.text_floor_pt(576 pt), about 10.1 pt.
TEXT_PT = 10.5


def wrap(text: str, width: int) -> str:
    """Text broken into lines of at most ``width`` characters (at spaces)."""
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _figure(height: float, nrows: int = 1, ncols: int = 1, **kwargs):
    """A figure FIGURE_WIDTH wide with constrained layout (titles, labels and legends never overlap the axes)."""
    return plt.subplots(nrows, ncols, figsize=(FIGURE_WIDTH, height), layout="constrained", **kwargs)


def _title(fig_or_ax, text: str, width: int = 70, **kwargs) -> None:
    """A (sup)title wrapped to fit the figure's width."""
    if hasattr(fig_or_ax, "suptitle"):
        fig_or_ax.suptitle(wrap(text, width), fontweight="bold", fontsize=TEXT_PT + 1.5, **kwargs)
    else:
        fig_or_ax.set_title(wrap(text, width), **kwargs)


# --- bars -------------------------------------------------------------------------------------------------------------


def stacked_shares(
    shares,
    section_labels: dict,
    focus_region: str,
    title: str,
    xlabel: str = N_("share of employees (percent)"),
    area_labels: dict | None = None,
):
    """Horizontal stacked bars: each area's total split by section (percent), one legend entry per section below.

    ``shares``: areas (ids) x sections (codes), percent of the area's total; ``section_labels``: code -> words;
    ``area_labels``: area id -> name, for areas the region registry does not know (default: the registry's name).
    """
    areas = list(shares.index)
    sections = list(shares.columns)
    legend_rows = -(-len(sections) // 2)
    fig, ax = _figure(3.2 + 0.42 * len(areas) + 0.26 * legend_rows)
    cmap = sns.color_palette("tab20", len(sections))
    left = [0.0] * len(areas)
    names = [(area_labels or {}).get(a) or label(a) for a in areas]
    for i, section in enumerate(sections):
        values = shares[section].fillna(0).to_numpy()
        ax.barh(
            names,
            values,
            left=left,
            color=cmap[i],
            edgecolor="white",
            lw=0.3,
            label=wrap(f"{section} {section_labels.get(section, '')}".strip(), 42),
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    emphasise(ax, focus_region)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_(xlabel))
    _title(fig, title)
    fig.legend(
        *ax.get_legend_handles_labels(),
        loc="outside lower center",
        ncol=2,
        frameon=False,
        fontsize=TEXT_PT,
        handlelength=1.2,
        columnspacing=1.0,
    )
    return fig


def sector_composition(
    shares,
    focus_region: str,
    title: str,
    ylabel: str = N_("share of employees (percent)"),
    xlabel: str = N_("NACE section"),
    references=("nl", "de"),
):
    """Grouped vertical bars: each section's share of each area's employees (percent), one bar per area in its
    colour; the focus region outlined, the reference areas full colour, the other regions lighter; legend below.

    ``shares``: areas (ids) x sections (codes), percent of the area's total, areas in the order to draw them.
    """
    areas = list(shares.index)
    fig, ax = _figure(5.2 + 0.3 * -(-len(areas) // 4))
    x = np.arange(shares.shape[1])
    width = 0.84 / len(areas)
    for i, area in enumerate(areas):
        ax.bar(
            x - 0.42 + width * (i + 0.5),
            shares.loc[area].to_numpy(float),
            width,
            color=colour(area),
            alpha=1.0 if area in references else bar_alpha(area, focus_region),
            edgecolor="black" if area == focus_region else "none",
            lw=0.6,
            label=label(area),
        )
    ax.set_xticks(x, list(shares.columns))
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.grid(axis="x", visible=False)
    ax.set_ylabel(_(ylabel))
    ax.set_xlabel(_(xlabel))
    _title(fig, title)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=4, frameon=False)
    return fig


def grouped_panels(
    long,
    panels: list[tuple[str, str]],
    region_ids: list[str],
    focus_region: str,
    title: str,
    xlabel: str = N_("percent of the cohort"),
):
    """Panels one above the other, each a set of measures (rows) with one horizontal bar per region.

    ``long``: columns block, measure_label (words), region_id, share_percent; ``panels``: (block, panel title) pairs.
    """
    sizes = [long.loc[long["block"] == block, "measure_label"].nunique() for block, _panel_title in panels]
    fig, axes = _figure(1.4 + sum(0.95 * n + 0.7 for n in sizes), len(panels), 1, height_ratios=sizes, sharex=True)
    axes = np.atleast_1d(axes)
    bar = 0.8 / len(region_ids)
    for ax, (block, panel_title) in zip(axes, panels, strict=True):
        part = long[long["block"] == block]
        measures = list(dict.fromkeys(part["measure_label"]))
        for i, r in enumerate(region_ids):
            values = part[part["region_id"] == r].set_index("measure_label").reindex(measures)["share_percent"]
            ax.barh(
                np.arange(len(measures)) - 0.4 + bar * (i + 0.5),
                values.to_numpy(float),
                bar,
                color=colour(r),
                alpha=bar_alpha(r, focus_region),
                edgecolor="black" if r == focus_region else "none",
                label=label(r),
            )
        ax.set_yticks(range(len(measures)), [wrap(m, 26) for m in measures])
        ax.invert_yaxis()
        ax.set_title(panel_title, loc="left")
    axes[-1].set_xlabel(_(xlabel))
    _title(fig, title)
    fig.legend(
        *axes[0].get_legend_handles_labels(),
        loc="outside lower center",
        ncol=len(region_ids) if len(region_ids) <= 4 else 3,
        frameon=False,
    )
    return fig


def grouped_bars(
    long,
    category: str,
    value: str,
    group: str,
    colours: dict,
    title: str,
    xlabel: str,
    ylabel: str,
    value_format: str = "{:.0f}%",
):
    """Vertical bars of ``value`` per ``category`` (x axis), one bar per ``group`` side by side in the group's
    colour (``colours``: group -> colour), each bar labelled with its value (``value_format``)."""
    fig, ax = _figure(4.2)
    sns.barplot(data=long, x=category, y=value, hue=group, palette=colours, ax=ax)
    for bars in ax.containers:
        ax.bar_label(bars, labels=[value_format.format(b.get_height()) for b in bars], fontsize=TEXT_PT)
    ax.set_ylabel(_(ylabel))
    ax.set_xlabel(_(xlabel))
    ax.legend(title="", frameon=False)
    _title(fig, title)
    return fig


def paired_bars(
    frame, focus_region: str, title: str, xlabel: str, first: str, second: str, first_label: str, second_label: str
):
    """Two horizontal bars per row (e.g. counted and printed), rows grouped by region.

    ``frame``: columns region_id, measure (words), ``first``, ``second`` (numbers).
    """
    fig, ax = _figure(1.8 + 0.55 * len(frame))
    y = np.arange(len(frame))
    ax.barh(y - 0.2, frame[first].astype(float), 0.4, label=first_label, color=[colour(r) for r in frame["region_id"]])
    ax.barh(y + 0.2, frame[second].astype(float), 0.4, label=second_label, color="lightgrey", edgecolor="black", lw=0.6)
    ax.set_yticks(y, [f"{label(r)}: {m}" for r, m in zip(frame["region_id"], frame["measure"], strict=True)])
    for tick, r in zip(ax.get_yticklabels(), frame["region_id"], strict=True):
        if r == focus_region:
            tick.set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlabel(_(xlabel))
    _title(fig, title)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=2, frameon=False)
    return fig


def market_bars(counts, per_100: float, title: str, count_title: str, ratio_title: str, colours: list[str]):
    """Two panels, one above the other: counts (thousands, labelled with the exact number) and places per 100.

    ``counts``: columns figure (words) and count (persons or places).
    """
    fig, (top, bottom) = _figure(5.6, 2, 1, height_ratios=[3, 2])
    top.barh(counts["figure"], counts["count"] / 1000, color=colours)
    top.invert_yaxis()
    top.set_xlabel(_("thousands"))
    top.set_xlim(0, counts["count"].max() / 1000 * 1.3)
    for y, v in enumerate(counts["count"]):
        top.text(v / 1000, y, " " + fmt(v, 0), va="center")
    top.set_title(count_title)
    bottom.barh([_("applicants"), _("places offered")], [100, per_100], color=["#999999", colours[0]])
    bottom.invert_yaxis()
    bottom.set_xlim(0, 130)
    for y, v in enumerate([100, per_100]):
        bottom.text(v, y, " " + fmt(v, 1), va="center")
    bottom.set_xlabel(_("per 100 applicants"))
    bottom.set_title(ratio_title)
    _title(fig, title)
    return fig


def distance_bars(distances, title: str, xlabel: str):
    """Horizontal bars of one region's distance to each of the regions in ``distances`` (a Series indexed by
    region id, nearest first), nearest on top, each in its region's colour."""
    fig, ax = _figure(1.6 + 0.42 * len(distances))
    ax.barh([label(r) for r in distances.index], distances.to_numpy(), color=[colour(r) for r in distances.index])
    ax.invert_yaxis()
    ax.set_xlabel(wrap(_(xlabel), 80))
    _title(fig, title)
    return fig


def outcome_bars(shares, title: str, xlabel: str = N_("predicted share of outcomes (percent)")):
    """Horizontal bars stacked by career outcome (``OUTCOME_COLOURS``' order), one per row of ``shares``
    (programmes x outcomes, percent; a programme is shown as ``_(name)``), legend below."""
    outcomes = list(OUTCOME_COLOURS)
    fig, ax = _figure(2.0 + 0.38 * len(shares))
    shares[outcomes].rename(columns=lambda o: _(OUTCOME_WORDS[o]), index=_).plot.barh(
        stacked=True, ax=ax, color=[OUTCOME_COLOURS[o] for o in outcomes], width=0.8, legend=False
    )
    ax.invert_yaxis()
    ax.set_xlabel(_(xlabel))
    ax.set_ylabel("")
    _title(fig, title)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=len(outcomes), frameon=False)
    return fig


def scorecard(
    score,
    share_same_rank,
    focus_region: str,
    title: str,
    score_title: str,
    stability_title: str,
    score_label: str = N_("weighted mean z-score"),
    stability_label: str = N_("draws keeping the same rank (percent)"),
):
    """Composite score per region (top panel) and the share of random weightings keeping its rank (bottom panel).

    ``score`` and ``share_same_rank`` (0-1) are Series indexed by region id, in rank order.
    """
    ordered = list(score.index)
    names = [label(r) for r in ordered]
    fig, (top, bottom) = _figure(7.0, 2, 1, sharey=True)
    top.barh(
        names,
        score.to_numpy(float),
        color=[colour(r) for r in ordered],
        edgecolor=["black" if r == focus_region else "none" for r in ordered],
    )
    top.invert_yaxis()
    top.axvline(0, color="grey", lw=0.8)
    top.set_xlabel(_(score_label))
    top.set_title(score_title)
    bottom.barh(names, share_same_rank.loc[ordered].to_numpy(float) * 100, color=[colour(r) for r in ordered])
    bottom.set_xlim(0, 100)
    bottom.set_xlabel(_(stability_label))
    bottom.set_title(stability_title)
    for ax in (top, bottom):
        emphasise(ax, focus_region)
    _title(fig, title)
    return fig


# --- heatmaps ---------------------------------------------------------------------------------------------------------


def profile_heatmap(
    z,
    annotations,
    row_labels: list[str],
    column_ids: list[str],
    focus_region: str,
    title: str,
    colour_label: str = N_("z-score among the regions"),
):
    """Heatmap of standardised indicators (rows) by region (columns), cells annotated with the printed values."""
    fig, ax = _figure(1.6 + 0.42 * len(row_labels))
    sns.heatmap(
        z,
        annot=annotations,
        fmt="",
        cmap="RdBu_r",
        center=0,
        vmin=-2,
        vmax=2,
        ax=ax,
        annot_kws={"fontsize": TEXT_PT},
        cbar_kws={"label": _(colour_label), "shrink": 0.8},
        xticklabels=[stacked_label(r) for r in column_ids],
        yticklabels=[wrap(t, 34) for t in row_labels],
    )
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=0)
    emphasise(ax, focus_region)
    ax.set_xlabel("")
    ax.set_ylabel("")
    _title(fig, title)
    return fig


def lq_heatmap(
    lq,
    focus_region: str,
    title: str,
    xlabel: str = N_("NACE section"),
    colour_label: str = N_("location quotient"),
    vmax: float = 3.0,
):
    """Location quotients, regions (rows) x sectors (columns), each cell labelled with its value (one decimal);
    colours diverge at 1 (a sector as large as in the reference) and are capped at ``vmax``."""
    fig, ax = _figure(1.9 + 0.42 * len(lq))
    cells = lq.map(lambda v: fmt(v, 1)).to_numpy()  # one decimal, in the book's language
    sns.heatmap(
        lq.rename(index=label),
        cmap="PuOr_r",
        center=1,
        vmin=0,
        vmax=vmax,
        annot=cells,
        fmt="",
        annot_kws={"fontsize": TEXT_PT - 1},
        ax=ax,
        cbar_kws={"label": _(colour_label), "shrink": 0.8},
    )
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    emphasise(ax, focus_region)
    ax.set_xlabel(_(xlabel))
    ax.set_ylabel("")
    _title(fig, title)
    return fig


def similarity(
    dist, link, focus_region: str, title: str, colour_label: str = N_("Krugman distance (0 = same profile)")
):
    """Distances between regions (heatmap) above their hierarchical clustering (dendrogram).

    ``dist``: square frame of distances indexed by region id; ``link``: scipy linkage matrix in the same order.
    """
    names = [label(r) for r in dist.index]
    fig, (top, bottom) = _figure(9.0, 2, 1, height_ratios=[3, 2])
    cells = dist.map(lambda v: fmt(v, 2)).to_numpy()  # two decimals, in the book's language
    sns.heatmap(
        dist,
        annot=cells,
        fmt="",
        cmap="viridis_r",
        ax=top,
        annot_kws={"fontsize": TEXT_PT},
        cbar_kws={"label": wrap(_(colour_label), 24)},
        xticklabels=[stacked_label(r) for r in dist.columns],
        yticklabels=names,
    )
    top.tick_params(axis="x", rotation=0)
    top.tick_params(axis="y", rotation=0)
    top.set_xlabel("")
    top.set_ylabel("")
    emphasise(top, focus_region)
    top.set_title(_("Distances between sector profiles"))
    hierarchy.dendrogram(
        link, labels=names, ax=bottom, orientation="right", color_threshold=0, leaf_font_size=TEXT_PT + 0.5
    )
    emphasise(bottom, focus_region)
    bottom.set_xlabel(_("Krugman distance (average linkage)"))
    bottom.set_title(_("Clustering of the six regions"))
    _title(fig, title)
    return fig


# --- lines, curves and intervals --------------------------------------------------------------------------------------


def index_lines(
    index,
    focus_region: str,
    title: str,
    ylabel: str = N_("index, 2010 = 100"),
    xlabel: str = N_("year"),
    references=("nl", "de"),
):
    """One line per area over the years (columns), reference areas dashed, the focus region thickest; base line 100.

    ``index``: areas (ids) x years, index values.
    """
    fig, ax = _figure(4.8)
    for area, row in index.iterrows():
        is_reference = area in references
        ax.plot(
            row.index,
            row.values,
            marker="o",
            color=colour(area),
            lw=3 if area == focus_region else (2 if is_reference else 1.3),
            ls="--" if is_reference else "-",
            alpha=0.9 if is_reference else bar_alpha(area, focus_region),
            label=label(area),
        )
    ax.axhline(100, color="grey", lw=0.8)
    ax.set_xticks(list(index.columns))
    ax.set_ylabel(_(ylabel))
    ax.set_xlabel(_(xlabel))
    _title(fig, title)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside right center", frameon=False)
    return fig


def p_value_curves(
    curves,
    alpha: float,
    assumed: int,
    band: tuple[int, int],
    title: str,
    xlabel: str = N_("persons per region that the block's shares refer to (log scale)"),
    ylabel: str = N_("p-value of the homogeneity test"),
    assumed_label: str = N_("assumed n (cohort)"),
):
    """p-values of tests (one line per ``block``) against the persons per region (log scale), with the level
    ``alpha`` dotted, the ``assumed`` size dashed and labelled, and a grey ``band`` of sizes (low, high).

    ``curves``: columns block (words), sample_size, p_value (``derived.tabel1_sensitivity``).
    """
    fig, ax = _figure(4.8)
    sns.lineplot(data=curves, x="sample_size", y="p_value", hue="block", ax=ax, palette="dark")
    ax.axhline(alpha, color="black", ls=":", lw=1)
    ax.axvline(assumed, color="grey", ls="--", lw=1)
    ax.axvspan(*band, color="grey", alpha=0.15, lw=0)
    ax.text(assumed, 0.95, " " + _(assumed_label), va="top")
    ax.set_xscale("log")
    # plain numbers on the log axis ('1 000'): matplotlib's default labels are mathtext, which the book's text
    # setting (TEXT_RC) shows as written ('$\mathdefault{10^{3}}$')
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: fmt(value, 0)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(_(xlabel))
    ax.set_ylabel(_(ylabel))
    _title(fig, title)
    handles, labels = ax.get_legend_handles_labels()
    ax.get_legend().remove()
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), frameon=False)
    return fig


def survival_curve(
    survival,
    title: str,
    synthetic: bool = False,
    xlabel: str = N_("years since the start of the occupation"),
    ylabel: str = N_("share still in the occupation"),
):
    """A Kaplan-Meier step curve from 1 at time 0, with its pointwise interval as a shaded band (synthetic data in
    the book's synthetic colour).

    ``survival``: columns time, survival, ci_low, ci_high (``stats.kaplan_meier``'s table).
    """
    line = SYNTHETIC_COLOUR if synthetic else "black"
    fig, ax = _figure(4.4)
    ax.step(np.r_[0, survival["time"]], np.r_[1, survival["survival"]], where="post", color=line)
    ax.fill_between(
        survival["time"],
        survival["ci_low"],
        survival["ci_high"],
        step="post",
        alpha=0.2,
        color=SYNTHETIC_COLOUR if synthetic else "grey",
    )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(_(xlabel))
    ax.set_ylabel(_(ylabel))
    _title(fig, title)
    return fig


def interval_dots(intervals, focus_region: str, title: str, xlabel: str):
    """One dot per region with its interval as a horizontal bar, regions top to bottom in the frame's order.

    ``intervals``: columns region_id, share_percent, ci_low, ci_high (percent; ``stats.wilson_table``).
    """
    fig, ax = _figure(1.6 + 0.5 * len(intervals))
    for i, row in enumerate(intervals.to_dict("records")):
        r = row["region_id"]
        ax.errorbar(
            row["share_percent"],
            i,
            xerr=[[row["share_percent"] - row["ci_low"]], [row["ci_high"] - row["share_percent"]]],
            fmt="o",
            color=colour(r),
            ms=9 if r == focus_region else 6,
            capsize=4,
        )
    ax.set_yticks(range(len(intervals)), [label(r) for r in intervals["region_id"]])
    ax.set_ylim(len(intervals) - 0.5, -0.5)
    emphasise(ax, focus_region)
    ax.set_xlabel(_(xlabel))
    _title(fig, title)
    return fig


# --- points, timelines and maps ---------------------------------------------------------------------------------------


def labelled_scatter(
    points,
    focus_region: str,
    title: str,
    xlabel: str,
    ylabel: str,
    point_labels: dict | None = None,
    xlim=None,
    ylim=None,
    height: float = 5.0,
):
    """One labelled point per region; labels placed by adjustText so that none overlaps another or a point.

    ``points``: index region ids, two columns (x, y); ``point_labels``: region id -> label (default its name).
    """
    fig, ax = _figure(height)
    xcol, ycol = points.columns[:2]
    texts = []
    for r, row in points.iterrows():
        ax.scatter(
            row[xcol],
            row[ycol],
            s=200 if r == focus_region else 100,
            color=colour(r),
            zorder=3,
            edgecolor="black" if r == focus_region else "none",
        )
        text = (point_labels or {}).get(r, label(r))
        texts.append(ax.text(row[xcol], row[ycol], text, fontweight="bold" if r == focus_region else "normal"))
    if xlim is not None:
        ax.set_xlim(*xlim)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel(_(xlabel))
    ax.set_ylabel(_(ylabel))
    _title(fig, title)
    fig.canvas.draw()
    adjust_text(
        texts,
        x=points[xcol].to_numpy(float),
        y=points[ycol].to_numpy(float),
        ax=ax,
        iter_lim=LABEL_ITERATIONS,
        expand=(1.3, 1.6),
        arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.6},
    )
    return fig


def timeline(dated, focus_region: str, title: str, region_ids: list[str] | None = None):
    """Founding years by region: one marker per organisation, its shape by kind (legend below the chart).

    ``dated``: columns region_id, kind (words), founded (year).
    """
    kinds = sorted(dated["kind"].unique())
    shapes = ["o", "s", "D", "^", "v", "P", "X", "*", "<", ">", "h", "p", "8", "H", "d"]
    markers = dict(zip(kinds, shapes, strict=False))  # fewer kinds than shapes
    order = [r for r in (region_ids or regions.STUDY_REGIONS) if r in set(dated["region_id"])]
    fig, ax = _figure(2.6 + 0.45 * len(order) + 0.3 * -(-len(kinds) // 2))
    for _index, row in dated.iterrows():
        ax.scatter(
            int(row["founded"]),
            order.index(row["region_id"]),
            marker=markers[row["kind"]],
            s=110 if row["region_id"] == focus_region else 60,
            color=colour(row["region_id"]),
            edgecolor="black",
            lw=0.5,
            alpha=0.9,
        )
    for kind in kinds:
        ax.scatter([], [], marker=markers[kind], color="grey", label=kind)
    ax.set_yticks(range(len(order)), [label(r) for r in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    emphasise(ax, focus_region)
    ax.set_xlabel(_("year founded"))
    _title(fig, title)
    fig.legend(
        *ax.get_legend_handles_labels(),
        loc="outside lower center",
        ncol=2,
        frameon=False,
        title=_("kind of organisation"),
    )
    return fig


def locator_map(outlines, locations, focus_region: str, title: str, country_names: dict | None = None):
    """Country outlines (lon/lat, drawn with the cosine of the mean latitude as aspect) and one labelled marker
    per region, labels placed by adjustText.

    ``outlines``: columns country, part, point, lon, lat (one row per vertex); ``locations``: region_id, lon, lat.
    """
    fig, ax = _figure(6.4)
    ax.set_xlim(locations["lon"].min() - 1.6, locations["lon"].max() + 1.6)
    ax.set_ylim(locations["lat"].min() - 1.0, locations["lat"].max() + 0.9)
    ax.set_facecolor("#E3EEF8")  # the sea
    shades = {"NLD": "#F3EFE2", "DEU": "#E6E6E6"}
    rings = {}
    rings_in_order = outlines.sort_values(["country", "part", "point"]).groupby(["country", "part"], sort=False)
    for (country, _part), ring in rings_in_order:
        patch = Polygon(
            ring[["lon", "lat"]].to_numpy(float),
            closed=True,
            facecolor=shades.get(country, "#F7F7F7"),
            edgecolor="#707070",
            lw=0.8,
        )
        ax.add_patch(patch)
        rings.setdefault(country, []).append(patch.get_path())
    # a country's name at the centre of the part of it that the map shows (a grid of points inside its outline)
    lon, lat = np.meshgrid(np.linspace(*ax.get_xlim(), 40), np.linspace(*ax.get_ylim(), 40))
    grid = np.column_stack([lon.ravel(), lat.ravel()])
    for country, name in (country_names or {}).items():
        inside = np.zeros(len(grid), dtype=bool)
        for path in rings.get(country, []):
            inside |= path.contains_points(grid)
        if inside.any():
            x, y = grid[inside].mean(axis=0)
            ax.text(x, y, name, color="#505050", style="italic", ha="center", va="center", zorder=2)
    texts = []
    for _index, row in locations.iterrows():
        r = row["region_id"]
        ax.scatter(
            row["lon"],
            row["lat"],
            s=140 if r == focus_region else 70,
            color=colour(r),
            zorder=3,
            edgecolor="black",
            lw=1.2 if r == focus_region else 0.5,
        )
        texts.append(
            ax.text(row["lon"], row["lat"], label(r), fontweight="bold" if r == focus_region else "normal", zorder=4)
        )
    ax.set_aspect(1 / math.cos(math.radians(locations["lat"].mean())))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#B0B0B0")
    _title(fig, title)
    fig.canvas.draw()
    adjust_text(
        texts,
        x=locations["lon"].to_numpy(float),
        y=locations["lat"].to_numpy(float),
        ax=ax,
        iter_lim=LABEL_ITERATIONS,
        expand=(1.2, 1.5),
        arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.6},
    )
    return fig
