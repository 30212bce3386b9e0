"""The book's one plotting theme: a fixed colour per region, the focus region emphasised, references grey."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from . import regions  # noqa: E402

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


def use_theme() -> None:
    """Apply the book's seaborn theme."""
    sns.set_theme(context="notebook", style="whitegrid", font_scale=0.95,
                  rc={"figure.figsize": (8, 4.5), "figure.dpi": 100, "axes.titleweight": "bold",
                      "axes.titlesize": 12, "axes.spines.top": False, "axes.spines.right": False})


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


def emphasise(ax, focus_region: str, labels_are_ids: bool = False) -> None:
    """Bold the focus region's tick label (on either axis) so it stands out."""
    target = focus_region if labels_are_ids else label(focus_region)
    for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        if tick.get_text() == target:
            tick.set_fontweight("bold")
            tick.set_color(colour(focus_region))


def bar_alpha(region_id: str, focus_region: str) -> float:
    """Full opacity for the focus region, lighter for the others."""
    return 1.0 if region_id == focus_region else 0.55


def new_figure(width: float = 8, height: float = 4.5):
    """A new figure and axes in the book's size."""
    return plt.subplots(figsize=(width, height))
