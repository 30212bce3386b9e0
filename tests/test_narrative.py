"""The sentences and phrases that follow the data (helpers.narrative): every branch of every kind of sentence,
with the expected words written out (their numbers from the report's tables or worked out by hand here)."""

from types import SimpleNamespace

import pandas as pd
import pytest

from helpers import content, narrative, regions

MINUS = "\u2212"  # the book's minus sign
NNBSP = "\u202f"  # the book groups thousands with a narrow no-break space


# --- words, lists and ranges ------------------------------------------------------------------------------------------


def test_listing_of_none_one_two_and_three_items():
    assert narrative.listing([]) == "" and narrative.listing([], empty="none") == "none"
    assert narrative.listing(["Emsland"]) == "Emsland"
    assert narrative.listing(["Landkreis Emsland", "Bremen"]) == "Landkreis Emsland and Bremen"
    assert narrative.listing(iter(["a", "b", "c"])) == "a, b and c"
    assert narrative.listing(["a", "b", "c", "d"]) == "a, b, c and d"


def test_listing_of_alternatives_as_the_prose_gives_them():
    # chapter 4: 'tegenover 4, 6 of 7 in de andere regio's'
    assert narrative.listing([4, 6, 7], "or") == "4, 6 or 7"
    assert narrative.listing([4, 6], "or") == "4 or 6"
    assert narrative.listing([4], "or") == "4"
    with pytest.raises(ValueError, match="unknown conjunction 'nor'; valid: and, or"):
        narrative.listing([4, 6], "nor")


def test_semicolon_list_of_phrases_that_hold_commas():
    assert narrative.semicolon_list([]) == "none" and narrative.semicolon_list([], empty="") == ""
    assert narrative.semicolon_list(["a"]) == "a"
    assert narrative.semicolon_list(iter(["Twente: Thales (#11), Ten Cate (#37)", "b"])) == (
        "Twente: Thales (#11), Ten Cate (#37); b"
    )


def test_number_word_writes_small_counts_as_words_and_large_ones_as_digits():
    assert [narrative.number_word(n) for n in (0, 2, 4, 10)] == ["no", "two", "four", "ten"]
    assert narrative.number_word(11) == "11" and narrative.number_word(1082) == f"1{NNBSP}082"


def test_values_by_area_names_each_area_in_order_in_the_books_number_format():
    # Tabel 1.1's column totals: Zuidoost-Drenthe 60.0, the Netherlands 7 701.1 (thousands)
    totals = pd.Series({"zo-drenthe": 60.0, "nl": 7701.1, "de": -0.04})
    assert narrative.values_by_area(totals) == "Zuidoost-Drenthe 60.0, Netherlands 7\u202f701.1, Germany 0.0"
    assert narrative.values_by_area(pd.Series({"twente": 271.25}), decimals=2) == "Twente 271.25"
    # Tabel 1's sums of printed shares (percent) in whole points, in the series' order
    sums = pd.Series({"zo-drenthe": 102.0, "twente": 99.4, "groot-rijnmond": 100.6})
    assert narrative.values_by_area(sums, 0) == "Zuidoost-Drenthe 102, Twente 99, Groot-Rijnmond 101"


def test_a_range_of_whole_numbers_and_a_single_one():
    assert narrative.number_range(4, 6) == "4 to 6"
    assert narrative.number_range(6, 6) == "6"
    assert narrative.number_range(1082, 19114) == f"1{NNBSP}082 to 19{NNBSP}114"


def test_count_span_and_its_empty_word():
    assert narrative.count_span([768, 19114, 5651]) == f"768 to 19{NNBSP}114"
    assert narrative.count_span({"a": 540, "b": 460}.values()) == "460 to 540"
    assert narrative.count_span([]) == "never"
    assert narrative.count_span([], empty="none") == "none"
    assert narrative.count_span([540, 540]) == "540"  # both ends the same: one number, as number_range


def test_a_level_is_shown_with_the_range_the_words_allow():
    assert narrative.level_text({"level": 3, "level_low": 3, "level_high": 3}) == "3"
    assert narrative.level_text({"level": 3, "level_low": 3, "level_high": 4}) == "3 (3 to 4)"


def test_first_sentence_keeps_one_full_stop():
    assert narrative.first_sentence("Government and vocational education lead. Firms follow.") == (
        "Government and vocational education lead."
    )
    assert narrative.first_sentence("One sentence only.") == "One sentence only."
    assert narrative.first_sentence("A sentence without its stop") == "A sentence without its stop."


def test_faster_or_slower_and_significance_on_both_sides():
    assert narrative.faster_or_slower(0.66) == "faster" and narrative.faster_or_slower(0.0) == "faster"
    assert narrative.faster_or_slower(-2.75) == "slower"
    assert narrative.significance(0.049, 0.05) == "is statistically significant"
    assert narrative.significance(0.05, 0.05) == "is not statistically significant"  # p < alpha, strictly
    assert narrative.significance(0.149, 0.2) == "is statistically significant"


# --- cells of tables --------------------------------------------------------------------------------------------------


def test_persons_per_region_is_one_count_or_the_regions_range():
    assert narrative.persons_per_region(1000) == f"1{NNBSP}000"
    assert narrative.persons_per_region({"a": 540, "b": 460, "c": 530}) == "460–540"


def test_smallest_n_and_its_range_say_never_for_none():
    assert narrative.smallest_n(None) == "never"
    assert narrative.smallest_n(1094) == f"1{NNBSP}094"
    assert narrative.smallest_n_range(419, 658) == "419 to 658"
    assert narrative.smallest_n_range(867, None) == "867 to never"
    assert narrative.smallest_n_range(None, None) == "never to never"


def test_p_range_shows_tiny_p_as_below_one_in_a_thousand():
    assert narrative.p_range(0.00031, 0.00799) == "< 0.001 to 0.008"
    assert narrative.p_range(0.0140, 0.0861) == "0.014 to 0.086"


def test_extreme_shown_alone_or_tied():
    # Tabel 1, 'Geen baan': Groot-Rijnmond 54 alone at the top
    assert narrative.extreme_shown("groot-rijnmond", [], 54.0) == "extreme in Groot-Rijnmond (54%)"
    # Tabel 1, same occupation with either employer: Twente 23 + 25 = 48, Zuidoost-Drenthe 24 + 24 = 48
    assert narrative.extreme_shown("twente", ["zo-drenthe"], 48.0) == "tied: Twente and Zuidoost-Drenthe (48%)"
    assert (
        narrative.extreme_shown("twente", ["zo-drenthe", "zo-brabant"], 47.5)
        == "tied: Twente, Zuidoost-Drenthe and Zuidoost-Brabant (47.5%)"
    )


