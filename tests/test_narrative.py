"""Tests of helpers.narrative: each sentence function on every one of its branches."""


# --- chapters 1 and 4

import pandas as pd
import pytest

from helpers import narrative

MINUS = "\u2212"
NNBSP = "\u202f"  # the book groups thousands with a narrow no-break space


def test_number_word_writes_small_counts_as_words_and_large_ones_as_digits():
    assert [narrative.number_word(n) for n in (0, 2, 4, 10)] == ["no", "two", "four", "ten"]
    assert narrative.number_word(11) == "11" and narrative.number_word(1082) == f"1{NNBSP}082"


def test_listing_of_none_one_two_and_three_items():
    assert narrative.listing([]) == "" and narrative.listing([], empty="none") == "none"
    assert narrative.listing(["Emsland"]) == "Emsland"
    assert narrative.listing(["Landkreis Emsland", "Bremen"]) == "Landkreis Emsland and Bremen"
    assert narrative.listing(iter(["a", "b", "c"])) == "a, b and c"


def test_faster_or_slower_and_significance_on_both_sides():
    assert narrative.faster_or_slower(0.66) == "faster" and narrative.faster_or_slower(0.0) == "faster"
    assert narrative.faster_or_slower(-2.75) == "slower"
    assert narrative.significance(0.049, 0.05) == "is statistically significant"
    assert narrative.significance(0.05, 0.05) == "is not statistically significant"  # p < alpha, strictly
    assert narrative.significance(0.149, 0.2) == "is statistically significant"


def test_undated_values_sentence_for_none_one_and_two_values():
    assert narrative.undated_values_sentence(pd.Series(dtype=float)) == ""
    # Bijlage 1, Tabel 1.2: Bremen's one value, 233, without a year
    assert narrative.undated_values_sentence(pd.Series({"bremen": 233.0})) == (
        "Bremen's single value (233) cannot be placed in a year and is left out of the series.")
    assert narrative.undated_values_sentence(pd.Series({"bremen": 233.0, "emsland": 1500.0})) == (
        f"Bremen's single value (233) and Landkreis Emsland's single value (1{NNBSP}500) cannot be placed in a year "
        "and are left out of the series.")


# Tabel 1.2 (Bijlage 1): establishments under ultimate foreign control, 2010-2013
TABEL_1_2 = pd.DataFrame({2010: [560.0, 19310.0, 26934.0, float("nan")], 2011: [620.0, 21320.0, 27717.0, float("nan")],
                          2012: [635.0, 22395.0, 25011.0, float("nan")], 2013: [660.0, 23210.0, 26869.0, float("nan")]},
                         index=["twente", "nl", "de", "emsland"])


def _index():
    full = TABEL_1_2.drop(index="emsland")
    return full.div(full[2010], axis=0) * 100


def test_index_chart_alt_lists_the_last_year_highest_first():
    # 660 / 560 = 117.9; 23 210 / 19 310 = 120.2; 26 869 / 26 934 = 99.8
    assert narrative.index_chart_alt(_index()) == (
        "Line chart of foreign-controlled establishments per area, indexed to 2010 = 100. By 2013 the index stands at "
        "120 in Netherlands; 118 in Twente; 100 in Germany.")


def test_index_chart_title_says_every_region_grew_or_how_many():
    assert narrative.index_chart_title(_index(), ["zo-drenthe", "twente"]) == (
        "Foreign-controlled establishments grew in every Dutch region, 2010-2013")
    shrinking = _index().rename(index={"de": "zo-brabant"})  # a Dutch region at 99.8 in 2013
    assert narrative.index_chart_title(shrinking, ["twente", "zo-brabant"]) == (
        "Foreign-controlled establishments grew in one of the two Dutch regions, 2010-2013")


def _trend_row(difference, p):
    return {"index_2013": 660 / 560 * 100, "cagr_percent": ((660 / 560) ** (1 / 3) - 1) * 100, "trend_percent": 5.3,
            "trend_ci_low": 0.03, "trend_ci_high": 10.86, "difference_pp": difference, "difference_p": p,
            "difference_ci_low": -5.11, "difference_ci_high": 3.57}


def _trends(difference, p):
    nl_cagr = ((23210 / 19310) ** (1 / 3) - 1) * 100
    return pd.DataFrame({"twente": _trend_row(difference, p), "nl": {"cagr_percent": nl_cagr}}).T


