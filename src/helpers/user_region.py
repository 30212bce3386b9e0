"""A user's region beside the report's six: shares, location quotients, specialisation and distances.

Everything is computed at the region file's level (``helpers.sector_levels``): the NACE sections, Eurostat's ten
groups or the six groups of German NUTS 3 regions, for which the report's Tabel 1.1 is summed the same way
(``aggregate``). The region is compared with its own country's reference: the report's Netherlands or Germany column
of Tabel 1.1, or the reference file its provenance names (which a region of any other country must have). Where a
coarser file has manufacturing (C, a part of B-E), its share and location quotient are computed beside the groups
(``Comparison.manufacturing``). Indices are those of ``helpers.indices`` (shares, so the unit does not matter).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import derived, indices, narrative, regions, stats
from . import sector_levels as levels
from .i18n import N_, _
from .numbers import fmt, pct
from .region_file import LEVELS, NO_PROVENANCE, REPORT_YEAR, RegionFileError, UserRegion, load

# The build's command line imports this module to check a region file before any kernel starts: what draws or
# displays (plots, with matplotlib; IPython) is imported in the functions that do.


#: The report's areas a user region is set beside: the six study regions, then the two countries.
REPORT_AREAS = (*regions.STUDY_REGIONS, *regions.REFERENCE_AREAS)


# --- the comparison ---------------------------------------------------------------------------------------------------


def aggregate(mat: pd.DataFrame, level: str) -> pd.DataFrame:
    """A regions x NACE sections matrix summed to the groups of ``level`` (``"section"``: unchanged).

    Each group is the sum of its sections (``helpers.sector_levels.GROUPS``); T and U, which Tabel 1.1 does not
    have, add nothing (so R-U is R + S and O-U is O to S).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; valid: {', '.join(LEVELS)}")
    missing = [s for s in levels.SECTIONS if s not in mat.columns]
    if missing:
        raise ValueError(f"matrix lacks section(s) {', '.join(missing)} needed for {levels.LEVEL_NAMES[level]}")
    if level == levels.SECTION:
        return mat.loc[:, list(LEVELS[level])]
    out = pd.DataFrame(
        {
            group: mat.loc[:, [s for s in members if s in mat.columns]].sum(axis=1)
            for group, members in levels.GROUPS[level].items()
        }
    )
    out.columns.name = mat.columns.name
    return out


def sector_labels(level: str) -> pd.Series:
    """English label of each sector code of ``level`` (and of C, manufacturing, at the coarser levels)."""
    if level == levels.SECTION:
        return derived.sector_labels().reindex(list(LEVELS[level]))
    codes = [*LEVELS[level], levels.MANUFACTURING]
    return pd.Series({code: _(words) for code, words in levels.GROUP_LABELS.items()}).reindex(codes)


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
    #: At a coarser level, when the file has C: per area (rows of ``matrix``) thousands in manufacturing, its share
    #: of the area's total (percent) and its location quotient (NaN where the reference has no C); else None.
    manufacturing: pd.DataFrame | None = None

    @property
    def nearest(self) -> str:
        """The report region whose sector profile is nearest (smallest Krugman distance)."""
        return str(self.distances.index[0])

    @property
    def level_name(self) -> str:
        return _(levels.LEVEL_NAMES[self.region.level])

    @property
    def level_limits(self) -> str:
        return levels.limits(self.region.level, self.manufacturing is not None)

    @property
    def year_note(self) -> str:
        """'' when the region's reference year is the report's; otherwise a sentence every comparison carries."""
        year = self.region.reference_year
        if year == REPORT_YEAR:
            return ""
        return _(
            "{region}'s figures are for {year}, the report's Tabel 1.1 for {report_year}: the comparison sets "
            "two different years side by side."
        ).format(region=self.region.name, year=year, report_year=REPORT_YEAR)

    @property
    def concept_note(self) -> str:
        """What the region file counts, against Tabel 1.1's employees in December."""
        concept = self.region.concept
        return (
            _(
                "{region}'s figures count {concept} (source: {source}); Tabel 1.1 counts employees in December "
                "{report_year}."
            ).format(region=self.region.name, concept=concept, source=self.region.source, report_year=REPORT_YEAR)
            if concept
            else ""
        )

    @property
    def country_note(self) -> str:
        """'' for a Dutch or German region; otherwise the sentence that the report has no evidence for its country."""
        r = self.region
        if r.in_report_countries:
            return ""
        return _(
            "The report has no evidence for {country_label} ({country}): it studies Dutch and German regions "
            "only, so its six regions are set beside {region} as neighbours in sector structure, not as "
            "evidence about it; {region} is compared with {reference}."
        ).format(country_label=r.country_label, country=r.country, region=r.name, reference=r.reference_label)


