"""Quantities and tables derived from the datasets (helpers.derived), checked against the report's tables and
against calculations written out here or done by another library (scipy, statsmodels)."""

import csv
import hashlib
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from helpers import audit, derived, paths, regions

MINUS = "\u2212"  # the book's minus sign
NNBSP = "\u202f"  # the book groups thousands with a narrow no-break space
DUTCH = list(regions.DUTCH_REGIONS)
GERMAN = list(regions.GERMAN_REGIONS)
SIX = list(regions.STUDY_REGIONS)


# --- Tabel 1.1: employees by sector -----------------------------------------------------------------------------------


def table_1_1() -> pd.DataFrame:
    """Tabel 1.1 read straight from the CSV (not through helpers): areas x NACE sections, thousands."""
    tidy = pd.read_csv(paths.ROOT / "data" / "employees_by_sector.csv")
    return tidy.pivot(index="region_id", columns="nace_section", values="employees_thousands")


def test_tabel_1_1_as_the_appendix_prints_it():
    mat = derived.employment().loc[["zo-drenthe", "nl"]]
    shown = derived.tabel_1_1_table(mat)
    assert list(shown.columns) == ["sector", "Zuidoost-Drenthe (x1000)", "Netherlands (x1000)"]
    manufacturing = shown[shown["sector"] == "C Manufacturing"].iloc[0]
    assert manufacturing.tolist() == ["C Manufacturing", 9.0, 739.2]  # Tabel 1.1, Industrie
    assert len(shown) == 19  # sections A to S


def test_compared_areas_for_both_rules():
    mat = derived.employment()
    assert list(derived.compared_areas(mat, "national").index) == list(mat.index)
    assert list(derived.compared_areas(mat, "pooled").index) == SIX
    with pytest.raises(ValueError, match="unknown reference rule 'regional'"):
        derived.compared_areas(mat, "regional")


def test_specialisation_indices_of_twente_from_tabel_1_1_by_hand():
    raw = table_1_1()
    s = raw.loc["twente"] / raw.loc["twente"].sum()
    nl = raw.loc["nl"] / raw.loc["nl"].sum()
    out = derived.specialisation_indices(derived.employment(), "national")
    assert out.loc["twente", "krugman"] == pytest.approx(float((s - nl).abs().sum()))
    assert out.loc["twente", "hoover"] == pytest.approx(float((s - nl).abs().sum()) / 2)
    assert out.loc["twente", "herfindahl"] == pytest.approx(float((s**2).sum()))
    assert out.loc["twente", "entropy_bits"] == pytest.approx(float(-(s * np.log2(s)).sum()))
    pooled = derived.specialisation_indices(derived.employment(), "pooled")
    six = raw.loc[SIX].sum() / raw.loc[SIX].to_numpy().sum()
    assert pooled.loc["twente", "krugman"] == pytest.approx(float((s - six).abs().sum()))
    assert pd.isna(pooled.loc["nl", "krugman"]) and pooled.loc["nl", "herfindahl"] > 0


def test_structure_display_headers_carry_the_ranges():
    shown = derived.structure_display(derived.specialisation_indices(derived.employment(), "national"), 19)
    # Herfindahl from 1/19 to 1; entropy at most log2(19) = 4.248 bits
    assert list(shown.columns) == [
        "area",
        "Krugman index (0-2)",
        "Hoover coefficient (0-1)",
        "Herfindahl (1/19-1)",
        "entropy (bits, max 4.25)",
    ]
    assert "Twente" in set(shown["area"])


# --- Tabel 1: occupational dynamics in four regions (chapter 2) -------------------------------------------------------


# The report, chapter 2, Tabel 1 'Beroependynamiek in vier regio's' (percent): no job; of those still working in
# 2014 the same occupation with the same / another employer, another occupation; the same, a higher, a lower level.
TABEL_1 = {
    "groot-rijnmond": [54, 19, 22, 58, 60, 24, 18],
    "twente": [47, 23, 25, 52, 64, 19, 19],
    "zo-drenthe": [46, 24, 24, 52, 62, 20, 20],
    "zo-brabant": [49, 18, 22, 61, 59, 23, 20],
}
MEASURES = [
    "no_job",
    "same_occupation_same_employer",
    "same_occupation_other_employer",
    "other_occupation",
    "equal_level",
    "higher_level",
    "lower_level",
]


def test_tabel1_wide_is_the_printed_table_in_the_reports_order():
    wide = derived.tabel1_wide()
    assert list(wide.index) == ["zo-drenthe", "twente", "groot-rijnmond", "zo-brabant"]
    assert list(wide.columns) == MEASURES
    for region, row in TABEL_1.items():
        assert wide.loc[region].tolist() == row


def test_tabel1_blocks_labels_and_the_table_for_the_page():
    assert derived.tabel1_blocks() == {
        "status_2014": MEASURES[:1],
        "occupation_2014": MEASURES[1:4],
        "level_2014": MEASURES[4:],
    }
    assert derived.tabel1_labels()["no_job"] == "No job in 2014"
    shown = derived.tabel1_table()
    assert list(shown.columns[:3]) == ["region", "No job in 2014 (%)", "Same occupation, same employer (%)"]
    assert shown.iloc[2].tolist() == ["Groot-Rijnmond", *TABEL_1["groot-rijnmond"]]
    long = derived.tabel1_long()
    assert len(long) == 4 * 7 and {"block", "measure_label", "region_id", "share_percent"} <= set(long.columns)