@pytest.mark.parametrize("difference, p, words", [(-0.86, 0.612, "0.9% a year slower"),
                                                  (0.86, 0.012, "0.9% a year faster")])
def test_focus_paragraph_with_a_series_on_both_branches(difference, p, words):
    no_undated = pd.Series(dtype=float)
    text = narrative.foreign_control_focus_paragraph("twente", TABEL_1_2, _trends(difference, p), no_undated, 0.05)
    # Twente: 560 -> 660, index 117.9; CAGR (660/560)^(1/3) - 1 = 5.63%; the Netherlands (23210/19310)^(1/3) - 1 = 6.32%
    assert text.startswith("In Twente the number of foreign-controlled establishments went from 560 in 2010 to 660 in "
                           "2013 (index 117.9), a compound growth of 5.6% a year against 6.3% for Netherlands.")
    assert "(95% interval 0.0% to 10.9%, which reflects the scatter of the four yearly counts" in text
    assert words in text and f"interval {MINUS}5.1% to 3.6%" in text and "(Netherlands minus Twente;" in text
    if p < 0.05:
        assert "a difference that is statistically significant (p = 0.012)" in text
    else:
        assert "a difference that is not statistically significant (p = 0.612)" in text
    assert text.endswith("Four annual values leave two degrees of freedom per line: only a large difference could "
                         "show up as significant.")


def test_focus_paragraph_with_a_single_undated_value_or_none():
    trends = _trends(0.0, 0.5)
    series = TABEL_1_2.drop(index="emsland")
    undated = pd.Series({"bremen": 233.0})
    bremen = narrative.foreign_control_focus_paragraph("bremen", series, trends, undated, 0.05)
    assert bremen == ("For Bremen the report gives a single value (233) whose year cannot be read from the table, so "
                      "no index, growth rate or trend can be computed; the report's Germany-wide series (from "
                      f"26{NNBSP}934 in 2010 to 26{NNBSP}869 in 2013) is the only German reference.")
    emsland = narrative.foreign_control_focus_paragraph("emsland", TABEL_1_2, trends, undated, 0.05)
    assert emsland.startswith("For Landkreis Emsland the report gives no values at all, so no index")
    partial = TABEL_1_2.copy()
    partial.loc["emsland", [2010, 2011]] = [100.0, 110.0]
    some = narrative.foreign_control_focus_paragraph("emsland", partial, trends, pd.Series(dtype=float), 0.05)
    assert "the report gives values for only some of the years, so" in some


def _hq(abroad_recomputed, abroad_stated):
    return pd.DataFrame({"abroad_recomputed": abroad_recomputed, "abroad_stated": abroad_stated},
                        index=["zo-drenthe", "zo-brabant"][:len(abroad_recomputed)])


def test_hq_mismatch_text_names_each_difference_or_says_none():
    assert narrative.hq_mismatch_text(_hq([], [])) == "none"
    assert narrative.hq_mismatch_text(_hq([6, 2], [5, 3])) == (
        "Zuidoost-Drenthe: the table lists 6 firms with a foreign owner or head office, the count under it says 5; "
        "Zuidoost-Brabant: the table lists 2 firms with a foreign owner or head office, the count under it says 3")


def test_rd_firms_text_groups_the_firms_by_region_in_rank_order():
    # Tabel 3's marks: ASML (#1), Philips (#2) in Zuidoost-Brabant, Unilever (#9) in Rijnmond
    rd = pd.DataFrame({"region_id": ["zo-brabant", "zo-brabant", "groot-rijnmond"],
                       "firm": ["ASML", "Philips Electronics", "Unilever Nederland"], "rd_top60_rank": [1.0, 2.0, 9.0]})
    assert narrative.rd_firms_text(rd) == ("Zuidoost-Brabant: ASML (#1), Philips Electronics (#2); Groot-Rijnmond: "
                                           "Unilever Nederland (#9)")
    assert narrative.rd_firms_text(rd.iloc[:0]) == "none"


def test_industrial_counts_text_with_and_without_uncoded_firms():
    counts = pd.DataFrame({"industrial_count": [4, 7], "industrial_uncoded": [0, 2]}, index=["zo-drenthe", "twente"])
    assert narrative.industrial_counts_text(counts) == "Zuidoost-Drenthe 4, Twente 7 (and 2 not coded)"


