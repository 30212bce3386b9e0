"""Statistical comparisons, each checked against an independent computation.

Oracles: hand arithmetic written out in the comments, or a library the code under test does not use for that
quantity (the chi-square tests are computed with scipy, so they are checked by hand and with statsmodels'
``Table(shift_zeros=False)``; the trends are fitted with statsmodels, so they are checked by hand and with
scipy's ``linregress``). The seeded simulations of coverage and rejection rates are in test_inference_simulations.py.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.contingency_tables import Table

from helpers import stats

SHARES = pd.DataFrame({"x": [20.0, 40.0], "y": [80.0, 60.0]}, index=["a", "b"])
# a 3 x 3 table with a zero cell: counts at n = 100 are the shares themselves
THREE_BY_THREE = pd.DataFrame(
    {"x": [0.0, 20.0, 10.0], "y": [30.0, 30.0, 40.0], "z": [70.0, 50.0, 50.0]}, index=["a", "b", "c"]
)


def hand_chi2(table: np.ndarray) -> float:
    """Pearson's chi-square by hand: sum (O - E)^2 / E with E = row total * column total / N."""
    table = np.asarray(table, dtype=float)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    return float(((table - expected) ** 2 / expected).sum())


def test_counts_from_shares_rescales_and_rounds():
    shares = pd.DataFrame({"x": [60.0, 24.0], "y": [42.0, 18.0]}, index=["a", "b"])  # rows add to 102 and 42
    counts = stats.counts_from_shares(shares, 100)
    # a: 60/102*100 = 58.82 -> 59, 42/102*100 = 41.18 -> 41; b: 24/42*100 = 57.14 -> 57, 18/42*100 = 42.86 -> 43
    assert counts.loc["a"].tolist() == [59, 41] and counts.loc["b"].tolist() == [57, 43]
    per_region = stats.counts_from_shares(shares, {"a": 200, "b": 50})
    # a: 60/102*200 = 117.65 -> 118; b: 18/42*50 = 21.43 -> 21
    assert per_region.loc["a", "x"] == 118 and per_region.loc["b", "y"] == 21


def test_counts_from_shares_refuses_bad_shares():
    with pytest.raises(stats.StatsInputError, match="non-negative and complete"):
        stats.counts_from_shares(pd.DataFrame({"x": [-1.0, 2.0], "y": [1.0, 1.0]}), 10)
    with pytest.raises(stats.StatsInputError, match="non-negative and complete"):
        stats.counts_from_shares(pd.DataFrame({"x": [np.nan, 2.0], "y": [1.0, 1.0]}), 10)
    with pytest.raises(stats.StatsInputError, match=r"region\(s\) b have all-zero shares"):
        stats.counts_from_shares(pd.DataFrame({"x": [1.0, 0.0], "y": [1.0, 0.0]}, index=["a", "b"]), 10)
    with pytest.raises(stats.StatsInputError, match="sample size missing for region"):
        stats.counts_from_shares(SHARES, {"a": 10})


def test_homogeneity_matches_hand_chi2_df_p_and_cramers_v():
    res = stats.homogeneity_test(SHARES, 100)
    # hand: expected 30/70 per row; chi2 = 2*(10²/30 + 10²/70) = 9.5238; df 1; p = erfc(sqrt(chi2 / 2)) for df 1
    assert res.statistic == pytest.approx(9.5238095, abs=1e-6) and res.df == 1
    assert res.p_value == pytest.approx(math.erfc(math.sqrt(9.5238095 / 2)), rel=1e-6)
    assert res.effect_size == pytest.approx(math.sqrt(9.5238095 / 200), abs=1e-6)  # V = sqrt(chi2 / (N (2 - 1)))
    assert res.n == {"a": 100, "b": 100} and res.assumptions["sample size per region"] == 100
    assert res.assumptions["categories dropped (empty in every region)"] == "none"


def test_zero_cell_is_not_shifted():
    # defect 1: counts [[0, 100], [10, 90]]; expected 5 / 95 per row
    # chi2 = 2 * (5²/5 + 5²/95) = 2 * (5 + 0.263158) = 10.526316; p = erfc(sqrt(10.526316 / 2)) = 0.001176
    shares = pd.DataFrame({"x": [0.0, 10], "y": [100.0, 90]}, index=["a", "b"])
    res = stats.homogeneity_test(shares, 100)
    assert res.statistic == pytest.approx(10.526316, abs=1e-5) and res.df == 1
    assert res.p_value == pytest.approx(math.erfc(math.sqrt(10.526316 / 2)), rel=1e-5)
    assert res.p_value == pytest.approx(0.001176, abs=2e-6)
    assert stats.cramers_v(stats.counts_from_shares(shares, 100)) == pytest.approx(math.sqrt(10.526316 / 200), abs=1e-6)
    sens = stats.sample_size_sensitivity(shares, [100])
    assert sens.loc[0, "chi2"] == pytest.approx(10.526316, abs=1e-5) and sens.loc[0, "df"] == 1


def test_three_by_three_with_a_zero_cell_against_statsmodels_unshifted():
    res = stats.homogeneity_test(THREE_BY_THREE, 100)
    table = THREE_BY_THREE.to_numpy()
    oracle = Table(table, shift_zeros=False).test_nominal_association()
    # expected: column totals 30 / 100 / 170 over N = 300 -> 10 / 33.33 / 56.67 per row
    # chi2 = (0-10)²/10 + (30-33.33)²/33.33 + (70-56.67)²/56.67 + (20-10)²/10 + ... = 20 + 0.3333 + 3.1373 + ...
    assert res.statistic == pytest.approx(hand_chi2(table)) and res.statistic == pytest.approx(oracle.statistic)
    assert res.df == 4 and oracle.df == 4
    assert res.p_value == pytest.approx(oracle.pvalue, rel=1e-9)
    assert res.effect_size == pytest.approx(math.sqrt(hand_chi2(table) / (300 * 2)))
    sens = stats.sample_size_sensitivity(THREE_BY_THREE, [100, 1000], alpha=0.01)
    assert sens["df"].tolist() == [4, 4]
    assert sens.loc[0, "p_value"] == pytest.approx(oracle.pvalue, rel=1e-9)
    assert sens.loc[1, "chi2"] == pytest.approx(10 * hand_chi2(table))
    assert sens.loc[0, "cramers_v"] == pytest.approx(res.effect_size)
    assert sens["significant"].tolist() == [bool(oracle.pvalue < 0.01), True]


def test_empty_category_is_dropped_with_its_degrees_of_freedom():
    # defect 2: x is empty everywhere -> table [[50, 50], [60, 40]]: expected 55 / 45
    # chi2 = 2 * (5²/55 + 5²/45) = 2 * (0.454545 + 0.555556) = 2.020202; df 1; p = erfc(sqrt(1.010101)) = 0.15518
    shares = pd.DataFrame({"x": [0.0, 0], "y": [50.0, 60], "z": [50.0, 40]}, index=["a", "b"])
    res = stats.homogeneity_test(shares, 100)
    assert res.df == 1 and res.statistic == pytest.approx(2.020202, abs=1e-6)
    assert res.p_value == pytest.approx(math.erfc(math.sqrt(2.020202 / 2)), rel=1e-6)
    assert res.p_value == pytest.approx(0.1552, abs=1e-4)
    assert res.assumptions["categories dropped (empty in every region)"] == "x"
    assert stats.sample_size_sensitivity(shares, [100]).loc[0, "df"] == 1
    # 3 x 4 with one empty category: df = (3 - 1) * (3 - 1) = 4
    wide = THREE_BY_THREE.assign(w=0.0)
    assert stats.homogeneity_test(wide, 100).df == 4
    assert stats.homogeneity_test(wide, 100).p_value == pytest.approx(
        stats.homogeneity_test(THREE_BY_THREE, 100).p_value
    )


def test_bias_corrected_cramers_v_by_hand():
    counts = stats.counts_from_shares(SHARES, 100)  # [[20, 80], [40, 60]], chi2 = 9.5238095, N = 200
    # phi2 = 9.5238095/200 - 1*1/199 = 0.04761905 - 0.00502513 = 0.04259392
    # r~ = c~ = 2 - 1/199 = 1.99497487; V~ = sqrt(0.04259392 / 0.99497487) = 0.2069034
    assert stats.bias_corrected_cramers_v(counts) == pytest.approx(0.2069034, abs=1e-6)
    res = stats.homogeneity_test(SHARES, 100)
    assert res.assumptions["bias-corrected Cramér's V (Bergsma 2013)"] == pytest.approx(0.2069034, abs=1e-6)
    # 3 x 3: phi2 = chi2/300 - 4/299; r~ = c~ = 3 - 4/299; V~ = sqrt(phi2 / (2 - 4/299))
    chi2 = hand_chi2(THREE_BY_THREE.to_numpy())
    expected = math.sqrt((chi2 / 300 - 4 / 299) / (2 - 4 / 299))
    assert stats.bias_corrected_cramers_v(THREE_BY_THREE) == pytest.approx(expected)
    # no association beyond chance -> 0, not a small positive number
    assert stats.bias_corrected_cramers_v(pd.DataFrame([[10, 11], [11, 10]])) == 0.0
    with pytest.raises(stats.StatsInputError, match="at least two observations, got 1.5"):
        stats.bias_corrected_cramers_v(pd.DataFrame([[1, 0], [0, 0.5]]))


