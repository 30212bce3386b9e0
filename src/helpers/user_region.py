"""A user's region beside the report's six: shares, location quotients, specialisation and distances.

Everything is computed at the region file's level (``helpers.region_file.LEVELS``): NACE sections, or Eurostat's
coarser NUTS 3 groups, for which the report's Tabel 1.1 is summed the same way (``aggregate``). The region is
compared with its own country's reference: the report's Netherlands or Germany column of Tabel 1.1, or the
reference file its provenance names. Indices are those of ``helpers.indices`` (shares, so the unit does not matter).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from . import derived, indices, regions
from .region_file import (EUROSTAT_GROUPS, GROUP_LABELS, LEVEL_LIMITS, LEVEL_NAMES, LEVELS, REPORT_YEAR, UserRegion,
                          load)

#: The report's areas a user region is set beside: the six study regions, then the two countries.
REPORT_AREAS = (*regions.STUDY_REGIONS, *regions.REFERENCE_AREAS)


def aggregate(mat: pd.DataFrame, level: str) -> pd.DataFrame:
    """A regions x NACE sections matrix summed to the sectors of ``level`` (``"section"``: unchanged).

    Each Eurostat group is the sum of its sections (``region_file.EUROSTAT_GROUPS``; R-U = R + S).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; valid: {', '.join(LEVELS)}")
    if level == "section":
        return mat.loc[:, list(LEVELS["section"])]
    missing = sorted({s for sections in EUROSTAT_GROUPS.values() for s in sections} - set(mat.columns))
    if missing:
        raise ValueError(f"matrix lacks section(s) {', '.join(missing)} needed for Eurostat's groups")
    out = pd.DataFrame({group: mat.loc[:, list(sections)].sum(axis=1) for group, sections in EUROSTAT_GROUPS.items()})
    out.columns.name = mat.columns.name
    return out


def sector_labels(level: str) -> pd.Series:
    """English label of each sector code of ``level``."""
    if level == "section":
        return derived.sector_labels().reindex(list(LEVELS["section"]))
    return pd.Series(GROUP_LABELS).reindex(list(LEVELS[level]))


