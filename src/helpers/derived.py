"""Quantities and tables derived from the report's datasets, for the chapters and the audit.

Each function reads through ``helpers.data`` (or takes what another function here returned) and returns a number or
a tidy DataFrame; the ``*_table`` and ``*_display`` functions shape one for readers (names for ids, units in the
headers). Nothing here is stored. Words that follow the data, in table cells too, come from ``helpers.narrative``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations

import numpy as np
import pandas as pd

from . import data, i18n, indices, narrative, regions, rounding, sharing, stats
from .i18n import N_, _
from .numbers import MISSING, decimals_of, fmt, general, pct, pvalue

DUTCH = list(regions.DUTCH_REGIONS)


# --- Tabel 1.1: employees by sector -----------------------------------------------------------------------------------


def employment() -> pd.DataFrame:
    """Tabel 1.1 as a regions x NACE sections matrix (thousand employees); a fresh copy each call."""
    return _employment_matrix(data.dataset_stamp("employees_by_sector")).copy()


@lru_cache(maxsize=4)
def _employment_matrix(stamp: tuple) -> pd.DataFrame:
    """The matrix for the dataset file ``stamp`` identifies (the audit asks for it dozens of times per chapter)."""
    return indices.employment_matrix(data.load("employees_by_sector"))


def sector_labels() -> pd.Series:
    """Label of each NACE section in the book's language (the report's Dutch words in the Dutch edition)."""
    frame = data.load("employees_by_sector").drop_duplicates("nace_section")
    return frame.set_index("nace_section")[i18n.column("sector")]


def sector_share(region: str, sections: str) -> float:
    """Share (percent) of the summed NACE sections ('C' or 'B+C+D') in a region's employees, Tabel 1.1."""
    shares = indices.sector_shares(employment())
    return float(sum(shares.loc[region, s] for s in sections.split("+")))


def tabel_1_1_table(mat: pd.DataFrame) -> pd.DataFrame:
    """Tabel 1.1 as the appendix prints it: one row per NACE section ('C Manufacturing'), one column of thousands
    of employees per area of ``mat`` (areas x sections, thousands), headed '<area> (x1000)'."""
    labels = sector_labels()
    shown = mat.T.copy()
    shown.columns = [_("{area} (x1000)").format(area=regions.name(a)) for a in mat.index]
    shown.insert(0, N_("sector"), [_("{code} {label}").format(code=s, label=labels[s]) for s in shown.index])
    return shown.reset_index(drop=True)


#: Upper bounds of the specialisation indices (disjoint profiles): Krugman sum_j |s_j - r_j| <= 2, Hoover half that.
KRUGMAN_MAX = 2
HOOVER_MAX = 1


def compared_areas(mat: pd.DataFrame, reference_rule: str) -> pd.DataFrame:
    """The rows location quotients are computed from: every area for ``"national"`` (each region against its
    country's row), the six study regions for ``"pooled"`` (against their sum)."""
    if reference_rule == "national":
        return mat
    if reference_rule == "pooled":
        return mat.loc[list(regions.STUDY_REGIONS)]
    raise ValueError(f"unknown reference rule {reference_rule!r}; valid: {', '.join(indices.REFERENCE_RULES)}")


def specialisation_indices(mat: pd.DataFrame, reference_rule: str) -> pd.DataFrame:
    """Per area: Krugman index and Hoover coefficient against the reference (``compared_areas``; NaN for the
    countries when pooled), Herfindahl concentration and Shannon entropy (bits) of its sector profile."""
    compared = compared_areas(mat, reference_rule)
    return pd.DataFrame(
        {
            "krugman": indices.krugman_specialisation(compared, reference_rule),
            "hoover": indices.specialisation_coefficient(compared, reference_rule),
            "herfindahl": indices.herfindahl(mat),
            "entropy_bits": indices.shannon_entropy(mat),
        }
    )


def structure_display(structure: pd.DataFrame, n_sectors: int) -> pd.DataFrame:
    """``specialisation_indices`` for readers: areas by name, each index's range in its header (Herfindahl from
    1/n to 1, entropy up to log2 n bits for ``n_sectors`` sectors)."""
    shown = structure.rename(index=regions.name).rename(
        columns={
            "krugman": _("Krugman index (0-{high})").format(high=KRUGMAN_MAX),
            "hoover": _("Hoover coefficient (0-{high})").format(high=HOOVER_MAX),
            "herfindahl": _("Herfindahl (1/{n}-1)").format(n=n_sectors),
            "entropy_bits": _("entropy (bits, max {bits})").format(bits=fmt(np.log2(n_sectors), 2)),
        }
    )
    shown.index.name = "area"
    return shown.reset_index()


# --- Tabel 1: occupational dynamics in four regions (chapter 2) -------------------------------------------------------


#: Each block of Tabel 1 as the chapter's tables and sentences name it.
TABEL1_BLOCK_NAMES = {
    "status_2014": N_("job or no job"),
    "occupation_2014": N_("occupation compared to 1984"),
    "level_2014": N_("level compared to 1984"),
}


def tabel1_wide() -> pd.DataFrame:
    """Tabel 1 as printed: the four Dutch regions (rows, the report's order) x measures (columns, the data's
    order), percent."""
    od = data.load("occupational_dynamics")
    measures = list(dict.fromkeys(od["measure"]))
    return od.pivot(index="region_id", columns="measure", values="share_percent").loc[DUTCH, measures]


def tabel1_blocks() -> dict[str, list[str]]:
    """The blocks of Tabel 1 (status, occupation and level in 2014) and the measures of each, in the data's order."""
    od = data.load("occupational_dynamics").drop_duplicates("measure")
    return {block: part["measure"].tolist() for block, part in od.groupby("block", sort=False)}


def tabel1_labels() -> pd.Series:
    """Each measure of Tabel 1 in words ('No job in 2014'; the report's own in Dutch), indexed by measure."""
    return data.load("occupational_dynamics").drop_duplicates("measure").set_index("measure")[i18n.column("label")]


def tabel1_table() -> pd.DataFrame:
    """Tabel 1 for the page: one row per region (its name first), one column per measure headed with its words and
    unit ('No job in 2014 (%)')."""
    wide, labels = tabel1_wide(), tabel1_labels()
    shown = wide.rename(columns=lambda m: "{label} (%)".format(label=labels[m]))
    shown.insert(0, "region", [regions.name(r) for r in shown.index])
    return shown.reset_index(drop=True)


def tabel1_long() -> pd.DataFrame:
    """Tabel 1 in long form for ``plots.grouped_panels``: block, measure_label (words), region_id, share_percent."""
    od = data.load("occupational_dynamics")
    return od.assign(measure_label=od["measure"].map(tabel1_labels()))


def tabel1_block_shares(block: str) -> pd.DataFrame:
    """One block of Tabel 1, regions x categories (percent): the no-job block as 'no_job' and its complement
    'job' (100 minus it, the cohort's other part), the occupation and level blocks as printed."""
    blocks = tabel1_blocks()
    if block not in blocks:
        raise ValueError(f"unknown block {block!r} of Tabel 1; valid: {', '.join(blocks)}")
    wide = tabel1_wide()
    if block == "status_2014":
        return pd.DataFrame({"no_job": wide["no_job"], "job": 100 - wide["no_job"]})
    return wide[blocks[block]]


def tabel1_block_sums() -> dict[str, pd.Series]:
    """Per block of those still working (occupation, level), each region's sum of the printed shares (percent)."""
    return {block: tabel1_block_shares(block).sum(axis=1) for block in tabel1_blocks() if block != "status_2014"}


def tabel1_block_sizes(sample_size: int) -> dict[str, int | dict[str, int]]:
    """Persons per region behind each block of Tabel 1 for an assumed cohort of ``sample_size`` per region.

    The no-job block is a share of the whole cohort; the occupation and level blocks are shares of those still
    working in 2014, so their base is n x (1 - no-job share), rounded (at least 1 person).
    """
    od = data.load("occupational_dynamics")
    no_job = od[od["measure"] == "no_job"].set_index("region_id")["share_percent"]
    working = {r: max(1, int(round(sample_size * (1 - no_job[r] / 100)))) for r in regions.DUTCH_REGIONS}
    return {"status_2014": int(sample_size), "occupation_2014": working, "level_2014": working}


def tabel1_readings_table(readings: pd.DataFrame) -> pd.DataFrame:
    """The report's readings of Tabel 1 (``audit.tabel_1_readings``) for the page: the audit's verdict, the reading,
    and what the table shows (the region at the extreme, or the regions tied there, with the printed share)."""
    return pd.DataFrame(
        {
            N_("verdict"): readings["verdict"],
            N_("the report's reading"): readings["statement"],
            N_("what Tabel 1 shows"): [
                narrative.extreme_shown(r, tied, v)
                for r, tied, v in zip(readings["table_region"], readings["tied_with"], readings["value"], strict=True)
            ],
        }
    )