def test_cramers_v_interval_is_not_printed():
    # defect 6: the percentile bootstrap interval of V covered far below its nominal level; the result has none
    res = stats.homogeneity_test(THREE_BY_THREE, 100)
    assert res.ci_low is None and res.ci_high is None


def test_tables_that_cannot_be_tested_are_refused():
    # defect 7: one region or one category gave p = NaN
    with pytest.raises(stats.StatsInputError, match="at least two regions, got 1"):
        stats.homogeneity_test(SHARES.loc[["a"]], 100)
    with pytest.raises(stats.StatsInputError, match="at least two non-empty categories, got 1"):
        stats.homogeneity_test(SHARES[["x"]], 100)
    with pytest.raises(stats.StatsInputError, match="at least two non-empty categories, got 1"):
        stats.homogeneity_test(pd.DataFrame({"x": [0.0, 0.0], "y": [10.0, 20.0]}), 100)
    with pytest.raises(stats.StatsInputError, match="at least two regions"):
        stats.smallest_significant_sample_size(SHARES.loc[["a"]])
    with pytest.raises(stats.StatsInputError, match="at least two non-empty categories"):
        stats.sample_size_sensitivity(SHARES[["y"]], [10])
    with pytest.raises(stats.StatsInputError, match="finite and non-negative"):
        stats.cramers_v(pd.DataFrame([[1.0, np.inf], [1.0, 2.0]]))
    with pytest.raises(stats.StatsInputError, match="finite and non-negative"):
        stats.cramers_v(pd.DataFrame([[1.0, -1.0], [1.0, 2.0]]))
    with pytest.raises(stats.StatsInputError, match=r"region\(s\) r2 have no counts"):
        stats.cramers_v(pd.DataFrame([[1.0, 2.0], [0.0, 0.0]], index=["r1", "r2"]))
    with pytest.raises(stats.StatsInputError, match="regions in rows and categories in columns"):
        stats.cramers_v(pd.DataFrame())
    with pytest.raises(stats.StatsInputError, match="finite, non-negative and complete"):
        stats.smallest_significant_sample_size(pd.DataFrame({"x": [np.inf, 1.0], "y": [1.0, 1.0]}))
    with pytest.raises(stats.StatsInputError, match="finite, non-negative and complete"):
        stats.smallest_significant_sample_size(pd.DataFrame({"x": [-1.0, 1.0], "y": [1.0, 1.0]}))


def test_sensitivity_p_falls_as_sample_size_grows():
    table = stats.sample_size_sensitivity(SHARES, [10, 50, 100, 1000])
    assert table["p_value"].is_monotonic_decreasing
    assert table["significant"].tolist() == [False, True, True, True]  # chi2 at n=10: 0.952, p = 0.33
    assert table["sample_size"].tolist() == [10, 50, 100, 1000]
    # chi2 at n = 10 (counts [[2, 8], [4, 6]]): expected 3 / 7; 2 * (1/3 + 1/7) = 0.952381; p = erfc(sqrt(.476190))
    assert table.loc[0, "chi2"] == pytest.approx(0.952381, abs=1e-6)
    assert table.loc[0, "p_value"] == pytest.approx(math.erfc(math.sqrt(0.952381 / 2)), rel=1e-5)
    assert table.loc[0, "cramers_v"] == pytest.approx(math.sqrt(0.952381 / 20), abs=1e-6)
    # at alpha = 0.5 n = 10 is significant (p = 0.33)
    assert stats.sample_size_sensitivity(SHARES, [10], alpha=0.5)["significant"].tolist() == [True]


def test_smallest_significant_sample_size_closed_form():
    # per unit of n (unrounded): expected .3/.7 per row; chi2(1) = 2 * (.1²/.3 + .1²/.7) = 0.0952381
    # critical chi2(1 df, .05) = 3.841459 -> n* = floor(3.841459 / 0.0952381) + 1 = floor(40.335) + 1 = 41
    assert stats.smallest_significant_sample_size(SHARES) == 41
    # alpha = .01: critical 6.634897 -> floor(69.666) + 1 = 70
    assert stats.smallest_significant_sample_size(SHARES, alpha=0.01) == 70
    assert stats.smallest_significant_sample_size(pd.DataFrame({"x": [50.0, 50.0], "y": [50.0, 50.0]})) is None


def test_smallest_significant_sample_size_with_a_zero_cell():
    # defect 3 (crashed on a read-only array): fractions [[0, 1], [.1, .9]]; expected .05 / .95 per row
    # chi2(1) = 2 * (.05²/.05 + .05²/.95) = 0.1 + 0.0052632 = 0.1052632; n* = floor(3.841459 / 0.1052632) + 1 = 37
    shares = pd.DataFrame({"x": [0.0, 10], "y": [100.0, 90]}, index=["a", "b"])
    assert stats.smallest_significant_sample_size(shares) == 37
    # 3 x 3 with a zero cell, df 4: critical 9.487729; chi2 per person = hand chi2 of the fractions
    per_person = hand_chi2(THREE_BY_THREE.to_numpy() / 100)
    assert stats.smallest_significant_sample_size(THREE_BY_THREE) == math.floor(9.487729 / per_person) + 1
    # an empty category does not count: same answer as without it
    assert stats.smallest_significant_sample_size(THREE_BY_THREE.assign(w=0.0)) == math.floor(9.487729 / per_person) + 1


def test_rounding_range_brackets_the_printed_table():
    narrow = stats.rounding_range(THREE_BY_THREE, 100, half_width=0.0, n_draws=3)
    printed = stats.homogeneity_test(THREE_BY_THREE, 100).p_value
    assert narrow["p_low"] == narrow["p_high"] == pytest.approx(printed) == pytest.approx(narrow["p_printed"])
    assert narrow["n_min_low"] == narrow["n_min_high"] == stats.smallest_significant_sample_size(THREE_BY_THREE)
    near = pd.DataFrame({"x": [20.0, 21.0], "y": [80.0, 79.0]}, index=["a", "b"])
    wide = stats.rounding_range(near, 12_000, n_draws=50, seed=1)  # printed n* is 12 522
    assert wide["p_low"] < wide["p_printed"] < wide["p_high"]
    # +-0.5 points can bring the rows almost together: the smallest significant n spreads widely
    assert wide["n_min_low"] < stats.smallest_significant_sample_size(near) < wide["n_min_high"]
    assert 0 < wide["share_significant"] < 1
    with pytest.raises(stats.StatsInputError, match="half_width must be non-negative"):
        stats.rounding_range(near, 100, half_width=-0.1)


def test_wilson_interval_matches_the_formula():
    low, high = stats.wilson_interval(20, 100)
    # Wilson: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), p = .2, n = 100, z = 1.959964
    z = 1.959963985
    centre = (0.2 + z**2 / 200) / (1 + z**2 / 100)
    half = z * math.sqrt(0.2 * 0.8 / 100 + z**2 / 40000) / (1 + z**2 / 100)
    assert low == pytest.approx((centre - half) * 100) and high == pytest.approx((centre + half) * 100)
    # alpha = .1: z = 1.644854
    z = 1.644853627
    low, high = stats.wilson_interval(20, 100, alpha=0.1)
    centre = (0.2 + z**2 / 200) / (1 + z**2 / 100)
    half = z * math.sqrt(0.2 * 0.8 / 100 + z**2 / 40000) / (1 + z**2 / 100)
    assert low == pytest.approx((centre - half) * 100) and high == pytest.approx((centre + half) * 100)
    with pytest.raises(stats.StatsInputError, match="share must lie within 0-100, got 101"):
        stats.wilson_interval(101, 100)
    with pytest.raises(stats.StatsInputError, match="within 0-100"):
        stats.wilson_interval(-1, 100)
    table = stats.wilson_table(pd.Series({"a": 20.0, "b": 0.0}), {"a": 100, "b": 50})
    assert table["n"].tolist() == [100, 50] and table["share_percent"].tolist() == [20.0, 0.0]
    # b: zero successes of 50 -> lower bound 0, upper z²/(n + z²) = 3.841459 / 53.841459 = 7.1347%
    assert table.loc[1, "ci_low"] == pytest.approx(0, abs=1e-12)
    assert table.loc[1, "ci_high"] == pytest.approx(3.841459 / 53.841459 * 100, abs=1e-4)
    assert table["region_id"].tolist() == ["a", "b"]


def test_pairwise_proportions_match_hand_z_and_holm():
    shares = pd.Series({"a": 20.0, "b": 40.0, "c": 30.0})
    out = stats.pairwise_proportions(shares, 100).set_index(["region_a", "region_b"])
    # a-b: pooled p = .3, se = sqrt(.3*.7*(2/100)) = 0.064807; z = -.2/.064807 = -3.0861
    assert out.loc[("a", "b"), "z"] == pytest.approx(-0.2 / math.sqrt(0.3 * 0.7 * 0.02))
    assert out.loc[("a", "b"), "p_value"] == pytest.approx(math.erfc(3.0860670 / math.sqrt(2)), rel=1e-6)
    assert out.loc[("a", "b"), "difference"] == pytest.approx(-20) and out.loc[("a", "b"), "share_b"] == 40
    p_raw = out["p_value"].to_numpy()
    order = np.argsort(p_raw)
    holm = np.minimum(1, np.maximum.accumulate(p_raw[order] * (3 - np.arange(3))))
    expected = np.empty(3)
    expected[order] = holm
    assert np.allclose(out["p_adjusted"], expected)
    assert out["reject"].tolist() == (expected < 0.05).tolist()
    same = stats.pairwise_proportions(pd.Series({"a": 0.0, "b": 0.0}), 100)
    assert same.loc[0, "p_value"] == 1.0 and same.loc[0, "z"] == 0.0
    with pytest.raises(stats.StatsInputError, match="at least two regions"):
        stats.pairwise_proportions(pd.Series({"a": 10.0}), 100)