def matrix(region: UserRegion, report_matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Employment (thousands) at the region's level: the report's six regions and two countries, the user's
    region, and its user-supplied reference when there is one (rows in that order)."""
    base = aggregate(derived.employment() if report_matrix is None else report_matrix, region.level)
    rows = [base.loc[list(REPORT_AREAS)], region.employees.to_frame().T]
    if region.reference is not None:
        rows.append(region.reference.employees.to_frame().T)
    out = pd.concat(rows)
    out.index.name = "region"
    out.columns.name = "sector"
    return indices.validate_matrix(out)


@dataclass
class Comparison:
    """The region beside the report's regions, all at the region file's level."""

    region: UserRegion
    matrix: pd.DataFrame  # thousands of employees, areas x sectors
    shares: pd.DataFrame  # percent of each area's employees
    lq: pd.DataFrame  # location quotients of the six regions and the user region, each against its reference
    structure: pd.DataFrame  # krugman, hoover, herfindahl, entropy_bits per area
    distances: pd.Series  # Krugman distance from the user region to each of the six, nearest first
    labels: pd.Series

    @property
    def nearest(self) -> str:
        """The report region whose sector profile is nearest (smallest Krugman distance)."""
        return str(self.distances.index[0])

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.region.level]

    @property
    def level_limits(self) -> str:
        return LEVEL_LIMITS[self.region.level]

    @property
    def year_note(self) -> str:
        """'' when the region's reference year is the report's; otherwise a sentence every comparison carries."""
        year = self.region.reference_year
        if year == REPORT_YEAR:
            return ""
        return (f"{self.region.name}'s figures are for {year}, the report's Tabel 1.1 for {REPORT_YEAR}: the "
                f"comparison sets two different years side by side.")

    @property
    def concept_note(self) -> str:
        """What the region file counts, against Tabel 1.1's employees in December."""
        concept = self.region.concept
        return (f"{self.region.name}'s figures count {concept} (source: {self.region.source}); Tabel 1.1 counts "
                f"employees in December {REPORT_YEAR}.") if concept else ""


def compare(region: UserRegion | str, reference_rule: str = "national",
            report_matrix: pd.DataFrame | None = None) -> Comparison:
    """Shares, location quotients, specialisation indices and distances for a user region and the report's six.

    ``reference_rule="national"``: each region against its own country (the user region against its reference);
    ``"pooled"``: every region against the six report regions together. ``region`` is a ``UserRegion`` or the
    path of a region file. Krugman distance between profiles a, b: sum_j |s_aj - s_bj| (shares as fractions).
    """
    if not isinstance(region, UserRegion):
        region = load(region)
    mat = matrix(region, report_matrix)
    six = list(regions.STUDY_REGIONS)
    compared = [*six, region.id]
    if reference_rule == "national":
        reference = {r: regions.reference_of(r) for r in six} | {region.id: region.reference_id}
    elif reference_rule == "pooled":
        reference = mat.loc[six].sum(axis=0)
    else:
        raise ValueError(f"unknown reference rule {reference_rule!r}; valid: {', '.join(indices.REFERENCE_RULES)}")
    lq = indices.location_quotient(mat, reference).loc[compared]
    krugman = indices.krugman_specialisation(mat, reference)
    structure = pd.DataFrame({
        "krugman": krugman, "hoover": krugman / 2,
        "herfindahl": indices.herfindahl(mat), "entropy_bits": indices.shannon_entropy(mat),
    })
    if reference_rule == "pooled":
        structure.loc[[r for r in structure.index if r not in compared], ["krugman", "hoover"]] = float("nan")
    dist = indices.similarity_matrix(mat.loc[compared], "krugman").loc[region.id, six].sort_values(kind="stable")
    return Comparison(region=region, matrix=mat, shares=indices.sector_shares(mat), lq=lq, structure=structure,
                      distances=dist.rename("krugman_distance"), labels=sector_labels(region.level))


def distance_table(comparison: Comparison) -> pd.DataFrame:
    """The user region's Krugman distance to each report region, nearest first, with the rank (1 = nearest)."""
    d = comparison.distances
    return pd.DataFrame({"region_id": d.index, "krugman_distance": d.to_numpy(),
                         "rank": range(1, len(d) + 1)})


def nearest_in_country(comparison: Comparison) -> str | None:
    """The nearest report region in the user region's own country (None when the report has none there)."""
    same = [r for r in comparison.distances.index if regions.get(r).country == comparison.region.country]
    return same[0] if same else None


def top_specialisations(comparison: Comparison, n: int = 3) -> pd.DataFrame:
    """The user region's ``n`` sectors with the highest location quotient: lq, its share, the reference's share."""
    rid = comparison.region.id
    ref = comparison.region.reference_id
    out = pd.DataFrame({"lq": comparison.lq.loc[rid], "share_percent": comparison.shares.loc[rid],
                        "reference_share_percent": comparison.shares.loc[ref]})
    return out.sort_values("lq", ascending=False, kind="stable").head(n)


def no_report_data_sentence(comparison: Comparison, what: str) -> str:
    """The sentence a chapter built on the report's own evidence says about a user region.

    ``what``: the evidence the report has only for its own regions (e.g. "employers' head offices").
    """
    r = comparison.region
    nearest = comparison.nearest
    from .book import fmt

    near_text = f"{regions.name(nearest)} (Krugman distance {fmt(comparison.distances.iloc[0], 3)})"
    same = nearest_in_country(comparison)
    extra = ("" if same in (None, nearest) else
             f"; in its own country, {regions.name(same)} ({fmt(comparison.distances[same], 3)})")
    return (f"The report has no {what} for {r.name}: this chapter presents the report's own regions. By its sector "
            f"profile, compared at the level of {comparison.level_name}, {r.name} resembles {near_text} most of "
            f"the report's six regions"
            f"{extra}; this chapter highlights {regions.name(nearest)} for that reason."
            + (f" {comparison.year_note}" if comparison.year_note else ""))


def edition_block(text: str, title: str = "This edition's analysis") -> str:
    """HTML of the book's edition-analysis frame (as a MyST ``{admonition}`` with class ``edition-analysis``
    renders it), for text a chapter writes only when a region file is given."""
    return (f'<div class="admonition edition-analysis"><p class="admonition-title">{html.escape(title)}</p>'
            f"<p>{html.escape(text)}</p></div>")


def show_edition_block(text: str) -> None:
    """Display ``edition_block(text)`` in a notebook."""
    from IPython.display import HTML, display

    display(HTML(edition_block(text)))


# --- what the chapters show ---------------------------------------------------------------------------------


def areas(comparison: Comparison) -> list[str]:
    """Rows a chapter shows: the six report regions, the user region, its reference and the two countries."""
    extra = [comparison.region.reference_id] if comparison.region.reference is not None else []
    return [*regions.STUDY_REGIONS, comparison.region.id, *extra, *regions.REFERENCE_AREAS]


def area_name(comparison: Comparison, area: str) -> str:
    """Reader-facing name of a row of ``comparison.matrix`` (the user reference has no registry entry)."""
    ref = comparison.region.reference
    if ref is not None and area == ref.id:
        return f"{ref.name} (reference)"
    return regions.name(area)


def caveats(comparison: Comparison) -> str:
    """The sentences every comparison with a user region carries: level, what it cannot show, year, concept."""
    parts = [f"Compared at the level of {comparison.level_name}."]
    if comparison.level_limits:
        parts.append(f"At this level {comparison.level_limits}.")
    if comparison.year_note:
        parts.append(comparison.year_note)
    if comparison.concept_note:
        parts.append(comparison.concept_note)
    return " ".join(parts)


def shares_figure(comparison: Comparison, title: str):
    """Stacked horizontal bars of every area's sector shares (percent) at the comparison's level, the user region's
    label in bold and its colour, drawn like the book's other charts (``plots.stacked_shares``)."""
    from . import plots

    shown = areas(comparison)
    return plots.stacked_shares(comparison.shares.loc[shown], dict(comparison.labels), comparison.region.id, title,
                                area_labels={a: area_name(comparison, a) for a in shown})


def shares_alt(comparison: Comparison) -> str:
    """Alt text of ``shares_figure``: the region's largest sections and its nearest report region."""
    from .book import pct

    r = comparison.region
    top = comparison.shares.loc[r.id].sort_values(ascending=False).head(3)
    largest = ", ".join(f"{comparison.labels[s]} ({pct(v)})" for s, v in top.items())
    return (f"In {r.name} the largest sectors are {largest}; among the report's regions its sector profile is "
            f"nearest to {regions.name(comparison.nearest)}'s. Stacked bars for the six regions, {r.name}, "
            "its reference and the two countries.")


def distance_figure(comparison: Comparison, title: str):
    """Horizontal bars of the user region's Krugman distance to each report region, nearest on top."""
    from . import plots

    d = comparison.distances
    fig, ax = plots._figure(1.6 + 0.42 * len(d))
    ax.barh([regions.name(r) for r in d.index], d.to_numpy(), color=[plots.colour(r) for r in d.index])
    ax.invert_yaxis()
    ax.set_xlabel(plots.wrap(f"Krugman distance to {comparison.region.name} (0 = same profile, 2 = disjoint)", 80))
    plots._title(fig, title)
    return fig


def distance_alt(comparison: Comparison) -> str:
    """Alt text of ``distance_figure``: nearest and farthest report region with their distances."""
    from .book import fmt

    d = comparison.distances
    return (f"{comparison.region.name}'s sector profile is nearest to {regions.name(d.index[0])}'s (Krugman distance "
            f"{fmt(d.iloc[0], 3)}) and farthest from {regions.name(d.index[-1])}'s ({fmt(d.iloc[-1], 3)}); one bar "
            "per report region, nearest on top.")


def lq_table(comparison: Comparison) -> pd.DataFrame:
    """Location quotients as sectors x areas (the six report regions and the user region), labelled for readers."""
    out = comparison.lq.T.copy()
    out.columns = [regions.name(a) for a in out.columns]
    out.insert(0, "sector", [f"{s} {comparison.labels[s]}" for s in out.index])
    return out.reset_index(drop=True)


def structure_table(comparison: Comparison) -> pd.DataFrame:
    """Krugman, Hoover, Herfindahl and entropy of every area shown, labelled for readers."""
    n = len(comparison.matrix.columns)
    shown = comparison.structure.loc[areas(comparison)]
    out = pd.DataFrame({
        "area": [area_name(comparison, a) for a in shown.index],
        "Krugman index (0-2)": shown["krugman"].to_numpy(),
        "Hoover coefficient (0-1)": shown["hoover"].to_numpy(),
        f"Herfindahl (1/{n}-1)": shown["herfindahl"].to_numpy(),
        "entropy (bits)": shown["entropy_bits"].to_numpy(),
    })
    return out


def employees_table(comparison: Comparison) -> pd.DataFrame:
    """Thousands of employees by sector: the user region beside the report's areas at the same level."""
    shown = areas(comparison)
    out = comparison.matrix.loc[shown].T.copy()
    out.columns = [f"{area_name(comparison, a)} (x1000)" for a in shown]
    out.insert(0, "sector", [f"{s} {comparison.labels[s]}" for s in out.index])
    return out.reset_index(drop=True)


def profile_table(comparison: Comparison) -> pd.DataFrame:
    """The user region's employees, share and location quotient per sector against its reference."""
    rid, ref = comparison.region.id, comparison.region.reference_id
    return pd.DataFrame({
        "sector": [f"{s} {comparison.labels[s]}" for s in comparison.matrix.columns],
        "employees (thousands)": comparison.matrix.loc[rid].to_numpy(),
        "share (%)": comparison.shares.loc[rid].to_numpy(),
        "reference share (%)": comparison.shares.loc[ref].to_numpy(),
        "location quotient": comparison.lq.loc[rid].to_numpy(),
    })


def summary_sentence(comparison: Comparison) -> str:
    """One paragraph on the user region: specialisation, strongest sectors, nearest report regions."""
    from .book import fmt, pct

    r = comparison.region
    k = float(comparison.structure.loc[r.id, "krugman"])
    six = comparison.structure.loc[list(regions.STUDY_REGIONS), "krugman"]
    top = top_specialisations(comparison)
    top_text = "; ".join(f"{s} {comparison.labels[s]} (LQ {fmt(row['lq'], 2)}, {pct(row['share_percent'])} against "
                         f"{pct(row['reference_share_percent'])})" for s, row in top.iterrows())
    d = comparison.distances
    return (f"{r.name} (from a region file: {r.source}, {r.reference_year}) has a Krugman index of {fmt(k, 3)} "
            f"against {r.reference_label}; the report's six regions range from {fmt(six.min(), 3)} to "
            f"{fmt(six.max(), 3)} at this level. Its strongest specialisations: {top_text}. Its nearest sector "
            f"profiles among the report's regions are {regions.name(d.index[0])} ({fmt(d.iloc[0], 3)}) and "
            f"{regions.name(d.index[1])} ({fmt(d.iloc[1], 3)}). " + caveats(comparison))
