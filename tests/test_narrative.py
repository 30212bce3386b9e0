"""The sentences and phrases that branch on the data (helpers.narrative), each branch with its expected words."""

# --- chapter 6, appendices A and B

import pandas as pd
import pytest

from helpers import narrative


def test_or_list_joins_alternatives_as_the_prose_does():
    # chapter 4: 'tegenover 4, 6 of 7 in de andere regio's'
    assert narrative.or_list([4, 6, 7]) == "4, 6 or 7"
    assert narrative.or_list([4, 6]) == "4 or 6"
    assert narrative.or_list([4]) == "4"


def test_values_by_area_names_each_area_in_the_books_number_format():
    # Tabel 1.1's column totals: Zuidoost-Drenthe 60.0, the Netherlands 7 701.1 (thousands)
    totals = pd.Series({"zo-drenthe": 60.0, "nl": 7701.1, "de": -0.04})
    assert narrative.values_by_area(totals) == "Zuidoost-Drenthe 60.0, Netherlands 7\u202f701.1, Germany 0.0"
    assert narrative.values_by_area(pd.Series({"twente": 271.25}), decimals=2) == "Twente 271.25"


INITIATIVE = "Government and vocational education lead. Firms follow. More follows."


def test_the_focus_lesson_of_a_dutch_region_gives_the_reports_argument_and_chapter_4():
    assert narrative.focus_lesson("Twente", True, INITIATIVE) == (
        "The less business organises itself, the report argues, the more vocational education and government must "
        "lead. For Twente, the report's chapter 4 says: Government and vocational education lead.")


def test_the_focus_lesson_of_a_german_region_cites_chapter_5():
    assert narrative.focus_lesson("Bremen", False, INITIATIVE) == (
        "Bremen is one of the German regions the lessons are drawn from. The report's chapter 5 says: Government and "
        "vocational education lead.")


def test_the_focus_lesson_quotes_a_one_sentence_text_whole():
    assert narrative.focus_lesson("Twente", True, "One sentence only.").endswith("says: One sentence only.")


def test_weights_read_in_words_with_the_decimals_they_were_given():
    words = {"industry_share": "manufacturing share", "unemployment": "unemployment"}
    weights = {"industry_share": 1.0, "unemployment": 0.25, "hq_in_region": 2000}
    assert narrative.weights_phrase(weights, words) == (
        "manufacturing share 1, unemployment 0.25, hq in region 2\u202f000")


def test_a_range_of_whole_numbers_and_a_single_one():
    assert narrative.number_range(4, 6) == "4 to 6"
    assert narrative.number_range(6, 6) == "6"


RANKS = pd.Series({"emsland": 1, "zo-brabant": 2, "twente": 3, "zo-drenthe": 6})


def test_first_and_focus_when_another_region_leads():
    assert narrative.first_and_focus(RANKS, "twente") == "Landkreis Emsland ranks first and Twente 3"


def test_first_and_focus_when_the_focus_region_leads():
    assert narrative.first_and_focus(RANKS, "emsland") == "Landkreis Emsland ranks first"


def test_the_manufacturing_note_names_each_region_whose_two_tables_differ():
    # Tabel 2: 'Aandeel industrie in de werkgelegenheid' ZO Drenthe 18; Tabel 1.1: C 9 of 60.0 thousand = 15.0%
    note = narrative.manufacturing_note({"zo-drenthe": {"tabel_2": 18.0, "tabel_1_1": 15.0}})
    assert note == ("Note: Zuidoost-Drenthe's manufacturing share is 18% of employment in Tabel 2 (and in chapter 4's "
                    "text) but 15.0% of employees computed from Tabel 1.1 (December 2013); the report does not say "
                    "which source or definition each uses, and this table uses Tabel 1.1.")
    # Rijnmond: Tabel 2 '7', Tabel 1.1: 47.5 / 637.3 = 7.45%
    two = narrative.manufacturing_note({"zo-drenthe": {"tabel_2": 18.0, "tabel_1_1": 15.0},
                                        "groot-rijnmond": {"tabel_2": 7.0, "tabel_1_1": 47.5 / 637.3 * 100}})
    assert two.startswith(note + " Note: Groot-Rijnmond's manufacturing share is 7% of employment")
    assert "but 7.5% of employees" in two


def test_the_manufacturing_note_when_the_tables_agree():
    assert narrative.manufacturing_note({}) == (
        "Tabel 2's manufacturing shares and those computed from Tabel 1.1 agree within a point for the four Dutch "
        "regions.")


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
        f"firms where this book codes {coded}.")