def test_reading_test_described():
    assert narrative.reading_test_described("zo-brabant", 3, "level compared to 1984") == (
        "z-tests of Zuidoost-Brabant against each other region (Holm over 3); block test: level compared to 1984"
    )


# --- foreign-controlled establishments (Tabel 1.2; chapter 1) ---------------------------------------------------------


def test_undated_values_sentence_for_none_one_and_two_values():
    assert narrative.undated_values_sentence(pd.Series(dtype=float)) == ""
    # Bijlage 1, Tabel 1.2: Bremen's one value, 233, without a year
    assert narrative.undated_values_sentence(pd.Series({"bremen": 233.0})) == (
        "Bremen's single value (233) cannot be placed in a year and is left out of the series."
    )
    assert narrative.undated_values_sentence(pd.Series({"bremen": 233.0, "emsland": 1500.0})) == (
        f"Bremen's single value (233) and Landkreis Emsland's single value (1{NNBSP}500) cannot be placed in a year "
        "and are left out of the series."
    )


# Tabel 1.2 (Bijlage 1): establishments under ultimate foreign control, 2010-2013
TABEL_1_2 = pd.DataFrame(
    {
        2010: [560.0, 19310.0, 26934.0, float("nan")],
        2011: [620.0, 21320.0, 27717.0, float("nan")],
        2012: [635.0, 22395.0, 25011.0, float("nan")],
        2013: [660.0, 23210.0, 26869.0, float("nan")],
    },
    index=["twente", "nl", "de", "emsland"],
)


def _index():
    full = TABEL_1_2.drop(index="emsland")
    return full.div(full[2010], axis=0) * 100


def test_index_chart_alt_lists_the_last_year_highest_first():
    # 660 / 560 = 117.9; 23 210 / 19 310 = 120.2; 26 869 / 26 934 = 99.8
    assert narrative.index_chart_alt(_index()) == (
        "Line chart of foreign-controlled establishments per area, indexed to 2010 = 100. By 2013 the index stands at "
        "120 in Netherlands; 118 in Twente; 100 in Germany."
    )


def test_index_chart_title_says_every_region_grew_or_how_many():
    assert narrative.index_chart_title(_index(), ["zo-drenthe", "twente"]) == (
        "Foreign-controlled establishments grew in every Dutch region, 2010-2013"
    )
    shrinking = _index().rename(index={"de": "zo-brabant"})  # a Dutch region at 99.8 in 2013
    assert narrative.index_chart_title(shrinking, ["twente", "zo-brabant"]) == (
        "Foreign-controlled establishments grew in one of the two Dutch regions, 2010-2013"
    )


def _trend_row(difference, p):
    return {
        "index_2013": 660 / 560 * 100,
        "cagr_percent": ((660 / 560) ** (1 / 3) - 1) * 100,
        "trend_percent": 5.3,
        "trend_ci_low": 0.03,
        "trend_ci_high": 10.86,
        "difference_pp": difference,
        "difference_p": p,
        "difference_ci_low": -5.11,
        "difference_ci_high": 3.57,
    }


def _trends(difference, p):
    nl_cagr = ((23210 / 19310) ** (1 / 3) - 1) * 100
    return pd.DataFrame({"twente": _trend_row(difference, p), "nl": {"cagr_percent": nl_cagr}}).T


@pytest.mark.parametrize(
    "difference, p, words", [(-0.86, 0.612, "0.9% a year slower"), (0.86, 0.012, "0.9% a year faster")]
)
def test_focus_paragraph_with_a_series_on_both_branches(difference, p, words):
    no_undated = pd.Series(dtype=float)
    text = narrative.foreign_control_focus_paragraph("twente", TABEL_1_2, _trends(difference, p), no_undated, 0.05)
    # Twente: 560 -> 660, index 117.9; CAGR (660/560)^(1/3) - 1 = 5.63%; the Netherlands (23210/19310)^(1/3) - 1 = 6.32%
    assert text.startswith(
        "In Twente the number of foreign-controlled establishments went from 560 in 2010 to 660 in "
        "2013 (index 117.9), a compound growth of 5.6% a year against 6.3% for Netherlands."
    )
    assert "(95% interval 0.0% to 10.9%, which reflects the scatter of the four yearly counts" in text
    assert words in text and f"interval {MINUS}5.1% to 3.6%" in text and "(Netherlands minus Twente;" in text
    if p < 0.05:
        assert "a difference that is statistically significant (p = 0.012)" in text
    else:
        assert "a difference that is not statistically significant (p = 0.612)" in text
    assert text.endswith(
        "Four annual values leave two degrees of freedom per line: only a large difference could "
        "show up as significant."
    )


def test_focus_paragraph_with_a_single_undated_value_or_none():
    trends = _trends(0.0, 0.5)
    series = TABEL_1_2.drop(index="emsland")
    undated = pd.Series({"bremen": 233.0})
    bremen = narrative.foreign_control_focus_paragraph("bremen", series, trends, undated, 0.05)
    assert bremen == (
        "For Bremen the report gives a single value (233) whose year cannot be read from the table, so "
        "no index, growth rate or trend can be computed; the report's Germany-wide series (from "
        f"26{NNBSP}934 in 2010 to 26{NNBSP}869 in 2013) is the only German reference."
    )
    emsland = narrative.foreign_control_focus_paragraph("emsland", TABEL_1_2, trends, undated, 0.05)
    assert emsland.startswith("For Landkreis Emsland the report gives no values at all, so no index")
    partial = TABEL_1_2.copy()
    partial.loc["emsland", [2010, 2011]] = [100.0, 110.0]
    some = narrative.foreign_control_focus_paragraph("emsland", partial, trends, pd.Series(dtype=float), 0.05)
    assert "the report gives values for only some of the years, so" in some


# --- occupational dynamics (Tabel 1) and the cohort (chapter 2) -------------------------------------------------------


