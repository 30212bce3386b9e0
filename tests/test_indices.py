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
SMALL = pd.DataFrame(
    {"s1": [10, 20, 30], "s2": [30, 20, 50], "s3": [60, 10, 120]}, index=["a", "b", "ref"], dtype=float
)


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
    ss = indices.shift_share(
        pd.Series({"s1": 10, "s2": 20}),
        pd.Series({"s1": 12, "s2": 20}),
        pd.Series({"s1": 100, "s2": 100}),
        pd.Series({"s1": 110, "s2": 90}),
    )
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
    assert np.allclose(
        indices.location_quotient(mat, "ref").fillna(-1), indices.location_quotient(scaled, "ref").fillna(-1)
    )


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
    tidy = pd.DataFrame(
        {
            "region_id": ["a", "a", "a", "b", "b"],
            "nace_section": ["C", "C", "F", "C", "F"],
            "employees_thousands": [1.0, 2.0, 4.0, 5.0, 0.0],
        }
    )
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
        indices.shift_share(
            pd.Series({"s1": 1.0, "s2": 1.0}),
            pd.Series({"s1": 2.0, "s2": 1.0}),
            pd.Series({"s1": 0.0, "s2": 1.0}),
            pd.Series({"s1": 1.0, "s2": 1.0}),
        )


def test_names_defaults_and_messages_are_exact(table_1_1):
    tidy = pd.DataFrame(
        {
            "region_id": pd.Categorical(["a", "b"], categories=["a", "b", "unused"]),
            "nace_section": ["C", "C"],
            "employees_thousands": [1, 2],
        }
    )
    mat = indices.employment_matrix(tidy)  # an unused category is not a region
    assert mat.index.tolist() == ["a", "b"] and mat.index.name == "region" and mat.columns.name == "sector"
    with pytest.raises(indices.IndexInputError, match=r"^tidy table lacks column\(s\) x, y$"):
        indices.employment_matrix(tidy, row="x", column="y")
    hoover = indices.specialisation_coefficient(table_1_1)
    assert hoover.name == "specialisation_coefficient"
    assert hoover.equals(indices.specialisation_coefficient(table_1_1, reference="national"))
    top = indices.top_specialisations(table_1_1, "twente")
    assert len(top) == 3 and top.equals(indices.top_specialisations(table_1_1, "twente", n=3, reference="national"))
    small = indices.top_specialisations(SMALL, "b", n=2, reference="ref")
    assert small.loc["s1", "lq"] == pytest.approx(8 / 3)  # .4 / .15
    with pytest.raises(indices.IndexInputError, match=r"^region 'z' not in the matrix; present: a, b, ref$"):
        indices.top_specialisations(SMALL, "z", reference="ref")
    assert indices.similarity_matrix(SMALL).equals(indices.similarity_matrix(SMALL, "cosine"))


def test_average_linkage_height_by_hand():
    # Krugman distances: p-q 0.0087 (shares .909/.091 and .917/.083), r far from both
    mat = pd.DataFrame({"x": [10, 11, 1], "y": [1, 1, 10]}, index=["p", "q", "r"], dtype=float)
    dist = indices.similarity_matrix(mat, "krugman")
    link = indices.cluster_regions(mat)
    # average linkage: r joins {p, q} at the mean of d(r, p) and d(r, q) (single linkage would take the minimum)
    assert link[1, 2] == pytest.approx((dist.loc["r", "p"] + dist.loc["r", "q"]) / 2)
    assert indices.cluster_regions(mat, method="single")[1, 2] == pytest.approx(
        min(dist.loc["r", "p"], dist.loc["r", "q"])
    )


def test_growth_index_base_rules():
    assert indices.growth_index(pd.Series(["50", "75"], index=[2010, 2011]))[2011] == pytest.approx(150)
    with pytest.raises(indices.IndexInputError, match=r"^base period 2010 is missing or zero$"):
        indices.growth_index(pd.Series([np.nan, 75.0], index=[2010, 2011]), base=2010)
    with pytest.raises(indices.IndexInputError, match=r"^base period 2010 is missing or zero$"):
        indices.growth_index(pd.Series([0.0, 75.0], index=[2010, 2011]))
    assert indices.growth_index(pd.Series([1.0, 2.0], index=[2010, 2011]))[2011] == 200
    with pytest.raises(indices.IndexInputError, match=r"^series has no values$"):
        indices.growth_index(pd.Series([np.nan]))
    assert indices.cagr(0.5, 1, 1) == pytest.approx(100)


_BAD = pd.DataFrame({"s1": [1.0, 2.0], "s2": [3.0, 4.0]}, index=["a", "b"])