def test_tabel1_block_shares_complete_the_no_job_block():
    status = derived.tabel1_block_shares("status_2014")
    assert list(status.columns) == ["no_job", "job"]
    assert status.loc["twente"].tolist() == [47, 100 - 47]
    assert derived.tabel1_block_shares("level_2014").loc["zo-brabant"].tolist() == [59, 23, 20]
    with pytest.raises(ValueError, match="unknown block 'jobs' of Tabel 1; valid: status_2014, occupation_2014"):
        derived.tabel1_block_shares("jobs")


def test_tabel1_block_sums_add_the_printed_shares():
    sums = derived.tabel1_block_sums()
    assert set(sums) == {"occupation_2014", "level_2014"}
    assert sums["occupation_2014"]["groot-rijnmond"] == 19 + 22 + 58 == 99
    assert sums["occupation_2014"]["zo-brabant"] == 18 + 22 + 61 == 101
    assert sums["level_2014"].tolist() == [62 + 20 + 20, 64 + 19 + 19, 60 + 24 + 18, 59 + 23 + 20]  # all 102


def test_tabel1_readings_table_shows_the_extreme_or_the_tie():
    shown = derived.tabel1_readings_table(audit.tabel_1_readings())
    assert list(shown.columns) == ["verdict", "the report's reading", "what Tabel 1 shows"]
    by_reading = dict(zip(shown["the report's reading"], shown["what Tabel 1 shows"], strict=True))
    # Tabel 1: no job highest in Groot-Rijnmond (54); loyalty 23 + 25 = 48 in Twente, 24 + 24 = 48 in ZO-Drenthe
    assert (
        by_reading["Groot Rijnmond has a higher chance of unemployment than the other regions"]
        == "extreme in Groot-Rijnmond (54%)"
    )
    loyalty = [v for k, v in by_reading.items() if "loyalty" in k]
    assert loyalty == ["tied: Twente and Zuidoost-Drenthe (48%)"]


def _chi2(counts):
    chi2, p, dof, _ = scipy_stats.chi2_contingency(np.array(counts, dtype=float), correction=False)
    return chi2, p, dof


def test_tabel1_block_tests_match_scipy_on_counts_written_out():
    tests = derived.tabel1_block_tests(1000, 0.05, seed=2016, n_draws=50)
    assert list(tests) == ["status_2014", "occupation_2014", "level_2014"]
    # no job / job of 1 000 persons per region: Groot-Rijnmond, Twente, Zuidoost-Drenthe, Zuidoost-Brabant
    status = [[540, 460], [470, 530], [460, 540], [490, 510]]
    chi2, p, dof = _chi2(status)
    t = tests["status_2014"]
    assert (t.statistic, t.p_value, t.df) == (pytest.approx(chi2), pytest.approx(p), 3)
    assert t.cramers_v == pytest.approx(np.sqrt(chi2 / (4000 * 1)))
    assert t.sizes == 1000
    # those still working: 1 000 x (1 - no-job share) = 460, 530, 540, 510; each row rescaled to its printed total
    # (99, 100, 100, 101) and rounded: 19/99 x 460 = 88.3, 22/99 x 460 = 102.2, 58/99 x 460 = 269.5, ...
    occupation = [[88, 102, 269], [122, 132, 276], [130, 130, 281], [91, 111, 308]]
    chi2, p, dof = _chi2(occupation)
    t = tests["occupation_2014"]
    assert (t.p_value, t.df) == (pytest.approx(p), 6)
    assert t.sizes == {"groot-rijnmond": 460, "twente": 530, "zo-drenthe": 540, "zo-brabant": 510}
    for t in tests.values():
        assert t.p_low <= t.p_value <= t.p_high


def test_tabel1_smallest_n_is_where_the_unrounded_test_turns_significant():
    t = derived.tabel1_block_tests(1000, 0.05, n_draws=10)["status_2014"]
    fractions = np.array([[54, 46], [47, 53], [46, 54], [49, 51]]) / 100
    assert _chi2(fractions * (t.smallest_n - 1))[1] >= 0.05 > _chi2(fractions * t.smallest_n)[1]


def test_block_tests_as_records_and_for_the_page():
    t = derived.BlockTest(
        block="level_2014",
        sizes={"a": 460, "b": 540},
        statistic=5.7,
        df=6.0,
        p_value=0.4565,
        cramers_v=0.0374,
        bias_corrected_v=0.0,
        p_low=0.27,
        p_high=0.65,
        smallest_n=1094,
        smallest_n_low=867,
        smallest_n_high=None,
    )
    record = derived.homogeneity_table({"level_2014": t}).iloc[0]
    assert record["block"] == "level compared to 1984" and record["persons per region"] == "460–540"
    assert record["smallest_n"] == 1094 and record["smallest_n_high_rounding"] is None
    assert record["uses the no-job figure"] == "yes, for its n (footnote 16)"
    shown = derived.homogeneity_reader_table({"level_2014": t}, 0.01).iloc[0]
    assert shown["smallest n with p < 0.01"] == "1\u202f094"
    assert shown["smallest n, range from rounding"] == "867 to never"
    assert shown["p range from rounding"] == "0.270 to 0.650" and shown["p-value"] == 0.4565


