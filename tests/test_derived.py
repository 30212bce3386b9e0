"""Quantities and tables derived from the datasets (helpers.derived), checked against the report's tables."""

# --- chapter 6, appendices A and B

import pandas as pd
import pytest

from helpers import derived, regions


def test_the_scorecard_table_heads_each_indicator_with_its_element():
    shown = derived.scorecard_table(derived.scorecard_indicators()).set_index("region")
    assert list(shown.columns) == [
        "manufacturing share [demand / physical base (Tabel 1.1)]", "higher-educated share [talent (Tabel 2/4)]",
        "unemployment [talent, lower is better (Tabel 2/4)]", "population growth [demand (Tabel 2/4)]",
        "head offices in the region [leadership (Tabel 3/5)]",
        "place on the ladder of cooperation [networks (chapter 4)]"]
    drenthe = shown.loc["Zuidoost-Drenthe"].tolist()
    # Tabel 1.1: C 9 of 60.0 thousand; Tabel 2: 24% higher educated, 7.7% unemployed, -1.6% population growth;
    # Tabel 3: ten firms, 'HQ buiten de regio' 7; chapter 4: the lowest of the Dutch regions on the ladder
    assert drenthe == pytest.approx([15.0, 24, 7.7, -1.6, 3, 1])
    assert list(shown.index) == [regions.name(r) for r in regions.STUDY_REGIONS]


def test_the_ecosystem_elements_split_as_figure_7_splits_them():
    elements = derived.ecosystem_elements()
    assert list(elements.columns) == ["group", "element", "the report's word"]
    # chapter 6: base elements regelgeving, cultuur, fysieke infrastructuur, vraag; six system elements
    base = elements[elements["group"] == "base element: hard to change"]
    assert base["the report's word"].tolist() == ["regelgeving", "cultuur", "fysieke infrastructuur",
                                                  "vraag ofwel omvang van de markt"]
    assert (elements["group"] == "system element: easier to influence").sum() == 6


def test_manufacturing_shares_of_tabel_2_and_tabel_1_1_that_differ():
    # Tabel 2 'Aandeel industrie in de werkgelegenheid': 18, 15, 7, 16; Tabel 1.1 C over the total: ZO Drenthe
    # 9 / 60.0 = 15.0%, Twente 40.5 / 271.2 = 14.93%, Rijnmond 47.5 / 637.3 = 7.45%, ZO Brabant 60.5 / 381.2 = 15.87%
    assert derived.manufacturing_differences() == {"zo-drenthe": {"tabel_2": 18.0, "tabel_1_1": pytest.approx(15.0)}}
    half = derived.manufacturing_differences(0.4)
    assert list(half) == ["zo-drenthe", "groot-rijnmond"]
    assert half["groot-rijnmond"] == {"tabel_2": 7.0, "tabel_1_1": pytest.approx(47.5 / 637.3 * 100)}
    assert derived.manufacturing_differences(5.0) == {}


def _ranked(region_ids):
    return pd.DataFrame({"score": range(len(region_ids), 0, -1), "rank": range(1, len(region_ids) + 1)},
                        index=list(region_ids))


def test_the_focus_summary_of_zuidoost_drenthe():
    summary = derived.focus_summary("zo-drenthe", _ranked(["twente", "zo-drenthe", "bremen"]))
    assert list(summary.columns) == ["chapter", "measure", "value"]
    assert summary["chapter"].tolist() == ["1", "2", "3", "3", "3", "4/5", "4/5", "4/5", "6"]
    assert summary["value"].tolist() == [
        "3.7% a year",  # Tabel 1.2: 175 in 2010, 195 in 2013: (195 / 175) ** (1 / 3) - 1 = 3.67%
        "46%",  # Tabel 1: 'Geen baan' 46
        "15.0%",  # Tabel 1.1: 9 of 60.0 thousand
        "Mining and quarrying (LQ 9.60)",  # Tabel 1.1: B 0.8 / 60.0 against the Netherlands' 10.7 / 7 701.1
        "scale-intensive",  # chapter 3
        "3",  # Tabel 3: ten firms, 'HQ buiten de regio' 7
        "niveau 2 (2 to 3) (interpreted; ladder 1 of 4)",
        "7.7%",  # Tabel 2: werkloosheid 7.7
        "2 of 3",
    ]


