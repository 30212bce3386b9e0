"""Quantities derived from the datasets that several chapters and the audit use.

Each function reads through ``helpers.data`` and returns a tidy DataFrame or a number; nothing here is stored.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from . import data, indices, regions, sharing, stats

DUTCH = list(regions.DUTCH_REGIONS)


def employment() -> pd.DataFrame:
    """Tabel 1.1 as a regions x NACE sections matrix (thousand employees); a fresh copy each call."""
    return _employment_matrix(data.dataset_stamp("employees_by_sector")).copy()


@lru_cache(maxsize=4)
def _employment_matrix(stamp: tuple) -> pd.DataFrame:
    """The matrix for the dataset file ``stamp`` identifies (the audit asks for it dozens of times per chapter)."""
    return indices.employment_matrix(data.load("employees_by_sector"))


def sector_labels() -> pd.Series:
    """English label of each NACE section."""
    frame = data.load("employees_by_sector").drop_duplicates("nace_section")
    return frame.set_index("nace_section")["sector_en"]


def sector_share(region: str, sections: str) -> float:
    """Share (percent) of the summed NACE sections ('C' or 'B+C+D') in a region's employees, Tabel 1.1."""
    shares = indices.sector_shares(employment())
    return float(sum(shares.loc[region, s] for s in sections.split("+")))


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


def key_figures_wide(region_ids=None) -> pd.DataFrame:
    """Tabel 2/4 as regions x indicators (NA where a table has no value)."""
    frame = data.load("key_figures")
    wide = frame.pivot(index="region_id", columns="indicator", values="value")
    if region_ids is not None:
        wide = wide.reindex([r for r in region_ids if r in wide.index])
    return wide


# --- Tabel 1.2 ---------------------------------------------------------------------------------------------


def foreign_control_series() -> pd.DataFrame:
    """Tabel 1.2 as areas x years (2010-2013), floats, only rows with a year; NaN where the report has none."""
    frame = data.load("foreign_controlled_establishments").dropna(subset=["year"])
    wide = frame.pivot(index="region_id", columns="year", values="establishments").astype("Float64")
    return pd.DataFrame(wide.to_numpy(dtype=float, na_value=np.nan), index=wide.index,
                        columns=[int(c) for c in wide.columns])


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
        row = {"region_id": area, "index_2013": float(indices.growth_index(values)[2013]),
               "cagr_percent": indices.cagr(values[2010], values[2013], 3),
               "trend_percent": trend["growth_percent"], "trend_ci_low": trend["ci_low"],
               "trend_ci_high": trend["ci_high"], "trend_p": trend["p_value"]}
        reference = regions.reference_of(area)
        if reference != area and reference in series.index and not series.loc[reference].isna().any():
            # against the rest of the country: a national series that contains the region is no independent reference
            diff = stats.trend_against_rest(values, series.loc[reference].astype(float), alpha=alpha, label=area)
            row.update({"reference": reference, "difference_pp": diff.effect_size, "difference_p": diff.p_value,
                        "difference_ci_low": diff.ci_low, "difference_ci_high": diff.ci_high})
        rows.append(row)
    return pd.DataFrame(rows)


# --- Tabel 3 and 5 -----------------------------------------------------------------------------------------


def employer_counts() -> pd.DataFrame:
    """Per region, counted from the firm rows of Tabel 3/5: head offices in the region, elsewhere in the
    country, abroad; industrial firms (and firms not coded); R&D top-60 firms in the list."""
    firms = data.load("largest_employers")
    grouped = firms.groupby("region_id", sort=False)
    out = pd.DataFrame({
        "hq_in_region": grouped["hq_scope"].apply(lambda s: int((s == "in_region").sum())),
        "hq_national_outside_region": grouped["hq_scope"].apply(lambda s: int((s == "national_outside_region").sum())),
        "hq_outside_country": grouped["hq_scope"].apply(lambda s: int((s == "abroad").sum())),
        "industrial_count": grouped["industrial"].apply(lambda s: int(s.fillna(False).sum())),
        "industrial_uncoded": grouped["industrial"].apply(lambda s: int(s.isna().sum())),
        "rd_top60_in_table": grouped["rd_top60_rank"].apply(lambda s: int(s.notna().sum())),
    })
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
    from itertools import permutations

    counts = employer_counts().loc[list(region_ids)]
    low = counts["industrial_count"].astype(int)
    high = low + counts["industrial_uncoded"].astype(int)

    def distance(value, lo, hi):
        return 0 if lo <= value <= hi else (lo - value if value < lo else value - hi)

    best = None
    for order in permutations([int(v) for v in stated_counts]):
        total = sum(distance(v, low[r], high[r]) for v, r in zip(order, region_ids))
        if best is None or total < best[0]:
            best = (total, order)
    assigned = dict(zip(region_ids, best[1]))
    return pd.DataFrame({
        "region_id": list(region_ids),
        "coded": [int(low[r]) for r in region_ids],
        "uncoded": [int(counts.loc[r, "industrial_uncoded"]) for r in region_ids],
        "low": [int(low[r]) for r in region_ids],
        "high": [int(high[r]) for r in region_ids],
        "stated": [assigned[r] for r in region_ids],
        "difference": [distance(assigned[r], low[r], high[r]) for r in region_ids],
    })