def test_readings_contradicted_names_each_or_none():
    assert (
        narrative.readings_contradicted(pd.DataFrame(columns=["statement", "table_region", "value"]))
        == "Within rounding it contradicts none of them."
    )
    failed = pd.DataFrame(
        {
            "statement": ["Higher level greatest in Brainport", "Lower level smallest in Brainport"],
            "table_region": ["groot-rijnmond", "twente"],
            "value": [24.0, 16.0],
        }
    )
    assert narrative.readings_contradicted(failed) == (
        "Even within rounding it contradicts \u201cHigher level greatest in Brainport\u201d (Tabel 1: Groot-Rijnmond, "
        "24%); "
        "\u201cLower level smallest in Brainport\u201d (Tabel 1: Twente, 16%): the audit grades these as discrepancies "
        "that change what a reader would conclude."
    )


@pytest.mark.parametrize(
    "p_values, verb, count",
    [
        ([0.0016, 0.039, 0.46], "differ", "2"),
        ([0.0016, 0.39, 0.46], "differs", "1"),
        ([0.16, 0.39, 0.46], "differ", "0"),
    ],
)
def test_homogeneity_verdict_counts_the_significant_blocks(p_values, verb, count):
    text = narrative.homogeneity_verdict(p_values, [0.0617, 0.0571, 0.0374], 0.05)
    assert text == (
        f"At the assumed sample size {count} of the 3 blocks {verb} significantly between the regions "
        "(at 0.05); the largest Cramér's V is 0.062."
    )


def test_homogeneity_verdict_reads_alpha_as_given():
    assert "(at 0.1);" in narrative.homogeneity_verdict([0.06], [0.1], 0.1)
    assert narrative.homogeneity_verdict([0.06], [0.1], 0.1).startswith(
        "At the assumed sample size 1 of the 1 blocks differs"
    )


WILSON = pd.DataFrame(
    {
        "region_id": ["zo-drenthe", "twente", "groot-rijnmond", "zo-brabant"],
        "share_percent": [46.0, 47.0, 54.0, 49.0],
        "ci_low": [42.93, 43.92, 50.90, 45.91],
        "ci_high": [49.10, 50.10, 57.07, 52.09],
    }
)


def test_no_job_paragraph_for_a_region_that_differs_from_others():
    text = narrative.no_job_paragraph("zo-drenthe", WILSON, ["groot-rijnmond", "zo-brabant"], 0.05, 1000)
    assert text == (
        "In Zuidoost-Drenthe, 46% of the cohort had no job in 2014 (95% Wilson interval 42.9% to 49.1% for "
        f"1{NNBSP}000 persons assumed; the report warns that this figure is biased in level by its data "
        "set, footnote 16). After Holm correction that share differs significantly from Groot-Rijnmond and "
        "Zuidoost-Brabant."
    )


def test_no_job_paragraph_for_a_region_that_differs_from_none():
    text = narrative.no_job_paragraph("twente", WILSON, [], 0.01, 500)
    assert text.startswith(
        "In Twente, 47% of the cohort had no job in 2014 (99% Wilson interval 43.9% to 50.1% for 500 "
    )
    assert text.endswith(
        "After Holm correction it does not differ significantly from any other region at this assumed n."
    )


def test_no_job_paragraph_for_a_region_tabel_1_does_not_cover():
    assert narrative.no_job_paragraph("emsland", WILSON, [], 0.05, 1000) == (
        "Tabel 1 covers only the four Dutch regions: the report has no occupational-dynamics figures for Landkreis "
        "Emsland, so the tests above cannot speak about it."
    )


def test_rijnmond_reading_significant_with_its_threshold():
    assert narrative.rijnmond_reading(0.0253, 0.05, 1000, 768) == (
        "The report's first reading, a higher chance of unemployment in Groot-Rijnmond than in the other three "
        f"regions, has p = 0.025 at 1{NNBSP}000 persons per region assumed and is significant there; it would be "
        "significant from 768 persons per region. Whether the statistics support the reading therefore depends only "
        "on the assumed n, which the report does not give."
    )


def test_rijnmond_reading_not_significant_or_never():
    not_yet = narrative.rijnmond_reading(0.31, 0.05, 300, 768)
    assert (
        "has p = 0.310 at 300 persons per region assumed and is not significant there; it would be significant "
        "from 768 persons per region." in not_yet
    )
    never = narrative.rijnmond_reading(1.0, 0.05, 1000, None)
    assert never.endswith("and is not significant there; Tabel 1 does not show it at any n.")


def test_tabel1_chart_alt_names_each_measures_extremes():
    wide = pd.DataFrame(
        {"no_job": [46.0, 47.0, 54.0, 49.0], "higher_level": [21.0, 19.0, 24.0, 22.0]},
        index=["zo-drenthe", "twente", "groot-rijnmond", "zo-brabant"],
    )
    labels = pd.Series({"no_job": "No job in 2014", "higher_level": "Higher occupational level"})
    assert narrative.tabel1_chart_alt(wide, labels, ["no_job", "higher_level"]) == (
        "Three panels of bars for the four Dutch regions, one per block of Tabel 1. No job in 2014: from 46% in "
        "Zuidoost-Drenthe to 54% in Groot-Rijnmond. Higher occupational level: from 19% in Twente to 24% in "
        "Groot-Rijnmond."
    )


def test_sensitivity_alt_with_and_without_a_significant_size():
    curves = pd.DataFrame(
        {
            "block": ["a"] * 3 + ["b"] * 3,
            "sample_size": [50, 500, 5000] * 2,
            "p_value": [0.6, 0.04, 0.001, 0.9, 0.5, 0.2],
        }
    )
    assert narrative.sensitivity_alt(curves, 0.05, 1000) == (
        "Line chart of the p-value of each block's test as the assumed number of persons per region grows from 50 to "
        f"5{NNBSP}000. The p-value falls below 0.05 from 500 persons for a; the chapter assumes 1{NNBSP}000."
    )
    assert narrative.sensitivity_alt(curves, 0.0001, 1000).endswith(
        "The p-value stays above 0.0001 for every block; the chapter assumes 1\u202f000."
    )


def test_wilson_alt_lists_every_region():
    assert narrative.wilson_alt(WILSON.iloc[:2]) == (
        "Dots with interval bars of the share of the cohort without a job in 2014: Zuidoost-Drenthe 46% (42.9 to "
        "49.1); Twente 47% (43.9 to 50.1)."
    )


def test_cohort_words_synthetic_or_real():
    assert narrative.cohort_kind(True) == "synthetic" and narrative.cohort_kind(False) == "real"
    assert narrative.cohort_source(True, "") == (
        "seeded synthetic cohort (helpers.synthetic); margins match the report's national figures"
    )
    assert narrative.cohort_source(False, "/data/cohort.csv") == "cohort micro-data from /data/cohort.csv"
    assert narrative.synthetic_title("Career outcomes", True) == "Synthetic data: Career outcomes"
    assert narrative.synthetic_title("Career outcomes", False) == "Career outcomes"