def test_tabel1_sensitivity_spans_the_sizes_and_falls_with_n():
    curves = derived.tabel1_sensitivity(0.05, smallest=50, largest=5000, points=5)
    assert sorted(curves["block"].unique()) == [
        "job or no job",
        "level compared to 1984",
        "occupation compared to 1984",
    ]
    sizes = curves.loc[curves["block"] == "job or no job", "sample_size"].tolist()
    assert sizes == [50, 158, 499, 1581, 5000]  # 50 x 10^(k/2) rounded down (10^1 in floating point: 499.99...)
    for _, part in curves.groupby("block"):
        assert part["p_value"].is_monotonic_decreasing


def test_tabel1_reading_tests_match_statsmodels():
    tests = derived.tabel1_reading_tests(audit.tabel_1_readings(), 1000, 0.05)
    rijnmond = tests[(tests["region_id"] == "groot-rijnmond")].iloc[0]
    # 540 of 1 000 without a job in Groot-Rijnmond against 470, 460 and 490 elsewhere, Holm over the three
    raw = [proportions_ztest([540, other], [1000, 1000])[1] for other in (470, 460, 490)]
    assert rijnmond["p_value"] == pytest.approx(max(multipletests(raw, method="holm")[1]))
    assert rijnmond["comparisons"] == 3
    smallest = rijnmond["smallest_n"]

    def all_reject(n):
        p = [proportions_ztest([0.54 * n, share * n], [n, n])[1] for share in (0.47, 0.46, 0.49)]
        return multipletests(p, alpha=0.05, method="holm")[0].all()

    assert not all_reject(smallest - 1) and all_reject(smallest)
    # Brainport's higher level: Groot-Rijnmond prints 24 against its 23, so no n makes the reading significant
    brainport = tests[tests["statement"].str.contains("higher level")].iloc[0]
    assert brainport["p_value"] == 1.0 and brainport["smallest_n"] is None


def test_reading_tests_table_keeps_never_and_the_block_sizes():
    tests = derived.tabel1_reading_tests(audit.tabel_1_readings(), 1000, 0.05)
    shown = derived.reading_tests_table(tests, 1000)
    assert shown.columns[0] == "the report's reading" and len(shown) == len(tests)
    assert shown["persons per region assumed"].tolist()[:2] == ["1\u202f000", "460–540"]
    never = shown[tests["smallest_n"].isna()]["smallest n per region for p < alpha"]
    assert set(never) == {"never (Tabel 1 does not show it)"}
    assert shown["uses the no-job figure"].iloc[0] == "yes (footnote 16)"


def test_differing_from_reads_both_sides_of_a_pair():
    pairs = pd.DataFrame({"region_a": ["a", "a", "b"], "region_b": ["b", "c", "c"], "reject": [True, False, True]})
    assert derived.differing_from(pairs, "a") == ["b"]
    assert derived.differing_from(pairs, "b") == ["a", "c"]
    assert derived.differing_from(pairs, "d") == []


def test_pairwise_table_names_the_pair():
    pairs = pd.DataFrame(
        {
            "region_a": ["twente"],
            "region_b": ["zo-brabant"],
            "share_a": [47.0],
            "share_b": [49.0],
            "difference": [-2.0],
            "z": [-0.9],
            "p_value": [0.37],
            "p_adjusted": [0.74],
            "reject": [False],
        }
    )
    shown = derived.pairwise_table(pairs)
    assert shown.iloc[0].tolist() == ["Twente – Zuidoost-Brabant", 47.0, 49.0, -2.0, -0.9, 0.37, 0.74, False]
    assert list(shown.columns)[-3:] == ["p", "p (Holm)", "significant"]


# --- Tabel 1.2: establishments under ultimate foreign control ---------------------------------------------------------


# Bijlage 1, Tabel 1.2: establishments under ultimate foreign control, 2010-2013
TWENTE = [560, 620, 635, 660]
NETHERLANDS = [19310, 21320, 22395, 23210]
GERMANY = [26934, 27717, 25011, 26869]


def test_foreign_control_table_holds_tabel_1_2_in_the_books_order():
    table = derived.foreign_control_table()
    assert list(table.columns) == ["area", *[f"{y} (establishments)" for y in (2010, 2011, 2012, 2013)]]
    # Bremen's one value has no year, so Bremen has no row; Emsland's row is empty
    assert list(table["area"]) == [
        "Zuidoost-Drenthe",
        "Twente",
        "Groot-Rijnmond",
        "Zuidoost-Brabant",
        "Landkreis Emsland",
        "Netherlands",
        "Germany",
    ]
    rows = table.set_index("area")
    assert list(rows.loc["Twente"]) == TWENTE and list(rows.loc["Netherlands"]) == NETHERLANDS
    assert rows.loc["Landkreis Emsland"].isna().all()