def hq_comparison() -> pd.DataFrame:
    """Head-office counts recomputed from the firm rows beside the counts printed under Tabel 3 and 5."""
    counts = employer_counts()
    stated = data.load("employer_hq_counts_stated").set_index("region_id")
    out = pd.DataFrame({
        "outside_region_recomputed": counts["hq_outside_region"],
        "outside_region_stated": stated["hq_outside_region"],
        "abroad_recomputed": counts["hq_outside_country"],
        "abroad_stated": stated["hq_outside_country"],
    }).reindex(list(regions.STUDY_REGIONS))
    out["outside_region_agrees"] = out["outside_region_recomputed"].eq(out["outside_region_stated"]).astype("boolean")
    out.loc[out["outside_region_stated"].isna(), "outside_region_agrees"] = pd.NA
    out["abroad_agrees"] = out["abroad_recomputed"].eq(out["abroad_stated"]).astype("boolean")
    return out


# --- claims -------------------------------------------------------------------------------------------------


def recompute(rule: str, region: str | None) -> float | None:
    """Recompute a claim from the report's tables by its ``recompute`` rule (see data/README.md)."""
    if not isinstance(rule, str) or not rule:
        return None
    kind, _, arg = rule.partition(":")
    if region is None or (isinstance(region, float) and np.isnan(region)):
        return None
    if kind == "sector_share":
        return sector_share(region, arg)
    if kind == "sector_share_ratio":
        others = [r for r in DUTCH if r != region]
        return sector_share(region, arg) / max(sector_share(r, arg) for r in others)
    if kind == "key_figure":
        return key_figure(region, arg)
    counts = employer_counts()
    if kind in counts.columns:
        return float(counts.loc[region, kind])
    raise ValueError(f"unknown recompute rule {rule!r}")


#: What each count of the firm rows (employer_counts' columns) is, in words.
COUNT_WORDS = {
    "hq_in_region": "the head offices in the region, counted from the firm rows of Tabel 3/5",
    "hq_national_outside_region": "the head offices elsewhere in the country, counted from the firm rows of Tabel 3/5",
    "hq_outside_country": "the head offices abroad, counted from the firm rows of Tabel 3/5",
    "hq_outside_region": "the head offices outside the region, counted from the firm rows of Tabel 3/5",
    "industrial_count": "the industrial firms among the ten largest employers of Tabel 3/5",
    "industrial_uncoded": "the firms of Tabel 3/5 not coded as industrial or not",
    "rd_top60_in_table": "the firms of Tabel 3/5 that are in the R&D top 60",
}


def _letters_in_words(codes: str) -> str:
    """'B+D+E' -> 'B, D and E'."""
    letters = codes.split("+")
    return letters[0] if len(letters) == 1 else f"{', '.join(letters[:-1])} and {letters[-1]}"


def _sections_in_words(codes: str) -> str:
    """'C' -> 'section C (Manufacturing)'; 'B+C+D' -> 'sections B, C and D together'."""
    letters = codes.split("+")
    if len(letters) == 1:
        return f"section {letters[0]} ({sector_labels().get(letters[0], letters[0])})"
    return f"sections {_letters_in_words(codes)} together"


def rule_in_words(rule: str) -> str:
    """A ``recompute`` rule as a reader reads it ('sector_share:C' -> "section C (Manufacturing)'s share of the
    region's employees in Tabel 1.1"); alternatives ('B+D|B+D+E') are joined with 'or'."""
    if not isinstance(rule, str) or not rule:
        return ""
    first, *others = rule.split("|")
    kind, _, arg = first.partition(":")
    if others and kind == "sector_share":
        groupings = [arg, *(r.partition(":")[2] if ":" in r else r for r in others)]
        return (f"the share of {_sections_in_words(groupings[0])} (or of sections "
                f"{' or '.join(_letters_in_words(g) for g in groupings[1:])}) in the region's employees in Tabel 1.1")
    if others:
        return " or ".join(rule_in_words(r if ":" in r else f"{kind}:{r}") for r in [first, *others])
    if kind == "sector_share":
        return f"the share of {_sections_in_words(arg)} in the region's employees in Tabel 1.1"
    if kind == "sector_share_ratio":
        return (f"the share of {_sections_in_words(arg)} in the region's employees over the largest such share of "
                "the other Dutch regions, Tabel 1.1")
    if kind == "key_figure":
        labels = data.load("key_figures").drop_duplicates("indicator").set_index("indicator")["label_en"]
        return f"the key figure ‘{labels.get(arg, arg.replace('_', ' '))}’ of Tabel 2/4"
    if kind in COUNT_WORDS:
        return COUNT_WORDS[kind]
    raise ValueError(f"unknown recompute rule {rule!r}; valid kinds: sector_share, sector_share_ratio, key_figure, "
                     f"{', '.join(COUNT_WORDS)}")