def test_survival_and_outcome_alts_mark_synthetic_data():
    survival = pd.DataFrame({"time": [1.0, 12.0, 30.4], "survival": [0.99, 0.7, 0.4418]})
    assert narrative.survival_alt(survival, False) == (
        "Step curve of the share still in the starting occupation, falling from 1 to 0.44 after 30 years, with a "
        "shaded interval band."
    )
    assert narrative.survival_alt(survival, True).startswith("Synthetic data: Step curve")
    probs = pd.DataFrame({"higher": [34.2, 10.0], "unemployed": [20.0, 35.4]}, index=["hbo engineering", "mbo-2 care"])
    assert narrative.outcomes_alt(probs, True) == (
        "Synthetic data: Stacked bars of predicted career outcomes for 2 programmes. hbo engineering has the largest "
        "predicted share at a higher level (34%), mbo-2 care the largest unemployed (35%)."
    )
    assert narrative.outcomes_alt(probs, False).startswith("Stacked bars")


# --- sector structure (Tabel 1.1), key figures (Tabel 2), innovation types (chapter 3) --------------------------------


def test_reference_rule_words_and_captions_for_both_rules():
    assert narrative.reference_rule_words("national") == "each region against its own country"
    assert narrative.reference_rule_words("pooled") == "the compared regions pooled"
    assert narrative.lq_caption("national") == (
        "Location quotient of every NACE section, each region against its own country."
    )
    assert narrative.lq_caption("pooled") == "Location quotient of every NACE section, against the six regions pooled."
    assert narrative.user_lq_caption("pooled", "Compared at the level of sections.") == (
        "Location quotients at the region file's level, against the six regions pooled. Compared at the level of "
        "sections."
    )
    assert narrative.user_lq_caption("national", "X.").startswith(
        "Location quotients at the region file's level, each region against its own country. X."
    )
    with pytest.raises(ValueError, match="unknown reference rule 'regional'; valid: national, pooled"):
        narrative.reference_rule_words("regional")


def _pavitt(*rows):
    return pd.DataFrame(rows, columns=["pavitt_type", "basis"])


def test_pavitt_sentence_stated_interpreted_both_and_neither():
    assert narrative.pavitt_sentence("Twente", _pavitt(("specialised_supplier", "stated"))) == (
        "In Pavitt's terms the report calls the firms of Twente specialised suppliers."
    )
    assert narrative.pavitt_sentence("Zuidoost-Drenthe", _pavitt(("scale_intensive", "interpreted"))) == (
        "The report does not name a Pavitt type for Zuidoost-Drenthe. This edition reads the report's description "
        "of Zuidoost-Drenthe as that of scale-intensive producers."
    )
    # Rijnmond: both types named in the report (chapter 3: 'kennisintensieve systeemregisseurs', 'schaalintensieve')
    both = _pavitt(
        ("scale_intensive", "stated"),
        ("knowledge_intensive_system_integrator", "stated"),
        ("science_based", "interpreted"),
    )
    assert narrative.pavitt_sentence("Groot-Rijnmond", both) == (
        "In Pavitt's terms the report calls the firms of Groot-Rijnmond scale-intensive producers and "
        "knowledge-intensive system integrators. This edition reads the report's description of Groot-Rijnmond as "
        "that of science-based high-tech firms."
    )
    assert narrative.pavitt_sentence("Bremen", _pavitt()) == "The report does not name a Pavitt type for Bremen."


def test_profile_sentence_for_a_region_in_tabel_2_and_one_outside_it():
    # Tabel 2, Zuidoost-Drenthe: industry share 18 (percent), population growth -1.6 (percent over 10 years)
    extremes = pd.DataFrame(
        {
            "label": ["Manufacturing share of employment", "Population growth 2006-2015"],
            "value": [18.0, -1.6],
            "unit": ["percent", "percent over 10 years"],
            "z": [0.9608, -1.5312],
        },
        index=["high", "low"],
    )
    assert narrative.profile_sentence("Zuidoost-Drenthe", extremes) == (
        "Among the four, Zuidoost-Drenthe stands out most on \u201cManufacturing share of employment\u201d "
        f"(18 percent, z = 0.96) and lags most on \u201cPopulation growth 2006-2015\u201d ({MINUS}1.6 percent over "
        f"10 years, z = {MINUS}1.53)."
    )
    assert narrative.profile_sentence("Bremen", None) == (
        "Bremen is not in Tabel 2; chapter 5 gives its key figures (Tabel 4)."
    )


def test_specialisations_phrase_and_percent_range():
    top = pd.DataFrame(
        {"lq": [9.5964, 1.5627], "share_percent": [1.3333, 15.0], "reference_share_percent": [0.1389, 9.5986]},
        index=["B", "C"],
    )
    labels = {"B": "Mining and quarrying", "C": "Manufacturing"}
    assert narrative.specialisations_phrase(top, labels) == (
        "Mining and quarrying (LQ 9.60, 1.3% against 0.1%); Manufacturing (LQ 1.56, 15.0% against 9.6%)"
    )
    assert narrative.specialisations_phrase(top.iloc[:0], labels) == ""
    # Tabel 1.1's Zuidoost-Drenthe C (9 of 60.0 thousand) within the rounding of its cells: 13.9% to 16.2%
    assert narrative.percent_range(13.8662, 16.1840) == "13.9% to 16.2%"


