"""What the book's intervals and tests promise, checked by seeded simulation.

Coverage: the share of simulated data sets whose interval contains the true value (nominal 95%).
Rejection rate: the share of data sets simulated under the null that a test rejects at alpha = 0.05.
Tolerances are about four simulation standard errors: stable for these seeds, and far tighter than the gap to
the broken versions (a Wilson interval with z = 1 covers about 68%; a trend interval with the normal instead of
the t quantile about 81%; the old sector-wise pairing test rejected about a third of the time under its null).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import stats

pytestmark = pytest.mark.slow

YEARS = [2010, 2011, 2012, 2013]


def _within(rate: float, nominal: float, draws: int, sds: float = 4.0) -> bool:
    return abs(rate - nominal) <= sds * np.sqrt(nominal * (1 - nominal) / draws)


@pytest.mark.parametrize("share, n", [(0.46, 1000), (0.2, 500), (0.08, 400)])
def test_wilson_interval_covers_its_nominal_level(share, n):
    rng = np.random.default_rng(11)
    draws = 4000
    counts = rng.binomial(n, share, draws)
    hits = 0
    for count in counts:
        low, high = stats.wilson_interval(count / n * 100, n)
        hits += low <= share * 100 <= high
    coverage = hits / draws
    print(f"Wilson interval, p = {share}, n = {n}: coverage {coverage:.3f} of {draws} draws")
    # Wilson's coverage oscillates a little around 95% with n and p; 0.93-0.97 holds for these settings
    assert 0.93 <= coverage <= 0.97, coverage


def test_log_linear_trend_interval_covers_its_nominal_level():
    rng = np.random.default_rng(12)
    draws = 800
    true_growth = 5.0  # percent a year
    hits = 0
    for _ in range(draws):
        noise = rng.normal(0, 0.03, 4)
        series = pd.Series(500 * np.exp(np.log1p(true_growth / 100) * np.arange(4) + noise), index=YEARS)
        res = stats.log_linear_trend(series)
        hits += res["ci_low"] <= true_growth <= res["ci_high"]
    print(f"log-linear trend interval: coverage {hits / draws:.3f} of {draws} draws")
    assert _within(hits / draws, 0.95, draws), hits / draws


def test_trend_difference_interval_coverage_and_rejection_rate():
    rng = np.random.default_rng(13)
    draws = 800
    growth_ref = np.log1p(0.03)
    covered, rejected_null = 0, 0
    for i in range(draws):
        # half the draws: a real difference of log(1.5) a year (the fast-growth case); half: no difference
        extra = np.log(1.5) if i % 2 else 0.0
        region = pd.Series(100 * np.exp((growth_ref + extra) * np.arange(4) + rng.normal(0, 0.03, 4)), index=YEARS)
        rest = pd.Series(900 * np.exp(growth_ref * np.arange(4) + rng.normal(0, 0.03, 4)), index=YEARS)
        res = stats.trend_difference(region, rest)
        covered += res.ci_low <= np.expm1(extra) * 100 <= res.ci_high
        if not i % 2:
            rejected_null += res.p_value < 0.05
    print(
        f"trend difference: interval coverage {covered / draws:.3f} of {draws}; "
        f"rejection rate under the null {rejected_null / (draws // 2):.3f} of {draws // 2}"
    )
    assert _within(covered / draws, 0.95, draws), covered / draws
    assert _within(rejected_null / (draws // 2), 0.05, draws // 2), rejected_null / (draws // 2)


@pytest.mark.parametrize(
    "probs",
    [
        [0.2, 0.3, 0.5],  # an ordinary 3 x 3 table
        [0.02, 0.0, 0.98],  # zero cells in a rare category and one empty category
    ],
)
def test_homogeneity_test_holds_its_level(probs):
    rng = np.random.default_rng(14)
    draws, n, regions = 1500, 150, 3
    rejected = 0
    for _ in range(draws):
        counts = rng.multinomial(n, probs, size=regions).astype(float)
        if (counts.sum(axis=0) > 0).sum() < 2:
            continue
        shares = pd.DataFrame(counts / n * 100, index=["a", "b", "c"], columns=["x", "y", "z"])
        rejected += stats.homogeneity_test(shares, n).p_value < 0.05
    rate = rejected / draws
    print(f"homogeneity test, category probabilities {probs}: rejection rate under the null {rate:.3f} of {draws}")
    # the chi-square approximation is a little liberal or conservative with small expected counts
    assert 0.025 <= rate <= 0.07, rate


def test_pairwise_holm_keeps_the_familywise_error_rate():
    rng = np.random.default_rng(15)
    draws, n = 1000, 500
    any_rejection = 0
    for _ in range(draws):
        shares = pd.Series(rng.binomial(n, 0.48, 4) / n * 100, index=list("abcd"))
        any_rejection += bool(stats.pairwise_proportions(shares, n)["reject"].any())
    rate = any_rejection / draws
    print(f"pairwise z-tests, Holm over six pairs: familywise rejection rate under the null {rate:.3f} of {draws}")
    assert rate <= 0.05 + 4 * np.sqrt(0.05 * 0.95 / draws), rate
    assert rate >= 0.02, rate  # Holm is not absurdly conservative here


def _correlated_regions(rng: np.random.Generator, k: int, sectors: int = 12) -> np.ndarray:
    """k exchangeable regions whose sector shares are strongly correlated: a common log-profile plus a
    region factor that loads on all sectors (so sectors move together), plus small independent noise."""
    base = rng.normal(0, 1, sectors)
    loadings = rng.normal(0, 1, sectors)
    factor = rng.normal(0, 1, (k, 1))
    logs = base + 0.8 * factor * loadings + rng.normal(0, 0.15, (k, sectors))
    return np.exp(logs)


@pytest.mark.parametrize("pool", [5, 20])
def test_pairing_test_holds_its_level_with_correlated_sectors(pool):
    rng = np.random.default_rng(16)
    draws = 1500
    rejected = 0
    for _ in range(draws):
        rows = _correlated_regions(rng, pool + 1)
        mat = pd.DataFrame(rows, index=["focus", "candidate", *[f"o{i}" for i in range(pool - 1)]])
        rejected += stats.profile_pairing_test(mat, "focus", "candidate").p_value <= 0.05
    rate = rejected / draws
    # exact under exchangeability: P(p <= 0.05) = floor(0.05 * pool) / pool (0 for 5 regions, 0.05 for 20)
    nominal = np.floor(0.05 * pool) / pool
    print(f"pairing test, {pool} comparison regions, correlated sectors: rejection rate {rate:.3f} of {draws}")
    assert rate <= nominal + 4 * np.sqrt(0.05 * 0.95 / draws), rate
    if nominal > 0:
        assert _within(rate, nominal, draws), rate


def test_kaplan_meier_pointwise_interval_covers_its_nominal_level():
    rng = np.random.default_rng(17)
    draws, n, t0 = 600, 200, 0.7
    true_survival = np.exp(-t0)
    hits = 0
    for _ in range(draws):
        event_time = rng.exponential(1.0, n)
        censor_time = rng.uniform(0, 3, n)
        time = np.minimum(event_time, censor_time)
        table, _ = stats.kaplan_meier(pd.Series(time), pd.Series((event_time <= censor_time).astype(int)))
        row = table[table["time"] <= t0].iloc[-1]
        hits += row["ci_low"] <= true_survival <= row["ci_high"]
    print(f"Kaplan-Meier pointwise interval at t = {t0}: coverage {hits / draws:.3f} of {draws} draws")
    assert _within(hits / draws, 0.95, draws), hits / draws
