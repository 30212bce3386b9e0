"""Regional structure indices: hand-worked small cases, the report's stated shares, properties, bad input."""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers import data, indices, regions

# A 2-region x 3-sector matrix and a reference row, worked by hand below.
#        s1  s2  s3   total
# a      10  30  60   100   -> shares .1 .3 .6
# b      20  20  10    50   -> shares .4 .4 .2
# ref    30  50 120   200   -> shares .15 .25 .6
SMALL = pd.DataFrame({"s1": [10, 20, 30], "s2": [30, 20, 50], "s3": [60, 10, 120]}, index=["a", "b", "ref"],
                     dtype=float)


def test_sector_shares_by_hand():
    shares = indices.sector_shares(SMALL)
    assert shares.loc["a"].tolist() == pytest.approx([10, 30, 60])
    assert shares.loc["b"].tolist() == pytest.approx([40, 40, 20])


def test_location_quotient_against_a_reference_area_by_hand():
    lq = indices.location_quotient(SMALL, reference="ref")
    # a: .1/.15 = 0.6667, .3/.25 = 1.2, .6/.6 = 1.0
    assert lq.loc["a"].tolist() == pytest.approx([2 / 3, 1.2, 1.0])
    # b: .4/.15 = 2.6667, .4/.25 = 1.6, .2/.6 = 0.3333
    assert lq.loc["b"].tolist() == pytest.approx([8 / 3, 1.6, 1 / 3])


def test_location_quotient_pooled_matches_econgeo_convention_by_hand():
    # pooled totals: s1 60, s2 100, s3 190 of 350 -> .171429 .285714 .542857
    lq = indices.location_quotient(SMALL, reference="pooled")
    assert lq.loc["a", "s1"] == pytest.approx(0.1 / (60 / 350))
    assert lq.loc["b", "s3"] == pytest.approx(0.2 / (190 / 350))


def test_krugman_and_hoover_by_hand():
    # a vs ref: |.1-.15| + |.3-.25| + |.6-.6| = .05 + .05 + 0 = 0.10
    # b vs ref: |.4-.15| + |.4-.25| + |.2-.6| = .25 + .15 + .40 = 0.80
    k = indices.krugman_specialisation(SMALL.loc[["a", "b", "ref"]], reference="ref")
    assert k["a"] == pytest.approx(0.10) and k["b"] == pytest.approx(0.80) and k["ref"] == pytest.approx(0)
    h = indices.specialisation_coefficient(SMALL, reference="ref")
    assert h["b"] == pytest.approx(0.40)
    # a vs b: |.1-.4| + |.3-.4| + |.6-.2| = .3 + .1 + .4 = 0.8
    assert indices.krugman_index(SMALL.loc["a"], SMALL.loc["b"]) == pytest.approx(0.8)


def test_herfindahl_and_entropy_by_hand():
    # a: .1² + .3² + .6² = .01 + .09 + .36 = 0.46
    assert indices.herfindahl(SMALL)["a"] == pytest.approx(0.46)
    # b: -(.4 log2 .4 * 2 + .2 log2 .2) = 0.52877 * 2 + 0.46439 = 1.52193 bits
    assert indices.shannon_entropy(SMALL)["b"] == pytest.approx(1.5219281, abs=1e-6)
    # natural-log entropy of a: -(.1 ln .1 + .3 ln .3 + .6 ln .6) = .230259 + .361192 + .306495 = 0.897946
    assert indices.shannon_entropy(SMALL, base=math.e)["a"] == pytest.approx(0.897946, abs=1e-6)


def test_similarity_by_hand():
    cos = indices.similarity_matrix(SMALL.loc[["a", "b"]], "cosine")
    # (.1*.4 + .3*.4 + .6*.2) / (sqrt(.46) * sqrt(.36)) = .28 / (.678233 * .6) = 0.688069
    assert cos.loc["a", "b"] == pytest.approx(0.28 / (math.sqrt(0.46) * 0.6))
    kr = indices.similarity_matrix(SMALL.loc[["a", "b"]], "krugman")
    assert kr.loc["a", "b"] == pytest.approx(0.8) and kr.loc["a", "a"] == 0


