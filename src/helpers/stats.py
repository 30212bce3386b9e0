"""Statistical comparisons of regions, with statsmodels; each returns a tidy result with its assumptions.

The report publishes percentages, not counts. Every test on its percentages therefore takes the sample size per
region as an explicit argument, records it in the result, and can be repeated over a range of sizes
(``sample_size_sensitivity``): the conclusions are only as good as that assumption.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats as scipy_stats
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats import multitest
from statsmodels.stats.proportion import proportion_confint, proportions_ztest
from threadpoolctl import threadpool_limits

from . import switches
from .i18n import N_, _
from .indices import IndexInputError, sector_shares, validate_matrix


class StatsInputError(ValueError):
    """Input that a statistical function cannot use (names the problem)."""


def multipletests(pvals, alpha: float = 0.05, method: str = "holm"):
    """statsmodels' ``multipletests``, without the full garbage collection its Holm branch runs on every call.

    That ``gc.collect()`` frees nothing here and costs 0.1-0.2 s in a process that holds pandas, matplotlib and
    a chart or two, many times per chapter; the corrected p-values are statsmodels' own. A bet on statsmodels'
    code (the trick ``holm_without_gc`` of ``regbook.tricks``; switched off, this is statsmodels' function).
    """
    if not switches.on("holm_without_gc"):
        return multitest.multipletests(pvals, alpha=alpha, method=method)
    collect = gc.collect
    gc.collect = lambda *args, **kwargs: 0
    try:
        return multitest.multipletests(pvals, alpha=alpha, method=method)
    finally:
        gc.collect = collect


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


def _contingency(counts: pd.DataFrame | np.ndarray) -> tuple[np.ndarray, list]:
    """A regions x categories table ready for a chi-square test, and the categories dropped as empty.

    Refuses tables with non-finite or negative cells, fewer than two regions, a region with no counts, or
    fewer than two categories left after dropping the categories that are empty in every region.
    """
    frame = pd.DataFrame(counts)
    table = frame.to_numpy(dtype=float, copy=True)
    if table.ndim != 2 or table.size == 0:
        raise StatsInputError("a contingency table needs regions in rows and categories in columns")
    if not np.isfinite(table).all() or (table < 0).any():
        raise StatsInputError("counts must be finite and non-negative")
    if table.shape[0] < 2:
        raise StatsInputError(f"a test of homogeneity needs at least two regions, got {table.shape[0]}")
    empty_rows = [str(r) for r, total in zip(frame.index, table.sum(axis=1)) if total <= 0]
    if empty_rows:
        raise StatsInputError(f"region(s) {', '.join(empty_rows)} have no counts in any category")
    empty = table.sum(axis=0) <= 0
    dropped = [c for c, e in zip(frame.columns, empty) if e]
    table = table[:, ~empty]
    if table.shape[1] < 2:
        raise StatsInputError(f"a test of homogeneity needs at least two non-empty categories, got {table.shape[1]}")
    return table, dropped


def _chi_square(table: np.ndarray) -> tuple[float, int, float]:
    """Pearson's chi-square of a checked table, without continuity correction or zero shifting: chi2, df, p."""
    chi2, p, dof, _ = scipy_stats.chi2_contingency(table, correction=False)
    return float(chi2), int(dof), float(p)


def cramers_v(counts: pd.DataFrame) -> float:
    """Cramér's V = sqrt(chi2 / (N * (min(r, c) - 1))) of a table of counts (empty categories dropped)."""
    table, _ = _contingency(counts)
    return _cramers_v(table, _chi_square(table)[0])


def _cramers_v(table: np.ndarray, chi2: float) -> float:
    """Cramér's V of a checked table whose Pearson chi-square is ``chi2``."""
    return float(np.sqrt(chi2 / (table.sum() * (min(table.shape) - 1))))


def bias_corrected_cramers_v(counts: pd.DataFrame) -> float:
    """Bergsma's (2013) bias-corrected Cramér's V of a table of counts (empty categories dropped).

    phi2 = max(0, chi2 / N - (r - 1)(c - 1) / (N - 1)); r~ = r - (r - 1)^2 / (N - 1), likewise c~;
    V~ = sqrt(phi2 / min(r~ - 1, c~ - 1)). Zero when the table shows no more association than chance would.
    """
    table, _ = _contingency(counts)
    chi2, _, _ = _chi_square(table)
    total = table.sum()
    if total < 2:
        raise StatsInputError(f"the bias-corrected V needs at least two observations, got {total:g}")
    r, c = table.shape
    phi2 = max(0.0, chi2 / total - (r - 1) * (c - 1) / (total - 1))
    r_corr = r - (r - 1) ** 2 / (total - 1)
    c_corr = c - (c - 1) ** 2 / (total - 1)
    if min(r_corr, c_corr) <= 1:
        raise StatsInputError(f"the bias-corrected V needs more than {total:g} observations for a {r} x {c} table")
    return float(np.sqrt(phi2 / (min(r_corr, c_corr) - 1)))


def homogeneity_test(shares: pd.DataFrame, sample_size: int | Mapping[str, int]) -> TestResult:
    """Chi-square test that the category shares are the same in every region, with Cramér's V.

    ``shares``: regions x categories, in percent. Counts are reconstructed for the assumed ``sample_size``
    (``counts_from_shares``); categories empty in every region are dropped (listed in the assumptions). The
    effect size is Cramér's V; Bergsma's bias-corrected V is recorded beside it. No interval is given for V:
    the counts are reconstructed for an assumed n, so a sampling interval would only restate that assumption,
    and the usual bootstrap interval of V covers far less often than it claims when V is near zero.
    """
    counts = counts_from_shares(shares, sample_size)
    table, dropped = _contingency(counts)
    chi2, dof, p = _chi_square(table)
    sizes_used = _sizes(list(shares.index), sample_size)
    return TestResult(
        test="chi-square test of homogeneity",
        statistic=chi2,
        p_value=p,
        df=float(dof),
        effect_size=_cramers_v(table, chi2),
        effect_size_name="Cramér's V",
        n=sizes_used,
        assumptions={
            "counts": "reconstructed from published percentages",
            "sample size per region": sizes_used if isinstance(sample_size, Mapping) else int(sample_size),
            "shares rescaled to 100 per region": True,
            "categories dropped (empty in every region)": ", ".join(map(str, dropped)) or "none",
            "bias-corrected Cramér's V (Bergsma 2013)": bias_corrected_cramers_v(counts),
        },
    )


def sample_size_sensitivity(shares: pd.DataFrame, sizes: Sequence[int], alpha: float = 0.05) -> pd.DataFrame:
    """The homogeneity test repeated over assumed sample sizes (same n in every region).

    Returns one row per n: chi2, df, p_value, cramers_v, and whether p < alpha.
    """
    sizes = [int(n) for n in sizes]
    if not sizes:
        return pd.DataFrame([])
    counts_from_shares(shares, sizes[0])  # refuses shares that no sample size could turn into counts
    for n in sizes:
        _sizes(list(shares.index), n)  # and sizes that are not sample sizes
    fractions = shares.div(shares.sum(axis=1), axis=0).to_numpy(dtype=float)  # as counts_from_shares makes them
    tables = np.round(fractions[None] * np.array(sizes, dtype=float)[:, None, None])  # sizes x regions x categories
    regions, categories = fractions.shape
    # tables with counts in every region and category are tested in one pass; any other as homogeneity_test
    # would (its empty categories dropped, or refused)
    together = (
        (tables.sum(axis=2) > 0).all(axis=1) & (tables.sum(axis=1) > 0).all(axis=1) & (min(regions, categories) >= 2)
    )
    chi2s = _pearson_chi2(tables[together])
    dof = (regions - 1) * (categories - 1)
    passed = iter(zip(tables[together], chi2s, scipy_stats.chi2.sf(chi2s, dof)))
    rows = []
    for n, simple in zip(sizes, together):
        if simple:
            table, chi2, p = next(passed)
            chi2, p, degrees = float(chi2), float(p), dof
            v = _cramers_v(table, chi2)
        else:
            table, _ = _contingency(counts_from_shares(shares, n))
            chi2, degrees, p = _chi_square(table)
            v = _cramers_v(table, chi2)
        rows.append(
            {
                "sample_size": n,
                "chi2": chi2,
                "df": float(degrees),
                "p_value": p,
                "cramers_v": v,
                "significant": bool(p < alpha),
            }
        )
    return pd.DataFrame(rows)


def _fractions(shares: pd.DataFrame) -> pd.DataFrame:
    values = pd.DataFrame(shares).astype(float)
    if not np.isfinite(values.to_numpy()).all() or (values < 0).any().any():
        raise StatsInputError("shares must be finite, non-negative and complete")
    return values.div(values.sum(axis=1), axis=0)


def smallest_significant_sample_size(shares: pd.DataFrame, alpha: float = 0.05) -> int | None:
    """The smallest equal sample size per region at which the homogeneity test has p < alpha.

    Uses unrounded counts, for which chi2 grows linearly with n: chi2(n) = n * chi2(1), so
    n* = floor(chi2_crit(df) / chi2(1)) + 1. None when the shares are identical in every region (chi2 = 0).
    """
    table, _ = _contingency(_fractions(shares))
    chi2_per_person, dof, _ = _chi_square(table)
    if chi2_per_person <= 1e-12:
        return None
    critical = scipy_stats.chi2.ppf(1 - alpha, dof)
    return int(np.floor(critical / chi2_per_person)) + 1


def _pearson_chi2(tables: np.ndarray) -> np.ndarray:
    """Pearson's chi-square of each table in a stack (tables x rows x columns) whose rows and columns all have
    positive sums: the sum of (observed - expected)^2 / expected, expected = row sum x column sum / total."""
    rows = tables.sum(axis=2, keepdims=True)
    columns = tables.sum(axis=1, keepdims=True)
    expected = rows * columns / tables.sum(axis=(1, 2), keepdims=True)
    return ((tables - expected) ** 2 / expected).sum(axis=(1, 2))


def _homogeneity_p_values(draws: np.ndarray, sizes: np.ndarray, index, columns) -> list[float]:
    """``homogeneity_test(draw, sizes).p_value`` of each regions x categories array in ``draws`` (draws x regions
    x categories): the tables whose every region and category has counts after rounding in one pass (the same
    steps on arrays: shares rescaled per region, times n, rounded; Pearson's chi-square), any other through
    ``homogeneity_test`` itself (empty categories dropped, or refused with its message)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        counts = np.round(draws / draws.sum(axis=2, keepdims=True) * sizes[None, :, None])
    regions, categories = draws.shape[1:]
    together = (
        np.isfinite(counts).all(axis=(1, 2))
        & (counts.sum(axis=2) > 0).all(axis=1)
        & (counts.sum(axis=1) > 0).all(axis=1)
        & (regions >= 2)
        & (categories >= 2)
    )
    p_values = np.empty(len(draws))
    if together.any():
        p_values[together] = scipy_stats.chi2.sf(_pearson_chi2(counts[together]), (regions - 1) * (categories - 1))
    sizes_by_region = dict(zip(index, sizes.astype(int).tolist()))
    for i in np.flatnonzero(~together):
        p_values[i] = homogeneity_test(pd.DataFrame(draws[i], index=index, columns=columns), sizes_by_region).p_value
    return p_values.tolist()


def _smallest_significant_ns(draws: np.ndarray, alpha: float, index, columns) -> list[int | None]:
    """``smallest_significant_sample_size`` of each regions x categories array in ``draws``: the tables whose
    every category has a share in one pass, any other through that function itself."""
    with np.errstate(divide="ignore", invalid="ignore"):
        fractions = draws / draws.sum(axis=2, keepdims=True)
    regions, categories = draws.shape[1:]
    together = (
        np.isfinite(fractions).all(axis=(1, 2))
        & (fractions.sum(axis=1) > 0).all(axis=1)
        & (regions >= 2)
        & (categories >= 2)
    )
    n_mins: list[int | None] = [None] * len(draws)
    if together.any():
        critical = scipy_stats.chi2.ppf(1 - alpha, (regions - 1) * (categories - 1))
        for i, per_person in zip(np.flatnonzero(together), _pearson_chi2(fractions[together])):
            n_mins[i] = None if per_person <= 1e-12 else int(np.floor(critical / per_person)) + 1
    for i in np.flatnonzero(~together):
        n_mins[i] = smallest_significant_sample_size(pd.DataFrame(draws[i], index=index, columns=columns), alpha)
    return n_mins


def rounding_range(
    shares: pd.DataFrame,
    sample_size: int | Mapping[str, int],
    alpha: float = 0.05,
    half_width: float = 0.5,
    n_draws: int = 400,
    seed: int = 2016,
    complement: str | None = None,
) -> dict:
    """What printing in whole percents does to the homogeneity test: its range over the unrounded tables.

    Each printed share x stands for a true share anywhere in [x - half_width, x + half_width]; ``n_draws``
    seeded uniform draws of such tables give the range of the p-value and of the smallest significant n.
    Returns p_low, p_high, n_min_low, n_min_high (None: never significant), share_significant (of the draws,
    at ``alpha``) and the printed table's own p. ``complement``: a column that is not printed but computed as
    100 minus the others (such as 'job' beside Tabel 1's 'no job'); it is recomputed from each draw.
    """
    if half_width < 0:
        raise StatsInputError(f"half_width must be non-negative, got {half_width}")
    printed = pd.DataFrame(shares).astype(float)
    if complement is not None and complement not in printed.columns:
        raise StatsInputError(
            f"complement {complement!r} is not a column; columns: {', '.join(map(str, printed.columns))}"
        )
    sizes = _sizes(list(printed.index), sample_size)
    size_per_region = np.array([sizes[r] for r in printed.index], dtype=float)
    columns = list(printed.columns)
    rng = np.random.default_rng(seed)
    # all draws at once: the same numbers, in the same order, as one (regions x categories) draw after another
    noise = rng.uniform(-half_width, half_width, (n_draws, *printed.shape))
    draws = np.clip(printed.to_numpy() + noise, 0, None)
    if complement is not None:
        j = columns.index(complement)
        draws[:, :, j] = np.clip(100 - np.delete(draws, j, axis=2).sum(axis=2), 0, None)
    p_values = _homogeneity_p_values(draws, size_per_region, printed.index, columns)
    n_mins = _smallest_significant_ns(draws, alpha, printed.index, columns)
    finite = [m for m in n_mins if m is not None]
    return {
        "p_printed": homogeneity_test(printed, sample_size).p_value,
        "p_low": float(min(p_values)),
        "p_high": float(max(p_values)),
        "n_min_low": min(finite) if finite else None,
        "n_min_high": None if len(finite) < len(n_mins) else max(finite),
        "share_significant": float(np.mean(np.asarray(p_values) < alpha)),
    }


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
        rows.append(
            {"region_id": region, "share_percent": float(share), "n": sizes[region], "ci_low": low, "ci_high": high}
        )
    return pd.DataFrame(rows)


def pairwise_proportions(
    shares: pd.Series, sample_size: int | Mapping[str, int], alpha: float = 0.05, correction: str = "holm"
) -> pd.DataFrame:
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
        rows.append(
            {
                "region_a": a,
                "region_b": b,
                "share_a": float(shares[a]),
                "share_b": float(shares[b]),
                "difference": float(shares[a] - shares[b]),
                "z": float(z),
                "p_value": float(p),
                "n_a": sizes[a],
                "n_b": sizes[b],
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        raise StatsInputError("pairwise tests need at least two regions")
    reject, p_adj, _, _ = multipletests(out["p_value"], alpha=alpha, method=correction)
    out["p_adjusted"] = p_adj
    out["reject"] = reject
    return out


def smallest_n_for_extreme(
    shares: pd.Series, region: str, direction: str, alpha: float = 0.05, correction: str = "holm"
) -> int | None:
    """The smallest equal n per region at which ``region``'s share differs significantly from every other's.

    The test behind a reading 'region X has the highest (lowest) share': two-proportion z-tests of X against
    each of the m other regions, corrected over those comparisons ('holm' or 'bonferroni'), with unrounded
    counts. With n persons per region, z_j^2 = n * c_j, c_j = (p_X - p_j)^2 / (2 pbar_j (1 - pbar_j)), so the
    order of the p-values does not depend on n, and the j-th smallest p must fall below alpha / (m - j + 1)
    (Holm) or alpha / m (Bonferroni): n* = max_j floor(z_j,crit^2 / c_j) + 1. None when X is not strictly the
    highest (lowest): then no n makes the reading significant.
    """
    if direction not in ("highest", "lowest"):
        raise StatsInputError(f"direction must be 'highest' or 'lowest', got {direction!r}")
    if correction not in ("holm", "bonferroni"):
        raise StatsInputError(f"correction must be 'holm' or 'bonferroni', got {correction!r}")
    values = pd.Series(shares, dtype=float)
    if region not in values.index:
        raise StatsInputError(f"region {region!r} not among {', '.join(map(str, values.index))}")
    if len(values) < 2 or not np.isfinite(values.to_numpy()).all() or ((values < 0) | (values > 100)).any():
        raise StatsInputError("shares must be at least two finite percentages between 0 and 100")
    fractions = values / 100
    others = fractions.drop(region)
    gaps = fractions[region] - others
    if not ((gaps > 0).all() if direction == "highest" else (gaps < 0).all()):
        return None
    pooled = (others + fractions[region]) / 2
    per_person = np.sort((gaps**2 / (2 * pooled * (1 - pooled))).to_numpy())[::-1]  # largest first: smallest p
    m = len(per_person)
    levels = alpha / (m - np.arange(m)) if correction == "holm" else np.full(m, alpha / m)
    critical = scipy_stats.norm.isf(levels / 2) ** 2
    return int(np.max(np.floor(critical / per_person))) + 1


def extreme_region_test(
    shares: pd.Series,
    region: str,
    direction: str,
    sample_size: int | Mapping[str, int],
    alpha: float = 0.05,
    correction: str = "holm",
) -> TestResult:
    """The test behind a reading 'region X has the highest (lowest) share' at an assumed sample size.

    Two-proportion z-tests of X against each other region (counts as in ``pairwise_proportions``), corrected
    over those comparisons. The reading holds at ``alpha`` when every comparison rejects, so the p-value
    reported is the largest corrected p (1 when X is not strictly the highest or lowest share) and the
    statistic is the smallest |z| of the comparisons.
    """
    if direction not in ("highest", "lowest"):
        raise StatsInputError(f"direction must be 'highest' or 'lowest', got {direction!r}")
    values = pd.Series(shares, dtype=float)
    if region not in values.index:
        raise StatsInputError(f"region {region!r} not among {', '.join(map(str, values.index))}")
    sizes = _sizes(list(values.index), sample_size)
    others = [r for r in values.index if r != region]
    if not others:
        raise StatsInputError("the test needs at least two regions")
    pairs = pd.concat([pairwise_proportions(values[[region, other]], sizes, alpha) for other in others])
    raw = pairs["p_value"].to_numpy()
    _, adjusted, _, _ = multipletests(raw, alpha=alpha, method=correction)
    gaps = values[region] - values[others]
    holds = bool((gaps > 0).all() if direction == "highest" else (gaps < 0).all())
    p = float(adjusted.max()) if holds else 1.0
    return TestResult(
        test=f"z-tests of one region against each other, {correction}-corrected",
        statistic=float(pairs["z"].abs().min()),
        p_value=p,
        n=sizes,
        assumptions={
            "comparisons": len(others),
            "direction holds in the table": holds,
            "p": "largest corrected p of the comparisons (1 if the direction does not hold)",
        },
    )


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
    return {
        "slope": float(slope),
        "se": float(fit.bse["year"]),
        "p_value": float(fit.pvalues["year"]),
        "growth_percent": float(np.expm1(slope) * 100),
        "ci_low": float(np.expm1(low) * 100),
        "ci_high": float(np.expm1(high) * 100),
        "n_years": int(len(frame)),
        "df_resid": float(fit.df_resid),
    }


def trend_difference(region: pd.Series, reference: pd.Series, alpha: float = 0.05) -> TestResult:
    """Does a region's log-linear trend differ from its reference's? OLS with a year x region interaction.

    log(count) ~ year * is_region on the stacked series; the interaction coefficient b is the difference in
    log growth per year. Effect and interval are on one scale: 100 * (exp(b) - 1), the percent by which the
    region's annual growth factor exceeds the reference's (close to the difference in growth rates, in
    percentage points, when both are small). The interval reflects the scatter of the yearly values around
    their lines (t with n - 4 degrees of freedom), not sampling error: the counts are a census.
    """
    a = _series_frame(region, "region").assign(is_region=1.0)
    b = _series_frame(reference, "reference").assign(is_region=0.0)
    frame = pd.concat([a, b], ignore_index=True)
    fit = smf.ols("log_count ~ year * is_region", data=frame).fit()
    term = "year:is_region"
    low, high = fit.conf_int(alpha).loc[term]
    return TestResult(
        test="OLS interaction test of log-linear trends",
        statistic=float(fit.tvalues[term]),
        p_value=float(fit.pvalues[term]),
        df=float(fit.df_resid),
        effect_size=float(np.expm1(fit.params[term]) * 100),
        effect_size_name="region's annual growth factor relative to the reference's (percent)",
        ci_low=float(np.expm1(low) * 100),
        ci_high=float(np.expm1(high) * 100),
        n=int(len(frame)),
        assumptions={
            "model": "log(count) ~ year * is_region, OLS, common error variance",
            "CI": "100 * (exp(b) - 1) at the interaction's t interval; scatter around the lines, not sampling error",
        },
    )


def rest_of_country(region: pd.Series, country: pd.Series, label: str = "region") -> pd.Series:
    """The country's series minus the region's (the rest of the country), year by year; must stay positive."""
    both = pd.concat(
        [pd.Series(region, dtype=float), pd.Series(country, dtype=float)], axis=1, keys=["region", "country"]
    ).dropna()
    rest = both["country"] - both["region"]
    if (rest <= 0).any():
        years = ", ".join(str(y) for y in rest.index[rest <= 0])
        raise StatsInputError(f"{label}: the country's count does not exceed the region's in {years}")
    return rest


def trend_against_rest(region: pd.Series, country: pd.Series, alpha: float = 0.05, label: str = "region") -> TestResult:
    """``trend_difference`` of a region against the rest of its country (country minus region)."""
    result = trend_difference(region, rest_of_country(region, country, label), alpha)
    result.assumptions["reference"] = "rest of the country (country minus region)"
    return result


# --- profile pairing (exact whole-region permutation) -----------------------------------------------------


def profile_pairing_test(
    mat: pd.DataFrame, region: str, candidate: str, others: Sequence[str] | None = None, alpha: float = 0.05
) -> TestResult:
    """Is ``region``'s sector profile closer to ``candidate``'s than to the ``others``'? An exact test.

    Null hypothesis: the candidate's whole profile is exchangeable with the others' (the comparison regions
    are interchangeable as wholes, however their sectors are correlated). Under it each of the k comparison
    regions is equally likely to hold any rank in Krugman distance to ``region``, so the exact p-value is
    p = #{comparison regions at least as close as the candidate} / k, and no p below 1/k can occur: with
    1/k > alpha the test cannot reject at that level whatever the data. The main results are the candidate's
    rank and distances; ``assumptions['verdict']`` says what the data can show.
    """
    values = validate_matrix(mat)
    if others is None:
        others = [r for r in values.index if r not in (region, candidate)]
    others = list(others)
    names = [region, candidate, *others]
    missing = [r for r in names if r not in values.index]
    if missing:
        raise StatsInputError(f"region(s) {', '.join(missing)} not in the matrix; present: {', '.join(values.index)}")
    if (
        len(others) < 1
        or region in others
        or candidate in others
        or region == candidate
        or len(set(others)) < len(others)
    ):
        raise StatsInputError("need a region, a different candidate and at least one other comparison region")
    shares = sector_shares(values, percent=False)
    dist = (shares.loc[[candidate, *others]] - shares.loc[region]).abs().sum(axis=1)
    k = len(dist)
    at_least_as_close = int((dist <= dist[candidate] + 1e-12).sum())
    p = at_least_as_close / k
    floor = 1 / k
    rank = int(1 + (dist[others] < dist[candidate] - 1e-12).sum())
    mean_others = float(dist[others].mean())
    if p <= alpha:
        verdict = _("closer than exchangeable regions would be: the sector structure supports the pairing")
    elif floor > alpha:
        verdict = _("the data cannot confirm or refute the pairing at this level")
    else:
        verdict = _("not closer than exchangeable regions could be by chance: not supported at this level")
    return TestResult(
        test="exact whole-region permutation test of profile closeness",
        statistic=mean_others - float(dist[candidate]),
        p_value=float(p),
        effect_size=float(dist[candidate]),
        effect_size_name=f"Krugman distance {region}-{candidate}",
        n=k,
        assumptions={
            "null": "candidate's whole profile exchangeable with the other comparison regions'",
            "others": ", ".join(others),
            "comparison regions": k,
            "smallest attainable p": floor,
            "candidate rank by distance": rank,
            "mean distance to others": mean_others,
            "nearest region": str(dist.idxmin()),
            "alpha": alpha,
            "verdict": verdict,
        },
    )


# --- cohort micro-data: survival and career outcomes -------------------------------------------------------

#: Columns a cohort micro-data file must have (see chapters/ch2 and data/README.md).
COHORT_COLUMNS = {
    "person_id": N_("identifier, unique"),
    "education": N_("training programme (category)"),
    "occupation_group": N_("occupation at the start (category)"),
    "duration_years": N_("years in the starting occupation until it ended or observation stopped (> 0)"),
    "occupation_ended": N_("1 if the person left the starting occupation, 0 if still in it (censored)"),
    "outcome": N_("career outcome at the end: higher, same, lower or unemployed"),
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


def kaplan_meier(
    durations: pd.Series, events: pd.Series, horizon: float | None = None, alpha: float = 0.05
) -> tuple[pd.DataFrame, dict]:
    """Kaplan-Meier survival in an occupation (statsmodels ``SurvfuncRight``).

    Returns the survival table (time, survival, ci_low, ci_high) and a summary: median duration (years, or
    None when survival never falls to 0.5), restricted mean duration up to ``horizon`` (default: the last
    time; the area under the survival curve) and the survival at the horizon.
    """
    time = np.asarray(durations, dtype=float)
    codes = np.asarray(events, dtype=float)
    if time.ndim != 1 or len(time) == 0:
        raise StatsInputError("durations must be a non-empty list of years")
    if len(codes) != len(time):
        raise StatsInputError(f"durations and events differ in length ({len(time)} and {len(codes)})")
    if not np.isfinite(time).all() or (time <= 0).any():
        raise StatsInputError("durations must be positive, finite numbers (no missing values)")
    if not np.isin(codes, (0, 1)).all():
        bad = sorted({float(c) for c in codes if c not in (0, 1)})
        raise StatsInputError(f"event codes must be 0 (censored) or 1 (occupation ended), got {bad}")
    horizon = float(time.max() if horizon is None else horizon)
    if not horizon > 0:
        raise StatsInputError(f"horizon must be a positive number of years, got {horizon}")
    status = codes
    sf = SurvfuncRight(time, status)
    se = sf.surv_prob_se
    z = float(scipy_stats.norm.ppf(1 - alpha / 2))  # pointwise Greenwood interval
    table = pd.DataFrame(
        {
            "time": sf.surv_times,
            "survival": sf.surv_prob,
            "ci_low": np.clip(sf.surv_prob - z * se, 0, 1),
            "ci_high": np.clip(sf.surv_prob + z * se, 0, 1),
        }
    )
    steps_t = np.concatenate([[0.0], table["time"].to_numpy()])
    steps_s = np.concatenate([[1.0], table["survival"].to_numpy()])
    keep = steps_t <= horizon  # the survival curve is right-continuous: S(horizon) includes events at it
    t, s = np.append(steps_t[keep], horizon), steps_s[keep]
    restricted_mean = float(np.sum(np.diff(t) * s))
    below = table.loc[table["survival"] <= 0.5, "time"]
    return table, {
        "median_years": float(below.iloc[0]) if len(below) else None,
        "restricted_mean_years": restricted_mean,
        "horizon_years": horizon,
        "survival_at_horizon": float(s[-1]),
        "n": int(len(time)),
        "events": int(status.sum()),
    }


def career_outcomes_model(frame: pd.DataFrame, predictor: str = "education") -> tuple[pd.DataFrame, TestResult]:
    """Multinomial logit of the career outcome on a categorical predictor (statsmodels ``MNLogit``).

    Returns the predicted outcome probabilities (percent) per predictor category, and the likelihood-ratio
    test against the intercept-only model with McFadden's pseudo R².

    The Newton steps' matrix products run on one BLAS thread, whatever the caller's pools: split over more threads
    they add their partial sums in another order, which changes the fit's last digits, so that a kernel, a Dask
    worker and a JupyterLab session would disagree. Across BLAS builds and CPUs the fit still agrees only to its
    convergence tolerance (compare at a relative 1e-6; docs/results.md).
    """
    validate_cohort(frame)
    outcome = pd.Categorical(frame["outcome"], categories=[o for o in OUTCOMES if o in set(frame["outcome"])])
    if len(outcome.categories) < 2:
        raise StatsInputError("career outcomes need at least two different outcomes")
    exog = pd.get_dummies(frame[predictor].astype("category"), drop_first=True, dtype=float)
    exog = sm.add_constant(exog, has_constant="add")
    with threadpool_limits(limits=1, user_api="blas"):  # the null model is fitted when fit.llr is first read
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
            assumptions={
                "model": f"outcome ~ C({predictor}), multinomial logit",
                "reference outcome": outcome.categories[0],
            },
        )
    return probs, result


# --- composite index ------------------------------------------------------------------------------------


def _oriented_z_scores(indicators: pd.DataFrame, directions: Mapping[str, int]) -> pd.DataFrame:
    """Each indicator z-scored across regions (population sd; 0 where it does not vary), signed so higher is better."""
    sd = indicators.std(ddof=0).replace(0, np.nan)
    z = (indicators - indicators.mean()) / sd
    return z.fillna(0.0) * pd.Series({c: directions.get(c, 1) for c in indicators.columns})


def composite_index(
    indicators: pd.DataFrame, weights: Mapping[str, float], directions: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """Weighted mean of z-scored indicators per region, with its rank (1 = highest).

    ``indicators``: regions x indicators; ``weights``: finite, non-negative, at least one positive, for every
    indicator (only their ratios matter); ``directions``: +1 if higher is better (default), -1 if lower is better.
    """
    directions = dict(directions or {})
    unknown = [k for k in directions if k not in indicators.columns]
    if unknown:
        raise StatsInputError(
            f"directions given for unknown indicator(s) {', '.join(map(str, unknown))}; "
            f"valid: {', '.join(indicators.columns)}"
        )
    bad = {k: v for k, v in directions.items() if isinstance(v, bool) or v not in (1, -1)}
    if bad:
        raise StatsInputError(f"directions must be +1 (higher is better) or -1 (lower is better), got {bad}")
    missing = [c for c in indicators.columns if c not in weights]
    if missing:
        raise StatsInputError(f"weights missing for indicator(s) {', '.join(missing)}")
    extra = [k for k in weights if k not in indicators.columns]
    if extra:
        raise StatsInputError(
            f"weights given for unknown indicator(s) {', '.join(extra)}; valid: {', '.join(indicators.columns)}"
        )
    w = pd.Series({c: float(weights[c]) for c in indicators.columns})
    if not np.isfinite(w).all():
        raise StatsInputError(f"weights must be finite numbers, got {w[~np.isfinite(w)].to_dict()}")
    if (w < 0).any() or w.max() <= 0:
        raise StatsInputError("weights must be non-negative with a positive sum")
    w = w / w.max()  # only ratios matter: no product or sum of huge weights overflows (equal weights stay 1.0)
    if indicators.isna().any().any():
        raise StatsInputError("indicators have missing values; drop or impute them first")
    z = _oriented_z_scores(indicators, directions)
    score = (z * w).sum(axis=1) / w.sum()
    out = pd.DataFrame({"score": score})
    out["rank"] = out["score"].rank(ascending=False, method="min").astype(int)
    return out.sort_values("rank")


def rank_stability(
    indicators: pd.DataFrame,
    directions: Mapping[str, int] | None = None,
    n_draws: int = 2000,
    seed: int = 2016,
    base_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """How stable are the composite ranks under random weights? Weights ~ Dirichlet(1, ..., 1).

    Returns per region: the rank under ``base_weights`` (default equal), the share of draws in which it keeps
    that rank, its mean rank, and the best and worst rank seen.
    """
    base_weights = base_weights or {c: 1.0 for c in indicators.columns}
    base = composite_index(indicators, base_weights, directions)["rank"]
    rng = np.random.default_rng(seed)
    draws = rng.dirichlet(np.ones(indicators.shape[1]), size=n_draws)  # draws x indicators
    # composite_index for every draw at once: draws x regions scores, ranked within each draw (1 = highest)
    z = _oriented_z_scores(indicators, dict(directions or {})).to_numpy()
    scores = (z[None, :, :] * draws[:, None, :]).sum(axis=2) / draws.sum(axis=1)[:, None]
    ranks = pd.DataFrame(
        scipy_stats.rankdata(-scores, method="min", axis=1).astype(int), columns=indicators.index
    ).reindex(columns=base.index)
    return pd.DataFrame(
        {
            "base_rank": base,
            "share_same_rank": ranks.eq(base, axis="columns").mean(),
            "mean_rank": ranks.mean(),
            "best_rank": ranks.min(),
            "worst_rank": ranks.max(),
        }
    ).sort_values("base_rank")


__all__ = [
    "TestResult",
    "StatsInputError",
    "IndexInputError",
    "counts_from_shares",
    "cramers_v",
    "homogeneity_test",
    "bias_corrected_cramers_v",
    "sample_size_sensitivity",
    "smallest_significant_sample_size",
    "rounding_range",
    "wilson_interval",
    "wilson_table",
    "pairwise_proportions",
    "smallest_n_for_extreme",
    "extreme_region_test",
    "log_linear_trend",
    "trend_difference",
    "rest_of_country",
    "trend_against_rest",
    "profile_pairing_test",
    "COHORT_COLUMNS",
    "OUTCOMES",
    "validate_cohort",
    "kaplan_meier",
    "career_outcomes_model",
    "composite_index",
    "rank_stability",
]
