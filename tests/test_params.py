"""The book's parameters: every value validation admits is one every chapter can compute with (property tests over
each numeric parameter's admitted range, running the library functions the chapters call with it), and every
message repeats a bad value as the user typed it, at most about 80 characters of it (issue 28, items 6 and 8)."""

from __future__ import annotations

import math
import os
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import audit, derived, indices, numbers, params, regions, stats, synthetic
from regbook import cli
from tests.conftest import use_build_dir

#: Examples per property test (REGBOOK_PROPERTY_EXAMPLES lowers it, as for the other property tests).
EXAMPLES = int(os.environ.get("REGBOOK_PROPERTY_EXAMPLES", "25"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LARGEST = sys.float_info.max
SHOWN_START = params.SHOWN_CHARACTERS - 1  # characters of a long value a message repeats before its ellipsis
INDICATORS = params.SCORECARD_INDICATORS
#: Each numeric parameter's admitted range, as a strategy (its edges are examples of their own below).
ADMITTED = {
    "alpha": st.floats(params.MIN_ALPHA, 0.5, exclude_max=True),
    "assumed_sample_size": st.integers(params.MIN_SAMPLE_SIZE, params.MAX_SAMPLE_SIZE),
    "seed": st.integers(0, 2**32 - 1),
    "scorecard_weights": st.dictionaries(
        st.sampled_from(INDICATORS),
        st.one_of(st.just(0.0), st.floats(0, LARGEST, allow_subnormal=True), st.sampled_from([5e-324, LARGEST])),
        min_size=1,
    ).filter(lambda w: any(v > 0 for v in w.values())),
}


def test_every_numeric_parameter_has_its_admitted_range_tested():
    numeric = {name for name, p in params.PARAMETERS.items() if p.type in ("float", "int", "weights")}
    assert set(ADMITTED) == numeric


# --- what the chapters compute with them ----------------------------------------------------------------------------

DUTCH = list(regions.DUTCH_REGIONS)
TABEL_1 = (
    derived.data.load("occupational_dynamics")
    .pivot(index="region_id", columns="measure", values="share_percent")
    .loc[DUTCH]
)
BLOCKS = {
    "status_2014": pd.DataFrame({"no_job": TABEL_1["no_job"], "job": 100 - TABEL_1["no_job"]}),
    "occupation_2014": TABEL_1[["same_occupation_same_employer", "same_occupation_other_employer", "other_occupation"]],
    "level_2014": TABEL_1[["equal_level", "higher_level", "lower_level"]],
}
COHORT = synthetic.synthetic_cohort(200, seed=1)


def _reading_shares(reading) -> pd.Series:
    part = BLOCKS[reading["block"]]
    return part[reading["measures"]].sum(axis=1) / part.sum(axis=1) * 100


def _scorecard_indicators() -> pd.DataFrame:
    """Chapter 6's scorecard inputs, computed as the chapter computes them."""
    study = list(regions.STUDY_REGIONS)
    shares = indices.sector_shares(derived.employment())
    counts = derived.employer_counts()
    cooperation = derived.data.load("region_cooperation").set_index("region_id")
    return pd.DataFrame(
        {
            "industry_share": shares.loc[study, "C"],
            "higher_educated": [derived.key_figure(r, "share_higher_educated_labour_force") for r in study],
            "unemployment": [derived.key_figure(r, "unemployment") for r in study],
            "population_growth": [derived.key_figure(r, "population_growth") for r in study],
            "hq_in_region": counts.loc[study, "hq_in_region"].astype(float),
            "cooperation_level": cooperation.loc[study, "level"].astype(float),
        },
        index=study,
    )


SCORECARD = _scorecard_indicators()


def _is_count(value) -> bool:
    return value is None or (isinstance(value, (int, np.integer)) and value >= 1)


def _finite(*values) -> bool:
    return all(math.isfinite(float(v)) for v in np.ravel(values))


@PROPERTY
@given(ADMITTED["alpha"])
@example(params.MIN_ALPHA)
@example(math.nextafter(0.5, 0))
def test_every_admitted_alpha_computes_in_chapters_1_2_and_5(alpha):
    alpha = params.validate({"alpha": repr(alpha)})["alpha"]  # as typed on the command line
    for block, shares in BLOCKS.items():  # chapter 2: the smallest n of each test, and its rounding range
        assert _is_count(stats.smallest_significant_sample_size(shares, alpha))
        spread = stats.rounding_range(
            shares, 1000, alpha, n_draws=10, seed=1, complement="job" if block == "status_2014" else None
        )
        assert _is_count(spread["n_min_low"]) and _is_count(spread["n_min_high"])
    for _, reading in audit.tabel_1_readings().iterrows():
        assert _is_count(
            stats.smallest_n_for_extreme(_reading_shares(reading), reading["region_id"], reading["direction"], alpha)
        )
    wilson = stats.wilson_table(TABEL_1["no_job"], 1000, alpha)
    assert _finite(wilson[["ci_low", "ci_high"]]) and (wilson["ci_low"] <= wilson["ci_high"]).all()
    assert stats.pairwise_proportions(TABEL_1["no_job"], 1000, alpha=alpha)["reject"].isin([True, False]).all()
    survival, _ = stats.kaplan_meier(COHORT["duration_years"], COHORT["occupation_ended"], horizon=30, alpha=alpha)
    assert _finite(survival[["ci_low", "ci_high"]])
    trends = derived.foreign_control_trends(alpha)  # chapter 1
    assert _finite(trends[["trend_ci_low", "trend_ci_high"]].dropna())
    mat = derived.employment().loc[list(regions.STUDY_REGIONS)]  # chapter 5
    for region, candidate, _ in regions.PAIRINGS:
        assert 0 < stats.profile_pairing_test(mat, region, candidate, alpha=alpha).p_value <= 1
    level = numbers.confidence_level(alpha)  # the intervals' level in the prose, exactly
    assert float(level.rstrip("%")) == pytest.approx(100 * (1 - alpha), abs=1e-6)


@PROPERTY
@given(ADMITTED["assumed_sample_size"])
@example(params.MIN_SAMPLE_SIZE)
@example(params.MAX_SAMPLE_SIZE)
def test_every_admitted_sample_size_computes_in_chapter_2(n):
    n = params.validate({"assumed_sample_size": str(n)})["assumed_sample_size"]
    sizes = derived.tabel1_block_sizes(n)
    for block, shares in BLOCKS.items():
        result = stats.homogeneity_test(shares, sizes[block])
        assert _finite(result.statistic, result.effect_size) and 0 <= result.p_value <= 1
    for _, reading in audit.tabel_1_readings().iterrows():
        test = stats.extreme_region_test(
            _reading_shares(reading), reading["region_id"], reading["direction"], sizes[reading["block"]], 0.05
        )
        assert 0 <= test.p_value <= 1
    pairs = stats.pairwise_proportions(TABEL_1["no_job"], n)
    assert ((pairs["p_value"] >= 0) & (pairs["p_value"] <= 1)).all()
    assert _finite(stats.wilson_table(TABEL_1["no_job"], n)[["ci_low", "ci_high"]])


@PROPERTY
@given(ADMITTED["seed"])
@example(0)
@example(2**32 - 1)
def test_every_admitted_seed_computes_in_chapters_2_and_6(seed):
    seed = params.validate({"seed": str(seed)})["seed"]
    stats.validate_cohort(synthetic.synthetic_cohort(100, seed=seed))
    spread = stats.rounding_range(BLOCKS["level_2014"], 1000, 0.05, n_draws=10, seed=seed)
    assert 0 <= spread["p_low"] <= spread["p_high"] <= 1
    stability = stats.rank_stability(SCORECARD, {"unemployment": -1}, n_draws=20, seed=seed)
    assert stability["share_same_rank"].between(0, 1).all()


@PROPERTY
@given(ADMITTED["scorecard_weights"])
@example({"unemployment": 1e308, "hq_in_region": 1e308})  # their sum overflows: chapter 6 crashed (issue 28)
@example({"industry_share": 5e-324})
@example(dict.fromkeys(INDICATORS, LARGEST))
def test_every_admitted_weighting_computes_the_scorecard_of_chapter_6(weights):
    weights = params.validate({"scorecard_weights": weights})["scorecard_weights"]
    score = stats.composite_index(SCORECARD, weights, {"unemployment": -1})
    assert _finite(score["score"]) and sorted(score["rank"]) == sorted(score["rank"].astype(int))
    assert score["rank"].min() == 1 and score["rank"].max() <= len(SCORECARD)
    stability = stats.rank_stability(SCORECARD, {"unemployment": -1}, n_draws=20, base_weights=weights)
    assert stability["base_rank"].tolist() == score["rank"].tolist()


def test_only_the_ratios_of_the_weights_matter():
    """Scaling every weight by one factor (up to the largest number there is) changes no score."""
    base = {"industry_share": 1.0, "unemployment": 2.0, "hq_in_region": 0.5}
    expected = stats.composite_index(SCORECARD, {**dict.fromkeys(INDICATORS, 0.0), **base}, {"unemployment": -1})
    for factor in (1e-300, 1e300, LARGEST / 2):
        scaled = {**dict.fromkeys(INDICATORS, 0.0), **{k: v * factor for k, v in base.items()}}
        got = stats.composite_index(SCORECARD, scaled, {"unemployment": -1})
        assert got["score"].to_numpy() == pytest.approx(expected["score"].to_numpy(), rel=1e-12)


@pytest.mark.parametrize(
    "name, typed, message",
    [
        ("alpha", "1e-320", "'alpha': 1e-320 is out of range; must be at least 0.001 and below 0.5"),  # issue 28
        ("alpha", "0.0009", "'alpha': 0.0009 is out of range"),
        ("alpha", "nan", "'alpha': nan is not a finite number"),
        (
            "scorecard_weights",
            '{"unemployment": -0.0001}',
            "the weight of unemployment must not be negative, got -0.0001",
        ),
        ("scorecard_weights", '{"unemployment": 0, "hq_in_region": 0.0}', "at least one weight must be positive"),
        (
            "scorecard_weights",
            '{"unemployment": 2e308}',
            "the weight of unemployment must be a finite number, got 2e308",
        ),
    ],
)
def test_values_no_chapter_can_use_are_refused_in_the_users_words(name, typed, message):
    with pytest.raises(params.ParameterError) as err:
        params.validate({name: typed})
    assert message in str(err.value)


@pytest.mark.processes
def test_a_cohort_file_whose_rows_chapter_2_cannot_use_is_refused(tmp_path):
    cohort = synthetic.synthetic_cohort(1000, seed=3)
    cases = {
        "zero.csv": (cohort.assign(duration_years=0.0), "duration_years must be a positive number in every row"),
        "twice.csv": (cohort.assign(person_id=1), "person_id is not unique"),
        "one.csv": (
            cohort.assign(outcome="lower"),
            "every row has the outcome 'lower'; chapter 2 models career "
            "outcomes, which needs at least two different ones",
        ),
    }
    for file, (frame, message) in cases.items():
        frame.to_csv(tmp_path / file, index=False)
        with pytest.raises(params.ParameterError, match="cohort_path") as err:
            params.validate({"cohort_path": str(tmp_path / file)})
        assert f"{tmp_path / file}: " in str(err.value) and message in str(err.value)
    # an outcome no one in the file had is a predicted share of 0, as chapter 2 shows it
    few = cohort[cohort["outcome"] != "unemployed"]
    few.to_csv(tmp_path / "few.csv", index=False)
    assert params.validate({"cohort_path": str(tmp_path / "few.csv")})["cohort_path"] == str(tmp_path / "few.csv")
    probs, _ = stats.career_outcomes_model(few)
    assert "unemployed" not in probs and probs.reindex(columns=list(stats.OUTCOMES), fill_value=0.0).notna().all().all()


# --- messages in the user's words (item 6) --------------------------------------------------------------------------


def _error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err and len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["-p", "alpha", "NaN"], "parameter 'alpha': NaN is not a finite number"),
        (["-p", "alpha", "-7"], "parameter 'alpha': -7 is out of range"),
        (["-p", "seed", "2.50"], "parameter 'seed': expected an integer, got 2.50"),
        (["-p", "assumed_sample_size", "3e7"], "parameter 'assumed_sample_size': 3e7 is out of range"),
        (["-p", "assumed_sample_size", "true"], "parameter 'assumed_sample_size': expected an integer, got 'true'"),
        (["-p", "scorecard_weights", '{"unemployment": 1E400}'], "must be a finite number, got 1E400"),
        (["-p", "compare_regions", "twente"], "expected a list of at least two region ids, got 'twente'"),
        # rich's markup and emoji codes are text in a message: [/] used to end the command with a MarkupError traceback
        (["-p", "reference_rule", "[/]"], "parameter 'reference_rule': got '[/]'; valid: national, pooled"),
        (["-p", "reference_rule", "[bold]x[/bold] :fire:"], "got '[bold]x[/bold] :fire:'; valid"),
        (["-p", "focus_region", "a\x1b[31mred\nline"], "unknown region 'a\\x1b[31mred\\nline'"),  # one line, no colour
    ],
)
@pytest.mark.processes
def test_a_bad_value_is_repeated_as_typed(argv, message, tmp_path, monkeypatch, capsys):
    use_build_dir(monkeypatch, tmp_path / "_build")
    assert cli.main(["build", *argv]) == 2
    assert message in _error_line(capsys)
    assert not (tmp_path / "_build").exists()