def test_growth_cagr_and_shift_share_by_hand():
    idx = indices.growth_index(pd.Series([175, 190, 190, 195], index=[2010, 2011, 2012, 2013]))
    assert idx[2013] == pytest.approx(195 / 175 * 100)  # 111.43
    # (195/175)^(1/3) - 1 = 1.114286^(0.3333) - 1 = 3.6727 %
    assert indices.cagr(175, 195, 3) == pytest.approx(3.6727, abs=1e-3)
    # region 10 -> 12 (s1), 20 -> 20 (s2); reference 100 -> 110 (s1), 100 -> 90 (s2); G = 200/200 - 1 = 0
    ss = indices.shift_share(pd.Series({"s1": 10, "s2": 20}), pd.Series({"s1": 12, "s2": 20}),
                             pd.Series({"s1": 100, "s2": 100}), pd.Series({"s1": 110, "s2": 90}))
    # s1: national 0, mix 10 * (.1 - 0) = 1, shift 10 * (.2 - .1) = 1; s2: mix 20 * -.1 = -2, shift 20 * (0 + .1) = 2
    assert ss.loc["s1", ["national_share", "industry_mix", "regional_shift"]].tolist() == pytest.approx([0, 1, 1])
    assert ss.loc["s2", ["national_share", "industry_mix", "regional_shift"]].tolist() == pytest.approx([0, -2, 2])
    assert np.allclose(ss[["national_share", "industry_mix", "regional_shift"]].sum(axis=1), ss["change"])


def test_clustering_joins_the_closest_pair_first():
    mat = pd.DataFrame({"x": [10, 11, 1], "y": [1, 1, 10]}, index=["p", "q", "r"], dtype=float)
    link = indices.cluster_regions(mat)
    assert sorted(link[0, :2].astype(int).tolist()) == [0, 1]


# --- values that must hold on the report's Tabel 1.1 ---------------------------------------------------------


@pytest.fixture(scope="module")
def table_1_1() -> pd.DataFrame:
    return indices.employment_matrix(data.load("employees_by_sector"))


@pytest.mark.parametrize(
    "region, sections, stated, where",
    [
        ("bremen", "C", 13.2, "ch. 5, Bremen: 'De industriële sector ligt met een aandeel van 13,2 %'"),
        ("de", "C", 22.1, "ch. 5, Bremen: 'onder het Duitse gemiddelde van 22,1%'"),
        ("bremen", "Q", 13.8, "ch. 5, Bremen: 'Gezondheidszorg en welzijnszorg (13,8 %)'"),
        ("bremen", "G", 13.6, "ch. 5, Bremen: 'handel (13,6%)'"),
        ("bremen", "H", 11.8, "ch. 5, Bremen: 'vervoer en opslag (11,8)'"),
        ("de", "F", 5.5, "ch. 5, Emsland: 'tegen 5,5 % als Duits gemiddelde'"),
        ("groot-rijnmond", "C", 7, "ch. 4, Rijnmond: 'komt dat niet verder dan 7%'"),
        ("groot-rijnmond", "H", 8, "ch. 4, Rijnmond: 'transport en logistiek is met 8%'"),
        ("twente", "C", 15, "ch. 4, Rijnmond: '15% (Twente)'"),
        ("zo-brabant", "C", 16, "ch. 4, Rijnmond: '16% (ZO Brabant)'"),
    ],
)
def test_shares_stated_in_the_text_hold_on_table_1_1(table_1_1, region, sections, stated, where):
    shares = indices.sector_shares(table_1_1)
    value = sum(shares.loc[region, s] for s in sections)
    decimals = 1 if stated != int(stated) else 0
    assert round(value, decimals) == pytest.approx(stated), where


def test_national_reference_rule_uses_each_regions_own_country(table_1_1):
    lq = indices.location_quotient(table_1_1, reference="national")
    shares = indices.sector_shares(table_1_1)
    assert lq.loc["emsland", "F"] == pytest.approx(shares.loc["emsland", "F"] / shares.loc["de", "F"])
    assert lq.loc["twente", "C"] == pytest.approx(shares.loc["twente", "C"] / shares.loc["nl", "C"])
    assert lq.loc["nl"].eq(1).all() and np.allclose(lq.loc["de"], 1)


# --- properties ------------------------------------------------------------------------------------------

#: Examples per property test; `make mutation` lowers it (REGBOOK_PROPERTY_EXAMPLES) to keep the run short.
EXAMPLES = int(os.environ.get("REGBOOK_PROPERTY_EXAMPLES", "60"))