def decimals_of(value: float) -> int:
    """Decimals a stated value was printed with (13.2 -> 1, 7 -> 0)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def classify(stated: float, recomputed: float | None) -> tuple[str, float | None]:
    """Verdict of a stated value against its recomputation.

    'consistent': equal; 'consistent within rounding': the recomputed value rounds to the stated one at the
    precision it was printed with (|difference| <= half a unit of its last digit); otherwise 'discrepancy'.
    Counts are whole numbers, so for them only equality is consistent.
    """
    if recomputed is None or (isinstance(recomputed, float) and np.isnan(recomputed)):
        return "not recomputable", None
    difference = float(recomputed) - float(stated)
    if abs(difference) < 1e-9:
        return "consistent", difference
    if abs(difference) <= 0.5 * 10 ** (-decimals_of(stated)) + 1e-9:
        return "consistent within rounding", difference
    return "discrepancy", difference


def recompute_with_groupings(rules: str, region: str | None, stated: float) -> tuple[str, float | None, str, float | None]:
    """Recompute a claim whose rule lists alternative groupings ('sector_share:B+D|B+D+E').

    The alternatives are tried in order and the first one that the stated value agrees with (consistent, or
    within rounding) is kept: a discrepancy is called only when no grouping the report may evidently use
    matches. Returns (rule used, recomputed value, verdict, difference); with no match, the first rule's.
    """
    results = []
    first, *others = rules.split("|")
    kind = first.partition(":")[0]
    for rule in [first, *(r if ":" in r else f"{kind}:{r}" for r in others)]:   # 'B+D+E' continues 'sector_share:'
        value = recompute(rule, region)
        verdict, difference = classify(stated, value)
        if verdict in ("consistent", "consistent within rounding"):
            return rule, value, verdict, difference
        results.append((rule, value, verdict, difference))
    return results[0]


@sharing.once_per_build
def claims_checked() -> pd.DataFrame:
    """Every claim with its recomputed value, difference and verdict (NA / 'not recomputable' when none).

    A ``key_figure`` claim whose period differs from the table's is 'not recomputable' here (the table holds
    another period; ``period_of_table`` says which): ``helpers.audit`` checks those separately.
    """
    claims = data.load("claims")
    rows = []
    for claim in claims.itertuples(index=False):
        region = None if pd.isna(claim.region_id) else claim.region_id
        rules = None if pd.isna(claim.recompute) else claim.recompute
        period = None if pd.isna(claim.period) else str(claim.period)
        table_period = None
        if rules:
            rule, value, verdict, difference = recompute_with_groupings(rules, region, float(claim.value))
            if rule.startswith("key_figure:") and region is not None:
                table_period = key_figure_period(region, rule.partition(":")[2])
                if period and table_period and period != table_period:
                    verdict, difference = "not recomputable", None
        else:
            rule, value, verdict, difference = None, None, "not recomputable", None
        rows.append({"claim_id": claim.claim_id, "chapter": claim.chapter, "section": claim.section,
                     "quote_nl": claim.quote_nl, "region_id": region, "stated": float(claim.value),
                     "unit": claim.unit, "recompute": rule, "recomputed": value, "difference": difference,
                     "verdict": verdict, "period": period, "period_of_table": table_period,
                     "note": None if pd.isna(claim.note) else claim.note})
    return pd.DataFrame(rows)


def claim_value(claim_id: str) -> float:
    """The stated value of one claim."""
    claims = data.load("claims").set_index("claim_id")
    if claim_id not in claims.index:
        raise KeyError(f"unknown claim {claim_id!r}")
    return float(claims.loc[claim_id, "value"])


def tabel1_block_sizes(sample_size: int) -> dict[str, int | dict[str, int]]:
    """Persons per region behind each block of Tabel 1 for an assumed cohort of ``sample_size`` per region.

    The no-job block is a share of the whole cohort; the occupation and level blocks are shares of those still
    working in 2014, so their base is n x (1 - no-job share), rounded (at least 1 person).
    """
    od = data.load("occupational_dynamics")
    no_job = od[od["measure"] == "no_job"].set_index("region_id")["share_percent"]
    working = {r: max(1, int(round(sample_size * (1 - no_job[r] / 100)))) for r in regions.DUTCH_REGIONS}
    return {"status_2014": int(sample_size), "occupation_2014": working, "level_2014": working}