def test_chapter_3_alt_texts_state_the_findings():
    shares = pd.DataFrame(
        {"C": [15.0, 7.5, 10.0], "G": [20.0, 30.0, 25.0], "Q": [18.0, 12.0, 10.0], "A": [1.0, 0.5, 2.0]},
        index=["zo-drenthe", "groot-rijnmond", "nl"],
    )
    labels = {"C": "Manufacturing", "G": "Trade", "Q": "Health", "A": "Agriculture"}
    assert narrative.shares_alt(shares, labels, "zo-drenthe") == (
        "Stacked bars of each area's employees by sector. In Zuidoost-Drenthe the largest sectors are Trade (20.0%), "
        "Health (18.0%), Manufacturing (15.0%); manufacturing ranges from 7.5% of employees in Groot-Rijnmond to "
        "15.0% in Zuidoost-Drenthe."
    )
    lq = pd.DataFrame({"B": [9.6, 0.5], "C": [1.6, 1.7]}, index=["zo-drenthe", "zo-brabant"])
    assert narrative.lq_alt(lq, {"B": "Mining", "C": "Manufacturing"}, "zo-brabant") == (
        "Heatmap of the location quotients of 2 sectors in the six regions. The highest is Mining in "
        "Zuidoost-Drenthe (9.6); Zuidoost-Brabant's highest is Manufacturing (1.7)."
    )
    z = pd.DataFrame({"twente": [1.0, -1.0], "zo-brabant": [-0.5, 0.5]}, index=["growth", "unemployment"])
    assert narrative.profile_alt(z, {"growth": "Growth", "unemployment": "Unemployment"}, ["twente", "zo-brabant"]) == (
        "Heatmap of the 2 indicators of Tabel 2 (rows) for the four Dutch regions (columns), coloured by how far "
        "each region stands above or below the four's mean. Twente stands highest on Growth and lowest on "
        "Unemployment; Zuidoost-Brabant stands highest on Unemployment and lowest on Growth."
    )
    # Tabel 1.1 C shares and Tabel 2 productivity: Brabant 15.9% the highest share, Rijnmond 73 the highest value
    points = pd.DataFrame(
        {"share": [15.0, 7.45, 15.87], "productivity": [48.0, 73.0, 71.0]},
        index=["zo-drenthe", "groot-rijnmond", "zo-brabant"],
    )
    assert narrative.productivity_alt(points) == (
        "Scatter of the four Dutch regions: Zuidoost-Brabant has the highest manufacturing share (15.9%), "
        "Groot-Rijnmond the highest value added per worker (73 thousand euros); four points are too few to show a "
        "relation."
    )


# --- the largest employers (Tabel 3) and cooperation (chapter 4) ------------------------------------------------------


def _hq(abroad_recomputed, abroad_stated):
    return pd.DataFrame(
        {"abroad_recomputed": abroad_recomputed, "abroad_stated": abroad_stated},
        index=["zo-drenthe", "zo-brabant"][: len(abroad_recomputed)],
    )


def test_hq_mismatch_text_names_each_difference_or_says_none():
    assert narrative.hq_mismatch_text(_hq([], [])) == "none"
    assert narrative.hq_mismatch_text(_hq([6, 2], [5, 3])) == (
        "Zuidoost-Drenthe: the table lists 6 firms with a foreign owner or head office, the count under it says 5; "
        "Zuidoost-Brabant: the table lists 2 firms with a foreign owner or head office, the count under it says 3"
    )


def test_rd_firms_text_groups_the_firms_by_region_in_rank_order():
    # Tabel 3's marks: ASML (#1), Philips (#2) in Zuidoost-Brabant, Unilever (#9) in Rijnmond
    rd = pd.DataFrame(
        {
            "region_id": ["zo-brabant", "zo-brabant", "groot-rijnmond"],
            "firm": ["ASML", "Philips Electronics", "Unilever Nederland"],
            "rd_top60_rank": [1.0, 2.0, 9.0],
        }
    )
    assert narrative.rd_firms_text(rd) == (
        "Zuidoost-Brabant: ASML (#1), Philips Electronics (#2); Groot-Rijnmond: Unilever Nederland (#9)"
    )
    assert narrative.rd_firms_text(rd.iloc[:0]) == "none"


def test_industrial_counts_text_with_and_without_uncoded_firms():
    counts = pd.DataFrame({"industrial_count": [4, 7], "industrial_uncoded": [0, 2]}, index=["zo-drenthe", "twente"])
    assert narrative.industrial_counts_text(counts) == "Zuidoost-Drenthe 4, Twente 7 (and 2 not coded)"


def test_hq_counts_alt_names_the_differences_or_says_all_agree():
    long = pd.DataFrame(
        {
            "region": ["Twente", "Twente"],
            "measure": ["outside the region", "abroad"],
            "recomputed": [6, 4],
            "stated": [6, 4],
        }
    )
    assert narrative.hq_counts_alt(long).endswith("printed under Tabel 3. Every count agrees with the printed one.")
    long.loc[1, "recomputed"] = 5
    assert narrative.hq_counts_alt(long).endswith(
        "printed under Tabel 3. They differ for Twente abroad (counted 5, printed 4)."
    )


def test_timeline_title_and_alt_on_both_sides_of_the_year():
    dated = pd.DataFrame({"region": ["Twente", "Twente", "Rijnmond"], "founded": [2015, 2003, 2011]})
    assert narrative.timeline_title(dated, 2010) == "Most initiatives date from after 2010"
    assert narrative.timeline_title(dated, 2012) == "Most initiatives date from before 2012"  # one of three
    assert narrative.timeline_title(dated, 2011) == "Most initiatives date from after 2011"  # two of three: 2011, 2015
    assert narrative.timeline_title(dated.iloc[:2], 2010) == "Half the initiatives date from 2010 or later"
    assert narrative.timeline_alt(dated, 2010) == (
        "Timeline of the 3 organisations with a founding year, one row per region, marker shape by kind; 2 of them "
        "were founded in 2010 or later. Earliest: Rijnmond 2011; Twente 2003."
    )


def test_level_basis_and_ladder_place():
    assert narrative.level_basis("stated") == "as the report states it"
    assert narrative.level_basis("interpreted") == "as this edition reads the report's description"
    assert narrative.ladder_place(3, 1, 4, "A note.") == (
        "its place on the report's ladder is 3 (1 = least advanced, 4 = the top). A note."
    )


# region_cooperation, as this edition reads chapter 4, point 3 (data/region_cooperation.csv)
COOPERATION = pd.DataFrame(
    {
        "region_id": ["zo-drenthe", "twente", "zo-brabant"],
        "level": [2, 3, 3],
        "level_low": [2, 3, 3],
        "level_high": [3, 4, 3],
        "ladder_position": [1, 3, 4],
        "autonomy_to_centre": [1, 3, 4],
        "agenda_breadth": [2, 3, 4],
    }
)


def test_uncertain_levels_names_the_ranges_or_is_empty():
    assert narrative.uncertain_levels(COOPERATION) == (
        "The reading is uncertain for Zuidoost-Drenthe (levels 2 to 3); Twente (levels 3 to 4)."
    )
    assert narrative.uncertain_levels(COOPERATION.iloc[2:]) == ""


