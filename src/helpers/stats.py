"""Statistical comparisons of regions, with statsmodels; each returns a tidy result with its assumptions.

The report publishes percentages, not counts. Every test on its percentages therefore takes the sample size per
region as an explicit argument, records it in the result, and can be repeated over a range of sizes
(``sample_size_sensitivity``): the conclusions are only as good as that assumption.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as scipy_stats
import statsmodels.formula.api as smf
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from .indices import IndexInputError, sector_shares, validate_matrix


class StatsInputError(ValueError):
    """Input that a statistical function cannot use (names the problem)."""


@dataclass
class TestResult:
    """A test's outcome: statistic, p-value, effect size with confidence interval, and the assumptions used."""

    test: str
    statistic: float
    p_value: float
    effect_size: float | None = None
    effect_size_name: str = ""
    ci_low: float | None = None
    ci_high: float | None = None
    df: float | None = None
    n: int | dict | None = None
    assumptions: dict = field(default_factory=dict)

    def to_series(self) -> pd.Series:
        """The result as a flat Series (assumptions joined into one text field)."""
        record = asdict(self)
        record["assumptions"] = "; ".join(f"{k}: {v}" for k, v in self.assumptions.items())
        record["n"] = str(self.n) if isinstance(self.n, dict) else self.n
        return pd.Series(record)


# --- sample sizes and counts ---------------------------------------------------------------------------------


def _sizes(regions: Sequence[str], sample_size: int | Mapping[str, int]) -> dict[str, int]:
    if isinstance(sample_size, Mapping):
        missing = [r for r in regions if r not in sample_size]
        if missing:
            raise StatsInputError(f"sample size missing for region(s) {', '.join(missing)}")
        sizes = {r: sample_size[r] for r in regions}
    else:
        sizes = {r: sample_size for r in regions}
    for region, n in sizes.items():
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise StatsInputError(f"sample size for {region} must be an integer, got {n!r}")
        if n < 1:
            raise StatsInputError(f"sample size for {region} must be at least 1, got {n}")
    return {r: int(n) for r, n in sizes.items()}


def counts_from_shares(shares: pd.DataFrame, sample_size: int | Mapping[str, int]) -> pd.DataFrame:
    """Turn percentages (regions x categories) into whole counts for an assumed sample size per region.

    Shares are first rescaled to add up to 100 within each region (the report's rows do not always add up
    exactly), then multiplied by n and rounded.
    """
    if (shares < 0).any().any() or shares.isna().any().any():
        raise StatsInputError("shares must be non-negative and complete")
    totals = shares.sum(axis=1)
    if (totals == 0).any():
        raise StatsInputError(f"region(s) {', '.join(totals.index[totals == 0])} have all-zero shares")
    sizes = _sizes(list(shares.index), sample_size)
    fractions = shares.div(totals, axis=0)
    return fractions.mul(pd.Series(sizes), axis=0).round().astype(int)


# --- homogeneity of category shares ------------------------------------------------------------------------


def cramers_v(counts: pd.DataFrame) -> float:
    """Cramér's V = sqrt(chi2 / (N * (min(r, c) - 1))) of a contingency table of counts."""
    table = np.asarray(counts, dtype=float)
    chi2 = Table(table).test_nominal_association().statistic
    r, c = table.shape
    return float(np.sqrt(chi2 / (table.sum() * (min(r, c) - 1))))


