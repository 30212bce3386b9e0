"""The audit's rounding rule (helpers.rounding): one rule for every kind of check, derived from the precision printed.

Every expected interval below is worked out by hand in the comment beside it: a number printed with its last digit
in the unit u stands for [x - u/2, x + u/2], and the ends of a result come from the ends of its inputs.
"""

from __future__ import annotations

import pytest

from helpers import rounding
from helpers.rounding import Bounds


def test_the_precision_is_read_from_the_printed_text():
    assert rounding.decimals_printed("19") == 0
    assert rounding.decimals_printed("13,8") == rounding.decimals_printed("13.8") == 1
    assert rounding.decimals_printed("1978,0") == 1  # a trailing zero printed is a decimal printed
    assert rounding.printed_text("9") == Bounds(8.5, 9.5)
    b = rounding.printed_text("9,2")
    assert (b.lo, b.hi) == pytest.approx((9.15, 9.25))
    with pytest.raises(ValueError, match="no number"):
        rounding.decimals_printed(" ")


@pytest.mark.parametrize(
    "printed, verdict",
    [
        # Tabel 1, Groot Rijnmond occupation block: 19 + 22 + 58 = 99; three whole percents: 99 +- 1.5 = [97.5, 100.5]
        (["19", "22", "58"], "consistent within rounding"),
        # Tabel 1, Zuidoost-Brabant occupation block: 18 + 22 + 61 = 101 -> [99.5, 102.5], which holds 100
        (["18", "22", "61"], "consistent within rounding"),
        # Germany's low, middle and high educated (chapter 5): 20 + 57 + 24 = 101 -> [99.5, 102.5]
        (["20", "57", "24"], "consistent within rounding"),
        # Tabel 1, level block: 60 + 24 + 18 = 102 -> [100.5, 103.5], which does not hold 100
        (["60", "24", "18"], "discrepancy"),
        # the 1984 cohort: 21 + 23 + 61 = 105 -> [103.5, 106.5]
        (["21", "23", "61"], "discrepancy"),
        # the Netherlands' educated: 31 + 40 + 29 = 100 exactly
        (["31", "40", "29"], "consistent"),
        # one decimal: 33.3 x 3 = 99.9 +- 0.15 = [99.75, 100.05]; 33.2 x 3 = 99.6 -> [99.45, 99.75]
        (["33,3", "33,3", "33,3"], "consistent within rounding"),
        (["33,2", "33,2", "33,2"], "discrepancy"),
    ],
)
def test_a_sum_of_k_printed_numbers_may_be_off_by_k_half_units(printed, verdict):
    bounds = rounding.total(rounding.printed_text(p) for p in printed)
    value = sum(float(p.replace(",", ".")) for p in printed)
    assert bounds.hi - bounds.lo == pytest.approx(
        len(printed) * rounding.unit_of(rounding.decimals_printed(printed[0]))
    )
    assert rounding.verdict(100, rounding.exact(100), value, bounds) == verdict


def test_a_difference_of_printed_numbers():
    # Tabel 2 unemployment: ZO Drenthe 7,7 and Brainport 6,7: difference 1.0 within
    # [7.65 - 6.75, 7.75 - 6.65] = [0.9, 1.1]
    diff = rounding.printed_text("7,7") - rounding.printed_text("6,7")
    assert (diff.lo, diff.hi) == pytest.approx((0.9, 1.1))
    # a text saying "1 point" (printed to whole points: [0.5, 1.5]) fits; "2 points" ([1.5, 2.5]) does not
    assert rounding.verdict(1, rounding.printed(1, 0), 1.0, diff) == "consistent"
    assert rounding.verdict(2, rounding.printed(2, 0), 1.0, diff) == "discrepancy"
    # "0.8 points" ([0.75, 0.85]) against [0.9, 1.1]: no overlap
    assert rounding.verdict(0.8, rounding.printed(0.8, 1), 1.0, diff) == "discrepancy"