def test_cooperation_labels_and_alt():
    points = COOPERATION.set_index("region_id")
    labels = narrative.cooperation_labels(points)
    assert labels["twente"] == "Twente\n(level 3 (3 to 4), ladder 3)"
    assert labels["zo-brabant"] == "Zuidoost-Brabant\n(level 3, ladder 4)"
    assert narrative.cooperation_alt(points.iloc[::-1]) == (
        "Scatter of the Dutch regions on two axes, autonomy handed to a shared centre and breadth of the agenda: "
        "Zuidoost-Drenthe at autonomy 1 and breadth 2, level 2 (2 to 3); Twente at autonomy 3 and breadth 3, level 3 "
        "(3 to 4); Zuidoost-Brabant at autonomy 4 and breadth 4, level 3."
    )


def test_vocational_focus_paragraph_for_a_case_study_and_for_a_german_region():
    assert narrative.vocational_focus_paragraph("zo-drenthe", "Firms are valued clients.", 3) == (
        "The report's assessment of Zuidoost-Drenthe: Firms are valued clients. Of its ten largest employers, 3 have "
        "their head office in the region (Tabel 3, counted)."
    )
    # chapter 5: Emsland is paired with Zuidoost-Drenthe
    assert narrative.vocational_focus_paragraph("emsland", None, 7) == (
        "Landkreis Emsland is not one of chapter 4's case studies; the report describes it in chapter 5, where it "
        "plays the role of a case study, and pairs it with Zuidoost-Drenthe."
    )


# --- Germany's figures and case studies, the report's pairings (chapter 5) --------------------------------------------


def test_copied_figures_and_counts_printed_or_empty():
    # Tabel 4 against Tabel 2: Emsland 13 establishments per km2 as Zuidoost-Drenthe, Bremen 1086 as Twente
    copied = pd.DataFrame(
        {
            "region": ["emsland", "bremen"],
            "source_region": ["zo-drenthe", "twente"],
            "indicator": ["establishments_per_km2", "establishments_per_100k_labour_force"],
            "value": [13.0, 1086.0],
        }
    )
    assert narrative.copied_figures(copied) == [
        "Landkreis Emsland 13 as Zuidoost-Drenthe",
        f"Bremen 1{NNBSP}086 as Twente",
    ]
    assert narrative.copied_figures(copied.iloc[:0]) == []
    assert narrative.count_or_empty(float("nan")) == "empty"
    assert narrative.count_or_empty(2.0) == "2"


def test_head_office_sentence_with_a_printed_and_an_empty_count():
    # Tabel 5: Emsland 2 outside (printed 2), 1 abroad (printed 1); Bremen 2 outside (printed: empty), 1 abroad
    hq = pd.DataFrame(
        {
            "outside_region_recomputed": [2, 2],
            "outside_region_stated": [2.0, float("nan")],
            "abroad_recomputed": [1, 1],
            "abroad_stated": [1.0, 1.0],
        },
        index=["emsland", "bremen"],
    )
    text = narrative.head_office_sentence(hq, pd.Series({"emsland": 8, "bremen": 8}), {"emsland": 8.0, "bremen": 9.0})
    assert text == (
        "Landkreis Emsland: 8 of the ten have their head office in the region (the text says 8), 2 outside it "
        "(printed: 2), 1 abroad (printed: 1); Bremen: 8 of the ten have their head office in the region (the text "
        "says 9), 2 outside it (printed: empty), 1 abroad (printed: 1)"
    )


def test_chapter_5_alt_texts():
    # chapter 5: 41.000 vacant places, 20.700 applicants, 103,7 places per 100
    market = pd.DataFrame(
        {"figure": ["vacant training places", "applicants without a place"], "count": [41000.0, 20700.0]}
    )
    assert narrative.market_alt(market, 103.7) == (
        f"Two bar charts of the German apprenticeship market in 2015: 41{NNBSP}000 vacant training places, "
        f"20{NNBSP}700 applicants without a place; 103.7 places were offered per 100 applicants."
    )
    education = pd.DataFrame(
        {
            "country": ["Germany", "Germany", "Netherlands"],
            "level": ["low", "high", "low"],
            "share_percent": [20.0, 24.0, 31.0],
        }
    )
    assert narrative.education_alt(education) == (
        "Grouped bars of the population by level of education: Germany low 20%, high 24%; Netherlands low 31%."
    )


def test_germany_focus_lesson_for_a_german_region_a_paired_dutch_one_and_an_unpaired_one():
    emsland = narrative.germany_focus_lesson("emsland")
    assert emsland == (
        "Landkreis Emsland is one of the report's two German case studies (highlighted above); the "
        "report compares it with Zuidoost-Drenthe. In its words: " + content.case_study_text("emsland", "initiative")
    )
    # chapter 5: Emsland 'zou door zijn ligging in de periferie ... vergelijkbaar kunnen zijn met Zuidoost-Drenthe'
    assert narrative.germany_focus_lesson("zo-drenthe") == (
        "The report compares Zuidoost-Drenthe with Landkreis Emsland: Emsland is the district (Landkreis) of "
        "Niedersachsen that borders the Dutch provinces of Groningen and Drenthe; by its peripheral location it "
        "could be compared with Zuidoost-Drenthe."
    )
    assert narrative.germany_focus_lesson("twente").startswith(
        "The report pairs no German region with Twente; its lessons for every Dutch region are the ones above:"
    )


def _distances():
    ids = ["zo-drenthe", "twente", "emsland", "bremen"]
    values = [[0.0, 0.3, 0.5, 0.6], [0.3, 0.0, 0.4, 0.7], [0.5, 0.4, 0.0, 0.8], [0.6, 0.7, 0.8, 0.0]]
    return pd.DataFrame(values, index=ids, columns=ids)


def test_similarity_title_and_alt():
    d = _distances()
    assert narrative.nearest_profiles_title(d, ["emsland", "bremen"]) == (
        "Nearest sector profile: Landkreis Emsland: Twente (0.40); Bremen: Zuidoost-Drenthe (0.60)"
    )
    assert narrative.similarity_alt(d, ["emsland", "bremen"]) == (
        "Heatmap of the Krugman distances between the 4 regions' sector profiles, above a dendrogram of their "
        "clustering. The closest pair is Zuidoost-Drenthe and Twente (0.30), the farthest Landkreis Emsland and "
        "Bremen (0.80). Landkreis Emsland is nearest to Twente; Bremen is nearest to Zuidoost-Drenthe."
    )


