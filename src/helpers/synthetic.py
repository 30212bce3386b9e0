"""A seeded synthetic cohort for showing the methods of the report's Figures 4-6 (SYNTHETIC DATA).

The report's Figures 4-6 rest on UWV micro-data that are not published. This module invents a cohort whose
margins match the national figures the report does publish, so that the methods (Kaplan-Meier duration in
an occupation, a multinomial model of career outcomes by education) can be shown. Nothing computed from it
is a finding about the Netherlands; every caption that uses it says "Synthetic data".

Published margins it matches (chapter 2 of the report):
- of the 1984 cohort still working in 2014, 21% + 23% = 44% were in the same occupation after 30 years
  (same employer or another), so the share still in the starting occupation at 30 years is 0.44;
- of the 2006 cohort, 22% rose in occupational level and 15% fell within ten years.
Not published, and therefore an assumption of the synthetic data: how the remaining 63% split between the
same level and unemployment (here evenly), and how outcomes differ by programme (here: a higher level of
programme raises the chance of a higher occupation, as the report says, while the overall margins hold).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .i18n import N_
from .stats import COHORT_COLUMNS, OUTCOMES, validate_cohort

#: Share still in the starting occupation after 30 years (report: 21% + 23%).
SURVIVAL_AT_30 = 0.44
#: Outcome margins of the 2006 cohort (report: 22% higher, 15% lower; rest split evenly by assumption).
OUTCOME_MARGINS = {"higher": 0.22, "same": 0.315, "lower": 0.15, "unemployed": 0.315}
#: Ten generic programmes (the report's Figure 5 names ten common programmes but gives no values).
#: Their names are marked for translation: charts and alt texts show a programme as ``_(name)``.
PROGRAMMES = [
    (N_("mbo-2 metalwork"), 2),
    (N_("mbo-2 logistics"), 2),
    (N_("mbo-2 care"), 2),
    (N_("mbo-3 electrical"), 3),
    (N_("mbo-3 mechatronics"), 3),
    (N_("mbo-3 process operator"), 3),
    (N_("mbo-4 ICT"), 4),
    (N_("mbo-4 engineering"), 4),
    (N_("hbo engineering"), 5),
    (N_("hbo business"), 5),
]
OCCUPATION_GROUPS = ["production", "maintenance", "logistics", "process", "installation"]


def synthetic_cohort(n: int = 6000, seed: int = 2016) -> pd.DataFrame:
    """A synthetic cohort of ``n`` persons in the ``COHORT_COLUMNS`` schema (SYNTHETIC DATA, seeded)."""
    if n < 100:
        raise ValueError(f"a synthetic cohort needs at least 100 persons, got {n}")
    rng = np.random.default_rng(seed)
    programme_idx = rng.integers(0, len(PROGRAMMES), n)
    level = np.array([PROGRAMMES[i][1] for i in programme_idx], dtype=float)
    # durations: exponential with S(30) = 0.44, censored at 30 years (still in the occupation)
    rate = -np.log(SURVIVAL_AT_30) / 30
    duration = rng.exponential(1 / rate, n)
    ended = (duration < 30).astype(int)
    duration = np.clip(np.minimum(duration, 30.0), 0.25, None).round(2)
    # outcomes: shift the chance of 'higher' with the programme level, then rescale to the margins
    tilt = (level - level.mean()) * 0.06
    p_higher = np.clip(OUTCOME_MARGINS["higher"] + tilt, 0.02, 0.8)
    p_higher *= OUTCOME_MARGINS["higher"] / p_higher.mean()
    rest = 1 - p_higher
    others = np.array([OUTCOME_MARGINS[o] for o in ("same", "lower", "unemployed")])
    others = others / others.sum()
    u = rng.random(n)
    outcome = np.where(u < p_higher, "higher", "")
    cut = np.cumsum(others)
    for name, low, high in zip(("same", "lower", "unemployed"), np.r_[0, cut[:-1]], cut):
        pick = (outcome == "") & (u >= p_higher + rest * low) & (u < p_higher + rest * high)
        outcome = np.where(pick, name, outcome)
    outcome = np.where(outcome == "", "unemployed", outcome)
    frame = pd.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "education": [PROGRAMMES[i][0] for i in programme_idx],
            "occupation_group": rng.choice(OCCUPATION_GROUPS, n),
            "duration_years": duration,
            "occupation_ended": ended,
            "outcome": outcome,
        }
    )
    return validate_cohort(frame[list(COHORT_COLUMNS)])


def load_cohort(path: str, n: int = 6000, seed: int = 2016) -> tuple[pd.DataFrame, bool]:
    """The cohort from a CSV file in the ``COHORT_COLUMNS`` schema, or the synthetic one when ``path`` is empty.

    Returns the frame and whether it is synthetic.
    """
    if not path:
        return synthetic_cohort(n, seed), True
    frame = pd.read_csv(path)
    return validate_cohort(frame), False


__all__ = ["synthetic_cohort", "load_cohort", "SURVIVAL_AT_30", "OUTCOME_MARGINS", "PROGRAMMES", "OUTCOMES"]
