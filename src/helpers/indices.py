"""Regional structure indices on an employment matrix (regions in rows, sectors in columns).

Definitions follow the R package EconGeo (P.-A. Balland) where it has the index: ``location_quotient``
(EconGeo ``location_quotient``), ``krugman_specialisation`` (``krugman_index``), ``specialisation_coefficient``
(``spec_coeff``, Hoover's coefficient), ``herfindahl`` (``Herfindahl``) and ``shannon_entropy`` (``entropy``,
log base 2). EconGeo always compares a region with the matrix total; here the reference can also be a chosen
area, such as each region's own country (``reference="national"``).

Counts may be in any unit (the report's Tabel 1.1 is in thousands of employees): every index here is a function
of shares, so multiplying a region's counts by a constant changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from . import regions

#: Reference rules accepted wherever a reference area is chosen.
REFERENCE_RULES = ("national", "pooled")


class IndexInputError(ValueError):
    """An employment matrix or profile that the indices cannot use."""


# --- input -------------------------------------------------------------------------------------------------


def employment_matrix(
    tidy: pd.DataFrame, value: str = "employees_thousands", row: str = "region_id", column: str = "nace_section"
) -> pd.DataFrame:
    """Pivot a tidy table (one row per region and sector) into a regions x sectors matrix of floats."""
    missing = [c for c in (row, column, value) if c not in tidy.columns]
    if missing:
        raise IndexInputError(f"tidy table lacks column(s) {', '.join(missing)}")
    mat = tidy.pivot_table(index=row, columns=column, values=value, aggfunc="sum", observed=True)
    mat.columns.name = "sector"
    mat.index.name = "region"
    return validate_matrix(mat)


def validate_matrix(mat: pd.DataFrame) -> pd.DataFrame:
    """Check a regions x sectors matrix: numeric, no missing or infinite cells, no negative values, no all-zero
    region."""
    if not isinstance(mat, pd.DataFrame) or mat.empty:
        raise IndexInputError("employment matrix must be a non-empty DataFrame (regions x sectors)")
    try:
        values = mat.astype(float)
    except (TypeError, ValueError) as exc:
        raise IndexInputError(f"employment matrix must be numeric: {exc}") from None
    if values.isna().any().any():
        where = values.isna().stack()
        region, sector = where[where].index[0]
        raise IndexInputError(f"employment matrix has a missing value (region {region!r}, sector {sector!r})")
    infinite = np.isinf(values).stack()
    if infinite.any():
        region, sector = infinite[infinite].index[0]
        raise IndexInputError(f"employment matrix has an infinite value (region {region!r}, sector {sector!r})")
    negative = values.lt(0).stack()
    if negative.any():
        region, sector = negative[negative].index[0]
        raise IndexInputError(
            f"employment matrix has a negative value {values.loc[region, sector]} (region {region!r}, sector "
            f"{sector!r})"
        )
    zero_rows = values.index[values.sum(axis=1) == 0].tolist()
    if zero_rows:
        raise IndexInputError(
            f"region(s) {', '.join(map(str, zero_rows))} have no employment in any sector (all-zero row)"
        )
    return values


def _profile(values: pd.Series | Mapping | np.ndarray, label: str) -> pd.Series:
    series = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values.astype(float)
    if series.isna().any():
        raise IndexInputError(f"{label} has missing values")
    if np.isinf(series).any():
        raise IndexInputError(f"{label} has infinite values")
    if (series < 0).any():
        raise IndexInputError(f"{label} has negative values")
    if series.sum() == 0:
        raise IndexInputError(f"{label} is all zero")
    return series


def _aligned(a: pd.Series, b: pd.Series) -> None:
    if set(a.index) != set(b.index):
        only_a = sorted(set(a.index) - set(b.index))
        only_b = sorted(set(b.index) - set(a.index))
        raise IndexInputError(f"profiles have mismatched sectors: only in first {only_a}, only in second {only_b}")


# --- shares and references ---------------------------------------------------------------------------------


def sector_shares(mat: pd.DataFrame, percent: bool = True) -> pd.DataFrame:
    """Each sector's share of a region's total: s_rj = x_rj / sum_j x_rj, in percent (default) or as a fraction."""
    values = validate_matrix(mat)
    shares = values.div(values.sum(axis=1), axis=0)
    return shares * 100 if percent else shares


def reference_profiles(
    mat: pd.DataFrame,
    reference: str | Mapping[str, str] | pd.Series | None = "national",
) -> pd.DataFrame:
    """The reference profile (counts) of every row of ``mat``, as a matrix of the same shape.

    ``reference`` is one of:
    - ``"national"``: each region against its own country (``nl`` or ``de``, which must be rows of ``mat``);
    - ``"pooled"`` or ``None``: the column totals of the whole matrix (EconGeo's convention);
    - an area id present in ``mat`` (e.g. ``"nl"``): every region against that area;
    - a mapping region -> area id, or a Series of sector counts.
    """
    values = validate_matrix(mat)
    if isinstance(reference, pd.Series):
        profile = _profile(reference, "reference profile")
        _aligned(values.iloc[0], profile)
        return pd.DataFrame([profile.reindex(values.columns)] * len(values), index=values.index)
    if reference is None or reference == "pooled":
        total = values.sum(axis=0)
        return pd.DataFrame([total] * len(values), index=values.index)
    if isinstance(reference, str) and reference == "national":
        mapping = {}
        for r in values.index:
            try:
                mapping[r] = regions.reference_of(r)
            except regions.UnknownRegionError:
                raise IndexInputError(
                    f"no national reference for {r!r}: it is not a region id; use reference='pooled' or an area id"
                ) from None
    elif isinstance(reference, str):
        mapping = {r: reference for r in values.index}
    elif isinstance(reference, Mapping):
        mapping = {r: reference.get(r, r) for r in values.index}
    else:
        raise IndexInputError(
            f"reference must be 'national', 'pooled', an area id, a mapping or a Series; got {reference!r}"
        )
    missing = sorted({ref for ref in mapping.values() if ref not in values.index})
    if missing:
        raise IndexInputError(
            f"reference area(s) {', '.join(missing)} missing from the data; areas present: {', '.join(values.index)}"
        )
    return pd.DataFrame([values.loc[mapping[r]] for r in values.index], index=values.index)


def location_quotient(
    mat: pd.DataFrame,
    reference: str | Mapping[str, str] | pd.Series | None = "national",
) -> pd.DataFrame:
    """Location quotient LQ_rj = (x_rj / x_r.) / (X_j / X.), with X the reference area's counts.

    LQ > 1: the sector's share in the region exceeds its share in the reference. Reference rules as in
    ``reference_profiles``; ``reference="pooled"`` reproduces EconGeo ``location_quotient``.
    """
    shares = sector_shares(mat, percent=False)
    ref = reference_profiles(mat, reference)
    ref_shares = ref.div(ref.sum(axis=1), axis=0)
    return shares / ref_shares


def krugman_index(profile_a: pd.Series, profile_b: pd.Series) -> float:
    """Krugman dissimilarity between two sector profiles: K = sum_j |s_aj - s_bj|, shares as fractions.

    0 for identical profiles, at most 2 for profiles with no sector in common (Krugman 1991).
    """
    a = _profile(profile_a, "first profile")
    b = _profile(profile_b, "second profile")
    _aligned(a, b)
    b = b.reindex(a.index)
    return float((a / a.sum() - b / b.sum()).abs().sum())


def krugman_specialisation(
    mat: pd.DataFrame,
    reference: str | Mapping[str, str] | pd.Series | None = "national",
) -> pd.Series:
    """Krugman specialisation index of every region against its reference (EconGeo ``krugman_index``)."""
    values = validate_matrix(mat)
    ref = reference_profiles(values, reference)
    return pd.Series({r: krugman_index(values.loc[r], ref.loc[r]) for r in values.index}, name="krugman")


def specialisation_coefficient(
    mat: pd.DataFrame, reference: str | Mapping[str, str] | pd.Series | None = "national"
) -> pd.Series:
    """Hoover's coefficient of specialisation: half the Krugman index, 0..1 (EconGeo ``spec_coeff``)."""
    return (krugman_specialisation(mat, reference) / 2).rename("specialisation_coefficient")


def herfindahl(mat: pd.DataFrame) -> pd.Series:
    """Herfindahl-Hirschman concentration of each region: HHI = sum_j s_j^2, shares as fractions (1/n..1)."""
    shares = sector_shares(mat, percent=False)
    return (shares**2).sum(axis=1).rename("herfindahl")


def shannon_entropy(mat: pd.DataFrame, base: float = 2.0) -> pd.Series:
    """Shannon entropy (diversity) of each region: H = -sum_j s_j log(s_j), 0 log 0 = 0; bits by default.

    Maximal (log n) for a uniform profile over n sectors. EconGeo ``entropy`` uses base 2 (and rounds).
    """
    shares = sector_shares(mat, percent=False)
    logs = np.log(shares.where(shares > 0)) / np.log(base)  # NaN where a share is 0: skipped by the sum
    return (-(shares * logs).sum(axis=1)).rename("entropy")


def top_specialisations(
    mat: pd.DataFrame, region: str, n: int = 3, reference: str | Mapping[str, str] | pd.Series | None = "national"
) -> pd.DataFrame:
    """The ``n`` sectors with the highest location quotient in a region, with its share and the reference's."""
    lq = location_quotient(mat, reference)
    if region not in lq.index:
        raise IndexInputError(f"region {region!r} not in the matrix; present: {', '.join(lq.index)}")
    shares = sector_shares(mat)
    ref = reference_profiles(mat, reference)
    ref_shares = ref.div(ref.sum(axis=1), axis=0) * 100
    out = pd.DataFrame(
        {"lq": lq.loc[region], "share_percent": shares.loc[region], "reference_share_percent": ref_shares.loc[region]}
    )
    return out.sort_values("lq", ascending=False).head(n)


# --- similarity and clustering ----------------------------------------------------------------------------


def similarity_matrix(mat: pd.DataFrame, method: str = "cosine") -> pd.DataFrame:
    """Pairwise comparison of region profiles.

    ``method="cosine"``: cosine similarity of the share vectors (1 = same profile);
    ``method="krugman"``: Krugman dissimilarity (0 = same profile, 2 = disjoint).
    """
    shares = sector_shares(mat, percent=False)
    if method == "cosine":
        unit = shares.div(np.sqrt((shares**2).sum(axis=1)), axis=0)
        return unit @ unit.T
    if method == "krugman":
        arr = shares.to_numpy()
        dist = np.abs(arr[:, None, :] - arr[None, :, :]).sum(axis=2)
        return pd.DataFrame(dist, index=shares.index, columns=shares.index)
    raise IndexInputError(f"unknown similarity method {method!r}; valid: cosine, krugman")


def cluster_regions(mat: pd.DataFrame, method: str = "average") -> np.ndarray:
    """Hierarchical clustering of regions on Krugman distances (scipy linkage matrix; labels = ``mat.index``)."""
    dist = similarity_matrix(mat, "krugman")
    condensed = squareform(dist.to_numpy(), checks=False)
    return hierarchy.linkage(condensed, method=method)


# --- growth ----------------------------------------------------------------------------------------------


def growth_index(series: pd.Series, base=None) -> pd.Series:
    """Index of a series, base period = 100 (default base: the first non-missing period)."""
    values = series.astype(float)
    if base is None:
        valid = values.dropna()
        if valid.empty:
            raise IndexInputError("series has no values")
        base = valid.index[0]
    if base not in values.index or pd.isna(values[base]) or values[base] == 0:
        raise IndexInputError(f"base period {base} is missing or zero")
    return values / values[base] * 100


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate in percent: ((last / first) ** (1 / years) - 1) * 100."""
    if years <= 0:
        raise IndexInputError(f"years must be positive, got {years}")
    if first <= 0 or last < 0:
        raise IndexInputError(f"CAGR needs a positive first value and a non-negative last value, got {first}, {last}")
    return ((last / first) ** (1 / years) - 1) * 100


def shift_share(
    region_start: pd.Series, region_end: pd.Series, reference_start: pd.Series, reference_end: pd.Series
) -> pd.DataFrame:
    """Classic shift-share decomposition of a region's change per sector between two years.

    For sector j with regional employment e0, e1 and reference E0, E1, G = E1./E0. - 1 and g_j = E1j/E0j - 1:
    national share = e0 * G; industry mix = e0 * (g_j - G); regional shift = e0 * (e1/e0 - 1 - g_j).
    The three add up to e1 - e0 (the ``change`` column).
    """
    e0, e1 = _profile(region_start, "region_start"), _profile(region_end, "region_end")
    r0, r1 = _profile(reference_start, "reference_start"), _profile(reference_end, "reference_end")
    for other in (e1, r0, r1):
        _aligned(e0, other)
    e1, r0, r1 = e1.reindex(e0.index), r0.reindex(e0.index), r1.reindex(e0.index)
    if (r0 == 0).any():
        raise IndexInputError("reference start year has a sector with zero employment; growth is undefined")
    total_growth = r1.sum() / r0.sum() - 1
    sector_growth = r1 / r0 - 1
    regional_growth = (e1 / e0.where(e0 > 0)) - 1
    out = pd.DataFrame(
        {
            "start": e0,
            "end": e1,
            "change": e1 - e0,
            "national_share": e0 * total_growth,
            "industry_mix": e0 * (sector_growth - total_growth),
            "regional_shift": (e0 * (regional_growth - sector_growth)).fillna(e1 - e0),
        }
    )
    return out