def test_tabel_1_2_as_the_appendix_prints_it():
    shown = derived.tabel_1_2_table(["twente", "zo-brabant", "emsland", "nl"]).set_index("area")
    assert list(shown.columns) == [
        "2010 (establishments)",
        "2011 (establishments)",
        "2012 (establishments)",
        "2013 (establishments)",
        "note",
    ]
    assert shown.loc["Twente"].tolist() == ["560", "620", "635", "660", ""]  # Tabel 1.2
    assert shown.loc["Netherlands", "2010 (establishments)"] == "19\u202f310"
    assert shown.loc["Landkreis Emsland", "2013 (establishments)"] == "\u2013"
    assert shown.loc["Zuidoost-Brabant", "note"] == "The report labels this row Zuidoost-Noord-Brabant."


def test_foreign_control_undated_is_bremens_single_value():
    assert derived.foreign_control_undated().to_dict() == {"bremen": 233.0}


def test_foreign_control_growth_from_first_year_to_last():
    growth = derived.foreign_control_growth()
    assert growth["twente"] == pytest.approx((660 / 560 - 1) * 100)
    assert growth["de"] == pytest.approx((26869 / 26934 - 1) * 100)
    assert set(growth.index) == {*DUTCH, "nl", "de"}  # no Emsland (no values), no Bremen (no year)


def test_foreign_control_index_is_each_full_series_over_its_first_year():
    index = derived.foreign_control_index()
    assert list(index.index) == [*DUTCH, "nl", "de"]
    assert list(index.loc["twente"]) == pytest.approx([v / 560 * 100 for v in TWENTE])
    assert index.loc["de", 2012] == pytest.approx(25011 / 26934 * 100)


def test_tabel_1_2_in_relative_form():
    relative = derived.foreign_control_relative(["twente", "emsland", "nl", "de"])
    # Emsland has no series in Tabel 1.2; the countries have no share of themselves
    assert relative["area"].unique().tolist() == ["Twente", "Netherlands", "Germany"]
    twente = relative[relative["area"] == "Twente"].set_index("year")
    # Tabel 1.2: Twente 560, 620, 635, 660; the Netherlands 19 310, 21 320, 22 395, 23 210
    assert twente["index (2010 = 100)"].tolist() == pytest.approx([100, 620 / 5.6, 635 / 5.6, 660 / 5.6])
    assert twente.loc[2013, "share of national count (%)"] == pytest.approx(660 / 23210 * 100)
    assert relative[relative["area"] == "Netherlands"]["share of national count (%)"].isna().all()
    wide = derived.share_of_national_table(relative)
    assert list(wide.columns) == [
        "area",
        "2010 (% of national)",
        "2011 (% of national)",
        "2012 (% of national)",
        "2013 (% of national)",
    ]
    assert wide["area"].tolist() == ["Twente"]
    assert wide.iloc[0, 1] == pytest.approx(560 / 19310 * 100)


def _interaction_by_hand(region, country):
    """100 x (exp(b) - 1) of the year x region term of log(count) ~ year * region on the region and the rest of
    its country (country minus region), by least squares; with its t p-value (n - 4 degrees of freedom)."""
    years = np.array([2010, 2011, 2012, 2013], dtype=float)
    rest = np.array(country, dtype=float) - np.array(region, dtype=float)
    y = np.log(np.concatenate([region, rest]))
    t = np.concatenate([years, years]) - 2011.5
    d = np.concatenate([np.ones(4), np.zeros(4)])
    x = np.column_stack([np.ones(8), t, d, t * d])
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    se = np.sqrt(resid @ resid / 4 * np.linalg.inv(x.T @ x)[3, 3])
    return 100 * np.expm1(beta[3]), 2 * scipy_stats.t.sf(abs(beta[3] / se), 4)


def test_foreign_control_trends_against_rest_name_the_reference_and_match_a_fit_by_hand():
    trends = derived.foreign_control_trends_against_rest(0.05)
    assert trends.loc["twente", "reference"] == "nl minus twente"
    assert pd.isna(trends.loc["nl", "reference"]) and pd.isna(trends.loc["nl", "difference_p"])
    effect, p = _interaction_by_hand(TWENTE, NETHERLANDS)
    assert trends.loc["twente", "difference_pp"] == pytest.approx(effect)
    assert trends.loc["twente", "difference_p"] == pytest.approx(p)
    assert "emsland" not in trends.index and "bremen" not in trends.index


def test_foreign_control_trend_table_for_readers():
    table = derived.foreign_control_trend_table(derived.foreign_control_trends_against_rest(0.05))
    assert list(table.columns[:3]) == ["area", "index 2013 (2010 = 100)", "CAGR 2010-2013 (%/year)"]
    twente = table.set_index("area").loc["Twente"]
    assert twente["index 2013 (2010 = 100)"] == pytest.approx(660 / 560 * 100)
    assert twente["CAGR 2010-2013 (%/year)"] == pytest.approx(((660 / 560) ** (1 / 3) - 1) * 100)
    assert twente["p (difference)"] == pytest.approx(_interaction_by_hand(TWENTE, NETHERLANDS)[1])
    assert list(table["area"]) == [
        "Zuidoost-Drenthe",
        "Twente",
        "Groot-Rijnmond",
        "Zuidoost-Brabant",
        "Netherlands",
        "Germany",
    ]
    assert table.set_index("area").loc["Germany"].iloc[5:].isna().all()  # no rest of the country to compare with