@dataclass(frozen=True)
class BlockTest:
    """The tests of one block of Tabel 1 at an assumed cohort: the chi-square test of homogeneity, its range over
    the tables within rounding of the printed one, and the smallest n per region at which it is significant."""

    block: str  # id, such as 'status_2014'
    sizes: int | dict  # persons per region behind the block's shares
    statistic: float  # chi-square
    df: float
    p_value: float
    cramers_v: float
    bias_corrected_v: float
    p_low: float  # range of p over tables within half a point of every printed share
    p_high: float
    smallest_n: int | None  # persons per region at which p < alpha (None: never)
    smallest_n_low: int | None  # its range over the same tables
    smallest_n_high: int | None


def tabel1_block_tests(
    sample_size: int, alpha: float = 0.05, seed: int = 2016, n_draws: int = 200
) -> dict[str, BlockTest]:
    """Each block of Tabel 1 tested for homogeneity across the four regions, assuming ``sample_size`` persons of
    the cohort per region (those still working for the occupation and level blocks: ``tabel1_block_sizes``).

    Chi-square test of homogeneity on the counts the shares imply (``stats.homogeneity_test``), Cramér's V and its
    bias correction (Bergsma 2013), the range of p and of the smallest significant n over ``n_draws`` seeded
    tables within half a point of every printed share (``stats.rounding_range``), and the smallest n per region
    at which the printed shares become significant at ``alpha`` (``stats.smallest_significant_sample_size``).
    """
    sizes = tabel1_block_sizes(sample_size)
    tests = {}
    for block in tabel1_blocks():
        shares = tabel1_block_shares(block)
        result = stats.homogeneity_test(shares, sizes[block])
        ranged = stats.rounding_range(
            shares,
            sizes[block],
            alpha,
            n_draws=n_draws,
            seed=seed,
            complement="job" if block == "status_2014" else None,
        )
        tests[block] = BlockTest(
            block=block,
            sizes=sizes[block],
            statistic=result.statistic,
            df=result.df,
            p_value=result.p_value,
            cramers_v=result.effect_size,
            bias_corrected_v=result.assumptions["bias-corrected Cramér's V (Bergsma 2013)"],
            p_low=ranged["p_low"],
            p_high=ranged["p_high"],
            smallest_n=stats.smallest_significant_sample_size(shares, alpha),
            smallest_n_low=ranged["n_min_low"],
            smallest_n_high=ranged["n_min_high"],
        )
    return tests


def _no_job_figure_use(block: str) -> str:
    """Whether a block's test rests on Tabel 1's no-job figure, which the report warns is biased (footnote 16): the
    no-job block is that figure, the others take their persons per region from it."""
    return _("yes (footnote 16)") if block == "status_2014" else _("yes, for its n (footnote 16)")


def homogeneity_table(tests: dict[str, BlockTest]) -> pd.DataFrame:
    """The block tests as records (results.json's ``ch2_homogeneity``): numbers raw, persons per region as text."""
    return pd.DataFrame(
        [
            {
                N_("block"): _(TABEL1_BLOCK_NAMES[t.block]),
                N_("persons per region"): narrative.persons_per_region(t.sizes),
                N_("chi2"): t.statistic,
                N_("df"): t.df,
                "p_value": t.p_value,
                "cramers_v": t.cramers_v,
                "bias_corrected_v": t.bias_corrected_v,
                "p_low_rounding": t.p_low,
                "p_high_rounding": t.p_high,
                "smallest_n": t.smallest_n,
                "smallest_n_low_rounding": t.smallest_n_low,
                "smallest_n_high_rounding": t.smallest_n_high,
                N_("uses the no-job figure"): _no_job_figure_use(t.block),
            }
            for t in tests.values()
        ]
    )


def homogeneity_reader_table(tests: dict[str, BlockTest], alpha: float) -> pd.DataFrame:
    """The block tests for the page: one row per block, ranges and 'never' in words, units in the headers."""
    return pd.DataFrame(
        [
            {
                N_("block"): _(TABEL1_BLOCK_NAMES[t.block]),
                N_("persons per region"): narrative.persons_per_region(t.sizes),
                N_("chi² statistic"): t.statistic,
                N_("df"): t.df,
                N_("p-value"): t.p_value,
                N_("Cramér's V"): t.cramers_v,
                N_("V, bias-corrected"): t.bias_corrected_v,
                _("smallest n with p < {alpha}").format(alpha=general(alpha)): narrative.smallest_n(t.smallest_n),
                N_("p range from rounding"): narrative.p_range(t.p_low, t.p_high),
                N_("smallest n, range from rounding"): narrative.smallest_n_range(t.smallest_n_low, t.smallest_n_high),
                N_("uses the no-job figure"): _no_job_figure_use(t.block),
            }
            for t in tests.values()
        ]
    )


def tabel1_sensitivity(
    alpha: float = 0.05, smallest: int = 50, largest: int = 200_000, points: int = 40
) -> pd.DataFrame:
    """The p-value of each block's homogeneity test as the persons per region grow: ``points`` sizes spaced evenly
    on a log scale from ``smallest`` to ``largest`` (whole persons, rounded down; repeats dropped). Columns
    sample_size, p_value, significant, block (its words)."""
    sizes = np.unique(np.geomspace(smallest, largest, points).astype(int))
    return pd.concat(
        [
            stats.sample_size_sensitivity(tabel1_block_shares(block), sizes, alpha).assign(
                block=_(TABEL1_BLOCK_NAMES[block])
            )
            for block in tabel1_blocks()
        ]
    )


def tabel1_reading_tests(readings: pd.DataFrame, sample_size: int, alpha: float = 0.05) -> pd.DataFrame:
    """The test behind each of the report's readings of Tabel 1 (``audit.tabel_1_readings``): 'region X has the
    highest (lowest) share' as z-tests of X against each other region, Holm-corrected over the comparisons
    (``stats.extreme_region_test``), at the persons per region the block's shares refer to; and the smallest equal
    n per region at which it is significant (``stats.smallest_n_for_extreme``; None when the table does not show
    X at the extreme). Shares of several measures (occupational loyalty) are summed; each block is rescaled to 100.

    Columns: statement, region_id, block, direction, agrees, comparisons, p_value, smallest_n.
    """
    sizes = tabel1_block_sizes(sample_size)
    rows = []
    for reading in readings.to_dict("records"):
        part = tabel1_block_shares(reading["block"])
        shares = part[reading["measures"]].sum(axis=1) / part.sum(axis=1) * 100
        test = stats.extreme_region_test(
            shares, reading["region_id"], reading["direction"], sizes[reading["block"]], alpha
        )
        rows.append(
            {
                "statement": reading["statement"],
                "region_id": reading["region_id"],
                "block": reading["block"],
                "direction": reading["direction"],
                "agrees": reading["agrees"],
                "comparisons": test.assumptions["comparisons"],
                "p_value": test.p_value,
                "smallest_n": stats.smallest_n_for_extreme(shares, reading["region_id"], reading["direction"], alpha),
            }
        )
    tests = pd.DataFrame(rows)
    tests["smallest_n"] = pd.Series([row["smallest_n"] for row in rows], dtype=object)  # counts, None: never
    return tests


def reading_tests_table(tests: pd.DataFrame, sample_size: int) -> pd.DataFrame:
    """The reading tests (``tabel1_reading_tests``) for the page and results.json's ``ch2_reading_tests``."""
    sizes = tabel1_block_sizes(sample_size)
    return pd.DataFrame(
        {
            N_("the report's reading"): tests["statement"],
            N_("test behind it"): [
                narrative.reading_test_described(r, m, _(TABEL1_BLOCK_NAMES[b]))
                for r, m, b in zip(tests["region_id"], tests["comparisons"], tests["block"], strict=True)
            ],
            N_("persons per region assumed"): [narrative.persons_per_region(sizes[b]) for b in tests["block"]],
            N_("p at the assumed n"): [pvalue(p, prefix=False) for p in tests["p_value"]],
            N_("smallest n per region for p < alpha"): [
                narrative.smallest_n(n) if agrees else _("never (Tabel 1 does not show it)")
                for n, agrees in zip(tests["smallest_n"], tests["agrees"], strict=True)
            ],
            N_("uses the no-job figure"): [
                _("yes (footnote 16)") if b == "status_2014" else _("for its n (footnote 16)") for b in tests["block"]
            ],
        }
    )


def differing_from(pairs: pd.DataFrame, region: str) -> list[str]:
    """The regions whose share differs significantly from ``region``'s in pairwise tests
    (``stats.pairwise_proportions``: columns region_a, region_b, reject), in the order of the pairs."""
    mine = pairs[(pairs["region_a"] == region) | (pairs["region_b"] == region)]
    return [
        b if a == region else a
        for a, b, reject in zip(mine["region_a"], mine["region_b"], mine["reject"], strict=True)
        if reject
    ]