def test_smallest_n_for_extreme_by_hand():
    # two regions, one comparison: n* = floor(z² 2 pbar (1 - pbar) / d²) + 1 = floor(3.841459 * .5 / .0064) + 1 = 301
    assert stats.smallest_n_for_extreme(pd.Series({"a": 54.0, "b": 46.0}), "a", "highest") == 301
    assert stats.smallest_n_for_extreme(pd.Series({"a": 54.0, "b": 46.0}), "b", "lowest") == 301
    # three regions .6/.5/.4, Holm over a's two comparisons: a-c is far stronger, so a-b needs p < .05:
    # n > 3.841459 * 2 * .55 * .45 / .01 = 190.15 -> 191 (a-c at 191: z² = 191 * .04 / .5 = 15.3, p < .001)
    three = pd.Series({"a": 60.0, "b": 50.0, "c": 40.0})
    assert stats.smallest_n_for_extreme(three, "a", "highest") == 191
    # with Bonferroni over two comparisons a-b needs p < .025: z = 2.241403, n > 2.241403² * .495 / .01 = 248.68
    assert stats.smallest_n_for_extreme(three, "a", "highest", correction="bonferroni") == 249
    assert stats.smallest_n_for_extreme(three, "b", "highest") is None  # b is not the highest
    assert stats.smallest_n_for_extreme(pd.Series({"a": 50.0, "b": 50.0}), "a", "highest") is None  # a tie
    # .501 against .500: c = .001² / (2 * .5005 * .4995) = 2.0000e-6 -> n* = floor(3.841459 / 2.0000e-6) + 1
    assert (
        stats.smallest_n_for_extreme(pd.Series({"a": 50.1, "b": 50.0}), "a", "highest")
        == math.floor(3.841459 / (0.001**2 / (2 * 0.5005 * 0.4995))) + 1
    )
    with pytest.raises(stats.StatsInputError, match=r"^correction must be 'holm' or 'bonferroni', got 'fdr_bh'$"):
        stats.smallest_n_for_extreme(three, "a", "highest", correction="fdr_bh")
    with pytest.raises(stats.StatsInputError, match="direction must be 'highest' or 'lowest'"):
        stats.smallest_n_for_extreme(three, "a", "largest")
    with pytest.raises(stats.StatsInputError, match="region 'x' not among a, b, c"):
        stats.smallest_n_for_extreme(three, "x", "highest")
    with pytest.raises(stats.StatsInputError, match="between 0 and 100"):
        stats.smallest_n_for_extreme(pd.Series({"a": 120.0, "b": 10.0}), "a", "highest")


def test_log_linear_trend_matches_scipy_linregress():
    series = pd.Series([560, 620, 635, 660], index=[2010, 2011, 2012, 2013])  # Tabel 1.2, Twente
    res = stats.log_linear_trend(series)
    lr = sps.linregress(series.index, np.log(series.to_numpy()))
    assert res["slope"] == pytest.approx(lr.slope) and res["p_value"] == pytest.approx(lr.pvalue)
    t = sps.t.ppf(0.975, 2)
    assert res["ci_low"] == pytest.approx(math.expm1(lr.slope - t * lr.stderr) * 100)
    assert res["ci_high"] == pytest.approx(math.expm1(lr.slope + t * lr.stderr) * 100)
    assert res["growth_percent"] == pytest.approx(math.expm1(lr.slope) * 100)
    assert res["n_years"] == 4 and res["df_resid"] == 2


def _separate_fits(region: pd.Series, reference: pd.Series):
    """The interaction model by hand: two separate lines, pooled residual variance, t with n - 4 df."""
    fits, sse, sxx = [], 0.0, []
    for series in (region, reference):
        x, y = np.asarray(series.index, float), np.log(series.to_numpy(float))
        lr = sps.linregress(x, y)
        fits.append(lr.slope)
        sse += float(((y - lr.intercept - lr.slope * x) ** 2).sum())
        sxx.append(float(((x - x.mean()) ** 2).sum()))
    df = len(region) + len(reference) - 4
    se = math.sqrt(sse / df * (1 / sxx[0] + 1 / sxx[1]))
    return fits[0] - fits[1], se, df


def test_trend_difference_matches_two_separate_fits():
    years = [2010, 2011, 2012, 2013]
    region = pd.Series([100 * 1.10**i for i in range(4)], index=years) * [1.01, 0.99, 1.0, 1.005]
    ref = pd.Series([100.0] * 4, index=years) * [0.99, 1.01, 1.0, 0.995]
    res = stats.trend_difference(region, ref)
    b, se, df = _separate_fits(region, ref)
    t = sps.t.ppf(0.975, df)
    assert res.df == 4 and res.statistic == pytest.approx(b / se)
    assert res.p_value == pytest.approx(2 * sps.t.sf(abs(b / se), df))
    assert res.effect_size == pytest.approx(math.expm1(b) * 100)
    assert res.ci_low == pytest.approx(math.expm1(b - t * se) * 100)
    assert res.ci_high == pytest.approx(math.expm1(b + t * se) * 100)
    assert res.effect_size == pytest.approx(10, abs=1.5) and res.p_value < 0.01
    same = stats.trend_difference(ref * 2, ref)
    assert same.p_value > 0.99 and abs(same.effect_size) < 1e-9


def test_trend_difference_effect_lies_inside_its_interval_for_fast_growth():
    # defect 4: a region growing about 50% a year against a flat reference; effect and interval on one scale
    years = [2010, 2011, 2012, 2013]
    region = pd.Series([100 * 1.5**i for i in range(4)], index=years) * [1.01, 0.99, 1.0, 1.005]
    ref = pd.Series([100.0] * 4, index=years) * [0.99, 1.01, 1.0, 0.995]
    res = stats.trend_difference(region, ref)
    assert res.ci_low < res.effect_size < res.ci_high
    b, _, _ = _separate_fits(region, ref)
    assert res.effect_size == pytest.approx(math.expm1(b) * 100)  # about 50, not 49.9 beside [39.6, 41.5]
    assert res.effect_size == pytest.approx(50, abs=2)


def test_trend_against_the_rest_of_the_country():
    years = [2010, 2011, 2012, 2013]
    region = pd.Series([10.0, 12, 14, 17], index=years)
    country = pd.Series([100.0, 104, 108, 115], index=years)
    rest = stats.rest_of_country(region, country)
    assert rest.tolist() == [90, 92, 94, 98]  # 100 - 10, 104 - 12, 108 - 14, 115 - 17
    res = stats.trend_against_rest(region, country)
    b, _, _ = _separate_fits(region, pd.Series([90.0, 92, 94, 98], index=years))
    assert res.effect_size == pytest.approx(math.expm1(b) * 100)
    assert res.assumptions["reference"] == "rest of the country (country minus region)"
    with pytest.raises(stats.StatsInputError, match="twente: the country's count does not exceed the region's in 2012"):
        stats.rest_of_country(region, pd.Series([100.0, 104, 14, 115], index=years), label="twente")


def test_trend_needs_three_positive_years():
    with pytest.raises(stats.StatsInputError, match="bremen: a trend needs at least three years with values, got 1"):
        stats.log_linear_trend(pd.Series([233.0, np.nan, np.nan], index=[2011, 2012, 2013]), label="bremen")
    with pytest.raises(stats.StatsInputError, match="x: counts must be positive for a log trend"):
        stats.log_linear_trend(pd.Series([1.0, 0.0, 2.0], index=[2011, 2012, 2013]), label="x")


# --- the pairing test -----------------------------------------------------------------------------------------

PAIR_COLUMNS = ["s1", "s2", "s3"]


def _pairing_matrix() -> pd.DataFrame:
    # shares of A: .5 .3 .2; distances (sum of absolute differences) written beside each row
    return pd.DataFrame(
        [
            [50, 30, 20],  # A
            [48, 32, 20],  # B: .02 + .02 + 0 = 0.04
            [40, 30, 30],  # o1: .1 + 0 + .1 = 0.20
            [20, 40, 40],  # o2: .3 + .1 + .2 = 0.60
            [60, 20, 20],  # o3: .1 + .1 + 0 = 0.20
            [30, 30, 40],  # o4: .2 + 0 + .2 = 0.40
        ],
        index=["A", "B", "o1", "o2", "o3", "o4"],
        columns=PAIR_COLUMNS,
        dtype=float,
    )