def _manufacturing(
    region: UserRegion, mat: pd.DataFrame, report: pd.DataFrame, reference: dict[str, str] | pd.Series
) -> pd.DataFrame | None:
    """Manufacturing beside the groups: thousands, share of the area's total (percent) and location quotient of
    every area with a C (Tabel 1.1's C for the report's areas; the files' own C for the region and its reference)."""
    if region.level == levels.SECTION or region.manufacturing is None:
        return None
    thousands = report.loc[list(REPORT_AREAS), levels.MANUFACTURING].astype(float)
    thousands[region.id] = region.manufacturing
    if region.reference is not None:
        ref = region.reference.manufacturing
        thousands[region.reference.id] = np.nan if ref is None else ref
    share = thousands / mat.loc[thousands.index].sum(axis=1) * 100
    if isinstance(reference, pd.Series):  # pooled: the six regions together
        six = list(regions.STUDY_REGIONS)
        base = float(thousands[six].sum() / mat.loc[six].sum(axis=1).sum() * 100)
        lq = share / base
    else:
        lq = pd.Series({a: share[a] / share[reference[a]] if a in reference else np.nan for a in share.index})
    return pd.DataFrame({"employees_thousands": thousands, "share_percent": share, "lq": lq})


def _require_finite(comparison: Comparison) -> Comparison:
    """A RegionFileError naming the region file when any computed figure is not finite (the files' own checks make
    this unreachable for valid files: a guard, not a message users should see)."""
    rid = comparison.region.id
    figures = {
        "shares": comparison.shares.loc[rid],
        "location quotients": comparison.lq.loc[rid],
        "specialisation indices": comparison.structure.loc[rid],
        "distances": comparison.distances,
    }
    for what, values in figures.items():
        bad = values[~np.isfinite(values.astype(float))]
        if len(bad):
            raise RegionFileError(
                f"{comparison.region.path}, column employees_thousands: its {what} are not finite "
                f"({', '.join(map(str, bad.index))}); check the values and the reference file"
            )
    return comparison


def compare(
    region: UserRegion | str, reference_rule: str = "national", report_matrix: pd.DataFrame | None = None
) -> Comparison:
    """Shares, location quotients, specialisation indices and distances for a user region and the report's six.

    ``reference_rule="national"``: each region against its own country (the user region against its reference);
    ``"pooled"``: every region against the six report regions together. ``region`` is a ``UserRegion`` or the
    path of a region file. Krugman distance between profiles a, b: sum_j |s_aj - s_bj| (shares as fractions).
    """
    if not isinstance(region, UserRegion):
        region = load(region)
    report = derived.employment() if report_matrix is None else report_matrix
    mat = matrix(region, report)
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
    structure = pd.DataFrame(
        {
            "krugman": krugman,
            "hoover": krugman / 2,
            "herfindahl": indices.herfindahl(mat),
            "entropy_bits": indices.shannon_entropy(mat),
        }
    )
    if reference_rule == "pooled":
        structure.loc[[r for r in structure.index if r not in compared], ["krugman", "hoover"]] = float("nan")
    dist = indices.similarity_matrix(mat.loc[compared], "krugman").loc[region.id, six].sort_values(kind="stable")
    return _require_finite(
        Comparison(
            region=region,
            matrix=mat,
            shares=indices.sector_shares(mat),
            lq=lq,
            structure=structure,
            distances=dist.rename("krugman_distance"),
            labels=sector_labels(region.level),
            manufacturing=_manufacturing(region, mat, report, reference),
        )
    )