@pytest.mark.processes
@pytest.mark.parametrize("name", ["focus_region", "alpha", "scorecard_weights", "compare_regions", "reference_rule"])
def test_a_long_value_is_repeated_at_most_80_characters(name, tmp_path, monkeypatch, capsys):
    use_build_dir(monkeypatch, tmp_path / "_build")
    typed = "\u05d0" + "<b>{{ x }}</b>%\\\u200f" * 10_000  # Hebrew, markup, right-to-left marks
    assert cli.main(["build", "-p", name, typed]) == 2
    line = _error_line(capsys)
    assert f"({len(typed)} characters)" in line
    assert len(line) < 80 + 250, line  # the value's 80 characters, the message's own words and the valid choices
    assert typed[:17] + "\\u200f" + typed[18:30] in line  # the value's start as typed, the mark escaped


@pytest.mark.processes
@pytest.mark.parametrize("name", ["cohort_path", "region_file"])
def test_a_long_path_is_repeated_at_most_80_characters(name, tmp_path, monkeypatch, capsys):
    """The messages about a file (helpers.user_files, helpers.region_file) name its path; a path typed as a -p value
    is cut like any other value."""
    use_build_dir(monkeypatch, tmp_path / "_build")
    typed = str(tmp_path / ("folder/" * 40) / "cohort.csv")
    assert cli.main(["build", "-p", name, typed]) == 2
    line = _error_line(capsys)
    assert f"{typed[:SHOWN_START]}\u2026 ({len(typed)} characters)" in line and "not found" in line, line
    assert len(line) < 80 + 250, line


def test_values_from_python_are_shown_as_python_writes_them_never_as_numpy_reprs():
    for value, shown in ((np.float64(-5.0), "-5.0"), (np.int64(-3), "-3"), (np.float32(0.75), "0.75")):
        with pytest.raises(params.ParameterError) as err:
            params.validate({"alpha": value})
        assert f"'alpha': {shown} is out of range" in str(err.value) and "np." not in str(err.value)
    assert params.validate({"seed": np.int64(7), "alpha": np.float64(0.01)})["seed"] == 7  # numpy numbers are numbers
    with pytest.raises(params.ParameterError, match=r"got a list \[1, 2\]; valid"):
        params.validate({"focus_region": [1, 2]})