# --- Tabel 2 and Tabel 4: key figures ---------------------------------------------------------------------------------


def test_key_figure_table_keeps_the_tables_order_and_values():
    t2 = derived.key_figure_table("Tabel 2", DUTCH)
    assert list(t2.columns) == DUTCH
    assert t2.index[0] == "population_growth" and len(t2) == 12
    # Tabel 2: 'Aandeel industrie in de werkgelegenheid' 18, 15, 7, 16; population growth -1.6, 1.4, 4.2, 4.0
    assert t2.loc["industry_share_employment"].tolist() == [18, 15, 7, 16]
    assert t2.loc["population_growth"].tolist() == [-1.6, 1.4, 4.2, 4.0]
    t4 = derived.key_figure_table("Tabel 4", GERMAN)
    # Tabel 4 prints the figures Tabel 2 has for ZO Drenthe and Twente
    assert t4.loc["establishments_per_km2"].tolist() == [13, 29]
    with pytest.raises(ValueError, match="no key figures from 'Tabel 9'; valid: Tabel 2, Tabel 4"):
        derived.key_figure_table("Tabel 9", DUTCH)


def test_key_figure_display_names_regions_and_units_with_periods():
    t2 = derived.key_figure_table("Tabel 2", DUTCH)
    shown = derived.key_figure_display(t2, derived.key_figure_meta("Tabel 2"))
    assert list(shown.columns) == ["indicator", "unit", *[regions.name(r) for r in DUTCH]]
    assert shown.iloc[0].tolist()[:2] == ["Population growth 2006-2015", "percent over 10 years (2006-2015)"]
    with_notes = derived.key_figure_display(
        derived.key_figure_table("Tabel 4", GERMAN), derived.key_figure_meta("Tabel 4"), notes=True
    )
    assert list(with_notes.columns)[:3] == ["indicator", "unit", "note"]
    assert with_notes.set_index("indicator").loc["Establishment density", "note"].startswith("Identical to Tabel 2")


def test_profile_z_scores_by_hand_and_a_constant_row():
    wide = pd.DataFrame([[1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0]], index=["a", "b"], columns=DUTCH)
    z = derived.profile_z_scores(wide)
    # mean 2.5, population sd sqrt(((1.5^2 + 0.5^2) * 2) / 4) = sqrt(1.25)
    assert z.loc["a"].tolist() == pytest.approx(
        [-1.5 / math.sqrt(1.25), -0.5 / math.sqrt(1.25), 0.5 / math.sqrt(1.25), 1.5 / math.sqrt(1.25)]
    )
    assert z.loc["b"].isna().all()


def test_printed_values_take_the_decimals_of_the_row():
    wide = pd.DataFrame([[1.4, -1.0], [18.0, 1082.0]], index=["growth", "count"], columns=["a", "b"])
    assert derived.printed_values(wide).tolist() == [["1.4", "\u22121.0"], ["18", f"1{NNBSP}082"]]


def test_profile_extremes_of_zuidoost_drenthe_in_tabel_2():
    t2 = derived.key_figure_table("Tabel 2", DUTCH)
    meta = derived.key_figure_meta("Tabel 2")
    z = derived.profile_z_scores(t2)
    extremes = derived.profile_extremes(z, t2, meta, "zo-drenthe")
    # scipy's z-scores (ddof 0) of Tabel 2's rows, independently: the highest and lowest for Zuidoost-Drenthe
    independent = pd.Series(
        {ind: scipy_stats.zscore(row.to_numpy(float))[0] for ind, row in t2.iterrows() if row.nunique() > 1}
    )
    assert extremes.loc["high", "indicator"] == independent.idxmax() == "industry_share_employment"
    assert extremes.loc["low", "indicator"] == independent.idxmin() == "population_growth"
    assert extremes.loc["high", "value"] == 18 and extremes.loc["low", "value"] == -1.6
    assert extremes.loc["low", "unit"] == "percent over 10 years"
    assert extremes.loc["high", "z"] == pytest.approx(independent.max())
    assert derived.profile_extremes(z, t2, meta, "emsland") is None


def test_copied_key_figures_of_tabel_4():
    copied = derived.copied_key_figures(
        ["establishments_per_km2", "establishments_per_100k_labour_force"],
        iter([("emsland", "zo-drenthe"), ("bremen", "twente")]),
    )
    # Tabel 4 prints 13 and 29 per km2, 1082 and 1086 per 100 000: Tabel 2's ZO Drenthe and Twente
    assert copied[["region", "source_region", "value"]].values.tolist() == [
        ["emsland", "zo-drenthe", 13],
        ["bremen", "twente", 29],
        ["emsland", "zo-drenthe", 1082],
        ["bremen", "twente", 1086],
    ]
    none = derived.copied_key_figures(["establishments_per_km2"], [("emsland", "twente")])
    assert none.empty and list(none.columns) == ["region", "source_region", "indicator", "value"]