def distance_table(comparison: Comparison) -> pd.DataFrame:
    """The user region's Krugman distance to each report region, nearest first, with the rank (1 = nearest)."""
    d = comparison.distances
    return pd.DataFrame({"region_id": d.index, "krugman_distance": d.to_numpy(), "rank": range(1, len(d) + 1)})


def nearest_in_country(comparison: Comparison) -> str | None:
    """The nearest report region in the user region's own country (None when the report has none there)."""
    same = [r for r in comparison.distances.index if regions.get(r).country == comparison.region.country]
    return same[0] if same else None


def top_specialisations(comparison: Comparison, n: int = 3) -> pd.DataFrame:
    """The user region's ``n`` sectors with the highest location quotient: lq, its share, the reference's share."""
    rid = comparison.region.id
    ref = comparison.region.reference_id
    out = pd.DataFrame(
        {
            "lq": comparison.lq.loc[rid],
            "share_percent": comparison.shares.loc[rid],
            "reference_share_percent": comparison.shares.loc[ref],
        }
    )
    return out.sort_values("lq", ascending=False, kind="stable").head(n)


def nearest_pairing_test(comparison: Comparison, alpha: float = 0.05):
    """Chapter 5's pairing test applied to the region file's region and its nearest report region, with the other
    five report regions as comparison regions (``stats.profile_pairing_test``)."""
    six_and_user = comparison.matrix.loc[[*regions.STUDY_REGIONS, comparison.region.id]]
    return stats.profile_pairing_test(six_and_user, comparison.region.id, comparison.nearest, alpha=alpha)


# --- what the chapters show: areas, sentences, notes ------------------------------------------------------------------


def areas(comparison: Comparison) -> list[str]:
    """Rows a chapter shows: the six report regions, the user region, its reference and the two countries."""
    extra = [comparison.region.reference_id] if comparison.region.reference is not None else []
    return [*regions.STUDY_REGIONS, comparison.region.id, *extra, *regions.REFERENCE_AREAS]


def area_name(comparison: Comparison, area: str) -> str:
    """Reader-facing name of a row of ``comparison.matrix`` (the user reference has no registry entry)."""
    ref = comparison.region.reference
    if ref is not None and area == ref.id:
        return _("{name} (reference)").format(name=ref.name)
    return regions.name(area)


def caveats(comparison: Comparison) -> str:
    """The sentences every comparison with a user region carries: level, what it cannot show, the country the
    report has no evidence for, year, concept."""
    parts = [_("Compared at the level of {level}.").format(level=comparison.level_name)]
    if comparison.level_limits:
        parts.append(_("At this level {limits}.").format(limits=comparison.level_limits))
    parts += [note for note in (comparison.country_note, comparison.year_note, comparison.concept_note) if note]
    return " ".join(parts)


def provenance_text(comparison: Comparison) -> str:
    """Where the region file's numbers come from, as its provenance sidecar records it; for a file without one,
    ``region_file.NO_PROVENANCE``."""
    r = comparison.region
    if not r.has_provenance:
        return _("{region} comes from a region file, not from the report: {source} ({no_provenance}).").format(
            region=r.name, source=r.source, no_provenance=NO_PROVENANCE
        )
    prov = r.provenance
    return _(
        "{region} comes from a region file, not from the report: {source}, table {table}, retrieved "
        "{retrieved}, query: {query}."
    ).format(
        region=r.name, source=prov["source"], table=prov["table_id"], retrieved=prov["retrieved"], query=prov["query"]
    )