def test_pairing_test_is_exact_over_whole_regions():
    mat = _pairing_matrix()
    close = stats.profile_pairing_test(mat, "A", "B")
    # B is the nearest of five: p = 1/5 = the floor, above .05: the data cannot confirm or refute the pairing
    assert close.p_value == pytest.approx(0.2) and close.assumptions["smallest attainable p"] == pytest.approx(0.2)
    assert close.assumptions["candidate rank by distance"] == 1 and close.n == 5
    assert close.effect_size == pytest.approx(0.04)
    # T = mean(.2, .6, .2, .4) - .04 = .35 - .04 = .31
    assert close.statistic == pytest.approx(0.31) and close.assumptions["mean distance to others"] == pytest.approx(
        0.35
    )
    assert close.assumptions["verdict"] == "the data cannot confirm or refute the pairing at this level"
    assert close.assumptions["nearest region"] == "B"
    # o1 ties with o3 at .20: two regions at least as close plus B -> p = 3/5, rank 2
    tied = stats.profile_pairing_test(mat, "A", "o1")
    assert tied.p_value == pytest.approx(0.6) and tied.assumptions["candidate rank by distance"] == 2
    far = stats.profile_pairing_test(mat, "A", "o2")
    assert far.p_value == pytest.approx(1.0) and far.assumptions["candidate rank by distance"] == 5
    # at alpha = .25 the floor (.2) is attainable: the nearest is supported, a far one is not
    assert "supports the pairing" in stats.profile_pairing_test(mat, "A", "B", alpha=0.25).assumptions["verdict"]
    assert (
        "not supported at this level" in stats.profile_pairing_test(mat, "A", "o2", alpha=0.25).assumptions["verdict"]
    )
    # the floor follows the pool: two others -> 1/3
    small = stats.profile_pairing_test(mat, "A", "B", others=["o1", "o2"])
    assert small.assumptions["smallest attainable p"] == pytest.approx(1 / 3) and small.p_value == pytest.approx(1 / 3)


def test_pairing_floor_changes_with_the_pool_size():
    rng = np.random.default_rng(3)
    rows = rng.uniform(1, 10, (25, 6))
    rows[1] = rows[0] * 1.001  # the candidate is a near copy of the region
    mat = pd.DataFrame(rows, index=["A", "B", *[f"o{i}" for i in range(23)]], columns=[f"s{i}" for i in range(6)])
    res = stats.profile_pairing_test(mat, "A", "B")
    # 24 comparison regions: floor 1/24 < .05, and the near copy is nearest -> p = 1/24, supported
    assert res.assumptions["smallest attainable p"] == pytest.approx(1 / 24) and res.p_value == pytest.approx(1 / 24)
    assert "supports the pairing" in res.assumptions["verdict"]


def test_pairing_input_is_checked():
    mat = _pairing_matrix()
    with pytest.raises(stats.StatsInputError, match=r"region\(s\) Z not in the matrix"):
        stats.profile_pairing_test(mat, "A", "Z")
    with pytest.raises(stats.StatsInputError, match="a different candidate"):
        stats.profile_pairing_test(mat, "A", "A")
    with pytest.raises(stats.StatsInputError, match="at least one other"):
        stats.profile_pairing_test(mat, "A", "B", others=[])
    with pytest.raises(stats.StatsInputError, match="at least one other"):
        stats.profile_pairing_test(mat, "A", "B", others=["o1", "o1"])


# --- validation of other input ------------------------------------------------------------------------------


def test_sample_size_below_one_is_rejected():
    with pytest.raises(stats.StatsInputError, match="must be at least 1, got 0"):
        stats.homogeneity_test(SHARES, 0)
    with pytest.raises(stats.StatsInputError, match="must be an integer"):
        stats.pairwise_proportions(SHARES["x"], 2.5)
    with pytest.raises(stats.StatsInputError, match="must be an integer"):
        stats.pairwise_proportions(SHARES["x"], True)


def test_kaplan_meier_matches_hand_product_limit():
    # times 1,2,2,3,4 with events 1,1,0,1,0: S(1) = 4/5; S(2) = 4/5 * 3/4 = .6; S(3) = .6 * 1/2 = .3
    table, summary = stats.kaplan_meier(pd.Series([1, 2, 2, 3, 4]), pd.Series([1, 1, 0, 1, 0]))
    assert table.set_index("time")["survival"].loc[[1, 2, 3]].tolist() == pytest.approx([0.8, 0.6, 0.3])
    # restricted mean to 4: 1*1 + 1*.8 + 1*.6 + 1*.3 = 2.7
    assert summary["restricted_mean_years"] == pytest.approx(2.7) and summary["median_years"] == 3
    assert summary["n"] == 5 and summary["events"] == 3 and summary["horizon_years"] == 4
    # Greenwood at t = 1: var = S² * 1/(5*4) = .64/20 = .032; half width 1.959964 * sqrt(.032) = 0.350609
    first = table.set_index("time").loc[1]
    assert first["ci_low"] == pytest.approx(0.8 - 0.350609, abs=1e-5) and first["ci_high"] == pytest.approx(1.0)
    _, short = stats.kaplan_meier(pd.Series([1, 2, 2, 3, 4]), pd.Series([1, 1, 0, 1, 0]), horizon=2.5)
    # restricted mean to 2.5: 1 + .8 + .5 * .6 = 2.1; survival at 2.5 = .6
    assert short["restricted_mean_years"] == pytest.approx(2.1) and short["survival_at_horizon"] == pytest.approx(0.6)
    _, none = stats.kaplan_meier(pd.Series([1.0, 2.0]), pd.Series([0, 0]))
    assert none["median_years"] is None


def test_kaplan_meier_refuses_bad_durations_and_event_codes():
    # defect 7: a NaN duration or an event code other than 0/1 was accepted
    with pytest.raises(stats.StatsInputError, match="no missing values"):
        stats.kaplan_meier(pd.Series([1.0, np.nan, 2.0]), pd.Series([1, 0, 1]))
    with pytest.raises(
        stats.StatsInputError, match=r"event codes must be 0 \(censored\) or 1 \(occupation ended\), got \[2.0\]"
    ):
        stats.kaplan_meier(pd.Series([1.0, 2.0, 3.0]), pd.Series([1, 2, 0]))
    with pytest.raises(stats.StatsInputError, match="event codes must be 0"):
        stats.kaplan_meier(pd.Series([1.0, 2.0, 3.0]), pd.Series([1, np.nan, 0]))
    with pytest.raises(stats.StatsInputError, match="must be positive"):
        stats.kaplan_meier(pd.Series([1.0, 0.0]), pd.Series([1, 0]))
    with pytest.raises(stats.StatsInputError, match="must be positive"):
        stats.kaplan_meier(pd.Series([1.0, np.inf]), pd.Series([1, 0]))
    with pytest.raises(stats.StatsInputError, match=r"differ in length \(2 and 3\)"):
        stats.kaplan_meier(pd.Series([1.0, 2.0]), pd.Series([1, 0, 1]))
    with pytest.raises(stats.StatsInputError, match="non-empty"):
        stats.kaplan_meier(pd.Series([], dtype=float), pd.Series([], dtype=int))


def test_career_outcomes_model_recovers_group_shares():
    frame = pd.DataFrame(
        {
            "person_id": range(400),
            "education": ["mbo2"] * 200 + ["mbo4"] * 200,
            "occupation_group": "x",
            "duration_years": 1.0,
            "occupation_ended": 1,
            "outcome": ["higher"] * 20 + ["same"] * 180 + ["higher"] * 100 + ["same"] * 100,
        }
    )
    probs, result = stats.career_outcomes_model(frame)
    # a saturated model reproduces the observed shares: mbo2 10% higher, mbo4 50% higher
    assert probs.loc["mbo2", "higher"] == pytest.approx(10, abs=1e-3)
    assert probs.loc["mbo4", "higher"] == pytest.approx(50, abs=1e-3)
    assert result.p_value < 1e-10 and result.df == 1 and result.n == 400
    # LR by hand: 2 * [sum n ln p_group - sum n ln p_pooled]; pooled 'higher' = 120/400 = .3
    ll_full = 20 * math.log(0.1) + 180 * math.log(0.9) + 100 * math.log(0.5) + 100 * math.log(0.5)
    ll_null = 120 * math.log(0.3) + 280 * math.log(0.7)
    assert result.statistic == pytest.approx(2 * (ll_full - ll_null), rel=1e-5)
    with pytest.raises(stats.StatsInputError, match="at least two different outcomes"):
        stats.career_outcomes_model(frame.assign(outcome="same"))


def test_cohort_schema_errors_name_the_column():
    with pytest.raises(stats.StatsInputError, match="lack column"):
        stats.validate_cohort(pd.DataFrame({"person_id": [1]}))
    good = pd.DataFrame(
        {
            "person_id": [1, 2],
            "education": "a",
            "occupation_group": "x",
            "duration_years": [1.0, 2.0],
            "occupation_ended": [1, 0],
            "outcome": ["same", "lower"],
        }
    )
    assert stats.validate_cohort(good) is good
    with pytest.raises(stats.StatsInputError, match="person_id is not unique"):
        stats.validate_cohort(good.assign(person_id=1))
    with pytest.raises(stats.StatsInputError, match="duration_years must be a positive number"):
        stats.validate_cohort(good.assign(duration_years=[1.0, 0.0]))
    with pytest.raises(stats.StatsInputError, match="occupation_ended must be 0 or 1"):
        stats.validate_cohort(good.assign(occupation_ended=[1, 2]))
    with pytest.raises(stats.StatsInputError, match=r"unknown outcome\(s\) \['better'\]"):
        stats.validate_cohort(good.assign(outcome=["same", "better"]))