def _pairing_row(rank: int, p: float, nearest: str, region="emsland", partner="zo-drenthe"):
    return SimpleNamespace(
        region=region,
        paired_with=partner,
        rank_of_partner=rank,
        comparison_regions=5,
        nearest=nearest,
        distance=0.46892,
        mean_distance_to_others=0.49220,
        smallest_attainable_p=0.2,
        p_value=p,
        verdict="the data cannot confirm or refute the pairing at this level",
    )


def test_pairing_sentence_when_the_partner_is_nearest_and_when_it_is_not():
    assert narrative.pairing_sentence(_pairing_row(3, 0.6, "twente")) == (
        "Landkreis Emsland's profile is not closest to Zuidoost-Drenthe's (rank 3 of 5; nearest: Twente), distance "
        "0.469 against 0.492 on average to the others. With 5 comparison regions an exact test of whole regions "
        "cannot give p below 0.20; here p = 0.600, so the data cannot confirm or refute the pairing at this level."
    )
    closest = narrative.pairing_sentence(_pairing_row(1, 0.2, "groot-rijnmond", "bremen", "groot-rijnmond"))
    assert closest.startswith("Bremen's profile is closest to Groot-Rijnmond's (rank 1 of 5; nearest: Groot-Rijnmond)")
    assert "here p = 0.200, so" in closest
    rows = pd.DataFrame(
        [vars(_pairing_row(3, 0.6, "twente")), vars(_pairing_row(1, 0.2, "groot-rijnmond", "bremen", "groot-rijnmond"))]
    )
    answer = narrative.pairing_answer(rows)
    assert answer == narrative.pairing_sentence(_pairing_row(3, 0.6, "twente")) + " " + closest


def test_focus_pairing_sentence_with_and_without_a_partner():
    d = _distances()
    assert narrative.focus_pairing_sentence("zo-drenthe", d) == (
        "The report suggests Zuidoost-Drenthe could be comparable with Landkreis Emsland (both in the periphery of "
        "their country, chapter 5); their sector profiles are 0.500 apart in Krugman distance, and "
        "Zuidoost-Drenthe's nearest profile is Twente's."
    )
    assert narrative.focus_pairing_sentence("twente", d) == (
        "The report pairs no German region with Twente; its nearest sector profile among the six is "
        "Zuidoost-Drenthe's (distance 0.300)."
    )


# --- the lessons and the illustrative scorecard (chapter 6) -----------------------------------------------------------


INITIATIVE = "Government and vocational education lead. Firms follow. More follows."


def test_the_outlook_focus_lesson_of_a_dutch_region_gives_the_reports_argument_and_chapter_4():
    assert narrative.outlook_focus_lesson("Twente", True, INITIATIVE) == (
        "The less business organises itself, the report argues, the more vocational education and government must "
        "lead. For Twente, the report's chapter 4 says: Government and vocational education lead."
    )


def test_the_outlook_focus_lesson_of_a_german_region_cites_chapter_5():
    assert narrative.outlook_focus_lesson("Bremen", False, INITIATIVE) == (
        "Bremen is one of the German regions the lessons are drawn from. The report's chapter 5 says: Government and "
        "vocational education lead."
    )


def test_the_outlook_focus_lesson_quotes_a_one_sentence_text_whole():
    assert narrative.outlook_focus_lesson("Twente", True, "One sentence only.").endswith("says: One sentence only.")


def test_weights_read_in_words_with_the_decimals_they_were_given():
    words = {"industry_share": "manufacturing share", "unemployment": "unemployment"}
    weights = {"industry_share": 1.0, "unemployment": 0.25, "hq_in_region": 2000}
    assert narrative.weights_phrase(weights, words) == (
        "manufacturing share 1, unemployment 0.25, hq in region 2\u202f000"
    )


RANKS = pd.Series({"emsland": 1, "zo-brabant": 2, "twente": 3, "zo-drenthe": 6})


def test_first_and_focus_when_another_region_leads():
    assert narrative.first_and_focus(RANKS, "twente") == "Landkreis Emsland ranks first and Twente 3"


def test_first_and_focus_when_the_focus_region_leads():
    assert narrative.first_and_focus(RANKS, "emsland") == "Landkreis Emsland ranks first"


def test_scorecard_alt_states_the_ranking_and_the_steadiest_ranks():
    score = pd.Series({"emsland": 0.781, "twente": 0.1, "zo-drenthe": -0.934})
    same = pd.Series({"emsland": 0.4, "twente": 0.19, "zo-drenthe": 0.87})
    assert narrative.scorecard_alt(score, same) == (
        "Two bar charts. Top: the composite score ranks Landkreis Emsland, Twente, Zuidoost-Drenthe, from 0.78 down "
        "to \u22120.93. Bottom: under random weights Zuidoost-Drenthe keeps its rank most often (87% of draws) and "
        "Twente least often (19%)."
    )


def test_the_manufacturing_note_names_each_region_whose_two_tables_differ():
    # Tabel 2: 'Aandeel industrie in de werkgelegenheid' ZO Drenthe 18; Tabel 1.1: C 9 of 60.0 thousand = 15.0%
    note = narrative.manufacturing_note({"zo-drenthe": {"tabel_2": 18.0, "tabel_1_1": 15.0}})
    assert note == (
        "Note: Zuidoost-Drenthe's manufacturing share is 18% of employment in Tabel 2 (and in chapter 4's "
        "text) but 15.0% of employees computed from Tabel 1.1 (December 2013); the report does not say "
        "which source or definition each uses, and this table uses Tabel 1.1."
    )
    # Rijnmond: Tabel 2 '7', Tabel 1.1: 47.5 / 637.3 = 7.45%
    two = narrative.manufacturing_note(
        {
            "zo-drenthe": {"tabel_2": 18.0, "tabel_1_1": 15.0},
            "groot-rijnmond": {"tabel_2": 7.0, "tabel_1_1": 47.5 / 637.3 * 100},
        }
    )
    assert two.startswith(note + " Note: Groot-Rijnmond's manufacturing share is 7% of employment")
    assert "but 7.5% of employees" in two


def test_the_manufacturing_note_when_the_tables_agree():
    assert narrative.manufacturing_note({}) == (
        "Tabel 2's manufacturing shares and those computed from Tabel 1.1 agree within a point for the four Dutch "
        "regions."
    )


# --- appendices: the report's tables and the audit --------------------------------------------------------------------