def no_report_data_sentence(comparison: Comparison, what: str) -> str:
    """The sentence a chapter built on the report's own evidence says about a user region.

    ``what``: the evidence the report has only for its own regions (e.g. "employers' head offices").
    """
    r = comparison.region
    nearest = comparison.nearest
    near_text = _("{region} (Krugman distance {distance})").format(
        region=regions.name(nearest), distance=fmt(comparison.distances.iloc[0], 3)
    )
    same = nearest_in_country(comparison)
    extra = (
        ""
        if same in (None, nearest)
        else _("; in its own country, {region} ({distance})").format(
            region=regions.name(same), distance=fmt(comparison.distances[same], 3)
        )
    )
    return _(
        "The report has no {what} for {region}: this chapter presents the report's own regions. By its sector "
        "profile, compared at the level of {level}, {region} resembles {nearest} most of the report's six "
        "regions{extra}; this chapter highlights {highlighted} for that reason."
    ).format(
        what=what,
        region=r.name,
        level=comparison.level_name,
        nearest=near_text,
        extra=extra,
        highlighted=regions.name(nearest),
    ) + "".join(f" {note}" for note in (comparison.country_note, comparison.year_note) if note)


def structure_note(comparison: Comparison, what: str) -> str:
    """A chapter's note on a user region for which the report has no ``what`` (``no_report_data_sentence``), followed
    by the caveats of the sector structure it shows instead (``caveats``)."""
    return _("{no_data} Its sector structure, from its region file: {caveats}").format(
        no_data=no_report_data_sentence(comparison, what), caveats=caveats(comparison)
    )


def summary_sentence(comparison: Comparison) -> str:
    """One paragraph on the user region: specialisation, strongest sectors, nearest report regions."""
    return narrative.user_structure_paragraph(comparison, top_specialisations(comparison), caveats(comparison))


def tabel_1_1_note(comparison: Comparison) -> str:
    """The note above appendix A's table of the user region: where its numbers come from, and the caveats of the
    comparison (``provenance_text``, ``caveats``)."""
    return "{provenance} {caveats}".format(provenance=provenance_text(comparison), caveats=caveats(comparison))


def employees_caption(comparison: Comparison) -> tuple[str, str]:
    """Caption and source of appendix A's table of the user region beside Tabel 1.1 (``employees_table``)."""
    caption = _(
        "{region} beside Tabel 1.1 (thousands of employees per sector; Tabel 1.1 summed to the region "
        "file's level). {caveats}"
    ).format(region=comparison.region.name, caveats=caveats(comparison))
    source = _("{source}; the report's Bijlage 1, Tabel 1.1").format(source=comparison.region.source)
    return caption, source


def edition_block(text: str, title: str = N_("This edition's analysis")) -> str:
    """HTML of the book's edition-analysis frame (as a MyST ``{admonition}`` with class ``edition-analysis``
    renders it), for text a chapter writes only when a region file is given."""
    return (
        f'<div class="admonition edition-analysis"><p class="admonition-title">{html.escape(_(title))}</p>'
        f"<p>{html.escape(text)}</p></div>"
    )


def show_edition_block(text: str) -> None:
    """Display ``edition_block(text)`` in a notebook."""
    from IPython.display import HTML, display

    display(HTML(edition_block(text)))


# --- charts -----------------------------------------------------------------------------------------------------------


def shares_figure(comparison: Comparison, title: str):
    """Stacked horizontal bars of every area's sector shares (percent) at the comparison's level, the user region's
    label in bold and its colour, drawn like the book's other charts (``plots.stacked_shares``)."""
    from . import plots

    shown = areas(comparison)
    return plots.stacked_shares(
        comparison.shares.loc[shown],
        dict(comparison.labels),
        comparison.region.id,
        f"{title} ({_(levels.LEVEL_SHORT[comparison.region.level])})",
        area_labels={a: area_name(comparison, a) for a in shown},
    )


def shares_alt(comparison: Comparison) -> str:
    """Alt text of ``shares_figure``: the region's largest sections and its nearest report region."""
    r = comparison.region
    top = comparison.shares.loc[r.id].sort_values(ascending=False).head(3)
    largest = ", ".join(
        _("{sector} ({share})").format(sector=comparison.labels[s], share=pct(v)) for s, v in top.items()
    )
    return _(
        "In {region} the largest sectors are {largest}; among the report's regions its sector profile is "
        "nearest to {nearest}'s. Stacked bars for the six regions, {region}, its reference and the two "
        "countries."
    ).format(region=r.name, largest=largest, nearest=regions.name(comparison.nearest))


