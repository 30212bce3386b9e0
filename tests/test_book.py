"""Helpers chapters call: glue values for results.json, number formatting, the synthetic cohort's margins."""

import math

import numpy as np
import pandas as pd
import pytest

from helpers import book, stats, synthetic


def test_values_are_stored_as_json_numbers_and_records():
    frame = pd.DataFrame({"region": ["twente", "bremen"], "share": [14.93, np.nan]})
    assert book._jsonable(frame) == [{"region": "twente", "share": 14.93}, {"region": "bremen", "share": None}]
    assert book._jsonable(np.int64(7)) == 7 and isinstance(book._jsonable(np.float64(0.5)), float)
    assert book._jsonable({"a": pd.NA, "b": [np.bool_(True)]}) == {"a": None, "b": [True]}


def test_glue_names_are_an_ascii_interface():
    with pytest.raises(ValueError, match="lower-case ASCII"):
        book.glue("ch3 Share", 1.0)


def test_formatting_for_the_prose():
    assert book.pct(14.9254) == "14.9%"
    assert book.fmt(26934, 0) == "26\u2009934"
    assert book.fmt(float("nan")) == "–"
    assert book.pvalue(0.0004) == "p < 0.001" and book.pvalue(0.0436) == "p = 0.044"


def test_synthetic_cohort_matches_the_published_margins():
    cohort = synthetic.synthetic_cohort(20000, seed=1)
    # chapter 2: 21% + 23% of the 1984 cohort still in the same occupation after 30 years -> S(30) = 0.44
    _, summary = stats.kaplan_meier(cohort["duration_years"], cohort["occupation_ended"], horizon=30)
    assert summary["survival_at_horizon"] == pytest.approx(0.44, abs=0.015)
    # chapter 2: of the 2006 cohort 22% rose in level and 15% fell
    shares = cohort["outcome"].value_counts(normalize=True)
    assert shares["higher"] == pytest.approx(0.22, abs=0.015)
    assert shares["lower"] == pytest.approx(0.15, abs=0.015)
    # a higher programme level gives a higher chance of a higher occupation (as the report says)
    level = cohort["education"].str.extract(r"(\d)")[0].fillna("5").astype(int)
    assert cohort.loc[level == 5, "outcome"].eq("higher").mean() > cohort.loc[level == 2, "outcome"].eq("higher").mean()


def test_synthetic_cohort_is_seeded():
    pd.testing.assert_frame_equal(synthetic.synthetic_cohort(500, seed=3), synthetic.synthetic_cohort(500, seed=3))
    assert not synthetic.synthetic_cohort(500, seed=3).equals(synthetic.synthetic_cohort(500, seed=4))


def test_cohort_file_must_follow_the_schema(tmp_path):
    path = tmp_path / "cohort.csv"
    pd.DataFrame({"person_id": [1, 2], "education": ["a", "b"]}).to_csv(path, index=False)
    with pytest.raises(stats.StatsInputError, match="lack column"):
        synthetic.load_cohort(str(path))