def test_composite_index_and_rank_stability_on_a_known_case():
    # r1 dominates every indicator, r3 is last on every one: their ranks cannot change under any weights
    ind = pd.DataFrame(
        {"i1": [3.0, 2.0, 1.0], "i2": [30.0, 10.0, 5.0], "i3": [1.0, 0.5, 0.0]}, index=["r1", "r2", "r3"]
    )
    comp = stats.composite_index(ind, {"i1": 1, "i2": 1, "i3": 1})
    assert comp["rank"].to_dict() == {"r1": 1, "r2": 2, "r3": 3}
    # scores by hand: i1 z = (1, 0, -1) / sqrt(2/3) = (1.224745, 0, -1.224745)
    assert stats.composite_index(ind[["i1"]], {"i1": 2})["score"].to_dict() == pytest.approx(
        {"r1": 1.224745, "r2": 0.0, "r3": -1.224745}, abs=1e-6
    )
    stab = stats.rank_stability(ind, n_draws=200)
    assert stab["share_same_rank"].eq(1.0).all() and stab["base_rank"].tolist() == [1, 2, 3]
    assert stab["best_rank"].tolist() == [1, 2, 3] and stab["worst_rank"].tolist() == [1, 2, 3]
    # a 'lower is better' indicator flips the order
    flipped = stats.composite_index(ind[["i1"]], {"i1": 1}, {"i1": -1})
    assert flipped["rank"].to_dict() == {"r3": 1, "r2": 2, "r1": 3}
    with pytest.raises(stats.StatsInputError, match="weights missing for indicator"):
        stats.composite_index(ind, {"i1": 1})
    with pytest.raises(stats.StatsInputError, match=r"weights given for unknown indicator\(s\) i9; valid: i1, i2, i3"):
        stats.composite_index(ind, {"i1": 1, "i2": 1, "i3": 1, "i9": 1})
    with pytest.raises(stats.StatsInputError, match="non-negative with a positive sum"):
        stats.composite_index(ind, {"i1": 0, "i2": 0, "i3": 0})
    with pytest.raises(stats.StatsInputError, match="non-negative with a positive sum"):
        stats.composite_index(ind, {"i1": -1, "i2": 1, "i3": 1})
    with pytest.raises(stats.StatsInputError, match="missing values"):
        stats.composite_index(ind.assign(i1=[1.0, np.nan, 2.0]), {"i1": 1, "i2": 1, "i3": 1})


def test_rank_stability_equals_composite_index_draw_by_draw():
    rng = np.random.default_rng(3)
    indicators = pd.DataFrame(rng.normal(size=(5, 4)), index=list("abcde"), columns=["p", "q", "r", "s"])
    indicators.loc["e"] = indicators.loc["d"]  # two regions alike in everything: tied in every draw
    indicators["s"] = 1.0  # an indicator that does not vary
    directions = {"q": -1}
    out = stats.rank_stability(
        indicators, directions, n_draws=300, seed=11, base_weights={"p": 2, "q": 1, "r": 1, "s": 1}
    )
    draws = np.random.default_rng(11).dirichlet(np.ones(4), size=300)
    ranks = pd.DataFrame(
        [stats.composite_index(indicators, dict(zip(indicators.columns, w)), directions)["rank"] for w in draws]
    )
    base = stats.composite_index(indicators, {"p": 2, "q": 1, "r": 1, "s": 1}, directions)["rank"]
    assert out["base_rank"].to_dict() == base.to_dict()
    assert out["share_same_rank"].to_dict() == pytest.approx(ranks.eq(base, axis="columns").mean().to_dict())
    assert out["mean_rank"].to_dict() == pytest.approx(ranks.mean().to_dict())
    assert out["best_rank"].to_dict() == ranks.min().to_dict() and out["worst_rank"].to_dict() == ranks.max().to_dict()
    assert out.loc["d", "mean_rank"] == out.loc["e", "mean_rank"]  # ties share the better rank, as in composite_index


def test_composite_index_with_a_constant_indicator_ignores_it():
    ind = pd.DataFrame({"i1": [3.0, 2.0, 1.0], "flat": [5.0, 5.0, 5.0]}, index=["r1", "r2", "r3"])
    both = stats.composite_index(ind, {"i1": 1, "flat": 1})
    # flat z-scores are 0: score = (z_i1 + 0) / 2
    assert both["score"].to_dict() == pytest.approx({"r1": 0.612372, "r2": 0.0, "r3": -0.612372}, abs=1e-6)


def test_composite_index_refuses_unknown_or_invalid_directions():
    # defect 7: an unknown indicator name or a direction other than +1/-1 was accepted silently
    ind = pd.DataFrame({"i1": [3.0, 2.0, 1.0], "i2": [1.0, 5.0, 2.0]}, index=["r1", "r2", "r3"])
    with pytest.raises(stats.StatsInputError, match=r"directions given for unknown indicator\(s\) i9; valid: i1, i2"):
        stats.composite_index(ind, {"i1": 1, "i2": 1}, {"i9": -1})
    with pytest.raises(stats.StatsInputError, match=r"directions must be \+1 \(higher is better\) or -1"):
        stats.composite_index(ind, {"i1": 1, "i2": 1}, {"i1": 2})
    with pytest.raises(stats.StatsInputError, match="directions must be"):
        stats.composite_index(ind, {"i1": 1, "i2": 1}, {"i1": 0})
    with pytest.raises(stats.StatsInputError, match="directions must be"):
        stats.composite_index(ind, {"i1": 1, "i2": 1}, {"i1": True})
    assert stats.composite_index(ind, {"i1": 1, "i2": 1}, {"i1": -1, "i2": 1})["rank"].to_dict() == {
        "r2": 1,
        "r3": 2,
        "r1": 3,
    }


def test_test_result_flattens_to_a_series():
    res = stats.homogeneity_test(SHARES, {"a": 100, "b": 50})
    flat = res.to_series()
    assert flat["n"] == "{'a': 100, 'b': 50}" and "sample size per region: {'a': 100, 'b': 50}" in flat["assumptions"]
    assert flat["test"] == "chi-square test of homogeneity"


def test_extreme_region_test_by_hand():
    shares = pd.Series({"a": 60.0, "b": 50.0, "c": 40.0})
    res = stats.extreme_region_test(shares, "a", "highest", 200)
    # a-b: pbar .55, z = .1 / sqrt(.55 * .45 * 2/200) = 2.010076; a-c: pbar .5, z = .2 / sqrt(.25 * .01) = 4.0
    p_ab, p_ac = math.erfc(2.010076 / math.sqrt(2)), math.erfc(4.0 / math.sqrt(2))
    # Holm over two: smaller p times 2, larger p times 1, then running maximum
    assert res.p_value == pytest.approx(max(2 * p_ac, p_ab), rel=1e-5) and res.p_value == pytest.approx(
        0.04442, abs=1e-4
    )
    assert res.statistic == pytest.approx(2.010076, abs=1e-5)
    assert res.assumptions["comparisons"] == 2 and res.assumptions["direction holds in the table"] is True
    bonf = stats.extreme_region_test(shares, "a", "highest", 200, correction="bonferroni")
    assert bonf.p_value == pytest.approx(min(1, 2 * p_ab), rel=1e-5)
    assert stats.extreme_region_test(shares, "c", "lowest", 200).p_value == pytest.approx(res.p_value, rel=1e-5)
    wrong = stats.extreme_region_test(shares, "b", "highest", 200)
    assert wrong.p_value == 1.0 and wrong.assumptions["direction holds in the table"] is False
    assert stats.extreme_region_test(shares, "a", "lowest", 200).p_value == 1.0
    with pytest.raises(stats.StatsInputError, match="direction must be"):
        stats.extreme_region_test(shares, "a", "up", 200)
    with pytest.raises(stats.StatsInputError, match="region 'q' not among"):
        stats.extreme_region_test(shares, "q", "highest", 200)
    with pytest.raises(stats.StatsInputError, match="at least two regions"):
        stats.extreme_region_test(shares[["a"]], "a", "highest", 200)


def test_rounding_range_recomputes_a_complement_column():
    shares = pd.DataFrame({"no_job": [54.0, 46.0], "job": [46.0, 54.0]}, index=["a", "b"])
    exact = stats.rounding_range(shares, 500, half_width=0.0, n_draws=2, complement="job")
    assert exact["p_low"] == pytest.approx(stats.homogeneity_test(shares, 500).p_value)
    with pytest.raises(stats.StatsInputError, match="complement 'work' is not a column; columns: no_job, job"):
        stats.rounding_range(shares, 500, complement="work")


def _rounding_range_draw_by_draw(shares, n, alpha, half_width, n_draws, seed, complement=None):
    """The range the slow way: each draw a DataFrame through the public homogeneity_test and
    smallest_significant_sample_size (the same seeded draws as rounding_range)."""
    rng = np.random.default_rng(seed)
    p_values, n_mins = [], []
    for _ in range(n_draws):
        draw = (shares + rng.uniform(-half_width, half_width, shares.shape)).clip(lower=0)
        if complement is not None:
            draw[complement] = (100 - draw.drop(columns=complement).sum(axis=1)).clip(lower=0)
        p_values.append(stats.homogeneity_test(draw, n).p_value)
        n_mins.append(stats.smallest_significant_sample_size(draw, alpha))
    finite = [m for m in n_mins if m is not None]
    return {
        "p_low": min(p_values),
        "p_high": max(p_values),
        "n_min_low": min(finite) if finite else None,
        "n_min_high": None if len(finite) < len(n_mins) else max(finite),
        "share_significant": float(np.mean(np.asarray(p_values) < alpha)),
    }