profiles = arrays(np.float64, st.integers(2, 8), elements=st.one_of(st.just(0.0), st.floats(1e-3, 1e6))).filter(
    lambda a: a.sum() > 1e-3
)


def _pair(a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    n = min(len(a), len(b))
    return pd.DataFrame([a[:n], b[:n]], index=["r", "ref"], columns=[f"s{i}" for i in range(n)])


@settings(max_examples=EXAMPLES, deadline=None)
@given(profiles, profiles)
def test_location_quotient_of_the_reference_is_one(a, b):
    mat = _pair(a, b)
    if (mat.sum(axis=1) == 0).any():
        return
    lq = indices.location_quotient(mat, reference="ref").loc["ref"]
    present = mat.loc["ref"] > 0
    assert np.allclose(lq[present], 1.0)


@settings(max_examples=EXAMPLES, deadline=None)
@given(profiles, profiles)
def test_krugman_is_symmetric_bounded_and_zero_for_identical(a, b):
    n = min(len(a), len(b))
    pa, pb = pd.Series(a[:n]), pd.Series(b[:n])
    if pa.sum() == 0 or pb.sum() == 0:
        return
    k = indices.krugman_index(pa, pb)
    assert k == pytest.approx(indices.krugman_index(pb, pa))
    assert -1e-12 <= k <= 2 + 1e-12
    assert indices.krugman_index(pa, pa * 3.5) == pytest.approx(0, abs=1e-12)


@settings(max_examples=EXAMPLES, deadline=None)
@given(profiles)
def test_entropy_is_maximal_for_a_uniform_profile(a):
    mat = pd.DataFrame([a, np.ones_like(a)], index=["r", "uniform"])
    ent = indices.shannon_entropy(mat)
    assert ent["uniform"] == pytest.approx(math.log2(len(a)))
    assert ent["r"] <= ent["uniform"] + 1e-9


@settings(max_examples=EXAMPLES, deadline=None)
@given(profiles, profiles, st.floats(0.001, 1000))
def test_indices_do_not_change_when_counts_are_scaled(a, b, factor):
    mat = _pair(a, b)
    if (mat.sum(axis=1) == 0).any():
        return
    scaled = mat.copy()
    scaled.loc["r"] *= factor
    for fn in (indices.herfindahl, indices.shannon_entropy):
        assert np.allclose(fn(mat), fn(scaled))
    assert np.allclose(indices.krugman_specialisation(mat, "ref"), indices.krugman_specialisation(scaled, "ref"))
    assert np.allclose(indices.location_quotient(mat, "ref").fillna(-1), indices.location_quotient(scaled, "ref").fillna(-1))


# --- bad input ------------------------------------------------------------------------------------------


def test_negative_value_is_named():
    bad = SMALL.copy()
    bad.loc["b", "s2"] = -1
    with pytest.raises(indices.IndexInputError, match=r"negative value -1.0 \(region 'b', sector 's2'\)"):
        indices.sector_shares(bad)


def test_all_zero_region_is_named():
    bad = SMALL.copy()
    bad.loc["a"] = 0
    with pytest.raises(indices.IndexInputError, match=r"region\(s\) a have no employment"):
        indices.herfindahl(bad)


def test_mismatched_sectors_are_named():
    with pytest.raises(indices.IndexInputError, match=r"mismatched sectors: only in first \['s3'\]"):
        indices.krugman_index(SMALL.loc["a"], SMALL.loc["b"].rename({"s3": "s4"}))


def test_missing_reference_area_is_named():
    two_regions = SMALL.loc[["a", "b"]].rename(index={"a": "twente", "b": "emsland"})
    with pytest.raises(indices.IndexInputError, match=r"reference area\(s\) de, nl missing from the data"):
        indices.location_quotient(two_regions, reference="national")
    with pytest.raises(indices.IndexInputError, match=r"no national reference for 'a'"):
        indices.location_quotient(SMALL, reference="national")


def test_non_numeric_matrix_is_rejected():
    with pytest.raises(indices.IndexInputError, match="must be numeric"):
        indices.validate_matrix(pd.DataFrame({"s1": ["x", "1"]}, index=["a", "b"]))


def test_registry_references_exist_in_table_1_1(table_1_1):
    for region in regions.STUDY_REGIONS:
        assert regions.reference_of(region) in table_1_1.index


def test_infinite_value_is_named():
    # an inf cell made herfindahl return 0.0 silently
    bad = SMALL.copy()
    bad.loc["a", "s2"] = np.inf
    with pytest.raises(indices.IndexInputError, match=r"infinite value \(region 'a', sector 's2'\)"):
        indices.herfindahl(bad)
    with pytest.raises(indices.IndexInputError, match="first profile has infinite values"):
        indices.krugman_index(bad.loc["a"], SMALL.loc["b"])


def test_missing_value_and_bad_profiles_are_named():
    bad = SMALL.copy()
    bad.loc["b", "s3"] = np.nan
    with pytest.raises(indices.IndexInputError, match=r"missing value \(region 'b', sector 's3'\)"):
        indices.sector_shares(bad)
    with pytest.raises(indices.IndexInputError, match="non-empty DataFrame"):
        indices.validate_matrix(pd.DataFrame())
    with pytest.raises(indices.IndexInputError, match="second profile has missing values"):
        indices.krugman_index(SMALL.loc["a"], bad.loc["b"])
    with pytest.raises(indices.IndexInputError, match="first profile has negative values"):
        indices.krugman_index(-SMALL.loc["a"], SMALL.loc["b"])
    with pytest.raises(indices.IndexInputError, match="second profile is all zero"):
        indices.krugman_index(SMALL.loc["a"], SMALL.loc["b"] * 0)
    with pytest.raises(indices.IndexInputError, match="unknown similarity method 'x'; valid: cosine, krugman"):
        indices.similarity_matrix(SMALL, "x")


def test_employment_matrix_pivots_and_sums_a_tidy_table():
    tidy = pd.DataFrame({"region_id": ["a", "a", "a", "b", "b"], "nace_section": ["C", "C", "F", "C", "F"],
                         "employees_thousands": [1.0, 2.0, 4.0, 5.0, 0.0]})
    mat = indices.employment_matrix(tidy)
    assert mat.loc["a", "C"] == 3.0 and mat.loc["a", "F"] == 4.0
    with pytest.raises(indices.IndexInputError, match=r"lacks column\(s\) value"):
        indices.employment_matrix(tidy, value="value")


def test_growth_and_cagr_input_is_checked():
    idx = indices.growth_index(pd.Series([np.nan, 50.0, 75.0], index=[2009, 2010, 2011]))
    assert idx[2010] == 100 and idx[2011] == 150  # base: the first non-missing period
    assert indices.growth_index(pd.Series([50.0, 75.0], index=[2010, 2011]), base=2011)[2010] == pytest.approx(200 / 3)
    with pytest.raises(indices.IndexInputError, match="series has no values"):
        indices.growth_index(pd.Series([np.nan, np.nan]))
    with pytest.raises(indices.IndexInputError, match="base period 2012 is missing or zero"):
        indices.growth_index(pd.Series([50.0, 75.0], index=[2010, 2011]), base=2012)
    with pytest.raises(indices.IndexInputError, match="years must be positive, got 0"):
        indices.cagr(1, 2, 0)
    with pytest.raises(indices.IndexInputError, match="positive first value"):
        indices.cagr(0, 2, 1)
    assert indices.cagr(100, 0, 1) == -100


def test_top_specialisations_and_shift_share_checks():
    top = indices.top_specialisations(SMALL, "b", n=2, reference="ref")
    # b's LQs against ref: s1 2.667, s2 1.6, s3 .333 -> s1, s2
    assert top.index.tolist() == ["s1", "s2"] and top.loc["s1", "share_percent"] == pytest.approx(40)
    assert top.loc["s1", "reference_share_percent"] == pytest.approx(15)
    with pytest.raises(indices.IndexInputError, match="region 'z' not in the matrix"):
        indices.top_specialisations(SMALL, "z", reference="ref")
    with pytest.raises(indices.IndexInputError, match="reference start year has a sector with zero employment"):
        indices.shift_share(pd.Series({"s1": 1.0, "s2": 1.0}), pd.Series({"s1": 2.0, "s2": 1.0}),
                            pd.Series({"s1": 0.0, "s2": 1.0}), pd.Series({"s1": 1.0, "s2": 1.0}))