INDEX_MESSAGES = [
    (
        lambda: indices.employment_matrix(pd.DataFrame({"region_id": ["a"]})),
        "tidy table lacks column(s) nace_section, employees_thousands",
    ),
    (
        lambda: indices.validate_matrix(pd.DataFrame()),
        "employment matrix must be a non-empty DataFrame (regions x sectors)",
    ),
    (
        lambda: indices.validate_matrix(_BAD.assign(s2=[np.nan, 1.0])),
        "employment matrix has a missing value (region 'a', sector 's2')",
    ),
    (
        lambda: indices.validate_matrix(_BAD.assign(s1=[1.0, -np.inf])),
        "employment matrix has an infinite value (region 'b', sector 's1')",
    ),
    (
        lambda: indices.validate_matrix(_BAD.assign(s1=[1.0, -2.0])),
        "employment matrix has a negative value -2.0 (region 'b', sector 's1')",
    ),
    (
        lambda: indices.validate_matrix(pd.DataFrame({"s1": [0.0, 0.0, 1.0]}, index=["a", "b", "c"])),
        "region(s) a, b have no employment in any sector (all-zero row)",
    ),
    (
        lambda: indices.krugman_index(pd.Series({"s1": np.nan}), pd.Series({"s1": 1.0})),
        "first profile has missing values",
    ),
    (
        lambda: indices.krugman_index(pd.Series({"s1": 1.0}), pd.Series({"s1": np.inf})),
        "second profile has infinite values",
    ),
    (
        lambda: indices.krugman_index(pd.Series({"s1": -1.0}), pd.Series({"s1": 1.0})),
        "first profile has negative values",
    ),
    (lambda: indices.krugman_index(pd.Series({"s1": 0.0}), pd.Series({"s1": 1.0})), "first profile is all zero"),
    (
        lambda: indices.krugman_index(pd.Series({"s1": 1.0, "s2": 1.0}), pd.Series({"s1": 1.0, "s3": 1.0})),
        "profiles have mismatched sectors: only in first ['s2'], only in second ['s3']",
    ),
    (
        lambda: indices.reference_profiles(_BAD, 3),
        "reference must be 'national', 'pooled', an area id, a mapping or a Series; got 3",
    ),
    (
        lambda: indices.reference_profiles(_BAD, {"a": "x", "b": "y"}),
        "reference area(s) x, y missing from the data; areas present: a, b",
    ),
    (
        lambda: indices.reference_profiles(_BAD, "national"),
        "no national reference for 'a': it is not a region id; use reference='pooled' or an area id",
    ),
    (lambda: indices.top_specialisations(_BAD, "z", reference="pooled"), "region 'z' not in the matrix; present: a, b"),
    (lambda: indices.similarity_matrix(_BAD, "euclid"), "unknown similarity method 'euclid'; valid: cosine, krugman"),
    (lambda: indices.growth_index(pd.Series([np.nan, np.nan])), "series has no values"),
    (
        lambda: indices.growth_index(pd.Series([1.0, 2.0], index=[2010, 2011]), base=2009),
        "base period 2009 is missing or zero",
    ),
    (lambda: indices.cagr(1, 2, -1), "years must be positive, got -1"),
    (lambda: indices.cagr(1, -2, 1), "CAGR needs a positive first value and a non-negative last value, got 1, -2"),
    (
        lambda: indices.shift_share(
            pd.Series({"s1": 1.0}), pd.Series({"s1": 1.0}), pd.Series({"s1": 0.0}), pd.Series({"s1": 1.0})
        ),
        "reference_start is all zero",
    ),
    (
        lambda: indices.shift_share(
            pd.Series({"s1": 1.0, "s2": 1.0}),
            pd.Series({"s1": 1.0, "s2": 1.0}),
            pd.Series({"s1": 0.0, "s2": 1.0}),
            pd.Series({"s1": 1.0, "s2": 1.0}),
        ),
        "reference start year has a sector with zero employment; growth is undefined",
    ),
]


@pytest.mark.parametrize("call, message", INDEX_MESSAGES, ids=[m for _, m in INDEX_MESSAGES])
def test_index_refusals_name_the_problem_exactly(call, message):
    with pytest.raises(indices.IndexInputError) as caught:
        call()
    assert str(caught.value) == message