@pytest.mark.parametrize(
    "shares, n, complement",
    [
        # three regions x four categories, one printed as 0 everywhere: a draw makes it up to 0.5, so after rounding
        # it is empty (dropped) in some draws and kept in others
        (
            pd.DataFrame(
                {"w": [20.0, 25.0, 30.0], "x": [30.0, 30.0, 20.0], "y": [50.0, 45.0, 50.0], "z": [0.0, 0.0, 0.0]},
                index=["a", "b", "c"],
            ),
            400,
            None,
        ),
        # four regions x two, with a complement computed from each draw; sizes differ per region
        (
            pd.DataFrame({"no_job": [10.0, 12.0, 9.0, 15.0], "job": [90.0, 88.0, 91.0, 85.0]}, index=list("abcd")),
            {"a": 300, "b": 500, "c": 200, "d": 800},
            "job",
        ),
        # identical shares: the printed table shows no difference at all
        (pd.DataFrame({"x": [40.0, 40.0], "y": [60.0, 60.0]}, index=["a", "b"]), 1000, None),
        # a complement that the draws push below zero (no_job near 100): clipped to zero, as printed shares are
        (pd.DataFrame({"no_job": [99.8, 99.0, 98.5], "job": [0.2, 1.0, 1.5]}, index=list("abc")), 2000, "job"),
    ],
)
def test_rounding_range_equals_the_draw_by_draw_calculation(shares, n, complement):
    fast = stats.rounding_range(shares, n, alpha=0.05, n_draws=60, seed=7, complement=complement)
    slow = _rounding_range_draw_by_draw(shares, n, 0.05, 0.5, 60, 7, complement)
    for key, value in slow.items():
        assert fast[key] == pytest.approx(value, rel=1e-9), key


@pytest.mark.parametrize(
    "shares",
    [
        THREE_BY_THREE,  # a zero cell
        THREE_BY_THREE.assign(w=[0.4, 0.0, 0.2]),  # a category that small samples leave empty: dropped at those n
        pd.DataFrame({"x": [40.0, 40.0], "y": [60.0, 60.0]}, index=["a", "b"]),  # no difference at all
    ],
)
def test_sample_size_sensitivity_equals_the_homogeneity_test_at_each_size(shares):
    sizes = [5, 7, 50, 249, 250, 1000, 123_456]
    table = stats.sample_size_sensitivity(shares, sizes, alpha=0.05)
    assert table["sample_size"].tolist() == sizes
    for row, n in zip(table.itertuples(index=False), sizes):
        one = stats.homogeneity_test(shares, n)
        assert row.chi2 == pytest.approx(one.statistic, rel=1e-9, abs=1e-12) and row.df == one.df
        assert row.p_value == pytest.approx(one.p_value, rel=1e-9) and row.significant == (one.p_value < 0.05)
        assert row.cramers_v == pytest.approx(one.effect_size, rel=1e-9, abs=1e-12)
    with pytest.raises(stats.StatsInputError) as alone:  # one person per region: a single non-empty category
        stats.homogeneity_test(shares, 1)
    with pytest.raises(stats.StatsInputError, match=re.escape(str(alone.value))):
        stats.sample_size_sensitivity(shares, [50, 1])


def test_tables_with_counts_everywhere_are_tested_in_one_pass(monkeypatch):
    """The one-by-one route is for tables with an empty region or category; the others never take it."""
    shares = pd.DataFrame(
        {"x": [20.0, 25.0, 30.0], "y": [30.0, 30.0, 20.0], "z": [50.0, 45.0, 50.0]}, index=["a", "b", "c"]
    )
    expected = stats.rounding_range(shares, 400, n_draws=30, seed=3)
    curve = stats.sample_size_sensitivity(shares, [50, 400, 5000])

    def one_by_one(*args, **kwargs):
        raise AssertionError("tested one by one")

    tested_alone = []
    homogeneity_test = stats.homogeneity_test
    monkeypatch.setattr(stats, "homogeneity_test", lambda *a, **k: tested_alone.append(a) or homogeneity_test(*a, **k))
    monkeypatch.setattr(stats, "smallest_significant_sample_size", one_by_one)
    assert stats.rounding_range(shares, 400, n_draws=30, seed=3) == expected
    assert len(tested_alone) == 1 and tested_alone[0][0].equals(shares)  # the printed table's own test only
    monkeypatch.setattr(stats, "_chi_square", one_by_one)
    pd.testing.assert_frame_equal(stats.sample_size_sensitivity(shares, [50, 400, 5000]), curve)


def test_rounding_range_of_identical_shares_printed_exactly_is_never_significant():
    shares = pd.DataFrame({"x": [40.0, 40.0, 40.0], "y": [60.0, 60.0, 60.0]}, index=["a", "b", "c"])
    result = stats.rounding_range(shares, 1000, half_width=0.0, n_draws=5)
    assert result["p_low"] == pytest.approx(1.0) and result["p_high"] == pytest.approx(1.0)
    assert result["n_min_low"] is None and result["n_min_high"] is None and result["share_significant"] == 0.0


def test_bias_corrected_v_on_a_two_by_three_table_and_the_smallest_sample():
    table = pd.DataFrame([[10.0, 20.0, 30.0], [30.0, 20.0, 10.0]])
    chi2 = hand_chi2(table.to_numpy())  # expected 20 everywhere: (100 + 0 + 100) * 2 / 20 = 20
    assert chi2 == pytest.approx(20.0)
    # N = 120: phi2 = 20/120 - 1*2/119; r~ = 2 - 1/119; c~ = 3 - 4/119; min(r~ - 1, c~ - 1) = 1 - 1/119
    expected = math.sqrt((20 / 120 - 2 / 119) / (1 - 1 / 119))
    assert stats.bias_corrected_cramers_v(table) == pytest.approx(expected)
    assert stats.cramers_v(table) == pytest.approx(math.sqrt(20 / 120))  # min(r, c) - 1 = 1
    # two observations in a 2 x 2 table: r~ = 2 - 1/1 = 1, so V~ is undefined (0 / 0)
    with pytest.raises(stats.StatsInputError, match="needs more than 2 observations for a 2 x 2 table"):
        stats.bias_corrected_cramers_v(pd.DataFrame([[1.0, 0.0], [0.0, 1.0]]))
    # three: chi2 = 3 * (...) for [[2, 0], [0, 1]]: expected 4/3, 2/3 / 2/3, 1/3 -> chi2 = 3; phi2 = 1 - 1/2 = .5
    # r~ = c~ = 2 - 1/2 = 1.5 -> V~ = sqrt(.5 / .5) = 1
    assert stats.bias_corrected_cramers_v(pd.DataFrame([[2.0, 0.0], [0.0, 1.0]])) == pytest.approx(1.0)


def test_homogeneity_result_records_its_assumptions_in_words():
    res = stats.homogeneity_test(THREE_BY_THREE.assign(w=0.0), 100)
    assert res.test == "chi-square test of homogeneity" and res.effect_size_name == "Cramér's V"
    assert res.assumptions == {
        "counts": "reconstructed from published percentages",
        "sample size per region": 100,
        "shares rescaled to 100 per region": True,
        "categories dropped (empty in every region)": "w",
        "bias-corrected Cramér's V (Bergsma 2013)": pytest.approx(stats.bias_corrected_cramers_v(THREE_BY_THREE)),
    }
    trend = stats.trend_difference(pd.Series([1.0, 2, 4], index=[1, 2, 3]), pd.Series([1.0, 1.1, 1.3], index=[1, 2, 3]))
    assert trend.test == "OLS interaction test of log-linear trends" and trend.n == 6
    assert trend.effect_size_name == "region's annual growth factor relative to the reference's (percent)"
    assert trend.assumptions["model"] == "log(count) ~ year * is_region, OLS, common error variance"
    assert trend.assumptions["CI"] == (
        "100 * (exp(b) - 1) at the interaction's t interval; scatter around the lines, not sampling error"
    )
    text = stats.log_linear_trend(pd.Series(["560", "620", "635", "660"], index=[2010, 2011, 2012, 2013]))
    assert text["slope"] == pytest.approx(
        stats.log_linear_trend(pd.Series([560, 620, 635, 660], index=[2010, 2011, 2012, 2013]))["slope"]
    )
    pairing = stats.profile_pairing_test(_pairing_matrix(), "A", "B")
    assert pairing.test == "exact whole-region permutation test of profile closeness"
    assert pairing.effect_size_name == "Krugman distance A-B"
    assert pairing.assumptions["null"] == "candidate's whole profile exchangeable with the other comparison regions'"
    assert pairing.assumptions["others"] == "o1, o2, o3, o4" and pairing.assumptions["alpha"] == 0.05
    assert stats.profile_pairing_test(_pairing_matrix(), "A", "B", alpha=0.25).assumptions["verdict"] == (
        "closer than exchangeable regions would be: the sector structure supports the pairing"
    )
    assert stats.profile_pairing_test(_pairing_matrix(), "A", "o2", alpha=0.25).assumptions["verdict"] == (
        "not closer than exchangeable regions could be by chance: not supported at this level"
    )
    extreme = stats.extreme_region_test(pd.Series({"a": 60.0, "b": 50.0}), "a", "highest", 100)
    assert extreme.test == "z-tests of one region against each other, holm-corrected"
    assert extreme.assumptions["p"] == "largest corrected p of the comparisons (1 if the direction does not hold)"