def test_manufacturing_shares_of_tabel_2_and_tabel_1_1_that_differ():
    # Tabel 2 'Aandeel industrie in de werkgelegenheid': 18, 15, 7, 16; Tabel 1.1 C over the total: ZO Drenthe
    # 9 / 60.0 = 15.0%, Twente 40.5 / 271.2 = 14.93%, Rijnmond 47.5 / 637.3 = 7.45%, ZO Brabant 60.5 / 381.2 = 15.87%
    assert derived.manufacturing_differences() == {"zo-drenthe": {"tabel_2": 18.0, "tabel_1_1": pytest.approx(15.0)}}
    half = derived.manufacturing_differences(0.4)
    assert list(half) == ["zo-drenthe", "groot-rijnmond"]
    assert half["groot-rijnmond"] == {"tabel_2": 7.0, "tabel_1_1": pytest.approx(47.5 / 637.3 * 100)}
    assert derived.manufacturing_differences(5.0) == {}


# --- Tabel 3 and Tabel 5: the ten largest employers of each region ----------------------------------------------------


def test_largest_employers_table_with_this_editions_coding_of_tabel_3():
    table = derived.largest_employers_table("Tabel 3", coding=True)
    assert list(table.columns) == [
        "region",
        "rank",
        "firm",
        "the table's annotation",
        "head office",
        "taken over",
        "R&D top-60 rank",
        "industrial",
    ]
    assert len(table) == 40 and table["region"].nunique() == 4  # ten firms for each Dutch region
    firm = table.set_index("firm")
    # Tabel 3, Twente: '1. Thales Nederland (1990 vh Philips/Hollandse Signaalapparaten BV; Frankrijk; ...) (#11)'
    assert list(firm.loc["Thales Nederland", ["head office", "taken over", "R&D top-60 rank", "industrial"]]) == [
        "abroad",
        "1990",
        "#11",
        "yes",
    ]
    # Vierkant voor Werk: '2. Fokker Aerostructures (HQ in Papendrecht)'; '1. Fonville Schoonmaak' has no marks
    assert firm.loc["Fokker Aerostructures", "head office"] == "elsewhere in the Netherlands"
    assert list(firm.loc["Fonville Schoonmaak", ["taken over", "R&D top-60 rank"]]) == ["–", "–"]


def test_largest_employers_table_names_the_head_office_in_each_tables_country():
    t5 = derived.largest_employers_table("Tabel 5")
    assert len(t5) == 20 and list(t5.columns) == ["region", "rank", "firm", "the table's annotation", "head office"]
    assert set(t5["head office"]) <= {"in the region", "elsewhere in Germany", "abroad"}
    t3 = derived.largest_employers_table("Tabel 3")
    assert "elsewhere in the Netherlands" in set(t3["head office"])
    with pytest.raises(ValueError, match="no employers' table 'Tabel 4'; valid: Tabel 3, Tabel 5"):
        derived.largest_employers_table("Tabel 4")


def test_rd_top60_firms_are_tabel_3s_marked_firms_best_first():
    rd = derived.rd_top60_firms()
    # Tabel 3's (#n) marks: ASML 1, Philips 2, NXP 5, Unilever 9, Thales 11, DAF 12, VDL 14, Shell 34, Ten Cate 37
    assert list(rd["rd_top60_rank"]) == [1, 2, 5, 9, 11, 12, 14, 34, 37]
    assert list(rd["firm"][:2]) == ["ASML", "Philips Electronics"]


def test_hq_counts_long_pairs_the_recount_with_the_printed_count():
    long = derived.hq_counts_long(derived.hq_comparison().loc[DUTCH])
    assert len(long) == 8 and list(long["measure"][:2]) == ["outside the region", "abroad"]
    # Tabel 3: 'HQ buiten de regio' 7, 6, 6, 4; 'Waarvan buiten NL' 5, 4, 6, 3
    assert list(long.loc[long["measure"] == "outside the region", "stated"]) == [7, 6, 6, 4]
    assert list(long.loc[long["measure"] == "abroad", "stated"]) == [5, 4, 6, 3]
    assert long.loc[(long["region_id"] == "zo-brabant") & (long["measure"] == "abroad"), "recomputed"].item() == 3


# --- the regions' organisations and innovation types (chapters 3 and 4) -----------------------------------------------