def test_shift_share_with_growth_a_small_and_an_empty_start_sector_by_hand():
    start = pd.Series({"s1": 10.0, "s2": 0.5, "s3": 0.0})
    end = pd.Series({"s3": 3.0, "s1": 12.0, "s2": 1.0})  # other sector order: aligned by name
    ref_start = pd.Series({"s2": 50.0, "s3": 50.0, "s1": 100.0})
    ref_end = pd.Series({"s1": 120.0, "s3": 70.0, "s2": 50.0})
    out = indices.shift_share(start, end, ref_start, ref_end)
    # G = 240/200 - 1 = .2; g = .2, 0, .4
    # s1: national 10 * .2 = 2, mix 10 * (.2 - .2) = 0, shift 10 * (1.2 - 1 - .2) = 0
    # s2: national .5 * .2 = .1, mix .5 * (0 - .2) = -.1, shift .5 * (1/.5 - 1 - 0) = .5
    # s3: nothing at the start: national 0, mix 0, the whole change (3) is regional shift
    assert out.columns.tolist() == ["start", "end", "change", "national_share", "industry_mix", "regional_shift"]
    assert out.index.tolist() == ["s1", "s2", "s3"]
    # rows follow the region's start profile, whatever the order of the other three
    reordered = indices.shift_share(start[["s3", "s1", "s2"]], end, ref_start, ref_end)
    assert reordered.index.tolist() == ["s3", "s1", "s2"]
    assert out.loc["s1"].tolist() == pytest.approx([10, 12, 2, 2, 0, 0])
    assert out.loc["s2"].tolist() == pytest.approx([0.5, 1, 0.5, 0.1, -0.1, 0.5])
    assert out.loc["s3"].tolist() == pytest.approx([0, 3, 3, 0, 0, 3])
    ones = indices.shift_share(
        pd.Series({"s1": 1.0, "s2": 1.0}),
        pd.Series({"s1": 2.0, "s2": 1.0}),
        pd.Series({"s1": 1.0, "s2": 3.0}),
        pd.Series({"s1": 2.0, "s2": 3.0}),
    )
    assert ones["regional_shift"].tolist() == pytest.approx([0, 0])  # a reference sector of exactly 1 is fine
    for position, label in enumerate(["region_start", "region_end", "reference_start", "reference_end"]):
        profiles = [pd.Series({"s1": 1.0}) for _ in range(4)]
        profiles[position] = pd.Series({"s1": 0.0})
        with pytest.raises(indices.IndexInputError, match=rf"^{label} is all zero$"):
            indices.shift_share(*profiles)


def test_krugman_specialisation_defaults_to_the_national_reference(table_1_1):
    assert indices.krugman_specialisation(table_1_1).equals(indices.krugman_specialisation(table_1_1, "national"))
    assert indices.krugman_specialisation(table_1_1).name == "krugman"


def test_index_series_are_named():
    assert indices.herfindahl(SMALL).name == "herfindahl" and indices.shannon_entropy(SMALL).name == "entropy"


def test_profiles_may_be_mappings_arrays_or_text():
    # shares .25/.75 against .5/.5: |.25 - .5| + |.75 - .5| = 0.5
    assert indices.krugman_index({"x": 1, "y": 3}, {"x": 1, "y": 1}) == pytest.approx(0.5)
    assert indices.krugman_index(np.array([1.0, 3.0]), np.array([2.0, 2.0])) == pytest.approx(0.5)
    assert indices.krugman_index(pd.Series(["1", "3"]), pd.Series(["1", "1"])) == pytest.approx(0.5)
    assert indices.krugman_index(pd.Series({"x": 1.0, "y": 3.0}), pd.Series({"y": 3.0, "x": 1.0})) == pytest.approx(0)


def test_a_series_as_reference_and_the_national_default(table_1_1):
    ref = pd.Series({"s3": 120.0, "s1": 30.0, "s2": 50.0})
    lq = indices.location_quotient(SMALL.loc[["a", "b"]], reference=ref)
    assert lq.loc["a"].tolist() == pytest.approx([2 / 3, 1.2, 1.0])  # as against the 'ref' row
    with pytest.raises(indices.IndexInputError, match=r"^reference profile has negative values$"):
        indices.location_quotient(SMALL, reference=-ref)
    with pytest.raises(
        indices.IndexInputError,
        match=r"^profiles have mismatched sectors: only in first \['s3'\], only in second \['s4'\]$",
    ):
        indices.location_quotient(SMALL, reference=ref.rename({"s3": "s4"}))
    assert indices.location_quotient(table_1_1).equals(indices.location_quotient(table_1_1, "national"))
    assert indices.reference_profiles(table_1_1).equals(indices.reference_profiles(table_1_1, "national"))


def test_profiles_given_as_text_mappings_are_read_as_numbers():
    assert indices.krugman_index({"x": "1", "y": "3"}, {"x": "1", "y": "1"}) == pytest.approx(0.5)