def test_kaplan_meier_intervals_horizon_and_median_by_hand():
    table, summary = stats.kaplan_meier(pd.Series([1, 2, 2, 3, 4]), pd.Series([1, 1, 0, 1, 0]))
    at3 = table.set_index("time").loc[3]
    # Greenwood at t = 3: S = .3, var = .09 * (1/(5*4) + 1/(4*3) + 1/(2*1)) = .09 * .633333 = .057
    # half width 1.959964 * sqrt(.057) = .467933: the lower bound is clipped at 0, the upper is .767933
    assert at3["ci_low"] == 0.0 and at3["ci_high"] == pytest.approx(0.3 + 1.959964 * math.sqrt(0.057), abs=1e-5)
    # alpha = .1: z = 1.644854
    at3_90 = (
        stats.kaplan_meier(pd.Series([1, 2, 2, 3, 4]), pd.Series([1, 1, 0, 1, 0]), alpha=0.1)[0]
        .set_index("time")
        .loc[3]
    )
    assert at3_90["ci_high"] == pytest.approx(0.3 + 1.644854 * math.sqrt(0.057), abs=1e-5)
    # a horizon at an event time: S(2) = .6 includes the event at 2; restricted mean 1 * 1 + 1 * .8 = 1.8
    _, at2 = stats.kaplan_meier(pd.Series([1, 2, 2, 3, 4]), pd.Series([1, 1, 0, 1, 0]), horizon=2)
    assert at2["survival_at_horizon"] == pytest.approx(0.6) and at2["restricted_mean_years"] == pytest.approx(1.8)
    assert at2["horizon_years"] == 2.0
    # survival reaching exactly one half: the median is that time
    _, half = stats.kaplan_meier(pd.Series([1.0, 2.0]), pd.Series([1, 1]))
    assert half["median_years"] == 1.0 and half["survival_at_horizon"] == 0.0
    # text input is read as numbers
    _, text = stats.kaplan_meier(pd.Series(["1", "2", "2", "3", "4"]), pd.Series(["1", "1", "0", "1", "0"]))
    assert text["restricted_mean_years"] == pytest.approx(2.7) and text["events"] == 3
    with pytest.raises(stats.StatsInputError, match=r"^horizon must be a positive number of years, got 0.0$"):
        stats.kaplan_meier(pd.Series([1.0, 2.0]), pd.Series([1, 0]), horizon=0)
    # a horizon below one year is fine: restricted mean to .5 = .5 * 1
    assert stats.kaplan_meier(pd.Series([1.0, 2.0]), pd.Series([1, 0]), horizon=0.5)[1]["restricted_mean_years"] == 0.5


def test_kaplan_meier_messages_are_exact():
    with pytest.raises(stats.StatsInputError, match=r"^durations must be a non-empty list of years$"):
        stats.kaplan_meier(pd.Series([], dtype=float), pd.Series([], dtype=int))
    with pytest.raises(
        stats.StatsInputError, match=r"^durations must be positive, finite numbers \(no missing values\)$"
    ):
        stats.kaplan_meier(pd.Series([1.0, np.nan]), pd.Series([1, 0]))
    with pytest.raises(
        stats.StatsInputError,
        match=r"^event codes must be 0 \(censored\) or 1 \(occupation ended\), got \[2.0, 10.0\]$",
    ):
        stats.kaplan_meier(pd.Series([1.0, 2.0, 3.0, 4.0]), pd.Series([10, 2, 0, 1]))


def test_result_flattening_and_small_helpers():
    res = stats.TestResult("t", 1.0, 0.5, n=7, assumptions={"a": 1, "b": "x"})
    flat = res.to_series()
    assert flat["assumptions"] == "a: 1; b: x" and flat["n"] == 7
    # Wilson at the edges: 99 of 100 and 100 of 100 (by hand, z = 1.959964)
    z = 1.959963985
    for share in (99.0, 100.0):
        p = share / 100
        centre = (p + z**2 / 200) / (1 + z**2 / 100)
        half = z * math.sqrt(p * (1 - p) / 100 + z**2 / 40000) / (1 + z**2 / 100)
        assert stats.wilson_interval(share, 100) == pytest.approx(((centre - half) * 100, (centre + half) * 100))
    at90 = stats.wilson_table(pd.Series({"a": 20.0}), 100, alpha=0.1)
    assert (at90.loc[0, "ci_low"], at90.loc[0, "ci_high"]) == pytest.approx(stats.wilson_interval(20, 100, alpha=0.1))
    trend = stats.log_linear_trend(pd.Series([560, 620, 635, 660], index=[2010, 2011, 2012, 2013]))
    lr = sps.linregress([2010, 2011, 2012, 2013], np.log([560, 620, 635, 660]))
    assert trend["se"] == pytest.approx(lr.stderr)
    with pytest.raises(stats.StatsInputError, match=r"^series: a trend needs at least three years with values, got 2$"):
        stats.log_linear_trend(pd.Series([1.0, 2.0], index=[2010, 2011]))


def test_career_outcomes_model_labels_and_effect_size_by_hand():
    # outcomes in the book's order (higher, same, lower), not alphabetical (higher, lower, same)
    frame = pd.DataFrame(
        {
            "person_id": range(300),
            "education": ["a"] * 150 + ["b"] * 150,
            "occupation_group": "x",
            "duration_years": 1.0,
            "occupation_ended": 1,
            "outcome": ["higher"] * 30
            + ["same"] * 90
            + ["lower"] * 30
            + ["higher"] * 60
            + ["same"] * 60
            + ["lower"] * 30,
        }
    )
    probs, result = stats.career_outcomes_model(frame)
    assert probs.columns.tolist() == ["higher", "same", "lower"] and probs.index.name == "education"
    assert probs.loc["a"].tolist() == pytest.approx([20, 60, 20], abs=1e-3)
    assert result.assumptions == {"model": "outcome ~ C(education), multinomial logit", "reference outcome": "higher"}
    assert result.test == "likelihood-ratio test, multinomial logit" and result.effect_size_name == "McFadden pseudo R²"
    # McFadden R² = 1 - ll_full / ll_null; pooled shares 90/300, 150/300, 60/300
    ll_full = 30 * math.log(0.2) + 90 * math.log(0.6) + 30 * math.log(0.2) + 60 * math.log(0.4) * 2 + 30 * math.log(0.2)
    ll_null = 90 * math.log(0.3) + 150 * math.log(0.5) + 60 * math.log(0.2)
    assert result.effect_size == pytest.approx(1 - ll_full / ll_null, rel=1e-5)
    assert result.df == 2 and result.statistic == pytest.approx(2 * (ll_full - ll_null), rel=1e-5)
    with pytest.raises(stats.StatsInputError, match=r"^career outcomes need at least two different outcomes$"):
        stats.career_outcomes_model(frame.assign(outcome="same"))


# --- every refusal names the problem in exactly these words (one clear line) ---------------------------------

_TWO = pd.DataFrame({"x": [20.0, 40.0], "y": [80.0, 60.0]}, index=["a", "b"])
_COHORT = pd.DataFrame(
    {
        "person_id": [1, 2],
        "education": "a",
        "occupation_group": "x",
        "duration_years": [1.0, 2.0],
        "occupation_ended": [1, 0],
        "outcome": ["same", "lower"],
    }
)
_IND = pd.DataFrame({"i1": [3.0, 2.0, 1.0], "i2": [1.0, 5.0, 2.0]}, index=["r1", "r2", "r3"])
_YEARS = [2010, 2011, 2012, 2013]