def homogeneity_test(shares: pd.DataFrame, sample_size: int | Mapping[str, int], n_boot: int = 500,
                     seed: int = 2016, alpha: float = 0.05) -> TestResult:
    """Chi-square test that the category shares are the same in every region, with Cramér's V.

    ``shares``: regions x categories, in percent. Counts are reconstructed for the assumed ``sample_size``
    (``counts_from_shares``). The confidence interval of V is a parametric bootstrap (multinomial redraws
    from each region's observed shares, ``n_boot`` draws, percentile interval at level 1 - alpha).
    """
    counts = counts_from_shares(shares, sample_size)
    result = Table(counts.to_numpy()).test_nominal_association()
    v = cramers_v(counts)
    rng = np.random.default_rng(seed)
    probs = counts.div(counts.sum(axis=1), axis=0).to_numpy()
    sizes = counts.sum(axis=1).to_numpy()
    boot = []
    for _ in range(n_boot):
        draw = np.array([rng.multinomial(n, p) for n, p in zip(sizes, probs)])
        draw = draw[:, draw.sum(axis=0) > 0]
        if draw.shape[1] > 1:
            boot.append(cramers_v(pd.DataFrame(draw)))
    low, high = np.quantile(boot, [alpha / 2, 1 - alpha / 2]) if boot else (np.nan, np.nan)
    sizes_used = _sizes(list(shares.index), sample_size)
    return TestResult(
        test="chi-square test of homogeneity",
        statistic=float(result.statistic),
        p_value=float(result.pvalue),
        df=float(result.df),
        effect_size=v,
        effect_size_name="Cramér's V",
        ci_low=float(low),
        ci_high=float(high),
        n=sizes_used,
        assumptions={
            "counts": "reconstructed from published percentages",
            "sample size per region": sizes_used if isinstance(sample_size, Mapping) else int(sample_size),
            "shares rescaled to 100 per region": True,
            "CI": f"parametric bootstrap, {n_boot} draws, seed {seed}",
        },
    )


def sample_size_sensitivity(shares: pd.DataFrame, sizes: Sequence[int], alpha: float = 0.05) -> pd.DataFrame:
    """The homogeneity test repeated over assumed sample sizes (same n in every region).

    Returns one row per n: chi2, df, p_value, cramers_v, and whether p < alpha.
    """
    rows = []
    for n in sizes:
        counts = counts_from_shares(shares, int(n))
        res = Table(counts.to_numpy()).test_nominal_association()
        rows.append({"sample_size": int(n), "chi2": float(res.statistic), "df": float(res.df),
                     "p_value": float(res.pvalue), "cramers_v": cramers_v(counts),
                     "significant": bool(res.pvalue < alpha)})
    return pd.DataFrame(rows)


def smallest_significant_sample_size(shares: pd.DataFrame, alpha: float = 0.05) -> int | None:
    """The smallest equal sample size per region at which the homogeneity test has p < alpha.

    Uses unrounded counts, for which chi2 grows linearly with n: chi2(n) = n * chi2(1), so
    n* = ceil(chi2_crit(df) / chi2(1)). None when the shares are identical in every region (chi2 = 0).
    """
    if (shares < 0).any().any() or shares.isna().any().any():
        raise StatsInputError("shares must be non-negative and complete")
    fractions = shares.div(shares.sum(axis=1), axis=0)
    fractions = fractions.loc[:, fractions.sum(axis=0) > 0]
    result = Table(fractions.to_numpy()).test_nominal_association()
    if result.statistic <= 1e-12:
        return None
    critical = scipy_stats.chi2.ppf(1 - alpha, result.df)
    return int(np.floor(critical / result.statistic)) + 1


# --- proportions ---------------------------------------------------------------------------------------------