def pairwise_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairwise two-proportion tests (``stats.pairwise_proportions``) for the page: the pair by name, shares and
    difference in percent and points, z, raw and Holm-corrected p, and whether the pair differs significantly."""
    return pd.DataFrame(
        {
            N_("pair"): [
                "{a} – {b}".format(a=regions.name(a), b=regions.name(b))
                for a, b in zip(pairs["region_a"], pairs["region_b"], strict=True)
            ],
            N_("share A (%)"): pairs["share_a"],
            N_("share B (%)"): pairs["share_b"],
            N_("difference (points)"): pairs["difference"],
            N_("z"): pairs["z"],
            N_("p"): pairs["p_value"],
            N_("p (Holm)"): pairs["p_adjusted"],
            N_("significant"): pairs["reject"],
        }
    )


# --- Tabel 1.2: establishments under ultimate foreign control ---------------------------------------------------------


def foreign_control_series() -> pd.DataFrame:
    """Tabel 1.2 as areas x years (2010-2013), floats, only rows with a year; NaN where the report has none."""
    frame = data.load("foreign_controlled_establishments").dropna(subset=["year"])
    wide = frame.pivot(index="region_id", columns="year", values="establishments").astype("Float64")
    return pd.DataFrame(
        wide.to_numpy(dtype=float, na_value=np.nan), index=wide.index, columns=[int(c) for c in wide.columns]
    )


#: Tabel 1.2's areas in the order the book lists them: the six study regions, then the two countries.
FOREIGN_CONTROL_AREAS = (*regions.STUDY_REGIONS, *regions.REFERENCE_AREAS)
#: The header of a year's column of Tabel 1.2 for readers.
ESTABLISHMENTS_HEADER = N_("{year} (establishments)")


def foreign_control_table() -> pd.DataFrame:
    """Tabel 1.2 for readers: one row per area that has a row in the series (names, in the book's order), one
    column per year, counts of establishments (NaN where the report has no value)."""
    series = foreign_control_series()
    shown = series.loc[[a for a in FOREIGN_CONTROL_AREAS if a in series.index]]
    out = pd.DataFrame({N_("area"): [regions.name(a) for a in shown.index]})
    for year in shown.columns:
        out[_(ESTABLISHMENTS_HEADER).format(year=year)] = shown[year].to_numpy()
    return out


def tabel_1_2_table(areas: Sequence[str]) -> pd.DataFrame:
    """Tabel 1.2 as the appendix prints it: per area (named) the establishments under ultimate foreign control in
    each year (counts as text, '–' where the report has none) and the report's note on the area."""
    raw = i18n.data_texts(data.load("foreign_controlled_establishments"), "foreign_controlled_establishments")
    shown = foreign_control_series().reindex(list(areas))
    out = pd.DataFrame({N_("area"): [regions.name(a) for a in areas]})
    for year in shown.columns:
        out[_(ESTABLISHMENTS_HEADER).format(year=year)] = [fmt(v, 0) for v in shown[year]]
    notes = raw.dropna(subset=["note"]).drop_duplicates("region_id").set_index("region_id")["note"]
    out["note"] = [notes.get(a, "") for a in areas]
    return out


def foreign_control_undated() -> pd.Series:
    """Tabel 1.2's values that the report's layout places in no year (count of establishments), by area."""
    frame = data.load("foreign_controlled_establishments")
    undated = frame[frame["year"].isna() & frame["establishments"].notna()]
    return pd.Series(undated["establishments"].astype(float).to_numpy(), index=undated["region_id"].to_numpy())


def foreign_control_growth() -> pd.Series:
    """Growth of foreign-controlled establishments from Tabel 1.2's first year to its last (percent), per area
    that has both values: (last / first - 1) x 100."""
    series = foreign_control_series()
    first, last = series.columns.min(), series.columns.max()
    return ((series[last] / series[first] - 1) * 100).dropna()


def foreign_control_index() -> pd.DataFrame:
    """Tabel 1.2 indexed to its first year = 100 for every area with a value in each year (book order), areas x
    years: count / count in the first year x 100."""
    series = foreign_control_series()
    full = [a for a in FOREIGN_CONTROL_AREAS if a in series.index and series.loc[a].notna().all()]
    shown = series.loc[full]
    return shown.div(shown[shown.columns.min()], axis=0) * 100


def foreign_control_relative(areas: Sequence[str]) -> pd.DataFrame:
    """Tabel 1.2 in relative form, one row per area of ``areas`` with a full series and year: the area's name, the
    year, its index (2010 = 100, ``foreign_control_index``) and its share of its country's count (percent; NaN for
    a country itself)."""
    series, index = foreign_control_series(), foreign_control_index()
    rows = []
    for area in areas:
        if area not in index.index:
            continue
        reference = regions.reference_of(area)
        for year in series.columns:
            share = series.loc[area, year] / series.loc[reference, year] * 100 if reference != area else np.nan
            rows.append(
                {
                    "area": regions.name(area),
                    "year": year,
                    "index (2010 = 100)": float(index.loc[area, year]),
                    "share of national count (%)": share,
                }
            )
    return pd.DataFrame(rows)


def share_of_national_table(relative: pd.DataFrame) -> pd.DataFrame:
    """``foreign_control_relative``'s shares of the national count as areas x years ('2010 (% of national)'), only the
    areas with a share in every year (the regions of a country with a series)."""
    wide = relative.pivot(index="area", columns="year", values="share of national count (%)").dropna()
    wide.columns = [_("{year} (% of national)").format(year=year) for year in wide.columns]
    return wide.reset_index()


def foreign_control_trends(alpha: float = 0.05) -> pd.DataFrame:
    """Per area with a full series: growth index 2013 (2010 = 100), CAGR, log-linear trend with CI, and the
    interaction test against the rest of the area's country (the country's series minus the region's; regions only)."""
    series = foreign_control_series()
    rows = []
    for area, values in series.iterrows():
        values = values.astype(float)
        if values.isna().any():
            continue
        trend = stats.log_linear_trend(values, alpha=alpha, label=area)
        row = {
            "region_id": area,
            "index_2013": float(indices.growth_index(values)[2013]),
            "cagr_percent": indices.cagr(values[2010], values[2013], 3),
            "trend_percent": trend["growth_percent"],
            "trend_ci_low": trend["ci_low"],
            "trend_ci_high": trend["ci_high"],
            "trend_p": trend["p_value"],
        }
        reference = regions.reference_of(area)
        if reference != area and reference in series.index and not series.loc[reference].isna().any():
            # against the rest of the country: a national series that contains the region is no independent reference
            diff = stats.trend_against_rest(values, series.loc[reference].astype(float), alpha=alpha, label=area)
            row.update(
                {
                    "reference": reference,
                    "difference_pp": diff.effect_size,
                    "difference_p": diff.p_value,
                    "difference_ci_low": diff.ci_low,
                    "difference_ci_high": diff.ci_high,
                }
            )
        rows.append(row)
    return pd.DataFrame(rows)


def foreign_control_trends_against_rest(alpha: float = 0.05) -> pd.DataFrame:
    """``foreign_control_trends`` indexed by area, its ``reference`` naming what a region is compared with: the
    rest of its country ('nl minus twente'); NaN for the countries themselves."""
    trends = foreign_control_trends(alpha).set_index("region_id")
    trends["reference"] = trends["reference"] + " minus " + trends.index.to_series()
    return trends


def foreign_control_trend_table(trends: pd.DataFrame) -> pd.DataFrame:
    """The trends of ``foreign_control_trends_against_rest`` for readers: one row per area (names, book order),
    the growth measures in percent a year, the difference from the rest of the country with its interval and p."""
    series = foreign_control_series()
    first, last = int(series.columns.min()), int(series.columns.max())
    shown = trends.loc[[a for a in FOREIGN_CONTROL_AREAS if a in trends.index]]
    return pd.DataFrame(
        {
            N_("area"): [regions.name(a) for a in shown.index],
            _("index {last} ({first} = 100)").format(first=first, last=last): shown["index_2013"].to_numpy(),
            _("CAGR {first}-{last} (%/year)").format(first=first, last=last): shown["cagr_percent"].to_numpy(),
            N_("log-linear trend (%/year)"): shown["trend_percent"].to_numpy(),
            N_("trend CI low (%)"): shown["trend_ci_low"].to_numpy(),
            N_("trend CI high (%)"): shown["trend_ci_high"].to_numpy(),
            N_("growth relative to the rest of the country (%/year)"): shown["difference_pp"].to_numpy(),
            N_("relative growth, interval low (%)"): shown["difference_ci_low"].to_numpy(),
            N_("relative growth, interval high (%)"): shown["difference_ci_high"].to_numpy(),
            N_("p (difference)"): shown["difference_p"].to_numpy(),
        }
    )


# --- Tabel 2 and Tabel 4: key figures ---------------------------------------------------------------------------------


def key_figure(region: str, indicator: str) -> float | None:
    """A value of Tabel 2 or Tabel 4, or None when the table has none for the region."""
    frame = data.load("key_figures")
    row = frame[(frame["region_id"] == region) & (frame["indicator"] == indicator)]
    return None if row.empty else float(row["value"].iloc[0])


def key_figure_period(region: str, indicator: str) -> str | None:
    """The reference period Tabel 2 or Tabel 4 gives for a value ('2015', '2006-2015'), or None."""
    frame = data.load("key_figures")
    row = frame[(frame["region_id"] == region) & (frame["indicator"] == indicator)]
    return None if row.empty else str(row["period"].iloc[0])


def key_figure_table(source_table: str, region_ids) -> pd.DataFrame:
    """Tabel 2 or Tabel 4 as indicators (in the table's order) x regions (``region_ids``, in that order)."""
    rows = _key_figure_rows(source_table)
    order = list(dict.fromkeys(rows["indicator"]))
    return rows.pivot(index="indicator", columns="region_id", values="value").loc[order, list(region_ids)]


def key_figure_meta(source_table: str) -> pd.DataFrame:
    """Label (English), unit, period and note of each indicator of Tabel 2 or Tabel 4, indexed by indicator."""
    return _key_figure_rows(source_table).drop_duplicates("indicator").set_index("indicator")


def _key_figure_rows(source_table: str) -> pd.DataFrame:
    frame = data.load("key_figures")
    rows = frame[frame["source_table"] == source_table]
    if rows.empty:
        valid = ", ".join(dict.fromkeys(frame["source_table"]))
        raise ValueError(f"no key figures from {source_table!r}; valid: {valid}")
    return rows


def key_figure_display(wide: pd.DataFrame, meta: pd.DataFrame, notes: bool = False) -> pd.DataFrame:
    """A key-figure table for readers: indicator (words), unit with its period, the table's note (``notes``), then
    one column per region named by the region's name."""
    shown = wide.copy()
    shown.columns = [regions.name(r) for r in wide.columns]
    meta = i18n.data_texts(meta.loc[wide.index], "key_figures")
    if notes:
        shown.insert(0, "note", meta["note"].fillna(""))
    shown.insert(0, "unit", meta["unit"].map(narrative.unit_word) + " (" + meta["period"] + ")")
    shown.insert(0, "indicator", meta[i18n.column("label")])
    return shown.reset_index(drop=True)


def profile_z_scores(wide: pd.DataFrame) -> pd.DataFrame:
    """Each indicator (row) standardised across the regions (columns): (x - mean) / population standard deviation
    (ddof 0); NaN for an indicator on which every region has the same value."""
    return wide.sub(wide.mean(axis=1), axis=0).div(wide.std(axis=1, ddof=0).replace(0, np.nan), axis=0)


def printed_values(wide: pd.DataFrame) -> np.ndarray:
    """The values of a key-figure table as the report prints them: each row with the most decimals any of its
    values has (Tabel 2's '1.4' and '-1' share one decimal), in the book's number format."""
    decimals = wide.apply(lambda row: max(decimals_of(v) for v in row.dropna()), axis=1)
    return np.array([[fmt(v, decimals[i]) for v in row] for i, row in wide.iterrows()])


def profile_extremes(z: pd.DataFrame, wide: pd.DataFrame, meta: pd.DataFrame, region: str) -> pd.DataFrame | None:
    """The indicators a region stands highest and lowest on by z-score (rows 'high', 'low'; columns label, value,
    unit, z), or None when the table does not hold the region."""
    if region not in z.columns:
        return None
    ranked = z[region].dropna().sort_values()
    picked = [ranked.index[-1], ranked.index[0]]
    return pd.DataFrame(
        {
            "indicator": picked,
            "label": meta.loc[picked, i18n.column("label")].to_numpy(),
            "value": wide.loc[picked, region].astype(float).to_numpy(),
            "unit": meta.loc[picked, "unit"].to_numpy(),
            "z": ranked[picked].to_numpy(),
        },
        index=["high", "low"],
    )


def copied_key_figures(indicators, pairs) -> pd.DataFrame:
    """Key figures of one region equal to another's (Tabel 4 copying Tabel 2): for each indicator and each
    (region, source_region) pair with equal values, a row region, source_region, indicator, value."""
    pairs = list(pairs)
    rows = [
        {"region": a, "source_region": b, "indicator": ind, "value": key_figure(a, ind)}
        for ind in indicators
        for a, b in pairs
        if key_figure(a, ind) == key_figure(b, ind)
    ]
    return pd.DataFrame(rows, columns=["region", "source_region", "indicator", "value"])


def manufacturing_differences(min_points: float = 1.0) -> dict[str, dict[str, float]]:
    """Dutch regions whose manufacturing share of employment in Tabel 2 differs by at least ``min_points``
    percentage points from section C's share of employees in Tabel 1.1: region id -> {"tabel_2": percent,
    "tabel_1_1": percent}, in the report's order of the regions."""
    shares = indices.sector_shares(employment())["C"]
    out = {}
    for region in regions.DUTCH_REGIONS:
        tabel_2 = key_figure(region, "industry_share_employment")
        if tabel_2 is not None and abs(tabel_2 - shares[region]) >= min_points:
            out[region] = {"tabel_2": tabel_2, "tabel_1_1": float(shares[region])}
    return out


# --- Tabel 3 and Tabel 5: the ten largest employers of each region ----------------------------------------------------


def employer_counts() -> pd.DataFrame:
    """Per region, counted from the firm rows of Tabel 3/5: head offices in the region, elsewhere in the
    country, abroad; industrial firms (and firms not coded); R&D top-60 firms in the list."""
    firms = data.load("largest_employers")
    grouped = firms.groupby("region_id", sort=False)
    out = pd.DataFrame(
        {
            "hq_in_region": grouped["hq_scope"].apply(lambda s: int((s == "in_region").sum())),
            "hq_national_outside_region": grouped["hq_scope"].apply(
                lambda s: int((s == "national_outside_region").sum())
            ),
            "hq_outside_country": grouped["hq_scope"].apply(lambda s: int((s == "abroad").sum())),
            "industrial_count": grouped["industrial"].apply(lambda s: int(s.fillna(False).sum())),
            "industrial_uncoded": grouped["industrial"].apply(lambda s: int(s.isna().sum())),
            "rd_top60_in_table": grouped["rd_top60_rank"].apply(lambda s: int(s.notna().sum())),
        }
    )
    out["hq_outside_region"] = out["hq_national_outside_region"] + out["hq_outside_country"]
    return out


def industrial_count_reconciliation(stated_counts, region_ids) -> pd.DataFrame:
    """Match counts the report states without naming the regions (e.g. '4, 6 of 7') to the regions' coded counts.

    Each region can hold any whole number of industrial firms between its coded count (``industrial`` true) and
    that count plus its firms left uncoded; every assignment of the stated counts to the regions is tried and the
    one with the smallest total absolute difference kept (ties: the first in the order of ``region_ids``).
    Returns one row per region: coded, uncoded, low, high, stated (the count assigned), difference (0 when the
    stated count lies within low-high, else the distance to the nearer end, in firms).
    """
    counts = employer_counts().loc[list(region_ids)]
    low = counts["industrial_count"].astype(int)
    high = low + counts["industrial_uncoded"].astype(int)

    def distance(value, lo, hi):
        return 0 if lo <= value <= hi else (lo - value if value < lo else value - hi)

    best = None
    for order in permutations([int(v) for v in stated_counts]):
        total = sum(distance(v, low[r], high[r]) for v, r in zip(order, region_ids, strict=False))
        if best is None or total < best[0]:
            best = (total, order)
    assigned = dict(zip(region_ids, best[1], strict=False))
    return pd.DataFrame(
        {
            "region_id": list(region_ids),
            "coded": [int(low[r]) for r in region_ids],
            "uncoded": [int(counts.loc[r, "industrial_uncoded"]) for r in region_ids],
            "low": [int(low[r]) for r in region_ids],
            "high": [int(high[r]) for r in region_ids],
            "stated": [assigned[r] for r in region_ids],
            "difference": [distance(assigned[r], low[r], high[r]) for r in region_ids],
        }
    )


def hq_comparison() -> pd.DataFrame:
    """Head-office counts recomputed from the firm rows beside the counts printed under Tabel 3 and 5."""
    counts = employer_counts()
    stated = data.load("employer_hq_counts_stated").set_index("region_id")
    out = pd.DataFrame(
        {
            "outside_region_recomputed": counts["hq_outside_region"],
            "outside_region_stated": stated["hq_outside_region"],
            "abroad_recomputed": counts["hq_outside_country"],
            "abroad_stated": stated["hq_outside_country"],
        }
    ).reindex(list(regions.STUDY_REGIONS))
    out["outside_region_agrees"] = out["outside_region_recomputed"].eq(out["outside_region_stated"]).astype("boolean")
    out.loc[out["outside_region_stated"].isna(), "outside_region_agrees"] = pd.NA
    out["abroad_agrees"] = out["abroad_recomputed"].eq(out["abroad_stated"]).astype("boolean")
    return out


def hq_counts_long(hq: pd.DataFrame) -> pd.DataFrame:
    """``hq_comparison`` rows as two rows per region (head offices outside the region, abroad): region_id,
    region (name), measure (words, in the current language), recomputed (counted from the firm rows) and stated
    (printed under the table)."""
    measures = {N_("outside the region"): "outside_region", N_("abroad"): "abroad"}
    rows = [
        {
            "region_id": r,
            "region": regions.name(r),
            "measure": _(words),
            "recomputed": hq.loc[r, f"{column}_recomputed"],
            "stated": hq.loc[r, f"{column}_stated"],
        }
        for r in hq.index
        for words, column in measures.items()
    ]
    return pd.DataFrame(rows)


#: Where a largest employer's head office is (``largest_employers.hq_scope``), in words, per table.
HQ_SCOPE_WORDS = {
    "Tabel 3": {
        "in_region": N_("in the region"),
        "national_outside_region": N_("elsewhere in the Netherlands"),
        "abroad": N_("abroad"),
    },
    "Tabel 5": {
        "in_region": N_("in the region"),
        "national_outside_region": N_("elsewhere in Germany"),
        "abroad": N_("abroad"),
    },
}


def largest_employers_table(source_table: str, coding: bool = False) -> pd.DataFrame:
    """Tabel 3 or Tabel 5 for readers: region, rank, firm, the table's annotation and where the head office is
    (this edition's coding, ``HQ_SCOPE_WORDS``); with ``coding``, the rest of this edition's coding of the
    annotation too: the year the firm was taken over, its R&D top-60 rank ('#n') and whether it is industrial (yes,
    no, not coded), '–' where the annotation gives none."""
    if source_table not in HQ_SCOPE_WORDS:
        raise ValueError(f"no employers' table {source_table!r}; valid: {', '.join(HQ_SCOPE_WORDS)}")
    firms = data.load("largest_employers")
    rows = firms[firms["source_table"] == source_table]
    shown = pd.DataFrame(
        {
            N_("region"): rows["region_id"].map(regions.name),
            N_("rank"): rows["rank"],
            N_("firm"): rows["firm"],
            N_("the table's annotation"): rows["annotation_in_report"],
            N_("head office"): rows["hq_scope"].map(HQ_SCOPE_WORDS[source_table]).map(_, na_action="ignore"),
        }
    )
    if coding:
        shown[N_("taken over")] = rows["takeover_year"].map(lambda v: MISSING if pd.isna(v) else str(int(v)))
        shown[N_("R&D top-60 rank")] = rows["rd_top60_rank"].map(lambda v: MISSING if pd.isna(v) else f"#{int(v)}")
        shown[N_("industrial")] = rows["industrial"].map(
            lambda v: _("not coded") if pd.isna(v) else (_("yes") if v else _("no"))
        )
    return shown.reset_index(drop=True)


def rd_top60_firms(source_table: str = "Tabel 3") -> pd.DataFrame:
    """The firms of ``source_table`` in the national R&D top 60: region_id, firm, rd_top60_rank, best rank first."""
    firms = data.load("largest_employers")
    listed = firms[firms["source_table"] == source_table].dropna(subset=["rd_top60_rank"])
    return listed.sort_values("rd_top60_rank")[["region_id", "firm", "rd_top60_rank"]]


# --- the regions' organisations and innovation types (chapters 3 and 4) -----------------------------------------------


def organisations_table() -> pd.DataFrame:
    """The organisations the report names, for readers: region, name, kind (words), whether the kind is stated or
    interpreted, mbo/hbo, founding year and sizes ('–' where the report gives none), note."""
    from .content import kind_word  # content draws with plots, which derived need not load

    orgs = i18n.data_texts(data.load("organisations"), "organisations")
    whole = {
        c: orgs[c].map(lambda v: MISSING if pd.isna(v) else str(int(v)))
        for c in ("founded", "member_firms", "students", "board_members")
    }
    return pd.DataFrame(
        {
            N_("region"): orgs["region_id"].map(regions.name),
            N_("name"): orgs["name"],
            N_("kind"): orgs["kind"].map(kind_word),
            N_("kind is"): orgs["kind_basis"],
            N_("mbo/hbo"): orgs["education_level"].fillna(MISSING),
            N_("founded"): whole["founded"],
            N_("member firms"): whole["member_firms"],
            N_("students"): whole["students"],
            N_("board members"): whole["board_members"],
            N_("note"): orgs["note"],
        }
    )


def dated_organisations() -> pd.DataFrame:
    """The organisations the report gives a founding year for: region_id, region (name), name, kind (words),
    founded (year)."""
    from .content import kind_word  # content draws with plots, which derived need not load

    orgs = i18n.data_texts(data.load("organisations"), "organisations").dropna(subset=["founded"])
    return pd.DataFrame(
        {
            "region_id": orgs["region_id"],
            "region": orgs["region_id"].map(regions.name),
            "name": orgs["name"],
            "kind": orgs["kind"].map(kind_word),
            "founded": orgs["founded"],
        }
    ).reset_index(drop=True)


def pavitt_display(pavitt: pd.DataFrame) -> pd.DataFrame:
    """``pavitt_types`` for readers: region, type, whether the report states it, its words, the chapter."""
    shown = i18n.data_texts(pavitt, "pavitt_types").assign(region=pavitt["region_id"].map(regions.name))
    return shown[["region", "label_en", "basis", "evidence_nl", "section"]].rename(
        columns={
            "label_en": N_("Pavitt type"),
            "basis": N_("stated or interpreted"),
            "evidence_nl": N_("the report's words"),
            "section": N_("chapter"),
        }
    )


# --- claims: the report's stated figures, checked against its own tables ----------------------------------------------


def _printed(name: str, keys: list[str], column: str) -> pd.Series:
    """A dataset's numeric column as printed (text), indexed by ``keys``."""
    return data.load_printed(name).set_index(keys)[column]


def sector_share_bounds(region: str, sections: str) -> rounding.Bounds:
    """The interval of a sector share (percent, Tabel 1.1) that the printed cells allow: each cell stands for
    half a unit of its last printed digit either side ('9' for +-0.5, '9,2' for +-0.05), in the part and in the
    rest of the region's total alike (``rounding.share``)."""
    cells = _printed("employees_by_sector", ["region_id", "nace_section"], "employees_thousands").loc[region]
    wanted = sections.split("+")
    part = rounding.total(rounding.printed_text(cells[s]) for s in wanted)
    rest = rounding.total(rounding.printed_text(v) for s, v in cells.items() if s not in wanted)
    return rounding.share(part, rest)


def key_figure_bounds(region: str, indicator: str) -> rounding.Bounds | None:
    """The interval a value of Tabel 2 or Tabel 4 stands for at its printed precision, or None when absent."""
    printed = _printed("key_figures", ["region_id", "indicator"], "value")
    if (region, indicator) not in printed.index or pd.isna(printed[(region, indicator)]):
        return None
    return rounding.printed_text(printed[(region, indicator)])


def printed_count(region: str, column: str) -> float | None:
    """A count printed under Tabel 3 or Tabel 5 ('HQ buiten de regio', 'Waarvan buiten NL/DE') or one that follows
    from them and the number of firms the table lists: ``hq_outside_region``, ``hq_outside_country``,
    ``hq_national_outside_region`` (the first minus the second) or ``hq_in_region`` (the firms listed minus the
    first). None when the cell it needs is empty in the report."""
    stated = data.load("employer_hq_counts_stated").set_index("region_id").loc[region]
    listed = int((data.load("largest_employers")["region_id"] == region).sum())
    outside, abroad = stated["hq_outside_region"], stated["hq_outside_country"]
    values = {
        "hq_outside_region": outside,
        "hq_outside_country": abroad,
        "hq_national_outside_region": None if pd.isna(outside) or pd.isna(abroad) else outside - abroad,
        "hq_in_region": None if pd.isna(outside) else listed - outside,
    }
    if column not in values:
        raise ValueError(f"unknown printed count {column!r}; valid: {', '.join(values)}")
    value = values[column]
    return None if value is None or pd.isna(value) else float(value)


def recompute(rule: str, region: str | None) -> float | None:
    """Recompute a claim from the report's tables by its ``recompute`` or ``quotes`` rule (see data/README.md)."""
    found = recompute_bounds(rule, region)
    return None if found is None else found[0]


def recompute_bounds(rule: str, region: str | None) -> tuple[float, rounding.Bounds] | None:
    """A rule's value from the printed tables and the interval their rounding allows; None when the tables have
    no value. Counts of firm rows are exact, except the industrial firms, which range over the firms this book
    leaves uncoded (``industrial_count``: from the coded count to that count plus the uncoded firms)."""
    if not isinstance(rule, str) or not rule:
        return None
    kind, _sep, arg = rule.partition(":")
    if region is None or (isinstance(region, float) and np.isnan(region)):
        return None
    if kind == "sector_share":
        return sector_share(region, arg), sector_share_bounds(region, arg)
    if kind == "sector_share_ratio":
        others = [r for r in DUTCH if r != region]
        top = max(others, key=lambda r: sector_share(r, arg))
        widest = rounding.Bounds(
            max(sector_share_bounds(r, arg).lo for r in others), max(sector_share_bounds(r, arg).hi for r in others)
        )
        return (
            sector_share(region, arg) / sector_share(top, arg),
            rounding.ratio(sector_share_bounds(region, arg), widest),
        )
    if kind == "key_figure":
        value = key_figure(region, arg)
        return None if value is None else (value, key_figure_bounds(region, arg))
    if kind == "printed_count":
        value = printed_count(region, arg)
        return None if value is None else (value, rounding.exact(value))
    counts = employer_counts()
    if kind == "industrial_count":
        coded = float(counts.loc[region, kind])
        return coded, rounding.Bounds(coded, coded + float(counts.loc[region, "industrial_uncoded"]))
    if kind in counts.columns:
        value = float(counts.loc[region, kind])
        return value, rounding.exact(value)
    raise ValueError(f"unknown recompute rule {rule!r}")


#: What each count of the firm rows (employer_counts' columns) is, in words.
COUNT_WORDS = {
    "hq_in_region": N_("the head offices in the region, counted from the firm rows of Tabel 3/5"),
    "hq_national_outside_region": N_(
        "the head offices elsewhere in the country, counted from the firm rows of Tabel 3/5"
    ),
    "hq_outside_country": N_("the head offices abroad, counted from the firm rows of Tabel 3/5"),
    "hq_outside_region": N_("the head offices outside the region, counted from the firm rows of Tabel 3/5"),
    "industrial_count": N_("the industrial firms among the ten largest employers of Tabel 3/5"),
    "industrial_uncoded": N_("the firms of Tabel 3/5 not coded as industrial or not"),
    "rd_top60_in_table": N_("the firms of Tabel 3/5 that are in the R&D top 60"),
}
#: What each count printed under Tabel 3/5 (``printed_count:<column>``) is, in words.
PRINTED_COUNT_WORDS = {
    "hq_in_region": N_("the firms listed minus the count 'HQ buiten de regio' printed under Tabel 3/5"),
    "hq_outside_region": N_("the count 'HQ buiten de regio' printed under Tabel 3/5"),
    "hq_outside_country": N_("the count 'Waarvan buiten NL/DE' printed under Tabel 3/5"),
    "hq_national_outside_region": N_("'HQ buiten de regio' minus 'Waarvan buiten NL/DE', printed under Tabel 3/5"),
}


def _letters_in_words(codes: str) -> str:
    """'B+D+E' -> 'B, D and E' (in the reader's language)."""
    return narrative.listing(codes.split("+"))


def _sections_in_words(codes: str) -> str:
    """'C' -> 'section C (Manufacturing)'; 'B+C+D' -> 'sections B, C and D together' (in the reader's language)."""
    letters = codes.split("+")
    if len(letters) == 1:
        return _("section {letter} ({label})").format(
            letter=letters[0], label=sector_labels().get(letters[0], letters[0])
        )
    return _("sections {letters} together").format(letters=_letters_in_words(codes))


def rule_in_words(rule: str, region: str | None = None) -> str:
    """A ``recompute`` or ``quotes`` rule as a reader reads it, in the reader's language ('sector_share:C' -> "the
    share of section C (Manufacturing) in the region's employees in Tabel 1.1"); alternatives ('B+D|B+D+E') are
    joined with 'or'. With ``region``, a key figure names the one table that holds the region's value (Tabel 2 or
    Tabel 4)."""
    if not isinstance(rule, str) or not rule:
        return ""
    first, *others = rule.split("|")
    kind, _sep, arg = first.partition(":")
    if others and kind == "sector_share":
        groupings = [arg, *(r.partition(":")[2] if ":" in r else r for r in others)]
        return _(
            "the share of {sections} (or of sections {alternatives}) in the region's employees in Tabel 1.1"
        ).format(
            sections=_sections_in_words(groupings[0]),
            alternatives=_(" or ").join(_letters_in_words(g) for g in groupings[1:]),
        )
    if others:
        return _(" or ").join(rule_in_words(r if ":" in r else f"{kind}:{r}") for r in [first, *others])
    if kind == "sector_share":
        return _("the share of {sections} in the region's employees in Tabel 1.1").format(
            sections=_sections_in_words(arg)
        )
    if kind == "sector_share_ratio":
        return _(
            "the share of {sections} in the region's employees over the largest such share of the other Dutch "
            "regions, Tabel 1.1"
        ).format(sections=_sections_in_words(arg))
    if kind == "key_figure":
        rows = data.load("key_figures").query("indicator == @arg")
        if isinstance(region, str) and (rows["region_id"] == region).any():
            rows = rows[rows["region_id"] == region]
        label = rows[i18n.column("label")].iloc[0] if len(rows) else arg.replace("_", " ")
        numbers = [t.split()[-1] for t in sorted(rows["source_table"].unique())] or ["2", "4"]
        return _("the key figure ‘{label}’ of Tabel {tables}").format(label=label, tables="/".join(numbers))
    if kind == "printed_count" and arg in PRINTED_COUNT_WORDS:
        return _(PRINTED_COUNT_WORDS[arg])
    if kind in COUNT_WORDS:
        return _(COUNT_WORDS[kind])
    raise ValueError(
        f"unknown recompute rule {rule!r}; valid kinds: sector_share, sector_share_ratio, key_figure, "
        f"printed_count, {', '.join(COUNT_WORDS)}"
    )


def compare(stated: float, stated_bounds: rounding.Bounds, rule: str, region: str | None):
    """Check a stated value against one rule with the audit's rounding rule (``rounding.verdict``).

    Returns (value, bounds, verdict, difference): value and bounds None and verdict 'not recomputable' when the
    tables hold no value for the rule.
    """
    found = recompute_bounds(rule, region)
    if found is None:
        return None, None, "not recomputable", None
    value, bounds = found
    if is_count_rule(rule):  # a number of firms is exact; a range of counts holds each whole number in it
        verdict = (
            rounding.CONSISTENT
            if abs(value - stated) < rounding.EPS
            else rounding.WITHIN_ROUNDING
            if bounds.lo - rounding.EPS <= stated <= bounds.hi + rounding.EPS
            else rounding.DISCREPANCY
        )
        return value, bounds, verdict, value - float(stated)
    return value, bounds, rounding.verdict(stated, stated_bounds, value, bounds), value - float(stated)


def is_count_rule(rule: str) -> bool:
    """Whether a rule counts firms (rows of Tabel 3/5, or the counts printed under them): an exact number."""
    kind = str(rule).partition(":")[0]
    return kind == "printed_count" or kind in COUNT_WORDS


def recompute_with_groupings(
    rules: str, region: str | None, stated: float, stated_bounds: rounding.Bounds | None = None
):
    """Recompute a claim whose rule lists alternative groupings ('sector_share:B+D|B+D+E').

    The alternatives are tried in order and the first one that the stated value agrees with (consistent, or
    within rounding) is kept: a discrepancy is called only when no grouping the report may evidently use
    matches. ``stated_bounds`` default to the stated value as printed to whole units or its own decimals.
    Returns (rule used, recomputed value, its bounds, verdict, difference); with no match, the first rule's.
    """
    if stated_bounds is None:
        stated_bounds = rounding.printed(stated, decimals_of(stated))
    results = []
    first, *others = rules.split("|")
    kind = first.partition(":")[0]
    for rule in [first, *(r if ":" in r else f"{kind}:{r}" for r in others)]:  # 'B+D+E' continues 'sector_share:'
        value, bounds, verdict, difference = compare(stated, stated_bounds, rule, region)
        if verdict in (rounding.CONSISTENT, rounding.WITHIN_ROUNDING):
            return rule, value, bounds, verdict, difference
        results.append((rule, value, bounds, verdict, difference))
    return results[0]


def _text_or_none(value) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "" else str(value)


@sharing.once_per_build
def claims_checked() -> pd.DataFrame:
    """Every claim checked first against the table that prints the same quantity (``quotes``) and then against a
    recomputation from another table (``recompute``), with the audit's rounding rule (``helpers.rounding``).

    ``verdict`` is the check of the text: against its own table where one prints the quantity, else against the
    recomputation ('not recomputable' when neither holds it). ``verdict_recomputed`` compares with the
    recomputation. A quoted figure whose period differs from the table's is 'not recomputable' here
    (``period_of_table`` says which period the table holds): ``helpers.audit`` checks those separately.
    """
    claims = data.load("claims")
    printed = data.load_printed("claims").set_index("claim_id")["value"]
    rows = []
    for claim in claims.itertuples(index=False):
        region = _text_or_none(claim.region_id)
        stated = float(claim.value)
        stated_bounds = rounding.printed_text(printed[claim.claim_id])
        period = _text_or_none(claim.period)
        quotes, rules = _text_or_none(claim.quotes), _text_or_none(claim.recompute)
        quoted = quoted_bounds = table_period = None
        verdict_quoted = "not recomputable"
        difference_quoted = None
        if quotes:
            quoted, quoted_bounds, verdict_quoted, difference_quoted = compare(stated, stated_bounds, quotes, region)
            if quotes.startswith("key_figure:") and region is not None:
                table_period = key_figure_period(region, quotes.partition(":")[2])
                if period and table_period and period != table_period:
                    verdict_quoted, difference_quoted = "not recomputable", None
        rule = recomputed = recomputed_bounds = difference_recomputed = None
        verdict_recomputed = "not recomputable"
        if rules:
            rule, recomputed, recomputed_bounds, verdict_recomputed, difference_recomputed = recompute_with_groupings(
                rules, region, stated, stated_bounds
            )
        against = "quoted" if quoted is not None else ("recomputed" if recomputed is not None else None)
        verdict = {"quoted": verdict_quoted, "recomputed": verdict_recomputed, None: "not recomputable"}[against]
        difference = {"quoted": difference_quoted, "recomputed": difference_recomputed, None: None}[against]
        rows.append(
            {
                "claim_id": claim.claim_id,
                "chapter": claim.chapter,
                "section": claim.section,
                "quote_nl": claim.quote_nl,
                "region_id": region,
                "stated": stated,
                "stated_lo": stated_bounds.lo,
                "stated_hi": stated_bounds.hi,
                "unit": claim.unit,
                "quotes": quotes,
                "quoted": quoted,
                "quoted_lo": None if quoted_bounds is None else quoted_bounds.lo,
                "quoted_hi": None if quoted_bounds is None else quoted_bounds.hi,
                "verdict_quoted": verdict_quoted,
                "recompute": rule,
                "recomputed": recomputed,
                "recomputed_lo": None if recomputed_bounds is None else recomputed_bounds.lo,
                "recomputed_hi": None if recomputed_bounds is None else recomputed_bounds.hi,
                "verdict_recomputed": verdict_recomputed,
                "against": against,
                "difference": difference,
                "verdict": verdict,
                "period": period,
                "period_of_table": table_period,
                "note": _text_or_none(claim.note),
            }
        )
    return pd.DataFrame(rows)


def claim_value(claim_id: str) -> float:
    """The stated value of one claim."""
    claims = data.load("claims").set_index("claim_id")
    if claim_id not in claims.index:
        raise KeyError(f"unknown claim {claim_id!r}")
    return float(claims.loc[claim_id, "value"])


def claim_values(claim_ids) -> dict[str, float]:
    """The stated values of several claims, by id."""
    return {c: claim_value(c) for c in claim_ids}


def claim_text(claim_id: str, unit: str | None = None) -> str:
    """One of the report's stated figures (data/claims.csv) as the prose shows it: with the decimals the report
    printed it with, '%' attached when its unit is a percentage ('13%', '−1.6%'), a year as plain digits ('2016');
    ``unit`` in place of the claim's own ('2.7 million')."""
    value = claim_value(claim_id)
    stated_unit = str(data.load("claims").set_index("claim_id").loc[claim_id, "unit"])
    if unit is None and stated_unit == "year":
        return f"{value:.0f}"
    if unit is None:
        unit = "%" if stated_unit.startswith("percent") else ""
    return fmt(value, decimals_of(value), unit)


def industry_share_claims(region_ids) -> pd.DataFrame:
    """The text's industry shares of ``region_ids`` (chapter 4), checked against Tabel 2 (which they quote) and
    Tabel 1.1 (``claims_checked`` rows)."""
    checked = claims_checked()
    return checked[
        (checked["quotes"] == "key_figure:industry_share_employment") & checked["region_id"].isin(list(region_ids))
    ]


def industry_share_display(rows: pd.DataFrame) -> pd.DataFrame:
    """``industry_share_claims`` for readers: the words, the three figures and both verdicts."""
    return pd.DataFrame(
        {
            N_("the report says"): rows["quote_nl"],
            N_("region"): rows["region_id"].map(regions.name),
            N_("stated (%)"): rows["stated"],
            N_("Tabel 2 (%)"): rows["quoted"],
            N_("text against Tabel 2"): rows["verdict_quoted"],
            N_("Tabel 1.1 (%)"): rows["recomputed"],
            N_("Tabel 2 against Tabel 1.1"): [
                "tables differ" if v == "discrepancy" else v for v in rows["verdict_recomputed"]
            ],
        }
    )


def sector_share_claims(prefix: str) -> pd.DataFrame:
    """The claims with ids starting ``prefix`` that state a sector share, recomputed from Tabel 1.1."""
    checked = claims_checked()
    return checked[
        checked["claim_id"].str.startswith(prefix) & checked["recompute"].fillna("").str.startswith("sector_share")
    ]


def sector_check_display(rows: pd.DataFrame) -> pd.DataFrame:
    """``sector_share_claims`` for readers: the words, the area, stated and recomputed share, difference, verdict."""
    shown = rows[["quote_nl", "region_id", "stated", "recomputed", "difference", "verdict"]].copy()
    shown["region_id"] = shown["region_id"].map(regions.name)
    return shown.rename(
        columns={
            "quote_nl": N_("the report says"),
            "region_id": N_("area"),
            "stated": N_("stated (%)"),
            "recomputed": N_("Tabel 1.1 (%)"),
            "difference": N_("difference (points)"),
        }
    )


def apprenticeship_market() -> pd.DataFrame:
    """Germany's apprenticeship market on 1 September 2015 as the report states it: vacant places, applicants
    without a place and new contracts (columns figure, in the current language, and count)."""
    return pd.DataFrame(
        {
            "figure": [_("vacant training places"), _("applicants without a place"), _("new training contracts")],
            "count": [claim_value(c) for c in ("ch5_de_vacant_places", "ch5_de_unplaced", "ch5_de_new_contracts")],
        }
    )


def education_shares() -> pd.DataFrame:
    """The population of Germany and the Netherlands by level of education as chapter 5 states it (columns
    country, level, share_percent; percent of the population)."""
    claims = [
        ("Germany", "low", "ch5_de_low_educated"),
        ("Germany", "middle", "ch5_de_middle_educated"),
        ("Germany", "high", "ch5_de_high_educated"),
        ("Netherlands", "low", "ch5_nl_low_educated"),
        ("Netherlands", "middle", "ch5_nl_middle_educated"),
        ("Netherlands", "high", "ch5_nl_high_educated"),
    ]
    return pd.DataFrame([{"country": c, "level": level, "share_percent": claim_value(i)} for c, level, i in claims])


#: The countries of :func:`education_shares` as ``regions`` ids, and its levels of education in the reader's words.
EDUCATION_COUNTRIES = {"Germany": "de", "Netherlands": "nl"}
EDUCATION_LEVELS = {"low": N_("low"), "middle": N_("middle"), "high": N_("high")}


def education_shown(education: pd.DataFrame) -> pd.DataFrame:
    """``education`` (:func:`education_shares`) with its countries and levels as a reader sees them, in the
    current language (for the chart and its alt text; the data keep their keys)."""
    return education.assign(
        country=education["country"].map(lambda country: regions.name(EDUCATION_COUNTRIES[country])),
        level=education["level"].map(lambda level: _(EDUCATION_LEVELS[level])),
    )


# --- the report's pairings of Dutch and German regions, tested (chapter 5) --------------------------------------------


def pairing_results(mat: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """The report's pairings (``regions.PAIRINGS``) tested on the sector profiles of ``mat``
    (``stats.profile_pairing_test``): per pairing the partner's Krugman distance and rank, the mean distance to
    the other regions, the nearest region, the exact p-value, the smallest p attainable and the verdict."""
    rows = []
    for region, candidate, reason in regions.PAIRINGS:
        res = stats.profile_pairing_test(mat, region, candidate, alpha=alpha)
        a = res.assumptions
        rows.append(
            {
                "region": region,
                "paired_with": candidate,
                "reason": reason,
                "distance": res.effect_size,
                "mean_distance_to_others": a["mean distance to others"],
                "rank_of_partner": a["candidate rank by distance"],
                "comparison_regions": a["comparison regions"],
                "nearest": a["nearest region"],
                "p_value": res.p_value,
                "smallest_attainable_p": a["smallest attainable p"],
                "supported": bool(res.p_value <= alpha),
                "verdict": a["verdict"],
            }
        )
    return pd.DataFrame(rows)


def pairing_display(pairing: pd.DataFrame) -> pd.DataFrame:
    """``pairing_results`` for readers: regions by name, p-values as table cells, columns in words."""
    shown = pairing.assign(
        region=pairing["region"].map(regions.name),
        paired_with=pairing["paired_with"].map(regions.name),
        nearest=pairing["nearest"].map(regions.name),
        p_value=pairing["p_value"].map(lambda p: pvalue(p, prefix=False)),
    )
    return shown[
        [
            "region",
            "paired_with",
            "distance",
            "mean_distance_to_others",
            "rank_of_partner",
            "nearest",
            "p_value",
            "smallest_attainable_p",
            "verdict",
        ]
    ].rename(
        columns={
            "paired_with": N_("paired with"),
            "distance": N_("Krugman distance to partner"),
            "mean_distance_to_others": N_("mean distance to the others"),
            "rank_of_partner": N_("partner's rank (1 = nearest)"),
            "nearest": N_("nearest region"),
            "p_value": N_("p (exact)"),
            "smallest_attainable_p": N_("smallest attainable p"),
            "verdict": N_("what the data can show"),
        }
    )


# --- the illustrative scorecard and the focus region's summary (chapter 6) --------------------------------------------


#: Readings of the regions' cooperation the scorecard can use (columns of ``region_cooperation``): the report's
#: ladder (its ordering of the Dutch regions, the German regions it holds up as the model at the top beside the
#: Brainport it compares them with), the whole level as read here, or the highest level the report's words allow.
COOPERATION_READINGS = {
    "ladder": ("ladder_position", "the place on the report's ladder of cooperation"),
    "level": ("level", "the level of cooperation as this edition reads it"),
    "highest": (
        "level_high",
        "the highest level the report's words allow (Twente and Brainport above the German regions)",
    ),
}
#: Indicators the scorecard lowers a region for (lower is better).
SCORECARD_DIRECTIONS = {"unemployment": -1}


def scorecard_indicators(region_ids=None, cooperation: str = "ladder") -> pd.DataFrame:
    """The scorecard's inputs, regions x indicators: manufacturing share (% of employees, Tabel 1.1), share of
    higher-educated in the labour force (%), unemployment (%), population growth 2006-2015 (%, Tabel 2/4), head
    offices of the ten largest employers in the region (count, Tabel 3/5) and cooperation in the reading
    ``cooperation`` (a key of ``COOPERATION_READINGS``)."""
    if cooperation not in COOPERATION_READINGS:
        raise ValueError(f"unknown cooperation reading {cooperation!r}; valid: {', '.join(COOPERATION_READINGS)}")
    study = list(region_ids or regions.STUDY_REGIONS)
    shares = indices.sector_shares(employment())
    coop = data.load("region_cooperation").set_index("region_id")
    return pd.DataFrame(
        {
            "industry_share": shares.loc[study, "C"],
            "higher_educated": [key_figure(r, "share_higher_educated_labour_force") for r in study],
            "unemployment": [key_figure(r, "unemployment") for r in study],
            "population_growth": [key_figure(r, "population_growth") for r in study],
            "hq_in_region": employer_counts().loc[study, "hq_in_region"].astype(float),
            "cooperation_level": coop.loc[study, COOPERATION_READINGS[cooperation][0]].astype(float),
        },
        index=study,
    )


def scorecard_ranks_by_reading(weights) -> pd.DataFrame:
    """Each region's scorecard rank under every reading of cooperation (``COOPERATION_READINGS``), regions x
    readings, with the given weights."""
    return pd.DataFrame(
        {
            reading: stats.composite_index(scorecard_indicators(cooperation=reading), weights, SCORECARD_DIRECTIONS)[
                "rank"
            ]
            for reading in COOPERATION_READINGS
        }
    )


#: The scorecard's indicators in words, as the chapter names them.
SCORECARD_WORDS = {
    "industry_share": N_("manufacturing share"),
    "higher_educated": N_("higher-educated share"),
    "unemployment": N_("unemployment"),
    "population_growth": N_("population growth"),
    "hq_in_region": N_("head offices in the region"),
    "cooperation_level": N_("place on the ladder of cooperation"),
}
#: The element of the report's entrepreneurial ecosystem (Figure 7) each scorecard indicator speaks to, and its table.
SCORECARD_ELEMENTS = {
    "industry_share": N_("demand / physical base (Tabel 1.1)"),
    "higher_educated": N_("talent (Tabel 2/4)"),
    "unemployment": N_("talent, lower is better (Tabel 2/4)"),
    "population_growth": N_("demand (Tabel 2/4)"),
    "hq_in_region": N_("leadership (Tabel 3/5)"),
    "cooperation_level": N_("networks (chapter 4)"),
}
#: Chapter 6's two groups of ecosystem elements in words.
ECOSYSTEM_GROUPS = {"base": N_("base element: hard to change"), "system": N_("system element: easier to influence")}


def scorecard_table(indicators: pd.DataFrame) -> pd.DataFrame:
    """The scorecard's inputs as the chapter shows them: one row per region (named), each indicator headed by its
    words and, in brackets, the ecosystem element it speaks to (``SCORECARD_WORDS``, ``SCORECARD_ELEMENTS``)."""
    shown = indicators.rename(index=regions.name)
    shown.columns = [
        _("{words} [{element}]").format(words=_(SCORECARD_WORDS[c]), element=_(SCORECARD_ELEMENTS[c]))
        for c in shown.columns
    ]
    shown.index.name = "region"
    return shown.reset_index()


def ecosystem_elements() -> pd.DataFrame:
    """The elements of the entrepreneurial ecosystem (chapter 6, Figure 7): group in words, the element in English
    and the report's Dutch word, in the dataset's order."""
    elements = data.load("ecosystem_elements")
    return pd.DataFrame(
        {
            "group": elements["group"].map(ECOSYSTEM_GROUPS).map(_, na_action="ignore"),
            "element": elements[i18n.column("label")],
            "the report's word": elements["label_nl"],
        }
    )


#: What chapter 6's summary of the focus region shows from each chapter: chapter, measure, and how its value reads.
FOCUS_SUMMARY_TEXTS = {
    "growth": N_("{growth} a year"),
    "no_growth": N_("no series in Tabel 1.2"),
    "no_job_missing": N_("not in Tabel 1"),
    "specialisation": N_("{sector} (LQ {lq})"),
    "cooperation": N_("niveau {level} ({basis}; ladder {position} of {top})"),
    "rank": N_("{rank} of {regions}"),
}


def focus_summary(region: str, scorecard: pd.DataFrame, reference_rule: str = "national") -> pd.DataFrame:
    """One figure per chapter for ``region``, each recomputed from the report's tables, as text in the book's number
    format: columns chapter, measure, value.

    Chapter 1: growth of foreign-controlled establishments 2010-13 (CAGR, percent a year, Tabel 1.2); 2: the 1984
    cohort's share with no job in 2014 (Tabel 1); 3: manufacturing share of employees (Tabel 1.1), the strongest
    specialisation (location quotient against ``reference_rule``) and the Pavitt type; 4/5: head offices of the ten
    largest employers in the region (Tabel 3/5), the level of cooperation and the unemployment rate (Tabel 2/4);
    6: the rank in ``scorecard`` (``stats.composite_index``'s result).
    """
    texts = {key: _(text) for key, text in FOCUS_SUMMARY_TEXTS.items()}
    mat = employment()
    compared = compared_areas(mat, reference_rule)
    top = indices.top_specialisations(compared, region, 1, reference_rule)
    trend = foreign_control_trends().set_index("region_id")
    no_job = data.load("occupational_dynamics").set_index(["region_id", "measure"])["share_percent"]
    pavitt = data.load("pavitt_types")
    coop = data.load("region_cooperation").set_index("region_id")
    facts = [
        (
            "1",
            _("foreign-controlled establishments, growth 2010-13"),
            texts["growth"].format(growth=pct(trend.loc[region, "cagr_percent"]))
            if region in trend.index
            else texts["no_growth"],
        ),
        (
            "2",
            _("no job in 2014 (1984 cohort)"),
            pct(no_job[(region, "no_job")], 0) if (region, "no_job") in no_job.index else texts["no_job_missing"],
        ),
        ("3", _("manufacturing share of employees"), pct(indices.sector_shares(mat).loc[region, "C"])),
        (
            "3",
            _("strongest specialisation"),
            texts["specialisation"].format(sector=sector_labels()[top.index[0]], lq=fmt(top["lq"].iloc[0], 2)),
        ),
        ("3", _("Pavitt type"), narrative.listing(pavitt.loc[pavitt["region_id"] == region, "label_en"].str.lower())),
        (
            "4/5",
            _("head offices of the ten largest in the region"),
            fmt(employer_counts().loc[region, "hq_in_region"], 0),
        ),
        (
            "4/5",
            _("level of school-business cooperation"),
            texts["cooperation"].format(
                level=narrative.level_text(coop.loc[region]),
                basis=coop.loc[region, "basis"],
                position=int(coop.loc[region, "ladder_position"]),
                top=int(coop["ladder_position"].max()),
            ),
        ),
        ("4/5", _("unemployment (Tabel 2/4)"), pct(key_figure(region, "unemployment"))),
        (
            "6",
            _("illustrative scorecard rank"),
            texts["rank"].format(rank=int(scorecard.loc[region, "rank"]), regions=len(scorecard)),
        ),
    ]
    return pd.DataFrame(facts, columns=["chapter", "measure", "value"])


# --- the datasets (appendix C) ----------------------------------------------------------------------------------------


def dataset_provenance() -> pd.DataFrame:
    """One row per dataset in ``data/``: its name, title, where it stands in the report, unit, reference period,
    original source, number of rows and the first 12 hex digits of the SHA-256 of the file this build read."""
    hashes = data.data_hashes()
    rows = []
    for name in data.list_datasets():
        prov = data.provenance(name)
        rows.append(
            {
                N_("dataset"): name,
                N_("title"): i18n.provenance_text(prov, "title"),
                N_("report location"): i18n.provenance_text(prov, "report_location"),
                N_("unit"): i18n.provenance_text(prov, "unit"),
                N_("reference period"): i18n.provenance_text(prov, "reference_period"),
                N_("original source"): i18n.provenance_text(prov, "original_source"),
                N_("rows"): len(data.load(name)),
                N_("sha256 (first 12)"): hashes[name][:12],
            }
        )
    return pd.DataFrame(rows)