def test_sector_composition_alt_names_each_areas_largest_sector():
    shares = pd.DataFrame({"C": [15.0, 7.45], "Q": [20.3, 16.4]}, index=["zo-drenthe", "groot-rijnmond"])
    assert narrative.sector_composition_alt(shares, {"C": "Manufacturing", "Q": "Human health"}) == (
        "Grouped bars of the 2 sections' shares of employees in 2 areas. The largest sector of each area: "
        "Zuidoost-Drenthe Human health (20%); Groot-Rijnmond Human health (16%)."
    )


def _reconciliation(rows):
    return pd.DataFrame(rows, columns=["region_id", "low", "high", "stated", "difference"])


def test_industrial_counts_that_match_the_coding():
    rec = _reconciliation([("twente", 6, 7, 7, 0), ("zo-drenthe", 4, 4, 4, 0)])
    assert narrative.industrial_mismatch(rec) == "The report's counts match this book's coding."


@pytest.mark.parametrize("high, coded", [(3, "3"), (4, "3 to 4")])
def test_industrial_counts_that_the_coding_cannot_hold(high, coded):
    rec = _reconciliation([("twente", 6, 7, 7, 0), ("zo-brabant", 3, high, 6, 6 - high)])
    assert narrative.industrial_mismatch(rec) == (
        "The report's counts cannot all be matched to this book's coding: Zuidoost-Brabant would need 6 industrial "
        f"firms where this book codes {coded}."
    )


# --- a region from a region file, and the front page ------------------------------------------------------------------


def _user_comparison(manufacturing=None):
    """A region file's comparison with round numbers (a stand-in for user_region.Comparison)."""
    region = SimpleNamespace(
        id="mine",
        name="My region",
        reference_id="nl",
        source="test source",
        reference_year=2013,
        reference_label="the Netherlands (the report's Tabel 1.1)",
    )
    structure = pd.DataFrame(
        {"krugman": [0.30, 0.25, 0.20, 0.35, 0.60, 0.40, 0.123456]}, index=[*regions.STUDY_REGIONS, "mine"]
    )
    distances = pd.Series(
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
        index=["twente", "zo-drenthe", "zo-brabant", "groot-rijnmond", "bremen", "emsland"],
    )
    return SimpleNamespace(
        region=region,
        structure=structure,
        distances=distances,
        manufacturing=manufacturing,
        labels=pd.Series({"C": "Manufacturing", "K": "Finance"}),
        nearest="twente",
    )


def test_user_manufacturing_sentence_with_without_reference_and_without_manufacturing():
    with_ref = pd.DataFrame({"share_percent": [15.0, 10.0], "lq": [1.5, 1.0]}, index=["mine", "nl"])
    assert narrative.user_manufacturing_sentence(_user_comparison(with_ref)) == (
        "Manufacturing (C, part of B-E) employs 15.0% of My region's employees against 10.0% in its reference "
        "(LQ 1.50)."
    )
    no_ref = pd.DataFrame({"share_percent": [15.0, float("nan")], "lq": [float("nan")] * 2}, index=["mine", "nl"])
    assert narrative.user_manufacturing_sentence(_user_comparison(no_ref)) == (
        "Manufacturing (C, part of B-E) employs 15.0% of My region's employees."
    )
    assert narrative.user_manufacturing_sentence(_user_comparison(None)) == ""


def test_user_structure_paragraph_with_and_without_manufacturing():
    top = pd.DataFrame({"lq": [2.0], "share_percent": [6.0], "reference_share_percent": [3.0]}, index=["K"])
    plain = narrative.user_structure_paragraph(_user_comparison(), top, "Compared at the level of sections.")
    assert plain == (
        "My region (from a region file: test source, 2013) has a Krugman index of 0.123 against the Netherlands (the "
        "report's Tabel 1.1); the report's six regions range from 0.200 to 0.600 at this level. Its strongest "
        "specialisations: K Finance (LQ 2.00, 6.0% against 3.0%). Its nearest sector profiles among the report's "
        "regions are Twente (0.100) and Zuidoost-Drenthe (0.200). Compared at the level of sections."
    )
    m = pd.DataFrame({"share_percent": [15.0, 10.0], "lq": [1.5, 1.0]}, index=["mine", "nl"])
    with_m = narrative.user_structure_paragraph(_user_comparison(m), top, "Compared.")
    assert with_m.endswith(
        "Zuidoost-Drenthe (0.200). Manufacturing (C, part of B-E) employs 15.0% of My region's "
        "employees against 10.0% in its reference (LQ 1.50). Compared."
    )


def test_user_pairing_paragraph():
    result = SimpleNamespace(
        p_value=1 / 6, assumptions={"verdict": "the data cannot confirm or refute the pairing at this level"}
    )
    text = narrative.user_pairing_paragraph(_user_comparison(), result, "Compared at the level of sections.")
    # distances 0.1 (nearest) and 0.2 ... 0.6: mean of the other five (0.2 + 0.3 + 0.4 + 0.5 + 0.6) / 5 = 0.4
    assert text == (
        "My region's nearest sector profile among the report's six regions is Twente's (Krugman distance 0.100; the "
        "mean distance to the other five is 0.400). The report pairs no region with it; the pairing test above, "
        "applied to this nearest region, gives p = 0.167: the data cannot confirm or refute the pairing at this "
        "level. The report has no case study for My region, so the German lessons reach it only through Twente. "
        "Compared at the level of sections."
    )


def test_user_region_build_names_the_region_and_its_stand_in():
    text = narrative.user_region_build("Rest of the Netherlands", "CBS StatLine", 2022, "twente", "Caveat one.")
    assert text == (
        "This build is for Rest of the Netherlands, a region from a region file (CBS StatLine, 2022), not "
        "one of the report's. Chapters 1, 3 and 5 and appendix A set it beside the report's six regions; "
        "the chapters built on the report's own evidence highlight Twente, the report region whose sector "
        "profile is nearest. Caveat one."
    )


def test_locator_map_alt_places_each_marker():
    places = pd.DataFrame(
        {"place": ["Emmen", "Enschede"], "lat": [52.785, 52.22], "lon": [6.897, 6.89]}, index=["zo-drenthe", "twente"]
    )
    assert narrative.locator_map_alt(places) == (
        "Map of the Netherlands and north-western Germany with a marker per region: Zuidoost-Drenthe at Emmen "
        "(52.8° N, 6.9° E); Twente at Enschede (52.2° N, 6.9° E)."
    )