def wilson_interval(share_percent: float, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for a proportion given in percent and a sample size; returns percent bounds."""
    n = _sizes(["sample"], n)["sample"]
    if not 0 <= share_percent <= 100:
        raise StatsInputError(f"share must lie within 0-100, got {share_percent}")
    count = round(share_percent / 100 * n)
    low, high = proportion_confint(count, n, alpha=alpha, method="wilson")
    return float(low * 100), float(high * 100)


def wilson_table(shares: pd.Series, sample_size: int | Mapping[str, int], alpha: float = 0.05) -> pd.DataFrame:
    """Wilson intervals for one category's share (percent) in each region."""
    sizes = _sizes(list(shares.index), sample_size)
    rows = []
    for region, share in shares.items():
        low, high = wilson_interval(float(share), sizes[region], alpha)
        rows.append({"region_id": region, "share_percent": float(share), "n": sizes[region],
                     "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def pairwise_proportions(shares: pd.Series, sample_size: int | Mapping[str, int], alpha: float = 0.05,
                         correction: str = "holm") -> pd.DataFrame:
    """Two-proportion z-tests between every pair of regions for one category, Holm-corrected.

    ``shares``: percent per region. Returns region_a, region_b, the shares, difference (points), z, p_value,
    p_adjusted, reject (at alpha after correction) and the n used.
    """
    sizes = _sizes(list(shares.index), sample_size)
    rows = []
    for a, b in itertools.combinations(shares.index, 2):
        counts = np.array([round(shares[a] / 100 * sizes[a]), round(shares[b] / 100 * sizes[b])])
        nobs = np.array([sizes[a], sizes[b]])
        if counts.sum() in (0, nobs.sum()):
            z, p = 0.0, 1.0
        else:
            z, p = proportions_ztest(counts, nobs)
        rows.append({"region_a": a, "region_b": b, "share_a": float(shares[a]), "share_b": float(shares[b]),
                     "difference": float(shares[a] - shares[b]), "z": float(z), "p_value": float(p),
                     "n_a": sizes[a], "n_b": sizes[b]})
    out = pd.DataFrame(rows)
    if out.empty:
        raise StatsInputError("pairwise tests need at least two regions")
    reject, p_adj, _, _ = multipletests(out["p_value"], alpha=alpha, method=correction)
    out["p_adjusted"] = p_adj
    out["reject"] = reject
    return out


# --- trends ------------------------------------------------------------------------------------------------


def _series_frame(series: pd.Series, label: str) -> pd.DataFrame:
    clean = series.dropna().astype(float)
    if len(clean) < 3:
        raise StatsInputError(f"{label}: a trend needs at least three years with values, got {len(clean)}")
    if (clean <= 0).any():
        raise StatsInputError(f"{label}: counts must be positive for a log trend")
    return pd.DataFrame({"year": clean.index.astype(float), "log_count": np.log(clean.to_numpy())})


def log_linear_trend(series: pd.Series, alpha: float = 0.05, label: str = "series") -> dict:
    """OLS of log(count) on year: annual growth in percent, exp(b) - 1, with its confidence interval.

    ``series`` is indexed by year. Returns slope, se, p_value, growth_percent, ci_low, ci_high (percent per
    year) and n_years. With four annual values the interval is wide: two residual degrees of freedom.
    """
    frame = _series_frame(series, label)
    fit = smf.ols("log_count ~ year", data=frame).fit()
    low, high = fit.conf_int(alpha).loc["year"]
    slope = fit.params["year"]
    return {"slope": float(slope), "se": float(fit.bse["year"]), "p_value": float(fit.pvalues["year"]),
            "growth_percent": float(np.expm1(slope) * 100), "ci_low": float(np.expm1(low) * 100),
            "ci_high": float(np.expm1(high) * 100), "n_years": int(len(frame)), "df_resid": float(fit.df_resid)}


def trend_difference(region: pd.Series, reference: pd.Series, alpha: float = 0.05) -> TestResult:
    """Does a region's log-linear trend differ from its reference's? OLS with a year x region interaction.

    log(count) ~ year * is_region on the stacked series; the interaction coefficient is the difference in
    log growth per year. Effect size: the difference in annual growth, in percentage points.
    """
    a = _series_frame(region, "region").assign(is_region=1.0)
    b = _series_frame(reference, "reference").assign(is_region=0.0)
    frame = pd.concat([a, b], ignore_index=True)
    fit = smf.ols("log_count ~ year * is_region", data=frame).fit()
    term = "year:is_region"
    low, high = fit.conf_int(alpha).loc[term]
    region_growth = np.expm1(fit.params["year"] + fit.params[term])
    ref_growth = np.expm1(fit.params["year"])
    return TestResult(
        test="OLS interaction test of log-linear trends",
        statistic=float(fit.tvalues[term]),
        p_value=float(fit.pvalues[term]),
        df=float(fit.df_resid),
        effect_size=float((region_growth - ref_growth) * 100),
        effect_size_name="difference in annual growth (percentage points)",
        ci_low=float(low * 100),
        ci_high=float(high * 100),
        n=int(len(frame)),
        assumptions={"model": "log(count) ~ year * is_region, OLS, common error variance",
                     "CI": "of the interaction coefficient (log points x 100)"},
    )


# --- profile pairing (permutation) -----------------------------------------------------------------------


def profile_pairing_test(mat: pd.DataFrame, region: str, candidate: str, others: Sequence[str] | None = None,
                         n_permutations: int = 9999, seed: int = 2016) -> TestResult:
    """Is ``region``'s sector profile closer to ``candidate``'s than to the ``others``'? A permutation test.

    Statistic T = mean Krugman distance from ``region`` to the others - distance to ``candidate`` (positive:
    candidate is closer). Null hypothesis: the candidate is exchangeable with the others, sector by sector.
    Each permutation reassigns, independently in every sector, the comparison regions' shares among them
    (rows renormalised), and recomputes T; p = (1 + #{T* >= T}) / (1 + n_permutations).
    Also recorded: the candidate's rank among all comparison regions by distance (1 = closest).
    """
    values = validate_matrix(mat)
    if others is None:
        others = [r for r in values.index if r not in (region, candidate)]
    others = list(others)
    names = [region, candidate, *others]
    missing = [r for r in names if r not in values.index]
    if missing:
        raise StatsInputError(f"region(s) {', '.join(missing)} not in the matrix; present: {', '.join(values.index)}")
    if len(others) < 1 or region in others or candidate in others or region == candidate:
        raise StatsInputError("need a region, a different candidate and at least one other comparison region")
    shares = sector_shares(values, percent=False)
    focus = shares.loc[region].to_numpy()
    pool = shares.loc[[candidate, *others]].to_numpy()  # row 0 = candidate

    def statistic(rows: np.ndarray) -> float:
        rows = rows / rows.sum(axis=1, keepdims=True)
        dist = np.abs(rows - focus).sum(axis=1)
        return float(dist[1:].mean() - dist[0])

    observed = statistic(pool)
    rng = np.random.default_rng(seed)
    k, m = pool.shape
    exceed = 0
    for _ in range(n_permutations):
        perm = np.argsort(rng.random((k, m)), axis=0)
        shuffled = np.take_along_axis(pool, perm, axis=0)
        if statistic(shuffled) >= observed - 1e-12:
            exceed += 1
    p = (1 + exceed) / (1 + n_permutations)
    dist = np.abs(pool - focus).sum(axis=1)
    rank = int(1 + (dist[1:] < dist[0]).sum())
    return TestResult(
        test="sector-wise permutation test of profile closeness",
        statistic=observed,
        p_value=float(p),
        effect_size=float(dist[0]),
        effect_size_name=f"Krugman distance {region}-{candidate}",
        n=len(names),
        assumptions={"null": "candidate exchangeable with the other regions in every sector",
                     "permutations": n_permutations, "seed": seed, "others": ", ".join(others),
                     "candidate rank by distance": rank, "mean distance to others": float(dist[1:].mean())},
    )


# --- cohort micro-data: survival and career outcomes -------------------------------------------------------

#: Columns a cohort micro-data file must have (see chapters/ch2 and data/README.md).
COHORT_COLUMNS = {
    "person_id": "identifier, unique",
    "education": "training programme (category)",
    "occupation_group": "occupation at the start (category)",
    "duration_years": "years in the starting occupation until it ended or observation stopped (> 0)",
    "occupation_ended": "1 if the person left the starting occupation, 0 if still in it (censored)",
    "outcome": "career outcome at the end: higher, same, lower or unemployed",
}
OUTCOMES = ("higher", "same", "lower", "unemployed")


def validate_cohort(frame: pd.DataFrame) -> pd.DataFrame:
    """Check cohort micro-data against ``COHORT_COLUMNS``; raises ``StatsInputError`` naming the problem."""
    missing = [c for c in COHORT_COLUMNS if c not in frame.columns]
    if missing:
        raise StatsInputError(f"cohort data lack column(s) {', '.join(missing)}; required: {', '.join(COHORT_COLUMNS)}")
    if not frame["person_id"].is_unique:
        raise StatsInputError("cohort data: person_id is not unique")
    duration = pd.to_numeric(frame["duration_years"], errors="coerce")
    if duration.isna().any() or (duration <= 0).any():
        raise StatsInputError("cohort data: duration_years must be a positive number in every row")
    if not frame["occupation_ended"].isin([0, 1]).all():
        raise StatsInputError("cohort data: occupation_ended must be 0 or 1")
    bad = sorted(set(frame["outcome"]) - set(OUTCOMES))
    if bad:
        raise StatsInputError(f"cohort data: unknown outcome(s) {bad}; valid: {', '.join(OUTCOMES)}")
    return frame


def kaplan_meier(durations: pd.Series, events: pd.Series, horizon: float | None = None, alpha: float = 0.05
                 ) -> tuple[pd.DataFrame, dict]:
    """Kaplan-Meier survival in an occupation (statsmodels ``SurvfuncRight``).

    Returns the survival table (time, survival, ci_low, ci_high) and a summary: median duration (years, or
    None when survival never falls to 0.5), restricted mean duration up to ``horizon`` (default: the last
    time; the area under the survival curve) and the survival at the horizon.
    """
    time = np.asarray(durations, dtype=float)
    status = np.asarray(events, dtype=int)
    if len(time) == 0 or (time <= 0).any():
        raise StatsInputError("durations must be positive and non-empty")
    sf = SurvfuncRight(time, status)
    se = sf.surv_prob_se
    z = float(scipy_stats.norm.ppf(1 - alpha / 2))  # pointwise Greenwood interval
    table = pd.DataFrame({"time": sf.surv_times, "survival": sf.surv_prob,
                          "ci_low": np.clip(sf.surv_prob - z * se, 0, 1),
                          "ci_high": np.clip(sf.surv_prob + z * se, 0, 1)})
    horizon = float(time.max() if horizon is None else horizon)
    steps_t = np.concatenate([[0.0], table["time"].to_numpy()])
    steps_s = np.concatenate([[1.0], table["survival"].to_numpy()])
    keep = steps_t < horizon
    t, s = np.append(steps_t[keep], horizon), steps_s[keep]
    restricted_mean = float(np.sum(np.diff(t) * s))
    below = table.loc[table["survival"] <= 0.5, "time"]
    return table, {"median_years": float(below.iloc[0]) if len(below) else None,
                   "restricted_mean_years": restricted_mean, "horizon_years": horizon,
                   "survival_at_horizon": float(s[-1]) if len(s) else 1.0, "n": int(len(time)),
                   "events": int(status.sum())}


def career_outcomes_model(frame: pd.DataFrame, predictor: str = "education") -> tuple[pd.DataFrame, TestResult]:
    """Multinomial logit of the career outcome on a categorical predictor (statsmodels ``MNLogit``).

    Returns the predicted outcome probabilities (percent) per predictor category, and the likelihood-ratio
    test against the intercept-only model with McFadden's pseudo R².
    """
    validate_cohort(frame)
    outcome = pd.Categorical(frame["outcome"], categories=[o for o in OUTCOMES if o in set(frame["outcome"])])
    if len(outcome.categories) < 2:
        raise StatsInputError("career outcomes need at least two different outcomes")
    exog = pd.get_dummies(frame[predictor].astype("category"), drop_first=True, dtype=float)
    exog = sm.add_constant(exog, has_constant="add")
    fit = sm.MNLogit(outcome.codes, exog).fit(disp=False, maxiter=200)
    levels = frame[predictor].astype("category").cat.categories
    grid = pd.get_dummies(pd.Categorical(levels, categories=levels), drop_first=True, dtype=float)
    grid = sm.add_constant(grid, has_constant="add")
    probs = pd.DataFrame(np.asarray(fit.predict(grid)) * 100, index=levels, columns=list(outcome.categories))
    probs.index.name = predictor
    result = TestResult(
        test="likelihood-ratio test, multinomial logit",
        statistic=float(fit.llr),
        p_value=float(fit.llr_pvalue),
        df=float(fit.df_model),
        effect_size=float(fit.prsquared),
        effect_size_name="McFadden pseudo R²",
        n=int(len(frame)),
        assumptions={"model": f"outcome ~ C({predictor}), multinomial logit", "reference outcome": outcome.categories[0]},
    )
    return probs, result


# --- composite index ------------------------------------------------------------------------------------


def composite_index(indicators: pd.DataFrame, weights: Mapping[str, float],
                    directions: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Weighted mean of z-scored indicators per region, with its rank (1 = highest).

    ``indicators``: regions x indicators; ``weights``: non-negative, at least one positive, for every
    indicator; ``directions``: +1 if higher is better (default), -1 if lower is better.
    """
    directions = dict(directions or {})
    missing = [c for c in indicators.columns if c not in weights]
    if missing:
        raise StatsInputError(f"weights missing for indicator(s) {', '.join(missing)}")
    extra = [k for k in weights if k not in indicators.columns]
    if extra:
        raise StatsInputError(f"weights given for unknown indicator(s) {', '.join(extra)}; "
                              f"valid: {', '.join(indicators.columns)}")
    w = pd.Series({c: float(weights[c]) for c in indicators.columns})
    if (w < 0).any() or w.sum() <= 0:
        raise StatsInputError("weights must be non-negative with a positive sum")
    if indicators.isna().any().any():
        raise StatsInputError("indicators have missing values; drop or impute them first")
    sd = indicators.std(ddof=0).replace(0, np.nan)
    z = (indicators - indicators.mean()) / sd
    z = z.fillna(0.0) * pd.Series({c: directions.get(c, 1) for c in indicators.columns})
    score = (z * w).sum(axis=1) / w.sum()
    out = pd.DataFrame({"score": score})
    out["rank"] = out["score"].rank(ascending=False, method="min").astype(int)
    return out.sort_values("rank")


def rank_stability(indicators: pd.DataFrame, directions: Mapping[str, int] | None = None, n_draws: int = 2000,
                   seed: int = 2016, base_weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """How stable are the composite ranks under random weights? Weights ~ Dirichlet(1, ..., 1).

    Returns per region: the rank under ``base_weights`` (default equal), the share of draws in which it keeps
    that rank, its mean rank, and the best and worst rank seen.
    """
    base_weights = base_weights or {c: 1.0 for c in indicators.columns}
    base = composite_index(indicators, base_weights, directions)["rank"]
    rng = np.random.default_rng(seed)
    ranks = []
    for draw in rng.dirichlet(np.ones(indicators.shape[1]), size=n_draws):
        weights = dict(zip(indicators.columns, draw))
        ranks.append(composite_index(indicators, weights, directions)["rank"])
    ranks = pd.DataFrame(ranks).reindex(columns=base.index)
    return pd.DataFrame({
        "base_rank": base,
        "share_same_rank": ranks.eq(base, axis="columns").mean(),
        "mean_rank": ranks.mean(),
        "best_rank": ranks.min(),
        "worst_rank": ranks.max(),
    }).sort_values("base_rank")


__all__ = [
    "TestResult", "StatsInputError", "IndexInputError", "counts_from_shares", "cramers_v", "homogeneity_test",
    "sample_size_sensitivity", "smallest_significant_sample_size", "wilson_interval", "wilson_table",
    "pairwise_proportions", "log_linear_trend", "trend_difference", "profile_pairing_test", "COHORT_COLUMNS",
    "OUTCOMES", "validate_cohort", "kaplan_meier", "career_outcomes_model", "composite_index", "rank_stability",
]