def _organisation_rows():
    with (paths.ROOT / "data" / "organisations.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_organisations_table_and_the_dated_ones():
    rows = _organisation_rows()
    table = derived.organisations_table()
    assert len(table) == len(rows)
    park = table.set_index("name").loc["Vereniging Parkmanagement Bedrijventerreinen Emmen"]
    # chapter 4: 'met inmiddels meer dan 300 aangesloten ondernemingen'
    assert list(park[["kind", "founded", "member firms", "students"]]) == ["employers' association", "2003", "300", "–"]
    dated = derived.dated_organisations()
    assert len(dated) == sum(1 for r in rows if r["founded"])
    assert int((dated["founded"] >= 2010).sum()) == sum(1 for r in rows if r["founded"] and int(r["founded"]) >= 2010)
    assert set(dated.columns) == {"region_id", "region", "name", "kind", "founded"}


def test_pavitt_display_for_readers():
    shown = derived.pavitt_display(pd.read_csv(paths.ROOT / "data" / "pavitt_types.csv"))
    assert list(shown.columns) == ["region", "Pavitt type", "stated or interpreted", "the report's words", "chapter"]
    assert "Twente" in set(shown["region"])


# --- claims: the report's stated figures, checked against its own tables ----------------------------------------------


def test_claim_text_prints_a_figure_as_the_report_does():
    assert derived.claim_text("ch1_entry_rate") == "13%"  # 'Gemiddeld is jaarlijks 13 procent'
    assert derived.claim_text("ch4_popgrowth_drenthe") == f"{MINUS}1.6%"  # 'krimp (-1,6% over tien jaar ...)'
    assert derived.claim_text("ch1_philips_emmen_closure") == "2016"  # 'in september 2016 zou gaan sluiten'
    assert derived.claim_text("ch4_sectorplan_brainport_size") == "4.6"  # 'een omvang van 4,6 miljoen euro'
    assert derived.claim_text("ch1_bridge_builders") == "824"  # '824 actoren als bruggenbouwer'
    # chapter 5: 'met 5,9 % op 1 juni'; 'al met al 490 leden'; 'ongeveer 557.000 inwoners'; '-2,9 %'
    assert derived.claim_text("ch5_de_unemployment") == "5.9%"
    assert derived.claim_text("ch5_ems_achse_members") == "490"
    assert derived.claim_text("ch5_bremen_city_population") == f"557{NNBSP}000"
    assert derived.claim_text("ch5_bremen_pop_forecast") == f"{MINUS}2.9%"


def test_claim_text_in_another_unit_and_the_values_of_several_claims():
    # chapter 5: 'minder dan 2,7 miljoen' (claims.csv: million persons)
    assert derived.claim_text("ch5_de_unemployed", unit="million") == "2.7\u00a0million"
    assert derived.claim_text("ch5_de_unemployed") == "2.7"
    assert derived.claim_values(["ch5_de_unemployment", "ch5_ems_achse_members"]) == {
        "ch5_de_unemployment": 5.9,
        "ch5_ems_achse_members": 490,
    }


def test_industry_share_claims_against_both_tables():
    rows = derived.industry_share_claims(DUTCH).set_index("claim_id")
    drenthe = rows.loc["ch4_drenthe_industry_share"]
    # the text's '18%' is Tabel 2's 18; Tabel 1.1 gives C 9 / 60.0 thousand = 15.0%
    assert (drenthe["stated"], drenthe["quoted"]) == (18, 18)
    assert drenthe["recomputed"] == pytest.approx(9 / 60.0 * 100)
    shown = derived.industry_share_display(rows.reset_index())
    assert "tables differ" in set(shown["Tabel 2 against Tabel 1.1"])
    assert "discrepancy" not in set(shown["Tabel 2 against Tabel 1.1"])
    assert set(shown["region"]) <= {regions.name(r) for r in DUTCH}


def test_sector_share_claims_of_chapter_5():
    rows = derived.sector_share_claims("ch5_").set_index("claim_id")
    assert len(rows) == 17
    # Tabel 1.1: Bremen C 38.2 / 289.7 = 13.19% against the text's '13,2 %'
    assert rows.loc["ch5_bremen_industry", "recomputed"] == pytest.approx(38.2 / 289.7 * 100)
    shown = derived.sector_check_display(rows.reset_index())
    assert list(shown.columns) == [
        "the report says",
        "area",
        "stated (%)",
        "Tabel 1.1 (%)",
        "difference (points)",
        "verdict",
    ]
    assert "Bremen" in set(shown["area"])


def test_apprenticeship_market_and_education_shares_as_the_report_states_them():
    market = derived.apprenticeship_market()
    # chapter 5: 41.000 vacante leerplekken; 20.700 scholieren; 522.100 nieuwe leerwerkcontracten
    assert market["count"].tolist() == [41000, 20700, 522100]
    edu = derived.education_shares().set_index(["country", "level"])["share_percent"]
    # chapter 5: Germany low 20, middle 57, high 24; the Netherlands 31, 40, 29
    assert edu.loc["Germany"].tolist() == [20, 57, 24] and edu.loc["Netherlands"].tolist() == [31, 40, 29]


# --- the report's pairings of Dutch and German regions, tested (chapter 5) --------------------------------------------


def test_pairing_results_against_distances_computed_by_hand():
    raw = table_1_1().loc[SIX]
    shares = raw.div(raw.sum(axis=1), axis=0)
    pairing = derived.pairing_results(derived.employment().loc[SIX]).set_index("region")
    for region, partner, _ in regions.PAIRINGS:
        others = [r for r in SIX if r != region]
        dist = {r: float((shares.loc[region] - shares.loc[r]).abs().sum()) for r in others}
        rank = 1 + sum(d < dist[partner] for r, d in dist.items() if r != partner)
        row = pairing.loc[region]
        assert row["distance"] == pytest.approx(dist[partner])
        assert row["rank_of_partner"] == rank and row["nearest"] == min(dist, key=dist.get)
        assert row["p_value"] == pytest.approx(rank / 5) and row["smallest_attainable_p"] == pytest.approx(1 / 5)
        assert row["mean_distance_to_others"] == pytest.approx(np.mean([d for r, d in dist.items() if r != partner]))
        assert not row["supported"]
    assert pairing.loc["emsland", "rank_of_partner"] == 3 and pairing.loc["bremen", "rank_of_partner"] == 1
    shown = derived.pairing_display(pairing.reset_index())
    assert shown["p (exact)"].tolist() == ["0.600", "0.200"]
    assert shown["region"].tolist() == ["Landkreis Emsland", "Bremen"]


# --- the illustrative scorecard and the focus region's summary (chapter 6) --------------------------------------------


def test_the_scorecard_table_heads_each_indicator_with_its_element():
    shown = derived.scorecard_table(derived.scorecard_indicators()).set_index("region")
    assert list(shown.columns) == [
        "manufacturing share [demand / physical base (Tabel 1.1)]",
        "higher-educated share [talent (Tabel 2/4)]",
        "unemployment [talent, lower is better (Tabel 2/4)]",
        "population growth [demand (Tabel 2/4)]",
        "head offices in the region [leadership (Tabel 3/5)]",
        "place on the ladder of cooperation [networks (chapter 4)]",
    ]
    drenthe = shown.loc["Zuidoost-Drenthe"].tolist()
    # Tabel 1.1: C 9 of 60.0 thousand; Tabel 2: 24% higher educated, 7.7% unemployed, -1.6% population growth;
    # Tabel 3: ten firms, 'HQ buiten de regio' 7; chapter 4: the lowest of the Dutch regions on the ladder
    assert drenthe == pytest.approx([15.0, 24, 7.7, -1.6, 3, 1])
    assert list(shown.index) == [regions.name(r) for r in regions.STUDY_REGIONS]


def test_the_ecosystem_elements_split_as_figure_7_splits_them():
    elements = derived.ecosystem_elements()
    assert list(elements.columns) == ["group", "element", "the report's word"]
    # chapter 6: base elements regelgeving, cultuur, fysieke infrastructuur, vraag; six system elements
    base = elements[elements["group"] == "base element: hard to change"]
    assert base["the report's word"].tolist() == [
        "regelgeving",
        "cultuur",
        "fysieke infrastructuur",
        "vraag ofwel omvang van de markt",
    ]
    assert (elements["group"] == "system element: easier to influence").sum() == 6


def _ranked(region_ids):
    return pd.DataFrame(
        {"score": range(len(region_ids), 0, -1), "rank": range(1, len(region_ids) + 1)}, index=list(region_ids)
    )


def test_the_focus_summary_of_zuidoost_drenthe():
    summary = derived.focus_summary("zo-drenthe", _ranked(["twente", "zo-drenthe", "bremen"]))
    assert list(summary.columns) == ["chapter", "measure", "value"]
    assert summary["chapter"].tolist() == ["1", "2", "3", "3", "3", "4/5", "4/5", "4/5", "6"]
    assert summary["value"].tolist() == [
        "3.7% a year",  # Tabel 1.2: 175 in 2010, 195 in 2013: (195 / 175) ** (1 / 3) - 1 = 3.67%
        "46%",  # Tabel 1: 'Geen baan' 46
        "15.0%",  # Tabel 1.1: 9 of 60.0 thousand
        "Mining and quarrying (LQ 9.60)",  # Tabel 1.1: B 0.8 / 60.0 against the Netherlands' 10.7 / 7 701.1
        "scale-intensive",  # chapter 3
        "3",  # Tabel 3: ten firms, 'HQ buiten de regio' 7
        "niveau 2 (2 to 3) (interpreted; ladder 1 of 4)",
        "7.7%",  # Tabel 2: werkloosheid 7.7
        "2 of 3",
    ]


def test_the_focus_summary_of_a_region_without_tabel_1_and_1_2():
    values = derived.focus_summary("emsland", _ranked(regions.STUDY_REGIONS))["value"].tolist()
    assert values[:2] == ["no series in Tabel 1.2", "not in Tabel 1"]  # Tabel 1.2 has no value for Emsland
    assert values[-1] == "5 of 6"


def test_the_focus_summary_finds_the_specialisation_against_the_six_when_pooled():
    pooled = derived.focus_summary("zo-drenthe", _ranked(["zo-drenthe"]), "pooled")["value"][3]
    # Tabel 1.1, section B in the six regions: 0.8 + 0.2 + 0.9 + 0.2 + 0.7 + 0.1 = 2.9 of 60.0 + 271.2 + 637.3
    # + 381.2 + 120.5 + 289.7 = 1 759.9 thousand; Zuidoost-Drenthe 0.8 of 60.0: (0.8 / 60.0) / (2.9 / 1759.9) = 8.09
    assert pooled == "Mining and quarrying (LQ 8.09)"


# --- the datasets (appendix C) ----------------------------------------------------------------------------------------


def test_dataset_provenance_hashes_the_files_read():
    table = derived.dataset_provenance().set_index("dataset")
    row = table.loc["occupational_dynamics"]
    path = paths.DATA_DIR / "occupational_dynamics.csv"
    assert row["rows"] == 28  # four regions x seven measures
    assert row["sha256 (first 12)"] == hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert "Tabel 1" in row["report location"]