MESSAGES = [
    (lambda: stats.counts_from_shares(_TWO, {"c": 1}), "sample size missing for region(s) a, b"),
    (lambda: stats.counts_from_shares(_TWO, {"a": 1, "b": 2.0}), "sample size for b must be an integer, got 2.0"),
    (lambda: stats.counts_from_shares(_TWO, -3), "sample size for a must be at least 1, got -3"),
    (lambda: stats.counts_from_shares(-_TWO, 10), "shares must be non-negative and complete"),
    (
        lambda: stats.counts_from_shares(pd.DataFrame({"x": [0.0, 0.0, 1.0]}, index=["a", "b", "c"]), 10),
        "region(s) a, b have all-zero shares",
    ),
    (
        lambda: stats.cramers_v(pd.DataFrame(np.zeros((0, 2)))),
        "a contingency table needs regions in rows and categories in columns",
    ),
    (lambda: stats.cramers_v(pd.DataFrame([[np.nan, 1.0], [1.0, 1.0]])), "counts must be finite and non-negative"),
    (lambda: stats.cramers_v(pd.DataFrame([[1.0, 1.0]])), "a test of homogeneity needs at least two regions, got 1"),
    (
        lambda: stats.cramers_v(pd.DataFrame([[0.0, 0.0], [0.0, 0.0], [1.0, 2.0]], index=["p", "q", "r"])),
        "region(s) p, q have no counts in any category",
    ),
    (
        lambda: stats.cramers_v(pd.DataFrame([[1.0, 0.0], [2.0, 0.0]])),
        "a test of homogeneity needs at least two non-empty categories, got 1",
    ),
    (
        lambda: stats.bias_corrected_cramers_v(pd.DataFrame([[1.0, 0.0], [0.0, 0.5]])),
        "the bias-corrected V needs at least two observations, got 1.5",
    ),
    (
        lambda: stats.bias_corrected_cramers_v(pd.DataFrame([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])),
        "the bias-corrected V needs more than 3 observations for a 2 x 3 table",
    ),
    (
        lambda: stats.smallest_significant_sample_size(pd.DataFrame({"x": [np.nan, 1.0], "y": [1.0, 1.0]})),
        "shares must be finite, non-negative and complete",
    ),
    (lambda: stats.rounding_range(_TWO, 10, half_width=-1), "half_width must be non-negative, got -1"),
    (lambda: stats.rounding_range(_TWO, 10, complement="z"), "complement 'z' is not a column; columns: x, y"),
    (lambda: stats.wilson_interval(100.5, 10), "share must lie within 0-100, got 100.5"),
    (lambda: stats.pairwise_proportions(pd.Series({"a": 1.0}), 10), "pairwise tests need at least two regions"),
    (lambda: stats.smallest_n_for_extreme(_TWO["x"], "a", "up"), "direction must be 'highest' or 'lowest', got 'up'"),
    (lambda: stats.smallest_n_for_extreme(_TWO["x"], "q", "highest"), "region 'q' not among a, b"),
    (
        lambda: stats.smallest_n_for_extreme(_TWO["x"][["a"]], "a", "highest"),
        "shares must be at least two finite percentages between 0 and 100",
    ),
    (
        lambda: stats.smallest_n_for_extreme(pd.Series({"a": -1.0, "b": 2.0}), "a", "lowest"),
        "shares must be at least two finite percentages between 0 and 100",
    ),
    (
        lambda: stats.smallest_n_for_extreme(pd.Series({"a": np.inf, "b": 2.0}), "a", "highest"),
        "shares must be at least two finite percentages between 0 and 100",
    ),
    (lambda: stats.extreme_region_test(_TWO["x"], "a", "up", 10), "direction must be 'highest' or 'lowest', got 'up'"),
    (lambda: stats.extreme_region_test(_TWO["x"], "q", "highest", 10), "region 'q' not among a, b"),
    (lambda: stats.extreme_region_test(_TWO["x"][["a"]], "a", "highest", 10), "the test needs at least two regions"),
    (
        lambda: stats.log_linear_trend(pd.Series([1.0, 2.0], index=[2010, 2011]), label="twente"),
        "twente: a trend needs at least three years with values, got 2",
    ),
    (
        lambda: stats.trend_difference(pd.Series([1.0, 2.0, 3.0]), pd.Series([1.0, 0.0, 3.0])),
        "reference: counts must be positive for a log trend",
    ),
    (
        lambda: stats.trend_difference(pd.Series([1.0, 2.0]), pd.Series([1.0, 2.0, 3.0])),
        "region: a trend needs at least three years with values, got 2",
    ),
    (
        lambda: stats.rest_of_country(pd.Series([5.0, 6, 7, 8], index=_YEARS), pd.Series([5.0, 6, 9, 8], index=_YEARS)),
        "region: the country's count does not exceed the region's in 2010, 2011, 2013",
    ),
    (
        lambda: stats.trend_against_rest(
            pd.Series([5.0, 6, 7, 8], index=_YEARS), pd.Series([9.0, 6, 9, 9], index=_YEARS), label="x"
        ),
        "x: the country's count does not exceed the region's in 2011",
    ),
    (
        lambda: stats.trend_against_rest(
            pd.Series([5.0, 6, 7, 8], index=_YEARS), pd.Series([9.0, 6, 9, 9], index=_YEARS)
        ),
        "region: the country's count does not exceed the region's in 2011",
    ),
    (
        lambda: stats.profile_pairing_test(_pairing_matrix(), "A", "Y", others=["Z", "o1"]),
        "region(s) Y, Z not in the matrix; present: A, B, o1, o2, o3, o4",
    ),
    (
        lambda: stats.profile_pairing_test(_pairing_matrix(), "A", "B", others=["A", "o1"]),
        "need a region, a different candidate and at least one other comparison region",
    ),
    (
        lambda: stats.profile_pairing_test(_pairing_matrix(), "A", "B", others=["B", "o1"]),
        "need a region, a different candidate and at least one other comparison region",
    ),
    (
        lambda: stats.validate_cohort(_COHORT.drop(columns=["education", "outcome"])),
        "cohort data lack column(s) education, outcome; required: person_id, education, occupation_group, "
        "duration_years, "
        "occupation_ended, outcome",
    ),
    (lambda: stats.validate_cohort(_COHORT.assign(person_id=1)), "cohort data: person_id is not unique"),
    (
        lambda: stats.validate_cohort(_COHORT.assign(duration_years=["1", "x"])),
        "cohort data: duration_years must be a positive number in every row",
    ),
    (
        lambda: stats.validate_cohort(_COHORT.assign(duration_years=[1.0, -2.0])),
        "cohort data: duration_years must be a positive number in every row",
    ),
    (
        lambda: stats.validate_cohort(_COHORT.assign(occupation_ended=[1, 2])),
        "cohort data: occupation_ended must be 0 or 1",
    ),
    (
        lambda: stats.validate_cohort(_COHORT.assign(outcome=["worse", "better"])),
        "cohort data: unknown outcome(s) ['better', 'worse']; valid: higher, same, lower, unemployed",
    ),
    (
        lambda: stats.kaplan_meier(pd.Series([1.0, 2.0]), pd.Series([1])),
        "durations and events differ in length (2 and 1)",
    ),
    (
        lambda: stats.composite_index(_IND, {"i1": 1, "i2": 1}, {"x": 1, "y": -1}),
        "directions given for unknown indicator(s) x, y; valid: i1, i2",
    ),
    (
        lambda: stats.composite_index(_IND, {"i1": 1, "i2": 1}, {"i1": 2}),
        "directions must be +1 (higher is better) or -1 (lower is better), got {'i1': 2}",
    ),
    (lambda: stats.composite_index(_IND, {}), "weights missing for indicator(s) i1, i2"),
    (
        lambda: stats.composite_index(_IND, {"i1": 1, "i2": 1, "x": 1, "y": 1}),
        "weights given for unknown indicator(s) x, y; valid: i1, i2",
    ),
    (lambda: stats.composite_index(_IND, {"i1": -1, "i2": 2}), "weights must be non-negative with a positive sum"),
    (
        lambda: stats.composite_index(_IND.assign(i2=[1.0, np.nan, 2.0]), {"i1": 1, "i2": 1}),
        "indicators have missing values; drop or impute them first",
    ),
]


@pytest.mark.parametrize("call, message", MESSAGES, ids=[m for _, m in MESSAGES])
def test_refusals_name_the_problem_exactly(call, message):
    with pytest.raises(stats.StatsInputError) as caught:
        call()
    assert str(caught.value) == message


def test_pairing_with_one_other_and_p_equal_to_alpha():
    mat = _pairing_matrix()
    one = stats.profile_pairing_test(mat, "A", "B", others=["o1"])
    assert one.p_value == pytest.approx(0.5) and one.assumptions["smallest attainable p"] == pytest.approx(0.5)
    # p = 1/5 = alpha: significant at that level (p <= alpha)
    assert "supports the pairing" in stats.profile_pairing_test(mat, "A", "B", alpha=0.2).assumptions["verdict"]
    assert stats.profile_pairing_test(mat, "A", "B", alpha=0.2).assumptions["alpha"] == 0.2


def test_rest_of_country_aligns_years_reads_text_and_passes_alpha():
    region = pd.Series(["9", "12", "14", "17", "20"], index=[2010, 2011, 2012, 2013, 2014])  # 2014: no national value
    country = pd.Series([10.0, 104, 108, 115], index=_YEARS)
    rest = stats.rest_of_country(region, country)
    assert rest.index.tolist() == _YEARS and rest.tolist() == [1, 92, 94, 98]  # a rest of exactly 1 is allowed
    numeric_region = pd.Series([9.0, 12, 14, 17], index=_YEARS)
    for alpha in (0.05, 0.1):
        res = stats.trend_against_rest(numeric_region, country, alpha=alpha)
        ref = stats.trend_difference(numeric_region, pd.Series([1.0, 92, 94, 98], index=_YEARS), alpha=alpha)
        assert (res.ci_low, res.ci_high, res.p_value) == pytest.approx((ref.ci_low, ref.ci_high, ref.p_value))
    assert stats.trend_against_rest(numeric_region, country).ci_low == pytest.approx(
        stats.trend_against_rest(numeric_region, country, alpha=0.05).ci_low
    )


def test_smallest_n_for_extreme_is_where_statsmodels_holm_starts_rejecting():
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import proportions_ztest

    shares = pd.Series({"a": 54.0, "b": 49.0, "c": 47.0, "d": 46.0})
    n_star = stats.smallest_n_for_extreme(shares, "a", "highest")

    def all_reject(n):
        p = [proportions_ztest([0.54 * n, shares[o] / 100 * n], [n, n])[1] for o in "bcd"]
        return multipletests(p, alpha=0.05, method="holm")[0].all()

    assert not all_reject(n_star - 1) and all_reject(n_star)