def test_hq_counts_alt_names_the_differences_or_says_all_agree():
    long = pd.DataFrame({"region": ["Twente", "Twente"], "measure": ["outside the region", "abroad"],
                         "recomputed": [6, 4], "stated": [6, 4]})
    assert narrative.hq_counts_alt(long).endswith("printed under Tabel 3. Every count agrees with the printed one.")
    long.loc[1, "recomputed"] = 5
    assert narrative.hq_counts_alt(long).endswith("printed under Tabel 3. They differ for Twente abroad (counted 5, "
                                                  "printed 4).")


def test_timeline_title_and_alt_on_both_sides_of_the_year():
    dated = pd.DataFrame({"region": ["Twente", "Twente", "Rijnmond"], "founded": [2015, 2003, 2011]})
    assert narrative.timeline_title(dated, 2010) == "Most initiatives date from after 2010"
    assert narrative.timeline_title(dated, 2012) == "Most initiatives date from before 2012"  # one of three
    assert narrative.timeline_title(dated, 2011) == "Most initiatives date from after 2011"  # two of three: 2011, 2015
    assert narrative.timeline_title(dated.iloc[:2], 2010) == "Half the initiatives date from 2010 or later"
    assert narrative.timeline_alt(dated, 2010) == (
        "Timeline of the 3 organisations with a founding year, one row per region, marker shape by kind; 2 of them "
        "were founded in 2010 or later. Earliest: Rijnmond 2011; Twente 2003.")


def test_level_basis_and_ladder_place():
    assert narrative.level_basis("stated") == "as the report states it"
    assert narrative.level_basis("interpreted") == "as this edition reads the report's description"
    assert narrative.ladder_place(3, 1, 4, "A note.") == (
        "its place on the report's ladder is 3 (1 = least advanced, 4 = the top). A note.")


# region_cooperation, as this edition reads chapter 4, point 3 (data/region_cooperation.csv)
COOPERATION = pd.DataFrame({"region_id": ["zo-drenthe", "twente", "zo-brabant"], "level": [2, 3, 3],
                            "level_low": [2, 3, 3], "level_high": [3, 4, 3], "ladder_position": [1, 3, 4],
                            "autonomy_to_centre": [1, 3, 4], "agenda_breadth": [2, 3, 4]})


def test_uncertain_levels_names_the_ranges_or_is_empty():
    assert narrative.uncertain_levels(COOPERATION) == (
        "The reading is uncertain for Zuidoost-Drenthe (levels 2 to 3); Twente (levels 3 to 4).")
    assert narrative.uncertain_levels(COOPERATION.iloc[2:]) == ""


def test_cooperation_labels_and_alt():
    points = COOPERATION.set_index("region_id")
    labels = narrative.cooperation_labels(points)
    assert labels["twente"] == "Twente\n(level 3 (3 to 4), ladder 3)"
    assert labels["zo-brabant"] == "Zuidoost-Brabant\n(level 3, ladder 4)"
    assert narrative.cooperation_alt(points.iloc[::-1]) == (
        "Scatter of the Dutch regions on two axes, autonomy handed to a shared centre and breadth of the agenda: "
        "Zuidoost-Drenthe at autonomy 1 and breadth 2, level 2 (2 to 3); Twente at autonomy 3 and breadth 3, level 3 "
        "(3 to 4); Zuidoost-Brabant at autonomy 4 and breadth 4, level 3.")


def test_vocational_focus_paragraph_for_a_case_study_and_for_a_german_region():
    assert narrative.vocational_focus_paragraph("zo-drenthe", "Firms are valued clients.", 3) == (
        "The report's assessment of Zuidoost-Drenthe: Firms are valued clients. Of its ten largest employers, 3 have "
        "their head office in the region (Tabel 3, counted).")
    # chapter 5: Emsland is paired with Zuidoost-Drenthe
    assert narrative.vocational_focus_paragraph("emsland", None, 7) == (
        "Landkreis Emsland is not one of chapter 4's case studies; the report describes it in chapter 5, where it "
        "plays the role of a case study, and pairs it with Zuidoost-Drenthe.")