def distance_figure(comparison: Comparison, title: str):
    """Horizontal bars of the user region's Krugman distance to each report region, nearest on top."""
    from . import plots

    return plots.distance_bars(
        comparison.distances,
        title,
        _("Krugman distance to {region} at the level of {level} (0 = same profile, 2 = disjoint)").format(
            region=comparison.region.name, level=_(levels.LEVEL_SHORT[comparison.region.level])
        ),
    )


def distance_alt(comparison: Comparison) -> str:
    """Alt text of ``distance_figure``: nearest and farthest report region with their distances."""
    d = comparison.distances
    return _(
        "{region}'s sector profile is nearest to {nearest}'s (Krugman distance {near_distance}) and farthest "
        "from {farthest}'s ({far_distance}); one bar per report region, nearest on top."
    ).format(
        region=comparison.region.name,
        nearest=regions.name(d.index[0]),
        near_distance=fmt(d.iloc[0], 3),
        farthest=regions.name(d.index[-1]),
        far_distance=fmt(d.iloc[-1], 3),
    )


# --- tables -----------------------------------------------------------------------------------------------------------


def _with_manufacturing(table: pd.DataFrame, comparison: Comparison, column: str) -> pd.DataFrame:
    """A sectors x areas table with the row C (manufacturing, part of B-E) from ``comparison.manufacturing[column]``
    added where the comparison has it."""
    if comparison.manufacturing is None:
        return table
    row = comparison.manufacturing[column].reindex(table.columns).rename(levels.MANUFACTURING)
    return pd.concat([table, row.to_frame().T])


def _labelled(table: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    table.insert(0, N_("sector"), [_("{code} {label}").format(code=s, label=comparison.labels[s]) for s in table.index])
    return table.reset_index(drop=True)


def lq_table(comparison: Comparison) -> pd.DataFrame:
    """Location quotients as sectors x areas (the six report regions and the user region), labelled for readers;
    manufacturing as the last row where a coarser file has it."""
    out = _with_manufacturing(comparison.lq.T.copy(), comparison, "lq")
    out.columns = [regions.name(a) for a in out.columns]
    return _labelled(out, comparison)


def structure_table(comparison: Comparison) -> pd.DataFrame:
    """Krugman, Hoover, Herfindahl and entropy of every area shown, labelled for readers."""
    n = len(comparison.matrix.columns)
    shown = comparison.structure.loc[areas(comparison)]
    out = pd.DataFrame(
        {
            N_("area"): [area_name(comparison, a) for a in shown.index],
            _("Krugman index (0-{high})").format(high=2): shown["krugman"].to_numpy(),
            _("Hoover coefficient (0-{high})").format(high=1): shown["hoover"].to_numpy(),
            _("Herfindahl (1/{n}-1)").format(n=n): shown["herfindahl"].to_numpy(),
            N_("entropy (bits)"): shown["entropy_bits"].to_numpy(),
        }
    )
    return out


def employees_table(comparison: Comparison) -> pd.DataFrame:
    """Thousands of employees by sector: the user region beside the report's areas at the same level."""
    shown = areas(comparison)
    out = _with_manufacturing(comparison.matrix.loc[shown].T.copy(), comparison, "employees_thousands")
    out.columns = [_("{area} (x1000)").format(area=area_name(comparison, a)) for a in shown]
    return _labelled(out, comparison)


def profile_table(comparison: Comparison) -> pd.DataFrame:
    """The user region's employees, share and location quotient per sector against its reference."""
    rid, ref = comparison.region.id, comparison.region.reference_id
    out = pd.DataFrame(
        {
            N_("employees (thousands)"): comparison.matrix.loc[rid],
            N_("share (%)"): comparison.shares.loc[rid],
            N_("reference share (%)"): comparison.shares.loc[ref],
            N_("location quotient"): comparison.lq.loc[rid],
        }
    )
    m = comparison.manufacturing
    if m is not None:
        out.loc[levels.MANUFACTURING] = [
            m.at[rid, "employees_thousands"],
            m.at[rid, "share_percent"],
            m.at[ref, "share_percent"],
            m.at[rid, "lq"],
        ]
    return _labelled(out, comparison)
