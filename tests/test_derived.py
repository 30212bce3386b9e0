"""Tests of helpers.derived: quantities the chapters compute from the datasets, against the report's tables."""


# --- chapters 1 and 4

import csv

import numpy as np
import pandas as pd
import pytest

from helpers import derived, paths

MINUS = "\u2212"
DUTCH = ["zo-drenthe", "twente", "groot-rijnmond", "zo-brabant"]
# Bijlage 1, Tabel 1.2: establishments under ultimate foreign control, 2010-2013
TWENTE = [560, 620, 635, 660]
NETHERLANDS = [19310, 21320, 22395, 23210]
GERMANY = [26934, 27717, 25011, 26869]


def test_claim_text_prints_a_figure_as_the_report_does():
    assert derived.claim_text("ch1_entry_rate") == "13%"                  # 'Gemiddeld is jaarlijks 13 procent'
    assert derived.claim_text("ch4_popgrowth_drenthe") == f"{MINUS}1.6%"   # 'krimp (-1,6% over tien jaar ...)'
    assert derived.claim_text("ch1_philips_emmen_closure") == "2016"      # 'in september 2016 zou gaan sluiten'
    assert derived.claim_text("ch4_sectorplan_brainport_size") == "4.6"   # 'een omvang van 4,6 miljoen euro'
    assert derived.claim_text("ch1_bridge_builders") == "824"             # '824 actoren als bruggenbouwer'


def test_foreign_control_table_holds_tabel_1_2_in_the_books_order():
    table = derived.foreign_control_table()
    assert list(table.columns) == ["area", *[f"{y} (establishments)" for y in (2010, 2011, 2012, 2013)]]
    # Bremen's one value has no year, so Bremen has no row; Emsland's row is empty
    assert list(table["area"]) == ["Zuidoost-Drenthe", "Twente", "Groot-Rijnmond", "Zuidoost-Brabant",
                                   "Landkreis Emsland", "Netherlands", "Germany"]
    rows = table.set_index("area")
    assert list(rows.loc["Twente"]) == TWENTE and list(rows.loc["Netherlands"]) == NETHERLANDS
    assert rows.loc["Landkreis Emsland"].isna().all()


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


def _interaction_by_hand(region, country):
    """100 x (exp(b) - 1) of the year x region term of log(count) ~ year * region on the region and the rest of
    its country (country minus region), by least squares; with its t p-value (n - 4 degrees of freedom)."""
    from scipy import stats

    years = np.array([2010, 2011, 2012, 2013], dtype=float)
    rest = np.array(country, dtype=float) - np.array(region, dtype=float)
    y = np.log(np.concatenate([region, rest]))
    t = np.concatenate([years, years]) - 2011.5
    d = np.concatenate([np.ones(4), np.zeros(4)])
    x = np.column_stack([np.ones(8), t, d, t * d])
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    se = np.sqrt(resid @ resid / 4 * np.linalg.inv(x.T @ x)[3, 3])
    return 100 * np.expm1(beta[3]), 2 * stats.t.sf(abs(beta[3] / se), 4)


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
    assert list(table["area"]) == ["Zuidoost-Drenthe", "Twente", "Groot-Rijnmond", "Zuidoost-Brabant", "Netherlands",
                                   "Germany"]
    assert table.set_index("area").loc["Germany"].iloc[5:].isna().all()  # no rest of the country to compare with


def test_employers_table_codes_tabel_3():
    table = derived.employers_table()
    assert len(table) == 40 and table["region"].nunique() == 4  # ten firms for each Dutch region
    firm = table.set_index("firm")
    # Tabel 3, Twente: '1. Thales Nederland (1990 vh Philips/Hollandse Signaalapparaten BV; Frankrijk; ...) (#11)'
    assert list(firm.loc["Thales Nederland", ["head office", "taken over", "R&D top-60 rank", "industrial"]]) == [
        "abroad", "1990", "#11", "yes"]
    # Vierkant voor Werk: '2. Fokker Aerostructures (HQ in Papendrecht)'; '1. Fonville Schoonmaak' has no marks
    assert firm.loc["Fokker Aerostructures", "head office"] == "elsewhere in the Netherlands"
    assert list(firm.loc["Fonville Schoonmaak", ["taken over", "R&D top-60 rank"]]) == ["–", "–"]


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
