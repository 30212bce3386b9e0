"""Statistical comparisons, each checked against an independent computation (scipy or a hand formula)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from helpers import stats

SHARES = pd.DataFrame({"x": [20.0, 40.0], "y": [80.0, 60.0]}, index=["a", "b"])


def test_counts_from_shares_rescales_and_rounds():
    shares = pd.DataFrame({"x": [60.0, 24.0], "y": [42.0, 18.0]}, index=["a", "b"])  # rows add to 102 and 42
    counts = stats.counts_from_shares(shares, 100)
    # a: 60/102*100 = 58.82 -> 59, 42/102*100 = 41.18 -> 41; b: 24/42*100 = 57.14 -> 57, 18/42*100 = 42.86 -> 43
    assert counts.loc["a"].tolist() == [59, 41] and counts.loc["b"].tolist() == [57, 43]


def test_homogeneity_matches_scipy_and_hand_cramers_v():
    res = stats.homogeneity_test(SHARES, 100, n_boot=50)
    table = np.array([[20, 80], [40, 60]])
    chi2, p, dof, _ = sps.chi2_contingency(table, correction=False)
    assert res.statistic == pytest.approx(chi2) and res.p_value == pytest.approx(p) and res.df == dof
    # hand: expected 30/70 per row; chi2 = 2*(10²/30 + 10²/70) = 9.5238; V = sqrt(9.5238/200) = 0.21822
    assert res.statistic == pytest.approx(9.5238, abs=1e-4)
    assert res.effect_size == pytest.approx(math.sqrt(9.5238095 / 200), abs=1e-6)
    assert res.ci_low <= res.effect_size <= res.ci_high
    assert res.n == {"a": 100, "b": 100} and res.assumptions["sample size per region"] == 100


def test_sensitivity_p_falls_as_sample_size_grows():
    table = stats.sample_size_sensitivity(SHARES, [10, 50, 100, 1000])
    assert table["p_value"].is_monotonic_decreasing
    assert table["significant"].tolist() == [False, True, True, True]  # chi2 at n=10: 0.952, p = 0.33


def test_smallest_significant_sample_size_closed_form():
    # per unit of n (unrounded): expected .3/.7 per row; chi2(1) = 2 * (.1²/.3 + .1²/.7) = 0.0952381
    # critical chi2(1 df, .05) = 3.841459 -> n* = floor(3.841459 / 0.0952381) + 1 = floor(40.335) + 1 = 41
    assert stats.smallest_significant_sample_size(SHARES) == 41
    assert stats.smallest_significant_sample_size(pd.DataFrame({"x": [50.0, 50.0], "y": [50.0, 50.0]})) is None


def test_wilson_interval_matches_the_formula():
    low, high = stats.wilson_interval(20, 100)
    # Wilson: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), p = .2, n = 100, z = 1.959964
    z = sps.norm.ppf(0.975)
    centre = (0.2 + z**2 / 200) / (1 + z**2 / 100)
    half = z * math.sqrt(0.2 * 0.8 / 100 + z**2 / 40000) / (1 + z**2 / 100)
    assert low == pytest.approx((centre - half) * 100) and high == pytest.approx((centre + half) * 100)


def test_pairwise_proportions_match_hand_z_and_holm():
    shares = pd.Series({"a": 20.0, "b": 40.0, "c": 30.0})
    out = stats.pairwise_proportions(shares, 100).set_index(["region_a", "region_b"])
    # a-b: pooled p = .3, se = sqrt(.3*.7*(2/100)) = 0.064807; z = -.2/.064807 = -3.0861
    assert out.loc[("a", "b"), "z"] == pytest.approx(-0.2 / math.sqrt(0.3 * 0.7 * 0.02))
    p_raw = out["p_value"].to_numpy()
    order = np.argsort(p_raw)
    holm = np.minimum(1, np.maximum.accumulate(p_raw[order] * (3 - np.arange(3))))
    expected = np.empty(3)
    expected[order] = holm
    assert np.allclose(out["p_adjusted"], expected)


def test_log_linear_trend_matches_scipy_linregress():
    series = pd.Series([560, 620, 635, 660], index=[2010, 2011, 2012, 2013])  # Tabel 1.2, Twente
    res = stats.log_linear_trend(series)
    lr = sps.linregress(series.index, np.log(series.to_numpy()))
    assert res["slope"] == pytest.approx(lr.slope) and res["p_value"] == pytest.approx(lr.pvalue)
    t = sps.t.ppf(0.975, 2)
    assert res["ci_low"] == pytest.approx(math.expm1(lr.slope - t * lr.stderr) * 100)


def test_trend_difference_detects_a_known_difference():
    years = [2010, 2011, 2012, 2013]
    region = pd.Series([100 * 1.10**i for i in range(4)], index=years) * [1.01, 0.99, 1.0, 1.005]
    ref = pd.Series([100 * 1.00**i for i in range(4)], index=years) * [0.99, 1.01, 1.0, 0.995]
    res = stats.trend_difference(region, ref)
    assert res.effect_size == pytest.approx(10, abs=1.5) and res.p_value < 0.01
    same = stats.trend_difference(ref * 2, ref)
    assert same.p_value > 0.99 and abs(same.effect_size) < 1e-9


def test_trend_needs_three_positive_years():
    with pytest.raises(stats.StatsInputError, match="at least three years"):
        stats.log_linear_trend(pd.Series([233.0, np.nan, np.nan], index=[2011, 2012, 2013]), label="bremen")


def test_pairing_test_on_a_constructed_case():
    rng = np.random.default_rng(1)
    base = rng.uniform(1, 10, 12)
    mat = pd.DataFrame(
        [base, base * 1.01, *[rng.uniform(1, 10, 12) for _ in range(4)]],
        index=["A", "B", "o1", "o2", "o3", "o4"], columns=[f"s{i}" for i in range(12)],
    )
    close = stats.profile_pairing_test(mat, "A", "B", n_permutations=999)
    assert close.p_value < 0.01 and close.assumptions["candidate rank by distance"] == 1
    far = stats.profile_pairing_test(mat, "A", "o1", n_permutations=999)
    assert far.p_value > 0.05 and far.assumptions["candidate rank by distance"] > 1


def test_sample_size_below_one_is_rejected():
    with pytest.raises(stats.StatsInputError, match="must be at least 1, got 0"):
        stats.homogeneity_test(SHARES, 0)
    with pytest.raises(stats.StatsInputError, match="must be an integer"):
        stats.pairwise_proportions(SHARES["x"], 2.5)


def test_kaplan_meier_matches_hand_product_limit():
    # times 1,2,2,3,4 with events 1,1,0,1,0: S(1) = 4/5; S(2) = 4/5 * 3/4 = .6; S(3) = .6 * 1/2 = .3
    table, summary = stats.kaplan_meier(pd.Series([1, 2, 2, 3, 4]), pd.Series([1, 1, 0, 1, 0]))
    assert table.set_index("time")["survival"].loc[[1, 2, 3]].tolist() == pytest.approx([0.8, 0.6, 0.3])
    # restricted mean to 4: 1*1 + 1*.8 + 1*.6 + 1*.3 = 2.7
    assert summary["restricted_mean_years"] == pytest.approx(2.7) and summary["median_years"] == 3


def test_career_outcomes_model_recovers_group_shares():
    frame = pd.DataFrame({
        "person_id": range(400),
        "education": ["mbo2"] * 200 + ["mbo4"] * 200,
        "occupation_group": "x",
        "duration_years": 1.0,
        "occupation_ended": 1,
        "outcome": ["higher"] * 20 + ["same"] * 180 + ["higher"] * 100 + ["same"] * 100,
    })
    probs, result = stats.career_outcomes_model(frame)
    # a saturated model reproduces the observed shares: mbo2 10% higher, mbo4 50% higher
    assert probs.loc["mbo2", "higher"] == pytest.approx(10, abs=1e-3)
    assert probs.loc["mbo4", "higher"] == pytest.approx(50, abs=1e-3)
    assert result.p_value < 1e-10


def test_cohort_schema_errors_name_the_column():
    with pytest.raises(stats.StatsInputError, match="lack column"):
        stats.validate_cohort(pd.DataFrame({"person_id": [1]}))


def test_composite_index_and_rank_stability_on_a_known_case():
    # r1 dominates every indicator, r3 is last on every one: their ranks cannot change under any weights
    ind = pd.DataFrame({"i1": [3.0, 2.0, 1.0], "i2": [30.0, 10.0, 5.0], "i3": [1.0, 0.5, 0.0]},
                       index=["r1", "r2", "r3"])
    comp = stats.composite_index(ind, {"i1": 1, "i2": 1, "i3": 1})
    assert comp["rank"].to_dict() == {"r1": 1, "r2": 2, "r3": 3}
    stab = stats.rank_stability(ind, n_draws=200)
    assert stab["share_same_rank"].eq(1.0).all()
    # a 'lower is better' indicator flips the order
    flipped = stats.composite_index(ind[["i1"]], {"i1": 1}, {"i1": -1})
    assert flipped["rank"].to_dict() == {"r3": 1, "r2": 2, "r1": 3}
    with pytest.raises(stats.StatsInputError, match="weights missing for indicator"):
        stats.composite_index(ind, {"i1": 1})