def test_a_ratio_of_printed_numbers():
    # 8 / 4 with both printed to whole units: [7.5 / 4.5, 8.5 / 3.5] = [1.6667, 2.4286]
    r = rounding.ratio(rounding.printed_text("8"), rounding.printed_text("4"))
    assert (r.lo, r.hi) == pytest.approx((7.5 / 4.5, 8.5 / 3.5))
    # "two and a half times" printed as 2,5 ([2.45, 2.55]) lies above the ratio's upper end 2.4286
    assert rounding.verdict(2.5, rounding.printed(2.5, 1), 2.0, r) == "discrepancy"
    # "twice" printed as 2 ([1.5, 2.5]) fits; so does 1,7 ([1.65, 1.75])
    assert rounding.verdict(2, rounding.printed(2, 0), 2.0, r) == "consistent"
    assert rounding.verdict(1.7, rounding.printed(1.7, 1), 2.0, r) == "consistent within rounding"
    with pytest.raises(ValueError, match="denominator above zero"):
        rounding.ratio(rounding.exact(1), rounding.exact(0))


def test_a_share_of_a_rounded_total():
    # a part printed '9' ([8.5, 9.5]) beside a rest printed '50' and '1,0' (51.0 +- 0.55 = [50.45, 51.55]):
    # share between 8.5 / (8.5 + 51.55) = 14.1549% and 9.5 / (9.5 + 50.45) = 15.8465%; as printed 9 / 60 = 15%
    part = rounding.printed_text("9")
    rest = rounding.total([rounding.printed_text("50"), rounding.printed_text("1,0")])
    s = rounding.share(part, rest)
    assert (s.lo, s.hi) == pytest.approx((8.5 / 60.05 * 100, 9.5 / 59.95 * 100))
    assert rounding.verdict(15, rounding.printed(15, 0), 15.0, s) == "consistent"
    assert rounding.verdict(16, rounding.printed(16, 0), 15.0, s) == "consistent within rounding"  # [15.5, 16.5]
    assert rounding.verdict(18, rounding.printed(18, 0), 15.0, s) == "discrepancy"  # [17.5, 18.5]
    # printed to a tenth the part is known better: '9,0' -> [8.95, 9.05] -> [14.903%, 15.097%], and 16 no longer fits
    s = rounding.share(rounding.printed_text("9,0"), rest)
    assert rounding.verdict(16, rounding.printed(16, 0), 15.0, s) == "discrepancy"


def test_counts_are_exact():
    # Tabel 3, Twente: 'Waarvan buiten NL: 4' against five rows with a foreign owner
    assert rounding.verdict(4, rounding.exact(4), 5, rounding.exact(5)) == "discrepancy"
    assert rounding.verdict(5, rounding.exact(5), 5, rounding.exact(5)) == "consistent"


def test_which_region_can_be_highest_within_rounding():
    # Tabel 1, higher level: Brainport 23 ([22.5, 23.5]) against Groot Rijnmond 24 ([23.5, 24.5]): Brainport can at
    # most tie, never be strictly highest
    assert not rounding.can_be_extreme(rounding.printed_text("23"), [rounding.printed_text("24")], "highest")
    # Tabel 1, occupational loyalty: Vierkant voor Werk 24 + 24 = 48 ([47, 49]) against Twente 23 + 25 = 48: either
    assert rounding.can_be_extreme(
        rounding.total([rounding.printed_text("24")] * 2),
        [rounding.total([rounding.printed_text("23"), rounding.printed_text("25")])],
        "highest",
    )
    # lower level: Brainport 20 ([19.5, 20.5]) cannot be below Groot Rijnmond's 18 ([17.5, 18.5])
    assert not rounding.can_be_extreme(rounding.printed_text("20"), [rounding.printed_text("18")], "lowest")
    with pytest.raises(ValueError, match="highest"):
        rounding.can_be_extreme(rounding.exact(1), [], "largest")


def test_neighbouring_printed_numbers_never_stand_for_the_same_value():
    # '17' stands for [16.5, 17.5) and '18' for [17.5, 18.5): 17.5 prints as 18, so the two do not overlap
    assert rounding.verdict(17, rounding.printed(17, 0), 18, rounding.printed(18, 0)) == "discrepancy"
    # an exact 100 at the upper end of a sum's interval is outside it, at the lower end inside it
    assert not rounding.printed(99.5, 0).overlaps(rounding.exact(100))
    assert rounding.printed(100.5, 0).overlaps(rounding.exact(100))