def test_the_focus_summary_of_a_region_without_tabel_1_and_1_2():
    values = derived.focus_summary("emsland", _ranked(regions.STUDY_REGIONS))["value"].tolist()
    assert values[:2] == ["no series in Tabel 1.2", "not in Tabel 1"]  # Tabel 1.2 has no value for Emsland
    assert values[-1] == "5 of 6"


def test_the_focus_summary_finds_the_specialisation_against_the_six_when_pooled():
    pooled = derived.focus_summary("zo-drenthe", _ranked(["zo-drenthe"]), "pooled")["value"][3]
    # Tabel 1.1, section B in the six regions: 0.8 + 0.2 + 0.9 + 0.2 + 0.7 + 0.1 = 2.9 of 60.0 + 271.2 + 637.3
    # + 381.2 + 120.5 + 289.7 = 1 759.9 thousand; Zuidoost-Drenthe 0.8 of 60.0: (0.8 / 60.0) / (2.9 / 1759.9) = 8.09
    assert pooled == "Mining and quarrying (LQ 8.09)"


def test_tabel_1_1_as_the_appendix_prints_it():
    mat = derived.employment().loc[["zo-drenthe", "nl"]]
    shown = derived.tabel_1_1_table(mat)
    assert list(shown.columns) == ["sector", "Zuidoost-Drenthe (x1000)", "Netherlands (x1000)"]
    manufacturing = shown[shown["sector"] == "C Manufacturing"].iloc[0]
    assert manufacturing.tolist() == ["C Manufacturing", 9.0, 739.2]  # Tabel 1.1, Industrie
    assert len(shown) == 19  # sections A to S


def test_tabel_1_2_as_the_appendix_prints_it():
    shown = derived.tabel_1_2_table(["twente", "zo-brabant", "emsland", "nl"]).set_index("area")
    assert list(shown.columns) == ["2010 (establishments)", "2011 (establishments)", "2012 (establishments)",
                                   "2013 (establishments)", "note"]
    assert shown.loc["Twente"].tolist() == ["560", "620", "635", "660", ""]  # Tabel 1.2
    assert shown.loc["Netherlands", "2010 (establishments)"] == "19\u202f310"
    assert shown.loc["Landkreis Emsland", "2013 (establishments)"] == "\u2013"
    assert shown.loc["Zuidoost-Brabant", "note"] == "The report labels this row Zuidoost-Noord-Brabant."


def test_tabel_1_2_in_relative_form():
    relative = derived.foreign_control_relative(["twente", "emsland", "nl", "de"])
    # Emsland has no series in Tabel 1.2; the countries have no share of themselves
    assert relative["area"].unique().tolist() == ["Twente", "Netherlands", "Germany"]
    twente = relative[relative["area"] == "Twente"].set_index("year")
    # Tabel 1.2: Twente 560, 620, 635, 660; the Netherlands 19 310, 21 320, 22 395, 23 210
    assert twente["index (2010 = 100)"].tolist() == pytest.approx([100, 620 / 5.6, 635 / 5.6, 660 / 5.6])
    assert twente.loc[2013, "share of national count (%)"] == pytest.approx(660 / 23210 * 100)
    assert relative[relative["area"] == "Netherlands"]["share of national count (%)"].isna().all()
    wide = derived.share_of_national_table(relative)
    assert list(wide.columns) == ["area", "2010 (% of national)", "2011 (% of national)", "2012 (% of national)",
                                  "2013 (% of national)"]
    assert wide["area"].tolist() == ["Twente"]
    assert wide.iloc[0, 1] == pytest.approx(560 / 19310 * 100)
